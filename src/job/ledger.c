/* ledger.c - the campaign ledger (see ledger.h): one SQLite file holding
 * every run and every piece, written by a batch in one transaction under
 * SQLite's own write lock, and the `envoi ledger` command that shows it and
 * records tracking numbers and returns.
 *
 * The file is SQLite's default rollback-journal database: between commits
 * it is one self-contained file (a batch killed mid-run leaves FILE-journal,
 * which the next opener rolls back). It says it is a ledger by
 * application_id 0x656e766f ("envo") and user_version 1:
 *
 *   runs    one row per batch run: run (its number), made_at (UTC,
 *           2026-12-05T23:52:44Z), posting_date, letter and list (paths as
 *           given, with the sha256 of their bytes), outdir, settings (JSON)
 *   pieces  one row per letter made, key (run, seq): id, recipient_key,
 *           name, name_latin, file, sha256 (of the letter file); band,
 *           service, currency and postage (integer minor units) NULL when not
 *           priced; weight_ug (NULL when not known); status 'sent' or
 *           'returned' (returned_at then set); tracking (unique when set)
 *
 * The exact text is `schema` below.
 */
#include "ledger.h"

#include <sqlite3.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "encoding.h"
#include "fsutil.h"
#include "postage.h"
#include "table.h"
#include "text.h"

#define LEDGER_APP_ID 0x656e766f   /* "envo" */
#define LEDGER_VERSION 1
#define STR_(x) #x
#define STR(x) STR_(x)

/* A commit needs every reader (`envoi ledger show`) out of the file for a
 * moment; readers are brief, so a commit waits this long rather than lose
 * a whole batch. A reader waits as long for a commit to finish. */
#define WAIT_MS 10000
/* SQLite's unix VFS marks a writer by a POSIX write lock on this byte (the
 * one after PENDING_BYTE), which /proc/locks shows with its process. */
#define RESERVED_BYTE 0x40000001LL
#define TRACKING_LIMIT ((size_t)64 << 20)

static const char schema[] =
	"CREATE TABLE runs (\n"
	"  run INTEGER PRIMARY KEY,\n"
	"  made_at TEXT NOT NULL,\n"
	"  posting_date TEXT,\n"
	"  letter TEXT, letter_sha256 TEXT,\n"
	"  list TEXT, list_sha256 TEXT,\n"
	"  outdir TEXT,\n"
	"  settings TEXT\n"
	");\n"
	"CREATE TABLE pieces (\n"
	"  run INTEGER NOT NULL REFERENCES runs(run),\n"
	"  seq INTEGER NOT NULL,\n"
	"  id TEXT NOT NULL,\n"
	"  recipient_key TEXT NOT NULL,\n"
	"  name TEXT, name_latin TEXT,\n"
	"  file TEXT,\n"
	"  sha256 TEXT,\n"
	"  band TEXT, service TEXT,\n"
	"  weight_ug INTEGER,\n"
	"  postage INTEGER,\n"
	"  currency TEXT,\n"
	"  status TEXT NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'returned')),\n"
	"  tracking TEXT,\n"
	"  returned_at TEXT,\n"
	"  PRIMARY KEY (run, seq)\n"
	");\n"
	"CREATE INDEX pieces_key ON pieces(recipient_key, run);\n"
	"CREATE INDEX pieces_sha256 ON pieces(sha256);\n"
	"CREATE INDEX pieces_id ON pieces(id, run);\n"
	"CREATE UNIQUE INDEX pieces_tracking ON pieces(tracking);\n"
	"PRAGMA application_id = " STR(LEDGER_APP_ID) ";\n"
	"PRAGMA user_version = " STR(LEDGER_VERSION) ";\n";

enum open_mode {
	OPEN_BATCH,   /* create when new; the write lock */
	OPEN_WRITE,   /* must exist; the write lock */
	OPEN_READ,    /* must exist; a reader (a batch may be writing) */
};

struct ev_ledger {
	sqlite3 *db;
	char *path;
	bool committed;
	bool empty;             /* OPEN_READ of a file with no tables yet */
	long run;               /* this batch's run; 0 before begin_run */
	sqlite3_stmt *add, *find, *track;   /* prepared once, reused */
	char *hit_date, *hit_status, *hit_id, *tracking;   /* returned strings */
};

/* ---- errors ---------------------------------------------------------- */

static void db_error(ev_ledger *l, ev_diags *d, const char *what, const char *todo)
{
	ev_diag_add(d, EV_ERROR, l->path, 0, 0, NULL, "%s: %s; %s", what,
	            sqlite3_errmsg(l->db), todo);
}

static void out_of_memory(const char *path, ev_diags *d)
{
	ev_diag_add(d, EV_ERROR, path, 0, 0, NULL,
	            "out of memory while using the ledger; nothing was recorded");
}

/* The process holding the ledger's write lock, from /proc/locks (Linux);
 * 0 when not known or when it is this process (another connection of
 * ours). Read there because opening the ledger file again and closing it
 * would drop every POSIX lock this process holds on it, SQLite's too. */
static long lock_holder(const char *path)
{
	struct stat st;
	FILE *f = stat(path, &st) == 0 ? fopen("/proc/locks", "r") : NULL;
	if (!f)
		return 0;
	char line[256];
	long found = 0;
	while (!found && fgets(line, sizeof line, f)) {
		char kind[16], rw[16], end[24];
		long pid;
		unsigned long long ino;
		long long start;
		/* 1: POSIX  ADVISORY  WRITE 4128 fe:00:10952777 1073741825 1073741825
		 * (waiters have "->" after the number and are not matched). */
		if (sscanf(line, "%*d: %15s %*s %15s %ld %*x:%*x:%llu %lld %23s", kind,
		           rw, &pid, &ino, &start, end) != 6)
			continue;
		if (strcmp(kind, "POSIX") || strcmp(rw, "WRITE")
		    || ino != (unsigned long long)st.st_ino)
			continue;
		bool to_eof = !strcmp(end, "EOF");
		if (start <= RESERVED_BYTE && (to_eof || atoll(end) >= RESERVED_BYTE)
		    && pid != (long)getpid())
			found = pid;
	}
	fclose(f);
	return found;
}

static void busy_error(ev_ledger *l, ev_diags *d)
{
	long pid = lock_holder(l->path);
	if (pid)
		ev_diag_add(d, EV_ERROR, l->path, 0, 0, NULL, "is being written by "
		            "another envoi batch (process %ld); wait for it to finish", pid);
	else
		ev_diag_add(d, EV_ERROR, l->path, 0, 0, NULL, "is being written by "
		            "another envoi batch; wait for it to finish");
}

static void not_ledger(ev_ledger *l, ev_diags *d, const char *what)
{
	ev_diag_add(d, EV_ERROR, l->path, 0, 0, NULL, "is not an envoi ledger (%s); "
	            "name a new file or one an envoi batch made", what);
}

/* An error from opening or from the first statements, in the user's words. */
static void open_error(ev_ledger *l, int rc, ev_diags *d)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		busy_error(l, d);
		break;
	case SQLITE_NOTADB:
		not_ledger(l, d, "not an SQLite database at all");
		break;
	case SQLITE_CORRUPT:
		db_error(l, d, "is damaged", "restore it from a backup");
		break;
	case SQLITE_NOMEM:
		out_of_memory(l->path, d);
		break;
	default:
		db_error(l, d, "cannot open the ledger",
		         "check the path, and that you may write the file and its folder");
	}
}

/* ---- small statement helpers ------------------------------------------ */

static int prepare(ev_ledger *l, const char *sql, sqlite3_stmt **st)
{
	return sqlite3_prepare_v2(l->db, sql, -1, st, NULL);
}

/* A NULL string binds as NULL; so does "" where `empty_null` (what "not
 * priced" is in ledger.h). */
static int bind_text(sqlite3_stmt *st, int i, const char *s, bool empty_null)
{
	if (!s || (empty_null && !*s))
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

/* One integer from a one-row query (a PRAGMA, a count); rc as SQLite's. */
static int query_int(ev_ledger *l, const char *sql, int64_t *out)
{
	sqlite3_stmt *st = NULL;
	int rc = prepare(l, sql, &st);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*out = sqlite3_column_int64(st, 0);
			rc = SQLITE_OK;
		} else if (rc == SQLITE_DONE) {
			*out = 0;
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

/* Replace *slot with a copy of a column's text ("" for NULL). */
static int keep_text(char **slot, sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	char *c = strdup(s ? (const char *)s : "");
	if (!c)
		return -1;
	free(*slot);
	*slot = c;
	return 0;
}

/* The clock as UTC ISO 8601: 2026-12-05T23:52:44Z. */
static void now_utc(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	if (!gmtime_r(&t, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		strcpy(out, "1970-01-01T00:00:00Z");
}

/* ---- opening ---------------------------------------------------------- */

/* Whether the open file is ours: a new (empty) database gets the tables,
 * one with our application_id is taken, anything else refused. 0 or -1. */
static int check_identity(ev_ledger *l, enum open_mode mode, ev_diags *d)
{
	int64_t app = 0, version = 0, objects = 0;
	int rc = query_int(l, "PRAGMA application_id", &app);
	if (rc == SQLITE_OK)
		rc = query_int(l, "PRAGMA user_version", &version);
	if (rc == SQLITE_OK)
		rc = query_int(l, "SELECT count(*) FROM sqlite_master", &objects);
	if (rc != SQLITE_OK) {
		open_error(l, rc, d);
		return -1;
	}
	if (app == 0 && version == 0 && objects == 0) {
		/* New, or made by a batch that was stopped before its commit. */
		if (mode == OPEN_READ) {
			l->empty = true;
			return 0;
		}
		rc = sqlite3_exec(l->db, schema, NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			db_error(l, d, "cannot create the ledger's tables",
			         "check that the disk has room and the file is writable");
			return -1;
		}
		return 0;
	}
	if (app != LEDGER_APP_ID) {
		not_ledger(l, d, "it is another program's SQLite database");
		return -1;
	}
	if (version > LEDGER_VERSION) {
		ev_diag_add(d, EV_ERROR, l->path, 0, 0, NULL, "was written by a newer "
		            "envoi (ledger version %" PRId64 ", this envoi reads %d); "
		            "use that envoi", version, LEDGER_VERSION);
		return -1;
	}
	return 0;
}

static int prepare_all(ev_ledger *l, ev_diags *d)
{
	static const char add[] =
		"INSERT INTO pieces (run, seq, id, recipient_key, name, name_latin,"
		" file, sha256, band, service, weight_ug, postage, currency)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
	static const char find[] =
		"SELECT p.run, r.posting_date, p.status, p.id"
		" FROM pieces p JOIN runs r ON r.run = p.run"
		" WHERE p.recipient_key = ?1 AND p.run <> ?2"
		" ORDER BY p.run DESC, p.seq DESC LIMIT 1";
	static const char track[] =
		"SELECT tracking FROM pieces WHERE sha256 = ?1 AND tracking IS NOT NULL"
		" ORDER BY run DESC, seq DESC LIMIT 1";
	if (prepare(l, add, &l->add) != SQLITE_OK || prepare(l, find, &l->find) != SQLITE_OK
	    || prepare(l, track, &l->track) != SQLITE_OK) {
		db_error(l, d, "cannot read the ledger's tables", "restore it from a backup");
		return -1;
	}
	return 0;
}

static ev_ledger *ledger_open(const char *path, enum open_mode mode, ev_diags *d)
{
	ev_ledger *l = calloc(1, sizeof *l);
	if (!l || !(l->path = strdup(path))) {
		free(l);
		out_of_memory(path, d);
		return NULL;
	}
	/* Only a batch makes a ledger: the commands on a name that is not there
	 * say so, instead of leaving an empty file behind. */
	if (mode != OPEN_BATCH && !ev_is_file(path)) {
		ev_diag_add(d, EV_ERROR, path, 0, 0, NULL, "no such ledger; a batch run "
		            "with --ledger %s makes it", path);
		ev_ledger_close(l);
		return NULL;
	}
	/* A reader opens for writing too (SQLite falls back to read-only on a
	 * write-protected file): the first to open a ledger after a batch was
	 * killed rolls its journal back, and that may be `show`. */
	int flags = mode == OPEN_BATCH ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
	          : SQLITE_OPEN_READWRITE;
	int rc = sqlite3_open_v2(path, &l->db, flags, NULL);
	if (rc != SQLITE_OK) {
		if (!l->db) {
			out_of_memory(path, d);
			ev_ledger_close(l);
			return NULL;
		}
		open_error(l, rc, d);
		goto fail;
	}
	sqlite3_extended_result_codes(l->db, 1);
	/* A writer never waits for another writer: a second batch is refused
	 * at once. A reader waits out a commit in progress. */
	sqlite3_busy_timeout(l->db, mode == OPEN_READ ? WAIT_MS : 0);
	/* foreign_keys only takes effect outside a transaction. */
	sqlite3_exec(l->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	/* The write lock from here to the commit; a reader takes one snapshot. */
	rc = sqlite3_exec(l->db, mode == OPEN_READ ? "BEGIN" : "BEGIN IMMEDIATE",
	                  NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		open_error(l, rc, d);
		goto fail;
	}
	if (check_identity(l, mode, d) < 0)
		goto fail;
	if (!l->empty && prepare_all(l, d) < 0)
		goto fail;
	return l;
fail:
	ev_ledger_close(l);
	return NULL;
}

ev_ledger *ev_ledger_open(const char *path, ev_diags *d)
{
	return ledger_open(path, OPEN_BATCH, d);
}

/* ---- a batch's run ------------------------------------------------------ */

int ev_ledger_begin_run(ev_ledger *l, const ev_ledger_run *run, long *number,
                        ev_diags *d)
{
	if (l->run) {
		ev_diag_add(d, EV_ERROR, l->path, 0, 0, NULL, "run %ld is already begun; "
		            "a batch records one run (this is a bug in envoi)", l->run);
		return -1;
	}
	static const char sql[] =
		"INSERT INTO runs (made_at, posting_date, letter, letter_sha256, list,"
		" list_sha256, outdir, settings) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	char made[32];
	now_utc(made);
	sqlite3_stmt *st = NULL;
	int rc = prepare(l, sql, &st);
	if (rc == SQLITE_OK) {
		bind_text(st, 1, made, false);
		bind_text(st, 2, run->posting_date, true);
		bind_text(st, 3, run->letter, false);
		bind_text(st, 4, run->letter_sha256, true);
		bind_text(st, 5, run->list, false);
		bind_text(st, 6, run->list_sha256, true);
		bind_text(st, 7, run->outdir, false);
		bind_text(st, 8, run->settings, true);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		db_error(l, d, "cannot record the run", "check that the disk has room; "
		         "nothing of this run is recorded");
		return -1;
	}
	l->run = (long)sqlite3_last_insert_rowid(l->db);
	if (number)
		*number = l->run;
	return 0;
}

int ev_ledger_add_piece(ev_ledger *l, const ev_ledger_piece *p, ev_diags *d)
{
	if (!l->run) {
		ev_diag_add(d, EV_ERROR, l->path, 0, 0, NULL, "a piece before its run "
		            "(this is a bug in envoi: ev_ledger_begin_run first)");
		return -1;
	}
	sqlite3_stmt *st = l->add;
	bool priced = p->currency && *p->currency;
	sqlite3_bind_int64(st, 1, l->run);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)p->seq);
	bind_text(st, 3, p->id, false);
	bind_text(st, 4, p->key, false);
	bind_text(st, 5, p->name, false);
	bind_text(st, 6, p->name_latin, false);
	bind_text(st, 7, p->file, false);
	bind_text(st, 8, p->sha256, true);
	bind_text(st, 9, p->band, true);
	bind_text(st, 10, p->service, true);
	if (p->weight_ug > 0)
		sqlite3_bind_int64(st, 11, p->weight_ug);
	else
		sqlite3_bind_null(st, 11);
	if (priced)
		sqlite3_bind_int64(st, 12, p->postage);
	else
		sqlite3_bind_null(st, 12);
	bind_text(st, 13, p->currency, true);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE) {
		char what[96];
		snprintf(what, sizeof what, "cannot record piece %zu", p->seq);
		db_error(l, d, what, "check that the disk has room; nothing of this "
		         "run is recorded");
		return -1;
	}
	return 0;
}

int ev_ledger_find(ev_ledger *l, const char *key, ev_ledger_hit *out, ev_diags *d)
{
	sqlite3_stmt *st = l->find;
	bind_text(st, 1, key, false);
	sqlite3_bind_int64(st, 2, l->run);
	int rc = sqlite3_step(st);
	int found = 0;
	if (rc == SQLITE_ROW) {
		if (keep_text(&l->hit_date, st, 1) < 0 || keep_text(&l->hit_status, st, 2) < 0
		    || keep_text(&l->hit_id, st, 3) < 0) {
			out_of_memory(l->path, d);
			found = -1;
		} else {
			*out = (ev_ledger_hit){.run = (long)sqlite3_column_int64(st, 0),
			                       .posting_date = l->hit_date,
			                       .status = l->hit_status, .id = l->hit_id};
			found = 1;
		}
	} else if (rc != SQLITE_DONE) {
		db_error(l, d, "cannot look up a recipient", "restore the ledger from a backup");
		found = -1;
	}
	sqlite3_reset(st);
	return found;
}

const char *ev_ledger_tracking(ev_ledger *l, const char *sha256)
{
	if (!sha256 || !*sha256)
		return NULL;
	sqlite3_stmt *st = l->track;
	bind_text(st, 1, sha256, false);
	const char *r = NULL;
	if (sqlite3_step(st) == SQLITE_ROW && keep_text(&l->tracking, st, 0) == 0)
		r = l->tracking;
	sqlite3_reset(st);
	return r;
}

int ev_ledger_commit(ev_ledger *l, ev_diags *d)
{
	/* A commit waits out a reader rather than fail a whole batch. */
	sqlite3_busy_timeout(l->db, WAIT_MS);
	int rc = sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL);
	sqlite3_busy_timeout(l->db, 0);
	if (rc != SQLITE_OK) {
		db_error(l, d, "cannot commit", (rc & 0xff) == SQLITE_BUSY
		         ? "a reader kept the ledger open; nothing of this run is "
		           "recorded: run it again"
		         : "check that the disk has room; nothing of this run is "
		           "recorded: run it again");
		return -1;
	}
	l->committed = true;
	return 0;
}

void ev_ledger_close(ev_ledger *l)
{
	if (!l)
		return;
	sqlite3_finalize(l->add);
	sqlite3_finalize(l->find);
	sqlite3_finalize(l->track);
	if (l->db && !l->committed && !sqlite3_get_autocommit(l->db))
		sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(l->db);
	free(l->hit_date);
	free(l->hit_status);
	free(l->hit_id);
	free(l->tracking);
	free(l->path);
	free(l);
}

/* ---- `envoi ledger FILE show` ------------------------------------------- */

/* The pieces of one run (run > 0) or of all: counts and postage per
 * currency, as three lines. SQLITE_OK, or an SQLite error code. */
static int show_pieces(ev_ledger *l, long run, FILE *out)
{
	const char *where = run ? " WHERE run = ?1" : "";
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT count(*), count(*) FILTER (WHERE status ="
	         " 'sent'), count(*) FILTER (WHERE status = 'returned'),"
	         " count(tracking), count(*) FILTER (WHERE currency IS NULL)"
	         " FROM pieces%s", where);
	sqlite3_stmt *st = NULL;
	int rc = prepare(l, sql, &st);
	if (rc != SQLITE_OK)
		return rc;
	if (run)
		sqlite3_bind_int64(st, 1, run);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return rc;
	}
	int64_t n = sqlite3_column_int64(st, 0), unpriced = sqlite3_column_int64(st, 4);
	fprintf(out, "  %-10s %" PRId64 ": %" PRId64 " sent, %" PRId64 " returned\n",
	        "pieces", n, (int64_t)sqlite3_column_int64(st, 1),
	        (int64_t)sqlite3_column_int64(st, 2));
	int64_t tracked = sqlite3_column_int64(st, 3);
	sqlite3_finalize(st);

	snprintf(sql, sizeof sql, "SELECT currency, sum(postage) FROM pieces%s%s"
	         " GROUP BY currency ORDER BY currency", where,
	         run ? " AND currency IS NOT NULL" : " WHERE currency IS NOT NULL");
	if ((rc = prepare(l, sql, &st)) != SQLITE_OK)
		return rc;
	if (run)
		sqlite3_bind_int64(st, 1, run);
	fprintf(out, "  %-10s", "postage");
	int k = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char m[32];
		ev_money_format(sqlite3_column_int64(st, 1), m, sizeof m);
		fprintf(out, "%s %s %s", k++ ? "," : "", m,
		        (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rc;
	if (!k)
		fputs(" none", out);
	if (k && unpriced)
		fprintf(out, " (%" PRId64 " not priced)", unpriced);
	fputc('\n', out);
	fprintf(out, "  %-10s %" PRId64 " of %" PRId64 " pieces\n", "tracking", tracked, n);
	return SQLITE_OK;
}

static const char *text_or(sqlite3_stmt *st, int col, const char *none)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	return s && *s ? (const char *)s : none;
}

static int cmd_show(ev_ledger *l, FILE *out, ev_diags *d)
{
	if (l->empty) {
		fprintf(out, "%s: no runs yet\n", l->path);
		return 0;
	}
	sqlite3_stmt *st = NULL;
	int rc = prepare(l, "SELECT run, made_at, posting_date, letter, list, outdir"
	                 " FROM runs ORDER BY run", &st);
	long runs = 0;
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		long run = (long)sqlite3_column_int64(st, 0);
		fprintf(out, "%srun %ld\n", runs++ ? "\n" : "", run);
		fprintf(out, "  %-10s %s\n", "made", text_or(st, 1, "-"));
		fprintf(out, "  %-10s %s\n", "posting", text_or(st, 2, "-"));
		fprintf(out, "  %-10s %s\n", "letter", text_or(st, 3, "-"));
		fprintf(out, "  %-10s %s\n", "list", text_or(st, 4, "-"));
		fprintf(out, "  %-10s %s\n", "output", text_or(st, 5, "-"));
		rc = show_pieces(l, run, out);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE && runs) {
		fprintf(out, "\nall %ld run%s\n", runs, runs == 1 ? "" : "s");
		rc = show_pieces(l, 0, out);
	} else if (rc == SQLITE_DONE) {
		fprintf(out, "%s: no runs yet\n", l->path);
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_OK && rc != SQLITE_DONE) {
		if ((rc & 0xff) == SQLITE_BUSY)
			busy_error(l, d);
		else
			db_error(l, d, "cannot read the ledger", "restore it from a backup");
		return 2;
	}
	return 0;
}

/* ---- `envoi ledger FILE import-tracking CSV` ----------------------------- */

/* A CSV cell without the spaces around it (a copy; NULL when out of memory). */
static char *trimmed(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	char *c = malloc(n + 1);
	if (c) {
		memcpy(c, s, n);
		c[n] = '\0';
	}
	return c;
}

/* Index of the column whose name is `want` in any case (and spacing), or -1. */
static long find_column(const ev_table *t, const char *want)
{
	long found = -1;
	for (size_t i = 0; i < t->ncols && found < 0; i++) {
		char *k = ev_text_key(t->header[i]);
		if (k && !strcmp(k, want))
			found = (long)i;
		free(k);
	}
	return found;
}

static void row_error(ev_diags *d, const char *csv, const ev_table *t,
                      const ev_record *rec, long col, const char *value,
                      const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* "CSV:LINE: error: column 'id' ('x'): ..." at the line the record starts. */
static void row_error(ev_diags *d, const char *csv, const ev_table *t,
                      const ev_record *rec, long col, const char *value,
                      const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ev_diag_addv(d, EV_ERROR, csv, rec->line, 0, t->header[col], fmt, ap);
	va_end(ap);
	ev_diag_set_value(d, value);
}

/* A seq cell: decimal digits only, 1 or more; 0 when not a number. */
static int64_t parse_seq(const char *s)
{
	int64_t n = 0;
	if (!*s)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || n > (INT64_MAX - 9) / 10)
			return 0;
		n = n * 10 + (*s - '0');
	}
	return n;
}

struct import {
	ev_ledger *l;
	const char *csv;
	ev_table *t;
	long c_track, c_key;    /* columns; c_key is id's, else seq's */
	bool by_id;
	int64_t run;            /* the latest */
	sqlite3_stmt *by_key, *seen_seq, *seen_track, *keep;
	ev_diags *d;
};

/* The piece a row names: its seq, 0 when the row is refused (in d), -1 on a
 * database error. */
static int64_t resolve_piece(struct import *im, const ev_record *rec, const char *key)
{
	int64_t want = im->by_id ? 0 : parse_seq(key);
	if (!im->by_id && !want) {
		row_error(im->d, im->csv, im->t, rec, im->c_key, key, "not a piece "
		          "number (seq); run %" PRId64 " numbers its pieces from 1", im->run);
		return 0;
	}
	sqlite3_stmt *st = im->by_key;
	sqlite3_bind_int64(st, 1, im->run);
	if (im->by_id)
		bind_text(st, 2, key, false);
	else
		sqlite3_bind_int64(st, 2, want);
	int64_t seq = 0, more = 0;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		seq = sqlite3_column_int64(st, 0);
		rc = sqlite3_step(st);
		more = rc == SQLITE_ROW;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	if (!seq)
		row_error(im->d, im->csv, im->t, rec, im->c_key, key, "no piece of run "
		          "%" PRId64 " (the ledger's latest) has this %s", im->run,
		          im->by_id ? "id" : "number");
	else if (more)
		row_error(im->d, im->csv, im->t, rec, im->c_key, key, "more than one "
		          "piece of run %" PRId64 " has this id; name the piece by a "
		          "'seq' column instead", im->run);
	return more ? 0 : seq;
}

/* The line of an earlier row of this file with the same value, or 0. */
static long seen_before(sqlite3_stmt *st, int64_t seq, const char *tracking)
{
	if (tracking)
		bind_text(st, 1, tracking, false);
	else
		sqlite3_bind_int64(st, 1, seq);
	long line = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return line;
}

/* Check one row and keep it in the temporary table. 0, or -1 on a
 * database error; a refused row is an error in d. */
static int import_row(struct import *im, const ev_record *rec)
{
	if (rec->error)
		return 0;       /* the CSV reader has reported it */
	const char *kcell = (size_t)im->c_key < rec->nfields ? rec->fields[im->c_key] : "";
	const char *tcell = (size_t)im->c_track < rec->nfields ? rec->fields[im->c_track] : "";
	char *key = trimmed(kcell), *tracking = trimmed(tcell);
	int r = -1;
	if (!key || !tracking)
		goto done;
	r = 0;
	int64_t seq = resolve_piece(im, rec, key);
	if (seq < 0) {
		r = -1;
		goto done;
	}
	if (!*tracking)
		row_error(im->d, im->csv, im->t, rec, im->c_track, NULL,
		          "empty tracking number; give one, or leave the row out");
	if (!seq || !*tracking)
		goto done;
	long dup = seen_before(im->seen_seq, seq, NULL);
	if (dup)
		row_error(im->d, im->csv, im->t, rec, im->c_key, key, "the same piece "
		          "as line %ld; give each piece one row", dup);
	long twin = seen_before(im->seen_track, 0, tracking);
	if (twin)
		row_error(im->d, im->csv, im->t, rec, im->c_track, tracking, "the same "
		          "tracking number as line %ld; each piece has its own", twin);
	if (dup || twin)
		goto done;
	sqlite3_stmt *st = im->keep;
	sqlite3_bind_int64(st, 1, rec->line);
	sqlite3_bind_int64(st, 2, seq);
	bind_text(st, 3, tracking, false);
	if (sqlite3_step(st) != SQLITE_DONE)
		r = -1;
	sqlite3_reset(st);
done:
	free(key);
	free(tracking);
	return r;
}

/* Tracking numbers of the file that the ledger has for a piece the file
 * does not name: refused (a number belongs to one piece). 0 or -1. */
static int check_taken(struct import *im)
{
	sqlite3_stmt *st = NULL;
	int rc = prepare(im->l, "SELECT i.line, i.tracking, p.run, p.seq"
	                 " FROM import i JOIN pieces p ON p.tracking = i.tracking"
	                 " WHERE NOT (p.run = ?1 AND p.seq IN (SELECT seq FROM import))"
	                 " ORDER BY i.line", &st);
	if (rc != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, im->run);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		ev_diag_add(im->d, EV_ERROR, im->csv, (long)sqlite3_column_int64(st, 0), 0,
		            im->t->header[im->c_track], "tracking number '%s' is "
		            "recorded already for piece %" PRId64 " of run %" PRId64,
		            text_or(st, 1, ""), (int64_t)sqlite3_column_int64(st, 3),
		            (int64_t)sqlite3_column_int64(st, 2));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Record the checked rows: each named piece's number replaced (cleared
 * first, so numbers may move between the file's pieces). Replaced count
 * in *replaced. 0 or -1. */
static int apply_import(struct import *im, int64_t *replaced)
{
	static const char *const steps[] = {
		"UPDATE pieces SET tracking = NULL WHERE run = ?1"
		" AND seq IN (SELECT seq FROM import)",
		"UPDATE pieces SET tracking = (SELECT tracking FROM import i"
		" WHERE i.seq = pieces.seq) WHERE run = ?1 AND seq IN (SELECT seq FROM import)",
	};
	sqlite3_stmt *st = NULL;
	if (prepare(im->l, "SELECT count(*) FROM import i JOIN pieces p ON p.run = ?1"
	            " AND p.seq = i.seq WHERE p.tracking <> i.tracking", &st) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, im->run);
	int rc = sqlite3_step(st);
	*replaced = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	for (size_t i = 0; rc == SQLITE_ROW && i < 2; i++) {
		if (prepare(im->l, steps[i], &st) != SQLITE_OK)
			return -1;
		sqlite3_bind_int64(st, 1, im->run);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = SQLITE_ERROR;
		sqlite3_finalize(st);
	}
	return rc == SQLITE_ROW ? 0 : -1;
}

/* The header's columns and the latest run. 0, or 1 (refused, in d). */
static int import_setup(struct import *im, ev_diags *d)
{
	const ev_table *t = im->t;
	im->c_track = find_column(t, "tracking");
	im->c_key = find_column(t, "id");
	im->by_id = im->c_key >= 0;
	if (!im->by_id)
		im->c_key = find_column(t, "seq");
	if (im->c_track < 0 || im->c_key < 0) {
		ev_diag_add(d, EV_ERROR, im->csv, t->header_line, 0, NULL, "the header "
		            "needs a 'tracking' column and an 'id' or 'seq' column "
		            "naming the piece");
		return 1;
	}
	if (query_int(im->l, "SELECT coalesce(max(run), 0) FROM runs", &im->run) != SQLITE_OK)
		return -1;
	if (!im->run) {
		ev_diag_add(d, EV_ERROR, im->l->path, 0, 0, NULL, "has no runs yet; "
		            "tracking numbers are for the pieces of its latest run");
		return 1;
	}
	return 0;
}

static int import_statements(struct import *im)
{
	ev_ledger *l = im->l;
	if (sqlite3_exec(l->db, "CREATE TEMP TABLE import (line INTEGER NOT NULL,"
	                 " seq INTEGER NOT NULL UNIQUE, tracking TEXT NOT NULL UNIQUE)",
	                 NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	const char *by_key = im->by_id
	        ? "SELECT seq FROM pieces WHERE run = ?1 AND id = ?2 LIMIT 2"
	        : "SELECT seq FROM pieces WHERE run = ?1 AND seq = ?2";
	if (prepare(l, by_key, &im->by_key) != SQLITE_OK
	    || prepare(l, "SELECT line FROM import WHERE seq = ?1", &im->seen_seq) != SQLITE_OK
	    || prepare(l, "SELECT line FROM import WHERE tracking = ?1", &im->seen_track) != SQLITE_OK
	    || prepare(l, "INSERT INTO import (line, seq, tracking) VALUES (?1, ?2, ?3)",
	               &im->keep) != SQLITE_OK)
		return -1;
	return 0;
}

/* A database error in the middle of an import: 2, nothing recorded. */
static int import_failed(struct import *im)
{
	db_error(im->l, im->d, "cannot record the tracking numbers",
	         "nothing was recorded; check that the disk has room");
	return 2;
}

/* Every row is checked before any is recorded: one refused row, and the
 * file records nothing. The exit status. */
static int import_rows(struct import *im, FILE *out)
{
	int status = import_setup(im, im->d);
	if (status)
		return status < 0 ? import_failed(im) : 1;
	if (import_statements(im) < 0)
		return import_failed(im);
	for (size_t i = 0; i < im->t->nrows; i++)
		if (import_row(im, &im->t->rows[i]) < 0)
			return import_failed(im);
	if (check_taken(im) < 0)
		return import_failed(im);
	if (im->d->errors) {
		ev_diag_add(im->d, EV_ERROR, im->csv, 0, 0, NULL, "nothing was recorded; "
		            "correct the lines above and import the whole file again");
		return 1;
	}
	if (!im->t->nrows) {
		ev_diag_add(im->d, EV_ERROR, im->csv, 0, 0, NULL, "has no rows under its "
		            "header; nothing was recorded");
		return 1;
	}
	int64_t replaced = 0;
	if (apply_import(im, &replaced) < 0)
		return import_failed(im);
	if (ev_ledger_commit(im->l, im->d) < 0)
		return 2;
	fprintf(out, "recorded %zu tracking number%s for run %" PRId64 " in %s",
	        im->t->nrows, im->t->nrows == 1 ? "" : "s", im->run, im->l->path);
	if (replaced)
		fprintf(out, " (%" PRId64 " replaced a different number)", replaced);
	fputc('\n', out);
	return 0;
}

static int cmd_import(ev_ledger *l, const char *csv, FILE *out, ev_diags *d)
{
	char *data = NULL;
	size_t len = 0;
	if (ev_read_file(csv, TRACKING_LIMIT, &data, &len, d) < 0)
		return 2;
	ev_decoded text = {0};
	struct import im = {.l = l, .csv = csv, .d = d};
	int status = 1;
	if (ev_decode(data, len, EV_ENC_AUTO, csv, &text, d) == 0
	    && (im.t = ev_csv_read(text.text, text.len, csv, NULL, d)))
		status = import_rows(&im, out);
	sqlite3_finalize(im.by_key);
	sqlite3_finalize(im.seen_seq);
	sqlite3_finalize(im.seen_track);
	sqlite3_finalize(im.keep);
	ev_table_free(im.t);
	ev_decoded_free(&text);
	free(data);
	return status;
}

/* ---- `envoi ledger FILE returned ID...` ---------------------------------- */

static int cmd_returned(ev_ledger *l, int nids, char **ids, FILE *out, ev_diags *d)
{
	sqlite3_stmt *find = NULL, *mark = NULL;
	if (prepare(l, "SELECT run, seq, status, returned_at FROM pieces WHERE id = ?1"
	            " ORDER BY run DESC, seq DESC LIMIT 1", &find) != SQLITE_OK
	    || prepare(l, "UPDATE pieces SET status = 'returned', returned_at = ?3"
	               " WHERE run = ?1 AND seq = ?2", &mark) != SQLITE_OK) {
		sqlite3_finalize(find);
		db_error(l, d, "cannot read the ledger", "restore it from a backup");
		return 2;
	}
	char now[32];
	now_utc(now);
	int status = 0, marked = 0;
	for (int i = 0; i < nids && status < 2; i++) {
		bind_text(find, 1, ids[i], false);
		int rc = sqlite3_step(find);
		if (rc == SQLITE_DONE) {
			ev_diag_add(d, EV_ERROR, l->path, 0, 0, NULL, "no piece has id '%s'; "
			            "nothing was marked", ids[i]);
			status = 1;
		} else if (rc != SQLITE_ROW) {
			status = 2;
		} else if (!strcmp(text_or(find, 2, ""), "returned")) {
			ev_diag_add(d, EV_NOTE, l->path, 0, 0, NULL, "id '%s' (piece %" PRId64
			            " of run %" PRId64 ") was marked returned already, at %s",
			            ids[i], (int64_t)sqlite3_column_int64(find, 1),
			            (int64_t)sqlite3_column_int64(find, 0), text_or(find, 3, "?"));
		} else {
			sqlite3_bind_int64(mark, 1, sqlite3_column_int64(find, 0));
			sqlite3_bind_int64(mark, 2, sqlite3_column_int64(find, 1));
			bind_text(mark, 3, now, false);
			if (sqlite3_step(mark) != SQLITE_DONE)
				status = 2;
			else
				marked++;
			sqlite3_reset(mark);
		}
		sqlite3_reset(find);
	}
	sqlite3_finalize(find);
	sqlite3_finalize(mark);
	if (status == 2)
		db_error(l, d, "cannot mark the pieces returned", "nothing was marked; "
		         "check that the disk has room");
	if (status || ev_ledger_commit(l, d) < 0)
		return status ? status : 2;
	fprintf(out, "marked %d piece%s returned in %s\n", marked,
	        marked == 1 ? "" : "s", l->path);
	return 0;
}

/* ---- the command ------------------------------------------------------- */

static const char ledger_help[] =
"Usage:\n"
"  envoi ledger FILE show                    every run: date, letter, list,\n"
"                                            pieces, postage, returns, tracking\n"
"  envoi ledger FILE import-tracking CSV     record tracking numbers for the\n"
"                                            pieces of the LATEST run; CSV has\n"
"                                            a header with 'tracking' and 'id'\n"
"                                            (or 'seq') columns; one bad row\n"
"                                            and nothing is recorded\n"
"  envoi ledger FILE returned ID [ID...]     mark the latest piece of each\n"
"                                            id returned\n";

static int ledger_usage(FILE *err, const char *msg)
{
	fprintf(err, "envoi: ledger: %s\ntry 'envoi ledger --help'\n", msg);
	return 2;
}

int ev_ledger_command(int argc, char **argv, FILE *out, FILE *err)
{
	if (argc >= 1 && (!strcmp(argv[0], "-h") || !strcmp(argv[0], "--help"))) {
		fputs(ledger_help, out);
		return 0;
	}
	if (argc < 2)
		return ledger_usage(err, "needs a FILE and show, import-tracking CSV or "
		                    "returned ID...");
	const char *path = argv[0], *verb = argv[1];
	bool show = !strcmp(verb, "show");
	if (show && argc != 2)
		return ledger_usage(err, "show takes nothing after it");
	if (!strcmp(verb, "import-tracking") && argc != 3)
		return ledger_usage(err, "import-tracking takes one CSV file");
	if (!strcmp(verb, "returned") && argc < 3)
		return ledger_usage(err, "returned takes the ids of the returned pieces");
	if (!show && strcmp(verb, "import-tracking") && strcmp(verb, "returned")) {
		fprintf(err, "envoi: ledger: unknown command '%s' (show, import-tracking "
		        "or returned)\ntry 'envoi ledger --help'\n", verb);
		return 2;
	}
	ev_diags d = {0};
	int status = 2;
	/* Changes take the write lock, as a batch does: refused while one runs. */
	ev_ledger *l = ledger_open(path, show ? OPEN_READ : OPEN_WRITE, &d);
	if (l && show)
		status = cmd_show(l, out, &d);
	else if (l && argv[1][0] == 'i')
		status = cmd_import(l, argv[2], out, &d);
	else if (l)
		status = cmd_returned(l, argc - 2, argv + 2, out, &d);
	ev_ledger_close(l);
	for (size_t i = 0; i < d.n; i++)
		ev_diag_print(err, &d.items[i]);
	ev_diags_free(&d);
	return status;
}
