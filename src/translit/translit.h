/* translit.h - the language of a word (Russian, Belarusian, Ukrainian), the
 * default Latin forms of names (by-passport / icao-ru / uk-national, see
 * scheme.h), and ASCII slugs for file names. */
#ifndef EV_TRANSLIT_H
#define EV_TRANSLIT_H

#include <stddef.h>

#include <stdint.h>

typedef enum { EV_LANG_UNKNOWN, EV_LANG_RU, EV_LANG_BE, EV_LANG_UK } ev_lang;

/* "ru"/"be"/"uk" (any case, also "rus"/"bel"/"russian"/"belarusian"/...)
 * or UNKNOWN. */
ev_lang ev_lang_parse(const char *code);

/* "ru", "be", "uk" or "". */
const char *ev_lang_code(ev_lang l);

/* The language of one word's letters (translit.md 8.1), else fallback.
 * With fallback UK (a Ukrainian text) a word whose letters Ukrainian all
 * has (no ы э ё ъ ў) is Ukrainian, и and щ included. */
ev_lang ev_lang_of_letters(const uint32_t *cps, size_t n, ev_lang fallback);

/* Language of a text from its deciding letters (ў і and an apostrophe
 * inside a word: Belarusian; и щ ъ: Russian; ї є ґ, і with и or щ:
 * Ukrainian), else `fallback`. */
ev_lang ev_lang_detect(const char *s, ev_lang fallback);

/* The default Latin form of a name: Belarusian words by by-passport,
 * Russian words by icao-ru, Ukrainian words by uk-national (each word's
 * letters decide; `lang` for words without a deciding letter, UNKNOWN:
 * Belarusian), Title case and ALL CAPS
 * kept (Щербаков -> Shcherbakov, ЩЕРБАКОВ -> SHCHERBAKOV). Returns a
 * malloc'd string, or NULL when out of memory. */
char *ev_latin(const char *s, ev_lang lang);

/* ASCII slug for a file name: Latin letters without diacritics, lower case,
 * digits, and '-' between words; at most `max` bytes; never empty ("x"),
 * never containing '/', '.', or anything a file system or shell cares about.
 * Input may be Cyrillic (it is transliterated first). malloc'd or NULL. */
char *ev_slug(const char *s, size_t max);
/* The same into out (max + 1 bytes, at least 2), without allocating when
 * s is printable ASCII. Returns 0, -1 when out of memory. */
int ev_slug_into(const char *s, size_t max, char *out);

#endif
