/* sfnt.h - reading a TrueType font file's glyph table for what libharu
 * 2.3.0 gets wrong: it embeds the components of a composite glyph it draws,
 * but not the components of those (DejaVu Serif's ẽ is e + tildecomb, and
 * tildecomb is itself tilde moved), so such a letter would print without
 * its accent. Pure: works on the file's bytes.
 */
#ifndef EV_SFNT_H
#define EV_SFNT_H

#include <stddef.h>
#include <stdint.h>

/* The glyphs whose components are themselves composite, each with every
 * glyph it is built from, at any depth. */
typedef struct ev_glyph_deps {
	size_t n;          /* glyphs listed */
	uint16_t *glyph;   /* glyph ids, ascending */
	size_t *first;     /* glyph[i]'s components are comp[first[i]] up to
	                      comp[first[i + 1]] (n + 1 entries) */
	uint16_t *comp;
	unsigned num_glyphs;   /* the font's glyph count (maxp) */
} ev_glyph_deps;

/* Read the head, maxp, loca and glyf tables of the TrueType font in
 * font[0..len) and fill *out (zeroed first; free with ev_glyph_deps_free,
 * also after a failure). Returns 0, or -1 with the reason in why[0..n)
 * when a table is missing or lies, or memory runs out. Components nested
 * deeper than 16 levels (a loop in a broken font) are not followed. */
int ev_glyph_deps_read(const unsigned char *font, size_t len,
                       ev_glyph_deps *out, char *why, size_t n);

void ev_glyph_deps_free(ev_glyph_deps *d);   /* accepts NULL */

#endif
