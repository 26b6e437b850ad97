/* casefile.h - the example files the unit tests read (tests/cases/NAME.txt):
 * "=== NAME" starts a case, an optional "options ..." line, "--- input"
 * with escaped bytes, "--- expect" with the text the runner must print.
 * The escapes are described at the top of tests/cases/csv.txt. */
#ifndef EV_CASEFILE_H
#define EV_CASEFILE_H

#include <stdbool.h>
#include "buf.h"

typedef struct ev_case {
	char name[200];
	long at;              /* line of "===" in the cases file */
	char options[1024];   /* the options line's text after "options ", or "" */
	ev_buf input;         /* the input bytes, escapes decoded */
	ev_buf expect;        /* expected lines, each ending in \n, blanks dropped */
} ev_case;

/* Print into got what the code under test does with c; a line starting
 * with "!!" is a broken invariant. Returns false when the options line
 * cannot be understood. */
typedef bool (*ev_case_fn)(ev_buf *got, const ev_case *c);

/* Run every case of the file at path, printing a line diff for each that
 * differs and "LABEL: N passed, N failed" at the end. Returns the exit
 * status for main: 0 all passed, 1 some failed, 2 a malformed cases file. */
int ev_cases_run(const char *path, const char *label, ev_case_fn fn);

/* Decode one input line's escapes (\n \r \t \s \\ \0 \xHH, \{N}X and
 * \{N}(...) repeats) onto b. Returns 0, -1 on a bad escape. */
int ev_case_unescape(ev_buf *b, const char *s);

/* The whole file at path, NUL-terminated, its length in *len (may be
 * NULL); the caller frees it. NULL when it cannot be opened or read, or
 * when out of memory. For the runners that read files of their own. */
char *ev_case_read_file(const char *path, size_t *len);

#endif
