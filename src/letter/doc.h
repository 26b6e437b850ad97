/* doc.h - a document as blocks of styled runs: what the template parser
 * produces (runs may still name merge fields) and what merging gives the
 * layout (every run is literal text). Plain data, arena-owned. */
#ifndef EV_DOC_H
#define EV_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include "metrics.h"

typedef enum {
	EV_BLOCK_PARA,        /* a paragraph */
	EV_BLOCK_HEADING,     /* level 1-6 */
	EV_BLOCK_ITEM,        /* a list item's paragraph; marker set on its first */
	EV_BLOCK_QUOTE,       /* a paragraph inside a block quote */
	EV_BLOCK_PAGEBREAK,   /* a thematic break: the page ends here */
	EV_BLOCK_SIGNATORIES, /* template only: the signatories list goes here */
	EV_BLOCK_LINE,        /* one unwrapped-if-possible line (a signatory) */
} ev_block_kind;

typedef struct ev_run {
	ev_face face;
	const char *text;     /* literal UTF-8 (NULL when field >= 0) */
	size_t len;
	long field;           /* template: index into the field references, or -1 */
	const char *source;   /* merged: the field the text came from, or NULL */
	bool hard_break;      /* a line break before this run */
	bool shared;          /* merged: the same text in every letter, living
	                         as long as the template (its own text, the
	                         signatories); a layout memo may keep it */
} ev_run;

typedef struct ev_block {
	ev_block_kind kind;
	int level;            /* heading level; list nesting depth (1 = top) */
	const char *marker;   /* list marker ("•", "3.") or NULL */
	ev_run *runs;
	size_t nruns;
	long line;            /* source line in the letter file */
	const char *lang;     /* a translation's language (en, ru, be), or NULL:
	                         the letter's */
} ev_block;

/* The face a run of b is set in: a heading's runs are bold (bold italic
 * where they were italic), whatever they say. */
static inline ev_face ev_run_face(const ev_block *b, const ev_run *r)
{
	if (b->kind != EV_BLOCK_HEADING)
		return r->face;
	return r->face == EV_FACE_ITALIC || r->face == EV_FACE_BOLD_ITALIC
	       ? EV_FACE_BOLD_ITALIC : EV_FACE_BOLD;
}

typedef struct ev_doc {
	ev_block *blocks;
	size_t nblocks;
} ev_doc;

#endif
