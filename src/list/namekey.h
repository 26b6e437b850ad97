/* namekey.h - a comparison key for names that ignores case, spacing,
 * punctuation, ё/е, the alphabet and the usual romanisation differences:
 * Иванова, ИВАНОВА, Іванова and Ivanova have one key; so have Кавалёва and
 * Kavaliova, Щербаков and Shcherbakov. For finding duplicates and for
 * searching by a name typed in either alphabet; never printed. Pure. */
#ifndef EV_NAMEKEY_H
#define EV_NAMEKEY_H

/* The key of a UTF-8 string: lower-case ASCII letters and digits only.
 * Returns a malloc'd string ("" for a value without letters or digits), or
 * NULL when s is not valid UTF-8 or memory ran out. */
char *ev_name_key(const char *s);

/* The same in arena a (valid until it is reset), or malloc'd when a is
 * NULL. */
struct ev_arena;
char *ev_name_key_in(struct ev_arena *a, const char *s);

#endif
