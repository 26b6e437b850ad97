/* display.c - building the display list, and its text dump for golden tests. */
#include "display.h"

#include <stdlib.h>
#include <string.h>

void ev_display_init(ev_display *dl, ev_arena *arena)
{
	*dl = (ev_display){.arena = arena};
}

ev_page *ev_display_add_page(ev_display *dl, double width, double height)
{
	if (dl->npages == dl->cap) {
		size_t cap = dl->cap ? dl->cap * 2 : 4;
		ev_page *p = ev_arena_alloc(dl->arena, cap * sizeof *p);
		if (!p)
			return NULL;
		if (dl->npages)
			memcpy(p, dl->pages, dl->npages * sizeof *p);
		dl->pages = p;
		dl->cap = cap;
	}
	ev_page *pg = &dl->pages[dl->npages++];
	*pg = (ev_page){.width = width, .height = height};
	return pg;
}

static ev_item *add_item(ev_display *dl, ev_page *pg)
{
	if (pg->n == pg->cap) {
		size_t cap = pg->cap ? pg->cap * 2 : 64;
		ev_item *p = ev_arena_alloc(dl->arena, cap * sizeof *p);
		if (!p)
			return NULL;
		if (pg->n)
			memcpy(p, pg->items, pg->n * sizeof *p);
		pg->items = p;
		pg->cap = cap;
	}
	ev_item *it = &pg->items[pg->n++];
	memset(it, 0, sizeof *it);
	return it;
}

void ev_display_share(ev_page *pg, size_t from)
{
	for (size_t i = from; i < pg->n; i++)
		pg->items[i].shared = true;
}

int ev_display_text(ev_display *dl, ev_page *pg, double x, double y,
                    ev_face face, double size, const char *s, size_t len)
{
	return ev_display_text_spaced(dl, pg, x, y, face, size, s, len, 0);
}

int ev_display_text_spaced(ev_display *dl, ev_page *pg, double x, double y,
                           ev_face face, double size, const char *s,
                           size_t len, double word_space)
{
	char *copy = ev_arena_strndup(dl->arena, s, len);
	ev_item *it = copy ? add_item(dl, pg) : NULL;
	if (!it)
		return -1;
	it->kind = EV_ITEM_TEXT;
	it->x = x;
	it->y = y;
	it->face = face;
	it->size = size;
	it->text = copy;
	it->len = len;
	it->word_space = word_space;
	return 0;
}

int ev_display_line(ev_display *dl, ev_page *pg, double x1, double y1,
                    double x2, double y2, double stroke)
{
	ev_item *it = add_item(dl, pg);
	if (!it)
		return -1;
	it->kind = EV_ITEM_LINE;
	it->x = x1;
	it->y = y1;
	it->x2 = x2;
	it->y2 = y2;
	it->stroke = stroke;
	return 0;
}

int ev_display_rect(ev_display *dl, ev_page *pg, double x, double y,
                    double w, double h, double stroke)
{
	ev_item *it = add_item(dl, pg);
	if (!it)
		return -1;
	it->kind = EV_ITEM_RECT;
	it->x = x;
	it->y = y;
	it->x2 = w;
	it->y2 = h;
	it->stroke = stroke;
	return 0;
}

int ev_display_form(ev_display *dl, ev_page *pg, double x, double y,
                    double w, double h, const void *pages, size_t index)
{
	ev_item *it = add_item(dl, pg);
	if (!it)
		return -1;
	it->kind = EV_ITEM_FORM;
	it->x = x;
	it->y = y;
	it->x2 = w;
	it->y2 = h;
	it->form = pages;
	it->form_page = index;
	return 0;
}

/* Points to hundredths of a millimetre, rounded, printed with integer code
 * so no locale can turn the decimal point into a comma. */
static void put_mm(ev_buf *out, double pt)
{
	double mm = pt * 25.4 / 72.0;
	long v = (long)(mm * 100.0 + (mm >= 0 ? 0.5 : -0.5));
	if (v < 0) {
		ev_buf_putc(out, '-');
		v = -v;
	}
	ev_buf_printf(out, "%ld.%02ld", v / 100, v % 100);
}

static const char *face_name(ev_face f)
{
	static const char *names[] = {"regular", "bold", "italic", "bold-italic"};
	return (unsigned)f < EV_FACE_COUNT ? names[f] : "?";
}

ev_display *ev_display_clone(const ev_display *dl, size_t *bytes)
{
	/* One block: the display, its pages, their items, then the texts. */
	size_t nitems = 0, ntext = 0;
	for (size_t p = 0; p < dl->npages; p++) {
		nitems += dl->pages[p].n;
		for (size_t i = 0; i < dl->pages[p].n; i++)
			if (dl->pages[p].items[i].kind == EV_ITEM_TEXT)
				ntext += dl->pages[p].items[i].len + 1;
	}
	size_t size = sizeof(ev_display) + dl->npages * sizeof(ev_page) +
	              nitems * sizeof(ev_item) + ntext;
	char *mem = malloc(size);
	if (!mem)
		return NULL;
	ev_display *c = (ev_display *)mem;
	ev_page *pages = (ev_page *)(c + 1);
	ev_item *items = (ev_item *)(pages + dl->npages);
	char *text = (char *)(items + nitems);
	*c = (ev_display){.pages = pages, .npages = dl->npages, .cap = dl->npages};
	for (size_t p = 0; p < dl->npages; p++) {
		const ev_page *src = &dl->pages[p];
		pages[p] = (ev_page){.width = src->width, .height = src->height,
		                     .items = items, .n = src->n, .cap = src->n};
		for (size_t i = 0; i < src->n; i++) {
			items[i] = src->items[i];
			if (items[i].kind == EV_ITEM_TEXT) {
				memcpy(text, src->items[i].text, src->items[i].len);
				text[src->items[i].len] = '\0';
				items[i].text = text;
				text += src->items[i].len + 1;
			}
		}
		items += src->n;
	}
	if (bytes)
		*bytes = size;
	return c;
}

int ev_display_dump(const ev_display *dl, ev_buf *out)
{
	for (size_t p = 0; p < dl->npages; p++) {
		const ev_page *pg = &dl->pages[p];
		ev_buf_printf(out, "page %zu ", p + 1);
		put_mm(out, pg->width);
		ev_buf_putc(out, 'x');
		put_mm(out, pg->height);
		ev_buf_putc(out, '\n');
		for (size_t i = 0; i < pg->n; i++) {
			const ev_item *it = &pg->items[i];
			switch (it->kind) {
			case EV_ITEM_TEXT:
				ev_buf_puts(out, "  text ");
				put_mm(out, it->x);
				ev_buf_putc(out, ' ');
				put_mm(out, it->y);
				ev_buf_printf(out, " %s %ld.%01ld \"", face_name(it->face),
				              (long)it->size,
				              (long)(it->size * 10 + 0.5) % 10);
				ev_buf_append(out, it->text, it->len);
				ev_buf_putc(out, '"');
				if (it->word_space != 0) {
					ev_buf_puts(out, " ws=");
					put_mm(out, it->word_space);
				}
				ev_buf_putc(out, '\n');
				break;
			case EV_ITEM_LINE:
			case EV_ITEM_RECT:
			case EV_ITEM_FORM:
				ev_buf_puts(out, it->kind == EV_ITEM_LINE ? "  line "
				                 : it->kind == EV_ITEM_RECT ? "  rect " : "  form ");
				put_mm(out, it->x);
				ev_buf_putc(out, ' ');
				put_mm(out, it->y);
				ev_buf_putc(out, ' ');
				put_mm(out, it->x2);
				ev_buf_putc(out, ' ');
				put_mm(out, it->y2);
				/* The pages' address would make dumps differ run to run:
				 * the page number (from 1) only. */
				if (it->kind == EV_ITEM_FORM)
					ev_buf_printf(out, " page %zu", it->form_page + 1);
				ev_buf_putc(out, '\n');
				break;
			}
		}
	}
	return out->failed ? -1 : 0;
}
