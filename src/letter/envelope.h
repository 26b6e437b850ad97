/* envelope.h - the address side of a plain (non-window) envelope laid out
 * into a display list: return address top left, the recipient's block in
 * the reading zone, the franking and coding zones kept clear (zones per
 * posting operator in src/data/envelope-zones.tsv, country names per
 * language in src/data/country-names.tsv). Pure: measures through
 * ev_metrics, draws nothing itself. */
#ifndef EV_ENVELOPE_H
#define EV_ENVELOPE_H

#include <stdbool.h>
#include <stddef.h>
#include "display.h"
#include "metrics.h"

/* The text of an envelope: all strings borrowed, valid NFC UTF-8. */
typedef struct ev_envelope_in {
	const char *size;                  /* "DL", "C6/5", "C5", "C4" (any case) */
	const char *posting;               /* posting country: "DE", "GB", "CH";
	                                      anything else or NULL: the largest
	                                      zones of the three */
	bool latin;                        /* the operator wants the address in
	                                      Latin letters as well
	                                      (ev_envelope_wants_latin) */
	const char *const *sender;         /* the return address, top down */
	size_t nsender;
	const char *const *address;        /* the recipient's block as written
	                                      (Cyrillic), top down, without the
	                                      country line */
	size_t naddress;
	const char *const *address_latin;  /* the same in Latin letters, or NULL;
	                                      printed only when latin is set */
	size_t naddress_latin;
	const char *const *country;        /* the country line(s), printed last,
	                                      e.g. from ev_envelope_country */
	size_t ncountry;
} ev_envelope_in;

/* A rectangle in points, from the envelope's top-left corner, y down. */
typedef struct ev_box {
	double x, y, w, h;
} ev_box;

/* Where things go on one envelope size for one posting operator. */
typedef struct ev_envelope_zones {
	double w, h;            /* the envelope, landscape */
	ev_box recipient;       /* the recipient's block stays inside */
	ev_box sender;          /* the return address stays inside */
	ev_box franking;        /* kept clear: stamp, franking or indicia */
	ev_box coding;          /* kept clear: the operator's coding zone */
	double max_width;       /* the widest an address block may be: 100 mm
	                           (Deutsche Post), or the zone when narrower */
} ev_envelope_zones;

/* A line of text occupies `size` x EV_ENVELOPE_ASCENT above its baseline
 * and `size` x EV_ENVELOPE_DESCENT below it (more than PT Serif's 1.018 /
 * 0.276 em and DejaVu Serif's 0.928 / 0.236 em); the zones hold these
 * boxes whole. */
#define EV_ENVELOPE_ASCENT 1.05
#define EV_ENVELOPE_DESCENT 0.3

/* The recipient's block is set at 11 pt, stepping down by 0.5 pt to 8 pt
 * when a line is too wide or the lines too many; the return address at
 * 8 pt, down to 6 pt. */
#define EV_ENVELOPE_SIZE 11.0
#define EV_ENVELOPE_MIN_SIZE 8.0
#define EV_ENVELOPE_SENDER_SIZE 8.0
#define EV_ENVELOPE_SENDER_MIN 6.0

/* The zones of envelope `size` posted from `posting` (as in
 * ev_envelope_in) into *z. Returns 0, or -1 when there is no such size. */
int ev_envelope_geometry(const char *size, const char *posting,
                         ev_envelope_zones *z);

/* Whether the address on envelope in fits: 0 with the recipient block's
 * size in *size (may be NULL), or 1 with a sentence in why naming the
 * envelope size (an unknown size, Latin wanted but not given, a character
 * the fonts lack, a line too wide or too many lines even at 8 pt, a return
 * address that does not fit its zone even at 6 pt). Allocates nothing: to
 * be called per row in a batch's first pass. */
int ev_envelope_fits(const ev_envelope_in *in, const ev_metrics *m,
                     double *size, char *why, size_t cap);

/* Lay out one envelope as one page appended to dl: the return address in
 * the sender zone, the recipient's block left-aligned in the reading zone
 * (towards the bottom right: from 45 % of the width, further left only as
 * far as a wide block needs; centred in the zone's height), the Cyrillic
 * lines first, then, when Latin is wanted, the Latin lines after half a
 * line's gap, then the country line(s), so the block ends in a whole Latin
 * address as sorting machines read it, bottom up. Returns 0, 1 when this
 * address cannot be printed on this envelope (nothing is appended; *reason
 * is the sentence of ev_envelope_fits, in dl's arena), or -1 when out of
 * memory. */
int ev_layout_envelope(const ev_envelope_in *in, const ev_metrics *m,
                       ev_display *dl, const char **reason);

/* The destination-country line as posted from `posting`: the country's
 * name in the posting country's language (German from DE; French from CH,
 * where Swiss Post takes French or English), then " / " and the English
 * name when they differ ("RUSSLAND / RUSSIA", but "BELARUS"); from anywhere
 * else, or for a country not in src/data/country-names.tsv, `country` as
 * given. `country` is the English name in capitals (the last line of a
 * recipient's address block; matched ignoring ASCII case). Written to buf
 * (NUL-terminated, truncated to cap); returns the length. */
size_t ev_envelope_country(const char *country, const char *posting,
                           char *buf, size_t cap);

/* Whether the operator of `posting` wants the address in Latin letters as
 * well as the destination's script (postal.md R3): Deutsche Post (DE)
 * always, Swiss Post (CH) for registered items, others not. */
bool ev_envelope_wants_latin(const char *posting, bool registered);

#endif
