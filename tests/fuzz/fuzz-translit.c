/* fuzz-translit.c - libFuzzer target over the transliteration engine: any
 * bytes through every scheme, both directions where there is a reverse,
 * and the ASCII fold. The output must always be valid UTF-8 (printable
 * ASCII for the fold), Latin output must hold no Cyrillic of any block
 * (issue 12), and nothing may crash, hang or loop. The first byte picks the
 * default language. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scheme.h"
#include "text.h"
#include "translit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(char *out, int to_latin)
{
	size_t n = out ? strlen(out) : 0;
	if (out && ev_utf8_invalid_at(out, n) != (size_t)-1)
		abort();
	for (size_t i = 0; to_latin && i < n;) {
		uint32_t c;
		size_t k = ev_utf8_decode(out + i, n - i, &c);
		if ((c >= 0x0400 && c <= 0x052F) || (c >= 0x1C80 && c <= 0x1C8F) ||
		    (c >= 0x2DE0 && c <= 0x2DFF) || (c >= 0xA640 && c <= 0xA69F))
			abort();
		i += k ? k : 1;
	}
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 4096)
		return 0;
	ev_lang lang = (ev_lang)(data[0] % 4);
	char *text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';           /* up to the first NUL */
	for (size_t i = 0; i < ev_scheme_count(); i++) {
		const ev_scheme *s = ev_scheme_at(i);
		check(ev_translit(s, text, lang, false), 1);
		if (s->rev)
			check(ev_translit(s, text, lang, true), 0);
	}
	char *latin = ev_latin(text, lang);
	char *ascii = latin ? ev_ascii(latin) : NULL;
	for (const char *p = ascii; p && *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7F)
			abort();
	free(ascii);
	free(latin);
	char *slug = ev_slug(text, 40);
	if (slug && (strchr(slug, '/') || strchr(slug, '.') || strlen(slug) > 40))
		abort();
	free(slug);
	free(text);
	return 0;
}
