/*
 * json.h -- a strict JSON parser for JSON-lines input, and a JSON writer.
 *
 * Reading:
 *
 *     json_parser *jp = json_parser_new();
 *     while (read a line) {
 *         const jv *doc = json_parse(jp, line, n);
 *         if (!doc) { report json_parser_error(jp); continue; }
 *         size_t tlen;
 *         const char *text = jv_str(jv_get(doc, "text"), &tlen);  // NULL-safe
 *         ...
 *     }
 *     json_parser_free(jp);
 *
 * The tree returned by json_parse() is owned by the parser and borrowed by
 * the caller; it stays valid until the next json_parse() or
 * json_parser_free() on that parser.  The parser keeps its memory between
 * lines (the high-water mark is retained until json_parser_free()).  Every
 * accessor accepts NULL and then answers "absent", so lookups chain.
 *
 * Writing: jbuf is a growable byte buffer with a sticky out-of-memory flag;
 * json_put_str() appends a quoted JSON string.
 */
#ifndef MAGPIE_JSON_H
#define MAGPIE_JSON_H

#include <stddef.h>

/* ---- the tree ------------------------------------------------------------ */
typedef enum { JV_NULL, JV_FALSE, JV_TRUE, JV_NUM, JV_STR, JV_ARR, JV_OBJ } jv_type;

typedef struct jv jv;
struct jv {
    jv_type type;
    size_t len; /* STR: decoded byte length; NUM: length of the raw text;
                   ARR: number of elements; OBJ: number of members */
    union {
        const char *s;  /* STR: decoded UTF-8, NUL-terminated, no NUL inside;
                           NUM: the raw text as written, NUL-terminated */
        const jv *kids; /* ARR: len values; OBJ: 2*len nodes, key (a STR)
                           then value, in input order */
    } u;
    double num; /* NUM: the value (see json_parse on precision) */
};

/* ---- the parser ------------------------------------------------------------ */
typedef struct json_parser json_parser;

/* Status of the last parse. */
typedef enum {
    JSON_OK = 0,
    JSON_ESYNTAX = 1, /* not JSON (includes bad escapes, control characters) */
    JSON_EUTF8 = 2,   /* invalid UTF-8 inside a string */
    JSON_EDEPTH = 3,  /* nesting deeper than the limit */
    JSON_ENOMEM = 4   /* allocation failed */
} json_status;

#define JSON_DEFAULT_MAX_DEPTH 512

/* A new parser (owned by the caller), or NULL if out of memory. */
json_parser *json_parser_new(void);
/* Free the parser and every tree it returned; accepts NULL. */
void json_parser_free(json_parser *jp);

/* Nesting limit: an array or object nested deeper than max_depth levels (the
 * top-level container is level 1) fails with JSON_EDEPTH.  Default 512.
 * Parsing never recurses, so any limit is safe for the C stack. */
void json_parser_set_max_depth(json_parser *jp, size_t max_depth);

/* Parse exactly one JSON value, with optional surrounding whitespace, from
 * buf[0..len) (borrowed; need not be NUL-terminated; a trailing "\n" or
 * "\r\n" is whitespace).  Returns the root, or NULL on error.
 *
 * Strict RFC 8259, plus: strings must be valid UTF-8 and may not contain
 * U+0000 (raw or as \u0000) or unpaired surrogate escapes.  Duplicate keys
 * are kept; jv_get() finds the first.  Numbers keep their raw text; the
 * double is correctly rounded for up to 15 significant digits with a small
 * exponent and otherwise comes from strtod() (which follows LC_NUMERIC, so a
 * program that sets a locale should keep LC_NUMERIC at "C"). */
const jv *json_parse(json_parser *jp, const char *buf, size_t len);

/* After a failed parse: a message such as
 *   "invalid JSON at column 17: expected ':'"
 *   "invalid UTF-8 at column 9"
 *   "invalid JSON at column 513: nesting deeper than 512"
 * (static storage inside the parser; "" after success), the status, and the
 * 1-based byte column of the problem (0 after success or out of memory). */
const char *json_parser_error(const json_parser *jp);
json_status json_parser_status(const json_parser *jp);
size_t json_parser_column(const json_parser *jp);

/* ---- reading the tree (all accept NULL) ---------------------------------- */
/* Type of v; JV_NULL when v is NULL. */
jv_type jv_typeof(const jv *v);
/* Value of the first member named key (NUL-terminated) or of key[0..klen);
 * NULL if absent or obj is not an object.  Linear scan. */
const jv *jv_get(const jv *obj, const char *key);
const jv *jv_getn(const jv *obj, const char *key, size_t klen);
/* Decoded string and its length (OUT, may be NULL); NULL if not a string. */
const char *jv_str(const jv *v, size_t *len /* OUT */);
/* The number; NaN if v is not a number. */
double jv_num(const jv *v);
/* Raw text of a number as written in the input; NULL if not a number. */
const char *jv_numtext(const jv *v, size_t *len /* OUT */);
/* Element count of an array, member count of an object, else 0. */
size_t jv_len(const jv *arr_or_obj);
/* i-th element of an array; NULL if out of range or not an array. */
const jv *jv_at(const jv *arr, size_t i);
/* i-th member's key (NUL-terminated) and value; NULL if out of range or not
 * an object. */
const char *jv_key_at(const jv *obj, size_t i);
const jv *jv_val_at(const jv *obj, size_t i);

/* Render a scalar as text for option values: a string as its decoded bytes,
 * a number as its raw text, true/false/null as those words.  Writes at most
 * cap-1 bytes and a NUL into buf (nothing if cap is 0) and, like snprintf,
 * returns the full length, so a result >= cap means truncation.  Returns
 * (size_t)-1 (and writes "") for arrays, objects and NULL. */
size_t jv_scalar_text(const jv *v, char *buf /* OUT */, size_t cap);

/* ---- writing ------------------------------------------------------------- */
/* A growable byte buffer.  p is NUL-terminated whenever it is non-NULL.
 * After an allocation failure oom is set and later appends do nothing, so
 * a writer can append freely and check oom once at the end. */
typedef struct jbuf {
    char *p;
    size_t len, cap;
    int oom;
} jbuf;
#define JBUF_INIT { NULL, 0, 0, 0 }

void jbuf_put(jbuf *b, const char *s, size_t n);
void jbuf_putc(jbuf *b, int c);
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
void jbuf_printf(jbuf *b, const char *fmt, ...);
/* Empty the buffer (keeping its memory) and clear oom. */
void jbuf_reset(jbuf *b);
/* Release the memory; the buffer is then empty and reusable. */
void jbuf_free(jbuf *b);

/* Append s[0..len) as a quoted JSON string: '"' and '\\' are escaped,
 * newline, tab and carriage return as \n \t \r, other control characters
 * (and DEL) as \u00XX; valid UTF-8 passes through unchanged and each
 * maximal invalid subsequence becomes U+FFFD (as utf8_repair does).  The
 * output is always valid JSON and valid UTF-8.  NUL is written as \u0000,
 * which this parser will refuse to read back. */
void json_put_str(jbuf *b, const char *s, size_t len);

#endif
