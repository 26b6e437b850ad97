/* envelope.c - one plain envelope's address side: the zones of the posting
 * operator (data/envelope-zones.tsv) on the envelope size (post/postage.c's
 * table), the recipient's block in one or two scripts sized to fit, the
 * return address, and the country line in the posting country's language
 * (data/country-names.tsv). See ../shared/reference/postal.md section 3. */
#include "envelope.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "postage.h"
#include "text.h"

typedef struct ev_post_zones {
	const char *id;              /* posting country, "*" for any other */
	double frank_w, frank_h;     /* top right */
	double code_w, code_h;       /* bottom right, up to B5; width 0: whole */
	double big_code_w, big_code_h;   /* the same above B5 */
	double read_top, read_side, read_bottom;
} ev_post_zones;

static const ev_post_zones post_zones[] = {
#include "envelope-zones.inc"
};

typedef struct country_name {
	const char *en, *de, *fr;
} country_name;

static const country_name country_names[] = {
#include "country-names.inc"
};

/* B5 (ISO 216) lying landscape: Swiss Post's larger coding zone is for
 * envelopes above it (postal.md section 3.2). */
#define B5_LONG 250.0
#define B5_SHORT 176.0
/* The sender zone (mm, DERIVED): top left, 15 mm in like the address,
 * 10 mm from the top, 5 mm clear of the franking zone and of the reading
 * zone below it. */
#define SENDER_LEFT 15.0
#define SENDER_TOP 10.0
#define SENDER_GAP 5.0
/* An address block is at most 100 mm long (Deutsche Post's machine-reading
 * rules, postal.md section 3.3); it starts at 45 % of the envelope's width,
 * or further left when a wide block needs the room (DERIVED). */
#define BLOCK_MAX 100.0
#define BLOCK_FROM 0.45
#define LEAD 1.2                 /* baseline to baseline, in sizes */
#define SCRIPT_GAP 0.5           /* between the scripts, in lines */
#define STEP 0.5

static double mm_of(double pt)
{
	return pt * 25.4 / 72.0;
}

/* Whole millimetres, rounded, for messages. */
static int whole_mm(double pt)
{
	return (int)(mm_of(pt) + 0.5);
}

static ev_box box_mm(double x, double y, double w, double h)
{
	return (ev_box){EV_MM(x), EV_MM(y), EV_MM(w), EV_MM(h)};
}

static const ev_post_zones *zones_for(const char *posting)
{
	size_t n = sizeof post_zones / sizeof *post_zones;
	for (size_t i = 0; posting && i < n; i++)
		if (!strcasecmp(post_zones[i].id, posting))
			return &post_zones[i];
	for (size_t i = 0; i < n; i++)
		if (!strcmp(post_zones[i].id, "*"))
			return &post_zones[i];
	return &post_zones[0];
}

static double max2(double a, double b)
{
	return a > b ? a : b;
}

static double min2(double a, double b)
{
	return a < b ? a : b;
}

int ev_envelope_geometry(const char *size, const char *posting,
                         ev_envelope_zones *z)
{
	const ev_envelope *e = size ? ev_envelope_find(size) : NULL;
	if (!e)
		return -1;
	const ev_post_zones *pz = zones_for(posting);
	double w = e->w_mm, h = e->h_mm;
	bool big = w > B5_LONG || h > B5_SHORT;
	double cw = big ? pz->big_code_w : pz->code_w;
	double ch = big ? pz->big_code_h : pz->code_h;
	if (cw <= 0 || cw > w)
		cw = w;
	/* The reading zone starts below the franking zone and ends above the
	 * coding zone, whichever margin is the larger; the coding zone's band
	 * is kept clear across the whole width, not only at its corner. */
	double top = max2(pz->read_top, pz->frank_h);
	double bottom = h - max2(pz->read_bottom, ch);
	*z = (ev_envelope_zones){
		.w = EV_MM(w), .h = EV_MM(h),
		.recipient = box_mm(pz->read_side, top, w - 2 * pz->read_side, bottom - top),
		.sender = box_mm(SENDER_LEFT, SENDER_TOP,
		                 w - pz->frank_w - SENDER_GAP - SENDER_LEFT,
		                 top - SENDER_GAP - SENDER_TOP),
		.franking = box_mm(w - pz->frank_w, 0, pz->frank_w, pz->frank_h),
		.coding = box_mm(w - cw, h - ch, cw, ch),
	};
	z->max_width = min2(EV_MM(BLOCK_MAX), z->recipient.w);
	return 0;
}

/* ---- the recipient's block ---- */

/* The block's lines in order: the address as written, its Latin copy
 * when wanted, the country line(s). */
static size_t block_count(const ev_envelope_in *in)
{
	return in->naddress + (in->latin ? in->naddress_latin : 0) + in->ncountry;
}

/* Line i of the block; *gap is set when half a line's space comes before
 * it (the first Latin line). */
static const char *block_line(const ev_envelope_in *in, size_t i, bool *gap)
{
	*gap = false;
	if (i < in->naddress)
		return in->address[i];
	i -= in->naddress;
	if (in->latin) {
		if (i < in->naddress_latin) {
			*gap = i == 0 && in->naddress > 0;
			return in->address_latin[i];
		}
		i -= in->naddress_latin;
	}
	return in->country[i];
}

static bool has_gap(const ev_envelope_in *in)
{
	return in->latin && in->naddress && in->naddress_latin;
}

/* Height of n lines at size s, from the top of the first line's ascent to
 * the bottom of the last one's descent. */
static double lines_height(size_t n, double s, bool gap)
{
	if (!n)
		return 0;
	return s * (EV_ENVELOPE_ASCENT + EV_ENVELOPE_DESCENT) +
	       s * LEAD * ((double)(n - 1) + (gap ? SCRIPT_GAP : 0));
}

/* The widest line of the block at 1 pt, and which it is. */
static double block_widest(const ev_envelope_in *in, const ev_metrics *m,
                           size_t *which)
{
	double wmax = 0;
	size_t n = block_count(in);
	*which = 0;
	for (size_t i = 0; i < n; i++) {
		bool gap;
		const char *s = block_line(in, i, &gap);
		double w = ev_text_width(m, EV_FACE_REGULAR, 1.0, s, strlen(s));
		if (w > wmax)
			wmax = w, *which = i;
	}
	return wmax;
}

static double lines_widest(const char *const *lines, size_t n,
                           const ev_metrics *m, size_t *which)
{
	double wmax = 0;
	*which = 0;
	for (size_t i = 0; i < n; i++) {
		double w = ev_text_width(m, EV_FACE_REGULAR, 1.0, lines[i], strlen(lines[i]));
		if (w > wmax)
			wmax = w, *which = i;
	}
	return wmax;
}

/* The largest size from `from` down to `least` (in steps of 0.5 pt) at
 * which n lines, the widest `w1` points wide at 1 pt, fit a box `width`
 * wide and `height` high; 0 when none does. */
static double size_to_fit(double from, double least, double w1, size_t n,
                          bool gap, double width, double height)
{
	for (double s = from; s >= least - 1e-9; s -= STEP)
		if (w1 * s <= width + 1e-9 && lines_height(n, s, gap) <= height + 1e-9)
			return s;
	return 0;
}

static int missing_glyph(const char *const *lines, size_t n, const ev_metrics *m,
                         const char *what, char *why, size_t cap)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t cp = ev_missing_glyph(m, EV_FACE_REGULAR, lines[i], strlen(lines[i]));
		if (cp) {
			char ch[5] = {0};
			ev_utf8_encode(cp, ch);
			snprintf(why, cap, "the character U+%04X '%s' in %s is in none of "
			         "the fonts (the main one and its fallback), so it cannot "
			         "be printed on the envelope", (unsigned)cp, ch, what);
			return 1;
		}
	}
	return 0;
}

/* The sizes of both blocks, or 1 with the reason. */
static int fit(const ev_envelope_in *in, const ev_metrics *m,
               const ev_envelope_zones *z, const ev_envelope *e,
               double *size, double *sender_size, char *why, size_t cap)
{
	if (in->latin && (!in->address_latin || !in->naddress_latin)) {
		snprintf(why, cap, "the posting operator (%s) wants the address in "
		         "Latin letters as well, and there is no Latin copy of it",
		         in->posting ? in->posting : "?");
		return 1;
	}
	if (!block_count(in)) {
		snprintf(why, cap, "the address is empty");
		return 1;
	}
	if (missing_glyph(in->address, in->naddress, m, "the address", why, cap) ||
	    (in->latin && missing_glyph(in->address_latin, in->naddress_latin, m,
	                                "the address in Latin letters", why, cap)) ||
	    missing_glyph(in->country, in->ncountry, m, "the country line", why, cap) ||
	    missing_glyph(in->sender, in->nsender, m, "the return address", why, cap))
		return 1;

	size_t n = block_count(in), widest;
	double w1 = block_widest(in, m, &widest);
	*size = size_to_fit(EV_ENVELOPE_SIZE, EV_ENVELOPE_MIN_SIZE, w1, n, has_gap(in),
	                    z->max_width, z->recipient.h);
	if (!*size) {
		bool gap, wide = w1 * EV_ENVELOPE_MIN_SIZE > z->max_width;
		const char *line = wide ? block_line(in, widest, &gap) : "";
		size_t cut = ev_utf8_prefix(line, EV_QUOTED);
		if (wide)
			snprintf(why, cap, "the address line '%.*s%s' is %d mm wide even at "
			         "%g pt; the address zone of a %s envelope allows %d mm",
			         (int)cut, line, line[cut] ? "..." : "",
			         whole_mm(w1 * EV_ENVELOPE_MIN_SIZE), EV_ENVELOPE_MIN_SIZE,
			         e->name, whole_mm(z->max_width));
		else
			snprintf(why, cap, "the address has %zu lines%s; the address zone "
			         "of a %s envelope (%d mm high) holds fewer even at %g pt",
			         n, in->latin ? " in Cyrillic and Latin letters" : "",
			         e->name, whole_mm(z->recipient.h), EV_ENVELOPE_MIN_SIZE);
		return 1;
	}

	w1 = lines_widest(in->sender, in->nsender, m, &widest);
	*sender_size = in->nsender ? size_to_fit(EV_ENVELOPE_SENDER_SIZE,
	                                         EV_ENVELOPE_SENDER_MIN, w1, in->nsender,
	                                         false, z->sender.w, z->sender.h)
	                           : EV_ENVELOPE_SENDER_SIZE;
	if (!*sender_size) {
		const char *line = in->nsender ? in->sender[widest] : "";
		size_t cut = ev_utf8_prefix(line, EV_QUOTED);
		if (w1 * EV_ENVELOPE_SENDER_MIN > z->sender.w)
			snprintf(why, cap, "the return address line '%.*s%s' is %d mm wide "
			         "even at %g pt; a %s envelope has %d mm for it left of "
			         "the franking zone", (int)cut, line, line[cut] ? "..." : "",
			         whole_mm(w1 * EV_ENVELOPE_SENDER_MIN), EV_ENVELOPE_SENDER_MIN,
			         e->name, whole_mm(z->sender.w));
		else
			snprintf(why, cap, "the return address has %zu lines; a %s "
			         "envelope has room for fewer above the address zone "
			         "even at %g pt", in->nsender, e->name, EV_ENVELOPE_SENDER_MIN);
		return 1;
	}
	return 0;
}

static int unknown_size(const ev_envelope_in *in, char *why, size_t cap)
{
	char names[80];
	ev_envelope_names(names, sizeof names);
	snprintf(why, cap, "there is no envelope size '%s' (%s)",
	         in->size ? in->size : "", names);
	return 1;
}

int ev_envelope_fits(const ev_envelope_in *in, const ev_metrics *m,
                     double *size, char *why, size_t cap)
{
	ev_envelope_zones z;
	double s, ss;
	if (cap)
		why[0] = '\0';
	if (ev_envelope_geometry(in->size, in->posting, &z) < 0)
		return unknown_size(in, why, cap);
	if (fit(in, m, &z, ev_envelope_find(in->size), &s, &ss, why, cap))
		return 1;
	if (size)
		*size = s;
	return 0;
}

int ev_layout_envelope(const ev_envelope_in *in, const ev_metrics *m,
                       ev_display *dl, const char **reason)
{
	ev_envelope_zones z;
	double size, ssize;
	char why[600] = "";
	*reason = NULL;
	int bad = ev_envelope_geometry(in->size, in->posting, &z) < 0
	        ? unknown_size(in, why, sizeof why)
	        : fit(in, m, &z, ev_envelope_find(in->size), &size, &ssize, why,
	              sizeof why);
	if (bad) {
		*reason = ev_arena_strdup(dl->arena, why);
		return *reason ? 1 : -1;
	}
	ev_page *pg = ev_display_add_page(dl, z.w, z.h);
	if (!pg)
		return -1;

	/* The return address, top-aligned in its zone. */
	double y = z.sender.y + ssize * EV_ENVELOPE_ASCENT;
	for (size_t i = 0; i < in->nsender; i++, y += ssize * LEAD)
		if (ev_display_text(dl, pg, z.sender.x, y, EV_FACE_REGULAR, ssize,
		                    in->sender[i], strlen(in->sender[i])) < 0)
			return -1;

	/* The recipient's block: left-aligned, towards the bottom right. */
	size_t n = block_count(in), widest;
	double bw = block_widest(in, m, &widest) * size;
	double x = min2(z.w * BLOCK_FROM, z.recipient.x + z.recipient.w - bw);
	x = max2(x, z.recipient.x);
	double top = z.recipient.y +
	             (z.recipient.h - lines_height(n, size, has_gap(in))) / 2;
	y = top + size * EV_ENVELOPE_ASCENT;
	for (size_t i = 0; i < n; i++) {
		bool gap;
		const char *s = block_line(in, i, &gap);
		if (gap)
			y += size * LEAD * SCRIPT_GAP;
		if (ev_display_text(dl, pg, x, y, EV_FACE_REGULAR, size, s, strlen(s)) < 0)
			return -1;
		y += size * LEAD;
	}
	return 0;
}

/* ---- country line, script ---- */

size_t ev_envelope_country(const char *country, const char *posting,
                           char *buf, size_t cap)
{
	const char *local = NULL;
	for (size_t i = 0; i < sizeof country_names / sizeof *country_names; i++) {
		if (strcasecmp(country_names[i].en, country))
			continue;
		if (posting && !strcasecmp(posting, "DE"))
			local = country_names[i].de;
		else if (posting && !strcasecmp(posting, "CH"))
			local = country_names[i].fr;
		if (local && !strcmp(local, country_names[i].en))
			local = NULL;
		country = country_names[i].en;
		break;
	}
	int k = local ? snprintf(buf, cap, "%s / %s", local, country)
	              : snprintf(buf, cap, "%s", country);
	if (k < 0)
		return 0;
	return (size_t)k < cap ? (size_t)k : cap ? cap - 1 : 0;
}

bool ev_envelope_wants_latin(const char *posting, bool registered)
{
	if (!posting)
		return false;
	if (!strcasecmp(posting, "DE"))
		return true;
	return registered && !strcasecmp(posting, "CH");
}
