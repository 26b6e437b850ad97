#!/usr/bin/env bash
# lists.sh - recipient lists as campaign staff have them. The 413 sample
# judges saved the ways Excel and friends save them (iconv makes the bytes)
# must give the same letters as the original; a Belarusian list squeezed
# into KOI8-R is refused row by row, never mangled; a messy list is
# repaired and every repair reported; `envoi check` speaks text and JSON
# (read back with Python's json and csv modules) with exit 0/1/2; broken
# input gives errors, never a crash; a header with no rows is refused.
# Usage: lists.sh ENVOI SOURCE_ROOT
. "$(dirname "$0")/lib.sh"
letter=$root/letters/judges-appeal.md
list=$root/recipients/judges.csv

# 1. The original, once: the reference letters.
"$envoi" batch "$letter" "$list" -o "$tmp/ref" -q 2>"$tmp/err" || fail "reference batch: $(cat "$tmp/err")"

same_as_ref() {   # NAME OUTDIR: letters, labels, print file and manifest identical
	diff -r "$tmp/ref/letters" "$2/letters" >/dev/null || fail "$1: letters differ from the original's"
	for f in labels.pdf print.pdf manifest.csv; do
		cmp -s "$tmp/ref/$f" "$2/$f" || fail "$1: $f differs from the original's"
	done
}

# 2. The same list saved five other ways.
printf '\xEF\xBB\xBF' >"$tmp/bom.csv"; cat "$list" >>"$tmp/bom.csv"
iconv -f UTF-8 -t WINDOWS-1251 "$list" >"$tmp/cp1251.csv" || fail "iconv cp1251"
python3 - "$list" "$tmp" <<'PY' || fail "making the tab and semicolon lists"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
out = sys.argv[2]
# Excel "Unicode text": UTF-16LE with a BOM, tab-separated, CRLF
with open(out + "/utf16.txt", "w", encoding="utf-16", newline="") as f:
    csv.writer(f, delimiter="\t", lineterminator="\r\n").writerows(rows)
# Excel in a Russian or German locale: semicolons
with open(out + "/semicolon.csv", "w", encoding="utf-8", newline="") as f:
    csv.writer(f, delimiter=";", lineterminator="\r\n").writerows(rows)
PY
head -c 2 "$tmp/utf16.txt" | od -An -tx1 | grep -q 'ff fe' || fail "utf16.txt has no UTF-16LE BOM"
for name in bom.csv cp1251.csv utf16.txt semicolon.csv; do
	"$envoi" batch "$letter" "$tmp/$name" -o "$tmp/out-$name" 2>"$tmp/err-$name"; rc=$?
	[ $rc -eq 0 ] || fail "$name: exit $rc: $(head -3 "$tmp/err-$name")"
	same_as_ref "$name" "$tmp/out-$name"
done
grep -q "was read as Windows-1251" "$tmp/err-cp1251.csv" || fail "cp1251: the encoding used is not reported: $(cat "$tmp/err-cp1251.csv")"
grep -q "was read as UTF-16LE (byte-order mark)" "$tmp/err-utf16.txt" || fail "utf16: the encoding used is not reported"
"$envoi" check "$tmp/utf16.txt" >"$tmp/check-utf16" || fail "check utf16: exit $?"
grep -q "read as UTF-16LE (byte-order mark), tab-separated" "$tmp/check-utf16" || fail "check does not say UTF-16LE, tab: $(head -3 "$tmp/check-utf16")"

# 3. Belarusian does not fit KOI8-R (no і, ў). What glibc's //TRANSLIT makes
# of it has '?' for і and у for ў: the list is refused as a whole, with the
# reason, and nothing is made (a silent ў -> у would be a wrong name).
iconv -f UTF-8 -t KOI8-R//TRANSLIT "$list" >"$tmp/koi8.csv" 2>/dev/null
grep -q 'Фёдарауна' <(iconv -f KOI8-R -t UTF-8 "$tmp/koi8.csv") || fail "koi8: expected glibc to turn ў into у silently"
"$envoi" batch "$letter" "$tmp/koi8.csv" -o "$tmp/out-koi8" 2>"$tmp/err-koi8"; rc=$?
[ $rc -eq 2 ] || fail "koi8: exit $rc, expected 2 (refused)"
[ -e "$tmp/out-koi8" ] && fail "koi8: something was written"
grep -q "koi8.csv: error: the list was read as KOI8-R, which has no Belarusian і and ў: [0-9]* rows lost letters" "$tmp/err-koi8" \
	|| fail "koi8: no clear reason: $(tail -3 "$tmp/err-koi8")"
grep -q "koi8.csv:[0-9]*:[0-9]*: error: column '[a-z_]*' ('.*?.*'): a '?' stands where a letter was lost" "$tmp/err-koi8" \
	|| fail "koi8: the rows that lost letters are not named"
# Windows-1251 bytes declared as KOI8-R: the first Belarusian letter that
# is a box-drawing sign there stops the read, at its line and column.
"$envoi" check "$tmp/cp1251.csv" --encoding koi8-r >"$tmp/check-k" 2>&1; rc=$?
[ $rc -eq 2 ] || fail "cp1251 as koi8-r: exit $rc, expected 2"
grep -q "cp1251.csv:[0-9]*:[0-9]*: error: byte 0x.. decodes to '.*' in KOI8-R, not a letter" "$tmp/check-k" || fail "cp1251 as koi8-r: $(cat "$tmp/check-k")"

# 4. A messy list: look-alikes, decomposed ё й ў, apostrophe variants, a
# duplicate judge. Clean names in the letters, one letter for the
# duplicate, every repair named by line and column.
python3 - "$list" "$tmp/messy.csv" <<'PY' || fail "making the messy list"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))[:12]
w = csv.DictWriter(open(sys.argv[2], "w", encoding="utf-8", newline=""), fieldnames=list(rows[0].keys()))
w.writeheader()
for r in rows:
    w.writerow(r)
# line 2: Latin a and o inside the first judge's surname
# line 3: ё й ў decomposed; line 4: an apostrophe variant; line 14: row 1 again
def put(i, **kv):
    rows[i].update(kv)
put(0, surname=rows[0]["surname"].replace("а", "a", 1).replace("о", "o", 1))
put(1, surname="Кавале\u0308ва", given_name="Андре\u0438\u0306", patronymic="Пятро\u0443\u0306на")
put(2, given_name="Дар\u02bcя")
dup = dict(rows[0]); dup["id"] = "999"; dup["surname"] = dup["surname"].upper()
w = csv.DictWriter(open(sys.argv[2], "w", encoding="utf-8", newline=""), fieldnames=list(rows[0].keys()))
w.writeheader()
w.writerows(rows + [dup])
PY
"$envoi" check "$tmp/messy.csv" >"$tmp/check-m"; rc=$?
[ $rc -eq 1 ] || fail "check messy: exit $rc, expected 1 (the duplicate)"
grep -q "messy.csv:2:[0-9]*: warning: column 'surname' ('Ганчарэнка'): repaired: look-alike" "$tmp/check-m" || fail "no look-alike repair on line 2: $(cat "$tmp/check-m")"
grep -q "messy.csv:3:[0-9]*: note: column 'surname' ('Кавалёва'): repaired: letters typed as a letter plus an accent" "$tmp/check-m" || fail "no ё repair on line 3"
grep -q "messy.csv:3:[0-9]*: note: column 'patronymic' ('Пятроўна')" "$tmp/check-m" || fail "no ў repair on line 3"
grep -q "messy.csv:4:[0-9]*: note: column 'given_name' ('Дар’я'): repaired: apostrophe" "$tmp/check-m" || fail "no apostrophe repair on line 4"
grep -q "messy.csv:14:[0-9]*: error: column 'surname' ('ГАНЧАРЭНКА'): a duplicate: the same person at the same address as the row on line 2" "$tmp/check-m" || fail "no duplicate on line 14"
grep -q "13 rows: 12 accepted, 1 rejected" "$tmp/check-m" || fail "check messy counts: $(sed -n 4p "$tmp/check-m")"
"$envoi" batch "$letter" "$tmp/messy.csv" -o "$tmp/out-m" 2>"$tmp/err-m"; rc=$?
[ $rc -eq 1 ] || fail "batch messy: exit $rc"
n=$(ls "$tmp/out-m/letters" | wc -l)
[ "$n" -eq 12 ] || fail "messy: $n letters, expected 12"
pdftotext "$tmp/out-m/letters/0001-"*.pdf - | grep -q "Ганчарэнка Вера" || fail "messy: letter 1 lacks the clean name"
pdftotext "$tmp/out-m/letters/0002-"*.pdf - | grep -q "Кавалёва Андрей Пятроўна" || fail "messy: letter 2 lacks the composed name"
grep -q "envoi: 5 rows had values repaired (.*) and 1 was a duplicate;" "$tmp/err-m" \
	|| fail "batch messy: the repairs and the duplicate: $(grep 'repaired' "$tmp/err-m")"
# One row (a look-alike repaired in it), a one-page letter: every count in
# the singular.
sed '2s/а/a/' "$list" | head -2 >"$tmp/one.csv"
printf -- '---\nsender: Test Org\ndate: 2 June 2025\n---\nA short letter.\n' >"$tmp/short.md"
"$envoi" batch "$tmp/short.md" "$tmp/one.csv" -o "$tmp/out-1" 2>"$tmp/err-1" || fail "batch of one: $(cat "$tmp/err-1")"
grep -q "envoi: 1 row had values repaired (.*) and 0 were duplicates;" "$tmp/err-1" \
	|| fail "batch of one: the repairs: $(grep 'repaired' "$tmp/err-1")"
grep -q "envoi: 1 of 1 row made a letter (1 page) in .*(1 sheet of Avery L7163)" "$tmp/err-1" \
	|| fail "batch of one: the summary: $(grep 'made' "$tmp/err-1")"
"$envoi" preview "$tmp/short.md" "$tmp/one.csv" --id 1 -o "$tmp/one.pdf" 2>"$tmp/err-p1" \
	|| fail "preview of one: $(cat "$tmp/err-p1")"
grep -q "envoi: wrote .*one.pdf (1 page) for " "$tmp/err-p1" || fail "preview of one: $(cat "$tmp/err-p1")"

# 5. check --json, read back with Python; the manifest has a row per input row.
"$envoi" check "$tmp/messy.csv" --json >"$tmp/m.json"; rc=$?
[ $rc -eq 1 ] || fail "check --json: exit $rc"
python3 - "$tmp/m.json" "$tmp/out-m/manifest.csv" <<'PY' || fails=$((fails + 1))
import json, csv, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
man = list(csv.DictReader(open(sys.argv[2], encoding="utf-8", newline="")))
bad = []
if (j["rows"], j["accepted"], j["rejected"], j["duplicates"]) != (13, 12, 1, 1):
    bad.append("counts %r" % [j[k] for k in ("rows", "accepted", "rejected", "duplicates")])
if j["encoding"] != "UTF-8" or j["delimiter"] != "," or j["columns"]["surname"] != "surname":
    bad.append("header facts %r" % [j["encoding"], j["delimiter"], j["columns"]])
kinds = {(p["line"], p["severity"], p["column"]) for p in j["problems"]}
for want in [(2, "warning", "surname"), (3, "note", "surname"), (4, "note", "given_name"), (14, "error", "surname")]:
    if want not in kinds:
        bad.append("no problem %r" % (want,))
if any(p["col"] < 1 for p in j["problems"] if p["column"]):
    bad.append("a problem about a cell without its column number")
if [r["status"] for r in j["recipients"]] != [m["status"] for m in man]:
    bad.append("check and batch disagree on the rows")
if len(man) != 13 or man[-1]["status"] != "rejected" or "duplicate" not in man[-1]["reason"]:
    bad.append("manifest: %d rows, last %r" % (len(man), man[-1]["reason"] if man else None))
if bad:
    print("FAIL: json/manifest:", bad)
    sys.exit(1)
PY

# 6. Exit status of check: 0 all usable, 1 some rejected, 2 unusable.
"$envoi" check "$list" >"$tmp/c0"; rc=$?
[ $rc -eq 0 ] || fail "check of the sample: exit $rc: $(head -5 "$tmp/c0")"
grep -q "413 rows: 413 accepted, 0 rejected" "$tmp/c0" || fail "check of the sample: $(sed -n 4p "$tmp/c0")"
printf 'name,town\nЖук,Мінск\n' >"$tmp/nocols.csv"
"$envoi" check "$tmp/nocols.csv" >"$tmp/c2"; rc=$?
[ $rc -eq 2 ] || fail "check without a surname column: exit $rc"
grep -q "no 'surname' column; the columns are: 'name', 'town'" "$tmp/c2" || fail "missing column message: $(cat "$tmp/c2")"
"$envoi" check "$tmp/nocols.csv" --map surname=name --map postcode=town --map city=town >"$tmp/c3"; rc=$?
[ $rc -eq 1 ] || fail "check with --map: exit $rc (the postcode 'Мінск' is wrong): $(cat "$tmp/c3")"
"$envoi" check "$tmp/nocols.csv" --json >"$tmp/c2.json"; rc=$?
[ $rc -eq 2 ] || fail "check --json unusable: exit $rc"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if j["usable"] is False and j["problems"] else 1)' "$tmp/c2.json" || fail "unusable JSON: $(cat "$tmp/c2.json")"

# 7. Broken input: errors, never a crash or a hang (exit status < 3).
head -c 200000 /dev/urandom >"$tmp/random.bin"
head -c 5000 "$list" >"$tmp/truncated.csv"
python3 - "$tmp" <<'PY'
import sys
t = sys.argv[1]
open(t + "/bigfield.csv", "w").write("surname,postcode,city,street\n" + "Ж" * 50000 + ",220030,Мінск,вул. Леніна 5\nЖук,220030,Мінск,вул. Леніна 5\n")
open(t + "/wide.csv", "w").write(",".join("c%d" % i for i in range(10000)) + "\n" + ",".join("x" for i in range(10000)) + "\n")
PY
for f in random.bin truncated.csv bigfield.csv wide.csv; do
	timeout 60 "$envoi" check "$tmp/$f" >"$tmp/out.$f" 2>&1; rc=$?
	[ $rc -le 2 ] || fail "check $f: exit $rc (crash or hang)"
	timeout 120 "$envoi" batch "$letter" "$tmp/$f" -o "$tmp/o-$f" >"$tmp/berr.$f" 2>&1; rc=$?
	[ $rc -le 2 ] || fail "batch $f: exit $rc (crash or hang)"
done
grep -q "random.bin:[0-9]*:[0-9]*: error: " "$tmp/out.random.bin" || fail "random bytes: $(head -3 "$tmp/out.random.bin")"
grep -q "bigfield.csv:2: error: column 'surname': .*65536" "$tmp/out.bigfield.csv" || fail "100 KB field: $(cat "$tmp/out.bigfield.csv")"
grep -q "2 rows: 1 accepted, 1 rejected" "$tmp/out.bigfield.csv" || fail "100 KB field: the other row"
grep -q "wide.csv:1: error: the header row has 10000 columns; the limit is 1024" "$tmp/out.wide.csv" || fail "10,000 columns: $(cat "$tmp/out.wide.csv")"
grep -q "412 rows\|[0-9]* rows: " "$tmp/out.truncated.csv" || fail "truncated: $(head -5 "$tmp/out.truncated.csv")"

# A header and no rows (the wrong sheet saved, the rows cut off): check,
# batch and preview refuse it at the header's line, and nothing is written.
{ printf '\n'; head -1 "$list"; printf '\n\n'; } >"$tmp/header-only.csv"
"$envoi" check "$tmp/header-only.csv" >"$tmp/ho.check" 2>&1; rc=$?
[ $rc -eq 2 ] || fail "check of a header-only list: exit $rc"
"$envoi" batch "$letter" "$tmp/header-only.csv" -o "$tmp/ho" 2>"$tmp/ho.err"; rc=$?
[ $rc -eq 2 ] || fail "batch of a header-only list: exit $rc"
[ -e "$tmp/ho" ] && fail "batch of a header-only list wrote $tmp/ho"
"$envoi" preview "$letter" "$tmp/header-only.csv" --id 1 -o "$tmp/ho.pdf" 2>"$tmp/ho.perr"; rc=$?
[ $rc -eq 2 ] && [ ! -e "$tmp/ho.pdf" ] || fail "preview of a header-only list: exit $rc"
for f in ho.check ho.err ho.perr; do
	grep -q "header-only.csv:2: error: the list has its header on line 2 and no rows under it" "$tmp/$f" ||
		fail "header-only list, $f: $(cat "$tmp/$f")"
done

echo "lists e2e: $fails failed"
[ "$fails" -eq 0 ]
