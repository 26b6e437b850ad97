/* test-pdf.c - unit test of the PDF writer: renders a 2-page A4 letter with
 * Cyrillic and Latin text in four faces through the batch font subsets,
 * checks the output is deterministic across reused documents, that
 * incremental documents and refusals work, and writes the PDF for
 * tests/e2e/test-pdf.sh to inspect with poppler, qpdf and Ghostscript; then
 * the same with DejaVu Serif as the fallback font: the letter unchanged,
 * and a second PDF whose characters PT Serif lacks come from DejaVu, with
 * the word positions layout measured, for the e2e test to compare.
 *
 * usage: test-pdf OUT.pdf FONT_DIR FALLBACK_OUT.pdf POSITIONS_OUT.txt
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "casefile.h"
#include "diag.h"
#include "display.h"
#include "embed.h"
#include "font.h"
#include "metrics.h"
#include "pdf.h"
#include "store.h"

#define A4_W 595.2756
#define A4_H 841.8898

static int failures;

static void fail(const char *what)
{
	fprintf(stderr, "test-pdf: FAIL: %s\n", what);
	failures++;
}

static void print_diags(const ev_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		ev_diag_print(stderr, &d->items[i]);
}

/* Add one text line; the test aborts on out of memory. */
static void text(ev_display *dl, ev_page *pg, double y, ev_face face,
                 double size, const char *s)
{
	if (ev_display_text(dl, pg, EV_MM(25), y, face, size, s, strlen(s)) < 0) {
		fputs("test-pdf: out of memory\n", stderr);
		exit(1);
	}
}

/* The letter the e2e test reads back; keep it in step with the expected
 * text in tests/e2e/test-pdf.sh. */
static int build_letter(ev_display *dl)
{
	ev_page *pg = ev_display_add_page(dl, A4_W, A4_H);
	if (!pg)
		return -1;
	text(dl, pg, 100, EV_FACE_BOLD, 14, "Шаноўны спадар Ўладзімір Ёрш!");
	text(dl, pg, 130, EV_FACE_REGULAR, 11,
	     "Беларуская: і ў Ў ё, п’еса, сям’я, Мінск.");
	text(dl, pg, 150, EV_FACE_REGULAR, 11,
	     "Русский: съёмка, объявление, Щёлково.");
	text(dl, pg, 170, EV_FACE_ITALIC, 11, "«Цытата» — № 42");
	if (ev_display_line(dl, pg, EV_MM(25), 190, A4_W - EV_MM(25), 190, 0.5) < 0
	    || ev_display_rect(dl, pg, EV_MM(25), 210, 200, 60, 1) < 0)
		return -1;
	text(dl, pg, 235, EV_FACE_REGULAR, 11, "Herrn Jürgen Müller");
	text(dl, pg, 255, EV_FACE_REGULAR, 11, "Łukasz Wiśniewski, İstanbul");
	pg = ev_display_add_page(dl, A4_W, A4_H);
	if (!pg)
		return -1;
	text(dl, pg, 100, EV_FACE_BOLD, 11, "Östgruppen AB");
	text(dl, pg, 120, EV_FACE_BOLD_ITALIC, 11, "З павагай, Аляксей");
	text(dl, pg, 140, EV_FACE_REGULAR, 11, "");
	text(dl, pg, 160, EV_FACE_REGULAR, 9, "№ 7 «Ўсё» — канец.");
	/* Over 100 distinct characters in one font: the ToUnicode CMap then
	 * needs more than one bfchar block. */
	text(dl, pg, 180, EV_FACE_REGULAR, 9,
	     "АБВГДЕЁЖЗИЙКЛМНОПРСТУЎФХЦЧШЩЪЫЬЭЮЯІ абвгдеёжзийклмнопрстуўфхцчшщъыьэюяі");
	text(dl, pg, 195, EV_FACE_REGULAR, 9,
	     "ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789");
	return 0;
}

/* The fallback letter; keep it in step with tests/e2e/test-pdf.sh, which
 * reads it back (the justified line at y 200 word by word). */
static const char spaced[] = "Jiřǎ ǯẽ Kovačević ẽnd";
#define SPACED_EXTRA 6.0

static int build_fallback_letter(ev_display *dl)
{
	ev_page *pg = ev_display_add_page(dl, A4_W, A4_H);
	if (!pg)
		return -1;
	text(dl, pg, 100, EV_FACE_REGULAR, 11, "Dear Jiřǎ Kovačević, ǯ and ẽ");
	text(dl, pg, 120, EV_FACE_BOLD, 11, "Bold ǎ");
	text(dl, pg, 140, EV_FACE_ITALIC, 11, "Italic ǯ");
	text(dl, pg, 160, EV_FACE_BOLD_ITALIC, 11, "Both ẽ");
	text(dl, pg, 180, EV_FACE_REGULAR, 11, "Georgian ქართული, Armenian Հայերեն");
	return ev_display_text_spaced(dl, pg, EV_MM(25), 200, EV_FACE_REGULAR, 11,
	                              spaced, strlen(spaced), SPACED_EXTRA);
}

/* ---- fonts ---- */

typedef struct fonts {
	char *data[2][EV_FACE_COUNT];
	ev_font *font[2][EV_FACE_COUNT];
	ev_fontset fs;
	ev_embed embed;
	ev_pdf *pdf;
} fonts;

static const char *const pt_files[EV_FACE_COUNT] = {
	"PTF55F.ttf", "PTF75F.ttf", "PTF56F.ttf", "PTF76F.ttf"
};
static const char *const dejavu_files[EV_FACE_COUNT] = {
	"DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf",
	"DejaVuSerif-BoldItalic.ttf"
};

static void close_fonts(fonts *F)
{
	ev_pdf_free(F->pdf);
	ev_embed_free(&F->embed);
	for (int w = 0; w < 2; w++)
		for (int f = 0; f < EV_FACE_COUNT; f++) {
			ev_font_free(F->font[w][f]);
			free(F->data[w][f]);
		}
	memset(F, 0, sizeof *F);
}

/* Load a font set, collect what the display lists draw, make the subsets
 * and a writer. Returns 0, -1 (reported). */
static int open_fonts(fonts *F, const char *dir, const char *const files[],
                      const char *const fallback[], const ev_display *const *dls,
                      size_t ndls)
{
	memset(F, 0, sizeof *F);
	for (int w = 0; w < 2; w++)
		for (int f = 0; f < EV_FACE_COUNT; f++) {
			const char *name = w ? (fallback ? fallback[f] : NULL) : files[f];
			char path[1024], why[200];
			size_t len;
			if (!name)
				continue;
			snprintf(path, sizeof path, "%s/%s", dir, name);
			F->data[w][f] = ev_case_read_file(path, &len);
			F->font[w][f] = F->data[w][f] ? ev_font_new(F->data[w][f], len, why, sizeof why) : NULL;
			if (!F->font[w][f]) {
				fprintf(stderr, "test-pdf: %s: cannot load\n", path);
				return -1;
			}
			if (w)
				F->fs.fallback[f] = F->font[w][f];
			else
				F->fs.face[f] = F->font[w][f];
		}
	ev_diags d = {0};
	ev_charset *cs = ev_charset_new();
	int rc = cs ? 0 : -1;
	for (size_t i = 0; rc == 0 && i < ndls; i++)
		rc = ev_charset_add(cs, &F->fs, dls[i], &d);
	if (rc == 0)
		rc = ev_embed_make(&F->embed, &F->fs, cs, &d);
	if (rc == 0 && !(F->pdf = ev_pdf_new(&F->embed, &F->fs, &d)))
		rc = -1;
	ev_charset_free(cs);
	print_diags(&d);
	ev_diags_free(&d);
	return rc;
}

/* ---- rendering ---- */

/* The metadata of the test documents (non-ASCII on purpose). */
static const ev_pdf_meta test_meta = {.title = "Ліст", .author = "Ўладзімір Ёрш",
                                      .subject = "Test"};

static int render(ev_pdf *p, const ev_display *dl, ev_buf *out)
{
	ev_diags d = {0};
	int rc = ev_pdf_render(p, dl, &test_meta, out, &d);
	print_diags(&d);
	ev_diags_free(&d);
	return rc;
}

static bool has_diag(const ev_diags *d, const char *needle)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->items[i].severity == EV_ERROR
		    && strstr(d->items[i].message, needle))
			return true;
	return false;
}

/* One text item that must be refused with a message containing `needle`:
 * as the letter's fault (ev_pdf_render 1, the reason in ev_pdf_refusal)
 * when `letter`, else as an error in d. Either way the writer stays
 * usable: the next document is made. */
static void expect_refused(ev_pdf *p, ev_arena *a, ev_face face, const char *s,
                           size_t len, bool letter, const char *needle)
{
	ev_display dl;
	ev_buf out = {0};
	ev_diags d = {0};
	ev_display_init(&dl, a);
	ev_page *pg = ev_display_add_page(&dl, A4_W, A4_H);
	if (!pg || ev_display_text(&dl, pg, 50, 50, face, 11, s, len) < 0) {
		fail("out of memory");
		return;
	}
	int rc = ev_pdf_render(p, &dl, NULL, &out, &d);
	const char *why = letter ? ev_pdf_refusal(p) : "";
	if (rc == 0 || out.len != 0)
		fail("text with an undrawable character was rendered");
	else if (rc != (letter ? 1 : -1) || (letter && d.n)) {
		fprintf(stderr, "test-pdf: FAIL: '%s' gave %d, not %d\n", needle, rc,
		        letter ? 1 : -1);
		failures++;
	} else if (letter ? !strstr(why, needle) : !has_diag(&d, needle)) {
		print_diags(&d);
		fprintf(stderr, "test-pdf: FAIL: no %s mentioning '%s' (%s)\n",
		        letter ? "refusal" : "diagnostic", needle, why);
		failures++;
	}
	ev_diags_free(&d);
	ev_buf_free(&out);
	/* The writer goes on: a drawable page (in the face every subset
	 * here has) after the refusal. */
	ev_display_init(&dl, a);
	pg = ev_display_add_page(&dl, A4_W, A4_H);
	if (!pg ||
	    ev_display_text(&dl, pg, 50, 50, EV_FACE_REGULAR, 11, "Жук",
	                    strlen("Жук")) < 0 ||
	    ev_pdf_render(p, &dl, NULL, &out, &d) != 0 || out.len == 0)
		fprintf(stderr, "test-pdf: FAIL: the writer did not go on after "
		        "refusing %s\n", needle), failures++;
	ev_diags_free(&d);
	ev_buf_free(&out);
}

static void test_refusals(ev_pdf *p, ev_arena *a)
{
	expect_refused(p, a, EV_FACE_REGULAR, "Пекін 中", strlen("Пекін 中"), true,
	               "U+4E2D");
	expect_refused(p, a, EV_FACE_BOLD, "Ёрш \xF0\x9F\x98\x80",
	               strlen("Ёрш \xF0\x9F\x98\x80"), true, "U+1F600");
	expect_refused(p, a, EV_FACE_ITALIC, "M\xC3\xBCll\xFF" "er", 8, false,
	               "invalid UTF-8");
	expect_refused(p, a, EV_FACE_REGULAR, "trunc \xE2\x82", 8, false,
	               "invalid UTF-8");
	expect_refused(p, a, EV_FACE_REGULAR, "nul\0byte", 8, true, "U+0000");
	/* Invisible characters: HarfBuzz would draw the space glyph, which the
	 * subset need not have (a batch once stopped at U+202E for this). */
	expect_refused(p, a, EV_FACE_REGULAR, "A\xE2\x80\xAE" "B", 5, true, "U+202E");
	expect_refused(p, a, EV_FACE_REGULAR, "\xE2\x80\x8B", 3, true, "U+200B");
	/* In a font, but not in the batch's subset: the first pass missed it. */
	expect_refused(p, a, EV_FACE_REGULAR, "Ж§", strlen("Ж§"), true, "subset");
}

static void compare(const ev_buf *a, const ev_buf *b, const char *what)
{
	if (a->len != b->len || memcmp(a->data, b->data, a->len) != 0)
		fail(what);
}

/* Count page objects; libharu writes them uncompressed. */
static int count_pages(const ev_buf *b)
{
	int n = 0;
	for (size_t i = 0; i + 12 <= b->len; i++)
		if (!memcmp(b->data + i, "/Type /Page", 11) && b->data[i + 11] != 's')
			n++;
	return n;
}

/* begin + several adds + end appends pages in order; misuse and libharu's
 * own errors are reported, not crashed on. */
static void test_incremental(ev_pdf *p, const ev_display *letter,
                             const ev_display *one)
{
	ev_diags d = {0};
	ev_buf out = {0};
	ev_arena *a = ev_arena_new();
	ev_display tiny;
	if (ev_pdf_add(p, one, &d) == 0 || !has_diag(&d, "without"))
		fail("ev_pdf_add without ev_pdf_begin was accepted");
	if (ev_pdf_begin(p, NULL, &d) < 0 || ev_pdf_add(p, letter, &d) < 0
	    || ev_pdf_add(p, one, &d) < 0 || ev_pdf_end(p, &out, &d) < 0)
		fail("begin/add/add/end");
	else if (count_pages(&out) != 3)
		fail("begin/add/add/end did not give 3 pages");
	ev_display_init(&tiny, a);
	ev_page *pg = a ? ev_display_add_page(&tiny, 1, 1) : NULL;
	ev_buf_reset(&out);
	if (!pg || ev_pdf_render(p, &tiny, NULL, &out, &d) == 0
	    || !has_diag(&d, "page size"))
		fail("a 1 pt page was not refused");
	ev_arena_free(a);
	ev_buf_free(&out);
	ev_diags_free(&d);
}

/* Ending into a file gives the bytes ending into memory gives; a file
 * that cannot be made is an error naming it, and leaves the writer usable. */
static void test_end_file(ev_pdf *p, const ev_display *letter, const ev_buf *expected,
                          const char *path)
{
	ev_diags d = {0};
	if (ev_pdf_begin(p, &test_meta, &d) < 0 || ev_pdf_add(p, letter, &d) < 0 ||
	    ev_pdf_end_file(p, path, &d) < 0) {
		fail("ev_pdf_end_file");
	} else {
		size_t len = 0;
		char *bytes = ev_case_read_file(path, &len);
		ev_buf got = {.data = bytes, .len = bytes ? len : 0};
		compare(expected, &got, "ev_pdf_end_file wrote other bytes than ev_pdf_end");
		free(bytes);
	}
	remove(path);
	static const char nowhere[] = "/nonexistent-envoi-dir/x.pdf";
	if (ev_pdf_begin(p, NULL, &d) < 0 || ev_pdf_add(p, letter, &d) < 0 ||
	    ev_pdf_end_file(p, nowhere, &d) == 0 || d.n == 0 || !d.items[d.n - 1].file ||
	    strcmp(d.items[d.n - 1].file, nowhere))
		fail("ev_pdf_end_file into a missing folder was not an error naming the file");
	ev_buf out = {0};
	ev_diags_clear(&d);
	if (ev_pdf_render(p, letter, NULL, &out, &d) < 0)
		fail("the writer after a failed ev_pdf_end_file");
	ev_buf_free(&out);
	ev_diags_free(&d);
}

/* Shaping other text (the cache) while a document is open must not change
 * the document. */
/* Items marked shared are written as a second content stream: the same
 * bytes whether the writer has no store, a store it fills (a miss, then a
 * hit) or a store with no room; and unlike a letter without them. */
static void test_shared_parts(fonts *F, const ev_display *letter)
{
	ev_display *c = ev_display_clone(letter, NULL);
	ev_pdf_store *store = ev_pdf_store_new((size_t)1 << 20), *none = ev_pdf_store_new(0);
	ev_buf plain = {0}, alone = {0}, miss = {0}, hit = {0}, full = {0};
	if (!c || !store || !none) {
		fail("out of memory");
		goto done;
	}
	for (size_t p = 0; p < c->npages; p++)
		for (size_t i = 0; i < c->pages[p].n; i++)
			c->pages[p].items[i].shared = i % 2 == 0;
	if (render(F->pdf, letter, &plain) < 0 || render(F->pdf, c, &alone) < 0)
		fail("rendering with shared items");
	ev_pdf_set_store(F->pdf, store);
	if (render(F->pdf, c, &miss) < 0 || render(F->pdf, c, &hit) < 0)
		fail("rendering with a store");
	ev_pdf_set_store(F->pdf, none);
	if (render(F->pdf, c, &full) < 0)
		fail("rendering with a full store");
	ev_pdf_set_store(F->pdf, NULL);
	compare(&alone, &miss, "shared items: no store and a store's first use differ");
	compare(&alone, &hit, "shared items: no store and a store's hit differ");
	compare(&alone, &full, "shared items: no store and a store without room differ");
	if (plain.len == alone.len && !memcmp(plain.data, alone.data, plain.len))
		fail("items marked shared made no second content stream");
	if (!strstr(alone.data ? alone.data : "", "%PDF-1.5"))
		fail("a letter with shared items is not PDF 1.5");
done:
	free(c);
	ev_pdf_store_free(store);
	ev_pdf_store_free(none);
	ev_buf_free(&plain);
	ev_buf_free(&alone);
	ev_buf_free(&miss);
	ev_buf_free(&hit);
	ev_buf_free(&full);
}

static void test_measure_is_pure(fonts *F, const ev_display *letter,
                                 const ev_buf *expected)
{
	static const char probe[] = "QWZXJ qwzxj §¶@ Ђћџ";
	ev_metrics m = ev_fontset_metrics(&F->fs);
	ev_diags d = {0};
	ev_buf out = {0};
	if (ev_pdf_begin(F->pdf, &test_meta, &d) < 0)
		fail("begin");
	for (int f = 0; f < EV_FACE_COUNT; f++)
		ev_text_width(&m, (ev_face)f, 10, probe, strlen(probe));
	if (ev_pdf_add(F->pdf, letter, &d) < 0 || ev_pdf_end(F->pdf, &out, &d) < 0)
		fail("add/end");
	compare(expected, &out, "measuring during a document changed it");
	print_diags(&d);
	ev_diags_free(&d);
	ev_buf_free(&out);
}

static int write_file(const char *path, const ev_buf *b)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t n = fwrite(b->data, 1, b->len, f);
	return (fclose(f) == 0 && n == b->len) ? 0 : -1;
}

/* Where layout puts each word of the justified line: "WORD X0" per line,
 * in points, for the e2e test to compare with poppler's reading. */
static int write_positions(const char *path, fonts *F)
{
	ev_metrics m = ev_fontset_metrics(&F->fs);
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	double x = EV_MM(25);
	const char *s = spaced;
	while (*s) {
		size_t n = strcspn(s, " ");
		fprintf(f, "%.*s %.4f %.4f\n", (int)n, s, x,
		        x + ev_text_width(&m, EV_FACE_REGULAR, 11, s, n));
		x += ev_text_width(&m, EV_FACE_REGULAR, 11, s, n) +
		     ev_text_width(&m, EV_FACE_REGULAR, 11, " ", 1) + SPACED_EXTRA;
		s += n;
		s += *s == ' ';
	}
	return fclose(f) == 0 ? 0 : -1;
}

/* DejaVu Serif behind PT Serif: a letter that needs no fallback glyph is
 * the same bytes as without one; one that does is written to out_path. */
static void test_fallback(const char *dir, const char *out_path,
                          const char *pos_path, const ev_display *letter,
                          const ev_buf *plain, ev_arena *a)
{
	ev_display dl;
	ev_display_init(&dl, a);
	if (build_fallback_letter(&dl) < 0) {
		fail("building the fallback letter");
		return;
	}
	const ev_display *both[] = {letter, &dl};
	fonts F, P;
	ev_buf same = {0}, out = {0}, again = {0};
	if (open_fonts(&P, dir, pt_files, dejavu_files, both, 1) < 0 ||
	    open_fonts(&F, dir, pt_files, dejavu_files, both, 2) < 0) {
		fail("cannot load PT Serif with DejaVu Serif as its fallback");
		goto done;
	}
	/* The letter's subsets do not depend on the fallback being loaded. */
	if (render(P.pdf, letter, &same) < 0)
		fail("rendering the letter with a fallback font");
	compare(plain, &same, "a letter without fallback characters changed "
	        "when a fallback font was loaded");
	expect_refused(F.pdf, a, EV_FACE_REGULAR, "Пекін 中", strlen("Пекін 中"),
	               true, "U+4E2D");
	if (render(F.pdf, &dl, &out) < 0 || render(F.pdf, &dl, &again) < 0)
		fail("rendering the fallback letter");
	compare(&out, &again, "the fallback letter rendered twice differs");
	if (write_file(out_path, &out) < 0 || write_positions(pos_path, &F) < 0)
		fail("cannot write the fallback output files");
done:
	close_fonts(&F);
	close_fonts(&P);
	ev_buf_free(&same);
	ev_buf_free(&out);
	ev_buf_free(&again);
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fputs("usage: test-pdf OUT.pdf FONT_DIR FALLBACK_OUT.pdf POSITIONS.txt\n", stderr);
		return 2;
	}
	ev_arena *a = ev_arena_new();
	ev_display dl, one;
	ev_buf first = {0}, second = {0}, other = {0};
	fonts F;
	if (!a)
		return 1;
	ev_display_init(&dl, a);
	ev_display_init(&one, a);
	ev_page *pg = ev_display_add_page(&one, 300, 400);
	if (build_letter(&dl) < 0 || !pg)
		return 1;
	text(&one, pg, 50, EV_FACE_ITALIC, 20, "Іншы ліст");
	const ev_display *dls[] = {&dl, &one};
	if (open_fonts(&F, argv[2], pt_files, NULL, dls, 2) < 0)
		return 1;

	/* The same letter before and after other documents (including refused
	 * ones) on the same writer must give the same bytes. */
	if (render(F.pdf, &dl, &first) < 0)
		fail("rendering the letter");
	test_refusals(F.pdf, a);
	if (render(F.pdf, &one, &other) < 0)
		fail("rendering a second document");
	test_incremental(F.pdf, &dl, &one);
	if (render(F.pdf, &dl, &second) < 0)
		fail("rendering the letter again");
	compare(&first, &second, "the same letter rendered twice differs");
	char endpath[4096];
	snprintf(endpath, sizeof endpath, "%s.end-file.pdf", argv[1]);
	/* A letter file (ev_pdf_render) is written by envoi's own file writer,
	 * a document built with begin/add/end by libharu: their bytes differ,
	 * so the libharu tests compare with a libharu document. */
	ev_buf haru = {0};
	ev_diags hd = {0};
	if (ev_pdf_begin(F.pdf, &test_meta, &hd) < 0 || ev_pdf_add(F.pdf, &dl, &hd) < 0 ||
	    ev_pdf_end(F.pdf, &haru, &hd) < 0)
		fail("begin/add/end of the letter");
	print_diags(&hd);
	ev_diags_free(&hd);
	test_end_file(F.pdf, &dl, &haru, endpath);
	test_measure_is_pure(&F, &dl, &haru);
	test_shared_parts(&F, &dl);
	ev_buf_free(&haru);
	if (first.len < 1000 || memcmp(first.data, "%PDF-", 5) != 0)
		fail("output does not look like a PDF");
	close_fonts(&F);
	/* The fallback test makes the subsets from the letter alone (and with
	 * the fallback letter): compare with a writer made from the letter
	 * alone too. */
	const ev_display *just[] = {&dl};
	ev_buf_reset(&first);
	if (open_fonts(&F, argv[2], pt_files, NULL, just, 1) < 0 ||
	    render(F.pdf, &dl, &first) < 0)
		fail("rendering the letter from its own subsets");
	close_fonts(&F);
	test_fallback(argv[2], argv[3], argv[4], &dl, &first, a);
	if (write_file(argv[1], &first) < 0)
		fail("cannot write the output file");

	ev_buf_free(&first);
	ev_buf_free(&second);
	ev_buf_free(&other);
	ev_arena_free(a);
	if (failures)
		return 1;
	printf("test-pdf: ok (%s)\n", argv[1]);
	return 0;
}
