/* report.h - what `envoi check` prints: a summary a person can act on, then
 * every problem as FILE:LINE:COL: severity: message; or the same as JSON
 * for machines. Pure: writes into a buffer. */
#ifndef EV_REPORT_H
#define EV_REPORT_H

#include <stdbool.h>
#include "buf.h"
#include "diag.h"
#include "recipient.h"
#include "table.h"

typedef struct ev_report_in {
	const char *file;
	const char *encoding;         /* name of the encoding used, or NULL */
	const char *encoding_how;     /* why that one, or NULL */
	const ev_table *table;        /* NULL when the file could not be read */
	const ev_recipients *rs;      /* NULL when the list is unusable */
	const ev_diags *d;            /* every diagnostic, in report order */
	const char *window_note;      /* why the envelope-window check was not
	                                 done, or NULL when it was */
	size_t nrows;                 /* rows in the list; 0: the table's rows
	                                 (a table read whole) */
	const ev_buf *rows;           /* the recipients for JSON, made chunk by
	                                 chunk with ev_report_json_row (a list
	                                 read in chunks); NULL: from rs->items */
} ev_report_in;

int ev_report_text(ev_buf *out, const ev_report_in *in);
int ev_report_json(ev_buf *out, const ev_report_in *in);

/* One recipient as the JSON report lists it, appended to out (after a
 * separator unless first). Returns 0, -1 when out of memory. */
int ev_report_json_row(ev_buf *out, const ev_recipient *r, bool first);

/* A JSON string literal for s (UTF-8 kept, controls escaped). */
void ev_json_string(ev_buf *out, const char *s);

#endif
