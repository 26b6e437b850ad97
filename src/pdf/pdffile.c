/* pdffile.c - a letter's PDF file written directly (see pdffile.h).
 *
 * Objects are numbered in a fixed order: the catalog (1), the page tree
 * (2), the pages, then per font the Type0 font, its CIDFont and its
 * descriptor, then the information dictionary - all of these in the
 * object stream - then the streams: each page's own and shared content,
 * each font's file and ToUnicode CMap, the object stream and last the
 * cross-reference stream. Nothing depends on the time or the machine. */
#include "pdffile.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

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

/* Font slot s's three dictionaries, the Type0 font numbered obj, its
 * name base_font. */
static void put_font(objstm *os, xref *x, const ev_embedded *e, const char *base_font,
                     size_t obj, size_t file, size_t tounicode)
{
	ev_buf *b = os->dicts;
	const ev_font_info *in = &e->info;
	begin_dict(os, x, obj);
	ev_buf_puts(b, "<</Type/Font/Subtype/Type0/BaseFont/");
	ev_buf_puts(b, base_font);
	ev_buf_puts(b, "/Encoding/Identity-H/DescendantFonts[");
	put_ref(b, obj + 1);
	ev_buf_puts(b, "]/ToUnicode ");
	put_ref(b, tounicode);
	ev_buf_puts(b, ">>");
	begin_dict(os, x, obj + 1);
	ev_buf_puts(b, "<</Type/Font/Subtype/CIDFontType2/BaseFont/");
	ev_buf_puts(b, base_font);
	ev_buf_puts(b, "/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>"
	            "/FontDescriptor ");
	put_ref(b, obj + 2);
	ev_buf_puts(b, "/CIDToGIDMap/Identity/W");
	ev_buf_append(b, e->widths.data, e->widths.len);
	ev_buf_puts(b, ">>");
	/* Flags: 1 fixed pitch, 2 serif, 4 symbolic (a CID font's glyphs are
	 * not the standard Latin set), 64 italic. */
	long flags = 4 | (in->fixed_pitch ? 1 : 0) | (in->serif ? 2 : 0) |
	             (in->italic ? 64 : 0);
	begin_dict(os, x, obj + 2);
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
	for (size_t i = 0; i < pg->n; i++) {
		const struct recpage *r = &pg->rp[i];
		size_t slen;
		ev_recpage_shared(pg, r, &slen);
		begin_dict(&os, &x, first_page + i);
		ev_buf_puts(scratch, "<</Type/Page/Parent 2 0 R/MediaBox[0 0 ");
		put_size(scratch, r->w);
		ev_buf_putc(scratch, ' ');
		put_size(scratch, r->h);
		ev_buf_puts(scratch, "]/Resources<</Font<<");
		size_t k = 0;
		for (int s = 0; s < EV_EMBED_SLOTS; s++) {
			if (!used[s])
				continue;
			if (r->used[s] || r->sused[s]) {
				char name[4] = {'/', 'F', (char)('0' + s), ' '};
				ev_buf_append(scratch, name, sizeof name);   /* slots 0-7 */
				put_ref(scratch, first_font + 3 * k);
			}
			k++;
		}
		ev_buf_puts(scratch, ">>>>/Contents");
		if (shared[i]) {
			ev_buf_putc(scratch, '[');
			put_ref(scratch, own[i]);
			ev_buf_putc(scratch, ' ');
			put_ref(scratch, shared[i]);
			ev_buf_puts(scratch, "]>>");
		} else {
			ev_buf_putc(scratch, ' ');
			put_ref(scratch, own[i]);
			ev_buf_puts(scratch, ">>");
		}
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
				size_t length1;
				ev_buf_reset(packed);
				if (ev_sparse_deflate(&e->sparse, marks[s], f, bufs->font, packed,
				                      &length1) < 0)
					goto full;
				put_stream(out, &x, font_streams + 2 * (size_t)k, packed->data,
				           packed->len, length1);
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
