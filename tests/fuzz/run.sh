#!/usr/bin/env bash
# run.sh [SECONDS] [TARGET] - fuzz with libFuzzer (clang, ASan, UBSan) for
# SECONDS (default 600); TARGET is recipients (the list reader, default),
# translit (the transliteration engine), template (the letter parser and
# the merge), decline (names in the dative), batch (check, then the whole
# batch path on the list bytes, with tests/fuzz/batch-letter.md and the
# bundled fonts) or letter (check, then the whole batch on one thread and
# on two on the letter bytes, with a fixed list of five and the bundled
# fonts). Starts from the checked-in corpus tests/fuzz/corpus/TARGET;
# new interesting inputs go to build-fuzz/corpus-TARGET, not into the tree.
# A crash leaves crash-* in build-fuzz and a non-zero exit.
set -eu
cd "$(dirname "$0")/../.."
secs=${1:-600}
target=${2:-recipients}
if [ ! -d build-fuzz ]; then
	CC=clang meson setup build-fuzz -Dfuzz=true -Db_sanitize=address,undefined \
		-Db_lundef=false -Dbuildtype=debugoptimized >/dev/null
fi
ninja -C build-fuzz "tests/fuzz/fuzz-$target" >/dev/null
mkdir -p "build-fuzz/corpus-$target"
export ENVOI_FONTDIR="${ENVOI_FONTDIR:-$PWD/fonts}"
cd build-fuzz
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
"./tests/fuzz/fuzz-$target" -max_total_time="$secs" -max_len=4096 -timeout=10 \
	-rss_limit_mb=2048 -print_final_stats=1 \
	"corpus-$target" "../tests/fuzz/corpus/$target"
