/*
 * when.h -- the date of an event, from the words of its sentence.
 *
 *     when_date w;
 *     if (when_find(&doc, sent, 20250608, UINT32_MAX, &w) == 1)
 *         printf("%d (precision %d)\n", w.date, w.precision);
 *
 * A sentence says when as a relative day ("yesterday", "on Sunday", "last
 * Friday", "two days ago"), a relative week, month or year ("last week",
 * "earlier this month", "last year"), or a calendar date ("on 8 June", "June
 * 8, 2025", "in March", "in March 2024", "2025-06-08").  Each is resolved
 * against the story date (YYYYMMDD), across month and year boundaries: a
 * story of 2026-01-02 that says "on Wednesday" means 2025-12-31, one that
 * says "on December 30" means 2025-12-30.  Weekdays and dates without a year
 * are taken in the past (the most recent one, on or before the story date,
 * up to a week ahead for dates) unless the sentence speaks of the future
 * ("will", "next Sunday").  See when.c and docs/dates-and-counts.md.
 */
#ifndef MAGPIE_WHEN_H
#define MAGPIE_WHEN_H

#include <stddef.h>
#include <stdint.h>

#include "magpie.h"
#include "text.h"

/* Precision of a date. */
enum { WHEN_DAY = 1, WHEN_WEEK = 2, WHEN_MONTH = 3, WHEN_YEAR = 4 };

typedef struct {
    int date;      /* YYYYMMDD: the day; for a week its Monday; for a month its
                      first day; for a year its 1 January */
    int precision; /* WHEN_DAY, WHEN_WEEK, WHEN_MONTH, WHEN_YEAR */
    mp_span span;  /* bytes of the words in the document: "on Sunday", "last week" */
    uint32_t tok_first, tok_count; /* the same words as tokens of the tx_doc */
} when_date;

/* The date sentence sent of d says an event happened, resolved against
 * story_date (YYYYMMDD; 0 if unknown: then only dates with a year are
 * found).  verb_tok is the token of the event's verb or UINT32_MAX; when
 * the sentence has several dates, the one nearest the verb is taken, else
 * the first.  Returns 1 and fills *out, or 0 if the sentence gives no date.
 * d is borrowed for the call; nothing is allocated. */
int when_find(const tx_doc *d, size_t sent, int story_date, uint32_t verb_tok,
              when_date *out /* OUT */);

/* Calendar helpers on YYYYMMDD dates.  when_add_days returns the date n
 * days later (n may be negative), or 0 if ymd is not a real day or the
 * result falls outside years 1..9999; when_weekday returns 0 for Monday ..
 * 6 for Sunday, or -1 if ymd is not a real day. */
int when_add_days(int ymd, int n);
int when_weekday(int ymd);

/* Internal, for tests: 1 if when.c's hash table of words agrees with its list. */
int mp__when_selfcheck(void);

#endif
