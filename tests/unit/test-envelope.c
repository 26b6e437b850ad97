/* test-envelope.c - plain envelopes laid out with fixed-width metrics
 * (every character half an em): for DL, C6/5, C5 and C4 posted from DE,
 * CH, GB and elsewhere, the page size and, against zones written out here
 * from ../shared/reference/postal.md section 3 (not read from envoi's
 * table), every recipient line inside the reading zone and clear of the
 * franking zone, the coding zone and the return address, the return
 * address inside its zone; both scripts when Latin is wanted, the country
 * last; long addresses set smaller, too long ones reported with the
 * envelope size and nothing drawn; the country line per posting country.
 * No fonts, no PDF library.
 * Usage: test-envelope */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "display.h"
#include "envelope.h"

#define EPS 1e-6

static int passed, failed;

static void check(bool ok, const char *what, const char *ctx)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL %s (%s)\n", what, ctx);
}

static const double half_em = 500;

/* ---- expected geometry, in mm (postal.md sections 3.1, 3.2) ---- */

typedef struct size_mm {
	const char *name;
	double w, h;
	bool above_b5;
} size_mm;

static const size_mm sizes[] = {
	{"DL", 220, 110, false}, {"C6/5", 229, 114, false},
	{"C5", 229, 162, false}, {"C4", 324, 229, true},
};

typedef struct operator_mm {
	const char *posting;
	double frank_w, frank_h;
	double code_w, code_h;       /* 0: the whole length */
	double big_code_w, big_code_h;
} operator_mm;

static const operator_mm operators[] = {
	{"DE", 74, 40, 0, 15, 0, 15},
	{"CH", 74, 38, 140, 15, 100, 35},
	{"GB", 70, 40, 140, 15, 140, 15},
	{"NL", 74, 40, 0, 15, 100, 35},    /* any other: the largest */
};

typedef struct rect {
	double x0, y0, x1, y1;           /* points */
} rect;

static rect mm_rect(double x, double y, double w, double h)
{
	return (rect){EV_MM(x), EV_MM(y), EV_MM(x + w), EV_MM(y + h)};
}

typedef struct expect {
	double w, h;
	rect recipient, sender, franking, coding;
} expect;

static expect expected(const size_mm *s, const operator_mm *o)
{
	double cw = s->above_b5 ? o->big_code_w : o->code_w;
	double ch = s->above_b5 ? o->big_code_h : o->code_h;
	if (cw == 0)
		cw = s->w;
	double bottom = ch > 15 ? ch : 15;
	return (expect){
		.w = EV_MM(s->w), .h = EV_MM(s->h),
		/* at least 40 mm from the top, 15 mm from the sides and bottom */
		.recipient = mm_rect(15, 40, s->w - 30, s->h - 40 - bottom),
		/* top left, left of the franking zone, above the reading zone */
		.sender = mm_rect(15, 10, s->w - o->frank_w - 5 - 15, 25),
		.franking = mm_rect(s->w - o->frank_w, 0, o->frank_w, o->frank_h),
		.coding = mm_rect(s->w - cw, s->h - ch, cw, ch),
	};
}

/* The box a text item occupies: its width, and the ascent and descent
 * envelope.h promises. */
static rect item_box(const ev_item *it, const ev_metrics *m)
{
	double w = ev_text_width(m, it->face, it->size, it->text, it->len);
	return (rect){it->x, it->y - it->size * EV_ENVELOPE_ASCENT, it->x + w,
	              it->y + it->size * EV_ENVELOPE_DESCENT};
}

static bool inside(rect a, rect zone)
{
	return a.x0 >= zone.x0 - EPS && a.y0 >= zone.y0 - EPS &&
	       a.x1 <= zone.x1 + EPS && a.y1 <= zone.y1 + EPS;
}

static bool overlaps(rect a, rect b)
{
	return a.x0 < b.x1 - EPS && b.x0 < a.x1 - EPS && a.y0 < b.y1 - EPS &&
	       b.y0 < a.y1 - EPS;
}

/* ---- addresses ---- */

static const char *const sender[] = {
	"Libereco – Partnership for Human Rights e. V.", "Greifswalder Straße 4",
	"10405 Berlin", "GERMANY",
};

static const char *const short_cyr[] = {
	"Суд Лепельскага раёна", "Ганчарэнка Вера Іванаўна", "вул. Пушкіна, 98",
	"211118, Лепель", "Віцебская вобласць",
};
static const char *const short_lat[] = {
	"Sud Lieplieĺskaha rajona", "Hančarenka Vera Ivanaŭna", "vul. Puškina, 98",
	"211118, Lieplieĺ", "Viciebskaja voblasć",
};

/* The longest fields of the sample list (recipients/judges.csv) in one
 * address. */
static const char *const long_cyr[] = {
	"Суд Железнодорожного района г. Витебска",
	"Романюк-Бондаренко Надежда Михайловна", "б-р Шевченко, 11, корп. 3, каб. 373",
	"247760, Марьина Горка", "Железнодорожный район", "Магілёўская вобласць",
};
static const char *const long_lat[] = {
	"Sud Zheleznodorozhnogo rayona g. Vitebska",
	"Romaniuk-Bondarenko Nadezhda Mikhailovna",
	"b-r Shevchenko, 11, korp. 3, kab. 373", "247760, Mar'ina Gorka",
	"Zheleznodorozhnyy rayon", "Mahilioŭskaja voblasć",
};

static const char *const belarus[] = {"BELARUS"};

static ev_envelope_in envelope(const char *size, const char *posting, bool latin,
                               const char *const *cyr, const char *const *lat, size_t n)
{
	return (ev_envelope_in){
		.size = size, .posting = posting, .latin = latin,
		.sender = sender, .nsender = 4,
		.address = cyr, .naddress = n, .address_latin = lat, .naddress_latin = n,
		.country = belarus, .ncountry = 1,
	};
}

static bool is_sender(const ev_item *it)
{
	for (size_t i = 0; i < 4; i++)
		if (!strcmp(it->text, sender[i]))
			return true;
	return false;
}

/* One envelope laid out and checked against the zones written out above;
 * returns the recipient block's size (0 when not laid out). */
static double check_envelope(const size_mm *s, const operator_mm *o, bool latin,
                             const char *const *cyr, const char *const *lat, size_t n)
{
	char ctx[200];
	snprintf(ctx, sizeof ctx, "%s from %s%s, %zu lines", s->name, o->posting,
	         latin ? " with Latin" : "", n);
	ev_metrics m = ev_metrics_fixed(&half_em);
	ev_arena *a = ev_arena_new();
	ev_display dl;
	ev_display_init(&dl, a);
	ev_envelope_in in = envelope(s->name, o->posting, latin, cyr, lat, n);
	const char *reason = NULL;
	int rc = ev_layout_envelope(&in, &m, &dl, &reason);
	check(rc == 0, "laid out", reason ? reason : ctx);
	if (rc || dl.npages != 1) {
		check(false, "one page", ctx);
		ev_arena_free(a);
		return 0;
	}
	expect e = expected(s, o);
	const ev_page *pg = &dl.pages[0];
	check(pg->width > e.w - EPS && pg->width < e.w + EPS &&
	      pg->height > e.h - EPS && pg->height < e.h + EPS, "page size", ctx);

	/* The zones envoi reports are those of postal.md. */
	ev_envelope_zones z;
	check(ev_envelope_geometry(s->name, o->posting, &z) == 0, "geometry", ctx);
	rect zr = {z.recipient.x, z.recipient.y, z.recipient.x + z.recipient.w,
	           z.recipient.y + z.recipient.h};
	rect zf = {z.franking.x, z.franking.y, z.franking.x + z.franking.w,
	           z.franking.y + z.franking.h};
	rect zc = {z.coding.x, z.coding.y, z.coding.x + z.coding.w, z.coding.y + z.coding.h};
	check(inside(zr, e.recipient) && inside(e.recipient, zr), "reading zone", ctx);
	check(inside(zf, e.franking) && inside(e.franking, zf), "franking zone", ctx);
	check(inside(zc, e.coding) && inside(e.coding, zc), "coding zone", ctx);

	size_t want = n + (latin ? n : 0) + 1, got = 0, senders = 0;
	double size = 0, x = 0, last_y = -1;
	for (size_t i = 0; i < pg->n; i++) {
		const ev_item *it = &pg->items[i];
		if (it->kind != EV_ITEM_TEXT) {
			check(false, "only text on an envelope", ctx);
			continue;
		}
		rect b = item_box(it, &m);
		if (is_sender(it)) {
			senders++;
			check(inside(b, e.sender), "return address inside its zone", it->text);
			check(!overlaps(b, e.franking), "return address clear of franking", it->text);
			continue;
		}
		check(inside(b, e.recipient), "recipient line inside the reading zone", it->text);
		check(!overlaps(b, e.franking), "recipient line clear of the franking zone", it->text);
		check(!overlaps(b, e.coding), "recipient line clear of the coding zone", it->text);
		check(!overlaps(b, e.sender), "recipient line clear of the return address", it->text);
		check(b.x1 - b.x0 <= EV_MM(100) + EPS, "recipient line at most 100 mm", it->text);
		/* Lines in order, one block: the address, its Latin copy, the
		 * country; left-aligned, one size, 8 to 11 pt. */
		const char *wanted = got < n ? cyr[got] : latin && got < 2 * n ? lat[got - n]
		                   : got + 1 == want ? "BELARUS" : "(none)";
		check(!strcmp(it->text, wanted), "recipient lines in order", it->text);
		if (!got)
			size = it->size, x = it->x;
		check(it->size == size && it->x == x, "one size, left-aligned", it->text);
		check(it->size >= EV_ENVELOPE_MIN_SIZE && it->size <= 12, "8 to 12 pt", it->text);
		check(it->y > last_y, "top down", it->text);
		last_y = it->y;
		got++;
	}
	check(got == want, "every recipient line once", ctx);
	check(senders == 4, "every return-address line", ctx);
	/* The block sits right of the envelope's middle when it can. */
	check(x >= e.w * 0.45 - EPS || x + EV_MM(100) >= e.recipient.x1 - EPS,
	      "towards the right", ctx);

	/* The per-row check agrees with the layout. */
	double fs = 0;
	char why[400];
	check(ev_envelope_fits(&in, &m, &fs, why, sizeof why) == 0 && fs == size,
	      "ev_envelope_fits gives the size laid out", ctx);
	ev_arena_free(a);
	return size;
}

/* An address that must be refused: 1 with the reason naming the size,
 * nothing drawn, and the same answer from ev_envelope_fits. */
static void check_refused(const ev_envelope_in *in, const char *want, const char *what)
{
	ev_metrics m = ev_metrics_fixed(&half_em);
	ev_arena *a = ev_arena_new();
	ev_display dl;
	ev_display_init(&dl, a);
	const char *reason = NULL;
	int rc = ev_layout_envelope(in, &m, &dl, &reason);
	char ctx[700];
	snprintf(ctx, sizeof ctx, "%s: %s", what, reason ? reason : "(no reason)");
	check(rc == 1, "refused", ctx);
	check(dl.npages == 0, "nothing drawn when refused", ctx);
	check(reason && strstr(reason, want), "the reason says", ctx);
	char why[600];
	double size = -1;
	check(ev_envelope_fits(in, &m, &size, why, sizeof why) == 1 && reason &&
	      !strcmp(why, reason) && size == -1, "ev_envelope_fits refuses alike", ctx);
	ev_arena_free(a);
}

static void sizes_and_zones(void)
{
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
		for (size_t k = 0; k < sizeof operators / sizeof *operators; k++) {
			const size_mm *s = &sizes[i];
			const operator_mm *o = &operators[k];
			double a = check_envelope(s, o, false, short_cyr, short_lat, 5);
			check(a == EV_ENVELOPE_SIZE, "a short address at 11 pt", s->name);
			check_envelope(s, o, true, short_cyr, short_lat, 5);
			check_envelope(s, o, false, long_cyr, long_lat, 6);
			/* The longest sample fields in both scripts fit every size. */
			double b = check_envelope(s, o, true, long_cyr, long_lat, 6);
			check(b >= EV_ENVELOPE_MIN_SIZE, "both scripts fit", s->name);
		}
}

/* A long line is set smaller; at 8 pt too wide, it is refused. */
static void shrinking(void)
{
	/* 60 characters: 330 pt at 11 pt, over 100 mm (283.5 pt); 270 at 9. */
	char line[200] = "";
	for (int k = 0; k < 6; k++)
		strcat(line, "Абвгдежзий");
	const char *cyr[] = {"Суд Лепельскага раёна", line, "211118, Лепель"};
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		double s = check_envelope(&sizes[i], &operators[0], false, cyr, cyr, 3);
		check(s == 9.0, "a 60-character line at 9 pt", sizes[i].name);
	}
	/* 75 characters: 300 pt at 8 pt. */
	strcat(line, "Абвгдежзийклмн");
	strcat(line, "о");
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		ev_envelope_in in = envelope(sizes[i].name, "DE", false, cyr, cyr, 3);
		char want[64];
		snprintf(want, sizeof want, "the address zone of a %s envelope allows 100 mm",
		         sizes[i].name);
		check_refused(&in, want, "a 75-character line");
	}
	/* Lines: 16 fit the DL zone (55 mm) at 8 pt, 17 do not; with both
	 * scripts the gap between them costs half a line. */
	const char *many[20];
	for (size_t k = 0; k < 20; k++)
		many[k] = short_cyr[k % 5];
	ev_envelope_in in = envelope("DL", "DE", false, many, many, 15);
	double size = 0;
	char why[600];
	ev_metrics m = ev_metrics_fixed(&half_em);
	check(ev_envelope_fits(&in, &m, &size, why, sizeof why) == 0 && size == 8.0,
	      "16 lines on DL at 8 pt", why);
	in.naddress = in.naddress_latin = 16;
	check_refused(&in, "the address zone of a DL envelope (55 mm high) holds fewer",
	              "17 lines on DL");
	in = envelope("DL", "DE", true, many, many, 8);
	check_refused(&in, "in Cyrillic and Latin letters", "8 + 8 lines on DL");
	in.naddress = in.naddress_latin = 7;
	check(ev_envelope_fits(&in, &m, &size, why, sizeof why) == 0, "7 + 7 lines on DL", why);
	/* C5 is taller: 8 + 8 fit. */
	in = envelope("C5", "DE", true, many, many, 8);
	check(ev_envelope_fits(&in, &m, &size, why, sizeof why) == 0, "8 + 8 lines on C5", why);
}

static void refusals(void)
{
	ev_envelope_in in = envelope("C3", "DE", false, short_cyr, short_lat, 5);
	check_refused(&in, "there is no envelope size 'C3' (DL, C6/5, C5, C4)", "C3");
	in = envelope("DL", "DE", true, short_cyr, NULL, 5);
	check_refused(&in, "wants the address in Latin letters as well", "no Latin copy");
	const char *bad[] = {"Суд Лепельскага раёна", "Ганчарэнка \xEF\xBF\xBD"};
	in = envelope("C5", "GB", false, bad, NULL, 2);
	check_refused(&in, "U+FFFD", "a character no font has");
	/* 120 characters: 360 pt at 6 pt, the DL sender zone 126 mm (357 pt) */
	const char *wide[] = {"Libereco – Partnership for Human Rights e. V., "
	                      "Greifswalder Straße 4, 10405 Berlin, Germany, "
	                      "Europe, the World, the Universe", "x", "x", "x"};
	in = envelope("DL", "DE", false, short_cyr, short_lat, 5);
	in.sender = wide;
	check_refused(&in, "the return address line", "a return address too wide");
	/* The sender zone is 25 mm (70.9 pt) high: 9 lines fit at 6 pt. */
	const char *tall[10] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"};
	in.sender = tall;
	in.nsender = 10;
	check_refused(&in, "the return address has 10 lines; a DL envelope", "10 sender lines");
	in.nsender = 9;
	ev_metrics m = ev_metrics_fixed(&half_em);
	char why[600];
	check(ev_envelope_fits(&in, &m, NULL, why, sizeof why) == 0, "9 sender lines", why);
	in = envelope("DL", "DE", false, NULL, NULL, 0);
	in.ncountry = 0;
	check_refused(&in, "the address is empty", "nothing");
}

/* Latin lines given but not wanted are not printed; sizes in any case. */
static void latin_not_wanted(void)
{
	ev_metrics m = ev_metrics_fixed(&half_em);
	ev_arena *a = ev_arena_new();
	ev_display dl;
	ev_display_init(&dl, a);
	ev_envelope_in in = envelope("c6/5", "GB", false, short_cyr, short_lat, 5);
	const char *reason;
	check(ev_layout_envelope(&in, &m, &dl, &reason) == 0, "c6/5 in lower case", "");
	bool any = false;
	for (size_t i = 0; dl.npages && i < dl.pages[0].n; i++)
		any |= !strcmp(dl.pages[0].items[i].text, short_lat[0]);
	check(!any, "no Latin copy unless wanted", "");
	check(dl.npages == 1 && dl.pages[0].n == 4 + 5 + 1, "sender, address, country", "");
	ev_arena_free(a);
}

static void country_lines(void)
{
	static const struct {
		const char *country, *posting, *want;
	} cases[] = {
		{"BELARUS", "DE", "BELARUS"}, {"RUSSIA", "DE", "RUSSLAND / RUSSIA"},
		{"Russia", "de", "RUSSLAND / RUSSIA"}, {"RUSSIA", "GB", "RUSSIA"},
		{"BELARUS", "CH", "BÉLARUS / BELARUS"}, {"UKRAINE", "CH", "UKRAINE"},
		{"LITHUANIA", "DE", "LITAUEN / LITHUANIA"}, {"NORWAY", "CH", "NORVÈGE / NORWAY"},
		{"BELARUS", "NL", "BELARUS"}, {"BELARUS", NULL, "BELARUS"},
		{"ATLANTIS", "DE", "ATLANTIS"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char buf[80];
		size_t n = ev_envelope_country(cases[i].country, cases[i].posting, buf, sizeof buf);
		check(!strcmp(buf, cases[i].want) && n == strlen(buf), "country line", buf);
	}
	char small[8];
	size_t n = ev_envelope_country("RUSSIA", "DE", small, sizeof small);
	check(n == 7 && !strcmp(small, "RUSSLAN"), "country line truncated", small);

	check(ev_envelope_wants_latin("DE", false) && ev_envelope_wants_latin("de", true),
	      "Deutsche Post wants Latin", "");
	check(!ev_envelope_wants_latin("CH", false) && ev_envelope_wants_latin("CH", true),
	      "Swiss Post wants Latin for registered items", "");
	check(!ev_envelope_wants_latin("GB", true) && !ev_envelope_wants_latin(NULL, true),
	      "others do not", "");
}

int main(void)
{
	sizes_and_zones();
	shrinking();
	refusals();
	latin_not_wanted();
	country_lines();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
