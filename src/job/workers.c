/* workers.c - the threads that lay out and draw letters, the pool that
 * hands them rows in order, and the first pass over the list (job.h). */
#include "job.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proof.h"
#include "salutation.h"
#include "text.h"

void job_worker_free(worker *w)
{
	ev_buf_free(&w->file);
	ev_pdf_free(w->pdf);
	ev_hyphen_free(w->hyphen);
	ev_arena_free(w->arena);
	ev_layout_memo_free(w->memo);
	ev_charset_free(w->cs);
	ev_charset_free(w->pcs);
	ev_charset_free(w->ecs);
	ev_diags_free(&w->d);
	free(w->worst_id);
	for (int k = 0; k < 2; k++)
		for (int f = 0; f < EV_FACE_COUNT; f++)
			ev_font_free(w->fonts[k][f]);
	memset(w, 0, sizeof *w);
}

/* A worker over the inputs' font bytes (parsing a font again is ~50 us).
 * Returns 0, -1 (out of memory, in d). */
int job_worker_init(worker *w, inputs *in, const ev_job *job, ev_diags *d)
{
	memset(w, 0, sizeof *w);
	w->in = in;
	w->job = job;
	w->worst_index = SIZE_MAX;
	int k, f;
	char why[200];
	if (job_make_fontset(in, w->fonts, &w->fs, &k, &f, why, sizeof why) < 0)
		goto oom;   /* the same bytes parsed for the main thread */
	w->metrics = ev_fontset_metrics(&w->fs);
	if (in->t && in->t->hyphenate) {
		w->hyphen = in->hyphen ? ev_hyphen_share(in->hyphen) : ev_hyphen_open(NULL);
		if (!w->hyphen)
			goto oom;
		w->hy = ev_hyphen_iface(w->hyphen);
	}
	if (!(w->arena = ev_arena_new()) || !(w->memo = ev_layout_memo_new()))
		goto oom;
	/* Every worker's widths are every thread's: the main thread measures
	 * the same address lines for the label sheets. Workers are made on
	 * the main thread, one after another. */
	if (!in->widths && !(in->widths = ev_width_table_new()))
		goto oom;
	ev_layout_memo_share(w->memo, in->widths);
	return 0;
oom:
	ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "out of memory starting a worker");
	job_worker_free(w);
	return -1;
}

/* The next row to do, or SIZE_MAX when there is none (or a worker failed). */
size_t job_next_row(pool *p)
{
	/* without the lock: two workers took turns on it for every row */
	if (atomic_load_explicit(&p->stopped, memory_order_relaxed))
		return SIZE_MAX;
	size_t i = atomic_fetch_add_explicit(&p->next, 1, memory_order_relaxed);
	return i < p->n ? i : SIZE_MAX;
}

void job_pool_fail(pool *p)
{
	pthread_mutex_lock(&p->mu);
	p->failed = true;
	atomic_store_explicit(&p->stopped, true, memory_order_relaxed);
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* How many workers: --threads, else one per core. */
size_t job_thread_count(const ev_job *job)
{
	long n = job->threads > 0 ? (long)job->threads : sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	if (n > 64)
		n = 64;
	return (size_t)n;
}

/* Run fn on every worker, each in its own thread, until the rows are done. */
int job_run_workers(worker *ws, size_t nw, pool *p, void *(*fn)(void *),
                       ev_diags *d)
{
	pthread_t *th = calloc(nw, sizeof *th);
	size_t started = 0;
	for (; th && started < nw; started++) {
		ws[started].pool = p;
		if (pthread_create(&th[started], NULL, fn, &ws[started]) != 0)
			break;
	}
	if (started < nw)
		job_pool_fail(p);
	uint64_t t = ev_timing_start();
	for (size_t i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	ev_timing_add(EV_PHASE_WAIT, t);
	free(th);
	if (started < nw) {
		ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "cannot start a thread");
		return -1;
	}
	return p->failed ? -1 : 0;
}

/* Each worker's diagnostics into d, in the list's order. */
void job_gather_diags(worker *ws, size_t nw, ev_diags *d)
{
	for (size_t i = 0; i < nw; i++)
		ev_diags_take(d, &ws[i].d);
	ev_diags_sort(d);
}

/* ---- one letter ---- */

typedef struct lookup_ctx {
	const ev_recipients *rs;
	const ev_recipient *r;
	const char *date;
	const char *salutation;
	ev_arena *a;
	ev_diags *d;          /* the first pass's, for the note on names kept
	                         as spelt; NULL in the second pass */
	const char *file;
	bool noted;           /* that note is made once a letter */
} lookup_ctx;

/* A note when a greeting in the other language keeps the names as spelt
 * (the dictionary lacks one of them); the letter is made all the same. */
static void note_kept(lookup_ctx *c, const char *lang)
{
	const char *const *f = c->r->field;
	if (!c->d || c->noted)
		return;
	c->noted = true;
	ev_diag_add(c->d, EV_NOTE, c->file, c->r->line, 0, NULL,
	            "the %s greeting keeps '%s %s' as spelt: not in the dictionary of "
	            "given names (src/data/given-names.tsv)",
	            !strcmp(lang, "ru") ? "Russian" : "Belarusian",
	            f[EV_F_GIVEN_NAME], f[EV_F_PATRONYMIC]);
}

/* {{salutation}} in a translation: the built-in greeting in its language
 * (the campaign's `salutation:` line is in the letter's language). */
static const char *translated_salutation(lookup_ctx *c, const char *lang)
{
	const char *stored = ev_recipient_value(c->rs, c->r, "surname_latin");
	bool kept;
	const char *s = ev_salutation(c->a, lang, c->r,
	                              stored && *stored ? stored : c->r->surname_latin, &kept);
	if (s && kept)
		note_kept(c, lang);
	return s ? s : "";
}

static const char *lookup(void *ctx, const char *name)
{
	lookup_ctx *c = ctx;
	if (!strcmp(name, "date") && ev_table_column(c->rs->table, name) < 0)
		return c->date;
	if (!strcmp(name, "salutation") && ev_table_column(c->rs->table, name) < 0)
		return c->salutation;
	if (!strncmp(name, "salutation:", 11))
		return translated_salutation(c, name + 11);
	return ev_recipient_value(c->rs, c->r, name);
}

/* {{salutation}}: the campaign's `salutation:` line, else the built-in
 * greeting for the letter's language and the recipient's gender. */
static const char *salutation(inputs *in, const ev_merge_input *mi,
                              const ev_recipient *r, ev_arena *a, lookup_ctx *c)
{
	const ev_template *t = in->t;
	if (t->salutation.line)
		return ev_merge_line(mi, &t->salutation, a);
	const char *stored = ev_recipient_value(in->rs, r, "surname_latin");
	bool kept;
	const char *s = ev_salutation(a, t->lang, r, stored && *stored ? stored : r->surname_latin,
	                              &kept);
	if (s && kept)
		note_kept(c, t->lang);
	return s;
}

/* The first column of r whose value holds the character cp, or -1. */
static long column_holding(const inputs *in, const ev_recipient *r, uint32_t cp)
{
	char ch[5] = {0};
	if (!ev_utf8_encode(cp, ch))
		return -1;
	for (size_t c = 0; c < in->rs->table->ncols; c++)
		if (strstr(r->values[c], ch))
			return (long)c;
	return -1;
}

/* Keep in *worst (of row *at, SIZE_MAX: none yet) the looser of it and st
 * (of row index): the widest word space, the earlier row on a tie, so the
 * answer does not depend on which thread laid out which letter. */
static int keep_loosest(ev_layout_stats *worst, size_t *at, char **id,
                        const ev_layout_stats *st, size_t index, const char *row_id)
{
	if (*at == SIZE_MAX || st->worst_space > worst->worst_space ||
	    (st->worst_space == worst->worst_space && index < *at)) {
		char *copy = strdup(row_id);
		if (!copy)
			return -1;
		free(*id);
		*id = copy;
		*worst = *st;
		*at = index;
	}
	return 0;
}

int job_lay_out_letter(worker *w, ev_recipient *r, ev_arena *a, ev_display *dl,
                          bool count)
{
	inputs *in = w->in;
	lookup_ctx ctx = {.rs = in->rs, .r = r, .date = "", .a = a,
	                  .d = count ? &w->d : NULL, .file = w->job->recipients};
	ev_merge_input mi = {.t = in->t, .lookup = lookup, .ctx = &ctx,
	                     .signatories = in->signatories,
	                     .nsignatories = in->nsignatories, .lang = r->lang,
	                     .list = in->sig_table ? &in->sig_list : NULL,
	                     .gender = r->gender};
	const char *unsure = NULL;
	if (count)
		mi.unsure = &unsure;
	const ev_template *t = in->t;
	ev_letter_in li = {.sender = t->sender, .nsender = t->nsender,
	                   .address = (const char *const *)r->address,
	                   .naddress = r->naddress, .preset = t->preset,
	                   .paper = t->paper, .lang = t->lang,
	                   .justify = t->justify, .hyphenate = t->hyphenate,
	                   .hy = w->hyphen ? &w->hy : NULL, .memo = w->memo};
	ev_doc body;
	ctx.date = ev_merge_line(&mi, &t->date, a);
	ctx.salutation = "";
	ctx.salutation = salutation(in, &mi, r, a, &ctx);
	if (!ctx.salutation)
		return -1;
	li.date = ctx.date;
	li.return_line = ev_merge_line(&mi, &t->return_address, a);
	li.subject = ev_merge_line(&mi, &t->subject, a);
	li.reference = ev_merge_line(&mi, &t->reference, a);
	if (!li.date || !li.return_line || !li.subject || !li.reference ||
	    ev_merge_body(&mi, a, &body) < 0)
		return -1;
	li.body = &body;
	li.running_name = r->name;
	if (unsure)
		ev_diag_add(&w->d, EV_NOTE, w->job->recipients, r->line, 0, NULL, "the "
		            "dative or genitive of {{%s}} is not certain by the rules (stress, "
		            "a foreign name, an unknown ending), so the letter keeps its "
		            "nominative; give the form in a %s_dat or %s_gen column to use it",
		            unsure, unsure, unsure);
	const char *reason;
	ev_layout_stats st;
	int rc = ev_layout_letter(&li, &w->metrics, dl, &reason, &st);
	/* Counted once, in the first pass, which lays out every letter. */
	if (!count)
		return rc;
	if (rc == 0) {
		w->hyphens += st.hyphens;
		w->ragged += st.ragged;
	}
	if (rc == 0 && keep_loosest(&w->worst, &w->worst_index, &w->worst_id, &st,
	                            r->seq - 1, r->id) < 0)
		return -1;
	/* An address that does not fit a label of the sheet is rejected
	 * here too, so check and the batch agree, and no label is set across
	 * its edge. */
	char why[400];
	ev_metrics measured = ev_layout_memo_metrics(w->memo, &w->metrics);
	if (rc == 0 && in->sheet &&
	    ev_label_fits(in->sheet, (const char *const *)r->address, r->naddress,
	                  &measured, why, sizeof why) == 1) {
		reason = why;
		rc = 1;
	}
	/* An address the plain envelope cannot hold, likewise. */
	if (rc == 0 && in->envelopes) {
		const char **latin = in->env_latin ? job_address_latin(in, r, a) : NULL;
		job_envelope_t e;
		double size;
		if (in->env_latin && !latin)
			return -1;
		job_envelope(in, (const char *const *)r->address, latin, r->naddress, &e);
		if (ev_envelope_fits(&e.in, &measured, &size, why, sizeof why) == 1) {
			reason = why;
			rc = 1;
		}
	}
	/* A piece no band of the tariff takes is rejected here, before a
	 * letter is made for it, never priced with a band it does not fit. */
	ev_piece piece;
	if (rc == 0 && in->priced &&
	    ev_postage_piece(&in->posting, dl->npages, &piece, why, sizeof why) == 1) {
		reason = why;
		rc = 1;
	}
	if (rc == 1) {
		/* A character no font has: the column it came from (the reason
		 * says where it would be printed: the reference, the address). */
		long c = st.missing ? column_holding(in, r, st.missing) : -1;
		/* The count of rejected rows is shared. */
		if (w->pool)
			pthread_mutex_lock(&w->pool->mu);
		int k = ev_recipient_reject(in->rs, r, c >= 0 ? in->rs->table->header[c] : NULL,
		                            reason);
		if (w->pool)
			pthread_mutex_unlock(&w->pool->mu);
		if (k < 0)
			return -1;
		if (ev_diag_add(&w->d, EV_ERROR, w->job->recipients, r->line, 0,
		                r->reason_column, "%s; this row is rejected", r->reason) == 0 &&
		    c >= 0)
			ev_diag_set_value(&w->d, r->values[c]);
	}
	return rc;
}

/* The first pass, on a worker: lay out each letter, noting what each font
 * draws; a letter that cannot be made is rejected here. */
static void *first_pass(void *arg)
{
	worker *w = arg;
	pool *p = w->pool;
	uint64_t run = ev_timing_start();
	for (size_t i; (i = job_next_row(p)) != SIZE_MAX;) {
		ev_recipient *r = &w->in->rs->items[i];
		if (r->reason || r->skipped)
			continue;
		/* the letter, the characters it draws, its copy for the second
		 * pass: all of it is laying out */
		uint64_t t = ev_timing_start();
		ev_arena_reset(w->arena);
		ev_display dl;
		ev_display_init(&dl, w->arena);
		int k = job_lay_out_letter(w, r, w->arena, &dl, true);
		int rc = k < 0 ? -1 : 0;
		/* kept for the second pass while there is room */
		if (k == 0 && w->in->kept && r->seq <= SHELF_ROWS)
			w->in->kept[r->seq - 1] = ev_shelf_keep(w->in->shelf, &dl);
		/* Labels: the same address lines, in the regular face. */
		for (size_t l = 0; k == 0 && rc == 0 && w->cs && l < r->naddress; l++)
			rc = ev_charset_add_text(w->cs, &w->fs, EV_FACE_REGULAR, r->address[l],
			                         strlen(r->address[l]), &w->d);
		if (k == 0 && rc == 0 && w->cs)
			rc = ev_charset_add(w->cs, &w->fs, &dl, &w->d);
		/* The posting list: the names, id and country, in both faces. */
		const char *id = "", *latin = "";
		if (k == 0 && rc == 0 && w->pcs &&
		    (!(id = job_listed_text(&w->metrics, r->id, w->arena)) ||
		     !(latin = job_listed_text(&w->metrics, r->name_latin, w->arena))))
			rc = -1;
		const char *listed[] = {r->name, latin, id,
		                        r->naddress ? r->address[r->naddress - 1] : ""};
		for (int f = 0; k == 0 && rc == 0 && w->pcs && f < 2; f++)
			for (size_t l = 0; rc == 0 && l < sizeof listed / sizeof *listed; l++)
				rc = ev_charset_add_text(w->pcs, &w->fs, f ? EV_FACE_BOLD : EV_FACE_REGULAR,
				                         listed[l], strlen(listed[l]), &w->d);
		/* The envelopes: the return address, the block in both scripts
		 * and the country line, in their own subsets. */
		if (k == 0 && rc == 0 && w->ecs) {
			const char **lat = w->in->env_latin ? job_address_latin(w->in, r, w->arena) : NULL;
			job_envelope_t e;
			job_envelope(w->in, (const char *const *)r->address, lat, r->naddress, &e);
			for (size_t l = 0; rc == 0 && l < e.in.naddress; l++)
				rc = ev_charset_add_text(w->ecs, &w->fs, EV_FACE_REGULAR, e.in.address[l],
				                         strlen(e.in.address[l]), &w->d);
			for (size_t l = 0; rc == 0 && lat && l < e.in.naddress_latin; l++)
				rc = ev_charset_add_text(w->ecs, &w->fs, EV_FACE_REGULAR, lat[l],
				                         strlen(lat[l]), &w->d);
			if (rc == 0)
				rc = ev_charset_add_text(w->ecs, &w->fs, EV_FACE_REGULAR, e.buf,
				                         strlen(e.buf), &w->d);
		}
		ev_timing_add(EV_PHASE_LAYOUT, t);
		if (rc < 0) {
			job_pool_fail(p);
			break;
		}
	}
	ev_timing_add(EV_PHASE_OTHER, run);
	return NULL;
}

int job_lay_out_chunk(inputs *in, worker *ws, size_t nw, ev_diags *d)
{
	pool p = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER,
	          .n = in->rs->n};
	return job_run_workers(ws, nw, &p, first_pass, d);
}

/* What the workers measured, into in. */
static int gather_stats(inputs *in, worker *ws, size_t nw)
{
	in->worst_index = SIZE_MAX;
	for (size_t i = 0; i < nw; i++) {
		in->hyphens += ws[i].hyphens;
		in->ragged += ws[i].ragged;
		if (ws[i].worst_index != SIZE_MAX &&
		    keep_loosest(&in->worst, &in->worst_index, &in->worst_id, &ws[i].worst,
		                 ws[i].worst_index, ws[i].worst_id) < 0)
			return -1;
	}
	return 0;
}

/* The first pass over the list, a chunk at a time: every row built and
 * checked, every letter laid out (rejecting what cannot be made), the
 * characters each font draws collected; the list's diagnostics printed
 * as they come (the layout's rejections too when `report`). Then the font
 * subsets (once) and a PDF writer per worker. Each letter laid out is
 * kept on the batch's shelf while it has room (in->kept; shelf.h), so the
 * second pass need not lay it out again. */
int job_prepare_fonts(inputs *in, const ev_job *job, worker *ws, size_t nw,
                         bool report, ev_diags *d, FILE *err)
{
	ev_charset *all = ev_charset_new();
	int rc = all ? 0 : -1;
	/* The posting list's characters apart: its texts (German headings,
	 * the bold face, ids) must not change the letters' subsets. */
	bool listed = in->priced && job->kind == EV_JOB_BATCH;
	ev_charset *pall = listed ? ev_charset_new() : NULL;
	if (listed && !pall)
		rc = -1;
	/* likewise the envelopes' */
	bool enveloped = in->envelopes && job->kind == EV_JOB_BATCH;
	ev_charset *eall = enveloped ? ev_charset_new() : NULL;
	if (enveloped && !eall)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < nw; i++)
		if (!(ws[i].cs = ev_charset_new()) || (listed && !(ws[i].pcs = ev_charset_new())) ||
		    (enveloped && !(ws[i].ecs = ev_charset_new())))
			rc = -1;
	long n = 0;
	if (rc == 0 && in->first_chunk_read) {
		n = in->first_chunk;   /* read ahead by the batch */
		in->first_chunk_read = false;
	} else if (rc == 0) {
		job_start_pass(in);
		n = job_next_chunk(in, job, d);
	}
	for (; rc == 0 && n != 0; n = rc == 0 ? job_next_chunk(in, job, d) : 0) {
		rc = n < 0 ? -1 : job_lay_out_chunk(in, ws, nw, d);
		for (size_t i = 0; i < nw; i++)
			if (!report)
				ev_diags_clear(&ws[i].d);
		job_gather_diags(ws, nw, d);
		if (d->n)
			ev_progress_clear(&in->progress);
		job_print_diags(err, d);
		ev_progress_tick(&in->progress, in->rs->total);
	}
	for (size_t i = 0; i < nw; i++) {
		if (rc == 0 && ev_charset_merge(all, ws[i].cs) < 0)
			rc = -1;
		if (rc == 0 && pall && ev_charset_merge(pall, ws[i].pcs) < 0)
			rc = -1;
		if (rc == 0 && eall && ev_charset_merge(eall, ws[i].ecs) < 0)
			rc = -1;
		ev_charset_free(ws[i].ecs);
		ws[i].ecs = NULL;
		ev_charset_free(ws[i].cs);
		ev_charset_free(ws[i].pcs);
		ws[i].cs = ws[i].pcs = NULL;
	}
	if (rc == 0 && report)
		rc = gather_stats(in, ws, nw);

	/* proof.pdf's captions: the numbers and the ellipsis (the names are
	 * the addresses'); in every job, so a preview's letter stays the
	 * batch's */
	if (rc == 0)
		rc = ev_charset_add_text(all, &in->fs, EV_FACE_REGULAR, ev_proof_chars(),
		                         strlen(ev_proof_chars()), d);
	/* the font subsets are PDF objects: encode */
	uint64_t t = ev_timing_start();
	if (rc == 0)
		rc = ev_embed_make(&in->embed, &in->fs, all, d);
	if (rc == 0 && pall && job_posting_chars(in, pall, &in->fs, d) < 0)
		rc = -1;
	if (rc == 0 && pall)
		rc = ev_embed_make(&in->plist_embed, &in->fs, pall, d);
	ev_charset_free(pall);
	for (size_t i = 0; rc == 0 && eall && i < in->t->nsender; i++)
		rc = ev_charset_add_text(eall, &in->fs, EV_FACE_REGULAR, in->t->sender[i],
		                         strlen(in->t->sender[i]), d);
	if (rc == 0 && eall)
		rc = ev_embed_make(&in->env_embed, &in->fs, eall, d);
	ev_charset_free(eall);
	ev_timing_add(EV_PHASE_ENCODE, t);
	/* What every letter shares is deflated once, for all workers. */
	if (rc == 0 && !in->store && !(in->store = ev_pdf_store_new(STORE_BYTES)))
		rc = -1;
	/* and the letters' kept pages reuse the memory of those printed */
	if (rc == 0 && !in->pages_pool && !(in->pages_pool = ev_pages_pool_new()))
		rc = -1;
	for (size_t i = 0; rc == 0 && i < nw; i++) {
		if (!(ws[i].pdf = ev_pdf_new(&in->embed, &ws[i].fs, d))) {
			rc = -1;
			break;
		}
		ev_pdf_set_store(ws[i].pdf, in->store);
		ev_pdf_set_pages_pool(ws[i].pdf, in->pages_pool);
	}
	ev_charset_free(all);
	if (rc < 0 && !d->errors)
		ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "out of memory");
	return rc;
}
