/* rows.h - what the whole-batch fuzz targets (fuzz-batch.c, fuzz-letter.c)
 * share: each row's verdict as the job reports it, and the manifest read
 * back. A broken expectation aborts, which libFuzzer reports. */
#ifndef FUZZ_ROWS_H
#define FUZZ_ROWS_H

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "recipient.h"

#define FUZZ_CHECK(cond, ...) do { if (!(cond)) { \
		fprintf(stderr, "%s: ", __FILE__); fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); abort(); } } while (0)

typedef struct fuzz_verdict {
	size_t seq;
	long line;
	char *reason;   /* NULL: a letter */
} fuzz_verdict;

typedef struct fuzz_verdicts {
	fuzz_verdict *v;
	size_t n, cap;
} fuzz_verdicts;

/* ev_job's on_row: appends the row's verdict to the fuzz_verdicts ctx. */
void fuzz_on_row(void *ctx, const ev_recipient *r);
void fuzz_verdicts_free(fuzz_verdicts *vs);

/* The rows of the manifest at path, and how many of them say ok: it must
 * be UTF-8, CSV with a status column, and every record whole. */
size_t fuzz_manifest_rows(const char *path, size_t *ok);

/* The target's working folder, made on the first call (in /dev/shm when
 * there is one: in memory), removed when the process ends; the same path
 * after. name: "batch", "letter". */
const char *fuzz_dir(const char *name);

/* The files in a folder (names not starting with '.'). */
size_t fuzz_count_files(const char *path);

#endif
