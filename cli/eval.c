/*
 * eval.c -- `magpie eval`: score the coder on gold files, and on a corpus.
 *
 * Three kinds of gold record are understood, each by its fields:
 *   - PETRARCH validation records (`expected` [{source, target, code}],
 *     `options`, `evaluate`): the events must be exactly the expected set,
 *     with the record's coder options applied;
 *   - CAMEO manual examples (`code`): some event with the right root passes,
 *     exact codes are counted too;
 *   - PLOVER records (`plover_event`): the first event's PLOVER type, through
 *     data/cameo_plover.tsv, must be right; places and counts are scored
 *     where the record gives them.
 * Several gold files may be given: each gets its own figures and `score:`
 * line, and the last line, `N passed, N failed`, adds them up.
 *
 * `--corpus FILE` codes a corpus of news with the same dictionaries and
 * prints events per 1,000 sentences, the measure of how many events the
 * dictionaries find in ordinary (mostly non-political) news, and with
 * `--sample N` N of those events drawn at random (a fixed seed, so the same
 * sample comes back) to be read by a person: precision is judged by reading.
 * The time to load the dictionaries is printed first.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char EVAL_USAGE[] =
    "usage: magpie eval GOLD.jsonl... [DICT OPTIONS] [-v] [--id ID] [--corpus FILE [--sample N]]\n";

typedef struct {
    char s[3][64];
} triple;

static int cmp_triple(const void *a, const void *b) { return memcmp(a, b, sizeof(triple)); }

static void print_triples(const triple *t, size_t n) {
    printf("[");
    for (size_t i = 0; i < n; i++) printf("%s%s %s %s", i ? ", " : "", t[i].s[0], t[i].s[1], t[i].s[2]);
    printf("]");
}

/* Scores of records judged on the event type only. */
typedef struct {
    size_t cameo, root_ok, exact_ok, any;      /* CAMEO manual examples */
    size_t plover, plover_ok, plover_any;      /* PLOVER gold standard */
    size_t place, place_ok;                    /* ... records with a place, */
    size_t count[3], count_ok[3];              /* ... with size, dead, injured */
} typescore;

/* Equal ignoring ASCII case. */
static int same_name(const char *a, size_t al, const char *b, size_t bl) {
    if (al != bl) return 0;
    for (size_t i = 0; i < al; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = (char)(x + 32);
        if (y >= 'A' && y <= 'Z') y = (char)(y + 32);
        if (x != y) return 0;
    }
    return 1;
}

/* The gold sometimes names a place with its kind ("town of Rafah",
 * "province of Herat", "Jaffna peninsula"); the place itself is the rest.
 * Sets *len to the length of that core and returns where it starts. */
static const char *core_name(const char *name, size_t *len) {
    static const char *const before[] = {"town of ", "city of ", "village of ", "province of ",
                                         "region of ", "district of "};
    static const char *const after[] = {" province", " peninsula", " region", " district"};
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof before / sizeof *before; i++) {
        size_t k = strlen(before[i]);
        if (n > k && same_name(name, k, before[i], k)) {
            name += k;
            n -= k;
            break;
        }
    }
    for (size_t i = 0; i < sizeof after / sizeof *after; i++) {
        size_t k = strlen(after[i]);
        if (n > k && same_name(name + n - k, k, after[i], k)) {
            n -= k;
            break;
        }
    }
    *len = n;
    return name;
}

/* PLOVER records that give a place, a size, the dead or the injured: does
 * the first event with a place (or with counts) say the same?  A place is
 * right when the words that named it, or its name, are the gold name, or
 * the gold name without a kind of place around it (core_name). */
static void score_where(const mp_ctx *x, const jv *rec, const char *text, typescore *ts) {
    const char *gname = jv_str(jv_get(jv_get(rec, "location"), "name"), NULL);
    size_t ng = mp_ctx_nevents(x);
    if (gname) {
        int ok = 0;
        size_t gl;
        const char *gcore = core_name(gname, &gl);
        ts->place++;
        for (size_t i = 0; i < ng && !ok; i++) {
            const mp_place *p = &mp_ctx_event(x, i)->location;
            if (p->precision == MP_PLACE_NONE) continue;
            const char *said = text + p->span.start;
            size_t sl = p->span.end - p->span.start;
            ok = same_name(gname, strlen(gname), p->name, strlen(p->name)) ||
                 same_name(gname, strlen(gname), said, sl) ||
                 same_name(gcore, gl, p->name, strlen(p->name)) || same_name(gcore, gl, said, sl);
            break;  /* the first event that has a place */
        }
        ts->place_ok += ok;
    }
    static const char *fields[3] = {"size", "dead", "injured"};
    for (int k = 0; k < 3; k++) {
        /* the gold gives a number ("100", 100) or words ("Thousands") */
        const jv *g = jv_get(rec, fields[k]);
        size_t wl = 0;
        const char *words = jv_str(g, &wl);
        if (jv_typeof(g) != JV_NUM && !words) continue;
        char *end = NULL;
        long long want = jv_typeof(g) == JV_NUM ? (long long)jv_num(g) : strtoll(words, &end, 10);
        if (words && (!end || *end)) want = -1;  /* words, not a number */
        const mp_quantity *got = NULL;
        long long dead = -1;
        for (size_t i = 0; i < ng && !got && dead < 0; i++) {
            const mp_event *e = mp_ctx_event(x, i);
            if (k == 1) {
                dead = e->fatalities;
                continue;
            }
            for (size_t q = 0; q < e->nquantities && !got; q++) {
                const char *kind = e->quantities[q].kind;
                if (k == 0 ? (!strcmp(kind, "size") || !strcmp(kind, "arrested") || !strcmp(kind, "people"))
                           : !strcmp(kind, "injured"))
                    got = &e->quantities[q];
            }
        }
        int ok;
        if (k == 1)
            ok = want >= 0 && dead == want;
        else if (!got)
            ok = 0;
        else if (want >= 0)
            ok = got->value == want;
        else
            ok = same_name(words, wl, text + got->span.start, got->span.end - got->span.start);
        ts->count[k]++;
        ts->count_ok[k] += ok;
    }
}

static double pct(size_t a, size_t b) { return b ? 100.0 * (double)a / (double)b : 0.0; }

/* A CAMEO example passes when some event has the record's root (exact codes
 * are counted too); a PLOVER record when the first event's PLOVER type is the
 * record's.  Prints a FAIL line otherwise. */
static int score_type(const mp_ctx *x, const char *id, const char *want_code,
                      const char *want_plover, typescore *ts) {
    size_t ng = mp_ctx_nevents(x);
    if (want_code) {
        int root = 0, exact = 0;
        for (size_t i = 0; i < ng; i++) {
            const char *g = mp_ctx_event(x, i)->code;
            if (!strncmp(g, want_code, 2)) root = 1;
            if (!strcmp(g, want_code)) exact = 1;
        }
        ts->cameo++;
        ts->root_ok += root;
        ts->exact_ok += exact;
        ts->any += ng > 0;
        if (!root) {
            printf("FAIL %s: expected code %s got [", id, want_code);
            for (size_t i = 0; i < ng; i++) printf("%s%s", i ? " " : "", mp_ctx_event(x, i)->code);
            printf("]\n");
        }
        return root;
    }
    const char *type = "", *mode;
    size_t tlen = 0, mlen;
    ts->plover++;
    if (ng) {
        ts->plover_any++;
        if (!mp_plover_lookup(mp_ctx_event(x, 0)->code, &type, &tlen, &mode, &mlen)) tlen = 0;
    }
    int ok = tlen == strlen(want_plover) && !memcmp(type, want_plover, tlen);
    ts->plover_ok += ok;
    if (!ok)
        printf("FAIL %s: expected %s got %.*s (%s)\n", id, want_plover, (int)tlen, type,
               ng ? mp_ctx_event(x, 0)->code : "no event");
    return ok;
}

/* Score one gold file; adds to *pass and *fail and prints the file's
 * figures.  Returns the exit status for the file (0, EXIT_REJECTED or
 * EXIT_FATAL when it cannot be read). */
static int eval_file(mp_ctx *x, const char *gold, const char *only, int verbose, size_t *tpass,
                     size_t *tfail) {
    FILE *f = fopen(gold, "rb");
    if (!f) {
        fprintf(stderr, "%s: error: cannot open: %s\n", gold, strerror(errno));
        return EXIT_FATAL;
    }
    docreader r = {0};
    r.jp = json_parser_new();
    long lineno = 0;
    size_t pass = 0, fail = 0, skipped = 0;
    int status = 0;
    triple *exp = NULL, *got = NULL;
    size_t ecap = 0, gcap = 0;
    typescore ts = {0};
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
        /* CAMEO manual examples ("code") and PLOVER records ("plover_event")
         * are scored on the event type alone */
        const char *want_code = jv_str(jv_get(root, "code"), NULL);
        const char *want_plover = jv_str(jv_get(root, "plover_event"), NULL);
        if (!jv_get(root, "expected") && (want_code || want_plover)) {
            int ok = score_type(x, id, want_code, want_plover, &ts);
            if (want_plover) score_where(x, root, text, &ts);
            pass += ok;
            fail += !ok;
            if (!ok && verbose) printf("  text: %s\n%s", text, mp_ctx_trace(x));
            if (ok && only) printf("PASS %s\n  text: %s\n%s", id, text, mp_ctx_trace(x));
            continue;
        }
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
    if (ts.cameo)
        printf("cameo examples: right root in %zu of %zu (%.1f%%), exact code in %zu (%.1f%%), "
               "an event at all in %zu (%.1f%%)\n",
               ts.root_ok, ts.cameo, pct(ts.root_ok, ts.cameo), ts.exact_ok, pct(ts.exact_ok, ts.cameo),
               ts.any, pct(ts.any, ts.cameo));
    if (ts.plover)
        printf("plover: first event's type right in %zu of %zu (%.1f%%), an event at all in %zu (%.1f%%)\n",
               ts.plover_ok, ts.plover, pct(ts.plover_ok, ts.plover), ts.plover_any,
               pct(ts.plover_any, ts.plover));
    if (ts.place)
        printf("places: right in %zu of %zu records that give one (%.1f%%)\n", ts.place_ok,
               ts.place, pct(ts.place_ok, ts.place));
    if (ts.count[0] + ts.count[1] + ts.count[2]) {
        size_t n = ts.count[0] + ts.count[1] + ts.count[2];
        size_t k = ts.count_ok[0] + ts.count_ok[1] + ts.count_ok[2];
        printf("counts: right in %zu of %zu (%.1f%%): size %zu/%zu, dead %zu/%zu, injured %zu/%zu\n", k,
               n, pct(k, n), ts.count_ok[0], ts.count[0], ts.count_ok[1], ts.count[1], ts.count_ok[2],
               ts.count[2]);
    }
    printf("score: %zu of %zu scored records pass (%.1f%%), %zu not scored\n", pass, pass + fail,
           pct(pass, pass + fail), skipped);
    *tpass += pass;
    *tfail += fail;
    return status;
}

/* ---- a corpus: events per 1,000 sentences, and a sample to read ---- */
typedef struct {
    mp_ctx *x;
    size_t docs, sents, events, seen, nsample;
    char **sample;           /* reservoir of nsample formatted events */
    unsigned long long rng;  /* xorshift state; fixed seed */
} corpusrun;

static unsigned long long next_rand(corpusrun *cr) {
    cr->rng ^= cr->rng << 13;
    cr->rng ^= cr->rng >> 7;
    cr->rng ^= cr->rng << 17;
    return cr->rng;
}

/* One event as a line a person can judge: who, whom, code, the verb and
 * the sentence. */
static char *event_line(mp_ctx *x, const mp_event *e) {
    size_t tl;
    const char *text = mp_ctx_text(x, &tl);
    size_t sl = e->sentence.end - e->sentence.start;
    if (sl > 400) sl = 400;
    size_t need = strlen(e->doc_id) + strlen(e->source) + strlen(e->target) + strlen(e->code) +
                  (e->verb_text ? strlen(e->verb_text) : 0) + sl + 32;
    char *s = malloc(need);
    if (!s) return NULL;
    int n = snprintf(s, need, "%s %s %s %s \"%s\" | ", e->doc_id, e->source, e->target, e->code,
                     e->verb_text ? e->verb_text : "");
    memcpy(s + n, text + e->sentence.start, sl);
    s[n + (int)sl] = 0;
    for (char *q = s; *q; q++)
        if (*q == '\n' || *q == '\r' || *q == '\t') *q = ' ';
    return s;
}

static int corpus_doc(void *ud, mp_doc *d, docdiag *dd, const jv *record) {
    corpusrun *cr = ud;
    (void)record;
    mp_ctx_set_diag(cr->x, on_doc_diag, dd);
    if (mp_code(cr->x, d) == MP_ERR_NOMEM) return -1;
    size_t ne = mp_ctx_nevents(cr->x);
    cr->docs++;
    cr->sents += mp_ctx_nsentences(cr->x);
    cr->events += ne;
    for (size_t i = 0; i < ne && cr->nsample; i++, cr->seen++) {
        /* reservoir sampling: every event has the same chance to stay */
        size_t k = cr->seen < cr->nsample ? cr->seen : (size_t)(next_rand(cr) % (cr->seen + 1));
        if (k >= cr->nsample) continue;
        char *line = event_line(cr->x, mp_ctx_event(cr->x, i));
        if (!line) return -1;
        free(cr->sample[k]);
        cr->sample[k] = line;
    }
    return 0;
}

static int eval_corpus(mp_ctx *x, const char *corpus, size_t nsample) {
    FILE *f = fopen(corpus, "rb");
    if (!f) {
        fprintf(stderr, "%s: error: cannot open: %s\n", corpus, strerror(errno));
        return EXIT_FATAL;
    }
    corpusrun cr = {x, 0, 0, 0, 0, nsample, NULL, 0x9e3779b97f4a7c15ull};
    if (nsample && !(cr.sample = calloc(nsample, sizeof *cr.sample))) {
        fclose(f);
        return EXIT_FATAL;
    }
    int status = 0, rc;
    size_t rejected = 0;
    mp_ctx_reset_options(x);
    rc = read_docs(f, corpus, 0, corpus_doc, &cr, &status, &rejected);
    fclose(f);
    if (!rc) {
        printf("corpus %s: %zu documents, %zu sentences, %zu events, %.1f events per 1,000 "
               "sentences\n",
               corpus, cr.docs, cr.sents, cr.events,
               cr.sents ? 1000.0 * (double)cr.events / (double)cr.sents : 0.0);
        size_t shown = cr.seen < nsample ? cr.seen : nsample;
        for (size_t i = 0; i < shown; i++) printf("sample %zu: %s\n", i + 1, cr.sample[i]);
    }
    for (size_t i = 0; i < nsample; i++) free(cr.sample[i]);
    free(cr.sample);
    return rc ? EXIT_FATAL : status;
}

int cmd_eval(int argc, char **argv) {
    dictopts o;
    memset(&o, 0, sizeof o);
    const char *only = NULL, *corpus = NULL;
    const char **golds = calloc((size_t)argc + 1, sizeof *golds);
    size_t ngold = 0, nsample = 0;
    int verbose = 0;
    if (!golds) return EXIT_FATAL;
    for (int i = 0; i < argc; i++) {
        int k = dict_arg(&o, argc, argv, &i);
        if (k < 0) goto usage;
        if (k) continue;
        if (!strcmp(argv[i], "-v")) verbose = 1;
        else if (!strcmp(argv[i], "--id") && i + 1 < argc) only = argv[++i], verbose = 1;
        else if (!strcmp(argv[i], "--corpus") && i + 1 < argc) corpus = argv[++i];
        else if (!strcmp(argv[i], "--sample") && i + 1 < argc) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 0 || v > 100000) goto usage;
            nsample = (size_t)v;
        } else if (argv[i][0] == '-' && argv[i][1]) goto usage;
        else golds[ngold++] = argv[i];
    }
    if (!ngold && !corpus) goto usage;
    if (nsample && !corpus) goto usage;
    diagstate ds = {0, 0, 1};
    double t0 = now();
    mp_coder *c = make_coder(&o, &ds);
    if (!c) {
        free(golds);
        return EXIT_FATAL;
    }
    double t1 = now();
    mp_ctx *x = mp_ctx_new(c);
    if (!x) {
        mp_coder_free(c);
        free(golds);
        return EXIT_FATAL;
    }
    if (ngold > 1 || corpus) printf("load: dictionaries ready in %.3f s\n", t1 - t0);
    size_t pass = 0, fail = 0;
    int status = 0;
    for (size_t g = 0; g < ngold; g++) {
        if (ngold > 1) printf("== %s\n", golds[g]);
        int rc = eval_file(x, golds[g], only, verbose, &pass, &fail);
        if (rc > status) status = rc;
    }
    if (corpus) {
        if (ngold) printf("== %s\n", corpus);
        int rc = eval_corpus(x, corpus, nsample);
        if (rc > status) status = rc;
    }
    mp_ctx_free(x);
    mp_coder_free(c);
    free(golds);
    if (ngold) printf("%zu passed, %zu failed\n", pass, fail);
    if (fflush(stdout)) return EXIT_FATAL;
    return status;
usage:
    free(golds);
    fputs(EVAL_USAGE, stderr);
    return EXIT_USAGE;
}
