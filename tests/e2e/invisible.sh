#!/usr/bin/env bash
# invisible.sh - characters that print as nothing. Unicode format and
# bidirectional controls (category Cf: U+200E, U+202E, U+2066, U+FEFF ...)
# and the other default-ignorable characters in a name, a street and a
# postcode: `check` warns at the line and column of each, naming the code
# point; `batch` makes every letter; no manifest cell, JSON value, PDF text
# or file name holds one (read back with Python's csv and json modules and
# pdftotext). A character no font has is rejected by `check LETTER LIST`
# exactly as the batch rejects it. A letter saved with a byte-order mark
# is read; an invisible character inside a letter or the signatories file
# is an error at its line and column. Usage: invisible.sh ENVOI SOURCE_ROOT
. "$(dirname "$0")/lib.sh"
py=/usr/bin/python3
letter=$root/letters/judges-appeal.md
list=$root/recipients/judges.csv

# 1. The list: row i of the sample with control i inside its surname, at
# the start of its street and inside its postcode; three clean rows after.
# expect.tsv: line, column and code point of every control, as a reader
# counts them (characters from 1 on the record's line). The commands run in
# $tmp so that messages name the files as given.
$py - "$list" "$tmp" <<'PY' || fail "making the list"
import csv, io, sys
src = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
hdr, rows = src[0], src[1:]
controls = [0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066,
            0x2067, 0x2068, 0x2069, 0x061C, 0xFEFF, 0x00AD, 0x200B, 0x200C,
            0x200D, 0x2060, 0x180E, 0xFFF9, 0x034F, 0x115F, 0x3164, 0xE0001]
S, ST, PC = hdr.index("surname"), hdr.index("street"), hdr.index("postcode")
out, expect = [hdr], []
for i, cp in enumerate(controls):
    r, ch = list(rows[i]), chr(cp)
    r[S] = r[S][:2] + ch + r[S][2:]
    r[ST] = ch + r[ST]
    r[PC] = r[PC][:3] + ch + r[PC][3:]
    out.append(r)
    # Where the control stands on the line as written (quotes and all).
    buf = io.StringIO()
    csv.writer(buf).writerow(r)
    cols = [i + 1 for i, c in enumerate(buf.getvalue()) if c == ch]
    for f, c in zip((S, ST, PC), cols):
        expect.append("%d\t%d\t%s\tU+%04X" % (i + 2, c, hdr[f], cp))
out += rows[len(controls):len(controls) + 3]
csv.writer(open(sys.argv[2] + "/bidi.csv", "w", encoding="utf-8", newline="")).writerows(out)
open(sys.argv[2] + "/expect.tsv", "w").write("\n".join(expect) + "\n")
PY
rows=$(($(wc -l <"$tmp/bidi.csv") - 1))
envoi=$(realpath "$envoi")
cd "$tmp" || exit 1

# 2. check: one warning per control, where it is, naming it.
"$envoi" check "$letter" bidi.csv >"$tmp/check.txt" 2>&1; rc=$?
[ $rc -eq 0 ] || fail "check: exit $rc, expected 0 (every control is repaired)"
grep -q "$rows rows: $rows accepted, 0 rejected" "$tmp/check.txt" || fail "check: not every row accepted: $(grep rows: "$tmp/check.txt")"
while IFS=$'\t' read -r line col column cp; do
	grep -q "^bidi.csv:$line:$col: warning: column '$column' ('.*'): repaired: invisible character $cp .*removed" "$tmp/check.txt" \
		|| fail "check: no warning for $cp at $line:$col in $column: $(grep "^bidi.csv:$line:" "$tmp/check.txt")"
done <"$tmp/expect.tsv"
grep -q 'U+202E RIGHT-TO-LEFT OVERRIDE removed' "$tmp/check.txt" || fail "check: U+202E is not named"

# 3. batch: every letter made; nothing invisible anywhere it wrote.
"$envoi" check bidi.csv --json >"$tmp/check.json" || fail "check --json: exit $?"
"$envoi" batch "$letter" "$tmp/bidi.csv" -o "$tmp/out" 2>"$tmp/batch.err"; rc=$?
[ $rc -eq 0 ] || fail "batch: exit $rc: $(grep -v warning "$tmp/batch.err" | head -3)"
grep -q "$rows of $rows rows made letters" "$tmp/batch.err" || fail "batch: $(tail -1 "$tmp/batch.err")"
[ "$(ls "$tmp/out/letters" | wc -l)" -eq "$rows" ] || fail "batch: $(ls "$tmp/out/letters" | wc -l) letters for $rows rows"
for f in "$tmp/out/letters/"*.pdf "$tmp/out/print.pdf" "$tmp/out/labels.pdf"; do
	pdftotext -enc UTF-8 "$f" - >>"$tmp/text.txt" 2>>"$tmp/pdftotext.err" || fail "pdftotext $(basename "$f")"
done
[ -s "$tmp/pdftotext.err" ] && fail "pdftotext complained: $(head -3 "$tmp/pdftotext.err")"
ls "$tmp/out/letters" >"$tmp/names.txt"
$py - "$tmp" "$rows" <<'PY' || fail "an invisible character reached the output"
import csv, json, sys, unicodedata
tmp, rows = sys.argv[1], int(sys.argv[2])
def invisible(s):
    return [("U+%04X" % ord(c)) for c in s
            if unicodedata.category(c) == "Cf" or ord(c) in (0x034F, 0x180E, 0x3164, 0x115F)]
bad = 0
def check(where, s):
    global bad
    found = invisible(s)
    if found:
        print("%s: %s in %r" % (where, " ".join(found), s[:80]))
        bad += 1
man = list(csv.DictReader(open(tmp + "/out/manifest.csv", encoding="utf-8", newline="")))
if len(man) != rows or any(r["status"] != "ok" for r in man):
    print("manifest: %d rows, not all ok" % len(man)); bad += 1
for r in man:
    for k, v in r.items():
        check("manifest line %s %s" % (r["line"], k), v)
def walk(where, v):
    if isinstance(v, dict):
        for k, x in v.items(): walk(where + "." + k, x)
    elif isinstance(v, list):
        for i, x in enumerate(v): walk("%s[%d]" % (where, i), x)
    elif isinstance(v, str):
        check(where, v)
d = json.load(open(tmp + "/check.json", encoding="utf-8"))
walk("check --json", d)
if len(d["recipients"]) != rows:
    print("check --json: %d recipients" % len(d["recipients"])); bad += 1
check("pdftotext", open(tmp + "/text.txt", encoding="utf-8").read())
names = open(tmp + "/names.txt", encoding="utf-8").read()
check("file names", names)
if not names.isascii():
    print("file names not ASCII"); bad += 1
sys.exit(1 if bad else 0)
PY
grep -q 'Сідаровіч' "$tmp/text.txt" || fail "the surname that held U+202E is not in the letters as Сідаровіч"

# 4. A character no font has: plain `check` cannot know (it does not lay
# letters out); `check LETTER LIST` rejects the row as the batch does.
$py - "$list" "$tmp/han.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))[:4]
rows[1][0] = "漢1"   # the id, which the letter prints in its reference
csv.writer(open(sys.argv[2], "w", encoding="utf-8", newline="")).writerows(rows)
PY
"$envoi" check "$tmp/han.csv" >/dev/null; rc=$?
[ $rc -eq 0 ] || fail "check without a letter: exit $rc, expected 0"
"$envoi" check "$letter" han.csv >"$tmp/han.check"; rc=$?
[ $rc -eq 1 ] || fail "check with the letter: exit $rc, expected 1 (a row rejected)"
why="the character U+6F22 '漢' in the reference is in none of the fonts"
grep -qF "han.csv:2: error: column 'id' ('漢1'): $why" "$tmp/han.check" || fail "check with the letter: $(cat "$tmp/han.check")"
"$envoi" batch "$letter" "$tmp/han.csv" -o "$tmp/han" -q 2>/dev/null; rc=$?
[ $rc -eq 1 ] || fail "batch with 漢: exit $rc, expected 1"
$py - "$tmp/han/manifest.csv" "$why" <<'PY' || fail "batch with 漢: manifest differs from check's verdict"
import csv, sys
m = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
assert [r["status"] for r in m] == ["rejected", "ok", "ok"], [r["status"] for r in m]
assert m[0]["reason"].startswith(sys.argv[2]), m[0]["reason"]
PY
[ "$(ls "$tmp/han/letters" | wc -l)" -eq 2 ] || fail "batch with 漢: not two letters"

# 5. Letters: a byte-order mark (Notepad) is read, and the letters are the
# same as without it; an invisible character inside the letter or the
# signatories is an error at its line and column, and nothing is written.
mkdir -p "$tmp/c/letters" "$tmp/c/recipients"
cp "$root/recipients/signatories.csv" "$tmp/c/recipients/"
head -3 "$list" >"$tmp/three.csv"
{ printf '\xEF\xBB\xBF'; cat "$letter"; } >"$tmp/c/letters/bom.md"
"$envoi" batch "$tmp/c/letters/bom.md" "$tmp/three.csv" -o "$tmp/bom" -q 2>"$tmp/bom.err" || fail "letter with a BOM: $(cat "$tmp/bom.err")"
"$envoi" batch "$letter" "$tmp/three.csv" -o "$tmp/nobom" -q 2>/dev/null || fail "three rows: exit $?"
diff -r "$tmp/bom" "$tmp/nobom" >/dev/null || fail "a letter with a BOM gave other files"
n=$(grep -n '^Dear\|^Уважаем\|^Паважан' "$letter" | head -1 | cut -d: -f1)
[ -n "$n" ] || n=$(($(wc -l <"$letter") - 2))
sed "${n}s/^\(...\)/\1$(printf '\xe2\x80\xae')/" "$letter" >"$tmp/c/letters/rlo.md"
"$envoi" batch "$tmp/c/letters/rlo.md" "$tmp/three.csv" -o "$tmp/rlo" 2>"$tmp/rlo.err"; rc=$?
[ $rc -eq 2 ] || fail "letter with U+202E: exit $rc, expected 2"
[ -e "$tmp/rlo" ] && fail "letter with U+202E: something was written"
grep -q "rlo.md:$n:4: error: the invisible character U+202E (RIGHT-TO-LEFT OVERRIDE) is in the letter" "$tmp/rlo.err" \
	|| fail "letter with U+202E: $(head -3 "$tmp/rlo.err")"
grep -q '^ *\^$' "$tmp/rlo.err" || fail "letter with U+202E: no caret under it"
sed "2s/^\(.\)/\1$(printf '\xe2\x80\x8b')/" "$root/recipients/signatories.csv" >"$tmp/c/recipients/signatories.csv"
"$envoi" batch "$tmp/c/letters/bom.md" "$tmp/three.csv" -o "$tmp/zw" 2>"$tmp/zw.err"; rc=$?
[ $rc -eq 2 ] || fail "signatories with U+200B: exit $rc, expected 2"
grep -q "signatories.csv:2:2: error: .*U+200B" "$tmp/zw.err" || fail "signatories with U+200B: $(head -3 "$tmp/zw.err")"

[ $fails -eq 0 ] && echo "invisible.sh: ok"
exit $((fails > 0))
