/* pages.c - kept pages (pages.h): counting and freeing them, and the
 * self-describing record that spills them to a file and reads them back,
 * checked before it is trusted. Pure: bytes in, bytes out (zlib's CRC). */
#include "pages.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Blocks kept for reuse: enough for the letters between the workers and
 * the printing thread in the sample's batch and then some; the rest are
 * freed. A block is made a quarter larger than asked, so letters of
 * about one size fit each other's. */
#define POOL_BLOCKS 256

struct ev_pages_pool {
	pthread_mutex_t mu;
	ev_pdf_pages *free[POOL_BLOCKS];
	size_t n;
};

ev_pages_pool *ev_pages_pool_new(void)
{
	ev_pages_pool *pool = calloc(1, sizeof *pool);
	if (pool && pthread_mutex_init(&pool->mu, NULL) != 0) {
		free(pool);
		return NULL;
	}
	return pool;
}

void ev_pages_pool_free(ev_pages_pool *pool)
{
	if (!pool)
		return;
	for (size_t i = 0; i < pool->n; i++)
		free(pool->free[i]);
	pthread_mutex_destroy(&pool->mu);
	free(pool);
}

ev_pdf_pages *ev_pages_block(ev_pages_pool *pool, size_t size, size_t *got)
{
	if (pool) {
		pthread_mutex_lock(&pool->mu);
		for (size_t i = pool->n; i-- > 0;)
			if (pool->free[i]->size >= size) {
				ev_pdf_pages *pg = pool->free[i];
				pool->free[i] = pool->free[--pool->n];
				pthread_mutex_unlock(&pool->mu);
				*got = pg->size;
				return pg;
			}
		pthread_mutex_unlock(&pool->mu);
		size += size / 4;
	}
	*got = size;
	return malloc(size);
}

size_t ev_pdf_pages_count(const ev_pdf_pages *pg)
{
	return pg ? pg->n : 0;
}

void ev_pdf_pages_free(ev_pdf_pages *pg)
{
	if (!pg)
		return;
	if (!pg->block) {
		ev_buf_free(&pg->rec);
		free(pg->rp);
	}
	ev_pages_pool *pool = pg->pool;
	if (pool) {
		pthread_mutex_lock(&pool->mu);
		bool kept = pool->n < POOL_BLOCKS;
		if (kept)
			pool->free[pool->n++] = pg;
		pthread_mutex_unlock(&pool->mu);
		if (kept)
			return;
	}
	free(pg);
}

/* The record, its integers big-endian: "EVPG", the version (2), the number
 * of font slots (EV_EMBED_SLOTS); per slot the length and the name of its
 * font ("ABCDEF+PTSerif-Regular"; 0 and none when no page uses it); the
 * number of pages; per page its width and height (IEEE 754 doubles), the
 * slots its own content uses (a bit each, 16 bits), that content's length
 * (32 bits) and bytes, then its shared content: a byte 0 (none), 1 (the
 * store's stream: its number and length, 32 bits each) or 2 (the slots,
 * the length and the bytes, as for its own); then the CRC-32 of all that.
 * Loading checks the fonts by name and the stream numbers against the
 * store. A record is read back by the process that wrote it. */
#define SPILL_VERSION 2
#define SPILL_PAGE 23   /* a page's fixed part: 8 + 8 + 2 + 4 + 1 bytes */
enum { SHARED_NONE, SHARED_STORED, SHARED_COPY };
_Static_assert(EV_EMBED_SLOTS <= 16, "a page's slots are 16 bits");

static void put_be(ev_buf *b, uint64_t v, int bytes)
{
	unsigned char u[8];
	for (int i = 0; i < bytes; i++)
		u[i] = (unsigned char)(v >> (8 * (bytes - 1 - i)));
	ev_buf_append(b, u, (size_t)bytes);
}

static uint64_t double_bits(double v)
{
	uint64_t u;
	memcpy(&u, &v, sizeof u);
	return u;
}

static unsigned slot_mask(const bool *used)
{
	unsigned mask = 0;
	for (int s = 0; s < EV_EMBED_SLOTS; s++)
		mask |= (used[s] ? 1u : 0u) << s;
	return mask;
}

int ev_pdf_pages_save(const ev_pdf_pages *pages, ev_buf *out)
{
	bool named[EV_EMBED_SLOTS] = {false};
	if (pages->n > UINT32_MAX)
		return -1;
	for (size_t i = 0; i < pages->n; i++) {
		const struct recpage *r = &pages->rp[i];
		if (r->forms || r->len > UINT32_MAX || r->slen > UINT32_MAX ||
		    (r->shared && r->shared->id > UINT32_MAX))
			return -1;
		for (int s = 0; s < EV_EMBED_SLOTS; s++)
			named[s] |= (r->used[s] || r->sused[s]) && pages->fonts->slot[s];
	}
	size_t start = out->len;
	ev_buf_append(out, "EVPG", 4);
	put_be(out, SPILL_VERSION, 1);
	put_be(out, EV_EMBED_SLOTS, 1);
	for (int s = 0; s < EV_EMBED_SLOTS; s++) {
		const char *name = named[s] ? pages->fonts->slot[s]->base_font : "";
		size_t n = strnlen(name, 255);
		put_be(out, n, 1);
		ev_buf_append(out, name, n);
	}
	put_be(out, pages->n, 4);
	for (size_t i = 0; i < pages->n; i++) {
		const struct recpage *r = &pages->rp[i];
		put_be(out, double_bits(r->w), 8);
		put_be(out, double_bits(r->h), 8);
		put_be(out, slot_mask(r->used), 2);
		put_be(out, r->len, 4);
		ev_buf_append(out, pages->rec.data + r->off, r->len);
		if (r->shared) {
			put_be(out, SHARED_STORED, 1);
			put_be(out, r->shared->id, 4);
			put_be(out, r->shared->len, 4);
		} else if (r->slen) {
			put_be(out, SHARED_COPY, 1);
			put_be(out, slot_mask(r->sused), 2);
			put_be(out, r->slen, 4);
			ev_buf_append(out, pages->rec.data + r->soff, r->slen);
		} else {
			put_be(out, SHARED_NONE, 1);
		}
	}
	if (out->failed)
		return -1;
	put_be(out, crc32(0, (const Bytef *)out->data + start, (uInt)(out->len - start)), 4);
	return out->failed ? -1 : 0;
}

/* Reading a record: each get past its end sets bad and reads zeros. */
typedef struct reader {
	const unsigned char *at;
	size_t left;
	bool bad;
} reader;

static const unsigned char *get_bytes(reader *rd, size_t n)
{
	static const unsigned char zeros[8];
	if (rd->bad || n > rd->left) {
		rd->bad = true;
		return zeros;
	}
	const unsigned char *at = rd->at;
	rd->at += n;
	rd->left -= n;
	return at;
}

static uint64_t get_be(reader *rd, int bytes)
{
	const unsigned char *u = get_bytes(rd, (size_t)bytes);
	uint64_t v = 0;
	for (int i = 0; i < bytes; i++)
		v = v << 8 | u[i];
	return v;
}

static double get_double(reader *rd)
{
	uint64_t u = get_be(rd, 8);
	double v;
	memcpy(&v, &u, sizeof v);
	return v;
}

/* The slots of a mask into used; false when a slot has no font named. */
static bool slots_of(unsigned mask, const bool *named, bool *used)
{
	if (mask >> EV_EMBED_SLOTS)
		return false;
	for (int s = 0; s < EV_EMBED_SLOTS; s++) {
		used[s] = mask >> s & 1;
		if (used[s] && !named[s])
			return false;
	}
	return true;
}

ev_pdf_pages *ev_pdf_pages_load(const ev_embed *fonts, ev_pdf_store *store,
                                const void *data, size_t len)
{
	const unsigned char *b = data;
	if (!fonts || !b || len < 4 + 2 + EV_EMBED_SLOTS + 4 + 4 ||
	    len > EV_BUF_DEFAULT_LIMIT || memcmp(b, "EVPG", 4) != 0)
		return NULL;
	reader tail = {b + len - 4, 4, false};
	if (get_be(&tail, 4) != crc32(0, b, (uInt)(len - 4)))
		return NULL;
	reader rd = {b + 4, len - 8, false};
	if (get_be(&rd, 1) != SPILL_VERSION || get_be(&rd, 1) != EV_EMBED_SLOTS)
		return NULL;
	bool named[EV_EMBED_SLOTS];
	for (int s = 0; s < EV_EMBED_SLOTS; s++) {
		size_t n = (size_t)get_be(&rd, 1);
		const unsigned char *name = get_bytes(&rd, n);
		named[s] = n > 0;
		if (rd.bad || (n && (!fonts->slot[s] || strlen(fonts->slot[s]->base_font) != n ||
		                     memcmp(fonts->slot[s]->base_font, name, n) != 0)))
			return NULL;
	}
	uint64_t n = get_be(&rd, 4);
	if (rd.bad || n > rd.left / SPILL_PAGE)
		return NULL;
	ev_pdf_pages *pg = calloc(1, sizeof *pg);
	if (!pg || !(pg->rp = calloc(n ? (size_t)n : 1, sizeof *pg->rp)))
		goto bad;
	pg->fonts = fonts;
	pg->n = (size_t)n;
	for (size_t i = 0; i < pg->n; i++) {
		struct recpage *r = &pg->rp[i];
		r->w = get_double(&rd);
		r->h = get_double(&rd);
		unsigned mask = (unsigned)get_be(&rd, 2);
		r->len = (size_t)get_be(&rd, 4);
		const unsigned char *content = get_bytes(&rd, r->len);
		/* libharu's page sizes; a deflated stream is never empty. */
		if (rd.bad || !(r->w >= 3 && r->w <= 14400) || !(r->h >= 3 && r->h <= 14400) ||
		    !slots_of(mask, named, r->used) || r->len == 0)
			goto bad;
		r->off = pg->rec.len;
		if (ev_buf_append(&pg->rec, content, r->len) < 0)
			goto bad;
		unsigned kind = (unsigned)get_be(&rd, 1);
		if (kind == SHARED_STORED) {
			uint64_t id = get_be(&rd, 4), slen = get_be(&rd, 4);
			r->shared = store && !rd.bad ? ev_pdf_store_get(store, (size_t)id) : NULL;
			if (!r->shared || r->shared->len != slen ||
			    !slots_of(slot_mask(r->shared->used), named, r->sused))
				goto bad;
		} else if (kind == SHARED_COPY) {
			unsigned smask = (unsigned)get_be(&rd, 2);
			r->slen = (size_t)get_be(&rd, 4);
			const unsigned char *shared = get_bytes(&rd, r->slen);
			if (rd.bad || !slots_of(smask, named, r->sused) || r->slen == 0)
				goto bad;
			r->soff = pg->rec.len;
			if (ev_buf_append(&pg->rec, shared, r->slen) < 0)
				goto bad;
		} else if (kind != SHARED_NONE || rd.bad) {
			goto bad;
		}
	}
	if (rd.left == 0)
		return pg;
bad:
	ev_pdf_pages_free(pg);
	return NULL;
}
