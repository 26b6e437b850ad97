/* clickdrop.c - Royal Mail Click & Drop order import rows (clickdrop.h). */
#include "clickdrop.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manifest.h"
#include "postage.h"
#include "scheme.h"

/* The columns, named as the import specification names its fields, so
 * Click & Drop's import maps them without a manual step. */
static const char *const header[] = {
	"Order reference", "Date", "First Name", "Last Name", "Full name",
	"Company Name", "Address line 1", "Address line 2", "Address line 3",
	"City", "County", "Postcode", "Country", "Weight", "Package Size",
	"Shipping Cost", "Currency Code",
};

int ev_clickdrop_header(ev_buf *out)
{
	for (size_t i = 0; i < sizeof header / sizeof *header; i++) {
		if (i)
			ev_buf_putc(out, ',');
		ev_csv_field(out, header[i]);
	}
	ev_buf_puts(out, "\r\n");
	return out->failed ? -1 : 0;
}

/* One field: ASCII, single spaces, at most max characters. */
static int field(ev_buf *out, const char *s, size_t max, bool first)
{
	char *a = ev_ascii(s ? s : "");
	if (!a)
		return -1;
	size_t n = 0;
	for (const char *p = a; *p; p++) {
		if ((*p == ' ' || *p == '\t') && (n == 0 || a[n - 1] == ' '))
			continue;
		a[n++] = *p == '\t' ? ' ' : *p;
	}
	while (n && a[n - 1] == ' ')
		n--;
	a[n < max ? n : max] = '\0';
	if (!first)
		ev_buf_putc(out, ',');
	ev_csv_field(out, a);
	free(a);
	return 0;
}

int ev_clickdrop_add(ev_buf *out, const ev_clickdrop_row *r)
{
	/* "alnum 40, unique": the sequence number and the id, other signs
	 * as hyphens */
	char ref[41];
	char *id = ev_ascii(r->id);
	if (!id)
		return -1;
	int n = snprintf(ref, sizeof ref, "%zu-", r->seq);
	for (const char *p = id; *p && n < 40; p++) {
		bool alnum = (*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
		             (*p >= 'a' && *p <= 'z');
		ref[n++] = alnum ? *p : '-';
	}
	ref[n] = '\0';
	free(id);
	char date[16], kg[32], cost[32];
	snprintf(date, sizeof date, "%02d/%02d/%02d", (int)(r->date % 100),
	         (int)(r->date / 100 % 100), (int)(r->date / 10000 % 100));
	ev_weight_kg_format(r->weight_ug, kg, sizeof kg);
	ev_money_format(r->postage, cost, sizeof cost);
	const char *v[] = {
		ref, date, r->first_name, r->last_name, r->full_name, r->company,
		r->line1, r->line2, r->line3, r->city, r->county, r->postcode, r->country,
		kg, "letter", cost, r->currency,
	};
	static const size_t max[] = {40, 8, 100, 100, 200, 100, 100, 100, 100, 100,
	                             100, 20, 200, 16, 16, 16, 3};
	for (size_t i = 0; i < sizeof v / sizeof *v; i++)
		if (field(out, v[i], max[i], i == 0) < 0)
			return -1;
	ev_buf_puts(out, "\r\n");
	return out->failed ? -1 : 0;
}
