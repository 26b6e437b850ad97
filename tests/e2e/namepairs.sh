#!/usr/bin/env bash
# namepairs.sh - the bilingual sample's Russian greeting uses the Russian
# forms of Belarusian-spelled names: for every row of recipients/judges.csv
# with lang be, the expected "Уважаемая Ольга Петровна!" is computed here
# from src/data/given-names.tsv (read by Python; the men's patronymics by
# gen-table.py's rule, the women's by their suffix) and found in the
# letter's text (pdftotext); `check` has no note for them, and a name not in
# the dictionary is kept as spelt with a note. Usage: namepairs.sh ENVOI SOURCE_ROOT
. "$(dirname "$0")/lib.sh"
py=/usr/bin/python3
letter=$root/letters/judges-appeal-bilingual.md
list=$root/recipients/judges.csv

# 1. The Belarusian rows, and the greeting each should get.
$py - "$list" "$root/src/data" "$tmp" <<'PY' || fail "making the expectations"
import csv, sys
lst, data, tmp = sys.argv[1:4]
g = {}
exec(open(data + "/gen-table.py", encoding="utf-8").read().replace("\nmain()\n", "\n"), g)
given, patr = {}, {}
for line in open(data + "/given-names.tsv", encoding="utf-8"):
    c = line.rstrip("\n").split("\t")
    if line.startswith("#") or len(c) < 3:
        continue
    given.setdefault(c[0], c[1])
    if c[2] != "m" or (len(c) == 4 and c[3] == "-"):
        continue
    be, ru = c[3].split(" ") if len(c) == 4 else (g["patronymic_be"](c[0]), g["patronymic_ru"](c[1]))
    # The women's forms by the suffix: -авіч -> -аўна, -ович -> -овна, -іч -> -інічна.
    fem = lambda p, pairs: next(p[:-len(m)] + f for m, f in pairs if p.endswith(m))
    patr.setdefault(be, ru)
    patr.setdefault(fem(be, [("авіч", "аўна"), ("овіч", "оўна"), ("евіч", "еўна"), ("іч", "інічна")]),
                    fem(ru, [("ович", "овна"), ("евич", "евна"), ("ич", "инична")]))
rows = [r for r in csv.DictReader(open(lst, encoding="utf-8", newline="")) if r["lang"] == "be"]
ap = lambda s: s.replace("\u2019", "'").replace("\u02bc", "'")
with open(tmp + "/expect.tsv", "w", encoding="utf-8") as out:
    for r in rows:
        gn, pn = given.get(ap(r["given_name"])), patr.get(ap(r["patronymic"]))
        if not gn or not pn:
            sys.exit("row %s: %s %s not in the dictionary" % (r["id"], r["given_name"], r["patronymic"]))
        adj = "Уважаемая" if r["gender"] == "f" else "Уважаемый"
        out.write("%s\t%s %s %s!\n" % (r["id"], adj, gn, pn))
print(len(rows), "Belarusian rows")
PY

# 2. The batch, and each Belarusian row's letter read back.
"$envoi" batch "$letter" "$list" -o "$tmp/out" >"$tmp/batch.log" 2>&1 ||
	{ cat "$tmp/batch.log"; fail "batch"; }
$py - "$tmp" <<'PY' || fail "the Russian greetings"
import csv, subprocess, sys
tmp = sys.argv[1]
files = {r["id"]: r["file"] for r in csv.DictReader(open(tmp + "/out/manifest.csv", encoding="utf-8", newline=""))}
bad = 0
n = 0
for line in open(tmp + "/expect.tsv", encoding="utf-8"):
    rid, want = line.rstrip("\n").split("\t")
    text = subprocess.run(["pdftotext", "-layout", tmp + "/out/" + files[rid], "-"],
                          capture_output=True, text=True, check=True).stdout
    got = [l.strip() for l in text.splitlines() if l.strip().startswith("Уважаем")]
    n += 1
    if got != [want]:
        bad += 1
        print("FAIL id %s: expected %r, letter has %r" % (rid, want, got))
print("%d of %d Russian greetings as expected" % (n - bad, n))
sys.exit(1 if bad else 0)
PY

# 3. check: no note for the sample; a name the dictionary lacks is kept
# as spelt, with a note (not an error, exit 0).
"$envoi" check "$letter" "$list" >"$tmp/check.log" 2>&1 || fail "check on the sample"
grep -q "greeting keeps" "$tmp/check.log" && fail "a greeting note on the sample"
head -2 "$list" | sed 's/,Вера,Іванаўна,f,/,Алесь,Іванавіч,m,/' >"$tmp/unknown.csv"
"$envoi" check "$letter" "$tmp/unknown.csv" >"$tmp/unknown.log" 2>&1 ||
	fail "check with an unknown name exits non-zero"
grep -q "unknown.csv:2: note: the Russian greeting keeps 'Алесь Іванавіч' as spelt" "$tmp/unknown.log" ||
	{ cat "$tmp/unknown.log"; fail "no note for an unknown name"; }
"$envoi" batch "$letter" "$tmp/unknown.csv" -o "$tmp/unk" >/dev/null 2>&1 || fail "batch with an unknown name"
pdftotext "$tmp/unk/letters/0001-"*.pdf - | grep -q "Уважаемый Алесь Іванавіч!" ||
	fail "the unknown name not kept as spelt"

[ "$fails" -eq 0 ] && echo "namepairs: all passed"
exit $((fails > 0))
