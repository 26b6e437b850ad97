# lib.sh - what every end-to-end script starts with, sourced with the
# script's own arguments (ENVOI SOURCE_ROOT): unset variables are errors,
# text is C.UTF-8, $tmp is a folder removed on exit, and fail() reports a
# failure and counts it in $fails.
set -u
export LC_ALL=C.UTF-8
envoi=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
