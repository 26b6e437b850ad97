/* test-labels.c - label sheets: gLabels' XML read by src/job/labeldb.c
 * from the fixtures in tests/labels/ (every unit, empty attributes,
 * aliases across files, a paper of its own, staggered grids, round, oval
 * and CD labels, templates left out, a file that is not XML), looking a
 * sheet up by name, the text box of each shape, whether an address fits
 * (fixed-width metrics: no fonts), labels laid out with --first and
 * --offset, the calibration page, and the numbers read and written
 * without the locale.
 * Usage: test-labels FIXTURE-FOLDER */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "display.h"
#include "labeldb.h"
#include "labels.h"

static int passed, failed;

static void check(bool ok, const char *what, int line)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL line %d: %s\n", line, what);
}

#define CHECK(x) check((x), #x, __LINE__)
#define NEAR(a, b) check(fabs((a) - (b)) < 1e-9, #a " == " #b, __LINE__)
#define PT (25.4 / 72)

static const ev_label_sheet *get(const ev_labeldb *db, const char *id)
{
	for (size_t i = 0; i < ev_labeldb_count(db); i++)
		if (!strcmp(ev_labeldb_sheet(db, i)->id, id))
			return ev_labeldb_sheet(db, i);
	return NULL;
}

/* ---- reading the database ---- */

static void reading(const char *dir)
{
	ev_diags d = {0};
	ev_labeldb *db = ev_labeldb_load(dir, &d);
	CHECK(db != NULL);
	if (!db)
		return;
	/* two files of templates read; the broken one is a warning naming it */
	CHECK(ev_labeldb_read(db) == 2);
	CHECK(d.n == 1 && d.items[0].severity == EV_WARNING &&
	      strstr(d.items[0].file, "broken-templates.xml"));
	/* kept: U1, U1-ALIAS, P1, E1, UNITS, OTHER, STAG, OVAL, DISC, U1-CHAIN,
	 * Zeta P1; not CARD, BAD, OFF, Nobody X1, not-a-template.xml's N1 */
	CHECK(ev_labeldb_count(db) == 11);
	CHECK(!get(db, "Acme CARD") && !get(db, "Acme BAD") && !get(db, "Acme OFF"));
	CHECK(!get(db, "Nobody X1") && !get(db, "Never N1"));
	CHECK(ev_labeldb_left_count(db) == 2);
	for (size_t i = 0; i < ev_labeldb_left_count(db); i++) {
		const char *why;
		const ev_label_sheet *s = ev_labeldb_left(db, i, &why);
		if (!strcmp(s->id, "Acme BAD"))
			CHECK(strstr(why, "not one") && strstr(why, "acme-templates.xml:"));
		else
			CHECK(!strcmp(s->id, "Acme OFF") && strstr(why, "off the paper"));
	}

	/* inches, the Markup-margin (9 pt) over the floor of 2.5 mm */
	const ev_label_sheet *u1 = get(db, "Acme U1");
	CHECK(u1 && u1->shape == EV_LABEL_RECT && !u1->builtin);
	if (u1) {
		CHECK(!strcmp(u1->paper, "US-Letter") && !strcmp(u1->description, "Address labels"));
		NEAR(u1->paper_w, 215.9);
		NEAR(u1->paper_h, 279.4);
		NEAR(u1->label_w, 66.675);
		NEAR(u1->label_h, 25.4);
		NEAR(u1->round, 1.5875);
		NEAR(u1->margin, 9 * PT);
		CHECK(u1->ngrids == 1 && u1->grids[0].nx == 3 && u1->grids[0].ny == 10);
		NEAR(u1->grids[0].x0, 3.96875);
		NEAR(u1->grids[0].dx, 70.64375);
		CHECK(ev_label_count(u1) == 30);
	}
	/* an alias: the original's geometry and description, its own name */
	const ev_label_sheet *al = get(db, "Acme U1-ALIAS");
	CHECK(al && u1 && !strcmp(al->part, "U1-ALIAS") && !strcmp(al->brand, "Acme") &&
	      al->label_w == u1->label_w && al->grids[0].dy == u1->grids[0].dy &&
	      !strcmp(al->description, "Address labels"));
	/* an alias of an alias in another file, with a description of its own */
	const ev_label_sheet *ch = get(db, "Acme U1-CHAIN");
	CHECK(ch && u1 && ch->label_h == u1->label_h && !strcmp(ch->description, "Chained"));

	/* no unit: points; the margin the floor, over the corner's need */
	const ev_label_sheet *p1 = get(db, "Acme P1");
	CHECK(p1 != NULL);
	if (p1) {
		NEAR(p1->label_w, 181.4 * PT);
		NEAR(p1->label_h, 108.0 * PT);
		NEAR(p1->round, 5 * PT);
		NEAR(p1->margin, 2.5);
		NEAR(p1->grids[0].x0, 21.2 * PT);
		NEAR(p1->grids[0].y0, 43.9 * PT);
	}
	/* empty attributes are 0 */
	const ev_label_sheet *e1 = get(db, "Acme E1");
	CHECK(e1 && e1->grids[0].x0 == 0 && e1->round == 0);
	/* cm, pc, spaces, an exponent, a paper in cm, `description` */
	const ev_label_sheet *un = get(db, "Acme UNITS");
	CHECK(un != NULL);
	if (un) {
		NEAR(un->label_w, 25.4);
		NEAR(un->label_h, 25.4);
		NEAR(un->grids[0].x0, 5);
		NEAR(un->grids[0].y0, 10);
		NEAR(un->grids[0].dx, 25.4);
		NEAR(un->grids[0].dy, 25.4);
		NEAR(un->paper_w, 148.5);
		CHECK(!strcmp(un->description, "Units"));
	}
	/* size="Other": the template's own width and height */
	const ev_label_sheet *ot = get(db, "Acme OTHER");
	CHECK(ot && ot->paper_w == 100 && ot->paper_h == 150 && ev_label_count(ot) == 3);

	/* staggered grids, row by row: tops within 0.5 mm are one row */
	const ev_label_sheet *st = get(db, "Acme STAG");
	CHECK(st && st->shape == EV_LABEL_ROUND && st->ngrids == 3);
	if (st) {
		NEAR(st->label_w, 20);
		double xy[16][2];
		CHECK(ev_label_origins(st, xy, 16) == 11);
		static const double want[11][2] = {
			{10, 10}, {70, 10}, {130, 10}, {160, 10.3}, {40, 35}, {100, 35},
			{10, 60}, {70, 60}, {130, 60}, {40, 85}, {100, 85},
		};
		bool same = true;
		for (int i = 0; i < 11; i++)
			same &= fabs(xy[i][0] - want[i][0]) < 1e-9 && fabs(xy[i][1] - want[i][1]) < 1e-9;
		CHECK(same);
		/* the square inside the disc, less the margin */
		double x, y, w, h;
		ev_label_text_box(st, &x, &y, &w, &h);
		NEAR(w, 20 / sqrt(2.0) - 5);
		NEAR(h, w);
		NEAR(x, 10 - w / 2);
		NEAR(y, 10 - h / 2);
	}
	/* an oval: its axes over root 2, less the margin */
	const ev_label_sheet *ov = get(db, "Acme OVAL");
	CHECK(ov && ov->shape == EV_LABEL_ELLIPSE);
	if (ov) {
		double x, y, w, h;
		ev_label_text_box(ov, &x, &y, &w, &h);
		NEAR(w, 60 / sqrt(2.0) - 5);
		NEAR(h, 40 / sqrt(2.0) - 5);
	}
	/* a CD: the box above the hole, inside the ring's outer edge */
	const ev_label_sheet *cd = get(db, "Acme DISC");
	CHECK(cd && cd->shape == EV_LABEL_CD && cd->label_w == 116 && cd->hole == 20);
	if (cd) {
		double x, y, w, h;
		ev_label_text_box(cd, &x, &y, &w, &h);
		double r = 58 - 2.5;
		CHECK(w > 40 && h > 10 && y + h <= 58 - 20 - 2.5 + 1e-9);
		CHECK(hypot(w / 2, 58 - y) <= r + 1e-9);
		NEAR(x + w / 2, 58);
	}

	/* ---- looking sheets up ---- */
	size_t n;
	const ev_label_sheet **v = ev_labeldb_catalogue(db, &n);
	CHECK(v && n == 11 + 4);
	const ev_label_sheet *s;
	ev_buf msg = {0};
	CHECK(ev_label_lookup(v, n, "Acme U1", &s, &msg) == 0 && s == u1);
	CHECK(ev_label_lookup(v, n, "acme-u1", &s, &msg) == 0 && s == u1);
	CHECK(ev_label_lookup(v, n, "ACME u1", &s, &msg) == 0 && s == u1);
	CHECK(ev_label_lookup(v, n, "u1-alias", &s, &msg) == 0 && s == al);
	CHECK(ev_label_lookup(v, n, "STAG", &s, &msg) == 0 && s == st);
	CHECK(ev_label_lookup(v, n, "L7163", &s, &msg) == 0 && s->builtin);
	CHECK(ev_label_lookup(v, n, "Avery L7163", &s, &msg) == 0 && s->builtin);
	CHECK(msg.len == 0);
	CHECK(ev_label_lookup(v, n, "P1", &s, &msg) == 1 && !s && msg.data &&
	      strstr(msg.data, "ambiguous") && strstr(msg.data, "Acme P1") &&
	      strstr(msg.data, "Zeta P1"));
	ev_buf_reset(&msg);
	CHECK(ev_label_lookup(v, n, "Acme P2", &s, &msg) == 1 && msg.data &&
	      strstr(msg.data, "unknown label sheet 'Acme P2'") && strstr(msg.data, "Acme P1"));
	ev_buf_reset(&msg);
	CHECK(ev_label_lookup(v, n, "L7136", &s, &msg) == 1 && msg.data &&
	      strstr(msg.data, "closest: Avery L7163"));
	ev_buf_reset(&msg);
	/* listing */
	const char *words[] = {"acme", "round"};
	CHECK(st && ev_label_matches(st, words, 2) && u1 && !ev_label_matches(u1, words, 2));
	CHECK(u1 && ev_label_describe(u1, &msg) == 0 &&
	      !strcmp(msg.data, "Acme U1                   US-Letter   66.68 × 25.4 mm       30  "
	              "Address labels"));
	ev_buf_free(&msg);
	free(v);

	/* resolve: a named left-out template says why */
	ev_diags rd = {0};
	CHECK(!ev_labeldb_resolve("Acme OFF", dir, &db, &rd) && rd.n == 1 &&
	      strstr(rd.items[0].message, "off the paper"));
	ev_diags_free(&rd);
	ev_labeldb_free(db);
	ev_diags_free(&d);

	/* no database: the built-in sheets, and a message that says so */
	ev_labeldb *none = NULL;
	ev_diags nd = {0};
	CHECK(ev_labeldb_resolve("L7163", "/nonexistent", &none, &nd) == ev_label_sheet_find("L7163"));
	CHECK(none == NULL);
	CHECK(!ev_labeldb_resolve("Acme U1", "/nonexistent", &none, &nd) && nd.n == 1 &&
	      strstr(nd.items[0].message, "glabels-data"));
	CHECK(none && ev_labeldb_read(none) == 0 && ev_labeldb_count(none) == 0);
	ev_labeldb_free(none);
	ev_diags_free(&nd);
}

/* ---- the core: built-in sheets, fitting, laying out ---- */

static void core(void)
{
	const ev_label_sheet *b = ev_label_sheet_find("L7163");
	CHECK(b && b->builtin && b->grids[0].nx == 2 && b->grids[0].ny == 7);
	CHECK(b && b->grids[0].x0 == 4.65 && b->grids[0].y0 == 15.15 && b->grids[0].dx == 101.6);
	CHECK(ev_label_sheet_find("avery-l7160") == ev_label_sheet_find("L7160"));
	CHECK(ev_label_sheet_find("Avery 5160") == NULL);
	char why[300];
	CHECK(b && ev_label_sheet_check(b, why, sizeof why) == 0);

	/* the fixed-width fake: every character half an em */
	double half = 500;
	ev_metrics m = ev_metrics_fixed(&half);
	/* US Letter 2.625 x 1 in, margin 9 pt: a text box of 171 x 54 pt */
	ev_label_sheet u = {
		.id = "Acme U1", .brand = "Acme", .part = "U1", .paper = "US-Letter",
		.paper_w = 215.9, .paper_h = 279.4, .label_w = 66.675, .label_h = 25.4,
		.round = 1.5875, .margin = 9 * PT, .ngrids = 1,
		.grids = {{3, 10, 3.96875, 12.7, 70.64375, 25.4}},
	};
	char line57[58], line58[59];
	memset(line57, 'x', 57);
	line57[57] = 0;
	memset(line58, 'x', 58);
	line58[58] = 0;
	const char *ok[] = {line57};
	const char *wide[] = {line58};
	CHECK(ev_label_fits(&u, ok, 1, &m, why, sizeof why) == 0);
	CHECK(ev_label_fits(&u, wide, 1, &m, why, sizeof why) == 1 &&
	      strstr(why, "the address does not fit a label of Acme U1 (66.68 × 25.4 mm) "
	             "even at 6 pt: the line 'xxx"));
	/* 7 lines at 6 pt are 49.2 pt high; 8 are 56.4 */
	const char *seven[] = {"a", "b", "c", "d", "e", "f", "g", "h"};
	CHECK(ev_label_fits(&u, seven, 7, &m, why, sizeof why) == 0);
	CHECK(ev_label_fits(&u, seven, 8, &m, why, sizeof why) == 1 &&
	      strstr(why, "its 8 lines are too many"));

	/* laid out: --first 5 on a sheet of 30, moved 2 mm right, 1.5 up */
	ev_arena *a = ev_arena_new();
	ev_display dl;
	ev_display_init(&dl, a);
	const char *block[] = {"Name", "Street 1", "City"};
	const char *const *blocks[30];
	size_t nlines[30];
	for (int i = 0; i < 30; i++) {
		blocks[i] = block;
		nlines[i] = 3;
	}
	ev_label_place pl = {.first = 5, .dx = 2, .dy = -1.5};
	CHECK(ev_layout_labels(&u, &pl, 4, blocks, nlines, 30, &m, &dl) == 0);
	/* 26 on the first sheet, 4 on the second */
	CHECK(dl.npages == 2 && dl.pages[0].n == 26 * 3 && dl.pages[1].n == 4 * 3);
	if (dl.npages == 2) {
		/* label 5 is the second of row 2 */
		const ev_item *it = &dl.pages[0].items[0];
		NEAR(it->x, EV_MM(3.96875 + 70.64375) + EV_MM(9 * PT) + EV_MM(2));
		double top = EV_MM(12.7 + 25.4) + EV_MM(-1.5);
		double block_h = 9 * 1.2 * 2 + 9;
		NEAR(it->y, top + (EV_MM(25.4) - block_h) / 2 + 9 * 0.8);
		CHECK(it->size == 9);
		/* the second sheet starts again at label 1 */
		NEAR(dl.pages[1].items[0].x, EV_MM(3.96875) + EV_MM(9 * PT) + EV_MM(2));
		CHECK(dl.pages[0].width == EV_MM(215.9) && dl.pages[0].height == EV_MM(279.4));
	}

	/* a long line is set smaller, never wider than the box */
	ev_display_init(&dl, a);
	const char *shrink[] = {line57};
	const char *const *one[] = {shrink};
	size_t n1 = 1;
	CHECK(ev_layout_labels(&u, NULL, 0, one, &n1, 1, &m, &dl) == 0 &&
	      dl.npages == 1 && dl.pages[0].items[0].size == 6);

	/* the calibration page: outlines, crosshairs, rulers, the words */
	ev_display_init(&dl, a);
	CHECK(ev_layout_label_calibration(&u, &pl, &m, &dl) == 0 && dl.npages == 1);
	if (dl.npages == 1) {
		size_t lines = 0, texts = 0;
		bool told = false, about = false, inside = true;
		const ev_page *pg = &dl.pages[0];
		for (size_t i = 0; i < pg->n; i++) {
			const ev_item *it = &pg->items[i];
			lines += it->kind == EV_ITEM_LINE;
			texts += it->kind == EV_ITEM_TEXT;
			if (it->kind == EV_ITEM_TEXT && strstr(it->text, "Print on plain paper at 100 %"))
				told = strstr(it->text, "--offset X,Y") != NULL;
			if (it->kind == EV_ITEM_TEXT && strstr(it->text, "Acme U1: 30 labels of "
			                                       "66.68 × 25.4 mm on US-Letter"))
				about = strstr(it->text, "offset 2, -1.5 mm") != NULL;
			/* everything moved by the offset: nothing left of 2 mm */
			if (it->kind == EV_ITEM_LINE && (it->x < EV_MM(2) - 1e-9 || it->x2 < EV_MM(2) - 1e-9))
				inside = false;
		}
		/* 30 outlines of 4 sides and 4 arcs of 8, 2 crosshair lines each;
		 * ticks every mm: 216 + 280 */
		CHECK(lines == 30 * (4 + 4 * 8 + 2) + 216 + 280);
		/* numbers every 10 mm (the top's from 10, the left's from 20) */
		CHECK(texts == 21 + 26 + 2);
		CHECK(told && about && inside);
	}
	ev_arena_free(a);
}

static void numbers(void)
{
	char s[32];
	CHECK(!strcmp(ev_mm_text(99.1, s, sizeof s), "99.1"));
	CHECK(!strcmp(ev_mm_text(63.99, s, sizeof s), "63.99"));
	CHECK(!strcmp(ev_mm_text(210, s, sizeof s), "210"));
	CHECK(!strcmp(ev_mm_text(-1.5, s, sizeof s), "-1.5"));
	CHECK(!strcmp(ev_mm_text(66.675, s, sizeof s), "66.68"));
	CHECK(!strcmp(ev_mm_text(-0.001, s, sizeof s), "0"));
	double v;
	CHECK(ev_decimal_parse("181.4", 5, &v) == 0 && v == 181.4);
	CHECK(ev_decimal_parse("-1.5", 4, &v) == 0 && v == -1.5);
	CHECK(ev_decimal_parse(".5", 2, &v) == 0 && v == 0.5);
	CHECK(ev_decimal_parse("1e2", 3, &v) == 0 && v == 100);
	CHECK(ev_decimal_parse("2.", 2, &v) == 0 && v == 2);
	CHECK(ev_decimal_parse("1,5", 3, &v) < 0);
	CHECK(ev_decimal_parse("", 0, &v) < 0);
	CHECK(ev_decimal_parse("-", 1, &v) < 0);
	CHECK(ev_decimal_parse("1e", 2, &v) < 0);
	CHECK(ev_decimal_parse("12 ", 3, &v) < 0);
	double x, y;
	CHECK(ev_label_offset_parse("2,-1.5", &x, &y) == 0 && x == 2 && y == -1.5);
	CHECK(ev_label_offset_parse("0.25,0", &x, &y) == 0 && x == 0.25 && y == 0);
	CHECK(ev_label_offset_parse("2;1", &x, &y) < 0);
	CHECK(ev_label_offset_parse("2", &x, &y) < 0);
	CHECK(ev_label_offset_parse("1,2,3", &x, &y) < 0);
	CHECK(ev_label_offset_parse("60,0", &x, &y) < 0);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test-labels FIXTURE-FOLDER\n");
		return 2;
	}
	reading(argv[1]);
	core();
	numbers();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
