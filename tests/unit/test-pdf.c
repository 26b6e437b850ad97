/* test-pdf.c - unit test of the PDF writer: renders a 2-page A4 letter with
 * Cyrillic and Latin text in four faces, checks the output is deterministic
 * across reused documents and that unprintable text is refused, and writes
 * the PDF for tests/e2e/test-pdf.sh to inspect with poppler and qpdf; then
 * the same with DejaVu Serif as the fallback font: the letter unchanged,
 * and a second PDF whose characters PT Serif lacks come from DejaVu.
 *
 * usage: test-pdf OUT.pdf FONT_DIR FALLBACK_OUT.pdf
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "display.h"
#include "metrics.h"
#include "pdf.h"

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

static int render(ev_pdf *p, const ev_display *dl, ev_buf *out)
{
	ev_diags d = {0};
	ev_pdf_meta meta = {.title = "Ліст", .author = "Ўладзімір Ёрш",
	                    .subject = "Test"};
	int rc = ev_pdf_render(p, dl, &meta, out, &d);
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

/* One text item that must be refused with a message containing `needle`. */
static void expect_refused(ev_pdf *p, ev_arena *a, ev_face face,
                           const char *s, size_t len, const char *needle)
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
	if (ev_pdf_render(p, &dl, NULL, &out, &d) == 0 || out.len != 0)
		fail("text with an undrawable character was rendered");
	else if (!has_diag(&d, needle)) {
		print_diags(&d);
		fprintf(stderr, "test-pdf: FAIL: no diagnostic mentioning '%s'\n",
		        needle);
		failures++;
	} else if (getenv("TEST_PDF_VERBOSE")) {
		print_diags(&d);
	}
	ev_diags_free(&d);
	ev_buf_free(&out);
}

static void test_refusals(ev_pdf *p, ev_arena *a)
{
	expect_refused(p, a, EV_FACE_REGULAR, "Пекін 中", strlen("Пекін 中"),
	               "U+4E2D");
	expect_refused(p, a, EV_FACE_BOLD, "smile \xF0\x9F\x98\x80",
	               strlen("smile \xF0\x9F\x98\x80"), "U+1F600");
	expect_refused(p, a, EV_FACE_ITALIC, "M\xC3\xBCll\xFF" "er", 8,
	               "invalid UTF-8");
	expect_refused(p, a, EV_FACE_REGULAR, "trunc \xE2\x82", 8,
	               "invalid UTF-8");
	expect_refused(p, a, EV_FACE_REGULAR, "nul\0byte", 8, "U+0000");
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
	if (getenv("TEST_PDF_VERBOSE"))
		print_diags(&d);
	ev_arena_free(a);
	ev_buf_free(&out);
	ev_diags_free(&d);
}

/* Measuring while a document is open must not change it (libharu's
 * GetCharWidth would add the measured glyphs to the embedded subset). */
static void test_measure_is_pure(ev_pdf *p, const ev_display *letter,
                                 const ev_buf *expected)
{
	static const char probe[] = "QWZXJ qwzxj §¶@ Ђћџ";
	ev_metrics m = ev_pdf_metrics(p);
	ev_diags d = {0};
	ev_buf out = {0};
	ev_pdf_meta meta = {.title = "Ліст", .author = "Ўладзімір Ёрш",
	                    .subject = "Test"};
	if (ev_pdf_begin(p, &meta, &d) < 0)
		fail("begin");
	for (int f = 0; f < EV_FACE_COUNT; f++)
		ev_text_width(&m, (ev_face)f, 10, probe, strlen(probe));
	if (ev_pdf_add(p, letter, &d) < 0 || ev_pdf_end(p, &out, &d) < 0)
		fail("add/end");
	compare(expected, &out, "measuring during a document changed it");
	print_diags(&d);
	ev_diags_free(&d);
	ev_buf_free(&out);
}

static void test_metrics(ev_pdf *p)
{
	ev_metrics m = ev_pdf_metrics(p);
	double one = ev_text_width(&m, EV_FACE_REGULAR, 1000, "Ў", strlen("Ў"));
	double two = ev_text_width(&m, EV_FACE_REGULAR, 1000, "ЎЎ", strlen("ЎЎ"));
	if (!(one > 0 && two == 2 * one))
		fail("widths do not add up");
	if (ev_text_width(&m, EV_FACE_BOLD, 10, "Müller", 7)
	    <= ev_text_width(&m, EV_FACE_BOLD, 10, "Mller", 5))
		fail("ü has no width");
	if (!m.has_glyph(m.ctx, EV_FACE_ITALIC, 0x045E)   /* ў */
	    || !m.has_glyph(m.ctx, EV_FACE_BOLD_ITALIC, 0x2116)   /* № */
	    || m.has_glyph(m.ctx, EV_FACE_REGULAR, 0x4E2D)
	    || m.has_glyph(m.ctx, EV_FACE_REGULAR, 0x1F600))
		fail("has_glyph is wrong");
	if (ev_missing_glyph(&m, EV_FACE_REGULAR, "Łódź 中", strlen("Łódź 中"))
	    != 0x4E2D)
		fail("ev_missing_glyph did not find U+4E2D");
}

static void test_missing_font(const char *dir)
{
	char paths[EV_FACE_COUNT][1024];
	const char *pp[EV_FACE_COUNT];
	ev_diags d = {0};
	for (int f = 0; f < EV_FACE_COUNT; f++) {
		snprintf(paths[f], sizeof paths[f], "%s/PTF55F.ttf", dir);
		pp[f] = paths[f];
	}
	snprintf(paths[2], sizeof paths[2], "%s/no-such-font.ttf", dir);
	ev_pdf *p = ev_pdf_new(pp, NULL, &d);
	if (p || d.n == 0 || !d.items[0].file
	    || !strstr(d.items[0].file, "no-such-font.ttf"))
		fail("a missing font file was not reported by name");
	ev_pdf_free(p);
	ev_diags_free(&d);
}

static int write_file(const char *path, const ev_buf *b);

static const char *const pt_files[EV_FACE_COUNT] = {
	"PTF55F.ttf", "PTF75F.ttf", "PTF56F.ttf", "PTF76F.ttf"
};
static const char *const dejavu_files[EV_FACE_COUNT] = {
	"DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf",
	"DejaVuSerif-BoldItalic.ttf"
};

static ev_pdf *open_fonts(const char *dir, const char *const files[],
                          const char *const fallback[])
{
	char paths[2][EV_FACE_COUNT][1024];
	const char *pp[EV_FACE_COUNT], *fp[EV_FACE_COUNT];
	ev_diags d = {0};
	for (int f = 0; f < EV_FACE_COUNT; f++) {
		snprintf(paths[0][f], sizeof paths[0][f], "%s/%s", dir, files[f]);
		pp[f] = paths[0][f];
		if (fallback) {
			snprintf(paths[1][f], sizeof paths[1][f], "%s/%s", dir, fallback[f]);
			fp[f] = paths[1][f];
		}
	}
	ev_pdf *p = ev_pdf_new(pp, fallback ? fp : NULL, &d);
	print_diags(&d);
	ev_diags_free(&d);
	return p;
}

/* The fallback letter; keep it in step with tests/e2e/test-pdf.sh, which
 * reads it back (the justified line at y 200 word by word). */
static int build_fallback_letter(ev_display *dl)
{
	ev_page *pg = ev_display_add_page(dl, A4_W, A4_H);
	static const char spaced[] = "Jiřǎ ǯẽ Kovačević ẽnd";
	if (!pg)
		return -1;
	text(dl, pg, 100, EV_FACE_REGULAR, 11, "Dear Jiřǎ Kovačević, ǯ and ẽ");
	text(dl, pg, 120, EV_FACE_BOLD, 11, "Bold ǎ");
	text(dl, pg, 140, EV_FACE_ITALIC, 11, "Italic ǯ");
	text(dl, pg, 160, EV_FACE_BOLD_ITALIC, 11, "Both ẽ");
	text(dl, pg, 180, EV_FACE_REGULAR, 11, "Georgian ქართული, Armenian Հայերեն");
	return ev_display_text_spaced(dl, pg, EV_MM(25), 200, EV_FACE_REGULAR, 11,
	                              spaced, strlen(spaced), 6.0);
}

/* Widths are each character's in the font that draws it. */
static void test_fallback_metrics(ev_pdf *pf, ev_pdf *pt, ev_pdf *dv)
{
	ev_metrics m = ev_pdf_metrics(pf), mp = ev_pdf_metrics(pt),
	           md = ev_pdf_metrics(dv);
	if (!m.has_glyph(m.ctx, EV_FACE_REGULAR, 0x01CE)      /* ǎ */
	    || !m.has_glyph(m.ctx, EV_FACE_BOLD_ITALIC, 0x1EBD)   /* ẽ */
	    || mp.has_glyph(mp.ctx, EV_FACE_REGULAR, 0x01CE)
	    || m.has_glyph(m.ctx, EV_FACE_REGULAR, 0x6F22)    /* 漢: in neither */
	    || m.has_glyph(m.ctx, EV_FACE_REGULAR, 0x1F600))
		fail("has_glyph with a fallback is wrong");
	for (int f = 0; f < EV_FACE_COUNT; f++) {
		ev_face face = (ev_face)f;
		double got = ev_text_width(&m, face, 1000, "Jiřǎ", strlen("Jiřǎ"));
		double want = ev_text_width(&mp, face, 1000, "Jiř", strlen("Jiř"))
		              + ev_text_width(&md, face, 1000, "ǎ", strlen("ǎ"));
		if (got != want || ev_text_width(&md, face, 1000, "ǎ", strlen("ǎ"))
		                   == ev_text_width(&mp, face, 1000, "ǎ", strlen("ǎ")))
			fail("a fallback character is not measured in the fallback font");
		if (ev_text_width(&m, face, 1000, "Müller", strlen("Müller"))
		    != ev_text_width(&mp, face, 1000, "Müller", strlen("Müller")))
			fail("the fallback changed a width PT Serif has");
	}
}

/* DejaVu Serif behind PT Serif: a letter that needs no fallback glyph is
 * the same bytes as without one; one that does is written to `out_path`. */
static void test_fallback(const char *dir, const char *out_path,
                          const ev_display *letter, const ev_buf *plain,
                          ev_arena *a)
{
	ev_pdf *pf = open_fonts(dir, pt_files, dejavu_files);
	ev_pdf *pt = open_fonts(dir, pt_files, NULL);
	ev_pdf *dv = open_fonts(dir, dejavu_files, NULL);
	ev_buf same = {0}, out = {0}, again = {0};
	ev_display dl;
	if (!pf || !pt || !dv) {
		fail("cannot load PT Serif with DejaVu Serif as its fallback");
		goto done;
	}
	if (render(pf, letter, &same) < 0)
		fail("rendering the letter with a fallback font");
	compare(plain, &same, "a letter without fallback characters changed "
	        "when a fallback font was loaded");
	test_fallback_metrics(pf, pt, dv);
	expect_refused(pf, a, EV_FACE_REGULAR, "Пекін 中", strlen("Пекін 中"),
	               "neither the regular font (PTSerif-Regular) nor its "
	               "fallback (DejaVuSerif,Book) has a glyph for U+4E2D");
	ev_display_init(&dl, a);
	if (build_fallback_letter(&dl) < 0 || render(pf, &dl, &out) < 0
	    || render(pf, &dl, &again) < 0)
		fail("rendering the fallback letter");
	compare(&out, &again, "the fallback letter rendered twice differs");
	/* The plain letter after the fallback one: the fallback font object
	 * must not leak into the next document. */
	ev_buf_reset(&same);
	if (render(pf, letter, &same) < 0)
		fail("rendering the letter after the fallback letter");
	compare(plain, &same, "the letter after a fallback letter differs");
	if (write_file(out_path, &out) < 0)
		fail("cannot write the fallback output file");
done:
	ev_pdf_free(pf);
	ev_pdf_free(pt);
	ev_pdf_free(dv);
	ev_buf_free(&same);
	ev_buf_free(&out);
	ev_buf_free(&again);
}

static int write_file(const char *path, const ev_buf *b)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t n = fwrite(b->data, 1, b->len, f);
	return (fclose(f) == 0 && n == b->len) ? 0 : -1;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fputs("usage: test-pdf OUT.pdf FONT_DIR FALLBACK_OUT.pdf\n", stderr);
		return 2;
	}
	ev_diags d = {0};
	ev_pdf *p = open_fonts(argv[2], pt_files, NULL);
	ev_arena *a = ev_arena_new();
	ev_display dl;
	ev_buf first = {0}, second = {0}, other = {0};
	if (!p || !a)
		return 1;
	ev_display_init(&dl, a);
	if (build_letter(&dl) < 0)
		return 1;

	/* The same letter before and after other documents (including refused
	 * ones) on the same ev_pdf must give the same bytes. */
	if (render(p, &dl, &first) < 0)
		fail("rendering the letter");
	test_refusals(p, a);
	test_metrics(p);
	ev_display one;
	ev_display_init(&one, a);
	ev_page *pg = ev_display_add_page(&one, 300, 400);
	if (pg)
		text(&one, pg, 50, EV_FACE_ITALIC, 20, "Іншы ліст");
	if (!pg || render(p, &one, &other) < 0)
		fail("rendering a second document");
	test_incremental(p, &dl, &one);
	if (render(p, &dl, &second) < 0)
		fail("rendering the letter again");
	compare(&first, &second, "the same letter rendered twice differs");
	test_measure_is_pure(p, &dl, &first);
	if (first.len < 1000 || memcmp(first.data, "%PDF-", 5) != 0)
		fail("output does not look like a PDF");
	test_missing_font(argv[2]);
	test_fallback(argv[2], argv[3], &dl, &first, a);
	if (write_file(argv[1], &first) < 0)
		fail("cannot write the output file");

	ev_buf_free(&first);
	ev_buf_free(&second);
	ev_buf_free(&other);
	ev_diags_free(&d);
	ev_arena_free(a);
	ev_pdf_free(p);
	if (failures)
		return 1;
	printf("test-pdf: ok (%s)\n", argv[1]);
	return 0;
}
