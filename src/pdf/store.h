/* store.h - the page content every letter of a batch shares (the body,
 * the letterhead, the signatories), deflated once: a store of streams
 * keyed by the display-list items they draw, shared by the batch's
 * writers on all threads. A stream's bytes depend only on its items, never
 * on which thread made it first or whether the store had room, so the
 * files are the same whatever the thread count.
 *
 * Streams stay, unchanged, until the store is freed: a page of a letter
 * points to its shared stream, and the print file and the proof sheets
 * copy it from there. */
#ifndef EV_STORE_H
#define EV_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "embed.h"

typedef struct ev_pdf_stream {
	uint64_t hash;             /* of the key */
	size_t id;                 /* from 0, in the order they were stored */
	const unsigned char *key;  /* the items, as ev_pdf keys them */
	size_t keylen;
	const unsigned char *data; /* the content, deflated */
	size_t len;
	bool used[EV_EMBED_SLOTS]; /* the fonts it draws with */
	const uint32_t *glyphs;    /* the glyphs it draws: slot << 16 | CID */
	size_t nglyphs;
} ev_pdf_stream;

typedef struct ev_pdf_store ev_pdf_store;

/* A store of at most max_bytes of keys and streams. NULL when out of
 * memory. */
ev_pdf_store *ev_pdf_store_new(size_t max_bytes);
void ev_pdf_store_free(ev_pdf_store *s);   /* accepts NULL */

/* The stream stored under this key, or NULL. Thread-safe. */
const ev_pdf_stream *ev_pdf_store_find(ev_pdf_store *s, uint64_t hash,
                                       const void *key, size_t keylen);

/* Store a stream under a key, copying it, the key and the list of glyphs
 * it draws (slot << 16 | CID, nglyphs of them); when another thread stored
 * the same key first, that stream is returned instead. NULL when the
 * store is full or out of memory (the caller writes its own copy: the
 * bytes are the same). Thread-safe. */
const ev_pdf_stream *ev_pdf_store_add(ev_pdf_store *s, uint64_t hash,
                                      const void *key, size_t keylen,
                                      const void *data, size_t len,
                                      const bool *used, const uint32_t *glyphs,
                                      size_t nglyphs);

/* Stream number id, or NULL when there is none. Thread-safe. */
const ev_pdf_stream *ev_pdf_store_get(ev_pdf_store *s, size_t id);

#endif
