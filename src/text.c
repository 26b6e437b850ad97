/* text.c - UTF-8 helpers (see text.h). Validation is our own strict decoder
 * (it must agree byte-for-byte with what we report to the user); Unicode
 * normalisation and case folding are utf8proc's. */
#include "text.h"

#include "buf.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

size_t ev_utf8_decode_any(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	if (n == 0)
		return 0;
	unsigned c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t len;
	uint32_t v, min;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2; v = c & 0x1F; min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3; v = c & 0x0F; min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4; v = c & 0x07; min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

uint32_t ev_utf8_next(const char *s, size_t n, size_t *i)
{
	uint32_t cp;
	size_t k = ev_utf8_decode(s + *i, n - *i, &cp);
	*i += k ? k : 1;
	return k ? cp : 0xFFFD;
}

size_t ev_utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0;
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp <= 0x10FFFF) {
		o[0] = (unsigned char)(0xF0 | (cp >> 18));
		o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[3] = (unsigned char)(0x80 | (cp & 0x3F));
		return 4;
	}
	return 0;
}

size_t ev_utf8_invalid_at(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint32_t cp;
		size_t k = ev_utf8_decode(s + i, n - i, &cp);
		if (!k)
			return i;
		i += k;
	}
	return (size_t)-1;
}

size_t ev_utf8_repair(const char *s, size_t n, ev_buf *out)
{
	size_t bad = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = ev_utf8_decode(s + i, n - i, &cp);
		if (k && cp != 0) {
			ev_buf_append(out, s + i, k);
			i += k;
		} else {
			ev_buf_append(out, "\xEF\xBF\xBD", 3);
			bad++;
			i++;
		}
	}
	ev_buf_append(out, "", 0);   /* terminated even when empty */
	return bad;
}

size_t ev_utf8_prefix(const char *s, size_t chars)
{
	size_t cut = 0;
	for (size_t k = 0; s[cut] && k < chars; k++) {
		cut++;
		while (((unsigned char)s[cut] & 0xC0) == 0x80)
			cut++;
	}
	return cut;
}

size_t ev_utf8_count(const char *s, size_t n)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	return count;
}

bool ev_is_invisible_any(uint32_t cp)
{
	if (cp < 0x600)
		return ev_is_invisible(cp);
	if (cp > 0x10FFFF || ev_is_space(cp))
		return false;
	const utf8proc_property_t *p = utf8proc_get_property((utf8proc_int32_t)cp);
	return p->category == UTF8PROC_CATEGORY_CF || p->ignorable;
}

bool ev_is_letter_any(uint32_t cp)
{
	if (cp < 0x80 || (cp >= 0x400 && cp <= 0x52F) || (cp >= 0xC0 && cp <= 0x24F))
		return ev_is_letter(cp);
	utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
	       (c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME);
}

/* The transliterator compares letters in lower case, rule by rule; the
 * inline fast paths are in text.h (checked against utf8proc by test-text). */
uint32_t ev_lower_any(uint32_t cp)
{
	if (cp < 0x80 || (cp >= 0x400 && cp < 0x460))
		return ev_lower(cp);
	return (uint32_t)utf8proc_tolower((utf8proc_int32_t)cp);
}

uint32_t ev_upper_any(uint32_t cp)
{
	if (cp < 0x80 || (cp >= 0x400 && cp < 0x460))
		return ev_upper(cp);
	return (uint32_t)utf8proc_toupper((utf8proc_int32_t)cp);
}

size_t ev_invisible_at(const char *s, size_t n, uint32_t *cp)
{
	for (size_t i = 0; i < n;) {
		size_t k = ev_utf8_decode(s + i, n - i, cp);
		if (!k)
			break;
		if (ev_is_invisible(*cp) && *cp != '\t' && *cp != '\r' && *cp != '\n')
			return i;
		i += k;
	}
	return (size_t)-1;
}

const char *ev_invisible_name(uint32_t cp)
{
	static const struct { uint32_t cp; const char *name; } names[] = {
		{0x00AD, "SOFT HYPHEN"}, {0x061C, "ARABIC LETTER MARK"},
		{0x180E, "MONGOLIAN VOWEL SEPARATOR"},
		{0x200B, "ZERO WIDTH SPACE"}, {0x200C, "ZERO WIDTH NON-JOINER"},
		{0x200D, "ZERO WIDTH JOINER"}, {0x200E, "LEFT-TO-RIGHT MARK"},
		{0x200F, "RIGHT-TO-LEFT MARK"}, {0x202A, "LEFT-TO-RIGHT EMBEDDING"},
		{0x202B, "RIGHT-TO-LEFT EMBEDDING"}, {0x202C, "POP DIRECTIONAL FORMATTING"},
		{0x202D, "LEFT-TO-RIGHT OVERRIDE"}, {0x202E, "RIGHT-TO-LEFT OVERRIDE"},
		{0x2060, "WORD JOINER"}, {0x2066, "LEFT-TO-RIGHT ISOLATE"},
		{0x2067, "RIGHT-TO-LEFT ISOLATE"}, {0x2068, "FIRST STRONG ISOLATE"},
		{0x2069, "POP DIRECTIONAL ISOLATE"}, {0xFEFF, "ZERO WIDTH NO-BREAK SPACE (BOM)"},
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (names[i].cp == cp)
			return names[i].name;
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return "control character";
	if ((cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF))
		return "VARIATION SELECTOR";
	if (cp >= 0xE0000 && cp <= 0xE007F)
		return "TAG character";
	return NULL;
}

uint32_t ev_fold_quick_any(uint32_t cp)
{
	/* The fold of these is their lower case, one code point that is
	 * itself NFC-inert, so nothing composes across it (test-text checks
	 * both against utf8proc for each). */
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z' ? cp + 0x20 : cp;
	if (!ev_nfc_inert(cp) || !((cp >= 0x400 && cp <= 0x52F) ||
	                           (cp >= 0x2010 && cp <= 0x2027)))
		return EV_FOLD_SLOW;
	return (uint32_t)utf8proc_tolower((utf8proc_int32_t)cp);
}

/* The key of ev_text_key when every character folds quickly: in buf when
 * it holds strlen(s) + 1 bytes, else malloc'd; *slow when a character
 * does not (then NULL). */
static char *text_key_quick(const char *s, char *buf, size_t cap, bool *slow)
{
	size_t n = strlen(s), o = 0;
	char *out = n < cap ? buf : malloc(n + 1);
	*slow = false;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = ev_utf8_decode(s + i, n - i, &cp);
		uint32_t f = k ? ev_fold_quick(cp) : EV_FOLD_SLOW;
		if (f == EV_FOLD_SLOW) {
			if (out != buf)
				free(out);
			*slow = true;
			return NULL;
		}
		i += k;
		if (!(ev_is_space(f) || ev_is_invisible(f) || f == '_' || f == '-'))
			o += ev_utf8_encode(f, out + o);   /* never longer than cp's */
	}
	out[o] = '\0';
	return out;
}

char *ev_text_key(const char *s)
{
	return ev_text_key_in(s, NULL, 0);
}

char *ev_text_key_in(const char *s, char *buf, size_t cap)
{
	bool slow;
	char *quick = text_key_quick(s, buf, cap, &slow);
	if (!slow)
		return quick;
	utf8proc_uint8_t *folded = NULL;
	utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)s, 0, &folded,
	                                  UTF8PROC_NULLTERM | UTF8PROC_STABLE |
	                                  UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
	if (r < 0)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < (size_t)r;) {
		uint32_t cp;
		size_t k = ev_utf8_decode((const char *)folded + i, (size_t)r - i, &cp);
		if (!k)
			break;
		if (!(ev_is_space(cp) || ev_is_invisible(cp) || cp == '_' || cp == '-')) {
			memmove(folded + o, folded + i, k);
			o += k;
		}
		i += k;
	}
	folded[o] = '\0';
	return (char *)folded;
}

uint64_t ev_hash(const void *p, size_t n, uint64_t h)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3u;
	return h;
}

size_t ev_text_distance(const char *a, const char *b)
{
	/* Levenshtein over bytes; names are short. */
	enum { MAX = 64 };
	size_t n = strlen(a), m = strlen(b);
	if (n > MAX || m > MAX)
		return (size_t)-1;
	size_t row[MAX + 1];
	for (size_t j = 0; j <= m; j++)
		row[j] = j;
	for (size_t i = 1; i <= n; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[m];
}

const char *ev_plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

void ev_did_you_mean(ev_buf *hint, const char *name, const char *const *names,
                     size_t n)
{
	size_t shown = 0, len = strlen(name);
	size_t limit = len < 5 ? 1 : len < 10 ? 2 : 3;
	for (size_t j = 0; j < n && shown < 3; j++)
		if (ev_text_distance(name, names[j]) <= limit)
			ev_buf_printf(hint, "%s'%s'", shown++ ? " or " : "; did you mean ",
			              names[j]);
}
