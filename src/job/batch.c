/* batch.c - the batch: after the first pass, each letter drawn and written
 * by the workers and taken in the list's order for the print outputs
 * (printout.c, or presort.c first) and the manifest; all made in a staging
 * folder inside OUTDIR and moved into place only when complete. And
 * ev_job_run. */
#include "batchrun.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clickdrop.h"
#include "manifest.h"
#include "scheme.h"
#include "text.h"
#include "translit.h"

/* The letters are synced to the disk by a thread of their own (ev_flusher)
 * each time this many more bytes of them are written: the one sync at the
 * end then waits for little (413 letters: 3 ms instead of 19), and many
 * files are written at once for less than each on its own
 * (sync_file_range a file cost the workers ~20 ms a batch). */
#define FLUSH_STEP ((size_t)1 << 20)

/* The letter's file name into name (LETTER_REL_CAP bytes); -1 when out of
 * memory. */
static int letter_name(const ev_recipient *r, size_t count, char *name)
{
	int width = 4;
	for (size_t n = count; n >= 10000; n /= 10)
		width++;
	char slug[LETTER_SLUG + 1];
	if (ev_slug_into(r->name_latin, LETTER_SLUG, slug) < 0)
		return -1;
	snprintf(name, LETTER_REL_CAP - sizeof "letters/", "%0*zu-%s.pdf", width, r->seq, slug);
	return 0;
}

/* ---- the staged CSV files ---- */

static int flush_staged(batch *b, staged *f)
{
	if (f->buf.len && fwrite(f->buf.data, 1, f->buf.len, f->f) != f->buf.len) {
		ev_diag_add(b->d, EV_ERROR, b->stage, 0, 0, NULL, "cannot write "
		            "%s: %s", f->name, strerror(errno));
		return -1;
	}
	ev_buf_reset(&f->buf);
	return 0;
}

/* Written as it grows: a list of 100,000 rows makes 60 MB of manifest. */
static int grown(batch *b, staged *f)
{
	return f->buf.failed ? -1 : f->buf.len >= ((size_t)1 << 20) ? flush_staged(b, f) : 0;
}

static int open_staged(batch *b, staged *f, const char *name)
{
	f->name = name;
	char *path = ev_path_join(b->stage, name);
	f->f = path ? fopen(path, "wbx") : NULL;
	if (!f->f)
		ev_diag_add(b->d, EV_ERROR, path ? path : b->stage, 0, 0, NULL,
		            "cannot create: %s", strerror(errno));
	free(path);
	return f->f ? 0 : -1;
}

static int close_staged(batch *b, staged *f)
{
	int rc = f->f ? flush_staged(b, f) : 0;
	if (f->f && fclose(f->f) != 0 && rc == 0) {
		ev_diag_add(b->d, EV_ERROR, b->stage, 0, 0, NULL, "cannot write %s: %s",
		            f->name, strerror(errno));
		rc = -1;
	}
	f->f = NULL;
	return rc;
}

/* A field of the list in Latin letters by the campaign's latin-places
 * policy (for Click & Drop), in arena a; NULL when out of memory. */
static const char *latin_field(const batch *b, const ev_recipient *r, ev_field f,
                               ev_arena *a)
{
	const ev_template *t = b->in->t;
	char *s = ev_translit_by_lang(ev_scheme_find(t->latin_places.be),
	                              ev_scheme_find(t->latin_places.ru),
	                              r->field[f], r->lang);
	const char *v = s ? ev_arena_strdup(a, s) : NULL;
	free(s);
	return v;
}

/* The piece's row of click-and-drop.csv. */
static int clickdrop_row(batch *b, const ev_recipient *r, const ev_piece *pc)
{
	ev_arena *a = b->letter_arena;
	char line1[512], line2[256];
	const char *street = latin_field(b, r, EV_F_STREET, a);
	const char *building = latin_field(b, r, EV_F_BUILDING, a);
	const char *office = latin_field(b, r, EV_F_OFFICE, a);
	const char *v[] = {latin_field(b, r, EV_F_COURT, a), latin_field(b, r, EV_F_CITY, a),
	                   latin_field(b, r, EV_F_DISTRICT, a), latin_field(b, r, EV_F_REGION, a)};
	if (!street || !building || !office || !v[0] || !v[1] || !v[2] || !v[3])
		return -1;
	snprintf(line1, sizeof line1, "%s%s%s", street, *street && *building ? " " : "",
	         building);
	snprintf(line2, sizeof line2, "%s", office);
	/* The country as the address's last line prints it (in English, in
	 * capitals), in Latin letters. */
	const char *country = r->naddress ? r->address[r->naddress - 1] : "";
	ev_clickdrop_row row = {
		.seq = r->seq, .id = r->id,
		.first_name = r->given_name_latin ? r->given_name_latin : "",
		.last_name = r->surname_latin ? r->surname_latin : "",
		.full_name = r->name_latin ? r->name_latin : "",
		.company = v[0], .line1 = line1, .line2 = line2, .line3 = v[2],
		.city = v[1], .county = v[3], .postcode = r->field[EV_F_POSTCODE],
		.country = country, .weight_ug = pc->weight_ug, .postage = pc->band->price,
		.currency = pc->band->currency, .date = b->in->posting.date,
	};
	return ev_clickdrop_add(&b->clickdrop.buf, &row) < 0 ? -1 : grown(b, &b->clickdrop);
}

static int manifest_row(batch *b, const ev_recipient *r, size_t pages,
                        const char *file, const ev_piece *pc, const char *sha256)
{
	const char **latin = r->naddress ? job_address_latin(b->in, r, b->letter_arena) : NULL;
	if (r->naddress && !latin)
		return -1;
	ev_manifest_row row = {
		.address_latin = latin,
		.seq = r->seq, .id = r->id, .line = r->line,
		.status = r->reason ? "rejected" : r->skipped ? "skipped" : "ok",
		.reason = r->reason ? r->reason : r->skipped ? r->skipped : "",
		.name = r->name ? r->name : "", .name_latin = r->name_latin ? r->name_latin : "",
		.address = (const char *const *)r->address, .naddress = r->naddress,
		.postcode = r->field[EV_F_POSTCODE], .country = r->field[EV_F_COUNTRY],
		.pages = pages, .file = file ? file : "",
		.sheets = pc ? pc->sheets : 0, .weight_ug = pc ? pc->weight_ug : 0,
		.band = pc ? pc->band : NULL, .sha256 = sha256 ? sha256 : "",
		.tracking = sha256 && b->in->ledger ? ev_ledger_tracking(b->in->ledger, sha256) : NULL,
	};
	if (ev_manifest_add(&b->manifest.buf, &row) < 0)
		return -1;
	return grown(b, &b->manifest);
}



/* On a worker: write one letter's file into the staging folder, and keep
 * its pages for the print file. Returns 0, -1, or 1 when the letter cannot
 * be drawn (why in s->refused; nothing written). */
static int write_letter(worker *w, ev_recipient *r, const ev_display *dl,
                        const char *stage_letters, slot *s)
{
	char name[LETTER_REL_CAP], path[PATH_MAX];
	ev_buf *pdf = &w->file;
	ev_pdf_meta meta = {.subject = r->name};
	ev_buf_reset(pdf);
	uint64_t t = ev_timing_start();
	int rc = letter_name(r, w->in->rs->total, name);
	if (rc == 0 && (ev_path_join_into(path, sizeof path, stage_letters, name) < 0 ||
	                ev_path_join_into(s->rel, sizeof s->rel, "letters", name) < 0)) {
		ev_diag_add(&w->d, EV_ERROR, stage_letters, 0, 0, NULL, "the folder's path is "
		            "too long for a letter's file");
		rc = -1;
	}
	if (rc == 0)
		rc = ev_pdf_render(w->pdf, dl, &meta, pdf, &w->d);
	if (rc == 1 && !(s->refused = strdup(ev_pdf_refusal(w->pdf))))
		rc = -1;
	if (rc == 0) {
		/* so a piece can be proved later to be the file on disk, and
		 * the ledger knows a letter made again */
		uint64_t tw = ev_timing_start();
		job_sha256_hex(pdf->data, pdf->len, s->sha256);
		atomic_fetch_add_explicit(&w->in->letter_bytes, pdf->len, memory_order_relaxed);
		rc = ev_write_new(path, pdf->data, pdf->len, &w->d);
		ev_timing_add(EV_PHASE_WRITE, tw);
	}
	if (rc == 0 && !(s->pages = ev_pdf_take_pages(w->pdf)))
		rc = -1;
	if (rc != 0)
		s->rel[0] = '\0';
	ev_timing_add(EV_PHASE_ENCODE, t);
	return rc;
}

/* The second pass, on a worker: each letter laid out again (the same as in
 * the first pass), drawn and written; its slot tells the main thread. */
static void *second_pass(void *arg)
{
	worker *w = arg;
	pool *p = w->pool;
	uint64_t t = ev_timing_start();
	for (size_t i; (i = job_next_row(p)) != SIZE_MAX;) {
		ev_recipient *r = &w->in->rs->items[i];
		slot s = {0};
		int rc = 0;
		if (r->skipped || !job_in_shard(w->job, r->seq)) {
			/* left out, or another shard's: no letter */
		} else if (!r->reason) {
			ev_arena_reset(w->arena);
			ev_display dl;
			ev_display_init(&dl, w->arena);
			uint64_t tl = ev_timing_start();
			const ev_shelved *kept = w->in->kept && r->seq <= SHELF_ROWS
			                         ? w->in->kept[r->seq - 1] : NULL;
			int k = kept ? ev_shelved_unpack(kept, &dl)
			             : job_lay_out_letter(w, r, w->arena, &dl, false);
			ev_timing_add(EV_PHASE_LAYOUT, tl);
			rc = k < 0 ? -1 : k == 0 ? write_letter(w, r, &dl, p->stage_letters, &s) : 0;
		}
		pthread_mutex_lock(&p->mu);
		p->slots[i] = s;
		p->slots[i].done = true;
		p->failed |= rc < 0;
		if (rc < 0)
			atomic_store_explicit(&p->stopped, true, memory_order_relaxed);
		/* the main thread is told only when it waits for this letter (a
		 * wake-up is a system call) or something failed */
		if (p->waiting == i || rc < 0)
			pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		if (rc < 0)
			break;
	}
	ev_timing_add(EV_PHASE_OTHER, t);
	return NULL;
}

/* On the main thread, in the list's order: a letter into the print file
 * (each starting on a front side), the labels and the manifest. */
static int take_letter(batch *b, ev_recipient *r, slot *s)
{
	if (!job_in_shard(b->job, r->seq))
		return 0;   /* another shard's row: not in this one's outputs */
	ev_arena_reset(b->letter_arena);   /* the manifest row's Latin lines */
	if (s->refused) {
		/* The first pass laid this letter out, but it cannot be drawn:
		 * the row is rejected, not the batch. */
		const char *why = ev_arena_printf(b->letter_arena, "the letter cannot be "
		                                  "drawn: %s", s->refused);
		free(s->refused);
		s->refused = NULL;
		if (!why || ev_recipient_reject(b->in->rs, r, NULL, why) < 0)
			return -1;
		ev_diag_add(b->d, EV_ERROR, b->job->recipients, r->line, 0, NULL,
		            "%s; this row is rejected", r->reason);
	}
	if (b->job->on_row)
		b->job->on_row(b->job->on_row_ctx, r);
	if (!s->pages)
		return manifest_row(b, r, 0, NULL, NULL, NULL);
	size_t np = ev_pdf_pages_count(s->pages);
	int rc = 0;
	/* The first pass rejected every letter no band takes, with the same
	 * page count. */
	ev_piece piece = {0};
	char why[400];
	if (b->in->priced &&
	    ev_postage_piece(&b->in->posting, np, &piece, why, sizeof why) != 0) {
		ev_diag_add(b->d, EV_ERROR, b->job->recipients, r->line, 0, NULL,
		            "internal error: the letter has another page count than in "
		            "the first pass: %s", why);
		return -1;
	}
	if (rc == 0 && piece.band)
		rc = ev_totals_add(&b->totals, &piece);
	if (rc == 0 && piece.band && b->clickdrop.f)
		rc = clickdrop_row(b, r, &piece);
	if (rc == 0) {
		piece_out o = {
			.seq = r->seq, .id = r->id, .name = r->name, .name_latin = r->name_latin,
			.address = (const char *const *)r->address, .naddress = r->naddress,
			.pages = s->pages, .piece = piece,
		};
		s->pages = NULL;
		if (b->envelopes && b->in->env_latin &&
		    !(o.address_latin = job_address_latin(b->in, r, b->letter_arena)))
			rc = -1;
		if (rc == 0)
			rc = b->spill ? batch_spill(b, r, &o) : batch_emit(b, &o);
		ev_pdf_pages_free(o.pages);
	}
	if (rc == 0) {
		b->letters++;
		b->pages += np;
		rc = manifest_row(b, r, np, s->rel, piece.band ? &piece : NULL, s->sha256);
	}
	if (rc == 0)
		rc = job_record_piece(b->in, r, s->rel, s->sha256, piece.band ? &piece : NULL,
		                      b->d);
	ev_pdf_pages_free(s->pages);
	*s = (slot){.done = true};
	return rc;
}

/* The second pass: workers make the letters while the main thread takes
 * them in order. */
typedef struct second {
	worker *ws;
	size_t nw;
	pool *p;
	ev_diags *d;
	int rc;
} second;

static void *run_second_pass(void *arg)
{
	second *s = arg;
	s->rc = job_run_workers(s->ws, s->nw, s->p, second_pass, s->d);
	return NULL;
}

/* The letters of the current chunk, made by the workers and taken in
 * order by this thread. */
static int make_chunk(batch *b, worker *ws, size_t nw)
{
	inputs *in = b->in;
	size_t n = in->rs->n;
	pool p = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER,
	          .n = n, .stage_letters = b->stage_letters, .waiting = SIZE_MAX};
	p.slots = calloc(n ? n : 1, sizeof *p.slots);
	if (!p.slots)
		return -1;
	ev_diags wd = {0};
	second run = {.ws = ws, .nw = nw, .p = &p, .d = &wd};
	pthread_t boss;
	if (pthread_create(&boss, NULL, run_second_pass, &run) != 0) {
		free(p.slots);
		ev_diag_add(b->d, EV_ERROR, NULL, 0, 0, NULL, "cannot start a thread");
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t t = ev_timing_start();
		pthread_mutex_lock(&p.mu);
		p.waiting = i;
		while (!p.slots[i].done && !p.failed)
			pthread_cond_wait(&p.cv, &p.mu);
		p.waiting = SIZE_MAX;
		bool ready = p.slots[i].done;
		pthread_mutex_unlock(&p.mu);
		ev_timing_add(EV_PHASE_WAIT, t);
		/* the manifest, the ledger: write; the print outputs in emit */
		t = ev_timing_start();
		if (ready)
			rc = take_letter(b, &in->rs->items[i], &p.slots[i]);
		ev_timing_add(EV_PHASE_WRITE, t);
		if (!ready || rc < 0) {
			job_pool_fail(&p);
			rc = -1;
			break;
		}
		ev_progress_tick(&in->progress, b->letters);
		size_t written = atomic_load_explicit(&in->letter_bytes, memory_order_relaxed);
		if (written - b->flushed >= FLUSH_STEP) {
			ev_flusher_kick(b->flusher);
			b->flushed = written;
		}
	}
	pthread_join(boss, NULL);
	if (run.rc < 0)
		rc = -1;
	for (size_t i = 0; i < n; i++) {
		ev_pdf_pages_free(p.slots[i].pages);
		free(p.slots[i].refused);
	}
	free(p.slots);
	ev_diags_take(b->d, &wd);
	ev_diags_free(&wd);
	job_gather_diags(ws, nw, b->d);
	return rc;
}

/* The second pass over the list, a chunk at a time. */
static int make_letters(batch *b, worker *ws, size_t nw)
{
	inputs *in = b->in;
	job_start_pass(in);
	b->flusher = ev_flusher_start(b->stage);
	long n;
	while ((n = job_next_chunk(in, b->job, b->d)) > 0) {
		if (make_chunk(b, ws, nw) < 0)
			break;
	}
	ev_flusher_stop(b->flusher);
	b->flusher = NULL;
	return n != 0 ? -1 : 0;
}

/* Whether n is NAME.pdf or NAME-NNN.pdf (three digits or more). */
static bool volume_file(const char *n, const char *name)
{
	size_t len = strlen(name);
	if (strncmp(n, name, len))
		return false;
	if (!strcmp(n + len, ".pdf"))
		return true;
	if (n[len] != '-')
		return false;
	size_t k = len + 1;
	while (n[k] >= '0' && n[k] <= '9')
		k++;
	return k >= len + 4 && !strcmp(n + k, ".pdf");
}

/* Remove from dir, with `remove`, each entry whose name `ours` matches. */
static void remove_matching(const char *dir, bool (*ours)(const char *name),
                            int (*remove)(const char *path))
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	for (struct dirent *e; (e = readdir(d));) {
		char *path = ours(e->d_name) ? ev_path_join(dir, e->d_name) : NULL;
		if (path)
			remove(path);
		free(path);
	}
	closedir(d);
}

/* The print and label files: print.pdf, print-NNN.pdf, labels.pdf,
 * labels-NNN.pdf. */
static bool print_file(const char *name)
{
	return volume_file(name, "print") || volume_file(name, "labels") ||
	       volume_file(name, "proof") || volume_file(name, "envelopes");
}

/* The postage outputs, made only when the batch is priced (and the
 * Click & Drop file only when posting from the UK); and shard.json, only
 * when sharded. */
static const char *const postage_files[] = {
	"postage.json", "posting-list.pdf", "click-and-drop.csv", "shard.json",
};

static bool postage_file(const char *name)
{
	for (size_t i = 0; i < sizeof postage_files / sizeof *postage_files; i++)
		if (!strcmp(name, postage_files[i]))
			return true;
	return false;
}

/* A working folder of a run (this one's is made after the stale ones go). */
static bool stage_folder(const char *name)
{
	return !strncmp(name, ".envoi-staging-", 15);
}

/* Move the finished outputs from the staging folder into OUTDIR. The old
 * letters folder is replaced as a whole, so no letter of an earlier run
 * stays behind looking like part of this one. */
static int commit(batch *b)
{
	const char *out = b->job->outdir;
	/* The staging folder's files are written without waiting for the
	 * disk; one sync makes them all durable before any is moved. */
	if (ev_sync_folder(b->stage, b->d) < 0)
		return -1;
	char *old = ev_path_join(b->stage, "previous-letters");
	char *letters = ev_path_join(out, "letters");
	int rc = old && letters ? 0 : -1;
	if (rc == 0 && ev_is_dir(letters) && rename(letters, old) < 0)
		rc = -1;
	if (rc == 0 && rename(b->stage_letters, letters) < 0)
		rc = -1;
	/* Print files of an earlier run go first: a smaller campaign must not
	 * leave print-002.pdf of a larger one looking like part of it. */
	if (rc == 0) {
		remove_matching(out, print_file, unlink);
		remove_matching(out, postage_file, unlink);
	}
	/* manifest.csv, then each volume's labels and print file (neither
	 * when there is no letter; labels.pdf alone when every letter was
	 * refused as it was drawn: label sheets were made, no print file). */
	size_t files = b->volumes ? 1 + 2 * b->volume : b->sheets ? 2 : 1;
	for (size_t i = 0; rc == 0 && i < files; i++) {
		char name[32];
		if (i == 0)
			snprintf(name, sizeof name, "manifest.csv");
		else if (i % 2)
			batch_file_name(b, "labels", (i + 1) / 2, name, sizeof name);
		else
			batch_file_name(b, "print", i / 2, name, sizeof name);
		char *from = ev_path_join(b->stage, name);
		char *to = ev_path_join(out, name);
		if (!from || !to || rename(from, to) < 0)
			rc = -1;
		free(from);
		free(to);
	}
	/* each volume's proof and envelopes, when made */
	for (size_t v = 1; rc == 0 && v <= b->volume; v++)
		for (int k = 0; rc == 0 && k < 2; k++) {
			char name[32];
			batch_file_name(b, k ? "envelopes" : "proof", v, name, sizeof name);
			char *from = ev_path_join(b->stage, name);
			char *to = ev_path_join(out, name);
			if (!from || !to || (ev_is_file(from) && rename(from, to) < 0))
				rc = -1;
			free(from);
			free(to);
		}
	for (size_t i = 0; rc == 0 && i < sizeof postage_files / sizeof *postage_files; i++) {
		char *from = ev_path_join(b->stage, postage_files[i]);
		char *to = ev_path_join(out, postage_files[i]);
		if (!from || !to || (ev_is_file(from) && rename(from, to) < 0))
			rc = -1;
		free(from);
		free(to);
	}
	if (rc < 0)
		ev_diag_add(b->d, EV_ERROR, out, 0, 0, NULL,
		            "cannot move the finished files into place: %s", strerror(errno));
	free(old);
	free(letters);
	return rc;
}

/* The highest folder of path that does not exist yet (path itself, or a
 * parent), or NULL when path exists (or out of memory). */
static char *missing_top(const char *path)
{
	char *top = NULL, *p = ev_is_dir(path) ? NULL : strdup(path);
	while (p && !ev_is_dir(p) && strcmp(p, ".") && strcmp(p, "/")) {
		free(top);
		top = p;
		p = ev_path_dirname(top);
	}
	free(p);
	return top;
}

/* A failed run leaves no folder it made: OUTDIR and the parents made for
 * it, up to b->made, while they are empty (the staging folder gone). */
static void unmake_outdir(batch *b)
{
	if (!b->made)
		return;
	char *p = strdup(b->job->outdir);
	while (p && rmdir(p) == 0 && strcmp(p, b->made)) {
		char *up = ev_path_dirname(p);
		free(p);
		p = up;
	}
	free(p);
}

static int start_batch(batch *b)
{
	const char *out = b->job->outdir;
	b->metrics = b->in->metrics;
	if ((b->widths = ev_width_memo_new(&b->in->metrics))) {
		if (b->in->widths)
			ev_width_memo_share(b->widths, b->in->widths);
		b->metrics = ev_width_memo_metrics(b->widths);
	}
	/* Working folders an earlier run left when it was stopped (killed, or
	 * its list cut short under it) hold unfinished letters; the folder is
	 * locked, so no running batch's is touched. */
	remove_matching(out, stage_folder, ev_remove_tree);
	b->stage = ev_path_join(out, ".envoi-staging-XXXXXX");
	if (!b->stage || !mkdtemp(b->stage)) {
		ev_diag_add(b->d, EV_ERROR, out, 0, 0, NULL,
		            "cannot create a working folder: %s", strerror(errno));
		free(b->stage);
		b->stage = NULL;
		return -1;
	}
	b->stage_letters = ev_path_join(b->stage, "letters");
	b->letter_arena = ev_arena_new();
	if (!b->stage_letters || !b->letter_arena || batch_start_labels(b) < 0 ||
	    ev_mkdir_p(b->stage_letters, b->d) < 0 ||
	    ev_manifest_header(&b->manifest.buf) < 0 ||
	    open_staged(b, &b->manifest, "manifest.csv") < 0)
		return -1;
	/* Royal Mail's import file, for letters posted from the UK */
	if (b->in->priced && !strcmp(b->in->tariff.country, "GB") &&
	    (ev_clickdrop_header(&b->clickdrop.buf) < 0 ||
	     open_staged(b, &b->clickdrop, "click-and-drop.csv") < 0))
		return -1;
	size_t rows, rejected;
	job_shard_counts(b->in, b->job, &rows, &rejected);
	size_t letters = b->to_make = rows - rejected - b->in->skipped;
	b->volumes = letters <= VOLUME_LETTERS ? (letters > 0)
	           : (letters + VOLUME_LETTERS - 1) / VOLUME_LETTERS;
	if (b->volumes == 1 && batch_begin_labels(b) < 0)
		return -1;
	if (b->in->priced && batch_start_posting_list(b) < 0)
		return -1;
	/* No letter, no print file; the manifest still says why. */
	if (!letters)
		return 0;
	b->print = ev_pdf_new(&b->in->embed, &b->in->fs, b->d);
	/* the proof draws the letters' own pages: the letters' fonts */
	b->proof = ev_pdf_new(&b->in->embed, &b->in->fs, b->d);
	b->proof_arena = ev_arena_new();
	if (b->in->envelopes && !(b->envelopes = ev_pdf_new(&b->in->env_embed, &b->in->fs, b->d)))
		return -1;
	if (b->job->order_postcode) {
		char *path = ev_path_join(b->stage, "presort");
		b->spill = path ? fopen(path, "w+bx") : NULL;
		free(path);
		if (!b->spill) {
			ev_diag_add(b->d, EV_ERROR, b->stage, 0, 0, NULL, "cannot create the "
			            "presorting file: %s", strerror(errno));
			return -1;
		}
	}
	return b->print && b->proof && b->proof_arena ? batch_open_volume(b) : -1;
}

/* postage.json: the sums per band and overall. */
static int write_postage(batch *b)
{
	const inputs *in = b->in;
	ev_totals_about about = {
		.posting = &in->posting, .posting_date = in->posting_date,
		.skipped = in->skipped,
	};
	job_shard_counts(in, b->job, &about.rows, &about.rejected);
	ev_buf json = {0};
	char *path = ev_path_join(b->stage, "postage.json");
	int rc = path && ev_totals_json(&json, &b->totals, &about) == 0 ? 0 : -1;
	if (rc == 0)
		rc = ev_write_new(path, json.data, json.len, b->d);
	free(path);
	ev_buf_free(&json);
	return rc;
}

static int finish_batch(batch *b)
{
	/* Every letter refused when it was drawn: no print file after all
	 * (only the first volume is opened before a letter comes for it). */
	if (b->volumes && b->in_volume == 0)
		b->volumes = b->volume = 0;
	int rc = b->volumes > 1 ? 0 : batch_finish_labels(b);
	if (rc == 0 && b->volumes)
		rc = batch_close_volume(b);
	if (close_staged(b, &b->manifest) < 0 || close_staged(b, &b->clickdrop) < 0)
		rc = -1;
	if (rc == 0 && b->in->priced)
		rc = write_postage(b);
	if (rc == 0 && b->plist)
		rc = batch_finish_posting_list(b);
	if (rc == 0)
		rc = job_write_shard(b->in, b->job, b->stage, b->d);
	uint64_t t = ev_timing_start();
	if (rc == 0)
		rc = commit(b);
	ev_timing_add(EV_PHASE_WRITE, t);
	return rc;
}

/* Everything the batch holds; when it `failed`, also the folders it made. */
static void batch_free(batch *b, bool failed)
{
	if (b->stage)
		ev_remove_tree(b->stage);
	if (failed)
		unmake_outdir(b);
	if (b->lock >= 0)
		close(b->lock);   /* lets the folder go */
	free(b->made);
	free(b->stage);
	free(b->stage_letters);
	staged *files[] = {&b->manifest, &b->clickdrop};
	for (size_t i = 0; i < 2; i++) {
		if (files[i]->f)
			fclose(files[i]->f);
		ev_buf_free(&files[i]->buf);
	}
	ev_totals_free(&b->totals);
	ev_posting_list_free(b->plist);
	ev_pdf_free(b->plist_pdf);
	ev_arena_free(b->plist_arena);
	ev_arena_free(b->letter_arena);
	ev_arena_free(b->label_arena);
	ev_pdf_free(b->print);
	ev_width_memo_free(b->widths);
	for (size_t i = 0; i < b->nproof; i++)
		ev_pdf_pages_free(b->proof_pages[i]);
	ev_pdf_free(b->proof);
	ev_pdf_free(b->envelopes);
	if (b->spill)
		fclose(b->spill);
	for (size_t i = 0; i < b->nspilled; i++)
		free(b->spilled[i].key);
	free(b->spilled);
	ev_buf_free(&b->rec);
	ev_arena_free(b->sort_arena);
	ev_arena_free(b->proof_arena);
	ev_pdf_free(b->labels);
	free(b->blocks);
	free(b->nlines);
}

/* How loose the justified text got, so a person can judge the worst case
 * without opening 413 files. Numbers by integer code, not the locale. */
static void justification_summary(const inputs *in, FILE *err)
{
	long w = (long)(in->worst.worst_space * 100.0 + 0.5);
	if (in->worst_index == SIZE_MAX || in->worst.worst_space <= 1.0)
		fprintf(err, "envoi: justified with natural word spaces throughout");
	else
		fprintf(err, "envoi: justified; the widest word space is %ld.%02ld "
		        "times the natural one (id %s, page %zu)", w / 100, w % 100,
		        in->worst_id, in->worst.worst_page);
	fprintf(err, "; %zu %s in a hyphen", in->hyphens,
	        ev_plural(in->hyphens, "line ends", "lines end"));
	if (in->ragged)
		fprintf(err, "; %zu %s within 1.5 times the natural space and %s "
		        "set ragged", in->ragged,
		        ev_plural(in->ragged, "line could not be justified",
		                  "lines could not be justified"),
		        ev_plural(in->ragged, "is", "are"));
	fputc('\n', err);
}

/* The postage, per band and in total, or why there is none. */
static void postage_summary(const batch *b, FILE *err)
{
	const inputs *in = b->in;
	if (!in->priced) {
		fprintf(err, "envoi: no postage: %s\n", in->unpriced ? in->unpriced : "");
		return;
	}
	const ev_posting *p = &in->posting;
	char w[32], m[32];
	ev_weight_format(b->totals.all.weight_ug, w, sizeof w);
	ev_money_format(b->totals.all.postage, m, sizeof m);
	fprintf(err, "envoi: postage, %s, posted from %s on %s, %s (%s, %d g/m², %s, "
	        "%s): %zu %s, %s g, %s %s\n", p->tariff->operator_name, p->tariff->country,
	        in->posting_date, ev_service_names[p->service], p->tariff->path,
	        p->paper_gsm, p->duplex ? "duplex" : "simplex", p->envelope->name,
	        b->totals.all.pieces, ev_plural(b->totals.all.pieces, "piece", "pieces"),
	        w, m, p->tariff->nbands ? p->tariff->bands[0].currency : "");
	ev_buf t = {0};
	if (ev_totals_text(&t, &b->totals, "envoi:   ") == 0 && t.len)
		fwrite(t.data, 1, t.len, err);
	ev_buf_free(&t);
	fprintf(err, "envoi: posting list %s (%zu %s) in posting-list.pdf, postage.json%s "
	        "written\n", b->plist_number, ev_posting_list_pages(b->plist),
	        ev_plural(ev_posting_list_pages(b->plist), "page", "pages"), b->clickdrop.name ?
	        ", click-and-drop.csv (Royal Mail Click & Drop import)" : "");
}

/* What was done to the list on the way in, in one or two lines. */
static void list_summary(const inputs *in, const ev_job *job, FILE *err)
{
	if (in->list.encoding != EV_ENC_UTF8)
		fprintf(err, "envoi: %s was read as %s (%s)\n", job->recipients,
		        ev_encoding_name(in->list.encoding), in->list.how);
	if (in->rs->repaired || in->rs->duplicates)
		fprintf(err, "envoi: %zu %s values repaired (look-alike letters, "
		        "apostrophes, spacing) and %zu %s; 'envoi check %s' lists each\n",
		        in->rs->repaired, ev_plural(in->rs->repaired, "row had", "rows had"),
		        in->rs->duplicates,
		        ev_plural(in->rs->duplicates, "was a duplicate", "were duplicates"),
		        job->recipients);
}

int job_run_batch(inputs *in, const ev_job *job, ev_diags *d, FILE *err)
{
	batch b = {.in = in, .job = job, .d = d, .err = err, .lock = -1};
	size_t nw = job_thread_count(job);
	worker *ws = calloc(nw, sizeof *ws);
	/* the first pass's letters kept for the second */
	in->shelf = ev_shelf_new(SHELF_BYTES);
	in->kept = calloc(SHELF_ROWS, sizeof *in->kept);
	int rc = ws && in->shelf && in->kept ? 0 : -1;
	if (rc == 0)
		rc = job_shard_refuse_ledger(in, job, d);
	/* The output folder is this run's from the start: a second batch into
	 * it is refused at once, not after its first pass. */
	if (rc == 0)
		b.made = missing_top(job->outdir);
	if (rc == 0 && (ev_mkdir_p(job->outdir, d) < 0 ||
	                (b.lock = ev_lock_folder(job->outdir, d)) < 0))
		rc = -1;
	if (rc == 0)
		rc = job_open_ledger(in, job, d);
	ev_progress_start(&in->progress, err, !job->quiet, "rows checked and laid out", 0);
	/* The list's first chunk while the fonts load, then the fonts. */
	uint64_t tf = ev_timing_start();
	if (rc == 0 && job_read_first_chunk(in, job, d) < 0)
		rc = -1;
	if (rc == 0 && job_await_fonts(in, d) < 0)
		rc = -1;
	ev_timing_add(EV_PHASE_READ, tf);
	for (size_t i = 0; rc == 0 && i < nw; i++)
		rc = job_worker_init(&ws[i], in, job, d);
	if (rc == 0)
		rc = job_prepare_fonts(in, job, ws, nw, true, d, err);
	ev_progress_end(&in->progress);
	if (rc == 0)
		rc = start_batch(&b);
	ev_progress_start(&in->progress, err, !job->quiet, "letters made", b.to_make);
	if (rc == 0)
		rc = make_letters(&b, ws, nw);
	ev_progress_end(&in->progress);
	if (rc == 0 && b.spill)
		rc = batch_emit_sorted(&b);
	uint64_t t = ev_timing_start();
	if (rc == 0)
		rc = finish_batch(&b);
	ev_timing_add(EV_PHASE_ENCODE, t);
	/* The ledger records the run only once its files are in place: a
	 * run it has is one whose letters exist. */
	bool recorded = false;
	t = ev_timing_start();
	if (rc == 0 && in->ledger) {
		if (ev_ledger_commit(in->ledger, d) < 0)
			ev_diag_add(d, EV_ERROR, in->ledger_path, 0, 0, NULL, "the letters were "
			            "made in %s, but the ledger could not record them; run the "
			            "batch again to record them", job->outdir);
		else
			recorded = true;
	}
	ev_timing_add(EV_PHASE_WRITE, t);
	for (size_t i = 0; ws && i < nw; i++)
		job_worker_free(&ws[i]);
	free(ws);
	job_print_diags(err, d);
	if (rc < 0)
		fprintf(err, "envoi: nothing was written\n");
	if (rc == 0 && (!job->quiet || in->rs->rejected))
		list_summary(in, job, err);
	char volumes[256];
	bool labels = b.volumes || b.sheets;
	if (!labels)
		snprintf(volumes, sizeof volumes, "no print file and no labels (no letter "
		         "was made);");
	else if (b.volumes == 0)
		snprintf(volumes, sizeof volumes, "no print file, labels.pdf");
	else if (b.volumes == 1)
		snprintf(volumes, sizeof volumes, "print.pdf, proof.pdf (%zu %s)%s, labels.pdf",
		         b.proof_sheets, ev_plural(b.proof_sheets, "page", "pages"),
		         b.envelopes ? ", envelopes.pdf" : "");
	else
		snprintf(volumes, sizeof volumes, "print-001.pdf to print-%03zu.pdf, "
		         "proof-001.pdf to proof-%03zu.pdf%s, labels-001.pdf to "
		         "labels-%03zu.pdf", b.volume, b.volume,
		         b.envelopes ? ", envelopes-NNN.pdf" : "", b.volume);
	char sheet[160] = "L7163", sheets[220] = "";
	if (in->sheet)
		ev_label_name(in->sheet, sheet, sizeof sheet);
	if (labels)
		snprintf(sheets, sizeof sheets, " (%zu %s of %s) and", b.sheets,
		         ev_plural(b.sheets, "sheet", "sheets"), sheet);
	size_t rows, rejected;   /* the shard's, when sharded */
	job_shard_counts(in, job, &rows, &rejected);
	if (rc == 0 && (!job->quiet || rejected))
		fprintf(err, "envoi: %zu of %zu %s %s (%zu %s) in %s/letters; "
		        "%zu rejected (see manifest.csv); %s%s manifest.csv written\n",
		        b.letters, rows, ev_plural(rows, "row", "rows"),
		        ev_plural(b.letters, "made a letter", "made letters"),
		        b.pages, ev_plural(b.pages, "page", "pages"), job->outdir,
		        rejected, volumes, sheets);
	if (rc == 0)
		job_shard_summary(in, job, err);
	if (rc == 0 && in->skipped)
		fprintf(err, "envoi: %zu %s left out by %s (the ledger %s); each is in "
		        "manifest.csv as skipped, with the run it was sent in\n", in->skipped,
		        ev_plural(in->skipped, "row was", "rows were"),
		        job->skip_sent ? "--skip-sent" : "--only-sent", in->ledger_path);
	if (recorded && !job->quiet)
		fprintf(err, "envoi: recorded as run %ld in the ledger %s (%zu %s)\n",
		        in->run_number, in->ledger_path, b.letters,
		        ev_plural(b.letters, "piece", "pieces"));
	if (rc == 0 && !job->quiet && b.letters)
		justification_summary(in, err);
	if (rc == 0 && !job->quiet)
		postage_summary(&b, err);
	batch_free(&b, rc < 0);
	if (rc < 0 || (in->ledger && !recorded))
		return EV_EXIT_UNUSABLE;
	return rejected ? EV_EXIT_REJECTED : EV_EXIT_OK;
}

/* --timings: the table, on err. */
static void print_timings(FILE *err, size_t letters)
{
	ev_timings_report r;
	ev_buf t = {0};
	ev_timings_collect(&r, letters);
	if (ev_timings_format(&t, &r, "envoi: ") == 0)
		fwrite(t.data, 1, t.len, err);
	ev_buf_free(&t);
}

int ev_job_run(const ev_job *job, FILE *err)
{
	if (job->kind == EV_JOB_CHECK)
		return job_run_check(job, err);
	ev_diags d = {0};
	inputs in = {0};
	int status;
	if (job->timings)
		ev_timings_enable();
	uint64_t run = ev_timing_start(), t = ev_timing_start();
	in.defer_fonts = job->kind == EV_JOB_BATCH;   /* job_run_batch waits */
	int read = job_read_inputs(&in, job, &d);
	ev_timing_add(EV_PHASE_READ, t);
	if (read < 0) {
		if (!d.errors)
			ev_diag_add(&d, EV_ERROR, NULL, 0, 0, NULL, "out of memory");
		job_print_diags(err, &d);
		fprintf(err, "envoi: nothing was written\n");
		status = EV_EXIT_UNUSABLE;
	} else {
		job_print_diags(err, &d);
		status = job->kind == EV_JOB_BATCH ? job_run_batch(&in, job, &d, err)
		                                   : job_run_preview(&in, job, &d, err);
	}
	ev_diags_free(&d);
	/* the letters made: the batch's, or the preview's one */
	size_t letters = !in.rs || status == EV_EXIT_UNUSABLE ? 0
	               : job->kind == EV_JOB_PREVIEW ? status == EV_EXIT_OK
	               : in.rs->total - in.rs->rejected - in.skipped;
	job_inputs_free(&in);
	ev_timing_add(EV_PHASE_OTHER, run);
	if (job->timings)
		print_timings(err, letters);
	return status;
}
