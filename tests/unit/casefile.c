/* casefile.c - reading the example files and comparing what a runner
 * prints with what they expect (casefile.h). */
#define _POSIX_C_SOURCE 200809L   /* getline, strdup */

#include "casefile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
int ev_case_unescape(ev_buf *b, const char *s)
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

static void rstrip(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		s[--n] = '\0';
}

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

static bool run_case(const ev_case *c, ev_case_fn fn)
{
	ev_buf got = {0};
	if (!fn(&got, c)) {
		printf("FAIL %s (line %ld): bad options line '%s'\n", c->name, c->at, c->options);
		ev_buf_free(&got);
		return false;
	}
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

enum section { NONE, HEAD, INPUT, EXPECT };

static void case_reset(ev_case *c)
{
	ev_buf_free(&c->input);
	ev_buf_free(&c->expect);
	memset(c, 0, sizeof *c);
}

/* Take one line of the cases file into the case being read. */
static void take_line(ev_case *c, enum section *sec, char *line,
                      const char *path, long no)
{
	if (line[0] == '#')
		return;
	if (strncmp(line, "--- input", 9) == 0 && *sec == HEAD) {
		*sec = INPUT;
	} else if (strncmp(line, "--- expect", 10) == 0 && *sec == INPUT) {
		*sec = EXPECT;
	} else if (*sec == HEAD && strncmp(line, "options ", 8) == 0) {
		snprintf(c->options, sizeof c->options, "%s", line + 8);
	} else if (*sec == INPUT) {
		if (ev_case_unescape(&c->input, line) < 0)
			die(path, no, "bad escape in input line");
	} else if (*sec == EXPECT) {
		if (line[0])
			ev_buf_printf(&c->expect, "%s\n", line);
	} else if (line[0]) {
		die(path, no, "text outside a case, or sections out of order");
	}
}

int ev_cases_run(const char *path, const char *label, ev_case_fn fn)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		return 2;
	}
	ev_case c = {0};
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
				run_case(&c, fn) ? passed++ : failed++;
			else if (sec != NONE)
				die(path, no, "case without '--- expect'");
			case_reset(&c);
			if (more) {
				snprintf(c.name, sizeof c.name, "%s", line + 4);
				c.at = no;
				sec = HEAD;
			}
			continue;
		}
		take_line(&c, &sec, line, path, no);
	}
	free(line);
	fclose(f);
	case_reset(&c);
	printf("%s: %d passed, %d failed\n", label, passed, failed);
	return failed ? 1 : 0;
}

char *ev_case_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	ev_buf b = {0};
	char chunk[65536];
	size_t n;
	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		ev_buf_append(&b, chunk, n);
	bool bad = ferror(f) || b.failed;
	fclose(f);
	if (bad) {
		ev_buf_free(&b);
		return NULL;
	}
	return ev_buf_steal(&b, len);
}
