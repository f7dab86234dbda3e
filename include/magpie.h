/*
 * magpie.h -- the public API of libmagpie.
 *
 * magpie turns news text into political event data: who did what to whom,
 * coded in CAMEO.  This header reads top to bottom as a guide: the simple
 * calls first (make a coder, code a document, read its events), then the
 * advanced ones (options, diagnostics, tracing).
 *
 *     mp_coder *c = mp_coder_new();
 *     mp_coder_load_builtin(c);                 // or mp_coder_load(c, kind, path)
 *     if (mp_coder_ready(c) != MP_OK) ...;      // compile the dictionaries
 *     mp_ctx *x = mp_ctx_new(c);                // one per thread
 *     mp_doc d = { "doc-1", 20260608, text, strlen(text) };
 *     mp_code(x, &d);
 *     for (size_t i = 0; i < mp_ctx_nevents(x); i++) {
 *         const mp_event *e = mp_ctx_event(x, i);
 *         printf("%s %s %s\n", e->source, e->code, e->target);
 *     }
 *     mp_ctx_free(x);
 *     mp_coder_free(c);
 *
 * Ownership: every pointer returned by the library is borrowed and stays
 * valid until the next call on the same handle, unless said otherwise.
 * Every *_free accepts NULL.  The library never prints, exits or prompts;
 * diagnostics go to the callback set with mp_coder_set_diag().
 * A ready coder is read-only and may be shared by threads, each with its own
 * mp_ctx.
 */
#ifndef MAGPIE_H
#define MAGPIE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MP_VERSION "0.1.0"

/* ---- errors (values are stable) ---------------------------------------- */
typedef enum {
    MP_OK = 0,
    MP_ERR_NOMEM = 1,    /* allocation failed */
    MP_ERR_IO = 2,       /* a file could not be opened or read */
    MP_ERR_SYNTAX = 3,   /* a dictionary or input line is malformed */
    MP_ERR_OPTION = 4,   /* unknown option or bad option value */
    MP_ERR_STATE = 5,    /* call made in the wrong state (e.g. load after ready) */
    MP_ERR_INPUT = 6,    /* a document was rejected (bad UTF-8, no text...) */
    MP_ERR_LIMIT = 7     /* a configured limit was exceeded */
} mp_rc;

/* Name and one-line description of an error code; static strings. */
const char *mp_errstr(int rc);

/* ---- the coder: compiled dictionaries ----------------------------------- */
typedef struct mp_coder mp_coder;

typedef enum {
    MP_DICT_ACTORS = 0,
    MP_DICT_AGENTS = 1,
    MP_DICT_VERBS = 2,
    MP_DICT_DISCARDS = 3,
    MP_DICT_ISSUES = 4,
    MP_DICT_NKINDS = 5
} mp_dict_kind;

mp_coder *mp_coder_new(void);
void mp_coder_free(mp_coder *c);

/* Load one dictionary file of the given kind (may be called several times
 * per kind; entries accumulate).  Problems are reported to the diagnostic
 * callback as file:line; a broken line is skipped.  Returns MP_OK, or
 * MP_ERR_IO if the file cannot be read, or MP_ERR_SYNTAX if some line was
 * broken and strict mode is on. */
int mp_coder_load(mp_coder *c, mp_dict_kind kind, const char *path);

/* Load the project's own dictionaries (compiled into the library) for every
 * kind that has not been loaded from a file. */
int mp_coder_load_builtin(mp_coder *c);

/* Compile the loaded dictionaries.  After this the coder is read-only. */
int mp_coder_ready(mp_coder *c);

/* Load the gazetteer (built by `make gazetteer`, see docs/places.md) that
 * gives events their places; before mp_coder_ready.  Without one, events
 * have dates and counts but no location.  MP_ERR_IO / MP_ERR_SYNTAX if the
 * file cannot be read or is not a gazetteer. */
int mp_coder_load_gazetteer(mp_coder *c, const char *path);

/* ---- documents and events ------------------------------------------------ */
typedef struct mp_ctx mp_ctx;

typedef struct {
    const char *id;    /* borrowed; may be NULL */
    int date;          /* story date as YYYYMMDD, 0 if unknown */
    const char *text;  /* borrowed; UTF-8 (invalid bytes are replaced) */
    size_t len;
} mp_doc;

typedef struct {
    uint32_t start, end;   /* byte offsets [start, end) into the document */
} mp_span;

/* Where an event happened (mp_event.location), from the gazetteer. */
enum { MP_PLACE_NONE = 0, MP_PLACE_COUNTRY = 1, MP_PLACE_ADMIN1 = 2, MP_PLACE_CITY = 3 };
typedef struct {
    int precision;            /* MP_PLACE_NONE: no place known */
    const char *name;         /* borrowed from the gazetteer */
    char country[4];          /* ISO 3166-1 alpha-3 */
    const char *admin1;       /* ISO 3166-2 code of its first-level region, "" if none */
    double lat, lon;          /* a country's are its centroid */
    unsigned long geonameid;  /* 0 if unknown */
    int from_dateline;        /* found in the story's dateline, not in the sentence */
    mp_span span;             /* its words in the document; {0,0} for a country of an actor */
    /* for GDELT's geography columns */
    int gdelt_type;           /* 1 country, 2 US state, 3 US city, 4 world city, 5 admin1 */
    char fips[3];             /* FIPS 10-4 country code */
    const char *adm1_gdelt;   /* GDELT's ADM1 code, "" if none */
    const char *full_name;    /* "Paris, Ile-de-France, France" */
} mp_place;

/* A number tied to an event (mp_event.quantities). */
enum { MP_Q_VAGUE = 1, MP_Q_AT_LEAST = 2, MP_Q_AT_MOST = 4, MP_Q_ABOUT = 8, MP_Q_IMPLIED = 16 };
typedef struct {
    const char *kind;         /* "killed", "injured", "casualties", "arrested", "size", "people" */
    long long value;          /* a vague word gives a conventional number: "dozens" = 12 */
    int flags;                /* MP_Q_ bits */
    mp_span span;             /* its words: "at least six", "dozens", "4,000" */
} mp_quantity;

/* Precision of an event's date (mp_event.date_precision). */
enum { MP_DATE_STORY = 0, MP_DATE_DAY = 1, MP_DATE_WEEK = 2, MP_DATE_MONTH = 3, MP_DATE_YEAR = 4 };

typedef struct {
    const char *doc_id;
    int sent;                 /* 0-based sentence index */
    int date;                 /* YYYYMMDD */
    const char *source;       /* CAMEO actor code, "---" when unknown */
    const char *target;
    const char *code;         /* CAMEO event code, e.g. "0231" */
    int root;                 /* 1..20 */
    int quad_class;           /* 1..4, 0 if unknown */
    double goldstein;         /* NaN if the codebook does not know the code */
    const char *cameo_name;   /* NULL if unknown */
    const char *source_text, *target_text, *verb_text;
    mp_span source_span, target_span, verb_span; /* {0,0} when absent */
    mp_span sentence;         /* the sentence in the document text */
    const char *rule;         /* "file:line" of the pattern that fired */
    /* What the text says of when, where and how many (when the coder's
     * "enrich" option is on; places need a gazetteer, see
     * mp_coder_load_gazetteer).  date is then the event's own date. */
    int date_precision;       /* MP_DATE_STORY: the story date; else what the sentence said */
    mp_span date_span;        /* "on Sunday", "last week"; {0,0} for the story date */
    mp_place location;        /* precision MP_PLACE_NONE if unknown */
    mp_place source_place, target_place; /* the actors' countries, if they have one */
    const mp_quantity *quantities;
    size_t nquantities;
    long long fatalities;     /* people killed, -1 if the text does not say */
    const char *plover_type, *plover_mode; /* from data/cameo_plover.tsv; NULL if none */
    const char *acled_type, *acled_sub_type; /* ACLED view where one applies, else NULL */
} mp_event;

mp_ctx *mp_ctx_new(const mp_coder *c);
void mp_ctx_free(mp_ctx *x);

/* Code one document.  Events are kept in the context until the next call.
 * Returns MP_OK, or MP_ERR_INPUT when the document was coded after repair
 * (the diagnostic callback says what was repaired). */
int mp_code(mp_ctx *x, const mp_doc *d);

/* Parse a story date written YYYYMMDD or YYYY-MM-DD into *out (YYYYMMDD);
 * returns 0, or -1 if it is not a real calendar day. */
int mp_parse_date(const char *s, size_t n, int *out /* OUT */);

size_t mp_ctx_nevents(const mp_ctx *x);
const mp_event *mp_ctx_event(const mp_ctx *x, size_t i);

/* The repaired text of the last document (invalid UTF-8 replaced by U+FFFD);
 * spans refer to this text. */
const char *mp_ctx_text(const mp_ctx *x, size_t *len /* OUT */);

/* Number of sentences in the last document, and the span of sentence i. */
size_t mp_ctx_nsentences(const mp_ctx *x);
mp_span mp_ctx_sentence(const mp_ctx *x, size_t i);

/* Why the last document gave no events, if it was discarded:
 * 0 = not discarded, 1 = story discard, 2 = every sentence discarded. */
int mp_ctx_discarded(const mp_ctx *x);

/* ---- options --------------------------------------------------------------
 * The TABARI/PETRARCH coder options: require_dyad, new_actor_length,
 * comma_min, comma_max, comma_bmin, comma_bmax, comma_emin, comma_emax,
 * plus magpie's strict (dictionary errors are fatal), max_tokens and enrich
 * (dates, places, counts and the PLOVER/ACLED views of events; on).  Options set on the
 * coder (before ready) are defaults; options set on a context override them
 * for that context only. */
int mp_coder_set_option(mp_coder *c, const char *name, const char *value);
int mp_coder_load_options(mp_coder *c, const char *path);
/* The project's default options (data/options.txt, compiled in). */
int mp_coder_load_builtin_options(mp_coder *c);
int mp_ctx_set_option(mp_ctx *x, const char *name, const char *value);
/* Restore the coder's options in the context. */
void mp_ctx_reset_options(mp_ctx *x);

/* ---- diagnostics ----------------------------------------------------------- */
typedef enum { MP_INFO = 0, MP_WARN = 1, MP_ERROR = 2 } mp_severity;

/* file may be NULL; line 0 means no line. */
typedef void (*mp_diag_fn)(void *ud, mp_severity sev, const char *file, long line,
                           const char *msg);
void mp_coder_set_diag(mp_coder *c, mp_diag_fn fn, void *ud);
void mp_ctx_set_diag(mp_ctx *x, mp_diag_fn fn, void *ud);

/* ---- statistics ------------------------------------------------------------ */
typedef struct {
    size_t actors, actor_names, agents, verbs, verb_forms, patterns, synsets,
        discards, issues;
    size_t errors, warnings;
} mp_dict_stats;
void mp_coder_stats(const mp_coder *c, mp_dict_stats *out /* OUT */);

/* ---- tracing (for `magpie explain`) ---------------------------------------
 * When on, mp_code() writes a human-readable account of its work (tokens,
 * actors, verbs, patterns tried, events) into a buffer read back here. */
void mp_ctx_set_trace(mp_ctx *x, int on);
const char *mp_ctx_trace(const mp_ctx *x);

/* ---- names no dictionary knows (for `magpie dict suggest`) -----------------
 * When on, mp_code() also notes every run of capitalised words that no actor
 * or agent entry covered; each is a span of mp_ctx_text() and its sentence. */
void mp_ctx_set_collect_names(mp_ctx *x, int on);
size_t mp_ctx_nnames(const mp_ctx *x);
mp_span mp_ctx_name(const mp_ctx *x, size_t i, int *sent /* OUT, may be NULL */);

/* ---- what the dictionaries cover (for `magpie dict stats`) ------------------ */
/* Copy the i-th code of the built-in CAMEO codebook (data/cameo.tsv) into
 * buf (cap bytes, NUL-terminated); returns 0 past the end. */
int mp_cameo_code(size_t i, char *buf /* OUT */, size_t cap);
/* Whether some verb, verb form or pattern of a ready coder produces code. */
int mp_coder_uses_code(const mp_coder *c, const char *code);

/* ---- codebook ----------------------------------------------------------------- */
/* Name, Goldstein value and quad class of a CAMEO code from the built-in
 * codebook; returns 0 if the code is unknown. */
int mp_cameo_lookup(const char *code, const char **name /* OUT */, double *goldstein /* OUT */,
                    int *quad_class /* OUT */);

/* PLOVER event type and mode of a CAMEO code from the project's table
 * (data/cameo_plover.tsv): the code itself, else its three-digit parent,
 * else its root.  *type and *mode point into static data, are not
 * NUL-terminated and have lengths *tlen and *mlen (*mlen may be 0).  Returns
 * 0 if the table has nothing for the code. */
int mp_plover_lookup(const char *code, const char **type /* OUT */, size_t *tlen /* OUT */,
                     const char **mode /* OUT */, size_t *mlen /* OUT */);

/* ---- the event store --------------------------------------------------------
 * An SQLite database of the documents coded, the events found in them and
 * every mention of each event (docs/store.md has the schema and the formats).
 * The same event reported by many documents is one event with many mentions:
 * a mention joins the stored event with the same source, target, code and
 * place whose date is at most the store's window of days from its own (the
 * nearest such event; the older one on a tie), or else starts a new event.
 * An event's id and key never change, so ids stay valid as mentions arrive.
 *
 *     mp_store *s;
 *     if (mp_store_open("events.db", NULL, &s) != MP_OK) {
 *         fprintf(stderr, "%s\n", mp_store_errmsg(s));   // s may be NULL: OOM
 *         mp_store_close(s);
 *         ...
 *     }
 *     mp_store_begin(s);                                // a batch: one transaction
 *     mp_code(x, &doc);
 *     mp_store_doc d = {doc.id, doc.date, NULL, NULL, (long long)doc.len};
 *     size_t tl;
 *     const char *text = mp_ctx_text(x, &tl);
 *     mp_store_add(s, &d, mp_ctx_event(x, 0), mp_ctx_nevents(x), text, NULL, NULL);
 *     mp_store_commit(s);
 *
 *     mp_store_filter f = {0};
 *     f.country = "FRA";
 *     f.from = 20260601;
 *     mp_store_iter *q;
 *     mp_store_query(s, &f, &q);
 *     for (const mp_store_event *e; (e = mp_store_next_event(q));)
 *         printf("%lld %s %s %s\n", (long long)e->id, e->source, e->code, e->target);
 *     if (mp_store_iter_rc(q)) ...;                     // why the rows stopped
 *     mp_store_iter_free(q);
 *     mp_store_close(s);
 *
 * A handle serves one thread at a time.  Any number of processes may read a
 * store while one writes to it (SQLite's WAL mode); a reader sees whole
 * batches only.  Errors: MP_ERR_IO (the file cannot be opened, read or
 * written; another writer held it too long), MP_ERR_SYNTAX (the file is not
 * a magpie store, or is corrupt: it is left untouched), MP_ERR_STATE (a
 * store written by a newer magpie; a write on a read-only handle; a failed
 * handle), MP_ERR_OPTION (a bad option or filter), MP_ERR_NOMEM.  The
 * message of the last error is mp_store_errmsg(). */
typedef struct mp_store mp_store;
typedef struct mp_store_iter mp_store_iter;

typedef struct {
    int readonly;     /* the file must exist and is never written */
    int has_window;   /* window below is given (else 1 day, or the store's own) */
    int window;       /* days (0..365) between mentions of one event; a store
                         keeps the window it was created with */
    int busy_ms;      /* how long to wait for another writer; 0 = 10 s */
} mp_store_opts;

/* Open (or, unless read-only, create) the store at path; o may be NULL for
 * the defaults.  *out receives a handle even on failure (for
 * mp_store_errmsg), NULL only when memory ran out; close it in either case.
 * An older schema is upgraded in place, in one transaction. */
int mp_store_open(const char *path, const mp_store_opts *o, mp_store **out /* OUT */);
void mp_store_close(mp_store *s);
/* The last error's message; "" if none.  Borrowed, valid until the next call. */
const char *mp_store_errmsg(const mp_store *s);

/* A batch: everything added between begin and commit is stored in one
 * transaction, or (rollback, a crash) not at all.  mp_store_add outside a
 * batch makes its own. */
int mp_store_begin(mp_store *s);
int mp_store_commit(mp_store *s);
void mp_store_rollback(mp_store *s);

typedef struct {
    const char *id;         /* document id (required) */
    int date;               /* story date YYYYMMDD, 0 if unknown */
    const char *publisher;  /* who published it; NULL: the prefix of id (docs/store.md) */
    const char *url;        /* NULL if none */
    long long len;          /* bytes of text, -1 if unknown */
} mp_store_doc;

/* Whether a document with this id is stored (1) or not (0) in *has. */
int mp_store_has_doc(mp_store *s, const char *id, int *has /* OUT */);

/* Store document d with its events ev[0..n) (borrowed; each event's sentence
 * span indexes text; ev[i].doc_id is ignored).  A mention is dated by its
 * event's date, else by d->date; its place is ev[i].location.  extras is
 * NULL or n strings (NULL or "" for none): JSON object members
 * (",\"k\":v..."), kept with each mention and given back as it is.  A
 * document already stored is left as it is: *added (may be NULL) is 1 if d
 * was stored now, 0 if it was there before.  MP_ERR_INPUT (no id, a bad
 * date, an event without source, target or code) leaves the batch as it
 * was; any other error rolls the batch back and fails the handle. */
int mp_store_add(mp_store *s, const mp_store_doc *d, const mp_event *ev, size_t n,
                 const char *text, const char *const *extras, int *added /* OUT */);

/* Which events a query, an export or a count covers; all zero = all. */
typedef struct {
    int from, to;               /* event date range YYYYMMDD, inclusive; 0 = open */
    const char *actor;          /* source or target code starts with this ("USA") */
    const char *source, *target;/* the source / target code starts with this */
    const char *country;        /* either actor's country (first 3 letters of its code) */
    const char *code;           /* CAMEO code starts with this ("14": all protests) */
    int root;                   /* CAMEO root 1..20, 0 = any */
    int quad_class;             /* 1..4, 0 = any */
    const char *plover;         /* PLOVER event type, through mp_plover_lookup */
    const char *words;          /* an FTS5 query on the sentences of the mentions */
    const char *place;          /* place name or GeoNames id */
    int has_bbox;               /* the place lies in the box below */
    double west, south, east, north;
    long long min_mentions;     /* at least this many mentions */
    long long limit, offset;    /* rows; limit 0 = all */
} mp_store_filter;

/* One mention: the event as coded from one sentence of one document. */
typedef struct {
    mp_event ev;                /* ev.sentence is {0, length of text}; no location (see
                                   the event's place) nor the fields kept in extras */
    const char *text;           /* the sentence */
    const char *extras;         /* the JSON members given to mp_store_add, "" if none */
    int64_t id, event_id;
    const char *publisher, *url;
    long long doc_len;          /* -1 if unknown */
    long long added;            /* when the document was stored, Unix seconds */
    int event_date;             /* the event's date (YYYYMMDD, 0 unknown) */
    long long event_added;      /* when the event was stored */
} mp_store_mention;

/* One event, with its first mention. */
typedef struct {
    int64_t id;
    int date;                   /* YYYYMMDD (its first mention's), 0 if unknown */
    const char *source, *target, *code;
    int root, quad_class;
    double goldstein;           /* NaN if unknown */
    const char *source_country, *target_country;  /* NULL if none */
    long long num_mentions, num_sources, num_articles;  /* as GDELT counts them */
    long long added;            /* when it was stored, Unix seconds */
    mp_place place;             /* precision MP_PLACE_NONE if none */
    mp_store_mention first;
} mp_store_event;

/* Events matching f, by date then id (f may be NULL). */
int mp_store_query(mp_store *s, const mp_store_filter *f, mp_store_iter **out /* OUT */);
/* The mentions of the events matching f, by event date, event id, mention id. */
int mp_store_query_mentions(mp_store *s, const mp_store_filter *f, mp_store_iter **out /* OUT */);

typedef enum {
    MP_BY_NONE = 0, MP_BY_DAY, MP_BY_WEEK, MP_BY_MONTH, MP_BY_YEAR,
    MP_BY_COUNTRY,              /* each of the event's countries */
    MP_BY_SOURCE_COUNTRY, MP_BY_TARGET_COUNTRY, MP_BY_SOURCE, MP_BY_TARGET,
    MP_BY_CODE, MP_BY_ROOT, MP_BY_QUAD
} mp_store_by;

/* One group of a count: its keys as text (YYYY-MM-DD, YYYY-Www, YYYY-MM,
 * YYYY, a code, a root "14", a quad class "4"; NULL when unknown or not
 * grouped) and what it holds. */
typedef struct {
    const char *key[2];
    long long events, mentions, articles;
} mp_store_count;

/* Events matching f counted by up to two keys, in key order. */
int mp_store_stats(mp_store *s, const mp_store_filter *f, mp_store_by by1, mp_store_by by2,
                   mp_store_iter **out /* OUT */);

/* The next row, or NULL at the end or on an error (then mp_store_iter_rc
 * says which).  The row is borrowed until the next call on the iterator. */
const mp_store_event *mp_store_next_event(mp_store_iter *q);
const mp_store_mention *mp_store_next_mention(mp_store_iter *q);
const mp_store_count *mp_store_next_count(mp_store_iter *q);
int mp_store_iter_rc(const mp_store_iter *q);
void mp_store_iter_free(mp_store_iter *q);

typedef struct {
    int version;                /* schema version */
    int window;                 /* clustering window, days */
    long long docs, events, mentions, publishers;
    int first, last;            /* event dates, YYYYMMDD; 0 if none */
} mp_store_info;
int mp_store_info_get(mp_store *s, mp_store_info *out /* OUT */);

/* The parts of a CAMEO actor code, three letters each, as GDELT splits them
 * ("USAGOV": country USA, type GOV; "IGOUNO": type IGO, known group UNO):
 * the country unless the code starts with a role, then the roles (types),
 * religions and the first other part as the known group.  Unknown parts
 * are "". */
typedef struct {
    char country[4], known_group[4], religion[2][4], type[3][4];
} mp_actor_parts;
void mp_actor_split(const char *code, mp_actor_parts *out /* OUT */);

/* The schema version this library writes. */
#define MP_STORE_VERSION 2

#ifdef __cplusplus
}
#endif
#endif
