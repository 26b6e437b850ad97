/* merge_manifests.c - envoi merge-manifests (see merge_manifests.h). Each
 * shard's shard.json says which shard it is and of what; the manifests are
 * read with the list's CSV reader a chunk at a time and their records
 * copied byte for byte, taking row seq from shard seq % N, so memory does
 * not grow with the list and the output is never re-encoded. */
#include "merge_manifests.h"

#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "buf.h"
#include "diag.h"
#include "fsutil.h"
#include "shard.h"
#include "table.h"
#include "text.h"

#define SHARD_JSON_LIMIT ((size_t)64 << 10)
#define MANIFEST_LIMIT ((size_t)64 << 30)
#define CHUNK 64                 /* records read at a time, per shard */
#define FLUSH ((size_t)1 << 20)  /* bytes gathered before a write */
#define MISSING_SHOWN 10         /* missing shards named one by one */

typedef struct shard_in {
	const char *dir;
	char *json, *csv;            /* DIR/shard.json, DIR/manifest.csv */
	ev_shard_info info;
	ev_mapped bytes;             /* manifest.csv */
	ev_table *t;                 /* its records, a chunk at a time */
	size_t at;                   /* the next record of the chunk */
	size_t head;                 /* the header's bytes, with its line end */
} shard_in;

/* DIR's shard.json, read and checked on its own. 0, or -1 (in d). */
static int read_info(shard_in *s, const char *dir, ev_diags *d)
{
	s->dir = dir;
	s->json = ev_path_join(dir, "shard.json");
	s->csv = ev_path_join(dir, "manifest.csv");
	if (!s->json || !s->csv) {
		ev_diag_add(d, EV_ERROR, dir, 0, 0, NULL, "out of memory");
		return -1;
	}
	if (!ev_is_dir(dir)) {
		ev_diag_add(d, EV_ERROR, dir, 0, 0, NULL, "no such folder");
		return -1;
	}
	if (!ev_is_file(s->json) || !ev_is_file(s->csv)) {
		ev_diag_add(d, EV_ERROR, dir, 0, 0, NULL, "not the output folder of a "
		            "sharded batch: it has no %s (envoi batch --shard K/N writes "
		            "manifest.csv and shard.json)",
		            ev_is_file(s->json) ? "manifest.csv" : "shard.json");
		return -1;
	}
	char *text;
	size_t len;
	if (ev_read_file(s->json, SHARD_JSON_LIMIT, &text, &len, d) < 0)
		return -1;
	int rc = ev_shard_read(text, len, s->json, &s->info, d);
	free(text);
	return rc;
}

/* The shards against the first and each other: one batch, each shard
 * once, none missing. Fills by_k (ref's n entries). 0, or -1 (in d). */
static int check_set(shard_in *sh, size_t n, shard_in **by_k, ev_diags *d)
{
	const ev_shard_info *ref = &sh[0].info;
	size_t errors = d->errors;
	for (size_t i = 0; i < n; i++) {
		const ev_shard_info *in = &sh[i].info;
		const char *other = in->n != ref->n ? "another number of shards"
		                  : in->rows != ref->rows ||
		                    strcmp(in->list_sha256, ref->list_sha256) ? "another list"
		                  : strcmp(in->letter_sha256, ref->letter_sha256) ? "another letter"
		                  : NULL;
		if (other) {
			ev_diag_add(d, EV_ERROR, sh[i].json, 0, 0, NULL, "shard %zu/%zu is of "
			            "%s than shard %zu/%zu in %s; every shard must come from "
			            "the same letter and list, cut into the same number of "
			            "shards", in->k, in->n, other, ref->k, ref->n, sh[0].dir);
			continue;
		}
		size_t want = ev_shard_rows(in->k, in->n, in->rows);
		if (in->manifest_rows != want)
			ev_diag_add(d, EV_ERROR, sh[i].json, 0, 0, NULL, "says its manifest "
			            "has %zu rows, but shard %zu/%zu of a list of %zu rows "
			            "has %zu", in->manifest_rows, in->k, in->n, in->rows, want);
		if (by_k[in->k])
			ev_diag_add(d, EV_ERROR, sh[i].json, 0, 0, NULL, "shard %zu/%zu "
			            "is given twice: here and in %s; give each shard once",
			            in->k, in->n, by_k[in->k]->dir);
		else
			by_k[in->k] = &sh[i];
	}
	if (d->errors > errors)
		return -1;
	size_t missing = 0;
	for (size_t k = 0; k < ref->n; k++) {
		if (by_k[k])
			continue;
		if (missing++ < MISSING_SHOWN)
			ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "shard %zu/%zu is missing: "
			            "none of the %zu %s given holds it", k, ref->n, n,
			            ev_plural(n, "folder", "folders"));
	}
	if (missing > MISSING_SHOWN)
		ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "and %zu more shards of %zu are "
		            "missing", missing - MISSING_SHOWN, ref->n);
	return missing ? -1 : 0;
}

/* The shard's manifest opened, its first records read, and its header
 * checked against the first shard's, byte for byte. 0, or -1 (in d). */
static int open_manifest(shard_in *s, const shard_in *first, ev_diags *d)
{
	if (ev_map_file(s->csv, MANIFEST_LIMIT, &s->bytes, d) < 0)
		return -1;
	ev_csv_options opt = {.delimiter = ','};
	s->t = ev_csv_open(s->bytes.data, s->bytes.len, s->csv, &opt, d);
	long n = s->t ? ev_csv_next(s->t, CHUNK, d) : -1;
	if (n < 0)
		return -1;
	s->head = n ? s->t->rows[0].offset : s->t->source_len;
	if (ev_table_column(s->t, "seq") != 0) {
		ev_diag_add(d, EV_ERROR, s->csv, s->t->header_line, 1, NULL, "not an envoi "
		            "manifest: its first column is not seq");
		return -1;
	}
	if (s != first && (s->head != first->head ||
	                   memcmp(s->t->source, first->t->source, s->head))) {
		ev_diag_add(d, EV_ERROR, s->csv, s->t->header_line, 1, NULL, "its header is "
		            "not that of %s: the shards were made by different versions "
		            "of envoi", first->csv);
		return -1;
	}
	return 0;
}

/* The shard's next record: its seq, its line, and where its bytes are in
 * the table's source ([*start, *end), line end included: the next record's
 * offset, or the end of the file). 1, 0 at the end, or -1 (in d). */
static int next_record(shard_in *s, size_t *seq, long *line, size_t *start,
                       size_t *end, ev_diags *d)
{
	ev_table *t = s->t;
	if (s->at == t->nrows)
		return 0;
	const ev_record *rec = &t->rows[s->at++];
	if (rec->error)
		return -1;   /* the reader said where and why */
	const char *v = rec->fields[0];
	char *stop = NULL;
	unsigned long long x = strtoull(v, &stop, 10);
	if (!*v || *v < '0' || *v > '9' || *stop || x == 0 || x > EV_CSV_MAX_ROWS) {
		ev_diag_add(d, EV_ERROR, s->csv, rec->line, 1, "seq", "'%s' is not a row "
		            "number", v);
		return -1;
	}
	*seq = (size_t)x;
	*line = rec->line;
	*start = rec->offset;
	if (s->at < t->nrows) {
		*end = t->rows[s->at].offset;
		return 1;
	}
	/* The record ends where the next chunk's first starts: read it now
	 * (the pages before this record are no longer needed). */
	ev_map_release(&s->bytes, (size_t)(t->source - s->bytes.data) + *start);
	long n = ev_csv_next(t, CHUNK, d);
	if (n < 0)
		return -1;
	s->at = 0;
	*end = n ? t->rows[0].offset : t->source_len;
	return 1;
}

/* Every record in the list's order into out, each checked to be the row
 * its shard must hold next; then each shard checked to be at its end.
 * 0, or -1 (in d). */
static int merge_rows(shard_in **by_k, size_t n, size_t total, ev_atomic *out,
                      ev_diags *d)
{
	ev_buf buf = {0};
	const shard_in *first = by_k[0];
	int rc = ev_buf_append(&buf, first->t->source, first->head);
	size_t seq, start, end;
	long line;
	for (size_t want = 1; rc == 0 && want <= total; want++) {
		shard_in *s = by_k[want % n];
		const ev_shard_info *in = &s->info;
		int k = next_record(s, &seq, &line, &start, &end, d);
		if (k == 0)
			ev_diag_add(d, EV_ERROR, s->csv, 0, 0, NULL, "ends before row %zu: "
			            "shard %zu/%zu of a list of %zu rows has %zu", want, in->k,
			            in->n, in->rows, in->manifest_rows);
		else if (k == 1 && seq != want)
			ev_diag_add(d, EV_ERROR, s->csv, line, 1, "seq", "row %zu where row %zu "
			            "was expected: shard %zu/%zu holds the rows whose number "
			            "leaves %zu when divided by %zu, once each, in the list's "
			            "order%s", seq, want, in->k, in->n, in->k, in->n,
			            ev_shard_has(in->k, in->n, seq) ? "" : " (this row is another "
			            "shard's)");
		if (k != 1 || seq != want || ev_buf_append(&buf, s->t->source + start,
		                                           end - start) < 0)
			rc = -1;
		if (rc == 0 && buf.len >= FLUSH) {
			rc = ev_atomic_write(out, buf.data, buf.len, d);
			ev_buf_reset(&buf);
		}
	}
	for (size_t k = 0; rc == 0 && k < n; k++) {
		const ev_shard_info *in = &by_k[k]->info;
		int more = next_record(by_k[k], &seq, &line, &start, &end, d);
		if (more == 1)
			ev_diag_add(d, EV_ERROR, by_k[k]->csv, line, 1, "seq", "row %zu after "
			            "the last row of shard %zu/%zu (the list has %zu rows)", seq,
			            in->k, in->n, in->rows);
		if (more != 0)
			rc = -1;
	}
	if (rc == 0 && buf.len)
		rc = ev_atomic_write(out, buf.data, buf.len, d);
	if (buf.failed)
		ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "out of memory");
	ev_buf_free(&buf);
	return rc;
}

int ev_merge_manifests(const ev_merge_job *job, FILE *err)
{
	ev_diags d = {0};
	size_t n = job->ndirs;
	shard_in *sh = calloc(n, sizeof *sh);
	shard_in **by_k = NULL;
	ev_atomic out = {.fd = -1};
	int rc = sh ? 0 : -1;
	/* every folder's shard.json, so all that is wrong is said at once */
	for (size_t i = 0; sh && i < n; i++)
		if (read_info(&sh[i], job->dirs[i], &d) < 0)
			rc = -1;
	if (rc == 0 && !(by_k = calloc(sh[0].info.n, sizeof *by_k)))
		rc = -1;
	if (rc == 0)
		rc = check_set(sh, n, by_k, &d);
	for (size_t k = 0; rc == 0 && k < n; k++)
		rc = open_manifest(by_k[k], by_k[0], &d);
	if (rc == 0)
		rc = ev_atomic_open(&out, job->output, &d);
	if (rc == 0)
		rc = merge_rows(by_k, n, sh[0].info.rows, &out, &d);
	if (rc == 0 && d.errors)
		rc = -1;   /* a broken record the reader reported ahead */
	if (rc == 0)
		rc = ev_atomic_commit(&out, &d);
	else
		ev_atomic_abort(&out);
	if (rc < 0 && !d.errors)
		ev_diag_add(&d, EV_ERROR, NULL, 0, 0, NULL, "out of memory");
	for (size_t i = 0; i < d.n; i++)
		if (d.items[i].severity != EV_NOTE)
			ev_diag_print(err, &d.items[i]);
	if (rc < 0)
		fprintf(err, "envoi: nothing was written\n");
	else if (!job->quiet)
		fprintf(err, "envoi: %s written: the manifest of the whole list, %zu %s "
		        "from %zu %s\n", job->output, sh[0].info.rows,
		        ev_plural(sh[0].info.rows, "row", "rows"), n,
		        ev_plural(n, "shard", "shards"));
	for (size_t i = 0; sh && i < n; i++) {
		ev_table_free(sh[i].t);
		ev_unmap_file(&sh[i].bytes);
		free(sh[i].json);
		free(sh[i].csv);
	}
	free(sh);
	free(by_k);
	ev_diags_free(&d);
	return rc < 0 ? EV_EXIT_UNUSABLE : EV_EXIT_OK;
}
