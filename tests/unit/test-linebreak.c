/* test-linebreak.c - runs the line breaker over the examples in
 * tests/cases/linebreak.txt (paragraphs in a fixed-width model, expected
 * lines as text), then checks its promises on thousands of random
 * paragraphs and times a 100,000-item one.
 * Usage: test-linebreak CASES-FILE */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "buf.h"
#include "casefile.h"
#include "linebreak.h"

#define MAX_ITEMS 4096   /* items of one example paragraph */
#define PROPERTY_RUNS 6000
#define BIG_ITEMS 100000
#define DINF ((double)INFINITY)

/* ---- a paragraph in the fixed-width model ---------------------------- */

struct para {
	ev_lb_item it[MAX_ITEMS];
	const char *text[MAX_ITEMS];   /* a box's characters */
	int len[MAX_ITEMS];
	size_t n;
};

static bool push(struct para *P, ev_lb_item it, const char *text, int len)
{
	if (P->n == MAX_ITEMS)
		return false;
	P->text[P->n] = text;
	P->len[P->n] = len;
	P->it[P->n++] = it;
	return true;
}

static ev_lb_item box(double w)
{
	return (ev_lb_item){ .kind = EV_LB_BOX, .width = w };
}

static ev_lb_item glue(double w, double y, double z)
{
	return (ev_lb_item){ .kind = EV_LB_GLUE, .width = w, .stretch = y, .shrink = z };
}

static ev_lb_item penalty(double w, double p, bool flagged)
{
	return (ev_lb_item){ .kind = EV_LB_PENALTY, .width = w, .penalty = p,
	                     .flagged = flagged };
}

struct opts {
	ev_lb_params p;
	double hyphen_penalty, fil;
	bool greedy, finish;
};

static int parse_options(struct opts *o, char *s)
{
	o->p = ev_lb_params_default(20);
	o->hyphen_penalty = 50;
	o->fil = DINF;
	o->finish = true;
	for (char *tok = strtok(s, " "); tok; tok = strtok(NULL, " ")) {
		char *eq = strchr(tok, '=');
		if (!eq)
			return -1;
		*eq++ = '\0';
		char *end;
		double v = strtod(eq, &end);
		if (*end)
			return -1;
		if (strcmp(tok, "measure") == 0)
			o->p.width = v;
		else if (strcmp(tok, "tolerance") == 0)
			o->p.tolerance = v;
		else if (strcmp(tok, "max-hyphen-run") == 0)
			o->p.max_hyphen_run = (int)v;
		else if (strcmp(tok, "hyphen-penalty") == 0)
			o->hyphen_penalty = v;
		else if (strcmp(tok, "line-penalty") == 0)
			o->p.line_penalty = v;
		else if (strcmp(tok, "flagged-demerits") == 0)
			o->p.flagged_demerits = v;
		else if (strcmp(tok, "fitness-demerits") == 0)
			o->p.fitness_demerits = v;
		else if (strcmp(tok, "fil") == 0)
			o->fil = v;
		else if (strcmp(tok, "greedy") == 0)
			o->greedy = v != 0;
		else if (strcmp(tok, "finish") == 0)
			o->finish = v != 0;
		else
			return -1;
	}
	return 0;
}

/* Words as the layout module will give them: a box per fragment, a
 * flagged penalty (hyphen width 1) at each '-' inside a word, glue 1
 * (stretch 0.5, shrink 0.2) between words, "//" a forced break after fil
 * glue, and fil glue with a forced break at the end. Text stays in s. */
static bool build(struct para *P, char *s, const struct opts *o)
{
	P->n = 0;
	bool first = true;
	for (char *w = strtok(s, " "); w; w = strtok(NULL, " ")) {
		if (strcmp(w, "//") == 0) {
			if (!push(P, glue(0, o->fil, 0), "", 0) ||
			    !push(P, penalty(0, -EV_LB_INF, false), "", 0))
				return false;
			first = false;
			continue;
		}
		if (!first && !push(P, glue(1, 0.5, 0.2), " ", 1))
			return false;
		first = false;
		for (char *frag = w;;) {
			char *dash = strchr(frag + (*frag == '-'), '-');
			int len = dash ? (int)(dash - frag) : (int)strlen(frag);
			if (len && !push(P, box(len), frag, len))
				return false;
			if (!dash)
				break;
			if (!push(P, penalty(1, o->hyphen_penalty, true), "-", 1))
				return false;
			frag = dash + 1;
		}
	}
	if (o->finish && P->n &&
	    (!push(P, glue(0, o->fil, 0), "", 0) || !push(P, penalty(0, -EV_LB_INF, false), "", 0)))
		return false;
	return true;
}

/* ---- what every result must satisfy ----------------------------------- */

static bool is_forced(const ev_lb_item *it)
{
	return it->kind == EV_LB_PENALTY && it->penalty <= -EV_LB_INF;
}

static bool is_discardable(const ev_lb_item *it)
{
	return it->kind == EV_LB_GLUE || (it->kind == EV_LB_PENALTY && !is_forced(it));
}

struct linefit {
	double nat, st, sh, slack, ratio;
	bool fil, loose;
};

/* A line measured item by item, the way the caller will set it. */
static struct linefit line_fit(const ev_lb_item *it, size_t n, const ev_lb_line *ln,
                               double measure, double tol)
{
	struct linefit f = {0};
	for (size_t i = ln->start; i < ln->end; i++) {
		if (it[i].kind == EV_LB_PENALTY)
			continue;
		f.nat += it[i].width;
		if (it[i].kind == EV_LB_GLUE) {
			if (isinf(it[i].stretch))
				f.fil = true;
			else
				f.st += it[i].stretch;
			f.sh += it[i].shrink;
		}
	}
	if (ln->end < n && it[ln->end].kind == EV_LB_PENALTY)
		f.nat += it[ln->end].width;
	f.slack = measure - f.nat;
	if (f.slack > 1e-9 && !f.fil) {
		f.ratio = f.st > 1e-9 ? f.slack / f.st : 0;
		f.loose = f.st <= 1e-9 || f.ratio > tol + 1e-9;
	} else if (f.slack < -1e-9) {
		f.ratio = f.sh > 1e-9 ? f.slack / f.sh : 0;
		f.loose = f.sh <= 1e-9 || f.ratio < -1 - 1e-9;
	}
	return f;
}

/* Print "!! ..." into o for every broken promise. Unless exact (numbers
 * that are not finite or sane, which the breaker clamps), ratios are only
 * checked to be finite. */
static void check(ev_buf *o, const ev_lb_item *it, size_t n, const ev_lb_params *p,
                  int rc, const ev_lb_line *ln, size_t nl, bool exact)
{
	size_t content = 0;
	for (size_t i = 0; i < n; i++)
		content += !is_discardable(&it[i]);
	if (rc < 0) {
		ev_buf_printf(o, "!! returned %d\n", rc);
		return;
	}
	if (!content) {
		if (nl)
			ev_buf_printf(o, "!! %zu lines from nothing but discardable items\n", nl);
		return;
	}
	if (!nl) {
		ev_buf_puts(o, "!! no lines\n");
		return;
	}
	bool any_loose = false;
	int run = 0;
	size_t at = 0;   /* first item not yet accounted for */
	for (size_t k = 0; k < nl; k++) {
		const ev_lb_line *l = &ln[k];
		/* Covered once, in order: only discardables skipped between. */
		if (l->start < at || l->end < l->start || l->end > n) {
			ev_buf_printf(o, "!! line %zu is [%zu, %zu) after item %zu\n", k, l->start, l->end, at);
			return;
		}
		for (size_t i = at; i < l->start; i++)
			if (!is_discardable(&it[i]) || k == 0) {
				ev_buf_printf(o, "!! line %zu skips item %zu\n", k, i);
				return;
			}
		if (l->start < n && is_discardable(&it[l->start]) && k > 0)
			ev_buf_printf(o, "!! line %zu starts with a discardable item\n", k);
		for (size_t i = l->start; i < l->end; i++)
			if (is_forced(&it[i]))
				ev_buf_printf(o, "!! line %zu runs over forced break %zu\n", k, i);
		/* A legal break. */
		if (l->end < n) {
			const ev_lb_item *b = &it[l->end];
			bool legal = b->kind == EV_LB_PENALTY ? b->penalty < EV_LB_INF
			             : b->kind == EV_LB_GLUE && l->end > 0 &&
			               it[l->end - 1].kind == EV_LB_BOX;
			if (!legal)
				ev_buf_printf(o, "!! line %zu ends at item %zu, not a legal break\n", k, l->end);
		}
		bool hy = l->end < n && it[l->end].kind == EV_LB_PENALTY && it[l->end].flagged;
		if (hy != l->hyphen)
			ev_buf_printf(o, "!! line %zu hyphen flag wrong\n", k);
		run = hy ? run + 1 : 0;
		if (hy && !is_forced(&it[l->end]) && p->max_hyphen_run >= 0 &&
		    p->max_hyphen_run <= EV_LB_MAX_HYPHEN_RUN && run > p->max_hyphen_run)
			ev_buf_printf(o, "!! line %zu is hyphenated line %d in a row\n", k, run);
		any_loose |= l->loose;
		at = l->end + 1;
		if (!exact) {
			if (!isfinite(l->ratio))
				ev_buf_printf(o, "!! line %zu ratio %g\n", k, l->ratio);
			continue;
		}
		/* The ratio and the loose mark agree with the items. */
		struct linefit f = line_fit(it, n, l, p->width, p->tolerance);
		if (fabs(f.ratio - l->ratio) > 1e-6 * (1 + fabs(f.ratio)))
			ev_buf_printf(o, "!! line %zu ratio %g, measured %g\n", k, l->ratio, f.ratio);
		if (f.loose != l->loose)
			ev_buf_printf(o, "!! line %zu loose %d, measured %d (ratio %g)\n", k,
			              l->loose, f.loose, f.ratio);
	}
	/* Only discardables after the last line. */
	for (size_t i = at; i < n; i++)
		if (!is_discardable(&it[i]))
			ev_buf_printf(o, "!! item %zu after the last line\n", i);
	if ((rc == 1) != any_loose)
		ev_buf_printf(o, "!! returned %d with%s loose lines\n", rc, any_loose ? "" : " no");
}

/* ---- the example runner ------------------------------------------------ */

static void show_line(ev_buf *o, const struct para *P, const ev_lb_line *l, double measure)
{
	ev_buf_printf(o, "%+.2f |", l->ratio);
	size_t width = 0;
	for (size_t i = l->start; i < l->end; i++) {
		if (P->it[i].kind == EV_LB_PENALTY || !P->len[i])
			continue;
		ev_buf_append(o, P->text[i], (size_t)P->len[i]);
		width += (size_t)P->len[i];
	}
	if (l->hyphen) {
		ev_buf_putc(o, '-');
		width++;
	}
	for (; (double)width < measure; width++)
		ev_buf_putc(o, ' ');
	ev_buf_printf(o, "|%s\n", l->loose ? " loose" : "");
}

/* Greedy first fit, for comparison: each line takes as many items as fit
 * at natural width, whatever that leaves for the lines after it. */
static size_t first_fit(const struct para *P, double measure, ev_lb_line *out)
{
	size_t nl = 0, s = 0, n = P->n;
	while (s < n) {
		size_t last_fit = SIZE_MAX, b;
		double nat = 0;
		for (b = s; b < n; b++) {
			const ev_lb_item *it = &P->it[b];
			bool legal = it->kind == EV_LB_PENALTY ? it->penalty < EV_LB_INF
			             : it->kind == EV_LB_GLUE && b > 0 && P->it[b - 1].kind == EV_LB_BOX;
			double extra = it->kind == EV_LB_PENALTY ? it->width : 0;
			bool fits = nat + extra <= measure + 1e-9;
			if (legal && fits)
				last_fit = b;
			if (legal && (is_forced(it) || !fits))
				break;
			if (it->kind != EV_LB_PENALTY)
				nat += it->width;
		}
		size_t e = last_fit != SIZE_MAX ? last_fit : b < n ? b : n;
		out[nl] = (ev_lb_line){ .start = s, .end = e,
		                        .hyphen = e < n && P->it[e].flagged };
		struct linefit f = line_fit(P->it, n, &out[nl], measure, 1);
		out[nl].ratio = f.ratio;
		nl++;
		for (s = e + 1; s < n && is_discardable(&P->it[s]);)
			s++;
	}
	return nl;
}

static struct para para_store;

static bool run(ev_buf *got, const ev_case *c)
{
	struct opts o = {0};
	char opts[sizeof c->options];
	snprintf(opts, sizeof opts, "%s", c->options);
	if (parse_options(&o, opts) < 0)
		return false;
	char *text = strdup(c->input.data ? c->input.data : "");
	struct para *P = &para_store;
	ev_arena *a = ev_arena_new();
	if (!text || !a || !build(P, text, &o)) {
		ev_buf_puts(got, "!! out of memory or paragraph too long\n");
		goto done;
	}
	if (o.greedy) {
		static ev_lb_line g[MAX_ITEMS];
		size_t ng = first_fit(P, o.p.width, g);
		ev_buf_puts(got, "first fit:\n");
		for (size_t k = 0; k < ng; k++)
			show_line(got, P, &g[k], o.p.width);
		ev_buf_puts(got, "total fit:\n");
	}
	ev_lb_line *ln;
	size_t nl;
	int rc = ev_linebreak(P->it, P->n, &o.p, a, &ln, &nl);
	for (size_t k = 0; rc >= 0 && k < nl; k++)
		show_line(got, P, &ln[k], o.p.width);
	ev_buf_printf(got, "rc %d\n", rc);
	check(got, P->it, P->n, &o.p, rc, ln, nl, true);
done:
	free(text);
	ev_arena_free(a);
	return true;
}

/* ---- random paragraphs ------------------------------------------------- */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint32_t rnd(uint32_t n)   /* xorshift64*, uniform enough in [0, n) */
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545F4914F6CDD1Du) >> 32) % n;
}

/* Text-like: words of 1-12 (now and then 25-40) units, hyphenation points
 * inside long words, now and then a forced break; the usual end. */
static size_t random_text(ev_lb_item *it, size_t max, double fil)
{
	size_t n = 0, words = 1 + rnd(80);
	for (size_t w = 0; w < words && n + 12 < max; w++) {
		if (w)
			it[n++] = glue(1, 0.5, 0.2);
		int len = rnd(20) ? 1 + (int)rnd(12) : 25 + (int)rnd(16);
		while (len > 4 && rnd(2) == 0 && n + 6 < max) {
			int part = 2 + (int)rnd((uint32_t)len - 3);
			it[n++] = box(part);
			it[n++] = penalty(1, 50, true);
			len -= part;
		}
		it[n++] = box(len);
		if (rnd(40) == 0) {
			it[n++] = glue(0, fil, 0);
			it[n++] = penalty(0, -EV_LB_INF, false);
		}
	}
	it[n++] = glue(0, fil, 0);
	it[n++] = penalty(0, -EV_LB_INF, false);
	return n;
}

/* Anything at all: kinds, widths (in eighths, so sums are exact) and
 * penalties at random, in any order. */
static size_t random_items(ev_lb_item *it, size_t max)
{
	static const double pens[] = { -EV_LB_INF, -500, 0, 50, 100, 5000, EV_LB_INF };
	size_t n = rnd((uint32_t)(max < 60 ? max : 60));
	for (size_t i = 0; i < n; i++) {
		switch (rnd(3)) {
		case 0:
			it[i] = box(rnd(100) / 8.0);
			break;
		case 1:
			it[i] = glue(rnd(16) / 8.0, rnd(8) == 0 ? DINF : rnd(8) / 8.0,
			             rnd(8) / 8.0);
			break;
		default:
			it[i] = penalty(rnd(3) / 8.0, pens[rnd(7)], rnd(2) == 0);
		}
	}
	return n;
}

/* ---- total fit, checked against every breaking ----------------------- */

#define REF_MAX 160   /* items; the reference tries every pair of breaks */

static int fit_class(double r)
{
	return r < -0.5 - 1e-9 ? 0 : r <= 0.5 + 1e-9 ? 1 : r <= 1 + 1e-9 ? 2 : 3;
}

/* Demerits of one line within tolerance, as Knuth & Plass define them. */
static double line_demerits(const ev_lb_item *it, size_t n, const ev_lb_params *p,
                            const ev_lb_line *l, int prev_fit, int prev_run)
{
	double r = l->ratio, bad = 100 * fabs(r * r * r);
	double d = (p->line_penalty + bad) * (p->line_penalty + bad);
	if (l->end < n && it[l->end].kind == EV_LB_PENALTY) {
		double pen = it[l->end].penalty;
		if (pen >= 0)
			d += pen * pen;
		else if (pen > -EV_LB_INF)
			d -= pen * pen;
	}
	if (l->hyphen && prev_run > 0)
		d += p->flagged_demerits;
	if (abs(fit_class(r) - prev_fit) > 1)
		d += p->fitness_demerits;
	return d;
}

/* The least total demerits of any breaking with every line within
 * tolerance, by trying every line from every break to every later one
 * (DINF when there is none): what the active list must find. */
static double reference(const ev_lb_item *it, size_t n, const ev_lb_params *p)
{
	enum { RUNS = 5 };
	static double best[REF_MAX + 2][4][RUNS];
	static size_t start[REF_MAX + 2];
	size_t brk[REF_MAX + 2], nb = 0, last = n;
	while (last > 0 && is_discardable(&it[last - 1]))
		last--;
	if (!last)
		return 0;
	size_t end = is_forced(&it[last - 1]) ? last - 1 : n;
	/* Legal breaks, as linebreak.h describes them; the origin first. */
	brk[nb] = SIZE_MAX;
	start[nb++] = 0;
	for (size_t b = 0; b <= end; b++) {
		bool ok = b == end || is_forced(&it[b]);
		if (!ok && b < end) {
			size_t s = b + 1;
			while (s < n && is_discardable(&it[s]))
				s++;
			bool next_box = s < n && it[s].kind == EV_LB_BOX;
			ok = next_box && (it[b].kind == EV_LB_PENALTY ? it[b].penalty < EV_LB_INF
			                  : it[b].kind == EV_LB_GLUE && b > 0 && it[b - 1].kind == EV_LB_BOX);
		}
		if (!ok)
			continue;
		size_t s = b + 1;
		while (s < n && is_discardable(&it[s]))
			s++;
		brk[nb] = b;
		start[nb++] = s;
	}
	for (size_t j = 0; j < nb; j++)
		for (int f = 0; f < 4; f++)
			for (int r = 0; r < RUNS; r++)
				best[j][f][r] = j == 0 && f == 1 && r == 0 ? 0 : DINF;
	for (size_t j = 1; j < nb; j++) {
		size_t b = brk[j];
		bool forced_b = b == end || is_forced(&it[b]);
		for (size_t i = j; i-- > 0;) {
			bool forced_a = i == 0 || is_forced(&it[brk[i]]);
			if (start[i] > b || (start[i] == b && !(forced_a && forced_b)))
				continue;
			bool crosses = false;
			for (size_t k = start[i]; k < b; k++)
				crosses |= is_forced(&it[k]);
			if (crosses)
				continue;
			ev_lb_line l = { .start = start[i], .end = b };
			l.hyphen = b < n && it[b].kind == EV_LB_PENALTY && it[b].flagged;
			struct linefit f = line_fit(it, n, &l, p->width, p->tolerance);
			if (f.loose)
				continue;
			l.ratio = f.ratio;
			for (int pf = 0; pf < 4; pf++)
				for (int pr = 0; pr < RUNS; pr++) {
					if (best[i][pf][pr] == DINF)
						continue;
					int run = l.hyphen ? pr + 1 : 0;
					if (l.hyphen && !forced_b && run > p->max_hyphen_run)
						continue;
					if (run >= RUNS)
						run = RUNS - 1;
					double d = best[i][pf][pr] + line_demerits(it, n, p, &l, pf, pr);
					double *slot = &best[j][fit_class(f.ratio)][run];
					if (d < *slot)
						*slot = d;
				}
		}
	}
	double m = DINF;
	for (int f = 0; f < 4; f++)
		for (int r = 0; r < RUNS; r++)
			if (best[nb - 1][f][r] < m)
				m = best[nb - 1][f][r];
	return m;
}

/* Print "!! ..." when the result is not the least-demerits breaking. */
static void check_optimal(ev_buf *o, const ev_lb_item *it, size_t n, const ev_lb_params *p,
                          int rc, const ev_lb_line *ln, size_t nl)
{
	double want = reference(it, n, p);
	if (want == DINF) {
		if (rc != 1)
			ev_buf_printf(o, "!! returned %d, but no breaking is within tolerance\n", rc);
		return;
	}
	if (rc != 0) {
		ev_buf_printf(o, "!! returned %d, but a breaking within tolerance has demerits %g\n",
		              rc, want);
		return;
	}
	double got = 0;
	int fit = 1, run = 0;
	for (size_t k = 0; k < nl; k++) {
		got += line_demerits(it, n, p, &ln[k], fit, run);
		fit = fit_class(ln[k].ratio);
		run = ln[k].hyphen ? run + 1 : 0;
	}
	if (fabs(got - want) > 1e-9 * (1 + fabs(want)))
		ev_buf_printf(o, "!! total demerits %.6f, the best breaking has %.6f\n", got, want);
}

/* Numbers no caller should send: NaN, infinities, negatives, huge. */
static double wild(void)
{
	static const double v[] = { NAN, DINF, -DINF, -3, 0, 1, 2.5, 1e300, -1e300, 7 };
	return v[rnd(10)];
}

static size_t hostile_items(ev_lb_item *it, size_t max, ev_lb_params *p)
{
	size_t n = random_items(it, max);
	for (size_t i = 0; i < n; i++) {
		if (rnd(4) == 0)
			it[i].width = wild();
		if (rnd(4) == 0)
			it[i].stretch = wild();
		if (rnd(4) == 0)
			it[i].shrink = wild();
		if (rnd(4) == 0)
			it[i].penalty = wild();
	}
	*p = (ev_lb_params){ .width = rnd(2) ? wild() : rnd(40), .tolerance = wild(),
	                     .line_penalty = wild(), .flagged_demerits = wild(),
	                     .fitness_demerits = wild(), .max_hyphen_run = (int)rnd(30) - 5 };
	return n;
}

static int property(void)
{
	static ev_lb_item it[400];
	ev_arena *a = ev_arena_new();
	ev_buf o = {0};
	int failed = 0, loose = 0, compared = 0, within = 0;
	if (!a)
		return 1;
	for (int t = 0; t < PROPERTY_RUNS && failed < 5; t++) {
		ev_lb_params p = ev_lb_params_default(4 + rnd(70));
		p.tolerance = (double)(1 + rnd(16)) / 4;
		p.max_hyphen_run = (int)rnd(4);
		p.flagged_demerits = rnd(2) ? 3000 : 100 * rnd(100);
		p.fitness_demerits = rnd(2) ? 3000 : 100 * rnd(100);
		size_t n = t % 3 == 2 ? random_items(it, 400)
		           : random_text(it, 400, t % 2 ? DINF : 1e6);
		ev_lb_line *ln;
		size_t nl;
		int rc = ev_linebreak(it, n, &p, a, &ln, &nl);
		loose += rc == 1;
		within += rc == 0 && n <= REF_MAX;
		ev_buf_reset(&o);
		check(&o, it, n, &p, rc, ln, nl, true);
		if (n <= REF_MAX && !o.len) {
			check_optimal(&o, it, n, &p, rc, ln, nl);
			compared++;
		}
		if (o.len) {
			printf("property: paragraph %d (%zu items, measure %g, tolerance %g, "
			       "max run %d):\n%s", t, n, p.width, p.tolerance, p.max_hyphen_run, o.data);
			failed++;
		}
		ev_arena_reset(a);
	}
	/* Anything at all: the promises that do not depend on the numbers. */
	for (int t = 0; t < PROPERTY_RUNS && failed < 5; t++) {
		ev_lb_params p;
		size_t n = hostile_items(it, 400, &p);
		ev_lb_line *ln;
		size_t nl;
		int rc = ev_linebreak(it, n, &p, a, &ln, &nl);
		ev_buf_reset(&o);
		check(&o, it, n, &p, rc, ln, nl, false);
		if (o.len) {
			printf("property: hostile paragraph %d (%zu items):\n%s", t, n, o.data);
			failed++;
		}
		ev_arena_reset(a);
	}
	printf("property: %d random paragraphs, %d with loose lines, %d compared with "
	       "every breaking (%d within tolerance), %d with wild numbers, %d failed\n",
	       PROPERTY_RUNS, loose, compared, within, PROPERTY_RUNS, failed);
	ev_buf_free(&o);
	ev_arena_free(a);
	return failed ? 1 : 0;
}

/* Break one big paragraph, check it and say how long it took (for the
 * reader: the time is not asserted). */
static int big_one(ev_arena *a, const ev_lb_item *it, size_t n, double measure,
                   const char *what)
{
	ev_lb_params p = ev_lb_params_default(measure);
	ev_lb_line *ln;
	size_t nl;
	ev_buf o = {0};
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = ev_linebreak(it, n, &p, a, &ln, &nl);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	check(&o, it, n, &p, rc, ln, nl, true);
	size_t nloose = 0;
	for (size_t k = 0; rc >= 0 && k < nl; k++)
		nloose += ln[k].loose;
	printf("big: %zu items, %s, measure %g: %zu lines (%zu loose), rc %d, %.1f ms\n",
	       n, what, measure, nl, nloose, rc, ms);
	int failed = o.len != 0;
	if (failed)
		printf("%s", o.data);
	ev_buf_free(&o);
	ev_arena_reset(a);
	return failed;
}

/* 100,000-item paragraphs: text at an ordinary measure, one narrower than
 * its long words and one wider than the paragraph; the same text with no
 * forced breaks and no end glue (every line must justify, so a huge
 * measure sends every line to the second pass); one long word with a
 * hyphenation point after every letter. */
static int big(void)
{
	ev_lb_item *it = malloc(BIG_ITEMS * sizeof *it), *bare = malloc(BIG_ITEMS * sizeof *it);
	ev_arena *a = ev_arena_new();
	int failed = 0;
	if (!it || !bare || !a)
		return 1;
	size_t n = 0, nb = 0;
	while (n < BIG_ITEMS - 40)
		n += random_text(it + n, BIG_ITEMS - 2 - n, DINF) - 2;
	it[n++] = glue(0, DINF, 0);
	it[n++] = penalty(0, -EV_LB_INF, false);
	for (size_t i = 0; i < n; i++)
		if (!is_forced(&it[i]) && !(it[i].kind == EV_LB_GLUE && isinf(it[i].stretch)))
			bare[nb++] = it[i];
	failed += big_one(a, it, n, 60, "text");
	failed += big_one(a, it, n, 8, "text");
	failed += big_one(a, it, n, 1e9, "text");
	failed += big_one(a, bare, nb, 60, "no forced breaks, no end glue");
	failed += big_one(a, bare, nb, 1e9, "no forced breaks, no end glue");
	for (nb = 0; nb + 2 < BIG_ITEMS;) {
		bare[nb++] = box(1);
		bare[nb++] = penalty(1, 50, true);
	}
	failed += big_one(a, bare, nb, 8, "one hyphenated word");
	ev_arena_free(a);
	free(it);
	free(bare);
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test-linebreak CASES-FILE\n");
		return 2;
	}
	int rc = ev_cases_run(argv[1], "linebreak", run);
	int prc = property();
	int brc = big();
	return rc ? rc : prc ? prc : brc;
}
