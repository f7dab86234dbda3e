/*
 * test_text.c -- tests of sentence splitting and tokenization (src/text.c).
 *
 * Each check prints one line when it fails; the program ends with
 * "N passed, N failed" and exits nonzero on any failure.  Besides the
 * expected tokens and sentences, every segmented document is checked for
 * the structural invariants: tokens in order, inside the text, each in
 * exactly one sentence; sentence spans equal to their tokens' spans;
 * normalized forms NUL-terminated, and each token's hash the FNV-1a of its
 * normalized form.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

static int npass, nfail;

/* FNV-1a, 32 bits, of s[0..n), as documented for tx_token.hash. */
static uint32_t fnv1a(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    size_t i;
    for (i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void ok(int cond, const char *what, const char *text)
{
    if (cond) {
        npass++;
    } else {
        nfail++;
        printf("FAIL: %s: [%.80s]\n", what, text ? text : "");
    }
}

/* The structural invariants of a segmented document. */
static int invariants(const tx_doc *d, const char *text, size_t len)
{
    size_t i, k = 0;
    for (i = 0; i < d->ntok; i++) {
        const tx_token *t = &d->tok[i];
        if (t->start >= t->end || t->end > len)
            return 0;
        if (i > 0 && t->start < d->tok[i - 1].end)
            return 0;
        if ((size_t)t->norm + t->nlen >= d->normlen || d->normbuf[t->norm + t->nlen] != '\0')
            return 0;
        if (strlen(d->normbuf + t->norm) != t->nlen)
            return 0;
        if (t->hash != fnv1a(d->normbuf + t->norm, t->nlen))
            return 0;
        if (t->kind < TX_WORD || t->kind > TX_NEG)
            return 0;
        if (d->dateline.end && t->start < d->dateline.end)
            return 0;
    }
    for (i = 0; i < d->nsent; i++) {
        const tx_sent *s = &d->sent[i];
        if (s->first != k || s->count == 0)
            return 0;
        k += s->count;
        if (k > d->ntok)
            return 0;
        if (s->start != d->tok[s->first].start || s->end != d->tok[k - 1].end)
            return 0;
    }
    (void)text;
    return k == d->ntok;
}

static tx_doc D;

static int seg(const char *text)
{
    size_t len = strlen(text);
    int rc = tx_segment(&D, text, len);
    ok(rc == 0, "tx_segment returns 0", text);
    ok(invariants(&D, text, len), "invariants", text);
    return rc;
}

/* Normalized tokens joined by spaces, sentences by " | ". */
static const char *render(void)
{
    static char buf[8192];
    size_t i, k, o = 0;
    buf[0] = '\0';
    for (i = 0; i < D.nsent; i++) {
        if (i)
            o += (size_t)snprintf(buf + o, sizeof buf - o, " |");
        for (k = 0; k < D.sent[i].count && o < sizeof buf - 1; k++) {
            const tx_token *t = &D.tok[D.sent[i].first + k];
            o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", o ? " " : "",
                                  D.normbuf + t->norm);
        }
        if (o >= sizeof buf - 1)
            break;
    }
    return buf;
}

static void toks(const char *text, const char *want)
{
    const char *got;
    seg(text);
    got = render();
    if (strcmp(got, want) != 0) {
        nfail++;
        printf("FAIL: tokens of [%s]\n   want [%s]\n    got [%s]\n", text, want, got);
    } else {
        npass++;
    }
}

/* The sentences' texts joined by "||". */
static void sents(const char *text, const char *want)
{
    static char buf[8192];
    size_t i, o = 0;
    seg(text);
    buf[0] = '\0';
    for (i = 0; i < D.nsent && o < sizeof buf - 1; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%.*s", i ? "||" : "",
                              (int)(D.sent[i].end - D.sent[i].start), text + D.sent[i].start);
    if (strcmp(buf, want) != 0) {
        nfail++;
        printf("FAIL: sentences of [%s]\n   want [%s]\n    got [%s]\n", text, want, buf);
    } else {
        npass++;
    }
}

/* Kinds of all tokens as a string of digits (TX_WORD=1 ...). */
static void kinds(const char *text, const char *want)
{
    char buf[256];
    size_t i;
    seg(text);
    for (i = 0; i < D.ntok && i < sizeof buf - 1; i++)
        buf[i] = (char)('0' + D.tok[i].kind);
    buf[i] = '\0';
    if (strcmp(buf, want) != 0) {
        nfail++;
        printf("FAIL: kinds of [%s]: want %s got %s\n", text, want, buf);
    } else {
        npass++;
    }
}

/* The token whose normalized form is norm (first one), or NULL. */
static const tx_token *find(const char *norm)
{
    size_t i;
    for (i = 0; i < D.ntok; i++)
        if (strcmp(D.normbuf + D.tok[i].norm, norm) == 0)
            return &D.tok[i];
    return NULL;
}

static void flag(const char *text, const char *norm, int want, int mask)
{
    const tx_token *t;
    char what[160];
    seg(text);
    t = find(norm);
    snprintf(what, sizeof what, "flags of %s (want %d under mask %d, got %d)", norm, want, mask,
             t ? t->flags & mask : -1);
    ok(t && (t->flags & mask) == want, what, text);
}

static void dateline(const char *text, const char *want_dateline, const char *want_first)
{
    char what[200];
    size_t dl;
    seg(text);
    dl = D.dateline.end - D.dateline.start;
    if (!want_dateline) {
        ok(D.dateline.start == 0 && D.dateline.end == 0, "no dateline", text);
        return;
    }
    snprintf(what, sizeof what, "dateline is [%s], got [%.*s]", want_dateline, (int)dl,
             text + D.dateline.start);
    ok(dl == strlen(want_dateline) &&
           memcmp(text + D.dateline.start, want_dateline, dl) == 0,
       what, text);
    ok(D.nsent > 0 && D.tok[D.sent[0].first].start >= D.dateline.end,
       "first sentence starts after the dateline", text);
    if (want_first && D.nsent > 0) {
        const tx_token *t = &D.tok[D.sent[0].first];
        snprintf(what, sizeof what, "first token after dateline is %s", want_first);
        ok(strcmp(D.normbuf + t->norm, want_first) == 0, what, text);
    }
}

static void test_words(void)
{
    toks("Al-Qaeda", "AL-QAEDA");
    toks("the U.S. army", "THE U.S. ARMY");
    toks("the U.N. said", "THE U.N. SAID");
    toks("K.U. won", "K.U. WON");
    toks("Barad-dur fell", "BARAD-DUR FELL");
    toks("anti- and pro-war", "ANTI- AND PRO-WAR");
    toks("O'Brien said", "O'BRIEN SAID");
    toks("a P225-million suit", "A P225-MILLION SUIT");
    toks("a one-on-one talk", "A ONE-ON-ONE TALK");
    toks("U.S.-led forces", "U.S.-LED FORCES");
    toks("AT&T and/or IBM", "AT&T AND / OR IBM");
    toks("the 1986/87 crop, 3/4", "THE 1986/87 CROP , 3/4");
    toks("Ph.D. holders", "PH.D. HOLDERS");
    toks("caf\xc3\xa9 \xc3\x89lys\xc3\xa9" "e", "CAF\xc3\xa9 \xc3\x89LYS\xc3\xa9" "E");
    toks("Mr. Smith and Dr. Jones", "MR. SMITH AND DR. JONES");
    toks("George W. Bush", "GEORGE W. BUSH");
    toks("in Jan. 1990", "IN JAN. 1990");
    toks("said no. Then", "SAID NO . | THEN");
    toks("No. 5 seed", "NO. 5 SEED");
    toks("Yahoo.com. Then", "YAHOO.COM . | THEN");
    toks("word--another", "WORD -- ANOTHER");
    toks("O\xe2\x80\x99" "Brien", "O'BRIEN");
}

static void test_possessive(void)
{
    toks("Gondor's army", "GONDOR 'S ARMY");
    kinds("Gondor's army", "151");
    toks("the Bahrains' envoy", "THE BAHRAINS ' ENVOY");
    kinds("the Bahrains' envoy", "1151");
    toks("Gondor\xe2\x80\x99s army", "GONDOR 'S ARMY");
    kinds("Gondor\xe2\x80\x99s army", "151");
    toks("O'Brien's plan", "O'BRIEN 'S PLAN");
    seg("Gondor's");
    ok(D.ntok == 2 && D.tok[0].start == 0 && D.tok[0].end == 6 && D.tok[1].start == 6 &&
           D.tok[1].end == 8,
       "offsets of GONDOR 'S", "Gondor's");
}

static void test_contractions(void)
{
    toks("didn't", "DID N'T");
    kinds("didn't", "16");
    toks("can't", "CA N'T");
    toks("won't", "WO N'T");
    toks("isn't", "IS N'T");
    toks("Don\xe2\x80\x99t go", "DO N'T GO");
    toks("it's", "IT 'S");
    kinds("it's", "15");
    toks("they're here", "THEY 'RE HERE");
    toks("we've, I'll, I'd, I'm", "WE 'VE , I 'LL , I 'D , I 'M");
    seg("didn't");
    ok(D.ntok == 2 && D.tok[0].end == 3 && D.tok[1].start == 3 && D.tok[1].end == 6,
       "offsets of DID N'T", "didn't");
}

static void test_numbers(void)
{
    toks("4,000 troops", "4,000 TROOPS");
    kinds("4,000 troops", "21");
    toks("5.93 mln", "5.93 MLN");
    kinds("5.93 mln", "21");
    toks("in 1990.", "IN 1990 .");
    kinds("in 1990.", "123");
    toks("a 12-year term", "A 12-YEAR TERM");
    kinds("a 12-year term", "121");
    toks("155,221 bags", "155,221 BAGS");
    toks("1,2345", "1 , 2345");
    toks("4,000,000.50", "4,000,000.50");
    toks("$5 million", "$ 5 MILLION");
    kinds("$5 million", "321");
}

static void test_punct(void)
{
    toks("a, b; c: (d) \"e\" f! g?", "A , B ; C : ( D ) \" E \" F ! G ?");
    kinds("a, b", "141");
    toks("PARIS, a -- b", "PARIS , A -- B");
    kinds("a -- b", "131");
    toks("\xe2\x80\x9cHi,\xe2\x80\x9d she said", "\" HI , \" SHE SAID");
    toks("x \xe2\x80\x94 y", "X -- Y");
    toks("'no'", "' NO '");
    flag("\"e\"", "\"", TX_QUOTE, TX_QUOTE);
    flag("a \xe2\x80\x9c" "b", "\"", TX_QUOTE, TX_QUOTE);
    flag("(a)", "(", 0, TX_QUOTE);
    toks("wait... what", "WAIT ... WHAT");
    toks("wait\xe2\x80\xa6 what", "WAIT ... WHAT");
    toks("100%", "100 %");
}

static void test_flags(void)
{
    flag("the Bank", "BANK", TX_CAP, TX_CAP | TX_ALLCAP);
    flag("the NATO", "NATO", TX_CAP | TX_ALLCAP, TX_CAP | TX_ALLCAP);
    flag("the U.S.", "U.S.", TX_CAP | TX_ALLCAP, TX_CAP | TX_ALLCAP);
    flag("the bank", "BANK", 0, TX_CAP | TX_ALLCAP);
    flag("a McDonald", "MCDONALD", TX_CAP, TX_CAP | TX_ALLCAP);
    flag("the \xc3\x89lys\xc3\xa9" "e", "\xc3\x89LYS\xc3\xa9" "E", TX_CAP, TX_CAP);
    flag("It ended. Then", ".", TX_END, TX_END);
    flag("It ended", "ENDED", 0, TX_END);
    flag("said no. then", ".", 0, TX_END);
    flag("in the U.S.", "U.S.", TX_END, TX_END);
}

static void test_sentences(void)
{
    sents("It rained. The war ended.", "It rained.||The war ended.");
    sents("Really? Yes! 5 died. (Then) more.", "Really?||Yes!||5 died.||(Then) more.");
    sents("He said \"no.\" Then left.", "He said \"no.\"||Then left.");
    sents("He said \xe2\x80\x9cno.\xe2\x80\x9d Then left.",
          "He said \xe2\x80\x9cno.\xe2\x80\x9d||Then left.");
    sents("He left (quietly.) Then came.", "He left (quietly.)||Then came.");
    sents("He said. \"We go.\"", "He said.||\"We go.\"");
    sents("it ended. then more", "it ended. then more");
    sents("It ended.Then more", "It ended.Then more");
    sents("Mr. Smith met Mrs. Jones and Dr. Who.", "Mr. Smith met Mrs. Jones and Dr. Who.");
    sents("Gen. Lee, Lt. Col. Maj. Capt. Sgt. Adm. Sen. Rep. Gov. Pres. Rev. Prof. Ms. X.",
          "Gen. Lee, Lt. Col. Maj. Capt. Sgt. Adm. Sen. Rep. Gov. Pres. Rev. Prof. Ms. X.");
    sents("St. Louis and Acme Inc. Corp. Co. Ltd. Bros. Jr. Sr. No. 1 vs. Y etc. Z.",
          "St. Louis and Acme Inc. Corp. Co. Ltd. Bros. Jr. Sr. No. 1 vs. Y etc. Z.");
    sents("Jan. Feb. Mar. Apr. Jun. Jul. Aug. Sep. Sept. Oct. Nov. Dec. Mt. Ft. approx. Q.",
          "Jan. Feb. Mar. Apr. Jun. Jul. Aug. Sep. Sept. Oct. Nov. Dec. Mt. Ft. approx. Q.");
    sents("George W. Bush spoke.", "George W. Bush spoke.");
    sents("The U.S. Army came. The U.N. General Assembly met.",
          "The U.S. Army came.||The U.N. General Assembly met.");
    sents("He went to the U.S. The trip was long.", "He went to the U.S.||The trip was long.");
    sents("He went to the U.S. It was long.", "He went to the U.S.||It was long.");
    sents("It fell to 5.93 mln. Prices rose.", "It fell to 5.93 mln.||Prices rose.");
    sents("Acme Inc. The company said.", "Acme Inc.||The company said.");
    sents("total Japan-U.S. Trade rose.", "total Japan-U.S. Trade rose.");
    sents("the U.S. Officials said.", "the U.S. Officials said.");
    sents("Sens. Alan Cranston and ex-Gov. Smith met.", "Sens. Alan Cranston and ex-Gov. Smith met.");
    sents("He said no. Then left.", "He said no.||Then left.");
    sents("It is No. 1 in sales.", "It is No. 1 in sales.");
    /* newlines */
    sents("a title\n\nThe text begins", "a title||The text begins");
    sents("first line\nsecond line", "first line\nsecond line");
    sents("It ended.\nthen more", "It ended.\nthen more");
    sents("It ended.\nThen more", "It ended.||Then more");
    sents("in the U.S.\nPrices rose", "in the U.S.||Prices rose");
    sents("called it \"fake\"\nThe man left", "called it \"fake\"||The man left");
    sents("called it \"fake\" The man left", "called it \"fake\" The man left");
    sents("met Mr.\nSmith today", "met Mr.\nSmith today");
    sents("a b\r\n\r\nc d", "a b||c d");
    sents("a b\n   \t\nc d", "a b||c d");
    sents("met Mr.\n\nSmith", "met Mr.||Smith");
    sents("  \n  Leading space.  \n", "Leading space.");
    sents("No terminal at the end", "No terminal at the end");
    sents("Ends with a period.", "Ends with a period.");
}

static void test_datelines(void)
{
    dateline("CEBU CITY: -- Cordova Mayor Adelino Sitoy filed a suit.", "CEBU CITY: --",
             "CORDOVA");
    dateline("WASHINGTON (Reuters) - The U.S. said.", "WASHINGTON (Reuters) -", "THE");
    dateline("LONDON, June 8 (AP) -- Talks began.", "LONDON, June 8 (AP) --", "TALKS");
    dateline("PARIS -- France said.", "PARIS --", "FRANCE");
    dateline("NEW YORK, March 3 - Stocks fell.", "NEW YORK, March 3 -", "STOCKS");
    dateline("BAGHDAD \xe2\x80\x94 A bomb exploded.", "BAGHDAD \xe2\x80\x94", "A");
    dateline("\n  SAN JOSE, Costa Rica, June 8, 2004 (AFP) - Rain.",
             "SAN JOSE, Costa Rica, June 8, 2004 (AFP) -", "RAIN");
    dateline("The U.S. -- and others -- said.", NULL, NULL);
    dateline("Washington (Reuters) - The U.S. said.", NULL, NULL);
    dateline("ONE TWO THREE FOUR FIVE -- x", NULL, NULL);
    dateline("IBM said it would buy.", NULL, NULL);
    dateline("PARIS --France", NULL, NULL);
    seg("CEBU CITY: -- Cordova Mayor Adelino Sitoy said.");
    ok(D.nsent == 1 && find("CEBU") == NULL && find("--") == NULL,
       "dateline tokens are in no sentence", "CEBU CITY: --");
    seg("WASHINGTON (Reuters) -   ");
    ok(D.nsent == 0 && D.ntok == 0, "dateline alone gives no sentence", "WASHINGTON -");
}

static void test_edges(void)
{
    char *big;
    size_t i, n;

    seg("");
    ok(D.ntok == 0 && D.nsent == 0, "empty text", "");
    ok(tx_segment(&D, NULL, 0) == 0 && D.nsent == 0, "NULL empty text", "");
    seg("     \n\t  \r\n  ");
    ok(D.ntok == 0 && D.nsent == 0, "only whitespace", "");
    seg("\xc2\xa0\xe2\x80\x83\xe3\x80\x80");
    ok(D.ntok == 0 && D.nsent == 0, "only Unicode spaces", "");
    seg("x");
    ok(D.ntok == 1 && D.nsent == 1 && D.sent[0].end == 1, "one letter", "x");
    seg(".");
    ok(D.ntok == 1 && D.nsent == 1, "one period", ".");
    seg("'");
    ok(D.ntok == 1 && D.nsent == 1, "one apostrophe", "'");
    toks("n't", "N'T");
    toks("s'", "S '");
    toks("-", "-");
    toks("a-", "A-");
    toks("x.", "X .");
    toks("A.", "A.");
    toks("\xe2\x80\x99", "'");
    toks("\xe2\x80\x9c", "\"");

    /* reuse keeps working */
    seg("One. Two. Three.");
    ok(D.nsent == 3, "three sentences", "One. Two. Three.");
    seg("Four.");
    ok(D.nsent == 1 && D.ntok == 2, "reuse after a longer document", "Four.");

    /* a 1 MB word */
    n = 1 << 20;
    big = malloc(n + 3);
    ok(big != NULL, "malloc", NULL);
    if (big) {
        for (i = 0; i < n; i++)
            big[i] = (char)('a' + i % 26);
        strcpy(big + n, ". ");
        ok(tx_segment(&D, big, n + 2) == 0, "1 MB word segments", NULL);
        ok(D.ntok == 2 && D.nsent == 1 && D.tok[0].end == n && D.tok[0].nlen == n,
           "1 MB word is one token", NULL);
        ok(invariants(&D, big, n + 2), "1 MB word invariants", NULL);
        /* a 1 MB word of dotted letters and hyphens: still linear, one token */
        for (i = 0; i < n; i++)
            big[i] = i % 2 ? (i % 6 == 5 ? '-' : '.') : 'A';
        big[n - 1] = 'A';
        ok(tx_segment(&D, big, n) == 0 && D.ntok == 1, "1 MB dotted word is one token", NULL);
        free(big);
    }

    /* 10 MB of "a b c " */
    n = 10u << 20;
    big = malloc(n);
    ok(big != NULL, "malloc", NULL);
    if (big) {
        for (i = 0; i < n; i++)
            big[i] = "a b c "[i % 6];
        ok(tx_segment(&D, big, n) == 0, "10 MB segments", NULL);
        ok(D.nsent == 1 && D.ntok == n / 2 && D.sent[0].count == n / 2,
           "10 MB without punctuation is one sentence", NULL);
        ok(invariants(&D, big, n), "10 MB invariants", NULL);
        /* 10 MB of short sentences */
        for (i = 0; i < n; i++)
            big[i] = "Ab c. "[i % 6];
        ok(tx_segment(&D, big, n) == 0 && D.nsent == n / 6 + (n % 6 != 0), "10 MB of sentences", NULL);
        ok(invariants(&D, big, n), "10 MB of sentences invariants", NULL);
        /* 10 MB of spaces */
        memset(big, ' ', n);
        ok(tx_segment(&D, big, n) == 0 && D.nsent == 0, "10 MB of spaces", NULL);
        free(big);
    }
    ok(tx_segment(&D, "x", TX_MAX_LEN + 1) == -2 && D.ntok == 0, "too long is refused", NULL);
}

/* tx_token.hash is FNV-1a over the normalized bytes: known values, and
 * every token of documents whose normalization changes bytes or lengths. */
static void test_hash(void)
{
    static const char *const texts[] = {
        "Gondor's army didn't go; it's 4,000 troops.",
        "\xe2\x80\x9cHi,\xe2\x80\x9d O\xe2\x80\x99" "Brien said \xe2\x80\x94 wait\xe2\x80\xa6 "
        "\xc2\xab" "caf\xc3\xa9\xc2\xbb the U.S.-led Japan-U.S. AT&T 1986/87 anti- x--y",
        "Don\xe2\x80\x99t \xe2\x80\x98no\xe2\x80\x99 the Bahrains' \xe4\xb8\xad\xe6\x96\x87 "
        "\xf0\x9f\x98\x80 Mr. W. No. 5 (a) [b] {c} $5 100% x",
    };
    const tx_token *t;
    size_t i, k;

    seg("Gondor's army");
    ok((t = find("GONDOR")) && t->hash == 0x8e1d0dc8u, "hash of GONDOR", "Gondor's army");
    ok((t = find("'S")) && t->hash == 0x2ebe288fu, "hash of 'S", "Gondor's army");
    ok((t = find("ARMY")) && t->hash == 0x687c7264u, "hash of ARMY", "Gondor's army");
    seg("caf\xc3\xa9 4,000 wait\xe2\x80\xa6 \xe2\x80\x9cx -- y");
    ok((t = find("CAF\xc3\xa9")) && t->hash == 0xb49cd829u, "hash of CAF\xc3\xa9", NULL);
    ok((t = find("4,000")) && t->hash == 0x31eefa4fu, "hash of 4,000", NULL);
    ok((t = find("...")) && t->hash == 0x0ac31c19u, "hash of ... from an ellipsis", NULL);
    ok((t = find("\"")) && t->hash == 0x270c92a5u, "hash of \" from a curly quote", NULL);
    ok((t = find("--")) && t->hash == 0x20cd1d0fu, "hash of --", NULL);
    for (k = 0; k < sizeof texts / sizeof *texts; k++) {
        int good = 1;
        seg(texts[k]);
        for (i = 0; i < D.ntok; i++)
            good &= D.tok[i].hash == fnv1a(D.normbuf + D.tok[i].norm, D.tok[i].nlen);
        ok(good && D.ntok > 10, "hash is FNV-1a of the normalized form", texts[k]);
    }
}

/* Random documents built from tricky fragments: the invariants hold, every
 * byte outside the tokens is whitespace, and segmenting twice gives the
 * same result. */
static void test_random(void)
{
    static const char *const frag[] = {
        "a", "Zed", "U.S.", "U.", "S", ".", ". ", "..", "!", "?", "'", "'s", "s'", "n't",
        "n", "-", "--", "- ", ",", "4,000", "5.93", "1,2", " ", "  ", "\n", "\n\n", "\r\n",
        "\t", "\"", "(", ")", "Mr.", "No.", "The", "It", "W.", "$", "%", "/", "&", "AT&T",
        "\xe2\x80\x99", "\xe2\x80\x98", "\xe2\x80\x9c", "\xe2\x80\x9d", "\xe2\x80\x94",
        "\xe2\x80\xa6", "\xc2\xa0", "\xc3\x89", "\xc3\xa9", "\xe2\x80\xa8",
        "\xe2\x80\xa9", "\xe4\xb8\xad", "\xf0\x9f\x98\x80", "PARIS", " -- ", ": ",
        "(AP)", ", June 8", "\x01", "`", "anti-", "O'", "Brien",
    };
    enum { NF = sizeof frag / sizeof *frag };
    static char buf[4096];
    unsigned long x = 12345;
    int iter, bad = 0;
    size_t len = 0;
    tx_doc d2;

    tx_doc_init(&d2);
    for (iter = 0; iter < 20000 && !bad; iter++) {
        size_t i, nf;
        len = 0;
        x = x * 6364136223846793005UL + 1442695040888963407UL;
        nf = (x >> 33) % 40;
        for (i = 0; i < nf; i++) {
            const char *f;
            x = x * 6364136223846793005UL + 1442695040888963407UL;
            f = frag[(x >> 33) % NF];
            memcpy(buf + len, f, strlen(f));
            len += strlen(f);
        }
        if (tx_segment(&D, buf, len) != 0 || !invariants(&D, buf, len)) {
            bad = 1;
            break;
        }
        {
            size_t prev = D.dateline.end;
            for (i = 0; i <= D.ntok && !bad; i++) {
                size_t to = i < D.ntok ? D.tok[i].start : len, j;
                for (j = prev; j < to; j++) {
                    unsigned char c = (unsigned char)buf[j];
                    if (c > ' ' && c < 0x7f)
                        bad = 2;
                }
                if (i < D.ntok)
                    prev = D.tok[i].end;
            }
        }
        if (!bad && (tx_segment(&d2, buf, len) != 0 || d2.ntok != D.ntok ||
                     d2.nsent != D.nsent || d2.normlen != D.normlen ||
                     memcmp(d2.normbuf, D.normbuf, D.normlen) != 0 ||
                     memcmp(d2.sent, D.sent, D.nsent * sizeof *D.sent) != 0))
            bad = 3;
        for (i = 0; !bad && i < D.ntok; i++)
            if (d2.tok[i].start != D.tok[i].start || d2.tok[i].end != D.tok[i].end ||
                d2.tok[i].norm != D.tok[i].norm || d2.tok[i].kind != D.tok[i].kind ||
                d2.tok[i].flags != D.tok[i].flags || d2.tok[i].hash != D.tok[i].hash)
                bad = 3;
    }
    if (bad)
        printf("random document %d (%s):\n%.*s\n", iter,
               bad == 1 ? "invariants" : bad == 2 ? "uncovered byte" : "not repeatable",
               (int)len, buf);
    ok(!bad, "random documents", NULL);
    tx_doc_free(&d2);

    /* a NUL byte is whitespace */
    ok(tx_segment(&D, "a\0b. C", 7) == 0 && D.ntok == 4 && D.nsent == 2, "NUL byte", NULL);
}

int main(void)
{
    tx_doc_init(&D);
    test_words();
    test_possessive();
    test_contractions();
    test_numbers();
    test_punct();
    test_flags();
    test_sentences();
    test_datelines();
    test_edges();
    test_hash();
    test_random();
    tx_doc_free(&D);
    tx_doc_free(&D);
    tx_doc_free(NULL);
    printf("%d passed, %d failed\n", npass, nfail);
    return nfail != 0;
}
