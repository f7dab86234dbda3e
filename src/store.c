/*
 * store.c -- the event store: documents, events and mentions in SQLite.
 *
 * A news event is reported many times: by several agencies, on several
 * days, sometimes twice in one article.  The store keeps each report as a
 * *mention* and gathers the mentions of one event under one *event* row, as
 * GDELT does (its NumMentions, NumSources, NumArticles are kept the same way):
 *
 *     docs ──< mentions >── events ──< event_countries      counts (rollup)
 *      │          │            │                             per country, day,
 *  publishers  mention_fts   key: source, target, code,      root, quad class
 *              (sentences)        place; date
 *
 * Clustering.  A mention with key K = (source, target, code, place) and date
 * d joins the stored event with key K whose date is within `window` days of
 * d -- the nearest, the older (smaller id) on a tie -- or else starts a new
 * event dated d.  A mention without a date joins only an undated event of
 * the same key started by the same document.  The place is the event's
 * location (its GeoNames id, else country and name), NULL when the coder
 * found none; NULL matches NULL (`IS`), so mentions without a place cluster
 * among themselves and never with a placed event.  The date is the event's
 * own (what the sentence says), else its story's.
 *
 * Invariants (asserts and comments cite them):
 *   1. A document is stored with all its mentions in one transaction, or not
 *      at all; a stored document id is never stored again (idempotence).
 *   2. An event's key and date never change after it is inserted, and
 *      nothing is deleted: event ids are stable, and ids are handed out in
 *      input order, so re-running an interrupted ingest gives the same ids.
 *   3. At every commit, for every event: num_mentions = its mentions,
 *      num_articles = its distinct documents, num_sources = its distinct
 *      publishers; first_mention = its smallest mention id.
 *   4. At every commit, `counts` holds, per (country, date, root, quad),
 *      the events, summed num_mentions and num_articles: country '' for all
 *      events, and a row per distinct country of the event's two actors.
 *   5. Inside a batch, the counters of events that gain mentions (3) and
 *      the rollup (4) are accumulated in memory and written by commit, before
 *      COMMIT; rollback drops them.  Readers see only committed batches.
 *
 * Files that are not magpie stores are never written: an existing file is
 * first opened read-only and checked (SQLite header, application_id,
 * schema version) before a read-write connection is made.
 *
 * The schema is built by its migrations, in order, so that the path that
 * upgrades an old store is the one every new store takes.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sqlite3.h>

#include "json.h"
#include "magpie.h"
#include "util.h"

#define APP_ID 0x6d616770 /* "magp" */

/* ---- the schema ---------------------------------------------------------- */
static const char *const MIGRATIONS[MP_STORE_VERSION] = {
    /* 1: documents, publishers, events, their countries, mentions */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;"
    "CREATE TABLE publishers(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
    "CREATE TABLE docs("
    "  id INTEGER PRIMARY KEY,"
    "  doc_id TEXT NOT NULL UNIQUE,"
    "  date INTEGER,"                  /* story date YYYYMMDD, NULL unknown */
    "  pub INTEGER NOT NULL,"          /* publishers.id */
    "  url TEXT,"
    "  len INTEGER,"                   /* bytes of text, NULL unknown */
    "  nevents INTEGER NOT NULL,"      /* its mentions */
    "  added INTEGER NOT NULL);"       /* Unix seconds */
    "CREATE TABLE events("
    "  id INTEGER PRIMARY KEY,"
    "  date INTEGER,"                  /* YYYYMMDD of the first mention */
    "  source TEXT NOT NULL, target TEXT NOT NULL, code TEXT NOT NULL,"
    "  root INTEGER, quad_class INTEGER, goldstein REAL,"
    "  source_country TEXT, target_country TEXT,"
    "  place TEXT,"                    /* clustering key: GeoNames id, else country:name */
    "  geo_precision INTEGER, geonameid INTEGER, geo_name TEXT, geo_full_name TEXT,"
    "  geo_country TEXT, geo_fips TEXT, geo_adm1 TEXT, geo_adm1_gdelt TEXT, geo_type INTEGER,"
    "  lat REAL, lon REAL,"
    "  num_mentions INTEGER NOT NULL, num_sources INTEGER NOT NULL,"
    "  num_articles INTEGER NOT NULL,"
    "  first_mention INTEGER NOT NULL,"
    "  added INTEGER NOT NULL,"        /* Unix seconds */
    "  ckey INTEGER NOT NULL);"        /* hash of source, target, code, place */
    /* by date first: new events have recent dates, so inserts touch few
     * pages however large the store; it serves date ranges too */
    "CREATE INDEX events_key ON events(date, ckey);"
    "CREATE TABLE event_countries("     /* one row per distinct country of an event */
    "  country TEXT NOT NULL, date INTEGER NOT NULL," /* date 0: unknown */
    "  event_id INTEGER NOT NULL,"
    "  PRIMARY KEY(country, date, event_id)) WITHOUT ROWID;"
    "CREATE TABLE mentions("
    "  id INTEGER PRIMARY KEY,"
    "  event_id INTEGER NOT NULL, doc INTEGER NOT NULL, pub INTEGER NOT NULL,"
    "  sent INTEGER NOT NULL, date INTEGER,"   /* the event's date in this mention */
    "  source_text TEXT, target_text TEXT, verb_text TEXT,"
    "  source_start INTEGER, source_end INTEGER, target_start INTEGER,"
    "  target_end INTEGER, verb_start INTEGER, verb_end INTEGER,"
    "  sentence TEXT NOT NULL, rule TEXT,"
    "  extras TEXT);"                  /* JSON members kept as given */
    "CREATE INDEX mentions_event ON mentions(event_id, pub);",

    /* 2: full-text search of the sentences, and the daily rollup */
    "CREATE VIRTUAL TABLE mention_fts USING fts5(sentence, content='mentions',"
    "  content_rowid='id', tokenize='unicode61 remove_diacritics 2');"
    "INSERT INTO mention_fts(mention_fts) VALUES('rebuild');"
    "CREATE TABLE counts("
    "  country TEXT NOT NULL, date INTEGER NOT NULL, root INTEGER NOT NULL,"
    "  quad_class INTEGER NOT NULL, events INTEGER NOT NULL,"
    "  mentions INTEGER NOT NULL, articles INTEGER NOT NULL,"
    "  PRIMARY KEY(country, date, root, quad_class)) WITHOUT ROWID;"
    "INSERT INTO counts SELECT '', ifnull(date, 0), ifnull(root, 0), ifnull(quad_class, 0),"
    "  count(*), sum(num_mentions), sum(num_articles) FROM events GROUP BY 2, 3, 4;"
    "INSERT INTO counts SELECT c.country, c.date, ifnull(e.root, 0), ifnull(e.quad_class, 0),"
    "  count(*), sum(e.num_mentions), sum(e.num_articles)"
    "  FROM event_countries c JOIN events e ON e.id = c.event_id GROUP BY 1, 2, 3, 4;",
};

/* ---- prepared statements of the write path ---------------------------------- */
enum {
    ST_HAS_DOC, ST_PUB_GET, ST_PUB_ADD, ST_DOC_ADD, ST_FIND, ST_EV_ADD, ST_EC_ADD,
    ST_MEN_ADD, ST_FTS_ADD, ST_SRC_SEEN, ST_EV_BUMP, ST_ROLL, ST_NEXT_MEN, ST_N
};
static const char *const STMT_SQL[ST_N] = {
    [ST_HAS_DOC] = "SELECT id FROM docs WHERE doc_id = ?1",
    [ST_PUB_GET] = "SELECT id FROM publishers WHERE name = ?1",
    [ST_PUB_ADD] = "INSERT INTO publishers(name) VALUES(?1)",
    [ST_DOC_ADD] = "INSERT INTO docs(doc_id, date, pub, url, len, nevents, added)"
                   " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [ST_FIND] = "SELECT id, root, quad_class FROM events WHERE date = ?5 AND ckey = ?6"
                " AND source = ?1 AND target = ?2 AND code = ?3 AND place IS ?4",
    [ST_EV_ADD] = "INSERT INTO events(date, source, target, code, root, quad_class, goldstein,"
                  " source_country, target_country, place, geo_precision, geonameid, geo_name,"
                  " geo_full_name, geo_country, geo_fips, geo_adm1, geo_adm1_gdelt, geo_type,"
                  " lat, lon, num_mentions, num_sources, num_articles, first_mention, added,"
                  " ckey) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                  " ?15, ?16, ?17, ?18, ?19, ?20, ?21, 1, 1, 1, ?22, ?23, ?24)",
    [ST_EC_ADD] = "INSERT INTO event_countries(country, date, event_id) VALUES(?1, ?2, ?3)",
    [ST_MEN_ADD] = "INSERT INTO mentions(id, event_id, doc, pub, sent, date, source_text,"
                   " target_text, verb_text, source_start, source_end, target_start, target_end,"
                   " verb_start, verb_end, sentence, rule, extras) VALUES(?1, ?2, ?3, ?4, ?5,"
                   " ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    [ST_FTS_ADD] = "INSERT INTO mention_fts(rowid, sentence) VALUES(?1, ?2)",
    [ST_SRC_SEEN] = "SELECT 1 FROM mentions WHERE event_id = ?1 AND pub = ?2 LIMIT 1",
    [ST_EV_BUMP] = "UPDATE events SET num_mentions = num_mentions + ?2,"
                   " num_sources = num_sources + ?3, num_articles = num_articles + ?4"
                   " WHERE id = ?1",
    [ST_ROLL] = "INSERT INTO counts VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                " ON CONFLICT DO UPDATE SET events = events + excluded.events,"
                " mentions = mentions + excluded.mentions,"
                " articles = articles + excluded.articles",
    [ST_NEXT_MEN] = "SELECT ifnull(max(id), 0) + 1 FROM mentions",
};

/* ---- in-memory deltas of a batch (invariant 5) ------------------------------- */
typedef struct {
    int64_t id;          /* 0: empty slot */
    long long dm, ds, da;
} evdelta;

typedef struct {
    char country[4];     /* "" for all events */
    int date, root, quad;
    long long de, dm, da;
    int used;
} rolldelta;

typedef struct {
    char *name;
    int64_t id;
} pubslot;

#define PUB_SLOTS 1024

/* What the current document has done to an event. */
typedef struct {
    int64_t id;
    int date, root, quad;
    size_t evi;          /* the event (of the document's) that made or met it */
    int undated_new;     /* an undated event this document started */
} touch;

struct mp_store {
    sqlite3 *db;
    int readonly, window, version;
    int in_batch, failed;
    char msg[512];
    sqlite3_stmt *st[ST_N];
    int64_t next_mention;
    long long now;       /* time of the document being added */
    struct { evdelta *p; size_t n, cap; } ev;     /* open addressing, cap power of 2 */
    struct { rolldelta *p; size_t n, cap; } roll; /* same */
    pubslot pubs[PUB_SLOTS];
    struct { touch *p; size_t n, cap; } touched;
};

/* ---- errors --------------------------------------------------------------------- */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 3, 4)))
#endif
static int fail(mp_store *s, int rc, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->msg, sizeof s->msg, fmt, ap);
    va_end(ap);
    return rc;
}

/* An SQLite result code as one of ours. */
static int map_rc(int src) {
    switch (src & 0xff) {
    case SQLITE_NOMEM: return MP_ERR_NOMEM;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return MP_ERR_SYNTAX;
    default: return MP_ERR_IO;
    }
}

/* Report the connection's last error, with what we were doing. */
static int fail_sql(mp_store *s, int src, const char *what) {
    int rc = map_rc(src);
    const char *m = s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(src);
    if (rc == MP_ERR_SYNTAX)
        return fail(s, rc, "%s: the database is corrupt (%s)", what, m);
    return fail(s, rc, "%s: %s", what, m);
}

const char *mp_store_errmsg(const mp_store *s) { return s ? s->msg : "out of memory"; }

/* ---- dates ------------------------------------------------------------------------ */
/* ISO 8601 week of a YYYYMMDD date as "YYYY-Www". */
static void iso_week(int ymd, char out[24]) {
    long z = mp__days_of(ymd);
    long wd = ((z + 3) % 7 + 7) % 7;   /* 0 = Monday; 1970-01-01 was a Thursday */
    long th = z - wd + 3;              /* the Thursday of that week names its year */
    int y = mp__ymd_of(th) / 10000;
    int week = (int)((th - mp__days_of(y * 10000 + 101)) / 7 + 1);
    snprintf(out, 24, "%04d-W%02d", y, week);
}

/* ---- actor codes ------------------------------------------------------------------ */
/* CAMEO role codes (sectors, and the international types): a code that starts
 * with one has no country.  Then the religion codes. */
static const char ROLES[] =
    "COP GOV INS JUD MIL OPP REB SEP SPY UAF AGR BUS CRM CVL DEV EDU ELI ENV HLH HRI "
    "LAB LEG MED REF MOD RAD IGO IMG INT MNC NGM NGO UIS SET JRN REL SOC ";
static const char RELIGIONS[] =
    "ADR ALE ATH BAH BUD CHR CON CPT CTH DOX DRZ HIN HSD ITR JAN JEW JHW LDS MOS MRN NRM "
    "PAG PRO SFI SHI SHN SIK SUN TAO UDX ZRO ";

static int in_list(const char *list, const char *p) {
    for (const char *r = list; *r; r += 4)
        if (r[0] == p[0] && r[1] == p[1] && r[2] == p[2]) return 1;
    return 0;
}

static int is_part(const char *p) {
    for (int i = 0; i < 3; i++)
        if (p[i] < 'A' || p[i] > 'Z') return 0;
    return 1;
}

void mp_actor_split(const char *code, mp_actor_parts *out) {
    memset(out, 0, sizeof *out);
    if (!code) return;
    size_t n = strlen(code);
    int nt = 0, nr = 0;
    for (size_t i = 0; i + 3 <= n; i += 3) {
        const char *p = code + i;
        if (i == 0 && n > 3 && !memcmp(p, "---", 3)) continue; /* "---COP": no country */
        if (!is_part(p)) return; /* "---", a new actor in quotes: nothing known */
        char *dst = NULL;
        if (in_list(ROLES, p))
            dst = nt < 3 ? out->type[nt++] : NULL;
        else if (i == 0)
            dst = out->country;
        else if (in_list(RELIGIONS, p))
            dst = nr < 2 ? out->religion[nr++] : NULL;
        else if (!out->known_group[0])
            dst = out->known_group;
        if (dst) memcpy(dst, p, 3);
    }
}

/* The country of an actor code ("" if none). */
static void actor_country(const char *code, char out[4]) {
    mp_actor_parts ap;
    mp_actor_split(code, &ap);
    memcpy(out, ap.country, 4);
}

/* ---- SQL functions for formatting and PLOVER -------------------------------------- */
static void fn_date(sqlite3_context *cx, int argc, sqlite3_value **argv, int kind) {
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
    int d = sqlite3_value_int(argv[0]);
    if (d <= 0) return;  /* unknown: NULL */
    char b[24];
    switch (kind) {
    case 0: snprintf(b, sizeof b, "%04d-%02d-%02d", d / 10000, d / 100 % 100, d % 100); break;
    case 1: iso_week(d, b); break;
    case 2: snprintf(b, sizeof b, "%04d-%02d", d / 10000, d / 100 % 100); break;
    default: snprintf(b, sizeof b, "%04d", d / 10000); break;
    }
    sqlite3_result_text(cx, b, -1, SQLITE_TRANSIENT);
}
static void fn_day(sqlite3_context *cx, int argc, sqlite3_value **argv) { fn_date(cx, argc, argv, 0); }
static void fn_week(sqlite3_context *cx, int argc, sqlite3_value **argv) { fn_date(cx, argc, argv, 1); }
static void fn_month(sqlite3_context *cx, int argc, sqlite3_value **argv) { fn_date(cx, argc, argv, 2); }
static void fn_year(sqlite3_context *cx, int argc, sqlite3_value **argv) { fn_date(cx, argc, argv, 3); }

static void fn_plover(sqlite3_context *cx, int argc, sqlite3_value **argv) {
    (void)argc;
    const char *code = (const char *)sqlite3_value_text(argv[0]);
    const char *type, *mode;
    size_t tl, ml;
    if (code && mp_plover_lookup(code, &type, &tl, &mode, &ml))
        sqlite3_result_text(cx, type, (int)tl, SQLITE_TRANSIENT);
}

static int add_functions(sqlite3 *db) {
    int f = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
    int rc = sqlite3_create_function(db, "mp_day", 1, f, NULL, fn_day, NULL, NULL);
    if (!rc) rc = sqlite3_create_function(db, "mp_week", 1, f, NULL, fn_week, NULL, NULL);
    if (!rc) rc = sqlite3_create_function(db, "mp_month", 1, f, NULL, fn_month, NULL, NULL);
    if (!rc) rc = sqlite3_create_function(db, "mp_year", 1, f, NULL, fn_year, NULL, NULL);
    if (!rc) rc = sqlite3_create_function(db, "mp_plover", 1, f, NULL, fn_plover, NULL, NULL);
    return rc;
}

/* ---- opening ---------------------------------------------------------------------- */
static int exec(mp_store *s, const char *sql, const char *what) {
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return rc ? fail_sql(s, rc, what) : MP_OK;
}

/* One integer from a query; 0 if no row. */
static int query_int(mp_store *s, const char *sql, long long *out) {
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc) return rc;
    rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    if (rc == SQLITE_ROW || rc == SQLITE_DONE) rc = SQLITE_OK;
    sqlite3_finalize(st);
    return rc;
}

/* What an existing file holds, read through a read-only connection. */
typedef struct {
    long long app_id, version, tables;
} fileinfo;

/* One statement, so one read transaction: read one by one, the three could
 * come from before and after another process's migration (tables without
 * the application id, which looks like another application's file). */
static int read_fileinfo(mp_store *s, fileinfo *fi) {
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(s->db,
                                "SELECT (SELECT application_id FROM pragma_application_id), "
                                "(SELECT user_version FROM pragma_user_version), "
                                "(SELECT count(*) FROM sqlite_master)",
                                -1, &st, NULL);
    if (rc) return rc;
    rc = sqlite3_step(st);
    fi->app_id = fi->version = fi->tables = 0;
    if (rc == SQLITE_ROW) {
        fi->app_id = sqlite3_column_int64(st, 0);
        fi->version = sqlite3_column_int64(st, 1);
        fi->tables = sqlite3_column_int64(st, 2);
    }
    if (rc == SQLITE_ROW || rc == SQLITE_DONE) rc = SQLITE_OK;
    sqlite3_finalize(st);
    return rc;
}

static int connect(mp_store *s, const char *path, int flags, int busy_ms) {
    /* a handle serves one thread at a time: no mutex on the connection */
    int rc = sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc) {
        if (!s->db) return fail(s, MP_ERR_NOMEM, "%s: out of memory", path);
        return fail(s, map_rc(rc) == MP_ERR_NOMEM ? MP_ERR_NOMEM : MP_ERR_IO,
                    "%s: cannot open: %s", path, sqlite3_errmsg(s->db));
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, busy_ms);
    if (add_functions(s->db)) return fail_sql(s, SQLITE_NOMEM, path);
    return MP_OK;
}

static void disconnect(mp_store *s) {
    for (int i = 0; i < ST_N; i++) {
        sqlite3_finalize(s->st[i]);
        s->st[i] = NULL;
    }
    sqlite3_close_v2(s->db);
    s->db = NULL;
}

/* Build or upgrade the schema (in one transaction) to MP_STORE_VERSION. */
static int migrate(mp_store *s, const char *path, int window) {
    int rc = exec(s, "BEGIN IMMEDIATE", path);
    if (rc) return rc;
    fileinfo fi;
    int src = read_fileinfo(s, &fi);
    if (src) {
        rc = fail_sql(s, src, path);
        goto out;
    }
    /* another process may have made or upgraded it meanwhile: check again */
    if (fi.tables && fi.app_id != APP_ID) {
        rc = fail(s, MP_ERR_SYNTAX, "%s: not a magpie store (an SQLite database of another "
                  "application); left untouched", path);
        goto out;
    }
    if (fi.tables && fi.version > MP_STORE_VERSION) {
        rc = fail(s, MP_ERR_STATE, "%s: store schema version %lld is newer than this magpie's (%d)",
                  path, fi.version, MP_STORE_VERSION);
        goto out;
    }
    for (long long v = fi.tables ? fi.version : 0; v < MP_STORE_VERSION; v++)
        if ((rc = exec(s, MIGRATIONS[v], path))) goto out;
    if (!fi.tables) {
        char sql[160];
        snprintf(sql, sizeof sql,
                 "INSERT INTO meta VALUES('window', %d), ('created_by', 'magpie %s')", window,
                 MP_VERSION);
        if ((rc = exec(s, sql, path))) goto out;
    }
    char sql[96];
    snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d", APP_ID,
             MP_STORE_VERSION);
    if ((rc = exec(s, sql, path))) goto out;
    return exec(s, "COMMIT", path);
out:
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static int has_sqlite_header(const char *path, int *empty, mp_store *s) {
    FILE *f = fopen(path, "rb");
    if (!f) return fail(s, MP_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    char h[16];
    size_t n = fread(h, 1, sizeof h, f);
    int err = ferror(f);
    fclose(f);
    if (err) return fail(s, MP_ERR_IO, "%s: cannot read", path);
    *empty = n == 0;
    if (n && (n < 16 || memcmp(h, "SQLite format 3", 16)))
        return fail(s, MP_ERR_SYNTAX,
                    "%s: not a magpie store (not an SQLite database); left untouched", path);
    return MP_OK;
}

/* A URI that opens path as an immutable file: SQLite then reads the file
 * alone and makes no -wal or -shm file beside it. */
static char *immutable_uri(const char *path) {
    size_t n = strlen(path);
    char *u = malloc(3 * n + 32);
    if (!u) return NULL;
    char *p = u;
    p += sprintf(p, "file:");
    for (const unsigned char *c = (const unsigned char *)path; *c; c++)
        if (*c == '%' || *c == '?' || *c == '#' || *c < 0x20)
            p += sprintf(p, "%%%02X", *c);
        else
            *p++ = (char)*c;
    strcpy(p, "?immutable=1");
    return u;
}

/* Refuse a file that is not a magpie store, looking at the file alone.
 * When a WAL file lies beside it, the file alone may be out of date (or in
 * the middle of a checkpoint), so only the full look of open_store counts. */
static int first_look(mp_store *s, const char *path, int busy) {
    char *uri = immutable_uri(path), wal[4096];
    if (!uri) return fail(s, MP_ERR_NOMEM, "out of memory");
    int rc = connect(s, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, busy);
    free(uri);
    if (rc) return rc;
    fileinfo fi;
    int src = read_fileinfo(s, &fi);
    disconnect(s);
    struct stat sb;
    snprintf(wal, sizeof wal, "%s-wal", path);
    if (stat(wal, &sb) == 0) return MP_OK;
    if (src) return fail_sql(s, src, path);
    if (fi.tables && fi.app_id != APP_ID)
        return fail(s, MP_ERR_SYNTAX, "%s: not a magpie store (an SQLite database of another "
                    "application); left untouched", path);
    return MP_OK;
}

static int open_store(mp_store *s, const char *path, const mp_store_opts *o) {
    int busy = o->busy_ms > 0 ? o->busy_ms : 10000;
    if (o->has_window && (o->window < 0 || o->window > 365))
        return fail(s, MP_ERR_OPTION, "window %d: want 0 to 365 days", o->window);
    struct stat sb;
    int exists = stat(path, &sb) == 0, empty = 1, rc;
    if (!exists && errno != ENOENT)
        return fail(s, MP_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    if (!exists && o->readonly) return fail(s, MP_ERR_IO, "%s: no such store", path);
    if (exists && S_ISDIR(sb.st_mode)) return fail(s, MP_ERR_IO, "%s: is a directory", path);
    fileinfo fi = {0, 0, 0};
    if (exists) {
        if ((rc = has_sqlite_header(path, &empty, s))) return rc;
        if (!empty) {
            /* look before writing anything: at the file alone, then with its WAL */
            if ((rc = first_look(s, path, busy))) return rc;
            if ((rc = connect(s, path, SQLITE_OPEN_READONLY, busy))) return rc;
            int src = read_fileinfo(s, &fi);
            disconnect(s);
            if (src) return fail_sql(s, src, path);
            if (fi.tables && fi.app_id != APP_ID)
                return fail(s, MP_ERR_SYNTAX,
                            "%s: not a magpie store (an SQLite database of another "
                            "application); left untouched", path);
            if (fi.app_id == APP_ID && fi.version > MP_STORE_VERSION)
                return fail(s, MP_ERR_STATE,
                            "%s: store schema version %lld is newer than this magpie's (%d)",
                            path, fi.version, MP_STORE_VERSION);
            if (fi.app_id == APP_ID && fi.version < 1)
                return fail(s, MP_ERR_SYNTAX, "%s: damaged magpie store (no schema version)",
                            path);
        }
    }
    int fresh = !fi.tables;
    if (fresh && o->readonly) return fail(s, MP_ERR_SYNTAX, "%s: empty, not a magpie store", path);
    if (fresh || fi.version < MP_STORE_VERSION) {
        if ((rc = connect(s, path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, busy))) return rc;
        if ((rc = exec(s, "PRAGMA journal_mode = WAL", path))) return rc;
        if ((rc = migrate(s, path, o->has_window ? o->window : 1))) return rc;
        if (o->readonly) disconnect(s);
    }
    if (!s->db &&
        (rc = connect(s, path, o->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE, busy)))
        return rc;
    /* the window the store was made with (another process may have made it) */
    long long w = -1;
    int src = query_int(s, "SELECT value FROM meta WHERE key = 'window'", &w);
    if (src) return fail_sql(s, src, path);
    if (w < 0 || w > 365)
        return fail(s, MP_ERR_SYNTAX, "%s: damaged magpie store (no window in meta)", path);
    s->window = (int)w;
    if (o->has_window && o->window != s->window)
        return fail(s, MP_ERR_OPTION,
                    "%s: the store clusters mentions %d day(s) apart; a store keeps the window "
                    "it was made with (asked for %d)", path, s->window, o->window);
    /* durable against a crash of the process (WAL); a power cut may lose the
     * last batches but never corrupts */
    if (!o->readonly && (rc = exec(s, "PRAGMA synchronous = NORMAL", path))) return rc;
    if ((rc = exec(s, "PRAGMA cache_size = -131072; PRAGMA temp_store = MEMORY", path)))
        return rc;
    s->version = MP_STORE_VERSION;
    return MP_OK;
}

int mp_store_open(const char *path, const mp_store_opts *o, mp_store **out) {
    static const mp_store_opts dflt = {0, 0, 0, 0};
    mp_store *s = calloc(1, sizeof *s);
    *out = s;
    if (!s) return MP_ERR_NOMEM;
    if (!o) o = &dflt;
    s->readonly = o->readonly;
    if (!path || !*path) return fail(s, MP_ERR_OPTION, "no store file given");
    int rc = open_store(s, path, o);
    if (rc) {
        disconnect(s);
        s->failed = 1;
    }
    return rc;
}

static void deltas_clear(mp_store *s) {
    if (s->ev.n) memset(s->ev.p, 0, s->ev.cap * sizeof *s->ev.p);
    if (s->roll.n) memset(s->roll.p, 0, s->roll.cap * sizeof *s->roll.p);
    s->ev.n = s->roll.n = 0;
}

void mp_store_close(mp_store *s) {
    if (!s) return;
    if (s->in_batch) mp_store_rollback(s);
    disconnect(s);
    free(s->ev.p);
    free(s->roll.p);
    free(s->touched.p);
    for (int i = 0; i < PUB_SLOTS; i++) free(s->pubs[i].name);
    free(s);
}

/* ---- statements ----------------------------------------------------------------------- */
static sqlite3_stmt *stmt(mp_store *s, int i) {
    if (!s->st[i] && sqlite3_prepare_v3(s->db, STMT_SQL[i], -1, SQLITE_PREPARE_PERSISTENT,
                                        &s->st[i], NULL))
        return NULL;
    sqlite3_reset(s->st[i]);
    sqlite3_clear_bindings(s->st[i]); /* a parameter not bound again is NULL */
    return s->st[i];
}

static void bind_text(sqlite3_stmt *st, int i, const char *v) {
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static void bind_real(sqlite3_stmt *st, int i, double v) {
    if (isnan(v))
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_double(st, i, v);
}

static void bind_date(sqlite3_stmt *st, int i, int d) {
    if (d > 0)
        sqlite3_bind_int(st, i, d);
    else
        sqlite3_bind_null(st, i);
}

/* Step a statement that returns no row (or whose row is not wanted). */
static int run(mp_store *s, sqlite3_stmt *st, const char *what) {
    if (!st) return fail_sql(s, sqlite3_errcode(s->db), what);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return fail_sql(s, rc, what);
    return MP_OK;
}

/* ---- batches -------------------------------------------------------------------------- */
static void pubs_forget(mp_store *s);

static int writable(mp_store *s) {
    if (s->failed) return fail(s, MP_ERR_STATE, "the store handle failed earlier: %s", s->msg);
    if (s->readonly) return fail(s, MP_ERR_STATE, "the store was opened read-only");
    return MP_OK;
}

int mp_store_begin(mp_store *s) {
    int rc = writable(s);
    if (rc) return rc;
    if (s->in_batch) return fail(s, MP_ERR_STATE, "a batch is already open");
    if ((rc = exec(s, "BEGIN IMMEDIATE", "begin"))) return rc;
    long long next;
    int src = query_int(s, STMT_SQL[ST_NEXT_MEN], &next);
    if (src) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return fail_sql(s, src, "begin");
    }
    s->next_mention = next;
    s->in_batch = 1;
    deltas_clear(s);
    return MP_OK;
}

/* Write the deferred counters and rollup (invariant 5). */
static int flush(mp_store *s) {
    for (size_t i = 0; i < s->ev.cap && s->ev.n; i++) {
        evdelta *d = &s->ev.p[i];
        if (!d->id) continue;
        sqlite3_stmt *st = stmt(s, ST_EV_BUMP);
        if (st) {
            sqlite3_bind_int64(st, 1, d->id);
            sqlite3_bind_int64(st, 2, d->dm);
            sqlite3_bind_int64(st, 3, d->ds);
            sqlite3_bind_int64(st, 4, d->da);
        }
        int rc = run(s, st, "update event counts");
        if (rc) return rc;
    }
    for (size_t i = 0; i < s->roll.cap && s->roll.n; i++) {
        rolldelta *d = &s->roll.p[i];
        if (!d->used) continue;
        sqlite3_stmt *st = stmt(s, ST_ROLL);
        if (st) {
            sqlite3_bind_text(st, 1, d->country, -1, SQLITE_STATIC);
            sqlite3_bind_int(st, 2, d->date);
            sqlite3_bind_int(st, 3, d->root);
            sqlite3_bind_int(st, 4, d->quad);
            sqlite3_bind_int64(st, 5, d->de);
            sqlite3_bind_int64(st, 6, d->dm);
            sqlite3_bind_int64(st, 7, d->da);
        }
        int rc = run(s, st, "update daily counts");
        if (rc) return rc;
    }
    deltas_clear(s);
    return MP_OK;
}

static int broken(mp_store *s, int rc) {
    /* an error inside a batch: nothing of it may be committed (invariant 1) */
    mp_store_rollback(s);
    s->failed = 1;
    return rc;
}

int mp_store_commit(mp_store *s) {
    int rc = writable(s);
    if (rc) return rc;
    if (!s->in_batch) return fail(s, MP_ERR_STATE, "no batch is open");
    if ((rc = flush(s))) return broken(s, rc);
    int src = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    if (src) return broken(s, fail_sql(s, src, "commit"));
    s->in_batch = 0;
    return MP_OK;
}

void mp_store_rollback(mp_store *s) {
    if (!s || !s->in_batch) return;
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->in_batch = 0;
    deltas_clear(s);
    pubs_forget(s); /* it may hold publishers of the batch */
}

/* ---- the delta maps --------------------------------------------------------------------- */
/* Replace *p by a zeroed table twice as large; the caller rehashes the old one. */
static int grow_table(void **p, size_t *cap, size_t elsize) {
    size_t nc = *cap ? *cap * 2 : 256;
    void *np = calloc(nc, elsize);
    if (!np) return -1;
    *p = np;
    *cap = nc;
    return 0;
}

static evdelta *ev_slot(mp_store *s, int64_t id) {
    if ((s->ev.n + 1) * 2 > s->ev.cap) {
        evdelta *old = s->ev.p;
        size_t oc = s->ev.cap;
        if (grow_table((void **)&s->ev.p, &s->ev.cap, sizeof *s->ev.p)) return NULL;
        s->ev.n = 0;
        for (size_t i = 0; i < oc; i++)
            if (old[i].id) {
                evdelta *d = ev_slot(s, old[i].id);
                *d = old[i];
            }
        free(old);
    }
    size_t mask = s->ev.cap - 1, i = (size_t)mp__hash64((uint64_t)id) & mask;
    while (s->ev.p[i].id && s->ev.p[i].id != id) i = (i + 1) & mask;
    if (!s->ev.p[i].id) {
        s->ev.p[i].id = id;
        s->ev.n++;
    }
    return &s->ev.p[i];
}

static uint64_t roll_hash(const char *c, int date, int root, int quad) {
    uint64_t k = 0;
    for (int i = 0; i < 3 && c[i]; i++) k |= (uint64_t)(unsigned char)c[i] << (8 * i);
    k = k << 40 ^ (uint64_t)(uint32_t)date << 8 ^ (uint64_t)(root * 5 + quad);
    return mp__hash64(k);
}

static rolldelta *roll_slot(mp_store *s, const char *c, int date, int root, int quad) {
    if ((s->roll.n + 1) * 2 > s->roll.cap) {
        rolldelta *old = s->roll.p;
        size_t oc = s->roll.cap;
        if (grow_table((void **)&s->roll.p, &s->roll.cap, sizeof *s->roll.p)) return NULL;
        s->roll.n = 0;
        for (size_t i = 0; i < oc; i++)
            if (old[i].used) {
                rolldelta *d = roll_slot(s, old[i].country, old[i].date, old[i].root, old[i].quad);
                *d = old[i];
            }
        free(old);
    }
    size_t mask = s->roll.cap - 1, i = (size_t)roll_hash(c, date, root, quad) & mask;
    for (;; i = (i + 1) & mask) {
        rolldelta *d = &s->roll.p[i];
        if (!d->used) {
            memset(d, 0, sizeof *d);
            memcpy(d->country, c, strlen(c) + 1);
            d->date = date;
            d->root = root;
            d->quad = quad;
            d->used = 1;
            s->roll.n++;
            return d;
        }
        if (d->date == date && d->root == root && d->quad == quad && !strcmp(d->country, c))
            return d;
    }
}

/* Count an event (de), its mentions (dm), its articles (da) under its day,
 * root and quad class: for all events, and for each of its countries. */
static int roll(mp_store *s, char cc[2][4], int date, int root, int quad, int de, int dm, int da) {
    const char *keys[3] = {"", cc[0], cc[1]};
    int nk = 1;
    if (cc[0][0]) nk = 2;
    if (cc[1][0] && strcmp(cc[0], cc[1])) keys[nk++] = cc[1];
    for (int k = 0; k < nk; k++) {
        rolldelta *d = roll_slot(s, keys[k], date > 0 ? date : 0, root, quad);
        if (!d) return fail(s, MP_ERR_NOMEM, "out of memory");
        d->de += de;
        d->dm += dm;
        d->da += da;
    }
    return MP_OK;
}

/* ---- documents ----------------------------------------------------------------------------- */
int mp_store_has_doc(mp_store *s, const char *id, int *has) {
    *has = 0;
    if (s->failed) return fail(s, MP_ERR_STATE, "the store handle failed earlier");
    sqlite3_stmt *st = stmt(s, ST_HAS_DOC);
    if (!st) return fail_sql(s, sqlite3_errcode(s->db), "look up a document");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    *has = rc == SQLITE_ROW;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return fail_sql(s, rc, "look up a document");
    return MP_OK;
}

/* The publisher of a document with no publisher field: a URL's host, else
 * the id up to its first '-', '_', ':', '/' or '#' (the whole id if none). */
static size_t id_prefix(const char *id, const char **start) {
    const char *p = strstr(id, "://");
    if (p) {
        p += 3;
        *start = p;
        return strcspn(p, "/?#:");
    }
    *start = id;
    size_t n = strcspn(id, "-_:/#");
    return n ? n : strlen(id);
}

static int publisher_id(mp_store *s, const char *pub, size_t len, int64_t *out) {
    uint32_t h = mp__hash(pub, len) & (PUB_SLOTS - 1);
    pubslot *ps = &s->pubs[h];
    if (ps->name && strlen(ps->name) == len && !memcmp(ps->name, pub, len)) {
        *out = ps->id;
        return MP_OK;
    }
    sqlite3_stmt *st = stmt(s, ST_PUB_GET);
    if (!st) return fail_sql(s, sqlite3_errcode(s->db), "look up a publisher");
    sqlite3_bind_text(st, 1, pub, (int)len, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    } else {
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) return fail_sql(s, rc, "look up a publisher");
        st = stmt(s, ST_PUB_ADD);
        if (st) sqlite3_bind_text(st, 1, pub, (int)len, SQLITE_STATIC);
        if ((rc = run(s, st, "add a publisher"))) return rc;
        *out = sqlite3_last_insert_rowid(s->db);
    }
    /* a cache of committed rows and of the open batch's: rollback empties it */
    char *copy = malloc(len + 1);
    if (copy) {
        memcpy(copy, pub, len);
        copy[len] = 0;
        free(ps->name);
        ps->name = copy;
        ps->id = *out;
    }
    return MP_OK;
}

static void pubs_forget(mp_store *s) {
    for (int i = 0; i < PUB_SLOTS; i++) {
        free(s->pubs[i].name);
        s->pubs[i].name = NULL;
    }
}

/* The place part of the clustering key (invariant 2's key): the GeoNames
 * id, else country and name; NULL when the event has no place.  Written
 * into buf. */
static const char *place_key(const mp_place *p, char *buf, size_t cap) {
    if (!p || p->precision == MP_PLACE_NONE) return NULL;
    if (p->geonameid)
        snprintf(buf, cap, "%lu", p->geonameid);
    else
        snprintf(buf, cap, "%s:%s", p->country, p->name ? p->name : "");
    return buf;
}

static int same_str(const char *a, const char *b) {
    return a == b || (a && b && !strcmp(a, b));
}

/* The clustering key (source, target, code, place) hashed to 63 bits
 * (FNV-1a), for a small integer index; a lookup checks the columns too, so
 * two keys with one hash never join. */
static int64_t cluster_key(const mp_event *e, const char *place) {
    uint64_t h = 1469598103934665603ull;
    const char *parts[4] = {e->source, e->target, e->code, place ? place : ""};
    for (int k = 0; k < 4; k++) {
        for (const unsigned char *p = (const unsigned char *)parts[k]; *p; p++)
            h = (h ^ *p) * 1099511628211ull;
        h = (h ^ 0x100) * 1099511628211ull; /* a separator no byte equals */
    }
    if (place) h ^= 1; /* no place and an empty place differ */
    return (int64_t)(h >> 1);
}

/* Look for the event of e's key dated `date`; its id (or 0) in *id. */
static int find_on(mp_store *s, const mp_event *e, const char *place, int64_t ckey, int date,
                   touch *t) {
    sqlite3_stmt *st = stmt(s, ST_FIND);
    if (!st) return fail_sql(s, sqlite3_errcode(s->db), "look up an event");
    sqlite3_bind_text(st, 1, e->source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, e->target, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, e->code, -1, SQLITE_STATIC);
    bind_text(st, 4, place);
    sqlite3_bind_int(st, 5, date);
    sqlite3_bind_int64(st, 6, ckey);
    int rc;
    t->id = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        /* one at most: two events of a key are more than the window apart */
        t->id = sqlite3_column_int64(st, 0);
        t->date = date;
        t->root = sqlite3_column_int(st, 1);
        t->quad = sqlite3_column_int(st, 2);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return fail_sql(s, rc, "look up an event");
    return MP_OK;
}

/* Find the event a dated mention joins: the nearest day first, then a day
 * further on either side; on a tie the smaller id.  *t->id = 0 if none.
 * (2 * window + 1 index lookups at most.) */
static int find_event(mp_store *s, const mp_event *e, const char *place, touch *t) {
    int64_t ckey = cluster_key(e, place);
    long day = mp__days_of(e->date);
    t->id = 0;
    for (long k = 0; k <= s->window; k++) {
        touch a = {0, 0, 0, 0, 0, 0}, b = a;
        int rc = find_on(s, e, place, ckey, mp__ymd_of(day - k), &a);
        if (!rc && k) rc = find_on(s, e, place, ckey, mp__ymd_of(day + k), &b);
        if (rc) return rc;
        const touch *w = a.id && (!b.id || a.id < b.id) ? &a : b.id ? &b : NULL;
        if (w) {
            t->id = w->id;
            t->date = w->date;
            t->root = w->root;
            t->quad = w->quad;
            return MP_OK;
        }
    }
    return MP_OK;
}

static int new_event(mp_store *s, const mp_event *e, const char *place, char cc[2][4],
                     int64_t mention, int64_t *id) {
    const mp_place *p = place ? &e->location : NULL;
    sqlite3_stmt *st = stmt(s, ST_EV_ADD);
    if (st) {
        bind_date(st, 1, e->date);
        sqlite3_bind_text(st, 2, e->source, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, e->target, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, e->code, -1, SQLITE_STATIC);
        if (e->root) sqlite3_bind_int(st, 5, e->root); else sqlite3_bind_null(st, 5);
        if (e->quad_class) sqlite3_bind_int(st, 6, e->quad_class); else sqlite3_bind_null(st, 6);
        bind_real(st, 7, e->goldstein);
        bind_text(st, 8, cc[0][0] ? cc[0] : NULL);
        bind_text(st, 9, cc[1][0] ? cc[1] : NULL);
        bind_text(st, 10, place);
        if (p) {
            sqlite3_bind_int(st, 11, p->precision);
            if (p->geonameid) sqlite3_bind_int64(st, 12, (sqlite3_int64)p->geonameid);
            bind_text(st, 13, p->name);
            bind_text(st, 14, p->full_name && *p->full_name ? p->full_name : NULL);
            bind_text(st, 15, p->country[0] ? p->country : NULL);
            bind_text(st, 16, p->fips[0] ? p->fips : NULL);
            bind_text(st, 17, p->admin1 && *p->admin1 ? p->admin1 : NULL);
            bind_text(st, 18, p->adm1_gdelt && *p->adm1_gdelt ? p->adm1_gdelt : NULL);
            if (p->gdelt_type) sqlite3_bind_int(st, 19, p->gdelt_type);
            bind_real(st, 20, p->lat);
            bind_real(st, 21, p->lon);
        }
        sqlite3_bind_int64(st, 22, mention);
        sqlite3_bind_int64(st, 23, s->now);
        sqlite3_bind_int64(st, 24, cluster_key(e, place));
    }
    int rc = run(s, st, "add an event");
    if (rc) return rc;
    *id = sqlite3_last_insert_rowid(s->db);
    for (int k = 0; k < 2; k++) {
        if (!cc[k][0] || (k == 1 && !strcmp(cc[0], cc[1]))) continue;
        st = stmt(s, ST_EC_ADD);
        if (st) {
            sqlite3_bind_text(st, 1, cc[k], -1, SQLITE_STATIC);
            sqlite3_bind_int(st, 2, e->date > 0 ? e->date : 0);
            sqlite3_bind_int64(st, 3, *id);
        }
        if ((rc = run(s, st, "add an event's country"))) return rc;
    }
    return MP_OK;
}

static void bind_span(sqlite3_stmt *st, int i, const char *text, mp_span sp) {
    if (text) {
        sqlite3_bind_int64(st, i, sp.start);
        sqlite3_bind_int64(st, i + 1, sp.end);
    } else {
        sqlite3_bind_null(st, i);
        sqlite3_bind_null(st, i + 1);
    }
}

static int add_mention(mp_store *s, const mp_event *e, const char *text, const char *extras,
                       int64_t event_id, int64_t doc, int64_t pub) {
    int64_t id = s->next_mention++;
    const char *sent = text ? text + e->sentence.start : "";
    int slen = text ? (int)(e->sentence.end - e->sentence.start) : 0;
    sqlite3_stmt *st = stmt(s, ST_MEN_ADD);
    if (st) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, event_id);
        sqlite3_bind_int64(st, 3, doc);
        sqlite3_bind_int64(st, 4, pub);
        sqlite3_bind_int(st, 5, e->sent);
        bind_date(st, 6, e->date);
        bind_text(st, 7, e->source_text);
        bind_text(st, 8, e->target_text);
        bind_text(st, 9, e->verb_text);
        bind_span(st, 10, e->source_text, e->source_span);
        bind_span(st, 12, e->target_text, e->target_span);
        bind_span(st, 14, "", e->verb_span);
        sqlite3_bind_text(st, 16, sent, slen, SQLITE_STATIC);
        bind_text(st, 17, e->rule);
        bind_text(st, 18, extras && *extras ? extras : NULL);
    }
    int rc = run(s, st, "add a mention");
    if (rc) return rc;
    st = stmt(s, ST_FTS_ADD);
    if (st) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, sent, slen, SQLITE_STATIC);
    }
    return run(s, st, "index a sentence");
}

/* One mention of document doc (its events' touch list is s->touched). */
static int add_one(mp_store *s, const mp_event *e, const char *text, const char *extras,
                   size_t evi, const mp_event *all, int64_t doc, int64_t pub) {
    char pbuf[160], obuf[160];
    const char *place = place_key(&e->location, pbuf, sizeof pbuf);
    char cc[2][4];
    actor_country(e->source, cc[0]);
    actor_country(e->target, cc[1]);
    touch t = {0, 0, 0, 0, evi, 0};
    int rc;
    if (e->date > 0) {
        if ((rc = find_event(s, e, place, &t))) return rc;
    } else {
        /* undated: only an undated event this document started */
        for (size_t i = 0; i < s->touched.n; i++) {
            touch *o = &s->touched.p[i];
            const mp_event *oe = &all[o->evi];
            if (o->undated_new && !strcmp(oe->source, e->source) &&
                !strcmp(oe->target, e->target) && !strcmp(oe->code, e->code) &&
                same_str(place_key(&oe->location, obuf, sizeof obuf), place)) {
                t = *o;
                t.undated_new = 0;
                break;
            }
        }
    }
    int64_t mention = s->next_mention;
    if (!t.id) {
        /* a new event: counted as one event, one mention, one article, one source */
        if ((rc = new_event(s, e, place, cc, mention, &t.id))) return rc;
        t.date = e->date > 0 ? e->date : 0;
        t.root = e->root;
        t.quad = e->quad_class;
        t.undated_new = e->date <= 0;
        if ((rc = roll(s, cc, t.date, t.root, t.quad, 1, 1, 1))) return rc;
    } else {
        int in_doc = 0;
        for (size_t i = 0; i < s->touched.n && !in_doc; i++) in_doc = s->touched.p[i].id == t.id;
        int da = !in_doc, ds = 0;
        if (!in_doc) {
            /* a new source unless this publisher mentioned it before */
            sqlite3_stmt *st = stmt(s, ST_SRC_SEEN);
            if (!st) return fail_sql(s, sqlite3_errcode(s->db), "count sources");
            sqlite3_bind_int64(st, 1, t.id);
            sqlite3_bind_int64(st, 2, pub);
            int src = sqlite3_step(st);
            sqlite3_reset(st);
            if (src != SQLITE_ROW && src != SQLITE_DONE) return fail_sql(s, src, "count sources");
            ds = src == SQLITE_DONE;
        }
        evdelta *d = ev_slot(s, t.id);
        if (!d) return fail(s, MP_ERR_NOMEM, "out of memory");
        d->dm += 1;
        d->ds += ds;
        d->da += da;
        if ((rc = roll(s, cc, t.date, t.root, t.quad, 0, 1, da))) return rc;
    }
    if (VEC_PUSH(s->touched, t)) return fail(s, MP_ERR_NOMEM, "out of memory");
    return add_mention(s, e, text, extras, t.id, doc, pub);
}

static int add_doc(mp_store *s, const mp_store_doc *d, const mp_event *ev, size_t n,
                   const char *text, const char *const *extras, int *added) {
    int has, rc;
    if ((rc = mp_store_has_doc(s, d->id, &has))) return rc;
    if (has) return MP_OK; /* invariant 1: stored once */
    const char *pub = d->publisher;
    size_t plen;
    if (pub && *pub)
        plen = strlen(pub);
    else
        plen = id_prefix(d->id, &pub);
    int64_t pubid = 0, docid;
    s->now = (long long)time(NULL);
    if ((rc = publisher_id(s, pub, plen, &pubid))) return rc;
    sqlite3_stmt *st = stmt(s, ST_DOC_ADD);
    if (st) {
        sqlite3_bind_text(st, 1, d->id, -1, SQLITE_STATIC);
        bind_date(st, 2, d->date);
        sqlite3_bind_int64(st, 3, pubid);
        bind_text(st, 4, d->url);
        if (d->len >= 0) sqlite3_bind_int64(st, 5, d->len); else sqlite3_bind_null(st, 5);
        sqlite3_bind_int64(st, 6, (sqlite3_int64)n);
        sqlite3_bind_int64(st, 7, s->now);
    }
    if ((rc = run(s, st, "add a document"))) return rc;
    docid = sqlite3_last_insert_rowid(s->db);
    s->touched.n = 0;
    for (size_t i = 0; i < n; i++) {
        mp_event ec = ev[i];
        if (ec.date <= 0) ec.date = d->date; /* the event's own date, else its story's */
        if ((rc = add_one(s, &ec, text, extras ? extras[i] : NULL, i, ev, docid, pubid)))
            return rc;
    }
    *added = 1;
    return MP_OK;
}

int mp_store_add(mp_store *s, const mp_store_doc *d, const mp_event *ev, size_t n,
                 const char *text, const char *const *extras, int *added) {
    int dummy;
    if (!added) added = &dummy;
    *added = 0;
    int rc = writable(s);
    if (rc) return rc;
    if (!d || !d->id || !*d->id) return fail(s, MP_ERR_INPUT, "a document without an id");
    if (d->date && !mp__ymd_valid(d->date))
        return fail(s, MP_ERR_INPUT, "document %s: bad date %d", d->id, d->date);
    if (n && !text) return fail(s, MP_ERR_INPUT, "document %s: events without a text", d->id);
    for (size_t i = 0; i < n; i++) {
        if (!ev[i].source || !ev[i].target || !ev[i].code)
            return fail(s, MP_ERR_INPUT, "document %s: event %zu has no source, target or code",
                        d->id, i);
        if (ev[i].date && !mp__ymd_valid(ev[i].date))
            return fail(s, MP_ERR_INPUT, "document %s: event %zu has a bad date %d", d->id, i,
                        ev[i].date);
    }
    int own = !s->in_batch;
    if (own && (rc = mp_store_begin(s))) return rc;
    rc = add_doc(s, d, ev, n, text, extras, added);
    if (rc) return broken(s, rc);
    if (own) return mp_store_commit(s);
    return MP_OK;
}

/* ---- queries: a filter as SQL --------------------------------------------------------------- */
typedef struct {
    int type; /* 0 int, 1 real, 2 text */
    long long i;
    double d;
    const char *s;
} bindval;

typedef struct {
    jbuf sql;
    bindval b[48];
    int nb;
    char *own[16]; /* strings made for bounds */
    int nown;
} qbuild;

static void q_int(qbuild *q, long long v) {
    if (q->nb < 48) q->b[q->nb++] = (bindval){0, v, 0, NULL};
}
static void q_real(qbuild *q, double v) {
    if (q->nb < 48) q->b[q->nb++] = (bindval){1, 0, v, NULL};
}
static void q_text(qbuild *q, const char *v) {
    if (q->nb < 48) q->b[q->nb++] = (bindval){2, 0, 0, v};
}
#define Q(q, lit) jbuf_put(&(q)->sql, lit, sizeof lit - 1)

/* col starts with prefix: a range, so that an index on col serves it. */
static void q_prefix(qbuild *q, const char *col, const char *prefix) {
    size_t n = strlen(prefix);
    char *hi = n && q->nown < 16 ? malloc(n + 1) : NULL;
    if (hi && (unsigned char)prefix[n - 1] < 0xff) {
        memcpy(hi, prefix, n + 1);
        hi[n - 1]++;
        q->own[q->nown++] = hi;
        jbuf_printf(&q->sql, "(%s >= ? AND %s < ?)", col, col);
        q_text(q, prefix);
        q_text(q, hi);
    } else {
        free(hi);
        jbuf_printf(&q->sql, "substr(%s, 1, %zu) = ?", col, n);
        q_text(q, prefix);
    }
}

static void q_free(qbuild *q) {
    jbuf_free(&q->sql);
    for (int i = 0; i < q->nown; i++) free(q->own[i]);
}

static int q_bind(sqlite3_stmt *st, const qbuild *q) {
    for (int i = 0; i < q->nb; i++) {
        const bindval *b = &q->b[i];
        int rc = b->type == 0   ? sqlite3_bind_int64(st, i + 1, b->i)
                 : b->type == 1 ? sqlite3_bind_double(st, i + 1, b->d)
                                : sqlite3_bind_text(st, i + 1, b->s, -1, SQLITE_STATIC);
        if (rc) return rc;
    }
    return SQLITE_OK;
}

static int check_filter(mp_store *s, const mp_store_filter *f) {
    if (f->from && !mp__ymd_valid(f->from)) return fail(s, MP_ERR_OPTION, "bad from date %d", f->from);
    if (f->to && !mp__ymd_valid(f->to)) return fail(s, MP_ERR_OPTION, "bad to date %d", f->to);
    if (f->root < 0 || f->root > 20) return fail(s, MP_ERR_OPTION, "root %d: want 1 to 20", f->root);
    if (f->quad_class < 0 || f->quad_class > 4)
        return fail(s, MP_ERR_OPTION, "quad class %d: want 1 to 4", f->quad_class);
    if (f->limit < 0 || f->offset < 0) return fail(s, MP_ERR_OPTION, "negative limit or offset");
    if (f->has_bbox && (isnan(f->west) || isnan(f->east) || isnan(f->south) || isnan(f->north) ||
                        f->south > f->north))
        return fail(s, MP_ERR_OPTION, "bad bounding box");
    return MP_OK;
}

/* The conditions of f on events e, after "WHERE 1".  With by_c, the country
 * (and the date range) is matched on event_countries c instead. */
static void q_where(qbuild *q, const mp_store_filter *f, int by_c) {
    if (f->from || f->to) {
        if (by_c)
            Q(q, " AND c.date BETWEEN ? AND ?");
        else
            Q(q, " AND e.date BETWEEN ? AND ?");
        q_int(q, f->from ? f->from : 1);
        q_int(q, f->to ? f->to : 99991231);
    }
    if (f->country && *f->country) {
        if (by_c)
            Q(q, " AND c.country = ?");
        else
            Q(q, " AND e.id IN (SELECT event_id FROM event_countries WHERE country = ?)");
        q_text(q, f->country);
    }
    if (f->actor && *f->actor) {
        Q(q, " AND (");
        q_prefix(q, "e.source", f->actor);
        Q(q, " OR ");
        q_prefix(q, "e.target", f->actor);
        Q(q, ")");
    }
    if (f->source && *f->source) {
        Q(q, " AND ");
        q_prefix(q, "e.source", f->source);
    }
    if (f->target && *f->target) {
        Q(q, " AND ");
        q_prefix(q, "e.target", f->target);
    }
    if (f->code && *f->code) {
        Q(q, " AND ");
        q_prefix(q, "e.code", f->code);
    }
    if (f->root) {
        Q(q, " AND e.root = ?");
        q_int(q, f->root);
    }
    if (f->quad_class) {
        Q(q, " AND e.quad_class = ?");
        q_int(q, f->quad_class);
    }
    if (f->plover && *f->plover) {
        Q(q, " AND mp_plover(e.code) = ?");
        q_text(q, f->plover);
    }
    if (f->words && *f->words) {
        Q(q, " AND e.id IN (SELECT w.event_id FROM mentions w WHERE w.id IN"
             " (SELECT rowid FROM mention_fts WHERE mention_fts MATCH ?))");
        q_text(q, f->words);
    }
    if (f->place && *f->place) {
        Q(q, " AND (e.geo_name = ? OR e.geonameid = ?)");
        q_text(q, f->place);
        q_int(q, strtoll(f->place, NULL, 10));
    }
    if (f->has_bbox) {
        Q(q, " AND e.lat BETWEEN ? AND ?");
        q_real(q, f->south);
        q_real(q, f->north);
        if (f->west <= f->east)
            Q(q, " AND e.lon BETWEEN ? AND ?");
        else /* across the 180th meridian */
            Q(q, " AND (e.lon >= ? OR e.lon <= ?)");
        q_real(q, f->west);
        q_real(q, f->east);
    }
    if (f->min_mentions > 0) {
        Q(q, " AND e.num_mentions >= ?");
        q_int(q, f->min_mentions);
    }
}

static void q_limit(qbuild *q, const mp_store_filter *f) {
    if (f->limit || f->offset) {
        Q(q, " LIMIT ? OFFSET ?");
        q_int(q, f->limit ? f->limit : -1);
        q_int(q, f->offset);
    }
}

/* ---- iterators ---------------------------------------------------------------------------------- */
enum { IT_EVENTS, IT_MENTIONS, IT_COUNTS };

struct mp_store_iter {
    mp_store *s;
    sqlite3_stmt *st;
    int kind, rc, done, words;
    qbuild q;
    mp_store_event ev;
    mp_store_mention men;
    mp_store_count count;
    char cameo[160];
    char key[2][24];
    mp_store_by by[2];
};

static int iter_new(mp_store *s, int kind, const mp_store_filter *f, mp_store_iter **out) {
    *out = NULL;
    if (s->failed) return fail(s, MP_ERR_STATE, "the store handle failed earlier");
    mp_store_iter *it = calloc(1, sizeof *it);
    if (!it) return fail(s, MP_ERR_NOMEM, "out of memory");
    it->s = s;
    it->kind = kind;
    it->words = f && f->words && *f->words;
    *out = it;
    return MP_OK;
}

static int iter_prepare(mp_store_iter *it) {
    mp_store *s = it->s;
    if (it->q.sql.oom || it->q.nb >= 48) return fail(s, MP_ERR_NOMEM, "out of memory");
    int rc = sqlite3_prepare_v2(s->db, it->q.sql.p, -1, &it->st, NULL);
    if (!rc) rc = q_bind(it->st, &it->q);
    if (rc) return fail_sql(s, rc, "query");
    return MP_OK;
}

void mp_store_iter_free(mp_store_iter *it) {
    if (!it) return;
    sqlite3_finalize(it->st);
    q_free(&it->q);
    free(it);
}

int mp_store_iter_rc(const mp_store_iter *it) { return it ? it->rc : MP_ERR_NOMEM; }

/* Step; 1 with a row, 0 at the end or on an error (it->rc). */
static int iter_step(mp_store_iter *it) {
    if (it->done) return 0;
    int rc = sqlite3_step(it->st);
    if (rc == SQLITE_ROW) return 1;
    it->done = 1;
    if (rc != SQLITE_DONE) {
        if ((rc & 0xff) == SQLITE_ERROR && it->words)
            it->rc = fail(it->s, MP_ERR_OPTION, "bad words query: %s", sqlite3_errmsg(it->s->db));
        else
            it->rc = fail_sql(it->s, rc, "query");
    }
    return 0;
}

static const char *col_text(sqlite3_stmt *st, int i) {
    return (const char *)sqlite3_column_text(st, i);
}

static double col_real(sqlite3_stmt *st, int i) {
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

static const char *cameo_name(mp_store_iter *it, const char *code) {
    const char *name;
    double g;
    int q;
    if (!mp_cameo_lookup(code, &name, &g, &q)) return NULL;
    size_t n = strcspn(name, "\r\n\t");
    if (n >= sizeof it->cameo) n = sizeof it->cameo - 1;
    memcpy(it->cameo, name, n);
    it->cameo[n] = 0;
    return it->cameo;
}

/* Columns of a mention (from m, its document d and publisher p), and of the
 * event it belongs to (e), in this order. */
#define MENTION_COLS                                                                       \
    "m.id, m.event_id, m.sent, m.source_text, m.target_text, m.verb_text, m.source_start,"  \
    " m.source_end, m.target_start, m.target_end, m.verb_start, m.verb_end, m.sentence,"    \
    " m.rule, d.doc_id, m.date, d.url, d.len, d.added, p.name, m.extras"
#define NMENTION_COLS 21
#define EVENT_COLS                                                                        \
    "e.id, e.date, e.source, e.target, e.code, e.root, e.quad_class, e.goldstein,"        \
    " e.source_country, e.target_country, e.num_mentions, e.num_sources, e.num_articles," \
    " e.added, e.geo_precision, e.geonameid, e.geo_name, e.geo_full_name, e.geo_country,"  \
    " e.geo_fips, e.geo_adm1, e.geo_adm1_gdelt, e.geo_type, e.lat, e.lon"
#define NEVENT_COLS 25

static mp_span col_span(sqlite3_stmt *st, int i) {
    mp_span sp = {(uint32_t)sqlite3_column_int64(st, i), (uint32_t)sqlite3_column_int64(st, i + 1)};
    return sp;
}

/* Fill a mention from columns [c, c + NMENTION_COLS) and the event fields of e. */
static void read_mention(mp_store_iter *it, sqlite3_stmt *st, int c, const mp_store_event *e,
                         mp_store_mention *m) {
    memset(m, 0, sizeof *m);
    m->id = sqlite3_column_int64(st, c);
    m->event_id = e->id;
    mp_event *v = &m->ev;
    v->sent = sqlite3_column_int(st, c + 2);
    v->source_text = col_text(st, c + 3);
    v->target_text = col_text(st, c + 4);
    v->verb_text = col_text(st, c + 5);
    v->source_span = col_span(st, c + 6);
    v->target_span = col_span(st, c + 8);
    v->verb_span = col_span(st, c + 10);
    m->text = col_text(st, c + 12);
    if (!m->text) m->text = "";
    v->sentence.start = 0;
    v->sentence.end = (uint32_t)sqlite3_column_bytes(st, c + 12);
    v->rule = col_text(st, c + 13);
    v->doc_id = col_text(st, c + 14);
    v->date = sqlite3_column_int(st, c + 15);
    m->url = col_text(st, c + 16);
    m->doc_len = sqlite3_column_type(st, c + 17) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, c + 17);
    m->added = sqlite3_column_int64(st, c + 18);
    m->publisher = col_text(st, c + 19);
    m->extras = col_text(st, c + 20);
    if (!m->extras) m->extras = "";
    v->fatalities = -1;
    m->event_date = e->date;
    m->event_added = e->added;
    v->source = e->source;
    v->target = e->target;
    v->code = e->code;
    v->root = e->root;
    v->quad_class = e->quad_class;
    v->goldstein = e->goldstein;
    v->cameo_name = cameo_name(it, e->code);
}

static void read_event(sqlite3_stmt *st, int c, mp_store_event *e) {
    e->id = sqlite3_column_int64(st, c);
    e->date = sqlite3_column_int(st, c + 1);
    e->source = col_text(st, c + 2);
    e->target = col_text(st, c + 3);
    e->code = col_text(st, c + 4);
    e->root = sqlite3_column_int(st, c + 5);
    e->quad_class = sqlite3_column_int(st, c + 6);
    e->goldstein = col_real(st, c + 7);
    e->source_country = col_text(st, c + 8);
    e->target_country = col_text(st, c + 9);
    e->num_mentions = sqlite3_column_int64(st, c + 10);
    e->num_sources = sqlite3_column_int64(st, c + 11);
    e->num_articles = sqlite3_column_int64(st, c + 12);
    e->added = sqlite3_column_int64(st, c + 13);
    mp_place *p = &e->place;
    memset(p, 0, sizeof *p);
    p->precision = sqlite3_column_int(st, c + 14);
    if (p->precision == MP_PLACE_NONE) return;
    p->geonameid = (unsigned long)sqlite3_column_int64(st, c + 15);
    p->name = col_text(st, c + 16);
    p->full_name = col_text(st, c + 17);
    const char *cc = col_text(st, c + 18), *fips = col_text(st, c + 19);
    if (cc) snprintf(p->country, sizeof p->country, "%s", cc);
    if (fips) snprintf(p->fips, sizeof p->fips, "%s", fips);
    p->admin1 = col_text(st, c + 20);
    p->adm1_gdelt = col_text(st, c + 21);
    p->gdelt_type = sqlite3_column_int(st, c + 22);
    p->lat = col_real(st, c + 23);
    p->lon = col_real(st, c + 24);
    if (!p->name) p->name = "";
}

/* FROM clause and order of an event query: event_countries drives it when
 * a country is asked for (its key is country, date, event). */
static void q_from(qbuild *q, const mp_store_filter *f, int *by_c) {
    *by_c = f->country && *f->country;
    if (*by_c)
        Q(q, " FROM event_countries c CROSS JOIN events e ON e.id = c.event_id");
    else
        Q(q, " FROM events e");
}

/* An iterator over events or mentions: SELECT cols FROM the events (through
 * event_countries when a country is asked for) joined with joins, filtered,
 * in the order by_country or by_event. */
static int open_query(mp_store *s, const mp_store_filter *f, int kind, const char *cols,
                      const char *joins, const char *by_country, const char *by_event,
                      mp_store_iter **out) {
    static const mp_store_filter all = {0};
    if (!f) f = &all;
    int rc = iter_new(s, kind, f, out);
    if (rc || (rc = check_filter(s, f))) goto fail;
    mp_store_iter *it = *out;
    qbuild *q = &it->q;
    int by_c;
    Q(q, "SELECT ");
    jbuf_put(&q->sql, cols, strlen(cols));
    q_from(q, f, &by_c);
    jbuf_put(&q->sql, joins, strlen(joins));
    q_where(q, f, by_c);
    const char *order = by_c ? by_country : by_event;
    jbuf_put(&q->sql, order, strlen(order));
    q_limit(q, f);
    if ((rc = iter_prepare(it))) goto fail;
    return MP_OK;
fail:
    mp_store_iter_free(*out);
    *out = NULL;
    return rc;
}

int mp_store_query(mp_store *s, const mp_store_filter *f, mp_store_iter **out) {
    return open_query(s, f, IT_EVENTS, EVENT_COLS ", " MENTION_COLS,
                      " LEFT JOIN mentions m ON m.id = e.first_mention LEFT JOIN docs d ON d.id ="
                      " m.doc LEFT JOIN publishers p ON p.id = d.pub WHERE 1",
                      " ORDER BY c.date, c.event_id", " ORDER BY e.date, e.id", out);
}

const mp_store_event *mp_store_next_event(mp_store_iter *it) {
    if (!it || it->kind != IT_EVENTS || !iter_step(it)) return NULL;
    mp_store_event *e = &it->ev;
    read_event(it->st, 0, e);
    /* the first mention's columns follow the event's */
    read_mention(it, it->st, NEVENT_COLS, e, &e->first);
    return e;
}

int mp_store_query_mentions(mp_store *s, const mp_store_filter *f, mp_store_iter **out) {
    return open_query(s, f, IT_MENTIONS, MENTION_COLS ", " EVENT_COLS,
                      " CROSS JOIN mentions m ON m.event_id = e.id JOIN docs d ON d.id = m.doc"
                      " JOIN publishers p ON p.id = d.pub WHERE 1",
                      " ORDER BY c.date, c.event_id, m.id", " ORDER BY e.date, e.id, m.id", out);
}

const mp_store_mention *mp_store_next_mention(mp_store_iter *it) {
    if (!it || it->kind != IT_MENTIONS || !iter_step(it)) return NULL;
    read_event(it->st, NMENTION_COLS, &it->ev);
    read_mention(it, it->st, 0, &it->ev, &it->men);
    return &it->men;
}

/* ---- counts ---------------------------------------------------------------------------------------- */
/* A grouping as an SQL expression over the rollup (k) or the events (e, c). */
static const char *by_expr(mp_store_by by, int rollup) {
    switch (by) {
    case MP_BY_DAY: return rollup ? "k.date" : "ifnull(e.date, 0)";
    case MP_BY_WEEK: return rollup ? "mp_week(k.date)" : "mp_week(e.date)";
    case MP_BY_MONTH: return rollup ? "k.date / 100" : "e.date / 100";
    case MP_BY_YEAR: return rollup ? "k.date / 10000" : "e.date / 10000";
    case MP_BY_COUNTRY: return rollup ? "k.country" : "c.country";
    case MP_BY_SOURCE_COUNTRY: return "e.source_country";
    case MP_BY_TARGET_COUNTRY: return "e.target_country";
    case MP_BY_SOURCE: return "e.source";
    case MP_BY_TARGET: return "e.target";
    case MP_BY_CODE: return "e.code";
    case MP_BY_ROOT: return rollup ? "k.root" : "e.root";
    case MP_BY_QUAD: return rollup ? "k.quad_class" : "e.quad_class";
    default: return NULL;
    }
}

/* Whether the rollup table answers this count (invariant 4). */
static int rollup_serves(const mp_store_filter *f, mp_store_by by1, mp_store_by by2) {
    mp_store_by b[2] = {by1, by2};
    for (int i = 0; i < 2; i++)
        switch (b[i]) {
        case MP_BY_NONE: case MP_BY_DAY: case MP_BY_WEEK: case MP_BY_MONTH: case MP_BY_YEAR:
        case MP_BY_COUNTRY: case MP_BY_ROOT: case MP_BY_QUAD: break;
        default: return 0;
        }
    if ((f->actor && *f->actor) || (f->source && *f->source) || (f->target && *f->target) ||
        (f->plover && *f->plover) || (f->words && *f->words) || (f->place && *f->place) ||
        f->has_bbox || f->min_mentions > 0)
        return 0;
    if (f->code && *f->code && (strlen(f->code) != 2 || f->code[0] < '0' || f->code[0] > '9' ||
                                f->code[1] < '0' || f->code[1] > '9'))
        return 0;
    return 1;
}

static void q_group(qbuild *q, mp_store_by by1, mp_store_by by2, int rollup) {
    const char *k1 = by_expr(by1, rollup), *k2 = by_expr(by2, rollup);
    jbuf_printf(&q->sql, "SELECT %s, %s", k1 ? k1 : "NULL", k2 ? k2 : "NULL");
}

static void q_group_tail(qbuild *q, mp_store_by by1, mp_store_by by2) {
    if (by1 && by2)
        Q(q, " GROUP BY 1, 2 ORDER BY 1, 2");
    else if (by1 || by2)
        Q(q, " GROUP BY 1 ORDER BY 1");
}

int mp_store_stats(mp_store *s, const mp_store_filter *f, mp_store_by by1, mp_store_by by2,
                   mp_store_iter **out) {
    static const mp_store_filter all = {0};
    if (!f) f = &all;
    int rc = iter_new(s, IT_COUNTS, f, out);
    if (rc || (rc = check_filter(s, f))) goto fail;
    if ((int)by1 < 0 || by1 > MP_BY_QUAD || (int)by2 < 0 || by2 > MP_BY_QUAD) {
        rc = fail(s, MP_ERR_OPTION, "unknown grouping");
        goto fail;
    }
    if (!by1) by1 = by2, by2 = MP_BY_NONE;
    mp_store_iter *it = *out;
    it->count.key[0] = it->count.key[1] = NULL;
    qbuild *q = &it->q;
    it->by[0] = by1;
    it->by[1] = by2;
    if (rollup_serves(f, by1, by2)) {
        q_group(q, by1, by2, 1);
        Q(q, ", sum(k.events), sum(k.mentions), sum(k.articles) FROM counts k WHERE ");
        if (f->country && *f->country) {
            Q(q, "k.country = ?");
            q_text(q, f->country);
        } else if (by1 == MP_BY_COUNTRY || by2 == MP_BY_COUNTRY) {
            Q(q, "k.country > ''"); /* each country of each event */
        } else {
            Q(q, "k.country = ''"); /* every event once */
        }
        if (f->from || f->to) {
            Q(q, " AND k.date BETWEEN ? AND ?");
            q_int(q, f->from ? f->from : 1);
            q_int(q, f->to ? f->to : 99991231);
        }
        int root = f->root;
        if (f->code && *f->code) {
            int cr = (f->code[0] - '0') * 10 + (f->code[1] - '0');
            if (root && root != cr) root = -1; /* both: nothing matches */
            else root = cr;
        }
        if (root) {
            Q(q, " AND k.root = ?");
            q_int(q, root);
        }
        if (f->quad_class) {
            Q(q, " AND k.quad_class = ?");
            q_int(q, f->quad_class);
        }
    } else {
        int join_c = by1 == MP_BY_COUNTRY || by2 == MP_BY_COUNTRY;
        q_group(q, by1, by2, 0);
        Q(q, ", count(*), sum(e.num_mentions), sum(e.num_articles)");
        if (join_c)
            Q(q, " FROM event_countries c CROSS JOIN events e ON e.id = c.event_id WHERE 1");
        else
            Q(q, " FROM events e WHERE 1");
        q_where(q, f, join_c);
    }
    q_group_tail(q, by1, by2);
    if ((rc = iter_prepare(it))) goto fail;
    return MP_OK;
fail:
    mp_store_iter_free(*out);
    *out = NULL;
    return rc;
}

/* A key's value as text: dates formatted, roots with two digits. */
static const char *format_key(sqlite3_stmt *st, int i, mp_store_by by, char *buf, size_t cap) {
    if (sqlite3_column_type(st, i) == SQLITE_NULL) return NULL;
    long long v = sqlite3_column_int64(st, i);
    switch (by) {
    case MP_BY_DAY:
        if (v <= 0) return NULL;
        snprintf(buf, cap, "%04lld-%02lld-%02lld", v / 10000, v / 100 % 100, v % 100);
        return buf;
    case MP_BY_MONTH:
        if (v <= 0) return NULL;
        snprintf(buf, cap, "%04lld-%02lld", v / 100, v % 100);
        return buf;
    case MP_BY_YEAR:
        if (v <= 0) return NULL;
        snprintf(buf, cap, "%04lld", v);
        return buf;
    case MP_BY_ROOT:
        if (v <= 0) return NULL;
        snprintf(buf, cap, "%02lld", v);
        return buf;
    case MP_BY_QUAD:
        if (v <= 0) return NULL;
        snprintf(buf, cap, "%lld", v);
        return buf;
    default: {
        const char *t = col_text(st, i);
        return t && *t ? t : NULL;
    }
    }
}

const mp_store_count *mp_store_next_count(mp_store_iter *it) {
    if (!it || it->kind != IT_COUNTS || !iter_step(it)) return NULL;
    mp_store_count *c = &it->count;
    for (int k = 0; k < 2; k++) {
        mp_store_by by = it->by[k];
        c->key[k] = by ? format_key(it->st, k, by, it->key[k], sizeof it->key[k]) : NULL;
    }
    c->events = sqlite3_column_int64(it->st, 2);
    c->mentions = sqlite3_column_int64(it->st, 3);
    c->articles = sqlite3_column_int64(it->st, 4);
    return c;
}

/* ---- information ------------------------------------------------------------------------------------- */
int mp_store_info_get(mp_store *s, mp_store_info *out) {
    memset(out, 0, sizeof *out);
    if (s->failed) return fail(s, MP_ERR_STATE, "the store handle failed earlier");
    out->version = s->version;
    out->window = s->window;
    /* nothing is ever deleted (invariant 2): the largest id is the count; one
     * read transaction, so that the counts are of one commit */
    long long first = 0, last = 0;
    int own = !s->in_batch && sqlite3_get_autocommit(s->db);
    int rc = own ? sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) : SQLITE_OK;
    if (!rc) rc = query_int(s, "SELECT ifnull(max(id), 0) FROM docs", &out->docs);
    if (!rc) rc = query_int(s, "SELECT ifnull(max(id), 0) FROM events", &out->events);
    if (!rc) rc = query_int(s, "SELECT ifnull(max(id), 0) FROM mentions", &out->mentions);
    if (!rc) rc = query_int(s, "SELECT ifnull(max(id), 0) FROM publishers", &out->publishers);
    if (!rc) rc = query_int(s, "SELECT ifnull(min(date), 0) FROM events WHERE date > 0", &first);
    if (!rc) rc = query_int(s, "SELECT ifnull(max(date), 0) FROM events", &last);
    if (rc) {
        rc = fail_sql(s, rc, "store information");
        if (own) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    if (own) sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    out->first = (int)first;
    out->last = (int)last;
    return MP_OK;
}
