/* postage.c - tariff files, envelopes and the band of a piece (see
 * postage.h). Integer arithmetic throughout: micrograms, micrometres and
 * minor units of money, so no total depends on rounding or the locale. */
#include "postage.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const ev_service_names[EV_SERVICE_COUNT] = {"standard", "registered"};

/* ---- envelopes ---- */

/* Sizes: postal.md §3.1 (ISO 269). Weights at 80-90 g/m²: DL about 5 g
 * (lettershop-berlin, postal.md §5.4); C6/5 by area from DL; C5 and C4 are
 * derived from their area (postal.md marks them unverified): set
 * `envelope-weight:` when the stock's weight is known. Layers: an A4 sheet
 * is folded in three for DL and C6/5, once for C5, not at all for C4. */
static const ev_envelope envelopes[] = {
	{"DL", 220, 110, 5000000, 3},
	{"C6/5", 229, 114, 5300000, 3},
	{"C5", 229, 162, 8000000, 2},
	{"C4", 324, 229, 18000000, 1},
};

const ev_envelope *ev_envelope_find(const char *name)
{
	for (size_t i = 0; i < sizeof envelopes / sizeof *envelopes; i++)
		if (!strcasecmp(name, envelopes[i].name))
			return &envelopes[i];
	return NULL;
}

void ev_envelope_names(char *out, size_t cap)
{
	size_t at = 0;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof envelopes / sizeof *envelopes && at < cap; i++)
		at += (size_t)snprintf(out + at, cap - at, "%s%s", i ? ", " : "",
		                       envelopes[i].name);
}

/* ---- numbers and dates ---- */

void ev_money_format(int64_t minor, char *out, size_t cap)
{
	uint64_t v = minor < 0 ? 0 - (uint64_t)minor : (uint64_t)minor;
	snprintf(out, cap, "%s%llu.%02llu", minor < 0 ? "-" : "",
	         (unsigned long long)(v / 100), (unsigned long long)(v % 100));
}

void ev_weight_format(int64_t ug, char *out, size_t cap)
{
	int64_t cg = ug < 0 ? 0 : (ug + 5000) / 10000;   /* hundredths of a gram */
	snprintf(out, cap, "%lld.%02lld", (long long)(cg / 100), (long long)(cg % 100));
}

void ev_weight_kg_format(int64_t ug, char *out, size_t cap)
{
	int64_t g = ug <= 0 ? 0 : (ug + 999999) / 1000000;   /* whole grams, up */
	snprintf(out, cap, "%lld.%03lld", (long long)(g / 1000), (long long)(g % 1000));
}

int32_t ev_date_make(int d, int m, int y)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > days[m - 1] + (m == 2 && leap))
		return 0;
	return (int32_t)(y * 10000 + m * 100 + d);
}

/* A decimal number with at most `places` decimals (a point, not a comma),
 * as an integer scaled by 10^places; -1 when it is not one or is too big. */
static int64_t decimal(const char *s, int places)
{
	int64_t v = 0;
	int frac = -1;
	if (!*s)
		return -1;
	for (const char *p = s; *p; p++) {
		if (*p == '.' && frac < 0 && p != s && p[1]) {
			frac = 0;
			continue;
		}
		if (*p < '0' || *p > '9' || frac == places || v > INT64_MAX / 100)
			return -1;
		v = v * 10 + (*p - '0');
		if (frac >= 0)
			frac++;
	}
	for (int i = frac < 0 ? 0 : frac; i < places; i++)
		v *= 10;
	return v;
}

static int32_t iso_date(const char *s)
{
	int d, m, y, end = -1;
	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &end) != 3 || end != 10)
		return 0;
	return ev_date_make(d, m, y);
}

/* ---- tariff files ---- */

static const char *const columns[] = {
	"band", "service", "max_g", "max_long_mm", "max_short_mm",
	"max_thickness_mm", "price", "currency", "valid_from", "valid_to", "source",
};
#define NCOLUMNS (sizeof columns / sizeof *columns)

typedef struct parser {
	const char *path;
	ev_diags *d;
	long line;
	int errors;
} parser;

static void bad(parser *ps, const char *column, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void bad(parser *ps, const char *column, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ev_diag_addv(ps->d, EV_ERROR, ps->path, ps->line, 0, column, fmt, ap);
	va_end(ap);
	ps->errors++;
}

/* Split a line at tabs into at most `max` fields (in place). */
static size_t split(char *s, char **f, size_t max)
{
	size_t n = 0;
	f[n++] = s;
	for (char *p = s; *p; p++)
		if (*p == '\t') {
			*p = '\0';
			if (n == max)
				return max + 1;
			f[n++] = p + 1;
		}
	return n;
}

static int band_row(parser *ps, char **f, ev_band *b)
{
	int before = ps->errors;
	*b = (ev_band){.line = ps->line};
	if (!*f[0])
		bad(ps, "band", "the band has no name");
	int s = -1;
	for (int i = 0; i < EV_SERVICE_COUNT; i++)
		if (!strcmp(f[1], ev_service_names[i]))
			s = i;
	if (s < 0)
		bad(ps, "service", "'%s' is not a service: write standard or registered", f[1]);
	b->service = (ev_service)(s < 0 ? 0 : s);
	int64_t g = decimal(f[2], 6);   /* grams, to the microgram */
	if (g <= 0)
		bad(ps, "max_g", "'%s' is not a weight in grams (such as 20 or 20.5)", f[2]);
	b->max_ug = g;
	int *dims[] = {&b->max_long_mm, &b->max_short_mm};
	for (int i = 0; i < 2; i++) {
		int64_t v = decimal(f[3 + i], 0);
		if (v <= 0 || v > 100000)
			bad(ps, columns[3 + i], "'%s' is not a length in whole millimetres", f[3 + i]);
		*dims[i] = (int)(v > 0 && v <= 100000 ? v : 0);
	}
	int64_t t = decimal(f[5], 3);   /* mm to the micrometre */
	if (t <= 0 || t > 1000000)
		bad(ps, "max_thickness_mm", "'%s' is not a thickness in millimetres "
		    "(such as 5 or 2.5)", f[5]);
	b->max_thick_um = (int)(t > 0 && t <= 1000000 ? t : 0);
	b->price = decimal(f[6], 0);
	if (b->price < 0)
		bad(ps, "price", "'%s' is not a price in whole minor units (cents, "
		    "pence, Rappen: 1.25 EUR is written 125)", f[6]);
	bool cur = strlen(f[7]) == 3;
	for (int i = 0; cur && i < 3; i++)
		cur = f[7][i] >= 'A' && f[7][i] <= 'Z';
	if (!cur)
		bad(ps, "currency", "'%s' is not a currency code (EUR, GBP, CHF)", f[7]);
	else
		memcpy(b->currency, f[7], 4);
	b->from = iso_date(f[8]);
	b->to = iso_date(f[9]);
	if (!b->from)
		bad(ps, "valid_from", "'%s' is not a date (write YYYY-MM-DD)", f[8]);
	if (!b->to)
		bad(ps, "valid_to", "'%s' is not a date (write YYYY-MM-DD)", f[9]);
	if (b->from && b->to && b->to < b->from)
		bad(ps, "valid_to", "%s is before valid_from", f[9]);
	if (!*f[10])
		bad(ps, "source", "the price has no source: name where it was read "
		    "(a URL or document)");
	if (ps->errors > before)
		return -1;
	b->name = strdup(f[0]);
	b->source = strdup(f[10]);
	return b->name && b->source ? 0 : -2;
}

/* "operator<TAB>NAME" or "country<TAB>CC<TAB>NAME..." before the header. */
static int directive(parser *ps, char **f, size_t n, ev_tariff *t)
{
	if (!strcmp(f[0], "operator") && n == 2 && *f[1] && !t->operator_name) {
		t->operator_name = strdup(f[1]);
		return t->operator_name ? 0 : -2;
	}
	if (!strcmp(f[0], "country") && n >= 2 && strlen(f[1]) == 2 && !t->country[0] &&
	    f[1][0] >= 'A' && f[1][0] <= 'Z' && f[1][1] >= 'A' && f[1][1] <= 'Z') {
		memcpy(t->country, f[1], 3);
		for (size_t i = 2; i < n && t->nnames < 14; i++)
			if (*f[i] && !(t->names[t->nnames++] = strdup(f[i])))
				return -2;
		return 0;
	}
	if (!strcmp(f[0], "language") && n == 2 && strlen(f[1]) == 2 && !t->lang[0]) {
		memcpy(t->lang, f[1], 3);
		return 0;
	}
	bad(ps, NULL, "expected 'operator<TAB>NAME', 'country<TAB>CODE<TAB>NAMES...', "
	    "'language<TAB>de' (once each) or the header line starting "
	    "'band<TAB>service'");
	return -1;
}

int ev_tariff_parse(const char *src, size_t len, const char *path, ev_tariff *t,
                    ev_diags *d)
{
	*t = (ev_tariff){0};
	parser ps = {.path = path, .d = d};
	bool header = false;
	size_t cap = 0;
	int rc = (t->path = strdup(path)) ? 0 : -2;
	for (size_t at = 0; rc > -2 && at < len;) {
		const char *nl = memchr(src + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (src + at)) : len - at;
		bool nul = memchr(src + at, '\0', n) != NULL;
		ps.line++;
		char *line = malloc(n + 1);
		if (!line) {
			rc = -2;
			break;
		}
		memcpy(line, src + at, n);
		line[n] = '\0';
		if (n && line[n - 1] == '\r')
			line[n - 1] = '\0';
		at += n + 1;
		char *f[17];   /* a band's fields, or a directive's (up to 16) */
		size_t nf;
		if (nul) {
			bad(&ps, NULL, "the line holds a NUL byte; is this a text file?");
		} else if (line[0] == '#' || !line[0]) {
			/* a comment or a blank line */
		} else if (!header && !strncmp(line, "band\t", 5)) {
			nf = split(line, f, NCOLUMNS);
			bool same = nf == NCOLUMNS;
			for (size_t i = 0; same && i < NCOLUMNS; i++)
				same = !strcmp(f[i], columns[i]);
			if (!same)
				bad(&ps, NULL, "the header line must be the columns band, service, "
				    "max_g, max_long_mm, max_short_mm, max_thickness_mm, price, "
				    "currency, valid_from, valid_to, source, separated by tabs");
			header = true;
		} else if (!header) {
			nf = split(line, f, 16);
			if (directive(&ps, f, nf, t) == -2)
				rc = -2;
		} else if ((nf = split(line, f, NCOLUMNS)) != NCOLUMNS) {
			if (nf > NCOLUMNS)
				bad(&ps, NULL, "more than %zu fields (separated by tabs)", NCOLUMNS);
			else
				bad(&ps, NULL, "%zu fields where a band has %zu (separated by "
				    "tabs)", nf, NCOLUMNS);
		} else {
			if (t->nbands == cap) {
				size_t c = cap ? cap * 2 : 16;
				ev_band *v = realloc(t->bands, c * sizeof *v);
				if (!v) {
					free(line);
					rc = -2;
					break;
				}
				t->bands = v;
				cap = c;
			}
			int k = band_row(&ps, f, &t->bands[t->nbands]);
			if (k == 0)
				t->nbands++;
			else if (k == -2)
				rc = -2;
		}
		free(line);
	}
	if (rc == -2) {
		ev_diag_add(d, EV_ERROR, path, 0, 0, NULL, "out of memory");
		return -1;
	}
	if (!t->operator_name)
		ev_diag_add(d, EV_ERROR, path, 0, 0, NULL, "no 'operator<TAB>NAME' line"), ps.errors++;
	if (!t->country[0])
		ev_diag_add(d, EV_ERROR, path, 0, 0, NULL, "no 'country<TAB>CODE' line"), ps.errors++;
	if (!t->lang[0])
		memcpy(t->lang, "en", 3);
	if (!header)
		ev_diag_add(d, EV_ERROR, path, 0, 0, NULL, "no header line "
		            "'band<TAB>service<TAB>...'"), ps.errors++;
	return ps.errors ? -1 : 0;
}

void ev_tariff_free(ev_tariff *t)
{
	for (size_t i = 0; i < t->nbands; i++) {
		free(t->bands[i].name);
		free(t->bands[i].source);
	}
	free(t->bands);
	for (size_t i = 0; i < t->nnames; i++)
		free(t->names[i]);
	free(t->path);
	free(t->operator_name);
	*t = (ev_tariff){0};
}

/* ---- pieces ---- */

static bool in_force(const ev_band *b, const ev_posting *p)
{
	return b->service == p->service && b->from <= p->date && p->date <= b->to;
}

int ev_posting_check(const ev_posting *p, ev_diags *d)
{
	const ev_tariff *t = p->tariff;
	int32_t first = 0, last = 0;
	bool service = false;
	for (size_t i = 0; i < t->nbands; i++) {
		const ev_band *b = &t->bands[i];
		if (in_force(b, p))
			return 0;
		if (b->service != p->service)
			continue;
		service = true;
		if (!first || b->from < first)
			first = b->from;
		if (b->to > last)
			last = b->to;
	}
	int32_t pd = p->date;
	if (!service)
		ev_diag_add(d, EV_ERROR, t->path, 0, 0, NULL, "%s has no price for %s "
		            "letters; add its bands to this file (with their source), or "
		            "post them another way", t->operator_name,
		            ev_service_names[p->service]);
	else
		ev_diag_add(d, EV_ERROR, t->path, 0, 0, NULL, "the posting date (the "
		            "letter's date:) %04d-%02d-%02d is outside this tariff, which "
		            "gives %s's %s prices from %04d-%02d-%02d to %04d-%02d-%02d; add "
		            "the prices in force on that date to this file (or give a "
		            "folder of current tariffs with --tariffs)",
		            pd / 10000, pd / 100 % 100, pd % 100, t->operator_name,
		            ev_service_names[p->service], first / 10000, first / 100 % 100,
		            first % 100, last / 10000, last / 100 % 100, last % 100);
	return -1;
}

int ev_postage_piece(const ev_posting *p, size_t pages, ev_piece *out, char *why,
                     size_t cap)
{
	const ev_envelope *e = p->envelope;
	size_t sheets = p->duplex ? (pages + 1) / 2 : pages;
	if (sheets == 0)
		sheets = 1;
	/* g/m² is µg/mm²; paper and envelope thickness about 1.25 µm per g/m²
	 * (80 g/m² office paper is 0.1 mm), the envelope two layers of 90. */
	int64_t sheet_ug = (int64_t)p->paper_gsm * p->paper_w_mm * p->paper_h_mm;
	*out = (ev_piece){
		.sheets = sheets,
		/* to the hundredth of a gram, as printed: the manifest's weights
		 * add up to the totals, and the band is the printed weight's */
		.weight_ug = ((int64_t)sheets * sheet_ug + p->envelope_ug + 5000) / 10000 * 10000,
		.thickness_um = (int)((int64_t)sheets * e->layers * p->paper_gsm * 5 / 4) + 225,
	};
	int longer = e->w_mm > e->h_mm ? e->w_mm : e->h_mm;
	int shorter = e->w_mm > e->h_mm ? e->h_mm : e->w_mm;
	const ev_band *heaviest = NULL;
	for (size_t i = 0; i < p->tariff->nbands; i++) {
		const ev_band *b = &p->tariff->bands[i];
		if (!in_force(b, p) || longer > b->max_long_mm || shorter > b->max_short_mm)
			continue;
		if (!heaviest || b->max_ug > heaviest->max_ug)
			heaviest = b;
		if (out->weight_ug <= b->max_ug && out->thickness_um <= b->max_thick_um) {
			out->band = b;
			return 0;
		}
	}
	char w[32];
	ev_weight_format(out->weight_ug, w, sizeof w);
	if (!heaviest)
		snprintf(why, cap, "a %s envelope (%d × %d mm) is larger than every %s "
		         "band of %s (%s)", e->name, longer, shorter,
		         ev_service_names[p->service], p->tariff->operator_name, p->tariff->path);
	else
		snprintf(why, cap, "%zu %s in a %s envelope make %s g and %d.%d mm, more "
		         "than any %s band of %s takes (%s)", sheets,
		         sheets == 1 ? "sheet" : "sheets", e->name, w,
		         out->thickness_um / 1000, out->thickness_um / 100 % 10,
		         ev_service_names[p->service], p->tariff->operator_name,
		         p->tariff->path);
	return 1;
}
