/* fuzz-template.c - libFuzzer target over the letter parser and the merge:
 * any bytes as a letter file (front matter, Markdown, merge fields,
 * sections, filters), checked against a fixed set of field names and, when
 * it parses clean, merged for one recipient and laid out (fixed-width
 * metrics, a hyphenator that allows a break after every second letter).
 * Nothing may crash, hang or loop, every diagnostic must carry a line, the
 * merged text must be valid UTF-8, and no text may start left of the page
 * or below it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "display.h"
#include "layout.h"
#include "merge.h"
#include "template.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = {
	"surname", "given_name", "patronymic", "court", "street", "city",
	"postcode", "salutation", "female", "male", "gender", "title",
};

static const char *lookup(void *ctx, const char *name)
{
	(void)ctx;
	if (!strcmp(name, "surname"))
		return "Ковалёва {{surname}} **x** <b>";
	if (!strcmp(name, "female") || !strcmp(name, "male") || !strcmp(name, "title"))
		return "";
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcmp(name, names[i]))
			return "Мінск\r\nвул. Леніна, 1";
	return NULL;
}

static size_t every_second(void *ctx, const char *lang, const char *word,
                           size_t len, size_t *at, size_t cap)
{
	(void)ctx;
	(void)lang;
	size_t n = 0;
	for (size_t i = 2; i + 1 < len && n < cap; i += 2)
		at[n++] = i;
	return n;    /* ev_hyphenate drops what is not at a character start */
}

static void lay_out(const ev_template *t, ev_doc *doc, ev_arena *a)
{
	static const char *const address[] = {"Суд", "Ковалёва О. П.", "220030, Минск"};
	static const double em = 500;
	ev_metrics m = ev_metrics_fixed(&em);
	ev_hyphenator hy = {.points = every_second};
	ev_letter_in in = {.sender = t->sender, .nsender = t->nsender, .date = "1 May",
	                   .address = address, .naddress = 3, .body = doc,
	                   .preset = t->preset, .paper = t->paper, .lang = t->lang,
	                   .justify = t->justify, .hyphenate = t->hyphenate, .hy = &hy,
	                   .running_name = "Ковалёва"};
	ev_display dl;
	ev_display_init(&dl, a);
	const char *reason;
	if (ev_layout_letter(&in, &m, &dl, &reason, NULL) != 0)
		return;
	for (size_t p = 0; p < dl.npages; p++)
		for (size_t i = 0; i < dl.pages[p].n; i++) {
			const ev_item *it = &dl.pages[p].items[i];
			if (it->kind == EV_ITEM_TEXT &&
			    (it->x < 0 || it->y > dl.pages[p].height || it->y < 0 ||
			     ev_utf8_invalid_at(it->text, it->len) != (size_t)-1))
				abort();
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536)
		return 0;
	ev_arena *a = ev_arena_new();
	ev_diags d = {0};
	if (!a)
		return 0;
	ev_template *t = ev_template_parse((const char *)data, size, "fuzz.md", a, &d);
	if (t && ev_template_check_fields(t, names, sizeof names / sizeof *names,
	                                  NULL, 0, &d) == 0) {
		ev_merge_input in = {.t = t, .lookup = lookup};
		ev_doc doc;
		if (ev_merge_body(&in, a, &doc) == 0) {
			for (size_t b = 0; b < doc.nblocks; b++)
				for (size_t r = 0; r < doc.blocks[b].nruns; r++) {
					const ev_run *run = &doc.blocks[b].runs[r];
					if (ev_utf8_invalid_at(run->text, run->len) != (size_t)-1)
						abort();
				}
			lay_out(t, &doc, a);
		}
	}
	for (size_t i = 0; i < d.n; i++)
		if (d.items[i].line < 1)
			abort();
	ev_diags_free(&d);
	ev_arena_free(a);
	return 0;
}
