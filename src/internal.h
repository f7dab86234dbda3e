/*
 * internal.h -- the compiled dictionaries shared by the loader (dict.c) and
 * the coder (coder.c).
 *
 * Every word that any dictionary mentions is interned once in `words`
 * (normalised upper case) and from then on is a uint32 id; a token of a
 * document is looked up once and matching is integer comparison.
 *
 * Phrases (actor names, agent names, discard phrases) live in word tries:
 *
 *     node 0 --UNITED--> n1 --STATES--> n2 (actor 17)
 *                              \--ARAB--> n3 --EMIRATES--> n4 (actor 18)
 *
 * An edge is a u64map entry ((node+1) << 32 | word) -> child; a node's
 * payload is an index into the kind's entry array, MP_NONE if none.
 *
 * Verbs: each verb *form* (a head word, optional words before and after it
 * for multi-word verbs) points to its *block*; a block holds the default
 * code and the pattern list.  Patterns are two element lists, the part
 * before the verb (stored nearest-to-verb first) and the part after it.
 * Synsets (and `{ a | b }` alternatives, compiled as anonymous synsets) are
 * lists of members, each member a list of elements.
 */
#ifndef MP_INTERNAL_H
#define MP_INTERNAL_H

#include "magpie.h"
#include "util.h"

typedef struct {
    uint32_t *node_val;   /* payload per node */
    size_t n, cap;        /* nodes */
    mp_u64map edge;
    uint32_t *kidword;    /* per node, filled at ready: the word of its only edge, or
                             MP_NONE (no edge) or MP_MANY (several: look them up) */
    uint32_t *kidnode;    /* the node that only edge leads to */
    uint32_t *root;       /* per word id, filled at ready: the node after that first word */
} mp_trie;

/* ---- actors ---- */
typedef struct {
    uint32_t code;        /* interned code string (in codes) */
    int from, to;         /* YYYYMMDD bounds, 0 = open; valid if from <= d < to */
} mp_actor_code;

typedef struct {
    uint32_t name;        /* interned first name, for explain */
    uint32_t dflt;        /* default code, MP_NONE if none */
    uint32_t first, n;    /* date-bounded codes in actor_codes */
    uint16_t file;
    uint32_t line;
} mp_actor;

typedef struct {
    uint32_t code;        /* interned code without the ~ */
    uint8_t prefix;       /* 1 for NGO~ style */
    uint16_t file;
    uint32_t line;
} mp_agent;

/* ---- patterns ---- */
enum { PE_WORD = 1, PE_SYN, PE_SRC, PE_TGT, PE_CMP, PE_SKIP };
typedef struct {
    uint8_t type;
    uint8_t open;         /* other words may come between this element and the previous one */
    uint8_t stem;         /* WORD: match as prefix */
    uint32_t arg;         /* WORD: word id; SYN: synset id */
} mp_pelem;

typedef struct {
    uint32_t up, nup;     /* elements before the verb, nearest first */
    uint32_t lo, nlo;     /* elements after the verb, nearest first */
    uint32_t code, code2; /* interned; code2 MP_NONE unless paired */
    uint16_t file;
    uint32_t line;
    uint16_t weight;      /* specificity: longer patterns are tried first */
    uint64_t sig;         /* one bit per required word: a quick filter */
} mp_pattern;

typedef struct {
    uint32_t first, n;    /* members in syn_members */
    uint64_t head, tail;  /* filled at ready: word bits of the members' first and last
                             words (all ones when a member begins or ends otherwise) */
} mp_synset;

typedef struct {
    uint32_t first, n;    /* elements in elems, in reading order */
} mp_member;

typedef struct {
    uint32_t code, code2; /* default code of the block; MP_NONE if none */
    uint32_t pat_first, npat;  /* indices into block_pats */
    uint32_t free_first, nfree; /* ranks of patterns with no word to index them by */
    uint32_t name;        /* interned header name */
    uint16_t file;
    uint32_t line;
} mp_vblock;

typedef struct {
    uint32_t head;        /* word id of the inflected word */
    uint32_t pre, npre;   /* words before the head (in wordpool) */
    uint32_t post, npost; /* words after the head */
    uint32_t block;
    uint32_t code, code2; /* override, MP_NONE = block's */
    uint32_t next;        /* next form with the same head, MP_NONE ends */
    uint8_t stem;
    uint8_t shape;        /* VF_BASE, VF_ING or VF_FINITE (past, -s, irregular) */
    uint16_t file;
    uint32_t line;
} mp_vform;

enum { VF_BASE = 0, VF_ING = 1, VF_FINITE = 2 };

typedef struct {
    uint8_t story;
    uint16_t file;
    uint32_t line;
} mp_discard;

typedef struct {
    int require_dyad;
    int new_actor_length;
    int comma_min, comma_max, comma_bmin, comma_bmax, comma_emin, comma_emax;
    int max_tokens;       /* a sentence longer than this is coded on its first max_tokens */
    int enrich;           /* dates, places, counts, PLOVER/ACLED views */
    int strict;
    int announced;        /* code announced actions as intents and threats (mood.c):
                           * 1 on, 0 off, -1 (auto) on with the built-in verbs only */
} mp_opts;

#define VEC(T) struct { T *p; size_t n, cap; }
#define MP_MANY (UINT32_MAX - 1)

typedef VEC(uint32_t) mp_u32vec;

/* A node of the compact stem trie: bit s of mask set if a child for symbol s
 * exists; the children are stems[first + rank of s among the set bits]. */
typedef struct {
    uint64_t mask;
    uint32_t first;
    uint32_t word;        /* stem word ending here, MP_NONE if none */
    uint32_t vfirst;      /* its verb forms, MP_NONE if none */
} mp_snode;


typedef struct {
    int valid, root;      /* a CAMEO code (digits); root 1..20 */
    double gold;          /* NaN if not in the codebook */
    const char *name;     /* NULL if not in the codebook */
    uint32_t intent;      /* the code announced as an intent (mood.c), MP_NONE if none */
    uint32_t threat;      /* the code announced as a threat (mood.c), MP_NONE if none */
} mp_code_info;

struct mp_coder {
    mp_strmap words;      /* word -> id (value = id) */
    mp_strmap codes;      /* code string -> id */
    mp_strmap files;      /* file name -> id */
    mp_strmap synnames;   /* &NAME -> synset id */

    mp_trie actor_trie, agent_trie, discard_trie;
    VEC(mp_actor) actors;
    VEC(mp_actor_code) actor_codes;
    VEC(mp_agent) agents;
    VEC(mp_discard) discards;
    size_t actor_names, issues;

    VEC(mp_pelem) elems;
    VEC(mp_pattern) patterns;
    VEC(uint32_t) block_pats;  /* pattern ids per block, contiguous after ready */
    VEC(mp_synset) synsets;
    VEC(mp_member) members;    /* synset members */
    VEC(uint32_t) syn_members; /* member ids per synset, contiguous */
    VEC(uint32_t) syn_pairs;   /* (member, synset) pairs of named synsets until ready */
    VEC(mp_vblock) blocks;
    VEC(mp_vform) vforms;
    VEC(uint32_t) wordpool;
    mp_u64map verb_head;       /* word id + 1 -> first vform */
    mp_u64map stem_head;       /* word id + 1 -> first vform, stems only */
    uint32_t stem_lens;        /* bit i set: a stem of length i exists (i < 32) */
    uint8_t *word_flags;       /* per word id, filled at ready */
    mp_code_info *code_info;   /* per code id, filled at ready */
    uint32_t *word_class;      /* per word id: closed-class bits (coder.c) */
    uint64_t *vocab_bloom;     /* a Bloom filter of the words' hashes (coder.c) */
    /* TABARI stems: a byte trie of every stem word; walking a token through
     * it yields all stems that begin the token (see coder.c) */
    struct mp_stem_build *stem_build; /* the trie while it is built */
    size_t nstem_nodes, stem_cap;
    mp_snode *stems;          /* the compact trie: children of a node are contiguous */
    /* patterns indexed by one word each: ((block+1) << 32 | word) -> first
     * entry; entries chain by rank within the block (see coder.c) */
    mp_u64map anchor_head;
    VEC(uint32_t) anchor_rank;
    VEC(uint32_t) anchor_next;
    VEC(uint32_t) free_ranks;
    uint64_t *rank_sig;        /* per block_pats entry: its pattern's signature */
    uint16_t *rank_weight;     /* ... and weight */
    uint64_t *anchor_mask;     /* per word: bit (block % 64) set if it indexes a pattern of that block */
    size_t nword_flags;

    int loaded[MP_DICT_NKINDS];
    int builtin_verbs;         /* the verbs are the project's own (builtin.c) */
    int builtin_agents;        /* the agents are the project's own (builtin.c) */
    int ready;
    mp_opts opts;
    struct geo_gaz *gaz;       /* places; NULL if no gazetteer was loaded */
    struct acled_table *acled; /* the ACLED view (data/acled.tsv), loaded at ready */
    mp_diag_fn diag;
    void *diag_ud;
    size_t nerrors, nwarnings;
    mp_arena arena;
};

/* word_flags bits */
enum { WF_ACTOR = 1, WF_AGENT = 2, WF_VERB = 4, WF_DISCARD = 8, WF_ANCHOR = 16,
       WF_PATWORD = 32 /* used by some pattern */ };

/* dict.c */
void mp__diag(mp_coder *c, mp_severity sev, const char *file, long line, const char *fmt, ...);
uint32_t mp__word_id(const mp_coder *c, const char *s, size_t len);
const char *mp__code_str(const mp_coder *c, uint32_t id);
/* mood.c: the code of an announced action ("will send aid": 033) and of a
 * conditional one ("will cut aid unless": 1311); NULL if it keeps its own. */
const char *mp__intent_code(const char *code);
const char *mp__threat_code(const char *code);
const char *mp__word_str(const mp_coder *c, uint32_t id);
const char *mp__file_str(const mp_coder *c, uint32_t id);
uint32_t mp__trie_step(const mp_trie *t, uint32_t node, uint32_t word);
int mp__opts_set(mp_opts *o, const char *name, const char *value);
void mp__opts_default(mp_opts *o);
int mp__dict_finish(mp_coder *c);
int mp__load_builtin_text(mp_coder *c, mp_dict_kind kind, const char *name, const char *text,
                          size_t len);

#endif
