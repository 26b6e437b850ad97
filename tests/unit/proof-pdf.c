/* proof-pdf.c - the PDF side of the proof sheet, the outline and spilled
 * pages, in PT Serif with subsets made as a batch makes them. Five letters
 * of two A4 pages are drawn and kept; then written into OUT_DIR:
 *   proof-5.pdf    the five letters' proof sheet (one page);
 *   proof-413.pdf  413 cells of the sample list's judges (each showing one
 *                  of the five letters), laid out and drawn a page at a
 *                  time as a batch would: 35 pages, five forms in all;
 *   cells.tsv      where each cell of both put the letter and its caption;
 *   print.pdf      the five letters' pages added 413 times over, with an
 *                  outline entry per recipient ("0001 Latin / Cyrillic");
 *   outline.tsv    each entry's title and page (from 1);
 *   print-loaded.pdf, proof-413-loaded.pdf  the same from the pages saved
 *                  with ev_pdf_pages_save and read back with _load.
 * It checks in-process: the loaded pages give byte-identical PDFs; every
 * truncation and every byte changed of a record, a record of other fonts
 * and records with impossible counts are refused (NULL); a page drawing
 * forms is neither saved nor added; misuse of forms and the outline is an
 * error, not a crash. tests/e2e/proof-pdf.sh reads the files back with
 * poppler, qpdf and Ghostscript.
 *
 * usage: proof-pdf JUDGES.csv FONT_DIR OUT_DIR */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "arena.h"
#include "casefile.h"
#include "diag.h"
#include "display.h"
#include "embed.h"
#include "font.h"
#include "page.h"
#include "pdf.h"
#include "proof.h"
#include "translit.h"

#define A4_W EV_MM(210.0)
#define A4_H EV_MM(297.0)
#define LETTERS 5
#define RECIPIENTS 413

static int failures;

static void fail(const char *what)
{
	fprintf(stderr, "proof-pdf: FAIL: %s\n", what);
	failures++;
}

static void print_diags(const ev_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		ev_diag_print(stderr, &d->items[i]);
}

/* ---- the judges ---- */

typedef struct judge {
	char name[200], *latin;
} judge;

static judge judges[RECIPIENTS];

/* The surname, given name and patronymic of the first RECIPIENTS records
 * (never quoted in the sample list) and the language (the last field). */
static int read_judges(const char *path)
{
	char *csv = ev_case_read_file(path, NULL);
	if (!csv)
		return -1;
	char *line = strchr(csv, '\n');
	size_t n = 0;
	while (line && line[1] && n < RECIPIENTS) {
		char *start = line + 1;
		line = strchr(start, '\n');
		if (line)
			*line = '\0';
		char *f[4], *s = start;
		for (int k = 0; k < 4; k++) {
			f[k] = s;
			if (!(s = strchr(s, ',')))
				return free(csv), -1;
			*s++ = '\0';
		}
		char *lang = strrchr(s, ',');
		judge *j = &judges[n++];
		snprintf(j->name, sizeof j->name, "%s %s %s", f[1], f[2], f[3]);
		if (!(j->latin = ev_latin(j->name, ev_lang_parse(lang ? lang + 1 : ""))))
			return free(csv), -1;
	}
	free(csv);
	return n == RECIPIENTS ? 0 : -1;
}

/* ---- fonts ---- */

static const char *const pt_files[EV_FACE_COUNT] = {
	"PTF55F.ttf", "PTF75F.ttf", "PTF56F.ttf", "PTF76F.ttf"
};

typedef struct fonts {
	char *data[EV_FACE_COUNT];
	ev_font *font[EV_FACE_COUNT];
	ev_fontset fs;
} fonts;

static int load_fonts(fonts *F, const char *dir)
{
	memset(F, 0, sizeof *F);
	for (int f = 0; f < EV_FACE_COUNT; f++) {
		char path[1024], why[200];
		size_t len;
		snprintf(path, sizeof path, "%s/%s", dir, pt_files[f]);
		F->data[f] = ev_case_read_file(path, &len);
		F->font[f] = F->data[f] ? ev_font_new(F->data[f], len, why, sizeof why) : NULL;
		if (!F->font[f]) {
			fprintf(stderr, "proof-pdf: %s: cannot load\n", path);
			return -1;
		}
		F->fs.face[f] = F->font[f];
	}
	return 0;
}

static void free_fonts(fonts *F)
{
	for (int f = 0; f < EV_FACE_COUNT; f++) {
		ev_font_free(F->font[f]);
		free(F->data[f]);
	}
}

/* ---- the letters ---- */

/* The envelope window of din5008-b (85 x 45 mm at 20, 45 mm). */
static const ev_proof_window window = {20, 45, 85, 45};

static void text(ev_display *dl, ev_page *pg, double x, double y, ev_face face,
                 double size, const char *s)
{
	if (ev_display_text(dl, pg, x, y, face, size, s, strlen(s)) < 0) {
		fputs("proof-pdf: out of memory\n", stderr);
		exit(1);
	}
}

/* Letter k: its marker words ("LETTERk", and "PAGETWOk" on its second
 * page) tell the letters apart when read back; keep them in step with
 * tests/e2e/proof-pdf.sh. */
static int build_letter(ev_display *dl, int k)
{
	char s[200];
	ev_page *pg = ev_display_add_page(dl, A4_W, A4_H);
	if (!pg)
		return -1;
	text(dl, pg, EV_MM(20), EV_MM(20), EV_FACE_BOLD, 14, "Libereco – Partnership for Human Rights");
	text(dl, pg, EV_MM(22), EV_MM(52), EV_FACE_REGULAR, 10, judges[k].name);
	text(dl, pg, EV_MM(22), EV_MM(57), EV_FACE_REGULAR, 10, "Суд Лепельскага раёна");
	text(dl, pg, EV_MM(22), EV_MM(62), EV_FACE_REGULAR, 10, "211118 Лепель");
	snprintf(s, sizeof s, "Шаноўны суддзя! LETTER%d — ліст нумар %d.", k, k);
	text(dl, pg, EV_MM(25), EV_MM(110), EV_FACE_REGULAR, 11, s);
	text(dl, pg, EV_MM(25), EV_MM(120), EV_FACE_ITALIC, 11, "«Цытата» — № 42, п’еса, сям’я.");
	if (ev_display_line(dl, pg, EV_MM(5), EV_MM(105), EV_MM(10), EV_MM(105), 0.5) < 0 ||
	    ev_display_rect(dl, pg, EV_MM(20), EV_MM(45), EV_MM(85), EV_MM(45), 0.3) < 0)
		return -1;
	if (!(pg = ev_display_add_page(dl, A4_W, A4_H)))
		return -1;
	snprintf(s, sizeof s, "PAGETWO%d З павагай, Аляксей", k);
	text(dl, pg, EV_MM(25), EV_MM(40), EV_FACE_BOLD_ITALIC, 11, s);
	return 0;
}

/* ---- the run ---- */

typedef struct run {
	fonts F;
	ev_embed embed, other;     /* other: subsets of other characters */
	ev_pdf *pdf;
	ev_arena *arena;
	ev_display letters[LETTERS];
	ev_pdf_pages *pages[LETTERS], *loaded[LETTERS];
	const char *dir;
	FILE *cells;
} run;

static char *path_in(const run *r, const char *name)
{
	static char path[4096];
	snprintf(path, sizeof path, "%s/%s", r->dir, name);
	return path;
}

/* The subsets: the letters, the names and ev_proof_chars (as a batch
 * would collect them); `other` from the letters alone. */
static int make_fonts(run *r, ev_diags *d)
{
	ev_charset *cs = ev_charset_new(), *few = ev_charset_new();
	int rc = cs && few ? 0 : -1;
	for (int k = 0; rc == 0 && k < LETTERS; k++)
		rc = ev_charset_add(cs, &r->F.fs, &r->letters[k], d);
	for (int k = 0; rc == 0 && k < 1; k++)
		rc = ev_charset_add(few, &r->F.fs, &r->letters[k], d);
	const char *chars = ev_proof_chars();
	if (rc == 0)
		rc = ev_charset_add_text(cs, &r->F.fs, EV_FACE_REGULAR, chars, strlen(chars), d);
	for (size_t i = 0; rc == 0 && i < RECIPIENTS; i++)
		rc = ev_charset_add_text(cs, &r->F.fs, EV_FACE_REGULAR, judges[i].name,
		                         strlen(judges[i].name), d);
	if (rc == 0)
		rc = ev_embed_make(&r->embed, &r->F.fs, cs, d);
	if (rc == 0)
		rc = ev_embed_make(&r->other, &r->F.fs, few, d);
	if (rc == 0 && !(r->pdf = ev_pdf_new(&r->embed, &r->F.fs, d)))
		rc = -1;
	ev_charset_free(cs);
	ev_charset_free(few);
	return rc;
}

static int write_file(const char *path, const ev_buf *b)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t n = fwrite(b->data, 1, b->len, f);
	return (fclose(f) == 0 && n == b->len) ? 0 : -1;
}

static bool same(const ev_buf *a, const ev_buf *b)
{
	return a->len == b->len && !memcmp(a->data, b->data, a->len);
}

/* Where each cell of the sheet put its letter and caption, for the e2e
 * test: "FILE PAGE LETTER X0 Y0 X1 Y1 CAPTION_Y SIZE CAPTION" (points,
 * from the top-left corner), tab-separated. */
static void note_cells(run *r, const char *file, const ev_display *dl,
                       size_t first_page, const ev_proof_item *items)
{
	size_t cell = 0;
	for (size_t p = 0; p < dl->npages; p++) {
		const ev_page *pg = &dl->pages[p];
		const ev_item *form = NULL;
		for (size_t i = 0; i < pg->n; i++) {
			const ev_item *it = &pg->items[i];
			if (it->kind == EV_ITEM_FORM)
				form = it;
			if (it->kind != EV_ITEM_TEXT || !form)
				continue;
			int letter = -1;
			for (int k = 0; k < LETTERS; k++)
				if (items[cell].pages == r->pages[k] || items[cell].pages == r->loaded[k])
					letter = k;
			fprintf(r->cells, "%s\t%zu\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.1f\t%.*s\n",
			        file, first_page + p + 1, letter, form->x, form->y,
			        form->x + form->x2, form->y + form->y2, it->y, it->size,
			        (int)it->len, it->text);
			form = NULL;
			cell++;
		}
	}
}

/* The proof sheet of `count` items into path, laid out and drawn a page
 * at a time; its bytes in out. */
static int write_proof(run *r, const char *name, ev_pdf_pages *const *pages,
                       size_t count, ev_buf *out, bool note)
{
	ev_diags d = {0};
	ev_proof_item items[EV_PROOF_PER_PAGE];
	ev_metrics m = ev_fontset_metrics(&r->F.fs);
	ev_pdf_meta meta = {.title = "Proof sheet", .author = "envoi test"};
	int rc = ev_pdf_begin(r->pdf, &meta, &d);
	for (size_t i = 0; rc == 0 && i < count; i += EV_PROOF_PER_PAGE) {
		size_t n = count - i < EV_PROOF_PER_PAGE ? count - i : EV_PROOF_PER_PAGE;
		for (size_t k = 0; k < n; k++)
			items[k] = (ev_proof_item){.pages = pages[(i + k) % LETTERS], .index = 0,
			                           .page_w = A4_W, .page_h = A4_H, .seq = i + k + 1,
			                           .name = judges[i + k].name};
		ev_display dl;
		ev_arena_reset(r->arena);
		ev_display_init(&dl, r->arena);
		rc = ev_layout_proof(items, n, &window, NULL, &m, &dl);
		if (rc == 0)
			rc = ev_pdf_add(r->pdf, &dl, &d);
		if (rc == 0 && note)
			note_cells(r, name, &dl, i / EV_PROOF_PER_PAGE, items);
	}
	ev_buf_reset(out);
	if (rc == 0)
		rc = ev_pdf_end(r->pdf, out, &d);
	if (rc == 0)
		rc = write_file(path_in(r, name), out);
	if (rc < 0)
		fprintf(stderr, "proof-pdf: cannot make %s\n", name);
	print_diags(&d);
	ev_diags_free(&d);
	return rc;
}

/* The print file: each recipient's letter (one of the five, in turn) and
 * an outline entry for its first page. */
static int write_print(run *r, const char *name, ev_pdf_pages *const *pages,
                       ev_buf *out, FILE *titles)
{
	ev_diags d = {0};
	int rc = ev_pdf_begin(r->pdf, NULL, &d);
	size_t page = 0;
	ev_buf title = {0};
	for (size_t i = 0; rc == 0 && i < RECIPIENTS; i++) {
		ev_buf_reset(&title);
		ev_buf_printf(&title, "%04zu %s / %s", i + 1, judges[i].latin, judges[i].name);
		rc = title.failed ? -1 : ev_pdf_add_pages(r->pdf, pages[i % LETTERS], &d);
		if (rc == 0)
			rc = ev_pdf_outline(r->pdf, title.data, page, &d);
		if (rc == 0 && titles)
			fprintf(titles, "%s\t%zu\n", title.data, page + 1);
		page += ev_pdf_pages_count(pages[i % LETTERS]);
	}
	ev_buf_free(&title);
	ev_buf_reset(out);
	if (rc == 0)
		rc = ev_pdf_end(r->pdf, out, &d);
	if (rc == 0)
		rc = write_file(path_in(r, name), out);
	if (rc < 0)
		fprintf(stderr, "proof-pdf: cannot make %s\n", name);
	print_diags(&d);
	ev_diags_free(&d);
	return rc;
}

/* ---- records refused ---- */

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* The record with its CRC made right again after a change. */
static void reseal(unsigned char *b, size_t len)
{
	put_be32(b + len - 4, (uint32_t)crc32(0, b, (uInt)(len - 4)));
}

/* Where the page count is: after the magic, version, slot count, and
 * each slot's name. */
static size_t count_at(const unsigned char *b)
{
	size_t at = 6;
	for (int s = 0; s < EV_EMBED_SLOTS; s++)
		at += 1 + b[at];
	return at;
}

static void test_bad_records(run *r, const ev_buf *rec)
{
	unsigned char *b = malloc(rec->len);
	if (!b) {
		fail("out of memory");
		return;
	}
	size_t refused = 0, tries = 0;
	for (size_t n = 0; n < rec->len; n++, tries++) {
		ev_pdf_pages *pg = ev_pdf_pages_load(&r->embed, NULL, rec->data, n);
		refused += pg == NULL;
		ev_pdf_pages_free(pg);
	}
	for (size_t i = 0; i < rec->len; i++, tries++) {
		memcpy(b, rec->data, rec->len);
		b[i] ^= 0x5A;
		ev_pdf_pages *pg = ev_pdf_pages_load(&r->embed, NULL, b, rec->len);
		refused += pg == NULL;
		ev_pdf_pages_free(pg);
	}
	if (refused != tries)
		fail("a truncated or changed record was read");
	/* Right CRCs, wrong numbers: pages past the end, a page length past
	 * the end, a page of no size, a font slot the record names none for. */
	size_t at = count_at((const unsigned char *)rec->data);
	struct { size_t off; uint32_t v; int bytes; const char *what; } bad[] = {
		{at, 0xFFFFFFFFu, 4, "a page count past the end"},
		{at, 3, 4, "a page count larger than the pages"},
		{at, 1, 4, "a page count smaller than the pages"},
		{at + 4 + 16 + 2, 0x7FFFFFFFu, 4, "a content length past the end"},
		{at + 4, 0, 4, "a page width of 0"},
		{at + 4 + 16, 0xFFFF, 2, "fonts of slots not named"},
		{4, 1, 1, "version 1 (before shared content)"},
		{5, 4, 1, "other slots"},
	};
	for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
		memcpy(b, rec->data, rec->len);
		unsigned char v[4];
		put_be32(v, bad[k].v);
		memcpy(b + bad[k].off, v + 4 - bad[k].bytes, (size_t)bad[k].bytes);
		reseal(b, rec->len);
		ev_pdf_pages *pg = ev_pdf_pages_load(&r->embed, NULL, b, rec->len);
		if (pg) {
			fprintf(stderr, "proof-pdf: FAIL: a record with %s was read\n", bad[k].what);
			failures++;
		}
		ev_pdf_pages_free(pg);
	}
	if (ev_pdf_pages_load(&r->other, NULL, rec->data, rec->len))
		fail("a record was read with other fonts");
	if (ev_pdf_pages_load(&r->embed, NULL, NULL, 0) || ev_pdf_pages_load(&r->embed, NULL, "", 0))
		fail("an empty record was read");
	free(b);
}

/* ---- misuse ---- */

static bool has_error(const ev_diags *d, const char *needle)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->items[i].severity == EV_ERROR && strstr(d->items[i].message, needle))
			return true;
	return false;
}

static void test_misuse(run *r)
{
	ev_diags d = {0};
	ev_buf out = {0};
	if (ev_pdf_outline(r->pdf, "x", 0, &d) == 0 || !has_error(&d, "without"))
		fail("an outline entry without a document was accepted");
	/* Entries for pages not (yet) there, and bad titles, leave the
	 * document open. */
	ev_diags_clear(&d);
	if (ev_pdf_begin(r->pdf, NULL, &d) < 0 || ev_pdf_add_pages(r->pdf, r->pages[0], &d) < 0)
		fail("begin, add pages");
	if (ev_pdf_outline(r->pdf, "page 3", 2, &d) == 0 || !has_error(&d, "page 3 of a document of 2"))
		fail("an outline entry for a page not there was accepted");
	if (ev_pdf_outline(r->pdf, "bad \xFF", 0, &d) == 0 || !has_error(&d, "invalid UTF-8"))
		fail("an outline title of invalid UTF-8 was accepted");
	if (ev_pdf_outline(r->pdf, "astral \xF0\x9F\x98\x80", 0, &d) == 0 ||
	    !has_error(&d, "Basic Multilingual Plane"))
		fail("an outline title past the BMP was accepted");
	ev_diags_clear(&d);
	if (ev_pdf_outline(r->pdf, "Ёрш (1)\\", 1, &d) < 0 || ev_pdf_end(r->pdf, &out, &d) < 0)
		fail("the document after refused outline entries");
	print_diags(&d);

	/* A form of a page not kept, of no size, of pages of other fonts. */
	ev_display dl;
	ev_arena_reset(r->arena);
	ev_display_init(&dl, r->arena);
	ev_page *pg = ev_display_add_page(&dl, A4_W, A4_H);
	ev_diags_clear(&d);
	if (!pg || ev_display_form(&dl, pg, 10, 10, 100, 140, r->pages[0], 2) < 0 ||
	    ev_pdf_render(r->pdf, &dl, NULL, &out, &d) != -1 || !has_error(&d, "not kept"))
		fail("a form of a page not kept was drawn");
	pg->n = 0;
	ev_diags_clear(&d);
	if (ev_display_form(&dl, pg, 10, 10, 0, 140, r->pages[0], 0) < 0 ||
	    ev_pdf_render(r->pdf, &dl, NULL, &out, &d) != -1 || !has_error(&d, "no size"))
		fail("a form of no size was drawn");

	/* The proof's own pages draw forms: they are not to be reused. */
	pg->n = 0;
	ev_diags_clear(&d);
	ev_buf_reset(&out);
	ev_pdf_pages *proof = NULL;
	if (ev_display_form(&dl, pg, 10, 10, 100, 140, r->pages[1], 0) < 0 ||
	    ev_pdf_render(r->pdf, &dl, NULL, &out, &d) < 0 || !(proof = ev_pdf_take_pages(r->pdf)))
		fail("a page with a form");
	ev_buf rec = {0};
	if (proof && ev_pdf_pages_save(proof, &rec) == 0)
		fail("a page drawing forms was saved");
	if (proof && (ev_pdf_begin(r->pdf, NULL, &d) < 0 ||
	              ev_pdf_add_pages(r->pdf, proof, &d) == 0 || !has_error(&d, "draws forms")))
		fail("a page drawing forms was added");
	ev_pdf_pages_free(proof);
	ev_buf_free(&rec);
	ev_buf_free(&out);
	ev_diags_free(&d);
}

/* A record freed and another made (likely at the same address) during one
 * document: each cell shows its own letter, which the e2e test reads
 * (cells of "reuse.pdf"). */
static void test_address_reuse(run *r, const ev_buf *rec0, const ev_buf *rec1)
{
	ev_diags d = {0};
	ev_buf out = {0};
	ev_metrics m = ev_fontset_metrics(&r->F.fs);
	ev_pdf_pages *a = ev_pdf_pages_load(&r->embed, NULL, rec0->data, rec0->len);
	ev_proof_item it = {.pages = a, .page_w = A4_W, .page_h = A4_H, .seq = 1,
	                    .name = judges[0].name};
	ev_display dl;
	ev_arena_reset(r->arena);
	ev_display_init(&dl, r->arena);
	int rc = a && ev_pdf_begin(r->pdf, NULL, &d) == 0 &&
	         ev_layout_proof(&it, 1, &window, NULL, &m, &dl) == 0 &&
	         ev_pdf_add(r->pdf, &dl, &d) == 0 ? 0 : -1;
	const void *was = a;
	ev_pdf_pages_free(a);
	ev_pdf_pages *b = ev_pdf_pages_load(&r->embed, NULL, rec1->data, rec1->len);
	it = (ev_proof_item){.pages = b, .page_w = A4_W, .page_h = A4_H, .seq = 2,
	                     .name = judges[1].name};
	ev_arena_reset(r->arena);
	ev_display_init(&dl, r->arena);
	if (rc == 0 && b && ev_layout_proof(&it, 1, &window, NULL, &m, &dl) == 0 &&
	    ev_pdf_add(r->pdf, &dl, &d) == 0 && ev_pdf_end(r->pdf, &out, &d) == 0 &&
	    write_file(path_in(r, "reuse.pdf"), &out) == 0)
		printf("proof-pdf: the second record %s the first's address\n",
		       (const void *)b == was ? "took" : "did not take");
	else
		fail("reuse.pdf");
	ev_pdf_pages_free(b);
	print_diags(&d);
	ev_diags_free(&d);
	ev_buf_free(&out);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fputs("usage: proof-pdf JUDGES.csv FONT_DIR OUT_DIR\n", stderr);
		return 2;
	}
	run r = {.dir = argv[3]};
	ev_diags d = {0};
	ev_buf out = {0}, again = {0}, recs[LETTERS] = {{0}};
	FILE *titles = NULL;
	int rc = 1;
	if (read_judges(argv[1]) < 0) {
		fprintf(stderr, "proof-pdf: %s: cannot read\n", argv[1]);
		return 1;
	}
	if (!(r.arena = ev_arena_new()) || load_fonts(&r.F, argv[2]) < 0)
		goto done;
	for (int k = 0; k < LETTERS; k++) {
		ev_display_init(&r.letters[k], r.arena);
		if (build_letter(&r.letters[k], k) < 0)
			goto done;
	}
	if (make_fonts(&r, &d) < 0)
		goto done;
	/* The letters drawn and kept; the letters' display lists live in the
	 * arena, which the sheets reuse from here on. */
	for (int k = 0; k < LETTERS; k++) {
		ev_buf_reset(&out);
		if (ev_pdf_render(r.pdf, &r.letters[k], NULL, &out, &d) != 0 ||
		    !(r.pages[k] = ev_pdf_take_pages(r.pdf)) || ev_pdf_pages_count(r.pages[k]) != 2)
			goto done;
		if (ev_pdf_pages_save(r.pages[k], &recs[k]) < 0 ||
		    !(r.loaded[k] = ev_pdf_pages_load(&r.embed, NULL, recs[k].data, recs[k].len)))
			goto done;
		/* Saving what was loaded gives the same record. */
		ev_buf_reset(&again);
		if (ev_pdf_pages_save(r.loaded[k], &again) < 0 || !same(&recs[k], &again))
			fail("a loaded record saved again differs");
	}
	if (!(r.cells = fopen(path_in(&r, "cells.tsv"), "w")))
		goto done;
	if (write_proof(&r, "proof-5.pdf", r.pages, LETTERS, &out, true) < 0 ||
	    write_proof(&r, "proof-413.pdf", r.pages, RECIPIENTS, &out, true) < 0 ||
	    write_proof(&r, "proof-413-loaded.pdf", r.loaded, RECIPIENTS, &again, false) < 0)
		goto done;
	if (!same(&out, &again))
		fail("the proof sheet from loaded pages differs");
	if (!(titles = fopen(path_in(&r, "outline.tsv"), "w")) ||
	    write_print(&r, "print.pdf", r.pages, &out, titles) < 0 ||
	    write_print(&r, "print-loaded.pdf", r.loaded, &again, NULL) < 0)
		goto done;
	if (!same(&out, &again))
		fail("the print file from loaded pages differs");
	test_bad_records(&r, &recs[0]);
	test_misuse(&r);
	test_address_reuse(&r, &recs[0], &recs[1]);
	rc = failures ? 1 : 0;
done:
	if (rc && !failures)
		fputs("proof-pdf: failed\n", stderr);
	print_diags(&d);
	ev_diags_free(&d);
	if (r.cells && fclose(r.cells) != 0)
		rc = 1;
	if (titles && fclose(titles) != 0)
		rc = 1;
	for (int k = 0; k < LETTERS; k++) {
		ev_pdf_pages_free(r.pages[k]);
		ev_pdf_pages_free(r.loaded[k]);
		ev_buf_free(&recs[k]);
	}
	ev_buf_free(&out);
	ev_buf_free(&again);
	ev_pdf_free(r.pdf);
	ev_embed_free(&r.embed);
	ev_embed_free(&r.other);
	free_fonts(&r.F);
	ev_arena_free(r.arena);
	for (size_t i = 0; i < RECIPIENTS; i++)
		free(judges[i].latin);
	if (rc == 0)
		printf("proof-pdf: ok\n");
	return rc;
}
