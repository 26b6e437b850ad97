/* test-fsutil.c - the file helpers a batch writes its folder with
 * (src/job/fsutil.c), on real files in a temporary folder: a new file
 * made once and refused the second time, paths joined into a buffer (and
 * refused when they do not fit), and the flusher: it starts on a folder,
 * is asked again and again while files are written, and stops; it does
 * not start on a folder that is not there, and NULL is a no-op. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "fsutil.h"

static int checks, failed;
#define CHECK(x) (checks++, (x) ? (void)0 \
                                : (void)(failed++, printf("FAIL line %d: %s\n", __LINE__, #x)))

static void joins(void)
{
	char out[16];
	CHECK(ev_path_join_into(out, sizeof out, "a/b", "c.pdf") == 0 && !strcmp(out, "a/b/c.pdf"));
	CHECK(ev_path_join_into(out, sizeof out, "a/b/", "c.pdf") == 0 && !strcmp(out, "a/b/c.pdf"));
	CHECK(ev_path_join_into(out, sizeof out, "", "c.pdf") == 0 && !strcmp(out, "c.pdf"));
	/* 15 bytes and the NUL fit; one more does not */
	CHECK(ev_path_join_into(out, sizeof out, "abcdefg", "ijklmno") == 0 &&
	      !strcmp(out, "abcdefg/ijklmno"));
	CHECK(ev_path_join_into(out, sizeof out, "abcdefg", "ijklmnop") < 0);
	char *p = ev_path_join("abcdefg", "ijklmnop");
	CHECK(p && !strcmp(p, "abcdefg/ijklmnop"));
	free(p);
}

static void files_and_flusher(const char *dir)
{
	ev_diags d = {0};
	ev_flusher *f = ev_flusher_start(dir);
	CHECK(f != NULL);
	char path[256];
	for (int i = 0; i < 50; i++) {
		snprintf(path, sizeof path, "%s/%04d.pdf", dir, i);
		CHECK(ev_write_new(path, "%PDF-1.5\n", 9, &d) == 0);
		ev_flusher_kick(f);
	}
	ev_flusher_stop(f);
	CHECK(d.errors == 0);
	struct stat st;
	CHECK(stat(path, &st) == 0 && st.st_size == 9);
	/* a file already there is not written over */
	CHECK(ev_write_new(path, "x", 1, &d) < 0 && d.errors == 1);
	CHECK(stat(path, &st) == 0 && st.st_size == 9);
	CHECK(ev_sync_folder(dir, &d) == 0);
	ev_diags_free(&d);
	for (int i = 0; i < 50; i++) {
		snprintf(path, sizeof path, "%s/%04d.pdf", dir, i);
		unlink(path);
	}

	/* stopped at once, asked for nothing */
	ev_flusher_stop(ev_flusher_start(dir));
	/* no folder: no flusher, and kick and stop take NULL */
	snprintf(path, sizeof path, "%s/missing", dir);
	f = ev_flusher_start(path);
	CHECK(f == NULL);
	ev_flusher_kick(f);
	ev_flusher_stop(f);
}

int main(void)
{
	char dir[] = "/tmp/envoi-test-fsutil-XXXXXX";
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 2;
	}
	joins();
	files_and_flusher(dir);
	rmdir(dir);
	printf("fsutil: %d checks, %d failed\n", checks, failed);
	return failed ? 1 : 0;
}
