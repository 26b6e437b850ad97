/* decline.h - personal names and position words in the genitive and dative,
 * Russian and Belarusian, by ending rules and an exception list compiled in
 * from src/data/decline/ (declension.md). Pure: bytes in, malloc'd bytes
 * out. What the rules cannot decide is reported as unsure, never guessed. */
#ifndef EV_DECLINE_H
#define EV_DECLINE_H

#include <stdbool.h>

#include "gender.h"
#include "translit.h"

typedef enum { EV_CASE_NOM, EV_CASE_GEN, EV_CASE_DAT } ev_case;
typedef enum { EV_PART_SURNAME, EV_PART_GIVEN, EV_PART_PATRONYMIC } ev_name_part;

/* One name part (a word; a double surname's parts are each declined,
 * Петров-Водкин -> Петрова-Водкина, a first part that is no surname stays:
 * Бонч-Бруевичу; of a double given name only the last part: Жан-Полю).
 * The input's letters and case pattern are kept (ИВАНОВ -> ИВАНОВУ,
 * Соловьёва -> Соловьёвой); an initial (one letter, or with a '.') stays.
 * Gender UNKNOWN: both genders are tried and must agree. Language UNKNOWN:
 * the word's letters decide (ev_lang_detect), else both rule sets must
 * agree; Ukrainian has no rules.
 * Returns a malloc'd string the caller frees; NULL only when word is NULL
 * or memory runs out. When the rules mark the word's class uncertain
 * (stress, foreign origin, an unknown ending, an unknown gender that
 * matters, bytes that are no name), the result is the word unchanged and
 * *unsure is set to true; otherwise *unsure is left alone, so one flag can
 * collect a whole line. Invalid UTF-8 comes back with U+FFFD for the bad
 * bytes, unsure. unsure may be NULL. EV_CASE_NOM copies. */
char *ev_decline(const char *word, ev_name_part part, ev_gender g, ev_lang lang,
                 ev_case c, bool *unsure);

/* A full name as the lists write it, "Surname Given Patronymic" (fewer
 * words are the leading parts; a Turkic patronymic "Мамед оглы"/"кызы"
 * stays whole and gives the gender); initials stay
 * ("Иванов И. И." -> "Иванову И. И."); the spaces between words are kept.
 * Gender UNKNOWN: inferred by ev_gender_infer (patronymic, then surname),
 * else each part must agree for both. Any part unsure: the whole text
 * comes back unchanged, *unsure set. Ownership and failure as ev_decline. */
char *ev_decline_full(const char *full, ev_gender g, ev_lang lang, ev_case c,
                      bool *unsure);

/* A position ("судья", "председатель суда", "намеснік старшыні суда"):
 * the head (first) word from the position-word table in
 * src/data/decline/exceptions.tsv, the rest unchanged (судье, председателю
 * суда, намесніку старшыні суда). A head word not in the table: unchanged,
 * unsure. Ownership and failure as ev_decline. */
char *ev_decline_title(const char *text, ev_lang lang, ev_case c, bool *unsure);

#endif
