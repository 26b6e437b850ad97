#!/usr/bin/env bash
# translit.sh - benchmark (not a test): 100,000 full names (surname, given
# name, patronymic from the fictional-judges generator) through
# `envoi translit` for several schemes, printing names per second and peak
# memory. Usage: bench/translit.sh [BUILDDIR] [N]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
n=${2:-100000}
gen=${GEN:-$root/recipients/gen-judges.py}   # the sample list's generator
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$gen" "$n" --seed 7 | python3 -c '
import csv, sys
for r in csv.DictReader(sys.stdin):
    print(r["surname"], r["given_name"], r["patronymic"])' >"$tmp/names"
echo "names: $(wc -l < "$tmp/names") ($(wc -c < "$tmp/names") bytes)"
for scheme in by-passport icao-ru by-national bgn-pcgn-ru iso9 gost-b ascii; do
	/usr/bin/time -f '%e %M' -o "$tmp/time" \
		"$build/src/envoi" translit --scheme "$scheme" <"$tmp/names" >"$tmp/out"
	read -r secs kb <"$tmp/time"
	lines=$(wc -l <"$tmp/out")
	rate=$(awk "BEGIN {printf \"%d\", $lines / ($secs > 0 ? $secs : 0.01)}")
	printf '%-12s %6s s  %8s names/s  peak %s KB\n' "$scheme" "$secs" "$rate" "$kb"
done
"$build/src/envoi" translit --scheme iso9 <"$tmp/names" >"$tmp/iso"
/usr/bin/time -f '%e %M' -o "$tmp/time" \
	"$build/src/envoi" translit --scheme iso9 --reverse <"$tmp/iso" >"$tmp/back"
read -r secs kb <"$tmp/time"
printf '%-12s %6s s  (reverse)  peak %s KB\n' "iso9 back" "$secs" "$kb"
