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
#include "csv.h"
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
	char name[200];
	long at;              /* line of "===" in the cases file */
	ev_csv_options opt;
	struct lookup lookups[8];
	int nlookups;
	bool summary;         /* print row counts and the last row only */
	ev_buf input;
	ev_buf expect;        /* normalised expected lines, each ending in \n */
};

static void die(const char *path, long line, const char *msg)
{
	fprintf(stderr, "%s:%ld: %s\n", path, line, msg);
	exit(2);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One escaped character at *s (advanced past it) into *out; -1 if bad. */
static int unescape_one(const char **s, char *out)
{
	const char *p = *s;
	if (*p != '\\') {
		*out = *p;
		*s = p + 1;
		return *p ? 0 : -1;
	}
	p++;
	switch (*p) {
	case 'n': *out = '\n'; break;
	case 'r': *out = '\r'; break;
	case 't': *out = '\t'; break;
	case 's': *out = ' '; break;
	case '0': *out = '\0'; break;
	case '\\': *out = '\\'; break;
	case '(': *out = '('; break;
	case ')': *out = ')'; break;
	case 'x': {
		int hi = hexval(p[1]), lo = hi < 0 ? -1 : hexval(p[2]);
		if (lo < 0)
			return -1;
		*out = (char)(hi * 16 + lo);
		p += 2;
		break;
	}
	default:
		return -1;
	}
	*s = p + 1;
	return 0;
}

/* Decode escapes from s up to stop (or the end) into b; *s is advanced. */
static int unescape_until(ev_buf *b, const char **s, char stop)
{
	while (**s && **s != stop) {
		char c;
		if (unescape_one(s, &c) < 0 || ev_buf_putc(b, c) < 0)
			return -1;
	}
	return 0;
}

/* Append an input line of the cases file, escapes decoded: \{N}X repeats
 * one character, \{N}(...) a group. */
static int unescape_line(ev_buf *b, const char *s)
{
	ev_buf group = {0};
	int rc = -1;
	while (*s) {
		unsigned long count = 1;
		ev_buf_reset(&group);
		if (s[0] == '\\' && s[1] == '{') {
			char *end;
			count = strtoul(s + 2, &end, 10);
			if (*end != '}')
				goto done;
			s = end + 1;
		}
		if (count != 1 && *s == '(') {
			s++;
			if (unescape_until(&group, &s, ')') < 0 || *s++ != ')')
				goto done;
		} else {
			char c;
			if (unescape_one(&s, &c) < 0 || ev_buf_putc(&group, c) < 0)
				goto done;
		}
		for (unsigned long i = 0; i < count; i++)
			if (ev_buf_append(b, group.data, group.len) < 0)
				goto done;
	}
	rc = 0;
done:
	ev_buf_free(&group);
	return rc;
}

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

static void rstrip(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		s[--n] = '\0';
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

/* ---- comparing ------------------------------------------------------ */

static size_t split_lines(char *s, char ***out)
{
	size_t n = 0, cap = 16;
	char **v = malloc(cap * sizeof *v);
	for (char *p = s; v && *p;) {
		char *nl = strchr(p, '\n');
		if (n == cap) {
			char **w = realloc(v, (cap *= 2) * sizeof *v);
			if (!w) {
				free(v);
				v = NULL;
				break;
			}
			v = w;
		}
		v[n++] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	*out = v;
	return v ? n : 0;
}

/* A line diff by longest common subsequence: " " both, "-" expected only,
 * "+" actual only. Cases are small; huge ones are shown whole. */
static void print_diff(char *want, char *got)
{
	char **a, **b;
	size_t n = split_lines(want, &a), m = split_lines(got, &b);
	size_t *L = n * m < 4000000 ? calloc((n + 1) * (m + 1), sizeof *L) : NULL;
	if (!L) {
		for (size_t i = 0; i < n; i++)
			printf("  - %s\n", a[i]);
		for (size_t j = 0; j < m; j++)
			printf("  + %s\n", b[j]);
		goto done;
	}
#define AT(i, j) L[(i) * (m + 1) + (j)]
	for (size_t i = n; i-- > 0;)
		for (size_t j = m; j-- > 0;)
			AT(i, j) = strcmp(a[i], b[j]) == 0 ? AT(i + 1, j + 1) + 1
			           : AT(i + 1, j) > AT(i, j + 1) ? AT(i + 1, j) : AT(i, j + 1);
	size_t i = 0, j = 0;
	while (i < n || j < m) {
		if (i < n && j < m && strcmp(a[i], b[j]) == 0) {
			printf("    %s\n", a[i++]);
			j++;
		} else if (j < m && (i == n || AT(i, j + 1) >= AT(i + 1, j))) {
			printf("  + %s\n", b[j++]);
		} else {
			printf("  - %s\n", a[i++]);
		}
	}
#undef AT
done:
	free(L);
	free(a);
	free(b);
}

static bool run_case(struct tcase *c)
{
	ev_buf got = {0};
	run_once(&got, c, c->input.data ? c->input.data : "", c->input.len, true);
	run_mutations(&got, c);
	const char *want = c->expect.data ? c->expect.data : "";
	const char *have = got.data ? got.data : "";
	bool ok = !got.failed && strcmp(want, have) == 0;
	if (!ok) {
		printf("FAIL %s (line %ld)\n", c->name, c->at);
		char *w = strdup(want), *h = strdup(have);
		if (w && h)
			print_diff(w, h);
		free(w);
		free(h);
	}
	ev_buf_free(&got);
	return ok;
}

/* ---- the cases file ------------------------------------------------- */

enum section { NONE, HEAD, INPUT, EXPECT };

static void case_reset(struct tcase *c)
{
	ev_buf_free(&c->input);
	ev_buf_free(&c->expect);
	memset(c, 0, sizeof *c);
}

/* Take one line of the cases file into the case being read. */
static void take_line(struct tcase *c, enum section *sec, char *line,
                      const char *path, long no)
{
	if (line[0] == '#')
		return;
	if (strncmp(line, "--- input", 9) == 0 && *sec == HEAD) {
		*sec = INPUT;
	} else if (strncmp(line, "--- expect", 10) == 0 && *sec == INPUT) {
		*sec = EXPECT;
	} else if (*sec == HEAD && strncmp(line, "options ", 8) == 0) {
		if (parse_options(c, line + 8) < 0)
			die(path, no, "bad options line");
	} else if (*sec == INPUT) {
		if (unescape_line(&c->input, line) < 0)
			die(path, no, "bad escape in input line");
	} else if (*sec == EXPECT) {
		if (line[0])
			ev_buf_printf(&c->expect, "%s\n", line);
	} else if (line[0]) {
		die(path, no, "text outside a case, or sections out of order");
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test-csv CASES-FILE\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	struct tcase c = {0};
	enum section sec = NONE;
	int passed = 0, failed = 0;
	char *line = NULL;
	size_t cap = 0;
	long no = 0;
	for (bool more = true; more;) {
		more = getline(&line, &cap, f) >= 0;
		no++;
		if (more)
			rstrip(line);
		if (!more || strncmp(line, "=== ", 4) == 0) {
			if (sec == EXPECT)
				run_case(&c) ? passed++ : failed++;
			else if (sec != NONE)
				die(argv[1], no, "case without '--- expect'");
			case_reset(&c);
			if (more) {
				snprintf(c.name, sizeof c.name, "%s", line + 4);
				c.at = no;
				sec = HEAD;
			}
			continue;
		}
		take_line(&c, &sec, line, argv[1], no);
	}
	free(line);
	fclose(f);
	case_reset(&c);
	printf("csv: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
