/* diag.c - diagnostics as values (see diag.h) and their one printed form. */
#include "diag.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "text.h"

static char *dupstr(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	char *p = malloc(n + 1);
	if (p)
		memcpy(p, s, n + 1);
	return p;
}

int ev_diag_addv(ev_diags *d, ev_severity sev, const char *file, long line,
                 long col, const char *column, const char *fmt, va_list ap)
{
	if (sev == EV_ERROR)
		d->errors++;
	else if (sev == EV_WARNING)
		d->warnings++;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		ev_diag *p = realloc(d->items, cap * sizeof *p);
		if (!p)
			return -1;
		d->items = p;
		d->cap = cap;
	}
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	char *m = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (!m)
		return -1;
	vsnprintf(m, (size_t)n + 1, fmt, ap);
	ev_diag *dg = &d->items[d->n];
	*dg = (ev_diag){.severity = sev, .line = line, .col = col, .message = m};
	dg->file = dupstr(file);
	dg->column = dupstr(column);
	d->n++;
	return 0;
}

int ev_diag_add(ev_diags *d, ev_severity sev, const char *file, long line,
                long col, const char *column, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = ev_diag_addv(d, sev, file, line, col, column, fmt, ap);
	va_end(ap);
	return r;
}

void ev_diag_set_source(ev_diags *d, const char *line, size_t len)
{
	if (!d->n)
		return;
	ev_diag *dg = &d->items[d->n - 1];
	free(dg->source);
	dg->source = malloc(len + 1);
	if (dg->source) {
		memcpy(dg->source, line, len);
		dg->source[len] = '\0';
	}
}

void ev_diag_set_value(ev_diags *d, const char *value)
{
	if (!d->n || !value)
		return;
	ev_diag *dg = &d->items[d->n - 1];
	free(dg->value);
	dg->value = dupstr(value);
}

static int by_place(const void *a, const void *b)
{
	const ev_diag *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return 0;
}

void ev_diags_sort(ev_diags *d)
{
	/* Insertion-merge via a stable merge sort on a copy; lists are small
	 * (one or two per row), but stay n log n for big ones. */
	if (d->n < 2)
		return;
	ev_diag *tmp = malloc(d->n * sizeof *tmp);
	if (!tmp)
		return;          /* unsorted is still correct, only less tidy */
	for (size_t w = 1; w < d->n; w *= 2) {
		for (size_t lo = 0; lo < d->n; lo += 2 * w) {
			size_t mid = lo + w < d->n ? lo + w : d->n;
			size_t hi = lo + 2 * w < d->n ? lo + 2 * w : d->n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				tmp[k++] = by_place(&d->items[j], &d->items[i]) < 0
				         ? d->items[j++] : d->items[i++];
			while (i < mid)
				tmp[k++] = d->items[i++];
			while (j < hi)
				tmp[k++] = d->items[j++];
		}
		memcpy(d->items, tmp, d->n * sizeof *tmp);
	}
	free(tmp);
}

int ev_diags_take(ev_diags *dst, ev_diags *src)
{
	for (size_t i = 0; i < src->n; i++) {
		if (dst->n == dst->cap) {
			size_t cap = dst->cap ? dst->cap * 2 : 16;
			ev_diag *p = realloc(dst->items, cap * sizeof *p);
			if (!p)
				return -1;
			dst->items = p;
			dst->cap = cap;
		}
		dst->items[dst->n++] = src->items[i];
	}
	dst->errors += src->errors;
	dst->warnings += src->warnings;
	free(src->items);
	*src = (ev_diags){0};
	return 0;
}

void ev_diags_clear(ev_diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->items[i].file);
		free(d->items[i].column);
		free(d->items[i].message);
		free(d->items[i].source);
		free(d->items[i].value);
	}
	d->n = d->errors = d->warnings = 0;
}

void ev_diags_free(ev_diags *d)
{
	if (!d)
		return;
	ev_diags_clear(d);
	free(d->items);
	*d = (ev_diags){0};
}

static const char *sevname(ev_severity s)
{
	return s == EV_ERROR ? "error" : s == EV_WARNING ? "warning" : "note";
}

char *ev_diag_format(const ev_diag *dg)
{
	ev_buf b = {0};
	if (dg->file) {
		ev_buf_puts(&b, dg->file);
		if (dg->line > 0)
			ev_buf_printf(&b, ":%ld", dg->line);
		if (dg->line > 0 && dg->col > 0)
			ev_buf_printf(&b, ":%ld", dg->col);
		ev_buf_puts(&b, ": ");
	}
	ev_buf_printf(&b, "%s: ", sevname(dg->severity));
	if (dg->column && dg->value && *dg->value) {
		size_t cut = ev_utf8_prefix(dg->value, EV_QUOTED);
		ev_buf_printf(&b, "column '%s' ('%.*s%s'): ", dg->column, (int)cut,
		              dg->value, dg->value[cut] ? "..." : "");
	}
	else if (dg->column)
		ev_buf_printf(&b, "column '%s': ", dg->column);
	ev_buf_puts(&b, dg->message);
	if (b.failed) {
		ev_buf_free(&b);
		return NULL;
	}
	return ev_buf_steal(&b, NULL);
}

void ev_diag_print(FILE *out, const ev_diag *dg)
{
	char *s = ev_diag_format(dg);
	fprintf(out, "envoi: %s\n", s ? s : dg->message);
	free(s);
	if (!dg->source)
		return;
	/* The source line, then a caret under the column (counted in characters;
	 * tabs are kept so the caret lines up in a terminal). */
	fprintf(out, "    %s\n    ", dg->source);
	long col = 1;
	const char *p = dg->source;
	size_t n = strlen(p);
	while (col < dg->col && *p) {
		uint32_t cp;
		size_t k = ev_utf8_decode(p, n, &cp);
		if (!k)
			k = 1;
		fputc(*p == '\t' ? '\t' : ' ', out);
		p += k;
		n -= k;
		col++;
	}
	fputs("^\n", out);
}
