/* presort.c - --order postcode (batchrun.h): each piece spilled to a file
 * as it is made, in the list's order, its key kept; at the end the keys
 * sorted (country, postcode, name, number) and the pieces read back and
 * emitted in that order. */
#include "batchrun.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void put_u64(ev_buf *b, uint64_t v)
{
	unsigned char x[8];
	for (int i = 0; i < 8; i++)
		x[i] = (unsigned char)(v >> (8 * i));
	ev_buf_append(b, x, 8);
}

static void put_str(ev_buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	put_u64(b, n);
	ev_buf_append(b, s ? s : "", n);
}

/* A record read back: a cursor that fails (ok false) rather than read
 * past the end. */
typedef struct cursor {
	const unsigned char *p, *end;
	bool ok;
} cursor;

static uint64_t get_u64(cursor *c)
{
	uint64_t v = 0;
	if (c->end - c->p < 8) {
		c->ok = false;
		return 0;
	}
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)c->p[i] << (8 * i);
	c->p += 8;
	return v;
}

static const char *get_str(cursor *c, ev_arena *a)
{
	uint64_t n = get_u64(c);
	if (!c->ok || n > (uint64_t)(c->end - c->p)) {
		c->ok = false;
		return "";
	}
	char *s = ev_arena_strndup(a, (const char *)c->p, (size_t)n);
	c->p += n;
	if (!s)
		c->ok = false;
	return s ? s : "";
}

/* The piece into the spill file, and its sort key: the country line,
 * the postcode, the name's key, the sequence number. */
int batch_spill(batch *b, const ev_recipient *r, const piece_out *o)
{
	ev_buf *rec = &b->rec;
	ev_buf_reset(rec);
	put_u64(rec, o->seq);
	put_str(rec, o->id);
	put_str(rec, o->name);
	put_str(rec, o->name_latin);
	put_u64(rec, o->naddress);
	for (size_t i = 0; i < o->naddress; i++)
		put_str(rec, o->address[i]);
	put_u64(rec, o->address_latin != NULL);
	for (size_t i = 0; o->address_latin && i < o->naddress; i++)
		put_str(rec, o->address_latin[i]);
	const ev_band *band = o->piece.band;
	put_u64(rec, band ? (uint64_t)(band - b->in->tariff.bands) + 1 : 0);
	put_u64(rec, o->piece.sheets);
	put_u64(rec, (uint64_t)o->piece.weight_ug);
	put_u64(rec, (uint64_t)o->piece.thickness_um);
	if (rec->failed || ev_pdf_pages_save(o->pages, rec) < 0)
		return -1;
	if (b->nspilled == b->spilled_cap) {
		size_t c = b->spilled_cap ? b->spilled_cap * 2 : 1024;
		spilled *v = realloc(b->spilled, c * sizeof *v);
		if (!v)
			return -1;
		b->spilled = v;
		b->spilled_cap = c;
	}
	const char *country = r->naddress ? r->address[r->naddress - 1] : "";
	const char *pc = r->field[EV_F_POSTCODE] ? r->field[EV_F_POSTCODE] : "";
	size_t n = strlen(country) + strlen(pc) + strlen(r->person_key ? r->person_key : "") +
	           strlen(r->patronymic_key ? r->patronymic_key : "") + 32;
	char *key = malloc(n);
	if (!key)
		return -1;
	snprintf(key, n, "%s\x1f%s\x1f%s %s\x1f%020zu", country, pc,
	         r->person_key ? r->person_key : "", r->patronymic_key ? r->patronymic_key : "",
	         r->seq);
	long long off = ftello(b->spill);
	if (off < 0 || fwrite(rec->data, 1, rec->len, b->spill) != rec->len) {
		free(key);
		ev_diag_add(b->d, EV_ERROR, b->stage, 0, 0, NULL, "cannot write the "
		            "presorting file: %s", strerror(errno));
		return -1;
	}
	b->spilled[b->nspilled++] = (spilled){.key = key, .off = off, .len = rec->len};
	return 0;
}

static int by_key(const void *x, const void *y)
{
	return strcmp(((const spilled *)x)->key, ((const spilled *)y)->key);
}

/* Every spilled piece read back and emitted, in presorted order. */
int batch_emit_sorted(batch *b)
{
	if (fflush(b->spill) != 0)
		return -1;
	qsort(b->spilled, b->nspilled, sizeof *b->spilled, by_key);
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < b->nspilled; i++) {
		const spilled *sp = &b->spilled[i];
		ev_buf_reset(&b->rec);
		if (ev_buf_reserve(&b->rec, sp->len) < 0)
			return -1;
		if (fseeko(b->spill, sp->off, SEEK_SET) != 0 ||
		    fread(b->rec.data, 1, sp->len, b->spill) != sp->len) {
			ev_diag_add(b->d, EV_ERROR, b->stage, 0, 0, NULL, "cannot read the "
			            "presorting file back: %s", strerror(errno));
			return -1;
		}
		if (!b->sort_arena && !(b->sort_arena = ev_arena_new()))
			return -1;
		ev_arena_reset(b->sort_arena);
		ev_arena *a = b->sort_arena;
		cursor c = {(const unsigned char *)b->rec.data,
		            (const unsigned char *)b->rec.data + sp->len, true};
		piece_out o = {.seq = (size_t)get_u64(&c)};
		o.id = get_str(&c, a);
		o.name = get_str(&c, a);
		o.name_latin = get_str(&c, a);
		size_t n = (size_t)get_u64(&c);
		const char **lines = c.ok && n <= EV_ADDRESS_MAX ? ev_arena_alloc(a, (n + 1) * sizeof *lines) : NULL;
		for (size_t k = 0; lines && k < n; k++)
			lines[k] = get_str(&c, a);
		const char **latin = NULL;
		if (lines && get_u64(&c)) {
			latin = ev_arena_alloc(a, (n + 1) * sizeof *latin);
			for (size_t k = 0; latin && k < n; k++)
				latin[k] = get_str(&c, a);
		}
		uint64_t band = get_u64(&c);
		o.piece.sheets = (size_t)get_u64(&c);
		o.piece.weight_ug = (int64_t)get_u64(&c);
		o.piece.thickness_um = (int)get_u64(&c);
		if (!lines || !c.ok || band > b->in->tariff.nbands) {
			ev_diag_add(b->d, EV_ERROR, b->stage, 0, 0, NULL, "the presorting "
			            "file was changed while the batch ran");
			return -1;
		}
		o.piece.band = band ? &b->in->tariff.bands[band - 1] : NULL;
		o.address = lines;
		o.naddress = n;
		o.address_latin = latin;
		o.pages = ev_pdf_pages_load(&b->in->embed, b->in->store, c.p, (size_t)(c.end - c.p));
		if (!o.pages) {
			ev_diag_add(b->d, EV_ERROR, b->stage, 0, 0, NULL, "the presorting "
			            "file was changed while the batch ran");
			return -1;
		}
		rc = batch_emit(b, &o);
		ev_pdf_pages_free(o.pages);
	}
	return rc;
}

