#!/usr/bin/env python3
"""envelope.py - the sample list's 413 judges on DL and C5 envelopes
(tests/unit/envelope-pdf.c: posted from Germany, both scripts), read back
with poppler, not with anything envoi says about itself:

  - `pdfinfo`: 413 pages, every one 220 x 110 mm (623.6 x 311.8 pt) for DL
    and 229 x 162 mm (649.1 x 459.2 pt) for C5;
  - `pdftotext -bbox`: on every page the words inside the return-address
    zone are exactly the return address's; every other word is one of that
    page's recipient lines' (Cyrillic, Latin, country; all of them, each
    once) and lies inside the reading zone, clear of the franking zone, the
    coding strip and the return-address zone.

Zones in mm from ../shared/reference/postal.md section 3.2 (Deutsche Post),
written out here: franking 74 x 40 top right; the address at least 40 mm
from the top and 15 mm from the left, right and bottom edges; the coding
strip the bottom 15 mm; the return address top left, left of the franking
zone, above the reading zone.

Usage: envelope.py PATH/TO/envelope-pdf SOURCE_ROOT
"""
import collections
import html
import os
import re
import subprocess
import sys
import tempfile

MM = 72 / 25.4
EPS = 0.01
SIZES = {"DL": (220, 110), "C5": (229, 162)}
WORD = re.compile(r'<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" '
                  r'yMax="([0-9.]+)">(.*?)</word>')
PAGE = re.compile(r'<page width="([0-9.]+)" height="([0-9.]+)">')

failures = []


def fail(msg):
    if len(failures) < 40:
        print("envelope.py: FAIL: " + msg, file=sys.stderr)
    failures.append(msg)


def zones(w, h):
    """(x0, y0, x1, y1) in points."""
    r = lambda x0, y0, x1, y1: (x0 * MM, y0 * MM, x1 * MM, y1 * MM)
    return {
        "reading": r(15, 40, w - 15, h - 15),
        "franking": r(w - 74, 0, w, 40),
        "coding": r(0, h - 15, w, h),
        "return": r(15, 10, w - 74 - 5, 35),
    }


def inside(b, z):
    return (b[0] >= z[0] - EPS and b[1] >= z[1] - EPS and
            b[2] <= z[2] + EPS and b[3] <= z[3] + EPS)


def overlaps(a, b):
    return a[0] < b[2] - EPS and b[0] < a[2] - EPS and a[1] < b[3] - EPS and b[1] < a[3] - EPS


def expected(path):
    """The return address's words, and each page's recipient words."""
    sender, pages = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            tag, _, text = line.rstrip("\n").partition("\t")
            if tag == "sender":
                sender += text.split()
            elif tag == "page":
                pages.append([])
            elif tag == "line":
                pages[-1] += text.split()
    return collections.Counter(sender), [collections.Counter(p) for p in pages]


def check_size(name, pdf, txt):
    w, h = SIZES[name]
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "100000", pdf],
                          capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    if pages != 413:
        fail("%s: %d pages, not 413" % (name, pages))
    sizes = re.findall(r"^Page\s+\d+ size:\s+([0-9.]+) x ([0-9.]+) pts", info, re.M)
    if len(sizes) != pages:
        fail("%s: pdfinfo lists %d page sizes" % (name, len(sizes)))
    for k, (pw, ph) in enumerate(sizes, 1):
        if abs(float(pw) - w * MM) > 0.05 or abs(float(ph) - h * MM) > 0.05:
            fail("%s page %d: %s x %s pt, not %.1f x %.1f" % (name, k, pw, ph, w * MM, h * MM))

    sender, want = expected(txt)
    z = zones(w, h)
    out = subprocess.run(["pdftotext", "-bbox", "-enc", "UTF-8", pdf, "-"],
                         capture_output=True, text=True, check=True).stdout
    chunks = PAGE.split(out)[1:]
    found = [chunks[i + 2] for i in range(0, len(chunks), 3)]
    if len(found) != len(want):
        fail("%s: %d pages in the text, %d envelopes written" % (name, len(found), len(want)))
    words = 0
    for k, (body, recipient) in enumerate(zip(found, want), 1):
        ret, rest = collections.Counter(), collections.Counter()
        for m in WORD.finditer(body):
            b = tuple(float(v) for v in m.groups()[:4])
            word = html.unescape(m.group(5))
            words += 1
            if inside(b, z["return"]):
                ret[word] += 1
                continue
            rest[word] += 1
            where = "%s page %d: '%s' at %.1f,%.1f-%.1f,%.1f mm" % (
                name, k, word, b[0] / MM, b[1] / MM, b[2] / MM, b[3] / MM)
            if not inside(b, z["reading"]):
                fail(where + " is outside the reading zone")
            for zone in ("franking", "coding", "return"):
                if overlaps(b, z[zone]):
                    fail(where + " is in the %s zone" % zone)
        if ret != sender:
            fail("%s page %d: the return-address zone holds %s" % (name, k, sorted(ret.elements())))
        if rest != recipient:
            fail("%s page %d: recipient words missing %s, extra %s" % (
                name, k, sorted((recipient - rest).elements()), sorted((rest - recipient).elements())))
    print("%s: %d pages, %d words checked" % (name, pages, words))


def main():
    prog, root = sys.argv[1], sys.argv[2]
    fonts = os.environ.get("ENVOI_FONTDIR", os.path.join(root, "fonts"))
    with tempfile.TemporaryDirectory() as tmp:
        r = subprocess.run([prog, os.path.join(root, "recipients", "judges.csv"), fonts, tmp]
                           + list(SIZES))
        if r.returncode != 0:
            fail("%s exited %d" % (prog, r.returncode))
            return 1
        for name in SIZES:
            check_size(name, os.path.join(tmp, name + ".pdf"), os.path.join(tmp, name + ".txt"))
    if failures:
        print("envelope.py: %d failures" % len(failures), file=sys.stderr)
        return 1
    print("envelope.py: ok")
    return 0


sys.exit(main())
