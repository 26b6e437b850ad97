/* test-text.c - the hand-written fast paths of the text helpers agree with
 * utf8proc, their reference, for every code point (text.c, normalize.c):
 * when utf8proc or Unicode moves, this says which fast path is now wrong.
 * Usage: test-text */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "buf.h"
#include "text.h"

static int passed, failed;

static void expect(bool ok, const char *what, uint32_t cp)
{
	if (ok) {
		passed++;
		return;
	}
	if (failed++ < 20)
		printf("FAIL %s at U+%04X\n", what, (unsigned)cp);
}

/* ev_is_invisible as text.h defines it, by utf8proc alone. */
static bool invisible_ref(uint32_t cp)
{
	if (cp > 0x10FFFF || ev_is_space(cp))
		return false;
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return true;
	const utf8proc_property_t *p = utf8proc_get_property((utf8proc_int32_t)cp);
	return p->category == UTF8PROC_CATEGORY_CF || p->ignorable;
}

static void invisible(void)
{
	int before = failed;
	for (uint32_t cp = 0; cp <= 0x110000; cp++)
		if (ev_is_invisible(cp) != invisible_ref(cp))
			expect(false, "ev_is_invisible", cp);
	expect(failed == before, "ev_is_invisible over all code points", 0);
}

static void letter(void)
{
	int before = failed;
	for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
		utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
		bool ref = (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
		           (c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME);
		if (ev_is_letter(cp) != ref)
			expect(false, "ev_is_letter", cp);
	}
	expect(failed == before, "ev_is_letter over all code points", 0);
}

/* ev_nfc_inert: NFC leaves each such code point as it is, it has no
 * combining class, and it is never the second part of a canonical
 * decomposition (so it composes with nothing before it). */
static void nfc_inert(void)
{
	static bool second[0x110000];
	for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
		utf8proc_int32_t d[32];
		utf8proc_ssize_t n = utf8proc_decompose_char((utf8proc_int32_t)cp, d, 32,
		                                             UTF8PROC_DECOMPOSE, NULL);
		for (utf8proc_ssize_t i = 1; i < n && n <= 32; i++)
			second[d[i]] = true;
	}
	int before = failed;
	for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
		if (!ev_nfc_inert(cp))
			continue;
		char s[5] = {0};
		size_t k = ev_utf8_encode(cp, s);
		utf8proc_uint8_t *nfc = NULL;
		utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)k,
		                                  &nfc, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
		expect(r == (utf8proc_ssize_t)k && !memcmp(nfc, s, k), "ev_nfc_inert: NFC changes it", cp);
		free(nfc);
		expect(utf8proc_get_property((utf8proc_int32_t)cp)->combining_class == 0,
		       "ev_nfc_inert: combining class", cp);
		expect(!second[cp], "ev_nfc_inert: second part of a decomposition", cp);
	}
	expect(failed == before, "ev_nfc_inert", 0);
}

/* ev_fold_quick: utf8proc's NFC case fold of the code point alone, one
 * code point, NFC-inert (so nothing composes across it in a string) and
 * no longer in UTF-8. */
static void fold_quick(void)
{
	int before = failed;
	for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
		uint32_t f = ev_fold_quick(cp);
		if (f == EV_FOLD_SLOW)
			continue;
		char s[5] = {0}, want[5] = {0};
		size_t k = ev_utf8_encode(cp, s), kf = ev_utf8_encode(f, want);
		utf8proc_uint8_t *folded = NULL;
		utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)k,
		                                  &folded, UTF8PROC_STABLE | UTF8PROC_COMPOSE |
		                                  UTF8PROC_CASEFOLD);
		expect(r == (utf8proc_ssize_t)kf && !memcmp(folded, want, kf),
		       "ev_fold_quick: not utf8proc's fold", cp);
		free(folded);
		expect(ev_nfc_inert(f) && ev_fold_quick(f) == f, "ev_fold_quick: fold not inert", cp);
		expect(kf <= k, "ev_fold_quick: longer", cp);
	}
	expect(failed == before, "ev_fold_quick", 0);
}

/* The inline decoder agrees with the strict one on every one- and two-byte
 * input, and on a three-byte one after each. */
static void decode(void)
{
	int before = failed;
	for (unsigned a = 0; a < 256; a++)
		for (unsigned b = 0; b < 256; b++) {
			char s[3] = {(char)a, (char)b, (char)0x80};
			for (size_t n = 0; n <= 3; n++) {
				uint32_t x = 0xDEAD, y = 0xDEAD;
				size_t k = ev_utf8_decode(s, n, &x), l = ev_utf8_decode_any(s, n, &y);
				if (k != l || (k && x != y))
					expect(false, "ev_utf8_decode", a << 8 | b);
			}
		}
	expect(failed == before, "ev_utf8_decode", 0);
}

static void cases(void)
{
	int before = failed;
	for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
		if (ev_lower(cp) != (uint32_t)utf8proc_tolower((utf8proc_int32_t)cp))
			expect(false, "ev_lower", cp);
		if (ev_upper(cp) != (uint32_t)utf8proc_toupper((utf8proc_int32_t)cp))
			expect(false, "ev_upper", cp);
	}
	expect(failed == before, "ev_lower, ev_upper", 0);
}

/* ev_utf8_repair: valid text as it is; a NUL and each byte that starts
 * no valid sequence (a stray continuation, a cut sequence, an overlong
 * form, a surrogate) as U+FFFD, the text around them kept; the result
 * valid UTF-8 (utf8proc decodes it whole). */
static void repair(void)
{
	static const struct {
		const char *in;
		size_t n, bad;
		const char *out;
	} t[] = {
		{"", 0, 0, ""},
		{"Жук", 6, 0, "Жук"},
		{"Ж\0ук", 7, 1, "Ж\xEF\xBF\xBDук"},
		{"\xFFЖ", 3, 1, "\xEF\xBF\xBDЖ"},
		{"a\x80" "b", 3, 1, "a\xEF\xBF\xBD" "b"},
		{"a\xD0", 2, 1, "a\xEF\xBF\xBD"},
		{"\xC0\xAF", 2, 2, "\xEF\xBF\xBD\xEF\xBF\xBD"},
		{"\xED\xA0\x80!", 4, 3, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD!"},
		{"\xEF\xBF\xBD", 3, 0, "\xEF\xBF\xBD"},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		ev_buf out = {0};
		size_t bad = ev_utf8_repair(t[i].in, t[i].n, &out);
		bool ok = bad == t[i].bad && out.data && !strcmp(out.data, t[i].out) &&
		          out.len == strlen(t[i].out);
		utf8proc_int32_t cp;
		for (size_t k = 0; ok && k < out.len;) {
			utf8proc_ssize_t r = utf8proc_iterate((const utf8proc_uint8_t *)out.data + k,
			                                      (utf8proc_ssize_t)(out.len - k), &cp);
			ok = r > 0 && cp != 0;
			k += r > 0 ? (size_t)r : 1;
		}
		expect(ok, "ev_utf8_repair", (uint32_t)i);
		ev_buf_free(&out);
	}
}

/* ev_utf8_prefix against utf8proc: for every code point (each length of
 * sequence) in a text of three, each cut is a whole number of characters
 * that utf8proc decodes, and as many as asked. */
static void prefix(void)
{
	int before = failed;
	for (uint32_t cp = 1; cp <= 0x10FFFF; cp += cp < 0x800 ? 1 : 61) {
		if (cp >= 0xD800 && cp < 0xE000)
			continue;
		char s[13] = {0};
		size_t n = 0;
		for (int k = 0; k < 3; k++)
			n += ev_utf8_encode(cp, s + n);
		for (size_t chars = 0; chars <= 4; chars++) {
			size_t cut = ev_utf8_prefix(s, chars);
			utf8proc_int32_t c;
			size_t at = 0, got = 0;
			bool ok = cut <= n;
			while (ok && at < cut) {
				utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + at,
				                                      (utf8proc_ssize_t)(cut - at), &c);
				ok = k > 0 && (uint32_t)c == cp;
				at += ok ? (size_t)k : 0;
				got++;
			}
			if (!ok || got != (chars < 3 ? chars : 3))
				expect(false, "ev_utf8_prefix", cp);
		}
	}
	expect(failed == before, "ev_utf8_prefix over the code points", 0);
}

int main(void)
{
	cases();
	repair();
	decode();
	fold_quick();
	invisible();
	letter();
	nfc_inert();
	prefix();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
