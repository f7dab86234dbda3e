/*
 * dict.c -- reading the field's dictionaries: TABARI and PETRARCH-1 actors,
 * agents, verbs (with synsets and patterns), discards, issues and options.
 *
 * Each reader walks a file line by line, keeping the line number so that
 * every complaint reads `file:line: reason`.  A broken line is reported and
 * skipped; the rest of the file still loads (with the `strict` option the
 * load then fails).  Comments are `#` (and TABARI's `;` after a pattern's
 * code) to the end of the line and `<!-- ... -->` blocks, which may span lines.
 *
 * Words are normalised to upper case and interned (see internal.h).  In a
 * name, `_` and spaces both join words; a trailing `_` marks a word that
 * must match exactly.  Two verb formats are read:
 *
 *   PETRARCH-1:  --- NAME [code] ---        a block header
 *                VERB {IRREG FORMS} [code]  verbs of the block; regular
 *                                           -S/-ED/-ING forms are generated
 *                - upper * lower [code]     patterns of the block
 *   TABARI:      VERB [code]                each verb line starts a block;
 *                                           words are stems unless they end
 *                                           in `_`
 *
 * The format is chosen per file: a file with `--- ... ---` headers is
 * PETRARCH-1.  Synsets (`&NAME` then `+member` lines) may be used before or
 * after they are defined; references are resolved at mp_coder_ready().
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

/* ---- diagnostics ---------------------------------------------------------- */
void mp__diag(mp_coder *c, mp_severity sev, const char *file, long line, const char *fmt, ...) {
    if (sev == MP_ERROR) c->nerrors++;
    if (sev == MP_WARN) c->nwarnings++;
    if (!c->diag) return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->diag(c->diag_ud, sev, file, line, msg);
}

/* ---- interning ---------------------------------------------------------------- */
static uint32_t intern(mp_strmap *m, const char *s, size_t len) {
    return mp__strmap_put(m, s, len, (uint32_t)m->n);
}
uint32_t mp__word_id(const mp_coder *c, const char *s, size_t len) {
    return mp__strmap_get(&c->words, s, len);
}
const char *mp__code_str(const mp_coder *c, uint32_t id) {
    return id < c->codes.n ? c->codes.keys[id].s : "---";
}
const char *mp__word_str(const mp_coder *c, uint32_t id) {
    return id < c->words.n ? c->words.keys[id].s : "?";
}
const char *mp__file_str(const mp_coder *c, uint32_t id) {
    return id < c->files.n ? c->files.keys[id].s : "?";
}

/* Intern a word after upper-casing ASCII letters. */
static uint32_t intern_word(mp_coder *c, const char *s, size_t len) {
    size_t i = 0;
    while (i < len && !(s[i] >= 'a' && s[i] <= 'z')) i++;
    if (i == len) return intern(&c->words, s, len);  /* dictionaries are mostly upper case */
    char buf[256] = {0};
    char *b = buf;
    if (len >= sizeof buf && !(b = malloc(len + 1))) return MP_NONE;
    for (i = 0; i < len; i++) b[i] = (char)toupper((unsigned char)s[i]);
    uint32_t id = intern(&c->words, b, len);
    if (b != buf) free(b);
    return id;
}

/* ---- tries ---------------------------------------------------------------------- */
static uint32_t trie_new_node(mp_trie *t) {
    if (t->n == t->cap && mp__grow((void **)&t->node_val, &t->cap, t->n + 1, sizeof(uint32_t)))
        return MP_NONE;
    t->node_val[t->n] = MP_NONE;
    return (uint32_t)t->n++;
}
uint32_t mp__trie_step(const mp_trie *t, uint32_t node, uint32_t word) {
    return mp__u64map_get(&t->edge, ((uint64_t)node + 1) << 32 | word);
}
/* Walk/extend the trie along words; returns the final node or MP_NONE. */
static uint32_t trie_add(mp_trie *t, const uint32_t *w, size_t n) {
    if (!t->n && trie_new_node(t) == MP_NONE) return MP_NONE;
    uint32_t node = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t nx = mp__trie_step(t, node, w[i]);
        if (nx == MP_NONE) {
            nx = trie_new_node(t);
            if (nx == MP_NONE ||
                mp__u64map_put(&t->edge, ((uint64_t)node + 1) << 32 | w[i], nx))
                return MP_NONE;
        }
        node = nx;
    }
    return node;
}

/* ---- line reading ----------------------------------------------------------------- */
typedef struct {
    mp_coder *c;
    const char *fname;
    uint16_t file;
    const char *p, *end;
    long line;
    int in_xml;           /* inside <!-- --> */
    char *buf;            /* current line, comments stripped */
    size_t len, cap;
    int bad;
} reader;

/* Next line with comments removed and trailing space trimmed; 0 at EOF. */
/* Bytes next_line() must look at; everything else is copied in runs. */
static const unsigned char SPECIAL[256] = {['['] = 1, [']'] = 1, ['-'] = 1, ['<'] = 1,
                                           ['#'] = 1, [';'] = 1, ['\r'] = 1, ['\t'] = 1};
#define special_byte(ch) SPECIAL[(unsigned char)(ch)]

static int next_line(reader *r, int hash_comments) {
    if (r->p >= r->end) return 0;
    const char *e = memchr(r->p, '\n', (size_t)(r->end - r->p));
    if (!e) e = r->end;
    size_t n = (size_t)(e - r->p);
    if (n + 1 > r->cap && mp__grow((void **)&r->buf, &r->cap, n + 1, 1)) return -1;
    const char *p = r->p;
    size_t o = 0;
    int inbr = 0;
    for (size_t i = 0; i < n; i++) {
        if (r->in_xml) {
            const char *end = memchr(p + i, '>', n - i);
            while (end && !((size_t)(end - p) >= i + 2 && end[-1] == '-' && end[-2] == '-'))
                end = memchr(end + 1, '>', (size_t)(p + n - end - 1));
            if (!end) break;
            r->in_xml = 0;
            i = (size_t)(end - p);
            continue;
        }
        size_t b = i;
        while (i < n && !special_byte((unsigned char)p[i])) i++;
        memcpy(r->buf + o, p + b, i - b);
        o += i - b;
        if (i == n) break;
        char ch = p[i];
        if (ch == '[') inbr = 1;
        if (ch == ']') inbr = 0;
        if (ch == '<' && i + 1 < n && p[i + 1] == '!') {
            r->in_xml = 1;
            i += 1;
            continue;
        }
        if ((ch == '#' || ch == ';') && hash_comments && !inbr) break; /* the rest is a comment */
        if (ch == '\r' || ch == '\t') ch = ' ';
        r->buf[o++] = ch;
    }
    while (o && r->buf[o - 1] == ' ') o--;
    r->buf[o] = 0;
    r->len = o;
    r->line++;
    r->p = e < r->end ? e + 1 : e;
    return 1;
}

static void bad(reader *r, const char *fmt, ...) {
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->bad++;
    mp__diag(r->c, MP_ERROR, r->fname, r->line, "%s", msg);
}

static char *skip_sp(char *s) {
    while (*s == ' ') s++;
    return s;
}

/* ---- names: words joined by _ or space ------------------------------------------------ */
typedef VEC(uint32_t) idvec;

/* Split a name into interned words; `_` and spaces separate.  A word that
 * ends in `_` is exact; stems[] (optional) receives per-word stem flags
 * given `stem_default`. */
static int split_name(mp_coder *c, const char *s, size_t n, idvec *out, idvec *stems,
                      int stem_default) {
    out->n = 0;
    if (stems) stems->n = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '_')) i++;
        size_t b = i;
        while (i < n && s[i] != ' ' && s[i] != '_') i++;
        if (i == b) break;
        uint32_t id = intern_word(c, s + b, i - b);
        if (id == MP_NONE || VEC_PUSH(*out, id)) return -1;
        if (stems && VEC_PUSH(*stems, (uint32_t)(stem_default && !(i < n && s[i] == '_'))))
            return -1;
    }
    return 0;
}

/* ---- dates in actor codes ----------------------------------------------------------- */
static int parse_date(const char *s, size_t n, int *out) {
    int v = 0;
    if (n != 6 && n != 8) return -1;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) return -1;
        v = v * 10 + (s[i] - '0');
    }
    if (n == 6) {
        int yy = v / 10000;
        v += (yy < 30 ? 20000000 : 19000000);
    } else if (n != 8) {
        return -1;
    }
    if (!mp__ymd_valid(v)) return -1;
    *out = v;
    return 0;
}

/* "[CODE]" "[CODE >D]" "[CODE <D]" "[CODE D1-D2]" "[CODE D1 - D2]". */
static int parse_actor_code(reader *r, const char *s, size_t n, mp_actor_code *ac) {
    size_t i = 0;
    while (i < n && s[i] == ' ') i++;
    size_t b = i;
    while (i < n && s[i] != ' ' && s[i] != '>' && s[i] != '<') i++;
    if (i == b) {
        bad(r, "empty actor code");
        return -1;
    }
    ac->code = intern(&r->c->codes, s + b, i - b);
    ac->from = ac->to = 0;
    while (i < n && s[i] == ' ') i++;
    if (i == n) return 0;
    const char *q = s + i;
    size_t m = n - i;
    if (*q == '<' || *q == '>') {
        char op = *q;
        q++, m--;
        while (m && *q == ' ') q++, m--;
        while (m && q[m - 1] == ' ') m--;
        int d;
        if (parse_date(q, m, &d)) {
            bad(r, "bad date '%.*s' in actor code", (int)m, q);
            return -1;
        }
        if (op == '<')
            ac->to = d;
        else
            ac->from = d;
        return 0;
    }
    const char *dash = memchr(q, '-', m);
    if (!dash) {
        bad(r, "bad date restriction '%.*s' in actor code", (int)m, q);
        return -1;
    }
    size_t l1 = (size_t)(dash - q), l2 = m - l1 - 1;
    const char *q2 = dash + 1;
    while (l1 && q[l1 - 1] == ' ') l1--;
    while (l2 && *q2 == ' ') q2++, l2--;
    while (l2 && q2[l2 - 1] == ' ') l2--;
    if (parse_date(q, l1, &ac->from) || parse_date(q2, l2, &ac->to) || ac->to < ac->from) {
        bad(r, "bad date range '%.*s' in actor code", (int)m, q);
        return -1;
    }
    return 0;
}

/* ---- actors ---------------------------------------------------------------------------- */
static int add_actor_name(reader *r, uint32_t actor, const char *s, size_t n, idvec *w) {
    mp_coder *c = r->c;
    if (split_name(c, s, n, w, NULL, 0)) return -1;
    if (!w->n) {
        bad(r, "empty actor name");
        return 0;
    }
    uint32_t node = trie_add(&c->actor_trie, w->p, w->n);
    if (node == MP_NONE) return -1;
    if (c->actor_trie.node_val[node] != MP_NONE)
        mp__diag(c, MP_INFO, r->fname, r->line, "duplicate actor name '%.*s'", (int)n, s);
    c->actor_trie.node_val[node] = actor;  /* later entries win */
    c->actor_names++;
    return 0;
}

static int read_actors(reader *r) {
    mp_coder *c = r->c;
    idvec w = {0};
    uint32_t cur = MP_NONE;
    int rc;
    while ((rc = next_line(r, 1)) > 0) {
        char *s = skip_sp(r->buf);
        if (!*s) continue;
        if (*s == '[') {  /* a code line for the current actor */
            if (cur == MP_NONE) {
                bad(r, "actor code with no actor name before it");
                continue;
            }
            char *e = strchr(s, ']');
            if (!e) {
                bad(r, "missing ']'");
                continue;
            }
            mp_actor_code ac;
            if (parse_actor_code(r, s + 1, (size_t)(e - s - 1), &ac)) continue;
            mp_actor *a = &c->actors.p[cur];
            if (!ac.from && !ac.to) {
                a->dflt = ac.code;
            } else {
                if (VEC_PUSH(c->actor_codes, ac)) goto oom;
                if (!a->n) a->first = (uint32_t)c->actor_codes.n - 1;
                a->n++;
            }
            continue;
        }
        int syn = *s == '+';
        if (syn) s = skip_sp(s + 1);
        char *br = strchr(s, '[');
        size_t nlen = br ? (size_t)(br - s) : strlen(s);
        while (nlen && s[nlen - 1] == ' ') nlen--;
        if (!nlen) {
            bad(r, "missing actor name");
            continue;
        }
        if (!syn || cur == MP_NONE) {
            if (syn) bad(r, "synonym '+' line with no actor before it; taken as a new actor");
            mp_actor a = {intern_word(c, s, nlen), MP_NONE, 0, 0, r->file, (uint32_t)r->line};
            if (VEC_PUSH(c->actors, a)) goto oom;
            cur = (uint32_t)c->actors.n - 1;
        }
        if (add_actor_name(r, cur, s, nlen, &w)) goto oom;
        /* codes on the same line: [A] or [A >date] ... possibly several */
        while (br) {
            char *e = strchr(br, ']');
            if (!e) {
                bad(r, "missing ']'");
                break;
            }
            mp_actor_code ac;
            if (!parse_actor_code(r, br + 1, (size_t)(e - br - 1), &ac)) {
                mp_actor *a = &c->actors.p[cur];
                if (!ac.from && !ac.to) {
                    a->dflt = ac.code;
                } else {
                    if (VEC_PUSH(c->actor_codes, ac)) goto oom;
                    if (!a->n) a->first = (uint32_t)c->actor_codes.n - 1;
                    a->n++;
                }
            }
            br = strchr(e, '[');
        }
        /* date-bounded codes must be contiguous per actor: they are, since an
         * actor's lines follow it, unless another actor interleaves (cannot). */
    }
    free(w.p);
    return rc < 0 ? -1 : 0;
oom:
    free(w.p);
    return -1;
}

/* ---- agents ------------------------------------------------------------------------------ */
typedef struct {
    char name[64];
    VEC(char *) alts;
} subset;

static void plural_of(const char *w, size_t n, char *out, size_t cap) {
    /* out gets the regular English plural of the word w[0..n) */
    if (n + 4 > cap) {
        out[0] = 0;
        return;
    }
    memcpy(out, w, n);
    char last = n ? w[n - 1] : 0, prev = n > 1 ? w[n - 2] : 0;
    int vowel_prev = prev && strchr("AEIOU", prev);
    if (last == 'Y' && !vowel_prev) {
        memcpy(out + n - 1, "IES", 4);
    } else if (last == 'S' || last == 'X' || last == 'Z' ||
               (last == 'H' && (prev == 'S' || prev == 'C'))) {
        memcpy(out + n, "ES", 3);
    } else {
        memcpy(out + n, "S", 2);
    }
}

static int add_agent_phrase(reader *r, const char *s, size_t n, uint32_t agent, idvec *w) {
    mp_coder *c = r->c;
    if (split_name(c, s, n, w, NULL, 0)) return -1;
    if (!w->n) return 0;
    uint32_t node = trie_add(&c->agent_trie, w->p, w->n);
    if (node == MP_NONE) return -1;
    c->agent_trie.node_val[node] = agent;
    return 0;
}

/* Expand !SUB! markers (cartesian), then add the phrase and, unless
 * suppressed, its regular plural. */
static int expand_agent(reader *r, const char *s, size_t n, uint32_t agent, int plural,
                        subset *subs, size_t nsubs, idvec *w, int depth) {
    const char *bang = memchr(s, '!', n);
    if (bang && depth < 8) {
        const char *bang2 = memchr(bang + 1, '!', (size_t)(s + n - bang - 1));
        if (!bang2) {
            bad(r, "unterminated '!' substitution marker");
            return 0;
        }
        size_t kl = (size_t)(bang2 - bang + 1);
        for (size_t k = 0; k < nsubs; k++) {
            if (strlen(subs[k].name) != kl || strncmp(subs[k].name, bang, kl)) continue;
            for (size_t a = 0; a < subs[k].alts.n; a++) {
                const char *alt = subs[k].alts.p[a];
                size_t al = strlen(alt), pre = (size_t)(bang - s), post = n - pre - kl;
                char *buf = malloc(pre + al + post + 1);
                if (!buf) return -1;
                memcpy(buf, s, pre);
                memcpy(buf + pre, alt, al);
                memcpy(buf + pre + al, bang2 + 1, post);
                int rc = expand_agent(r, buf, pre + al + post, agent, 0, subs, nsubs, w, depth + 1);
                free(buf);
                if (rc) return rc;
            }
            return 0;
        }
        bad(r, "unknown substitution set '%.*s'", (int)kl, bang);
        return 0;
    }
    if (add_agent_phrase(r, s, n, agent, w)) return -1;
    if (plural) {
        /* plural of the last word */
        size_t e = n;
        while (e && (s[e - 1] == '_' || s[e - 1] == ' ')) e--;
        size_t b = e;
        while (b && s[b - 1] != '_' && s[b - 1] != ' ') b--;
        if (e > b) {
            char up[128], pl[136];
            size_t wl = e - b < sizeof up ? e - b : sizeof up - 1;
            for (size_t i = 0; i < wl; i++) up[i] = (char)toupper((unsigned char)s[b + i]);
            plural_of(up, wl, pl, sizeof pl);
            if (pl[0]) {
                size_t pl_len = strlen(pl);
                char *buf = malloc(b + pl_len + 1);
                if (!buf) return -1;
                memcpy(buf, s, b);
                memcpy(buf + b, pl, pl_len);
                int rc = add_agent_phrase(r, buf, b + pl_len, agent, w);
                free(buf);
                if (rc) return rc;
            }
        }
    }
    return 0;
}

static int read_agents(reader *r) {
    mp_coder *c = r->c;
    VEC(subset) subs = {0};
    idvec w = {0};
    int rc, ret = 0;
    while ((rc = next_line(r, 1)) > 0) {
        char *s = skip_sp(r->buf);
        if (!*s) continue;
        char *b2e = *s == '!' ? strchr(s + 1, '!') : NULL;
        if (b2e && *skip_sp(b2e + 1) == '=') {  /* !NAME! = A, B, C */
            char *eq = strchr(s, '=');
            char *b2 = strchr(s + 1, '!');
            if (!eq || !b2 || b2 > eq || (size_t)(b2 - s + 1) >= sizeof subs.p[0].name) {
                bad(r, "bad substitution set (expected !NAME! = A, B)");
                continue;
            }
            subset ss = {{0}, {0}};
            memcpy(ss.name, s, (size_t)(b2 - s + 1));
            char *q = eq + 1;
            while (*q) {
                q = skip_sp(q);
                char *e = strchr(q, ',');
                size_t l = e ? (size_t)(e - q) : strlen(q);
                while (l && q[l - 1] == ' ') l--;
                if (l) {
                    char *alt = mp__arena_strndup(&c->arena, q, l);
                    if (!alt || VEC_PUSH(ss.alts, alt)) goto oom;
                }
                if (!e) break;
                q = e + 1;
            }
            if (VEC_PUSH(subs, ss)) goto oom;
            continue;
        }
        char *br = strchr(s, '[');
        if (!br) {
            bad(r, "agent without a [code]");
            continue;
        }
        char *e = strchr(br, ']');
        if (!e) {
            bad(r, "missing ']'");
            continue;
        }
        char *cs = skip_sp(br + 1);
        size_t cl = (size_t)(e - cs);
        while (cl && cs[cl - 1] == ' ') cl--;
        mp_agent ag = {0, 0, r->file, (uint32_t)r->line};
        if (cl >= 2 && cs[0] == '~') {
            ag.code = intern(&c->codes, cs + 1, cl - 1);
        } else if (cl >= 2 && cs[cl - 1] == '~') {
            ag.code = intern(&c->codes, cs, cl - 1);
            ag.prefix = 1;
        } else {
            bad(r, "agent code '%.*s' has no '~' (use [~ABC] or [ABC~])", (int)cl, cs);
            continue;
        }
        /* name and optional {plurals} */
        char *brace = strchr(s, '{');
        if (brace && brace > br) brace = NULL;
        size_t nl = (size_t)((brace ? brace : br) - s);
        while (nl && s[nl - 1] == ' ') nl--;
        if (!nl) {
            bad(r, "missing agent name");
            continue;
        }
        if (VEC_PUSH(c->agents, ag)) goto oom;
        uint32_t id = (uint32_t)c->agents.n - 1;
        int plural = 1;
        if (brace) {
            char *be = strchr(brace, '}');
            if (!be || be > br) {
                bad(r, "missing '}'");
                continue;
            }
            plural = 0;  /* {} or explicit plurals: no generated plural */
            char *q = brace + 1;
            while (q < be) {
                q = skip_sp(q);
                char *t = q;
                while (t < be && *t != ' ') t++;
                if (t > q && expand_agent(r, q, (size_t)(t - q), id, 0, subs.p, subs.n, &w, 0))
                    goto oom;
                q = t;
            }
        }
        if (expand_agent(r, s, nl, id, plural, subs.p, subs.n, &w, 0)) goto oom;
    }
    if (rc < 0) ret = -1;
    goto done;
oom:
    ret = -1;
done:
    for (size_t i = 0; i < subs.n; i++) free(subs.p[i].alts.p);
    free(subs.p);
    free(w.p);
    return ret;
}

/* ---- verbs --------------------------------------------------------------------------------- */
typedef struct {
    reader *r;
    int tabari;           /* stems by default */
    uint32_t block;       /* current block, MP_NONE if none */
    uint32_t syn;         /* synset being read, MP_NONE if none */
    int syn_exact;        /* its label ends in '_': no plurals for its members */
    idvec w, st;
} vreader;

/* Code text in [ ]: "---" none; "a:b" paired. */
static void parse_code(mp_coder *c, const char *s, size_t n, uint32_t *code, uint32_t *code2) {
    while (n && *s == ' ') s++, n--;
    while (n && s[n - 1] == ' ') n--;
    *code = *code2 = MP_NONE;
    if (!n || (n == 3 && !memcmp(s, "---", 3))) return;
    const char *colon = memchr(s, ':', n);
    if (colon) {
        size_t l1 = (size_t)(colon - s);
        if (l1 && !(l1 == 3 && !memcmp(s, "---", 3))) *code = intern(&c->codes, s, l1);
        size_t l2 = n - l1 - 1;
        if (l2 && !(l2 == 3 && !memcmp(colon + 1, "---", 3)))
            *code2 = intern(&c->codes, colon + 1, l2);
        if (*code == MP_NONE && *code2 != MP_NONE) {
            /* "[---:033]": keep the pairing with an empty first half */
            *code = intern(&c->codes, "---", 3);
        }
        return;
    }
    *code = intern(&c->codes, s, n);
}

static uint32_t new_block(vreader *v, const char *name, size_t nlen, uint32_t code,
                          uint32_t code2) {
    mp_coder *c = v->r->c;
    mp_vblock b = {.code = code, .code2 = code2, .name = intern_word(c, name, nlen),
                   .file = v->r->file, .line = (uint32_t)v->r->line};
    if (VEC_PUSH(c->blocks, b)) return MP_NONE;
    return (uint32_t)c->blocks.n - 1;
}

/* Regular forms of a verb: base, -S/-ES/-IES, -ED/-D/-IED, -ING. */
static int regular_forms(const char *w, size_t n, char out[4][80]) {
    if (n == 0 || n > 70) return 0;
    char last = w[n - 1], prev = n > 1 ? w[n - 2] : 0;
    int cons_y = last == 'Y' && prev && !strchr("AEIOU", prev);
    memcpy(out[0], w, n), out[0][n] = 0;
    /* third person */
    if (cons_y)
        snprintf(out[1], 80, "%.*sIES", (int)n - 1, w);
    else if (last == 'S' || last == 'X' || last == 'Z' || last == 'O' ||
             (last == 'H' && (prev == 'S' || prev == 'C')))
        snprintf(out[1], 80, "%.*sES", (int)n, w);
    else
        snprintf(out[1], 80, "%.*sS", (int)n, w);
    /* past */
    if (last == 'E')
        snprintf(out[2], 80, "%.*sD", (int)n, w);
    else if (cons_y)
        snprintf(out[2], 80, "%.*sIED", (int)n - 1, w);
    else
        snprintf(out[2], 80, "%.*sED", (int)n, w);
    /* gerund */
    if (last == 'E' && prev != 'E' && n > 2)
        snprintf(out[3], 80, "%.*sING", (int)n - 1, w);
    else
        snprintf(out[3], 80, "%.*sING", (int)n, w);
    return 4;
}

/* Add one verb form "A_+B_C": head is the word marked '+', else the first. */
static int add_vform(vreader *v, const char *s, size_t n, uint32_t code, uint32_t code2,
                     const char *headform, size_t headlen, int shape) {
    mp_coder *c = v->r->c;
    /* split into words, remember which has '+' */
    size_t hi = 0, nw = 0;
    v->w.n = v->st.n = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '_')) i++;
        if (i >= n) break;
        int plus = s[i] == '+';
        if (plus) i++;
        size_t b = i;
        while (i < n && s[i] != ' ' && s[i] != '_') i++;
        if (i == b) continue;
        if (plus) hi = nw;
        int exact = i < n && s[i] == '_' && (i + 1 >= n || s[i + 1] == ' ');
        uint32_t id;
        if (plus && headform)
            id = intern_word(c, headform, headlen);
        else
            id = intern_word(c, s + b, i - b);
        if (id == MP_NONE || VEC_PUSH(v->w, id) ||
            VEC_PUSH(v->st, (uint32_t)(v->tabari && !exact)))
            return -1;
        nw++;
    }
    if (!nw) return 0;
    if (headform && !memchr(s, '+', n)) v->w.p[0] = intern_word(c, headform, headlen);
    mp_vform f = {0};
    f.head = v->w.p[hi];
    f.block = v->block;
    f.code = code;
    f.code2 = code2;
    f.stem = (uint8_t)v->st.p[hi];
    f.shape = (uint8_t)shape;
    f.file = v->r->file;
    f.line = (uint32_t)v->r->line;
    f.pre = (uint32_t)c->wordpool.n;
    f.npre = (uint32_t)hi;
    for (size_t k = 0; k < hi; k++)
        if (VEC_PUSH(c->wordpool, v->w.p[k])) return -1;
    f.post = (uint32_t)c->wordpool.n;
    f.npost = (uint32_t)(nw - hi - 1);
    for (size_t k = hi + 1; k < nw; k++)
        if (VEC_PUSH(c->wordpool, v->w.p[k])) return -1;
    mp_u64map *m = f.stem ? &c->stem_head : &c->verb_head;
    f.next = mp__u64map_get(m, (uint64_t)f.head + 1);
    if (VEC_PUSH(c->vforms, f)) return -1;
    if (mp__u64map_put(m, (uint64_t)f.head + 1, (uint32_t)c->vforms.n - 1)) return -1;
    if (f.stem) {
        size_t hl = c->words.keys[f.head].len;
        if (hl < 32) c->stem_lens |= 1u << hl;
    }
    return 0;
}

/* An irregular form is finite (BROKE, LEFT) unless it ends in -ING. */
static int irregular_shape(const char *s, size_t n) {
    while (n && (s[n - 1] == '_' || s[n - 1] == ' ')) n--;
    const char *e = s + n;
    const char *w = e;
    while (w > s && w[-1] != '_' && w[-1] != ' ') w--;
    if (e - w > 3 && !strncasecmp(e - 3, "ING", 3)) return VF_ING;
    return VF_FINITE;
}

/* A verb line: FORM {IRREG FORMS} [code]. */
static int read_verb_line(vreader *v, char *s) {
    mp_coder *c = v->r->c;
    uint32_t code = MP_NONE, code2 = MP_NONE;
    char *br = strchr(s, '[');
    char *brace = strchr(s, '{');
    if (br) {
        char *e = strchr(br, ']');
        if (!e) {
            bad(v->r, "missing ']'");
            return 0;
        }
        parse_code(c, br + 1, (size_t)(e - br - 1), &code, &code2);
        /* a verb's own [---]: this verb codes nothing by itself, whatever
         * the block's code (kept as the code "---", which makes no event) */
        if (code == MP_NONE && code2 == MP_NONE) code = intern(&c->codes, "---", 3);
        if (brace && brace > br) brace = NULL;
    }
    size_t nl = (size_t)((brace ? brace : br ? br : s + strlen(s)) - s);
    while (nl && s[nl - 1] == ' ') nl--;
    if (!nl) {
        bad(v->r, "missing verb");
        return 0;
    }
    if (v->tabari || v->block == MP_NONE) {
        /* TABARI: every verb line is a block of its own */
        if (!v->tabari) bad(v->r, "verb outside a '--- NAME [code] ---' block; starting one");
        char *nm = s;
        size_t l = nl;
        if (*nm == '+') nm++, l--;
        v->block = new_block(v, nm, l, code, code2);
        if (v->block == MP_NONE) return -1;
        code = code2 = MP_NONE;
    }
    /* regular forms of the head */
    const char *plus = memchr(s, '+', nl);
    const char *hb, *he;
    if (plus) {
        hb = plus + 1;
    } else {
        hb = s;
    }
    he = hb;
    while (he < s + nl && *he != ' ' && *he != '_') he++;
    char up[80];
    size_t hl = (size_t)(he - hb);
    if (hl == 0 || hl >= sizeof up) {
        bad(v->r, "bad verb '%.*s'", (int)nl, s);
        return 0;
    }
    for (size_t i = 0; i < hl; i++) up[i] = (char)toupper((unsigned char)hb[i]);
    if (v->tabari) {
        if (add_vform(v, s, nl, code, code2, NULL, 0, VF_BASE)) return -1;
    } else {
        static const int shapes[4] = {VF_BASE, VF_FINITE, VF_FINITE, VF_ING};
        char forms[4][80];
        int nf = regular_forms(up, hl, forms);
        for (int k = 0; k < nf; k++)
            if (add_vform(v, s, nl, code, code2, forms[k], strlen(forms[k]), shapes[k])) return -1;
    }
    if (brace) {
        char *be = strchr(brace, '}');
        if (!be) {
            bad(v->r, "missing '}'");
            return 0;
        }
        char *q = brace + 1;
        while (q < be) {
            q = skip_sp(q);
            char *t = q;
            while (t < be && *t != ' ') t++;
            if (t > q) {
                /* an irregular form may itself be multiword with '+' */
                if (memchr(q, '_', (size_t)(t - q)) || *q == '+') {
                    if (add_vform(v, q, (size_t)(t - q), code, code2, NULL, 0, irregular_shape(q, (size_t)(t - q))))
                        return -1;
                } else {
                    /* single word: replaces the head of a multiword verb */
                    char tmp[200];
                    size_t tl = (size_t)(t - q);
                    if (plus || memchr(s, '_', nl) || memchr(s, ' ', nl)) {
                        if (tl < sizeof tmp) {
                            memcpy(tmp, q, tl);
                            if (add_vform(v, s, nl, code, code2, tmp, tl, irregular_shape(tmp, tl)))
                                return -1;
                        }
                    } else if (add_vform(v, q, tl, code, code2, NULL, 0, irregular_shape(q, tl))) {
                        return -1;
                    }
                }
            }
            q = t;
        }
    }
    return 0;
}

/* Compile a phrase into elements appended to c->elems.  Returns 0 or -1 OOM;
 * *err set to a message when the phrase is malformed. */
typedef struct {
    uint32_t first, n;
} span32;

static uint32_t syn_ref(mp_coder *c, const char *name, size_t n) {
    char up[128];
    while (n && name[n - 1] == '_') n--;
    if (n >= sizeof up) n = sizeof up - 1;
    for (size_t i = 0; i < n; i++) up[i] = (char)toupper((unsigned char)name[i]);
    /* trailing '_' in "&PREPOSIT1_" is part of the name in the file */
    uint32_t id = mp__strmap_get(&c->synnames, up, n);
    if (id != MP_NONE) return id;
    id = mp__strmap_put(&c->synnames, up, n, (uint32_t)c->synsets.n);
    if (id == (uint32_t)c->synsets.n) {
        mp_synset s = {0, 0, 0, 0};
        if (VEC_PUSH(c->synsets, s)) return MP_NONE;
    }
    return id;
}

static int compile_phrase(vreader *v, const char *s, size_t n, int *saw_star, span32 *up,
                          span32 *lo, const char **err);

/* Alternatives "{ a | b }" become an anonymous synset. */
static uint32_t alt_synset(vreader *v, const char *s, size_t n, const char **err) {
    mp_coder *c = v->r->c;
    mp_synset sy = {0, 0, 0, 0};
    if (VEC_PUSH(c->synsets, sy)) return MP_NONE;
    uint32_t id = (uint32_t)c->synsets.n - 1;
    VEC(uint32_t) mem = {0};
    size_t i = 0;
    while (i <= n) {
        size_t b = i;
        while (i < n && s[i] != '|') i++;
        span32 a, dummy;
        int star = 0;
        size_t before = c->members.n;
        (void)before;
        if (compile_phrase(v, s + b, i - b, &star, &a, &dummy, err)) {
            free(mem.p);
            return MP_NONE;
        }
        if (*err) break;
        if (a.n) {
            mp_member m = {a.first, a.n};
            if (VEC_PUSH(c->members, m) || VEC_PUSH(mem, (uint32_t)c->members.n - 1)) {
                free(mem.p);
                return MP_NONE;
            }
        }
        i++;
    }
    c->synsets.p[id].first = (uint32_t)c->syn_members.n;
    c->synsets.p[id].n = (uint32_t)mem.n;
    for (size_t k = 0; k < mem.n; k++)
        if (VEC_PUSH(c->syn_members, mem.p[k])) {
            free(mem.p);
            return MP_NONE;
        }
    free(mem.p);
    return id;
}

/* Phrase grammar: items separated by spaces (open) or '_' (closed).  An item
 * is a word, '*', '$', '+', '%', '^', '&SYN' or '{ ... | ... }'.  Elements
 * before '*' go to up (stored nearest-first), after it to lo.  With no '*'
 * everything goes to up in reading order (used for synset members). */
static int compile_phrase(vreader *v, const char *s, size_t n, int *saw_star, span32 *up,
                          span32 *lo, const char **err) {
    mp_coder *c = v->r->c;
    VEC(mp_pelem) tmp = {0};
    int star_at = -1;
    int open = 1;          /* connector before the next item */
    int star_open_after = 1;
    size_t i = 0;
    *err = NULL;
    while (i < n) {
        char ch = s[i];
        if (ch == ' ') {
            open = 1;
            i++;
            continue;
        }
        if (ch == '_') {
            open = 0;
            i++;
            continue;
        }
        mp_pelem e = {0, (uint8_t)open, 0, 0};
        if (ch == '*') {
            if (star_at >= 0) {
                *err = "more than one '*'";
                break;
            }
            star_at = (int)tmp.n;
            /* connector before '*' is recorded on the next upper element */
            if (tmp.n) tmp.p[tmp.n - 1].open = tmp.p[tmp.n - 1].open; /* no-op */
            e.type = 0;  /* marker */
            e.open = (uint8_t)open;
            if (VEC_PUSH(tmp, e)) goto oom;
            i++;
            open = 1;
            star_open_after = 1;
            if (i < n && s[i] == '_') star_open_after = 0;
            continue;
        }
        if (ch == '$' || ch == '+' || ch == '%' || ch == '^') {
            e.type = ch == '$' ? PE_SRC : ch == '+' ? PE_TGT : ch == '%' ? PE_CMP : PE_SKIP;
            i++;
        } else if (ch == '&') {
            size_t b = ++i;
            while (i < n && s[i] != ' ' && s[i] != '_') i++;
            size_t l = i - b;
            if (!l) {
                *err = "empty synset name after '&'";
                break;
            }
            e.type = PE_SYN;
            e.arg = syn_ref(c, s + b, l);
            if (e.arg == MP_NONE) goto oom;
        } else if (ch == '{') {
            const char *close = memchr(s + i, '}', n - i);
            if (!close) {
                *err = "missing '}'";
                break;
            }
            e.type = PE_SYN;
            e.arg = alt_synset(v, s + i + 1, (size_t)(close - s - i - 1), err);
            if (e.arg == MP_NONE) goto oom;
            if (*err) break;
            i = (size_t)(close - s) + 1;
        } else {
            size_t b = i;
            while (i < n && s[i] != ' ' && s[i] != '_' && s[i] != '*' && s[i] != '{') i++;
            int exact = i < n && s[i] == '_' && (i + 1 >= n || s[i + 1] == ' ');
            e.type = PE_WORD;
            e.stem = (uint8_t)(v->tabari && !exact);
            e.arg = intern_word(c, s + b, i - b);
            if (e.arg == MP_NONE) goto oom;
        }
        if (VEC_PUSH(tmp, e)) goto oom;
        open = 1;
    }
    *saw_star = star_at >= 0;
    if (*err) {
        free(tmp.p);
        return 0;
    }
    /* emit: upper nearest-first; lower in order */
    size_t ns = star_at >= 0 ? (size_t)star_at : tmp.n;
    if (VEC_RESERVE(c->elems, tmp.n)) goto oom;
    up->first = (uint32_t)c->elems.n;
    up->n = (uint32_t)ns;
    if (star_at >= 0) {
        /* open flag of upper element k (nearest first) = connector between it
         * and the thing nearer the verb: for the nearest, the connector
         * before '*'; else the connector before the following item. */
        for (size_t k = 0; k < ns; k++) {
            size_t idx = ns - 1 - k;
            mp_pelem e = tmp.p[idx];
            e.open = tmp.p[idx + 1].open;  /* idx+1 is '*' marker or next upper */
            c->elems.p[c->elems.n++] = e;
        }
    } else {
        /* a synset member: its first word is where the member is matched */
        for (size_t k = 0; k < ns; k++) c->elems.p[c->elems.n++] = tmp.p[k];
        if (ns) c->elems.p[c->elems.n - ns].open = 0;
    }
    lo->first = (uint32_t)c->elems.n;
    lo->n = 0;
    if (star_at >= 0) {
        for (size_t k = (size_t)star_at + 1; k < tmp.n; k++) {
            mp_pelem e = tmp.p[k];
            if (k == (size_t)star_at + 1) e.open = (uint8_t)star_open_after;
            c->elems.p[c->elems.n++] = e;
            lo->n++;
        }
    }
    free(tmp.p);
    return 0;
oom:
    free(tmp.p);
    return -1;
}

static int read_pattern(vreader *v, char *s) {
    mp_coder *c = v->r->c;
    if (v->block == MP_NONE) {
        bad(v->r, "pattern with no verb before it");
        return 0;
    }
    char *br = strrchr(s, '[');
    if (!br) {
        bad(v->r, "pattern without a [code]");
        return 0;
    }
    char *e = strchr(br, ']');
    if (!e) {
        bad(v->r, "missing ']'");
        return 0;
    }
    mp_pattern p = {0};
    parse_code(c, br + 1, (size_t)(e - br - 1), &p.code, &p.code2);
    span32 up, lo;
    int star = 0;
    const char *err = NULL;
    size_t before = c->elems.n;
    if (compile_phrase(v, s, (size_t)(br - s), &star, &up, &lo, &err)) return -1;
    if (!err && !star) err = "pattern has no '*' for the verb";
    if (err) {
        c->elems.n = before;
        bad(v->r, "%s", err);
        return 0;
    }
    p.up = up.first, p.nup = up.n, p.lo = lo.first, p.nlo = lo.n;
    p.file = v->r->file;
    p.line = (uint32_t)v->r->line;
    p.weight = (uint16_t)(up.n + lo.n);
    if (VEC_PUSH(c->patterns, p)) return -1;
    /* block_pats is filled at ready time from pattern->block: remember it */
    uint32_t pid = (uint32_t)c->patterns.n - 1;
    if (VEC_PUSH(c->block_pats, pid) || VEC_PUSH(c->block_pats, v->block)) return -1;
    return 0;
}

static int read_syn_member(vreader *v, char *s) {
    mp_coder *c = v->r->c;
    span32 up, lo;
    int star = 0;
    const char *err = NULL;
    if (compile_phrase(v, s, strlen(s), &star, &up, &lo, &err)) return -1;
    if (!err && star) err = "'*' inside a synset member";
    if (err) {
        bad(v->r, "%s", err);
        return 0;
    }
    if (!up.n) return 0;
    mp_member m = {up.first, up.n};
    if (VEC_PUSH(c->members, m)) return -1;
    /* member ids per synset are gathered at ready; store pairs */
    if (VEC_PUSH(c->syn_pairs, (uint32_t)c->members.n - 1) || VEC_PUSH(c->syn_pairs, v->syn))
        return -1;
    /* PETRARCH-1: a member ending in a plain word also matches its regular
     * plural, unless the member or the synset's label ends in '_' */
    size_t sl = strlen(s);
    const mp_pelem *last = &c->elems.p[up.first + up.n - 1];
    if (!v->tabari && !v->syn_exact && sl && s[sl - 1] != '_' && last->type == PE_WORD) {
        const char *w = c->words.keys[last->arg].s;
        size_t wl = c->words.keys[last->arg].len;
        char pl[136];
        if (wl + 4 < sizeof pl && wl && w[wl - 1] != 'S') {
            plural_of(w, wl, pl, sizeof pl);
            uint32_t pid = intern_word(c, pl, strlen(pl));
            if (pid == MP_NONE || VEC_RESERVE(c->elems, up.n)) return -1;
            mp_member pm = {(uint32_t)c->elems.n, up.n};
            for (uint32_t k = 0; k < up.n; k++) c->elems.p[c->elems.n++] = c->elems.p[up.first + k];
            c->elems.p[c->elems.n - 1].arg = pid;
            if (VEC_PUSH(c->members, pm) || VEC_PUSH(c->syn_pairs, (uint32_t)c->members.n - 1) ||
                VEC_PUSH(c->syn_pairs, v->syn))
                return -1;
        }
    }
    return 0;
}

static int read_verbs(reader *r) {
    mp_coder *c = r->c;
    vreader v = {r, 1, MP_NONE, MP_NONE, 0, {0}, {0}};
    /* PETRARCH-1 format if any line is a "--- NAME ---" header */
    for (const char *p = r->p; p < r->end;) {
        const char *e = memchr(p, '\n', (size_t)(r->end - p));
        if (!e) e = r->end;
        if (e - p >= 3 && !memcmp(p, "---", 3)) {
            v.tabari = 0;
            break;
        }
        p = e + 1;
    }
    int rc, ret = 0;
    while ((rc = next_line(r, 1)) > 0) {
        char *s = r->buf;
        if (v.tabari) {  /* TABARI comments start with ';' */
            char *semi = strchr(s, ';');
            if (semi) {
                *semi = 0;
                r->len = (size_t)(semi - s);
                while (r->len && s[r->len - 1] == ' ') s[--r->len] = 0;
            }
        }
        s = skip_sp(s);
        if (!*s) {
            v.syn = MP_NONE;
            continue;
        }
        int err = 0;
        if (!strncmp(s, "---", 3) && r->len >= 6) {
            /* --- NAME [code] ... --- */
            char *body = s + 3;
            char *end = s + strlen(s);
            if (end - body >= 3 && !memcmp(end - 3, "---", 3)) end -= 3;
            *end = 0;
            char *br = strchr(body, '[');
            uint32_t code = MP_NONE, code2 = MP_NONE;
            if (br) {
                char *e = strchr(br, ']');
                if (!e) {
                    bad(r, "missing ']' in block header");
                    continue;
                }
                parse_code(c, br + 1, (size_t)(e - br - 1), &code, &code2);
            }  /* no [code]: the block codes nothing by default, as [---] */
            char *nm = skip_sp(body);
            size_t nl = (size_t)((br ? br : end) - nm);
            while (nl && nm[nl - 1] == ' ') nl--;
            v.syn = MP_NONE;
            v.block = new_block(&v, nm, nl, code, code2);
            if (v.block == MP_NONE) goto oom;
            continue;
        }
        if (*s == '&') {
            size_t l = 1;
            while (s[l] && s[l] != ' ') l++;
            v.syn = syn_ref(c, s + 1, l - 1);
            v.syn_exact = l > 1 && s[l - 1] == '_';
            if (v.syn == MP_NONE) goto oom;
            continue;
        }
        if (*s == '+' && v.syn != MP_NONE) {
            err = read_syn_member(&v, skip_sp(s + 1));
        } else if (*s == '-') {
            v.syn = MP_NONE;
            err = read_pattern(&v, s + 1);
        } else {
            v.syn = MP_NONE;
            err = read_verb_line(&v, s);
        }
        if (err) goto oom;
    }
    if (rc < 0) ret = -1;
    goto done;
oom:
    ret = -1;
done:
    free(v.w.p);
    free(v.st.p);
    return ret;
}

/* ---- discards -------------------------------------------------------------------------------- */
static int read_discards(reader *r) {
    mp_coder *c = r->c;
    idvec w = {0};
    int rc;
    while ((rc = next_line(r, 1)) > 0) {
        char *s = skip_sp(r->buf);
        if (!*s) continue;
        int story = *s == '+';
        if (story) s = skip_sp(s + 1);
        if (split_name(c, s, strlen(s), &w, NULL, 0)) goto oom;
        if (!w.n) {
            bad(r, "empty discard phrase");
            continue;
        }
        uint32_t node = trie_add(&c->discard_trie, w.p, w.n);
        if (node == MP_NONE) goto oom;
        mp_discard d = {(uint8_t)story, r->file, (uint32_t)r->line};
        if (VEC_PUSH(c->discards, d)) goto oom;
        c->discard_trie.node_val[node] = (uint32_t)c->discards.n - 1;
    }
    free(w.p);
    return rc < 0 ? -1 : 0;
oom:
    free(w.p);
    return -1;
}

/* ---- issues: PETRARCH issue lists, loaded and counted ---------------------------------------- */
static int read_issues(reader *r) {
    int rc;
    while ((rc = next_line(r, 1)) > 0) {
        char *s = skip_sp(r->buf);
        if (!*s || *s == '<' || *s == '~') continue;
        char *br = strchr(s, '[');
        if (!br || !strchr(br, ']')) {
            bad(r, "issue phrase without [CATEGORY]");
            continue;
        }
        r->c->issues++;
    }
    return rc < 0 ? -1 : 0;
}

/* ---- options --------------------------------------------------------------------------------- */
void mp__opts_default(mp_opts *o) {
    o->require_dyad = 1;
    o->new_actor_length = 0;
    o->comma_min = 2;
    o->comma_max = 8;
    o->comma_bmin = 0;
    o->comma_bmax = 0;
    o->comma_emin = 2;
    o->comma_emax = 8;
    o->max_tokens = 1000;
    o->enrich = 1;
    o->strict = 0;
    o->announced = -1;
}

static int parse_bool(const char *v, int *out) {
    if (!strcasecmp(v, "true") || !strcmp(v, "1") || !strcasecmp(v, "yes") || !strcasecmp(v, "on"))
        *out = 1;
    else if (!strcasecmp(v, "false") || !strcmp(v, "0") || !strcasecmp(v, "no") ||
             !strcasecmp(v, "off"))
        *out = 0;
    else
        return -1;
    return 0;
}

static int parse_int(const char *v, int *out) {
    char *e;
    errno = 0;
    long x = strtol(v, &e, 10);
    if (e == v || *e || errno || x < 0 || x > 1000000) return -1;
    *out = (int)x;
    return 0;
}

int mp__opts_set(mp_opts *o, const char *name, const char *value) {
    static const struct {
        const char *name;
        size_t off;
    } ints[] = {
        {"new_actor_length", offsetof(mp_opts, new_actor_length)},
        {"comma_min", offsetof(mp_opts, comma_min)},
        {"comma_max", offsetof(mp_opts, comma_max)},
        {"comma_bmin", offsetof(mp_opts, comma_bmin)},
        {"comma_bmax", offsetof(mp_opts, comma_bmax)},
        {"comma_emin", offsetof(mp_opts, comma_emin)},
        {"comma_emax", offsetof(mp_opts, comma_emax)},
        {"max_tokens", offsetof(mp_opts, max_tokens)},
    };
    if (!strcmp(name, "require_dyad")) return parse_bool(value, &o->require_dyad) ? MP_ERR_OPTION : MP_OK;
    if (!strcmp(name, "strict")) return parse_bool(value, &o->strict) ? MP_ERR_OPTION : MP_OK;
    if (!strcmp(name, "enrich")) return parse_bool(value, &o->enrich) ? MP_ERR_OPTION : MP_OK;
    if (!strcmp(name, "announced")) {
        if (!strcasecmp(value, "auto")) {
            o->announced = -1;
            return MP_OK;
        }
        return parse_bool(value, &o->announced) ? MP_ERR_OPTION : MP_OK;
    }
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        if (!strcmp(name, ints[i].name)) {
            int v;
            if (parse_int(value, &v)) return MP_ERR_OPTION;
            if (!strcmp(name, "max_tokens") && v < 1) return MP_ERR_OPTION;
            *(int *)((char *)o + ints[i].off) = v;
            return MP_OK;
        }
    return MP_ERR_OPTION;
}

static int read_options(reader *r) {
    int rc;
    while ((rc = next_line(r, 1)) > 0) {
        char *s = skip_sp(r->buf);
        if (!*s || *s == ';' || *s == '[' || !strncmp(s, "//", 2)) continue;
        char *eq = strchr(s, '=');
        if (!eq) eq = strchr(s, ':');
        if (!eq) {
            bad(r, "expected 'name = value'");
            continue;
        }
        char *ne = eq;
        while (ne > s && ne[-1] == ' ') ne--;
        *ne = 0;
        char *val = skip_sp(eq + 1);
        for (char *p = s; *p; p++) *p = (char)tolower((unsigned char)*p);
        int orc = mp__opts_set(&r->c->opts, s, val);
        if (orc) {
            bad(r, "unknown option or bad value: %s = %s", s, val);
        }
    }
    return rc < 0 ? -1 : 0;
}

/* ---- entry points ------------------------------------------------------------------------------ */
static int load_text(mp_coder *c, int kind, const char *name, const char *text, size_t len) {
    if (c->ready) return MP_ERR_STATE;
    reader r = {0};
    r.c = c;
    r.fname = name;
    uint32_t fid = intern(&c->files, name, strlen(name));
    if (fid == MP_NONE) return MP_ERR_NOMEM;
    r.file = (uint16_t)fid;
    r.p = text;
    r.end = text + len;
    int rc;
    switch (kind) {
    case MP_DICT_ACTORS: rc = read_actors(&r); break;
    case MP_DICT_AGENTS: rc = read_agents(&r); break;
    case MP_DICT_VERBS: rc = read_verbs(&r); break;
    case MP_DICT_DISCARDS: rc = read_discards(&r); break;
    case MP_DICT_ISSUES: rc = read_issues(&r); break;
    default: rc = read_options(&r); break;
    }
    free(r.buf);
    if (rc) return MP_ERR_NOMEM;
    if (kind < MP_DICT_NKINDS) c->loaded[kind] = 1;
    if (r.bad && c->opts.strict) return MP_ERR_SYNTAX;
    return MP_OK;
}

int mp__load_builtin_text(mp_coder *c, mp_dict_kind kind, const char *name, const char *text,
                          size_t len) {
    return load_text(c, (int)kind, name, text, len);
}

static int load_file(mp_coder *c, int kind, const char *path) {
    if (!c || !path) return MP_ERR_STATE;
    FILE *f = fopen(path, "rb");
    if (!f) {
        mp__diag(c, MP_ERROR, path, 0, "cannot open: %s", strerror(errno));
        return MP_ERR_IO;
    }
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 65536 > cap && mp__grow((void **)&buf, &cap, n + 65536, 1)) {
            free(buf);
            fclose(f);
            return MP_ERR_NOMEM;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        mp__diag(c, MP_ERROR, path, 0, "read error");
        return MP_ERR_IO;
    }
    int rc = load_text(c, kind, path, buf, n);
    free(buf);
    return rc;
}

int mp_coder_load(mp_coder *c, mp_dict_kind kind, const char *path) {
    if ((int)kind < 0 || kind >= MP_DICT_NKINDS) return MP_ERR_STATE;
    return load_file(c, (int)kind, path);
}

int mp_coder_load_options(mp_coder *c, const char *path) {
    return load_file(c, MP_DICT_NKINDS, path);
}

int mp_coder_set_option(mp_coder *c, const char *name, const char *value) {
    if (!c || !name || !value) return MP_ERR_OPTION;
    return mp__opts_set(&c->opts, name, value);
}

/* ---- ready: finish the tables ----------------------------------------------------------------------- */
typedef struct {
    uint32_t block, weight, pid;
} pb;

static int cmp_pb(const void *a, const void *b) {
    const pb *x = a, *y = b;
    if (x->block != y->block) return x->block < y->block ? -1 : 1;
    if (x->weight != y->weight) return x->weight > y->weight ? -1 : 1;
    return x->pid < y->pid ? -1 : x->pid > y->pid;
}

typedef struct {
    uint32_t syn, mem;
} ms;
static int cmp_ms(const void *a, const void *b) {
    const ms *x = a, *y = b;
    if (x->syn != y->syn) return x->syn < y->syn ? -1 : 1;
    return x->mem < y->mem ? -1 : x->mem > y->mem;
}

/* Group patterns by block (longest first) and synset members by synset. */
int mp__dict_finish(mp_coder *c) {
    size_t np = c->block_pats.n / 2;
    pb *v = malloc((np ? np : 1) * sizeof *v);
    if (!v) return MP_ERR_NOMEM;
    for (size_t i = 0; i < np; i++) {
        v[i].pid = c->block_pats.p[2 * i];
        v[i].block = c->block_pats.p[2 * i + 1];
        v[i].weight = c->patterns.p[v[i].pid].weight;
    }
    qsort(v, np, sizeof *v, cmp_pb);
    for (size_t b = 0; b < c->blocks.n; b++) c->blocks.p[b].npat = 0;
    for (size_t i = 0; i < np; i++) {
        mp_vblock *bl = &c->blocks.p[v[i].block];
        if (!bl->npat) bl->pat_first = (uint32_t)i;
        bl->npat++;
        c->block_pats.p[i] = v[i].pid;
    }
    c->block_pats.n = np;
    free(v);

    /* anonymous synsets point into syn_members; named ones have pairs */
    size_t npairs = c->syn_pairs.n / 2;
    ms *m = malloc((npairs ? npairs : 1) * sizeof *m);
    uint32_t *tab = malloc((c->syn_members.n + npairs + 1) * sizeof *tab);
    if (!m || !tab) {
        free(m);
        free(tab);
        return MP_ERR_NOMEM;
    }
    for (size_t i = 0; i < npairs; i++) {
        m[i].mem = c->syn_pairs.p[2 * i];
        m[i].syn = c->syn_pairs.p[2 * i + 1];
    }
    qsort(m, npairs, sizeof *m, cmp_ms);
    size_t o = 0, k = 0;
    for (uint32_t s = 0; s < c->synsets.n; s++) {
        mp_synset *sy = &c->synsets.p[s];
        uint32_t first = (uint32_t)o;
        for (uint32_t j = 0; j < sy->n; j++) tab[o++] = c->syn_members.p[sy->first + j];
        while (k < npairs && m[k].syn < s) k++;
        while (k < npairs && m[k].syn == s) tab[o++] = m[k++].mem;
        sy->first = first;
        sy->n = (uint32_t)(o - first);
    }
    free(m);
    free(c->syn_members.p);
    c->syn_members.p = tab;
    c->syn_members.n = c->syn_members.cap = o;
    c->syn_pairs.n = 0;
    return MP_OK;
}
