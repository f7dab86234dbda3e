/*
 * testlib.h -- what the C test programs share: a diagnostics callback that
 * records messages ("error:actors.txt:4: missing ']'", the file as its base
 * name) so that a test can look for them.
 */
#ifndef MAGPIE_TESTLIB_H
#define MAGPIE_TESTLIB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "magpie.h"

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

#endif
