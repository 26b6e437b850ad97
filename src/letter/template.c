/* template.c - parsing a letter file: front matter settings, {{field}}
 * placeholders, and the Markdown body through libcmark.
 *
 * Placeholders are found first and replaced by private-use characters
 * (U+E000 + index) before Markdown parsing, so that a value can never be
 * read as Markdown and Markdown can never split a placeholder. */
#include "template.h"

#include <cmark.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "postage.h"
#include "scheme.h"
#include "text.h"

#define PUA_FIRST 0xE000u
#define PUA_LAST 0xF8FFu
#define MAX_FIELDS (PUA_LAST - PUA_FIRST + 1)
#define MAX_PARTS 8
#define MAX_SENDER 6
#define MAX_NAME 200

#define MAX_DEPTH 16

/* A translation: the lines of its fences and its language. */
typedef struct part {
	long open, close;
	const char *lang;
} part;

typedef struct parser {
	ev_template *t;
	ev_arena *a;
	ev_diags *d;
	const char *path;
	size_t fields_cap;
	long open[MAX_DEPTH];   /* the sections open at this point (field indices) */
	const char *open_at[MAX_DEPTH];   /* where their tags stand */
	int depth;
	bool in_body;           /* sections are allowed in the body only */
	/* Translations: "::: {lang=ru}" ... ":::" fences in the body. */
	part parts[MAX_PARTS];
	size_t nparts;
	const char *part_at;    /* the open fence, or NULL */
	bool sender_full;       /* the sender-lines error was given */
} parser;

/* ---- positions and errors ---- */

static const char *line_start(const char *src, const char *p)
{
	while (p > src && p[-1] != '\n')
		p--;
	return p;
}

static size_t line_len(const char *p, const char *end)
{
	const char *q = p;
	while (q < end && *q != '\n' && *q != '\r')
		q++;
	return (size_t)(q - p);
}

static long line_of(const char *src, const char *p)
{
	long n = 1;
	for (const char *q = src; q < p; q++)
		n += *q == '\n';
	return n;
}

/* Report an error at byte p of the source, with the line and a caret. */
static void error_at(parser *ps, const char *p, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void error_at(parser *ps, const char *p, const char *fmt, ...)
{
	const ev_template *t = ps->t;
	const char *ls = line_start(t->src, p);
	long col = 1 + (long)ev_utf8_count(ls, (size_t)(p - ls));
	va_list ap;
	va_start(ap, fmt);
	ev_diag_addv(ps->d, EV_ERROR, ps->path, line_of(t->src, p), col, NULL,
	             fmt, ap);
	va_end(ap);
	ev_diag_set_source(ps->d, ls, line_len(ls, t->src + t->len));
}

/* ---- growable arrays in the arena ---- */

static void *grow(ev_arena *a, void *old, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return old;
	size_t ncap = *cap ? *cap * 2 : 8;
	void *p = ev_arena_alloc(a, ncap * size);
	if (p && n)
		memcpy(p, old, n * size);
	*cap = ncap;
	return p;
}

typedef struct runs {
	ev_run *v;
	size_t n, cap;
	bool pending_break;
} runs;

static int add_run(parser *ps, runs *rs, ev_face face, const char *s,
                   size_t len, long field)
{
	if (field < 0 && len == 0)
		return 0;
	/* Merge adjacent literal text of one face. */
	if (field < 0 && rs->n && !rs->pending_break) {
		ev_run *last = &rs->v[rs->n - 1];
		if (last->field < 0 && last->face == face) {
			char *m = ev_arena_alloc(ps->a, last->len + len + 1);
			if (!m)
				return -1;
			memcpy(m, last->text, last->len);
			memcpy(m + last->len, s, len);
			m[last->len + len] = '\0';
			last->text = m;
			last->len += len;
			return 0;
		}
	}
	rs->v = grow(ps->a, rs->v, rs->n, &rs->cap, sizeof *rs->v);
	if (!rs->v)
		return -1;
	ev_run *r = &rs->v[rs->n++];
	*r = (ev_run){.face = face, .field = field, .hard_break = rs->pending_break};
	rs->pending_break = false;
	if (field < 0) {
		r->text = ev_arena_strndup(ps->a, s, len);
		r->len = len;
		if (!r->text)
			return -1;
	}
	return 0;
}

/* ---- placeholders ---- */

static bool name_char_ok(unsigned char c)
{
	return c >= 0x80 || c == '_' || c == '-' || c == '.' ||
	       (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

/* One filter [fs, fe): "latin", "latin:SCHEME", "cyrillic[:SCHEME]". */
static int filter(parser *ps, const char *fs, const char *fe, ev_filter *out)
{
	const char *colon = memchr(fs, ':', (size_t)(fe - fs));
	const char *ne = colon ? colon : fe;
	size_t n = (size_t)(ne - fs);
	static const struct { const char *name; ev_filter_kind kind; } kinds[] = {
		{"latin", EV_FILTER_LATIN}, {"cyrillic", EV_FILTER_CYRILLIC},
		{"upper", EV_FILTER_UPPER}, {"lower", EV_FILTER_LOWER},
		{"title", EV_FILTER_TITLE}, {"initials", EV_FILTER_INITIALS},
		{"date", EV_FILTER_DATE}, {"default", EV_FILTER_DEFAULT},
		{"dative", EV_FILTER_DATIVE}, {"genitive", EV_FILTER_GENITIVE},
	};
	size_t k = 0, nk = sizeof kinds / sizeof *kinds;
	while (k < nk && !(strlen(kinds[k].name) == n && !memcmp(fs, kinds[k].name, n)))
		k++;
	if (k == nk) {
		error_at(ps, fs, "unknown filter '%.*s'; the filters are latin[:SCHEME], "
		         "cyrillic:SCHEME, upper, lower, title, initials, date:LANG, "
		         "default:\"TEXT\", dative and genitive", (int)n, fs);
		return -1;
	}
	out->kind = kinds[k].kind;
	out->scheme = NULL;
	if (out->kind != EV_FILTER_LATIN && out->kind != EV_FILTER_CYRILLIC) {
		const char *arg = colon ? colon + 1 : NULL;
		size_t an = arg ? (size_t)(fe - arg) : 0;
		bool takes = out->kind == EV_FILTER_DATE || out->kind == EV_FILTER_DEFAULT;
		if (takes != (arg != NULL)) {
			error_at(ps, fs, takes ? "'%.*s' needs an argument: date:en (or ru, be), "
			         "default:\"TEXT\"" : "'%.*s' takes no argument", (int)n, fs);
			return -1;
		}
		if (out->kind == EV_FILTER_DATE &&
		    !(an == 2 && (!memcmp(arg, "en", 2) || !memcmp(arg, "ru", 2) || !memcmp(arg, "be", 2)))) {
			error_at(ps, arg, "date takes en, ru or be");
			return -1;
		}
		if (out->kind == EV_FILTER_DEFAULT) {
			if (an < 2 || arg[0] != '"' || arg[an - 1] != '"') {
				error_at(ps, arg, "write the default in double quotes: default:\"TEXT\"");
				return -1;
			}
			arg++, an -= 2;
		}
		if (arg && !(out->scheme = ev_arena_strndup(ps->a, arg, an)))
			return -1;
		return 0;
	}
	if (!colon) {
		if (out->kind == EV_FILTER_CYRILLIC) {
			error_at(ps, fs, "'cyrillic' needs a reversible scheme: "
			         "cyrillic:iso9, cyrillic:gost-b or cyrillic:by-national");
			return -1;
		}
		return 0;
	}
	char *id = ev_arena_strndup(ps->a, colon + 1, (size_t)(fe - colon - 1));
	if (!id)
		return -1;
	const ev_scheme *sc = ev_scheme_find(id);
	bool ascii = out->kind == EV_FILTER_LATIN && !strcmp(id, "ascii");
	if (!sc && !ascii) {
		ev_buf hint = {0};
		ev_scheme_did_you_mean(&hint, id);
		error_at(ps, colon + 1, "unknown transliteration scheme '%s'%s "
		         "(envoi translit --list names them)", id, hint.data ? hint.data : "");
		ev_buf_free(&hint);
		return -1;
	}
	if (out->kind == EV_FILTER_CYRILLIC && !sc->rev) {
		error_at(ps, colon + 1, "'%s' cannot be turned back into Cyrillic; "
		         "the reversible schemes are iso9, gost-b, by-national (and "
		         "lacinka, best effort)", id);
		return -1;
	}
	out->scheme = id;
	return 0;
}

/* Parse the placeholder whose "{{" is at p; on success store its index in
 * *field and return the byte just past "}}"; NULL after an error. */
static const char *placeholder(parser *ps, const char *p, const char *end,
                               long *field)
{
	const char *q = p + 2;
	const char *close = NULL;
	for (const char *s = q; s + 1 < end && *s != '\n' && *s != '\r'; s++)
		if (s[0] == '}' && s[1] == '}') {
			close = s;
			break;
		}
	if (!close) {
		error_at(ps, p, "'{{' is not closed on this line; a merge field is "
		         "written {{name}}");
		return NULL;
	}
	while (q < close && (*q == ' ' || *q == '\t'))
		q++;
	const char *qe = close;
	while (qe > q && (qe[-1] == ' ' || qe[-1] == '\t'))
		qe--;
	if (q == qe) {
		error_at(ps, p, "empty merge field '{{}}'");
		return NULL;
	}
	char tag = 0;
	if (*q == '#' || *q == '^' || *q == '/') {
		if (!ps->in_body) {
			error_at(ps, p, "sections ({{%c...}}) belong in the body, not in a "
			         "setting", *q);
			return NULL;
		}
		tag = *q++;
		while (q < qe && (*q == ' ' || *q == '\t'))
			q++;
		if (q == qe || memchr(q, '|', (size_t)(qe - q))) {
			error_at(ps, p, "a section is written {{#name}} ... {{/name}}, "
			         "without filters");
			return NULL;
		}
	} else if (*q && strchr(">&{=", *q)) {
		error_at(ps, p, "'{{%.1s' (partials, unescaped values, delimiters) is "
		         "not supported: values are always printed as written", q);
		return NULL;
	}
	/* The name, then "| filter[:argument]" pieces. */
	const char *bar = memchr(q, '|', (size_t)(qe - q));
	const char *ne = bar ? bar : qe;
	while (ne > q && (ne[-1] == ' ' || ne[-1] == '\t'))
		ne--;
	for (const char *s = q; s < ne; s++) {
		if (!name_char_ok((unsigned char)*s)) {
			error_at(ps, s, "a merge field name cannot contain '%.*s'",
			         (int)ev_utf8_prefix(s, 1), s);
			return NULL;
		}
	}
	ev_filter filters[EV_MAX_FILTERS];
	size_t nfilters = 0;
	for (const char *f = bar; f && f < qe;) {
		const char *fs = f + 1, *fe = memchr(fs, '|', (size_t)(qe - fs));
		if (!fe)
			fe = qe;
		while (fs < fe && (*fs == ' ' || *fs == '\t'))
			fs++;
		const char *te = fe;
		while (te > fs && (te[-1] == ' ' || te[-1] == '\t'))
			te--;
		if (nfilters == EV_MAX_FILTERS) {
			error_at(ps, fs, "at most %d filters on one field", EV_MAX_FILTERS);
			return NULL;
		}
		if (filter(ps, fs, te, &filters[nfilters++]) < 0)
			return NULL;
		f = fe < qe ? fe : NULL;
	}
	if (ne == q) {
		error_at(ps, q, "a filter needs a field before it: {{surname | latin}}");
		return NULL;
	}
	qe = ne;
	if ((size_t)(qe - q) > MAX_NAME || ps->t->nfields >= MAX_FIELDS) {
		error_at(ps, p, "too many or too long merge fields");
		return NULL;
	}
	ev_template *t = ps->t;
	t->fields = grow(ps->a, t->fields, t->nfields, &ps->fields_cap,
	                 sizeof *t->fields);
	char *name = ev_arena_strndup(ps->a, q, (size_t)(qe - q));
	if (!t->fields || !name)
		return NULL;
	const char *ls = line_start(t->src, p);
	long idx = (long)t->nfields;
	t->fields[idx] = (ev_fieldref){
		.name = name,
		.line = line_of(t->src, p),
		.col = 1 + (long)ev_utf8_count(ls, (size_t)(p - ls)),
		.nfilters = nfilters,
		.tag = tag,
		.match = -1,
		.section = ps->depth ? ps->open[ps->depth - 1] : -1,
	};
	memcpy(t->fields[idx].filters, filters, nfilters * sizeof *filters);
	if (tag == '#' || tag == '^') {
		if (ps->depth == MAX_DEPTH) {
			error_at(ps, p, "sections nest at most %d deep", MAX_DEPTH);
			return NULL;
		}
		ps->open_at[ps->depth] = p;
		ps->open[ps->depth++] = idx;
	} else if (tag == '/') {
		const ev_fieldref *o = ps->depth ? &t->fields[ps->open[ps->depth - 1]] : NULL;
		if (!o || strcmp(o->name, name)) {
			if (o)
				error_at(ps, p, "{{/%s}} closes a section, but the open one is "
				         "{{%c%s}} from line %ld", name, o->tag, o->name, o->line);
			else
				error_at(ps, p, "{{/%s}} closes a section that was never opened",
				         name);
			return NULL;
		}
		ps->depth--;
		t->fields[idx].match = ps->open[ps->depth];
		t->fields[idx].section = ps->depth ? ps->open[ps->depth - 1] : -1;
		t->fields[ps->open[ps->depth]].match = idx;
	}
	t->fields[idx].lang = ps->part_at ? ps->parts[ps->nparts - 1].lang : NULL;
	t->nfields++;
	*field = idx;
	return close + 2;
}

/* Runs of a one-line setting value: literal text and fields. */
static int setting_runs(parser *ps, const char *p, const char *end, long line,
                        ev_tline *out)
{
	runs rs = {0};
	const char *lit = p;
	int rc = 0;
	while (p < end) {
		if (p[0] == '{' && p + 1 < end && p[1] == '{') {
			long field;
			rc |= add_run(ps, &rs, EV_FACE_REGULAR, lit, (size_t)(p - lit), -1);
			p = placeholder(ps, p, end, &field);
			if (!p)
				return -1;
			rc |= add_run(ps, &rs, EV_FACE_REGULAR, NULL, 0, field);
			lit = p;
		} else {
			p++;
		}
	}
	rc |= add_run(ps, &rs, EV_FACE_REGULAR, lit, (size_t)(end - lit), -1);
	*out = (ev_tline){.runs = rs.v, .nruns = rs.n, .line = line};
	return rc ? -1 : 0;
}

/* ---- front matter ---- */

static const char *const keys[] = {
	"sender", "return-address", "date", "subject", "reference", "signatories",
	"latin", "latin-places", "lang", "salutation", "paper", "layout",
	"hyphenate", "justify", "fonts", "posting", "service", "envelope",
	"envelope-weight", "duplex", "ledger", "address-case",
};

const char *const ev_fonts_names[EV_FONTS_COUNT] = {
	[EV_FONTS_PT_SERIF] = "pt-serif",
	[EV_FONTS_DEJAVU_SERIF] = "dejavu-serif",
};

/* `fonts:` one of ev_fonts_names, in any case like the paper and layout. */
static int fonts_setting(parser *ps, const char *v, const char *ve)
{
	for (int i = 0; i < EV_FONTS_COUNT; i++) {
		if ((size_t)(ve - v) == strlen(ev_fonts_names[i])
		    && !strncasecmp(v, ev_fonts_names[i], (size_t)(ve - v))) {
			ps->t->fonts = (ev_fonts)i;
			return 0;
		}
	}
	ev_buf names = {0};
	for (int i = 0; i < EV_FONTS_COUNT; i++)
		ev_buf_printf(&names, "%s%s", i ? ", " : "", ev_fonts_names[i]);
	error_at(ps, v, "unknown fonts '%.*s'; it is one of: %s", (int)(ve - v), v,
	         names.data ? names.data : "");
	ev_buf_free(&names);
	return -1;
}

/* "SCHEME" or "SCHEME / SCHEME" (Belarusian words / Russian words). */
static int policy(parser *ps, const char *v, const char *ve, ev_policy *out)
{
	const char *slash = memchr(v, '/', (size_t)(ve - v));
	const char *parts[2][2] = {{v, slash ? slash : ve}, {slash ? slash + 1 : v, ve}};
	const char *ids[2];
	for (int i = 0; i < 2; i++) {
		const char *a = parts[i][0], *b = parts[i][1];
		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		char *id = ev_arena_strndup(ps->a, a, (size_t)(b - a));
		if (!id)
			return -1;
		if (!ev_scheme_find(id)) {
			ev_buf hint = {0};
			ev_scheme_did_you_mean(&hint, id);
			error_at(ps, a, "unknown transliteration scheme '%s'%s; write "
			         "SCHEME or BELARUSIAN-SCHEME / RUSSIAN-SCHEME (envoi "
			         "translit --list names them)", id, hint.data ? hint.data : "");
			ev_buf_free(&hint);
			return -1;
		}
		ids[i] = id;
	}
	*out = (ev_policy){.be = ids[0], .ru = ids[1]};
	return 0;
}

/* `paper:` a size (A4, Letter), a weight (80, 80 g/m², 90gsm), or both
 * (A4, 80 g/m²), in either order. */
static int paper_setting(parser *ps, const char *v, const char *ve)
{
	ev_template *t = ps->t;
	bool size = false, weight = false;
	for (const char *p = v; p < ve;) {
		while (p < ve && (*p == ' ' || *p == '\t' || *p == ','))
			p++;
		const char *w = p;
		while (p < ve && *p != ' ' && *p != '\t' && *p != ',')
			p++;
		if (w == p)
			break;
		if (*w >= '0' && *w <= '9') {
			long g = 0;
			const char *q = w;
			while (q < p && *q >= '0' && *q <= '9' && g < 10000)
				g = g * 10 + (*q++ - '0');
			/* the unit, attached or the next word */
			const char *u = q, *ue = p;
			if (u == ue) {
				const char *n = p;
				while (n < ve && (*n == ' ' || *n == '\t'))
					n++;
				const char *ne = n;
				while (ne < ve && *ne != ' ' && *ne != '\t' && *ne != ',')
					ne++;
				if (ne > n && *n == 'g')
					u = n, ue = ne, p = ne;
			}
			static const char *const units[] = {"", "g/m²", "g/m2", "gsm", "g"};
			bool unit = false;
			for (size_t i = 0; i < sizeof units / sizeof *units; i++)
				unit |= (size_t)(ue - u) == strlen(units[i]) &&
				        !memcmp(u, units[i], (size_t)(ue - u));
			if (!unit || g < 30 || g > 300 || weight) {
				error_at(ps, w, weight ? "the paper has one weight" :
				         "the paper's weight is in g/m², from 30 to 300 (write "
				         "80 or 80 g/m²)");
				return -1;
			}
			t->paper_gsm = (int)g;
			weight = true;
			continue;
		}
		char *id = ev_arena_strndup(ps->a, w, (size_t)(p - w));
		if (!id)
			return -1;
		if (size || !(t->paper = ev_paper_find(id))) {
			char names[200];
			ev_paper_names(names, sizeof names);
			error_at(ps, w, size ? "the paper has one size" : "unknown paper "
			         "size '%s'; it is one of: %s, and may be followed by its "
			         "weight (A4, 80 g/m²)", id, names);
			return -1;
		}
		size = true;
	}
	return 0;
}

/* posting, service, envelope, envelope-weight, ledger. */
static int posting_setting(parser *ps, int k, const char *v, const char *ve, long line)
{
	ev_template *t = ps->t;
	char *s = ev_arena_strndup(ps->a, v, (size_t)(ve - v));
	if (!s)
		return -1;
	switch (k) {
	case 15:
		if (!strcmp(s, "none") ||
		    (strlen(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z')) {
			t->posting = s;
			t->posting_line = line;
			return 0;
		}
		error_at(ps, v, "posting is the country the letters are posted in, as "
		         "its code: DE, GB or CH (a tariff file for each is in "
		         "src/data/tariffs), or none for no postage");
		return -1;
	case 16:
		for (int i = 0; i < EV_SERVICE_COUNT; i++)
			if (!strcmp(s, ev_service_names[i])) {
				t->service = i;
				t->service_line = line;
				return 0;
			}
		error_at(ps, v, "service is standard or registered");
		return -1;
	case 17: {
		const ev_envelope *e = ev_envelope_find(s);
		if (!e) {
			char names[100];
			ev_envelope_names(names, sizeof names);
			error_at(ps, v, "unknown envelope '%s'; it is one of: %s", s, names);
			return -1;
		}
		t->envelope = e->name;
		t->envelope_line = line;
		return 0;
	}
	case 18: {
		/* grams with up to three decimals, "g" after it or not */
		long mg = 0;
		int frac = -1;
		const char *p = s;
		for (; *p >= '0' && *p <= '9' && mg < 1000000; p++)
			mg = mg * 10 + (*p - '0');
		if (*p == '.')
			for (frac = 0, p++; *p >= '0' && *p <= '9' && frac < 3; p++, frac++)
				mg = mg * 10 + (*p - '0');
		for (int i = frac < 0 ? 0 : frac; i < 3; i++)
			mg *= 10;
		while (*p == ' ')
			p++;
		if (*p == 'g')
			p++;
		if (*p || p == s || mg <= 0 || mg > 1000000) {
			error_at(ps, v, "envelope-weight is the empty envelope's weight in "
			         "grams, such as 4.5 or 4.5 g");
			return -1;
		}
		t->envelope_mg = mg;
		return 0;
	}
	default:
		t->ledger = s;
		t->ledger_line = line;
		return 0;
	}
}

static int add_sender_line(parser *ps, const char *s, size_t n, size_t *cap)
{
	ev_template *t = ps->t;
	if (t->nsender == MAX_SENDER) {
		if (!ps->sender_full)
			error_at(ps, s, "the sender has at most %d lines (the name and "
			         "the address): more do not fit the letterhead", MAX_SENDER);
		ps->sender_full = true;
		return -1;
	}
	t->sender = grow(ps->a, (void *)t->sender, t->nsender, cap, sizeof *t->sender);
	char *line = ev_arena_strndup(ps->a, s, n);
	if (!t->sender || !line)
		return -1;
	t->sender[t->nsender++] = line;
	return 0;
}

/* One "key: value" line (value trimmed); `last` tracks continuations. */
static int setting(parser *ps, const char *p, const char *end, int *seen,
                   int *last, size_t *sender_cap)
{
	ev_template *t = ps->t;
	const char *colon = memchr(p, ':', (size_t)(end - p));
	if (!colon) {
		error_at(ps, p, "expected 'key: value' in the front matter");
		return -1;
	}
	const char *v = colon + 1, *ve = end;
	while (v < ve && (*v == ' ' || *v == '\t'))
		v++;
	while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
		ve--;
	int k = -1;
	for (int i = 0; i < (int)(sizeof keys / sizeof *keys); i++)
		if ((size_t)(colon - p) == strlen(keys[i]) && !memcmp(p, keys[i], strlen(keys[i])))
			k = i;
	if (k < 0) {
		ev_buf all = {0};
		for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
			ev_buf_printf(&all, "%s%s", i ? ", " : "", keys[i]);
		error_at(ps, p, "unknown setting '%.*s'; the settings are %s",
		         (int)(colon - p), p, all.data ? all.data : "");
		ev_buf_free(&all);
		return -1;
	}
	if (seen[k]) {
		error_at(ps, p, "'%s' is set twice", keys[k]);
		return -1;
	}
	seen[k] = 1;
	*last = k;
	long line = line_of(t->src, p);
	if (v == ve && k != 0) {
		error_at(ps, colon, "'%s' has no value", keys[k]);
		return -1;
	}
	switch (k) {
	case 0: return v == ve ? 0 : add_sender_line(ps, v, (size_t)(ve - v), sender_cap);
	case 1: return setting_runs(ps, v, ve, line, &t->return_address);
	case 2: return setting_runs(ps, v, ve, line, &t->date);
	case 3: return setting_runs(ps, v, ve, line, &t->subject);
	case 4: return setting_runs(ps, v, ve, line, &t->reference);
	case 6: return policy(ps, v, ve, &t->latin);
	case 7: return policy(ps, v, ve, &t->latin_places);
	case 8:
		if (!((ve - v == 2) && (!memcmp(v, "en", 2) || !memcmp(v, "ru", 2) ||
		                        !memcmp(v, "be", 2)))) {
			error_at(ps, v, "lang is the letter's language: en, ru or be");
			return -1;
		}
		t->lang = ev_arena_strndup(ps->a, v, 2);
		return t->lang ? 0 : -1;
	case 9: {
		size_t before = t->nfields;
		if (setting_runs(ps, v, ve, line, &t->salutation) < 0)
			return -1;
		for (size_t i = before; i < t->nfields; i++)
			if (!strcmp(t->fields[i].name, "salutation")) {
				error_at(ps, v, "the salutation cannot contain {{salutation}}");
				return -1;
			}
		return 0;
	}
	case 10:
		t->paper_line = line;
		return paper_setting(ps, v, ve);
	case 11: {
		char *id = ev_arena_strndup(ps->a, v, (size_t)(ve - v));
		if (!id)
			return -1;
		if (k == 10)
			t->paper = ev_paper_find(id);
		else
			t->preset = ev_preset_find(id);
		if (k == 10 ? !t->paper : !t->preset) {
			char names[200];
			if (k == 10)
				ev_paper_names(names, sizeof names);
			else
				ev_preset_names(names, sizeof names);
			error_at(ps, v, "unknown %s '%s'; it is one of: %s",
			         k == 10 ? "paper size" : "layout", id, names);
			return -1;
		}
		return 0;
	}
	case 12:
	case 13:
	case 19: {
		bool yes = (ve - v == 3 && !memcmp(v, "yes", 3)) ||
		           (ve - v == 4 && !memcmp(v, "true", 4));
		bool no = (ve - v == 2 && !memcmp(v, "no", 2)) ||
		          (ve - v == 5 && !memcmp(v, "false", 5));
		if (!yes && !no) {
			error_at(ps, v, "%s is yes or no", keys[k]);
			return -1;
		}
		if (k == 19)
			t->duplex_line = line;
		*(k == 12 ? &t->hyphenate : k == 13 ? &t->justify : &t->duplex) = yes;
		return 0;
	}
	case 14: return fonts_setting(ps, v, ve);
	case 15:
	case 16:
	case 17:
	case 18:
	case 20: return posting_setting(ps, k, v, ve, line);
	case 21:
		if ((ve - v == 6 && !memcmp(v, "dative", 6)) ||
		    (ve - v == 10 && !memcmp(v, "nominative", 10))) {
			t->address_dative = ve - v == 6;
			return 0;
		}
		error_at(ps, v, "address-case is nominative (the default) or dative");
		return -1;
	default:
		t->signatories = ev_arena_strndup(ps->a, v, (size_t)(ve - v));
		t->signatories_line = line;
		return t->signatories ? 0 : -1;
	}
}

/* Parse the front matter if the file starts with "---"; return where the
 * body starts (src itself when there is none), or NULL after errors. */
static const char *front_matter(parser *ps)
{
	ev_template *t = ps->t;
	const char *p = t->src, *end = t->src + t->len;
	if (line_len(p, end) != 3 || memcmp(p, "---", 3) != 0)
		return p;
	int seen[sizeof keys / sizeof *keys] = {0};
	int last = -1, bad = 0;
	size_t sender_cap = 0;
	const char *open = p;
	p = memchr(p, '\n', (size_t)(end - p));
	while (p && ++p < end) {
		size_t n = line_len(p, end);
		const char *next = p + n;
		if (n == 3 && !memcmp(p, "---", 3)) {
			if (next < end && *next == '\r')
				next++;
			if (next < end && *next == '\n')
				next++;
			return bad ? NULL : next;
		}
		const char *s = p;
		while (s < next && (*s == ' ' || *s == '\t'))
			s++;
		if (s == next || *s == '#') {
			/* blank line or comment */
		} else if (s > p && last == 0) {
			bad |= add_sender_line(ps, s, (size_t)(next - s), &sender_cap) < 0;
		} else if (s > p) {
			error_at(ps, p, "only 'sender' continues on indented lines");
			bad = 1;
		} else {
			bad |= setting(ps, p, next, seen, &last, &sender_cap) < 0;
		}
		p = memchr(p, '\n', (size_t)(end - p));
	}
	error_at(ps, open, "the front matter that starts here has no closing '---' line");
	return NULL;
}

/* ---- the body ---- */

/* If the line at p is a translation fence ("::: {lang=ru}" opens one,
 * ":::" closes it), note it and return where the line ends; else NULL. */
static const char *fence(parser *ps, const char *p, const char *end, bool *bad)
{
	size_t n = line_len(p, end);
	const char *q = p, *e = p + n;
	while (q < e && q - p < 3 && *q == ' ')
		q++;
	if (e - q < 3 || memcmp(q, ":::", 3))
		return NULL;
	q += 3;
	while (q < e && *q == ':')
		q++;
	while (q < e && (*q == ' ' || *q == '\t'))
		q++;
	while (e > q && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	long line = line_of(ps->t->src, p);
	if (q == e) {
		if (!ps->part_at) {
			error_at(ps, p, "':::' closes a translation, but none is open; a "
			         "translation starts with '::: {lang=ru}'");
			*bad = true;
		} else {
			ps->parts[ps->nparts - 1].close = line;
			ps->part_at = NULL;
		}
		return p + n;
	}
	static const char *const langs[] = {"en", "ru", "be"};
	const char *lang = NULL;
	size_t k = (size_t)(e - q);
	for (int i = 0; i < 3; i++) {
		char want[2][16];
		snprintf(want[0], sizeof want[0], "{lang=%s}", langs[i]);
		snprintf(want[1], sizeof want[1], "{lang=\"%s\"}", langs[i]);
		for (int j = 0; j < 2; j++)
			if (k == strlen(want[j]) && !memcmp(q, want[j], k))
				lang = langs[i];
	}
	if (!lang) {
		error_at(ps, q, "a translation starts with '::: {lang=en}', "
		         "'::: {lang=ru}' or '::: {lang=be}' and ends with ':::'");
		*bad = true;
		/* Still opened, so its closing fence is not a second error. */
		if (!ps->part_at && ps->nparts < MAX_PARTS) {
			ps->parts[ps->nparts++] = (part){line, LONG_MAX, NULL};
			ps->part_at = p;
		}
	} else if (ps->part_at) {
		error_at(ps, p, "a translation cannot start inside another one (line "
		         "%ld); close that one with ':::' first",
		         ps->parts[ps->nparts - 1].open);
		*bad = true;
	} else if (ps->nparts == MAX_PARTS) {
		error_at(ps, p, "a letter has at most %d translations", MAX_PARTS);
		*bad = true;
	} else {
		ps->parts[ps->nparts++] = (part){line, LONG_MAX, lang};
		ps->part_at = p;
	}
	return p + n;
}

/* Copy the body with every placeholder replaced by U+E000 + its index;
 * translation fences become empty lines. */
static char *substitute(parser *ps, const char *p, const char *end, size_t *len)
{
	ev_buf b = {0};
	bool bad = false;
	const char *body = p;
	while (p < end) {
		if (p == body || p[-1] == '\n' || p[-1] == '\r') {
			const char *after = fence(ps, p, end, &bad);
			if (after) {
				p = after;
				continue;
			}
		}
		uint32_t cp;
		size_t k = ev_utf8_decode(p, (size_t)(end - p), &cp);
		if (!k) {
			error_at(ps, p, "the letter is not valid UTF-8 here (byte 0x%02X); "
			         "save it as UTF-8", (unsigned char)*p);
			bad = true;
			break;
		}
		if (cp >= PUA_FIRST && cp <= PUA_LAST) {
			error_at(ps, p, "private-use character U+%04X is not allowed in a letter",
			         (unsigned)cp);
			bad = true;
			p += k;
			continue;
		}
		if (cp == '{' && p + 2 < end && p[1] == '{' && p[2] == '!') {
			/* A comment, which may run over lines: dropped. */
			const char *close = NULL;
			for (const char *c = p + 3; c + 1 < end && !close; c++)
				if (c[0] == '}' && c[1] == '}')
					close = c;
			if (!close) {
				error_at(ps, p, "the comment '{{!' is not closed with '}}'");
				bad = true;
				break;
			}
			p = close + 2;
			continue;
		}
		if (cp == '{' && p + 1 < end && p[1] == '{') {
			long field;
			const char *q = placeholder(ps, p, end, &field);
			if (!q) {
				bad = true;
				/* Skip to the end of this line (forward only: a bare CR
				 * ends a line here but not for line_start). */
				p += line_len(p, end);
				continue;
			}
			char u[4];
			ev_buf_append(&b, u, ev_utf8_encode(PUA_FIRST + (uint32_t)field, u));
			p = q;
			continue;
		}
		ev_buf_append(&b, p, k);
		p += k;
	}
	if (bad || b.failed) {
		ev_buf_free(&b);
		return NULL;
	}
	return ev_buf_steal(&b, len);
}

typedef struct walker {
	parser *ps;
	long line0;          /* letter line of the body's first line, minus 1 */
	ev_block *blocks;
	size_t nblocks, cap;
	runs cur;            /* runs of the block being built */
	bool open;
	int bold, italic, quote, depth;
	int counters[16];    /* next number per list depth; 0 = bullet list */
	bool item_first;
	char *marker;
} walker;

static ev_face face_of(const walker *w)
{
	if (w->bold && w->italic)
		return EV_FACE_BOLD_ITALIC;
	return w->bold ? EV_FACE_BOLD : w->italic ? EV_FACE_ITALIC : EV_FACE_REGULAR;
}

static int push_block(walker *w, ev_block_kind kind, int level, long line)
{
	parser *ps = w->ps;
	w->blocks = grow(ps->a, w->blocks, w->nblocks, &w->cap, sizeof *w->blocks);
	if (!w->blocks)
		return -1;
	w->blocks[w->nblocks++] = (ev_block){.kind = kind, .level = level,
	                                     .line = line};
	return 0;
}

static int open_block(walker *w, ev_block_kind kind, int level, cmark_node *n)
{
	if (push_block(w, kind, level, w->line0 + cmark_node_get_start_line(n)) < 0)
		return -1;
	w->cur = (runs){0};
	w->open = true;
	if (kind == EV_BLOCK_ITEM && w->item_first) {
		w->blocks[w->nblocks - 1].marker = w->marker;
		w->item_first = false;
	}
	return 0;
}

/* Close the current block; a paragraph that is only {{signatories}}
 * becomes the place of the signatories list. */
static void close_block(walker *w)
{
	ev_block *b = &w->blocks[w->nblocks - 1];
	b->runs = w->cur.v;
	b->nruns = w->cur.n;
	w->open = false;
	if (b->kind == EV_BLOCK_PARA && b->nruns == 1 && b->runs[0].field >= 0 &&
	    !w->ps->t->fields[b->runs[0].field].tag &&
	    !strcmp(w->ps->t->fields[b->runs[0].field].name, "signatories"))
		b->kind = EV_BLOCK_SIGNATORIES;
}

/* Literal text that may hold placeholder characters: split into runs. */
static int add_text(walker *w, const char *s, size_t n)
{
	const char *lit = s, *end = s + n;
	int rc = 0;
	while (s < end) {
		uint32_t cp;
		size_t k = ev_utf8_decode(s, (size_t)(end - s), &cp);
		if (!k)
			k = 1, cp = 0;
		if (cp >= PUA_FIRST && cp <= PUA_LAST) {
			rc |= add_run(w->ps, &w->cur, face_of(w), lit, (size_t)(s - lit), -1);
			rc |= add_run(w->ps, &w->cur, face_of(w), NULL, 0,
			              (long)(cp - PUA_FIRST));
			lit = s + k;
		}
		s += k;
	}
	rc |= add_run(w->ps, &w->cur, face_of(w), lit, (size_t)(end - lit), -1);
	return rc;
}

/* Code and HTML blocks are printed as written, line by line. */
static int literal_block(walker *w, cmark_node *n)
{
	const char *s = cmark_node_get_literal(n);
	if (!s)
		return 0;
	if (open_block(w, EV_BLOCK_PARA, 0, n) < 0)
		return -1;
	size_t len = strlen(s);
	while (len && s[len - 1] == '\n')
		len--;
	for (const char *p = s, *end = s + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		if (add_text(w, p, (size_t)(le - p)) < 0)
			return -1;
		w->cur.pending_break = true;
		p = nl ? nl + 1 : end;
	}
	close_block(w);
	return 0;
}

static int list_enter(walker *w, cmark_node *n)
{
	if (w->depth >= 15) {
		error_at(w->ps, w->ps->t->src, "lists are nested more than 15 deep");
		return -1;
	}
	w->depth++;
	w->counters[w->depth] = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST
	                            ? cmark_node_get_list_start(n) : 0;
	return 0;
}

static int item_enter(walker *w)
{
	int *c = &w->counters[w->depth];
	if (*c) {
		w->marker = ev_arena_printf(w->ps->a, "%d.", *c);
		(*c)++;
	} else {
		w->marker = ev_arena_strdup(w->ps->a, w->depth == 1 ? "•" : "–");
	}
	w->item_first = true;
	return w->marker ? 0 : -1;
}

static ev_block_kind para_kind(const walker *w)
{
	return w->depth ? EV_BLOCK_ITEM : w->quote ? EV_BLOCK_QUOTE : EV_BLOCK_PARA;
}

static int visit(walker *w, cmark_event_type ev, cmark_node *n)
{
	bool enter = ev == CMARK_EVENT_ENTER;
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_PARAGRAPH:
		if (enter)
			return open_block(w, para_kind(w), w->depth, n);
		close_block(w);
		return 0;
	case CMARK_NODE_HEADING:
		if (enter)
			return open_block(w, EV_BLOCK_HEADING, cmark_node_get_heading_level(n), n);
		close_block(w);
		return 0;
	case CMARK_NODE_LIST:
		if (enter)
			return list_enter(w, n);
		w->depth--;
		return 0;
	case CMARK_NODE_ITEM:
		return enter ? item_enter(w) : 0;
	case CMARK_NODE_BLOCK_QUOTE:
		w->quote += enter ? 1 : -1;
		return 0;
	case CMARK_NODE_THEMATIC_BREAK:
		return push_block(w, EV_BLOCK_PAGEBREAK, 0,
		                  w->line0 + cmark_node_get_start_line(n));
	case CMARK_NODE_CODE_BLOCK:
	case CMARK_NODE_HTML_BLOCK:
		return literal_block(w, n);
	case CMARK_NODE_TEXT:
	case CMARK_NODE_CODE:
	case CMARK_NODE_HTML_INLINE: {
		const char *s = cmark_node_get_literal(n);
		return s && w->open ? add_text(w, s, strlen(s)) : 0;
	}
	case CMARK_NODE_SOFTBREAK:
		return w->open ? add_text(w, " ", 1) : 0;
	case CMARK_NODE_LINEBREAK:
		w->cur.pending_break = true;
		return 0;
	case CMARK_NODE_EMPH:
		w->italic += enter ? 1 : -1;
		return 0;
	case CMARK_NODE_STRONG:
		w->bold += enter ? 1 : -1;
		return 0;
	default:          /* document, links and images: their text is visited */
		return 0;
	}
}

/* Typewriter quotes in the letter's own text become the language's: "…"
 * is “…” in English and «…» in Russian and Belarusian; ' is the
 * apostrophe ’, or in English an opening ‘. A quote opens after a space or an opening
 * bracket or dash, or at the start of the block; otherwise it closes.
 * Values from the list are not touched: they are merged later. */
static int quote_block(parser *ps, ev_block *b, const char *lang)
{
	bool ru = lang && (!strcmp(lang, "ru") || !strcmp(lang, "be"));
	const char *open = ru ? "«" : "“", *close = ru ? "»" : "”";
	uint32_t prev = ' ';   /* the character before, as far as is known */
	for (size_t r = 0; r < b->nruns; r++) {
		ev_run *run = &b->runs[r];
		if (run->hard_break)
			prev = '\n';
		if (run->field >= 0 || !run->text) {
			prev = 'x';     /* a value: a quote after it closes */
			continue;
		}
		if (!memchr(run->text, '"', run->len) && !memchr(run->text, '\'', run->len)) {
			if (run->len) {
				size_t k = run->len;
				while (k > 0 && ((unsigned char)run->text[k - 1] & 0xC0) == 0x80)
					k--;
				if (k > 0)
					ev_utf8_decode(run->text + k - 1, run->len - k + 1, &prev);
			}
			continue;
		}
		ev_buf out = {0};
		const char *s = run->text, *end = s + run->len;
		while (s < end) {
			uint32_t cp;
			size_t k = ev_utf8_decode(s, (size_t)(end - s), &cp);
			if (!k)
				k = 1, cp = (unsigned char)*s;
			uint32_t next = 0;
			if (s + k < end)
				ev_utf8_decode(s + k, (size_t)(end - s - k), &next);
			bool opens = prev == ' ' || prev == '\n' || prev == '(' || prev == '[' ||
			             prev == 0x2014 || prev == 0x2013 || prev == '/';
			if (cp == '"')
				ev_buf_puts(&out, opens ? open : close);
			else if (cp == '\'' && !opens)
				ev_buf_puts(&out, "\u2019");   /* apostrophe or closing */
			else if (cp == '\'' && !ru && next && next != ' ')
				ev_buf_puts(&out, "\u2018");   /* opening, English */
			else
				ev_buf_append(&out, s, k);
			prev = cp;
			s += k;
		}
		if (out.failed) {
			ev_buf_free(&out);
			return -1;
		}
		char *text = ev_arena_strndup(ps->a, out.data ? out.data : "", out.len);
		size_t len = out.len;
		ev_buf_free(&out);
		if (!text)
			return -1;
		run->text = text;
		run->len = len;
	}
	return 0;
}

static int parse_body(parser *ps, const char *body)
{
	ev_template *t = ps->t;
	size_t len;
	ps->in_body = true;
	char *sub = substitute(ps, body, t->src + t->len, &len);
	if (sub && ps->part_at) {
		error_at(ps, ps->part_at, "this translation is not closed: add a line "
		         "':::' where it ends");
		free(sub);
		return -1;
	}
	if (sub && ps->depth) {
		const ev_fieldref *o = &t->fields[ps->open[ps->depth - 1]];
		error_at(ps, ps->open_at[ps->depth - 1], "{{%c%s}} is not closed: add "
		         "{{/%s}} where the section ends", o->tag, o->name, o->name);
		free(sub);
		return -1;
	}
	if (!sub)
		return -1;
	cmark_node *doc = cmark_parse_document(sub, len, CMARK_OPT_DEFAULT);
	free(sub);
	if (!doc)
		return -1;
	walker w = {.ps = ps, .line0 = line_of(t->src, body) - 1};
	cmark_iter *it = cmark_iter_new(doc);
	int rc = it ? 0 : -1;
	cmark_event_type ev;
	while (rc == 0 && it && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		rc = visit(&w, ev, cmark_iter_get_node(it));
	cmark_iter_free(it);
	cmark_node_free(doc);
	/* Blocks between a translation's fences are in its language. */
	for (size_t i = 0; i < w.nblocks; i++)
		for (size_t k = 0; k < ps->nparts; k++)
			if (w.blocks[i].line > ps->parts[k].open &&
			    w.blocks[i].line < ps->parts[k].close)
				w.blocks[i].lang = ps->parts[k].lang;
	for (size_t i = 0; rc == 0 && i < w.nblocks; i++)
		rc = quote_block(ps, &w.blocks[i], w.blocks[i].lang ? w.blocks[i].lang : t->lang);
	t->body = (ev_doc){.blocks = w.blocks, .nblocks = w.nblocks};
	return rc;
}

/* Characters that print as nothing or turn text around (a right-to-left
 * override, a zero-width space pasted from a web page) are errors where
 * they stand: the letter is the campaign's own text, fixed once. */
static void find_invisible(parser *ps)
{
	const ev_template *t = ps->t;
	uint32_t cp;
	size_t found = 0;
	for (size_t i = 0, k; found < 10 &&
	     (k = ev_invisible_at(t->src + i, t->len - i, &cp)) != (size_t)-1; found++) {
		const char *name = ev_invisible_name(cp);
		error_at(ps, t->src + i + k, "the invisible character U+%04X%s%s%s is in "
		         "the letter; delete it (it prints as nothing or changes "
		         "how the text around it is shown)", (unsigned)cp,
		         name ? " (" : "", name ? name : "", name ? ")" : "");
		i += k + 1;
		while (i < t->len && ((unsigned char)t->src[i] & 0xC0) == 0x80)
			i++;
	}
}

ev_template *ev_template_parse(const char *src, size_t len, const char *path,
                               ev_arena *arena, ev_diags *d)
{
	ev_template *t = ev_arena_alloc(arena, sizeof *t);
	if (!t)
		return NULL;
	/* A letter saved with a byte-order mark (Notepad does): the mark is
	 * not text. */
	if (len >= 3 && !memcmp(src, "\xEF\xBB\xBF", 3)) {
		src += 3;
		len -= 3;
	}
	*t = (ev_template){.path = path, .src = src, .len = len, .lang = "en",
	                     .paper = ev_paper_default(), .preset = ev_preset_default(),
	                     .service = -1, .paper_gsm = 80, .duplex = true,
	                     .hyphenate = true, .justify = true,
	                   .latin = {"by-passport", "icao-ru"},
	                   .latin_places = {"by-national", "bgn-pcgn-ru"}};
	parser ps = {.t = t, .a = arena, .d = d, .path = path};
	size_t errors = d->errors;
	find_invisible(&ps);
	const char *body = front_matter(&ps);
	if (body && parse_body(&ps, body) < 0 && d->errors == errors)
		ev_diag_add(d, EV_ERROR, path, 0, 0, NULL, "out of memory");
	if (body && !t->date.line)
		ev_diag_add(d, EV_ERROR, path, 1, 0, NULL, "the letter has no date; "
		            "add a line 'date: 2 June 2025' to the front matter "
		            "(between the '---' lines at the top)");
	if (body && !t->return_address.line && t->nsender) {
		/* Default return line: the sender lines joined, as DIN 5008 puts
		 * it above the address in small type. */
		ev_buf b = {0};
		for (size_t i = 0; i < t->nsender; i++)
			ev_buf_printf(&b, "%s%s", i ? " · " : "", t->sender[i]);
		/* Literal, as the sender lines are: a "{{" in them is printed. */
		char *s = b.failed ? NULL : ev_arena_strndup(arena, b.data, b.len);
		ev_run *r = s ? ev_arena_alloc(arena, sizeof *r) : NULL;
		ev_buf_free(&b);
		if (r) {
			*r = (ev_run){.face = EV_FACE_REGULAR, .text = s, .len = strlen(s),
			              .field = -1};
			t->return_address = (ev_tline){.runs = r, .nruns = 1};
		}
	}
	return d->errors == errors ? t : NULL;
}

/* ---- field checks ---- */

/* Whether field i stands inside a {{#signatories}} section. */
static bool in_signatories(const ev_template *t, long i)
{
	for (long s = t->fields[i].section; s >= 0; s = t->fields[s].section)
		if (t->fields[s].tag == '#' && !strcmp(t->fields[s].name, "signatories"))
			return true;
	return false;
}

size_t ev_template_check_fields(const ev_template *t, const char *const *names,
                                size_t n, const char *const *inner,
                                size_t ninner, ev_diags *d)
{
	size_t errors = 0;
	for (size_t i = 0; i < t->nfields; i++) {
		const ev_fieldref *f = &t->fields[i];
		if (f->tag == '/')
			continue;
		bool inside = in_signatories(t, (long)i);
		bool known = false;
		for (size_t j = 0; j < n && !known; j++)
			known = !strcmp(names[j], f->name);
		for (size_t j = 0; inside && j < ninner && !known; j++)
			known = !strcmp(inner[j], f->name);
		if (known)
			continue;
		ev_buf hint = {0};
		ev_did_you_mean(&hint, f->name, inside ? inner : names, inside ? ninner : n);
		ev_diag_add(d, EV_ERROR, t->path, f->line, f->col, NULL,
		            "unknown merge field '{{%s}}'%s", f->name,
		            hint.data ? hint.data : "");
		ev_buf_free(&hint);
		/* memchr, not strchr: the letter may hold NUL bytes. */
		const char *ls = t->src, *end = t->src + t->len;
		for (long l = 1; l < f->line && ls < end; l++) {
			const char *nl = memchr(ls, '\n', (size_t)(end - ls));
			ls = nl ? nl + 1 : end;
		}
		ev_diag_set_source(d, ls, line_len(ls, t->src + t->len));
		errors++;
	}
	return errors;
}
