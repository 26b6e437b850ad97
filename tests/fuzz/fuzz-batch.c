/* fuzz-batch.c - the whole batch on arbitrary list bytes: `envoi check`
 * with the letter, then `envoi batch` (first pass, font subsets, second
 * pass, every file written) into a folder in memory (/dev/shm when there
 * is one). Aborts when a run crashes, when a row is not accounted for
 * (each row once, in order, a letter or a rejection with its reason, in
 * the manifest too), or when check's verdict on a row is not the batch's.
 * The letter is tests/fuzz/batch-letter.md; fonts from ENVOI_FONTDIR. */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
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
#include "table.h"

#ifndef EV_SOURCE_ROOT
#define EV_SOURCE_ROOT "."
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct verdict {
	size_t seq;
	long line;
	char *reason;   /* NULL: a letter */
} verdict;

typedef struct verdicts {
	verdict *v;
	size_t n, cap;
} verdicts;

static void on_row(void *ctx, const ev_recipient *r)
{
	verdicts *vs = ctx;
	if (vs->n == vs->cap) {
		vs->cap = vs->cap ? vs->cap * 2 : 64;
		vs->v = realloc(vs->v, vs->cap * sizeof *vs->v);
		if (!vs->v)
			abort();
	}
	vs->v[vs->n++] = (verdict){r->seq, r->line, r->reason ? strdup(r->reason) : NULL};
}

static void verdicts_free(verdicts *vs)
{
	for (size_t i = 0; i < vs->n; i++)
		free(vs->v[i].reason);
	free(vs->v);
	*vs = (verdicts){0};
}

static char dir[64];

static void cleanup(void)
{
	if (dir[0])
		ev_remove_tree(dir);
}

#define CHECK(cond, ...) do { if (!(cond)) { \
		fprintf(stderr, "fuzz-batch: " __VA_ARGS__); fputc('\n', stderr); abort(); } \
	} while (0)

/* The rows of the batch's manifest, and how many say ok. */
static size_t manifest_rows(const char *path, size_t *ok)
{
	char *src;
	size_t len;
	ev_diags d = {0};
	CHECK(ev_read_file(path, (size_t)1 << 30, &src, &len, &d) == 0,
	      "cannot read %s", path);
	ev_table *t = ev_csv_read(src, len, path, NULL, &d);
	CHECK(t, "the manifest is not CSV");
	long status = ev_table_column(t, "status");
	CHECK(status >= 0, "the manifest has no status column");
	size_t n = t->nrows;
	*ok = 0;
	for (size_t i = 0; i < n; i++) {
		CHECK(!t->rows[i].error, "manifest row %zu is broken", i + 1);
		*ok += !strcmp(t->rows[i].fields[status], "ok");
	}
	ev_table_free(t);
	ev_diags_free(&d);
	free(src);
	return n;
}

static size_t count_files(const char *path)
{
	DIR *d = opendir(path);
	size_t n = 0;
	for (struct dirent *e; d && (e = readdir(d));)
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char list[96], out[96], letter[1024];
	static FILE *null;
	if (!dir[0]) {
		const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
		snprintf(dir, sizeof dir, "%s/envoi-fuzz-batch-XXXXXX", base);
		CHECK(mkdtemp(dir), "cannot make a folder in %s", base);
		atexit(cleanup);
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

	verdicts c = {0}, b = {0};
	ev_job job = {.kind = EV_JOB_CHECK, .letter = letter, .recipients = list,
	              .threads = 1, .report = null, .on_row = on_row, .on_row_ctx = &c};
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
		size_t ok, rows = manifest_rows(path, &ok);
		CHECK(rows == b.n, "manifest has %zu rows for %zu", rows, b.n);
		CHECK(ok == b.n - rejected, "manifest has %zu ok of %zu", ok, b.n - rejected);
		snprintf(path, sizeof path, "%s/letters", out);
		CHECK(count_files(path) == ok, "letters/ does not hold %zu letters", ok);
	}
	ev_remove_tree(out);
	verdicts_free(&c);
	verdicts_free(&b);
	return 0;
}
