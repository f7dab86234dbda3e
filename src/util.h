/*
 * util.h -- small shared tools: growable arrays, an arena, hash maps.
 *
 * Every stage of magpie allocates in one of two ways.  Long-lived tables
 * built while loading dictionaries go into an arena (mp_arena) that is freed
 * as a whole with the coder.  Per-document scratch lives in arrays that grow
 * and are reset, not freed, between documents.
 *
 * Two open-addressing hash maps serve the hot paths:
 *   strmap   byte string -> uint32 id   (interning dictionary words)
 *   u64map   uint64 key  -> uint32 value (trie edges: (node << 32 | word))
 * Both keep the load factor under 1/2 and grow by doubling; a missing key
 * yields MP_NONE.
 */
#ifndef MP_UTIL_H
#define MP_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MP_NONE UINT32_MAX

/* ---- growable arrays: a struct with p, n, cap ---------------------------- */
/* Ensure room for `extra` more elements; evaluates to 0 on success, -1 on OOM. */
#define VEC_RESERVE(v, extra)                                                   \
    (((v).n + (extra) <= (v).cap) ? 0 : mp__grow((void **)&(v).p, &(v).cap,   \
                                                 (v).n + (extra), sizeof(*(v).p)))
#define VEC_PUSH(v, x) (VEC_RESERVE(v, 1) ? -1 : ((v).p[(v).n++] = (x), 0))
int mp__grow(void **p, size_t *cap, size_t need, size_t elsize);

/* 1 if v (YYYYMMDD) is a real calendar day. */
int mp__ymd_valid(int v);
/* Days since 1970-01-01 of a YYYYMMDD date, and the date of a day number
 * (0 if its year is outside 1..9999). */
long mp__days_of(int ymd);
int mp__ymd_of(long days);

/* ---- arena ------------------------------------------------------------------ */
typedef struct mp_arena_block mp_arena_block;
typedef struct {
    mp_arena_block *head;
    size_t used, size;  /* in the head block */
    size_t total;       /* bytes handed out, for statistics */
} mp_arena;
void *mp__arena_alloc(mp_arena *a, size_t n);  /* 8-byte aligned; NULL on OOM */
char *mp__arena_strndup(mp_arena *a, const char *s, size_t n);
void mp__arena_reset(mp_arena *a);  /* keep the first block, drop the rest */
void mp__arena_free(mp_arena *a);

/* ---- hashing ------------------------------------------------------------------ */
/* FNV-1a (32 bits) over a byte string: the hash the tokenizer computes for
 * every token (text.h), so that a token's word can be looked up without
 * hashing it again. */
static inline uint32_t mp__hash(const void *data, size_t n) {
    const unsigned char *p = (const unsigned char *)data;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
    return h;
}
static inline uint64_t mp__hash64(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

/* strmap: keys are copied into the map's own arena. */
typedef struct {
    uint32_t *slot;      /* index into keys+1, 0 = empty */
    size_t cap;          /* power of two */
    struct { const char *s; uint32_t len; uint32_t val; uint32_t h; } *keys;
    size_t n, kcap;
    mp_arena arena;
} mp_strmap;
uint32_t mp__strmap_get(const mp_strmap *m, const char *s, size_t len);
/* The same with h = mp__hash(s, len) already known. */
uint32_t mp__strmap_get_h(const mp_strmap *m, const char *s, size_t len, uint32_t h);
/* Insert if absent.  Returns the value now stored (existing or `val`),
 * MP_NONE on OOM.  *key_out (optional) receives the stored copy of the key. */
uint32_t mp__strmap_put(mp_strmap *m, const char *s, size_t len, uint32_t val);
/* Key string of the entry holding value index i (entries are in insertion order). */
void mp__strmap_free(mp_strmap *m);

typedef struct {
    uint64_t *key;
    uint32_t *val;
    size_t cap, n;       /* key 0 is reserved: callers never use key 0 */
} mp_u64map;
uint32_t mp__u64map_get(const mp_u64map *m, uint64_t key);
int mp__u64map_put(mp_u64map *m, uint64_t key, uint32_t val); /* 0 ok, -1 OOM; overwrites */
void mp__u64map_free(mp_u64map *m);

#endif
