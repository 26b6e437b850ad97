/* shelf.c - letters kept between a batch's passes (see shelf.h): an arena
 * for everything kept, and an open-addressing table of the shared blocks
 * by the hash of their items, under one mutex. */
#include "shelf.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define BLOCKS 1024   /* shared blocks told apart: a template has a few */

/* A page's shared items, kept once. */
typedef struct block {
	uint64_t hash;
	const ev_item *items;
	size_t n;
} block;

typedef struct shelved_page {
	double width, height;
	const ev_item *own;          /* the page's own items, in order */
	size_t nown;
	const block *shared;         /* NULL: none */
} shelved_page;

struct ev_shelved {
	size_t npages;
	shelved_page pages[];
};

struct ev_shelf {
	pthread_mutex_t mu;
	ev_arena *mem;
	size_t cap, used;
	block *table[2 * BLOCKS];
	size_t nblocks;
};

ev_shelf *ev_shelf_new(size_t cap)
{
	ev_shelf *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	if (!(s->mem = ev_arena_new()) || pthread_mutex_init(&s->mu, NULL) != 0) {
		ev_arena_free(s->mem);
		free(s);
		return NULL;
	}
	s->cap = cap;
	return s;
}

void ev_shelf_free(ev_shelf *s)
{
	if (!s)
		return;
	pthread_mutex_destroy(&s->mu);
	ev_arena_free(s->mem);
	free(s);
}

/* What an item draws, without its text and pointers, for hashing. */
typedef struct drawn {
	double v[7];
	uint64_t kind, face, len;
} drawn;

static drawn drawn_of(const ev_item *it)
{
	return (drawn){{it->x, it->y, it->x2, it->y2, it->stroke, it->size, it->word_space},
	               (uint64_t)it->kind, (uint64_t)it->face, (uint64_t)it->len};
}

static bool same_item(const ev_item *a, const ev_item *b)
{
	drawn x = drawn_of(a), y = drawn_of(b);
	return !memcmp(&x, &y, sizeof x) &&
	       (a->kind != EV_ITEM_TEXT || !memcmp(a->text, b->text, a->len));
}

/* The hash of pg's shared items, how many there are and the bytes of
 * their texts; false when the page draws a form (not kept). */
static bool survey(const ev_page *pg, uint64_t *hash, size_t *nshared, size_t *text)
{
	uint64_t h = 0;
	*nshared = *text = 0;
	for (size_t i = 0; i < pg->n; i++) {
		const ev_item *it = &pg->items[i];
		if (it->kind == EV_ITEM_FORM)
			return false;
		if (it->kind == EV_ITEM_TEXT)
			*text += it->len + 1;
		if (!it->shared)
			continue;
		drawn d = drawn_of(it);
		h = XXH3_64bits_withSeed(&d, sizeof d, h);
		if (it->kind == EV_ITEM_TEXT)
			h = XXH3_64bits_withSeed(it->text, it->len, h);
		++*nshared;
	}
	*hash = h;
	return true;
}

static bool same_block(const block *b, const ev_page *pg, size_t nshared)
{
	if (b->n != nshared)
		return false;
	for (size_t i = 0, k = 0; i < pg->n; i++)
		if (pg->items[i].shared && !same_item(&b->items[k++], &pg->items[i]))
			return false;
	return true;
}

/* n bytes of the shelf's arena while there is room; mutex held. */
static void *take(ev_shelf *s, size_t n)
{
	if (n > s->cap - s->used)
		return NULL;
	void *p = ev_arena_alloc(s->mem, n);
	if (p)
		s->used += n;
	return p;
}

/* Copies of the items of pg that are (or are not) shared, their texts
 * after them; mutex held. */
static ev_item *copy_items(ev_shelf *s, const ev_page *pg, bool shared, size_t n,
                           size_t text)
{
	ev_item *v = take(s, n * sizeof *v + text);
	if (!v)
		return NULL;
	char *t = (char *)(v + n);
	for (size_t i = 0, k = 0; i < pg->n; i++) {
		const ev_item *it = &pg->items[i];
		if (it->shared != shared)
			continue;
		v[k] = *it;
		if (it->kind == EV_ITEM_TEXT) {
			memcpy(t, it->text, it->len);
			t[it->len] = '\0';
			v[k].text = t;
			t += it->len + 1;
		}
		k++;
	}
	return v;
}

/* The block of pg's shared items, found or kept now; mutex held. */
static const block *block_of(ev_shelf *s, const ev_page *pg, uint64_t hash, size_t nshared)
{
	size_t at = (size_t)hash & (2 * BLOCKS - 1);
	for (; s->table[at]; at = (at + 1) & (2 * BLOCKS - 1))
		if (s->table[at]->hash == hash && same_block(s->table[at], pg, nshared))
			return s->table[at];
	if (s->nblocks == BLOCKS)
		return NULL;
	size_t text = 0;
	for (size_t i = 0; i < pg->n; i++)
		if (pg->items[i].shared && pg->items[i].kind == EV_ITEM_TEXT)
			text += pg->items[i].len + 1;
	block *b = take(s, sizeof *b);
	const ev_item *items = b ? copy_items(s, pg, true, nshared, text) : NULL;
	if (!items)
		return NULL;
	*b = (block){.hash = hash, .items = items, .n = nshared};
	s->table[at] = b;
	s->nblocks++;
	return b;
}

const ev_shelved *ev_shelf_keep(ev_shelf *s, const ev_display *dl)
{
	enum { MAX_PAGES = 64 };
	uint64_t hash[MAX_PAGES];
	size_t nshared[MAX_PAGES], text[MAX_PAGES];
	if (!s || dl->npages > MAX_PAGES)
		return NULL;
	/* the hashing outside the lock */
	for (size_t p = 0; p < dl->npages; p++)
		if (!survey(&dl->pages[p], &hash[p], &nshared[p], &text[p]))
			return NULL;
	pthread_mutex_lock(&s->mu);
	ev_shelved *k = take(s, sizeof *k + dl->npages * sizeof k->pages[0]);
	for (size_t p = 0; k && p < dl->npages; p++) {
		const ev_page *pg = &dl->pages[p];
		shelved_page *kp = &k->pages[p];
		*kp = (shelved_page){.width = pg->width, .height = pg->height,
		                     .nown = pg->n - nshared[p]};
		if (nshared[p] && !(kp->shared = block_of(s, pg, hash[p], nshared[p])))
			k = NULL;
		/* the own items' texts: all the page's, less the block's */
		size_t own_text = text[p];
		for (size_t i = 0; k && kp->shared && i < kp->shared->n; i++)
			if (kp->shared->items[i].kind == EV_ITEM_TEXT)
				own_text -= kp->shared->items[i].len + 1;
		if (k && kp->nown && !(kp->own = copy_items(s, pg, false, kp->nown, own_text)))
			k = NULL;
	}
	if (k)
		k->npages = dl->npages;
	pthread_mutex_unlock(&s->mu);
	return k;   /* (what a failed keep took stays unused in the arena) */
}

int ev_shelved_unpack(const ev_shelved *k, ev_display *dl)
{
	for (size_t p = 0; p < k->npages; p++) {
		const shelved_page *kp = &k->pages[p];
		ev_page *pg = ev_display_add_page(dl, kp->width, kp->height);
		size_t n = kp->nown + (kp->shared ? kp->shared->n : 0);
		ev_item *items = pg && n ? ev_arena_alloc(dl->arena, n * sizeof *items) : NULL;
		if (!pg || (n && !items))
			return -1;
		if (kp->nown)
			memcpy(items, kp->own, kp->nown * sizeof *items);
		if (kp->shared)
			memcpy(items + kp->nown, kp->shared->items, kp->shared->n * sizeof *items);
		*pg = (ev_page){.width = kp->width, .height = kp->height, .items = items,
		                .n = n, .cap = n};
	}
	return 0;
}
