/* hyphen_dict.h - hyphenation from libhyphen's pattern files (Debian's
 * /usr/share/hyphen): the edge behind the ev_hyphenator interface. Reads
 * files, so it is not part of the core. (Not named hyphen.h: that name is
 * libhyphen's header, which this file includes.)
 */
#ifndef EV_HYPHEN_DICT_H
#define EV_HYPHEN_DICT_H

#include "hyphenator.h"

/* Words longer than this many bytes are never hyphenated. */
#define EV_HYPHEN_WORD_MAX 100

typedef struct ev_hyphen ev_hyphen;

/* A hyphenator over the pattern files in dir; NULL means $ENVOI_HYPHEN_DIR
 * when set and not empty, else /usr/share/hyphen. Nothing is read yet: each
 * language's file is loaded on its first use and kept until ev_hyphen_free.
 * Returns NULL only when out of memory. The caller owns the result. */
ev_hyphen *ev_hyphen_open(const char *dir);

/* A hyphenator for another thread: it uses the pattern dictionaries the
 * parent has already loaded (read-only, shared) with a converter and a
 * cache of its own, and loads any other itself. The parent must outlive it
 * and load nothing more while it is in use. NULL when out of memory. */
ev_hyphen *ev_hyphen_share(const ev_hyphen *parent);

/* Frees h and every dictionary it loaded; NULL is fine. */
void ev_hyphen_free(ev_hyphen *h);

/* The interface for layout. Its ctx is h: valid until ev_hyphen_free(h).
 * Its points function follows hyphenator.h, and also gives 0 for: a word
 * over EV_HYPHEN_WORD_MAX bytes; invalid UTF-8; a word holding a digit or
 * anything but letters and apostrophes (' U+2019 U+02BC); a word in capitals
 * only (two or more, no small letter); a word with a letter the
 * dictionary's charset lacks; a language whose file is missing. Breaks keep
 * at least 2 characters before and 3 after in English, 2 and 2 in Russian
 * and Belarusian (or the file's LEFTHYPHENMIN/RIGHTHYPHENMIN when larger),
 * and never touch an apostrophe. */
ev_hyphenator ev_hyphen_iface(ev_hyphen *h);

/* NULL when words in lang can be hyphenated (loading its file if not yet
 * loaded); otherwise one sentence saying why not: for a missing or
 * unreadable file it names the file and the Debian package that installs
 * it (hyphen-en-gb, hyphen-en-us, hyphen-ru, hyphen-be). The sentence is
 * owned by h and valid until ev_hyphen_free(h). */
const char *ev_hyphen_missing(ev_hyphen *h, const char *lang);

/* Start loading lang's file in a thread of its own, so it is read while
 * the caller does other work (reading a pattern file and building
 * libhyphen's tables is the costliest step of starting up); the first use
 * of the language (ev_hyphen_missing, hyphenating) waits for it and then
 * answers as if it had loaded the file itself. Given the words that will
 * be hyphenated (words[i] of lens[i] bytes, as they will be passed), only
 * the patterns those words can meet are loaded (hyphen_patterns.h: the
 * same breaks, a small fraction of the work); a word outside them is
 * hyphenated from the whole file, loaded then. words NULL: the whole file.
 * Nothing when the language is unknown, already loaded or being loaded,
 * or no thread can be started. Only before h is shared (ev_hyphen_share)
 * and from the thread that owns it. */
void ev_hyphen_prefetch(ev_hyphen *h, const char *lang, const char *const *words,
                        const size_t *lens, size_t nwords);

#endif
