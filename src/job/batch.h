/* batch.h - the jobs envoi runs: a whole batch, or one preview. main.c
 * turns argv into an ev_job; tests call ev_job_run directly. */
#ifndef EV_BATCH_H
#define EV_BATCH_H

#include <stdbool.h>
#include <stdio.h>

#include "encoding.h"
#include "translit.h"

struct ev_recipient;

typedef enum { EV_JOB_BATCH, EV_JOB_PREVIEW, EV_JOB_CHECK } ev_job_kind;

typedef struct ev_job {
	ev_job_kind kind;
	const char *letter;       /* the letter file */
	const char *recipients;   /* the recipient list (CSV) */
	const char *outdir;       /* batch: the output folder */
	const char *output;       /* preview: the PDF to write */
	const char *id;           /* preview: the recipient's id */
	const char *fontdir;      /* NULL: $ENVOI_FONTDIR, else the built-in list */
	const char *labels;       /* label sheet: "L7163", "Avery 5160",
	                             "avery-5160", a part alone; NULL = "L7163" */
	size_t first;             /* --first: the first sheet starts on this
	                             label (1-based; 0: the first) */
	double offset_x, offset_y;   /* --offset: label sheets moved, mm */
	char delimiter;           /* 0 = sniff */
	ev_encoding encoding;     /* EV_ENC_AUTO = detect */
	const char *const *map;   /* --map FIELD=HEADER, nmap of them */
	size_t nmap;
	bool keep_duplicates;     /* send every copy of a duplicate row */
	ev_lang lang;             /* --lang: the list's language where a row's
	                             words do not say (UNKNOWN: Belarusian) */
	const char *find;         /* preview --find NAME (Latin or Cyrillic) */
	bool json;                /* check: the report as JSON */
	bool quiet;               /* no summary on success */
	bool timings;             /* batch/preview: where the time went, a
	                             table on err at the end (timings.h) */
	unsigned threads;         /* batch/preview: workers; 0 = one per core */
	FILE *report;             /* check: where the report goes (NULL: stdout) */
	/* Posting (override the letter's settings; NULL or 0: the letter's): */
	const char *posting;      /* --posting DE|GB|CH|none */
	int service;              /* --service: 1 + an ev_service, or 0 */
	const char *envelope;     /* --envelope DL|C6/5|C5|C4 */
	int duplex;               /* --duplex 1, --simplex 2, or 0 */
	const char *tariffs;      /* --tariffs FILE or folder; NULL:
	                             $ENVOI_TARIFFDIR, else the built-in list */
	const char *ledger;       /* --ledger FILE (else the letter's ledger:) */
	const char *envelopes;    /* --envelopes DL|C6/5|C5|C4: envelopes.pdf */
	bool order_postcode;      /* --order postcode: the print file, labels,
	                             envelopes, proof and posting list presorted
	                             by country, postcode and name */
	bool skip_sent, only_sent;   /* with a ledger: leave out the recipients
	                             it has a sent letter for, or all others */
	size_t shard_k, shard_n;  /* --shard K/N: write only the rows whose seq
	                             % N == K (every row is still read, checked
	                             and laid out); shard_n 0: every row */
	/* Called once per row of the list, in order, with its verdict (the
	 * row's reason is NULL when its letter is made, or would be by
	 * check): for tests. NULL: not called. */
	void (*on_row)(void *ctx, const struct ev_recipient *r);
	void *on_row_ctx;
} ev_job;

/* Exit status of a job. */
enum { EV_EXIT_OK = 0, EV_EXIT_REJECTED = 1, EV_EXIT_UNUSABLE = 2 };

/* Run a job, printing diagnostics and the summary to `err` (check prints
 * its report to job->report, and only failures to run to `err`). Returns
 * EV_EXIT_OK when every row became a letter, EV_EXIT_REJECTED when some rows
 * were rejected (the rest were made), EV_EXIT_UNUSABLE when nothing could be
 * made (unreadable or invalid letter or list, missing fonts, cannot write). */
int ev_job_run(const ev_job *job, FILE *err);

#endif
