/*
 * test_counts.c -- tests of numbers tied to events (src/counts.c).
 *
 * Each case is a sentence and the counts expected in it, as "kind value
 * text" triples; every count found must be expected and every expected
 * count found.  Each check prints one line when it fails; the program ends
 * with "N passed, N failed" and exits nonzero on any failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counts.h"

static int npass, nfail;

static void ok(int cond, const char *what, const char *detail) {
    if (cond) {
        npass++;
    } else {
        nfail++;
        printf("FAIL: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    }
}

typedef struct {
    int kind;
    long long value;
    const char *text; /* the words of the count */
    int flags;        /* flags that must be set */
} want;

static void check(cnt_ctx *x, tx_doc *d, const char *text, const want *w, size_t nw) {
    const cnt_count *c;
    char got[600] = "";
    size_t gl = 0;
    if (tx_segment(d, text, strlen(text)) != 0) {
        ok(0, text, "segmentation failed");
        return;
    }
    if (!d->nsent) {
        ok(nw == 0 && cnt_find(x, text, d, 0, UINT32_MAX, &c) == 0, "a text without sentences",
           NULL);
        return;
    }
    size_t n = cnt_find(x, text, d, 0, UINT32_MAX, &c);
    for (size_t i = 0; i < n && gl < sizeof got - 100; i++)
        gl += (size_t)snprintf(
            got + gl, sizeof got - gl, "[%s %lld \"%.*s\" %d] ", cnt_kind_name(c[i].kind),
            c[i].value, (int)(c[i].span.end - c[i].span.start), text + c[i].span.start, c[i].flags);
    int good = n == nw;
    for (size_t i = 0; good && i < nw; i++) {
        size_t tl = strlen(w[i].text);
        good = c[i].kind == w[i].kind && c[i].value == w[i].value &&
               c[i].span.end - c[i].span.start == tl &&
               !memcmp(text + c[i].span.start, w[i].text, tl) &&
               (c[i].flags & w[i].flags) == w[i].flags &&
               d->tok[c[i].tok_first].start == c[i].span.start &&
               d->tok[c[i].tok_first + c[i].tok_count - 1].end == c[i].span.end;
    }
    ok(good, text, good ? NULL : (n ? got : "(nothing)"));
}

#define CHECK(text, ...)                                                                           \
    do {                                                                                           \
        static const want w_[] = {__VA_ARGS__};                                                    \
        check(x, &d, text, w_, sizeof w_ / sizeof w_[0]);                                          \
    } while (0)
#define NONE(text) check(x, &d, text, NULL, 0)

static void test_numbers(void) {
    tx_doc d;
    tx_doc_init(&d);
    static const struct {
        const char *s;
        long long v;
        unsigned n;
        int vague;
    } cases[] = {
        {"4,000 troops", 4000, 1, 0},
        {"1.5 million people", 1500000, 2, 0},
        {"six civilians", 6, 1, 0},
        {"twenty-five people", 25, 1, 0},
        {"five hundred rebels", 500, 2, 0},
        {"two hundred and fifty men", 250, 4, 0},
        {"two dozen police", 24, 2, 0},
        {"a dozen police", 12, 2, 0},
        {"half a dozen men", 6, 3, 0},
        {"dozens of people", 12, 1, 1},
        {"hundreds of people", 100, 1, 1},
        {"thousands of people", 1000, 1, 1},
        {"tens of thousands of people", 10000, 3, 1},
        {"hundreds of thousands of people", 100000, 3, 1},
        {"several people", 3, 1, 1},
        {"several hundred people", 300, 2, 1},
        {"a few people", 3, 2, 1},
        {"a handful of people", 3, 2, 1},
        {"scores of people", 20, 1, 1},
        {"three thousand two hundred men", 3200, 4, 0},
        {"10,000-member force", 10000, 1, 0},
        {"a couple of men", 2, 2, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t nt = 0;
        int fl = -1;
        char msg[100];
        tx_segment(&d, cases[i].s, strlen(cases[i].s));
        long long v = cnt_number(&d, 0, (uint32_t)d.ntok, &nt, &fl);
        snprintf(msg, sizeof msg, "got %lld over %u tokens, flags %d", v, nt, fl);
        ok(v == cases[i].v && nt == cases[i].n && !!(fl & CNT_VAGUE) == cases[i].vague, cases[i].s,
           msg);
    }
    uint32_t nt;
    int fl;
    tx_segment(&d, "the people", 10);
    ok(cnt_number(&d, 0, (uint32_t)d.ntok, &nt, &fl) == -1, "no number in 'the people'", NULL);
    tx_segment(&d, "12-year sentence", 16);
    ok(cnt_number(&d, 0, (uint32_t)d.ntok, &nt, &fl) == -1, "'12-year' is no count", NULL);
    tx_segment(&d, "99999999999999999999 men", 24);
    ok(cnt_number(&d, 0, (uint32_t)d.ntok, &nt, &fl) == -1, "an absurd number is refused", NULL);
    ok(cnt_number(NULL, 0, 1, &nt, &fl) == -1, "no document: -1", NULL);
    tx_doc_free(&d);
}

static void test_counts(void) {
    cnt_ctx *x = cnt_ctx_new();
    tx_doc d;
    tx_doc_init(&d);

    /* killed, injured */
    CHECK("Soldiers opened fire, killing six civilians.", {CNT_KILLED, 6, "six", 0});
    CHECK("Gunmen killed at least 156 people in the camp.",
          {CNT_KILLED, 156, "at least 156", CNT_AT_LEAST});
    CHECK("At least three Iraqi civilians have been killed in a bombing.",
          {CNT_KILLED, 3, "At least three", CNT_AT_LEAST});
    CHECK("A roadside bomb killed one U.S. soldier and wounded two others.",
          {CNT_KILLED, 1, "one", 0}, {CNT_INJURED, 2, "two", 0});
    CHECK("Two suicide bombers killed 23 people in Tel Aviv.", {CNT_KILLED, 23, "23", 0});
    CHECK("The death toll rose to more than 200.",
          {CNT_KILLED, 200, "more than 200", CNT_AT_LEAST});
    CHECK("The blast left 12 dead and 40 wounded.", {CNT_KILLED, 12, "12", 0},
          {CNT_INJURED, 40, "40", 0});
    CHECK("Shelling killed or wounded 50 people.", {CNT_CASUALTIES, 50, "50", 0});
    CHECK("Artillery fire hit the camps, killing or wounding 50.", {CNT_CASUALTIES, 50, "50", 0});
    CHECK("Dozens were killed when the building collapsed.", {CNT_KILLED, 12, "Dozens", CNT_VAGUE});
    CHECK("A prominent journalist has been killed in a car bomb explosion.",
          {CNT_KILLED, 1, "A prominent journalist", CNT_IMPLIED});
    CHECK("A Palestinian prisoner died in custody.",
          {CNT_KILLED, 1, "A Palestinian prisoner", CNT_IMPLIED});
    CHECK("Guerrillas killed the deputy chief of the militia.",
          {CNT_KILLED, 1, "the deputy chief", CNT_IMPLIED});
    NONE("Guerrillas killed the soldiers.");

    /* arrested */
    CHECK("Dozens were arrested after the march.", {CNT_ARRESTED, 12, "Dozens", CNT_VAGUE});
    CHECK("Police arrested dozens of protesters in Paris.",
          {CNT_ARRESTED, 12, "dozens", CNT_VAGUE});
    CHECK("Police fired on the crowd, killing one person and arresting 12.",
          {CNT_KILLED, 1, "one", 0}, {CNT_ARRESTED, 12, "12", 0});
    CHECK("Soldiers rounded up 40 men.", {CNT_ARRESTED, 40, "40", 0});

    /* size of a crowd or a force */
    CHECK("President Donald Trump deployed 4,000 National Guard troops to Los Angeles.",
          {CNT_SIZE, 4000, "4,000", 0});
    CHECK("Hundreds of protesters blocked the road.", {CNT_SIZE, 100, "Hundreds", CNT_VAGUE});
    CHECK("Up to 100 ethnic Albanians demonstrated on Tuesday.",
          {CNT_SIZE, 100, "Up to 100", CNT_AT_MOST});
    CHECK("Tens of thousands of students staged demonstrations.",
          {CNT_SIZE, 10000, "Tens of thousands", CNT_VAGUE});
    CHECK("Some 500,000 workers stopped work on the first day of a strike.",
          {CNT_SIZE, 500000, "Some 500,000", CNT_ABOUT});
    CHECK("A member of parliament started a hunger strike.",
          {CNT_SIZE, 1, "A member", CNT_IMPLIED});
    CHECK("The UN sent a 10,000-member peacekeeping force.", {CNT_SIZE, 10000, "10,000-member", 0});

    /* other people */
    CHECK("Ghana deported 168 Liberians on Monday.", {CNT_PEOPLE, 168, "168", 0});
    CHECK("Switzerland expelled two Russian diplomats.", {CNT_PEOPLE, 2, "two", 0});
    CHECK("Hackers defaced nearly 3,000 web sites.", {CNT_PEOPLE, 3000, "nearly 3,000", CNT_ABOUT});

    /* numbers that are no counts */
    NONE("Doctors handed over 700 kg of medicine.");
    NONE("The militia fought for 12 days in 1988.");
    NONE("The ceasefire began on 8 June.");
    NONE("The ceasefire began on June 8, 2025.");
    NONE("Turnout was 40 percent.");
    NONE("One third of the guerrillas have been demobilized.");
    NONE("The two countries signed a deal worth $5 million.");
    NONE("One of the leaders spoke.");
    NONE("");

    /* nearest the verb first */
    const cnt_count *c;
    const char *t = "Rebels killed 5 soldiers and later killed 7 villagers.";
    tx_segment(&d, t, strlen(t));
    size_t n = cnt_find(x, t, &d, 0, 7, &c); /* token 7: the second "killed" */
    ok(n == 2 && c[0].value == 7 && c[1].value == 5, "nearest the verb first", NULL);
    n = cnt_find(x, t, &d, 0, UINT32_MAX, &c);
    ok(n == 2 && c[0].value == 5 && c[1].value == 7, "text order without a verb", NULL);
    ok(cnt_find(x, t, &d, 9, UINT32_MAX, &c) == 0 && c == NULL, "a sentence past the end: 0", NULL);
    ok(!strcmp(cnt_kind_name(CNT_SIZE), "size") && !strcmp(cnt_kind_name(99), ""), "kind names",
       NULL);

    tx_doc_free(&d);
    cnt_ctx_free(x);
    cnt_ctx_free(NULL);
}

int main(void) {
    ok(mp__cnt_selfcheck(), "the word hash tables agree with the word lists", NULL);
    test_numbers();
    test_counts();
    printf("%d passed, %d failed\n", npass, nfail);
    return nfail ? 1 : 0;
}
