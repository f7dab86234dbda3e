/*
 * testlib.h -- what the C test programs share: a diagnostics callback that
 * records messages ("error:actors.txt:4: missing ']'", the file as its base
 * name) so that a test can look for them; and the events of a context as
 * one sorted "SRC TGT CODE|..." string, to compare with an expected set;
 * temporary dictionary files; and the counts of passed and failed checks.
 */
#ifndef MAGPIE_TESTLIB_H
#define MAGPIE_TESTLIB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "magpie.h"

/* the test program's counts of passed and failed checks */
static int npass, nfail;

typedef struct {
    char **msg;
    size_t n, cap;
} diaglog;

static inline const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static inline void diag_cb(void *ud, mp_severity sev, const char *file, long line, const char *msg)
{
    diaglog *d = ud;
    static const char *const sevs[] = {"info", "warn", "error"};
    char buf[1200];
    snprintf(buf, sizeof buf, "%s:%s:%ld: %s", sevs[sev <= MP_ERROR ? sev : 0],
             file ? base_name(file) : "-", line, msg);
    if (d->n == d->cap) {
        size_t nc = d->cap ? 2 * d->cap : 16;
        char **p = realloc(d->msg, nc * sizeof *p);
        if (!p)
            return;
        d->msg = p;
        d->cap = nc;
    }
    char *s = strdup(buf);
    if (s)
        d->msg[d->n++] = s;
}

static inline void diag_clear(diaglog *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->msg[i]);
    d->n = 0;
}

static inline void diag_free(diaglog *d)
{
    diag_clear(d);
    free(d->msg);
    d->msg = NULL;
    d->cap = 0;
}

/* Is there a message containing a (and b, if not NULL)? */
static inline int diag_has(const diaglog *d, const char *a, const char *b)
{
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->msg[i], a) && (!b || strstr(d->msg[i], b)))
            return 1;
    return 0;
}

/* ---- sets of events as text --------------------------------------------- */
static inline int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The events of the last mp_code as a sorted "SRC TGT CODE|..." string into
 * out ("" when none). */
static inline void events_str(const mp_ctx *x, char *out, size_t cap)
{
    size_t n = mp_ctx_nevents(x);
    char **v = calloc(n ? n : 1, sizeof *v);
    out[0] = 0;
    if (!v)
        return;
    for (size_t i = 0; i < n; i++) {
        const mp_event *e = mp_ctx_event(x, i);
        char buf[200];
        snprintf(buf, sizeof buf, "%s %s %s", e->source, e->target, e->code);
        v[i] = strdup(buf);
    }
    qsort(v, n, sizeof *v, cmp_str);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int w = snprintf(out + o, cap - o, "%s%s", i ? "|" : "", v[i] ? v[i] : "?");
        if (w > 0 && (size_t)w < cap - o)
            o += (size_t)w;
        free(v[i]);
    }
    free(v);
}

/* Sort the '|'-separated items of an expected set the same way. */
static inline void norm_expect(const char *exp, char *out, size_t cap)
{
    char *tmp = strdup(exp);
    char *items[64];
    size_t n = 0;
    out[0] = 0;
    if (!tmp)
        return;
    for (char *s = strtok(tmp, "|"); s && n < 64; s = strtok(NULL, "|"))
        items[n++] = s;
    qsort(items, n, sizeof *items, cmp_str);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int w = snprintf(out + o, cap - o, "%s%s", i ? "|" : "", items[i]);
        if (w > 0 && (size_t)w < cap - o)
            o += (size_t)w;
    }
    free(tmp);
}

/* ---- temporary files ------------------------------------------------------- */
static char tmpdir[64];
static char *tmpfiles[64];
static size_t ntmpfiles;

/* Write text to tmpdir/name; returns the path (owned by the file list). */
static inline const char *write_file(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        printf("FAIL: cannot create %s\n", path);
        nfail++;
        return "/nonexistent";
    }
    size_t n = strlen(text);
    int bad = fwrite(text, 1, n, f) != n;
    bad |= fclose(f) != 0;
    if (bad) {
        printf("FAIL: cannot write %s\n", path);
        nfail++;
    }
    for (size_t i = 0; i < ntmpfiles; i++)
        if (!strcmp(tmpfiles[i], path))
            return tmpfiles[i];
    if (ntmpfiles == sizeof tmpfiles / sizeof tmpfiles[0])
        return "/nonexistent";
    tmpfiles[ntmpfiles] = strdup(path);
    return tmpfiles[ntmpfiles] ? tmpfiles[ntmpfiles++] : "/nonexistent";
}

static inline void remove_files(void)
{
    for (size_t i = 0; i < ntmpfiles; i++) {
        if (unlink(tmpfiles[i]) != 0)
            printf("note: cannot remove %s\n", tmpfiles[i]);
        free(tmpfiles[i]);
    }
    ntmpfiles = 0;
    if (tmpdir[0] && rmdir(tmpdir) != 0)
        printf("note: cannot remove %s\n", tmpdir);
}

/* 1-based number of the line of text holding needle, 0 if none. */
static inline long line_of(const char *text, const char *needle)
{
    const char *p = strstr(text, needle);
    if (!p)
        return 0;
    long n = 1;
    for (const char *q = text; q < p; q++)
        n += *q == '\n';
    return n;
}

#endif
