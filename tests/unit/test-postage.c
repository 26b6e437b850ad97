/* test-postage.c - the tariff files and a piece's band: the bundled
 * tariffs parse (and every truncation of them parses or fails without
 * harm), broken lines are errors at FILE:LINE naming the column, weights
 * and bands at their limits, thickness, envelope sizes, the validity
 * dates, and money and weights as text. Usage: test-postage TARIFF.tsv... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "casefile.h"
#include "diag.h"
#include "postage.h"
#include "totals.h"

static int passed, failed;

static void check(const char *name, const char *want, const char *got)
{
	if (got && !strcmp(want, got)) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL %s\n  expected: %s\n  actual:   %s\n", name, want, got ? got : "(null)");
}

static void check_int(const char *name, long long want, long long got)
{
	char w[32], g[32];
	snprintf(w, sizeof w, "%lld", want);
	snprintf(g, sizeof g, "%lld", got);
	check(name, w, g);
}

/* The diagnostics as ev_diag_format prints them, one a line. */
static char *diags_text(ev_diags *d)
{
	ev_buf b = {0};
	for (size_t i = 0; i < d->n; i++) {
		char *s = ev_diag_format(&d->items[i]);
		ev_buf_printf(&b, "%s%s", i ? "\n" : "", s ? s : "");
		free(s);
	}
	ev_buf_putc(&b, '\0');
	return ev_buf_steal(&b, NULL);
}

static const char *const head =
	"operator\tTest Post\nlanguage\tde\ncountry\tDE\tGERMANY\n"
	"band\tservice\tmax_g\tmax_long_mm\tmax_short_mm\tmax_thickness_mm\tprice\t"
	"currency\tvalid_from\tvalid_to\tsource\n";

/* Parse head + body as "t.tsv"; the diagnostics, or "ok N" (bands). */
static char *parse(const char *body, ev_tariff *t)
{
	ev_buf src = {0};
	ev_buf_puts(&src, head);
	ev_buf_puts(&src, body);
	ev_diags d = {0};
	ev_tariff tmp;
	ev_tariff *into = t ? t : &tmp;
	int rc = ev_tariff_parse(src.data, src.len, "t.tsv", into, &d);
	char *out;
	if (rc == 0) {
		out = malloc(32);
		snprintf(out, 32, "ok %zu", into->nbands);
	} else {
		out = diags_text(&d);
	}
	if (!t || rc < 0)
		ev_tariff_free(into);
	ev_diags_free(&d);
	ev_buf_free(&src);
	return out;
}

static void broken_lines(void)
{
	static const char *const cases[][2] = {
		{"A\tstandard\t20\t235\t125\t5\t125\tEUR\t2025-01-01\t2026-12-31\thttp://x\n", "ok 1"},
		{"A\tstandard\t20\t235\t125\t5\t1,25\tEUR\t2025-01-01\t2026-12-31\thttp://x\n",
		 "t.tsv:5: error: column 'price': '1,25' is not a price in whole minor units (cents, pence, Rappen: 1.25 EUR is written 125)"},
		{"A\texpress\t20\t235\t125\t5\t125\tEUR\t2025-01-01\t2026-12-31\thttp://x\n",
		 "t.tsv:5: error: column 'service': 'express' is not a service: write standard or registered"},
		{"A\tstandard\t20,5\t235\t125\t5\t125\tEUR\t2025-01-01\t2026-12-31\thttp://x\n",
		 "t.tsv:5: error: column 'max_g': '20,5' is not a weight in grams (such as 20 or 20.5)"},
		{"A\tstandard\t20\t235\t125\t5\t125\teur\t2025-01-01\t2026-12-31\thttp://x\n",
		 "t.tsv:5: error: column 'currency': 'eur' is not a currency code (EUR, GBP, CHF)"},
		{"A\tstandard\t20\t235\t125\t5\t125\tEUR\t2025-02-30\t2026-12-31\thttp://x\n",
		 "t.tsv:5: error: column 'valid_from': '2025-02-30' is not a date (write YYYY-MM-DD)"},
		{"A\tstandard\t20\t235\t125\t5\t125\tEUR\t2026-01-01\t2025-12-31\thttp://x\n",
		 "t.tsv:5: error: column 'valid_to': 2025-12-31 is before valid_from"},
		{"A\tstandard\t20\t235\t125\t5\t125\tEUR\t2025-01-01\t2026-12-31\t\n",
		 "t.tsv:5: error: column 'source': the price has no source: name where it was read (a URL or document)"},
		{"A\tstandard\t20\t235\t125\t5\t125\tEUR\t2025-01-01\n",
		 "t.tsv:5: error: 9 fields where a band has 11 (separated by tabs)"},
		{"A\tstandard\t20\t235\t125\t5\t125\tEUR\t2025-01-01\t2026-12-31\thttp://x\textra\n",
		 "t.tsv:5: error: more than 11 fields (separated by tabs)"},
		{"# a comment\n\nA\tstandard\t20\t235\t125\t0\t125\tEUR\t2025-01-01\t2026-12-31\thttp://x\r\n",
		 "t.tsv:7: error: column 'max_thickness_mm': '0' is not a thickness in millimetres (such as 5 or 2.5)"},
		{"A\tstandard\t99999999999999999999\t235\t125\t5\t125\tEUR\t2025-01-01\t2026-12-31\thttp://x\n",
		 "t.tsv:5: error: column 'max_g': '99999999999999999999' is not a weight in grams (such as 20 or 20.5)"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = parse(cases[i][0], NULL);
		char name[64];
		snprintf(name, sizeof name, "broken line %zu", i + 1);
		check(name, cases[i][1], got);
		free(got);
	}
	/* No header, no operator: said once each, at the file. */
	ev_diags d = {0};
	ev_tariff t;
	const char *src = "country\tDE\n";
	int rc = ev_tariff_parse(src, strlen(src), "t.tsv", &t, &d);
	char *got = diags_text(&d);
	check("no operator, no header", "t.tsv: error: no 'operator<TAB>NAME' line\n"
	      "t.tsv: error: no header line 'band<TAB>service<TAB>...'", got);
	check_int("no operator: fails", -1, rc);
	free(got);
	ev_tariff_free(&t);
	ev_diags_free(&d);
}

/* Each bundled file parses, and every prefix of it parses or fails with
 * errors, never worse (ASan watches in the sanitizer build). */
static void bundled(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		size_t len;
		char *src = ev_case_read_file(argv[i], &len);
		if (!src) {
			check(argv[i], "readable", NULL);
			continue;
		}
		ev_diags d = {0};
		ev_tariff t;
		check_int(argv[i], 0, ev_tariff_parse(src, len, argv[i], &t, &d));
		check_int("bundled: no diagnostics", 0, (long long)d.n);
		check_int("bundled: bands", 1, t.nbands > 0);
		ev_tariff_free(&t);
		ev_diags_free(&d);
		for (size_t n = 0; n < len; n++) {
			char *cut = malloc(n ? n : 1);
			memcpy(cut, src, n);
			ev_tariff_parse(cut, n, argv[i], &t, &d);
			ev_tariff_free(&t);
			ev_diags_free(&d);
			free(cut);
		}
		free(src);
	}
}

static char *piece_text(const ev_posting *p, size_t pages)
{
	ev_piece pc;
	char why[400], w[32];
	int rc = ev_postage_piece(p, pages, &pc, why, sizeof why);
	char *out = malloc(512);
	ev_weight_format(pc.weight_ug, w, sizeof w);
	if (rc == 0)
		snprintf(out, 512, "%zu sheets %s g %d um %s %lld", pc.sheets, w, pc.thickness_um,
		         pc.band->name, (long long)pc.band->price);
	else
		snprintf(out, 512, "rejected: %s", why);
	return out;
}

static void pieces(void)
{
	ev_tariff t;
	char *ok = parse(
		"Standardbrief\tstandard\t20\t235\t125\t5\t125\tEUR\t2025-01-01\t2026-12-31\tx\n"
		"Kompaktbrief\tstandard\t50\t235\t125\t10\t180\tEUR\t2025-01-01\t2026-12-31\tx\n"
		"Großbrief\tstandard\t500\t353\t250\t20\t330\tEUR\t2025-01-01\t2026-12-31\tx\n"
		"Standardbrief\tregistered\t20\t235\t125\t5\t495\tEUR\t2025-01-01\t2026-12-31\tx\n"
		"Old\tstandard\t20\t235\t125\t5\t110\tEUR\t2024-01-01\t2024-12-31\tx\n", &t);
	check("pieces: tariff", "ok 5", ok);
	free(ok);
	ev_posting p = {
		.tariff = &t, .service = EV_SERVICE_STANDARD, .date = 20250602,
		.paper_gsm = 80, .paper_w_mm = 210, .paper_h_mm = 297,
		.envelope = ev_envelope_find("dl"), .envelope_ug = 5000000, .duplex = true,
	};
	static const struct { size_t pages; const char *want; } dl[] = {
		{1, "1 sheets 9.99 g 525 um Standardbrief 125"},
		{2, "1 sheets 9.99 g 525 um Standardbrief 125"},
		{6, "3 sheets 19.97 g 1125 um Standardbrief 125"},
		{7, "4 sheets 24.96 g 1425 um Kompaktbrief 180"},
		{40, "20 sheets 104.79 g 6225 um Großbrief 330"},
	};
	for (size_t i = 0; i < sizeof dl / sizeof *dl; i++) {
		char *got = piece_text(&p, dl[i].pages);
		check("DL duplex", dl[i].want, got);
		free(got);
	}
	/* At the limit: 3 sheets and an envelope of 5.0312 g make 20.00 g. */
	p.envelope_ug = 5031200;
	char *got = piece_text(&p, 6);
	check("20.00 g is a Standardbrief", "3 sheets 20.00 g 1125 um Standardbrief 125", got);
	free(got);
	p.envelope_ug = 5041200;
	got = piece_text(&p, 6);
	check("20.01 g is not", "3 sheets 20.01 g 1125 um Kompaktbrief 180", got);
	free(got);
	p.envelope_ug = 5000000;
	/* Simplex: a sheet a page. */
	p.duplex = false;
	got = piece_text(&p, 4);
	check("simplex", "4 sheets 24.96 g 1425 um Kompaktbrief 180", got);
	free(got);
	p.duplex = true;
	/* Registered; the date picks the price in force. */
	p.service = EV_SERVICE_REGISTERED;
	got = piece_text(&p, 2);
	check("registered", "1 sheets 9.99 g 525 um Standardbrief 495", got);
	free(got);
	got = piece_text(&p, 7);
	check("registered, too heavy", "rejected: 4 sheets in a DL envelope make 24.96 g and "
	      "1.4 mm, more than any registered band of Test Post takes (t.tsv)", got);
	free(got);
	p.service = EV_SERVICE_STANDARD;
	p.date = 20240601;
	got = piece_text(&p, 2);
	check("2024's price", "1 sheets 9.99 g 525 um Old 110", got);
	free(got);
	/* A C4 envelope is larger than the letters' bands. */
	p.date = 20250602;
	p.envelope = ev_envelope_find("C4");
	got = piece_text(&p, 2);
	check("C4 (the envelope weight as set)", "1 sheets 9.99 g 325 um Großbrief 330", got);
	free(got);
	p.date = 20240601;
	got = piece_text(&p, 2);
	check("C4 in 2024", "rejected: a C4 envelope (324 × 229 mm) is larger than every "
	      "standard band of Test Post (t.tsv)", got);
	free(got);
	/* The whole tariff out of date, and a service it lacks. */
	ev_diags d = {0};
	p.date = 20270104;
	check_int("2027: refused", -1, ev_posting_check(&p, &d));
	got = diags_text(&d);
	check("2027", "t.tsv: error: the posting date (the letter's date:) 2027-01-04 is "
	      "outside this tariff, which gives Test Post's standard prices from 2024-01-01 "
	      "to 2026-12-31; add the prices in force on that date to this file (or give a "
	      "folder of current tariffs with --tariffs)", got);
	free(got);
	ev_diags_free(&d);
	p.date = 20250602;
	check_int("2025: in force", 0, ev_posting_check(&p, &d));
	ev_tariff_free(&t);
	ok = parse("Letter\tstandard\t100\t240\t165\t5\t320\tGBP\t2025-04-07\t2026-04-06\tx\n", &t);
	free(ok);
	p.tariff = &t;
	p.service = EV_SERVICE_REGISTERED;
	check_int("no registered: refused", -1, ev_posting_check(&p, &d));
	got = diags_text(&d);
	check("no registered", "t.tsv: error: Test Post has no price for registered letters; "
	      "add its bands to this file (with their source), or post them another way", got);
	free(got);
	ev_diags_free(&d);

	/* Totals: per band, in the tariff's order, whatever came first. */
	p.service = EV_SERVICE_STANDARD;
	ev_totals tot = {0};
	ev_piece pc;
	char why[200];
	ev_tariff_free(&t);
	free(parse("A\tstandard\t20\t235\t125\t5\t125\tEUR\t2025-01-01\t2026-12-31\tx\n"
	           "B\tstandard\t50\t235\t125\t10\t180\tEUR\t2025-01-01\t2026-12-31\tx\n", &t));
	p.tariff = &t;
	p.envelope = ev_envelope_find("DL");
	size_t order[] = {8, 2, 2, 8, 2};
	for (size_t i = 0; i < 5; i++)
		if (ev_postage_piece(&p, order[i], &pc, why, sizeof why) == 0)
			ev_totals_add(&tot, &pc);
	ev_buf txt = {0};
	ev_totals_text(&txt, &tot, "");
	ev_buf_putc(&txt, '\0');
	check("totals", "3 × A (standard) at 1.25 = 3.75 EUR\n2 × B (standard) at 1.80 = 3.60 EUR\n",
	      txt.data);
	check_int("total postage", 735, tot.all.postage);
	check_int("total pieces", 5, (long long)tot.all.pieces);
	ev_buf_free(&txt);
	ev_totals_free(&tot);
	ev_tariff_free(&t);
}

static void formats(void)
{
	static const struct { long long v; const char *money, *g, *kg; } f[] = {
		{0, "0.00", "0.00", "0.000"},
		{5, "0.05", "0.00", "0.001"},
		{4999, "49.99", "0.00", "0.001"},
		{5000, "50.00", "0.01", "0.001"},
		{9989600, "99896.00", "9.99", "0.010"},
		{1000000, "10000.00", "1.00", "0.001"},
		{1000001, "10000.01", "1.00", "0.002"},
		{-5, "-0.05", "0.00", "0.000"},
	};
	char a[64];
	for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
		ev_money_format(f[i].v, a, sizeof a);
		check("money", f[i].money, a);
		ev_weight_format(f[i].v, a, sizeof a);
		check("grams", f[i].g, a);
		ev_weight_kg_format(f[i].v, a, sizeof a);
		check("kilograms", f[i].kg, a);
	}
	check_int("29 Feb 2024", 20240229, ev_date_make(29, 2, 2024));
	check_int("29 Feb 2026", 0, ev_date_make(29, 2, 2026));
	check_int("29 Feb 2000", 20000229, ev_date_make(29, 2, 2000));
	check_int("29 Feb 2100", 0, ev_date_make(29, 2, 2100));
	check_int("31 Apr", 0, ev_date_make(31, 4, 2025));
	check_int("envelope names", 1, ev_envelope_find("c6/5") && !ev_envelope_find("C6"));
}

int main(int argc, char **argv)
{
	broken_lines();
	bundled(argc, argv);
	pieces();
	formats();
	printf("postage: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
