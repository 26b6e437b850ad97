/* display.h - the display list: positioned text, lines and boxes on pages.
 *
 * Everything envoi prints (letters, labels, envelopes, proof sheets) is laid
 * out into a display list; renderers (the PDF writer, the text dump for
 * golden tests) only walk it. Units are PDF points; the origin is the
 * page's top-left corner and y grows downwards (text y is the baseline).
 */
#ifndef EV_DISPLAY_H
#define EV_DISPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include "arena.h"
#include "buf.h"
#include "metrics.h"

#define EV_MM(x) ((x) * 72.0 / 25.4)

typedef enum { EV_ITEM_TEXT, EV_ITEM_LINE, EV_ITEM_RECT, EV_ITEM_FORM } ev_item_kind;

typedef struct ev_item {
	ev_item_kind kind;
	double x, y;      /* text: baseline start; line: start; rect, form:
	                     top-left */
	double x2, y2;    /* line: end; rect, form: width, height */
	double stroke;    /* line/rect stroke width */
	ev_face face;     /* text */
	double size;      /* text, points */
	const char *text; /* text, valid NFC UTF-8, arena-owned */
	size_t len;
	double word_space; /* text: added to each U+0020's width (justified) */
	const void *form; /* form: the pages drawn from (the renderer's own
	                     record of a document's pages; opaque here) */
	size_t form_page; /* form: which of them, from 0 */
	bool shared;      /* the same in every letter of the template (its own
	                     text, the letterhead): a writer may set it once */
} ev_item;

typedef struct ev_page {
	double width, height;
	ev_item *items;
	size_t n, cap;
} ev_page;

typedef struct ev_display {
	ev_arena *arena;  /* not owned: text and items live here */
	ev_page *pages;
	size_t npages, cap;
} ev_display;

/* The display list allocates from `arena`; it is valid until the arena is
 * reset. Functions return 0, or -1 when out of memory. */
void ev_display_init(ev_display *dl, ev_arena *arena);
ev_page *ev_display_add_page(ev_display *dl, double width, double height);
int ev_display_text(ev_display *dl, ev_page *pg, double x, double y,
                    ev_face face, double size, const char *s, size_t len);
/* Text whose spaces are each word_space points wider than the font's. */
int ev_display_text_spaced(ev_display *dl, ev_page *pg, double x, double y,
                           ev_face face, double size, const char *s,
                           size_t len, double word_space);
int ev_display_line(ev_display *dl, ev_page *pg, double x1, double y1,
                    double x2, double y2, double stroke);
int ev_display_rect(ev_display *dl, ev_page *pg, double x, double y,
                    double w, double h, double stroke);
/* Page `index` of `pages` (for the PDF writer an ev_pdf_pages, which must
 * stay valid until the page is drawn) scaled to fill the w x h rectangle
 * whose top-left corner is (x, y): the caller keeps the aspect ratio. The
 * display list only points to pages. */
int ev_display_form(ev_display *dl, ev_page *pg, double x, double y,
                    double w, double h, const void *pages, size_t index);

/* Mark the items of pg from index `from` on as shared: drawn from the
 * template alone, the same for every recipient where they stand. */
void ev_display_share(ev_page *pg, size_t from);

/* A copy of dl in one malloc'd block (free it with free()), read-only: it
 * has no arena to grow in. Its size in *bytes (may be NULL). NULL when out
 * of memory. */
ev_display *ev_display_clone(const ev_display *dl, size_t *bytes);

/* Dump as text, one item a line, coordinates in mm with 2 decimals, for
 * golden tests. Locale-independent. */
int ev_display_dump(const ev_display *dl, ev_buf *out);

#endif
