/*
 * store.c -- the event store commands: ingest, query, stats, export.
 *
 *   magpie ingest --db FILE [DICT OPTIONS] [--coded] [--text] [--window DAYS]
 *                 [--batch N] [--stats] [FILE|-]...
 *   magpie query  --db FILE [FILTERS] [--mentions] [--format jsonl|csv|tsv]
 *   magpie stats  --db FILE [--by KEY[,KEY]] [FILTERS] [--format tsv|csv|jsonl]
 *   magpie export --db FILE --format gdelt|gdelt-mentions|plover|csv [FILTERS]
 *
 * ingest reads documents as `magpie code` does (bad lines are reported as
 * file:line and skipped, exit status 1), or with --coded the event lines
 * `magpie code` writes, grouped into documents by consecutive doc_id.  Every
 * --batch documents (default 10000) are one transaction.  The store's layout,
 * the clustering of mentions into events and every output format are in
 * docs/store.md.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static const char STORE_USAGE[] =
    "usage: magpie ingest --db FILE [DICT OPTIONS] [--coded] [--text] [--window DAYS]\n"
    "                     [--batch N] [--stats] [FILE|-]...\n"
    "       magpie query --db FILE [FILTERS] [--mentions] [--format jsonl|csv|tsv]\n"
    "       magpie stats --db FILE [--by KEY[,KEY]] [FILTERS] [--format tsv|csv|jsonl]\n"
    "       magpie export --db FILE --format gdelt|gdelt-mentions|plover|csv [FILTERS]\n"
    "\n"
    "FILTERS:\n"
    "  --from DATE --to DATE    event dates, inclusive (YYYYMMDD or YYYY-MM-DD)\n"
    "  --actor CODE             source or target actor code starts with CODE\n"
    "  --source CODE --target CODE\n"
    "  --country CCC            either actor's country\n"
    "  --code CODE              CAMEO code starts with CODE (14: every protest)\n"
    "  --root N  --quad N       CAMEO root 1..20, quad class 1..4\n"
    "  --plover TYPE            PLOVER event type\n"
    "  --words QUERY            words in a sentence of the event (SQLite FTS5 syntax)\n"
    "  --place P                place name or GeoNames id;  --bbox WEST,SOUTH,EAST,NORTH\n"
    "  --min-mentions N  --limit N  --offset N\n"
    "KEY: day week month year country source-country target-country source target\n"
    "     code root quad\n";

static int usage(void) {
    fputs(STORE_USAGE, stderr);
    return EXIT_USAGE;
}

/* ---- output helpers ---------------------------------------------------------- */
#define PUT(b, lit) jbuf_put(b, lit, sizeof lit - 1)

static void w_str(jbuf *b, const char *s) {
    if (s) jbuf_put(b, s, strlen(s));
}

static void w_int(jbuf *b, long long v) {
    char t[24];
    int n = 0;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do t[n++] = (char)('0' + u % 10); while (u /= 10);
    if (v < 0) jbuf_putc(b, '-');
    while (n) jbuf_putc(b, t[--n]);
}

static void w_date(jbuf *b, int d) {
    if (d <= 0) return;
    char t[11] = {(char)('0' + d / 10000000 % 10), (char)('0' + d / 1000000 % 10),
                  (char)('0' + d / 100000 % 10), (char)('0' + d / 10000 % 10), '-',
                  (char)('0' + d / 1000 % 10), (char)('0' + d / 100 % 10), '-',
                  (char)('0' + d / 10 % 10), (char)('0' + d % 10), 0};
    jbuf_put(b, t, 10);
}

static void w_gold(jbuf *b, double g) {
    if (isnan(g)) return;
    jbuf_printf(b, "%.1f", g);
}

/* A coordinate: up to six decimals, trailing zeros dropped (as `magpie code`). */
static void w_real(jbuf *b, double v) {
    if (isnan(v)) return;
    char t[48];
    int n = snprintf(t, sizeof t, "%.6f", v);
    while (n > 1 && t[n - 1] == '0') n--;
    if (n > 1 && t[n - 1] == '.') n--;
    jbuf_put(b, t, (size_t)n);
}

/* ,"name":"value" (nothing when s is NULL) */
static void j_str(jbuf *b, const char *name, const char *s) {
    if (!s) return;
    jbuf_putc(b, ',');
    jbuf_putc(b, '"');
    w_str(b, name);
    PUT(b, "\":");
    json_put_str(b, s, strlen(s));
}

static void j_int(jbuf *b, const char *name, long long v) {
    jbuf_putc(b, ',');
    jbuf_putc(b, '"');
    w_str(b, name);
    PUT(b, "\":");
    w_int(b, v);
}

/* A TSV field: tabs and line breaks become spaces. */
static void tsv_field(jbuf *b, const char *s) {
    if (!s) return;
    for (; *s; s++) jbuf_putc(b, *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

/* A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
static void csv_field(jbuf *b, const char *s) {
    if (!s) return;
    if (!s[strcspn(s, ",\"\r\n")]) {
        w_str(b, s);
        return;
    }
    jbuf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"') jbuf_putc(b, '"');
        jbuf_putc(b, *s);
    }
    jbuf_putc(b, '"');
}

typedef enum { OUT_JSONL, OUT_CSV, OUT_TSV } tablefmt;

/* A table row is written field by field through this. */
typedef struct {
    jbuf *b;
    tablefmt fmt;
    int col;
} row;

static void r_sep(row *r) {
    if (r->col++) jbuf_putc(r->b, r->fmt == OUT_CSV ? ',' : '\t');
}
static void r_str(row *r, const char *s) {
    r_sep(r);
    if (r->fmt == OUT_CSV)
        csv_field(r->b, s);
    else
        tsv_field(r->b, s);
}
static void r_int(row *r, long long v) {
    r_sep(r);
    w_int(r->b, v);
}
static void r_date(row *r, int d) {
    r_sep(r);
    w_date(r->b, d);
}
static void r_gold(row *r, double g) {
    r_sep(r);
    w_gold(r->b, g);
}
static void r_real(row *r, double v) {
    r_sep(r);
    w_real(r->b, v);
}
static void r_end(row *r) {
    jbuf_putc(r->b, '\n');
    r->col = 0;
}

/* Header line of a CSV or TSV table. */
static void r_header(row *r, const char *const *names) {
    for (; *names; names++) r_str(r, *names);
    r_end(r);
}

static int finish_out(jbuf *b) {
    int bad = flush_out(b);
    if (!bad && (fflush(stdout) || ferror(stdout))) {
        fprintf(stderr, "magpie: write error: %s\n", strerror(errno));
        bad = 1;
    }
    jbuf_free(b);
    return bad;
}

/* ---- options shared by the commands ------------------------------------------------ */
static int parse_ll(const char *s, long long lo, long long hi, long long *out) {
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || errno || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

/* A filter option at argv[*i]: 1 if consumed, 0 if not a filter, -1 if malformed (reported). */
static int filter_arg(mp_store_filter *f, int argc, char **argv, int *i) {
    static const char *const names[] = {"--from", "--to", "--actor", "--source", "--target",
                                        "--country", "--code", "--root", "--quad", "--plover",
                                        "--words", "--place", "--bbox", "--min-mentions",
                                        "--limit", "--offset", NULL};
    const char *a = argv[*i];
    int k = 0;
    while (names[k] && strcmp(names[k], a)) k++;
    if (!names[k]) return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "magpie: %s needs a value\n", a);
        return -1;
    }
    const char *v = argv[++*i];
    long long n;
    switch (k) {
    case 0:
    case 1: {
        int d;
        if (parse_date(v, strlen(v), &d)) {
            fprintf(stderr, "magpie: %s %s: want a date YYYYMMDD or YYYY-MM-DD\n", a, v);
            return -1;
        }
        if (k == 0) f->from = d; else f->to = d;
        return 1;
    }
    case 2: f->actor = v; return 1;
    case 3: f->source = v; return 1;
    case 4: f->target = v; return 1;
    case 5: f->country = v; return 1;
    case 6: f->code = v; return 1;
    case 7:
    case 8:
        if (parse_ll(v, 1, k == 7 ? 20 : 4, &n)) {
            fprintf(stderr, "magpie: %s %s: want 1 to %d\n", a, v, k == 7 ? 20 : 4);
            return -1;
        }
        if (k == 7) f->root = (int)n; else f->quad_class = (int)n;
        return 1;
    case 9: f->plover = v; return 1;
    case 10: f->words = v; return 1;
    case 11: f->place = v; return 1;
    case 12: {
        double w, s, e, no;
        char extra;
        if (sscanf(v, "%lf,%lf,%lf,%lf%c", &w, &s, &e, &no, &extra) != 4 || s > no || w < -180 ||
            e > 180 || s < -90 || no > 90 || w > 180 || e < -180) {
            fprintf(stderr, "magpie: --bbox %s: want WEST,SOUTH,EAST,NORTH in degrees\n", v);
            return -1;
        }
        f->has_bbox = 1;
        f->west = w, f->south = s, f->east = e, f->north = no;
        return 1;
    }
    default:
        if (parse_ll(v, 0, (long long)1 << 62, &n)) {
            fprintf(stderr, "magpie: %s %s: want a number\n", a, v);
            return -1;
        }
        if (k == 13) f->min_mentions = n;
        else if (k == 14) f->limit = n;
        else f->offset = n;
        return 1;
    }
}

/* The store, or NULL after reporting why; *status is the exit status then
 * (2 for an option the store refuses, else 3). */
static mp_store *open_db(const char *db, const mp_store_opts *o, int *status) {
    mp_store *s;
    int rc = mp_store_open(db, o, &s);
    if (rc) {
        fprintf(stderr, "magpie: %s\n", mp_store_errmsg(s));
        mp_store_close(s);
        *status = rc == MP_ERR_OPTION ? EXIT_USAGE : EXIT_FATAL;
        return NULL;
    }
    return s;
}

/* ---- ingest -------------------------------------------------------------------------- */
/* Make room for need elements in *p (capacity *cap); -1 when memory runs out. */
static int grow(void **p, size_t *cap, size_t need, size_t el) {
    if (need <= *cap) return 0;
    size_t nc = *cap ? *cap : 16;
    while (nc < need) nc *= 2;
    void *np = realloc(*p, nc * el);
    if (!np) return -1;
    *p = np;
    *cap = nc;
    return 0;
}

typedef struct {
    mp_store *s;
    const char *db;
    mp_ctx *x;
    long batch;             /* documents per transaction */
    long in_batch;          /* documents in the open transaction; 0: none open */
    int status, fatal, progress;
    size_t read, stored, skipped, mentions, rejected;
    mp_event *evs;          /* the document's events */
    size_t evcap;
    jbuf line, base, extra; /* what the extras of a coded document are made in */
    size_t *xoff;           /* offsets of each event's extras in extra */
    const char **xs;
    size_t xcap;
} ingest;

static int store_fail(ingest *g) {
    fprintf(stderr, "magpie: %s: %s\n", g->db, mp_store_errmsg(g->s));
    g->fatal = 1;
    return -1;
}

static int oom(ingest *g) {
    fprintf(stderr, "magpie: out of memory\n");
    g->fatal = 1;
    return -1;
}

/* Store one document (its events ev[0..n) over text); commits every batch. */
static int put_doc(ingest *g, const mp_store_doc *d, const mp_event *ev, size_t n,
                   const char *text, const char *const *extras) {
    if (g->in_batch == 0 && mp_store_begin(g->s)) return store_fail(g);
    int added = 0;
    int rc = mp_store_add(g->s, d, ev, n, text, extras, &added);
    if (rc == MP_ERR_INPUT) {
        /* refused before anything was written: the batch goes on */
        fprintf(stderr, "magpie: %s\n", mp_store_errmsg(g->s));
        g->status = EXIT_REJECTED;
        g->rejected++;
        return 0;
    }
    if (rc) return store_fail(g);
    g->in_batch++;
    if (added) {
        g->stored++;
        g->mentions += n;
    } else {
        g->skipped++;
    }
    if (g->in_batch >= g->batch) {
        if (mp_store_commit(g->s)) return store_fail(g);
        g->in_batch = 0;
    }
    if (g->progress && (g->stored + g->skipped) % 1000 == 0)
        fprintf(stderr, "\rmagpie: %zu documents stored, %zu there before, %zu mentions",
                g->stored, g->skipped, g->mentions);
    return 0;
}

static const char *record_str(const jv *record, const char *key) {
    return record ? jv_str(jv_get(record, key), NULL) : NULL;
}

/* Room for n events' extras; -1 when memory runs out. */
static int extras_reserve(ingest *g, size_t n) {
    if (grow((void **)&g->xoff, &g->xcap, n, sizeof *g->xoff)) return -1;
    size_t cap = g->xcap;
    const char **xs = realloc(g->xs, (cap ? cap : 1) * sizeof *xs);
    if (!xs) return -1;
    g->xs = xs;
    return 0;
}

/* The extras of a coded event: what `magpie code` writes after "rule" (date
 * precision, location, quantities, fatalities, PLOVER and ACLED views), so
 * that `query --mentions` gives the line back as it was.  Appended to
 * g->extra; its offset in *off. */
static void event_extras(ingest *g, const mp_event *e, const char *text, size_t *off) {
    mp_event b = *e;
    b.date_precision = MP_DATE_STORY;
    b.location.precision = MP_PLACE_NONE;
    b.quantities = NULL;
    b.nquantities = 0;
    b.fatalities = -1;
    b.plover_type = b.plover_mode = NULL;
    b.acled_type = b.acled_sub_type = NULL;
    jbuf_reset(&g->line);
    jbuf_reset(&g->base);
    write_event(&g->line, e, text, FMT_JSONL);
    write_event(&g->base, &b, text, FMT_JSONL);
    *off = g->extra.len;
    /* the line is the base line with the extras before its closing "}\n" */
    size_t bl = g->base.len, ll = g->line.len;
    if (bl >= 2 && ll >= bl && !memcmp(g->line.p, g->base.p, bl - 2))
        jbuf_put(&g->extra, g->line.p + bl - 2, ll - bl);
    jbuf_putc(&g->extra, 0);
}

/* read_docs callback: code one document and store it. */
static int ingest_doc(void *ud, mp_doc *d, docdiag *dd, const jv *record) {
    ingest *g = ud;
    g->read++;
    if (!d->id || !*d->id) {
        fprintf(stderr, "%s:%ld: error: a document with an empty id; not stored\n", dd->fname,
                dd->line);
        g->status = EXIT_REJECTED;
        g->rejected++;
        return 0;
    }
    int has;
    if (mp_store_has_doc(g->s, d->id, &has)) return store_fail(g);
    if (has) {
        /* stored before: not coded again (ingest is idempotent by id) */
        g->skipped++;
        return 0;
    }
    mp_ctx_set_diag(g->x, on_doc_diag, dd);
    int rc = mp_code(g->x, d);
    if (rc == MP_ERR_NOMEM) return oom(g);
    if (rc != MP_OK) g->status = EXIT_REJECTED;
    if (dd->status) g->status = dd->status;
    size_t tl, n = mp_ctx_nevents(g->x);
    const char *text = mp_ctx_text(g->x, &tl);
    if (grow((void **)&g->evs, &g->evcap, n, sizeof *g->evs) || extras_reserve(g, n))
        return oom(g);
    jbuf_reset(&g->extra);
    for (size_t i = 0; i < n; i++) {
        g->evs[i] = *mp_ctx_event(g->x, i);
        event_extras(g, &g->evs[i], text, &g->xoff[i]);
    }
    if (g->extra.oom || g->line.oom || g->base.oom) return oom(g);
    for (size_t i = 0; i < n; i++) g->xs[i] = g->extra.p + g->xoff[i];
    /* who published it: a "publisher" field, else "source" (docs/store.md) */
    const char *pub = record_str(record, "publisher");
    if (!pub) pub = record_str(record, "source");
    mp_store_doc sd = {d->id, d->date, pub, record_str(record, "url"), (long long)tl};
    return put_doc(g, &sd, g->evs, n, text, g->xs);
}

/* ---- ingest of coded events (the lines `magpie code` writes) ------------------------- */
enum { CS_SOURCE, CS_TARGET, CS_CODE, CS_STEXT, CS_TTEXT, CS_VTEXT, CS_RULE, CS_SENT,
       CS_EXTRAS, CS_PNAME, CS_PADM1, CS_N };

typedef struct {
    long off[CS_N];      /* offsets of strings in the document's buffer; -1: none */
    size_t sentence_len;
    int sent, root, quad, date;
    double gold;
    mp_span span[3];
    mp_place place;      /* name and admin1 are set from off[] when the document is stored */
} codedev;

typedef struct {
    jbuf strs;           /* the document's strings, NUL-terminated, one after another */
    codedev *ev;
    size_t n, cap;
    long id, pub, url;   /* offsets in strs; -1: none */
    int date;
    int open;
    mp_event *mev;
    const char **extras;
    size_t mcap, xcap;
} codeddoc;

static long put_s(jbuf *b, const char *s, size_t n) {
    long off = (long)b->len;
    jbuf_put(b, s, n);
    jbuf_putc(b, 0);
    return off;
}

static long put_jv(jbuf *b, const jv *v) {
    size_t n;
    const char *s = jv_str(v, &n);
    if (!s && jv_typeof(v) == JV_NUM) s = jv_numtext(v, &n);
    return s ? put_s(b, s, n) : -1;
}

/* A JSON value written back as JSON (numbers as they were written). */
static void put_json(jbuf *b, const jv *v) {
    size_t n;
    const char *t;
    switch (jv_typeof(v)) {
    case JV_NULL: PUT(b, "null"); break;
    case JV_FALSE: PUT(b, "false"); break;
    case JV_TRUE: PUT(b, "true"); break;
    case JV_NUM:
        t = jv_numtext(v, &n);
        jbuf_put(b, t, n);
        break;
    case JV_STR:
        t = jv_str(v, &n);
        json_put_str(b, t, n);
        break;
    case JV_ARR:
        jbuf_putc(b, '[');
        for (size_t i = 0; i < jv_len(v); i++) {
            if (i) jbuf_putc(b, ',');
            put_json(b, jv_at(v, i));
        }
        jbuf_putc(b, ']');
        break;
    case JV_OBJ:
        jbuf_putc(b, '{');
        for (size_t i = 0; i < jv_len(v); i++) {
            if (i) jbuf_putc(b, ',');
            const char *k = jv_key_at(v, i);
            json_put_str(b, k, strlen(k));
            jbuf_putc(b, ':');
            put_json(b, jv_val_at(v, i));
        }
        jbuf_putc(b, '}');
        break;
    }
}

/* The members of a coded line that are not the event's own fields, kept as
 * they are (the enrichment `magpie code` adds after "rule"). */
static void put_extras(jbuf *b, const jv *r) {
    static const char *const own[] = {"doc_id", "sent", "date", "source", "target", "code",
                                      "root", "quad_class", "goldstein", "cameo_name",
                                      "source_text", "target_text", "verb_text", "spans",
                                      "sentence", "rule", "publisher", "url", "event_id",
                                      "mention_id", NULL};
    for (size_t i = 0; i < jv_len(r); i++) {
        const char *k = jv_key_at(r, i);
        int j = 0;
        while (own[j] && strcmp(own[j], k)) j++;
        if (own[j]) continue;
        jbuf_putc(b, ',');
        json_put_str(b, k, strlen(k));
        jbuf_putc(b, ':');
        put_json(b, jv_val_at(r, i));
    }
}

/* Store the gathered document. */
static int coded_flush(ingest *g, codeddoc *cd) {
    if (!cd->open) return 0;
    cd->open = 0;
    g->read++;
    if (cd->strs.oom) return oom(g);
    if (grow((void **)&cd->mev, &cd->mcap, cd->n, sizeof *cd->mev) ||
        grow((void **)&cd->extras, &cd->xcap, cd->n, sizeof *cd->extras))
        return oom(g);
    const char *b = cd->strs.p;
#define S(off) ((off) >= 0 ? b + (off) : NULL)
    for (size_t i = 0; i < cd->n; i++) {
        const codedev *c = &cd->ev[i];
        mp_event *e = &cd->mev[i];
        memset(e, 0, sizeof *e);
        e->doc_id = S(cd->id);
        e->sent = c->sent;
        e->date = c->date;
        e->source = S(c->off[CS_SOURCE]);
        e->target = S(c->off[CS_TARGET]);
        e->code = S(c->off[CS_CODE]);
        e->root = c->root;
        e->quad_class = c->quad;
        e->goldstein = c->gold;
        e->source_text = S(c->off[CS_STEXT]);
        e->target_text = S(c->off[CS_TTEXT]);
        e->verb_text = S(c->off[CS_VTEXT]);
        e->source_span = c->span[0];
        e->target_span = c->span[1];
        e->verb_span = c->span[2];
        e->sentence.start = (uint32_t)c->off[CS_SENT];
        e->sentence.end = (uint32_t)(c->off[CS_SENT] + (long)c->sentence_len);
        e->rule = S(c->off[CS_RULE]);
        e->fatalities = -1;
        e->location = c->place;
        e->location.name = S(c->off[CS_PNAME]);
        e->location.admin1 = S(c->off[CS_PADM1]);
        cd->extras[i] = S(c->off[CS_EXTRAS]);
    }
    mp_store_doc d = {S(cd->id), cd->date, S(cd->pub), S(cd->url), -1};
#undef S
    return put_doc(g, &d, cd->mev, cd->n, b, cd->extras);
}

/* A span [start, end) from a JSON array of two numbers; 0 if it is not one. */
static int get_span(const jv *a, mp_span *out) {
    if (jv_typeof(a) != JV_ARR || jv_len(a) != 2) return 0;
    double s = jv_num(jv_at(a, 0)), e = jv_num(jv_at(a, 1));
    if (!(s >= 0 && e >= s && e <= 4294967295.0) || s != floor(s) || e != floor(e)) return 0;
    out->start = (uint32_t)s;
    out->end = (uint32_t)e;
    return 1;
}

/* A date member: 0 if absent, -1 (reported) if bad. */
static int get_date(const jv *r, const char *fname, long line, int *out) {
    *out = 0;
    const jv *dv = jv_get(r, "date");
    if (!dv || jv_typeof(dv) == JV_NULL) return 0;
    size_t dl;
    const char *ds = jv_str(dv, &dl);
    if (!ds && jv_typeof(dv) == JV_NUM) ds = jv_numtext(dv, &dl);
    if (ds && !parse_date(ds, dl, out)) return 0;
    char b[32];
    snprintf(b, sizeof b, "%s", ds ? ds : "(not a string)");
    fprintf(stderr, "%s:%ld: error: bad date '%s'; the event is stored without one\n", fname, line, b);
    *out = 0;
    return -1;
}

/* A location object of a coded line (as `magpie code` writes it). */
static void get_place(const jv *loc, mp_place *p) {
    memset(p, 0, sizeof *p);
    p->lat = p->lon = NAN;
    if (jv_typeof(loc) != JV_OBJ) return;
    const char *pr = jv_str(jv_get(loc, "precision"), NULL);
    p->precision = !pr ? MP_PLACE_CITY
                   : !strcmp(pr, "country") ? MP_PLACE_COUNTRY
                   : !strcmp(pr, "admin1")  ? MP_PLACE_ADMIN1
                                            : MP_PLACE_CITY;
    const char *cc = jv_str(jv_get(loc, "country"), NULL);
    if (cc) snprintf(p->country, sizeof p->country, "%s", cc);
    const jv *la = jv_get(loc, "lat"), *lo = jv_get(loc, "lon"), *id = jv_get(loc, "geonameid");
    if (jv_typeof(la) == JV_NUM) p->lat = jv_num(la);
    if (jv_typeof(lo) == JV_NUM) p->lon = jv_num(lo);
    if (jv_typeof(id) == JV_NUM && jv_num(id) > 0) p->geonameid = (unsigned long)jv_num(id);
    p->from_dateline = jv_typeof(jv_get(loc, "from_dateline")) == JV_TRUE;
}

/* One coded line: checked, then added to the current document (or, for a
 * new doc_id, to a new one after storing the current one).  Returns 0, 1
 * for a rejected line (reported), -1 on a fatal error. */
static int coded_line(ingest *g, codeddoc *cd, const jv *r, const char *fname, long line) {
    const jv *idv = jv_get(r, "doc_id");
    const char *id = jv_str(idv, NULL);
    if (!id && jv_typeof(idv) == JV_NUM) id = jv_numtext(idv, NULL);
    const char *why = NULL;
    static const char *const skeys[] = {"source", "target", "code"};
    const jv *sv[3];
    for (int k = 0; k < 3; k++) {
        sv[k] = jv_get(r, skeys[k]);
        if (!jv_str(sv[k], NULL) || !*jv_str(sv[k], NULL)) why = skeys[k];
    }
    if (!id || !*id) why = "doc_id";
    if (why) {
        fprintf(stderr, "%s:%ld: error: coded event without a \"%s\" string\n", fname, line, why);
        return 1;
    }
    const jv *sentv = jv_get(r, "sent");
    double sentn = sentv ? jv_num(sentv) : 0;
    if (!(sentn >= 0 && sentn <= 2147483647.0 && sentn == floor(sentn))) {
        fprintf(stderr, "%s:%ld: error: \"sent\" is not a sentence index\n", fname, line);
        return 1;
    }
    mp_span spans[3] = {{0, 0}, {0, 0}, {0, 0}};
    static const char *const spk[3] = {"source", "target", "verb"};
    const jv *spv = jv_get(r, "spans");
    for (int k = 0; k < 3; k++) {
        const jv *a = jv_get(spv, spk[k]);
        if (a && !get_span(a, &spans[k])) {
            fprintf(stderr, "%s:%ld: error: spans.%s is not [start, end]\n", fname, line, spk[k]);
            return 1;
        }
    }
    const jv *loc = jv_get(r, "location");
    if (loc && jv_typeof(loc) != JV_OBJ && jv_typeof(loc) != JV_NULL) {
        fprintf(stderr, "%s:%ld: error: \"location\" is not an object\n", fname, line);
        return 1;
    }
    int date;
    if (get_date(r, fname, line, &date)) g->status = EXIT_REJECTED;
    /* a new document? */
    if (cd->open && strcmp(cd->strs.p + cd->id, id)) {
        if (coded_flush(g, cd)) return -1;
    }
    if (!cd->open) {
        jbuf_reset(&cd->strs);
        cd->n = 0;
        cd->open = 1;
        cd->id = put_s(&cd->strs, id, strlen(id));
        cd->pub = put_jv(&cd->strs, jv_get(r, "publisher"));
        cd->url = put_jv(&cd->strs, jv_get(r, "url"));
        cd->date = date; /* the document's date: its first event's */
    }
    if (grow((void **)&cd->ev, &cd->cap, cd->n + 1, sizeof *cd->ev)) return oom(g);
    codedev *c = &cd->ev[cd->n++];
    memset(c, 0, sizeof *c);
    for (int k = 0; k < CS_N; k++) c->off[k] = -1;
    c->date = date;
    c->off[CS_SOURCE] = put_jv(&cd->strs, sv[0]);
    c->off[CS_TARGET] = put_jv(&cd->strs, sv[1]);
    c->off[CS_CODE] = put_jv(&cd->strs, sv[2]);
    c->off[CS_STEXT] = put_jv(&cd->strs, jv_get(r, "source_text"));
    c->off[CS_TTEXT] = put_jv(&cd->strs, jv_get(r, "target_text"));
    c->off[CS_VTEXT] = put_jv(&cd->strs, jv_get(r, "verb_text"));
    c->off[CS_RULE] = put_jv(&cd->strs, jv_get(r, "rule"));
    size_t sl = 0;
    const char *sentence = jv_str(jv_get(r, "sentence"), &sl);
    c->off[CS_SENT] = put_s(&cd->strs, sentence ? sentence : "", sentence ? sl : 0);
    c->sentence_len = sentence ? sl : 0;
    c->off[CS_EXTRAS] = (long)cd->strs.len;
    put_extras(&cd->strs, r);
    jbuf_putc(&cd->strs, 0);
    c->sent = (int)sentn;
    memcpy(c->span, spans, sizeof spans);
    get_place(loc, &c->place);
    if (c->place.precision != MP_PLACE_NONE) {
        c->off[CS_PNAME] = put_jv(&cd->strs, jv_get(loc, "name"));
        c->off[CS_PADM1] = put_jv(&cd->strs, jv_get(loc, "admin1"));
    }
    /* root, quad class and Goldstein value as given, else from the codebook */
    const char *code = jv_str(sv[2], NULL);
    const char *cname;
    double gold = NAN;
    int quad = 0, known = 0;
    const jv *qv = jv_get(r, "quad_class"), *gv = jv_get(r, "goldstein");
    if (!qv || !gv) known = mp_cameo_lookup(code, &cname, &gold, &quad);
    const jv *rv = jv_get(r, "root");
    const char *rs = jv_str(rv, NULL);
    if (rs) c->root = atoi(rs);
    else if (jv_typeof(rv) == JV_NUM) c->root = (int)jv_num(rv);
    else if (code[0] >= '0' && code[0] <= '9' && code[1] >= '0' && code[1] <= '9')
        c->root = (code[0] - '0') * 10 + (code[1] - '0');
    if (c->root < 0 || c->root > 20) c->root = 0;
    c->quad = jv_typeof(qv) == JV_NUM ? (int)jv_num(qv) : known ? quad : 0;
    if (c->quad < 0 || c->quad > 4) c->quad = 0;
    c->gold = jv_typeof(gv) == JV_NUM ? jv_num(gv) : gv ? NAN : known ? gold : NAN;
    return 0;
}

static int ingest_coded(ingest *g, FILE *f, const char *fname) {
    docreader r = {0};
    r.jp = json_parser_new();
    codeddoc cd;
    memset(&cd, 0, sizeof cd);
    if (!r.jp) return oom(g);
    long lineno = 0;
    int ret = 0;
    for (;;) {
        const jv *root;
        int k = read_json_line(&r, f, fname, &lineno, &root);
        if (k == -2) break;
        if (k == 0) continue;
        if (k > 0) k = coded_line(g, &cd, root, fname, lineno) ? -1 : 1;
        if (g->fatal) {
            ret = -1;
            break;
        }
        if (k < 0) {
            g->status = EXIT_REJECTED;
            g->rejected++;
        }
    }
    if (!ret && coded_flush(g, &cd)) ret = -1;
    jbuf_free(&cd.strs);
    free(cd.ev);
    free(cd.mev);
    free(cd.extras);
    free(r.line);
    json_parser_free(r.jp);
    return ret;
}

int cmd_ingest(int argc, char **argv) {
    dictopts o;
    memset(&o, 0, sizeof o);
    ingest g;
    memset(&g, 0, sizeof g);
    g.batch = 10000;
    mp_store_opts so = {0, 0, 0, 0};
    int text_mode = 0, coded = 0, stats = 0;
    const char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
    int ninputs = 0;
    if (!inputs) return EXIT_FATAL;
    for (int i = 0; i < argc; i++) {
        int k = dict_arg(&o, argc, argv, &i);
        long long n;
        if (k < 0) goto usage;
        if (k) continue;
        const char *a = argv[i];
        if (!strcmp(a, "--db") && i + 1 < argc) {
            g.db = argv[++i];
        } else if (!strcmp(a, "--window") && i + 1 < argc) {
            if (parse_ll(argv[++i], 0, 365, &n)) {
                fprintf(stderr, "magpie ingest: --window %s: want 0 to 365 days\n", argv[i]);
                goto usage;
            }
            so.has_window = 1;
            so.window = (int)n;
        } else if (!strcmp(a, "--batch") && i + 1 < argc) {
            if (parse_ll(argv[++i], 1, 100000000, &n)) {
                fprintf(stderr, "magpie ingest: --batch %s: want a number of documents\n", argv[i]);
                goto usage;
            }
            g.batch = (long)n;
        } else if (!strcmp(a, "--coded")) {
            coded = 1;
        } else if (!strcmp(a, "--text")) {
            text_mode = 1;
        } else if (!strcmp(a, "--stats")) {
            stats = 1;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "magpie ingest: unknown option %s\n", a);
            goto usage;
        } else {
            inputs[ninputs++] = a;
        }
    }
    if (!g.db) {
        fprintf(stderr, "magpie ingest: --db FILE is required\n");
        goto usage;
    }
    if (coded && text_mode) {
        fprintf(stderr, "magpie ingest: --coded and --text do not go together\n");
        goto usage;
    }
    if (!ninputs) inputs[ninputs++] = "-";
    mp_coder *c = NULL;
    if (!coded) {
        diagstate ds = {0, 0, 1};
        c = make_coder(&o, &ds);
        if (!c || (o.strict && ds.errors) || !(g.x = mp_ctx_new(c))) {
            mp_coder_free(c);
            free(inputs);
            return EXIT_FATAL;
        }
    }
    int ost = 0;
    g.s = open_db(g.db, &so, &ost);
    if (!g.s) {
        mp_ctx_free(g.x);
        mp_coder_free(c);
        free(inputs);
        return ost;
    }
    mp_store_info before;
    if (mp_store_info_get(g.s, &before)) store_fail(&g);
    g.progress = isatty(2);
    double t1 = now();
    for (int i = 0; i < ninputs && !g.fatal; i++) {
        int is_stdin = !strcmp(inputs[i], "-");
        FILE *f = is_stdin ? stdin : fopen(inputs[i], "rb");
        const char *name = is_stdin ? "<stdin>" : inputs[i];
        if (!f) {
            fprintf(stderr, "%s: error: cannot open: %s\n", inputs[i], strerror(errno));
            g.status = EXIT_FATAL;
            continue;
        }
        if (coded)
            ingest_coded(&g, f, name);
        else if (read_docs(f, name, text_mode, ingest_doc, &g, &g.status, &g.rejected) && !g.fatal)
            g.fatal = 1; /* out of memory, reported */
        if (!is_stdin) fclose(f);
    }
    if (!g.fatal && g.in_batch && mp_store_commit(g.s)) store_fail(&g);
    if (g.progress && g.stored + g.skipped >= 1000) fputc('\n', stderr);
    if (stats && !g.fatal) {
        double t2 = now();
        mp_store_info after;
        if (mp_store_info_get(g.s, &after)) {
            store_fail(&g);
        } else {
            fprintf(stderr,
                    "magpie: %zu documents read, %zu stored, %zu there before, %zu rejected; "
                    "%zu mentions, %lld new events; %.3f s (%.0f mentions/s); store: %lld "
                    "documents, %lld events, %lld mentions\n",
                    g.read, g.stored, g.skipped, g.rejected, g.mentions,
                    after.events - before.events, t2 - t1,
                    t2 > t1 ? (double)g.mentions / (t2 - t1) : 0.0, after.docs, after.events,
                    after.mentions);
        }
    }
    mp_store_close(g.s);
    mp_ctx_free(g.x);
    mp_coder_free(c);
    free(g.evs);
    free(g.xoff);
    free(g.xs);
    jbuf_free(&g.line);
    jbuf_free(&g.base);
    jbuf_free(&g.extra);
    free(inputs);
    return g.fatal ? EXIT_FATAL : g.status;
usage:
    free(inputs);
    return usage();
}

/* ---- writing events and mentions ------------------------------------------------------- */
static int plover_of(const char *code, char type[32], char mode[32]) {
    const char *t, *m;
    size_t tl, ml;
    type[0] = mode[0] = 0;
    if (!code || !mp_plover_lookup(code, &t, &tl, &m, &ml)) return 0;
    if (tl > 31) tl = 31;
    if (ml > 31) ml = 31;
    memcpy(type, t, tl);
    type[tl] = 0;
    memcpy(mode, m, ml);
    mode[ml] = 0;
    return 1;
}

static const char *const PRECISION[] = {"", "country", "admin1", "city"};

static int has_place(const mp_place *p) {
    return p->precision > MP_PLACE_NONE && p->precision <= MP_PLACE_CITY;
}

/* ,"location":{...} as `magpie code` writes it (without the words). */
static void json_place(jbuf *b, const mp_place *p) {
    PUT(b, ",\"location\":{\"name\":");
    json_put_str(b, p->name, strlen(p->name));
    if (p->country[0]) j_str(b, "country", p->country);
    if (p->admin1 && *p->admin1) j_str(b, "admin1", p->admin1);
    if (!isnan(p->lat)) PUT(b, ",\"lat\":"), w_real(b, p->lat);
    if (!isnan(p->lon)) PUT(b, ",\"lon\":"), w_real(b, p->lon);
    if (p->geonameid) j_int(b, "geonameid", (long long)p->geonameid);
    j_str(b, "precision", PRECISION[p->precision]);
    jbuf_putc(b, '}');
}

static void json_span(jbuf *b, const char *name, mp_span sp, int *first) {
    if (!*first) jbuf_putc(b, ',');
    *first = 0;
    jbuf_putc(b, '"');
    w_str(b, name);
    PUT(b, "\":[");
    w_int(b, sp.start);
    jbuf_putc(b, ',');
    w_int(b, sp.end);
    jbuf_putc(b, ']');
}

/* One event as a JSON line, with its first mention. */
static void json_event(jbuf *b, const mp_store_event *e) {
    const mp_store_mention *m = &e->first;
    PUT(b, "{\"event_id\":");
    w_int(b, e->id);
    if (e->date) {
        PUT(b, ",\"date\":\"");
        w_date(b, e->date);
        jbuf_putc(b, '"');
    }
    j_str(b, "source", e->source);
    j_str(b, "target", e->target);
    j_str(b, "code", e->code);
    if (e->root) jbuf_printf(b, ",\"root\":\"%02d\"", e->root);
    if (e->quad_class) j_int(b, "quad_class", e->quad_class);
    if (!isnan(e->goldstein)) PUT(b, ",\"goldstein\":"), w_gold(b, e->goldstein);
    j_str(b, "cameo_name", m->ev.cameo_name);
    j_str(b, "source_country", e->source_country);
    j_str(b, "target_country", e->target_country);
    j_int(b, "num_mentions", e->num_mentions);
    j_int(b, "num_sources", e->num_sources);
    j_int(b, "num_articles", e->num_articles);
    char type[32], mode[32];
    if (plover_of(e->code, type, mode)) {
        PUT(b, ",\"plover\":{\"type\":");
        json_put_str(b, type, strlen(type));
        if (*mode) PUT(b, ",\"mode\":"), json_put_str(b, mode, strlen(mode));
        jbuf_putc(b, '}');
    }
    if (has_place(&e->place)) json_place(b, &e->place);
    j_str(b, "doc_id", m->ev.doc_id);
    j_str(b, "publisher", m->publisher);
    j_str(b, "url", m->url);
    j_int(b, "sent", m->ev.sent);
    j_str(b, "source_text", m->ev.source_text);
    j_str(b, "target_text", m->ev.target_text);
    j_str(b, "verb_text", m->ev.verb_text);
    PUT(b, ",\"spans\":{");
    int first = 1;
    if (m->ev.source_text) json_span(b, "source", m->ev.source_span, &first);
    if (m->ev.target_text) json_span(b, "target", m->ev.target_span, &first);
    if (m->ev.verb_text) json_span(b, "verb", m->ev.verb_span, &first);
    PUT(b, "},\"sentence\":");
    json_put_str(b, m->text, m->ev.sentence.end);
    j_str(b, "rule", m->ev.rule);
    PUT(b, "}\n");
}

/* One mention as `magpie code` wrote it, then the store's fields. */
static void json_mention(jbuf *b, const mp_store_mention *m) {
    write_event(b, &m->ev, m->text, FMT_JSONL);
    b->len -= 2; /* "}\n" */
    w_str(b, m->extras);
    j_int(b, "event_id", m->event_id);
    j_int(b, "mention_id", m->id);
    j_str(b, "publisher", m->publisher);
    j_str(b, "url", m->url);
    PUT(b, "}\n");
}

static const char *const EVENT_HEADER[] = {
    "event_id", "date", "source", "target", "code", "root", "quad_class", "goldstein",
    "cameo_name", "source_country", "target_country", "num_mentions", "num_sources",
    "num_articles", "plover_type", "place", "lat", "lon", "doc_id", "publisher", "url", "sent",
    "source_text", "target_text", "verb_text", "sentence", "rule", NULL};

static void table_event(row *r, const mp_store_event *e) {
    const mp_store_mention *m = &e->first;
    char type[32], mode[32], root[8] = "";
    if (e->root) snprintf(root, sizeof root, "%02d", e->root);
    plover_of(e->code, type, mode);
    r_int(r, e->id);
    r_date(r, e->date);
    r_str(r, e->source);
    r_str(r, e->target);
    r_str(r, e->code);
    r_str(r, root);
    if (e->quad_class) r_int(r, e->quad_class); else r_str(r, "");
    r_gold(r, e->goldstein);
    r_str(r, m->ev.cameo_name);
    r_str(r, e->source_country);
    r_str(r, e->target_country);
    r_int(r, e->num_mentions);
    r_int(r, e->num_sources);
    r_int(r, e->num_articles);
    r_str(r, type);
    r_str(r, has_place(&e->place) ? e->place.name : NULL);
    r_real(r, e->place.lat);
    r_real(r, e->place.lon);
    r_str(r, m->ev.doc_id);
    r_str(r, m->publisher);
    r_str(r, m->url);
    r_int(r, m->ev.sent);
    r_str(r, m->ev.source_text);
    r_str(r, m->ev.target_text);
    r_str(r, m->ev.verb_text);
    r_str(r, m->text);
    r_str(r, m->ev.rule);
    r_end(r);
}

static const char *const MENTION_HEADER[] = {
    "mention_id", "event_id", "doc_id", "publisher", "url", "date", "sent", "source", "target",
    "code", "root", "quad_class", "goldstein", "source_text", "target_text", "verb_text",
    "source_start", "source_end", "target_start", "target_end", "verb_start", "verb_end",
    "sentence", "rule", NULL};

static void r_span(row *r, const char *text, mp_span sp) {
    if (text) {
        r_int(r, sp.start);
        r_int(r, sp.end);
    } else {
        r_str(r, "");
        r_str(r, "");
    }
}

static void table_mention(row *r, const mp_store_mention *m) {
    const mp_event *v = &m->ev;
    char root[8] = "";
    if (v->root) snprintf(root, sizeof root, "%02d", v->root);
    r_int(r, m->id);
    r_int(r, m->event_id);
    r_str(r, v->doc_id);
    r_str(r, m->publisher);
    r_str(r, m->url);
    r_date(r, v->date);
    r_int(r, v->sent);
    r_str(r, v->source);
    r_str(r, v->target);
    r_str(r, v->code);
    r_str(r, root);
    if (v->quad_class) r_int(r, v->quad_class); else r_str(r, "");
    r_gold(r, v->goldstein);
    r_str(r, v->source_text);
    r_str(r, v->target_text);
    r_str(r, v->verb_text);
    r_span(r, v->source_text, v->source_span);
    r_span(r, v->target_text, v->target_span);
    r_span(r, v->verb_text, v->verb_span);
    r_str(r, m->text);
    r_str(r, v->rule);
    r_end(r);
}

/* ---- GDELT 2.0 and PLOVER -------------------------------------------------------------------- */
static void w_gdelt_time(jbuf *b, long long t) {
    if (t <= 0) return;
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm)) return;
    jbuf_printf(b, "%04d%02d%02d%02d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static int actor_known(const char *code) {
    return code && strcmp(code, "---") && code[0] != '"';
}

/* The 61 columns of GDELT 2.0's event table, what magpie knows filled in. */
static void gdelt_event(jbuf *b, const mp_store_event *e) {
    const mp_store_mention *m = &e->first;
    int d = e->date;
    w_int(b, e->id);
    jbuf_putc(b, '\t');
    if (d) {
        jbuf_printf(b, "%08d\t%06d\t%04d\t%.4f\t", d, d / 100, d / 10000,
                    d / 10000 + ((d / 100 % 100) * 30 + d % 100) / 365.0);
    } else {
        PUT(b, "\t\t\t\t");
    }
    put_gdelt_actor(b, e->source, m->ev.source_text);
    jbuf_putc(b, '\t');
    put_gdelt_actor(b, e->target, m->ev.target_text);
    jbuf_putc(b, '\t');
    /* IsRootEvent: the first mention is in the first sentence */
    w_int(b, m->ev.sent == 0);
    jbuf_putc(b, '\t');
    size_t cl = strlen(e->code);
    tsv_field(b, e->code);
    jbuf_putc(b, '\t');
    jbuf_put(b, e->code, cl < 3 ? cl : 3);
    jbuf_putc(b, '\t');
    jbuf_put(b, e->code, cl < 2 ? cl : 2);
    jbuf_putc(b, '\t');
    if (e->quad_class) w_int(b, e->quad_class);
    jbuf_putc(b, '\t');
    w_gold(b, e->goldstein);
    jbuf_printf(b, "\t%lld\t%lld\t%lld\t\t", e->num_mentions, e->num_sources, e->num_articles);
    /* Actor1Geo_*, Actor2Geo_*: unknown */
    PUT(b, "\t\t\t\t\t\t\t\t" "\t\t\t\t\t\t\t\t");
    /* ActionGeo_*: Type, FullName, CountryCode (FIPS), ADM1Code, ADM2Code, Lat, Long,
     * FeatureID, as `magpie code --format gdelt` writes them */
    const mp_place *p = &e->place;
    if (has_place(p)) {
        if (p->gdelt_type) w_int(b, p->gdelt_type);
        jbuf_putc(b, '\t');
        tsv_field(b, p->full_name ? p->full_name : p->name);
        jbuf_putc(b, '\t');
        tsv_field(b, p->fips);
        jbuf_putc(b, '\t');
        tsv_field(b, p->adm1_gdelt && *p->adm1_gdelt ? p->adm1_gdelt : p->fips);
        PUT(b, "\t\t");
        w_real(b, p->lat);
        jbuf_putc(b, '\t');
        w_real(b, p->lon);
        jbuf_putc(b, '\t');
        if (p->geonameid) w_int(b, (long long)p->geonameid);
        else tsv_field(b, p->fips);
    } else {
        PUT(b, "\t\t\t\t\t\t\t");
    }
    jbuf_putc(b, '\t');
    w_gdelt_time(b, e->added);
    jbuf_putc(b, '\t');
    tsv_field(b, m->url ? m->url : m->ev.doc_id);
    jbuf_putc(b, '\n');
}

/* The 16 columns of GDELT 2.0's mentions table. */
static void gdelt_mention(jbuf *b, const mp_store_mention *m) {
    const mp_event *v = &m->ev;
    w_int(b, m->event_id);
    jbuf_putc(b, '\t');
    w_gdelt_time(b, m->event_added);
    jbuf_putc(b, '\t');
    w_gdelt_time(b, m->added);
    jbuf_putc(b, '\t');
    w_int(b, m->url ? 1 : 2); /* 1 WEB (a URL), 2 CITATIONONLY */
    jbuf_putc(b, '\t');
    tsv_field(b, m->publisher);
    jbuf_putc(b, '\t');
    tsv_field(b, m->url ? m->url : v->doc_id);
    jbuf_putc(b, '\t');
    w_int(b, v->sent + 1);
    jbuf_putc(b, '\t');
    w_int(b, v->source_text ? (long long)v->source_span.start : -1);
    jbuf_putc(b, '\t');
    w_int(b, v->target_text ? (long long)v->target_span.start : -1);
    jbuf_putc(b, '\t');
    w_int(b, v->verb_text ? (long long)v->verb_span.start : -1);
    PUT(b, "\t1\t\t"); /* InRawText, Confidence */
    if (m->doc_len >= 0) w_int(b, m->doc_len);
    PUT(b, "\t\t\t\n"); /* DocTone, TranslationInfo, Extras */
}

static void plover_actor(jbuf *b, const char *name, const char *code, const char *text) {
    PUT(b, ",\"");
    w_str(b, name);
    PUT(b, "\":[{");
    mp_actor_parts ap;
    mp_actor_split(code, &ap);
    int first = 1;
    if (actor_known(code)) {
        PUT(b, "\"code\":");
        json_put_str(b, ap.country[0] ? ap.country : code, strlen(ap.country[0] ? ap.country : code));
        first = 0;
        if (ap.country[0] && strlen(code) > 3) {
            PUT(b, ",\"sector\":");
            json_put_str(b, code + 3, strlen(code + 3));
        }
        PUT(b, ",\"cameo_code\":");
        json_put_str(b, code, strlen(code));
    }
    if (text) {
        if (!first) jbuf_putc(b, ',');
        PUT(b, "\"actor_text\":");
        json_put_str(b, text, strlen(text));
    }
    PUT(b, "}]");
}

/* A PLOVER record (the JSON fields of the PLOVER specification); 0 if the
 * code has no PLOVER type. */
static int plover_event(jbuf *b, const mp_store_event *e) {
    char type[32], mode[32];
    if (!plover_of(e->code, type, mode)) return 0;
    const mp_store_mention *m = &e->first;
    PUT(b, "{\"id\":\"");
    w_int(b, e->id);
    jbuf_putc(b, '"');
    if (e->date) {
        PUT(b, ",\"date\":\"");
        w_date(b, e->date);
        jbuf_putc(b, '"');
    }
    plover_actor(b, "source", e->source, m->ev.source_text);
    plover_actor(b, "recipient", e->target, m->ev.target_text);
    PUT(b, ",\"event\":[");
    json_put_str(b, type, strlen(type));
    jbuf_putc(b, ']');
    if (*mode) j_str(b, "mode", mode);
    if (m->ev.verb_text) {
        PUT(b, ",\"event_text\":[");
        json_put_str(b, m->ev.verb_text, strlen(m->ev.verb_text));
        jbuf_putc(b, ']');
    }
    if (e->quad_class) j_int(b, "quad_code", e->quad_class);
    if (!isnan(e->goldstein)) PUT(b, ",\"event_scale\":"), w_gold(b, e->goldstein);
    if (has_place(&e->place)) {
        const mp_place *p = &e->place;
        PUT(b, ",\"event_loc\":{\"name\":");
        json_put_str(b, p->name, strlen(p->name));
        if (p->geonameid) j_int(b, "geonameid", (long long)p->geonameid);
        if (!isnan(p->lat)) PUT(b, ",\"latitude\":"), w_real(b, p->lat);
        if (!isnan(p->lon)) PUT(b, ",\"longitude\":"), w_real(b, p->lon);
        if (p->country[0]) j_str(b, "cc3", p->country);
        if (p->admin1 && *p->admin1) j_str(b, "admin1 code", p->admin1);
        jbuf_putc(b, '}');
    }
    PUT(b, ",\"text\":");
    json_put_str(b, m->text, m->ev.sentence.end);
    PUT(b, ",\"text_info\":{\"sequence\":");
    w_int(b, m->ev.sent);
    PUT(b, "},\"cite_info\":{\"citation\":");
    json_put_str(b, m->ev.doc_id ? m->ev.doc_id : "", m->ev.doc_id ? strlen(m->ev.doc_id) : 0);
    j_str(b, "url", m->url);
    j_str(b, "publication", m->publisher);
    PUT(b, ",\"coder\":\"magpie " MP_VERSION "\",\"codebook\":\"CAMEO\"}");
    PUT(b, ",\"coder\":\"magpie " MP_VERSION "\"");
    j_str(b, "cameo_code", e->code);
    j_int(b, "num_mentions", e->num_mentions);
    j_int(b, "num_sources", e->num_sources);
    j_int(b, "num_articles", e->num_articles);
    PUT(b, "}\n");
    return 1;
}

/* ---- query and export ------------------------------------------------------------------------- */
typedef enum { X_JSONL, X_CSV, X_TSV, X_GDELT, X_GDELT_MENTIONS, X_PLOVER } xfmt;

static int run_events(mp_store *s, const char *db, const mp_store_filter *f, xfmt fmt) {
    mp_store_iter *q;
    if (mp_store_query(s, f, &q)) {
        fprintf(stderr, "magpie: %s: %s\n", db, mp_store_errmsg(s));
        return EXIT_FATAL;
    }
    jbuf b = JBUF_INIT;
    row r = {&b, fmt == X_CSV ? OUT_CSV : OUT_TSV, 0};
    if (fmt == X_CSV || fmt == X_TSV) r_header(&r, EVENT_HEADER);
    long long unplover = 0;
    int bad = 0;
    for (const mp_store_event *e; (e = mp_store_next_event(q));) {
        switch (fmt) {
        case X_JSONL: json_event(&b, e); break;
        case X_GDELT: gdelt_event(&b, e); break;
        case X_PLOVER: unplover += !plover_event(&b, e); break;
        default: table_event(&r, e); break;
        }
        if (b.len > (1 << 16) && (bad = flush_out(&b))) break;
    }
    int rc = mp_store_iter_rc(q);
    mp_store_iter_free(q);
    if (rc) fprintf(stderr, "magpie: %s: %s\n", db, mp_store_errmsg(s));
    bad |= finish_out(&b);
    if (unplover && !rc)
        fprintf(stderr, "magpie: %lld events left out: their CAMEO codes have no PLOVER type\n",
                unplover);
    return rc == MP_ERR_OPTION ? EXIT_USAGE : rc || bad ? EXIT_FATAL : 0;
}

static int run_mentions(mp_store *s, const char *db, const mp_store_filter *f, xfmt fmt) {
    mp_store_iter *q;
    if (mp_store_query_mentions(s, f, &q)) {
        fprintf(stderr, "magpie: %s: %s\n", db, mp_store_errmsg(s));
        return EXIT_FATAL;
    }
    jbuf b = JBUF_INIT;
    row r = {&b, fmt == X_CSV ? OUT_CSV : OUT_TSV, 0};
    if (fmt == X_CSV || fmt == X_TSV) r_header(&r, MENTION_HEADER);
    int bad = 0;
    for (const mp_store_mention *m; (m = mp_store_next_mention(q));) {
        if (fmt == X_JSONL)
            json_mention(&b, m);
        else if (fmt == X_GDELT_MENTIONS)
            gdelt_mention(&b, m);
        else
            table_mention(&r, m);
        if (b.len > (1 << 16) && (bad = flush_out(&b))) break;
    }
    int rc = mp_store_iter_rc(q);
    mp_store_iter_free(q);
    if (rc) fprintf(stderr, "magpie: %s: %s\n", db, mp_store_errmsg(s));
    bad |= finish_out(&b);
    return rc == MP_ERR_OPTION ? EXIT_USAGE : rc || bad ? EXIT_FATAL : 0;
}

/* query and export share their options; export's formats differ. */
static int query_or_export(int argc, char **argv, int export) {
    mp_store_filter f;
    memset(&f, 0, sizeof f);
    const char *db = NULL, *fmtname = NULL;
    int mentions = 0;
    for (int i = 0; i < argc; i++) {
        int k = filter_arg(&f, argc, argv, &i);
        if (k < 0) return usage();
        if (k) continue;
        if (!strcmp(argv[i], "--db") && i + 1 < argc)
            db = argv[++i];
        else if (!strcmp(argv[i], "--format") && i + 1 < argc)
            fmtname = argv[++i];
        else if (!export && !strcmp(argv[i], "--mentions"))
            mentions = 1;
        else {
            fprintf(stderr, "magpie %s: unknown option or argument %s\n",
                    export ? "export" : "query", argv[i]);
            return usage();
        }
    }
    if (!db) {
        fprintf(stderr, "magpie %s: --db FILE is required\n", export ? "export" : "query");
        return usage();
    }
    xfmt fmt;
    if (export) {
        if (!fmtname) {
            fprintf(stderr, "magpie export: --format is required\n");
            return usage();
        }
        if (!strcmp(fmtname, "gdelt")) fmt = X_GDELT;
        else if (!strcmp(fmtname, "gdelt-mentions")) fmt = X_GDELT_MENTIONS, mentions = 1;
        else if (!strcmp(fmtname, "plover")) fmt = X_PLOVER;
        else if (!strcmp(fmtname, "csv")) fmt = X_CSV;
        else {
            fprintf(stderr, "magpie export: unknown format %s\n", fmtname);
            return usage();
        }
    } else {
        if (!fmtname || !strcmp(fmtname, "jsonl") || !strcmp(fmtname, "json")) fmt = X_JSONL;
        else if (!strcmp(fmtname, "csv")) fmt = X_CSV;
        else if (!strcmp(fmtname, "tsv")) fmt = X_TSV;
        else {
            fprintf(stderr, "magpie query: unknown format %s\n", fmtname);
            return usage();
        }
    }
    mp_store_opts so = {1, 0, 0, 0};
    int ost = 0;
    mp_store *s = open_db(db, &so, &ost);
    if (!s) return ost;
    int rc = mentions ? run_mentions(s, db, &f, fmt) : run_events(s, db, &f, fmt);
    mp_store_close(s);
    return rc;
}

int cmd_query(int argc, char **argv) { return query_or_export(argc, argv, 0); }
int cmd_export(int argc, char **argv) { return query_or_export(argc, argv, 1); }

/* ---- stats ------------------------------------------------------------------------------------- */
static const char *const BY_NAMES[] = {"", "day", "week", "month", "year", "country",
                                       "source-country", "target-country", "source", "target",
                                       "code", "root", "quad", NULL};

static int parse_by(const char *v, mp_store_by by[2], int *nby) {
    char buf[128];
    snprintf(buf, sizeof buf, "%s", v);
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        int k = 1;
        while (BY_NAMES[k] && strcmp(BY_NAMES[k], tok)) k++;
        if (!BY_NAMES[k]) {
            fprintf(stderr, "magpie stats: --by %s: unknown key (day week month year country "
                    "source-country target-country source target code root quad)\n", tok);
            return -1;
        }
        if (*nby >= 2) {
            fprintf(stderr, "magpie stats: at most two --by keys\n");
            return -1;
        }
        by[(*nby)++] = (mp_store_by)k;
    }
    return 0;
}

static int stats_summary(mp_store *s, const char *db, tablefmt fmt) {
    mp_store_info in;
    if (mp_store_info_get(s, &in)) {
        fprintf(stderr, "magpie: %s: %s\n", db, mp_store_errmsg(s));
        return EXIT_FATAL;
    }
    jbuf b = JBUF_INIT;
    if (fmt == OUT_JSONL) {
        PUT(&b, "{\"schema\":");
        w_int(&b, in.version);
        j_int(&b, "window", in.window);
        j_int(&b, "documents", in.docs);
        j_int(&b, "publishers", in.publishers);
        j_int(&b, "events", in.events);
        j_int(&b, "mentions", in.mentions);
        if (in.first) PUT(&b, ",\"first\":\""), w_date(&b, in.first), jbuf_putc(&b, '"');
        if (in.last) PUT(&b, ",\"last\":\""), w_date(&b, in.last), jbuf_putc(&b, '"');
        PUT(&b, "}\n");
    } else {
        static const char *const names[] = {"schema", "window", "documents", "publishers",
                                            "events", "mentions", "first", "last", NULL};
        row r = {&b, fmt, 0};
        r_header(&r, names);
        r_int(&r, in.version);
        r_int(&r, in.window);
        r_int(&r, in.docs);
        r_int(&r, in.publishers);
        r_int(&r, in.events);
        r_int(&r, in.mentions);
        r_date(&r, in.first);
        r_date(&r, in.last);
        r_end(&r);
    }
    return finish_out(&b) ? EXIT_FATAL : 0;
}

int cmd_stats(int argc, char **argv) {
    mp_store_filter f;
    memset(&f, 0, sizeof f);
    const char *db = NULL;
    mp_store_by by[2] = {MP_BY_NONE, MP_BY_NONE};
    int nby = 0;
    tablefmt fmt = OUT_TSV;
    for (int i = 0; i < argc; i++) {
        int k = filter_arg(&f, argc, argv, &i);
        if (k < 0) return usage();
        if (k) continue;
        if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            db = argv[++i];
        } else if (!strcmp(argv[i], "--by") && i + 1 < argc) {
            if (parse_by(argv[++i], by, &nby)) return usage();
        } else if (!strcmp(argv[i], "--format") && i + 1 < argc) {
            const char *v = argv[++i];
            if (!strcmp(v, "tsv")) fmt = OUT_TSV;
            else if (!strcmp(v, "csv")) fmt = OUT_CSV;
            else if (!strcmp(v, "jsonl") || !strcmp(v, "json")) fmt = OUT_JSONL;
            else {
                fprintf(stderr, "magpie stats: unknown format %s\n", v);
                return usage();
            }
        } else {
            fprintf(stderr, "magpie stats: unknown option or argument %s\n", argv[i]);
            return usage();
        }
    }
    if (!db) {
        fprintf(stderr, "magpie stats: --db FILE is required\n");
        return usage();
    }
    mp_store_opts so = {1, 0, 0, 0};
    int ost = 0;
    mp_store *s = open_db(db, &so, &ost);
    if (!s) return ost;
    if (!nby) {
        int rc = stats_summary(s, db, fmt);
        mp_store_close(s);
        return rc;
    }
    mp_store_iter *q;
    if (mp_store_stats(s, &f, by[0], by[1], &q)) {
        fprintf(stderr, "magpie: %s: %s\n", db, mp_store_errmsg(s));
        mp_store_close(s);
        return EXIT_FATAL;
    }
    jbuf b = JBUF_INIT;
    row r = {&b, fmt, 0};
    if (fmt != OUT_JSONL) {
        for (int k = 0; k < nby; k++) r_str(&r, BY_NAMES[by[k]]);
        r_str(&r, "events");
        r_str(&r, "mentions");
        r_str(&r, "articles");
        r_end(&r);
    }
    int bad = 0;
    for (const mp_store_count *c; (c = mp_store_next_count(q));) {
        if (fmt == OUT_JSONL) {
            jbuf_putc(&b, '{');
            for (int k = 0; k < nby; k++) {
                if (k) jbuf_putc(&b, ',');
                jbuf_putc(&b, '"');
                w_str(&b, BY_NAMES[by[k]]);
                PUT(&b, "\":");
                if (c->key[k])
                    json_put_str(&b, c->key[k], strlen(c->key[k]));
                else
                    PUT(&b, "null");
            }
            j_int(&b, "events", c->events);
            j_int(&b, "mentions", c->mentions);
            j_int(&b, "articles", c->articles);
            PUT(&b, "}\n");
        } else {
            for (int k = 0; k < nby; k++) r_str(&r, c->key[k] ? c->key[k] : "");
            r_int(&r, c->events);
            r_int(&r, c->mentions);
            r_int(&r, c->articles);
            r_end(&r);
        }
        if (b.len > (1 << 16) && (bad = flush_out(&b))) break;
    }
    int rc = mp_store_iter_rc(q);
    mp_store_iter_free(q);
    if (rc) fprintf(stderr, "magpie: %s: %s\n", db, mp_store_errmsg(s));
    bad |= finish_out(&b);
    mp_store_close(s);
    return rc == MP_ERR_OPTION ? EXIT_USAGE : rc || bad ? EXIT_FATAL : 0;
}
