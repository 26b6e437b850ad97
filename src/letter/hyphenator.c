/* hyphenator.c - the checked call through the hyphenation interface, and the
 * fake that never hyphenates (hyphenator.h). */
#include "hyphenator.h"

size_t ev_hyphenate(const ev_hyphenator *h, const char *lang, const char *word,
                    size_t len, size_t *at, size_t cap)
{
	if (!h || !h->points || !word || !at || !cap)
		return 0;
	size_t n = h->points(h->ctx, lang, word, len, at, cap);
	if (n > cap)
		n = cap;
	/* Keep the offsets that could be trusted: ascending, inside the word,
	 * each before the lead byte of a character (never 10xxxxxx). */
	size_t ok = 0;
	for (size_t prev = 0; ok < n; ok++) {
		size_t x = at[ok];
		if (x <= prev || x >= len || ((unsigned char)word[x] & 0xC0) == 0x80)
			break;
		prev = x;
	}
	return ok;
}

static size_t no_points(void *ctx, const char *lang, const char *word, size_t len,
                        size_t *at, size_t cap)
{
	(void)ctx;
	(void)lang;
	(void)word;
	(void)len;
	(void)at;
	(void)cap;
	return 0;
}

ev_hyphenator ev_hyphenator_none(void)
{
	return (ev_hyphenator){.ctx = 0, .points = no_points};
}
