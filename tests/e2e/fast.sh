#!/usr/bin/env bash
# fast.sh - the PDF writer's promises on the whole sample campaign: the same
# files whatever the number of threads, letters of at most 25 KB on
# average, and every letter read back by Ghostscript (txtwrite), which
# alone caught some font defects poppler and qpdf miss (fast-pdf.md §5).
# batch.sh checks every letter with qpdf, pdftotext and pdffonts.
# Usage: fast.sh ENVOI SOURCE_ROOT
set -u
export LC_ALL=C.UTF-8
envoi=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
letter=$root/letters/judges-appeal.md
list=$root/recipients/judges.csv

for t in 1 2 3; do
	"$envoi" batch "$letter" "$list" -o "$tmp/t$t" -q --threads "$t" 2>"$tmp/err$t" ||
		fail "--threads $t: exit $?: $(head -3 "$tmp/err$t")"
done
"$envoi" batch "$letter" "$list" -o "$tmp/td" -q 2>"$tmp/errd" || fail "default threads: $(head -3 "$tmp/errd")"
for t in 2 3 d; do
	diff -r "$tmp/t1" "$tmp/t$t" >"$tmp/diff" || fail "--threads 1 and ${t/d/(default)} differ: $(head -3 "$tmp/diff")"
done
"$envoi" preview "$letter" "$list" --id 230 -o "$tmp/p.pdf" -q --threads 2 2>"$tmp/errp" || fail "preview: $(cat "$tmp/errp")"
cmp -s "$tmp/p.pdf" "$tmp/t1/letters/0230-"*.pdf || fail "preview on 2 threads is not the batch's letter 230"

n=$(ls "$tmp/t1/letters" | wc -l)
bytes=$(cat "$tmp"/t1/letters/*.pdf | wc -c)
[ "$n" -eq 413 ] || fail "$n letters, not 413"
avg=$((bytes / (n ? n : 1)))
echo "letters: $n, $avg bytes on average"
[ "$avg" -le 25600 ] || fail "letters average $avg bytes, over 25 KB"

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

echo "fast e2e: $fails failed"
[ "$fails" -eq 0 ]
