/* encoding.c - a recipient list's bytes to UTF-8 (see encoding.h).
 * A byte-order mark decides first; bytes that are UTF-8 stay as they are;
 * otherwise the Cyrillic code page whose letters read most like Russian and
 * Belarusian names and addresses wins. glibc iconv converts; we only judge.
 */
#include "encoding.h"

#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

typedef struct { const char *left, *right; } pair;

/* letter -> how often it occurs, in hundredths of a percent */
static const pair letter_freq[] = {
#include "letter-freq.inc"
};

static const struct {
	const char *name;   /* for people */
	const char *iconv;  /* for iconv_open */
} codecs[] = {
	[EV_ENC_AUTO] = {"auto", NULL},
	[EV_ENC_UTF8] = {"UTF-8", "UTF-8"},
	[EV_ENC_UTF16LE] = {"UTF-16LE", "UTF-16LE"},
	[EV_ENC_UTF16BE] = {"UTF-16BE", "UTF-16BE"},
	[EV_ENC_CP1251] = {"Windows-1251", "CP1251"},
	[EV_ENC_KOI8R] = {"KOI8-R", "KOI8-R"},
	[EV_ENC_CP866] = {"CP866", "CP866"},
};
#define NCODECS (sizeof codecs / sizeof codecs[0])

static const struct {
	const char *alias;
	ev_encoding enc;
} aliases[] = {
	{"auto", EV_ENC_AUTO},
	{"utf8", EV_ENC_UTF8}, {"utf-8", EV_ENC_UTF8},
	{"utf-16le", EV_ENC_UTF16LE}, {"utf16le", EV_ENC_UTF16LE},
	{"utf-16be", EV_ENC_UTF16BE}, {"utf16be", EV_ENC_UTF16BE},
	{"cp1251", EV_ENC_CP1251}, {"windows-1251", EV_ENC_CP1251},
	{"win1251", EV_ENC_CP1251}, {"1251", EV_ENC_CP1251},
	{"koi8-r", EV_ENC_KOI8R}, {"koi8r", EV_ENC_KOI8R},
	{"cp866", EV_ENC_CP866}, {"ibm866", EV_ENC_CP866},
	{"866", EV_ENC_CP866}, {"dos", EV_ENC_CP866},
};

/* The code pages detection chooses among, in the order that wins a tie
 * (Excel on Windows saves Windows-1251; KOI8-R and CP866 are older). */
static const ev_encoding candidates[] = {EV_ENC_CP1251, EV_ENC_KOI8R, EV_ENC_CP866};
#define NCAND 3

/* Detection scores, in nats per non-ASCII byte. A Russian or Belarusian
 * letter scores ln(n p): its log-likelihood against the n letters of
 * letter-freq.tsv being equally likely, so common letters score above 0 and
 * rare ones below. Everything else costs: what a list may hold (quotes,
 * dashes, No.) a little, other signs more, and what no list holds (box
 * drawings, letters of other languages, bytes the code page lacks) a lot. */
#define SCORE_PUNCT (-1.5)
#define SCORE_SYMBOL (-4.0)
#define SCORE_FOREIGN (-5.0)
#define SCORE_GRAPHIC (-10.0)
#define SCORE_UNDEFINED (-10.0)
/* Word-shape penalties, per pair of neighbouring characters: "иБЮМНБЮ" (an
 * uppercase letter right after a lowercase one) is what Windows-1251 read as
 * KOI8-R looks like, and a Cyrillic letter touching a Latin one is what
 * Latin-1 text read as Cyrillic looks like. Latin i and I are spared: DOS
 * and KOI8-R have no і, and Belarusian text in them writes i instead. */
#define CASE_PENALTY 4.0
#define MIX_PENALTY 4.0
/* The best code page must average above this, or the file is refused.
 * Text in its own code page averages from -0.4 (a short word of rare
 * letters, "Жук") to +0.8, whole lists 0.1 to 0.5; the best reading of
 * German or French in Latin-1 scores below -6, random bytes about -3.4. */
#define PLAUSIBLE (-2.0)
/* Invalid UTF-8 is still UTF-8 (damaged) while valid multi-byte sequences
 * outnumber invalid bytes this many times. Text in a code page forms valid
 * sequences only by accident: the worst seen, the bench list in CP866, has
 * one for every nine invalid bytes. */
#define DAMAGED_RATIO 4u
/* The UTF-16 hint looks at the NULs in this many first bytes. */
#define HINT_WINDOW (64u * 1024u)
/* A source line longer than this is not attached to a diagnostic. */
#define SOURCE_MAX 400u

struct dec {
	const char *file;
	ev_diags *d;
	const char *data;   /* input after any byte-order mark */
	size_t len;
	char *buf;          /* output: cap + 1 bytes, n used */
	size_t cap, n;
	bool borrow;        /* UTF-8 input is not copied into buf */
};

const char *ev_encoding_name(ev_encoding e)
{
	return (unsigned)e < NCODECS ? codecs[e].name : "unknown";
}

/* ASCII-only comparison ignoring case: strcasecmp follows the locale. */
static bool same_ascii(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
		char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
		if (x != y)
			return false;
	}
	return *a == *b;
}

int ev_encoding_parse(const char *s, ev_encoding *out)
{
	if (!s)
		return -1;
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (same_ascii(s, aliases[i].alias)) {
			*out = aliases[i].enc;
			return 0;
		}
	return -1;
}

void ev_decoded_free(ev_decoded *x)
{
	if (!x)
		return;
	if (!x->borrowed)
		free((char *)x->text);
	*x = (ev_decoded){0};
}

/* ---- diagnostics ---------------------------------------------------- */

/* Line and column (1-based, in characters) of offset `at` of s (n bytes
 * in all, so a CR can see whether an LF follows), and where its line starts. */
static void locate(const char *s, size_t at, size_t n, long *line, long *col,
                   size_t *start)
{
	long ln = 1;
	size_t st = 0;
	for (size_t i = 0; i < at; i++)
		if (s[i] == '\n' || (s[i] == '\r' && !(i + 1 < n && s[i + 1] == '\n'))) {
			ln++;
			st = i + 1;
		}
	*line = ln;
	*col = (long)ev_utf8_count(s + st, at - st) + 1;
	*start = st;
}

static int fail_at(struct dec *x, const char *text, size_t at, size_t n,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* One error at offset `at` of text, with the line up to there attached for
 * a caret when it is short and readable. Returns -1. */
static int fail_at(struct dec *x, const char *text, size_t at, size_t n,
                   const char *fmt, ...)
{
	long line = 0, col = 0;
	size_t start = 0;
	if (text)
		locate(text, at, n, &line, &col, &start);
	va_list ap;
	va_start(ap, fmt);
	int r = ev_diag_addv(x->d, EV_ERROR, x->file, line, col, NULL, fmt, ap);
	va_end(ap);
	if (r == 0 && text && at > start && at - start <= SOURCE_MAX &&
	    ev_utf8_invalid_at(text + start, at - start) == (size_t)-1)
		ev_diag_set_source(x->d, text + start, at - start);
	return -1;
}

static int out_of_memory(struct dec *x)
{
	return fail_at(x, NULL, 0, 0, "out of memory while decoding the recipient list");
}

/* "utf-16le" or "utf-16be" when the NULs near the start sit on one side of
 * each byte pair, as the high bytes of ASCII in UTF-16 do; NULL when they
 * look like a binary file's. */
static const char *utf16_hint(const char *s, size_t n)
{
	size_t even = 0, odd = 0, m = n < HINT_WINDOW ? n : HINT_WINDOW;
	for (size_t i = 0; i < m; i++)
		if (!s[i])
			*(i % 2 ? &odd : &even) += 1;
	if (odd >= 2 && even * 8 <= odd)
		return "utf-16le";
	if (even >= 2 && odd * 8 <= even)
		return "utf-16be";
	return NULL;
}

/* A NUL byte in the raw bytes (NUL at offset `at` of text). */
static int fail_nul(struct dec *x, const char *text, size_t at, size_t n)
{
	const char *hint = utf16_hint(x->data, x->len);
	if (hint)
		return fail_at(x, text, at, n, "not a text file: it contains a NUL byte "
		               "(if it is UTF-16 text without a byte-order mark, give "
		               "--encoding %s; otherwise save the list as \"CSV UTF-8\")", hint);
	return fail_at(x, text, at, n, "not a text file: it contains a NUL byte (is it "
	               "a spreadsheet? save the list as \"CSV UTF-8\")");
}

/* ---- output and iconv ----------------------------------------------- */

static int reserve(struct dec *x, size_t cap)
{
	if (cap > EV_DECODE_MAX_OUT)
		return fail_at(x, NULL, 0, 0, "the recipient list is too large: as UTF-8 it "
		               "would be over %zu MB", EV_DECODE_MAX_OUT >> 20);
	char *p = realloc(x->buf, cap + 1);
	if (!p)
		return out_of_memory(x);
	x->buf = p;
	x->cap = cap;
	return 0;
}

static iconv_t open_from(struct dec *x, ev_encoding enc)
{
	iconv_t cd = iconv_open("UTF-8", codecs[enc].iconv);
	if (cd == (iconv_t)-1)
		fail_at(x, NULL, 0, 0, "this system cannot convert from %s (iconv: %s)",
		        codecs[enc].name, strerror(errno));
	return cd;
}

/* Convert the input from enc into x->buf, starting with room for `guess`
 * bytes and doubling on E2BIG. Returns 0 when all was converted, 1 when
 * iconv stopped (*stop: the input offset, *why: EILSEQ or EINVAL), or -1
 * with the error in d. */
static int convert(struct dec *x, ev_encoding enc, size_t guess, size_t *stop, int *why)
{
	iconv_t cd = open_from(x, enc);
	if (cd == (iconv_t)-1)
		return -1;
	int rc = -1;
	if (reserve(x, guess < EV_DECODE_MAX_OUT ? guess : EV_DECODE_MAX_OUT) < 0)
		goto done;
	char *in = (char *)x->data;   /* iconv does not write to its input */
	size_t left = x->len;
	x->n = 0;
	while (left) {
		char *o = x->buf + x->n;
		size_t room = x->cap - x->n;
		size_t r = iconv(cd, &in, &left, &o, &room);
		x->n = (size_t)(o - x->buf);
		if (r != (size_t)-1)
			break;
		if (errno != E2BIG) {
			*stop = (size_t)(in - x->data);
			*why = errno;
			rc = 1;
			goto done;
		}
		size_t cap = x->cap > EV_DECODE_MAX_OUT / 2 ? EV_DECODE_MAX_OUT + 1
		             : x->cap ? x->cap * 2 : 64;
		if (reserve(x, cap) < 0)
			goto done;
	}
	rc = 0;
done:
	iconv_close(cd);
	return rc;
}

/* ---- the decoders --------------------------------------------------- */

static int decode_utf8(struct dec *x)
{
	const char *nul = x->len ? memchr(x->data, '\0', x->len) : NULL;
	if (nul)
		return fail_nul(x, x->data, (size_t)(nul - x->data), x->len);
	if (x->borrow)
		return 0;
	if (reserve(x, x->len) < 0)
		return -1;
	if (x->len)
		memcpy(x->buf, x->data, x->len);
	x->n = x->len;
	return 0;
}

static int decode_utf16(struct dec *x, ev_encoding enc)
{
	/* Two bytes become at most three, four (a surrogate pair) four. */
	size_t stop = 0;
	int why = 0;
	int r = convert(x, enc, x->len / 2 * 3 + 4, &stop, &why);
	if (r < 0)
		return -1;
	const char *nul = x->n ? memchr(x->buf, '\0', x->n) : NULL;
	if (nul)
		return fail_at(x, x->buf, (size_t)(nul - x->buf), x->n, "the text contains "
		               "a NUL character (U+0000): it is not a list saved as text, or "
		               "it is damaged; save the list as \"CSV UTF-8\"");
	if (r == 0)
		return 0;
	size_t left = x->len - stop;
	if (left < 2)
		return fail_at(x, x->buf, x->n, x->n, "the file ends in the middle of a "
		               "%s character (it has an odd number of bytes): it is cut "
		               "short, or not %s", codecs[enc].name, codecs[enc].name);
	const unsigned char *u = (const unsigned char *)x->data + stop;
	unsigned unit = enc == EV_ENC_UTF16BE ? (unsigned)u[0] << 8 | u[1]
	                                      : (unsigned)u[1] << 8 | u[0];
	if (why == EINVAL)
		return fail_at(x, x->buf, x->n, x->n, "the file ends with half a %s "
		               "character (the surrogate 0x%04X): it is cut short",
		               codecs[enc].name, unit);
	return fail_at(x, x->buf, x->n, x->n, "broken %s: the surrogate 0x%04X "
	               "stands alone, which is not a character (the file is damaged; "
	               "save the list again as \"CSV UTF-8\")", codecs[enc].name, unit);
}

/* Signs that turn up when a file is read in the wrong code page: box
 * drawings, blocks, geometric shapes, halves of the integral sign. */
static bool is_graphic(uint32_t cp)
{
	return (cp >= 0x2500 && cp <= 0x25FF) || cp == 0x2320 || cp == 0x2321;
}

static int decode_codepage(struct dec *x, ev_encoding enc)
{
	/* Cyrillic takes two bytes in UTF-8; three-byte signs grow the buffer. */
	size_t stop = 0;
	int why = 0;
	int r = convert(x, enc, x->len > EV_DECODE_MAX_OUT / 2 ? EV_DECODE_MAX_OUT
	                : x->len * 2, &stop, &why);
	if (r < 0)
		return -1;
	/* Problems in text order: a NUL or a graphic sign in what was converted
	 * comes before the byte iconv stopped at. Each character is one input
	 * byte, so the k-th character comes from data[k]. */
	const unsigned char *in = (const unsigned char *)x->data;
	size_t k = 0;
	for (size_t i = 0; i < x->n; k++) {
		uint32_t cp = 0;
		size_t m = ev_utf8_decode(x->buf + i, x->n - i, &cp);
		if (!m)
			m = 1;   /* iconv writes valid UTF-8; be safe */
		if (cp == 0)
			return fail_nul(x, x->buf, i, x->n);
		if (is_graphic(cp))
			return fail_at(x, x->buf, i, x->n, "byte 0x%02X decodes to '%.*s' in %s, "
			               "not a letter: the file is probably in another encoding; "
			               "save it as UTF-8 or give the right --encoding",
			               k < x->len ? in[k] : 0, (int)m, x->buf + i, codecs[enc].name);
		i += m;
	}
	if (r == 1)
		return fail_at(x, x->buf, x->n, x->n, "byte 0x%02X is not a character in "
		               "%s: the file is probably in another encoding; save it as "
		               "UTF-8 or give the right --encoding", in[stop], codecs[enc].name);
	return 0;
}

/* ---- detection ------------------------------------------------------ */

enum kind { K_OTHER, K_LATIN, K_LATIN_I, K_LOWER, K_UPPER };

struct cand {
	ev_encoding enc;
	unsigned char kind[256];
	double score[256];  /* for bytes 0x80-0xFF */
	double total;
	enum kind prev;
};

/* Scores of the letters by lowercase code point U+0400-U+045F: from the
 * frequency table for Russian and Belarusian ones, SCORE_FOREIGN for the
 * letters of other languages there. */
static void letter_scores(double out[0x60])
{
	for (int i = 0; i < 0x60; i++)
		out[i] = SCORE_FOREIGN;
	size_t n = sizeof letter_freq / sizeof letter_freq[0];
	double sum = 0;
	long f[sizeof letter_freq / sizeof letter_freq[0]];
	for (size_t i = 0; i < n; i++) {
		f[i] = 0;
		for (const char *p = letter_freq[i].right; *p >= '0' && *p <= '9'; p++)
			f[i] = f[i] * 10 + (*p - '0');
		sum += (double)f[i];
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t cp = 0;
		const char *s = letter_freq[i].left;
		if (ev_utf8_decode(s, strlen(s), &cp) && cp >= 0x400 && cp < 0x460 && f[i] > 0)
			out[cp - 0x400] = log((double)f[i] / sum * (double)n);
	}
}

static bool is_list_punct(uint32_t cp)
{
	switch (cp) {
	case 0x00A0: case 0x00AB: case 0x00BB: case 0x2013: case 0x2014:
	case 0x2018: case 0x2019: case 0x201A: case 0x201C: case 0x201D:
	case 0x201E: case 0x2026: case 0x2116:
		return true;
	default:
		return false;
	}
}

/* What byte b (>= 0x80) decoded to cp means for detection. */
static void classify(struct cand *c, unsigned b, uint32_t cp, const double *letters)
{
	c->kind[b] = K_OTHER;
	if ((cp >= 0x400 && cp < 0x460) || cp == 0x490 || cp == 0x491) {
		bool upper = cp < 0x430 || cp == 0x490;
		uint32_t lower = cp < 0x410 ? cp + 0x50 : cp < 0x430 ? cp + 0x20 : cp;
		c->kind[b] = upper ? K_UPPER : K_LOWER;
		c->score[b] = lower < 0x460 ? letters[lower - 0x400] : SCORE_FOREIGN;
	} else if (is_graphic(cp)) {
		c->score[b] = SCORE_GRAPHIC;
	} else if (is_list_punct(cp)) {
		c->score[b] = SCORE_PUNCT;
	} else {
		c->score[b] = SCORE_SYMBOL;
	}
}

/* Fill c's byte table from glibc's own mapping of the code page. */
static int build_cand(struct dec *x, struct cand *c, ev_encoding enc,
                      const double *letters)
{
	*c = (struct cand){.enc = enc};
	for (unsigned b = 0; b < 0x80; b++)
		c->kind[b] = b == 'i' || b == 'I' ? K_LATIN_I
		             : (b | 0x20) >= 'a' && (b | 0x20) <= 'z' ? K_LATIN : K_OTHER;
	iconv_t cd = open_from(x, enc);
	if (cd == (iconv_t)-1)
		return -1;
	for (unsigned b = 0x80; b < 0x100; b++) {
		char in = (char)b, out[8];
		char *ip = &in, *op = out;
		size_t il = 1, ol = sizeof out;
		uint32_t cp = 0;
		if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 ||
		    !ev_utf8_decode(out, (size_t)(op - out), &cp)) {
			c->kind[b] = K_OTHER;
			c->score[b] = SCORE_UNDEFINED;
			iconv(cd, NULL, NULL, NULL, NULL);
			continue;
		}
		classify(c, b, cp, letters);
	}
	iconv_close(cd);
	return 0;
}

static bool cyrillic(enum kind k)
{
	return k == K_LOWER || k == K_UPPER;
}

/* Score every candidate over the whole input in one pass: the letters'
 * scores plus the word-shape penalties, averaged over non-ASCII bytes. */
static void score_all(const struct dec *x, struct cand *c)
{
	const unsigned char *s = (const unsigned char *)x->data;
	size_t high = 0;
	for (size_t i = 0; i < x->len; i++) {
		unsigned b = s[i];
		high += b >= 0x80;
		for (int j = 0; j < NCAND; j++) {
			enum kind k = (enum kind)c[j].kind[b], p = c[j].prev;
			if (b >= 0x80)
				c[j].total += c[j].score[b];
			if (p == K_LOWER && k == K_UPPER)
				c[j].total -= CASE_PENALTY;
			else if ((cyrillic(p) && k == K_LATIN) || (p == K_LATIN && cyrillic(k)))
				c[j].total -= MIX_PENALTY;
			c[j].prev = k;
		}
	}
	for (int j = 0; j < NCAND; j++)
		c[j].total /= high ? (double)high : 1.0;
}

/* Choose the encoding of a file without a byte-order mark. Returns the
 * encoding with its reason in how, or EV_ENC_AUTO with the error in d. */
static ev_encoding detect(struct dec *x, char *how, size_t how_size)
{
	if (!x->len) {
		snprintf(how, how_size, "empty file");
		return EV_ENC_UTF8;
	}
	const char *nul = memchr(x->data, '\0', x->len);
	if (nul) {
		fail_nul(x, x->data, (size_t)(nul - x->data), x->len);
		return EV_ENC_AUTO;
	}
	/* Valid multi-byte sequences against bytes that start none. */
	size_t valid = 0, bad = 0, first_bad = 0;
	for (size_t i = 0; i < x->len;) {
		uint32_t cp;
		size_t k = (unsigned char)x->data[i] < 0x80 ? 1
		           : ev_utf8_decode(x->data + i, x->len - i, &cp);
		if (k > 1)
			valid++;
		if (!k && !bad++)
			first_bad = i;
		i += k ? k : 1;
	}
	if (!bad) {
		snprintf(how, how_size, "valid UTF-8");
		return EV_ENC_UTF8;
	}
	if (valid && valid / DAMAGED_RATIO >= bad) {
		snprintf(how, how_size, "UTF-8 with %zu invalid %s", bad,
		         ev_plural(bad, "byte", "bytes"));
		return EV_ENC_UTF8;
	}
	double letters[0x60];
	letter_scores(letters);
	struct cand c[NCAND];
	for (int j = 0; j < NCAND; j++)
		if (build_cand(x, &c[j], candidates[j], letters) < 0)
			return EV_ENC_AUTO;
	score_all(x, c);
	int best = 0, second = -1;
	for (int j = 1; j < NCAND; j++) {
		if (c[j].total > c[best].total) {
			second = best;
			best = j;
		} else if (second < 0 || c[j].total > c[second].total) {
			second = j;
		}
	}
	if (!(c[best].total > PLAUSIBLE)) {
		fail_at(x, x->data, first_bad, x->len, "byte 0x%02X is not UTF-8, and the file "
		        "is not Cyrillic text in Windows-1251, KOI8-R or CP866 either: save "
		        "the list as UTF-8 (in Excel: Save As > CSV UTF-8), or give --encoding",
		        (unsigned char)x->data[first_bad]);
		return EV_ENC_AUTO;
	}
	snprintf(how, how_size, "letter frequencies: %s fits best (then %s)",
	         codecs[c[best].enc].name, codecs[c[second].enc].name);
	return c[best].enc;
}

/* ---- the entry point ------------------------------------------------ */

/* The encoding a byte-order mark names (and its length), or EV_ENC_AUTO. */
static ev_encoding bom_of(const char *s, size_t n, size_t *bom_len)
{
	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		*bom_len = 3;
		return EV_ENC_UTF8;
	}
	if (n >= 2 && memcmp(s, "\xFF\xFE", 2) == 0) {
		*bom_len = 2;
		return EV_ENC_UTF16LE;
	}
	if (n >= 2 && memcmp(s, "\xFE\xFF", 2) == 0) {
		*bom_len = 2;
		return EV_ENC_UTF16BE;
	}
	*bom_len = 0;
	return EV_ENC_AUTO;
}

static int decode(const char *data, size_t len, ev_encoding want, const char *file,
                  ev_decoded *out, ev_diags *d, bool borrow)
{
	*out = (ev_decoded){0};
	struct dec x = {.file = file, .d = d, .data = data ? data : "",
	                .len = data ? len : 0, .borrow = borrow};
	if ((unsigned)want >= NCODECS)
		return fail_at(&x, NULL, 0, 0, "unknown encoding %d", (int)want);

	/* UTF-32's marks start like UTF-16LE's, so they are checked first. */
	if (x.len >= 4 && (memcmp(x.data, "\xFF\xFE\0\0", 4) == 0 ||
	                   memcmp(x.data, "\0\0\xFE\xFF", 4) == 0))
		return fail_at(&x, x.data, 0, x.len, "UTF-32 is not supported; save the list "
		               "as UTF-8 (in Excel: Save As > CSV UTF-8)");
	size_t bom_len;
	ev_encoding enc = bom_of(x.data, x.len, &bom_len);
	char how[sizeof out->how] = "";
	if (enc != EV_ENC_AUTO) {
		if (want != EV_ENC_AUTO && want != enc)
			return fail_at(&x, x.data, 0, x.len, "the file starts with a %s byte-order "
			               "mark, but --encoding says %s; leave out --encoding (the "
			               "mark tells how the file is encoded)",
			               codecs[enc].name, codecs[want].name);
		x.data += bom_len;
		x.len -= bom_len;
		snprintf(how, sizeof how, "byte-order mark");
	} else if (want != EV_ENC_AUTO) {
		enc = want;
		snprintf(how, sizeof how, "given with --encoding");
	} else {
		enc = detect(&x, how, sizeof how);
	}

	int r = -1;
	switch (enc) {
	case EV_ENC_AUTO:
		break;   /* detection failed; the reason is in d */
	case EV_ENC_UTF8:
		r = decode_utf8(&x);
		break;
	case EV_ENC_UTF16LE:
	case EV_ENC_UTF16BE:
		r = decode_utf16(&x, enc);
		break;
	case EV_ENC_CP1251:
	case EV_ENC_KOI8R:
	case EV_ENC_CP866:
		r = decode_codepage(&x, enc);
		break;
	}
	if (r < 0) {
		free(x.buf);
		return -1;
	}
	if (enc == EV_ENC_UTF8 && borrow) {
		*out = (ev_decoded){.text = x.data, .len = x.len, .encoding = enc,
		                    .bom = bom_len > 0, .borrowed = true};
		memcpy(out->how, how, sizeof how);
		return 0;
	}
	/* Give back what the first guess of the size reserved in vain. */
	char *text = x.n < x.cap ? realloc(x.buf, x.n + 1) : x.buf;
	if (!text)
		text = x.buf;
	text[x.n] = '\0';
	*out = (ev_decoded){.text = text, .len = x.n, .encoding = enc, .bom = bom_len > 0};
	memcpy(out->how, how, sizeof how);
	return 0;
}

int ev_decode(const char *data, size_t len, ev_encoding want, const char *file,
              ev_decoded *out, ev_diags *d)
{
	return decode(data, len, want, file, out, d, false);
}

int ev_decode_borrow(const char *data, size_t len, ev_encoding want,
                     const char *file, ev_decoded *out, ev_diags *d)
{
	return decode(data, len, want, file, out, d, true);
}
