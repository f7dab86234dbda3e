/*
 * common.c -- the pieces the magpie commands share: diagnostics, dictionary
 * options and the coder they make, dates, the event writer (JSON lines and
 * TSV), and the JSON-lines reader that reports bad lines as file:line.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* ---- diagnostics ------------------------------------------------------------ */

void on_diag(void *ud, mp_severity sev, const char *file, long line, const char *msg) {
    diagstate *d = ud;
    if (sev == MP_INFO && d->quiet_info) return;
    if (sev == MP_ERROR) d->errors++;
    if (sev == MP_WARN) d->warnings++;
    const char *s = sev == MP_ERROR ? "error" : sev == MP_WARN ? "warning" : "note";
    if (file && line)
        fprintf(stderr, "%s:%ld: %s: %s\n", file, line, s, msg);
    else if (file)
        fprintf(stderr, "%s: %s: %s\n", file, s, msg);
    else
        fprintf(stderr, "magpie: %s: %s\n", s, msg);
}

/* ---- dictionary options --------------------------------------------------------- */

/* Consume a dictionary option at argv[*i]; 1 if consumed, -1 on error. */
int dict_arg(dictopts *o, int argc, char **argv, int *i) {
    static const char *names[MP_DICT_NKINDS] = {"--actors", "--agents", "--verbs", "--discards",
                                               "--issues"};
    const char *a = argv[*i];
    for (int k = 0; k < MP_DICT_NKINDS; k++)
        if (!strcmp(a, names[k])) {
            if (*i + 1 >= argc || o->nfiles[k] >= 32) return -1;
            o->files[k][o->nfiles[k]++] = argv[++*i];
            return 1;
        }
    if (!strcmp(a, "--options")) {
        if (*i + 1 >= argc) return -1;
        o->options_file = argv[++*i];
        return 1;
    }
    if (!strcmp(a, "--set")) {
        if (*i + 1 >= argc || o->nsets >= 64 || !strchr(argv[*i + 1], '=')) return -1;
        o->sets[o->nsets++] = argv[++*i];
        return 1;
    }
    if (!strcmp(a, "--strict")) {
        o->strict = 1;
        return 1;
    }
    if (!strcmp(a, "--gazetteer")) {
        if (*i + 1 >= argc) return -1;
        o->gazetteer = argv[++*i];
        return 1;
    }
    if (!strcmp(a, "--no-gazetteer")) {
        o->no_gazetteer = 1;
        return 1;
    }
    return 0;
}


/* The gazetteer: the one named, else $MAGPIE_GAZETTEER, else gazetteer.bin
 * beside the magpie binary (where `make gazetteer` puts it) if it is there.
 * Only a gazetteer asked for by name or variable is an error when missing. */
static int load_gazetteer(mp_coder *c, const char *path) {
    if (!path) path = getenv("MAGPIE_GAZETTEER");
    if (path && *path) return mp_coder_load_gazetteer(c, path);
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 32);
    if (n <= 0) return MP_OK;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash) return MP_OK;
    strcpy(slash + 1, "gazetteer.bin");
    if (access(exe, R_OK)) return MP_OK;
    return mp_coder_load_gazetteer(c, exe);
}

mp_coder *make_coder(const dictopts *o, diagstate *ds) {
    mp_coder *c = mp_coder_new();
    if (!c) {
        fprintf(stderr, "magpie: out of memory\n");
        return NULL;
    }
    mp_coder_set_diag(c, on_diag, ds);
    int rc = MP_OK;
    if (o->strict) mp_coder_set_option(c, "strict", "true");
    if (!o->options_file) rc = mp_coder_load_builtin_options(c);
    if (!rc && o->options_file) rc = mp_coder_load_options(c, o->options_file);
    for (int k = 0; k < MP_DICT_NKINDS && !rc; k++)
        for (int j = 0; j < o->nfiles[k] && !rc; j++) rc = mp_coder_load(c, (mp_dict_kind)k, o->files[k][j]);
    if (!rc) rc = mp_coder_load_builtin(c);
    if (!rc && !o->no_gazetteer) rc = load_gazetteer(c, o->gazetteer);
    for (int j = 0; j < o->nsets && !rc; j++) {
        char name[128];
        const char *eq = strchr(o->sets[j], '=');
        size_t nl = (size_t)(eq - o->sets[j]);
        if (nl >= sizeof name) nl = sizeof name - 1;
        memcpy(name, o->sets[j], nl);
        name[nl] = 0;
        if (mp_coder_set_option(c, name, eq + 1)) {
            fprintf(stderr, "magpie: --set %s: unknown option or bad value\n", o->sets[j]);
            mp_coder_free(c);
            exit(EXIT_USAGE);
        }
    }
    if (!rc) rc = mp_coder_ready(c);
    if (rc) {
        fprintf(stderr, "magpie: cannot load dictionaries: %s\n", mp_errstr(rc));
        mp_coder_free(c);
        return NULL;
    }
    return c;
}

/* ---- dates -------------------------------------------------------------------------- */
int parse_date(const char *s, size_t n, int *out) { return mp_parse_date(s, n, out); }

/* ---- output ----------------------------------------------------------------------------- */

/* Output is written by hand, not with printf: coding a large corpus writes
 * many events, and formatting was a visible share of the time. */
#define PUT_LIT(b, s) jbuf_put(b, s, sizeof s - 1)

void put_uint(jbuf *b, unsigned long v) {
    char tmp[24];
    int n = 0;
    do tmp[n++] = (char)('0' + v % 10); while (v /= 10);
    while (n) jbuf_putc(b, tmp[--n]);
}

/* A Goldstein value with one decimal, as the codebook gives it. */
void put_goldstein(jbuf *b, double g) {
    long t = lround(g * 10.0);
    if (t < 0) jbuf_putc(b, '-'), t = -t;
    put_uint(b, (unsigned long)(t / 10));
    jbuf_putc(b, '.');
    jbuf_putc(b, (char)('0' + t % 10));
}

void put_date(jbuf *b, int d) {
    char s[10] = {(char)('0' + d / 10000000 % 10), (char)('0' + d / 1000000 % 10),
                  (char)('0' + d / 100000 % 10), (char)('0' + d / 10000 % 10), '-',
                  (char)('0' + d / 1000 % 10), (char)('0' + d / 100 % 10), '-',
                  (char)('0' + d / 10 % 10), (char)('0' + d % 10)};
    jbuf_put(b, s, sizeof s);
}

void put_span(jbuf *b, const char *name, mp_span s) {
    jbuf_putc(b, '"');
    jbuf_put(b, name, strlen(name));
    PUT_LIT(b, "\":[");
    put_uint(b, s.start);
    jbuf_putc(b, ',');
    put_uint(b, s.end);
    jbuf_putc(b, ']');
}

void put_strfield(jbuf *b, const char *name, const char *s) {
    if (!s) return;
    PUT_LIT(b, ",\"");
    jbuf_put(b, name, strlen(name));
    PUT_LIT(b, "\":");
    json_put_str(b, s, strlen(s));
}

/* A TSV field: tabs and line breaks become spaces. */
void put_tsv_field(jbuf *b, const char *s) {
    for (; *s; s++) jbuf_putc(b, *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

/* A decimal with up to 6 places, trailing zeros dropped (coordinates). */
static void put_coord(jbuf *b, double v) {
    char buf[40];
    int n = snprintf(buf, sizeof buf, "%.6f", v);
    while (n > 1 && buf[n - 1] == '0') n--;
    if (n > 1 && buf[n - 1] == '.') n--;
    jbuf_put(b, buf, (size_t)n);
}

static void put_text_span(jbuf *b, const char *name, const char *text, mp_span sp) {
    PUT_LIT(b, ",\"");
    jbuf_put(b, name, strlen(name));
    PUT_LIT(b, "\":");
    json_put_str(b, text + sp.start, sp.end - sp.start);
}

static const char *const PLACE_PRECISION[] = {"", "country", "admin1", "city"};
static const char *const DATE_PRECISION[] = {"story", "day", "week", "month", "year"};

/* The fields of the place-and-date issue: date precision, location,
 * quantities and fatalities, PLOVER and ACLED views. */
static void put_extras(jbuf *b, const mp_event *e, const char *text) {
    if (e->date_precision > 0 && e->date_precision <= MP_DATE_YEAR) {
        PUT_LIT(b, ",\"date_precision\":\"");
        jbuf_put(b, DATE_PRECISION[e->date_precision], strlen(DATE_PRECISION[e->date_precision]));
        jbuf_putc(b, '"');
        put_text_span(b, "date_text", text, e->date_span);
    }
    const mp_place *p = &e->location;
    if (p->precision > 0 && p->precision <= MP_PLACE_CITY) {
        PUT_LIT(b, ",\"location\":{\"name\":");
        json_put_str(b, p->name, strlen(p->name));
        put_strfield(b, "country", p->country);
        if (p->admin1 && *p->admin1) put_strfield(b, "admin1", p->admin1);
        PUT_LIT(b, ",\"lat\":");
        put_coord(b, p->lat);
        PUT_LIT(b, ",\"lon\":");
        put_coord(b, p->lon);
        if (p->geonameid) {
            PUT_LIT(b, ",\"geonameid\":");
            put_uint(b, p->geonameid);
        }
        put_strfield(b, "precision", PLACE_PRECISION[p->precision]);
        if (p->from_dateline) PUT_LIT(b, ",\"from_dateline\":true");
        if (p->span.end > p->span.start) put_text_span(b, "text", text, p->span);
        jbuf_putc(b, '}');
    }
    if (e->nquantities) {
        PUT_LIT(b, ",\"quantities\":[");
        for (size_t i = 0; i < e->nquantities; i++) {
            const mp_quantity *q = &e->quantities[i];
            if (i) jbuf_putc(b, ',');
            PUT_LIT(b, "{\"kind\":");
            json_put_str(b, q->kind, strlen(q->kind));
            PUT_LIT(b, ",\"value\":");
            put_uint(b, (unsigned long)q->value);
            if (q->flags & MP_Q_VAGUE) PUT_LIT(b, ",\"vague\":true");
            if (q->flags & MP_Q_AT_LEAST) PUT_LIT(b, ",\"at_least\":true");
            if (q->flags & MP_Q_AT_MOST) PUT_LIT(b, ",\"at_most\":true");
            if (q->flags & MP_Q_ABOUT) PUT_LIT(b, ",\"about\":true");
            if (q->flags & MP_Q_IMPLIED) PUT_LIT(b, ",\"implied\":true");
            if (q->span.end > q->span.start) put_text_span(b, "text", text, q->span);
            jbuf_putc(b, '}');
        }
        jbuf_putc(b, ']');
    }
    if (e->fatalities >= 0) {
        PUT_LIT(b, ",\"fatalities\":");
        put_uint(b, (unsigned long)e->fatalities);
    }
    if (e->plover_type) {
        PUT_LIT(b, ",\"plover\":{\"type\":");
        json_put_str(b, e->plover_type, strlen(e->plover_type));
        if (e->plover_mode) put_strfield(b, "mode", e->plover_mode);
        jbuf_putc(b, '}');
    }
    if (e->acled_type) {
        PUT_LIT(b, ",\"acled\":{\"event_type\":");
        json_put_str(b, e->acled_type, strlen(e->acled_type));
        if (e->acled_sub_type) put_strfield(b, "sub_event_type", e->acled_sub_type);
        jbuf_putc(b, '}');
    }
}

/* ---- GDELT 2.0 event table ---------------------------------------------------------- */
static void put_tab(jbuf *b) { jbuf_putc(b, '\t'); }

/* A text field: tabs and line breaks become spaces, letters upper case (as
 * GDELT writes actor names). */
static void put_upper_field(jbuf *b, const char *s) {
    for (; s && *s; s++) {
        char ch = *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s;
        jbuf_putc(b, ch >= 'a' && ch <= 'z' ? (char)(ch - 32) : ch);
    }
}

/* GDELT's ten actor columns: code, name (upper case), country, known group,
 * ethnic, religion 1 and 2, types 1 to 3, the code split by mp_actor_split.
 * Shared by `code --format gdelt` and `export --format gdelt`, so that the
 * two agree; no tab after the last column. */
void put_gdelt_actor(jbuf *b, const char *code, const char *name) {
    int known = code && strcmp(code, "---") && code[0] != '"';
    mp_actor_parts ap;
    mp_actor_split(known ? code : NULL, &ap);
    put_tsv_field(b, known ? code : "");
    put_tab(b);
    put_upper_field(b, known ? name : NULL);
    const char *parts[8] = {ap.country,      ap.known_group, "",         ap.religion[0],
                            ap.religion[1], ap.type[0],     ap.type[1], ap.type[2]};
    for (int i = 0; i < 8; i++) {
        put_tab(b);
        put_tsv_field(b, parts[i]);
    }
}

/* Type, full name, country (FIPS), ADM1, ADM2, lat, long, feature id. */
static void put_gdelt_geo(jbuf *b, const mp_place *p) {
    if (p->precision == MP_PLACE_NONE) {
        for (int i = 0; i < 7; i++) put_tab(b);
        return;
    }
    put_uint(b, (unsigned long)p->gdelt_type);
    put_tab(b);
    put_tsv_field(b, p->full_name ? p->full_name : "");
    put_tab(b);
    put_tsv_field(b, p->fips);
    put_tab(b);
    put_tsv_field(b, p->adm1_gdelt && *p->adm1_gdelt ? p->adm1_gdelt : p->fips);
    put_tab(b);  /* ADM2 */
    put_tab(b);
    put_coord(b, p->lat);
    put_tab(b);
    put_coord(b, p->lon);
    put_tab(b);
    if (p->geonameid)
        put_uint(b, p->geonameid);
    else
        put_tsv_field(b, p->fips);
}

/* A stable event id: a 53-bit hash of where the event is in its document. */
static unsigned long long gdelt_id(const mp_event *e) {
    uint64_t h = 1469598103934665603ull;
    const char *parts[4] = {e->doc_id ? e->doc_id : "", e->source, e->target, e->code};
    for (int i = 0; i < 4; i++) {
        for (const char *q = parts[i]; *q; q++) h = (h ^ (unsigned char)*q) * 1099511628211ull;
        h = (h ^ 0xff) * 1099511628211ull;
    }
    h = (h ^ (uint64_t)e->sent) * 1099511628211ull;
    h = (h ^ e->verb_span.start) * 1099511628211ull;
    return (unsigned long long)(h >> 11);
}

/* One row of the 61 columns of the GDELT 2.0 event table.  What magpie
 * cannot know is left empty: tone, ethnic and religion codes, ADM2. */
static void write_gdelt(jbuf *b, const mp_event *e) {
    int d = e->date, y = d / 10000, m = d / 100 % 100, day = d % 100;
    put_uint(b, (unsigned long)gdelt_id(e));
    put_tab(b);
    if (d) {
        put_uint(b, (unsigned long)d);
        put_tab(b);
        put_uint(b, (unsigned long)(y * 100 + m));
        put_tab(b);
        put_uint(b, (unsigned long)y);
        put_tab(b);
        /* GDELT's codebook: YYYY.FFFF with FFFF = (MONTH * 30 + DAY) / 365 */
        char frac[32];
        int n = snprintf(frac, sizeof frac, "%.4f", y + (m * 30 + day) / 365.0);
        jbuf_put(b, frac, (size_t)n);
    } else {
        put_tab(b);
        put_tab(b);
        put_tab(b);
    }
    put_tab(b);
    put_gdelt_actor(b, e->source, e->source_text);
    put_tab(b);
    put_gdelt_actor(b, e->target, e->target_text);
    put_tab(b);
    jbuf_putc(b, e->sent == 0 ? '1' : '0');  /* IsRootEvent: in the lead sentence */
    put_tab(b);
    put_tsv_field(b, e->code);
    put_tab(b);
    jbuf_put(b, e->code, strlen(e->code) < 3 ? strlen(e->code) : 3);
    put_tab(b);
    jbuf_put(b, e->code, strlen(e->code) < 2 ? strlen(e->code) : 2);
    put_tab(b);
    put_uint(b, (unsigned long)e->quad_class);
    put_tab(b);
    if (!isnan(e->goldstein)) put_goldstein(b, e->goldstein);
    PUT_LIT(b, "\t1\t1\t1\t\t");  /* one mention, source and article; tone unknown */
    put_gdelt_geo(b, &e->source_place);
    put_tab(b);
    put_gdelt_geo(b, &e->target_place);
    put_tab(b);
    put_gdelt_geo(b, &e->location);
    put_tab(b);
    if (d) {
        put_uint(b, (unsigned long)d);
        PUT_LIT(b, "000000");
    }
    put_tab(b);
    put_tsv_field(b, e->doc_id ? e->doc_id : "");
    jbuf_putc(b, '\n');
}

void write_event(jbuf *b, const mp_event *e, const char *text, outfmt fmt) {
    if (fmt == FMT_GDELT) {
        write_gdelt(b, e);
        return;
    }
    if (fmt == FMT_TSV) {
        put_tsv_field(b, e->doc_id ? e->doc_id : "");
        jbuf_putc(b, '\t');
        if (e->date) put_date(b, e->date);
        jbuf_putc(b, '\t');
        put_uint(b, (unsigned long)e->sent);
        const char *cols[3] = {e->source, e->target, e->code};
        for (int i = 0; i < 3; i++) {
            jbuf_putc(b, '\t');
            put_tsv_field(b, cols[i]);
        }
        jbuf_putc(b, '\t');
        put_uint(b, (unsigned long)e->root);
        jbuf_putc(b, '\t');
        put_uint(b, (unsigned long)e->quad_class);
        jbuf_putc(b, '\t');
        if (!isnan(e->goldstein)) put_goldstein(b, e->goldstein);
        jbuf_putc(b, '\t');
        put_tsv_field(b, e->verb_text ? e->verb_text : "");
        jbuf_putc(b, '\t');
        put_tsv_field(b, e->rule ? e->rule : "");
        jbuf_putc(b, '\n');
        return;
    }
    PUT_LIT(b, "{\"doc_id\":");
    json_put_str(b, e->doc_id ? e->doc_id : "", e->doc_id ? strlen(e->doc_id) : 0);
    PUT_LIT(b, ",\"sent\":");
    put_uint(b, (unsigned long)e->sent);
    if (e->date) {
        PUT_LIT(b, ",\"date\":\"");
        put_date(b, e->date);
        jbuf_putc(b, '"');
    }
    put_strfield(b, "source", e->source);
    put_strfield(b, "target", e->target);
    put_strfield(b, "code", e->code);
    if (e->root) {
        PUT_LIT(b, ",\"root\":\"");
        jbuf_putc(b, (char)('0' + e->root / 10 % 10));
        jbuf_putc(b, (char)('0' + e->root % 10));
        jbuf_putc(b, '"');
    }
    if (e->quad_class) {
        PUT_LIT(b, ",\"quad_class\":");
        put_uint(b, (unsigned long)e->quad_class);
    }
    if (!isnan(e->goldstein)) {
        PUT_LIT(b, ",\"goldstein\":");
        put_goldstein(b, e->goldstein);
    }
    put_strfield(b, "cameo_name", e->cameo_name);
    put_strfield(b, "source_text", e->source_text);
    put_strfield(b, "target_text", e->target_text);
    put_strfield(b, "verb_text", e->verb_text);
    PUT_LIT(b, ",\"spans\":{");
    int first = 1;
    if (e->source_text) put_span(b, "source", e->source_span), first = 0;
    if (e->target_text) {
        if (!first) jbuf_putc(b, ',');
        put_span(b, "target", e->target_span);
        first = 0;
    }
    if (!first) jbuf_putc(b, ',');
    put_span(b, "verb", e->verb_span);
    PUT_LIT(b, "},\"sentence\":");
    json_put_str(b, text + e->sentence.start, e->sentence.end - e->sentence.start);
    put_strfield(b, "rule", e->rule);
    put_extras(b, e, text);
    PUT_LIT(b, "}\n");
}

int flush_out(jbuf *b) {
    if (b->oom) {
        fprintf(stderr, "magpie: out of memory\n");
        return -1;
    }
    if (b->len && fwrite(b->p, 1, b->len, stdout) != b->len) {
        fprintf(stderr, "magpie: write error: %s\n", strerror(errno));
        return -1;
    }
    b->len = 0;
    return 0;
}

/* ---- reading documents ------------------------------------------------------------------- */

/* Read and check one JSON line.  Returns 1 with *root set, 0 for a line to
 * skip (blank), -1 for a rejected line (reported), -2 at EOF. */
int read_json_line(docreader *r, FILE *f, const char *fname, long *lineno, const jv **root) {
    errno = 0;
    ssize_t n = getline(&r->line, &r->cap, f);
    if (n < 0) {
        if (ferror(f)) fprintf(stderr, "%s:%ld: error: read error: %s\n", fname, *lineno + 1, strerror(errno));
        return -2;
    }
    ++*lineno;
    size_t k = 0;
    while (k < (size_t)n && (r->line[k] == ' ' || r->line[k] == '\t' || r->line[k] == '\n' || r->line[k] == '\r')) k++;
    if (k == (size_t)n) return 0;
    *root = json_parse(r->jp, r->line, (size_t)n);
    if (!*root) {
        fprintf(stderr, "%s:%ld: error: %s\n", fname, *lineno, json_parser_error(r->jp));
        return -1;
    }
    if (jv_typeof(*root) != JV_OBJ) {
        fprintf(stderr, "%s:%ld: error: a record must be a JSON object\n", fname, *lineno);
        return -1;
    }
    return 1;
}

/* The document's id as text: a string, or a number's raw text. */
const char *doc_id(docreader *r, const jv *root, long lineno) {
    const jv *id = jv_get(root, "id");
    if (jv_typeof(id) == JV_STR) return jv_str(id, NULL);
    if (jv_typeof(id) == JV_NUM) return id->u.s;
    snprintf(r->idbuf, sizeof r->idbuf, "line-%ld", lineno);
    return r->idbuf;
}

double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}



void on_doc_diag(void *ud, mp_severity sev, const char *file, long line, const char *msg) {
    docdiag *d = ud;
    (void)file;
    (void)line;
    if (d->line)
        fprintf(stderr, "%s:%ld: %s: %s\n", d->fname, d->line, sev == MP_ERROR ? "error" : "warning", msg);
    else
        fprintf(stderr, "%s: %s: %s\n", d->fname, sev == MP_ERROR ? "error" : "warning", msg);
    if (sev != MP_INFO) d->status = EXIT_REJECTED;
}


/* ---- the document loop -------------------------------------------------------------- */
int read_docs(FILE *f, const char *fname, int text_mode, doc_fn fn, void *ud, int *status,
              size_t *rejected) {
    if (text_mode) {
        char *buf = NULL;
        size_t n = 0, cap = 0;
        for (;;) {
            if (n + 65536 > cap) {
                size_t nc = cap ? cap * 2 : 65536;
                char *nb = realloc(buf, nc);
                if (!nb) {
                    free(buf);
                    fprintf(stderr, "magpie: out of memory\n");
                    return -1;
                }
                buf = nb;
                cap = nc;
            }
            size_t got = fread(buf + n, 1, cap - n, f);
            n += got;
            if (!got) break;
        }
        if (ferror(f)) {
            fprintf(stderr, "%s: error: read error\n", fname);
            free(buf);
            *status = EXIT_FATAL;
            return 0;
        }
        mp_doc d = {fname, 0, buf, n};
        docdiag dd = {fname, 0, 0};  /* a whole file: the message gives the byte */
        int rc = fn(ud, &d, &dd, NULL);
        free(buf);
        return rc;
    }
    docreader r = {0};
    r.jp = json_parser_new();
    if (!r.jp) return -1;
    long lineno = 0;
    int ret = 0;
    for (;;) {
        const jv *root = NULL;
        int k = read_json_line(&r, f, fname, &lineno, &root);
        if (k == -2) break;
        if (k == 0) continue;
        if (k < 0) {
            *status = EXIT_REJECTED;
            ++*rejected;
            continue;
        }
        size_t tlen;
        const char *text = jv_str(jv_get(root, "text"), &tlen);
        if (!text) {
            fprintf(stderr, "%s:%ld: error: record has no \"text\" string\n", fname, lineno);
            *status = EXIT_REJECTED;
            ++*rejected;
            continue;
        }
        mp_doc d = {doc_id(&r, root, lineno), 0, text, tlen};
        const jv *dv = jv_get(root, "date");
        if (dv) {
            size_t dl;
            const char *ds = jv_str(dv, &dl);
            char nb[32];
            if (!ds && jv_typeof(dv) == JV_NUM) {
                ds = dv->u.s;
                dl = strlen(ds);
            }
            if (!ds || parse_date(ds, dl, &d.date)) {
                snprintf(nb, sizeof nb, "%s", ds ? ds : "(not a string)");
                fprintf(stderr,
                        "%s:%ld: error: bad date '%s' (want YYYYMMDD or YYYY-MM-DD); coded without a date\n",
                        fname, lineno, nb);
                *status = EXIT_REJECTED;
            }
        }
        docdiag dd = {fname, lineno, 0};
        if (fn(ud, &d, &dd, root)) {
            ret = -1;
            break;
        }
    }
    free(r.line);
    json_parser_free(r.jp);
    return ret;
}
