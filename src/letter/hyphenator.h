/* hyphenator.h - the hyphenation interface layout breaks words through.
 *
 * The edge answers from libhyphen's pattern files (hyphen_dict.h); layout tests
 * answer with ev_hyphenator_none(), so layout needs no pattern files.
 */
#ifndef EV_HYPHENATOR_H
#define EV_HYPHENATOR_H

#include <stddef.h>

/* Where a word may be hyphenated. `lang` is "en", "en-US", "en-GB", "ru" or
 * "be". `word` is one word of letters (the caller strips surrounding
 * punctuation), valid UTF-8. Writes up to `cap` byte offsets into `at`,
 * ascending, each the length of the part before the hyphen; returns how
 * many. Returns 0 for a language it has no patterns for. */
typedef struct ev_hyphenator {
	void *ctx;
	size_t (*points)(void *ctx, const char *lang, const char *word, size_t len,
	                 size_t *at, size_t cap);
} ev_hyphenator;

/* The break points of word through h, checked: h NULL (or without a points
 * function) gives 0, and the answer is cut at the first offset that is not
 * ascending, not strictly inside the word, or not at the start of a UTF-8
 * character, so a faulty hyphenator can cost breaks but never split a
 * character. Same arguments and result as ev_hyphenator.points. */
size_t ev_hyphenate(const ev_hyphenator *h, const char *lang, const char *word,
                    size_t len, size_t *at, size_t cap);

/* A fake that never hyphenates. For tests, and for "hyphenate: no". */
ev_hyphenator ev_hyphenator_none(void);

#endif
