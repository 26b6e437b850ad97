/* merge.c - filling a parsed template with one recipient's values. */
#include "merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "decline.h"
#include "filters.h"
#include "scheme.h"

bool ev_field_is_place(const char *name)
{
	static const char *const places[] = {
		"court", "street", "city", "district", "region", "country",
	};
	for (size_t i = 0; i < sizeof places / sizeof *places; i++)
		if (!strcmp(name, places[i]))
			return true;
	return false;
}

/* A field's value in the dative or genitive: a column of the row's own
 * (surname_dat, name_gen, ...) wins; then the rules by the field (a name
 * part, the full name, a position); what the rules are unsure of keeps
 * its nominative and is reported through in->unsure. In a; NULL when out
 * of memory. */
static const char *declined(const ev_merge_input *in, const ev_fieldref *f, ev_case c,
                            const char *v, ev_arena *a)
{
	char key[160];
	snprintf(key, sizeof key, "%s_%s", f->name, c == EV_CASE_DAT ? "dat" : "gen");
	const char *stored = in->lookup(in->ctx, key);
	if (stored && *stored)
		return stored;
	bool unsure = false;
	char *r;
	if (!strcmp(f->name, "surname") || !strcmp(f->name, "given_name") ||
	    !strcmp(f->name, "patronymic"))
		r = ev_decline(v, !strcmp(f->name, "surname") ? EV_PART_SURNAME
		               : !strcmp(f->name, "given_name") ? EV_PART_GIVEN : EV_PART_PATRONYMIC,
		               in->gender, in->lang, c, &unsure);
	else if (!strcmp(f->name, "position"))
		r = ev_decline_title(v, in->lang, c, &unsure);
	else
		r = ev_decline_full(v, in->gender, in->lang, c, &unsure);
	if (unsure && in->unsure)
		*in->unsure = f->name;
	const char *out = r ? ev_arena_strdup(a, r) : NULL;
	free(r);
	return out;
}

/* The filters of a field over its value, into a. NULL when out of memory. */
static const char *filtered(const ev_merge_input *in, const ev_fieldref *f,
                            const char *v, ev_arena *a)
{
	for (size_t i = 0; v && i < f->nfilters; i++) {
		const ev_filter *fl = &f->filters[i];
		const ev_policy *pol = ev_field_is_place(f->name) ? &in->t->latin_places
		                                                   : &in->t->latin;
		char *r;
		if (fl->kind == EV_FILTER_DATIVE || fl->kind == EV_FILTER_GENITIVE) {
			v = declined(in, f, fl->kind == EV_FILTER_DATIVE ? EV_CASE_DAT : EV_CASE_GEN,
			             v, a);
			continue;
		}
		if (fl->kind != EV_FILTER_LATIN && fl->kind != EV_FILTER_CYRILLIC) {
			r = ev_text_filter(fl->kind, fl->scheme, v);
			v = r ? ev_arena_strdup(a, r) : NULL;
			free(r);
			continue;
		}
		if (i == 0 && fl->kind == EV_FILTER_LATIN && !fl->scheme) {
			/* A stored spelling (a surname_latin column) wins. */
			char key[160];
			snprintf(key, sizeof key, "%s_latin", f->name);
			const char *stored = in->lookup(in->ctx, key);
			if (stored && *stored) {
				v = stored;
				continue;
			}
		}
		if (fl->kind == EV_FILTER_CYRILLIC) {
			r = ev_translit(ev_scheme_find(fl->scheme), v, in->lang, true);
		} else if (fl->scheme && !strcmp(fl->scheme, "ascii")) {
			char *l = ev_latin(v, in->lang);
			r = l ? ev_ascii(l) : NULL;
			free(l);
		} else if (fl->scheme) {
			r = ev_translit(ev_scheme_find(fl->scheme), v, in->lang, false);
		} else {
			r = ev_translit_by_lang(ev_scheme_find(pol->be), ev_scheme_find(pol->ru),
			                        v, in->lang);
		}
		v = r ? ev_arena_strdup(a, r) : NULL;
		free(r);
	}
	return v;
}

/* The list row being repeated, or -1. */
typedef struct scope {
	long row;
} scope;

static const char *list_value(const ev_merge_input *in, const scope *sc, const char *name)
{
	const ev_merge_list *l = in->list;
	if (!l || sc->row < 0)
		return NULL;
	for (size_t c = 0; c < l->ncolumns; c++)
		if (!strcmp(l->columns[c], name))
			return l->rows[sc->row][c];
	return NULL;
}

static const char *value_in(const ev_merge_input *in, const scope *sc, long field,
                            ev_arena *a)
{
	const ev_fieldref *f = &in->t->fields[field];
	const char *item = list_value(in, sc, f->name);
	if (item)
		return filtered(in, f, item, a);
	const char *name = f->name;
	if (!strcmp(name, "signatories") && in->nsignatories) {
		/* Inline use: the organisations as one comma-separated phrase
		 * (also made, and then replaced, for the signatories block: once
		 * a letter, so measured and copied, not printed). */
		size_t len = 0;
		for (size_t i = 0; i < in->nsignatories; i++)
			len += (i ? 2 : 0) + strlen(in->signatories[i]);
		char *s = ev_arena_alloc(a, len + 1), *o = s;
		for (size_t i = 0; s && i < in->nsignatories; i++) {
			size_t k = strlen(in->signatories[i]);
			if (i) {
				memcpy(o, ", ", 2);
				o += 2;
			}
			memcpy(o, in->signatories[i], k);
			o += k;
		}
		if (s)
			*o = '\0';
		return s;
	}
	/* {{salutation}} inside a translation greets in that language. */
	char lname[32];
	if (f->lang && !strcmp(name, "salutation")) {
		snprintf(lname, sizeof lname, "salutation:%s", f->lang);
		name = lname;
	}
	return filtered(in, f, in->lookup(in->ctx, name), a);
}

static const char *value(const ev_merge_input *in, long field, ev_arena *a)
{
	static const scope none = {-1};
	return value_in(in, &none, field, a);
}

/* The signatories list: one LINE block per organisation. */
static int signatory_blocks(const ev_merge_input *in, const ev_block *tb,
                            ev_arena *a, ev_block *out)
{
	for (size_t i = 0; i < in->nsignatories; i++) {
		ev_run *r = ev_arena_alloc(a, sizeof *r);
		if (!r)
			return -1;
		*r = (ev_run){.face = EV_FACE_REGULAR, .text = in->signatories[i],
		              .len = strlen(in->signatories[i]), .field = -1,
		              .source = "signatories", .shared = true};
		out[i] = (ev_block){.kind = EV_BLOCK_LINE, .runs = r, .nruns = 1,
		                    .line = tb->line, .lang = tb->lang};
	}
	return 0;
}

/* ---- the body, with sections ---- */

/* The template body as one sequence: block starts, runs, block ends. */
typedef struct token {
	const ev_block *block;   /* the block this token belongs to */
	const ev_run *run;       /* NULL: the block's start (first) or end */
	bool end;
} token;

typedef struct out {
	const ev_merge_input *in;
	ev_arena *a;
	ev_block *blocks;
	size_t n, cap;
	ev_run *runs;            /* of the open block */
	size_t nruns, rcap;
	const ev_block *open;    /* the template block being filled, or NULL */
	const token *tokens;
	size_t ntokens;
	long *pos;               /* field index -> token index of its tag */
} out;

static void *grow_arr(ev_arena *a, void *v, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return v;
	size_t nc = *cap ? *cap * 2 : 16;
	void *w = ev_arena_alloc(a, nc * size);
	if (w && n)
		memcpy(w, v, n * size);
	*cap = nc;
	return w;
}

static int add_block(out *o, const ev_block *b)
{
	o->blocks = grow_arr(o->a, o->blocks, o->n, &o->cap, sizeof *o->blocks);
	if (!o->blocks)
		return -1;
	o->blocks[o->n++] = *b;
	return 0;
}

/* Close the block being filled; a text block left without text is dropped. */
static int close_block(out *o)
{
	if (!o->open)
		return 0;
	ev_block b = *o->open;
	b.runs = o->runs;
	b.nruns = o->nruns;
	o->open = NULL;
	bool text = false;
	for (size_t i = 0; i < b.nruns && !text; i++)
		text = b.runs[i].len > 0;
	if (!text && b.kind != EV_BLOCK_PAGEBREAK)
		return 0;
	return add_block(o, &b);
}

static int open_block(out *o, const ev_block *b)
{
	if (close_block(o) < 0)
		return -1;
	o->open = b;
	o->runs = NULL;
	o->nruns = o->rcap = 0;
	return 0;
}

static int add_run(out *o, const ev_run *r, const char *text, const char *source)
{
	if (!o->open)
		return 0;              /* text between blocks (a section's edges) */
	o->runs = grow_arr(o->a, o->runs, o->nruns, &o->rcap, sizeof *o->runs);
	if (!o->runs)
		return -1;
	ev_run *n = &o->runs[o->nruns++];
	*n = *r;
	n->text = text;
	n->len = strlen(text);
	n->source = source;
	n->field = -1;
	return 0;
}

static bool truthy(const char *v)
{
	return v && *v;
}

static int render(out *o, size_t from, size_t to, const scope *sc);

/* A section's tag at token i: render its inside as its value says; returns
 * the token index after its end tag, or (size_t)-1 when out of memory. */
static size_t section(out *o, size_t i, const scope *sc)
{
	const ev_merge_input *in = o->in;
	const ev_fieldref *f = &in->t->fields[o->tokens[i].run->field];
	size_t end = (size_t)o->pos[f->match];
	const ev_merge_list *l = in->list;
	if (f->tag == '#' && l && !strcmp(f->name, l->name)) {
		for (size_t r = 0; r < l->nrows; r++) {
			scope inner = {(long)r};
			if (render(o, i + 1, end, &inner) < 0)
				return (size_t)-1;
		}
		return end + 1;
	}
	const char *v = list_value(in, sc, f->name);
	if (!v)
		v = in->lookup(in->ctx, f->name);
	if (truthy(v) == (f->tag == '#') && render(o, i + 1, end, sc) < 0)
		return (size_t)-1;
	return end + 1;
}

static int render(out *o, size_t from, size_t to, const scope *sc)
{
	for (size_t i = from; i < to;) {
		const token *t = &o->tokens[i];
		if (!t->run) {
			if (t->end ? close_block(o) < 0 : open_block(o, t->block) < 0)
				return -1;
			i++;
			continue;
		}
		const ev_run *r = t->run;
		if (r->field < 0) {
			if (add_run(o, r, r->text, NULL) < 0)
				return -1;
			o->runs[o->nruns - 1].shared = true;
			i++;
			continue;
		}
		const ev_fieldref *f = &o->in->t->fields[r->field];
		if (f->tag == '#' || f->tag == '^') {
			i = section(o, i, sc);
			if (i == (size_t)-1)
				return -1;
			continue;
		}
		if (f->tag == 0) {
			const char *v = value_in(o->in, sc, r->field, o->a);
			if (!v || add_run(o, r, v, f->name) < 0)
				return -1;
		}
		i++;
	}
	return 0;
}

int ev_merge_body(const ev_merge_input *in, ev_arena *a, ev_doc *result)
{
	const ev_doc *body = &in->t->body;
	size_t n = 0;
	for (size_t i = 0; i < body->nblocks; i++)
		n += body->blocks[i].nruns + 2;
	token *tokens = ev_arena_alloc(a, (n ? n : 1) * sizeof *tokens);
	long *pos = ev_arena_alloc(a, (in->t->nfields ? in->t->nfields : 1) * sizeof *pos);
	if (!tokens || !pos)
		return -1;
	size_t k = 0;
	for (size_t i = 0; i < body->nblocks; i++) {
		const ev_block *b = &body->blocks[i];
		tokens[k++] = (token){.block = b};
		for (size_t r = 0; r < b->nruns; r++) {
			if (b->runs[r].field >= 0)
				pos[b->runs[r].field] = (long)k;
			tokens[k++] = (token){.block = b, .run = &b->runs[r]};
		}
		tokens[k++] = (token){.block = b, .end = true};
	}
	out o = {.in = in, .a = a, .tokens = tokens, .ntokens = k, .pos = pos};
	static const scope none = {-1};
	if (render(&o, 0, k, &none) < 0 || close_block(&o) < 0)
		return -1;
	/* The signatories list block becomes one line per organisation. */
	size_t total = 0;
	for (size_t i = 0; i < o.n; i++)
		total += o.blocks[i].kind == EV_BLOCK_SIGNATORIES ? in->nsignatories : 1;
	ev_block *blocks = ev_arena_alloc(a, (total ? total : 1) * sizeof *blocks);
	if (!blocks)
		return -1;
	size_t m = 0;
	for (size_t i = 0; i < o.n; i++) {
		if (o.blocks[i].kind == EV_BLOCK_SIGNATORIES) {
			if (signatory_blocks(in, &o.blocks[i], a, blocks + m) < 0)
				return -1;
			m += in->nsignatories;
		} else {
			blocks[m++] = o.blocks[i];
		}
	}
	*result = (ev_doc){.blocks = blocks, .nblocks = m};
	return 0;
}

/* A line of few runs (the usual: a date, a reference) is joined straight
 * into the arena; this many at most. */
#define LINE_PARTS 16

const char *ev_merge_line(const ev_merge_input *in, const ev_tline *line,
                          ev_arena *a)
{
	if (line->nruns <= LINE_PARTS) {
		const char *part[LINE_PARTS];
		size_t len[LINE_PARTS], total = 0;
		for (size_t i = 0; i < line->nruns; i++) {
			const ev_run *r = &line->runs[i];
			part[i] = r->field >= 0 ? value(in, r->field, a) : r->text;
			if (!part[i])
				return NULL;
			len[i] = r->field >= 0 ? strlen(part[i]) : r->len;
			total += len[i];
		}
		char *s = ev_arena_alloc(a, total + 1), *o = s;
		for (size_t i = 0; s && i < line->nruns; i++) {
			memcpy(o, part[i], len[i]);
			o += len[i];
		}
		if (s)
			*o = '\0';
		return s;
	}
	ev_buf b = {0};
	for (size_t i = 0; i < line->nruns; i++) {
		const ev_run *r = &line->runs[i];
		const char *v = r->field >= 0 ? value(in, r->field, a) : r->text;
		if (!v) {
			ev_buf_free(&b);
			return NULL;
		}
		ev_buf_append(&b, v, r->field >= 0 ? strlen(v) : r->len);
	}
	const char *s = b.failed ? NULL : ev_arena_strndup(a, b.data ? b.data : "", b.len);
	ev_buf_free(&b);
	return s;
}
