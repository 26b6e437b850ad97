/* translit.c - the language of a word, the Latin forms envoi prints by
 * default (by-passport for Belarusian words, icao-ru for Russian ones,
 * uk-national for Ukrainian ones, each a scheme of src/data/translit/), and
 * ASCII slugs for file names. */
#include "translit.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "normalize.h"
#include "scheme.h"
#include "text.h"

ev_lang ev_lang_parse(const char *code)
{
	static const struct { const char *name; ev_lang lang; } names[] = {
		{"ru", EV_LANG_RU}, {"rus", EV_LANG_RU}, {"russian", EV_LANG_RU},
		{"русский", EV_LANG_RU}, {"руская", EV_LANG_RU},
		{"be", EV_LANG_BE}, {"bel", EV_LANG_BE}, {"belarusian", EV_LANG_BE},
		{"беларуская", EV_LANG_BE}, {"белорусский", EV_LANG_BE},
		{"uk", EV_LANG_UK}, {"ukr", EV_LANG_UK}, {"ukrainian", EV_LANG_UK},
	};
	if (!code)
		return EV_LANG_UNKNOWN;
	char buf[64];
	char *key = ev_text_key_in(code, buf, sizeof buf);
	ev_lang r = EV_LANG_UNKNOWN;
	for (size_t i = 0; key && i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(key, names[i].name))
			r = names[i].lang;
	if (key != buf)
		free(key);
	return r;
}

const char *ev_lang_code(ev_lang l)
{
	return l == EV_LANG_RU ? "ru" : l == EV_LANG_BE ? "be" : l == EV_LANG_UK ? "uk" : "";
}

ev_lang ev_lang_of_letters(const uint32_t *cps, size_t n, ev_lang fallback)
{
	/* translit.md 8.1: ў -> be; ї є ґ -> uk; ъ -> ru; і with ы э ё -> be;
	 * і with и or щ -> uk; и or щ (no і) -> ru; і alone -> be; an apostrophe inside a
	 * Cyrillic word -> be (ru writes ъ). A Latin i between Cyrillic letters
	 * is made і by normalising first. */
	bool i_be = false, i_ru = false, be_vowel = false, apos = false, shch = false;
	for (size_t k = 0; k < n; k++) {
		uint32_t c = (uint32_t)utf8proc_tolower((utf8proc_int32_t)cps[k]);
		switch (c) {
		case 0x45E: return EV_LANG_BE;                    /* ў */
		case 0x457: case 0x454: case 0x491: return EV_LANG_UK; /* ї є ґ */
		case 0x44A: return EV_LANG_RU;                    /* ъ */
		case 0x456: i_be = true; break;                   /* і */
		case 0x438: i_ru = true; break;                   /* и */
		case 0x449: shch = true; break;                   /* щ */
		case 0x44B: case 0x44D: case 0x451: be_vowel = true; break; /* ы э ё */
		case 0x2019: apos = k > 0 && k + 1 < n; break;
		default: break;
		}
	}
	/* In a Ukrainian text a word every letter of which Ukrainian has (и щ і
	 * and the apostrophe too) is Ukrainian: Григорович, Суми. */
	if (fallback == EV_LANG_UK && !be_vowel)
		return EV_LANG_UK;
	if (i_be && (be_vowel || apos) && !i_ru)
		return EV_LANG_BE;
	/* і excludes Russian, и and щ exclude Belarusian (Борщагівка). */
	if (i_be && (i_ru || shch))
		return EV_LANG_UK;
	if (i_ru || shch)
		return EV_LANG_RU;
	if (i_be || apos)
		return EV_LANG_BE;
	return fallback == EV_LANG_UK && be_vowel ? EV_LANG_BE : fallback;
}

ev_lang ev_lang_detect(const char *s, ev_lang fallback)
{
	/* The first word that decides, after normalising (look-alikes). */
	char *norm = ev_normalize(s, strlen(s), NULL);
	if (!norm)
		return fallback;
	size_t n = strlen(norm);
	uint32_t *cps = malloc((n + 1) * sizeof *cps);
	ev_lang found = EV_LANG_UNKNOWN;
	size_t m = 0;
	for (size_t i = 0; cps && i <= n && found == EV_LANG_UNKNOWN;) {
		uint32_t c = 0;
		size_t k = i < n ? ev_utf8_decode(norm + i, n - i, &c) : 1;
		utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)c);
		bool letter = i < n && ((cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
		                        (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME));
		if (letter || (c == 0x2019 && m > 0)) {
			cps[m++] = c;
		} else if (m) {
			found = ev_lang_of_letters(cps, m, EV_LANG_UNKNOWN);
			m = 0;
		}
		i += k ? k : 1;
	}
	free(cps);
	free(norm);
	return found != EV_LANG_UNKNOWN ? found : fallback;
}

char *ev_latin(const char *s, ev_lang lang)
{
	return ev_translit_by_lang(ev_scheme_find("by-passport"),
	                           ev_scheme_find("icao-ru"), s, lang);
}

/* The slug of ascii (printable ASCII) into out (max + 1 bytes). */
static void slug_of_ascii(const char *ascii, size_t max, char *out)
{
	size_t o = 0;
	bool dash = false;
	for (const char *p = ascii; *p; p++) {
		char c = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			c = 0;
		if (!c) {
			dash = o > 0;
			continue;
		}
		if (dash && o + 2 > max)
			break;
		if (dash)
			out[o++] = '-';
		dash = false;
		if (o + 1 > max)
			break;
		out[o++] = c;
	}
	if (o == 0)
		out[o++] = 'x';
	out[o] = '\0';
}

int ev_slug_into(const char *s, size_t max, char *out)
{
	if (max < 1)
		max = 1;
	/* Printable ASCII is its own transliteration and its own fold
	 * (tests/unit/test-core.c checks every such character): no copy. */
	bool ascii = true;
	for (const char *p = s; *p && ascii; p++)
		ascii = *p >= 0x20 && *p < 0x7F;
	if (ascii) {
		slug_of_ascii(s, max, out);
		return 0;
	}
	char *latin = ev_latin(s, EV_LANG_UNKNOWN);
	char *folded = latin ? ev_ascii(latin) : NULL;
	free(latin);
	if (!folded)
		return -1;
	slug_of_ascii(folded, max, out);
	free(folded);
	return 0;
}

char *ev_slug(const char *s, size_t max)
{
	char *out = malloc((max < 1 ? 1 : max) + 1);
	if (out && ev_slug_into(s, max, out) < 0) {
		free(out);
		return NULL;
	}
	return out;
}
