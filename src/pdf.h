/* pdf.h - the PDF renderer: walks a display list and writes PDF with libharu.
 *
 * The only file that includes hpdf.h is pdf.c. One ev_pdf per worker: it
 * parses each TrueType face once and reuses one HPDF_Doc for every document
 * it writes. Output is deterministic (no dates, no /ID).
 */
#ifndef EV_PDF_H
#define EV_PDF_H

#include "buf.h"
#include "diag.h"
#include "display.h"
#include "metrics.h"

typedef struct ev_pdf ev_pdf;

typedef struct ev_pdf_meta {
	const char *title;    /* UTF-8 or NULL */
	const char *author;   /* UTF-8 or NULL */
	const char *subject;  /* UTF-8 or NULL */
} ev_pdf_meta;

/* Load the faces (paths to .ttf files; every face is required) and, when
 * `fallback_paths` is not NULL, a second font of the same four faces that
 * draws the characters the first one lacks. Both are checked and parsed
 * here, once; the fallback is only embedded in a document that draws one
 * of its glyphs. Returns NULL with an error naming the file when a font is
 * missing or unreadable. */
ev_pdf *ev_pdf_new(const char *const font_paths[EV_FACE_COUNT],
                   const char *const fallback_paths[EV_FACE_COUNT],
                   ev_diags *d);
void ev_pdf_free(ev_pdf *p);   /* accepts NULL */

/* Metrics from the loaded fonts (advances as embedded, 1/1000 em), valid
 * while p lives. Each character is measured in the font that will draw it:
 * the first font when it has the glyph, else the fallback; has_glyph is
 * true when either has it. Not thread-safe across ev_pdf objects sharing nothing: each
 * worker uses its own ev_pdf. */
ev_metrics ev_pdf_metrics(ev_pdf *p);

/* Build one document incrementally: begin, add one or more display lists
 * (their pages are appended in order), end. `end` stores the PDF bytes in
 * `out` (appended). Each returns 0, or -1 with an error in `d`; after an
 * error the document is abandoned and the next `begin` starts afresh. */
int ev_pdf_begin(ev_pdf *p, const ev_pdf_meta *meta, ev_diags *d);
int ev_pdf_add(ev_pdf *p, const ev_display *dl, ev_diags *d);
int ev_pdf_end(ev_pdf *p, ev_buf *out, ev_diags *d);

/* begin + add + end in one call. */
int ev_pdf_render(ev_pdf *p, const ev_display *dl, const ev_pdf_meta *meta,
                  ev_buf *out, ev_diags *d);

#endif
