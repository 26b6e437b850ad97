/* batch.c - running a job: read and check every input once, then for each
 * recipient merge -> lay out -> render -> write, and finally the label
 * sheets, the combined print file and the manifest. All outputs are made in
 * a staging folder inside OUTDIR and moved into place only when complete. */
#include "batch.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "table.h"
#include "diag.h"
#include "embed.h"
#include "font.h"
#include "encoding.h"
#include "fsutil.h"
#include "hyphen_dict.h"
#include "layout.h"
#include "manifest.h"
#include "namekey.h"
#include "merge.h"
#include "pdf.h"
#include "recipient.h"
#include "report.h"
#include "salutation.h"
#include "scheme.h"
#include "template.h"
#include "translit.h"

#define LETTER_LIMIT ((size_t)1 << 20)
#define LIST_LIMIT ((size_t)256 << 20)
/* Larger font files are refused (the largest TrueType fonts are ~20 MB). */
#define FONT_LIMIT ((size_t)64 << 20)

/* The bundled font files for each `fonts:` choice, by face (regular, bold,
 * italic, bold italic): the font, and the fallback that draws what the
 * font lacks (none when fallback[0] is NULL). */
static const struct font_set {
	const char *main[EV_FACE_COUNT];
	const char *fallback[EV_FACE_COUNT];
} font_sets[EV_FONTS_COUNT] = {
	[EV_FONTS_PT_SERIF] = {
		{"PTF55F.ttf", "PTF75F.ttf", "PTF56F.ttf", "PTF76F.ttf"},
		{"DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf",
		 "DejaVuSerif-BoldItalic.ttf"},
	},
	[EV_FONTS_DEJAVU_SERIF] = {
		{"DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf",
		 "DejaVuSerif-BoldItalic.ttf"},
		{NULL, NULL, NULL, NULL},
	},
};

/* Rows of the list built and laid out at a time: the list is read a
 * chunk at a time in each pass, so memory does not grow with its length. */
#define CHUNK_ROWS 1024

/* Everything read and checked before the first letter is made, and the
 * list, read a chunk of rows at a time. */
typedef struct inputs {
	ev_arena *run;               /* template and settings */
	char *letter_src, *sig_src;
	size_t letter_len, sig_len;
	ev_mapped list_file;         /* the list's bytes */
	ev_decoded list;             /* the list as UTF-8 (the table points in;
	                                into list_file when it was UTF-8) */
	ev_template *t;
	ev_table *table, *sig_table;
	ev_recipients *rs;
	size_t passes;               /* over the list so far */
	ev_diags scratch;            /* the reader's diagnostics read again */
	const char **signatories;
	size_t nsignatories;
	ev_merge_list sig_list;      /* the same rows for {{#signatories}} */
	const char *const **sig_rows;
	char *fontpaths[EV_FACE_COUNT];
	char *fallbackpaths[EV_FACE_COUNT];   /* all NULL: no fallback font */
	char *font_data[2][EV_FACE_COUNT];    /* the files' bytes */
	size_t font_len[2][EV_FACE_COUNT];
	ev_font *fonts[2][EV_FACE_COUNT];
	ev_fontset fs;
	ev_metrics metrics;          /* layout measures through fs */
	ev_embed embed;              /* the batch's font subsets */
	ev_hyphen *hyphen;           /* pattern files, loaded per language */
	ev_hyphenator hy;
	ev_layout_stats worst;       /* the loosest line of the batch */
	size_t worst_index;          /* its row, or SIZE_MAX */
	char *worst_id;              /* that row's id */
	size_t hyphens, ragged;
} inputs;

static void inputs_free(inputs *in)
{
	ev_embed_free(&in->embed);
	ev_hyphen_free(in->hyphen);
	for (int f = 0; f < EV_FACE_COUNT; f++) {
		free(in->fontpaths[f]);
		free(in->fallbackpaths[f]);
		for (int w = 0; w < 2; w++) {
			ev_font_free(in->fonts[w][f]);
			free(in->font_data[w][f]);
		}
	}
	ev_recipients_free(in->rs);
	ev_table_free(in->table);
	ev_table_free(in->sig_table);
	free(in->signatories);
	free((void *)in->sig_rows);
	free(in->letter_src);
	ev_decoded_free(&in->list);
	ev_unmap_file(&in->list_file);
	ev_diags_free(&in->scratch);
	free(in->worst_id);
	free(in->sig_src);
	ev_arena_free(in->run);
}

/* Fonts over the bytes load_fonts read, into fonts[][] and fs: each thread
 * makes its own (the shaping caches are not shared). Returns 0, or -1 with
 * the reason in why and the failing file's place in *w, *f. */
static int make_fontset(const inputs *in, ev_font *fonts[2][EV_FACE_COUNT],
                        ev_fontset *fs, int *w, int *f, char *why, size_t cap)
{
	for (*w = 0; *w < 2; ++*w)
		for (*f = 0; *f < EV_FACE_COUNT; ++*f) {
			const char *data = in->font_data[*w][*f];
			if (!data)
				continue;
			ev_font *font = ev_font_new(data, in->font_len[*w][*f], why, cap);
			if (!font)
				return -1;
			fonts[*w][*f] = font;
			if (*w)
				fs->fallback[*f] = font;
			else
				fs->face[*f] = font;
		}
	return 0;
}

/* What one thread lays out and writes with: its own fonts (their shaping
 * caches), hyphenator (its cache), PDF writer and arena, and what it
 * measured. Everything else (the template, the list, the embedded fonts)
 * is shared and only read. */
typedef struct worker {
	inputs *in;
	const ev_job *job;
	ev_font *fonts[2][EV_FACE_COUNT];
	ev_fontset fs;
	ev_metrics metrics;
	ev_hyphen *hyphen;
	ev_hyphenator hy;
	ev_pdf *pdf;
	ev_arena *arena;
	ev_layout_memo *memo;        /* the template's paragraphs, set once */
	ev_charset *cs;
	ev_diags d;
	ev_layout_stats worst;
	size_t worst_index;          /* the row of the loosest line, or SIZE_MAX */
	char *worst_id;              /* its id */
	size_t hyphens, ragged;
	struct pool *pool;
} worker;

static void worker_free(worker *w)
{
	ev_pdf_free(w->pdf);
	ev_hyphen_free(w->hyphen);
	ev_arena_free(w->arena);
	ev_layout_memo_free(w->memo);
	ev_charset_free(w->cs);
	ev_diags_free(&w->d);
	free(w->worst_id);
	for (int k = 0; k < 2; k++)
		for (int f = 0; f < EV_FACE_COUNT; f++)
			ev_font_free(w->fonts[k][f]);
	memset(w, 0, sizeof *w);
}

/* A worker over the inputs' font bytes (parsing a font again is ~50 us).
 * Returns 0, -1 (out of memory, in d). */
static int worker_init(worker *w, inputs *in, const ev_job *job, ev_diags *d)
{
	memset(w, 0, sizeof *w);
	w->in = in;
	w->job = job;
	w->worst_index = SIZE_MAX;
	int k, f;
	char why[200];
	if (make_fontset(in, w->fonts, &w->fs, &k, &f, why, sizeof why) < 0)
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
	return 0;
oom:
	ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "out of memory starting a worker");
	worker_free(w);
	return -1;
}

/* The rows are handed out one at a time, in order, to the workers; each
 * letter's result waits in its slot until the main thread takes it, in
 * order, so the output is the same whatever the number of threads. */
typedef struct slot {
	bool done;
	ev_pdf_pages *pages;         /* the letter's pages, or NULL */
	char *rel;                   /* letters/NNNN-name.pdf */
} slot;

typedef struct pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t next, n;
	bool failed;
	slot *slots;                 /* pass 2 */
	char *stage_letters;         /* pass 2 */
	/* Letters laid out in the first pass, kept for the second while they
	 * fit in CACHE_BYTES (the first CACHE_ROWS rows at most); the others
	 * are laid out again. */
	ev_display **cache;
	size_t *cached;
} pool;

#define CACHE_BYTES ((size_t)8 << 20)
#define CACHE_ROWS ((size_t)8192)

/* Letters per print file: a campaign of more is printed from volumes
 * print-001.pdf, print-002.pdf, ... (libharu's page tree stops at 32,767
 * pages, and a volume is held in memory until it is written). */
#define VOLUME_LETTERS 500

/* The next row to do, or SIZE_MAX when there is none (or a worker failed). */
static size_t next_row(pool *p)
{
	pthread_mutex_lock(&p->mu);
	size_t i = p->failed || p->next >= p->n ? SIZE_MAX : p->next++;
	pthread_mutex_unlock(&p->mu);
	return i;
}

static void pool_fail(pool *p)
{
	pthread_mutex_lock(&p->mu);
	p->failed = true;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* How many workers: --threads, else one per core. */
static size_t thread_count(const ev_job *job)
{
	long n = job->threads > 0 ? (long)job->threads : sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	if (n > 64)
		n = 64;
	return (size_t)n;
}

/* Run fn on every worker, each in its own thread, until the rows are done. */
static int run_workers(worker *ws, size_t nw, pool *p, void *(*fn)(void *),
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
		pool_fail(p);
	for (size_t i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
	if (started < nw) {
		ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "cannot start a thread");
		return -1;
	}
	return p->failed ? -1 : 0;
}

/* Each worker's diagnostics into d, in the list's order. */
static void gather_diags(worker *ws, size_t nw, ev_diags *d)
{
	for (size_t i = 0; i < nw; i++)
		ev_diags_take(d, &ws[i].d);
	ev_diags_sort(d);
}

/* Print errors and warnings, and forget them; notes (repairs made to
 * values) are for `envoi check`, which lists them. */
static void print_diags(FILE *err, ev_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->items[i].severity != EV_NOTE)
			ev_diag_print(err, &d->items[i]);
	ev_diags_clear(d);
}

/* The signatories list: "organisation (country)" per row of the CSV named
 * in the front matter, relative to the letter's folder. */
static int read_signatories(inputs *in, const char *letter, ev_diags *d)
{
	const ev_template *t = in->t;
	if (!t->signatories)
		return 0;
	char *dir = ev_path_dirname(letter);
	char *path = t->signatories[0] == '/' ? strdup(t->signatories)
	                                      : ev_path_join(dir, t->signatories);
	free(dir);
	int rc = -1;
	if (!path || ev_read_file(path, LIST_LIMIT, &in->sig_src, &in->sig_len, d) < 0)
		goto out;
	in->sig_table = ev_csv_read(in->sig_src, in->sig_len, path, NULL, d);
	if (!in->sig_table)
		goto out;
	long org = ev_table_column(in->sig_table, "organisation");
	long country = ev_table_column(in->sig_table, "country");
	if (org < 0) {
		ev_diag_add(d, EV_ERROR, path, in->sig_table->header_line, 0, NULL,
		            "the signatories list needs an 'organisation' column "
		            "(and may have a 'country' column)");
		goto out;
	}
	in->signatories = calloc(in->sig_table->nrows + 1, sizeof *in->signatories);
	in->sig_rows = calloc(in->sig_table->nrows + 1, sizeof *in->sig_rows);
	if (!in->signatories || !in->sig_rows)
		goto out;
	for (size_t i = 0; i < in->sig_table->nrows; i++)
		in->sig_rows[i] = (const char *const *)in->sig_table->rows[i].fields;
	in->sig_list = (ev_merge_list){
		.name = "signatories", .columns = (const char *const *)in->sig_table->header,
		.ncolumns = in->sig_table->ncols, .rows = in->sig_rows,
		.nrows = in->sig_table->nrows,
	};
	for (size_t i = 0; i < in->sig_table->nrows; i++) {
		const ev_record *r = &in->sig_table->rows[i];
		if (r->error)
			goto out;     /* already reported; a letter must not lose a name */
		const char *o = r->fields[org], *c = country >= 0 ? r->fields[country] : "";
		in->signatories[in->nsignatories++] =
		        *c ? ev_arena_printf(in->run, "%s (%s)", o, c)
		           : ev_arena_strdup(in->run, o);
	}
	rc = 0;
out:
	free(path);
	return rc;
}

static int check_fields(inputs *in, ev_diags *d)
{
	size_t n;
	const char **names = ev_recipients_field_names(in->rs, &n);
	if (!names)
		return -1;
	const char **all = realloc(names, (n + 3) * sizeof *names);
	if (!all) {
		free(names);
		return -1;
	}
	all[n++] = "date";
	all[n++] = "salutation";
	if (in->t->signatories)
		all[n++] = "signatories";
	const char *const *inner = in->sig_table ? (const char *const *)in->sig_table->header : NULL;
	size_t ninner = in->sig_table ? in->sig_table->ncols : 0;
	size_t errors = ev_template_check_fields(in->t, all, n, inner, ninner, d);
	free(all);
	return errors ? -1 : 0;
}

/* Find the font files the letter's `fonts:` setting names (PT Serif with
 * DejaVu Serif as its fallback when there is no letter, as for `check`)
 * and load them. The first folder of --fonts, ENVOI_FONTDIR or the
 * built-in list that has the regular face wins; every other file must be
 * there too. */
static int load_fonts(inputs *in, const char *fontdir, ev_diags *d)
{
	const struct font_set *set = &font_sets[in->t ? in->t->fonts : EV_FONTS_PT_SERIF];
	const char *dirs = fontdir ? fontdir : getenv("ENVOI_FONTDIR");
	if (!dirs || !*dirs)
		dirs = EV_FONT_DIRS;
	char *list = strdup(dirs), *save = NULL;
	const char *chosen = NULL;
	for (char *dir = list ? strtok_r(list, ":", &save) : NULL; dir && !chosen;
	     dir = strtok_r(NULL, ":", &save)) {
		char *p = ev_path_join(dir, set->main[0]);
		if (p && ev_is_file(p))
			chosen = dir;
		free(p);
	}
	if (!chosen) {
		ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "cannot find the fonts "
		            "(%s) in %s; set ENVOI_FONTDIR or use --fonts DIR",
		            set->main[0], dirs);
		free(list);
		return -1;
	}
	int rc = 0;
	for (int f = 0; f < EV_FACE_COUNT; f++) {
		in->fontpaths[f] = ev_path_join(chosen, set->main[f]);
		in->fallbackpaths[f] = set->fallback[f]
		                       ? ev_path_join(chosen, set->fallback[f]) : NULL;
		if (!in->fontpaths[f] || (set->fallback[f] && !in->fallbackpaths[f]))
			rc = -1;
	}
	free(list);
	if (rc < 0)
		return -1;
	/* Each file is read once; every thread parses the bytes into fonts of
	 * its own (HarfBuzz), and measures and draws through them. */
	for (int w = 0; w < 2; w++)
		for (int f = 0; f < EV_FACE_COUNT; f++) {
			const char *path = w ? in->fallbackpaths[f] : in->fontpaths[f];
			if (path && ev_read_file(path, FONT_LIMIT, &in->font_data[w][f],
			                         &in->font_len[w][f], d) < 0)
				return -1;
		}
	int w, f;
	char why[200];
	if (make_fontset(in, in->fonts, &in->fs, &w, &f, why, sizeof why) < 0) {
		ev_diag_add(d, EV_ERROR, w ? in->fallbackpaths[f] : in->fontpaths[f],
		            0, 0, NULL, "cannot use this font: %s", why);
		return -1;
	}
	in->metrics = ev_fontset_metrics(&in->fs);
	return 0;
}

/* The hyphenation patterns for every language the letter uses; a missing
 * pattern file is a warning (the letter is set without hyphens there). */
static int load_hyphenation(inputs *in, ev_diags *d)
{
	if (!in->t->hyphenate)
		return 0;
	in->hyphen = ev_hyphen_open(NULL);
	if (!in->hyphen)
		return -1;
	in->hy = ev_hyphen_iface(in->hyphen);
	const char *langs[4] = {in->t->lang};
	size_t n = 1;
	for (size_t i = 0; i < in->t->body.nblocks; i++) {
		const char *l = in->t->body.blocks[i].lang;
		bool seen = false;
		for (size_t k = 0; l && k < n; k++)
			seen |= !strcmp(langs[k], l);
		if (l && !seen && n < 4)
			langs[n++] = l;
	}
	for (size_t k = 0; k < n; k++) {
		const char *why = ev_hyphen_missing(in->hyphen, langs[k]);
		if (why)
			ev_diag_add(d, EV_WARNING, in->t->path, 0, 0, NULL, "%s; the %s "
			            "text is set without hyphenation", why, langs[k]);
	}
	return 0;
}

/* The recipient list: mapped, decoded to UTF-8 (a UTF-8 list is not
 * copied), its header read and its columns mapped; whole (every row read
 * and checked, for `envoi check`) or ready to be read a chunk at a time
 * (next_chunk). Returns 0, or -1 when the list cannot be used. */
static int read_list(inputs *in, const ev_job *job, bool whole, ev_diags *d)
{
	if (ev_map_file(job->recipients, LIST_LIMIT, &in->list_file, d) < 0)
		return -1;
	if (ev_decode_borrow(in->list_file.data, in->list_file.len, job->encoding,
	                     job->recipients, &in->list, d) < 0)
		return -1;
	/* Decoded into a copy, the file's bytes are done with. */
	if (!in->list.borrowed)
		ev_unmap_file(&in->list_file);
	ev_csv_options opt = {.delimiter = job->delimiter};
	in->table = whole ? ev_csv_read(in->list.text, in->list.len, job->recipients, &opt, d)
	                  : ev_csv_open(in->list.text, in->list.len, job->recipients, &opt, d);
	if (!in->table)
		return -1;
	ev_recipient_options ro = {.map = job->map, .nmap = job->nmap,
	                           .keep_duplicates = job->keep_duplicates,
	                           .encoding = in->list.encoding, .lang = job->lang};
	if (in->t) {
		ro.latin_be = ev_scheme_find(in->t->latin.be);
		ro.latin_ru = ev_scheme_find(in->t->latin.ru);
	}
	in->rs = whole ? ev_recipients_build(in->table, job->recipients, &ro, d)
	               : ev_recipients_begin(in->table, job->recipients, &ro, d);
	return in->rs ? 0 : -1;
}

/* Start a pass over the list: from its first row, the rows built again
 * after the first pass (which built and checked them). */
static void start_pass(inputs *in)
{
	if (in->passes++) {
		ev_csv_rewind(in->table);
		ev_recipients_replay(in->rs);
	}
}

/* The next chunk of the list into in->rs->items: read and built, with the
 * list's diagnostics in d the first time (rows read again are only
 * compared). Returns the number of rows, 0 at the end of the list (after
 * the first pass, with the checks of the whole list made), or -1 when the
 * list cannot be used (the reason in d). */
static long next_chunk(inputs *in, const ev_job *job, ev_diags *d)
{
	bool first = !in->rs->replaying;
	long n = ev_csv_next(in->table, CHUNK_ROWS, first ? d : &in->scratch);
	ev_diags_clear(&in->scratch);
	if (n > 0 && ev_recipients_next(in->rs, d) < 0)
		return -1;
	if (n == 0 && first && ev_recipients_finish(in->rs, d) < 0)
		return -1;
	/* The rows before this chunk are done with: their pages of the
	 * mapped file can go. */
	if (n > 0 && in->list.borrowed)
		ev_map_release(&in->list_file, (size_t)(in->list.text - in->list_file.data) +
		                               in->table->rows[0].offset);
	if (n >= 0 && !ev_map_unchanged(&in->list_file)) {
		ev_diag_add(d, EV_ERROR, job->recipients, 0, 0, NULL, "the list was changed "
		            "by another program while envoi was reading it; close it "
		            "there and run again");
		return -1;
	}
	return n;
}

/* Read, parse and check the letter, the list and the signatories; load the
 * fonts. Returns 0, or -1 when the job cannot be done (errors in d). */
static int read_inputs(inputs *in, const ev_job *job, ev_diags *d)
{
	in->run = ev_arena_new();
	if (!in->run)
		return -1;
	if (ev_read_file(job->letter, LETTER_LIMIT, &in->letter_src, &in->letter_len, d) < 0)
		return -1;
	in->t = ev_template_parse(in->letter_src, in->letter_len, job->letter, in->run, d);
	if (read_list(in, job, false, d) < 0 || !in->t)
		return -1;
	if (read_signatories(in, job->letter, d) < 0 || check_fields(in, d) < 0)
		return -1;
	if (load_fonts(in, job->fontdir, d) < 0)
		return -1;
	return load_hyphenation(in, d);
}

/* ---- one letter ---- */

typedef struct lookup_ctx {
	const ev_recipients *rs;
	const ev_recipient *r;
	const char *date;
	const char *salutation;
	ev_arena *a;
} lookup_ctx;

/* {{salutation}} in a translation: the built-in greeting in its language
 * (the campaign's `salutation:` line is in the letter's language). */
static const char *translated_salutation(lookup_ctx *c, const char *lang)
{
	const char *stored = ev_recipient_value(c->rs, c->r, "surname_latin");
	char *s = ev_salutation(lang, c->r, stored && *stored ? stored : c->r->surname_latin);
	const char *res = s ? ev_arena_strdup(c->a, s) : NULL;
	free(s);
	return res ? res : "";
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
                              const ev_recipient *r, ev_arena *a)
{
	const ev_template *t = in->t;
	if (t->salutation.line)
		return ev_merge_line(mi, &t->salutation, a);
	const char *stored = ev_recipient_value(in->rs, r, "surname_latin");
	char *s = ev_salutation(t->lang, r, stored && *stored ? stored : r->surname_latin);
	const char *res = s ? ev_arena_strdup(a, s) : NULL;
	free(s);
	return res;
}

/* Merge and lay out one recipient's letter into dl. Returns 0, 1 when the
 * recipient was rejected (the reason is recorded on it), -1 on no memory. */
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

static int lay_out_letter(worker *w, ev_recipient *r, ev_arena *a, ev_display *dl,
                          bool count)
{
	inputs *in = w->in;
	lookup_ctx ctx = {.rs = in->rs, .r = r, .date = "", .a = a};
	ev_merge_input mi = {.t = in->t, .lookup = lookup, .ctx = &ctx,
	                     .signatories = in->signatories,
	                     .nsignatories = in->nsignatories, .lang = r->lang,
	                     .list = in->sig_table ? &in->sig_list : NULL};
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
	ctx.salutation = salutation(in, &mi, r, a);
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
	li.running_head = *li.date ? ev_arena_printf(a, "%s · %s", r->name, li.date) : r->name;
	if (!li.running_head)
		return -1;
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
	if (rc == 1) {
		/* The count of rejected rows is shared. */
		if (w->pool)
			pthread_mutex_lock(&w->pool->mu);
		int k = ev_recipient_reject(in->rs, r, NULL, reason);
		if (w->pool)
			pthread_mutex_unlock(&w->pool->mu);
		if (k < 0)
			return -1;
		ev_diag_add(&w->d, EV_ERROR, w->job->recipients, r->line, 0,
		            r->reason_column, "%s; this row is rejected", r->reason);
	}
	return rc;
}

static char *letter_name(const ev_recipient *r, size_t count)
{
	int width = 4;
	for (size_t n = count; n >= 10000; n /= 10)
		width++;
	char *slug = ev_slug(r->name_latin, 40);
	if (!slug)
		return NULL;
	size_t len = strlen(slug) + (size_t)width + 8;
	char *name = malloc(len);
	if (name)
		snprintf(name, len, "%0*zu-%s.pdf", width, r->seq, slug);
	free(slug);
	return name;
}

/* ---- the batch ---- */

typedef struct batch {
	inputs *in;
	const ev_job *job;
	ev_diags *d;
	FILE *err;
	int lock;                    /* OUTDIR held for this run, or -1 */
	char *made;                  /* the highest folder this run created for
	                                OUTDIR, removed again if the run fails */
	char *stage, *stage_letters;
	ev_buf manifest;             /* rows not yet written to manifest_file */
	FILE *manifest_file;         /* staging/manifest.csv */
	ev_arena *letter_arena;
	ev_pdf *print;               /* the combined, duplex-safe print file */
	size_t volumes;              /* print files: 1 (print.pdf) or print-NNN.pdf */
	size_t volume, in_volume;    /* the open one (1-based), letters in it */
	size_t to_make;              /* letters the batch will make */
	/* The label sheets, drawn a sheet at a time as the letters come: */
	const ev_label_sheet *sheet;
	ev_pdf *labels;
	ev_arena *label_arena;       /* the address lines of the sheet being filled */
	const char *const **blocks;  /* its blocks (one sheet's worth) */
	size_t *nlines;
	size_t nblocks, per_sheet;
	size_t volume_sheets;        /* in the label file being made */
	size_t letters, pages, sheets;
} batch;

static int open_volume(batch *b);
static int close_volume(batch *b);
static int add_label(batch *b, const ev_recipient *r);
static int begin_labels(batch *b);
static int finish_labels(batch *b);
static void file_name(const batch *b, const char *what, size_t volume, char *name,
                      size_t cap);

/* The address block in Latin letters for the manifest: the name line as
 * the letter greets the person (names policy), the others by the campaign's
 * latin-places policy. Lines in arena a; NULL when out of memory. */
static const char **address_latin(const batch *b, const ev_recipient *r, ev_arena *a)
{
	const ev_template *t = b->in->t;
	const char **v = ev_arena_alloc(a, (r->naddress ? r->naddress : 1) * sizeof *v);
	for (size_t i = 0; v && i < r->naddress; i++) {
		char *s = !strcmp(r->address[i], r->name) ? strdup(r->name_latin)
		        : ev_translit_by_lang(ev_scheme_find(t->latin_places.be),
		                              ev_scheme_find(t->latin_places.ru),
		                              r->address[i], r->lang);
		v[i] = s ? ev_arena_strdup(a, s) : NULL;
		free(s);
		if (!v[i])
			return NULL;
	}
	return v;
}

static int flush_manifest(batch *b)
{
	if (b->manifest.len &&
	    fwrite(b->manifest.data, 1, b->manifest.len, b->manifest_file) != b->manifest.len) {
		ev_diag_add(b->d, EV_ERROR, b->stage, 0, 0, NULL, "cannot write "
		            "manifest.csv: %s", strerror(errno));
		return -1;
	}
	ev_buf_reset(&b->manifest);
	return 0;
}

static int manifest_row(batch *b, const ev_recipient *r, size_t pages,
                        const char *file)
{
	const char **latin = r->naddress ? address_latin(b, r, b->letter_arena) : NULL;
	if (r->naddress && !latin)
		return -1;
	ev_manifest_row row = {
		.address_latin = latin,
		.seq = r->seq, .id = r->id, .line = r->line,
		.status = r->reason ? "rejected" : "ok",
		.reason = r->reason ? r->reason : "",
		.name = r->name ? r->name : "", .name_latin = r->name_latin ? r->name_latin : "",
		.address = (const char *const *)r->address, .naddress = r->naddress,
		.postcode = r->field[EV_F_POSTCODE], .country = r->field[EV_F_COUNTRY],
		.pages = pages, .file = file ? file : "",
	};
	if (ev_manifest_add(&b->manifest, &row) < 0)
		return -1;
	/* Written as it grows: a list of 100,000 rows makes 60 MB of it. */
	return b->manifest.len >= ((size_t)1 << 20) ? flush_manifest(b) : 0;
}

/* On a worker: write one letter's file into the staging folder, and keep
 * its pages for the print file. */
static int write_letter(worker *w, ev_recipient *r, const ev_display *dl,
                        const char *stage_letters, slot *s)
{
	char *name = letter_name(r, w->in->rs->total);
	char *path = name ? ev_path_join(stage_letters, name) : NULL;
	char *rel = name ? ev_path_join("letters", name) : NULL;
	ev_buf pdf = {0};
	ev_pdf_meta meta = {.subject = r->name};
	int rc = path && rel ? 0 : -1;
	if (rc == 0)
		rc = ev_pdf_render(w->pdf, dl, &meta, &pdf, &w->d);
	if (rc == 0)
		rc = ev_write_new(path, pdf.data, pdf.len, &w->d);
	if (rc == 0 && !(s->pages = ev_pdf_take_pages(w->pdf)))
		rc = -1;
	if (rc == 0)
		s->rel = rel;
	else
		free(rel);
	ev_buf_free(&pdf);
	free(name);
	free(path);
	return rc;
}

/* The second pass, on a worker: each letter laid out again (the same as in
 * the first pass), drawn and written; its slot tells the main thread. */
static void *second_pass(void *arg)
{
	worker *w = arg;
	pool *p = w->pool;
	for (size_t i; (i = next_row(p)) != SIZE_MAX;) {
		ev_recipient *r = &w->in->rs->items[i];
		size_t at = r->seq - 1;
		slot s = {0};
		int rc = 0;
		if (!r->reason && at < CACHE_ROWS && p->cache[at]) {
			rc = write_letter(w, r, p->cache[at], p->stage_letters, &s);
			free(p->cache[at]);   /* each is drawn once */
			p->cache[at] = NULL;
		} else if (!r->reason) {
			ev_arena_reset(w->arena);
			ev_display dl;
			ev_display_init(&dl, w->arena);
			int k = lay_out_letter(w, r, w->arena, &dl, false);
			rc = k < 0 ? -1 : k == 0 ? write_letter(w, r, &dl, p->stage_letters, &s) : 0;
		}
		pthread_mutex_lock(&p->mu);
		p->slots[i] = s;
		p->slots[i].done = true;
		p->failed |= rc < 0;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		if (rc < 0)
			break;
	}
	return NULL;
}

/* On the main thread, in the list's order: a letter into the print file
 * (each starting on a front side), the labels and the manifest. */
static int take_letter(batch *b, ev_recipient *r, slot *s)
{
	ev_arena_reset(b->letter_arena);   /* the manifest row's Latin lines */
	if (!s->pages)
		return manifest_row(b, r, 0, NULL);
	size_t np = ev_pdf_pages_count(s->pages);
	int rc = 0;
	if (b->in_volume == VOLUME_LETTERS && b->volume < b->volumes)
		rc = close_volume(b) < 0 ? -1 : open_volume(b);
	if (rc == 0)
		rc = ev_pdf_add_pages(b->print, s->pages, b->d);
	b->in_volume++;
	if (rc == 0 && np % 2) {
		const ev_paper *paper = b->in->t->paper;
		ev_display blank;
		ev_display_init(&blank, b->letter_arena);
		rc = ev_display_add_page(&blank, EV_MM(paper->w), EV_MM(paper->h))
		         ? ev_pdf_add(b->print, &blank, b->d) : -1;
	}
	if (rc == 0)
		rc = add_label(b, r);
	if (rc == 0) {
		b->letters++;
		b->pages += np;
		rc = manifest_row(b, r, np, s->rel);
	}
	ev_pdf_pages_free(s->pages);
	free(s->rel);
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
	s->rc = run_workers(s->ws, s->nw, s->p, second_pass, s->d);
	return NULL;
}

/* The letters of the current chunk, made by the workers and taken in
 * order by this thread. */
static int make_chunk(batch *b, worker *ws, size_t nw, ev_display **cache)
{
	inputs *in = b->in;
	size_t n = in->rs->n;
	pool p = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER,
	          .n = n, .stage_letters = b->stage_letters, .cache = cache};
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
		pthread_mutex_lock(&p.mu);
		while (!p.slots[i].done && !p.failed)
			pthread_cond_wait(&p.cv, &p.mu);
		bool ready = p.slots[i].done;
		pthread_mutex_unlock(&p.mu);
		if (!ready || (rc = take_letter(b, &in->rs->items[i], &p.slots[i])) < 0) {
			pool_fail(&p);
			rc = -1;
			break;
		}
	}
	pthread_join(boss, NULL);
	if (run.rc < 0)
		rc = -1;
	for (size_t i = 0; i < n; i++) {
		ev_pdf_pages_free(p.slots[i].pages);
		free(p.slots[i].rel);
	}
	free(p.slots);
	ev_diags_take(b->d, &wd);
	ev_diags_free(&wd);
	gather_diags(ws, nw, b->d);
	return rc;
}

/* The second pass over the list, a chunk at a time. */
static int make_letters(batch *b, worker *ws, size_t nw, ev_display **cache)
{
	inputs *in = b->in;
	start_pass(in);
	long n;
	while ((n = next_chunk(in, b->job, b->d)) > 0)
		if (make_chunk(b, ws, nw, cache) < 0)
			return -1;
	return n < 0 ? -1 : 0;
}

/* ---- label sheets ---- */

/* Lay out and draw the blocks waiting for a sheet (at least one sheet:
 * an empty campaign gets a blank one). */
static int flush_labels(batch *b)
{
	const ev_label_sheet *sheet = b->sheet;
	ev_display dl;
	ev_arena_reset(b->letter_arena);
	ev_display_init(&dl, b->letter_arena);
	int rc = ev_layout_labels(sheet, b->blocks, b->nlines, b->nblocks, &b->in->metrics, &dl);
	if (rc == 0 && dl.npages == 0)
		rc = ev_display_add_page(&dl, EV_MM(sheet->paper_w), EV_MM(sheet->paper_h)) ? 0 : -1;
	if (rc == 0)
		rc = ev_pdf_add(b->labels, &dl, b->d);
	b->sheets += dl.npages;
	b->volume_sheets += dl.npages;
	b->nblocks = 0;
	ev_arena_reset(b->label_arena);
	ev_arena_reset(b->letter_arena);
	return rc;
}

/* The recipient's address block onto the sheet being filled (copied: the
 * row is gone before the sheet is full). */
static int add_label(batch *b, const ev_recipient *r)
{
	const char **lines = ev_arena_alloc(b->label_arena, (r->naddress + 1) * sizeof *lines);
	for (size_t i = 0; lines && i < r->naddress; i++)
		if (!(lines[i] = ev_arena_strdup(b->label_arena, r->address[i])))
			return -1;
	if (!lines)
		return -1;
	b->blocks[b->nblocks] = lines;
	b->nlines[b->nblocks++] = r->naddress;
	return b->nblocks == b->per_sheet ? flush_labels(b) : 0;
}

static int start_labels(batch *b)
{
	const char *id = b->job->labels ? b->job->labels : "L7163";
	b->sheet = ev_label_sheet_find(id);
	if (!b->sheet) {
		ev_diag_add(b->d, EV_ERROR, NULL, 0, 0, NULL, "unknown label sheet "
		            "'%s'; known sheets: L7163, L7160, L7162, L7165", id);
		return -1;
	}
	b->per_sheet = (size_t)b->sheet->cols * (size_t)b->sheet->rows;
	b->blocks = calloc(b->per_sheet, sizeof *b->blocks);
	b->nlines = calloc(b->per_sheet, sizeof *b->nlines);
	b->label_arena = ev_arena_new();
	if (!b->blocks || !b->nlines || !b->label_arena ||
	    !(b->labels = ev_pdf_new(&b->in->embed, &b->in->fs, b->d)))
		return -1;
	return 0;
}

/* A label file: the campaign's, or the next volume's. */
static int begin_labels(batch *b)
{
	char title[64] = "Address labels";
	if (b->volumes > 1)
		snprintf(title, sizeof title, "Address labels for print file %zu of %zu",
		         b->volume, b->volumes);
	ev_pdf_meta meta = {.title = title, .subject = b->sheet->id};
	b->volume_sheets = 0;
	return ev_pdf_begin(b->labels, &meta, b->d);
}

static int finish_labels(batch *b)
{
	if ((b->nblocks || b->volume_sheets == 0) && flush_labels(b) < 0)
		return -1;
	char name[32];
	file_name(b, "labels", b->volume, name, sizeof name);
	char *path = ev_path_join(b->stage, name);
	int rc = path ? ev_pdf_end_file(b->labels, path, b->d) : -1;
	free(path);
	return rc;
}

/* Remove print.pdf and print-NNN.pdf (three digits or more) from dir. */
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

/* Remove the print and label files (print.pdf, print-NNN.pdf, labels.pdf,
 * labels-NNN.pdf) from dir. */
static void remove_print_files(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	for (struct dirent *e; (e = readdir(d));) {
		const char *n = e->d_name;
		bool ours = volume_file(n, "print") || volume_file(n, "labels");
		char *path = ours ? ev_path_join(dir, n) : NULL;
		if (path)
			unlink(path);
		free(path);
	}
	closedir(d);
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
	if (rc == 0)
		remove_print_files(out);
	/* manifest.csv, then each volume's labels and print file (labels.pdf
	 * alone when there is no letter). */
	size_t files = 1 + 2 * (b->volumes ? b->volumes : 1);
	for (size_t i = 0; rc == 0 && i < files; i++) {
		char name[32];
		if (i == 0)
			snprintf(name, sizeof name, "manifest.csv");
		else if (i % 2)
			file_name(b, "labels", (i + 1) / 2, name, sizeof name);
		else if (b->volumes)
			file_name(b, "print", i / 2, name, sizeof name);
		else
			continue;
		char *from = ev_path_join(b->stage, name);
		char *to = ev_path_join(out, name);
		if (!from || !to || rename(from, to) < 0)
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

/* "print.pdf" or "labels.pdf" for a campaign of one volume (or none),
 * else "print-001.pdf" ... for each volume. */
static void file_name(const batch *b, const char *what, size_t volume, char *name,
                      size_t cap)
{
	if (b->volumes <= 1)
		snprintf(name, cap, "%s.pdf", what);
	else
		snprintf(name, cap, "%s-%03zu.pdf", what, volume);
}

static int open_volume(batch *b)
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
	if (b->volumes > 1 && begin_labels(b) < 0)
		return -1;
	return ev_pdf_begin(b->print, &meta, b->d);
}

/* The volume's print file, and its label sheets when the campaign has
 * several volumes (the labels of each volume's letters, so memory holds
 * one volume's sheets at most, and each pile of letters has its own). */
static int close_volume(batch *b)
{
	char name[32];
	file_name(b, "print", b->volume, name, sizeof name);
	char *path = ev_path_join(b->stage, name);
	int rc = path ? ev_pdf_end_file(b->print, path, b->d) : -1;
	free(path);
	if (rc == 0 && b->volumes > 1)
		rc = finish_labels(b);
	return rc;
}

/* Remove working folders an earlier run left in dir when it was stopped
 * (killed, or its list cut short under it): they hold unfinished letters.
 * Only while dir is locked, so no running batch's folder is touched. */
static void remove_stale_stages(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	for (struct dirent *e; (e = readdir(d));) {
		if (strncmp(e->d_name, ".envoi-staging-", 15))
			continue;
		char *path = ev_path_join(dir, e->d_name);
		if (path)
			ev_remove_tree(path);
		free(path);
	}
	closedir(d);
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
 * it, up to b->made, while they are empty. */
static void unmake_outdir(batch *b)
{
	if (!b->made)
		return;
	if (b->stage) {
		ev_remove_tree(b->stage);
		free(b->stage);
		b->stage = NULL;
	}
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
	remove_stale_stages(out);
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
	if (!b->stage_letters || !b->letter_arena || start_labels(b) < 0 ||
	    ev_mkdir_p(b->stage_letters, b->d) < 0 || ev_manifest_header(&b->manifest) < 0)
		return -1;
	char *mpath = ev_path_join(b->stage, "manifest.csv");
	b->manifest_file = mpath ? fopen(mpath, "wbx") : NULL;
	if (!b->manifest_file)
		ev_diag_add(b->d, EV_ERROR, mpath ? mpath : b->stage, 0, 0, NULL,
		            "cannot create: %s", strerror(errno));
	free(mpath);
	if (!b->manifest_file)
		return -1;
	size_t letters = b->to_make = b->in->rs->total - b->in->rs->rejected;
	b->volumes = letters <= VOLUME_LETTERS ? (letters > 0)
	           : (letters + VOLUME_LETTERS - 1) / VOLUME_LETTERS;
	if (b->volumes <= 1 && begin_labels(b) < 0)
		return -1;
	/* No letter, no print file; the manifest still says why. */
	if (!letters)
		return 0;
	b->print = ev_pdf_new(&b->in->embed, &b->in->fs, b->d);
	return b->print ? open_volume(b) : -1;
}

static int finish_batch(batch *b)
{
	int rc = b->volumes > 1 ? 0 : finish_labels(b);
	if (rc == 0 && b->volumes)
		rc = close_volume(b);
	if (rc == 0)
		rc = flush_manifest(b);
	if (b->manifest_file) {
		if (fclose(b->manifest_file) != 0 && rc == 0) {
			ev_diag_add(b->d, EV_ERROR, b->stage, 0, 0, NULL, "cannot write "
			            "manifest.csv: %s", strerror(errno));
			rc = -1;
		}
		b->manifest_file = NULL;
	}
	return rc == 0 ? commit(b) : rc;
}

static void batch_free(batch *b)
{
	if (b->stage)
		ev_remove_tree(b->stage);
	if (b->lock >= 0)
		close(b->lock);   /* lets the folder go */
	free(b->made);
	free(b->stage);
	free(b->stage_letters);
	if (b->manifest_file)
		fclose(b->manifest_file);
	ev_buf_free(&b->manifest);
	ev_arena_free(b->letter_arena);
	ev_arena_free(b->label_arena);
	ev_pdf_free(b->print);
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
	fprintf(err, "; %zu lines end in a hyphen", in->hyphens);
	if (in->ragged)
		fprintf(err, "; %zu lines could not be justified within 1.5 times "
		        "the natural space and are set ragged", in->ragged);
	fputc('\n', err);
}

/* What was done to the list on the way in, in one or two lines. */
static void list_summary(const inputs *in, const ev_job *job, FILE *err)
{
	if (in->list.encoding != EV_ENC_UTF8)
		fprintf(err, "envoi: %s was read as %s (%s)\n", job->recipients,
		        ev_encoding_name(in->list.encoding), in->list.how);
	if (in->rs->repaired || in->rs->duplicates)
		fprintf(err, "envoi: %zu rows had values repaired (look-alike letters, "
		        "apostrophes, spacing) and %zu were duplicates; 'envoi check "
		        "%s' lists each\n", in->rs->repaired, in->rs->duplicates,
		        job->recipients);
}

/* The first pass, on a worker: lay out each letter, noting what each font
 * draws; a letter that cannot be made is rejected here. */
static void *first_pass(void *arg)
{
	worker *w = arg;
	pool *p = w->pool;
	for (size_t i; (i = next_row(p)) != SIZE_MAX;) {
		ev_recipient *r = &w->in->rs->items[i];
		if (r->reason)
			continue;
		ev_arena_reset(w->arena);
		ev_display dl;
		ev_display_init(&dl, w->arena);
		int k = lay_out_letter(w, r, w->arena, &dl, true);
		int rc = k < 0 ? -1 : 0;
		/* Labels: the same address lines, in the regular face. */
		for (size_t l = 0; k == 0 && rc == 0 && l < r->naddress; l++)
			rc = ev_charset_add_text(w->cs, &w->fs, EV_FACE_REGULAR, r->address[l],
			                         strlen(r->address[l]), &w->d);
		if (k == 0 && rc == 0)
			rc = ev_charset_add(w->cs, &w->fs, &dl, &w->d);
		size_t at = r->seq - 1;
		bool room = false;
		if (k == 0 && rc == 0 && p->cache && at < CACHE_ROWS) {
			pthread_mutex_lock(&p->mu);
			room = *p->cached < CACHE_BYTES;
			pthread_mutex_unlock(&p->mu);
		}
		if (room) {
			size_t bytes;
			ev_display *c = ev_display_clone(&dl, &bytes);
			pthread_mutex_lock(&p->mu);
			if (c && *p->cached + bytes <= CACHE_BYTES) {
				p->cache[at] = c;
				*p->cached += bytes;
				c = NULL;
			}
			pthread_mutex_unlock(&p->mu);
			free(c);
		}
		if (rc < 0) {
			pool_fail(p);
			break;
		}
	}
	return NULL;
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
 * subsets (once) and a PDF writer per worker. The first CACHE_BYTES of
 * display lists are kept in cache (when not NULL) for the second pass. */
static int prepare_fonts(inputs *in, const ev_job *job, worker *ws, size_t nw,
                         ev_display **cache, bool report, ev_diags *d, FILE *err)
{
	size_t cached = 0;
	ev_charset *all = ev_charset_new();
	int rc = all ? 0 : -1;
	for (size_t i = 0; rc == 0 && i < nw; i++)
		if (!(ws[i].cs = ev_charset_new()))
			rc = -1;
	start_pass(in);
	for (long n; rc == 0 && (n = next_chunk(in, job, d)) != 0;) {
		pool p = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER,
		          .n = in->rs->n, .cache = cache, .cached = &cached};
		rc = n < 0 ? -1 : run_workers(ws, nw, &p, first_pass, d);
		for (size_t i = 0; i < nw; i++)
			if (!report)
				ev_diags_clear(&ws[i].d);
		gather_diags(ws, nw, d);
		print_diags(err, d);
	}
	for (size_t i = 0; i < nw; i++) {
		if (rc == 0 && ev_charset_merge(all, ws[i].cs) < 0)
			rc = -1;
		ev_charset_free(ws[i].cs);
		ws[i].cs = NULL;
	}
	if (rc == 0 && report)
		rc = gather_stats(in, ws, nw);
	if (rc == 0)
		rc = ev_embed_make(&in->embed, &in->fs, all, d);
	for (size_t i = 0; rc == 0 && i < nw; i++)
		if (!(ws[i].pdf = ev_pdf_new(&in->embed, &ws[i].fs, d)))
			rc = -1;
	ev_charset_free(all);
	if (rc < 0 && !d->errors)
		ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "out of memory");
	return rc;
}

static int run_batch(inputs *in, const ev_job *job, ev_diags *d, FILE *err)
{
	batch b = {.in = in, .job = job, .d = d, .err = err, .lock = -1};
	size_t nw = thread_count(job);
	worker *ws = calloc(nw, sizeof *ws);
	ev_display **cache = calloc(CACHE_ROWS, sizeof *cache);
	int rc = ws && cache ? 0 : -1;
	/* The output folder is this run's from the start: a second batch into
	 * it is refused at once, not after its first pass. */
	if (rc == 0)
		b.made = missing_top(job->outdir);
	if (rc == 0 && (ev_mkdir_p(job->outdir, d) < 0 ||
	                (b.lock = ev_lock_folder(job->outdir, d)) < 0))
		rc = -1;
	for (size_t i = 0; rc == 0 && i < nw; i++)
		rc = worker_init(&ws[i], in, job, d);
	if (rc == 0)
		rc = prepare_fonts(in, job, ws, nw, cache, true, d, err);
	if (rc == 0)
		rc = start_batch(&b);
	if (rc == 0)
		rc = make_letters(&b, ws, nw, cache);
	if (rc == 0)
		rc = finish_batch(&b);
	for (size_t i = 0; ws && i < nw; i++)
		worker_free(&ws[i]);
	free(ws);
	for (size_t i = 0; cache && i < CACHE_ROWS; i++)
		free(cache[i]);
	free(cache);
	print_diags(err, d);
	if (rc < 0)
		fprintf(err, "envoi: nothing was written\n");
	if (rc == 0 && (!job->quiet || in->rs->rejected))
		list_summary(in, job, err);
	char volumes[128] = "print.pdf, labels.pdf";
	if (b.volumes == 0)
		snprintf(volumes, sizeof volumes, "no print file, labels.pdf");
	else if (b.volumes > 1)
		snprintf(volumes, sizeof volumes, "print-001.pdf to print-%03zu.pdf, "
		         "labels-001.pdf to labels-%03zu.pdf", b.volumes, b.volumes);
	if (rc == 0 && (!job->quiet || in->rs->rejected))
		fprintf(err, "envoi: %zu of %zu rows made letters (%zu pages) in %s/letters; "
		        "%zu rejected (see manifest.csv); %s "
		        "(%zu sheet%s of %s) and manifest.csv written\n",
		        b.letters, in->rs->total, b.pages, job->outdir, in->rs->rejected,
		        volumes, b.sheets, b.sheets == 1 ? "" : "s",
		        job->labels ? job->labels : "L7163");
	if (rc == 0 && !job->quiet && b.letters)
		justification_summary(in, err);
	if (rc < 0)
		unmake_outdir(&b);
	batch_free(&b);
	if (rc < 0)
		return EV_EXIT_UNUSABLE;
	return in->rs->rejected ? EV_EXIT_REJECTED : EV_EXIT_OK;
}

/* ---- preview ---- */

/* Whom preview shows: the row with --id, or the one whose name contains
 * --find in either alphabet (the name key ignores case, ё/е, spelling
 * standards); the matches of --find are listed in `hits`. */
typedef struct target {
	const char *id;
	char *key;                   /* of --find */
	size_t seq;                  /* the row found (the first), 0: none */
	size_t count;
	ev_buf hits;                 /* "  --id ID   NAME (LATIN), line L" */
} target;

static int match_chunk(inputs *in, target *t)
{
	for (size_t i = 0; i < in->rs->n; i++) {
		ev_recipient *r = &in->rs->items[i];
		bool match;
		if (t->key) {
			char *k = ev_name_key(r->name ? r->name : "");
			char *kl = ev_name_key(r->name_latin ? r->name_latin : "");
			if (!k || !kl) {
				free(k);
				free(kl);
				return -1;
			}
			match = strstr(k, t->key) || strstr(kl, t->key);
			free(k);
			free(kl);
		} else {
			match = !strcmp(r->id, t->id);
		}
		if (!match)
			continue;
		if (!t->count++)
			t->seq = r->seq;
		ev_buf_printf(&t->hits, "  --id %s   %s (%s), line %ld\n", r->id, r->name,
		              r->name_latin, r->line);
	}
	return t->hits.failed ? -1 : 0;
}

/* The list read once, checked (its diagnostics printed) and searched.
 * Returns 0 with t->seq set, or -1 when no one or several match (said on
 * err) or the list cannot be used (in d). */
static int find_target(inputs *in, const ev_job *job, target *t, ev_diags *d, FILE *err)
{
	if (job->find) {
		t->key = ev_name_key(job->find);
		if (!t->key || !*t->key) {
			fprintf(err, "envoi: --find needs letters of a name\n");
			return -1;
		}
	} else {
		t->id = job->id;
	}
	start_pass(in);
	long n;
	while ((n = next_chunk(in, job, d)) > 0) {
		print_diags(err, d);
		if (match_chunk(in, t) < 0)
			return -1;
	}
	print_diags(err, d);
	if (n < 0)
		return -1;
	if (t->count == 1)
		return 0;
	if (!t->key)
		fprintf(err, "envoi: %s: error: no recipient has the id '%s'\n",
		        job->recipients, job->id);
	else if (t->count)
		fprintf(err, "envoi: %s: error: %zu recipients match '%s'; choose one "
		        "with --id:\n%s", job->recipients, t->count, job->find, t->hits.data);
	else
		fprintf(err, "envoi: %s: error: no recipient's name matches '%s'\n",
		        job->recipients, job->find);
	return -1;
}

/* The row t found, built again into in->rs->items; NULL when the list
 * cannot be read again (in d). */
static ev_recipient *reach_target(inputs *in, const ev_job *job, size_t seq, ev_diags *d)
{
	start_pass(in);
	for (long n; (n = next_chunk(in, job, d)) > 0;)
		if (seq > in->rs->base && seq <= in->rs->base + in->rs->n)
			return &in->rs->items[seq - 1 - in->rs->base];
	return NULL;
}

static int run_preview(inputs *in, const ev_job *job, ev_diags *d, FILE *err)
{
	target t = {0};
	int rc = find_target(in, job, &t, d, err);
	/* The fonts as the whole batch embeds them, so this letter is the
	 * batch's letter byte for byte. */
	size_t nw = thread_count(job);
	worker *ws = rc == 0 ? calloc(nw, sizeof *ws) : NULL;
	if (rc == 0 && !ws)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < nw; i++)
		rc = worker_init(&ws[i], in, job, d);
	if (rc == 0)
		rc = prepare_fonts(in, job, ws, nw, NULL, false, d, err);
	ev_recipient *r = rc == 0 ? reach_target(in, job, t.seq, d) : NULL;
	if (rc == 0 && !r)
		rc = -1;
	if (rc == 0 && r->reason) {
		fprintf(err, "envoi: %s:%ld: error: the recipient with id '%s' is "
		        "rejected: %s\n", job->recipients, r->line, r->id, r->reason);
		rc = 1;
	}
	ev_display dl = {0};
	ev_buf pdf = {0};
	if (rc == 0) {
		ev_display_init(&dl, ws[0].arena);
		rc = lay_out_letter(&ws[0], r, ws[0].arena, &dl, false);
	}
	ev_pdf_meta meta = {.subject = r ? r->name : NULL};
	if (rc == 0)
		rc = ev_pdf_render(ws[0].pdf, &dl, &meta, &pdf, d);
	if (rc == 0)
		rc = ev_write_atomic(job->output, pdf.data, pdf.len, d);
	print_diags(err, d);
	if (rc == 0 && !job->quiet)
		fprintf(err, "envoi: wrote %s (%zu pages) for %s\n", job->output,
		        dl.npages, r->name);
	ev_buf_free(&pdf);
	for (size_t i = 0; ws && i < nw; i++)
		worker_free(&ws[i]);
	free(ws);
	free(t.key);
	ev_buf_free(&t.hits);
	return rc == 0 ? EV_EXIT_OK : rc == 1 ? EV_EXIT_REJECTED : EV_EXIT_UNUSABLE;
}

/* Flag the address blocks that would not fit the envelope window, as the
 * batch would. Returns 0, -1 when out of memory. */
static int check_windows(inputs *in, const char *file, ev_diags *d)
{
	const ev_metrics m = in->metrics;
	for (size_t i = 0; i < in->rs->n; i++) {
		ev_recipient *r = &in->rs->items[i];
		double size;
		char why[600];
		if (r->reason || !ev_layout_address_fit(in->t ? in->t->preset : ev_preset_default(),
		                                        (const char *const *)r->address,
		                                        r->naddress, &m, &size, why, sizeof why))
			continue;
		if (ev_recipient_reject(in->rs, r, NULL, why) < 0)
			return -1;
		ev_diag_add(d, EV_ERROR, file, r->line, 0, NULL, "%s; this row is rejected", why);
	}
	return 0;
}

/* envoi check: read, normalise and validate the list, write nothing; the
 * report goes to job->report. */
static int run_check(const ev_job *job, FILE *err)
{
	ev_diags d = {0}, fontd = {0};
	inputs in = {0};
	int rc = read_list(&in, job, true, &d);
	const char *window_note = NULL;
	if (rc == 0) {
		if (load_fonts(&in, job->fontdir, &fontd) < 0)
			window_note = "the fonts were not found, so the envelope-window "
			              "check was skipped (use --fonts DIR)";
		else
			rc = check_windows(&in, job->recipients, &d);
	}
	ev_diags_sort(&d);
	ev_report_in ri = {
		.file = job->recipients, .table = in.table, .rs = rc == 0 ? in.rs : NULL,
		.d = &d, .window_note = window_note,
		.encoding = in.list.text ? ev_encoding_name(in.list.encoding) : NULL,
		.encoding_how = in.list.text ? in.list.how : NULL,
	};
	ev_buf out = {0};
	if ((job->json ? ev_report_json(&out, &ri) : ev_report_text(&out, &ri)) < 0) {
		fprintf(err, "envoi: out of memory\n");
		rc = -1;
	} else {
		FILE *to = job->report ? job->report : stdout;
		fwrite(out.data, 1, out.len, to);
		fflush(to);
	}
	int status = rc < 0 || !in.rs ? EV_EXIT_UNUSABLE
	           : in.rs->rejected ? EV_EXIT_REJECTED : EV_EXIT_OK;
	ev_buf_free(&out);
	ev_diags_free(&d);
	ev_diags_free(&fontd);
	inputs_free(&in);
	return status;
}

int ev_job_run(const ev_job *job, FILE *err)
{
	if (job->kind == EV_JOB_CHECK)
		return run_check(job, err);
	ev_diags d = {0};
	inputs in = {0};
	int status;
	if (read_inputs(&in, job, &d) < 0) {
		if (!d.errors)
			ev_diag_add(&d, EV_ERROR, NULL, 0, 0, NULL, "out of memory");
		print_diags(err, &d);
		fprintf(err, "envoi: nothing was written\n");
		status = EV_EXIT_UNUSABLE;
	} else {
		print_diags(err, &d);
		status = job->kind == EV_JOB_BATCH ? run_batch(&in, job, &d, err)
		                                   : run_preview(&in, job, &d, err);
	}
	ev_diags_free(&d);
	inputs_free(&in);
	return status;
}
