/* sheets.c - finding a label sheet by the name a person types ("Avery
 * L7163", "avery-l7163", "L7163"), the closest names when none has it,
 * the lines of `envoi labels list`, and the numbers of label geometry
 * read and written by our own code, never through the C locale. */
#include "labels.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* ---- numbers ---- */

const char *ev_mm_text(double mm, char *out, size_t cap)
{
	bool neg = mm < 0;
	double a = neg ? -mm : mm;
	if (!(a < 1e9))
		a = 0;
	unsigned long long v = (unsigned long long)(a * 100 + 0.5);
	if (v == 0)
		neg = false;
	unsigned long long whole = v / 100, frac = v % 100;
	if (frac == 0)
		snprintf(out, cap, "%s%llu", neg ? "-" : "", whole);
	else if (frac % 10 == 0)
		snprintf(out, cap, "%s%llu.%llu", neg ? "-" : "", whole, frac / 10);
	else
		snprintf(out, cap, "%s%llu.%02llu", neg ? "-" : "", whole, frac);
	return out;
}

int ev_decimal_parse(const char *s, size_t n, double *out)
{
	size_t i = 0;
	bool neg = false;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	/* The digits as an integer (exact up to 2^53) over a power of ten:
	 * one rounding, as strtod in the C locale gives for such numbers. */
	double mant = 0;
	int digits = 0, scale = 0;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
		if (digits < 17)
			mant = mant * 10 + (s[i] - '0');
		else
			scale++;
	}
	if (i < n && s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++)
			if (digits < 17) {
				mant = mant * 10 + (s[i] - '0');
				scale--;
			}
	}
	if (digits == 0)
		return -1;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		bool eneg = false;
		int e = 0, edigits = 0;
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			eneg = s[i++] == '-';
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, edigits++)
			if (e < 1000)
				e = e * 10 + (s[i] - '0');
		if (edigits == 0)
			return -1;
		scale += eneg ? -e : e;
	}
	if (i != n || scale > 300 || scale < -300)
		return -1;
	double p = 1;
	for (int k = scale < 0 ? -scale : scale; k > 0; k--)
		p *= 10;
	double v = scale < 0 ? mant / p : mant * p;
	*out = neg ? -v : v;
	return 0;
}

int ev_label_offset_parse(const char *s, double *dx, double *dy)
{
	const char *comma = strchr(s, ',');
	if (!comma || strchr(comma + 1, ','))
		return -1;
	double x, y;
	if (ev_decimal_parse(s, (size_t)(comma - s), &x) < 0 ||
	    ev_decimal_parse(comma + 1, strlen(comma + 1), &y) < 0 ||
	    x < -50 || x > 50 || y < -50 || y > 50)
		return -1;
	*dx = x;
	*dy = y;
	return 0;
}

/* ---- names ---- */

#define KEY_CAP 96

/* The letters and digits of s, lower case: "Avery L7163", "avery-l7163"
 * and "AVERY l 7163" all read "averyl7163". */
static void key(const char *s, char *out)
{
	size_t k = 0;
	for (; s && *s && k < KEY_CAP - 1; s++) {
		char c = *s;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (unsigned char)c >= 0x80)
			out[k++] = c;
	}
	out[k] = 0;
}

static void full_key(const ev_label_sheet *s, char *out)
{
	char name[2 * KEY_CAP];
	ev_label_name(s, name, sizeof name);
	key(name, out);
}

const ev_label_sheet *ev_label_sheet_find(const char *name)
{
	size_t n;
	const ev_label_sheet *v = ev_label_builtin(&n);
	char want[KEY_CAP], k[KEY_CAP];
	key(name, want);
	for (size_t i = 0; *want && i < n; i++) {
		full_key(&v[i], k);
		char part[KEY_CAP];
		key(v[i].part, part);
		if (!strcmp(k, want) || !strcmp(part, want))
			return &v[i];
	}
	return NULL;
}

/* Edit distance counting a swap of two neighbours as one edit (the
 * commonest slip in a part number: L7136 for L7163). Keys are short
 * (under KEY_CAP). */
static size_t distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	size_t d[3][KEY_CAP];   /* rows i-2, i-1 and i, in turn; row 0 in d[1] */
	for (size_t j = 0; j <= m; j++)
		d[1][j] = j;
	for (size_t i = 1; i <= n; i++) {
		size_t *cur = d[(i + 1) % 3], *prev = d[i % 3], *prev2 = d[(i + 2) % 3];
		cur[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = prev[j - 1] + cost;
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
		}
	}
	return d[(n + 1) % 3][m];
}

/* A close name, for the message of an unknown one. */
typedef struct near {
	const ev_label_sheet *s;
	size_t dist;
} near;

static int by_dist(const void *a, const void *b)
{
	const near *p = a, *q = b;
	if (p->dist != q->dist)
		return p->dist < q->dist ? -1 : 1;
	char x[2 * KEY_CAP], y[2 * KEY_CAP];
	return strcmp(ev_label_name(p->s, x, sizeof x), ev_label_name(q->s, y, sizeof y));
}

#define NEAR_MAX 6

static void list_names(ev_buf *msg, const near *v, size_t n)
{
	char name[2 * KEY_CAP];
	for (size_t i = 0; i < n; i++)
		ev_buf_printf(msg, "%s%s", i ? ", " : "", ev_label_name(v[i].s, name, sizeof name));
}

int ev_label_lookup(const ev_label_sheet *const *v, size_t n, const char *name,
                    const ev_label_sheet **found, ev_buf *msg)
{
	char want[KEY_CAP], k[KEY_CAP], part[KEY_CAP];
	key(name, want);
	*found = NULL;
	/* the brand and the part */
	for (size_t i = 0; *want && i < n; i++) {
		full_key(v[i], k);
		if (!strcmp(k, want) && (!*found || (v[i]->builtin && !(*found)->builtin)))
			*found = v[i];
	}
	if (*found)
		return 0;
	/* the part alone: one sheet's, or a built-in sheet's */
	near hits[NEAR_MAX + 1];
	size_t nhits = 0, total = 0;
	const ev_label_sheet *builtin = NULL;
	for (size_t i = 0; *want && i < n; i++) {
		key(v[i]->part, part);
		if (strcmp(part, want))
			continue;
		if (v[i]->builtin && !builtin)
			builtin = v[i];
		if (nhits < NEAR_MAX)
			hits[nhits++] = (near){v[i], 0};
		total++;
	}
	if (builtin || total == 1) {
		*found = builtin ? builtin : hits[0].s;
		return 0;
	}
	if (total > 1) {
		qsort(hits, nhits, sizeof *hits, by_dist);
		ev_buf_printf(msg, "the label sheet '%s' is ambiguous: %zu brands have "
		              "that part; name the brand: ", name, total);
		list_names(msg, hits, nhits);
		if (total > nhits)
			ev_buf_printf(msg, " and %zu more", total - nhits);
		return 1;
	}
	/* None: the closest by edit distance, or holding the name. */
	near close[NEAR_MAX + 1];
	size_t nclose = 0;
	size_t len = strlen(want);
	size_t within = len < 4 ? 1 : len < 10 ? 2 : 3;
	for (size_t i = 0; *want && i < n; i++) {
		full_key(v[i], k);
		key(v[i]->part, part);
		size_t d1 = distance(k, want), d2 = distance(part, want);
		size_t d = d1 < d2 ? d1 : d2;
		if (d > within && len >= 3 && strstr(k, want))
			d = within;
		if (d > within)
			continue;
		/* kept sorted, the farthest falling off the end */
		close[nclose] = (near){v[i], d};
		qsort(close, nclose + 1, sizeof *close, by_dist);
		if (nclose < NEAR_MAX)
			nclose++;
	}
	ev_buf_printf(msg, "unknown label sheet '%s'", name);
	if (nclose) {
		ev_buf_printf(msg, "; the closest: ");
		list_names(msg, close, nclose);
	}
	return 1;
}

/* Whether word is in s, ignoring ASCII case. */
static bool contains(const char *s, const char *word)
{
	size_t n = strlen(word);
	for (; s && *s; s++) {
		size_t i = 0;
		while (i < n && s[i]) {
			char a = s[i], b = word[i];
			if (a >= 'A' && a <= 'Z')
				a = (char)(a - 'A' + 'a');
			if (b >= 'A' && b <= 'Z')
				b = (char)(b - 'A' + 'a');
			if (a != b)
				break;
			i++;
		}
		if (i == n)
			return true;
	}
	return n == 0;
}

bool ev_label_matches(const ev_label_sheet *s, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!contains(s->brand, words[i]) && !contains(s->part, words[i]) &&
		    !contains(s->paper, words[i]) && !contains(s->description, words[i]))
			return false;
	return true;
}

int ev_label_describe(const ev_label_sheet *s, ev_buf *out)
{
	char name[2 * KEY_CAP], w[32], h[32], size[96];
	ev_label_name(s, name, sizeof name);
	ev_mm_text(s->label_w, w, sizeof w);
	ev_mm_text(s->label_h, h, sizeof h);
	switch (s->shape) {
	case EV_LABEL_RECT:
		snprintf(size, sizeof size, "%s × %s mm", w, h);
		break;
	case EV_LABEL_ROUND:
		snprintf(size, sizeof size, "%s mm round", w);
		break;
	case EV_LABEL_ELLIPSE:
		snprintf(size, sizeof size, "%s × %s mm oval", w, h);
		break;
	case EV_LABEL_CD:
		ev_mm_text(2 * s->radius, w, sizeof w);
		snprintf(size, sizeof size, "%s mm CD", w);
		break;
	}
	/* Columns padded by characters, not bytes ("×" is two). */
	size_t size_chars = ev_utf8_count(size, strlen(size));
	return ev_buf_printf(out, "%-24s  %-10s  %s%*s  %4zu  %s", name,
	                     s->paper ? s->paper : "", size,
	                     size_chars < 18 ? (int)(18 - size_chars) : 0, "",
	                     ev_label_count(s), s->description ? s->description : "");
}
