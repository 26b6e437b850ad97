/* font.c - the fonts envoi draws with, through HarfBuzz (see font.h): the
 * face is checked once, its BMP cmap expanded into a dense table, text is
 * shaped with kerning and without ligatures (cached per text), and subsets
 * are made with hb-subset. Pure: works on font bytes the caller holds. */
#include "font.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>

#include "arena.h"
#include "text.h"

/* The shaping cache: texts up to CACHE_MAX_TEXT bytes are kept, at most
 * CACHE_ENTRIES of them and CACHE_BYTES in all; past either cap the cache
 * is emptied and fills again (a batch's vocabulary is small). */
#define CACHE_ENTRIES 4096
#define CACHE_SLOTS (2 * CACHE_ENTRIES)     /* a power of two */
#define FIRST_SLOTS 256                     /* the table grows up to it */
#define CACHE_BYTES ((size_t)2 << 20)
#define CACHE_MAX_TEXT 256

/* Longest text shaped at once, and most code points per subset. */
#define MAX_TEXT ((size_t)1 << 24)
#define MAX_SUBSET_CPS ((size_t)1 << 20)

typedef struct entry entry;

/* A slot holds its entry's hash, so a probe past other texts does not
 * read their entries. */
struct slot {
	uint64_t hash;
	entry *e;             /* NULL: empty */
};

struct entry {
	size_t len, n;        /* text bytes, glyphs */
	double width;
	ev_glyph *g;          /* n glyphs, after the struct */
	char *text;           /* len bytes, after the glyphs */
};

struct ev_font {
	hb_blob_t *blob;
	hb_face_t *face;
	hb_font_t *font;
	hb_buffer_t *buf;
	hb_language_t lang;   /* "und", made once on the creating thread */
	hb_feature_t features[4];
	unsigned upem;
	unsigned nglyphs;
	double scale;         /* font units to 1/1000 em */
	/* The glyph of each BMP code point, by its high byte's page: page 0
	 * is all zeros (no glyph), so a font drawing a few scripts holds a
	 * few pages, not 128 KB it would have to clear. */
	uint16_t page_of[256];
	uint16_t (*pages)[256];
	bool sibling;         /* pages, blob, face and font are another's */
	struct slot *slots;   /* nslots (a power of two), open addressing */
	size_t nslots, nentries, bytes;
	ev_arena *entries;    /* the entries, until the cache is emptied */
	uint32_t *cps;        /* scratch for decoded text */
	size_t cps_cap;
};

static void say(char *why, size_t cap, const char *msg)
{
	if (why && cap)
		snprintf(why, cap, "%s", msg);
}

static unsigned be16(const unsigned char *b)
{
	return (unsigned)b[0] << 8 | b[1];
}

static uint32_t be32(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8
	       | b[3];
}

/* The table directory, before HarfBuzz sees the file: an OpenType font
 * with TrueType outlines, every table inside the file, and the tables a
 * CIDFontType2 and the shaper need. HarfBuzz itself is robust against
 * corrupt tables (it sanitizes each one), but would quietly treat a broken
 * font as an empty one; this says what is wrong. */
static int check_directory(const unsigned char *p, size_t len, char *why,
                           size_t cap)
{
	static const char need[][5] = {"head", "hhea", "hmtx", "maxp", "loca",
	                               "glyf", "cmap"};
	if (len == 0) {
		say(why, cap, "not a TrueType font (the file is empty)");
		return -1;
	}
	if (len < 12) {
		say(why, cap, "not a TrueType font (too short)");
		return -1;
	}
	if (!memcmp(p, "OTTO", 4)) {
		say(why, cap, "not supported: an OpenType font with CFF outlines "
		    "(use a TrueType font)");
		return -1;
	}
	if (!memcmp(p, "ttcf", 4)) {
		say(why, cap, "not supported: a TrueType collection (.ttc)");
		return -1;
	}
	unsigned ntables = be16(p + 4);
	if ((memcmp(p, "\0\1\0\0", 4) && memcmp(p, "true", 4)) || ntables == 0) {
		say(why, cap, "not a TrueType font (bad header)");
		return -1;
	}
	if (12 + 16 * (size_t)ntables > len) {
		say(why, cap, "not a TrueType font (truncated table directory)");
		return -1;
	}
	unsigned found = 0;
	for (unsigned i = 0; i < ntables; i++) {
		const unsigned char *r = p + 12 + 16 * (size_t)i;
		uint32_t off = be32(r + 8), n = be32(r + 12);
		if (off > len || n > len - off) {
			if (why && cap)
				snprintf(why, cap, "broken TrueType font: table '%.4s' "
				         "lies outside the file (truncated?)", (const char *)r);
			return -1;
		}
		for (unsigned k = 0; k < sizeof need / sizeof *need; k++)
			if (!memcmp(r, need[k], 4))
				found |= 1u << k;
	}
	for (unsigned k = 0; k < sizeof need / sizeof *need; k++)
		if (!(found & 1u << k)) {
			if (why && cap)
				snprintf(why, cap, "not a usable TrueType font: no '%s' table%s",
				         need[k], k == 4 || k == 5 ? " (no TrueType outlines)" : "");
			return -1;
		}
	return 0;
}

/* A table's bytes through HarfBuzz (empty when absent). The caller
 * destroys the blob. */
static const unsigned char *table(hb_face_t *face, const char *tag,
                                  hb_blob_t **blob, unsigned *len)
{
	*blob = hb_face_reference_table(face, hb_tag_from_string(tag, 4));
	return (const unsigned char *)hb_blob_get_data(*blob, len);
}

/* What HarfBuzz read agrees with the file: head and maxp sane, loca long
 * enough for every glyph. */
static int check_tables(hb_face_t *face, char *why, size_t cap)
{
	hb_blob_t *b;
	unsigned n;
	const unsigned char *head = table(face, "head", &b, &n);
	int ok = n >= 54 && be32(head + 12) == 0x5F0F3CF5u;
	unsigned upem = ok ? be16(head + 18) : 0;
	int long_loca = ok ? (int)be16(head + 50) : 0;
	hb_blob_destroy(b);
	if (!ok || upem < 16 || upem > 16384 || long_loca > 1) {
		say(why, cap, "broken TrueType font: bad 'head' table");
		return -1;
	}
	unsigned nglyphs = hb_face_get_glyph_count(face);
	if (nglyphs == 0) {
		say(why, cap, "broken TrueType font: bad 'maxp' table (no glyphs)");
		return -1;
	}
	table(face, "loca", &b, &n);
	hb_blob_destroy(b);
	if ((size_t)n < ((size_t)nglyphs + 1) * (long_loca ? 4 : 2)) {
		say(why, cap, "broken TrueType font: 'loca' is shorter than the "
		    "glyph count says");
		return -1;
	}
	return 0;
}

/* Expand the cmap's BMP part into f's pages; -1 when the face maps no
 * Unicode character at all or memory is short. */
static int fill_bmp(ev_font *f)
{
	hb_set_t *set = hb_set_create();
	hb_face_collect_unicodes(f->face, set);
	int any = !hb_set_is_empty(set);
	int ok = hb_set_allocation_successful(set);
	/* the pages in use, then each page's glyphs */
	size_t npages = 1;
	hb_codepoint_t cp = HB_SET_VALUE_INVALID;
	while (hb_set_next(set, &cp) && cp < 0x10000)
		if (!f->page_of[cp >> 8])
			f->page_of[cp >> 8] = (uint16_t)npages++;
	if (ok && any && !(f->pages = calloc(npages, sizeof *f->pages)))
		ok = 0;
	cp = HB_SET_VALUE_INVALID;
	while (ok && any && hb_set_next(set, &cp) && cp < 0x10000) {
		hb_codepoint_t g;
		if (hb_font_get_nominal_glyph(f->font, cp, &g) && g < 0x10000)
			f->pages[f->page_of[cp >> 8]][cp & 255] = (uint16_t)g;
	}
	hb_set_destroy(set);
	return any && ok ? 0 : -1;
}

ev_font *ev_font_new(const void *data, size_t len, char *why, size_t cap)
{
	if (why && cap)
		why[0] = '\0';
	if (!data && len) {
		say(why, cap, "no font data");
		return NULL;
	}
	if (check_directory(data, len, why, cap) < 0)
		return NULL;
	if (len > 0x7FFFFFFF) {
		say(why, cap, "font file too large");
		return NULL;
	}
	ev_font *f = calloc(1, sizeof *f);
	if (!f) {
		say(why, cap, "out of memory");
		return NULL;
	}
	f->blob = hb_blob_create(data, (unsigned)len, HB_MEMORY_MODE_READONLY,
	                         NULL, NULL);
	f->face = hb_face_create(f->blob, 0);
	f->font = hb_font_create(f->face);
	f->buf = hb_buffer_create();
	f->slots = calloc(FIRST_SLOTS, sizeof *f->slots);
	f->nslots = FIRST_SLOTS;
	f->entries = ev_arena_new();
	if (!f->slots || !f->entries || !hb_buffer_allocation_successful(f->buf)
	    || f->font == hb_font_get_empty()) {
		say(why, cap, "out of memory");
		ev_font_free(f);
		return NULL;
	}
	if (check_tables(f->face, why, cap) < 0) {
		ev_font_free(f);
		return NULL;
	}
	f->upem = hb_face_get_upem(f->face);
	f->nglyphs = hb_face_get_glyph_count(f->face);
	f->scale = 1000.0 / f->upem;
	/* Advances in font units: scale = upem. */
	hb_ot_font_set_funcs(f->font);
	hb_font_set_scale(f->font, (int)f->upem, (int)f->upem);
	if (fill_bmp(f) < 0) {
		say(why, cap, "not a usable TrueType font: no Unicode cmap");
		ev_font_free(f);
		return NULL;
	}
	/* Ligatures off so each character keeps its own glyph; kern stays on. */
	static const char *const feats[] = {"-liga", "-clig", "-dlig", "-calt"};
	for (int i = 0; i < 4; i++)
		hb_feature_from_string(feats[i], -1, &f->features[i]);
	/* HarfBuzz makes some things on first use (the language, its list of
	 * shapers, the face's shaping plan): make them here, on the thread
	 * that creates the font, before workers shape with it. */
	f->lang = hb_language_from_string("und", -1);
	hb_buffer_add_utf8(f->buf, "a", 1, 0, 1);
	hb_buffer_set_language(f->buf, f->lang);
	hb_buffer_guess_segment_properties(f->buf);
	hb_shape(f->font, f->buf, f->features, 4);
	hb_buffer_clear_contents(f->buf);
	return f;
}

ev_font *ev_font_sibling(const ev_font *base)
{
	ev_font *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	/* HarfBuzz's blob, face and font are made to be shared between
	 * threads (reference counted, read-only once made); the buffer and
	 * the shaping cache are this font's own. */
	*f = (ev_font){.blob = hb_blob_reference(base->blob),
	               .face = hb_face_reference(base->face),
	               .font = hb_font_reference(base->font), .lang = base->lang,
	               .upem = base->upem, .nglyphs = base->nglyphs, .scale = base->scale,
	               .pages = base->pages, .sibling = true};
	memcpy(f->page_of, base->page_of, sizeof f->page_of);
	memcpy(f->features, base->features, sizeof f->features);
	f->buf = hb_buffer_create();
	f->slots = calloc(FIRST_SLOTS, sizeof *f->slots);
	f->nslots = FIRST_SLOTS;
	f->entries = ev_arena_new();
	if (!f->slots || !f->entries || !hb_buffer_allocation_successful(f->buf)) {
		ev_font_free(f);
		return NULL;
	}
	return f;
}

static void cache_clear(ev_font *f)
{
	memset(f->slots, 0, f->nslots * sizeof *f->slots);
	ev_arena_reset(f->entries);
	f->nentries = 0;
	f->bytes = 0;
}

/* The slot table twice as large, every entry moved; -1 when out of memory
 * (the table stays as it was). */
static int grow_slots(ev_font *f)
{
	size_t n = 2 * f->nslots;
	struct slot *v = calloc(n, sizeof *v);
	if (!v)
		return -1;
	for (size_t i = 0; i < f->nslots; i++) {
		if (!f->slots[i].e)
			continue;
		size_t k = (size_t)f->slots[i].hash & (n - 1);
		while (v[k].e)
			k = (k + 1) & (n - 1);
		v[k] = f->slots[i];
	}
	free(f->slots);
	f->slots = v;
	f->nslots = n;
	return 0;
}

void ev_font_free(ev_font *f)
{
	if (!f)
		return;
	free(f->slots);
	ev_arena_free(f->entries);
	if (!f->sibling)
		free(f->pages);
	free(f->cps);
	hb_buffer_destroy(f->buf);
	hb_font_destroy(f->font);
	hb_face_destroy(f->face);
	hb_blob_destroy(f->blob);
	free(f);
}

uint32_t ev_font_glyph(const ev_font *f, uint32_t cp)
{
	if (!f)
		return 0;
	if (cp < 0x10000)
		return f->pages[f->page_of[cp >> 8]][cp & 255];
	hb_codepoint_t g;
	if (cp > 0x10FFFF || !hb_font_get_nominal_glyph(f->font, cp, &g))
		return 0;
	return g;
}

/* Decode s into f->cps (an invalid byte becomes U+FFFD); the count, or
 * (size_t)-1 when out of memory. */
static size_t decode(ev_font *f, const char *s, size_t len)
{
	if (f->cps_cap < len) {
		size_t want = len < 64 ? 64 : len;
		uint32_t *p = realloc(f->cps, want * sizeof *p);
		if (!p)
			return (size_t)-1;
		f->cps = p;
		f->cps_cap = want;
	}
	size_t n = 0;
	for (size_t i = 0; i < len; n++)
		f->cps[n] = ev_utf8_next(s, len, &i);
	return n;
}

/* Nominal glyphs with their hmtx advances, no kerning: for text HarfBuzz
 * would not give one glyph per character. */
static void nominal(ev_font *f, const uint32_t *cps, size_t n, ev_glyph *out)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t g = ev_font_glyph(f, cps[i]);
		out[i].gid = g;
		out[i].cp = cps[i];
		out[i].advance = hb_font_get_glyph_h_advance(f->font, g) * f->scale;
	}
}

/* Shape cps[0..n) into out (n glyphs). */
static void shape(ev_font *f, const uint32_t *cps, size_t n, ev_glyph *out)
{
	hb_buffer_t *b = f->buf;
	hb_buffer_clear_contents(b);
	hb_buffer_add_codepoints(b, cps, (int)n, 0, (int)n);
	hb_buffer_set_direction(b, HB_DIRECTION_LTR);
	/* A fixed language: the default would come from the C locale, and the
	 * same letter must set the same way everywhere. */
	hb_buffer_set_language(b, f->lang);
	hb_buffer_guess_segment_properties(b);
	hb_shape(f->font, b, f->features, 4);
	unsigned count;
	hb_glyph_info_t *info = hb_buffer_get_glyph_infos(b, &count);
	hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(b, &count);
	int one_each = hb_buffer_allocation_successful(b) && count == n;
	for (size_t i = 0; one_each && i < n; i++)
		one_each = info[i].cluster == i;
	if (!one_each) {
		nominal(f, cps, n, out);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		out[i].gid = info[i].codepoint;
		out[i].cp = cps[i];
		out[i].advance = pos[i].x_advance * f->scale;
	}
}


/* The cache entry for s, shaping it first when it is not there; NULL when
 * it is not cached (too long, out of memory): the caller shapes it then. */
static const entry *lookup(ev_font *f, const char *s, size_t len)
{
	if (len > CACHE_MAX_TEXT)
		return NULL;
	uint64_t h = ev_hash(s, len, EV_HASH_START);
	size_t mask = f->nslots - 1, i = (size_t)h & mask;
	for (; f->slots[i].e; i = (i + 1) & mask) {
		const entry *e = f->slots[i].e;
		if (f->slots[i].hash == h && e->len == len && !memcmp(e->text, s, len))
			return e;
	}
	size_t n = decode(f, s, len);
	if (n == (size_t)-1)
		return NULL;
	size_t size = sizeof(entry) + n * sizeof(ev_glyph) + len + 1;
	if (f->nentries >= CACHE_ENTRIES || f->bytes + size > CACHE_BYTES)
		cache_clear(f);
	else if (2 * (f->nentries + 1) > f->nslots && f->nslots < CACHE_SLOTS &&
	         grow_slots(f) < 0)
		return NULL;
	mask = f->nslots - 1;
	for (i = (size_t)h & mask; f->slots[i].e;)
		i = (i + 1) & mask;
	entry *e = ev_arena_alloc(f->entries, size);
	if (!e)
		return NULL;
	e->len = len;
	e->n = n;
	e->g = (ev_glyph *)(e + 1);
	e->text = (char *)(e->g + n);
	memcpy(e->text, s, len);
	e->text[len] = '\0';
	shape(f, f->cps, n, e->g);
	e->width = 0;
	for (size_t k = 0; k < n; k++)
		e->width += e->g[k].advance;
	f->slots[i] = (struct slot){h, e};
	f->nentries++;
	f->bytes += size;
	return e;
}

/* Text the cache does not hold: shaped into a temporary array, or, when
 * memory is short, set glyph by glyph from the cmap and hmtx. */
static size_t shape_uncached(ev_font *f, const char *s, size_t len,
                             ev_glyph *out, size_t cap, double *width)
{
	size_t n = decode(f, s, len);
	ev_glyph *g = n != (size_t)-1 ? malloc((n ? n : 1) * sizeof *g) : NULL;
	*width = 0;
	if (g) {
		shape(f, f->cps, n, g);
		for (size_t i = 0; i < n; i++)
			*width += g[i].advance;
		if (out && cap)
			memcpy(out, g, (n < cap ? n : cap) * sizeof *g);
		free(g);
		return n;
	}
	/* Out of memory: one character at a time. */
	n = 0;
	for (size_t i = 0; i < len; n++) {
		uint32_t cp = ev_utf8_next(s, len, &i);
		ev_glyph one;
		nominal(f, &cp, 1, &one);
		if (n < cap)
			out[n] = one;
		*width += one.advance;
	}
	return n;
}

size_t ev_font_shape(ev_font *f, const char *s, size_t len, ev_glyph *out,
                     size_t cap)
{
	if (!f || !s || len == 0 || len > MAX_TEXT)
		return 0;
	const entry *e = lookup(f, s, len);
	if (e) {
		if (out && cap)
			memcpy(out, e->g, (e->n < cap ? e->n : cap) * sizeof *out);
		return e->n;
	}
	double w;
	return shape_uncached(f, s, len, out, cap, &w);
}

double ev_font_width(ev_font *f, const char *s, size_t len)
{
	if (!f || !s || len == 0 || len > MAX_TEXT)
		return 0;
	const entry *e = lookup(f, s, len);
	if (e)
		return e->width;
	double w;
	shape_uncached(f, s, len, NULL, 0, &w);
	return w;
}

void ev_font_info_get(const ev_font *f, ev_font_info *out)
{
	memset(out, 0, sizeof *out);
	if (!f)
		return;
	double k = f->scale;
	hb_position_t v;
	unsigned size = sizeof out->ps_name;
	if (!hb_ot_name_get_utf8(f->face, HB_OT_NAME_ID_POSTSCRIPT_NAME,
	                         HB_LANGUAGE_INVALID, &size, out->ps_name))
		snprintf(out->ps_name, sizeof out->ps_name, "Unnamed");
	/* PDF names: keep the printable ASCII a PostScript name allows. */
	for (char *p = out->ps_name; *p; p++)
		if (*p <= ' ' || *p > '~' || strchr("[](){}<>/%", *p))
			*p = '-';
	hb_ot_metrics_get_position_with_fallback(f->font,
		HB_OT_METRICS_TAG_HORIZONTAL_ASCENDER, &v);
	out->ascent = v * k;
	hb_ot_metrics_get_position_with_fallback(f->font,
		HB_OT_METRICS_TAG_HORIZONTAL_DESCENDER, &v);
	out->descent = v * k;
	hb_ot_metrics_get_position_with_fallback(f->font,
		HB_OT_METRICS_TAG_CAP_HEIGHT, &v);
	out->cap_height = v * k;
	out->italic_angle = hb_style_get_value(f->font, HB_STYLE_TAG_SLANT_ANGLE);

	hb_blob_t *b;
	unsigned n;
	const unsigned char *head = table(f->face, "head", &b, &n);
	unsigned mac_style = 0;
	if (n >= 54) {
		for (int i = 0; i < 4; i++)
			out->bbox[i] = (int16_t)be16(head + 36 + 2 * i) * k;
		mac_style = be16(head + 44);
	}
	hb_blob_destroy(b);
	const unsigned char *post = table(f->face, "post", &b, &n);
	out->fixed_pitch = n >= 16 && be32(post + 12) != 0;
	hb_blob_destroy(b);
	const unsigned char *os2 = table(f->face, "OS/2", &b, &n);
	unsigned weight = 400, fs_selection = 0;
	if (n >= 64) {
		weight = be16(os2 + 4);
		fs_selection = be16(os2 + 62);
		/* PANOSE: Latin text, serif styles 2-10 (11-15 are sans). */
		out->serif = os2[32] == 2 && os2[33] >= 2 && os2[33] <= 10;
	}
	hb_blob_destroy(b);
	out->italic = (fs_selection & 1) || (mac_style & 2) || out->italic_angle != 0;
	out->bold = (fs_selection & 0x20) || (mac_style & 1) || weight >= 600;
	/* No table records the vertical stem width; this is the usual estimate
	 * from the weight class (50 for light, 84 for regular, 153 for bold). */
	double w = weight < 100 || weight > 1000 ? 400 : weight;
	out->stem_v = round(50 + (w / 65) * (w / 65));
}

/* Which font of the set has cp: 0, 1 or -1. */
static int which_font(const ev_fontset *fs, ev_face face, uint32_t cp)
{
	if (cp > 0x10FFFF || (unsigned)face >= EV_FACE_COUNT)
		return -1;
	/* HarfBuzz draws an invisible character (a direction control, a
	 * zero-width space) as another glyph, the space, whatever the font's
	 * table says: no font is taken to have one (normalisation removes
	 * them from the list's values). */
	if (ev_is_invisible(cp))
		return -1;
	if (fs->face[face] && ev_font_glyph(fs->face[face], cp))
		return 0;
	if (fs->fallback[face] && ev_font_glyph(fs->fallback[face], cp))
		return 1;
	return -1;
}

size_t ev_fontset_run(const ev_fontset *fs, ev_face face, const char *s,
                      size_t len, int *which)
{
	*which = -1;
	if (!fs || !s || len == 0)
		return 0;
	size_t i = 0;
	int first = -2;
	while (i < len) {
		uint32_t cp;
		size_t k = ev_utf8_decode(s + i, len - i, &cp);
		int w = k ? which_font(fs, face, cp) : -1;
		if (!k)
			k = 1;
		if (first == -2) {
			first = w;
			i += k;
			if (w < 0)
				break;       /* a missing character is a run of its own */
			continue;
		}
		if (w != first)
			break;
		i += k;
	}
	*which = first;
	return i;
}

/* The width of text without a space, run by run in the font drawing it. */
static double piece_width(ev_fontset *fs, ev_face face, const char *s, size_t len)
{
	double w = 0;
	while (len > 0) {
		int which;
		size_t k = ev_fontset_run(fs, face, s, len, &which);
		if (k == 0)
			break;
		if (which >= 0) {
			w += ev_font_width(which ? fs->fallback[face] : fs->face[face], s, k);
		} else if ((unsigned)face < EV_FACE_COUNT && fs->face[face]) {
			/* A character no font has is drawn as the face's .notdef. */
			ev_font *f = fs->face[face];
			w += hb_font_get_glyph_h_advance(f->font, 0) * f->scale;
		}
		s += k;
		len -= k;
	}
	return w;
}

/* Word by word and space by space, as the PDF writer shapes and draws it:
 * no kerning across a space, so a word measures the same wherever it is. */
static double set_width(void *ctx, ev_face face, const char *s, size_t len)
{
	ev_fontset *fs = ctx;
	double w = 0;
	while (len > 0) {
		const char *sp = memchr(s, ' ', len);
		size_t k = *s == ' ' ? 1 : sp ? (size_t)(sp - s) : len;
		w += piece_width(fs, face, s, k);
		s += k;
		len -= k;
	}
	return w;
}

static bool set_has_glyph(void *ctx, ev_face face, uint32_t cp)
{
	return which_font(ctx, face, cp) >= 0;
}

ev_metrics ev_fontset_metrics(ev_fontset *fs)
{
	ev_metrics m = {fs, set_width, set_has_glyph};
	return m;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

void ev_subset_free(ev_subset *s)
{
	if (!s)
		return;
	ev_buf_free(&s->ttf);
	free(s->old_to_new);
	free(s->new_cp);
	free(s->new_width);
	memset(s, 0, sizeof *s);
}

/* The subset tag: six capital letters from an FNV-1a hash of the new
 * glyph order (old glyph IDs, 4 bytes each, big-endian). */
static void make_tag(const hb_map_t *new_to_old, size_t nnew, char tag[7])
{
	uint64_t h = EV_HASH_START;
	for (size_t g = 0; g < nnew; g++) {
		uint32_t old = hb_map_get(new_to_old, (hb_codepoint_t)g);
		unsigned char be[4] = {(unsigned char)(old >> 24), (unsigned char)(old >> 16),
		                       (unsigned char)(old >> 8), (unsigned char)old};
		h = ev_hash(be, 4, h);
	}
	for (int i = 0; i < 6; i++) {
		tag[i] = (char)('A' + h % 26);
		h /= 26;
	}
	tag[6] = '\0';
}

/* The tables a CIDFontType2 does not need: layout, names, device
 * metrics, signatures, character maps. Hinting goes with HB_SUBSET_FLAGS_NO_HINTING
 * (fpgm, prep, cvt, glyph instructions, and maxp's hinting fields). */
static const char *const dropped[] = {
	"GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "kern", "name", "hdmx",
	"VDMX", "LTSH", "gasp", "DSIG", "PCLT", "FFTM", "morx", "kerx", "feat",
	/* A CIDFontType2 reaches its glyphs by ID (CIDToGIDMap /Identity):
	 * no cmap, and the PDF's font descriptor says what OS/2 and post
	 * would (ISO 32000-1, 9.9; fast-pdf.md section 5). */
	"cmap", "OS/2", "post",
};

int ev_subset_make(const ev_font *f, const uint32_t *cps, size_t n,
                   ev_subset *out, char *why, size_t cap)
{
	memset(out, 0, sizeof *out);
	if (why && cap)
		why[0] = '\0';
	if (!f || (!cps && n)) {
		say(why, cap, "no font or no characters");
		return -1;
	}
	if (n > MAX_SUBSET_CPS) {
		say(why, cap, "too many characters for one subset");
		return -1;
	}
	int rc = -1;
	uint32_t *sorted = malloc((n ? n : 1) * sizeof *sorted);
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	hb_subset_plan_t *plan = NULL;
	hb_face_t *sub = NULL;
	hb_blob_t *blob = NULL;
	if (!sorted || !in) {
		say(why, cap, "out of memory");
		goto done;
	}
	if (n)
		memcpy(sorted, cps, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, cmp_u32);

	/* Each character's own glyph, and the characters for the cmap. */
	hb_set_t *glyphs = hb_subset_input_glyph_set(in);
	hb_set_t *unicodes = hb_subset_input_unicode_set(in);
	hb_set_add(glyphs, 0);
	for (size_t i = 0; i < n; i++) {
		uint32_t g = ev_font_glyph(f, sorted[i]);
		if (!g) {
			if (why && cap)
				snprintf(why, cap, "the font has no glyph for U+%04X",
				         (unsigned)sorted[i]);
			goto done;
		}
		hb_set_add(glyphs, g);
		hb_set_add(unicodes, sorted[i]);
	}
	hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
	for (size_t i = 0; i < sizeof dropped / sizeof *dropped; i++)
		hb_set_add(drop, hb_tag_from_string(dropped[i], 4));
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
	if (!hb_set_allocation_successful(glyphs)
	    || !hb_set_allocation_successful(unicodes)
	    || !hb_set_allocation_successful(drop)) {
		say(why, cap, "out of memory");
		goto done;
	}
	plan = hb_subset_plan_create_or_fail(f->face, in);
	if (!plan || !(sub = hb_subset_plan_execute_or_fail(plan))) {
		say(why, cap, "hb-subset failed on this font");
		goto done;
	}
	blob = hb_face_reference_blob(sub);
	unsigned blen;
	const char *bytes = hb_blob_get_data(blob, &blen);
	if (!blen || ev_buf_append(&out->ttf, bytes, blen) < 0) {
		say(why, cap, blen ? "out of memory" : "hb-subset made an empty font");
		goto done;
	}

	/* The glyph maps, the characters and the advances. */
	const hb_map_t *o2n = hb_subset_plan_old_to_new_glyph_mapping(plan);
	const hb_map_t *n2o = hb_subset_plan_new_to_old_glyph_mapping(plan);
	out->nglyphs = f->nglyphs;
	out->nnew = hb_map_get_population(n2o);
	out->old_to_new = calloc(out->nglyphs, sizeof *out->old_to_new);
	out->new_cp = calloc(out->nnew ? out->nnew : 1, sizeof *out->new_cp);
	out->new_width = calloc(out->nnew ? out->nnew : 1, sizeof *out->new_width);
	if (!out->old_to_new || !out->new_cp || !out->new_width) {
		say(why, cap, "out of memory");
		goto done;
	}
	for (size_t g = 0; g < out->nglyphs; g++) {
		hb_codepoint_t v = hb_map_get(o2n, (hb_codepoint_t)g);
		out->old_to_new[g] = v == HB_MAP_VALUE_INVALID ? 0 : v;
	}
	for (size_t g = 0; g < out->nnew; g++) {
		hb_codepoint_t old = hb_map_get(n2o, (hb_codepoint_t)g);
		if (old == HB_MAP_VALUE_INVALID || old >= f->nglyphs) {
			say(why, cap, "hb-subset gave a broken glyph map");
			goto done;
		}
		out->new_width[g] = hb_font_get_glyph_h_advance(f->font, old) * f->scale;
	}
	/* Where two characters share a glyph, the lower one names it. */
	for (size_t i = n; i-- > 0;) {
		uint32_t g = out->old_to_new[ev_font_glyph(f, sorted[i])];
		if (g < out->nnew)
			out->new_cp[g] = sorted[i];
	}
	make_tag(n2o, out->nnew, out->tag);
	rc = 0;
done:
	if (rc < 0)
		ev_subset_free(out);
	hb_blob_destroy(blob);
	hb_face_destroy(sub);
	hb_subset_plan_destroy(plan);
	hb_subset_input_destroy(in);
	free(sorted);
	return rc;
}
