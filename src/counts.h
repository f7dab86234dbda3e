/*
 * counts.h -- numbers tied to an event: killed, injured, arrested, the size
 * of a crowd or force, and other people an event acted on.
 *
 *     cnt_ctx *x = cnt_ctx_new();                 // one per thread
 *     const cnt_count *c;
 *     size_t n = cnt_find(x, text, &doc, sent, UINT32_MAX, &c);
 *     for (size_t i = 0; i < n; i++)
 *         printf("%s %lld \"%.*s\"\n", cnt_kind_name(c[i].kind), c[i].value,
 *                (int)(c[i].span.end - c[i].span.start), text + c[i].span.start);
 *     cnt_ctx_free(x);
 *
 * Numbers are read from digits with separators ("4,000", "1.5 million") and
 * from words ("six", "twenty-five", "five hundred", "two dozen"); vague
 * words give the conservative numbers of ACLED's convention, written down
 * in docs/dates-and-counts.md ("dozens" 12, "hundreds" 100, "several" 3,
 * "tens of thousands" 10,000), flagged CNT_VAGUE.  What a number counts is
 * read from the words around it: "killing six civilians", "three soldiers
 * were killed", "the death toll rose to 20" (killed); "dozens were
 * arrested" (arrested); "hundreds of protesters", "4,000 National Guard
 * troops" (size).  See counts.c.
 */
#ifndef MAGPIE_COUNTS_H
#define MAGPIE_COUNTS_H

#include <stddef.h>
#include <stdint.h>

#include "magpie.h"
#include "text.h"

/* What a number counts. */
enum {
    CNT_KILLED = 1,     /* people killed: ACLED's fatalities */
    CNT_INJURED = 2,    /* people wounded or injured */
    CNT_CASUALTIES = 3, /* killed or wounded, not told apart ("killing or wounding 50") */
    CNT_ARRESTED = 4,   /* people arrested or detained */
    CNT_SIZE = 5,       /* size of a crowd (protesters, strikers) or a force (troops, police) */
    CNT_PEOPLE = 6      /* other people, or things, an event acted on: "deported 168
                           Liberians", "expelled two diplomats" */
};

/* cnt_count.flags */
enum {
    CNT_VAGUE = 1,    /* from a vague word: "dozens" -> 12 (a conventional number) */
    CNT_AT_LEAST = 2, /* "at least", "more than", "over" */
    CNT_AT_MOST = 4,  /* "up to", "as many as", "fewer than" */
    CNT_ABOUT = 8,    /* "about", "some", "nearly", "an estimated" */
    CNT_IMPLIED = 16  /* no number written: "a journalist was killed" -> 1 */
};

typedef struct {
    int kind;                      /* CNT_KILLED ... */
    long long value;               /* the number (>= 1) */
    int flags;                     /* CNT_VAGUE ... */
    mp_span span;                  /* bytes of the number's words in the document, with its
                                      qualifier: "at least six", "dozens", "4,000" */
    uint32_t tok_first, tok_count; /* the same words as tokens of the tx_doc */
} cnt_count;

typedef struct cnt_ctx cnt_ctx;

/* A context holds the result of the last cnt_find; NULL on allocation failure. */
cnt_ctx *cnt_ctx_new(void);
void cnt_ctx_free(cnt_ctx *x);

/* The counts of sentence sent of d (the segmentation of text, both
 * borrowed for the call), in text order.  verb_tok is the token of the
 * event's verb or UINT32_MAX; when given, counts of kinds that repeat are
 * ordered nearest the verb first.  *out points into x and is valid until
 * the next call.  Returns the number of counts; 0 also on allocation
 * failure (then *out is NULL). */
size_t cnt_find(cnt_ctx *x, const char *text, const tx_doc *d, size_t sent, uint32_t verb_tok,
                const cnt_count **out /* OUT */);

/* The number written at tokens [i, end) of d: "4,000", "1.5 million",
 * "twenty-five", "two dozen", "hundreds of thousands", "several".  Returns
 * the value and sets *ntok to the tokens it used and *flags (CNT_VAGUE), or
 * returns -1 if no number starts at i. */
long long cnt_number(const tx_doc *d, uint32_t i, uint32_t end, uint32_t *ntok /* OUT */,
                     int *flags /* OUT */);

/* "killed", "injured", "casualties", "arrested", "size", "people"; "" for
 * anything else.  Static strings. */
const char *cnt_kind_name(int kind);

/* Internal, for tests: 1 if the hash tables that speed up the word lists
 * of counts.c agree with the lists. */
int mp__cnt_selfcheck(void);

#endif
