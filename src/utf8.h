/*
 * utf8.h -- UTF-8 validation and repair.
 *
 * Validity follows RFC 3629 / Unicode chapter 3 exactly: no overlong forms,
 * no surrogates (U+D800..U+DFFF, i.e. ED A0..ED BF), nothing above U+10FFFF.
 * Repair replaces each "maximal subpart of an ill-formed subsequence" with
 * one U+FFFD -- the Unicode recommended practice, also what WHATWG encoders
 * and Python's errors="replace" do -- so "E2 82 41" becomes FFFD 'A' and
 * "ED A0 80" becomes three FFFDs.
 */
#ifndef MAGPIE_UTF8_H
#define MAGPIE_UTF8_H

#include <stddef.h>

/* Length in bytes of the longest valid UTF-8 prefix of s[0..len).  NUL bytes
 * are valid UTF-8 and do not stop the scan.  s is borrowed. */
size_t utf8_valid_prefix(const char *s, size_t len);

/* Validate s[0..len) and, if needed, make a repaired copy in which each
 * maximal invalid subsequence is replaced by U+FFFD (EF BF BD) and each NUL
 * byte by a space.
 *
 * Returns the number of repairs.  0 means the text was fine and the out
 * parameters are untouched.  Otherwise *out is a malloc'd copy (ownership
 * transferred: the caller frees it), NUL-terminated for convenience, of
 * length *outlen, and *first_bad is the byte offset in s of the first
 * problem.  Returns (size_t)-1 if the copy could not be allocated (*out and
 * *outlen untouched, *first_bad set). */
size_t utf8_repair(const char *s, size_t len, char **out /* OUT */, size_t *outlen /* OUT */,
                   size_t *first_bad /* OUT */);

/* The sequence starting at p (avail >= 1 bytes available): returns its
 * length 1..4 if it is a valid UTF-8 character, or -k if it is ill-formed,
 * where k >= 1 is the length of the maximal subpart to replace.  Shared with
 * json.c so that the parser and the repairer agree byte for byte; it is
 * inline because it sits in hot loops (only reached on non-ASCII bytes). */
static inline int utf8_seq(const unsigned char *p, size_t avail)
{
    unsigned c = p[0], lo = 0x80, hi = 0xBF;
    int need;

    if (c < 0x80)
        return 1;
    if (c < 0xC2) /* continuation byte, or C0/C1 (always overlong) */
        return -1;
    if (c < 0xE0) {
        need = 1;
    } else if (c < 0xF0) {
        need = 2;
        if (c == 0xE0)
            lo = 0xA0; /* overlong below U+0800 */
        else if (c == 0xED)
            hi = 0x9F; /* surrogates U+D800..U+DFFF */
    } else if (c < 0xF5) {
        need = 3;
        if (c == 0xF0)
            lo = 0x90; /* overlong below U+10000 */
        else if (c == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else {
        return -1;
    }
    if (avail < 2 || p[1] < lo || p[1] > hi)
        return -1;
    for (int i = 2; i <= need; i++)
        if ((size_t)i >= avail || (p[i] & 0xC0) != 0x80)
            return -i;
    return need + 1;
}

#endif
