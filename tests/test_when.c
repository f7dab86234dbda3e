/*
 * test_when.c -- tests of event dates (src/when.c).
 *
 * Each case is a sentence, a story date and the date, precision and words
 * expected.  Each check prints one line when it fails; the program ends
 * with "N passed, N failed" and exits nonzero on any failure.
 */
#include <stdio.h>
#include <string.h>

#include "when.h"

static int npass, nfail;

static void ok(int cond, const char *what, const char *detail) {
    if (cond) {
        npass++;
    } else {
        nfail++;
        printf("FAIL: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    }
}

static tx_doc D;

/* words NULL: no date expected */
static void check(const char *text, int story, int date, int precision, const char *words) {
    when_date w;
    char msg[300], what[300];
    snprintf(what, sizeof what, "[%d] %s", story, text);
    if (tx_segment(&D, text, strlen(text)) != 0 || !D.nsent) {
        ok(!words && when_find(&D, 0, story, UINT32_MAX, &w) == 0, what, "no sentence");
        return;
    }
    int r = when_find(&D, 0, story, UINT32_MAX, &w);
    if (!words) {
        snprintf(msg, sizeof msg, "got %d", r ? w.date : 0);
        ok(r == 0, what, msg);
        return;
    }
    snprintf(msg, sizeof msg, "got r=%d %d precision %d \"%.*s\"", r, r ? w.date : 0,
             r ? w.precision : 0, r ? (int)(w.span.end - w.span.start) : 0,
             r ? text + w.span.start : "");
    size_t wl = strlen(words);
    ok(r == 1 && w.date == date && w.precision == precision && w.span.end - w.span.start == wl &&
           !memcmp(text + w.span.start, words, wl) && D.tok[w.tok_first].start == w.span.start &&
           D.tok[w.tok_first + w.tok_count - 1].end == w.span.end,
       what, msg);
}

int main(void) {
    tx_doc_init(&D);
    ok(mp__when_selfcheck(), "the word hash table agrees with the word list", NULL);

    /* the calendar */
    ok(when_weekday(20250608) == 6, "2025-06-08 was a Sunday", NULL);
    ok(when_weekday(20000229) == 1, "2000-02-29 was a Tuesday", NULL);
    ok(when_weekday(20250230) == -1, "2025-02-30 is no day", NULL);
    ok(when_add_days(20251231, 1) == 20260101, "31 December + 1", NULL);
    ok(when_add_days(20240301, -1) == 20240229, "1 March 2024 - 1: leap day", NULL);
    ok(when_add_days(20230301, -1) == 20230228, "1 March 2023 - 1", NULL);
    ok(when_add_days(19000301, -1) == 19000228, "1900 was no leap year", NULL);
    ok(when_add_days(20250608, -800000) == 0 && when_add_days(99991231, 1) == 0,
       "outside years 1..9999: 0", NULL);

    /* relative days (story: Sunday 8 June 2025) */
    check("Police fired tear gas on Sunday.", 20250608, 20250608, WHEN_DAY, "on Sunday");
    check("Police fired tear gas on Saturday.", 20250608, 20250607, WHEN_DAY, "on Saturday");
    check("Police fired tear gas on Monday.", 20250608, 20250602, WHEN_DAY, "on Monday");
    check("Police fired tear gas last Sunday.", 20250608, 20250601, WHEN_DAY, "last Sunday");
    check("Talks will resume on Tuesday.", 20250608, 20250610, WHEN_DAY, "on Tuesday");
    check("Talks resume next Sunday.", 20250608, 20250615, WHEN_DAY, "next Sunday");
    check("Rebels attacked the town late Friday night.", 20250608, 20250606, WHEN_DAY,
          "late Friday night");
    check("Rebels attacked the town yesterday.", 20250608, 20250607, WHEN_DAY, "yesterday");
    check("Rebels attacked the town today.", 20250608, 20250608, WHEN_DAY, "today");
    check("The army said the day before yesterday that it had withdrawn.", 20250608, 20250606,
          WHEN_DAY, "the day before yesterday");
    check("Rebels attacked the town two days ago.", 20250608, 20250606, WHEN_DAY, "two days ago");

    /* across month and year boundaries */
    check("Protesters marched on Wednesday.", 20260102, 20251231, WHEN_DAY, "on Wednesday");
    check("Protesters marched yesterday.", 20260101, 20251231, WHEN_DAY, "yesterday");
    check("Protesters marched yesterday.", 20240301, 20240229, WHEN_DAY, "yesterday");
    check("Protesters marched on Friday.", 20250701, 20250627, WHEN_DAY, "on Friday");
    check("Troops withdrew on December 30.", 20260103, 20251230, WHEN_DAY, "on December 30");
    check("Troops withdrew on 30 December.", 20260103, 20251230, WHEN_DAY, "30 December");
    check("Elections will be held on January 5.", 20251229, 20260105, WHEN_DAY, "on January 5");
    check("Prices rose in December.", 20260110, 20251201, WHEN_MONTH, "in December");

    /* weeks, months, years */
    check("Rebels seized the town last week.", 20250608, 20250526, WHEN_WEEK, "last week");
    check("Rebels seized the town earlier this week.", 20250611, 20250609, WHEN_WEEK,
          "earlier this week");
    check("Rebels seized the town last week.", 20260101, 20251222, WHEN_WEEK, "last week");
    check("Prices rose last month.", 20260115, 20251201, WHEN_MONTH, "last month");
    check("Prices rose this month.", 20260115, 20260101, WHEN_MONTH, "this month");
    check("Prices rose last year.", 20260115, 20250101, WHEN_YEAR, "last year");

    /* calendar dates */
    check("The ceasefire began on 8 June.", 20250610, 20250608, WHEN_DAY, "8 June");
    check("The ceasefire began on June 8, 2025.", 20260101, 20250608, WHEN_DAY, "on June 8, 2025");
    check("The ceasefire began on 8 June 2024.", 20250610, 20240608, WHEN_DAY, "8 June 2024");
    check("The ceasefire began on June 8th.", 20250610, 20250608, WHEN_DAY, "on June 8th");
    check("The ceasefire began on the 8th of June.", 20250610, 20250608, WHEN_DAY,
          "the 8th of June");
    check("The ceasefire began on Sept. 3.", 20250910, 20250903, WHEN_DAY, "on Sept. 3");
    check("Riots broke out in March.", 20250608, 20250301, WHEN_MONTH, "in March");
    check("Riots broke out in September.", 20250608, 20240901, WHEN_MONTH, "in September");
    check("Riots broke out last June.", 20250608, 20240601, WHEN_MONTH, "last June");
    check("Riots broke out in March 2024.", 20250608, 20240301, WHEN_MONTH, "March 2024");
    check("The talks began 2025-06-08 in Geneva.", 0, 20250608, WHEN_DAY, "2025-06-08");
    check("The ceasefire began on June 8, 2025.", 0, 20250608, WHEN_DAY, "on June 8, 2025");
    check("Leap day: the vote was on February 29.", 20250310, 20240229, WHEN_DAY, "on February 29");

    /* no date */
    check("Police fired tear gas on Sunday.", 0, 0, 0, NULL);
    check("The ceasefire began on 8 June.", 0, 0, 0, NULL);
    check("The minister may resign.", 20250608, 0, 0, NULL);
    check("May the talks succeed.", 20250608, 0, 0, NULL);
    check("A march in the capital drew thousands.", 20250608, 0, 0, NULL);
    check("The ceasefire began on June 31.", 20250610, 0, 0, NULL);
    check("", 20250608, 0, 0, NULL);
    check("Police fired tear gas on Sunday.", 20251340, 0, 0, NULL);

    /* several dates: the first, or the one nearest the verb */
    const char *t = "Officials said on Monday that rebels attacked the town on Saturday.";
    when_date w;
    tx_segment(&D, t, strlen(t));
    ok(when_find(&D, 0, 20250609, UINT32_MAX, &w) == 1 && w.date == 20250609, "the first date",
       NULL);
    ok(when_find(&D, 0, 20250609, 7, &w) == 1 && w.date == 20250607,
       "the date nearest the verb (token 7, attacked)", NULL);
    ok(when_find(&D, 3, 20250609, UINT32_MAX, &w) == 0, "a sentence past the end: 0", NULL);

    tx_doc_free(&D);
    printf("%d passed, %d failed\n", npass, nfail);
    return nfail ? 1 : 0;
}
