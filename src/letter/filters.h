/* filters.h - the text filters of merge fields that are not
 * transliteration: upper, lower, title, initials, date:LANG, default. Pure. */
#ifndef EV_FILTERS_H
#define EV_FILTERS_H

#include <stdbool.h>

#include "template.h"

/* Apply one filter (not latin/cyrillic) to valid UTF-8 v; arg is the
 * filter's argument (date: en/ru/be; default: the text) or NULL. Returns a
 * malloc'd string, or NULL when out of memory. A value `date` cannot read
 * (not YYYY-MM-DD nor "2 June 2025") is returned unchanged. */
char *ev_text_filter(ev_filter_kind kind, const char *arg, const char *v);

/* "2025-06-02" or "2 June 2025" (the month in English) -> day, month
 * (1-12), year; false when the whole of v is not such a date. */
bool ev_read_date(const char *v, int *d, int *m, int *y);

#endif
