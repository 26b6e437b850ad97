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

/* ---- a list read in chunks gives what reading it at once does -------- */

static void dump_items(ev_buf *o, const ev_recipients *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		const ev_recipient *r = &rs->items[i];
		ev_buf_printf(o, "%zu line %ld id %s dup %ld g%d l%d [%s] [%s] %s %s:", r->seq,
		              r->line, r->id, r->duplicate_of, (int)r->gender, (int)r->lang,
		              r->name ? r->name : "-", r->name_latin ? r->name_latin : "-",
		              r->reason ? r->reason : "ok",
		              r->reason_column ? r->reason_column : "-");
		for (size_t a = 0; a < r->naddress; a++)
			ev_buf_printf(o, " | %s", r->address[a]);
		ev_buf_putc(o, '\n');
	}
}

static void dump_counts(ev_buf *o, const ev_recipients *rs, const ev_diags *d)
{
	ev_buf_printf(o, "rejected %zu duplicates %zu repaired %zu lost %zu inferred %zu "
	              "unknown %zu\n", rs->rejected, rs->duplicates, rs->repaired,
	              rs->lost, rs->gender_inferred, rs->gender_unknown);
	for (size_t i = 0; i < d->n; i++)
		ev_buf_printf(o, "diag %d %ld:%ld %s: %s\n", (int)d->items[i].severity,
		              d->items[i].line, d->items[i].col,
		              d->items[i].column ? d->items[i].column : "-", d->items[i].message);
}

/* The list in chunks of `chunk` rows, then built again (replay): both
 * dumps must equal building it at once (`whole`). */
static void compare_chunked(ev_buf *got, const opts *o, const ev_decoded *dec,
                            const ev_buf *whole, size_t chunk)
{
	ev_diags d = {0};
	ev_buf mine = {0}, again = {0};
	ev_csv_options co = {.delimiter = o->delimiter};
	ev_recipient_options ro = {.map = o->map, .nmap = o->nmap,
	                           .keep_duplicates = o->keep_duplicates,
	                           .encoding = dec->encoding};
	ev_table *t = ev_csv_open(dec->text, dec->len, "list.csv", &co, &d);
	ev_recipients *rs = t ? ev_recipients_begin(t, "list.csv", &ro, &d) : NULL;
	long n = 0;
	while (rs && (n = ev_csv_next(t, chunk, &d)) > 0 && ev_recipients_next(rs, &d) == 0)
		dump_items(&mine, rs);
	if (rs && n == 0 && ev_recipients_finish(rs, &d) == 0) {
		ev_diags_sort(&d);
		dump_counts(&mine, rs, &d);
		ev_csv_rewind(t);
		ev_recipients_replay(rs);
		ev_diags scratch = {0};   /* the reader's errors for broken rows again */
		while (ev_csv_next(t, chunk, &scratch) > 0 && ev_recipients_next(rs, NULL) == 0)
			dump_items(&again, rs);
		ev_diags_free(&scratch);
		ev_diags_clear(&d);
		dump_counts(&again, rs, &d);
	} else {
		ev_buf_reset(&mine);   /* what came before does not matter */
		ev_buf_puts(&mine, "unusable\n");
	}
	if (mine.len != whole->len || (mine.len && memcmp(mine.data, whole->data, mine.len)))
		ev_buf_printf(got, "!! in chunks of %zu rows the recipients differ:\n"
		              "--- at once\n%s--- in chunks\n%s", chunk,
		              whole->data ? whole->data : "", mine.data ? mine.data : "");
	else if (again.len) {
		/* Built again: the same rows, verdicts and counts (no diagnostics). */
		ev_buf items = {0};
		const char *counts = strstr(mine.data, "rejected ");
		size_t keep = counts ? (size_t)(counts - mine.data) : mine.len;
		ev_buf_append(&items, mine.data, keep);
		const char *nl = counts ? strchr(counts, '\n') : NULL;
		if (nl)
			ev_buf_append(&items, counts, (size_t)(nl - counts) + 1);
		if (items.len != again.len || (again.len && memcmp(items.data, again.data, again.len)))
			ev_buf_printf(got, "!! built again (replay) in chunks of %zu rows, the "
			              "recipients differ:\n--- first\n%s--- again\n%s", chunk,
			              items.data ? items.data : "", again.data);
		ev_buf_free(&items);
	}
	ev_buf_free(&mine);
	ev_buf_free(&again);
	ev_recipients_free(rs);
	ev_table_free(t);
	ev_diags_free(&d);
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
	if (t) {
		ev_buf whole = {0};
		if (rs) {
			dump_items(&whole, rs);
			dump_counts(&whole, rs, &d);
		} else {
			ev_buf_puts(&whole, "unusable\n");
		}
		compare_chunked(got, o, &dec, &whole, 1);
		if (show)
			compare_chunked(got, o, &dec, &whole, 3);
		ev_buf_free(&whole);
	}
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

/* A list changed between the two readings of a batch: built again, the
 * row that is not what it was stops the replay with an error at its line,
 * and the rows before it come out as they were. Returns the failures. */
static int changed_list(void)
{
	static const char before[] = "surname,postcode,city,street\n"
	        "Иванов,220030,Минск,ул. Ленина 1\nПетров,220031,Минск,ул. Ленина 2\n";
	static const char after[] = "surname,postcode,city,street\n"
	        "Иванов,220030,Минск,ул. Ленина 1\nСидоров,220031,Минск,ул. Ленина 2\n";
	ev_diags d = {0};
	int bad = 0;
	ev_table *t1 = ev_csv_open(before, sizeof before - 1, "list.csv", NULL, &d);
	ev_table *t2 = ev_csv_open(after, sizeof after - 1, "list.csv", NULL, &d);
	ev_recipients *rs = t1 && t2 ? ev_recipients_begin(t1, "list.csv", NULL, &d) : NULL;
	if (!rs || ev_csv_next(t1, 1, &d) != 1 || ev_recipients_next(rs, &d) < 0 ||
	    ev_csv_next(t1, 1, &d) != 1 || ev_recipients_next(rs, &d) < 0 ||
	    ev_csv_next(t1, 1, &d) != 0 || ev_recipients_finish(rs, &d) < 0 || d.n) {
		printf("FAIL changed list: the first reading\n");
		bad++;
	}
	ev_diags_clear(&d);
	/* The second reading sees the changed file. */
	if (rs) {
		rs->table = t2;
		ev_recipients_replay(rs);
	}
	if (rs && (ev_csv_next(t2, 1, &d) != 1 || ev_recipients_next(rs, &d) != 0 ||
	           strcmp(rs->items[0].name, "Иванов"))) {
		printf("FAIL changed list: the unchanged row is not built again\n");
		bad++;
	}
	if (rs && (ev_csv_next(t2, 1, &d) != 1 || ev_recipients_next(rs, &d) != -1 ||
	           d.errors != 1 || d.items[0].line != 3 ||
	           !strstr(d.items[0].message, "changed"))) {
		printf("FAIL changed list: the changed row on line 3 is not refused (%s)\n",
		       d.n ? d.items[0].message : "no error");
		bad++;
	}
	ev_recipients_free(rs);
	ev_table_free(t1);
	ev_table_free(t2);
	ev_diags_free(&d);
	return bad;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test-recipients CASES-FILE\n");
		return 2;
	}
	int bad = changed_list();
	return ev_cases_run(argv[1], "recipients", run) || bad ? 1 : 0;
}
