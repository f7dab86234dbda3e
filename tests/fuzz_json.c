/*
 * fuzz_json.c -- libFuzzer target for the JSON parser and the UTF-8 repairer.
 *
 * Each input is treated as one JSON line.  Beyond "does not crash", it
 * checks properties that must hold for any input:
 *   - a parsed tree is well formed: strings are valid UTF-8 without NUL and
 *     NUL-terminated, numbers keep their raw text, containers their sizes;
 *   - every parsed string survives json_put_str() and a second parse;
 *   - parsing the same bytes again through the reused parser gives the same
 *     verdict (the reset between lines is complete);
 *   - utf8_repair() output is valid, NUL-free, and needs no second repair;
 *   - json_put_str() of the raw input parses back to the repaired input.
 * A violated property aborts, which libFuzzer reports as a crash.
 *
 *   clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Isrc \
 *         src/json.c src/utf8.c tests/fuzz_json.c -o /tmp/fuzz_json
 *   /tmp/fuzz_json -max_len=4096 corpus_dir
 */
#include "json.h"
#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define REQUIRE(c)          \
    do {                    \
        if (!(c))           \
            abort();        \
    } while (0)

static void check_string(json_parser *again, jbuf *b, const char *s, size_t n)
{
    REQUIRE(s != NULL && s[n] == 0);
    REQUIRE(memchr(s, 0, n) == NULL);
    REQUIRE(utf8_valid_prefix(s, n) == n);
    jbuf_reset(b);
    json_put_str(b, s, n);
    if (b->oom)
        return;
    const jv *r = json_parse(again, b->p, b->len);
    size_t rn = 0;
    const char *rs = jv_str(r, &rn);
    REQUIRE(rs != NULL && rn == n && memcmp(rs, s, n) == 0);
}

static void walk(const jv *v, json_parser *again, jbuf *b, size_t depth)
{
    REQUIRE(depth <= JSON_DEFAULT_MAX_DEPTH);
    size_t n = 0;
    const char *s;
    switch (jv_typeof(v)) {
    case JV_STR:
        s = jv_str(v, &n);
        check_string(again, b, s, n);
        break;
    case JV_NUM:
        s = jv_numtext(v, &n);
        REQUIRE(s != NULL && n > 0 && s[n] == 0 && strlen(s) == n);
        break;
    case JV_ARR:
        for (size_t i = 0; i < jv_len(v); i++)
            walk(jv_at(v, i), again, b, depth + 1);
        REQUIRE(jv_at(v, jv_len(v)) == NULL);
        break;
    case JV_OBJ:
        for (size_t i = 0; i < jv_len(v); i++) {
            const char *k = jv_key_at(v, i);
            REQUIRE(k != NULL);
            check_string(again, b, k, strlen(k));
            REQUIRE(jv_get(v, k) != NULL); /* finds this key or an earlier duplicate */
            walk(jv_val_at(v, i), again, b, depth + 1);
        }
        break;
    default:
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    json_parser *jp = json_parser_new(), *again = json_parser_new();
    jbuf b = JBUF_INIT;
    if (!jp || !again)
        goto out;

    /* The parser. */
    const jv *root = json_parse(jp, in, size);
    if (root) {
        REQUIRE(json_parser_status(jp) == JSON_OK && json_parser_error(jp)[0] == 0);
        walk(root, again, &b, 0);
    } else {
        REQUIRE(json_parser_status(jp) != JSON_OK && json_parser_error(jp)[0] != 0);
        REQUIRE(json_parser_column(jp) >= 1 && json_parser_column(jp) <= size + 1);
    }
    json_status first = json_parser_status(jp);
    size_t col = json_parser_column(jp);
    json_parse(jp, "[1,{\"a\":\"b\"}]", 13); /* something in between */
    json_parse(jp, in, size);
    REQUIRE(json_parser_status(jp) == first && json_parser_column(jp) == col);

    /* The repairer. */
    char *fixed = NULL;
    size_t fixedlen = 0, bad = 0;
    size_t nrep = utf8_repair(in, size, &fixed, &fixedlen, &bad);
    if (nrep == (size_t)-1)
        goto out;
    const char *clean = nrep ? fixed : in;
    size_t cleanlen = nrep ? fixedlen : size;
    if (nrep) {
        size_t pre = utf8_valid_prefix(in, size);
        REQUIRE(bad < size && pre >= bad && (pre == bad || in[bad] == 0));
        REQUIRE(utf8_valid_prefix(fixed, fixedlen) == fixedlen);
        REQUIRE(memchr(fixed, 0, fixedlen) == NULL);
        char *twice = NULL;
        size_t tl = 0, tb = 0;
        REQUIRE(utf8_repair(fixed, fixedlen, &twice, &tl, &tb) == 0 && twice == NULL);
    } else {
        REQUIRE(utf8_valid_prefix(in, size) == size);
        REQUIRE(size == 0 || memchr(in, 0, size) == NULL);
    }

    /* The writer: the input as a JSON string reads back as the repaired
     * text (unless it holds a NUL, written as \u0000, which the parser
     * refuses by design). */
    jbuf_reset(&b);
    json_put_str(&b, in, size);
    if (!b.oom && (size == 0 || memchr(in, 0, size) == NULL)) {
        const jv *r = json_parse(again, b.p, b.len);
        size_t rn = 0;
        const char *rs = jv_str(r, &rn);
        REQUIRE(rs != NULL && rn == cleanlen && memcmp(rs, clean, rn) == 0);
    }
    free(fixed);

out:
    jbuf_free(&b);
    json_parser_free(again);
    json_parser_free(jp);
    return 0;
}
