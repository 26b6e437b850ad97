/* labelcmd.c - the label sheet of a job (--labels, --first), and `envoi
 * labels`: the sheets listed (built-in and gLabels'), and a calibration
 * page to print on plain paper and hold against a sheet (job.h). */
#include "labelcmd.h"
#include "job.h"

#include <stdlib.h>
#include <string.h>

#include "labeldb.h"

/* The job's label sheet: --labels, else L7163 (the batch always makes
 * labels, and check and preview judge each row as the batch does), and
 * --first checked against it. 0, or -1 (in d). */
int job_read_labels(inputs *in, const ev_job *job, ev_diags *d)
{
	const char *name = job->labels ? job->labels : "L7163";
	in->sheet = ev_labeldb_resolve(name, NULL, &in->labeldb, d);
	if (!in->sheet)
		return -1;
	size_t n = ev_label_count(in->sheet);
	if (job->first > n) {
		char s[160];
		ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "--first %zu: a sheet of %s has "
		            "%zu labels", job->first, ev_label_name(in->sheet, s, sizeof s), n);
		return -1;
	}
	return 0;
}

static const char labels_usage[] = "usage: envoi labels list [WORDS] | envoi labels "
	"--calibrate SHEET -o FILE.pdf [--offset X,Y] [--fonts DIR]";

static int usage(FILE *err, const char *msg)
{
	fprintf(err, "envoi: %s\ntry 'envoi --help'\n", msg);
	return 2;
}

/* envoi labels list [WORDS]: every sheet whose brand, part, paper or
 * description holds every word, one a line. */
static int list(int argc, char **argv, FILE *out, FILE *err)
{
	ev_diags d = {0};
	ev_labeldb *db = ev_labeldb_load(NULL, &d);
	size_t n = 0, shown = 0;
	const ev_label_sheet **v = db ? ev_labeldb_catalogue(db, &n) : NULL;
	ev_buf line = {0};
	for (size_t i = 0; v && i < n; i++) {
		if (!ev_label_matches(v[i], (const char *const *)argv, (size_t)argc))
			continue;
		ev_buf_reset(&line);
		if (ev_label_describe(v[i], &line) < 0)
			break;
		fprintf(out, "%s\n", line.data);
		shown++;
	}
	job_print_diags(err, &d);
	for (size_t i = 0; db && i < ev_labeldb_left_count(db); i++) {
		const char *why;
		const ev_label_sheet *s = ev_labeldb_left(db, i, &why);
		if (ev_label_matches(s, (const char *const *)argv, (size_t)argc))
			fprintf(err, "envoi: left out of gLabels' database: %s (%s)\n", s->id, why);
	}
	int rc = db && v && !line.failed ? (shown ? 0 : 1) : 2;
	if (rc == 2)
		fprintf(err, "envoi: out of memory\n");
	if (db && ev_labeldb_read(db) == 0)
		fprintf(err, "envoi: gLabels' template database was not found in %s "
		        "(install glabels-data, or set ENVOI_LABELDIR); only the built-in "
		        "sheets are listed\n", ev_labeldb_path(db));
	if (rc == 1)
		fprintf(err, "envoi: no label sheet matches these words\n");
	ev_buf_free(&line);
	free(v);
	ev_labeldb_free(db);
	ev_diags_free(&d);
	return rc;
}

/* The calibration page drawn with the bundled fonts, subset to its own
 * characters, into path. 0, or -1 (in d). */
static int calibrate(const ev_label_sheet *s, const ev_label_place *pl,
                     const char *fontdir, const char *path, ev_diags *d)
{
	inputs in = {0};
	ev_arena *a = ev_arena_new();
	ev_charset *cs = ev_charset_new();
	ev_pdf *pdf = NULL;
	ev_buf bytes = {0};
	ev_display dl;
	char name[160];
	int rc = a && cs ? job_load_fonts(&in, fontdir, d) : -1;
	if (rc == 0) {
		ev_display_init(&dl, a);
		rc = ev_layout_label_calibration(s, pl, &in.metrics, &dl);
	}
	if (rc == 0)
		rc = ev_charset_add(cs, &in.fs, &dl, d);
	if (rc == 0)
		rc = ev_embed_make(&in.embed, &in.fs, cs, d);
	if (rc == 0 && !(pdf = ev_pdf_new(&in.embed, &in.fs, d)))
		rc = -1;
	ev_pdf_meta meta = {.title = "Label sheet calibration",
	                    .subject = ev_label_name(s, name, sizeof name)};
	/* A document made whole in memory, by libharu (the letters and the
	 * files made of them are envoi's own writer's, for speed). */
	if (rc == 0)
		rc = ev_pdf_begin(pdf, &meta, d) == 0 && ev_pdf_add(pdf, &dl, d) == 0 &&
		     ev_pdf_end(pdf, &bytes, d) == 0 ? 0 : -1;
	if (rc == 0)
		rc = ev_write_atomic(path, bytes.data, bytes.len, d);
	if (rc < 0 && !d->errors)
		ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "out of memory");
	ev_buf_free(&bytes);
	ev_pdf_free(pdf);
	ev_charset_free(cs);
	ev_arena_free(a);
	job_inputs_free(&in);
	return rc;
}

int ev_labels_command(int argc, char **argv, FILE *out, FILE *err)
{
	if (argc >= 1 && !strcmp(argv[0], "list"))
		return list(argc - 1, argv + 1, out, err);
	if (argc >= 1 && (!strcmp(argv[0], "-h") || !strcmp(argv[0], "--help"))) {
		fprintf(out, "%s\n", labels_usage);
		return 0;
	}
	const char *sheet = NULL, *output = NULL, *fontdir = NULL;
	ev_label_place pl = {0};
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char **val = !strcmp(a, "--calibrate") ? &sheet
		                 : !strcmp(a, "-o") || !strcmp(a, "--output") ? &output
		                 : !strcmp(a, "--fonts") ? &fontdir : NULL;
		if (val && i + 1 < argc) {
			*val = argv[++i];
		} else if (!strcmp(a, "--offset") && i + 1 < argc) {
			if (ev_label_offset_parse(argv[++i], &pl.dx, &pl.dy) < 0)
				return usage(err, "--offset takes X,Y in mm, each from -50 to 50 "
				             "(e.g. --offset 1.5,-0.5)");
		} else {
			fprintf(err, "envoi: labels: unknown argument or missing value: %s\n", a);
			return usage(err, labels_usage);
		}
	}
	if (!sheet || !output)
		return usage(err, labels_usage);
	ev_diags d = {0};
	ev_labeldb *db = NULL;
	const ev_label_sheet *s = ev_labeldb_resolve(sheet, NULL, &db, &d);
	int rc = s ? calibrate(s, &pl, fontdir, output, &d) : -1;
	job_print_diags(err, &d);
	if (rc == 0) {
		char name[160];
		fprintf(err, "envoi: wrote %s, the calibration page of %s\n", output,
		        ev_label_name(s, name, sizeof name));
	}
	ev_labeldb_free(db);
	ev_diags_free(&d);
	return rc == 0 ? 0 : 2;
}
