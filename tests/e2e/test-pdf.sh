#!/bin/sh
# test-pdf.sh - end-to-end check of the PDF writer with other people's tools:
# runs the unit program tests/unit/test-pdf, then reads its PDF back with
# poppler (pdftotext, pdffonts, pdfinfo) and qpdf; then its second PDF, set
# in PT Serif with DejaVu Serif drawing what PT Serif lacks, checked against
# the font files' own metrics read with fontTools.
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

"$prog" "$tmp/out.pdf" "$fonts" "$tmp/fallback.pdf" "$tmp/positions.txt" >"$tmp/prog.out" 2>"$tmp/prog.err"
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

# Two A4 pages, PDF 1.5 (object streams), the metadata set and nothing
# else in the information dictionary: no date (determinism), no producer.
info_ok=1
pdfinfo "$tmp/out.pdf" >"$tmp/info.txt" 2>&1 || info_ok=0
for want in '^Pages: +2$' '^Page size: +595\.2[0-9]* x 841\.89[0-9]* pts \(A4\)$' \
	'^Title: +Ліст$' '^Author: +Ўладзімір Ёрш$' '^Subject: +Test$' '^PDF version: +1\.5$'; do
	grep -Eq "$want" "$tmp/info.txt" || { fail "pdfinfo lacks /$want/"; info_ok=0; }
done
if grep -Eq 'CreationDate|ModDate|Creator|Producer' "$tmp/info.txt"; then
	fail "the PDF's information says more than the campaign set"
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

# ---- the fallback letter ----
fb=$tmp/fallback.pdf
printf '%s\n' "Dear Jiřǎ Kovačević, ǯ and ẽ" "Bold ǎ" "Italic ǯ" "Both ẽ" \
	"Georgian ქართული, Armenian Հայերեն" "Jiřǎ ǯẽ Kovačević ẽnd" "" >"$tmp/fb-expected.txt"
printf '\f' >>"$tmp/fb-expected.txt"
pdftotext -enc UTF-8 "$fb" "$tmp/fb-got.txt" 2>"$tmp/fb-pdftotext.err" || fail "pdftotext failed on the fallback letter"
[ -s "$tmp/fb-pdftotext.err" ] && { fail "pdftotext warned on the fallback letter:"; show "$tmp/fb-pdftotext.err"; }
cmp -s "$tmp/fb-expected.txt" "$tmp/fb-got.txt" ||
	{ fail "fallback letter text differs:"; diff -u "$tmp/fb-expected.txt" "$tmp/fb-got.txt" | tail -n +3 >&2; }
pdffonts "$fb" >"$tmp/fb-fonts.txt" 2>&1 || fail "pdffonts failed on the fallback letter"
for face in PTSerif-Regular PTSerif-Bold PTSerif-Italic PTSerif-BoldItalic \
	DejaVuSerif DejaVuSerif-Bold DejaVuSerif-Italic DejaVuSerif-BoldItalic; do
	line=$(grep -E "\+${face} " "$tmp/fb-fonts.txt")
	if [ -z "$line" ]; then
		fail "pdffonts does not list $face in the fallback letter"
	elif ! printf '%s\n' "$line" | grep -Eq 'Identity-H +yes +yes +yes '; then
		fail "$face is not emb yes / sub yes / uni yes: $line"
	fi
done
[ "$(grep -c '+DejaVuSerif' "$tmp/fb-fonts.txt")" -eq 4 ] ||
	{ fail "expected 4 DejaVu Serif fonts:"; show "$tmp/fb-fonts.txt"; }
qpdf --check "$fb" >"$tmp/fb-qpdf.txt" 2>&1 && grep -q 'No syntax or stream encoding errors' "$tmp/fb-qpdf.txt" ||
	{ fail "qpdf --check on the fallback letter:"; show "$tmp/fb-qpdf.txt"; }

# The justified line (11 pt, each space 6 pt wider, at x = 25 mm): every
# word where the widths of the characters before it put it, each character
# measured in the font that has it (PT Serif first); and the subset of
# DejaVu Serif holds the glyphs ẽ is built from at every depth (e +
# tildecomb, tildecomb = tilde moved), so the tilde is printed.
# Ghostscript reads the text too (it alone caught a font defect the other
# readers missed: a subset whose maxp still declared hinting).
for f in "$tmp/out.pdf" "$fb"; do
	gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=txtwrite -sOutputFile="$tmp/gs.txt" "$f" \
		>"$tmp/gs.err" 2>&1 || { fail "gs txtwrite failed on $f:"; show "$tmp/gs.err"; }
	[ -s "$tmp/gs.err" ] && { fail "gs warned on $f:"; show "$tmp/gs.err"; }
	tr -s ' \n' '  ' <"$tmp/gs.txt" >"$tmp/gs-flat.txt"
	for want in "Шаноўны спадар Ўладзімір Ёрш!" "Łukasz Wiśniewski, İstanbul" "З павагай, Аляксей"; do
		[ "$f" = "$fb" ] && continue
		grep -qF "$want" "$tmp/gs-flat.txt" || fail "gs does not read '$want' in $f"
	done
	[ "$f" = "$fb" ] && { grep -qF "Dear Jiřǎ Kovačević, ǯ and ẽ" "$tmp/gs-flat.txt" ||
		fail "gs does not read the fallback letter's first line"; }
done

# Poppler puts each word of the justified line where layout measured it
# (kerning and the widened spaces included), and the embedded DejaVu Serif
# holds the whole ẽ (e, and tildecomb made of tilde).
pdftotext -bbox "$fb" "$tmp/fb-bbox.html" 2>/dev/null || fail "pdftotext -bbox failed"
qpdf --qdf --object-streams=disable "$fb" "$tmp/fb-qdf.pdf" 2>/dev/null || fail "qpdf --qdf failed"
obj=$(grep -a -B8 -A8 '/FontName /[A-Z]*+DejaVuSerif$' "$tmp/fb-qdf.pdf" | sed -n 's|.*/FontFile2 \([0-9]*\) 0 R.*|\1|p' | head -1)
qpdf --show-object="${obj:-0}" --filtered-stream-data "$tmp/fb-qdf.pdf" >"$tmp/fb-dejavu.ttf" 2>/dev/null ||
	fail "cannot extract the embedded DejaVu Serif"
/usr/bin/python3 - "$fonts" "$tmp/fb-bbox.html" "$tmp/fb-dejavu.ttf" "$tmp/positions.txt" >"$tmp/fb-py.txt" 2>&1 <<'PY' || { fail "fallback positions:"; show "$tmp/fb-py.txt"; }
import re, sys
from fontTools.ttLib import TTFont
fonts, bbox, embedded, positions = sys.argv[1:5]
words = [(float(a), float(b), w) for a, b, w in re.findall(
    r'<word xMin="([\d.]+)" yMin="1[89]\d\.\d+" xMax="([\d.]+)"[^>]*>([^<]*)</word>',
    open(bbox, encoding='utf-8').read())]
want = [l.split() for l in open(positions, encoding='utf-8').read().splitlines()]
bad = 0
if [w for _, _, w in words] != [w[0] for w in want]:
    raise SystemExit('words %r, want %r' % (words, want))
for (x0, x1, w), (_, wx0, wx1) in zip(words, want):
    # The start exactly; the end within the kerning of the last letter.
    if abs(x0 - float(wx0)) > 0.02 or abs(x1 - float(wx1)) > 0.3:
        print('%s at %.3f..%.3f, layout says %s..%s' % (w, x0, x1, wx0, wx1))
        bad = 1
dv = TTFont(fonts + '/DejaVuSerif.ttf')
sub = TTFont(embedded)
glyf, sglyf = dv['glyf'], sub['glyf']
def outline(g, name):
    c, e, _ = g[name].getCoordinates(g)
    return list(c), list(e)
target = outline(glyf, dv.getBestCmap()[0x1EBD])
if not any(outline(sglyf, n) == target for n in sub.getGlyphOrder()):
    print('the embedded DejaVu Serif has no complete ẽ')
    bad = 1
sys.exit(bad)
PY

[ "$status" -eq 0 ] && echo "test-pdf.sh: ok"
exit "$status"
