/* proof.c - the proof sheet (see proof.h): cells of 3 x 4 on the paper,
 * each a letter's page reduced into it above a one-line caption. */
#include "proof.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <utf8proc.h>

#include "text.h"

#define MARGIN EV_MM(10.0)
#define GAP_X EV_MM(6.0)           /* between columns */
#define GAP_Y EV_MM(4.0)           /* between a caption and the next row */
#define CAPTION_GAP EV_MM(1.2)     /* the frame to the caption's top */
#define CAPTION_SIZE 7.0
/* The caption is set smaller down to this size before it is cut. */
#define CAPTION_MIN 5.0
#define CAPTION_BAND (CAPTION_GAP + CAPTION_SIZE)
#define FRAME 0.5
#define WINDOW 0.75
/* Caption bytes looked at: more than the widest cell shows at
 * CAPTION_MIN (a 60 mm cell holds about 100 of the narrowest characters),
 * and a bound on the work of cutting. */
#define CAPTION_MAX 480

static const char dots[] = "\xE2\x80\xA6";

const char *ev_proof_chars(void)
{
	return " 0123456789\xE2\x80\xA6";
}

/* Whether a cut may fall before code point cp: not before a mark, which
 * belongs to the character before it. */
static bool may_cut_before(uint32_t cp)
{
	utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
	return c != UTF8PROC_CATEGORY_MN && c != UTF8PROC_CATEGORY_MC &&
	       c != UTF8PROC_CATEGORY_ME;
}

/* The first k bytes of s, without trailing spaces, and "…", into out.
 * Its length. */
static size_t cut_at(const char *s, size_t k, char *out)
{
	while (k > 0 && s[k - 1] == ' ')
		k--;
	memcpy(out, s, k);
	memcpy(out + k, dots, 3);
	return k + 3;
}

/* s cut with "…" as long as fits width at size, into out (CAPTION_MAX + 4
 * bytes). Its length, or 0 when not even "…" fits. */
static size_t ellipsize(const ev_metrics *m, double size, double width,
                        const char *s, size_t len, char *out)
{
	size_t off[CAPTION_MAX + 1], n = 0;
	for (size_t i = 0; i < len;) {
		size_t at = i;
		if (may_cut_before(ev_utf8_next(s, len, &i)) || n == 0)
			off[n++] = at;
	}
	/* The longest prefix that fits with the dots (binary search: width
	 * grows with the prefix). */
	size_t lo = 0, hi = n - 1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2;
		size_t k = cut_at(s, off[mid], out);
		if (ev_text_width(m, EV_FACE_REGULAR, size, out, k) <= width)
			lo = mid;
		else
			hi = mid - 1;
	}
	size_t k = cut_at(s, off[lo], out);
	return ev_text_width(m, EV_FACE_REGULAR, size, out, k) <= width ? k : 0;
}

/* The caption "0001 Name" centred on cx, baseline y, at most width wide:
 * as it is, else smaller down to CAPTION_MIN, else cut with "…". */
static int caption(ev_display *dl, ev_page *pg, const ev_metrics *m, double cx,
                   double y, double width, const ev_proof_item *it)
{
	char text[CAPTION_MAX + 4], cut[CAPTION_MAX + 4];
	int n = snprintf(text, sizeof text, "%04zu%s%s", it->seq,
	                 it->name && *it->name ? " " : "", it->name ? it->name : "");
	size_t len = n < 0 ? 0 : (size_t)n < CAPTION_MAX ? (size_t)n : CAPTION_MAX;
	/* A name past CAPTION_MAX bytes is cut anyway: at a character. */
	while (len > 0 && len < (size_t)n && ((unsigned char)text[len] & 0xC0) == 0x80)
		len--;
	const char *s = text;
	double size = CAPTION_SIZE;
	double w = ev_text_width(m, EV_FACE_REGULAR, size, s, len);
	if (w > width || len < (size_t)n) {
		/* Width grows with size in proportion: the size that fits, to a
		 * tenth of a point below. */
		double fit = w > width ? floor(size * width / w * 10.0) / 10.0 : size;
		size = fit < CAPTION_MIN ? CAPTION_MIN : fit;
		w = ev_text_width(m, EV_FACE_REGULAR, size, s, len);
		if (w > width || len < (size_t)n) {
			len = ellipsize(m, size, width, s, len, cut);
			s = cut;
			w = ev_text_width(m, EV_FACE_REGULAR, size, s, len);
		}
	}
	if (len == 0)
		return 0;
	return ev_display_text(dl, pg, cx - w / 2, y, EV_FACE_REGULAR, size, s, len);
}

/* Item it in cell `slot` of pg: the letter's page reduced and framed, the
 * window over it, the caption under it. */
static int one_cell(ev_display *dl, ev_page *pg, const ev_metrics *m,
                    size_t slot, const ev_proof_item *it,
                    const ev_proof_window *win)
{
	double cell_w = (pg->width - 2 * MARGIN - (EV_PROOF_COLS - 1) * GAP_X) / EV_PROOF_COLS;
	double cell_h = (pg->height - 2 * MARGIN - (EV_PROOF_ROWS - 1) * GAP_Y) / EV_PROOF_ROWS;
	double x0 = MARGIN + (double)(slot % EV_PROOF_COLS) * (cell_w + GAP_X);
	double y0 = MARGIN + (double)(slot / EV_PROOF_COLS) * (cell_h + GAP_Y);
	bool sized = it->page_w > 0 && it->page_h > 0 && isfinite(it->page_w) &&
	             isfinite(it->page_h);
	double pw = sized ? it->page_w : pg->width, ph = sized ? it->page_h : pg->height;
	double scale = fmin(cell_w / pw, (cell_h - CAPTION_BAND) / ph);
	double w = pw * scale, h = ph * scale;
	double x = x0 + (cell_w - w) / 2;
	if (it->pages && ev_display_form(dl, pg, x, y0, w, h, it->pages, it->index) < 0)
		return -1;
	if (ev_display_rect(dl, pg, x, y0, w, h, FRAME) < 0)
		return -1;
	if (win && win->w > 0 && win->h > 0 &&
	    ev_display_rect(dl, pg, x + EV_MM(win->x) * scale, y0 + EV_MM(win->y) * scale,
	                    EV_MM(win->w) * scale, EV_MM(win->h) * scale, WINDOW) < 0)
		return -1;
	return caption(dl, pg, m, x0 + cell_w / 2, y0 + h + CAPTION_GAP + CAPTION_SIZE * 0.8,
	               cell_w, it);
}

int ev_layout_proof(const ev_proof_item *items, size_t count,
                    const ev_proof_window *window, const ev_paper *paper,
                    const ev_metrics *m, ev_display *dl)
{
	if (!paper)
		paper = ev_paper_default();
	ev_page *pg = NULL;
	for (size_t i = 0; i < count; i++) {
		if (i % EV_PROOF_PER_PAGE == 0 &&
		    !(pg = ev_display_add_page(dl, EV_MM(paper->w), EV_MM(paper->h))))
			return -1;
		if (one_cell(dl, pg, m, i % EV_PROOF_PER_PAGE, &items[i], window) < 0)
			return -1;
	}
	return 0;
}
