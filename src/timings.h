/* timings.h - where a run's time goes (envoi batch --timings): per-phase
 * accumulators that any thread adds to, off by default. When off, each
 * probe is one predictable branch and no clock is read. */
#ifndef EV_TIMINGS_H
#define EV_TIMINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

typedef enum {
	EV_PHASE_READ,     /* reading, decoding and checking the inputs */
	EV_PHASE_LAYOUT,   /* merging and laying out (letters, both passes;
	                      labels, proof, posting list, envelopes) */
	EV_PHASE_ENCODE,   /* page content, PDF objects, font subsets */
	EV_PHASE_DEFLATE,  /* compressing streams */
	EV_PHASE_WRITE,    /* files, hashing, manifest, committing the folder */
	EV_PHASE_OTHER,    /* in the run but in none of the above */
	EV_PHASE_WAIT,     /* a thread waiting for others: not work, and not
	                      in the total */
	EV_PHASE_COUNT
} ev_phase;

/* Set by ev_timings_enable; read by the probes. */
extern bool ev_timings_on;

/* Start measuring: totals to zero, the wall clock from now. Call on the
 * main thread before any other thread starts. */
void ev_timings_enable(void);

uint64_t ev_timing_clock(void);
void ev_timing_count(ev_phase phase, uint64_t start);

/* A probe: `uint64_t t = ev_timing_start(); ...; ev_timing_add(PHASE, t);`
 * on one thread. It reads CLOCK_MONOTONIC (tens of ns; a thread's CPU
 * clock costs microseconds), so a thread waiting for a core or the disk
 * meanwhile counts that too. Phases nest like brackets: time in a phase
 * started inside another counts for the inner one only, so a whole stretch
 * can be given to one phase and the calls inside it to others. start is 0
 * when timings are off, and add then does nothing. */
static inline uint64_t ev_timing_start(void)
{
	return ev_timings_on ? ev_timing_clock() : 0;
}

static inline void ev_timing_add(ev_phase phase, uint64_t start)
{
	if (start)
		ev_timing_count(phase, start);
}

/* The figures of a run, as plain data. */
typedef struct ev_timings_report {
	uint64_t ns[EV_PHASE_COUNT];   /* per phase, summed over the threads */
	uint64_t wall_ns;              /* since ev_timings_enable */
	uint64_t cpu_ns;               /* the process's user + system time */
	size_t letters;
	long peak_rss_kb;              /* the process's, 0 when unknown */
} ev_timings_report;

/* The totals so far, the wall and CPU time until now and the peak RSS,
 * with `letters` as given. Call once the other threads have finished. */
void ev_timings_collect(ev_timings_report *r, size_t letters);

/* The table, one line each prefixed with `prefix`: each phase's seconds
 * and share of all phases, their total, the time threads waited, the
 * process's CPU time, the wall time, letters, letters a second and peak
 * RSS. Numbers by integer code (no locale). Returns 0, or -1 when b
 * failed. */
int ev_timings_format(ev_buf *b, const ev_timings_report *r, const char *prefix);

#endif
