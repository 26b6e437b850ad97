/* posting.c - how the batch posts its letters: the posting country (the
 * letter's `posting:`, else the country its sender's address ends with),
 * that country's tariff file, the posting date (the letter's `date:`) and
 * the paper, envelope and duplexing, with the command line's overrides.
 * Edge code: it reads the tariff files. */
#include "job.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "filters.h"
#include "envelope.h"
#include "postinglist.h"
#include "scheme.h"
#include "text.h"

#define TARIFF_LIMIT ((size_t)1 << 20)

static int read_posting(inputs *in, const ev_job *job, ev_diags *d);

/* Read and parse one tariff file into t (its errors in d). */
static int read_tariff(const char *path, ev_tariff *t, ev_diags *d)
{
	char *src = NULL;
	size_t len = 0;
	*t = (ev_tariff){0};
	int rc = ev_read_file(path, TARIFF_LIMIT, &src, &len, d);
	if (rc == 0)
		rc = ev_tariff_parse(src, len, path, t, d);
	if (rc < 0)
		ev_tariff_free(t);
	free(src);
	return rc;
}

/* Whether the sender's last line names the tariff's country. */
static bool sender_in(const ev_template *t, const ev_tariff *tf)
{
	if (!t->nsender)
		return false;
	const char *last = t->sender[t->nsender - 1];
	for (size_t i = 0; i < tf->nnames; i++)
		if (!strcasecmp(last, tf->names[i]))
			return true;
	return false;
}

/* The posting date from the letter's `date:`, which must be a date alone. */
static int32_t posting_date(const ev_template *t, ev_diags *d)
{
	char text[64] = "";
	size_t at = 0;
	bool literal = t->date.line > 0;
	for (size_t i = 0; literal && i < t->date.nruns; i++) {
		const ev_run *r = &t->date.runs[i];
		if (r->field >= 0 || at + r->len >= sizeof text) {
			literal = false;
			break;
		}
		memcpy(text + at, r->text, r->len);
		at += r->len;
	}
	text[at] = '\0';
	int dd, mm, yy;
	int32_t date = literal && ev_read_date(text, &dd, &mm, &yy) ? ev_date_make(dd, mm, yy) : 0;
	if (!date)
		ev_diag_add(d, EV_ERROR, t->path, t->date.line, 0, NULL, "%s; postage is "
		            "priced on the posting date, the letter's date: write it as "
		            "2025-06-02 or 2 June 2025, or set posting: none for no postage",
		            t->date.line ? "the letter's date: is not a date" :
		            "the letter has no date: setting");
	return date;
}

/* The tariff for the posting country: from --tariffs (a file or a folder),
 * $ENVOI_TARIFFDIR or the built-in folders, the first folder that has any
 * tariff file. `country` NULL: whichever the sender's address ends in (none
 * found: 1, no postage). */
static int find_tariff(inputs *in, const ev_job *job, const char *country,
                       ev_diags *d)
{
	const char *where = job->tariffs ? job->tariffs : getenv("ENVOI_TARIFFDIR");
	if (!where || !*where)
		where = EV_TARIFF_DIRS;
	if (job->tariffs && ev_is_file(job->tariffs)) {
		/* one file, given: it is the tariff */
		if (read_tariff(job->tariffs, &in->tariff, d) < 0)
			return -1;
		if (country && strcmp(country, in->tariff.country)) {
			ev_diag_add(d, EV_ERROR, job->tariffs, 0, 0, NULL, "this tariff is for "
			            "posting from %s, but the letters are posted from %s",
			            in->tariff.country, country);
			return -1;
		}
		return 0;
	}
	char *list = strdup(where), *save = NULL;
	char **files = NULL;
	const char *dir = NULL;
	for (char *p = list ? strtok_r(list, ":", &save) : NULL; p && !dir;
	     p = strtok_r(NULL, ":", &save)) {
		files = ev_list_files(p, ".tsv", 0, NULL);
		if (files && files[0])
			dir = p;
		else
			ev_free_files(files), files = NULL;
	}
	int rc = 1;
	if (!dir && (country || job->tariffs)) {
		ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "no tariff files in %s; give "
		            "their folder with --tariffs or ENVOI_TARIFFDIR", where);
		rc = -1;
	}
	for (size_t i = 0; dir && files[i] && rc == 1; i++) {
		/* Each file is read to see whose it is; only the chosen file's
		 * errors stop the batch (another country's may be broken). */
		ev_diags fd = {0};
		ev_tariff tf = {0};
		char *src = NULL;
		size_t len = 0;
		int ok = ev_read_file(files[i], TARIFF_LIMIT, &src, &len, &fd);
		if (ok == 0)
			ok = ev_tariff_parse(src, len, files[i], &tf, &fd);
		bool ours = country ? !strcmp(tf.country, country) : sender_in(in->t, &tf);
		if (ours && ok < 0) {
			ev_diags_take(d, &fd);
			rc = -1;
		} else if (ours) {
			in->tariff = tf;
			tf = (ev_tariff){0};
			rc = 0;
		}
		ev_tariff_free(&tf);
		ev_diags_free(&fd);
		free(src);
	}
	if (rc == 1 && country) {
		ev_diag_add(d, EV_ERROR, job->posting ? NULL : in->t->path,
		            job->posting ? 0 : in->t->posting_line, 0, NULL,
		            "no tariff for posting from %s in %s; the tariff files there "
		            "are for other countries (see src/data/tariffs/README.md to "
		            "add one), or set posting: none", country, dir);
		rc = -1;
	}
	ev_free_files(files);
	free(list);
	return rc;
}

/* Plain envelopes (--envelopes SIZE): which, from where, in which
 * scripts. */
static int read_envelopes(inputs *in, const ev_job *job, const char *country,
                          ev_diags *d)
{
	if (!job->envelopes)
		return 0;
	ev_envelope_zones z;
	const ev_envelope *e = ev_envelope_find(job->envelopes);
	if (!e || ev_envelope_geometry(e->name, NULL, &z) < 0) {
		ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "--envelopes takes DL, C6/5, "
		            "C5 or C4, not '%s'", job->envelopes);
		return -1;
	}
	in->envelopes = e->name;
	in->env_posting = in->priced ? in->tariff.country
	                : country && strcmp(country, "none") ? country : NULL;
	in->env_latin = ev_envelope_wants_latin(in->env_posting, in->priced &&
	                                        in->posting.service == EV_SERVICE_REGISTERED);
	return 0;
}

int job_read_posting(inputs *in, const ev_job *job, ev_diags *d)
{
	int rc = read_posting(in, job, d);
	const char *country = job->posting ? job->posting : in->t->posting;
	return rc == 0 ? read_envelopes(in, job, country, d) : rc;
}

static int read_posting(inputs *in, const ev_job *job, ev_diags *d)
{
	const ev_template *t = in->t;
	in->duplex = job->duplex ? job->duplex == 1 : t->duplex;
	const char *country = job->posting ? job->posting : t->posting;
	if (country && !strcmp(country, "none")) {
		in->unpriced = "posting: none";
		return 0;
	}
	int rc = find_tariff(in, job, country, d);
	if (rc != 0) {
		if (rc == 1)
			in->unpriced = "the sender's address does not end in a country envoi "
			               "has a tariff for; set posting: DE, GB or CH";
		return rc < 0 ? -1 : 0;
	}
	int32_t date = posting_date(t, d);
	const char *env = job->envelope ? job->envelope : t->envelope;
	if (!env)
		env = t->preset && !strcmp(t->preset->id, "c5-window") ? "C5" : "DL";
	const ev_envelope *e = ev_envelope_find(env);
	if (!e) {
		char names[100];
		ev_envelope_names(names, sizeof names);
		ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "unknown envelope '%s'; it is "
		            "one of: %s", env, names);
		return -1;
	}
	in->posting = (ev_posting){
		.tariff = &in->tariff,
		.service = job->service ? (ev_service)(job->service - 1)
		         : t->service >= 0 ? (ev_service)t->service : EV_SERVICE_STANDARD,
		.date = date,
		.paper_gsm = t->paper_gsm,
		.paper_w_mm = (int)(t->paper->w + 0.5), .paper_h_mm = (int)(t->paper->h + 0.5),
		.envelope = e,
		.envelope_ug = t->envelope_mg ? (int64_t)t->envelope_mg * 1000 : e->weight_ug,
		.duplex = in->duplex,
	};
	if (!date || ev_posting_check(&in->posting, d) < 0)
		return -1;
	snprintf(in->posting_date, sizeof in->posting_date, "%04d-%02d-%02d",
	         (int)(date / 10000), (int)(date / 100 % 100), (int)(date % 100));
	in->priced = true;
	return 0;
}

void job_posting_date_text(const inputs *in, char *out, size_t cap)
{
	static const char *const months[12] = {
		"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December",
	};
	int32_t d = in->posting.date;
	if (!strcmp(in->tariff.lang, "de"))
		snprintf(out, cap, "%02d.%02d.%04d", (int)(d % 100), (int)(d / 100 % 100),
		         (int)(d / 10000));
	else
		snprintf(out, cap, "%d %s %04d", (int)(d % 100), months[d / 100 % 100 - 1],
		         (int)(d / 10000));
}

int job_posting_chars(const inputs *in, ev_charset *cs, const ev_fontset *fs,
                      ev_diags *d)
{
	if (!in->priced)
		return 0;
	const ev_template *t = in->t;
	char date[32];
	job_posting_date_text(in, date, sizeof date);
	const char *fixed[] = {
		ev_posting_list_chars(in->tariff.lang), date, in->tariff.operator_name,
		/* the list number: the date's digits, a hyphen and hex digits */
		"0123456789-abcdef",
	};
	int rc = 0;
	for (int f = 0; f < 2 && rc == 0; f++) {
		ev_face face = f ? EV_FACE_BOLD : EV_FACE_REGULAR;
		for (size_t i = 0; rc == 0 && i < sizeof fixed / sizeof *fixed; i++)
			rc = ev_charset_add_text(cs, fs, face, fixed[i], strlen(fixed[i]), d);
		for (size_t i = 0; rc == 0 && i < t->nsender; i++)
			rc = ev_charset_add_text(cs, fs, face, t->sender[i], strlen(t->sender[i]), d);
		for (size_t i = 0; rc == 0 && i < in->tariff.nbands; i++) {
			const ev_band *b = &in->tariff.bands[i];
			rc = ev_charset_add_text(cs, fs, face, b->name, strlen(b->name), d);
			if (rc == 0)
				rc = ev_charset_add_text(cs, fs, face, b->currency, 3, d);
		}
	}
	return rc;
}

const char *job_listed_text(const ev_metrics *m, const char *s, ev_arena *a)
{
	size_t n = strlen(s);
	if (!ev_missing_glyph(m, EV_FACE_REGULAR, s, n) && !ev_missing_glyph(m, EV_FACE_BOLD, s, n))
		return s;
	char *ascii = ev_ascii(s);
	const char *v = ascii ? ev_arena_strdup(a, ascii) : NULL;
	free(ascii);
	return v;
}

struct job_places {
	pthread_mutex_t mu;
	ev_translit_memo *memo;
	ev_buf out;                  /* reused under the lock */
};

struct job_places *job_places_new(void)
{
	struct job_places *p = calloc(1, sizeof *p);
	if (p && (!(p->memo = ev_translit_memo_new()) ||
	          pthread_mutex_init(&p->mu, NULL) != 0)) {
		ev_translit_memo_free(p->memo);
		free(p);
		return NULL;
	}
	return p;
}

void job_places_free(struct job_places *p)
{
	if (!p)
		return;
	pthread_mutex_destroy(&p->mu);
	ev_translit_memo_free(p->memo);
	ev_buf_free(&p->out);
	free(p);
}

/* One place's Latin form into a (remembered when in->places); NULL when
 * out of memory. */
static const char *place_latin(const inputs *in, const char *s, ev_lang lang, ev_arena *a)
{
	const ev_template *t = in->t;
	const ev_scheme *be = ev_scheme_find(t->latin_places.be);
	const ev_scheme *ru = ev_scheme_find(t->latin_places.ru);
	struct job_places *p = in->places;
	if (!p) {
		char *v = ev_translit_by_lang(be, ru, s, lang);
		const char *c = v ? ev_arena_strdup(a, v) : NULL;
		free(v);
		return c;
	}
	pthread_mutex_lock(&p->mu);
	ev_buf_reset(&p->out);
	int rc = ev_translit_memo_into(p->memo, &p->out, be, ru, s, lang);
	const char *v = rc == 0 ? ev_arena_strndup(a, p->out.data ? p->out.data : "",
	                                           p->out.len) : NULL;
	pthread_mutex_unlock(&p->mu);
	return v;
}

const char **job_address_latin(const inputs *in, const ev_recipient *r, ev_arena *a)
{
	const char **v = ev_arena_alloc(a, (r->naddress ? r->naddress : 1) * sizeof *v);
	for (size_t i = 0; v && i < r->naddress; i++) {
		v[i] = !strcmp(r->address[i], r->name) ? ev_arena_strdup(a, r->name_latin)
		     : place_latin(in, r->address[i], r->lang, a);
		if (!v[i])
			return NULL;
	}
	return v;
}

void job_envelope(const inputs *in, const char *const *address,
                  const char *const *latin, size_t n, job_envelope_t *e)
{
	/* the block's last line is the country: printed once, last, in the
	 * posting country's language and English */
	const char *country = n ? address[n - 1] : "";
	ev_envelope_country(country, in->env_posting, e->buf, sizeof e->buf);
	e->country[0] = e->buf;
	e->in = (ev_envelope_in){
		.size = in->envelopes, .posting = in->env_posting, .latin = in->env_latin,
		.sender = (const char *const *)in->t->sender, .nsender = in->t->nsender,
		.address = address, .naddress = n ? n - 1 : 0,
		.address_latin = in->env_latin ? latin : NULL,
		.naddress_latin = in->env_latin && n ? n - 1 : 0,
		.country = e->country, .ncountry = 1,
	};
}
