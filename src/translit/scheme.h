/* scheme.h - transliteration schemes and the one rule interpreter that runs
 * them. Each scheme is a data file (src/data/translit/ID.tsv: language,
 * Cyrillic letters, Latin text, context) compiled in by the build; the
 * interpreter takes the longest match whose context holds, per word, with
 * the word's language, and keeps Title case and ALL CAPS. Pure. */
#ifndef EV_SCHEME_H
#define EV_SCHEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "translit.h"

typedef enum { EV_REVERSE_NO, EV_REVERSE_YES, EV_REVERSE_BEST_EFFORT } ev_reverse;

/* Language bits of a rule (and of a scheme's tables). */
enum { EV_BIT_RU = 1, EV_BIT_BE = 2, EV_BIT_UK = 4, EV_BIT_ALL = 7 };

typedef struct ev_rule {
	unsigned char lang;      /* EV_BIT_*: the languages it serves */
	uint32_t first;          /* first code point of from (lower case) */
	const char *from, *to;   /* lower case */
	const char *ctx;         /* "*" or conditions joined by ',' (see
	                            src/data/translit/README.md); reverse rules:
	                            "*" or "jform" */
} ev_rule;

typedef struct ev_scheme {
	const char *id, *name;
	unsigned langs;          /* the languages it has tables for (EV_BIT_*) */
	const char *uk;          /* the scheme its Ukrainian words go by, or
	                            NULL: its own rows (header "uk:") */
	ev_reverse reverse;
	const ev_rule *fwd;      /* sorted by first, longest from first */
	size_t nfwd;
	const ev_rule *rev;      /* Latin -> Cyrillic, same order; or NULL */
	size_t nrev;
} ev_scheme;

/* The scheme with this id, or NULL. "ascii" is not a table: see ev_ascii. */
const ev_scheme *ev_scheme_find(const char *id);
size_t ev_scheme_count(void);
const ev_scheme *ev_scheme_at(size_t i);

/* Append "; did you mean 'iso9'" for the scheme ids (and "ascii") close to
 * id, to hint. */
struct ev_buf;
void ev_scheme_did_you_mean(struct ev_buf *hint, const char *id);

/* Transliterate valid or invalid UTF-8 (invalid bytes become U+FFFD) with s.
 * The text is normalised first (ev_normalize: NFC, look-alikes, apostrophes).
 * lang is the language of words without a deciding letter (UNKNOWN:
 * Belarusian); a word's own letters decide otherwise. reverse: Latin to
 * Cyrillic (for schemes with reverse rules; lang UNKNOWN guesses from
 * letters only one language has). A scheme for one language takes words of
 * the other from its sibling (bgn-pcgn-ru <-> bgn-pcgn-be, icao-ru <->
 * by-passport) or, without one, from its own rows for that language's
 * letters (by-national and lacinka read и щ ъ as і шч apostrophe).
 * Ukrainian words go by the scheme the "uk:" header names (uk-national for
 * the passport and national styles) or by the scheme's own rows; a
 * Ukrainian-only scheme (uk-national) reads every word as Ukrainian.
 * Letters still without a rule fall back to iso9, which has one for every
 * letter of U+0400-U+052F; a Cyrillic code point no table knows is left out,
 * so Cyrillic never passes into Latin text. Returns malloc'd UTF-8, or NULL
 * when out of memory or (reverse) the scheme is not reversible. */
char *ev_translit(const ev_scheme *s, const char *text, ev_lang lang,
                  bool reverse);

/* Forward with a scheme per language: Belarusian words by `be`, Russian
 * words by `ru` (a policy such as by-passport / icao-ru for names),
 * Ukrainian words by the "uk:" scheme of `be` (else of `ru`, else `be`). */
char *ev_translit_by_lang(const ev_scheme *be, const ev_scheme *ru,
                          const char *text, ev_lang lang);

/* The same, appended to out (which the caller reuses: no allocation once
 * it has grown); 0, or -1 when out of memory (out->failed). */
int ev_translit_by_lang_into(struct ev_buf *out, const ev_scheme *be, const ev_scheme *ru,
                             const char *text, ev_lang lang);

/* The Latin forms given recently, for a list whose given names,
 * patronymics and surnames come again and again: the last result for up
 * to 512 texts of up to 64 bytes (a newer text takes the slot of an older
 * one). Not thread-safe: one a thread. NULL when out of memory. */
typedef struct ev_translit_memo ev_translit_memo;
ev_translit_memo *ev_translit_memo_new(void);
void ev_translit_memo_free(ev_translit_memo *m);   /* accepts NULL */
/* ev_translit_by_lang_into, through m (which may be NULL). */
int ev_translit_memo_into(ev_translit_memo *m, struct ev_buf *out, const ev_scheme *be,
                          const ev_scheme *ru, const char *text, ev_lang lang);

/* Fold Latin text to printable ASCII: marks dropped after decomposing
 * (ž -> z, ŭ -> u, ǰ -> j), the letters and signs of src/data/ascii-fold.tsv
 * written as it says (ł -> l, đ -> d, æ -> ae, ʹ ’ -> ', ʺ ” -> ", ISO 9's
 * palochka ‡ -> '), ASCII kept as it is; other characters (no letters of
 * Latin text) and control characters are left out. malloc'd or NULL. */
char *ev_ascii(const char *latin);

#endif
