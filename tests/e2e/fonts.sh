#!/usr/bin/env bash
# fonts.sh - glyph coverage end to end: a name PT Serif cannot draw (ǎ, ẽ)
# is drawn from the bundled DejaVu Serif, which is embedded only in that
# letter; a character no bundled font has (漢, checked with fontTools) rejects
# its row with the character and the field named in manifest.csv, and in
# the letter's own text or its signatories refuses the job at that file's
# line and column; and
# `fonts: dejavu-serif` sets everything in DejaVu Serif alone. Read back with
# pdftotext, pdffonts, qpdf and Python's csv module.
# Usage: fonts.sh ENVOI SOURCE_ROOT
. "$(dirname "$0")/lib.sh"

# The premise: PT Serif lacks ǎ and ẽ, DejaVu Serif has them, neither has 漢.
/usr/bin/python3 - "$root/fonts" <<'PY' || fail "the test's characters are not what it assumes"
import sys
from fontTools.ttLib import TTFont
d = sys.argv[1]
pt = TTFont(d + '/PTF55F.ttf').getBestCmap()
dv = TTFont(d + '/DejaVuSerif.ttf').getBestCmap()
for ch, in_pt, in_dv in (('ǎ', 0, 1), ('ẽ', 0, 1), ('漢', 0, 0), ('K', 1, 1)):
    if (ord(ch) in pt, ord(ch) in dv) != (bool(in_pt), bool(in_dv)):
        sys.exit('%s: in PT Serif %s, in DejaVu Serif %s' % (ch, ord(ch) in pt, ord(ch) in dv))
PY

cat >"$tmp/list.csv" <<'CSV'
id,surname,given_name,street,postcode,city
1,Kovač,Jiřǎ Ẽva,ul. Lenina 5,220030,Minsk
2,Smith,John,ul. Lenina 6,220030,Minsk
3,Wang,Li 漢,ul. Lenina 7,220030,Minsk
CSV
letter() {   # FILE [FONTS]
	{
		echo '---'
		echo 'sender: Test Org'
		echo 'date: 2025-06-02'
		[ -n "${2:-}" ] && echo "fonts: $2"
		echo '---'
		echo 'Dear {{given_name}} {{surname}}, this paragraph is long enough to be'
		echo 'justified over more than one line, so that the name is set with'
		echo 'stretched word spaces: {{given_name}} {{surname}} and then some more'
		echo 'words to fill the line and carry it over to the next one.'
		echo
		echo '**{{given_name}}** *{{given_name}}*'
	} >"$1"
}
letter "$tmp/pt.md"
letter "$tmp/dv.md" dejavu-serif

"$envoi" batch "$tmp/pt.md" "$tmp/list.csv" -o "$tmp/pt" -q 2>"$tmp/pt.err"
rc=$?
[ "$rc" -eq 1 ] || fail "batch exited $rc, want 1 (one row rejected): $(cat "$tmp/pt.err")"
fb=$(ls "$tmp/pt/letters/"0001-*.pdf 2>/dev/null) || fail "no letter for the ǎ/ẽ row"
plain=$(ls "$tmp/pt/letters/"0002-*.pdf 2>/dev/null) || fail "no letter for the plain row"
ls "$tmp/pt/letters/"0003-*.pdf >/dev/null 2>&1 && fail "a letter was made for the 漢 row"

# pdffonts lines for FONT embedded, subset, with a ToUnicode map.
fonts_of() { pdffonts "$1" 2>&1 | tail -n +3; }
has_font() {   # PDF NAME
	fonts_of "$1" | grep -E "\+$2[ ,]" | grep -Eq 'Identity-H +yes +yes +yes '
}
if [ -n "${fb:-}" ]; then
	text=$(pdftotext -enc UTF-8 "$fb" - 2>"$tmp/pdftotext.err")
	[ -s "$tmp/pdftotext.err" ] && fail "pdftotext warned: $(cat "$tmp/pdftotext.err")"
	for want in "Jiřǎ Ẽva Kovač" "Jiřǎ Ẽva" "Dear Jiřǎ Ẽva Kovač,"; do
		case "$text" in *"$want"*) ;; *) fail "the fallback letter lacks '$want': $text";; esac
	done
	has_font "$fb" DejaVuSerif || fail "DejaVu Serif regular is not embedded+subset+unicode: $(fonts_of "$fb")"
	has_font "$fb" DejaVuSerif-Bold || fail "DejaVu Serif bold is not embedded: $(fonts_of "$fb")"
	has_font "$fb" DejaVuSerif-Italic || fail "DejaVu Serif italic is not embedded: $(fonts_of "$fb")"
	has_font "$fb" PTSerif-Regular || fail "PT Serif is not embedded: $(fonts_of "$fb")"
	qpdf --check "$fb" >"$tmp/qpdf.txt" 2>&1 && grep -q 'No syntax or stream encoding errors' "$tmp/qpdf.txt" ||
		fail "qpdf --check $fb: $(cat "$tmp/qpdf.txt")"
fi
if [ -n "${plain:-}" ]; then
	fonts_of "$plain" | grep -q DejaVu && fail "DejaVu Serif is embedded in a letter that needs none: $(fonts_of "$plain")"
	has_font "$plain" PTSerif-Regular || fail "PT Serif is not embedded in the plain letter"
	qpdf --check "$plain" >/dev/null 2>&1 || fail "qpdf --check $plain"
fi
# The print file holds both letters: DejaVu Serif once, made when needed.
pdftotext -enc UTF-8 "$tmp/pt/print.pdf" - 2>/dev/null | grep -q "Jiřǎ Ẽva Kovač" || fail "print.pdf lacks the fallback name"
qpdf --check "$tmp/pt/print.pdf" >/dev/null 2>&1 || fail "qpdf --check print.pdf"

# The manifest, read with a real CSV reader.
/usr/bin/python3 - "$tmp/pt/manifest.csv" <<'PY' || fail "manifest.csv"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8', newline='')))
st = {r['id']: r for r in rows}
bad = []
if [r['id'] for r in rows] != ['1', '2', '3']:
    bad.append('ids %r' % [r['id'] for r in rows])
for i in ('1', '2'):
    if st.get(i, {}).get('status') != 'ok':
        bad.append('row %s is not ok: %r' % (i, st.get(i)))
r = st.get('3', {})
reason = r.get('reason', '')
if r.get('status') != 'rejected' or 'U+6F22' not in reason or '漢' not in reason \
        or 'address' not in reason or r.get('file'):
    bad.append('row 3: %r' % r)
if bad:
    sys.exit('; '.join(bad))
PY
grep -q 'U+6F22' "$tmp/pt.err" || fail "the rejection was not reported on stderr: $(cat "$tmp/pt.err")"
# ... naming the column the character came from, with its value.
grep -qF "list.csv:4: error: column 'given_name' ('Li 漢'): the character U+6F22 '漢' in" "$tmp/pt.err" ||
	fail "the rejection does not name the column: $(cat "$tmp/pt.err")"

# fonts: dejavu-serif: DejaVu Serif only, in every letter, and the same
# rows made and rejected.
"$envoi" batch "$tmp/dv.md" "$tmp/list.csv" -o "$tmp/dv" -q 2>"$tmp/dv.err"
rc=$?
[ "$rc" -eq 1 ] || fail "dejavu-serif batch exited $rc, want 1: $(cat "$tmp/dv.err")"
n=0
for f in "$tmp/dv/letters/"*.pdf; do
	[ -e "$f" ] || continue
	n=$((n + 1))
	fonts_of "$f" | grep -q PTSerif && fail "PT Serif in a dejavu-serif letter: $(fonts_of "$f")"
	has_font "$f" DejaVuSerif || fail "DejaVu Serif is not embedded in $f: $(fonts_of "$f")"
	qpdf --check "$f" >/dev/null 2>&1 || fail "qpdf --check $f"
done
[ "$n" -eq 2 ] || fail "dejavu-serif made $n letters, want 2"
pdftotext -enc UTF-8 "$tmp/dv/letters/"0001-*.pdf - 2>/dev/null | grep -q "Jiřǎ Ẽva Kovač" ||
	fail "the dejavu-serif letter lacks the name"
for f in "$tmp/dv/labels.pdf" "$tmp/dv/print.pdf"; do
	fonts_of "$f" | grep -q PTSerif && fail "PT Serif in $f"
done

# A bad value stops the job at its line and column.
sed 's/^fonts: dejavu-serif$/fonts: comic-sans/' "$tmp/dv.md" >"$tmp/bad.md"
"$envoi" batch "$tmp/bad.md" "$tmp/list.csv" -o "$tmp/bad" -q 2>"$tmp/bad.err"
rc=$?
[ "$rc" -eq 2 ] || fail "a bad fonts value exited $rc, want 2"
grep -q "bad.md:4:8: error: unknown fonts 'comic-sans'; it is one of: pt-serif, dejavu-serif" "$tmp/bad.err" ||
	fail "bad fonts value message: $(cat "$tmp/bad.err")"

# A character no font has in the letter's own text (the body, the
# subject) or in its signatories is the letter's fault, not each row's:
# one error a character where it stands in that file, check and batch
# refuse the job (exit 2), nothing is written, no row is blamed.
mkdir -p "$tmp/own"
printf 'organisation,country\nOrg One,Germany\nOrg 漢 Two,Austria\n' >"$tmp/own/sig.csv"
cat >"$tmp/own/body.md" <<'MD'
---
sender: Test Org
date: 2025-06-02
subject: About 漢 and {{surname}}
---
Dear {{given_name}} {{surname}},

# A heading

Text with 漢 twice 漢 and a 字.
MD
sed -e '/^subject:/d' -e 's/[漢字]//g' -e 's/^date: .*/&\nsignatories: sig.csv/' \
	-e 's/^Text with.*/&\n\n{{signatories}}/' "$tmp/own/body.md" >"$tmp/own/sig.md"
for cmd in batch check; do
	for which in body sig; do
		out=$tmp/own/out-$cmd-$which
		if [ "$cmd" = batch ]; then
			"$envoi" batch "$tmp/own/$which.md" "$tmp/list.csv" -o "$out" -q >"$out.out" 2>"$out.err"
		else
			"$envoi" check "$tmp/own/$which.md" "$tmp/list.csv" >"$out.out" 2>"$out.err"
		fi
		rc=$?
		[ "$rc" -eq 2 ] || fail "$cmd with a character no font has in $which.md exited $rc, want 2"
		[ -e "$out" ] && fail "$cmd $which.md wrote $out"
		msgs=$(cat "$out.out" "$out.err")
		if [ "$which" = body ]; then
			want=("body.md:4:16: error: the character U+6F22 '漢' in the subject (bold) is in none of the fonts"
			      "body.md:10:27: error: the character U+5B57 '字' in the letter's text (regular) is in none of the fonts")
			[ "$(grep -c "U+6F22" <<<"$msgs")" -eq 1 ] || fail "$cmd: 漢 not named once: $msgs"
		else
			want=("sig.csv:3:5: error: the character U+6F22 '漢' in the signatories list (regular) is in none of the fonts")
		fi
		for w in "${want[@]}"; do
			grep -qF "$w" <<<"$msgs" || fail "$cmd $which.md: no '$w' in: $msgs"
		done
		grep -q "list.csv:[0-9]" <<<"$msgs" && fail "$cmd $which.md blamed a row of the list: $msgs"
		[ "$cmd" = check ] && ! grep -q "nothing would be sent: see the errors below" <<<"$msgs" &&
			fail "check $which.md does not say the errors are elsewhere: $msgs"
	done
done
# The batch shows the line with a caret under the character.
grep -A2 "body.md:10:27" "$tmp/own/out-batch-body.err" | tail -n 1 | grep -qx ' *\^' ||
	fail "no caret under body.md:10:27: $(cat "$tmp/own/out-batch-body.err")"

if [ "$fails" -gt 0 ]; then
	echo "fonts.sh: $fails failures"
	exit 1
fi
echo "fonts.sh: ok"
