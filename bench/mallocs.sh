#!/usr/bin/env bash
# mallocs.sh - benchmark (not a test): how often `envoi batch` calls the
# allocator, for issue 15's "no allocation in the per-letter path". Runs
# the batch on one thread (--threads 1) on N and on 2N generated rows
# (recipients/gen-judges.py; N = 413 is the sample, byte for byte) under
# an LD_PRELOAD shim (bench/malloc-count.c, compiled here with cc into a
# temporary folder) that counts malloc, calloc, realloc, free and the
# aligned allocators and the bytes asked for, in every thread and library
# (libharu, HarfBuzz, zlib, libc's own); prints the totals of each run and
# the calls per letter in steady state: (calls at 2N - calls at N) /
# (letters at 2N - letters at N).
#
# What differs between N and 2N besides the letters: the print file is
# cut into volumes of 500 letters. So with N = 413 the steady state
# includes a second volume; a larger N (2000: 4 against 8 volumes)
# measures the long run.
#
# Builds nothing of envoi. Needs cc and glibc.
# Usage: bench/mallocs.sh [ENVOI] [N]    (default: build/src/envoi, 413)
# Environment: GEN (the generator, default recipients/gen-judges.py),
# PYTHON (default python3), CC (default cc).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
envoi=${1:-$root/build/src/envoi}
n=${2:-413}
gen=${GEN:-$root/recipients/gen-judges.py}
python=${PYTHON:-python3}
[ -x "$envoi" ] || { echo "mallocs.sh: no envoi binary at $envoi" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ENVOI_FONTDIR=$root/fonts
"${CC:-cc}" -O2 -shared -fPIC -o "$tmp/malloc-count.so" "$root/bench/malloc-count.c"

# one ROWS: the batch on ROWS generated rows under the shim; leaves
# "NAME COUNT" lines and "letters L" in $tmp/ROWS.count.
one() {
	local rows=$1
	"$python" "$gen" "$rows" >"$tmp/list.csv"
	rm -rf "$tmp/out"
	if ! MALLOC_COUNT_OUT=$tmp/$rows.count LD_PRELOAD=$tmp/malloc-count.so \
		"$envoi" batch "$root/letters/judges-appeal.md" "$tmp/list.csv" -o "$tmp/out" \
		-q --threads 1 >"$tmp/log" 2>&1; then
		# Exit status 1 = some rows rejected (duplicates); the batch still ran.
		[ -d "$tmp/out/letters" ] || { cat "$tmp/log" >&2; exit 1; }
	fi
	[ -s "$tmp/$rows.count" ] || { echo "mallocs.sh: the shim wrote no counts" >&2; exit 1; }
	echo "letters $(find "$tmp/out/letters" -name '*.pdf' | wc -l)" >>"$tmp/$rows.count"
}

one "$n"
one $((2 * n))
echo "envoi: $envoi, --threads 1; rows $n and $((2 * n)) from $(basename "$gen")"
awk -v n="$n" -v f1="$tmp/$n.count" -v f2="$tmp/$((2 * n)).count" 'BEGIN {
	while ((getline line < f1) > 0) { split(line, w, " "); a[w[1]] = w[2]; order[++k] = w[1] }
	while ((getline line < f2) > 0) { split(line, w, " "); b[w[1]] = w[2] }
	la = a["letters"]; lb = b["letters"]; dl = lb - la
	printf "%-22s %14s %14s %16s\n", "", n " rows", 2 * n " rows", "per letter, N..2N"
	printf "%-22s %14d %14d %16d\n", "letters", la, lb, dl
	for (i = 1; i <= k; i++) {
		key = order[i]
		if (key == "letters" || key == "bytes") continue
		ta += a[key]; tb += b[key]
		if (key !~ /^free/) { aa += a[key]; ab += b[key] }
		printf "%-22s %14d %14d %16.1f\n", key, a[key], b[key], dl ? (b[key] - a[key]) / dl : 0
	}
	printf "%-22s %14d %14d %16.1f\n", "allocations", aa, ab, dl ? (ab - aa) / dl : 0
	printf "%-22s %14d %14d %16.1f\n", "all calls", ta, tb, dl ? (tb - ta) / dl : 0
	printf "%-22s %14d %14d %16.0f\n", "bytes asked for", a["bytes"], b["bytes"],
		dl ? (b["bytes"] - a["bytes"]) / dl : 0
	printf "(allocations: malloc, calloc, realloc, aligned; all calls: with the frees)\n"
	printf "allocations per letter, whole run: %.1f at %d rows, %.1f at %d rows\n",
		la ? aa / la : 0, n, lb ? ab / lb : 0, 2 * n
	per = dl ? (ab - aa) / dl : 0
	verdict = dl && per < 1 ? "met" : sprintf("not met (%.0f allocations a letter)", per)
	printf "issue 15 goal: no allocation per letter in steady state: %s\n", verdict
}'
