/* text.c - UTF-8 helpers (see text.h). Validation is our own strict decoder
 * (it must agree byte-for-byte with what we report to the user); Unicode
 * normalisation and case folding are utf8proc's. */
#include "text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

size_t ev_utf8_decode(const char *str, size_t n, uint32_t *cp)
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

size_t ev_utf8_count(const char *s, size_t n)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	return count;
}

static int is_space(uint32_t cp)
{
	switch (cp) {
	case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x20:
	case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
	case 0x202F: case 0x205F: case 0x3000:
		return 1;
	default:
		return cp >= 0x2000 && cp <= 0x200A;
	}
}

static int is_invisible(uint32_t cp)
{
	/* zero-width space/joiners, word joiner, BOM, soft hyphen */
	return cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 ||
	       cp == 0xFEFF || cp == 0xAD;
}

char *ev_text_clean(const char *s, size_t n)
{
	if (ev_utf8_invalid_at(s, n) != (size_t)-1)
		return NULL;
	/* utf8proc wants NUL-terminated or sized input; NUL bytes are control
	 * characters we do not keep, so give it the sized form. */
	utf8proc_uint8_t *nfc = NULL;
	utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)s,
	                                  (utf8proc_ssize_t)n, &nfc,
	                                  UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (r < 0)
		return NULL;
	size_t len = (size_t)r;
	char *out = malloc(len + 1);
	if (!out) {
		free(nfc);
		return NULL;
	}
	/* Collapse white space, drop invisible and control characters, trim. */
	size_t o = 0;
	int pending_space = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = ev_utf8_decode((const char *)nfc + i, len - i, &cp);
		if (!k) {  /* cannot happen after utf8proc; be safe */
			free(nfc);
			free(out);
			return NULL;
		}
		if (is_space(cp)) {
			pending_space = o > 0;
		} else if (is_invisible(cp) || cp < 0x20 || cp == 0x7F ||
		           (cp >= 0x80 && cp < 0xA0)) {
			/* dropped */
		} else {
			if (pending_space)
				out[o++] = ' ';
			pending_space = 0;
			memcpy(out + o, nfc + i, k);
			o += k;
		}
		i += k;
	}
	out[o] = '\0';
	free(nfc);
	return out;
}

bool ev_text_blank(const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = ev_utf8_decode(s + i, n - i, &cp);
		if (!k)
			return false;
		if (!is_space(cp) && !is_invisible(cp))
			return false;
		i += k;
	}
	return true;
}

char *ev_text_key(const char *s)
{
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
		if (!(is_space(cp) || is_invisible(cp) || cp == '_' || cp == '-')) {
			memmove(folded + o, folded + i, k);
			o += k;
		}
		i += k;
	}
	folded[o] = '\0';
	return (char *)folded;
}
