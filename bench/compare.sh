#!/usr/bin/env bash
# compare.sh - benchmark (not a test): envoi against the ReportLab peer
# baseline (bench/reportlab/letters.py) on 413 letters, runs alternating
# (ReportLab, envoi, ReportLab, envoi, ...) for K rounds on the same machine,
# each timed by /usr/bin/time after a `sync` (untimed), so neither run waits
# for the other's files to reach the disk; prints per-round and median wall time, peak
# RSS, bytes per letter, and the ratio envoi / ReportLab (issue 6: <= 0.10).
#
# The two jobs are the same size (413 rows: recipients/judges.csv is
# byte-identical to ../shared/bench/recipients-413.csv) but envoi does
# strictly more: justified text with hyphenation, transliteration by a
# standard (names and places), checks of every row, a letterhead, return
# line and reference, and print.pdf (all letters in one file) besides the
# letters, labels and manifest.
#
# Builds nothing. Needs python3-reportlab (Debian, run by /usr/bin/python3)
# and the `time` package.
# Usage: bench/compare.sh [ENVOI]    (default: build/src/envoi)
# Environment: K (rounds, default 5), BENCH_DIR (default ../shared/bench),
# PYTHON (default /usr/bin/python3).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
envoi=${1:-$root/build/src/envoi}
k=${K:-5}
bench=${BENCH_DIR:-$root/../shared/bench}
python=${PYTHON:-/usr/bin/python3}
[ -x "$envoi" ] || { echo "compare.sh: no envoi binary at $envoi" >&2; exit 2; }
"$python" -c 'import reportlab' 2>/dev/null ||
	{ echo "compare.sh: $python has no reportlab (apt-get install python3-reportlab)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ENVOI_FONTDIR=$root/fonts

# run NAME CMD...: one timed run; appends "secs kb" to $tmp/NAME.times.
# Each run writes into a new folder, and all are removed at the end:
# deleting the last run's files just before a run makes a filesystem
# without a journal (this machine's ext4) skip the recently deleted inodes
# on every file it creates, which measures the filesystem, not the program.
run() {
	local name=$1; shift
	# Start each run with nothing waiting to be written: envoi syncs its
	# output before moving it into place (syncfs), and would otherwise
	# also wait for the files the ReportLab run just left in the cache.
	sync
	if ! /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >"$tmp/log" 2>&1; then
		echo "compare.sh: $name failed:" >&2; cat "$tmp/log" >&2; exit 1
	fi
	cat "$tmp/time" >>"$tmp/$name.times"
}

# letters_bytes DIR: "letters total-bytes" of DIR/letters/*.pdf
letters_bytes() {
	find "$1/letters" -name '*.pdf' -printf '%s\n' | awk '{n++; b += $1} END {print n, b}'
}

printf '%-6s %22s %22s %8s\n' round "ReportLab s / KB" "envoi s / KB" ratio
for i in $(seq "$k"); do
	run rl "$python" "$root/bench/reportlab/letters.py" "$bench/recipients-413.csv" \
		"$bench/letter.md" "$root/fonts/PTF55F.ttf" "$tmp/rl$i"
	run ev "$envoi" batch "$root/letters/judges-appeal.md" "$root/recipients/judges.csv" \
		-o "$tmp/ev$i" -q
	read -r rs rk < <(tail -1 "$tmp/rl.times")
	read -r es ek < <(tail -1 "$tmp/ev.times")
	awk -v i="$i" -v rs="$rs" -v rk="$rk" -v es="$es" -v ek="$ek" 'BEGIN {
		printf "%-6d %12.2f / %7d %12.2f / %7d %8.3f\n", i, rs, rk, es, ek, es / rs }'
done
read -r rn rb < <(letters_bytes "$tmp/rl$k")
read -r en eb < <(letters_bytes "$tmp/ev$k")

# median FILE COLUMN
median() {
	cut -d' ' -f"$2" "$1" | sort -g | awk '{v[NR] = $1} END {
		print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}
rs=$(median "$tmp/rl.times" 1) rk=$(median "$tmp/rl.times" 2)
es=$(median "$tmp/ev.times" 1) ek=$(median "$tmp/ev.times" 2)
awk -v k="$k" -v rs="$rs" -v rk="$rk" -v rn="$rn" -v rb="$rb" \
	-v es="$es" -v ek="$ek" -v en="$en" -v eb="$eb" 'BEGIN {
	printf "\nmedian of %d rounds   %12s %12s\n", k, "ReportLab", "envoi"
	printf "letters               %12d %12d\n", rn, en
	printf "wall time (s)         %12.2f %12.2f\n", rs, es
	printf "letters per second    %12.1f %12.1f\n", rn / rs, en / es
	printf "peak RSS (MB)         %12.1f %12.1f\n", rk / 1024, ek / 1024
	printf "bytes per letter      %12.0f %12.0f\n", rb / rn, eb / en
	printf "ratio envoi / ReportLab (median wall): %.3f (goal <= 0.10)\n", es / rs
}'
