/* layout.h - laying out a letter into display lists (label sheets: labels.h).
 * Pure: measures through ev_metrics, hyphenates through ev_hyphenator,
 * draws nothing itself. Window geometry comes from the presets in
 * src/data/presets.tsv (../shared/reference/postal.md section 2). */
#ifndef EV_LAYOUT_H
#define EV_LAYOUT_H

#include <stddef.h>
#include "arena.h"
#include "display.h"
#include "doc.h"
#include "hyphenator.h"
#include "labels.h"
#include "metrics.h"
#include "page.h"

/* Paragraphs already set, for laying out many letters of one template:
 * a paragraph whose runs are all shared (the letter's own text and the
 * signatories, no merge field) is broken into lines once and reused in
 * every later letter, as it would come out again. Remembered by the
 * address of that text, which must stay valid and unchanged while the memo
 * is used. One per thread. */
typedef struct ev_layout_memo ev_layout_memo;
ev_layout_memo *ev_layout_memo_new(void);         /* NULL: out of memory */
void ev_layout_memo_free(ev_layout_memo *memo);   /* accepts NULL */
/* Metrics that measure as m does through the memo's width memo
 * (metrics.h), for the other measures of a letter (its label, its
 * envelope); m itself when memo is NULL or out of memory. Valid until the
 * memo is freed or given another m. */
ev_metrics ev_layout_memo_metrics(ev_layout_memo *memo, const ev_metrics *m);
/* The memo's widths also asked of, and told to, a table shared with other
 * threads (metrics.h). */
void ev_layout_memo_share(ev_layout_memo *memo, ev_width_table *t);

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
	const ev_preset *preset;     /* NULL: din5008-b */
	const ev_paper *paper;       /* NULL: A4 */
	const char *lang;            /* en, ru, be: page numbers, and the body's
	                                hyphenation where a block has none */
	bool justify, hyphenate;
	const ev_hyphenator *hy;     /* NULL: no hyphenation */
	const char *running_name;    /* from page 2, left of the date and the
	                                page number: "name · date", the date
	                                in the page's language */
	ev_layout_memo *memo;        /* NULL: every paragraph set afresh */
} ev_letter_in;

/* What laying out one letter measured. */
typedef struct ev_layout_stats {
	double worst_space;          /* widest word space / the natural one */
	size_t worst_page;           /* on this page of the letter (1-based) */
	size_t hyphens;              /* lines ending in a hyphen */
	size_t ragged;               /* lines of justified text set ragged: no
	                                breaking kept their spaces within 1.5x */
	size_t pages;
	uint32_t missing;            /* when the reason is a character no font
	                                has: that character (the job names the
	                                column it came from), else 0 */
} ev_layout_stats;

/* Lay out one letter, appending its pages to dl. Paragraphs are justified
 * (total-fit, word spaces at most 1.5x natural; a line that cannot be set
 * so is set ragged), hyphenated in their language, and paginated with no
 * widow, orphan or stranded closing. Returns 0 when laid out, 1 when this
 * recipient cannot be printed (an address line too wide for the window
 * even at 8 pt, a character no font has, a runaway length) with *reason
 * set to a sentence in dl's arena, or -1 when out of memory. `st` (may be
 * NULL) receives what was measured. */
int ev_layout_letter(const ev_letter_in *in, const ev_metrics *m,
                     ev_display *dl, const char **reason, ev_layout_stats *st);

/* Whether cp belongs to a word the layout may hyphenate (Latin and
 * Cyrillic letters, apostrophes): such a word is a longest run of these in
 * the letter's own text (the hyphenator is given nothing else). */
bool ev_layout_word_char(uint32_t cp);

/* Whether an address block fits the preset's envelope window (10 pt,
 * stepping down to 8 pt): 0 with the size in *size, or 1 with a sentence in
 * why (a line too wide, too many lines, a character no font has). */
int ev_layout_address_fit(const ev_preset *ps, const char *const *lines, size_t n,
                          const ev_metrics *m, double *size,
                          char *why, size_t cap);

#endif
