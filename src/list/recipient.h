/* recipient.h - from table rows to recipients: the address fields envoi
 * needs, found by column name; each row cleaned, validated and given its
 * Latin forms and its address block, or rejected with a reason. Pure. */
#ifndef EV_RECIPIENT_H
#define EV_RECIPIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "diag.h"
#include "encoding.h"
#include "gender.h"
#include "table.h"
#include "translit.h"

typedef enum {
	EV_F_ID, EV_F_SURNAME, EV_F_GIVEN_NAME, EV_F_PATRONYMIC, EV_F_GENDER,
	EV_F_POSITION, EV_F_COURT, EV_F_STREET, EV_F_BUILDING, EV_F_OFFICE,
	EV_F_POSTCODE, EV_F_CITY, EV_F_DISTRICT, EV_F_REGION, EV_F_COUNTRY,
	EV_F_LANG, EV_F_COUNT
} ev_field;

#define EV_ADDRESS_MAX 7

typedef struct ev_recipient {
	size_t seq;           /* 1-based position among the data rows */
	long line;            /* input line where the row starts */
	const ev_record *rec; /* its record among the table's current rows */
	const char *id;       /* the id column, or seq when there is none */
	char seq_text[24];    /* seq as text (id when the list has no ids) */
	char **values;        /* one cleaned value per column ("" if none);
	                         these strings, the names, keys and address
	                         lines live in the list's arena (rows): valid
	                         until the next chunk */
	const char *field[EV_F_COUNT];   /* into values; "" when no column */
	ev_lang lang;
	char *name;           /* "surname given patronymic" */
	char *name_latin;
	char *surname_latin, *given_name_latin, *patronymic_latin;
	char *address[EV_ADDRESS_MAX];   /* the block as printed, top down */
	size_t naddress;
	ev_gender gender;
	const char *gender_from;         /* NULL: the gender column (or none);
	                                    else "patronymic"/"surname": inferred */
	char *person_key;                /* ev_name_key of surname + given name */
	char *patronymic_key, *address_key;   /* for duplicates */
	long duplicate_of;               /* line of the first row of this person
	                                    at this address, or 0 */
	bool repaired;                   /* some value was repaired (reported) */
	char *reason;         /* NULL: accepted; else why the row is rejected
	                         (malloc'd) */
	const char *skipped;  /* NULL; else why the batch leaves it out (the
	                         ledger: --skip-sent, --only-sent), owned by
	                         the job */
	const char *reason_column;       /* header of the column at fault, or NULL */
} ev_recipient;

typedef struct ev_recipient_options {
	const char *const *map;          /* "field=Header" pairs (--map) */
	size_t nmap;
	bool keep_duplicates;            /* send every copy of a duplicate */
	ev_lang lang;                    /* default language of the rows (--lang) */
	const struct ev_scheme *latin_be, *latin_ru;   /* the Latin forms of
	                                    names (NULL: by-passport / icao-ru) */
	ev_encoding encoding;            /* what the list was read as (AUTO:
	                                    unknown); KOI8-R and CP866 cannot hold
	                                    Belarusian, so lost letters there make
	                                    the whole list unusable */
} ev_recipient_options;

/* What became of a row: kept for every row seen, so a row built again
 * (ev_recipients_replay) is rejected or sent as it was the first time.
 * Eight bytes a row; the few rows rejected or repeating another have a
 * note with the details. */
typedef struct ev_verdict {
	uint32_t digest;                 /* of its record, to know it again */
	uint32_t note;                   /* 1-based index into notes, 0: none
	                                    (accepted, not a duplicate) */
} ev_verdict;

typedef struct ev_verdict_note {
	char *reason;                    /* NULL: accepted */
	const char *column;              /* header of the column at fault */
	long duplicate_of;
	bool addressed;                  /* it has an address block (a row
	                                    rejected before the duplicate
	                                    checks has none) */
} ev_verdict_note;

typedef struct ev_recipients {
	const ev_table *table;           /* not owned */
	const char *file;
	ev_recipient_options opt;
	long col[EV_F_COUNT];            /* column index, or -1 */
	ev_recipient *items;             /* the current chunk's rows */
	struct ev_arena *arena;          /* their strings; reset each chunk */
	ev_buf scratch;                  /* reused while building a row */
	struct ev_translit_memo *latin;  /* the Latin forms given recently */
	size_t n, items_cap;
	size_t base;                     /* rows before items[0] */
	size_t total;                    /* rows seen so far (the first time) */
	ev_verdict *verdicts;            /* one per row seen, by seq - 1 */
	size_t verdicts_cap;
	ev_verdict_note *notes;
	size_t nnotes, notes_cap;
	bool replaying;                  /* building rows seen before */
	bool kept;                       /* replaying a list of one chunk: its
	                                    rows kept as built, only compared */
	size_t replayed;
	struct ev_seen *ids, *people;    /* for duplicates across chunks */
	long lost_first;                 /* line of the first row with a lost
	                                    letter, or 0 */
	char country_memo[64];           /* the last country looked up, */
	const char *country_memo_line;   /* its line (NULL: none), */
	bool country_memo_ok;            /* if one was */
	/* Counts over all rows seen: */
	size_t rejected;
	size_t duplicates;               /* rows found to repeat an earlier one */
	size_t repaired;                 /* rows with a repaired value */
	size_t lost;                     /* rows with a letter lost as '?' */
	size_t gender_inferred, gender_unknown;
} ev_recipients;

/* The names of envoi's own fields ("surname", "postcode", ...), for --map. */
extern const char *const ev_field_names[EV_F_COUNT];

/* Build recipients from a table (which must outlive the result): map the
 * columns, normalise every value, validate each row, infer genders, find
 * duplicates. Returns NULL when the list cannot be used at all (a required
 * column is missing, a bad --map, Belarusian letters lost to a code page),
 * with the reason in d. Everything else is a diagnostic at the cell (line,
 * column in characters, header, value), in row order: an error for each
 * rejected row, warnings for what should be checked, notes for repairs
 * made. opt may be NULL (it is copied; its strings are borrowed). */
ev_recipients *ev_recipients_build(const ev_table *t, const char *file,
                                   const ev_recipient_options *opt,
                                   ev_diags *d);

/* The same for a table read a chunk at a time (ev_csv_next): begin maps
 * the columns (NULL when the list cannot be used); each next builds the
 * table's current rows into items (replacing the last chunk's), finding
 * duplicates among all rows so far, with their diagnostics in d; finish,
 * after the last chunk, makes the checks of the whole list (-1: the list
 * cannot be used, the reason in d). next returns 0, or -1 when out of
 * memory (in d, which may be NULL when replaying). Memory kept per row:
 * its verdict (8 bytes) and its keys for duplicates (about 40 bytes). */
ev_recipients *ev_recipients_begin(const ev_table *t, const char *file,
                                   const ev_recipient_options *opt,
                                   ev_diags *d);
int ev_recipients_next(ev_recipients *rs, ev_diags *d);
int ev_recipients_finish(ev_recipients *rs, ev_diags *d);

/* From now on, next builds the rows seen before again, from the first
 * (the table rewound): the same values and names, each with the verdict
 * it got (from the checks or ev_recipient_reject), without diagnostics and
 * without counting anything twice. A list that was one chunk (all its
 * rows still in items) is not built again: next compares each row read
 * with what it was and keeps the items as they are. A row that is not
 * what it was (the file changed between readings) makes next fail with
 * that error in d. */
void ev_recipients_replay(ev_recipients *rs);

void ev_recipients_free(ev_recipients *rs);   /* accepts NULL */

/* Reject a recipient later in the pipeline (layout, glyphs), also in its
 * verdict. The reason is copied. Returns 0, -1 when out of memory. Not
 * thread-safe (the count and verdicts are shared); the items may be. */
int ev_recipient_reject(ev_recipients *rs, ev_recipient *r, const char *column,
                        const char *reason);

/* The value of merge field `name` for r: a column of the list (exact header
 * name) first, so a stored spelling such as surname_latin always wins, then
 * the derived fields (surname_latin, given_name_latin, patronymic_latin,
 * name, name_latin, seq, gender). NULL when no such field exists. The
 * string lives as long as rs. */
const char *ev_recipient_value(const ev_recipients *rs, const ev_recipient *r,
                               const char *name);

/* Whether `name` is a merge field of this list (column or derived). */
bool ev_recipients_has_field(const ev_recipients *rs, const char *name);

/* All merge-field names (columns, then derived), for "did you mean". The
 * array is malloc'd (strings are not); *n receives its length. */
const char **ev_recipients_field_names(const ev_recipients *rs, size_t *n);

/* Find a recipient by its id; NULL when none. */
ev_recipient *ev_recipients_find(const ev_recipients *rs, const char *id);

#endif
