#!/usr/bin/env bash
# ledger.sh - `envoi ledger` on a two-run ledger that test-ledger --make
# records through the API: `show` word for word (also under a
# comma-decimal locale, and while another process holds the write lock);
# import-tracking recorded, then refused whole for an unknown id on a
# record that starts at line 3 but whose id cell is on line 4, for an empty
# number, a repeated piece and a number the ledger has for another piece,
# and refused at once while another process writes (naming it); `returned`
# marks the latest piece of each id, and an unknown id changes nothing.
# Every change is read back with the sqlite3 tool.
# Usage: ledger.sh ENVOI SOURCE_ROOT TEST-LEDGER SQLITE3
. "$(dirname "$0")/lib.sh"
make_ledger=$(realpath "$3") sqlite=$4
envoi=$(realpath "$envoi")
cd "$tmp" || exit 1
q() { "$sqlite" -batch -bail -list -noheader -nullvalue NULL ledger.db "$1"; }

"$make_ledger" --make ledger.db || fail "making the ledger"

# 1. show, with the clock's times replaced by T (checked first).
expect_show() {   # WHAT, then the expected text on stdin
	"$envoi" ledger ledger.db show >show.out 2>show.err; rc=$?
	[ $rc -eq 0 ] || fail "$1: exit $rc: $(cat show.err)"
	[ -s show.err ] && fail "$1: messages: $(cat show.err)"
	n=$(grep -cE '^  made       20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z$' show.out)
	[ "$n" -eq 2 ] || fail "$1: $n made_at lines in UTC ISO 8601, expected 2"
	sed -E 's/^(  made       ).*/\1T/' show.out | diff -u - show.want >show.diff \
		|| fail "$1: output differs:
$(cat show.diff)"
}
cat >show.want <<'EOF'
run 1
  made       T
  posting    2026-12-07
  letter     letters/judges-appeal.md
  list       recipients/judges.csv
  output     out1
  pieces     3: 3 sent, 0 returned
  postage    5.20 EUR
  tracking   0 of 3 pieces

run 2
  made       T
  posting    2026-12-14
  letter     letters/judges-appeal.md
  list       recipients/judges.csv
  output     out2
  pieces     5: 5 sent, 0 returned
  postage    13.70 EUR, 0.05 GBP (1 not priced)
  tracking   0 of 5 pieces

all 2 runs
  pieces     8: 8 sent, 0 returned
  postage    18.90 EUR, 0.05 GBP (1 not priced)
  tracking   0 of 8 pieces
EOF
expect_show "show"
if locale -a 2>/dev/null | grep -qi '^de_DE.utf8$'; then
	LC_ALL=de_DE.UTF-8 expect_show "show under de_DE.UTF-8"
fi

# 2. import-tracking: header names in any case, ids of the latest run.
printf 'ID,Tracking\r\nj1,RR000000001DE\r\n j4 , RR000000004DE \r\n' >track.csv
"$envoi" ledger ledger.db import-tracking track.csv >imp.out 2>imp.err; rc=$?
[ $rc -eq 0 ] || fail "import-tracking: exit $rc: $(cat imp.err)"
[ "$(cat imp.out)" = "recorded 2 tracking numbers for run 2 in ledger.db" ] \
	|| fail "import-tracking said: $(cat imp.out)"
recorded='2|1|j1|RR000000001DE
2|3|j4|RR000000004DE'
got=$(q "SELECT run, seq, id, tracking FROM pieces WHERE tracking IS NOT NULL ORDER BY run, seq")
[ "$got" = "$recorded" ] || fail "tracking recorded: $got"

# 3. Refused whole: the record at line 3 holds a quoted note over two
# lines before its id, so its id cell is on line 4; the message names the
# line the record starts on and the id column.
printf 'note,id,tracking\nplain,j2,RR000000002DE\n"two\nlines",nosuch,RR000000009DE\n' >bad.csv
"$envoi" ledger ledger.db import-tracking bad.csv >bad.out 2>bad.err; rc=$?
[ $rc -eq 1 ] || fail "unknown id: exit $rc, expected 1"
want="envoi: bad.csv:3: error: column 'id' ('nosuch'): no piece of run 2 (the ledger's latest) has this id
envoi: bad.csv: error: nothing was recorded; correct the lines above and import the whole file again"
[ "$(cat bad.err)" = "$want" ] || fail "unknown id: messages:
$(cat bad.err)"
[ -s bad.out ] && fail "unknown id: printed $(cat bad.out)"
got=$(q "SELECT run, seq, id, tracking FROM pieces WHERE tracking IS NOT NULL ORDER BY run, seq")
[ "$got" = "$recorded" ] || fail "unknown id: the ledger changed: $got"

# An empty number, a piece named twice (by seq), a number the ledger has
# for another piece: each at its line, nothing recorded.
printf 'seq;tracking\n2;\n5;RR000000005DE\n5;RR000000006DE\n4;RR000000001DE\n' >bad2.csv
"$envoi" ledger ledger.db import-tracking bad2.csv >/dev/null 2>bad2.err; rc=$?
[ $rc -eq 1 ] || fail "bad rows: exit $rc, expected 1"
want="envoi: bad2.csv:2: error: column 'tracking': empty tracking number; give one, or leave the row out
envoi: bad2.csv:4: error: column 'seq' ('5'): the same piece as line 3; give each piece one row
envoi: bad2.csv:5: error: column 'tracking': tracking number 'RR000000001DE' is recorded already for piece 1 of run 2
envoi: bad2.csv: error: nothing was recorded; correct the lines above and import the whole file again"
[ "$(cat bad2.err)" = "$want" ] || fail "bad rows: messages:
$(cat bad2.err)"
got=$(q "SELECT run, seq, id, tracking FROM pieces WHERE tracking IS NOT NULL ORDER BY run, seq")
[ "$got" = "$recorded" ] || fail "bad rows: the ledger changed: $got"

# 4. Another process holds the write lock (Python's sqlite3, as a batch
# would between open and commit): changes are refused at once, naming it;
# show still reads.
py=/usr/bin/python3
cat >hold.py <<'PY'
import os, sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
con.execute("UPDATE pieces SET tracking = 'HELD' WHERE run = 1 AND seq = 2")
print(os.getpid(), flush=True)
sys.stdin.read()
PY
mkfifo hold
$py hold.py ledger.db <hold >held.out &
holder=$!
exec 3>hold
for _ in $(seq 100); do [ -s held.out ] && break; sleep 0.1; done
[ "$(cat held.out)" = "$holder" ] || fail "the holder did not start: $(cat held.out)"
"$envoi" ledger ledger.db import-tracking track.csv >/dev/null 2>lock.err; rc=$?
[ $rc -eq 2 ] || fail "while locked: exit $rc, expected 2"
want="envoi: ledger.db: error: is being written by another envoi batch (process $holder); wait for it to finish"
[ "$(cat lock.err)" = "$want" ] || fail "while locked: $(cat lock.err)"
"$envoi" ledger ledger.db returned j1 >/dev/null 2>lock2.err; rc=$?
[ $rc -eq 2 ] && [ "$(cat lock2.err)" = "$want" ] || fail "returned while locked: exit $rc: $(cat lock2.err)"
"$envoi" ledger ledger.db show >/dev/null 2>show.err || fail "show while locked: $(cat show.err)"
exec 3>&-
wait $holder
got=$(q "SELECT run, seq, id, tracking FROM pieces WHERE tracking IS NOT NULL ORDER BY run, seq")
[ "$got" = "$recorded" ] || fail "after the holder: $got"

# 5. returned: the latest piece of each id; an unknown id changes nothing.
"$envoi" ledger ledger.db returned j2 nosuch >ret.out 2>ret.err; rc=$?
[ $rc -eq 1 ] || fail "returned with an unknown id: exit $rc, expected 1"
[ "$(cat ret.err)" = "envoi: ledger.db: error: no piece has id 'nosuch'; nothing was marked" ] \
	|| fail "returned with an unknown id: $(cat ret.err)"
got=$(q "SELECT count(*) FROM pieces WHERE status <> 'sent' OR returned_at IS NOT NULL")
[ "$got" = 0 ] || fail "returned with an unknown id marked $got pieces"

"$envoi" ledger ledger.db returned j1 j3 >ret.out 2>ret.err; rc=$?
[ $rc -eq 0 ] || fail "returned: exit $rc: $(cat ret.err)"
[ "$(cat ret.out)" = "marked 2 pieces returned in ledger.db" ] || fail "returned said: $(cat ret.out)"
got=$(q "SELECT run, seq, id, status, returned_at GLOB '20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z' FROM pieces WHERE id IN ('j1', 'j3') ORDER BY run, seq")
want='1|1|j1|sent|NULL
1|3|j3|returned|1
2|1|j1|returned|1'
[ "$got" = "$want" ] || fail "returned: the ledger has
$got"
"$envoi" ledger ledger.db returned j1 >/dev/null 2>ret.err; rc=$?
[ $rc -eq 0 ] && grep -q "^envoi: ledger.db: note: id 'j1' (piece 1 of run 2) was marked returned already, at 20" ret.err \
	|| fail "returned twice: exit $rc: $(cat ret.err)"

# show again: the returns and the tracking numbers counted.
sed -i -e '7s/.*/  pieces     3: 2 sent, 1 returned/' \
       -e '17s/.*/  pieces     5: 4 sent, 1 returned/' -e '19s/.*/  tracking   2 of 5 pieces/' \
       -e '22s/.*/  pieces     8: 6 sent, 2 returned/' -e '24s/.*/  tracking   2 of 8 pieces/' show.want
expect_show "show after the imports and returns"

# 6. What cannot be used: exit 2, and no file made.
"$envoi" ledger missing.db show >/dev/null 2>e.err; rc=$?
[ $rc -eq 2 ] && [ ! -e missing.db ] && grep -q '^envoi: missing.db: error: no such ledger' e.err \
	|| fail "missing ledger: exit $rc: $(cat e.err)"
head -c 3000 /dev/urandom >noise.bin
"$envoi" ledger noise.bin show >/dev/null 2>e.err; rc=$?
[ $rc -eq 2 ] && [ "$(cat e.err)" = "envoi: noise.bin: error: is not an envoi ledger (not an SQLite database at all); name a new file or one an envoi batch made" ] \
	|| fail "noise: exit $rc: $(cat e.err)"
"$envoi" ledger ledger.db import-tracking nope.csv >/dev/null 2>e.err; rc=$?
[ $rc -eq 2 ] && grep -q '^envoi: nope.csv: error: cannot open' e.err || fail "missing CSV: exit $rc: $(cat e.err)"
"$envoi" ledger ledger.db frob >/dev/null 2>e.err; rc=$?
[ $rc -eq 2 ] && grep -q "unknown command 'frob'" e.err || fail "unknown verb: exit $rc: $(cat e.err)"
"$envoi" ledger >/dev/null 2>e.err; rc=$?
[ $rc -eq 2 ] || fail "no arguments: exit $rc"
"$envoi" ledger --help | grep -q 'LATEST run' || fail "ledger --help"
"$envoi" --help | grep -q 'envoi ledger FILE import-tracking CSV' || fail "--help has no ledger"

[ $fails -eq 0 ] && echo "ledger.sh: ok"
exit $((fails > 0))
