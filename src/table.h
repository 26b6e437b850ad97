/* table.h - reading a recipient list (CSV bytes) into a table, with libcsv.
 *
 * Pure: takes bytes, returns records. A broken record (bad quoting, wrong
 * number of fields, invalid UTF-8, a field over the size cap) does not stop
 * the read: the record is kept with its reason, and parsing resumes on the
 * next physical line, so every row of the input is accounted for.
 */
#ifndef EV_TABLE_H
#define EV_TABLE_H

#include <stddef.h>
#include "diag.h"

typedef struct ev_record {
	long line;        /* physical line (1-based) where the record starts */
	char **fields;    /* nfields UTF-8 strings, NUL-terminated; never NULL
	                     entries (an absent field is "") */
	size_t nfields;
	char *error;      /* NULL when the record is usable, else why not */
	long error_field; /* 1-based index of the field at fault, 0 = the record */
	size_t offset;    /* byte offset in ev_table.source where it starts */
} ev_record;

typedef struct ev_table {
	char **header;    /* ncols names, trimmed, BOM removed */
	size_t ncols;
	ev_record *rows;  /* data records in input order (header excluded): all
	                     of them, or the current chunk (ev_csv_next) */
	size_t nrows;
	char delimiter;   /* the one used: ',' ';' or '\t' */
	long header_line; /* physical line of the header (1, or later after blank lines) */
	const char *source;  /* the text read (after any BOM); borrowed from the
	                        caller of ev_csv_read, valid while it keeps it */
	size_t source_len;
} ev_table;

typedef struct ev_csv_options {
	char delimiter;      /* 0 = sniff among , ; TAB from the header line */
	size_t max_field;    /* bytes per field; 0 = EV_CSV_MAX_FIELD */
	size_t max_cols;     /* 0 = EV_CSV_MAX_COLS */
	size_t max_rows;     /* 0 = EV_CSV_MAX_ROWS */
} ev_csv_options;

#define EV_CSV_MAX_FIELD (64u * 1024u)
#define EV_CSV_MAX_COLS 1024u
#define EV_CSV_MAX_ROWS 1000000u

/* Read a whole CSV held in memory. `file` names it in diagnostics.
 * Returns a table the caller frees with ev_table_free, or NULL when the file
 * cannot be used at all (empty, no header, duplicate or empty header names,
 * too many columns or rows, out of memory); the reason is in `d`. Each broken
 * record also gets an error diagnostic "FILE:LINE: error: ..." in `d`. */
ev_table *ev_csv_read(const char *data, size_t len, const char *file,
                      const ev_csv_options *opt, ev_diags *d);

/* The same, a chunk of rows at a time, so a list of any length is read in
 * bounded memory: ev_csv_open reads up to the header (the table then has
 * no rows), each ev_csv_next replaces the table's rows with the next ones
 * (about `max`, each record whole), and ev_csv_rewind goes back to the
 * first. The records, their lines and diagnostics are those ev_csv_read
 * gives, chunk by chunk. ev_csv_next returns the number of rows, 0 at the
 * end, or -1 when the file turns out unusable (a NUL byte, which ev_decode's
 * text never holds; the row cap; out of memory), the reason in d. */
ev_table *ev_csv_open(const char *data, size_t len, const char *file,
                      const ev_csv_options *opt, ev_diags *d);
long ev_csv_next(ev_table *t, size_t max, ev_diags *d);
void ev_csv_rewind(ev_table *t);

void ev_table_free(ev_table *t);   /* accepts NULL */

/* Where field `field` (0-based) of rec starts in the source text: its
 * physical line and column in characters (1-based), for diagnostics that
 * point at a cell. Needs the source still alive. Returns 0, or -1 when the
 * field is not there (a short record): *line is then the record's line and
 * *col 0. */
int ev_table_locate(const ev_table *t, const ev_record *rec, size_t field,
                    long *line, long *col);
/* Where character `nchar` (0-based) of field `field`'s value is in the
 * source: its line and column, as ev_table_locate (which it falls back
 * to when the value is shorter). Returns 0, or -1 as ev_table_locate. */
int ev_table_locate_char(const ev_table *t, const ev_record *rec, size_t field,
                         size_t nchar, long *line, long *col);

/* Index of the column named `name` (exact match), or -1. */
long ev_table_column(const ev_table *t, const char *name);

#endif
