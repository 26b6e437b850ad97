/* plist-pdf.c - a posting list of the sample list's 413 judges (Cyrillic
 * names, their Latin forms) written as PDF in PT Serif, a page at a time
 * as the list hands its pages over, with font subsets made beforehand from
 * ev_posting_list_chars and the pieces' own strings, as a batch makes
 * them. Every piece a standard letter at 1.25 EUR. tests/e2e/postinglist.sh
 * reads the PDFs back with poppler.
 *
 * usage: plist-pdf JUDGES.csv FONT_DIR OUT-de.pdf OUT-en.pdf [letter] */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "casefile.h"
#include "diag.h"
#include "display.h"
#include "embed.h"
#include "font.h"
#include "pdf.h"
#include "postinglist.h"
#include "translit.h"

#define MAX_PIECES 2000

typedef struct piece {
	char id[16], name[200], *latin;
} piece;

static piece pieces[MAX_PIECES];
static size_t npieces;

static const char *const sender[] = {
	"Libereco – Partnership for Human Rights e. V.", "Greifswalder Straße 4",
	"10405 Berlin", "Deutschland"};

static void print_diags(const ev_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		ev_diag_print(stderr, &d->items[i]);
}

/* The first four fields of each record (id, surname, given name,
 * patronymic: never quoted in the sample list) and the last (language). */
static int read_judges(const char *path)
{
	char *csv = ev_case_read_file(path, NULL);
	if (!csv)
		return -1;
	char *line = strchr(csv, '\n');
	while (line && line[1] && npieces < MAX_PIECES) {
		char *start = line + 1;
		line = strchr(start, '\n');
		if (line)
			*line = '\0';
		char *f[4], *s = start;
		for (int k = 0; k < 4; k++) {
			f[k] = s;
			s = strchr(s, ',');
			if (!s)
				return -1;
			*s++ = '\0';
		}
		char *lang = strrchr(s, ',');
		piece *p = &pieces[npieces++];
		snprintf(p->id, sizeof p->id, "%s", f[0]);
		snprintf(p->name, sizeof p->name, "%s %s %s", f[1], f[2], f[3]);
		p->latin = ev_latin(p->name, ev_lang_parse(lang ? lang + 1 : ""));
		if (!p->latin)
			return -1;
	}
	free(csv);
	return 0;
}

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
			fprintf(stderr, "plist-pdf: %s: cannot load\n", path);
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

static void make_line(size_t i, ev_posting_line *l)
{
	*l = (ev_posting_line){
		.seq = i + 1, .id = pieces[i].id, .name = pieces[i].name,
		.name_latin = pieces[i].latin, .country = "BELARUS",
		.weight_ug = 4980000 + (int64_t)(i % 3) * 4990000,
		.band = "Standardbrief", .service = EV_SERVICE_STANDARD, .postage = 125,
	};
}

/* What the list prints, in the faces it prints in: its fixed characters
 * and every string of the head and the pieces. */
static int collect(ev_charset *cs, const ev_fontset *fs, const ev_posting_head *h,
                   ev_diags *d)
{
	const char *head[] = {ev_posting_list_chars(h->lang), h->date, h->number,
	                      h->operator_name, h->currency, "BELARUS", "Standardbrief"};
	for (int face = EV_FACE_REGULAR; face <= EV_FACE_BOLD; face++) {
		for (size_t k = 0; k < sizeof head / sizeof *head; k++)
			if (ev_charset_add_text(cs, fs, face, head[k], strlen(head[k]), d) < 0)
				return -1;
		for (size_t k = 0; k < h->nsender; k++)
			if (ev_charset_add_text(cs, fs, face, h->sender[k], strlen(h->sender[k]), d) < 0)
				return -1;
		for (size_t i = 0; i < npieces; i++) {
			const piece *p = &pieces[i];
			if (ev_charset_add_text(cs, fs, face, p->id, strlen(p->id), d) < 0 ||
			    ev_charset_add_text(cs, fs, face, p->name, strlen(p->name), d) < 0 ||
			    ev_charset_add_text(cs, fs, face, p->latin, strlen(p->latin), d) < 0)
				return -1;
		}
	}
	return 0;
}

/* One language's list into path. */
static int write_list(fonts *F, const char *lang, const char *path, double w, double h)
{
	ev_posting_head head = {
		.lang = lang, .sender = sender, .nsender = 4,
		.date = !strcmp(lang, "de") ? "2. Juni 2025" : "2 June 2025",
		.number = "2025-06-02/1", .operator_name = "Deutsche Post",
		.currency = "EUR", .pieces = npieces, .page_w = w, .page_h = h,
	};
	ev_diags d = {0};
	ev_embed embed = {0};
	ev_pdf *pdf = NULL;
	ev_posting_list *pl = NULL;
	ev_arena *a = ev_arena_new();
	ev_charset *cs = ev_charset_new();
	ev_metrics m = ev_fontset_metrics(&F->fs);
	ev_display dl;
	int rc = -1;
	if (!a || !cs || collect(cs, &F->fs, &head, &d) < 0 ||
	    ev_embed_make(&embed, &F->fs, cs, &d) < 0 ||
	    !(pdf = ev_pdf_new(&embed, &F->fs, &d)) || !(pl = ev_posting_list_new(&head, &m)))
		goto done;
	ev_pdf_meta meta = {.title = !strcmp(lang, "de") ? "Einlieferungsliste" : "Posting list",
	                    .author = sender[0]};
	if (ev_pdf_begin(pdf, &meta, &d) < 0)
		goto done;
	ev_display_init(&dl, a);
	for (size_t i = 0; i < npieces; i++) {
		ev_posting_line l;
		make_line(i, &l);
		int got = ev_posting_list_add(pl, &l, &dl);
		if (got < 0 || (got == 1 && ev_pdf_add(pdf, &dl, &d) < 0))
			goto done;
		if (got == 1) {
			ev_arena_reset(a);
			ev_display_init(&dl, a);
		}
	}
	if (ev_posting_list_finish(pl, &dl) < 0 || ev_pdf_add(pdf, &dl, &d) < 0 ||
	    ev_pdf_end_file(pdf, path, &d) < 0)
		goto done;
	printf("%s: %zu pages\n", path, ev_posting_list_pages(pl));
	rc = 0;
done:
	if (rc < 0)
		fprintf(stderr, "plist-pdf: cannot write %s\n", path);
	print_diags(&d);
	ev_diags_free(&d);
	ev_posting_list_free(pl);
	ev_pdf_free(pdf);
	ev_embed_free(&embed);
	ev_charset_free(cs);
	ev_arena_free(a);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 5 && argc != 6) {
		fputs("usage: plist-pdf JUDGES.csv FONT_DIR OUT-de.pdf OUT-en.pdf [letter]\n", stderr);
		return 2;
	}
	bool letter = argc == 6 && !strcmp(argv[5], "letter");
	double w = letter ? 612 : EV_MM(210.0), h = letter ? 792 : EV_MM(297.0);
	fonts F;
	int rc = 1;
	if (read_judges(argv[1]) < 0) {
		fprintf(stderr, "plist-pdf: %s: cannot read\n", argv[1]);
		return 1;
	}
	if (load_fonts(&F, argv[2]) == 0 && write_list(&F, "de", argv[3], w, h) == 0 &&
	    write_list(&F, "en", argv[4], w, h) == 0)
		rc = 0;
	free_fonts(&F);
	for (size_t i = 0; i < npieces; i++)
		free(pieces[i].latin);
	return rc;
}
