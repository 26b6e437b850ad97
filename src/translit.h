/* translit.h - Latin forms of Cyrillic names (plain letter table, per
 * language), language guess per word, and ASCII slugs for file names. */
#ifndef EV_TRANSLIT_H
#define EV_TRANSLIT_H

#include <stddef.h>

typedef enum { EV_LANG_UNKNOWN, EV_LANG_RU, EV_LANG_BE } ev_lang;

/* "ru"/"be" (any case, also "rus"/"bel"/"russian"/"belarusian") or UNKNOWN. */
ev_lang ev_lang_parse(const char *code);

/* Language of a text from its deciding letters (ў і and an apostrophe
 * inside a word: Belarusian; и щ ъ: Russian), else `fallback`. */
ev_lang ev_lang_detect(const char *s, ev_lang fallback);

/* Latin form of valid UTF-8 text: Cyrillic letters by the table for `lang`
 * (UNKNOWN: detected per word, Belarusian when undecided), Title case and
 * ALL CAPS kept (Щербаков -> Shcherbakov, ЩЕРБАКОВ -> SHCHERBAKOV),
 * apostrophes inside Cyrillic words dropped, anything else copied.
 * Returns a malloc'd string, or NULL when out of memory. */
char *ev_latin(const char *s, ev_lang lang);

/* ASCII slug for a file name: Latin letters without diacritics, lower case,
 * digits, and '-' between words; at most `max` bytes; never empty ("x"),
 * never containing '/', '.', or anything a file system or shell cares about.
 * Input may be Cyrillic (it is transliterated first). malloc'd or NULL. */
char *ev_slug(const char *s, size_t max);

#endif
