/*
 * acled.c -- the ACLED view of a CAMEO event.
 *
 * The table (data/acled.tsv) is copied once; each row keeps pointers into
 * the copy: its code, its condition text and the two ACLED names, all
 * NUL-terminated in place.  Conditions are checked when an event is
 * classified, by reading the condition text again: a handful of rows apply
 * to any one code, so there is nothing to gain from compiling them.
 *
 *     words=TEAR GAS|RUBBER BULLETS      a phrase of consecutive tokens
 *     nowords=...                        none of the phrases
 *     source=REB|INS   target=CVL        a 3-letter part of the actor code
 *     nosource=GOV     notarget=...      none of the parts
 *
 * Invariants: (1) every row's code is 2 to 4 digits; (2) every condition
 * clause has a known name and at least one alternative; both are checked at
 * load, so classification never meets a malformed row.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acled.h"

typedef struct {
    const char *code, *when, *type, *sub;
} row;

struct acled_table {
    char *text;
    row *rows;
    size_t n;
};

void acled_free(acled_table *t) {
    if (!t) return;
    free(t->text);
    free(t->rows);
    free(t);
}

size_t acled_rows(const acled_table *t) {
    return t ? t->n : 0;
}

static int known_clause(const char *s, size_t n) {
    static const char *const names[] = {
        "words=", "nowords=", "source=", "target=", "nosource=", "notarget="};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t l = strlen(names[i]);
        if (n > l && !strncmp(s, names[i], l)) return 1;
    }
    return 0;
}

int acled_load(const char *text, size_t len, acled_table **out, char *err, size_t errcap) {
    if (err && errcap) err[0] = 0;
    if (!out || (!text && len)) return MP_ERR_STATE;
    *out = NULL;
    acled_table *t = calloc(1, sizeof *t);
    if (!t) return MP_ERR_NOMEM;
    t->text = malloc(len + 1);
    size_t cap = 0;
    for (size_t i = 0; i < len; i++)
        cap += text[i] == '\n';
    t->rows = malloc((cap + 1) * sizeof(row));
    if (!t->text || !t->rows) {
        acled_free(t);
        return MP_ERR_NOMEM;
    }
    if (len) memcpy(t->text, text, len);
    t->text[len] = 0;
    char *p = t->text, *end = t->text + len;
    long line = 0;
    const char *why = NULL;
    while (p < end && !why) {
        char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e) e = end;
        *e = 0;
        line++;
        if (e > p && e[-1] == '\r') e[-1] = 0;
        char *f[4];
        int nf = 0;
        if (*p && *p != '#' && strncmp(p, "code\t", 5)) {
            for (char *q = p; nf < 4;) {
                f[nf++] = q;
                char *tab = strchr(q, '\t');
                if (!tab) break;
                *tab = 0;
                q = tab + 1;
            }
            size_t cl = strlen(f[0]);
            if (nf != 4 || strchr(f[3], '\t'))
                why = "a row has four tab-separated columns";
            else if (cl < 2 || cl > 4 || strspn(f[0], "0123456789") != cl)
                why = "bad CAMEO code";
            else if (!*f[2] || !*f[3])
                why = "empty ACLED type";
            else if (strcmp(f[1], "*")) {
                for (const char *c = f[1]; *c && !why;) { /* invariant 2 */
                    const char *s = strchr(c, ';');
                    size_t n = s ? (size_t)(s - c) : strlen(c);
                    const char *eq = memchr(c, '=', n);
                    if (!known_clause(c, n) || !eq || eq + 1 == c + n) why = "bad condition";
                    c += n + (s != NULL);
                }
            }
            if (!why) {
                t->rows[t->n++] = (row){f[0], f[1], f[2], f[3]};
            }
        }
        p = e + 1;
    }
    if (why) {
        if (err && errcap) snprintf(err, errcap, "line %ld: %s", line, why);
        acled_free(t);
        return MP_ERR_SYNTAX;
    }
    /* upper-case the phrase alternatives of words= and nowords= clauses */
    for (size_t i = 0; i < t->n; i++) {
        char *c = (char *)t->rows[i].when;
        while (*c) {
            char *s = strchr(c, ';');
            size_t n = s ? (size_t)(s - c) : strlen(c);
            if (!strncmp(c, "words=", 6) || !strncmp(c, "nowords=", 8))
                for (char *q = strchr(c, '=') + 1; q < c + n; q++)
                    *q = (char)toupper((unsigned char)*q);
            c += n + (s != NULL);
        }
    }
    *out = t;
    return MP_OK;
}

/* Does phrase s[0..n) (words separated by single spaces) occur in tokens
 * [first, end) of d? */
static int phrase_in(const tx_doc *d, uint32_t first, uint32_t end, const char *s, size_t n) {
    const char *pe = s + n;
    for (uint32_t i = first; i < end; i++) {
        const char *p = s;
        for (uint32_t k = i; k < end; k++) {
            const char *sp = memchr(p, ' ', (size_t)(pe - p));
            size_t wl = sp ? (size_t)(sp - p) : (size_t)(pe - p);
            const tx_token *t = &d->tok[k];
            if (t->nlen != wl || memcmp(d->normbuf + t->norm, p, wl)) break;
            if (!sp) return 1;
            p = sp + 1;
        }
    }
    return 0;
}

/* Does actor code a have a 3-letter part equal to r[0..n)? */
static int role_in(const char *a, const char *r, size_t n) {
    if (!a || n != 3) return 0;
    size_t l = strlen(a);
    for (size_t i = 0; i + 3 <= l; i += 3)
        if (!memcmp(a + i, r, 3)) return 1;
    return 0;
}

/* Does any '|'-separated alternative of v[0..n) hold? */
static int any(const char *v, size_t n, int words, const tx_doc *d, uint32_t first, uint32_t end,
               const char *actor) {
    const char *p = v, *e = v + n;
    while (p < e) {
        const char *bar = memchr(p, '|', (size_t)(e - p));
        size_t l = bar ? (size_t)(bar - p) : (size_t)(e - p);
        if (words ? (d && phrase_in(d, first, end, p, l)) : role_in(actor, p, l)) return 1;
        p += l + 1;
    }
    return 0;
}

static int holds(const char *when, const tx_doc *d, size_t sent, const char *source,
                 const char *target) {
    if (!strcmp(when, "*")) return 1;
    uint32_t first = 0, end = 0;
    if (d && sent < d->nsent) {
        first = d->sent[sent].first;
        end = first + d->sent[sent].count;
    }
    for (const char *c = when; *c;) {
        const char *s = strchr(c, ';');
        size_t n = s ? (size_t)(s - c) : strlen(c);
        const char *eq = memchr(c, '=', n);
        size_t vl = (size_t)(c + n - eq - 1);
        int neg = c[0] == 'n' && c[1] == 'o';
        const char *name = neg ? c + 2 : c;
        int r;
        if (name[0] == 'w')
            r = any(eq + 1, vl, 1, d, first, end, NULL);
        else
            r = any(eq + 1, vl, 0, NULL, 0, 0, name[0] == 's' ? source : target);
        if (r == neg) return 0;
        c += n + (s != NULL);
    }
    return 1;
}

int acled_classify(const acled_table *t, const char *code, const tx_doc *d, size_t sent,
                   const char *source, const char *target, const char **type, const char **sub) {
    if (!t || !code || !type || !sub) return 0;
    size_t cl = strlen(code);
    if (cl < 2 || cl > 4) return 0;
    /* the code itself, its three-digit parent, its root */
    size_t lens[3] = {cl, cl > 3 ? 3 : 0, cl > 2 ? 2 : 0};
    for (int level = 0; level < 3; level++) {
        size_t l = lens[level];
        if (!l) continue;
        for (size_t i = 0; i < t->n; i++) {
            const row *r = &t->rows[i];
            if (strlen(r->code) != l || strncmp(r->code, code, l)) continue;
            if (holds(r->when, d, sent, source, target)) {
                *type = r->type;
                *sub = r->sub;
                return 1;
            }
        }
    }
    return 0;
}
