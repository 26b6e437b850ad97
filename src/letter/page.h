/* page.h - the page setup a letter is laid out on: paper sizes and the
 * address-window presets (src/data/presets.tsv), and the words printed in
 * the page furniture per language. Pure data lookups. */
#ifndef EV_PAGE_H
#define EV_PAGE_H

#include <stddef.h>

/* A letter layout for a window envelope, in millimetres from the sheet's
 * top-left corner (columns documented in src/data/presets.tsv). */
typedef struct ev_preset {
	const char *id;
	double field_x, field_top, field_w;
	double zone;            /* top of the address zone; return line above */
	double field_bottom;    /* lowest possible address baseline + descent */
	double letterhead_top, info_top, body_top;
	double fold1, fold2, hole;   /* 0: no mark */
} ev_preset;

typedef struct ev_paper {
	const char *id;
	double w, h;            /* millimetres */
} ev_paper;

/* The preset / paper with this id (case-insensitive), or NULL. The
 * defaults are din5008-b and A4. Static storage. */
const ev_preset *ev_preset_find(const char *id);
const ev_paper *ev_paper_find(const char *id);
const ev_preset *ev_preset_default(void);
const ev_paper *ev_paper_default(void);

/* The ids joined with ", " into buf (NUL-terminated, truncated to cap),
 * for messages. Return the length. */
size_t ev_preset_names(char *buf, size_t cap);
size_t ev_paper_names(char *buf, size_t cap);

/* "Page 2 of 3" in the language (en, ru, be; anything else: en), written
 * to buf (NUL-terminated, truncated to cap). Returns the length. */
size_t ev_page_of(char *buf, size_t cap, const char *lang, size_t page,
                  size_t total);

#endif
