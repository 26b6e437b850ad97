/* pages.h - a document's pages kept as written (ev_pdf_take_pages): each
 * page's size, the font slots it uses and its deflated content, as plain
 * data shared by the PDF writer (pdf.c) and the record that spills them to
 * a file (pages.c). Callers use pdf.h, which declares the functions. */
#ifndef EV_PAGES_H
#define EV_PAGES_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "embed.h"
#include "pdf.h"

/* A page as written: its size, fonts and deflated content (in a buffer).
 * A page that draws forms names XObjects of its own document: it cannot
 * be reused elsewhere. */
struct recpage {
	double w, h;
	size_t off, len;           /* its content in ev_pdf_pages.rec */
	bool used[EV_EMBED_SLOTS];
	bool forms;
};

struct ev_pdf_pages {
	const ev_embed *fonts;     /* the writer's, not owned */
	ev_buf rec;                /* every page's content, one after another */
	struct recpage *rp;
	size_t n;
};

#endif
