/* merge.h - template x one recipient -> a document of literal runs.
 * Values are inserted as literal text, never parsed again. Pure. */
#ifndef EV_MERGE_H
#define EV_MERGE_H

#include "arena.h"
#include "doc.h"
#include "gender.h"
#include "template.h"
#include "translit.h"

/* Looks up a merge field's value; NULL when there is no such field. */
typedef const char *(*ev_lookup)(void *ctx, const char *name);

/* A list a {{#name}} section repeats over, once per row, with the row's
 * columns as fields inside (the signatories list). */
typedef struct ev_merge_list {
	const char *name;
	const char *const *columns;
	size_t ncolumns;
	const char *const *const *rows;   /* rows[i][c] */
	size_t nrows;
} ev_merge_list;

typedef struct ev_merge_input {
	const ev_template *t;
	ev_lookup lookup;
	void *ctx;
	const char *const *signatories;   /* one printed line each */
	size_t nsignatories;
	const ev_merge_list *list;        /* or NULL */
	ev_lang lang;                     /* the recipient's language, for words
	                                     without a deciding letter */
	ev_gender gender;                 /* the recipient's, for | dative */
	const char **unsure;              /* when not NULL: set to the field a
	                                     | dative or | genitive could not
	                                     decline for certain (its nominative
	                                     is kept) */
} ev_merge_input;

/* Whether a field holds a place (court, street, city, district, region):
 * `| latin` then follows the campaign's latin-places policy. */
bool ev_field_is_place(const char *name);

/* Merge the body into `out` (allocated in `a`). Sections: {{#f}}...{{/f}}
 * is kept when f is not empty (repeated per row when f names the list),
 * {{^f}}...{{/f}} when it is empty; what a false section spans is left out,
 * block boundaries included, and blocks left empty are dropped. Returns 0,
 * or -1 when out of memory or a field has no value (a bug: fields are
 * checked first). */
int ev_merge_body(const ev_merge_input *in, ev_arena *a, ev_doc *out);

/* Merge a one-line setting into a string in `a`; "" when the setting is
 * absent. NULL when out of memory. */
const char *ev_merge_line(const ev_merge_input *in, const ev_tline *line,
                          ev_arena *a);

#endif
