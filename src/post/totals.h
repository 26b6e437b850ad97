/* totals.h - the postage of a batch added up per band and service and
 * overall, and written as postage.json. Pure; integer sums only. */
#ifndef EV_TOTALS_H
#define EV_TOTALS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "postage.h"

typedef struct ev_total {
	const ev_band *band;         /* NULL: the overall line */
	size_t pieces;
	int64_t weight_ug, postage;
} ev_total;

typedef struct ev_totals {
	ev_total *rows;              /* in the tariff file's order of bands */
	size_t n, cap;
	ev_total all;
} ev_totals;

/* Add a priced piece. 0, or -1 when out of memory. */
int ev_totals_add(ev_totals *t, const ev_piece *p);
void ev_totals_free(ev_totals *t);

/* What postage.json says besides the sums. */
typedef struct ev_totals_about {
	const ev_posting *posting;
	const char *posting_date;    /* YYYY-MM-DD */
	size_t rows, rejected, skipped;
} ev_totals_about;

/* postage.json: the posting (operator, country, date, service, paper,
 * envelope, the tariff's file name), per band and service and overall: pieces,
 * weight in grams and postage as decimal strings ("516.25", so no reader
 * turns money into a float) and in integer minor units. */
int ev_totals_json(ev_buf *out, const ev_totals *t, const ev_totals_about *a);

/* One line per band and the total, for the end of the batch:
 * "413 × Standardbrief (standard) at 1.25 = 516.25 EUR". */
int ev_totals_text(ev_buf *out, const ev_totals *t, const char *indent);

#endif
