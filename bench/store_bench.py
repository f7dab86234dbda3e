#!/usr/bin/env python3
"""store_bench.py -- figures for the event store (magpie ingest / query / stats).

Prints measured figures; it never passes or fails on time.

    python3 bench/store_bench.py [--magpie PATH] [--dir /tmp/magpie-bench]
                                 [--ingest-events N] [--big-events N] [--runs N]
                                 [--skip-big] [--keep]

1. Ingest rate: N coded events (the lines `magpie code` writes, generated
   here: documents of one to six events, a third of the mentions repeating
   an event another publisher reported within a day) go into a fresh store
   with `magpie ingest --coded`; the figure is mentions per second of wall
   time, the whole command included.
2. A big store (default 10 million events, about 15 million mentions) is
   built the same way, the generator piping straight into `magpie ingest
   --coded -`, so that the store is exactly what ingest makes (indexes,
   full-text index, rollup); its last 5% (the last 5% of the dates) is a
   second run, timed apart: the rate of ingest into a store already big.
   It is kept under --dir and reused by later runs when it is there
   (delete it, or pass --rebuild, to build it again).
3. On that store: `magpie query` by date range and country, `magpie stats`
   by day for one country, a words (FTS5) query, and a summary; each the
   median wall time of --runs runs of the command (process start included),
   output to /dev/null, after one warm-up run.

The generated data are synthetic: actor codes from a Zipf-like choice of
60 countries with CAMEO roles, CAMEO codes from the codebook, dates over
2015-2024, sentences from a small vocabulary.
"""
import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

COUNTRIES = ("USA RUS CHN UKR ISR IRN GBR FRA DEU IND PAK TUR SYR IRQ AFG JPN KOR PRK SAU EGY "
             "NGA ZAF BRA MEX CAN AUS ITA ESP POL VEN COL ARG YEM LBN PSE SDN ETH KEN SOM LBY "
             "MLI NER TCD QAT ARE JOR IDN PHL MMR THA VNM MYS BGD LKA NPL KAZ UZB GEO ARM AZE").split()
ROLES = ["", "", "", "GOV", "MIL", "COP", "OPP", "REB", "CVL", "BUS", "JUD", "LEG", "MED"]
PUBLISHERS = ["reuters", "ap", "afp", "bbc", "aljazeera", "xinhua", "tass", "dw", "france24",
              "nhk", "ani", "efe", "ansa", "yonhap", "kyodo", "dpa", "upi", "cna", "abc", "cbs"]
WORDS = ("government troops police protesters capital talks ceasefire sanctions minister "
         "president army rebels border election parliament court strike attack aid refugees "
         "summit deal oil trade envoy opposition city village province officials leaders "
         "forces militants embassy agreement dispute crisis violence negotiations").split()
VERBS = ("accused met attacked condemned praised arrested visited threatened sanctioned "
         "criticized supported demanded rejected urged signed hosted blamed warned").split()


def load_codes():
    """The codebook's codes with Goldstein value and quad class."""
    codes = []
    with open(os.path.join(ROOT, "data", "cameo.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) < 3 or not p[0].isdigit():
                continue
            root = int(p[0][:2])
            quad = 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4
            codes.append((p[0], float(p[1]), quad))
    return codes


def days(n0, ndays):
    import datetime
    d0 = datetime.date(2015, 1, 1)
    return [(d0 + datetime.timedelta(days=i)).isoformat() for i in range(ndays)]


def generate(out, n_mentions, seed=1, n_events=None, prefix="", span=(0.0, 1.0)):
    """Write about n_mentions coded event lines to the binary stream out (or,
    with n_events, lines until n_events of them are new events: a mention
    that repeats an earlier event a day later or more is a new event too, so
    the store gets at least that many).  Document ids are publisher-PREFIXnumber;
    dates run through the part span of 2015-2024.  Returns (mentions, fresh)."""
    rnd = random.Random(seed)
    codes = load_codes()
    dates = days(0, 3653)
    dates = dates[int(span[0] * len(dates)):int(span[1] * len(dates))]
    # Zipf-like weights: the first countries are reported most
    cw = [1.0 / (i + 1) ** 0.9 for i in range(len(COUNTRIES))]
    actors = [c + r for c in COUNTRIES for r in ROLES]
    aw = [cw[i // len(ROLES)] for i in range(len(actors))]
    # precomputed random choices, reused cyclically: the generator must keep
    # up with ingest
    K = 1 << 16
    src = rnd.choices(actors, aw, k=K)
    tgt = rnd.choices(actors, aw, k=K)
    cds = rnd.choices(codes, k=K)
    # six common words and a town (2,000 of them, some far more often named)
    towns = ["town%d" % i for i in range(2000)]
    tw = [1.0 / (i + 1) for i in range(2000)]
    sents = ["%s near %s" % (" ".join(rnd.choices(WORDS, k=6)), rnd.choices(towns, tw)[0])
             for _ in range(1 << 14)]
    recent = []  # events a later mention may repeat
    written = 0
    doc = 0
    i = 0
    buf = []
    ndates = len(dates)
    total = n_mentions if n_events is None else int(n_events * 1.5)
    per_day = max(50, total // ndates)
    fresh = 0
    while (written < n_mentions) if n_events is None else (fresh < n_events):
        doc += 1
        # dates advance with the documents, as news arrives
        di = min(ndates - 1, written * ndates // total)
        date = dates[di]
        pub = PUBLISHERS[doc % len(PUBLISHERS)]
        doc_id = "%s-%s%d" % (pub, prefix, doc)
        for k in range(1 + (doc * 7919) % 6):
            i += 1
            j = i & (K - 1)
            if recent and (i % 3 == 0):
                s, t, (code, gold, quad) = recent[(i * 31) % len(recent)]
            else:
                s, t, (code, gold, quad) = src[j], tgt[(j * 7) & (K - 1)], cds[(j * 13) & (K - 1)]
                if s == t:
                    t = "---"
                fresh += 1
                recent.append((s, t, (code, gold, quad)))
                if len(recent) > per_day:  # about a day of news
                    del recent[:per_day // 2]
            verb = VERBS[j % len(VERBS)]
            sent = sents[(i * 5) & ((1 << 14) - 1)]
            sentence = "%s %s %s over the %s." % (s, verb, t, sent)
            ls = len(s)
            lv = len(verb)
            buf.append(
                '{"doc_id":"%s","sent":%d,"date":"%s","source":"%s","target":"%s","code":"%s",'
                '"root":"%s","quad_class":%d,"goldstein":%.1f,"source_text":"%s",'
                '"target_text":"%s","verb_text":"%s","spans":{"source":[0,%d],"target":[%d,%d],'
                '"verb":[%d,%d]},"sentence":"%s","rule":"bench"}\n'
                % (doc_id, k, date, s, t, code, code[:2], quad, gold, s, t, verb, ls,
                   ls + lv + 2, ls + lv + 2 + len(t), ls + 1, ls + 1 + lv, sentence))
            written += 1
            if n_events is not None and fresh >= n_events:
                break
        if len(buf) >= 4096:
            out.write("".join(buf).encode())
            buf.clear()
    out.write("".join(buf).encode())
    return written, fresh


def wall(cmd, stdin=None, stdout=subprocess.DEVNULL):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE)
    t = time.perf_counter() - t0
    if p.returncode not in (0, 1):
        sys.exit("bench: %s exited %d: %s" % (" ".join(cmd), p.returncode,
                                              p.stderr.decode(errors="replace")[-500:]))
    return t, p.stderr.decode(errors="replace")


def median_wall(cmd, runs):
    wall(cmd)  # warm-up
    times = [wall(cmd)[0] for _ in range(runs)]
    return statistics.median(times)


def rm_db(path):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--magpie", default=os.path.join(ROOT, "build", "magpie"))
    ap.add_argument("--dir", default="/tmp/magpie-bench")
    ap.add_argument("--ingest-events", type=int, default=1_000_000,
                    help="mentions for the ingest rate")
    ap.add_argument("--big-events", type=int, default=10_000_000,
                    help="events (not mentions) in the big store")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--skip-big", action="store_true")
    ap.add_argument("--rebuild", action="store_true", help="build the big store again")
    ap.add_argument("--keep", action="store_true", help="keep the ingest-rate store")
    a = ap.parse_args()
    mp = a.magpie
    os.makedirs(a.dir, exist_ok=True)
    print("magpie store benchmark (%s)" % mp)

    # 1. ingest rate from coded input, into a fresh store
    coded = os.path.join(a.dir, "coded.jsonl")
    if not os.path.exists(coded) or os.path.getsize(coded) == 0 or a.rebuild:
        with open(coded, "wb") as f:
            n, _ = generate(f, a.ingest_events, seed=1)
    else:
        n = sum(1 for _ in open(coded, "rb"))
    size = os.path.getsize(coded)
    db = os.path.join(a.dir, "ingest.db")
    rates = []
    for run in range(3):
        rm_db(db)
        t, err = wall([mp, "ingest", "--db", db, "--coded", "--stats", coded])
        rates.append(n / t)
    stats_line = err.strip().splitlines()[-1] if err.strip() else ""
    print("ingest, coded input: %d mentions (%.0f MB) into a fresh store: best of 3 %.2f s, "
          "%.0f mentions/s (median %.0f/s)" % (n, size / 1e6, n / max(rates), max(rates),
                                                 statistics.median(rates)))
    print("  %s" % stats_line)
    print("  store size %.0f MB" % (os.path.getsize(db) / 1e6))
    t, _ = wall([mp, "ingest", "--db", db, "--coded", coded])
    print("ingest again (every document already stored): %.2f s" % t)
    if not a.keep:
        rm_db(db)
    # text coded and stored, against coding alone (needs ../shared/data)
    corpus = os.path.join(ROOT, "..", "shared", "data", "corpus", "reuters21578.jsonl")
    if os.path.exists(corpus):
        tc = min(wall([mp, "code", corpus])[0] for _ in range(3))
        ti = []
        for _ in range(3):
            rm_db(db)
            ti.append(wall([mp, "ingest", "--db", db, corpus])[0])
        rm_db(db)
        print("ingest of text, Reuters-21578 (19,043 stories): %.2f s; `magpie code` alone "
              "%.2f s (best of 3)" % (min(ti), tc))

    if a.skip_big:
        return
    # 2. the big store
    big = os.path.join(a.dir, "big.db")
    if a.rebuild or not os.path.exists(big):
        rm_db(big)
        # in two parts: the last 5% of the events are timed apart, to show the
        # rate of ingest into a store that is already big
        late = a.big_events // 20
        for part, (n_ev, seed, prefix, span) in enumerate([
                (a.big_events - late, 2, "", (0.0, 0.95)), (late, 3, "late", (0.95, 1.0))]):
            t0 = time.perf_counter()
            p = subprocess.Popen([mp, "ingest", "--db", big, "--coded", "--stats", "-"],
                                 stdin=subprocess.PIPE, stderr=subprocess.PIPE)
            n_big, _ = generate(p.stdin, 0, seed=seed, n_events=n_ev, prefix=prefix, span=span)
            p.stdin.close()
            err = p.stderr.read().decode(errors="replace")
            if p.wait() != 0:
                sys.exit("bench: building the big store failed: %s" % err[-500:])
            t = time.perf_counter() - t0
            print("big store, part %d: %d mentions generated and ingested in %.0f s (%.0f "
                  "mentions/s, generator included)" % (part + 1, n_big, t, n_big / t))
            print("  %s" % err.strip().splitlines()[-1])
    info = subprocess.run([mp, "stats", "--db", big, "--format", "jsonl"], capture_output=True,
                          check=True).stdout.decode()
    print("big store: %s, %.0f MB" % (info.strip(), os.path.getsize(big) / 1e6))

    # 3. queries on it
    def rows(cmd):
        out = subprocess.run(cmd, capture_output=True, check=True).stdout
        return out.count(b"\n")

    cases = [
        ("query, one week, country USA", [mp, "query", "--db", big, "--country", "USA",
                                          "--from", "2020-03-02", "--to", "2020-03-08"]),
        ("query, one month, country KEN", [mp, "query", "--db", big, "--country", "KEN",
                                           "--from", "2020-03-01", "--to", "2020-03-31"]),
        ("query, one week, country USA, CSV", [mp, "query", "--db", big, "--country", "USA",
                                               "--from", "2020-03-02", "--to", "2020-03-08",
                                               "--format", "csv"]),
        ("stats by day, country USA (all 10 years)", [mp, "stats", "--db", big, "--by", "day",
                                                      "--country", "USA"]),
        ("stats by day, country USA, 2020", [mp, "stats", "--db", big, "--by", "day",
                                             "--country", "USA", "--from", "2020-01-01",
                                             "--to", "2020-12-31"]),
        ("stats by week and root, country RUS", [mp, "stats", "--db", big, "--by", "week,root",
                                                 "--country", "RUS"]),
        ("query, words 'town1500' (a rare word)", [mp, "query", "--db", big, "--words",
                                                   "town1500"]),
        ("query, words 'town42', one month", [mp, "query", "--db", big, "--words", "town42",
                                              "--from", "2020-03-01", "--to", "2020-03-31"]),
        ("query, words 'ceasefire talks' (common), a month",
         [mp, "query", "--db", big, "--words", "ceasefire talks", "--from", "2020-03-01",
          "--to", "2020-03-31", "--limit", "1000"]),
        ("stats summary", [mp, "stats", "--db", big]),
    ]
    for name, cmd in cases:
        t = median_wall(cmd, a.runs)
        print("%-48s %7.1f ms  (%d lines out)" % (name + ":", t * 1000, rows(cmd)))
    t = median_wall([mp, "--version"], a.runs)
    print("%-48s %7.1f ms" % ("for scale, `magpie --version`:", t * 1000))


if __name__ == "__main__":
    main()
