/*
 * magpie.c -- the command line: code, eval, explain, dict check.
 *
 * A Unix filter: JSON lines (or plain text files with --text) in, one event
 * per line out, diagnostics on stderr as `file:line: severity: message`.
 * Exit status: 0 all input coded; 1 some input was rejected or repaired
 * (every other document was still coded); 2 usage error; 3 a dictionary or
 * input file could not be read (or had errors under --strict).
 *
 * The input reader uses the library's JSON parser (src/json.h), the one
 * internal header the command line borrows.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "magpie.h"

enum { EXIT_REJECTED = 1, EXIT_USAGE = 2, EXIT_FATAL = 3 };

static const char USAGE[] =
    "usage: magpie code [DICT OPTIONS] [--format jsonl|tsv] [--text] [--stats] [FILE|-]...\n"
    "       magpie eval GOLD.jsonl [DICT OPTIONS] [-v] [--id ID]\n"
    "       magpie explain [DICT OPTIONS] [--date YYYYMMDD] \"SENTENCE\"\n"
    "       magpie dict check [DICT OPTIONS]\n"
    "       magpie --version | --help\n"
    "\n"
    "DICT OPTIONS (a kind given here replaces the built-in dictionary of that kind):\n"
    "  --actors F   --agents F   --verbs F   --discards F   --issues F   (repeatable)\n"
    "  --options F  coder options file (name = value lines)\n"
    "  --set NAME=VALUE  one coder option: require_dyad, new_actor_length, comma_min,\n"
    "               comma_max, comma_bmin, comma_bmax, comma_emin, comma_emax, max_tokens\n"
    "  --strict     a broken dictionary line is an error (exit 3)\n"
    "\n"
    "Input of `code`: JSON lines {\"id\", \"date\" (YYYYMMDD or YYYY-MM-DD), \"text\"};\n"
    "with --text each FILE is one plain-text document.\n"
    "Exit status: 0 ok, 1 some input rejected or repaired, 2 usage, 3 fatal.\n";

/* ---- diagnostics ------------------------------------------------------------ */
typedef struct {
    size_t errors, warnings;
    int quiet_info;
} diagstate;

static void on_diag(void *ud, mp_severity sev, const char *file, long line, const char *msg) {
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
typedef struct {
    const char *files[MP_DICT_NKINDS][32];
    int nfiles[MP_DICT_NKINDS];
    const char *options_file;
    const char *sets[64];
    int nsets;
    int strict;
} dictopts;

/* Consume a dictionary option at argv[*i]; 1 if consumed, -1 on error. */
static int dict_arg(dictopts *o, int argc, char **argv, int *i) {
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
    return 0;
}

int mp_coder_load_builtin_options(mp_coder *c);

static mp_coder *make_coder(const dictopts *o, diagstate *ds) {
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
static int parse_date(const char *s, size_t n, int *out) { return mp_parse_date(s, n, out); }

/* ---- output ----------------------------------------------------------------------------- */
typedef enum { FMT_JSONL, FMT_TSV } outfmt;

/* Output is written by hand, not with printf: coding a large corpus writes
 * many events, and formatting was a visible share of the time. */
#define PUT_LIT(b, s) jbuf_put(b, s, sizeof s - 1)

static void put_uint(jbuf *b, unsigned long v) {
    char tmp[24];
    int n = 0;
    do tmp[n++] = (char)('0' + v % 10); while (v /= 10);
    while (n) jbuf_putc(b, tmp[--n]);
}

/* A Goldstein value with one decimal, as the codebook gives it. */
static void put_goldstein(jbuf *b, double g) {
    long t = lround(g * 10.0);
    if (t < 0) jbuf_putc(b, '-'), t = -t;
    put_uint(b, (unsigned long)(t / 10));
    jbuf_putc(b, '.');
    jbuf_putc(b, (char)('0' + t % 10));
}

static void put_date(jbuf *b, int d) {
    char s[10] = {(char)('0' + d / 10000000 % 10), (char)('0' + d / 1000000 % 10),
                  (char)('0' + d / 100000 % 10), (char)('0' + d / 10000 % 10), '-',
                  (char)('0' + d / 1000 % 10), (char)('0' + d / 100 % 10), '-',
                  (char)('0' + d / 10 % 10), (char)('0' + d % 10)};
    jbuf_put(b, s, sizeof s);
}

static void put_span(jbuf *b, const char *name, mp_span s) {
    jbuf_putc(b, '"');
    jbuf_put(b, name, strlen(name));
    PUT_LIT(b, "\":[");
    put_uint(b, s.start);
    jbuf_putc(b, ',');
    put_uint(b, s.end);
    jbuf_putc(b, ']');
}

static void put_strfield(jbuf *b, const char *name, const char *s) {
    if (!s) return;
    PUT_LIT(b, ",\"");
    jbuf_put(b, name, strlen(name));
    PUT_LIT(b, "\":");
    json_put_str(b, s, strlen(s));
}

/* A TSV field: tabs and line breaks become spaces. */
static void put_tsv_field(jbuf *b, const char *s) {
    for (; *s; s++) jbuf_putc(b, *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

static void write_event(jbuf *b, const mp_event *e, const char *text, outfmt fmt) {
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
    PUT_LIT(b, "}\n");
}

static int flush_out(jbuf *b) {
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
typedef struct {
    json_parser *jp;
    char *line;
    size_t cap;
    char idbuf[64];
} docreader;

/* Read and check one JSON line.  Returns 1 with *root set, 0 for a line to
 * skip (blank), -1 for a rejected line (reported), -2 at EOF. */
static int read_json_line(docreader *r, FILE *f, const char *fname, long *lineno, const jv **root) {
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
static const char *doc_id(docreader *r, const jv *root, long lineno) {
    const jv *id = jv_get(root, "id");
    if (jv_typeof(id) == JV_STR) return jv_str(id, NULL);
    if (jv_typeof(id) == JV_NUM) return id->u.s;
    snprintf(r->idbuf, sizeof r->idbuf, "line-%ld", lineno);
    return r->idbuf;
}

typedef struct {
    mp_ctx *x;
    outfmt fmt;
    jbuf out;
    int status;
    size_t docs, sentences, events, rejected;
    int progress;  /* stderr is a terminal: show progress */
} coderun;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}


typedef struct {
    const char *fname;
    long line;
    int status;
} docdiag;

static void on_doc_diag(void *ud, mp_severity sev, const char *file, long line, const char *msg) {
    docdiag *d = ud;
    (void)file;
    (void)line;
    if (d->line)
        fprintf(stderr, "%s:%ld: %s: %s\n", d->fname, d->line, sev == MP_ERROR ? "error" : "warning", msg);
    else
        fprintf(stderr, "%s: %s: %s\n", d->fname, sev == MP_ERROR ? "error" : "warning", msg);
    if (sev != MP_INFO) d->status = EXIT_REJECTED;
}

static int code_one(coderun *cr, mp_doc *d, docdiag *dd) {
    mp_ctx_set_diag(cr->x, on_doc_diag, dd);
    int rc = mp_code(cr->x, d);
    if (rc == MP_ERR_NOMEM) {
        fprintf(stderr, "magpie: out of memory\n");
        return -1;
    }
    if (rc != MP_OK) cr->status = EXIT_REJECTED;
    if (dd->status) cr->status = dd->status;
    size_t tl;
    const char *text = mp_ctx_text(cr->x, &tl);
    for (size_t i = 0; i < mp_ctx_nevents(cr->x); i++) write_event(&cr->out, mp_ctx_event(cr->x, i), text, cr->fmt);
    cr->events += mp_ctx_nevents(cr->x);
    cr->sentences += mp_ctx_nsentences(cr->x);
    cr->docs++;
    if (cr->progress && cr->docs % 1000 == 0)
        fprintf(stderr, "\rmagpie: %zu documents, %zu events", cr->docs, cr->events);
    if (cr->out.len > (1 << 16) && flush_out(&cr->out)) return -1;
    return 0;
}

static int code_jsonl(coderun *cr, FILE *f, const char *fname) {
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
            cr->status = EXIT_REJECTED;
            cr->rejected++;
            continue;
        }
        size_t tlen;
        const char *text = jv_str(jv_get(root, "text"), &tlen);
        if (!text) {
            fprintf(stderr, "%s:%ld: error: record has no \"text\" string\n", fname, lineno);
            cr->status = EXIT_REJECTED;
            cr->rejected++;
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
                fprintf(stderr, "%s:%ld: error: bad date '%s' (want YYYYMMDD or YYYY-MM-DD); coded without a date\n",
                        fname, lineno, nb);
                cr->status = EXIT_REJECTED;
            }
        }
        docdiag dd = {fname, lineno, 0};
        if (code_one(cr, &d, &dd)) {
            ret = -1;
            break;
        }
    }
    free(r.line);
    json_parser_free(r.jp);
    return ret;
}

static int code_text_file(coderun *cr, FILE *f, const char *fname) {
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
        cr->status = EXIT_FATAL;
        return 0;
    }
    mp_doc d = {fname, 0, buf, n};
    docdiag dd = {fname, 0, 0};  /* a whole file: the message gives the byte */
    int rc = code_one(cr, &d, &dd);
    free(buf);
    return rc;
}

static int cmd_code(int argc, char **argv) {
    dictopts o;
    memset(&o, 0, sizeof o);
    coderun cr;
    memset(&cr, 0, sizeof cr);
    int text_mode = 0, stats = 0;
    const char *inputs[4096];
    int ninputs = 0;
    for (int i = 0; i < argc; i++) {
        int k = dict_arg(&o, argc, argv, &i);
        if (k < 0) goto usage;
        if (k) continue;
        if (!strcmp(argv[i], "--format")) {
            if (i + 1 >= argc) goto usage;
            const char *f = argv[++i];
            if (!strcmp(f, "jsonl") || !strcmp(f, "json"))
                cr.fmt = FMT_JSONL;
            else if (!strcmp(f, "tsv"))
                cr.fmt = FMT_TSV;
            else
                goto usage;
        } else if (!strcmp(argv[i], "--text")) {
            text_mode = 1;
        } else if (!strcmp(argv[i], "--stats")) {
            stats = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "magpie code: unknown option %s\n", argv[i]);
            goto usage;
        } else if (ninputs < 4096) {
            inputs[ninputs++] = argv[i];
        }
    }
    if (!ninputs) inputs[ninputs++] = "-";
    diagstate ds = {0, 0, 1};
    double t0 = now();
    mp_coder *c = make_coder(&o, &ds);
    double t1 = now();
    if (!c) return EXIT_FATAL;
    if (o.strict && ds.errors) {
        mp_coder_free(c);
        return EXIT_FATAL;
    }
    cr.progress = isatty(2);
    cr.x = mp_ctx_new(c);
    if (!cr.x) {
        mp_coder_free(c);
        return EXIT_FATAL;
    }
    int fatal = 0;
    for (int i = 0; i < ninputs && !fatal; i++) {
        int is_stdin = !strcmp(inputs[i], "-");
        FILE *f = is_stdin ? stdin : fopen(inputs[i], "rb");
        const char *name = is_stdin ? "<stdin>" : inputs[i];
        if (!f) {
            fprintf(stderr, "%s: error: cannot open: %s\n", inputs[i], strerror(errno));
            cr.status = EXIT_FATAL;
            continue;
        }
        if ((text_mode ? code_text_file(&cr, f, name) : code_jsonl(&cr, f, name)) ||
            flush_out(&cr.out))
            fatal = 1;
        if (!is_stdin) fclose(f);
    }
    if (!fatal && flush_out(&cr.out)) fatal = 1;
    if (fflush(stdout) || ferror(stdout)) {
        fprintf(stderr, "magpie: write error: %s\n", strerror(errno));
        fatal = 1;
    }
    if (cr.progress && cr.docs >= 1000) fputc('\n', stderr);
    if (stats) {
        double t2 = now();
        fprintf(stderr,
                "magpie: %zu documents, %zu sentences, %zu events, %zu rejected; "
                "load %.3f s, code %.3f s (%.0f sentences/s)\n",
                cr.docs, cr.sentences, cr.events, cr.rejected, t1 - t0, t2 - t1,
                t2 > t1 ? (double)cr.sentences / (t2 - t1) : 0.0);
    }
    jbuf_free(&cr.out);
    mp_ctx_free(cr.x);
    mp_coder_free(c);
    return fatal ? EXIT_FATAL : cr.status;
usage:
    fputs(USAGE, stderr);
    return EXIT_USAGE;
}

/* ---- eval ---------------------------------------------------------------------------------------- */
typedef struct {
    char s[3][64];
} triple;

static int cmp_triple(const void *a, const void *b) { return memcmp(a, b, sizeof(triple)); }

static void print_triples(const triple *t, size_t n) {
    printf("[");
    for (size_t i = 0; i < n; i++) printf("%s%s %s %s", i ? ", " : "", t[i].s[0], t[i].s[1], t[i].s[2]);
    printf("]");
}

static int cmd_eval(int argc, char **argv) {
    dictopts o;
    memset(&o, 0, sizeof o);
    const char *gold = NULL, *only = NULL;
    int verbose = 0;
    for (int i = 0; i < argc; i++) {
        int k = dict_arg(&o, argc, argv, &i);
        if (k < 0) goto usage;
        if (k) continue;
        if (!strcmp(argv[i], "-v")) verbose = 1;
        else if (!strcmp(argv[i], "--id") && i + 1 < argc) only = argv[++i], verbose = 1;
        else if (argv[i][0] == '-' && argv[i][1]) goto usage;
        else if (!gold) gold = argv[i];
        else goto usage;
    }
    if (!gold) goto usage;
    diagstate ds = {0, 0, 1};
    mp_coder *c = make_coder(&o, &ds);
    if (!c) return EXIT_FATAL;
    mp_ctx *x = mp_ctx_new(c);
    FILE *f = fopen(gold, "rb");
    if (!x || !f) {
        if (!f) fprintf(stderr, "%s: error: cannot open: %s\n", gold, strerror(errno));
        mp_ctx_free(x);
        mp_coder_free(c);
        return EXIT_FATAL;
    }
    docreader r = {0};
    r.jp = json_parser_new();
    long lineno = 0;
    size_t pass = 0, fail = 0, skipped = 0;
    int status = 0;
    triple *exp = NULL, *got = NULL;
    size_t ecap = 0, gcap = 0;
    for (;;) {
        const jv *root;
        int k = read_json_line(&r, f, gold, &lineno, &root);
        if (k == -2) break;
        if (k <= 0) {
            if (k < 0) status = EXIT_REJECTED;
            continue;
        }
        const jv *ev = jv_get(root, "evaluate");
        if (jv_typeof(ev) == JV_FALSE) {
            skipped++;
            continue;
        }
        size_t tl;
        const char *text = jv_str(jv_get(root, "text"), &tl);
        if (!text) {
            fprintf(stderr, "%s:%ld: error: record has no \"text\" string\n", gold, lineno);
            status = EXIT_REJECTED;
            continue;
        }
        const char *id = doc_id(&r, root, lineno);
        if (only && strcmp(only, id)) continue;
        mp_doc d = {id, 0, text, tl};
        size_t dl;
        const char *ds2 = jv_str(jv_get(root, "date"), &dl);
        if (ds2) parse_date(ds2, dl, &d.date);
        mp_ctx_reset_options(x);
        const jv *opts = jv_get(root, "options");
        for (size_t i = 0; i < jv_len(opts); i++) {
            char val[64];
            const jv *v = jv_val_at(opts, i);
            jv_scalar_text(v, val, sizeof val);
            if (mp_ctx_set_option(x, jv_key_at(opts, i), val))
                fprintf(stderr, "%s:%ld: warning: option %s=%s not applied\n", gold, lineno, jv_key_at(opts, i), val);
        }
        docdiag dd = {gold, lineno, 0};
        mp_ctx_set_diag(x, on_doc_diag, &dd);
        if (verbose) mp_ctx_set_trace(x, 1);
        if (mp_code(x, &d) == MP_ERR_NOMEM) break;
        const jv *e = jv_get(root, "expected");
        size_t ne = jv_len(e), ng = mp_ctx_nevents(x);
        if (ne > ecap) {
            ecap = ne * 2;
            triple *t = realloc(exp, ecap * sizeof *t);
            if (!t) break;
            exp = t;
        }
        if (ng > gcap) {
            gcap = ng * 2;
            triple *t = realloc(got, gcap * sizeof *t);
            if (!t) break;
            got = t;
        }
        for (size_t i = 0; i < ne; i++) {
            memset(&exp[i], 0, sizeof exp[i]);
            static const char *keys[3] = {"source", "target", "code"};
            for (int j = 0; j < 3; j++) {
                const char *s = jv_str(jv_get(jv_at(e, i), keys[j]), NULL);
                snprintf(exp[i].s[j], 64, "%s", s ? s : "");
            }
        }
        for (size_t i = 0; i < ng; i++) {
            const mp_event *g = mp_ctx_event(x, i);
            memset(&got[i], 0, sizeof got[i]);
            snprintf(got[i].s[0], 64, "%s", g->source);
            snprintf(got[i].s[1], 64, "%s", g->target);
            snprintf(got[i].s[2], 64, "%s", g->code);
        }
        if (ne) qsort(exp, ne, sizeof *exp, cmp_triple);
        if (ng) qsort(got, ng, sizeof *got, cmp_triple);
        /* expected is a set: drop duplicates */
        size_t ne2 = 0;
        for (size_t i = 0; i < ne; i++)
            if (!ne2 || cmp_triple(&exp[ne2 - 1], &exp[i])) exp[ne2++] = exp[i];
        ne = ne2;
        int ok = ne == ng && (!ne || !memcmp(exp, got, ne * sizeof *exp));
        if (ok) {
            pass++;
        } else {
            fail++;
            printf("FAIL %s: expected ", id);
            print_triples(exp, ne);
            printf(" got ");
            print_triples(got, ng);
            printf("\n");
            if (verbose) printf("  text: %s\n%s", text, mp_ctx_trace(x));
        }
        if (ok && only) {
            printf("PASS %s\n  text: %s\n%s", id, text, mp_ctx_trace(x));
        }
    }
    free(exp);
    free(got);
    free(r.line);
    json_parser_free(r.jp);
    fclose(f);
    mp_ctx_free(x);
    mp_coder_free(c);
    printf("score: %zu of %zu scored records pass (%.1f%%), %zu not scored\n", pass, pass + fail,
           pass + fail ? 100.0 * (double)pass / (double)(pass + fail) : 0.0, skipped);
    printf("%zu passed, %zu failed\n", pass, fail);
    if (fflush(stdout)) return EXIT_FATAL;
    return status;
usage:
    fputs(USAGE, stderr);
    return EXIT_USAGE;
}

/* ---- explain ----------------------------------------------------------------------------------------- */
static int cmd_explain(int argc, char **argv) {
    dictopts o;
    memset(&o, 0, sizeof o);
    const char *sentence = NULL;
    int date = 0;
    for (int i = 0; i < argc; i++) {
        int k = dict_arg(&o, argc, argv, &i);
        if (k < 0) goto usage;
        if (k) continue;
        if (!strcmp(argv[i], "--date")) {
            if (i + 1 >= argc || parse_date(argv[i + 1], strlen(argv[i + 1]), &date)) goto usage;
            i++;
        } else if (!sentence) {
            sentence = argv[i];
        } else {
            goto usage;
        }
    }
    if (!sentence) goto usage;
    diagstate ds = {0, 0, 1};
    mp_coder *c = make_coder(&o, &ds);
    if (!c) return EXIT_FATAL;
    mp_ctx *x = mp_ctx_new(c);
    if (!x) {
        mp_coder_free(c);
        return EXIT_FATAL;
    }
    mp_ctx_set_trace(x, 1);
    mp_doc d = {"explain", date, sentence, strlen(sentence)};
    docdiag dd = {"<argument>", 1, 0};
    mp_ctx_set_diag(x, on_doc_diag, &dd);
    int crc = mp_code(x, &d);
    fputs(mp_ctx_trace(x), stdout);
    printf("events: %zu\n", mp_ctx_nevents(x));
    for (size_t i = 0; i < mp_ctx_nevents(x); i++) {
        const mp_event *e = mp_ctx_event(x, i);
        printf("  %s -> %s  %s %s  verb \"%s\"  rule %s\n", e->source, e->target, e->code,
               e->cameo_name ? e->cameo_name : "", e->verb_text ? e->verb_text : "", e->rule);
    }
    mp_ctx_free(x);
    mp_coder_free(c);
    if (fflush(stdout)) return EXIT_FATAL;
    return crc == MP_OK ? 0 : crc == MP_ERR_NOMEM ? EXIT_FATAL : EXIT_REJECTED;
usage:
    fputs(USAGE, stderr);
    return EXIT_USAGE;
}

/* ---- dict check -------------------------------------------------------------------------------------- */
static int cmd_dict(int argc, char **argv) {
    if (argc < 1 || strcmp(argv[0], "check")) {
        fputs(USAGE, stderr);
        return EXIT_USAGE;
    }
    dictopts o;
    memset(&o, 0, sizeof o);
    for (int i = 1; i < argc; i++) {
        int k = dict_arg(&o, argc, argv, &i);
        if (k <= 0) {
            fputs(USAGE, stderr);
            return EXIT_USAGE;
        }
    }
    diagstate ds = {0, 0, 1};
    mp_coder *c = make_coder(&o, &ds);
    if (!c) return EXIT_FATAL;
    mp_dict_stats st;
    mp_coder_stats(c, &st);
    printf("actors: %zu (%zu names)\nagents: %zu\nverbs: %zu blocks, %zu forms, %zu patterns, %zu synsets\n"
           "discards: %zu\nissues: %zu\nproblems: %zu errors, %zu warnings\n",
           st.actors, st.actor_names, st.agents, st.verbs, st.verb_forms, st.patterns, st.synsets,
           st.discards, st.issues, st.errors, st.warnings);
    mp_coder_free(c);
    if (fflush(stdout)) return EXIT_FATAL;
    return st.errors ? (o.strict ? EXIT_FATAL : EXIT_REJECTED) : 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fputs(USAGE, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--version")) {
        printf("magpie %s\n", MP_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(USAGE, stdout);
        return 0;
    }
    if (!strcmp(cmd, "code")) return cmd_code(argc - 2, argv + 2);
    if (!strcmp(cmd, "eval")) return cmd_eval(argc - 2, argv + 2);
    if (!strcmp(cmd, "explain")) return cmd_explain(argc - 2, argv + 2);
    if (!strcmp(cmd, "dict")) return cmd_dict(argc - 2, argv + 2);
    fprintf(stderr, "magpie: unknown command '%s'\n", cmd);
    fputs(USAGE, stderr);
    return EXIT_USAGE;
}
