/* shard.c - the rows of a shard, the --shard K/N argument, and shard.json
 * written and read back (see shard.h). shard.json is envoi's own small
 * file, so the reader takes exactly what the writer makes and says where
 * anything else stands. */
#include "shard.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

bool ev_shard_has(size_t k, size_t n, size_t seq)
{
	return n > 0 && seq % n == k;
}

size_t ev_shard_rows(size_t k, size_t n, size_t total)
{
	if (n == 0 || k >= n)
		return 0;
	if (k == 0)
		return total / n;
	return total >= k ? (total - k) / n + 1 : 0;
}

/* A whole number in decimal from s up to `end` (no sign, no spaces, at most
 * `max`). 0, or -1. */
static int whole(const char *s, const char *end, size_t max, size_t *out)
{
	size_t v = 0;
	if (s == end)
		return -1;
	for (const char *p = s; p < end; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		unsigned dgt = (unsigned)(*p - '0');
		if (v > (max - dgt) / 10)
			return -1;
		v = v * 10 + dgt;
	}
	*out = v;
	return 0;
}

int ev_shard_parse_arg(const char *s, size_t *k, size_t *n)
{
	const char *slash = strchr(s, '/');
	if (!slash || whole(s, slash, EV_SHARD_MAX, k) < 0 ||
	    whole(slash + 1, slash + strlen(slash), EV_SHARD_MAX, n) < 0 || *n < 1 || *k >= *n)
		return -1;
	return 0;
}

int ev_shard_json(ev_buf *out, const ev_shard_info *i)
{
	ev_buf_printf(out, "{\n  \"shard\": %zu,\n  \"of\": %zu,\n  \"rows\": %zu,\n"
	              "  \"list_sha256\": \"%s\",\n  \"letter_sha256\": \"%s\",\n"
	              "  \"manifest_rows\": %zu\n}\n", i->k, i->n, i->rows, i->list_sha256,
	              i->letter_sha256, i->manifest_rows);
	return out->failed ? -1 : 0;
}

/* ---- reading it back ---- */

typedef struct reader {
	const char *s, *p, *end;
	const char *file;
	long line;
	const char *line_start;
	ev_diags *d;
} reader;

static void fail(reader *r, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(reader *r, const char *at, const char *fmt, ...)
{
	/* the column in characters: UTF-8 continuation bytes do not count */
	long col = 1;
	for (const char *q = r->line_start; q < at; q++)
		col += ((unsigned char)*q & 0xC0) != 0x80;
	va_list ap;
	va_start(ap, fmt);
	ev_diag_addv(r->d, EV_ERROR, r->file, r->line, col, NULL, fmt, ap);
	va_end(ap);
	const char *eol = memchr(r->line_start, '\n', (size_t)(r->end - r->line_start));
	ev_diag_set_source(r->d, r->line_start,
	                   (size_t)((eol ? eol : r->end) - r->line_start));
}

static void skip_space(reader *r)
{
	for (; r->p < r->end && *r->p && strchr(" \t\r\n", *r->p); r->p++)
		if (*r->p == '\n') {
			r->line++;
			r->line_start = r->p + 1;
		}
}

/* A string without escapes (none is ever written): its bytes [*s, *e). */
static int string(reader *r, const char **s, const char **e)
{
	if (r->p == r->end || *r->p != '"') {
		fail(r, r->p, "expected %s", "a string in double quotes");
		return -1;
	}
	const char *q = r->p + 1;
	while (q < r->end && *q != '"' && *q != '\\' && (unsigned char)*q >= 0x20 &&
	       (unsigned char)*q < 0x7F)
		q++;
	if (q == r->end || *q != '"') {
		fail(r, q, "%s", "a string must end here (shard.json holds only "
		     "plain ASCII strings, without escapes)");
		return -1;
	}
	*s = r->p + 1;
	*e = q;
	r->p = q + 1;
	return 0;
}

static int expect(reader *r, char c, const char *what)
{
	skip_space(r);
	if (r->p == r->end || *r->p != c) {
		fail(r, r->p, "expected %s", what);
		return -1;
	}
	r->p++;
	skip_space(r);
	return 0;
}

enum { K_SHARD, K_OF, K_ROWS, K_LIST, K_LETTER, K_MANIFEST, K_COUNT };
static const char *const keys[K_COUNT] = {
	"shard", "of", "rows", "list_sha256", "letter_sha256", "manifest_rows",
};

static bool hex64(const char *s, const char *e)
{
	if (e - s != 64)
		return false;
	for (; s < e; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

/* The value of key `k` at r->p into info. */
static int value(reader *r, int k, ev_shard_info *info)
{
	const char *at = r->p;
	if (k == K_LIST || k == K_LETTER) {
		const char *s, *e;
		if (string(r, &s, &e) < 0)
			return -1;
		if (!hex64(s, e)) {
			fail(r, at, "'%s' must be a SHA-256 in 64 lowercase hex digits", keys[k]);
			return -1;
		}
		memcpy(k == K_LIST ? info->list_sha256 : info->letter_sha256, s, 64);
		(k == K_LIST ? info->list_sha256 : info->letter_sha256)[64] = '\0';
		return 0;
	}
	const char *e = r->p;
	while (e < r->end && *e >= '0' && *e <= '9')
		e++;
	size_t v;
	if (whole(r->p, e, SIZE_MAX / 2, &v) < 0 || (e - r->p > 1 && *r->p == '0')) {
		fail(r, at, "'%s' must be a whole number", keys[k]);
		return -1;
	}
	r->p = e;
	size_t *slot[] = {&info->k, &info->n, &info->rows, NULL, NULL, &info->manifest_rows};
	*slot[k] = v;
	return 0;
}

int ev_shard_read(const char *s, size_t len, const char *file, ev_shard_info *info,
                  ev_diags *d)
{
	reader r = {.s = s, .p = s, .end = s + len, .file = file, .line = 1,
	            .line_start = s, .d = d};
	const char *place[K_COUNT] = {0};
	*info = (ev_shard_info){0};
	skip_space(&r);
	if (expect(&r, '{', "'{': shard.json is one JSON object") < 0)
		return -1;
	for (bool first = true; r.p < r.end && *r.p != '}'; first = false) {
		if (!first && expect(&r, ',', "',' or '}'") < 0)
			return -1;
		const char *at = r.p, *ks, *ke;
		if (string(&r, &ks, &ke) < 0)
			return -1;
		int k = 0;
		while (k < K_COUNT && ((size_t)(ke - ks) != strlen(keys[k]) ||
		                       memcmp(ks, keys[k], (size_t)(ke - ks))))
			k++;
		if (k == K_COUNT) {
			fail(&r, at, "unknown key (shard.json has shard, of, rows, "
			     "list_sha256, letter_sha256 and manifest_rows)");
			return -1;
		}
		if (place[k]) {
			fail(&r, at, "'%s' is given twice", keys[k]);
			return -1;
		}
		place[k] = at;
		if (expect(&r, ':', "':'") < 0 || value(&r, k, info) < 0)
			return -1;
		skip_space(&r);
	}
	if (expect(&r, '}', "'}'") < 0)
		return -1;
	if (r.p != r.end) {
		fail(&r, r.p, "nothing may follow the object");
		return -1;
	}
	for (int k = 0; k < K_COUNT; k++)
		if (!place[k]) {
			ev_diag_add(d, EV_ERROR, file, 0, 0, NULL, "'%s' is missing", keys[k]);
			return -1;
		}
	if (info->n < 1 || info->n > EV_SHARD_MAX || info->k >= info->n) {
		ev_diag_add(d, EV_ERROR, file, 0, 0, NULL, "shard %zu of %zu: a shard is "
		            "numbered from 0 to one less than their number", info->k, info->n);
		return -1;
	}
	return 0;
}
