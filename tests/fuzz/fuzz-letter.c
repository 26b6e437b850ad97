/* fuzz-letter.c - the whole batch on arbitrary letter bytes: a fixed list
 * of five recipients (Belarusian and Russian rows, a double surname with
 * an apostrophe, one row that must be rejected) and any bytes as the
 * letter (front matter, Markdown, merge fields, sections, filters), made
 * by the real layout, fonts, shared-content store and PDF writer into a
 * folder in memory (/dev/shm when there is one). Aborts when a run
 * crashes, when a row is not accounted for (each row once, in order, a
 * letter or a rejection with its reason, in the manifest too), when check
 * and batch disagree about the letter or a row, or when one thread and
 * two do not write the same bytes (every file of the output folder).
 *
 * The folder holds letters/letter.md and recipients/ with the list and
 * signatories.csv, so the sample letters (the seed corpus) find their
 * signatories where they name them. Fonts from ENVOI_FONTDIR. */
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
#include "rows.h"

#ifndef EV_SOURCE_ROOT
#define EV_SOURCE_ROOT "."
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Row 5 has no court, street or city: rejected whatever the letter. */
static const char list_csv[] =
	"id,surname,given_name,patronymic,gender,position,court,street,building,"
	"office,postcode,city,district,region,country,lang\n"
	"1,Ганчарэнка,Вера,Іванаўна,f,суддзя,Суд Лепельскага раёна,вул. Пушкіна,"
	"98,,211118,Лепель,Лепельскі раён,Віцебская вобласць,Беларусь,be\n"
	"2,Мартынюк,Леонид,Евгеньевич,m,судья,Суд Каменецкого района,"
	"пер. Почтовый,\"137, корп. 3\",,225005,Каменец,Каменецкий район,"
	"Брестская область,Беларусь,ru\n"
	"3,Кавалёва-Дар'яна,Ўладзіслава,Юр'еўна,f,суддзя,Суд Цэнтральнага раёна г. Мінска,"
	"вул. Сурганава,\"28, к. 4\",12,220012,Мінск,,,Беларусь,be\n"
	"4,Щёголев,Фёдор,Ильич,m,судья,Гомельский областной суд,ул. Советская,"
	"43,,246050,Гомель,,Гомельская область,Беларусь,ru\n"
	"5,Пустой,Иван,Иванович,m,судья,,,,,,,,,Беларусь,ru\n";

#define CHECK FUZZ_CHECK

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	CHECK(f && fwrite(data, 1, len, f) == len && fclose(f) == 0, "cannot write %s", path);
}

/* The names in a folder, sorted; *n of them. */
static char **names_in(const char *path, size_t *n)
{
	DIR *d = opendir(path);
	CHECK(d, "cannot open %s", path);
	char **v = NULL;
	size_t cap = 0;
	*n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			v = realloc(v, cap * sizeof *v);
			CHECK(v, "out of memory");
		}
		v[(*n)++] = strdup(e->d_name);
	}
	closedir(d);
	for (size_t i = 1; i < *n; i++)   /* insertion sort: a few names */
		for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			char *t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v;
}

/* The same names in both folders, each file the same bytes. */
static void same_tree(const char *a, const char *b)
{
	size_t na, nb;
	char **va = names_in(a, &na), **vb = names_in(b, &nb);
	CHECK(na == nb, "%s holds %zu files, %s %zu", a, na, b, nb);
	for (size_t i = 0; i < na; i++) {
		CHECK(!strcmp(va[i], vb[i]), "%s/%s against %s/%s", a, va[i], b, vb[i]);
		char *pa = ev_path_join(a, va[i]), *pb = ev_path_join(b, vb[i]);
		CHECK(pa && pb, "out of memory");
		if (ev_is_dir(pa)) {
			same_tree(pa, pb);
		} else {
			char *da, *db;
			size_t la, lb;
			ev_diags d = {0};
			CHECK(ev_read_file(pa, (size_t)1 << 30, &da, &la, &d) == 0 &&
			      ev_read_file(pb, (size_t)1 << 30, &db, &lb, &d) == 0,
			      "cannot read %s or %s", pa, pb);
			CHECK(la == lb && !memcmp(da, db, la),
			      "%s differs with one thread and two", pa + strlen(fuzz_dir("letter")) + 1);
			free(da);
			free(db);
			ev_diags_free(&d);
		}
		free(pa);
		free(pb);
		free(va[i]);
		free(vb[i]);
	}
	free(va);
	free(vb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char letter[96], list[96], out1[96], out2[96];
	static FILE *null;
	if (size > 16384)
		return 0;
	if (!letter[0]) {
		const char *dir = fuzz_dir("letter");
		char path[128];
		snprintf(path, sizeof path, "%s/letters", dir);
		CHECK(mkdir(path, 0700) == 0, "cannot make %s", path);
		snprintf(path, sizeof path, "%s/recipients", dir);
		CHECK(mkdir(path, 0700) == 0, "cannot make %s", path);
		snprintf(letter, sizeof letter, "%s/letters/letter.md", dir);
		snprintf(list, sizeof list, "%s/recipients/list.csv", dir);
		snprintf(out1, sizeof out1, "%s/out1", dir);
		snprintf(out2, sizeof out2, "%s/out2", dir);
		write_file(list, list_csv, sizeof list_csv - 1);
		char *sig;
		size_t len;
		ev_diags d = {0};
		CHECK(ev_read_file(EV_SOURCE_ROOT "/recipients/signatories.csv", 1 << 20,
		                   &sig, &len, &d) == 0, "cannot read the signatories");
		snprintf(path, sizeof path, "%s/recipients/signatories.csv", dir);
		write_file(path, sig, len);
		free(sig);
		ev_diags_free(&d);
		null = fopen("/dev/null", "w");
		CHECK(null, "cannot open /dev/null");
	}
	write_file(letter, data, size);

	fuzz_verdicts c = {0}, b1 = {0}, b2 = {0};
	ev_job job = {.kind = EV_JOB_CHECK, .letter = letter, .recipients = list,
	              .threads = 1, .report = null, .on_row = fuzz_on_row, .on_row_ctx = &c};
	int cs = ev_job_run(&job, null);
	job.kind = EV_JOB_BATCH;
	job.quiet = true;
	job.outdir = out1;
	job.on_row_ctx = &b1;
	int bs1 = ev_job_run(&job, null);
	job.outdir = out2;
	job.threads = 2;
	job.on_row_ctx = &b2;
	int bs2 = ev_job_run(&job, null);

	CHECK(bs1 == bs2, "batch exit %d on one thread, %d on two", bs1, bs2);
	/* check refuses what batch refuses; batch may still refuse more (a
	 * letter that cannot be laid out, fonts without a glyph it needs). */
	CHECK(cs != EV_EXIT_UNUSABLE || bs1 == EV_EXIT_UNUSABLE,
	      "check exit %d, batch exit %d", cs, bs1);
	if (bs1 != EV_EXIT_UNUSABLE) {
		size_t rejected = 0;
		CHECK(c.n == 5 && b1.n == 5 && b2.n == 5, "rows: check %zu, batch %zu and %zu",
		      c.n, b1.n, b2.n);
		for (size_t i = 0; i < b1.n; i++) {
			CHECK(b1.v[i].seq == i + 1 && b2.v[i].seq == i + 1 && c.v[i].seq == i + 1,
			      "row %zu out of order", i + 1);
			CHECK(!b1.v[i].reason == !b2.v[i].reason &&
			      (!b1.v[i].reason || !strcmp(b1.v[i].reason, b2.v[i].reason)),
			      "row %zu: '%s' on one thread, '%s' on two", i + 1,
			      b1.v[i].reason ? b1.v[i].reason : "ok",
			      b2.v[i].reason ? b2.v[i].reason : "ok");
			/* A row check passes may still fail in the batch (a word
			 * too wide for the page is known only when laid out), never
			 * the other way round. */
			CHECK(!c.v[i].reason || b1.v[i].reason,
			      "row %zu: check says '%s', the batch makes a letter", i + 1,
			      c.v[i].reason);
			rejected += b1.v[i].reason != NULL;
		}
		CHECK(b1.v[4].reason, "row 5 has no address, yet made a letter");
		CHECK(bs1 == EV_EXIT_REJECTED, "batch exit %d with %zu rejected", bs1, rejected);
		char path[128];
		snprintf(path, sizeof path, "%s/manifest.csv", out1);
		size_t ok, rows = fuzz_manifest_rows(path, &ok);
		CHECK(rows == 5, "the manifest has %zu rows for 5", rows);
		CHECK(ok == 5 - rejected, "the manifest has %zu ok of %zu", ok, 5 - rejected);
		snprintf(path, sizeof path, "%s/letters", out1);
		CHECK(fuzz_count_files(path) == ok, "letters/ does not hold %zu letters", ok);
		same_tree(out1, out2);
	}
	ev_remove_tree(out1);
	ev_remove_tree(out2);
	fuzz_verdicts_free(&c);
	fuzz_verdicts_free(&b1);
	fuzz_verdicts_free(&b2);
	return 0;
}
