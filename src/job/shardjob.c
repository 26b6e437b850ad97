/* shardjob.c - the batch's side of --shard K/N (shard.h): which rows this
 * shard writes, their counts from the first pass's verdicts, the ledger
 * refused, and shard.json made in the staging folder for envoi
 * merge-manifests. Edge code. */
#include "job.h"

#include <stdlib.h>

#include "shard.h"
#include "text.h"

bool job_in_shard(const ev_job *job, size_t seq)
{
	return job->shard_n == 0 || ev_shard_has(job->shard_k, job->shard_n, seq);
}

/* Whether row seq is rejected, by its verdict. */
static bool rejected_row(const ev_recipients *rs, size_t seq)
{
	const ev_verdict *v = &rs->verdicts[seq - 1];
	return v->note && rs->notes[v->note - 1].reason;
}

void job_shard_counts(const inputs *in, const ev_job *job, size_t *rows,
                      size_t *rejected)
{
	const ev_recipients *rs = in->rs;
	if (!job->shard_n) {
		*rows = rs->total;
		*rejected = rs->rejected;
		return;
	}
	size_t k = job->shard_k, n = job->shard_n;
	*rows = ev_shard_rows(k, n, rs->total);
	*rejected = 0;
	for (size_t seq = k ? k : n; seq <= rs->total; seq += n)
		*rejected += rejected_row(rs, seq);
}

int job_shard_refuse_ledger(const inputs *in, const ev_job *job, ev_diags *d)
{
	if (!job->shard_n || !(job->ledger || in->t->ledger))
		return 0;
	/* Each shard would open the one SQLite file from its own machine, and
	 * each record a run of a part of the list: not what was posted. */
	ev_diag_add(d, EV_ERROR, job->ledger ? NULL : job->letter, 0, 0, NULL,
	            "--shard cannot record in a ledger (%s %s): the ledger is one "
	            "file for the whole campaign; run the shards without it (give "
	            "the letter no ledger: setting), or record the campaign in one "
	            "unsharded batch", job->ledger ? "--ledger" : "ledger:",
	            job->ledger ? job->ledger : in->t->ledger);
	return -1;
}

int job_write_shard(const inputs *in, const ev_job *job, const char *stage,
                    ev_diags *d)
{
	if (!job->shard_n)
		return 0;
	ev_shard_info info = {.k = job->shard_k, .n = job->shard_n, .rows = in->rs->total};
	size_t rejected;
	job_shard_counts(in, job, &info.manifest_rows, &rejected);
	memcpy(info.list_sha256, in->list_sha256, sizeof info.list_sha256);
	job_sha256_hex(in->letter_src, in->letter_len, info.letter_sha256);
	ev_buf json = {0};
	char *path = ev_path_join(stage, "shard.json");
	int rc = path && ev_shard_json(&json, &info) == 0 ? 0 : -1;
	if (rc == 0)
		rc = ev_write_new(path, json.data, json.len, d);
	free(path);
	ev_buf_free(&json);
	return rc;
}

void job_shard_summary(const inputs *in, const ev_job *job, FILE *err)
{
	if (!job->shard_n)
		return;
	size_t k = job->shard_k, n = job->shard_n, total = in->rs->total;
	size_t rows = ev_shard_rows(k, n, total);
	if (rows == 0)
		fprintf(err, "envoi: shard %zu/%zu has no rows: the list has %zu %s; "
		        "manifest.csv holds its header alone, and shard.json says so\n",
		        k, n, total, ev_plural(total, "row", "rows"));
	else if (!job->quiet)
		fprintf(err, "envoi: shard %zu/%zu: the %zu %s whose number leaves %zu "
		        "when divided by %zu; all %zu of the list read, checked and laid "
		        "out; shard.json written (join the shards' manifests with 'envoi "
		        "merge-manifests')\n", k, n, rows, ev_plural(rows, "row", "rows"), k,
		        n, total);
}
