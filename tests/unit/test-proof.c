/* test-proof.c - the proof sheet laid out with fixed-width metrics: the
 * examples of tests/cases/proof.txt (display-list dumps), each also checked
 * for what every sheet must be (cells inside the margins, a letter's page
 * reduced in its proportions, framed, its window inside the frame, the
 * caption "0001 Name" centred under it and no wider than the cell, cut
 * with "…" only when too wide at the smallest size); then 413 letters
 * making 35 pages, the same whether laid out at once or a page at a time,
 * and ev_proof_chars. No fonts, no PDF library.
 * Usage: test-proof PROOF.txt */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "casefile.h"
#include "display.h"
#include "proof.h"
#include "text.h"

#define EPS 1e-6
#define MAX_ITEMS 500

static int passed, failed;

/* Stand-ins for kept pages: the layout only passes them on. */
static const char kept[MAX_ITEMS];

typedef struct setup {
	ev_proof_window window;
	const ev_proof_window *win;
	const ev_paper *paper;
	double per_mille;
	size_t chunk;         /* items per call; 0: all at once */
} setup;

/* "window=X,Y,W,H paper=ID em=N chunk=N" */
static bool parse_options(setup *s, const char *opts)
{
	*s = (setup){.paper = ev_paper_default(), .per_mille = 500};
	char buf[1024];
	snprintf(buf, sizeof buf, "%s", opts);
	char *save = NULL;
	for (char *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		ev_proof_window *w = &s->window;
		if (sscanf(t, "window=%lf,%lf,%lf,%lf", &w->x, &w->y, &w->w, &w->h) == 4)
			s->win = w;
		else if (!strncmp(t, "paper=", 6))
			s->paper = ev_paper_find(t + 6);
		else if (sscanf(t, "em=%lf", &s->per_mille) != 1 &&
		         sscanf(t, "chunk=%zu", &s->chunk) != 1)
			return false;
	}
	return s->paper != NULL;
}

/* One item a line (\n-separated): "SEQ PAGE W H NAME", PAGE "-" for no
 * pages, W and H in points ("-": 0), the name the rest of the line. Returns
 * the number of items, or (size_t)-1. Names point into `input`. */
static size_t parse_items(char *input, ev_proof_item *items)
{
	size_t n = 0;
	char *save = NULL;
	for (char *line = strtok_r(input, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (n == MAX_ITEMS)
			return (size_t)-1;
		char page[16], w[32], h[32];
		int used = 0;
		ev_proof_item *it = &items[n];
		*it = (ev_proof_item){0};
		if (sscanf(line, "%zu %15s %31s %31s %n", &it->seq, page, w, h, &used) != 4)
			return (size_t)-1;
		if (strcmp(page, "-")) {
			it->pages = &kept[n];
			it->index = strtoul(page, NULL, 10);
		}
		it->page_w = strcmp(w, "-") ? strtod(w, NULL) : 0;
		it->page_h = strcmp(h, "-") ? strtod(h, NULL) : 0;
		it->name = used ? line + used : "";
		n++;
	}
	return n;
}

static int lay_out(const setup *s, const ev_proof_item *items, size_t n,
                   const ev_metrics *m, ev_display *dl)
{
	size_t step = s->chunk ? s->chunk : n ? n : 1;
	for (size_t i = 0; i < n; i += step)
		if (ev_layout_proof(items + i, n - i < step ? n - i : step, s->win,
		                    s->paper, m, dl) < 0)
			return -1;
	return n ? 0 : ev_layout_proof(items, 0, s->win, s->paper, m, dl);
}

/* ---- what every sheet must be ---- */

static void broken(ev_buf *got, const char *what, size_t page, size_t cell)
{
	ev_buf_printf(got, "!! page %zu cell %zu: %s\n", page, cell, what);
}

static bool inside(double x, double y, double w, double h, double X, double Y,
                   double W, double H)
{
	return x >= X - EPS && y >= Y - EPS && x + w <= X + W + EPS && y + h <= Y + H + EPS;
}

/* The items of cell `cell` start at pg->items[*at]: a form (when the item
 * has pages), the frame, the window (when set), the caption. */
static void check_cell(ev_buf *got, const setup *s, const ev_metrics *m,
                       const ev_page *pg, size_t *at, size_t pageno, size_t cell,
                       const ev_proof_item *it)
{
	double margin = EV_MM(10.0);
	double cell_w = (pg->width - 2 * margin - 2 * EV_MM(6.0)) / 3;
	const ev_item *form = NULL, *frame, *win = NULL, *cap;
	if (it->pages) {
		form = *at < pg->n ? &pg->items[(*at)++] : NULL;
		if (!form || form->kind != EV_ITEM_FORM || form->form != it->pages ||
		    form->form_page != it->index) {
			broken(got, "no form of its page", pageno, cell);
			return;
		}
	}
	frame = *at < pg->n ? &pg->items[(*at)++] : NULL;
	if (!frame || frame->kind != EV_ITEM_RECT) {
		broken(got, "no frame", pageno, cell);
		return;
	}
	if (form && (fabs(form->x - frame->x) > EPS || fabs(form->y - frame->y) > EPS ||
	             fabs(form->x2 - frame->x2) > EPS || fabs(form->y2 - frame->y2) > EPS))
		broken(got, "the frame is not round the page", pageno, cell);
	if (!inside(frame->x, frame->y, frame->x2, frame->y2, margin, margin,
	            pg->width - 2 * margin, pg->height - 2 * margin))
		broken(got, "outside the margins", pageno, cell);
	/* A page of no size is shown as one of the proof's paper. */
	bool sized = it->page_w > 0 && it->page_h > 0;
	double pw = sized ? it->page_w : pg->width, ph = sized ? it->page_h : pg->height;
	if (fabs(frame->x2 / frame->y2 - pw / ph) > 1e-9)
		broken(got, "the page's proportions changed", pageno, cell);
	if (frame->x2 > cell_w + EPS)
		broken(got, "wider than the cell", pageno, cell);
	if (s->win && s->window.w > 0 && s->window.h > 0) {
		win = *at < pg->n ? &pg->items[(*at)++] : NULL;
		double k = frame->x2 / pw;
		if (!win || win->kind != EV_ITEM_RECT) {
			broken(got, "no window", pageno, cell);
			return;
		}
		if (fabs(win->x - frame->x - EV_MM(s->window.x) * k) > EPS ||
		    fabs(win->y - frame->y - EV_MM(s->window.y) * k) > EPS ||
		    fabs(win->x2 - EV_MM(s->window.w) * k) > EPS ||
		    fabs(win->y2 - EV_MM(s->window.h) * k) > EPS)
			broken(got, "the window is not where the letter has it", pageno, cell);
		if (!inside(win->x, win->y, win->x2, win->y2, frame->x, frame->y,
		            frame->x2, frame->y2))
			broken(got, "the window is outside the page", pageno, cell);
	}
	cap = *at < pg->n ? &pg->items[(*at)++] : NULL;
	if (!cap || cap->kind != EV_ITEM_TEXT) {
		broken(got, "no caption", pageno, cell);
		return;
	}
	char seq[32];
	snprintf(seq, sizeof seq, "%04zu", it->seq);
	double w = ev_text_width(m, cap->face, cap->size, cap->text, cap->len);
	double cx = frame->x + frame->x2 / 2;
	bool cut = cap->len >= 3 && !memcmp(cap->text + cap->len - 3, "\xE2\x80\xA6", 3);
	if (strncmp(cap->text, seq, strlen(seq)))
		broken(got, "the caption does not start with the number", pageno, cell);
	if (w > cell_w + EPS || fabs(cap->x + w / 2 - cx) > EPS)
		broken(got, "the caption is not centred within the cell", pageno, cell);
	if (cap->y <= frame->y + frame->y2 + cap->size * 0.5)
		broken(got, "the caption is not under the page", pageno, cell);
	if (cap->size < 5.0 - EPS || cap->size > 7.0 + EPS || (cut && cap->size > 5.0 + EPS))
		broken(got, "the caption's size is out of range", pageno, cell);
	if (ev_utf8_invalid_at(cap->text, cap->len) != (size_t)-1)
		broken(got, "the caption is not valid UTF-8", pageno, cell);
}

/* Each call of ev_layout_proof starts a page: the items of a call fill
 * pages of EV_PROOF_PER_PAGE. */
static void check_sheet(ev_buf *got, const setup *s, const ev_metrics *m,
                        const ev_display *dl, const ev_proof_item *items, size_t n)
{
	size_t step = s->chunk ? s->chunk : n ? n : 1, p = 0;
	for (size_t c = 0; c < n; c += step) {
		size_t cend = n - c < step ? n : c + step;
		for (size_t first = c; first < cend; first += EV_PROOF_PER_PAGE, p++) {
			size_t end = cend - first < EV_PROOF_PER_PAGE ? cend : first + EV_PROOF_PER_PAGE;
			if (p >= dl->npages) {
				ev_buf_printf(got, "!! %zu pages for %zu items\n", dl->npages, n);
				return;
			}
			const ev_page *pg = &dl->pages[p];
			if (fabs(pg->width - EV_MM(s->paper->w)) > EPS ||
			    fabs(pg->height - EV_MM(s->paper->h)) > EPS)
				ev_buf_printf(got, "!! page %zu is not the paper\n", p + 1);
			size_t at = 0;
			for (size_t i = first; i < end; i++)
				check_cell(got, s, m, pg, &at, p + 1, i - first + 1, &items[i]);
			if (at != pg->n)
				ev_buf_printf(got, "!! page %zu has %zu items more\n", p + 1, pg->n - at);
		}
	}
	if (p != dl->npages)
		ev_buf_printf(got, "!! %zu pages for %zu items\n", dl->npages, n);
}

static ev_proof_item items[MAX_ITEMS];

static bool run_case(ev_buf *got, const ev_case *c)
{
	setup s;
	if (!parse_options(&s, c->options))
		return false;
	char *input = strdup(c->input.data ? c->input.data : "");
	size_t n = input ? parse_items(input, items) : (size_t)-1;
	if (n == (size_t)-1) {
		free(input);
		return false;
	}
	ev_metrics m = ev_metrics_fixed(&s.per_mille);
	ev_arena *a = ev_arena_new();
	ev_display dl;
	ev_display_init(&dl, a);
	if (!a || lay_out(&s, items, n, &m, &dl) < 0 || ev_display_dump(&dl, got) < 0)
		ev_buf_puts(got, "!! out of memory\n");
	else
		check_sheet(got, &s, &m, &dl, items, n);
	ev_arena_free(a);
	free(input);
	return true;
}

/* ---- a campaign's worth ---- */

static void check(bool ok, const char *what)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL %s\n", what);
}

static const char *const names[] = {
	"Ганчарэнка Вера Іванаўна", "Мартынюк Леонид Евгеньевич",
	"Ковалёва-Климович Людмила Алексеевна",
	"Романюк-Бондаренко Надежда Михайловна Ёршова-Шчэрбаковіч",
};

/* 413 letters (every 7th not made: an empty frame) on A4 with the
 * din5008-b window: 35 pages, every number once in order, the same dump
 * whether laid out at once or 12, 5 or 1 at a time. */
static void test_campaign(void)
{
	setup s = {.window = {20, 45, 85, 45}, .paper = ev_paper_default(),
	           .per_mille = 550};
	s.win = &s.window;
	ev_metrics m = ev_metrics_fixed(&s.per_mille);
	for (size_t i = 0; i < 413; i++)
		items[i] = (ev_proof_item){.pages = i % 7 == 6 ? NULL : &kept[i % 5],
		                           .index = 0, .page_w = EV_MM(210),
		                           .page_h = EV_MM(297), .seq = i + 1,
		                           .name = names[i % 4]};
	ev_buf first = {0}, again = {0}, problems = {0};
	static const size_t chunks[] = {0, EV_PROOF_PER_PAGE, 5, 1};
	for (size_t k = 0; k < sizeof chunks / sizeof *chunks; k++) {
		ev_arena *a = ev_arena_new();
		ev_display dl;
		ev_display_init(&dl, a);
		s.chunk = chunks[k];
		ev_buf *out = k ? &again : &first;
		ev_buf_reset(out);
		if (!a || lay_out(&s, items, 413, &m, &dl) < 0 || ev_display_dump(&dl, out) < 0) {
			check(false, "413 letters: out of memory");
			ev_arena_free(a);
			return;
		}
		if (chunks[k] == 0 || chunks[k] == EV_PROOF_PER_PAGE) {
			check(dl.npages == 35, "413 letters make 35 pages");
			size_t last = 0;
			for (size_t i = 0; i < dl.pages[34].n; i++)
				last += dl.pages[34].items[i].kind == EV_ITEM_TEXT;
			check(last == 5, "the last page holds 5 letters");
			check_sheet(&problems, &s, &m, &dl, items, 413);
			/* Every number once, in order. */
			size_t next = 1;
			for (size_t p = 0; p < dl.npages; p++)
				for (size_t i = 0; i < dl.pages[p].n; i++) {
					const ev_item *it = &dl.pages[p].items[i];
					char want[16];
					snprintf(want, sizeof want, "%04zu ", next);
					if (it->kind == EV_ITEM_TEXT && !strncmp(it->text, want, 5))
						next++;
				}
			check(next == 414, "the captions number 0001 to 0413 in order");
		}
		/* Each call starts a page. */
		if (chunks[k] == 5)
			check(dl.npages == 83, "five at a time: a page for each call");
		if (chunks[k] == EV_PROOF_PER_PAGE)
			check(first.len == again.len && !memcmp(first.data, again.data, first.len),
			      "a page at a time lays out what all at once does");
		if (chunks[k] == 1)
			check(dl.npages == 413, "one at a time: a page each");
		ev_arena_free(a);
	}
	if (problems.len)
		printf("%s", problems.data);
	check(problems.len == 0, "413 letters: every cell as a sheet must be");
	ev_buf_free(&first);
	ev_buf_free(&again);
	ev_buf_free(&problems);
}

/* ev_proof_chars: what the captions print besides the names. */
static void test_chars(void)
{
	const char *c = ev_proof_chars();
	check(strstr(c, "0123456789") && strchr(c, ' ') && strstr(c, "\xE2\x80\xA6"),
	      "ev_proof_chars has the digits, the space and the ellipsis");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fputs("usage: test-proof PROOF.txt\n", stderr);
		return 2;
	}
	test_campaign();
	test_chars();
	printf("proof: %d passed, %d failed\n", passed, failed);
	int rc = ev_cases_run(argv[1], "proof examples", run_case);
	return failed ? 1 : rc;
}
