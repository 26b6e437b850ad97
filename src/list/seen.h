/* seen.h - what a list has shown so far, by key: the line of the first row
 * with an id, and the rows (people at an address) a later row may repeat.
 * Keys are kept as 96-bit digests, not copies, so a list read in chunks
 * costs 20 to 30 bytes of memory per row remembered (40 with tags). Pure. */
#ifndef EV_SEEN_H
#define EV_SEEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ev_seen ev_seen;

/* One key's entries are told apart by `tag` (a digest of something more:
 * a patronymic); tag 0 is "none". */
typedef struct ev_seen_entry {
	long line;
	uint64_t tag;
} ev_seen_entry;

/* A new set; `tagged` when its entries carry tags. NULL when out of memory. */
ev_seen *ev_seen_new(bool tagged);
void ev_seen_free(ev_seen *s);       /* accepts NULL */

/* The digest of a text for a tag (never 0 for a non-empty text; 0 for ""). */
uint64_t ev_seen_tag(const char *s);

/* Remember key (the bytes of a and then of b, either may be "") with an
 * entry. Returns 0, -1 when out of memory or past 1<<31 entries. */
int ev_seen_add(ev_seen *s, const char *a, const char *b, ev_seen_entry e);

/* The entries of key (a, b), earliest line first, into out (at most cap);
 * returns how many there are (may be more than cap). */
size_t ev_seen_find(const ev_seen *s, const char *a, const char *b,
                    ev_seen_entry *out, size_t cap);

#endif
