/* shelf.h - letters laid out in a batch's first pass, kept for its second
 * so they need not be laid out again, and kept compactly: each page's own
 * items (the address, the greeting, the running head) copied, its shared
 * items (the letterhead and the body, the same in every letter of a
 * template's variant) kept once for all the letters that have them.
 *
 * A kept letter is unpacked into a display list with each page's own
 * items first, then its shared ones, each in their order: the same letter
 * for a writer that draws the two apart (the PDF writer's two content
 * streams), not for one that draws them interleaved.
 *
 * Any thread may keep and unpack; what is kept stays until the shelf is
 * freed. Pure apart from a mutex. */
#ifndef EV_SHELF_H
#define EV_SHELF_H

#include <stddef.h>

#include "display.h"

typedef struct ev_shelf ev_shelf;
typedef struct ev_shelved ev_shelved;

/* A shelf that holds at most `cap` bytes; NULL when out of memory. */
ev_shelf *ev_shelf_new(size_t cap);
void ev_shelf_free(ev_shelf *s);   /* accepts NULL */

/* dl kept; NULL when there is no room left (or memory), or dl draws forms:
 * the letter is laid out again then. */
const ev_shelved *ev_shelf_keep(ev_shelf *s, const ev_display *dl);

/* The kept letter into dl (empty, on an arena: its pages and their item
 * arrays are allocated there; the texts stay the shelf's). Returns 0, or
 * -1 when out of memory. */
int ev_shelved_unpack(const ev_shelved *k, ev_display *dl);

#endif
