#!/usr/bin/env bash
# postage.sh - what each piece weighs and costs, end to end: the sample
# batch posted from Germany, Switzerland and the UK, standard and
# registered, read back with Python's csv, json and hashlib; every price
# recomputed from the tariff files by a reader written here, not envoi's;
# a band change by weight, a piece no band takes, a broken tariff line, a
# posting date outside the tariff, and a comma-decimal locale.
# Usage: postage.sh ENVOI SOURCE_ROOT
. "$(dirname "$0")/lib.sh"

letter=$root/letters/judges-appeal.md
list=$root/recipients/judges.csv
tariffs=$root/src/data/tariffs

run() {   # NAME ARGS...: a batch of the sample into $tmp/NAME
	local name=$1
	shift
	"$envoi" batch "$letter" "$list" -o "$tmp/$name" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	echo $? >"$tmp/$name.rc"
}

# The manifest, postage.json and the letter files against the tariff.
# NAME COUNTRY SERVICE SHEETS PAGES BAND PRICE CURRENCY GSM ENVELOPE_G [DUPLEX]
verify() {
	python3 - "$tmp/$1" "$tariffs" "$@" <<'PY' || fail "$1: the manifest and postage.json"
import csv, glob, hashlib, json, os, sys
from decimal import Decimal
out, tdir, name, country, service, sheets, pages, band, price, cur, gsm, env = sys.argv[1:13]
bad = []
# The tariff, read here: the file whose country line names the country.
bands = []
for path in sorted(glob.glob(os.path.join(tdir, "*.tsv"))):
    rows = [l.rstrip("\n").split("\t") for l in open(path, encoding="utf-8") if not l.startswith("#") and l.strip()]
    if not any(r[0] == "country" and r[1] == country for r in rows):
        continue
    head = next(i for i, r in enumerate(rows) if r[0] == "band")
    for r in rows[head + 1:]:
        bands.append(dict(zip(rows[head], r)))
date = "2025-06-02"
def band_for(weight, long_mm, short_mm):
    for b in bands:
        if b["service"] == service and b["valid_from"] <= date <= b["valid_to"] \
           and weight <= Decimal(b["max_g"]) and long_mm <= int(b["max_long_mm"]) \
           and short_mm <= int(b["max_short_mm"]):
            return b
    return None
# One sheet of A4 at gsm g/m2 plus the envelope, to the hundredth of a gram.
weight = (Decimal(int(sheets)) * Decimal(gsm) * Decimal("0.210") * Decimal("0.297") + Decimal(env)).quantize(Decimal("0.01"))
want = band_for(weight, 220, 110)
if want is None or want["band"] != band or Decimal(want["price"]) / 100 != Decimal(price):
    bad.append("the tariff file gives %r for %s g, the test expects %s at %s" % (want and (want["band"], want["price"]), weight, band, price))
man = list(csv.DictReader(open(os.path.join(out, "manifest.csv"), encoding="utf-8", newline="")))
if len(man) != 413:
    bad.append("%d manifest rows" % len(man))
total = Decimal(0)
wsum = Decimal(0)
for m in man:
    if m["status"] != "ok":
        bad.append("row %s: %s %s" % (m["seq"], m["status"], m["reason"])); continue
    got = (m["sheets"], m["pages"], m["weight_g"], m["band"], m["service"], m["postage"], m["currency"], m["tracking"])
    exp = (sheets, pages, str(weight), band, service, price, cur, "")
    if got != exp:
        bad.append("row %s: %r, expected %r" % (m["seq"], got, exp))
    data = open(os.path.join(out, m["file"]), "rb").read()
    if hashlib.sha256(data).hexdigest() != m["sha256"]:
        bad.append("row %s: sha256 is not the file's" % m["seq"])
    total += Decimal(m["postage"])
    wsum += Decimal(m["weight_g"])
j = json.load(open(os.path.join(out, "postage.json"), encoding="utf-8"))
t = j["total"]
if (t["pieces"], Decimal(t["postage"]), t["postage_minor"], Decimal(t["weight_g"])) != (413, total, int(total * 100), wsum):
    bad.append("postage.json total %r, the manifest sums to %s and %s g" % (t, total, wsum))
if total != 413 * Decimal(price):
    bad.append("total %s, expected 413 x %s" % (total, price))
if [(b["band"], b["service"], b["pieces"], b["postage"]) for b in j["bands"]] != [(band, service, 413, str(total))]:
    bad.append("postage.json bands %r" % j["bands"])
if (j["posting_country"], j["posting_date"], j["service"], j["currency"]) != (country, date, service, cur):
    bad.append("postage.json posting %r" % [j[k] for k in ("posting_country", "posting_date", "service", "currency")])
if bad:
    print("\n".join(bad[:10]))
    sys.exit(1)
PY
}

# 1. From Germany (the sender's country), standard: one sheet (two pages,
# duplex) of 80 g/m² A4 and a DL envelope, Standardbrief, 1.25 EUR.
run de
[ "$(cat "$tmp/de.rc")" = 0 ] || fail "de: exit $(cat "$tmp/de.rc"): $(tail -3 "$tmp/de.err")"
verify de DE standard 1 2 Standardbrief 1.25 EUR 80 5
grep -q '^envoi:   413 × Standardbrief (standard) at 1.25 = 516.25 EUR$' "$tmp/de.err" \
	|| fail "de: the summary's totals: $(grep postage "$tmp/de.err")"
grep -q '"postage": "516.25"' "$tmp/de/postage.json" || fail "de: postage.json total is not 516.25"
[ -e "$tmp/de/click-and-drop.csv" ] && fail "de: a Click & Drop file for a German posting"

# The posting list, read with pdftotext -layout: 413 numbered lines in
# order, their postage adding up to the printed total; German wording.
plist() {   # NAME TOTAL CURRENCY WORD
	pdftotext -layout "$tmp/$1/posting-list.pdf" "$tmp/$1.plist.txt" 2>/dev/null || { fail "$1: posting-list.pdf unreadable"; return; }
	qpdf --check "$tmp/$1/posting-list.pdf" >/dev/null 2>&1 || fail "$1: qpdf --check posting-list.pdf"
	python3 - "$tmp/$1.plist.txt" "$2" "$3" "$4" <<'PY' || fail "$1: posting-list.pdf"
import re, sys
from decimal import Decimal
text, total, cur, word = open(sys.argv[1], encoding="utf-8").read(), Decimal(sys.argv[2]), sys.argv[3], sys.argv[4]
nums, money = [], Decimal(0)
for line in text.splitlines():
    m = re.match(r"^\s*(\d+)\s+\S+\s+.*?\s(\d+\.\d\d)\s+(\d+\.\d\d)\s*$", line)
    if m and not re.search(r"(Summe|Übertrag|Gesamt|total|Total|Carried)", line):
        nums.append(int(m.group(1)))
        money += Decimal(m.group(3))
bad = []
if nums != list(range(1, 414)):
    bad.append("numbered lines: %d, first %r" % (len(nums), nums[:5]))
if money != total:
    bad.append("the lines add up to %s, expected %s" % (money, total))
m = re.search(r"(\d+) (?:Sendungen|pieces), ([\d.]+) g, (?:Porto|postage) ([\d.]+) (\w+)", text)
if not m or (int(m.group(1)), Decimal(m.group(3)), m.group(4)) != (413, total, cur):
    bad.append("the printed total: %r" % (m and m.groups()))
if word not in text:
    bad.append("no %r" % word)
if bad:
    print("\n".join(bad)); sys.exit(1)
PY
}
plist de 516.25 EUR Einlieferungsliste

# 2. Registered: 4.95 EUR a piece.
run de-r --service registered
verify de-r DE registered 1 2 Standardbrief 4.95 EUR 80 5
grep -q '"postage": "2044.35"' "$tmp/de-r/postage.json" || fail "registered: total is not 2044.35"
plist de-r 2044.35 EUR Einschreiben

# 3. From Switzerland: 1.90 CHF.
run ch --posting CH
verify ch CH standard 1 2 "Standard letter 20 g" 1.90 CHF 80 5

# 4. From the UK: 3.20 GBP, and Click & Drop's import file: 413 rows, ASCII
# only, every required field, weight in kg, order references unique.
run gb --posting GB
verify gb GB standard 1 2 Letter 3.20 GBP 80 5
plist gb 1321.60 GBP "Posting list"
python3 - "$tmp/gb" <<'PY' || fail "gb: click-and-drop.csv"
import csv, os, sys
out = sys.argv[1]
raw = open(os.path.join(out, "click-and-drop.csv"), "rb").read()
bad = []
if any(b > 127 for b in raw):
    bad.append("a byte outside ASCII: %r" % raw[[b > 127 for b in raw].index(True) - 20:][:40])
rows = list(csv.DictReader(open(os.path.join(out, "click-and-drop.csv"), encoding="ascii", newline="")))
man = list(csv.DictReader(open(os.path.join(out, "manifest.csv"), encoding="utf-8", newline="")))
if len(rows) != 413:
    bad.append("%d rows" % len(rows))
for r, m in zip(rows, man):
    for k in ("First Name", "Last Name", "Address line 1", "City", "Postcode"):
        if not r[k]:
            bad.append("%s: %s is empty" % (r["Order reference"], k))
    if r["Order reference"] != "%s-%s" % (m["seq"], m["id"]) or len(r["Order reference"]) > 40:
        bad.append("order reference %r for seq %s id %s" % (r["Order reference"], m["seq"], m["id"]))
    if (r["Weight"], r["Package Size"], r["Shipping Cost"], r["Currency Code"], r["Date"]) != ("0.010", "letter", "3.20", "GBP", "02/06/25"):
        bad.append("%s: %r" % (r["Order reference"], [r[k] for k in ("Weight", "Package Size", "Shipping Cost", "Currency Code", "Date")]))
    if r["Postcode"] != m["postcode"]:
        bad.append("%s: postcode %r, manifest %r" % (r["Order reference"], r["Postcode"], m["postcode"]))
    if len(r["Full name"]) > 200 or any(len(r[k]) > 100 for k in ("First Name", "Last Name", "Company Name", "Address line 1", "City")):
        bad.append("%s: a field longer than Click & Drop takes" % r["Order reference"])
if len({r["Order reference"] for r in rows}) != len(rows):
    bad.append("order references repeat")
if bad:
    print("\n".join(bad[:10])); sys.exit(1)
PY
# Registered from the UK: no price for it in the tariff, said before anything.
run gb-r --posting GB --service registered
[ "$(cat "$tmp/gb-r.rc")" = 2 ] || fail "gb registered: exit $(cat "$tmp/gb-r.rc"), expected 2"
grep -q 'royal-mail.tsv: error: Royal Mail has no price for registered letters' "$tmp/gb-r.err" \
	|| fail "gb registered: $(head -2 "$tmp/gb-r.err")"
[ -e "$tmp/gb-r" ] && fail "gb registered: something was written"

# 5. The band follows the weight: 160 g/m² paper printed on one side makes
# two sheets, 24.96 g: Kompaktbrief, 1.80 EUR.
# (Letters of our own beside a copy of the signatories, which the letter
# names by a path relative to itself.)
mkdir -p "$tmp/c/letters" "$tmp/c/recipients"
cp "$root/recipients/signatories.csv" "$tmp/c/recipients/"
sed 's/^latin: /paper: A4, 160 g\/m²\nduplex: no\nlatin: /' "$letter" >"$tmp/c/letters/heavy.md"
"$envoi" batch "$tmp/c/letters/heavy.md" "$list" -o "$tmp/heavy" -q 2>"$tmp/heavy.err" \
	|| fail "heavy paper: exit $?: $(head -3 "$tmp/heavy.err")"
verify heavy DE standard 2 2 Kompaktbrief 1.80 EUR 160 5
# Simplex: no blank back pages in the print file (826 pages, not 826 + pads).
pages=$(pdfinfo "$tmp/heavy/print.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
[ "$pages" = 826 ] || fail "heavy paper, simplex: print.pdf has $pages pages"

# 6. A piece no band takes is rejected with the reason, never priced: a C4
# envelope is larger than Royal Mail's letter.
run c4 --posting GB --envelope C4
[ "$(cat "$tmp/c4.rc")" = 1 ] || fail "c4: exit $(cat "$tmp/c4.rc"), expected 1"
python3 - "$tmp/c4/manifest.csv" <<'PY' || fail "c4: the manifest's rejections"
import csv, sys
man = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
bad = [m for m in man if m["status"] != "rejected" or "C4 envelope (324 × 229 mm) is larger than every standard band of Royal Mail" not in m["reason"]
       or any(m[k] for k in ("sheets", "weight_g", "band", "service", "postage", "currency", "sha256", "file"))]
if len(man) != 413 or bad:
    print(len(man), bad[:2]); sys.exit(1)
PY
[ -e "$tmp/c4/print.pdf" ] && fail "c4: a print file although no piece can be posted"

# 7. A broken tariff line is an error at FILE:LINE naming the column, and
# nothing is written.
mkdir -p "$tmp/tariffs"
cp "$tariffs"/*.tsv "$tmp/tariffs/"
n=$(grep -n '^Standardbrief	standard' "$tmp/tariffs/deutsche-post.tsv" | cut -d: -f1)
sed -i "${n}s/	125	EUR/	1,25	EUR/" "$tmp/tariffs/deutsche-post.tsv"
run broken --tariffs "$tmp/tariffs"
[ "$(cat "$tmp/broken.rc")" = 2 ] || fail "broken tariff: exit $(cat "$tmp/broken.rc")"
grep -q "deutsche-post.tsv:$n: error: column 'price': '1,25' is not a price in whole minor units" "$tmp/broken.err" \
	|| fail "broken tariff: $(head -2 "$tmp/broken.err")"
[ -e "$tmp/broken" ] && fail "broken tariff: something was written"
# A broken file for another country does not stop a posting from Germany.
run other --tariffs "$tmp/tariffs" --posting CH
[ "$(cat "$tmp/other.rc")" = 0 ] || fail "a broken German tariff stopped a Swiss posting: $(head -2 "$tmp/other.err")"

# 8. A posting date outside the tariff names the file to update.
sed 's/^date: 2 June 2025$/date: 2027-01-04/' "$letter" >"$tmp/c/letters/late.md"
"$envoi" batch "$tmp/c/letters/late.md" "$list" -o "$tmp/late" 2>"$tmp/late.err"; rc=$?
[ $rc = 2 ] || fail "2027: exit $rc"
grep -q "deutsche-post.tsv: error: the posting date (the letter's date:) 2027-01-04 is outside this tariff, which gives Deutsche Post's standard prices from 2025-01-01 to 2026-12-31" "$tmp/late.err" \
	|| fail "2027: $(head -2 "$tmp/late.err")"
# posting: none makes the letters without postage.
"$envoi" batch "$tmp/c/letters/late.md" "$list" -o "$tmp/none" --posting none 2>"$tmp/none.err" \
	|| fail "posting none: $(head -2 "$tmp/none.err")"
grep -q '^envoi: no postage: posting: none$' "$tmp/none.err" || fail "posting none: the summary"
[ -e "$tmp/none/postage.json" ] && fail "posting none: a postage.json"

# 9. The same bytes under a comma-decimal locale, and again.
if locale -a 2>/dev/null | grep -qi '^de_DE.utf-\?8$'; then
	LC_ALL=de_DE.UTF-8 "$envoi" batch "$letter" "$list" -o "$tmp/de-comma" -q 2>/dev/null \
		|| fail "de_DE.UTF-8: exit $?"
	diff -r "$tmp/de" "$tmp/de-comma" >/dev/null || fail "de_DE.UTF-8: other bytes"
else
	fail "the de_DE.UTF-8 locale is not installed (.ci/run installs it)"
fi
"$envoi" batch "$letter" "$list" -o "$tmp/de-again" -q 2>/dev/null
diff -r "$tmp/de" "$tmp/de-again" >/dev/null || fail "a second run: other bytes"

# A batch without postage into the same folder leaves no postage file of
# the earlier run behind.
"$envoi" batch "$letter" "$list" -o "$tmp/de-again" -q --posting none 2>/dev/null
for f in postage.json posting-list.pdf; do
	[ -e "$tmp/de-again/$f" ] && fail "posting none after a priced run: $f is still there"
done

[ "$fails" -eq 0 ] && echo "postage: all passed"
exit $((fails > 0))
