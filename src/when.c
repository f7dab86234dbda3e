/*
 * when.c -- the date of an event, from the words of its sentence.
 *
 * One pass over the sentence's tokens tries, at each token, the forms
 * below; each match becomes a candidate (date, precision, tokens), and the
 * candidate nearest the event's verb (else the first) is the answer.
 *
 *     yesterday | today | tonight | tomorrow | the day before yesterday
 *     [on|last|next|this|early|late] WEEKDAY        the most recent one on or
 *                                                   before the story date
 *                                                   (after it, for "next" or
 *                                                   a sentence in the future)
 *     N days|weeks ago, a week ago
 *     [earlier|later] last|this|next week|month|year
 *     MONTH DAY[st|nd|rd|th] [,] [YEAR]   DAY MONTH [YEAR]   "the 8th of June"
 *     [in|since|last|early|late|...] MONTH [YEAR]   month precision
 *     YYYY-MM-DD
 *
 * Arithmetic is on day numbers (days since 1970-01-01, proleptic Gregorian;
 * H. Hinnant's civil-from-days algorithms), so "on Wednesday" in a story of
 * Friday 2 January 2026 is 31 December 2025 without special cases.  A date
 * without a year takes the story's year, or the year before when that would
 * put it more than a week after the story (a story of 3 January that says
 * "on December 30"), or the year after for a sentence in the future that
 * would otherwise put it more than a week before.  A bare month ("in March")
 * is the most recent March on or before the story's month.  Weeks start on
 * Monday.  "May" is a month only next to a number or after "in", "since",
 * "last"... (else it is the verb).
 */
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "when.h"

/* ---- the calendar ------------------------------------------------------------- */
static long day_number(int ymd) { return mp__days_of(ymd); }

int when_add_days(int ymd, int n) {
    if (!mp__ymd_valid(ymd)) return 0;
    return mp__ymd_of(day_number(ymd) + n);
}

int when_weekday(int ymd) {
    if (!mp__ymd_valid(ymd)) return -1;
    long z = day_number(ymd); /* 1970-01-01 was a Thursday (3) */
    long w = (z % 7 + 7 + 3) % 7;
    return (int)w;
}

/* ---- words --------------------------------------------------------------------- */
static const char *W(const tx_doc *d, uint32_t i) {
    return d->normbuf + d->tok[i].norm;
}
static int is(const tx_doc *d, uint32_t i, uint32_t end, const char *w) {
    return i < end && !strcmp(W(d, i), w);
}

static int weekday_of(const char *w) {
    static const char *const days[] = {"MONDAY", "TUESDAY",  "WEDNESDAY", "THURSDAY",
                                       "FRIDAY", "SATURDAY", "SUNDAY"};
    for (int i = 0; i < 7; i++)
        if (!strcmp(w, days[i])) return i;
    return -1;
}

/* 1..12, or 0.  Abbreviations with or without their period. */
static int month_of(const char *w) {
    static const char *const full[] = {"JANUARY",   "FEBRUARY", "MARCH",    "APRIL",
                                       "MAY",       "JUNE",     "JULY",     "AUGUST",
                                       "SEPTEMBER", "OCTOBER",  "NOVEMBER", "DECEMBER"};
    static const char *const abbr[] = {"JAN", "FEB", "MAR",  "APR", "",    "JUN",
                                       "JUL", "AUG", "SEPT", "OCT", "NOV", "DEC"};
    for (int i = 0; i < 12; i++) {
        if (!strcmp(w, full[i])) return i + 1;
        size_t l = strlen(abbr[i]);
        if (l && !strncmp(w, abbr[i], l) && (!w[l] || (w[l] == '.' && !w[l + 1]))) return i + 1;
    }
    if (!strcmp(w, "SEP.")) return 9;
    return 0;
}

/* A day of the month: "8", "8TH", "31ST"; 0 if not. */
static int day_of(const tx_doc *d, uint32_t i, uint32_t end) {
    if (i >= end || d->tok[i].kind != TX_NUM) return 0;
    const char *w = W(d, i);
    int v = 0, k = 0;
    while (w[k] >= '0' && w[k] <= '9' && k < 3)
        v = v * 10 + (w[k++] - '0');
    if (!k || k > 2) return 0;
    if (w[k] && strcmp(w + k, "ST") && strcmp(w + k, "ND") && strcmp(w + k, "RD") &&
        strcmp(w + k, "TH"))
        return 0;
    return v >= 1 && v <= 31 ? v : 0;
}

/* A year: "2025" (1900..2100); 0 if not. */
static int year_of(const tx_doc *d, uint32_t i, uint32_t end) {
    if (i >= end || d->tok[i].kind != TX_NUM) return 0;
    const char *w = W(d, i);
    if (strlen(w) != 4) return 0;
    int v = atoi(w);
    for (int k = 0; k < 4; k++)
        if (w[k] < '0' || w[k] > '9') return 0;
    return v >= 1900 && v <= 2100 ? v : 0;
}

static int small_count(const char *w) {
    static const char *const n[] = {"A",   "ONE",   "TWO",   "THREE", "FOUR", "FIVE",
                                    "SIX", "SEVEN", "EIGHT", "NINE",  "TEN"};
    for (int i = 0; i < 11; i++)
        if (!strcmp(w, n[i])) return i ? i : 1;
    if (w[0] >= '1' && w[0] <= '9' && (!w[1] || (w[1] >= '0' && w[1] <= '9' && !w[2])))
        return atoi(w);
    return 0;
}

/* Does the sentence speak of the future? */
static int future(const tx_doc *d, uint32_t first, uint32_t end) {
    for (uint32_t i = first; i < end; i++) {
        const char *w = W(d, i);
        if (!strchr("WSPD'U", w[0])) continue;
        if (!strcmp(w, "WILL") || !strcmp(w, "'LL") || !strcmp(w, "SHALL") ||
            !strcmp(w, "SCHEDULED") || !strcmp(w, "PLANS") || !strcmp(w, "PLANNED") ||
            !strcmp(w, "DUE") || !strcmp(w, "UPCOMING"))
            return 1;
    }
    return 0;
}

/* The date of month m, day dd with the year inferred from the story. */
static int infer_year(int story, int m, int dd, int fut) {
    int y = story / 10000;
    int v = y * 10000 + m * 100 + dd;
    if (!mp__ymd_valid(v)) { /* 29 February of another year */
        v = (y - 1) * 10000 + m * 100 + dd;
        return mp__ymd_valid(v) ? v : 0;
    }
    long diff = day_number(v) - day_number(story);
    if (!fut && diff > 7)
        v -= 10000;
    else if (fut && diff < -7)
        v += 10000;
    return mp__ymd_valid(v) ? v : 0;
}

typedef struct {
    int date, precision;
    uint32_t a, b;
} cand;

/* Lower-case words a form may start with; the others start with a digit
 * or a capital. */
static const char *const starts[] = {
    "A",     "EARLIER", "EIGHT",    "FIVE",    "FOUR", "LAST",      "LATER", "NEXT",
    "NINE",  "ONE",     "PAST",     "SEVEN",   "SIX",  "TEN",       "THE",   "THIS",
    "THREE", "TODAY",   "TOMORROW", "TONIGHT", "TWO",  "YESTERDAY",
};
/* start_hashes: the FNV-1a hashes (text.h) of starts[], sorted, so that most
 * tokens are passed over without a string comparison.  Keep them in step
 * with the lists (mp__when_selfcheck, run by the tests, checks). */
static const uint32_t start_hashes[] = {
    0x07d7f066u, 0x1838bb5eu, 0x188dd395u, 0x25b07d1eu, 0x2a1e1007u, 0x2b965b9du,
    0x33c43963u, 0x34a0248au, 0x3f3d0c74u, 0x405fa049u, 0x4d0a838bu, 0x5fbd55e8u,
    0x6cbc2aa5u, 0x9c946501u, 0xa1340d19u, 0xc40bf6ccu, 0xc8b180bbu, 0xe4473c10u,
    0xec067895u, 0xf649657cu, 0xfaa45b09u, 0xfd01310fu,
};

static int hash_in(uint32_t h) {
    size_t lo = 0, hi = sizeof start_hashes / sizeof start_hashes[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (start_hashes[mid] == h) return 1;
        if (start_hashes[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static int cmpstr(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int mp__when_selfcheck(void) {
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
        uint32_t h = TX_HASH_BASIS;
        for (const char *p = starts[i]; *p; p++)
            h = (h ^ (unsigned char)*p) * TX_HASH_PRIME;
        if (!hash_in(h)) return 0;
    }
    return 1;
}

/* The form starting at token i, if any, into *c; returns its length. */
static uint32_t match(const tx_doc *d, uint32_t i, uint32_t first, uint32_t end, int story, int fut,
                      cand *c) {
    const char *w = W(d, i);
    int num = d->tok[i].kind == TX_NUM, cap = d->tok[i].flags & TX_CAP;
    int wd = !num && cap && strchr("MTWFS", w[0]) ? weekday_of(w) : -1;
    int m = !num && cap && strchr("JFMASOND", w[0]) ? month_of(w) : 0;
    if (!num && wd < 0 && !m &&
        (!hash_in(d->tok[i].hash) ||
         !bsearch(&w, starts, sizeof starts / sizeof starts[0], sizeof starts[0], cmpstr)))
        return 0;
    const char *prev = i > first ? W(d, i - 1) : "";
    uint32_t a = i;
    /* an ISO date */
    if (d->tok[i].kind == TX_NUM && strlen(w) == 10 && w[4] == '-' && w[7] == '-') {
        int v = atoi(w) * 10000 + atoi(w + 5) * 100 + atoi(w + 8);
        if (mp__ymd_valid(v)) {
            *c = (cand){v, WHEN_DAY, a, i + 1};
            return 1;
        }
        return 0;
    }
    /* relative days */
    if (story) {
        int off = 99;
        uint32_t n = 1;
        if (!strcmp(w, "YESTERDAY"))
            off = -1;
        else if (!strcmp(w, "TODAY") || !strcmp(w, "TONIGHT"))
            off = 0;
        else if (!strcmp(w, "TOMORROW"))
            off = 1;
        else if (!strcmp(w, "THIS") &&
                 (is(d, i + 1, end, "MORNING") || is(d, i + 1, end, "AFTERNOON") ||
                  is(d, i + 1, end, "EVENING")))
            off = 0, n = 2;
        if (off == -1 && i >= first + 3 && !strcmp(prev, "BEFORE") && !strcmp(W(d, i - 2), "DAY") &&
            !strcmp(W(d, i - 3), "THE"))
            off = -2, a = i - 3;
        if (off != 99) {
            *c = (cand){when_add_days(story, off), WHEN_DAY, a, i + n};
            return c->date ? n : 0;
        }
    }
    /* weekdays */
    if (wd >= 0 && story) {
        int today = when_weekday(story), back;
        int dir = fut ? 1 : -1;
        if (!strcmp(prev, "LAST"))
            dir = -2, a = i - 1;
        else if (!strcmp(prev, "NEXT"))
            dir = 2, a = i - 1;
        else if (!strcmp(prev, "ON") || !strcmp(prev, "EARLY") || !strcmp(prev, "LATE") ||
                 !strcmp(prev, "THIS"))
            a = i - 1;
        if (dir < 0) {
            back = (today - wd + 7) % 7;
            if (dir == -2 && back == 0) back = 7;
            c->date = when_add_days(story, -back);
        } else {
            back = (wd - today + 7) % 7;
            if (dir == 2 && back == 0) back = 7;
            c->date = when_add_days(story, back);
        }
        c->precision = WHEN_DAY;
        c->a = a;
        c->b = i + 1;
        if (is(d, i + 1, end, "NIGHT") || is(d, i + 1, end, "MORNING") ||
            is(d, i + 1, end, "AFTERNOON") || is(d, i + 1, end, "EVENING"))
            c->b = i + 2;
        return c->date ? c->b - i : 0;
    }
    /* N days / weeks ago */
    int k = small_count(w);
    if (k && story && i + 2 < end && is(d, i + 2, end, "AGO")) {
        const char *u = W(d, i + 1);
        if (!strcmp(u, "DAYS") || !strcmp(u, "DAY")) {
            *c = (cand){when_add_days(story, -k), WHEN_DAY, a, i + 3};
            return c->date ? 3 : 0;
        }
        if (!strcmp(u, "WEEKS") || !strcmp(u, "WEEK")) {
            int day = when_add_days(story, -7 * k);
            *c = (cand){day ? when_add_days(day, -when_weekday(day)) : 0, WHEN_WEEK, a, i + 3};
            return c->date ? 3 : 0;
        }
    }
    /* last / this / next week, month, year */
    if (story &&
        (!strcmp(w, "LAST") || !strcmp(w, "THIS") || !strcmp(w, "NEXT") || !strcmp(w, "PAST")) &&
        i + 1 < end) {
        const char *u = W(d, i + 1);
        int step = !strcmp(w, "NEXT") ? 1 : !strcmp(w, "THIS") ? 0 : -1;
        if (!strcmp(prev, "EARLIER") || !strcmp(prev, "LATER")) a = i - 1;
        if (!strcmp(u, "WEEK")) {
            int day = when_add_days(story, 7 * step);
            *c = (cand){day ? when_add_days(day, -when_weekday(day)) : 0, WHEN_WEEK, a, i + 2};
            return c->date ? 2 : 0;
        }
        if (!strcmp(u, "MONTH")) {
            int y = story / 10000, m = story / 100 % 100 + step;
            if (m < 1) m = 12, y--;
            if (m > 12) m = 1, y++;
            *c = (cand){y * 10000 + m * 100 + 1, WHEN_MONTH, a, i + 2};
            return 2;
        }
        if (!strcmp(u, "YEAR")) {
            *c = (cand){(story / 10000 + step) * 10000 + 101, WHEN_YEAR, a, i + 2};
            return 2;
        }
    }
    /* calendar dates */
    if (m) {
        int dd = day_of(d, i + 1, end), y = 0;
        uint32_t b = i + 1;
        if (dd) {
            b = i + 2;
            uint32_t j = b;
            if (is(d, j, end, ",")) j++;
            if ((y = year_of(d, j, end))) b = j + 1;
        } else if ((y = year_of(d, i + 1, end))) {
            b = i + 2;
        }
        /* "8 June [2025]" */
        if (!dd && i > first && day_of(d, i - 1, end)) {
            dd = day_of(d, i - 1, end);
            a = i - 1;
        }
        if (!dd && i >= first + 3 && !strcmp(prev, "OF") && !strcmp(W(d, i - 3), "THE") &&
            day_of(d, i - 2, end)) {
            dd = day_of(d, i - 2, end);
            a = i - 3;
        }
        if (dd) {
            int v = y ? y * 10000 + m * 100 + dd : story ? infer_year(story, m, dd, fut) : 0;
            if (!v || !mp__ymd_valid(v)) return 0;
            if (a == i && (!strcmp(prev, "ON") || !strcmp(prev, "SINCE"))) a = i - 1;
            *c = (cand){v, WHEN_DAY, a, b};
            return b - i;
        }
        /* a month alone: "in March", "last March", "March 2024" */
        static const char *const before[] = {"IN",  "SINCE",  "LAST", "EARLY", "LATE",
                                             "MID", "UNTIL",  "BY",   "NEXT",  "THIS",
                                             "OF",  "DURING", "FROM"};
        int cue = 0;
        for (size_t q = 0; q < sizeof before / sizeof before[0]; q++)
            if (!strcmp(prev, before[q])) cue = 1;
        if (!y && !cue) return 0; /* "May" the verb, "March" the noun */
        if (y) {
            *c = (cand){y * 10000 + m * 100 + 1, WHEN_MONTH, a, b};
        } else {
            if (!story) return 0;
            int sy = story / 10000, sm = story / 100 % 100;
            int yy = sy;
            if (!strcmp(prev, "NEXT") || (fut && strcmp(prev, "LAST"))) {
                if (m < sm || (m == sm && !strcmp(prev, "NEXT"))) yy = sy + 1;
            } else if (m > sm || (m == sm && !strcmp(prev, "LAST"))) {
                yy = sy - 1;
            }
            if (cue) a = i - 1;
            *c = (cand){yy * 10000 + m * 100 + 1, WHEN_MONTH, a, b};
        }
        return b - i;
    }
    return 0;
}

int when_find(const tx_doc *d, size_t sent, int story_date, uint32_t verb_tok, when_date *out) {
    if (!d || !out || sent >= d->nsent) return 0;
    if (story_date && !mp__ymd_valid(story_date)) story_date = 0;
    const tx_sent *s = &d->sent[sent];
    uint32_t first = s->first, end = s->first + s->count;
    int fut = future(d, first, end);
    cand best = {0, 0, 0, 0}, c;
    int found = 0;
    for (uint32_t i = first; i < end;) {
        uint32_t n = match(d, i, first, end, story_date, fut, &c);
        if (!n) {
            i++;
            continue;
        }
        if (c.date && mp__ymd_valid(c.date)) {
            if (!found) {
                best = c;
                found = 1;
            } else if (verb_tok != UINT32_MAX) {
                uint32_t dc = c.a > verb_tok ? c.a - verb_tok : verb_tok - c.a;
                uint32_t db = best.a > verb_tok ? best.a - verb_tok : verb_tok - best.a;
                if (dc < db) best = c;
            }
        }
        i += n;
    }
    if (!found) return 0;
    out->date = best.date;
    out->precision = best.precision;
    out->tok_first = best.a;
    out->tok_count = best.b - best.a;
    out->span.start = d->tok[best.a].start;
    out->span.end = d->tok[best.b - 1].end;
    return 1;
}
