/* namekey.c - the name key (namekey.h): every letter is mapped to a coarse
 * Latin class, so the spellings the romanisation standards disagree on
 * (ж zh ž, х kh h, г g h, ц ts c, й y i j, ё e io yo) meet. */
#include "namekey.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "arena.h"
#include "text.h"

/* Cyrillic letters (lower case) to their class; index cp - 0x430. */
static const char *const cyr[] = {
	"a", "b", "v", "g", "d", "e", "z", "z", "i", "i", "k", "l", "m", "n",
	"o", "p", "r", "s", "t", "u", "f", "g", "c", "c", "s", "s", "", "i",
	"", "e", "iu", "ia",
};

static const char *cyr_class(uint32_t cp)
{
	if (cp >= 0x430 && cp <= 0x44F)
		return cyr[cp - 0x430];
	switch (cp) {
	case 0x451: case 0x454: return "e";          /* ё є */
	case 0x456: case 0x457: return "i";          /* і ї */
	case 0x45E: return "u";                      /* ў */
	case 0x491: return "g";                      /* ґ */
	case 0x2019: case 0x2BC: case 0x27: return ""; /* apostrophes */
	default: return NULL;
	}
}

/* Latin spellings folded to the same classes, longest first. */
static const struct { const char *from, *to; size_t len; } folds[] = {
	{"shch", "s", 4}, {"sch", "s", 3}, {"zh", "z", 2}, {"kh", "g", 2},
	{"ch", "c", 2}, {"sh", "s", 2}, {"ts", "c", 2}, {"tz", "c", 2},
	{"cz", "c", 2}, {"io", "e", 2}, {"yo", "e", 2}, {"jo", "e", 2},
	{"ie", "e", 2}, {"ye", "e", 2}, {"je", "e", 2}, {"h", "g", 1},
	{"w", "v", 1}, {"y", "i", 1}, {"j", "i", 1}, {"x", "ks", 1},
	{"q", "k", 1},
};

/* Where the classes go: at most two letters a code point, so a buffer of
 * twice the UTF-8 bytes plus one always has room. */
typedef struct out {
	char *p;
	size_t len;
} out;

/* The class letters of one case-folded code point, onto o. */
static void put_class(out *o, uint32_t cp)
{
	const char *c = cyr_class(cp);
	if (c) {
		while (*c)
			o->p[o->len++] = *c++;
	} else if (cp < 0x80) {
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
			o->p[o->len++] = (char)cp;
	} else if (cp == 0x142) {                /* ł */
		o->p[o->len++] = 'l';
	} else {
		/* Accented Latin letters: the base letter. */
		utf8proc_int32_t dec[4];
		utf8proc_option_t opts = (utf8proc_option_t)(UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK);
		utf8proc_ssize_t nd = utf8proc_decompose_char((utf8proc_int32_t)cp,
		                        dec, 4, opts, NULL);
		if (nd >= 1 && dec[0] >= 'a' && dec[0] <= 'z')
			o->p[o->len++] = (char)dec[0];
	}
}

/* Room on the stack for the classes of a value this long (most are). */
#define STACK_KEY 512

/* The classes of s's letters, NUL-terminated, in stack (STACK_KEY bytes)
 * or a malloc'd buffer: folded a character at a time when each folds
 * quickly (the names of the lists do), else by utf8proc for the whole
 * string. NULL when s is not valid UTF-8 or out of memory. */
static char *classes(const char *s, char *stack)
{
	size_t n = strlen(s);
	bool quick = true;
	for (size_t i = 0; i < n && quick;) {
		uint32_t cp;
		size_t k = ev_utf8_decode(s + i, n - i, &cp);
		quick = k && ev_fold_quick(cp) != EV_FOLD_SLOW;
		i += k;
	}
	out o = {.p = 2 * n + 1 <= STACK_KEY ? stack : malloc(2 * n + 1)};
	if (quick && o.p) {
		for (size_t i = 0; i < n;) {
			uint32_t cp;
			i += ev_utf8_decode(s + i, n - i, &cp);
			put_class(&o, ev_fold_quick(cp));
		}
		o.p[o.len] = '\0';
		return o.p;
	}
	if (o.p != stack)
		free(o.p);
	if (quick)
		return NULL;
	/* Case-fold and strip accents (ž -> z, ë -> e) but keep й ё ў whole:
	 * decompose only Latin letters, so do it per character. */
	utf8proc_uint8_t *folded = NULL;
	utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)s, 0, &folded,
	                                  UTF8PROC_NULLTERM | UTF8PROC_STABLE |
	                                  UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
	if (r < 0)
		return NULL;
	o.p = 2 * (size_t)r + 1 <= STACK_KEY ? stack : malloc(2 * (size_t)r + 1);
	for (size_t i = 0; o.p && i < (size_t)r;) {
		uint32_t cp;
		size_t k = ev_utf8_decode((const char *)folded + i, (size_t)r - i, &cp);
		if (!k)
			break;
		i += k;
		put_class(&o, cp);
	}
	free(folded);
	if (o.p)
		o.p[o.len] = '\0';
	return o.p;
}

char *ev_name_key(const char *s)
{
	return ev_name_key_in(NULL, s);
}

/* Fold the spellings of in into res (room for 2 * strlen(in) + 1), then
 * drop doubled letters (Савва, Dmitrii). */
static void fold_spellings(const char *in, char *res)
{
	/* The letters some spelling starts with (s z k c t i y j h w x q). */
	static const bool starts[128] = {
		['s'] = 1, ['z'] = 1, ['k'] = 1, ['c'] = 1, ['t'] = 1, ['i'] = 1,
		['y'] = 1, ['j'] = 1, ['h'] = 1, ['w'] = 1, ['x'] = 1, ['q'] = 1,
	};
	size_t o = 0;
	for (const char *p = in; *p;) {
		size_t i = 0, n = sizeof folds / sizeof *folds;
		if (!((unsigned char)*p < 128 && starts[(unsigned char)*p]))
			i = n;
		for (; i < n; i++)
			if (folds[i].from[0] == *p && !strncmp(p, folds[i].from, folds[i].len))
				break;
		const char *rep = i < n ? folds[i].to : NULL;
		size_t adv = i < n ? folds[i].len : 1;
		char one[2] = {*p, 0};
		for (const char *q = rep ? rep : one; *q; q++)
			if (!o || res[o - 1] != *q)
				res[o++] = *q;
		p += adv;
	}
	res[o] = '\0';
}

char *ev_name_key_in(ev_arena *a, const char *s)
{
	char stack_in[STACK_KEY], stack_out[STACK_KEY];
	char *in = classes(s, stack_in), *key;
	if (!in)
		return NULL;
	size_t cap = strlen(in) * 2 + 1;
	if (cap <= STACK_KEY) {
		fold_spellings(in, stack_out);
		key = a ? ev_arena_strdup(a, stack_out) : strdup(stack_out);
	} else if ((key = malloc(cap))) {
		fold_spellings(in, key);
		if (a) {
			char *copy = ev_arena_strdup(a, key);
			free(key);
			key = copy;
		}
	}
	if (in != stack_in)
		free(in);
	return key;
}
