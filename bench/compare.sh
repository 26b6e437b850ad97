#!/usr/bin/env bash
# compare.sh - benchmark (not a test): envoi against the ReportLab peer
# baseline (bench/reportlab/letters.py) on 413 letters, runs alternating
# (ReportLab, envoi, ReportLab, envoi, ...) for K rounds on the same machine,
# each timed whole-process by /usr/bin/time after a `sync` (untimed), so
# neither run waits for the other's files to reach the disk. Prints each
# round's times and its paired ratio envoi / ReportLab, the median of the
# paired ratios and the ratio of the medians against issue 15's goal
# (<= 0.04), peak RSS and bytes per letter; then where envoi's time went:
# the median of each phase over the K envoi runs, which run with
# --timings (a clock read per phase change; nothing else differs).
#
# The two jobs are the same size (413 rows: recipients/judges.csv is
# byte-identical to ../shared/bench/recipients-413.csv) but envoi does
# strictly more: justified text with hyphenation, transliteration by a
# standard (names and places), checks of every row, a letterhead, return
# line and reference, postage, and besides the letters, labels and
# manifest it writes print.pdf, proof.pdf, postage.json and
# posting-list.pdf, and syncs its folder before moving it into place (the
# files of the last round are listed at the end).
#
# Builds nothing. Needs python3-reportlab (Debian, run by /usr/bin/python3)
# and the `time` package.
# Usage: bench/compare.sh [ENVOI]    (default: build/src/envoi)
# Environment: K (rounds, default 5), BENCH_DIR (default ../shared/bench),
# PYTHON (default /usr/bin/python3), THREADS (envoi's --threads; default:
# envoi's own, one per core).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
envoi=${1:-$root/build/src/envoi}
k=${K:-5}
bench=${BENCH_DIR:-$root/../shared/bench}
python=${PYTHON:-/usr/bin/python3}
goal=0.04
[ -x "$envoi" ] || { echo "compare.sh: no envoi binary at $envoi" >&2; exit 2; }
"$python" -c 'import reportlab' 2>/dev/null ||
	{ echo "compare.sh: $python has no reportlab (apt-get install python3-reportlab)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ENVOI_FONTDIR=$root/fonts
threads=()
[ -n "${THREADS:-}" ] && threads=(--threads "$THREADS")

# run NAME LOG CMD...: one timed run, its output in LOG; appends "secs kb"
# to $tmp/NAME.times.
# Each run writes into a new folder, and all are removed at the end:
# deleting the last run's files just before a run makes a filesystem
# without a journal (this machine's ext4) skip the recently deleted inodes
# on every file it creates, which measures the filesystem, not the program.
run() {
	local name=$1 log=$2; shift 2
	# Start each run with nothing waiting to be written: envoi syncs its
	# output before moving it into place (syncfs), and would otherwise
	# also wait for the files the ReportLab run just left in the cache.
	sync
	if ! /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >"$log" 2>&1; then
		echo "compare.sh: $name failed:" >&2; cat "$log" >&2; exit 1
	fi
	cat "$tmp/time" >>"$tmp/$name.times"
}

# letters_bytes DIR: "letters total-bytes" of DIR/letters/*.pdf
letters_bytes() {
	find "$1/letters" -name '*.pdf' -printf '%s\n' | awk '{n++; b += $1} END {print n, b}'
}

# median: of the numbers on standard input, one a line
median() {
	sort -g | awk '{v[NR] = $1} END {
		if (!NR) { print 0; exit }
		print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

echo "envoi: $envoi, --threads ${THREADS:-(one per core)}; $(nproc) cores; $k rounds," \
	"ReportLab first in each; load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s %22s %22s %12s\n' round "ReportLab s / KB" "envoi s / KB" "paired ratio"
for i in $(seq "$k"); do
	run rl "$tmp/rl$i.log" "$python" "$root/bench/reportlab/letters.py" \
		"$bench/recipients-413.csv" "$bench/letter.md" "$root/fonts/PTF55F.ttf" "$tmp/rl$i"
	run ev "$tmp/ev$i.log" "$envoi" batch "$root/letters/judges-appeal.md" \
		"$root/recipients/judges.csv" -o "$tmp/ev$i" -q --timings ${threads[@]+"${threads[@]}"}
	read -r rs rk < <(tail -1 "$tmp/rl.times")
	read -r es ek < <(tail -1 "$tmp/ev.times")
	awk -v rs="$rs" -v es="$es" 'BEGIN { print es / rs }' >>"$tmp/ratios"
	awk -v i="$i" -v rs="$rs" -v rk="$rk" -v es="$es" -v ek="$ek" 'BEGIN {
		printf "%-6d %12.2f / %7d %12.2f / %7d %12.3f\n", i, rs, rk, es, ek, es / rs }'
done
read -r rn rb < <(letters_bytes "$tmp/rl$k")
read -r en eb < <(letters_bytes "$tmp/ev$k")

rs=$(cut -d' ' -f1 "$tmp/rl.times" | median) rk=$(cut -d' ' -f2 "$tmp/rl.times" | median)
es=$(cut -d' ' -f1 "$tmp/ev.times" | median) ek=$(cut -d' ' -f2 "$tmp/ev.times" | median)
pr=$(median <"$tmp/ratios")
lo=$(sort -g "$tmp/ratios" | head -1) hi=$(sort -g "$tmp/ratios" | tail -1)
awk -v k="$k" -v rs="$rs" -v rk="$rk" -v rn="$rn" -v rb="$rb" -v es="$es" -v ek="$ek" \
	-v en="$en" -v eb="$eb" -v pr="$pr" -v lo="$lo" -v hi="$hi" -v goal="$goal" 'BEGIN {
	printf "\nmedian of %d rounds   %12s %12s\n", k, "ReportLab", "envoi"
	printf "letters               %12d %12d\n", rn, en
	printf "wall time (s)         %12.2f %12.2f\n", rs, es
	printf "letters per second    %12.1f %12.1f\n", rn / rs, en / es
	printf "peak RSS (MB)         %12.1f %12.1f\n", rk / 1024, ek / 1024
	printf "bytes per letter      %12.0f %12.0f\n", rb / rn, eb / en
	printf "envoi / ReportLab, median of the %d paired ratios: %.3f (rounds %.3f to %.3f)\n",
		k, pr, lo, hi
	printf "envoi / ReportLab, ratio of the median wall times: %.3f\n", es / rs
	verdict = pr <= goal ? "met" : sprintf("not met (%.1f times the goal)", pr / goal)
	if (k < 5)
		verdict = verdict ", but not judged: fewer than 5 rounds"
	printf "issue 15 goal: <= %.2f (median of >= 5 paired ratios): %s\n", goal, verdict
}'

# Where envoi's time went: each phase's median over the K runs (seconds
# summed over the threads), and its share of their sum.
echo
echo "envoi's --timings, median of each figure over the $k timed runs:"
phases=(read 'lay out' encode deflate write other 'all phases' waiting 'cpu time' 'wall time')
for ph in "${phases[@]}"; do
	for i in $(seq "$k"); do
		sed -n "s/^envoi:   $ph  *\([0-9.]*\) s.*/\1/p" "$tmp/ev$i.log"
	done | median >"$tmp/phase"
	echo "$ph $(cat "$tmp/phase")"
done | awk '{ s = $NF; $NF = ""; sub(/ $/, ""); name[NR] = $0; v[NR] = s
	if (NR <= 6) all += s }
	END { for (i = 1; i <= NR; i++)
		if (i <= 6) printf "  %-11s %7.3f s %6.1f %%\n", name[i], v[i], all ? 100 * v[i] / all : 0
		else printf "  %-11s %7.3f s\n", name[i], v[i]
		print "  (shares: of the sum of the phases'"'"' medians; waiting: threads idle, not in"
		print "  the sum; phases are clock time on each thread, so on a busy machine their"
		print "  sum exceeds the cpu time by the time the threads waited for a core)" }'
sed -n 's/^envoi:   wall time  *[0-9.]* s; /  last run: /p' "$tmp/ev$k.log"

# What the envoi job made: the last round's folder.
echo
echo "the envoi job's outputs (round $k): letters/ ($en PDFs), $(cd "$tmp/ev$k" &&
	find . -maxdepth 1 -type f -printf '%P\n' | sort | paste -sd ' ')"
echo "the ReportLab job's outputs (round $k): letters/ ($rn PDFs), $(cd "$tmp/rl$k" &&
	find . -maxdepth 1 -type f -printf '%P\n' | sort | paste -sd ' ')"
