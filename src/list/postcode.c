/* postcode.c - postcode shapes per country and Belarusian region prefixes
 * (postcode.h). A shape error means the letter would not arrive; a region
 * mismatch is only a warning, the prefixes overlap (postal.md 1.3). */
#include "postcode.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

typedef struct { const char *left, *right; } pair;

static const pair shapes[] = {
#include "postcodes.inc"
};

static const pair regions[] = {
#include "regions.inc"
};

/* Whether s matches mask [m, end): 9 digit, A letter, else literal. */
static bool matches(const char *s, const char *m, const char *end)
{
	for (; m < end; m++, s++) {
		if (*m == '9' ? !(*s >= '0' && *s <= '9')
		    : *m == 'A' ? !((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
		    : *s != *m)
			return false;
	}
	return *s == '\0';
}

static bool matches_any(const char *s, const char *masks)
{
	for (const char *m = masks;;) {
		const char *bar = strchr(m, '|');
		const char *end = bar ? bar : m + strlen(m);
		if (matches(s, m, end))
			return true;
		if (!bar)
			return false;
		m = bar + 1;
	}
}

/* The prefixes for a region or city name, or NULL. */
static const char *region_prefixes(const char *name)
{
	char buf[128];
	char *key = ev_text_key_in(name, buf, sizeof buf);
	const char *found = NULL;
	for (size_t i = 0; key && *key && !found && i < sizeof regions / sizeof *regions; i++)
		if (strstr(key, regions[i].left))
			found = regions[i].right;
	if (key != buf)
		free(key);
	return found;
}

int ev_postcode_check(const char *country, const char *postcode,
                      const char *region, const char *city,
                      char *msg, size_t cap)
{
	msg[0] = '\0';
	if (!country || !*postcode)
		return EV_PC_OK;
	const char *masks = NULL;
	for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++)
		if (!strcmp(shapes[i].left, country))
			masks = shapes[i].right;
	if (!masks)
		return EV_PC_OK;
	if (!matches_any(postcode, masks)) {
		char shown[80];
		snprintf(shown, sizeof shown, "%s", masks);
		for (char *p = shown; *p; p++)
			if (*p == '9')
				*p = 'N';
			else if (*p == '|')
				*p = '/';
		size_t cut = ev_utf8_prefix(postcode, 40);
		snprintf(msg, cap, "postcode '%.*s%s' does not look like a postcode of %s "
		         "(%s, N = a digit)", (int)cut, postcode, postcode[cut] ? "..." : "",
		         country, shown);
		return EV_PC_ERROR;
	}
	if (strcmp(country, "BELARUS") != 0)
		return EV_PC_OK;
	const char *pre = region_prefixes(*region ? region : city);
	if (!pre || strstr(pre, (char[4]){postcode[0], postcode[1], postcode[2], 0}))
		return EV_PC_OK;
	char list[40];
	snprintf(list, sizeof list, "%.3s", pre);
	for (const char *p = pre + 3; *p == ' '; p += 4)
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%.3s",
		         p[4] == ' ' ? ", " : " or ", p + 1);
	const char *place = *region ? region : city;
	size_t cut = ev_utf8_prefix(place, EV_QUOTED);
	snprintf(msg, cap, "postcode '%s' starts with %.3s, but postcodes in '%.*s%s' "
	         "usually start with %s; please check it (the letter is still made: "
	         "the prefixes overlap)", postcode, postcode, (int)cut, place,
	         place[cut] ? "..." : "", list);
	return EV_PC_WARNING;
}
