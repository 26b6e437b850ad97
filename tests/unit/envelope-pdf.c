/* envelope-pdf.c - the sample list's 413 judges on plain envelopes as PDF:
 * the list read by envoi's own reader (address blocks as the batch makes
 * them), the Latin copy by the default latin-places policy (by-national /
 * bgn-pcgn-ru, the name by `latin`, as manifest.csv's address_latin), the
 * country line as posted from Germany, Deutsche Post wanting both scripts;
 * set in PT Serif (DejaVu Serif as its fallback) with font subsets made
 * beforehand from the texts, as a batch makes them. For each size it also
 * writes what was printed (the return address, then each page's recipient
 * lines) for tests/e2e/envelope.py, which reads the PDFs back with poppler.
 *
 * usage: envelope-pdf JUDGES.csv FONT_DIR OUT_DIR SIZE...
 * writes OUT_DIR/SIZE.pdf and OUT_DIR/SIZE.txt (SIZE with '/' as '-') */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "casefile.h"
#include "diag.h"
#include "display.h"
#include "embed.h"
#include "envelope.h"
#include "font.h"
#include "pdf.h"
#include "recipient.h"
#include "scheme.h"
#include "table.h"

#define POSTING "DE"

static const char *const sender[] = {
	"Libereco – Partnership for Human Rights e. V.", "Greifswalder Straße 4",
	"10405 Berlin", "GERMANY"};

/* One envelope's lines, malloc'd. */
typedef struct piece {
	const char *cyr[EV_ADDRESS_MAX];
	char *lat[EV_ADDRESS_MAX];
	size_t n;
	char country[80];
	const char *country_line[1];
} piece;

static piece *pieces;
static size_t npieces;

static void print_diags(const ev_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		ev_diag_print(stderr, &d->items[i]);
}

/* The envelope's inputs for each accepted row: the block without its
 * country line, the same in Latin letters, the country as posted from DE. */
static int make_pieces(const ev_recipients *rs)
{
	const ev_scheme *be = ev_scheme_find("by-national"), *ru = ev_scheme_find("bgn-pcgn-ru");
	pieces = calloc(rs->n ? rs->n : 1, sizeof *pieces);
	if (!pieces || !be || !ru)
		return -1;
	for (size_t i = 0; i < rs->n; i++) {
		const ev_recipient *r = &rs->items[i];
		if (r->reason || r->naddress < 2)
			continue;
		piece *p = &pieces[npieces++];
		p->n = r->naddress - 1;
		for (size_t k = 0; k < p->n; k++) {
			p->cyr[k] = r->address[k];
			p->lat[k] = !strcmp(r->address[k], r->name) ? strdup(r->name_latin)
			          : ev_translit_by_lang(be, ru, r->address[k], r->lang);
			if (!p->lat[k])
				return -1;
		}
		ev_envelope_country(r->address[p->n], POSTING, p->country, sizeof p->country);
		p->country_line[0] = p->country;
	}
	return 0;
}

static ev_envelope_in envelope_of(const piece *p, const char *size)
{
	return (ev_envelope_in){
		.size = size, .posting = POSTING,
		.latin = ev_envelope_wants_latin(POSTING, false),
		.sender = sender, .nsender = 4,
		.address = p->cyr, .naddress = p->n,
		.address_latin = (const char *const *)p->lat, .naddress_latin = p->n,
		.country = p->country_line, .ncountry = 1,
	};
}

static const char *const pt_files[EV_FACE_COUNT] = {
	"PTF55F.ttf", "PTF75F.ttf", "PTF56F.ttf", "PTF76F.ttf"
};

typedef struct fonts {
	char *data[EV_FACE_COUNT + 1];
	ev_font *font[EV_FACE_COUNT + 1];
	ev_fontset fs;
} fonts;

static int load_fonts(fonts *F, const char *dir)
{
	memset(F, 0, sizeof *F);
	for (int f = 0; f <= EV_FACE_COUNT; f++) {
		char path[1024], why[200];
		size_t len;
		snprintf(path, sizeof path, "%s/%s", dir,
		         f < EV_FACE_COUNT ? pt_files[f] : "DejaVuSerif.ttf");
		F->data[f] = ev_case_read_file(path, &len);
		F->font[f] = F->data[f] ? ev_font_new(F->data[f], len, why, sizeof why) : NULL;
		if (!F->font[f]) {
			fprintf(stderr, "envelope-pdf: %s: cannot load\n", path);
			return -1;
		}
		if (f < EV_FACE_COUNT)
			F->fs.face[f] = F->font[f];
	}
	F->fs.fallback[EV_FACE_REGULAR] = F->font[EV_FACE_COUNT];
	return 0;
}

static void free_fonts(fonts *F)
{
	for (int f = 0; f <= EV_FACE_COUNT; f++) {
		ev_font_free(F->font[f]);
		free(F->data[f]);
	}
}

static int add_lines(ev_charset *cs, const ev_fontset *fs, const char *const *lines,
                     size_t n, ev_diags *d)
{
	for (size_t k = 0; k < n; k++)
		if (ev_charset_add_text(cs, fs, EV_FACE_REGULAR, lines[k], strlen(lines[k]), d) < 0)
			return -1;
	return 0;
}

/* Every text an envelope prints, in the one face they are set in. */
static int collect(ev_charset *cs, const ev_fontset *fs, ev_diags *d)
{
	if (add_lines(cs, fs, sender, 4, d) < 0)
		return -1;
	for (size_t i = 0; i < npieces; i++) {
		const piece *p = &pieces[i];
		if (add_lines(cs, fs, p->cyr, p->n, d) < 0 ||
		    add_lines(cs, fs, (const char *const *)p->lat, p->n, d) < 0 ||
		    add_lines(cs, fs, p->country_line, 1, d) < 0)
			return -1;
	}
	return 0;
}

static void write_lines(FILE *f, const char *tag, const char *const *lines, size_t n)
{
	for (size_t k = 0; k < n; k++)
		fprintf(f, "%s\t%s\n", tag, lines[k]);
}

/* One size: every piece on its own page, the first pass checking each
 * address fits (a row that does not is reported and left out). */
static int write_size(fonts *F, const char *size, const char *dir)
{
	char name[32], pdfpath[1024], txtpath[1024];
	snprintf(name, sizeof name, "%s", size);
	for (char *c = name; *c; c++)
		if (*c == '/')
			*c = '-';
	snprintf(pdfpath, sizeof pdfpath, "%s/%s.pdf", dir, name);
	snprintf(txtpath, sizeof txtpath, "%s/%s.txt", dir, name);

	ev_diags d = {0};
	ev_embed embed = {0};
	ev_pdf *pdf = NULL;
	ev_arena *a = ev_arena_new();
	ev_charset *cs = ev_charset_new();
	ev_metrics m = ev_fontset_metrics(&F->fs);
	FILE *txt = fopen(txtpath, "w");
	ev_display dl;
	size_t pages = 0, refused = 0;
	int rc = -1;
	if (!a || !cs || !txt || collect(cs, &F->fs, &d) < 0 ||
	    ev_embed_make(&embed, &F->fs, cs, &d) < 0 || !(pdf = ev_pdf_new(&embed, &F->fs, &d)))
		goto done;
	ev_pdf_meta meta = {.title = "Envelopes", .author = sender[0]};
	if (ev_pdf_begin(pdf, &meta, &d) < 0)
		goto done;
	write_lines(txt, "sender", sender, 4);
	for (size_t i = 0; i < npieces; i++) {
		const piece *p = &pieces[i];
		ev_envelope_in in = envelope_of(p, size);
		char why[600];
		if (ev_envelope_fits(&in, &m, NULL, why, sizeof why)) {
			fprintf(stderr, "envelope-pdf: %s, piece %zu: %s\n", size, i + 1, why);
			refused++;
			continue;
		}
		const char *reason;
		ev_display_init(&dl, a);
		int got = ev_layout_envelope(&in, &m, &dl, &reason);
		if (got != 0) {
			fprintf(stderr, "envelope-pdf: %s, piece %zu: %s\n", size, i + 1,
			        got > 0 ? reason : "out of memory");
			goto done;
		}
		if (ev_pdf_add(pdf, &dl, &d) < 0)
			goto done;
		ev_arena_reset(a);
		fprintf(txt, "page\t%zu\n", ++pages);
		write_lines(txt, "line", p->cyr, p->n);
		write_lines(txt, "line", (const char *const *)p->lat, p->n);
		write_lines(txt, "line", p->country_line, 1);
	}
	if (ev_pdf_end_file(pdf, pdfpath, &d) < 0)
		goto done;
	printf("%s: %zu envelopes, %zu refused\n", pdfpath, pages, refused);
	rc = refused ? -1 : 0;
done:
	if (rc < 0)
		fprintf(stderr, "envelope-pdf: %s: failed\n", pdfpath);
	if (txt && fclose(txt) != 0)
		rc = -1;
	print_diags(&d);
	ev_diags_free(&d);
	ev_pdf_free(pdf);
	ev_embed_free(&embed);
	ev_charset_free(cs);
	ev_arena_free(a);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fputs("usage: envelope-pdf JUDGES.csv FONT_DIR OUT_DIR SIZE...\n", stderr);
		return 2;
	}
	size_t len;
	char *csv = ev_case_read_file(argv[1], &len);
	ev_diags d = {0};
	ev_table *t = csv ? ev_csv_read(csv, len, argv[1], NULL, &d) : NULL;
	ev_recipients *rs = t ? ev_recipients_build(t, argv[1], NULL, &d) : NULL;
	fonts F;
	int rc = 1;
	if (!rs || make_pieces(rs) < 0) {
		fprintf(stderr, "envelope-pdf: %s: cannot read\n", argv[1]);
		print_diags(&d);
	} else {
		if (load_fonts(&F, argv[2]) == 0) {
			rc = 0;
			for (int k = 4; k < argc; k++)
				if (write_size(&F, argv[k], argv[3]) < 0)
					rc = 1;
		}
		free_fonts(&F);
	}
	for (size_t i = 0; i < npieces; i++)
		for (size_t k = 0; k < pieces[i].n; k++)
			free(pieces[i].lat[k]);
	free(pieces);
	ev_recipients_free(rs);
	ev_table_free(t);
	ev_diags_free(&d);
	free(csv);
	return rc;
}
