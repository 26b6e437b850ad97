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

[ "$fails" -eq 0 ] && echo "print: all passed"
exit $((fails > 0))
