/* manifest.c - writing manifest rows as RFC 4180 CSV (see manifest.h). */
#include "manifest.h"

#include <stdbool.h>
#include <string.h>

#include "postage.h"

int ev_csv_field(ev_buf *out, const char *s)
{
	bool formula = strchr("=+-@\t\r", s[0]) && s[0];
	bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		ev_buf_putc(out, '"');
	if (formula)
		ev_buf_putc(out, '\'');
	/* Each stretch up to and with a quote at once, the quote doubled. */
	for (const char *p = s;;) {
		const char *q = strchr(p, '"');
		ev_buf_append(out, p, q ? (size_t)(q - p) + 1 : strlen(p));
		if (!q)
			break;
		ev_buf_putc(out, '"');
		p = q + 1;
	}
	if (quote)
		ev_buf_putc(out, '"');
	return out->failed ? -1 : 0;
}

int ev_manifest_header(ev_buf *out)
{
	ev_buf_puts(out, "seq,id,line,status,reason,name,name_latin");
	for (int i = 1; i <= EV_MANIFEST_ADDRESS_LINES; i++)
		ev_buf_printf(out, ",address_%d", i);
	for (int i = 1; i <= EV_MANIFEST_ADDRESS_LINES; i++)
		ev_buf_printf(out, ",address_latin_%d", i);
	ev_buf_puts(out, ",postcode,country,pages,file,sheets,weight_g,band,service,"
	            "postage,currency,sha256,tracking\r\n");
	return out->failed ? -1 : 0;
}

int ev_manifest_add(ev_buf *out, const ev_manifest_row *r)
{
	ev_buf_printf(out, "%zu,", r->seq);
	ev_csv_field(out, r->id);
	ev_buf_printf(out, ",%ld,%s,", r->line, r->status);
	ev_csv_field(out, r->reason);
	ev_buf_putc(out, ',');
	ev_csv_field(out, r->name);
	ev_buf_putc(out, ',');
	ev_csv_field(out, r->name_latin);
	for (size_t i = 0; i < EV_MANIFEST_ADDRESS_LINES; i++) {
		ev_buf_putc(out, ',');
		ev_csv_field(out, i < r->naddress ? r->address[i] : "");
	}
	for (size_t i = 0; i < EV_MANIFEST_ADDRESS_LINES; i++) {
		ev_buf_putc(out, ',');
		ev_csv_field(out, r->address_latin && i < r->naddress ? r->address_latin[i] : "");
	}
	ev_buf_putc(out, ',');
	ev_csv_field(out, r->postcode);
	ev_buf_putc(out, ',');
	ev_csv_field(out, r->country);
	ev_buf_printf(out, ",%zu,", r->pages);
	ev_csv_field(out, r->file);
	if (r->band) {
		char w[32], m[32];
		ev_weight_format(r->weight_ug, w, sizeof w);
		ev_money_format(r->band->price, m, sizeof m);
		ev_buf_printf(out, ",%zu,%s,", r->sheets, w);
		ev_csv_field(out, r->band->name);
		ev_buf_printf(out, ",%s,%s,%s,", ev_service_names[r->band->service], m,
		              r->band->currency);
	} else {
		ev_buf_puts(out, ",,,,,,,");
	}
	ev_csv_field(out, r->sha256 ? r->sha256 : "");
	ev_buf_putc(out, ',');
	ev_csv_field(out, r->tracking ? r->tracking : "");
	ev_buf_puts(out, "\r\n");
	return out->failed ? -1 : 0;
}
