/* metrics.c - helpers over the font-metrics interface, and the fixed-width
 * fake that layout tests measure with. */
#include "metrics.h"

#include <pthread.h>

#include <stdlib.h>
#include <string.h>

#include "text.h"

double ev_text_width(const ev_metrics *m, ev_face face, double size,
                     const char *s, size_t len)
{
	return m->width(m->ctx, face, s, len) * size / 1000.0;
}

static uint32_t memo_missing(const ev_metrics *m, ev_face face, const char *s,
                             size_t len);
static bool memo_has_glyph(void *ctx, ev_face face, uint32_t cp);

uint32_t ev_missing_glyph(const ev_metrics *m, ev_face face, const char *s,
                          size_t len)
{
	if (m->has_glyph == memo_has_glyph)
		return memo_missing(m, face, s, len);   /* through a width memo */
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = ev_utf8_decode(s + i, len - i, &cp);
		if (!k)
			return 0xFFFD;
		if (!m->has_glyph(m->ctx, face, cp))
			return cp;
		i += k;
	}
	return 0;
}

static double fixed_width(void *ctx, ev_face face, const char *s, size_t len)
{
	(void)face;
	return *(const double *)ctx * (double)ev_utf8_count(s, len);
}

static bool fixed_has_glyph(void *ctx, ev_face face, uint32_t cp)
{
	(void)ctx;
	(void)face;
	return cp != 0xFFFD && cp <= 0xFFFF;
}

ev_metrics ev_metrics_fixed(const double *per_mille)
{
	return (ev_metrics){
		.ctx = (void *)per_mille,
		.width = fixed_width,
		.has_glyph = fixed_has_glyph,
	};
}

/* ---- the width memo ---- */

#define WIDTH_SLOTS 1024         /* a power of two */
#define WIDTH_TEXT 96

struct width_slot {
	uint64_t hash;
	double w;                    /* per 1000 units of size, as measured */
	uint32_t missing;            /* ev_missing_glyph's answer, when known */
	unsigned char face, len;     /* len 0: empty */
	bool has_w, has_missing;
	char text[WIDTH_TEXT];
};

struct ev_width_memo {
	ev_metrics inner;
	ev_width_table *shared;      /* or NULL */
	struct width_slot v[WIDTH_SLOTS];
};

#define TABLE_SLOTS 16384        /* a power of two */
/* The slots are locked in stripes: with one lock for the table, two
 * workers laying out letters waited for each other on most lookups (96 %
 * of the batch's futex calls). */
#define TABLE_LOCKS 256          /* a power of two, at most TABLE_SLOTS */

struct ev_width_table {
	pthread_mutex_t mu[TABLE_LOCKS];
	struct width_slot v[TABLE_SLOTS];
};

ev_width_table *ev_width_table_new(void)
{
	/* calloc: the slots' pages are touched only as they are used */
	ev_width_table *t = calloc(1, sizeof *t);
	for (size_t i = 0; t && i < TABLE_LOCKS; i++)
		if (pthread_mutex_init(&t->mu[i], NULL) != 0) {
			while (i-- > 0)
				pthread_mutex_destroy(&t->mu[i]);
			free(t);
			return NULL;
		}
	return t;
}

void ev_width_table_free(ev_width_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < TABLE_LOCKS; i++)
		pthread_mutex_destroy(&t->mu[i]);
	free(t);
}

void ev_width_memo_share(ev_width_memo *wm, ev_width_table *t)
{
	wm->shared = t;
}

/* The shared table's width of the text into *w: true when it had it. */
static bool table_get(ev_width_table *t, uint64_t h, ev_face face, const char *s,
                      size_t len, double *w)
{
	bool found = false;
	size_t at = (h >> 10) & (TABLE_SLOTS - 1);
	pthread_mutex_t *mu = &t->mu[at & (TABLE_LOCKS - 1)];
	pthread_mutex_lock(mu);
	const struct width_slot *e = &t->v[at];
	if (e->has_w && e->len == len && e->hash == h && e->face == (unsigned char)face &&
	    !memcmp(e->text, s, len)) {
		*w = e->w;
		found = true;
	}
	pthread_mutex_unlock(mu);
	return found;
}

static void table_put(ev_width_table *t, uint64_t h, ev_face face, const char *s,
                      size_t len, double w)
{
	size_t at = (h >> 10) & (TABLE_SLOTS - 1);
	pthread_mutex_t *mu = &t->mu[at & (TABLE_LOCKS - 1)];
	pthread_mutex_lock(mu);
	struct width_slot *e = &t->v[at];
	e->hash = h;
	e->face = (unsigned char)face;
	e->len = (unsigned char)len;
	e->w = w;
	e->has_w = true;
	memcpy(e->text, s, len);
	pthread_mutex_unlock(mu);
}

/* The slot for this text, taken over (emptied) when it held another. */
static struct width_slot *slot_of(ev_width_memo *wm, ev_face face, const char *s,
                                  size_t len)
{
	uint64_t h = ev_hash(s, len, EV_HASH_START ^ (uint64_t)face);
	struct width_slot *w = &wm->v[h & (WIDTH_SLOTS - 1)];
	if (w->len != len || w->hash != h || w->face != (unsigned char)face ||
	    memcmp(w->text, s, len)) {
		w->hash = h;
		w->face = (unsigned char)face;
		w->len = (unsigned char)len;
		w->has_w = w->has_missing = false;
		memcpy(w->text, s, len);
	}
	return w;
}

static double memo_width(void *ctx, ev_face face, const char *s, size_t len)
{
	ev_width_memo *wm = ctx;
	if (len == 0 || len > WIDTH_TEXT)
		return wm->inner.width(wm->inner.ctx, face, s, len);
	struct width_slot *w = slot_of(wm, face, s, len);
	if (!w->has_w) {
		if (!wm->shared || !table_get(wm->shared, w->hash, face, s, len, &w->w)) {
			w->w = wm->inner.width(wm->inner.ctx, face, s, len);
			if (wm->shared)
				table_put(wm->shared, w->hash, face, s, len, w->w);
		}
		w->has_w = true;
	}
	return w->w;
}

/* ev_missing_glyph through the memo: the inner metrics asked character by
 * character, as ev_missing_glyph does, the answer kept with the width. */
static uint32_t memo_missing(const ev_metrics *m, ev_face face, const char *s,
                             size_t len)
{
	ev_width_memo *wm = m->ctx;
	if (len == 0 || len > WIDTH_TEXT)
		return ev_missing_glyph(&wm->inner, face, s, len);
	struct width_slot *w = slot_of(wm, face, s, len);
	if (!w->has_missing) {
		w->missing = ev_missing_glyph(&wm->inner, face, s, len);
		w->has_missing = true;
	}
	return w->missing;
}

static bool memo_has_glyph(void *ctx, ev_face face, uint32_t cp)
{
	ev_width_memo *wm = ctx;
	return wm->inner.has_glyph(wm->inner.ctx, face, cp);
}

ev_width_memo *ev_width_memo_new(const ev_metrics *m)
{
	/* calloc: the slots' pages are touched only as they are used */
	ev_width_memo *wm = calloc(1, sizeof *wm);
	if (wm)
		wm->inner = *m;
	return wm;
}

void ev_width_memo_free(ev_width_memo *wm)
{
	free(wm);
}

ev_metrics ev_width_memo_metrics(ev_width_memo *wm)
{
	return (ev_metrics){.ctx = wm, .width = memo_width, .has_glyph = memo_has_glyph};
}

bool ev_width_memo_of(const ev_width_memo *wm, const ev_metrics *m)
{
	return wm->inner.ctx == m->ctx && wm->inner.width == m->width &&
	       wm->inner.has_glyph == m->has_glyph;
}
