/* postcode.h - is a postcode plausible for its country (and, in Belarus,
 * for its region)? Patterns in data/postcodes.tsv, Belarusian region
 * prefixes in data/regions.tsv. Pure. */
#ifndef EV_POSTCODE_H
#define EV_POSTCODE_H

#include <stddef.h>

enum { EV_PC_OK, EV_PC_WARNING, EV_PC_ERROR };

/* Check `postcode` for the destination-country line `country` (e.g.
 * "BELARUS"; NULL or unknown: anything goes). For Belarus, the first three
 * digits are compared with the region named in `region` (or `city` when the
 * region is empty). Returns EV_PC_OK, EV_PC_WARNING (region mismatch) or
 * EV_PC_ERROR (wrong shape), with a sentence in msg for the last two. */
int ev_postcode_check(const char *country, const char *postcode,
                      const char *region, const char *city,
                      char *msg, size_t cap);

#endif
