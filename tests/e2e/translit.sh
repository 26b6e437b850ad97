#!/usr/bin/env bash
# translit.sh - `envoi translit` and transliteration across envoi, from the
# outside: the scheme list, one output line per input line and nothing
# else, round trips of every name and place of the sample through the
# reversible schemes, clear errors, template filters in a real letter
# (pdftotext), and `preview --find` by a Latin or Cyrillic name.
# Usage: translit.sh ENVOI SOURCE_ROOT
. "$(dirname "$0")/lib.sh"
list=$root/recipients/judges.csv
letter=$root/letters/judges-appeal.md

# 1. --list: one line per scheme, every one usable.
"$envoi" translit --list >"$tmp/list" || fail "--list exit $?"
[ "$(wc -l <"$tmp/list")" -eq 13 ] || fail "--list has $(wc -l <"$tmp/list") lines, expected 13"
for id in by-national by-national-2023 by-passport bgn-pcgn-be bgn-pcgn-ru iso9 gost-b icao-ru ala-lc ala-lc-simple lacinka uk-national ascii; do
	grep -q "^$id " "$tmp/list" || fail "--list lacks $id"
	out=$("$envoi" translit --scheme "$id" Кавалёва Вольга) || fail "$id: exit $?"
	case "$out" in *[А-яЁёІіЎў]*|"") fail "$id: '$out'";; esac
done
[ "$("$envoi" translit --scheme by-passport Кавалёва)" = Kavaliova ] || fail "Кавалёва by-passport"
[ "$("$envoi" translit --scheme icao-ru ЩЕРБАКОВ Ю. А.)" = "SHCHERBAKOV Iu. A." ] || fail "ЩЕРБАКОВ Ю. А. icao-ru"
[ "$("$envoi" translit --scheme bgn-pcgn-ru Иванова-Егорова)" = "Ivanova-Yegorova" ] || fail "hyphenated word start"
# Ukrainian and the other Cyrillic alphabets never pass through nor vanish
# (issue 12): Ukraine's 2010 system in the passport styles, ISO 9 else.
[ "$("$envoi" translit --scheme iso9 Київ)" = "Kiïv" ] || fail "Київ iso9"
[ "$("$envoi" translit --scheme by-passport Євгенія)" = "Yevheniia" ] || fail "Євгенія by-passport"
[ "$("$envoi" translit --scheme ascii Київ Євгенія Ђорђе)" = "Kyiv Yevheniia Dorde" ] || fail "ascii Київ Євгенія Ђорђе"
grep -q "^uk-national .*uk .*one-way" "$tmp/list" || fail "--list: uk-national"

# 2. Standard input: one line out per line in, empty lines kept, nothing else.
printf 'Мінск\n\nГомель\r\nБрэст' | "$envoi" translit --scheme by-national >"$tmp/lines" 2>"$tmp/err" || fail "stdin exit $?"
[ "$(cat "$tmp/lines")" = "$(printf 'Minsk\n\nHomieĺ\nBrest')" ] || fail "stdin lines: $(cat -A "$tmp/lines")"
[ -s "$tmp/err" ] && fail "stderr not empty: $(cat "$tmp/err")"
printf 'Жук\n\xff\xfe\nЖук\n' | "$envoi" translit --scheme iso9 >"$tmp/bad" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && [ "$(wc -l <"$tmp/bad")" -eq 3 ] || fail "invalid UTF-8 line: exit $rc, $(wc -l <"$tmp/bad") lines"
grep -q "<stdin>:2: warning: not valid UTF-8" "$tmp/err" || fail "no warning for line 2: $(cat "$tmp/err")"
# a NUL inside a line: warned about, and the line read to its end
printf 'Жук\000Жук\n' | "$envoi" translit --scheme iso9 >"$tmp/nul" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && [ "$(cat "$tmp/nul")" = "$(printf 'Žuk\357\277\275Žuk')" ] ||
	fail "a NUL in a line: exit $rc, $(cat -A "$tmp/nul")"
grep -q "<stdin>:1: warning: not valid UTF-8" "$tmp/err" || fail "no warning for the NUL: $(cat "$tmp/err")"

# 3. Round trips of every name and place of the sample (per row language).
python3 - "$list" "$tmp" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
for lang in ("be", "ru"):
    with open("%s/cells.%s" % (sys.argv[2], lang), "w", encoding="utf-8") as f:
        for r in rows:
            if r["lang"] == lang:
                for k in ("surname", "given_name", "patronymic", "court", "street", "city", "district", "region"):
                    if r[k]:
                        f.write(r[k].replace("'", "\u2019") + "\n")
PY
for scheme in iso9 gost-b; do
	for lang in be ru; do
		"$envoi" translit --scheme $scheme --lang $lang <"$tmp/cells.$lang" \
			| "$envoi" translit --scheme $scheme --lang $lang --reverse >"$tmp/back" || fail "$scheme $lang: exit"
		cmp -s "$tmp/cells.$lang" "$tmp/back" || fail "$scheme $lang round trip: $(diff "$tmp/cells.$lang" "$tmp/back" | head -4)"
	done
done

# 4. Clear errors.
"$envoi" translit --scheme iso-9 Жук 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "unknown scheme 'iso-9'; did you mean 'iso9'" "$tmp/err" || fail "unknown scheme: $rc $(cat "$tmp/err")"
"$envoi" translit --scheme icao-ru --reverse Zhuk 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "'icao-ru' cannot be reversed; the reversible schemes are:.*iso9" "$tmp/err" || fail "reverse icao-ru: $rc $(cat "$tmp/err")"

# 5. Filters in a letter: latin (the campaign's policy), latin:SCHEME,
# cyrillic:SCHEME; a stored spelling column wins; a bad filter points at it.
head -3 "$list" >"$tmp/two.csv"
python3 - "$tmp/two.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
rows[0].append("surname_latin"); rows[1].append("Hancharenko"); rows[2].append("")
csv.writer(open(sys.argv[1], "w", encoding="utf-8", newline="")).writerows(rows)
PY
cat >"$tmp/f.md" <<'MD'
---
sender: Test
date: 1 June 2025
---
A {{surname | latin}} B {{surname | latin:bgn-pcgn-ru}} C {{city | latin}} D {{surname | latin:iso9 | cyrillic:iso9}} E {{court | latin:ascii}}.
MD
"$envoi" batch "$tmp/f.md" "$tmp/two.csv" -o "$tmp/fo" -q 2>"$tmp/err" || fail "filter letter: $(cat "$tmp/err")"
t1=$(pdftotext "$tmp/fo/letters/0001-"*.pdf - | tr '\n' ' ')
t2=$(pdftotext "$tmp/fo/letters/0002-"*.pdf - | tr '\n' ' ')
for want in "A Hancharenko B Hancharenka C Liepieĺ D Ганчарэнка E Sud Lepelskaha raiona"; do
	case "$t1" in *"$want"*) ;; *) fail "letter 1 lacks '$want': $t1";; esac
done
for want in "A Martyniuk B Martynyuk C Kamenets D Мартынюк"; do
	case "$t2" in *"$want"*) ;; *) fail "letter 2 lacks '$want': $t2";; esac
done
printf -- '---\nsender: T\ndate: 1 June 2025\n---\nDear {{surname | latn}},\n' >"$tmp/bad.md"
"$envoi" batch "$tmp/bad.md" "$tmp/two.csv" -o "$tmp/bo" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "bad.md:5:[0-9]*: error: unknown filter 'latn'" "$tmp/err" || fail "bad filter: $rc $(cat "$tmp/err")"
printf -- '---\nsender: T\ndate: 1 June 2025\n---\n{{city | cyrillic:icao-ru}}\n' >"$tmp/bad2.md"
"$envoi" batch "$tmp/bad2.md" "$tmp/two.csv" -o "$tmp/bo" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "'icao-ru' cannot be turned back into Cyrillic" "$tmp/err" || fail "cyrillic:icao-ru: $rc $(cat "$tmp/err")"
printf -- '---\nsender: T\ndate: 1 June 2025\nlatin: by-pasport\n---\nx\n' >"$tmp/bad3.md"
"$envoi" batch "$tmp/bad3.md" "$tmp/two.csv" -o "$tmp/bo" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "bad3.md:4:[0-9]*: error: unknown transliteration scheme 'by-pasport'" "$tmp/err" || fail "bad policy: $rc $(cat "$tmp/err")"

# 6. preview --find: a Latin name finds the Cyrillic recipient.
"$envoi" preview "$letter" "$list" --find kavaliova -o "$tmp/k.pdf" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "3 recipients match 'kavaliova'" "$tmp/err" && grep -q -- "--id 99 .*Кавалёва Галіна" "$tmp/err" \
	|| fail "find kavaliova: $rc $(cat "$tmp/err")"
"$envoi" preview "$letter" "$list" --find "kavaliova halina" -o "$tmp/k.pdf" 2>"$tmp/err" || fail "find kavaliova halina: $(cat "$tmp/err")"
pdftotext "$tmp/k.pdf" - | grep -q "Кавалёва Галіна Віктараўна" || fail "the found letter is not Кавалёва Галіна's"
"$envoi" preview "$letter" "$list" --find "КАВАЛЕВА галина" -o "$tmp/k2.pdf" 2>"$tmp/err" || fail "find in Cyrillic with е for ё: $(cat "$tmp/err")"
cmp -s "$tmp/k.pdf" "$tmp/k2.pdf" || fail "the two finds differ"
"$envoi" preview "$letter" "$list" --find "Nobody Atall" -o "$tmp/n.pdf" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "no recipient's name matches 'Nobody Atall'" "$tmp/err" || fail "find nobody: $rc"
# A search too short to mean a name is refused; one that matches more than
# twenty lists the first twenty and asks for more of the name.
"$envoi" preview "$letter" "$list" --find "Zzzz" -o "$tmp/z.pdf" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "find 'Zzzz' is too little of a name to search for" "$tmp/err" || fail "find Zzzz: $rc $(cat "$tmp/err")"
"$envoi" preview "$letter" "$list" --find "ko" -o "$tmp/z.pdf" 2>"$tmp/err"; rc=$?
n=$(grep -c -- "^  --id " "$tmp/err")
[ $rc -eq 2 ] && [ "$n" -eq 20 ] && grep -q "recipients match 'ko'; type more of the name, or choose one with --id (the first 20)" "$tmp/err" ||
	fail "find ko: exit $rc, $n listed: $(head -2 "$tmp/err")"

echo "translit e2e: $fails failed"
[ "$fails" -eq 0 ]
