/*
 * test_store.c -- unit tests of the event store (src/store.c) through the
 * public API, with SQLite itself to look inside the file.
 *
 * Events are made by hand (fictional actors, fixed sentences), so the tests
 * do not depend on the dictionaries.  Each check that fails prints one line
 * naming the source line; the last line is "N passed, M failed".
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "magpie.h"

static int npass, nfail;

#define CHECK(cond, ...)                                                \
    do {                                                                \
        if (cond) {                                                     \
            npass++;                                                    \
        } else {                                                        \
            nfail++;                                                    \
            printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);      \
            printf(__VA_ARGS__);                                        \
            printf("\n");                                               \
        }                                                               \
    } while (0)

static char dir[64];

static const char *path_in(const char *name) {
    static char buf[8][128];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static void rm_store(const char *p) {
    char b[160];
    unlink(p);
    snprintf(b, sizeof b, "%s-wal", p);
    unlink(b);
    snprintf(b, sizeof b, "%s-shm", p);
    unlink(b);
}

/* ---- making documents ------------------------------------------------------- */
/* One sentence per event: "SRC did CODE to TGT." */
typedef struct {
    char text[4096];
    size_t len;
    mp_event ev[16];
    char strs[16][3][16];
    size_t n;
} doc;

static void doc_init(doc *d) { memset(d, 0, sizeof *d); }

static void doc_event(doc *d, const char *src, const char *tgt, const char *code) {
    size_t i = d->n++;
    mp_event *e = &d->ev[i];
    snprintf(d->strs[i][0], 16, "%s", src);
    snprintf(d->strs[i][1], 16, "%s", tgt);
    snprintf(d->strs[i][2], 16, "%s", code);
    size_t start = d->len;
    int w = snprintf(d->text + d->len, sizeof d->text - d->len, "%s hit %s with %s. ", src, tgt,
                     code);
    d->len += (size_t)w;
    e->sent = (int)i;
    e->source = d->strs[i][0];
    e->target = d->strs[i][1];
    e->code = d->strs[i][2];
    e->root = (code[0] - '0') * 10 + (code[1] - '0');
    double g;
    int q;
    const char *name;
    e->goldstein = NAN;
    if (mp_cameo_lookup(code, &name, &g, &q)) e->goldstein = g, e->quad_class = q;
    e->source_text = e->source;
    e->target_text = e->target;
    e->verb_text = "hit";
    e->source_span = (mp_span){(uint32_t)start, (uint32_t)(start + strlen(src))};
    e->verb_span = (mp_span){(uint32_t)(start + strlen(src) + 1), (uint32_t)(start + strlen(src) + 4)};
    e->target_span = (mp_span){(uint32_t)(start + strlen(src) + 5),
                               (uint32_t)(start + strlen(src) + 5 + strlen(tgt))};
    e->sentence = (mp_span){(uint32_t)start, (uint32_t)(d->len - 1)};
    e->rule = "test:1";
}

static int add(mp_store *s, const char *id, int date, const char *pub, doc *d, int *added) {
    mp_store_doc sd = {id, date, pub, NULL, (long long)d->len};
    return mp_store_add(s, &sd, d->ev, d->n, d->text, NULL, added);
}

static mp_store *open_new(const char *name, int window) {
    rm_store(path_in(name));
    mp_store_opts o = {0, window >= 0, window >= 0 ? window : 0, 0};
    mp_store *s;
    int rc = mp_store_open(path_in(name), &o, &s);
    CHECK(rc == MP_OK, "open %s: %s", name, mp_store_errmsg(s));
    return s;
}

/* ---- reading back -------------------------------------------------------------- */
static long long sql_int(const char *file, const char *sql) {
    sqlite3 *db;
    long long v = -1;
    if (sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
            if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
            sqlite3_finalize(st);
        } else {
            printf("note: %s: %s\n", sql, sqlite3_errmsg(db));
        }
    }
    sqlite3_close(db);
    return v;
}

typedef struct {
    int64_t id;
    int date;
    long long m, s, a;
} evrow;

/* The events matching f, at most cap. */
static size_t query(mp_store *s, const mp_store_filter *f, evrow *out, size_t cap) {
    mp_store_iter *q;
    size_t n = 0;
    if (mp_store_query(s, f, &q)) {
        printf("note: query: %s\n", mp_store_errmsg(s));
        return 0;
    }
    for (const mp_store_event *e; (e = mp_store_next_event(q));) {
        if (n < cap) out[n] = (evrow){e->id, e->date, e->num_mentions, e->num_sources, e->num_articles};
        n++;
    }
    CHECK(mp_store_iter_rc(q) == MP_OK, "iteration: %s", mp_store_errmsg(s));
    mp_store_iter_free(q);
    return n;
}

static size_t count_query(mp_store *s, const mp_store_filter *f) {
    evrow tmp[1];
    return query(s, f, tmp, 0);
}

/* Invariants 3 and 4 of store.c, recomputed with SQL: 1 if they hold. */
static int invariants_hold(const char *file) {
    const char *checks[] = {
        /* 3: counters against the mentions */
        "SELECT count(*) FROM events e WHERE num_mentions != (SELECT count(*) FROM mentions m "
        "WHERE m.event_id = e.id) OR num_articles != (SELECT count(DISTINCT doc) FROM mentions m "
        "WHERE m.event_id = e.id) OR num_sources != (SELECT count(DISTINCT pub) FROM mentions m "
        "WHERE m.event_id = e.id) OR first_mention != (SELECT min(id) FROM mentions m WHERE "
        "m.event_id = e.id)",
        /* 1: every document has its mentions */
        "SELECT count(*) FROM docs d WHERE nevents != (SELECT count(*) FROM mentions m WHERE "
        "m.doc = d.id)",
        /* 4: the rollup, all events */
        "SELECT count(*) FROM (SELECT ifnull(date, 0) d, ifnull(root, 0) r, ifnull(quad_class, 0) "
        "q, count(*) n, sum(num_mentions) m, sum(num_articles) a FROM events GROUP BY 1, 2, 3) x "
        "FULL JOIN (SELECT * FROM counts WHERE country = '') k ON k.date = x.d AND k.root = x.r "
        "AND k.quad_class = x.q WHERE k.events IS NOT x.n OR k.mentions IS NOT x.m OR "
        "k.articles IS NOT x.a",
        /* 4: the rollup, per country */
        "SELECT count(*) FROM (SELECT c.country cc, c.date d, ifnull(e.root, 0) r, "
        "ifnull(e.quad_class, 0) q, count(*) n, sum(num_mentions) m FROM event_countries c JOIN "
        "events e ON e.id = c.event_id GROUP BY 1, 2, 3, 4) x FULL JOIN (SELECT * FROM counts "
        "WHERE country != '') k ON k.country = x.cc AND k.date = x.d AND k.root = x.r AND "
        "k.quad_class = x.q WHERE k.events IS NOT x.n OR k.mentions IS NOT x.m",
        /* event_countries: the distinct countries of each event */
        "SELECT count(*) FROM events e WHERE (SELECT count(*) FROM event_countries c WHERE "
        "c.event_id = e.id) != (source_country IS NOT NULL) + (target_country IS NOT NULL AND "
        "target_country IS NOT source_country)",
    };
    int ok = 1;
    for (size_t i = 0; i < sizeof checks / sizeof *checks; i++) {
        long long bad = sql_int(file, checks[i]);
        if (bad != 0) {
            printf("note: invariant check %zu: %lld bad rows\n", i, bad);
            ok = 0;
        }
    }
    return ok;
}

/* A text dump of everything but the times of ingest, for comparing stores. */
static char *dump(const char *file) {
    static const char *const sql[] = {
        "SELECT id, doc_id, date, pub, url, len, nevents FROM docs ORDER BY id",
        "SELECT * FROM publishers ORDER BY id",
        "SELECT id, date, source, target, code, root, quad_class, goldstein, source_country, "
        "target_country, place, num_mentions, num_sources, num_articles, first_mention, ckey "
        "FROM events ORDER BY id",
        "SELECT * FROM event_countries ORDER BY 1, 2, 3",
        "SELECT * FROM mentions ORDER BY id",
        "SELECT * FROM counts ORDER BY 1, 2, 3, 4",
        "SELECT rowid FROM mention_fts WHERE mention_fts MATCH 'hit' ORDER BY rowid",
    };
    sqlite3 *db;
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    if (!out) return NULL;
    out[0] = 0;
    if (sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY, NULL)) return out;
    for (size_t k = 0; k < sizeof sql / sizeof *sql; k++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, sql[k], -1, &st, NULL)) continue;
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(st); c++) {
                const char *t = (const char *)sqlite3_column_text(st, c);
                size_t n = t ? strlen(t) : 4;
                while (len + n + 4 > cap) {
                    char *o = realloc(out, cap *= 2);
                    if (!o) break;
                    out = o;
                }
                memcpy(out + len, t ? t : "NULL", n);
                len += n;
                out[len++] = c + 1 < sqlite3_column_count(st) ? '|' : '\n';
                out[len] = 0;
            }
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return out;
}

/* ---- the tests ----------------------------------------------------------------------- */
static void test_open_and_schema(void) {
    mp_store *s = open_new("a.db", -1);
    mp_store_info in;
    CHECK(mp_store_info_get(s, &in) == MP_OK, "info");
    CHECK(in.version == MP_STORE_VERSION && in.window == 1, "version %d window %d", in.version,
          in.window);
    CHECK(in.docs == 0 && in.events == 0 && in.mentions == 0, "empty store");
    mp_store_close(s);
    CHECK(sql_int(path_in("a.db"), "PRAGMA user_version") == MP_STORE_VERSION, "user_version");
    CHECK(sql_int(path_in("a.db"), "PRAGMA application_id") == 0x6d616770, "application_id");
    CHECK(sql_int(path_in("a.db"), "SELECT count(*) FROM pragma_journal_mode WHERE "
                                   "journal_mode = 'wal'") == 1, "WAL mode");
    /* reopening keeps it; asking for another window is refused */
    mp_store_opts o = {0, 1, 3, 0};
    CHECK(mp_store_open(path_in("a.db"), &o, &s) == MP_ERR_OPTION, "window mismatch refused");
    CHECK(strstr(mp_store_errmsg(s), "window") != NULL, "message: %s", mp_store_errmsg(s));
    mp_store_close(s);
    o.window = 1;
    CHECK(mp_store_open(path_in("a.db"), &o, &s) == MP_OK, "same window: %s", mp_store_errmsg(s));
    mp_store_close(s);
    mp_store_close(NULL);
    mp_store_iter_free(NULL);
    o = (mp_store_opts){0, 1, 400, 0};
    CHECK(mp_store_open(path_in("w.db"), &o, &s) == MP_ERR_OPTION, "window 400 refused");
    mp_store_close(s);
}

static void test_idempotent(void) {
    mp_store *s = open_new("idem.db", -1);
    doc d;
    doc_init(&d);
    doc_event(&d, "AAAGOV", "BBBMIL", "173");
    doc_event(&d, "BBBMIL", "AAAGOV", "112");
    int added = -1;
    CHECK(add(s, "x-1", 20260608, NULL, &d, &added) == MP_OK && added == 1, "first add");
    char *before = dump(path_in("idem.db"));
    CHECK(add(s, "x-1", 20260608, NULL, &d, &added) == MP_OK && added == 0, "second add: %d", added);
    /* also inside a batch */
    CHECK(mp_store_begin(s) == MP_OK, "begin");
    CHECK(add(s, "x-1", 20260609, "other", &d, &added) == MP_OK && added == 0, "in a batch");
    CHECK(mp_store_commit(s) == MP_OK, "commit");
    char *after = dump(path_in("idem.db"));
    CHECK(before && after && !strcmp(before, after), "the store did not change");
    int has = 0;
    CHECK(mp_store_has_doc(s, "x-1", &has) == MP_OK && has == 1, "has x-1");
    CHECK(mp_store_has_doc(s, "x-2", &has) == MP_OK && has == 0, "has not x-2");
    free(before);
    free(after);
    /* a rolled back batch leaves nothing */
    CHECK(mp_store_begin(s) == MP_OK, "begin");
    CHECK(add(s, "x-2", 20260608, NULL, &d, &added) == MP_OK && added == 1, "add x-2");
    mp_store_rollback(s);
    CHECK(mp_store_has_doc(s, "x-2", &has) == MP_OK && has == 0, "rolled back");
    CHECK(add(s, "x-3", 20260608, NULL, &d, &added) == MP_OK && added == 1, "after a rollback");
    mp_store_info in;
    mp_store_info_get(s, &in);
    CHECK(in.docs == 2 && in.mentions == 4, "docs %lld mentions %lld", in.docs, in.mentions);
    /* bad calls */
    mp_store_doc nd = {NULL, 0, NULL, NULL, -1};
    CHECK(mp_store_add(s, &nd, NULL, 0, NULL, NULL, NULL) == MP_ERR_INPUT, "no id");
    mp_store_doc bd = {"bad-date", 20261345, NULL, NULL, -1};
    CHECK(mp_store_add(s, &bd, NULL, 0, NULL, NULL, NULL) == MP_ERR_INPUT, "bad date");
    CHECK(mp_store_commit(s) == MP_ERR_STATE, "commit without a batch");
    CHECK(invariants_hold(path_in("idem.db")), "invariants");
    mp_store_close(s);
}

static void test_clustering(void) {
    mp_store *s = open_new("dup.db", -1);
    doc d;
    doc_init(&d);
    doc_event(&d, "AAAGOV", "BBBMIL", "173");
    int added;
    add(s, "reuters-1", 20260608, NULL, &d, &added);
    add(s, "ap-1", 20260609, NULL, &d, &added);          /* a day later, another source */
    add(s, "reuters-2", 20260608, NULL, &d, &added);     /* the same source again */
    add(s, "x", 20260609, "ap", &d, &added);             /* publisher given */
    evrow r[8];
    mp_store_filter f = {0};
    size_t n = query(s, &f, r, 8);
    CHECK(n == 1, "one event, got %zu", n);
    CHECK(r[0].m == 4 && r[0].a == 4 && r[0].s == 2, "mentions %lld articles %lld sources %lld",
          r[0].m, r[0].a, r[0].s);
    CHECK(r[0].date == 20260608, "event date %d", r[0].date);
    int64_t first_id = r[0].id;
    /* two days from the event's date: a new one (window 1), although a
     * mention of 2026-06-09 lies between */
    add(s, "afp-1", 20260610, NULL, &d, &added);
    n = query(s, &f, r, 8);
    CHECK(n == 2 && r[0].id == first_id && r[1].date == 20260610, "a new event; ids kept");
    /* one document mentioning the event twice: two mentions, one article */
    doc d2;
    doc_init(&d2);
    doc_event(&d2, "AAAGOV", "BBBMIL", "173");
    doc_event(&d2, "AAAGOV", "BBBMIL", "173");
    add(s, "bbc-1", 20260608, NULL, &d2, &added);
    n = query(s, &f, r, 8);
    CHECK(n == 2 && r[0].m == 6 && r[0].a == 5 && r[0].s == 3, "m %lld a %lld s %lld", r[0].m,
          r[0].a, r[0].s);
    /* another code, target or source: other events */
    doc d3;
    doc_init(&d3);
    doc_event(&d3, "AAAGOV", "BBBMIL", "174");
    doc_event(&d3, "BBBMIL", "AAAGOV", "173");
    doc_event(&d3, "AAAGOV", "CCC", "173");
    add(s, "dw-1", 20260608, NULL, &d3, &added);
    CHECK(count_query(s, &f) == 5, "five events");
    /* the nearest event wins; the older one on a tie */
    doc d4;
    doc_init(&d4);
    doc_event(&d4, "DDD", "EEE", "042");
    add(s, "n-1", 20260601, NULL, &d4, &added);
    add(s, "n-2", 20260603, NULL, &d4, &added);
    add(s, "n-3", 20260602, NULL, &d4, &added); /* one day from both */
    add(s, "n-4", 20260604, NULL, &d4, &added); /* joins the 3rd */
    mp_store_filter fd = {0};
    fd.actor = "DDD";
    n = query(s, &fd, r, 8);
    CHECK(n == 2, "two DDD events, got %zu", n);
    CHECK(n == 2 && r[0].date == 20260601 && r[0].m == 2 && r[1].date == 20260603 && r[1].m == 2,
          "tie to the older: %lld %lld", r[0].m, r[1].m);
    /* across a month end */
    add(s, "n-5", 20260531, NULL, &d4, &added);
    n = query(s, &fd, r, 8);
    CHECK(n == 2 && r[0].m == 3, "2026-05-31 joins 2026-06-01");
    /* undated: only within one document */
    doc d5;
    doc_init(&d5);
    doc_event(&d5, "FFF", "GGG", "111");
    doc_event(&d5, "FFF", "GGG", "111");
    add(s, "u-1", 0, NULL, &d5, &added);
    add(s, "u-2", 0, NULL, &d5, &added);
    mp_store_filter fu = {0};
    fu.source = "FFF";
    n = query(s, &fu, r, 8);
    CHECK(n == 2 && r[0].m == 2 && r[1].m == 2 && r[0].date == 0, "undated: %zu events", n);
    CHECK(invariants_hold(path_in("dup.db")), "invariants");
    mp_store_close(s);

    /* window 0: the same day only */
    s = open_new("w0.db", 0);
    add(s, "a-1", 20260608, NULL, &d, &added);
    add(s, "b-1", 20260609, NULL, &d, &added);
    add(s, "c-1", 20260608, NULL, &d, &added);
    n = query(s, &f, r, 8);
    CHECK(n == 2 && r[0].m == 2, "window 0: %zu events", n);
    mp_store_close(s);
}

static void set_place(mp_event *e, unsigned long id, const char *name, const char *cc,
                      double lat, double lon) {
    memset(&e->location, 0, sizeof e->location);
    e->location.precision = MP_PLACE_CITY;
    e->location.geonameid = id;
    e->location.name = name;
    snprintf(e->location.country, sizeof e->location.country, "%s", cc);
    e->location.admin1 = "";
    e->location.lat = lat;
    e->location.lon = lon;
    e->location.gdelt_type = 4;
    e->location.full_name = name;
}

static void test_places(void) {
    mp_store *s = open_new("geo.db", -1);
    doc d;
    doc_init(&d);
    doc_event(&d, "AAAGOV", "BBBMIL", "173");
    doc_event(&d, "AAAGOV", "BBBMIL", "173");
    doc_event(&d, "AAAGOV", "BBBMIL", "173");
    doc_event(&d, "AAAGOV", "BBBMIL", "173");
    set_place(&d.ev[0], 2988507, "Paris", "FRA", 48.85, 2.35);
    set_place(&d.ev[1], 2643743, "London", "GBR", 51.51, -0.13);
    set_place(&d.ev[3], 0, "Tokyo", "JPN", 35.69, 139.69); /* no GeoNames id: by name */
    mp_store_doc sd = {"geo-1", 20260608, NULL, NULL, -1};
    const char *extras[4] = {",\"fatalities\":3", NULL, "", NULL};
    CHECK(mp_store_add(s, &sd, d.ev, d.n, d.text, extras, NULL) == MP_OK, "add with places");
    sd.id = "geo-2";
    CHECK(mp_store_add(s, &sd, d.ev, d.n, d.text, NULL, NULL) == MP_OK, "again");
    mp_store_filter f = {0};
    evrow r[8];
    size_t n = query(s, &f, r, 8);
    CHECK(n == 4 && r[0].m == 2 && r[1].m == 2 && r[2].m == 2 && r[3].m == 2,
          "one event per place, and one without: %zu", n);
    f.place = "Paris";
    CHECK(count_query(s, &f) == 1, "place by name");
    f.place = "2643743";
    CHECK(count_query(s, &f) == 1, "place by GeoNames id");
    f.place = NULL;
    f.has_bbox = 1;
    f.west = -5, f.south = 45, f.east = 5, f.north = 55;
    CHECK(count_query(s, &f) == 2, "bbox over Paris and London");
    f.west = 0;
    CHECK(count_query(s, &f) == 1, "bbox over Paris");
    f.west = 170, f.east = 1, f.south = -90, f.north = 90; /* across the 180th meridian */
    CHECK(count_query(s, &f) == 1, "bbox across the antimeridian: Paris, not Tokyo");
    mp_store_iter *q;
    mp_store_filter fp = {0};
    fp.place = "Paris";
    CHECK(mp_store_query(s, &fp, &q) == MP_OK, "query");
    const mp_store_event *e = mp_store_next_event(q);
    CHECK(e && e->place.precision == MP_PLACE_CITY && !strcmp(e->place.name, "Paris") &&
              e->place.lat == 48.85 && e->place.geonameid == 2988507 &&
              !strcmp(e->place.country, "FRA") && e->place.gdelt_type == 4,
          "the place comes back");
    CHECK(e && !strcmp(e->first.extras, ",\"fatalities\":3"), "extras come back: %s",
          e ? e->first.extras : "");
    mp_store_iter_free(q);
    CHECK(mp_store_query_mentions(s, NULL, &q) == MP_OK, "mentions");
    size_t nx = 0;
    for (const mp_store_mention *m; (m = mp_store_next_mention(q));) nx += *m->extras != 0;
    CHECK(nx == 1, "one mention with extras, got %zu", nx);
    mp_store_iter_free(q);
    mp_store_close(s);
}

/* A mention is dated by its event's own date, else its story's. */
static void test_event_dates(void) {
    mp_store *s = open_new("dates.db", -1);
    doc d;
    doc_init(&d);
    doc_event(&d, "AAA", "BBB", "111");
    doc_event(&d, "AAA", "BBB", "111");
    d.ev[0].date = 20260601; /* "last week" */
    mp_store_doc sd = {"d-1", 20260608, NULL, NULL, -1};
    CHECK(mp_store_add(s, &sd, d.ev, d.n, d.text, NULL, NULL) == MP_OK, "add");
    mp_store_filter f = {0};
    evrow r[4];
    size_t n = query(s, &f, r, 4);
    CHECK(n == 2 && r[0].date == 20260601 && r[1].date == 20260608, "two dates: %zu", n);
    d.ev[0].date = 20261301;
    sd.id = "d-2";
    CHECK(mp_store_add(s, &sd, d.ev, d.n, d.text, NULL, NULL) == MP_ERR_INPUT, "a bad event date");
    mp_store_close(s);
}

static void test_queries(void) {
    mp_store *s = open_new("q.db", -1);
    static const struct { const char *id; int date; const char *src, *tgt, *code; } D[] = {
        {"r-1", 20260101, "USAGOV", "RUSMIL", "112"}, {"r-2", 20260102, "RUSMIL", "UKR", "190"},
        {"r-3", 20260110, "FRACOP", "FRA", "173"},    {"r-4", 20260201, "USA", "CHN", "0411"},
        {"r-5", 20260215, "IGOUNO", "UKR", "042"},    {"r-6", 20260301, "---", "UKRGOV", "141"},
    };
    int added;
    mp_store_begin(s);
    for (size_t i = 0; i < sizeof D / sizeof *D; i++) {
        doc d;
        doc_init(&d);
        doc_event(&d, D[i].src, D[i].tgt, D[i].code);
        add(s, D[i].id, D[i].date, NULL, &d, &added);
    }
    CHECK(mp_store_commit(s) == MP_OK, "commit");
    mp_store_filter f = {0};
    CHECK(count_query(s, &f) == 6, "all");
    f.country = "USA";
    CHECK(count_query(s, &f) == 2, "country USA");
    f.country = "UKR";
    CHECK(count_query(s, &f) == 3, "country UKR");
    f.from = 20260102, f.to = 20260215;
    CHECK(count_query(s, &f) == 2, "UKR in a date range");
    f.country = NULL;
    CHECK(count_query(s, &f) == 4, "date range");
    f = (mp_store_filter){0};
    f.country = "IGO";
    CHECK(count_query(s, &f) == 0, "IGO is a role, not a country");
    f = (mp_store_filter){0};
    f.actor = "USA";
    CHECK(count_query(s, &f) == 2, "actor USA");
    f.actor = "UKR";
    CHECK(count_query(s, &f) == 3, "actor UKR (prefix)");
    f = (mp_store_filter){0};
    f.source = "RUS";
    CHECK(count_query(s, &f) == 1, "source RUS");
    f = (mp_store_filter){0};
    f.target = "FRA";
    CHECK(count_query(s, &f) == 1, "target FRA");
    f = (mp_store_filter){0};
    f.code = "04";
    CHECK(count_query(s, &f) == 2, "code 04*");
    f.code = "0411";
    CHECK(count_query(s, &f) == 1, "code 0411");
    f = (mp_store_filter){0};
    f.root = 19;
    CHECK(count_query(s, &f) == 1, "root 19");
    f = (mp_store_filter){0};
    f.quad_class = 4;
    CHECK(count_query(s, &f) == 3, "quad 4");
    f = (mp_store_filter){0};
    f.words = "FRACOP";
    CHECK(count_query(s, &f) == 1, "words");
    f.words = "hit AND (RUSMIL OR CHN)";
    CHECK(count_query(s, &f) == 3, "words with operators");
    f.words = "\"unbalanced";
    mp_store_iter *q;
    CHECK(mp_store_query(s, &f, &q) == MP_OK, "prepare");
    CHECK(mp_store_next_event(q) == NULL && mp_store_iter_rc(q) == MP_ERR_OPTION,
          "a bad words query is an option error: %s", mp_store_errmsg(s));
    mp_store_iter_free(q);
    f = (mp_store_filter){0};
    f.limit = 2, f.offset = 1;
    evrow r[8];
    size_t n = query(s, &f, r, 8);
    CHECK(n == 2 && r[0].date == 20260102, "limit and offset");
    f = (mp_store_filter){0};
    f.min_mentions = 2;
    CHECK(count_query(s, &f) == 0, "min mentions");
    f = (mp_store_filter){0};
    f.root = 25;
    CHECK(mp_store_query(s, &f, &q) == MP_ERR_OPTION && !q, "bad root");
    /* order: by date */
    f = (mp_store_filter){0};
    n = query(s, &f, r, 8);
    int sorted = 1;
    for (size_t i = 1; i < n; i++) sorted &= r[i - 1].date <= r[i].date;
    CHECK(sorted, "by date");
    /* an event's fields and its first mention */
    f.code = "0411";
    CHECK(mp_store_query(s, &f, &q) == MP_OK, "query");
    const mp_store_event *e = mp_store_next_event(q);
    CHECK(e && !strcmp(e->source, "USA") && !strcmp(e->target, "CHN") && e->root == 4 &&
              e->source_country && !strcmp(e->source_country, "USA") && e->target_country &&
              !strcmp(e->target_country, "CHN") && e->date == 20260201,
          "event fields");
    CHECK(e && e->first.ev.doc_id && !strcmp(e->first.ev.doc_id, "r-4") &&
              !strcmp(e->first.text, "USA hit CHN with 0411.") && e->first.publisher &&
              !strcmp(e->first.publisher, "r") && e->first.ev.verb_span.end == 7,
          "first mention");
    CHECK(mp_store_next_event(q) == NULL && mp_store_iter_rc(q) == MP_OK, "one row");
    mp_store_iter_free(q);
    /* mentions */
    CHECK(mp_store_query_mentions(s, NULL, &q) == MP_OK, "mentions");
    size_t nm = 0;
    for (const mp_store_mention *m; (m = mp_store_next_mention(q));) {
        nm++;
        CHECK(m->ev.source && m->text && m->event_id > 0 && m->ev.date > 0, "mention fields");
    }
    CHECK(nm == 6, "six mentions");
    mp_store_iter_free(q);
    mp_store_close(s);
}

static void test_stats(void) {
    mp_store *s = open_new("st.db", -1);
    int added;
    mp_store_begin(s);
    for (int i = 0; i < 60; i++) {
        doc d;
        doc_init(&d);
        static const char *const A[] = {"USAGOV", "RUS", "CHNMIL", "---", "IGONGO", "UKR"};
        static const char *const C[] = {"112", "190", "042", "1411", "0231"};
        doc_event(&d, A[i % 6], A[(i / 6) % 6], C[i % 5]);
        if (i % 4 == 0) doc_event(&d, A[(i + 1) % 6], A[i % 6], C[(i + 2) % 5]);
        char id[32];
        snprintf(id, sizeof id, "p%d-%d", i % 3, i);
        add(s, id, 20251225 + (i % 17 < 7 ? i % 17 : 100 + i % 17 - 7), NULL, &d, &added);
    }
    mp_store_commit(s);
    /* the rollup and the events give the same counts */
    static const mp_store_by BY[][2] = {
        {MP_BY_DAY, MP_BY_NONE}, {MP_BY_WEEK, MP_BY_NONE}, {MP_BY_MONTH, MP_BY_NONE},
        {MP_BY_YEAR, MP_BY_NONE}, {MP_BY_COUNTRY, MP_BY_NONE}, {MP_BY_ROOT, MP_BY_NONE},
        {MP_BY_QUAD, MP_BY_NONE}, {MP_BY_DAY, MP_BY_COUNTRY}, {MP_BY_COUNTRY, MP_BY_ROOT}};
    static const char *const countries[] = {NULL, "USA", "UKR"};
    for (size_t b = 0; b < sizeof BY / sizeof *BY; b++)
        for (int c = 0; c < 3; c++) {
            char got[2][8192];
            for (int k = 0; k < 2; k++) {
                mp_store_filter f = {0};
                f.country = countries[c];
                f.from = 20251226;
                f.min_mentions = k; /* 1: the same events, counted from the events table */
                mp_store_iter *q;
                got[k][0] = 0;
                if (mp_store_stats(s, &f, BY[b][0], BY[b][1], &q)) {
                    printf("note: %s\n", mp_store_errmsg(s));
                    continue;
                }
                size_t len = 0;
                for (const mp_store_count *r; (r = mp_store_next_count(q));)
                    len += (size_t)snprintf(got[k] + len, sizeof got[k] - len, "%s|%s|%lld|%lld|%lld\n",
                                            r->key[0] ? r->key[0] : "-", r->key[1] ? r->key[1] : "-",
                                            r->events, r->mentions, r->articles);
                CHECK(mp_store_iter_rc(q) == MP_OK, "stats rows");
                mp_store_iter_free(q);
            }
            CHECK(!strcmp(got[0], got[1]) && got[0][0], "grouping %zu country %s: rollup\n%s events\n%s",
                  b, countries[c] ? countries[c] : "-", got[0], got[1]);
        }
    /* a few exact values */
    mp_store_filter f = {0};
    mp_store_iter *q;
    CHECK(mp_store_stats(s, &f, MP_BY_YEAR, MP_BY_NONE, &q) == MP_OK, "by year");
    const mp_store_count *r = mp_store_next_count(q);
    CHECK(r && r->key[0] && !strcmp(r->key[0], "2025") && !r->key[1], "first year 2025");
    long long total = r ? r->events : 0;
    while ((r = mp_store_next_count(q))) total += r->events;
    mp_store_iter_free(q);
    mp_store_info in;
    mp_store_info_get(s, &in);
    CHECK(total == in.events, "years sum to the events: %lld %lld", total, in.events);
    CHECK(mp_store_stats(s, &f, MP_BY_WEEK, MP_BY_NONE, &q) == MP_OK, "by week");
    r = mp_store_next_count(q);
    CHECK(r && r->key[0] && !strcmp(r->key[0], "2025-W52"), "2025-12-25 is in 2025-W52: %s",
          r && r->key[0] ? r->key[0] : "null");
    while ((r = mp_store_next_count(q)) && r->key[0] && strcmp(r->key[0], "2026-W01")) {}
    CHECK(r, "2025-12-29 .. 2026-01-04 is 2026-W01");
    mp_store_iter_free(q);
    CHECK(invariants_hold(path_in("st.db")), "invariants");
    mp_store_close(s);
}

/* Many documents in random batches: the invariants hold; the same input
 * twice (and in other batch sizes) gives the same store. */
static void test_random(void) {
    static const char *const A[] = {"AAA", "BBBGOV", "CCCMIL", "---", "DDD"};
    static const char *const C[] = {"010", "111", "173"};
    char *dumps[2] = {NULL, NULL};
    for (int run = 0; run < 2; run++) {
        mp_store *s = open_new(run ? "rnd2.db" : "rnd1.db", -1);
        unsigned seed = 12345;
        int in_batch = 0, bsize = run ? 7 : 50;
        for (int i = 0; i < 400; i++) {
            doc d;
            doc_init(&d);
            int n = 1 + (int)((seed = seed * 1103515245 + 12345) >> 16) % 4;
            for (int k = 0; k < n; k++) {
                seed = seed * 1103515245 + 12345;
                doc_event(&d, A[(seed >> 16) % 5], A[(seed >> 20) % 5], C[(seed >> 24) % 3]);
            }
            seed = seed * 1103515245 + 12345;
            int date = (seed >> 16) % 9 ? 20260601 + (int)((seed >> 20) % 12) : 0;
            char id[32];
            snprintf(id, sizeof id, "%c-%d", 'a' + (int)((seed >> 26) % 4), i);
            if (!in_batch) mp_store_begin(s);
            int added;
            CHECK(add(s, id, date, NULL, &d, &added) == MP_OK, "add");
            if (++in_batch == bsize) {
                CHECK(mp_store_commit(s) == MP_OK, "commit");
                in_batch = 0;
            }
        }
        if (in_batch) mp_store_commit(s);
        CHECK(invariants_hold(path_in(run ? "rnd2.db" : "rnd1.db")), "invariants, run %d", run);
        /* two events of one key are more than the window apart */
        long long close = sql_int(path_in(run ? "rnd2.db" : "rnd1.db"),
                                  "SELECT count(*) FROM events a JOIN events b ON a.ckey = b.ckey "
                                  "AND a.id < b.id AND abs(julianday(printf('%d-%02d-%02d', "
                                  "a.date / 10000, a.date / 100 % 100, a.date % 100)) - "
                                  "julianday(printf('%d-%02d-%02d', b.date / 10000, b.date / 100 % "
                                  "100, b.date % 100))) <= 1");
        CHECK(close == 0, "%lld pairs of events within the window", close);
        mp_store_close(s);
        dumps[run] = dump(path_in(run ? "rnd2.db" : "rnd1.db"));
    }
    CHECK(dumps[0] && dumps[1] && !strcmp(dumps[0], dumps[1]) && strlen(dumps[0]) > 1000,
          "batch sizes do not change the store");
    free(dumps[0]);
    free(dumps[1]);
}

/* ---- files that are not stores ---------------------------------------------------------- */
static int write_file(const char *p, const void *data, size_t n) {
    FILE *f = fopen(p, "wb");
    if (!f) return -1;
    size_t w = fwrite(data, 1, n, f);
    return fclose(f) || w != n ? -1 : 0;
}

static char *read_file(const char *p, size_t *n) {
    FILE *f = fopen(p, "rb");
    if (!f) return NULL;
    char *b = NULL;
    size_t cap = 0;
    *n = 0;
    for (;;) {
        if (*n == cap) {
            char *nb = realloc(b, cap = cap ? cap * 2 : 4096);
            if (!nb) break;
            b = nb;
        }
        size_t got = fread(b + *n, 1, cap - *n, f);
        if (!got) break;
        *n += got;
    }
    fclose(f);
    return b;
}

static int exists(const char *p) {
    struct stat sb;
    return stat(p, &sb) == 0;
}

/* Opening p fails with rc, and p is byte for byte what it was. */
static void refused(const char *p, int want_rc, int readonly, const char *what) {
    size_t n0, n1;
    char *before = read_file(p, &n0);
    mp_store_opts o = {readonly, 0, 0, 0};
    mp_store *s;
    int rc = mp_store_open(p, &o, &s);
    CHECK(rc == want_rc, "%s: rc %d (%s), want %d", what, rc, mp_store_errmsg(s), want_rc);
    CHECK(s && strstr(mp_store_errmsg(s), p), "%s: the message names the file: %s", what,
          mp_store_errmsg(s));
    mp_store_close(s);
    char *after = read_file(p, &n1);
    CHECK(before && after && n0 == n1 && !memcmp(before, after, n0), "%s: file untouched", what);
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", p);
    CHECK(!exists(wal) || want_rc == MP_ERR_STATE, "%s: no WAL file left", what);
    free(before);
    free(after);
}

static void test_foreign(void) {
    const char *t = path_in("notes.txt");
    write_file(t, "these are my notes\n", 19);
    refused(t, MP_ERR_SYNTAX, 0, "a text file");
    refused(t, MP_ERR_SYNTAX, 1, "a text file, read-only");
    /* a short file that starts like SQLite */
    write_file(t, "SQLite format", 13);
    refused(t, MP_ERR_SYNTAX, 0, "a short file");
    /* another application's database */
    const char *o = path_in("other.db");
    rm_store(o);
    sqlite3 *db;
    sqlite3_open(o, &db);
    sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES(1)", NULL, NULL, NULL);
    sqlite3_close(db);
    refused(o, MP_ERR_SYNTAX, 0, "another application's database");
    /* a store from a newer magpie */
    mp_store *s = open_new("new.db", -1);
    mp_store_close(s);
    sqlite3_open(path_in("new.db"), &db);
    sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
    sqlite3_close(db);
    refused(path_in("new.db"), MP_ERR_STATE, 0, "a newer schema");
    /* a corrupt store: its first page overwritten after the header */
    s = open_new("bad.db", -1);
    doc d;
    doc_init(&d);
    doc_event(&d, "AAA", "BBB", "111");
    add(s, "c-1", 20260101, NULL, &d, NULL);
    mp_store_close(s);
    size_t n;
    char *b = read_file(path_in("bad.db"), &n);
    if (b && n > 4096) {
        for (size_t i = 100; i < 4096; i++) b[i] = (char)(i * 7);
        write_file(path_in("bad.db"), b, n);
    }
    free(b);
    refused(path_in("bad.db"), MP_ERR_SYNTAX, 0, "a corrupt store");
    refused(path_in("bad.db"), MP_ERR_SYNTAX, 1, "a corrupt store, read-only");
    /* read-only: no file is made */
    mp_store_opts ro = {1, 0, 0, 0};
    CHECK(mp_store_open(path_in("none.db"), &ro, &s) == MP_ERR_IO, "missing store");
    mp_store_close(s);
    CHECK(!exists(path_in("none.db")), "no file made");
    /* a read-only handle does not write */
    s = open_new("ro.db", -1);
    mp_store_close(s);
    CHECK(mp_store_open(path_in("ro.db"), &ro, &s) == MP_OK, "read-only open");
    CHECK(add(s, "z", 0, NULL, &d, NULL) == MP_ERR_STATE, "add on a read-only handle");
    mp_store_close(s);
    /* an empty file becomes a store */
    write_file(path_in("empty.db"), "", 0);
    s = NULL;
    CHECK(mp_store_open(path_in("empty.db"), NULL, &s) == MP_OK, "an empty file: %s",
          mp_store_errmsg(s));
    mp_store_close(s);
    /* a directory */
    CHECK(mp_store_open(dir, NULL, &s) == MP_ERR_IO, "a directory");
    mp_store_close(s);
}

/* A version-1 store (no full-text index, no rollup) is upgraded on open. */
static void test_upgrade(void) {
    mp_store *s = open_new("up.db", -1);
    int added;
    for (int i = 0; i < 20; i++) {
        doc d;
        doc_init(&d);
        doc_event(&d, i % 2 ? "USA" : "FRAGOV", i % 3 ? "RUS" : "---", i % 4 ? "112" : "0231");
        char id[16];
        snprintf(id, sizeof id, "u-%d", i);
        add(s, id, 20260101 + i % 5, NULL, &d, &added);
    }
    mp_store_filter f = {0};
    f.words = "FRAGOV";
    size_t nf = count_query(s, &f);
    CHECK(nf > 0, "words");
    mp_store_close(s);
    char *want = dump(path_in("up.db"));
    sqlite3 *db;
    sqlite3_open(path_in("up.db"), &db);
    int rc = sqlite3_exec(db, "BEGIN; DROP TABLE mention_fts; DROP TABLE counts; "
                              "PRAGMA user_version = 1; COMMIT", NULL, NULL, NULL);
    sqlite3_close(db);
    CHECK(rc == SQLITE_OK, "made a version-1 store");
    CHECK(sql_int(path_in("up.db"), "PRAGMA user_version") == 1, "version 1");
    /* read-only use upgrades it too */
    mp_store_opts ro = {1, 0, 0, 0};
    CHECK(mp_store_open(path_in("up.db"), &ro, &s) == MP_OK, "open: %s", mp_store_errmsg(s));
    CHECK(count_query(s, &f) == nf, "full-text index rebuilt");
    mp_store_close(s);
    CHECK(sql_int(path_in("up.db"), "PRAGMA user_version") == MP_STORE_VERSION, "upgraded");
    char *got = dump(path_in("up.db"));
    CHECK(want && got && !strcmp(want, got), "the same store as one made new");
    CHECK(invariants_hold(path_in("up.db")), "invariants");
    free(want);
    free(got);
}

static void test_actor_split(void) {
    mp_actor_parts p;
    mp_actor_split("USAGOV", &p);
    CHECK(!strcmp(p.country, "USA") && !strcmp(p.type[0], "GOV") && !p.known_group[0], "USAGOV");
    mp_actor_split("IGOUNO", &p);
    CHECK(!p.country[0] && !strcmp(p.type[0], "IGO") && !strcmp(p.known_group, "UNO"), "IGOUNO");
    mp_actor_split("PSEREBHMS", &p);
    CHECK(!strcmp(p.country, "PSE") && !strcmp(p.type[0], "REB") && !strcmp(p.known_group, "HMS"),
          "PSEREBHMS");
    mp_actor_split("IRQMOSSHI", &p);
    CHECK(!strcmp(p.religion[0], "MOS") && !strcmp(p.religion[1], "SHI"), "religions");
    mp_actor_split("---", &p);
    CHECK(!p.country[0] && !p.type[0][0], "---");
    mp_actor_split("---SHIREL", &p);
    CHECK(!p.country[0] && !strcmp(p.religion[0], "SHI") && !strcmp(p.type[0], "REL"),
          "---SHIREL: an agent without a country");
    mp_actor_split("---COP", &p);
    CHECK(!p.country[0] && !strcmp(p.type[0], "COP"), "---COP");
    mp_actor_split("\"NEW ACTOR\"", &p);
    CHECK(!p.country[0], "a new actor");
    mp_actor_split(NULL, &p);
    CHECK(!p.country[0], "NULL");
}

int main(void) {
    snprintf(dir, sizeof dir, "%s/magpie-store.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) {
        printf("FAIL cannot make a temporary directory: %s\n0 passed, 1 failed\n", strerror(errno));
        return 1;
    }
    test_open_and_schema();
    test_idempotent();
    test_clustering();
    test_places();
    test_event_dates();
    test_queries();
    test_stats();
    test_random();
    test_foreign();
    test_upgrade();
    test_actor_split();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (getenv("MAGPIE_KEEP"))
        printf("note: kept %s\n", dir);
    else if (system(cmd))
        printf("note: could not remove %s\n", dir);
    printf("%d passed, %d failed\n", npass, nfail);
    return nfail != 0;
}
