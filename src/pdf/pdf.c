/* pdf.c - the PDF writer (see pdf.h): libharu's document and object layer,
 * our own fonts and page content.
 *
 * The only file that includes hpdf.h. The fonts are the batch's subsets
 * (embed.c), made once: each document gets Type0/CIDFontType2 objects whose
 * font file and ToUnicode streams are the pre-deflated bytes, and whose /W
 * is the precomputed string. Page content is written here as glyph IDs
 * (CID = glyph ID of the subset), with the kerning and the justified word
 * spaces as TJ adjustments, and deflated by one z_stream per writer.
 * libharu drops a /Filter from a stream it did not filter itself, so the
 * filters are written by write_fn hooks (fast-pdf.md section 2).
 * A letter's page kept as written (ev_pdf_take_pages) is added to another
 * document as a page, or drawn on one as a Form XObject (the proof sheet),
 * its deflated content copied either way (pages.c spills kept pages to a
 * file and reads them back). The outline (bookmarks) is libharu's, its
 * titles through libharu's UTF-8 encoder.
 */
#include "pdf.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>
#include <zlib.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_list.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

#include "flate.h"
#include "pages.h"
#include "pdffile.h"
#include "store.h"
#include "text.h"

/* Longest text item drawn, in bytes (a line of a letter is ~100). */
#define MAX_TEXT 65535u

typedef enum { DOC_NONE, DOC_OPEN, DOC_FAILED } doc_state;

/* A glyph to draw: in which font slot, its CID in that font's subset, and
 * how far the pen moves after it (1/1000 em: the shaped advance, kerning
 * included, plus a justified space's extra). */
typedef struct pglyph {
	int slot;
	uint32_t cid;
	double want;
} pglyph;

/* A part of a kept page (its own content, or the content it shares)
 * drawn in the open document: its Form XObject, made once and named
 * /Fm<number>. Known by where its bytes are; their length and CRC tell
 * bytes freed and others put at the same address, which get a form of
 * their own. */
typedef struct form {
	const unsigned char *data;   /* never read through: the key */
	size_t len;
	uLong crc;
	double w, h;
	HPDF_Dict obj;               /* in a libharu document */
	size_t num;                  /* in a streamed one: its object number */
	size_t page;                 /* last page (1-based) listing it */
} form;

struct ev_pdf {
	HPDF_Doc doc;
	bool raw;                      /* the open document is written by
	                                  pdffile.c, not by libharu */
	ev_pdfstream *stream;          /* ... into a file as it comes */
	char *stream_path;
	ev_pdfstream_xobject *xo;      /* the forms of its page being written */
	size_t capxo;
	HPDF_STATUS err, err_detail;   /* first error libharu reported */
	const ev_embed *fonts;
	const ev_fontset *fs;
	HPDF_Dict font_obj[EV_EMBED_SLOTS];   /* this document's Type0 fonts */
	HPDF_Dict widths_dict[EV_EMBED_SLOTS];/* their CIDFonts, for the /W hook */
	doc_state state;
	size_t npages;                 /* pages in the open document */
	size_t cur_page;               /* page being drawn (1-based), or 0 */
	ev_buf content, packed;        /* a page's content, and deflated */
	ev_buf key, scratch;           /* shared items' key; the file writer's */
	ev_flate flate;
	ev_pdf_store *store;           /* the batch's shared content, or NULL */
	/* The glyphs the open document draws, a byte per glyph of each
	 * font's subset (for the letter's own copy of the font); those of
	 * the shared content being encoded, listed (slot << 16 | CID). */
	unsigned char *mark[EV_EMBED_SLOTS];
	ev_buf sglyphs, fontfile;
	bool collecting;
	ev_pdffile_font last_font[EV_EMBED_SLOTS];
	/* The pages of the last document, deflated, for ev_pdf_take_pages. */
	ev_pages_pool *pages_pool;     /* their blocks' memory, or NULL */
	ev_buf rec;
	struct recpage *rp;
	size_t nrp, caprp;
	/* The open libharu document's stream objects of stored shared
	 * content, by the stream's number (NULL: not made yet). */
	HPDF_Dict *shared_obj;
	size_t cap_shared_obj;
	/* The open document's forms (by number), a hash table of their
	 * numbers + 1 by (pages, index), 0 when empty, and the forms the page
	 * being drawn uses. */
	form *forms;
	size_t nforms, capforms;
	size_t *form_hash, hashcap;
	size_t *page_forms, npage_forms, cappage_forms;
	bool outlined;                 /* the open document has an outline */
	ev_glyph *glyphs;              /* MAX_TEXT of them: one shaped piece */
	pglyph *line;                  /* MAX_TEXT of them: a text item */
	/* Why the display list being drawn cannot be (a character the fonts
	 * or the batch's subsets lack: the letter's fault, not the writer's),
	 * or "". */
	char refused[160];
};

/* What is current in a page's content, to skip redundant operators. */
typedef struct page_state {
	int slot;
	double size;
	double line_width;
	bool in_text;
	long long lx, ly;              /* the text line's start, 1/100 pt */
	bool used[EV_EMBED_SLOTS];     /* fonts this page uses */
} page_state;

/* libharu calls this on every error. Keep the first: later calls are often
 * consequences of it (errors are sticky until HPDF_ResetError). */
static void on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *ud)
{
	ev_pdf *p = ud;
	if (p && !p->err) {
		p->err = error_no;
		p->err_detail = detail_no;
	}
}

static const char *error_text(HPDF_STATUS code)
{
	switch (code) {
	case HPDF_FAILD_TO_ALLOC_MEM: return "out of memory";
	case HPDF_PAGE_INVALID_SIZE: return "page size out of range (3 to 14400 pt)";
	case HPDF_PAGE_OUT_OF_RANGE: return "value out of range";
	default: return "internal error";
	}
}

/* Turn a libharu status (or an error the handler saw) into a diagnostic.
 * Returns 0 when neither reports a failure, else -1. */
static int check(ev_pdf *p, HPDF_STATUS rc, ev_diags *d, const char *what)
{
	if (rc == HPDF_OK && p->err == HPDF_OK)
		return 0;
	HPDF_STATUS code = p->err ? p->err : rc;
	char where[32] = "";
	if (p->cur_page)
		snprintf(where, sizeof where, "page %zu: ", p->cur_page);
	ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL,
	            "PDF writer: %s%s: %s (libharu error 0x%04X, detail %u)", where,
	            what, error_text(code), (unsigned)code,
	            (unsigned)p->err_detail);
	return -1;
}

static int fail(ev_pdf *p, ev_diags *d, const char *fmt, const char *arg)
{
	char where[32] = "";
	if (p->cur_page)
		snprintf(where, sizeof where, "page %zu: ", p->cur_page);
	ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "PDF writer: %s%s%s", where,
	            fmt, arg ? arg : "");
	return -1;
}

ev_pdf *ev_pdf_new(const ev_embed *fonts, const ev_fontset *fs, ev_diags *d)
{
	ev_pdf *p = calloc(1, sizeof *p);
	if (p) {
		p->glyphs = malloc(MAX_TEXT * sizeof *p->glyphs);
		p->line = malloc(MAX_TEXT * sizeof *p->line);
	}
	bool marks = true;
	for (int s = 0; p && s < EV_EMBED_SLOTS; s++)
		if (fonts->slot[s] && fonts->slot[s]->sparse.nglyphs &&
		    !(p->mark[s] = calloc(fonts->slot[s]->sparse.nglyphs, 1)))
			marks = false;
	if (p && p->glyphs && p->line && marks)
		p->doc = HPDF_New(on_error, p);
	if (!p || !p->glyphs || !p->line || !marks || !p->doc) {
		ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "PDF writer: out of memory");
		ev_pdf_free(p);
		return NULL;
	}
	p->fonts = fonts;
	p->fs = fs;
	HPDF_STATUS rc = HPDF_UseUTFEncodings(p->doc);
	if (check(p, rc, d, "cannot enable UTF-8") < 0) {
		ev_pdf_free(p);
		return NULL;
	}
	return p;
}

void ev_pdf_free(ev_pdf *p)
{
	if (!p)
		return;
	if (p->doc)
		HPDF_Free(p->doc);
	ev_pdfstream_abort(p->stream);
	free(p->stream_path);
	free(p->xo);
	ev_flate_free(&p->flate);
	ev_buf_free(&p->content);
	ev_buf_free(&p->packed);
	ev_buf_free(&p->key);
	ev_buf_free(&p->scratch);
	ev_buf_free(&p->sglyphs);
	ev_buf_free(&p->fontfile);
	for (int s = 0; s < EV_EMBED_SLOTS; s++) {
		free(p->mark[s]);
		ev_buf_free(&p->last_font[s].marks);
		ev_buf_free(&p->last_font[s].file);
	}
	free(p->shared_obj);
	ev_buf_free(&p->rec);
	free(p->rp);
	free(p->forms);
	free(p->form_hash);
	free(p->page_forms);
	free(p->glyphs);
	free(p->line);
	free(p);
}

void ev_pdf_set_store(ev_pdf *p, ev_pdf_store *store)
{
	p->store = store;
}

void ev_pdf_set_pages_pool(ev_pdf *p, ev_pages_pool *pool)
{
	p->pages_pool = pool;
}

/* ---- numbers and strings in content ---- */

/* v rounded to `places` decimals (at most 5), without trailing zeros or an
 * exponent, written by integer code so no locale can make the point a
 * comma. */
static void put_num(ev_buf *b, double v, int places)
{
	static const long long scale[] = {1, 10, 100, 1000, 10000, 100000};
	long long m = llround(v * (double)scale[places]);
	if (m < 0) {
		ev_buf_putc(b, '-');
		m = -m;
	}
	char digits[24];
	int n = 0;
	long long whole = m / scale[places];
	do {
		digits[sizeof digits - 1 - n++] = (char)('0' + whole % 10);
		whole /= 10;
	} while (whole && n < (int)sizeof digits);
	ev_buf_append(b, digits + sizeof digits - n, (size_t)n);
	long long frac = m % scale[places];
	if (frac) {
		char f[7] = {'.'};
		int k = 1;
		for (long long s = scale[places] / 10; s > 0 && frac; s /= 10) {
			f[k++] = (char)('0' + frac / s);
			frac %= s;
		}
		ev_buf_append(b, f, (size_t)k);
	}
}

/* One CID as two bytes of a literal string; the bytes PDF would read
 * otherwise (parentheses, backslash, CR, LF) escaped. Writes at most 4
 * bytes at out; returns how many. */
static size_t put_cid(char *out, uint32_t cid)
{
	unsigned char two[2] = {(unsigned char)(cid >> 8), (unsigned char)cid};
	size_t n = 0;
	for (int i = 0; i < 2; i++) {
		unsigned char ch = two[i];
		if (ch == '(' || ch == ')' || ch == '\\') {
			out[n++] = '\\';
			out[n++] = (char)ch;
		} else if (ch == '\r' || ch == '\n') {
			out[n++] = '\\';
			out[n++] = ch == '\r' ? 'r' : 'n';
		} else {
			out[n++] = (char)ch;
		}
	}
	return n;
}

/* ---- fonts in a document ---- */

/* The hooks write what libharu would drop or build slowly. */
static HPDF_STATUS flate_hook(HPDF_Dict dict, HPDF_Stream stream)
{
	(void)dict;
	return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

static HPDF_STATUS widths_hook(HPDF_Dict dict, HPDF_Stream stream)
{
	ev_pdf *p = dict->error ? dict->error->user_data : NULL;
	for (int s = 0; p && s < EV_EMBED_SLOTS; s++)
		if (p->widths_dict[s] == dict) {
			HPDF_STATUS rc = HPDF_Stream_WriteStr(stream, "/W ");
			if (rc == HPDF_OK)
				rc = HPDF_Stream_Write(stream,
				        (const HPDF_BYTE *)p->fonts->slot[s]->widths.data,
				        (HPDF_UINT)p->fonts->slot[s]->widths.len);
			if (rc == HPDF_OK)
				rc = HPDF_Stream_WriteStr(stream, "\012");
			return rc;
		}
	return HPDF_INVALID_OBJECT;
}

/* A read-only stream over shared bytes (the batch's deflated font files):
 * libharu reads them when it saves, so they are not copied into every
 * document first. */
typedef struct shared_bytes {
	const unsigned char *data;
	size_t len, pos;
} shared_bytes;

static HPDF_STATUS shared_read(HPDF_Stream s, HPDF_BYTE *ptr, HPDF_UINT *siz)
{
	shared_bytes *b = s->attr;
	size_t n = b->len - b->pos;
	if (n > *siz)
		n = *siz;
	memcpy(ptr, b->data + b->pos, n);
	b->pos += n;
	*siz = (HPDF_UINT)n;
	return b->pos == b->len ? HPDF_STREAM_EOF : HPDF_OK;
}

static HPDF_STATUS shared_seek(HPDF_Stream s, HPDF_INT pos, HPDF_WhenceMode mode)
{
	shared_bytes *b = s->attr;
	long at = mode == HPDF_SEEK_SET ? 0 : mode == HPDF_SEEK_CUR ? (long)b->pos : (long)b->len;
	at += pos;
	if (at < 0 || (size_t)at > b->len)
		return HPDF_STREAM_EOF;
	b->pos = (size_t)at;
	return HPDF_OK;
}

static HPDF_INT32 shared_tell(HPDF_Stream s)
{
	return (HPDF_INT32)((shared_bytes *)s->attr)->pos;
}

static HPDF_UINT32 shared_size(HPDF_Stream s)
{
	return (HPDF_UINT32)((shared_bytes *)s->attr)->len;
}

/* libharu's callback reader does not free its state (fast-pdf.md §5). */
static void shared_free(HPDF_Stream s)
{
	free(s->attr);
	s->attr = NULL;
}

/* A stream object holding bytes that are already deflated, read from
 * where they are when the document is saved. */
static HPDF_Dict deflated_stream(ev_pdf *p, const void *data, size_t len)
{
	HPDF_Dict s = HPDF_DictStream_New(p->doc->mmgr, p->doc->xref);
	shared_bytes *b = s ? malloc(sizeof *b) : NULL;
	if (!b)
		return NULL;
	*b = (shared_bytes){data, len, 0};
	HPDF_Stream cb = HPDF_CallbackReader_New(p->doc->mmgr, shared_read, shared_seek,
	                                         shared_tell, shared_size, b);
	if (!cb) {
		free(b);
		return NULL;
	}
	cb->free_fn = shared_free;
	HPDF_Stream_Free(s->stream);
	s->stream = cb;
	s->filter = HPDF_STREAM_FILTER_NONE;
	s->write_fn = flate_hook;
	return s;
}

static HPDF_Dict indirect_dict(ev_pdf *p)
{
	HPDF_Dict d = HPDF_Dict_New(p->doc->mmgr);
	if (d && HPDF_Xref_Add(p->doc->xref, d) != HPDF_OK)
		return NULL;   /* Xref_Add frees it on failure */
	return d;
}

/* The Type0 font of slot s in this document, made on first use. */
static HPDF_Dict font_object(ev_pdf *p, int s, ev_diags *d)
{
	if (p->font_obj[s])
		return p->font_obj[s];
	const ev_embedded *e = p->fonts->slot[s];
	const ev_font_info *in = &e->info;
	HPDF_MMgr mm = p->doc->mmgr;
	HPDF_STATUS rc = HPDF_OK;

	HPDF_Dict file = deflated_stream(p, e->file.data, e->file.len);
	HPDF_Dict tounicode = deflated_stream(p, e->tounicode.data, e->tounicode.len);
	if (!file || !tounicode)
		goto bad;
	rc |= HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)e->file_len);

	HPDF_Dict desc = indirect_dict(p);
	if (!desc)
		goto bad;
	HPDF_Array bbox = HPDF_Array_New(mm);
	if (!bbox)
		goto bad;
	for (int i = 0; i < 4; i++)
		rc |= HPDF_Array_AddNumber(bbox, (HPDF_INT32)lround(in->bbox[i]));
	/* Flags: 1 fixed pitch, 2 serif, 4 symbolic (a CID font's glyphs are
	 * not the standard Latin set), 64 italic, 2^18 force bold. */
	HPDF_INT32 flags = 4 | (in->fixed_pitch ? 1 : 0) | (in->serif ? 2 : 0) |
	                   (in->italic ? 64 : 0);
	rc |= HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
	rc |= HPDF_Dict_AddName(desc, "FontName", e->base_font);
	rc |= HPDF_Dict_AddNumber(desc, "Flags", flags);
	rc |= HPDF_Dict_Add(desc, "FontBBox", bbox);
	rc |= HPDF_Dict_AddNumber(desc, "ItalicAngle", (HPDF_INT32)lround(in->italic_angle));
	rc |= HPDF_Dict_AddNumber(desc, "Ascent", (HPDF_INT32)lround(in->ascent));
	rc |= HPDF_Dict_AddNumber(desc, "Descent", (HPDF_INT32)lround(in->descent));
	rc |= HPDF_Dict_AddNumber(desc, "CapHeight", (HPDF_INT32)lround(in->cap_height));
	rc |= HPDF_Dict_AddNumber(desc, "StemV", (HPDF_INT32)lround(in->stem_v));
	rc |= HPDF_Dict_Add(desc, "FontFile2", file);

	HPDF_Dict cid = indirect_dict(p);
	HPDF_Dict info = HPDF_Dict_New(mm);
	if (!cid || !info)
		goto bad;
	rc |= HPDF_Dict_Add(info, "Registry", HPDF_String_New(mm, "Adobe", NULL));
	rc |= HPDF_Dict_Add(info, "Ordering", HPDF_String_New(mm, "Identity", NULL));
	rc |= HPDF_Dict_AddNumber(info, "Supplement", 0);
	rc |= HPDF_Dict_AddName(cid, "Type", "Font");
	rc |= HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
	rc |= HPDF_Dict_AddName(cid, "BaseFont", e->base_font);
	rc |= HPDF_Dict_Add(cid, "CIDSystemInfo", info);
	rc |= HPDF_Dict_Add(cid, "FontDescriptor", desc);
	rc |= HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity");
	cid->write_fn = widths_hook;
	p->widths_dict[s] = cid;

	HPDF_Dict type0 = indirect_dict(p);
	HPDF_Array desc_fonts = HPDF_Array_New(mm);
	if (!type0 || !desc_fonts)
		goto bad;
	rc |= HPDF_Array_Add(desc_fonts, cid);
	rc |= HPDF_Dict_AddName(type0, "Type", "Font");
	rc |= HPDF_Dict_AddName(type0, "Subtype", "Type0");
	rc |= HPDF_Dict_AddName(type0, "BaseFont", e->base_font);
	rc |= HPDF_Dict_AddName(type0, "Encoding", "Identity-H");
	rc |= HPDF_Dict_Add(type0, "DescendantFonts", desc_fonts);
	rc |= HPDF_Dict_Add(type0, "ToUnicode", tounicode);
	if (rc != HPDF_OK)
		goto bad;
	p->font_obj[s] = type0;
	return type0;
bad:
	check(p, rc ? rc : HPDF_FAILD_TO_ALLOC_MEM, d, "cannot make font objects");
	return NULL;
}

/* ---- page content ---- */

static void end_text(ev_pdf *p, page_state *ps)
{
	if (ps->in_text)
		ev_buf_puts(&p->content, "ET\n");
	ps->in_text = false;
}

/* The display list cannot be drawn because of character cp: -1, with the
 * reason kept for ev_pdf_render (or ev_pdf_add's error). */
static int refuse(ev_pdf *p, const char *why, uint32_t cp)
{
	char ch[8] = "";
	if (cp >= 0x20 && !ev_is_invisible(cp)) {
		ch[0] = ' ';
		ch[1] = '\'';
		size_t k = ev_utf8_encode(cp, ch + 2);
		ch[2 + k] = '\'';
		ch[3 + k] = '\0';
	}
	snprintf(p->refused, sizeof p->refused, "page %zu: %s U+%04X%s", p->cur_page,
	         why, (unsigned)cp, ch);
	return -1;
}

/* Shape one word (or one space) of an item onto p->line, font run by font
 * run, each through its font's cache. */
static int shape_piece(ev_pdf *p, const ev_item *it, const char *w, size_t wl,
                       size_t *n, ev_diags *d)
{
	while (wl > 0) {
		int which;
		size_t k = ev_fontset_run(p->fs, it->face, w, wl, &which);
		if (k == 0 || k > wl)
			k = wl;
		if (which < 0) {
			uint32_t cp = 0xFFFD;
			ev_utf8_decode(w, wl, &cp);
			return refuse(p, "no font has the character", cp);
		}
		int slot = which * EV_FACE_COUNT + (int)it->face;
		const ev_embedded *e = p->fonts->slot[slot];
		ev_font *font = which ? p->fs->fallback[it->face] : p->fs->face[it->face];
		if (!e || !font) {
			uint32_t cp = 0xFFFD;
			ev_utf8_decode(w, wl, &cp);
			return refuse(p, "the batch did not collect the font drawing", cp);
		}
		size_t g = ev_font_shape(font, w, k, p->glyphs, MAX_TEXT);
		if (g > MAX_TEXT - *n)
			return fail(p, d, "text too long to draw", NULL);
		for (size_t i = 0; i < g; i++) {
			const ev_glyph *gl = &p->glyphs[i];
			uint32_t cid = gl->gid < e->sub.nglyphs ? e->sub.old_to_new[gl->gid] : 0;
			if (!cid && gl->gid)
				return refuse(p, "the batch's font subset lacks the glyph "
				              "drawn for", gl->cp);
			double extra = gl->cp == ' ' ? it->word_space * 1000.0 / it->size : 0;
			p->line[(*n)++] = (pglyph){slot, cid, gl->advance + extra};
		}
		w += k;
		wl -= k;
	}
	return 0;
}

/* Note that the open document draws glyph cid of slot: for its own copy
 * of each font, and for the store when the shared content is encoded. */
static void mark_glyph(ev_pdf *p, int slot, uint32_t cid)
{
	if (p->mark[slot] && cid < p->fonts->slot[slot]->sparse.nglyphs)
		p->mark[slot][cid] = 1;
	if (p->collecting) {
		uint32_t g = (uint32_t)slot << 16 | cid;
		ev_buf_append(&p->sglyphs, &g, sizeof g);
	}
}

/* An item's glyphs as TJ arrays, one per run of one font: the adjustment
 * after each glyph is its /W width less where the pen must go. */
static void emit(ev_pdf *p, const ev_item *it, double x, double y, size_t n,
                 page_state *ps)
{
	ev_buf *c = &p->content;
	if (!ps->in_text) {
		ev_buf_puts(c, "BT\n");
		ps->lx = ps->ly = 0;
	}
	ps->in_text = true;
	for (size_t i = 0; i < n;) {
		int slot = p->line[i].slot;
		const ev_embedded *e = p->fonts->slot[slot];
		if (slot != ps->slot || it->size != ps->size) {
			char fname[4] = {'/', 'F', (char)('0' + slot), ' '};
			ev_buf_append(c, fname, sizeof fname);   /* slots 0-7 */
			put_num(c, it->size, 2);
			ev_buf_puts(c, " Tf\n");
			ps->slot = slot;
			ps->size = it->size;
		}
		ps->used[slot] = true;
		/* The line's start, in hundredths of a point, from the last
		 * line's (Td): the first after BT from the origin. */
		long long lx = llround(x * 100), ly = llround(y * 100);
		put_num(c, (double)(lx - ps->lx) / 100, 2);
		ev_buf_putc(c, ' ');
		put_num(c, (double)(ly - ps->ly) / 100, 2);
		ev_buf_puts(c, " Td\n[(");
		ps->lx = lx;
		ps->ly = ly;
		double total = 0;
		size_t j = i;
		for (; j < n && p->line[j].slot == slot; j++) {
			const pglyph *g = &p->line[j];
			mark_glyph(p, slot, g->cid);
			char cid[4];
			ev_buf_append(c, cid, put_cid(cid, g->cid));
			total += g->want;
			double adj = (double)lround(e->sub.new_width[g->cid]) - g->want;
			if (fabs(adj) >= 0.05 && j + 1 < n && p->line[j + 1].slot == slot) {
				ev_buf_putc(c, ')');
				put_num(c, adj, 1);
				ev_buf_putc(c, '(');
			}
		}
		ev_buf_puts(c, ")] TJ\n");
		x += total * it->size / 1000.0;
		i = j;
	}
}

static int draw_text(ev_pdf *p, double ph, const ev_item *it, page_state *ps,
                     ev_diags *d)
{
	if (it->len > MAX_TEXT)
		return fail(p, d, "text too long to draw", NULL);
	if (ev_utf8_invalid_at(it->text, it->len) != (size_t)-1)
		return fail(p, d, "invalid UTF-8 in text", NULL);
	/* Word by word, as layout measured: each word and each space is
	 * shaped on its own, so the shaping cache serves every letter. */
	const char *s = it->text;
	size_t left = it->len, n = 0;
	while (left > 0) {
		/* memchr, not strcspn: the text may hold a NUL (refused later). */
		const char *sp = memchr(s, ' ', left);
		size_t k = *s == ' ' ? 1 : sp ? (size_t)(sp - s) : left;
		if (shape_piece(p, it, s, k, &n, d) < 0)
			return -1;
		s += k;
		left -= k;
	}
	emit(p, it, it->x, ph - it->y, n, ps);
	return p->content.failed ? fail(p, d, "out of memory", NULL) : 0;
}

/* A line, or the outline of a rectangle (its y is the top edge in the
 * display list), stroked in black. */
static void draw_shape(ev_pdf *p, double ph, const ev_item *it, page_state *ps)
{
	ev_buf *c = &p->content;
	end_text(p, ps);
	if (it->stroke != ps->line_width) {
		put_num(c, it->stroke, 2);
		ev_buf_puts(c, " w\n");
		ps->line_width = it->stroke;
	}
	put_num(c, it->x, 2);
	ev_buf_putc(c, ' ');
	if (it->kind == EV_ITEM_LINE) {
		put_num(c, ph - it->y, 2);
		ev_buf_puts(c, " m ");
		put_num(c, it->x2, 2);
		ev_buf_putc(c, ' ');
		put_num(c, ph - it->y2, 2);
		ev_buf_puts(c, " l S\n");
	} else {
		put_num(c, ph - it->y - it->y2, 2);
		ev_buf_putc(c, ' ');
		put_num(c, it->x2, 2);
		ev_buf_putc(c, ' ');
		put_num(c, it->y2, 2);
		ev_buf_puts(c, " re S\n");
	}
}

/* The /Resources of a page or form, made when it has none; NULL when out
 * of memory. */
static HPDF_Dict resources_of(ev_pdf *p, HPDF_Dict owner)
{
	HPDF_Dict res = HPDF_Dict_GetItem(owner, "Resources", HPDF_OCLASS_DICT);
	if (!res) {
		res = HPDF_Dict_New(p->doc->mmgr);
		if (res && HPDF_Dict_Add(owner, "Resources", res) != HPDF_OK)
			return NULL;
	}
	return res;
}

/* The /Resources /Font of a page or form: the fonts it draws with (their
 * objects made on first use in the document). */
static int add_fonts(ev_pdf *p, HPDF_Dict owner, const bool *used, ev_diags *d)
{
	HPDF_Dict res = resources_of(p, owner);
	HPDF_STATUS rc = res ? HPDF_OK : HPDF_FAILD_TO_ALLOC_MEM;
	HPDF_Dict fonts = NULL;
	for (int s = 0; rc == HPDF_OK && s < EV_EMBED_SLOTS; s++) {
		if (!used[s])
			continue;
		if (!font_object(p, s, d))
			return -1;
		if (!fonts) {
			fonts = HPDF_Dict_New(p->doc->mmgr);
			rc = fonts ? HPDF_Dict_Add(res, "Font", fonts) : HPDF_FAILD_TO_ALLOC_MEM;
		}
		char name[8];
		snprintf(name, sizeof name, "F%d", s);
		if (rc == HPDF_OK)
			rc = HPDF_Dict_Add(fonts, name, p->font_obj[s]);
	}
	return check(p, rc, d, "cannot add the page's fonts");
}

/* The page's /Resources /XObject: the forms it draws. */
static int add_forms(ev_pdf *p, HPDF_Page page, ev_diags *d)
{
	if (!p->npage_forms)
		return 0;
	HPDF_Dict res = resources_of(p, page);
	HPDF_Dict xobjects = res ? HPDF_Dict_New(p->doc->mmgr) : NULL;
	HPDF_STATUS rc = xobjects ? HPDF_Dict_Add(res, "XObject", xobjects)
	                          : HPDF_FAILD_TO_ALLOC_MEM;
	for (size_t i = 0; rc == HPDF_OK && i < p->npage_forms; i++) {
		char name[32];
		snprintf(name, sizeof name, "Fm%zu", p->page_forms[i]);
		rc = HPDF_Dict_Add(xobjects, name, p->forms[p->page_forms[i]].obj);
	}
	return check(p, rc, d, "cannot add the page's forms");
}

/* A new page of the open document, w x h points. NULL after an error. */
static HPDF_Page new_page(ev_pdf *p, double w, double h, ev_diags *d)
{
	HPDF_Page page = HPDF_AddPage(p->doc);
	HPDF_STATUS rc = page ? HPDF_OK : HPDF_INVALID_PAGE;
	if (rc == HPDF_OK)
		rc = HPDF_Page_SetWidth(page, (HPDF_REAL)w);
	if (rc == HPDF_OK)
		rc = HPDF_Page_SetHeight(page, (HPDF_REAL)h);
	return check(p, rc, d, "cannot add page") < 0 ? NULL : page;
}

/* A stream object of content already deflated, copied in: libharu must not
 * filter it again, and writes /Filter only through the hook. */
static HPDF_Dict copied_stream(ev_pdf *p, const void *data, size_t len)
{
	HPDF_Dict s = HPDF_DictStream_New(p->doc->mmgr, p->doc->xref);
	if (!s || HPDF_Stream_Write(s->stream, data, (HPDF_UINT)len) != HPDF_OK)
		return NULL;
	s->filter = HPDF_STREAM_FILTER_NONE;
	s->write_fn = flate_hook;
	return s;
}

/* The stream object of a kept page's shared content in the open libharu
 * document: one per stream of the store, however many pages draw it (read
 * from the store when the document is saved); a copy of content the store
 * had no room for. NULL after an error. */
static HPDF_Dict shared_object(ev_pdf *p, const ev_pdf_pages *from,
                               const struct recpage *r, ev_diags *d)
{
	const ev_pdf_stream *e = r->shared;
	if (!e) {
		size_t len;
		const unsigned char *data = ev_recpage_shared(from, r, &len);
		HPDF_Dict s = copied_stream(p, data, len);
		if (!s)
			check(p, HPDF_FAILD_TO_ALLOC_MEM, d, "cannot add shared content");
		return s;
	}
	if (e->id >= p->cap_shared_obj) {
		size_t cap = p->cap_shared_obj ? p->cap_shared_obj : 16;
		while (cap <= e->id)
			cap *= 2;
		HPDF_Dict *v = realloc(p->shared_obj, cap * sizeof *v);
		if (!v) {
			fail(p, d, "out of memory", NULL);
			return NULL;
		}
		memset(v + p->cap_shared_obj, 0, (cap - p->cap_shared_obj) * sizeof *v);
		p->shared_obj = v;
		p->cap_shared_obj = cap;
	}
	if (!p->shared_obj[e->id] &&
	    !(p->shared_obj[e->id] = deflated_stream(p, e->data, e->len)))
		check(p, HPDF_FAILD_TO_ALLOC_MEM, d, "cannot add shared content");
	return p->shared_obj[e->id];
}

/* Page r of `from` as a page of the open libharu document: its fonts and
 * forms, its own content, and the content it shares after it:
 * /Contents [own shared]. */
static int haru_page(ev_pdf *p, const ev_pdf_pages *from, const struct recpage *r,
                     ev_diags *d)
{
	HPDF_Page page = new_page(p, r->w, r->h, d);
	if (!page)
		return -1;
	bool used[EV_EMBED_SLOTS];
	for (int s = 0; s < EV_EMBED_SLOTS; s++)
		used[s] = r->used[s] || r->sused[s];
	if (add_fonts(p, page, used, d) < 0 || add_forms(p, page, d) < 0)
		return -1;
	HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
	HPDF_STATUS rc = HPDF_Stream_Write(attr->stream,
	                                   (const HPDF_BYTE *)from->rec.data + r->off,
	                                   (HPDF_UINT)r->len);
	attr->contents->filter = HPDF_STREAM_FILTER_NONE;
	attr->contents->write_fn = flate_hook;
	size_t slen;
	ev_recpage_shared(from, r, &slen);
	if (rc == HPDF_OK && slen) {
		HPDF_Dict shared = shared_object(p, from, r, d);
		if (!shared)
			return -1;
		HPDF_Array both = HPDF_Array_New(p->doc->mmgr);
		rc = both ? HPDF_Array_Add(both, attr->contents) : HPDF_FAILD_TO_ALLOC_MEM;
		if (rc == HPDF_OK)
			rc = HPDF_Array_Add(both, shared);
		if (rc == HPDF_OK)
			rc = HPDF_Dict_Add(page, "Contents", both);
	}
	return check(p, rc, d, "cannot write page content");
}

/* ---- forms: a kept page drawn on another ---- */

/* The pages p has kept since its document began, as a record (not owned:
 * valid until p writes more). */
static ev_pdf_pages written(const ev_pdf *p)
{
	return (ev_pdf_pages){.fonts = p->fonts, .rec = p->rec, .rp = p->rp, .n = p->nrp};
}

/* A write to the open document's file failed (errno): an error naming
 * the file. */
static int stream_failed(ev_pdf *p, ev_diags *d)
{
	ev_diag_add(d, EV_ERROR, p->stream_path, 0, 0, NULL, "cannot write: %s",
	            strerror(errno));
	return -1;
}

/* Where the form of these bytes is looked for in the hash table. */
static size_t form_slot(const ev_pdf *p, const unsigned char *data)
{
	uintptr_t key = (uintptr_t)data;
	return (size_t)ev_hash(&key, sizeof key, EV_HASH_START) & (p->hashcap - 1);
}

/* Room for one more form: the table doubled and rehashed when it would be
 * more than half full. -1 when out of memory. */
static int grow_forms(ev_pdf *p)
{
	if (p->nforms == p->capforms) {
		size_t cap = p->capforms ? p->capforms * 2 : 16;
		form *f = realloc(p->forms, cap * sizeof *f);
		if (!f)
			return -1;
		p->forms = f;
		p->capforms = cap;
	}
	if (2 * (p->nforms + 1) > p->hashcap) {
		size_t cap = p->hashcap ? p->hashcap * 2 : 32;
		size_t *h = calloc(cap, sizeof *h);
		if (!h)
			return -1;
		free(p->form_hash);
		p->form_hash = h;
		p->hashcap = cap;
		for (size_t i = 0; i < p->nforms; i++) {
			size_t at = form_slot(p, p->forms[i].data);
			while (h[at])
				at = (at + 1) & (cap - 1);
			h[at] = i + 1;
		}
	}
	return 0;
}

/* A Form XObject of deflated content, copied (the kept page may be freed
 * before the document is saved), its box the page, its resources the
 * fonts it uses. NULL after an error. */
static HPDF_Dict make_form(ev_pdf *p, const unsigned char *data, size_t len,
                           double w, double h, const bool *used, ev_diags *d)
{
	HPDF_MMgr mm = p->doc->mmgr;
	HPDF_Dict s = copied_stream(p, data, len);
	HPDF_Array box = s ? HPDF_Array_New(mm) : NULL;
	HPDF_STATUS rc = box ? HPDF_OK : HPDF_FAILD_TO_ALLOC_MEM;
	if (rc == HPDF_OK) {
		rc |= HPDF_Dict_AddName(s, "Type", "XObject");
		rc |= HPDF_Dict_AddName(s, "Subtype", "Form");
		rc |= HPDF_Array_AddNumber(box, 0);
		rc |= HPDF_Array_AddNumber(box, 0);
		rc |= HPDF_Array_AddReal(box, (HPDF_REAL)w);
		rc |= HPDF_Array_AddReal(box, (HPDF_REAL)h);
		rc |= HPDF_Dict_Add(s, "BBox", box);
	}
	if (check(p, rc, d, "cannot make a form") < 0 || add_fonts(p, s, used, d) < 0)
		return NULL;
	return s;
}

/* The number of the open document's form of these bytes (a part of a kept
 * page, w x h), made on first use and listed in the page's resources.
 * -1 after an error. */
static int form_number(ev_pdf *p, const unsigned char *data, size_t len,
                       double w, double h, const bool *used, size_t *num,
                       ev_diags *d)
{
	uLong crc = crc32(0, data, (uInt)len);
	size_t found = SIZE_MAX;
	for (size_t at = p->hashcap ? form_slot(p, data) : 0;
	     p->hashcap && p->form_hash[at]; at = (at + 1) & (p->hashcap - 1)) {
		const form *f = &p->forms[p->form_hash[at] - 1];
		if (f->data == data && f->len == len && f->crc == crc && f->w == w &&
		    f->h == h) {
			found = p->form_hash[at] - 1;
			break;
		}
	}
	if (found == SIZE_MAX) {
		if (grow_forms(p) < 0)
			return fail(p, d, "out of memory", NULL);
		HPDF_Dict obj = NULL;
		size_t onum = 0;
		if (p->stream) {
			if (!(onum = ev_pdfstream_form(p->stream, data, len, w, h, used)))
				return stream_failed(p, d);
		} else if (!(obj = make_form(p, data, len, w, h, used, d))) {
			return -1;
		}
		size_t at = form_slot(p, data);
		while (p->form_hash[at])
			at = (at + 1) & (p->hashcap - 1);
		p->form_hash[at] = p->nforms + 1;
		p->forms[p->nforms] = (form){.data = data, .len = len, .crc = crc,
		                             .w = w, .h = h, .obj = obj, .num = onum};
		found = p->nforms++;
	}
	if (p->forms[found].page != p->cur_page) {
		if (p->npage_forms == p->cappage_forms) {
			size_t cap = p->cappage_forms ? p->cappage_forms * 2 : 16;
			size_t *f = realloc(p->page_forms, cap * sizeof *f);
			if (!f)
				return fail(p, d, "out of memory", NULL);
			p->page_forms = f;
			p->cappage_forms = cap;
		}
		p->page_forms[p->npage_forms++] = found;
		p->forms[found].page = p->cur_page;
	}
	*num = found;
	return 0;
}

/* Page it->form_page of the kept pages it->form scaled into the item's
 * box: its own content's form, then its shared content's (one form for
 * every letter that shares it). */
static int draw_form(ev_pdf *p, double ph, const ev_item *it, page_state *ps,
                     ev_diags *d)
{
	const ev_pdf_pages *from = it->form;
	if (p->raw && !p->stream)
		return fail(p, d, "a form in a letter's file", NULL);
	if (!from || it->form_page >= from->n)
		return fail(p, d, "a form of a page that was not kept", NULL);
	if (from->fonts != p->fonts)
		return fail(p, d, "a form of pages from a writer of other fonts", NULL);
	const struct recpage *r = &from->rp[it->form_page];
	if (r->forms)
		return fail(p, d, "a form of a page that draws forms itself", NULL);
	if (!(it->x2 > 0 && it->y2 > 0))
		return fail(p, d, "a form of no size", NULL);
	size_t own = 0, shared = 0, slen;
	const unsigned char *sdata = ev_recpage_shared(from, r, &slen);
	if (form_number(p, (const unsigned char *)from->rec.data + r->off, r->len,
	                r->w, r->h, r->used, &own, d) < 0 ||
	    (slen && form_number(p, sdata, slen, r->w, r->h, r->sused, &shared, d) < 0))
		return -1;
	ev_buf *c = &p->content;
	end_text(p, ps);
	ev_buf_puts(c, "q ");
	put_num(c, it->x2 / r->w, 5);
	ev_buf_puts(c, " 0 0 ");
	put_num(c, it->y2 / r->h, 5);
	ev_buf_putc(c, ' ');
	put_num(c, it->x, 2);
	ev_buf_putc(c, ' ');
	put_num(c, ph - it->y - it->y2, 2);
	ev_buf_printf(c, " cm /Fm%zu Do", own);
	if (slen)
		ev_buf_printf(c, " /Fm%zu Do", shared);
	ev_buf_puts(c, " Q\n");
	return 0;
}

/* ---- a page's content: its own, and what it shares ---- */

/* The items of pg that are shared (or not) into p->content, from a fresh
 * state; the fonts they use in ps. -1 after an error (with p->refused set
 * when the letter is at fault). */
static int encode_items(ev_pdf *p, const ev_page *pg, bool shared, page_state *ps,
                        ev_diags *d)
{
	*ps = (page_state){.slot = -1, .size = -1, .line_width = -1};
	ev_buf_reset(&p->content);
	/* Lines and boxes are black: say so rather than rely on the default. */
	ev_buf_puts(&p->content, "0 G\n");
	for (size_t i = 0; i < pg->n; i++) {
		const ev_item *it = &pg->items[i];
		if (it->shared != shared)
			continue;
		if (it->kind == EV_ITEM_TEXT) {
			if (it->len && draw_text(p, pg->height, it, ps, d) < 0)
				return -1;
		} else if (it->kind == EV_ITEM_FORM) {
			if (draw_form(p, pg->height, it, ps, d) < 0)
				return -1;
		} else {
			draw_shape(p, pg->height, it, ps);
		}
	}
	end_text(p, ps);
	return p->content.failed ? fail(p, d, "out of memory", NULL) : 0;
}

/* What decides the content of pg's shared items, into p->key: the page's
 * height (which turns y around) and each item as drawn. Returns how many
 * items there are. */
static size_t shared_key(ev_pdf *p, const ev_page *pg)
{
	size_t n = 0;
	ev_buf *k = &p->key;
	ev_buf_reset(k);
	ev_buf_append(k, &pg->height, sizeof pg->height);
	for (size_t i = 0; i < pg->n; i++) {
		const ev_item *it = &pg->items[i];
		if (!it->shared)
			continue;
		double v[7] = {it->x, it->y, it->x2, it->y2, it->stroke, it->size,
		               it->word_space};
		uint64_t m[3] = {(uint64_t)it->kind, (uint64_t)it->face, (uint64_t)it->len};
		ev_buf_append(k, v, sizeof v);
		ev_buf_append(k, m, sizeof m);
		ev_buf_append(k, it->text, it->kind == EV_ITEM_TEXT ? it->len : 0);
		n++;
	}
	return n;
}

static int by_glyph(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* The glyphs listed in b sorted, each once; how many. */
static size_t unique_glyphs(ev_buf *b)
{
	uint32_t *g = (uint32_t *)b->data;
	size_t n = b->len / sizeof *g, k = 0;
	if (!n)
		return 0;
	qsort(g, n, sizeof *g, by_glyph);
	for (size_t i = 0; i < n; i++)
		if (!k || g[k - 1] != g[i])
			g[k++] = g[i];
	b->len = k * sizeof *g;
	return k;
}

/* The shared part of page pg into r: the store's stream for these items,
 * encoded and deflated (at the best level: it is made once) only when the
 * store does not have it; kept in p->rec when the store has no room or
 * there is none. */
static int shared_part(ev_pdf *p, const ev_page *pg, struct recpage *r, ev_diags *d)
{
	if (!shared_key(p, pg))
		return 0;
	if (p->key.failed)
		return fail(p, d, "out of memory", NULL);
	uint64_t h = XXH3_64bits(p->key.data, p->key.len);
	const ev_pdf_stream *e = p->store ? ev_pdf_store_find(p->store, h, p->key.data,
	                                                      p->key.len) : NULL;
	if (e) {
		for (size_t i = 0; i < e->nglyphs; i++)
			mark_glyph(p, (int)(e->glyphs[i] >> 16), e->glyphs[i] & 0xFFFF);
	} else {
		page_state ps;
		ev_buf_reset(&p->sglyphs);
		p->collecting = true;
		int rc = encode_items(p, pg, true, &ps, d);
		p->collecting = false;
		if (rc < 0)
			return -1;
		size_t ng = unique_glyphs(&p->sglyphs);
		if (p->sglyphs.failed)
			return fail(p, d, "out of memory", NULL);
		ev_buf_reset(&p->packed);
		if (!ev_deflate(&p->flate, EV_FLATE_BEST, p->content.data, p->content.len,
		              &p->packed))
			return fail(p, d, "out of memory", NULL);
		e = p->store ? ev_pdf_store_add(p->store, h, p->key.data, p->key.len,
		                                p->packed.data, p->packed.len, ps.used,
		                                (const uint32_t *)p->sglyphs.data, ng)
		             : NULL;
		if (!e) {
			r->soff = p->rec.len;
			r->slen = p->packed.len;
			memcpy(r->sused, ps.used, sizeof r->sused);
			if (ev_buf_append(&p->rec, p->packed.data, p->packed.len) < 0)
				return fail(p, d, "out of memory", NULL);
			return 0;
		}
	}
	r->shared = e;
	memcpy(r->sused, e->used, sizeof r->sused);
	return 0;
}

/* Page pg, kept in p->rec and p->rp: its own items encoded and deflated
 * (quickly: every letter pays for it), and its shared part. */
static int draw_page(ev_pdf *p, const ev_page *pg, ev_diags *d)
{
	for (size_t i = 0; i < pg->n; i++) {
		const ev_item *it = &pg->items[i];
		if (!isfinite(it->x) || !isfinite(it->y) || !isfinite(it->x2) ||
		    !isfinite(it->y2) || !isfinite(it->size) || !isfinite(it->word_space))
			return fail(p, d, "a position is not a finite number", NULL);
	}
	if (!(pg->width >= 3 && pg->width <= 14400) || !(pg->height >= 3 && pg->height <= 14400))
		return fail(p, d, "page size out of range (3 to 14400 pt)", NULL);
	if (p->nrp == p->caprp) {
		size_t cap = p->caprp ? p->caprp * 2 : 8;
		struct recpage *v = realloc(p->rp, cap * sizeof *v);
		if (!v)
			return fail(p, d, "out of memory", NULL);
		p->rp = v;
		p->caprp = cap;
	}
	struct recpage r = {.w = pg->width, .h = pg->height};
	page_state ps;
	p->npage_forms = 0;
	if (encode_items(p, pg, false, &ps, d) < 0)
		return -1;
	r.off = p->rec.len;
	/* A letter's own content at the level that keeps letters small; a
	 * page of a document printed once (labels, proof, posting list,
	 * written as it comes) at the quick one. */
	r.len = ev_deflate(&p->flate, p->raw && !p->stream ? EV_FLATE_FAST : EV_FLATE_QUICK,
	                   p->content.data, p->content.len, &p->rec);
	if (!r.len)
		return fail(p, d, "out of memory", NULL);
	memcpy(r.used, ps.used, sizeof r.used);
	r.forms = p->npage_forms > 0;
	if (shared_part(p, pg, &r, d) < 0)
		return -1;
	p->rp[p->nrp++] = r;
	if (p->stream) {
		/* Written at once: nothing is kept. */
		ev_pdf_pages view = written(p);
		if (p->npage_forms > p->capxo) {
			ev_pdfstream_xobject *v = realloc(p->xo, p->npage_forms * sizeof *v);
			if (!v)
				return fail(p, d, "out of memory", NULL);
			p->xo = v;
			p->capxo = p->npage_forms;
		}
		for (size_t i = 0; i < p->npage_forms; i++)
			p->xo[i] = (ev_pdfstream_xobject){p->page_forms[i],
			                                  p->forms[p->page_forms[i]].num};
		int rc = ev_pdfstream_page(p->stream, &view, &p->rp[p->nrp - 1], p->xo,
		                           p->npage_forms);
		p->nrp = 0;
		ev_buf_reset(&p->rec);
		return rc < 0 ? stream_failed(p, d) : 0;
	}
	if (p->raw)
		return 0;
	ev_pdf_pages view = written(p);
	return haru_page(p, &view, &p->rp[p->nrp - 1], d);
}

/* ---- the document ---- */

static int not_open(ev_diags *d, const char *fn)
{
	ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL,
	            "PDF writer: %s without a successful ev_pdf_begin", fn);
	return -1;
}

/* Info strings go through libharu's UTF-8 encoder, which takes only
 * characters of the Basic Multilingual Plane. */
static int check_meta(const char *what, const char *s, ev_diags *d)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = ev_utf8_decode(s + i, len - i, &cp);
		if (!k || cp > 0xFFFF) {
			ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL,
			            "PDF writer: document %s: %s at byte %zu", what,
			            k ? "character outside the Basic Multilingual Plane"
			              : "invalid UTF-8", i);
			return -1;
		}
		i += k;
	}
	return 0;
}

static HPDF_STATUS set_info(ev_pdf *p, const ev_pdf_meta *meta)
{
	HPDF_STATUS rc = HPDF_SetInfoAttr(p->doc, HPDF_INFO_CREATOR, "envoi");
	if (!meta)
		return rc;
	if (rc == HPDF_OK && meta->title)
		rc = HPDF_SetInfoAttr(p->doc, HPDF_INFO_TITLE, meta->title);
	if (rc == HPDF_OK && meta->author)
		rc = HPDF_SetInfoAttr(p->doc, HPDF_INFO_AUTHOR, meta->author);
	if (rc == HPDF_OK && meta->subject)
		rc = HPDF_SetInfoAttr(p->doc, HPDF_INFO_SUBJECT, meta->subject);
	return rc;
}

/* Start a document: libharu's, or (raw) one pdffile.c writes. */
static int start_doc(ev_pdf *p, const ev_pdf_meta *meta, bool raw, ev_diags *d)
{
	p->state = DOC_FAILED;
	p->raw = raw;
	/* A document abandoned unfinished leaves no file. */
	ev_pdfstream_abort(p->stream);
	p->stream = NULL;
	if (meta && ((meta->title && check_meta("title", meta->title, d) < 0)
	             || (meta->author && check_meta("author", meta->author, d) < 0)
	             || (meta->subject && check_meta("subject", meta->subject, d) < 0)))
		return -1;
	/* A failed document may have left a sticky error behind. */
	HPDF_ResetError(p->doc);
	p->err = p->err_detail = HPDF_OK;
	p->npages = p->cur_page = 0;
	p->nrp = 0;
	p->nforms = p->npage_forms = 0;                  /* freed with the doc */
	if (p->form_hash)
		memset(p->form_hash, 0, p->hashcap * sizeof *p->form_hash);
	p->outlined = false;
	p->refused[0] = '\0';
	ev_buf_reset(&p->rec);
	memset(p->font_obj, 0, sizeof p->font_obj);      /* freed with the doc */
	memset(p->widths_dict, 0, sizeof p->widths_dict);
	if (p->shared_obj)
		memset(p->shared_obj, 0, p->cap_shared_obj * sizeof *p->shared_obj);
	for (int s = 0; s < EV_EMBED_SLOTS; s++)
		if (p->mark[s])
			memset(p->mark[s], 0, p->fonts->slot[s]->sparse.nglyphs);
	if (raw) {
		p->state = DOC_OPEN;
		return 0;
	}
	HPDF_STATUS rc = HPDF_NewDoc(p->doc);
	/* Our streams are deflated already; libharu must not touch them. */
	if (rc == HPDF_OK)
		rc = HPDF_SetCompressionMode(p->doc, HPDF_COMP_NONE);
	if (rc == HPDF_OK)
		rc = HPDF_SetCurrentEncoder(p->doc, "UTF-8");
	if (rc == HPDF_OK)
		rc = set_info(p, meta);
	if (check(p, rc, d, "cannot start document") < 0)
		return -1;
	p->state = DOC_OPEN;
	return 0;
}

int ev_pdf_begin(ev_pdf *p, const ev_pdf_meta *meta, ev_diags *d)
{
	return start_doc(p, meta, false, d);
}

int ev_pdf_begin_file(ev_pdf *p, const char *path, const ev_pdf_meta *meta,
                      ev_diags *d)
{
	if (start_doc(p, meta, true, d) < 0)
		return -1;
	p->state = DOC_FAILED;
	char *copy = strdup(path);
	if (!copy)
		return fail(p, d, "out of memory", NULL);
	free(p->stream_path);
	p->stream_path = copy;
	if (!(p->stream = ev_pdfstream_open(path, p->fonts, meta))) {
		ev_diag_add(d, EV_ERROR, path, 0, 0, NULL, "cannot create: %s", strerror(errno));
		return -1;
	}
	p->state = DOC_OPEN;
	return 0;
}

/* ev_pdf_add, but a display list that cannot be drawn leaves its reason
 * in p->refused, not in d. */
static int add_display(ev_pdf *p, const ev_display *dl, ev_diags *d)
{
	if (p->state != DOC_OPEN)
		return not_open(d, "ev_pdf_add");
	p->state = DOC_FAILED;
	for (size_t i = 0; i < dl->npages; i++, p->npages++) {
		p->cur_page = p->npages + 1;
		if (draw_page(p, &dl->pages[i], d) < 0)
			return -1;
	}
	p->cur_page = 0;
	p->state = DOC_OPEN;
	return 0;
}

int ev_pdf_add(ev_pdf *p, const ev_display *dl, ev_diags *d)
{
	int rc = add_display(p, dl, d);
	if (rc < 0 && p->refused[0])
		ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "PDF writer: %s", p->refused);
	return rc;
}

ev_pdf_pages *ev_pdf_take_pages(ev_pdf *p)
{
	/* One block (the record, its pages, their bytes): the writer keeps
	 * its buffers for the next document, and a letter costs one
	 * allocation here. */
	size_t rp = p->nrp * sizeof *p->rp, size;
	ev_pdf_pages *pg = ev_pages_block(p->pages_pool, sizeof *pg + rp + p->rec.len + 1, &size);
	if (!pg)
		return NULL;
	struct recpage *pages = (struct recpage *)(pg + 1);
	char *bytes = (char *)pages + rp;
	if (rp)
		memcpy(pages, p->rp, rp);
	if (p->rec.len)
		memcpy(bytes, p->rec.data, p->rec.len);
	bytes[p->rec.len] = '\0';
	*pg = (ev_pdf_pages){.fonts = p->fonts, .rp = pages, .n = p->nrp, .block = true,
	                     .rec = {.data = bytes, .len = p->rec.len, .cap = p->rec.len + 1},
	                     .pool = p->pages_pool, .size = size};
	p->nrp = 0;
	ev_buf_reset(&p->rec);
	return pg;
}

int ev_pdf_add_pages(ev_pdf *p, const ev_pdf_pages *from, ev_diags *d)
{
	if (p->state != DOC_OPEN)
		return not_open(d, "ev_pdf_add_pages");
	if (p->fonts != from->fonts)
		return fail(p, d, "pages from a writer of other fonts", NULL);
	p->state = DOC_FAILED;
	for (size_t i = 0; i < from->n; i++, p->npages++) {
		const struct recpage *r = &from->rp[i];
		p->cur_page = p->npages + 1;
		if (r->forms)
			return fail(p, d, "a kept page that draws forms cannot be added", NULL);
		if (p->stream) {
			if (ev_pdfstream_page(p->stream, from, r, NULL, 0) < 0)
				return stream_failed(p, d);
			continue;
		}
		p->npage_forms = 0;
		if (haru_page(p, from, r, d) < 0)
			return -1;
	}
	p->cur_page = 0;
	p->state = DOC_OPEN;
	return 0;
}

/* ---- the outline ---- */

int ev_pdf_outline(ev_pdf *p, const char *title, size_t page_index, ev_diags *d)
{
	if (p->state != DOC_OPEN)
		return not_open(d, "ev_pdf_outline");
	/* libharu's strings stop at 65,535 bytes; its encoder takes the BMP. */
	if (strlen(title) > 65535) {
		ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL,
		            "PDF writer: outline title of over 65,535 bytes");
		return -1;
	}
	if (check_meta("outline title", title, d) < 0)
		return -1;
	if (page_index >= p->npages) {
		ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "PDF writer: outline entry "
		            "for page %zu of a document of %zu", page_index + 1, p->npages);
		return -1;
	}
	p->state = DOC_FAILED;
	if (p->stream) {
		if (ev_pdfstream_outline(p->stream, title, page_index) < 0)
			return fail(p, d, "out of memory", NULL);
		p->state = DOC_OPEN;
		return 0;
	}
	HPDF_Page page = HPDF_List_ItemAt(p->doc->page_list, (HPDF_UINT)page_index);
	HPDF_Outline o = page ? HPDF_CreateOutline(p->doc, NULL, title,
	                                           HPDF_GetEncoder(p->doc, "UTF-8"))
	                      : NULL;
	HPDF_Destination dest = o ? HPDF_Page_CreateDestination(page) : NULL;
	HPDF_STATUS rc = dest ? HPDF_Outline_SetDestination(o, dest) : HPDF_INVALID_OBJECT;
	/* libharu marks every entry /Type /Outlines, which names the outline's
	 * root only (PDF 32000-1 table 152 against 153). */
	if (rc == HPDF_OK && HPDF_Dict_GetItem(o, "Type", HPDF_OCLASS_NAME))
		rc = HPDF_Dict_RemoveElement(o, "Type");
	if (rc == HPDF_OK && !p->outlined)
		rc = HPDF_SetPageMode(p->doc, HPDF_PAGE_MODE_USE_OUTLINE);
	if (check(p, rc, d, "cannot add an outline entry") < 0)
		return -1;
	p->outlined = true;
	p->state = DOC_OPEN;
	return 0;
}

/* Save to libharu's memory stream and copy it out in chunks. */
static int copy_out(ev_pdf *p, ev_buf *out, ev_diags *d)
{
	HPDF_BYTE chunk[8192];
	size_t start = out->len;
	HPDF_STATUS rc = HPDF_SaveToStream(p->doc);
	HPDF_UINT32 left = rc == HPDF_OK ? HPDF_GetStreamSize(p->doc) : 0;
	if (rc == HPDF_OK)
		rc = HPDF_ResetStream(p->doc);
	while (rc == HPDF_OK && left > 0) {
		/* Ask for no more than is left: reading past the end is an error
		 * (HPDF_STREAM_EOF) that would reach the error handler. */
		HPDF_UINT32 n = left < sizeof chunk ? left : (HPDF_UINT32)sizeof chunk;
		rc = HPDF_ReadFromStream(p->doc, chunk, &n);
		if (rc == HPDF_OK && n == 0)
			rc = HPDF_STREAM_EOF;
		if (rc == HPDF_OK && ev_buf_append(out, chunk, n) < 0) {
			ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "PDF writer: output "
			            "buffer is full or out of memory");
			rc = HPDF_FAILD_TO_ALLOC_MEM;
			break;
		}
		left -= n;
	}
	if (rc != HPDF_OK || p->err != HPDF_OK) {
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
		return out->failed ? -1 : check(p, rc, d, "cannot save PDF");
	}
	return 0;
}

/* Whether the open document can be saved: -1 with the error in d when it
 * is not open or has no pages. It counts as failed until saved. */
static int ready_to_save(ev_pdf *p, const char *who, ev_diags *d)
{
	if (p->state != DOC_OPEN)
		return not_open(d, who);
	p->state = DOC_FAILED;
	if (!p->npages) {
		ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL,
		            "PDF writer: document has no pages");
		return -1;
	}
	return 0;
}

int ev_pdf_end(ev_pdf *p, ev_buf *out, ev_diags *d)
{
	if (ready_to_save(p, "ev_pdf_end", d) < 0 || copy_out(p, out, d) < 0)
		return -1;
	p->state = DOC_NONE;
	return 0;
}

int ev_pdf_end_file(ev_pdf *p, const char *path, ev_diags *d)
{
	if (ready_to_save(p, "ev_pdf_end_file", d) < 0)
		return -1;
	if (p->stream) {
		ev_pdfstream *s = p->stream;
		p->stream = NULL;
		if (strcmp(path, p->stream_path)) {
			ev_pdfstream_abort(s);
			ev_diag_add(d, EV_ERROR, path, 0, 0, NULL, "PDF writer: the document is "
			            "written to %s", p->stream_path);
			return -1;
		}
		if (ev_pdfstream_close(s) < 0) {
			ev_diag_add(d, EV_ERROR, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
			return -1;
		}
		p->state = DOC_NONE;
		return 0;
	}
	errno = 0;
	HPDF_STATUS rc = HPDF_SaveToFile(p->doc, path);
	if (rc != HPDF_OK || p->err != HPDF_OK) {
		unlink(path);
		ev_diag_add(d, EV_ERROR, path, 0, 0, NULL, "cannot write: %s",
		            errno ? strerror(errno) : "the PDF writer failed");
		return -1;
	}
	p->state = DOC_NONE;
	return 0;
}

/* Whether dl draws forms, which name objects of their document: only
 * libharu's documents have them. */
static bool draws_forms(const ev_display *dl)
{
	for (size_t i = 0; i < dl->npages; i++)
		for (size_t k = 0; k < dl->pages[i].n; k++)
			if (dl->pages[i].items[k].kind == EV_ITEM_FORM)
				return true;
	return false;
}

int ev_pdf_render(ev_pdf *p, const ev_display *dl, const ev_pdf_meta *meta,
                  ev_buf *out, ev_diags *d)
{
	if (draws_forms(dl)) {
		if (ev_pdf_begin(p, meta, d) < 0)
			return -1;
		if (add_display(p, dl, d) < 0)
			return p->refused[0] ? 1 : -1;
		return ev_pdf_end(p, out, d);
	}
	if (start_doc(p, meta, true, d) < 0)
		return -1;
	if (add_display(p, dl, d) < 0)
		return p->refused[0] ? 1 : -1;
	p->state = DOC_NONE;
	if (!p->npages) {
		ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "PDF writer: document has no pages");
		return -1;
	}
	ev_pdf_pages view = written(p);
	ev_pdffile_bufs bufs = {&p->scratch, &p->packed, &p->fontfile, p->last_font};
	if (ev_pdffile_write(&view, meta, p->mark, &p->flate, &bufs, out) < 0) {
		ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "PDF writer: output buffer is "
		            "full or out of memory");
		return -1;
	}
	return 0;
}

const char *ev_pdf_refusal(const ev_pdf *p)
{
	return p->refused;
}
