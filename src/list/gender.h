/* gender.h - a recipient's grammatical gender for the salutation: read from
 * a gender column (m/f in English, Russian or Belarusian), or inferred from
 * the patronymic and surname endings. Unknown stays unknown. Pure. */
#ifndef EV_GENDER_H
#define EV_GENDER_H

typedef enum { EV_GENDER_UNKNOWN, EV_GENDER_MALE, EV_GENDER_FEMALE } ev_gender;

/* A gender cell: m, f, male, female, м, ж, муж., жен., мужской, женский,
 * мужчына, жанчына, ... (any case). Empty -> UNKNOWN with 0; a value not
 * understood -> UNKNOWN with -1. */
int ev_gender_parse(const char *s, ev_gender *out);

/* Infer from the patronymic (-вич/-віч/-ич -> male, -вна/-ўна/-чна/-на ->
 * female), else from the surname (-ова/-ева/-ина/-ская/-ая ... female,
 * -ов/-ев/-ин/-ский/-скі/-аў ... male); endings shared by both (-енко,
 * -ук, -ич in surnames) decide nothing. *from is set to "patronymic" or
 * "surname" when decided. */
ev_gender ev_gender_infer(const char *patronymic, const char *surname,
                          const char **from);

/* "m", "f" or "". */
const char *ev_gender_code(ev_gender g);

#endif
