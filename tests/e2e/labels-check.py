#!/usr/bin/env python3
"""labels-check.py - label sheets read back: the words of `pdftotext -bbox`
against the labels of a gLabels template, computed here from the XML with
xml.etree (a reader envoi did not write), independently of src/job/labeldb.c.

  labels-check.py inside DBDIR "BRAND PART" BBOX.html COUNT [--offset X,Y] [--first N]
      every page is the template's paper; every word lies inside a label's
      shape (rounded corners, discs), moved by the offset; COUNT labels
      hold words, each once; with --first N the first sheet's labels before
      N (row by row) are empty and label N is not
  labels-check.py moved A.html B.html X Y
      B's words are A's, each moved X mm right and Y mm down

Prints what is wrong and exits 1; prints a summary and exits 0 otherwise.
"""
import glob
import math
import os
import re
import sys
import xml.etree.ElementTree as ET

PT = {"pt": 1.0, "in": 72.0, "mm": 72 / 25.4, "cm": 720 / 25.4, "pc": 12.0, "": 1.0}


def length(el, name):
    """A gLabels length in points; absent or empty: 0; no unit: points."""
    v = (el.get(name) or "").strip()
    if not v:
        return 0.0
    m = re.fullmatch(r"([-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(pt|in|mm|cm|pc)?", v)
    if not m:
        raise ValueError("bad length %r" % v)
    return float(m.group(1)) * PT[m.group(2) or ""]


def template(dbdir, name):
    """The template called "BRAND PART", its equiv resolved within the brand:
    (paper w, paper h, shape element), all in points."""
    papers = {}
    for p in ET.parse(os.path.join(dbdir, "paper-sizes.xml")).getroot().iter("Paper-size"):
        papers[p.get("id")] = (length(p, "width"), length(p, "height"))
    by = {}
    for f in sorted(glob.glob(os.path.join(dbdir, "*-templates.xml"))):
        for t in ET.parse(f).getroot().iter("Template"):
            by[(t.get("brand").lower(), t.get("part").lower())] = t
    brand, part = name.split(" ", 1)
    t = by[(brand.lower(), part.lower())]
    for _ in range(8):
        if not t.get("equiv"):
            break
        t = by[(brand.lower(), t.get("equiv").lower())]
    if t.get("size") == "Other":
        paper = (length(t, "width"), length(t, "height"))
    else:
        paper = papers[t.get("size")]
    shape = next(c for c in t if c.tag.startswith("Label-"))
    return paper, shape


def labels(shape):
    """The labels' (x, y) top-left corners row by row, and a test whether a
    point relative to a label's corner is inside its shape."""
    if shape.tag == "Label-rectangle":
        w, h, r = length(shape, "width"), length(shape, "height"), length(shape, "round")

        def inside(x, y):
            if not (0 <= x <= w and 0 <= y <= h):
                return False
            cx = min(max(x, r), w - r)
            cy = min(max(y, r), h - r)
            return math.hypot(x - cx, y - cy) <= r + 1e-9
    elif shape.tag in ("Label-round", "Label-cd"):
        r = length(shape, "radius")
        w = length(shape, "width") or 2 * r
        h = length(shape, "height") or 2 * r
        hole = length(shape, "hole")

        def inside(x, y):
            d = math.hypot(x - w / 2, y - h / 2)
            return 0 <= x <= w and 0 <= y <= h and hole <= d <= r
    else:
        w, h = length(shape, "width"), length(shape, "height")

        def inside(x, y):
            return ((x - w / 2) / (w / 2)) ** 2 + ((y - h / 2) / (h / 2)) ** 2 <= 1
    corners = []
    for lay in shape.iter("Layout"):
        for j in range(int(lay.get("ny"))):
            for i in range(int(lay.get("nx"))):
                corners.append((length(lay, "x0") + i * length(lay, "dx"),
                                length(lay, "y0") + j * length(lay, "dy")))
    # row by row: tops within 0.5 mm are one row
    corners.sort(key=lambda c: (c[1], c[0]))
    rows, out = [], []
    for c in corners:
        if rows and c[1] - rows[-1][0][1] < 0.5 * PT["mm"]:
            rows[-1].append(c)
        else:
            rows.append([c])
    for row in rows:
        out += sorted(row)
    return out, inside, (w, h)


WORD = re.compile(r'<word xMin="([-0-9.]+)" yMin="([-0-9.]+)" xMax="([-0-9.]+)" '
                  r'yMax="([-0-9.]+)">([^<]*)</word>')
PAGE = re.compile(r'<page width="([0-9.]+)" height="([0-9.]+)">')


def pages(path):
    """[(width, height, [(x0, y0, x1, y1, text)])] of a pdftotext -bbox file."""
    out = []
    for chunk in open(path, encoding="utf-8").read().split("<page ")[1:]:
        m = PAGE.match("<page " + chunk)
        words = [tuple(float(v) for v in w[:4]) + (w[4],) for w in WORD.findall(chunk)]
        out.append((float(m.group(1)), float(m.group(2)), words))
    return out


def inside_cmd(args):
    dbdir, name, bbox, count = args[:4]
    count = int(count)
    dx = dy = 0.0
    first = 1
    rest = args[4:]
    while rest:
        if rest[0] == "--offset":
            dx, dy = (float(v) * PT["mm"] for v in rest[1].split(","))
        elif rest[0] == "--first":
            first = int(rest[1])
        rest = rest[2:]
    (pw, ph), shape = template(dbdir, name)
    corners, inside, (lw, lh) = labels(shape)
    errors, used = [], set()
    ps = pages(bbox)
    for n, (w, h, words) in enumerate(ps, 1):
        if abs(w - pw) > 0.01 or abs(h - ph) > 0.01:
            errors.append("page %d is %.2f x %.2f pt, the template's paper %.2f x %.2f"
                          % (n, w, h, pw, ph))
        for x0, y0, x1, y1, text in words:
            hit = None
            for k, (cx, cy) in enumerate(corners):
                ox, oy = cx + dx, cy + dy
                if all(inside(px - ox, py - oy) for px, py in
                       ((x0, y0), (x1, y0), (x0, y1), (x1, y1))):
                    hit = k
                    break
            if hit is None:
                errors.append("page %d: '%s' at (%.2f, %.2f)-(%.2f, %.2f) pt is inside "
                              "no label" % (n, text, x0, y0, x1, y1))
            else:
                used.add((n, hit))
    if len(used) != count:
        errors.append("%d labels hold words, expected %d" % (len(used), count))
    if first > 1:
        early = sorted(k + 1 for p, k in used if p == 1 and k < first - 1)
        if early:
            errors.append("--first %d: labels %s of sheet 1 are not empty" % (first, early))
        if (1, first - 1) not in used:
            errors.append("--first %d: label %d of sheet 1 is empty" % (first, first))
    for e in errors[:20]:
        print("FAIL:", e)
    if errors:
        return 1
    print("%s: %d pages, %d labels, every word inside its label (%.2f x %.2f pt)"
          % (name, len(ps), len(used), lw, lh))
    return 0


def moved_cmd(args):
    a, b = pages(args[0]), pages(args[1])
    dx, dy = float(args[2]) * PT["mm"], float(args[3]) * PT["mm"]
    wa = [w for p in a for w in p[2]]
    wb = [w for p in b for w in p[2]]
    if len(wa) != len(wb) or not wa:
        print("FAIL: %d words, then %d" % (len(wa), len(wb)))
        return 1
    # pdftotext -bbox prints 6 decimals; the PDF writer rounds positions
    bad = [(p, q) for p, q in zip(wa, wb) if p[4] != q[4] or
           abs(q[0] - p[0] - dx) > 0.02 or abs(q[1] - p[1] - dy) > 0.02]
    for p, q in bad[:10]:
        print("FAIL: '%s' at (%.3f, %.3f) is '%s' at (%.3f, %.3f)" % (p[4], p[0], p[1],
                                                                   q[4], q[0], q[1]))
    if bad:
        return 1
    print("%d words moved by (%.3f, %.3f) pt" % (len(wa), dx, dy))
    return 0


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    sys.exit(inside_cmd(args) if cmd == "inside" else moved_cmd(args))


main()
