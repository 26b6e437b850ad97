/* manifest.h - the postage manifest: one CSV row per input row, in input
 * order, every piece or its rejection with the reason. RFC 4180 (CRLF,
 * quotes doubled), UTF-8. Pure: rows are appended to a buffer. */
#ifndef EV_MANIFEST_H
#define EV_MANIFEST_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"

#define EV_MANIFEST_ADDRESS_LINES 7

typedef struct ev_manifest_row {
	size_t seq;
	const char *id;
	long line;                 /* input line of the row */
	const char *status;        /* "ok" or "rejected" */
	const char *reason;        /* "" when ok */
	const char *name, *name_latin;
	const char *const *address;   /* the block as printed */
	size_t naddress;
	const char *const *address_latin;   /* the same lines in Latin letters
	                                       (naddress of them), or NULL */
	const char *postcode, *country;
	size_t pages;              /* 0 when rejected */
	const char *file;          /* relative to the manifest; "" when rejected */
	/* the piece, when the batch is priced (band NULL: these stay empty) */
	size_t sheets;
	int64_t weight_ug;
	const struct ev_band *band;
	const char *sha256;        /* of the letter file, hex; "" when none */
	const char *tracking;      /* from the ledger, or "" */
} ev_manifest_row;

int ev_manifest_header(ev_buf *out);
int ev_manifest_add(ev_buf *out, const ev_manifest_row *row);

/* One CSV field: quoted when it holds a delimiter, quote or line break; a
 * value starting with = + - @ (or TAB/CR) gets a leading apostrophe so a
 * spreadsheet shows it as text and never runs it as a formula. */
int ev_csv_field(ev_buf *out, const char *s);

#endif
