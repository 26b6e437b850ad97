/* salutation.h - the built-in greeting of a letter, per letter language and
 * the recipient's gender: "Dear Judge Kavaliova,", "Уважаемая Ольга
 * Петровна!", "Шаноўная Вольга Пятроўна!", and neutral forms when the
 * gender is unknown. A Russian greeting to a Belarusian-spelled name uses
 * the name's Russian form (Вольга Пятроўна -> Ольга Петровна), and the
 * other way round (namepair.h). Pure. */
#ifndef EV_SALUTATION_H
#define EV_SALUTATION_H

#include "arena.h"
#include "recipient.h"

/* lang: "en", "ru" or "be" (the letter's language). surname_latin: the
 * surname as the English greeting writes it. When the greeting's language
 * is not the row's (r->lang) and the given name or the patronymic is not
 * in the dictionary, both are kept as spelt and *kept is set (for a note);
 * otherwise *kept is false. kept may be NULL. In a; NULL when out of
 * memory. */
const char *ev_salutation(ev_arena *a, const char *lang, const ev_recipient *r,
                          const char *surname_latin, bool *kept);

#endif
