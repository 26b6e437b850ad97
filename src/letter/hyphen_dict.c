/* hyphen_dict.c - where words may be hyphenated, from libhyphen and Debian's
 * pattern files: which file serves which language, loading each on first
 * use, and the word's way there and back (lower case, the file's charset
 * through iconv, the hyphen positions mapped back to UTF-8 byte offsets).
 */
#include "hyphen_dict.h"

#include "buf.h"
#include "hyphen_patterns.h"
#include "text.h"

#include <errno.h>
#include <hyphen.h>
#include <iconv.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <utf8proc.h>

#define DEFAULT_DIR "/usr/share/hyphen"
/* Longest dictionary path; a longer one is reported as missing. */
#define PATH_CAP 4096
/* Bytes one character may take in a dictionary's charset. */
#define CHAR_CAP 8
#define ENC_CAP (EV_HYPHEN_WORD_MAX * CHAR_CAP)

/* One pattern file; "en" and "en-GB" share one. */
enum { DICT_EN_GB, DICT_EN_US, DICT_RU, DICT_BE, DICT_COUNT };

static const struct dict_file {
	const char *file;
	const char *package;
} dict_files[DICT_COUNT] = {
	[DICT_EN_GB] = {"hyph_en_GB.dic", "hyphen-en-gb"},
	[DICT_EN_US] = {"hyph_en_US.dic", "hyphen-en-us"},
	[DICT_RU] = {"hyph_ru_RU.dic", "hyphen-ru"},
	[DICT_BE] = {"hyph_be_BY.dic", "hyphen-be"},
};

/* Our own least letters before and after a break, the house rules for
 * each language; a file's LEFTHYPHENMIN/RIGHTHYPHENMIN can only raise
 * them. */
static const struct lang {
	const char *tag;
	int dict;
	int left, right;
} langs[] = {
	{"en", DICT_EN_GB, 2, 3},
	{"en-GB", DICT_EN_GB, 2, 3},
	{"en-US", DICT_EN_US, 2, 3},
	{"ru", DICT_RU, 2, 2},
	{"be", DICT_BE, 2, 2},
};

enum load_state { NOT_TRIED, LOADED, FAILED };

/* The words a prefetch was given (a subset of the patterns serves them):
 * their bytes, and an open-addressing table of offsets + 1. */
struct vocab {
	char *text;
	size_t *off, *len;    /* by word */
	size_t n;
	uint32_t *table;      /* word index + 1, 0 empty */
	size_t mask;
};

/* A prefetch's words are kept up to these (the rest go by the whole file). */
#define VOCAB_WORDS 65536
#define VOCAB_BYTES ((size_t)4 << 20)

struct dict {
	enum load_state state;      /* hd: the whole file's patterns */
	HyphenDict *hd;
	bool borrowed;        /* hd is the parent's (ev_hyphen_share) */
	enum load_state pstate;     /* part: the patterns for vocab's words */
	HyphenDict *part;
	struct vocab *vocab;
	bool conv;            /* utf8 and to are set */
	bool utf8;            /* libhyphen reads it as UTF-8 */
	iconv_t to;           /* UTF-8 -> the file's charset, when not UTF-8 */
	char why[PATH_CAP + 512];   /* the FAILED sentence */
	bool loading;         /* a prefetch thread is loading it: join first */
	pthread_t loader;
};

/* The answers already given: every letter of a campaign hyphenates the
 * same words, and libhyphen is the costliest step of laying one out. Open
 * addressing over (dictionary, word); past HCACHE_ENTRIES it starts over. */
#define HCACHE_ENTRIES 4096
#define HCACHE_SLOTS (2 * HCACHE_ENTRIES)   /* a power of two */
#define HCACHE_POINTS EV_HYPHEN_WORD_MAX

struct hentry {
	int dict;
	unsigned char len, n;
	unsigned char at[HCACHE_POINTS];   /* offsets (< EV_HYPHEN_WORD_MAX) */
	char word[EV_HYPHEN_WORD_MAX];
};

struct ev_hyphen {
	char *dir;
	const ev_hyphen *parent;   /* dictionaries loaded there are borrowed */
	struct dict dicts[DICT_COUNT];
	struct hentry *cache;   /* HCACHE_SLOTS, len 0 = empty; NULL: none */
	size_t cached;
};

static const char unknown_lang[] =
	"no hyphenation patterns for this language (envoi has en, en-GB, en-US, ru, be)";

/* The language named by tag: "en-GB", "en_gb" and "EN-gb" alike. */
static const struct lang *find_lang(const char *tag)
{
	if (!tag)
		return NULL;
	for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++) {
		const char *a = langs[i].tag, *b = tag;
		while (*a && *b) {
			char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
			char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b == '_' ? '-' : *b;
			if (x != y)
				break;
			a++;
			b++;
		}
		if (!*a && !*b)
			return &langs[i];
	}
	return NULL;
}

ev_hyphen *ev_hyphen_open(const char *dir)
{
	if (!dir) {
		dir = getenv("ENVOI_HYPHEN_DIR");
		if (!dir || !*dir)
			dir = DEFAULT_DIR;
	}
	ev_hyphen *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->dir = strdup(dir);
	if (!h->dir) {
		free(h);
		return NULL;
	}
	for (int i = 0; i < DICT_COUNT; i++)
		h->dicts[i].to = (iconv_t)-1;
	return h;
}

ev_hyphen *ev_hyphen_share(const ev_hyphen *parent)
{
	ev_hyphen *h = ev_hyphen_open(parent->dir);
	if (h)
		h->parent = parent;
	return h;
}

static void join_loader(struct dict *d)
{
	if (d->loading) {
		pthread_join(d->loader, NULL);
		d->loading = false;
	}
}

void ev_hyphen_free(ev_hyphen *h)
{
	if (!h)
		return;
	for (int i = 0; i < DICT_COUNT; i++)
		join_loader(&h->dicts[i]);
	for (int i = 0; i < DICT_COUNT; i++) {
		struct dict *d = &h->dicts[i];
		if (d->hd && !d->borrowed)
			hnj_hyphen_free(d->hd);
		if (d->part)
			hnj_hyphen_free(d->part);
		if (d->vocab) {
			free(d->vocab->text);
			free(d->vocab->off);
			free(d->vocab->len);
			free(d->vocab->table);
			free(d->vocab);
		}
		if (d->to != (iconv_t)-1)
			iconv_close(d->to);
	}
	free(h->cache);
	free(h->dir);
	free(h);
}

/* The charset named on the file's first line, without trailing blanks. */
static void dict_charset(const HyphenDict *hd, char *out, size_t cap)
{
	size_t n = strnlen(hd->cset, sizeof hd->cset);
	if (n >= cap)
		n = cap - 1;
	memcpy(out, hd->cset, n);
	while (n && (out[n - 1] == ' ' || out[n - 1] == '\t' || out[n - 1] == '\r'))
		n--;
	out[n] = '\0';
}

static bool load_now(ev_hyphen *h, int i);

/* Load dictionary i on first use (after a prefetch of it has ended); true
 * when it is usable. */
static bool dict_load(ev_hyphen *h, int i)
{
	struct dict *d = &h->dicts[i];
	join_loader(d);
	if (d->state != NOT_TRIED)
		return d->state == LOADED;
	return load_now(h, i);
}

static void load_part(ev_hyphen *h, int i);

/* What a prefetch thread runs. */
struct prefetch {
	ev_hyphen *h;
	int i;
};

static void *prefetch_main(void *arg)
{
	struct prefetch *p = arg;
	if (p->h->dicts[p->i].vocab)
		load_part(p->h, p->i);
	else
		load_now(p->h, p->i);
	free(p);
	return NULL;
}

static bool vocab_has(const struct vocab *v, const char *s, size_t len)
{
	size_t slot = (size_t)ev_hash(s, len, EV_HASH_START) & v->mask;
	for (; v->table[slot]; slot = (slot + 1) & v->mask) {
		size_t w = v->table[slot] - 1;
		if (v->len[w] == len && !memcmp(v->text + v->off[w], s, len))
			return true;
	}
	return false;
}

/* The words as a vocabulary (duplicates once); NULL when out of memory. */
static struct vocab *vocab_new(const char *const *words, const size_t *lens, size_t n)
{
	size_t bytes = 0, k = 0;
	for (size_t i = 0; i < n && k < VOCAB_WORDS; i++)
		if (lens[i] <= EV_HYPHEN_WORD_MAX && bytes + lens[i] <= VOCAB_BYTES) {
			bytes += lens[i];
			k++;
		}
	struct vocab *v = calloc(1, sizeof *v);
	size_t cap = 16;
	while (cap < 2 * k)
		cap *= 2;
	if (v) {
		v->text = malloc(bytes ? bytes : 1);
		v->off = malloc((k ? k : 1) * sizeof *v->off);
		v->len = malloc((k ? k : 1) * sizeof *v->len);
		v->table = calloc(cap, sizeof *v->table);
		v->mask = cap - 1;
	}
	if (!v || !v->text || !v->off || !v->len || !v->table) {
		if (v) {
			free(v->text);
			free(v->off);
			free(v->len);
			free(v->table);
		}
		free(v);
		return NULL;
	}
	size_t at = 0;
	for (size_t i = 0; i < n && v->n < k; i++) {
		if (lens[i] > EV_HYPHEN_WORD_MAX || at + lens[i] > bytes ||
		    vocab_has(v, words[i], lens[i]))
			continue;
		memcpy(v->text + at, words[i], lens[i]);
		v->off[v->n] = at;
		v->len[v->n] = lens[i];
		at += lens[i];
		size_t slot = (size_t)ev_hash(words[i], lens[i], EV_HASH_START) & v->mask;
		while (v->table[slot])
			slot = (slot + 1) & v->mask;
		v->table[slot] = (uint32_t)++v->n;
	}
	return v;
}

void ev_hyphen_prefetch(ev_hyphen *h, const char *lang, const char *const *words,
                        const size_t *lens, size_t nwords)
{
	const struct lang *l = find_lang(lang);
	if (!h || !l || h->parent)
		return;
	struct dict *d = &h->dicts[l->dict];
	if (d->state != NOT_TRIED || d->pstate != NOT_TRIED || d->loading)
		return;
	struct prefetch *p = malloc(sizeof *p);
	if (!p)
		return;
	*p = (struct prefetch){h, l->dict};
	if (words)
		d->vocab = vocab_new(words, lens, nwords);   /* NULL: the whole file */
	if (pthread_create(&d->loader, NULL, prefetch_main, p) == 0)
		d->loading = true;
	else
		free(p);
}

/* The converter to dictionary i's charset (cset, as libhyphen read it
 * into a dictionary with utf8), once. False with the reason in d->why. */
static bool set_conv(struct dict *d, bool utf8, const char *cset, const char *path)
{
	if (d->conv)
		return true;
	d->utf8 = utf8;
	if (!utf8) {
		d->to = iconv_open(cset, "UTF-8");
		if (d->to == (iconv_t)-1) {
			if (path)
				snprintf(d->why, sizeof d->why,
				         "%s is in charset %s, which iconv cannot convert to", path, cset);
			else
				snprintf(d->why, sizeof d->why, "iconv cannot convert to %s", cset);
			return false;
		}
	}
	d->conv = true;
	return true;
}

/* Dictionary i's file: its path into path and its bytes (malloc'd) into
 * *text, *len. False with the reason in d->why. */
static bool read_file(ev_hyphen *h, int i, char *path, char **text, size_t *len)
{
	struct dict *d = &h->dicts[i];
	const struct dict_file *df = &dict_files[i];
	int n = snprintf(path, PATH_CAP, "%s/%s", h->dir, df->file);
	if (n < 0 || (size_t)n >= PATH_CAP) {
		snprintf(d->why, sizeof d->why,
		         "the hyphenation directory's path is too long to read %s", df->file);
		return false;
	}
	/* Our own fopen, so the reason can be told; libhyphen reads the file. */
	FILE *f = fopen(path, "r");
	struct stat st;
	const char *err = NULL;
	if (!f || fstat(fileno(f), &st) != 0)
		err = strerror(errno);
	else if (S_ISDIR(st.st_mode))
		err = "it is a directory";
	else if (!S_ISREG(st.st_mode))
		err = "not a regular file";
	if (err) {
		snprintf(d->why, sizeof d->why,
		         "cannot read hyphenation patterns %s (%s); install the Debian package %s",
		         path, err, df->package);
		if (f)
			fclose(f);
		return false;
	}
	*text = malloc(EV_HYPHEN_PATTERNS_MAX + 1);
	*len = *text ? fread(*text, 1, EV_HYPHEN_PATTERNS_MAX + 1, f) : 0;
	bool bad = !*text || ferror(f);
	fclose(f);
	if (bad) {
		snprintf(d->why, sizeof d->why, "cannot read hyphenation patterns %s (%s)", path,
		         *text ? "read error" : "out of memory");
		free(*text);
		return false;
	}
	return true;
}

/* libhyphen's dictionary from bytes in memory, or NULL. */
static HyphenDict *load_bytes(const char *text, size_t len)
{
	FILE *m = fmemopen((void *)text, len, "r");
	HyphenDict *hd = m ? hnj_hyphen_load_file(m) : NULL;
	if (m)
		fclose(m);
	return hd;
}

static bool encode_word(const char *s, size_t len, int di, struct dict *d, char *enc,
                        size_t *enc_len);

/* Dictionary i's subset for its vocabulary (a prefetch's thread): the
 * file read and checked as load_now does (the same reasons), only the
 * patterns the words can meet mashed (hyphen_patterns.h), so libhyphen
 * builds a small dictionary. A file that has to be used as it is is
 * loaded whole. */
static void load_part(ev_hyphen *h, int i)
{
	struct dict *d = &h->dicts[i];
	const struct dict_file *df = &dict_files[i];
	char path[PATH_CAP];
	char *text;
	size_t len;
	d->pstate = FAILED;
	if (!read_file(h, i, path, &text, &len))
		return;
	/* The charset as libhyphen reads it: from the file's first line,
	 * loaded alone, so the words go into the bytes its patterns are in. */
	const char *nl = memchr(text, '\n', len);
	HyphenDict *head = load_bytes(text, nl ? (size_t)(nl - text) + 1 : len);
	char cset[sizeof head->cset + 1] = "";
	if (head)
		dict_charset(head, cset, sizeof cset);
	bool utf8 = head && head->utf8;
	if (head)
		hnj_hyphen_free(head);
	if (!cset[0]) {
		/* as the whole file would fail */
		free(text);
		load_now(h, i);
		return;
	}
	if (!set_conv(d, utf8, cset, path)) {
		free(text);
		return;
	}
	/* The words in the file's charset, lower case, as they will be
	 * looked up. */
	const struct vocab *v = d->vocab;
	char *enc = malloc(v->n * ENC_CAP + 1);
	const char **words = malloc((v->n ? v->n : 1) * sizeof *words);
	size_t *lens = malloc((v->n ? v->n : 1) * sizeof *lens), nw = 0, at = 0;
	for (size_t w = 0; enc && words && lens && w < v->n; w++) {
		size_t k;
		if (!encode_word(v->text + v->off[w], v->len[w], i, d, enc + at, &k))
			continue;
		words[nw] = enc + at;
		lens[nw++] = k;
		at += k;
	}
	ev_buf mashed = {0};
	char why[200];
	int u = !enc || !words || !lens ? -2
	      : ev_hyphen_patterns_subset(text, len, words, lens, nw, &mashed, why, sizeof why);
	free(enc);
	free(words);
	free(lens);
	if (u == 0)
		d->part = load_bytes(mashed.data, mashed.len);
	ev_buf_free(&mashed);
	free(text);
	if (u == 1 || u == -2) {
		load_now(h, i);        /* the whole file, as it is or when memory is short */
		return;
	}
	if (!d->part) {
		snprintf(d->why, sizeof d->why, "cannot use hyphenation patterns %s (%s); "
		         "reinstall the Debian package %s", path,
		         u < 0 ? why : "cannot load", df->package);
		return;
	}
	d->pstate = LOADED;
	d->why[0] = '\0';
}

/* Load dictionary i now, on this thread. */
static bool load_now(ev_hyphen *h, int i)
{
	struct dict *d = &h->dicts[i];
	d->state = FAILED;
	/* The parent's patterns, read and prepared once; only the converter
	 * (iconv keeps state) and the cache are this hyphenator's own. */
	const struct dict *pd = h->parent ? &h->parent->dicts[i] : NULL;
	if (pd && pd->state == LOADED) {
		d->hd = pd->hd;
		d->borrowed = true;
		char cset[sizeof d->hd->cset + 1] = "";
		dict_charset(d->hd, cset, sizeof cset);
		if (!set_conv(d, pd->utf8, cset, NULL))
			return false;
		d->state = LOADED;
		return true;
	}
	const struct dict_file *df = &dict_files[i];
	char path[PATH_CAP];
	char *text;
	size_t len;
	if (!read_file(h, i, path, &text, &len))
		return false;

	/* libhyphen reads the file mashed (hyphen_patterns.h), from memory. */
	ev_buf mashed = {0};
	char why[200];
	int u = ev_hyphen_patterns_union(text, len, &mashed, why, sizeof why);
	FILE *m = u == 0 ? fmemopen(mashed.data, mashed.len, "r")
	          : u == 1 ? fmemopen(text, len, "r") : NULL;
	d->hd = m ? hnj_hyphen_load_file(m) : NULL;
	if (m)
		fclose(m);
	ev_buf_free(&mashed);
	free(text);
	char cset[sizeof d->hd->cset + 1] = "";
	if (d->hd)
		dict_charset(d->hd, cset, sizeof cset);
	if (!d->hd || !cset[0]) {
		snprintf(d->why, sizeof d->why, "cannot use hyphenation patterns %s (%s); "
		         "reinstall the Debian package %s", path,
		         u < 0 ? why : "cannot load", df->package);
		return false;
	}
	if (!set_conv(d, d->hd->utf8 != 0, cset, path))
		return false;
	d->state = LOADED;
	d->why[0] = '\0';
	return true;
}

const char *ev_hyphen_missing(ev_hyphen *h, const char *lang)
{
	const struct lang *l = find_lang(lang);
	if (!l)
		return unknown_lang;
	if (!h)
		return "no hyphenator";
	/* A prefetch with words answers for the language: its subset loaded,
	 * or the reason the whole file would give. */
	struct dict *d = &h->dicts[l->dict];
	join_loader(d);
	if (d->pstate == LOADED)
		return NULL;
	if (d->pstate == FAILED && d->state == NOT_TRIED)
		return d->why;
	return dict_load(h, l->dict) ? NULL : d->why;
}

/* ---- the word's way to the dictionary and back ---------------------- */

static bool is_apostrophe(uint32_t cp)
{
	return cp == '\'' || cp == 0x2019 || cp == 0x02BC;
}

/* One word, decoded and checked: code points, where each starts in the
 * caller's bytes (off[n] is the length), and the forms the patterns are
 * written in. */
struct word {
	size_t n;
	uint32_t cp[EV_HYPHEN_WORD_MAX];
	size_t off[EV_HYPHEN_WORD_MAX + 1];
	bool apos[EV_HYPHEN_WORD_MAX];
};

/* Decode and lower the word for dictionary di. False when it is not to be
 * hyphenated: invalid UTF-8, a digit or a character that is neither letter
 * nor apostrophe, or capitals only. */
static bool word_prepare(struct word *w, const char *s, size_t len, int di)
{
	size_t upper = 0, lower = 0;
	w->n = 0;
	for (size_t i = 0; i < len;) {
		utf8proc_int32_t c;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		                                      (utf8proc_ssize_t)(len - i), &c);
		if (k <= 0 || w->n == EV_HYPHEN_WORD_MAX)
			return false;
		uint32_t cp = (uint32_t)c;
		bool apos = is_apostrophe(cp);
		if (!apos) {
			switch (utf8proc_category(c)) {
			case UTF8PROC_CATEGORY_LU:
			case UTF8PROC_CATEGORY_LT:
				upper++;
				break;
			case UTF8PROC_CATEGORY_LL:
				lower++;
				break;
			case UTF8PROC_CATEGORY_LM:
			case UTF8PROC_CATEGORY_LO:
				break;
			default:
				return false;   /* digits, marks, punctuation, spaces */
			}
		}
		/* The patterns are lower case; every file has the ASCII
		 * apostrophe; the Russian one (2003) has no ё. */
		cp = apos ? '\'' : (uint32_t)utf8proc_tolower(c);
		if (di == DICT_RU && cp == 0x0451)
			cp = 0x0435;
		w->off[w->n] = i;
		w->apos[w->n] = apos;
		w->cp[w->n++] = cp;
		i += (size_t)k;
	}
	w->off[w->n] = len;
	return !(upper >= 2 && lower == 0);
}

/* The word in the dictionary's charset into enc (NUL-terminated), and for
 * each of its bytes the index of the character it belongs to. False when
 * a character has no place in that charset. */
static bool word_encode(const struct word *w, struct dict *d, char *enc, size_t *enc_len,
                        size_t *owner)
{
	size_t e = 0;
	if (!d->utf8)
		iconv(d->to, NULL, NULL, NULL, NULL);
	for (size_t i = 0; i < w->n; i++) {
		char u[4];
		utf8proc_ssize_t k = utf8proc_encode_char((utf8proc_int32_t)w->cp[i],
		                                          (utf8proc_uint8_t *)u);
		size_t start = e;
		if (k <= 0)
			return false;
		if (d->utf8) {
			memcpy(enc + e, u, (size_t)k);
			e += (size_t)k;
		} else {
			/* One character at a time, so each output byte is known to
			 * belong to it. */
			char *in = u, *out = enc + e;
			size_t inleft = (size_t)k, outleft = CHAR_CAP;
			if (iconv(d->to, &in, &inleft, &out, &outleft) == (size_t)-1 || inleft)
				return false;
			e = (size_t)(out - enc);
			if (e == start)
				return false;
		}
		for (size_t b = start; b < e; b++)
			owner[b] = i;
	}
	enc[e] = '\0';
	*enc_len = e;
	return true;
}

static bool encode_word(const char *s, size_t len, int di, struct dict *d, char *enc,
                        size_t *enc_len)
{
	struct word w;
	size_t owner[ENC_CAP];
	return word_prepare(&w, s, len, di) && word_encode(&w, d, enc, enc_len, owner);
}

/* The subset dictionary for this word when a prefetch made one for it
 * (the parent's, for a hyphenator that shares), with the converter set;
 * else NULL: the whole file serves it. */
static const HyphenDict *part_for(ev_hyphen *h, int i, const char *s, size_t len)
{
	struct dict *d = &h->dicts[i];
	join_loader(d);
	const struct dict *own = h->parent ? &h->parent->dicts[i] : d;
	if (own->pstate != LOADED || !own->vocab || !vocab_has(own->vocab, s, len))
		return NULL;
	if (!d->conv) {
		char cset[sizeof own->part->cset + 1] = "";
		dict_charset(own->part, cset, sizeof cset);
		if (!set_conv(d, own->part->utf8 != 0, cset, NULL))
			return NULL;
	}
	return own->part;
}

static size_t hyphen_points_uncached(ev_hyphen *h, const char *lang,
                                     const char *s, size_t len, size_t *at,
                                     size_t cap);

static size_t hash_word(int dict, const char *s, size_t len)
{
	return (size_t)ev_hash(s, len, EV_HASH_START ^ (uint64_t)dict);
}

static size_t hyphen_points(void *ctx, const char *lang, const char *s, size_t len,
                            size_t *at, size_t cap)
{
	ev_hyphen *h = ctx;
	const struct lang *l = find_lang(lang);
	if (!h || !l || !s || !at || !cap || len < 2 || len > EV_HYPHEN_WORD_MAX)
		return 0;
	if (!h->cache && !(h->cache = calloc(HCACHE_SLOTS, sizeof *h->cache)))
		return hyphen_points_uncached(h, lang, s, len, at, cap);
	size_t i = hash_word(l->dict, s, len) & (HCACHE_SLOTS - 1);
	for (; h->cache[i].len; i = (i + 1) & (HCACHE_SLOTS - 1)) {
		struct hentry *e = &h->cache[i];
		if (e->dict == l->dict && e->len == len && !memcmp(e->word, s, len)) {
			size_t n = e->n < cap ? e->n : cap;
			for (size_t k = 0; k < n; k++)
				at[k] = e->at[k];
			return n;
		}
	}
	size_t got[HCACHE_POINTS];
	size_t n = hyphen_points_uncached(h, lang, s, len, got, HCACHE_POINTS);
	if (h->cached == HCACHE_ENTRIES) {
		memset(h->cache, 0, HCACHE_SLOTS * sizeof *h->cache);
		h->cached = 0;
		i = hash_word(l->dict, s, len) & (HCACHE_SLOTS - 1);
	}
	struct hentry *e = &h->cache[i];
	e->dict = l->dict;
	e->len = (unsigned char)len;
	e->n = (unsigned char)n;
	memcpy(e->word, s, len);
	for (size_t k = 0; k < n; k++)
		e->at[k] = (unsigned char)got[k];
	h->cached++;
	size_t m = n < cap ? n : cap;
	for (size_t k = 0; k < m; k++)
		at[k] = got[k];
	return m;
}

static size_t hyphen_points_uncached(ev_hyphen *h, const char *lang,
                                     const char *s, size_t len, size_t *at,
                                     size_t cap)
{
	const struct lang *l = find_lang(lang);
	if (!h || !l || !s || !at || !cap || len < 2 || len > EV_HYPHEN_WORD_MAX)
		return 0;
	const HyphenDict *hd = part_for(h, l->dict, s, len);
	if (!hd && !dict_load(h, l->dict))
		return 0;
	struct dict *d = &h->dicts[l->dict];
	if (!hd)
		hd = d->hd;
	struct word w;
	char enc[ENC_CAP + 1];
	size_t owner[ENC_CAP], enc_len;
	if (!word_prepare(&w, s, len, l->dict) || !word_encode(&w, d, enc, &enc_len, owner))
		return 0;

	int left = l->left > hd->lhmin ? l->left : hd->lhmin;
	int right = l->right > hd->rhmin ? l->right : hd->rhmin;
	char hy[ENC_CAP + 5];
	char **rep = NULL;
	int *pos = NULL, *cut = NULL;
	int rc = hnj_hyphen_hyphenate3((HyphenDict *)hd, enc, (int)enc_len, hy, NULL, &rep, &pos, &cut,
	                               left, right, 0, 0);

	/* hy[p] odd: a break after unit p. A UTF-8 file's units are
	 * characters (libhyphen renumbers them); another charset's are bytes,
	 * and a break counts only between two characters. A break with a
	 * spelling change (rep) cannot be told by an offset and is left out. */
	size_t units = d->utf8 ? w.n : enc_len, found = 0;
	for (size_t p = 0; rc == 0 && p + 1 < units && found < cap; p++) {
		if (!(hy[p] & 1) || (rep && rep[p]))
			continue;
		size_t next = d->utf8 ? p + 1 : owner[p + 1];
		if (!d->utf8 && owner[p] == next)
			continue;
		if (next < (size_t)left || w.n - next < (size_t)right ||
		    w.apos[next - 1] || w.apos[next])
			continue;
		at[found++] = w.off[next];
	}
	if (rep)
		for (size_t p = 0; p < enc_len; p++)
			free(rep[p]);
	free(rep);
	free(pos);
	free(cut);
	return found;
}

ev_hyphenator ev_hyphen_iface(ev_hyphen *h)
{
	return (ev_hyphenator){.ctx = h, .points = hyphen_points};
}
