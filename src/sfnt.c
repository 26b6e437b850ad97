/* sfnt.c - the components of composite glyphs, at every depth, read from a
 * TrueType file's head, maxp, loca and glyf tables (see sfnt.h). Every
 * offset is checked against the file: a font is configuration, but a
 * broken one must not crash the run. */
#include "sfnt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 16

/* Composite glyph flags (OpenType 'glyf'). */
#define ARG_1_AND_2_ARE_WORDS 0x0001
#define WE_HAVE_A_SCALE 0x0008
#define MORE_COMPONENTS 0x0020
#define WE_HAVE_AN_X_AND_Y_SCALE 0x0040
#define WE_HAVE_A_TWO_BY_TWO 0x0080

typedef struct font {
	const unsigned char *glyf, *loca;
	size_t glyf_len;
	unsigned num_glyphs;
	int long_loca;
} font;

static unsigned be16(const unsigned char *b)
{
	return (unsigned)b[0] << 8 | b[1];
}

static uint32_t be32(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8
	       | b[3];
}

/* The table `tag` of the file, or NULL when absent or out of bounds. */
static const unsigned char *table(const unsigned char *f, size_t len,
                                  const char *tag, size_t *tlen)
{
	if (len < 12)
		return NULL;
	unsigned ntables = be16(f + 4);
	for (unsigned i = 0; i < ntables && 12 + 16 * (size_t)(i + 1) <= len; i++) {
		const unsigned char *r = f + 12 + 16 * (size_t)i;
		uint32_t off = be32(r + 8), n = be32(r + 12);
		if (memcmp(r, tag, 4))
			continue;
		if (off > len || n > len - off)
			return NULL;
		*tlen = n;
		return f + off;
	}
	return NULL;
}

/* Where glyph g's outline lies in glyf; 0 length for an empty glyph. */
static int glyph_span(const font *F, unsigned g, size_t *start, size_t *n)
{
	uint32_t a, b;
	if (F->long_loca) {
		a = be32(F->loca + 4 * (size_t)g);
		b = be32(F->loca + 4 * (size_t)g + 4);
	} else {
		a = 2 * (uint32_t)be16(F->loca + 2 * (size_t)g);
		b = 2 * (uint32_t)be16(F->loca + 2 * (size_t)g + 2);
	}
	if (b < a || b > F->glyf_len)
		return -1;
	*start = a;
	*n = b - a;
	return 0;
}

/* Call `each` for each direct component of glyph g (none for a simple or
 * empty glyph). Returns -1 when the glyph's data runs past its end. */
static int components(const font *F, unsigned g,
                      int (*each)(void *ctx, unsigned comp), void *ctx)
{
	size_t at, n;
	if (glyph_span(F, g, &at, &n) < 0)
		return -1;
	if (n < 10 || (int16_t)be16(F->glyf + at) >= 0)
		return 0;
	size_t q = at + 10, end = at + n;
	unsigned flags;
	do {
		if (end - q < 4)
			return -1;
		flags = be16(F->glyf + q);
		unsigned comp = be16(F->glyf + q + 2);
		q += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
		if (flags & WE_HAVE_A_SCALE)
			q += 2;
		else if (flags & WE_HAVE_AN_X_AND_Y_SCALE)
			q += 4;
		else if (flags & WE_HAVE_A_TWO_BY_TWO)
			q += 8;
		if (q > end || comp >= F->num_glyphs)
			return -1;
		if (each(ctx, comp) < 0)
			return -1;
	} while (flags & MORE_COMPONENTS);
	return 0;
}

/* A glyph's components at every depth, collected without repeats. */
typedef struct walk {
	const font *F;
	unsigned char *seen;   /* per glyph; cleared after each glyph */
	uint16_t *found;       /* num_glyphs entries */
	size_t nfound;
	int depth, nested;     /* nested: a component is composite */
} walk;

static int visit(void *ctx, unsigned comp)
{
	walk *w = ctx;
	if (w->depth > 1)
		w->nested = 1;
	if (w->seen[comp] || w->depth >= MAX_DEPTH)
		return 0;
	w->seen[comp] = 1;
	w->found[w->nfound++] = (uint16_t)comp;
	w->depth++;
	int rc = components(w->F, comp, visit, w);
	w->depth--;
	return rc;
}

static int add_entry(ev_glyph_deps *d, unsigned g, const walk *w,
                     size_t *cap_glyph, size_t *cap_comp)
{
	size_t used = d->n ? d->first[d->n] : 0;
	if (d->n + 2 > *cap_glyph) {
		size_t cap = *cap_glyph ? *cap_glyph * 2 : 64;
		uint16_t *gv = realloc(d->glyph, cap * sizeof *gv);
		if (gv)
			d->glyph = gv;
		size_t *fv = realloc(d->first, cap * sizeof *fv);
		if (fv)
			d->first = fv;
		if (!gv || !fv)
			return -1;
		*cap_glyph = cap;
	}
	if (used + w->nfound > *cap_comp) {
		size_t cap = *cap_comp ? *cap_comp * 2 : 256;
		while (cap < used + w->nfound)
			cap *= 2;
		uint16_t *cv = realloc(d->comp, cap * sizeof *cv);
		if (!cv)
			return -1;
		d->comp = cv;
		*cap_comp = cap;
	}
	if (!d->n)
		d->first[0] = 0;
	memcpy(d->comp + used, w->found, w->nfound * sizeof *w->found);
	d->glyph[d->n] = (uint16_t)g;
	d->first[++d->n] = used + w->nfound;
	return 0;
}

int ev_glyph_deps_read(const unsigned char *f, size_t len, ev_glyph_deps *out,
                       char *why, size_t n)
{
	memset(out, 0, sizeof *out);
	size_t head_len = 0, maxp_len = 0, loca_len = 0;
	const unsigned char *head = table(f, len, "head", &head_len);
	const unsigned char *maxp = table(f, len, "maxp", &maxp_len);
	font F = {0};
	F.loca = table(f, len, "loca", &loca_len);
	F.glyf = table(f, len, "glyf", &F.glyf_len);
	if (!head || head_len < 54 || !maxp || maxp_len < 6 || !F.loca || !F.glyf) {
		snprintf(why, n, "corrupt font file: a head, maxp, loca or glyf table "
		         "is missing or cut short");
		return -1;
	}
	F.num_glyphs = be16(maxp + 4);
	F.long_loca = be16(head + 50) != 0;
	if (loca_len < ((size_t)F.num_glyphs + 1) * (F.long_loca ? 4 : 2)) {
		snprintf(why, n, "corrupt font file: the loca table is shorter than "
		         "the glyph count");
		return -1;
	}
	out->num_glyphs = F.num_glyphs;
	walk w = {.F = &F, .seen = calloc(F.num_glyphs ? F.num_glyphs : 1, 1),
	          .found = malloc((F.num_glyphs ? F.num_glyphs : 1) * sizeof *w.found)};
	size_t cap_glyph = 0, cap_comp = 0;
	int rc = w.seen && w.found ? 0 : -1;
	if (rc < 0)
		snprintf(why, n, "out of memory reading the font");
	for (unsigned g = 0; rc == 0 && g < F.num_glyphs; g++) {
		w.nfound = 0;
		w.nested = 0;
		w.depth = 1;
		if (components(&F, g, visit, &w) < 0) {
			snprintf(why, n, "corrupt font file: glyph %u's outline lies "
			         "outside the glyf table", g);
			rc = -1;
		} else if (w.nested && add_entry(out, g, &w, &cap_glyph, &cap_comp) < 0) {
			snprintf(why, n, "out of memory reading the font");
			rc = -1;
		}
		for (size_t i = 0; i < w.nfound; i++)
			w.seen[w.found[i]] = 0;
	}
	free(w.seen);
	free(w.found);
	return rc;
}

void ev_glyph_deps_free(ev_glyph_deps *d)
{
	if (!d)
		return;
	free(d->glyph);
	free(d->first);
	free(d->comp);
	memset(d, 0, sizeof *d);
}
