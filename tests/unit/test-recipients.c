/* test-recipients.c - runs the whole reading path (encoding -> CSV ->
 * recipients -> check report) over the examples in tests/cases/recipients.txt.
 *
 * For each case it prints the `envoi check` report and one line per row
 * (status, gender, name in both scripts, address), and checks invariants on
 * the input and on every truncation of it: every row is accounted for,
 * each rejected row has its error, every value is valid UTF-8.
 * Usage: test-recipients CASES-FILE
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casefile.h"
#include "encoding.h"
#include "recipient.h"
#include "report.h"
#include "table.h"
#include "text.h"

#define MUTATE_MAX 1024u

typedef struct opts {
	ev_encoding encoding;
	char delimiter;
	const char *map[8];
	size_t nmap;
	bool keep_duplicates;
	bool rows;            /* print one line per row (default yes) */
} opts;

static bool parse(opts *o, char *s)
{
	*o = (opts){.rows = true};
	for (char *tok = strtok(s, " "); tok; tok = strtok(NULL, " ")) {
		char *eq = strchr(tok, '=');
		if (!eq)
			return false;
		*eq++ = '\0';
		if (!strcmp(tok, "encoding")) {
			if (ev_encoding_parse(eq, &o->encoding) < 0)
				return false;
		} else if (!strcmp(tok, "delimiter")) {
			o->delimiter = !strcmp(eq, "tab") ? '\t' : eq[0];
		} else if (!strcmp(tok, "map") && o->nmap < 8) {
			o->map[o->nmap++] = eq;
		} else if (!strcmp(tok, "keep_duplicates")) {
			o->keep_duplicates = !strcmp(eq, "1");
		} else if (!strcmp(tok, "rows")) {
			o->rows = !strcmp(eq, "1");
		} else {
			return false;
		}
	}
	return true;
}

static void show_rows(ev_buf *got, const ev_recipients *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		const ev_recipient *r = &rs->items[i];
		ev_buf_printf(got, "row %ld: %s", r->line, r->reason ? "rejected" : "ok");
		const char *g = ev_gender_code(r->gender);
		ev_buf_printf(got, " gender=%s%s%s", *g ? g : "?",
		              r->gender_from ? "/" : "", r->gender_from ? r->gender_from : "");
		ev_buf_printf(got, " [%s] [%s]", r->name, r->name_latin);
		if (!r->reason) {
			ev_buf_puts(got, " {");
			for (size_t k = 0; k < r->naddress; k++)
				ev_buf_printf(got, "%s%s", k ? " / " : "", r->address[k]);
			ev_buf_puts(got, "}");
		}
		ev_buf_putc(got, '\n');
	}
}

/* The invariants, printed as "!!" lines when broken. */
static void check(ev_buf *got, const ev_table *t, const ev_recipients *rs,
                  const ev_diags *d)
{
	if (!rs)
		return;
	if (rs->n != t->nrows)
		ev_buf_printf(got, "!! %zu rows read, %zu recipients\n", t->nrows, rs->n);
	size_t rejected = 0;
	for (size_t i = 0; i < rs->n; i++) {
		const ev_recipient *r = &rs->items[i];
		rejected += r->reason != NULL;
		for (size_t c = 0; c < t->ncols; c++)
			if (ev_utf8_invalid_at(r->values[c], strlen(r->values[c])) != (size_t)-1)
				ev_buf_printf(got, "!! row %ld column %zu is not UTF-8\n", r->line, c + 1);
		if (!r->reason)
			continue;
		size_t errors = 0;
		for (size_t k = 0; k < d->n; k++)
			errors += d->items[k].severity == EV_ERROR && d->items[k].line >= r->line &&
			          (i + 1 == rs->n || d->items[k].line < rs->items[i + 1].line);
		if (errors != 1)
			ev_buf_printf(got, "!! rejected row %ld has %zu errors\n", r->line, errors);
	}
	if (rejected != rs->rejected)
		ev_buf_printf(got, "!! %zu rejected rows, count says %zu\n", rejected, rs->rejected);
}

static void run_once(ev_buf *got, const opts *o, const char *data, size_t len,
                     bool show)
{
	ev_diags d = {0};
	ev_decoded dec = {0};
	ev_table *t = NULL;
	ev_recipients *rs = NULL;
	if (ev_decode(data, len, o->encoding, "list.csv", &dec, &d) == 0) {
		ev_csv_options co = {.delimiter = o->delimiter};
		t = ev_csv_read(dec.text, dec.len, "list.csv", &co, &d);
	}
	if (t) {
		ev_recipient_options ro = {.map = o->map, .nmap = o->nmap,
		                           .keep_duplicates = o->keep_duplicates,
		                           .encoding = dec.encoding};
		rs = ev_recipients_build(t, "list.csv", &ro, &d);
	}
	ev_diags_sort(&d);
	if (show) {
		ev_report_in ri = {.file = "list.csv", .table = t, .rs = rs, .d = &d,
		                   .encoding = dec.text ? ev_encoding_name(dec.encoding) : NULL,
		                   .encoding_how = dec.text ? dec.how : NULL};
		ev_report_text(got, &ri);
		if (rs && o->rows)
			show_rows(got, rs);
	}
	if (!t && !d.errors)
		ev_buf_puts(got, "!! no table and no error\n");
	if (t)
		check(got, t, rs, &d);
	ev_recipients_free(rs);
	ev_table_free(t);
	ev_decoded_free(&dec);
	ev_diags_free(&d);
}

static bool run(ev_buf *got, const ev_case *c)
{
	opts o;
	char buf[sizeof c->options];
	snprintf(buf, sizeof buf, "%s", c->options);
	if (!parse(&o, buf))
		return false;
	const char *data = c->input.data ? c->input.data : "";
	run_once(got, &o, data, c->input.len, true);
	/* Every truncation: no crash, invariants hold. */
	for (size_t i = 0; c->input.len <= MUTATE_MAX && i < c->input.len; i++) {
		size_t before = got->len;
		run_once(got, &o, data, i, false);
		if (got->len != before) {
			ev_buf_printf(got, "!! (above: input cut at byte %zu)\n", i);
			break;
		}
	}
	return true;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test-recipients CASES-FILE\n");
		return 2;
	}
	return ev_cases_run(argv[1], "recipients", run);
}
