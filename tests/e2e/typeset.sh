#!/usr/bin/env bash
# typeset.sh - the typesetting end to end, read back with poppler and
# fontTools by tests/e2e/typeset-check.py: the sample campaign for all 413
# judges justified (no word space over 1.5x natural), hyphenated, with no
# widow, orphan or stranded closing and every address inside the window;
# the other window presets and Letter paper; the English letter with its
# Russian translation hyphenated per language; and letter errors that stop
# everything with one FILE:LINE:COL error and a caret.
# Usage: typeset.sh ENVOI SOURCE_ROOT
. "$(dirname "$0")/lib.sh"
py=python3
# fontTools comes from Debian (python3-fonttools), not from a pyenv.
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
check="$root/tests/e2e/typeset-check.py"
font="$root/fonts/PTF55F.ttf"

# 1. The sample campaign, all 413 letters.
"$envoi" batch "$root/letters/judges-appeal.md" "$root/recipients/judges.csv" \
	-o "$tmp/sample" 2>"$tmp/sample.err" || fail "sample batch: $(tail -3 "$tmp/sample.err")"
grep -q "the widest word space is 1\.[0-4][0-9] times\|natural word spaces throughout" "$tmp/sample.err" \
	|| fail "the batch does not report its widest word space within 1.5: $(tail -1 "$tmp/sample.err")"
grep -q "lines end in a hyphen" "$tmp/sample.err" || fail "no hyphenation report"
grep -q "set ragged" "$tmp/sample.err" && echo "note: $(grep -o '[0-9]* lines could not be justified' "$tmp/sample.err")"
"$py" "$check" "$font" "$tmp/sample/manifest.csv" "$tmp/sample" >"$tmp/sample.check" \
	|| fail "sample: $(head -20 "$tmp/sample.check")"
tail -1 "$tmp/sample.check"
grep -q "^413 letters checked" "$tmp/sample.check" || fail "not all 413 letters were checked"
# Hyphenated: line ends with '-' across the batch, read with pdftotext.
hy=0
for f in "$tmp"/sample/letters/00[0-4]*.pdf; do
	n=$(pdftotext -layout "$f" - | grep -c '[a-z]-$')
	hy=$((hy + n))
done
[ "$hy" -gt 0 ] || fail "no line of the first 50 letters ends in a hyphen"

# 2. The other presets, and Letter paper, on the first 30 judges.
head -31 "$root/recipients/judges.csv" >"$tmp/list30.csv"
for layout in din5008-a dl-window c5-window; do
	sed "s/^date: /layout: $layout\ndate: /; s|^signatories: ../recipients/|signatories: $root/recipients/|" \
		"$root/letters/judges-appeal.md" >"$tmp/$layout.md"
	"$envoi" batch "$tmp/$layout.md" "$tmp/list30.csv" -o "$tmp/$layout" -q 2>"$tmp/$layout.err" \
		|| fail "$layout: $(cat "$tmp/$layout.err")"
	"$py" "$check" "$font" "$tmp/$layout/manifest.csv" "$tmp/$layout" --layout "$layout" \
		>"$tmp/$layout.check" || fail "$layout: $(head -10 "$tmp/$layout.check")"
done
sed "s/^date: /paper: Letter\ndate: /; s|^signatories: ../recipients/|signatories: $root/recipients/|" \
	"$root/letters/judges-appeal.md" >"$tmp/letter.md"
"$envoi" batch "$tmp/letter.md" "$tmp/list30.csv" -o "$tmp/letter" -q 2>"$tmp/letter.err" \
	|| fail "Letter paper: $(cat "$tmp/letter.err")"
pdfinfo "$tmp/letter/letters/0001-"*.pdf | grep -q "Page size: *612 x 792" \
	|| fail "Letter paper is not 612 x 792 pt: $(pdfinfo "$tmp/letter/letters/0001-"*.pdf | grep 'Page size')"
"$py" "$check" "$font" "$tmp/letter/manifest.csv" "$tmp/letter" >"$tmp/letter.check" \
	|| fail "Letter paper: $(head -10 "$tmp/letter.check")"

# 3. English with a Russian translation: each part hyphenated by its own
# language, the Russian part greeting in Russian.
"$envoi" batch "$root/letters/judges-appeal-bilingual.md" "$tmp/list30.csv" -o "$tmp/bi" \
	2>"$tmp/bi.err" || fail "bilingual: $(tail -3 "$tmp/bi.err")"
"$py" "$check" "$font" "$tmp/bi/manifest.csv" "$tmp/bi" >"$tmp/bi.check" \
	|| fail "bilingual: $(head -10 "$tmp/bi.check")"
lat=0 cyr=0
for f in "$tmp"/bi/letters/*.pdf; do
	pdftotext -layout -f 1 -l 1 "$f" "$tmp/p1.txt"
	pdftotext -layout "$f" "$tmp/all.txt"
	grep -q "^Dear Judge " "$tmp/p1.txt" || fail "bilingual $f: no English greeting on page 1"
	# The translation starts a page: its greeting follows the running head,
	# whose page number is in Russian there.
	awk '/\f/ {top = 1} top && NF && !/(Page [0-9]+ of|Страница [0-9]+ из)/ {print; top = 0}' "$tmp/all.txt" \
		| grep -q "^Уважаем" || fail "bilingual $f: the Russian greeting does not start a page"
	awk '/\f/ {top = 1} top && NF {print; top = 0}' "$tmp/all.txt" | grep "Страница [0-9]* из" \
		| grep -q . || fail "bilingual $f: no page numbered in Russian ($(grep -m3 -o 'Page [0-9]* of [0-9]*\|Страница [0-9]* из [0-9]*' "$tmp/all.txt" | tr '\n' ' '))"
	# The head's date too ("2 июня 2025 г."); the English pages, and the
	# date line of the first page, keep the letter's "2 June 2025".
	grep "Страница [0-9]* из" "$tmp/all.txt" | grep -qv "· 2 июня 2025 г\. " \
		&& fail "bilingual $f: a Russian page's head: $(grep 'Страница [0-9]* из' "$tmp/all.txt" | tr -s ' ')"
	grep "Page [0-9]* of" "$tmp/all.txt" | grep -qv "· 2 June 2025 " \
		&& fail "bilingual $f: an English page's head: $(grep 'Page [0-9]* of' "$tmp/all.txt" | tr -s ' ')"
	grep -q " 2 June 2025$" "$tmp/p1.txt" || fail "bilingual $f: no date line '2 June 2025' on page 1"
	lat=$((lat + $(grep -c '[a-z]-$' "$tmp/all.txt")))
	cyr=$((cyr + $(grep -cP '\p{Cyrillic}-$' "$tmp/all.txt")))
	# A Russian break by Russian rules: never a lone letter either side,
	# never before ь, ъ or й.
	grep -oP '\p{Cyrillic}*-$' "$tmp/all.txt" | grep -qP '^\p{Cyrillic}-$' && fail "bilingual $f: one letter before a hyphen"
	grep -nP '\p{Cyrillic}-$' "$tmp/all.txt" | cut -d: -f1 | while read -r n; do
		next=$(sed -n "$((n + 1))p" "$tmp/all.txt" | sed 's/^ *//')
		case "$next" in [ьъй]*|?\ *|?) echo "bad";; esac
	done | grep -q bad && fail "bilingual $f: a Russian break leaves one letter or starts with ь, ъ, й"
done
[ "$lat" -gt 0 ] || fail "no English line of the bilingual letters is hyphenated"
[ "$cyr" -gt 0 ] || fail "no Russian line of the bilingual letters is hyphenated"
echo "bilingual: $lat English and $cyr Russian lines end in a hyphen"

# 4. Without pattern files: a warning naming the package, letters still
# made, unhyphenated.
mkdir "$tmp/nohyph"
ENVOI_HYPHEN_DIR="$tmp/nohyph" "$envoi" preview "$root/letters/judges-appeal-bilingual.md" \
	"$tmp/list30.csv" --id 1 -o "$tmp/nohyph.pdf" 2>"$tmp/nohyph.err" || fail "no patterns: $(cat "$tmp/nohyph.err")"
grep -q "warning: cannot read hyphenation patterns.*hyph_ru_RU.dic.*install the Debian package hyphen-ru" \
	"$tmp/nohyph.err" || fail "no patterns: no warning naming hyphen-ru: $(cat "$tmp/nohyph.err")"
[ "$(pdftotext -layout "$tmp/nohyph.pdf" - | grep -cP '\p{L}-$')" -eq 0 ] || fail "no patterns: still hyphenated"

# 5. Letter errors: one FILE:LINE:COL error with a caret, exit 2, nothing
# written.
printf 'id,surname,given_name,street,postcode,city\n1,Жук,Саша,ул. Ленина 5,220030,Минск\n' >"$tmp/one.csv"
bad() {   # NAME EXPECTED-LOCATION LETTER-TEXT
	printf '%s' "$3" >"$tmp/$1.md"
	"$envoi" batch "$tmp/$1.md" "$tmp/one.csv" -o "$tmp/out-$1" 2>"$tmp/$1.err"
	local rc=$?
	[ "$rc" -eq 2 ] || fail "$1: exit $rc, expected 2"
	[ "$(grep -c ': error: ' "$tmp/$1.err")" -eq 1 ] || fail "$1: not one error: $(cat "$tmp/$1.err")"
	grep -q "^envoi: $tmp/$1.md:$2: error: " "$tmp/$1.err" || fail "$1: no $1.md:$2 error: $(cat "$tmp/$1.err")"
	grep -q '^ *\^$' "$tmp/$1.err" || fail "$1: no caret: $(cat "$tmp/$1.err")"
	[ -z "$(find "$tmp/out-$1" -name '*.pdf' 2>/dev/null)" ] || fail "$1: a PDF was written"
}
bad unknown-field 5:6 $'---\ndate: 1 May 2025\n---\n\nDear {{surnme}},\n'
bad unclosed-section 4:1 $'---\ndate: 1 May 2025\n---\n{{#given_name}}Hello\n\nText\n'
bad bad-front-matter 3:9 $'---\ndate: 1 May 2025\nlayout: window\n---\nText\n'
bad unclosed-translation 5:1 $'---\ndate: 1 May 2025\n---\nText\n::: {lang=ru}\nТекст\n'
bad bad-translation 4:5 $'---\ndate: 1 May 2025\n---\n::: {lang=de}\nText\n:::\n'
grep -q "did you mean 'surname'" "$tmp/unknown-field.err" || fail "unknown field: no suggestion"

echo "typeset e2e: $fails failed"
[ "$fails" -eq 0 ]
