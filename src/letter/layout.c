/* layout.c - a letter on one sheet of the chosen paper, after the chosen
 * window preset (DIN 5008 form B by default): letterhead, fold and hole
 * marks, return line and address inside the window field, reference and
 * date beside it, subject, then the body justified and hyphenated to the
 * measure, paginated with no widow, orphan or stranded signature block,
 * with a running head and "Page N of M" from page 2. */
#include "layout.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "filters.h"
#include "linebreak.h"
#include "text.h"

#define LEFT_MM 25.0
#define RIGHT_MM 20.0
#define BOTTOM_MM 22.0           /* lowest baseline, from the paper's foot */
#define BODY_SIZE 11.0
#define BODY_LEAD 14.0
#define PARA_GAP 7.0
#define ADDRESS_MAX_SIZE 10.0
#define ADDRESS_MIN_SIZE 8.0
#define TOP_NEXT EV_MM(25.0)     /* first baseline on pages after the first */
#define HEAD_Y EV_MM(12.0)       /* running head and page number baseline */
#define HYPHEN_PENALTY 50.0
/* A word space may grow to 1.5 times its natural width (adjustment ratio
 * 1) and shrink to two thirds; a line that cannot be set within that is
 * set with natural spaces, ragged, rather than visibly loose. */
#define SPACE_STRETCH 0.5
#define SPACE_SHRINK (1.0 / 3.0)
#define TWO_COLUMNS 7            /* signatories: two columns from this many */
#define MAX_PAGES 50             /* per letter: more is a runaway letter */

/* One line of the body as placed on a page: up to two cells (signatories
 * in two columns), the space before it, and whether it must stay on the
 * same page as the next one. */
typedef struct para para;
typedef struct row {
	const para *cell[2];
	size_t line[2];
	double x[2];
	const char *marker;      /* list marker drawn before cell 0 */
	const char *lang;        /* the language of its block */
	double gap, lead;
	bool keep;               /* keep with the next row */
	bool short_block;        /* of a one-line block or a signatory */
	bool page_break;         /* a forced page break, no text */
} row;

typedef struct lay {
	const ev_metrics *m;
	const ev_letter_in *in;
	ev_display *dl;
	ev_page *page;
	double pw, ph, left, right, bottom;
	size_t first_page;
	const char *reason;
	ev_layout_stats *st;
	row *rows;
	size_t nrows, cap_rows;
	const char **page_lang;  /* per page: the language of its first row */
	ev_buf *text;            /* a line's text as it is drawn (reused) */
} lay;

static void *grow_arr(ev_arena *a, void *old, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return old;
	size_t ncap = *cap ? *cap * 2 : 32;
	void *p = ev_arena_alloc(a, ncap * size);
	if (p && n)
		memcpy(p, old, n * size);
	*cap = ncap;
	return p;
}

/* The width of s at size, as ev_text_width gives it; a text measured
 * before by this worker is not shaped again (measure_memo). */
static double measure(ev_layout_memo *memo, const ev_metrics *m, ev_face f,
                      double size, const char *s, size_t n);

static double text_width(const lay *L, ev_face f, double size, const char *s, size_t n)
{
	return measure(L->in->memo, L->m, f, size, s, n);
}

/* ---- checks ---- */

/* The first character of s that face and the fallback lack, or 0. */
static uint32_t missing_glyph(const lay *L, ev_face face, const char *s, size_t len)
{
	ev_metrics through = ev_layout_memo_metrics(L->in->memo, L->m);
	return ev_missing_glyph(&through, face, s, len);
}

/* The letter cannot be made: cp, in `what`, is in no font. Returns 1, or -1
 * when out of memory. */
static int refuse_glyph(lay *L, uint32_t cp, const char *what)
{
	if (!what)
		return -1;
	if (L->st)
		L->st->missing = cp;
	char ch[5] = {0};
	ev_utf8_encode(cp, ch);
	L->reason = ev_arena_printf(L->dl->arena,
	        "the character U+%04X '%s' in %s is in none of the fonts (the "
	        "main one and its fallback), so it cannot be printed",
	        (unsigned)cp, ch, what);
	return L->reason ? 1 : -1;
}

static int check_glyphs(lay *L, ev_face face, const char *s, size_t len,
                        const char *what)
{
	uint32_t cp = missing_glyph(L, face, s, len);
	return cp ? refuse_glyph(L, cp, what) : 0;
}

/* ---- the first page's fixed parts ---- */

/* Text set flush right at `right`, never starting left of `left`: a line
 * too long is set smaller, down to 6 pt; below that the letter cannot be
 * made (what says which line). Returns 0, 1 with L->reason, or -1. */
static int text_right(lay *L, double left, double right, double y, ev_face f,
                      double size, const char *s, const char *what)
{
	size_t n = strlen(s);
	double w = text_width(L, f, size, s, n);
	while (w > right - left && size > 6.0) {
		size -= 0.5;
		w = text_width(L, f, size, s, n);
	}
	if (w > right - left) {
		L->reason = ev_arena_printf(L->dl->arena, "%s '%s' is too long to "
		                            "print even at 6 pt", what, s);
		return L->reason ? 1 : -1;
	}
	return ev_display_text(L->dl, L->page, right - w, y, f, size, s, n);
}

static int letterhead(lay *L, const ev_preset *ps)
{
	const ev_letter_in *in = L->in;
	double y = EV_MM(ps->letterhead_top);
	for (size_t i = 0; i < in->nsender; i++) {
		ev_face f = i == 0 ? EV_FACE_BOLD : EV_FACE_REGULAR;
		double size = i == 0 ? 10.0 : 9.0;
		int rc = check_glyphs(L, f, in->sender[i], strlen(in->sender[i]),
		                      "the sender");
		if (rc)
			return rc;
		/* Lines level with the window field stay right of it. */
		double left = y > EV_MM(ps->field_top - 3.0)
		              ? EV_MM(ps->field_x + ps->field_w + 5.0) : L->left;
		rc = text_right(L, left, L->right, y, f, size, in->sender[i],
		                "the sender line");
		if (rc)
			return rc;
		y += i == 0 ? 13.0 : 11.0;
	}
	/* Fold marks and the hole mark at the left edge. */
	int rc = 0;
	if (ps->fold1 > 0)
		rc |= ev_display_line(L->dl, L->page, EV_MM(4), EV_MM(ps->fold1), EV_MM(9), EV_MM(ps->fold1), 0.5);
	if (ps->fold2 > 0)
		rc |= ev_display_line(L->dl, L->page, EV_MM(4), EV_MM(ps->fold2), EV_MM(9), EV_MM(ps->fold2), 0.5);
	if (ps->hole > 0)
		rc |= ev_display_line(L->dl, L->page, EV_MM(4), EV_MM(ps->hole), EV_MM(11), EV_MM(ps->hole), 0.5);
	return rc ? -1 : 0;
}

/* The text column inside the window field: 5 mm in from its left edge. */
static double field_text_x(const ev_preset *ps) { return EV_MM(ps->field_x + 5.0); }
static double field_width(const ev_preset *ps) { return EV_MM(ps->field_w - 5.0 - 2.0); }

static int address_fit(ev_layout_memo *memo, const ev_preset *ps,
                       const char *const *lines, size_t n, const ev_metrics *m,
                       double *size, char *why, size_t cap, uint32_t *missing);

int ev_layout_address_fit(const ev_preset *ps, const char *const *lines,
                          size_t n, const ev_metrics *m, double *size,
                          char *why, size_t cap)
{
	uint32_t missing;
	return address_fit(NULL, ps, lines, n, m, size, why, cap, &missing);
}

/* *missing: the character no font has that the address holds, else 0. */
static int address_fit(ev_layout_memo *memo, const ev_preset *ps,
                       const char *const *lines, size_t n, const ev_metrics *m,
                       double *size, char *why, size_t cap, uint32_t *missing)
{
	double width = field_width(ps);
	double top = EV_MM(ps->zone), bottom = EV_MM(ps->field_bottom);
	ev_metrics through = ev_layout_memo_metrics(memo, m);
	why[0] = '\0';
	*missing = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t cp = ev_missing_glyph(&through, EV_FACE_REGULAR, lines[i],
		                               strlen(lines[i]));
		if (cp) {
			*missing = cp;
			char ch[5] = {0};
			ev_utf8_encode(cp, ch);
			snprintf(why, cap, "the character U+%04X '%s' in the address is in "
			         "none of the fonts (the main one and its fallback), so it "
			         "cannot be printed", (unsigned)cp, ch);
			return 1;
		}
	}
	for (double sz = ADDRESS_MAX_SIZE; sz >= ADDRESS_MIN_SIZE; sz -= 0.5) {
		double lead = sz * 1.2, first = top + sz * 0.8;
		bool fits = first + lead * (double)(n - 1) + sz * 0.25 <= bottom;
		for (size_t i = 0; fits && i < n; i++)
			fits = measure(memo, m, EV_FACE_REGULAR, sz, lines[i],
			               strlen(lines[i])) <= width;
		if (fits) {
			*size = sz;
			return 0;
		}
	}
	/* Name the widest line so the person can shorten it. */
	size_t widest = 0;
	double wmax = 0;
	for (size_t i = 0; i < n; i++) {
		double w = measure(memo, m, EV_FACE_REGULAR, ADDRESS_MIN_SIZE,
		                   lines[i], strlen(lines[i]));
		if (w > wmax)
			wmax = w, widest = i;
	}
	if (wmax > width) {
		size_t cut = ev_utf8_prefix(lines[widest], EV_QUOTED);
		snprintf(why, cap, "the address line '%.*s%s' is %d mm wide even at 8 pt; "
		         "the envelope window (%s) allows %d mm", (int)cut, lines[widest],
		         lines[widest][cut] ? "..." : "",
		         (int)(wmax * 25.4 / 72 + 0.5), ps->id, (int)(width * 25.4 / 72));
	} else {
		snprintf(why, cap, "the address has %zu lines; fewer fit the "
		         "envelope window (%s) even at 8 pt", n, ps->id);
	}
	return 1;
}

/* The address in the window: 10 pt, stepping down to 8 pt when a line is
 * too wide or there are too many lines; below that the letter is not made. */
static int address_block(lay *L, const ev_preset *ps)
{
	const ev_letter_in *in = L->in;
	double size;
	char why[600];
	uint32_t missing;
	if (address_fit(in->memo, ps, in->address, in->naddress, L->m, &size, why,
	                sizeof why, &missing)) {
		if (L->st)
			L->st->missing = missing;
		L->reason = ev_arena_strdup(L->dl->arena, why);
		return L->reason ? 1 : -1;
	}
	double lead = size * 1.2, first = EV_MM(ps->zone) + size * 0.8;
	for (size_t i = 0; i < in->naddress; i++)
		if (ev_display_text(L->dl, L->page, field_text_x(ps), first + lead * (double)i,
		                    EV_FACE_REGULAR, size, in->address[i],
		                    strlen(in->address[i])) < 0)
			return -1;
	return 0;
}

static int return_and_info(lay *L, const ev_preset *ps)
{
	const ev_letter_in *in = L->in;
	if (in->return_line && *in->return_line) {
		size_t n = strlen(in->return_line);
		int rc = check_glyphs(L, EV_FACE_REGULAR, in->return_line, n,
		                      "the return address");
		if (rc)
			return rc;
		double size = 7.0, width = field_width(ps), x = field_text_x(ps);
		double base = EV_MM(ps->zone - 1.7);
		while (size > 5.0 && text_width(L, EV_FACE_REGULAR, size, in->return_line, n) > width)
			size -= 0.5;
		if (text_width(L, EV_FACE_REGULAR, size, in->return_line, n) > width) {
			L->reason = ev_arena_printf(L->dl->arena, "the return address '%s' "
			                            "is too long for the window even at 5 pt",
			                            in->return_line);
			return L->reason ? 1 : -1;
		}
		if (ev_display_text(L->dl, L->page, x, base, EV_FACE_REGULAR, size,
		                    in->return_line, n) < 0)
			return -1;
		if (ev_display_line(L->dl, L->page, x, base + 1.5,
		                    x + text_width(L, EV_FACE_REGULAR, size,
		                    in->return_line, n), base + 1.5, 0.3) < 0)
			return -1;
	}
	/* Reference and date in the information block right of the window. */
	double y = EV_MM(ps->info_top + 16.0);
	const char *lines[2] = {in->reference, in->date};
	for (int i = 0; i < 2; i++) {
		if (!lines[i] || !*lines[i])
			continue;
		int rc = check_glyphs(L, EV_FACE_REGULAR, lines[i], strlen(lines[i]),
		                      i ? "the date" : "the reference");
		if (rc)
			return rc;
		rc = text_right(L, EV_MM(ps->field_x + ps->field_w + 5.0), L->right, y,
		                EV_FACE_REGULAR, 10.0, lines[i], i ? "the date" : "the reference");
		if (rc)
			return rc;
		y += 13.0;
	}
	return 0;
}

/* ---- a paragraph: pieces, words, items, lines ---- */

typedef struct piece {
	ev_face face;
	const char *s;
	size_t len;
	double w;
	bool literal;      /* letter text, not a field value: may be hyphenated */
} piece;

typedef struct word {
	size_t first, n;   /* pieces */
	double w;
	bool hard;         /* a forced line break before this word */
} word;

/* What a line-breaking item stands for when drawn. */
typedef struct frag {
	ev_face face;
	const char *s;
	size_t len;
} frag;

struct para {
	double size, space, width;
	double hyphen[EV_FACE_COUNT];   /* a hyphen's width per face; < 0: not yet */
	bool justify;
	bool shared;       /* the template's own text, no merge field */
	piece *p;
	size_t np, cap_p;
	word *w;
	size_t nw, cap_w;
	ev_lb_item *items;
	frag *frags;       /* parallel to items (boxes only) */
	size_t ni, cap_i, cap_f;
	ev_lb_line *lines;
	size_t nlines;
};

static int add_piece(lay *L, para *P, ev_face f, const char *s, size_t n,
                     bool literal, bool new_word, bool hard)
{
	P->p = grow_arr(L->dl->arena, P->p, P->np, &P->cap_p, sizeof *P->p);
	if (!P->p)
		return -1;
	double w = text_width(L, f, P->size, s, n);
	P->p[P->np] = (piece){.face = f, .s = s, .len = n, .w = w, .literal = literal};
	if (new_word || !P->nw || hard) {
		P->w = grow_arr(L->dl->arena, P->w, P->nw, &P->cap_w, sizeof *P->w);
		if (!P->w)
			return -1;
		P->w[P->nw++] = (word){.first = P->np, .hard = hard};
	}
	P->w[P->nw - 1].n++;
	P->w[P->nw - 1].w += w;
	P->np++;
	return 0;
}

/* Where a run's text came from, for a reason (said only when it cannot be
 * printed, not made for every run of every letter); NULL when out of
 * memory. */
static const char *run_source(lay *L, const ev_block *b, const ev_run *run)
{
	if (!run->source)
		return ev_arena_printf(L->dl->arena, "the letter text (line %ld)", b->line);
	if (!strcmp(run->source, "subject"))
		return "the subject";
	return ev_arena_printf(L->dl->arena, "the field '%s'", run->source);
}

/* Split runs into pieces at spaces; pieces with no space between them form
 * one word (e.g. a field value and the comma after it). */
static int split_runs(lay *L, const ev_block *b, para *P)
{
	bool space = true;
	for (size_t r = 0; r < b->nruns; r++) {
		const ev_run *run = &b->runs[r];
		ev_face face = ev_run_face(b, run);
		uint32_t cp = missing_glyph(L, face, run->text, run->len);
		if (cp)
			return refuse_glyph(L, cp, run_source(L, b, run));
		bool hard = run->hard_break && P->nw;
		const char *s = run->text, *end = s + run->len;
		while (s < end) {
			if (*s == ' ') {
				space = true;
				s++;
				continue;
			}
			const char *e = s;
			while (e < end && *e != ' ')
				e++;
			if (add_piece(L, P, face, s, (size_t)(e - s), !run->source,
			              space, hard) < 0)
				return -1;
			space = hard = false;
			s = e;
		}
		if (hard && s == end)
			space = true;
	}
	return 0;
}

/* A word wider than a whole line is cut between characters into words of
 * their own, so nothing ever runs past the margin. */
static int cut_wide_words(lay *L, para *P)
{
	for (size_t i = 0; i < P->nw; i++) {
		word *w = &P->w[i];
		if (w->w <= P->width || w->n != 1)
			continue;
		piece *pc = &P->p[w->first];
		size_t cut = 0;
		for (size_t k = 0; k < pc->len;) {
			uint32_t cp;
			size_t step = ev_utf8_decode(pc->s + k, pc->len - k, &cp);
			if (!step)
				step = 1;
			if (text_width(L, pc->face, P->size, pc->s, k + step) > P->width)
				break;
			k += step;
			cut = k;
		}
		if (cut == 0 || cut == pc->len)
			continue;
		P->p = grow_arr(L->dl->arena, P->p, P->np, &P->cap_p, sizeof *P->p);
		P->w = grow_arr(L->dl->arena, P->w, P->nw, &P->cap_w, sizeof *P->w);
		if (!P->p || !P->w)
			return -1;
		pc = &P->p[P->w[i].first];
		piece rest = {.face = pc->face, .s = pc->s + cut, .len = pc->len - cut};
		rest.w = text_width(L, rest.face, P->size, rest.s, rest.len);
		pc->len = cut;
		pc->w = text_width(L, pc->face, P->size, pc->s, cut);
		pc->literal = rest.literal = false;
		P->w[i].w = pc->w;
		P->p[P->np] = rest;
		memmove(&P->w[i + 2], &P->w[i + 1], (P->nw - i - 1) * sizeof *P->w);
		P->w[i + 1] = (word){.first = P->np, .n = 1, .w = rest.w, .hard = true};
		P->np++;
		P->nw++;
	}
	return 0;
}

static int add_item(lay *L, para *P, ev_lb_item it, frag f)
{
	size_t cap_f = P->cap_f;
	P->items = grow_arr(L->dl->arena, P->items, P->ni, &P->cap_i, sizeof *P->items);
	P->frags = grow_arr(L->dl->arena, P->frags, P->ni, &cap_f, sizeof *P->frags);
	P->cap_f = cap_f;
	if (!P->items || !P->frags)
		return -1;
	P->items[P->ni] = it;
	P->frags[P->ni++] = f;
	return 0;
}

static bool is_letter(uint32_t cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
	       (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
	       (cp >= 0x400 && cp <= 0x4FF) || cp == 0x2019 || cp == '\'';
}

bool ev_layout_word_char(uint32_t cp)
{
	return is_letter(cp);
}

/* Boxes for one piece: where the hyphenator allows, a flagged penalty
 * between fragments (the hyphen's width if the line breaks there). Only
 * the letters in the middle of the piece are hyphenated, not the
 * punctuation around them; after an explicit hyphen a break costs the
 * same but adds nothing. */
static int piece_items(lay *L, para *P, const piece *pc, const char *lang)
{
	size_t at[64], nat = 0;
	const ev_hyphenator *hy = L->in->hy;
	if (pc->literal && hy && L->in->hyphenate) {
		size_t a = 0, b = pc->len;
		uint32_t cp;
		while (a < b) {
			size_t k = ev_utf8_decode(pc->s + a, b - a, &cp);
			if (!k || is_letter(cp))
				break;
			a += k;
		}
		size_t e = a;
		while (e < b) {
			size_t k = ev_utf8_decode(pc->s + e, b - e, &cp);
			if (!k || !is_letter(cp))
				break;
			e += k;
		}
		/* Only a word that is letters to its end (punctuation after). */
		bool plain = e > a;
		for (size_t q = e; plain && q < b;) {
			size_t k = ev_utf8_decode(pc->s + q, b - q, &cp);
			if (!k || is_letter(cp) || (cp >= '0' && cp <= '9'))
				plain = false;
			q += k ? k : 1;
		}
		if (plain) {
			nat = ev_hyphenate(hy, lang, pc->s + a, e - a, at, 64);
			for (size_t i = 0; i < nat; i++)
				at[i] += a;
		}
	}
	if (!nat)
		for (size_t i = 1; i + 1 < pc->len && nat < 64; i++)
			if (pc->s[i] == '-' && pc->s[i - 1] != '-' && pc->s[i + 1] != '-')
				at[nat++] = i + 1;
	if (P->hyphen[pc->face] < 0)
		P->hyphen[pc->face] = text_width(L, pc->face, P->size, "-", 1);
	double hyphen = P->hyphen[pc->face];
	size_t from = 0;
	for (size_t i = 0; i <= nat; i++) {
		size_t to = i < nat ? at[i] : pc->len;
		if (to <= from || to > pc->len)
			continue;
		double w = text_width(L, pc->face, P->size, pc->s + from, to - from);
		if (add_item(L, P, (ev_lb_item){.kind = EV_LB_BOX, .width = w},
		             (frag){pc->face, pc->s + from, to - from}) < 0)
			return -1;
		if (to < pc->len) {
			bool explicit = pc->s[to - 1] == '-';
			if (add_item(L, P, (ev_lb_item){.kind = EV_LB_PENALTY,
			             .width = explicit ? 0 : hyphen, .penalty = HYPHEN_PENALTY,
			             .flagged = true}, (frag){pc->face, NULL, 0}) < 0)
				return -1;
		}
		from = to;
	}
	return 0;
}

static int build_items(lay *L, para *P, const char *lang)
{
	frag none = {EV_FACE_REGULAR, NULL, 0};
	for (size_t i = 0; i < P->nw; i++) {
		const word *w = &P->w[i];
		if (i > 0 && w->hard) {
			if (add_item(L, P, (ev_lb_item){.kind = EV_LB_GLUE, .stretch = EV_LB_INF}, none) < 0 ||
			    add_item(L, P, (ev_lb_item){.kind = EV_LB_PENALTY, .penalty = -EV_LB_INF}, none) < 0)
				return -1;
		} else if (i > 0) {
			if (add_item(L, P, (ev_lb_item){.kind = EV_LB_GLUE, .width = P->space,
			             .stretch = P->space * SPACE_STRETCH, .shrink = P->space * SPACE_SHRINK}, none) < 0)
				return -1;
		}
		for (size_t k = 0; k < w->n; k++) {
			const piece *pc = &P->p[w->first + k];
			/* Only a word of one piece is hyphenated: a field value with
			 * punctuation after it is a name, a date, a number. */
			piece one = *pc;
			one.literal = pc->literal && w->n == 1;
			if (piece_items(L, P, &one, lang) < 0)
				return -1;
		}
	}
	if (add_item(L, P, (ev_lb_item){.kind = EV_LB_GLUE, .stretch = EV_LB_INF}, none) < 0 ||
	    add_item(L, P, (ev_lb_item){.kind = EV_LB_PENALTY, .penalty = -EV_LB_INF}, none) < 0)
		return -1;
	return 0;
}

/* ---- paragraphs remembered across letters ---- */

#define MEMO_MAX 1024            /* paragraphs remembered (a template has tens) */

/* What decides how a paragraph is set. */
typedef struct memo_key {
	const ev_run *runs;          /* copies: text, len, face, hard_break */
	size_t nruns;
	ev_block_kind kind;
	double width, size;
	bool justify, hyphenate;
	const char *lang;            /* the template's (compared as text) */
	uint64_t hash;
} memo_key;

typedef struct memo_entry {
	memo_key key;
	para *p;
} memo_entry;

struct ev_layout_memo {
	ev_arena *a;
	memo_entry *v;
	size_t n, cap;
	ev_buf text;                 /* lay's, kept from letter to letter */
	ev_arena *scratch;           /* the line breaker's, reset after each use */
	ev_width_memo *widths;       /* the widths measured (metrics.h) */
	ev_width_table *shared;      /* and other threads', or NULL */
};

ev_metrics ev_layout_memo_metrics(ev_layout_memo *memo, const ev_metrics *m)
{
	if (memo && (!memo->widths || !ev_width_memo_of(memo->widths, m))) {
		ev_width_memo_free(memo->widths);
		memo->widths = ev_width_memo_new(m);
		if (memo->widths && memo->shared)
			ev_width_memo_share(memo->widths, memo->shared);
	}
	return memo && memo->widths ? ev_width_memo_metrics(memo->widths) : *m;
}

/* Through the memo's width memo (metrics.h) when there is a memo. */
static double measure(ev_layout_memo *memo, const ev_metrics *m, ev_face f,
                      double size, const char *s, size_t n)
{
	ev_metrics through = ev_layout_memo_metrics(memo, m);
	return ev_text_width(&through, f, size, s, n);
}

void ev_layout_memo_share(ev_layout_memo *memo, ev_width_table *t)
{
	memo->shared = t;
	if (memo->widths)
		ev_width_memo_share(memo->widths, t);
}

ev_layout_memo *ev_layout_memo_new(void)
{
	ev_layout_memo *m = calloc(1, sizeof *m);
	if (m && (!(m->a = ev_arena_new()) || !(m->scratch = ev_arena_new()))) {
		ev_arena_free(m->a);
		free(m);
		return NULL;
	}
	return m;
}

void ev_layout_memo_free(ev_layout_memo *m)
{
	if (!m)
		return;
	ev_arena_free(m->a);
	ev_arena_free(m->scratch);
	ev_width_memo_free(m->widths);
	free(m->v);
	ev_buf_free(&m->text);
	free(m);
}

/* The key of block b as set with these parameters; false when b holds text
 * of this letter only, a merge field's value (set afresh each time). */
static bool memo_key_of(const ev_block *b, double width, double size, bool justify,
                        bool hyphenate, const char *lang, memo_key *k)
{
	*k = (memo_key){.runs = b->runs, .nruns = b->nruns, .kind = b->kind,
	                .width = width, .size = size, .justify = justify,
	                .hyphenate = hyphenate, .lang = lang};
	uint64_t h = ev_hash(&k->kind, sizeof k->kind, EV_HASH_START);
	h = ev_hash(&width, sizeof width, h);
	h = ev_hash(&size, sizeof size, h);
	h = ev_hash(lang, strlen(lang), h);
	for (size_t i = 0; i < b->nruns; i++) {
		const ev_run *r = &b->runs[i];
		if (!r->shared)
			return false;
		h = ev_hash(&r->text, sizeof r->text, h);
		h = ev_hash(&r->len, sizeof r->len, h);
		h = ev_hash(&r->face, sizeof r->face, h);
	}
	k->hash = h ^ (uint64_t)justify ^ (uint64_t)hyphenate << 1;
	return true;
}

static bool memo_same(const memo_key *a, const memo_key *b)
{
	if (a->hash != b->hash || a->nruns != b->nruns || a->kind != b->kind ||
	    a->width != b->width || a->size != b->size || a->justify != b->justify ||
	    a->hyphenate != b->hyphenate || strcmp(a->lang, b->lang))
		return false;
	for (size_t i = 0; i < a->nruns; i++) {
		const ev_run *x = &a->runs[i], *y = &b->runs[i];
		if (x->text != y->text || x->len != y->len || x->face != y->face ||
		    x->hard_break != y->hard_break || !x->source != !y->source)
			return false;
	}
	return true;
}

static const para *memo_find(const ev_layout_memo *m, const memo_key *k)
{
	for (size_t i = 0; m && i < m->n; i++)
		if (memo_same(&m->v[i].key, k))
			return m->v[i].p;
	return NULL;
}

static void *memo_copy(ev_arena *a, const void *p, size_t n)
{
	void *c = ev_arena_alloc(a, n ? n : 1);
	if (c && n)
		memcpy(c, p, n);
	return c;
}

/* Remember P (set for key k) in m: a copy, its text still the template's.
 * Forgetting is harmless, so running out of room or memory is not an
 * error. */
static void memo_keep(ev_layout_memo *m, const memo_key *k, const para *P)
{
	if (!m || m->n >= MEMO_MAX)
		return;
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 32;
		memo_entry *v = realloc(m->v, cap * sizeof *v);
		if (!v)
			return;
		m->v = v;
		m->cap = cap;
	}
	para *c = memo_copy(m->a, P, sizeof *P);
	ev_run *runs = memo_copy(m->a, k->runs, k->nruns * sizeof *runs);
	char *lang = ev_arena_strdup(m->a, k->lang);
	if (!c || !runs || !lang)
		return;
	c->p = memo_copy(m->a, P->p, P->np * sizeof *P->p);
	c->w = memo_copy(m->a, P->w, P->nw * sizeof *P->w);
	c->items = memo_copy(m->a, P->items, P->ni * sizeof *P->items);
	c->frags = memo_copy(m->a, P->frags, P->ni * sizeof *P->frags);
	c->lines = memo_copy(m->a, P->lines, P->nlines * sizeof *P->lines);
	if (!c->p || !c->w || !c->items || !c->frags || !c->lines)
		return;
	c->cap_p = P->np;
	c->cap_w = P->nw;
	c->cap_i = c->cap_f = P->ni;
	memo_entry *e = &m->v[m->n++];
	e->key = *k;
	e->key.runs = runs;
	e->key.lang = lang;
	e->p = c;
}

static int set_para_afresh(lay *L, para *P, const ev_block *b, double width,
                           double size, bool justify, const char *lang);

/* Set block b as a paragraph into *out: remembered from an earlier letter
 * when it is the letter's own text, else afresh (into P). */
static int set_para(lay *L, para *P, const ev_block *b, double width,
                    double size, bool justify, const char *lang, const para **out)
{
	memo_key k;
	ev_layout_memo *m = L->in->memo;
	bool keyed = m && memo_key_of(b, width, size, justify,
	                              L->in->hyphenate && L->in->hy, lang, &k);
	const para *hit = keyed ? memo_find(m, &k) : NULL;
	if (hit) {
		*out = hit;
		return 0;
	}
	int rc = set_para_afresh(L, P, b, width, size, justify, lang);
	if (rc == 0 && keyed)
		memo_keep(m, &k, P);
	*out = P;
	return rc;
}

/* Whether every run of b is the template's own text. */
static bool runs_shared(const ev_block *b)
{
	for (size_t i = 0; i < b->nruns; i++)
		if (!b->runs[i].shared)
			return false;
	return true;
}

static int set_para_afresh(lay *L, para *P, const ev_block *b, double width,
                           double size, bool justify, const char *lang)
{
	*P = (para){.size = size, .width = width, .justify = justify,
	            .shared = runs_shared(b)};
	for (int f = 0; f < EV_FACE_COUNT; f++)
		P->hyphen[f] = -1;
	P->space = text_width(L, EV_FACE_REGULAR, size, " ", 1);
	int rc = split_runs(L, b, P);
	if (rc || !P->nw)
		return rc;
	if (cut_wide_words(L, P) < 0 || build_items(L, P, lang) < 0)
		return -1;
	ev_arena *scratch = L->in->memo ? L->in->memo->scratch : NULL;
	ev_lb_params prm = {.width = width, .tolerance = 1.0, .line_penalty = 10,
	                    .flagged_demerits = 3000, .fitness_demerits = 3000,
	                    .max_hyphen_run = 2, .scratch = scratch};
	int lb = ev_linebreak(P->items, P->ni, &prm, L->dl->arena, &P->lines, &P->nlines);
	if (scratch)
		ev_arena_reset(scratch);
	return lb < 0 ? -1 : 0;
}

/* Draw line li of P with its left edge at x: consecutive fragments of one
 * face become one text item, spaces included, so a reader extracts whole
 * sentences; a justified line's items carry the extra width of each space. */
static int draw_line(lay *L, const para *P, size_t li, double x, double y)
{
	const ev_lb_line *ln = &P->lines[li];
	bool last = li + 1 == P->nlines;
	double ws = 0;
	/* The last line of a paragraph (or before a forced break) keeps its
	 * natural spaces, unless the breaker had it shrink to fit. */
	bool ends = last || ln->end >= P->ni ||
	            (P->items[ln->end].kind == EV_LB_PENALTY &&
	             P->items[ln->end].penalty <= -EV_LB_INF);
	if (!ln->loose && (ln->ratio < 0 || (P->justify && !ends)))
		ws = ln->ratio * P->space * (ln->ratio > 0 ? SPACE_STRETCH : SPACE_SHRINK);
	if (fabs(ws) < 0.005)
		ws = 0;
	if (L->st && ws > 0 && (P->space + ws) / P->space > L->st->worst_space) {
		L->st->worst_space = (P->space + ws) / P->space;
		L->st->worst_page = (size_t)(L->page - L->dl->pages) - L->first_page + 1;
	}
	ev_buf *text = L->text;
	ev_buf_reset(text);
	ev_face face = EV_FACE_REGULAR;
	double start = x;
	bool pending_space = false;
	int rc = 0;
	for (size_t i = ln->start; i < ln->end && i < P->ni; i++) {
		const ev_lb_item *it = &P->items[i];
		if (it->kind == EV_LB_GLUE) {
			if (it->width > 0) {
				pending_space = true;
				x += it->width + ws;
			}
			continue;
		}
		if (it->kind != EV_LB_BOX)
			continue;
		const frag *f = &P->frags[i];
		if (text->len && f->face != face) {
			rc |= ev_display_text_spaced(L->dl, L->page, start, y, face, P->size,
			                             text->data, text->len, ws);
			ev_buf_reset(text);
		}
		if (!text->len) {
			start = x;
			face = f->face;
		} else if (pending_space) {
			ev_buf_putc(text, ' ');
		}
		pending_space = false;
		ev_buf_append(text, f->s, f->len);
		x += it->width;
	}
	if (ln->hyphen && ln->end < P->ni && P->items[ln->end].width > 0) {
		if (!text->len)
			start = x;
		ev_buf_putc(text, '-');
	}
	if (text->len)
		rc |= ev_display_text_spaced(L->dl, L->page, start, y, face, P->size,
		                             text->data, text->len, ws);
	if (L->st && ln->hyphen)
		L->st->hyphens++;
	if (L->st && ln->loose && P->justify && !last)
		L->st->ragged++;
	rc |= text->failed ? -1 : 0;
	return rc ? -1 : 0;
}

/* ---- rows and pages ---- */

static row *add_row(lay *L)
{
	L->rows = grow_arr(L->dl->arena, L->rows, L->nrows, &L->cap_rows, sizeof *L->rows);
	if (!L->rows)
		return NULL;
	row *r = &L->rows[L->nrows++];
	memset(r, 0, sizeof *r);
	return r;
}

static double block_size(const ev_block *b)
{
	if (b->kind != EV_BLOCK_HEADING)
		return BODY_SIZE;
	return b->level == 1 ? 14.0 : b->level == 2 ? 12.5 : BODY_SIZE;
}

/* The rows of one block: no orphan (its first line alone at a page's foot)
 * and no widow (its last line alone at the top of the next): the first
 * line keeps with the second, the last but one with the last. */
static int block_rows(lay *L, const ev_doc *doc, size_t i, size_t *used)
{
	*used = 1;
	const ev_block *b = &doc->blocks[i];
	if (b->kind == EV_BLOCK_PAGEBREAK) {
		row *r = add_row(L);
		if (!r)
			return -1;
		r->page_break = true;
		return 0;
	}
	double size = block_size(b), lead = size * BODY_LEAD / BODY_SIZE;
	double indent = 0, right = 0, gap = PARA_GAP;
	if (b->kind == EV_BLOCK_ITEM)
		indent = EV_MM(6.0) * b->level;
	else if (b->kind == EV_BLOCK_QUOTE)
		indent = right = EV_MM(10.0);
	else if (b->kind == EV_BLOCK_LINE)
		indent = EV_MM(5.0);
	if ((b->kind == EV_BLOCK_LINE || (b->kind == EV_BLOCK_ITEM && !b->marker)) &&
	    i > 0 && doc->blocks[i - 1].kind == b->kind)
		gap = b->kind == EV_BLOCK_LINE ? 0 : PARA_GAP / 2;
	if (b->kind == EV_BLOCK_ITEM && b->marker && i > 0 &&
	    doc->blocks[i - 1].kind == EV_BLOCK_ITEM)
		gap = PARA_GAP / 2;
	if (b->kind == EV_BLOCK_HEADING)
		gap = PARA_GAP * 1.5;
	const char *lang = b->lang ? b->lang : L->in->lang ? L->in->lang : "en";
	bool justify = L->in->justify && b->kind != EV_BLOCK_HEADING && b->kind != EV_BLOCK_LINE;
	double measure = L->right - L->left;

	/* A long signatories list goes in two columns, the first half left. */
	size_t run = 0;
	if (b->kind == EV_BLOCK_LINE && (i == 0 || doc->blocks[i - 1].kind != EV_BLOCK_LINE))
		while (i + run < doc->nblocks && doc->blocks[i + run].kind == EV_BLOCK_LINE)
			run++;
	if (run >= TWO_COLUMNS) {
		double colw = (measure - indent - EV_MM(6.0)) / 2;
		para *space = ev_arena_alloc(L->dl->arena, run * sizeof *space);
		const para **cols = ev_arena_alloc(L->dl->arena, run * sizeof *cols);
		if (!space || !cols)
			return -1;
		size_t total = 0;
		for (size_t k = 0; k < run; k++) {
			int rc = set_para(L, &space[k], &doc->blocks[i + k], colw, size, false,
			                  lang, &cols[k]);
			if (rc)
				return rc;
			total += cols[k]->nlines;
		}
		/* The left column takes names until it holds half the lines. */
		size_t half = 0, nl[2] = {0, 0};
		while (half < run && 2 * (nl[0] + cols[half]->nlines) <= total + 1)
			nl[0] += cols[half++]->nlines;
		nl[1] = total - nl[0];
		size_t n = nl[0] > nl[1] ? nl[0] : nl[1];
		size_t start = L->nrows;
		for (size_t k = 0; k < n; k++)
			if (!add_row(L))
				return -1;
		for (int c = 0; c < 2; c++) {
			size_t r = start;
			for (size_t k = c ? half : 0; k < (c ? run : half); k++)
				for (size_t l = 0; l < cols[k]->nlines; l++, r++) {
					L->rows[r].cell[c] = cols[k];
					L->rows[r].line[c] = l;
					L->rows[r].x[c] = L->left + indent + (c ? colw + EV_MM(6.0) : 0);
				}
		}
		for (size_t k = start; k < L->nrows; k++) {
			L->rows[k].lead = lead;
			L->rows[k].gap = k == start ? PARA_GAP : 0;
			L->rows[k].keep = k + 1 < L->nrows && (k == start || k + 2 == L->nrows);
		}
		for (size_t k = start; k < L->nrows; k++) {
			L->rows[k].short_block = true;
			L->rows[k].lang = lang;
		}
		*used = run;
		return 0;
	}
	para *space = ev_arena_alloc(L->dl->arena, sizeof *space);
	const para *P;
	if (!space)
		return -1;
	int rc = set_para(L, space, b, measure - indent - right, size, justify, lang, &P);
	if (rc)
		return rc;
	size_t n = P->nlines;
	for (size_t l = 0; l < n; l++) {
		row *r = add_row(L);
		if (!r)
			return -1;
		r->cell[0] = P;
		r->line[0] = l;
		r->x[0] = L->left + indent;
		r->marker = l == 0 && b->kind == EV_BLOCK_ITEM ? b->marker : NULL;
		r->gap = l == 0 ? gap : 0;
		r->lead = lead;
		r->keep = b->kind == EV_BLOCK_HEADING || (l == 0 && n > 1) ||
		          (l + 2 == n);
		r->short_block = n == 1 || b->kind == EV_BLOCK_LINE;
		r->lang = lang;
	}
	return 0;
}

/* The closing (the last short paragraphs: "Yours respectfully,", the
 * names) stays on one page with the last two lines of the text before it;
 * so does each part of a letter that ends at a page break. */
static void keep_closing(lay *L)
{
	size_t end = L->nrows;
	while (end > 0) {
		size_t part = end;
		while (part > 0 && !L->rows[part - 1].page_break)
			part--;
		/* Rows [part, end) are one part; its closing is the run of short
		 * blocks at its end. */
		size_t k = end;
		while (k > part && L->rows[k - 1].short_block)
			k--;
		if (k < end && k > part) {
			size_t from = k >= part + 2 ? k - 2 : part;
			for (size_t i = from; i + 1 < end; i++)
				L->rows[i].keep = true;
		}
		end = part ? part - 1 : 0;
	}
}

static int draw_cells(lay *L, const row *r, double y);

static int new_page(lay *L)
{
	if (L->dl->npages - L->first_page >= MAX_PAGES) {
		L->reason = ev_arena_printf(L->dl->arena, "the letter would need more "
		                            "than %d pages", MAX_PAGES);
		return L->reason ? 1 : -1;
	}
	L->page = ev_display_add_page(L->dl, L->pw, L->ph);
	return L->page ? 0 : -1;
}

/* A row of the template's own text is marked shared: set the same in
 * every letter where it stands, so a writer may encode it once. */
static int draw_row(lay *L, const row *r, double y)
{
	size_t from = L->page->n;
	int rc = draw_cells(L, r, y);
	if (rc == 0 && (!r->cell[0] || r->cell[0]->shared) &&
	    (!r->cell[1] || r->cell[1]->shared))
		ev_display_share(L->page, from);
	return rc;
}

static int draw_cells(lay *L, const row *r, double y)
{
	if (r->marker && ev_display_text(L->dl, L->page, r->x[0] - EV_MM(5.0), y,
	                                 EV_FACE_REGULAR, r->cell[0]->size,
	                                 r->marker, strlen(r->marker)) < 0)
		return -1;
	for (int c = 0; c < 2; c++)
		if (r->cell[c] && draw_line(L, r->cell[c], r->line[c], r->x[c], y) < 0)
			return -1;
	return 0;
}

/* Fill pages with rows. When a row does not fit, the page ends after the
 * last row that does not keep with its next; when the whole page is one
 * chain of kept rows, it ends where it is full. */
static int paginate(lay *L, double first_top)
{
	size_t *on = ev_arena_alloc(L->dl->arena, (L->nrows + 1) * sizeof *on);
	double *at = ev_arena_alloc(L->dl->arena, (L->nrows + 1) * sizeof *at);
	if (!on || !at)
		return -1;
	size_t i = 0, start = 0, page = 0;
	double y = first_top;
	while (i < L->nrows) {
		const row *r = &L->rows[i];
		if (r->page_break) {
			/* A page break on a page with nothing on it yet is no break,
			 * except on the first page, which has the address. */
			if (i > start || page == 0) {
				page++;
				y = TOP_NEXT - BODY_LEAD;
			}
			at[i] = -1;
			start = ++i;
			continue;
		}
		double g = i == start ? 0 : r->gap;
		if (i == start || y + g + r->lead <= L->bottom + 0.01) {
			y += g + r->lead;
			on[i] = page;
			at[i] = y;
			i++;
			continue;
		}
		size_t b = i;
		while (b > start && L->rows[b - 1].keep)
			b--;
		if (b == start)
			b = i;
		page++;
		y = TOP_NEXT - BODY_LEAD;
		i = start = b;
	}
	size_t base = L->first_page;
	L->page_lang = ev_arena_alloc(L->dl->arena, (MAX_PAGES + 1) * sizeof *L->page_lang);
	if (!L->page_lang)
		return -1;
	memset(L->page_lang, 0, (MAX_PAGES + 1) * sizeof *L->page_lang);
	for (size_t k = 0; k < L->nrows; k++) {
		if (at[k] < 0)
			continue;
		while (L->dl->npages - base <= on[k]) {
			int rc = new_page(L);
			if (rc)
				return rc;
		}
		L->page = &L->dl->pages[base + on[k]];
		if (on[k] <= MAX_PAGES && !L->page_lang[on[k]])
			L->page_lang[on[k]] = L->rows[k].lang;
		if (draw_row(L, &L->rows[k], at[k]) < 0)
			return -1;
	}
	return 0;
}

/* The date for the running head of a page in lang: as the letter writes
 * it on the pages of its own language (as its first page shows it), by the
 * date filter on a translation's pages ("2 июня 2025 г."). NULL when out of
 * memory. */
static const char *page_date(lay *L, const char *lang)
{
	const char *date = L->in->date ? L->in->date : "";
	const char *own = L->in->lang ? L->in->lang : "en";
	if (!*date || !lang || !strcmp(lang, own))
		return date;
	char *s = ev_text_filter(EV_FILTER_DATE, lang, date);
	const char *res = s ? ev_arena_strdup(L->dl->arena, s) : NULL;
	free(s);
	return res;
}

/* The running head on each page after the first: the recipient's name and
 * the date on the left, "Page N of M" on the right, in the page's
 * language. */
static int page_heads(lay *L)
{
	size_t total = L->dl->npages - L->first_page;
	for (size_t i = 1; i < total; i++) {
		ev_page *pg = &L->dl->pages[L->first_page + i];
		char s[96];
		/* In the language of the page: a translation's pages say "Страница
		 * 3 из 4", not "Page 3 of 4". */
		const char *lang = i <= MAX_PAGES && L->page_lang && L->page_lang[i]
		                   ? L->page_lang[i] : L->in->lang;
		size_t n = ev_page_of(s, sizeof s, lang, i + 1, total);
		double w = text_width(L, EV_FACE_REGULAR, 9.0, s, n);
		if (ev_display_text(L->dl, pg, L->right - w, HEAD_Y, EV_FACE_REGULAR,
		                    9.0, s, n) < 0)
			return -1;
		const char *date = page_date(L, lang);
		const char *name = L->in->running_name ? L->in->running_name : "";
		const char *head = *name && date && *date
		                   ? ev_arena_printf(L->dl->arena, "%s · %s", name, date) : name;
		if (!date || !head)
			return -1;
		if (*head) {
			size_t hn = strlen(head);
			double size = 9.0;
			double room = L->right - L->left - w - EV_MM(10.0);
			while (size > 6.0 && text_width(L, EV_FACE_REGULAR, size, head, hn) > room)
				size -= 0.5;
			/* A head that does not fit even so is left out: it only
			 * repeats what the first page says. */
			if (text_width(L, EV_FACE_REGULAR, size, head, hn) <= room &&
			    ev_display_text(L->dl, pg, L->left, HEAD_Y, EV_FACE_REGULAR,
			                    size, head, hn) < 0)
				return -1;
		}
		if (ev_display_line(L->dl, pg, L->left, HEAD_Y + 4.0, L->right,
		                    HEAD_Y + 4.0, 0.3) < 0)
			return -1;
	}
	return 0;
}

int ev_layout_letter(const ev_letter_in *in, const ev_metrics *m,
                     ev_display *dl, const char **reason, ev_layout_stats *st)
{
	const ev_preset *ps = in->preset ? in->preset : ev_preset_default();
	const ev_paper *paper = in->paper ? in->paper : ev_paper_default();
	lay L = {.m = m, .in = in, .dl = dl, .first_page = dl->npages, .st = st,
	         .pw = EV_MM(paper->w), .ph = EV_MM(paper->h)};
	ev_buf own = {0};
	L.text = in->memo ? &in->memo->text : &own;
	L.left = EV_MM(LEFT_MM);
	L.right = L.pw - EV_MM(RIGHT_MM);
	L.bottom = L.ph - EV_MM(BOTTOM_MM);
	if (st)
		*st = (ev_layout_stats){.worst_space = 1.0};
	*reason = NULL;
	L.page = ev_display_add_page(dl, L.pw, L.ph);
	if (!L.page)
		return -1;
	int rc = letterhead(&L, ps);
	if (!rc)
		ev_display_share(L.page, 0);
	if (!rc)
		rc = address_block(&L, ps);
	if (!rc)
		rc = return_and_info(&L, ps);
	/* The subject is a bold paragraph of its own, a blank line after it. */
	ev_run subj = {.face = EV_FACE_BOLD, .text = in->subject, .field = -1,
	               .len = in->subject ? strlen(in->subject) : 0, .source = "subject"};
	ev_block sb = {.kind = EV_BLOCK_HEADING, .level = 4, .runs = &subj, .nruns = 1};
	ev_doc subject = {.blocks = &sb, .nblocks = 1};
	size_t used, body_start = 0;
	if (!rc && subj.len) {
		rc = block_rows(&L, &subject, 0, &used);
		body_start = L.nrows;
	}
	for (size_t i = 0; !rc && i < in->body->nblocks; i += used)
		rc = block_rows(&L, in->body, i, &used);
	/* A blank line between the subject and the text. */
	if (!rc && body_start && body_start < L.nrows)
		L.rows[body_start].gap = BODY_LEAD;
	if (!rc) {
		keep_closing(&L);
		rc = paginate(&L, EV_MM(ps->body_top) - BODY_LEAD);
	}
	if (!rc)
		rc = page_heads(&L);
	if (st)
		st->pages = dl->npages - L.first_page;
	if (rc == 1)
		*reason = L.reason;
	ev_buf_free(&own);
	return rc;
}
