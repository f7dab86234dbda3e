/*
 * json.c -- a strict, non-recursive JSON parser and a JSON string writer.
 *
 * magpie reads documents as JSON lines, one object per line, often millions
 * of them, some with multi-megabyte "text" fields.  This parser turns one
 * line into a small read-only tree (jv nodes), and is reused from line to
 * line so that the steady state allocates nothing.
 *
 * The parser is a loop over a state (value / key / after-value / close)
 * with an explicit stack of open containers, so deep nesting costs heap,
 * not C stack, and is cut off at a configurable depth.  Finished values are
 * pushed on a "pending" stack; when a container closes, its children are
 * the top of that stack, and are copied in one block into the node arena:
 *
 *     input:  {"id":"a","tags":[1,2]}
 *
 *     after "2":   frames: [0] OBJ start=0   [1] ARR start=3
 *                  stk:    "id" "a" "tags" 1 2
 *                                          ^ frames[1].start
 *     on ']':      stk[3..5) -> arena block {1,2}; an ARR node takes their place
 *                  stk:    "id" "a" "tags" [ARR len=2 kids=->{1,2}]
 *     on '}':      stk[0..4) -> arena block; OBJ len=2 is the root
 *
 * So every container's children are contiguous (jv_at is an index) and an
 * object's kids alternate key, value.
 *
 * Decoded strings and the raw text of numbers go into one byte buffer,
 * sized at the start of each parse to len+1 bytes and never moved during
 * it.  That size is enough because output never runs ahead of input: a
 * string's decoded bytes plus its NUL take no more room than its quoted
 * source (escapes only shrink), and a number's raw text plus NUL is one byte
 * longer than its source but is always followed by a separator byte or by
 * the end of the input.
 *
 * Invariants (asserts cite them):
 *   1. When a value starts at input offset q, nbytes <= q.  Hence the byte
 *      buffer (len+1 bytes) cannot overflow and never moves mid-parse.
 *   2. For the innermost open container d, stk[frames[d].start .. ntop) are
 *      its finished children; for an object, alternately key and value.
 *   3. Arena nodes and buffer bytes are only reclaimed by the reset at the
 *      start of the next json_parse() (or by json_parser_free()), so every
 *      pointer handed out stays valid until then.
 *
 * Speed: the string loop tests 8 bytes at a time for anything that is not
 * plain printable ASCII (SWAR bit tricks), copies whole runs with memcpy,
 * and stays in the run across valid multi-byte UTF-8, only stopping for
 * escapes and the closing quote.  Numbers with up to 15 significant digits
 * and a small exponent are converted exactly without strtod().
 */
#include "json.h"
#include "utf8.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ONES UINT64_C(0x0101010101010101)
#define HIGH UINT64_C(0x8080808080808080)

/* ---- memory ------------------------------------------------------------- */

/* A block of nodes; blocks form a list that is kept and reused. */
typedef struct chunk {
    struct chunk *next;
    size_t cap, used;
    jv nodes[];
} chunk;

typedef struct {
    size_t start; /* index in stk of the container's first child */
    jv_type type; /* JV_ARR or JV_OBJ */
} frame;

struct json_parser {
    chunk *head, *cur, *tail; /* node arena */
    jv *stk;                  /* pending values (invariant 2) */
    size_t ntop, stkcap;
    frame *frames; /* open containers */
    size_t framecap, max_depth;
    char *bytes; /* decoded strings, number text (invariant 1) */
    size_t nbytes, bytescap;
    const unsigned char *base, *end; /* the input being parsed */
    jv root;
    json_status status;
    size_t col;
    char err[128];
};

json_parser *json_parser_new(void)
{
    json_parser *jp = calloc(1, sizeof *jp);
    if (jp)
        jp->max_depth = JSON_DEFAULT_MAX_DEPTH;
    return jp;
}

void json_parser_free(json_parser *jp)
{
    if (!jp)
        return;
    for (chunk *c = jp->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(jp->stk);
    free(jp->frames);
    free(jp->bytes);
    free(jp);
}

void json_parser_set_max_depth(json_parser *jp, size_t max_depth)
{
    jp->max_depth = max_depth;
}

/* n contiguous nodes from the arena, or NULL if out of memory. */
static jv *arena_alloc(json_parser *jp, size_t n)
{
    chunk *c = jp->cur;
    while (c && c->cap - c->used < n)
        c = c->next; /* what is skipped stays unused until the next reset */
    if (!c) {
        size_t cap = jp->tail ? jp->tail->cap : 128;
        cap = cap <= SIZE_MAX / 2 ? cap * 2 : cap;
        if (cap < n)
            cap = n;
        if (cap > (SIZE_MAX - sizeof(chunk)) / sizeof(jv))
            return NULL;
        c = malloc(sizeof(chunk) + cap * sizeof(jv));
        if (!c)
            return NULL;
        c->next = NULL;
        c->cap = cap;
        c->used = 0;
        if (jp->tail)
            jp->tail->next = c;
        else
            jp->head = c;
        jp->tail = c;
    }
    jp->cur = c;
    jv *r = c->nodes + c->used;
    c->used += n;
    return r;
}

/* A fresh slot on the pending stack, or NULL if out of memory. */
static jv *push(json_parser *jp)
{
    if (jp->ntop == jp->stkcap) {
        size_t cap = jp->stkcap ? jp->stkcap * 2 : 64;
        if (cap > SIZE_MAX / sizeof(jv))
            return NULL;
        jv *s = realloc(jp->stk, cap * sizeof(jv));
        if (!s)
            return NULL;
        jp->stk = s;
        jp->stkcap = cap;
    }
    return &jp->stk[jp->ntop++];
}

static int grow_frames(json_parser *jp)
{
    size_t cap = jp->framecap ? jp->framecap * 2 : 16;
    if (cap > SIZE_MAX / sizeof(frame))
        return -1;
    frame *f = realloc(jp->frames, cap * sizeof(frame));
    if (!f)
        return -1;
    jp->frames = f;
    jp->framecap = cap;
    return 0;
}

/* Forget the previous tree (invariant 3) and make room for len bytes of input. */
static int reset(json_parser *jp, size_t len)
{
    for (chunk *c = jp->head; c; c = c->next)
        c->used = 0;
    jp->cur = jp->head;
    jp->ntop = 0;
    jp->nbytes = 0;
    jp->status = JSON_OK;
    jp->col = 0;
    jp->err[0] = 0;
    if (len == SIZE_MAX)
        return -1;
    if (jp->bytescap < len + 1) {
        /* Nothing to keep: free and allocate instead of realloc's copy. */
        size_t cap = len + 1 < 256 ? 256 : len + 1;
        free(jp->bytes);
        jp->bytes = malloc(cap);
        jp->bytescap = jp->bytes ? cap : 0;
        if (!jp->bytes)
            return -1;
    }
    return 0;
}

/* ---- errors ------------------------------------------------------------- */

/* Record an error at input position at; fmt describes it.  Always -1. */
static int seterr(json_parser *jp, json_status st, const unsigned char *at, const char *fmt, ...)
{
    jp->status = st;
    jp->col = (size_t)(at - jp->base) + 1;
    if (st == JSON_EUTF8) {
        snprintf(jp->err, sizeof jp->err, "invalid UTF-8 at column %zu", jp->col);
    } else {
        int n = snprintf(jp->err, sizeof jp->err, "invalid JSON at column %zu: ", jp->col);
        if (n > 0 && (size_t)n < sizeof jp->err) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(jp->err + n, sizeof jp->err - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return -1;
}

static const jv *nomem(json_parser *jp)
{
    jp->status = JSON_ENOMEM;
    jp->col = 0;
    snprintf(jp->err, sizeof jp->err, "out of memory");
    return NULL;
}

const char *json_parser_error(const json_parser *jp)
{
    return jp->err;
}

json_status json_parser_status(const json_parser *jp)
{
    return jp->status;
}

size_t json_parser_column(const json_parser *jp)
{
    return jp->col;
}

/* ---- strings ------------------------------------------------------------ */

static uint64_t load8(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

/* Nonzero iff one of the 8 bytes in w is '"', '\\', below 0x20 or above
 * 0x7F.  (x - ONES) & ~x & HIGH is the classic "has a zero byte" test. */
static inline uint64_t str_special8(uint64_t w)
{
    uint64_t q = w ^ (ONES * '"'), b = w ^ (ONES * '\\');
    return (((q - ONES) & ~q) | ((b - ONES) & ~b) | ((w - ONES * 0x20) & ~w) | w) & HIGH;
}

#define STR_PLAIN(c) ((c) >= 0x20 && (c) < 0x80 && (c) != '"' && (c) != '\\')

/* Value of 4 hex digits at p (caller checked they are in bounds), or -1. */
static long hex4(const unsigned char *p)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = p[i], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
            d = (c | 0x20) - 'a' + 10;
        else
            return -1;
        v = v * 16 + (long)d;
    }
    return v;
}

static char *put_utf8(char *o, unsigned long cp)
{
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xC0 | (cp >> 6));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xE0 | (cp >> 12));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (char)(0xF0 | (cp >> 18));
        *o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    }
    return o;
}

/* Parse the string whose opening quote is at *pp into v; advance *pp past
 * the closing quote.  Returns 0, or -1 with the error set. */
static int parse_string(json_parser *jp, const unsigned char **pp, jv *v)
{
    const unsigned char *p = *pp + 1, *const end = jp->end;
    char *const start = jp->bytes + jp->nbytes;
    char *out = start;

    assert(jp->nbytes <= (size_t)(*pp - jp->base)); /* invariant 1 */
    for (;;) {
        /* A run of bytes copied as they are: printable ASCII and valid
         * multi-byte UTF-8. */
        const unsigned char *run = p;
        for (;;) {
            while (end - p >= 8 && !str_special8(load8(p)))
                p += 8;
            while (p < end && STR_PLAIN(*p))
                p++;
            if (p == end || *p < 0x80)
                break;
            int k = utf8_seq(p, (size_t)(end - p));
            if (k < 0)
                return seterr(jp, JSON_EUTF8, p, "");
            p += k;
        }
        memcpy(out, run, (size_t)(p - run));
        out += p - run;

        if (p == end)
            return seterr(jp, JSON_ESYNTAX, p, "unterminated string");
        if (*p == '"')
            break;
        if (*p != '\\') {
            if (*p == 0)
                return seterr(jp, JSON_ESYNTAX, p, "NUL character in string");
            return seterr(jp, JSON_ESYNTAX, p, "unescaped control character 0x%02x in string",
                          (unsigned)*p);
        }
        if (end - p < 2)
            return seterr(jp, JSON_ESYNTAX, p + 1, "unterminated string");
        switch (p[1]) {
        case '"': *out++ = '"'; break;
        case '\\': *out++ = '\\'; break;
        case '/': *out++ = '/'; break;
        case 'b': *out++ = '\b'; break;
        case 'f': *out++ = '\f'; break;
        case 'n': *out++ = '\n'; break;
        case 'r': *out++ = '\r'; break;
        case 't': *out++ = '\t'; break;
        case 'u': {
            long cp = end - p >= 6 ? hex4(p + 2) : -1;
            if (cp < 0)
                return seterr(jp, JSON_ESYNTAX, p, "\\u must be followed by 4 hex digits");
            if (cp == 0)
                return seterr(jp, JSON_ESYNTAX, p, "NUL character in string");
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                return seterr(jp, JSON_ESYNTAX, p, "lone surrogate \\u%04lX in string", cp);
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                long lo = end - p >= 12 && p[6] == '\\' && p[7] == 'u' ? hex4(p + 8) : -1;
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return seterr(jp, JSON_ESYNTAX, p, "lone surrogate \\u%04lX in string", cp);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                p += 6;
            }
            out = put_utf8(out, (unsigned long)cp);
            p += 4; /* the last 2 bytes are skipped below */
            break;
        }
        default:
            if (p[1] < 0x20 || p[1] >= 0x7F)
                return seterr(jp, JSON_ESYNTAX, p, "invalid escape");
            return seterr(jp, JSON_ESYNTAX, p, "invalid escape '\\%c'", p[1]);
        }
        p += 2;
    }
    *out = 0;
    v->type = JV_STR;
    v->len = (size_t)(out - start);
    v->u.s = start;
    v->num = 0;
    jp->nbytes += v->len + 1;
    *pp = p + 1;
    return 0;
}

/* ---- numbers ------------------------------------------------------------ */

static const double pow10tab[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                    1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                    1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

#define IS_DIGIT(c) ((c) >= '0' && (c) <= '9')

/* Parse the number starting at *pp into v; advance *pp past it. */
static int parse_number(json_parser *jp, const unsigned char **pp, jv *v)
{
    const unsigned char *const s = *pp, *const end = jp->end, *p = s;
    uint64_t m = 0;  /* significant digits, if nd <= 19 */
    int nd = 0;      /* number of significant digits */
    long e10 = 0;    /* value = m * 10^e10 */
    int neg = 0;

    assert(jp->nbytes <= (size_t)(s - jp->base)); /* invariant 1 */
    if (*p == '-') {
        neg = 1;
        p++;
    }
    if (p == end || !IS_DIGIT(*p))
        return seterr(jp, JSON_ESYNTAX, p, "invalid number: expected a digit");
    if (*p == '0') {
        p++;
        if (p < end && IS_DIGIT(*p))
            return seterr(jp, JSON_ESYNTAX, p, "invalid number: leading zero");
    } else {
        for (; p < end && IS_DIGIT(*p); p++)
            if (++nd <= 19)
                m = m * 10 + (uint64_t)(*p - '0');
    }
    if (p < end && *p == '.') {
        p++;
        if (p == end || !IS_DIGIT(*p))
            return seterr(jp, JSON_ESYNTAX, p, "invalid number: expected a digit after '.'");
        for (; p < end && IS_DIGIT(*p); p++) {
            if (m == 0 && *p == '0') { /* leading zeros are not significant */
                e10--;
            } else if (++nd <= 19) {
                m = m * 10 + (uint64_t)(*p - '0');
                e10--;
            }
        }
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        long x = 0;
        int eneg = 0;
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            eneg = *p++ == '-';
        if (p == end || !IS_DIGIT(*p))
            return seterr(jp, JSON_ESYNTAX, p, "invalid number: expected a digit in exponent");
        for (; p < end && IS_DIGIT(*p); p++)
            if (x < 1000000)
                x = x * 10 + (*p - '0');
        e10 += eneg ? -x : x;
    }

    size_t n = (size_t)(p - s);
    char *text = jp->bytes + jp->nbytes;
    memcpy(text, s, n);
    text[n] = 0;
    jp->nbytes += n + 1;

    double d;
    if (m == 0) {
        d = 0;
    } else if (nd <= 15 && e10 >= -22 && e10 <= 22) {
        /* Both operands exact, so one IEEE operation rounds correctly. */
        d = (double)m;
        d = e10 < 0 ? d / pow10tab[-e10] : d * pow10tab[e10];
    } else {
        d = strtod(neg ? text + 1 : text, NULL);
    }
    v->type = JV_NUM;
    v->len = n;
    v->u.s = text;
    v->num = neg ? -d : d;
    *pp = p;
    return 0;
}

/* ---- the parse loop ----------------------------------------------------- */

#define SKIP_WS(p, end)                                                                    \
    while ((p) < (end) && (*(p) == ' ' || *(p) == '\n' || *(p) == '\r' || *(p) == '\t')) \
    (p)++

const jv *json_parse(json_parser *jp, const char *buf, size_t len)
{
    if (!buf)
        buf = "", len = 0;
    const unsigned char *p = (const unsigned char *)buf, *const end = p + len;
    size_t depth = 0;
    jv *v;

    if (reset(jp, len))
        return nomem(jp);
    jp->base = p;
    jp->end = end;

value:
    SKIP_WS(p, end);
    if (p == end) {
        seterr(jp, JSON_ESYNTAX, p, "unexpected end of input");
        return NULL;
    }
    switch (*p) {
    case '[':
    case '{':
        if (depth >= jp->max_depth) {
            seterr(jp, JSON_EDEPTH, p, "nesting deeper than %zu", jp->max_depth);
            return NULL;
        }
        if (depth == jp->framecap && grow_frames(jp))
            return nomem(jp);
        jp->frames[depth].start = jp->ntop;
        jp->frames[depth].type = *p == '[' ? JV_ARR : JV_OBJ;
        depth++;
        p++;
        SKIP_WS(p, end);
        if (jp->frames[depth - 1].type == JV_OBJ) {
            if (p < end && *p == '}') {
                p++;
                goto close;
            }
            goto key;
        }
        if (p < end && *p == ']') {
            p++;
            goto close;
        }
        goto value;
    case '"':
        if (!(v = push(jp)))
            return nomem(jp);
        if (parse_string(jp, &p, v))
            return NULL;
        goto after;
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
        if (!(v = push(jp)))
            return nomem(jp);
        if (parse_number(jp, &p, v))
            return NULL;
        goto after;
    case 't':
    case 'f':
    case 'n': {
        static const char *const words[] = {"true", "false", "null"};
        static const jv_type types[] = {JV_TRUE, JV_FALSE, JV_NULL};
        int w = *p == 't' ? 0 : *p == 'f' ? 1 : 2;
        size_t wl = strlen(words[w]);
        if ((size_t)(end - p) < wl || memcmp(p, words[w], wl) != 0) {
            seterr(jp, JSON_ESYNTAX, p, "expected a value");
            return NULL;
        }
        if (!(v = push(jp)))
            return nomem(jp);
        v->type = types[w];
        v->len = 0;
        v->u.s = NULL;
        v->num = 0;
        p += wl;
        goto after;
    }
    default:
        seterr(jp, JSON_ESYNTAX, p, "expected a value");
        return NULL;
    }

key:
    SKIP_WS(p, end);
    if (p == end || *p != '"') {
        seterr(jp, JSON_ESYNTAX, p, p == end ? "unexpected end of input" : "expected a string key");
        return NULL;
    }
    if (!(v = push(jp)))
        return nomem(jp);
    if (parse_string(jp, &p, v))
        return NULL;
    SKIP_WS(p, end);
    if (p == end || *p != ':') {
        seterr(jp, JSON_ESYNTAX, p, p == end ? "unexpected end of input" : "expected ':'");
        return NULL;
    }
    p++;
    goto value;

close: {
    /* The bracket just consumed closes the innermost container. */
    const frame f = jp->frames[--depth];
    size_t n = jp->ntop - f.start; /* invariant 2 */
    jv *kids = NULL;
    assert(f.type == JV_ARR || n % 2 == 0);
    if (n) {
        if (!(kids = arena_alloc(jp, n)))
            return nomem(jp);
        memcpy(kids, jp->stk + f.start, n * sizeof(jv));
    }
    jp->ntop = f.start;
    if (!(v = push(jp)))
        return nomem(jp);
    v->type = f.type;
    v->len = f.type == JV_OBJ ? n / 2 : n;
    v->u.kids = kids;
    v->num = 0;
}

after:
    SKIP_WS(p, end);
    if (depth == 0) {
        if (p != end) {
            seterr(jp, JSON_ESYNTAX, p, "unexpected data after the JSON value");
            return NULL;
        }
        assert(jp->ntop == 1); /* invariant 2, at depth 0 */
        jp->root = jp->stk[0];
        return &jp->root;
    }
    if (p == end) {
        seterr(jp, JSON_ESYNTAX, p, "unexpected end of input");
        return NULL;
    }
    if (jp->frames[depth - 1].type == JV_OBJ) {
        if (*p == ',') {
            p++;
            goto key;
        }
        if (*p == '}') {
            p++;
            goto close;
        }
        seterr(jp, JSON_ESYNTAX, p, "expected ',' or '}'");
        return NULL;
    }
    if (*p == ',') {
        p++;
        goto value;
    }
    if (*p == ']') {
        p++;
        goto close;
    }
    seterr(jp, JSON_ESYNTAX, p, "expected ',' or ']'");
    return NULL;
}

/* ---- reading the tree --------------------------------------------------- */

jv_type jv_typeof(const jv *v)
{
    return v ? v->type : JV_NULL;
}

const jv *jv_getn(const jv *obj, const char *key, size_t klen)
{
    if (!obj || obj->type != JV_OBJ || !key)
        return NULL;
    for (size_t i = 0; i < obj->len; i++) {
        const jv *k = &obj->u.kids[2 * i];
        if (k->len == klen && memcmp(k->u.s, key, klen) == 0)
            return k + 1;
    }
    return NULL;
}

const jv *jv_get(const jv *obj, const char *key)
{
    return key ? jv_getn(obj, key, strlen(key)) : NULL;
}

const char *jv_str(const jv *v, size_t *len)
{
    if (!v || v->type != JV_STR)
        return NULL;
    if (len)
        *len = v->len;
    return v->u.s;
}

double jv_num(const jv *v)
{
    return v && v->type == JV_NUM ? v->num : NAN;
}

const char *jv_numtext(const jv *v, size_t *len)
{
    if (!v || v->type != JV_NUM)
        return NULL;
    if (len)
        *len = v->len;
    return v->u.s;
}

size_t jv_len(const jv *v)
{
    return v && (v->type == JV_ARR || v->type == JV_OBJ) ? v->len : 0;
}

const jv *jv_at(const jv *arr, size_t i)
{
    return arr && arr->type == JV_ARR && i < arr->len ? &arr->u.kids[i] : NULL;
}

const char *jv_key_at(const jv *obj, size_t i)
{
    return obj && obj->type == JV_OBJ && i < obj->len ? obj->u.kids[2 * i].u.s : NULL;
}

const jv *jv_val_at(const jv *obj, size_t i)
{
    return obj && obj->type == JV_OBJ && i < obj->len ? &obj->u.kids[2 * i + 1] : NULL;
}

size_t jv_scalar_text(const jv *v, char *buf, size_t cap)
{
    const char *s;
    size_t n;

    if (v == NULL) { /* NULL is "absent", not the JSON null */
        if (cap)
            buf[0] = 0;
        return (size_t)-1;
    }
    switch (v->type) {
    case JV_NULL: s = "null", n = 4; break;
    case JV_FALSE: s = "false", n = 5; break;
    case JV_TRUE: s = "true", n = 4; break;
    case JV_NUM:
    case JV_STR: s = v->u.s, n = v->len; break;
    default:
        if (cap)
            buf[0] = 0;
        return (size_t)-1;
    }
    if (cap) {
        size_t c = n < cap ? n : cap - 1;
        memcpy(buf, s, c);
        buf[c] = 0;
    }
    return n;
}

/* ---- writing ------------------------------------------------------------ */

/* Make room for n more bytes plus the NUL; -1 (and oom set) on failure. */
static int reserve(jbuf *b, size_t n)
{
    if (b->oom)
        return -1;
    if (b->cap > b->len && n < b->cap - b->len)
        return 0;
    if (n > SIZE_MAX - b->len - 1) {
        b->oom = 1;
        return -1;
    }
    size_t need = b->len + n + 1, cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap <= SIZE_MAX / 2 ? cap * 2 : need;
    char *q = realloc(b->p, cap);
    if (!q) {
        b->oom = 1;
        return -1;
    }
    b->p = q;
    b->cap = cap;
    return 0;
}

void jbuf_put(jbuf *b, const char *s, size_t n)
{
    if (reserve(b, n))
        return;
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

void jbuf_putc(jbuf *b, int c)
{
    if (reserve(b, 1))
        return;
    b->p[b->len++] = (char)c;
    b->p[b->len] = 0;
}

void jbuf_printf(jbuf *b, const char *fmt, ...)
{
    va_list ap, ap2;
    if (reserve(b, 0))
        return;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    size_t room = b->cap - b->len;
    int n = vsnprintf(b->p + b->len, room, fmt, ap);
    if (n < 0) {
        b->oom = 1; /* an encoding error; nothing sensible was written */
        b->p[b->len] = 0;
    } else if ((size_t)n < room) {
        b->len += (size_t)n;
    } else if (reserve(b, (size_t)n) == 0) {
        vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
    } else {
        b->p[b->len] = 0;
    }
    va_end(ap2);
    va_end(ap);
}

void jbuf_reset(jbuf *b)
{
    b->len = 0;
    b->oom = 0;
    if (b->p)
        b->p[0] = 0;
}

void jbuf_free(jbuf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
    b->oom = 0;
}

/* Nonzero iff one of the 8 bytes in w needs attention when writing:
 * '"', '\\', a control character, DEL, or a non-ASCII byte. */
static inline uint64_t out_special8(uint64_t w)
{
    uint64_t q = w ^ (ONES * '"'), b = w ^ (ONES * '\\'), d = w ^ (ONES * 0x7F);
    return (((q - ONES) & ~q) | ((b - ONES) & ~b) | ((d - ONES) & ~d) |
            ((w - ONES * 0x20) & ~w) | w) &
           HIGH;
}

void json_put_str(jbuf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";

    if (len == 0) {
        jbuf_put(b, "\"\"", 2);
        return;
    }
    const unsigned char *p = (const unsigned char *)s, *const end = p + len;
    if (reserve(b, len + 2)) /* the common case: nothing to escape */
        return;
    jbuf_putc(b, '"');
    for (;;) {
        const unsigned char *run = p;
        int k = 0;
        for (;;) {
            while (end - p >= 8 && !out_special8(load8(p)))
                p += 8;
            while (p < end && *p >= 0x20 && *p < 0x7F && *p != '"' && *p != '\\')
                p++;
            if (p == end || *p < 0x80)
                break;
            if ((k = utf8_seq(p, (size_t)(end - p))) < 0)
                break;
            p += k;
        }
        jbuf_put(b, (const char *)run, (size_t)(p - run));
        if (p == end)
            break;
        if (*p >= 0x80) { /* k < 0: an invalid subsequence of -k bytes */
            jbuf_put(b, "\xEF\xBF\xBD", 3);
            p += -k;
            continue;
        }
        switch (*p) {
        case '"': jbuf_put(b, "\\\"", 2); break;
        case '\\': jbuf_put(b, "\\\\", 2); break;
        case '\n': jbuf_put(b, "\\n", 2); break;
        case '\t': jbuf_put(b, "\\t", 2); break;
        case '\r': jbuf_put(b, "\\r", 2); break;
        default: {
            char e[6] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15]};
            jbuf_put(b, e, 6);
        }
        }
        p++;
    }
    jbuf_putc(b, '"');
}
