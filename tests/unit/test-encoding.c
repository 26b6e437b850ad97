/* test-encoding.c - runs the decoder over the examples in
 * tests/cases/encoding.txt: each case gives input bytes and an encoding
 * option, and the expected encoding, reason and text (or error) as text; a
 * case that differs is shown as a line diff. Usage: test-encoding CASES-FILE
 */
#define _POSIX_C_SOURCE 200809L   /* getline, strdup */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "casefile.h"
#include "diag.h"
#include "encoding.h"
#include "text.h"

/* Inputs up to this size are also decoded cut short at every byte, checking
 * only that nothing crashes and that the result keeps its promises. */
#define MUTATE_MAX 1024u

struct tcase {
	ev_encoding want;
	bool summary;         /* show line and byte counts and the last line only */
	bool parse;           /* the input is --encoding values to parse */
	ev_buf input;         /* borrowed from the ev_case */
};

static int parse_options(struct tcase *c, char *s)
{
	for (char *tok = strtok(s, " "); tok; tok = strtok(NULL, " ")) {
		char *eq = strchr(tok, '=');
		if (!eq)
			return -1;
		*eq++ = '\0';
		if (strcmp(tok, "encoding") == 0) {
			if (ev_encoding_parse(eq, &c->want) < 0)
				return -1;
		} else if (strcmp(tok, "summary") == 0) {
			c->summary = strcmp(eq, "1") == 0;
		} else if (strcmp(tok, "parse") == 0) {
			c->parse = strcmp(eq, "1") == 0;
		} else {
			return -1;
		}
	}
	return 0;
}

static void show_line(ev_buf *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t k = ev_utf8_decode(s + i, n - i, &cp);
		if (c == '\\')
			ev_buf_puts(o, "\\\\");
		else if (c == '\n')
			ev_buf_puts(o, "\\n");
		else if (c == '\r')
			ev_buf_puts(o, "\\r");
		else if (c == '\t')
			ev_buf_puts(o, "\\t");
		else if (c == ' ' && i + 1 == n)
			ev_buf_puts(o, "\\s");
		else if (!k || c < 0x20 || c == 0x7F)
			ev_buf_printf(o, "\\x%02X", c);
		else
			ev_buf_append(o, s + i, k);
		i += k > 1 ? k : 1;
	}
	ev_buf_putc(o, '\n');
}

/* Length of the line at s with its line end (LF, CRLF or a bare CR). */
static size_t line_len(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			return i + 1;
		if (s[i] == '\r')
			return i + 1 < n && s[i + 1] == '\n' ? i + 2 : i + 1;
	}
	return n;
}

static void show_text(ev_buf *o, const ev_decoded *x, bool summary)
{
	size_t lines = 0, last = 0;
	for (size_t at = 0, k; at < x->len; at += k) {
		k = line_len(x->text + at, x->len - at);
		lines++;
		last = at;
		if (!summary) {
			ev_buf_puts(o, "text ");
			show_line(o, x->text + at, k);
		}
	}
	if (summary) {
		ev_buf_printf(o, "text %zu lines, %zu bytes; the last: ", lines, x->len);
		show_line(o, x->text + last, x->len - last);
	}
}

/* ---- checks that hold for every input ------------------------------- */

/* What ev_decode promises, whatever the bytes: on success a NUL-terminated
 * text without NULs that is valid UTF-8 (or, for UTF-8, the input itself
 * less its mark) and no diagnostics; on failure a zeroed result and exactly
 * one error with a place in list.csv. */
static void check(ev_buf *o, int rc, const ev_decoded *x, const ev_diags *d,
                  const char *in, size_t n)
{
	if (rc == 0) {
		if (!x->text || x->text[x->len] != '\0' || memchr(x->text, '\0', x->len))
			ev_buf_puts(o, "!! text missing, unterminated or holding a NUL\n");
		else if (x->encoding == EV_ENC_UTF8) {
			size_t skip = x->bom ? 3 : 0;
			if (n < skip || x->len != n - skip || memcmp(x->text, in + skip, x->len))
				ev_buf_puts(o, "!! UTF-8 text is not the input less its mark\n");
		} else if (ev_utf8_invalid_at(x->text, x->len) != (size_t)-1) {
			ev_buf_puts(o, "!! text is not valid UTF-8\n");
		}
		if (x->encoding == EV_ENC_AUTO || !x->how[0])
			ev_buf_puts(o, "!! no encoding or no reason given\n");
		if (d->n)
			ev_buf_printf(o, "!! %zu diagnostics on success\n", d->n);
		return;
	}
	if (rc != -1 || x->text || x->len)
		ev_buf_printf(o, "!! returned %d, result not cleared\n", rc);
	const ev_diag *g = d->n ? &d->items[0] : NULL;
	if (d->n != 1 || d->errors != 1 || g->severity != EV_ERROR || !g->file ||
	    strcmp(g->file, "list.csv") != 0 || g->line < 1 || g->col < 1 || !g->message[0])
		ev_buf_printf(o, "!! %zu diagnostics (%zu errors), not one error with a place\n",
		              d->n, d->errors);
}

/* Decode once; print the result (or the error) into o when show is set. */
static void run_once(ev_buf *o, const struct tcase *c, const char *data, size_t len,
                     bool show)
{
	ev_diags d = {0};
	ev_decoded x;
	int rc = ev_decode(data, len, c->want, "list.csv", &x, &d);
	if (show && rc == 0) {
		ev_buf_printf(o, "encoding %s (%s)\n", ev_encoding_name(x.encoding), x.how);
		ev_buf_printf(o, "bom %s\n", x.bom ? "yes" : "no");
		show_text(o, &x, c->summary);
	} else if (show && d.n) {
		ev_buf_printf(o, "error %ld:%ld: %s\n", d.items[0].line, d.items[0].col,
		              d.items[0].message);
	}
	check(o, rc, &x, &d, data, len);
	/* Borrowing gives the same answer; UTF-8 is then the input itself. */
	ev_diags bd = {0};
	ev_decoded y;
	int rb = ev_decode_borrow(data, len, c->want, "list.csv", &y, &bd);
	bool same = rb == rc && bd.n == d.n && y.len == x.len && y.encoding == x.encoding &&
	            y.bom == x.bom && !strcmp(y.how, x.how) &&
	            (!x.len || !memcmp(y.text, x.text, x.len)) &&
	            (!d.n || !strcmp(bd.items[0].message, d.items[0].message));
	if (!same)
		ev_buf_puts(o, "!! ev_decode_borrow answers differently from ev_decode\n");
	if (rb == 0 && y.borrowed != (y.encoding == EV_ENC_UTF8))
		ev_buf_puts(o, "!! borrowed set wrongly\n");
	if (rb == 0 && y.borrowed && y.text != data + (y.bom ? 3 : 0))
		ev_buf_puts(o, "!! borrowed text does not point into the input\n");
	ev_decoded_free(&y);
	ev_diags_free(&bd);
	ev_decoded_free(&x);
	ev_decoded_free(&x);   /* a freed result is zeroed: freeing again is fine */
	ev_diags_free(&d);
}

/* Every truncation of a small input: only the promises are checked. */
static void run_truncations(ev_buf *o, const struct tcase *c)
{
	size_t n = c->input.len;
	if (n > MUTATE_MAX)
		return;
	/* A copy of exactly i bytes each time, so reading past the end shows
	 * under the address sanitizer. */
	for (size_t i = 0; i < n && !o->failed; i++) {
		char *cut = malloc(i ? i : 1);
		if (!cut) {
			ev_buf_puts(o, "!! out of memory\n");
			return;
		}
		memcpy(cut, c->input.data, i);
		size_t before = o->len;
		run_once(o, c, cut, i, false);
		free(cut);
		if (o->len != before) {
			ev_buf_printf(o, "!! (above: input cut at byte %zu)\n", i);
			break;
		}
	}
}

/* Each space-separated word of the input through ev_encoding_parse. */
static void run_parse(ev_buf *o, const struct tcase *c)
{
	char *s = strdup(c->input.data ? c->input.data : "");
	for (char *w = s ? strtok(s, " ") : NULL; w; w = strtok(NULL, " ")) {
		ev_encoding e = EV_ENC_AUTO;
		if (ev_encoding_parse(w, &e) == 0)
			ev_buf_printf(o, "%s = %s\n", w, ev_encoding_name(e));
		else
			ev_buf_printf(o, "%s = unknown\n", w);
	}
	free(s);
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
	if (c.parse) {
		run_parse(got, &c);
	} else {
		run_once(got, &c, c.input.data ? c.input.data : "", c.input.len, true);
		run_truncations(got, &c);
	}
	return true;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test-encoding CASES-FILE\n");
		return 2;
	}
	return ev_cases_run(argv[1], "encoding", run);
}
