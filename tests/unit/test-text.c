/* test-text.c - the hand-written fast paths of the text helpers agree with
 * utf8proc, their reference, for every code point (text.c, normalize.c):
 * when utf8proc or Unicode moves, this says which fast path is now wrong.
 * Usage: test-text */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "text.h"

static int passed, failed;

static void expect(bool ok, const char *what, uint32_t cp)
{
	if (ok) {
		passed++;
		return;
	}
	if (failed++ < 20)
		printf("FAIL %s at U+%04X\n", what, (unsigned)cp);
}

/* ev_is_invisible as text.h defines it, by utf8proc alone. */
static bool invisible_ref(uint32_t cp)
{
	if (cp > 0x10FFFF || ev_is_space(cp))
		return false;
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return true;
	const utf8proc_property_t *p = utf8proc_get_property((utf8proc_int32_t)cp);
	return p->category == UTF8PROC_CATEGORY_CF || p->ignorable;
}

static void invisible(void)
{
	int before = failed;
	for (uint32_t cp = 0; cp <= 0x110000; cp++)
		if (ev_is_invisible(cp) != invisible_ref(cp))
			expect(false, "ev_is_invisible", cp);
	expect(failed == before, "ev_is_invisible over all code points", 0);
}

int main(void)
{
	invisible();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
