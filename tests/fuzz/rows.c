/* rows.c - what the whole-batch fuzz targets share (see rows.h). */
#define _POSIX_C_SOURCE 200809L

#include "rows.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "fsutil.h"
#include "table.h"
#include "text.h"

void fuzz_on_row(void *ctx, const ev_recipient *r)
{
	fuzz_verdicts *vs = ctx;
	if (vs->n == vs->cap) {
		vs->cap = vs->cap ? vs->cap * 2 : 64;
		vs->v = realloc(vs->v, vs->cap * sizeof *vs->v);
		FUZZ_CHECK(vs->v, "out of memory");
	}
	vs->v[vs->n++] = (fuzz_verdict){r->seq, r->line, r->reason ? strdup(r->reason) : NULL};
}

void fuzz_verdicts_free(fuzz_verdicts *vs)
{
	for (size_t i = 0; i < vs->n; i++)
		free(vs->v[i].reason);
	free(vs->v);
	*vs = (fuzz_verdicts){0};
}

size_t fuzz_manifest_rows(const char *path, size_t *ok)
{
	char *src;
	size_t len;
	ev_diags d = {0};
	FUZZ_CHECK(ev_read_file(path, (size_t)1 << 30, &src, &len, &d) == 0,
	           "cannot read %s", path);
	size_t bad = ev_utf8_invalid_at(src, len);
	FUZZ_CHECK(bad == (size_t)-1, "the manifest is not UTF-8 at byte %zu", bad);
	ev_table *t = ev_csv_read(src, len, path, NULL, &d);
	FUZZ_CHECK(t, "the manifest is not CSV");
	long status = ev_table_column(t, "status");
	FUZZ_CHECK(status >= 0, "the manifest has no status column");
	size_t n = t->nrows;
	*ok = 0;
	for (size_t i = 0; i < n; i++) {
		FUZZ_CHECK(!t->rows[i].error, "manifest row %zu is broken: %s", i + 1,
		           t->rows[i].error);
		*ok += !strcmp(t->rows[i].fields[status], "ok");
	}
	ev_table_free(t);
	ev_diags_free(&d);
	free(src);
	return n;
}

static char dir[64];

static void remove_dir(void)
{
	ev_remove_tree(dir);
}

const char *fuzz_dir(const char *name)
{
	if (!dir[0]) {
		const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
		snprintf(dir, sizeof dir, "%s/envoi-fuzz-%s-XXXXXX", base, name);
		FUZZ_CHECK(mkdtemp(dir), "cannot make a folder in %s", base);
		atexit(remove_dir);
	}
	return dir;
}

size_t fuzz_count_files(const char *path)
{
	DIR *d = opendir(path);
	size_t n = 0;
	for (struct dirent *e; d && (e = readdir(d));)
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}
