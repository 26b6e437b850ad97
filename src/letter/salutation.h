/* salutation.h - the built-in greeting of a letter, per letter language and
 * the recipient's gender: "Dear Judge Kavaliova,", "Уважаемая Ольга
 * Петровна!", "Шаноўная Вольга Пятроўна!", and neutral forms when the
 * gender is unknown. Pure. */
#ifndef EV_SALUTATION_H
#define EV_SALUTATION_H

#include "recipient.h"

/* lang: "en", "ru" or "be" (the letter's language). surname_latin: the
 * surname as the English greeting writes it. malloc'd, NULL when out of
 * memory. */
char *ev_salutation(const char *lang, const ev_recipient *r,
                    const char *surname_latin);

#endif
