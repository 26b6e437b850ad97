/* namekey.c - the name key (namekey.h): every letter is mapped to a coarse
 * Latin class, so the spellings the romanisation standards disagree on
 * (ж zh ž, х kh h, г g h, ц ts c, й y i j, ё e io yo) meet. */
#include "namekey.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "buf.h"
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
static const struct { const char *from, *to; } folds[] = {
	{"shch", "s"}, {"sch", "s"}, {"zh", "z"}, {"kh", "g"}, {"ch", "c"},
	{"sh", "s"}, {"ts", "c"}, {"tz", "c"}, {"cz", "c"}, {"io", "e"},
	{"yo", "e"}, {"jo", "e"}, {"ie", "e"}, {"ye", "e"}, {"je", "e"},
	{"h", "g"}, {"w", "v"}, {"y", "i"}, {"j", "i"}, {"x", "ks"},
	{"q", "k"},
};

char *ev_name_key(const char *s)
{
	/* Case-fold and strip accents (ž -> z, ë -> e) but keep й ё ў whole:
	 * decompose only Latin letters, so do it per character. */
	utf8proc_uint8_t *folded = NULL;
	utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)s, 0, &folded,
	                                  UTF8PROC_NULLTERM | UTF8PROC_STABLE |
	                                  UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
	if (r < 0)
		return NULL;
	ev_buf latin = {0};
	for (size_t i = 0; i < (size_t)r;) {
		uint32_t cp;
		size_t k = ev_utf8_decode((const char *)folded + i, (size_t)r - i, &cp);
		if (!k)
			break;
		i += k;
		const char *c = cyr_class(cp);
		if (c) {
			ev_buf_puts(&latin, c);
		} else if (cp < 0x80) {
			if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
				ev_buf_putc(&latin, (char)cp);
		} else if (cp == 0x142) {                /* ł */
			ev_buf_putc(&latin, 'l');
		} else {
			/* Accented Latin letters: the base letter. */
			utf8proc_int32_t dec[4];
			utf8proc_option_t opts = (utf8proc_option_t)(UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK);
			utf8proc_ssize_t nd = utf8proc_decompose_char((utf8proc_int32_t)cp,
			                        dec, 4, opts, NULL);
			if (nd >= 1 && dec[0] >= 'a' && dec[0] <= 'z')
				ev_buf_putc(&latin, (char)dec[0]);
		}
	}
	free(folded);
	if (ev_buf_putc(&latin, '\0') < 0) {
		ev_buf_free(&latin);
		return NULL;
	}
	/* Fold the spellings, then drop doubled letters (Савва, Dmitrii). */
	char *in = latin.data, *out = malloc(latin.len * 2 + 1);
	if (!out) {
		ev_buf_free(&latin);
		return NULL;
	}
	size_t o = 0;
	for (const char *p = in; *p;) {
		size_t i = 0, n = sizeof folds / sizeof *folds;
		for (; i < n; i++)
			if (folds[i].from[0] == *p &&
			    !strncmp(p, folds[i].from, strlen(folds[i].from)))
				break;
		const char *rep = i < n ? folds[i].to : NULL;
		size_t adv = i < n ? strlen(folds[i].from) : 1;
		char one[2] = {*p, 0};
		for (const char *q = rep ? rep : one; *q; q++)
			if (!o || out[o - 1] != *q)
				out[o++] = *q;
		p += adv;
	}
	out[o] = '\0';
	ev_buf_free(&latin);
	return out;
}
