/* namepair.h - a given name and a patronymic in the other language's form:
 * Вольга Пятроўна <-> Ольга Петровна, Сяргей <-> Сергей, Ільіч <-> Ильич,
 * from the dictionary src/data/given-names.tsv and the patronymic suffix
 * rules, for greeting a reader in the letter's language. Pure. */
#ifndef EV_NAMEPAIR_H
#define EV_NAMEPAIR_H

#include <stdbool.h>

#include "translit.h"

/* given in the form of language to (EV_LANG_RU or EV_LANG_BE), the input
 * taken to be in the other one. Case, е/ё and the apostrophe (', U+2019,
 * U+02BC) do not matter for finding it; the result has the input's case
 * pattern (Вольга, ВОЛЬГА, вольга), the dictionary's ё and the input's
 * apostrophe. A name already in the form of `to` (Павел, or Ольга asked
 * for in Russian) comes back as it is, known. Not in the dictionary, or
 * another language: the input unchanged and *known = false. known may be
 * NULL. Returns a malloc'd string the caller frees; NULL when out of
 * memory or given is NULL. */
char *ev_given_name_in(const char *given, ev_lang to, bool *known);

/* patronymic in the form of language to, by its suffix (Belarusian
 * -авіч/-овіч/-евіч/-іч, -аўна/-оўна/-еўна/-інічна; Russian
 * -ович/-евич/-ич, -овна/-евна/-инична) and the father's name in the
 * dictionary: Пятроўна -> Петровна, Сяргеевіч -> Сергеевич, Ильинична ->
 * Ільінічна. Otherwise as ev_given_name_in. */
char *ev_patronymic_in(const char *patronymic, ev_lang to, bool *known);

#endif
