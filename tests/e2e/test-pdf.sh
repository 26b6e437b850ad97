#!/bin/sh
# test-pdf.sh - end-to-end check of the PDF writer with other people's tools:
# runs the unit program tests/unit/test-pdf, then reads its PDF back with
# poppler (pdftotext, pdffonts, pdfinfo) and qpdf.
#
# usage: test-pdf.sh PATH/TO/test-pdf [FONT_DIR]
set -u

prog=${1:?usage: test-pdf.sh PATH/TO/test-pdf [FONT_DIR]}
fonts=${2:-/usr/share/fonts/truetype/paratype}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
status=0

fail() {
	echo "test-pdf.sh: FAIL: $*" >&2
	status=1
}

# Print a file's contents indented, for a failure message.
show() {
	sed 's/^/    /' "$1" >&2
}

"$prog" "$tmp/out.pdf" "$fonts" >"$tmp/prog.out" 2>"$tmp/prog.err"
rc=$?
if [ "$rc" -ne 0 ]; then
	fail "$prog exited with status $rc"
	show "$tmp/prog.err"
	exit 1
fi
[ -s "$tmp/prog.err" ] && { fail "$prog wrote to stderr"; show "$tmp/prog.err"; }

# Text, in reading order, exactly as tests/unit/test-pdf.c lays it out; the
# form feed ends each page. Any warning (such as poppler's complaint about
# libharu's own ToUnicode CMap) fails the test.
{
	cat <<'EOF'
Шаноўны спадар Ўладзімір Ёрш!
Беларуская: і ў Ў ё, п’еса, сям’я, Мінск.
Русский: съёмка, объявление, Щёлково.
«Цытата» — № 42

Herrn Jürgen Müller
Łukasz Wiśniewski, İstanbul

EOF
	printf '\f'
	cat <<'EOF'
Östgruppen AB
З павагай, Аляксей

№ 7 «Ўсё» — канец.
АБВГДЕЁЖЗИЙКЛМНОПРСТУЎФХЦЧШЩЪЫЬЭЮЯІ абвгдеёжзийклмнопрстуўфхцчшщъыьэюяі
ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789

EOF
	printf '\f'
} >"$tmp/expected.txt"
if ! pdftotext -enc UTF-8 "$tmp/out.pdf" "$tmp/got.txt" 2>"$tmp/pdftotext.err"; then
	fail "pdftotext failed"
fi
if [ -s "$tmp/pdftotext.err" ]; then
	fail "pdftotext printed warnings:"
	show "$tmp/pdftotext.err"
fi
if ! cmp -s "$tmp/expected.txt" "$tmp/got.txt"; then
	fail "pdftotext text differs (- expected, + got):"
	diff -u "$tmp/expected.txt" "$tmp/got.txt" | tail -n +3 >&2
fi

# Every face embedded, subset, with a Unicode map.
pdffonts "$tmp/out.pdf" >"$tmp/fonts.txt" 2>&1 || fail "pdffonts failed"
for face in PTSerif-Regular PTSerif-Bold PTSerif-Italic PTSerif-BoldItalic; do
	line=$(grep "+${face}[ ,]" "$tmp/fonts.txt")
	if [ -z "$line" ]; then
		fail "pdffonts does not list $face"
	elif ! printf '%s\n' "$line" | grep -Eq 'Identity-H +yes +yes +yes '; then
		fail "$face is not emb yes / sub yes / uni yes: $line"
	fi
done
[ "$(grep -c '+PTSerif' "$tmp/fonts.txt")" -eq 4 ] ||
	{ fail "expected exactly 4 fonts:"; show "$tmp/fonts.txt"; }

# Two A4 pages, the metadata, and no date anywhere (determinism).
info_ok=1
pdfinfo "$tmp/out.pdf" >"$tmp/info.txt" 2>&1 || info_ok=0
for want in '^Pages: +2$' '^Page size: +595\.2[0-9]* x 841\.89[0-9]* pts \(A4\)$' \
	'^Title: +Ліст$' '^Author: +Ўладзімір Ёрш$' '^Creator: +envoi$'; do
	grep -Eq "$want" "$tmp/info.txt" || { fail "pdfinfo lacks /$want/"; info_ok=0; }
done
if grep -Eq 'CreationDate|ModDate' "$tmp/info.txt"; then
	fail "the PDF carries a date"
	info_ok=0
fi
[ "$info_ok" -eq 1 ] || show "$tmp/info.txt"

# A clean bill of health from qpdf, and no trailer /ID.
if ! qpdf --check "$tmp/out.pdf" >"$tmp/qpdf.txt" 2>&1; then
	fail "qpdf --check:"
	show "$tmp/qpdf.txt"
elif ! grep -q 'No syntax or stream encoding errors' "$tmp/qpdf.txt"; then
	fail "qpdf --check is not clean:"
	show "$tmp/qpdf.txt"
fi
if qpdf --show-object=trailer "$tmp/out.pdf" 2>/dev/null | grep -q '/ID'; then
	fail "the trailer has an /ID"
fi

[ "$status" -eq 0 ] && echo "test-pdf.sh: ok"
exit "$status"
