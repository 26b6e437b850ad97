/* pdffile.h - a letter's PDF file written directly, without libharu's
 * object layer: PDF 1.5 with its dictionaries in one deflated object
 * stream and a cross-reference stream (ISO 32000-1, 7.5.7 and 7.5.8), the
 * streams (page content, fonts) as they were deflated. This makes a
 * letter about 4 KB smaller than libharu's PDF 1.3 and costs no object
 * churn. Pure: bytes in, bytes out. */
#ifndef EV_PDFFILE_H
#define EV_PDFFILE_H

#include "buf.h"
#include "flate.h"
#include "pages.h"
#include "pdf.h"

/* A letter's copy of a font as last made, per slot: the next letter
 * that draws the same glyphs (the bold letterhead, an italic word) takes
 * it as it is. */
typedef struct ev_pdffile_font {
	ev_buf marks;              /* the glyphs it was made for */
	ev_buf file;               /* deflated */
	size_t length1;
} ev_pdffile_font;

/* The caller's buffers, reused from file to file. */
typedef struct ev_pdffile_bufs {
	ev_buf *scratch, *packed, *font;
	ev_pdffile_font *last;     /* EV_EMBED_SLOTS of them */
} ev_pdffile_bufs;

/* The document of every page in `pages` (kept as pdf.c writes them: own
 * content, shared content, fonts), with an information dictionary of the
 * strings meta sets (none: no dictionary), appended to out. Each font is
 * the batch's subset with the outlines of only the glyphs marks[slot]
 * marks (a byte per glyph; it gains their components), or all of them
 * where marks or marks[slot] is NULL. Returns 0, or -1 when out of memory,
 * out is full or a page draws forms (which name objects of another
 * document). */
int ev_pdffile_write(const ev_pdf_pages *pages, const ev_pdf_meta *meta,
                     unsigned char *const *marks, ev_flate *f,
                     const ev_pdffile_bufs *bufs, ev_buf *out);

/* A document written to a file as its pages come (the print files): each
 * page's own content as it was deflated, each shared stream once however
 * many pages draw it, the batch's whole font subsets, an outline (a
 * top-level entry per title, showing a page whole), an information
 * dictionary of meta's strings; PDF 1.5 with a cross-reference table.
 * Nothing is held but the numbers of the objects. */
typedef struct ev_pdfstream ev_pdfstream;

/* Start the file at path (created, or emptied). NULL with errno set when
 * it cannot be, or when out of memory. */
ev_pdfstream *ev_pdfstream_open(const char *path, const ev_embed *fonts,
                                const ev_pdf_meta *meta);

/* A Form XObject of deflated content (a part of a kept page, w x h
 * points, drawing with the fonts used marks), written now: its object
 * number, or 0 with errno set. */
size_t ev_pdfstream_form(ev_pdfstream *s, const void *data, size_t len, double w,
                         double h, const bool *used);

/* The forms a page draws: /Fm<name> is object obj. */
typedef struct ev_pdfstream_xobject {
	size_t name, obj;
} ev_pdfstream_xobject;

/* Page r of pg (of the same fonts) as the next page, drawing the n forms
 * xo names (a page that draws forms: r->forms). Returns 0, or -1 with
 * errno set (a write failed, or out of memory: ENOMEM). */
int ev_pdfstream_page(ev_pdfstream *s, const ev_pdf_pages *pg, const struct recpage *r,
                      const ev_pdfstream_xobject *xo, size_t n);

/* An outline entry titled title_utf8 (valid UTF-8 of the Basic
 * Multilingual Plane) for page index `page` (from 0) of those written.
 * Returns 0, or -1 when out of memory. */
int ev_pdfstream_outline(ev_pdfstream *s, const char *title_utf8, size_t page);

/* The pages written so far. */
size_t ev_pdfstream_pages(const ev_pdfstream *s);

/* Finish the document and close the file (not synced): 0, or -1 with
 * errno set; s is freed either way, and on failure the file removed. */
int ev_pdfstream_close(ev_pdfstream *s);

/* Close and remove the file unfinished. Accepts NULL. */
void ev_pdfstream_abort(ev_pdfstream *s);

#endif
