/* pdffile.c - a letter's PDF file written directly (see pdffile.h).
 *
 * Objects are numbered in a fixed order: the catalog (1), the page tree
 * (2), the pages, then per font the Type0 font, its CIDFont and its
 * descriptor, then the information dictionary - all of these in the
 * object stream - then the streams: each page's own and shared content,
 * each font's file and ToUnicode CMap, the object stream and last the
 * cross-reference stream. Nothing depends on the time or the machine. */
#include "pdffile.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xxhash.h>

#include "text.h"

/* Objects of a letter: 2 + pages * 3 + fonts * 5 + 3. */
#define MAX_OBJECTS 1024

/* Where each object is: in the file at an offset (stream objects), or in
 * the object stream at an index. */
typedef struct xref {
	size_t where[MAX_OBJECTS + 1];
	bool in_stream[MAX_OBJECTS + 1];
} xref;

static void put_uint(ev_buf *b, size_t v)
{
	char d[24];
	int n = 0;
	do {
		d[sizeof d - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	ev_buf_append(b, d + sizeof d - n, (size_t)n);
}

static void put_int(ev_buf *b, long v)
{
	if (v < 0) {
		ev_buf_putc(b, '-');
		put_uint(b, (size_t)-v);
	} else {
		put_uint(b, (size_t)v);
	}
}

/* A page size in points, to 1/10000 pt, without trailing zeros. */
static void put_size(ev_buf *b, double v)
{
	long m = lround(v * 10000.0);
	put_uint(b, (size_t)(m / 10000));
	long f = m % 10000;
	if (f) {
		char s[6] = {'.'};
		int k = 1;
		for (long div = 1000; div > 0 && f; div /= 10) {
			s[k++] = (char)('0' + f / div);
			f %= div;
		}
		ev_buf_append(b, s, (size_t)k);
	}
}

static void put_ref(ev_buf *b, size_t obj)
{
	put_uint(b, obj);
	ev_buf_puts(b, " 0 R");
}

/* A text string as UTF-16BE with a byte-order mark, in hex. The text is
 * valid UTF-8 of the Basic Multilingual Plane (ev_pdf_begin checks). */
static void put_text(ev_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t len = strlen(s);
	ev_buf_puts(b, "<FEFF");
	for (size_t i = 0; i < len;) {
		uint32_t cp = 0xFFFD;
		size_t k = ev_utf8_decode(s + i, len - i, &cp);
		i += k ? k : 1;
		char u[4] = {hex[cp >> 12 & 15], hex[cp >> 8 & 15], hex[cp >> 4 & 15],
		             hex[cp & 15]};
		ev_buf_append(b, u, 4);
	}
	ev_buf_putc(b, '>');
}

/* Stream object obj holding bytes already deflated; Length1 when given. */
static void put_stream(ev_buf *out, xref *x, size_t obj, const void *data,
                       size_t len, size_t length1)
{
	x->where[obj] = out->len;
	put_uint(out, obj);
	ev_buf_puts(out, " 0 obj\n<</Length ");
	put_uint(out, len);
	if (length1) {
		ev_buf_puts(out, "/Length1 ");
		put_uint(out, length1);
	}
	ev_buf_puts(out, "/Filter/FlateDecode>>stream\n");
	ev_buf_append(out, data, len);
	ev_buf_puts(out, "\nendstream\nendobj\n");
}

/* Bytes needed to write v big-endian (at least 1). */
static int width_of(size_t v)
{
	int w = 1;
	while (w < 8 && v >> (8 * w))
		w++;
	return w;
}

static void put_be(unsigned char *at, size_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		at[i] = (unsigned char)(v >> (8 * (bytes - 1 - i)));
}

/* The object stream's dictionaries: the header of "number offset" pairs
 * is written after them, so they go to `dicts` and their offsets to
 * at[]. */
typedef struct objstm {
	ev_buf *dicts;
	size_t nums[MAX_OBJECTS];
	size_t offs[MAX_OBJECTS];
	size_t n;
} objstm;

static void begin_dict(objstm *os, xref *x, size_t obj)
{
	if (os->n)
		ev_buf_putc(os->dicts, '\n');
	x->in_stream[obj] = true;
	x->where[obj] = os->n;
	os->nums[os->n] = obj;
	os->offs[os->n++] = os->dicts->len;
}

/* The information dictionary's entries: only what the campaign set. */
static bool has_info(const ev_pdf_meta *m)
{
	return m && ((m->title && *m->title) || (m->author && *m->author) ||
	             (m->subject && *m->subject));
}

static void put_info(ev_buf *b, const ev_pdf_meta *m)
{
	const char *keys[] = {"/Title", "/Author", "/Subject"};
	const char *vals[] = {m->title, m->author, m->subject};
	ev_buf_puts(b, "<<");
	for (int i = 0; i < 3; i++)
		if (vals[i] && *vals[i]) {
			ev_buf_puts(b, keys[i]);
			put_text(b, vals[i]);
		}
	ev_buf_puts(b, ">>");
}

/* A font's three dictionaries, named base_font: the Type0 font (its
 * CIDFont numbered cid, its ToUnicode map tounicode), the CIDFont (its
 * descriptor desc), the descriptor (its font file file). */
static void type0_dict(ev_buf *b, const char *base_font, size_t cid, size_t tounicode)
{
	ev_buf_puts(b, "<</Type/Font/Subtype/Type0/BaseFont/");
	ev_buf_puts(b, base_font);
	ev_buf_puts(b, "/Encoding/Identity-H/DescendantFonts[");
	put_ref(b, cid);
	ev_buf_puts(b, "]/ToUnicode ");
	put_ref(b, tounicode);
	ev_buf_puts(b, ">>");
}

static void cid_dict(ev_buf *b, const ev_embedded *e, const char *base_font, size_t desc)
{
	ev_buf_puts(b, "<</Type/Font/Subtype/CIDFontType2/BaseFont/");
	ev_buf_puts(b, base_font);
	ev_buf_puts(b, "/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>"
	            "/FontDescriptor ");
	put_ref(b, desc);
	ev_buf_puts(b, "/CIDToGIDMap/Identity/W");
	ev_buf_append(b, e->widths.data, e->widths.len);
	ev_buf_puts(b, ">>");
}

static void descriptor_dict(ev_buf *b, const ev_embedded *e, const char *base_font,
                            size_t file)
{
	const ev_font_info *in = &e->info;
	/* Flags: 1 fixed pitch, 2 serif, 4 symbolic (a CID font's glyphs are
	 * not the standard Latin set), 64 italic. */
	long flags = 4 | (in->fixed_pitch ? 1 : 0) | (in->serif ? 2 : 0) |
	             (in->italic ? 64 : 0);
	ev_buf_puts(b, "<</Type/FontDescriptor/FontName/");
	ev_buf_puts(b, base_font);
	ev_buf_puts(b, "/Flags ");
	put_int(b, flags);
	ev_buf_puts(b, "/FontBBox[");
	for (int i = 0; i < 4; i++) {
		if (i)
			ev_buf_putc(b, ' ');
		put_int(b, lround(in->bbox[i]));
	}
	ev_buf_puts(b, "]/ItalicAngle ");
	put_int(b, lround(in->italic_angle));
	ev_buf_puts(b, "/Ascent ");
	put_int(b, lround(in->ascent));
	ev_buf_puts(b, "/Descent ");
	put_int(b, lround(in->descent));
	ev_buf_puts(b, "/CapHeight ");
	put_int(b, lround(in->cap_height));
	ev_buf_puts(b, "/StemV ");
	put_int(b, lround(in->stem_v));
	ev_buf_puts(b, "/FontFile2 ");
	put_ref(b, file);
	ev_buf_puts(b, ">>");
}

/* Font slot s's three dictionaries in the object stream, the Type0 font
 * numbered obj, the CIDFont obj + 1, the descriptor obj + 2. */
static void put_font(objstm *os, xref *x, const ev_embedded *e, const char *base_font,
                     size_t obj, size_t file, size_t tounicode)
{
	begin_dict(os, x, obj);
	type0_dict(os->dicts, base_font, obj + 1, tounicode);
	begin_dict(os, x, obj + 1);
	cid_dict(os->dicts, e, base_font, obj + 2);
	begin_dict(os, x, obj + 2);
	descriptor_dict(os->dicts, e, base_font, file);
}

/* Resources: the fonts (the Type0 font of slot s numbered font[s]) one
 * of used or sused marks, the forms xo names. */
static void put_resources(ev_buf *b, const bool *used, const bool *sused,
                          const size_t *font, const ev_pdfstream_xobject *xo, size_t n)
{
	ev_buf_puts(b, "/Resources<</Font<<");
	for (int s = 0; s < EV_EMBED_SLOTS; s++)
		if ((used[s] || (sused && sused[s])) && font[s]) {
			char name[4] = {'/', 'F', (char)('0' + s), ' '};
			ev_buf_append(b, name, sizeof name);   /* slots 0-7 */
			put_ref(b, font[s]);
		}
	ev_buf_puts(b, ">>");
	if (n) {
		ev_buf_puts(b, "/XObject<<");
		for (size_t i = 0; i < n; i++) {
			ev_buf_puts(b, "/Fm");
			put_uint(b, xo[i].name);
			ev_buf_putc(b, ' ');
			put_ref(b, xo[i].obj);
		}
		ev_buf_puts(b, ">>");
	}
	ev_buf_puts(b, ">>");
}

/* A page's dictionary: its size, the fonts it draws with (the Type0 font
 * of slot s numbered font[s]) and the forms xo names, its own content,
 * then its shared content (0: none). */
static void page_dict(ev_buf *b, const struct recpage *r, const size_t *font,
                      size_t own, size_t shared, const ev_pdfstream_xobject *xo, size_t n)
{
	ev_buf_puts(b, "<</Type/Page/Parent 2 0 R/MediaBox[0 0 ");
	put_size(b, r->w);
	ev_buf_putc(b, ' ');
	put_size(b, r->h);
	ev_buf_putc(b, ']');
	put_resources(b, r->used, r->sused, font, xo, n);
	ev_buf_puts(b, "/Contents");
	if (shared) {
		ev_buf_putc(b, '[');
		put_ref(b, own);
		ev_buf_putc(b, ' ');
		put_ref(b, shared);
		ev_buf_puts(b, "]>>");
	} else {
		ev_buf_putc(b, ' ');
		put_ref(b, own);
		ev_buf_puts(b, ">>");
	}
}

/* Stream object obj of scratch's bytes deflated (through packed), its
 * dictionary's other entries `keys`. */
static int put_deflated(ev_buf *out, ev_flate *f, ev_buf *scratch, ev_buf *packed,
                        size_t from, size_t obj, const char *keys)
{
	ev_buf_reset(packed);
	if (!ev_deflate(f, EV_FLATE_FAST, scratch->data + from, scratch->len - from, packed))
		return -1;
	put_uint(out, obj);
	ev_buf_puts(out, " 0 obj\n<<");
	ev_buf_puts(out, keys);
	ev_buf_puts(out, "/Length ");
	put_uint(out, packed->len);
	ev_buf_puts(out, "/Filter/FlateDecode>>stream\n");
	ev_buf_append(out, packed->data, packed->len);
	ev_buf_puts(out, "\nendstream\nendobj\n");
	return 0;
}

/* The name of a font whose glyphs marks[0..n) marks: a subset tag of six
 * capitals from a hash of them (the same glyphs, the same tag), "+", the
 * PostScript name. */
static void sparse_name(char *name, size_t cap, const unsigned char *marks, size_t n,
                        const char *ps_name)
{
	uint64_t h = XXH3_64bits(marks, n);
	char tag[7];
	for (int i = 0; i < 6; i++, h /= 26)
		tag[i] = (char)('A' + h % 26);
	tag[6] = '\0';
	snprintf(name, cap, "%s+%s", tag, ps_name);
}

/* The letter's copy of a font for the glyphs marks marks: the last one
 * made when it was for the same glyphs, else made now (and kept as the
 * last). NULL when out of memory. */
static const ev_pdffile_font *letter_font(const ev_sparse *sp, unsigned char *marks,
                                          ev_flate *f, const ev_pdffile_bufs *bufs,
                                          ev_pdffile_font *last)
{
	size_t n = sp->nglyphs;
	if (last->marks.len == n && last->file.len && !memcmp(last->marks.data, marks, n))
		return last;
	ev_buf_reset(&last->marks);
	ev_buf_reset(&last->file);
	if (ev_buf_append(&last->marks, marks, n) < 0 ||
	    ev_sparse_deflate(sp, marks, f, bufs->font, &last->file, &last->length1) < 0) {
		ev_buf_reset(&last->file);
		return NULL;
	}
	return last;
}

int ev_pdffile_write(const ev_pdf_pages *pg, const ev_pdf_meta *meta,
                     unsigned char *const *marks, ev_flate *f,
                     const ev_pdffile_bufs *bufs, ev_buf *out)
{
	ev_buf *scratch = bufs->scratch, *packed = bufs->packed;
	char names[EV_EMBED_SLOTS][96];
	xref x;
	objstm os = {.dicts = scratch};
	size_t start = out->len;
	bool used[EV_EMBED_SLOTS] = {false};
	size_t nfonts = 0;
	for (size_t i = 0; i < pg->n; i++) {
		if (pg->rp[i].forms)
			return -1;
		for (int s = 0; s < EV_EMBED_SLOTS; s++)
			used[s] |= (pg->rp[i].used[s] || pg->rp[i].sused[s]) && pg->fonts->slot[s];
	}
	for (int s = 0; s < EV_EMBED_SLOTS; s++) {
		nfonts += used[s];
		const ev_embedded *e = pg->fonts->slot[s];
		if (!used[s])
			continue;
		if (marks && marks[s])
			sparse_name(names[s], sizeof names[s], marks[s], e->sparse.nglyphs,
			            e->info.ps_name);
		else
			snprintf(names[s], sizeof names[s], "%s", e->base_font);
	}
	bool info = has_info(meta);
	/* The numbers: dictionaries first, then the streams. */
	size_t first_page = 3, first_font = first_page + pg->n;
	size_t info_obj = first_font + 3 * nfonts;
	size_t first_stream = info_obj + (info ? 1 : 0);
	/* Each page's own content, then its shared content when it has any. */
	size_t own[MAX_OBJECTS / 2], shared[MAX_OBJECTS / 2];
	size_t next = first_stream;
	if (pg->n > MAX_OBJECTS / 4)
		return -1;
	for (size_t i = 0; i < pg->n; i++) {
		size_t slen;
		ev_recpage_shared(pg, &pg->rp[i], &slen);
		own[i] = next++;
		shared[i] = slen ? next++ : 0;
	}
	size_t font_streams = next;              /* 2 per font: file, CMap */
	size_t objstm_obj = font_streams + 2 * nfonts, xref_obj = objstm_obj + 1;
	if (xref_obj > MAX_OBJECTS)
		return -1;
	memset(x.in_stream, 0, sizeof x.in_stream);
	ev_buf_reset(scratch);

	ev_buf_puts(out, "%PDF-1.5\n%\xE2\xE3\xCF\xD3\n");
	/* The catalog, the page tree and the pages. */
	begin_dict(&os, &x, 1);
	ev_buf_puts(scratch, "<</Type/Catalog/Pages 2 0 R>>");
	begin_dict(&os, &x, 2);
	ev_buf_puts(scratch, "<</Type/Pages/Kids[");
	for (size_t i = 0; i < pg->n; i++) {
		if (i)
			ev_buf_putc(scratch, ' ');
		put_ref(scratch, first_page + i);
	}
	ev_buf_puts(scratch, "]/Count ");
	put_uint(scratch, pg->n);
	ev_buf_puts(scratch, ">>");
	size_t font[EV_EMBED_SLOTS] = {0};
	for (int s = 0, k = 0; s < EV_EMBED_SLOTS; s++)
		if (used[s])
			font[s] = first_font + 3 * (size_t)k++;
	for (size_t i = 0; i < pg->n; i++) {
		begin_dict(&os, &x, first_page + i);
		page_dict(scratch, &pg->rp[i], font, own[i], shared[i], NULL, 0);
	}
	/* The fonts. */
	for (int s = 0, k = 0; s < EV_EMBED_SLOTS; s++)
		if (used[s]) {
			put_font(&os, &x, pg->fonts->slot[s], names[s], first_font + 3 * (size_t)k,
			         font_streams + 2 * (size_t)k, font_streams + 2 * (size_t)k + 1);
			k++;
		}
	if (info) {
		begin_dict(&os, &x, info_obj);
		put_info(scratch, meta);
	}

	/* The streams, as they were deflated. */
	for (size_t i = 0; i < pg->n; i++) {
		const struct recpage *r = &pg->rp[i];
		size_t slen;
		const unsigned char *sh = ev_recpage_shared(pg, r, &slen);
		put_stream(out, &x, own[i], pg->rec.data + r->off, r->len, 0);
		if (slen)
			put_stream(out, &x, shared[i], sh, slen, 0);
	}
	for (int s = 0, k = 0; s < EV_EMBED_SLOTS; s++)
		if (used[s]) {
			const ev_embedded *e = pg->fonts->slot[s];
			if (marks && marks[s]) {
				const ev_pdffile_font *c = letter_font(&e->sparse, marks[s], f, bufs,
				                                       &bufs->last[s]);
				if (!c)
					goto full;
				put_stream(out, &x, font_streams + 2 * (size_t)k, c->file.data,
				           c->file.len, c->length1);
			} else {
				put_stream(out, &x, font_streams + 2 * (size_t)k, e->file.data,
				           e->file.len, e->file_len);
			}
			put_stream(out, &x, font_streams + 2 * (size_t)k + 1, e->tounicode.data,
			           e->tounicode.len, 0);
			k++;
		}

	/* The object stream: "number offset" pairs, then the dictionaries. */
	size_t dicts_len = scratch->len;
	for (size_t i = 0; i < os.n; i++) {
		put_uint(scratch, os.nums[i]);
		ev_buf_putc(scratch, ' ');
		put_uint(scratch, os.offs[i]);
		ev_buf_putc(scratch, i + 1 < os.n ? ' ' : '\n');
	}
	size_t first = scratch->len - dicts_len;
	/* Header first: the dictionaries copied after it, then deflated. */
	if (ev_buf_reserve(scratch, dicts_len) < 0)
		goto full;
	memcpy(scratch->data + scratch->len, scratch->data, dicts_len);
	scratch->len += dicts_len;
	char keys[96];
	snprintf(keys, sizeof keys, "/Type/ObjStm/N %zu/First %zu", os.n, first);
	x.where[objstm_obj] = out->len;
	if (put_deflated(out, f, scratch, packed, dicts_len, objstm_obj, keys) < 0)
		goto full;

	/* The cross-reference stream: object 0 free (type 0), then each
	 * object at an offset in the file (type 1) or in the object stream at
	 * an index (type 2), the fields as narrow as the largest value needs. */
	x.where[xref_obj] = out->len;
	size_t size = xref_obj + 1;
	int w2 = width_of(x.where[xref_obj]), w3 = width_of(os.n ? os.n - 1 : 0);
	if (w2 < width_of(objstm_obj))
		w2 = width_of(objstm_obj);
	size_t row = (size_t)(1 + w2 + w3);
	ev_buf_reset(scratch);
	if (ev_buf_reserve(scratch, size * row) < 0)
		goto full;
	unsigned char *e = (unsigned char *)scratch->data;
	memset(e, 0, size * row);
	for (size_t o = 1; o < size; o++) {
		unsigned char *at = e + o * row;
		at[0] = x.in_stream[o] ? 2 : 1;
		put_be(at + 1, x.in_stream[o] ? objstm_obj : x.where[o], w2);
		put_be(at + 1 + w2, x.in_stream[o] ? x.where[o] : 0, w3);
	}
	scratch->len = size * row;
	if (info)
		snprintf(keys, sizeof keys, "/Type/XRef/Size %zu/W[1 %d %d]/Root 1 0 R/Info %zu 0 R",
		         size, w2, w3, info_obj);
	else
		snprintf(keys, sizeof keys, "/Type/XRef/Size %zu/W[1 %d %d]/Root 1 0 R",
		         size, w2, w3);
	if (put_deflated(out, f, scratch, packed, 0, xref_obj, keys) < 0)
		goto full;
	ev_buf_puts(out, "startxref\n");
	put_uint(out, x.where[xref_obj]);
	ev_buf_puts(out, "\n%%EOF\n");
	if (out->failed || scratch->failed)
		goto full;
	return 0;
full:
	out->len = start;
	if (out->data)
		out->data[start] = '\0';
	return -1;
}

/* ---- a document written as its pages come ---- */

struct ev_pdfstream {
	FILE *f;
	char *path;
	bool failed;                 /* a write failed: errno tells */
	size_t pos;                  /* bytes written */
	const ev_embed *fonts;
	ev_buf b;                    /* the object being written */
	size_t *off;                 /* by object number, from 1 */
	size_t nobj, capobj;         /* objects numbered so far */
	size_t *pages;               /* the page objects */
	size_t npages, cappages;
	size_t font[EV_EMBED_SLOTS]; /* Type0 object (then CIDFont, descriptor,
	                                file, ToUnicode), 0 before first use */
	size_t *shared;              /* by store stream number, 0 not yet */
	size_t capshared;
	ev_buf titles;               /* the outline's titles, in hex */
	struct entry { size_t page, at, len; } *ol;
	size_t nol, capol;
	bool info;
};

/* Room for one more in a growing array (doubling). */
static int grow(void **v, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 64;
	void *p = realloc(*v, c * size);
	if (!p)
		return -1;
	*v = p;
	*cap = c;
	return 0;
}

static void emit_bytes(ev_pdfstream *s, const void *p, size_t n)
{
	if (!s->failed && n && fwrite(p, 1, n, s->f) != n)
		s->failed = true;
	s->pos += n;
}

/* The next object number, or 0 when out of memory. */
static size_t number(ev_pdfstream *s)
{
	if (grow((void **)&s->off, s->nobj + 2, &s->capobj, sizeof *s->off) < 0)
		return 0;
	s->off[++s->nobj] = 0;
	return s->nobj;
}

/* Object obj: s->b as its dictionary, then the stream data (when any). */
static void emit_object(ev_pdfstream *s, size_t obj, const void *data, size_t len,
                        bool stream)
{
	char head[32];
	s->off[obj] = s->pos;
	emit_bytes(s, head, (size_t)snprintf(head, sizeof head, "%zu 0 obj\n", obj));
	emit_bytes(s, s->b.data, s->b.len);
	if (stream) {
		emit_bytes(s, "stream\n", 7);
		emit_bytes(s, data, len);
		emit_bytes(s, "\nendstream", 10);
	}
	emit_bytes(s, "\nendobj\n", 8);
	if (s->b.failed)
		s->failed = true;
	ev_buf_reset(&s->b);
}

/* A stream object of deflated bytes; its number, or 0. */
static size_t emit_stream(ev_pdfstream *s, const void *data, size_t len, size_t length1)
{
	size_t obj = number(s);
	if (!obj)
		return 0;
	ev_buf_puts(&s->b, "<</Length ");
	put_uint(&s->b, len);
	if (length1) {
		ev_buf_puts(&s->b, "/Length1 ");
		put_uint(&s->b, length1);
	}
	ev_buf_puts(&s->b, "/Filter/FlateDecode>>");
	emit_object(s, obj, data, len, true);
	return obj;
}

ev_pdfstream *ev_pdfstream_open(const char *path, const ev_embed *fonts,
                                const ev_pdf_meta *meta)
{
	ev_pdfstream *s = calloc(1, sizeof *s);
	if (!s || !(s->path = strdup(path)) || !(s->f = fopen(path, "wbx"))) {
		int e = errno;
		if (s)
			free(s->path);
		free(s);
		errno = s ? e : ENOMEM;
		return NULL;
	}
	/* Big writes: the file is written once, front to back. */
	setvbuf(s->f, NULL, _IOFBF, 1 << 18);
	s->fonts = fonts;
	s->info = has_info(meta);
	emit_bytes(s, "%PDF-1.5\n%\xE2\xE3\xCF\xD3\n", 15);
	/* 1 the catalog, 2 the page tree (both written last), 3 the info. */
	number(s);
	number(s);
	if (s->info && number(s)) {
		put_info(&s->b, meta);
		emit_object(s, 3, NULL, 0, false);
	}
	if (!s->off || s->failed) {
		ev_pdfstream_abort(s);
		errno = errno ? errno : ENOMEM;
		return NULL;
	}
	return s;
}

/* Number the fonts used or sused marks on first use (written at the
 * end). -1 when out of memory. */
static int number_fonts(ev_pdfstream *s, const bool *used, const bool *sused)
{
	for (int f = 0; f < EV_EMBED_SLOTS; f++)
		if ((used[f] || (sused && sused[f])) && s->fonts->slot[f] && !s->font[f]) {
			s->font[f] = number(s);
			for (int k = 0; k < 4; k++)
				if (!number(s))
					s->font[f] = 0;
			if (!s->font[f])
				return -1;
		}
	return 0;
}

size_t ev_pdfstream_form(ev_pdfstream *s, const void *data, size_t len, double w,
                         double h, const bool *used)
{
	size_t obj;
	if (number_fonts(s, used, NULL) < 0 || !(obj = number(s))) {
		errno = ENOMEM;
		return 0;
	}
	ev_buf_puts(&s->b, "<</Type/XObject/Subtype/Form/BBox[0 0 ");
	put_size(&s->b, w);
	ev_buf_putc(&s->b, ' ');
	put_size(&s->b, h);
	ev_buf_putc(&s->b, ']');
	put_resources(&s->b, used, NULL, s->font, NULL, 0);
	ev_buf_puts(&s->b, "/Length ");
	put_uint(&s->b, len);
	ev_buf_puts(&s->b, "/Filter/FlateDecode>>");
	emit_object(s, obj, data, len, true);
	return s->failed ? 0 : obj;
}

int ev_pdfstream_page(ev_pdfstream *s, const ev_pdf_pages *pg, const struct recpage *r,
                      const ev_pdfstream_xobject *xo, size_t n)
{
	if ((r->forms && !n) || pg->fonts != s->fonts) {
		errno = EINVAL;
		return -1;
	}
	if (number_fonts(s, r->used, r->sused) < 0)
		goto oom;
	size_t own = emit_stream(s, pg->rec.data + r->off, r->len, 0), shared = 0;
	size_t slen;
	const unsigned char *sdata = ev_recpage_shared(pg, r, &slen);
	if (r->shared) {
		size_t id = r->shared->id;
		if (id >= s->capshared) {
			size_t cap = s->capshared ? s->capshared : 16;
			while (cap <= id)
				cap *= 2;
			size_t *v = realloc(s->shared, cap * sizeof *v);
			if (!v)
				goto oom;
			memset(v + s->capshared, 0, (cap - s->capshared) * sizeof *v);
			s->shared = v;
			s->capshared = cap;
		}
		if (!s->shared[id])
			s->shared[id] = emit_stream(s, sdata, slen, 0);
		shared = s->shared[id];
	} else if (slen) {
		shared = emit_stream(s, sdata, slen, 0);
	}
	size_t page = number(s);
	if (!own || (slen && !shared) || !page ||
	    grow((void **)&s->pages, s->npages, &s->cappages, sizeof *s->pages) < 0)
		goto oom;
	page_dict(&s->b, r, s->font, own, shared, xo, n);
	emit_object(s, page, NULL, 0, false);
	s->pages[s->npages++] = page;
	return s->failed ? -1 : 0;
oom:
	errno = ENOMEM;
	return -1;
}

int ev_pdfstream_outline(ev_pdfstream *s, const char *title, size_t page)
{
	if (grow((void **)&s->ol, s->nol, &s->capol, sizeof *s->ol) < 0)
		return -1;
	size_t at = s->titles.len;
	put_text(&s->titles, title);
	if (s->titles.failed)
		return -1;
	s->ol[s->nol++] = (struct entry){page, at, s->titles.len - at};
	return 0;
}

size_t ev_pdfstream_pages(const ev_pdfstream *s)
{
	return s->npages;
}

/* The outline: its root numbered root, its entries after it. */
static void emit_outline(ev_pdfstream *s, size_t root)
{
	size_t first = root + 1;
	for (size_t i = 0; i < s->nol; i++) {
		ev_buf_puts(&s->b, "<</Title");
		ev_buf_append(&s->b, s->titles.data + s->ol[i].at, s->ol[i].len);
		ev_buf_puts(&s->b, "/Parent ");
		put_ref(&s->b, root);
		if (i) {
			ev_buf_puts(&s->b, "/Prev ");
			put_ref(&s->b, first + i - 1);
		}
		if (i + 1 < s->nol) {
			ev_buf_puts(&s->b, "/Next ");
			put_ref(&s->b, first + i + 1);
		}
		ev_buf_puts(&s->b, "/Dest[");
		put_ref(&s->b, s->pages[s->ol[i].page]);
		ev_buf_puts(&s->b, "/Fit]>>");
		emit_object(s, first + i, NULL, 0, false);
	}
	ev_buf_puts(&s->b, "<</Type/Outlines/First ");
	put_ref(&s->b, first);
	ev_buf_puts(&s->b, "/Last ");
	put_ref(&s->b, first + s->nol - 1);
	ev_buf_puts(&s->b, "/Count ");
	put_uint(&s->b, s->nol);
	ev_buf_puts(&s->b, ">>");
	emit_object(s, root, NULL, 0, false);
}

int ev_pdfstream_close(ev_pdfstream *s)
{
	/* The fonts, whole. */
	for (int f = 0; f < EV_EMBED_SLOTS; f++) {
		if (!s->font[f])
			continue;
		const ev_embedded *e = s->fonts->slot[f];
		size_t o = s->font[f];
		type0_dict(&s->b, e->base_font, o + 1, o + 4);
		emit_object(s, o, NULL, 0, false);
		cid_dict(&s->b, e, e->base_font, o + 2);
		emit_object(s, o + 1, NULL, 0, false);
		descriptor_dict(&s->b, e, e->base_font, o + 3);
		emit_object(s, o + 2, NULL, 0, false);
		ev_buf_puts(&s->b, "<</Length ");
		put_uint(&s->b, e->file.len);
		ev_buf_puts(&s->b, "/Length1 ");
		put_uint(&s->b, e->file_len);
		ev_buf_puts(&s->b, "/Filter/FlateDecode>>");
		emit_object(s, o + 3, e->file.data, e->file.len, true);
		ev_buf_puts(&s->b, "<</Length ");
		put_uint(&s->b, e->tounicode.len);
		ev_buf_puts(&s->b, "/Filter/FlateDecode>>");
		emit_object(s, o + 4, e->tounicode.data, e->tounicode.len, true);
	}
	size_t outline = 0;
	if (s->nol) {
		outline = number(s);
		for (size_t i = 0; i < s->nol; i++)
			if (!number(s) || s->ol[i].page >= s->npages)
				s->failed = true;
		if (!s->failed)
			emit_outline(s, outline);
	}
	ev_buf_puts(&s->b, "<</Type/Pages/Kids[");
	for (size_t i = 0; i < s->npages; i++) {
		if (i)
			ev_buf_putc(&s->b, ' ');
		put_ref(&s->b, s->pages[i]);
	}
	ev_buf_puts(&s->b, "]/Count ");
	put_uint(&s->b, s->npages);
	ev_buf_puts(&s->b, ">>");
	emit_object(s, 2, NULL, 0, false);
	ev_buf_puts(&s->b, "<</Type/Catalog/Pages 2 0 R");
	if (outline) {
		ev_buf_puts(&s->b, "/Outlines ");
		put_ref(&s->b, outline);
		ev_buf_puts(&s->b, "/PageMode/UseOutlines");
	}
	ev_buf_puts(&s->b, ">>");
	emit_object(s, 1, NULL, 0, false);
	/* The cross-reference table and the trailer. */
	size_t xref_at = s->pos;
	char line[64];
	emit_bytes(s, line, (size_t)snprintf(line, sizeof line, "xref\n0 %zu\n", s->nobj + 1));
	emit_bytes(s, "0000000000 65535 f \n", 20);
	for (size_t o = 1; o <= s->nobj; o++)
		emit_bytes(s, line, (size_t)snprintf(line, sizeof line, "%010zu 00000 n \n", s->off[o]));
	ev_buf_puts(&s->b, "trailer\n<</Size ");
	put_uint(&s->b, s->nobj + 1);
	ev_buf_puts(&s->b, "/Root 1 0 R");
	if (s->info)
		ev_buf_puts(&s->b, "/Info 3 0 R");
	ev_buf_puts(&s->b, ">>\nstartxref\n");
	put_uint(&s->b, xref_at);
	ev_buf_puts(&s->b, "\n%%EOF\n");
	emit_bytes(s, s->b.data, s->b.len);
	int e = s->failed ? (errno ? errno : EIO) : 0;
	if (s->b.failed && !e)
		e = ENOMEM;
	if (fclose(s->f) != 0 && !e)
		e = errno;
	s->f = NULL;
	if (e) {
		unlink(s->path);
		ev_pdfstream_abort(s);
		errno = e;
		return -1;
	}
	ev_pdfstream_abort(s);   /* frees; the file is complete: keep it */
	return 0;
}

void ev_pdfstream_abort(ev_pdfstream *s)
{
	if (!s)
		return;
	if (s->f) {
		fclose(s->f);
		unlink(s->path);
	}
	free(s->path);
	ev_buf_free(&s->b);
	ev_buf_free(&s->titles);
	free(s->off);
	free(s->pages);
	free(s->shared);
	free(s->ol);
	free(s);
}
