/* filters.c - upper, lower, title, initials, date and default (filters.h).
 * Case mapping is utf8proc's, so Cyrillic and Latin letters both work. */
#include "filters.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "buf.h"
#include "text.h"

static bool is_letter(uint32_t c)
{
	utf8proc_category_t k = utf8proc_category((utf8proc_int32_t)c);
	return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO;
}

static void put(ev_buf *b, uint32_t c)
{
	char tmp[4];
	ev_buf_append(b, tmp, ev_utf8_encode(c, tmp));
}

/* mode 0 upper, 1 lower, 2 title (first letter of each word upper, the
 * rest lower), 3 initials ("Ольга Петровна" -> "О. П."). */
static char *cased(const char *v, int mode)
{
	ev_buf b = {0};
	size_t n = strlen(v);
	bool word_start = true, first = true;
	for (size_t i = 0; i < n;) {
		uint32_t c = ev_utf8_next(v, n, &i);
		bool letter = is_letter(c);
		if (mode == 0)
			put(&b, (uint32_t)utf8proc_toupper((utf8proc_int32_t)c));
		else if (mode == 1)
			put(&b, (uint32_t)utf8proc_tolower((utf8proc_int32_t)c));
		else if (mode == 2)
			put(&b, (uint32_t)(word_start ? utf8proc_toupper((utf8proc_int32_t)c)
			                              : utf8proc_tolower((utf8proc_int32_t)c)));
		else if (letter && word_start) {
			if (!first)
				ev_buf_putc(&b, ' ');
			put(&b, (uint32_t)utf8proc_toupper((utf8proc_int32_t)c));
			ev_buf_putc(&b, '.');
			first = false;
		}
		/* apostrophes keep a word going (Дар’я); hyphens start a new one */
		word_start = !(letter || c == 0x2019 || c == '\'');
	}
	if (ev_buf_putc(&b, '\0') < 0) {
		ev_buf_free(&b);
		return NULL;
	}
	return ev_buf_steal(&b, NULL);
}

static const char *const months[3][12] = {
	{"January", "February", "March", "April", "May", "June", "July",
	 "August", "September", "October", "November", "December"},
	{"января", "февраля", "марта", "апреля", "мая", "июня", "июля",
	 "августа", "сентября", "октября", "ноября", "декабря"},
	{"студзеня", "лютага", "сакавіка", "красавіка", "мая", "чэрвеня",
	 "ліпеня", "жніўня", "верасня", "кастрычніка", "лістапада", "снежня"},
};

bool ev_read_date(const char *v, int *d, int *m, int *y)
{
	char mon[32];
	int end = -1;
	if (sscanf(v, "%4d-%2d-%2d%n", y, m, d, &end) == 3 && end == 10 && !v[end])
		return *m >= 1 && *m <= 12 && *d >= 1 && *d <= 31;
	end = -1;
	if (sscanf(v, "%2d %31s %4d%n", d, mon, y, &end) == 3 && end > 0 && !v[end]) {
		for (int i = 0; i < 12; i++)
			if (!strcmp(mon, months[0][i])) {
				*m = i + 1;
				return *d >= 1 && *d <= 31;
			}
	}
	return false;
}

char *ev_text_filter(ev_filter_kind kind, const char *arg, const char *v)
{
	switch (kind) {
	case EV_FILTER_UPPER: return cased(v, 0);
	case EV_FILTER_LOWER: return cased(v, 1);
	case EV_FILTER_TITLE: return cased(v, 2);
	case EV_FILTER_INITIALS: return cased(v, 3);
	case EV_FILTER_DEFAULT: return strdup(*v ? v : arg);
	case EV_FILTER_DATE: {
		int d, m, y;
		if (!ev_read_date(v, &d, &m, &y))
			return strdup(v);
		int l = !strcmp(arg, "ru") ? 1 : !strcmp(arg, "be") ? 2 : 0;
		char out[96];
		/* "2 June 2025", "2 июня 2025 г.", "2 чэрвеня 2025 г." */
		snprintf(out, sizeof out, l ? "%d %s %d г." : "%d %s %d", d, months[l][m - 1], y);
		return strdup(out);
	}
	default:
		return strdup(v);
	}
}
