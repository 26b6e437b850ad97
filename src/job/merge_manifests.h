/* merge_manifests.h - envoi merge-manifests: the manifests of the shards of
 * one batch (envoi batch --shard K/N, on as many machines) joined into the
 * manifest the unsharded batch writes. Edge code: reads the shards' output
 * folders, writes one file. */
#ifndef EV_MERGE_MANIFESTS_H
#define EV_MERGE_MANIFESTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct ev_merge_job {
	const char *output;          /* OUT.csv */
	const char *const *dirs;     /* the shards' output folders, each with
	                                manifest.csv and shard.json */
	size_t ndirs;
	bool quiet;                  /* no summary */
} ev_merge_job;

/* Check that the folders hold all N shards of one list and one letter,
 * each once, with manifests of one header holding each exactly its
 * shard's rows in the list's order; then write job->output atomically:
 * the header and every record in the list's order, each record's bytes as
 * its shard wrote them, so the file is the unsharded batch's manifest.
 * Errors go to err as FILE:LINE:COL: error: ... Returns 0, or 2 (nothing
 * written). */
int ev_merge_manifests(const ev_merge_job *job, FILE *err);

#endif
