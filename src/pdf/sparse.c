/* sparse.c - a letter's own copy of the batch's font subset (see
 * sparse.h), after the OpenType specification: the table directory, head
 * (checkSumAdjustment, indexToLocFormat), loca and the composite glyph
 * records of glyf. */
#include "sparse.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static uint32_t be16(const unsigned char *p) { return (uint32_t)p[0] << 8 | p[1]; }

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put16(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* Composite glyph flags (OpenType glyf: Composite Glyph Description). */
enum {
	ARG_1_AND_2_ARE_WORDS = 0x0001,
	WE_HAVE_A_SCALE = 0x0008,
	MORE_COMPONENTS = 0x0020,
	WE_HAVE_AN_X_AND_Y_SCALE = 0x0040,
	WE_HAVE_A_TWO_BY_TWO = 0x0080,
};

/* The components of glyph data g[0..len): appended to s->comp (when
 * `count` is false) or counted in *n. -1 when the record is cut short. */
static int components(const unsigned char *g, size_t len, ev_sparse *s, size_t *n,
                      bool count)
{
	if (len < 10 || (int16_t)be16(g) >= 0)
		return 0;
	size_t at = 10;
	uint32_t flags;
	do {
		if (at + 4 > len)
			return -1;
		flags = be16(g + at);
		uint32_t glyph = be16(g + at + 2);
		at += 4 + ((flags & ARG_1_AND_2_ARE_WORDS) ? 4 : 2);
		at += (flags & WE_HAVE_A_SCALE) ? 2 : (flags & WE_HAVE_AN_X_AND_Y_SCALE) ? 4
		      : (flags & WE_HAVE_A_TWO_BY_TWO) ? 8 : 0;
		if (glyph >= s->nglyphs || at > len)
			return -1;
		if (!count)
			s->comp[*n] = (uint16_t)glyph;
		(*n)++;
	} while (flags & MORE_COMPONENTS);
	return 0;
}

void ev_sparse_free(ev_sparse *s)
{
	ev_buf_free(&s->fixed);
	free(s->off);
	free(s->comp);
	free(s->comp_at);
	memset(s, 0, sizeof *s);
}

int ev_sparse_init(ev_sparse *s, const void *ttf, size_t len)
{
	const unsigned char *f = ttf;
	memset(s, 0, sizeof *s);
	if (len < 12)
		return -1;
	size_t ntables = be16(f + 4);
	ev_sparse_table loca = {0};
	if (12 + 16 * ntables > len)
		return -1;
	for (size_t i = 0; i < ntables; i++) {
		const unsigned char *r = f + 12 + 16 * i;
		size_t off = be32(r + 8), n = be32(r + 12);
		if (off > len || n > len - off)
			return -1;
		ev_sparse_table t = {f + off, n};
		if (!memcmp(r, "head", 4))
			s->head = t;
		else if (!memcmp(r, "hhea", 4))
			s->hhea = t;
		else if (!memcmp(r, "maxp", 4))
			s->maxp = t;
		else if (!memcmp(r, "hmtx", 4))
			s->hmtx = t;
		else if (!memcmp(r, "glyf", 4))
			s->glyf = t;
		else if (!memcmp(r, "loca", 4))
			loca = t;
	}
	if (s->head.len < 54 || s->hhea.len < 36 || s->maxp.len < 6 || !s->glyf.p || !loca.p)
		return -1;
	s->nglyphs = be16(s->maxp.p + 4);
	bool wide = be16(s->head.p + 50) != 0;
	if (loca.len < (s->nglyphs + 1) * (wide ? 4 : 2))
		return -1;
	s->off = malloc((s->nglyphs + 1) * sizeof *s->off);
	s->comp_at = malloc((s->nglyphs + 1) * sizeof *s->comp_at);
	if (!s->off || !s->comp_at)
		goto bad;
	for (size_t g = 0; g <= s->nglyphs; g++) {
		s->off[g] = wide ? be32(loca.p + 4 * g) : 2 * be16(loca.p + 2 * g);
		if (s->off[g] > s->glyf.len || (g && s->off[g] < s->off[g - 1]))
			goto bad;
	}
	/* The components of each glyph: counted, then listed. */
	size_t n = 0;
	for (size_t g = 0; g < s->nglyphs; g++)
		if (components(s->glyf.p + s->off[g], s->off[g + 1] - s->off[g], s, &n, true) < 0)
			goto bad;
	s->comp = malloc((n ? n : 1) * sizeof *s->comp);
	if (!s->comp)
		goto bad;
	n = 0;
	for (size_t g = 0; g < s->nglyphs; g++) {
		s->comp_at[g] = (uint32_t)n;
		components(s->glyf.p + s->off[g], s->off[g + 1] - s->off[g], s, &n, false);
	}
	s->comp_at[s->nglyphs] = (uint32_t)n;
	return 0;
bad:
	ev_sparse_free(s);
	return -1;
}

/* The checksum of a table: its big-endian 32-bit words, the last padded
 * with zeros. */
static uint32_t checksum(const unsigned char *p, size_t len)
{
	uint32_t sum = 0;
	size_t i = 0;
	for (; i + 4 <= len; i += 4)
		sum += be32(p + i);
	if (i < len) {
		unsigned char last[4] = {0};
		memcpy(last, p + i, len - i);
		sum += be32(last);
	}
	return sum;
}

/* Mark the components of every glyph keep marks, and theirs. */
static void close_over(const ev_sparse *s, unsigned char *keep)
{
	for (bool more = true; more;) {
		more = false;
		for (size_t g = 0; g < s->nglyphs; g++)
			for (uint32_t k = keep[g] ? s->comp_at[g] : s->comp_at[g + 1];
			     k < s->comp_at[g + 1]; k++)
				if (!keep[s->comp[k]]) {
					keep[s->comp[k]] = 1;
					more = true;
				}
	}
}

/* A table of a font file being put together. */
typedef struct table {
	char tag[5];
	const unsigned char *p;
	size_t len;
} table;

/* A table's entry in a font file's directory. */
typedef struct dir_entry {
	const char *tag;
	size_t at, len;
	uint32_t sum;
} dir_entry;

/* The offset table and the directory of the n (at most 16) tables e
 * (sorted by tag) at f. */
static void directory(unsigned char *f, int n, const dir_entry *e)
{
	int pow2 = 1, log2 = 0;
	while (pow2 * 2 <= n) {
		pow2 *= 2;
		log2++;
	}
	put32(f, 0x00010000);
	put16(f + 4, (uint32_t)n);
	put16(f + 6, (uint32_t)(16 * pow2));
	put16(f + 8, (uint32_t)log2);
	put16(f + 10, (uint32_t)(16 * (n - pow2)));
	for (int i = 0; i < n; i++) {
		unsigned char *r = f + 12 + 16 * i;
		memcpy(r, e[i].tag, 4);
		put32(r + 4, e[i].sum);
		put32(r + 8, (uint32_t)e[i].at);
		put32(r + 12, (uint32_t)e[i].len);
	}
}

/* The font file of tables t[0..n) (sorted by tag, one of them head),
 * with its directory and checksums, appended to out. */
static int assemble(const table *t, int n, ev_buf *out)
{
	if (n > 16)
		return -1;
	dir_entry e[16];
	size_t total = 12 + 16 * (size_t)n;
	for (int i = 0; i < n; i++) {
		e[i] = (dir_entry){.tag = t[i].tag, .at = total, .len = t[i].len};
		total += (t[i].len + 3) & ~(size_t)3;
	}
	size_t start = out->len;
	if (ev_buf_reserve(out, total) < 0)
		return -1;
	unsigned char *f = (unsigned char *)out->data + start, *head = NULL;
	memset(f, 0, total);
	for (int i = 0; i < n; i++) {
		memcpy(f + e[i].at, t[i].p, t[i].len);
		if (!strcmp(t[i].tag, "head")) {
			head = f + e[i].at;
			put32(head + 8, 0);
		}
		e[i].sum = checksum(f + e[i].at, t[i].len);
	}
	directory(f, n, e);
	if (head)
		put32(head + 8, 0xB1B0AFBAu - checksum(f, total));
	out->len = start + total;
	out->data[out->len] = '\0';
	return 0;
}

int ev_sparse_reorder(ev_subset *sub, unsigned char *first, size_t *nfirst)
{
	ev_sparse s;
	if (ev_sparse_init(&s, sub->ttf.data, sub->ttf.len) < 0)
		return -1;
	size_t n = s.nglyphs, nh = be16(s.hhea.p + 34);
	int rc = -1;
	uint32_t *perm = malloc((n + 1) * sizeof *perm), *inv = malloc((n + 1) * sizeof *inv);
	uint32_t *cp = malloc((n + 1) * sizeof *cp);
	double *width = malloc((n + 1) * sizeof *width);
	unsigned char *hmtx = malloc(4 * n + 4), *loca = malloc(4 * (n + 1));
	unsigned char *head = malloc(s.head.len), *hhea = malloc(s.hhea.len);
	unsigned char *glyf = malloc(s.glyf.len + 4 * n + 4);
	ev_buf ttf = {0};
	if (!perm || !inv || !cp || !width || !hmtx || !loca || !head || !hhea || !glyf ||
	    n != sub->nnew || nh == 0 || nh > n || s.hmtx.len < 4 * nh + 2 * (n - nh))
		goto done;
	first[0] = 1;
	close_over(&s, first);
	size_t k = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t g = 0; g < n; g++)
			if ((first[g] ? 0 : 1) == pass) {
				perm[g] = (uint32_t)k;
				inv[k++] = (uint32_t)g;
				if (!pass)
					*nfirst = k;
			}
	/* The outlines in their new order, components renumbered; the first
	 * group padded to 4 bytes. */
	size_t at = 0;
	for (size_t j = 0; j < n; j++) {
		uint32_t g = inv[j];
		size_t len = s.off[g + 1] - s.off[g];
		put32(loca + 4 * j, (uint32_t)at);
		memcpy(glyf + at, s.glyf.p + s.off[g], len);
		size_t c = 0;
		components(s.glyf.p + s.off[g], len, &s, &c, true);
		if (c) {
			/* Walk the record again, writing the new numbers. */
			unsigned char *r = glyf + at;
			size_t p = 10;
			uint32_t flags;
			do {
				flags = be16(r + p);
				put16(r + p + 2, perm[be16(r + p + 2)]);
				p += 4 + ((flags & ARG_1_AND_2_ARE_WORDS) ? 4 : 2);
				p += (flags & WE_HAVE_A_SCALE) ? 2 : (flags & WE_HAVE_AN_X_AND_Y_SCALE) ? 4
				     : (flags & WE_HAVE_A_TWO_BY_TWO) ? 8 : 0;
			} while (flags & MORE_COMPONENTS);
		}
		at += len;
		if (j + 1 == *nfirst)
			while (at % 4) glyf[at++] = 0;
		/* Metrics in full: the advances after numberOfHMetrics repeat. */
		uint32_t adv = be16(s.hmtx.p + 4 * (g < nh ? g : nh - 1));
		uint32_t lsb = g < nh ? be16(s.hmtx.p + 4 * g + 2) : be16(s.hmtx.p + 4 * nh + 2 * (g - nh));
		put16(hmtx + 4 * j, adv);
		put16(hmtx + 4 * j + 2, lsb);
		cp[j] = sub->new_cp[g];
		width[j] = sub->new_width[g];
	}
	put32(loca + 4 * n, (uint32_t)at);
	memcpy(head, s.head.p, s.head.len);
	put16(head + 50, 1);
	memcpy(hhea, s.hhea.p, s.hhea.len);
	put16(hhea + 34, (uint32_t)n);
	const table t[] = {
		{"glyf", glyf, at}, {"head", head, s.head.len}, {"hhea", hhea, s.hhea.len},
		{"hmtx", hmtx, 4 * n}, {"loca", loca, 4 * (n + 1)}, {"maxp", s.maxp.p, s.maxp.len},
	};
	if (assemble(t, 6, &ttf) < 0)
		goto done;
	for (size_t o = 0; o < sub->nglyphs; o++)
		if (sub->old_to_new[o] < n)
			sub->old_to_new[o] = perm[sub->old_to_new[o]];
	memcpy(sub->new_cp, cp, n * sizeof *cp);
	memcpy(sub->new_width, width, n * sizeof *width);
	ev_buf_free(&sub->ttf);
	sub->ttf = ttf;
	ttf = (ev_buf){0};
	rc = 0;
done:
	ev_buf_free(&ttf);
	ev_sparse_free(&s);
	free(perm);
	free(inv);
	free(cp);
	free(width);
	free(hmtx);
	free(loca);
	free(head);
	free(hhea);
	free(glyf);
	return rc;
}

int ev_sparse_fix(ev_sparse *s, size_t nfirst)
{
	ev_buf c = {0};
	s->nfirst = nfirst;
	s->hmtx_sum = checksum(s->hmtx.p, s->hmtx.len);
	s->first_sum = checksum(s->glyf.p, s->off[nfirst]);
	ev_buf_append(&c, s->hmtx.p, s->hmtx.len);
	ev_buf_append(&c, s->glyf.p, s->off[nfirst]);
	ev_buf_reset(&s->fixed);
	int rc = c.failed || (s->hmtx.len % 4) || (s->off[nfirst] % 4) ||
	         !ev_deflate_piece(c.data, c.len, &s->fixed) ? -1 : 0;
	s->fixed_len = c.len;
	s->fixed_adler = (uint32_t)adler32(1, (const Bytef *)c.data, (uInt)c.len);
	ev_buf_free(&c);
	return rc;
}

int ev_sparse_deflate(const ev_sparse *s, unsigned char *keep, ev_flate *f,
                      ev_buf *tmp, ev_buf *out, size_t *length1)
{
	size_t n = s->nglyphs, nf = s->nfirst;
	keep[0] = 1;
	close_over(s, keep);
	/* The file: P (the directory), then the fixed part (hmtx, the first
	 * outlines), then S (the letter's other outlines, loca, head, hhea,
	 * maxp), each table on 4 bytes. */
	size_t more = 0;
	bool even = true;
	for (size_t g = nf; g < n; g++)
		if (keep[g]) {
			more += s->off[g + 1] - s->off[g];
			even &= (s->off[g + 1] - s->off[g]) % 2 == 0;
		}
	size_t morep = (more + 3) & ~(size_t)3;
	size_t glyf_len = s->off[nf] + morep;
	/* The short loca (offsets / 2) when every offset is even. */
	bool wide = !even || s->off[nf] % 2 || glyf_len / 2 > 0xFFFF;
	size_t loca_len = (n + 1) * (wide ? 4 : 2);
	size_t pad[3], len[3] = {s->head.len, s->hhea.len, s->maxp.len};
	for (int i = 0; i < 3; i++)
		pad[i] = (len[i] + 3) & ~(size_t)3;
	size_t plen = 12 + 16 * 6, glyf_at = plen + s->hmtx.len;
	size_t loca_at = glyf_at + glyf_len, head_at = loca_at + ((loca_len + 3) & ~(size_t)3);
	size_t hhea_at = head_at + pad[0], maxp_at = hhea_at + pad[1], total = maxp_at + pad[2];
	size_t s_at = glyf_at + s->off[nf], slen = total - s_at;
	ev_buf_reset(tmp);
	if (ev_buf_reserve(tmp, plen + slen) < 0)
		return -1;
	unsigned char *P = (unsigned char *)tmp->data, *S = P + plen;
	memset(P, 0, plen + slen);
	/* S: the outlines, loca, then the small tables. */
	unsigned char *loca = S + (loca_at - s_at), *head = S + (head_at - s_at);
	size_t at = 0;
	for (size_t g = 0; g <= n; g++) {
		uint32_t o = g <= nf ? s->off[g] : (uint32_t)(s->off[nf] + at);
		if (wide)
			put32(loca + 4 * g, o);
		else
			put16(loca + 2 * g, o / 2);
		if (g >= nf && g < n && keep[g]) {
			memcpy(S + at, s->glyf.p + s->off[g], s->off[g + 1] - s->off[g]);
			at += s->off[g + 1] - s->off[g];
		}
	}
	memcpy(head, s->head.p, s->head.len);
	put32(head + 8, 0);
	put16(head + 50, wide ? 1 : 0);
	memcpy(S + (hhea_at - s_at), s->hhea.p, s->hhea.len);
	memcpy(S + (maxp_at - s_at), s->maxp.p, s->maxp.len);
	const dir_entry dir[6] = {
		{"glyf", glyf_at, glyf_len, s->first_sum + checksum(S, morep)},
		{"head", head_at, s->head.len, checksum(head, s->head.len)},
		{"hhea", hhea_at, s->hhea.len, checksum(S + (hhea_at - s_at), s->hhea.len)},
		{"hmtx", plen, s->hmtx.len, s->hmtx_sum},
		{"loca", loca_at, loca_len, checksum(loca, loca_len)},
		{"maxp", maxp_at, s->maxp.len, checksum(S + (maxp_at - s_at), s->maxp.len)},
	};
	directory(P, 6, dir);
	uint32_t whole = checksum(P, plen) + s->hmtx_sum + s->first_sum + checksum(S, slen);
	put32(head + 8, 0xB1B0AFBAu - whole);
	/* The zlib stream: header, P stored, the fixed part as deflated once,
	 * S deflated now (the last block), the Adler-32 of all of it. */
	size_t start = out->len;
	unsigned char hdr[7] = {0x78, 0xDA, 0x00, (unsigned char)plen, (unsigned char)(plen >> 8),
	                        (unsigned char)~plen, (unsigned char)(~plen >> 8)};
	ev_buf_append(out, hdr, sizeof hdr);
	ev_buf_append(out, P, plen);
	ev_buf_append(out, s->fixed.data, s->fixed.len);
	if (out->failed || !ev_deflate_last_piece(f, S, slen, out)) {
		out->len = start;
		return -1;
	}
	uLong a = adler32(1, P, (uInt)plen);
	a = adler32_combine(a, s->fixed_adler, (z_off_t)s->fixed_len);
	a = adler32_combine(a, adler32(1, S, (uInt)slen), (z_off_t)slen);
	unsigned char tail[4];
	put32(tail, (uint32_t)a);
	if (ev_buf_append(out, tail, 4) < 0) {
		out->len = start;
		return -1;
	}
	*length1 = total;
	return 0;
}
