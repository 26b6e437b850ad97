/* job.h - the job runner's shared parts (inputs.c, workers.c, batch.c,
 * preview.c, check.c): what is read once, the list a chunk at a time, and
 * the worker threads that lay out and draw letters. Edge code, not core. */
#ifndef EV_JOB_H
#define EV_JOB_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "arena.h"
#include "batch.h"
#include "diag.h"
#include "display.h"
#include "embed.h"
#include "encoding.h"
#include "font.h"
#include "fsutil.h"
#include "hyphen_dict.h"
#include "labeldb.h"
#include "layout.h"
#include "ledger.h"
#include "merge.h"
#include "pdf.h"
#include "envelope.h"
#include "postage.h"
#include "progress.h"
#include "recipient.h"
#include "shelf.h"
#include "store.h"
#include "table.h"
#include "template.h"
#include "timings.h"

/* Rows of the list built and laid out at a time: the list is read a
 * chunk at a time in each pass, so memory does not grow with its length. */
#define CHUNK_ROWS 1024

/* Everything read and checked before the first letter is made, and the
 * list, read a chunk of rows at a time. */
typedef struct inputs {
	ev_arena *run;               /* template and settings */
	char *letter_src, *sig_src;
	char *sig_path;              /* the signatories list's path, or NULL */
	size_t letter_len, sig_len;
	ev_mapped list_file;         /* the list's bytes */
	char list_sha256[65];        /* of those bytes (with a letter: "" else) */
	char posting_sha256[65];     /* of the letter (no byte-order mark) and
	                                the list: the posting list's number */
	ev_decoded list;             /* the list as UTF-8 (the table points in;
	                                into list_file when it was UTF-8) */
	ev_template *t;
	ev_table *table, *sig_table;
	ev_recipients *rs;
	size_t passes;               /* over the list so far */
	ev_diags scratch;            /* the reader's diagnostics read again */
	const char **signatories;
	size_t nsignatories;
	ev_merge_list sig_list;      /* the same rows for {{#signatories}} */
	const char *const **sig_rows;
	char *fontpaths[EV_FACE_COUNT];
	char *fallbackpaths[EV_FACE_COUNT];   /* all NULL: no fallback font */
	ev_mapped font_file[2][EV_FACE_COUNT];   /* the files' bytes, mapped:
	                                            only the pages HarfBuzz
	                                            reads are ever read */
	ev_font *fonts[2][EV_FACE_COUNT];
	ev_fontset fs;
	ev_metrics metrics;          /* layout measures through fs */
	ev_embed embed;              /* the batch's font subsets */
	ev_pdf_store *store;         /* the letters' shared page content */
	/* The first pass's letters kept for the second (a batch's: NULL
	 * otherwise), by row (seq - 1) while it has room and seq <=
	 * SHELF_ROWS; the others are laid out again. */
	ev_shelf *shelf;
	const ev_shelved **kept;
	ev_pages_pool *pages_pool;   /* their kept pages' memory, reused */
	_Atomic size_t letter_bytes; /* of the letters written so far (the
	                                flusher is asked each FLUSH_STEP) */
	ev_width_table *widths;      /* text widths, measured by any thread */
	ev_embed plist_embed;        /* the posting list's own (so its texts do
	                                not change the letters' subsets) */
	ev_hyphen *hyphen;           /* pattern files, loaded per language */
	ev_hyphenator hy;
	/* The fonts are loaded on a thread of their own while the list is
	 * read (job_await_fonts waits for them); a batch waits only once it
	 * has read the list's first chunk. */
	bool defer_fonts;            /* set before job_read_inputs: batch */
	pthread_t font_loader;
	bool fonts_loading, fonts_awaited;
	int fonts_rc;
	ev_diags font_diags;         /* the loader's, until awaited */
	const char *fontdir;
	long first_chunk;            /* read ahead by job_read_first_chunk */
	bool first_chunk_read;
	ev_layout_stats worst;       /* the loosest line of the batch */
	size_t worst_index;          /* its row, or SIZE_MAX */
	char *worst_id;              /* that row's id */
	size_t hyphens, ragged;
	/* how the letters are posted (posting.c) */
	bool duplex;                 /* printed on both sides: letters start on
	                                a front side in the print file */
	bool priced;                 /* every letter gets a band and a price */
	const char *unpriced;        /* else why not (static text) */
	ev_tariff tariff;
	ev_posting posting;
	char posting_date[16];       /* YYYY-MM-DD */
	ev_progress progress;        /* the line on a terminal (batch) */
	/* plain envelopes (--envelopes), or envelopes NULL */
	const char *envelopes;       /* "DL", "C5", ... */
	const char *env_posting;     /* the posting country, or NULL */
	bool env_latin;              /* the address in Latin letters too */
	ev_embed env_embed;          /* envelopes.pdf's own font subsets */
	/* the campaign ledger (sent.c), when one is named */
	ev_ledger *ledger;
	char *ledger_path;
	long run_number;
	char **skip;                 /* by seq - 1: why the row is left out, or NULL */
	size_t nskip, skip_cap;
	size_t skipped;
	/* the label sheet (labelcmd.c): built-in, or one of the database's */
	const ev_label_sheet *sheet;
	ev_labeldb *labeldb;         /* read only when the sheet is not built in */
	struct job_places *places;   /* the places' Latin forms remembered
	                                (job_address_latin), or NULL */
} inputs;

/* What one thread lays out and writes with: its own fonts (their shaping
 * caches), hyphenator (its cache), PDF writer and arena, and what it
 * measured. Everything else (the template, the list, the embedded fonts)
 * is shared and only read. */
typedef struct worker {
	inputs *in;
	const ev_job *job;
	ev_font *fonts[2][EV_FACE_COUNT];
	ev_fontset fs;
	ev_metrics metrics;
	ev_hyphen *hyphen;
	ev_hyphenator hy;
	ev_pdf *pdf;
	ev_buf file;                 /* a letter's file, reused for the next */
	ev_arena *arena;
	ev_layout_memo *memo;        /* the template's paragraphs, set once */
	ev_charset *cs;
	ev_charset *pcs;             /* the posting list's characters */
	ev_charset *ecs;             /* the envelopes' */
	ev_diags d;
	ev_layout_stats worst;
	size_t worst_index;          /* the row of the loosest line, or SIZE_MAX */
	char *worst_id;              /* its id */
	size_t hyphens, ragged;
	struct pool *pool;
} worker;

/* The rows are handed out one at a time, in order, to the workers; each
 * letter's result waits in its slot until the main thread takes it, in
 * order, so the output is the same whatever the number of threads. */
/* A letter's file name: its number (4 digits, more past 9,999 rows), '-',
 * the slug of its name (at most 40), ".pdf"; with "letters/" before it. */
#define LETTER_SLUG 40
#define LETTER_REL_CAP 96

typedef struct slot {
	bool done;
	ev_pdf_pages *pages;         /* the letter's pages, or NULL */
	char rel[LETTER_REL_CAP];    /* letters/NNNN-name.pdf, or "" */
	char *refused;               /* why the letter could not be drawn, or NULL */
	char sha256[65];             /* of the letter file, hex */
} slot;

typedef struct pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	_Atomic size_t next;         /* the next row to hand out: no lock */
	size_t n;
	bool failed;                 /* under mu */
	atomic_bool stopped;         /* failed, for job_next_row */
	slot *slots;                 /* pass 2 */
	size_t waiting;              /* pass 2: the slot the main thread waits
	                                for, or SIZE_MAX */
	char *stage_letters;         /* pass 2 */
} pool;

/* The page content letters share, deflated once: a template has a few
 * variants (conditionals, a body pushed down a line); a cap, not a size. */
#define STORE_BYTES ((size_t)8 << 20)
/* A letter of the sample keeps ~3.5 KB (its own items; the body once). */
#define SHELF_BYTES ((size_t)4 << 20)
#define SHELF_ROWS ((size_t)4096)


/* ---- inputs.c ---- */

/* Read, parse and check the letter, the list's header and the signatories;
 * load the fonts and hyphenation. Returns 0, or -1 when the job cannot be
 * done (errors in d). */
int job_read_inputs(inputs *in, const ev_job *job, ev_diags *d);
/* The list alone, its header read and columns mapped, ready for
 * job_next_chunk. Returns 0, or -1 when it cannot be used (in d; in->table
 * is then set if the file could be read as a table). */
int job_read_list(inputs *in, const ev_job *job, ev_diags *d);
/* The fonts the letter names (PT Serif when there is no letter). */
int job_load_fonts(inputs *in, const char *fontdir, ev_diags *d);
/* A thread's own fonts over the bytes read once (see inputs.c). */
int job_make_fontset(const inputs *in, ev_font *fonts[2][EV_FACE_COUNT],
                     ev_fontset *fs, int *w, int *f, char *why, size_t cap);
/* Wait for the fonts (loaded on a thread from job_read_inputs) and the
 * hyphenation patterns; their errors and warnings into d. Returns 0, or -1
 * when the job cannot be done. Once is enough; again returns the same. */
int job_await_fonts(inputs *in, ev_diags *d);
/* Start a pass over the list; then each job_next_chunk puts the next rows
 * into in->rs->items: their number, 0 at the end, -1 (in d) when the list
 * cannot be used. */
void job_start_pass(inputs *in);
long job_next_chunk(inputs *in, const ev_job *job, ev_diags *d);
/* The first pass's first chunk, read ahead (while the fonts load): the
 * first pass (job_prepare_fonts) then starts with it. As job_next_chunk. */
long job_read_first_chunk(inputs *in, const ev_job *job, ev_diags *d);
void job_inputs_free(inputs *in);
/* Print errors and warnings and forget them (notes are for `check`). */
void job_print_diags(FILE *err, ev_diags *d);

/* ---- labelcmd.c ---- */

/* The job's label sheet into in->sheet: --labels, else L7163 (the batch
 * always makes labels; check and preview judge the rows as it does), with
 * --first checked against it. 0, or -1 (in d). */
int job_read_labels(inputs *in, const ev_job *job, ev_diags *d);

/* ---- posting.c ---- */

/* The posting country, its tariff, the posting date, paper and envelope
 * (in->posting, in->priced), or why there is no postage (in->unpriced).
 * Returns 0, or -1 when the batch cannot be priced as asked (in d). */
int job_read_posting(inputs *in, const ev_job *job, ev_diags *d);
/* The posting date as the posting list prints it, in the tariff's
 * language: 02.06.2025 (de), 2 June 2025 (en). */
void job_posting_date_text(const inputs *in, char *out, size_t cap);
/* A row's text as the posting list prints it: s, or when a face of the
 * fonts (measured by m) lacks one of its characters, s folded to ASCII
 * (an id or a Latin spelling from the list may hold anything; the name
 * and the country are in the letter's address, so printable). s itself,
 * or the folded copy in a; NULL when out of memory. */
const char *job_listed_text(const ev_metrics *m, const char *s, ev_arena *a);
/* The address block in Latin letters (the name line as the letter greets
 * the person, the others by the campaign's latin-places policy), in a;
 * NULL when out of memory. */
const char **job_address_latin(const inputs *in, const ev_recipient *r, ev_arena *a);
/* What job_address_latin remembers: courts, streets, towns and regions
 * come again row after row (shared by the threads, behind a lock). NULL
 * when out of memory (then nothing is remembered). */
struct job_places *job_places_new(void);
void job_places_free(struct job_places *p);   /* accepts NULL */
/* A piece's envelope: its block (address, Latin lines, n of each with the
 * country line last) as ev_layout_envelope takes it. */
typedef struct job_envelope_t {
	ev_envelope_in in;
	const char *country[1];
	char buf[256];
} job_envelope_t;
void job_envelope(const inputs *in, const char *const *address,
                  const char *const *latin, size_t n, job_envelope_t *e);
/* Every fixed and head text the posting list prints, into cs in both
 * faces (the lines' own texts are added per row). 0, or -1. */
int job_posting_chars(const inputs *in, ev_charset *cs, const ev_fontset *fs,
                      ev_diags *d);

/* ---- sent.c ---- */

/* Open the ledger the job names (none: 0, unless --skip-sent/--only-sent
 * need one) and start this run in it. 0, or -1 (in d). */
int job_open_ledger(inputs *in, const ev_job *job, ev_diags *d);
/* Mark the current chunk's rows --skip-sent or --only-sent leaves out
 * (r->skipped), the same in every pass. 0, or -1 (in d). */
int job_mark_sent(inputs *in, const ev_job *job, ev_diags *d);
/* Record a piece made in the ledger (if any). 0, or -1 (in d). */
int job_record_piece(inputs *in, const ev_recipient *r, const char *file,
                     const char *sha256, const ev_piece *pc, ev_diags *d);
/* Close the ledger, rolling back what was not committed. */
void job_close_ledger(inputs *in);
/* SHA-256 of data as 64 hex digits and a NUL. */
void job_sha256_hex(const void *data, size_t len, char out[65]);
/* The same of a's bytes then b's, without copying them together. */
void job_sha256_hex2(const void *a, size_t alen, const void *b, size_t blen,
                     char out[65]);
/* The list's and the posting list's hashes (in->list_sha256,
 * in->posting_sha256) of the letter and the list's bytes, in one pass. */
void job_hash_inputs(inputs *in);

/* ---- workers.c ---- */

int job_worker_init(worker *w, inputs *in, const ev_job *job, ev_diags *d);
void job_worker_free(worker *w);
/* How many workers: --threads, else one per core (at most 64). */
size_t job_thread_count(const ev_job *job);
/* The next row of the pool's chunk, or SIZE_MAX when there is none. */
size_t job_next_row(pool *p);
void job_pool_fail(pool *p);
/* Run fn on every worker, each in its own thread, until the rows are done.
 * Returns 0, or -1 (a thread failed to start, or a worker failed). */
int job_run_workers(worker *ws, size_t nw, pool *p, void *(*fn)(void *),
                    ev_diags *d);
/* Each worker's diagnostics into d, sorted. */
void job_gather_diags(worker *ws, size_t nw, ev_diags *d);
/* Merge and lay out recipient r's letter into dl: 0, 1 when the recipient
 * cannot be printed (rejected, when `count`, with the reason on it), -1 when
 * out of memory. `count`: the first pass, which counts and rejects. */
int job_lay_out_letter(worker *w, ev_recipient *r, ev_arena *a, ev_display *dl,
                       bool count);
/* The first pass over the current chunk: each row's letter laid out on
 * the workers (rejecting what cannot be made, diagnostics in each
 * worker's d), the characters noted in each worker's cs when it has one.
 * Returns 0, or -1 (out of memory, a thread failed). */
int job_lay_out_chunk(inputs *in, worker *ws, size_t nw, ev_diags *d);
/* The first pass over the list, then the font subsets and a PDF writer per
 * worker (see workers.c). */
int job_prepare_fonts(inputs *in, const ev_job *job, worker *ws, size_t nw,
                      bool report, ev_diags *d, FILE *err);

/* ---- shardjob.c ---- */

/* Whether the batch makes row seq: every row, or only its shard's. */
bool job_in_shard(const ev_job *job, size_t seq);
/* The rows the batch writes (the shard's, or the whole list's) and how
 * many of them are rejected, from the verdicts (so after the first pass,
 * and again at the end for those refused when drawn). */
void job_shard_counts(const inputs *in, const ev_job *job, size_t *rows,
                      size_t *rejected);
/* A sharded batch cannot record in a ledger: 0, or -1 (in d). */
int job_shard_refuse_ledger(const inputs *in, const ev_job *job, ev_diags *d);
/* The batch's word on its shard (nothing when not sharded): which rows,
 * and that a shard without rows wrote a manifest of its header alone. */
void job_shard_summary(const inputs *in, const ev_job *job, FILE *err);
/* shard.json into the staging folder (nothing when not sharded). 0, or -1. */
int job_write_shard(const inputs *in, const ev_job *job, const char *stage,
                    ev_diags *d);

/* ---- the three jobs ---- */

int job_run_batch(inputs *in, const ev_job *job, ev_diags *d, FILE *err);
int job_run_preview(inputs *in, const ev_job *job, ev_diags *d, FILE *err);
int job_run_check(const ev_job *job, FILE *err);

#endif
