/* labels.c - address labels on label sheets (data/labels.tsv): one address
 * block per label, left to right, top to bottom, sheet after sheet. */
#include <strings.h>
#include <string.h>

#include "layout.h"

static const ev_label_sheet sheets[] = {
#include "labels.inc"
};

const ev_label_sheet *ev_label_sheet_find(const char *id)
{
	for (size_t i = 0; i < sizeof sheets / sizeof *sheets; i++)
		if (!strcasecmp(sheets[i].id, id))
			return &sheets[i];
	return NULL;
}

#define INSET EV_MM(6.0)
#define LABEL_SIZE 9.0
/* The smallest size a label line is set in. An address line is at most
 * 83 mm wide at 8 pt (the widest window text column, src/data/presets.tsv),
 * and the narrowest sheet's text column is 52 mm (L7160): 8 x 52 / 83 =
 * 5.0 pt, so every accepted address fits every sheet. */
#define LABEL_MIN 5.0

/* One label: the block centred vertically, each line set smaller when it
 * would not fit the label's width. */
static int one_label(const ev_label_sheet *s, ev_page *pg, ev_display *dl,
                     const ev_metrics *m, size_t slot,
                     const char *const *lines, size_t n)
{
	size_t col = slot % (size_t)s->cols, row = slot / (size_t)s->cols;
	double x = EV_MM(s->left + s->pitch_x * (double)col) + INSET;
	double top = EV_MM(s->top + s->pitch_y * (double)row);
	double width = EV_MM(s->label_w) - 2 * INSET;
	double lead = LABEL_SIZE * 1.2;
	double block = lead * (double)(n ? n - 1 : 0) + LABEL_SIZE;
	double y = top + (EV_MM(s->label_h) - block) / 2 + LABEL_SIZE * 0.8;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(lines[i]);
		double size = LABEL_SIZE;
		while (size > LABEL_MIN &&
		       ev_text_width(m, EV_FACE_REGULAR, size, lines[i], len) > width)
			size -= 0.5;
		if (ev_display_text(dl, pg, x, y + lead * (double)i, EV_FACE_REGULAR,
		                    size, lines[i], len) < 0)
			return -1;
	}
	return 0;
}

int ev_layout_labels(const ev_label_sheet *sheet,
                     const char *const *const *blocks, const size_t *nlines,
                     size_t count, const ev_metrics *m, ev_display *dl)
{
	size_t per_sheet = (size_t)sheet->cols * (size_t)sheet->rows;
	ev_page *pg = NULL;
	for (size_t i = 0; i < count; i++) {
		if (i % per_sheet == 0) {
			pg = ev_display_add_page(dl, EV_MM(sheet->paper_w), EV_MM(sheet->paper_h));
			if (!pg)
				return -1;
		}
		if (one_label(sheet, pg, dl, m, i % per_sheet, blocks[i], nlines[i]) < 0)
			return -1;
	}
	return 0;
}
