/* layout.h - laying out a letter and a label sheet into display lists.
 * Pure: measures through ev_metrics, draws nothing itself. Geometry follows
 * DIN 5008 form B (../shared/reference/postal.md section 2.1). */
#ifndef EV_LAYOUT_H
#define EV_LAYOUT_H

#include <stddef.h>
#include "display.h"
#include "doc.h"
#include "metrics.h"

typedef struct ev_letter_in {
	const char *const *sender;   /* letterhead lines, first = name */
	size_t nsender;
	const char *return_line;     /* above the address, small; may be "" */
	const char *date;
	const char *subject;         /* may be "" */
	const char *reference;       /* may be "" */
	const char *const *address;  /* the address block, top down */
	size_t naddress;
	const ev_doc *body;
} ev_letter_in;

/* Lay out one letter, appending its pages to dl. Returns 0 when laid out,
 * 1 when this recipient cannot be printed (an address line too wide for the
 * window even at 8 pt, a character no font has) with *reason set to a
 * sentence in dl's arena, or -1 when out of memory. */
int ev_layout_letter(const ev_letter_in *in, const ev_metrics *m,
                     ev_display *dl, const char **reason);

/* Whether an address block fits the envelope window (10 pt, stepping down
 * to 8 pt): 0 with the size in *size, or 1 with a sentence in why (a line
 * too wide, too many lines, a character no font has). */
int ev_layout_address_fit(const char *const *lines, size_t n,
                          const ev_metrics *m, double *size,
                          char *why, size_t cap);

/* A label sheet's geometry, in millimetres. */
typedef struct ev_label_sheet {
	const char *id;              /* e.g. "L7163" */
	double paper_w, paper_h;
	double label_w, label_h;
	int cols, rows;
	double left, top;            /* first label's top-left corner */
	double pitch_x, pitch_y;     /* distance between label origins */
} ev_label_sheet;

/* The sheet with this id (case-insensitive), or NULL. */
const ev_label_sheet *ev_label_sheet_find(const char *id);

/* Lay out address blocks on label sheets, in order, 14 to an L7163 sheet.
 * Lines that are too wide are set smaller (down to 6 pt). Returns 0, -1 when
 * out of memory. */
int ev_layout_labels(const ev_label_sheet *sheet,
                     const char *const *const *blocks, const size_t *nlines,
                     size_t count, const ev_metrics *m, ev_display *dl);

#endif
