#!/usr/bin/env bash
# print.sh - what the print room gets (issue 14): progress on a terminal
# and none in a pipe, with the same files either way; --simplex without
# blank pages.
# Usage: print.sh ENVOI SOURCE_ROOT
. "$(dirname "$0")/lib.sh"
letter=$root/letters/judges-appeal.md
list=$root/recipients/judges.csv

# 1. Progress: under `script` (a pseudo-terminal) the batch draws its line;
# piped, it draws nothing; the files are byte-identical.
command -v script >/dev/null || fail "no 'script' (util-linux) to make a terminal"
script -qec "'$envoi' batch '$letter' '$list' -o '$tmp/tty'" "$tmp/tty.log" >/dev/null 2>&1 \
	|| fail "batch on a terminal: exit $?"
grep -q $'\renvoi: letters made 413 of 413 (100 %)' "$tmp/tty.log" || fail "no progress line on a terminal: $(head -c 300 "$tmp/tty.log" | cat -v)"
grep -q $'\renvoi: rows checked and laid out 413' "$tmp/tty.log" || fail "no first-pass progress on a terminal"
"$envoi" batch "$letter" "$list" -o "$tmp/pipe" 2>"$tmp/pipe.err" | cat
grep -q 'letters made' "$tmp/pipe.err" && fail "progress in a pipe"
grep -q $'\r' "$tmp/pipe.err" && fail "a carriage return in piped messages"
diff -r "$tmp/tty" "$tmp/pipe" >/dev/null || fail "the files differ with and without a terminal"
script -qec "'$envoi' batch '$letter' '$list' -o '$tmp/quiet' -q" "$tmp/quiet.log" >/dev/null 2>&1
grep -q 'letters made' "$tmp/quiet.log" && fail "progress with -q"

# 2. A one-page letter: duplex pads each to a sheet (826 pages), --simplex
# does not (413).
cat >"$tmp/short.md" <<'MD'
---
sender: Campaign office
  Postfach 00 00 00
  10000 Berlin
  GERMANY
date: 2 June 2025
---
Dear Judge {{surname | latin}},

We ask you to hold to your oath.
MD
"$envoi" batch "$tmp/short.md" "$list" -o "$tmp/duplex" -q 2>/dev/null || fail "duplex: exit $?"
[ "$(pdfinfo "$tmp/duplex/print.pdf" | awk '/^Pages:/ {print $2}')" = 826 ] || fail "duplex: print.pdf pages"
"$envoi" batch "$tmp/short.md" "$list" -o "$tmp/simplex" --simplex -q 2>/dev/null || fail "simplex: exit $?"
[ "$(pdfinfo "$tmp/simplex/print.pdf" | awk '/^Pages:/ {print $2}')" = 413 ] || fail "simplex: print.pdf pages"

# 3. The print file's outline: one entry per letter, "NNNN Latin /
# Cyrillic", each at its letter's first page (qpdf --json); the proof:
# 35 pages, each letter's surname inside its cell's window box
# (pdftotext -bbox), captions in print order.
check_outputs() {   # OUTDIR ORDER(input|postcode)
	qpdf --json --json-key=outlines "$1/print.pdf" >"$1.outline.json" 2>/dev/null || { fail "$1: qpdf --json"; return; }
	pdftotext -bbox "$1/proof.pdf" "$1.proof.html" 2>/dev/null || { fail "$1: proof.pdf unreadable"; return; }
	pdftotext -bbox "$1/labels.pdf" "$1.labels.html" 2>/dev/null || { fail "$1: labels.pdf unreadable"; return; }
	qpdf --check "$1/proof.pdf" >/dev/null 2>&1 || fail "$1: qpdf --check proof.pdf"
	python3 - "$1" "$2" <<'PY' || fail "$1: outline, proof or order"
import csv, json, re, sys
out, order = sys.argv[1], sys.argv[2]
man = [m for m in csv.DictReader(open(out + "/manifest.csv", encoding="utf-8", newline="")) if m["status"] == "ok"]
by_seq = {int(m["seq"]): m for m in man}
bad = []
# the outline, in print order
ol = json.load(open(out + ".outline.json", encoding="utf-8"))["outlines"]
seqs = []
for k, e in enumerate(ol):
    m = re.match(r"^(\d{4}) (.*) / (.*)$", e["title"])
    if not m or int(m.group(1)) not in by_seq:
        bad.append("outline title %r" % e["title"]); continue
    r = by_seq[int(m.group(1))]
    seqs.append(int(m.group(1)))
    if (m.group(2), m.group(3)) != (r["name_latin"], r["name"]):
        bad.append("outline %r is not %r / %r" % (e["title"], r["name_latin"], r["name"]))
    if e["destpageposfrom1"] != 2 * k + 1:
        bad.append("outline %d points at page %s" % (k, e["destpageposfrom1"]))
if len(ol) != len(man):
    bad.append("%d outline entries for %d letters" % (len(ol), len(man)))
def key(m):
    return (m["address_%d" % sum(1 for i in range(1, 8) if m["address_%d" % i])], m["postcode"])
want = sorted(by_seq) if order == "input" else [int(m["seq"]) for m in sorted(man, key=lambda m: (key(m), int(m["seq"])))]
if order == "input" and seqs != want:
    bad.append("print order is not the list's")
if order == "postcode":
    got = [key(by_seq[s]) for s in seqs]
    if got != sorted(got):
        bad.append("print order is not by country and postcode: %r" % got[:5])
# the proof: pages of 12 cells, 3 x 4 on A4, the window of din5008-b
html = open(out + ".proof.html", encoding="utf-8").read()
pages = re.split(r"<page ", html)[1:]
if len(pages) != 35:
    bad.append("proof has %d pages" % len(pages))
mm = 72 / 25.4
margin, gx, gy = 10 * mm, 6 * mm, 4 * mm
cw, ch = (595.276 - 2 * margin - 2 * gx) / 3, (841.89 - 2 * margin - 3 * gy) / 4
scale = min(cw / 595.276, (ch - 1.2 * mm - 7) / 841.89)
k = 0
for p in pages:
    words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in
             re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', p)]
    for slot in range(12):
        if k >= len(seqs):
            break
        r = by_seq[seqs[k]]
        x0 = margin + (slot % 3) * (cw + gx) + (cw - 595.276 * scale) / 2
        y0 = margin + (slot // 3) * (ch + gy)
        wx, wy, ww, wh = x0 + 20 * mm * scale, y0 + 45 * mm * scale, 85 * mm * scale, 44 * mm * scale
        surname = r["name"].split()[0]
        inside = [w for w in words if w[4] == surname and w[0] >= wx - 1 and w[2] <= wx + ww + 1 and w[1] >= wy - 1 and w[3] <= wy + wh + 1]
        if not inside:
            bad.append("proof cell of %s: %s not inside the window box" % (r["seq"], surname))
        caption = "%04d" % seqs[k]
        if not any(w[4] == caption and w[1] > y0 + 841.89 * scale for w in words):
            bad.append("proof cell %d: no caption %s under it" % (k, caption))
        k += 1
# the labels, in print order: each label's postcode by its place on the
# L7163 sheet (2 x 7, 38.1 mm rows from 15.17 mm), row by row
codes = []
for pn, p in enumerate(re.split(r"<page ", open(out + ".labels.html", encoding="utf-8").read())[1:]):
    for x, y, w in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">(\d{6}),<', p):
        codes.append(((pn, int((float(y) - 15.17 * mm) // (38.1 * mm)), float(x) > 297.6), w))
codes = [w for _, w in sorted(codes)]
if codes != [by_seq[q]["postcode"] for q in seqs]:
    bad.append("the labels are not in the print file's order (%d postcodes)" % len(codes))
if bad:
    print("\n".join(bad[:8])); sys.exit(1)
PY
}
check_outputs "$tmp/pipe" input

# 4. --order postcode (with envelopes): print file, outline, proof and
# labels in country and postcode order; the same bytes on 1 and 2 threads.
"$envoi" batch "$letter" "$list" -o "$tmp/sorted" --order postcode --envelopes DL -q --threads 1 2>"$tmp/sorted.err" \
	|| fail "--order postcode: exit $?: $(head -3 "$tmp/sorted.err")"
check_outputs "$tmp/sorted" postcode
"$envoi" batch "$letter" "$list" -o "$tmp/sorted2" --order postcode --envelopes DL -q --threads 2 2>/dev/null
diff -r "$tmp/sorted" "$tmp/sorted2" >/dev/null || fail "--order postcode: other bytes on 2 threads"
cmp -s "$tmp/sorted/manifest.csv" "$tmp/pipe/manifest.csv" || fail "--order postcode changed the manifest (it stays in the list's order)"

# 5. Envelopes: DL and C5 page sizes, one page per letter, each with its
# recipient's surname and the return address.
for size in DL:623.6:311.8 C5:649.1:459.2; do
	IFS=: read -r name w h <<<"$size"
	"$envoi" batch "$letter" "$list" -o "$tmp/env-$name" --envelopes "$name" -q 2>/dev/null || fail "envelopes $name: exit $?"
	info=$(pdfinfo "$tmp/env-$name/envelopes.pdf" 2>/dev/null)
	echo "$info" | grep -q "^Pages: *413$" || fail "envelopes $name: not 413 pages"
	echo "$info" | grep -Eq "^Page size: *$w[0-9]* x $h[0-9]* pts" || fail "envelopes $name: $(echo "$info" | grep 'Page size')"
	qpdf --check "$tmp/env-$name/envelopes.pdf" >/dev/null 2>&1 || fail "envelopes $name: qpdf --check"
done
python3 - "$tmp/env-DL" <<'PY' || fail "envelopes DL: text"
import csv, subprocess, sys
out = sys.argv[1]
man = [m for m in csv.DictReader(open(out + "/manifest.csv", encoding="utf-8", newline="")) if m["status"] == "ok"]
text = subprocess.run(["pdftotext", "-layout", out + "/envelopes.pdf", "-"], capture_output=True, text=True).stdout.split("\f")
bad = [m["seq"] for m, t in zip(man, text) if m["name"] not in t or "Postfach 00 00 00" not in t or "BELARUS" not in t]
if len(text) < len(man) or bad:
    print("pages without their recipient:", bad[:5]); sys.exit(1)
PY

[ "$fails" -eq 0 ] && echo "print: all passed"
exit $((fails > 0))
