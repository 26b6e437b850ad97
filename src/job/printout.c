/* printout.c - a batch's print outputs, as the letters come in print
 * order (batchrun.h): each letter's pages into the print volume with a
 * bookmark (a blank back when duplex), its envelope, its label onto the
 * sheet being filled, its first page onto the proof sheet and its line
 * onto the posting list; each written to its file as pages fill. */
#include "batchrun.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

static int add_label(batch *b, const char *const *address, size_t n);
static int posting_line(batch *b, const piece_out *r, const ev_piece *pc);

/* ---- the print outputs, in print order ---- */

/* The proof sheet being filled onto a page of proof.pdf, and its letters'
 * pages let go (a form is made of each when the page is drawn). */
static int flush_proof(batch *b)
{
	if (!b->proof || (b->nproof == 0 && b->proof_sheets > 0))
		return 0;
	const ev_preset *pr = b->in->t->preset;
	ev_proof_window win = {pr->field_x, pr->field_top, pr->field_w,
	                       pr->field_bottom - pr->field_top};
	ev_display dl;
	ev_display_init(&dl, b->proof_arena);   /* after the captions' names */
	uint64_t t = ev_timing_start();
	int rc = ev_layout_proof(b->proof_items, b->nproof, &win, ev_paper_default(),
	                         &b->metrics, &dl);
	ev_timing_add(EV_PHASE_LAYOUT, t);
	if (rc == 0 && dl.npages == 0)
		rc = ev_display_add_page(&dl, EV_MM(210.0), EV_MM(297.0)) ? 0 : -1;
	if (rc == 0)
		rc = ev_pdf_add(b->proof, &dl, b->d);
	b->proof_sheets += dl.npages;
	for (size_t i = 0; i < b->nproof; i++) {
		ev_pdf_pages_free(b->proof_pages[i]);
		b->proof_pages[i] = NULL;
	}
	b->nproof = 0;
	ev_arena_reset(b->proof_arena);
	return rc;
}

static int add_proof(batch *b, piece_out *o)
{
	const ev_paper *paper = b->in->t->paper;
	const char *name = ev_arena_strdup(b->proof_arena, o->name ? o->name : "");
	if (!name)
		return -1;
	b->proof_pages[b->nproof] = o->pages;
	b->proof_items[b->nproof++] = (ev_proof_item){
		.pages = o->pages, .index = 0, .page_w = EV_MM(paper->w),
		.page_h = EV_MM(paper->h), .seq = o->seq, .name = name,
	};
	o->pages = NULL;
	return b->nproof == EV_PROOF_PER_PAGE ? flush_proof(b) : 0;
}

/* One letter into the print file (starting on a front side when duplex,
 * with its outline entry), its label, its line of the posting list and
 * its cell of the proof sheet. */
int batch_emit(batch *b, piece_out *o)
{
	uint64_t t = ev_timing_start();
	size_t np = ev_pdf_pages_count(o->pages);
	int rc = 0;
	if (b->in_volume == VOLUME_LETTERS && b->volume < b->volumes)
		rc = batch_close_volume(b) < 0 ? -1 : batch_open_volume(b);
	if (rc == 0)
		rc = ev_pdf_add_pages(b->print, o->pages, b->d);
	if (rc == 0) {
		/* the bookmark: the number, the name in Latin and in Cyrillic */
		char title[600];
		int width = 4;
		for (size_t n = b->in->rs->total; n >= 10000; n /= 10)
			width++;
		snprintf(title, sizeof title, "%0*zu %s / %s", width, o->seq,
		         o->name_latin ? o->name_latin : "", o->name ? o->name : "");
		rc = ev_pdf_outline(b->print, title, b->volume_pages, b->d);
	}
	b->in_volume++;
	b->volume_pages += np;
	if (rc == 0 && np % 2 && b->in->duplex) {
		const ev_paper *paper = b->in->t->paper;
		ev_display blank;
		ev_display_init(&blank, b->letter_arena);
		rc = ev_display_add_page(&blank, EV_MM(paper->w), EV_MM(paper->h))
		         ? ev_pdf_add(b->print, &blank, b->d) : -1;
		b->volume_pages++;
	}
	/* (before the label: a full sheet of labels resets letter_arena,
	 * where the Latin lines are) */
	if (rc == 0 && b->envelopes) {
		job_envelope_t e;
		job_envelope(b->in, o->address, o->address_latin, o->naddress, &e);
		ev_display dl;
		ev_display_init(&dl, b->letter_arena);
		const char *why = NULL;
		uint64_t tl = ev_timing_start();
		int k = ev_layout_envelope(&e.in, &b->metrics, &dl, &why);
		ev_timing_add(EV_PHASE_LAYOUT, tl);
		if (k == 1)
			ev_diag_add(b->d, EV_ERROR, b->job->recipients, 0, 0, NULL, "internal "
			            "error: the envelope of letter %zu does not fit after all: %s",
			            o->seq, why ? why : "");
		rc = k == 0 ? ev_pdf_add(b->envelopes, &dl, b->d) : -1;
	}
	if (rc == 0)
		rc = add_label(b, o->address, o->naddress);
	if (rc == 0 && o->piece.band && b->plist)
		rc = posting_line(b, o, &o->piece);
	if (rc == 0 && b->proof)
		rc = add_proof(b, o);
	ev_pdf_pages_free(o->pages);
	o->pages = NULL;
	ev_timing_add(EV_PHASE_ENCODE, t);
	return rc;
}

/* ---- label sheets ---- */

/* Lay out and draw the blocks waiting for a sheet (at least one sheet: a
 * label file is never without a page; a batch of no letter makes none). */
static int flush_labels(batch *b)
{
	const ev_label_sheet *sheet = b->sheet;
	ev_display dl;
	ev_arena_reset(b->letter_arena);
	ev_display_init(&dl, b->letter_arena);
	uint64_t t = ev_timing_start();
	int rc = ev_layout_labels(sheet, &b->place, b->skip, b->blocks, b->nlines, b->nblocks,
	                          &b->metrics, &dl);
	ev_timing_add(EV_PHASE_LAYOUT, t);
	if (rc == 0 && dl.npages == 0)
		rc = ev_display_add_page(&dl, EV_MM(sheet->paper_w), EV_MM(sheet->paper_h)) ? 0 : -1;
	if (rc == 0)
		rc = ev_pdf_add(b->labels, &dl, b->d);
	b->sheets += dl.npages;
	b->volume_sheets += dl.npages;
	b->nblocks = 0;
	b->skip = 0;
	ev_arena_reset(b->label_arena);
	ev_arena_reset(b->letter_arena);
	return rc;
}

/* The recipient's address block onto the sheet being filled (copied: the
 * row is gone before the sheet is full). */
static int add_label(batch *b, const char *const *address, size_t n)
{
	const char **lines = ev_arena_alloc(b->label_arena, (n + 1) * sizeof *lines);
	for (size_t i = 0; lines && i < n; i++)
		if (!(lines[i] = ev_arena_strdup(b->label_arena, address[i])))
			return -1;
	if (!lines)
		return -1;
	b->blocks[b->nblocks] = lines;
	b->nlines[b->nblocks++] = n;
	return b->skip + b->nblocks == b->per_sheet ? flush_labels(b) : 0;
}

/* The sheet was found, and --first checked against it, with the inputs
 * (job_read_labels), so the first pass rejected the addresses it cannot
 * hold. */
int batch_start_labels(batch *b)
{
	const ev_job *job = b->job;
	b->sheet = b->in->sheet;
	b->per_sheet = ev_label_count(b->sheet);
	b->place = (ev_label_place){.first = job->first, .dx = job->offset_x,
	                            .dy = job->offset_y};
	b->skip = job->first > 1 ? job->first - 1 : 0;
	b->blocks = calloc(b->per_sheet, sizeof *b->blocks);
	b->nlines = calloc(b->per_sheet, sizeof *b->nlines);
	b->label_arena = ev_arena_new();
	if (!b->blocks || !b->nlines || !b->label_arena ||
	    !(b->labels = ev_pdf_new(&b->in->embed, &b->in->fs, b->d)))
		return -1;
	return 0;
}

/* A label file: the campaign's, or the next volume's. */
int batch_begin_labels(batch *b)
{
	char title[64] = "Address labels";
	if (b->volumes > 1)
		snprintf(title, sizeof title, "Address labels for print file %zu of %zu",
		         b->volume, b->volumes);
	ev_pdf_meta meta = {.title = title, .subject = b->sheet->id};
	b->volume_sheets = 0;
	/* Written as its sheets come. */
	char name[32];
	batch_file_name(b, "labels", b->volume, name, sizeof name);
	char *path = ev_path_join(b->stage, name);
	int rc = path ? ev_pdf_begin_file(b->labels, path, &meta, b->d) : -1;
	free(path);
	b->labels_open = rc == 0;
	return rc;
}

int batch_finish_labels(batch *b)
{
	if (!b->labels_open)
		return 0;
	b->labels_open = false;
	if ((b->nblocks || b->volume_sheets == 0) && flush_labels(b) < 0)
		return -1;
	char name[32];
	batch_file_name(b, "labels", b->volume, name, sizeof name);
	char *path = ev_path_join(b->stage, name);
	int rc = path ? ev_pdf_end_file(b->labels, path, b->d) : -1;
	free(path);
	return rc;
}

/* "print.pdf" or "labels.pdf" for a campaign of one volume (or none),
 * else "print-001.pdf" ... for each volume. */
void batch_file_name(const batch *b, const char *what, size_t volume, char *name,
                     size_t cap)
{
	if (b->volumes <= 1)
		snprintf(name, cap, "%s.pdf", what);
	else
		snprintf(name, cap, "%s-%03zu.pdf", what, volume);
}

/* The volume's file of `what` (print, proof), written as its pages come:
 * its letters' pages, copied or drawn reduced. */
static int begin_volume_file(batch *b, ev_pdf *pdf, const char *what,
                             const ev_pdf_meta *meta)
{
	char name[32];
	batch_file_name(b, what, b->volume, name, sizeof name);
	char *path = ev_path_join(b->stage, name);
	int rc = path ? ev_pdf_begin_file(pdf, path, meta, b->d) : -1;
	free(path);
	return rc;
}

int batch_open_volume(batch *b)
{
	char title[96];
	b->volume++;
	b->in_volume = 0;
	if (b->volumes == 1)
		snprintf(title, sizeof title, "Print file: all letters, each starting on a new sheet");
	else
		snprintf(title, sizeof title, "Print file %zu of %zu: letters %zu-%zu, each "
		         "starting on a new sheet", b->volume, b->volumes,
		         (b->volume - 1) * VOLUME_LETTERS + 1,
		         b->volume * VOLUME_LETTERS < b->to_make ? b->volume * VOLUME_LETTERS
		                                                 : b->to_make);
	ev_pdf_meta meta = {.title = title};
	if (b->volumes > 1 && batch_begin_labels(b) < 0)
		return -1;
	b->volume_pages = 0;
	if (b->envelopes) {
		char etitle[96];
		snprintf(etitle, sizeof etitle, "%s envelopes%s", b->in->envelopes,
		         b->volumes > 1 ? " for one print file" : "");
		ev_pdf_meta em = {.title = etitle};
		/* libharu's, made whole for a volume: an optional output, off
		 * the letters' path. */
		if (ev_pdf_begin(b->envelopes, &em, b->d) < 0)
			return -1;
	}
	if (b->proof) {
		char ptitle[96] = "Proof: the first page of every letter";
		if (b->volumes > 1)
			snprintf(ptitle, sizeof ptitle, "Proof of print file %zu of %zu",
			         b->volume, b->volumes);
		ev_pdf_meta pm = {.title = ptitle};
		b->proof_sheets = 0;
		if (begin_volume_file(b, b->proof, "proof", &pm) < 0)
			return -1;
	}
	return begin_volume_file(b, b->print, "print", &meta);
}

/* The volume's print file, and its label sheets when the campaign has
 * several volumes (the labels of each volume's letters, so memory holds
 * one volume's sheets at most, and each pile of letters has its own). */
int batch_close_volume(batch *b)
{
	char name[32];
	batch_file_name(b, "print", b->volume, name, sizeof name);
	char *path = ev_path_join(b->stage, name);
	int rc = path ? ev_pdf_end_file(b->print, path, b->d) : -1;
	free(path);
	if (rc == 0 && b->volumes > 1)
		rc = batch_finish_labels(b);
	if (rc == 0 && b->envelopes) {
		batch_file_name(b, "envelopes", b->volume, name, sizeof name);
		char *ep = ev_path_join(b->stage, name);
		rc = ep ? ev_pdf_end_file(b->envelopes, ep, b->d) : -1;
		free(ep);
	}
	if (rc == 0 && b->proof) {
		batch_file_name(b, "proof", b->volume, name, sizeof name);
		char *pp = ev_path_join(b->stage, name);
		rc = pp && flush_proof(b) == 0 ? ev_pdf_end_file(b->proof, pp, b->d) : -1;
		free(pp);
	}
	return rc;
}

/* ---- the posting list ---- */

/* Draw the page the posting list laid out into dl, and forget it. */
static int posting_page(batch *b, ev_display *dl)
{
	int rc = ev_pdf_add(b->plist_pdf, dl, b->d);
	ev_arena_reset(b->plist_arena);
	ev_display_init(dl, b->plist_arena);
	return rc;
}

static int posting_line(batch *b, const piece_out *r, const ev_piece *pc)
{
	const char *id = job_listed_text(&b->metrics, r->id, b->letter_arena);
	const char *latin = job_listed_text(&b->metrics, r->name_latin, b->letter_arena);
	ev_posting_line line = {
		.seq = r->seq, .id = id, .name = r->name, .name_latin = latin,
		.country = r->naddress ? r->address[r->naddress - 1] : "",
		.weight_ug = pc->weight_ug, .band = pc->band->name,
		.service = pc->band->service, .postage = pc->band->price,
	};
	ev_display dl;
	ev_display_init(&dl, b->plist_arena);
	uint64_t t = ev_timing_start();
	int k = id && latin ? ev_posting_list_add(b->plist, &line, &dl) : -1;
	ev_timing_add(EV_PHASE_LAYOUT, t);
	return k < 0 ? -1 : k == 1 ? posting_page(b, &dl) : 0;
}

/* The posting list's number: the posting date and the first digits of the
 * SHA-256 of the letter and the list, so the same inputs give the same
 * number and another campaign's list another one. */
static void posting_number(const inputs *in, char *out, size_t cap)
{
	const char *h = in->posting_sha256;
	const char *d = in->posting_date;
	snprintf(out, cap, "%.4s%.2s%.2s-%.6s", d, d + 5, d + 8, h);
}

int batch_start_posting_list(batch *b)
{
	const inputs *in = b->in;
	const ev_template *t = in->t;
	posting_number(in, b->plist_number, sizeof b->plist_number);
	job_posting_date_text(in, b->plist_date, sizeof b->plist_date);
	ev_posting_head h = {
		.lang = in->tariff.lang, .sender = t->sender, .nsender = t->nsender,
		.date = b->plist_date, .number = b->plist_number,
		.operator_name = in->tariff.operator_name,
		.currency = in->tariff.nbands ? in->tariff.bands[0].currency : "",
		.pieces = b->to_make,
		.page_w = EV_MM(t->paper->w), .page_h = EV_MM(t->paper->h),
	};
	bool de = !strcmp(in->tariff.lang, "de");
	ev_pdf_meta meta = {.title = de ? "Einlieferungsliste" : "Posting list",
	                    .subject = in->tariff.operator_name};
	if (!(b->plist_arena = ev_arena_new()) ||
	    !(b->plist = ev_posting_list_new(&h, &b->metrics)) ||
	    !(b->plist_pdf = ev_pdf_new(&b->in->plist_embed, &b->in->fs, b->d)))
		return -1;
	/* Written as its pages come: a page of lines for every 25 letters
	 * would otherwise stay in memory to the end. */
	char *path = ev_path_join(b->stage, "posting-list.pdf");
	int rc = path ? ev_pdf_begin_file(b->plist_pdf, path, &meta, b->d) : -1;
	free(path);
	return rc;
}

int batch_finish_posting_list(batch *b)
{
	ev_display dl;
	ev_display_init(&dl, b->plist_arena);
	char *path = ev_path_join(b->stage, "posting-list.pdf");
	int rc = path && ev_posting_list_finish(b->plist, &dl) == 0 ? posting_page(b, &dl) : -1;
	if (rc == 0)
		rc = ev_pdf_end_file(b->plist_pdf, path, b->d);
	free(path);
	return rc;
}

