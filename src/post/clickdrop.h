/* clickdrop.h - Royal Mail Click & Drop's order import file, for letters
 * posted from the United Kingdom: one CSV row per piece with the fields of
 * its order import specification (postal.md §6.1), in "standard Roman
 * characters only": every value is folded to ASCII here, whatever it is
 * given as, and cut to the field's length. Pure. */
#ifndef EV_CLICKDROP_H
#define EV_CLICKDROP_H

#include <stdint.h>

#include "buf.h"

typedef struct ev_clickdrop_row {
	size_t seq;
	const char *id;
	const char *first_name, *last_name, *full_name;   /* Latin */
	const char *company;         /* the court */
	const char *line1, *line2, *line3;
	const char *city, *county, *postcode, *country;
	int64_t weight_ug;
	int64_t postage;             /* minor units */
	const char *currency;
	int32_t date;                /* posting date, YYYYMMDD */
} ev_clickdrop_row;

int ev_clickdrop_header(ev_buf *out);
/* 0, or -1 when out of memory. */
int ev_clickdrop_add(ev_buf *out, const ev_clickdrop_row *r);

#endif
