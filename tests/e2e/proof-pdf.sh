#!/bin/sh
# proof-pdf.sh - the proof sheet, the outline and spilled pages as PDF
# (tests/unit/proof-pdf.c), read back with other people's tools: qpdf
# --check clean and Ghostscript silent on every file; the page counts (5
# letters on 1 page, 413 on 35, the print file 826); with pdftotext -bbox,
# each cell's letter text inside its box and scaled down (its own letter's
# first page only) and its caption under it, within the cell; one Form
# XObject per letter however often it is drawn; the print file's outline
# read with qpdf --json (413 titles, Latin and Cyrillic, exact, each at
# its letter's first page, written UTF-16BE with a byte-order mark, the
# file opening on it); the files made from pages saved and loaded again
# byte-identical to the others.
#
# usage: proof-pdf.sh PATH/TO/proof-pdf SOURCE_ROOT
set -u

prog=${1:?usage: proof-pdf.sh PATH/TO/proof-pdf SOURCE_ROOT}
root=${2:?usage: proof-pdf.sh PATH/TO/proof-pdf SOURCE_ROOT}
fonts=${ENVOI_FONTDIR:-$root/fonts}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
status=0

fail() {
	echo "proof-pdf.sh: FAIL: $*" >&2
	status=1
}

show() {
	sed 's/^/    /' "$1" >&2
}

out=$tmp/out
mkdir "$out"
if ! "$prog" "$root/recipients/judges.csv" "$fonts" "$out" >"$tmp/prog.out" 2>"$tmp/prog.err"; then
	fail "$prog failed"
	show "$tmp/prog.err"
	exit 1
fi
[ -s "$tmp/prog.err" ] && { fail "$prog wrote to stderr"; show "$tmp/prog.err"; }

# Every file: qpdf finds nothing, Ghostscript says nothing, poppler counts
# the pages.
for spec in proof-5:1 proof-413:35 proof-413-loaded:35 print:826 print-loaded:826 reuse:2; do
	f=$out/${spec%:*}.pdf want=${spec#*:}
	qpdf --check "$f" >"$tmp/qpdf.txt" 2>&1 && grep -q 'No syntax or stream encoding errors' "$tmp/qpdf.txt" ||
		{ fail "qpdf --check $f:"; show "$tmp/qpdf.txt"; }
	gs -o /dev/null -sDEVICE=nullpage -dBATCH -dNOPAUSE -q "$f" >"$tmp/gs.txt" 2>&1 ||
		fail "gs failed on $f"
	[ -s "$tmp/gs.txt" ] && { fail "gs warned on $f:"; show "$tmp/gs.txt"; }
	pages=$(pdfinfo "$f" 2>/dev/null | sed -n 's/^Pages: *//p')
	[ "$pages" = "$want" ] || fail "$f has ${pages:-no} pages, not $want"
done

# Pages saved and loaded again make the same files.
cmp -s "$out/print.pdf" "$out/print-loaded.pdf" || fail "print-loaded.pdf differs from print.pdf"
cmp -s "$out/proof-413.pdf" "$out/proof-413-loaded.pdf" ||
	fail "proof-413-loaded.pdf differs from proof-413.pdf"

# Where the words are, and one form per letter.
for f in proof-5 proof-413 reuse; do
	pdftotext -bbox -enc UTF-8 "$out/$f.pdf" "$tmp/$f.html" 2>"$tmp/err" || fail "pdftotext -bbox failed on $f.pdf"
	[ -s "$tmp/err" ] && { fail "pdftotext warned on $f.pdf:"; show "$tmp/err"; }
	qpdf --json "$out/$f.pdf" >"$tmp/$f.json" 2>/dev/null || fail "qpdf --json failed on $f.pdf"
done
qpdf --json --json-key=outlines "$out/print.pdf" >"$tmp/outlines.json" 2>/dev/null ||
	fail "qpdf --json --json-key=outlines failed"
qpdf --json "$out/print.pdf" >"$tmp/print.json" 2>/dev/null || fail "qpdf --json failed on print.pdf"

/usr/bin/python3 - "$out" "$tmp" >"$tmp/py.txt" 2>&1 <<'PY' || { fail "read back:"; show "$tmp/py.txt"; }
import html, json, re, sys
out, tmp = sys.argv[1:3]
bad = []

def words(path):
    """Per page (from 1): [(x0, y0, x1, y1, text)], y from the top."""
    pages, cur = {}, None
    for line in open(path, encoding='utf-8'):
        if '<page ' in line:
            cur = len(pages) + 1
            pages[cur] = []
        m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                      r'yMax="([\d.]+)">([^<]*)</word>', line)
        if m:
            pages[cur].append(tuple(float(v) for v in m.groups()[:4]) +
                              (html.unescape(m.group(5)),))
    return pages

# The cells: the letter's words in its box, small; its caption under it.
# A4 with margins of 10 mm and gaps of 6 mm: cells 59.33 mm wide.
half_cell = (210 - 20 - 12) / 3 / 2 * 72 / 25.4
cells = [l.rstrip('\n').split('\t') for l in open(out + '/cells.tsv', encoding='utf-8')]
seen = {'proof-5.pdf': 0, 'proof-413.pdf': 0}
for name in seen:
    pages = words('%s/%s.html' % (tmp, name[:-4]))
    used = {p: set() for p in pages}
    for c in cells:
        if c[0] != name:
            continue
        seen[name] += 1
        page, letter = int(c[1]), int(c[2])
        x0, y0, x1, y1, cy, size = map(float, c[3:9])
        caption = c[9]
        where = '%s page %d cell %s' % (name, page, caption[:4])
        inside = [(i, w) for i, w in enumerate(pages[page])
                  if w[0] >= x0 - 0.5 and w[2] <= x1 + 0.5 and w[1] >= y0 - 0.5 and w[3] <= y1 + 0.5]
        texts = [w[4] for _, w in inside]
        if 'LETTER%d' % letter not in texts:
            bad.append('%s: LETTER%d not inside its box (%r)' % (where, letter, texts[:12]))
        if any(t.startswith('LETTER') and t != 'LETTER%d' % letter or t.startswith('PAGETWO')
               for t in texts):
            bad.append('%s: another page inside its box' % where)
        # 11 pt body text at about a fifth of its size.
        for _, w in inside:
            if w[4].startswith('LETTER') and not 1.5 < w[3] - w[1] < 4.5:
                bad.append('%s: %s is %.2f pt high' % (where, w[4], w[3] - w[1]))
        cx = (x0 + x1) / 2
        under = [(i, w) for i, w in enumerate(pages[page])
                 if w[1] > y1 and w[3] <= cy + size and abs((w[0] + w[2]) / 2 - cx) < half_cell]
        got = ' '.join(w[4] for _, w in under)
        if got != caption:
            bad.append('%s: caption %r, not %r' % (where, got, caption))
        for _, w in under:
            if w[0] < cx - half_cell - 0.5 or w[2] > cx + half_cell + 0.5:
                bad.append('%s: caption outside the cell' % where)
        used[page] |= {i for i, _ in inside} | {i for i, _ in under}
    for p, ws in pages.items():
        stray = [w[4] for i, w in enumerate(ws) if i not in used[p]]
        if stray:
            bad.append('%s page %d: words in no cell: %r' % (name, p, stray[:10]))
if seen != {'proof-5.pdf': 5, 'proof-413.pdf': 413}:
    bad.append('cells.tsv has %r cells' % seen)

# A record freed and another made at its address: each cell its own letter.
reuse = words(tmp + '/reuse.html')
for p, k in ((1, 0), (2, 1)):
    t = [w[4] for w in reuse.get(p, [])]
    if 'LETTER%d' % k not in t or 'LETTER%d' % (1 - k) in t:
        bad.append('reuse.pdf page %d does not show letter %d' % (p, k))

# One form per letter, drawn from pages that list it; its fonts with it.
for name, draws in (('proof-5', 5), ('proof-413', 413)):
    objs = json.load(open('%s/%s.json' % (tmp, name)))['qpdf'][1]
    forms = {k[4:]: v['stream']['dict'] for k, v in objs.items()
             if isinstance(v, dict) and v.get('stream', {}).get('dict', {}).get('/Subtype') == '/Form'}
    if len(forms) != 5:
        bad.append('%s.pdf has %d forms, not 5' % (name, len(forms)))
    for ref, d in forms.items():
        if d.get('/Type') != '/XObject' or d.get('/Filter') != '/FlateDecode' or \
           not d.get('/Resources', {}).get('/Font') or len(d.get('/BBox', [])) != 4:
            bad.append('%s.pdf form %s: %r' % (name, ref, d))
    listed = 0
    for k, v in objs.items():
        d = v.get('value') if isinstance(v, dict) else None
        if isinstance(d, dict) and d.get('/Type') == '/Page':
            xo = d.get('/Resources', {}).get('/XObject', {})
            if any(r not in forms for r in xo.values()):
                bad.append('%s.pdf %s lists an XObject that is no form' % (name, k))
            listed += len(xo)
    if listed < 5:
        bad.append('%s.pdf: its pages list %d forms' % (name, listed))

# The outline: 413 entries at the top level, titles and pages exact.
want = [l.rstrip('\n').split('\t') for l in open(out + '/outline.tsv', encoding='utf-8')]
got = json.load(open(tmp + '/outlines.json'))['outlines']
if len(want) != 413 or len(got) != 413:
    bad.append('outline: %d entries, %d expected (413)' % (len(got), len(want)))
for i, (g, (title, page)) in enumerate(zip(got, want)):
    if g['title'] != title or g['destpageposfrom1'] != int(page) or g['kids']:
        bad.append('outline entry %d: %r at page %r, not %r at %s' %
                   (i + 1, g['title'], g['destpageposfrom1'], title, page))
        break
if not any('Ганчарэнка Вера Іванаўна' in t and 'Hancharenka' in t for t, _ in want):
    bad.append('outline.tsv lacks the first judge')
objs = json.load(open(tmp + '/print.json'))['qpdf'][1]
trailer = objs['trailer']['value']
catalog = objs['obj:' + trailer['/Root']]['value']
if catalog.get('/PageMode') != '/UseOutlines':
    bad.append('print.pdf does not open on its outline: %r' % catalog.get('/PageMode'))
root = objs['obj:' + catalog['/Outlines']]['value']
if root.get('/Count') != 413 or root.get('/Type') != '/Outlines':
    bad.append('outline root: %r' % root)
for g in got:
    item = objs['obj:' + g['object']]['value']
    if '/Type' in item or item.get('/Parent') != catalog['/Outlines']:
        bad.append('outline item %s: %r' % (g['object'], item))
        break

print('\n'.join(bad[:40]))
sys.exit(1 if bad else 0)
PY

# The titles as written: UTF-16BE strings with a byte-order mark.
n=$(grep -a -c '^/Title <FEFF' "$out/print.pdf")
[ "$n" -eq 413 ] || fail "print.pdf has $n titles written <FEFF...>, not 413"

[ "$status" -eq 0 ] && echo "proof-pdf.sh: ok"
exit "$status"
