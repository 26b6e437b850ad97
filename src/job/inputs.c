/* inputs.c - what a job reads once: the letter, the signatories, the
 * fonts and hyphenation patterns, and the recipient list, mapped and read
 * a chunk of rows at a time in each pass (job.h). */
#include "job.h"

#include <stdlib.h>
#include <string.h>

#include "coverage.h"
#include "decline.h"
#include "layout.h"
#include "scheme.h"
#include "text.h"

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

void job_inputs_free(inputs *in)
{
	(void)job_await_fonts(in, NULL);   /* the loader's thread, if it runs */
	ev_pdf_store_free(in->store);
	ev_shelf_free(in->shelf);
	free(in->kept);
	ev_pages_pool_free(in->pages_pool);   /* after every letter's pages */
	ev_width_table_free(in->widths);
	ev_embed_free(&in->embed);
	ev_embed_free(&in->plist_embed);
	ev_embed_free(&in->env_embed);
	ev_hyphen_free(in->hyphen);
	for (int f = 0; f < EV_FACE_COUNT; f++) {
		free(in->fontpaths[f]);
		free(in->fallbackpaths[f]);
		for (int w = 0; w < 2; w++) {
			ev_font_free(in->fonts[w][f]);
			ev_unmap_file(&in->font_file[w][f]);
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
	free(in->sig_path);
	ev_tariff_free(&in->tariff);
	job_close_ledger(in);
	ev_labeldb_free(in->labeldb);
	job_places_free(in->places);
	ev_arena_free(in->run);
}

/* Fonts over the bytes job_load_fonts read, into fonts[][] and fs: each thread
 * makes its own (the shaping caches are not shared). Returns 0, or -1 with
 * the reason in why and the failing file's place in *w, *f. */
int job_make_fontset(const inputs *in, ev_font *fonts[2][EV_FACE_COUNT],
                        ev_fontset *fs, int *w, int *f, char *why, size_t cap)
{
	for (*w = 0; *w < 2; ++*w)
		for (*f = 0; *f < EV_FACE_COUNT; ++*f) {
			const ev_mapped *file = &in->font_file[*w][*f];
			if (!file->data)
				continue;
			/* A worker's fonts are the main set's siblings. */
			const ev_font *base = (const void *)fonts == (const void *)in->fonts
			                      ? NULL : in->fonts[*w][*f];
			ev_font *font = base ? ev_font_sibling(base)
			                     : ev_font_new(file->data, file->len, why, cap);
			if (!font) {
				if (base)
					snprintf(why, cap, "out of memory");
				return -1;
			}
			fonts[*w][*f] = font;
			if (*w)
				fs->fallback[*f] = font;
			else
				fs->face[*f] = font;
		}
	return 0;
}

/* Print errors and warnings, and forget them; notes (repairs made to
 * values) are for `envoi check`, which lists them. */
void job_print_diags(FILE *err, ev_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->items[i].severity != EV_NOTE)
			ev_diag_print(err, &d->items[i]);
	ev_diags_clear(d);
}

/* The signatories list: "organisation (country)" per row of the CSV named
 * in the front matter, relative to the letter's folder. */
/* Where byte `at` of src stands: its line and its column (in characters,
 * 1-based), for an error about a file envoi reads whole. */
static void place_of(const char *src, size_t at, long *line, long *col)
{
	const char *ls = src;
	*line = 1;
	for (const char *q = src; q < src + at; q++)
		if (*q == '\n')
			++*line, ls = q + 1;
	*col = 1 + (long)ev_utf8_count(ls, (size_t)(src + at - ls));
}

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
	/* The campaign's own file, as the letter: an invisible character in
	 * it is an error where it stands. */
	uint32_t cp;
	size_t bom = in->sig_len >= 3 && !memcmp(in->sig_src, "\xEF\xBB\xBF", 3) ? 3 : 0;
	size_t at = ev_invisible_at(in->sig_src + bom, in->sig_len - bom, &cp);
	if (at != (size_t)-1) {
		long line, col;
		place_of(in->sig_src, at + bom, &line, &col);
		const char *name = ev_invisible_name(cp);
		ev_diag_add(d, EV_ERROR, path, line, col, NULL, "the invisible "
		            "character U+%04X%s%s%s is in the signatories list; delete it",
		            (unsigned)cp, name ? " (" : "", name ? name : "", name ? ")" : "");
		goto out;
	}
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
	in->sig_path = path;
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
int job_load_fonts(inputs *in, const char *fontdir, ev_diags *d)
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
			if (path && ev_map_file(path, FONT_LIMIT, &in->font_file[w][f], d) < 0)
				return -1;
		}
	int w, f;
	char why[200];
	if (job_make_fontset(in, in->fonts, &in->fs, &w, &f, why, sizeof why) < 0) {
		ev_diag_add(d, EV_ERROR, w ? in->fallbackpaths[f] : in->fontpaths[f],
		            0, 0, NULL, "cannot use this font: %s", why);
		return -1;
	}
	in->metrics = ev_fontset_metrics(&in->fs);
	return 0;
}

static int load_hyphenation(inputs *in, ev_diags *d);

/* The fonts, on a thread of their own (each font's tables checked and its
 * cmap expanded: a few milliseconds the list's reading hides). */
static void *load_fonts_main(void *arg)
{
	inputs *in = arg;
	in->fonts_rc = job_load_fonts(in, in->fontdir, &in->font_diags);
	return NULL;
}

static void start_fonts(inputs *in, const char *fontdir)
{
	in->fontdir = fontdir;
	in->fonts_loading = pthread_create(&in->font_loader, NULL, load_fonts_main, in) == 0;
}

/* The letter's own text and the signatories against the fonts, once (a
 * character none has is the campaign's to fix, not a fault of each row).
 * Returns the number of errors added. */
static size_t own_glyphs(inputs *in, ev_diags *d)
{
	if (!in->t)
		return 0;
	size_t errors = ev_template_check_glyphs(in->t, &in->metrics, d);
	if (in->sig_table)
		errors += ev_signatories_check_glyphs(in->signatories, in->nsignatories,
		                                      in->sig_table, in->sig_path,
		                                      &in->metrics, d);
	return errors;
}

int job_await_fonts(inputs *in, ev_diags *d)
{
	if (in->fonts_awaited)
		return in->fonts_rc;
	in->fonts_awaited = true;
	if (in->fonts_loading) {
		pthread_join(in->font_loader, NULL);
		in->fonts_loading = false;
	} else if (d && in->t) {
		in->fonts_rc = job_load_fonts(in, in->fontdir, &in->font_diags);   /* no thread */
	}
	if (d && ev_diags_take(d, &in->font_diags) < 0)
		in->fonts_rc = -1;
	ev_diags_free(&in->font_diags);
	if (!d || in->fonts_rc < 0 || own_glyphs(in, d) > 0)
		return in->fonts_rc = -1;
	in->fonts_rc = load_hyphenation(in, d);
	return in->fonts_rc;
}

/* The languages the letter is written in (at most 4): its own, then each
 * translation's. Returns how many. */
static size_t letter_langs(const ev_template *t, const char *langs[4])
{
	size_t n = 1;
	langs[0] = t->lang;
	for (size_t i = 0; i < t->body.nblocks; i++) {
		const char *l = t->body.blocks[i].lang;
		bool seen = false;
		for (size_t k = 0; l && k < n; k++)
			seen |= !strcmp(langs[k], l);
		if (l && !seen && n < 4)
			langs[n++] = l;
	}
	return n;
}

/* The words of the letter's own text the layout may hyphenate (longest
 * runs of ev_layout_word_char in its literal runs), pointing into the
 * template, at most cap. Returns how many. */
static size_t letter_words(const ev_template *t, const char **words, size_t *lens,
                           size_t cap)
{
	size_t n = 0;
	for (size_t b = 0; b < t->body.nblocks; b++)
		for (size_t r = 0; r < t->body.blocks[b].nruns; r++) {
			const ev_run *run = &t->body.blocks[b].runs[r];
			if (run->field >= 0 || !run->text)
				continue;
			for (size_t i = 0, start = 0; i <= run->len;) {
				uint32_t cp = 0;
				size_t k = i < run->len ? ev_utf8_decode(run->text + i, run->len - i, &cp) : 1;
				bool in_word = i < run->len && k && ev_layout_word_char(cp);
				if (!in_word) {
					if (i > start && n < cap) {
						words[n] = run->text + start;
						lens[n++] = i - start;
					}
					start = i + (k ? k : 1);
				}
				i += k ? k : 1;
			}
		}
	return n;
}

/* The hyphenator, its pattern files loading in the background while the
 * list and the fonts are read (load_hyphenation waits for them): only the
 * patterns the letter's own words can meet. */
#define LETTER_WORDS 65536

static void start_hyphenation(inputs *in)
{
	if (!in->t || !in->t->hyphenate || !(in->hyphen = ev_hyphen_open(NULL)))
		return;
	const char **words = malloc(LETTER_WORDS * sizeof *words);
	size_t *lens = malloc(LETTER_WORDS * sizeof *lens);
	size_t nw = words && lens ? letter_words(in->t, words, lens, LETTER_WORDS) : 0;
	const char *langs[4];
	size_t n = letter_langs(in->t, langs);
	for (size_t k = 0; k < n; k++)
		ev_hyphen_prefetch(in->hyphen, langs[k], words && lens ? words : NULL, lens, nw);
	free(words);
	free(lens);
}

/* The hyphenation patterns for every language the letter uses; a missing
 * pattern file is a warning (the letter is set without hyphens there). */
static int load_hyphenation(inputs *in, ev_diags *d)
{
	if (!in->t->hyphenate)
		return 0;
	if (!in->hyphen)
		in->hyphen = ev_hyphen_open(NULL);
	if (!in->hyphen)
		return -1;
	in->hy = ev_hyphen_iface(in->hyphen);
	const char *langs[4];
	size_t n = letter_langs(in->t, langs);
	for (size_t k = 0; k < n; k++) {
		const char *why = ev_hyphen_missing(in->hyphen, langs[k]);
		if (why)
			ev_diag_add(d, EV_WARNING, in->t->path, 0, 0, NULL, "%s; the %s "
			            "text is set without hyphenation", why, langs[k]);
	}
	return 0;
}

/* The recipient list: mapped, decoded to UTF-8 (a UTF-8 list is not
 * copied), its header read and its columns mapped, ready to be read a
 * chunk at a time (job_next_chunk). Returns 0, or -1 when the list cannot
 * be used. */
int job_read_list(inputs *in, const ev_job *job, ev_diags *d)
{
	if (ev_map_file(job->recipients, LIST_LIMIT, &in->list_file, d) < 0)
		return -1;
	/* Hashed as read (the ledger's run, shard.json, the posting list's
	 * number: a batch's), before a list in another encoding is let go. */
	if (in->letter_src && job->kind == EV_JOB_BATCH)
		job_hash_inputs(in);
	if (ev_decode_borrow(in->list_file.data, in->list_file.len, job->encoding,
	                     job->recipients, &in->list, d) < 0)
		return -1;
	/* Decoded into a copy, the file's bytes are done with; read in
	 * place, the pages decoding looked at all go until a chunk needs
	 * them again (from the page cache): memory holds a chunk's worth of
	 * the list, not all of it. */
	if (!in->list.borrowed)
		ev_unmap_file(&in->list_file);
	else
		ev_map_release(&in->list_file, in->list_file.len);
	ev_csv_options opt = {.delimiter = job->delimiter};
	in->table = ev_csv_open(in->list.text, in->list.len, job->recipients, &opt, d);
	if (!in->table)
		return -1;
	ev_recipient_options ro = {.map = job->map, .nmap = job->nmap,
	                           .keep_duplicates = job->keep_duplicates,
	                           .encoding = in->list.encoding, .lang = job->lang};
	if (in->t) {
		ro.latin_be = ev_scheme_find(in->t->latin.be);
		ro.latin_ru = ev_scheme_find(in->t->latin.ru);
	}
	in->rs = ev_recipients_begin(in->table, job->recipients, &ro, d);
	return in->rs ? 0 : -1;
}

/* Start a pass over the list: from its first row, the rows built again
 * after the first pass (which built and checked them). */
void job_start_pass(inputs *in)
{
	if (in->passes++) {
		ev_csv_rewind(in->table);
		ev_recipients_replay(in->rs);
	}
}

/* `address-case: dative`: each accepted row's name line in the dative (a
 * name_dat column wins); a name the rules are unsure of keeps its
 * nominative, with a note (d: the first pass, else NULL). The same in
 * every pass. */
static int address_dative(inputs *in, const ev_job *job, ev_diags *d)
{
	for (size_t i = 0; i < in->rs->n; i++) {
		ev_recipient *r = &in->rs->items[i];
		if (r->reason)
			continue;
		const char *stored = ev_recipient_value(in->rs, r, "name_dat");
		bool unsure = false;
		char *dat = stored && *stored ? strdup(stored)
		          : ev_decline_full(r->name, r->gender, r->lang, EV_CASE_DAT, &unsure);
		if (!dat)
			return -1;
		if (unsure && d)
			ev_diag_add(d, EV_NOTE, job->recipients, r->line, 0, "surname",
			            "the dative of '%s' is not certain by the rules, so the "
			            "address keeps the nominative; give it in a name_dat "
			            "column to use it", r->name);
		int rc = 0;
		for (size_t k = 0; k < r->naddress; k++)
			if (!strcmp(r->address[k], r->name)) {
				/* the row's strings are in the list's arena */
				r->address[k] = ev_arena_strdup(in->rs->arena, dat);
				rc = r->address[k] ? 0 : -1;
				break;
			}
		free(dat);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static long next_chunk(inputs *in, const ev_job *job, ev_diags *d)
{
	bool first = !in->rs->replaying;
	long n = ev_csv_next(in->table, CHUNK_ROWS, first ? d : &in->scratch);
	ev_diags_clear(&in->scratch);
	if (n > 0 && ev_recipients_next(in->rs, d) < 0)
		return -1;
	if (n == 0 && first && ev_recipients_finish(in->rs, d) < 0)
		return -1;
	/* A header and nothing under it: the wrong sheet saved, or the rows
	 * cut off. Letters for no one are not a campaign. */
	if (n == 0 && first && in->rs->total == 0) {
		ev_diag_add(d, EV_ERROR, job->recipients, in->table->header_line, 0, NULL,
		            "the list has its header on line %ld and no rows under it: "
		            "there is no one to write to", in->table->header_line);
		return -1;
	}
	/* The rows before this chunk are done with: their pages of the
	 * mapped file can go. */
	if (n > 0 && in->list.borrowed)
		ev_map_release(&in->list_file, (size_t)(in->list.text - in->list_file.data) +
		                               in->table->rows[0].offset);
	if (n > 0 && job_mark_sent(in, job, d) < 0)
		return -1;
	if (n > 0 && in->t && in->t->address_dative && address_dative(in, job, first ? d : NULL) < 0)
		return -1;
	if (n >= 0 && !ev_map_unchanged(&in->list_file)) {
		ev_diag_add(d, EV_ERROR, job->recipients, 0, 0, NULL, "the list was changed "
		            "by another program while envoi was reading it; close it "
		            "there and run again");
		return -1;
	}
	return n;
}

/* The next chunk of the list into in->rs->items: read and built, with the
 * list's diagnostics in d the first time (rows read again are only
 * compared). Returns the number of rows, 0 at the end of the list (after
 * the first pass, with the checks of the whole list made), or -1 when the
 * list cannot be used (the reason in d). */
long job_next_chunk(inputs *in, const ev_job *job, ev_diags *d)
{
	uint64_t t = ev_timing_start();
	long n = next_chunk(in, job, d);
	ev_timing_add(EV_PHASE_READ, t);
	return n;
}

/* The letter file: UTF-8 (the parser skips a byte-order mark), or UTF-16
 * with its byte-order mark (Notepad's "Unicode"), decoded here: a mark
 * says which it is. A letter in any other encoding is refused with the
 * encoding it looks like named: a guess from letter frequencies is good
 * enough to say what to do, not to print a campaign's letter from. */
static int read_letter(inputs *in, const ev_job *job, ev_diags *d)
{
	if (ev_read_file(job->letter, LETTER_LIMIT, &in->letter_src, &in->letter_len, d) < 0)
		return -1;
	const unsigned char *b = (const unsigned char *)in->letter_src;
	size_t n = in->letter_len;
	if (n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
		ev_decoded x;
		if (ev_decode(in->letter_src, n, EV_ENC_AUTO, job->letter, &x, d) < 0)
			return -1;
		free(in->letter_src);
		in->letter_src = (char *)x.text;   /* malloc'd, NUL-terminated */
		in->letter_len = x.len;
		return 0;
	}
	size_t bad = ev_utf8_invalid_at(in->letter_src, n);
	if (bad == (size_t)-1)
		return 0;
	long line, col;
	place_of(in->letter_src, bad, &line, &col);
	ev_decoded x;
	ev_diags guess = {0};
	char looks[240] = "";
	if (ev_decode(in->letter_src, n, EV_ENC_AUTO, job->letter, &x, &guess) == 0 &&
	    x.encoding != EV_ENC_UTF8)
		snprintf(looks, sizeof looks, "; it looks like %s (%s)",
		         ev_encoding_name(x.encoding), x.how);
	ev_decoded_free(&x);
	ev_diags_free(&guess);
	ev_diag_add(d, EV_ERROR, job->letter, line, col, NULL,
	            "the letter is not UTF-8 here (byte 0x%02X)%s; save it as UTF-8 (in "
	            "Notepad: File > Save As, Encoding: UTF-8; in Word: Plain Text, "
	            "Unicode (UTF-8))", b[bad], looks);
	return -1;
}

/* Read, parse and check the letter, the list and the signatories; load the
 * fonts. Returns 0, or -1 when the job cannot be done (errors in d). */
int job_read_inputs(inputs *in, const ev_job *job, ev_diags *d)
{
	in->run = ev_arena_new();
	if (!in->run)
		return -1;
	in->places = job_places_new();
	if (read_letter(in, job, d) < 0)
		return -1;
	in->t = ev_template_parse(in->letter_src, in->letter_len, job->letter, in->run, d);
	start_hyphenation(in);
	if (in->t)
		start_fonts(in, job->fontdir);
	if (job_read_list(in, job, d) < 0 || !in->t)
		return -1;
	if (read_signatories(in, job->letter, d) < 0 || check_fields(in, d) < 0)
		return -1;
	if (job_read_posting(in, job, d) < 0 || job_read_labels(in, job, d) < 0)
		return -1;
	return in->defer_fonts ? 0 : job_await_fonts(in, d);
}

long job_read_first_chunk(inputs *in, const ev_job *job, ev_diags *d)
{
	job_start_pass(in);
	in->first_chunk = job_next_chunk(in, job, d);
	in->first_chunk_read = true;
	return in->first_chunk;
}
