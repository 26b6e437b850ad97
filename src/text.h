/* text.h - UTF-8 helpers over utf8proc: validation, NFC, trimming, decoding. */
#ifndef EV_TEXT_H
#define EV_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decode one code point at s (n bytes available). Returns its byte length
 * (1-4) and stores it in *cp, or returns 0 for an invalid/overlong/truncated
 * sequence or a surrogate. Inline for ASCII and two-byte sequences (Latin,
 * Cyrillic), which is most of what envoi reads: every layer decodes. */
size_t ev_utf8_decode_any(const char *s, size_t n, uint32_t *cp);

static inline size_t ev_utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	if (n && s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (n >= 2 && s[0] >= 0xC2 && s[0] <= 0xDF && (s[1] & 0xC0) == 0x80) {
		*cp = (uint32_t)(s[0] & 0x1F) << 6 | (uint32_t)(s[1] & 0x3F);
		return 2;
	}
	return ev_utf8_decode_any(str, n, cp);
}

/* The code point at s + *i (n bytes in all), moving *i past it; a byte that
 * starts no valid sequence reads as U+FFFD and is stepped over alone. For
 * loops over text that may hold invalid UTF-8. *i must be below n. */
uint32_t ev_utf8_next(const char *s, size_t n, size_t *i);

/* Encode cp into out (>= 4 bytes). Returns the byte length, 0 if invalid. */
size_t ev_utf8_encode(uint32_t cp, char *out);

/* Byte offset of the first invalid sequence, or (size_t)-1 if s is valid. */
size_t ev_utf8_invalid_at(const char *s, size_t n);

/* s[0..n) appended to out as text: each NUL byte, and each byte that
 * starts no valid sequence, as U+FFFD (ev_utf8_next's reading), so a line
 * with a stray NUL or Latin-1 byte keeps all of its other characters; out
 * stays NUL-terminated. Returns how many bytes were replaced (0: s was
 * valid text without a NUL). */
struct ev_buf;
size_t ev_utf8_repair(const char *s, size_t n, struct ev_buf *out);

/* Number of code points in valid UTF-8. */
size_t ev_utf8_count(const char *s, size_t n);

/* The byte length of the first `chars` characters of the NUL-terminated s
 * (all of s when it is shorter): where to cut a value quoted in a message,
 * between characters, never inside one ("%.*s" with it). */
size_t ev_utf8_prefix(const char *s, size_t chars);

/* How many characters of a value (an address line, a cell) a message
 * quotes; "..." says there was more. */
#define EV_QUOTED 60

/* White space (incl. NBSP, tabs, line breaks, the Unicode spaces). */
static inline bool ev_is_space(uint32_t cp)
{
	switch (cp) {
	case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x20:
	case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
	case 0x202F: case 0x205F: case 0x3000:
		return true;
	default:
		return cp >= 0x2000 && cp <= 0x200A;
	}
}

/* Characters that print as nothing or steer how text is shown, and are
 * removed from a value: the format characters (Unicode category Cf: the
 * bidirectional controls U+200E/F, U+202A-U+202E, U+2066-U+2069, U+061C;
 * zero-width space and joiners, word joiner, BOM, soft hyphen, ...), every
 * other Default_Ignorable_Code_Point (variation selectors, Hangul fillers,
 * ...) and the control characters (Cc) that are not white space. */
bool ev_is_invisible_any(uint32_t cp);

static inline bool ev_is_invisible(uint32_t cp)
{
	/* Below U+0600 (ASCII, Latin, Greek, Cyrillic) only the controls,
	 * U+00AD SOFT HYPHEN and U+034F COMBINING GRAPHEME JOINER are
	 * invisible: the PDF writer asks this of every character it measures
	 * and draws, so the property lookup is worth skipping there
	 * (tests/unit/test-text.c checks this against utf8proc for every code
	 * point). */
	if (cp < 0x600) {
		if (cp < 0x20)
			return cp < 0x09 || cp > 0x0D;     /* not tab, line ends */
		if (cp >= 0x7F && cp < 0xA0)
			return cp != 0x85;                 /* NEXT LINE is a space */
		return cp == 0xAD || cp == 0x34F;
	}
	return ev_is_invisible_any(cp);
}

/* Letters and marks: Unicode categories L* and M* (utf8proc's, with a fast
 * path for Latin and Cyrillic, inline: the normaliser and the
 * transliterator ask this of every character of every value; checked
 * against utf8proc by tests/unit/test-text.c). */
bool ev_is_letter_any(uint32_t cp);

static inline bool ev_is_letter(uint32_t cp)
{
	if (cp < 0x80)
		return (cp | 0x20) - 'a' < 26;
	if (cp >= 0x400 && cp <= 0x52F)
		return cp != 0x482;   /* CYRILLIC THOUSANDS SIGN */
	if (cp >= 0xC0 && cp <= 0x24F)
		return cp != 0xD7 && cp != 0xF7;
	return ev_is_letter_any(cp);
}

/* utf8proc_tolower and utf8proc_toupper, with a fast path for ASCII and
 * the Russian, Belarusian and Ukrainian letters (U+0400-U+045F). */
uint32_t ev_lower_any(uint32_t cp);
uint32_t ev_upper_any(uint32_t cp);

static inline uint32_t ev_lower(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z' ? cp + 0x20 : cp;
	if (cp >= 0x400 && cp < 0x460)
		return cp < 0x410 ? cp + 0x50 : cp < 0x430 ? cp + 0x20 : cp;
	return ev_lower_any(cp);
}

static inline uint32_t ev_upper(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= 'a' && cp <= 'z' ? cp - 0x20 : cp;
	if (cp >= 0x400 && cp < 0x460)
		return cp >= 0x450 ? cp - 0x50 : cp >= 0x430 ? cp - 0x20 : cp;
	return ev_upper_any(cp);
}

/* Code points NFC leaves as they are whatever stands around them: ASCII,
 * Latin-1 and Latin Extended-A/B, Cyrillic but its combining marks, and
 * the dashes and quotation marks U+2010-U+2027. A string of these alone is
 * in NFC, so utf8proc need not be asked. A subset; false says nothing. */
static inline bool ev_nfc_inert(uint32_t cp)
{
	/* Neither changed by NFC on its own, nor of a combining class, nor
	 * the second part of any canonical decomposition, so nothing composes
	 * with it (test-text checks each of these against utf8proc). */
	return cp < 0x300 || (cp >= 0x400 && cp <= 0x482) ||
	       (cp >= 0x48A && cp <= 0x52F) || (cp >= 0x2010 && cp <= 0x2027);
}

/* Byte offset of the first invisible character (ev_is_invisible) in n
 * bytes of UTF-8, tabs and line breaks aside, with it in *cp; (size_t)-1
 * when there is none (or at the first invalid byte). */
size_t ev_invisible_at(const char *s, size_t n, uint32_t *cp);

/* The name of a common invisible character ("RIGHT-TO-LEFT OVERRIDE"), for
 * messages, or NULL. Static storage. */
const char *ev_invisible_name(uint32_t cp);

/* Case-insensitive, space/underscore/hyphen-insensitive comparison key for
 * header names ("Given name" == "given_name"). malloc'd; NULL on error. */
char *ev_text_key(const char *s);

/* The same into buf (cap bytes) when it fits there, else malloc'd: the
 * caller frees the result when it is not buf. For keys made once a row. */
char *ev_text_key_in(const char *s, char *buf, size_t cap);

/* The case fold of cp as utf8proc's NFC + UTF8PROC_CASEFOLD gives it in
 * any string, when that is one code point found cheaply (ASCII, Cyrillic,
 * U+2010-U+2027); else EV_FOLD_SLOW: ask utf8proc for the whole string. */
#define EV_FOLD_SLOW UINT32_MAX
uint32_t ev_fold_quick_any(uint32_t cp);

static inline uint32_t ev_fold_quick(uint32_t cp)
{
	if (cp < 0x80 || (cp >= 0x400 && cp < 0x460))
		return ev_lower(cp);   /* fold is lower case there (test-text) */
	return ev_fold_quick_any(cp);
}

/* FNV-1a (64 bit) of n bytes, continuing from h: pass EV_HASH_START for a
 * fresh hash. For hash tables and tags; not for anything secret. */
#define EV_HASH_START 0xcbf29ce484222325u
uint64_t ev_hash(const void *p, size_t n, uint64_t h);

/* Edit distance between two short strings (bytes); (size_t)-1 when either
 * is over 64 bytes. */
size_t ev_text_distance(const char *a, const char *b);

/* The words after a count of n in a message people read: one when n is 1,
 * else many ("1 sheet", "2 sheets"; "1 was a duplicate", "2 were
 * duplicates"). Returns one of the two. */
const char *ev_plural(size_t n, const char *one, const char *many);

/* Append "; did you mean 'x' or 'y'" to hint for the names close to name
 * (at most three); appends nothing when none is close. */
struct ev_buf;
void ev_did_you_mean(struct ev_buf *hint, const char *name,
                     const char *const *names, size_t n);

#endif
