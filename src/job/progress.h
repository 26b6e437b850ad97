/* progress.h - a live line on a terminal while a batch runs: what it is
 * doing, how far it is, how fast, and how long is left, updated at most
 * ten times a second on stderr; nothing at all when stderr is not a
 * terminal (a log, a pipe) or with -q. It never touches the outputs. */
#ifndef EV_PROGRESS_H
#define EV_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

typedef struct ev_progress {
	FILE *out;                   /* NULL: off */
	const char *what;            /* "letters", "rows checked" */
	size_t total;                /* 0: not known */
	struct timespec start, last;
	bool shown;                  /* a line is on the screen */
} ev_progress;

/* On when `enabled` and out is a terminal. */
void ev_progress_start(ev_progress *p, FILE *out, bool enabled, const char *what,
                       size_t total);
/* done so far; drawn when 0.1 s have passed since the last line (and on
 * the first call). */
void ev_progress_tick(ev_progress *p, size_t done);
/* Take the line off the screen before other messages (the next tick
 * draws it again). */
void ev_progress_clear(ev_progress *p);
/* Clear the line, so the summary starts on a clean one. */
void ev_progress_end(ev_progress *p);

#endif
