/* scheme.c - the transliteration rule interpreter (scheme.h). Rules come
 * sorted from the generator: by first letter, longest first, then in file
 * order, so the first rule whose letters, language and context match wins. */
#include "scheme.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "buf.h"
#include "normalize.h"
#include "text.h"

#include "schemes.inc"

#define NSCHEMES (sizeof schemes / sizeof *schemes)

const ev_scheme *ev_scheme_find(const char *id)
{
	for (size_t i = 0; i < NSCHEMES; i++)
		if (!strcmp(schemes[i].id, id))
			return &schemes[i];
	return NULL;
}

size_t ev_scheme_count(void)
{
	return NSCHEMES;
}

const ev_scheme *ev_scheme_at(size_t i)
{
	return i < NSCHEMES ? &schemes[i] : NULL;
}

void ev_scheme_did_you_mean(ev_buf *hint, const char *id)
{
	const char *ids[NSCHEMES + 1];
	for (size_t i = 0; i < NSCHEMES; i++)
		ids[i] = schemes[i].id;
	ids[NSCHEMES] = "ascii";
	ev_did_you_mean(hint, id, ids, NSCHEMES + 1);
}

/* ---- letters ---- */

#define lower ev_lower
#define upper ev_upper
#define is_letter ev_is_letter

static bool in_set(uint32_t cp, const char *set, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint32_t c;
		size_t k = ev_utf8_decode(set + i, n - i, &c);
		if (!k)
			return false;
		if (c == cp)
			return true;
		i += k;
	}
	return false;
}

/* Any Cyrillic code point: the main block and Supplement (U+0400-U+052F),
 * Extended-C, -A and -B, the two modifier letters and the combining titlo
 * halves. None of them may pass into Latin text. */
static bool is_cyrillic(uint32_t cp)
{
	return ev_is_cyrillic(cp) || (cp >= 0x1C80 && cp <= 0x1C8F) ||
	       (cp >= 0x2DE0 && cp <= 0x2DFF) || (cp >= 0xA640 && cp <= 0xA69F) ||
	       cp == 0x1D2B || cp == 0x1D78 || cp == 0xFE2E || cp == 0xFE2F;
}

#define VOWELS "аеёиіоуыэюяєї"
#define SEPARATORS "ьъ\xE2\x80\x99"

static bool is_vowel(uint32_t cp)
{
	return in_set(cp, VOWELS, strlen(VOWELS));
}

static bool is_consonant(uint32_t cp)
{
	return ev_is_cyrillic(cp) && is_letter(cp) && !is_vowel(cp) &&
	       !in_set(cp, SEPARATORS, strlen(SEPARATORS));
}

/* Does one condition hold for prev (0 at the start of a word) and next
 * (0 at its end)? Unknown conditions never hold. */
static bool condition(const char *c, size_t n, uint32_t prev, uint32_t next)
{
	if ((n == 1 && *c == '*') || (n == 12 && !memcmp(c, "forward-only", 12)))
		return true;     /* forward-only: a row the reverse table leaves out */
	if (n == 5 && !memcmp(c, "start", 5))
		return prev == 0;
	if (n > 6 && !memcmp(c, "after:", 6)) {
		const char *arg = c + 6;
		size_t an = n - 6;
		if (an == 1 && *arg == 'V')
			return prev && is_vowel(prev);
		if (an == 1 && *arg == 'C')
			return prev && is_consonant(prev);
		if (an == 1 && *arg == 'S')
			return prev && in_set(prev, SEPARATORS, strlen(SEPARATORS));
		return prev && in_set(prev, arg, an);
	}
	if (n > 7 && !memcmp(c, "before:", 7))
		return next && in_set(next, c + 7, n - 7);
	if (n > 11 && !memcmp(c, "not-before:", 11))
		return !next || !in_set(next, c + 11, n - 11);
	return false;
}

static bool context(const char *ctx, uint32_t prev, uint32_t next)
{
	if (ctx[0] == '*' && !ctx[1])
		return true;     /* most rules: no conditions */
	for (const char *c = ctx;;) {
		const char *comma = strchr(c, ',');
		size_t n = comma ? (size_t)(comma - c) : strlen(c);
		if (!condition(c, n, prev, next))
			return false;
		if (!comma)
			return true;
		c = comma + 1;
	}
}

/* Does the rule's `from` match the lower-cased code points at cps[i..n)?
 * Returns the number of code points matched, 0 if not. */
static size_t match(const char *from, const uint32_t *cps, size_t i, size_t n)
{
	size_t len = strlen(from), k = 0;
	for (size_t b = 0; b < len;) {
		uint32_t c;
		size_t step = ev_utf8_decode(from + b, len - b, &c);
		if (!step || i + k >= n || lower(cps[i + k]) != c)
			return 0;
		b += step;
		k++;
	}
	return k;
}

/* First rule with this first letter (binary search), or n. */
static size_t first_rule(const ev_rule *r, size_t n, uint32_t first)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r[mid].first < first)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

#define TIE 0x0361   /* combining double inverted breve: i͡a, t͡s */

/* Append s with the case of the source: all upper, first upper, or as is.
 * First upper also capitalises the letter tied to the first one (ALA-LC:
 * Я -> I͡A, Ц -> T͡S, as in the LC headings "Kolas, I︠A︡kub"). */
static void put_cased(ev_buf *b, const char *s, int mode)
{
	size_t n = strlen(s);
	if (mode == 0) {
		ev_buf_append(b, s, n);     /* as is */
		return;
	}
	bool done = false, tied = false;
	size_t letters = 0;      /* base letters so far (not marks) */
	for (size_t i = 0; i < n;) {
		uint32_t c;
		size_t k = ev_utf8_decode(s + i, n - i, &c);
		if (!k)
			break;
		bool up = mode == 2 || (mode == 1 && !done && is_letter(c)) || tied;
		tied = mode == 1 && c == TIE && letters == 1;
		letters += utf8proc_category((utf8proc_int32_t)c) <= UTF8PROC_CATEGORY_LO &&
		           is_letter(c);
		if (up) {
			char tmp[4];
			size_t w = ev_utf8_encode(upper(c), tmp);
			ev_buf_append(b, tmp, w);
		} else {
			ev_buf_append(b, s + i, k);
		}
		if (is_letter(c))
			done = true;
		i += k;
	}
}

/* ---- words ---- */

static bool word_all_caps(const uint32_t *cps, size_t from, size_t to)
{
	size_t up = 0;
	for (size_t i = from; i < to; i++) {
		if (lower(cps[i]) != cps[i])
			up++;
		else if (upper(cps[i]) != cps[i])
			return false;
	}
	return up >= 2;
}

static const ev_scheme *fallback(void)
{
	return ev_scheme_find("iso9");
}

/* The rule for cps[i] in scheme s, or NULL; *len gets the letters matched. */
static const ev_rule *find_rule(const ev_scheme *s, bool reverse, unsigned langbit,
                                const uint32_t *cps, size_t from, size_t i,
                                size_t to, size_t *len)
{
	const ev_rule *r = reverse ? s->rev : s->fwd;
	size_t n = reverse ? s->nrev : s->nfwd;
	uint32_t lc = lower(cps[i]);
	for (size_t k = first_rule(r, n, lc); k < n && r[k].first == lc; k++) {
		if (!(r[k].lang & langbit))
			continue;
		size_t m = match(r[k].from, cps, i, to);
		if (!m)
			continue;
		uint32_t prev = i > from ? lower(cps[i - 1]) : 0;
		uint32_t next = i + m < to ? lower(cps[i + m]) : 0;
		if (!reverse && !context(r[k].ctx, prev, next))
			continue;
		*len = m;
		return &r[k];
	}
	return NULL;
}

/* The scheme for a word of language wl: Russian words go by ru, the others
 * by be; Ukrainian ones by the scheme be (or ru) names in its "uk:" header
 * (uk-national for the passport and national styles), else by be's own rows. */
static const ev_scheme *word_scheme(const ev_scheme *be, const ev_scheme *ru,
                                    ev_lang wl)
{
	if (wl == EV_LANG_RU)
		return ru;
	if (wl == EV_LANG_UK) {
		const char *id = be->uk ? be->uk : ru->uk;
		const ev_scheme *d = id ? ev_scheme_find(id) : NULL;
		if (d)
			return d;
	}
	return be;
}

/* One word cps[from..to) forward, with the scheme for its language. */
static void word_forward(ev_buf *b, const ev_scheme *be, const ev_scheme *ru,
                         const uint32_t *cps, size_t from, size_t to, ev_lang lang)
{
	ev_lang wl = ev_lang_of_letters(cps + from, to - from, lang);
	unsigned bit = wl == EV_LANG_RU ? EV_BIT_RU : wl == EV_LANG_UK ? EV_BIT_UK
	             : EV_BIT_BE;
	const ev_scheme *s = word_scheme(be, ru, wl);
	bool caps = word_all_caps(cps, from, to);
	for (size_t i = from; i < to;) {
		size_t m = 0;
		const ev_rule *r = NULL;
		bool cyr = is_cyrillic(cps[i]);
		if (cyr || cps[i] == 0x2019) {
			/* The word's language, the scheme's other tables (file
			 * order), then ISO 9, which has a row for every letter. */
			r = find_rule(s, false, bit, cps, from, i, to, &m);
			if (!r)
				r = find_rule(s, false, EV_BIT_ALL ^ bit, cps, from, i, to, &m);
			if (!r && fallback() && fallback() != s)
				r = find_rule(fallback(), false, EV_BIT_ALL, cps, from, i, to, &m);
		}
		if (!r) {
			/* A Cyrillic sign no table knows (an unassigned code point)
			 * is left out rather than let into Latin text. */
			char tmp[4];
			if (!cyr)
				ev_buf_append(b, tmp, ev_utf8_encode(cps[i], tmp));
			i++;
			continue;
		}
		int mode = caps ? 2 : lower(cps[i]) != cps[i] ? 1 : 0;
		put_cased(b, r->to, mode);
		i += m;
	}
}

/* The Cyrillic letter last written to b (lower case), or 0. */
static uint32_t last_written(const ev_buf *b, size_t word_start)
{
	if (b->len <= word_start)
		return 0;
	size_t i = b->len - 1;
	while (i > word_start && ((unsigned char)b->data[i] & 0xC0) == 0x80)
		i--;
	uint32_t c;
	return ev_utf8_decode(b->data + i, b->len - i, &c) ? lower(c) : 0;
}

/* One word cps[from..to) backward (Latin to Cyrillic). */
static void word_reverse(ev_buf *b, const ev_scheme *s, const uint32_t *cps,
                         size_t from, size_t to, unsigned bit)
{
	bool caps = word_all_caps(cps, from, to);
	size_t start = b->len;
	for (size_t i = from; i < to;) {
		size_t m = 0;
		const ev_rule *r = find_rule(s, true, bit, cps, from, i, to, &m);
		if (!r) {
			char tmp[4];
			ev_buf_append(b, tmp, ev_utf8_encode(cps[i], tmp));
			i++;
			continue;
		}
		/* A j-form after a hard consonant had an apostrophe (Darja). */
		uint32_t prev = last_written(b, start);
		if (!strcmp(r->ctx, "jform") && prev && is_consonant(prev) &&
		    prev != 0x439 && prev != 0x45E)
			ev_buf_puts(b, EV_APOSTROPHE);
		int mode = caps ? 2 : lower(cps[i]) != cps[i] ? 1 : 0;
		put_cased(b, r->to, mode);
		i += m;
	}
}

/* Belarusian when the Latin text has a letter only the Belarusian table
 * writes, else Russian. */
static unsigned guess_reverse_lang(const ev_scheme *s, const uint32_t *cps, size_t n)
{
	for (size_t k = 0; k < s->nrev; k++) {
		if (s->rev[k].lang != 2)
			continue;
		bool shared = false;
		for (size_t j = 0; j < s->nrev && !shared; j++)
			shared = s->rev[j].lang == 1 && !strcmp(s->rev[j].from, s->rev[k].from);
		if (shared)
			continue;
		for (size_t i = 0; i < n; i++)
			if (match(s->rev[k].from, cps, i, n))
				return 2;
	}
	return 1;
}

static bool in_word(const uint32_t *cps, size_t i, size_t n, bool reverse)
{
	uint32_t c = cps[i];
	if (is_letter(c))
		return true;
	/* Apostrophes inside words; in Latin also the scheme's signs. */
	bool sign = c == 0x2019 || c == 0x27 || c == 0x60 || c == 0x2B9 ||
	            c == 0x2BA || c == 0x201D;
	if (!reverse && is_cyrillic(c))
		return true;     /* ҂ and the like: a table decides */
	return sign && (reverse || (i > 0 && i + 1 < n && is_letter(cps[i + 1])));
}

static bool has_ukrainian_letter(const uint32_t *cps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t c = lower(cps[i]);
		if (c == 0x457 || c == 0x454 || c == 0x491)   /* ї є ґ */
			return true;
	}
	return false;
}

/* undecided: the language of a text none of whose words decides. The
 * result is appended to b; -1 when out of memory. */
static int run_into(ev_buf *b, const ev_scheme *s, const ev_scheme *ru,
                    const char *text, ev_lang lang, bool reverse, ev_lang undecided)
{
	size_t n = strlen(text);
	/* Invalid bytes become U+FFFD, so the rest is still transliterated. */
	ev_buf clean = {0};
	if (ev_utf8_invalid_at(text, n) != (size_t)-1) {
		for (size_t i = 0; i < n;) {
			uint32_t c;
			size_t k = ev_utf8_decode(text + i, n - i, &c);
			if (k)
				ev_buf_append(&clean, text + i, k);
			else
				ev_buf_puts(&clean, "\xEF\xBF\xBD");
			i += k ? k : 1;
		}
		if (ev_buf_putc(&clean, '\0') < 0) {
			ev_buf_free(&clean);
			return -1;
		}
		text = clean.data;
		n = clean.len - 1;
	}
	uint32_t buf[EV_NORMALIZE_STACK], *cps;
	size_t m;
	int rc = ev_normalize_cps(text, n, NULL, buf, &cps, &m);
	ev_buf_free(&clean);
	if (rc < 0)
		return -1;
	/* Words without a deciding letter follow the text's language (per
	 * document, translit.md 8.1), else the one-language scheme's, else BE. */
	if (lang == EV_LANG_UNKNOWN && !reverse) {
		lang = ev_lang_of_letters(cps, m, EV_LANG_UNKNOWN);
		/* A text is Ukrainian by a letter only Ukrainian has, not by і
		 * and и in different words (Belarusian and Russian side by side). */
		if (lang == EV_LANG_UK && !has_ukrainian_letter(cps, m))
			lang = EV_LANG_BE;
		if (lang == EV_LANG_UNKNOWN)
			lang = undecided;
	}
	unsigned rbit = lang == EV_LANG_RU ? 1 : lang == EV_LANG_BE ? 2
	              : reverse ? guess_reverse_lang(s, cps, m) : 2;
	for (size_t i = 0; i < m;) {
		if (!in_word(cps, i, m, reverse)) {
			char tmp[4];
			ev_buf_append(b, tmp, ev_utf8_encode(cps[i], tmp));
			i++;
			continue;
		}
		size_t j = i;
		while (j < m && in_word(cps, j, m, reverse))
			j++;
		if (reverse)
			word_reverse(b, s, cps, i, j, rbit);
		else
			word_forward(b, s, ru, cps, i, j, lang == EV_LANG_UNKNOWN ? EV_LANG_BE : lang);
		i = j;
	}
	if (cps != buf)
		free(cps);
	return b->failed ? -1 : 0;
}

static char *run(const ev_scheme *s, const ev_scheme *ru, const char *text,
                 ev_lang lang, bool reverse, ev_lang undecided)
{
	ev_buf b = {0};
	if (run_into(&b, s, ru, text, lang, reverse, undecided) < 0 ||
	    ev_buf_putc(&b, '\0') < 0) {
		ev_buf_free(&b);
		return NULL;
	}
	return ev_buf_steal(&b, NULL);
}

/* A one-language scheme's sibling for words of the other language: the
 * same family's table where there is one (BGN/PCGN, the passport styles). */
static const ev_scheme *sibling(const ev_scheme *s)
{
	static const char *const pairs[][2] = {
		{"bgn-pcgn-ru", "bgn-pcgn-be"}, {"icao-ru", "by-passport"},
	};
	for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
		for (int k = 0; k < 2; k++)
			if (!strcmp(s->id, pairs[i][k]))
				return ev_scheme_find(pairs[i][1 - k]);
	return s;
}

char *ev_translit(const ev_scheme *s, const char *text, ev_lang lang,
                  bool reverse)
{
	if (reverse && !s->rev)
		return NULL;
	unsigned both = EV_BIT_BE | EV_BIT_RU;
	if (reverse || (s->langs & both) == both)
		return run(s, s, text, lang, reverse, EV_LANG_BE);
	/* Belarusian only; Russian only (whose undecided texts are Russian);
	 * Ukrainian only (uk-national reads every word as Ukrainian). */
	if (s->langs & EV_BIT_BE)
		return run(s, sibling(s), text, lang, false, EV_LANG_BE);
	if (s->langs & EV_BIT_RU)
		return run(sibling(s), s, text, lang, false, EV_LANG_RU);
	return run(s, s, text, lang, false, EV_LANG_UK);
}

char *ev_translit_by_lang(const ev_scheme *be, const ev_scheme *ru,
                          const char *text, ev_lang lang)
{
	return run(be, ru, text, lang, false, EV_LANG_BE);
}

int ev_translit_by_lang_into(ev_buf *out, const ev_scheme *be, const ev_scheme *ru,
                             const char *text, ev_lang lang)
{
	return run_into(out, be, ru, text, lang, false, EV_LANG_BE);
}

/* ---- the memo ---- */

#define MEMO_SLOTS 512           /* a power of two */
#define MEMO_TEXT 64
#define MEMO_OUT 160

struct memo_slot {
	uint64_t hash;
	const ev_scheme *be, *ru;
	ev_lang lang;
	unsigned char len;           /* 0: empty */
	unsigned char out_len;
	char text[MEMO_TEXT];
	char out[MEMO_OUT];
};

struct ev_translit_memo {
	struct memo_slot v[MEMO_SLOTS];
};

ev_translit_memo *ev_translit_memo_new(void)
{
	return calloc(1, sizeof(ev_translit_memo));   /* pages touched as used */
}

void ev_translit_memo_free(ev_translit_memo *m)
{
	free(m);
}

int ev_translit_memo_into(ev_translit_memo *m, ev_buf *out, const ev_scheme *be,
                          const ev_scheme *ru, const char *text, ev_lang lang)
{
	size_t n = strlen(text);
	if (!m || n == 0 || n > MEMO_TEXT)
		return ev_translit_by_lang_into(out, be, ru, text, lang);
	uint64_t h = ev_hash(text, n, EV_HASH_START ^ (uint64_t)lang);
	struct memo_slot *e = &m->v[h & (MEMO_SLOTS - 1)];
	if (e->len == n && e->hash == h && e->be == be && e->ru == ru && e->lang == lang &&
	    !memcmp(e->text, text, n))
		return ev_buf_append(out, e->out, e->out_len);
	size_t before = out->len;
	if (ev_translit_by_lang_into(out, be, ru, text, lang) < 0)
		return -1;
	size_t k = out->len - before;
	if (k <= MEMO_OUT) {
		*e = (struct memo_slot){.hash = h, .be = be, .ru = ru, .lang = lang,
		                        .len = (unsigned char)n, .out_len = (unsigned char)k};
		memcpy(e->text, text, n);
		memcpy(e->out, out->data + before, k);
	}
	return 0;
}

/* Latin letters and signs that do not decompose to ASCII, and their ASCII
 * (src/data/ascii-fold.tsv). */
static const struct { const char *from, *to; } folds[] = {
#include "ascii-fold.inc"
};

char *ev_ascii(const char *latin)
{
	utf8proc_uint8_t *folded = NULL;
	utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)latin, 0, &folded,
	                                  UTF8PROC_NULLTERM | UTF8PROC_DECOMPOSE |
	                                  UTF8PROC_COMPAT | UTF8PROC_STRIPMARK);
	if (r < 0)
		return NULL;
	ev_buf b = {0};
	for (size_t i = 0; i < (size_t)r;) {
		uint32_t c;
		size_t k = ev_utf8_decode((const char *)folded + i, (size_t)r - i, &c);
		if (!k)
			k = 1, c = 0xFFFD;
		if (c >= 0x20 && c < 0x7F) {
			ev_buf_putc(&b, (char)c);
		} else {
			for (size_t f = 0; f < sizeof folds / sizeof *folds; f++) {
				uint32_t fc;
				ev_utf8_decode(folds[f].from, strlen(folds[f].from), &fc);
				if (fc == c) {
					ev_buf_puts(&b, folds[f].to);
					break;
				}
			}
		}
		i += k;
	}
	free(folded);
	if (ev_buf_putc(&b, '\0') < 0) {
		ev_buf_free(&b);
		return NULL;
	}
	return ev_buf_steal(&b, NULL);
}
