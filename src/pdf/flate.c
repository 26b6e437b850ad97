/* flate.c - deflating PDF streams with libdeflate (see flate.h). */
#include "flate.h"

#include <libdeflate.h>

/* Level 6 makes this content as small as zlib's 6 does and is about as
 * fast as zlib's 1 (measured on the sample's letters); 12 is libdeflate's
 * slowest and smallest, paid once per batch. */
static const int levels[EV_FLATE_LEVELS] = {6, 12};

size_t ev_deflate(ev_flate *f, ev_flate_level level, const void *in, size_t n,
                ev_buf *out)
{
	if (!f->c[level] && !(f->c[level] = libdeflate_alloc_compressor(levels[level])))
		return 0;
	size_t bound = libdeflate_zlib_compress_bound(f->c[level], n);
	size_t start = out->len;
	if (ev_buf_reserve(out, bound) < 0)
		return 0;
	size_t k = libdeflate_zlib_compress(f->c[level], in, n, out->data + start, bound);
	if (!k)
		return 0;
	out->len = start + k;
	out->data[out->len] = '\0';
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
