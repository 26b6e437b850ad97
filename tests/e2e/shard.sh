#!/usr/bin/env bash
# shard.sh - envoi batch --shard K/N and envoi merge-manifests, end to end:
# the sample and a list with rejected and duplicate rows cut into shards,
# each shard's rows and shard.json read back with Python's csv, json and
# hashlib, the merged manifest compared byte for byte (cmp) with the
# unsharded batch's, the letters of all shards with its letters; a shard
# without rows; a merge of records that span lines; and the refusals (a
# shard missing or given twice, shards of two lists, a cut manifest, bad
# --shard values, --shard with a ledger), each with its exit status and
# message, and nothing written.
# Usage: shard.sh ENVOI SOURCE_ROOT
. "$(dirname "$0")/lib.sh"

letter=$root/letters/judges-appeal.md
list=$root/recipients/judges.csv

batch() {   # NAME LIST ARGS...: a batch into $tmp/NAME, its exit status in $tmp/NAME.rc
	local name=$1 l=$2
	shift 2
	"$envoi" batch "$letter" "$l" -o "$tmp/$name" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	echo $? >"$tmp/$name.rc"
}

merge() {   # OUT DIR...: merge-manifests, its stderr in $tmp/merge.err; the exit status
	local out=$1
	shift
	"$envoi" merge-manifests -o "$out" "$@" 2>"$tmp/merge.err"
}

# The shards' rows, shard.json and postage.json against the unsharded
# batch: each row in exactly its shard (seq % N == K), each once, every
# row of the list in one; shard.json's keys, hashes and counts.
# FULL LIST N SHARD_DIR...
check_shards() {
	python3 - "$letter" "$@" <<'PY' || fail "the shards of $2 ($3 of them)"
import csv, hashlib, json, os, sys
letter, full, listfile, n = sys.argv[1:5]
dirs = sys.argv[5:]
n = int(n)
bad = []
def rows(d):
    return list(csv.DictReader(open(os.path.join(d, "manifest.csv"), encoding="utf-8", newline="")))
want = rows(full)
sha = lambda p: hashlib.sha256(open(p, "rb").read()).hexdigest()
seen = {}
pieces = 0
for k, d in enumerate(dirs):
    m = rows(d)
    j = json.load(open(os.path.join(d, "shard.json"), encoding="utf-8"))
    exp = {"shard": k, "of": n, "rows": len(want), "list_sha256": sha(listfile),
           "letter_sha256": sha(letter), "manifest_rows": len(m)}
    if j != exp:
        bad.append("%s/shard.json: %r, expected %r" % (d, j, exp))
    for r in m:
        s = int(r["seq"])
        if s % n != k:
            bad.append("%s: row %d is in shard %d/%d" % (d, s, k, n))
        if s in seen:
            bad.append("row %d in %s and %s" % (s, seen[s], d))
        seen[s] = d
    # the shard's rows are the unsharded batch's rows, value for value
    full_rows = [r for r in want if int(r["seq"]) % n == k]
    if m != full_rows:
        bad.append("%s: its rows are not those of the unsharded manifest" % d)
    p = json.load(open(os.path.join(d, "postage.json"), encoding="utf-8"))
    oks = sum(r["status"] == "ok" for r in m)
    if (p["rows"], p["rejected"], p["total"]["pieces"]) != (len(m), len(m) - oks, oks):
        bad.append("%s/postage.json: rows %r, rejected %r, pieces %r for %d rows, %d made"
                   % (d, p["rows"], p["rejected"], p["total"]["pieces"], len(m), oks))
    pieces += p["total"]["pieces"]
if sorted(seen) != list(range(1, len(want) + 1)):
    bad.append("the shards hold rows %d..%d, %d of them, not 1..%d"
               % (min(seen, default=0), max(seen, default=0), len(seen), len(want)))
fp = json.load(open(os.path.join(full, "postage.json"), encoding="utf-8"))["total"]["pieces"]
if pieces != fp:
    bad.append("%d pieces in the shards' postage.json, %d unsharded" % (pieces, fp))
if bad:
    print("\n".join(bad[:10]))
sys.exit(1 if bad else 0)
PY
}

# The union of the shards' letters/ against the unsharded letters/: the
# same file names, each in one shard, the same bytes. FULL DIR...
check_letters() {
	local full=$1 d f
	shift
	for d in "$@"; do
		ls "$d/letters"
	done | sort >"$tmp/union"
	ls "$full/letters" | sort | cmp -s - "$tmp/union" ||
		fail "the shards' letters of $full are not its letters, each once"
	for d in "$@"; do
		for f in "$d"/letters/*.pdf; do
			cmp -s "$f" "$full/letters/${f##*/}" || fail "$f differs from the unsharded letter"
		done
	done
}

# 1. The sample, unsharded and in three shards (on 1, 2 and 3 threads).
batch full "$list" --threads 2
[ "$(cat "$tmp/full.rc")" = 0 ] || fail "the sample batch: exit $(cat "$tmp/full.rc"): $(cat "$tmp/full.err")"
for k in 0 1 2; do
	batch "s$k" "$list" --shard "$k/3" --threads $((k + 1))
	[ "$(cat "$tmp/s$k.rc")" = 0 ] || fail "shard $k/3: exit $(cat "$tmp/s$k.rc"): $(cat "$tmp/s$k.err")"
	grep -q "^envoi: shard $k/3: the 13[78] rows whose number leaves $k when divided by 3; all 413 of the list read, checked and laid out; shard.json written" "$tmp/s$k.err" ||
		fail "shard $k/3 does not say which rows it made: $(cat "$tmp/s$k.err")"
done
check_shards "$tmp/full" "$list" 3 "$tmp/s0" "$tmp/s1" "$tmp/s2"
check_letters "$tmp/full" "$tmp/s0" "$tmp/s1" "$tmp/s2"
# in any order of the folders
merge "$tmp/merged.csv" "$tmp/s2" "$tmp/s0" "$tmp/s1" || fail "merge of the sample: exit $?: $(cat "$tmp/merge.err")"
cmp "$tmp/merged.csv" "$tmp/full/manifest.csv" || fail "the merged manifest is not the unsharded one"
grep -q "merged.csv written: the manifest of the whole list, 413 rows from 3 shards" "$tmp/merge.err" ||
	fail "merge summary: $(cat "$tmp/merge.err")"

# 2. One shard of one is the plain batch, file for file; and merges to it.
batch one "$list" --shard 0/1
[ "$(cat "$tmp/one.rc")" = 0 ] || fail "--shard 0/1: exit $(cat "$tmp/one.rc")"
diff -r -x shard.json "$tmp/full" "$tmp/one" >/dev/null || fail "--shard 0/1 differs from the plain batch"
merge "$tmp/merged1.csv" "$tmp/one" && cmp -s "$tmp/merged1.csv" "$tmp/full/manifest.csv" ||
	fail "merge of one shard: $(cat "$tmp/merge.err")"

# 3. A list with rejected rows (no postcode; broken quoting), duplicates (the
# same person again, once in capitals) and values the manifest quotes or
# guards (a quote, a line break, a formula), in four shards.
python3 - "$list" "$tmp/messy.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
head, data = rows[0], rows[1:31]
data[2][0] = 'id "three"\nsecond line'
data[4][0] = "=1+2"
data[6][10] = ""                                   # no postcode
again = list(data[10]); again[0] = "again-11"; again[1] = again[1].upper()
data.insert(20, again)                             # a duplicate in capitals
again = list(data[8]); again[0] = "again-9"
data.append(again)                                 # a duplicate at the end
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\r\n")
    w.writerow(head)
    w.writerows(data)
    f.write('99,"bad"quote,x\r\n')                 # broken quoting
PY
batch mfull "$tmp/messy.csv"
[ "$(cat "$tmp/mfull.rc")" = 1 ] || fail "the messy list: exit $(cat "$tmp/mfull.rc"), expected 1"
python3 - "$tmp/mfull/manifest.csv" <<'PY' || fail "the messy list's manifest"
import csv, sys
m = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
rej = [(r["seq"], r["reason"].split(":")[0]) for r in m if r["status"] == "rejected"]
want = [("7", "the postcode is empty"), ("21", "a duplicate"), ("32", "a duplicate"), ("33", rej[-1][1] if rej else "")]
if len(m) != 33 or rej != want:
    print("messy manifest:", len(m), rej)
    sys.exit(1)
PY
for k in 0 1 2 3; do
	batch "m$k" "$tmp/messy.csv" --shard "$k/4"
done
# exit 1 where the shard has a rejected row (7, 21, 32, 33: shards 3, 1, 0,
# 1), else 0
[ "$(cat "$tmp"/m{0,1,2,3}.rc | tr -d '\n')" = 1101 ] ||
	fail "the messy shards' exit statuses: $(cat "$tmp"/m{0,1,2,3}.rc | tr -d '\n'), expected 1101"
check_shards "$tmp/mfull" "$tmp/messy.csv" 4 "$tmp/m0" "$tmp/m1" "$tmp/m2" "$tmp/m3"
check_letters "$tmp/mfull" "$tmp/m0" "$tmp/m1" "$tmp/m2" "$tmp/m3"
merge "$tmp/mmerged.csv" "$tmp/m3" "$tmp/m1" "$tmp/m0" "$tmp/m2" ||
	fail "merge of the messy shards: exit $?: $(cat "$tmp/merge.err")"
cmp "$tmp/mmerged.csv" "$tmp/mfull/manifest.csv" || fail "the merged messy manifest is not the unsharded one"

# 4. More shards than rows: --shard 0/5 of 3 rows has none, says so, and
# writes a manifest of its header alone; the five merge all the same.
head -n 4 "$list" >"$tmp/three.csv"
batch tfull "$tmp/three.csv"
for k in 0 1 2 3 4; do
	batch "t$k" "$tmp/three.csv" --shard "$k/5"
	[ "$(cat "$tmp/t$k.rc")" = 0 ] || fail "shard $k/5 of 3 rows: exit $(cat "$tmp/t$k.rc"): $(cat "$tmp/t$k.err")"
done
grep -q "^envoi: shard 0/5 has no rows: the list has 3 rows; manifest.csv holds its header alone" "$tmp/t0.err" ||
	fail "the empty shard does not say so: $(cat "$tmp/t0.err")"
head -n 1 "$tmp/tfull/manifest.csv" | cmp -s - "$tmp/t0/manifest.csv" ||
	fail "the empty shard's manifest is not the header alone"
python3 - "$tmp/t0" <<'PY' || fail "the empty shard's manifest and shard.json"
import csv, json, os, sys
r = list(csv.reader(open(os.path.join(sys.argv[1], "manifest.csv"), encoding="utf-8", newline="")))
j = json.load(open(os.path.join(sys.argv[1], "shard.json"), encoding="utf-8"))
ok = len(r) == 1 and r[0][0] == "seq" and (j["shard"], j["of"], j["rows"], j["manifest_rows"]) == (0, 5, 3, 0)
ok = ok and not os.listdir(os.path.join(sys.argv[1], "letters"))
if not ok:
    print(r, j)
sys.exit(0 if ok else 1)
PY
check_shards "$tmp/tfull" "$tmp/three.csv" 5 "$tmp"/t{0,1,2,3,4}
merge "$tmp/tmerged.csv" "$tmp"/t{4,3,2,1,0} && cmp -s "$tmp/tmerged.csv" "$tmp/tfull/manifest.csv" ||
	fail "merge with an empty shard: $(cat "$tmp/merge.err")"

# 5. Records that span lines (a quoted line break) are copied whole: two
# shards made here, merged into the rows in order, byte for byte.
mkdir -p "$tmp/q0" "$tmp/q1"
python3 - "$tmp" <<'PY'
import json, os, sys
t = sys.argv[1]
head = b"seq,note\r\n"
recs = {1: b'1,"one\r\nline two, ""quoted""\r\n"\r\n', 2: b"2,two\r\n",
        3: b'3,"three\nwith an LF"\r\n', 4: b'4,","\r\n'}
expected = head + b"".join(recs[s] for s in (1, 2, 3, 4))
open(os.path.join(t, "q-expected.csv"), "wb").write(expected)
for k in (0, 1):
    mine = [s for s in (1, 2, 3, 4) if s % 2 == k]
    open(os.path.join(t, "q%d" % k, "manifest.csv"), "wb").write(head + b"".join(recs[s] for s in mine))
    j = {"shard": k, "of": 2, "rows": 4, "list_sha256": "a" * 64,
         "letter_sha256": "b" * 64, "manifest_rows": len(mine)}
    open(os.path.join(t, "q%d" % k, "shard.json"), "w").write(json.dumps(j, indent=2) + "\n")
PY
merge "$tmp/qmerged.csv" "$tmp/q0" "$tmp/q1" && cmp -s "$tmp/qmerged.csv" "$tmp/q-expected.csv" ||
	fail "records over several lines: $(cat "$tmp/merge.err")"

# 6. What merge-manifests refuses: exit 2, the message, nothing written.
refused() {   # WHAT PATTERN DIR...
	local what=$1 pattern=$2 rc
	shift 2
	rm -f "$tmp/no.csv"
	merge "$tmp/no.csv" "$@"
	rc=$?
	[ $rc -eq 2 ] || fail "$what: exit $rc, expected 2"
	grep -q -- "$pattern" "$tmp/merge.err" || fail "$what: the message: $(cat "$tmp/merge.err")"
	grep -q "^envoi: nothing was written$" "$tmp/merge.err" || fail "$what: does not say nothing was written"
	[ -e "$tmp/no.csv" ] && fail "$what: $tmp/no.csv was written"
	ls "$tmp" | grep -q '^no\.csv\.tmp' && fail "$what: a temporary file was left"
}
refused "a missing shard" "^envoi: error: shard 1/3 is missing: none of the 2 folders given holds it$" "$tmp/s0" "$tmp/s2"
refused "a shard twice" "^envoi: $tmp/s1/shard.json: error: shard 1/3 is given twice: here and in $tmp/s1" \
	"$tmp/s0" "$tmp/s1" "$tmp/s2" "$tmp/s1"
batch ms1 "$tmp/messy.csv" --shard 1/3
refused "shards of two lists" "^envoi: $tmp/ms1/shard.json: error: shard 1/3 is of another list than shard 0/3 in $tmp/s0" \
	"$tmp/s0" "$tmp/ms1" "$tmp/s2"
refused "shards of two cuts" "shard 1/4 is of another number of shards than shard 0/3" "$tmp/s0" "$tmp/m1" "$tmp/s2"
refused "a folder that is no shard's" "^envoi: $tmp/full: error: not the output folder of a sharded batch: it has no shard.json" \
	"$tmp/full"
# a shard's manifest with a row cut out, or one row moved to another shard
cp -r "$tmp/s1" "$tmp/cut"
python3 - "$tmp/cut/manifest.csv" <<'PY'
import sys
b = open(sys.argv[1], "rb").read().split(b"\r\n")
del b[5]                                    # the 5th record, row 13
open(sys.argv[1], "wb").write(b"\r\n".join(b))
PY
refused "a row cut out" "^envoi: $tmp/cut/manifest.csv:6:1: error: column 'seq': row 16 where row 13 was expected" \
	"$tmp/s0" "$tmp/cut" "$tmp/s2"
cp -r "$tmp/s2" "$tmp/moved"
sed -i '3s/^5,/4,/' "$tmp/moved/manifest.csv"
refused "a row of another shard" "row 4 where row 5 was expected: .*(this row is another shard's)" \
	"$tmp/s0" "$tmp/s1" "$tmp/moved"
sed 's/"manifest_rows": 138/"manifest_rows": 137/' "$tmp/s1/shard.json" >"$tmp/cut/shard.json"
refused "shard.json's row count" "cut/shard.json: error: says its manifest has 137 rows, but shard 1/3 of a list of 413 rows has 138" \
	"$tmp/s0" "$tmp/cut" "$tmp/s2"
sed -i 's/"of": 3/"of": "3"/' "$tmp/cut/shard.json"
refused "a broken shard.json" "cut/shard.json:3:9: error: 'of' must be a whole number" "$tmp/s0" "$tmp/cut" "$tmp/s2"

# 7. Bad --shard values: a usage error, exit 2, no output folder.
for v in 3/3 1/0 -1/3 a/3 1/ /3 3 1/3x 0/1000001 ''; do
	"$envoi" batch "$letter" "$list" -o "$tmp/bad" --shard "$v" 2>"$tmp/bad.err"
	rc=$?
	[ $rc -eq 2 ] || fail "--shard '$v': exit $rc, expected 2"
	grep -q "^envoi: --shard takes K/N, two whole numbers with 0 <= K < N" "$tmp/bad.err" ||
		fail "--shard '$v': the message: $(cat "$tmp/bad.err")"
	[ -e "$tmp/bad" ] && fail "--shard '$v': the output folder was made"
done
"$envoi" check "$list" --shard 0/2 >/dev/null 2>"$tmp/bad.err"
[ $? -eq 2 ] && grep -q "^envoi: --shard belongs to batch" "$tmp/bad.err" || fail "check --shard: $(cat "$tmp/bad.err")"
# --shard with a ledger: refused before anything is made
"$envoi" batch "$letter" "$list" -o "$tmp/led" --shard 0/2 --ledger "$tmp/campaign.db" 2>"$tmp/led.err"
[ $? -eq 2 ] || fail "--shard with --ledger: exit not 2"
grep -q "^envoi: error: --shard cannot record in a ledger (--ledger $tmp/campaign.db)" "$tmp/led.err" ||
	fail "--shard with --ledger: the message: $(cat "$tmp/led.err")"
[ -e "$tmp/led" ] || [ -e "$tmp/campaign.db" ] && fail "--shard with --ledger: something was made"

# 8. A plain batch into a shard's folder takes its shard.json away.
batch s2 "$list" -q
[ -e "$tmp/s2/shard.json" ] && fail "a plain batch left the shard's shard.json"

[ $fails -eq 0 ] && echo "all shard checks passed"
exit $((fails > 0))
