/* proof.h - the proof sheet: the first page of every letter reduced, twelve
 * to a page (3 columns, 4 rows), framed, with the envelope window drawn
 * over it and the recipient's number and name under it, to check a batch
 * by eye before it is printed. Laid out a page at a time, like a label
 * sheet. Pure: a letter's page is opaque here (for the PDF writer, its
 * kept pages, drawn as a form). */
#ifndef EV_PROOF_H
#define EV_PROOF_H

#include <stddef.h>

#include "display.h"
#include "metrics.h"
#include "page.h"

#define EV_PROOF_COLS 3
#define EV_PROOF_ROWS 4
#define EV_PROOF_PER_PAGE (EV_PROOF_COLS * EV_PROOF_ROWS)

/* One letter on the sheet. */
typedef struct ev_proof_item {
	const void *pages;       /* the letter's kept pages (ev_pdf_pages), or
	                            NULL: an empty frame (a letter not made) */
	size_t index;            /* which of them to show, from 0 */
	double page_w, page_h;   /* its size in points (0: the proof's paper) */
	size_t seq;              /* the letter's sequence number */
	const char *name;        /* the recipient's name, UTF-8; may be NULL */
} ev_proof_item;

/* The envelope window on the letter's page, in millimetres from its
 * top-left corner. A width or height of 0: no window is drawn. */
typedef struct ev_proof_window {
	double x, y, w, h;
} ev_proof_window;

/* Lay out `count` items in order onto new pages of `paper` (NULL: A4)
 * appended to dl, EV_PROOF_PER_PAGE to a page: a batch passes a page's
 * worth at a time as its letters come, and the rest at the end. Each
 * letter's page is reduced to fit its cell keeping its proportions; under
 * it "0001 Name" in EV_FACE_REGULAR, set smaller (7 pt down to 5 pt) and
 * then cut with "…" to fit the cell's width. The names are copied into
 * dl's arena; the pages are pointed to (see ev_display_form). window may
 * be NULL. Returns 0, or -1 when out of memory. */
int ev_layout_proof(const ev_proof_item *items, size_t count,
                    const ev_proof_window *window, const ev_paper *paper,
                    const ev_metrics *m, ev_display *dl);

/* The characters the sheet prints besides the names (digits, the space,
 * the ellipsis), for the batch's font subsets: add them and the names in
 * EV_FACE_REGULAR. Static storage. */
const char *ev_proof_chars(void);

#endif
