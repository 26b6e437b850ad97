/* shard.h - one shard of a batch (envoi batch --shard K/N): which rows it
 * holds, and shard.json, the note each shard's output folder gets so that
 * envoi merge-manifests can check the shards belong together. Pure: bytes
 * in, bytes out. */
#ifndef EV_SHARD_H
#define EV_SHARD_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "diag.h"

/* The most shards a batch may be cut into (the list's row cap). */
#define EV_SHARD_MAX 1000000u

typedef struct ev_shard_info {
	size_t k, n;               /* shard k of n: rows with seq % n == k */
	size_t rows;               /* rows of the whole list */
	char list_sha256[65];      /* of the list file and the letter file, */
	char letter_sha256[65];    /* 64 lowercase hex digits */
	size_t manifest_rows;      /* rows of this shard's manifest.csv */
} ev_shard_info;

/* Whether row seq (1-based) belongs to shard k of n. */
bool ev_shard_has(size_t k, size_t n, size_t seq);

/* How many of rows 1..total belong to shard k of n. */
size_t ev_shard_rows(size_t k, size_t n, size_t total);

/* "K/N" (two whole numbers in decimal, 0 <= K < N <= EV_SHARD_MAX) into
 * *k and *n. Returns 0, or -1 when s is not that. */
int ev_shard_parse_arg(const char *s, size_t *k, size_t *n);

/* shard.json for info, appended to out: one key a line, always in the same
 * order, so the same shard gives the same bytes. 0, or -1 (out->failed). */
int ev_shard_json(ev_buf *out, const ev_shard_info *info);

/* Read shard.json (len bytes at s; `file` names it in diagnostics) into
 * *info. Only what ev_shard_json writes is taken: one object of the six
 * keys, each once, whole numbers and hex digests, shard < of. Returns 0,
 * or -1 with "FILE:LINE:COL: error: ..." in d. */
int ev_shard_read(const char *s, size_t len, const char *file, ev_shard_info *info,
                  ev_diags *d);

#endif
