/* preview.c - one recipient's letter, exactly as the batch makes it: found
 * by id or by name, with the fonts subset for the whole list (job.h). */
#include "job.h"

#include <stdlib.h>
#include <string.h>

#include "namekey.h"
#include "text.h"

/* Whom preview shows: the row with --id, or the one whose name contains
 * --find in either alphabet (the name key ignores case, ё/е, spelling
 * standards); the matches of --find are listed in `hits`. */
typedef struct target {
	const char *id;
	char *key;                   /* of --find */
	size_t seq;                  /* the row found (the first), 0: none */
	size_t count;
	ev_buf hits;                 /* "  --id ID   NAME (LATIN), line L" */
} target;

/* Matches listed when --find finds several: enough to choose from; more
 * means the name typed was too little of one. */
#define HITS_SHOWN 20

static int match_chunk(inputs *in, target *t)
{
	for (size_t i = 0; i < in->rs->n; i++) {
		ev_recipient *r = &in->rs->items[i];
		bool match;
		if (t->key) {
			char *k = ev_name_key(r->name ? r->name : "");
			char *kl = ev_name_key(r->name_latin ? r->name_latin : "");
			if (!k || !kl) {
				free(k);
				free(kl);
				return -1;
			}
			match = strstr(k, t->key) || strstr(kl, t->key);
			free(k);
			free(kl);
		} else {
			match = !strcmp(r->id, t->id);
		}
		if (!match)
			continue;
		if (!t->count++)
			t->seq = r->seq;
		if (t->count <= HITS_SHOWN)
			ev_buf_printf(&t->hits, "  --id %s   %s (%s), line %ld\n", r->id, r->name,
			              r->name_latin, r->line);
	}
	return t->hits.failed ? -1 : 0;
}

/* The list read once, checked (its diagnostics printed) and searched.
 * Returns 0 with t->seq set, or -1 when no one or several match (said on
 * err) or the list cannot be used (in d). */
static int find_target(inputs *in, const ev_job *job, target *t, ev_diags *d, FILE *err)
{
	if (job->find) {
		t->key = ev_name_key(job->find);
		if (!t->key || !*t->key) {
			fprintf(err, "envoi: --find needs letters of a name\n");
			return -1;
		}
		/* One letter (the key folds Ж and З to z, and a doubled letter
		 * to one) is in most names of a list. */
		if (!t->key[1]) {
			fprintf(err, "envoi: --find '%s' is too little of a name to search "
			        "for; type more of it\n", job->find);
			return -1;
		}
	} else {
		t->id = job->id;
	}
	job_start_pass(in);
	long n;
	while ((n = job_next_chunk(in, job, d)) > 0) {
		job_print_diags(err, d);
		if (match_chunk(in, t) < 0)
			return -1;
	}
	job_print_diags(err, d);
	if (n < 0)
		return -1;
	if (t->count == 1)
		return 0;
	if (!t->key)
		fprintf(err, "envoi: %s: error: no recipient has the id '%s'\n",
		        job->recipients, job->id);
	else if (!t->count)
		fprintf(err, "envoi: %s: error: no recipient's name matches '%s'\n",
		        job->recipients, job->find);
	else if (t->count <= HITS_SHOWN)
		fprintf(err, "envoi: %s: error: %zu recipients match '%s'; choose one "
		        "with --id:\n%s", job->recipients, t->count, job->find, t->hits.data);
	else
		fprintf(err, "envoi: %s: error: %zu recipients match '%s'; type more of "
		        "the name, or choose one with --id (the first %d):\n%s",
		        job->recipients, t->count, job->find, HITS_SHOWN, t->hits.data);
	return -1;
}

/* The row t found, built again into in->rs->items; NULL when the list
 * cannot be read again (in d). */
static ev_recipient *reach_target(inputs *in, const ev_job *job, size_t seq, ev_diags *d)
{
	job_start_pass(in);
	for (long n; (n = job_next_chunk(in, job, d)) > 0;)
		if (seq > in->rs->base && seq <= in->rs->base + in->rs->n)
			return &in->rs->items[seq - 1 - in->rs->base];
	return NULL;
}

int job_run_preview(inputs *in, const ev_job *job, ev_diags *d, FILE *err)
{
	target t = {0};
	int rc = find_target(in, job, &t, d, err);
	/* The fonts as the whole batch embeds them, so this letter is the
	 * batch's letter byte for byte. */
	size_t nw = job_thread_count(job);
	worker *ws = rc == 0 ? calloc(nw, sizeof *ws) : NULL;
	if (rc == 0 && !ws)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < nw; i++)
		rc = job_worker_init(&ws[i], in, job, d);
	if (rc == 0)
		rc = job_prepare_fonts(in, job, ws, nw, false, d, err);
	ev_recipient *r = rc == 0 ? reach_target(in, job, t.seq, d) : NULL;
	if (rc == 0 && !r)
		rc = -1;
	if (rc == 0 && r->reason) {
		fprintf(err, "envoi: %s:%ld: error: the recipient with id '%s' is "
		        "rejected: %s\n", job->recipients, r->line, r->id, r->reason);
		rc = 1;
	}
	ev_display dl = {0};
	ev_buf pdf = {0};
	if (rc == 0) {
		ev_display_init(&dl, ws[0].arena);
		uint64_t tl = ev_timing_start();
		rc = job_lay_out_letter(&ws[0], r, ws[0].arena, &dl, false);
		ev_timing_add(EV_PHASE_LAYOUT, tl);
	}
	ev_pdf_meta meta = {.subject = r ? r->name : NULL};
	uint64_t tm = ev_timing_start();
	if (rc == 0)
		rc = ev_pdf_render(ws[0].pdf, &dl, &meta, &pdf, d);
	ev_timing_add(EV_PHASE_ENCODE, tm);
	if (rc == 1)
		fprintf(err, "envoi: %s:%ld: error: the letter for the recipient with id "
		        "'%s' cannot be drawn: %s\n", job->recipients, r->line, r->id,
		        ev_pdf_refusal(ws[0].pdf));
	tm = ev_timing_start();
	if (rc == 0)
		rc = ev_write_atomic(job->output, pdf.data, pdf.len, d);
	ev_timing_add(EV_PHASE_WRITE, tm);
	job_print_diags(err, d);
	if (rc == 0 && !job->quiet)
		fprintf(err, "envoi: wrote %s (%zu %s) for %s\n", job->output,
		        dl.npages, ev_plural(dl.npages, "page", "pages"), r->name);
	ev_buf_free(&pdf);
	for (size_t i = 0; ws && i < nw; i++)
		job_worker_free(&ws[i]);
	free(ws);
	free(t.key);
	ev_buf_free(&t.hits);
	return rc == 0 ? EV_EXIT_OK : rc == 1 ? EV_EXIT_REJECTED : EV_EXIT_UNUSABLE;
}
