/* linebreak.h - total-fit paragraph breaking (Knuth & Plass, "Breaking
 * Paragraphs into Lines", 1981) over abstract boxes, glue and penalties.
 * Pure: no fonts, no I/O; the layout module turns words into items and
 * sets the lines this returns. */
#ifndef EV_LINEBREAK_H
#define EV_LINEBREAK_H

#include <stdbool.h>
#include <stddef.h>
#include "arena.h"

typedef enum { EV_LB_BOX, EV_LB_GLUE, EV_LB_PENALTY } ev_lb_kind;

/* A penalty >= EV_LB_INF never breaks; <= -EV_LB_INF always breaks. */
#define EV_LB_INF 10000.0

/* Paragraphs longer than this are refused (ev_linebreak returns -1). */
#define EV_LB_MAX_ITEMS ((size_t)1 << 24)

/* max_hyphen_run above this means "no limit". */
#define EV_LB_MAX_HYPHEN_RUN 8

typedef struct ev_lb_item {
	ev_lb_kind kind;
	double width;             /* box/glue natural width; penalty: width added
	                             if the line breaks here (a hyphen) */
	double stretch, shrink;   /* glue only; stretch may be INFINITY (fil) */
	double penalty;           /* penalty only */
	bool flagged;             /* penalty: a hyphenation break */
} ev_lb_item;

typedef struct ev_lb_params {
	double width;             /* the measure, same for every line */
	double tolerance;         /* largest adjustment ratio allowed (e.g. 1.0) */
	double line_penalty;      /* 10 */
	double flagged_demerits;  /* two hyphenated lines in a row, 3000 */
	double fitness_demerits;  /* adjacent lines of very different tightness, 3000 */
	int max_hyphen_run;       /* at most this many hyphenated lines in a row
	                             (2); 0 = none; a hard constraint, which
	                             only a forced flagged penalty overrides */
	ev_arena *scratch;        /* where the working arrays go, for the caller
	                             to reset after (NULL: the result's arena) */
} ev_lb_params;

typedef struct ev_lb_line {
	size_t start, end;        /* items [start, end): start skips the glue and
	                             penalties discarded after a break; end is the
	                             index of the break item (or n) */
	double ratio;             /* adjustment ratio: >0 stretch, <0 shrink; 0
	                             when the line has nothing to adjust with, or
	                             infinite (fil) stretch takes up the slack */
	bool hyphen;              /* ends at a flagged penalty */
	bool loose;               /* cannot be justified within tolerance (too
	                             loose, overfull, or nothing to stretch): set
	                             it at natural spacing, ragged */
} ev_lb_line;

/* The defaults above: tolerance 1, line penalty 10, flagged and fitness
 * demerits 3000, two hyphenated lines in a row; width as given. */
ev_lb_params ev_lb_params_default(double width);

/* Break items[0..n) into lines, minimising total demerits over the whole
 * paragraph. Legal breaks: glue right after a box, penalties < EV_LB_INF,
 * and the end, but not one that would leave nothing but a forced break for
 * the next line. The paragraph ends at its last forced penalty when only
 * discardable items (glue, unforced penalties) follow it, which are then
 * dropped; else at n, the last line keeping any trailing glue. A paragraph
 * of nothing but discardable items has no lines (*lines NULL). Every other
 * item lies in exactly one line or is discarded at the start of the next
 * line, in order.
 *
 * When no breaking keeps every line within tolerance, a second pass accepts
 * loose lines (fewest first) and, where nothing else fits, overfull ones; a
 * box wider than the measure gets a line of its own. Those lines are marked
 * loose. Non-finite or absurd numbers in items or params are clamped.
 *
 * *lines and *nlines receive the result, allocated in a (valid until a
 * is reset), as are the working arrays unless p->scratch says where (no
 * malloc). Returns 0 when every
 * line is within tolerance, 1 when some are marked loose (the result is
 * still complete), -1 when out of memory or n >
 * EV_LB_MAX_ITEMS (*lines NULL, *nlines 0). Time O(n * active nodes), with
 * the active list capped. */
int ev_linebreak(const ev_lb_item *items, size_t n, const ev_lb_params *p,
                 ev_arena *a, ev_lb_line **lines, size_t *nlines);

#endif
