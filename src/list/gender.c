/* gender.c - gender cells and the inference from name endings (gender.h).
 * Endings are compared on the case-folded value, last word only, so that
 * "Петровна" and "ПЕТРОВНА" agree and a double surname uses its last part. */
#include "gender.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

static const char *const male_words[] = {
	"m", "male", "man", "mr", "м", "муж", "мужской", "мужчина", "мужчына",
	"мужчынскі", "мужскі", "мужск", "мужч", "муж.", "м.",
};
static const char *const female_words[] = {
	"f", "female", "woman", "w", "mrs", "ms", "ж", "жен", "женский",
	"женщина", "жанчына", "жаночы", "жен.", "ж.", "жанч",
};

static bool in(const char *key, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(key, words[i]))
			return true;
	return false;
}

int ev_gender_parse(const char *s, ev_gender *out)
{
	*out = EV_GENDER_UNKNOWN;
	char buf[64];
	char *key = ev_text_key_in(s, buf, sizeof buf);
	if (!key)
		return -1;
	int rc = 0;
	if (!*key)
		rc = 0;
	else if (in(key, male_words, sizeof male_words / sizeof *male_words))
		*out = EV_GENDER_MALE;
	else if (in(key, female_words, sizeof female_words / sizeof *female_words))
		*out = EV_GENDER_FEMALE;
	else
		rc = -1;
	if (key != buf)
		free(key);
	return rc;
}

static bool ends(const char *w, const char *suffix)
{
	size_t n = strlen(w), k = strlen(suffix);
	return n > k && !strcmp(w + n - k, suffix);
}

static bool ends_any(const char *w, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ends(w, list[i]))
			return true;
	return false;
}

/* The last word of the case-folded value (a double surname's last part),
 * in buf (cap bytes) or malloc'd (free it when it is not buf). */
static char *last_word(const char *s, char *buf, size_t cap)
{
	const char *start = s;
	for (const char *p = s; *p; p++)
		if (*p == ' ' || *p == '-')
			start = p + 1;
	return ev_text_key_in(start, buf, cap);   /* case-folded */
}

#define N(a) (sizeof a / sizeof *a)

ev_gender ev_gender_infer(const char *patronymic, const char *surname,
                          const char **from)
{
	static const char *const pat_m[] = {
		"вич", "віч", "ич", "іч", "ыч", "оглы", "улы", "vich", "vič", "ich",
		"ych",
	};
	static const char *const pat_f[] = {
		"вна", "ўна", "чна", "шна", "на", "кызы", "гызы", "vna", "una", "ŭna",
		"chna", "čna",
	};
	static const char *const sur_f[] = {
		"ова", "ева", "ёва", "ава", "ина", "ына", "іна", "ская", "цкая",
		"ая", "яя", "ova", "eva", "iova", "ava", "ina", "yna", "skaya",
		"skaia", "skaja", "aja", "aya", "aia",
	};
	static const char *const sur_m[] = {
		"ов", "ев", "ёв", "аў", "оў", "еў", "ёў", "ин", "ын", "ін", "ский",
		"цкий", "скі", "цкі", "ий", "ый", "ой", "ій", "ov", "ev", "au",
		"ou", "eu", "iou", "in", "yn", "sky", "skiy", "skii", "ski", "skij",
	};
	*from = NULL;
	ev_gender g = EV_GENDER_UNKNOWN;
	char buf[128];
	char *w = last_word(patronymic, buf, sizeof buf);
	if (w && *w) {
		if (ends_any(w, pat_m, N(pat_m)))
			g = EV_GENDER_MALE;
		else if (ends_any(w, pat_f, N(pat_f)))
			g = EV_GENDER_FEMALE;
		if (g)
			*from = "patronymic";
	}
	if (w != buf)
		free(w);
	if (g)
		return g;
	w = last_word(surname, buf, sizeof buf);
	if (w && *w) {
		if (ends_any(w, sur_f, N(sur_f)))
			g = EV_GENDER_FEMALE;
		else if (ends_any(w, sur_m, N(sur_m)))
			g = EV_GENDER_MALE;
		if (g)
			*from = "surname";
	}
	if (w != buf)
		free(w);
	return g;
}

const char *ev_gender_code(ev_gender g)
{
	return g == EV_GENDER_MALE ? "m" : g == EV_GENDER_FEMALE ? "f" : "";
}
