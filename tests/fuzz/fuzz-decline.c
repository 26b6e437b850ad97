/* fuzz-decline.c - libFuzzer target over the declension module: any bytes
 * as one word (each part kind), a full name and a position, in each case.
 * The output must be valid UTF-8, keep the input's case pattern (no small
 * letter where the input had none, no capital where it had none), and
 * nothing may crash or hang. The first byte picks gender and language. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "decline.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Bit 1: a small letter; bit 2: a capital. */
static int pattern(const char *s)
{
	size_t n = strlen(s);
	int p = 0;
	for (size_t i = 0; i < n;) {
		utf8proc_int32_t c = (utf8proc_int32_t)ev_utf8_next(s, n, &i);
		if (utf8proc_toupper(c) != c)
			p |= 1;
		if (utf8proc_tolower(c) != c)
			p |= 2;
	}
	return p;
}

static void check(const char *in, char *out)
{
	if (!out)
		return;
	if (ev_utf8_invalid_at(out, strlen(out)) != (size_t)-1)
		abort();
	if (pattern(out) & ~pattern(in) & 3)
		abort();
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 4096)
		return 0;
	ev_gender g = (ev_gender)(data[0] % 3);
	ev_lang lang = (ev_lang)((data[0] / 3) % 4);
	char *text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';           /* up to the first NUL */
	for (int c = EV_CASE_NOM; c <= EV_CASE_DAT; c++) {
		bool unsure = false;
		for (int p = EV_PART_SURNAME; p <= EV_PART_PATRONYMIC; p++)
			check(text, ev_decline(text, (ev_name_part)p, g, lang, (ev_case)c, &unsure));
		check(text, ev_decline_full(text, g, lang, (ev_case)c, &unsure));
		check(text, ev_decline_title(text, lang, (ev_case)c, NULL));
	}
	free(text);
	return 0;
}
