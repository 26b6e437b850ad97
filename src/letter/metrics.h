/* metrics.h - the font-metrics interface layout measures through.
 *
 * The PDF writer answers from the real font; tests answer with a fixed-width
 * fake, so layout needs no font files and no PDF library.
 */
#ifndef EV_METRICS_H
#define EV_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
	EV_FACE_REGULAR,
	EV_FACE_BOLD,
	EV_FACE_ITALIC,
	EV_FACE_BOLD_ITALIC,
	EV_FACE_COUNT
} ev_face;

typedef struct ev_metrics {
	void *ctx;
	/* Advance width of valid UTF-8 text, in 1/1000 em. */
	double (*width)(void *ctx, ev_face face, const char *s, size_t len);
	/* Whether `face` has a glyph for code point cp. */
	bool (*has_glyph)(void *ctx, ev_face face, uint32_t cp);
} ev_metrics;

/* Width in points of s at `size` points. */
double ev_text_width(const ev_metrics *m, ev_face face, double size,
                     const char *s, size_t len);

/* First code point of s that `face` lacks, or 0 when all are present. */
uint32_t ev_missing_glyph(const ev_metrics *m, ev_face face, const char *s,
                          size_t len);

/* Widths remembered: a letter measures the same sender lines, words and
 * address parts as the one before, and a row of a list the same courts,
 * towns and regions, and shaping them again is the costliest part of
 * measuring. The memo measures through a copy of m and keeps the last
 * width of up to 1024 texts of up to 96 bytes (a newer text takes the
 * slot of an older one), and ev_missing_glyph's answer for them; what it
 * gives is m's own, so measuring through it changes nothing but the time. Not thread-safe: one a
 * thread. NULL when out of memory. */
typedef struct ev_width_memo ev_width_memo;
ev_width_memo *ev_width_memo_new(const ev_metrics *m);
void ev_width_memo_free(ev_width_memo *wm);          /* accepts NULL */
/* Metrics that measure through wm (valid until it is freed). */
ev_metrics ev_width_memo_metrics(ev_width_memo *wm);
/* Whether wm measures through m's context and functions. */
bool ev_width_memo_of(const ev_width_memo *wm, const ev_metrics *m);

/* Widths measured by one thread for the others: the workers measure
 * every letter's address lines (label and envelope fits) in the first
 * pass, the main thread the same lines again for the label sheets, the
 * posting list and the proof. Thread-safe (a lock), of a fixed size (a
 * newer text takes an older one's place); all that share it must measure
 * with the same fonts, so an answer is the same whoever measured it. NULL
 * when out of memory. */
typedef struct ev_width_table ev_width_table;
ev_width_table *ev_width_table_new(void);
void ev_width_table_free(ev_width_table *t);         /* accepts NULL */
/* wm asks t before it measures, and tells t what it measured. */
void ev_width_memo_share(ev_width_memo *wm, ev_width_table *t);

/* A fake: every code point is `per_mille` wide and present, except U+FFFD
 * and code points above U+FFFF, which are missing. For tests. */
ev_metrics ev_metrics_fixed(const double *per_mille);

#endif
