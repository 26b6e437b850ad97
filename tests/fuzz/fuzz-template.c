/* fuzz-template.c - libFuzzer target over the letter parser and the merge:
 * any bytes as a letter file (front matter, Markdown, merge fields,
 * sections, filters), checked against a fixed set of field names and, when
 * it parses clean, merged for one recipient. Nothing may crash, hang or
 * loop, every diagnostic must carry a line, and the merged text must be
 * valid UTF-8. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
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
		if (ev_merge_body(&in, a, &doc) == 0)
			for (size_t b = 0; b < doc.nblocks; b++)
				for (size_t r = 0; r < doc.blocks[b].nruns; r++) {
					const ev_run *run = &doc.blocks[b].runs[r];
					if (ev_utf8_invalid_at(run->text, run->len) != (size_t)-1)
						abort();
				}
	}
	for (size_t i = 0; i < d.n; i++)
		if (d.items[i].line < 1)
			abort();
	ev_diags_free(&d);
	ev_arena_free(a);
	return 0;
}
