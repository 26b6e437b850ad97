/* totals.c - postage added up per band (see totals.h). */
#include "totals.h"

#include <stdlib.h>
#include <string.h>

#include "report.h"

int ev_totals_add(ev_totals *t, const ev_piece *p)
{
	size_t i = 0;
	while (i < t->n && t->rows[i].band != p->band)
		i++;
	if (i == t->n) {
		if (t->n == t->cap) {
			size_t c = t->cap ? t->cap * 2 : 8;
			ev_total *v = realloc(t->rows, c * sizeof *v);
			if (!v)
				return -1;
			t->rows = v;
			t->cap = c;
		}
		/* kept in the tariff's order, so the output does not depend on
		 * which band came first */
		while (i > 0 && t->rows[i - 1].band > p->band) {
			t->rows[i] = t->rows[i - 1];
			i--;
		}
		t->rows[i] = (ev_total){.band = p->band};
		t->n++;
	}
	ev_total *r[2] = {&t->rows[i], &t->all};
	for (int k = 0; k < 2; k++) {
		r[k]->pieces++;
		r[k]->weight_ug += p->weight_ug;
		r[k]->postage += p->band->price;
	}
	return 0;
}

void ev_totals_free(ev_totals *t)
{
	free(t->rows);
	*t = (ev_totals){0};
}

static void sums(ev_buf *out, const ev_total *r)
{
	char w[32], m[32];
	ev_weight_format(r->weight_ug, w, sizeof w);
	ev_money_format(r->postage, m, sizeof m);
	ev_buf_printf(out, "\"pieces\": %zu, \"weight_g\": \"%s\", \"postage\": \"%s\", "
	              "\"postage_minor\": %lld", r->pieces, w, m, (long long)r->postage);
}

int ev_totals_json(ev_buf *out, const ev_totals *t, const ev_totals_about *a)
{
	const ev_posting *p = a->posting;
	const ev_tariff *tf = p->tariff;
	const char *currency = tf->nbands ? tf->bands[0].currency : "";
	char env[32];
	ev_weight_format(p->envelope_ug, env, sizeof env);
	/* The tariff by its file name: where it was read from is the
	 * machine's business, and must not change the output. */
	const char *slash = strrchr(tf->path, '/');
	ev_buf_puts(out, "{\n  \"operator\": ");
	ev_json_string(out, tf->operator_name);
	ev_buf_printf(out, ",\n  \"posting_country\": \"%s\",\n  \"posting_date\": \"%s\","
	              "\n  \"service\": \"%s\",\n  \"currency\": \"%s\",\n  \"tariff\": ",
	              tf->country, a->posting_date, ev_service_names[p->service], currency);
	ev_json_string(out, slash ? slash + 1 : tf->path);
	ev_buf_printf(out, ",\n  \"paper\": {\"width_mm\": %d, \"height_mm\": %d, "
	              "\"g_per_m2\": %d, \"duplex\": %s},\n  \"envelope\": {\"size\": \"%s\", "
	              "\"weight_g\": \"%s\"},\n  \"rows\": %zu,\n  \"rejected\": %zu,\n"
	              "  \"skipped\": %zu,\n  \"bands\": [", p->paper_w_mm, p->paper_h_mm,
	              p->paper_gsm, p->duplex ? "true" : "false", p->envelope->name, env,
	              a->rows, a->rejected, a->skipped);
	for (size_t i = 0; i < t->n; i++) {
		const ev_band *b = t->rows[i].band;
		char price[32];
		ev_money_format(b->price, price, sizeof price);
		ev_buf_puts(out, i ? ",\n    {\"band\": " : "\n    {\"band\": ");
		ev_json_string(out, b->name);
		ev_buf_printf(out, ", \"service\": \"%s\", \"price\": \"%s\", ",
		              ev_service_names[b->service], price);
		sums(out, &t->rows[i]);
		ev_buf_puts(out, "}");
	}
	ev_buf_puts(out, t->n ? "\n  ],\n  \"total\": {" : "],\n  \"total\": {");
	sums(out, &t->all);
	ev_buf_puts(out, "}\n}\n");
	return out->failed ? -1 : 0;
}

int ev_totals_text(ev_buf *out, const ev_totals *t, const char *indent)
{
	for (size_t i = 0; i < t->n; i++) {
		const ev_band *b = t->rows[i].band;
		char price[32], sum[32];
		ev_money_format(b->price, price, sizeof price);
		ev_money_format(t->rows[i].postage, sum, sizeof sum);
		ev_buf_printf(out, "%s%zu × %s (%s) at %s = %s %s\n", indent, t->rows[i].pieces,
		              b->name, ev_service_names[b->service], price, sum, b->currency);
	}
	return out->failed ? -1 : 0;
}
