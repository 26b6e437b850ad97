#!/usr/bin/env python3
"""font-check.py - what fontTools (not envoi) reads in a font, for test-font.

  font-check.py widths FONT TEXT...
      one line per text: the sum of its hmtx advances and the sum of the
      legacy 'kern' table's values for its adjacent pairs, both in 1/1000 em.
  font-check.py info FONT
      the PostScript name, unitsPerEm, and head's bounding box in 1/1000 em.
  font-check.py subset FONT EXPECT
      checks a subset made by envoi against EXPECT (first line: the number
      of glyphs; then one line per new glyph: code point (0: none) and
      advance in 1/1000 em; then lines "composite CP"); prints "ok" or the
      first problem, and exits 1 on a problem.
"""
import logging
import sys

from fontTools.ttLib import TTFont

# PT Serif's legacy kern table is longer than its header says; fontTools
# warns and reads it whole.
logging.getLogger('fontTools').setLevel(logging.ERROR)


def widths(path, texts):
    f = TTFont(path)
    upem = f['head'].unitsPerEm
    cmap = f.getBestCmap()
    kern = {}
    if 'kern' in f:
        for t in f['kern'].kernTables:
            if hasattr(t, 'kernTable'):
                kern.update(t.kernTable)
    for text in texts:
        names = [cmap.get(ord(c), '.notdef') for c in text]
        adv = sum(f['hmtx'][n][0] for n in names)
        k = sum(kern.get((a, b), 0) for a, b in zip(names, names[1:]))
        print('%.6f %.6f' % (adv * 1000 / upem, k * 1000 / upem))


def info(path):
    f = TTFont(path)
    h = f['head']
    s = 1000 / h.unitsPerEm
    print(f['name'].getDebugName(6), h.unitsPerEm,
          '%.6f %.6f %.6f %.6f' % (h.xMin * s, h.yMin * s, h.xMax * s, h.yMax * s))


def subset(path, expect):
    f = TTFont(path)
    lines = open(expect).read().split('\n')
    nnew = int(lines[0])
    source = TTFont(lines[1])
    want = [tuple(l.split()) for l in lines[2:2 + nnew]]
    composites = [int(l.split()[1]) for l in lines[2 + nnew:]
                  if l.startswith('composite')]
    order = f.getGlyphOrder()
    if f['maxp'].numGlyphs != nnew or len(order) != nnew:
        return 'numGlyphs %d, envoi says %d' % (f['maxp'].numGlyphs, nnew)
    for t in ('fpgm', 'prep', 'cvt '):
        if t in f:
            return 'hinting table %r kept' % t
    for t in ('head', 'hhea', 'hmtx', 'loca', 'glyf', 'maxp'):
        if t not in f:
            return 'table %r missing' % t
    m = f['maxp']
    for a in ('maxTwilightPoints', 'maxStorage', 'maxFunctionDefs',
              'maxInstructionDefs', 'maxStackElements', 'maxSizeOfInstructions'):
        if getattr(m, a) != 0:
            return 'maxp.%s is %d without hinting tables' % (a, getattr(m, a))
    if m.maxZones > 1:
        return 'maxp.maxZones is %d' % m.maxZones
    glyf = f['glyf']
    for name in order:
        g = glyf[name]
        if g.isComposite():
            continue
        if getattr(g, 'program', None) is not None and len(g.program.getBytecode()):
            return 'glyph %s keeps instructions' % name
    # The subset has no cmap (a CIDFontType2 reaches glyphs by ID), so each
    # new glyph is checked against the source font's glyph for the
    # character envoi says it draws: the same outline, decomposed.
    src_cmap = source.getBestCmap()
    src_glyf = source['glyf']
    s = 1000 / f['head'].unitsPerEm

    def outline(font_glyf, name):
        coords, ends, flags = font_glyf[name].getCoordinates(font_glyf)
        return list(coords), list(ends)

    for gid, (cp, w) in enumerate(want):
        cp = int(cp)
        name = order[gid]
        adv = f['hmtx'][name][0] * s
        if abs(adv - float(w)) > 1e-6:
            return 'glyph %d: advance %.6f, envoi says %s' % (gid, adv, w)
        if cp and outline(glyf, name) != outline(src_glyf, src_cmap[cp]):
            return 'glyph %d is not the outline of U+%04X' % (gid, cp)
    for cp in composites:
        gid = next((g for g, (c, _) in enumerate(want) if int(c) == cp), None)
        if gid is None:
            return 'U+%04X not in the subset' % cp
        g = glyf[order[gid]]
        if not g.isComposite():
            return 'U+%04X is not a composite glyph' % cp
        coords, ends, _ = g.getCoordinates(glyf)
        if len(ends) < 2 or len(coords) < 4:
            return 'U+%04X has lost parts: %d contours' % (cp, len(ends))
    return None


def main():
    mode = sys.argv[1]
    if mode == 'widths':
        widths(sys.argv[2], sys.argv[3:])
    elif mode == 'info':
        info(sys.argv[2])
    elif mode == 'subset':
        problem = subset(sys.argv[2], sys.argv[3])
        print(problem or 'ok')
        sys.exit(1 if problem else 0)
    else:
        sys.exit('font-check.py: unknown mode ' + mode)


main()
