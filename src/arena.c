/* arena.c - region allocator (see arena.h). Blocks are chained; a request
 * larger than the block size gets a block of its own. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE (64u * 1024u)
#define MAX_ALLOC ((size_t)1 << 30)
#define ALIGN 16u

struct block {
	struct block *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

struct ev_arena {
	struct block *head;   /* newest block first; the last one is kept on reset */
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
	free(a);
}

void ev_arena_reset(ev_arena *a)
{
	struct block *b = a->head;
	while (b->next) {
		struct block *next = b->next;
		free(b);
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
		struct block *nb = block_new(n > BLOCK_SIZE ? n : BLOCK_SIZE);
		if (!nb)
			return NULL;
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
