/* flate.c - deflating PDF streams with libdeflate (see flate.h). */
#include "flate.h"

#include <libdeflate.h>
#include <stdlib.h>
#include <zlib.h>

#include "timings.h"

/* Level 6 makes this content as small as zlib's 6 does and is about as
 * fast as zlib's 1 (measured on the sample's letters); 12 is libdeflate's
 * slowest and smallest, paid once per batch; 1 about twice as fast as 6
 * for 1-3 % more. */
static const int levels[EV_FLATE_LEVELS] = {6, 12, 1};

/* in[0..n) deflated at level into out: a zlib stream, or a raw one. */
static size_t run(ev_flate *f, ev_flate_level level, bool raw, const void *in, size_t n,
                  ev_buf *out)
{
	if (!f->c[level] && !(f->c[level] = libdeflate_alloc_compressor(levels[level])))
		return 0;
	size_t bound = raw ? libdeflate_deflate_compress_bound(f->c[level], n)
	                   : libdeflate_zlib_compress_bound(f->c[level], n);
	size_t start = out->len;
	if (ev_buf_reserve(out, bound) < 0)
		return 0;
	uint64_t t = ev_timing_start();
	size_t k = raw ? libdeflate_deflate_compress(f->c[level], in, n, out->data + start, bound)
	               : libdeflate_zlib_compress(f->c[level], in, n, out->data + start, bound);
	ev_timing_add(EV_PHASE_DEFLATE, t);
	if (!k)
		return 0;
	out->len = start + k;
	out->data[out->len] = '\0';
	return k;
}

size_t ev_deflate(ev_flate *f, ev_flate_level level, const void *in, size_t n,
                  ev_buf *out)
{
	return run(f, level, false, in, n, out);
}

/* Deflate in[0..n) through z (raw, reset) with flush, appending to out. */
static size_t run_zlib(z_stream *z, const void *in, size_t n, int flush, ev_buf *out)
{
	uLong bound = deflateBound(z, (uLong)n) + 16;
	size_t start = out->len;
	if (ev_buf_reserve(out, bound) < 0 || deflateReset(z) != Z_OK)
		return 0;
	z->next_in = (Bytef *)in;
	z->avail_in = (uInt)n;
	z->next_out = (Bytef *)out->data + start;
	z->avail_out = (uInt)bound;
	int rc = deflate(z, flush);
	if (z->avail_in || (flush == Z_FINISH ? rc != Z_STREAM_END : rc != Z_OK))
		return 0;
	out->len = start + (bound - z->avail_out);
	out->data[out->len] = '\0';
	return out->len - start;
}

size_t ev_deflate_last_piece(ev_flate *f, const void *in, size_t n, ev_buf *out)
{
	/* libdeflate's raw stream is one: it starts on a byte and its last
	 * block is final. */
	return run(f, EV_FLATE_FAST, true, in, n, out);
}

size_t ev_deflate_piece(const void *in, size_t n, ev_buf *out)
{
	z_stream z = {0};
	if (deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		return 0;
	size_t k = run_zlib(&z, in, n, Z_SYNC_FLUSH, out);
	deflateEnd(&z);
	return k;
}

void ev_flate_free(ev_flate *f)
{

	for (int i = 0; i < EV_FLATE_LEVELS; i++) {
		if (f->c[i])
			libdeflate_free_compressor(f->c[i]);
		f->c[i] = NULL;
	}
}
