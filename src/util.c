/*
 * util.c -- growable arrays, the arena and the two hash maps of util.h.
 *
 * The arena hands out memory from blocks of at least 64 KiB; a request larger
 * than a block gets a block of its own.  The maps use linear probing on a
 * power-of-two table: strmap stores 1-based indices into an array of keys
 * (so the table itself is four bytes a slot and iteration is in insertion
 * order), u64map stores keys and values side by side.
 */
#include "util.h"

int mp__ymd_valid(int v) {
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = v / 10000, m = v / 100 % 100, d = v % 100;
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return 0;
    if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))) return 0;
    return 1;
}

/* H. Hinnant's civil-calendar arithmetic (days since 1970-01-01). */
long mp__days_of(int ymd) {
    long y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int mp__ymd_of(long z) {
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
    if (y < 1 || y > 9999) return 0;
    return (int)(y * 10000 + m * 100 + d);
}

int mp__grow(void **p, size_t *cap, size_t need, size_t elsize) {
    size_t nc = *cap ? *cap : 8;
    while (nc < need) {
        if (nc > SIZE_MAX / 2 / elsize) return -1;
        nc *= 2;
    }
    void *q = realloc(*p, nc * elsize);
    if (!q) return -1;
    *p = q;
    *cap = nc;
    return 0;
}

struct mp_arena_block {
    mp_arena_block *next;
    size_t size;
    max_align_t data[];
};

void *mp__arena_alloc(mp_arena *a, size_t n) {
    n = (n + 7) & ~(size_t)7;
    if (!a->head || a->used + n > a->size) {
        size_t sz = n > 65536 ? n : 65536;
        mp_arena_block *b = malloc(sizeof(*b) + sz);
        if (!b) return NULL;
        b->size = sz;
        b->next = a->head;
        a->head = b;
        a->used = 0;
        a->size = sz;
    }
    void *r = (char *)a->head->data + a->used;
    a->used += n;
    a->total += n;
    return r;
}

char *mp__arena_strndup(mp_arena *a, const char *s, size_t n) {
    char *r = mp__arena_alloc(a, n + 1);
    if (!r) return NULL;
    memcpy(r, s, n);
    r[n] = 0;
    return r;
}

void mp__arena_reset(mp_arena *a) {
    mp_arena_block *b = a->head;
    if (!b) return;
    while (b->next) {
        mp_arena_block *n = b->next;
        b->next = n->next;
        free(n);
    }
    a->used = 0;
    a->size = b->size;
    a->total = 0;
}

void mp__arena_free(mp_arena *a) {
    mp_arena_block *b = a->head;
    while (b) {
        mp_arena_block *n = b->next;
        free(b);
        b = n;
    }
    memset(a, 0, sizeof(*a));
}

uint32_t mp__strmap_get(const mp_strmap *m, const char *s, size_t len) {
    return mp__strmap_get_h(m, s, len, mp__hash(s, len));
}

/* Slots are probed from a mix of h: FNV's low bits alone are weak. */
static size_t slot_of(uint32_t h, size_t mask) { return (size_t)((h * 2654435761u) ^ (h >> 15)) & mask; }

uint32_t mp__strmap_get_h(const mp_strmap *m, const char *s, size_t len, uint32_t h) {
    if (!m->cap) return MP_NONE;
    size_t mask = m->cap - 1;
    for (size_t i = slot_of(h, mask);; i = (i + 1) & mask) {
        uint32_t k = m->slot[i];
        if (!k) return MP_NONE;
        const __typeof__(m->keys[0]) *e = &m->keys[k - 1];
        if (e->h == h && e->len == len && memcmp(e->s, s, len) == 0) return e->val;
    }
}

static int strmap_rehash(mp_strmap *m, size_t ncap) {
    uint32_t *ns = calloc(ncap, sizeof(*ns));
    if (!ns) return -1;
    for (size_t k = 0; k < m->n; k++) {
        size_t i = slot_of(m->keys[k].h, ncap - 1);
        while (ns[i]) i = (i + 1) & (ncap - 1);
        ns[i] = (uint32_t)(k + 1);
    }
    free(m->slot);
    m->slot = ns;
    m->cap = ncap;
    return 0;
}

uint32_t mp__strmap_put(mp_strmap *m, const char *s, size_t len, uint32_t val) {
    if ((m->n + 1) * 2 > m->cap && strmap_rehash(m, m->cap ? m->cap * 2 : 64)) return MP_NONE;
    uint32_t h = mp__hash(s, len);
    size_t mask = m->cap - 1, i;
    for (i = slot_of(h, mask); m->slot[i]; i = (i + 1) & mask) {
        const __typeof__(m->keys[0]) *e = &m->keys[m->slot[i] - 1];
        if (e->h == h && e->len == len && memcmp(e->s, s, len) == 0) return e->val;
    }
    if (m->n == m->kcap && mp__grow((void **)&m->keys, &m->kcap, m->n + 1, sizeof(*m->keys)))
        return MP_NONE;
    const char *copy = mp__arena_strndup(&m->arena, s, len);
    if (!copy) return MP_NONE;
    m->keys[m->n].s = copy;
    m->keys[m->n].len = (uint32_t)len;
    m->keys[m->n].val = val;
    m->keys[m->n].h = h;
    m->slot[i] = (uint32_t)(++m->n);
    return val;
}

void mp__strmap_free(mp_strmap *m) {
    free(m->slot);
    free(m->keys);
    mp__arena_free(&m->arena);
    memset(m, 0, sizeof(*m));
}

uint32_t mp__u64map_get(const mp_u64map *m, uint64_t key) {
    if (!m->cap) return MP_NONE;
    size_t mask = m->cap - 1;
    for (size_t i = mp__hash64(key) & mask;; i = (i + 1) & mask) {
        if (m->key[i] == key) return m->val[i];
        if (!m->key[i]) return MP_NONE;
    }
}

static int u64_insert(uint64_t *keys, uint32_t *vals, size_t cap, uint64_t key, uint32_t val) {
    size_t mask = cap - 1, i;
    for (i = mp__hash64(key) & mask; keys[i] && keys[i] != key; i = (i + 1) & mask) {}
    int fresh = !keys[i];
    keys[i] = key;
    vals[i] = val;
    return fresh;
}

int mp__u64map_put(mp_u64map *m, uint64_t key, uint32_t val) {
    if ((m->n + 1) * 2 > m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 64;
        uint64_t *nk = calloc(nc, sizeof(*nk));
        uint32_t *nv = malloc(nc * sizeof(*nv));
        if (!nk || !nv) {
            free(nk);
            free(nv);
            return -1;
        }
        for (size_t i = 0; i < m->cap; i++)
            if (m->key[i]) u64_insert(nk, nv, nc, m->key[i], m->val[i]);
        free(m->key);
        free(m->val);
        m->key = nk;
        m->val = nv;
        m->cap = nc;
    }
    m->n += (size_t)u64_insert(m->key, m->val, m->cap, key, val);
    return 0;
}

void mp__u64map_free(mp_u64map *m) {
    free(m->key);
    free(m->val);
    memset(m, 0, sizeof(*m));
}
