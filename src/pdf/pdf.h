/* pdf.h - the PDF writer: walks a display list and writes PDF with
 * libharu's document layer, the batch's font subsets and page content of
 * its own (glyph IDs, kerning, justified spaces). Letters' pages kept as
 * written are added to other documents, drawn on them as forms (the proof
 * sheet) or spilled to files; documents may have an outline (bookmarks).
 *
 * The only file that includes hpdf.h is pdf.c. One ev_pdf per worker: it
 * reuses one HPDF_Doc and one z_stream for every document it writes.
 * Output is deterministic (no dates, no /ID).
 */
#ifndef EV_PDF_H
#define EV_PDF_H

#include "buf.h"
#include "diag.h"
#include "display.h"
#include "embed.h"
#include "font.h"
#include "metrics.h"

typedef struct ev_pdf ev_pdf;
typedef struct ev_pdf_store ev_pdf_store;   /* store.h */

typedef struct ev_pdf_meta {
	const char *title;    /* UTF-8 or NULL */
	const char *author;   /* UTF-8 or NULL */
	const char *subject;  /* UTF-8 or NULL */
} ev_pdf_meta;

/* A writer drawing with the batch's embedded fonts (made once, shared by
 * every writer) and shaping text through fs (this writer's own fonts: the
 * shaping cache is not shared between threads). Both must outlive the
 * writer. NULL with an error in d when out of memory. */
ev_pdf *ev_pdf_new(const ev_embed *fonts, const ev_fontset *fs, ev_diags *d);
void ev_pdf_free(ev_pdf *p);   /* accepts NULL */

/* The batch's store of shared page content (store.h) for p to draw the
 * template's own text from: found there, or encoded and put there once.
 * Without one, p encodes it for every page. The store must outlive every
 * document and kept page p makes. */
void ev_pdf_set_store(ev_pdf *p, ev_pdf_store *store);

/* Build one document incrementally: begin, add one or more display lists
 * (their pages are appended in order), end. `end` stores the PDF bytes in
 * `out` (appended). Each returns 0, or -1 with an error in `d`; after an
 * error the document is abandoned and the next `begin` starts afresh.
 * A display list's EV_ITEM_FORM items name an ev_pdf_pages (below) and
 * one of its pages, drawn scaled into the item's box as a Form XObject:
 * one per (pages, index) in a document, however often it is drawn, its
 * content the page's deflated bytes copied (the pages need only outlive
 * ev_pdf_add). They must come from a writer of the same embedded fonts. */
int ev_pdf_begin(ev_pdf *p, const ev_pdf_meta *meta, ev_diags *d);
int ev_pdf_add(ev_pdf *p, const ev_display *dl, ev_diags *d);
int ev_pdf_end(ev_pdf *p, ev_buf *out, ev_diags *d);

/* Begin a document written to the new file at path as its pages come
 * (pdffile.h: kept pages and display lists without forms, an outline):
 * for the print files, which hold every letter. ev_pdf_end_file with the
 * same path finishes it; a document abandoned leaves no file. Returns 0,
 * or -1 with an error in d naming the file. */
int ev_pdf_begin_file(ev_pdf *p, const char *path, const ev_pdf_meta *meta,
                      ev_diags *d);

/* End the document into a new file at path, written as it is made rather
 * than held in memory first (for the large print and label files). The
 * file is removed again on failure. Not synced: see ev_sync_folder. */
int ev_pdf_end_file(ev_pdf *p, const char *path, ev_diags *d);

/* The pages of the last document p wrote (since its last ev_pdf_begin), as
 * written: deflated content, sizes, fonts. The caller owns the result and
 * frees it with ev_pdf_pages_free; NULL when out of memory. Pages drawn
 * from display lists only (ev_pdf_add_pages adds none), and a page that
 * draws forms cannot be reused: adding, drawing or saving it fails. */
typedef struct ev_pdf_pages ev_pdf_pages;
ev_pdf_pages *ev_pdf_take_pages(ev_pdf *p);
size_t ev_pdf_pages_count(const ev_pdf_pages *pages);
void ev_pdf_pages_free(ev_pdf_pages *pages);   /* accepts NULL */

/* Kept pages' memory, given back when they are freed and handed out again
 * by ev_pdf_take_pages of a writer that has the pool: letters pass from
 * the workers to the thread that prints them without a malloc each. Any
 * thread may take and free. Free every pages taken from a pool before
 * the pool. */
typedef struct ev_pages_pool ev_pages_pool;
ev_pages_pool *ev_pages_pool_new(void);        /* NULL when out of memory */
void ev_pages_pool_free(ev_pages_pool *pool);  /* accepts NULL */
void ev_pdf_set_pages_pool(ev_pdf *p, ev_pages_pool *pool);

/* Append such pages to p's open document, their content reused as it was
 * deflated: the print file takes each letter this way. p must draw with
 * the same embedded fonts as the writer they came from. Returns 0, or -1
 * with an error in d. */
int ev_pdf_add_pages(ev_pdf *p, const ev_pdf_pages *pages, ev_diags *d);

/* The pages as one self-describing record appended to out, for spilling
 * them to a file (the names of the fonts they use, then each page's size,
 * fonts and deflated content; a CRC-32 at the end). Returns 0, or -1 when
 * out is full or out of memory (or a page draws forms). */
int ev_pdf_pages_save(const ev_pdf_pages *pages, ev_buf *out);

/* Pages read back from such a record, to be drawn with `fonts`, which
 * must be the embedded fonts of the writer that saved them (checked by
 * the fonts' subset names), their shared content from `store` (the
 * writer's, may be NULL when it had none). data need not outlive the result, which the
 * caller frees with ev_pdf_pages_free. NULL for a record that is
 * truncated, corrupt or of other fonts, or when out of memory; never
 * reads outside data[0..len). */
ev_pdf_pages *ev_pdf_pages_load(const ev_embed *fonts, ev_pdf_store *store,
                                const void *data, size_t len);

/* An entry at the top level of the open document's outline (after those
 * added before), titled title_utf8 (valid UTF-8, characters of the Basic
 * Multilingual Plane: written as UTF-16BE with a byte-order mark), that
 * shows page page_index (from 0) of those already added, whole. The
 * document then opens with its outline showing. Returns 0, or -1 with an
 * error in d: a bad title or page leaves the document open, any other
 * failure abandons it. */
int ev_pdf_outline(ev_pdf *p, const char *title_utf8, size_t page_index,
                   ev_diags *d);

/* begin + add + end in one call. Returns 0, -1 with an error in d, or 1
 * when this display list cannot be drawn (a character no font has, or one
 * the batch's font subsets lack): the letter is at fault, not the writer,
 * which stays usable; ev_pdf_refusal says why. */
int ev_pdf_render(ev_pdf *p, const ev_display *dl, const ev_pdf_meta *meta,
                  ev_buf *out, ev_diags *d);
/* ev_pdf_render writes its file itself (pdffile.h: PDF 1.5, object and
 * cross-reference streams, an information dictionary of meta's strings
 * only); the other documents are libharu's. */

/* Why the last ev_pdf_render returned 1 ("page 1: no font has the
 * character U+202E"), or "". Valid until the next document starts. */
const char *ev_pdf_refusal(const ev_pdf *p);

#endif
