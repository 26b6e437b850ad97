/* store.c - the batch's shared page content (see store.h): an array of
 * streams and an open-addressing hash table of their numbers, under one
 * mutex. Lookups are a few per letter; the table is small. */
#include "store.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STREAMS 4096   /* a template with conditionals has a handful */

struct ev_pdf_store {
	pthread_mutex_t mu;
	size_t max_bytes, bytes;
	ev_pdf_stream **v;         /* by id */
	size_t n;
	size_t *table;             /* id + 1, 0 when empty; 2 * MAX_STREAMS */
};

#define TABLE (2 * MAX_STREAMS)

ev_pdf_store *ev_pdf_store_new(size_t max_bytes)
{
	ev_pdf_store *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->v = calloc(MAX_STREAMS, sizeof *s->v);
	s->table = calloc(TABLE, sizeof *s->table);
	if (!s->v || !s->table || pthread_mutex_init(&s->mu, NULL) != 0) {
		free(s->v);
		free(s->table);
		free(s);
		return NULL;
	}
	s->max_bytes = max_bytes;
	return s;
}

void ev_pdf_store_free(ev_pdf_store *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);   /* key and data live in the same block */
	free(s->v);
	free(s->table);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

/* The slot of the key in the table, or of the empty slot where it would
 * go. Called with the mutex held. */
static size_t slot_of(const ev_pdf_store *s, uint64_t hash, const void *key,
                      size_t keylen)
{
	size_t at = (size_t)hash & (TABLE - 1);
	for (; s->table[at]; at = (at + 1) & (TABLE - 1)) {
		const ev_pdf_stream *e = s->v[s->table[at] - 1];
		if (e->hash == hash && e->keylen == keylen && !memcmp(e->key, key, keylen))
			break;
	}
	return at;
}

const ev_pdf_stream *ev_pdf_store_find(ev_pdf_store *s, uint64_t hash,
                                       const void *key, size_t keylen)
{
	pthread_mutex_lock(&s->mu);
	size_t at = slot_of(s, hash, key, keylen);
	const ev_pdf_stream *e = s->table[at] ? s->v[s->table[at] - 1] : NULL;
	pthread_mutex_unlock(&s->mu);
	return e;
}

const ev_pdf_stream *ev_pdf_store_add(ev_pdf_store *s, uint64_t hash,
                                      const void *key, size_t keylen,
                                      const void *data, size_t len,
                                      const bool *used, const uint32_t *glyphs,
                                      size_t nglyphs)
{
	const ev_pdf_stream *found = NULL;
	pthread_mutex_lock(&s->mu);
	size_t at = slot_of(s, hash, key, keylen);
	if (s->table[at]) {
		found = s->v[s->table[at] - 1];
	} else if (s->n < MAX_STREAMS && nglyphs < s->max_bytes / 4 &&
	           keylen + len + 4 * nglyphs <= s->max_bytes - s->bytes) {
		size_t size = keylen + len + 4 * nglyphs;
		ev_pdf_stream *e = malloc(sizeof *e + size);
		if (e) {
			/* The glyphs first: the block is aligned for them. */
			uint32_t *g = (uint32_t *)(e + 1);
			unsigned char *k = (unsigned char *)(g + nglyphs);
			if (nglyphs)
				memcpy(g, glyphs, 4 * nglyphs);
			memcpy(k, key, keylen);
			memcpy(k + keylen, data, len);
			*e = (ev_pdf_stream){.hash = hash, .id = s->n, .key = k,
			                     .keylen = keylen, .data = k + keylen, .len = len,
			                     .glyphs = g, .nglyphs = nglyphs};
			memcpy(e->used, used, sizeof e->used);
			s->v[s->n++] = e;
			s->table[at] = s->n;
			s->bytes += size;
			found = e;
		}
	}
	pthread_mutex_unlock(&s->mu);
	return found;
}

const ev_pdf_stream *ev_pdf_store_get(ev_pdf_store *s, size_t id)
{
	pthread_mutex_lock(&s->mu);
	const ev_pdf_stream *e = id < s->n ? s->v[id] : NULL;
	pthread_mutex_unlock(&s->mu);
	return e;
}
