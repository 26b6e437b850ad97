/* font.h - the fonts envoi draws with, through HarfBuzz: which characters a
 * face has, how wide text is (kerned), the glyphs that draw it, and the
 * batch's subset of each face for embedding. Layout measures through this
 * module and the PDF writer draws what it returns, so what is measured is
 * what is drawn. Pure: font bytes in, no files. */
#ifndef EV_FONT_H
#define EV_FONT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "metrics.h"

typedef struct ev_font ev_font;

/* A face from the bytes of a TrueType file. The bytes are not copied: they
 * must outlive the font. NULL with a sentence in why (NUL-terminated,
 * truncated to cap) when they are not a usable TrueType font (no glyf
 * outlines, no Unicode cmap, a table outside the file). */
ev_font *ev_font_new(const void *data, size_t len, char *why, size_t cap);
void ev_font_free(ev_font *f);    /* accepts NULL */

/* A font for another thread, drawing as base does: base's face and
 * character map shared (base must outlive it), its own shaping buffer and
 * cache. NULL when out of memory. Cheap: the character map is not made
 * again. */
ev_font *ev_font_sibling(const ev_font *base);

/* The glyph for code point cp, 0 when the face has none. */
uint32_t ev_font_glyph(const ev_font *f, uint32_t cp);

/* One glyph of shaped text. */
typedef struct ev_glyph {
	uint32_t gid;        /* glyph in the face */
	uint32_t cp;         /* the character it draws: one glyph per character
	                        (ligatures off), so text extraction is exact */
	double advance;      /* 1/1000 em, kerning with the next glyph included */
} ev_glyph;

/* Shape valid UTF-8 text set in this face alone (kerning on, ligatures
 * off, left to right): writes the first min(n, cap) glyphs to out and
 * returns n, the number of characters. Results are cached per text, so a
 * word repeated in every letter is shaped once. An invalid byte is one
 * character, U+FFFD; where HarfBuzz would not give one glyph per character
 * the text is set from the cmap and hmtx alone (no kerning). Not thread-safe on the same
 * font: each worker thread uses its own ev_font (ev_font_new on the same
 * bytes is cheap). */
size_t ev_font_shape(ev_font *f, const char *s, size_t len, ev_glyph *out,
                     size_t cap);

/* Advance width of the text in 1/1000 em: the sum of ev_font_shape's
 * advances. Same caching and threading as ev_font_shape. */
double ev_font_width(ev_font *f, const char *s, size_t len);

/* What the PDF font descriptor says of the face, in 1/1000 em. */
typedef struct ev_font_info {
	char ps_name[64];    /* PostScript name, e.g. "PTSerif-Regular" */
	double ascent, descent, cap_height, italic_angle, stem_v;
	double bbox[4];      /* xMin yMin xMax yMax */
	bool fixed_pitch, serif, italic, bold;
} ev_font_info;
void ev_font_info_get(const ev_font *f, ev_font_info *out);

/* The fonts of a campaign: a face per style and, for the characters it
 * lacks, a fallback face per style (NULL: none). Not owned. */
typedef struct ev_fontset {
	ev_font *face[EV_FACE_COUNT];
	ev_font *fallback[EV_FACE_COUNT];
} ev_fontset;

/* Which font of the set draws each character: the length of the run at s
 * drawn by one font, and in *which 0 (the face), 1 (its fallback) or -1
 * (neither has the character; the run is that one character). */
size_t ev_fontset_run(const ev_fontset *fs, ev_face face, const char *s,
                      size_t len, int *which);

/* Metrics over a font set for layout: text measured word by word and space
 * by space (as the PDF writer shapes it: no kerning across a space), each
 * run in the font that draws it, kerned within the run; a character
 * neither has measures as the face's .notdef. has_glyph is true when
 * either font has the character. Valid while fs and its fonts are. */
ev_metrics ev_fontset_metrics(ev_fontset *fs);

/* A subset of a face for embedding: exactly the given glyphs (plus .notdef
 * and the parts of composite glyphs), hinting dropped, glyph IDs
 * renumbered. Made with hb-subset. */
typedef struct ev_subset {
	ev_buf ttf;          /* the subset font file */
	uint32_t *old_to_new;/* indexed by glyph in the face, 0 for a glyph not
	                        kept (nglyphs entries) */
	size_t nglyphs;      /* glyphs in the face */
	uint32_t *new_cp;    /* the character each new glyph draws (0: none),
	                        indexed by new glyph ID; nnew entries */
	double *new_width;   /* advance of each new glyph, 1/1000 em */
	size_t nnew;
	char tag[7];         /* six capital letters from a hash of the glyph
	                        list: the same glyphs give the same tag */
} ev_subset;

/* Make the subset of f for the characters cps[0..n) (each drawn by its
 * own glyph; order and repeats do not matter). Returns 0, or -1 with a
 * sentence in why, also when the face has no glyph for one of them (the
 * code point is named). The subset keeps head, hhea, hmtx, loca, glyf,
 * maxp (hinting fields zeroed), cmap (for cps), OS/2 and post (version 3).
 * Where two characters share one glyph, new_cp names the lower one. The
 * same face and characters give the same bytes. The caller frees *out with
 * ev_subset_free (*out is zeroed on failure). */
int ev_subset_make(const ev_font *f, const uint32_t *cps, size_t n,
                   ev_subset *out, char *why, size_t cap);
void ev_subset_free(ev_subset *s);   /* accepts NULL */

#endif
