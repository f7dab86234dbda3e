/*
 * text.c -- sentence splitting and tokenization of one document.
 *
 * What it does.  tx_segment() reads a document once, left to right, and
 * produces three things in a tx_doc: the tokens (byte spans of the text with
 * a kind and flags), the normalized form of each token (ASCII uppercased,
 * curly quotes made straight, NUL-terminated, in one buffer, and its FNV-1a
 * hash in the token), and the sentences (runs of consecutive tokens).  A dateline at the start of the
 * document ("WASHINGTON (Reuters) -") is recognized first; its span is kept
 * and its words make no tokens.
 *
 * How.  One pass over the bytes.  A byte class table sorts each byte into
 * space, newline, letter, digit, ordinary UTF-8, maybe-special UTF-8 lead
 * (0xC2, 0xE2, 0xE3, 0xEF: no-break spaces, curly quotes, dashes, ellipsis)
 * or ASCII punctuation.  A word runs over letters, digits and ordinary
 * UTF-8 and decides at each connector whether to go on:
 *
 *     -  between word characters (AL-QAEDA, 12-YEAR), or before a space (ANTI-)
 *     .  before a letter or digit (U.S, 5.93); a final period is kept by
 *        abbreviations (U.S. MR. W.) and is a token of its own otherwise
 *     '  inside a word (O'BRIEN); split off as N'T, 'S, 'RE 'VE 'LL 'D 'M,
 *        or as a possessive ' after a final s (BAHRAINS ')
 *     ,  in a number before three digits (4,000)
 *     /   between digits (1986/87); & between letters or digits (AT&T)
 *
 * Sentence ends are decided lazily, when the next token arrives: the scan
 * remembers the class of the last terminal (., !, ?, an abbreviation) and
 * keeps it across closing quotes and brackets that touch it; the gap of
 * whitespace before the next token (any space? how many newlines?) and that
 * token's first character then decide:
 *
 *     terminal class       ends the sentence before the next token when
 *     P_PLAIN  . ! ? ...   it starts with an uppercase letter, digit, quote
 *                          or opening bracket
 *     P_SUFFIX U.S. Inc.   it is a common sentence starter (The, It, He...),
 *              etc. Jan.   or a newline comes first and it is uppercase
 *     P_INITIAL W.         it is a common sentence starter
 *     P_PREFIX Mr. Gen.    never
 *     (none)               a newline comes first, it is uppercase, and the
 *                          last token was a quote
 *
 * and a blank line (two newlines with only whitespace between them) always
 * ends the sentence.  Titles and initials are exempt from the single-newline
 * rule because hard-wrapped text puts "Mr.\nSmith" on two lines.
 *
 * Every decision looks at a bounded neighbourhood of the current position
 * (abbreviations are checked only up to 24 bytes), so the whole pass is
 * linear in the text: a 1 MB word is one token, a 10 MB text without a
 * period is one sentence.
 *
 * Cost.  Tokenization is a large share of the coder's time, so the common
 * cases are kept short (about 31 instructions a byte of Reuters news text,
 * under callgrind at -O2).  A second table, ntab, gives each byte's
 * uppercase form and whether it is a word character, a capital, a small
 * letter, a digit or a possible connector.  A word is normalized and hashed
 * as it is scanned, in one loop over ntab; most words end there, at a
 * space or at punctuation that cannot join, and are appended at once.  The
 * others go on in word_on(), which handles the connectors above and the
 * maybe-special UTF-8 leads; a word split there is normalized again by
 * parts in emit().  Abbreviations are looked up only at a word's final
 * period, among the table's words of the same length.  The sentence
 * decision is skipped when no terminal is pending and no newline came
 * before the token, as it can then only say "go on".
 *
 * Invariants of a segmented tx_doc (tests/test_text.c checks them all):
 *   1. tokens are in text order, non-empty and disjoint, and none lies in
 *      the dateline;
 *   2. the sentences partition the tokens: sent[0].first == 0, each next
 *      sentence starts where the last ended, none is empty, the last ends
 *      at ntok; a sentence's span runs from its first token's start to its
 *      last token's end;
 *   3. normbuf holds each token's normalized form followed by a NUL, and
 *      normlen <= 2*len < normcap;
 *   4. each token's hash is the FNV-1a of its normalized form (text.h).
 *
 * Memory.  normbuf is sized once per call to 2*len + 1: each token's
 * normalized form is never longer than its bytes in the text, plus its NUL,
 * and tokens do not overlap (3).  Room for len/4 + 16 tokens is reserved
 * at the start of a call (news text has about one token per 5-6 bytes), so
 * the check for more room as each token is appended seldom fires; then the
 * array doubles.  Sentences grow by doubling.  All three keep their memory
 * from one document to the next.
 */
#include "text.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- byte classes ---------------------------------------------------------- */

enum {
    SP = 1, /* ASCII space, tab, other control characters */
    NL,     /* \n */
    CR,     /* \r */
    UP,     /* A-Z */
    LO,     /* a-z */
    DG,     /* 0-9 */
    HI,     /* UTF-8 lead or continuation byte that is always a word character */
    HX,     /* UTF-8 lead byte that may start a space, quote, dash...: see hclass */
    PU      /* ASCII punctuation */
};
#define WORDC(k) ((unsigned)(k) - UP < 4u) /* UP, LO, DG or HI */

static const uint8_t ctab[256] = {
    SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, NL, SP, SP, CR, SP, SP,
    SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP,
    SP, PU, PU, PU, PU, PU, PU, PU, PU, PU, PU, PU, PU, PU, PU, PU,
    DG, DG, DG, DG, DG, DG, DG, DG, DG, DG, PU, PU, PU, PU, PU, PU,
    PU, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP,
    UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, PU, PU, PU, PU, SP, /* '_' joins names in dictionaries: a space here */
    PU, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO,
    LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, PU, PU, PU, PU, SP,
    HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI,
    HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI,
    HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI,
    HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI,
    HI, HI, HX, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI,
    HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI,
    HI, HI, HX, HX, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HX,
    HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI,
};

static int is_alnum(unsigned c) { return c - '0' < 10u || (c | 32u) - 'a' < 26u; }
static int is_digit(unsigned c) { return c - '0' < 10u; }
static int is_hspace(unsigned c) { return c == ' ' || c == '\t'; }

/* The normalization table, which agrees with ctab: each byte's normalized
 * form (ASCII uppercased) in the low 8 bits and, above them, N_WORD if its
 * class is UP, LO, DG or HI (the word scan copies it without looking
 * further), N_UP, N_LO or N_DG for those classes, and N_JOIN if a word may
 * go on across it (' - . , / & and the HX lead bytes). */
enum { N_WORD = 0x100, N_UP = 0x200, N_LO = 0x400, N_JOIN = 0x800, N_DG = 0x1000 };
#define NT_HX(c) ((c) == 0xC2 || (c) == 0xE2 || (c) == 0xE3 || (c) == 0xEF)
#define NT_JOIN(c)                                                                                 \
    ((c) == '\'' || (c) == '-' || (c) == '.' || (c) == ',' || (c) == '/' || (c) == '&' || NT_HX(c))
#define NT1(c)                                                                                     \
    ((c) - 'a' < 26u   ? ((c) & 0xDFu) | N_WORD | N_LO                                          \
     : (c) - 'A' < 26u ? (c) | N_WORD | N_UP                                                      \
     : (c) - '0' < 10u                             ? (c) | N_WORD | N_DG                          \
     : (c) >= 0x80 && !NT_HX(c)                    ? (c) | N_WORD                                 \
     : NT_JOIN(c)                                  ? (c) | N_JOIN                                 \
                                                   : (c))
#define NT4(c) NT1(c), NT1((c) + 1u), NT1((c) + 2u), NT1((c) + 3u)
#define NT16(c) NT4(c), NT4((c) + 4u), NT4((c) + 8u), NT4((c) + 12u)
#define NT64(c) NT16(c), NT16((c) + 16u), NT16((c) + 32u), NT16((c) + 48u)
static const uint16_t ntab[256] = {NT64(0u), NT64(64u), NT64(128u), NT64(192u)};
#undef NT64
#undef NT16
#undef NT4
#undef NT1
#undef NT_JOIN
#undef NT_HX

/* FNV-1a, 32 bits, of the normalized form: see tx_token.hash. */
#define FNV_BASIS TX_HASH_BASIS
#define FNV_PRIME TX_HASH_PRIME

/* What a character starting with an HX lead byte is. */
enum {
    H_WORD = 0, /* an ordinary character: part of a word */
    H_SPACE,    /* no-break and other spaces, invisible format characters */
    H_NL,       /* U+2028 line separator */
    H_PARA,     /* U+2029 paragraph separator: like a blank line */
    H_APOS,     /* U+2018, U+2019, U+201B: an apostrophe or a single quote */
    H_SQUOTE,   /* other single quotes: U+201A, U+2039, U+203A */
    H_DQUOTE,   /* U+201C..U+201F, << >> */
    H_DASH,     /* U+2012..U+2015 */
    H_ELLIPSIS, /* U+2026 */
    H_PUNCT     /* the rest of General Punctuation: bullets, daggers... */
};

/* Classify the character at s[p], whose lead byte is of class HX; *len gets
 * its length in bytes.  Reads no further than n (the text is valid UTF-8,
 * but a missing byte reads as 0). */
static int hclass(const unsigned char *s, size_t n, size_t p, size_t *len)
{
    unsigned c = s[p];
    unsigned c1 = p + 1 < n ? s[p + 1] : 0;
    unsigned c2 = p + 2 < n ? s[p + 2] : 0;

    if (c == 0xC2) {
        *len = 2;
        if (c1 == 0xA0)
            return H_SPACE;
        if (c1 == 0xAB || c1 == 0xBB)
            return H_DQUOTE;
        return H_WORD;
    }
    *len = 3;
    if (c == 0xE3)
        return c1 == 0x80 && c2 == 0x80 ? H_SPACE : H_WORD; /* U+3000 */
    if (c == 0xEF)
        return c1 == 0xBB && c2 == 0xBF ? H_SPACE : H_WORD; /* U+FEFF */
    if (c1 == 0x80) { /* U+2000..U+203F */
        if (c2 <= 0x8B || c2 == 0x8E || c2 == 0x8F || (c2 >= 0xAA && c2 <= 0xAF))
            return H_SPACE;
        if (c2 <= 0x91) /* ZWNJ, ZWJ, hyphen, non-breaking hyphen */
            return H_WORD;
        if (c2 <= 0x95)
            return H_DASH;
        if (c2 == 0x98 || c2 == 0x99 || c2 == 0x9B)
            return H_APOS;
        if (c2 == 0x9A || c2 == 0xB9 || c2 == 0xBA)
            return H_SQUOTE;
        if (c2 >= 0x9C && c2 <= 0x9F)
            return H_DQUOTE;
        if (c2 == 0xA6)
            return H_ELLIPSIS;
        if (c2 == 0xA8)
            return H_NL;
        if (c2 == 0xA9)
            return H_PARA;
        return H_PUNCT;
    }
    if (c1 == 0x81) { /* U+2040..U+207F */
        if (c2 <= 0x9E)
            return H_PUNCT;
        if (c2 <= 0xAF) /* U+205F space, U+2060..U+206F invisible */
            return H_SPACE;
    }
    return H_WORD;
}

/* Does a word character start at s[p]? */
static int wordish(const unsigned char *s, size_t n, size_t p)
{
    size_t l;
    if (p >= n)
        return 0;
    if (WORDC(ctab[s[p]]))
        return 1;
    return ctab[s[p]] == HX && hclass(s, n, p, &l) == H_WORD;
}

/* Does an uppercase letter start at s[p]?  ASCII, Latin-1, Latin
 * Extended-A (even code points), Greek and Cyrillic capitals. */
static int upper_at(const unsigned char *s, size_t n, size_t p)
{
    unsigned c = s[p], c1;
    if (c - 'A' < 26u)
        return 1;
    if (c < 0xC3 || p + 1 >= n)
        return 0;
    c1 = s[p + 1];
    switch (c) {
    case 0xC3: return c1 <= 0x9E && c1 != 0x97;
    case 0xC4: return !(c1 & 1);
    case 0xCE: return c1 >= 0x91 && c1 <= 0xA9 && c1 != 0xA2;
    case 0xD0: return c1 <= 0xAF;
    default: return 0;
    }
}

static int dash3_at(const unsigned char *s, size_t n, size_t p)
{
    return p + 2 < n && s[p] == 0xE2 && s[p + 1] == 0x80 && (s[p + 2] == 0x93 || s[p + 2] == 0x94);
}

/* ---- abbreviations and sentence starters ----------------------------------- */

/* Classes of a terminal, see the table in the essay. */
enum { P_NONE = 0, P_PLAIN, P_SUFFIX, P_INITIAL, P_PREFIX };

/* Abbreviations that keep their period, by length: abbrevs[len] are the
 * words of len letters. */
typedef struct {
    const char *w;
    uint8_t cls;
} abbrev;

static const abbrev ab2[] = {
    {"Mr", P_PREFIX}, {"Ms", P_PREFIX}, {"Dr", P_PREFIX}, {"Lt", P_PREFIX}, {"Mt", P_PREFIX},
    {"Ft", P_PREFIX}, {"vs", P_PREFIX}, {"St", P_SUFFIX}, {"Jr", P_SUFFIX}, {"Sr", P_SUFFIX},
    {"Co", P_SUFFIX},
};
static const abbrev ab3[] = {
    {"Mrs", P_PREFIX}, {"Gen", P_PREFIX}, {"Col", P_PREFIX}, {"Maj", P_PREFIX},
    {"Sgt", P_PREFIX}, {"Adm", P_PREFIX}, {"Sen", P_PREFIX}, {"Rep", P_PREFIX},
    {"Gov", P_PREFIX}, {"Rev", P_PREFIX}, {"Inc", P_SUFFIX}, {"Ltd", P_SUFFIX},
    {"etc", P_SUFFIX}, {"Jan", P_SUFFIX}, {"Feb", P_SUFFIX}, {"Mar", P_SUFFIX},
    {"Apr", P_SUFFIX}, {"Jun", P_SUFFIX}, {"Jul", P_SUFFIX}, {"Aug", P_SUFFIX},
    {"Sep", P_SUFFIX}, {"Oct", P_SUFFIX}, {"Nov", P_SUFFIX}, {"Dec", P_SUFFIX},
};
static const abbrev ab4[] = {
    {"Prof", P_PREFIX}, {"Capt", P_PREFIX}, {"Pres", P_PREFIX}, {"Sens", P_PREFIX},
    {"Reps", P_PREFIX}, {"Gens", P_PREFIX}, {"Govs", P_PREFIX}, {"Corp", P_SUFFIX},
    {"Bros", P_SUFFIX}, {"Sept", P_SUFFIX},
};
static const abbrev ab6[] = {
    {"approx", P_PREFIX}, {"Messrs", P_PREFIX},
};
#define AB(a) {a, sizeof a / sizeof *a}
static const struct {
    const abbrev *a;
    size_t n;
} abbrevs[] = {{NULL, 0}, {NULL, 0}, AB(ab2), AB(ab3), AB(ab4), {NULL, 0}, AB(ab6)};
#undef AB

/* Words that, after "U.S." or an initial, show that a new sentence began.
 * Kept to function words: some news text capitalizes nouns after "U.S."
 * ("U.S. Officials", "U.S. And Canadian banks"). */
static const char *const starters[] = {
    "The", "It", "He", "She", "They", "We", "I", "But", "In", "A", "An", "This",
    "That", "These", "Those", "There", "His", "Her", "Its", "Their", "However",
    "Meanwhile", "If", "When", "While",
};

static int is_starter(const unsigned char *w, size_t len)
{
    size_t i;
    for (i = 0; i < sizeof starters / sizeof *starters; i++)
        if (strlen(starters[i]) == len && memcmp(starters[i], w, len) == 0)
            return 1;
    return 0;
}

/* Is the word s[b..e), followed by a period at s[e], an abbreviation that
 * keeps the period?  After a hyphen only the last part counts
 * ("Japan-U.S.", "ex-Gov.").  Returns its class, or P_NONE. */
static int abbrev_class(const unsigned char *s, size_t n, size_t b, size_t e)
{
    size_t len, i, seg = 0;
    int dots = 0, ok = 1, shortseg = 1, allup = 1;

    for (i = e; i > b && e - i <= 24 && (s[i - 1] == '.' || (s[i - 1] | 32u) - 'a' < 26u); i--)
        ;
    if (i > b && s[i - 1] == '-' && i < e)
        b = i;
    len = e - b;
    if (len == 1 && (unsigned)s[b] - 'A' < 26u)
        return P_INITIAL;
    if (len > 24)
        return P_NONE;
    /* dotted: letter segments of 1-3 joined by periods: U.S, a.m, Ph.D */
    for (i = b; i < e && ok; i++) {
        unsigned c = s[i];
        if ((c | 32u) - 'a' < 26u) {
            shortseg &= ++seg <= 3;
            allup &= c - 'A' < 26u;
        } else if (c == '.' && seg) {
            seg = 0;
            dots = 1;
        } else {
            ok = 0;
        }
    }
    if (!ok)
        return P_NONE;
    if (dots)
        return seg && shortseg ? P_SUFFIX : P_NONE;
    /* "No." only before a number: "No. 5", not "said no." */
    if (len == 2 && (s[b] == 'N' && (s[b + 1] == 'o' || s[b + 1] == 'O'))) {
        size_t t = e + 1;
        while (t < n && is_hspace(s[t]))
            t++;
        return t < n && is_digit(s[t]) ? P_PREFIX : P_NONE;
    }
    if (len >= sizeof abbrevs / sizeof *abbrevs)
        return P_NONE;
    for (i = 0; i < abbrevs[len].n; i++) {
        const abbrev *a = &abbrevs[len].a[i];
        size_t k;
        if (((unsigned)a->w[0] | 32u) != (s[b] | 32u))
            continue;
        if (memcmp(a->w, s + b, len) == 0)
            return a->cls;
        if (!allup)
            continue;
        for (k = 0; k < len && ((unsigned)a->w[k] & ~32u) == s[b + k]; k++)
            ;
        if (k == len)
            return a->cls;
    }
    return P_NONE;
}

/* ---- datelines -------------------------------------------------------------- */

/* Recognize a dateline at the start of the text:
 *
 *     PLACE [, DATE] [(AGENCY)] [:] DASH whitespace
 *
 * PLACE is 1-4 all-caps words, DATE 1-5 words or numbers starting with a
 * capital or digit, AGENCY up to 40 bytes, DASH "-", "--"... or an en/em
 * dash.  Returns the offset just past the dash and sets *start to the first
 * byte of PLACE, or returns 0 if there is no dateline. */
static size_t dateline(const unsigned char *s, size_t n, size_t *start)
{
    size_t p = 0, words = 0, t;

    while (p < n && ((unsigned)ctab[s[p]] - SP < 3u)) /* SP, NL, CR */
        p++;
    *start = p;
    for (;;) {
        if (p >= n || !upper_at(s, n, p) || ++words > 4)
            return 0;
        while (p < n) {
            unsigned c = s[p];
            if (c - 'A' < 26u)
                p++;
            else if (c == 0xC3 && p + 1 < n && upper_at(s, n, p))
                p += 2;
            else if ((c == '.' || c == '-' || c == '\'' || c == '&') && p + 1 < n &&
                     (unsigned)s[p + 1] - 'A' < 26u)
                p++;
            else if (c == '.') { /* ST. */
                p++;
                break;
            } else
                break;
        }
        for (t = p; t < n && is_hspace(s[t]); t++)
            ;
        if (t == p || t >= n || !upper_at(s, n, t))
            break;
        p = t;
    }
    while (p < n && is_hspace(s[p]))
        p++;
    if (p < n && s[p] == ',') {
        int items = 0;
        for (p++; p < n && is_hspace(s[p]); p++)
            ;
        for (;;) {
            if (p >= n || !is_alnum(s[p]) || ++items > 5)
                return 0;
            if (items == 1 && !((unsigned)s[p] - 'A' < 26u || is_digit(s[p])))
                return 0;
            while (p < n && (is_alnum(s[p]) || s[p] == '.'))
                p++;
            t = p;
            if (t < n && s[t] == ',')
                t++;
            while (t < n && is_hspace(s[t]))
                t++;
            if (t < n && (s[t] == '(' || s[t] == ':' || s[t] == '-' || dash3_at(s, n, t))) {
                p = t;
                break;
            }
            if (t == p)
                return 0;
            p = t;
        }
    }
    if (p < n && s[p] == '(') {
        for (t = p + 1; t < n && t - p <= 40 && s[t] != ')' && s[t] != '(' && s[t] != '\n'; t++)
            ;
        if (t >= n || s[t] != ')' || t == p + 1)
            return 0;
        for (p = t + 1; p < n && is_hspace(s[p]); p++)
            ;
    }
    if (p < n && s[p] == ':')
        for (p++; p < n && is_hspace(s[p]); p++)
            ;
    if (p < n && s[p] == '-') {
        while (p < n && s[p] == '-')
            p++;
    } else if (dash3_at(s, n, p)) {
        p += 3;
    } else {
        return 0;
    }
    if (p >= n || (unsigned)ctab[s[p]] - SP >= 3u)
        return 0;
    return p;
}

/* ---- the scan ----------------------------------------------------------------- */

/* Internal token flags, stripped before storing. */
enum { F_CLOSE = 0x40 /* a closing quote or bracket */, F_OPEN = 0x80 /* ( [ { */ };

typedef struct {
    tx_doc *d;
    const unsigned char *s;
    size_t n;
    size_t sfirst;     /* first token of the open sentence */
    size_t pend_tok;   /* the terminal token, when pend != P_NONE */
    int pend;          /* class of a terminal the sentence may end after */
    int last_quote;    /* the last token is a quote character */
    int gap_ws;        /* whitespace since the last token */
    int gap_nl;        /* newlines since the last token */
    int tail_stops;    /* the text's last byte is not a word character (ntab) */
} scan;

/* Grow an array to hold at least need elements of size elem.  Returns the
 * new array (and updates *cap) or NULL, leaving the old one untouched. */
static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
    size_t nc = *cap ? *cap : 16;
    void *np;
    while (nc < need) {
        if (nc > SIZE_MAX / 2 / elem)
            return NULL;
        nc *= 2;
    }
    np = realloc(p, nc * elem);
    if (np)
        *cap = nc;
    return np;
}

/* Close the open sentence, if it has tokens. */
static int close_sent(scan *st)
{
    tx_doc *d = st->d;
    tx_sent *se;

    if (d->ntok == st->sfirst)
        return 0;
    if (d->nsent == d->capsent) {
        tx_sent *ns = grow(d->sent, &d->capsent, d->nsent + 1, sizeof *ns);
        if (!ns)
            return -1;
        d->sent = ns;
    }
    if (st->pend != P_NONE)
        d->tok[st->pend_tok].flags |= TX_END;
    assert(st->sfirst == (d->nsent ? d->sent[d->nsent - 1].first + d->sent[d->nsent - 1].count
                                   : 0)); /* invariant 2 */
    se = &d->sent[d->nsent++];
    se->start = d->tok[st->sfirst].start;
    se->end = d->tok[d->ntok - 1].end;
    se->first = (uint32_t)st->sfirst;
    se->count = (uint32_t)(d->ntok - st->sfirst);
    st->sfirst = d->ntok;
    return 0;
}

/* Does the open sentence end before a token [b,e) with these flags, given
 * the whitespace gap before it? */
static int ends_before(const scan *st, size_t b, size_t e, int flags)
{
    const unsigned char *s = st->s;
    int up;

    if (st->gap_nl >= 2)
        return 1;
    up = upper_at(s, st->n, b);
    switch (st->pend) {
    case P_PLAIN: return up || is_digit(s[b]) || (flags & (TX_QUOTE | F_OPEN));
    case P_SUFFIX: return (st->gap_nl && up) || is_starter(s + b, e - b);
    case P_INITIAL: return is_starter(s + b, e - b);
    case P_PREFIX: return 0;
    default: return st->gap_nl && up && st->last_quote;
    }
}

#if defined(__GNUC__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE
#endif

/* Before appending the token s[b..e) with these flags: decide whether the
 * open sentence ends before it, note what the token is for the next
 * decision, and make room for it.  Returns 0, or -1 on allocation failure. */
static NOINLINE int open_token_slow(scan *st, size_t b, size_t e, int flags)
{
    tx_doc *d = st->d;

    if (d->ntok > st->sfirst) {
        if (st->gap_ws) {
            if (ends_before(st, b, e, flags) && close_sent(st) != 0)
                return -1;
            st->pend = P_NONE;
        } else if (!(flags & F_CLOSE)) {
            st->pend = P_NONE;
        }
    }
    st->gap_ws = st->gap_nl = 0;
    st->last_quote = (flags & TX_QUOTE) != 0;
    if (d->ntok == d->captok) { /* rare: tx_segment reserved len/4 + 16 */
        tx_token *nt = grow(d->tok, &d->captok, d->ntok + 1, sizeof *nt);
        if (!nt)
            return -1;
        d->tok = nt;
    }
    return 0;
}

static inline int open_token(scan *st, size_t b, size_t e, int flags)
{
    /* Most tokens come with no terminal pending and no newline before them,
     * when ends_before() is false and nothing but the gap changes. */
    if ((st->pend | st->gap_nl) == 0 && st->d->ntok < st->d->captok) { /* P_NONE is 0 */
        st->gap_ws = 0;
        st->last_quote = (flags & TX_QUOTE) != 0;
        return 0;
    }
    return open_token_slow(st, b, e, flags);
}

/* Append the token s[b..e) whose normalized form, k bytes with FNV-1a hash
 * h, has been written at normbuf + normlen; flags are public ones. */
static inline void put_token(tx_doc *d, size_t b, size_t e, size_t k, uint32_t h, int kind,
                             int flags)
{
    tx_token *t = &d->tok[d->ntok++];

    d->normbuf[d->normlen + k] = '\0';
    t->start = (uint32_t)b;
    t->end = (uint32_t)e;
    t->norm = (uint32_t)d->normlen;
    t->nlen = (uint32_t)k;
    t->hash = h;
    t->kind = (uint8_t)kind;
    t->flags = (uint8_t)flags;
    d->normlen += k + 1;
}

/* Is the first letter of s[b..e) a capital: ASCII, or a 2-byte (Latin,
 * Greek, Cyrillic...) one? */
static int first_cap(const unsigned char *s, size_t b, size_t e)
{
    size_t i;
    for (i = b; i < e; i++) {
        unsigned c = s[i];
        if (ntab[c] & (N_UP | N_LO))
            return (ntab[c] & N_UP) != 0;
        if (c >= 0xC3 && c < 0xE0)
            return upper_at(s, e, i);
    }
    return 0;
}

/* TX_CAP and TX_ALLCAP of the token s[b..e); t is ntab[s[b]] and m the OR
 * of ntab[] over its ASCII bytes (only N_UP and N_LO matter). */
static inline int case_flags(const unsigned char *s, size_t b, size_t e, unsigned t, unsigned m)
{
    int f = t & (N_UP | N_LO) ? (t & N_UP ? TX_CAP : 0) : first_cap(s, b, e) ? TX_CAP : 0;

    if ((m & (N_UP | N_LO)) == N_UP) { /* no lowercase: are there two capitals? */
        size_t i;
        int nup = 0;
        for (i = b; i < e && nup < 2; i++)
            nup += (ntab[s[i]] & N_UP) != 0;
        if (nup == 2)
            f |= TX_ALLCAP;
    }
    return f;
}

/* Append the token s[b..e) of the given kind, deciding first whether the
 * open sentence ends before it: the general case, for punctuation of more
 * than one byte and the parts of split words.  Returns 0, or -1 on
 * allocation failure. */
static int emit(scan *st, size_t b, size_t e, int kind, int flags)
{
    tx_doc *d = st->d;
    const unsigned char *s = st->s;
    unsigned char *o;
    size_t i, k = 0;
    unsigned m = 0;
    uint32_t h = FNV_BASIS;

    if (open_token(st, b, e, flags) != 0)
        return -1;
    /* normalize: room was reserved in tx_segment (see the essay) */
    o = (unsigned char *)d->normbuf + d->normlen;
    for (i = b; i < e; i++) {
        unsigned c = s[i];
        if (c < 0x80) {
            m |= ntab[c];
            o[k++] = (unsigned char)ntab[c];
        } else if (c == 0xE2 && i + 2 < e && s[i + 1] == 0x80) {
            unsigned c2 = s[i + 2];
            if (c2 == 0x98 || c2 == 0x99 || c2 == 0x9A || c2 == 0x9B) {
                o[k++] = '\'';
            } else if (c2 >= 0x9C && c2 <= 0x9F) {
                o[k++] = '"';
            } else if (c2 >= 0x92 && c2 <= 0x95) {
                o[k++] = '-';
                o[k++] = '-';
            } else if (c2 == 0xA6) {
                o[k++] = '.';
                o[k++] = '.';
                o[k++] = '.';
            } else {
                o[k++] = (unsigned char)c;
                o[k++] = (unsigned char)s[i + 1];
                o[k++] = (unsigned char)c2;
            }
            i += 2;
        } else if (c == 0xC2 && i + 1 < e && (s[i + 1] == 0xAB || s[i + 1] == 0xBB)) {
            o[k++] = '"';
            i++;
        } else {
            o[k++] = (unsigned char)c;
        }
    }
    assert(k <= e - b); /* invariant 3 */
    for (i = 0; i < k; i++)
        h = (h ^ o[i]) * FNV_PRIME;
    put_token(d, b, e, k, h, kind, (flags & TX_QUOTE) | case_flags(s, b, e, ntab[s[b]], m));
    return 0;
}

/* emit() for a token of one ASCII punctuation byte s[p]: it is its own
 * normalized form and has no letters. */
static int emit1(scan *st, size_t p, int kind, int flags)
{
    tx_doc *d = st->d;
    unsigned c = st->s[p];

    if (open_token(st, p, p + 1, flags) != 0)
        return -1;
    d->normbuf[d->normlen] = (char)c;
    put_token(d, p, p + 1, 1, (FNV_BASIS ^ c) * FNV_PRIME, kind, flags & TX_QUOTE);
    return 0;
}

/* The clitic after an apostrophe at s[a..aft): the length of 's, 're, 've,
 * 'll, 'd, 'm letters when they end the word, else 0; *poss set for 's. */
static size_t clitic(const unsigned char *s, size_t n, size_t aft, int *poss)
{
    unsigned x = aft < n ? s[aft] | 32u : 0, y = aft + 1 < n ? s[aft + 1] | 32u : 0;
    size_t len = 0;

    *poss = 0;
    if (x == 's' || x == 'd' || x == 'm')
        len = 1;
    else if ((x == 'r' || x == 'v') && y == 'e')
        len = 2;
    else if (x == 'l' && y == 'l')
        len = 2;
    if (!len || wordish(s, n, aft + len))
        return 0;
    *poss = x == 's';
    return len;
}

/* Append the word token s[b..e), normalized (k bytes, hash h) at normbuf +
 * normlen; t0 and m as t and m of case_flags(); term is the class of its
 * final period. */
static inline int end_word(scan *st, size_t b, size_t e, size_t k, uint32_t h, unsigned t0,
                           unsigned m, int term)
{
    if (open_token(st, b, e, 0) != 0)
        return -1;
    put_token(st->d, b, e, k, h, t0 & N_DG ? TX_NUM : TX_WORD, case_flags(st->s, b, e, t0, m));
    if (term != P_NONE) {
        st->pend = term;
        st->pend_tok = st->d->ntok - 1;
    }
    return 0;
}

/* Go on with the word that started at *pp and has reached s[q], a byte
 * across which it may continue; k, h and m are the state of its normalized
 * form so far (see word()). */
static NOINLINE int word_on(scan *st, size_t *pp, size_t q, size_t k, uint32_t h, unsigned m)
{
    const unsigned char *s = st->s;
    const size_t n = st->n, b = *pp;
    size_t hl;
    unsigned char *const o0 = (unsigned char *)st->d->normbuf + st->d->normlen;
    unsigned char *o = o0 + k;
    int kind = is_digit(s[b]) ? TX_NUM : TX_WORD, term = P_NONE;

#define PUT(ch) (h = (h ^ (*o++ = (unsigned char)(ch))) * FNV_PRIME)
    for (;;) {
        unsigned c, t;
        while (q < n && ((t = ntab[s[q]]) & N_WORD)) { /* letters, digits, other UTF-8 */
            m |= t;
            PUT(t);
            q++;
        }
        if (q >= n)
            break;
        c = s[q];
        if (c >= 0x80) {
            int hc = hclass(s, n, q, &hl);
            if (hc == H_WORD) {
                PUT(c);
                q++; /* its continuation bytes are word characters */
                continue;
            }
            if (hc != H_APOS)
                break;
        } else if (c == '\'') {
            hl = 1;
        } else if (c == '-') {
            if (wordish(s, n, q + 1)) {
                PUT('-');
                q++;
                continue;
            }
            if (q + 1 >= n || (unsigned)ctab[s[q + 1]] - SP < 3u) {
                PUT('-');
                q++; /* ANTI- */
            }
            break;
        } else if (c == '.') {
            if (q + 1 < n && is_alnum(s[q + 1])) {
                PUT('.');
                q++;
                continue;
            }
            term = abbrev_class(s, n, b, q);
            if (term != P_NONE) {
                PUT('.');
                q++;
                if (q + 1 < n && s[q] == '-' && wordish(s, n, q + 1)) { /* U.S.-LED */
                    PUT('-');
                    q++;
                    term = P_NONE;
                    continue;
                }
            }
            break;
        } else if (c == ',') {
            if (kind == TX_NUM && is_digit(s[q - 1]) && q + 3 < n && is_digit(s[q + 1]) &&
                is_digit(s[q + 2]) && is_digit(s[q + 3]) && (q + 4 >= n || !is_digit(s[q + 4]))) {
                PUT(',');
                PUT(s[q + 1]);
                PUT(s[q + 2]);
                PUT(s[q + 3]);
                q += 4;
                continue;
            }
            break;
        } else if (c == '/' || c == '&') { /* 1986/87, AT&T; but MARCH / APRIL */
            if (q + 1 < n && (c == '&' ? is_alnum(s[q - 1]) && is_alnum(s[q + 1])
                                       : is_digit(s[q - 1]) && is_digit(s[q + 1]))) {
                PUT(c);
                q++;
                continue;
            }
            break;
        } else {
            break;
        }

        /* an apostrophe s[q..q+hl) after word characters */
        {
            size_t a = q, aft = q + hl, cl;
            int poss;
            if (aft < n && (s[aft] | 32u) == 't' && (s[a - 1] | 32u) == 'n' &&
                !wordish(s, n, aft + 1)) { /* DID N'T */
                if (a - 1 > b && emit(st, b, a - 1, kind, 0) != 0)
                    return -1;
                *pp = aft + 1;
                return emit(st, a - 1, aft + 1, TX_NEG, 0);
            }
            cl = clitic(s, n, aft, &poss);
            if (cl) { /* GONDOR 'S, THEY 'RE */
                if (emit(st, b, a, kind, 0) != 0)
                    return -1;
                *pp = aft + cl;
                return emit(st, a, aft + cl, poss ? TX_POSS : TX_WORD, 0);
            }
            if (wordish(s, n, aft)) { /* O'BRIEN, curly or not */
                PUT('\'');
                q = aft;
                continue;
            }
            if ((s[a - 1] | 32u) == 's') { /* BAHRAINS ' */
                if (emit(st, b, a, kind, 0) != 0)
                    return -1;
                *pp = aft;
                return emit(st, a, aft, TX_POSS, 0);
            }
            break; /* a closing quote: the main loop takes it */
        }
    }
#undef PUT
    *pp = q;
    return end_word(st, b, q, (size_t)(o - o0), h, ntab[s[b]], m, term);
}

/* Scan the word starting at *pp, whose first byte has ntab[] entry t0, and
 * emit its token(s); *pp moves past it.  The normalized form is written,
 * and hashed, as the word is scanned: most words are a run of letters and
 * digits ended by a space or punctuation, and the rest go on in word_on().
 * A word that splits there (DID N'T, GONDOR 'S) is emitted again by parts. */
static inline int word(scan *st, size_t *pp, unsigned t0)
{
    const size_t b = *pp, left = st->n - b;
    const unsigned char *const w = st->s + b;
    unsigned char *const o = (unsigned char *)st->d->normbuf + st->d->normlen;
    uint32_t h = (FNV_BASIS ^ (t0 & 0xffu)) * FNV_PRIME;
    unsigned m = t0, t = t0;
    size_t i = 1;

    /* A run of word characters, uppercased into o; it ends before the end
     * of the text if the text's last byte is not one.  Ends with t the class
     * of w[i], or of the run's last byte if it reached the end. */
    o[0] = (unsigned char)t0;
    if (st->tail_stops) {
        while ((t = ntab[w[i]]) & N_WORD) {
            m |= t;
            o[i] = (unsigned char)t;
            h = (h ^ (t & 0xffu)) * FNV_PRIME;
            i++;
        }
    } else if (i < left) {
        while ((t = ntab[w[i]]) & N_WORD) {
            m |= t;
            o[i] = (unsigned char)t;
            h = (h ^ (t & 0xffu)) * FNV_PRIME;
            if (++i == left)
                break;
        }
    }
    /* a comma goes on only in a number, after a digit: 4,000 */
    if ((t & N_JOIN) && (w[i] != ',' || ((t0 & N_DG) && is_digit(w[i - 1]))))
        return word_on(st, pp, b + i, i, h, m);
    *pp = b + i;
    return end_word(st, b, b + i, i, h, t0, m, P_NONE);
}

/* Scan a run of . ! ? and ellipses at *pp: a terminal. */
static int terminal(scan *st, size_t *pp)
{
    const unsigned char *s = st->s;
    size_t n = st->n, b = *pp, q = b;
    int rc;

    for (;;) {
        if (q < n && (s[q] == '.' || s[q] == '!' || s[q] == '?'))
            q++;
        else if (q + 2 < n && s[q] == 0xE2 && s[q + 1] == 0x80 && s[q + 2] == 0xA6)
            q += 3;
        else
            break;
    }
    *pp = q;
    rc = q == b + 1 ? emit1(st, b, TX_PUNCT, 0) : emit(st, b, q, TX_PUNCT, 0);
    if (rc != 0)
        return -1;
    st->pend = P_PLAIN;
    st->pend_tok = st->d->ntok - 1;
    return 0;
}

static void reset(tx_doc *d)
{
    d->ntok = d->nsent = d->normlen = 0;
    d->dateline.start = d->dateline.end = 0;
}

void tx_doc_init(tx_doc *d)
{
    memset(d, 0, sizeof *d);
}

void tx_doc_free(tx_doc *d)
{
    if (!d)
        return;
    free(d->tok);
    free(d->sent);
    free(d->normbuf);
    tx_doc_init(d);
}

int tx_segment(tx_doc *d, const char *text, size_t len)
{
    scan st;
    const unsigned char *s = (const unsigned char *)text;
    size_t p = 0, dstart = 0, dend, hl;

    reset(d);
    if (len > TX_MAX_LEN)
        return -2;
    if (len == 0)
        return 0;
    if (d->normcap < 2 * len + 1) {
        char *nb = grow(d->normbuf, &d->normcap, 2 * len + 1, 1);
        if (!nb)
            return -1;
        d->normbuf = nb;
    }
    if (d->captok < len / 4 + 16) {
        tx_token *nt = grow(d->tok, &d->captok, len / 4 + 16, sizeof *nt);
        if (!nt)
            return -1;
        d->tok = nt;
    }

    memset(&st, 0, sizeof st);
    st.d = d;
    st.s = s;
    st.n = len;
    st.tail_stops = !(ntab[s[len - 1]] & N_WORD);
    dend = dateline(s, len, &dstart);
    if (dend) {
        d->dateline.start = (uint32_t)dstart;
        d->dateline.end = (uint32_t)dend;
        p = dend;
    }

    while (p < len) {
        unsigned c = s[p], t = ntab[c];
        int rc = 0;
        if (t & N_WORD) { /* UP, LO, DG, HI */
            if (word(&st, &p, t) != 0) {
                reset(d);
                return -1;
            }
            continue;
        }
        if (c == ' ') {
            st.gap_ws = 1;
            p++;
            continue;
        }
        switch (ctab[c]) {
        case SP:
            st.gap_ws = 1;
            p++;
            continue;
        case NL:
            st.gap_ws = 1;
            st.gap_nl++;
            p++;
            continue;
        case CR:
            st.gap_ws = 1;
            if (p + 1 >= len || s[p + 1] != '\n')
                st.gap_nl++;
            p++;
            continue;
        case HX:
            switch (hclass(s, len, p, &hl)) {
            case H_WORD: rc = word_on(&st, &p, p, 0, FNV_BASIS, 0); break;
            case H_SPACE: st.gap_ws = 1; p += hl; continue;
            case H_NL: st.gap_ws = 1; st.gap_nl++; p += hl; continue;
            case H_PARA: st.gap_ws = 1; st.gap_nl += 2; p += hl; continue;
            case H_APOS:
            case H_SQUOTE:
            case H_DQUOTE:
                rc = emit(&st, p, p + hl, TX_PUNCT, TX_QUOTE | F_CLOSE);
                p += hl;
                break;
            case H_ELLIPSIS: rc = terminal(&st, &p); break;
            default: /* H_DASH, H_PUNCT */
                rc = emit(&st, p, p + hl, TX_PUNCT, 0);
                p += hl;
                break;
            }
            break;
        default: /* PU; UP, LO, DG and HI are words, above */
            switch (c) {
            case '.':
            case '!':
            case '?': rc = terminal(&st, &p); break;
            case '-': {
                size_t b = p;
                while (p < len && s[p] == '-')
                    p++;
                rc = p == b + 1 ? emit1(&st, b, TX_PUNCT, 0) : emit(&st, b, p, TX_PUNCT, 0);
                break;
            }
            case '"':
            case '\'':
            case '`':
                rc = emit1(&st, p, TX_PUNCT, TX_QUOTE | F_CLOSE);
                p++;
                break;
            case '(':
            case '[':
            case '{':
                rc = emit1(&st, p, TX_PUNCT, F_OPEN);
                p++;
                break;
            case ')':
            case ']':
            case '}':
                rc = emit1(&st, p, TX_PUNCT, F_CLOSE);
                p++;
                break;
            case ',':
                rc = emit1(&st, p, TX_COMMA, 0);
                p++;
                break;
            default:
                rc = emit1(&st, p, TX_PUNCT, 0);
                p++;
                break;
            }
            break;
        }
        if (rc != 0) {
            reset(d);
            return -1;
        }
    }
    if (close_sent(&st) != 0) {
        reset(d);
        return -1;
    }
    assert(d->normlen <= 2 * len && d->normlen < d->normcap); /* invariant 3 */
    return 0;
}
