/* labels.c - address labels on label sheets: where a sheet's labels are,
 * the rectangle a label's text goes in, whether an address fits it, one
 * address block per label, row by row, sheet after sheet; and a
 * calibration page to hold against a sheet. The sheets themselves are
 * data: src/data/labels.tsv, or gLabels' templates (src/job/labeldb.c). */
#include "labels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"

static const ev_label_sheet builtin[] = {
#include "labels.inc"
};

const ev_label_sheet *ev_label_builtin(size_t *n)
{
	*n = sizeof builtin / sizeof *builtin;
	return builtin;
}

const char *ev_label_name(const ev_label_sheet *s, char *out, size_t cap)
{
	snprintf(out, cap, "%s%s%s", s->brand ? s->brand : "",
	         s->brand && *s->brand ? " " : "", s->part ? s->part : s->id);
	return out;
}

/* ---- where the labels are ---- */

size_t ev_label_count(const ev_label_sheet *s)
{
	size_t n = 0;
	for (size_t g = 0; g < s->ngrids && g < EV_LABEL_GRIDS; g++) {
		const ev_label_grid *gr = &s->grids[g];
		if (gr->nx > 0 && gr->ny > 0)
			n += (size_t)gr->nx * (size_t)gr->ny;
		if (n > EV_LABEL_MAX)
			return EV_LABEL_MAX;
	}
	return n;
}

static int by_top(const void *a, const void *b)
{
	const double *p = a, *q = b;
	return p[1] < q[1] ? -1 : p[1] > q[1] ? 1 : p[0] < q[0] ? -1 : p[0] > q[0];
}

static int by_left(const void *a, const void *b)
{
	const double *p = a, *q = b;
	return p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : p[1] < q[1] ? -1 : p[1] > q[1];
}

/* Row by row: sorted by top, then each run of labels whose tops are within
 * 0.5 mm of the run's first (a staggered grid's row sits a little lower
 * or higher) sorted left to right. One grid gives its rows as they are. */
size_t ev_label_origins(const ev_label_sheet *s, double (*xy)[2], size_t cap)
{
	size_t n = ev_label_count(s), k = 0;
	/* sorted in place when xy has room for every label */
	double (*all)[2] = cap >= n ? xy : malloc((n ? n : 1) * sizeof *all);
	if (!all) {
		/* No room to sort: the first grid's labels in its own order. */
		const ev_label_grid *g = &s->grids[0];
		for (int j = 0; s->ngrids && j < g->ny; j++)
			for (int i = 0; i < g->nx && k < cap && k < n; i++, k++) {
				xy[k][0] = g->x0 + g->dx * (double)i;
				xy[k][1] = g->y0 + g->dy * (double)j;
			}
		return k;
	}
	for (size_t gi = 0; gi < s->ngrids && gi < EV_LABEL_GRIDS; gi++) {
		const ev_label_grid *g = &s->grids[gi];
		for (int j = 0; j < g->ny; j++)
			for (int i = 0; i < g->nx && k < n; i++, k++) {
				all[k][0] = g->x0 + g->dx * (double)i;
				all[k][1] = g->y0 + g->dy * (double)j;
			}
	}
	qsort(all, n, sizeof *all, by_top);
	for (size_t i = 0; i < n;) {
		size_t e = i + 1;
		while (e < n && all[e][1] - all[i][1] < 0.5)
			e++;
		qsort(all + i, e - i, sizeof *all, by_left);
		i = e;
	}
	if (all != xy) {
		memcpy(xy, all, (n < cap ? n : cap) * sizeof *all);
		free(all);
	}
	return n;
}

/* The ring of a CD above its hole: the rectangle of largest area whose
 * bottom edge is the margin above the hole and whose top corners stay the
 * margin inside the outer edge (and the clip). Found by trying 400 tops. */
static void cd_box(const ev_label_sheet *s, double *x, double *y, double *w, double *h)
{
	double cx = s->label_w / 2, cy = s->label_h / 2, m = s->margin;
	double outer = s->radius - m, bottom = s->hole + m;
	double limit = fmin(outer, s->label_h / 2 - m);
	double best = 0, best_t = 0, best_hw = 0;
	for (int k = 1; k < 400; k++) {
		double t = bottom + (limit - bottom) * k / 400.0;
		if (t <= bottom || t >= outer)
			continue;
		double hw = fmin(sqrt(outer * outer - t * t), s->label_w / 2 - m);
		double area = hw * (t - bottom);
		if (hw > 0 && area > best) {
			best = area;
			best_t = t;
			best_hw = hw;
		}
	}
	*x = cx - best_hw;
	*y = cy - best_t;
	*w = 2 * best_hw;
	*h = best > 0 ? best_t - bottom : 0;
}

void ev_label_text_box(const ev_label_sheet *s, double *x, double *y,
                       double *w, double *h)
{
	double m = s->margin, bw = s->label_w, bh = s->label_h;
	switch (s->shape) {
	case EV_LABEL_RECT:
		break;
	case EV_LABEL_ROUND:
		/* the square inside the disc */
		bw = bh = fmin(s->label_w, s->label_h) / sqrt(2.0);
		break;
	case EV_LABEL_ELLIPSE:
		/* the largest rectangle inside an ellipse: its axes over root 2 */
		bw = s->label_w / sqrt(2.0);
		bh = s->label_h / sqrt(2.0);
		break;
	case EV_LABEL_CD:
		cd_box(s, x, y, w, h);
		if (*w <= 0 || *h <= 0)
			*w = *h = 0;
		return;
	}
	*x = (s->label_w - bw) / 2 + m;
	*y = (s->label_h - bh) / 2 + m;
	*w = fmax(bw - 2 * m, 0);
	*h = fmax(bh - 2 * m, 0);
	if (*w == 0 || *h == 0)
		*w = *h = 0;
}

/* How far a label may reach over the paper's edge: gLabels has sheets
 * whose last column ends 0.6 mm beyond it (Herma 4464), or whose last row
 * 1.3 mm (JAC 10542); the text keeps
 * its margin inside the label all the same. */
#define OVERHANG 2.0

int ev_label_sheet_check(const ev_label_sheet *s, char *why, size_t cap)
{
	char name[160];
	ev_label_name(s, name, sizeof name);
	if (!(s->paper_w > 0 && s->paper_h > 0 && s->label_w > 0 && s->label_h > 0)) {
		snprintf(why, cap, "%s: the paper or the label has no size", name);
		return 1;
	}
	if (s->ngrids == 0 || s->ngrids > EV_LABEL_GRIDS) {
		snprintf(why, cap, "%s: %zu label grids (1 to %d are read)", name,
		         s->ngrids, EV_LABEL_GRIDS);
		return 1;
	}
	size_t n = 0;
	for (size_t g = 0; g < s->ngrids; g++) {
		const ev_label_grid *gr = &s->grids[g];
		if (gr->nx < 1 || gr->ny < 1 || gr->nx > EV_LABEL_MAX || gr->ny > EV_LABEL_MAX) {
			snprintf(why, cap, "%s: a grid of %d x %d labels", name, gr->nx, gr->ny);
			return 1;
		}
		n += (size_t)gr->nx * (size_t)gr->ny;
		double right = gr->x0 + gr->dx * (gr->nx - 1) + s->label_w;
		double bottom = gr->y0 + gr->dy * (gr->ny - 1) + s->label_h;
		if (gr->x0 < -OVERHANG || gr->y0 < -OVERHANG || right > s->paper_w + OVERHANG ||
		    bottom > s->paper_h + OVERHANG || gr->dx < 0 || gr->dy < 0) {
			snprintf(why, cap, "%s: its labels lie off the paper", name);
			return 1;
		}
	}
	if (n > EV_LABEL_MAX) {
		snprintf(why, cap, "%s: %zu labels a sheet (at most %d)", name, n, EV_LABEL_MAX);
		return 1;
	}
	double x, y, w, h;
	ev_label_text_box(s, &x, &y, &w, &h);
	if (w <= 0 || h <= 0) {
		snprintf(why, cap, "%s: its labels leave no room for text inside a margin "
		         "of %.1f mm", name, s->margin);
		return 1;
	}
	return 0;
}

/* ---- fitting the text ---- */

#define LABEL_SIZE 9.0
#define LEAD 1.2          /* line distance / size */
#define STEP 0.5

/* The text box in points, relative to the label's top-left corner, and
 * the height the block is centred in. A rectangle's is computed as it
 * always was (inset from the label's width; centred in its height), so
 * the built-in sheets come out as before to the last bit. */
typedef struct box {
	double x, w;       /* left and width */
	double top, h;     /* what the block is centred in */
	double room;       /* the height it must fit */
	bool centre;       /* lines centred across (round shapes) */
} box;

static box text_box(const ev_label_sheet *s)
{
	box b;
	if (s->shape == EV_LABEL_RECT) {
		double inset = EV_MM(s->margin);
		b = (box){.x = inset, .w = EV_MM(s->label_w) - 2 * inset, .top = 0,
		          .h = EV_MM(s->label_h), .room = EV_MM(s->label_h) - 2 * inset};
	} else {
		double x, y, w, h;
		ev_label_text_box(s, &x, &y, &w, &h);
		b = (box){.x = EV_MM(x), .w = EV_MM(w), .top = EV_MM(y), .h = EV_MM(h),
		          .room = EV_MM(h), .centre = true};
	}
	return b;
}

static double block_height(double size, size_t n)
{
	return size * LEAD * (double)(n ? n - 1 : 0) + size;
}

/* The block's size: LABEL_SIZE, or smaller in steps until its lines fit
 * the box's height; 0 when not even at the smallest size. */
static double block_size(const box *b, size_t n)
{
	for (double size = LABEL_SIZE; size >= EV_LABEL_MIN_PT; size -= STEP)
		if (block_height(size, n) <= b->room)
			return size;
	return 0;
}

/* A line's size: the block's, or smaller in steps while it is wider than
 * the box; *fits says whether it fits at the size returned. */
static double line_size(const ev_metrics *m, const char *s, size_t len, double start,
                        double width, bool *fits)
{
	double size = start;
	while (size > EV_LABEL_MIN_PT && ev_text_width(m, EV_FACE_REGULAR, size, s, len) > width)
		size -= STEP;
	*fits = ev_text_width(m, EV_FACE_REGULAR, size, s, len) <= width;
	return size;
}

int ev_label_fits(const ev_label_sheet *s, const char *const *lines, size_t n,
                  const ev_metrics *m, char *why, size_t cap)
{
	box b = text_box(s);
	double size = block_size(&b, n);
	char name[160], w[32], h[32], minimum[32];
	ev_label_name(s, name, sizeof name);
	ev_mm_text(s->label_w, w, sizeof w);
	ev_mm_text(s->label_h, h, sizeof h);
	snprintf(minimum, sizeof minimum, "%d pt", (int)EV_LABEL_MIN_PT);
	if (size == 0) {
		snprintf(why, cap, "the address does not fit a label of %s (%s × %s mm) "
		         "even at %s: its %zu lines are too many", name, w, h, minimum, n);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		bool fits;
		line_size(m, lines[i], strlen(lines[i]), size, b.w, &fits);
		if (!fits) {
			size_t cut = ev_utf8_prefix(lines[i], EV_QUOTED);
			snprintf(why, cap, "the address does not fit a label of %s (%s × %s mm) "
			         "even at %s: the line '%.*s%s' is too wide", name, w, h, minimum,
			         (int)cut, lines[i], lines[i][cut] ? "..." : "");
			return 1;
		}
	}
	return 0;
}

/* One label: the block centred in the text box's height, each line set
 * smaller when it would not fit the box's width. */
static int one_label(const ev_label_sheet *s, const box *b, const double *origin,
                     const ev_label_place *pl, ev_page *pg, ev_display *dl,
                     const ev_metrics *m, const char *const *lines, size_t n)
{
	double dx = pl ? EV_MM(pl->dx) : 0, dy = pl ? EV_MM(pl->dy) : 0;
	double x = EV_MM(origin[0]) + b->x + dx;
	double top = EV_MM(origin[1]) + b->top + dy;
	double size = block_size(b, n);
	if (size == 0)
		size = EV_LABEL_MIN_PT;
	double lead = size * LEAD;
	double y = top + (b->h - block_height(size, n)) / 2 + size * 0.8;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(lines[i]);
		bool fits;
		double ls = line_size(m, lines[i], len, size, b->w, &fits);
		double lx = x;
		if (b->centre)
			lx += (b->w - ev_text_width(m, EV_FACE_REGULAR, ls, lines[i], len)) / 2;
		if (ev_display_text(dl, pg, lx, y + lead * (double)i, EV_FACE_REGULAR,
		                    ls, lines[i], len) < 0)
			return -1;
	}
	return 0;
}

int ev_layout_labels(const ev_label_sheet *sheet, const ev_label_place *pl,
                     size_t skip, const char *const *const *blocks,
                     const size_t *nlines, size_t count, const ev_metrics *m,
                     ev_display *dl)
{
	size_t per_sheet = ev_label_count(sheet);
	if (per_sheet == 0)
		return count ? -1 : 0;
	double (*xy)[2] = ev_arena_alloc(dl->arena, per_sheet * sizeof *xy);
	if (!xy)
		return -1;
	ev_label_origins(sheet, xy, per_sheet);
	box b = text_box(sheet);
	if (skip >= per_sheet)
		skip = 0;
	ev_page *pg = NULL;
	int rc = 0;
	for (size_t i = 0, slot = skip; rc == 0 && i < count; i++, slot++) {
		if (slot == per_sheet)
			slot = 0;
		if (!pg || slot == 0) {
			pg = ev_display_add_page(dl, EV_MM(sheet->paper_w), EV_MM(sheet->paper_h));
			if (!pg)
				rc = -1;
		}
		if (rc == 0)
			rc = one_label(sheet, &b, xy[slot], pl, pg, dl, m, blocks[i], nlines[i]);
	}
	return rc;
}

/* ---- the calibration page ---- */

#define OUTLINE 0.5       /* pt */
#define HAIRLINE 0.3
#define ARC_STEPS 8       /* segments a quarter circle is drawn with */

typedef struct pen {
	ev_display *dl;
	ev_page *pg;
	double dx, dy;        /* the offset, mm */
	int rc;
} pen;

/* A line from (x1, y1) to (x2, y2), mm on the sheet. */
static void line(pen *p, double x1, double y1, double x2, double y2, double stroke)
{
	if (p->rc == 0)
		p->rc = ev_display_line(p->dl, p->pg, EV_MM(x1 + p->dx), EV_MM(y1 + p->dy),
		                        EV_MM(x2 + p->dx), EV_MM(y2 + p->dy), stroke);
}

/* An arc of the ellipse with centre (cx, cy) and radii (rx, ry) from angle
 * a0 to a1 (radians, y down), in `steps` segments; each point pulled
 * inside the clip rectangle (a CD clipped to a card). */
typedef struct clip {
	double x0, y0, x1, y1;
} clip;

static double clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void arc(pen *p, double cx, double cy, double rx, double ry, double a0,
                double a1, int steps, const clip *c)
{
	double px = 0, py = 0;
	for (int k = 0; k <= steps; k++) {
		double a = a0 + (a1 - a0) * k / steps;
		double x = cx + rx * cos(a), y = cy + ry * sin(a);
		if (c) {
			x = clamp(x, c->x0, c->x1);
			y = clamp(y, c->y0, c->y1);
		}
		if (k)
			line(p, px, py, x, y, OUTLINE);
		px = x;
		py = y;
	}
}

/* A label's outline, its top-left corner at (x, y). */
static void outline(pen *p, const ev_label_sheet *s, double x, double y)
{
	double w = s->label_w, h = s->label_h;
	double pi = acos(-1.0);
	switch (s->shape) {
	case EV_LABEL_RECT: {
		double r = fmin(s->round, fmin(w, h) / 2);
		if (r <= 0) {
			line(p, x, y, x + w, y, OUTLINE);
			line(p, x + w, y, x + w, y + h, OUTLINE);
			line(p, x + w, y + h, x, y + h, OUTLINE);
			line(p, x, y + h, x, y, OUTLINE);
			break;
		}
		line(p, x + r, y, x + w - r, y, OUTLINE);
		arc(p, x + w - r, y + r, r, r, -pi / 2, 0, ARC_STEPS, NULL);
		line(p, x + w, y + r, x + w, y + h - r, OUTLINE);
		arc(p, x + w - r, y + h - r, r, r, 0, pi / 2, ARC_STEPS, NULL);
		line(p, x + w - r, y + h, x + r, y + h, OUTLINE);
		arc(p, x + r, y + h - r, r, r, pi / 2, pi, ARC_STEPS, NULL);
		line(p, x, y + h - r, x, y + r, OUTLINE);
		arc(p, x + r, y + r, r, r, pi, 3 * pi / 2, ARC_STEPS, NULL);
		break;
	}
	case EV_LABEL_ROUND:
	case EV_LABEL_ELLIPSE:
		arc(p, x + w / 2, y + h / 2, w / 2, h / 2, 0, 2 * pi, 8 * ARC_STEPS, NULL);
		break;
	case EV_LABEL_CD: {
		clip c = {x, y, x + w, y + h};
		arc(p, x + w / 2, y + h / 2, s->radius, s->radius, 0, 2 * pi, 8 * ARC_STEPS, &c);
		if (s->hole > 0)
			arc(p, x + w / 2, y + h / 2, s->hole, s->hole, 0, 2 * pi, 4 * ARC_STEPS, NULL);
		break;
	}
	}
}

/* Text at (x, y) mm (the baseline), centred on x when `centred`. */
static void text(pen *p, const ev_metrics *m, double x, double y, double size,
                 const char *s, bool centred)
{
	size_t len = strlen(s);
	double at = EV_MM(x + p->dx);
	if (centred)
		at -= ev_text_width(m, EV_FACE_REGULAR, size, s, len) / 2;
	if (p->rc == 0)
		p->rc = ev_display_text(p->dl, p->pg, at, EV_MM(y + p->dy), EV_FACE_REGULAR,
		                        size, s, len);
}

/* Rulers along the top and left edges: a tick every mm (longer every 5 and
 * 10), a number every 10 mm. */
static void rulers(pen *p, const ev_label_sheet *s, const ev_metrics *m)
{
	char num[16];
	for (int mm = 0; mm <= (int)s->paper_w; mm++) {
		double len = mm % 10 == 0 ? 5 : mm % 5 == 0 ? 3.5 : 2;
		line(p, mm, 0, mm, len, HAIRLINE);
		if (mm % 10 == 0 && mm > 0) {
			snprintf(num, sizeof num, "%d", mm);
			text(p, m, mm, 8, 6, num, true);
		}
	}
	/* (the left ruler's numbers from 20: 10 would meet the top ruler's) */
	for (int mm = 0; mm <= (int)s->paper_h; mm++) {
		double len = mm % 10 == 0 ? 5 : mm % 5 == 0 ? 3.5 : 2;
		line(p, 0, mm, len, mm, HAIRLINE);
		if (mm % 10 == 0 && mm > 10) {
			snprintf(num, sizeof num, "%d", mm);
			text(p, m, 7.5, mm + 0.75, 6, num, false);
		}
	}
}

static const char instruction[] = "Print on plain paper at 100 %, hold it against "
	"a label sheet to the light; measure how far the outlines are off and pass "
	"--offset X,Y";

/* The sheet and the offset in words, at most a line. */
static void about(const ev_label_sheet *s, const ev_label_place *pl, char *out, size_t cap)
{
	char name[160], w[32], h[32], pw[32], ph[32], ox[32], oy[32];
	ev_label_name(s, name, sizeof name);
	size_t n = ev_label_count(s);
	snprintf(out, cap, "%s: %zu %s of %s × %s mm on %s (%s × %s mm); offset %s, %s mm",
	         name, n, n == 1 ? "label" : "labels", ev_mm_text(s->label_w, w, sizeof w),
	         ev_mm_text(s->label_h, h, sizeof h), s->paper ? s->paper : "paper",
	         ev_mm_text(s->paper_w, pw, sizeof pw), ev_mm_text(s->paper_h, ph, sizeof ph),
	         ev_mm_text(pl ? pl->dx : 0, ox, sizeof ox),
	         ev_mm_text(pl ? pl->dy : 0, oy, sizeof oy));
}

int ev_layout_label_calibration(const ev_label_sheet *s, const ev_label_place *pl,
                                const ev_metrics *m, ev_display *dl)
{
	size_t n = ev_label_count(s);
	double (*xy)[2] = malloc((n ? n : 1) * sizeof *xy);
	pen p = {.dl = dl, .dx = pl ? pl->dx : 0, .dy = pl ? pl->dy : 0};
	p.pg = xy ? ev_display_add_page(dl, EV_MM(s->paper_w), EV_MM(s->paper_h)) : NULL;
	if (!p.pg) {
		free(xy);
		return -1;
	}
	ev_label_origins(s, xy, n);
	for (size_t i = 0; i < n; i++) {
		outline(&p, s, xy[i][0], xy[i][1]);
		double cx = xy[i][0] + s->label_w / 2, cy = xy[i][1] + s->label_h / 2;
		line(&p, cx - 3, cy, cx + 3, cy, HAIRLINE);
		line(&p, cx, cy - 3, cx, cy + 3, HAIRLINE);
	}
	rulers(&p, s, m);
	/* The instructions below the top ruler, set smaller on narrow paper. */
	char line2[400];
	about(s, pl, line2, sizeof line2);
	double room = EV_MM(s->paper_w - 24), size = 8;
	double wide = fmax(ev_text_width(m, EV_FACE_REGULAR, 1, instruction, strlen(instruction)),
	                   ev_text_width(m, EV_FACE_REGULAR, 1, line2, strlen(line2)));
	if (wide * size > room && wide > 0)
		size = fmax(room / wide, 3);
	text(&p, m, 12, 14, size, instruction, false);
	text(&p, m, 12, 14 + size * 1.4 * 25.4 / 72, size, line2, false);
	free(xy);
	return p.rc;
}
