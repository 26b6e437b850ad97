/* merge.c - filling a parsed template with one recipient's values. */
#include "merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
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

/* The filters of a field over its value, into a. NULL when out of memory. */
static const char *filtered(const ev_merge_input *in, const ev_fieldref *f,
                            const char *v, ev_arena *a)
{
	for (size_t i = 0; v && i < f->nfilters; i++) {
		const ev_filter *fl = &f->filters[i];
		const ev_policy *pol = ev_field_is_place(f->name) ? &in->t->latin_places
		                                                   : &in->t->latin;
		char *r;
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

static const char *value(const ev_merge_input *in, long field, ev_arena *a)
{
	const ev_fieldref *f = &in->t->fields[field];
	const char *name = f->name;
	if (!strcmp(name, "signatories") && in->nsignatories) {
		/* Inline use: the organisations as one comma-separated phrase. */
		ev_buf b = {0};
		for (size_t i = 0; i < in->nsignatories; i++)
			ev_buf_printf(&b, "%s%s", i ? ", " : "", in->signatories[i]);
		const char *s = b.failed ? NULL : ev_arena_strndup(a, b.data ? b.data : "", b.len);
		ev_buf_free(&b);
		return s;
	}
	return filtered(in, f, in->lookup(in->ctx, name), a);
}

static int merge_runs(const ev_merge_input *in, const ev_run *src, size_t n,
                      ev_arena *a, ev_run **out, size_t *nout)
{
	ev_run *runs = ev_arena_alloc(a, (n ? n : 1) * sizeof *runs);
	if (!runs)
		return -1;
	for (size_t i = 0; i < n; i++) {
		runs[i] = src[i];
		if (src[i].field < 0)
			continue;
		const char *v = value(in, src[i].field, a);
		if (!v)
			return -1;
		runs[i].text = v;
		runs[i].len = strlen(v);
		runs[i].source = in->t->fields[src[i].field].name;
		runs[i].field = -1;
	}
	*out = runs;
	*nout = n;
	return 0;
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
		              .source = "signatories"};
		out[i] = (ev_block){.kind = EV_BLOCK_LINE, .runs = r, .nruns = 1,
		                    .line = tb->line};
	}
	return 0;
}

int ev_merge_body(const ev_merge_input *in, ev_arena *a, ev_doc *out)
{
	const ev_doc *body = &in->t->body;
	size_t n = 0;
	for (size_t i = 0; i < body->nblocks; i++)
		n += body->blocks[i].kind == EV_BLOCK_SIGNATORIES ? in->nsignatories : 1;
	ev_block *blocks = ev_arena_alloc(a, (n ? n : 1) * sizeof *blocks);
	if (!blocks)
		return -1;
	size_t k = 0;
	for (size_t i = 0; i < body->nblocks; i++) {
		const ev_block *tb = &body->blocks[i];
		if (tb->kind == EV_BLOCK_SIGNATORIES) {
			if (signatory_blocks(in, tb, a, blocks + k) < 0)
				return -1;
			k += in->nsignatories;
			continue;
		}
		blocks[k] = *tb;
		if (merge_runs(in, tb->runs, tb->nruns, a, &blocks[k].runs,
		               &blocks[k].nruns) < 0)
			return -1;
		k++;
	}
	*out = (ev_doc){.blocks = blocks, .nblocks = k};
	return 0;
}

const char *ev_merge_line(const ev_merge_input *in, const ev_tline *line,
                          ev_arena *a)
{
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
