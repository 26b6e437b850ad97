#!/usr/bin/env bash
# labels.sh - label sheets end to end, on the sample campaign (413 judges)
# and glabels-data's template database: "Avery L7163" and "avery-l7163"
# are the default sheet byte for byte (also without the database); a US
# Letter sheet (Avery 5160), one with round corners (Endisch 6409957x,
# 3 mm) and a 3 x 8 one (Zweckform 3475) with every word (pdftotext -bbox)
# inside its label's shape as labels-check.py computes it from the XML with
# xml.etree; page sizes (pdfinfo); --first 5; --offset 2,-1.5; round
# labels that take some addresses and reject the others in manifest.csv
# (check agreeing); labels too small for any; `--labels list`; unknown and
# ambiguous names; the calibration page.
# Usage: labels.sh ENVOI SOURCE_ROOT LABELS-CHECK.PY
. "$(dirname "$0")/lib.sh"
check_py=$3
unset ENVOI_LABELDIR
db=/usr/share/libglabels-3.0/templates
letter=$root/letters/judges-appeal.md
list=$root/recipients/judges.csv

# The database is a requirement of this test (CI installs glabels-data):
# without it the test fails, naming the package, rather than passing on
# half of its cases.
if [ ! -f "$db/avery-iso-templates.xml" ] || [ ! -f "$db/paper-sizes.xml" ]; then
	echo "FAIL: gLabels' template database is not in $db: install glabels-data" \
	     "(apt-get install glabels-data); the label sheet tests need it"
	exit 1
fi

batch() {   # OUTDIR ARGS...: the sample batch, quiet; its status in $status
	local out=$1
	shift
	"$envoi" batch "$letter" "$list" -o "$out" -q "$@" >"$out.log" 2>&1
	status=$?
}

bbox() {   # PDF: its words with their boxes, into PDF.html
	pdftotext -bbox "$1" "$1.html" || fail "pdftotext -bbox $1"
}

page_size() {   # PDF: "W x H" of every page, one line per distinct size
	pdfinfo -f 1 -l 999 "$1" | awk '/^Page +[0-9]+ size:/ {print $4 " x " $6}' | sort -u
}

# 1. The default sheet by any of its names, with and without the database.
batch "$tmp/default"
[ "$status" = 0 ] || fail "the default batch exited $status: $(tail -3 "$tmp/default.log")"
for name in "Avery L7163" "avery-l7163" "L7163"; do
	batch "$tmp/named" --labels "$name"
	[ "$status" = 0 ] || fail "--labels '$name' exited $status"
	cmp -s "$tmp/default/labels.pdf" "$tmp/named/labels.pdf" \
		|| fail "--labels '$name' gives another labels.pdf than the default"
	rm -rf "$tmp/named"
done
mkdir "$tmp/nodb"
ENVOI_LABELDIR=$tmp/nodb batch "$tmp/named" --labels "Avery L7163"
cmp -s "$tmp/default/labels.pdf" "$tmp/named/labels.pdf" \
	|| fail "without the database, --labels 'Avery L7163' gives another labels.pdf"
ENVOI_LABELDIR=$tmp/nodb batch "$tmp/nodb-5160" --labels "Avery 5160"
[ "$status" = 2 ] && grep -q "glabels-data" "$tmp/nodb-5160.log" \
	|| fail "without the database, 'Avery 5160' should fail naming glabels-data" \
	        "(exit $status): $(cat "$tmp/nodb-5160.log")"
[ "$(page_size "$tmp/default/labels.pdf")" = "595.276 x 841.89" ] \
	|| fail "the default labels are not A4: $(page_size "$tmp/default/labels.pdf")"

# 2. Three sheets of the database: every word inside its label.
sheets=("Avery 5160" "Endisch 6409957x" "Zweckform 3475")
pages=(14 42 18)
sizes=("612 x 792" "595.276 x 841.89" "595.276 x 841.89")
for k in 0 1 2; do
	name=${sheets[$k]}
	out=$tmp/sheet-$k
	batch "$out" --labels "$name"
	[ "$status" = 0 ] || { fail "--labels '$name' exited $status: $(tail -3 "$out.log")"; continue; }
	n=$(pdfinfo "$out/labels.pdf" | awk '/^Pages:/ {print $2}')
	[ "$n" = "${pages[$k]}" ] || fail "$name: $n sheets, expected ${pages[$k]}"
	[ "$(page_size "$out/labels.pdf")" = "${sizes[$k]}" ] \
		|| fail "$name: pages of $(page_size "$out/labels.pdf") pt, expected ${sizes[$k]}"
	bbox "$out/labels.pdf"
	python3 "$check_py" inside "$db" "$name" "$out/labels.pdf.html" 413 \
		|| fail "$name: words outside their labels"
done

# 3. --first 5: labels 1-4 of the first sheet stay empty.
batch "$tmp/first" --labels "Avery 5160" --first 5
[ "$status" = 0 ] || fail "--first 5 exited $status"
bbox "$tmp/first/labels.pdf"
python3 "$check_py" inside "$db" "Avery 5160" "$tmp/first/labels.pdf.html" 413 --first 5 \
	|| fail "--first 5: the first sheet is not filled from label 5"
batch "$tmp/first-bad" --labels "Avery 5160" --first 31
[ "$status" = 2 ] && grep -q "a sheet of Avery 5160 has 30 labels" "$tmp/first-bad.log" \
	|| fail "--first 31 on a sheet of 30: exit $status, $(cat "$tmp/first-bad.log")"

# 4. --offset 2,-1.5: every word 2 mm right and 1.5 mm up, still inside
# its label moved so.
batch "$tmp/offset" --labels "Zweckform 3475" --offset 2,-1.5
[ "$status" = 0 ] || fail "--offset exited $status"
bbox "$tmp/offset/labels.pdf"
python3 "$check_py" moved "$tmp/sheet-2/labels.pdf.html" "$tmp/offset/labels.pdf.html" 2 -1.5 \
	|| fail "--offset 2,-1.5 did not move every word by 2 mm, -1.5 mm"
python3 "$check_py" inside "$db" "Zweckform 3475" "$tmp/offset/labels.pdf.html" 413 \
	--offset 2,-1.5 || fail "--offset 2,-1.5: words outside their moved labels"
"$envoi" batch "$letter" "$list" -o "$tmp/offset-bad" --offset 2 >/dev/null 2>&1
[ $? = 2 ] || fail "--offset 2 (no Y) should be a usage error"

# 5. Round labels of 63.5 mm: the addresses that fit are set inside the
# disc; the rows whose lines are too wide are rejected (not the batch), in
# manifest.csv, and check says the same.
batch "$tmp/round" --labels "Avery 5294"
[ "$status" = 1 ] || fail "Avery 5294 exited $status, expected 1 (some rows rejected)"
rejected=$(python3 - "$tmp/round/manifest.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
bad = [r for r in rows if r["status"] == "rejected"]
ok = all(r["reason"].startswith("the address does not fit a label of Avery 5294 "
                                "(63.5 × 63.5 mm) even at 6 pt") for r in bad)
print(len(bad) if ok else "wrong reason: " + bad[0]["reason"])
PY
)
[ "$rejected" = 11 ] || fail "Avery 5294: rejected rows in manifest.csv: $rejected, expected 11"
bbox "$tmp/round/labels.pdf"
python3 "$check_py" inside "$db" "Avery 5294" "$tmp/round/labels.pdf.html" 402 \
	|| fail "Avery 5294: words outside their discs"
"$envoi" check "$letter" "$list" --labels "Avery 5294" >"$tmp/check.txt" 2>&1
k=$?
n=$(grep -c "does not fit a label of Avery 5294" "$tmp/check.txt")
[ "$k" = 1 ] && [ "$n" = 11 ] || fail "check --labels 'Avery 5294': exit $k, $n rows rejected"
"$envoi" check "$list" --labels "Avery 5294" >"$tmp/check2.txt" 2>&1
n=$(grep -c "does not fit a label of Avery 5294" "$tmp/check2.txt")
[ "$n" = 11 ] || fail "check without the letter: $n rows rejected for Avery 5294, expected 11"

# 6. Labels too small for any address: every row rejected with the reason;
# the batch still ends, with its manifest.
batch "$tmp/tiny" --labels "Endisch 6500020x"
[ "$status" = 1 ] || fail "Endisch 6500020x exited $status, expected 1"
n=$(grep -c ',rejected,the address does not fit a label of Endisch 6500020x (20 × 20 mm) even at 6 pt' \
	"$tmp/tiny/manifest.csv")
[ "$n" = 413 ] || fail "Endisch 6500020x: $n rows rejected in manifest.csv, expected 413"
[ -f "$tmp/tiny/print.pdf" ] && fail "Endisch 6500020x: a print file with no letter"

# 7. Listing.
"$envoi" --labels list avery 7163 >"$tmp/list.txt" 2>"$tmp/list.err" || fail "--labels list exited $?"
expect="Avery 7163                A4          99.1 × 38.1 mm        14  Mailing labels
Avery L7163               A4          99.1 × 38.1 mm        14  Mailing labels"
[ "$(cat "$tmp/list.txt")" = "$expect" ] || fail "--labels list avery 7163 printed:
$(cat "$tmp/list.txt")"
"$envoi" labels list avery 7163 | cmp -s - "$tmp/list.txt" \
	|| fail "'envoi labels list' and '--labels list' differ"
"$envoi" batch "$letter" "$list" -o "$tmp/x" --labels list Avery 7163 | cmp -s - "$tmp/list.txt" \
	|| fail "'batch ... --labels list' differs"
n=$("$envoi" labels list 2>/dev/null | wc -l)
[ "$n" -gt 1000 ] || fail "envoi labels list lists $n sheets"
"$envoi" labels list no-such-sheet-anywhere >/dev/null 2>&1
[ $? = 1 ] || fail "a list matching nothing should exit 1"

# 8. Unknown and ambiguous names.
batch "$tmp/unknown" --labels "Avery L7136"
[ "$status" = 2 ] && grep -q "unknown label sheet 'Avery L7136'; the closest: Avery L7163" \
	"$tmp/unknown.log" || fail "unknown sheet: exit $status, $(cat "$tmp/unknown.log")"
[ -e "$tmp/unknown/labels.pdf" ] && fail "an unknown sheet still wrote labels.pdf"
batch "$tmp/ambiguous" --labels 3651
[ "$status" = 2 ] && grep -q "ambiguous.*Avery 3651.*Zweckform 3651" "$tmp/ambiguous.log" \
	|| fail "ambiguous part: exit $status, $(cat "$tmp/ambiguous.log")"

# 9. The calibration page: the sheet's paper, the instructions, moved by
# --offset (the top ruler's "20" 1 mm right and 2 mm down).
"$envoi" labels --calibrate "Avery 5160" -o "$tmp/cal.pdf" 2>"$tmp/cal.err" \
	|| fail "--calibrate exited $?: $(cat "$tmp/cal.err")"
[ "$(page_size "$tmp/cal.pdf")" = "612 x 792" ] || fail "calibration page: $(page_size "$tmp/cal.pdf")"
[ "$(pdfinfo "$tmp/cal.pdf" | awk '/^Pages:/ {print $2}')" = 1 ] || fail "calibration: not one page"
text=$(pdftotext "$tmp/cal.pdf" - | tr '\n' ' ')
case $text in
*"Print on plain paper at 100 %, hold it against a label sheet to the light; measure how far the outlines are off and pass --offset X,Y"*) ;;
*) fail "calibration page lacks the instructions: $text" ;;
esac
case $text in
*"Avery 5160: 30 labels of 66.68 × 25.4 mm on US-Letter (215.9 × 279.4 mm); offset 0, 0 mm"*) ;;
*) fail "calibration page lacks the sheet line: $text" ;;
esac
"$envoi" labels --calibrate L7163 --offset 1,2 -o "$tmp/cal2.pdf" 2>/dev/null || fail "--calibrate L7163"
[ "$(page_size "$tmp/cal2.pdf")" = "595.276 x 841.89" ] || fail "calibration L7163 is not A4"
pdftotext -raw "$tmp/cal2.pdf" - | grep -q "offset 1, 2 mm" || fail "calibration: the offset is not shown"
bbox "$tmp/cal.pdf"
bbox "$tmp/cal2.pdf"
y20() { grep -m1 '>20</word>' "$1" | sed 's/.*xMin="\([0-9.]*\)" yMin="\([0-9.]*\)".*/\1 \2/'; }
read -r x1 y1 <<<"$(y20 "$tmp/cal.pdf.html")"
read -r x2 y2 <<<"$(y20 "$tmp/cal2.pdf.html")"
awk -v a="$x1" -v b="$y1" -v c="$x2" -v d="$y2" 'BEGIN {
	mm = 72 / 25.4; exit !(((c - a) - mm) ^ 2 < 1e-4 && ((d - b) - 2 * mm) ^ 2 < 1e-4) }' \
	|| fail "--offset 1,2 did not move the calibration page's ruler (20 at $x1,$y1 then $x2,$y2)"
"$envoi" labels --calibrate "No Such" -o "$tmp/cal3.pdf" >/dev/null 2>&1
[ $? = 2 ] && [ ! -e "$tmp/cal3.pdf" ] || fail "--calibrate of an unknown sheet"

[ "$fails" = 0 ] && echo "label sheets: all passed"
exit $((fails > 0))
