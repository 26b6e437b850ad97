/* test-font.c - the font module on the bundled fonts: coverage, kerned
 * widths and glyphs against fontTools' reading of the same files, runs over
 * a font set, corrupt files, and hb-subset output checked by fontTools.
 * Prints a small shaping benchmark (not asserted).
 * Usage: test-font PTF55F.ttf DejaVuSerif.ttf PYTHON font-check.py TMPDIR */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "casefile.h"
#include "font.h"
#include "text.h"

static int passed, failed;
static const char *python, *helper, *tmpdir;

#define CHECK(cond, ...) do { \
	if (cond) { \
		passed++; \
	} else { \
		failed++; \
		printf("FAIL %s:%d: ", __FILE__, __LINE__); \
		printf(__VA_ARGS__); \
		printf("\n"); \
	} \
} while (0)

/* Run the fontTools helper; its first output line goes to out. Returns
 * its exit status. */
static int helper_run(const char *args, char *out, size_t cap)
{
	char cmd[4096];
	snprintf(cmd, sizeof cmd, "'%s' '%s' %s", python, helper, args);
	FILE *p = popen(cmd, "r");
	if (!p)
		return -1;
	size_t n = fread(out, 1, cap - 1, p);
	out[n] = '\0';
	return pclose(p);
}

static double width_of(ev_font *f, const char *s)
{
	return ev_font_width(f, s, strlen(s));
}

static void test_coverage(ev_font *pt, ev_font *dv)
{
	CHECK(ev_font_glyph(pt, 0x01CE) == 0, "PT Serif has no ǎ");
	CHECK(ev_font_glyph(dv, 0x01CE) != 0, "DejaVu Serif has ǎ");
	static const uint32_t cyr[] = {0x0451, 0x045E, 0x0456, 0x0401, 0x040E, 0x0406};
	for (size_t i = 0; i < sizeof cyr / sizeof *cyr; i++) {
		CHECK(ev_font_glyph(pt, cyr[i]) != 0, "PT Serif has U+%04X", cyr[i]);
		CHECK(ev_font_glyph(dv, cyr[i]) != 0, "DejaVu has U+%04X", cyr[i]);
	}
	CHECK(ev_font_glyph(pt, 0x110000) == 0, "no glyph past U+10FFFF");
	CHECK(ev_font_glyph(pt, 0x1F600) == 0, "no emoji in PT Serif");
	CHECK(ev_font_glyph(NULL, 'A') == 0, "NULL font");
}

/* hmtx sums and kern-table sums from fontTools, for each text. */
static int fonttools_widths(const char *font, const char *const *texts,
                            size_t n, double *adv, double *kern)
{
	char args[2048], out[4096];
	size_t k = (size_t)snprintf(args, sizeof args, "widths '%s'", font);
	for (size_t i = 0; i < n && k < sizeof args; i++)
		k += (size_t)snprintf(args + k, sizeof args - k, " '%s'", texts[i]);
	if (helper_run(args, out, sizeof out) != 0)
		return -1;
	char *p = out;
	for (size_t i = 0; i < n; i++) {
		char *end;
		adv[i] = strtod(p, &end);
		kern[i] = strtod(end, &p);
		if (end == p)
			return -1;
	}
	return 0;
}

static void test_widths(ev_font *f, const char *path, const char *name,
                        const char *const *texts, size_t n)
{
	double adv[16], kern[16];
	int rc = fonttools_widths(path, texts, n, adv, kern);
	CHECK(rc == 0, "fontTools read %s", path);
	if (rc)
		return;
	for (size_t i = 0; i < n; i++) {
		double w = width_of(f, texts[i]);
		CHECK(fabs(w - (adv[i] + kern[i])) < 1e-6,
		      "%s: width of \"%s\" %.3f, fontTools: advances %.3f + kern %.3f",
		      name, texts[i], w, adv[i], kern[i]);
	}
}

static void test_kerning(ev_font *pt, ev_font *dv, const char *ptpath,
                         const char *dvpath)
{
	/* Kerned: less than the parts; unkerned: exactly the parts. */
	CHECK(width_of(pt, "AV") < width_of(pt, "A") + width_of(pt, "V"),
	      "PT Serif kerns AV");
	CHECK(width_of(pt, "Г.") < width_of(pt, "Г") + width_of(pt, ".") - 50,
	      "PT Serif kerns Г.");
	CHECK(width_of(pt, "nn") == 2 * width_of(pt, "n"), "nn not kerned");
	CHECK(width_of(dv, "To") < width_of(dv, "T") + width_of(dv, "o"),
	      "DejaVu kerns To");
	static const char *const pt_texts[] = {"AV", "To", "Г.", "Ау", "nn",
	                                       "Ковалёва", "A", "V"};
	test_widths(pt, ptpath, "PT Serif", pt_texts, 8);
	/* DejaVu's upem is 2048: widths must come scaled to 1/1000 em. */
	static const char *const dv_texts[] = {"nn", "ll", "oo", "mn", "ab",
	                                       "ал", "ва", "ǎ", "ẽ", "AV", "Ko"};
	test_widths(dv, dvpath, "DejaVu Serif", dv_texts, 11);
}

static void test_shape(ev_font *pt)
{
	ev_glyph g[8];
	size_t n = ev_font_shape(pt, "fi", 2, g, 8);
	CHECK(n == 2 && g[0].gid == ev_font_glyph(pt, 'f')
	      && g[1].gid == ev_font_glyph(pt, 'i') && g[0].cp == 'f'
	      && g[1].cp == 'i', "fi: two glyphs, no ligature (n=%zu)", n);
	n = ev_font_shape(pt, "ffl", 3, g, 8);
	CHECK(n == 3 && g[0].gid == ev_font_glyph(pt, 'f')
	      && g[1].gid == ev_font_glyph(pt, 'f')
	      && g[2].gid == ev_font_glyph(pt, 'l'), "ffl: three glyphs (n=%zu)", n);
	/* Advances sum to the width, and the kerning sits on the first glyph. */
	n = ev_font_shape(pt, "AV", 2, g, 8);
	CHECK(n == 2 && g[0].advance < width_of(pt, "A")
	      && g[1].advance == width_of(pt, "V")
	      && g[0].advance + g[1].advance == width_of(pt, "AV"), "AV advances");
	/* Fewer slots than glyphs: the count still says how many there are. */
	n = ev_font_shape(pt, "Ковалёва", strlen("Ковалёва"), g, 3);
	CHECK(n == 8 && g[2].cp == 0x0432, "capped output: n=%zu", n);
	/* Cached: the same answer again. */
	ev_glyph h[8];
	size_t m = ev_font_shape(pt, "Ковалёва", strlen("Ковалёва"), h, 8);
	CHECK(m == 8 && !memcmp(g, h, 3 * sizeof *g), "cache gives the same glyphs");
	/* Invalid UTF-8 is shaped without a crash, one glyph per byte. */
	n = ev_font_shape(pt, "a\xff\xc3", 3, g, 8);
	CHECK(n == 3 && g[1].cp == 0xFFFD && g[2].cp == 0xFFFD, "invalid UTF-8");
	CHECK(ev_font_shape(pt, "", 0, g, 8) == 0 && width_of(pt, "") == 0,
	      "empty text");
	/* Texts longer than the cache keeps are shaped all the same. */
	char longtext[2000];
	for (size_t i = 0; i < sizeof longtext - 1; i++)
		longtext[i] = "Kavaliova "[i % 10];
	longtext[sizeof longtext - 1] = '\0';
	double w = width_of(pt, longtext);
	double w10 = width_of(pt, "Kavaliova ");
	CHECK(fabs(w - (w10 * 199 + width_of(pt, "Kavaliova"))) < 1e-6,
	      "long text %.3f", w);
}

static void test_info(ev_font *pt, ev_font *dv, const char *ptpath,
                      const char *dvpath)
{
	ev_font_info in;
	char out[512], args[1024], name[128];
	double bb[4];
	unsigned upem;
	ev_font *fonts[2] = {pt, dv};
	const char *paths[2] = {ptpath, dvpath};
	for (int i = 0; i < 2; i++) {
		ev_font_info_get(fonts[i], &in);
		snprintf(args, sizeof args, "info '%s'", paths[i]);
		int rc = helper_run(args, out, sizeof out);
		int k = sscanf(out, "%127s %u %lf %lf %lf %lf", name, &upem, &bb[0],
		               &bb[1], &bb[2], &bb[3]);
		CHECK(rc == 0 && k == 6, "fontTools info of %s", paths[i]);
		if (k != 6)
			continue;
		CHECK(!strcmp(in.ps_name, name), "PostScript name %s, fontTools %s",
		      in.ps_name, name);
		for (int j = 0; j < 4; j++)
			CHECK(fabs(in.bbox[j] - bb[j]) < 1e-6, "%s bbox[%d] %.3f != %.3f",
			      name, j, in.bbox[j], bb[j]);
		CHECK(in.ascent > 600 && in.ascent < 1100 && in.descent < -100
		      && in.descent > -400 && in.cap_height > 600
		      && in.cap_height < in.ascent, "%s ascent %.1f descent %.1f cap %.1f",
		      name, in.ascent, in.descent, in.cap_height);
		CHECK(!in.bold && !in.italic && !in.fixed_pitch
		      && in.italic_angle == 0 && in.stem_v > 50,
		      "%s style: bold %d italic %d fixed %d angle %.1f stemv %.0f", name,
		      in.bold, in.italic, in.fixed_pitch, in.italic_angle, in.stem_v);
	}
	ev_font_info_get(pt, &in);
	CHECK(!strcmp(in.ps_name, "PTSerif-Regular") && in.serif,
	      "PT Serif: %s serif %d", in.ps_name, in.serif);
}

static void test_fontset(ev_font *pt, ev_font *dv)
{
	ev_fontset fs = {{pt, pt, pt, pt}, {dv, dv, dv, dv}};
	const char *s = "Jiřǎ漢";
	size_t len = strlen(s);
	int which;
	size_t k = ev_fontset_run(&fs, EV_FACE_REGULAR, s, len, &which);
	CHECK(k == 4 && which == 0, "Jiř from PT Serif: %zu %d", k, which);
	size_t k2 = ev_fontset_run(&fs, EV_FACE_REGULAR, s + k, len - k, &which);
	CHECK(k2 == 2 && which == 1, "ǎ from DejaVu: %zu %d", k2, which);
	size_t k3 = ev_fontset_run(&fs, EV_FACE_REGULAR, s + k + k2, len - k - k2,
	                           &which);
	CHECK(k3 == 3 && which == -1, "漢 from none: %zu %d", k3, which);
	/* Two missing characters are two runs. */
	k = ev_fontset_run(&fs, EV_FACE_BOLD, "漢漢a", strlen("漢漢a"), &which);
	CHECK(k == 3 && which == -1, "one missing character per run");
	/* Invalid UTF-8: one byte, missing. */
	k = ev_fontset_run(&fs, EV_FACE_REGULAR, "\xff" "ab", 3, &which);
	CHECK(k == 1 && which == -1, "invalid byte is a missing run");
	k = ev_fontset_run(&fs, EV_FACE_REGULAR, "\xf4\x90\x80\x80", 4, &which);
	CHECK(k == 1 && which == -1, "past U+10FFFF is missing");
	/* No fallback: the face or nothing. */
	ev_fontset alone = {{pt, pt, pt, pt}, {NULL, NULL, NULL, NULL}};
	k = ev_fontset_run(&alone, EV_FACE_REGULAR, "ǎb", strlen("ǎb"), &which);
	CHECK(k == 2 && which == -1, "no fallback");

	ev_metrics m = ev_fontset_metrics(&fs);
	double w = m.width(m.ctx, EV_FACE_REGULAR, "AVǎǎ", strlen("AVǎǎ"));
	CHECK(fabs(w - (width_of(pt, "AV") + width_of(dv, "ǎǎ"))) < 1e-9,
	      "metrics: width run by run, kerned inside runs (%.3f)", w);
	CHECK(m.has_glyph(m.ctx, EV_FACE_REGULAR, 0x01CE), "has ǎ through fallback");
	CHECK(m.has_glyph(m.ctx, EV_FACE_REGULAR, 0x0451), "has ё");
	CHECK(!m.has_glyph(m.ctx, EV_FACE_REGULAR, 0x6F22), "no 漢");
	CHECK(!m.has_glyph(m.ctx, EV_FACE_REGULAR, 0x110000), "no U+110000");
	w = m.width(m.ctx, EV_FACE_REGULAR, "a\xff", 2);
	CHECK(w > width_of(pt, "a"), "an invalid byte measures as .notdef");
	CHECK(ev_text_width(&m, EV_FACE_REGULAR, 10, "AV", 2)
	      == width_of(pt, "AV") / 100, "ev_text_width through the set");
	CHECK(ev_missing_glyph(&m, EV_FACE_REGULAR, "Jiřǎ漢", strlen("Jiřǎ漢"))
	      == 0x6F22, "ev_missing_glyph finds 漢");
}

static uint32_t lcg(uint32_t *state)
{
	*state = *state * 1664525u + 1013904223u;
	return *state >> 8;
}

static void expect_fail(const void *data, size_t len, const char *what)
{
	char why[160] = "x";
	ev_font *f = ev_font_new(data, len, why, sizeof why);
	CHECK(!f && why[0] && strcmp(why, "x"), "%s refused: %s", what, why);
	ev_font_free(f);
}

static void test_corrupt(const char *font, size_t len)
{
	expect_fail("", 0, "zero length");
	expect_fail(font, 11, "11 bytes");
	expect_fail(font, 1000, "first 1000 bytes");
	expect_fail(font, len / 2, "half the file");
	expect_fail(font, len - 1, "all but the last byte");
	unsigned char *junk = malloc(len);
	uint32_t st = 42;
	for (size_t i = 0; i < len; i++)
		junk[i] = (unsigned char)lcg(&st);
	expect_fail(junk, len, "random bytes");
	memcpy(junk, "OTTO", 4);
	expect_fail(junk, len, "CFF header");
	memcpy(junk, "\0\1\0\0\0\0", 6);
	expect_fail(junk, len, "no tables");
	/* head's magic number broken. */
	memcpy(junk, font, len);
	const unsigned char *u = (const unsigned char *)font;
	for (unsigned i = 0; i < (unsigned)(u[4] << 8 | u[5]); i++) {
		const unsigned char *r = u + 12 + 16 * i;
		size_t off = (size_t)r[8] << 24 | (size_t)r[9] << 16 | r[10] << 8 | r[11];
		if (!memcmp(r, "head", 4))
			junk[off + 12] ^= 0xFF;
	}
	expect_fail(junk, len, "bad head magic");
	/* Sound directory, broken tables: each either refused with a reason or
	 * usable (shaping and subsetting it must not crash). */
	int refused = 0, usable = 0;
	for (int round = 0; round < 60; round++) {
		memcpy(junk, font, len);
		size_t dirlen = 12 + 16 * (size_t)((unsigned char)font[4] << 8
		                                   | (unsigned char)font[5]);
		for (int j = 0; j < 40; j++) {
			size_t at = dirlen + lcg(&st) % (len - dirlen);
			junk[at] = (unsigned char)lcg(&st);
		}
		if (round % 3 == 0)   /* scribble over the start of head/maxp/loca too */
			for (int j = 0; j < 16; j++)
				junk[dirlen + lcg(&st) % 4096] = (unsigned char)lcg(&st);
		char why[160] = "";
		ev_font *f = ev_font_new(junk, len, why, sizeof why);
		if (!f) {
			refused += why[0] != '\0';
			continue;
		}
		usable++;
		ev_glyph g[32];
		ev_font_shape(f, "Ковалёва AV fi ẽ", strlen("Ковалёва AV fi ẽ"), g, 32);
		ev_font_info info;
		ev_font_info_get(f, &info);
		uint32_t cps[] = {'A', 'V', 0x0451};
		ev_subset s;
		ev_subset_make(f, cps, 3, &s, why, sizeof why);
		ev_subset_free(&s);
		ev_font_free(f);
	}
	CHECK(refused + usable == 60, "corrupted fonts: %d refused with a reason, "
	      "%d usable", refused, usable);
	printf("# corrupted copies: %d refused, %d usable\n", refused, usable);
	free(junk);
}

/* The code points of s, distinct. */
static size_t code_points(const char *s, uint32_t *cps, size_t cap)
{
	size_t n = 0, len = strlen(s);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		i += ev_utf8_decode(s + i, len - i, &cp);
		size_t j = 0;
		while (j < n && cps[j] != cp)
			j++;
		if (j == n && n < cap)
			cps[n++] = cp;
	}
	return n;
}

static void check_subset(const ev_font *f, const char *source, const char *name,
                         const uint32_t *cps, size_t n, uint32_t composite)
{
	ev_subset s, t;
	char why[160], path[512], expect[512], out[512], args[2048];
	int rc = ev_subset_make(f, cps, n, &s, why, sizeof why);
	CHECK(rc == 0, "%s subset: %s", name, why);
	if (rc)
		return;
	CHECK(s.nnew > n && s.nnew < 3 * n && s.new_cp[0] == 0,
	      "%s: %zu glyphs for %zu characters", name, s.nnew, n);
	int tag_ok = strlen(s.tag) == 6;
	for (int i = 0; i < 6; i++)
		tag_ok = tag_ok && s.tag[i] >= 'A' && s.tag[i] <= 'Z';
	CHECK(tag_ok, "tag %s", s.tag);
	/* Each character's glyph maps to a new glyph naming that character. */
	int map_ok = 1;
	for (size_t i = 0; i < n; i++) {
		uint32_t g = s.old_to_new[ev_font_glyph(f, cps[i])];
		map_ok = map_ok && g > 0 && g < s.nnew && s.new_cp[g] == cps[i];
	}
	CHECK(map_ok && s.old_to_new[0] == 0, "%s: old_to_new and new_cp", name);
	/* Deterministic. */
	rc = ev_subset_make(f, cps, n, &t, why, sizeof why);
	CHECK(rc == 0 && t.ttf.len == s.ttf.len
	      && !memcmp(t.ttf.data, s.ttf.data, s.ttf.len) && !strcmp(t.tag, s.tag),
	      "%s: the same input gives the same bytes and tag", name);
	ev_subset_free(&t);

	snprintf(path, sizeof path, "%s/test-font-%s.ttf", tmpdir, name);
	snprintf(expect, sizeof expect, "%s/test-font-%s.expect", tmpdir, name);
	FILE *fp = fopen(path, "wb");
	FILE *fe = fopen(expect, "w");
	if (fp && fe) {
		fwrite(s.ttf.data, 1, s.ttf.len, fp);
		fprintf(fe, "%zu\n", s.nnew);
		fprintf(fe, "%s\n", source);
		for (size_t g = 0; g < s.nnew; g++)
			fprintf(fe, "%u %.9f\n", (unsigned)s.new_cp[g], s.new_width[g]);
		if (composite)
			fprintf(fe, "composite %u\n", (unsigned)composite);
	}
	if (fp)
		fclose(fp);
	if (fe)
		fclose(fe);
	snprintf(args, sizeof args, "subset '%s' '%s'", path, expect);
	rc = helper_run(args, out, sizeof out);
	CHECK(rc == 0 && !strncmp(out, "ok", 2), "%s subset read by fontTools: %s",
	      name, out);
	printf("# %s subset: %zu characters, %zu glyphs, %zu bytes, tag %s\n",
	       name, n, s.nnew, s.ttf.len, s.tag);
	remove(path);
	remove(expect);
	ev_subset_free(&s);
}

static void test_subset(ev_font *pt, ev_font *dv, const char *pt_path,
                        const char *dv_path)
{
	uint32_t cps[64];
	size_t n = code_points("Ковалёва Kavaliova ẽ", cps, 64);
	check_subset(dv, dv_path, "dejavu", cps, n, 0x1EBD);
	/* PT Serif has no ẽ: asking for it is an error naming it. */
	ev_subset s;
	char why[160] = "";
	CHECK(ev_subset_make(pt, cps, n, &s, why, sizeof why) == -1
	      && strstr(why, "U+1EBD") && s.ttf.data == NULL,
	      "PT Serif subset with ẽ refused: %s", why);
	ev_subset_free(&s);
	n = code_points("Ковалёва Kavaliova", cps, 64);
	check_subset(pt, pt_path, "ptserif", cps, n, 0x0451);
	/* The same characters in another order: the same font. */
	uint32_t rev[64];
	for (size_t i = 0; i < n; i++)
		rev[i] = cps[n - 1 - i];
	ev_subset a, b;
	int ra = ev_subset_make(pt, cps, n, &a, why, sizeof why);
	int rb = ev_subset_make(pt, rev, n, &b, why, sizeof why);
	CHECK(ra == 0 && rb == 0 && a.ttf.len == b.ttf.len
	      && !memcmp(a.ttf.data, b.ttf.data, a.ttf.len)
	      && !memcmp(a.new_cp, b.new_cp, a.nnew * sizeof *a.new_cp),
	      "order of the characters does not matter");
	ev_subset_free(&a);
	ev_subset_free(&b);
	/* Two code points, one glyph (U+0020 and U+00A0 in DejaVu): the lower
	 * one names it. */
	uint32_t sp[] = {0x00A0, 0x0020, 'a'};
	if (ev_font_glyph(dv, 0xA0) == ev_font_glyph(dv, 0x20)) {
		int r = ev_subset_make(dv, sp, 3, &a, why, sizeof why);
		uint32_t g = r ? 0 : a.old_to_new[ev_font_glyph(dv, 0x20)];
		CHECK(r == 0 && a.nnew == 3 && a.new_cp[g] == 0x20,
		      "shared glyph named by the lower code point");
		ev_subset_free(&a);
	}
	CHECK(ev_subset_make(pt, NULL, 0, &a, why, sizeof why) == 0 && a.nnew == 1,
	      "an empty subset has .notdef");
	ev_subset_free(&a);
	ev_subset_free(NULL);
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Not asserted: a slow machine is not a failure. */
static void bench(const char *data, size_t len)
{
	ev_font *f = ev_font_new(data, len, NULL, 0);
	if (!f)
		return;
	enum { N = 100000 };
	double sink = 0, t0 = now();
	for (int i = 0; i < N; i++)
		sink += ev_font_width(f, "Ковалёва", strlen("Ковалёва"));
	double hit = (now() - t0) / N * 1e6;
	char word[32];
	t0 = now();
	for (int i = 0; i < N; i++) {
		int k = snprintf(word, sizeof word, "Ковал%dёва", i);
		sink += ev_font_width(f, word, (size_t)k);
	}
	double miss = (now() - t0) / N * 1e6;
	t0 = now();
	for (int i = 0; i < 10; i++) {
		ev_font *g = ev_font_new(data, len, NULL, 0);
		ev_font_free(g);
	}
	double open = (now() - t0) / 10 * 1e6;
	printf("# bench: width of a cached word %.3f us, of a new word %.3f us "
	       "(shaped and cached), ev_font_new %.0f us (%.0f)\n",
	       hit, miss, open, sink > 0 ? 1.0 : 0.0);
	ev_font_free(f);
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: test-font PTSERIF DEJAVU PYTHON HELPER TMPDIR\n");
		return 2;
	}
	python = argv[3];
	helper = argv[4];
	tmpdir = argv[5];
	size_t ptlen, dvlen;
	char *ptdata = ev_case_read_file(argv[1], &ptlen), *dvdata = ev_case_read_file(argv[2], &dvlen);
	char why[160];
	ev_font *pt = ptdata ? ev_font_new(ptdata, ptlen, why, sizeof why) : NULL;
	if (!pt) {
		fprintf(stderr, "test-font: %s: %s\n", argv[1], ptdata ? why : "unreadable");
		return 1;
	}
	ev_font *dv = dvdata ? ev_font_new(dvdata, dvlen, why, sizeof why) : NULL;
	if (!dv) {
		fprintf(stderr, "test-font: %s: %s\n", argv[2], dvdata ? why : "unreadable");
		return 1;
	}
	test_coverage(pt, dv);
	test_shape(pt);
	test_kerning(pt, dv, argv[1], argv[2]);
	test_info(pt, dv, argv[1], argv[2]);
	test_fontset(pt, dv);
	test_corrupt(ptdata, ptlen);
	test_subset(pt, dv, argv[1], argv[2]);
	bench(ptdata, ptlen);
	ev_font_free(pt);
	ev_font_free(dv);
	free(ptdata);
	free(dvdata);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
