/* embed.c - the batch's embedded fonts, made once (see embed.h). */
#define _DEFAULT_SOURCE   /* MAP_ANONYMOUS */
#include "embed.h"

#include "flate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <xxhash.h>
#include <zlib.h>

#include "text.h"

#define MAX_CP 0x110000u
#define WORDS (MAX_CP / 32)
/* Words are looked at by blocks of 32 (1,024 code points), a bit each
 * for the blocks in use: the sets are sparse, and a scan of all 139 KB a
 * font would touch every page of it. */
#define BLOCKS (WORDS / 32)
#define BLOCK_WORDS ((BLOCKS + 31) / 32)
/* A ToUnicode CMap may hold at most 100 entries per bfchar block. */
#define BFCHAR_BLOCK 100

/* Shared texts remembered: a letter's template text is the same in every
 * letter, so it is collected once (by its 64-bit hash and length). */
#define SEEN 4096

struct ev_charset {
	uint32_t *bits[EV_EMBED_SLOTS];   /* allocated on first use */
	uint32_t *sbits[EV_EMBED_SLOTS];  /* those drawn by shared items */
	uint32_t used[EV_EMBED_SLOTS][BLOCK_WORDS], sused[EV_EMBED_SLOTS][BLOCK_WORDS];
	uint64_t *seen;                   /* SEEN slots of hash, len; 0 empty */
	size_t nseen;
};

ev_charset *ev_charset_new(void)
{
	return calloc(1, sizeof(ev_charset));
}

/* A set's words, all zero: fresh pages from the system, so only the few
 * the set's blocks fall in are ever touched (calloc would clear all 136
 * KB when it reuses memory). NULL when out of memory. */
static uint32_t *zeroed_words(void)
{
	void *p = mmap(NULL, WORDS * sizeof(uint32_t), PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static void free_words(uint32_t *w)
{
	if (w)
		munmap(w, WORDS * sizeof(uint32_t));
}

void ev_charset_free(ev_charset *cs)
{
	if (!cs)
		return;
	for (int i = 0; i < EV_EMBED_SLOTS; i++) {
		free_words(cs->bits[i]);
		free_words(cs->sbits[i]);
	}
	free(cs->seen);
	free(cs);
}

static int note(ev_charset *cs, int slot, const char *s, size_t len, bool shared)
{
	if (!cs->bits[slot] && !(cs->bits[slot] = zeroed_words()))
		return -1;
	if (shared && !cs->sbits[slot] && !(cs->sbits[slot] = zeroed_words()))
		return -1;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = ev_utf8_decode(s + i, len - i, &cp);
		if (!k)
			return -1;   /* cannot happen: ev_fontset_run gave a font */
		uint32_t block = cp >> 10;
		cs->bits[slot][cp >> 5] |= (uint32_t)1 << (cp & 31);
		cs->used[slot][block >> 5] |= (uint32_t)1 << (block & 31);
		if (shared) {
			cs->sbits[slot][cp >> 5] |= (uint32_t)1 << (cp & 31);
			cs->sused[slot][block >> 5] |= (uint32_t)1 << (block & 31);
		}
		i += k;
	}
	return 0;
}

static int add_text(ev_charset *cs, const ev_fontset *fs, ev_face face,
                    const char *s, size_t len, bool shared, ev_diags *d);

int ev_charset_add_text(ev_charset *cs, const ev_fontset *fs, ev_face face,
                        const char *s, size_t len, ev_diags *d)
{
	return add_text(cs, fs, face, s, len, false, d);
}

/* Whether the shared text (face, s, len) was collected before; noted as
 * collected when not (as long as there is room: forgetting only costs
 * time). */
static bool seen_before(ev_charset *cs, ev_face face, const char *s, size_t len)
{
	if (!cs->seen && !(cs->seen = calloc(2 * SEEN, sizeof *cs->seen)))
		return false;
	uint64_t h = XXH3_64bits_withSeed(s, len, (uint64_t)face) | 1;
	size_t at = (size_t)h & (SEEN - 1);
	for (; cs->seen[2 * at]; at = (at + 1) & (SEEN - 1))
		if (cs->seen[2 * at] == h && cs->seen[2 * at + 1] == len)
			return true;
	if (2 * (cs->nseen + 1) <= SEEN) {
		cs->seen[2 * at] = h;
		cs->seen[2 * at + 1] = len;
		cs->nseen++;
	}
	return false;
}

static int add_text(ev_charset *cs, const ev_fontset *fs, ev_face face,
                    const char *s, size_t len, bool shared, ev_diags *d)
{
	while (len > 0) {
		int which;
		size_t n = ev_fontset_run(fs, face, s, len, &which);
		if (n == 0 || n > len)
			n = len;
		if (which < 0) {
			uint32_t cp = 0xFFFD;
			ev_utf8_decode(s, len, &cp);
			ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "PDF writer: no font "
			            "has the character U+%04X", (unsigned)cp);
			return -1;
		}
		if (note(cs, which * EV_FACE_COUNT + (int)face, s, n, shared) < 0) {
			ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "out of memory");
			return -1;
		}
		s += n;
		len -= n;
	}
	return 0;
}

int ev_charset_add(ev_charset *cs, const ev_fontset *fs, const ev_display *dl,
                   ev_diags *d)
{
	for (size_t p = 0; p < dl->npages; p++)
		for (size_t i = 0; i < dl->pages[p].n; i++) {
			const ev_item *it = &dl->pages[p].items[i];
			if (it->kind != EV_ITEM_TEXT || (unsigned)it->face >= EV_FACE_COUNT ||
			    (it->shared && seen_before(cs, it->face, it->text, it->len)))
				continue;
			if (add_text(cs, fs, it->face, it->text, it->len, it->shared, d) < 0)
				return -1;
		}
	return 0;
}

static int merge_bits(uint32_t **dst, uint32_t (*dused)[BLOCK_WORDS],
                      uint32_t *const *src, const uint32_t (*sused)[BLOCK_WORDS])
{
	for (int s = 0; s < EV_EMBED_SLOTS; s++) {
		if (!src[s])
			continue;
		if (!dst[s] && !(dst[s] = zeroed_words()))
			return -1;
		for (uint32_t b = 0; b < BLOCKS; b++)
			if (sused[s][b >> 5] >> (b & 31) & 1)
				for (uint32_t w = 32 * b; w < 32 * b + 32; w++)
					dst[s][w] |= src[s][w];
		for (size_t k = 0; k < BLOCK_WORDS; k++)
			dused[s][k] |= sused[s][k];
	}
	return 0;
}

int ev_charset_merge(ev_charset *dst, const ev_charset *src)
{
	return merge_bits(dst->bits, dst->used, src->bits, src->used) < 0 ||
	       merge_bits(dst->sbits, dst->sused, src->sbits, src->sused) < 0 ? -1 : 0;
}

/* The code points of a set, in order, into out (when not NULL); how many. */
static size_t code_points(const uint32_t *bits, const uint32_t *used, uint32_t *out)
{
	size_t n = 0;
	for (uint32_t b = 0; bits && b < BLOCKS; b++)
		if (used[b >> 5] >> (b & 31) & 1)
			for (uint32_t w = 32 * b; w < 32 * b + 32; w++)
				for (uint32_t v = bits[w]; v; v &= v - 1) {
					if (out)
						out[n] = w * 32 + (uint32_t)__builtin_ctz(v);
					n++;
				}
	return n;
}

/* ---- one embedded font ---- */

/* Deflated once: at the best level what is copied into every letter (the
 * ToUnicode map), at the quick one the whole subset, which only the print
 * files and label sheets carry (a letter has its own copy, sparse.h). */
static int deflate_buf(ev_flate *f, const void *src, size_t len, ev_flate_level level,
                       ev_buf *out)
{
	return ev_deflate(f, level, src, len, out) ? 0 : -1;
}

/* UTF-16BE of a code point, as 4 or 8 hex digits. */
static void put_utf16(ev_buf *b, uint32_t cp)
{
	if (cp < 0x10000) {
		ev_buf_printf(b, "%04X", (unsigned)cp);
	} else {
		cp -= 0x10000;
		ev_buf_printf(b, "%04X%04X", (unsigned)(0xD800 + (cp >> 10)),
		              (unsigned)(0xDC00 + (cp & 0x3FF)));
	}
}

/* The ToUnicode CMap: each glyph ID (the CID, two bytes) to the character
 * it draws. bfchar, not ranges: Ghostscript 10.0 misreads a range of
 * characters past U+00FF (it keeps their last byte only; ranges would
 * save about 250 bytes a letter). */
static void build_cmap(const ev_subset *s, ev_buf *b)
{
	size_t total = 0, done = 0;
	for (size_t g = 1; g < s->nnew; g++)
		total += s->new_cp[g] != 0;
	ev_buf_puts(b, "/CIDInit /ProcSet findresource begin\n"
	            "12 dict begin\nbegincmap\n"
	            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
	            "/Supplement 0 >> def\n"
	            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
	            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	for (size_t g = 1; g < s->nnew; g++) {
		if (!s->new_cp[g])
			continue;
		if (done % BFCHAR_BLOCK == 0) {
			size_t left = total - done;
			ev_buf_printf(b, "%zu beginbfchar\n",
			              left < BFCHAR_BLOCK ? left : BFCHAR_BLOCK);
		}
		ev_buf_printf(b, "<%04X> <", (unsigned)g);
		put_utf16(b, s->new_cp[g]);
		ev_buf_puts(b, ">\n");
		if (++done % BFCHAR_BLOCK == 0 || done == total)
			ev_buf_puts(b, "endbfchar\n");
	}
	ev_buf_puts(b, "endcmap\nCMapName currentdict /CMap defineresource pop\n"
	            "end\nend\n");
}

/* "[0 [w0 w1 ...]]": every glyph's advance, rounded to 1/1000 em. */
static void build_widths(const ev_subset *s, ev_buf *b)
{
	ev_buf_puts(b, "[0 [");
	for (size_t g = 0; g < s->nnew; g++) {
		double w = s->new_width[g];
		long v = (long)(w >= 0 ? w + 0.5 : w - 0.5);
		ev_buf_printf(b, g ? " %ld" : "%ld", v);
	}
	ev_buf_puts(b, "]]");
}

static int make_one(ev_flate *z, ev_embedded *e, const ev_font *f, const ev_charset *cs,
                    int slot, ev_diags *d)
{
	size_t n = code_points(cs->bits[slot], cs->used[slot], NULL);
	uint32_t *cps = malloc((n ? n : 1) * sizeof *cps);
	if (!cps)
		goto oom;
	code_points(cs->bits[slot], cs->used[slot], cps);
	char why[200];
	if (ev_subset_make(f, cps, n, &e->sub, why, sizeof why) < 0) {
		free(cps);
		ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "cannot subset the font: %s", why);
		return -1;
	}
	free(cps);
	/* The glyphs of the template's own text first: every letter's copy
	 * of the font holds them, deflated once (sparse.h). */
	size_t nfirst = 1;
	unsigned char *first = calloc(e->sub.nnew ? e->sub.nnew : 1, 1);
	if (!first)
		goto oom;
	size_t ns = code_points(cs->sbits[slot], cs->sused[slot], NULL);
	uint32_t *scps = malloc((ns ? ns : 1) * sizeof *scps);
	if (!scps) {
		free(first);
		goto oom;
	}
	code_points(cs->sbits[slot], cs->sused[slot], scps);
	for (size_t i = 0; i < ns; i++) {
		uint32_t old = ev_font_glyph(f, scps[i]);
		if (old < e->sub.nglyphs && e->sub.old_to_new[old] < e->sub.nnew)
			first[e->sub.old_to_new[old]] = 1;
	}
	free(scps);
	int reordered = ev_sparse_reorder(&e->sub, first, &nfirst);
	free(first);
	if (reordered < 0) {
		ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "the font subset cannot be read back");
		return -1;
	}
	e->font = f;
	e->file_len = e->sub.ttf.len;
	ev_font_info_get(f, &e->info);
	snprintf(e->base_font, sizeof e->base_font, "%s+%s", e->sub.tag, e->info.ps_name);
	ev_buf cmap = {0};
	build_cmap(&e->sub, &cmap);
	build_widths(&e->sub, &e->widths);
	int rc = cmap.failed || e->widths.failed ? -1 : 0;
	if (!rc)
		rc = deflate_buf(z, cmap.data, cmap.len, EV_FLATE_BEST, &e->tounicode);
	if (!rc)
		rc = deflate_buf(z, e->sub.ttf.data, e->sub.ttf.len, EV_FLATE_QUICK, &e->file);
	if (!rc && (ev_sparse_init(&e->sparse, e->sub.ttf.data, e->sub.ttf.len) < 0 ||
	            ev_sparse_fix(&e->sparse, nfirst) < 0)) {
		ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "the font subset cannot be read back");
		return -1;
	}
	ev_buf_free(&cmap);
	if (rc < 0)
		goto oom;
	return 0;
oom:
	ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "out of memory making the fonts");
	return -1;
}

int ev_embed_make(ev_embed *e, const ev_fontset *fs, const ev_charset *cs,
                  ev_diags *d)
{
	memset(e, 0, sizeof *e);
	ev_flate z = {0};   /* one set of compressors for every font */
	for (int s = 0; s < EV_EMBED_SLOTS; s++) {
		const ev_font *f = s < EV_FACE_COUNT ? fs->face[s] : fs->fallback[s - EV_FACE_COUNT];
		if (!cs->bits[s] || !f)
			continue;
		e->slot[s] = calloc(1, sizeof *e->slot[s]);
		if (!e->slot[s] || make_one(&z, e->slot[s], f, cs, s, d) < 0) {
			ev_flate_free(&z);
			if (!e->slot[s])
				ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "out of memory");
			return -1;
		}
	}
	ev_flate_free(&z);
	return 0;
}

void ev_embed_free(ev_embed *e)
{
	if (!e)
		return;
	for (int s = 0; s < EV_EMBED_SLOTS; s++) {
		ev_embedded *x = e->slot[s];
		if (!x)
			continue;
		ev_sparse_free(&x->sparse);
		ev_subset_free(&x->sub);
		ev_buf_free(&x->file);
		ev_buf_free(&x->widths);
		ev_buf_free(&x->tounicode);
		free(x);
		e->slot[s] = NULL;
	}
}
