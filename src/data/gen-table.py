#!/usr/bin/env python3
"""gen-table.py - compile a tab-separated data file into a C include.

Usage: gen-table.py KIND INPUT OUTPUT
KIND translit: rows "letter<TAB>ru<TAB>be" -> {codepoint, "ru", "be"} sorted.
KIND labels: rows of a sheet id, brand, paper, 13 numbers and a description ->
  ev_label_sheet (one grid, rectangular labels).
KIND presets: rows of a layout id and 11 numbers -> ev_preset.
KIND pairs: rows "left<TAB>right" -> {"left", "right"} (both non-empty).
KIND triples: rows of three non-empty strings -> {"a", "b", "c"}.
KIND givennames: rows "be<TAB>ru<TAB>m|f[<TAB>patronymics]" (src/data/given-names.tsv)
  -> {"be", "ru", 'm'|'f', "be patronymic", "ru patronymic"}: the male
  patronymics from a man's name, derived by patronymic_be/_ru unless the
  row gives "BE RU", none ("") for "-" and for women's names.
KIND zones: rows of a posting country and 9 numbers -> ev_post_zones
  (src/data/envelope-zones.tsv).
KIND schemes (usage: gen-table.py schemes OUTPUT INPUT...): transliteration
  scheme files (src/data/translit/*.tsv, format in its README.md) -> rule
  tables sorted for the interpreter in src/translit/scheme.c: forward rules by first
  letter, longest FROM first, then file order; for reversible schemes also
  reverse rules (TO -> FROM) the same way, each TO under its composed and its
  decomposed spelling (input is NFC, capitals such as J + U+030C have no
  composed form).
KIND decline (usage: gen-table.py decline OUTPUT ru.tsv be.tsv exceptions.tsv):
  the declension rules of src/data/decline/ (formats in each file's header)
  -> ev_decl_rule tables for src/names/decline.c: ending rules by language,
  longest ending first, then file order; exceptions in file order.
Lines starting with '#' and blank lines are skipped; the file's own header
comment names its sources. Fails loudly on malformed rows.
"""
import sys
import unicodedata


def rows(path):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            yield n, line.split("\t")


def cstr(s):
    out = []
    for b in s.encode("utf-8"):
        if 32 <= b < 127 and chr(b) not in '"\\?':
            out.append(chr(b))
        else:
            out.append("\\%03o" % b)
    return '"' + "".join(out) + '"'


# Language bits of a row: "*" is every language (Russian, Belarusian,
# Ukrainian), so a table's shared rows also serve the words it has no rows
# of their own for.
LANGS = {"*": 7, "ru": 1, "be": 2, "uk": 4}


VOWELS = set("аеёиоуыэюяіў")


def patronymic_ru(name):
    """The Russian male patronymic of a father's name, by the regular rule
    (Иван -> Иванович, Сергей -> Сергеевич, Игорь -> Игоревич, Юрий ->
    Юрьевич, Дмитрий -> Дмитриевич); None where there is no rule (-а, -я)."""
    if name.endswith("ий"):
        # After two consonants the и stays: Дмитриевич, Георгиевич.
        if len(name) > 3 and name[-3].lower() not in VOWELS and name[-4].lower() not in VOWELS:
            return name[:-1] + "евич"
        return name[:-2] + "ьевич"
    if name[-1] in "йь":
        return name[:-1] + "евич"
    if name[-1].lower() in VOWELS:
        return None
    return name + ("евич" if name[-1] in "жшчщц" else "ович")


def patronymic_be(name):
    """The Belarusian male patronymic (Іван -> Іванавіч, Сяргей ->
    Сяргеевіч, Генадзь -> Генадзевіч, Вячаслаў -> Вячаслававіч, Юрый ->
    Юр'евіч, Дзмітрый -> Дзмітрыевіч); None where there is no rule."""
    if name.endswith("ый") or name.endswith("ій"):
        if len(name) > 3 and name[-3].lower() not in VOWELS and name[-4].lower() not in VOWELS:
            return name[:-1] + "евіч"
        if name[-3] in "р":
            return name[:-2] + "'евіч"   # р is never soft: Юр'евіч
        return name[:-2] + "евіч"
    if name[-1] in "йь":
        return name[:-1] + "евіч"
    if name.endswith("ў"):
        return name[:-1] + "вавіч"
    if name[-1].lower() in VOWELS:
        return None
    return name + "авіч"


def scheme_file(path):
    head = {}
    rules = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            m = line.startswith("#") and line[1:].strip()
            if m and ":" in m and m.split(":", 1)[0] in ("lang", "reverse", "uk"):
                k, v = m.split(":", 1)
                head.setdefault(k, v.strip())
                continue
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 4 or cols[0] not in LANGS or not cols[1] or not cols[2] or not cols[3]:
                sys.exit("%s:%d: expected LANG<TAB>FROM<TAB>TO<TAB>CONTEXT" % (path, n))
            to = "" if cols[2] == "-" else cols[2]
            rules.append((LANGS[cols[0]], cols[1], to, cols[3], n))
    first = open(path, encoding="utf-8").readline()
    name = first.split(" - ", 1)[1].strip() if " - " in first else ""
    return head, name, rules


def gen_schemes(dst, srcs):
    lines = ["/* generated by gen-table.py from src/data/translit (one file per scheme); do not edit */"]
    defs = []
    for path in sorted(srcs):
        sid = path.split("/")[-1][:-4]
        cname = sid.replace("-", "_")
        head, name, rules = scheme_file(path)
        rev = head.get("reverse", "no").split()[0]
        if rev not in ("yes", "no", "best-effort"):
            sys.exit("%s: reverse: must be yes, no or best-effort" % path)
        fwd = sorted(rules, key=lambda r: (ord(r[1][0]), -len(r[1]), r[4]))
        lines.append("static const ev_rule fwd_%s[] = {" % cname)
        for lang, frm, to, ctx, n in fwd:
            lines.append("\t{%d, 0x%04X, %s, %s, %s}," % (lang, ord(frm[0]), cstr(frm), cstr(to), cstr(ctx)))
        lines.append("};")
        nrev = 0
        if rev != "no":
            # Latin -> Cyrillic: the first row (file order) for each output
            # wins; "jform" marks outputs that follow an apostrophe in the
            # forward direction (after:S), so the reverse can restore it.
            back = []
            seen = set()
            jform = {(l, r[2]) for r in rules for l in (1, 2)
                     if r[0] & l and "after:S" in r[3]}
            spellings = lambda t: dict.fromkeys(unicodedata.normalize(f, t) for f in ("NFC", "NFD"))
            # Context-free rows first: о -> o, not ё -> o (after л, Łacinka).
            for lang, frm, to, ctx, n in sorted(rules, key=lambda r: (r[3] != "*", r[4])):
                if not to or "forward-only" in ctx.split(","):
                    continue
                for l in (1, 2):
                    if lang & l and (l, to) not in seen:
                        seen.add((l, to))
                        for key in spellings(to.lower()):
                            back.append((l, key, frm, "jform" if (l, to) in jform else "*", n))
            back.sort(key=lambda r: (ord(r[1][0]), -len(r[1]), r[4]))
            lines.append("static const ev_rule rev_%s[] = {" % cname)
            for lang, to, frm, ctx, n in back:
                lines.append("\t{%d, 0x%04X, %s, %s, %s}," % (lang, ord(to[0]), cstr(to), cstr(frm), cstr(ctx)))
            lines.append("};")
            nrev = len(back)
        langs = sum(LANGS[x] for x in head.get("lang", "be ru").split() if x in LANGS and x != "*") or 3
        uk = head.get("uk")
        if uk and uk + ".tsv" not in [p.split("/")[-1] for p in srcs]:
            sys.exit("%s: uk: names no scheme file %s.tsv" % (path, uk))
        defs.append("{%s, %s, %d, %s, %s, fwd_%s, %d, %s, %d}," % (
            cstr(sid), cstr(name), langs, cstr(uk) if uk else "NULL",
            {"yes": "EV_REVERSE_YES", "no": "EV_REVERSE_NO", "best-effort": "EV_REVERSE_BEST_EFFORT"}[rev],
            cname, len(fwd), ("rev_" + cname) if nrev else "NULL", nrev))
    lines.append("static const ev_scheme schemes[] = {")
    lines += ["\t" + d for d in defs]
    lines.append("};")
    with open(dst, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


DECL_PARTS = {"surname": 0, "given": 1, "patronymic": 2, "title": 3, "prefix": 4}
DECL_GENDERS = {"*": 0, "m": 1, "f": 2}
DECL_LANGS = {"ru": 1, "be": 2, "*": 3}


def decl_mod(path, n, mod, ending):
    """A modifier: '.', '?', or leading '-'s then letters; it may remove at
    most the ending it belongs to, so the stem is always the input's."""
    if mod in (".", "?"):
        return mod
    k = len(mod) - len(mod.lstrip("-"))
    rest = mod[k:]
    if not mod or "-" in rest or any(c.isupper() or c.isspace() for c in rest) or \
            (ending is not None and k > len(ending)):
        sys.exit("%s:%d: bad modifier '%s'" % (path, n, mod))
    return mod


def gen_decline(dst, srcs):
    lines = ["/* generated by gen-table.py from src/data/decline; do not edit */"]
    rules = []
    exc = []
    for path in srcs:
        name = path.split("/")[-1]
        for n, cols in rows(path):
            if name == "exceptions.tsv":
                if len(cols) != 6 or cols[0] not in DECL_LANGS or cols[1] not in DECL_PARTS \
                        or cols[2] not in DECL_GENDERS or not cols[3] or cols[3] != cols[3].lower():
                    sys.exit("%s:%d: expected LANG PART GENDER WORD GEN DAT" % (path, n))
                if "ё" in cols[3] or "’" in cols[3]:
                    sys.exit("%s:%d: WORD is folded: е for ё, ' for apostrophes" % (path, n))
                g, d = (decl_mod(path, n, m, None) for m in cols[4:6])
                exc.append((DECL_LANGS[cols[0]], DECL_PARTS[cols[1]], DECL_GENDERS[cols[2]],
                            cols[3], g, d))
                continue
            lang = DECL_LANGS[name[:-4]]
            if len(cols) != 5 or cols[0] not in DECL_PARTS or cols[1] not in DECL_GENDERS \
                    or not cols[2].strip():
                sys.exit("%s:%d: expected PART GENDER ENDINGS GEN DAT" % (path, n))
            for end in cols[2].split():
                if end != end.lower() or "ё" in end:
                    sys.exit("%s:%d: endings are folded: lower case, е for ё" % (path, n))
                g, d = (decl_mod(path, n, m, end) for m in cols[3:5])
                rules.append((lang, DECL_PARTS[cols[0]], DECL_GENDERS[cols[1]], end, g, d,
                              len(rules)))
    rules.sort(key=lambda r: (r[0], -len(r[3]), r[6]))
    lines.append("static const ev_decl_rule decl_rules[] = {")
    for r in rules:
        lines.append("\t{%d, %d, %d, %s, %s, %s}," % (r[0], r[1], r[2], cstr(r[3]), cstr(r[4]), cstr(r[5])))
    lines.append("};")
    lines.append("static const ev_decl_rule decl_exceptions[] = {")
    for r in exc:
        lines.append("\t{%d, %d, %d, %s, %s, %s}," % (r[0], r[1], r[2], cstr(r[3]), cstr(r[4]), cstr(r[5])))
    lines.append("};")
    with open(dst, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main():
    if sys.argv[1] == "schemes":
        gen_schemes(sys.argv[2], sys.argv[3:])
        return
    if sys.argv[1] == "decline":
        gen_decline(sys.argv[2], sys.argv[3:])
        return
    kind, src, dst = sys.argv[1:4]
    lines = ["/* generated by gen-table.py from %s; do not edit */" % src.split("/")[-1]]
    if kind == "translit":
        table = []
        for n, cols in rows(src):
            cols += [""] * (3 - len(cols))
            if len(cols) != 3 or len(cols[0]) != 1:
                sys.exit("%s:%d: expected letter<TAB>ru<TAB>be" % (src, n))
            table.append((ord(cols[0]), cols[1], cols[2]))
        for cp, ru, be in sorted(table):
            lines.append("{0x%04X, %s, %s}," % (cp, cstr(ru), cstr(be)))
    elif kind == "pairs":
        for n, cols in rows(src):
            if len(cols) != 2 or not cols[0] or not cols[1]:
                sys.exit("%s:%d: expected left<TAB>right" % (src, n))
            lines.append("{%s, %s}," % (cstr(cols[0]), cstr(cols[1])))
    elif kind == "triples":
        for n, cols in rows(src):
            if len(cols) != 3 or not all(cols):
                sys.exit("%s:%d: expected three non-empty columns" % (src, n))
            lines.append("{%s}," % ", ".join(cstr(c) for c in cols))
    elif kind == "givennames":
        for n, cols in rows(src):
            if len(cols) not in (3, 4) or not cols[0] or not cols[1] or cols[2] not in ("m", "f"):
                sys.exit("%s:%d: expected be<TAB>ru<TAB>m|f[<TAB>patronymics]" % (src, n))
            pbe = pru = ""
            if cols[2] == "m":
                given = cols[3] if len(cols) == 4 else ""
                if given == "-":
                    pass
                elif given:
                    if len(given.split(" ")) != 2:
                        sys.exit("%s:%d: patronymics: \"BE RU\" or \"-\"" % (src, n))
                    pbe, pru = given.split(" ")
                else:
                    pbe, pru = patronymic_be(cols[0]), patronymic_ru(cols[1])
                    if not pbe or not pru:
                        sys.exit("%s:%d: no rule for the patronymic; give \"BE RU\" or \"-\"" % (src, n))
            elif len(cols) == 4:
                sys.exit("%s:%d: patronymics only for men's names" % (src, n))
            lines.append("{%s, %s, '%s', %s, %s}," % (cstr(cols[0]), cstr(cols[1]), cols[2],
                                                     cstr(pbe), cstr(pru)))
    elif kind == "zones":
        for n, cols in rows(src):
            if len(cols) != 10:
                sys.exit("%s:%d: expected 10 columns" % (src, n))
            nums = [float(c) for c in cols[1:]]
            if any(v < 0 for v in nums) or not all(nums[k] > 0 for k in (0, 1, 3, 5, 6, 7, 8)):
                sys.exit("%s:%d: sizes must be positive (a coding width may be 0)" % (src, n))
            lines.append("{%s, %s}," % (cstr(cols[0]), ", ".join(repr(v) for v in nums)))
    elif kind == "labels":
        for n, cols in rows(src):
            if len(cols) != 16:
                sys.exit("%s:%d: expected 16 columns" % (src, n))
            nums = [float(c) for c in cols[3:15]]
            if (any(v < 0 for v in nums) or any(v <= 0 for v in nums[:4])
                    or not all(v.is_integer() and v > 0 for v in nums[5:7])):
                sys.exit("%s:%d: sizes must be positive, columns/rows whole" % (src, n))
            pw, ph, lw, lh, rnd, nx, ny, x0, y0, dx, dy, margin = nums
            lines.append("{.id = %s, .brand = %s, .part = %s, .description = %s, "
                         ".paper = %s, .paper_w = %r, .paper_h = %r, "
                         ".shape = EV_LABEL_RECT, .label_w = %r, .label_h = %r, "
                         ".round = %r, .margin = %r, .grids = {{%d, %d, %r, %r, %r, %r}}, "
                         ".ngrids = 1, .builtin = true}," % (
                cstr(cols[0]), cstr(cols[1]), cstr(cols[0]), cstr(cols[15]), cstr(cols[2]),
                pw, ph, lw, lh, rnd, margin, int(nx), int(ny), x0, y0, dx, dy))
    elif kind == "presets":
        for n, cols in rows(src):
            if len(cols) != 12:
                sys.exit("%s:%d: expected 12 columns" % (src, n))
            nums = [float(c) for c in cols[1:]]
            if any(v < 0 for v in nums) or not nums[1] < nums[3] < nums[4]:
                sys.exit("%s:%d: sizes must be positive, field top < zone < bottom" % (src, n))
            lines.append("{%s, %s}," % (cstr(cols[0]), ", ".join(repr(v) for v in nums)))
    else:
        sys.exit("unknown kind " + kind)
    with open(dst, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


main()
