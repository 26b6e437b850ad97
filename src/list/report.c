/* report.c - the check report as text and as JSON (report.h). */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

static const char *sevname(ev_severity s)
{
	return s == EV_ERROR ? "error" : s == EV_WARNING ? "warning" : "note";
}

static size_t count(const ev_diags *d, ev_severity s)
{
	size_t n = 0;
	for (size_t i = 0; d && i < d->n; i++)
		n += d->items[i].severity == s;
	return n;
}

static const char *delimiter_name(char c)
{
	return c == ';' ? "semicolon" : c == '\t' ? "tab" : "comma";
}

int ev_report_text(ev_buf *out, const ev_report_in *in)
{
	const ev_table *t = in->table;
	const ev_recipients *rs = in->rs;
	ev_buf_printf(out, "%s\n", in->file);
	if (in->encoding)
		ev_buf_printf(out, "  read as %s (%s)", in->encoding, in->encoding_how);
	if (t)
		ev_buf_printf(out, ", %s-separated, header on line %ld, %zu columns",
		              delimiter_name(t->delimiter), t->header_line, t->ncols);
	if (in->encoding)
		ev_buf_puts(out, "\n");
	if (rs) {
		ev_buf_puts(out, "  columns used:");
		size_t shown = 0;
		for (int f = 0; f < EV_F_COUNT; f++)
			if (rs->col[f] >= 0)
				ev_buf_printf(out, "%s %s = '%s'", shown++ ? "," : "",
				              ev_field_names[f], t->header[rs->col[f]]);
		ev_buf_puts(out, "\n");
		size_t accepted = rs->total - rs->rejected;
		size_t w = count(in->d, EV_WARNING);
		ev_buf_printf(out, "  %zu %s: %zu accepted, %zu rejected; %zu %s; "
		              "%zu repaired; %zu %s\n",
		              rs->total, ev_plural(rs->total, "row", "rows"),
		              accepted, rs->rejected, w, ev_plural(w, "warning", "warnings"),
		              rs->repaired, rs->duplicates,
		              ev_plural(rs->duplicates, "duplicate", "duplicates"));
		ev_buf_printf(out, "  gender: %zu inferred from the name, %zu "
		              "unknown (these get the neutral salutation)\n",
		              rs->gender_inferred, rs->gender_unknown);
	} else {
		/* The list's fault, unless an error names another file (the
		 * letter, its signatories): then the errors below say which. */
		bool other = false;
		for (size_t i = 0; in->d && i < in->d->n && !other; i++) {
			const ev_diag *g = &in->d->items[i];
			other = g->severity == EV_ERROR && g->file && in->file &&
			        strcmp(g->file, in->file);
		}
		ev_buf_puts(out, other ? "  nothing would be sent: see the errors below\n"
		                       : "  the list cannot be used: nothing would be sent\n");
	}
	if (in->window_note)
		ev_buf_printf(out, "  note: %s\n", in->window_note);
	for (size_t i = 0; in->d && i < in->d->n; i++) {
		char *s = ev_diag_format(&in->d->items[i]);
		if (!s)
			return -1;
		ev_buf_printf(out, "%s\n", s);
		free(s);
	}
	return out->failed ? -1 : 0;
}

void ev_json_string(ev_buf *out, const char *s)
{
	ev_buf_putc(out, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			ev_buf_printf(out, "\\%c", *p);
		else if (*p == '\n')
			ev_buf_puts(out, "\\n");
		else if (*p == '\t')
			ev_buf_puts(out, "\\t");
		else if (*p == '\r')
			ev_buf_puts(out, "\\r");
		else if (*p < 0x20 || *p == 0x7F)
			ev_buf_printf(out, "\\u%04x", *p);
		else
			ev_buf_putc(out, (char)*p);
	}
	ev_buf_putc(out, '"');
}

static void key(ev_buf *out, const char *k, bool first)
{
	ev_buf_puts(out, first ? "" : ", ");
	ev_json_string(out, k);
	ev_buf_puts(out, ": ");
}

static void str_or_null(ev_buf *out, const char *s)
{
	if (s)
		ev_json_string(out, s);
	else
		ev_buf_puts(out, "null");
}

int ev_report_json(ev_buf *out, const ev_report_in *in)
{
	const ev_table *t = in->table;
	const ev_recipients *rs = in->rs;
	size_t nrows = in->nrows ? in->nrows : t ? t->nrows : 0;
	ev_buf_puts(out, "{");
	key(out, "file", true);
	ev_json_string(out, in->file);
	key(out, "usable", false);
	ev_buf_puts(out, rs ? "true" : "false");
	key(out, "encoding", false);
	str_or_null(out, in->encoding);
	key(out, "encoding_reason", false);
	str_or_null(out, in->encoding_how);
	key(out, "delimiter", false);
	str_or_null(out, t ? (t->delimiter == '\t' ? "\t" : t->delimiter == ';' ? ";" : ",") : NULL);
	key(out, "header_line", false);
	ev_buf_printf(out, "%ld", t ? t->header_line : 0L);
	key(out, "columns", false);
	ev_buf_puts(out, "{");
	for (int f = 0, first = 1; rs && f < EV_F_COUNT; f++) {
		if (rs->col[f] < 0)
			continue;
		key(out, ev_field_names[f], first);
		ev_json_string(out, t->header[rs->col[f]]);
		first = 0;
	}
	ev_buf_puts(out, "}");
	key(out, "rows", false);
	ev_buf_printf(out, "%zu", rs ? rs->total : nrows);
	key(out, "accepted", false);
	ev_buf_printf(out, "%zu", rs ? rs->total - rs->rejected : 0);
	key(out, "rejected", false);
	ev_buf_printf(out, "%zu", rs ? rs->rejected : nrows);
	key(out, "errors", false);
	ev_buf_printf(out, "%zu", count(in->d, EV_ERROR));
	key(out, "warnings", false);
	ev_buf_printf(out, "%zu", count(in->d, EV_WARNING));
	key(out, "notes", false);
	ev_buf_printf(out, "%zu", count(in->d, EV_NOTE));
	key(out, "repaired", false);
	ev_buf_printf(out, "%zu", rs ? rs->repaired : 0);
	key(out, "duplicates", false);
	ev_buf_printf(out, "%zu", rs ? rs->duplicates : 0);
	key(out, "window_checked", false);
	ev_buf_puts(out, in->window_note ? "false" : "true");
	key(out, "problems", false);
	ev_buf_puts(out, "[");
	for (size_t i = 0; in->d && i < in->d->n; i++) {
		const ev_diag *dg = &in->d->items[i];
		ev_buf_puts(out, i ? ",\n  {" : "\n  {");
		key(out, "severity", true);
		ev_json_string(out, sevname(dg->severity));
		key(out, "file", false);
		str_or_null(out, dg->file);
		key(out, "line", false);
		ev_buf_printf(out, "%ld", dg->line);
		key(out, "col", false);
		ev_buf_printf(out, "%ld", dg->col);
		key(out, "column", false);
		str_or_null(out, dg->column);
		key(out, "value", false);
		str_or_null(out, dg->value);
		key(out, "message", false);
		ev_json_string(out, dg->message);
		ev_buf_puts(out, "}");
	}
	ev_buf_puts(out, "]");
	key(out, "recipients", false);
	ev_buf_puts(out, "[");
	if (in->rows && rs)
		ev_buf_append(out, in->rows->data ? in->rows->data : "", in->rows->len);
	for (size_t i = 0; !in->rows && rs && i < rs->n; i++)
		ev_report_json_row(out, &rs->items[i], i == 0);
	ev_buf_puts(out, "]}\n");
	return out->failed ? -1 : 0;
}

int ev_report_json_row(ev_buf *out, const ev_recipient *r, bool first)
{
	ev_buf_puts(out, first ? "\n  {" : ",\n  {");
	key(out, "seq", true);
	ev_buf_printf(out, "%zu", r->seq);
	key(out, "line", false);
	ev_buf_printf(out, "%ld", r->line);
	key(out, "id", false);
	ev_json_string(out, r->id);
	key(out, "status", false);
	ev_json_string(out, r->reason ? "rejected" : "ok");
	key(out, "reason", false);
	str_or_null(out, r->reason);
	key(out, "name", false);
	str_or_null(out, r->name);
	key(out, "name_latin", false);
	str_or_null(out, r->name_latin);
	key(out, "gender", false);
	ev_json_string(out, ev_gender_code(r->gender));
	key(out, "gender_inferred_from", false);
	str_or_null(out, r->gender_from);
	key(out, "duplicate_of_line", false);
	if (r->duplicate_of)
		ev_buf_printf(out, "%ld", r->duplicate_of);
	else
		ev_buf_puts(out, "null");
	ev_buf_puts(out, "}");
	return out->failed ? -1 : 0;
}
