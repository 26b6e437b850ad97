/* flate.h - deflating PDF streams (FlateDecode: the zlib format) with
 * libdeflate, which does in one call what zlib does in a stream, two to
 * three times as fast at the same size. One ev_flate per thread: its
 * compressors are made on first use and reused for every stream. */
#ifndef EV_FLATE_H
#define EV_FLATE_H

#include <stddef.h>

#include "buf.h"

/* FAST for what every letter writes anew (its own page content, its
 * object stream); BEST (libdeflate's level 12) for what is written once
 * and copied into many files (ToUnicode, the letters' shared page
 * content); QUICK for the documents printed once (label sheets, proof
 * sheets, the posting list, the print files' whole font subsets), where a
 * few per cent of size matter less than the main thread's time. */
typedef enum { EV_FLATE_FAST, EV_FLATE_BEST, EV_FLATE_QUICK, EV_FLATE_LEVELS } ev_flate_level;

typedef struct ev_flate {
	struct libdeflate_compressor *c[EV_FLATE_LEVELS];
} ev_flate;

/* Deflate n bytes at in, appending them to out in the zlib format. Returns
 * the number of bytes appended, or 0 when out of memory or out is full
 * (out is then as it was). A zeroed ev_flate is ready; free it with
 * ev_flate_free (accepts one never used). */
size_t ev_deflate(ev_flate *f, ev_flate_level level, const void *in, size_t n,
                ev_buf *out);
void ev_flate_free(ev_flate *f);

/* n bytes at in deflated as the last piece of a raw deflate stream (no
 * header, no checksum: the caller puts it after pieces of its own, which
 * end on a byte), appended to out; its blocks may only refer back to its
 * own bytes. Returns the bytes appended, or 0 when out of memory. */
size_t ev_deflate_last_piece(ev_flate *f, const void *in, size_t n, ev_buf *out);

/* n bytes at in deflated as a piece of a raw deflate stream that others
 * follow (ending on a byte, no final block: zlib's Z_SYNC_FLUSH, which
 * libdeflate has not), at zlib's best level, into out. Returns the bytes
 * appended, or 0 when out of memory. */
size_t ev_deflate_piece(const void *in, size_t n, ev_buf *out);

#endif
