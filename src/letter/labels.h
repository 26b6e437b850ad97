/* labels.h - label sheets: their geometry (the built-in sheets of
 * src/data/labels.tsv, or a gLabels template read by src/job/labeldb.c),
 * looking one up by name, whether an address fits a label, the sheets laid
 * out and a calibration page. Pure: measures through ev_metrics, draws into
 * a display list, reads no file. Lengths in millimetres unless named pt. */
#ifndef EV_LABELS_H
#define EV_LABELS_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "display.h"
#include "metrics.h"

typedef enum {
	EV_LABEL_RECT,       /* width x height, corners rounded by `round` */
	EV_LABEL_ROUND,      /* a disc of diameter width (= height) */
	EV_LABEL_ELLIPSE,    /* width x height */
	EV_LABEL_CD          /* a disc of radius `radius` with a hole, clipped to
	                        width x height (both 2 x radius when unclipped) */
} ev_label_shape;

/* One grid of labels (a gLabels <Layout>): label (i, j), i < nx, j < ny,
 * has its top-left corner at (x0 + i dx, y0 + j dy). A sheet of staggered
 * labels has several. */
typedef struct ev_label_grid {
	int nx, ny;
	double x0, y0, dx, dy;
} ev_label_grid;

#define EV_LABEL_GRIDS 8          /* grids a sheet may have */
#define EV_LABEL_MAX 1000         /* labels a sheet may have */

typedef struct ev_label_sheet {
	const char *id;              /* its name in the PDF: "L7163" for a
	                                built-in sheet, else "BRAND PART" */
	const char *brand, *part;    /* "Avery", "L7163" */
	const char *description;     /* "Mailing labels"; may be "" */
	const char *paper;           /* "A4", "US-Letter", "Other", ... */
	double paper_w, paper_h;
	ev_label_shape shape;
	double label_w, label_h;     /* the label's bounding box */
	double round;                /* EV_LABEL_RECT: corner radius */
	double radius, hole;         /* EV_LABEL_CD: outer and hole radius */
	double margin;               /* the text keeps this far inside the edge */
	ev_label_grid grids[EV_LABEL_GRIDS];
	size_t ngrids;
	bool builtin;                /* from src/data/labels.tsv */
} ev_label_sheet;

/* The built-in sheets (src/data/labels.tsv), *n of them. Static storage. */
const ev_label_sheet *ev_label_builtin(size_t *n);

/* The built-in sheet called `name` (case-insensitive; the part alone,
 * "BRAND PART" or "brand-part"), or NULL. */
const ev_label_sheet *ev_label_sheet_find(const char *name);

/* "Avery L7163" into out (cap bytes, truncated). Returns out. */
const char *ev_label_name(const ev_label_sheet *s, char *out, size_t cap);

/* Labels on a sheet (every grid's), at most EV_LABEL_MAX. */
size_t ev_label_count(const ev_label_sheet *s);

/* The top-left corners (x, y) of the sheet's labels in reading order: row
 * by row from the top, left to right in a row (labels of staggered grids
 * whose tops are within 0.5 mm are one row). Writes at most cap; returns
 * how many the sheet has. */
size_t ev_label_origins(const ev_label_sheet *s, double (*xy)[2], size_t cap);

/* The rectangle the text of a label is set in, relative to the label's
 * top-left corner: a rectangular label less its margin; for round and
 * elliptical labels the largest rectangle inside the shape, centred, less
 * the margin; for a CD the largest rectangle of the ring above the hole,
 * centred across, less the margin. Width or height 0 when nothing fits. */
void ev_label_text_box(const ev_label_sheet *s, double *x, double *y,
                       double *w, double *h);

/* The sheet checked for sense (sizes, grids, label count, a text box):
 * 0, or 1 with a sentence in why. */
int ev_label_sheet_check(const ev_label_sheet *s, char *why, size_t cap);

/* Where the labels are printed: the first sheet starts on label `first`
 * (1-based, in reading order; 0 or 1: the first), and everything drawn is
 * moved by (dx, dy) mm for a printer that feeds off true. */
typedef struct ev_label_place {
	size_t first;
	double dx, dy;
} ev_label_place;

/* The smallest size label text is set in, in points. */
#define EV_LABEL_MIN_PT 6.0

/* Whether an address block fits a label of the sheet: every line as wide
 * as the text box at EV_LABEL_MIN_PT at most, the block as high. Returns
 * 0, or 1 with a sentence in why ("the address does not fit a label of
 * Avery L7160 (63.99 x 38.1 mm) even at 6 pt: ..."), the same verdict
 * ev_layout_labels lays out by. */
int ev_label_fits(const ev_label_sheet *s, const char *const *lines, size_t n,
                  const ev_metrics *m, char *why, size_t cap);

/* Lay out address blocks on sheets, one block a label in reading order,
 * sheet after sheet, each block as large as fits (9 pt, smaller down to
 * EV_LABEL_MIN_PT); the first sheet's labels before `skip` stay empty. A
 * block that does not fit (ev_label_fits) is set at the smallest size:
 * callers reject such rows first. pl may be NULL (no offset). Returns 0,
 * -1 when out of memory. */
int ev_layout_labels(const ev_label_sheet *sheet, const ev_label_place *pl,
                     size_t skip, const char *const *const *blocks,
                     const size_t *nlines, size_t count, const ev_metrics *m,
                     ev_display *dl);

/* A calibration page for the sheet, to print on plain paper: every
 * label's outline, a crosshair at each label's centre, millimetre rulers
 * along the top and left edges, and what to do with it; all moved by pl's
 * offset (pl may be NULL). Returns 0, -1 when out of memory. */
int ev_layout_label_calibration(const ev_label_sheet *s, const ev_label_place *pl,
                                const ev_metrics *m, ev_display *dl);

/* ---- finding a sheet ---- */

/* The sheet `name` calls among v (n sheets): "BRAND PART" or "brand-part"
 * (case, spaces, hyphens and dots ignored), or the part alone when one
 * sheet has it (a built-in sheet wins over others with its part). Returns
 * 0 with *found set; 1 with a sentence in msg when the part is several
 * brands' (naming them) or no sheet has it (naming the closest). */
int ev_label_lookup(const ev_label_sheet *const *v, size_t n, const char *name,
                    const ev_label_sheet **found, ev_buf *msg);

/* Whether every word (case-insensitive) is in the sheet's brand, part,
 * paper or description; no words: every sheet. */
bool ev_label_matches(const ev_label_sheet *s, const char *const *words, size_t n);

/* The sheet as `envoi labels list` prints it, without a newline: brand and
 * part, paper, label size, labels a sheet, description. */
int ev_label_describe(const ev_label_sheet *s, ev_buf *out);

/* ---- numbers ---- */

/* A length in millimetres as people read it, by integer code (never the
 * locale): at most two decimals, trailing zeros dropped ("99.1", "-1.5",
 * "64"). Returns out. */
const char *ev_mm_text(double mm, char *out, size_t cap);

/* A decimal number with a point ("-1.5", "2", ".5", "1e2"), all n bytes of
 * s, read by our own code (not the locale). 0, or -1 when it is not one. */
int ev_decimal_parse(const char *s, size_t n, double *out);

/* --offset X,Y: two decimals in mm, each within +-50. 0, or -1. */
int ev_label_offset_parse(const char *s, double *dx, double *dy);

#endif
