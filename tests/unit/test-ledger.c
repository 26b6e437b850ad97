/* test-ledger.c - the ledger's API on real files, read back with the sqlite3
 * command-line tool (never with our own code): runs and pieces as recorded,
 * the write lock refusing a second batch (in this process and in another,
 * which is named), a batch closed without commit or killed (SIGKILL)
 * between its pieces and its commit leaving nothing, and files that are not
 * ledgers refused and left as they were.
 * Usage: test-ledger SQLITE3            the tests
 *        test-ledger --make FILE        the two-run ledger tests/e2e/ledger.sh
 *                                       works on */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "ledger.h"

static const char *sqlite3_cli;
static int fails;

#define EXPECT(cond, ...) do { \
	if (!(cond)) { \
		fails++; \
		fprintf(stderr, "FAIL line %d: ", __LINE__); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
	} \
} while (0)

/* ---- the fixture ---------------------------------------------------- */

static const ev_ledger_piece run1[] = {
	{1, "j1", "k1", "Кавалёва Алена", "Kavaliova Alena", "letters/0001-kavaliova.pdf",
	 "a1", "Standardbrief", "standard", "EUR", 19950000, 95},
	{2, "j2", "k2", "Іваноў Пётр", "Ivanoŭ Piotr", "letters/0002-ivanou.pdf",
	 "a2", "Standardbrief", "standard", "EUR", 19950000, 95},
	{3, "j3", "k3", "Smith, \"Jo\"", "Smith, \"Jo\"", "letters/0003-smith.pdf",
	 "a3", "Einschreiben", "registered", "EUR", 48000000, 330},
};
static const ev_ledger_piece run2[] = {
	{1, "j1", "k1", "Кавалёва Алена", "Kavaliova Alena", "letters/0001-kavaliova.pdf",
	 "a1", "Standardbrief", "standard", "EUR", 19950000, 95},
	{2, "j2", "k2", "Іваноў Пётр", "Ivanoŭ Piotr", "letters/0002-ivanou.pdf",
	 "b2", "Großbrief", "standard", "EUR", 60000000, 1005},
	{3, "j4", "k4", "Lee", "Lee", "letters/0003-lee.pdf",
	 "b4", "Einschreiben", "registered", "EUR", 20000000, 270},
	{4, "j5", "k5", "Unpriced", "Unpriced", "letters/0004-unpriced.pdf",
	 "b5", "", "", "", 0, 0},
	{5, "j6", "k6", "Brown", "Brown", "letters/0005-brown.pdf",
	 "b6", "Letter", "standard", "GBP", 5000000, 5},
};

static void print_diags(const ev_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		ev_diag_print(stderr, &d->items[i]);
}

/* One committed run. 0 or -1 (printed). */
static int record_run(const char *path, const char *date, const char *outdir,
                      const ev_ledger_piece *p, size_t n)
{
	ev_diags d = {0};
	ev_ledger_run r = {date, "letters/judges-appeal.md", "0f0f", "recipients/judges.csv",
	                   "1e1e", outdir, "{\"service\":\"standard\"}"};
	long number = 0;
	ev_ledger *l = ev_ledger_open(path, &d);
	int rc = l && ev_ledger_begin_run(l, &r, &number, &d) == 0 ? 0 : -1;
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = ev_ledger_add_piece(l, &p[i], &d);
	if (rc == 0)
		rc = ev_ledger_commit(l, &d);
	ev_ledger_close(l);
	print_diags(&d);
	ev_diags_free(&d);
	return rc;
}

static int make_fixture(const char *path)
{
	return record_run(path, "2026-12-07", "out1", run1, sizeof run1 / sizeof *run1) == 0
	    && record_run(path, "2026-12-14", "out2", run2, sizeof run2 / sizeof *run2) == 0
	       ? 0 : -1;
}

/* ---- reading back with sqlite3 ----------------------------------------- */

/* Run the sqlite3 tool on db with sql; its standard output (and error) in
 * out, without the last newline. Returns its exit status. */
static int sqlite3_run(const char *db, const char *sql, ev_buf *out)
{
	int fd[2];
	ev_buf_reset(out);
	if (pipe(fd) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fd[1], 1);
		dup2(fd[1], 2);
		close(fd[0]);
		close(fd[1]);
		execl(sqlite3_cli, sqlite3_cli, "-batch", "-bail", "-list", "-noheader",
		      "-nullvalue", "NULL", db, sql, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	char buf[4096];
	ssize_t k;
	while ((k = read(fd[0], buf, sizeof buf)) > 0)
		ev_buf_append(out, buf, (size_t)k);
	close(fd[0]);
	int st = 0;
	waitpid(pid, &st, 0);
	if (out->len && out->data[out->len - 1] == '\n')
		out->data[--out->len] = '\0';
	if (!out->data)
		ev_buf_puts(out, "");
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#define EXPECT_SQL(db, sql, want) expect_sql(__LINE__, db, sql, want)

static void expect_sql(int line, const char *db, const char *sql, const char *want)
{
	ev_buf got = {0};
	int rc = sqlite3_run(db, sql, &got);
	if (rc != 0 || strcmp(got.data, want)) {
		fails++;
		fprintf(stderr, "FAIL line %d: sqlite3 %s '%s' (exit %d)\n--- expected\n%s\n"
		        "--- got\n%s\n", line, db, sql, rc, want, got.data);
	}
	ev_buf_free(&got);
}

/* The first diagnostic as printed, without "envoi: " (or ""). */
static char *first_message(const ev_diags *d)
{
	char *s = d->n ? ev_diag_format(&d->items[0]) : NULL;
	return s ? s : strdup("");
}

static char *join(const char *dir, const char *name)
{
	ev_buf b = {0};
	ev_buf_printf(&b, "%s/%s", dir, name);
	return ev_buf_steal(&b, NULL);
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* ---- the tests ------------------------------------------------------- */

static void test_recorded(const char *db)
{
	EXPECT(make_fixture(db) == 0, "making the fixture");
	EXPECT_SQL(db, "PRAGMA application_id; PRAGMA user_version; PRAGMA journal_mode;",
	           "1701738095\n1\ndelete");
	EXPECT_SQL(db, "SELECT run, posting_date, letter, letter_sha256, list, list_sha256,"
	           " outdir, settings FROM runs ORDER BY run",
	           "1|2026-12-07|letters/judges-appeal.md|0f0f|recipients/judges.csv|1e1e|out1|{\"service\":\"standard\"}\n"
	           "2|2026-12-14|letters/judges-appeal.md|0f0f|recipients/judges.csv|1e1e|out2|{\"service\":\"standard\"}");
	/* The clock's time, UTC, to the second. */
	EXPECT_SQL(db, "SELECT run, made_at GLOB '20[2-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:"
	           "[0-5][0-9]:[0-5][0-9]Z', abs(strftime('%s', made_at) - strftime('%s', 'now'))"
	           " < 600 FROM runs", "1|1|1\n2|1|1");
	EXPECT_SQL(db, "SELECT run, seq, id, recipient_key, name, name_latin, file, sha256,"
	           " band, service, weight_ug, postage, typeof(postage), currency, status,"
	           " tracking, returned_at FROM pieces ORDER BY run, seq",
	           "1|1|j1|k1|Кавалёва Алена|Kavaliova Alena|letters/0001-kavaliova.pdf|a1|Standardbrief|standard|19950000|95|integer|EUR|sent|NULL|NULL\n"
	           "1|2|j2|k2|Іваноў Пётр|Ivanoŭ Piotr|letters/0002-ivanou.pdf|a2|Standardbrief|standard|19950000|95|integer|EUR|sent|NULL|NULL\n"
	           "1|3|j3|k3|Smith, \"Jo\"|Smith, \"Jo\"|letters/0003-smith.pdf|a3|Einschreiben|registered|48000000|330|integer|EUR|sent|NULL|NULL\n"
	           "2|1|j1|k1|Кавалёва Алена|Kavaliova Alena|letters/0001-kavaliova.pdf|a1|Standardbrief|standard|19950000|95|integer|EUR|sent|NULL|NULL\n"
	           "2|2|j2|k2|Іваноў Пётр|Ivanoŭ Piotr|letters/0002-ivanou.pdf|b2|Großbrief|standard|60000000|1005|integer|EUR|sent|NULL|NULL\n"
	           "2|3|j4|k4|Lee|Lee|letters/0003-lee.pdf|b4|Einschreiben|registered|20000000|270|integer|EUR|sent|NULL|NULL\n"
	           "2|4|j5|k5|Unpriced|Unpriced|letters/0004-unpriced.pdf|b5|NULL|NULL|NULL|NULL|null|NULL|sent|NULL|NULL\n"
	           "2|5|j6|k6|Brown|Brown|letters/0005-brown.pdf|b6|Letter|standard|5000000|5|integer|GBP|sent|NULL|NULL");
	EXPECT_SQL(db, "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
	           " ORDER BY name", "pieces_id\npieces_key\npieces_sha256\npieces_tracking");
	EXPECT_SQL(db, "PRAGMA integrity_check; PRAGMA foreign_key_check;", "ok");
	/* One self-contained file after the commit. */
	char *journal = malloc(strlen(db) + 9);
	sprintf(journal, "%s-journal", db);
	EXPECT(!exists(journal), "%s is left after the commit", journal);
	free(journal);
}

/* A child that tries to open the ledger once told to, and reports the
 * message it got on `report`. */
static pid_t second_batch(const char *db, int *go, int *report)
{
	int g[2], r[2];
	if (pipe(g) < 0 || pipe(r) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		close(g[1]);
		close(r[0]);
		char c;
		if (read(g[0], &c, 1) != 1)
			_exit(3);
		ev_diags d = {0};
		ev_ledger *l = ev_ledger_open(db, &d);
		char *m = first_message(&d);
		ssize_t w = write(r[1], l ? "opened" : m, strlen(l ? "opened" : m));
		_exit(w < 0 ? 4 : 0);
	}
	close(g[0]);
	close(r[1]);
	*go = g[1];
	*report = r[0];
	return pid;
}

static void test_lock_and_find(const char *db)
{
	int go = -1, report = -1;
	pid_t child = second_batch(db, &go, &report);
	EXPECT(child > 0, "fork: %s", strerror(errno));
	ev_diags d = {0};
	ev_ledger *l = ev_ledger_open(db, &d);
	EXPECT(l, "opening the ledger");
	if (!l) {
		print_diags(&d);
		return;
	}

	/* Another batch in this process: refused at once. */
	ev_diags d2 = {0};
	ev_ledger *l2 = ev_ledger_open(db, &d2);
	char *m = first_message(&d2), want[512];
	snprintf(want, sizeof want, "%s: error: is being written by another envoi batch; "
	         "wait for it to finish", db);
	EXPECT(!l2 && !strcmp(m, want), "second open in one process:\n  %s\nexpected\n  %s", m, want);
	ev_ledger_close(l2);
	ev_diags_free(&d2);
	free(m);

	/* In another process: refused, naming this one. */
	char buf[512] = "";
	ssize_t k = write(go, "g", 1) == 1 ? read(report, buf, sizeof buf - 1) : -1;
	buf[k > 0 ? k : 0] = '\0';
	int st = 0;
	waitpid(child, &st, 0);
	snprintf(want, sizeof want, "%s: error: is being written by another envoi batch "
	         "(process %ld); wait for it to finish", db, (long)getpid());
	EXPECT(!strcmp(buf, want), "second open in another process:\n  %s\nexpected\n  %s", buf, want);
	close(go);
	close(report);

	/* What the ledger knows of a key: the latest run other than this one. */
	ev_ledger_run r = {"2026-12-21", "l.md", "", "l.csv", "", "out3", ""};
	long number = 0;
	EXPECT(ev_ledger_begin_run(l, &r, &number, &d) == 0 && number == 3, "run number %ld", number);
	ev_ledger_piece p = run2[0];
	EXPECT(ev_ledger_add_piece(l, &p, &d) == 0, "adding a piece");
	ev_ledger_hit hit = {0};
	int f = ev_ledger_find(l, "k1", &hit, &d);
	EXPECT(f == 1 && hit.run == 2 && !strcmp(hit.posting_date, "2026-12-14")
	       && !strcmp(hit.status, "sent") && !strcmp(hit.id, "j1"),
	       "find k1: %d run %ld", f, hit.run);
	f = ev_ledger_find(l, "k3", &hit, &d);
	EXPECT(f == 1 && hit.run == 1 && !strcmp(hit.posting_date, "2026-12-07")
	       && !strcmp(hit.id, "j3"), "find k3: %d run %ld", f, hit.run);
	EXPECT(ev_ledger_find(l, "k9", &hit, &d) == 0, "find k9");
	/* The same piece again in this run: a database error, named. */
	EXPECT(ev_ledger_add_piece(l, &p, &d) == -1 && d.n == 1
	       && strstr(d.items[0].message, "cannot record piece 1: UNIQUE constraint failed"),
	       "a repeated seq: %s", d.n ? d.items[0].message : "no error");
	ev_diags_clear(&d);

	/* Tracking numbers, set by sqlite3: the latest piece's with one. */
	EXPECT(!ev_ledger_tracking(l, "a1"), "tracking before any");
	ev_ledger_close(l);   /* not committed */
	ev_diags_free(&d);
	EXPECT_SQL(db, "SELECT count(*) FROM runs; SELECT count(*) FROM pieces;", "2\n8");

	EXPECT_SQL(db, "UPDATE pieces SET tracking = 'RR111' WHERE run = 1 AND seq = 1", "");
	l = ev_ledger_open(db, &d);
	const char *t = l ? ev_ledger_tracking(l, "a1") : NULL;
	EXPECT(t && !strcmp(t, "RR111"), "tracking a1: %s", t ? t : "NULL");
	ev_ledger_close(l);
	EXPECT_SQL(db, "UPDATE pieces SET tracking = 'RR222' WHERE run = 2 AND seq = 1", "");
	l = ev_ledger_open(db, &d);
	t = l ? ev_ledger_tracking(l, "a1") : NULL;
	EXPECT(t && !strcmp(t, "RR222"), "tracking a1 after run 2's: %s", t ? t : "NULL");
	EXPECT(l && !ev_ledger_tracking(l, "b2"), "tracking b2");
	ev_ledger_close(l);
	EXPECT_SQL(db, "UPDATE pieces SET tracking = NULL", "");
	print_diags(&d);
	ev_diags_free(&d);
}

static long long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

/* A batch killed between its pieces and its commit: enough pieces that
 * SQLite has written some into the file itself, which must be undone. */
static void test_killed(const char *db)
{
	long long before = file_size(db);
	pid_t pid = fork();
	if (pid == 0) {
		ev_diags d = {0};
		ev_ledger *l = ev_ledger_open(db, &d);
		ev_ledger_run r = {"2026-12-28", "l.md", "", "l.csv", "", "out", ""};
		if (!l || ev_ledger_begin_run(l, &r, NULL, &d) < 0)
			_exit(1);
		char id[32], key[32], name[160];
		for (size_t i = 1; i <= 40000; i++) {
			snprintf(id, sizeof id, "x%zu", i);
			snprintf(key, sizeof key, "key-%zu", i);
			snprintf(name, sizeof name, "%0120zu", i);
			ev_ledger_piece p = {i, id, key, name, name, name, id, "", "", "", 1, 1};
			if (ev_ledger_add_piece(l, &p, &d) < 0)
				_exit(1);
		}
		kill(getpid(), SIGKILL);
		_exit(2);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	EXPECT(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "the child was not killed (status %d)", st);
	char *journal = malloc(strlen(db) + 9);
	sprintf(journal, "%s-journal", db);
	EXPECT(exists(journal), "no journal after the kill");
	EXPECT(file_size(db) > before, "the killed batch wrote nothing into the file "
	       "(%lld, %lld bytes): the test shows less than it should", before, file_size(db));
	/* sqlite3 rolls the journal back and finds the ledger as it was. */
	EXPECT_SQL(db, "SELECT count(*) FROM runs; SELECT count(*) FROM pieces;"
	           " PRAGMA integrity_check;", "2\n8\nok");
	EXPECT(!exists(journal), "journal left after sqlite3 read the ledger");
	free(journal);
	ev_diags d = {0};
	ev_ledger *l = ev_ledger_open(db, &d);
	EXPECT(l, "opening after the kill");
	ev_ledger_close(l);
	print_diags(&d);
	ev_diags_free(&d);
}

/* Open a file that is no ledger: refused with `why`, and left unchanged. */
static void expect_refused(const char *path, const char *why)
{
	ev_buf before = {0}, after = {0};
	FILE *f = fopen(path, "rb");
	char buf[4096];
	size_t k;
	while (f && (k = fread(buf, 1, sizeof buf, f)) > 0)
		ev_buf_append(&before, buf, k);
	if (f)
		fclose(f);
	ev_diags d = {0};
	ev_ledger *l = ev_ledger_open(path, &d);
	char *m = first_message(&d), want[512];
	snprintf(want, sizeof want, "%s: error: %s", path, why);
	EXPECT(!l && d.n == 1 && !strcmp(m, want), "%s:\n  %s\nexpected\n  %s", path, m, want);
	ev_ledger_close(l);
	f = fopen(path, "rb");
	while (f && (k = fread(buf, 1, sizeof buf, f)) > 0)
		ev_buf_append(&after, buf, k);
	if (f)
		fclose(f);
	EXPECT(before.len == after.len && (!before.len || !memcmp(before.data, after.data, before.len)),
	       "%s was changed", path);
	free(m);
	ev_diags_free(&d);
	ev_buf_free(&before);
	ev_buf_free(&after);
}

static void test_not_ledgers(const char *dir)
{
	char *other = join(dir, "other.db");
	EXPECT_SQL(other, "CREATE TABLE t (x); INSERT INTO t VALUES (1);", "");
	expect_refused(other, "is not an envoi ledger (it is another program's SQLite "
	               "database); name a new file or one an envoi batch made");
	EXPECT_SQL(other, "SELECT name FROM sqlite_master; SELECT x FROM t;"
	           " PRAGMA application_id;", "t\n1\n0");

	char *noise = join(dir, "noise.bin");
	FILE *f = fopen(noise, "wb");
	uint32_t x = 2463534242u;
	for (int i = 0; f && i < 5000; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		fputc((int)(x & 0xff), f);
	}
	if (f)
		fclose(f);
	static const char not_db[] = "is not an envoi ledger (not an SQLite database "
	                             "at all); name a new file or one an envoi batch made";
	expect_refused(noise, not_db);

	char *text = join(dir, "notes.txt");
	f = fopen(text, "w");
	if (f) {
		fputs("id,tracking\n", f);
		fclose(f);
	}
	expect_refused(text, not_db);

	expect_refused(dir, "cannot open the ledger: unable to open database file; "
	               "check the path, and that you may write the file and its folder");
	free(other);
	free(noise);
	free(text);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--make"))
		return make_fixture(argv[2]) == 0 ? 0 : 1;
	if (argc != 2) {
		fprintf(stderr, "usage: test-ledger SQLITE3 | test-ledger --make FILE\n");
		return 2;
	}
	sqlite3_cli = argv[1];
	char dir[] = "/tmp/envoi-ledger-XXXXXX";
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 2;
	}
	char *db = join(dir, "campaign.ledger");
	test_recorded(db);
	test_lock_and_find(db);
	test_killed(db);
	test_not_ledgers(dir);
	free(db);
	pid_t pid = fork();
	if (pid == 0) {
		execlp("rm", "rm", "-rf", dir, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, NULL, 0);
	printf("ledger: %s\n", fails ? "FAILED" : "all passed");
	return fails != 0;
}
