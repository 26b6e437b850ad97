/* test-translit.c - the transliteration engine against its examples and
 * its promises.
 *
 *   test-translit EXAMPLES [LIST.csv]
 *
 * EXAMPLES (tests/cases/translit-examples.txt): lines SCHEME, DIR (to-latin
 * or to-cyrillic), LANG (be, ru, auto), INPUT, EXPECTED, tab-separated;
 * '#' starts a comment. Each must come out exactly.
 * Round trips: for iso9 and gost-b, in Belarusian and Russian, 20,000
 * pseudo-random words of every letter in lower, Title and ALL CAPS, with
 * apostrophes and hyphens, and every line of LIST.csv in its row's
 * language, must come back unchanged (after normalising) from Latin; so
 * must the list's Belarusian cells through by-national (but for an
 * apostrophe before і, which that system does not write).
 * Every scheme's output for those inputs must be valid UTF-8, and without
 * Cyrillic when going to Latin.
 * Every letter: each code point of U+0400-U+052F (and of U+1C80-U+1C8F,
 * U+2DE0-U+2DFF, U+A640-U+A69F), alone and inside a word,
 * in each language, through every scheme and ascii, must come out as valid
 * UTF-8 with no Cyrillic (nor U+1C80-U+1C8F, U+2DE0-U+2DFF, U+A640-U+A69F)
 * and, for a letter, not empty unless the scheme's own table drops it (ь ъ
 * in the passport styles); ascii must be printable ASCII.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "buf.h"
#include "normalize.h"
#include "scheme.h"
#include "text.h"
#include "translit.h"

static int failed, passed;

static char *run(const char *scheme, bool reverse, ev_lang lang, const char *in)
{
	if (!strcmp(scheme, "ascii")) {
		char *l = ev_latin(in, lang);
		char *a = l ? ev_ascii(l) : NULL;
		free(l);
		return a;
	}
	const ev_scheme *s = ev_scheme_find(scheme);
	return s ? ev_translit(s, in, lang, reverse) : NULL;
}

static void examples(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		exit(2);
	}
	char *line = NULL;
	size_t cap = 0;
	long no = 0;
	while (getline(&line, &cap, f) >= 0) {
		no++;
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		char *fld[5];
		char *p = line;
		int n = 0;
		for (; n < 5 && p; n++) {
			fld[n] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = '\0';
		}
		if (n != 5 || p) {
			printf("%s:%ld: malformed line (want 5 tab-separated fields)\n", path, no);
			failed++;
			continue;
		}
		bool reverse = !strcmp(fld[1], "to-cyrillic");
		ev_lang lang = ev_lang_parse(fld[2]);
		char *got = run(fld[0], reverse, lang, fld[3]);
		if (!got || strcmp(got, fld[4])) {
			printf("%s:%ld: %s %s %s '%s': expected '%s', got '%s'\n", path, no,
			       fld[0], fld[1], fld[2], fld[3], fld[4], got ? got : "(NULL)");
			failed++;
		} else {
			passed++;
		}
		free(got);
	}
	free(line);
	fclose(f);
}

/* ---- promises ---- */

/* Any code point of a Cyrillic block. */
static bool cyrillic(uint32_t c)
{
	return (c >= 0x0400 && c <= 0x052F) || (c >= 0x1C80 && c <= 0x1C8F) ||
	       (c >= 0x2DE0 && c <= 0x2DFF) || (c >= 0xA640 && c <= 0xA69F);
}

static bool has_cyrillic(const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		uint32_t c;
		size_t k = ev_utf8_decode(s + i, n - i, &c);
		if (!k)
			return false;
		if (cyrillic(c))
			return true;
		i += k;
	}
	return false;
}

/* Every scheme on `in`: valid UTF-8, no Cyrillic left; reversible ones:
 * iso9 and gost-b must round-trip exactly. */
static void promise(const char *in, ev_lang lang, const char *what, bool real)
{
	char *norm = ev_normalize(in, strlen(in), NULL);
	if (!norm)
		return;
	for (size_t i = 0; i < ev_scheme_count(); i++) {
		const ev_scheme *s = ev_scheme_at(i);
		char *lat = ev_translit(s, norm, lang, false);
		if (!lat || ev_utf8_invalid_at(lat, strlen(lat)) != (size_t)-1 || has_cyrillic(lat)) {
			printf("%s: %s: '%s' -> '%s' (invalid or Cyrillic left)\n", what,
			       s->id, norm, lat ? lat : "(NULL)");
			failed++;
			free(lat);
			continue;
		}
		/* by-national round-trips real Belarusian text except an apostrophe
		 * before і, which it does not write (translit.md 1.2). */
		bool exact = !strcmp(s->id, "iso9") || !strcmp(s->id, "gost-b") ||
		             (real && lang == EV_LANG_BE && !strcmp(s->id, "by-national") &&
		              !strstr(norm, "’і") && !strstr(norm, "’І"));
		if (s->rev) {
			char *back = ev_translit(s, lat, lang, true);
			if (!back || ev_utf8_invalid_at(back, strlen(back)) != (size_t)-1 ||
			    (exact && strcmp(back, norm))) {
				printf("%s: %s round trip: '%s' -> '%s' -> '%s'\n", what, s->id,
				       norm, lat, back ? back : "(NULL)");
				failed++;
			} else {
				passed++;
			}
			free(back);
		}
		free(lat);
	}
	free(norm);
}

/* Does s (or the scheme it sends Ukrainian words to) drop the letter lc by a
 * row of its own (TO "-")? */
static bool dropped_by(const ev_scheme *s, uint32_t lc)
{
	for (int pass = 0; s && pass < 2; pass++) {
		for (size_t i = 0; i < s->nfwd; i++) {
			uint32_t c;
			size_t n = strlen(s->fwd[i].from);
			if (ev_utf8_decode(s->fwd[i].from, n, &c) == n && c == lc &&
			    !*s->fwd[i].to)
				return true;
		}
		s = s->uk ? ev_scheme_find(s->uk) : NULL;
	}
	return false;
}

/* Every Cyrillic code point (U+0400-U+052F and the later blocks) through
 * every scheme (and ascii), alone and between Cyrillic letters, in each
 * language: no Cyrillic out, and a letter never lost. */
static void every_letter(void)
{
	static const ev_lang langs[] = {EV_LANG_UNKNOWN, EV_LANG_BE, EV_LANG_RU, EV_LANG_UK};
	size_t bad = 0, checked = 0;
	for (size_t si = 0; si <= ev_scheme_count(); si++) {
		const ev_scheme *s = ev_scheme_at(si);    /* NULL: ascii */
		const char *id = s ? s->id : "ascii";
		for (uint32_t cp = 0x0400; cp <= 0xA69F; cp++) {
			utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)cp);
			if (cat == UTF8PROC_CATEGORY_CN || !cyrillic(cp))
				continue;
			bool letter = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
			uint32_t lc = (uint32_t)utf8proc_tolower((utf8proc_int32_t)cp);
			bool may_drop = s ? dropped_by(s, lc)
			              : dropped_by(ev_scheme_find("by-passport"), lc) ||
			                dropped_by(ev_scheme_find("icao-ru"), lc);
			char one[8], word[16];
			size_t k = ev_utf8_encode(cp, one);
			one[k] = '\0';
			snprintf(word, sizeof word, "%s%s%s", cp == lc ? "м" : "М", one, "а");
			for (size_t li = 0; li < sizeof langs / sizeof *langs; li++) {
				/* The word without the letter, to see it is not lost. */
				const char *bare = cp == lc ? "ма" : "Ма";
				char *without = s ? ev_translit(s, bare, langs[li], false)
				                  : run("ascii", false, langs[li], bare);
				for (int w = 0; w < 2; w++) {
					const char *in = w ? word : one;
					char *out = s ? ev_translit(s, in, langs[li], false)
					              : run("ascii", false, langs[li], in);
					bool kept = !letter || may_drop ||
					            (w ? out && without && strcmp(out, without) : out && *out);
					bool ok = out && ev_utf8_invalid_at(out, strlen(out)) == (size_t)-1 &&
					          !has_cyrillic(out) && kept;
					for (const char *p = out; ok && !s && *p; p++)
						ok = (unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7F;
					checked++;
					if (!ok && bad++ < 20)
						printf("every letter: %s %s U+%04X '%s' -> '%s'\n", id,
						       ev_lang_code(langs[li]), (unsigned)cp, in,
						       out ? out : "(NULL)");
					free(out);
				}
				free(without);
			}
		}
	}
	if (bad)
		failed++;
	else
		passed++;
	printf("every letter: %zu transliterations, %zu wrong\n", checked, bad);
}

static uint64_t rng = 0x9E3779B97F4A7C15u;

static unsigned next(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static void random_words(ev_lang lang)
{
	static const char *const be[] = {
		"а", "б", "в", "г", "ґ", "д", "е", "ё", "ж", "з", "і", "й", "к", "л",
		"м", "н", "о", "п", "р", "с", "т", "у", "ў", "ф", "х", "ц", "ч", "ш",
		"ы", "ь", "э", "ю", "я", "’",
	};
	static const char *const ru[] = {
		"а", "б", "в", "г", "д", "е", "ё", "ж", "з", "и", "й", "к", "л", "м",
		"н", "о", "п", "р", "с", "т", "у", "ф", "х", "ц", "ч", "ш", "щ", "ъ",
		"ы", "ь", "э", "ю", "я",
	};
	const char *const *abc = lang == EV_LANG_BE ? be : ru;
	unsigned n = lang == EV_LANG_BE ? sizeof be / sizeof *be : sizeof ru / sizeof *ru;
	for (int w = 0; w < 20000; w++) {
		ev_buf b = {0};
		int words = 1 + (int)next(3);
		for (int k = 0; k < words; k++) {
			if (k)
				ev_buf_puts(&b, next(4) ? " " : "-");
			/* Real words: no ь ъ ’ first, no ’ last; ALL CAPS only with
			 * at least two letters that have a case in Latin (Ь has none). */
			int len = 1 + (int)next(9), style = (int)next(3), cased = 0;
			if (style == 2 && len < 3)
				style = 1;
			const char *prev = "";
			for (int j = 0; j < len; j++) {
				const char *l = abc[next(n)];
				bool sign = !strcmp(l, "’") || !strcmp(l, "ь") || !strcmp(l, "ъ");
				/* The spelling rules: ь after a consonant (in Belarusian
				 * only з л н с ц), ъ and ’ after a consonant; a sign is never
				 * first or after another sign. GOST B needs these: u` is ў,
				 * e` is э, g` is ґ. */
				const char *soft = lang == EV_LANG_BE ? "злнсц" : "бвджзклмнпрстфхцчшщ";
				if (sign && (j == 0 || (!strcmp(l, "’") && j == len - 1) ||
				             (style == 2 && cased < 2) || !*prev ||
				             !strstr(soft, prev)))
					l = "а", sign = false;
				prev = sign ? "" : l;
				cased += !sign;
				uint32_t c;
				ev_utf8_decode(l, strlen(l), &c);
				if (style == 2 || (style == 1 && j == 0))
					c = (uint32_t)utf8proc_toupper((utf8proc_int32_t)c);
				char tmp[4];
				ev_buf_append(&b, tmp, ev_utf8_encode(c, tmp));
			}
		}
		ev_buf_putc(&b, '\0');
		promise(b.data, lang, lang == EV_LANG_BE ? "random be" : "random ru", false);
		ev_buf_free(&b);
	}
}

static void list_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		exit(2);
	}
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) >= 0) {
		line[strcspn(line, "\r\n")] = '\0';
		const char *comma = strrchr(line, ',');
		ev_lang lang = ev_lang_parse(comma ? comma + 1 : "");
		/* Each cell without Latin letters (a round trip is for Cyrillic). */
		for (char *cell = line, *end; cell; cell = end ? end + 1 : NULL) {
			end = strchr(cell, ',');
			if (end)
				*end = '\0';
			bool latin = false;
			for (const char *q = cell; *q; q++)
				latin |= (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z');
			if (!latin && *cell)
				promise(cell, lang, path, true);
		}
	}
	free(line);
	fclose(f);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test-translit EXAMPLES [LIST.csv]\n");
		return 2;
	}
	examples(argv[1]);
	int ex_failed = failed, ex_passed = passed;
	every_letter();
	random_words(EV_LANG_BE);
	random_words(EV_LANG_RU);
	if (argc > 2)
		list_lines(argv[2]);
	printf("translit: examples %d passed, %d failed; promises %d passed, %d failed\n",
	       ex_passed, ex_failed, passed - ex_passed, failed - ex_failed);
	return failed ? 1 : 0;
}
