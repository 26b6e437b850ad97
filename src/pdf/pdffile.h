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

/* The caller's buffers, reused from file to file. */
typedef struct ev_pdffile_bufs {
	ev_buf *scratch, *packed, *font;
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

#endif
