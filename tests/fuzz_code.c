/*
 * fuzz_code.c -- libFuzzer target for the whole coding path and the
 * dictionary readers.
 *
 * The first byte chooses what the rest of the input is: a document coded with
 * the built-in dictionaries (text segmentation, phrases, patterns, events), or
 * a dictionary file of one kind that is loaded, with small fixed dictionaries
 * of the other kinds, compiled and then used to code a fixed sentence.  Beyond "does not crash, leak or overflow", it checks
 * that every event's spans lie inside the (repaired) text.
 *
 *   make fuzz        # builds build/fuzz_code and build/fuzz_json with clang
 *   build/fuzz_code -max_len=8192 -max_total_time=60
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "magpie.h"

#define REQUIRE(c) \
    do {           \
        if (!(c)) abort(); \
    } while (0)

static mp_coder *builtin;

static void check_events(const mp_ctx *x) {
    size_t len;
    mp_ctx_text(x, &len);
    for (size_t i = 0; i < mp_ctx_nevents(x); i++) {
        const mp_event *e = mp_ctx_event(x, i);
        REQUIRE(e->sentence.start <= e->sentence.end && e->sentence.end <= len);
        REQUIRE(e->verb_span.start <= e->verb_span.end && e->verb_span.end <= len);
        REQUIRE(e->source_span.end <= len && e->target_span.end <= len);
        REQUIRE(e->source && e->target && e->code && e->rule);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!size) return 0;
    if (!builtin) {
        builtin = mp_coder_new();
        REQUIRE(builtin && !mp_coder_load_builtin(builtin) && !mp_coder_ready(builtin));
    }
    unsigned mode = data[0] % 6;
    const char *text = (const char *)data + 1;
    size_t n = size - 1;
    if (mode == 5) {  /* a document */
        mp_ctx *x = mp_ctx_new(builtin);
        REQUIRE(x);
        mp_ctx_set_option(x, "require_dyad", data[0] & 8 ? "true" : "false");
        mp_doc d = {"fuzz", 20260101, text, n};
        mp_code(x, &d);
        check_events(x);
        mp_ctx_free(x);
        return 0;
    }
    /* a dictionary of kind `mode`, loaded from memory */
    mp_coder *c = mp_coder_new();
    REQUIRE(c);
    static const char *small[MP_DICT_NKINDS] = {
        "ARNOR [ARN]\n+ARNORIAN\nGONDOR [GON]\n\t[GONGOV >20200101]\nROHAN [ROH]\nMORDOR [MOR]\n",
        "POLICE {} [~COP]\nMINISTER [~GOV]\nFOREIGN_MINISTER [~GOVFRM]\nRED_CROSS [NGO~]\n",
        "&SYN\n+IT\n+THE DECISION\n--- ARREST [173] ---\nARREST\n- * + AT $ [1711]\n"
        "--- CONDEMN [122] ---\nCONDEMN\n- * &SYN [121]\n- % * [120:120]\n",
        "+FOOTBALL\nWORLD CUP\n",
        "nuclear weapon [NUKE]\n"};
    int rc = mp__load_builtin_text(c, (mp_dict_kind)mode, "fuzz", text, n);
    for (int k = 0; k < MP_DICT_NKINDS && rc != MP_ERR_NOMEM; k++)
        if (k != (int)mode)
            rc = mp__load_builtin_text(c, (mp_dict_kind)k, "small", small[k], strlen(small[k]));
    if (rc != MP_ERR_NOMEM) {
        if (mp_coder_ready(c) == MP_OK) {
            mp_ctx *x = mp_ctx_new(c);
            REQUIRE(x);
            static const char s[] = "Arnor police arrested Gondor's foreign minister on Monday, "
                                    "and the ministers of Rohan and Mordor condemned it.";
            mp_doc d = {"fuzz", 20260101, s, sizeof s - 1};
            mp_code(x, &d);
            check_events(x);
            mp_ctx_free(x);
        }
    }
    mp_coder_free(c);
    return 0;
}
