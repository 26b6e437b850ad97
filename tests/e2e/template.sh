#!/usr/bin/env bash
# template.sh - the letter's template language end to end, read back from
# the PDFs with pdftotext: sections and inverted sections (also across
# paragraphs), comments, the signatories list as a repeated section,
# filters (upper, title, initials, date:LANG, default), the built-in
# salutation per letter language and gender, and values printed literally
# ({{, **, <b> in a name); a letter in UTF-16 made like the UTF-8 one, one
# in Windows-1251 refused. Usage: template.sh ENVOI SOURCE_ROOT
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

# The letter's encoding: saved by Notepad as "Unicode" (UTF-16LE with a
# byte-order mark) or as UTF-16BE, it makes the same letters as in UTF-8;
# saved as "ANSI" (Windows-1251), it is refused at its first byte that is
# not UTF-8, with the encoding it looks like, and nothing is written.
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$tmp/be.md"; } >"$tmp/be16le.md"
{ printf '\xfe\xff'; iconv -f UTF-8 -t UTF-16BE "$tmp/be.md"; } >"$tmp/be16be.md"
for e in 16le 16be; do
	"$envoi" batch "$tmp/be$e.md" "$tmp/list.csv" -o "$tmp/o-be$e" -q 2>"$tmp/be$e.err" ||
		fail "UTF-$e letter: $(cat "$tmp/be$e.err")"
	diff -r "$tmp/o-be/letters" "$tmp/o-be$e/letters" >/dev/null ||
		fail "the UTF-$e letter makes other letters than the UTF-8 one"
done
sed 's/^sender: Test Org$/sender: Тэставая арганізацыя/' "$tmp/be.md" | iconv -f UTF-8 -t CP1251 >"$tmp/be1251.md"
"$envoi" batch "$tmp/be1251.md" "$tmp/list.csv" -o "$tmp/o-be1251" 2>"$tmp/be1251.err"; rc=$?
[ $rc -eq 2 ] && [ ! -e "$tmp/o-be1251" ] || fail "a Windows-1251 letter: exit $rc"
grep -q "be1251.md:2:9: error: the letter is not UTF-8 here (byte 0xD2); it looks like Windows-1251" "$tmp/be1251.err" ||
	fail "a Windows-1251 letter: $(cat "$tmp/be1251.err")"

echo "template e2e: $fails failed"
[ "$fails" -eq 0 ]
