/* check.c - envoi check: the list read a chunk at a time, normalised,
 * validated and reported (text or JSON); nothing written (job.h). */
#include "job.h"

#include <stdlib.h>

#include "report.h"

/* Flag the address blocks that would not fit the envelope window or a
 * label of the sheet, as the batch would. Returns 0, -1 when out of
 * memory. */
static int check_windows(inputs *in, const ev_metrics *mp, const char *file,
                         ev_diags *d)
{
	const ev_metrics m = *mp;
	for (size_t i = 0; i < in->rs->n; i++) {
		ev_recipient *r = &in->rs->items[i];
		double size;
		char why[600];
		if (r->reason)
			continue;
		if (!ev_layout_address_fit(in->t ? in->t->preset : ev_preset_default(),
		                           (const char *const *)r->address, r->naddress, &m,
		                           &size, why, sizeof why) &&
		    (!in->sheet || !ev_label_fits(in->sheet, (const char *const *)r->address,
		                                  r->naddress, &m, why, sizeof why)))
			continue;
		if (ev_recipient_reject(in->rs, r, NULL, why) < 0)
			return -1;
		ev_diag_add(d, EV_ERROR, file, r->line, 0, NULL, "%s; this row is rejected", why);
	}
	return 0;
}

/* The rows of a list whose columns cannot be used: read to the end all
 * the same, so the report counts them and names each broken one. */
static size_t count_rows(inputs *in, ev_diags *d)
{
	size_t n = 0;
	for (long k; (k = ev_csv_next(in->table, CHUNK_ROWS, d)) > 0;)
		n += (size_t)k;
	return n;
}

/* envoi check: read, normalise and validate the list a chunk at a time,
 * write nothing; the report goes to job->report. What is kept is what is
 * reported: the problems, and for --json a line per row. With the letter
 * (job->letter), every letter is also merged and laid out as the batch's
 * first pass does, so each row's verdict is the batch's. */
int job_run_check(const ev_job *job, FILE *err)
{
	ev_diags d = {0}, fontd = {0};
	inputs in = {0};
	ev_buf rows = {0};
	size_t nrows = 0, nw = job->letter ? job_thread_count(job) : 0;
	worker *ws = nw ? calloc(nw, sizeof *ws) : NULL;
	int rc = nw && !ws ? -1 : 0;
	if (rc == 0)
		rc = job->letter ? job_read_inputs(&in, job, &d) : job_read_list(&in, job, &d);
	for (size_t i = 0; rc == 0 && i < nw; i++)
		rc = job_worker_init(&ws[i], &in, job, &d);
	bool windows = false;
	const char *window_note = NULL;
	ev_width_memo *widths = NULL;   /* courts, towns, regions come again */
	ev_metrics measured = {0};
	if (rc == 0) {
		windows = job->letter || job_load_fonts(&in, job->fontdir, &fontd) == 0;
		if (!windows)
			window_note = "the fonts were not found, so the envelope-window "
			              "and label checks were skipped (use --fonts DIR)";
		else if (!job->letter && job_read_labels(&in, job, &d) < 0)
			rc = -1;
		if (rc == 0 && windows && !job->letter) {
			widths = ev_width_memo_new(&in.metrics);
			measured = widths ? ev_width_memo_metrics(widths) : in.metrics;
		}
		job_start_pass(&in);
		long n = 0;
		while (rc == 0 && (n = job_next_chunk(&in, job, &d)) > 0) {
			if (job->letter) {
				rc = job_lay_out_chunk(&in, ws, nw, &d);
				job_gather_diags(ws, nw, &d);
			} else if (windows && check_windows(&in, &measured, job->recipients, &d) < 0) {
				rc = -1;
			}
			for (size_t i = 0; rc == 0 && job->json && i < in.rs->n; i++)
				rc = ev_report_json_row(&rows, &in.rs->items[i],
				                        in.rs->base + i == 0);
			for (size_t i = 0; rc == 0 && job->on_row && i < in.rs->n; i++)
				job->on_row(job->on_row_ctx, &in.rs->items[i]);
		}
		if (rc == 0 && n < 0)
			rc = -1;
		nrows = in.rs->total;
	} else if (in.table) {
		nrows = count_rows(&in, &d);
	}
	ev_diags_sort(&d);
	ev_report_in ri = {
		.file = job->recipients, .table = in.table, .rs = rc == 0 ? in.rs : NULL,
		.d = &d, .window_note = window_note, .nrows = nrows, .rows = &rows,
		.encoding = in.list.text ? ev_encoding_name(in.list.encoding) : NULL,
		.encoding_how = in.list.text ? in.list.how : NULL,
	};
	ev_buf out = {0};
	if ((job->json ? ev_report_json(&out, &ri) : ev_report_text(&out, &ri)) < 0) {
		fprintf(err, "envoi: out of memory\n");
		rc = -1;
	} else {
		FILE *to = job->report ? job->report : stdout;
		fwrite(out.data, 1, out.len, to);
		fflush(to);
	}
	int status = rc < 0 || !in.rs ? EV_EXIT_UNUSABLE
	           : in.rs->rejected ? EV_EXIT_REJECTED : EV_EXIT_OK;
	for (size_t i = 0; ws && i < nw; i++)
		job_worker_free(&ws[i]);
	free(ws);
	ev_width_memo_free(widths);
	ev_buf_free(&rows);
	ev_buf_free(&out);
	ev_diags_free(&d);
	ev_diags_free(&fontd);
	job_inputs_free(&in);
	return status;
}
