/* test-shelf.c - letters kept between a batch's passes (src/letter/shelf.c):
 * a kept letter unpacks to its pages with each page's own items, then its
 * shared ones, each in their order, texts and all; letters with the same
 * shared items keep them once (the shelf grows by the own items only);
 * letters whose shared items differ in a text or a place are told apart;
 * a shelf without room, or a page that draws a form, keeps nothing. Four
 * threads keeping at once get what one gets. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "display.h"
#include "shelf.h"

static atomic_int checks, failed;   /* counted by several threads */

static void check_at(bool ok, int line, const char *what)
{
	atomic_fetch_add(&checks, 1);
	if (!ok) {
		atomic_fetch_add(&failed, 1);
		printf("FAIL line %d: %s\n", line, what);
	}
}
#define CHECK(x) check_at((x), __LINE__, #x)

/* A letter: page 1 the letterhead (shared), the address (own), the body
 * (shared) with a rule; page 2 a running head (own) and the body's end
 * (shared). `body` varies the shared text, `dy` its place. */
static void letter(ev_display *dl, const char *name, const char *body, double dy)
{
	ev_page *p1 = ev_display_add_page(dl, 595, 842);
	ev_display_text(dl, p1, 50, 40, EV_FACE_BOLD, 14, "Letterhead", 10);
	ev_display_share(p1, 0);
	ev_display_text(dl, p1, 60, 150, EV_FACE_REGULAR, 11, name, strlen(name));
	ev_display_text(dl, p1, 60, 163, EV_FACE_REGULAR, 11, "Minsk", 5);
	size_t from = p1->n;
	ev_display_text_spaced(dl, p1, 60, 250 + dy, EV_FACE_REGULAR, 11, body, strlen(body), 0.7);
	ev_display_line(dl, p1, 60, 260 + dy, 500, 260 + dy, 0.5);
	ev_display_share(p1, from);
	ev_page *p2 = ev_display_add_page(dl, 595, 842);
	ev_display_text(dl, p2, 60, 40, EV_FACE_ITALIC, 9, name, strlen(name));
	from = p2->n;
	ev_display_text(dl, p2, 60, 100, EV_FACE_REGULAR, 11, "Yours faithfully", 16);
	ev_display_share(p2, from);
}

/* dl's items reordered as an unpacked letter has them: own, then shared. */
static void own_first(ev_display *dl)
{
	for (size_t p = 0; p < dl->npages; p++) {
		ev_page *pg = &dl->pages[p];
		ev_item *v = ev_arena_alloc(dl->arena, pg->n * sizeof *v);
		size_t k = 0;
		for (int shared = 0; shared < 2; shared++)
			for (size_t i = 0; i < pg->n; i++)
				if (pg->items[i].shared == shared)
					v[k++] = pg->items[i];
		pg->items = v;
	}
}

static void dump(const ev_display *dl, ev_buf *out)
{
	ev_buf_reset(out);
	ev_display_dump(dl, out);
	for (size_t p = 0; p < dl->npages; p++)
		for (size_t i = 0; i < dl->pages[p].n; i++)
			ev_buf_putc(out, dl->pages[p].items[i].shared ? 'S' : 'o');
	ev_buf_putc(out, '\0');
}

/* Keep a letter made by letter(name, body, dy); unpack it and compare. */
static const ev_shelved *keep_and_check(ev_shelf *s, const char *name, const char *body,
                                        double dy)
{
	ev_arena *a = ev_arena_new(), *b = ev_arena_new();
	ev_display dl, back;
	ev_display_init(&dl, a);
	ev_display_init(&back, b);
	letter(&dl, name, body, dy);
	const ev_shelved *k = ev_shelf_keep(s, &dl);
	CHECK(k != NULL);
	ev_buf want = {0}, got = {0};
	if (k) {
		CHECK(ev_shelved_unpack(k, &back) == 0);
		/* what was kept does not depend on the arena it came from */
		ev_arena_reset(a);
		ev_display_init(&dl, a);
		letter(&dl, name, body, dy);
		own_first(&dl);
		dump(&dl, &want);
		dump(&back, &got);
		CHECK(want.data && got.data && !strcmp(want.data, got.data));
		if (want.data && got.data && strcmp(want.data, got.data))
			printf("want:\n%s\ngot:\n%s\n", want.data, got.data);
	}
	ev_buf_free(&want);
	ev_buf_free(&got);
	ev_arena_free(a);
	ev_arena_free(b);
	return k;
}

typedef struct run {
	ev_shelf *s;
	int from;
	const ev_shelved *k[50];
} run;

static void *keeper(void *arg)
{
	run *r = arg;
	for (int i = 0; i < 50; i++) {
		char name[32];
		snprintf(name, sizeof name, "Recipient %d", r->from + i);
		r->k[i] = keep_and_check(r->s, name, "The body of the letter.", 0);
	}
	return NULL;
}

int main(void)
{
	ev_shelf *s = ev_shelf_new((size_t)1 << 20);
	CHECK(s != NULL);
	/* the same body: kept once; another text or place: another block */
	const ev_shelved *k1 = keep_and_check(s, "Vera Hancharenka", "The body.", 0);
	const ev_shelved *k2 = keep_and_check(s, "Ivan Kavaliou", "The body.", 0);
	const ev_shelved *k3 = keep_and_check(s, "Olga Petrova", "The bodY.", 0);
	const ev_shelved *k4 = keep_and_check(s, "Olga Petrova", "The body.", 12.5);
	CHECK(k1 && k2 && k3 && k4 && k1 != k2);
	/* a form is not kept */
	ev_arena *a = ev_arena_new();
	ev_display dl;
	ev_display_init(&dl, a);
	ev_page *pg = ev_display_add_page(&dl, 595, 842);
	ev_display_form(&dl, pg, 0, 0, 100, 100, &dl, 0);
	CHECK(ev_shelf_keep(s, &dl) == NULL);
	ev_arena_free(a);
	/* many threads at once */
	pthread_t th[4];
	run runs[4];
	for (int t = 0; t < 4; t++) {
		runs[t] = (run){.s = s, .from = 100 * t};
		CHECK(pthread_create(&th[t], NULL, keeper, &runs[t]) == 0);
	}
	for (int t = 0; t < 4; t++)
		pthread_join(th[t], NULL);
	ev_shelf_free(s);

	/* A letter's shared items take room once: a shelf of 8 KB holds half
	 * as many letters again of one body as of a body each (their own and
	 * shared items are about the same size here), and then none. */
	size_t held[2];
	for (int differ = 0; differ < 2; differ++) {
		s = ev_shelf_new(8192);
		held[differ] = 0;
		for (int i = 0; i < 100; i++) {
			a = ev_arena_new();
			ev_display_init(&dl, a);
			char body[32];
			snprintf(body, sizeof body, differ ? "Body number %d." : "Body.", i);
			letter(&dl, "B", body, 0);
			held[differ] += ev_shelf_keep(s, &dl) != NULL;
			ev_arena_free(a);
		}
		ev_shelf_free(s);
	}
	CHECK(held[1] > 0 && held[1] < 100);
	CHECK(2 * held[0] > 3 * held[1] && held[0] < 100);
	ev_shelf_free(NULL);
	printf("shelf: %d checks, %d failed\n", atomic_load(&checks), atomic_load(&failed));
	return atomic_load(&failed) ? 1 : 0;
}
