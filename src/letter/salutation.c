/* salutation.c - greetings (salutation.h). English letters to judges say
 * "Dear Judge"; otherwise Ms/Mr by gender, or the full name when unknown.
 * Russian and Belarusian use the given name and patronymic (the polite
 * form), with the adjective in the recipient's gender, or a neutral
 * "Здравствуйте," / "Добры дзень," when the gender is unknown; the names
 * in the greeting's language when the dictionary knows both. */
#include "salutation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "namepair.h"
#include "text.h"

static bool is_judge(const char *position)
{
	char buf[128];
	char *k = ev_text_key_in(position, buf, sizeof buf);
	bool j = k && (strstr(k, "суд") || strstr(k, "judge"));
	if (k != buf)
		free(k);
	return j;
}

/* Given name and patronymic in language to, into *given and *patr: the
 * row's own fields when it is in that language (or neither language),
 * converted copies in a when the dictionary knows both, else the fields
 * as spelt with *kept set. Returns 0, -1 when out of memory. */
static int names_in(const ev_recipient *r, ev_lang to, ev_arena *a, const char **given,
                    const char **patr, bool *kept)
{
	const char *const *f = r->field;
	*given = f[EV_F_GIVEN_NAME];
	*patr = f[EV_F_PATRONYMIC];
	if ((r->lang != EV_LANG_RU && r->lang != EV_LANG_BE) || r->lang == to)
		return 0;
	bool kg = false, kp = false;
	char *g = ev_given_name_in(f[EV_F_GIVEN_NAME], to, &kg);
	char *p = ev_patronymic_in(f[EV_F_PATRONYMIC], to, &kp);
	int rc = g && p ? 0 : -1;
	if (rc == 0 && kg && kp) {
		*given = ev_arena_strdup(a, g);
		*patr = ev_arena_strdup(a, p);
		if (!*given || !*patr)
			rc = -1;
	} else if (rc == 0) {
		*kept = true;
	}
	free(g);
	free(p);
	return rc;
}

const char *ev_salutation(ev_arena *a, const char *lang, const ev_recipient *r,
                          const char *surname_latin, bool *kept)
{
	const char *const *f = r->field;
	ev_gender g = r->gender;
	bool kept_here = false;
	if (!kept)
		kept = &kept_here;
	*kept = false;
	if (!strcmp(lang, "ru") || !strcmp(lang, "be")) {
		bool ru = !strcmp(lang, "ru");
		bool polite = *f[EV_F_GIVEN_NAME] && *f[EV_F_PATRONYMIC];
		const char *opening;
		if (g == EV_GENDER_UNKNOWN)
			opening = ru ? "Здравствуйте, " : "Добры дзень, ";
		else if (ru)
			opening = g == EV_GENDER_FEMALE ? (polite ? "Уважаемая " : "Уважаемая госпожа ")
			                                : (polite ? "Уважаемый " : "Уважаемый господин ");
		else
			opening = g == EV_GENDER_FEMALE ? (polite ? "Шаноўная " : "Шаноўная спадарыня ")
			                                : (polite ? "Шаноўны " : "Шаноўны спадар ");
		if (!polite)
			return ev_arena_printf(a, "%s%s!", opening, f[EV_F_SURNAME]);
		const char *given, *patr;
		if (names_in(r, ru ? EV_LANG_RU : EV_LANG_BE, a, &given, &patr, kept) < 0)
			return NULL;
		return ev_arena_printf(a, "%s%s %s!", opening, given, patr);
	}
	if (is_judge(f[EV_F_POSITION]))
		return ev_arena_printf(a, "Dear Judge %s,", surname_latin);
	if (g != EV_GENDER_UNKNOWN)
		return ev_arena_printf(a, "Dear %s %s,", g == EV_GENDER_FEMALE ? "Ms" : "Mr",
		                       surname_latin);
	return ev_arena_printf(a, "Dear %s %s,", r->given_name_latin, surname_latin);
}
