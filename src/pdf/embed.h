/* embed.h - the fonts a batch embeds, made once: which characters each font
 * of the set draws (collected from the display lists of a first pass over
 * the batch), its subset (hb-subset, hinting dropped), the subset deflated,
 * the /W widths and the ToUnicode CMap. Read-only once made, so every
 * worker shares it. Pure: no files, no PDF library (zlib only). */
#ifndef EV_EMBED_H
#define EV_EMBED_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"
#include "display.h"
#include "font.h"
#include "sparse.h"

/* A font of the set: face f is slot f, its fallback slot EV_FACE_COUNT + f. */
#define EV_EMBED_SLOTS (2 * EV_FACE_COUNT)

typedef struct ev_charset ev_charset;

ev_charset *ev_charset_new(void);          /* NULL when out of memory */
void ev_charset_free(ev_charset *cs);      /* accepts NULL */

/* Note every character the display list draws, in the font that draws it.
 * A character no font of the set has is an error naming it and its page
 * (layout rejects such letters first, so this is a bug guard). Returns 0
 * or -1. */
int ev_charset_add(ev_charset *cs, const ev_fontset *fs, const ev_display *dl,
                   ev_diags *d);

/* The same for one text in one face. */
int ev_charset_add_text(ev_charset *cs, const ev_fontset *fs, ev_face face,
                        const char *s, size_t len, ev_diags *d);

/* Add what src holds to dst (workers collect apart). Returns 0 or -1. */
int ev_charset_merge(ev_charset *dst, const ev_charset *src);

/* One embedded font. */
typedef struct ev_embedded {
	const ev_font *font;      /* the face it was made from */
	ev_subset sub;            /* glyph map, widths, tag */
	ev_buf file;              /* the subset, deflated (zlib) */
	size_t file_len;          /* its length before deflating (Length1) */
	ev_buf widths;            /* "[0 [w0 w1 ...]]": the /W array */
	ev_buf tounicode;         /* the ToUnicode CMap, deflated */
	ev_font_info info;
	char base_font[80];       /* "TAGTAG+PSName" */
	ev_sparse sparse;         /* the subset read, for a letter's own copy */
} ev_embedded;

typedef struct ev_embed {
	ev_embedded *slot[EV_EMBED_SLOTS];   /* NULL: the batch never uses it */
} ev_embed;

/* Make the embedded fonts for everything cs holds. Returns 0, or -1 with
 * an error in d. Free with ev_embed_free (also after a failure). */
int ev_embed_make(ev_embed *e, const ev_fontset *fs, const ev_charset *cs,
                  ev_diags *d);
void ev_embed_free(ev_embed *e);           /* accepts NULL */

#endif
