#!/usr/bin/env bash
# run.sh [SECONDS] - fuzz the recipient reader with libFuzzer (clang, ASan,
# UBSan) for SECONDS (default 600), starting from the checked-in corpus.
# New interesting inputs go to build-fuzz/corpus-new, not into the tree;
# copy the ones worth keeping into tests/fuzz/corpus/recipients. A crash
# leaves crash-* in build-fuzz and a non-zero exit.
set -eu
cd "$(dirname "$0")/../.."
secs=${1:-600}
if [ ! -d build-fuzz ]; then
	CC=clang meson setup build-fuzz -Dfuzz=true -Db_sanitize=address,undefined \
		-Db_lundef=false -Dbuildtype=debugoptimized >/dev/null
fi
ninja -C build-fuzz tests/fuzz/fuzz-recipients >/dev/null
mkdir -p build-fuzz/corpus-new
cd build-fuzz
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
./tests/fuzz/fuzz-recipients -max_total_time="$secs" -max_len=4096 -timeout=10 \
	-rss_limit_mb=2048 -print_final_stats=1 \
	corpus-new ../tests/fuzz/corpus/recipients
