/* sparse.h - a letter's own copy of the batch's font subset: the same
 * glyph IDs (so the content drawn with the batch's subset draws the same
 * with it), but the outlines of only the glyphs the letter draws; the
 * others are empty. The batch's subset holds every glyph any letter
 * draws; a letter draws about two thirds of them, and its file is
 * smaller by the rest. Pure: bytes in, bytes out. */
#ifndef EV_SPARSE_H
#define EV_SPARSE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "flate.h"
#include "font.h"

typedef struct ev_sparse_table {
	const unsigned char *p;
	size_t len;
} ev_sparse_table;

/* A TrueType subset (head, hhea, maxp, hmtx, loca, glyf), read once. */
typedef struct ev_sparse {
	ev_sparse_table head, hhea, maxp, hmtx, glyf;
	uint32_t *off;         /* nglyphs + 1 offsets of the outlines in glyf */
	uint16_t *comp;        /* the components of composite glyphs */
	uint32_t *comp_at;     /* glyph g's are comp[comp_at[g]..comp_at[g+1]) */
	size_t nglyphs;
	/* What every letter's copy holds, deflated once (ev_sparse_fix): the
	 * metrics and the outlines of glyphs 0..nfirst-1 (the template's: they
	 * come first), as a piece of a deflate stream. */
	size_t nfirst;
	ev_buf fixed;
	size_t fixed_len;      /* its length before deflating */
	uint32_t fixed_adler, hmtx_sum, first_sum;
} ev_sparse;

/* Read the font file ttf[0..len), which must stay valid and unchanged
 * while s is used. Returns 0, or -1 when it is not a TrueType font of
 * those tables or memory ran out (s is then empty). */
int ev_sparse_init(ev_sparse *s, const void *ttf, size_t len);
void ev_sparse_free(ev_sparse *s);   /* accepts one never read */

/* Put the glyphs first[g] marks (first has sub->nnew entries), glyph 0
 * and their components first in sub's font, the others after them, each
 * group in its order; hmtx written in full, loca long, the first group's
 * outlines padded to 4 bytes. sub's glyph map, characters and widths
 * follow. *nfirst: how many come first. Returns 0, or -1 when the subset
 * cannot be read or memory ran out (sub is then unchanged). */
int ev_sparse_reorder(ev_subset *sub, unsigned char *first, size_t *nfirst);

/* Deflate once what every letter's copy of s holds: s's metrics and the
 * outlines of its first nfirst glyphs (a font ev_sparse_reorder made).
 * Returns 0, or -1 when out of memory. */
int ev_sparse_fix(ev_sparse *s, size_t nfirst);

/* A letter's copy of the font, deflated (a zlib stream, for FontFile2):
 * the first glyphs (ev_sparse_fix) and those keep marks (and their
 * components: keep gains them), appended to out, its length before
 * deflating in *length1; tmp is the caller's buffer. The fixed part is
 * copied as it was deflated; only the rest is deflated here. Returns 0,
 * or -1 when out of memory or out is full. */
int ev_sparse_deflate(const ev_sparse *s, unsigned char *keep, ev_flate *f,
                      ev_buf *tmp, ev_buf *out, size_t *length1);

#endif
