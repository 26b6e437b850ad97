/* ledger.h - the campaign ledger: an SQLite database (one file, named by
 * --ledger or the letter's `ledger:` setting) that records every batch run
 * and every piece it made, so a campaign can prove what went to whom,
 * follow up, and record tracking numbers and returns. A batch holds the
 * ledger's write lock from open to commit and records everything in one
 * transaction: a killed batch leaves nothing half recorded, and a second
 * batch on the same ledger is refused at once. Edge code. */
#ifndef EV_LEDGER_H
#define EV_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"

typedef struct ev_ledger ev_ledger;

/* Open (creating it and its tables when new) and take the write lock.
 * NULL with the reason in d: cannot open or create, not an envoi ledger,
 * or another batch holds it ("... is being written by another envoi batch
 * (process ...)": refused at once, never waiting). */
ev_ledger *ev_ledger_open(const char *path, ev_diags *d);

typedef struct ev_ledger_run {
	const char *posting_date;    /* YYYY-MM-DD */
	const char *letter, *letter_sha256;   /* path as given, hash of its bytes */
	const char *list, *list_sha256;
	const char *outdir;
	const char *settings;        /* JSON object: posting, service, paper, ... */
} ev_ledger_run;

/* Start this batch's run (its row in runs; the run's number in *run).
 * The time it was made is the clock's (the ledger is a record, not an
 * output compared byte for byte). 0, or -1 (in d). */
int ev_ledger_begin_run(ev_ledger *l, const ev_ledger_run *run, long *number,
                        ev_diags *d);

typedef struct ev_ledger_piece {
	size_t seq;
	const char *id;
	const char *key;             /* the recipient key (name key) */
	const char *name, *name_latin;
	const char *file;            /* letters/NNNN-name.pdf */
	const char *sha256;          /* of the letter file */
	const char *band, *service, *currency;   /* "" when not priced */
	int64_t weight_ug, postage;  /* postage in minor units */
} ev_ledger_piece;

/* Record one piece of the current run, status "sent". 0, or -1 (in d). */
int ev_ledger_add_piece(ev_ledger *l, const ev_ledger_piece *p, ev_diags *d);

/* What the ledger knows of a recipient key, from any run before this one:
 * 1 with the latest piece's run number, posting date and status ("sent",
 * "returned") in the out parameters (strings valid until the next call);
 * 0 when never written to; -1 on a database error (in d). */
typedef struct ev_ledger_hit {
	long run;
	const char *posting_date;
	const char *status;
	const char *id;
} ev_ledger_hit;
int ev_ledger_find(ev_ledger *l, const char *key, ev_ledger_hit *out, ev_diags *d);

/* The tracking number recorded for a letter file (by its sha256), or NULL
 * (valid until the next call). */
const char *ev_ledger_tracking(ev_ledger *l, const char *sha256);

/* Commit the run: everything recorded since ev_ledger_open becomes durable
 * at once. 0, or -1 (in d; nothing is recorded). */
int ev_ledger_commit(ev_ledger *l, ev_diags *d);
/* Close; what was not committed is rolled back. Accepts NULL. */
void ev_ledger_close(ev_ledger *l);

/* `envoi ledger FILE show | import-tracking CSV | returned ID`: argv holds
 * the words after "ledger". Returns the exit status (0, 1 refused input,
 * 2 unusable). */
int ev_ledger_command(int argc, char **argv, FILE *out, FILE *err);

#endif
