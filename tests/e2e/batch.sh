#!/usr/bin/env bash
# batch.sh - the whole path on the bundled sample, read back with tools we
# did not write: poppler (pdftotext, pdffonts, pdfinfo), qpdf, and Python's
# csv module for the manifest. Usage: batch.sh ENVOI SOURCE_ROOT
. "$(dirname "$0")/lib.sh"
letter=$root/letters/judges-appeal.md
list=$root/recipients/judges.csv

# 1. The batch: every row a letter, exit 0, the summary on stderr.
"$envoi" batch "$letter" "$list" -o "$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] || fail "batch exit $rc: $(cat "$tmp/err")"
n=$(ls "$tmp/out/letters" | grep -c '\.pdf$')
[ "$n" -eq 413 ] || fail "expected 413 letters, got $n"
ls "$tmp/out/letters" | grep -qv '^[0-9]\{4\}-[a-z0-9-]*\.pdf$' && fail "a file name is not NNNN-ascii-slug.pdf"
pages=$(pdfinfo "$tmp/out/labels.pdf" | awk '/^Pages:/ {print $2}')
[ "$pages" = 30 ] || fail "labels.pdf has $pages sheets, expected 30"
ls -a "$tmp/out" | grep -q envoi-staging && fail "the staging folder was left behind"

# The salutations the campaign's scheme gives (latin: by-passport / icao-ru),
# computed apart from the batch by `envoi translit`, one surname per line.
python3 - "$list" "$tmp" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
for lang in ("be", "ru"):
    with open("%s/surnames.%s" % (sys.argv[2], lang), "w", encoding="utf-8") as f:
        f.writelines(r["surname"] + "\n" for r in rows if r["lang"] == lang)
PY
"$envoi" translit --scheme by-passport --lang be <"$tmp/surnames.be" >"$tmp/latin.be" || fail "translit be"
"$envoi" translit --scheme icao-ru --lang ru <"$tmp/surnames.ru" >"$tmp/latin.ru" || fail "translit ru"

# 2. Every letter, read back: the Cyrillic surname, the postcode and the
# Latin salutation by the campaign's scheme; no poppler warning; qpdf clean;
# fonts embedded, subset, with Unicode maps; A4. The manifest carries both
# scripts: name and address in Cyrillic and in Latin letters.
python3 - "$list" "$tmp/out" "$tmp" <<'PY' || fails=$((fails + 1))
import csv, subprocess, sys, os, re
lst, out, tmp = sys.argv[1], sys.argv[2], sys.argv[3]
latin_of = {l: iter(open("%s/latin.%s" % (tmp, l), encoding="utf-8").read().splitlines()) for l in ("be", "ru")}
cyrillic = re.compile("[\u0400-\u04ff]")
rows = list(csv.DictReader(open(lst, encoding="utf-8", newline="")))
man = list(csv.DictReader(open(os.path.join(out, "manifest.csv"), encoding="utf-8", newline="")))
bad = []
if len(man) != len(rows):
    bad.append("manifest has %d rows, list has %d" % (len(man), len(rows)))
for row, m in zip(rows, man):
    if m["id"] != row["id"] or m["status"] != "ok":
        bad.append("row %s: manifest id %s status %s" % (row["id"], m["id"], m["status"])); continue
    pdf = os.path.join(out, m["file"])
    p = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True)
    text = p.stdout
    if p.returncode or p.stderr:
        bad.append("%s: pdftotext said %r" % (pdf, p.stderr[:200]))
    if row["surname"] not in text: bad.append("%s: no surname %s" % (pdf, row["surname"]))
    if row["postcode"] not in text: bad.append("%s: no postcode" % pdf)
    latin = next(latin_of[row["lang"]])
    if not re.fullmatch(r"[A-Za-z'-]+", latin): bad.append("%s: Latin surname %r" % (pdf, latin))
    if ("Dear Judge %s," % latin) not in text: bad.append("%s: no salutation for %s" % (pdf, latin))
    if not m["name_latin"].startswith(latin): bad.append("%s: manifest name_latin %r" % (pdf, m["name_latin"]))
    lat = [m["address_latin_%d" % i] for i in range(1, 8)]
    cyr = [m["address_%d" % i] for i in range(1, 8)]
    if [bool(x) for x in lat] != [bool(x) for x in cyr] or any(cyrillic.search(x) for x in lat):
        bad.append("%s: Latin address %r for %r" % (pdf, lat, cyr))
    if "\ufffd" in text: bad.append("%s: replacement character in text" % pdf)
    q = subprocess.run(["qpdf", "--check", pdf], capture_output=True, text=True)
    if q.returncode or "No syntax or stream encoding errors" not in q.stdout:
        bad.append("%s: qpdf: %s" % (pdf, q.stdout[-200:] + q.stderr[-200:]))
    f = subprocess.run(["pdffonts", pdf], capture_output=True, text=True).stdout.splitlines()[2:]
    if not f or any(l.split()[-5:-2] != ["yes", "yes", "yes"] for l in f):
        bad.append("%s: fonts not embedded/subset/unicode: %s" % (pdf, f))
    if int(row["id"]) % 50 == 1:
        i = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
        if "(A4)" not in i: bad.append("%s: not A4" % pdf)
# Known Latin forms (Belarusian passport style for be rows, ICAO for ru).
known = {"1": "Hancharenka", "2": "Martyniuk"}
for m in man:
    if m["id"] in known and not m["name_latin"].startswith(known[m["id"]]):
        bad.append("id %s: Latin name %r" % (m["id"], m["name_latin"]))
for b in bad[:20]: print("FAIL:", b)
sys.exit(1 if bad else 0)
PY
for f in print.pdf labels.pdf; do
	qpdf --check "$tmp/out/$f" >/dev/null 2>&1 || fail "qpdf --check $f"
	pdftotext "$tmp/out/$f" /dev/null 2>"$tmp/w"; [ -s "$tmp/w" ] && fail "pdftotext $f warns: $(head -2 "$tmp/w")"
done
p=$(pdfinfo "$tmp/out/print.pdf" | awk '/^Pages:/ {print $2}')
[ $((p % 2)) -eq 0 ] || fail "print.pdf has an odd number of pages ($p)"
pdftotext "$tmp/out/labels.pdf" - | grep -q 'Ганчарэнка Вера Іванаўна' || fail "labels.pdf lacks the first address"

# 3. Deterministic: a second run gives byte-identical files.
"$envoi" batch "$letter" "$list" -o "$tmp/again" -q 2>/dev/null
diff -r "$tmp/out" "$tmp/again" >/dev/null || fail "a second run differs"

# 4. A broken row (stray quote) and an empty postcode: those two rows are
# rejected with file:line messages and reasons; all other letters are made.
python3 - "$list" "$tmp/broken.csv" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
lines[5] = lines[5].replace(",", ',"x"y,', 1)    # file line 6: bad quoting
f = lines[10].split(","); f[10] = ""; lines[10] = ",".join(f)   # line 11: no postcode
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(lines))
PY
"$envoi" batch "$letter" "$tmp/broken.csv" -o "$tmp/broken" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] || fail "broken list: exit $rc, expected 1"
grep -q "^envoi: $tmp/broken.csv:6: error: " "$tmp/err" || fail "no error for line 6: $(cat "$tmp/err")"
grep -q "^envoi: $tmp/broken.csv:11:[0-9]*: error: column 'postcode': " "$tmp/err" || fail "no error for line 11: $(cat "$tmp/err")"
n=$(ls "$tmp/broken/letters" | wc -l)
[ "$n" -eq 411 ] || fail "broken list: $n letters, expected 411"
python3 - "$tmp/broken/manifest.csv" <<'PY' || fails=$((fails + 1))
import csv, sys
m = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
rej = [r for r in m if r["status"] == "rejected"]
ok = len(m) == 413 and [r["line"] for r in rej] == ["6", "11"] and all(r["reason"] for r in rej)
ok = ok and all(r["file"] == "" for r in rej)
if not ok: print("FAIL: manifest of the broken list:", len(m), [(r["line"], r["reason"]) for r in rej])
sys.exit(0 if ok else 1)
PY

# 5. A missing file: a clear message, exit 2, nothing written.
"$envoi" batch "$letter" "$tmp/nonexistent.csv" -o "$tmp/none" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] || fail "missing list: exit $rc"
grep -q "nonexistent.csv: error: cannot open: No such file or directory" "$tmp/err" || fail "missing list message: $(cat "$tmp/err")"
[ -e "$tmp/none" ] && fail "missing list: output folder was created"

# 6. A misspelt merge field: file:line:col, did-you-mean, nothing written.
sed 's/{{surname | latin}}/{{surnme | latin}}/' "$letter" > "$tmp/typo.md"
cp "$(dirname "$letter")/../recipients/signatories.csv" "$tmp/" 2>/dev/null
sed -i 's#^signatories: .*#signatories: signatories.csv#' "$tmp/typo.md"
"$envoi" batch "$tmp/typo.md" "$list" -o "$tmp/typo" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] || fail "typo: exit $rc"
grep -q "typo.md:[0-9]*:[0-9]*: error: unknown merge field '{{surnme}}'; did you mean 'surname'" "$tmp/err" || fail "typo message: $(cat "$tmp/err")"
grep -q '^ *\^$' "$tmp/err" || fail "typo message has no caret"

# 7. Preview of one recipient.
"$envoi" preview "$letter" "$list" --id 17 -o "$tmp/p17.pdf" 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] || fail "preview exit $rc: $(cat "$tmp/err")"
s17=$(awk -F, '$1 == 17 {print $2}' "$list")
pdftotext "$tmp/p17.pdf" - | grep -q "$s17" || fail "preview lacks $s17"
cmp -s "$tmp/p17.pdf" "$tmp/out/letters/$(ls "$tmp/out/letters" | grep '^0017-')" || fail "preview differs from the batch letter"
"$envoi" preview "$letter" "$list" --id 99999 -o "$tmp/none.pdf" 2>/dev/null
[ $? -eq 2 ] && [ ! -e "$tmp/none.pdf" ] || fail "preview of an unknown id"

echo "batch e2e: $fails failed"
exit $((fails > 0))
