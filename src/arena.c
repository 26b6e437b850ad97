/* arena.c - region allocator (see arena.h). Blocks are chained; a request
 * larger than the block size gets a block of its own. A reset keeps the
 * standard blocks (up to SPARE_MAX of them) for the next round, so an
 * arena reset after each letter stops calling malloc once it has grown to
 * a letter's size. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE (64u * 1024u)
#define MAX_ALLOC ((size_t)1 << 30)
#define ALIGN 16u
/* Blocks a reset keeps for reuse: 4 MiB an arena at most; the rest are
 * freed. */
#define SPARE_MAX 64u

struct block {
	struct block *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

struct ev_arena {
	struct block *head;   /* newest block first; the last one is kept on reset */
	struct block *spare;  /* standard blocks kept by reset, unused */
	size_t nspare;
};

static struct block *block_new(size_t size)
{
	struct block *b = malloc(sizeof *b + size);
	if (!b)
		return NULL;
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

ev_arena *ev_arena_new(void)
{
	ev_arena *a = malloc(sizeof *a);
	if (!a)
		return NULL;
	a->spare = NULL;
	a->nspare = 0;
	a->head = block_new(BLOCK_SIZE);
	if (!a->head) {
		free(a);
		return NULL;
	}
	return a;
}

void ev_arena_free(ev_arena *a)
{
	if (!a)
		return;
	for (struct block *b = a->head, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	for (struct block *b = a->spare, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

void ev_arena_reset(ev_arena *a)
{
	struct block *b = a->head;
	while (b->next) {
		struct block *next = b->next;
		if (b->size == BLOCK_SIZE && a->nspare < SPARE_MAX) {
			b->next = a->spare;
			a->spare = b;
			a->nspare++;
		} else {
			free(b);
		}
		b = next;
	}
	b->used = 0;
	a->head = b;
}

void *ev_arena_alloc(ev_arena *a, size_t n)
{
	if (n > MAX_ALLOC)
		return NULL;
	n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (n == 0)
		n = ALIGN;
	struct block *b = a->head;
	if (b->size - b->used < n) {
		struct block *nb;
		if (n <= BLOCK_SIZE && a->spare) {
			nb = a->spare;
			a->spare = nb->next;
			a->nspare--;
			nb->used = 0;
		} else if (!(nb = block_new(n > BLOCK_SIZE ? n : BLOCK_SIZE))) {
			return NULL;
		}
		/* Keep the original first block at the tail so reset can reuse it. */
		nb->next = a->head;
		a->head = nb;
		b = nb;
	}
	void *p = b->data + b->used;
	b->used += n;
	return p;
}

char *ev_arena_strndup(ev_arena *a, const char *s, size_t n)
{
	char *p = ev_arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *ev_arena_strdup(ev_arena *a, const char *s)
{
	return ev_arena_strndup(a, s, strlen(s));
}

char *ev_arena_printf(ev_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = ev_arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
