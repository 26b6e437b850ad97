/* seen.c - keys seen so far, as digests in an open-addressing table (see
 * seen.h). A key is two independent 64-bit hashes of its bytes: one places
 * it, 32 bits of the other confirm it; two different keys agree on both
 * with a chance of 2^-96. */
#include "seen.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

typedef struct slot {
	uint64_t where;     /* 0: empty (a key hashing to 0 is stored as 1) */
	uint32_t check;
	uint32_t line;      /* lines fit: a list is capped far below 2^32 */
} slot;

struct ev_seen {
	slot *slots;
	uint64_t *tags;     /* beside the slots, when the entries have tags */
	bool tagged;
	size_t cap, n;      /* cap a power of two, n <= 4/5 cap */
};

/* The second, independent hash: 64-bit multiply-xorshift over the bytes. */
static uint64_t mix(const char *s, size_t n, uint64_t h)
{
	for (size_t i = 0; i < n; i++) {
		h = (h ^ (unsigned char)s[i]) * 0x9E3779B97F4A7C15u;
		h ^= h >> 29;
	}
	return h;
}

static void digest(const char *a, const char *b, uint64_t *where, uint32_t *check)
{
	size_t na = strlen(a), nb = strlen(b);
	/* The separator makes ("ab", "c") and ("a", "bc") different keys. */
	uint64_t h = ev_hash(b, nb, ev_hash("\x1f", 1, ev_hash(a, na, EV_HASH_START)));
	uint64_t m = mix(b, nb, mix("\x1f", 1, mix(a, na, 0x243F6A8885A308D3u)));
	m ^= m >> 32;
	*where = h ? h : 1;
	*check = (uint32_t)m;
}

ev_seen *ev_seen_new(bool tagged)
{
	ev_seen *s = calloc(1, sizeof(ev_seen));
	if (s)
		s->tagged = tagged;
	return s;
}

void ev_seen_free(ev_seen *s)
{
	if (!s)
		return;
	free(s->slots);
	free(s->tags);
	free(s);
}

uint64_t ev_seen_tag(const char *s)
{
	if (!*s)
		return 0;
	uint64_t h = ev_hash(s, strlen(s), EV_HASH_START);
	return h ? h : 1;
}

static void place(slot *slots, uint64_t *tags, size_t cap, slot x, uint64_t tag)
{
	size_t i = (size_t)(x.where & (cap - 1));
	while (slots[i].where)
		i = (i + 1) & (cap - 1);
	slots[i] = x;
	if (tags)
		tags[i] = tag;
}

static int grow(ev_seen *s)
{
	size_t cap = s->cap ? s->cap * 2 : 1024;
	if (cap > ((size_t)1 << 32))
		return -1;
	slot *v = calloc(cap, sizeof *v);
	uint64_t *t = s->tagged ? calloc(cap, sizeof *t) : NULL;
	if (!v || (s->tagged && !t)) {
		free(v);
		free(t);
		return -1;
	}
	for (size_t i = 0; i < s->cap; i++)
		if (s->slots[i].where)
			place(v, t, cap, s->slots[i], s->tags ? s->tags[i] : 0);
	free(s->slots);
	free(s->tags);
	s->slots = v;
	s->tags = t;
	s->cap = cap;
	return 0;
}

int ev_seen_add(ev_seen *s, const char *a, const char *b, ev_seen_entry e)
{
	if ((s->n + 1) * 5 > s->cap * 4 && grow(s) < 0)
		return -1;
	if (e.line < 0 || (unsigned long)e.line > UINT32_MAX)
		return -1;
	slot x = {.line = (uint32_t)e.line};
	digest(a, b, &x.where, &x.check);
	place(s->slots, s->tags, s->cap, x, e.tag);
	s->n++;
	return 0;
}

size_t ev_seen_find(const ev_seen *s, const char *a, const char *b,
                    ev_seen_entry *out, size_t cap)
{
	if (!s->n)
		return 0;
	uint64_t where;
	uint32_t check;
	digest(a, b, &where, &check);
	size_t found = 0;
	for (size_t i = (size_t)(where & (s->cap - 1)); s->slots[i].where;
	     i = (i + 1) & (s->cap - 1)) {
		const slot *x = &s->slots[i];
		if (x->where != where || x->check != check)
			continue;
		/* Insertion sort by line: a key has few entries. */
		ev_seen_entry e = {.line = x->line, .tag = s->tags ? s->tags[i] : 0};
		size_t k = found < cap ? found : cap;
		while (k > 0 && out[k - 1].line > e.line) {
			if (k < cap)
				out[k] = out[k - 1];
			k--;
		}
		if (k < cap)
			out[k] = e;
		found++;
	}
	return found;
}
