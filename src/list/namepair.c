/* namepair.c - given names and patronymics across Belarusian and Russian
 * (namepair.h). The pairs are data (given-names.tsv, with each man's name's
 * patronymics); here are only the matching, the suffix rules and the
 * case pattern. */
#include "namepair.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "buf.h"
#include "text.h"

typedef struct name_row {
	const char *be, *ru;
	char gender;
	const char *patr_be, *patr_ru;   /* male patronymics, "" when none */
} name_row;

static const name_row names[] = {
#include "given-names.inc"
};

#define NNAMES (sizeof names / sizeof *names)
#define NAME_MAX_BYTES 256

/* ---- keys: lower case, one apostrophe, optionally е for ё ---- */

static bool is_apostrophe(uint32_t cp)
{
	return cp == '\'' || cp == 0x2019 || cp == 0x02BC;
}

/* The key of s into out (size NAME_MAX_BYTES); loose also folds ё to е.
 * Returns false when s is too long or not UTF-8. */
static bool key_of(const char *s, bool loose, char *out)
{
	size_t n = strlen(s), o = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = ev_utf8_decode(s + i, n - i, &cp);
		if (!k)
			return false;
		i += k;
		cp = is_apostrophe(cp) ? '\'' : (uint32_t)utf8proc_tolower((utf8proc_int32_t)cp);
		if (loose && cp == 0x0451)
			cp = 0x0435;
		if (o + 4 >= NAME_MAX_BYTES)
			return false;
		o += ev_utf8_encode(cp, out + o);
	}
	out[o] = '\0';
	return true;
}

/* ---- the input's look, given to the output ---- */

typedef enum { CASE_TITLE, CASE_UPPER, CASE_LOWER } case_pattern;

typedef struct look {
	case_pattern cas;
	uint32_t apostrophe;   /* the input's, or 0 */
} look;

static look look_of(const char *s)
{
	size_t n = strlen(s), letters = 0, upper = 0, lower = 0;
	bool first_upper = false;
	look l = {CASE_TITLE, 0};
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = ev_utf8_decode(s + i, n - i, &cp);
		if (!k)
			break;
		i += k;
		if (is_apostrophe(cp) && !l.apostrophe)
			l.apostrophe = cp;
		utf8proc_int32_t c = (utf8proc_int32_t)cp;
		if (utf8proc_tolower(c) == c && utf8proc_toupper(c) == c)
			continue;
		if (utf8proc_toupper(c) == c) {
			upper++;
			first_upper |= letters == 0;
		} else {
			lower++;
		}
		letters++;
	}
	if (letters > 1 && upper == letters)
		l.cas = CASE_UPPER;
	else if (letters && !first_upper && upper == 0)
		l.cas = CASE_LOWER;
	(void)lower;
	return l;
}

/* s (the dictionary's form, or a stem and a suffix) in look l onto b. */
static int put_in_look(ev_buf *b, const char *s, look l)
{
	size_t n = strlen(s);
	bool first = true;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = ev_utf8_decode(s + i, n - i, &cp);
		if (!k)
			return -1;
		i += k;
		utf8proc_int32_t c = (utf8proc_int32_t)cp;
		if (is_apostrophe(cp) && l.apostrophe)
			c = (utf8proc_int32_t)l.apostrophe;
		else if (l.cas == CASE_UPPER || (l.cas == CASE_TITLE && first))
			c = utf8proc_toupper(c);
		else
			c = utf8proc_tolower(c);
		first = false;
		char enc[4];
		if (ev_buf_append(b, enc, ev_utf8_encode((uint32_t)c, enc)) < 0)
			return -1;
	}
	return 0;
}

static char *finish(ev_buf *b)
{
	if (ev_buf_putc(b, '\0') < 0) {
		ev_buf_free(b);
		return NULL;
	}
	return ev_buf_steal(b, NULL);
}

static char *unchanged(const char *s, bool *known)
{
	if (known)
		*known = false;
	return strdup(s);
}

/* ---- given names ---- */

static const char *name_col(const name_row *r, ev_lang l)
{
	return l == EV_LANG_RU ? r->ru : r->be;
}

/* The first row whose form in language l has key k (made with loose). */
static const name_row *find_name(const char *k, ev_lang l, bool loose)
{
	char rk[NAME_MAX_BYTES];
	for (size_t i = 0; i < NNAMES; i++)
		if (key_of(name_col(&names[i], l), loose, rk) && !strcmp(rk, k))
			return &names[i];
	return NULL;
}

char *ev_given_name_in(const char *given, ev_lang to, bool *known)
{
	if (!given)
		return NULL;
	if (to != EV_LANG_RU && to != EV_LANG_BE)
		return unchanged(given, known);
	ev_lang from = to == EV_LANG_RU ? EV_LANG_BE : EV_LANG_RU;
	char exact[NAME_MAX_BYTES], loose[NAME_MAX_BYTES];
	if (!key_of(given, false, exact) || !key_of(given, true, loose))
		return unchanged(given, known);
	/* The other language's form, spelt exactly (Алена is Елена), then
	 * with е for ё (Семен is Семён); then a name already in the form of
	 * `to`, which stays as it is. */
	const name_row *r = find_name(exact, from, false);
	if (!r)
		r = find_name(loose, from, true);
	if (!r && (find_name(exact, to, false) || find_name(loose, to, true))) {
		if (known)
			*known = true;
		return strdup(given);
	}
	if (!r)
		return unchanged(given, known);
	ev_buf b = {0};
	if (put_in_look(&b, name_col(r, to), look_of(given)) < 0) {
		ev_buf_free(&b);
		return NULL;
	}
	if (known)
		*known = true;
	return finish(&b);
}

/* ---- patronymics ---- */

/* The suffix classes: -авіч (unstressed), -овіч/-ович, -евіч/-евич, -іч/-ич. */
typedef enum { SUF_A, SUF_O, SUF_E, SUF_I } suffix_class;

typedef struct suffix {
	const char *text;
	suffix_class cls;
	bool female;
} suffix;

/* Longest first within each language; what they are written as, too (the
 * first of a class and gender is the one written). */
static const suffix suffixes_be[] = {
	{"інічна", SUF_I, true}, {"ынічна", SUF_I, true},
	{"аўна", SUF_A, true}, {"оўна", SUF_O, true}, {"еўна", SUF_E, true},
	{"авіч", SUF_A, false}, {"овіч", SUF_O, false}, {"евіч", SUF_E, false},
	{"іч", SUF_I, false}, {"ыч", SUF_I, false},
};
static const suffix suffixes_ru[] = {
	{"инична", SUF_I, true}, {"ична", SUF_I, true},
	{"овна", SUF_O, true}, {"евна", SUF_E, true},
	{"ович", SUF_O, false}, {"евич", SUF_E, false}, {"ич", SUF_I, false},
};

typedef struct split {
	size_t stem;          /* bytes of the stem */
	suffix_class cls;
	bool female;
} split;

/* s (a key or a dictionary form, lower case for the suffix) split into
 * stem and suffix by language l's rules; false when none fits or no stem
 * is left. */
static bool split_patronymic(const char *s, ev_lang l, split *out)
{
	const suffix *t = l == EV_LANG_RU ? suffixes_ru : suffixes_be;
	size_t nt = l == EV_LANG_RU ? sizeof suffixes_ru / sizeof *suffixes_ru
	                            : sizeof suffixes_be / sizeof *suffixes_be;
	size_t n = strlen(s);
	for (size_t i = 0; i < nt; i++) {
		size_t k = strlen(t[i].text);
		if (n > k && !strcmp(s + n - k, t[i].text)) {
			*out = (split){n - k, t[i].cls, t[i].female};
			return true;
		}
	}
	return false;
}

static const char *suffix_text(ev_lang l, suffix_class c, bool female)
{
	/* Russian has no unstressed -а- class: -авіч is -ович. */
	if (l == EV_LANG_RU && c == SUF_A)
		c = SUF_O;
	const suffix *t = l == EV_LANG_RU ? suffixes_ru : suffixes_be;
	size_t nt = l == EV_LANG_RU ? sizeof suffixes_ru / sizeof *suffixes_ru
	                            : sizeof suffixes_be / sizeof *suffixes_be;
	for (size_t i = 0; i < nt; i++)
		if (t[i].cls == c && t[i].female == female)
			return t[i].text;
	return NULL;
}

static const char *patr_col(const name_row *r, ev_lang l)
{
	return l == EV_LANG_RU ? r->patr_ru : r->patr_be;
}

/* The first man's name whose patronymic in language l has the stem key
 * (the first stem bytes of k) and class of sp; loose as in key_of. */
static const name_row *find_father(const char *k, const split *sp, ev_lang l,
                                   bool loose)
{
	char rk[NAME_MAX_BYTES];
	for (size_t i = 0; i < NNAMES; i++) {
		split rs;
		const char *p = patr_col(&names[i], l);
		if (*p && key_of(p, loose, rk) && split_patronymic(rk, l, &rs) &&
		    rs.stem == sp->stem && rs.cls == sp->cls && !memcmp(rk, k, rs.stem))
			return &names[i];
	}
	return NULL;
}

char *ev_patronymic_in(const char *patronymic, ev_lang to, bool *known)
{
	if (!patronymic)
		return NULL;
	if (to != EV_LANG_RU && to != EV_LANG_BE)
		return unchanged(patronymic, known);
	ev_lang from = to == EV_LANG_RU ? EV_LANG_BE : EV_LANG_RU;
	char exact[NAME_MAX_BYTES], loose[NAME_MAX_BYTES];
	if (!key_of(patronymic, false, exact) || !key_of(patronymic, true, loose))
		return unchanged(patronymic, known);
	/* As for given names: the other language's spelling, exact then
	 * loose; then one already in the form of `to`. */
	split sp;
	const name_row *r = NULL;
	if (split_patronymic(exact, from, &sp) && !(r = find_father(exact, &sp, from, false)))
		r = find_father(loose, &sp, from, true);
	if (!r) {
		split st;
		if (split_patronymic(exact, to, &st) &&
		    (find_father(exact, &st, to, false) || find_father(loose, &st, to, true))) {
			if (known)
				*known = true;
			return strdup(patronymic);
		}
		return unchanged(patronymic, known);
	}
	/* The father's name's patronymic in `to`: its stem, and the suffix
	 * of its class in the input's gender. */
	const char *p = patr_col(r, to);
	char pk[NAME_MAX_BYTES], stem[NAME_MAX_BYTES];
	split tp;
	if (!key_of(p, false, pk) || !split_patronymic(pk, to, &tp))
		return unchanged(patronymic, known);
	const char *suf = suffix_text(to, tp.cls, sp.female);
	/* The dictionary's form keeps its ё; a Belarusian -авіч stem stays
	 * -а- in Russian only through the class (Іванавіч -> Иванович). */
	memcpy(stem, pk, tp.stem);
	stem[tp.stem] = '\0';
	ev_buf whole = {0};
	if (ev_buf_puts(&whole, stem) < 0 || ev_buf_puts(&whole, suf) < 0 ||
	    ev_buf_putc(&whole, '\0') < 0) {
		ev_buf_free(&whole);
		return NULL;
	}
	ev_buf b = {0};
	int rc = put_in_look(&b, whole.data, look_of(patronymic));
	ev_buf_free(&whole);
	if (rc < 0) {
		ev_buf_free(&b);
		return NULL;
	}
	if (known)
		*known = true;
	return finish(&b);
}
