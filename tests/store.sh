#!/bin/sh
# store.sh -- tests of the event store commands (ingest, query, stats,
# export) against the real binary, written like tests/cli.sh (helpers in
# tests/lib.sh):
#
#     run [-i STDIN] ARGS...      run magpie once; output kept in $T/out, $T/err
#     begin "name"                start a check
#     want_rc 1                   any number of expectations ...
#     end                         print "ok - name" or "FAIL - name (details)"
#
# Besides the commands' output, python3 (when present) looks inside the
# store with its sqlite3 module.  Two checks run ingest while something
# else happens: one kills it with SIGKILL at random moments (10 times) and
# checks that finishing the ingest gives the store an uninterrupted run
# gives; one reads the store while ingest writes it and checks that no
# document is ever seen in part.  The last line is "N passed, N failed".
# Run from the repository root: sh tests/store.sh

TEST_NAME=store
. "${0%/*}/lib.sh"

# dump.py DB: every table but the times of ingest, in id order, for comparing
# two stores; and the header facts (schema version, application id, WAL).
cat >dump.py <<'EOF'
import sqlite3, sys
db = sqlite3.connect('file:%s?mode=ro' % sys.argv[1], uri=True)
q = [
    "PRAGMA user_version", "PRAGMA application_id", "PRAGMA journal_mode",
    "SELECT * FROM meta WHERE key != 'created_by' ORDER BY key",
    "SELECT id, doc_id, date, pub, url, len, nevents FROM docs ORDER BY id",
    "SELECT * FROM publishers ORDER BY id",
    "SELECT id, date, source, target, code, root, quad_class, goldstein, source_country,"
    " target_country, place, geo_name, lat, lon, num_mentions, num_sources, num_articles,"
    " first_mention, ckey FROM events ORDER BY id",
    "SELECT * FROM event_countries ORDER BY 1, 2, 3",
    "SELECT * FROM mentions ORDER BY id",
    "SELECT * FROM counts ORDER BY 1, 2, 3, 4",
    "SELECT rowid FROM mention_fts WHERE mention_fts MATCH 'police OR sanctions' ORDER BY 1",
]
for s in q:
    for row in db.execute(s):
        print('|'.join(map(str, row)))
EOF

# consistent.py DB [PID]: in one read transaction, every document has all
# its mentions, every event's counters match its mentions, and the rollup
# matches the events (invariants 1, 3, 4 of src/store.c).  With PID, again
# and again while that process runs (at most 300 times).
cat >consistent.py <<'EOF'
import os, sqlite3, sys
def check(path):
    db = sqlite3.connect('file:%s?mode=ro' % path, uri=True, timeout=30)
    db.execute('BEGIN')
    probs = []
    def one(sql):
        return db.execute(sql).fetchone()[0]
    n = one("SELECT count(*) FROM docs d LEFT JOIN (SELECT doc, count(*) n FROM mentions GROUP BY doc) m"
            " ON m.doc = d.id WHERE d.nevents != ifnull(m.n, 0)")
    if n: probs.append('%d documents in part' % n)
    n = one("SELECT count(*) FROM events e LEFT JOIN (SELECT event_id, count(*) n, count(DISTINCT doc) a,"
            " count(DISTINCT pub) s FROM mentions GROUP BY event_id) m ON m.event_id = e.id"
            " WHERE e.num_mentions IS NOT m.n OR e.num_articles IS NOT m.a OR e.num_sources IS NOT m.s")
    if n: probs.append('%d events with wrong counts' % n)
    a = one("SELECT count(*) || '/' || ifnull(sum(num_mentions), 0) FROM events")
    b = one("SELECT ifnull(sum(events), 0) || '/' || ifnull(sum(mentions), 0) FROM counts WHERE country = ''")
    if a != b: probs.append('rollup %s, events %s' % (b, a))
    docs = one("SELECT count(*) FROM docs")
    db.execute('COMMIT')
    db.close()
    return probs, docs
def alive(pid):
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    st = open('/proc/%d/stat' % pid).read().split()[2] if os.path.exists('/proc/%d/stat' % pid) else 'R'
    return st != 'Z'
if len(sys.argv) > 2:
    pid, reads, seen = int(sys.argv[2]), 0, set()
    while reads < 300 and alive(pid):
        if not os.path.exists(sys.argv[1]):
            continue
        try:
            probs, docs = check(sys.argv[1])
        except sqlite3.OperationalError as e:  # the schema is being made
            if 'no such table' in str(e): continue
            raise
        if probs:
            print('after %d reads: %s' % (reads, '; '.join(probs)))
            sys.exit(1)
        reads += 1
        seen.add(docs)
    print('%d reads, %d different states' % (reads, len(seen)))
    sys.exit(0)
try:
    probs, docs = check(sys.argv[1])
except sqlite3.OperationalError as e:
    if 'no such table' not in str(e): raise
    probs, docs = [], 0  # killed while the schema was being made: nothing stored yet
print('; '.join(probs) if probs else 'ok %d documents' % docs)
sys.exit(1 if probs else 0)
EOF

# ---- inputs ------------------------------------------------------------------------
S_FRA='French police arrested protesters in Paris.'
S_RUS='Russia accused Ukraine of attacking a power plant.'
S_CHN='China condemned Japan over the island dispute.'
S_ISR='Israel launched air strikes on Gaza.'
S_USA='The United States imposed sanctions on Iran.'
cat >docs.jsonl <<EOF
{"id":"reuters-1","date":"2026-06-08","text":"$S_FRA"}
{"id":"ap-1","date":"2026-06-08","text":"$S_FRA $S_RUS"}
{"id":"reuters-2","date":"2026-06-09","text":"$S_FRA"}
{"id":"x-1","date":"2026-06-09","publisher":"afp","url":"https://afp.example/1","text":"$S_RUS"}
{"id":"c","date":"20260609","text":"$S_CHN"}
{"id":"d","date":"2026-06-10","text":"$S_ISR"}
{"id":"e","date":"2026-06-10","text":"$S_USA"}
{"id":"f","date":"2026-06-20","source":"bbc","text":"$S_FRA"}
EOF

# ---- usage -------------------------------------------------------------------------
run ingest docs.jsonl
begin "ingest without --db: usage, exit 2"
want_rc 2
want_err_has "--db"
want_err_has "usage: magpie ingest"
end

for cmd in query stats export; do
    run $cmd
    begin "$cmd without --db: exit 2"
    want_rc 2
    want_err_has "--db FILE is required"
    end
done

run export --db s.db --format xml
begin "export with an unknown format: exit 2"
want_rc 2
want_err_has "unknown format xml"
end

run stats --db s.db --by fortnight
begin "stats with an unknown --by key: exit 2"
want_rc 2
want_err_has "fortnight"
end

run query --db s.db --root 30
begin "query --root 30: exit 2"
want_rc 2
end

run query --db s.db --from 2026-02-30
begin "query with an impossible date: exit 2"
want_rc 2
end

run ingest --db s.db --window 400 docs.jsonl
begin "ingest --window 400: exit 2"
want_rc 2
end

run query --db missing.db
begin "query on a missing store: exit 3, no file made"
want_rc 3
want_err_has "missing.db"
[ ! -e missing.db ] || problem "missing.db was created"
end

# ---- ingest and duplicates ------------------------------------------------------------
run ingest --db s.db docs.jsonl
begin "ingest: documents coded and stored, exit 0"
want_rc 0
want_err_empty
end

run stats --db s.db --format jsonl
begin "stats: a summary with the schema version and the counts"
want_rc 0
want_out_has '"schema":2'
want_out_has '"documents":8'
want_out_has '"window":1'
want_out_has '"first":"2026-06-08"'
end

begin "the file carries its schema version and application id, in WAL mode"
cat >header.py <<'EOF'
import sqlite3, sys
db = sqlite3.connect('file:s.db?mode=ro', uri=True)
v = db.execute('PRAGMA user_version').fetchone()[0]
a = db.execute('PRAGMA application_id').fetchone()[0]
j = db.execute('PRAGMA journal_mode').fetchone()[0]
ok = v == 2 and a == 0x6d616770 and j == 'wal'
print('version %d application_id %x journal %s' % (v, a, j))
sys.exit(0 if ok else 1)
EOF
want_py header.py
end

run query --db s.db
cp out events.jsonl
begin "duplicates: one event per (source, target, code) within a day, counted as GDELT does"
cat >dups.py <<'EOF'
import json, sys
ev = [json.loads(l) for l in open('events.jsonl')]
def find(code, date):
    m = [e for e in ev if e['code'] == code and e['date'] == date]
    return m[0] if len(m) == 1 else None
probs = []
a = find('173', '2026-06-08')
if not a or (a['num_mentions'], a['num_articles'], a['num_sources']) != (3, 3, 2):
    probs.append('arrest event: %r' % a)
elif a['doc_id'] != 'reuters-1' or a['publisher'] != 'reuters':
    probs.append('arrest event first mention: %r' % a)
b = find('173', '2026-06-20')
if not b or b['num_mentions'] != 1 or b['publisher'] != 'bbc':
    probs.append('eleven days later, a new event from bbc: %r' % b)
c = find('1123', '2026-06-08')
if not c or (c['num_mentions'], c['num_articles'], c['num_sources']) != (2, 2, 2):
    probs.append('accusation: %r' % c)
ids = [e['event_id'] for e in ev]
if len(ids) != len(set(ids)): probs.append('ids repeat')
dates = [e.get('date', '') for e in ev]
if dates != sorted(dates): probs.append('not by date')
print('; '.join(probs))
sys.exit(1 if probs else 0)
EOF
want_py dups.py
end

run query --db s.db --mentions --format tsv
begin "query --mentions: one line per mention, publishers from the fields"
want_rc 0
want_lines 10
want_out_has "$(printf 'x-1\tafp\thttps://afp.example/1\t')"
want_out_has "$(printf 'f\tbbc\t\t')"
end

# idempotence: the same input again changes nothing
[ "$HAVE_PY" = 1 ] && python3 dump.py s.db >dump1
"$MAGPIE" export --db s.db --format csv >export1 2>/dev/null
run ingest --db s.db docs.jsonl
[ "$HAVE_PY" = 1 ] && python3 dump.py s.db >dump2
"$MAGPIE" export --db s.db --format csv >export2 2>/dev/null
begin "ingest twice: the store is the same"
want_rc 0
want_same export1 export2
[ "$HAVE_PY" = 1 ] && want_same dump1 dump2
[ -s export1 ] || problem "empty export"
end

run ingest --db w30.db --window 30 docs.jsonl
run query --db w30.db --code 173
begin "ingest --window 30: mentions twelve days apart are one event"
want_rc 0
want_lines 1
want_out_has '"num_mentions":4'
end

run ingest --db w30.db --window 1 docs.jsonl
begin "a store keeps its window: another --window is refused (exit 2)"
want_rc 2
want_err_has "window"
end

# ---- query ------------------------------------------------------------------------------------
nq() { # nq ARGS...: number of events a query writes
    "$MAGPIE" query --db s.db "$@" 2>/dev/null | wc -l | tr -d ' '
}
NALL=$(nq)
begin "query filters"
[ "$NALL" = 6 ] || problem "$NALL events, want 6"
[ "$(nq --country FRA)" = 2 ] || problem "--country FRA: $(nq --country FRA)"
[ "$(nq --country UKR)" = 1 ] || problem "--country UKR: $(nq --country UKR)"
[ "$(nq --country FRA --from 2026-06-10)" = 1 ] || problem "--country FRA --from"
[ "$(nq --from 20260609 --to 2026-06-10)" = "$(nq --from 2026-06-09 --to 20260610)" ] || problem "date forms"
[ "$(nq --from 2026-06-09 --to 2026-06-10)" = 3 ] || problem "--from --to: $(nq --from 2026-06-09 --to 2026-06-10) of $NALL"
[ "$(nq --code 17)" = 2 ] || problem "--code 17: $(nq --code 17)"
[ "$(nq --root 11)" = "$(nq --code 11)" ] || problem "--root 11 and --code 11 differ"
[ "$(nq --quad 4)" -ge 3 ] || problem "--quad 4: $(nq --quad 4)"
[ "$(nq --actor RUS)" = 1 ] || problem "--actor RUS"
[ "$(nq --source FRA)" = 2 ] || problem "--source FRA"
[ "$(nq --target UKR)" = 1 ] || problem "--target UKR"
[ "$(nq --target FRA --source RUS)" = 0 ] || problem "--target FRA --source RUS"
[ "$(nq --words 'power plant')" = 1 ] || problem "--words 'power plant': $(nq --words 'power plant')"
[ "$(nq --words 'police OR sanctions')" = 3 ] || problem "--words OR: $(nq --words 'police OR sanctions')"
[ "$(nq --min-mentions 2)" = 2 ] || problem "--min-mentions 2: $(nq --min-mentions 2)"
[ "$(nq --limit 2)" = 2 ] || problem "--limit 2"
[ "$(nq --limit 2 --offset $((NALL - 1)))" = 1 ] || problem "--offset"
end

run query --db s.db --words '"unbalanced'
begin "query with a bad --words query: exit 2, the reason given"
want_rc 2
want_err_has "words"
end

run query --db s.db --format csv
cp out events.csv
begin "query --format csv: a header and 27 fields a row (RFC 4180)"
want_rc 0
cat >csvcheck.py <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
bad = [i for i, r in enumerate(rows) if len(r) != 27]
ok = rows and rows[0][:3] == ['event_id', 'date', 'source'] and not bad and len(rows) == int(sys.argv[2]) + 1
print('rows %d, bad %r, header %r' % (len(rows), bad[:3], rows[0][:3] if rows else None))
sys.exit(0 if ok else 1)
EOF
want_py csvcheck.py events.csv "$NALL"
end

run query --db s.db --format tsv
begin "query --format tsv: a header and 27 fields a line"
want_rc 0
want_lines $((NALL + 1))
awk -F '\t' 'NF != 27 { bad = 1 } END { exit bad }' out || problem "a line without 27 fields: $(oneline out)"
end

# the mentions come back as `magpie code` wrote them
printf '%s\n' "{\"id\":\"a\",\"date\":\"2026-06-08\",\"text\":\"$S_FRA $S_RUS\"}" \
    "{\"id\":\"b\",\"date\":\"2026-06-09\",\"text\":\"$S_CHN $S_FRA\"}" \
    "{\"id\":\"c\",\"date\":\"2026-06-10\",\"text\":\"$S_ISR\"}" \
    "{\"id\":\"d\",\"date\":\"2026-06-10\",\"text\":\"$S_USA $S_ISR\"}" >plain.jsonl
"$MAGPIE" code plain.jsonl >plain.events 2>/dev/null
run ingest --db plain.db plain.jsonl
run query --db plain.db --mentions
cp out plain.mentions
begin "query --mentions gives back the events \`magpie code\` wrote, with the store's fields"
want_rc 0
cat >roundtrip.py <<'EOF'
import json, sys
code = sorted(l for l in open('plain.events'))
got = []
for l in open('plain.mentions'):
    m = json.loads(l)
    for k in ('event_id', 'mention_id', 'publisher', 'url'):
        m.pop(k, None)
    got.append(json.dumps(m, ensure_ascii=False, separators=(',', ':')) + '\n')
code = sorted(json.dumps(json.loads(l), ensure_ascii=False, separators=(',', ':')) + '\n' for l in code)
print('%d code lines, %d mentions; first difference: %r' % (len(code), len(got),
      next(((a, b) for a, b in zip(code, sorted(got)) if a != b), None)))
sys.exit(0 if code == sorted(got) and code else 1)
EOF
want_py roundtrip.py
end

run ingest --db coded.db --coded plain.events
begin "ingest --coded: the store \`magpie code\`'s lines make equals the one from the text"
want_rc 0
"$MAGPIE" export --db plain.db --format csv >plain.csv 2>/dev/null
"$MAGPIE" export --db coded.db --format csv >coded.csv 2>/dev/null
want_same plain.csv coded.csv
"$MAGPIE" query --db coded.db --mentions >coded.mentions 2>/dev/null
want_same plain.mentions coded.mentions
end

# ---- places and dates --------------------------------------------------------------------------
# Places come from the coder's gazetteer; coded lines carry them as `magpie
# code` writes them, so they are tested through --coded.
LOC_PARIS='"location":{"name":"Paris","country":"FRA","admin1":"FR-IDF","lat":48.85341,"lon":2.3488,"geonameid":2988507,"precision":"city"}'
LOC_LYON='"location":{"name":"Lyon","country":"FRA","lat":45.74846,"lon":4.84671,"geonameid":2996944,"precision":"city"}'
EV='"source":"FRACOP","target":"FRACVL","code":"173","sentence":"Police arrested protesters."'
{
    echo "{\"doc_id\":\"g-1\",\"sent\":0,\"date\":\"2026-06-08\",$EV,$LOC_PARIS}"
    echo "{\"doc_id\":\"g-2\",\"sent\":0,\"date\":\"2026-06-08\",$EV,$LOC_PARIS,\"fatalities\":2}"
    echo "{\"doc_id\":\"g-3\",\"sent\":0,\"date\":\"2026-06-08\",$EV,$LOC_LYON}"
    echo "{\"doc_id\":\"g-4\",\"sent\":0,\"date\":\"2026-06-08\",$EV}"
} >geo.jsonl
run ingest --db geo.db --coded geo.jsonl
begin "places: mentions cluster by place when they have one"
want_rc 0
[ "$("$MAGPIE" query --db geo.db | wc -l)" = 3 ] || problem "not three events"
"$MAGPIE" query --db geo.db --place Paris >out 2>/dev/null
want_lines 1
want_out_has '"num_mentions":2'
want_out_has '"location":{"name":"Paris","country":"FRA","admin1":"FR-IDF","lat":48.85341,"lon":2.3488,"geonameid":2988507,"precision":"city"}'
[ "$("$MAGPIE" query --db geo.db --place 2996944 | wc -l)" = 1 ] || problem "--place by GeoNames id"
[ "$("$MAGPIE" query --db geo.db --bbox 2,48,3,49 | wc -l)" = 1 ] || problem "--bbox over Paris"
[ "$("$MAGPIE" query --db geo.db --bbox -10,40,10,50 | wc -l)" = 2 ] || problem "--bbox over France"
"$MAGPIE" export --db geo.db --format gdelt --place Paris >out 2>/dev/null
awk -F '\t' '{ if ($57 != "48.85341" || $58 != "2.3488" || $59 != "2988507" || $53 != "Paris") bad = 1 } END { exit bad || NR != 1 }' out ||
    problem "ActionGeo columns: $(cut -f 52-59 out | tr '\t' '|')"
end

"$MAGPIE" query --db geo.db --mentions --place Paris >out 2>/dev/null
begin "places: a mention gives back its location and other fields as they came"
want_out_has "$LOC_PARIS,\"fatalities\":2,\"event_id\":1"
want_lines 2
end

echo '{"id":"sun","date":"2026-06-10","text":"French police arrested protesters in Paris on Sunday."}' >sunday.jsonl
"$MAGPIE" code sunday.jsonl >sunday.events 2>/dev/null
run ingest --db sunday.db sunday.jsonl
begin "dates: a mention is dated by its event's own date, as magpie code gives it"
want_rc 0
want_date=$(sed -n 's/.*"date":"\([0-9-]*\)".*/\1/p' sunday.events | head -n 1)
[ -n "$want_date" ] || problem "magpie code gave no date"
"$MAGPIE" query --db sunday.db >out 2>/dev/null
want_out_has "\"date\":\"$want_date\""
end

# ---- stats ----------------------------------------------------------------------------------
run stats --db s.db --by day
begin "stats --by day: a header, one line a day, summing to the events"
want_rc 0
want_out_has "$(printf 'day\tevents\tmentions\tarticles')"
want_out_has "$(printf '2026-06-08\t')"
sum=$(awk -F '\t' 'NR > 1 { s += $2 } END { print s }' out)
[ "$sum" = "$NALL" ] || problem "days sum to $sum, want $NALL"
end

run stats --db s.db --by week --format csv
begin "stats --by week --format csv: ISO weeks"
want_rc 0
want_out_has "week,events,mentions,articles"
want_out_has "2026-W24,"
end

run stats --db s.db --by country,root --format jsonl
begin "stats --by country,root --format jsonl"
want_rc 0
want_out_has '{"country":"FRA","root":"17","events":2,"mentions":4,"articles":4}'
end

begin "stats: the rollup and the events table give the same counts"
for by in day week month year country root quad day,country country,quad; do
    for c in "" FRA USA; do
        if [ -n "$c" ]; then set -- --country "$c"; else set --; fi
        a=$("$MAGPIE" stats --db s.db --by "$by" "$@" 2>&1)
        b=$("$MAGPIE" stats --db s.db --by "$by" --min-mentions 1 "$@" 2>&1)
        [ "$a" = "$b" ] || problem "--by $by $*: rollup and events differ"
    done
done
end

run stats --db s.db --by source-country,code
begin "stats --by source-country,code"
want_rc 0
want_out_has "$(printf 'FRA\t173\t2\t4\t4')"
end

# ---- export ----------------------------------------------------------------------------------
NMEN=$("$MAGPIE" query --db s.db --mentions 2>/dev/null | wc -l | tr -d ' ')
run export --db s.db --format gdelt
cp out gdelt.tsv
begin "export --format gdelt: the 61 columns of GDELT 2.0's event table, one event a line"
want_rc 0
want_lines "$NALL"
awk -F '\t' 'NF != 61 { bad = 1 } END { exit bad }' out || problem "a line without 61 fields"
awk -F '\t' '$27 == "173" && $2 == "20260608" { f = 1; if ($6 != "FRACOP" || $8 != "FRA" || $13 != "COP" || $32 != 3 || $33 != 2 || $34 != 3 || $3 != "202606" || $4 != "2026" || $30 != 4 || $28 != "173" || $29 != "17" || $61 != "reuters-1" || length($60) != 14) bad = 1 } END { exit !f || bad }' out ||
    problem "the arrest event's columns: $(grep -F "$(printf '\t173\t')" out | head -n 1 | cut -c1-200)"
end

# `code --format gdelt` and `export --format gdelt` write the same actor and
# event columns (5-31: date fraction, the two actors, root flag, codes, quad
# class, Goldstein) for the same story
printf '%s\n' '{"id":"g1","date":"20260608","text":"Iraqi police arrested the Shiite cleric. A roadside bomb killed two US soldiers."}' >g1.jsonl
"$MAGPIE" code --format gdelt g1.jsonl 2>/dev/null | cut -f 5-31 | sort >code.cols
rm -f g1.db
"$MAGPIE" ingest --db g1.db g1.jsonl >/dev/null 2>&1
run export --db g1.db --format gdelt
begin "code --format gdelt and export --format gdelt agree on the actor and event columns"
want_rc 0
cut -f 5-31 out | sort >export.cols
[ -s code.cols ] || problem "code --format gdelt wrote no event"
want_same code.cols export.cols
grep -q "$(printf '\t---SHIREL\tSHIITE CLERIC\t\t\t\tSHI\t\tREL\t')" code.cols ||
    problem "an agent without a country split into religion and type: $(head -n 1 code.cols)"
end

run export --db s.db --format gdelt-mentions
begin "export --format gdelt-mentions: GDELT's 16 mention columns, one mention a line"
want_rc 0
want_lines "$NMEN"
awk -F '\t' 'NF != 16 { bad = 1 } END { exit bad }' out || problem "a line without 16 fields"
want_out_has "$(printf '\tafp\thttps://afp.example/1\t')"
awk -F '\t' '$6 == "https://afp.example/1" && $4 != 1 { bad = 1 } $6 == "c" && $4 != 2 { bad = 1 } END { exit bad }' out || problem "mention types"
end

run export --db s.db --format plover
begin "export --format plover: PLOVER JSON records for the codes PLOVER types"
want_rc 0
cat >plover.py <<'EOF'
import json, sys
n = 0
for l in open('out'):
    r = json.loads(l)
    assert r['id'] and r['event'] and isinstance(r['source'], list) and r['cameo_code'], r
    n += 1
print('%d records' % n)
EOF
want_py plover.py
end

run export --db s.db --format csv --country RUS
begin "export with a filter: a part of the store"
want_rc 0
want_lines 2
want_out_has ",RUS,UKR,1123,"
end

# ---- files that are not stores ------------------------------------------------------------
echo "my notes, not a database" >notes.txt
cp notes.txt notes.orig
run ingest --db notes.txt docs.jsonl
begin "a text file given as the store: refused (exit 3), untouched"
want_rc 3
want_err_has "not a magpie store"
want_same notes.txt notes.orig
[ ! -e notes.txt-wal ] || problem "a WAL file was made"
end

if [ "$HAVE_PY" = 1 ]; then
    python3 -c "
import sqlite3
db = sqlite3.connect('other.db'); db.execute('CREATE TABLE t(x)'); db.execute('INSERT INTO t VALUES (1)'); db.commit()"
    cp other.db other.orig
    run ingest --db other.db docs.jsonl
    begin "another application's SQLite database: refused (exit 3), untouched"
    want_rc 3
    want_err_has "another application"
    want_same other.db other.orig
    end
    run query --db other.db
    begin "query on another application's database: refused"
    want_rc 3
    want_err_has "not a magpie store"
    end

    cp s.db newer.db
    rm -f newer.db-wal newer.db-shm
    python3 -c "
import sqlite3
db = sqlite3.connect('newer.db'); db.execute('PRAGMA user_version = 7'); db.commit(); db.execute('PRAGMA journal_mode = DELETE')"
    cp newer.db newer.orig
    run ingest --db newer.db docs.jsonl
    begin "a store from a newer magpie: refused (exit 3), untouched"
    want_rc 3
    want_err_has "newer"
    want_same newer.db newer.orig
    end
else
    begin "foreign SQLite files"
    SKIP="python3 absent"
    RC=0
    end
fi

# a corrupt store: its first page overwritten past the header
"$MAGPIE" ingest --db c.db docs.jsonl 2>/dev/null
{ head -c 100 c.db; head -c 3996 /dev/zero | tr '\0' 'x'; tail -c +4097 c.db; } >corrupt.db
cp corrupt.db corrupt.orig
run ingest --db corrupt.db docs.jsonl
begin "a corrupt store: a clear error (exit 3), untouched"
want_rc 3
want_err_has "corrupt"
want_same corrupt.db corrupt.orig
[ ! -e corrupt.db-wal ] || problem "a WAL file was made"
end

run stats --db corrupt.db
begin "stats on a corrupt store: exit 3"
want_rc 3
want_err_has "corrupt"
end

# ---- bad input ------------------------------------------------------------------------------
{
    echo "{\"id\":\"g1\",\"date\":\"2026-06-08\",\"text\":\"$S_FRA\"}"
    echo '{"id":"x1","text":"unterminated}'
    echo "{\"id\":\"g2\",\"date\":\"2026-06-08\",\"text\":\"$S_RUS\"}"
    echo '{"id":"x2","date":"2026-06-08"}'
    echo "{\"id\":\"g3\",\"date\":\"2026-13-45\",\"text\":\"$S_CHN\"}"
    echo "{\"id\":\"g4\",\"date\":\"2026-06-10\",\"text\":\"$S_ISR\"}"
} >bad.jsonl
run ingest --db bad.db bad.jsonl
begin "bad input lines: reported as file:line and skipped, exit 1"
want_rc 1
want_err_has "bad.jsonl:2: error:"
want_err_has "bad.jsonl:4: error:"
want_err_has "bad.jsonl:5: error: bad date"
grep -q 'bad.jsonl:[136]:' err && problem "a good line reported"
"$MAGPIE" stats --db bad.db --format jsonl >out 2>/dev/null
want_out_has '"documents":4'
end

head -n 3 plain.events >cbad.jsonl
echo 'not json' >>cbad.jsonl
echo '{"doc_id":"q","date":"2026-06-08","source":"FRA","target":"RUS"}' >>cbad.jsonl
echo '{"doc_id":"q2","date":"2026-06-08","source":"FRA","target":"RUS","code":"111","spans":{"verb":[5]}}' >>cbad.jsonl
echo '{"doc_id":"q3","date":"2026-06-08","source":"FRA","target":"RUS","code":"111"}' >>cbad.jsonl
run ingest --db cbad.db --coded cbad.jsonl
begin "bad coded lines: reported as file:line and skipped, exit 1"
want_rc 1
want_err_has "cbad.jsonl:4: error:"
want_err_has "cbad.jsonl:5: error:"
want_err_has "cbad.jsonl:6: error:"
grep -q 'cbad.jsonl:[1237]:' err && problem "a good line reported"
"$MAGPIE" query --db cbad.db --mentions >out 2>/dev/null
want_lines 4
end

# ---- crash safety ------------------------------------------------------------------------------
# 8000 documents from the five sentences, several publishers and days, so
# that mentions cluster; batches of 20 documents.
awk -v a="$S_FRA" -v b="$S_RUS" -v c="$S_CHN" -v d="$S_ISR" -v e="$S_USA" 'BEGIN {
    s[0] = a; s[1] = b; s[2] = c; s[3] = d; s[4] = e
    split("reuters ap afp bbc dw", p, " ")
    for (i = 0; i < 8000; i++) {
        day = 1 + int(i / 300)
        t = s[i % 5] " " s[int(i / 5) % 5]
        if (i % 7 == 0) t = t " " s[(i + 2) % 5]
        printf "{\"id\":\"%s-%d\",\"date\":\"2026-05-%02d\",\"text\":\"%s\"}\n", p[1 + i % 5], i, day, t
    }
}' >many.jsonl

if [ "$HAVE_PY" = 1 ]; then
    # the uninterrupted run, timed to choose when to kill
    REFT=$(python3 -c '
import subprocess, sys, time
t = time.time()
rc = subprocess.call(sys.argv[1:], stderr=open("ref.err", "w"))
print("%.3f %d" % (time.time() - t, rc))' "$MAGPIE" ingest --db ref.db --batch 20 many.jsonl)
    REFRC=${REFT#* }
    REFT=${REFT% *}
    # ten moments, each within the first 60% of an uninterrupted run's time
    DELAYS=$(python3 -c '
import random, sys
t = float(sys.argv[1])
print(" ".join("%.3f" % random.uniform(0.01, max(0.05, 0.6 * t)) for _ in range(10)))' "$REFT")
    kills=0
    hits=0
    for delay in $DELAYS; do
        "$MAGPIE" ingest --db crash.db --batch 20 many.jsonl 2>/dev/null &
        BG=$!
        sleep "$delay"
        kill -9 $BG 2>/dev/null
        wait $BG 2>/dev/null
        BG=
        kills=$((kills + 1))
        # the store is consistent after every kill
        if [ -e crash.db ]; then
            python3 consistent.py crash.db >cons.out 2>&1 || break
            # a hit: killed with some documents stored and some not
            case $(cat cons.out) in
            "ok 0 documents" | "ok 8000 documents") ;;
            *) hits=$((hits + 1)) ;;
            esac
        fi
    done
    run ingest --db crash.db --batch 20 many.jsonl
    begin "crash safety: ingest killed (SIGKILL) 10 times at random, then finished, equals an uninterrupted run"
    [ "$REFRC" = 0 ] || problem "the uninterrupted run exited $REFRC: $(oneline ref.err)"
    want_rc 0
    [ $kills = 10 ] || problem "inconsistent after kill $kills: $(oneline cons.out)"
    [ $hits -ge 1 ] || problem "no kill came in the middle of an ingest (one takes $REFT s)"
    python3 dump.py ref.db >ref.dump
    python3 dump.py crash.db >crash.dump
    want_same ref.dump crash.dump
    [ "$(wc -l <ref.dump)" -gt 16000 ] || problem "the reference store is small: $(wc -l <ref.dump) lines"
    "$MAGPIE" export --db ref.db --format gdelt 2>/dev/null | cut -f 1-59 >ref.gdelt
    "$MAGPIE" export --db crash.db --format gdelt 2>/dev/null | cut -f 1-59 >crash.gdelt
    want_same ref.gdelt crash.gdelt
    echo "# $hits of $kills kills came with part of the input stored (an uninterrupted run takes $REFT s)"
    end
else
    begin "crash safety"
    SKIP="python3 absent"
    RC=0
    end
fi

# ---- readers while ingest writes ------------------------------------------------------------------
if [ "$HAVE_PY" = 1 ]; then
    "$MAGPIE" ingest --db live.db --batch 10 many.jsonl 2>live.err &
    BG=$!
    python3 consistent.py live.db $BG >cons.out 2>&1
    CONSRC=$?
    wait $BG
    RC=$?
    BG=
    cp live.err err
    begin "a reader while ingest writes never sees a document in part ($(cat cons.out))"
    want_rc 0
    [ "$CONSRC" = 0 ] || problem "$(oneline cons.out)"
    python3 consistent.py live.db >cons.out 2>&1 || problem "at the end: $(oneline cons.out)"
    end

    rm -f live.db live.db-wal live.db-shm
    "$MAGPIE" ingest --db live.db --batch 10 many.jsonl 2>live.err &
    BG=$!
    reads=0
    bad=
    while [ $reads -lt 20 ] && kill -0 $BG 2>/dev/null; do
        [ -e live.db ] || continue
        if ! "$MAGPIE" query --db live.db --format tsv >q.out 2>q.err; then
            # until ingest has made the schema, the file is not a store yet
            [ $reads = 0 ] && grep -q 'empty, not a magpie store' q.err && continue
            bad="query: $(oneline q.err)"
            break
        fi
        "$MAGPIE" stats --db live.db --by day >q.out 2>q.err || { bad="stats: $(oneline q.err)"; break; }
        reads=$((reads + 1))
    done
    wait $BG
    RC=$?
    BG=
    cp live.err err
    begin "magpie query and stats while ingest writes ($reads times)"
    want_rc 0
    [ -z "$bad" ] || problem "$bad"
    end
else
    begin "readers while ingest writes"
    SKIP="python3 absent"
    RC=0
    end
fi

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
