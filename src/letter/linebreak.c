/* linebreak.c - Knuth & Plass total-fit line breaking (see linebreak.h).
 * One forward sweep over the legal breaks keeps an active list of the best
 * ways to end a line at each (by fitness class and hyphen run); when no
 * breaking stays within tolerance, a second, forgiving sweep runs. */
#include "linebreak.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BIG 1e12              /* clamp for widths, stretch and shrink */
#define BAD_CAP 1e8           /* badness past r = 100, or nothing to stretch */
#define LOOSE_DEMERITS 1e12   /* added per loose line in the second pass */
#define MAX_ACTIVE 256        /* active list cap (text needs < 30); pruned to half */
#define EPS 1e-9

enum { FIT_TIGHT, FIT_DECENT, FIT_LOOSE, FIT_VERY_LOOSE, NFIT };
#define NRUN (EV_LB_MAX_HYPHEN_RUN + 1)
#define NONE UINT32_MAX

struct node {
	double total;      /* demerits of the lines up to this break */
	uint32_t pos;      /* the break item (the origin: 0) */
	uint32_t start;    /* first item of the line after this break */
	uint32_t prev;     /* the break before, NONE for the origin */
	uint8_t fit;       /* fitness class of the line ending here */
	uint8_t run;       /* hyphenated lines in a row ending here (capped) */
	bool forced;       /* forced break or origin: an empty line may follow */
};

/* How one line from a start item to a break fits the measure. */
struct fit {
	double ratio, bad;
	int cls;
	bool overfull;     /* cannot shrink enough */
	bool loose;        /* cannot be justified within tolerance */
};

struct lb {
	const ev_lb_item *items;
	size_t n, end;          /* end: the final break (n when implicit) */
	double *w, *y, *z;      /* prefix sums of width, stretch, shrink (n+1) */
	uint32_t *fil;          /* prefix counts of infinite stretch (n+1) */
	uint32_t *next_nd;      /* next_nd[i]: first non-discardable item >= i */
	double measure, tol, lpen, flagged_d, fitness_d;
	int max_run;            /* -1: no limit */
	int run_states;         /* runs are tracked up to this */
	struct node *nodes;
	size_t nnodes, capnodes;
	uint32_t *active, *dropped;
	size_t nact;
	ev_arena *a;            /* the scratch above lives here, with the
	                           result: no malloc a paragraph */
};

/* Room for n things of size bytes in the arena, or NULL. */
static void *scratch(ev_arena *a, size_t n, size_t size)
{
	return n > SIZE_MAX / size ? NULL : ev_arena_alloc(a, n * size);
}

static double clampd(double v, double lo, double hi, double if_nan)
{
	if (isnan(v))
		return if_nan;
	return v < lo ? lo : v > hi ? hi : v;
}

static bool is_glue(const struct lb *L, size_t i)
{
	return L->items[i].kind == EV_LB_GLUE;
}

static bool is_pen(const struct lb *L, size_t i)
{
	return L->items[i].kind == EV_LB_PENALTY;
}

/* Anything that is neither glue nor penalty is set like a box. */
static bool is_box(const struct lb *L, size_t i)
{
	return !is_glue(L, i) && !is_pen(L, i);
}

/* A NaN penalty never breaks; the rest is clamped to [-INF, INF]. */
static double pen_value(const struct lb *L, size_t i)
{
	return clampd(L->items[i].penalty, -EV_LB_INF, EV_LB_INF, EV_LB_INF);
}

static bool is_forced(const struct lb *L, size_t i)
{
	return is_pen(L, i) && pen_value(L, i) <= -EV_LB_INF;
}

static bool discardable(const struct lb *L, size_t i)
{
	return is_glue(L, i) || (is_pen(L, i) && !is_forced(L, i));
}

/* Is item b (before the end) a legal break, and is it forced? A break that
 * would leave nothing but a forced break for the next line is not legal:
 * the forced break ends this line instead. */
static bool is_break(const struct lb *L, size_t b, bool *forced)
{
	*forced = false;
	if (is_pen(L, b)) {
		double v = pen_value(L, b);
		if (v <= -EV_LB_INF) {
			*forced = true;
			return true;
		}
		if (v >= EV_LB_INF)
			return false;
	} else if (!is_glue(L, b) || b == 0 || !is_box(L, b - 1)) {
		return false;
	}
	size_t ns = L->next_nd[b + 1];
	return ns < L->n && is_box(L, ns);
}

/* The line of items [s, b) plus the break item's width at a penalty. */
static void measure(const struct lb *L, size_t s, size_t b, struct fit *f)
{
	double nat = L->w[b] - L->w[s];
	double st = L->y[b] - L->y[s], sh = L->z[b] - L->z[s];
	uint32_t fil = L->fil[b] - L->fil[s];
	if (b < L->n && is_pen(L, b))
		nat += clampd(L->items[b].width, -BIG, BIG, 0);
	double slack = L->measure - nat;
	memset(f, 0, sizeof *f);
	if (slack > EPS && !fil) {
		if (st > EPS) {
			f->ratio = slack / st;
			f->loose = f->ratio > L->tol + EPS;
			f->bad = 100.0 * f->ratio * f->ratio * f->ratio;
		} else {
			f->loose = true;
			f->bad = BAD_CAP;
		}
	} else if (slack < -EPS) {
		if (sh > EPS) {
			f->ratio = slack / sh;
			f->overfull = f->ratio < -1.0 - EPS;
			f->bad = -100.0 * f->ratio * f->ratio * f->ratio;
		} else {
			f->overfull = true;
		}
		f->loose = f->overfull;
		if (f->overfull)
			f->bad = BAD_CAP;
	}
	if (f->bad > BAD_CAP)
		f->bad = BAD_CAP;
	/* Classes with the same margin as the tolerance, so that rounding in
	 * the sums cannot move a line that sits on a boundary. */
	if (f->overfull || f->ratio < -0.5 - EPS)
		f->cls = FIT_TIGHT;
	else if (f->loose || f->ratio > 1.0 + EPS)
		f->cls = FIT_VERY_LOOSE;
	else
		f->cls = f->ratio > 0.5 + EPS ? FIT_LOOSE : FIT_DECENT;
}

/* Demerits of the line from a to b (Knuth & Plass, eq. 9 with the flagged
 * and fitness-class extras). */
static double demerits(const struct lb *L, const struct fit *f, size_t b,
                       const struct node *a, bool flagged)
{
	double d = L->lpen + f->bad;
	d *= d;
	if (b < L->n && is_pen(L, b)) {
		double p = pen_value(L, b);
		if (p >= 0)
			d += p * p;
		else if (p > -EV_LB_INF)
			d -= p * p;
	}
	if (flagged && a->run > 0)
		d += L->flagged_d;
	if (abs(f->cls - (int)a->fit) > 1)
		d += L->fitness_d;
	if (f->loose)
		d += LOOSE_DEMERITS;
	return d;
}

static int add_node(struct lb *L, const struct node *nd, uint32_t *id)
{
	if (L->nnodes == L->capnodes) {
		size_t cap = L->capnodes ? L->capnodes * 2 : 32;   /* text makes about ten */
		if (cap >= NONE || cap > SIZE_MAX / sizeof *L->nodes)
			return -1;
		struct node *p = scratch(L->a, cap, sizeof *p);
		if (!p)
			return -1;
		if (L->nnodes)
			memcpy(p, L->nodes, L->nnodes * sizeof *p);
		L->nodes = p;
		L->capnodes = cap;
	}
	*id = (uint32_t)L->nnodes;
	L->nodes[L->nnodes++] = *nd;
	return 0;
}

struct ranked {
	double total;
	uint32_t id;
};

static int by_total(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;
	if (a->total != b->total)
		return a->total < b->total ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* Keep the best half of an overgrown active list: in ordinary text it
 * never grows this long; a huge measure in the second pass would. */
static void prune(struct lb *L, struct ranked *tmp)
{
	for (size_t k = 0; k < L->nact; k++)
		tmp[k] = (struct ranked){ L->nodes[L->active[k]].total, L->active[k] };
	qsort(tmp, L->nact, sizeof *tmp, by_total);
	L->nact = MAX_ACTIVE / 2;
	for (size_t k = 0; k < L->nact; k++)
		L->active[k] = tmp[k].id;
}

/* The best new break of each (fitness class, hyphen run) at one break. */
struct cands {
	double d[NFIT][NRUN];
	uint32_t from[NFIT][NRUN];
	uint8_t run[NFIT][NRUN];   /* the run before capping, for the check */
};

/* A candidate is dropped when another, with no longer hyphen run, is at
 * least as good even after paying the fitness demerits it might cost. */
static bool dominated(const struct lb *L, const struct cands *c, int f, int r)
{
	for (int g = 0; g < NFIT; g++)
		for (int s = 0; s <= r; s++) {
			if ((g == f && s == r) || c->from[g][s] == NONE)
				continue;
			double other = c->d[g][s] + (g != f ? L->fitness_d : 0);
			if (other < c->d[f][r] ||
			    (other == c->d[f][r] && (s < r || (s == r && g < f))))
				return true;
		}
	return false;
}

/* Try ending a line at b from every active node. Returns 0, 1 when the
 * first pass finds nothing left to try, -1 out of memory. */
static int at_break(struct lb *L, size_t b, bool forced, bool final, struct ranked *tmp)
{
	struct cands c;
	for (int f = 0; f < NFIT; f++)
		for (int r = 0; r < NRUN; r++) {
			c.d[f][r] = INFINITY;
			c.from[f][r] = NONE;
		}
	bool flagged = b < L->n && is_pen(L, b) && L->items[b].flagged;
	uint32_t rescue = NONE;
	size_t keep = 0, ndrop = 0;
	bool any = false;

	for (size_t k = 0; k < L->nact; k++) {
		uint32_t id = L->active[k];
		const struct node *a = &L->nodes[id];
		/* b inside a's discarded items: no line yet (b == start only
		 * when b is forced: an empty line after a forced break). */
		if (b < a->start || (b == a->start && !a->forced)) {
			if (!forced)
				L->active[keep++] = id;
			continue;
		}
		struct fit f;
		measure(L, a->start, b, &f);
		int run = flagged ? a->run + 1 : 0;
		bool run_ok = !flagged || forced || L->max_run < 0 || run <= L->max_run;
		if (run > L->run_states)
			run = L->run_states;
		if (!f.overfull && (final || !f.loose) && run_ok) {
			double d = a->total + demerits(L, &f, b, a, flagged);
			if (d < c.d[f.cls][run]) {
				c.d[f.cls][run] = d;
				c.from[f.cls][run] = id;
				any = true;
			}
		}
		if (!f.overfull && !forced) {
			L->active[keep++] = id;
			continue;
		}
		/* Deactivated. An overfull line is the last resort of the
		 * second pass: the one from the latest start overflows least. */
		L->dropped[ndrop++] = id;
		if (final && f.overfull && run_ok &&
		    (rescue == NONE || a->start > L->nodes[rescue].start ||
		     (a->start == L->nodes[rescue].start && a->total < L->nodes[rescue].total)))
			rescue = id;
	}
	L->nact = keep;

	if (!any && keep == 0) {
		if (!final)
			return 1;
		if (rescue == NONE) {
			/* Only a hyphen too many could end the line here: keep
			 * every node and wait for a later break. */
			memcpy(L->active, L->dropped, ndrop * sizeof *L->active);
			L->nact = ndrop;
			return 0;
		}
		const struct node *a = &L->nodes[rescue];
		int run = flagged ? a->run + 1 : 0;
		if (run > L->run_states)
			run = L->run_states;
		double d = L->lpen + BAD_CAP;
		c.d[FIT_TIGHT][run] = a->total + d * d + LOOSE_DEMERITS;
		c.from[FIT_TIGHT][run] = rescue;
	}

	uint32_t start = b < L->n ? L->next_nd[b + 1] : (uint32_t)L->n;
	for (int r = 0; r <= L->run_states; r++)
		for (int f = 0; f < NFIT; f++) {
			if (c.from[f][r] == NONE || dominated(L, &c, f, r))
				continue;
			struct node nd = {
				.total = c.d[f][r], .pos = (uint32_t)b, .start = start,
				.prev = c.from[f][r], .fit = (uint8_t)f, .run = (uint8_t)r,
				.forced = forced,
			};
			uint32_t id;
			if (add_node(L, &nd, &id) < 0)
				return -1;
			L->active[L->nact++] = id;
		}
	if (L->nact > MAX_ACTIVE)
		prune(L, tmp);
	return 0;
}

/* One sweep. Returns 0 with *best the final node, 1 when the first pass
 * finds no breaking within tolerance, -1 out of memory. */
static int sweep(struct lb *L, bool final, struct ranked *tmp, uint32_t *best)
{
	L->nnodes = 0;
	struct node origin = { .total = 0, .pos = 0, .start = 0, .prev = NONE,
	                       .fit = FIT_DECENT, .run = 0, .forced = true };
	uint32_t id;
	if (add_node(L, &origin, &id) < 0)
		return -1;
	L->active[0] = id;
	L->nact = 1;
	for (size_t b = 0; b <= L->end; b++) {
		bool forced = true;
		if (b < L->end && !is_break(L, b, &forced))
			continue;
		int rc = at_break(L, b, forced, final, tmp);
		if (rc)
			return rc;
	}
	/* The end is forced: only nodes made there are left. */
	*best = NONE;
	for (size_t k = 0; k < L->nact; k++) {
		uint32_t i = L->active[k];
		if (L->nodes[i].pos == L->end && i != 0 &&
		    (*best == NONE || L->nodes[i].total < L->nodes[*best].total))
			*best = i;
	}
	return *best == NONE ? 1 : 0;
}

/* Prefix sums with the clamps applied, and where each discarded run ends. */
static int prepare(struct lb *L)
{
	size_t n = L->n;
	L->w = scratch(L->a, n + 1, sizeof *L->w);
	L->y = scratch(L->a, n + 1, sizeof *L->y);
	L->z = scratch(L->a, n + 1, sizeof *L->z);
	L->fil = scratch(L->a, n + 1, sizeof *L->fil);
	L->next_nd = scratch(L->a, n + 1, sizeof *L->next_nd);
	L->active = scratch(L->a, MAX_ACTIVE + NFIT * NRUN + 1, sizeof *L->active);
	L->dropped = scratch(L->a, MAX_ACTIVE + NFIT * NRUN + 1, sizeof *L->dropped);
	if (!L->w || !L->y || !L->z || !L->fil || !L->next_nd || !L->active || !L->dropped)
		return -1;
	L->w[0] = L->y[0] = L->z[0] = 0;
	L->fil[0] = 0;
	for (size_t i = 0; i < n; i++) {
		const ev_lb_item *it = &L->items[i];
		double w = 0, y = 0, z = 0;
		uint32_t fil = 0;
		if (!is_pen(L, i))
			w = clampd(it->width, -BIG, BIG, 0);
		if (is_glue(L, i)) {
			if (isinf(it->stretch) && it->stretch > 0)
				fil = 1;
			else
				y = clampd(it->stretch, 0, BIG, 0);
			z = clampd(it->shrink, 0, BIG, 0);
		}
		L->w[i + 1] = L->w[i] + w;
		L->y[i + 1] = L->y[i] + y;
		L->z[i + 1] = L->z[i] + z;
		L->fil[i + 1] = L->fil[i] + fil;
	}
	L->next_nd[n] = (uint32_t)n;
	for (size_t i = n; i-- > 0;)
		L->next_nd[i] = discardable(L, i) ? L->next_nd[i + 1] : (uint32_t)i;
	return 0;
}

/* Walk back from the final node, writing the lines into the arena. */
static int collect(const struct lb *L, uint32_t best, ev_arena *a,
                   ev_lb_line **lines, size_t *nlines)
{
	size_t count = 0;
	for (uint32_t i = best; L->nodes[i].prev != NONE; i = L->nodes[i].prev)
		count++;
	ev_lb_line *out = ev_arena_alloc(a, count * sizeof *out);
	if (!out)
		return -1;
	int rc = 0;
	size_t k = count;
	for (uint32_t i = best; L->nodes[i].prev != NONE; i = L->nodes[i].prev) {
		const struct node *nd = &L->nodes[i], *pv = &L->nodes[nd->prev];
		struct fit f;
		measure(L, pv->start, nd->pos, &f);
		ev_lb_line *ln = &out[--k];
		ln->start = pv->start;
		ln->end = nd->pos;
		ln->ratio = f.ratio;
		ln->hyphen = nd->pos < L->n && is_pen(L, nd->pos) && L->items[nd->pos].flagged;
		ln->loose = f.loose;
		if (f.loose)
			rc = 1;
	}
	*lines = out;
	*nlines = count;
	return rc;
}

ev_lb_params ev_lb_params_default(double width)
{
	return (ev_lb_params){
		.width = width, .tolerance = 1.0, .line_penalty = 10,
		.flagged_demerits = 3000, .fitness_demerits = 3000, .max_hyphen_run = 2,
	};
}

int ev_linebreak(const ev_lb_item *items, size_t n, const ev_lb_params *p,
                 ev_arena *a, ev_lb_line **lines, size_t *nlines)
{
	*lines = NULL;
	*nlines = 0;
	if (n > EV_LB_MAX_ITEMS)
		return -1;
	if (n == 0)
		return 0;
	struct lb L = {
		.items = items, .n = n,
		.measure = clampd(p->width, -BIG, BIG, 0),
		.tol = clampd(p->tolerance, 0, BIG, 0),
		.lpen = clampd(p->line_penalty, 0, BIG, 0),
		.flagged_d = clampd(p->flagged_demerits, 0, BIG, 0),
		.fitness_d = clampd(p->fitness_demerits, 0, BIG, 0),
		.max_run = p->max_hyphen_run < 0 ? 0
		           : p->max_hyphen_run > EV_LB_MAX_HYPHEN_RUN ? -1 : p->max_hyphen_run,
		.a = p->scratch ? p->scratch : a,
	};
	L.run_states = L.max_run < 1 ? 1 : L.max_run;

	int rc = -1;
	struct ranked *tmp = scratch(L.a, MAX_ACTIVE + NFIT * NRUN + 1, sizeof *tmp);
	if (!tmp || prepare(&L) < 0)
		goto done;

	/* The end: the last forced penalty when only discardable items follow
	 * it, else after everything; nothing but discardables: no lines. */
	size_t last = n;
	while (last > 0 && discardable(&L, last - 1))
		last--;
	if (last == 0) {
		rc = 0;
		goto done;
	}
	L.end = is_forced(&L, last - 1) ? last - 1 : n;

	uint32_t best;
	rc = sweep(&L, false, tmp, &best);
	if (rc == 1)
		rc = sweep(&L, true, tmp, &best);
	if (rc == 0)
		rc = collect(&L, best, a, lines, nlines);
	else
		rc = -1;   /* the second pass always ends; only memory stops it */
done:
	return rc;
}
