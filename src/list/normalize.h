/* normalize.h - making a value from a spreadsheet safe to print and to
 * compare: NFC, white space, invisible characters, Latin look-alikes inside
 * Cyrillic words (and the reverse), apostrophe variants. Every repair is
 * reported, so the person can fix the source. Shared by the recipient
 * reader and the transliteration engine. Pure. */
#ifndef EV_NORMALIZE_H
#define EV_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	EV_FIX_NFC = 1u << 0,        /* decomposed letters composed (е + U+0308 -> ё) */
	EV_FIX_SPACE = 1u << 1,      /* a line break, tab, no-break space or a run
	                                of spaces inside the value made one space */
	EV_FIX_INVISIBLE = 1u << 2,  /* invisible characters removed: format and
	                                direction controls, zero-width, soft
	                                hyphen, BOM, controls (ev_is_invisible) */
	EV_FIX_LOOKALIKE = 1u << 3,  /* Latin letters inside a Cyrillic word made
	                                Cyrillic, or the reverse */
	EV_FIX_APOSTROPHE = 1u << 4, /* ' ʼ ‘ ` ´ inside a Cyrillic word made ’ */
};

typedef struct ev_fixes {
	unsigned kinds;        /* EV_FIX_* bits of the repairs made */
	unsigned count;        /* letters changed by look-alike repairs */
	char lookalike[200];   /* the first look-alike repair, for the report:
	                          "Latin 'a' -> Cyrillic 'а' in 'Иванова'" */
	char mixed[120];       /* a word mixing Latin and Cyrillic letters that
	                          are not look-alikes (left as is), or "" */
	unsigned invisible;    /* invisible characters removed */
	unsigned invisible_cp; /* the first of them, */
	size_t invisible_at;   /* and its place: characters before it in the
	                          value as given (0-based) */
} ev_fixes;

/* The canonical apostrophe inside Belarusian words (U+2019, the official
 * typographic form; ../shared/reference/translit.md section 8.2). */
#define EV_APOSTROPHE "\xE2\x80\x99"

/* Normalise n bytes of UTF-8. Leading and trailing white space is removed
 * silently; every other change is recorded in *fx (which may be NULL).
 * Returns a malloc'd string, or NULL when s is not valid UTF-8 or memory ran
 * out. */
char *ev_normalize(const char *s, size_t n, ev_fixes *fx);

/* The same, the result in arena a (valid until it is reset); a NULL a
 * means malloc, as ev_normalize. */
struct ev_arena;
char *ev_normalize_in(struct ev_arena *a, const char *s, size_t n, ev_fixes *fx);

/* The work of ev_normalize, as code points: into buf (room for
 * EV_NORMALIZE_STACK) when s has fewer bytes than that, else into a
 * malloc'd array the caller frees; *cps says which, *m how many. fx may
 * be NULL. Returns 0, or -1 when s is not valid UTF-8 or memory ran out. */
#define EV_NORMALIZE_STACK 512
int ev_normalize_cps(const char *s, size_t n, ev_fixes *fx, uint32_t *buf,
                     uint32_t **cps, size_t *m);

/* Describe fx->kinds in words for a report ("composed 'ё' from е + ̈; ..."),
 * into out (size cap). Returns out. */
const char *ev_fixes_describe(const ev_fixes *fx, char *out, size_t cap);

/* True for U+0027 U+2019 U+02BC U+2018 U+0060 U+00B4. */
static inline bool ev_is_apostrophe(unsigned cp)
{
	return cp == 0x27 || cp == 0x2019 || cp == 0x02BC || cp == 0x2018 ||
	       cp == 0x60 || cp == 0xB4;
}

/* True for Cyrillic letters (U+0400-U+04FF, U+0500-U+052F). */
static inline bool ev_is_cyrillic(unsigned cp)
{
	return cp >= 0x0400 && cp <= 0x052F;
}

#endif
