#!/usr/bin/env bash
# fast.sh - the PDF writer's promises on the whole sample campaign: the same
# files whatever the number of threads and with or without --timings,
# letters of at most 20 KB on average, and every letter read back by
# Ghostscript (txtwrite), which alone caught some font defects poppler and
# qpdf miss (fast-pdf.md §5); and print volumes for a campaign of more
# than 500 letters.
# batch.sh checks every letter with qpdf, pdftotext and pdffonts.
# Usage: fast.sh ENVOI SOURCE_ROOT
. "$(dirname "$0")/lib.sh"
letter=$root/letters/judges-appeal.md
list=$root/recipients/judges.csv

# (--threads 3 with --timings: the table on stderr, and the same files)
for t in 1 2 3; do
	"$envoi" batch "$letter" "$list" -o "$tmp/t$t" -q --threads "$t" \
		$([ "$t" = 3 ] && echo --timings) 2>"$tmp/err$t" ||
		fail "--threads $t: exit $?: $(head -3 "$tmp/err$t")"
done
[ -s "$tmp/err1" ] && fail "-q without --timings printed: $(head -3 "$tmp/err1")"
for phase in read 'lay out' encode deflate write other 'all phases' waiting; do
	grep -q "^envoi:   $phase  *[0-9]*\.[0-9]\{3\} s" "$tmp/err3" || fail "--timings: no line for $phase"
done
grep -q "^envoi:   wall time  *[0-9.]* s; 413 letters, [0-9]* a second; peak RSS [0-9]*\.[0-9] MB$" \
	"$tmp/err3" || fail "--timings: no wall time line: $(cat "$tmp/err3")"
"$envoi" batch "$letter" "$list" -o "$tmp/td" -q 2>"$tmp/errd" || fail "default threads: $(head -3 "$tmp/errd")"
for t in 2 3 d; do
	diff -r "$tmp/t1" "$tmp/t$t" >"$tmp/diff" || fail "--threads 1 and ${t/d/(default)} differ: $(head -3 "$tmp/diff")"
done
"$envoi" preview "$letter" "$list" --id 230 -o "$tmp/p.pdf" -q --threads 2 --timings 2>"$tmp/errp" || fail "preview: $(cat "$tmp/errp")"
cmp -s "$tmp/p.pdf" "$tmp/t1/letters/0230-"*.pdf || fail "preview on 2 threads is not the batch's letter 230"
grep -q "^envoi:   wall time .*; 1 letter, " "$tmp/errp" || fail "preview --timings: $(cat "$tmp/errp")"

n=$(ls "$tmp/t1/letters" | wc -l)
bytes=$(cat "$tmp"/t1/letters/*.pdf | wc -c)
[ "$n" -eq 413 ] || fail "$n letters, not 413"
avg=$((bytes / (n ? n : 1)))
echo "letters: $n, $avg bytes on average"
[ "$avg" -le 20000 ] || fail "letters average $avg bytes, over 20 KB (issue 15)"

# Ghostscript reads every letter: no complaint, and each letter's greeting
# and its recipient's surname, in the list's order.
gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=txtwrite -sOutputFile="$tmp/gs.txt" \
	"$tmp"/t1/letters/*.pdf >"$tmp/gs.err" 2>&1 || fail "gs failed: $(head -5 "$tmp/gs.err")"
[ -s "$tmp/gs.err" ] && fail "gs complained: $(head -5 "$tmp/gs.err")"
/usr/bin/python3 - "$tmp/t1/manifest.csv" "$tmp/gs.txt" <<'PY' || fail "Ghostscript's text"
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], encoding='utf-8')) if r['status'] == 'ok']
text = open(sys.argv[2], encoding='utf-8').read()
pos, bad = 0, 0
for r in rows:
    greet = 'Dear Judge '
    at = text.find(greet, pos)
    surname = r['name'].split()[0]
    if at < 0 or text.find(surname, pos) < 0:
        print('letter %s: greeting or surname %r not found in order' % (r['seq'], surname))
        bad += 1
        continue
    pos = at + len(greet)
if text.count('Dear Judge ') != len(rows):
    print('%d greetings for %d letters' % (text.count('Dear Judge '), len(rows)))
    bad += 1
sys.exit(1 if bad else 0)
PY

# A campaign of more than 500 letters is printed from volumes of 500
# (print-001.pdf, ...), each starting letters on front sides, each with its
# own label file (labels-001.pdf, ...) for the same letters; a smaller
# campaign run into the same folder afterwards leaves only its print.pdf
# and labels.pdf. The list is read in chunks of 1024 rows: a duplicate
# person and a duplicate id in the third chunk are found against the first.
/usr/bin/python3 - "$list" "$tmp/big.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8')))
with open(sys.argv[2], 'w', encoding='utf-8', newline='') as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
    w.writeheader()
    for k in range(6):      # 2478 rows: the sample six times, each at
        for r in rows:      # another building, so none is a duplicate
            r = dict(r)
            r['id'] = '%d-%s' % (k, r['id'])
            r['building'] = '%d%s' % (k + 1, r['building'])
            w.writerow(r)
    first = dict(rows[0], id='again', building='1' + rows[0]['building'])
    w.writerow(first)                       # row 2479: the person of row 1
    w.writerow(dict(rows[1], id='0-' + rows[0]['id'], building='9'))  # row 1's id
PY
"$envoi" batch "$letter" "$tmp/big.csv" -o "$tmp/big" -q 2>"$tmp/errbig"
rc=$?
[ $rc -eq 1 ] || fail "2480 rows, 2 rejected: exit $rc ($(head -3 "$tmp/errbig"))"
grep -q "big.csv:2480:.*a duplicate: the same person at the same address as the row on line 2" "$tmp/errbig" ||
	fail "the duplicate in the third chunk: $(cat "$tmp/errbig")"
grep -q "big.csv:2481:.*this id is already used by the row on line 2" "$tmp/errbig" ||
	fail "the duplicate id in the third chunk: $(cat "$tmp/errbig")"
/usr/bin/python3 - "$tmp/big/manifest.csv" <<'PY' || fail "the manifest of 2480 rows"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8')))
ok = sum(1 for r in rows if r['status'] == 'ok')
rej = [r['line'] for r in rows if r['status'] == 'rejected']
if len(rows) != 2480 or ok != 2478 or rej != ["2480", "2481"]:
    print('rows %d, ok %d, rejected on lines %s' % (len(rows), ok, rej))
    sys.exit(1)
PY
# envoi check reads the list the same way: the same two rejections, every
# row in its JSON once, in order.
"$envoi" check "$tmp/big.csv" >"$tmp/check-big" 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q "2480 rows: 2478 accepted, 2 rejected" "$tmp/check-big" ||
	fail "check of 2480 rows: exit $rc, $(sed -n 4p "$tmp/check-big")"
"$envoi" check "$tmp/big.csv" --json >"$tmp/check-big.json" 2>/dev/null
/usr/bin/python3 - "$tmp/check-big.json" <<'PY' || fail "check --json of 2480 rows"
import json, sys
j = json.load(open(sys.argv[1], encoding='utf-8'))
rows = j['recipients']
bad = []
if j['rows'] != 2480 or j['rejected'] != 2 or len(rows) != 2480:
    bad.append('counts %s %s %d' % (j['rows'], j['rejected'], len(rows)))
if [r['seq'] for r in rows] != list(range(1, 2481)):
    bad.append('seq not 1..2480 in order')
rej = [(r['line'], r['duplicate_of_line']) for r in rows if r['status'] == 'rejected']
if rej != [(2480, 2), (2481, None)]:
    bad.append('rejected %s' % rej)
if bad:
    print(bad)
    sys.exit(1)
PY
[ -e "$tmp/big/print.pdf" ] || [ -e "$tmp/big/labels.pdf" ] &&
	fail "a 2478-letter campaign has a single print.pdf or labels.pdf"
total=0
for v in 1 2 3 4 5; do
	f=$(printf '%s/big/print-%03d.pdf' "$tmp" "$v")
	l=$(printf '%s/big/labels-%03d.pdf' "$tmp" "$v")
	qpdf --check "$f" >/dev/null 2>&1 || fail "qpdf --check $f"
	qpdf --check "$l" >/dev/null 2>&1 || fail "qpdf --check $l"
	p=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}')
	[ $((p % 2)) -eq 0 ] || fail "$f has an odd number of pages ($p)"
	total=$((total + p))
	# 14 labels to an L7163 sheet: 36 sheets for 500 letters, 35 for 478.
	want=$([ "$v" -eq 5 ] && echo 35 || echo 36)
	s=$(pdfinfo "$l" 2>/dev/null | awk '/^Pages:/ {print $2}')
	[ "$s" = "$want" ] || fail "$l has $s sheets, not $want"
done
[ -e "$tmp/big/print-006.pdf" ] || [ -e "$tmp/big/labels-006.pdf" ] &&
	fail "a sixth volume for 2478 letters"
pdfinfo "$tmp/big/print-005.pdf" | grep -q "Title: *Print file 5 of 5: letters 2001-2478" ||
	fail "print-005.pdf title: $(pdfinfo "$tmp/big/print-005.pdf" | grep Title)"
[ "$total" -eq $((2478 * 2)) ] || fail "the volumes have $total pages, not $((2478 * 2))"
# Volume 2's labels start with letter 501's address (row 501 of the list).
name501=$(/usr/bin/python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))[500]; print(r["surname"], r["given_name"])' "$tmp/big.csv")
pdftotext -l 1 "$tmp/big/labels-002.pdf" - 2>/dev/null | grep -m1 -F "$name501" >/dev/null ||
	fail "labels-002.pdf does not start with letter 501 ($name501)"
"$envoi" batch "$letter" "$list" -o "$tmp/big" -q 2>/dev/null || fail "the sample into the same folder"
[ -e "$tmp/big/print.pdf" ] && [ -e "$tmp/big/labels.pdf" ] && [ ! -e "$tmp/big/print-001.pdf" ] &&
	[ ! -e "$tmp/big/labels-001.pdf" ] ||
	fail "the earlier run's volumes are still there: $(ls "$tmp/big")"

# The longest address line the window takes (52 letters of court name
# here) fits the default sheet, L7163, inside its label; the narrowest,
# L7160, would need it below 6 pt, so there the row is rejected naming the
# sheet (labels are never set smaller: issue 14). A list whose every row
# is rejected still gets its manifest, and no print file or label sheet.
/usr/bin/python3 - "$list" "$tmp/one.csv" "$tmp/none.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8')))
court = 'Суд Центрального района города Минска Минской области Республики Беларусь'
for path, n in ((sys.argv[2], 52), (sys.argv[3], 70)):
    r = dict(rows[0], id='900', court=court[:n])
    with open(path, 'w', encoding='utf-8', newline='') as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerow(r)
PY
"$envoi" batch "$letter" "$tmp/one.csv" -o "$tmp/one" -q 2>"$tmp/errone" ||
	fail "a 52-letter court: $(cat "$tmp/errone")"
right=$(awk 'BEGIN {printf "%.2f", (4.65 + 99.1 - 6) * 72 / 25.4}')
pdftotext -bbox "$tmp/one/labels.pdf" - 2>/dev/null | grep -o 'xMax="[0-9.]*"' | tr -dc '0-9.\n' |
	awk -v r="$right" '$1 > r + 0.5 {bad = 1} END {exit bad}' || fail "an L7163 label line runs past its label"
"$envoi" batch "$letter" "$tmp/one.csv" -o "$tmp/one7160" --labels L7160 -q 2>/dev/null
rc=$?
[ "$rc" -eq 1 ] && grep -q ',rejected,the address does not fit a label of Avery L7160 (63.99 × 38.1 mm) even at 6 pt' \
	"$tmp/one7160/manifest.csv" || fail "a 52-letter court on L7160: exit $rc, expected the row rejected"
"$envoi" batch "$letter" "$tmp/none.csv" -o "$tmp/none" -q 2>/dev/null
rc=$?
[ "$rc" -eq 1 ] || fail "every row rejected: exit $rc, expected 1"
grep -q ',rejected,' "$tmp/none/manifest.csv" 2>/dev/null || fail "every row rejected: no manifest row"
[ -e "$tmp/none/print.pdf" ] && fail "every row rejected, yet a print file"
[ -e "$tmp/none/labels.pdf" ] && fail "every row rejected, yet a label sheet (a blank sheet wastes one)"

# The output folder is one run's at a time: a second batch into a folder
# another holds is refused at once, writing nothing; a working folder left
# by a run that was stopped is removed by the next run.
mkdir -p "$tmp/held/.envoi-staging-Stale1/letters"
echo unfinished >"$tmp/held/.envoi-staging-Stale1/letters/0001-x.pdf"
/usr/bin/python3 -c 'import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.flock(fd, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
time.sleep(60)' "$tmp/held" "$tmp/held-ready" &
holder=$!
for _ in $(seq 100); do [ -e "$tmp/held-ready" ] && break; sleep 0.1; done
"$envoi" batch "$letter" "$list" -o "$tmp/held" -q 2>"$tmp/errheld"
rc=$?
[ $rc -eq 2 ] && grep -q "another envoi is writing into this folder" "$tmp/errheld" ||
	fail "a batch into a held folder: exit $rc, $(cat "$tmp/errheld")"
[ -e "$tmp/held/print.pdf" ] && fail "a batch into a held folder wrote print.pdf"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
"$envoi" batch "$letter" "$list" -o "$tmp/held" -q 2>/dev/null || fail "the batch after the holder"
[ -e "$tmp/held/.envoi-staging-Stale1" ] && fail "the stale working folder is still there"
[ -e "$tmp/held/print.pdf" ] || fail "the batch after the holder wrote no print.pdf"

echo "fast e2e: $fails failed"
[ "$fails" -eq 0 ]
