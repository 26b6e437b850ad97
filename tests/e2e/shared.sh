#!/usr/bin/env bash
# shared.sh - the letters' shared content and their own font copies, read
# back by tools we did not write: each letter page's /Contents is its own
# stream then the stream every letter shares (qpdf --json), the shared
# stream's bytes the same in every letter and one object in print.pdf;
# every letter passes qpdf --check, pdffonts (embedded, subset, Unicode)
# and `mutool draw` without a word; each letter's text is its pages' text
# in print.pdf (libharu's document, the batch's whole font subsets), and
# its pages render pixel for pixel as those (poppler and Ghostscript): the
# letter's own font copy lacks no glyph it draws. A letter with a field in
# its body gets other shared streams, and is still right.
# Usage: shared.sh ENVOI SOURCE_ROOT
. "$(dirname "$0")/lib.sh"
letter=$root/letters/judges-appeal.md
list=$root/recipients/judges.csv

"$envoi" batch "$letter" "$list" -o "$tmp/a" -q --threads 2 2>"$tmp/err" ||
	fail "batch: $(head -3 "$tmp/err")"

# Every letter: qpdf, pdffonts, mutool (-N: no colour management, whose
# absence this build of mutool otherwise mentions for every file).
bad=0
for f in "$tmp"/a/letters/*.pdf; do
	qpdf --check "$f" >"$tmp/q" 2>&1 || { fail "qpdf --check $f: $(tail -2 "$tmp/q")"; bad=$((bad + 1)); }
	pdffonts "$f" 2>"$tmp/pf.err" | awk 'NR > 2 && !($(NF-4) == "yes" && $(NF-3) == "yes" && $(NF-2) == "yes") {print; bad = 1} END {exit bad}' \
		>"$tmp/pf" || { fail "pdffonts $f: $(cat "$tmp/pf")"; bad=$((bad + 1)); }
	[ -s "$tmp/pf.err" ] && fail "pdffonts $f: $(head -2 "$tmp/pf.err")"
	mutool draw -N -q -r 20 -o "$tmp/m.png" "$f" >"$tmp/mu" 2>&1 || fail "mutool draw $f failed"
	[ -s "$tmp/mu" ] && { fail "mutool draw $f: $(head -2 "$tmp/mu")"; bad=$((bad + 1)); }
	[ "$bad" -gt 3 ] && break
done

# The structure, with qpdf's JSON: pages, contents, the shared streams.
/usr/bin/python3 - "$tmp/a" <<'PY' || fail "the letters' shared content"
import glob, hashlib, json, subprocess, sys
out = sys.argv[1]
def pages(pdf):
    j = json.loads(subprocess.run(['qpdf', '--json', '--json-key=pages', pdf],
                                  capture_output=True, check=True).stdout)
    return [p['contents'] for p in j['pages']]
def raw(pdf, ref):
    return subprocess.run(['qpdf', '--show-object=' + ref.split()[0], '--raw-stream-data', pdf],
                          capture_output=True, check=True).stdout
bad = []
shared = {}
letters = sorted(glob.glob(out + '/letters/*.pdf'))
for f in letters[::41]:
    for i, c in enumerate(pages(f)):
        if len(c) != 2:
            bad.append('%s page %d: /Contents %s, not [own shared]' % (f, i + 1, c))
            continue
        shared.setdefault(i, set()).add(hashlib.sha256(raw(f, c[1])).hexdigest())
for i, s in shared.items():
    if len(s) != 1:
        bad.append('page %d: %d different shared streams in the sample letters' % (i + 1, len(s)))
# print.pdf: every letter page draws its own stream, then one shared
# object per letter page (the blank backs of one-page letters aside).
second = {}
for c in pages(out + '/print.pdf'):
    if len(c) == 2:
        second.setdefault(c[1], 0)
        second[c[1]] += 1
if sorted(second.values()) != [413, 413]:
    bad.append('print.pdf: shared objects used %s times' % sorted(second.values()))
if bad:
    print('\n'.join(bad[:10]))
    sys.exit(1)
PY

# Text and pixels: each letter against its pages in print.pdf. Duplex:
# every letter of the sample has 2 pages, so letter k is pages 2k-1, 2k.
/usr/bin/python3 - "$tmp/a" "$tmp" <<'PY' || fail "letters against print.pdf"
import glob, subprocess, sys
out, tmp = sys.argv[1], sys.argv[2]
letters = sorted(glob.glob(out + '/letters/*.pdf'))
def text(pdf, first, last):
    r = subprocess.run(['pdftotext', '-f', str(first), '-l', str(last), pdf, '-'],
                       capture_output=True, text=True)
    if r.returncode or r.stderr:
        raise SystemExit('pdftotext %s: %s' % (pdf, r.stderr))
    return r.stdout
def poppler(pdf, page, name):
    subprocess.run(['pdftoppm', '-r', '40', '-gray', '-f', str(page), '-l', str(page),
                    pdf, tmp + '/' + name], check=True)
    return open(glob.glob(tmp + '/' + name + '*.pgm')[0], 'rb').read()
def ghost(pdf, page, name):
    path = '%s/%s.pgm' % (tmp, name)
    r = subprocess.run(['gs', '-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-sDEVICE=pgmraw',
                        '-r40', '-dFirstPage=%d' % page, '-dLastPage=%d' % page,
                        '-sOutputFile=' + path, pdf], capture_output=True, text=True)
    if r.returncode or r.stdout or r.stderr:
        raise SystemExit('gs %s: %s %s' % (pdf, r.stdout, r.stderr))
    return open(path, 'rb').read()
bad = []
for k, f in enumerate(letters, 1):
    if text(f, 1, 2) != text(out + '/print.pdf', 2 * k - 1, 2 * k):
        bad.append('%s: text differs from print.pdf pages %d-%d' % (f, 2 * k - 1, 2 * k))
for k, f in list(enumerate(letters, 1))[::37]:
    for page in (1, 2):
        for render in (poppler, ghost):
            for g in glob.glob(tmp + '/*.pgm'):
                __import__('os').remove(g)
            if render(f, page, 'l') != render(out + '/print.pdf', 2 * (k - 1) + page, 'p'):
                bad.append('%s page %d: %s renders it other than print.pdf' % (f, page, render.__name__))
if bad:
    print('\n'.join(bad[:10]))
    sys.exit(1)
PY

# A field in the body: the paragraphs after it are still shared when they
# stand where they stood, the letter text is the recipient's.
# (beside the sample's recipients/, which the letter names its
# signatories file in)
mkdir "$tmp/letters"
ln -s "$root/recipients" "$tmp/recipients"
awk '/^We write to you/ && !done {print "Your court, {{court}}, is among those we write to.\n"; done = 1} {print}' \
	"$letter" >"$tmp/letters/field.md"
grep -q '{{court}}, is among' "$tmp/letters/field.md" || fail "could not make the letter with a field"
"$envoi" batch "$tmp/letters/field.md" "$list" -o "$tmp/f" -q 2>"$tmp/errf" || fail "field batch: $(head -3 "$tmp/errf")"
/usr/bin/python3 - "$tmp/f" "$list" <<'PY' || fail "a letter with a field in its body"
import csv, glob, subprocess, sys
out = sys.argv[1]
rows = [r for r in csv.DictReader(open(sys.argv[2], encoding='utf-8'))]
letters = sorted(glob.glob(out + '/letters/*.pdf'))
bad = []
for r, f in list(zip(rows, letters))[::29]:
    t = subprocess.run(['pdftotext', f, '-'], capture_output=True, text=True).stdout
    want = 'Your court, %s, is among' % r['court']
    if ' '.join(want.split()) not in ' '.join(t.split()):
        bad.append('%s: no %r' % (f, want))
    c = subprocess.run(['qpdf', '--check', f], capture_output=True, text=True)
    if c.returncode:
        bad.append('%s: qpdf: %s' % (f, c.stdout[-200:]))
if len(letters) != 413:
    bad.append('%d letters' % len(letters))
if bad:
    print('\n'.join(bad[:10]))
    sys.exit(1)
PY

[ "$fails" -eq 0 ] && echo "shared.sh: ok"
exit $((fails > 0))
