/* text.h - UTF-8 helpers over utf8proc: validation, NFC, trimming, decoding. */
#ifndef EV_TEXT_H
#define EV_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decode one code point at s (n bytes available). Returns its byte length
 * (1-4) and stores it in *cp, or returns 0 for an invalid/overlong/truncated
 * sequence or a surrogate. */
size_t ev_utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Encode cp into out (>= 4 bytes). Returns the byte length, 0 if invalid. */
size_t ev_utf8_encode(uint32_t cp, char *out);

/* Byte offset of the first invalid sequence, or (size_t)-1 if s is valid. */
size_t ev_utf8_invalid_at(const char *s, size_t n);

/* Number of code points in valid UTF-8. */
size_t ev_utf8_count(const char *s, size_t n);

/* NFC-normalise, trim, collapse runs of white space (incl. NBSP, tabs,
 * line breaks) into one space, and drop zero-width characters. Returns a
 * malloc'd string, or NULL when s is not valid UTF-8 or memory ran out. */
char *ev_text_clean(const char *s, size_t n);

/* True when the string is empty or only white space. */
bool ev_text_blank(const char *s);

/* Case-insensitive, space/underscore/hyphen-insensitive comparison key for
 * header names ("Given name" == "given_name"). malloc'd; NULL on error. */
char *ev_text_key(const char *s);

#endif
