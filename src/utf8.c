/*
 * utf8.c -- validate UTF-8 and repair what is broken.
 *
 * Documents reach the coder from outside (JSON lines, plain text files) and
 * may carry bytes that are not UTF-8: Latin-1 from old wire feeds, text cut
 * in the middle of a character, stray NULs.  Everything downstream (the
 * tokenizer, the byte spans in events, the JSON writer) assumes valid UTF-8
 * without NULs, so this is the single place where that is made true.
 *
 * There is no data structure beyond the byte string.  The work is a scan:
 *
 *     s:  [ ASCII ... ASCII | multi-byte | ASCII ... | bad | ... ]
 *           8 bytes at a time   utf8_seq()              first_bad
 *
 * Plain ASCII is checked a 64-bit word at a time (a word is plain when no
 * byte has its high bit set and, for repair, no byte is zero); only words
 * that contain something else drop to a byte loop, and only non-ASCII lead
 * bytes go through utf8_seq() from utf8.h, which is shared with the JSON
 * parser so both agree on what is valid.
 *
 * Repair is two passes over the tail from the first problem: the first
 * counts the output size exactly, the second writes it, so the copy is one
 * allocation of the right size.
 */
#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ONES UINT64_C(0x0101010101010101)
#define HIGH UINT64_C(0x8080808080808080)

static uint64_t load8(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, 8); /* unaligned-safe; compiles to one load */
    return w;
}

size_t utf8_valid_prefix(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        while (len - i >= 8 && (load8(p + i) & HIGH) == 0)
            i += 8;
        if (i >= len)
            break;
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        int k = utf8_seq(p + i, len - i);
        if (k < 0)
            return i;
        i += (size_t)k;
    }
    return i;
}

/* Offset of the first byte that is NUL or starts an invalid sequence, or len. */
static size_t first_problem(const unsigned char *p, size_t len)
{
    size_t i = 0;

    while (i < len) {
        while (len - i >= 8) {
            uint64_t w = load8(p + i);
            /* nonzero iff some byte is >= 0x80 or some byte is zero */
            if (((w | ((w - ONES) & ~w)) & HIGH) != 0)
                break;
            i += 8;
        }
        if (i >= len)
            break;
        if (p[i] == 0)
            return i;
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        int k = utf8_seq(p + i, len - i);
        if (k < 0)
            return i;
        i += (size_t)k;
    }
    return len;
}

/* Walk s[from..len) and, if dst is non-NULL, write the repaired bytes there.
 * Returns the repaired length of that tail; *repairs counts substitutions. */
static size_t repair_tail(const unsigned char *p, size_t from, size_t len, unsigned char *dst,
                          size_t *repairs)
{
    size_t i = from, o = 0, n = 0;

    while (i < len) {
        unsigned c = p[i];
        if (c == 0) {
            if (dst)
                dst[o] = ' ';
            o++, i++, n++;
        } else if (c < 0x80) {
            if (dst)
                dst[o] = (unsigned char)c;
            o++, i++;
        } else {
            int k = utf8_seq(p + i, len - i);
            if (k > 0) {
                if (dst)
                    memcpy(dst + o, p + i, (size_t)k);
                o += (size_t)k;
                i += (size_t)k;
            } else {
                if (dst)
                    memcpy(dst + o, "\xEF\xBF\xBD", 3);
                o += 3;
                i += (size_t)-k;
                n++;
            }
        }
    }
    *repairs = n;
    return o;
}

size_t utf8_repair(const char *s, size_t len, char **out, size_t *outlen, size_t *first_bad)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t bad = first_problem(p, len);

    if (bad == len)
        return 0;
    *first_bad = bad;

    /* Each input byte becomes at most 3 output bytes; refuse sizes where the
     * count itself could overflow. */
    if (len - bad > (SIZE_MAX - bad - 1) / 3)
        return (size_t)-1;

    size_t repairs;
    size_t tail = repair_tail(p, bad, len, NULL, &repairs);
    size_t total = bad + tail;
    unsigned char *buf = malloc(total + 1);
    if (!buf)
        return (size_t)-1;
    memcpy(buf, p, bad);
    repair_tail(p, bad, len, buf + bad, &repairs);
    buf[total] = 0;
    *out = (char *)buf;
    *outlen = total;
    return repairs;
}
