/* translit.c - the plain transliteration table (data/translit-plain.tsv,
 * compiled in), case handling per word, and ASCII slugs. */
#include "translit.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "buf.h"
#include "text.h"

typedef struct {
	uint32_t cp;
	const char *ru, *be;
} letter;

static const letter table[] = {
#include "translit-plain.inc"
};

static const letter *lookup(uint32_t lower)
{
	size_t lo = 0, hi = sizeof table / sizeof table[0];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (table[mid].cp == lower)
			return &table[mid];
		if (table[mid].cp < lower)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

ev_lang ev_lang_parse(const char *code)
{
	static const struct { const char *name; ev_lang lang; } names[] = {
		{"ru", EV_LANG_RU}, {"rus", EV_LANG_RU}, {"russian", EV_LANG_RU},
		{"be", EV_LANG_BE}, {"bel", EV_LANG_BE}, {"belarusian", EV_LANG_BE},
	};
	if (!code)
		return EV_LANG_UNKNOWN;
	char *key = ev_text_key(code);
	ev_lang r = EV_LANG_UNKNOWN;
	for (size_t i = 0; key && i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(key, names[i].name))
			r = names[i].lang;
	free(key);
	return r;
}

static bool is_apostrophe(uint32_t cp)
{
	return cp == '\'' || cp == 0x2019 || cp == 0x02BC || cp == 0x2018 ||
	       cp == '`' || cp == 0x00B4;
}

static bool is_cyrillic(uint32_t cp)
{
	return cp >= 0x0400 && cp <= 0x04FF;
}

static bool is_letter(uint32_t cp)
{
	utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
	return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

/* The deciding letters of one language or the other; 0 when none. */
static ev_lang decide(uint32_t lower, bool inner_apostrophe)
{
	if (lower == 0x045E || lower == 0x0456 || inner_apostrophe)
		return EV_LANG_BE;          /* ў і ' */
	if (lower == 0x0438 || lower == 0x0449 || lower == 0x044A)
		return EV_LANG_RU;          /* и щ ъ */
	return EV_LANG_UNKNOWN;
}

/* Scan one word starting at s[i]; return its end and its language. */
static size_t scan_word(const char *s, size_t n, size_t i, ev_lang *lang,
                        bool *all_caps)
{
	size_t upper = 0, lower = 0, start = i;
	*lang = EV_LANG_UNKNOWN;
	uint32_t prev = 0;
	while (i < n) {
		uint32_t cp;
		size_t k = ev_utf8_decode(s + i, n - i, &cp);
		if (!k)
			break;
		bool apos = is_apostrophe(cp);
		if (!is_letter(cp) && !apos)
			break;
		if (apos) {
			/* an apostrophe belongs to the word only between letters */
			uint32_t next;
			size_t k2 = ev_utf8_decode(s + i + k, n - i - k, &next);
			if (!prev || !k2 || !is_letter(next))
				break;
		}
		uint32_t lc = (uint32_t)utf8proc_tolower((utf8proc_int32_t)cp);
		if (lc != cp)
			upper++;
		else if ((uint32_t)utf8proc_toupper((utf8proc_int32_t)cp) != cp)
			lower++;
		ev_lang l = decide(lc, apos && is_cyrillic(prev));
		if (l != EV_LANG_UNKNOWN && *lang == EV_LANG_UNKNOWN)
			*lang = l;
		prev = cp;
		i += k;
	}
	*all_caps = upper >= 2 && lower == 0;
	if (i == start) {
		/* A modifier-letter apostrophe (U+02BC is a letter to Unicode) with
		 * no letter after it: a word of its own, so callers always move on. */
		uint32_t cp;
		size_t k = ev_utf8_decode(s + i, n - i, &cp);
		i += k ? k : 1;
	}
	return i;
}

ev_lang ev_lang_detect(const char *s, ev_lang fallback)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = ev_utf8_decode(s + i, n - i, &cp);
		if (!k)
			return fallback;
		if (is_letter(cp)) {
			ev_lang l;
			bool caps;
			size_t end = scan_word(s, n, i, &l, &caps);
			if (l != EV_LANG_UNKNOWN)
				return l;
			i = end;
			continue;
		}
		i += k;
	}
	return fallback;
}

static int put_upper(ev_buf *b, const char *s, bool all)
{
	for (size_t i = 0; s[i]; i++) {
		char c = s[i];
		if ((all || i == 0) && c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		ev_buf_putc(b, c);
	}
	return b->failed ? -1 : 0;
}

/* Transliterate the word s[i..end) (letters and inner apostrophes). */
static void latin_word(ev_buf *b, const char *s, size_t i, size_t end,
                       ev_lang lang, bool all_caps)
{
	while (i < end) {
		uint32_t cp;
		size_t k = ev_utf8_decode(s + i, end - i, &cp);
		uint32_t lc = (uint32_t)utf8proc_tolower((utf8proc_int32_t)cp);
		const letter *l = is_cyrillic(cp) ? lookup(lc) : NULL;
		if (l) {
			const char *latin = lang == EV_LANG_RU ? l->ru : l->be;
			if (lc != cp)
				put_upper(b, latin, all_caps);
			else
				ev_buf_puts(b, latin);
		} else if (!(is_apostrophe(cp))) {
			ev_buf_append(b, s + i, k);
		}
		i += k;
	}
}

char *ev_latin(const char *s, ev_lang lang)
{
	ev_buf b = {0};
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = ev_utf8_decode(s + i, n - i, &cp);
		if (!k) {   /* not valid UTF-8: copy the byte; callers validate */
			ev_buf_append(&b, s + i, 1);
			i++;
			continue;
		}
		if (!is_letter(cp)) {
			ev_buf_append(&b, s + i, k);
			i += k;
			continue;
		}
		ev_lang wl;
		bool caps;
		size_t end = scan_word(s, n, i, &wl, &caps);
		if (lang != EV_LANG_UNKNOWN)
			wl = lang;
		else if (wl == EV_LANG_UNKNOWN)
			wl = EV_LANG_BE;
		latin_word(&b, s, i, end, wl, caps);
		i = end;
	}
	if (b.failed) {
		ev_buf_free(&b);
		return NULL;
	}
	return ev_buf_steal(&b, NULL);
}

char *ev_slug(const char *s, size_t max)
{
	char *latin = ev_latin(s, EV_LANG_UNKNOWN);
	if (!latin)
		return NULL;
	/* Fold diacritics away (Ž -> Z, ł stays: handled below). */
	utf8proc_uint8_t *folded = NULL;
	utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)latin, 0,
	                                  &folded, UTF8PROC_NULLTERM |
	                                  UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
	                                  UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD);
	free(latin);
	if (r < 0)
		return NULL;
	if (max < 1)
		max = 1;
	char *out = malloc(max + 1);
	if (!out) {
		free(folded);
		return NULL;
	}
	size_t o = 0;
	bool dash = false;
	for (size_t i = 0; i < (size_t)r;) {
		uint32_t cp;
		size_t k = ev_utf8_decode((const char *)folded + i, (size_t)r - i, &cp);
		if (!k)
			k = 1, cp = 0;
		i += k;
		char c = 0;
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
			c = (char)cp;
		else if (cp == 0x0142)   /* ł has no decomposition */
			c = 'l';
		else if (cp == 0x00DF)
			c = 's';
		else if (cp == 0x00F8)
			c = 'o';
		else if (cp == 0x00E6)
			c = 'a';
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
	free(folded);
	return out;
}
