#!/usr/bin/env bash
# followup.sh - the batch with the campaign ledger, end to end: the sample
# batch recorded (run and 413 pieces, read back with the sqlite3 tool,
# each piece's SHA-256 the file's); a second batch with --skip-sent makes
# no letter and says why; after 10 pieces are deleted from the ledger it
# makes exactly those 10; --only-sent makes the others; a list with 10 new
# people gives those 10; tracking numbers imported show in the manifest
# when it is written again; a second batch on a locked ledger is refused at
# once; a batch killed before its commit records nothing; --skip-sent
# without a ledger is refused.
# Usage: followup.sh ENVOI SOURCE_ROOT SQLITE3
. "$(dirname "$0")/lib.sh"
sqlite=$3
letter=$root/letters/judges-appeal.md
list=$root/recipients/judges.csv
db=$tmp/campaign.ledger
q() { "$sqlite" -batch -bail -list -noheader "$db" "$1"; }
batch() {   # NAME ARGS...: into $tmp/NAME; exit status in $tmp/NAME.rc
	local name=$1
	shift
	"$envoi" batch "$@" -o "$tmp/$name" >"$tmp/$name.out" 2>"$tmp/$name.err"
	echo $? >"$tmp/$name.rc"
}
rc() { cat "$tmp/$1.rc"; }
# The ok rows' ids of a manifest, sorted, and the rows by status.
ids() { python3 -c '
import csv, sys
m = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
print(" ".join(sorted(r["id"] for r in m if r["status"] == sys.argv[2])))' "$tmp/$1/manifest.csv" "${2:-ok}"; }

# 1. The first batch records its run and every piece.
batch one "$letter" "$list" --ledger "$db"
[ "$(rc one)" = 0 ] || fail "first batch: exit $(rc one): $(tail -3 "$tmp/one.err")"
grep -q "^envoi: recorded as run 1 in the ledger $db (413 pieces)$" "$tmp/one.err" \
	|| fail "first batch: the summary does not say it was recorded"
[ "$(q 'select count(*), count(distinct recipient_key), sum(postage), min(status), max(status) from pieces where run = 1')" = "413|413|51625|sent|sent" ] \
	|| fail "first batch: pieces $(q 'select count(*), count(distinct recipient_key), sum(postage), min(status), max(status) from pieces')"
[ "$(q 'select posting_date, letter_sha256, list_sha256 from runs where run = 1')" = \
  "2025-06-02|$(sha256sum <"$letter" | cut -d' ' -f1)|$(sha256sum <"$list" | cut -d' ' -f1)" ] \
	|| fail "first batch: the run's row $(q 'select posting_date, letter_sha256, list_sha256 from runs')"
q 'select file, sha256 from pieces where run = 1' | while IFS='|' read -r f h; do
	[ "$(sha256sum <"$tmp/one/$f" | cut -d' ' -f1)" = "$h" ] || { echo "FAIL: $f: the ledger's SHA-256 is not the file's"; exit 1; }
done || fails=$((fails + 1))

# 2. --skip-sent after it: no letter, and why, row by row.
batch two "$letter" "$list" --ledger "$db" --skip-sent
[ "$(rc two)" = 0 ] || fail "skip-sent: exit $(rc two)"
grep -q "^envoi: 0 of 413 rows made letters" "$tmp/two.err" || fail "skip-sent: $(grep 'rows made' "$tmp/two.err")"
grep -q "^envoi: 413 rows were left out by --skip-sent (the ledger $db)" "$tmp/two.err" \
	|| fail "skip-sent: the summary does not say why"
[ -e "$tmp/two/print.pdf" ] && fail "skip-sent: a print file"
python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); sys.exit(not (j["skipped"] == 413 and j["total"]["pieces"] == 0 and j["total"]["postage"] == "0.00"))' \
	"$tmp/two/postage.json" || fail "skip-sent: postage.json does not count 413 skipped and 0 pieces"
[ -z "$(ls "$tmp/two/letters")" ] || fail "skip-sent: letters made"
python3 - "$tmp/two/manifest.csv" <<'PY' || fail "skip-sent: the manifest"
import csv, sys
m = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
bad = [r for r in m if r["status"] != "skipped" or "the ledger has the letter of run 1, posted 2025-06-02" not in r["reason"] or r["file"] or r["postage"]]
if len(m) != 413 or bad:
    print(len(m), bad[:1]); sys.exit(1)
PY

# 3. Ten pieces deleted from the ledger: --skip-sent makes exactly those.
gone=$(q "select id from pieces where run = 1 and seq % 41 = 7 order by id" | sort | tr '\n' ' ' | sed 's/ $//')
[ "$(echo "$gone" | wc -w)" = 10 ] || fail "test setup: $(echo "$gone" | wc -w) pieces chosen"
q "delete from pieces where run = 1 and seq % 41 = 7"
batch three "$letter" "$list" --ledger "$db" --skip-sent
[ "$(rc three)" = 0 ] || fail "ten deleted: exit $(rc three)"
[ "$(ids three)" = "$gone" ] || fail "ten deleted: made $(ids three), expected $gone"
[ "$(q 'select count(*) from pieces where run = 3')" = 10 ] || fail "ten deleted: run 3 has $(q 'select count(*) from pieces where run = 3') pieces"
[ "$(pdfinfo "$tmp/three/print.pdf" | awk '/^Pages:/ {print $2}')" = 20 ] || fail "ten deleted: print.pdf pages"

# 4. --only-sent: everyone the ledger has a sent letter for (all 413 now).
batch four "$letter" "$list" --ledger "$db" --only-sent
[ "$(rc four)" = 0 ] || fail "only-sent: exit $(rc four)"
[ "$(ids four | wc -w)" = 413 ] || fail "only-sent: $(ids four | wc -w) letters"
# ... and a returned letter counts as not received.
"$envoi" ledger "$db" returned "$(echo "$gone" | cut -d' ' -f1)" >/dev/null 2>&1 || fail "returned: exit $?"
batch five "$letter" "$list" --ledger "$db" --only-sent
[ "$(ids five | wc -w)" = 412 ] || fail "only-sent after a return: $(ids five | wc -w) letters"

# 5. A list with ten new people: --skip-sent writes to those ten.
python3 - "$list" "$tmp/more.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerows(rows)
    for k, r in enumerate(rows[1:11]):
        # a new person: another id, another given name and patronymic
        w.writerow(["new-%d" % k, r[1], ["Аляксей", "Сяргей", "Павел", "Андрэй", "Ігар"][k % 5], "Новікавіч", "m"] + r[5:])
PY
head -1 "$list" | grep -q '^id,surname,given_name,patronymic,gender,' || fail "test setup: the sample's columns changed"
batch six "$letter" "$tmp/more.csv" --ledger "$db" --skip-sent
# (and to the one whose letter came back)
[ "$(ids six)" = "$(echo "$gone" | cut -d' ' -f1) new-0 new-1 new-2 new-3 new-4 new-5 new-6 new-7 new-8 new-9" ] \
	|| fail "ten new people: made $(ids six)"

# 6. Tracking numbers: imported for the latest run's pieces, shown when
# the same letters are made again (the same files: the same SHA-256).
batch seven "$letter" "$list" --ledger "$db"
q "select id from pieces where run = 7 order by seq limit 3" | awk 'BEGIN {print "id,tracking"} {printf "%s,RR%09dDE\n", $1, NR}' >"$tmp/tracking.csv"
"$envoi" ledger "$db" import-tracking "$tmp/tracking.csv" >"$tmp/imp.out" 2>&1 || fail "import-tracking: $(cat "$tmp/imp.out")"
batch seven-again "$letter" "$list" --ledger "$db"
python3 - "$tmp/seven-again/manifest.csv" "$tmp/tracking.csv" <<'PY' || fail "tracking numbers in the manifest"
import csv, sys
m = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
t = {r["id"]: r["tracking"] for r in csv.DictReader(open(sys.argv[2], encoding="utf-8", newline=""))}
got = {r["id"]: r["tracking"] for r in m if r["tracking"]}
if got != t:
    print(got, t); sys.exit(1)
PY

# 7. A second batch while one holds the ledger is refused at once; its
# output folder is not made.
python3 - "$db" "$tmp/locked" <<'PY' &
import sqlite3, sys, time, os
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(20)
PY
holder=$!
for _ in $(seq 100); do [ -e "$tmp/locked" ] && break; sleep 0.1; done
start=$(date +%s)
batch eight "$letter" "$list" --ledger "$db"
[ "$(rc eight)" = 2 ] || fail "locked ledger: exit $(rc eight)"
grep -q "$db: error: is being written by another envoi batch" "$tmp/eight.err" || fail "locked ledger: $(head -2 "$tmp/eight.err")"
[ $(($(date +%s) - start)) -lt 10 ] || fail "locked ledger: it waited"
[ -e "$tmp/eight" ] && fail "locked ledger: the output folder was made"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null

# 8. A batch killed before its commit records nothing.
runs=$(q 'select count(*) from runs')
pieces=$(q 'select count(*) from pieces')
"$envoi" batch "$letter" "$list" --ledger "$db" -o "$tmp/killed" --threads 1 2>/dev/null &
pid=$!
for _ in $(seq 200); do [ -n "$(ls "$tmp/killed"/.envoi-staging-*/letters 2>/dev/null | head -1)" ] && break; sleep 0.02; done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
[ "$(q 'select count(*) from runs')|$(q 'select count(*) from pieces')" = "$runs|$pieces" ] \
	|| fail "killed batch: the ledger has $(q 'select count(*) from runs') runs and $(q 'select count(*) from pieces') pieces, was $runs and $pieces"
[ "$(q 'pragma integrity_check')" = ok ] || fail "killed batch: integrity check"

# 9. --skip-sent without a ledger says what it needs and makes nothing.
batch nine "$letter" "$list" --skip-sent
[ "$(rc nine)" = 2 ] || fail "skip-sent without a ledger: exit $(rc nine)"
grep -q -- "--skip-sent needs the campaign ledger" "$tmp/nine.err" || fail "skip-sent without a ledger: $(head -2 "$tmp/nine.err")"
[ -e "$tmp/nine" ] && fail "skip-sent without a ledger: the output folder was made"

[ "$fails" -eq 0 ] && echo "followup: all passed"
exit $((fails > 0))
