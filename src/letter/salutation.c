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

#include "buf.h"
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

/* Given name and patronymic in language to (malloc'd, into *given and
 * *patr): converted when both are known, else as spelt with *kept set.
 * Returns 0, -1 when out of memory. */
static int names_in(const ev_recipient *r, ev_lang to, char **given,
                    char **patr, bool *kept)
{
	const char *const *f = r->field;
	bool kg = false, kp = false;
	*given = *patr = NULL;
	if ((r->lang == EV_LANG_RU || r->lang == EV_LANG_BE) && r->lang != to) {
		*given = ev_given_name_in(f[EV_F_GIVEN_NAME], to, &kg);
		*patr = ev_patronymic_in(f[EV_F_PATRONYMIC], to, &kp);
		if (!*given || !*patr)
			goto oom;
		if (kg && kp)
			return 0;
		*kept = true;
		free(*given);
		free(*patr);
	}
	*given = strdup(f[EV_F_GIVEN_NAME]);
	*patr = strdup(f[EV_F_PATRONYMIC]);
	if (*given && *patr)
		return 0;
oom:
	free(*given);
	free(*patr);
	*given = *patr = NULL;
	return -1;
}

char *ev_salutation(const char *lang, const ev_recipient *r,
                    const char *surname_latin, bool *kept)
{
	const char *const *f = r->field;
	ev_gender g = r->gender;
	ev_buf b = {0};
	bool kept_here = false;
	if (!kept)
		kept = &kept_here;
	*kept = false;
	if (!strcmp(lang, "ru") || !strcmp(lang, "be")) {
		bool ru = !strcmp(lang, "ru");
		bool polite = *f[EV_F_GIVEN_NAME] && *f[EV_F_PATRONYMIC];
		const char *who = polite ? NULL : f[EV_F_SURNAME];
		if (g == EV_GENDER_UNKNOWN)
			ev_buf_puts(&b, ru ? "Здравствуйте, " : "Добры дзень, ");
		else if (ru)
			ev_buf_puts(&b, g == EV_GENDER_FEMALE
			            ? (polite ? "Уважаемая " : "Уважаемая госпожа ")
			            : (polite ? "Уважаемый " : "Уважаемый господин "));
		else
			ev_buf_puts(&b, g == EV_GENDER_FEMALE
			            ? (polite ? "Шаноўная " : "Шаноўная спадарыня ")
			            : (polite ? "Шаноўны " : "Шаноўны спадар "));
		if (polite) {
			char *given, *patr;
			if (names_in(r, ru ? EV_LANG_RU : EV_LANG_BE, &given, &patr, kept) < 0) {
				ev_buf_free(&b);
				return NULL;
			}
			ev_buf_printf(&b, "%s %s", given, patr);
			free(given);
			free(patr);
		} else
			ev_buf_puts(&b, who);
		ev_buf_putc(&b, '!');
	} else if (is_judge(f[EV_F_POSITION])) {
		ev_buf_printf(&b, "Dear Judge %s,", surname_latin);
	} else if (g != EV_GENDER_UNKNOWN) {
		ev_buf_printf(&b, "Dear %s %s,", g == EV_GENDER_FEMALE ? "Ms" : "Mr",
		              surname_latin);
	} else {
		ev_buf_printf(&b, "Dear %s %s,", r->given_name_latin, surname_latin);
	}
	if (ev_buf_putc(&b, '\0') < 0) {
		ev_buf_free(&b);
		return NULL;
	}
	return ev_buf_steal(&b, NULL);
}
