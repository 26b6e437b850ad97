/* hyphen_patterns.c - mashing a hyphenation pattern file for libhyphen:
 * every prefix of a pattern gets the union of the patterns that end it
 * (hyphen_patterns.h). Two hash tables, one of patterns and one of the
 * prefixes already written; both sized from the file, which is capped.
 */
#include "hyphen_patterns.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* One pattern: its letters and their len + 1 values in the pools (offsets
 * fit 32 bits: the file is capped at EV_HYPHEN_PATTERNS_MAX). Small, as
 * every page these tables touch costs. */
struct pat {
	uint32_t letters, values;
	uint32_t n;
};

struct pats {
	char *letters;            /* pool of every pattern's letters */
	unsigned char *values;    /* pool of every pattern's values */
	size_t nl, nv;
	struct pat *v;
	size_t n;
	uint32_t *table;          /* pattern index + 1, 0 empty */
	size_t mask;
};


static size_t pow2_above(size_t n)
{
	size_t p = 16;
	while (p < 2 * n)
		p *= 2;
	return p;
}

/* The slot of the pattern table where s[0..n), whose ev_hash is h, is, or
 * would go. */
static size_t pat_slot_h(const struct pats *p, const char *s, size_t n, uint64_t h)
{
	size_t slot = (size_t)h & p->mask;
	for (; p->table[slot]; slot = (slot + 1) & p->mask) {
		const struct pat *e = &p->v[p->table[slot] - 1];
		if (e->n == n && memcmp(p->letters + e->letters, s, n) == 0)
			break;
	}
	return slot;
}

static size_t pat_slot(const struct pats *p, const char *s, size_t n)
{
	return pat_slot_h(p, s, n, ev_hash(s, n, EV_HASH_START));
}

/* The pattern with letters s[0..n), or NULL. */
static const struct pat *pat_find(const struct pats *p, const char *s, size_t n)
{
	uint32_t e = p->table[pat_slot(p, s, n)];
	return e ? &p->v[e - 1] : NULL;
}

static void pats_free(struct pats *p)
{
	free(p->letters);
	free(p->values);
	free(p->v);
	free(p->table);
}

/* Read one pattern line into the pools and the table; duplicates are
 * merged by the larger value, as the union is. */
static void pat_add(struct pats *p, const char *line, size_t n)
{
	struct pat *t = &p->v[p->n];
	t->letters = (uint32_t)p->nl;
	t->values = (uint32_t)p->nv;
	t->n = 0;
	unsigned char *val = p->values + p->nv;
	val[0] = 0;
	for (size_t i = 0; i < n; i++) {
		if (line[i] >= '0' && line[i] <= '9') {
			val[t->n] = (unsigned char)(line[i] - '0');
		} else {
			p->letters[p->nl + t->n++] = line[i];
			val[t->n] = 0;
		}
	}
	size_t slot = pat_slot(p, p->letters + p->nl, t->n);
	if (p->table[slot]) {
		struct pat *old = &p->v[p->table[slot] - 1];
		for (size_t i = 0; i <= t->n; i++)
			if (val[i] > p->values[old->values + i])
				p->values[old->values + i] = val[i];
		return;
	}
	p->table[slot] = (uint32_t)(p->n + 1);
	p->nl += t->n;
	p->nv += t->n + 1;
	p->n++;
}

/* The next line of text from *at: its start and length without the line
 * end or trailing blanks. False at the end. */
static bool next_line(const char *text, size_t len, size_t *at, const char **s, size_t *n)
{
	if (*at >= len)
		return false;
	const char *b = text + *at, *nl = memchr(b, '\n', len - *at);
	size_t k = nl ? (size_t)(nl - b) : len - *at;
	*at += nl ? k + 1 : k;
	while (k && (unsigned char)b[k - 1] <= ' ')
		k--;
	*s = b;
	*n = k;
	return true;
}

static bool is_setting(const char *s, size_t n)
{
	return n && s[0] >= 'A' && s[0] <= 'Z';
}

/* The prefixes written: pattern index + 1 in the high bits, prefix length
 * (< 128) low; open addressing, doubled when half full. */
struct seen {
	uint32_t *v;
	size_t mask, n;
};

/* Note prefix s[0..k) of pattern i; 1 when it is new, 0 when it was
 * there, -1 when out of memory. */
static int seen_add(struct seen *sn, const struct pats *p, uint32_t i, const char *s,
                    size_t k)
{
	size_t slot = (size_t)ev_hash(s, k, EV_HASH_START) & sn->mask;
	for (; sn->v[slot]; slot = (slot + 1) & sn->mask) {
		uint32_t e = sn->v[slot];
		const struct pat *o = &p->v[(e >> 7) - 1];
		if ((e & 0x7F) == k && memcmp(p->letters + o->letters, s, k) == 0)
			return 0;
	}
	sn->v[slot] = (i + 1) << 7 | (uint32_t)k;
	if (++sn->n * 2 <= sn->mask + 1)
		return 1;
	/* Half full: twice the room, every entry placed again. */
	size_t mask = sn->mask * 2 + 1;
	uint32_t *v = calloc(mask + 1, sizeof *v);
	if (!v)
		return -1;
	for (size_t j = 0; j <= sn->mask; j++) {
		uint32_t e = sn->v[j];
		if (!e)
			continue;
		const struct pat *o = &p->v[(e >> 7) - 1];
		size_t t = (size_t)ev_hash(p->letters + o->letters, e & 0x7F, EV_HASH_START) & mask;
		while (v[t])
			t = (t + 1) & mask;
		v[t] = e;
	}
	free(sn->v);
	sn->v = v;
	sn->mask = mask;
	return 1;
}

/* Write the union for the prefix s[0..n) onto out, when it has a value. */
static int put_prefix(const struct pats *p, const char *s, size_t n, ev_buf *out,
                      char *why, size_t cap)
{
	unsigned char v[EV_HYPHEN_LINE_MAX + 1] = {0};
	bool any = false;
	for (size_t k = 0; k < n; k++) {
		const struct pat *q = pat_find(p, s + k, n - k);
		if (!q)
			continue;
		for (size_t j = 0; j <= q->n; j++)
			if (p->values[q->values + j] > v[k + j])
				v[k + j] = p->values[q->values + j];
	}
	for (size_t i = 0; i <= n; i++)
		any |= v[i] != 0;
	if (!any)
		return 0;
	char line[2 * EV_HYPHEN_LINE_MAX + 2];
	size_t w = 0;
	for (size_t i = 0; i <= n; i++) {
		if (v[i])
			line[w++] = (char)('0' + v[i]);
		if (i < n)
			line[w++] = s[i];
	}
	if (w > EV_HYPHEN_LINE_MAX) {
		snprintf(why, cap, "a merged pattern would be %zu bytes, over libhyphen's %d", w,
		         EV_HYPHEN_LINE_MAX);
		return -1;
	}
	line[w++] = '\n';
	return ev_buf_append(out, line, w);
}

/* The patterns some word's letters hold (".word.", as libhyphen matches
 * it): used[i] for pattern i. */
static void mark_used(const struct pats *p, const char *const *words, const size_t *lens,
                      size_t nwords, bool *used)
{
	char buf[EV_HYPHEN_WORD_BYTES + 3];
	for (size_t w = 0; w < nwords; w++) {
		size_t n = lens[w];
		if (n > EV_HYPHEN_WORD_BYTES)
			continue;
		buf[0] = '.';
		memcpy(buf + 1, words[w], n);
		buf[n + 1] = '.';
		n += 2;
		for (size_t i = 0; i < n; i++) {
			uint64_t h = EV_HASH_START;
			for (size_t j = i + 1; j <= n && j - i <= EV_HYPHEN_LINE_MAX; j++) {
				h = ev_hash(buf + j - 1, 1, h);
				uint32_t e = p->table[pat_slot_h(p, buf + i, j - i, h)];
				if (e)
					used[e - 1] = true;
			}
		}
	}
}

static int mash(const char *text, size_t len, const char *const *words,
                const size_t *lens, size_t nwords, bool subset, ev_buf *out,
                char *why, size_t cap);

int ev_hyphen_patterns_union(const char *text, size_t len, ev_buf *out, char *why,
                             size_t cap)
{
	return mash(text, len, NULL, NULL, 0, false, out, why, cap);
}

int ev_hyphen_patterns_subset(const char *text, size_t len, const char *const *words,
                              const size_t *lens, size_t nwords, ev_buf *out, char *why,
                              size_t cap)
{
	return mash(text, len, words, lens, words ? nwords : 0, true, out, why, cap);
}

/* The union; for the patterns inside the words only when subset. */
static int mash(const char *text, size_t len, const char *const *words,
                const size_t *lens, size_t nwords, bool subset, ev_buf *out,
                char *why, size_t cap)
{
	if (len > EV_HYPHEN_PATTERNS_MAX) {
		snprintf(why, cap, "the pattern file is over %zu bytes", EV_HYPHEN_PATTERNS_MAX);
		return -1;
	}
	const char *s;
	size_t n, at = 0, lines = 0;
	if (!next_line(text, len, &at, &s, &n) || n == 0) {
		snprintf(why, cap, "the pattern file's first line names no charset");
		return -1;
	}
	size_t body = at;
	/* First pass: check the lines and count them for the tables. */
	while (next_line(text, len, &at, &s, &n)) {
		if (!n || s[0] == '%')
			continue;
		if (n > EV_HYPHEN_LINE_MAX) {
			snprintf(why, cap, "a line of %zu bytes, over libhyphen's %d", n,
			         EV_HYPHEN_LINE_MAX);
			return -1;
		}
		if (n >= 9 && memcmp(s, "NEXTLEVEL", 9) == 0)
			return 1;
		if (is_setting(s, n))
			continue;
		if (memchr(s, '/', n))
			return 1;
		lines++;
	}

	struct pats p = {0};
	uint32_t *seen = NULL;
	bool *used = NULL;
	size_t mask = pow2_above(lines) - 1;
	p.letters = malloc(len + 1);
	p.values = malloc(len + lines + 1);
	p.v = malloc((lines + 1) * sizeof *p.v);
	p.table = calloc(mask + 1, sizeof *p.table);
	p.mask = mask;
	int rc = -1;
	if (!p.letters || !p.values || !p.v || !p.table)
		goto oom;

	/* The charset, the settings, an empty first level. */
	next_line(text, len, &(size_t){0}, &s, &n);
	ev_buf_append(out, s, n);
	ev_buf_putc(out, '\n');
	for (at = body; next_line(text, len, &at, &s, &n);) {
		if (is_setting(s, n)) {
			ev_buf_append(out, s, n);
			ev_buf_putc(out, '\n');
		} else if (n && s[0] != '%') {
			pat_add(&p, s, n);
		}
	}
	ev_buf_puts(out, "NEXTLEVEL\n");

	/* For words: the patterns inside them, and the prefixes of those
	 * only. Every suffix of such a prefix is inside the word too, so the
	 * union written for it is the whole file's. */
	if (subset) {
		used = calloc(p.n ? p.n : 1, sizeof *used);
		if (!used)
			goto oom;
		mark_used(&p, words, lens, nwords, used);
	}

	/* Every prefix once, in the order the patterns came. The table of
	 * prefixes written grows with them (far fewer are distinct than the
	 * patterns have in all: 17,000 of 69,000 in hyph_en_GB.dic). The
	 * output is about the size of the file: room for it at once, so it
	 * is not copied as it grows. */
	struct seen sn = {.mask = pow2_above(p.n) - 1};
	sn.v = calloc(sn.mask + 1, sizeof *sn.v);
	seen = sn.v;
	if (!seen || ev_buf_reserve(out, len + len / 2) < 0)
		goto oom;
	for (size_t i = 0; i < p.n && !out->failed; i++) {
		if (used && !used[i])
			continue;
		const char *ls = p.letters + p.v[i].letters;
		for (size_t k = 1; k <= p.v[i].n; k++) {
			int fresh = seen_add(&sn, &p, (uint32_t)i, ls, k);
			seen = sn.v;
			if (fresh < 0)
				goto oom;
			if (fresh && put_prefix(&p, ls, k, out, why, cap) < 0 && !out->failed)
				goto done;
		}
	}
	if (!out->failed)
		rc = 0;
oom:
	if (rc < 0)
		snprintf(why, cap, "out of memory reading the patterns");
done:
	free(seen);
	free(used);
	pats_free(&p);
	return rc;
}
