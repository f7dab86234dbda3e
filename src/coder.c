/*
 * coder.c -- from tokens to CAMEO events: the heart of magpie.
 *
 * magpie codes like TABARI, by shallow parsing: no parse tree, only the
 * token sequence of a sentence and the dictionaries.  For each sentence:
 *
 *   1. look every token up once (word ids; see internal.h);
 *   2. discards: a discard phrase drops the sentence, or with '+' the story;
 *   3. comma clauses: a clause between commas whose length is within
 *      [comma_min, comma_max] is set aside, likewise the clause before the
 *      first comma ([comma_bmin, comma_bmax]) and after the last
 *      ([comma_emin, comma_emax]); 0 as max turns a rule off;
 *   4. noun phrases: longest matches of actor and agent names, joined into
 *      phrases ("Gondor 's main opposition groups" -> GONMOP, "MSF Arnor"
 *      -> NGOARN, "soldiers from Gondor" -> GONMIL) and compounds
 *      ("Arnor, Rohan and the evil Gondor"); a narrower name after another
 *      wins ("Russia 's FSB"), a country inside a company's name is its
 *      business, and datelines, audiences ("told reporters") and names
 *      before money ("U.S. dollar") are set aside, no side of any event;
 *   5. verbs: every verb form found (multi-word forms included) tries its
 *      block's patterns, longest first; words of a pattern match tokens,
 *      '$' '+' '%' '^' match phrases; a space lets other words come between
 *      (but not into a new clause: ", but", ", and" + verb), '_' does not.
 *      A verb lying inside the words another verb's pattern matched is not
 *      coded by itself;
 *   6. events: the source is the pattern's '$', else the first phrase of the
 *      verb's clause; the target the pattern's '+', else the first phrase
 *      after the verb; a passive verb with "by X" takes X as the source and
 *      its subject as the target, and with no "by" names no source ("were
 *      arrested"; kept, unnamed, for violence); a denied verb ("did not
 *      attack") that no pattern took codes nothing; paired codes give two
 *      events, compounds one per pair; require_dyad drops events without
 *      both actors and market talk (business with business, with an agent
 *      of no country or with its own country).
 *
 * Scratch (token ids, phrases, candidate events) lives in the mp_ctx and is
 * reused from sentence to sentence; event strings go to the context's arena,
 * reset per document.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "acled.h"
#include "counts.h"
#include "geo.h"
#include "internal.h"
#include "text.h"
#include "utf8.h"
#include "when.h"

/* ---- the codebook ------------------------------------------------------- */
extern const char mp__builtin_cameo[];
extern const size_t mp__builtin_cameo_len;

/* The row of a built-in TSV table whose first field is key[0..kl): *rest
 * gets what follows the first tab, *rl its length (to the line's end).
 * Returns 0 if no row has that key. */
static int tsv_row(const char *tsv, size_t len, const char *key, size_t kl, const char **rest,
                   size_t *rl) {
    const char *p = tsv, *end = tsv + len;
    while (p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e) e = end;
        const char *t1 = memchr(p, '\t', (size_t)(e - p));
        if (t1 && (size_t)(t1 - p) == kl && !memcmp(p, key, kl)) {
            *rest = t1 + 1;
            *rl = (size_t)(e - t1 - 1);
            while (*rl && ((*rest)[*rl - 1] == '\r' || (*rest)[*rl - 1] == ' ')) --*rl;
            return 1;
        }
        p = e + 1;
    }
    return 0;
}

/* codebook: code, goldstein, name */
static int codebook_find(const char *tsv, size_t len, const char *code, const char **name,
                         size_t *namelen, double *gold) {
    const char *r;
    size_t rl;
    if (!tsv_row(tsv, len, code, strlen(code), &r, &rl)) return 0;
    const char *t = memchr(r, '\t', rl);
    if (!t) return 0;
    *gold = strtod(r, NULL);
    *name = t + 1;
    *namelen = (size_t)(r + rl - t - 1);
    return 1;
}

static int quad_of_root(int root) {
    if (root >= 1 && root <= 5) return 1;
    if (root >= 6 && root <= 8) return 2;
    if (root >= 9 && root <= 13) return 3;
    if (root >= 14 && root <= 20) return 4;
    return 0;
}

int mp_cameo_lookup(const char *code, const char **name, double *goldstein, int *quad_class) {
    const char *n;
    size_t nl;
    double g;
    if (!code || !codebook_find(mp__builtin_cameo, mp__builtin_cameo_len, code, &n, &nl, &g))
        return 0;
    if (name) *name = n;  /* not NUL-terminated at the line end: see mp__codebook */
    if (goldstein) *goldstein = g;
    if (quad_class) *quad_class = quad_of_root((code[0] - '0') * 10 + (code[1] - '0'));
    return 1;
}

/* ---- dates ------------------------------------------------------------------ */
int mp_parse_date(const char *s, size_t n, int *out) {
    int v = 0, k = 0;
    if (!s || (n != 8 && n != 10)) return -1;
    for (size_t i = 0; i < n; i++) {
        if (n == 10 && (i == 4 || i == 7)) {
            if (s[i] != '-') return -1;
            continue;
        }
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
        k++;
    }
    if (k != 8 || !mp__ymd_valid(v)) return -1;
    *out = v;
    return 0;
}

/* ---- codebook and coverage ------------------------------------------------------- */
int mp_cameo_code(size_t i, char *buf, size_t cap) {
    /* the codebook's lines after the header, each "code\tgoldstein\tname" */
    if (!buf || !cap) return 0;
    const char *p = mp__builtin_cameo, *end = p + mp__builtin_cameo_len;
    const char *e = memchr(p, '\n', (size_t)(end - p));  /* skip the header */
    for (p = e ? e + 1 : end; p < end; p = e + 1) {
        e = memchr(p, '\n', (size_t)(end - p));
        if (!e) e = end;
        const char *t = memchr(p, '\t', (size_t)(e - p));
        if (!t || t == p) continue;
        if (i-- == 0) {
            size_t l = (size_t)(t - p) < cap - 1 ? (size_t)(t - p) : cap - 1;
            memcpy(buf, p, l);
            buf[l] = 0;
            return 1;
        }
    }
    return 0;
}

int mp_coder_uses_code(const mp_coder *c, const char *code) {
    if (!c || !code) return 0;
    uint32_t id = mp__strmap_get(&c->codes, code, strlen(code));
    if (id == MP_NONE) return 0;
    for (size_t i = 0; i < c->patterns.n; i++)
        if (c->patterns.p[i].code == id || c->patterns.p[i].code2 == id) return 1;
    for (size_t i = 0; i < c->blocks.n; i++)
        if (c->blocks.p[i].code == id || c->blocks.p[i].code2 == id) return 1;
    for (size_t i = 0; i < c->vforms.n; i++)
        if (c->vforms.p[i].code == id || c->vforms.p[i].code2 == id) return 1;
    return 0;
}

/* ---- the ACLED table ---------------------------------------------------------------- */
extern const char mp__builtin_acled[];
extern const size_t mp__builtin_acled_len;

/* ---- the CAMEO-to-PLOVER table ----------------------------------------------- */
extern const char mp__builtin_plover[];
extern const size_t mp__builtin_plover_len;

/* CAMEO-to-PLOVER table: code, type, mode */
static int plover_find(const char *code, size_t cl, const char **type, size_t *tlen,
                       const char **mode, size_t *mlen) {
    const char *r;
    size_t rl;
    if (!tsv_row(mp__builtin_plover, mp__builtin_plover_len, code, cl, &r, &rl)) return 0;
    const char *t = memchr(r, '\t', rl);
    *type = r;
    *tlen = (size_t)((t ? t : r + rl) - r);
    *mode = t ? t + 1 : r + rl;
    *mlen = t ? (size_t)(r + rl - t - 1) : 0;
    return *tlen > 0;
}

int mp_plover_lookup(const char *code, const char **type, size_t *tlen, const char **mode,
                     size_t *mlen) {
    if (!code) return 0;
    size_t cl = strlen(code);
    /* the code, then its parents: 0231 -> 023 -> 02 */
    for (size_t l = cl; l >= 2; l--)
        if ((l == cl || l == 3 || l == 2) && plover_find(code, l, type, tlen, mode, mlen)) return 1;
    return 0;
}

/* ---- errors ----------------------------------------------------------------- */
const char *mp_errstr(int rc) {
    switch (rc) {
    case MP_OK: return "ok";
    case MP_ERR_NOMEM: return "out of memory";
    case MP_ERR_IO: return "input/output error";
    case MP_ERR_SYNTAX: return "syntax error in a dictionary";
    case MP_ERR_OPTION: return "unknown option or bad value";
    case MP_ERR_STATE: return "call made in the wrong state";
    case MP_ERR_INPUT: return "input document repaired or rejected";
    case MP_ERR_LIMIT: return "limit exceeded";
    default: return "unknown error";
    }
}

/* ---- coder lifecycle ------------------------------------------------------------ */
mp_coder *mp_coder_new(void) {
    mp_coder *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    mp__opts_default(&c->opts);
    return c;
}

static void trie_free(mp_trie *t) {
    free(t->kidword);
    free(t->kidnode);
    free(t->root);
    free(t->node_val);
    mp__u64map_free(&t->edge);
}

void mp_coder_free(mp_coder *c) {
    if (!c) return;
    mp__strmap_free(&c->words);
    mp__strmap_free(&c->codes);
    mp__strmap_free(&c->files);
    mp__strmap_free(&c->synnames);
    trie_free(&c->actor_trie);
    trie_free(&c->agent_trie);
    trie_free(&c->discard_trie);
    free(c->actors.p);
    free(c->actor_codes.p);
    free(c->agents.p);
    free(c->discards.p);
    free(c->elems.p);
    free(c->patterns.p);
    free(c->block_pats.p);
    free(c->synsets.p);
    free(c->members.p);
    free(c->syn_members.p);
    free(c->syn_pairs.p);
    free(c->blocks.p);
    free(c->vforms.p);
    free(c->wordpool.p);
    mp__u64map_free(&c->verb_head);
    mp__u64map_free(&c->stem_head);
    free(c->word_flags);
    free(c->code_info);
    free(c->stem_build);
    free(c->stems);
    free(c->word_class);
    free(c->vocab_bloom);
    free(c->rank_sig);
    free(c->rank_weight);
    mp__u64map_free(&c->anchor_head);
    free(c->anchor_mask);
    free(c->anchor_rank.p);
    free(c->anchor_next.p);
    free(c->free_ranks.p);
    geo_free(c->gaz);
    acled_free(c->acled);
    mp__arena_free(&c->arena);
    free(c);
}

int mp_coder_load_gazetteer(mp_coder *c, const char *path) {
    if (!c || !path) return MP_ERR_STATE;
    if (c->ready) return MP_ERR_STATE;
    geo_gaz *g;
    int rc = geo_open(path, &g);
    if (rc) {
        mp__diag(c, MP_ERROR, path, 0, "%s", rc == MP_ERR_IO ? "cannot read the gazetteer"
                                                               : "not a magpie gazetteer");
        return rc;
    }
    geo_free(c->gaz);
    c->gaz = g;
    return MP_OK;
}

void mp_coder_set_diag(mp_coder *c, mp_diag_fn fn, void *ud) {
    if (!c) return;
    c->diag = fn;
    c->diag_ud = ud;
}

void mp_coder_stats(const mp_coder *c, mp_dict_stats *o) {
    memset(o, 0, sizeof *o);
    if (!c) return;
    o->actors = c->actors.n;
    o->actor_names = c->actor_names;
    o->agents = c->agents.n;
    o->verbs = c->blocks.n;
    o->verb_forms = c->vforms.n;
    o->patterns = c->patterns.n;
    o->synsets = c->synsets.n;
    o->discards = c->discards.n;
    o->issues = c->issues;
    o->errors = c->nerrors;
    o->warnings = c->nwarnings;
}

/* Symbol of a byte in the stem trie: letters, digits, - ' . ; 0 = none. */
static int stem_sym(unsigned char ch) {
    if (ch >= 'A' && ch <= 'Z') return ch - 'A' + 1;
    if (ch >= '0' && ch <= '9') return ch - '0' + 27;
    if (ch == '-') return 37;
    if (ch == '\'') return 38;
    if (ch == '.') return 39;
    return 0;
}

struct mp_stem_build {
    int32_t next[40];
    uint32_t word;
};

static int stem_trie_add(mp_coder *c, uint32_t word) {
    const char *s = c->words.keys[word].s;
    size_t n = c->words.keys[word].len;
    int32_t node = 0;
    for (size_t i = 0; i < n; i++) {
        int sym = stem_sym((unsigned char)s[i]);
        if (!sym) return 0; /* such a stem cannot begin a token's normal form */
        int32_t nx = c->stem_build[node].next[sym];
        if (!nx) {
            if (mp__grow((void **)&c->stem_build, &c->stem_cap, c->nstem_nodes + 1,
                         sizeof *c->stem_build))
                return -1;
            nx = (int32_t)c->nstem_nodes++;
            memset(&c->stem_build[nx], 0, sizeof c->stem_build[nx]);
            c->stem_build[nx].word = MP_NONE;
            c->stem_build[node].next[sym] = nx;
        }
        node = nx;
    }
    c->stem_build[node].word = word;
    return 0;
}

/* Renumber the built trie breadth-first so that each node's children are
 * contiguous, and keep only a child mask per node: 24 bytes a node instead of
 * 164, so that walking tokens through it stays in cache. */
static int compact_stems(mp_coder *c) {
    size_t n = c->nstem_nodes;
    int32_t *order = malloc(n * sizeof *order), *newid = malloc(n * sizeof *newid);
    c->stems = malloc(n * sizeof *c->stems);
    if (!order || !newid || !c->stems) {
        free(order);
        free(newid);
        return -1;
    }
    size_t head = 0, tail = 0;
    order[tail++] = 0;
    newid[0] = 0;
    while (head < tail) {
        int32_t u = order[head];
        mp_snode *sn = &c->stems[head++];
        sn->mask = 0;
        sn->first = (uint32_t)tail;
        sn->word = c->stem_build[u].word;
        sn->vfirst = sn->word == MP_NONE ? MP_NONE
                                          : mp__u64map_get(&c->stem_head, (uint64_t)sn->word + 1);
        for (int sym = 1; sym < 40; sym++) {
            int32_t v = c->stem_build[u].next[sym];
            if (!v) continue;
            sn->mask |= 1ull << sym;
            newid[v] = (int32_t)tail;
            order[tail++] = v;
        }
    }
    free(order);
    free(newid);
    free(c->stem_build);
    c->stem_build = NULL;
    return 0;
}

/* The child of compact node k for symbol sym, or 0 if none (the root is
 * never a child). */
static inline uint32_t stem_child(const mp_snode *t, uint32_t k, int sym) {
    uint64_t bit = 1ull << sym;
    if (!(t[k].mask & bit)) return 0;
    uint64_t v = t[k].mask & (bit - 1);  /* count the bits below: SWAR popcount */
    v = v - ((v >> 1) & 0x5555555555555555ull);
    v = (v & 0x3333333333333333ull) + ((v >> 2) & 0x3333333333333333ull);
    v = (v + (v >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return t[k].first + (uint32_t)((v * 0x0101010101010101ull) >> 56);
}

/* Fibonacci hashing of word ids: ids are small dense integers, and the top
 * bits of id * 2^32/phi spread them well enough for the per-sentence tables. */
static inline uint32_t whash(uint32_t w) { return w * 2654435761u; }
static uint64_t word_bit(uint32_t w) { return 1ull << (whash(w) >> 26); }

/* The words a pattern can be found by: its longest required word, or, if it
 * has none, the first words of the members of one of its synsets (each
 * member must then begin with a word).  Empty if neither exists. */
static int pattern_anchors(const mp_coder *c, const mp_pattern *p, mp_u32vec *out) {
    out->n = 0;
    uint32_t best = MP_NONE, blen = 0;
    size_t best_syn_n = SIZE_MAX;
    uint32_t best_syn = MP_NONE;
    for (uint32_t k = 0; k < p->nup + p->nlo; k++) {
        const mp_pelem *e = &c->elems.p[k < p->nup ? p->up + k : p->lo + k - p->nup];
        if (e->type == PE_WORD && c->words.keys[e->arg].len > blen) {
            best = e->arg;
            blen = c->words.keys[e->arg].len;
        } else if (e->type == PE_SYN && e->arg < c->synsets.n) {
            const mp_synset *sy = &c->synsets.p[e->arg];
            int ok = sy->n > 0;
            for (uint32_t m = 0; m < sy->n && ok; m++) {
                const mp_member *mem = &c->members.p[c->syn_members.p[sy->first + m]];
                /* upper parts are matched from the verb outward, so any
                 * word of the member would do; the first is a word in both */
                ok = mem->n > 0 && c->elems.p[mem->first].type == PE_WORD &&
                     (k >= p->nup || mem->n == 1);
            }
            if (ok && sy->n < best_syn_n) {
                best_syn_n = sy->n;
                best_syn = e->arg;
            }
        }
    }
    if (best != MP_NONE) return VEC_PUSH(*out, best);
    if (best_syn == MP_NONE) return 0;
    const mp_synset *sy = &c->synsets.p[best_syn];
    for (uint32_t m = 0; m < sy->n; m++) {
        const mp_member *mem = &c->members.p[c->syn_members.p[sy->first + m]];
        if (VEC_PUSH(*out, c->elems.p[mem->first].arg)) return -1;
    }
    return 0;
}

/* Stem trie and pattern signatures. */
static int prepare_matching(mp_coder *c) {
    int any = 0;
    for (size_t i = 0; i < c->elems.n && !any; i++)
        any = c->elems.p[i].type == PE_WORD && c->elems.p[i].stem;
    for (size_t i = 0; i < c->vforms.n && !any; i++) any = c->vforms.p[i].stem;
    if (any) {
        if (mp__grow((void **)&c->stem_build, &c->stem_cap, 1, sizeof *c->stem_build)) return -1;
        memset(c->stem_build, 0, sizeof *c->stem_build);
        c->stem_build[0].word = MP_NONE;
        c->nstem_nodes = 1;
        for (size_t i = 0; i < c->elems.n; i++)
            if (c->elems.p[i].type == PE_WORD && c->elems.p[i].stem &&
                stem_trie_add(c, c->elems.p[i].arg))
                return -1;
        for (size_t i = 0; i < c->vforms.n; i++)
            if (c->vforms.p[i].stem && stem_trie_add(c, c->vforms.p[i].head)) return -1;
        if (compact_stems(c)) return -1;
    }
    for (size_t i = 0; i < c->elems.n; i++)
        if (c->elems.p[i].type == PE_WORD && c->elems.p[i].arg < c->nword_flags)
            c->word_flags[c->elems.p[i].arg] |= WF_PATWORD;
    for (size_t i = 0; i < c->patterns.n; i++) {
        mp_pattern *p = &c->patterns.p[i];
        p->sig = 0;
        for (uint32_t k = 0; k < p->nup; k++)
            if (c->elems.p[p->up + k].type == PE_WORD) p->sig |= word_bit(c->elems.p[p->up + k].arg);
        for (uint32_t k = 0; k < p->nlo; k++)
            if (c->elems.p[p->lo + k].type == PE_WORD) p->sig |= word_bit(c->elems.p[p->lo + k].arg);
    }
    /* synset filters: which words can begin or end a member */
    for (size_t i = 0; i < c->synsets.n; i++) {
        mp_synset *sy = &c->synsets.p[i];
        sy->head = sy->tail = 0;
        for (uint32_t m = 0; m < sy->n; m++) {
            const mp_member *mem = &c->members.p[c->syn_members.p[sy->first + m]];
            const mp_pelem *a = &c->elems.p[mem->first], *z = &c->elems.p[mem->first + mem->n - 1];
            sy->head |= a->type == PE_WORD && !a->stem ? word_bit(a->arg) : ~0ull;
            sy->tail |= z->type == PE_WORD && !z->stem ? word_bit(z->arg) : ~0ull;
        }
    }
    /* signatures and weights in block order, to scan a block's list in cache */
    c->rank_sig = malloc((c->block_pats.n + 1) * sizeof *c->rank_sig);
    c->rank_weight = malloc((c->block_pats.n + 1) * sizeof *c->rank_weight);
    if (!c->rank_sig || !c->rank_weight) return -1;
    for (size_t i = 0; i < c->block_pats.n; i++) {
        c->rank_sig[i] = c->patterns.p[c->block_pats.p[i]].sig;
        c->rank_weight[i] = c->patterns.p[c->block_pats.p[i]].weight;
    }
    /* Index the patterns of each block by their longest required word (a
     * rough guess at the rarest): a verb with hundreds of patterns then tries
     * only those whose index word is in the sentence, plus the few that have
     * no word at all.  Built from the last rank down so chains run in rank
     * order. */
    mp_u32vec aw = {0};
    c->anchor_mask = calloc(c->nword_flags + 1, sizeof *c->anchor_mask);
    if (!c->anchor_mask) return -1;
    for (size_t b = 0; b < c->blocks.n; b++) {
        mp_vblock *bl = &c->blocks.p[b];
        bl->free_first = (uint32_t)c->free_ranks.n;
        bl->nfree = 0;
        for (uint32_t r = bl->npat; r-- > 0;) {
            const mp_pattern *p = &c->patterns.p[c->block_pats.p[bl->pat_first + r]];
            if (pattern_anchors(c, p, &aw)) goto oom;
            if (!aw.n) {
                if (VEC_PUSH(c->free_ranks, r)) goto oom;
                bl->nfree++;
                continue;
            }
            for (size_t k = 0; k < aw.n; k++) {
                uint64_t key = ((uint64_t)b + 1) << 32 | aw.p[k];
                uint32_t head = mp__u64map_get(&c->anchor_head, key);
                if (head != MP_NONE && c->anchor_rank.p[head] == r) continue;  /* same word twice */
                if (VEC_PUSH(c->anchor_rank, r) || VEC_PUSH(c->anchor_next, head) ||
                    mp__u64map_put(&c->anchor_head, key, (uint32_t)c->anchor_rank.n - 1))
                    goto oom;
                if (aw.p[k] < c->nword_flags) {
                    c->word_flags[aw.p[k]] |= WF_ANCHOR;
                    c->anchor_mask[aw.p[k]] |= 1ull << (b & 63);
                }
            }
        }
        /* free ranks were pushed from the last down: put them in rank order */
        for (uint32_t a = bl->free_first, z = bl->free_first + bl->nfree; a + 1 < z; a++, z--) {
            uint32_t t = c->free_ranks.p[a];
            c->free_ranks.p[a] = c->free_ranks.p[z - 1];
            c->free_ranks.p[z - 1] = t;
        }
    }
    free(aw.p);
    return 0;
oom:
    free(aw.p);
    return -1;
}

static int intern_classes(mp_coder *c);
static int build_vocab_bloom(mp_coder *c);

/* Flag the words that begin a phrase of trie t, note each one's node, and
 * each node's only child if it has one (most do), so that a match needs a
 * hash lookup only where names branch. */
static int flag_first_words(mp_coder *c, mp_trie *t, uint8_t bit) {
    t->kidword = malloc((t->n + 1) * sizeof *t->kidword);
    t->kidnode = malloc((t->n + 1) * sizeof *t->kidnode);
    t->root = malloc((c->nword_flags + 1) * sizeof *t->root);
    if (!t->kidword || !t->kidnode || !t->root) return -1;
    for (size_t i = 0; i <= t->n; i++) t->kidword[i] = MP_NONE;
    for (size_t w = 0; w <= c->nword_flags; w++) t->root[w] = MP_NONE;
    for (size_t i = 0; i < t->edge.cap; i++) {
        uint64_t k = t->edge.key[i];
        if (!k) continue;
        uint32_t from = (uint32_t)(k >> 32) - 1;
        if (from < t->n) {
            t->kidword[from] = t->kidword[from] == MP_NONE ? (uint32_t)k : MP_MANY;
            t->kidnode[from] = t->edge.val[i];
        }
        if (from == 0) {
            uint32_t w = (uint32_t)k;
            if (w < c->nword_flags) {
                c->word_flags[w] |= bit;
                t->root[w] = t->edge.val[i];
            }
        }
    }
    return 0;
}

int mp_coder_ready(mp_coder *c) {
    if (!c) return MP_ERR_STATE;
    if (c->ready) return MP_OK;
    int rc = mp__dict_finish(c);
    if (rc) return rc;
    /* unresolved synsets */
    for (size_t i = 0; i < c->synnames.n; i++) {
        uint32_t id = c->synnames.keys[i].val;
        if (id < c->synsets.n && c->synsets.p[id].n == 0)
            mp__diag(c, MP_WARN, NULL, 0, "synset &%s is used but has no members",
                     c->synnames.keys[i].s);
    }
    if (intern_classes(c) || build_vocab_bloom(c)) return MP_ERR_NOMEM;
    c->nword_flags = c->words.n;
    c->word_flags = calloc(c->nword_flags + 1, 1);
    if (!c->word_flags) return MP_ERR_NOMEM;
    if (flag_first_words(c, &c->actor_trie, WF_ACTOR) ||
        flag_first_words(c, &c->agent_trie, WF_AGENT) ||
        flag_first_words(c, &c->discard_trie, WF_DISCARD))
        return MP_ERR_NOMEM;
    for (size_t i = 0; i < c->vforms.n; i++)
        if (!c->vforms.p[i].stem) c->word_flags[c->vforms.p[i].head] |= WF_VERB;
    if (prepare_matching(c)) return MP_ERR_NOMEM;
    char err[200];
    if (acled_load(mp__builtin_acled, mp__builtin_acled_len, &c->acled, err, sizeof err)) {
        mp__diag(c, MP_ERROR, "builtin:acled.tsv", 0, "%s", err);
        return MP_ERR_SYNTAX;
    }
    /* codebook facts per interned code; first intern the codes of announced
     * actions (mood.c), which no dictionary may name */
    for (size_t i = 0, n0 = c->codes.n; i < n0; i++) {
        const char *m[2] = {mp__intent_code(c->codes.keys[i].s), mp__threat_code(c->codes.keys[i].s)};
        for (int k = 0; k < 2; k++)
            if (m[k] && mp__strmap_put(&c->codes, m[k], strlen(m[k]), (uint32_t)c->codes.n) == MP_NONE)
                return MP_ERR_NOMEM;
    }
    c->code_info = calloc(c->codes.n + 1, sizeof *c->code_info);
    if (!c->code_info) return MP_ERR_NOMEM;
    for (size_t i = 0; i < c->codes.n; i++) {
        mp_code_info *ci = &c->code_info[i];
        const char *code = c->codes.keys[i].s;
        const char *nm;
        size_t nl;
        double g;
        ci->gold = NAN;
        const char *im = mp__intent_code(code), *tm = mp__threat_code(code);
        ci->intent = im ? mp__strmap_get(&c->codes, im, strlen(im)) : MP_NONE;
        ci->threat = tm ? mp__strmap_get(&c->codes, tm, strlen(tm)) : MP_NONE;
        ci->valid = strlen(code) >= 2 && strlen(code) <= 4 && isdigit((unsigned char)code[0]) &&
                    isdigit((unsigned char)code[1]);
        for (const char *q = code; *q && ci->valid; q++)
            if (!isdigit((unsigned char)*q) && !(q - code == 3 && isalpha((unsigned char)*q)))
                ci->valid = 0;
        if (!ci->valid) continue;
        ci->root = (code[0] - '0') * 10 + (code[1] - '0');
        if (codebook_find(mp__builtin_cameo, mp__builtin_cameo_len, code, &nm, &nl, &g)) {
            ci->gold = g;
            ci->name = mp__arena_strndup(&c->arena, nm, nl);
            if (!ci->name) return MP_ERR_NOMEM;
        }
    }
    c->ready = 1;
    return MP_OK;
}

/* ---- the context ------------------------------------------------------------------ */
enum { PH_ACTOR = 1, PH_AGENT = 2 };

typedef struct {
    int first, last;        /* positions (in the kept-token index) */
    uint32_t code_first, ncode;  /* codes of the members, in ctx->codebuf */
    int isagent_only;
    int split, sub;         /* "parliament of Gondor": where the name starts, and the
                               index of a hidden phrase for the name alone; -1 if none */
    int hidden;             /* such a name-alone phrase: only patterns reach it */
    int aside;              /* no participant (is_aside): a dateline, the audience of
                               a statement ("told reporters"), a noun's modifier ("a
                               press conference", "U.S. dollar"); its words are still
                               no verbs */
} phrase;

typedef struct {
    int first, last;       /* token span */
    int kind;              /* PH_ACTOR or PH_AGENT */
    uint32_t id;           /* actor or agent index */
} unit;

/* One member of a (possibly compound) phrase before its codes are made. */
typedef struct {
    int first, last;
    uint32_t actor;        /* date-valid actor code, MP_NONE if none */
    uint32_t agents[4];    /* agent indices in order (a phrase keeps its first four) */
    int nagents;
    int agent_before;      /* "ambassadors of X", "official in X" */
    int split;             /* then: position of the name, else -1 */
} member;

typedef struct {
    int vpos, vend;         /* verb span (kept positions) */
    int lo, hi;             /* span matched by the pattern */
    uint32_t code, code2;
    int src, tgt, cmp;      /* phrase indices, -1 if none */
    const mp_pattern *pat;
    const mp_vform *form;
    int suppressed;
} vmatch;

typedef struct {
    mp_span span;
    int sent;
} mp_name;

#define MP_WCACHE_BITS 13
#define MP_WCACHE (1u << MP_WCACHE_BITS)
#define WC_NSTEM 3
/* What a token's text tells, cached per distinct text (see token_info). */
typedef struct wc_entry {
    char s[23];
    uint8_t len;            /* 0 = empty (tokens are never empty) */
    uint32_t w;             /* word id or MP_NONE */
    uint32_t cls;           /* WC_ bits */
    uint8_t flags;          /* WF_ bits */
    uint8_t nst;            /* pattern stems beginning the text, in st; WC_NSTEM+1: too many */
    uint32_t vstem;         /* verb forms of the longest verb stem beginning it, or MP_NONE */
    uint32_t st[WC_NSTEM];
    uint32_t hash;          /* of the text, checked before the bytes */
} wc_entry;

struct mp_ctx {
    const mp_coder *c;
    wc_entry wcache[MP_WCACHE]; /* token text -> what the dictionaries know (token_info) */
    mp_opts opts;
    mp_diag_fn diag;
    void *diag_ud;
    tx_doc td;
    char *fixed;
    const char *text;
    size_t len;
    int date;
    const char *doc_id;
    int discarded;
    /* per sentence */
    VEC(int) keep;          /* kept token indices (document-wide) */
    VEC(uint32_t) wid;      /* word id per kept token */
    VEC(int) phr_at;        /* phrase starting at position, -1 */
    VEC(int) phr_of;        /* phrase covering position, -1 */
    VEC(int) joints;        /* clause joints (clause_joint) before position, a prefix count */
    VEC(phrase) ph;
    VEC(uint32_t) codebuf;  /* code ids (into c->codes) or dynamic (high bit) */
    VEC(char *) dyncodes;   /* composed codes like GONMOP, per sentence, arena */
    VEC(vmatch) vm;
    struct wpos { uint32_t w, gen; int first, last; } *where; /* word -> first/last place */
    uint32_t where_gen;     /* entries of other generations are empty */
    size_t where_cap, where_n; /* allocated; in use (a power of two) */
    int where_bits;         /* log2(where_n) */
    uint64_t sentsig;       /* the same in 64 bits, to test pattern signatures */
    VEC(uint32_t) vstem;    /* per kept token: as wc_entry.vstem */
    VEC(uint32_t) tstem;    /* stems beginning each kept token, in runs ... */
    VEC(uint32_t) tstem_at; /* ... tstem[tstem_at[k] .. tstem_at[k+1]) */
    VEC(uint8_t) memo;      /* pattern-match failure memo */
    VEC(uint32_t) swords;   /* word and stem ids of the sentence (may repeat) */
    VEC(int) spos;          /* their positions */
    VEC(uint32_t) awords;   /* distinct words of the sentence that index patterns, */
    VEC(uint64_t) amasks;   /* ... with their block masks (see anchor_mask) */
    VEC(uint32_t) dwid;     /* per token of the sentence (before comma clauses): word id, */
    VEC(uint32_t) dcls;     /* ... class bits, */
    VEC(uint8_t) dflags;    /* ... WF_ flags, */
    VEC(uint32_t) dvstem;   /* ... verb stem, */
    VEC(uint32_t) dst;      /* ... and pattern stems dst[dst_at[j] .. dst_at[j+1]) */
    VEC(uint32_t) dst_at;
    VEC(uint32_t) kcls;     /* class bits per kept token */
    VEC(uint8_t) kflags;    /* WF_ flags per kept token */
    VEC(int) drop;          /* comma-clause scratch */
    VEC(unit) units;        /* phrase scratch */
    VEC(member) members;
    VEC(uint32_t) cand;     /* candidate pattern ranks of one verb */
    VEC(uint64_t) candbits; /* ... first as a bitmap over ranks */
    VEC(mp_event) ev;
    mp_arena arena;
    int trace_on;
    int mixed_case;         /* the sentence has a word in lower case */
    geo_ctx *gx;            /* places (NULL without a gazetteer) */
    cnt_ctx *cx;            /* counts */
    int when_sent, when_found, cnt_sent;   /* per-verb caches of event_date() and enrich() */
    uint32_t when_tok, cnt_tok;
    when_date when_last;
    const mp_quantity *cnt_q;
    size_t cnt_n;
    long long cnt_dead;
    int collect_names;      /* mp_ctx_set_collect_names */
    VEC(mp_name) names;
    VEC(char) trace;
};

mp_ctx *mp_ctx_new(const mp_coder *c) {
    if (!c || !c->ready) return NULL;
    mp_ctx *x = calloc(1, sizeof *x);
    if (!x) return NULL;
    x->c = c;
    x->opts = c->opts;
    x->diag = c->diag;
    x->diag_ud = c->diag_ud;
    tx_doc_init(&x->td);
    x->cx = cnt_ctx_new();
    if (c->gaz) x->gx = geo_ctx_new(c->gaz);
    if (!x->cx || (c->gaz && !x->gx)) {
        mp_ctx_free(x);
        return NULL;
    }
    return x;
}

void mp_ctx_free(mp_ctx *x) {
    if (!x) return;
    tx_doc_free(&x->td);
    geo_ctx_free(x->gx);
    cnt_ctx_free(x->cx);
    free(x->fixed);
    free(x->keep.p);
    free(x->wid.p);
    free(x->phr_at.p);
    free(x->joints.p);
    free(x->phr_of.p);
    free(x->ph.p);
    free(x->codebuf.p);
    free(x->dyncodes.p);
    free(x->vm.p);
    free(x->where);
    free(x->vstem.p);
    free(x->tstem.p);
    free(x->tstem_at.p);
    free(x->memo.p);
    free(x->swords.p);
    free(x->awords.p);
    free(x->amasks.p);
    free(x->dwid.p);
    free(x->dcls.p);
    free(x->dflags.p);
    free(x->dvstem.p);
    free(x->dst.p);
    free(x->dst_at.p);
    free(x->kcls.p);
    free(x->kflags.p);
    free(x->drop.p);
    free(x->units.p);
    free(x->members.p);
    free(x->spos.p);
    free(x->cand.p);
    free(x->candbits.p);
    free(x->ev.p);
    free(x->trace.p);
    free(x->names.p);
    mp__arena_free(&x->arena);
    free(x);
}

int mp_ctx_set_option(mp_ctx *x, const char *name, const char *value) {
    if (!x || !name || !value) return MP_ERR_OPTION;
    return mp__opts_set(&x->opts, name, value);
}
void mp_ctx_reset_options(mp_ctx *x) {
    if (x) x->opts = x->c->opts;
}
void mp_ctx_set_diag(mp_ctx *x, mp_diag_fn fn, void *ud) {
    if (!x) return;
    x->diag = fn;
    x->diag_ud = ud;
}
size_t mp_ctx_nevents(const mp_ctx *x) { return x ? x->ev.n : 0; }
const mp_event *mp_ctx_event(const mp_ctx *x, size_t i) {
    return x && i < x->ev.n ? &x->ev.p[i] : NULL;
}
const char *mp_ctx_text(const mp_ctx *x, size_t *len) {
    if (len) *len = x ? x->len : 0;
    return x ? x->text : NULL;
}
int mp_ctx_discarded(const mp_ctx *x) { return x ? x->discarded : 0; }
size_t mp_ctx_nsentences(const mp_ctx *x) { return x ? x->td.nsent : 0; }
mp_span mp_ctx_sentence(const mp_ctx *x, size_t i) {
    mp_span sp = {0, 0};
    if (x && i < x->td.nsent) sp.start = x->td.sent[i].start, sp.end = x->td.sent[i].end;
    return sp;
}
void mp_ctx_set_collect_names(mp_ctx *x, int on) {
    if (x) x->collect_names = on;
}
size_t mp_ctx_nnames(const mp_ctx *x) { return x ? x->names.n : 0; }
mp_span mp_ctx_name(const mp_ctx *x, size_t i, int *sent) {
    mp_span none = {0, 0};
    if (!x || i >= x->names.n) return none;
    if (sent) *sent = x->names.p[i].sent;
    return x->names.p[i].span;
}
void mp_ctx_set_trace(mp_ctx *x, int on) {
    if (x) x->trace_on = on;
}
const char *mp_ctx_trace(const mp_ctx *x) {
    return x && x->trace.n ? x->trace.p : "";
}

static void trace(mp_ctx *x, const char *fmt, ...) {
    if (!x->trace_on) return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n >= sizeof buf) n = sizeof buf - 1;
    if (VEC_RESERVE(x->trace, (size_t)n + 1)) return;
    memcpy(x->trace.p + x->trace.n, buf, (size_t)n);
    x->trace.n += (size_t)n;
    x->trace.p[x->trace.n] = 0;
}

static void ctx_diag(mp_ctx *x, mp_severity sev, const char *fmt, ...) {
    if (!x->diag) return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    x->diag(x->diag_ud, sev, x->doc_id, 0, msg);
}

/* ---- small word classes ---------------------------------------------------------------- */
/* Closed word classes are looked up by word id: mp_coder_ready() interns
 * every word of the lists below and sets its class bits. */
enum {
    WC_DET = 1 << 0, WC_PREP = 1 << 1, WC_SUBORD = 1 << 2, WC_CONJ = 1 << 3,
    WC_STOP = 1 << 4, WC_DEGREE = 1 << 5, WC_PAST = 1 << 6, WC_ADVSUB = 1 << 7,
    WC_ANDBUT = 1 << 8, WC_OFIN = 1 << 9, WC_THE = 1 << 10, WC_TO = 1 << 11,
    WC_POSS = 1 << 12, WC_SEMI = 1 << 13, WC_DEFDET = 1 << 14, WC_BE = 1 << 15,
    WC_NEG = 1 << 16, WC_BY = 1 << 17, WC_TIME = 1 << 18, WC_PRON = 1 << 19,
    WC_WEAPON = 1 << 20, WC_FUTURE = 1 << 21, WC_INTEND = 1 << 22, WC_COND = 1 << 23
};
static const char *const DETS[] = {"A", "AN", "THE", "THIS", "THESE", "THOSE", "ITS", "THEIR",
                                   "HIS", "HER", "OUR", "MY", "YOUR", "'S", "'", "ANY", "NO",
                                   "EACH", "EVERY", "SOME", "ANOTHER", NULL};
static const char *const PREPS[] = {"OF", "FOR", "IN", "ON", "WITH", "BY", "FROM", "AT", "ABOUT",
                                    "AGAINST", "OVER", "UNDER", "INTO", "DURING", "BETWEEN",
                                    "AMONG", "THROUGH", "AFTER", "BEFORE", NULL};
static const char *const SUBORD[] = {"THAT", "WHICH", "WHO", "WHOM", "WHOSE", "WHERE", "WHEN",
                                     "WHILE", "AFTER", "BEFORE", "BECAUSE", "ALTHOUGH", "SINCE",
                                     "UNTIL", "IF", "THOUGH", "WHETHER", NULL};
static const char *const CONJ[] = {"AND", "OR", "NOR", ",", NULL};
static const char *const ANDBUT[] = {"AND", "BUT", NULL};
static const char *const OFIN[] = {"OF", "FROM", "IN", NULL};
static const char *const THE[] = {"THE", NULL};
static const char *const DEFDET[] = {"THE", "THIS", "THESE", "THOSE", NULL};
static const char *const BY[] = {"BY", NULL};
static const char *const PRONOUNS[] = {"HE", "SHE", "IT", "THEY", "WE", NULL};
static const char *const TIMEWORDS[] = {
    "JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER",
    "OCTOBER", "NOVEMBER", "DECEMBER", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY",
    "SATURDAY", "SUNDAY", "JAN.", "FEB.", "MAR.", "APR.", "AUG.", "SEPT.", "SEP.", "OCT.", "NOV.",
    "DEC.", NULL};
static const char *const BEFORMS[] = {"IS", "ARE", "WAS", "WERE", "BE", "BEEN", "BEING", NULL};
static const char *const NEGS[] = {"NOT", "N'T", "NEVER", NULL};
static const char *const TO[] = {"TO", NULL};
/* the mood of a verb (mood_code): "will visit", "plans to visit", "... unless" */
static const char *const FUTURE[] = {"WILL", "WOULD", "SHALL", "'LL", NULL};
static const char *const INTEND[] = {"PLAN", "PLANS", "PLANNED", "PLANNING", "INTEND", "INTENDS",
                                     "INTENDED", "INTENDING", "OFFER", "OFFERS", "OFFERED",
                                     "OFFERING", "PREPARED", "READY", "WILLING", "EXPECTED",
                                     "SCHEDULED", "DUE", "GOING", NULL};
static const char *const CONDITIONS[] = {"UNLESS", "IF", NULL};
/* Compared by their text (in_list), not made word classes: a class gives its
 * words ids and bits that other rules read.  Adverbs not in -LY that may stand
 * between a modal and its verb ("will soon visit"): */
static const char *const ADVERBS[] = {"SOON", "ALSO", "NOW", "STILL", "THEN", "FIRST", "AGAIN",
                                      "EVENTUALLY", NULL};
/* -ing words that are nouns before a that-clause ("a cabinet meeting that") */
static const char *const ING_NOUNS[] = {"MEETING", "BRIEFING", "HEARING", "GATHERING", "RULING",
                                        "FINDING", "FEELING", "WARNING", "UNDERSTANDING",
                                        "SITTING", "OPENING", NULL};

/* nouns of a text that says or does something: an -ing form after one is
 * what the text does ("a declaration demanding wide-ranging changes", "a law
 * imposing a 35% duty on imports from Russia") */
static const char *const TEXT_NOUNS[] = {"DECLARATION", "DECLARATIONS", "STATEMENT", "STATEMENTS",
                                         "RESOLUTION", "RESOLUTIONS", "LETTER", "LETTERS",
                                         "PETITION", "PETITIONS", "COMMUNIQUE", "MANIFESTO",
                                         "MEMORANDUM", "BANNERS", "PLACARDS", "SLOGANS", "LAW",
                                         "LAWS", "BILL", "DECREE", "ORDER", "MEASURE",
                                         "MEASURES", NULL};

static int in_list(const char *w, const char *const *list) {
    for (; *list; list++)
        if (!strcmp(w, *list)) return 1;
    return 0;
}
static const char *const POSS[] = {"'S", NULL};
static const char *const SEMI[] = {";", NULL};
static const char *const FILLER_STOP[] = {"AND", "OR", "NOR", "BUT", "WAS", "WERE", "IS", "ARE",
                                          "BE", "BEEN", "HAS", "HAVE", "HAD", "WILL", "WOULD",
                                          "CAN", "COULD", "MAY", "MIGHT", "SHOULD", "MUST",
                                          "NOT", "TO", "DID", "DOES", "DO", NULL};

static uint32_t wcls(const mp_ctx *x, int pos);

/* ---- per-sentence helpers -------------------------------------------------------------- */
static const char *norm_at(const mp_ctx *x, int pos) {
    const tx_token *t = &x->td.tok[x->keep.p[pos]];
    return x->td.normbuf + t->norm;
}
static const tx_token *tok_at(const mp_ctx *x, int pos) { return &x->td.tok[x->keep.p[pos]]; }

/* The vocabulary filter: two bits per word in a table that stays in cache,
 * so that most words that are in no dictionary cost no table lookup. */
#define VOCAB_BLOOM_BITS 20
static int vocab_maybe(const mp_coder *c, uint32_t h) {
    uint32_t a = (h * 2654435761u) >> (32 - VOCAB_BLOOM_BITS);
    uint32_t b = (h * 0x85EBCA6Bu ^ h >> 13) >> (32 - VOCAB_BLOOM_BITS);
    return (c->vocab_bloom[a >> 6] >> (a & 63) & 1) && (c->vocab_bloom[b >> 6] >> (b & 63) & 1);
}

static int build_vocab_bloom(mp_coder *c) {
    c->vocab_bloom = calloc((1u << VOCAB_BLOOM_BITS) / 64, sizeof *c->vocab_bloom);
    if (!c->vocab_bloom) return -1;
    for (size_t i = 0; i < c->words.n; i++) {
        uint32_t h = c->words.keys[i].h;
        uint32_t a = (h * 2654435761u) >> (32 - VOCAB_BLOOM_BITS);
        uint32_t b = (h * 0x85EBCA6Bu ^ h >> 13) >> (32 - VOCAB_BLOOM_BITS);
        c->vocab_bloom[a >> 6] |= 1ull << (a & 63);
        c->vocab_bloom[b >> 6] |= 1ull << (b & 63);
    }
    return 0;
}

/* Walk the stem trie along s: pattern stems that begin it go to out (up to
 * cap; the count returned may be larger); *vstem gets the verb forms of the
 * longest verb stem (the head of their chain), MP_NONE if none. */
static uint32_t walk_stems(const mp_coder *c, const char *s, size_t n, uint32_t *out, uint32_t cap,
                           uint32_t *vstem) {
    uint32_t k = 0;
    uint32_t node = 0;
    *vstem = MP_NONE;
    for (size_t i = 0; i < n; i++) {
        int sym = stem_sym((unsigned char)s[i]);
        if (!sym || !(node = stem_child(c->stems, node, sym))) break;
        uint32_t sw = c->stems[node].word;
        if (sw == MP_NONE) continue;
        if (c->stems[node].vfirst != MP_NONE) *vstem = c->stems[node].vfirst;
        if (sw < c->nword_flags && (c->word_flags[sw] & WF_PATWORD)) {
            if (k < cap) out[k] = sw;
            k++;
        }
    }
    return k;
}

/* What the dictionaries know of a token's text, through a small
 * direct-mapped cache: news text is mostly a few thousand frequent words,
 * and the cache keeps their lookups out of the big vocabulary table (a cache
 * miss or two each).  A text too long for the cache is looked up into *tmp. */
static const wc_entry *token_info(mp_ctx *x, const char *s, size_t n, uint32_t hash, int is_word,
                                  wc_entry *tmp) {
    const mp_coder *c = x->c;
    wc_entry *e = tmp;
    if (n <= sizeof e->s) {
        e = &x->wcache[(hash * 2654435761u) >> (32 - MP_WCACHE_BITS)];
        if (e->hash == hash && e->len == n && !memcmp(e->s, s, n)) return e;
        memcpy(e->s, s, n);
        e->len = (uint8_t)n;
        e->hash = hash;
    } else {
        tmp->len = 0;
    }
    uint32_t w = vocab_maybe(c, hash) ? mp__strmap_get_h(&c->words, s, n, hash) : MP_NONE;
    e->w = w;
    e->cls = w < c->nword_flags ? c->word_class[w] : 0;
    e->flags = w < c->nword_flags ? c->word_flags[w] : 0;
    e->nst = 0;
    e->vstem = MP_NONE;
    if (c->stems && is_word) {
        uint32_t k = walk_stems(c, s, n, e->st, WC_NSTEM, &e->vstem);
        e->nst = (uint8_t)(k > WC_NSTEM ? WC_NSTEM + 1 : k);
    }
    return e;
}

/* Record that word (or stem) w occurs at pos. */
static inline void present_add(mp_ctx *x, uint32_t w, int pos) {
    x->sentsig |= word_bit(w);
    x->swords.p[x->swords.n++] = w;  /* room reserved by the caller */
    x->spos.p[x->spos.n++] = pos;
}


/* Build the word -> (first, last) position table from swords/spos. */
static int build_where(mp_ctx *x) {
    size_t cap = 16;
    int bits = 4;
    while (cap < x->swords.n * 2) cap *= 2, bits++;
    x->where_bits = bits;
    if (cap > x->where_cap) {
        struct wpos *nw = realloc(x->where, cap * sizeof *nw);
        if (!nw) return -1;
        for (size_t i = x->where_cap; i < cap; i++) nw[i].gen = 0;
        x->where = nw;
        x->where_cap = cap;
    }
    x->where_n = cap;  /* this sentence's table size; the allocation may be larger */
    if (++x->where_gen == 0) {  /* wrapped: clear once */
        for (size_t i = 0; i < x->where_cap; i++) x->where[i].gen = 0;
        x->where_gen = 1;
    }
    uint32_t gen = x->where_gen;
    for (size_t i = 0; i < x->swords.n; i++) {
        uint32_t w = x->swords.p[i];
        size_t h = whash(w) >> (32 - bits);
        while (x->where[h].gen == gen && x->where[h].w != w) h = (h + 1) & (cap - 1);
        if (x->where[h].gen != gen) {
            x->where[h].gen = gen;
            x->where[h].w = w;
            x->where[h].first = x->where[h].last = x->spos.p[i];
            /* a distinct word that indexes patterns */
            uint64_t am = w < x->c->nword_flags ? x->c->anchor_mask[w] : 0;
            if (am && (VEC_PUSH(x->awords, w) || VEC_PUSH(x->amasks, am))) return -1;
        } else {
            if (x->spos.p[i] < x->where[h].first) x->where[h].first = x->spos.p[i];
            if (x->spos.p[i] > x->where[h].last) x->where[h].last = x->spos.p[i];
        }
    }
    return 0;
}

static const struct wpos *where_is(const mp_ctx *x, uint32_t w) {
    size_t cap = x->where_n;
    for (size_t h = whash(w) >> (32 - x->where_bits);; h = (h + 1) & (cap - 1)) {
        if (x->where[h].gen != x->where_gen) return NULL;
        if (x->where[h].w == w) return &x->where[h];
    }
}

/* Does token at pos match word element e? */
static int word_match(const mp_ctx *x, int pos, const mp_pelem *e) {
    uint32_t w = x->wid.p[pos];
    /* a preposition before a day or month dates the event ("agreed on
     * Wednesday that"); it is not the pattern's preposition ("agreed on") */
    if (w == e->arg)
        return !((wcls(x, pos) & WC_PREP) && pos + 1 < (int)x->keep.n &&
                 (wcls(x, pos + 1) & WC_TIME));
    if (!e->stem) return 0;
    for (uint32_t i = x->tstem_at.p[pos]; i < x->tstem_at.p[pos + 1]; i++)
        if (x->tstem.p[i] == e->arg) return 1;
    return 0;
}

/* Date-valid code of an actor, MP_NONE if none applies. */
static uint32_t actor_code(const mp_ctx *x, const mp_actor *a) {
    for (uint32_t i = 0; i < a->n; i++) {
        const mp_actor_code *ac = &x->c->actor_codes.p[a->first + i];
        /* [C >D]: from D on; [C <D]: up to D; [C D1-D2]: D1..D2; limits
         * included ("or equal to", as PETRARCH-1 reads them) */
        int ok;
        if (!x->date)
            ok = 0;
        else if (ac->from && ac->to)
            ok = x->date >= ac->from && x->date <= ac->to;
        else if (ac->from)
            ok = x->date >= ac->from;
        else
            ok = x->date <= ac->to;
        /* "[--- <D]": no actor at that time (the CIS before 1991) */
        if (ok) return strcmp(mp__code_str(x->c, ac->code), "---") ? ac->code : MP_NONE;
    }
    /* "URUGUAY_ROUND [---]": a name that is no actor, listed so that the
     * shorter name inside it (Uruguay) is not taken */
    if (a->dflt != MP_NONE && !strcmp(mp__code_str(x->c, a->dflt), "---")) return MP_NONE;
    return a->dflt;
}

/* Longest trie match starting at pos; returns length and payload. */
static int trie_longest(const mp_ctx *x, const mp_trie *t, int pos, int n, uint32_t *val) {
    uint32_t w = x->wid.p[pos];
    if (!t->n || w == MP_NONE || w >= x->c->nword_flags) return 0;
    uint32_t node = t->root[w];
    if (node == MP_NONE) return 0;
    int best = 0;
    if (t->node_val[node] != MP_NONE) {
        best = 1;
        *val = t->node_val[node];
    }
    for (int i = pos + 1; i < n && t->kidword[node] != MP_NONE; i++) {
        w = x->wid.p[i];
        if (w == MP_NONE) break;
        if (t->kidword[node] == MP_MANY)
            node = mp__trie_step(t, node, w);
        else
            node = t->kidword[node] == w ? t->kidnode[node] : MP_NONE;
        if (node == MP_NONE) break;
        if (t->node_val[node] != MP_NONE) {
            best = i - pos + 1;
            *val = t->node_val[node];
        }
    }
    return best;
}

/* Codes are ids into c->codes, or (MP_DYN | i) into dyncodes. */
#define MP_DYN 0x80000000u
static const char *code_text(const mp_ctx *x, uint32_t id) {
    if (id & MP_DYN) return x->dyncodes.p[id & ~MP_DYN];
    return mp__code_str(x->c, id);
}

static uint32_t dyn_code(mp_ctx *x, const char *s, size_t n) {
    char *d = mp__arena_strndup(&x->arena, s, n);
    if (!d || VEC_PUSH(x->dyncodes, d)) return MP_NONE;
    return MP_DYN | (uint32_t)(x->dyncodes.n - 1);
}

/* Actor code + agent code, PETRARCH style: a suffix agent is appended unless
 * the actor code already holds it; a prefix agent goes in front. */
static uint32_t combine(mp_ctx *x, uint32_t actor, uint32_t agent, int prefix) {
    const char *a = actor == MP_NONE ? "---" : code_text(x, actor);
    const char *g = mp__code_str(x->c, agent);
    size_t al = strlen(a), gl = strlen(g);
    char buf[128];
    if (al + gl + 1 > sizeof buf) return actor;
    if (prefix) {
        if (al >= gl && !memcmp(a, g, gl)) return actor;
        if (!strcmp(a, "---")) return dyn_code(x, g, gl);
        memcpy(buf, g, gl);
        memcpy(buf + gl, a, al);
        return dyn_code(x, buf, al + gl);
    }
    /* redundant if g occurs in a at a 3-aligned position */
    for (size_t i = 0; i + gl <= al; i += 3)
        if (!memcmp(a + i, g, gl)) return actor;
    memcpy(buf, a, al);
    memcpy(buf + al, g, gl);
    return dyn_code(x, buf, al + gl);
}

/* ---- noun phrases ------------------------------------------------------------------------- */
static int is_verbword(const mp_ctx *x, int p) {
    uint32_t id = x->wid.p[p];
    (void)id;
    return (x->kflags.p[p] & WF_VERB) != 0;
}

/* May the words in [a, b) stand between two units of one noun phrase? */
static int np_gap_ok(const mp_ctx *x, int a, int b, const unit *left, const unit *right) {
    int fillers = 0;
    for (int p = a; p < b; p++) {
        const tx_token *t = tok_at(x, p);
        if (t->kind == TX_POSS && p == a && left->kind == PH_ACTOR) continue;
        uint32_t k = wcls(x, p);
        if (p == a && b - a <= 2 && left->kind == PH_AGENT && right->kind == PH_ACTOR &&
            (k & WC_OFIN))
            continue;
        if (p > a && (k & WC_THE) && (wcls(x, a) & WC_OFIN)) continue;
        if (t->kind != TX_WORD || (k & (WC_STOP | WC_SUBORD | WC_PREP | WC_DET)) || is_verbword(x, p))
            return 0;
        fillers++;
    }
    if (fillers > 2) return 0;
    /* two actors with words between them are two phrases */
    if (fillers && left->kind == PH_ACTOR && right->kind == PH_ACTOR) return 0;
    return 1;
}

/* May the words in [a, b) join two phrases into a compound ("A, B and the
 * evil C")?  `last` says whether this is the final link of the chain. */
static int conj_gap(const mp_ctx *x, int a, int b, int *word_conj) {
    int conj = 0, before = 0;
    *word_conj = 0;
    if (b <= a || b - a > 6) return 0;
    for (int p = a; p < b; p++) {
        const tx_token *t = tok_at(x, p);
        uint32_t k = wcls(x, p);
        int plain = t->kind == TX_WORD && !(k & (WC_STOP | WC_PREP | WC_SUBORD | WC_DET)) &&
                    !is_verbword(x, p);
        if (k & WC_CONJ) {
            conj++;
            if (t->kind != TX_COMMA) *word_conj = 1;
        } else if (!conj) {
            /* only "A 's noun and ..." may have words before the conjunction */
            if (p == a ? !(k & WC_POSS) : !plain) return 0;
            before++;
        } else if (p == b - 1 && (k & WC_OFIN) && before) {
            /* "... and goats of Gondor" */
        } else if (!((k & WC_DET) && !(k & WC_POSS)) && !plain) {
            return 0;
        }
    }
    if (before > 3) return 0;
    return conj > 0;
}

/* Make the codes of members m[0..nm) (one phrase, compound if nm > 1). */
static int member_codes(mp_ctx *x, member *m, int nm) {
    const mp_coder *c = x->c;
    const member *lead = NULL;  /* an "agent of actor" member passes its agents on */
    int nactors = 0;
    for (int i = 0; i < nm; i++) nactors += m[i].actor != MP_NONE;
    for (int i = 0; i < nm; i++) {
        member *mm = &m[i];
        if (mm->actor != MP_NONE && mm->nagents && mm->agent_before) lead = mm;
        if (mm->actor != MP_NONE && !mm->nagents && lead) {
            memcpy(mm->agents, lead->agents, sizeof mm->agents);
            mm->nagents = lead->nagents;
        }
    }
    for (int i = 0; i < nm; i++) {
        member *mm = &m[i];
        /* an agent alone in a compound with actors goes with each of them:
         * "Danish media and government", "lawmakers and official in X and Y" */
        int reps = mm->actor == MP_NONE && nactors ? nm : 1;
        for (int r = 0; r < reps; r++) {
            uint32_t code;
            if (reps > 1) {
                if (m[r].actor == MP_NONE) continue;
                code = m[r].actor;
            } else {
                code = mm->actor;
            }
            /* an actor code may hold several ("FRO/BIL/SAM") */
            const char *cs = code == MP_NONE ? "---" : code_text(x, code);
            const char *q = cs;
            for (;;) {
                const char *e = strchr(q, '/');
                size_t l = e ? (size_t)(e - q) : strlen(q);
                uint32_t one = code;
                if (e || q != cs) one = dyn_code(x, q, l);
                if (one == MP_NONE && code != MP_NONE) return -1;
                for (int a = 0; a < mm->nagents; a++) {
                    const mp_agent *ag = &c->agents.p[mm->agents[a]];
                    one = combine(x, one, ag->code, ag->prefix);
                }
                if (one == MP_NONE) one = dyn_code(x, "---", 3);
                if (one == MP_NONE || VEC_PUSH(x->codebuf, one)) return -1;
                if (!e) break;
                q = e + 1;
            }
        }
    }
    return 0;
}

/* Company names: a country or place name inside a run of capitalised words
 * that ends in a company suffix or "Exchange" ("IBM Canada Ltd", "Nippon
 * Steel Corp", "the Amsterdam Stock Exchange",
 * "CIS Technologies Inc") names a company, not the country: the name codes
 * as that country's business (CANBUS, JPNBUS), and an organisation's code
 * ("CIS") as nothing. */
static const char *const COMPANY_END[] = {"INC", "INC.", "CORP", "CORP.", "CO", "CO.", "LTD", "LTD.",
                                          "PLC", "LLC", "AG", "SA", "NV", "SPA", "BHD", "GMBH",
                                          "CORPORATION", "INCORPORATED", "LIMITED", "BV", "AB",
                                          "ASA", "KK", "EXCHANGE", NULL};

static int capword(const mp_ctx *x, int p) {
    const tx_token *t = tok_at(x, p);
    return t->kind == TX_WORD && (t->flags & TX_CAP);
}

static int in_company(const mp_ctx *x, int last, int n) {
    if (!x->mixed_case) return 0;
    for (int p = last + 1, words = 0; p < n && words < 6; p++, words++) {
        /* "&", "and", "of" between capitalised words: "Steel & Mining Ltd" */
        int glue = words && p + 1 < n && capword(x, p + 1) &&
                   (!strcmp(norm_at(x, p), "&") || !strcmp(norm_at(x, p), "AND") ||
                    !strcmp(norm_at(x, p), "OF"));
        if (!capword(x, p) && !glue) return 0;
        if (in_list(norm_at(x, p), COMPANY_END)) return 1;
    }
    return 0;
}

static uint32_t company_code(mp_ctx *x, uint32_t actor) {
    const char *a = code_text(x, actor);
    if (strlen(a) != 3 || a[0] == '-') return MP_NONE;
    char buf[8];
    memcpy(buf, a, 3);
    memcpy(buf + 3, "BUS", 3);
    return dyn_code(x, buf, 6);
}

/* Is the actor named right after another (nothing or "'s" between, [a, b))
 * a narrower name of it, so that it wins: "Russia 's FSB" is RUSSPY and
 * "Hungary 's Viktor Orban" HUNGOV, not RUS and HUN.  Narrower: its code
 * starts with the first one's and is longer. */
static int narrower(const mp_ctx *x, uint32_t first, uint32_t next, int a, int b) {
    if (first == MP_NONE || next == MP_NONE || b - a > 1) return 0;
    if (b > a && tok_at(x, a)->kind != TX_POSS) return 0;
    const char *f = code_text(x, first), *g = code_text(x, next);
    size_t fl = strlen(f);
    return strlen(g) > fl && !strncmp(f, g, fl);
}

/* Media agents that are no side: the audience of a statement ("told
 * reporters", "said to the press", "briefed journalists") and a media word
 * before a noun ("a press conference", "press reports"); coded, they would
 * give "---MED" sides to every statement. */
static const char *const TELL_VERBS[] = {"TOLD", "TELL", "TELLS", "TELLING", "BRIEFED", "BRIEF",
                                         "BRIEFS", "BRIEFING", "INFORMED", "ASSURED", NULL};
static const char *const SAY_VERBS[] = {"SAID", "SAY", "SAYS", "SAYING", "SPEAKING", "SPOKE",
                                        "TALKING", "EXPLAINED", "ANNOUNCED", "DECLARED",
                                        "CONFIRMED", "ADMITTED", "INSISTED", "REVEALED",
                                        "COMPLAINED", "STATED", NULL};
static const char *const MEDIA_THINGS[] = {"CONFERENCE", "CONFERENCES", "RELEASE", "REPORT",
                                           "REPORTS", "BRIEFING", "STATEMENT", "SPECULATION",
                                           "COVERAGE", "INTERVIEW", NULL};

static int is_dash(const char *w) {
    return !strcmp(w, "-") || !strcmp(w, "--") || !strcmp(w, "\xe2\x80\x93") || !strcmp(w, "\xe2\x80\x94");
}

/* A place at the start of a sentence and before a dash is a dateline the
 * tokenizer did not take ("Manila - The Asian Development Bank said", "(XZAP
 * 1151) MOSCOW - The Soviet Communist Party"), not an actor. */
static int in_dateline(const mp_ctx *x, const phrase *p, int n) {
    if (p->last + 2 >= n || !is_dash(norm_at(x, p->last + 1)) || !capword(x, p->last + 2)) return 0;
    int q = p->first;
    if (q > 0 && !strcmp(norm_at(x, q - 1), ")"))
        for (q -= 2; q >= 0 && strcmp(norm_at(x, q), "("); q--) {}
    return q == 0;
}

/* A name before one of these is a modifier of money, not a side: "a 100 mln
 * U.S. dollar facility", "Reagan bonds", "new bank loans". */
static const char *const MONEY_THINGS[] = {
    "DOLLAR", "DOLLARS", "DLR", "DLRS", "YEN", "MARK", "MARKS", "FRANC", "FRANCS", "POUND",
    "POUNDS", "STERLING", "LIRA", "PESO", "PESOS", "RUPEE", "RUPEES", "EURO", "EUROS", "YUAN",
    "CURRENCY", "BONDS", "BOND", "SECURITIES", "TREASURIES", "SHARES", "SHARE", "STOCK", "STOCKS",
    "EQUITIES", "FUTURES", "LOAN", "LOANS", "CREDITS", "DEPOSITS", "RATES", "PAPER", NULL};
/* Agents written like adjectives: before a plain word in lower case they
 * modify it ("official figures", "to moderate excessive loans", "rebel
 * positions"); a verb after them keeps them a side ("an official said").
 * Only with the built-in agents: other agent files were written for coders
 * that read "the official news agency" as a government side (PETRARCH's
 * validation suite expects it). */
static const char *const ADJ_AGENTS[] = {"OFFICIAL", "MODERATE", "RADICAL", "MILITANT",
                                         "CIVILIAN", "REBEL", "EXTREMIST", NULL};

static int plain_lower(const mp_ctx *x, int p) {
    const tx_token *t = tok_at(x, p);
    return t->kind == TX_WORD && !(t->flags & TX_CAP) && !wcls(x, p) &&
           !(x->kflags.p[p] & (WF_VERB | WF_ACTOR | WF_AGENT)) && x->vstem.p[p] == MP_NONE;
}

/* Are all the codes of phrase p this one? */
static int all_codes(const mp_ctx *x, const phrase *p, const char *code) {
    for (uint32_t j = 0; j < p->ncode; j++)
        if (strcmp(code_text(x, x->codebuf.p[p->code_first + j]), code)) return 0;
    return 1;
}

/* Is phrase p no participant in an event (set aside: no source or target of
 * any verb)?  A dateline, a name before money, an agent-only phrase that
 * codes nothing, an adjective-like agent (built-in agents only) and the
 * media words above. */
static int is_aside(const mp_ctx *x, const phrase *p, int n) {
    if (in_dateline(x, p, n)) return 1;
    if (p->last + 1 < n && in_list(norm_at(x, p->last + 1), MONEY_THINGS) &&
        !in_company(x, p->last, n))  /* "the Amsterdam Stock Exchange" */
        return 1;
    if (!p->isagent_only || !p->ncode) return 0;
    if (x->c->builtin_agents && p->first == p->last && p->last + 1 < n &&
        in_list(norm_at(x, p->first), ADJ_AGENTS) && plain_lower(x, p->last + 1))
        return 1;
    /* a name that codes nothing ("CIS Technologies Inc", see in_company) */
    if (all_codes(x, p, "---")) return 1;
    if (!all_codes(x, p, "---MED")) return 0;
    if (p->last + 1 < n && in_list(norm_at(x, p->last + 1), MEDIA_THINGS)) return 1;
    int q = p->first - 1;
    if (q >= 0 && (wcls(x, q) & WC_DET) && !(wcls(x, q) & WC_POSS)) q--;
    if (q < 0) return 0;
    if (in_list(norm_at(x, q), TELL_VERBS)) return 1;
    return q >= 1 && !strcmp(norm_at(x, q), "TO") && in_list(norm_at(x, q - 1), SAY_VERBS);
}

/* Find units (actor/agent name matches), group them into phrases, and join
 * phrases into compounds. */
static int find_phrases(mp_ctx *x, int n) {
    const mp_coder *c = x->c;
    x->ph.n = 0;
    x->codebuf.n = 0;
    if (VEC_RESERVE(x->phr_at, (size_t)n) || VEC_RESERVE(x->phr_of, (size_t)n)) return -1;
    for (int i = 0; i < n; i++) x->phr_at.p[i] = x->phr_of.p[i] = -1;
#define u (x->units)
#define mem (x->members)
    u.n = mem.n = 0;
    for (int i = 0; i < n;) {
        uint32_t w = x->wid.p[i];
        uint8_t f = x->kflags.p[i];
        (void)w;
        int la = 0, lg = 0;
        uint32_t va = MP_NONE, vg = MP_NONE;
        if (f & WF_ACTOR) la = trie_longest(x, &c->actor_trie, i, n, &va);
        /* a name that starts with an article yields to a longer one that
         * starts after it: "the West Bank" is WEST_BANK, not THE_WEST + bank */
        if (la > 1 && (wcls(x, i) & WC_DET) && (x->kflags.p[i + 1] & WF_ACTOR)) {
            uint32_t v2 = MP_NONE;
            int l2 = trie_longest(x, &c->actor_trie, i + 1, n, &v2);
            if (l2 > la - 1 && actor_code(x, &c->actors.p[v2]) != MP_NONE) {
                i++;
                continue;
            }
        }
        if (f & WF_AGENT) lg = trie_longest(x, &c->agent_trie, i, n, &vg);
        if (la && la >= lg) {
            /* a name with no actor code now ("URUGUAY_ROUND [---]", "MARKET_FORCES
             * [---]") is skipped whole: no shorter name inside it is taken */
            if (actor_code(x, &c->actors.p[va]) == MP_NONE) {
                i += la;
                continue;
            }
            unit un = {i, i + la - 1, PH_ACTOR, va};
            if (VEC_PUSH(u, un)) goto oom;
            i += la;
            continue;
        }
        if (lg) {
            unit un = {i, i + lg - 1, PH_AGENT, vg};
            if (VEC_PUSH(u, un)) goto oom;
            i += lg;
            continue;
        }
        i++;
    }
    /* group adjacent units into members */
    for (size_t k = 0; k < u.n;) {
        size_t g1 = k;
        while (g1 + 1 < u.n && np_gap_ok(x, u.p[g1].last + 1, u.p[g1 + 1].first, &u.p[g1], &u.p[g1 + 1]))
            g1++;
        member m = {u.p[k].first, u.p[g1].last, MP_NONE, {0}, 0, 0, -1};
        int seen_agent = 0;
        size_t chosen = 0;
        for (size_t j = k; j <= g1; j++) {
            if (u.p[j].kind == PH_ACTOR) {
                uint32_t code = actor_code(x, &c->actors.p[u.p[j].id]);
                if (m.actor == MP_NONE) {
                    m.actor = code;
                    chosen = j;
                    m.agent_before = seen_agent && !c->agents.p[m.agents[0]].prefix;
                    if (m.agent_before) m.split = u.p[j].first;
                } else if (chosen + 1 == j && narrower(x, m.actor, code, u.p[chosen].last + 1, u.p[j].first)) {
                    m.actor = code;
                    chosen = j;
                }
            } else {
                seen_agent = 1;
                if (m.nagents < 4) m.agents[m.nagents++] = u.p[j].id;
            }
        }
        if (m.actor != MP_NONE && in_company(x, m.last, n)) m.actor = company_code(x, m.actor);
        if (VEC_PUSH(mem, m)) goto oom;
        k = g1 + 1;
    }
    /* compounds: member (, member)* (and|or|nor) [the, adjectives] member */
    for (size_t i = 0; i < mem.n;) {
        size_t j = i, last_word = i;
        while (j + 1 < mem.n) {
            int wc;
            if (!conj_gap(x, mem.p[j].last + 1, mem.p[j + 1].first, &wc)) break;
            j++;
            if (wc) last_word = j;
        }
        j = last_word;  /* a chain must end with and/or/nor */
        phrase ph = {mem.p[i].first, mem.p[j].last, (uint32_t)x->codebuf.n, 0, 0, -1, -1, 0, 0};
        if (member_codes(x, &mem.p[i], (int)(j - i + 1))) goto oom;
        ph.ncode = (uint32_t)(x->codebuf.n - ph.code_first);
        ph.isagent_only = 1;
        for (size_t k = i; k <= j; k++)
            if (mem.p[k].actor != MP_NONE) ph.isagent_only = 0;
        if (i == j && mem.p[i].split >= 0) {
            /* the name alone, for patterns that skip the agent: "at ^ ^ +" */
            phrase sub = {mem.p[i].split, mem.p[i].last, (uint32_t)x->codebuf.n, 0, 0, -1, -1, 1, 0};
            member alone = mem.p[i];
            alone.nagents = 0;
            if (member_codes(x, &alone, 1)) goto oom;
            sub.ncode = (uint32_t)(x->codebuf.n - sub.code_first);
            ph.split = mem.p[i].split;
            ph.sub = (int)x->ph.n + 1;
            if (VEC_PUSH(x->ph, ph) || VEC_PUSH(x->ph, sub)) goto oom;
        } else if (VEC_PUSH(x->ph, ph)) {
            goto oom;
        }
        i = j + 1;
    }
    for (size_t i = 0; i < x->ph.n; i++) {
        if (x->ph.p[i].hidden) continue;
        x->ph.p[i].aside = is_aside(x, &x->ph.p[i], n);
        for (int p = x->ph.p[i].first; p <= x->ph.p[i].last; p++) x->phr_of.p[p] = (int)i;
        if (!x->ph.p[i].aside) x->phr_at.p[x->ph.p[i].first] = (int)i;
    }
    return 0;
oom:
    return -1;
#undef u
#undef mem
}

/* ---- pattern matching ------------------------------------------------------------------------ */
typedef struct {
    mp_ctx *x;
    int n;                 /* kept tokens in sentence */
    int dir;               /* +1 lower, -1 upper */
    int bind_src, bind_tgt, bind_cmp;
    int lo, hi;            /* extent of matched tokens */
    int depth;
    const mp_pelem *base;  /* the pattern part being matched (for the memo) */
    int nbase;
    uint8_t *failed;       /* failed[k * n + pos]: part from element k fails at pos */
} mstate;

static int match_elems(mstate *m, const mp_pelem *e, int ne, int pos, int first_open, int *end);

/* Match synset s at pos (the first position in match direction); *end gets
 * the position after it. */
static int match_syn(mstate *m, uint32_t s, int pos, int *end) {
    const mp_coder *c = m->x->c;
    if (s >= c->synsets.n || m->depth > 16 || pos < 0 || pos >= m->n) return 0;
    const mp_synset *sy = &c->synsets.p[s];
    /* a member must begin (forward) or end (backward) with this token's word */
    uint64_t can = m->dir > 0 ? sy->head : sy->tail;
    if (can != ~0ull) {
        uint32_t w = m->x->wid.p[pos];
        if (w == MP_NONE || !(can & word_bit(w))) return 0;
    }
    int best = 0, bend = 0;
    m->depth++;
    for (uint32_t i = 0; i < sy->n; i++) {
        const mp_member *mem = &c->members.p[c->syn_members.p[sy->first + i]];
        const mp_pelem *e = &c->elems.p[mem->first];
        int ne = (int)mem->n, e2 = 0;
        int ok;
        if (ne == 1 && e->type == PE_WORD) {  /* most members are one word */
            ok = pos >= 0 && pos < m->n && word_match(m->x, pos, e);
            e2 = pos + m->dir;
        } else if (m->dir > 0 || ne == 1) {
            ok = match_elems(m, e, ne, pos, 0, &e2);
        } else {
            /* reverse the member for backward matching */
            mp_pelem small[16], *tmp = ne <= 16 ? small : malloc((size_t)ne * sizeof *tmp);
            if (!tmp) continue;  /* out of memory: this member cannot be tried */
            for (int j = 0; j < ne; j++) {
                tmp[j] = e[ne - 1 - j];
                tmp[j].open = j ? e[ne - j].open : 0;
            }
            ok = match_elems(m, tmp, ne, pos, 0, &e2);
            if (tmp != small) free(tmp);
        }
        if (ok) {
            int len = (e2 - pos) * m->dir;
            if (!best || len > best) {
                best = len;
                bend = e2;
            }
        }
    }
    m->depth--;
    if (!best) return 0;
    *end = bend;
    return 1;
}

/* Match one element exactly at pos; *end receives the next position.  A
 * phrase element may match in more than one way (alt = 0, 1, 2): the whole
 * phrase; for "agent of Name" phrases, the agent alone (only for ^) or the
 * name alone.  Returns 0 when alternative alt does not exist. */
static int match_one(mstate *m, const mp_pelem *e, int pos, int alt, int *end) {
    mp_ctx *x = m->x;
    if (pos < 0 || pos >= m->n) return 0;
    switch (e->type) {
    case PE_WORD:
        if (alt || !word_match(x, pos, e)) return 0;
        *end = pos + m->dir;
        return 1;
    case PE_SYN:
        return !alt && match_syn(m, e->arg, pos, end);
    default: {
        int ph = x->phr_of.p[pos];
        if (ph < 0) return 0;
        const phrase *p = &x->ph.p[ph];
        if (p->aside) return 0;
        int fwd = m->dir > 0;
        if (alt == 0) {
            if (fwd ? p->first != pos : p->last != pos) return 0;
            *end = fwd ? p->last + 1 : p->first - 1;
        } else if (p->sub < 0) {
            return 0;
        } else if (alt == 1 && fwd && e->type == PE_SKIP && pos == p->first) {
            *end = p->split;  /* the agent only; "of" is skipped by the next element */
            return 1;
        } else if (alt == 2 && (fwd ? pos == p->split : pos == p->last)) {
            ph = p->sub;
            *end = fwd ? p->last + 1 : p->split - 1;
        } else {
            return 0;
        }
        if (e->type == PE_SRC) m->bind_src = ph;
        if (e->type == PE_TGT) m->bind_tgt = ph;
        if (e->type == PE_CMP) m->bind_cmp = ph;
        return 1;
    }
    }
}

/* A finite verb form: past ("said", "gave") or -ED, -S of a verb word. */
static int finite_at(const mp_ctx *x, int p) {
    const tx_token *t = tok_at(x, p);
    if (t->kind != TX_WORD) return 0;
    if (wcls(x, p) & WC_PAST) return 1;
    const char *w = norm_at(x, p);
    size_t l = t->nlen;
    if (l > 3 && !memcmp(w + l - 2, "ED", 2)) return 1;
    return l > 2 && w[l - 1] == 'S' && (x->kflags.p[p] & WF_VERB) && x->phr_of.p[p] < 0;
}

/* Does a new clause begin at the comma at c: ", but ..." or ", and" with a
 * finite verb next, perhaps after its subject ("..., and adds sanctions",
 * "..., and Gondor gave aid"), not a list ("artillery, mortar, and rocket
 * fire")? */
static int clause_joint(const mp_ctx *x, int c, int n) {
    if (tok_at(x, c)->kind != TX_COMMA || c + 2 >= n) return 0;
    int a = c + 1;
    if (!(wcls(x, a) & WC_ANDBUT) || tok_at(x, a)->kind == TX_COMMA) return 0;
    if (!strcmp(norm_at(x, a), "BUT")) return 1;
    int r = a + 1;
    if ((wcls(x, r) & WC_DET) && r + 1 < n && x->phr_of.p[r + 1] >= 0) r++;  /* ", and the government" */
    if (x->phr_of.p[r] >= 0) r = x->ph.p[x->phr_of.p[r]].last + 1;
    return r < n && finite_at(x, r);
}

/* Clause joints at the positions between a and b, excluding a unless a == b. */
static int joints_between(const mp_ctx *x, int a, int b) {
    if (a == b) return x->joints.p[a + 1] - x->joints.p[a];
    int lo = a < b ? a + 1 : b, hi = a < b ? b : a - 1;
    return x->joints.p[hi + 1] - x->joints.p[lo];
}

/* Match elements e[0..ne) starting at pos in direction m->dir.  The first
 * element may be preceded by skipped words if its open flag is set (or
 * first_open).  Backtracks over the positions of open elements. */
static int match_elems(mstate *m, const mp_pelem *e, int ne, int pos, int first_open, int *end) {
    if (ne == 0) {
        *end = pos;
        return 1;
    }
    int open = e[0].open || first_open;
    int saved_src = m->bind_src, saved_tgt = m->bind_tgt, saved_cmp = m->bind_cmp;
    if (e[0].type == PE_WORD) {
        /* a word's first and last places bound the scan */
        const struct wpos *wp = where_is(m->x, e[0].arg);
        if (!wp) return 0;
        int to = pos;
        if (m->dir > 0) {
            if (wp->last < pos) return 0;
            if (open && wp->first > pos) to = wp->first;
        } else {
            if (wp->first > pos) return 0;
            if (open && wp->last < pos) to = wp->last;
        }
        /* the jump may not cross into the next clause either */
        if (to != pos && joints_between(m->x, pos, to)) return 0;
        pos = to;
    }
    for (int p = pos; p >= 0 && p < m->n; p += m->dir) {
        int nx;
        /* an open gap does not cross into the next clause: ", and" / ", but"
         * ("lifts restrictions on Ukraine ..., and adds sanctions on Russia") */
        if (open && p != pos && joints_between(m->x, p, p)) break;
        /* a skip takes the smallest piece first: "at ^ ^ +" over "X with the
         * parliament of Gondor" skips X and "parliament" */
        static const int order[3] = {1, 0, 2};
        int nalt = e[0].type == PE_WORD || e[0].type == PE_SYN ? 1 : 3;
        for (int ai = 0; ai < nalt; ai++) {
        int alt = nalt == 1 ? 0 : order[ai];
        if (match_one(m, &e[0], p, alt, &nx)) {
            int fin;
            /* the rest of the part, once failed from a position, fails again */
            long k = e + 1 - m->base;
            int memo = m->failed && k > 0 && k < m->nbase && nx >= 0 && nx < m->n;
            if (memo && m->failed[k * m->n + nx]) {
                m->bind_src = saved_src, m->bind_tgt = saved_tgt, m->bind_cmp = saved_cmp;
                if (!open) break;
                continue;
            }
            if (match_elems(m, e + 1, ne - 1, nx, 0, &fin)) {
                int a = p, b = nx - m->dir;
                if (a > b) {
                    int t = a;
                    a = b;
                    b = t;
                }
                if (a < m->lo) m->lo = a;
                if (b > m->hi) m->hi = b;
                *end = fin;
                return 1;
            }
            if (memo) m->failed[k * m->n + nx] = 1;
            m->bind_src = saved_src, m->bind_tgt = saved_tgt, m->bind_cmp = saved_cmp;
        }
        }
        if (!open) break;
    }
    return 0;
}

/* Cheap pre-test: every top-level WORD element of a pattern part must occur
 * on its side of the verb (a stem: begin such a token). */
static int words_present(const mp_ctx *x, const mp_pelem *e, uint32_t n, int before, int after) {
    for (uint32_t i = 0; i < n; i++) {
        if (e[i].type != PE_WORD) continue;
        const struct wpos *wp = where_is(x, e[i].arg);
        if (!wp || (before >= 0 && wp->first >= before) || (after >= 0 && wp->last <= after))
            return 0;
    }
    return 1;
}

/* Try a pattern for the verb spanning [vb, ve]. */
static int try_pattern(mp_ctx *x, int n, const mp_pattern *p, int vb, int ve, vmatch *out) {
    const mp_coder *c = x->c;
    const mp_pelem *up = &c->elems.p[p->up], *lo = &c->elems.p[p->lo];
    if (p->sig & ~x->sentsig) return 0;
    if (!words_present(x, up, p->nup, vb, -1) || !words_present(x, lo, p->nlo, -1, ve)) return 0;
    mstate m = {x, n, -1, -1, -1, -1, vb, ve, 0, up, (int)p->nup, NULL};
    int end;
    size_t need = (size_t)(p->nup > p->nlo ? p->nup : p->nlo) * (size_t)n;
    if (need > 2 * (size_t)n) {  /* memo only where backtracking can repeat work */
        if (VEC_RESERVE(x->memo, need)) return 0;
        memset(x->memo.p, 0, need);
        m.failed = x->memo.p;
    }
    if (p->nup && !match_elems(&m, up, (int)p->nup, vb - 1, 0, &end)) return 0;
    m.dir = 1;
    m.base = lo;
    m.nbase = (int)p->nlo;
    if (m.failed) memset(m.failed, 0, need);
    if (p->nlo && !match_elems(&m, lo, (int)p->nlo, ve + 1, 0, &end)) return 0;
    out->src = m.bind_src;
    out->tgt = m.bind_tgt;
    out->cmp = m.bind_cmp;
    out->lo = m.lo;
    out->hi = m.hi;
    return 1;
}

/* Verb forms at position i: checks the words before/after the head. */
static int form_fits(const mp_ctx *x, int n, const mp_vform *f, int i, int *vb, int *ve) {
    const uint32_t *wp = x->c->wordpool.p;
    if ((int)f->npre > i || i + (int)f->npost >= n) return 0;
    for (uint32_t k = 0; k < f->npre; k++)
        if (x->wid.p[i - (int)f->npre + (int)k] != wp[f->pre + k]) return 0;
    for (uint32_t k = 0; k < f->npost; k++)
        if (x->wid.p[i + 1 + (int)k] != wp[f->post + k]) return 0;
    *vb = i - (int)f->npre;
    *ve = i + (int)f->npost;
    return 1;
}

static const char *const DEGREE[] = {"VERY", "TOO", "SO", "QUITE", "RATHER", "MORE", "MOST",
                                     "LESS", "LEAST", "AS", NULL};

/* Is the verb form at vb used as a noun or adjective?  Walking back over
 * up to four adjective-like words or actor names, a determiner or a
 * preposition says noun ("an anti- Gondor parade", "a brief private visit",
 * "of support"); a degree adverb says adjective ("very close"). */
static const char *const PAST_IRREG[] = {"SAID", "MET", "LEFT", "TOLD", "HELD", "WENT", "CAME",
                                         "GAVE", "TOOK", "SENT", "SPOKE", "MADE", "KEPT", "FOUGHT",
                                         "STRUCK", "SOUGHT", "BROUGHT", "THREW", "WON", "LOST",
                                         "FLED", "LED", "BEGAN", "DREW", "CAUGHT", "SOLD", "PAID",
                                         "BUILT", "FELL", "ROSE", "WROTE", "STOOD", "SAW", "KNEW",
                                         "SHOT", "BROKE", "CHOSE", "FORGAVE", "FROZE", "STOLE",
                                         "SWORE", "TORE", "WORE", "WOKE", "HUNG", "SANK", "SPOKE",
                                         NULL};

/* Is the verb form spanning [vb, ve] used as a noun or adjective here?  A
 * finite form (past, third person) is a noun only right after a determiner
 * ("their demands").  A base or -ing form is one when, walking back over up
 * to four adjective-like words or actor names, a determiner or a preceding
 * preposition comes first ("an anti- Gondor parade", "a brief private
 * visit", "of support", "their meeting"); after a degree adverb it is an
 * adjective ("very close"). */
static int codes_event(const mp_ctx *x, uint32_t code);

static int is_nounpos(const mp_ctx *x, int vb, int ve, const mp_vform *f) {
    const tx_token *vt = tok_at(x, ve);
    const char *vw = norm_at(x, ve);
    int finite = f->shape == VF_FINITE || (wcls(x, ve) & WC_PAST) ||
                 (vt->nlen > 2 && !memcmp(vw + vt->nlen - 2, "ED", 2));
    if (vb == 0) return 0;
    uint32_t prev = wcls(x, vb - 1);
    /* "their demands"; "BP 's proposed share issue" */
    if (finite) return (prev & WC_DET) != 0;
    /* "a declaration demanding that ...": an -ing form after a noun, with a
     * that-clause after it, is a participle (an object after it is not
     * enough: "a business meeting the Soviet Union ...") */
    int ing = vt->nlen > 3 && !memcmp(vw + vt->nlen - 3, "ING", 3);
    if (ing && !(prev & (WC_DET | WC_PREP | WC_DEGREE)) && ve + 1 < (int)x->keep.n &&
        !strcmp(norm_at(x, ve + 1), "THAT") && !in_list(vw, ING_NOUNS))
        return 0;
    if (ing && in_list(norm_at(x, vb - 1), TEXT_NOUNS)) return 0;
    int after_name = 0;
    for (int p = vb - 1, steps = 0; p >= 0 && steps < 4; p--, steps++) {
        const char *w = norm_at(x, p);
        const tx_token *t = tok_at(x, p);
        uint32_t k = wcls(x, p);
        /* "the Philippines and France agree": a definite article before a
         * name belongs to the name; "an anti- Gondor parade" is a noun */
        if ((k & WC_DET) && !(after_name && (k & WC_DEFDET))) return 1;
        if (p == vb - 1 && (k & WC_PREP) && !(k & WC_TO)) return 1;
        if (p == vb - 1 && (k & WC_DEGREE)) return 1;
        if (t->nlen > 1 && w[t->nlen - 1] == '-') return 1;  /* "anti-", "pro-" */
        if (x->phr_of.p[p] >= 0) {
            p = x->ph.p[x->phr_of.p[p]].first;
            after_name = 1;
            continue;
        }
        /* "on domestic demand": a preposition before adjectives */
        if ((k & WC_PREP) && !(k & (WC_TO | WC_SUBORD)) && p < vb - 1) return 1;
        if (t->kind != TX_WORD || (k & (WC_STOP | WC_SUBORD | WC_PREP))) return 0;
        /* an adverb in -LY, or a past form, before a verb: "recently allowed";
         * a compound in -ED is an adjective ("an open-ended strike") */
        if (t->nlen > 2 && (!memcmp(w + t->nlen - 2, "LY", 2) || !memcmp(w + t->nlen - 2, "ED", 2)) &&
            !memchr(w, '-', t->nlen))
            return 0;
    }
    return 0;
}

/* Code the verb at position i (head word); appends to x->vm. */
static int code_verb_at(mp_ctx *x, int n, int i, uint32_t first) {
    const mp_coder *c = x->c;
    vmatch best = {0};
    int have = 0, best_w = -1;
    for (uint32_t fi = first; fi != MP_NONE; fi = c->vforms.p[fi].next) {
        const mp_vform *f = &c->vforms.p[fi];
        int vb, ve;
        if (!form_fits(x, n, f, i, &vb, &ve)) continue;
        if (f->stem) {
            const char *stem = mp__word_str(c, f->head);
            size_t sl = c->words.keys[f->head].len;
            const tx_token *t = tok_at(x, i);
            if (t->nlen < sl || memcmp(x->td.normbuf + t->norm, stem, sl)) continue;
        }
        const mp_vblock *bl = &c->blocks.p[f->block];
        /* which patterns to try: all of a short list, else the indexed ones */
        const uint32_t *ranks = NULL;
        size_t nranks = bl->npat;
        if (bl->npat > 24) {
            /* mark candidate ranks in a bitmap, then read them in order */
            size_t nw = (bl->npat + 63) / 64;
            if (VEC_RESERVE(x->candbits, nw)) return -1;
            uint64_t *bits = x->candbits.p;
            memset(bits, 0, nw * sizeof *bits);
            for (uint32_t k = 0; k < bl->nfree; k++) {
                uint32_t r = c->free_ranks.p[bl->free_first + k];
                bits[r / 64] |= 1ull << (r % 64);
            }
            uint64_t bbit = 1ull << (f->block & 63);
            for (size_t k = 0; k < x->awords.n; k++) {
                if (!(x->amasks.p[k] & bbit)) continue;  /* no pattern of this block */
                uint64_t key = ((uint64_t)f->block + 1) << 32 | x->awords.p[k];
                for (uint32_t e = mp__u64map_get(&c->anchor_head, key); e != MP_NONE;
                     e = c->anchor_next.p[e]) {
                    uint32_t r = c->anchor_rank.p[e];
                    bits[r / 64] |= 1ull << (r % 64);
                }
            }
            x->cand.n = 0;
            for (size_t wi = 0; wi < nw; wi++)
                for (uint64_t b = bits[wi]; b; b &= b - 1)
                    if (VEC_PUSH(x->cand, (uint32_t)(wi * 64 + (size_t)__builtin_ctzll(b)))) return -1;
            ranks = x->cand.p;
            nranks = x->cand.n;
        }
        const uint64_t *sigs = c->rank_sig + bl->pat_first;
        const uint16_t *weights = c->rank_weight + bl->pat_first;
        for (size_t kk = 0; kk < nranks; kk++) {
            uint32_t k = ranks ? ranks[kk] : (uint32_t)kk;
            if ((int)weights[k] <= best_w) break;
            if (sigs[k] & ~x->sentsig) continue;  /* a word it needs is missing */
            const mp_pattern *p = &c->patterns.p[c->block_pats.p[bl->pat_first + k]];
            vmatch vm = {vb, ve, vb, ve, p->code, p->code2, -1, -1, -1, p, f, 0};
            if (try_pattern(x, n, p, vb, ve, &vm)) {
                best = vm;
                best_w = p->weight;
                have = 1;
                break;
            }
        }
        if (!have || best_w < 0) {
            /* default code of the form or block (only if no pattern matched) */
            if (best_w < 0 && (!have || (ve - vb) > (best.vend - best.vpos))) {
                uint32_t code = f->code != MP_NONE ? f->code : bl->code;
                uint32_t code2 = f->code != MP_NONE ? f->code2 : bl->code2;
                vmatch vm = {vb, ve, vb, ve, code, code2, -1, -1, -1, NULL, f, 0};
                best = vm;
                have = 1;
            }
        }
    }
    if (!have || (!best.pat && !codes_event(x, best.code) && !codes_event(x, best.code2))) return 0;
    if (is_nounpos(x, best.vpos, best.vend, best.form)) {
        trace(x, " verb '%s' taken as a noun here\n", norm_at(x, best.vpos));
        return 0;
    }
    return VEC_PUSH(x->vm, best);
}

/* ---- events ------------------------------------------------------------------------------------ */
static const char *const ADVSUB[] = {"AFTER", "BEFORE", "WHEN", "WHILE", "SINCE", "UNTIL",
                                     "BECAUSE", "ALTHOUGH", "THOUGH", "IF", "WHERE", NULL};

/* Weapon and attack nouns: a subject made of one names no attacker (weapon_subject). */
static const char *const WEAPON_NOUNS[] = {
    "AIRSTRIKE", "AIRSTRIKES", "AMBUSH", "ATTACK", "ATTACKS", "BLAST", "BLASTS", "BOMB",
    "BOMBS", "BOMBING", "BOMBINGS", "DRONE", "DRONES", "EXPLOSION", "EXPLOSIONS", "GRENADE",
    "GRENADES", "GUNFIRE", "IED", "IEDS", "MINE", "MINES", "MINEFIELD", "MISSILE", "MISSILES",
    "MORTAR", "MORTARS", "ROCKET", "ROCKETS", "SHELLING", "SHOOTING", "ATTEMPT", "ATTEMPTS",
    "PLOT", NULL};

static const struct {
    const char *const *words;
    uint32_t bit;
} CLASSES[] = {
    {DETS, WC_DET}, {PREPS, WC_PREP}, {SUBORD, WC_SUBORD}, {CONJ, WC_CONJ},
    {FILLER_STOP, WC_STOP}, {DEGREE, WC_DEGREE}, {PAST_IRREG, WC_PAST}, {ADVSUB, WC_ADVSUB},
    {ANDBUT, WC_ANDBUT}, {OFIN, WC_OFIN}, {THE, WC_THE}, {TO, WC_TO}, {POSS, WC_POSS},
    {SEMI, WC_SEMI}, {DEFDET, WC_DEFDET}, {BEFORMS, WC_BE}, {NEGS, WC_NEG}, {BY, WC_BY}, {TIMEWORDS, WC_TIME}, {PRONOUNS, WC_PRON},
    {WEAPON_NOUNS, WC_WEAPON}, {FUTURE, WC_FUTURE}, {INTEND, WC_INTEND}, {CONDITIONS, WC_COND},
};

/* Intern the class words (before word_flags is sized) and set their bits. */
static int intern_classes(mp_coder *c) {
    for (size_t i = 0; i < sizeof CLASSES / sizeof CLASSES[0]; i++)
        for (const char *const *w = CLASSES[i].words; *w; w++)
            if (mp__strmap_put(&c->words, *w, strlen(*w), (uint32_t)c->words.n) == MP_NONE) return -1;
    c->word_class = calloc(c->words.n + 1, sizeof *c->word_class);
    if (!c->word_class) return -1;
    for (size_t i = 0; i < sizeof CLASSES / sizeof CLASSES[0]; i++)
        for (const char *const *w = CLASSES[i].words; *w; w++)
            c->word_class[mp__strmap_get(&c->words, *w, strlen(*w))] |= CLASSES[i].bit;
    return 0;
}

static uint32_t wcls(const mp_ctx *x, int pos) { return x->kcls.p[pos]; }

/* Is the token at pos an adverb in -LY ("recently", "heavily")? */
static int ly_word(const mp_ctx *x, int pos) {
    const tx_token *t = tok_at(x, pos);
    return t->nlen > 2 && !memcmp(norm_at(x, pos) + t->nlen - 2, "LY", 2);
}

/* Verbs of saying whose clause may follow with no "that": "an official said
 * Iran attacked Iraq". */
static const char *const REPORT_VERBS[] = {"SAID", "SAYS", "SAY", "SAYING", "ADDED", "STATED",
                                           "CLAIMED", "CLAIMS", "ASSERTED", "INSISTED",
                                           "BELIEVES", "BELIEVED", "THINKS", "FEARED", "FEARS",
                                           NULL};

/* Start of the clause holding position pos: after the nearest subordinating
 * word, semicolon, verb of saying with a name after it, or conjunction that
 * opens a clause, before it. */
static int clause_start(const mp_ctx *x, int pos) {
    for (int p = pos - 1; p >= 0; p--) {
        uint32_t k = wcls(x, p);
        if (k & (WC_SUBORD | WC_SEMI)) return p + 1;
        /* "said Iran attacked": a name right after a verb of saying opens
         * the clause it reports */
        if (p + 1 < pos && x->phr_at.p[p + 1] >= 0 && in_list(norm_at(x, p), REPORT_VERBS) &&
            x->ph.p[x->phr_at.p[p + 1]].last < pos)
            return p + 1;
        /* "... but Dagolath promised aid", "..., and Rohan sent troops": a
         * conjunction followed by a name that is not part of a compound
         * opens a new clause */
        if ((k & WC_ANDBUT) && x->phr_of.p[p] < 0 && p + 1 < pos && x->phr_at.p[p + 1] >= 0 &&
            (!strcmp(norm_at(x, p), "BUT") || (p > 0 && tok_at(x, p - 1)->kind == TX_COMMA)))
            return p + 1;
    }
    return 0;
}

/* Default source of a verb whose matched words begin at lo: the first phrase
 * of the comma segment before the verb within its clause, else of the
 * nearest earlier segment that has one. */
static int default_source(const mp_ctx *x, int lo) {
    int cs = clause_start(x, lo);
    int seg_end = lo;
    /* "Gbagbo announced that he will extend the curfew": a pronoun subject
     * stands for the subject of the clause it depends on */
    if (cs > 0)
        for (int p = cs; p < lo; p++) {
            if (x->phr_at.p[p] >= 0) break;
            if (wcls(x, p) & WC_PRON) return default_source(x, cs - 1);
        }
    for (int p = lo - 1; p >= cs - 1; p--) {
        if (p == cs - 1 || tok_at(x, p)->kind == TX_COMMA) {
            /* an earlier segment that opens with a preposition is an
             * adverbial ("On improvement of ... Gondor's health centres,"),
             * not a subject */
            int adverbial = seg_end < lo && (wcls(x, p + 1) & WC_PREP);
            for (int q = p + 1; q < seg_end && !adverbial; q++)
                if (x->phr_at.p[q] >= 0) return x->phr_at.p[q];
            seg_end = p;
        }
    }
    return -1;
}

/* A passive verb ("was attacked", "have been detained") followed by "by" and
 * a phrase: the index of that phrase, else -1. */
static int passive_by(const mp_ctx *x, const vmatch *v, int n) {
    int p = v->vpos - 1;
    if (p >= 0 && ly_word(x, p)) p--;  /* "was heavily criticized" */
    if (p < 0 || !(wcls(x, p) & WC_BE)) return -1;
    int q = v->vend + 1;
    if (q + 1 < n && (wcls(x, q) & WC_BY) && x->phr_at.p[q + 1] >= 0) return x->phr_at.p[q + 1];
    return -1;
}

/* Participles that name a state of the subject, which acts: "were engaged
 * in", "is opposed to", "is committed to". */
static const char *const STATIVE[] = {"ENGAGED", "OPPOSED", "COMMITTED", "PREPARED", "INVOLVED",
                                      "DETERMINED", "INTERESTED", "CONCERNED", "WORRIED",
                                      "PLEASED", "DISAPPOINTED", "SATISFIED", "DEDICATED",
                                      "RESOLVED", "SCHEDULED", "EXPECTED", "SUPPOSED", "READY",
                                      "UNITED", "DIVIDED", "AGREED", "OBLIGED", "BOUND", "ENTITLED",
                                      "WILLING", "EAGER", "KEEN", "ALARMED", "ANGERED", "OUTRAGED",
                                      "DISMAYED", "ENCOURAGED", "RELIEVED", "CONVINCED", NULL};

/* Is the verb passive: a form of "be" ("were", "has been"), perhaps an
 * adverb in -LY, then a past participle ("were arrested", "was taken",
 * "were shot")?  "is attacking" is not, nor a STATIVE participle. */
static int passive_form(const mp_ctx *x, const vmatch *v) {
    int p = v->vpos - 1;
    if (p >= 0 && ly_word(x, p)) p--;
    if (p < 0 || !(wcls(x, p) & WC_BE)) return 0;
    const char *w = norm_at(x, v->vpos);
    if (in_list(w, STATIVE)) return 0;
    size_t l = strlen(w);
    return (wcls(x, v->vpos) & WC_PAST) || (l > 3 && !strcmp(w + l - 2, "ED")) ||
           (l > 4 && !strcmp(w + l - 2, "EN"));
}

/* Is the pattern a bare "* +" (the verb and its object, nothing else)?  In
 * the passive its "+" is no object: "twenty civilians are killed in
 * Ethiopia" names where, not whom. */
static int bare_object(const mp_ctx *x, const mp_pattern *pt) {
    if (!pt || pt->nup || pt->nlo != 1) return 0;
    return x->c->elems.p[pt->lo].type == PE_TGT;
}

/* Is the verb at pos denied: "not", "n't" or "never" just before it, or
 * before the auxiliary before it ("did not attack", "has never attacked")? */
static int negated(const mp_ctx *x, int pos) {
    for (int p = pos - 1; p >= 0 && p >= pos - 3; p--) {
        uint32_t k = wcls(x, p);
        if (k & WC_NEG) return 1;
        if (!(k & (WC_STOP | WC_BE)) && !ly_word(x, p)) return 0;
    }
    return 0;
}

/* The mood of a verb: its announced code when a future or intent word
 * comes before it ("will visit" 036, "plans to send aid" 033, "is prepared
 * to lift the ban" 0351, "offered to hand over" 0313) and, with a condition
 * after it in the sentence, its threat code ("will withdraw its troops
 * unless" 136).  Adverbs may stand between ("will soon visit").  A denied
 * verb ("will not visit") and a pattern that matched the mood word itself
 * keep their code; so does a code with no announced form (mood.c).
 * Returns the code to use. */
static uint32_t mood_code(const mp_ctx *x, const vmatch *v, int n) {
    const mp_coder *c = x->c;
    int on = x->opts.announced >= 0 ? x->opts.announced : c->builtin_verbs;
    if (!on || v->code == MP_NONE || !codes_event(x, v->code)) return v->code;
    int p = v->vpos - 1, future = 0;
    for (int k = 0; k < 2 && p >= 0 && (ly_word(x, p) || in_list(norm_at(x, p), ADVERBS)); k++)
        p--;  /* "will jointly", "will soon" */
    if (p < 0) return v->code;
    uint32_t k = wcls(x, p);
    if (k & WC_FUTURE) {
        future = 1;
    } else if ((k & WC_TO) && p > 0 && (wcls(x, p - 1) & WC_INTEND)) {
        p--;
    } else {
        return v->code;
    }
    if (v->pat && v->lo <= p) return v->code;  /* the pattern read the mood word */
    const mp_code_info *ci = &c->code_info[v->code];
    if (future)
        for (int q = v->vend + 1; q < n && !(wcls(x, q) & WC_SEMI); q++)
            if (wcls(x, q) & WC_COND) return ci->threat != MP_NONE ? ci->threat : v->code;
    return ci->intent != MP_NONE ? ci->intent : v->code;
}

/* Is there a noun phrase from pos to the end of the clause: a determiner
 * followed by a word, or a capitalised word? */
static int has_object(const mp_ctx *x, int pos, int n) {
    for (int p = pos; p < n; p++) {
        const tx_token *t = tok_at(x, p);
        uint32_t k = wcls(x, p);
        if (t->kind == TX_COMMA || (k & (WC_SUBORD | WC_SEMI))) return 0;
        if ((k & WC_DET) && !(k & WC_POSS) && p + 1 < n && tok_at(x, p + 1)->kind == TX_WORD) return 1;
        if (t->kind == TX_WORD && (t->flags & TX_CAP) && !(k & (WC_STOP | WC_PREP))) return 1;
    }
    return 0;
}

/* new_actor_length: with no known actor before a verb, the words of the
 * noun phrase before it (articles and 's left out) become an actor whose
 * code is those words in quotes, if there are at most new_actor_length of
 * them.  Returns the new phrase's index, -1 if none, -2 on OOM. */
static int new_actor(mp_ctx *x, int lo) {
    int start = clause_start(x, lo);
    for (int p = lo - 1; p >= start; p--)
        if (tok_at(x, p)->kind == TX_COMMA) {
            start = p + 1;
            break;
        }
    char buf[512];
    size_t bl = 0;
    int words = 0, first = -1, last = -1;
    for (int p = start; p < lo; p++) {
        const tx_token *t = tok_at(x, p);
        uint32_t k = wcls(x, p);
        if (k & (WC_DET | WC_POSS)) continue;
        if (t->kind != TX_WORD || (k & (WC_STOP | WC_PREP | WC_SUBORD)) || (x->kflags.p[p] & WF_VERB))
            return -1;
        if (bl + t->nlen + 3 >= sizeof buf) return -1;
        buf[bl] = bl ? ' ' : '"';
        bl++;
        memcpy(buf + bl, norm_at(x, p), t->nlen);
        bl += t->nlen;
        words++;
        if (first < 0) first = p;
        last = p;
    }
    if (!words || words > x->opts.new_actor_length) return -1;
    buf[bl++] = '"';
    uint32_t code = dyn_code(x, buf, bl);
    if (code == MP_NONE) return -2;
    phrase ph = {first, last, (uint32_t)x->codebuf.n, 1, 0, -1, -1, 1, 0};
    if (VEC_PUSH(x->codebuf, code) || VEC_PUSH(x->ph, ph)) return -2;
    return (int)x->ph.n - 1;
}

static char *span_text(mp_ctx *x, int a, int b) {
    if (a < 0 || b < a) return NULL;
    uint32_t s = tok_at(x, a)->start, e = tok_at(x, b)->end;
    return mp__arena_strndup(&x->arena, x->text + s, e - s);
}

/* ---- when, where, how many ------------------------------------------------------------- */
/* The date the sentence gives for the event of the verb at token vtok,
 * resolved against the story date (when.c); 0 if it gives none.  Asked once
 * per verb. */
static int event_date(mp_ctx *x, int sent, uint32_t vtok, when_date *w) {
    if (x->when_sent != sent || x->when_tok != vtok) {
        x->when_sent = sent;
        x->when_tok = vtok;
        x->when_found = when_find(&x->td, (size_t)sent, x->date, vtok, &x->when_last);
    }
    *w = x->when_last;
    return x->when_found == 1;
}

static const char *arena_str(mp_ctx *x, const char *s, size_t n) {
    return mp__arena_strndup(&x->arena, s ? s : "", s ? n : 0);
}

/* A gazetteer place as an mp_place (strings borrowed from the gazetteer or
 * copied into the context's arena). */
static int set_place(mp_ctx *x, const geo_place *g, mp_place *p) {
    memset(p, 0, sizeof *p);
    p->precision = g->precision == GEO_COUNTRY  ? MP_PLACE_COUNTRY
                   : g->precision == GEO_ADMIN1 ? MP_PLACE_ADMIN1
                                                : MP_PLACE_CITY;
    p->name = g->name;
    memcpy(p->country, g->country, sizeof p->country);
    p->admin1 = g->admin1 ? g->admin1 : "";
    p->lat = g->lat;
    p->lon = g->lon;
    p->geonameid = g->geonameid;
    p->from_dateline = (g->flags & GEO_DATELINE) != 0;
    p->span = g->span;
    p->gdelt_type = geo_gdelt_type(g);
    memcpy(p->fips, g->fips, sizeof p->fips);
    p->adm1_gdelt = g->adm1_gdelt ? g->adm1_gdelt : "";
    char buf[512];
    size_t n = geo_full_name(x->c->gaz, g, buf, sizeof buf);
    p->full_name = arena_str(x, buf, n < sizeof buf ? n : sizeof buf - 1);
    return p->full_name ? 0 : -1;
}

/* The country of an actor code, as a place. */
static int actor_place(mp_ctx *x, const char *code, mp_place *p) {
    char iso3[4];
    geo_place g;
    if (!geo_cameo_country(x->c->gaz, code, iso3) || !geo_country(x->c->gaz, iso3, &g)) return 0;
    if (set_place(x, &g, p)) return -1;
    p->span.start = p->span.end = 0;
    return 0;
}

/* Place, counts and the PLOVER view of an event about to be kept. */
static int enrich(mp_ctx *x, int sent, uint32_t vtok, mp_event *e) {
    /* counts: once per verb */
    if (x->cnt_sent != sent || x->cnt_tok != vtok) {
        const cnt_count *cs;
        size_t nc = cnt_find(x->cx, x->text, &x->td, (size_t)sent, vtok, &cs);
        x->cnt_sent = sent;
        x->cnt_tok = vtok;
        x->cnt_q = NULL;
        x->cnt_n = 0;
        x->cnt_dead = -1;
        if (nc) {
            mp_quantity *q = mp__arena_alloc(&x->arena, nc * sizeof *q);
            if (!q) return -1;
            for (size_t i = 0; i < nc; i++) {
                q[i].kind = cnt_kind_name(cs[i].kind);
                q[i].value = cs[i].value;
                q[i].flags = cs[i].flags;  /* CNT_ flags are the MP_Q_ bits */
                q[i].span = cs[i].span;
                if (cs[i].kind == CNT_KILLED && x->cnt_dead < 0) x->cnt_dead = cs[i].value;
            }
            x->cnt_q = q;
            x->cnt_n = nc;
        }
    }
    e->quantities = x->cnt_q;
    e->nquantities = x->cnt_n;
    e->fatalities = x->cnt_dead;
    /* the PLOVER view */
    const char *t, *m;
    size_t tl, ml;
    if (mp_plover_lookup(e->code, &t, &tl, &m, &ml)) {
        e->plover_type = arena_str(x, t, tl);
        e->plover_mode = ml ? arena_str(x, m, ml) : NULL;
        if (!e->plover_type || (ml && !e->plover_mode)) return -1;
    }
    /* the ACLED view, where CAMEO and the sentence support one */
    const char *at, *as;
    if (x->c->acled && acled_classify(x->c->acled, e->code, &x->td, (size_t)sent, e->source,
                                      e->target, &at, &as) > 0) {
        e->acled_type = at;
        e->acled_sub_type = as;
    }
    if (!x->gx) return 0;
    /* the place, chosen with the actors' countries as hints */
    const char *actors[2] = {e->source, e->target};
    geo_hints h = {actors, 2, vtok};
    geo_place g;
    int r = geo_locate(x->gx, (size_t)sent, &h, &g);
    if (r < 0) return -1;
    if (r > 0 && set_place(x, &g, &e->location)) return -1;
    if (actor_place(x, e->source, &e->source_place) || actor_place(x, e->target, &e->target_place))
        return -1;
    return 0;
}

/* A side that is business and nothing else: "---BUS" or a country's "USABUS". */
static int business_side(const char *code) {
    return strlen(code) == 6 && !strcmp(code + 3, "BUS");
}

/* Market talk: business on one side and, on the other, business, an agent
 * with no country ("the government", "banks") or the business's own country
 * ("the ministry urged the merger of the two firms", "Chrysler agreed to buy
 * American Motors", "Japanese bank dealers warned ... Japan"), no political
 * event.  Protests, strikes, coercion and violence (roots 14 to 20) are
 * events whoever takes part. */
static int market_talk(const char *ss, const char *ts, int root) {
    if (root >= 14) return 0;
    int sb = business_side(ss), tb = business_side(ts);
    if (sb && tb) return 1;
    return (sb && (!strncmp(ts, "---", 3) || !strncmp(ts, ss, 3))) ||
           (tb && (!strncmp(ss, "---", 3) || !strncmp(ss, ts, 3)));
}

/* One event, unless require_dyad wants an actor that is missing (anon_src:
 * a missing source is an unnamed attacker and may stay, see weapon_subject)
 * or finds market talk (above), source and target are the same, or the
 * story already has it. */
static int emit(mp_ctx *x, int sent, const vmatch *v, uint32_t src, uint32_t tgt, uint32_t code,
                const phrase *sp, const phrase *tp, int anon_src) {
    const mp_coder *c = x->c;
    const char *cs = mp__code_str(c, code);
    const char *ss = src == MP_NONE ? "---" : code_text(x, src);
    const char *ts = tgt == MP_NONE ? "---" : code_text(x, tgt);
    if (x->opts.require_dyad && (src == MP_NONE || tgt == MP_NONE) &&
        !(anon_src && src == MP_NONE && tgt != MP_NONE))
        return 0;
    if (x->opts.require_dyad && market_talk(ss, ts, c->code_info[code].valid ? c->code_info[code].root : 0))
        return 0;
    if (src != MP_NONE && tgt != MP_NONE && !strcmp(ss, ts)) return 0;
    uint32_t vtok = (uint32_t)x->keep.p[v->vpos];
    when_date w = {0, 0, {0, 0}, 0, 0};
    int said = x->opts.enrich && x->date && event_date(x, sent, vtok, &w);
    int date = said ? w.date : x->date;
    /* one event per (date, source, target, code) per story */
    for (size_t i = 0; i < x->ev.n; i++) {
        mp_event *e = &x->ev.p[i];
        if (e->date == date && !strcmp(e->code, cs) && !strcmp(e->source, ss) &&
            !strcmp(e->target, ts))
            return 0;
    }
    mp_event ev;
    memset(&ev, 0, sizeof ev);
    ev.doc_id = x->doc_id;
    ev.sent = sent;
    ev.date = date;
    ev.fatalities = -1;
    if (said) {
        ev.date_precision = w.precision == WHEN_DAY     ? MP_DATE_DAY
                            : w.precision == WHEN_WEEK  ? MP_DATE_WEEK
                            : w.precision == WHEN_MONTH ? MP_DATE_MONTH
                                                        : MP_DATE_YEAR;
        ev.date_span = w.span;
    }
    ev.source = ss;
    ev.target = ts;
    ev.code = cs;
    const mp_code_info *ci = &c->code_info[code];
    ev.root = ci->valid ? ci->root : 0;
    ev.quad_class = quad_of_root(ev.root);
    ev.goldstein = ci->gold;
    ev.cameo_name = ci->name;
    const tx_sent *ts_ = &x->td.sent[sent];
    ev.sentence.start = ts_->start;
    ev.sentence.end = ts_->end;
    if (sp) {
        ev.source_span.start = tok_at(x, sp->first)->start;
        ev.source_span.end = tok_at(x, sp->last)->end;
        ev.source_text = span_text(x, sp->first, sp->last);
    }
    if (tp) {
        ev.target_span.start = tok_at(x, tp->first)->start;
        ev.target_span.end = tok_at(x, tp->last)->end;
        ev.target_text = span_text(x, tp->first, tp->last);
    }
    ev.verb_span.start = tok_at(x, v->vpos)->start;
    ev.verb_span.end = tok_at(x, v->vend)->end;
    ev.verb_text = span_text(x, v->vpos, v->vend);
    char rule[300];
    uint16_t file = v->pat ? v->pat->file : v->form->file;
    uint32_t line = v->pat ? v->pat->line : v->form->line;
    snprintf(rule, sizeof rule, "%s:%u", mp__file_str(c, file), line);
    ev.rule = mp__arena_strndup(&x->arena, rule, strlen(rule));
    if (!ev.rule) return -1;
    trace(x, "  event: %s %s %s  (%s)\n", ss, ts, cs, ev.rule);
    if (x->opts.enrich && enrich(x, sent, vtok, &ev)) return -1;
    return VEC_PUSH(x->ev, ev);
}

/* Is this code one that makes an event?  Not "---" (none), not "###" (a
 * TABARI discard), not a string that is no CAMEO code ("+++", "xxy"). */
static int codes_event(const mp_ctx *x, uint32_t code) {
    if (code == MP_NONE) return 0;
    const char *s = mp__code_str(x->c, code);
    return isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]);
}

static int emit_pairs(mp_ctx *x, int sent, const vmatch *v, const phrase *sp, const phrase *tp,
                      int anon_src) {
    uint32_t none = MP_NONE;
    const uint32_t *sc = sp ? &x->codebuf.p[sp->code_first] : &none;
    const uint32_t *tc = tp ? &x->codebuf.p[tp->code_first] : &none;
    uint32_t ns = sp ? sp->ncode : 1, nt = tp ? tp->ncode : 1;
    int ok1 = codes_event(x, v->code), ok2 = codes_event(x, v->code2);
    for (uint32_t a = 0; a < ns; a++)
        for (uint32_t b = 0; b < nt; b++) {
            if (ok1 && emit(x, sent, v, sc[a], tc[b], v->code, sp, tp, anon_src)) return -1;
            if (ok2 && emit(x, sent, v, tc[b], sc[a], v->code2, tp, sp, anon_src)) return -1;
        }
    return 0;
}

/* Is the code an assault, a fight or mass violence (roots 18-20)? */
static int violent_code(const mp_ctx *x, uint32_t code) {
    const char *cs = mp__code_str(x->c, code);
    return cs && ((cs[0] == '1' && (cs[1] == '8' || cs[1] == '9')) || (cs[0] == '2' && cs[1] == '0'));
}

/* Violence by an unnamed hand.  "A roadside bombing near Samarra killed one
 * U.S. soldier", "a mine explosion wounded five Iraqi youths": the subject
 * is the weapon, not an actor, and the attacker is unknown.  Such an
 * assault (roots 18-20) is kept with the source "---" even under
 * require_dyad, when the words before the verb in its clause name no actor
 * and hold one of the weapon or attack nouns (WEAPON_NOUNS, WC_WEAPON). */
static int weapon_subject(const mp_ctx *x, const vmatch *v) {
    if (!violent_code(x, v->code)) return 0;
    int c0 = clause_start(x, v->vpos);
    for (int p = c0; p < v->vpos; p++) {
        if (x->phr_of.p[p] >= 0) return 0;
        if (!(wcls(x, p) & WC_WEAPON)) continue;
        /* "in an attempt to drive X out": a weapon noun in a prepositional
         * phrase is no subject */
        int q = p - 1;
        if (q >= c0 && (wcls(x, q) & WC_DET)) q--;
        if (q >= c0 && (wcls(x, q) & WC_PREP) && !(wcls(x, q) & WC_SUBORD)) continue;
        return 1;
    }
    return 0;
}

static int make_events(mp_ctx *x, int sent, int n) {
    int prev_src = -1, coded_hi = -1;
    for (size_t i = 0; i < x->vm.n; i++) {
        vmatch *v = &x->vm.p[i];
        /* a verb inside another verb's matched words is not coded alone */
        for (size_t j = 0; j < x->vm.n && !v->suppressed; j++) {
            const vmatch *w = &x->vm.p[j];
            if (j == i || !w->pat || v->vpos < w->lo || v->vend > w->hi ||
                (v->vpos >= w->vpos && v->vend <= w->vend))
                continue;
            /* two verbs inside each other's matches ("refused to meet" and
             * an open "% TO_*" of meet): the first one stays, whatever the
             * lengths; otherwise the longer match stays */
            if (v->pat && w->vpos >= v->lo && w->vend <= v->hi)
                v->suppressed = w->vpos < v->vpos;
            else
                v->suppressed = !(v->pat && w->hi - w->lo < v->hi - v->lo);
        }
        /* nor is a verb of an adverbial clause after a coded verb:
         * "... restore ties with Gondor after crowds burned its embassy" */
        if (!v->suppressed && coded_hi >= 0) {
            for (int p = coded_hi + 1; p < v->lo; p++) {
                if (wcls(x, p) & WC_ADVSUB) v->suppressed = 1;
                if (tok_at(x, p)->kind == TX_COMMA) v->suppressed = 0;
            }
        }
        /* nor is an infinitive that completes a coded verb: "called on Gondor
         * to be allowed to leave", "abandoned efforts to stop" */
        if (!v->suppressed && coded_hi >= 0 && v->vpos > coded_hi) {
            int p = v->vpos - 1;
            if (p > 0 && (x->kflags.p[p] & WF_VERB) == 0 && x->wid.p[p] != MP_NONE &&
                (!strcmp(norm_at(x, p), "BE") || !strcmp(norm_at(x, p), "HAVE")))
                p--;
            if (p >= 0 && (wcls(x, p) & WC_TO)) {
                v->suppressed = 1;
                for (int q = coded_hi + 1; q < p; q++)
                    if ((wcls(x, q) & (WC_SUBORD | WC_SEMI)) || tok_at(x, q)->kind == TX_COMMA)
                        v->suppressed = 0;
            }
        }
        if (v->suppressed) {
            trace(x, " verb '%s' is part of another verb's match or clause\n", norm_at(x, v->vpos));
            continue;
        }
        int src = v->src, tgt = v->tgt, no_doer = 0;
        size_t before = x->ev.n;
        if (v->cmp >= 0) {
            const phrase *cp = &x->ph.p[v->cmp];
            if (cp->ncode > 1 && tgt < 0 && src < 0) {
                /* a compound acting on itself: every ordered pair */
                for (uint32_t a = 0; a < cp->ncode; a++)
                    for (uint32_t b = 0; b < cp->ncode; b++)
                        if (a != b) {
                            uint32_t sc = x->codebuf.p[cp->code_first + a];
                            uint32_t tc = x->codebuf.p[cp->code_first + b];
                            if (codes_event(x, v->code) && emit(x, sent, v, sc, tc, v->code, cp, cp, 0))
                                return -1;
                        }
                prev_src = v->cmp;
                if (x->ev.n > before && v->hi > coded_hi) coded_hi = v->hi;
                continue;
            }
            if (src < 0) src = v->cmp;
        }
        if (src < 0) {
            src = default_source(x, v->lo);
            /* "Neither A nor B boycotted": the subject lies inside the words
             * the pattern matched before the verb */
            for (int p = v->lo; src < 0 && p < v->vpos; p++)
                if (x->phr_at.p[p] >= 0 && x->phr_at.p[p] != tgt) src = x->phr_at.p[p];
            if (src < 0 && prev_src >= 0) {
                /* coordinated verbs: "... condemned X and promised Y" */
                for (int p = v->lo - 1; p >= 0; p--) {
                    uint32_t k = wcls(x, p);
                    if (k & WC_ANDBUT) {
                        src = prev_src;
                        break;
                    }
                    if (k & WC_SUBORD) break;
                }
            }
        }
        if (src < 0 && x->opts.new_actor_length > 0) {
            src = new_actor(x, v->lo);
            if (src == -2) return -1;
        }
        if (tgt < 0) {
            /* a verb of an adverbial clause looks for its target only up to
             * the clause's end */
            int cs = clause_start(x, v->lo), stop_at_comma = cs > 0 && (wcls(x, cs - 1) & WC_ADVSUB);
            /* a verb followed by an infinitive ("proposed to take up the
             * issue with X") has its object in that other verb's phrase */
            int inf = v->vend + 2 < n && (wcls(x, v->vend + 1) & WC_TO) && !v->pat &&
                      tok_at(x, v->vend + 2)->kind == TX_WORD &&
                      !(tok_at(x, v->vend + 2)->flags & TX_CAP) && !wcls(x, v->vend + 2) &&
                      x->phr_of.p[v->vend + 2] < 0;
            for (int p = v->vend + 1; p < n && !inf; p++) {
                if (stop_at_comma && tok_at(x, p)->kind == TX_COMMA) break;
                /* nor into a new clause: "X oppose the tax, but Italy ..." */
                if (joints_between(x, p, p)) break;
                if (x->phr_at.p[p] >= 0 && x->phr_at.p[p] != src) {
                    tgt = x->phr_at.p[p];
                    break;
                }
            }
        }
        /* passive voice: "Gondor was attacked by Mordor" -- the phrase
         * after "by" is the source and the subject the target */
        if (!v->pat || (v->src < 0 && v->tgt < 0) || bare_object(x, v->pat)) {
            int by = passive_by(x, v, n);
            if (by >= 0 && by != src) {
                tgt = src;
                src = by;
            } else if (by < 0 && src >= 0 && passive_form(x, v)) {
                /* with no "by": the subject is what was done to, the doer is
                 * not named ("400 people were arrested in London") */
                trace(x, " verb '%s' is passive with no doer\n", norm_at(x, v->vpos));
                tgt = src;
                src = -1;
                no_doer = 1;
            }
        }
        /* negation: "did not attack", "never attacked" -- a verb that no
         * pattern took is not an event when it is denied */
        if (!v->pat && negated(x, v->vpos)) {
            trace(x, " verb '%s' is negated\n", norm_at(x, v->vpos));
            continue;
        }
        uint32_t mood = mood_code(x, v, n);
        if (mood != v->code) {
            trace(x, " verb '%s' is announced: code %s for %s\n", norm_at(x, v->vpos),
                  mp__code_str(x->c, mood), mp__code_str(x->c, v->code));
            v->code = mood;
            v->code2 = MP_NONE;  /* "will visit": the visitor's intent only */
        }
        if (src >= 0) prev_src = src;
        trace(x, " verb '%s' code %s%s%s src %d tgt %d\n", norm_at(x, v->vpos),
              v->code == MP_NONE ? "---" : mp__code_str(x->c, v->code),
              v->code2 != MP_NONE ? ":" : "", v->code2 != MP_NONE ? mp__code_str(x->c, v->code2) : "",
              src, tgt);
        if (!codes_event(x, v->code) && !codes_event(x, v->code2)) continue;
        /* with no actor for a target, an event still needs an object: some
         * noun phrase after the verb in its clause ("burned down its
         * embassy", "said on Saturday"), not just "said today" */
        if (tgt < 0 && !x->opts.require_dyad && !has_object(x, v->hi + 1, n)) {
            trace(x, " verb '%s' has no object\n", norm_at(x, v->vpos));
            continue;
        }
        /* violence by an unnamed hand: a weapon for the subject, or a
         * passive with no doer ("three civilians were killed in Baghdad") */
        int anon = src < 0 && tgt >= 0 && v->code != MP_NONE &&
                   (weapon_subject(x, v) || (no_doer && violent_code(x, v->code)));
        if (emit_pairs(x, sent, v, src >= 0 ? &x->ph.p[src] : NULL,
                       tgt >= 0 ? &x->ph.p[tgt] : NULL, anon))
            return -1;
        if (x->ev.n > before && v->hi > coded_hi) coded_hi = v->hi;
    }
    return 0;
}

/* ---- comma clauses ------------------------------------------------------------------------------ */
/* Mark tokens of the sentence [first, first+count) to drop; fills x->keep. */
/* Is the comma at k one of a list of names, "Mordor, the Shire, Fornost and
 * Bree", rather than the edge of a clause?  It is when a name follows it
 * (after "and", "the" and up to two adjectives), an and/or comes before the
 * next verb, and the list has had no and/or before the comma (in "A and B,
 * and C and D" the comma separates two lists). */
static int list_comma(const mp_ctx *x, const tx_token *tk, int k, int count) {
    int q = k + 1, skipped = 0;
    if (q < count && (x->dcls.p[q] & WC_CONJ) && tk[q].kind != TX_COMMA) q++;
    while (q < count && !(x->dflags.p[q] & WF_ACTOR)) {
        int adj = tk[q].kind == TX_WORD && !(x->dflags.p[q] & (WF_VERB | WF_AGENT)) &&
                  (!x->dcls.p[q] || (x->dcls.p[q] & WC_DEFDET));
        if (!adj || ++skipped > 3) return 0;
        q++;
    }
    if (q >= count) return 0;
    int conj = 0;
    for (int p = k + 1; p < count && !conj; p++) {
        if (x->dflags.p[p] & WF_VERB) break;
        conj = (x->dcls.p[p] & WC_CONJ) && tk[p].kind != TX_COMMA;
    }
    if (!conj) return 0;
    for (int p = k - 1; p >= 0; p--) {
        if ((x->dcls.p[p] & WC_CONJ) && tk[p].kind != TX_COMMA) return 0;
        if ((x->dflags.p[p] & WF_VERB) || (x->dcls.p[p] & (WC_PREP | WC_SUBORD | WC_STOP))) break;
    }
    return 1;
}

/* Is the comma clause [a, z) the apposition that names the subject?  "Kenzo
 * Oshima, the United Nations relief coordinator, demanded ...": the words
 * before it name no actor, it does (after "the" or "a"), and a verb follows
 * it.  Then it is kept whatever its length: it holds the source. */
static int has_flag(const mp_ctx *x, int a, int z, uint32_t f) {
    for (int q = a; q < z; q++)
        if (x->dflags.p[q] & f) return 1;
    return 0;
}

static int apposition(const mp_ctx *x, const tx_token *tk, int a, int z, int count) {
    if (a >= z || z + 1 >= count || !(x->dcls.p[a] & WC_DET)) return 0;
    return tk[z + 1].kind == TX_WORD && (x->dflags.p[z + 1] & WF_VERB) &&
           !has_flag(x, 0, a, WF_ACTOR) && has_flag(x, a, z, WF_ACTOR);
}

static int keep_tokens(mp_ctx *x, const tx_sent *s, int count) {
    const mp_opts *o = &x->opts;
    const tx_token *tk = &x->td.tok[s->first];
    x->keep.n = 0;
    if (VEC_RESERVE(x->keep, (size_t)count) || VEC_RESERVE(x->drop, (size_t)count + 1)) return -1;
    int *bound = x->drop.p;  /* first: is token k a clause comma? */
    int nb = 0;
    for (int k = 0; k < count; k++) {
        bound[k] = 0;
        if (tk[k].kind != TX_COMMA) continue;
        /* a comma between two plain lower-case words joins adjectives
         * ("complete, full diplomatic ties"), it does not end a clause */
        int plain = k > 0 && k + 1 < count;
        for (int q = k - 1; plain && q <= k + 1; q += 2)
            plain = tk[q].kind == TX_WORD && !(tk[q].flags & TX_CAP) && !x->dcls.p[q] &&
                    !(x->dflags.p[q] & (WF_ACTOR | WF_AGENT | WF_VERB));
        if (!plain && !list_comma(x, tk, k, count)) bound[k] = 1, nb++;
    }
    if (!nb) {
        for (int k = 0; k < count; k++) x->keep.p[x->keep.n++] = (int)s->first + k;
        return 0;
    }
    /* decide per segment; drop[] reuses bound[] from the segment start on */
    int seg_start = 0, seg = 0;
    for (int k = 0; k <= count; k++) {
        if (k < count && !bound[k]) continue;
        /* segment [seg_start, k) */
        int len = 0;
        for (int q = seg_start; q < k; q++)
            if (tk[q].kind == TX_WORD || tk[q].kind == TX_NUM) len++;
        int lo, hi, isend = k == count;
        if (seg == 0)
            lo = o->comma_bmin, hi = o->comma_bmax;
        else if (isend)
            lo = o->comma_emin, hi = o->comma_emax;
        else
            lo = o->comma_min, hi = o->comma_max;
        int dropit = hi > 0 && len >= lo && len <= hi;
        if (dropit && seg == 1 && !isend && apposition(x, tk, seg_start, k, count)) dropit = 0;
        int a = seg == 0 ? seg_start : seg_start - 1;  /* the leading comma goes too */
        int z = seg == 0 && k < count ? k + 1 : k;     /* an opening clause takes its comma */
        for (int q = a; q < z; q++) bound[q] = bound[q] == 2 ? 2 : (dropit ? 2 : bound[q] ? 3 : 0);
        seg_start = k + 1;
        seg++;
    }
    for (int k = 0; k < count; k++)
        if (bound[k] != 2) x->keep.p[x->keep.n++] = (int)s->first + k;
    return 0;
}

/* Names no dictionary knows: runs of capitalised words (with "of", "the"
 * inside) outside every phrase, for `magpie dict suggest`.  A run that is
 * only the sentence's first word is left out (it is capitalised anyway), and
 * so are months and weekdays. */
static int collect_names(mp_ctx *x, int si, int n) {
    int first = 0;  /* the sentence's first word, after quotes and brackets */
    while (first < n && tok_at(x, first)->kind != TX_WORD) first++;
    for (int k = 0; k < n;) {
        const tx_token *t = tok_at(x, k);
        if (!(t->kind == TX_WORD && (t->flags & TX_CAP)) || x->phr_of.p[k] >= 0 || wcls(x, k)) {
            k++;
            continue;
        }
        int e = k;
        while (e + 1 < n) {
            const tx_token *u = tok_at(x, e + 1);
            int cap = u->kind == TX_WORD && (u->flags & TX_CAP) && x->phr_of.p[e + 1] < 0;
            int glue = (wcls(x, e + 1) & (WC_OFIN | WC_THE)) && e + 2 < n &&
                       (tok_at(x, e + 2)->flags & TX_CAP) && x->phr_of.p[e + 2] < 0;
            if (!cap && !glue) break;
            e += glue ? 2 : 1;
        }
        if (!(k == first && e == first)) {
            mp_name nm = {{t->start, tok_at(x, e)->end}, si};
            if (VEC_PUSH(x->names, nm)) return -1;
        }
        k = e + 1;
    }
    return 0;
}

/* ---- one sentence ------------------------------------------------------------------------------- */
/* Is some word of these tokens written with a lower-case letter? */
static int has_lower_word(const tx_token *tk, int count) {
    for (int k = 0; k < count; k++)
        if (tk[k].kind == TX_WORD && !(tk[k].flags & TX_ALLCAP) && tk[k].end - tk[k].start > 1)
            return 1;
    return 0;
}

static int code_sentence(mp_ctx *x, int si) {
    const mp_coder *c = x->c;
    const tx_sent *s = &x->td.sent[si];
    int count = (int)s->count;
    if (count > x->opts.max_tokens) {
        ctx_diag(x, MP_WARN, "sentence %d has %d tokens; coding the first %d (max_tokens)", si,
                 count, x->opts.max_tokens);
        count = x->opts.max_tokens;
    }
    if (count == 0) return 0;
    /* discards are checked on the full sentence */
    if (VEC_RESERVE(x->wid, (size_t)count)) return -1;
    x->keep.n = 0;
    if (VEC_RESERVE(x->keep, (size_t)count)) return -1;
    for (int k = 0; k < count; k++) x->keep.p[k] = (int)s->first + k;
    x->keep.n = (size_t)count;
    int anydisc = 0;
    if (VEC_RESERVE(x->dwid, (size_t)count) || VEC_RESERVE(x->dcls, (size_t)count) ||
        VEC_RESERVE(x->dflags, (size_t)count) || VEC_RESERVE(x->dvstem, (size_t)count) ||
        VEC_RESERVE(x->dst_at, (size_t)count + 1))
        return -1;
    x->dst.n = 0;
    int mixed = has_lower_word(&x->td.tok[s->first], count);  /* a word in lower case? */
    x->mixed_case = mixed;
    for (int k = 0; k < count; k++) {
        const tx_token *t = &x->td.tok[s->first + (uint32_t)k];
        const char *nw = x->td.normbuf + t->norm;
        size_t nlen = t->nlen;
        uint32_t hash = t->hash;
        /* "US" in capitals, in a sentence that is not all capitals, is the
         * country ("Recent US drone attacks"), not the pronoun "us" */
        if (nlen == 2 && (t->flags & TX_ALLCAP) && !memcmp(nw, "US", 2)) {
            if (mixed) nw = "U.S.", nlen = 4, hash = mp__hash(nw, nlen);
        }
        wc_entry tmp;
        const wc_entry *e = token_info(x, nw, nlen, hash, t->kind == TX_WORD, &tmp);
        uint32_t w = e->w;
        x->wid.p[k] = x->dwid.p[k] = w;
        x->dcls.p[k] = e->cls;
        x->dflags.p[k] = e->flags;
        x->dvstem.p[k] = e->vstem;
        x->dst_at.p[k] = (uint32_t)x->dst.n;
        if (e->nst <= WC_NSTEM) {
            for (uint32_t i = 0; i < e->nst; i++)
                if (VEC_PUSH(x->dst, e->st[i])) return -1;
        } else {
            uint32_t vs, m = walk_stems(c, nw, nlen, NULL, 0, &vs);
            if (VEC_RESERVE(x->dst, m)) return -1;
            walk_stems(c, nw, nlen, x->dst.p + x->dst.n, m, &vs);
            x->dst.n += m;
        }
        if (e->flags & WF_DISCARD) anydisc = 1;
    }
    x->dst_at.p[count] = (uint32_t)x->dst.n;
    if (anydisc) {
        for (int k = 0; k < count; k++) {
            uint32_t d;
            if (trie_longest(x, &c->discard_trie, k, count, &d)) {
                const mp_discard *dd = &c->discards.p[d];
                trace(x, " discard (%s) at '%s' (%s:%u)\n", dd->story ? "story" : "sentence",
                      norm_at(x, k), mp__file_str(c, dd->file), dd->line);
                return dd->story ? 2 : 1;
            }
        }
    }
    if (keep_tokens(x, s, count)) return -1;
    int n = (int)x->keep.n;
    /* word ids of kept tokens and the presence filter */
    if (VEC_RESERVE(x->wid, (size_t)n)) return -1;
    if (VEC_RESERVE(x->vstem, (size_t)n) || VEC_RESERVE(x->tstem_at, (size_t)n + 1)) return -1;
    x->sentsig = 0;
    x->tstem.n = 0;
    x->swords.n = x->spos.n = 0;
    if (VEC_RESERVE(x->kcls, (size_t)n) || VEC_RESERVE(x->kflags, (size_t)n) ||
        VEC_RESERVE(x->swords, (size_t)n + x->dst.n) || VEC_RESERVE(x->spos, (size_t)n + x->dst.n) ||
        VEC_RESERVE(x->tstem, x->dst.n))
        return -1;
    for (int k = 0; k < n; k++) {
        uint32_t j = (uint32_t)x->keep.p[k] - s->first;  /* index in the sentence */
        uint32_t w = x->dwid.p[j];
        x->wid.p[k] = w;
        x->kcls.p[k] = x->dcls.p[j];
        x->kflags.p[k] = x->dflags.p[j];
        x->vstem.p[k] = x->dvstem.p[j];
        x->tstem_at.p[k] = (uint32_t)x->tstem.n;
        if (w != MP_NONE && (x->dflags.p[j] & WF_PATWORD)) present_add(x, w, k);
        for (uint32_t i = x->dst_at.p[j]; i < x->dst_at.p[j + 1]; i++) {
            present_add(x, x->dst.p[i], k);
            x->tstem.p[x->tstem.n++] = x->dst.p[i];
        }
    }
    x->tstem_at.p[n] = (uint32_t)x->tstem.n;
    /* a sentence without any verb form has no event: skip the rest */
    int anyverb = 0;
    for (int k = 0; k < n && !anyverb; k++)
        anyverb = (x->kflags.p[k] & WF_VERB) || x->vstem.p[k] != MP_NONE;
    if (!anyverb && !x->trace_on && !x->collect_names) return 0;
    x->awords.n = x->amasks.n = 0;
    if (build_where(x)) return -1;
    if (x->trace_on) {
        trace(x, "sentence %d:", si);
        for (int k = 0; k < n; k++) trace(x, " %s", norm_at(x, k));
        trace(x, "\n");
    }
    if (find_phrases(x, n)) return -1;
    if (x->collect_names && collect_names(x, si, n)) return -1;
    if (!anyverb) return 0;
    if (VEC_RESERVE(x->joints, (size_t)n + 1)) return -1;
    x->joints.p[0] = 0;
    for (int k = 0; k < n; k++) x->joints.p[k + 1] = x->joints.p[k] + clause_joint(x, k, n);
    if (x->trace_on)
        for (size_t i = 0; i < x->ph.n; i++) {
            const phrase *p = &x->ph.p[i];
            trace(x, " phrase %zu [%d-%d]:", i, p->first, p->last);
            for (uint32_t j = 0; j < p->ncode; j++)
                trace(x, " %s", code_text(x, x->codebuf.p[p->code_first + j]));
            trace(x, p->aside ? " (no side: audience, dateline or modifier)\n" : "\n");
        }
    /* verbs */
    x->vm.n = 0;
    for (int k = 0; k < n; k++) {
        uint32_t w = x->wid.p[k];
        /* a word of an actor or agent name is no verb: "riot police" */
        if (x->phr_of.p[k] >= 0) continue;
        if (x->kflags.p[k] & WF_VERB) {
            uint32_t first = mp__u64map_get(&c->verb_head, (uint64_t)w + 1);
            if (first != MP_NONE && code_verb_at(x, n, k, first)) return -1;
            continue;
        }
        if (x->vstem.p[k] != MP_NONE) {
            /* TABARI stems: the longest verb stem that begins this token */
            uint32_t first = x->vstem.p[k];
            if (first != MP_NONE && code_verb_at(x, n, k, first)) return -1;
        }
    }
    return make_events(x, si, n);
}

/* ---- one document ------------------------------------------------------------------------------- */
int mp_code(mp_ctx *x, const mp_doc *d) {
    if (!x || !d) return MP_ERR_STATE;
    x->ev.n = 0;
    x->names.n = 0;
    x->trace.n = 0;
    x->discarded = 0;
    x->dyncodes.n = 0;
    mp__arena_reset(&x->arena);
    free(x->fixed);
    x->fixed = NULL;
    x->doc_id = d->id;
    x->date = d->date;
    x->text = d->text ? d->text : "";
    x->len = d->text ? d->len : 0;
    int rc = MP_OK;
    char *fixed;
    size_t flen, first_bad;
    size_t nfix = utf8_repair(x->text, x->len, &fixed, &flen, &first_bad);
    if (nfix == (size_t)-1) return MP_ERR_NOMEM;
    if (nfix) {
        ctx_diag(x, MP_WARN, "invalid UTF-8 or NUL at byte %zu (%zu repairs)", first_bad, nfix);
        x->fixed = fixed;
        x->text = fixed;
        x->len = flen;
        rc = MP_ERR_INPUT;
    }
    if (x->doc_id) {
        char *id = mp__arena_strndup(&x->arena, x->doc_id, strlen(x->doc_id));
        if (!id) return MP_ERR_NOMEM;
        x->doc_id = id;
    }
    int trc = tx_segment(&x->td, x->text, x->len);
    if (trc == -2) {
        ctx_diag(x, MP_ERROR, "document too long (%zu bytes)", x->len);
        return MP_ERR_LIMIT;
    }
    if (trc) return MP_ERR_NOMEM;
    x->when_sent = x->cnt_sent = -1;
    if (x->opts.enrich && x->gx && geo_document(x->gx, x->text, x->len, &x->td)) return MP_ERR_NOMEM;
    int ndisc = 0;
    for (size_t si = 0; si < x->td.nsent; si++) {
        int r = code_sentence(x, (int)si);
        if (r < 0) return MP_ERR_NOMEM;
        if (r == 2) {
            x->discarded = 1;
            x->ev.n = 0;
            return rc;
        }
        if (r == 1) ndisc++;
    }
    if (ndisc && (size_t)ndisc == x->td.nsent) x->discarded = 2;
    return rc;
}
