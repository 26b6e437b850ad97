/* normalize.c - value hygiene with a record of every repair (normalize.h).
 * Look-alike and apostrophe rules: ../shared/reference/translit.md 8.1-8.2. */
#include "normalize.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "text.h"

/* Latin letters that look like Cyrillic ones, and their twins. Lower case
 * a o e c p x y i; capitals A B C E H K M O P T X I. */
static const struct { uint32_t latin, cyrillic; } twins[] = {
	{'a', 0x0430}, {'o', 0x043E}, {'e', 0x0435}, {'c', 0x0441},
	{'p', 0x0440}, {'x', 0x0445}, {'y', 0x0443}, {'i', 0x0456},
	{'A', 0x0410}, {'B', 0x0412}, {'C', 0x0421}, {'E', 0x0415},
	{'H', 0x041D}, {'K', 0x041A}, {'M', 0x041C}, {'O', 0x041E},
	{'P', 0x0420}, {'T', 0x0422}, {'X', 0x0425}, {'I', 0x0406},
};

static uint32_t cyrillic_twin(uint32_t latin)
{
	for (size_t i = 0; i < sizeof twins / sizeof *twins; i++)
		if (twins[i].latin == latin)
			return twins[i].cyrillic;
	return 0;
}

static uint32_t latin_twin(uint32_t cyr)
{
	for (size_t i = 0; i < sizeof twins / sizeof *twins; i++)
		if (twins[i].cyrillic == cyr)
			return twins[i].latin;
	return 0;
}

bool ev_is_cyrillic(unsigned cp)
{
	return (cp >= 0x0400 && cp <= 0x04FF) || (cp >= 0x0500 && cp <= 0x052F);
}

static bool is_latin(uint32_t cp)
{
	if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
		return true;
	return cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7;
}

bool ev_is_apostrophe(unsigned cp)
{
	return cp == 0x27 || cp == 0x2019 || cp == 0x02BC || cp == 0x2018 ||
	       cp == 0x60 || cp == 0xB4;
}

static bool is_letter(uint32_t cp)
{
	utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
	       (c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME);
}

/* The invisible characters of the value as given: how many, the first
 * and where it is (for a message that points at it). */
static void find_invisible(const char *s, size_t n, ev_fixes *fx)
{
	size_t at = 0;
	for (size_t i = 0; i < n; at++) {
		uint32_t cp;
		size_t k = ev_utf8_decode(s + i, n - i, &cp);
		if (!k)
			return;
		i += k;
		if (!ev_is_invisible(cp))
			continue;
		if (!fx->invisible++) {
			fx->invisible_cp = cp;
			fx->invisible_at = at;
		}
	}
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

char *ev_normalize(const char *s, size_t n, ev_fixes *fx)
{
	ev_fixes none;
	if (!fx)
		fx = &none;
	memset(fx, 0, sizeof *fx);
	if (ev_utf8_invalid_at(s, n) != (size_t)-1)
		return NULL;
	utf8proc_uint8_t *nfc = NULL;
	utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)s,
	                                  (utf8proc_ssize_t)n, &nfc,
	                                  UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (r < 0)
		return NULL;
	size_t len = (size_t)r;
	if (len != n || memcmp(nfc, s, n) != 0)
		fx->kinds |= EV_FIX_NFC;
	find_invisible(s, n, fx);
	/* Decode into code points, collapsing white space and dropping the
	 * invisible characters; a lone U+0020 between words is not a repair. */
	uint32_t *cps = malloc((len + 1) * sizeof *cps);
	if (!cps) {
		free(nfc);
		return NULL;
	}
	size_t m = 0, run = 0;
	bool plain_run = true;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = ev_utf8_decode((const char *)nfc + i, len - i, &cp);
		if (!k) {
			free(nfc);
			free(cps);
			return NULL;
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
		if (!is_letter(cps[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < m && (is_letter(cps[j]) ||
		       (ev_is_apostrophe(cps[j]) && j + 1 < m && is_letter(cps[j + 1]))))
			j++;
		fix_word(cps, i, j, fx);
		i = j;
	}
	char *out = malloc(m * 4 + 1);
	if (out) {
		size_t o = 0;
		for (size_t i = 0; i < m; i++)
			o += ev_utf8_encode(cps[i], out + o);
		out[o] = '\0';
	}
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
