#!/usr/bin/python3
"""letters.py - the peer baseline for bench/compare.sh: the benchmark job of
/work/shared/bench/README.md written as a plain, idiomatic ReportLab program
(Debian python3-reportlab 3.6.12; run it with /usr/bin/python3).

Reads the recipients CSV and letter.md, writes OUTDIR/letters/letter-ID.pdf
(A4, PT Serif embedded, address in the DIN 5008 form B window, body 11/14 pt
ragged right, "– 2 –" on page 2), OUTDIR/labels.pdf (Avery L7163) and
OUTDIR/manifest.csv (id,surname,surname_latin,file,pages,bytes).

surname_latin uses the ICAO Doc 9303 (part 3) Cyrillic table below, with the
Belarusian letters і -> i, ў -> u, г -> h in `be` rows (as in Belarusian
passports) and the apostrophe dropped: Кавалёва -> Kavaleva, Жукоўская ->
Zhukouskaia. It is deliberately simple; envoi's own schemes are richer.

Usage: letters.py RECIPIENTS.csv LETTER.md FONT.ttf OUTDIR
"""
import csv
import os
import re
import sys
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

FONT = "PTSerif"
DATE = "2 June 2025"
TITLE = "Judge"
PAGE_W, PAGE_H = A4

# Page geometry (README "The benchmark job"), all from the top-left corner.
MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 25 * mm, 20 * mm, 20 * mm, 20 * mm
BODY_TOP_P1 = 100 * mm
WINDOW_X, WINDOW_Y, WINDOW_W, WINDOW_H = 20 * mm, 45 * mm, 90 * mm, 45 * mm
ADDR_X, ADDR_BASE, ADDR_SIZE, ADDR_LEADING = 25 * mm, 55 * mm, 10, 12
FOLIO_Y = 12 * mm

# Avery L7163: 2 x 7 labels of 99.1 x 38.1 mm.
LABEL_W, LABEL_H = 99.1 * mm, 38.1 * mm
LABEL_TOP, LABEL_LEFT, LABEL_PITCH_X = 15.15 * mm, 4.65 * mm, 101.6 * mm
LABEL_COLS, LABEL_ROWS = 2, 7
LABEL_PAD, LABEL_SIZE, LABEL_LEADING = 5 * mm, 9, 11

ICAO = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e",
    "ж": "zh", "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    "і": "i", "ў": "u", "'": "", "’": "",
}
ICAO_BE = dict(ICAO, г="h")


def latin(text, lang):
    table = ICAO_BE if lang == "be" else ICAO
    out = []
    for ch in text:
        low = ch.lower()
        if low not in table:
            out.append(ch)
            continue
        lat = table[low]
        out.append(lat.capitalize() if ch != low else lat)
    return "".join(out)


def read_template(path):
    """Blocks separated by blank lines: ("list", [items]) or ("para", text)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    blocks = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.splitlines()]
        if all(line.startswith("- ") for line in lines):
            blocks.append(("list", [line[2:] for line in lines]))
        else:
            blocks.append(("para", " ".join(lines)))
    return blocks


PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def merge(text, values):
    # One pass: a value containing {{ is printed as is.
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def address_lines(r):
    street = ", ".join(p for p in (r["street"], r["building"], r["office"]) if p)
    lines = [f'{r["surname"]} {r["given_name"]} {r["patronymic"]}', r["court"],
             street, f'{r["postcode"]} {r["city"]}']
    if not r["region"].startswith("г."):
        lines.append(r["region"])
    lines.append(r["country"])
    return lines


class Letter(BaseDocTemplate):
    """Page 1 with the window address and a body from 100 mm; later pages
    with the folio. The address for the current letter is set before build."""

    def __init__(self, filename, address):
        super().__init__(filename, pagesize=A4, invariant=1,
                         leftMargin=MARGIN_L, rightMargin=MARGIN_R,
                         topMargin=MARGIN_T, bottomMargin=MARGIN_B,
                         title="Letter", author="benchmark")
        self.address = address
        width = PAGE_W - MARGIN_L - MARGIN_R
        first = Frame(MARGIN_L, MARGIN_B, width, PAGE_H - BODY_TOP_P1 - MARGIN_B,
                      leftPadding=0, rightPadding=0, topPadding=0,
                      bottomPadding=0, id="first")
        later = Frame(MARGIN_L, MARGIN_B, width, PAGE_H - MARGIN_T - MARGIN_B,
                      leftPadding=0, rightPadding=0, topPadding=0,
                      bottomPadding=0, id="later")
        self.addPageTemplates([
            PageTemplate("first", [first], onPage=self.draw_address,
                         autoNextPageTemplate="later"),
            PageTemplate("later", [later], onPage=self.draw_folio),
        ])

    def draw_address(self, c, doc):
        c.setFont(FONT, ADDR_SIZE)
        y = PAGE_H - ADDR_BASE
        for line in self.address:
            if ADDR_X + c.stringWidth(line, FONT, ADDR_SIZE) > WINDOW_X + WINDOW_W:
                print(f"letters.py: address line outside the window: {line}",
                      file=sys.stderr)
            c.drawString(ADDR_X, y, line)
            y -= ADDR_LEADING

    def draw_folio(self, c, doc):
        c.setFont(FONT, 11)
        c.drawCentredString(PAGE_W / 2, PAGE_H - FOLIO_Y, f"– {doc.page} –")


def write_labels(path, addresses):
    c = canvas.Canvas(path, pagesize=A4, invariant=1)
    per_sheet = LABEL_COLS * LABEL_ROWS
    for i, lines in enumerate(addresses):
        if i and i % per_sheet == 0:
            c.showPage()
        row, col = divmod(i % per_sheet, LABEL_COLS)
        x = LABEL_LEFT + col * LABEL_PITCH_X + LABEL_PAD
        top = PAGE_H - LABEL_TOP - row * LABEL_H
        # Centre the block vertically in the label.
        block = LABEL_SIZE + (len(lines) - 1) * LABEL_LEADING
        y = top - (LABEL_H - block) / 2 - LABEL_SIZE
        c.setFont(FONT, LABEL_SIZE)
        for line in lines:
            c.drawString(x, y, line)
            y -= LABEL_LEADING
    c.showPage()
    c.save()


def main(argv):
    if len(argv) != 5:
        sys.exit("usage: letters.py RECIPIENTS.csv LETTER.md FONT.ttf OUTDIR")
    recipients, template, font, outdir = argv[1:]
    pdfmetrics.registerFont(TTFont(FONT, font))
    body = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=14,
                          spaceAfter=7, alignment=TA_LEFT)
    item = ParagraphStyle("item", parent=body, leftIndent=5 * mm, spaceAfter=0)
    last_item = ParagraphStyle("last_item", parent=item, spaceAfter=7)
    blocks = read_template(template)

    os.makedirs(os.path.join(outdir, "letters"), exist_ok=True)
    with open(recipients, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))

    manifest = []
    addresses = []
    for r in rows:
        values = dict(r, date=DATE, title=TITLE,
                      surname_latin=latin(r["surname"], r["lang"]))
        story = []
        for kind, content in blocks:
            if kind == "para":
                story.append(Paragraph(escape(merge(content, values)), body))
            else:
                for n, text in enumerate(content):
                    style = item if n < len(content) - 1 else last_item
                    story.append(Paragraph(escape(merge(text, values)), style))
        address = address_lines(r)
        name = f'letters/letter-{r["id"]}.pdf'
        doc = Letter(os.path.join(outdir, name), address)
        doc.build(story)
        manifest.append((r["id"], r["surname"], values["surname_latin"], name,
                         doc.page, os.path.getsize(os.path.join(outdir, name))))
        addresses.append(address)

    write_labels(os.path.join(outdir, "labels.pdf"), addresses)
    with open(os.path.join(outdir, "manifest.csv"), "w", newline="",
              encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(("id", "surname", "surname_latin", "file", "pages", "bytes"))
        w.writerows(manifest)


if __name__ == "__main__":
    main(sys.argv)
