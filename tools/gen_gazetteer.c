/*
 * gen_gazetteer.c -- compile the gazetteer table into the binary gazetteer.
 *
 *     gen_gazetteer IN.tsv OUT.bin
 *
 * IN.tsv is what tools/gen_gazetteer.js writes; OUT.bin is what geo_open()
 * loads (src/geo.h, docs/places.md).  The output is written to OUT.bin.tmp
 * and renamed, so that a reader never sees half a file.  Prints the counts
 * on stderr.  Exit status 0, or 1 on any error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo.h"

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0;
    if (!f) return NULL;
    for (;;) {
        if (cap - n < 65536) {
            size_t c = cap ? cap * 2 : 1 << 20;
            char *p = realloc(buf, c);
            if (!p) break;
            buf = p;
            cap = c;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0) break;
    }
    if (ferror(f) || cap - n < 65536) {
        fclose(f);
        free(buf);
        return NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv) {
    char err[200], tmp[4096];
    size_t len, size;
    void *image;
    geo_gaz *g;
    if (argc != 3) {
        fprintf(stderr, "usage: gen_gazetteer IN.tsv OUT.bin\n");
        return 1;
    }
    char *text = slurp(argv[1], &len);
    if (!text) {
        fprintf(stderr, "gen_gazetteer: %s: cannot read\n", argv[1]);
        return 1;
    }
    int rc = geo_build(text, len, &image, &size, err, sizeof err);
    free(text);
    if (rc != MP_OK) {
        fprintf(stderr, "%s:%s\n", argv[1], err[0] ? err : mp_errstr(rc));
        return 1;
    }
    if (geo_open_mem(image, size, &g) != MP_OK) { /* check what we wrote reads back */
        fprintf(stderr, "gen_gazetteer: the image does not load back\n");
        free(image);
        return 1;
    }
    fprintf(stderr, "gen_gazetteer: %zu places, %zu bytes\n", geo_nplaces(g), size);
    geo_free(g);
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", argv[2]) >= sizeof tmp) {
        free(image);
        return 1;
    }
    FILE *f = fopen(tmp, "wb");
    int ok = f && fwrite(image, 1, size, f) == size;
    if (f && fclose(f) != 0) ok = 0;
    free(image);
    if (!ok || rename(tmp, argv[2]) != 0) {
        fprintf(stderr, "gen_gazetteer: %s: cannot write\n", argv[2]);
        remove(tmp);
        return 1;
    }
    return 0;
}
