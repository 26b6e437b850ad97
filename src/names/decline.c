/* decline.c - the declension engine (decline.h): a word is matched on a
 * folded copy (lower case, ё as е, one apostrophe) against the exceptions,
 * then the ending rules of its language; the result keeps the input's own
 * letters for the stem and its case pattern for what is appended. The rules
 * are data (src/data/decline/, compiled into decline.inc). */
#include "decline.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "buf.h"
#include "text.h"

typedef struct ev_decl_rule {
	unsigned char lang;     /* DL_RU | DL_BE */
	unsigned char part;     /* PART_* */
	unsigned char gender;   /* 0 either, else ev_gender */
	const char *end;        /* folded ending (rules) or word (exceptions) */
	const char *gen, *dat;  /* modifier or form; "." unchanged, "?" unsure */
} ev_decl_rule;

#include "decline.inc"

enum { DL_RU = 1, DL_BE = 2 };
enum { PART_SURNAME, PART_GIVEN, PART_PATRONYMIC, PART_TITLE, PART_PREFIX };

/* Caps: a word part longer than this is no name (unsure, unchanged), and a
 * whole text longer than EV_DECL_MAX_TEXT is not looked at. */
#define EV_DECL_MAX_WORD 64
#define EV_DECL_MAX_TEXT 4096

#define N(a) (sizeof a / sizeof *a)

typedef enum { R_OK, R_UNSURE, R_NOMEM } result;

static uint32_t lower(uint32_t c)
{
	return (uint32_t)utf8proc_tolower((utf8proc_int32_t)c);
}

/* The matching form of a letter: lower case, ё as е, every apostrophe as '. */
static uint32_t fold(uint32_t c)
{
	c = lower(c);
	if (c == 0x0451)
		return 0x0435;
	if (c == 0x2019 || c == 0x02BC || c == 0x2018)
		return '\'';
	return c;
}

static bool is_letter(uint32_t c)
{
	utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)c);
	return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
	       (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME);
}

static bool is_upper(uint32_t c)
{
	return lower(c) != c;
}

static bool is_lower(uint32_t c)
{
	return (uint32_t)utf8proc_toupper((utf8proc_int32_t)c) != c;
}

/* Decode n bytes of valid UTF-8 into at most max code points; the count,
 * or (size_t)-1 when there are more. */
static size_t decode(const char *s, size_t n, uint32_t *out, size_t max)
{
	size_t m = 0;
	for (size_t i = 0; i < n;) {
		if (m == max)
			return (size_t)-1;
		out[m++] = ev_utf8_next(s, n, &i);
	}
	return m;
}

static int put(ev_buf *b, const uint32_t *cps, size_t n)
{
	char tmp[4];
	for (size_t i = 0; i < n; i++) {
		size_t k = ev_utf8_encode(cps[i], tmp);
		if (!k)
			k = ev_utf8_encode(0xFFFD, tmp);
		if (ev_buf_append(b, tmp, k) < 0)
			return -1;
	}
	return 0;
}

/* A valid UTF-8 copy of s: bad bytes become U+FFFD. *bad says whether any
 * did. NULL when out of memory. */
static char *sanitize(const char *s, bool *bad)
{
	size_t n = strlen(s);
	*bad = ev_utf8_invalid_at(s, n) != (size_t)-1;
	if (!*bad)
		return strdup(s);
	ev_buf b = {0};
	for (size_t i = 0; i < n;) {
		uint32_t c = ev_utf8_next(s, n, &i);
		if (put(&b, &c, 1) < 0) {
			ev_buf_free(&b);
			return NULL;
		}
	}
	return ev_buf_steal(&b, NULL);
}

/* The folded UTF-8 key of n code points (at most EV_DECL_MAX_WORD). */
static void key_of(const uint32_t *w, size_t n, char *key)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		size_t m = ev_utf8_encode(fold(w[i]), key + k);
		k += m;
	}
	key[k] = '\0';
}

static const ev_decl_rule *find_exception(const char *key, int part, ev_gender g,
                                          int langbit)
{
	for (size_t i = 0; i < N(decl_exceptions); i++) {
		const ev_decl_rule *r = &decl_exceptions[i];
		if ((r->lang & langbit) && r->part == part &&
		    (!r->gender || r->gender == g) && !strcmp(r->end, key))
			return r;
	}
	return NULL;
}

static const ev_decl_rule *find_rule(const char *key, int part, ev_gender g, int langbit)
{
	size_t kn = strlen(key);
	for (size_t i = 0; i < N(decl_rules); i++) {
		const ev_decl_rule *r = &decl_rules[i];
		size_t en = strlen(r->end);
		if ((r->lang & langbit) && r->part == part &&
		    (!r->gender || r->gender == g) && en <= kn &&
		    !memcmp(key + kn - en, r->end, en))
			return r;
	}
	return NULL;
}

/* One hyphen-free word w[0..n) in one language and a known gender, onto
 * out: the stem keeps the input's letters (ё, apostrophes, capitals), what
 * is new follows the case pattern (ALL CAPS when the word has two or more
 * letters and no small one, else small, a capital when it starts the
 * word). */
static result inflect(const uint32_t *w, size_t n, int part, ev_gender g, int langbit,
                      ev_case c, ev_buf *out)
{
	char key[EV_DECL_MAX_WORD * 4 + 1];
	uint32_t target[EV_DECL_MAX_WORD + 16];
	size_t tn = 0;
	if (n == 0 || n > EV_DECL_MAX_WORD)
		return R_UNSURE;
	for (size_t i = 0; i < n; i++)
		if (!is_letter(w[i]) && fold(w[i]) != '\'')
			return R_UNSURE;
	key_of(w, n, key);
	const ev_decl_rule *r = find_exception(key, part, g, langbit);
	bool whole = r != NULL;
	if (!r && part != PART_TITLE && part != PART_PREFIX)
		r = find_rule(key, part, g, langbit);
	if (!r)
		return R_UNSURE;
	const char *mod = c == EV_CASE_GEN ? r->gen : r->dat;
	if (!strcmp(mod, "?"))
		return R_UNSURE;
	if (!strcmp(mod, "."))
		return put(out, w, n) < 0 ? R_NOMEM : R_OK;
	/* The target in small letters: a whole form, or the word less the
	 * modifier's dashes plus its letters. */
	if (!whole) {
		size_t cut = strspn(mod, "-");
		if (cut > n)
			return R_UNSURE;
		for (size_t i = 0; i < n - cut; i++)
			target[tn++] = lower(w[i]);
		mod += cut;
	}
	size_t more = decode(mod, strlen(mod), target + tn, N(target) - tn);
	if (more == (size_t)-1)
		return R_UNSURE;
	tn += more;
	size_t p = 0, letters = 0;
	bool small = false;
	while (p < n && p < tn && lower(w[p]) == target[p])
		p++;
	for (size_t i = 0; i < n; i++) {
		letters += is_letter(w[i]);
		small |= is_lower(w[i]);
	}
	bool caps = letters >= 2 && !small;
	if (put(out, w, p) < 0)
		return R_NOMEM;
	for (size_t i = p; i < tn; i++) {
		uint32_t ch = target[i];
		if (caps || (i == 0 && is_upper(w[0])))
			ch = (uint32_t)utf8proc_toupper((utf8proc_int32_t)ch);
		if (put(out, &ch, 1) < 0)
			return R_NOMEM;
	}
	return R_OK;
}

/* The languages to try: the given one, or the word's letters', or both. */
static int langs_of(ev_lang lang, const char *text)
{
	if (lang == EV_LANG_UNKNOWN)
		lang = ev_lang_detect(text, EV_LANG_UNKNOWN);
	return lang == EV_LANG_RU ? DL_RU : lang == EV_LANG_BE ? DL_BE
	     : lang == EV_LANG_UNKNOWN ? DL_RU | DL_BE : 0;
}

/* inflect() for every language in langs and, with the gender unknown, both
 * genders: every answer must be sure and the same. */
static result inflect_all(const uint32_t *w, size_t n, int part, ev_gender g, int langs,
                          ev_case c, ev_buf *out)
{
	ev_buf first = {0}, other = {0};
	bool have = false;
	result res = langs ? R_OK : R_UNSURE;
	for (int l = DL_RU; l <= DL_BE && res == R_OK; l <<= 1) {
		if (!(langs & l))
			continue;
		for (int gi = EV_GENDER_MALE; gi <= EV_GENDER_FEMALE && res == R_OK; gi++) {
			if (g != EV_GENDER_UNKNOWN && (ev_gender)gi != g)
				continue;
			ev_buf *b = have ? &other : &first;
			ev_buf_reset(b);
			res = inflect(w, n, part, (ev_gender)gi, l, c, b);
			if (res == R_OK && have &&
			    (other.len != first.len || memcmp(other.data, first.data, first.len)))
				res = R_UNSURE;
			have = true;
		}
	}
	if (res == R_OK && first.len && ev_buf_append(out, first.data, first.len) < 0)
		res = R_NOMEM;
	ev_buf_free(&first);
	ev_buf_free(&other);
	return res;
}

/* An initial or abbreviation: one letter, or a word with a full stop. */
static bool initial(const uint32_t *w, size_t n)
{
	if (n == 1)
		return true;
	for (size_t i = 0; i < n; i++)
		if (w[i] == '.')
			return true;
	return false;
}

/* One word (hyphenated parts each by the part's rule) onto out. */
static result decline_word(const char *s, size_t len, ev_name_part part, ev_gender g,
                           int langs, ev_case c, ev_buf *out)
{
	uint32_t w[EV_DECL_MAX_TEXT];
	size_t n = decode(s, len, w, N(w));
	if (n == (size_t)-1)
		return R_UNSURE;
	if (c == EV_CASE_NOM || initial(w, n))
		return ev_buf_append(out, s, len) < 0 ? R_NOMEM : R_OK;
	size_t nparts = 1;
	for (size_t i = 0; i < n; i++)
		nparts += w[i] == '-';
	size_t start = 0, at = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && w[i] != '-')
			continue;
		const uint32_t *seg = w + start;
		size_t sn = i - start;
		bool last = ++at == nparts;
		result r;
		char key[EV_DECL_MAX_WORD * 4 + 1];
		if (sn == 0 || sn > EV_DECL_MAX_WORD) {
			r = R_UNSURE;
		} else if (sn == 1) {
			/* One letter between hyphens (Ё-Р) is no name to decline,
			 * nor is its case pattern known (a capital, or ALL CAPS?). */
			r = R_UNSURE;
		} else if (!last && part != EV_PART_SURNAME) {
			/* Жан-Полю: only a given name's last part declines. */
			r = put(out, seg, sn) < 0 ? R_NOMEM : R_OK;
		} else {
			key_of(seg, sn, key);
			if (!last && find_exception(key, PART_PREFIX, EV_GENDER_UNKNOWN, DL_RU | DL_BE))
				r = put(out, seg, sn) < 0 ? R_NOMEM : R_OK;
			else
				r = inflect_all(seg, sn, (int)part, g, langs, c, out);
		}
		if (r != R_OK)
			return r;
		if (!last && ev_buf_putc(out, '-') < 0)
			return R_NOMEM;
		start = i + 1;
	}
	return R_OK;
}

/* The common ending: the result, or on unsure the (valid) input itself. */
static char *finish(ev_buf *out, result r, char *clean, bool bad, bool *unsure)
{
	if (r == R_NOMEM || out->failed) {
		ev_buf_free(out);
		free(clean);
		return NULL;
	}
	if (r == R_UNSURE || bad) {
		if (unsure)
			*unsure = true;
		ev_buf_free(out);
		return clean;
	}
	free(clean);
	return ev_buf_steal(out, NULL);
}

char *ev_decline(const char *word, ev_name_part part, ev_gender g, ev_lang lang,
                 ev_case c, bool *unsure)
{
	if (!word)
		return NULL;
	bool bad;
	char *clean = sanitize(word, &bad);
	if (!clean)
		return NULL;
	ev_buf out = {0};
	size_t len = strlen(clean);
	result r = len > EV_DECL_MAX_TEXT ? R_UNSURE
	         : decline_word(clean, len, part, g, langs_of(lang, clean), c, &out);
	return finish(&out, r, clean, bad, unsure);
}

/* The words of a text: byte spans between white space. */
typedef struct span {
	size_t at, len;
} span;

static size_t words(const char *s, span *w, size_t max)
{
	size_t n = strlen(s), m = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		uint32_t cp = ev_utf8_next(s, n, &j);
		if (ev_is_space(cp)) {
			i = j;
			continue;
		}
		if (m == max)
			return max + 1;
		w[m].at = i;
		for (i = j; i < n; i = j) {
			j = i;
			if (ev_is_space(ev_utf8_next(s, n, &j)))
				break;
		}
		w[m].len = i - w[m].at;
		m++;
	}
	return m;
}

/* Does the span hold one of the Turkic patronymic words (оглы, кызы)? */
static int turkic(const char *s, span w)
{
	static const char *const male[] = {"оглы", "улы", "уулу"};
	static const char *const female[] = {"кызы", "гызы"};
	uint32_t cps[8];
	char key[8 * 4 + 1];
	size_t n = decode(s + w.at, w.len, cps, N(cps));
	if (n == (size_t)-1)
		return 0;
	key_of(cps, n, key);
	for (size_t i = 0; i < N(male); i++)
		if (!strcmp(key, male[i]))
			return EV_GENDER_MALE;
	for (size_t i = 0; i < N(female); i++)
		if (!strcmp(key, female[i]))
			return EV_GENDER_FEMALE;
	return 0;
}

char *ev_decline_full(const char *full, ev_gender g, ev_lang lang, ev_case c,
                      bool *unsure)
{
	if (!full)
		return NULL;
	bool bad;
	char *clean = sanitize(full, &bad);
	if (!clean)
		return NULL;
	ev_buf out = {0};
	span w[5];
	size_t nw = strlen(clean) > EV_DECL_MAX_TEXT ? N(w) + 1 : words(clean, w, N(w));
	int tk = nw == 4 ? turkic(clean, w[3]) : 0;
	result r = R_OK;
	if (nw > 3 && !tk)
		r = R_UNSURE;       /* not "Surname Given Patronymic" */
	if (r == R_OK && g == EV_GENDER_UNKNOWN && tk)
		g = (ev_gender)tk;
	if (r == R_OK && g == EV_GENDER_UNKNOWN && nw) {
		char *sur = strndup(clean + w[0].at, w[0].len);
		char *pat = nw == 3 ? strndup(clean + w[2].at, w[2].len) : strdup("");
		const char *from;
		if (sur && pat)
			g = ev_gender_infer(pat, sur, &from);
		else
			r = R_NOMEM;
		free(sur);
		free(pat);
	}
	int langs = langs_of(lang, clean);
	size_t prev = 0;
	for (size_t i = 0; i < nw && r == R_OK; i++) {
		static const ev_name_part roles[] = {EV_PART_SURNAME, EV_PART_GIVEN,
		                                     EV_PART_PATRONYMIC, EV_PART_PATRONYMIC};
		if (ev_buf_append(&out, clean + prev, w[i].at - prev) < 0) {
			r = R_NOMEM;
			break;
		}
		/* "Гусейнов Гусейн Мамед оглы": the patronymic "Мамед оглы" stays,
		 * Гусейну Мамед оглы (declension.md 2.3). */
		ev_name_part part = roles[i];
		if (tk && i >= 2)
			r = ev_buf_append(&out, clean + w[i].at, w[i].len) < 0 ? R_NOMEM : R_OK;
		else
			r = decline_word(clean + w[i].at, w[i].len, part, g, langs, c, &out);
		prev = w[i].at + w[i].len;
	}
	if (r == R_OK && ev_buf_puts(&out, clean + prev) < 0)
		r = R_NOMEM;
	return finish(&out, r, clean, bad, unsure);
}

char *ev_decline_title(const char *text, ev_lang lang, ev_case c, bool *unsure)
{
	if (!text)
		return NULL;
	bool bad;
	char *clean = sanitize(text, &bad);
	if (!clean)
		return NULL;
	ev_buf out = {0};
	span w[2];
	/* Only the head word; "суда", "старшыні суда" after it stay. */
	size_t nw = strlen(clean) > EV_DECL_MAX_TEXT ? 0 : words(clean, w, 1);
	result r = R_OK;
	if (nw) {
		uint32_t cps[EV_DECL_MAX_WORD];
		size_t n = decode(clean + w[0].at, w[0].len, cps, N(cps));
		int langs = langs_of(lang, clean);
		r = ev_buf_append(&out, clean, w[0].at) < 0 ? R_NOMEM : R_OK;
		if (r == R_OK && c == EV_CASE_NOM)
			r = ev_buf_append(&out, clean + w[0].at, w[0].len) < 0 ? R_NOMEM : R_OK;
		else if (r == R_OK)
			r = n == (size_t)-1 ? R_UNSURE
			  : inflect_all(cps, n, PART_TITLE, EV_GENDER_UNKNOWN, langs, c, &out);
		if (r == R_OK && ev_buf_puts(&out, clean + w[0].at + w[0].len) < 0)
			r = R_NOMEM;
	} else if (strlen(clean) > EV_DECL_MAX_TEXT) {
		r = R_UNSURE;
	} else {
		r = ev_buf_puts(&out, clean) < 0 ? R_NOMEM : R_OK;
	}
	return finish(&out, r, clean, bad, unsure);
}
