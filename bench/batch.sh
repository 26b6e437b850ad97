#!/usr/bin/env bash
# batch.sh - benchmark (not a test): the full 413-letter batch, printing
# wall time, letters per second, peak memory and bytes per letter.
# Usage: bench/batch.sh [BUILDDIR] [LIST]   (default: build, the sample)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
list=${2:-$root/recipients/judges.csv}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export ENVOI_FONTDIR=$root/fonts
rows=$(($(wc -l < "$list") - 1))
best=
for run in 1 2 3; do
	rm -rf "$out/o"
	/usr/bin/time -f '%e %M' -o "$out/time" \
		"$build/src/envoi" batch "$root/letters/judges-appeal.md" "$list" -o "$out/o" -q
	read -r secs kb < "$out/time"
	echo "run $run: ${secs} s, peak ${kb} KB"
	if [ -z "$best" ] || awk "BEGIN {exit !($secs < $best)}"; then best=$secs bestkb=$kb; fi
done
letters=$(ls "$out/o/letters" | wc -l)
bytes=$(du -cb "$out"/o/letters/*.pdf | tail -1 | cut -f1)
awk -v s="$best" -v n="$letters" -v b="$bytes" -v kb="$bestkb" -v rows="$rows" 'BEGIN {
	printf "rows: %d, letters: %d\n", rows, n
	printf "wall time (best of 3): %.2f s\n", s
	printf "letters per second: %.0f\n", n / s
	printf "peak memory: %.1f MB\n", kb / 1024
	printf "bytes per letter: %.0f (%.1f KB)\n", b / n, b / n / 1024
}'
