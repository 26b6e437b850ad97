/* arena.h - region allocator: many small allocations, one free.
 *
 * A run-long arena holds the template and tables; a per-letter arena holds a
 * merged document and its display list and is reset after each letter.
 */
#ifndef EV_ARENA_H
#define EV_ARENA_H

#include <stddef.h>

typedef struct ev_arena ev_arena;

ev_arena *ev_arena_new(void);          /* NULL when out of memory */
void ev_arena_free(ev_arena *a);       /* accepts NULL */
/* Forget everything allocated; the memory is kept for the next round (up
 * to 4 MiB of it: larger requests and blocks beyond that are freed). */
void ev_arena_reset(ev_arena *a);

/* Memory aligned for any type, valid until reset/free. NULL when out of
 * memory or n is absurd (> 1 GiB). */
void *ev_arena_alloc(ev_arena *a, size_t n);
char *ev_arena_strndup(ev_arena *a, const char *s, size_t n);
char *ev_arena_strdup(ev_arena *a, const char *s);
char *ev_arena_printf(ev_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
