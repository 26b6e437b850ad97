/* encoding.h - turning a recipient list's bytes into UTF-8 before the CSV
 * reader sees them: byte-order marks, UTF-8, UTF-16 and the Cyrillic code
 * pages Excel and older tools save in (Windows-1251, KOI8-R, CP866).
 * Pure: bytes in, text out; conversions are glibc iconv's.
 */
#ifndef EV_ENCODING_H
#define EV_ENCODING_H

#include <stdbool.h>
#include <stddef.h>
#include "diag.h"

typedef enum {
	EV_ENC_AUTO = 0, EV_ENC_UTF8, EV_ENC_UTF16LE, EV_ENC_UTF16BE,
	EV_ENC_CP1251, EV_ENC_KOI8R, EV_ENC_CP866
} ev_encoding;

/* The name people know: "UTF-8", "UTF-16LE", "UTF-16BE", "Windows-1251",
 * "KOI8-R", "CP866"; "auto" for EV_ENC_AUTO. A static string. */
const char *ev_encoding_name(ev_encoding e);

/* A --encoding value, ignoring case: utf8 utf-8 utf-16le utf16le utf-16be
 * utf16be cp1251 windows-1251 win1251 1251 koi8-r koi8r cp866 ibm866 866 dos
 * auto. Returns 0 with *out set, or -1 for anything else (*out unchanged). */
int ev_encoding_parse(const char *s, ev_encoding *out);

typedef struct ev_decoded {
	const char *text;     /* malloc'd, NUL-terminated, BOM removed; UTF-8
	                         (bytes of a UTF-8 file pass unchanged, so invalid
	                         sequences in it stay for the CSV reader to
	                         reject row by row) */
	size_t len;           /* bytes of text, without the NUL */
	ev_encoding encoding; /* the one used, never EV_ENC_AUTO */
	bool bom;             /* the input started with a byte-order mark */
	bool borrowed;        /* text points into the input (ev_decode_borrow) */
	char how[160];        /* why that encoding: "byte-order mark", "valid
	                         UTF-8", "given with --encoding", "letter
	                         frequencies: Windows-1251 fits best (then KOI8-R)" */
} ev_decoded;

/* Output above this many bytes makes the file unusable (input at the edge is
 * capped lower; this keeps every size computation far from overflow). */
#define EV_DECODE_MAX_OUT ((size_t)1 << 30)

/* Decode `data` (len bytes) as `want`, or detect the encoding when want is
 * EV_ENC_AUTO. Returns 0 with *out filled (the caller frees it with
 * ev_decoded_free), or -1 when the file cannot be used: *out is then zeroed
 * and d holds exactly one error naming `file`, the line and the column
 * (1-based, the column in characters of the text decoded so far; line ends
 * are LF, CRLF or a bare CR) and what to do about it. Running out of memory
 * is such an error ("out of memory ...", line 0). Linear in len. */
int ev_decode(const char *data, size_t len, ev_encoding want, const char *file,
              ev_decoded *out, ev_diags *d);

/* The same, but text that is UTF-8 already is not copied: out->text then
 * points into data after any byte-order mark, is not NUL-terminated, lives
 * as long as data, and out->borrowed is set. For a list mapped from its
 * file, so a large list is not held in memory twice. */
int ev_decode_borrow(const char *data, size_t len, ev_encoding want,
                     const char *file, ev_decoded *out, ev_diags *d);

/* Free the text (unless borrowed) and zero *x; accepts NULL and a zeroed
 * struct. */
void ev_decoded_free(ev_decoded *x);

#endif
