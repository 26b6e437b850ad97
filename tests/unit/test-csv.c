/* test-csv.c - runs the CSV reader over the examples in tests/cases/csv.txt.
 *
 * Each case gives input bytes and the expected table (or file error) as
 * text; the runner prints the same text for what the reader returned and
 * shows a line diff for each case that differs. Usage: test-csv CASES-FILE
 */
#define _POSIX_C_SOURCE 200809L   /* getline, strdup */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "casefile.h"
#include "table.h"
#include "diag.h"
#include "text.h"

/* Inputs up to this size are also read truncated at every byte and with
 * every byte turned into a quote, checking only that nothing crashes and
 * that the table and its diagnostics agree. */
#define MUTATE_MAX 1024u
/* Field values longer than this are shown shortened in the dump. */
#define SHOW_MAX 60u

struct lookup {
	char name[128];
};

struct tcase {
	ev_csv_options opt;
	struct lookup lookups[8];
	int nlookups;
	bool summary;         /* print row counts and the last row only */
	ev_buf input;         /* borrowed from the ev_case */
};

static int parse_options(struct tcase *c, char *s)
{
	for (char *tok = strtok(s, " "); tok; tok = strtok(NULL, " ")) {
		char *eq = strchr(tok, '=');
		if (!eq)
			return -1;
		*eq++ = '\0';
		if (strcmp(tok, "delimiter") == 0)
			c->opt.delimiter = strcmp(eq, "tab") == 0 ? '\t' : eq[0];
		else if (strcmp(tok, "max_field") == 0)
			c->opt.max_field = strtoul(eq, NULL, 10);
		else if (strcmp(tok, "max_cols") == 0)
			c->opt.max_cols = strtoul(eq, NULL, 10);
		else if (strcmp(tok, "max_rows") == 0)
			c->opt.max_rows = strtoul(eq, NULL, 10);
		else if (strcmp(tok, "summary") == 0)
			c->summary = strcmp(eq, "1") == 0;
		else if (strcmp(tok, "lookup") == 0 && c->nlookups < 8)
			snprintf(c->lookups[c->nlookups++].name, sizeof c->lookups[0].name, "%s", eq);
		else
			return -1;
	}
	return 0;
}

/* ---- showing a table ------------------------------------------------ */

static void show_value(ev_buf *o, const char *s)
{
	size_t n = strlen(s), shown = n;
	if (n > SHOW_MAX) {
		shown = 20;
		while (shown && ((unsigned char)s[shown] & 0xC0) == 0x80)
			shown--;
	}
	ev_buf_putc(o, '[');
	for (size_t i = 0; i < shown; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\\' || c == ']')
			ev_buf_printf(o, "\\%c", c);
		else if (c == '\n')
			ev_buf_puts(o, "\\n");
		else if (c == '\r')
			ev_buf_puts(o, "\\r");
		else if (c == '\t')
			ev_buf_puts(o, "\\t");
		else if (c < 0x20 || c == 0x7F)
			ev_buf_printf(o, "\\x%02X", c);
		else
			ev_buf_putc(o, (char)c);
	}
	if (shown < n)
		ev_buf_printf(o, "...(%zu bytes)", n);
	ev_buf_putc(o, ']');
}

static void show_fields(ev_buf *o, char **v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		ev_buf_putc(o, ' ');
		show_value(o, v[i] ? v[i] : "(NULL)");
	}
	ev_buf_putc(o, '\n');
}

static void show_table(ev_buf *o, const ev_table *t, const struct tcase *c)
{
	ev_buf_printf(o, "delimiter %s\n", t->delimiter == '\t' ? "tab"
	              : (char[]){t->delimiter, '\0'});
	ev_buf_printf(o, "header %ld:", t->header_line);
	show_fields(o, t->header, t->ncols);
	size_t first = 0;
	if (c->summary) {
		size_t broken = 0;
		for (size_t i = 0; i < t->nrows; i++)
			broken += t->rows[i].error != NULL;
		ev_buf_printf(o, "rows %zu, broken %zu, the last:\n", t->nrows, broken);
		first = t->nrows ? t->nrows - 1 : 0;
	}
	for (size_t i = first; i < t->nrows; i++) {
		const ev_record *r = &t->rows[i];
		ev_buf_printf(o, "row %ld:", r->line);
		show_fields(o, r->fields, r->nfields);
		if (r->error && r->error_field)
			ev_buf_printf(o, "  broken field %ld: %s\n", r->error_field, r->error);
		else if (r->error)
			ev_buf_printf(o, "  broken: %s\n", r->error);
	}
	for (int k = 0; k < c->nlookups; k++)
		ev_buf_printf(o, "lookup %s = %ld\n", c->lookups[k].name,
		              ev_table_column(t, c->lookups[k].name));
}

/* ---- checks that hold for every input ------------------------------- */

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Every broken row has exactly one error diagnostic at its line naming its
 * column, in order, and nothing else; every field is valid UTF-8; rows
 * start on increasing lines after the header. */
static void check_table(ev_buf *o, const ev_table *t, const ev_diags *d)
{
	size_t k = 0;
	long prev = t->header_line;
	for (size_t i = 0; i < t->nrows; i++) {
		const ev_record *r = &t->rows[i];
		if (r->line <= prev)
			ev_buf_printf(o, "!! row %zu starts on line %ld, not after %ld\n", i, r->line, prev);
		prev = r->line;
		for (size_t f = 0; f < r->nfields; f++)
			if (!r->fields || !r->fields[f] ||
			    ev_utf8_invalid_at(r->fields[f], strlen(r->fields[f])) != (size_t)-1)
				ev_buf_printf(o, "!! row %ld field %zu is NULL or not UTF-8\n", r->line, f + 1);
		if (!r->error) {
			if (r->nfields != t->ncols)
				ev_buf_printf(o, "!! usable row %ld has %zu fields\n", r->line, r->nfields);
			continue;
		}
		const char *col = r->error_field >= 1 && (size_t)r->error_field <= t->ncols
		                  ? t->header[r->error_field - 1] : NULL;
		const ev_diag *g = k < d->n ? &d->items[k] : NULL;
		k++;
		if (!g || g->severity != EV_ERROR || g->line != r->line || g->col != 0 ||
		    !same_str(g->column, col) || !same_str(g->message, r->error))
			ev_buf_printf(o, "!! row %ld: no matching error diagnostic\n", r->line);
	}
	if (k != d->n || d->errors != k)
		ev_buf_printf(o, "!! %zu diagnostics (%zu errors) for %zu broken rows\n",
		              d->n, d->errors, k);
}

/* ---- reading in chunks gives what reading at once does ---------------- */

static void dump_rows(ev_buf *o, const ev_table *t)
{
	for (size_t i = 0; i < t->nrows; i++) {
		const ev_record *r = &t->rows[i];
		ev_buf_printf(o, "row %ld @%zu:", r->line, r->offset);
		show_fields(o, r->fields, r->nfields);
		if (r->error)
			ev_buf_printf(o, "  broken %ld: %s\n", r->error_field, r->error);
	}
}

static void dump_end(ev_buf *o, const ev_table *t, const ev_diags *d)
{
	if (!t && d->n) {
		const ev_diag *g = &d->items[d->n - 1];
		ev_buf_reset(o);
		ev_buf_printf(o, "unusable %ld:%ld: %s\n", g->line, g->col, g->message);
		return;
	}
	for (size_t i = 0; i < d->n; i++)
		ev_buf_printf(o, "diag %d %ld:%ld %s: %s\n", (int)d->items[i].severity,
		              d->items[i].line, d->items[i].col,
		              d->items[i].column ? d->items[i].column : "-", d->items[i].message);
}

/* ev_csv_open + ev_csv_next(chunk) to the end (twice, rewinding between),
 * as text comparable with what reading at once gives. */
static void read_chunked(ev_buf *o, const struct tcase *c, const char *data,
                         size_t len, size_t chunk)
{
	ev_diags d = {0};
	ev_table *t = ev_csv_open(data, len, "list.csv", &c->opt, &d);
	bool unusable = !t;
	ev_buf first = {0};
	for (int round = 0; t && round < 2 && !unusable; round++) {
		ev_buf pass = {0};
		long n;
		while ((n = ev_csv_next(t, chunk, &d)) > 0) {
			if ((size_t)n > chunk + 1)
				ev_buf_printf(o, "!! a chunk of %ld rows for %zu\n", n, chunk);
			dump_rows(&pass, t);
		}
		unusable = n < 0;
		if (round == 0) {
			ev_buf_append(o, pass.data ? pass.data : "", pass.len);
			ev_buf_append(&first, pass.data ? pass.data : "", pass.len);
			ev_csv_rewind(t);
		} else if (!unusable && (pass.len != first.len ||
		                         (pass.len && memcmp(pass.data, first.data, pass.len)))) {
			ev_buf_puts(o, "!! reading again after ev_csv_rewind differs\n");
		}
		ev_buf_free(&pass);
		if (round == 0 && !unusable) {
			/* The second round's diagnostics are the first's again. */
			dump_end(o, t, &d);
			ev_diags_clear(&d);
		}
	}
	if (unusable)
		dump_end(o, NULL, &d);
	ev_buf_free(&first);
	ev_table_free(t);
	ev_diags_free(&d);
}

static void compare_chunked(ev_buf *o, const struct tcase *c, const char *data,
                            size_t len, bool show)
{
	ev_diags d = {0};
	if (len && memchr(data, '\0', len)) {
		/* ev_csv_read looks for a NUL before anything else, the chunked
		 * read where it reaches it: both must refuse the file. */
		ev_buf got = {0};
		read_chunked(&got, c, data, len, 1);
		if (!got.data || strncmp(got.data, "unusable ", 9))
			ev_buf_puts(o, "!! read in chunks, a file with a NUL was used\n");
		ev_buf_free(&got);
		return;
	}
	ev_buf whole = {0};
	ev_table *t = ev_csv_read(data, len, "list.csv", &c->opt, &d);
	if (t)
		dump_rows(&whole, t);
	dump_end(&whole, t, &d);
	ev_table_free(t);
	ev_diags_free(&d);
	static const size_t chunks[] = {1, 2, 7};
	/* Variants (show false) are many, and a few inputs are megabytes: one
	 * size for those, the most boundaries for the variants. */
	size_t sizes = show && len <= MUTATE_MAX * 64 ? sizeof chunks / sizeof *chunks : 1;
	for (size_t k = 0; k < sizes; k++) {
		ev_buf got = {0};
		read_chunked(&got, c, data, len, chunks[k]);
		if (got.len != whole.len || (got.len && memcmp(got.data, whole.data, got.len))) {
			ev_buf_printf(o, "!! read in chunks of %zu, the rows or diagnostics "
			              "differ from reading at once:\n--- at once\n%s--- in chunks\n%s",
			              chunks[k], whole.data ? whole.data : "", got.data ? got.data : "");
			ev_buf_free(&got);
			break;
		}
		ev_buf_free(&got);
	}
	ev_buf_free(&whole);
}

/* Read the input once; print the table (or the file's error) into o. */
static void run_once(ev_buf *o, const struct tcase *c, const char *data, size_t len,
                     bool show)
{
	ev_diags d = {0};
	ev_table *t = ev_csv_read(data, len, "list.csv", &c->opt, &d);
	if (t) {
		if (show)
			show_table(o, t, c);
		check_table(o, t, &d);
	} else if (d.n == 0 || d.errors == 0) {
		ev_buf_puts(o, "!! no table and no error\n");
	} else if (show) {
		const ev_diag *g = &d.items[d.n - 1];
		ev_buf_printf(o, "unusable %ld:%ld: %s\n", g->line, g->col, g->message);
	}
	ev_table_free(t);
	ev_diags_free(&d);
	compare_chunked(o, c, data, len, show);
}

/* Truncated and quote-riddled variants: only the invariants are checked. */
static void run_mutations(ev_buf *o, const struct tcase *c)
{
	size_t n = c->input.len;
	if (n > MUTATE_MAX)
		return;
	char *copy = malloc(n ? n : 1);
	if (!copy) {
		ev_buf_puts(o, "!! out of memory\n");
		return;
	}
	if (n)
		memcpy(copy, c->input.data, n);
	for (size_t i = 0; i < n && !o->failed; i++) {
		size_t before = o->len;
		run_once(o, c, copy, i, false);
		char keep = copy[i];
		copy[i] = '"';
		run_once(o, c, copy, n, false);
		copy[i] = keep;
		if (o->len != before) {
			ev_buf_printf(o, "!! (above: input cut at byte %zu, or that byte made a quote)\n", i);
			break;
		}
	}
	free(copy);
}

/* ---- the runner ---------------------------------------------------- */

static bool run(ev_buf *got, const ev_case *ec)
{
	struct tcase c = {0};
	char opts[sizeof ec->options];
	snprintf(opts, sizeof opts, "%s", ec->options);
	if (parse_options(&c, opts) < 0)
		return false;
	c.input = ec->input;
	run_once(got, &c, c.input.data ? c.input.data : "", c.input.len, true);
	run_mutations(got, &c);
	return true;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test-csv CASES-FILE\n");
		return 2;
	}
	return ev_cases_run(argv[1], "csv", run);
}
