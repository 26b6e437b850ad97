/* fuzz-batch.c - the whole batch on arbitrary list bytes: `envoi check`
 * with the letter, then `envoi batch` (first pass, font subsets, second
 * pass, every file written) into a folder in memory (/dev/shm when there
 * is one). Aborts when a run crashes, when a row is not accounted for
 * (each row once, in order, a letter or a rejection with its reason, in
 * the manifest too), or when check's verdict on a row is not the batch's.
 * The letter is tests/fuzz/batch-letter.md; fonts from ENVOI_FONTDIR. */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "diag.h"
#include "fsutil.h"
#include "recipient.h"
#include "rows.h"

#ifndef EV_SOURCE_ROOT
#define EV_SOURCE_ROOT "."
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK FUZZ_CHECK

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char list[96], out[96], letter[1024];
	static FILE *null;
	if (!letter[0]) {
		const char *dir = fuzz_dir("batch");
		snprintf(list, sizeof list, "%s/list.csv", dir);
		snprintf(out, sizeof out, "%s/out", dir);
		const char *l = getenv("ENVOI_FUZZ_LETTER");
		snprintf(letter, sizeof letter, "%s", l ? l
		         : EV_SOURCE_ROOT "/tests/fuzz/batch-letter.md");
		null = fopen("/dev/null", "w");
		CHECK(null, "cannot open /dev/null");
	}
	FILE *f = fopen(list, "wb");
	CHECK(f && fwrite(data, 1, size, f) == size && fclose(f) == 0,
	      "cannot write %s", list);

	fuzz_verdicts c = {0}, b = {0};
	ev_job job = {.kind = EV_JOB_CHECK, .letter = letter, .recipients = list,
	              .threads = 1, .report = null, .on_row = fuzz_on_row, .on_row_ctx = &c};
	int cs = ev_job_run(&job, null);
	job.kind = EV_JOB_BATCH;
	job.outdir = out;
	job.quiet = true;
	job.threads = 2;
	job.on_row_ctx = &b;
	int bs = ev_job_run(&job, null);

	/* The same list is usable to both, or to neither. */
	CHECK((cs == EV_EXIT_UNUSABLE) == (bs == EV_EXIT_UNUSABLE),
	      "check exit %d, batch exit %d", cs, bs);
	if (bs != EV_EXIT_UNUSABLE) {
		size_t rejected = 0;
		CHECK(c.n == b.n, "check saw %zu rows, the batch %zu", c.n, b.n);
		for (size_t i = 0; i < b.n; i++) {
			CHECK(b.v[i].seq == i + 1 && c.v[i].seq == i + 1,
			      "row %zu out of order", i + 1);
			CHECK(b.v[i].line == c.v[i].line, "row %zu: line %ld vs %ld", i + 1,
			      c.v[i].line, b.v[i].line);
			CHECK(!b.v[i].reason == !c.v[i].reason &&
			      (!b.v[i].reason || !strcmp(b.v[i].reason, c.v[i].reason)),
			      "row %zu (line %ld): check says '%s', the batch '%s'", i + 1,
			      b.v[i].line, c.v[i].reason ? c.v[i].reason : "ok",
			      b.v[i].reason ? b.v[i].reason : "ok");
			rejected += b.v[i].reason != NULL;
		}
		CHECK((bs == EV_EXIT_REJECTED) == (rejected > 0), "batch exit %d with %zu "
		      "rejected", bs, rejected);
		CHECK(cs == bs, "check exit %d, batch exit %d", cs, bs);
		/* Every row in the manifest; a letter file for each ok row. */
		char path[128];
		snprintf(path, sizeof path, "%s/manifest.csv", out);
		size_t ok, rows = fuzz_manifest_rows(path, &ok);
		CHECK(rows == b.n, "manifest has %zu rows for %zu", rows, b.n);
		CHECK(ok == b.n - rejected, "manifest has %zu ok of %zu", ok, b.n - rejected);
		snprintf(path, sizeof path, "%s/letters", out);
		CHECK(fuzz_count_files(path) == ok, "letters/ does not hold %zu letters", ok);
	}
	ev_remove_tree(out);
	fuzz_verdicts_free(&c);
	fuzz_verdicts_free(&b);
	return 0;
}
