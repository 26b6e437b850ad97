/* hyphen_patterns.h - a pattern file made whole for libhyphen.
 *
 * libhyphen's matcher applies, at each letter, only the pattern of the
 * longest pattern prefix it has reached; Knuth and Liang apply every
 * pattern that ends there. Files must be "mashed" beforehand (its
 * substrings.pl) to agree. Debian's English files are; hyph_ru_RU.dic and
 * hyph_be_BY.dic are not, and lose most breaks or gain wrong ones (су-д-д-зя).
 * This does the mashing in memory. Pure: bytes in, bytes out.
 */
#ifndef EV_HYPHEN_PATTERNS_H
#define EV_HYPHEN_PATTERNS_H

#include <stddef.h>

#include "buf.h"

/* Pattern files larger than this are refused. */
#define EV_HYPHEN_PATTERNS_MAX ((size_t)8 << 20)

/* The longest line libhyphen reads (its MAX_CHARS less newline and NUL). */
#define EV_HYPHEN_LINE_MAX 98

/* Rewrite the pattern file text[0..len) onto out as a file libhyphen
 * hyphenates with exactly as Knuth-Liang would: the charset line, the
 * setting lines (LEFTHYPHENMIN ...), an empty first level, NEXTLEVEL, and
 * for every prefix of every pattern the union of the patterns ending it
 * (the empty first level also turns off libhyphen's own first level, which
 * splits words at apostrophes and hyphens). Returns 0 when out holds the
 * new file; 1 when the file is to be used as it is (it has NEXTLEVEL or
 * non-standard "/" patterns), out untouched; -1 with a sentence in why
 * (cap bytes) when the file is over EV_HYPHEN_PATTERNS_MAX, has no charset
 * line, has a line over EV_HYPHEN_LINE_MAX bytes, or memory ran out. */
int ev_hyphen_patterns_union(const char *text, size_t len, ev_buf *out, char *why,
                             size_t cap);

/* Longest word (in the file's charset) a subset is made for; longer ones
 * are left out of it. */
#define EV_HYPHEN_WORD_BYTES 800

/* The same, for hyphenating these words only (words[i] is lens[i] bytes,
 * lower case, in the file's charset, as libhyphen is given them): only
 * the patterns inside some word are written, with their prefixes. For
 * each of the words libhyphen finds the same breaks in the result as in
 * the whole file's union (every pattern that can match inside a word is
 * kept, with its complete union), and it loads in a fraction of the
 * time. Returns as ev_hyphen_patterns_union. */
int ev_hyphen_patterns_subset(const char *text, size_t len, const char *const *words,
                              const size_t *lens, size_t nwords, ev_buf *out, char *why,
                              size_t cap);

#endif
