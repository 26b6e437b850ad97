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
#include "store.h"

/* A page as written: its size, and its content in two deflated parts:
 * its own (in a buffer), then what it shares with other letters (the
 * template's own text, in the batch's store, or a copy in the buffer when
 * the store had no room), each with the fonts it draws with. A page that
 * draws forms names XObjects of its own document: it cannot be reused
 * elsewhere. */
struct recpage {
	double w, h;
	size_t off, len;           /* its own content in ev_pdf_pages.rec */
	bool used[EV_EMBED_SLOTS];
	bool forms;
	const ev_pdf_stream *shared;   /* the shared part when stored */
	size_t soff, slen;         /* else in rec (none: slen 0) */
	bool sused[EV_EMBED_SLOTS];
};

struct ev_pdf_pages {
	const ev_embed *fonts;     /* the writer's, not owned */
	ev_buf rec;                /* every page's content, one after another */
	struct recpage *rp;
	size_t n;
	bool block;                /* rec's bytes and rp live in this block */
	ev_pages_pool *pool;       /* the block goes back there, or NULL */
	size_t size;               /* the block's bytes, this header included */
};

/* A block of at least size bytes for kept pages (its header and what
 * follows), from pool when it has one, else malloc'd; NULL when out of
 * memory. *got: the block's size. */
ev_pdf_pages *ev_pages_block(ev_pages_pool *pool, size_t size, size_t *got);

/* The shared part of page r of pg and its length (0: none). */
static inline const unsigned char *ev_recpage_shared(const ev_pdf_pages *pg,
                                                     const struct recpage *r,
                                                     size_t *len)
{
	if (r->shared) {
		*len = r->shared->len;
		return r->shared->data;
	}
	*len = r->slen;
	return r->slen ? (const unsigned char *)pg->rec.data + r->soff : NULL;
}

#endif
