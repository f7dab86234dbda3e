/*
 * test_json.c -- unit tests for the JSON parser/writer (json.c) and the
 * UTF-8 validator/repairer (utf8.c).
 *
 * A plain program: each check that fails prints one line naming the source
 * line and what was expected; the last line is "N passed, M failed" and the
 * exit status is nonzero when anything failed.  Every input is parsed from
 * an exactly-sized heap copy, so AddressSanitizer catches any read past the
 * end of the line (the parser must not assume a NUL terminator).
 *
 * Build (as the project does, with sanitizers):
 *   cc -std=c11 -O1 -g -Wall -Wextra -fsanitize=address,undefined -Iinclude -Isrc \
 *      src/json.c src/utf8.c tests/test_json.c -o /tmp/test_json && /tmp/test_json
 */
#include "json.h"
#include "utf8.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    int pass, fail;
} tally;

#define CHECK(t, cond, ...)                                    \
    do {                                                       \
        if (cond) {                                            \
            (t)->pass++;                                       \
        } else {                                               \
            (t)->fail++;                                       \
            printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            printf(__VA_ARGS__);                               \
            printf("\n");                                      \
        }                                                      \
    } while (0)

/* Parse s[0..n) from an exact-size heap copy (no NUL after it). */
static const jv *parse_n(json_parser *jp, const char *s, size_t n)
{
    char *copy = malloc(n ? n : 1);
    if (!copy) {
        fprintf(stderr, "test: out of memory\n");
        exit(2);
    }
    memcpy(copy, s, n);
    const jv *v = json_parse(jp, copy, n);
    free(copy); /* the tree must not point into the input */
    return v;
}

static const jv *parse(json_parser *jp, const char *s)
{
    return parse_n(jp, s, strlen(s));
}

static int streq_n(const char *a, size_t alen, const char *b, size_t blen)
{
    return a && alen == blen && memcmp(a, b, alen) == 0;
}

/* A string value equals the expected bytes. */
static int str_is(const jv *v, const char *want, size_t wlen)
{
    size_t n = 0;
    const char *s = jv_str(v, &n);
    return streq_n(s, n, want, wlen);
}

/* ---- parsing valid input ------------------------------------------------ */

static void test_simple(tally *t, json_parser *jp)
{
    const char *line =
        "{\"id\": \"reuters-1\", \"date\":\"1987-02-26\", \"n\": 42, \"x\": -1.5e3,"
        " \"t\": true, \"f\": false, \"z\": null, \"a\": [1, \"two\", {\"k\": []}],"
        " \"o\": {}, \"id\": \"second\"}\r\n";
    const jv *r = parse(jp, line);
    CHECK(t, r != NULL, "%s", json_parser_error(jp));
    if (!r)
        return;
    CHECK(t, jv_typeof(r) == JV_OBJ, "type %d", jv_typeof(r));
    CHECK(t, jv_len(r) == 10, "len %zu", jv_len(r));
    CHECK(t, str_is(jv_get(r, "id"), "reuters-1", 9), "first key wins");
    CHECK(t, str_is(jv_val_at(r, 9), "second", 6), "duplicate kept");
    CHECK(t, str_is(jv_get(r, "date"), "1987-02-26", 10), "date");
    CHECK(t, jv_num(jv_get(r, "n")) == 42, "n=%g", jv_num(jv_get(r, "n")));
    CHECK(t, jv_num(jv_get(r, "x")) == -1500, "x=%g", jv_num(jv_get(r, "x")));
    CHECK(t, jv_typeof(jv_get(r, "t")) == JV_TRUE, "t");
    CHECK(t, jv_typeof(jv_get(r, "f")) == JV_FALSE, "f");
    CHECK(t, jv_typeof(jv_get(r, "z")) == JV_NULL && jv_get(r, "z") != NULL, "z");
    CHECK(t, jv_get(r, "missing") == NULL, "missing");
    CHECK(t, jv_get(jv_get(r, "a"), "k") == NULL, "jv_get on array");

    const jv *a = jv_get(r, "a");
    CHECK(t, jv_typeof(a) == JV_ARR && jv_len(a) == 3, "array");
    CHECK(t, jv_num(jv_at(a, 0)) == 1, "a[0]");
    CHECK(t, str_is(jv_at(a, 1), "two", 3), "a[1]");
    CHECK(t, jv_typeof(jv_at(a, 2)) == JV_OBJ, "a[2]");
    CHECK(t, jv_at(a, 3) == NULL, "a[3] out of range");
    const jv *k = jv_get(jv_at(a, 2), "k");
    CHECK(t, jv_typeof(k) == JV_ARR && jv_len(k) == 0, "empty array");
    CHECK(t, jv_typeof(jv_get(r, "o")) == JV_OBJ && jv_len(jv_get(r, "o")) == 0, "empty object");

    CHECK(t, strcmp(jv_key_at(r, 2), "n") == 0, "key 2");
    CHECK(t, jv_key_at(r, 10) == NULL && jv_val_at(r, 10) == NULL, "member out of range");
    CHECK(t, jv_key_at(a, 0) == NULL && jv_at(r, 0) == NULL, "wrong container kind");

    /* jv_scalar_text */
    char buf[32];
    CHECK(t, jv_scalar_text(jv_get(r, "x"), buf, sizeof buf) == 6 && strcmp(buf, "-1.5e3") == 0,
          "raw number text '%s'", buf);
    CHECK(t, jv_scalar_text(jv_get(r, "id"), buf, sizeof buf) == 9 && strcmp(buf, "reuters-1") == 0,
          "string text");
    CHECK(t, jv_scalar_text(jv_get(r, "t"), buf, sizeof buf) == 4 && strcmp(buf, "true") == 0, "true");
    CHECK(t, jv_scalar_text(jv_get(r, "f"), buf, sizeof buf) == 5 && strcmp(buf, "false") == 0, "false");
    CHECK(t, jv_scalar_text(jv_get(r, "z"), buf, sizeof buf) == 4 && strcmp(buf, "null") == 0, "null");
    CHECK(t, jv_scalar_text(jv_get(r, "id"), buf, 4) == 9 && strcmp(buf, "reu") == 0, "truncated");
    CHECK(t, jv_scalar_text(a, buf, sizeof buf) == (size_t)-1 && buf[0] == 0, "array not scalar");
    CHECK(t, jv_scalar_text(NULL, buf, sizeof buf) == (size_t)-1, "NULL not scalar");
    CHECK(t, jv_scalar_text(jv_get(r, "n"), NULL, 0) == 2, "cap 0");

    /* NULL-safe accessors */
    CHECK(t, jv_typeof(NULL) == JV_NULL && jv_str(NULL, NULL) == NULL && isnan(jv_num(NULL)) &&
                 jv_len(NULL) == 0 && jv_at(NULL, 0) == NULL && jv_get(NULL, "a") == NULL &&
                 jv_numtext(NULL, NULL) == NULL,
          "NULL accessors");
    CHECK(t, isnan(jv_num(jv_get(r, "id"))), "jv_num of a string");

    /* Scalars at top level, whitespace around. */
    r = parse(jp, " \t\"x\" \n");
    CHECK(t, str_is(r, "x", 1), "top-level string");
    r = parse(jp, "7");
    CHECK(t, r && jv_num(r) == 7, "top-level number at end of input");
    r = parse(jp, "null");
    CHECK(t, r && jv_typeof(r) == JV_NULL, "top-level null");
    r = parse(jp, "[true,false,null]");
    CHECK(t, r && jv_len(r) == 3 && jv_typeof(jv_at(r, 1)) == JV_FALSE, "literals in array");
    r = parse(jp, "{\"a\\u0062\":1,\"\":2}");
    CHECK(t, r && jv_num(jv_get(r, "ab")) == 1 && jv_num(jv_get(r, "")) == 2, "escaped and empty keys");
    CHECK(t, r && jv_num(jv_getn(r, "abc", 2)) == 1, "jv_getn");
    r = parse(jp, "[[[[]]],[[{}]],1]");
    CHECK(t, r && jv_len(r) == 3 && jv_len(jv_at(jv_at(r, 0), 0)) == 1, "nested");
}

static void test_reuse(tally *t, json_parser *jp)
{
    const jv *r = parse(jp, "{\"a\":");
    CHECK(t, r == NULL && json_parser_status(jp) == JSON_ESYNTAX, "truncated object");
    r = parse(jp, "{\"a\":[1,2,3]}");
    CHECK(t, r != NULL && json_parser_status(jp) == JSON_OK && json_parser_error(jp)[0] == 0 &&
                 json_parser_column(jp) == 0,
          "error cleared after success: '%s'", json_parser_error(jp));
    /* Many lines through one parser: memory is reused, results right. */
    char line[256];
    int ok = 1;
    for (int i = 0; i < 5000 && ok; i++) {
        int n = snprintf(line, sizeof line, "{\"i\":%d,\"s\":\"v%d\",\"a\":[%d,[%d]]}", i, i, i, i);
        r = parse_n(jp, line, (size_t)n);
        char want[32];
        int wn = snprintf(want, sizeof want, "v%d", i);
        ok = r && jv_num(jv_get(r, "i")) == i && str_is(jv_get(r, "s"), want, (size_t)wn) &&
             jv_num(jv_at(jv_at(jv_get(r, "a"), 1), 0)) == i;
    }
    CHECK(t, ok, "reuse over 5000 lines");
}

static void test_escapes(tally *t, json_parser *jp)
{
    const jv *r = parse(jp, "\"a\\nb\\t\\\"\\\\\\/\\b\\f\\r\"");
    CHECK(t, str_is(r, "a\nb\t\"\\/\b\f\r", 10), "simple escapes: %s", json_parser_error(jp));
    r = parse(jp, "\"\\u00e9\\u20AC\\u0041\\u007F\\u0001\"");
    CHECK(t, str_is(r, "\xC3\xA9\xE2\x82\xAC" "A\x7F\x01", 8), "BMP \\u escapes");
    r = parse(jp, "\"\\uD83D\\uDE00x\\ud834\\udd1e\"");
    CHECK(t, str_is(r, "\xF0\x9F\x98\x80x\xF0\x9D\x84\x9E", 9), "surrogate pairs");
    r = parse(jp, "\"\\uDBFF\\uDFFF\"");
    CHECK(t, str_is(r, "\xF4\x8F\xBF\xBF", 4), "U+10FFFF");
    r = parse(jp, "\"\\uFFFF\\uFEFF\"");
    CHECK(t, str_is(r, "\xEF\xBF\xBF\xEF\xBB\xBF", 6), "noncharacter and BOM");
    r = parse(jp, "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"");
    CHECK(t, str_is(r, "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", 14), "raw UTF-8");

    /* Specials and multi-byte characters at every alignment of the
     * 8-byte scan. */
    int ok = 1;
    for (int i = 0; i < 24 && ok; i++) {
        char in[64], want[64];
        memset(in, 'a', sizeof in);
        memset(want, 'a', sizeof want);
        in[0] = '"';
        memcpy(in + 1 + i, "\\\"\xC3\xA9" "b\"", 6);
        memcpy(want + i, "\"\xC3\xA9" "b", 4);
        r = parse_n(jp, in, (size_t)i + 7);
        ok = str_is(r, want, (size_t)i + 4);
        if (!ok)
            printf("  alignment %d: %s\n", i, json_parser_error(jp));
    }
    CHECK(t, ok, "escapes at every alignment");
}

static void test_numbers(tally *t, json_parser *jp)
{
    static const char *const good[] = {
        "0", "-0", "1", "-1", "1.5", "1e3", "1E-3", "-2.5e+10", "0.1", "0.000001234",
        "3.141592653589793", "123456789012345", "1234567890123456789", "12345678901234567890123",
        "9007199254740993", "1e22", "1e23", "4.9e-324", "2.2250738585072014e-308",
        "1.7976931348623157e308", "1e400", "-1e-400", "0e99999999999999", "100000000000000000000e-20",
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        const jv *r = parse(jp, good[i]);
        size_t n = 0;
        const char *txt = jv_numtext(r, &n);
        double want = strtod(good[i], NULL);
        CHECK(t, r && jv_typeof(r) == JV_NUM && streq_n(txt, n, good[i], strlen(good[i])),
              "number %s: %s", good[i], json_parser_error(jp));
        CHECK(t, r && memcmp(&(double){jv_num(r)}, &want, sizeof want) == 0, "value of %s: %.17g vs %.17g",
              good[i], jv_num(r), want);
    }
    /* The fast path agrees with strtod bit for bit on many random numbers. */
    uint64_t seed = 12345;
    int bad = 0;
    for (int i = 0; i < 200000; i++) {
        char s[64];
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        /* mostly up to 15 digits (the exact fast path), sometimes up to 20 */
        uint64_t m = i % 5 ? (seed >> 11) % 1000000000000000u : seed;
        int frac = (int)((seed >> 3) % 20), ex = (int)((seed >> 40) % 61) - 30;
        int neg = (int)(seed & 1);
        int n = snprintf(s, sizeof s, "%s%llu", neg ? "-" : "", (unsigned long long)m);
        int nd = n - neg;
        if (frac && nd > 1) { /* insert a decimal point, digits on both sides */
            int pos = n - (1 + frac % (nd - 1));
            memmove(s + pos + 1, s + pos, (size_t)(n - pos + 1));
            s[pos] = '.';
            n++;
        }
        if (i % 3)
            n += snprintf(s + n, sizeof s - (size_t)n, "e%d", ex);
        if ((s[0] == '0' || (s[0] == '-' && s[1] == '0')) && isdigit((unsigned char)s[1 + (s[0] == '-')]))
            continue; /* leading zero: not JSON */
        const jv *r = parse_n(jp, s, (size_t)n);
        double want = strtod(s, NULL);
        if (!r || memcmp(&(double){jv_num(r)}, &want, sizeof want) != 0) {
            if (bad++ < 5)
                printf("  number %s: got %.17g want %.17g (%s)\n", s, jv_num(r), want,
                       json_parser_error(jp));
        }
    }
    CHECK(t, bad == 0, "%d random numbers differ from strtod", bad);
}

/* ---- rejections ----------------------------------------------------------- */

typedef struct {
    const char *in;
    size_t len; /* 0: strlen(in) */
    json_status status;
    size_t col;
    const char *msg; /* expected substring of the message */
} bad_case;

static void test_rejections(tally *t, json_parser *jp)
{
    static const bad_case cases[] = {
        /* the documented message shape */
        {"{\"abcdefghijklm\"1}", 0, JSON_ESYNTAX, 17, "invalid JSON at column 17: expected ':'"},
        /* raw control characters and NUL inside strings */
        {"\"a\x01" "b\"", 0, JSON_ESYNTAX, 3, "control character 0x01"},
        {"\"a\x1f\"", 0, JSON_ESYNTAX, 3, "control character 0x1f"},
        {"\"ab\ncd\"", 0, JSON_ESYNTAX, 4, "control character 0x0a"},
        {"\"ab\0cd\"", 7, JSON_ESYNTAX, 4, "NUL character in string"},
        {"{\"k\0\":1}", 8, JSON_ESYNTAX, 4, "NUL character in string"},
        {"\"\\u0000\"", 0, JSON_ESYNTAX, 2, "NUL character in string"},
        {"[\"ok\",\"a\\u0000\"]", 0, JSON_ESYNTAX, 9, "NUL character in string"},
        /* invalid UTF-8 in strings, keys included */
        {"\"ab\xC3\x28\"", 0, JSON_EUTF8, 4, "invalid UTF-8 at column 4"},
        {"\"\x80\"", 0, JSON_EUTF8, 2, "invalid UTF-8 at column 2"},
        {"\"\xC0\x80\"", 0, JSON_EUTF8, 2, "invalid UTF-8"},            /* overlong NUL */
        {"\"\xC1\xBF\"", 0, JSON_EUTF8, 2, "invalid UTF-8"},            /* overlong */
        {"\"\xE0\x80\x80\"", 0, JSON_EUTF8, 2, "invalid UTF-8"},        /* overlong */
        {"\"\xE0\x9F\xBF\"", 0, JSON_EUTF8, 2, "invalid UTF-8"},        /* overlong */
        {"\"\xF0\x8F\xBF\xBF\"", 0, JSON_EUTF8, 2, "invalid UTF-8"},    /* overlong */
        {"\"\xED\xA0\x80\"", 0, JSON_EUTF8, 2, "invalid UTF-8"},        /* surrogate D800 */
        {"\"\xED\xBF\xBF\"", 0, JSON_EUTF8, 2, "invalid UTF-8"},        /* surrogate DFFF */
        {"\"\xF4\x90\x80\x80\"", 0, JSON_EUTF8, 2, "invalid UTF-8"},    /* > U+10FFFF */
        {"\"\xF5\x80\x80\x80\"", 0, JSON_EUTF8, 2, "invalid UTF-8"},
        {"\"\xFF\"", 0, JSON_EUTF8, 2, "invalid UTF-8"},
        {"\"abc\xE2\x82\"", 0, JSON_EUTF8, 5, "invalid UTF-8 at column 5"}, /* truncated */
        {"\"abc\xE2\x82", 0, JSON_EUTF8, 5, "invalid UTF-8 at column 5"},   /* truncated at end */
        {"\"abcdefghijkl\xF0\x9F\x98\"", 0, JSON_EUTF8, 14, "invalid UTF-8 at column 14"},
        {"{\"k\xE9y\":1}", 0, JSON_EUTF8, 4, "invalid UTF-8 at column 4"}, /* Latin-1 in key */
        /* lone surrogates in escapes */
        {"\"\\uD800\"", 0, JSON_ESYNTAX, 2, "lone surrogate"},
        {"\"\\uDC00\"", 0, JSON_ESYNTAX, 2, "lone surrogate"},
        {"\"\\uDBFFx\"", 0, JSON_ESYNTAX, 2, "lone surrogate"},
        {"\"\\uD800\\u0041\"", 0, JSON_ESYNTAX, 2, "lone surrogate"},
        {"\"\\uD800\\uD800\"", 0, JSON_ESYNTAX, 2, "lone surrogate"},
        {"\"\\uD800\\n\"", 0, JSON_ESYNTAX, 2, "lone surrogate"},
        {"\"\\uD800", 0, JSON_ESYNTAX, 2, "lone surrogate"},
        {"\"x\\uDE00\\uD83D\"", 0, JSON_ESYNTAX, 3, "lone surrogate"},
        /* bad escapes */
        {"\"\\x\"", 0, JSON_ESYNTAX, 2, "invalid escape '\\x'"},
        {"\"\\u12\"", 0, JSON_ESYNTAX, 2, "4 hex digits"},
        {"\"\\u12G4\"", 0, JSON_ESYNTAX, 2, "4 hex digits"},
        {"\"\\", 0, JSON_ESYNTAX, 3, "unterminated string"},
        {"\"abc", 0, JSON_ESYNTAX, 5, "unterminated string"},
        /* trailing garbage */
        {"{} x", 0, JSON_ESYNTAX, 4, "unexpected data after the JSON value"},
        {"1 2", 0, JSON_ESYNTAX, 3, "unexpected data"},
        {"[]]", 0, JSON_ESYNTAX, 3, "unexpected data"},
        {"{}{}", 0, JSON_ESYNTAX, 3, "unexpected data"},
        {"\"a\"\"b\"", 0, JSON_ESYNTAX, 4, "unexpected data"},
        {"nullx", 0, JSON_ESYNTAX, 5, "unexpected data"},
        {"{}\0", 3, JSON_ESYNTAX, 3, "unexpected data"},
        /* other syntax errors */
        {"", 0, JSON_ESYNTAX, 1, "unexpected end of input"},
        {"   \n", 0, JSON_ESYNTAX, 5, "unexpected end of input"},
        {"[1,]", 0, JSON_ESYNTAX, 4, "expected a value"},
        {"[,1]", 0, JSON_ESYNTAX, 2, "expected a value"},
        {"[1 2]", 0, JSON_ESYNTAX, 4, "expected ',' or ']'"},
        {"{\"a\":1,}", 0, JSON_ESYNTAX, 8, "expected a string key"},
        {"{,}", 0, JSON_ESYNTAX, 2, "expected a string key"},
        {"{\"a\":1 \"b\":2}", 0, JSON_ESYNTAX, 8, "expected ',' or '}'"},
        {"{'a':1}", 0, JSON_ESYNTAX, 2, "expected a string key"},
        {"{a:1}", 0, JSON_ESYNTAX, 2, "expected a string key"},
        {"[1}", 0, JSON_ESYNTAX, 3, "expected ',' or ']'"},
        {"{\"a\":1]", 0, JSON_ESYNTAX, 7, "expected ',' or '}'"},
        {"{\"a\":", 0, JSON_ESYNTAX, 6, "unexpected end of input"},
        {"{\"a\"", 0, JSON_ESYNTAX, 5, "unexpected end of input"},
        {"[", 0, JSON_ESYNTAX, 2, "unexpected end of input"},
        {"[1", 0, JSON_ESYNTAX, 3, "unexpected end of input"},
        {"tru", 0, JSON_ESYNTAX, 1, "expected a value"},
        {"True", 0, JSON_ESYNTAX, 1, "expected a value"},
        {"nul", 0, JSON_ESYNTAX, 1, "expected a value"},
        {"NaN", 0, JSON_ESYNTAX, 1, "expected a value"},
        {"Infinity", 0, JSON_ESYNTAX, 1, "expected a value"},
        {"\xEF\xBB\xBF{}", 0, JSON_ESYNTAX, 1, "expected a value"}, /* BOM */
        {"\xC3\xA9", 0, JSON_ESYNTAX, 1, "expected a value"},
        {"\x0b{}", 0, JSON_ESYNTAX, 1, "expected a value"}, /* VT is not JSON whitespace */
        /* numbers */
        {"01", 0, JSON_ESYNTAX, 2, "leading zero"},
        {"-01", 0, JSON_ESYNTAX, 3, "leading zero"},
        {"1.", 0, JSON_ESYNTAX, 3, "after '.'"},
        {"1.e5", 0, JSON_ESYNTAX, 3, "after '.'"},
        {".5", 0, JSON_ESYNTAX, 1, "expected a value"},
        {"-", 0, JSON_ESYNTAX, 2, "expected a digit"},
        {"-a", 0, JSON_ESYNTAX, 2, "expected a digit"},
        {"+1", 0, JSON_ESYNTAX, 1, "expected a value"},
        {"1e", 0, JSON_ESYNTAX, 3, "exponent"},
        {"1e+", 0, JSON_ESYNTAX, 4, "exponent"},
        {"[1.5x]", 0, JSON_ESYNTAX, 5, "expected ',' or ']'"},
        {"0x10", 0, JSON_ESYNTAX, 2, "unexpected data"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const bad_case *c = &cases[i];
        size_t n = c->len ? c->len : strlen(c->in);
        const jv *r = parse_n(jp, c->in, n);
        const char *msg = json_parser_error(jp);
        CHECK(t,
              r == NULL && json_parser_status(jp) == c->status && json_parser_column(jp) == c->col &&
                  strstr(msg, c->msg) != NULL,
              "case %zu: status %d col %zu msg '%s'; want status %d col %zu '%s'", i,
              json_parser_status(jp), json_parser_column(jp), msg, c->status, c->col, c->msg);
    }
    /* A control character at each alignment gives the right column. */
    int ok = 1;
    for (int i = 0; i < 24 && ok; i++) {
        char in[40];
        memset(in, 'x', sizeof in);
        in[0] = '"';
        in[1 + i] = '\t';
        in[39] = '"';
        ok = parse_n(jp, in, sizeof in) == NULL && json_parser_column(jp) == (size_t)i + 2;
    }
    CHECK(t, ok, "control character column at every alignment");
}

/* ---- limits --------------------------------------------------------------- */

static double now(void)
{
    return (double)clock() / CLOCKS_PER_SEC;
}

static void test_nesting(tally *t, json_parser *jp)
{
    size_t n = 200000;
    char *s = malloc(2 * n + 8);
    if (!s)
        exit(2);

    memset(s, '[', n);
    double t0 = now();
    const jv *r = parse_n(jp, s, n);
    double dt = now() - t0;
    CHECK(t, r == NULL && json_parser_status(jp) == JSON_EDEPTH &&
                 strstr(json_parser_error(jp), "nesting deeper than 512") != NULL &&
                 json_parser_column(jp) == 513,
          "200000 x '[': %s", json_parser_error(jp));
    CHECK(t, dt < 0.5, "deep nesting took %.3f s", dt);

    for (size_t i = 0; i < n / 5; i++)
        memcpy(s + 5 * i, "{\"a\":", 5);
    r = parse_n(jp, s, n);
    CHECK(t, r == NULL && json_parser_status(jp) == JSON_EDEPTH, "deep objects: %s",
          json_parser_error(jp));

    /* Exactly 512 levels is fine, 513 is not. */
    memset(s, '[', 512);
    memset(s + 512, ']', 512);
    r = parse_n(jp, s, 1024);
    CHECK(t, r != NULL && jv_typeof(r) == JV_ARR, "512 levels: %s", json_parser_error(jp));
    memset(s, '[', 513);
    memset(s + 513, ']', 513);
    r = parse_n(jp, s, 1026);
    CHECK(t, r == NULL && json_parser_status(jp) == JSON_EDEPTH, "513 levels");

    /* A settable limit; deep nesting below it works without recursion. */
    json_parser_set_max_depth(jp, 3);
    r = parse(jp, "[[[1]]]");
    CHECK(t, r != NULL, "3 levels with limit 3");
    r = parse(jp, "[[[[1]]]]");
    CHECK(t, r == NULL && strstr(json_parser_error(jp), "nesting deeper than 3"), "limit 3: %s",
          json_parser_error(jp));
    json_parser_set_max_depth(jp, n + 1);
    memset(s, '[', n);
    memset(s + n, ']', n);
    r = parse_n(jp, s, 2 * n);
    const jv *inner = r;
    size_t depth = 0;
    while (jv_len(inner) == 1) {
        inner = jv_at(inner, 0);
        depth++;
    }
    CHECK(t, r != NULL && depth == n - 1, "200000 levels with a raised limit: %s, depth %zu",
          json_parser_error(jp), depth);
    json_parser_set_max_depth(jp, JSON_DEFAULT_MAX_DEPTH);
    free(s);
}

static void test_big_string(tally *t, json_parser *jp)
{
    size_t n = 10u << 20;
    char *s = malloc(n + 2);
    if (!s)
        exit(2);

    /* 10 MB of plain ASCII */
    s[0] = '"';
    for (size_t i = 1; i <= n; i++)
        s[i] = (char)('a' + i % 26);
    s[n + 1] = '"';
    const jv *r = parse_n(jp, s, n + 2);
    size_t len = 0;
    const char *v = jv_str(r, &len);
    CHECK(t, v && len == n && memcmp(v, s + 1, n) == 0 && v[n] == 0, "10 MB string: %s",
          json_parser_error(jp));

    /* 10 MB with escapes and multi-byte characters mixed in */
    static const char piece[] = "word \xC3\xA9t\xC3\xA9 \\n\\\"q\\\" \\u20ac \xF0\x9F\x98\x80 ";
    static const char dec[] = "word \xC3\xA9t\xC3\xA9 \n\"q\" \xE2\x82\xAC \xF0\x9F\x98\x80 ";
    size_t pl = sizeof piece - 1, dl = sizeof dec - 1, reps = (n - 2) / pl;
    s[0] = '"';
    for (size_t i = 0; i < reps; i++)
        memcpy(s + 1 + i * pl, piece, pl);
    s[1 + reps * pl] = '"';
    r = parse_n(jp, s, reps * pl + 2);
    v = jv_str(r, &len);
    int ok = v && len == reps * dl;
    for (size_t i = 0; ok && i < reps; i++)
        ok = memcmp(v + i * dl, dec, dl) == 0;
    CHECK(t, ok, "10 MB mixed string: %s", json_parser_error(jp));

    /* and an invalid byte near its end is found, at the right column */
    s[reps * pl] = (char)0xFF; /* the last space of the last piece */
    r = parse_n(jp, s, reps * pl + 2);
    char want[64];
    snprintf(want, sizeof want, "invalid UTF-8 at column %zu", reps * pl + 1);
    CHECK(t, r == NULL && strcmp(json_parser_error(jp), want) == 0, "%s", json_parser_error(jp));
    free(s);
}

/* ---- UTF-8 ---------------------------------------------------------------- */

typedef struct {
    const char *in;
    size_t len;
    const char *out; /* NULL: valid as is */
    size_t outlen;
    size_t repairs, first_bad, prefix;
} repair_case;

static void test_utf8(tally *t)
{
    /* Expected outputs agree with Python's bytes.decode("utf-8", "replace"). */
#define R(in, out, rep, bad, pre) {in, sizeof in - 1, out, sizeof out - 1, rep, bad, pre}
#define OKC(in) {in, sizeof in - 1, NULL, 0, 0, 0, sizeof in - 1}
    static const repair_case cases[] = {
        OKC(""),
        OKC("plain ascii text, long enough to take the 8-byte path"),
        OKC("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF \xEF\xBF\xBF"),
        R("a\x80" "b", "a\xEF\xBF\xBD" "b", 1, 1, 1),
        R("\xE2\x82" "A", "\xEF\xBF\xBD" "A", 1, 0, 0),
        R("\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", 3, 0, 0),
        R("\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD", 2, 0, 0),
        R("\xE0\x80\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", 3, 0, 0),
        R("\xF4\x90\x80\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", 4, 0, 0),
        R("xy\xF0\x9F\x98", "xy\xEF\xBF\xBD", 1, 2, 2),
        R("\xFF\xFE", "\xEF\xBF\xBD\xEF\xBF\xBD", 2, 0, 0),
        R("\xF1\x80\x80\xE2\x82\xAC", "\xEF\xBF\xBD\xE2\x82\xAC", 1, 0, 0),
        R("\xC3\xA9\xC3", "\xC3\xA9\xEF\xBF\xBD", 1, 2, 2),
        R("a\0b", "a b", 1, 1, 3),
        R("0123456789abcdef\0\xC3", "0123456789abcdef \xEF\xBF\xBD", 2, 16, 17), /* NUL is valid UTF-8 */
        R("0123456789abcdefghij\xE9t\xE9", "0123456789abcdefghij\xEF\xBF\xBDt\xEF\xBF\xBD", 2, 20, 20),
    };
#undef R
#undef OKC
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const repair_case *c = &cases[i];
        char *in = malloc(c->len ? c->len : 1), *out = NULL;
        if (!in)
            exit(2);
        memcpy(in, c->in, c->len);
        size_t outlen = 12345, bad = 12345;
        size_t rep = utf8_repair(in, c->len, &out, &outlen, &bad);
        size_t pre = utf8_valid_prefix(in, c->len);
        CHECK(t, pre == c->prefix, "case %zu: prefix %zu want %zu", i, pre, c->prefix);
        if (!c->out) {
            CHECK(t, rep == 0 && out == NULL && outlen == 12345 && bad == 12345,
                  "case %zu: valid text reported %zu repairs", i, rep);
        } else {
            CHECK(t, rep == c->repairs && bad == c->first_bad && out &&
                         streq_n(out, outlen, c->out, c->outlen) && out[outlen] == 0,
                  "case %zu: %zu repairs at %zu", i, rep, bad);
            if (out)
                CHECK(t, utf8_valid_prefix(out, outlen) == outlen, "case %zu: output valid", i);
        }
        free(out);
        free(in);
    }

    /* A bad byte after a long ASCII stretch: fast path finds the offset. */
    size_t n = 100000;
    char *s = malloc(n), *out = NULL;
    if (!s)
        exit(2);
    memset(s, 'x', n);
    s[77777] = (char)0x80;
    size_t outlen = 0, bad = 0;
    CHECK(t, utf8_valid_prefix(s, n) == 77777, "long prefix");
    CHECK(t, utf8_repair(s, n, &out, &outlen, &bad) == 1 && bad == 77777 && outlen == n + 2, "long repair");
    free(out);
    free(s);
}

/* ---- writing -------------------------------------------------------------- */

static void test_writer(tally *t, json_parser *jp)
{
    jbuf b = JBUF_INIT;
    static const char in[] = "a\"b\\c\n\t\r\x01\x1f\x7f/\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\b\f";
    json_put_str(&b, in, sizeof in - 1);
    static const char want[] = "\"a\\\"b\\\\c\\n\\t\\r\\u0001\\u001f\\u007f/\xC3\xA9\xE2\x82\xAC"
                               "\xF0\x9F\x98\x80\\u0008\\u000c\"";
    CHECK(t, !b.oom && streq_n(b.p, b.len, want, sizeof want - 1) && b.p[b.len] == 0, "escaping: %s", b.p);
    const jv *r = parse_n(jp, b.p, b.len);
    CHECK(t, str_is(r, in, sizeof in - 1), "escaping round-trip: %s", json_parser_error(jp));

    /* invalid bytes become U+FFFD, like utf8_repair */
    jbuf_reset(&b);
    json_put_str(&b, "x\xE2\x82y\xFF\xED\xA0\x80", 8);
    static const char want2[] = "\"x\xEF\xBF\xBDy\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"";
    CHECK(t, streq_n(b.p, b.len, want2, sizeof want2 - 1), "invalid bytes: %s", b.p);
    jbuf_reset(&b);
    json_put_str(&b, "", 0);
    json_put_str(&b, NULL, 0);
    json_put_str(&b, "\0", 1);
    CHECK(t, streq_n(b.p, b.len, "\"\"\"\"\"\\u0000\"", 12), "empty and NUL: %s", b.p);

    /* Round trip over pseudo-random byte strings: parse(put(s)) equals
     * utf8_repair(s) (NUL excluded: the parser refuses it by design). */
    uint64_t seed = 99;
    int bad = 0;
    for (int iter = 0; iter < 3000; iter++) {
        char s[300];
        size_t n = (size_t)(iter % 300);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            unsigned x = (unsigned)(seed >> 33);
            /* mostly ASCII, some control characters, some high bytes, some
             * well-formed multi-byte characters */
            if (x % 10 < 6)
                s[i] = (char)(' ' + x % 95);
            else if (x % 10 == 6)
                s[i] = (char)(1 + x % 31);
            else if (x % 10 == 7)
                s[i] = (char)(0x80 + x % 128);
            else if (x % 10 == 8 && i + 2 < n) {
                memcpy(s + i, "\xE2\x82\xAC", 3);
                i += 2;
            } else
                s[i] = (x & 1) ? '"' : '\\';
        }
        char *rep = NULL;
        size_t replen = 0, first = 0;
        size_t nrep = utf8_repair(s, n, &rep, &replen, &first);
        const char *exp = nrep ? rep : s;
        size_t explen = nrep ? replen : n;
        jbuf_reset(&b);
        json_put_str(&b, s, n);
        r = b.oom ? NULL : parse_n(jp, b.p, b.len);
        if (!str_is(r, exp, explen) && bad++ < 3)
            printf("  round trip %d failed: %s\n", iter, json_parser_error(jp));
        free(rep);
    }
    CHECK(t, bad == 0, "%d random round trips failed", bad);

    /* jbuf_printf grows */
    jbuf_reset(&b);
    for (int i = 0; i < 1000; i++)
        jbuf_printf(&b, "%d,%s;", i, "0123456789012345678901234567890123456789012345678901234567890123456789");
    CHECK(t, !b.oom && b.len > 70000 && strncmp(b.p + b.len - 5, "6789;", 5) == 0 && b.p[b.len] == 0,
          "printf growth");
    jbuf_reset(&b);
    jbuf_putc(&b, 'x');
    jbuf_put(&b, "yz", 2);
    CHECK(t, streq_n(b.p, b.len, "xyz", 3) && b.p[3] == 0, "put/putc");
    jbuf_free(&b);
    CHECK(t, b.p == NULL && b.len == 0 && b.cap == 0, "free");
    jbuf_putc(&b, 'q');
    CHECK(t, b.p && b.len == 1, "reuse after free");
    jbuf_free(&b);
}

int main(void)
{
    tally t = {0, 0};
    json_parser *jp = json_parser_new();
    if (!jp) {
        fprintf(stderr, "test: out of memory\n");
        return 2;
    }
    test_simple(&t, jp);
    test_reuse(&t, jp);
    test_escapes(&t, jp);
    test_numbers(&t, jp);
    test_rejections(&t, jp);
    test_nesting(&t, jp);
    test_big_string(&t, jp);
    test_utf8(&t);
    test_writer(&t, jp);
    json_parser_free(jp);
    json_parser_free(NULL);

    printf("%d passed, %d failed\n", t.pass, t.fail);
    return t.fail ? 1 : 0;
}
