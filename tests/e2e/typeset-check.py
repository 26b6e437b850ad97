#!/usr/bin/env python3
"""typeset-check.py - check letters as a reader sees them, from poppler's
`pdftotext -bbox-layout` (words with their boxes) and fontTools (the font's
own space width), not from anything envoi says about itself.

Usage: typeset-check.py FONT.ttf MANIFEST.csv OUTDIR [--layout din5008-b]

For every letter in the manifest (status ok):
  - the address block (each address line's words) lies inside the window
    field of the layout, and nothing else of page 1 does;
  - no word lies outside the page margins;
  - in every body line, each gap between two words is at most 1.5 times
    the font's natural space (gaps wider than 3 spaces are column gutters);
  - no orphan (a paragraph's first line alone at the foot of a page) and no
    widow (its last line alone at the top of the next page);
  - the closing ("Yours respectfully," / "С уважением,") is not the first
    body line of its page;
  - no more than two lines in a row end in a hyphen.
Prints the widest gap found and one line per failure; exits 1 on failure.
"""
import csv
import subprocess
import sys
import xml.etree.ElementTree as ET

from fontTools.ttLib import TTFont

MM = 72 / 25.4
# Window fields (x, top, width, bottom) in mm: src/data/presets.tsv and
# ../shared/reference/postal.md section 2; the address must be inside.
WINDOWS = {
    "din5008-b": (20, 45, 85, 90),
    "din5008-a": (20, 27, 85, 72),
    "dl-window": (20, 50, 90, 84),
    "c5-window": (20, 57, 90, 102),
}
LEFT, RIGHT_MARGIN, TOP, FOOT = 20 * MM, 20 * MM, 8 * MM, 15 * MM
BODY_SIZE = 11.0
CLOSINGS = ("Yours", "С уважением", "З павагай")
NS = "{http://www.w3.org/1999/xhtml}"


def pages(pdf):
    out = subprocess.run(["pdftotext", "-bbox-layout", pdf, "-"],
                         capture_output=True, check=True)
    if out.stderr:
        raise SystemExit("%s: pdftotext says: %s" % (pdf, out.stderr.decode()))
    root = ET.fromstring(out.stdout)
    for page in root.iter(NS + "page"):
        lines = []
        for line in page.iter(NS + "line"):
            words = [(float(w.get("xMin")), float(w.get("yMin")),
                      float(w.get("xMax")), float(w.get("yMax")), w.text or "")
                     for w in line.iter(NS + "word")]
            if words:
                lines.append(words)
        lines.sort(key=lambda ws: (round(ws[0][3], 1), ws[0][0]))
        yield float(page.get("width")), float(page.get("height")), lines


def space_width(font):
    f = TTFont(font)
    glyph = f.getBestCmap()[32]
    return f["hmtx"][glyph][0] / f["head"].unitsPerEm


def main():
    args = sys.argv[1:]
    layout = "din5008-b"
    if "--layout" in args:
        i = args.index("--layout")
        layout = args[i + 1]
        del args[i:i + 2]
    font, manifest, outdir = args
    natural = space_width(font) * BODY_SIZE
    wx, wtop, ww, wbottom = WINDOWS[layout]
    fails = []
    worst = (0.0, "")
    letters = 0
    with open(manifest, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["status"] == "ok"]
    for row in rows:
        pdf = outdir + "/" + row["file"]
        letters += 1
        name = row["file"]
        address = [row["address_%d" % i] for i in range(1, 8)
                   if row.get("address_%d" % i)]
        prev_last = None       # the last body line of the previous page
        hyphen_run = 0
        for pno, (pw, ph, lines) in enumerate(pages(pdf), 1):
            right = pw - RIGHT_MARGIN
            words = [w for ws in lines for w in ws]
            for x0, y0, x1, y1, t in words:
                if x0 < LEFT - 0.5 or x1 > right + 0.5 or y0 < TOP or y1 > ph - FOOT:
                    fails.append("%s p%d: '%s' outside the margins (%.1f,%.1f)-(%.1f,%.1f) mm"
                                 % (name, pno, t, x0 / MM, y0 / MM, x1 / MM, y1 / MM))
            if pno == 1:
                # The field: every word of page 1 left of its right edge
                # and between its top and bottom belongs to it.
                field = [w for w in words
                         if w[0] < (wx + ww) * MM and w[3] > (wtop - 3) * MM
                         and w[1] < (wbottom + 3) * MM]
                for x0, y0, x1, y1, t in field:
                    base = y1 - (y1 - y0) * 0.25   # poppler's box: ~ascent..descent
                    if x0 < wx * MM - 0.5 or x1 > (wx + ww) * MM + 0.5 or \
                       y0 < wtop * MM - 0.5 or base > wbottom * MM + 0.5:
                        fails.append("%s: '%s' of the address field is outside "
                                     "the window" % (name, t))
                texts = " ".join(w[4] for w in field)
                for line in address:
                    first = line.split()[0]
                    if first not in texts:
                        fails.append("%s: address line '%s' is not in the window"
                                     % (name, line))
            body = [ws for ws in lines
                    if ws[0][1] > 18 * MM and abs((ws[0][3] - ws[0][1]) - body_height(lines)) < 0.6
                    and (pno > 1 or ws[0][1] > (wbottom + 5) * MM)]
            for k, ws in enumerate(body):
                for a, b in zip(ws, ws[1:]):
                    gap = b[0] - a[2]
                    if gap > 3 * natural:
                        continue
                    if gap / natural > worst[0]:
                        worst = (gap / natural, "%s page %d: '%s %s'" % (name, pno, a[4], b[4]))
                    if gap > 1.5 * natural + 0.05:
                        fails.append("%s p%d: word space %.2f x natural between '%s' and '%s'"
                                     % (name, pno, gap / natural, a[4], b[4]))
                if ws[-1][4].endswith("-") and len(ws[-1][4]) > 1:
                    hyphen_run += 1
                    if hyphen_run > 2:
                        fails.append("%s p%d: three hyphenated lines in a row, the "
                                     "third ends '%s'" % (name, pno, ws[-1][4]))
                else:
                    hyphen_run = 0
            if body:
                lead = min((b[0][3] - a[0][3] for a, b in zip(body, body[1:])
                            if b[0][3] - a[0][3] > 1), default=14.0)
                first, last = body[0], body[-1]
                full = lambda ws: ws[-1][2] >= right - 0.6
                starts = lambda i: i == 0 or body[i][0][3] - body[i - 1][0][3] > lead + 2
                # A full line that does not end a sentence goes on; a full
                # line ending in '.' may be a paragraph of one line.
                goes_on = lambda ws: full(ws) and not ws[-1][4].endswith(
                    (".", "!", "?", ":", ";", "»", "”"))
                # Orphan: the page's last line starts a paragraph that goes on.
                if len(body) > 1 and starts(len(body) - 1) and goes_on(last):
                    fails.append("%s p%d: orphan line '%s ...' at the foot"
                                 % (name, pno, " ".join(w[4] for w in last[:4])))
                # Widow: the first line ends a paragraph begun on the last page.
                if pno > 1 and prev_last is not None and goes_on(prev_last) and \
                   not full(first) and (len(body) == 1 or starts(1)):
                    fails.append("%s p%d: widow line '%s' at the top"
                                 % (name, pno, " ".join(w[4] for w in first)))
                if any(" ".join(w[4] for w in first).startswith(c) for c in CLOSINGS):
                    fails.append("%s p%d: the closing starts the page, alone"
                                 % (name, pno))
                prev_last = last
    for f in fails[:40]:
        print("FAIL:", f)
    if len(fails) > 40:
        print("... and %d more" % (len(fails) - 40))
    print("%d letters checked; widest word space %.2f x natural (%s)"
          % (letters, worst[0], worst[1]))
    return 1 if fails or letters == 0 else 0


_heights = {}


def body_height(lines):
    """The box height poppler gives 11 pt body text: the most common one."""
    key = id(lines)
    if key not in _heights:
        counts = {}
        for ws in lines:
            h = round(ws[0][3] - ws[0][1], 1)
            counts[h] = counts.get(h, 0) + len(ws)
        _heights[key] = max(counts, key=counts.get) if counts else 0
    return _heights[key]


if __name__ == "__main__":
    sys.exit(main())
