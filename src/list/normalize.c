/* normalize.c - value hygiene with a record of every repair (normalize.h).
 * Look-alike and apostrophe rules: ../shared/reference/translit.md 8.1-8.2. */
#include "normalize.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "arena.h"
#include "text.h"

/* Latin letters that look like Cyrillic ones, and their twins. Lower case
 * a o e c p x y i; capitals A B C E H K M O P T X I. By the Latin letter,
 * and by the Cyrillic one (U+0400-U+045F), for a lookup per character. */
static const uint16_t cyrillic_of[128] = {
	['a'] = 0x0430, ['o'] = 0x043E, ['e'] = 0x0435, ['c'] = 0x0441,
	['p'] = 0x0440, ['x'] = 0x0445, ['y'] = 0x0443, ['i'] = 0x0456,
	['A'] = 0x0410, ['B'] = 0x0412, ['C'] = 0x0421, ['E'] = 0x0415,
	['H'] = 0x041D, ['K'] = 0x041A, ['M'] = 0x041C, ['O'] = 0x041E,
	['P'] = 0x0420, ['T'] = 0x0422, ['X'] = 0x0425, ['I'] = 0x0406,
};

static const char latin_of[0x60] = {
	[0x30] = 'a', [0x3E] = 'o', [0x35] = 'e', [0x41] = 'c',
	[0x40] = 'p', [0x45] = 'x', [0x43] = 'y', [0x56] = 'i',
	[0x10] = 'A', [0x12] = 'B', [0x21] = 'C', [0x15] = 'E',
	[0x1D] = 'H', [0x1A] = 'K', [0x1C] = 'M', [0x1E] = 'O',
	[0x20] = 'P', [0x22] = 'T', [0x25] = 'X', [0x06] = 'I',
};

static uint32_t cyrillic_twin(uint32_t latin)
{
	return latin < 128 ? cyrillic_of[latin] : 0;
}

static uint32_t latin_twin(uint32_t cyr)
{
	return cyr >= 0x400 && cyr < 0x460 ? (uint32_t)latin_of[cyr - 0x400] : 0;
}


static bool is_latin(uint32_t cp)
{
	if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
		return true;
	return cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7;
}


/* Encode cps[from..to) as UTF-8 into out (cap bytes incl. NUL). */
static void encode_range(const uint32_t *cps, size_t from, size_t to,
                         char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = from; i < to; i++) {
		char tmp[4];
		size_t k = ev_utf8_encode(cps[i], tmp);
		if (o + k + 1 > cap)
			break;
		memcpy(out + o, tmp, k);
		o += k;
	}
	out[o] = '\0';
}

/* One word cps[from..to): make its script consistent when the odd letters
 * are all look-alikes. */
static void fix_word(uint32_t *cps, size_t from, size_t to, ev_fixes *fx)
{
	size_t cyr = 0, lat = 0, cyr_twins = 0, lat_twins = 0;
	for (size_t i = from; i < to; i++) {
		if (ev_is_cyrillic(cps[i])) {
			cyr++;
			cyr_twins += latin_twin(cps[i]) != 0;
		} else if (is_latin(cps[i])) {
			lat++;
			lat_twins += cyrillic_twin(cps[i]) != 0;
		}
	}
	if (!cyr || !lat)
		return;
	bool to_cyrillic;
	if (lat == lat_twins && (cyr > cyr_twins || cyr >= lat))
		to_cyrillic = true;
	else if (cyr == cyr_twins && lat > lat_twins)
		to_cyrillic = false;
	else {
		if (!fx->mixed[0]) {
			char w[100];
			encode_range(cps, from, to, w, sizeof w);
			snprintf(fx->mixed, sizeof fx->mixed, "%s", w);
		}
		return;
	}
	uint32_t first_from = 0, first_to = 0;
	for (size_t i = from; i < to; i++) {
		uint32_t t = to_cyrillic ? (is_latin(cps[i]) ? cyrillic_twin(cps[i]) : 0)
		                         : (ev_is_cyrillic(cps[i]) ? latin_twin(cps[i]) : 0);
		if (!t)
			continue;
		if (!first_from)
			first_from = cps[i], first_to = t;
		cps[i] = t;
		fx->count++;
	}
	if (!(fx->kinds & EV_FIX_LOOKALIKE)) {
		char a[8] = {0}, b[8] = {0}, w[120];
		ev_utf8_encode(first_from, a);
		ev_utf8_encode(first_to, b);
		encode_range(cps, from, to, w, sizeof w);
		snprintf(fx->lookalike, sizeof fx->lookalike, "%s '%s' -> %s '%s' in '%s'",
		         to_cyrillic ? "Latin" : "Cyrillic", a,
		         to_cyrillic ? "Cyrillic" : "Latin", b, w);
	}
	fx->kinds |= EV_FIX_LOOKALIKE;
}

#define STACK_CPS EV_NORMALIZE_STACK

int ev_normalize_cps(const char *s, size_t n, ev_fixes *fx, uint32_t *buf,
                     uint32_t **cps_out, size_t *m_out)
{
	ev_fixes none;
	if (!fx)
		fx = &none;
	memset(fx, 0, sizeof *fx);
	/* One pass over the value as given: valid UTF-8? Already in NFC
	 * (every character one NFC leaves alone, the usual case, so utf8proc
	 * need not copy it)? The invisible characters: how many, the first
	 * and where it is (for a message that points at it). */
	bool inert = true;
	size_t at = 0;
	for (size_t i = 0; i < n; at++) {
		uint32_t cp = (unsigned char)s[i];
		size_t k = 1;
		if (cp >= 0x80 && !(k = ev_utf8_decode(s + i, n - i, &cp)))
			return -1;
		i += k;
		inert = inert && ev_nfc_inert(cp);
		if (ev_is_invisible(cp) && !fx->invisible++) {
			fx->invisible_cp = cp;
			fx->invisible_at = at;
		}
	}
	const char *text = s;
	size_t len = n;
	utf8proc_uint8_t *nfc = NULL;
	if (!inert) {
		utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)s,
		                                  (utf8proc_ssize_t)n, &nfc,
		                                  UTF8PROC_STABLE | UTF8PROC_COMPOSE);
		if (r < 0)
			return -1;
		text = (const char *)nfc;
		len = (size_t)r;
		if (len != n || memcmp(nfc, s, n) != 0)
			fx->kinds |= EV_FIX_NFC;
	}
	/* Decode into code points, collapsing white space and dropping the
	 * invisible characters; a lone U+0020 between words is not a repair. */
	uint32_t *cps = len < STACK_CPS ? buf : malloc((len + 1) * sizeof *cps);
	if (!cps) {
		free(nfc);
		return -1;
	}
	size_t m = 0, run = 0;
	bool plain_run = true;
	for (size_t i = 0; i < len;) {
		uint32_t cp = (unsigned char)text[i];
		size_t k = 1;
		if (cp >= 0x80 && !(k = ev_utf8_decode(text + i, len - i, &cp))) {
			free(nfc);
			if (cps != buf)
				free(cps);
			return -1;
		}
		i += k;
		if (ev_is_space(cp)) {
			run++;
			plain_run = plain_run && cp == ' ';
			continue;
		}
		if (ev_is_invisible(cp)) {
			fx->kinds |= EV_FIX_INVISIBLE;
			continue;
		}
		if (run && m) {
			if (run > 1 || !plain_run)
				fx->kinds |= EV_FIX_SPACE;
			cps[m++] = ' ';
		}
		run = 0;
		plain_run = true;
		cps[m++] = cp;
	}
	free(nfc);
	/* Apostrophes between two Cyrillic letters become the canonical one. */
	for (size_t i = 1; i + 1 < m; i++) {
		if (ev_is_apostrophe(cps[i]) && ev_is_cyrillic(cps[i - 1]) &&
		    ev_is_cyrillic(cps[i + 1]) && cps[i] != 0x2019) {
			cps[i] = 0x2019;
			fx->kinds |= EV_FIX_APOSTROPHE;
		}
	}
	/* Words: letters, with an apostrophe inside; hyphens separate words. */
	for (size_t i = 0; i < m;) {
		if (!ev_is_letter(cps[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < m && (ev_is_letter(cps[j]) ||
		       (ev_is_apostrophe(cps[j]) && j + 1 < m && ev_is_letter(cps[j + 1]))))
			j++;
		fix_word(cps, i, j, fx);
		i = j;
	}
	*cps_out = cps;
	*m_out = m;
	return 0;
}

/* cps[0..m) as UTF-8 into out, which holds 4 * m + 1 bytes. */
static void encode_all(const uint32_t *cps, size_t m, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < m; i++) {
		if (cps[i] < 0x80)
			out[o++] = (char)cps[i];
		else
			o += ev_utf8_encode(cps[i], out + o);
	}
	out[o] = '\0';
}

char *ev_normalize(const char *s, size_t n, ev_fixes *fx)
{
	return ev_normalize_in(NULL, s, n, fx);
}

char *ev_normalize_in(ev_arena *a, const char *s, size_t n, ev_fixes *fx)
{
	uint32_t buf[STACK_CPS], *cps;
	size_t m;
	if (ev_normalize_cps(s, n, fx, buf, &cps, &m) < 0)
		return NULL;
	size_t cap = m * 4 + 1;
	char *out = a ? ev_arena_alloc(a, cap) : malloc(cap);
	if (out)
		encode_all(cps, m, out);
	if (cps != buf)
		free(cps);
	return out;
}

const char *ev_fixes_describe(const ev_fixes *fx, char *out, size_t cap)
{
	size_t o = 0;
	out[0] = '\0';
#define ADD(...) do { \
		int k_ = snprintf(out + o, cap - o, "%s", o ? "; " : ""); \
		if (k_ > 0 && (size_t)k_ < cap - o) o += (size_t)k_; \
		k_ = snprintf(out + o, cap - o, __VA_ARGS__); \
		if (k_ > 0) o = (size_t)k_ < cap - o ? o + (size_t)k_ : cap - 1; \
	} while (0)
	if (fx->kinds & EV_FIX_LOOKALIKE)
		ADD("look-alike letters of the other alphabet replaced (%u: %s)",
		    fx->count, fx->lookalike);
	if (fx->kinds & EV_FIX_NFC)
		ADD("letters typed as a letter plus an accent (such as е + \xCC\x88) composed "
		    "into one (ё)");
	if (fx->kinds & EV_FIX_APOSTROPHE)
		ADD("apostrophe written as ' or ` or similar made " EV_APOSTROPHE);
	if (fx->kinds & EV_FIX_INVISIBLE) {
		const char *name = ev_invisible_name(fx->invisible_cp);
		char more[48] = "";
		if (fx->invisible > 1)
			snprintf(more, sizeof more, " (and %u more)", fx->invisible - 1);
		ADD("invisible character U+%04X%s%s%s removed%s", fx->invisible_cp,
		    name ? " " : "", name ? name : "", "", more);
	}
	if (fx->kinds & EV_FIX_SPACE)
		ADD("a line break, tab, no-break space or double space made one space");
#undef ADD
	return out;
}
