/* postinglist.c - the posting list laid out a page at a time: a header, a
 * table of two-line rows (one a piece), the page's total and the total
 * carried forward at its foot, and on the last page the grand total and the
 * lines the sender signs and the counter stamps. Which piece falls on which
 * page is planned from the count the head announces, so page 1 can say
 * "of 14". Pure. */
#include "postinglist.h"

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* ---- the words, per language ---- */

enum { COL_NO, COL_LETTER, COL_NAME, COL_COUNTRY, COL_PRODUCT, COL_WEIGHT,
       COL_POSTAGE, COL_TRACK, NCOL };

typedef struct words {
	const char *title, *page, *of;
	const char *sender, *operator_name, *number, *date;
	const char *head[NCOL][2];   /* column headings, two lines (the
	                                postage column's second is the currency) */
	const char *service[EV_SERVICE_COUNT];
	const char *page_total, *carried, *grand;
	const char *no_one, *no_many;        /* before one number, a range */
	const char *piece, *pieces;
	const char *posted, *postage;        /* the statement above the signatures */
	const char *sign_sender, *sign_post;
} words;

static const words german = {
	.title = "Einlieferungsliste", .page = "Seite", .of = "von",
	.sender = "Einlieferer:", .operator_name = "Postdienstleister:",
	.number = "Listen-Nr.:", .date = "Einlieferungsdatum:",
	.head = {{"Nr.", ""}, {"Brief", "ID"},
	         {"Empfänger", "in lateinischer Schrift"}, {"Land", ""},
	         {"Produkt", "Versandart"}, {"Gewicht", "g"}, {"Porto", NULL},
	         {"Sendungsnummer", ""}},
	.service = {"Standard", "Einschreiben"},
	.page_total = "Summe dieser Seite", .carried = "Übertrag",
	.grand = "Gesamtsumme", .no_one = "Nr.", .no_many = "Nr.",
	.piece = "Sendung", .pieces = "Sendungen",
	.posted = "Eingeliefert:", .postage = "Porto",
	.sign_sender = "Datum, Unterschrift Einlieferer",
	.sign_post = "Annahmevermerk der Post",
};

static const words english = {
	.title = "Posting list", .page = "Page", .of = "of",
	.sender = "Sender:", .operator_name = "Postal operator:",
	.number = "List no.:", .date = "Posting date:",
	.head = {{"No.", ""}, {"Letter", "ID"},
	         {"Recipient", "in Latin script"}, {"Country", ""},
	         {"Format", "Service"}, {"Weight", "g"}, {"Postage", NULL},
	         {"Tracking number", ""}},
	.service = {"standard", "registered"},
	.page_total = "Page total", .carried = "Carried forward",
	.grand = "Grand total", .no_one = "no.", .no_many = "nos.",
	.piece = "piece", .pieces = "pieces",
	.posted = "Posted:", .postage = "postage",
	.sign_sender = "Date, signature of sender",
	.sign_post = "Accepted by (post office stamp)",
};

/* Every character of the words above, of the numbers (digits, the point,
 * the minus of a negative amount), of the punctuation put between them
 * (space, parentheses, colon, comma, en dash, the ellipsis of cut text)
 * and of the currency codes of the posting countries (EUR, GBP, CHF): each
 * once. tests/unit/test-postinglist.c checks both ways that this is exactly
 * what the list prints. */
static const char german_chars[] =
	" (),-.0123456789:ABCDEFGHILNPRSUVabcdefghiklmnoprstuvwÜä–…";
static const char english_chars[] =
	" (),-.0123456789:ABCDEFGHILNPRSTUWabcdefghiklmnoprstuvwy–…";

static bool is_german(const char *lang)
{
	return lang && (lang[0] == 'd' || lang[0] == 'D') &&
	       (lang[1] == 'e' || lang[1] == 'E') &&
	       (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_');
}

const char *ev_posting_list_chars(const char *lang)
{
	return is_german(lang) ? german_chars : english_chars;
}

/* ---- geometry (points; y down) ---- */

#define MARGIN EV_MM(15.0)
#define TITLE_SIZE 16.0
#define INFO_SIZE 9.0
#define LABEL_SIZE 8.0
#define HEAD_SIZE 7.5
#define HEAD2_SIZE 6.5
#define TEXT_SIZE 8.5
#define SMALL_SIZE 7.0
#define TOTAL_SIZE 8.0
#define STATEMENT_SIZE 10.0
#define CAPTION_SIZE 7.5
/* Text is set smaller down to this size before it is cut with "…". */
#define MIN_SIZE 6.0

#define TITLE_BASE EV_MM(6.0)      /* from the top margin */
#define TITLE_RULE EV_MM(9.0)
#define INFO_FIRST EV_MM(4.3)      /* the rule to the first info baseline */
#define INFO_LEAD EV_MM(4.2)
#define INFO_ROWS 3                /* operator, list number, date */
#define INFO_AFTER EV_MM(2.0)      /* the last info row to its rule */
#define TABLE_GAP EV_MM(3.0)       /* that rule to the table */
#define HEAD_ROW EV_MM(8.0)
/* A row: two lines of text, and room to write a 13-character tracking
 * number by hand in its last cell. */
#define ROW EV_MM(7.0)
#define ROW_BASE1 EV_MM(3.05)
#define ROW_BASE2 EV_MM(5.75)
#define TOTAL_ROW EV_MM(6.0)
#define PAD EV_MM(1.2)             /* inside a cell, left and right */
/* The statement, room to sign and stamp, the captions. */
#define STATEMENT_GAP EV_MM(7.0)
#define SIGN_ROOM EV_MM(20.0)
#define SIGN_BLOCK (STATEMENT_GAP + SIGN_ROOM + EV_MM(5.0))

#define FRAME 0.6
#define RULE 0.3

/* Column widths in mm; the recipient takes what the others leave. The
 * tracking number's cell is wide enough for 13 characters by hand. */
static const double col_mm[NCOL] = {9, 12, 0, 18, 22, 14, 14, 35};

/* A field longer than this is cut when it is stored: no cell shows more
 * (480 bytes are at least 120 characters; a 60 mm cell holds about 110 of
 * the narrowest at MIN_SIZE). It bounds the work of cutting text, too. */
#define FIELD_MAX 480

typedef struct pline {
	size_t seq;
	char *id, *name, *latin, *country, *band;
	ev_service service;
	int64_t weight_ug, postage;
} pline;

struct ev_posting_list {
	const ev_metrics *m;
	const words *w;
	ev_arena *keep;          /* the head's strings */
	ev_arena *page_mem;      /* the current page's strings, reset per page */
	char *sender[EV_POSTING_SENDER_MAX];
	size_t nsender;
	char *date, *number, *operator_name, *currency;
	double page_w, page_h;
	double x[NCOL + 1];      /* column edges */
	size_t pieces;           /* announced */
	size_t cap_first, cap_next;     /* lines a page holds, totals below */
	size_t last_first, last_next;   /* ... as the last page, signatures too */
	size_t npages;           /* planned */
	size_t page;             /* the current one, from 0 */
	pline *lines;            /* the current page's */
	size_t n, cap;
	size_t done;             /* lines on the pages laid out */
	int64_t weight_done, postage_done;
	bool finished;
};

/* A copy of s (NULL: "") in a, cut at a character boundary with "…" when
 * longer than FIELD_MAX bytes. NULL when out of memory. */
static char *field(ev_arena *a, const char *s)
{
	if (!s)
		s = "";
	size_t len = strlen(s);
	if (len <= FIELD_MAX)
		return ev_arena_strndup(a, s, len);
	len = FIELD_MAX;
	while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
		len--;
	char *c = ev_arena_alloc(a, len + 4);
	if (c) {
		memcpy(c, s, len);
		memcpy(c + len, "\xE2\x80\xA6", 4);
	}
	return c;
}

/* Where the table starts below the header of the first or a later page. */
static double table_top(const ev_posting_list *pl, bool first)
{
	size_t rows = first && pl->nsender > INFO_ROWS ? pl->nsender : INFO_ROWS;
	return MARGIN + TITLE_RULE + INFO_FIRST + INFO_LEAD * (double)(rows - 1) +
	       INFO_AFTER + TABLE_GAP;
}

/* Rows that fit between the table's heading and its totals (and the
 * signatures, on the last page): at least one, however small the page. */
static size_t rows_fit(const ev_posting_list *pl, bool first, bool last)
{
	double room = pl->page_h - MARGIN - table_top(pl, first) - HEAD_ROW -
	              2 * TOTAL_ROW - (last ? SIGN_BLOCK : 0);
	double rows = floor(room / ROW + 1e-9);
	return rows < 1 ? 1 : (size_t)rows;
}

/* Lines the plan puts on page k of the announced count: the pages full
 * from the front, and the last page never empty (when the last lines do
 * not fit it, the page before gives it one). */
static size_t planned(const ev_posting_list *pl, size_t k)
{
	size_t N = pl->pieces, P = pl->npages;
	if (P == 1)
		return N;
	if (k + 2 < P)
		return k == 0 ? pl->cap_first : pl->cap_next;
	size_t before = P >= 3 ? pl->cap_first + (P - 3) * pl->cap_next : 0;
	size_t R = N - before;
	size_t c = P == 2 ? pl->cap_first : pl->cap_next;
	size_t prev = c < R - 1 ? c : R - 1;
	return k + 2 == P ? prev : R - prev;
}

static void plan(ev_posting_list *pl)
{
	pl->cap_first = rows_fit(pl, true, false);
	pl->cap_next = rows_fit(pl, false, false);
	pl->last_first = rows_fit(pl, true, true);
	pl->last_next = rows_fit(pl, false, true);
	if (pl->last_first > pl->cap_first)
		pl->last_first = pl->cap_first;
	if (pl->last_next > pl->cap_next)
		pl->last_next = pl->cap_next;
	size_t N = pl->pieces;
	if (N <= pl->last_first) {
		pl->npages = 1;
		return;
	}
	/* The first page full, the last as full as it can be, and between
	 * them as few full pages as hold the rest. */
	size_t ends = pl->cap_first + pl->last_next;
	size_t rest = N > ends ? N - ends : 0;
	pl->npages = 2 + (rest + pl->cap_next - 1) / pl->cap_next;
}

static void columns(ev_posting_list *pl)
{
	double fixed = 0;
	for (int c = 0; c < NCOL; c++)
		fixed += EV_MM(col_mm[c]);
	double name = pl->page_w - 2 * MARGIN - fixed;
	pl->x[0] = MARGIN;
	for (int c = 0; c < NCOL; c++)
		pl->x[c + 1] = pl->x[c] + (c == COL_NAME ? name : EV_MM(col_mm[c]));
}

ev_posting_list *ev_posting_list_new(const ev_posting_head *h, const ev_metrics *m)
{
	ev_posting_list *pl = calloc(1, sizeof *pl);
	if (!pl)
		return NULL;
	pl->m = m;
	pl->w = is_german(h->lang) ? &german : &english;
	pl->keep = ev_arena_new();
	pl->page_mem = ev_arena_new();
	if (!pl->keep || !pl->page_mem)
		goto fail;
	pl->nsender = h->nsender < EV_POSTING_SENDER_MAX ? h->nsender
	                                                  : EV_POSTING_SENDER_MAX;
	for (size_t i = 0; i < pl->nsender; i++)
		if (!(pl->sender[i] = field(pl->keep, h->sender[i])))
			goto fail;
	if (!(pl->date = field(pl->keep, h->date)) ||
	    !(pl->number = field(pl->keep, h->number)) ||
	    !(pl->operator_name = field(pl->keep, h->operator_name)) ||
	    !(pl->currency = field(pl->keep, h->currency)))
		goto fail;
	/* A4 when the head names no page. */
	pl->page_w = h->page_w > 0 ? h->page_w : EV_MM(210.0);
	pl->page_h = h->page_h > 0 ? h->page_h : EV_MM(297.0);
	pl->pieces = h->pieces;
	columns(pl);
	plan(pl);
	pl->cap = pl->cap_first > pl->cap_next ? pl->cap_first : pl->cap_next;
	if (!(pl->lines = calloc(pl->cap, sizeof *pl->lines)))
		goto fail;
	return pl;
fail:
	ev_posting_list_free(pl);
	return NULL;
}

void ev_posting_list_free(ev_posting_list *pl)
{
	if (!pl)
		return;
	ev_arena_free(pl->keep);
	ev_arena_free(pl->page_mem);
	free(pl->lines);
	free(pl);
}

size_t ev_posting_list_pages(const ev_posting_list *pl)
{
	return pl->npages;
}

/* ---- drawing ---- */

typedef struct pen {
	const ev_posting_list *pl;
	ev_display *dl;
	ev_page *pg;
} pen;

typedef enum { LEFT, RIGHT } align;

/* s with the last characters replaced by "…" so that it is at most width
 * wide at size, into out (at least FIELD_MAX + 8 bytes); "" when not even
 * "…" fits. A trailing "…" of s (a field cut when stored) is not doubled. */
static size_t ellipsize(const ev_metrics *m, ev_face face, double size,
                        double width, const char *s, size_t len, char *out)
{
	static const char dots[] = "\xE2\x80\xA6";
	size_t off[FIELD_MAX + 8], n = 0;
	if (len > FIELD_MAX + 3)
		len = FIELD_MAX + 3;
	if (len >= 3 && !memcmp(s + len - 3, dots, 3))
		len -= 3;
	for (size_t i = 0; i < len;) {
		off[n++] = i;
		ev_utf8_next(s, len, &i);
	}
	off[n] = len;
	/* The longest prefix that fits with the dots: lo always fits. */
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2, k = off[mid];
		while (k > 0 && s[k - 1] == ' ')
			k--;
		memcpy(out, s, k);
		memcpy(out + k, dots, 3);
		if (ev_text_width(m, face, size, out, k + 3) <= width)
			lo = mid;
		else
			hi = mid - 1;
	}
	size_t k = off[lo];
	while (k > 0 && s[k - 1] == ' ')
		k--;
	memcpy(out, s, k);
	memcpy(out + k, dots, 3);
	if (ev_text_width(m, face, size, out, k + 3) > width)
		return 0;
	return k + 3;
}

/* Draw s between x0 and x1 on baseline y: as it is when it fits, else set
 * smaller down to MIN_SIZE, else cut with "…" at MIN_SIZE. Never past x1. */
static int put(const pen *p, double x0, double x1, double y, ev_face face,
               double size, align a, const char *s)
{
	const ev_metrics *m = p->pl->m;
	size_t len = s ? strlen(s) : 0;
	double width = x1 - x0;
	if (!len || width <= 0)
		return 0;
	double w = ev_text_width(m, face, size, s, len);
	char cut[FIELD_MAX + 8];
	if (w > width) {
		/* Width grows with size in proportion: the size that fits, to a
		 * tenth of a point below. */
		double fit = floor(size * width / w * 10.0) / 10.0;
		size = fit < MIN_SIZE ? MIN_SIZE : fit;
		w = ev_text_width(m, face, size, s, len);
		if (w > width) {
			len = ellipsize(m, face, size, width, s, len, cut);
			if (!len)
				return 0;
			s = cut;
			w = ev_text_width(m, face, size, s, len);
		}
	}
	double x = a == RIGHT ? x1 - w : x0;
	return ev_display_text(p->dl, p->pg, x, y, face, size, s, len);
}

/* In column c, inside its padding. */
static int put_cell(const pen *p, int c, double y, ev_face face, double size,
                    align a, const char *s)
{
	return put(p, p->pl->x[c] + PAD, p->pl->x[c + 1] - PAD, y, face, size, a, s);
}

static double width_of(const ev_posting_list *pl, ev_face face, double size,
                       const char *s)
{
	return ev_text_width(pl->m, face, size, s, strlen(s));
}

/* The title, the page number, the sender (every line on the first page,
 * the name on later ones), the operator, the list number and the date. */
static int draw_header(const pen *p, size_t page, bool first)
{
	const ev_posting_list *pl = p->pl;
	const words *w = pl->w;
	double left = MARGIN, right = pl->page_w - MARGIN;
	char num[128];
	if (page < pl->npages)
		snprintf(num, sizeof num, "%s %zu %s %zu", w->page, page + 1, w->of,
		         pl->npages);
	else
		snprintf(num, sizeof num, "%s %zu", w->page, page + 1);
	double y = MARGIN + TITLE_BASE;
	double numw = width_of(pl, EV_FACE_REGULAR, INFO_SIZE, num);
	if (put(p, left, right - numw - EV_MM(6), y, EV_FACE_BOLD, TITLE_SIZE, LEFT,
	        w->title) < 0 ||
	    put(p, left, right, y, EV_FACE_REGULAR, INFO_SIZE, RIGHT, num) < 0)
		return -1;
	y = MARGIN + TITLE_RULE;
	if (ev_display_line(p->dl, p->pg, left, y, right, y, FRAME) < 0)
		return -1;

	/* Two blocks side by side, each a column of labels and one of values. */
	double mid = left + (right - left) * 0.52;
	double lw = width_of(pl, EV_FACE_BOLD, LABEL_SIZE, w->sender) + EV_MM(2);
	double rw = 0;
	const char *rlabel[INFO_ROWS] = {w->operator_name, w->number, w->date};
	const char *rvalue[INFO_ROWS] = {pl->operator_name, pl->number, pl->date};
	for (int i = 0; i < INFO_ROWS; i++) {
		double t = width_of(pl, EV_FACE_BOLD, LABEL_SIZE, rlabel[i]);
		rw = t > rw ? t : rw;
	}
	rw += EV_MM(2);
	y += INFO_FIRST;
	if (put(p, left, mid - EV_MM(5), y, EV_FACE_BOLD, LABEL_SIZE, LEFT,
	        w->sender) < 0)
		return -1;
	size_t nleft = first ? pl->nsender : pl->nsender > 0;
	for (size_t i = 0; i < nleft; i++)
		if (put(p, left + lw, mid - EV_MM(5), y + INFO_LEAD * (double)i,
		        i ? EV_FACE_REGULAR : EV_FACE_BOLD, INFO_SIZE, LEFT,
		        pl->sender[i]) < 0)
			return -1;
	for (int i = 0; i < INFO_ROWS; i++) {
		double yi = y + INFO_LEAD * i;
		if (put(p, mid, right, yi, EV_FACE_BOLD, LABEL_SIZE, LEFT, rlabel[i]) < 0 ||
		    put(p, mid + rw, right, yi, EV_FACE_REGULAR, INFO_SIZE, LEFT,
		        rvalue[i]) < 0)
			return -1;
	}
	double rule = table_top(pl, first) - TABLE_GAP;
	return ev_display_line(p->dl, p->pg, left, rule, right, rule, RULE);
}

/* The column headings, two lines each. */
static int draw_headings(const pen *p, double top)
{
	const ev_posting_list *pl = p->pl;
	for (int c = 0; c < NCOL; c++) {
		const char *second = pl->w->head[c][1] ? pl->w->head[c][1] : pl->currency;
		align a = c == COL_NO || c == COL_WEIGHT || c == COL_POSTAGE ? RIGHT : LEFT;
		if (put_cell(p, c, top + EV_MM(3.4), EV_FACE_BOLD, HEAD_SIZE, a,
		             pl->w->head[c][0]) < 0 ||
		    put_cell(p, c, top + EV_MM(6.4), EV_FACE_REGULAR, HEAD2_SIZE, a,
		             second) < 0)
			return -1;
	}
	return 0;
}

/* One piece: the running number, the letter's number and ID, the name in
 * Cyrillic over its Latin form, the country, the band over the service,
 * weight and postage; the tracking number's cell stays empty. */
static int draw_row(const pen *p, const pline *l, size_t no, double top)
{
	const ev_posting_list *pl = p->pl;
	double y1 = top + ROW_BASE1, y2 = top + ROW_BASE2;
	char no_s[32], seq[32], weight[48], postage[48];
	snprintf(no_s, sizeof no_s, "%zu", no);
	snprintf(seq, sizeof seq, "%zu", l->seq);
	ev_weight_format(l->weight_ug, weight, sizeof weight);
	ev_money_format(l->postage, postage, sizeof postage);
	const char *service = (unsigned)l->service < EV_SERVICE_COUNT ?
	                      pl->w->service[l->service] : "";
	/* The Latin form only when it says something the name does not. */
	const char *latin = strcmp(l->latin, l->name) ? l->latin : "";
	const ev_face reg = EV_FACE_REGULAR;
	if (put_cell(p, COL_NO, y1, reg, TEXT_SIZE, RIGHT, no_s) < 0 ||
	    put_cell(p, COL_LETTER, y1, reg, TEXT_SIZE, LEFT, seq) < 0 ||
	    put_cell(p, COL_LETTER, y2, reg, SMALL_SIZE, LEFT, l->id) < 0 ||
	    put_cell(p, COL_NAME, y1, reg, TEXT_SIZE, LEFT, l->name) < 0 ||
	    put_cell(p, COL_NAME, y2, reg, SMALL_SIZE, LEFT, latin) < 0 ||
	    put_cell(p, COL_COUNTRY, y1, reg, TEXT_SIZE, LEFT, l->country) < 0 ||
	    put_cell(p, COL_PRODUCT, y1, reg, TEXT_SIZE, LEFT, l->band) < 0 ||
	    put_cell(p, COL_PRODUCT, y2, reg, SMALL_SIZE, LEFT, service) < 0 ||
	    put_cell(p, COL_WEIGHT, y1, reg, TEXT_SIZE, RIGHT, weight) < 0 ||
	    put_cell(p, COL_POSTAGE, y1, reg, TEXT_SIZE, RIGHT, postage) < 0)
		return -1;
	return 0;
}

/* The table's frame: heading and rows, every column ruled. */
static int draw_grid(const pen *p, double top, size_t rows)
{
	const ev_posting_list *pl = p->pl;
	double left = pl->x[0], right = pl->x[NCOL];
	double body = top + HEAD_ROW, bottom = body + ROW * (double)rows;
	if (ev_display_rect(p->dl, p->pg, left, top, right - left, bottom - top,
	                    FRAME) < 0 ||
	    ev_display_line(p->dl, p->pg, left, body, right, body, FRAME) < 0)
		return -1;
	for (int c = 1; c < NCOL; c++)
		if (ev_display_line(p->dl, p->pg, pl->x[c], top, pl->x[c], bottom, RULE) < 0)
			return -1;
	for (size_t r = 1; r < rows; r++) {
		double y = body + ROW * (double)r;
		if (ev_display_line(p->dl, p->pg, left, y, right, y, RULE) < 0)
			return -1;
	}
	return 0;
}

/* "Summe dieser Seite (Nr. 31–60): 30 Sendungen" */
static void total_label(const words *w, const char *what, size_t from,
                        size_t count, char *out, size_t cap)
{
	const char *pieces = ev_plural(count, w->piece, w->pieces);
	if (count == 0)
		snprintf(out, cap, "%s: 0 %s", what, pieces);
	else if (count == 1)
		snprintf(out, cap, "%s (%s %zu): 1 %s", what, w->no_one, from, pieces);
	else
		snprintf(out, cap, "%s (%s %zu\xE2\x80\x93%zu): %zu %s", what,
		         w->no_many, from, from + count - 1, count, pieces);
}

/* One row of totals under the table, up to the postage column: the label
 * across the piece's columns, then weight and postage in theirs. */
static int total_row(const pen *p, double top, ev_face face, const char *label,
                     int64_t weight_ug, int64_t postage)
{
	const ev_posting_list *pl = p->pl;
	char weight[48], money[48];
	ev_weight_format(weight_ug, weight, sizeof weight);
	ev_money_format(postage, money, sizeof money);
	double y = top + EV_MM(4.0);
	double left = pl->x[0], right = pl->x[COL_TRACK];
	if (put(p, left + PAD, pl->x[COL_WEIGHT] - PAD, y, face, TOTAL_SIZE, LEFT,
	        label) < 0 ||
	    put_cell(p, COL_WEIGHT, y, face, TOTAL_SIZE, RIGHT, weight) < 0 ||
	    put_cell(p, COL_POSTAGE, y, face, TOTAL_SIZE, RIGHT, money) < 0)
		return -1;
	double bottom = top + TOTAL_ROW;
	if (ev_display_line(p->dl, p->pg, left, top, left, bottom, FRAME) < 0 ||
	    ev_display_line(p->dl, p->pg, right, top, right, bottom, FRAME) < 0 ||
	    ev_display_line(p->dl, p->pg, left, bottom, right, bottom, FRAME) < 0)
		return -1;
	for (int c = COL_WEIGHT; c < COL_TRACK; c++)
		if (ev_display_line(p->dl, p->pg, pl->x[c], top, pl->x[c], bottom, RULE) < 0)
			return -1;
	return 0;
}

/* The statement of what was posted, and a line each for the sender's
 * signature and the counter's stamp. */
static int draw_signatures(const pen *p, double top, size_t count,
                           int64_t weight_ug, int64_t postage)
{
	const ev_posting_list *pl = p->pl;
	const words *w = pl->w;
	char weight[48], money[48], s[320];
	ev_weight_format(weight_ug, weight, sizeof weight);
	ev_money_format(postage, money, sizeof money);
	snprintf(s, sizeof s, "%s %zu %s, %s g, %s %s %s", w->posted, count,
	         ev_plural(count, w->piece, w->pieces), weight, w->postage, money,
	         pl->currency);
	double left = MARGIN, right = pl->page_w - MARGIN;
	double y = top + STATEMENT_GAP;
	if (put(p, left, right, y, EV_FACE_BOLD, STATEMENT_SIZE, LEFT, s) < 0)
		return -1;
	y += SIGN_ROOM;
	double half = (right - left - EV_MM(12)) / 2;
	const char *caption[2] = {w->sign_sender, w->sign_post};
	for (int i = 0; i < 2; i++) {
		double x0 = i ? right - half : left;
		if (ev_display_line(p->dl, p->pg, x0, y, x0 + half, y, RULE + 0.2) < 0 ||
		    put(p, x0, x0 + half, y + EV_MM(3.5), EV_FACE_REGULAR, CAPTION_SIZE,
		        LEFT, caption[i]) < 0)
			return -1;
	}
	return 0;
}

/* Lay the current page out into dl: as the last page (grand total and
 * signatures) or not (the total carried forward); then start the next. */
static int flush(ev_posting_list *pl, ev_display *dl, bool last)
{
	pen p = {.pl = pl, .dl = dl};
	bool first = pl->page == 0;
	if (!(p.pg = ev_display_add_page(dl, pl->page_w, pl->page_h)) ||
	    draw_header(&p, pl->page, first) < 0)
		return -1;
	double top = table_top(pl, first), body = top + HEAD_ROW;
	int64_t weight = 0, postage = 0;
	if (draw_headings(&p, top) < 0)
		return -1;
	for (size_t i = 0; i < pl->n; i++) {
		const pline *l = &pl->lines[i];
		if (draw_row(&p, l, pl->done + i + 1, body + ROW * (double)i) < 0)
			return -1;
		weight += l->weight_ug;
		postage += l->postage;
	}
	if (draw_grid(&p, top, pl->n) < 0)
		return -1;

	/* The totals: this page's, then everything so far. */
	const words *w = pl->w;
	char label[256];
	double y = body + ROW * (double)pl->n;
	size_t count = pl->done + pl->n;
	total_label(w, w->page_total, pl->done + 1, pl->n, label, sizeof label);
	if (total_row(&p, y, EV_FACE_REGULAR, label, weight, postage) < 0)
		return -1;
	total_label(w, last ? w->grand : w->carried, 1, count, label, sizeof label);
	if (total_row(&p, y + TOTAL_ROW, EV_FACE_BOLD, label,
	              pl->weight_done + weight, pl->postage_done + postage) < 0)
		return -1;
	if (last && draw_signatures(&p, y + 2 * TOTAL_ROW, count,
	                            pl->weight_done + weight,
	                            pl->postage_done + postage) < 0)
		return -1;

	pl->weight_done += weight;
	pl->postage_done += postage;
	pl->done = count;
	pl->n = 0;
	pl->page++;
	ev_arena_reset(pl->page_mem);
	return 0;
}

/* How many lines the current page takes before it is laid out: the plan's
 * count, except on the last planned page (laid out by finish) and beyond
 * it, where only a full page is. */
static size_t page_limit(const ev_posting_list *pl)
{
	if (pl->page + 1 < pl->npages)
		return planned(pl, pl->page);
	return pl->page == 0 ? pl->cap_first : pl->cap_next;
}

int ev_posting_list_add(ev_posting_list *pl, const ev_posting_line *line,
                        ev_display *dl)
{
	if (pl->finished || pl->n >= pl->cap)
		return -1;
	pline *l = &pl->lines[pl->n];
	ev_arena *a = pl->page_mem;
	*l = (pline){.seq = line->seq, .service = line->service,
	             .weight_ug = line->weight_ug, .postage = line->postage};
	if (!(l->id = field(a, line->id)) || !(l->name = field(a, line->name)) ||
	    !(l->latin = field(a, line->name_latin)) ||
	    !(l->country = field(a, line->country)) || !(l->band = field(a, line->band)))
		return -1;
	pl->n++;
	if (pl->n < page_limit(pl))
		return 0;
	return flush(pl, dl, false) < 0 ? -1 : 1;
}

int ev_posting_list_finish(ev_posting_list *pl, ev_display *dl)
{
	if (pl->finished)
		return -1;
	pl->finished = true;
	/* More lines than announced may leave no room for the signatures:
	 * then they go on a page of their own. */
	size_t room = pl->page == 0 ? pl->last_first : pl->last_next;
	if (pl->n > room && flush(pl, dl, false) < 0)
		return -1;
	return flush(pl, dl, true);
}
