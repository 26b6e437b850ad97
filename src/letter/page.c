/* page.c - paper sizes, window presets and the page-number wording. */
#include "page.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const ev_preset presets[] = {
#include "presets.inc"
};

/* ISO 216 A4 and ANSI Letter (8.5 x 11 in). */
static const ev_paper papers[] = {
	{"A4", 210.0, 297.0},
	{"Letter", 215.9, 279.4},
};

const ev_preset *ev_preset_find(const char *id)
{
	for (size_t i = 0; i < sizeof presets / sizeof *presets; i++)
		if (!strcasecmp(presets[i].id, id))
			return &presets[i];
	return NULL;
}

const ev_paper *ev_paper_find(const char *id)
{
	for (size_t i = 0; i < sizeof papers / sizeof *papers; i++)
		if (!strcasecmp(papers[i].id, id))
			return &papers[i];
	return NULL;
}

const ev_preset *ev_preset_default(void)
{
	return ev_preset_find("din5008-b");
}

const ev_paper *ev_paper_default(void)
{
	return &papers[0];
}

static size_t join(char *buf, size_t cap, const void *base, size_t n,
                   size_t stride)
{
	size_t len = 0;
	if (cap)
		buf[0] = '\0';
	for (size_t i = 0; i < n && len < cap; i++) {
		const char *id = *(const char *const *)((const char *)base + i * stride);
		int k = snprintf(buf + len, cap - len, "%s%s", i ? ", " : "", id);
		if (k < 0)
			break;
		len += (size_t)k;
	}
	return len < cap ? len : cap ? cap - 1 : 0;
}

size_t ev_preset_names(char *buf, size_t cap)
{
	return join(buf, cap, presets, sizeof presets / sizeof *presets, sizeof *presets);
}

size_t ev_paper_names(char *buf, size_t cap)
{
	return join(buf, cap, papers, sizeof papers / sizeof *papers, sizeof *papers);
}

size_t ev_page_of(char *buf, size_t cap, const char *lang, size_t page,
                  size_t total)
{
	const char *word = "Page", *of = "of";
	if (lang && !strcmp(lang, "ru"))
		word = "Страница", of = "из";
	else if (lang && !strcmp(lang, "be"))
		word = "Старонка", of = "з";
	int n = snprintf(buf, cap, "%s %zu %s %zu", word, page, of, total);
	if (n < 0)
		return 0;
	return (size_t)n < cap ? (size_t)n : cap ? cap - 1 : 0;
}
