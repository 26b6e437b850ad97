/* test-postinglist.c - the posting list laid out with fixed-width metrics
 * (every character half an em), each page checked as the list hands it
 * over: page counts (none, one, a page exactly full, 413 pieces), every
 * running number once and in order, page totals adding up to the grand
 * total and to each total carried forward, 413 pieces at 1.25 making
 * 516.25, nothing outside the margins and no text across a rule, both
 * languages, and ev_posting_list_chars holding exactly the characters the
 * fixed text prints. No fonts, no PDF library.
 * Usage: test-postinglist */
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "display.h"
#include "postinglist.h"
#include "text.h"

#define A4_W EV_MM(210.0)
#define A4_H EV_MM(297.0)
#define LETTER_W (8.5 * 72)
#define LETTER_H (11.0 * 72)
#define MARGIN EV_MM(15.0)
#define EPS 1e-6

static int passed, failed;

static void check(bool ok, const char *what, long a, long b)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL %s (%ld, %ld)\n", what, a, b);
}

static const double half_em = 500;

/* ---- the pieces ---- */

static const char *const surnames[][2] = {
	{"Ганчарэнка", "Hancharenka"}, {"Мартынюк", "Martyniuk"},
	{"Ковалёва-Климович", "Kovaleva-Klimovich"}, {"Шчэрба", "Shcharba"},
	{"Романюк-Бондаренко", "Romaniuk-Bondarenko"},
};
static const char *const given[][2] = {
	{"Вера Іванаўна", "Vera Ivanauna"}, {"Леонид Евгеньевич", "Leonid Evgenevich"},
	{"Людмила Алексеевна", "Liudmila Alekseevna"},
	{"Надежда Михайловна", "Nadezhda Mikhailovna"},
};

/* How a run's pieces are made. */
typedef struct style {
	bool cyrillic_only;   /* every variable string Cyrillic (the chars check) */
	bool flat;            /* every piece 1.25, 20.00 g */
	bool odd_cells;       /* piece 7 a name to cut, piece 8 one to shrink,
	                         piece 9 a negative postage */
} style;

/* Piece i (from 1) into l, its strings in buf (overwritten by the next
 * piece: the list must have copied them). */
static void make_piece(size_t i, const style *st, ev_posting_line *l, char buf[4][700])
{
	size_t s = i % 5, g = (i / 5) % 4;
	snprintf(buf[0], 700, "%s %s", surnames[s][0], given[g][0]);
	if (st->cyrillic_only)
		snprintf(buf[1], 700, "%s %s", given[g][0], surnames[s][0]);
	else
		snprintf(buf[1], 700, "%s %s", surnames[s][1], given[g][1]);
	if (st->odd_cells && i == 7) {
		buf[0][0] = '\0';
		for (int k = 0; k < 12; k++)
			strcat(buf[0], "Широкоимённая ");
	} else if (st->odd_cells && i == 8) {
		snprintf(buf[0], 700, "Романюк-Бондаренко Надежда Михайловна Ёршова");
	}
	snprintf(buf[2], 700, st->cyrillic_only ? "Б%zu" : "J-%04zu", i);
	*l = (ev_posting_line){
		.seq = i + 1000, .id = buf[2], .name = buf[0], .name_latin = buf[1],
		.country = st->cyrillic_only ? "БЕЛАРУСЬ" : "BELARUS",
		.band = st->cyrillic_only ? "Стандарт" : "Standardbrief",
		.service = i % 3 ? EV_SERVICE_REGISTERED : EV_SERVICE_STANDARD,
		.weight_ug = st->flat ? 20000000 : 4980000 + (int64_t)(i % 7) * 1230000,
		.postage = st->flat ? 125 : i % 3 ? 370 : 95,
	};
	if (st->odd_cells && i == 9)
		l->postage = -5;
}

/* ---- what one run saw ---- */

typedef struct labels {
	const char *title, *page, *of, *page_total, *carried, *grand, *posted;
	const char *must[6];   /* also on every page / on the last */
} labels;

static const labels de = {
	"Einlieferungsliste", "Seite", "von", "Summe dieser Seite", "Übertrag",
	"Gesamtsumme", "Eingeliefert:",
	{"Empfänger", "Sendungsnummer", "Einlieferer:", "Einlieferungsdatum:",
	 "Datum, Unterschrift Einlieferer", "Annahmevermerk der Post"},
};
static const labels en = {
	"Posting list", "Page", "of", "Page total", "Carried forward",
	"Grand total", "Posted:",
	{"Recipient", "Tracking number", "Sender:", "Posting date:",
	 "Date, signature of sender", "Accepted by (post office stamp)"},
};

typedef struct run {
	const char *lang, *currency;
	const labels *L;
	style st;
	size_t pieces;         /* announced */
	size_t added;          /* added */
	double page_w, page_h;
	const ev_metrics *m;
	size_t pages, planned;
	size_t next_no;        /* the running number expected next */
	size_t count_sum;      /* pieces in the page totals */
	int64_t postage_sum, weight_sum;   /* of the page totals, 1/100 */
	size_t grand_count;
	int64_t grand_postage, grand_weight;
	bool grand_seen;
	char grand_text[64], statement[200];
	bool shrunk_seen, cut_seen;
} run;

/* The characters fixed text printed, over every chars run. */
static bool drawn[0x10000];

/* "516.25" or "-0.05" as hundredths. */
static bool parse_hundredths(const char *s, int64_t *out)
{
	bool neg = *s == '-';
	s += neg;
	int64_t v = 0;
	int dot = -1, n = 0;
	for (; *s; s++, n++) {
		if (*s == '.' && dot < 0)
			dot = n;
		else if (*s >= '0' && *s <= '9')
			v = v * 10 + (*s - '0');
		else
			return false;
	}
	if (dot < 0 || n - dot != 3)
		return false;
	*out = neg ? -v : v;
	return true;
}

static bool all_digits(const char *s, size_t len)
{
	if (!len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* The count after the last ": " of a totals label. */
static size_t label_count(const char *s)
{
	const char *c = strrchr(s, ':');
	return c ? (size_t)strtoul(c + 1, NULL, 10) : (size_t)-1;
}

static bool is_vertical(const ev_item *it)
{
	return it->kind == EV_ITEM_LINE && it->x == it->x2;
}

/* Nothing outside the margins; no text across a vertical rule beside it. */
static void check_geometry(run *r, const ev_page *pg)
{
	double l = MARGIN - EPS, t = MARGIN - EPS;
	double rt = pg->width - MARGIN + EPS, b = pg->height - MARGIN + EPS;
	bool inside = true, crossing = false;
	for (size_t i = 0; i < pg->n; i++) {
		const ev_item *it = &pg->items[i];
		if (it->kind == EV_ITEM_TEXT) {
			double w = ev_text_width(r->m, it->face, it->size, it->text, it->len);
			double top = it->y - it->size * 0.8, bottom = it->y + it->size * 0.25;
			inside &= it->x >= l && it->x + w <= rt && top >= t && bottom <= b;
			for (size_t j = 0; j < pg->n; j++) {
				const ev_item *v = &pg->items[j];
				if (!is_vertical(v))
					continue;
				double y1 = v->y < v->y2 ? v->y : v->y2, y2 = v->y < v->y2 ? v->y2 : v->y;
				if (bottom > y1 && top < y2 && it->x < v->x - EPS &&
				    it->x + w > v->x + EPS) {
					crossing = true;
					printf("  '%.*s' at %.2f..%.2f crosses the rule at %.2f\n",
					       (int)it->len, it->text, it->x, it->x + w, v->x);
				}
			}
			if (it->size < 6.0 - EPS)
				check(false, "text under 6 pt", (long)(it->size * 10), 60);
		} else {
			double x2 = it->kind == EV_ITEM_RECT ? it->x + it->x2 : it->x2;
			double y2 = it->kind == EV_ITEM_RECT ? it->y + it->y2 : it->y2;
			inside &= it->x >= l && x2 <= rt && it->y >= t && y2 <= b &&
			          it->x <= rt && x2 >= l;
		}
	}
	check(inside, "everything inside the margins", (long)r->pages, 0);
	check(!crossing, "no text across a column rule", (long)r->pages, 0);
}

/* Every character of text that is not the pieces' (Cyrillic, in a chars
 * run) is in ev_posting_list_chars. */
static void check_chars(run *r, const ev_page *pg)
{
	const char *chars = ev_posting_list_chars(r->lang);
	for (size_t i = 0; i < pg->n; i++) {
		const ev_item *it = &pg->items[i];
		if (it->kind != EV_ITEM_TEXT)
			continue;
		for (size_t k = 0; k < it->len;) {
			size_t at = k;
			uint32_t cp = ev_utf8_next(it->text, it->len, &k);
			if (cp >= 0x400 && cp <= 0x4FF)
				continue;
			char one[8];
			memcpy(one, it->text + at, k - at);
			one[k - at] = '\0';
			if (!strstr(chars, one)) {
				printf("  U+%04X in '%.*s' is not in the %s chars\n", (unsigned)cp,
				       (int)it->len, it->text, r->lang);
				check(false, "a fixed character missing from the chars", 0, 0);
			}
			if (cp < 0x10000)
				drawn[cp] = true;
		}
	}
}

static const ev_item *find_text(const ev_page *pg, const char *prefix, size_t *at)
{
	for (size_t i = 0; i < pg->n; i++)
		if (pg->items[i].kind == EV_ITEM_TEXT && starts(pg->items[i].text, prefix)) {
			if (at)
				*at = i;
			return &pg->items[i];
		}
	return NULL;
}

static const ev_item *find_exact(const ev_page *pg, const char *s)
{
	for (size_t i = 0; i < pg->n; i++)
		if (pg->items[i].kind == EV_ITEM_TEXT && pg->items[i].len == strlen(s) &&
		    !memcmp(pg->items[i].text, s, pg->items[i].len))
			return &pg->items[i];
	return NULL;
}

/* The weight and postage after a totals label, in hundredths. */
static bool totals_after(const ev_page *pg, size_t at, int64_t *weight, int64_t *postage)
{
	return at + 2 < pg->n && pg->items[at + 1].kind == EV_ITEM_TEXT &&
	       pg->items[at + 2].kind == EV_ITEM_TEXT &&
	       parse_hundredths(pg->items[at + 1].text, weight) &&
	       parse_hundredths(pg->items[at + 2].text, postage);
}

static void check_page(run *r, const ev_display *dl, bool last_call)
{
	for (size_t p = 0; p < dl->npages; p++) {
		const ev_page *pg = &dl->pages[p];
		bool last = last_call && p + 1 == dl->npages;
		r->pages++;
		check(pg->width == r->page_w && pg->height == r->page_h, "page size", 0, 0);
		check_geometry(r, pg);
		if (r->st.cyrillic_only)
			check_chars(r, pg);

		/* The header. */
		char want[64];
		if (r->pages <= r->planned)
			snprintf(want, sizeof want, "%s %zu %s %zu", r->L->page, r->pages,
			         r->L->of, r->planned);
		else
			snprintf(want, sizeof want, "%s %zu", r->L->page, r->pages);
		const ev_item *num = find_text(pg, want, NULL);
		check(num && num->len == strlen(want), "the page's number", (long)r->pages, 0);
		check(find_text(pg, r->L->title, NULL) != NULL, "the title", 0, 0);
		for (int k = 0; k < 4; k++)
			check(find_text(pg, r->L->must[k], NULL) != NULL, r->L->must[k], 0, 0);

		/* The running numbers: digits in the first column (the rules at
		 * the left margin aside). */
		double first_rule = pg->width;
		for (size_t i = 0; i < pg->n; i++)
			if (is_vertical(&pg->items[i]) && pg->items[i].x > MARGIN + 1 &&
			    pg->items[i].x < first_rule)
				first_rule = pg->items[i].x;
		size_t on_page = 0;
		for (size_t i = 0; i < pg->n; i++) {
			const ev_item *it = &pg->items[i];
			if (it->kind != EV_ITEM_TEXT || !all_digits(it->text, it->len) ||
			    it->x + ev_text_width(r->m, it->face, it->size, it->text, it->len) > first_rule)
				continue;
			size_t no = strtoul(it->text, NULL, 10);
			check(no == r->next_no, "running numbers in order", (long)no,
			      (long)r->next_no);
			r->next_no = no + 1;
			on_page++;
			/* The piece's name (copied: its buffer is long overwritten). */
			char buf[4][700];
			ev_posting_line l;
			make_piece(no, &r->st, &l, buf);
			const ev_item *name = find_exact(pg, l.name);
			if (r->st.odd_cells && no == 7) {
				size_t at;
				name = find_text(pg, "Широкоимённая Широкоимённая", &at);
				r->cut_seen = name && name->size == 6.0 &&
				              !memcmp(name->text + name->len - 3, "…", 3);
			} else if (r->st.odd_cells && no == 8) {
				r->shrunk_seen = name && name->size < 8.5 && name->size >= 6.0;
			} else {
				check(name != NULL, "the piece's name", (long)no, 0);
			}
		}

		check(!last || on_page > 0 || r->added == 0 || r->added > r->pieces,
		      "the last page's table is never empty", (long)r->pages, 0);

		/* The totals. */
		size_t at;
		int64_t w, pst;
		const ev_item *pt = find_text(pg, r->L->page_total, &at);
		check(pt && totals_after(pg, at, &w, &pst), "the page total", (long)r->pages, 0);
		if (pt && totals_after(pg, at, &w, &pst)) {
			check(label_count(pt->text) == on_page, "the page total's count",
			      (long)label_count(pt->text), (long)on_page);
			r->count_sum += on_page;
			r->weight_sum += w;
			r->postage_sum += pst;
		}
		const ev_item *carried = find_text(pg, r->L->carried, &at);
		check(last == !carried, "carried forward on all but the last page",
		      (long)r->pages, last);
		if (carried) {
			check(totals_after(pg, at, &w, &pst) && w == r->weight_sum &&
			      pst == r->postage_sum, "carried forward = the page totals so far",
			      (long)pst, (long)r->postage_sum);
			check(label_count(carried->text) == r->count_sum, "carried count",
			      (long)label_count(carried->text), (long)r->count_sum);
		}
		const ev_item *grand = find_text(pg, r->L->grand, &at);
		const ev_item *posted = find_text(pg, r->L->posted, NULL);
		check(last == !!grand && last == !!posted, "grand total on the last page only",
		      (long)r->pages, last);
		for (int k = 4; k < 6; k++)
			check(last == !!find_text(pg, r->L->must[k], NULL), r->L->must[k], 0, 0);
		if (grand && totals_after(pg, at, &r->grand_weight, &r->grand_postage)) {
			r->grand_seen = true;
			r->grand_count = label_count(grand->text);
			snprintf(r->grand_text, sizeof r->grand_text, "%s", pg->items[at + 2].text);
		}
		if (posted)
			snprintf(r->statement, sizeof r->statement, "%.*s", (int)posted->len,
			         posted->text);
	}
}

/* Lay out r's pieces, checking each page as it comes; returns the number
 * of times add handed a page over. */
static size_t lay_out(run *r)
{
	static const char *const sender[] = {
		"Libereco – Partnership for Human Rights e. V.", "Postfach 12 34",
		"10117 Berlin", "Deutschland"};
	static const char *const sender_cyr[] = {"Лібэрэка", "Паштовая скрыня 12", "Берлін"};
	ev_posting_head h = {
		.lang = r->lang,
		.sender = r->st.cyrillic_only ? sender_cyr : sender,
		.nsender = r->st.cyrillic_only ? 3 : 4,
		.date = r->st.cyrillic_only ? "другое чэрвеня" : "2 June 2025",
		.number = r->st.cyrillic_only ? "СП" : "2025-06-02/1",
		.operator_name = r->st.cyrillic_only ? "Пошта" : "Deutsche Post",
		.currency = r->currency, .pieces = r->pieces,
		.page_w = r->page_w, .page_h = r->page_h,
	};
	ev_metrics m = ev_metrics_fixed(&half_em);
	r->m = &m;
	r->next_no = 1;
	ev_arena *a = ev_arena_new();
	ev_posting_list *pl = a ? ev_posting_list_new(&h, &m) : NULL;
	if (!pl) {
		puts("out of memory");
		exit(1);
	}
	r->planned = ev_posting_list_pages(pl);
	ev_display dl;
	ev_display_init(&dl, a);
	size_t handed = 0;
	for (size_t i = 1; i <= r->added; i++) {
		char buf[4][700];
		ev_posting_line l;
		make_piece(i, &r->st, &l, buf);
		int rc = ev_posting_list_add(pl, &l, &dl);
		check(rc == 0 || rc == 1, "add", rc, 0);
		check((rc == 1) == (dl.npages > 0), "add hands over a page with 1", rc, 0);
		if (rc == 1) {
			handed++;
			check_page(r, &dl, false);
			ev_arena_reset(a);
			ev_display_init(&dl, a);
		}
	}
	check(ev_posting_list_finish(pl, &dl) == 0, "finish", 0, 0);
	check(dl.npages >= 1, "finish lays out a page", 0, 0);
	check_page(r, &dl, true);
	ev_posting_list_free(pl);
	ev_arena_free(a);
	check(r->next_no == r->added + 1, "every running number once", (long)r->next_no,
	      (long)r->added + 1);
	check(r->grand_seen && r->grand_count == r->added && r->count_sum == r->added,
	      "the grand total's count", (long)r->grand_count, (long)r->added);
	check(r->grand_postage == r->postage_sum && r->grand_weight == r->weight_sum,
	      "page totals add up to the grand total", (long)r->grand_postage,
	      (long)r->postage_sum);
	return handed;
}

static run new_run(const char *lang, size_t pieces, style st)
{
	return (run){.lang = lang, .currency = "EUR",
	             .L = strcmp(lang, "de") ? &en : &de, .st = st, .pieces = pieces,
	             .added = pieces, .page_w = A4_W, .page_h = A4_H};
}

static size_t pages_for(const char *lang, size_t pieces, double w, double h)
{
	static const char *const sender[] = {"A", "B", "C", "D"};
	ev_metrics m = ev_metrics_fixed(&half_em);
	ev_posting_head head = {.lang = lang, .sender = sender, .nsender = 4,
	                        .pieces = pieces, .page_w = w, .page_h = h};
	ev_posting_list *pl = ev_posting_list_new(&head, &m);
	size_t n = pl ? ev_posting_list_pages(pl) : 0;
	ev_posting_list_free(pl);
	return n;
}

/* The page counts, the plan and what is laid out agreeing. */
static void test_counts(void)
{
	style plain = {0};
	for (int lang = 0; lang < 2; lang++) {
		const char *code = lang ? "en" : "de";
		size_t full = 0;
		while (pages_for(code, full + 1, A4_W, A4_H) == 1)
			full++;
		check(full >= 20, "a first page holds 20 or more pieces", (long)full, 20);
		size_t ns[] = {0, 1, full, full + 1, 413};
		size_t want[] = {1, 1, 1, 2, 0};
		for (size_t k = 0; k < 5; k++) {
			run r = new_run(code, ns[k], plain);
			size_t handed = lay_out(&r);
			if (want[k])
				check(r.planned == want[k], "planned pages", (long)r.planned, (long)want[k]);
			check(r.pages == r.planned, "pages laid out = planned", (long)r.pages,
			      (long)r.planned);
			check(handed + 1 == r.pages, "add hands over all but the last page",
			      (long)handed, (long)r.pages);
			if (ns[k] == 413)
				printf("%s: 413 pieces on %zu pages, %zu on a page alone\n", code,
				       r.pages, full);
		}
		/* The page before the last gives it a line when the last lines
		 * would not fit above the signatures. */
		for (size_t n = full + 1; n < full + 70; n++) {
			run r = new_run(code, n, plain);
			lay_out(&r);
			check(r.pages == r.planned, "pages = planned", (long)n, (long)r.pages);
		}
		/* US Letter. */
		run r = new_run(code, 413, plain);
		r.page_w = LETTER_W;
		r.page_h = LETTER_H;
		lay_out(&r);
		check(r.pages == r.planned, "Letter: pages = planned", (long)r.pages, (long)r.planned);
	}
}

/* 413 pieces at 1.25: 516.25; other weights and prices: the sums agree. */
static void test_totals(void)
{
	style flat = {.flat = true};
	run r = new_run("de", 413, flat);
	lay_out(&r);
	check(!strcmp(r.grand_text, "516.25"), "413 x 1.25 = 516.25", (long)r.grand_postage, 51625);
	check(r.grand_weight == 826000, "413 x 20 g", (long)r.grand_weight, 826000);
	check(!strcmp(r.statement, "Eingeliefert: 413 Sendungen, 8260.00 g, Porto 516.25 EUR"),
	      "the German statement", 0, 0);
	if (strcmp(r.statement, "Eingeliefert: 413 Sendungen, 8260.00 g, Porto 516.25 EUR"))
		printf("  got '%s'\n", r.statement);
	r = new_run("en", 1, flat);
	lay_out(&r);
	check(!strcmp(r.statement, "Posted: 1 piece, 20.00 g, postage 1.25 EUR"),
	      "the English statement", 0, 0);
	style varied = {.odd_cells = true};
	r = new_run("en", 250, varied);
	lay_out(&r);
	check(r.cut_seen, "a name too long even at 6 pt is cut with an ellipsis", 0, 0);
	check(r.shrunk_seen, "a long name is set smaller", 0, 0);
	/* Anything but German is English. */
	r = new_run("fr", 3, varied);
	r.L = &en;
	lay_out(&r);
}

/* More or fewer pieces than announced: every line still laid out once. */
static void test_miscount(void)
{
	style plain = {0};
	run r = new_run("de", 5, plain);
	r.added = 140;
	lay_out(&r);
	check(r.pages > r.planned, "more pieces than announced: more pages", (long)r.pages,
	      (long)r.planned);
	r = new_run("en", 200, plain);
	r.added = 3;
	lay_out(&r);
	check(r.pages == 1, "fewer pieces than announced", (long)r.pages, 1);
}

/* The characters: fixed text is all in the chars, and everything in them
 * is printed by some list (each currency, a negative amount, a cut name). */
static void test_chars(void)
{
	static const char *const currencies[] = {"EUR", "GBP", "CHF"};
	style cyr = {.cyrillic_only = true, .odd_cells = true};
	for (int lang = 0; lang < 2; lang++) {
		const char *code = lang ? "en" : "de";
		memset(drawn, 0, sizeof drawn);
		for (int c = 0; c < 3; c++) {
			run r = new_run(code, c ? 1 : 80, cyr);
			r.currency = currencies[c];
			lay_out(&r);
		}
		const char *chars = ev_posting_list_chars(code);
		size_t len = strlen(chars), count = 0;
		bool each_once = true;
		bool seen[0x10000] = {0};
		for (size_t k = 0; k < len;) {
			uint32_t cp = ev_utf8_next(chars, len, &k);
			each_once &= !seen[cp];
			seen[cp] = true;
			count++;
			if (!drawn[cp])
				printf("  U+%04X is in the %s chars but never printed\n", (unsigned)cp, code);
			check(drawn[cp], "every character of the chars is printed", (long)cp, 0);
		}
		check(each_once, "each character once", (long)count, 0);
	}
}

int main(void)
{
	/* Numbers are our own integer code: a comma-decimal locale changes
	 * nothing. */
	if (!setlocale(LC_ALL, "de_DE.UTF-8"))
		setlocale(LC_ALL, "C.UTF-8");
	test_counts();
	test_totals();
	test_miscount();
	test_chars();
	printf("test-postinglist: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
