/*
 * magpie.c -- the command line: code, explain, dict check (the shared
 * pieces are in common.c, eval in eval.c, the event store in store.c).
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
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"


static const char USAGE[] =
    "usage: magpie code [DICT OPTIONS] [--format jsonl|tsv|gdelt] [--text] [--stats] [FILE|-]...\n"
    "       magpie eval GOLD.jsonl... [DICT OPTIONS] [-v] [--id ID] [--corpus FILE [--sample N]]\n"
    "       magpie explain [DICT OPTIONS] [--date YYYYMMDD] \"SENTENCE\"\n"
    "       magpie dict check|stats [DICT OPTIONS]\n"
    "       magpie dict suggest [DICT OPTIONS] [--top N] CORPUS.jsonl\n"
    "       magpie ingest --db FILE [DICT OPTIONS] [--coded] [--window DAYS] [FILE|-]...\n"
    "       magpie query --db FILE [FILTERS] [--mentions] [--format jsonl|csv|tsv]\n"
    "       magpie stats --db FILE [--by KEY[,KEY]] [FILTERS]\n"
    "       magpie export --db FILE --format gdelt|gdelt-mentions|plover|csv [FILTERS]\n"
    "       magpie --version | --help\n"
    "\n"
    "DICT OPTIONS (a kind given here replaces the built-in dictionary of that kind):\n"
    "  --actors F   --agents F   --verbs F   --discards F   --issues F   (repeatable)\n"
    "  --options F  coder options file (name = value lines)\n"
    "  --set NAME=VALUE  one coder option: require_dyad, new_actor_length, comma_min,\n"
    "               comma_max, comma_bmin, comma_bmax, comma_emin, comma_emax, max_tokens\n"
    "  --strict     a broken dictionary line is an error (exit 3)\n"
    "  --gazetteer F  places from this gazetteer (default: $MAGPIE_GAZETTEER, else\n"
    "               gazetteer.bin beside the magpie binary, if there); --no-gazetteer\n"
    "\n"
    "Input of `code`: JSON lines {\"id\", \"date\" (YYYYMMDD or YYYY-MM-DD), \"text\"};\n"
    "with --text each FILE is one plain-text document.\n"
    "Exit status: 0 ok, 1 some input rejected or repaired, 2 usage, 3 fatal.\n";

typedef struct {
    mp_ctx *x;
    outfmt fmt;
    jbuf out;
    int status;
    size_t docs, sentences, events, rejected;
    int progress;  /* stderr is a terminal: show progress */
} coderun;


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

static int code_doc(void *ud, mp_doc *d, docdiag *dd, const jv *record) {
    (void)record;
    return code_one(ud, d, dd);
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
            else if (!strcmp(f, "gdelt"))
                cr.fmt = FMT_GDELT;
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
        if (read_docs(f, name, text_mode, code_doc, &cr, &cr.status, &cr.rejected) ||
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
/* ---- dict check | stats | suggest ------------------------------------------------------------------ */
/* dict stats: the counts, then which CAMEO codes the verbs reach and which not. */
static void print_coverage(const mp_coder *c) {
    char code[16];
    size_t used = 0, total = 0, roots[21] = {0}, rootn[21] = {0};
    char *missing = NULL;
    size_t mlen = 0, mcap = 0;
    for (size_t i = 0; mp_cameo_code(i, code, sizeof code); i++) {
        if (strlen(code) < 3) continue;  /* the two-digit roots name groups */
        int r = (code[0] - '0') * 10 + (code[1] - '0');
        total++;
        if (r >= 1 && r <= 20) rootn[r]++;
        if (mp_coder_uses_code(c, code)) {
            used++;
            if (r >= 1 && r <= 20) roots[r]++;
        } else {
            size_t l = strlen(code) + 1;
            if (mlen + l + 1 > mcap) {
                size_t nc = mcap ? mcap * 2 : 1024;
                char *m = realloc(missing, nc);
                if (!m) break;
                missing = m;
                mcap = nc;
            }
            memcpy(missing + mlen, code, l - 1);
            missing[mlen + l - 1] = ' ';
            mlen += l;
        }
    }
    printf("codes covered: %zu of %zu CAMEO codes\nby root:", used, total);
    for (int r = 1; r <= 20; r++) printf(" %02d:%zu/%zu", r, roots[r], rootn[r]);
    printf("\ncodes missing: %.*s\n", (int)mlen, missing ? missing : "");
    free(missing);
}

typedef struct {
    char *name;
    char *example;
    size_t count;
} suggestion;

static int cmp_name(const void *a, const void *b) {
    return strcmp(((const suggestion *)a)->name, ((const suggestion *)b)->name);
}
static int cmp_count(const void *a, const void *b) {
    const suggestion *x = a, *y = b;
    if (x->count != y->count) return x->count < y->count ? 1 : -1;
    return strcmp(x->name, y->name);
}

typedef struct {
    mp_ctx *x;
    suggestion *s;
    size_t n, cap;
} suggestrun;

/* Record every unknown name of one document, with its sentence. */
static int suggest_doc(void *ud, mp_doc *d, docdiag *dd, const jv *record) {
    suggestrun *sr = ud;
    (void)record;
    mp_ctx_set_diag(sr->x, on_doc_diag, dd);
    if (mp_code(sr->x, d) == MP_ERR_NOMEM) return -1;
    size_t tl;
    const char *text = mp_ctx_text(sr->x, &tl);
    for (size_t i = 0; i < mp_ctx_nnames(sr->x); i++) {
        int sent;
        mp_span sp = mp_ctx_name(sr->x, i, &sent);
        if (sr->n == sr->cap) {
            size_t nc = sr->cap ? sr->cap * 2 : 4096;
            suggestion *ns = realloc(sr->s, nc * sizeof *ns);
            if (!ns) return -1;
            sr->s = ns;
            sr->cap = nc;
        }
        suggestion *g = &sr->s[sr->n];
        g->name = strndup(text + sp.start, sp.end - sp.start);
        g->example = NULL;
        g->count = 1;
        if (!g->name) return -1;
        /* its sentence, as an example (cut at 300 bytes) */
        mp_span ss = mp_ctx_sentence(sr->x, (size_t)sent);
        size_t sl = ss.end - ss.start;
        g->example = strndup(text + ss.start, sl < 300 ? sl : 300);
        for (char *q = g->example; q && *q; q++)
            if (*q == '\n' || *q == '\t' || *q == '\r') *q = ' ';
        if (!g->example) return -1;
        sr->n++;
    }
    return 0;
}

static int cmd_suggest(dictopts *o, const char *corpus, size_t top) {
    diagstate ds = {0, 0, 1};
    mp_coder *c = make_coder(o, &ds);
    if (!c) return EXIT_FATAL;
    suggestrun sr = {mp_ctx_new(c), NULL, 0, 0};
    FILE *f = !strcmp(corpus, "-") ? stdin : fopen(corpus, "rb");
    int status = 0, ret = 0;
    size_t rejected = 0;
    if (!sr.x || !f) {
        if (!f) fprintf(stderr, "%s: error: cannot open: %s\n", corpus, strerror(errno));
        ret = EXIT_FATAL;
        goto done;
    }
    mp_ctx_set_collect_names(sr.x, 1);
    if (read_docs(f, corpus, 0, suggest_doc, &sr, &status, &rejected)) {
        fprintf(stderr, "magpie: out of memory\n");
        ret = EXIT_FATAL;
        goto done;
    }
    /* count equal names, keep the first example of each */
    qsort(sr.s, sr.n, sizeof *sr.s, cmp_name);
    size_t u = 0;
    for (size_t i = 0; i < sr.n; i++) {
        if (u && !strcmp(sr.s[u - 1].name, sr.s[i].name)) {
            sr.s[u - 1].count++;
            free(sr.s[i].name);
            free(sr.s[i].example);
        } else {
            sr.s[u++] = sr.s[i];
        }
    }
    qsort(sr.s, u, sizeof *sr.s, cmp_count);
    printf("count\tname\texample\n");
    for (size_t i = 0; i < u && i < top; i++)
        printf("%zu\t%s\t%s\n", sr.s[i].count, sr.s[i].name, sr.s[i].example);
    for (size_t i = 0; i < u; i++) {
        free(sr.s[i].name);
        free(sr.s[i].example);
    }
    sr.n = 0;
    ret = status;
done:
    for (size_t i = 0; i < sr.n; i++) {
        free(sr.s[i].name);
        free(sr.s[i].example);
    }
    free(sr.s);
    if (f && f != stdin) fclose(f);
    mp_ctx_free(sr.x);
    mp_coder_free(c);
    if (fflush(stdout)) return EXIT_FATAL;
    return ret;
}

static int cmd_dict(int argc, char **argv) {
    if (argc < 1 || (strcmp(argv[0], "check") && strcmp(argv[0], "stats") && strcmp(argv[0], "suggest"))) {
        fputs(USAGE, stderr);
        return EXIT_USAGE;
    }
    dictopts o;
    memset(&o, 0, sizeof o);
    const char *corpus = NULL;
    size_t top = 100;
    for (int i = 1; i < argc; i++) {
        int k = dict_arg(&o, argc, argv, &i);
        if (k > 0) continue;
        if (k == 0 && !strcmp(argv[0], "suggest") && !strcmp(argv[i], "--top") && i + 1 < argc) {
            top = (size_t)strtoul(argv[++i], NULL, 10);
            continue;
        }
        if (k == 0 && !strcmp(argv[0], "suggest") && !corpus && (argv[i][0] != '-' || !argv[i][1])) {
            corpus = argv[i];
            continue;
        }
        fputs(USAGE, stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[0], "suggest")) {
        if (!corpus) {
            fputs(USAGE, stderr);
            return EXIT_USAGE;
        }
        return cmd_suggest(&o, corpus, top);
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
    if (!strcmp(argv[0], "stats")) print_coverage(c);
    mp_coder_free(c);
    if (fflush(stdout)) return EXIT_FATAL;
    return st.errors ? (o.strict ? EXIT_FATAL : EXIT_REJECTED) : 0;
}

int main(int argc, char **argv) {
#ifdef __GLIBC__
    /* Loading dictionaries grows many large tables: keep them on the heap and
     * keep freed memory for reuse, rather than mapping fresh pages each time
     * (measured: fewer page faults, a faster load). */
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
#endif
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
    if (!strcmp(cmd, "ingest")) return cmd_ingest(argc - 2, argv + 2);
    if (!strcmp(cmd, "query")) return cmd_query(argc - 2, argv + 2);
    if (!strcmp(cmd, "stats")) return cmd_stats(argc - 2, argv + 2);
    if (!strcmp(cmd, "export")) return cmd_export(argc - 2, argv + 2);
    fprintf(stderr, "magpie: unknown command '%s'\n", cmd);
    fputs(USAGE, stderr);
    return EXIT_USAGE;
}
