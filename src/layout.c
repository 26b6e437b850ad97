/* layout.c - a letter on A4 after DIN 5008 form B: letterhead, fold and hole
 * marks, return line and address inside the window field, reference and
 * date beside it, subject, then the body wrapped to the measure (greedy,
 * ragged right) over as many pages as it needs, numbered from page 2. */
#include "layout.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "text.h"

#define PAGE_W 595.2756
#define PAGE_H 841.8898
#define LEFT EV_MM(25.0)
#define RIGHT (PAGE_W - EV_MM(20.0))
#define MEASURE (RIGHT - LEFT)
#define BOTTOM (PAGE_H - EV_MM(22.0))  /* lowest baseline of body text */
#define BODY_SIZE 11.0
#define BODY_LEAD 14.0
#define PARA_GAP 7.0
/* The address field (Anschriftfeld) of form B and its two zones. */
#define FIELD_X EV_MM(20.0)
#define FIELD_TEXT_X EV_MM(25.0)
#define FIELD_RIGHT EV_MM(105.0)
#define RETURN_BASELINE EV_MM(61.0)
#define ADDRESS_TOP EV_MM(62.7)
#define ADDRESS_BOTTOM EV_MM(90.0)
#define ADDRESS_MAX_SIZE 10.0
#define ADDRESS_MIN_SIZE 8.0

typedef struct lay {
	const ev_metrics *m;
	ev_display *dl;
	ev_page *page;
	double y;              /* baseline of the last line set on this page */
	size_t first_page;     /* index of this letter's first page in dl */
	const char *reason;
} lay;

/* ---- checks ---- */

static int check_glyphs(lay *L, ev_face face, const char *s, size_t len,
                        const char *what)
{
	uint32_t cp = ev_missing_glyph(L->m, face, s, len);
	if (!cp)
		return 0;
	char ch[5] = {0};
	ev_utf8_encode(cp, ch);
	L->reason = ev_arena_printf(L->dl->arena,
	        "the character U+%04X '%s' in %s is not in the font, so it "
	        "cannot be printed", (unsigned)cp, ch, what);
	return L->reason ? 1 : -1;
}

/* ---- the first page's fixed parts ---- */

static int text_right(lay *L, double right, double y, ev_face f, double size,
                      const char *s)
{
	size_t n = strlen(s);
	double w = ev_text_width(L->m, f, size, s, n);
	return ev_display_text(L->dl, L->page, right - w, y, f, size, s, n);
}

static int letterhead(lay *L, const ev_letter_in *in)
{
	double y = EV_MM(20.0);
	for (size_t i = 0; i < in->nsender; i++) {
		ev_face f = i == 0 ? EV_FACE_BOLD : EV_FACE_REGULAR;
		double size = i == 0 ? 10.0 : 9.0;
		int rc = check_glyphs(L, f, in->sender[i], strlen(in->sender[i]),
		                      "the sender");
		if (rc)
			return rc;
		if (text_right(L, RIGHT, y, f, size, in->sender[i]) < 0)
			return -1;
		y += i == 0 ? 13.0 : 11.0;
	}
	/* Fold marks at 105 and 210 mm, hole mark at 148.5 mm (form B). */
	int rc = ev_display_line(L->dl, L->page, EV_MM(4), EV_MM(105), EV_MM(9), EV_MM(105), 0.5);
	rc |= ev_display_line(L->dl, L->page, EV_MM(4), EV_MM(210), EV_MM(9), EV_MM(210), 0.5);
	rc |= ev_display_line(L->dl, L->page, EV_MM(4), EV_MM(148.5), EV_MM(11), EV_MM(148.5), 0.5);
	return rc ? -1 : 0;
}

int ev_layout_address_fit(const char *const *lines, size_t n,
                          const ev_metrics *m, double *size,
                          char *why, size_t cap)
{
	double width = FIELD_RIGHT - FIELD_TEXT_X;
	why[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		uint32_t cp = ev_missing_glyph(m, EV_FACE_REGULAR, lines[i], strlen(lines[i]));
		if (cp) {
			char ch[5] = {0};
			ev_utf8_encode(cp, ch);
			snprintf(why, cap, "the character U+%04X '%s' in the address is not "
			         "in the font, so it cannot be printed", (unsigned)cp, ch);
			return 1;
		}
	}
	for (double sz = ADDRESS_MAX_SIZE; sz >= ADDRESS_MIN_SIZE; sz -= 0.5) {
		double lead = sz * 1.2, first = ADDRESS_TOP + sz * 0.8;
		bool fits = first + lead * (double)(n - 1) + sz * 0.25 <= ADDRESS_BOTTOM;
		for (size_t i = 0; fits && i < n; i++)
			fits = ev_text_width(m, EV_FACE_REGULAR, sz, lines[i],
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
		double w = ev_text_width(m, EV_FACE_REGULAR, ADDRESS_MIN_SIZE,
		                         lines[i], strlen(lines[i]));
		if (w > wmax)
			wmax = w, widest = i;
	}
	if (wmax > width)
		snprintf(why, cap, "the address line '%s' is %d mm wide even at 8 pt; "
		         "the envelope window allows %d mm", lines[widest],
		         (int)(wmax * 25.4 / 72 + 0.5), (int)(width * 25.4 / 72));
	else
		snprintf(why, cap, "the address has %zu lines; at most 6 fit the "
		         "envelope window", n);
	return 1;
}

/* The address in the window: 10 pt, stepping down to 8 pt when a line is
 * too wide or there are too many lines; below that the letter is not made. */
static int address_block(lay *L, const ev_letter_in *in)
{
	double size;
	char why[600];
	if (ev_layout_address_fit(in->address, in->naddress, L->m, &size, why,
	                          sizeof why)) {
		L->reason = ev_arena_strdup(L->dl->arena, why);
		return L->reason ? 1 : -1;
	}
	double lead = size * 1.2, first = ADDRESS_TOP + size * 0.8;
	for (size_t i = 0; i < in->naddress; i++)
		if (ev_display_text(L->dl, L->page, FIELD_TEXT_X, first + lead * (double)i,
		                    EV_FACE_REGULAR, size, in->address[i],
		                    strlen(in->address[i])) < 0)
			return -1;
	return 0;
}

static int return_and_info(lay *L, const ev_letter_in *in)
{
	if (in->return_line && *in->return_line) {
		size_t n = strlen(in->return_line);
		int rc = check_glyphs(L, EV_FACE_REGULAR, in->return_line, n,
		                      "the return address");
		if (rc)
			return rc;
		double size = 7.0, width = FIELD_RIGHT - FIELD_TEXT_X;
		while (size > 5.0 && ev_text_width(L->m, EV_FACE_REGULAR, size, in->return_line, n) > width)
			size -= 0.5;
		if (ev_display_text(L->dl, L->page, FIELD_TEXT_X, RETURN_BASELINE,
		                    EV_FACE_REGULAR, size, in->return_line, n) < 0)
			return -1;
		if (ev_display_line(L->dl, L->page, FIELD_TEXT_X, RETURN_BASELINE + 1.5,
		                    FIELD_TEXT_X + ev_text_width(L->m, EV_FACE_REGULAR, size,
		                    in->return_line, n), RETURN_BASELINE + 1.5, 0.3) < 0)
			return -1;
	}
	/* Reference and date in the information block right of the window. */
	double y = EV_MM(66.0);
	const char *lines[2] = {in->reference, in->date};
	for (int i = 0; i < 2; i++) {
		if (!lines[i] || !*lines[i])
			continue;
		int rc = check_glyphs(L, EV_FACE_REGULAR, lines[i], strlen(lines[i]),
		                      i ? "the date" : "the reference");
		if (rc)
			return rc;
		if (text_right(L, RIGHT, y, EV_FACE_REGULAR, 10.0, lines[i]) < 0)
			return -1;
		y += 13.0;
	}
	return 0;
}

/* ---- the body: words, lines, pages ---- */

typedef struct piece {
	ev_face face;
	const char *s;
	size_t len;
	double w;
} piece;

typedef struct word {
	size_t first, n;   /* pieces */
	double w;
	bool hard;         /* a forced line break before this word */
} word;

typedef struct para {
	piece *p;
	size_t np, cap_p;
	word *w;
	size_t nw, cap_w;
	size_t *line_start;   /* first word of each line, plus nw at the end */
	size_t nlines;
} para;

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

static int add_piece(lay *L, para *P, ev_face f, const char *s, size_t n,
                     double size, bool new_word, bool hard)
{
	P->p = grow_arr(L->dl->arena, P->p, P->np, &P->cap_p, sizeof *P->p);
	if (!P->p)
		return -1;
	double w = ev_text_width(L->m, f, size, s, n);
	P->p[P->np] = (piece){.face = f, .s = s, .len = n, .w = w};
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

/* Split runs into pieces at spaces; pieces with no space between them form
 * one word (e.g. a field value and the comma after it). */
static int split_runs(lay *L, const ev_block *b, double size, para *P)
{
	bool space = true;
	for (size_t r = 0; r < b->nruns; r++) {
		const ev_run *run = &b->runs[r];
		const char *what = run->source
		        ? ev_arena_printf(L->dl->arena, "the field '%s'", run->source)
		        : ev_arena_printf(L->dl->arena, "the letter text (line %ld)", b->line);
		int rc = what ? check_glyphs(L, run->face, run->text, run->len, what) : -1;
		if (rc)
			return rc;
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
			if (add_piece(L, P, run->face, s, (size_t)(e - s), size, space, hard) < 0)
				return -1;
			space = hard = false;
			s = e;
		}
		if (hard && s == end)
			space = true;
	}
	return 0;
}

/* Greedy line breaking: as many words as fit the width on each line. A
 * word wider than a whole line gets a line of its own and is cut between
 * characters, so nothing ever runs past the margin. */
static int break_lines(lay *L, para *P, double width, double space)
{
	P->line_start = ev_arena_alloc(L->dl->arena, (P->nw + 1) * sizeof(size_t));
	if (!P->line_start)
		return -1;
	P->nlines = 0;
	double x = 0;
	for (size_t i = 0; i < P->nw; i++) {
		bool start = P->nlines == 0 || P->w[i].hard ||
		             x + space + P->w[i].w > width;
		if (start) {
			P->line_start[P->nlines++] = i;
			x = P->w[i].w;
		} else {
			x += space + P->w[i].w;
		}
	}
	P->line_start[P->nlines] = P->nw;
	return 0;
}

static int cut_wide_words(lay *L, para *P, double width, double size)
{
	for (size_t i = 0; i < P->nw; i++) {
		word *w = &P->w[i];
		if (w->w <= width || w->n != 1)
			continue;
		/* Cut the single piece at the last character that fits. */
		piece *pc = &P->p[w->first];
		size_t cut = 0;
		for (size_t k = 0; k < pc->len;) {
			uint32_t cp;
			size_t step = ev_utf8_decode(pc->s + k, pc->len - k, &cp);
			if (!step)
				step = 1;
			if (ev_text_width(L->m, pc->face, size, pc->s, k + step) > width)
				break;
			k += step;
			cut = k;
		}
		if (cut == 0 || cut == pc->len)
			continue;
		/* Insert the rest as a new word right after this one. */
		P->p = grow_arr(L->dl->arena, P->p, P->np, &P->cap_p, sizeof *P->p);
		P->w = grow_arr(L->dl->arena, P->w, P->nw, &P->cap_w, sizeof *P->w);
		if (!P->p || !P->w)
			return -1;
		pc = &P->p[P->w[i].first];
		piece rest = {.face = pc->face, .s = pc->s + cut, .len = pc->len - cut};
		rest.w = ev_text_width(L->m, rest.face, size, rest.s, rest.len);
		pc->len = cut;
		pc->w = ev_text_width(L->m, pc->face, size, pc->s, cut);
		P->w[i].w = pc->w;
		P->p[P->np] = rest;
		memmove(&P->w[i + 2], &P->w[i + 1], (P->nw - i - 1) * sizeof *P->w);
		P->w[i + 1] = (word){.first = P->np, .n = 1, .w = rest.w, .hard = true};
		P->np++;
		P->nw++;
	}
	return 0;
}

/* Draw line `li` of P at (x, y): consecutive pieces of one face become one
 * text item, spaces included, so a reader extracts whole sentences. */
static int draw_line(lay *L, const para *P, size_t li, double x, double y,
                     double size, double space)
{
	ev_buf text = {0};
	ev_face face = EV_FACE_REGULAR;
	double start = x;
	int rc = 0;
	for (size_t wi = P->line_start[li]; wi < P->line_start[li + 1]; wi++) {
		const word *w = &P->w[wi];
		for (size_t k = 0; k < w->n; k++) {
			const piece *pc = &P->p[w->first + k];
			bool sp = k == 0 && wi > P->line_start[li];
			if (text.len && pc->face != face) {
				rc |= ev_display_text(L->dl, L->page, start, y, face, size, text.data, text.len);
				ev_buf_reset(&text);
			}
			if (!text.len) {
				start = x + (sp ? space : 0);
				face = pc->face;
			} else if (sp) {
				ev_buf_putc(&text, ' ');
			}
			ev_buf_append(&text, pc->s, pc->len);
			x += (sp ? space : 0) + pc->w;
		}
	}
	if (text.len)
		rc |= ev_display_text(L->dl, L->page, start, y, face, size, text.data, text.len);
	rc |= text.failed ? -1 : 0;
	ev_buf_free(&text);
	return rc ? -1 : 0;
}

#define TOP_NEXT EV_MM(25.0)   /* first baseline on pages after the first */

static int new_page(lay *L)
{
	L->page = ev_display_add_page(L->dl, PAGE_W, PAGE_H);
	if (!L->page)
		return -1;
	L->y = TOP_NEXT - BODY_LEAD;   /* "the line before the first" */
	return 0;
}

/* How many lines of height lead fit below y (after gap) on this page. */
static size_t lines_fitting(const lay *L, double gap, double lead)
{
	double y = L->y + gap;
	size_t k = 0;
	while (y + lead * (double)(k + 1) <= BOTTOM + 0.01)
		k++;
	return k;
}

/* Place a paragraph's lines, with no orphan (a first line alone at the
 * foot of a page) and no widow (a last line alone at the top of the next);
 * `keep` more lines of what follows must fit after it (headings). */
static int place(lay *L, const para *P, double x, double gap, double size,
                 double lead, double space, size_t keep, const char *marker)
{
	size_t n = P->nlines, done = 0;
	bool top = L->y <= TOP_NEXT - BODY_LEAD + 0.01 && L->page != &L->dl->pages[L->first_page];
	double g = top ? 0 : gap;
	size_t k = lines_fitting(L, g, lead);
	if (!top && (k < n + keep) && (k < 2 || n <= 2 || keep)) {
		if (new_page(L) < 0)
			return -1;
		g = 0;
		k = lines_fitting(L, g, lead);
	} else if (!top && k < n && n - k == 1) {
		k--;      /* leave two lines for the next page: no widow */
	}
	L->y += g;
	while (done < n) {
		if (k == 0) {
			if (new_page(L) < 0)
				return -1;
			k = lines_fitting(L, 0, lead);
			if (n - done - k == 1 && k > 2)
				k--;
		}
		L->y += lead;
		if (done == 0 && marker &&
		    ev_display_text(L->dl, L->page, x - EV_MM(5.0), L->y, EV_FACE_REGULAR,
		                    size, marker, strlen(marker)) < 0)
			return -1;
		if (draw_line(L, P, done, x, L->y, size, space) < 0)
			return -1;
		done++;
		k--;
	}
	return 0;
}

static double block_size(const ev_block *b)
{
	if (b->kind != EV_BLOCK_HEADING)
		return BODY_SIZE;
	return b->level == 1 ? 14.0 : b->level == 2 ? 12.5 : BODY_SIZE;
}

static int body_block(lay *L, const ev_doc *doc, size_t i)
{
	const ev_block *b = &doc->blocks[i];
	if (b->kind == EV_BLOCK_PAGEBREAK)
		return new_page(L);
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
	para P = {0};
	double space = ev_text_width(L->m, EV_FACE_REGULAR, size, " ", 1);
	double width = MEASURE - indent - right;
	int rc = split_runs(L, b, size, &P);
	if (rc)
		return rc;
	if (!P.nw)
		return 0;
	if (cut_wide_words(L, &P, width, size) < 0 || break_lines(L, &P, width, space) < 0)
		return -1;
	size_t keep = b->kind == EV_BLOCK_HEADING ? 2 : 0;
	return place(L, &P, LEFT + indent, gap, size, lead, space, keep,
	             b->kind == EV_BLOCK_ITEM ? b->marker : NULL);
}

static int page_numbers(lay *L)
{
	size_t total = L->dl->npages - L->first_page;
	for (size_t i = 1; i < total; i++) {
		ev_page *pg = &L->dl->pages[L->first_page + i];
		char s[64];
		int n = snprintf(s, sizeof s, "Page %zu of %zu", i + 1, total);
		double w = ev_text_width(L->m, EV_FACE_REGULAR, 9.0, s, (size_t)n);
		if (ev_display_text(L->dl, pg, (PAGE_W - w) / 2, EV_MM(12.0),
		                    EV_FACE_REGULAR, 9.0, s, (size_t)n) < 0)
			return -1;
	}
	return 0;
}

int ev_layout_letter(const ev_letter_in *in, const ev_metrics *m,
                     ev_display *dl, const char **reason)
{
	lay L = {.m = m, .dl = dl, .first_page = dl->npages};
	*reason = NULL;
	L.page = ev_display_add_page(dl, PAGE_W, PAGE_H);
	if (!L.page)
		return -1;
	int rc = letterhead(&L, in);
	if (!rc)
		rc = address_block(&L, in);
	if (!rc)
		rc = return_and_info(&L, in);
	L.y = EV_MM(100.0) - BODY_LEAD;
	if (!rc && in->subject && *in->subject) {
		/* The subject is a bold paragraph of its own, then a blank line. */
		ev_run r = {.face = EV_FACE_BOLD, .text = in->subject, .field = -1,
		            .len = strlen(in->subject), .source = "subject"};
		ev_block b = {.kind = EV_BLOCK_PARA, .runs = &r, .nruns = 1};
		ev_doc subject = {.blocks = &b, .nblocks = 1};
		L.y -= PARA_GAP;
		rc = body_block(&L, &subject, 0);
		L.y += BODY_LEAD - PARA_GAP;
	}
	for (size_t i = 0; !rc && i < in->body->nblocks; i++)
		rc = body_block(&L, in->body, i);
	if (!rc)
		rc = page_numbers(&L);
	if (rc == 1)
		*reason = L.reason;
	return rc;
}
