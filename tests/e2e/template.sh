#!/usr/bin/env bash
# template.sh - the letter's template language end to end, read back from
# the PDFs with pdftotext: sections and inverted sections (also across
# paragraphs), comments, the signatories list as a repeated section,
# filters (upper, title, initials, date:LANG, default), the built-in
# salutation per letter language and gender, and values printed literally
# ({{, **, <b> in a name). Usage: template.sh ENVOI SOURCE_ROOT
. "$(dirname "$0")/lib.sh"
text() { pdftotext "$1" - | tr '\n' ' ' | tr -s ' '; }

printf 'organisation,country\nLibereco,Germany\nPEN Belarus,Belarus\n' >"$tmp/sig.csv"
cat >"$tmp/list.csv" <<'CSV'
id,surname,given_name,patronymic,gender,position,street,postcode,city
1,Ганчарэнка,Вера,Іванаўна,f,суддзя,вул. Пушкіна 98,211118,Лепель
2,Мартынюк,Леонид,Евгеньевич,m,судья,пер. Почтовый 1,225005,Каменец
3,Жук,Саша,,,,ул. Ленина 5,220030,Минск
4,{{surname}} **x** <b>,Ян,,m,,ул. Ленина 6,220030,Минск
CSV
for lang in ru be en; do
cat >"$tmp/$lang.md" <<MD
---
sender: Test Org
date: 2025-06-02
lang: $lang
signatories: sig.csv
---
{{salutation}}

{{! this comment is not printed
even over two lines }}
{{#female}}Она: {{surname | upper}}.{{/female}}{{^female}}Не она: {{given_name | initials}} {{surname}}.{{/female}}

{{#male}}

Абзац только для мужчин.

{{/male}}
Дата: {{date | date:ru}} / {{date | date:be}} / {{date | date:en}}. Кабинет: {{patronymic | default:"нет"}}.

{{#signatories}}
- {{organisation}} ({{country | upper}})
{{/signatories}}
MD
	"$envoi" batch "$tmp/$lang.md" "$tmp/list.csv" -o "$tmp/o-$lang" -q 2>"$tmp/err" || fail "$lang: $(cat "$tmp/err")"
done
r1=$(text "$tmp/o-ru/letters/0001-"*.pdf) r2=$(text "$tmp/o-ru/letters/0002-"*.pdf)
r3=$(text "$tmp/o-ru/letters/0003-"*.pdf) r4=$(text "$tmp/o-ru/letters/0004-"*.pdf)
expect() { case "$2" in *"$3"*) ;; *) fail "$1 lacks '$3': $2";; esac; }
refuse() { case "$2" in *"$3"*) fail "$1 has '$3': $2";; esac; }
# A Russian greeting names a Belarusian-spelled reader in Russian (Іванаўна).
expect ru1 "$r1" "Уважаемая Вера Ивановна!"
expect ru2 "$r2" "Уважаемый Леонид Евгеньевич!"
expect ru3 "$r3" "Здравствуйте, Жук!"
expect ru1 "$r1" "Она: ГАНЧАРЭНКА."
expect ru2 "$r2" "Не она: Л. Мартынюк."
refuse ru1 "$r1" "Абзац только для мужчин"
expect ru2 "$r2" "Абзац только для мужчин."
refuse ru1 "$r1" "comment"
expect ru1 "$r1" "Дата: 2 июня 2025 г. / 2 чэрвеня 2025 г. / 2 June 2025."
expect ru3 "$r3" "Кабинет: нет."
expect ru1 "$r1" "• Libereco (GERMANY) • PEN Belarus (BELARUS)"
expect ru4 "$r4" "{{surname}} **x** <b> Ян"
expect ru4 "$r4" "Не она: Я. {{surname}} **x** <b>."
expect be1 "$(text "$tmp/o-be/letters/0001-"*.pdf)" "Шаноўная Вера Іванаўна!"
expect be3 "$(text "$tmp/o-be/letters/0003-"*.pdf)" "Добры дзень, Жук!"
expect en1 "$(text "$tmp/o-en/letters/0001-"*.pdf)" "Dear Judge Hancharenka,"
expect en3 "$(text "$tmp/o-en/letters/0003-"*.pdf)" "Dear Sasha Zhuk,"
expect en4 "$(text "$tmp/o-en/letters/0004-"*.pdf)" "Dear Mr"

echo "template e2e: $fails failed"
[ "$fails" -eq 0 ]
