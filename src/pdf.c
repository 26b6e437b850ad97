/* pdf.c - the PDF renderer: draws a display list with libharu (see pdf.h).
 *
 * The only file that includes hpdf.h. It guards libharu's silent failures
 * (bad UTF-8, characters above U+FFFF, missing glyphs), draws a character
 * the font lacks from the fallback font, and replaces the malformed
 * ToUnicode CMap libharu 2.3.0 writes for UTF-8 fonts.
 */
#include "pdf.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include "fsutil.h"
#include "sfnt.h"
#include "text.h"

/* libharu refuses longer strings (HPDF_LIMIT_MAX_STRING_LEN). */
#define MAX_TEXT 65535u
/* Longest piece of text quoted in a diagnostic, in code points. */
#define QUOTE_MAX 60
/* A ToUnicode CMap may hold at most 100 entries per bfchar block. */
#define BFCHAR_BLOCK 100
/* Four faces of the font and four of its fallback. */
#define MAX_SLOTS (2 * EV_FACE_COUNT)
/* Larger font files are refused (the largest TrueType fonts are ~20 MB). */
#define FONT_LIMIT ((size_t)64 << 20)

typedef enum { DOC_NONE, DOC_OPEN, DOC_FAILED } doc_state;

/* One loaded TrueType font; faces given the same font share a slot, and
 * with it the document's font object and the set of code points drawn
 * (each font object has its own ToUnicode CMap). */
typedef struct font_slot {
	const char *name;       /* libharu's name for the font; owned by it */
	HPDF_FontDef def;       /* parsed once, survives HPDF_NewDoc */
	ev_glyph_deps deps;     /* composite glyphs libharu embeds partly */
	HPDF_Font font;         /* this document's font object, or NULL */
	int dirty;              /* `used` has bits set */
	uint32_t used[0x10000 / 32];  /* code points drawn in this document */
} font_slot;

struct ev_pdf {
	HPDF_Doc doc;
	HPDF_STATUS err, err_detail;   /* first error libharu reported */
	font_slot slots[MAX_SLOTS];
	int nslots;
	/* [0]: the slot of each face; [1]: its fallback's, or -1 for none. */
	int face_slot[2][EV_FACE_COUNT];
	doc_state state;
	size_t npages;                 /* pages in the open document */
	size_t cur_page;               /* page being drawn (1-based), or 0 */
	char text[MAX_TEXT + 1];       /* ShowText wants NUL-terminated text */
};

/* What is current in a page's graphics state, to skip redundant operators. */
typedef struct page_state {
	HPDF_Font font;
	double size;
	double line_width;
} page_state;

static const char *const face_names[EV_FACE_COUNT] = {
	"regular", "bold", "italic", "bold-italic"
};

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
	case HPDF_FILE_OPEN_ERROR: return "cannot open file";
	case HPDF_FILE_IO_ERROR: return "read error";
	case HPDF_TTF_CANNOT_EMBEDDING_FONT: return "the font does not permit embedding";
	case HPDF_TTF_INVALID_CMAP: return "the font has no usable Unicode cmap";
	case HPDF_TTF_INVALID_FOMAT: return "not a valid TrueType font";
	case HPDF_TTF_MISSING_TABLE: return "the font lacks a required table";
	case HPDF_PAGE_INVALID_SIZE: return "page size out of range (3 to 14400 pt)";
	case HPDF_PAGE_INVALID_FONT_SIZE: return "font size out of range (above 0, at most 600 pt)";
	case HPDF_PAGE_OUT_OF_RANGE: return "value out of range";
	default: return "internal error";
	}
}

/* Turn a libharu status (or an error the handler saw) into a diagnostic.
 * Returns 0 when neither reports a failure, else -1. */
static int check(ev_pdf *p, HPDF_STATUS rc, ev_diags *d, const char *file,
                 const char *what)
{
	if (rc == HPDF_OK && p->err == HPDF_OK)
		return 0;
	HPDF_STATUS code = p->err ? p->err : rc;
	char where[32] = "";
	if (p->cur_page)
		snprintf(where, sizeof where, "page %zu: ", p->cur_page);
	ev_diag_add(d, EV_ERROR, file, 0, 0, NULL,
	            "PDF writer: %s%s: %s (libharu error 0x%04X, detail %u)", where,
	            what, error_text(code), (unsigned)code,
	            (unsigned)p->err_detail);
	return -1;
}

/* The tables libharu 2.3.0 parses when it loads a font (measured: without
 * any of them it fails with a bare code; cvt, fpgm, prep, post are optional). */
static const char sfnt_required[][5] = {
	"OS/2", "cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name"
};

static uint32_t be32(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8
	       | b[3];
}

/* Check the sfnt table directory in `dir` (ntables records) against the
 * file size; fills `why` and returns -1 when libharu should not see it. */
static int check_tables(const unsigned char *dir, unsigned ntables,
                        long size, char *why, size_t n)
{
	for (unsigned i = 0; i < ntables; i++) {
		const unsigned char *r = dir + 16 * i;
		uint32_t off = be32(r + 8), len = be32(r + 12);
		if (off > (unsigned long)size || len > (unsigned long)size - off) {
			snprintf(why, n, "corrupt font file: table '%.4s' lies beyond "
			         "the end of the file", (const char *)r);
			return -1;
		}
	}
	for (size_t t = 0; t < sizeof sfnt_required / sizeof sfnt_required[0]; t++) {
		unsigned i = 0;
		while (i < ntables && memcmp(dir + 16 * i, sfnt_required[t], 4))
			i++;
		if (i == ntables) {
			snprintf(why, n, "not a usable TrueType font: it has no '%s' "
			         "table", sfnt_required[t]);
			return -1;
		}
	}
	return 0;
}

/* Read the header and table directory. Fills `why` on failure. */
static int check_sfnt(FILE *f, char *why, size_t n)
{
	unsigned char hdr[12], dir[256 * 16];
	long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
	if (size < 0 || fseek(f, 0, SEEK_SET) != 0
	    || fread(hdr, 1, sizeof hdr, f) != sizeof hdr) {
		if (ferror(f) || size < 0)
			snprintf(why, n, "cannot read font file: %s", strerror(errno));
		else
			snprintf(why, n, "not a TrueType font file (too short)");
		return -1;
	}
	if (!memcmp(hdr, "OTTO", 4) || !memcmp(hdr, "ttcf", 4)) {
		snprintf(why, n, "not supported: %s", hdr[0] == 'O'
		         ? "OpenType font with CFF outlines (use a TrueType font)"
		         : "TrueType collection (.ttc)");
		return -1;
	}
	unsigned ntables = (unsigned)hdr[4] << 8 | hdr[5];
	if ((memcmp(hdr, "\0\1\0\0", 4) && memcmp(hdr, "true", 4))
	    || ntables == 0 || ntables > 256
	    || fread(dir, 16, ntables, f) != ntables) {
		snprintf(why, n, "not a TrueType font file (bad header)");
		return -1;
	}
	return check_tables(dir, ntables, size, why, n);
}

/* Look at the file ourselves first: libharu reports a missing file as a bare
 * error code, and a truncated or corrupt font crashes it (NULL dereference
 * in HPDF_LoadTTFontFromFile). Only the table directory is checked: fonts
 * are trusted configuration, not user data. */
static int check_font_file(const char *path, ev_diags *d)
{
	char why[160];
	FILE *f = fopen(path, "rb");
	if (!f) {
		ev_diag_add(d, EV_ERROR, path, 0, 0, NULL,
		            "cannot read font file: %s", strerror(errno));
		return -1;
	}
	int rc = check_sfnt(f, why, sizeof why);
	fclose(f);
	if (rc < 0)
		ev_diag_add(d, EV_ERROR, path, 0, 0, NULL, "%s", why);
	return rc;
}

/* Parse one font file into a slot (*slot). A file (by path, or by font
 * name, since libharu 2.3.0 silently hands back the first copy of a font
 * loaded twice) that was loaded already shares its slot; `loaded` holds the
 * path of each slot while ev_pdf_new runs. */
static int load_face(ev_pdf *p, const char *path, const char *loaded[],
                     int *slot, ev_diags *d)
{
	for (int s = 0; s < p->nslots; s++) {
		if (!strcmp(loaded[s], path)) {
			*slot = s;
			return 0;
		}
	}
	const char *name = HPDF_LoadTTFontFromFile(p->doc, path, HPDF_TRUE);
	HPDF_FontDef def = name ? HPDF_GetFontDef(p->doc, name) : NULL;
	if (check(p, def ? HPDF_OK : HPDF_INVALID_FONTDEF_DATA, d, path,
	          "cannot load font") < 0)
		return -1;
	for (int s = 0; s < p->nslots; s++) {
		if (p->slots[s].def == def) {
			*slot = s;
			return 0;
		}
	}
	font_slot *fs = &p->slots[p->nslots];
	loaded[p->nslots] = path;
	fs->name = name;
	fs->def = def;
	*slot = p->nslots++;
	/* Our own reading of the glyph table, for embed_components. */
	char *data, why[160];
	size_t len;
	if (ev_read_file(path, FONT_LIMIT, &data, &len, d) < 0)
		return -1;
	int rc = ev_glyph_deps_read((const unsigned char *)data, len, &fs->deps,
	                            why, sizeof why);
	free(data);
	if (rc < 0)
		ev_diag_add(d, EV_ERROR, path, 0, 0, NULL, "%s", why);
	return rc;
}

ev_pdf *ev_pdf_new(const char *const font_paths[EV_FACE_COUNT],
                   const char *const fallback_paths[EV_FACE_COUNT],
                   ev_diags *d)
{
	for (int f = 0; f < EV_FACE_COUNT; f++)
		if (check_font_file(font_paths[f], d) < 0
		    || (fallback_paths && check_font_file(fallback_paths[f], d) < 0))
			return NULL;
	ev_pdf *p = calloc(1, sizeof *p);
	if (!p) {
		ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "PDF writer: out of memory");
		return NULL;
	}
	/* Set up once: HPDF_NewDoc keeps the UTF-8 encoders (registering them
	 * again fails), the compression mode and the parsed fonts. */
	p->doc = HPDF_New(on_error, p);
	HPDF_STATUS rc = p->doc ? HPDF_OK : HPDF_FAILD_TO_ALLOC_MEM;
	if (rc == HPDF_OK)
		rc = HPDF_UseUTFEncodings(p->doc);
	if (rc == HPDF_OK)
		rc = HPDF_SetCompressionMode(p->doc, HPDF_COMP_ALL);
	if (check(p, rc, d, NULL, "cannot initialise libharu") < 0)
		goto fail;
	/* The fallback is parsed now (under a millisecond a face) so that
	 * layout can measure with it; its font object is only made in a
	 * document that draws from it. The main font is loaded first: libharu
	 * names embedded subsets in load order (HPDFAA, HPDFAB, ...), so its
	 * documents stay as they are without a fallback. */
	const char *loaded[MAX_SLOTS];
	for (int f = 0; f < EV_FACE_COUNT; f++)
		if (load_face(p, font_paths[f], loaded, &p->face_slot[0][f], d) < 0)
			goto fail;
	for (int f = 0; f < EV_FACE_COUNT; f++) {
		p->face_slot[1][f] = -1;
		if (fallback_paths && load_face(p, fallback_paths[f], loaded,
		                                &p->face_slot[1][f], d) < 0)
			goto fail;
		if (p->face_slot[1][f] == p->face_slot[0][f])
			p->face_slot[1][f] = -1;   /* the same font: no fallback */
	}
	return p;
fail:
	ev_pdf_free(p);
	return NULL;
}

void ev_pdf_free(ev_pdf *p)
{
	if (!p)
		return;
	if (p->doc)
		HPDF_Free(p->doc);
	for (int s = 0; s < p->nslots; s++)
		ev_glyph_deps_free(&p->slots[s].deps);
	free(p);
}

/* The slot that draws code point cp (at most U+FFFF) in `face`: the font's
 * own when it has the glyph, else the fallback's when that has it, else -1.
 * The glyph id goes to *gid (0, .notdef, for -1). */
static int glyph_slot(const ev_pdf *p, ev_face face, uint32_t cp,
                      HPDF_UINT16 *gid)
{
	for (int k = 0; k < 2; k++) {
		int s = p->face_slot[k][face];
		if (s < 0)
			break;
		*gid = HPDF_TTFontDef_GetGlyphid(p->slots[s].def, (HPDF_UINT16)cp);
		if (*gid)
			return s;
	}
	*gid = 0;
	return -1;
}

/* Width of code point cp in `face`, 1/1000 em, in the font that draws it.
 * Widths are what libharu writes into /W (advance * 1000 / unitsPerEm,
 * truncated), so layout and the drawn page agree to the per mille. Looked
 * up by glyph: HPDF_TTFontDef_GetCharWidth gives the same numbers but also
 * marks the glyph for embedding, so text measured while a document is open
 * would bloat its font subset. A code point neither font has (refused
 * before drawing) counts as the main font's .notdef; `*slot` is then the
 * main font's. */
static long glyph_width(const ev_pdf *p, ev_face face, uint32_t cp, int *slot)
{
	HPDF_UINT16 gid;
	int s = glyph_slot(p, face, cp, &gid);
	if (s < 0)
		s = p->face_slot[0][face];
	if (slot)
		*slot = s;
	return HPDF_TTFontDef_GetGidWidth(p->slots[s].def, gid);
}

/* Bytes that are not valid UTF-8 and code points above U+FFFF cannot be
 * drawn (ev_pdf_add refuses them); they count as the main font's missing
 * width. */
static double pdf_width(void *ctx, ev_face face, const char *s, size_t len)
{
	ev_pdf *p = ctx;
	long w = 0;
	if ((unsigned)face >= EV_FACE_COUNT)
		return 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = ev_utf8_decode(s + i, len - i, &cp);
		if (!k || cp > 0xFFFF)
			w += p->slots[p->face_slot[0][face]].def->missing_width;
		else
			w += glyph_width(p, face, cp, NULL);
		i += k ? k : 1;
	}
	return (double)w;
}

static bool pdf_has_glyph(void *ctx, ev_face face, uint32_t cp)
{
	HPDF_UINT16 gid;
	return (unsigned)face < EV_FACE_COUNT && cp <= 0xFFFF
	       && glyph_slot(ctx, face, cp, &gid) >= 0;
}

ev_metrics ev_pdf_metrics(ev_pdf *p)
{
	return (ev_metrics){
		.ctx = p,
		.width = pdf_width,
		.has_glyph = pdf_has_glyph,
	};
}

/* ---- validation: everything libharu would draw wrong without a word ---- */

/* Append text for a message: valid UTF-8 as is, other bytes and control
 * characters as \xNN, cut after QUOTE_MAX characters. */
static void quote_text(ev_buf *b, const char *s, size_t len)
{
	size_t count = 0;
	for (size_t i = 0; i < len; count++) {
		uint32_t cp;
		size_t k = ev_utf8_decode(s + i, len - i, &cp);
		if (count == QUOTE_MAX) {
			ev_buf_puts(b, "\xE2\x80\xA6");  /* U+2026 ellipsis */
			return;
		}
		if (!k || cp < 0x20 || cp == 0x7F) {
			ev_buf_printf(b, "\\x%02X", (unsigned char)s[i]);
			i++;
		} else {
			ev_buf_append(b, s + i, k);
			i += k;
		}
	}
}

/* Report why a text item cannot be drawn: `why` then the quoted text. */
static int bad_text(size_t pageno, const ev_item *it, ev_diags *d,
                    const char *why)
{
	ev_buf q = {0};
	quote_text(&q, it->text, it->len);
	ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL,
	            "PDF writer: page %zu: %s in text \"%s\"", pageno, why,
	            q.data ? q.data : "");
	ev_buf_free(&q);
	return -1;
}

/* Check one code point of a text item; fills `why` when it cannot be drawn. */
static bool drawable(ev_pdf *p, ev_face face, uint32_t cp, char *why,
                     size_t n)
{
	char ch[5] = {0};
	if (cp > 0xFFFF) {
		ev_utf8_encode(cp, ch);
		snprintf(why, n, "character U+%04X (%s) is outside the Basic "
		         "Multilingual Plane (libharu encodes only U+0000 to U+FFFF)",
		         (unsigned)cp, ch);
	} else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) {
		snprintf(why, n, "control character U+%04X", (unsigned)cp);
	} else if (!pdf_has_glyph(p, face, cp)) {
		const char *name = p->slots[p->face_slot[0][face]].name;
		int fb = p->face_slot[1][face];
		ev_utf8_encode(cp, ch);
		if (fb < 0)
			snprintf(why, n, "the %s font (%s) has no glyph for U+%04X (%s)",
			         face_names[face], name, (unsigned)cp, ch);
		else
			snprintf(why, n, "neither the %s font (%s) nor its fallback "
			         "(%s) has a glyph for U+%04X (%s)", face_names[face],
			         name, p->slots[fb].name, (unsigned)cp, ch);
	} else {
		return true;
	}
	return false;
}

static int check_text(ev_pdf *p, size_t pageno, const ev_item *it,
                      ev_diags *d)
{
	char why[256];
	if ((unsigned)it->face >= EV_FACE_COUNT)
		return bad_text(pageno, it, d, "unknown font face");
	if (it->len > MAX_TEXT)
		return bad_text(pageno, it, d, "more than 65535 bytes");
	for (size_t i = 0; i < it->len;) {
		uint32_t cp;
		size_t k = ev_utf8_decode(it->text + i, it->len - i, &cp);
		if (!k) {
			snprintf(why, sizeof why, "invalid UTF-8 (byte 0x%02X at offset "
			         "%zu)", (unsigned char)it->text[i], i);
			return bad_text(pageno, it, d, why);
		}
		if (!drawable(p, it->face, cp, why, sizeof why))
			return bad_text(pageno, it, d, why);
		i += k;
	}
	return 0;
}

/* Validate the whole list before drawing anything, so bad text is refused
 * before libharu spends time on fonts and pages. */
static int check_display(ev_pdf *p, const ev_display *dl, ev_diags *d)
{
	for (size_t pg = 0; pg < dl->npages; pg++) {
		for (size_t i = 0; i < dl->pages[pg].n; i++) {
			const ev_item *it = &dl->pages[pg].items[i];
			/* libharu would print NaN or infinity into the content stream. */
			if (!isfinite(it->x) || !isfinite(it->y) || !isfinite(it->x2)
			    || !isfinite(it->y2) || !isfinite(it->stroke)
			    || !isfinite(it->size)) {
				ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "PDF writer: page "
				            "%zu: item %zu has a coordinate that is not a "
				            "finite number", p->npages + pg + 1, i + 1);
				return -1;
			}
			if (it->kind == EV_ITEM_TEXT
			    && check_text(p, p->npages + pg + 1, it, d) < 0)
				return -1;
		}
	}
	return 0;
}

/* ---- drawing ---- */

/* The document's font object for a slot, created on first use: each one
 * costs libharu ~3 ms and ~30 KB of output, so a document that draws
 * nothing from the fallback font does not embed it at all. */
static HPDF_Font slot_font(ev_pdf *p, int slot, ev_diags *d)
{
	font_slot *s = &p->slots[slot];
	if (!s->font) {
		s->font = HPDF_GetFont(p->doc, s->name, "UTF-8");
		if (check(p, s->font ? HPDF_OK : HPDF_INVALID_FONT, d, NULL,
		          "cannot create font") < 0)
			return NULL;
	}
	return s->font;
}

/* Make a slot's font at `size` current, unless it is already. */
static int select_font(ev_pdf *p, HPDF_Page page, int slot, double size,
                       page_state *ps, ev_diags *d)
{
	HPDF_Font font = slot_font(p, slot, d);
	if (!font)
		return -1;
	if (font == ps->font && size == ps->size)
		return 0;
	ps->font = font;
	ps->size = size;
	return check(p, HPDF_Page_SetFontAndSize(page, font, (HPDF_REAL)size), d,
	             NULL, "cannot draw text");
}

/* Remember the code points drawn, for the ToUnicode CMap. */
static void mark_used(font_slot *s, const char *t, size_t len)
{
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = ev_utf8_decode(t + i, len - i, &cp);
		if (!k)
			return;   /* cannot happen: the text was validated */
		s->used[cp >> 5] |= (uint32_t)1 << (cp & 31);
		s->dirty = 1;
		i += k;
	}
}

/* Draw the validated text s..end at (x, y) as runs of characters that one
 * font draws: the main font, and the fallback for what it lacks. A run
 * starts where the widths of the runs before it end, summed in 1/1000 em
 * as pdf_width sums them, so the text ends where layout measured it to.
 * The advance goes to *adv (1/1000 em). Returns 0, or -1 with an error. */
static int draw_runs(ev_pdf *p, HPDF_Page page, const ev_item *it, double x,
                     double y, const char *s, const char *end, page_state *ps,
                     long *adv, ev_diags *d)
{
	long w = 0;
	while (s < end) {
		int slot = -1;
		long run = 0;
		const char *e = s;
		while (e < end) {
			uint32_t cp;
			int cs;
			size_t k = ev_utf8_decode(e, (size_t)(end - e), &cp);
			if (!k)
				return bad_text(p->cur_page, it, d, "invalid UTF-8");
			long cw = glyph_width(p, it->face, cp, &cs);
			if (slot >= 0 && cs != slot)
				break;
			slot = cs;
			run += cw;
			e += k;
		}
		if (select_font(p, page, slot, it->size, ps, d) < 0)
			return -1;
		HPDF_STATUS rc = HPDF_Page_SetTextMatrix(page, 1, 0, 0, 1,
		        (HPDF_REAL)(x + (double)w * it->size / 1000.0), (HPDF_REAL)y);
		memcpy(p->text, s, (size_t)(e - s));
		p->text[e - s] = '\0';
		if (rc == HPDF_OK)
			rc = HPDF_Page_ShowText(page, p->text);
		mark_used(&p->slots[slot], s, (size_t)(e - s));
		if (check(p, rc, d, NULL, "cannot draw text") < 0)
			return -1;
		w += run;
		s = e;
	}
	*adv = w;
	return 0;
}

static int draw_text(ev_pdf *p, HPDF_Page page, double ph,
                     const ev_item *it, page_state *ps, ev_diags *d)
{
	const char *s = it->text, *end = s + it->len;
	double x = it->x, y = ph - it->y;
	/* The first character's font is made current even when nothing is
	 * drawn (an item of spaces), as it always was. */
	uint32_t cp = ' ';
	int slot, space_slot;
	ev_utf8_decode(s, it->len, &cp);
	glyph_width(p, it->face, cp, &slot);
	if (select_font(p, page, slot, it->size, ps, d) < 0)
		return -1;
	long space = glyph_width(p, it->face, ' ', &space_slot);
	/* An absolute text matrix per run: relative Td moves would carry
	 * libharu's float rounding from one item to the next. A justified
	 * item is drawn a word at a time, each space word_space wider (Tw
	 * does not apply to libharu's two-byte encoding); the spaces are not
	 * drawn, a reader sees them in the gaps, and the CMap still maps them. */
	while (s < end) {
		const char *e = s;
		if (it->word_space != 0)
			while (e < end && *e != ' ')
				e++;
		else
			e = end;
		if (e > s) {
			long w = 0;
			if (draw_runs(p, page, it, x, y, s, e, ps, &w, d) < 0)
				return -1;
			x += (double)w * it->size / 1000.0;
		}
		for (; e < end && *e == ' '; e++) {
			x += (double)space * it->size / 1000.0 + it->word_space;
			mark_used(&p->slots[space_slot], " ", 1);
		}
		s = e;
	}
	return 0;
}

/* Draw the run of text items starting at *i inside one BT/ET; *i ends on
 * the first item that is not text. */
static int draw_text_run(ev_pdf *p, HPDF_Page page, const ev_page *pg,
                         size_t *i, page_state *ps, ev_diags *d)
{
	if (check(p, HPDF_Page_BeginText(page), d, NULL, "cannot begin text") < 0)
		return -1;
	for (; *i < pg->n && pg->items[*i].kind == EV_ITEM_TEXT; ++*i) {
		const ev_item *it = &pg->items[*i];
		if (it->len && draw_text(p, page, pg->height, it, ps, d) < 0)
			return -1;
	}
	return check(p, HPDF_Page_EndText(page), d, NULL, "cannot end text");
}

/* A line or the outline of a rectangle, stroked in black. */
static int draw_shape(ev_pdf *p, HPDF_Page page, double ph,
                      const ev_item *it, page_state *ps, ev_diags *d)
{
	HPDF_STATUS rc = HPDF_OK;
	if (it->stroke != ps->line_width) {
		rc = HPDF_Page_SetLineWidth(page, (HPDF_REAL)it->stroke);
		ps->line_width = it->stroke;
	}
	if (it->kind == EV_ITEM_LINE) {
		if (rc == HPDF_OK)
			rc = HPDF_Page_MoveTo(page, (HPDF_REAL)it->x,
			                      (HPDF_REAL)(ph - it->y));
		if (rc == HPDF_OK)
			rc = HPDF_Page_LineTo(page, (HPDF_REAL)it->x2,
			                      (HPDF_REAL)(ph - it->y2));
	} else if (rc == HPDF_OK) {
		rc = HPDF_Page_Rectangle(page, (HPDF_REAL)it->x,
		                         (HPDF_REAL)(ph - it->y - it->y2),
		                         (HPDF_REAL)it->x2, (HPDF_REAL)it->y2);
	}
	if (rc == HPDF_OK)
		rc = HPDF_Page_Stroke(page);
	return check(p, rc, d, NULL,
	             it->kind == EV_ITEM_LINE ? "cannot draw line"
	                                      : "cannot draw rectangle");
}

static int draw_page(ev_pdf *p, const ev_page *pg, ev_diags *d)
{
	HPDF_Page page = HPDF_AddPage(p->doc);
	HPDF_STATUS rc = page ? HPDF_OK : HPDF_INVALID_PAGE;
	if (rc == HPDF_OK)
		rc = HPDF_Page_SetWidth(page, (HPDF_REAL)pg->width);
	if (rc == HPDF_OK)
		rc = HPDF_Page_SetHeight(page, (HPDF_REAL)pg->height);
	/* Lines and boxes are black: say so rather than rely on the default. */
	if (rc == HPDF_OK)
		rc = HPDF_Page_SetGrayStroke(page, 0);
	if (check(p, rc, d, NULL, "cannot add page") < 0)
		return -1;
	page_state ps = {.font = NULL, .size = -1, .line_width = -1};
	for (size_t i = 0; i < pg->n;) {
		const ev_item *it = &pg->items[i];
		if (it->kind == EV_ITEM_TEXT) {
			if (draw_text_run(p, page, pg, &i, &ps, d) < 0)
				return -1;
		} else {
			if (draw_shape(p, page, pg->height, it, &ps, d) < 0)
				return -1;
			i++;
		}
	}
	return 0;
}

/* ---- the document ---- */

static int not_open(ev_diags *d, const char *fn)
{
	ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL,
	            "PDF writer: %s without a successful ev_pdf_begin", fn);
	return -1;
}

/* Info strings go through libharu's UTF-8 encoder, which has the same blind
 * spots as for page text. */
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

int ev_pdf_begin(ev_pdf *p, const ev_pdf_meta *meta, ev_diags *d)
{
	p->state = DOC_FAILED;
	if (meta && ((meta->title && check_meta("title", meta->title, d) < 0)
	             || (meta->author && check_meta("author", meta->author, d) < 0)
	             || (meta->subject && check_meta("subject", meta->subject, d) < 0)))
		return -1;
	/* A failed document may have left a sticky error behind. */
	HPDF_ResetError(p->doc);
	p->err = p->err_detail = HPDF_OK;
	p->npages = p->cur_page = 0;
	for (int s = 0; s < p->nslots; s++) {
		if (p->slots[s].dirty)
			memset(p->slots[s].used, 0, sizeof p->slots[s].used);
		p->slots[s].dirty = 0;
		p->slots[s].font = NULL;   /* freed with the old document */
	}
	/* NewDoc keeps the parsed fonts but forgets the current encoder; info
	 * strings set before SetCurrentEncoder would come out as mojibake. */
	HPDF_STATUS rc = HPDF_NewDoc(p->doc);
	if (rc == HPDF_OK)
		rc = HPDF_SetCurrentEncoder(p->doc, "UTF-8");
	if (rc == HPDF_OK)
		rc = set_info(p, meta);
	if (check(p, rc, d, NULL, "cannot start document") < 0)
		return -1;
	p->state = DOC_OPEN;
	return 0;
}

int ev_pdf_add(ev_pdf *p, const ev_display *dl, ev_diags *d)
{
	if (p->state != DOC_OPEN)
		return not_open(d, "ev_pdf_add");
	p->state = DOC_FAILED;
	if (check_display(p, dl, d) < 0)
		return -1;
	for (size_t i = 0; i < dl->npages; i++, p->npages++) {
		p->cur_page = p->npages + 1;
		if (draw_page(p, &dl->pages[i], d) < 0)
			return -1;
	}
	p->cur_page = 0;
	p->state = DOC_OPEN;
	return 0;
}

/* Write a ToUnicode CMap mapping each code drawn with this font to itself:
 * the UTF-8 encoder's codes are the UTF-16 code units, one per BMP code
 * point. bfchar, not an identity bfrange: Ghostscript misreads the latter. */
static void build_cmap(const font_slot *s, ev_buf *b)
{
	size_t total = 0, done = 0;
	for (size_t w = 0; w < sizeof s->used / sizeof s->used[0]; w++)
		for (uint32_t v = s->used[w]; v; v &= v - 1)
			total++;
	ev_buf_puts(b, "/CIDInit /ProcSet findresource begin\n"
	            "12 dict begin\nbegincmap\n"
	            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
	            "/Supplement 0 >> def\n"
	            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
	            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	for (uint32_t cp = 0; cp <= 0xFFFF; cp++) {
		if (!(s->used[cp >> 5] & ((uint32_t)1 << (cp & 31))))
			continue;
		if (done % BFCHAR_BLOCK == 0) {
			size_t left = total - done;
			ev_buf_printf(b, "%zu beginbfchar\n",
			              left < BFCHAR_BLOCK ? left : BFCHAR_BLOCK);
		}
		ev_buf_printf(b, "<%04X> <%04X>\n", (unsigned)cp, (unsigned)cp);
		if (++done % BFCHAR_BLOCK == 0 || done == total)
			ev_buf_puts(b, "endbfchar\n");
	}
	ev_buf_puts(b, "endcmap\nCMapName currentdict /CMap defineresource pop\n"
	            "end\nend\n");
}

/* libharu 2.3.0 hands its encoding CMap (begincidrange) to /ToUnicode,
 * which poppler warns about and strict validators reject. The stream lives
 * on the Type0 font dictionary that HPDF_GetFont returns; refill it. */
static int fix_tounicode(ev_pdf *p, font_slot *s, ev_diags *d)
{
	HPDF_Dict tu = HPDF_Dict_GetItem(s->font, "ToUnicode", HPDF_OCLASS_DICT);
	if (!tu || !tu->stream) {
		ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL,
		            "PDF writer: font %s has no ToUnicode stream to replace",
		            s->name);
		return -1;
	}
	ev_buf b = {0};
	build_cmap(s, &b);
	if (b.failed) {
		ev_buf_free(&b);
		return check(p, HPDF_FAILD_TO_ALLOC_MEM, d, NULL,
		             "cannot build ToUnicode CMap");
	}
	/* The keys describe the encoding CMap it was made from ("/CMapName
	 * /UTF-8", Identity-H); a ToUnicode stream needs none of them. */
	static const char *const keys[] = {"Type", "CMapName", "CIDSystemInfo",
	                                   "WMode"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		HPDF_Dict_RemoveElement(tu, keys[i]);   /* absent is fine */
	HPDF_MemStream_FreeData(tu->stream);
	HPDF_STATUS rc = HPDF_Stream_Write(tu->stream, (const HPDF_BYTE *)b.data,
	                                   (HPDF_UINT)b.len);
	ev_buf_free(&b);
	return check(p, rc, d, NULL, "cannot write ToUnicode CMap");
}

/* libharu marks a drawn glyph and its components for embedding, but not
 * the components of those (CheckCompositGryph does not recurse): DejaVu
 * Serif's ẽ is e + tildecomb, tildecomb is tilde moved, and without this
 * the tilde is missing from the subset and from the page. PT Serif has no
 * such glyphs, so its subsets are unchanged. */
static void embed_components(font_slot *s)
{
	HPDF_TTFontDefAttr attr = (HPDF_TTFontDefAttr)s->def->attr;
	const ev_glyph_deps *g = &s->deps;
	if (g->num_glyphs != attr->num_glyphs)
		return;   /* cannot happen: both read the same maxp */
	for (size_t i = 0; i < g->n; i++)
		if (attr->glyph_tbl.flgs[g->glyph[i]])
			for (size_t k = g->first[i]; k < g->first[i + 1]; k++)
				attr->glyph_tbl.flgs[g->comp[k]] = 1;
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
		return out->failed ? -1 : check(p, rc, d, NULL, "cannot save PDF");
	}
	return 0;
}

int ev_pdf_end(ev_pdf *p, ev_buf *out, ev_diags *d)
{
	if (p->state != DOC_OPEN)
		return not_open(d, "ev_pdf_end");
	p->state = DOC_FAILED;
	if (!p->npages) {
		ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL,
		            "PDF writer: document has no pages");
		return -1;
	}
	for (int s = 0; s < p->nslots; s++) {
		if (!p->slots[s].font)
			continue;
		embed_components(&p->slots[s]);
		if (fix_tounicode(p, &p->slots[s], d) < 0)
			return -1;
	}
	if (copy_out(p, out, d) < 0)
		return -1;
	p->state = DOC_NONE;
	return 0;
}

int ev_pdf_render(ev_pdf *p, const ev_display *dl, const ev_pdf_meta *meta,
                  ev_buf *out, ev_diags *d)
{
	if (ev_pdf_begin(p, meta, d) < 0 || ev_pdf_add(p, dl, d) < 0)
		return -1;
	return ev_pdf_end(p, out, d);
}
