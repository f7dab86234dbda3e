#!/usr/bin/env python3
"""gen_actors.py -- build data/actors.txt from data/src/actors/ and country data.

    python3 tools/gen_actors.py [--npm DIR] [--check]
    python3 tools/gen_actors.py --offices-report [--on YYYYMMDD]

Country and territory entries are generated for every code of ISO 3166-1
from the npm packages `world-countries` (common and official names, other
spellings, demonyms, capitals) and `i18n-iso-countries` (the English names);
install them into a scratch folder first:

    mkdir -p /tmp/npmdata && cd /tmp/npmdata && npm install world-countries i18n-iso-countries

and pass --npm /tmp/npmdata/node_modules (the default).  Each generated
entry is merged with the hand-written entry of the same code in
data/src/actors/countries.txt (cities, older names, spellings the packages
lack); the hand-written names come first.  The other source files
(organizations, armed groups, institutions, people, regions, U.S. states,
media) are copied in, in the order of SOURCES.

Every name belongs to one actor: the first entry to claim it keeps it
(hand-written entries before generated names), and the script reports the
later claims.  The output is deterministic.
"""
import argparse
import json
import os
import re
import sys
import time
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRCDIR = os.path.join(ROOT, "data", "src", "actors")
OUT = os.path.join(ROOT, "data", "actors.txt")

# Copied after the countries, in this order.
SOURCES = ["regions.txt", "organizations.txt", "armed_groups.txt", "institutions.txt",
           "media.txt", "people.txt", "us_states.txt"]

# ISO codes that CAMEO writes differently.
CAMEO_CODE = {"UNK": "KSV"}

# Generated names that are ordinary words, people's names or places
# elsewhere: never added from the packages (a hand-written entry may still
# list them).
STOP = set("""
MALE VICTORIA HAMILTON DOUGLAS STANLEY KINGSTON GEORGE_TOWN PLYMOUTH JAMESTOWN
SAINT_JOHN'S ST._JOHN'S CHARLOTTE_AMALIE ROAD_TOWN THE_VALLEY BRIDGETOWN
SAINT_HELIER ST._HELIER SAINT_PETER_PORT ST._PETER_PORT FLYING_FISH_COVE
WEST_ISLAND KING_EDWARD_POINT ADAMSTOWN EDINBURGH_OF_THE_SEVEN_SEAS
PORT-AUX-FRANCAIS MARIGOT PHILIPSBURG GUSTAVIA KRALENDIJK WILLEMSTAD
ORANJESTAD SAINT-PIERRE MATA-UTU AVARUA ALOFI FAKAOFO PAPEETE NOUMEA
HAGATNA SAIPAN PAGO_PAGO DIEGO_GARCIA NUKU'ALOFA
REPUBLIC KINGDOM STATE UNION ISLANDS ISLAND
GEORGIA JERSEY GUERNSEY MAN CHRISTMAS_ISLAND NORFOLK_ISLAND
AMERICAN BRITISH ENGLISH
""".split())

# Demonyms of several countries: which one they mean in news text.
DEMONYM_OWNER = {
    "AMERICAN": "USA", "AMERICANS": "USA", "BRITISH": "GBR", "KOREAN": "KOR",
    "KOREANS": "KOR", "CONGOLESE": "COD", "DOMINICAN": "DOM", "DOMINICANS": "DOM",
    "SAMOAN": "WSM", "SAMOANS": "WSM", "GUINEAN": "GIN", "GUINEANS": "GIN",
    "SUDANESE": "SDN", "CHINESE": "CHN", "IRISH": "IRL", "FRENCH": "FRA",
    "DANISH": "DNK", "DUTCH": "NLD", "NORWEGIAN": "NOR", "NORWEGIANS": "NOR",
    "VIRGIN_ISLANDER": "VIR", "VIRGIN_ISLANDERS": "VIR", "FINNISH": "FIN",
    "AUSTRALIAN": "AUS", "AUSTRALIANS": "AUS", "NEW_ZEALANDER": "NZL",
    "PORTUGUESE": "PRT", "SPANISH": "ESP", "MOROCCAN": "MAR", "CYPRIOT": "CYP",
    "CYPRIOTS": "CYP", "SERBIAN": "SRB", "SERBIANS": "SRB", "ISRAELI": "ISR",
    "ISRAELIS": "ISR", "PALESTINIAN": "PSE", "PALESTINIANS": "PSE",
}


def ascii_upper(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("\u2019", "'").replace("\u2018", "'")
    return s.upper()


CLITIC = re.compile(r"^(.+)'(S|D|M|RE|VE|LL)$")


def split_clitics(name):
    """A name as magpie tokenizes text: "RUSSIA'S" is the two tokens RUSSIA
    'S and "WORKERS'" is WORKERS ', so the phrase must be RUSSIA_'S and
    WORKERS_' to match (see src/text.c).  Sources may write either form."""
    out = []
    for w in name.split("_"):
        m = CLITIC.match(w)
        if m and not w.endswith("N'T"):
            out.extend([m.group(1), "'" + m.group(2)])
        elif len(w) > 2 and w.endswith("S'"):
            out.extend([w[:-1], "'"])
        else:
            out.append(w)
    return "_".join(out)


STOP = set(split_clitics(n) for n in STOP)


def phrase(s):
    """A name as a dictionary phrase, or None when it cannot be one."""
    s = ascii_upper(s).strip()
    if not s or "," in s or "(" in s or "&" in s or "/" in s:
        return None
    if any(ord(c) > 127 for c in s):
        return None
    s = re.sub(r"\s+", "_", s)
    return split_clitics(s)


class Entry:
    def __init__(self, first, lineno, fname):
        self.head = first          # the primary line as written
        self.names = []            # phrases, primary first
        self.code = None           # code on the primary line
        self.dated = []            # date lines, as written
        self.pre = []              # comment lines before the entry
        self.fname = fname
        self.lineno = lineno
        m = re.match(r"^([^\s\[#]+)\s*(\[[^\]]*\])?\s*(#.*)?$", first)
        if not m:
            raise ValueError("%s:%d: bad actor line: %s" % (fname, lineno, first))
        self.names.append(split_clitics(m.group(1).upper()))
        if m.group(2):
            self.code = m.group(2)[1:-1].strip()
        self.comment = m.group(3) or ""


def parse(path):
    """Entries and free comment blocks of a TABARI actor file, in order."""
    items = []
    cur = None
    pending = []
    fname = os.path.relpath(path, ROOT)
    with open(path, encoding="utf-8") as f:
        for i, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            s = line.strip()
            if not s:
                if cur:
                    items.append(cur)
                    cur = None
                if pending:
                    items.append(("comment", pending))
                    pending = []
                continue
            if s.startswith("#"):
                if cur:
                    cur.dated.append(line)  # comment inside an entry stays with it
                else:
                    pending.append(line)
                continue
            if line.startswith("\t") or line.startswith("    ") or s.startswith("["):
                if not cur:
                    raise ValueError("%s:%d: date line outside an entry" % (fname, i))
                cur.dated.append("\t" + s)
                continue
            if s.startswith("+"):
                if not cur:
                    raise ValueError("%s:%d: synonym outside an entry" % (fname, i))
                cur.names.append(split_clitics(re.sub(r"\s*#.*$", "", s[1:]).strip().upper()))
                continue
            if cur:
                items.append(cur)
            cur = Entry(s, i, fname)
            if pending:
                cur.pre = pending
                pending = []
    if cur:
        items.append(cur)
    if pending:
        items.append(("comment", pending))
    return items


ROLES = ("HOS", "HOG", "FM", "DM", "IM")


def read_offices(path):
    """Terms of office: {name: {'aliases': [...], 'terms': [(code, from, to)], 'home': code}}."""
    people = {}
    order = []
    fname = os.path.relpath(path, ROOT)
    with open(path, encoding="utf-8") as f:
        for i, raw in enumerate(f, 1):
            s = raw.split("#", 1)[0].strip()
            if not s:
                continue
            p = s.split()
            if len(p) < 5 or p[1] not in ROLES:
                raise ValueError("%s:%d: bad office line" % (fname, i))
            country, role, start, end, name = p[:5]
            aliases = [split_clitics(a[1:].upper()) for a in p[5:] if a.startswith("+")]
            if not re.match(r"^\d{8}$", start) or not (end == "-" or re.match(r"^\d{8}$", end)):
                raise ValueError("%s:%d: bad dates" % (fname, i))
            name = split_clitics(name.upper())
            if name not in people:
                people[name] = {"aliases": [], "terms": [], "home": country, "where": "%s:%d" % (fname, i)}
                order.append(name)
            d = people[name]
            for a in aliases:
                if a not in d["aliases"]:
                    d["aliases"].append(a)
            # in office: the country's government; an IGO's head takes its code
            code = country + "GOV" if len(country) == 3 else country
            d["terms"].append((code, start, end))
            if len(country) == 3 and len(d["home"]) != 3:
                d["home"] = country
    return [(n, people[n]) for n in order]



def offices_report(path, on):
    """Which of the five roles of each country in offices.txt have a holder on day ON."""
    held = {}      # country -> role -> [names in office on ON]
    ever = {}      # country -> roles with any line at all
    with open(path, encoding="utf-8") as f:
        for raw in f:
            p = raw.split("#", 1)[0].split()
            if len(p) < 5 or p[1] not in ROLES:
                continue
            country, role, start, end, name = p[:5]
            ever.setdefault(country, set()).add(role)
            d = held.setdefault(country, {})
            if int(start) <= on and (end == "-" or on <= int(end)):
                d.setdefault(role, []).append(name)
    out = ["offices on %d: country, then each role as the holder's name, '-' vacant, "
           "'.' never listed" % on]
    for c in sorted(held):
        cells = []
        for r in ROLES:
            if r in held[c]:
                cells.append("%s=%s" % (r, "+".join(held[c][r])))
            else:
                cells.append("%s=%s" % (r, "-" if r in ever[c] else "."))
        out.append("%-9s %s" % (c, " ".join(cells)))
    return out


def plural(d):
    if d.endswith(("SH", "CH", "ESE", "SS", "I")) and not d.endswith("I"):
        return None
    if d.endswith(("SH", "CH", "ESE", "SS")):
        return None
    if d.endswith("I"):
        return d + "S"
    if d.endswith("Y"):
        return None
    return d + "S"


def country_names(c, en):
    """Generated names of one world-countries record, most useful first."""
    out = []

    def add(x):
        p = phrase(x) if x else None
        if p and p not in out and p not in STOP and not (len(p) <= 3 and "." not in p):
            out.append(p)

    add(c["name"]["common"])
    add(c["name"]["official"])
    for n in en.get(c["cca2"], []) if isinstance(en.get(c["cca2"]), list) else [en.get(c["cca2"])]:
        add(n)
    for n in c.get("altSpellings", []):
        add(n)
    dem = c.get("demonyms", {}).get("eng", {})
    for k in ("m", "f"):
        d = phrase(dem.get(k, "")) if dem.get(k) else None
        if d:
            add(d)
            p = plural(d)
            if p:
                add(p)
    for cap in c.get("capital", []):
        add(cap)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--npm", default="/tmp/npmdata/node_modules")
    ap.add_argument("--out", default=OUT)
    ap.add_argument("--check", action="store_true", help="only say whether OUT is up to date")
    ap.add_argument("--offices-report", action="store_true",
                    help="print which roles of each country in offices.txt have a holder, then stop")
    ap.add_argument("--on", type=int, default=int(time.strftime("%Y%m%d")),
                    help="the day for --offices-report (YYYYMMDD, default today)")
    a = ap.parse_args()
    if a.offices_report:
        print("\n".join(offices_report(os.path.join(SRCDIR, "offices.txt"), a.on)))
        return
    wc = os.path.join(a.npm, "world-countries", "countries.json")
    i18n = os.path.join(a.npm, "i18n-iso-countries", "langs", "en.json")
    if not os.path.exists(wc) or not os.path.exists(i18n):
        sys.exit("gen_actors.py: need world-countries and i18n-iso-countries under %s "
                 "(see the help)" % a.npm)
    countries = json.load(open(wc, encoding="utf-8"))
    en = json.load(open(i18n, encoding="utf-8"))["countries"]

    claimed = {}    # name -> (code, where)
    notes = []

    def claim(name, code, where):
        if name in claimed:
            if claimed[name][0] != code:
                notes.append("%s: %s already names %s (%s)" % (where, name, claimed[name][0],
                                                                claimed[name][1]))
            return False
        claimed[name] = (code, where)
        return True

    # 1. hand-written names, countries first
    hand = parse(os.path.join(SRCDIR, "countries.txt"))
    by_code = {}
    for it in hand:
        if isinstance(it, Entry):
            it.names = [n for n in it.names if claim(n, it.code, "%s:%d" % (it.fname, it.lineno))]
            by_code.setdefault(it.code, it)
    others = []
    for fn in SOURCES:
        items = parse(os.path.join(SRCDIR, fn))
        for it in items:
            if isinstance(it, Entry):
                code = it.code or (it.dated[0] if it.dated else "?")
                it.names = [n for n in it.names
                            if claim(n, code, "%s:%d" % (it.fname, it.lineno))]
        others.append((fn, items))

    # office holders: people.txt entries win; others become entries here
    have = set()
    for fn, items in others:
        for it in items:
            if isinstance(it, Entry):
                have.update(it.names)
    office_items = []
    for name, d in read_offices(os.path.join(SRCDIR, "offices.txt")):
        if name in have:
            notes.append("%s: %s is in people.txt, which wins" % (d["where"], name))
            continue
        e = Entry(name, 0, d["where"])
        home = d["home"]
        terms = sorted(d["terms"], key=lambda t: t[1])
        # undated text: the office the person is known for (the longest term)
        def days(t):
            return (99999999 if t[2] == "-" else int(t[2])) - int(t[1])
        e.code = max(terms, key=days)[0]
        e.names = [n for n in [name] + d["aliases"] if claim(n, e.code, d["where"])]
        eli = home + "ELI" if len(home) == 3 else None
        prev_end = None
        for code, start, end in terms:
            if eli and prev_end is None:
                e.dated.append("\t[%s <%s]" % (eli, start))
            elif eli and prev_end != "-" and int(prev_end) < int(start):
                e.dated.append("\t[%s %s-%s]" % (eli, prev_end, start))
            e.dated.append("\t[%s %s]" % (code, ">" + start if end == "-" else start + "-" + end))
            if prev_end is None or prev_end == "-" or end == "-" or int(end) > int(prev_end):
                prev_end = end if prev_end != "-" else "-"
        if eli and prev_end not in (None, "-"):
            e.dated.append("\t[%s >%s]" % (eli, prev_end))
        office_items.append(e)
    others.insert(SOURCES.index("people.txt") + 1, ("offices.txt", office_items))

    # 2. generated country entries, merged with the hand-written ones
    gen = []
    for c in sorted(countries, key=lambda c: -(c.get("area") or 0)):
        code = CAMEO_CODE.get(c["cca3"], c["cca3"])
        names = country_names(c, en)
        e = by_code.get(code)
        new = []
        for n in names:
            owner = DEMONYM_OWNER.get(n)
            if owner and owner != code:
                continue
            if n in claimed:
                continue
            claim(n, code, "generated %s" % code)
            new.append(n)
        gen.append((c, code, e, new))
    gen.sort(key=lambda t: phrase(t[0]["name"]["common"]) or t[1])
    used = set()

    out = []
    out.append("# GENERATED by tools/gen_actors.py from data/src/actors/*.txt and the npm")
    out.append("# packages world-countries and i18n-iso-countries.  Edit the sources, not")
    out.append("# this file.  Format: data/README.md; TABARI / PETRARCH actor dictionaries.")
    out.append("")
    out.append("# " + "=" * 70)
    out.append("# Countries and territories: every ISO 3166-1 code, with its names,")
    out.append("# adjectives and people nouns, its capital (which stands for the country")
    out.append("# when it acts: \"Washington said\") and major cities.")
    out.append("# " + "=" * 70)
    out.append("")
    for c, code, e, new in gen:
        if e is not None:
            used.add(id(e))
            names = e.names + new
            head = names[0] + " [%s]" % code
            for p in e.pre:
                if not p.startswith("# ==") and not p.startswith("# Countries"):
                    out.append(p)
        else:
            names = new
            if not names:
                continue
            head = names[0] + " [%s]" % code
        out.append(head)
        for n in names[1:]:
            out.append("+" + n)
        if e is not None:
            out.extend(e.dated)
        out.append("")
    # hand-written country entries with no ISO record (historical states, KSV...)
    rest = [it for it in hand if isinstance(it, Entry) and id(it) not in used]
    if rest:
        out.append("# " + "=" * 70)
        out.append("# Former states and places with no ISO 3166-1 code of their own")
        out.append("# " + "=" * 70)
        out.append("")
        for it in rest:
            if not it.names:
                continue
            out.extend(p for p in it.pre if not p.startswith("# =="))
            out.append(it.names[0] + (" [%s]" % it.code if it.code else ""))
            out.extend("+" + n for n in it.names[1:])
            out.extend(it.dated)
            out.append("")
    for fn, items in others:
        for it in items:
            if isinstance(it, tuple):
                text = [l for l in it[1] if not l.startswith("# Read by") and
                        not l.startswith("# actor format") and
                        not l.startswith("# magpie actor dictionary source")]
                if text:
                    out.extend(text)
                    out.append("")
                continue
            if not it.names:
                continue
            out.extend(it.pre)
            out.append(it.names[0] + (" [%s]" % it.code if it.code else "") +
                       ("  " + it.comment if it.comment else ""))
            out.extend("+" + n for n in it.names[1:])
            out.extend(it.dated)
            out.append("")
    text = "\n".join(out).rstrip("\n") + "\n"
    for n in notes:
        print("gen_actors.py: " + n, file=sys.stderr)
    if a.check:
        cur = open(a.out, encoding="utf-8").read() if os.path.exists(a.out) else ""
        if cur != text:
            sys.exit("gen_actors.py: %s is out of date" % a.out)
        return
    with open(a.out, "w", encoding="utf-8") as f:
        f.write(text)
    nact = sum(1 for l in out if l and l[0] not in "#+\t ")
    nnames = sum(1 for l in out if l and l[0] not in "#\t ")
    print("gen_actors.py: wrote %s (%d actors, %d names)" % (os.path.relpath(a.out, ROOT), nact,
                                                              nnames), file=sys.stderr)


if __name__ == "__main__":
    main()
