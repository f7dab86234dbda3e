/*
 * gold_geo_counts.c -- how often places and counts are right on the PLOVER
 * gold records.
 *
 *     build/gold_geo_counts GAZETTEER.bin ../shared/data/gold/plover_gsr.jsonl [-v]
 *
 * For each record that carries a location, size, dead or injured, the text
 * is segmented with tx_segment(); the place is geo_locate() of the first
 * sentence that has one, with the record's source and target codes as the
 * actors; the counts are cnt_find() of the sentence.  A place is right when
 * the gold name is one of the chosen place's names (the gazetteer's
 * geo_lookup of the gold name contains it), or contains its name as words
 * ("province of Herat"), or differs from it by one letter ("Algers"); and,
 * if the gold gives a country code, the country agrees.  A count is right
 * when its number equals the gold's, or, for gold words ("Thousands",
 * "scores"), when its text is those words.  size is compared with the
 * first count of kind size, else arrested, else any other count of people.
 * Prints one line per miss with -v and the figures; never fails.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "counts.h"
#include "geo.h"
#include "json.h"
#include "text.h"

static int verbose;

static void upper(char *o, size_t cap, const char *s, size_t n) {
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < cap; i++)
        o[k++] = (char)toupper((unsigned char)s[i]);
    o[k] = 0;
}

static int lev1(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la < 5 || lb < 5) return 0;
    if (la == lb) {
        int d = 0;
        for (size_t i = 0; i < la; i++)
            d += a[i] != b[i];
        return d <= 1;
    }
    if (la + 1 == lb) {
        const char *t = a;
        a = b;
        b = t;
        size_t x = la;
        la = lb;
        lb = x;
    }
    if (la != lb + 1) return 0;
    size_t i = 0, j = 0, skip = 0;
    while (i < la && j < lb) {
        if (a[i] == b[j])
            i++, j++;
        else if (!skip++)
            i++;
        else
            return 0;
    }
    return 1;
}

static int place_right(const geo_gaz *g, const geo_place *p, const char *gold, size_t gl,
                       const char *cc) {
    uint32_t ids[64];
    char gu[256], pu[256];
    if (cc && strcmp(cc, p->country2)) return 0;
    /* the gold name, and without a place noun before it ("province of Herat") */
    static const char *const pre[] = {"province of ", "town of ", "city of ", "the "};
    for (int k = -1; k < 4; k++) {
        const char *s = gold;
        size_t sl = gl;
        if (k >= 0) {
            size_t pl = strlen(pre[k]);
            if (gl <= pl || strncasecmp(gold, pre[k], pl)) continue;
            s += pl, sl -= pl;
        }
        long n = geo_lookup(g, s, sl, ids, 64);
        for (long i = 0; i < n && i < 64; i++)
            if (ids[i] == p->id) return 1;
    }
    upper(gu, sizeof gu, gold, gl);
    upper(pu, sizeof pu, p->name, strlen(p->name));
    const char *h = strstr(gu, pu);
    size_t pl = strlen(pu);
    if (h && (h == gu || h[-1] == ' ') && (h[pl] == 0 || h[pl] == ' ')) return 1;
    return lev1(gu, pu);
}

/* The count of kind k (or, for size, the fallbacks) in cs. */
static const cnt_count *pick(const cnt_count *cs, size_t n, int kind) {
    static const int size_order[] = {CNT_SIZE, CNT_ARRESTED, CNT_PEOPLE, CNT_CASUALTIES};
    if (kind != CNT_SIZE) {
        for (size_t i = 0; i < n; i++)
            if (cs[i].kind == kind) return &cs[i];
        return NULL;
    }
    for (size_t k = 0; k < 4; k++)
        for (size_t i = 0; i < n; i++)
            if (cs[i].kind == size_order[k]) return &cs[i];
    return NULL;
}

static int count_right(const cnt_count *c, const char *text, const char *gold) {
    if (!c) return 0;
    char *end;
    double v = strtod(gold, &end);
    if (end != gold && !*end) return c->value == (long long)v;
    char gu[128], cu[128];
    upper(gu, sizeof gu, gold, strlen(gold));
    upper(cu, sizeof cu, text + c->span.start, c->span.end - c->span.start);
    return strstr(cu, gu) != NULL;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: gold_geo_counts GAZETTEER.bin GOLD.jsonl [-v]\n");
        return 2;
    }
    verbose = argc > 3 && !strcmp(argv[3], "-v");
    geo_gaz *g;
    if (geo_open(argv[1], &g) != MP_OK) {
        fprintf(stderr, "%s: cannot load the gazetteer\n", argv[1]);
        return 2;
    }
    FILE *f = fopen(argv[2], "r");
    if (!f) {
        fprintf(stderr, "%s: cannot read\n", argv[2]);
        geo_free(g);
        return 2;
    }
    json_parser *jp = json_parser_new();
    geo_ctx *x = geo_ctx_new(g);
    cnt_ctx *cx = cnt_ctx_new();
    tx_doc d;
    tx_doc_init(&d);
    static const char *const fields[] = {"location", "size", "dead", "injured"};
    static const int kinds[] = {0, CNT_SIZE, CNT_KILLED, CNT_INJURED};
    int total[4] = {0}, right[4] = {0}, spurious[4] = {0}, none[4] = {0};
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        const jv *r = json_parse(jp, line, (size_t)n);
        if (!r) continue;
        size_t tl;
        const char *text = jv_str(jv_get(r, "text"), &tl);
        const char *id = jv_str(jv_get(r, "id"), NULL);
        if (!text || tx_segment(&d, text, tl) != 0) continue;
        const char *actors[16];
        size_t na = 0;
        for (int k = 0; k < 2; k++) {
            const jv *a = jv_get(r, k ? "target" : "source");
            for (size_t i = 0; a && a->type == JV_ARR && i < a->len && na < 16; i++)
                if (a->u.kids[i].type == JV_STR) actors[na++] = a->u.kids[i].u.s;
        }
        geo_document(x, text, tl, &d);
        geo_hints h = {actors, na, UINT32_MAX};
        geo_place p;
        int found = 0;
        for (size_t s = 0; s < d.nsent && !found; s++)
            found = geo_locate(x, s, &h, &p) == 1;
        const cnt_count *cs = NULL;
        size_t nc = 0;
        if (d.nsent) nc = cnt_find(cx, text, &d, 0, UINT32_MAX, &cs);
        for (int fi = 0; fi < 4; fi++) {
            const jv *gv = jv_get(r, fields[fi]);
            int has = gv && gv->type != JV_NULL;
            if (fi == 0) {
                if (!has) {
                    spurious[0] += found;
                    continue;
                }
                size_t gl;
                const char *gname = jv_str(jv_get(gv, "name"), &gl);
                const char *cc = jv_str(jv_get(gv, "country code"), NULL);
                total[0]++;
                int ok = found && gname && place_right(g, &p, gname, gl, cc);
                right[0] += ok;
                none[0] += !found;
                if (verbose && !ok)
                    printf("place  %-30s gold %-18s got %s (%s)\n", id, gname ? gname : "?",
                           found ? p.name : "-", found ? p.country : "");
                continue;
            }
            const cnt_count *c = pick(cs, nc, kinds[fi]);
            if (!has) {
                spurious[fi] += c != NULL;
                continue;
            }
            char gbuf[64];
            const char *gs = jv_str(gv, NULL);
            if (!gs && gv->type == JV_NUM) gs = gv->u.s;
            snprintf(gbuf, sizeof gbuf, "%s", gs ? gs : "");
            total[fi]++;
            int ok = count_right(c, text, gbuf);
            right[fi] += ok;
            none[fi] += !c;
            if (verbose && !ok)
                printf("%-6s %-30s gold %-18s got %lld \"%.*s\"\n", fields[fi], id, gbuf,
                       c ? c->value : -1, c ? (int)(c->span.end - c->span.start) : 1,
                       c ? text + c->span.start : "-");
        }
    }
    printf("%-9s %6s %6s %7s %9s %s\n", "field", "gold", "right", "share", "none",
           "found where gold has none");
    for (int fi = 0; fi < 4; fi++)
        printf("%-9s %6d %6d %6.1f%% %9d %d\n", fields[fi], total[fi], right[fi],
               total[fi] ? 100.0 * right[fi] / total[fi] : 0.0, none[fi], spurious[fi]);
    int ct = total[1] + total[2] + total[3], cr = right[1] + right[2] + right[3];
    printf("%-9s %6d %6d %6.1f%%\n", "counts", ct, cr, ct ? 100.0 * cr / ct : 0.0);
    free(line);
    fclose(f);
    tx_doc_free(&d);
    cnt_ctx_free(cx);
    geo_ctx_free(x);
    json_parser_free(jp);
    geo_free(g);
    return 0;
}
