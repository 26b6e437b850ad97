/* diag.h - diagnostics: errors and warnings as values with a place.
 *
 * Every module reports problems by appending an ev_diag to an ev_diags list;
 * only the edge (main.c, batch.c) prints them, always in one format:
 *   envoi: FILE:LINE:COL: error: MESSAGE
 */
#ifndef EV_DIAG_H
#define EV_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

typedef enum { EV_NOTE, EV_WARNING, EV_ERROR } ev_severity;

typedef struct ev_diag {
	ev_severity severity;
	char *file;     /* owned; may be NULL */
	long line;      /* 1-based; 0 = no line */
	long col;       /* 1-based, in characters; 0 = no column */
	char *column;   /* owned; CSV column header name, or NULL */
	char *message;  /* owned; never NULL */
	char *source;   /* owned; the source line for a caret, or NULL */
	char *value;    /* owned; the cell's value the message is about, or NULL */
} ev_diag;

typedef struct ev_diags {
	ev_diag *items;
	size_t n, cap;
	size_t errors, warnings;
} ev_diags;

/* Append a diagnostic. Strings are copied. Returns 0, or -1 when out of
 * memory (the diagnostic is then lost, but the error count still grows). */
int ev_diag_add(ev_diags *d, ev_severity sev, const char *file, long line,
                long col, const char *column, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
int ev_diag_addv(ev_diags *d, ev_severity sev, const char *file, long line,
                 long col, const char *column, const char *fmt, va_list ap)
	__attribute__((format(printf, 7, 0)));

/* Attach the source line (copied) to the most recent diagnostic, for a caret. */
void ev_diag_set_source(ev_diags *d, const char *line, size_t len);

/* Attach the value of the cell at fault (copied) to the most recent
 * diagnostic; it is shown after the column's name. */
void ev_diag_set_value(ev_diags *d, const char *value);

/* Sort by line, then column, keeping the order of equal places (stable). */
void ev_diags_sort(ev_diags *d);

/* Move every diagnostic of src to the end of dst; src is left empty. */
int ev_diags_take(ev_diags *dst, ev_diags *src);

void ev_diags_clear(ev_diags *d);  /* free contents, keep d usable */
void ev_diags_free(ev_diags *d);   /* accepts NULL */

/* Format one diagnostic as the user sees it, without the trailing newline:
 * "FILE:LINE:COL: error: column 'X' ('VALUE'): MESSAGE". Returns a malloc'd string
 * the caller frees, or NULL when out of memory. */
char *ev_diag_format(const ev_diag *dg);

/* Print "envoi: " + ev_diag_format, a newline, and when a source line is
 * attached, the line and a caret under the column. */
void ev_diag_print(FILE *out, const ev_diag *dg);

#endif
