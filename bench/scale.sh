#!/usr/bin/env bash
# scale.sh - benchmark (not a test): `envoi batch` on the 413-row sample and
# on N generated rows (../shared/bench/gen-recipients.py, deterministic),
# printing for each wall time, letters per second (and per core), peak RSS
# and bytes per letter, then the per-letter time at N against 413.
#
# Builds nothing. N = 100,000 takes long (about 17 min at 10 ms a letter) and
# needs room in TMPDIR for N letters plus print.pdf (about 90 KB a letter
# today: some 9 GB); try N=2000 first.
# Usage: bench/scale.sh [ENVOI] [N]    (default: build/src/envoi, 100000)
# Environment: THREADS (passed as --threads only if `envoi --help` offers
# it; else the run is single-threaded), BENCH_DIR (default ../shared/bench),
# PYTHON (default python3).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
envoi=${1:-$root/build/src/envoi}
n=${2:-100000}
bench=${BENCH_DIR:-$root/../shared/bench}
python=${PYTHON:-python3}
[ -x "$envoi" ] || { echo "scale.sh: no envoi binary at $envoi" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ENVOI_FONTDIR=$root/fonts

threads=1
opts=()
if [ -n "${THREADS:-}" ]; then
	if "$envoi" --help | grep -q -- '--threads'; then
		threads=$THREADS
		opts=(--threads "$THREADS")
	else
		echo "scale.sh: this envoi has no --threads; running with one thread" >&2
	fi
fi
cores=$(nproc)
# Letters per core: divided by the threads that can run at once.
percore=$(( threads < cores ? threads : cores ))

"$python" "$bench/gen-recipients.py" "$n" >"$tmp/list.csv"
echo "envoi: $envoi; threads: $threads (of $cores cores)"
echo "generated list: $n rows, $(wc -c <"$tmp/list.csv") bytes"

# one NAME LIST: a timed batch into $tmp/NAME; prints a line of figures and
# leaves "secs letters" in $tmp/NAME.res. The output is removed afterwards.
one() {
	local name=$1 list=$2 secs kb letters bytes
	rm -rf "${tmp:?}/${name:?}"
	if ! /usr/bin/time -f '%e %M' -o "$tmp/time" "$envoi" batch \
		"$root/letters/judges-appeal.md" "$list" -o "$tmp/$name" -q "${opts[@]}" \
		>"$tmp/log" 2>&1; then
		# Exit status 1 = some rows rejected; the batch still ran.
		[ -d "$tmp/$name/letters" ] || { cat "$tmp/log" >&2; exit 1; }
	fi
	# time writes "Command exited with non-zero status 1" first then.
	read -r secs kb < <(tail -n 1 "$tmp/time")
	read -r letters bytes < <(find "$tmp/$name/letters" -name '*.pdf' -printf '%s\n' |
		awk '{n++; b += $1} END {print n + 0, b + 0}')
	awk -v name="$name" -v s="$secs" -v kb="$kb" -v n="$letters" -v b="$bytes" \
		-v pc="$percore" 'BEGIN {
		if (s <= 0) s = 0.01
		printf "%-6s %8d letters %9.2f s %9.1f letters/s %8.1f /core %8.1f MB %8.0f B/letter\n",
			name, n, s, n / s, n / s / pc, kb / 1024, n ? b / n : 0 }'
	echo "$secs $letters" >"$tmp/$name.res"
	rm -rf "${tmp:?}/${name:?}"
}

one 413 "$root/recipients/judges.csv"
one "$n" "$tmp/list.csv"
read -r s1 n1 <"$tmp/413.res"
read -r s2 n2 <"$tmp/$n.res"
awk -v s1="$s1" -v n1="$n1" -v s2="$s2" -v n2="$n2" -v n="$n" 'BEGIN {
	printf "per-letter time, %d rows against 413: %.2f (1.00 = linear)\n",
		n, (s2 / n2) / (s1 / n1) }'
