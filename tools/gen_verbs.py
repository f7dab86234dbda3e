#!/usr/bin/env python3
"""gen_verbs.py -- build data/verbs.txt from data/src/verbs.src and WordNet.

    python3 tools/gen_verbs.py [--wordnet DIR] [--check]

The source file is the verb dictionary as the project writes it: the
PETRARCH-1 format of data/verbs.txt (synsets, "--- NAME [code] ---" blocks,
verb lines, "- pattern [code]" lines) with three additions that this script
expands:

  * Verb lines carry no forms.  The script looks every verb's head word up in
    WordNet's exception list (verb.exc: irregular forms such as SHOT, FLED,
    BEATEN and doubled consonants such as STOPPED, TRAVELLED) and writes
    those forms in braces; the coder makes the regular -S/-ED/-ING forms
    itself.  So are multiword verb lines inside a block ("+STOP_WORK" gets
    {STOPPED STOPPING}, which replace its head).  A verb line that already
    has braces is kept as written.

  * "@wn LEMMA SENSE[,SENSE...] [-WORD ...]" adds to the block the other
    one-word verbs of those WordNet senses of LEMMA (index.verb / data.verb),
    leaving out the words after "-", the words in AVOID below and verbs that
    another block already has.  The source names the sense, so a synonym set
    is chosen, not every sense of a word.

  * Pattern families.  A "%complement KEY c02 c03 c10 c12" section lists the
    phrases of one thing that can be appealed for (02), promised (03),
    demanded (10) or refused (12), with the CAMEO code for each ("-" for
    none); its lines are "V phrase" (a verb phrase in the base form: RELEASE,
    PROVIDE &HUMAID) and "N phrase" (a noun phrase: THE_RELEASE_OF).  A
    "%family NAME INDEX [GROUP]" section lists pattern templates using {V} ("- * +
    TO_{V}") or {N} ("- * FOR {N}"); INDEX picks the code column (0 = 02,
    1 = 03, 2 = 10, 3 = 12); a family with a GROUP takes only the complements
    whose key starts with "GROUP_", one without takes those with no "_" in
    their key.  Other families may use other columns and
    other kinds of phrase (any upper-case tag: {A} "against what").  A
    template may write {&A} instead: one pattern then refers to a synset
    (named KEYA without underscores, written at the end of the file) holding all the A phrases
    of the complement, which keeps long lists from multiplying patterns.
    "%use NAME" inside a verb block writes the family's templates crossed with
    every complement.  Templates may fix their own code with [code], which
    then wins over the complement's.

A verb line marked [---] in a block whose default codes an event is moved
to a twin block "NAME_" with no default and the block's patterns, so that
the verb codes only through patterns.

Every generated file is deterministic: the same source and WordNet give the
same data/verbs.txt.  WordNet comes from Debian's wordnet-base package
(/usr/share/wordnet); nothing else is needed.
"""
import argparse
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "data", "src", "verbs.src")
OUT = os.path.join(ROOT, "data", "verbs.txt")

# WordNet synonyms that are mostly nouns, function words or other senses in
# news text: never added by @wn.
AVOID = set("""
BE HAVE DO GET GO SET PUT RUN TAKE MAKE COME GIVE SEE LOOK KEEP HOLD TURN
PLAY WORK MOVE LEAVE CALL SHOW STAND FALL LINE BOX FIELD HOST ROUND RING
BAG BEAR BUST HIT TIE CUT DROP PASS RAISE POINT FILE STATE STEM STOCK SHARE
BANK BOND BILL BOOK CHARGE CHECK CLEAR CLOSE COVER CROSS DEAL DRAW FIRE FIX
FLOAT FORCE FRAME FUND GROUND HEAD LEAD MARK MATCH NET ORDER PACK PLANT PLOT
POST PRESS PRICE RATE REST RIDE RISE ROCK SCORE SEAT SHOT SIGN SPELL SPOT
STAKE STEP STORE SUIT TABLE TAG TAX TOP TRACK TRADE TRAIN TREAT VOICE
WATCH WAVE WIND YIELD SUPPLY MARCH PRIME SOUND TEAR TIP TOUCH WING PIN
""".split())


def load_wordnet(d):
    exc = {}
    with open(os.path.join(d, "verb.exc")) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                for base in parts[1:]:
                    exc.setdefault(base.upper(), []).append(parts[0].upper())
    index = {}
    with open(os.path.join(d, "index.verb")) as f:
        for line in f:
            if line.startswith(" "):
                continue
            p = line.split()
            lemma = p[0]
            nsyn = int(p[2])
            nptr = int(p[3])
            offs = p[4 + nptr + 2:]
            index[lemma.upper()] = offs[:nsyn]
    return exc, index


def synset_words(d, off, cache={}):
    if not cache:
        with open(os.path.join(d, "data.verb")) as f:
            for line in f:
                if line.startswith(" "):
                    continue
                p = line.split()
                n = int(p[3], 16)
                words = [p[4 + 2 * i] for i in range(n)]
                cache[p[0]] = [re.sub(r"\(.*\)$", "", w).upper() for w in words]
    return cache.get(off, [])


def head_word(verb):
    """The head of a verb line: the word marked '+', else the first."""
    words = re.split(r"[_ ]+", verb.strip())
    for w in words:
        if w.startswith("+"):
            return w[1:]
    return words[0]


def regular(h):
    """The forms the coder generates for head h (see dict.c regular_forms)."""
    last, prev = h[-1], h[-2] if len(h) > 1 else ""
    cons_y = last == "Y" and prev and prev not in "AEIOU"
    out = {h}
    if cons_y:
        out.add(h[:-1] + "IES")
    elif last in "SXZO" or (last == "H" and prev in "SC"):
        out.add(h + "ES")
    else:
        out.add(h + "S")
    if last == "E":
        out.add(h + "D")
    elif cons_y:
        out.add(h[:-1] + "IED")
    else:
        out.add(h + "ED")
    if last == "E" and prev != "E" and len(h) > 2:
        out.add(h[:-1] + "ING")
    else:
        out.add(h + "ING")
    return out


def extra_forms(h, exc):
    """Forms of head h that the coder would not make itself."""
    forms = []
    for f in exc.get(h, []):
        if "_" in f:
            continue
        if f not in regular(h) and f not in forms:
            forms.append(f)
    # -IE verbs: DIE -> DYING, TIE -> TYING
    if h.endswith("IE") and h[:-2] + "YING" not in forms:
        forms.append(h[:-2] + "YING")
    # -C verbs: PANIC -> PANICKED (WordNet has most of them)
    return forms


class Gen:
    def __init__(self, wn):
        self.wn = wn
        self.exc, self.index = load_wordnet(wn)
        self.complements = []  # (key, codes[4], {'INF': [...], 'NOUN': [...], 'BARE': [...]})
        self.families = {}     # name -> (index, [templates])
        self.verbs = {}        # head phrase -> block label
        self.gen_synsets = {}  # name -> members, for {&KIND} templates
        self.out = []
        self.warnings = []

    def read(self, path):
        with open(path) as f:
            lines = f.read().split("\n")
        # "%include FILE" (relative to the including file) is read in place
        k = 0
        while k < len(lines):
            if lines[k].startswith("%include"):
                inc = os.path.join(os.path.dirname(path), lines[k].split()[1])
                with open(inc) as f:
                    lines[k:k + 1] = f.read().split("\n")
                continue
            k += 1
        # first pass: complements and families (may be anywhere)
        body = []
        i = 0
        while i < len(lines):
            ln = lines[i]
            s = ln.strip()
            if s.startswith("%complement"):
                p = s.split()
                key, codes = p[1], p[2:]
                parts = {}
                i += 1
                while lines[i].strip() != "%end":
                    t = lines[i].strip()
                    if t and not t.startswith("#"):
                        kind, phrase = t.split(None, 1)
                        if kind in ("N", "A"):
                            # a leading article: the pattern's gap takes it
                            # and any other words ("a new free-trade pact")
                            phrase = re.sub(r"^(A|AN|THE)_(?=\S)", "", phrase)
                        if phrase not in parts.setdefault(kind, []):
                            parts[kind].append(phrase)
                    i += 1
                self.complements.append((key, codes, parts))
            elif s.startswith("%family"):
                p = s.split()
                name, idx = p[1], int(p[2])
                group = p[3] if len(p) > 3 else ""
                tmpl = []
                i += 1
                while lines[i].strip() != "%end":
                    t = lines[i].strip()
                    if t and not t.startswith("#"):
                        tmpl.append(t)
                    i += 1
                self.families[name] = (idx, tmpl, group)
            else:
                body.append((i + 1, ln))
            i += 1
        # verbs listed anywhere, so that @wn does not steal them
        for _, ln in body:
            s = ln.strip()
            if s and s[0].isalpha():
                v = re.sub(r"[\[{].*$", "", s).strip().upper()
                self.verbs.setdefault(v, None)
        return body

    def expand_family(self, name, lineno):
        if name not in self.families:
            sys.exit("verbs.src:%d: no family %s" % (lineno, name))
        idx, tmpl, group = self.families[name]
        out = []
        seen = set()
        for key, codes, parts in self.complements:
            # a family takes the complements of its group: keys "GROUP_..."
            if (group and not key.startswith(group + "_")) or (not group and "_" in key):
                continue
            code = codes[idx] if idx < len(codes) else "-"
            if code == "-":
                continue
            for t in tmpl:
                m = re.search(r"\[([^\]]*)\]\s*$", t)
                fixed = m.group(1) if m else None
                body = t[:m.start()].rstrip() if m else t
                for kind in sorted(set(re.findall(r"\{&([A-Z]+)\}", body))):
                    # {&A}: one pattern over a synset of the complement's A phrases
                    if not parts.get(kind):
                        continue
                    name = "%s%s" % (key.replace("_", ""), kind)
                    self.gen_synsets.setdefault(name, parts[kind])
                    line = "%s [%s]" % (body.replace("{&" + kind + "}", "&" + name), fixed or code)
                    if line not in seen:
                        seen.add(line)
                        out.append(line)
                for kind in sorted(set(re.findall(r"\{([A-Z]+)\}", body))):
                    tag = "{" + kind + "}"
                    for ph in parts.get(kind, []):
                        line = "%s [%s]" % (body.replace(tag, ph), fixed or code)
                        if line not in seen:
                            seen.add(line)
                            out.append(line)
        return out

    def wn_synonyms(self, lemma, senses, exclude, lineno):
        offs = self.index.get(lemma.upper())
        if not offs:
            self.warnings.append("verbs.src:%d: WordNet has no verb %s" % (lineno, lemma))
            return []
        words = []
        for s in senses:
            if s < 1 or s > len(offs):
                self.warnings.append("verbs.src:%d: %s has no sense %d" % (lineno, lemma, s))
                continue
            for w in synset_words(self.wn, offs[s - 1]):
                if w.count("_") > 1 or w in AVOID or w in exclude or "-" in w or "'" in w:
                    continue
                if w in self.verbs or w in words or w == lemma.upper():
                    continue
                words.append(w)
        for w in words:
            self.verbs[w] = lineno
        return words

    def verb_line(self, s):
        m = re.match(r"^([^\[{#]+?)\s*(\{[^}]*\})?\s*(\[[^\]]*\])?\s*(#.*)?$", s)
        if not m:
            return s
        verb, braces, code = m.group(1).strip().upper(), m.group(2), m.group(3)
        if braces is None:
            forms = extra_forms(head_word(verb), self.exc)
            braces = "{%s}" % " ".join(forms) if forms else ""
        parts = [verb]
        if braces:
            parts.append(braces)
        if code:
            parts.append(code)
        return " ".join(parts)

    def split_silent(self, lines):
        """Verb lines marked [---] in a block whose default codes an event go
        to a twin block with no default and the same patterns: the coder
        reads a verb line's own [---] as "no code of its own" and falls back
        to the block's default."""
        res = []
        i = 0
        while i < len(lines):
            ln = lines[i]
            m = re.match(r"^--- (\S+)\s+\[([^\]]*)\] ---$", ln)
            if not m or m.group(2).strip() == "---":
                res.append(ln)
                i += 1
                continue
            j = i + 1
            while j < len(lines) and lines[j].strip():
                j += 1
            block = lines[i:j]
            silent = [l for l in block[1:] if not l.startswith("- ") and not l.startswith("#")
                      and re.search(r"\[---\]\s*(#.*)?$", l)]
            if not silent:
                res.extend(block)
            else:
                res.extend(l for l in block if l not in silent)
                res.append("")
                res.append("--- %s_ [---] ---" % m.group(1))
                res.extend(re.sub(r"\s*\[---\]", "", l) for l in silent)
                res.extend(l for l in block[1:] if l.startswith("- "))
            i = j
        return res

    def run(self, path):
        body = self.read(path)
        out = self.out
        out.append("# GENERATED by tools/gen_verbs.py from data/src/verbs.src and WordNet's")
        out.append("# verb.exc, index.verb and data.verb.  Edit the source, not this file.")
        out.append("#")
        in_block = False
        seen = set()

        def pattern(line):
            key = re.sub(r"\s+", " ", line.strip())
            if key not in seen:
                seen.add(key)
                out.append(line)

        for lineno, ln in body:
            s = ln.strip()
            if not s:
                in_block = False
                seen.clear()
                out.append("")
                continue
            # "+WORDS" is a multiword verb inside a block (its head gets its
            # irregular forms like any verb line), a synset member outside
            if s.startswith("#") or s.startswith("&") or (s.startswith("+") and not in_block):
                out.append(ln.rstrip())
                continue
            if s.startswith("---"):
                in_block = True
                out.append(s)
                continue
            if s.startswith("- "):
                pattern(s)
                continue
            if s.startswith("%use"):
                for p in self.expand_family(s.split()[1], lineno):
                    pattern(p)
                continue
            if s.startswith("@wn"):
                p = s.split()
                lemma = p[1]
                senses = [int(x) for x in p[2].split(",")]
                exclude = {w[1:].upper() for w in p[3:] if w.startswith("-")}
                for w in self.wn_synonyms(lemma, senses, exclude, lineno):
                    out.append(self.verb_line(w) + "  # WordNet: %s %s" % (lemma.lower(), p[2]))
                continue
            if not in_block:
                sys.exit("verbs.src:%d: verb outside a block: %s" % (lineno, s))
            out.append(self.verb_line(s))
        out[:] = self.split_silent(out)
        if self.gen_synsets:
            out.append("")
            out.append("# " + "=" * 70)
            out.append("# Synsets made from pattern families ({&KIND} templates)")
            out.append("# " + "=" * 70)
            for name in sorted(self.gen_synsets):
                out.append("")
                out.append("&" + name + "_")  # "_": members get no plurals
                out.extend("+" + m for m in self.gen_synsets[name])
        return "\n".join(out).rstrip("\n") + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wordnet", default="/usr/share/wordnet")
    ap.add_argument("--src", default=SRC)
    ap.add_argument("--out", default=OUT)
    ap.add_argument("--check", action="store_true", help="only say whether OUT is up to date")
    a = ap.parse_args()
    if not os.path.exists(os.path.join(a.wordnet, "verb.exc")):
        sys.exit("gen_verbs.py: no WordNet at %s (apt-get install wordnet-base)" % a.wordnet)
    g = Gen(a.wordnet)
    text = g.run(a.src)
    for w in g.warnings:
        print(w, file=sys.stderr)
    if a.check:
        cur = open(a.out).read() if os.path.exists(a.out) else ""
        if cur != text:
            sys.exit("gen_verbs.py: %s is out of date" % a.out)
        return
    with open(a.out, "w") as f:
        f.write(text)
    npat = sum(1 for l in text.split("\n") if l.startswith("- "))
    print("gen_verbs.py: wrote %s (%d patterns)" % (os.path.relpath(a.out, ROOT), npat),
          file=sys.stderr)


if __name__ == "__main__":
    main()
