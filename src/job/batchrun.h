/* batchrun.h - a batch while it runs, shared by the files that make it:
 * batch.c (the letters, the manifest, the staging folder and the run),
 * printout.c (the print volumes, label sheets, proof sheets, envelopes and
 * the posting list, in print order) and presort.c (--order postcode). */
#ifndef EV_BATCHRUN_H
#define EV_BATCHRUN_H

#include <stdint.h>

#include "job.h"
#include "postinglist.h"
#include "proof.h"
#include "totals.h"

/* Letters per print file: a campaign of more is printed from volumes
 * print-001.pdf, print-002.pdf, ... (libharu's page tree stops at 32,767
 * pages, and a volume is held in memory until it is written). */
#define VOLUME_LETTERS 500

/* A CSV file made in the staging folder, written as it grows. */
typedef struct staged {
	const char *name;            /* manifest.csv */
	ev_buf buf;                  /* rows not yet written to f */
	FILE *f;
} staged;

typedef struct batch {
	inputs *in;
	const ev_job *job;
	ev_diags *d;
	FILE *err;
	int lock;                    /* OUTDIR held for this run, or -1 */
	char *made;                  /* the highest folder this run created for
	                                OUTDIR, removed again if the run fails */
	char *stage, *stage_letters;
	staged manifest;             /* manifest.csv */
	staged clickdrop;            /* click-and-drop.csv (posting from GB) */
	ev_totals totals;            /* the postage, per band */
	ev_posting_list *plist;      /* posting-list.pdf, a page at a time */
	ev_pdf *plist_pdf;
	ev_arena *plist_arena;       /* the page being laid out */
	char plist_number[32], plist_date[32];
	ev_arena *letter_arena;
	ev_pdf *print;               /* the combined, duplex-safe print file */
	ev_width_memo *widths;       /* the main thread's measures (labels, */
	ev_metrics metrics;          /* proof, posting list), the workers' too */
	size_t volumes;              /* print files: 1 (print.pdf) or print-NNN.pdf */
	size_t volume, in_volume;    /* the open one (1-based), letters in it */
	size_t to_make;              /* letters the batch will make */
	ev_flusher *flusher;         /* syncs what is written while more is made */
	size_t flushed;              /* letter bytes when it was last asked */
	/* The label sheets, drawn a sheet at a time as the letters come: */
	const ev_label_sheet *sheet;
	ev_label_place place;        /* --first, --offset */
	size_t skip;                 /* labels left empty on the sheet being
	                                filled (--first, the campaign's first) */
	ev_pdf *labels;
	ev_arena *label_arena;       /* the address lines of the sheet being filled */
	const char *const **blocks;  /* its blocks (one sheet's worth) */
	size_t *nlines;
	size_t nblocks, per_sheet;
	size_t volume_sheets;        /* in the label file being made */
	bool labels_open;            /* a label file is being made (none when
	                                no letter is: a blank sheet wastes one) */
	size_t letters, pages, sheets;
	size_t volume_pages;         /* pages in the open print file */
	/* proof.pdf: the first pages of the letters of the sheet being filled */
	ev_pdf *proof;
	ev_pdf_pages *proof_pages[EV_PROOF_PER_PAGE];
	ev_proof_item proof_items[EV_PROOF_PER_PAGE];
	size_t nproof, proof_sheets;
	ev_arena *proof_arena;
	ev_pdf *envelopes;           /* envelopes.pdf (--envelopes), or NULL */
	/* --order postcode: each piece spilled to a file as it is made, in the
	 * list's order, and emitted in presorted order at the end */
	FILE *spill;
	struct spilled *spilled;
	size_t nspilled, spilled_cap;
	ev_buf rec;                  /* one record being written or read */
	ev_arena *sort_arena;        /* the record read back (not letter_arena,
	                                which a full label sheet resets) */
} batch;

typedef struct spilled {
	char *key;                   /* country, postcode, name, seq */
	long long off;
	size_t len;
} spilled;

/* A piece as the print outputs take it, in print order. */
typedef struct piece_out {
	size_t seq;
	const char *id, *name, *name_latin;
	const char *const *address;
	const char *const *address_latin;   /* for the envelope, or NULL */
	size_t naddress;
	ev_pdf_pages *pages;         /* taken over by emit */
	ev_piece piece;              /* band NULL: not priced */
} piece_out;

/* printout.c: a piece into the print outputs (print volume, labels, proof,
 * envelopes, posting list), in print order; its pages taken over. */
int batch_emit(batch *b, piece_out *o);
/* The print volume (1-based b->volume) opened, or closed and finished. */
int batch_open_volume(batch *b);
int batch_close_volume(batch *b);
/* The label sheets: made at the start, begun per volume, finished. */
int batch_start_labels(batch *b);
int batch_begin_labels(batch *b);
int batch_finish_labels(batch *b);
/* "print.pdf" for a campaign of one volume (or none), else
 * "print-001.pdf" ... for each volume; what: "print", "labels", ... */
void batch_file_name(const batch *b, const char *what, size_t volume, char *name,
                     size_t cap);
/* posting-list.pdf: begun, and finished with its totals. */
int batch_start_posting_list(batch *b);
int batch_finish_posting_list(batch *b);

/* presort.c: the piece spilled to the presort file (its sort key kept);
 * then every spilled piece emitted in presorted order. */
int batch_spill(batch *b, const ev_recipient *r, const piece_out *o);
int batch_emit_sorted(batch *b);

#endif
