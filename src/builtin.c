/*
 * builtin.c -- the project's own dictionaries, compiled into the library.
 *
 * The files under data/ are turned into byte arrays at build time by
 * tools/embed.c (see the Makefile), so that a coder works out of the box
 * with no files to find at run time.  A dictionary kind loaded from a file
 * replaces the built-in one of that kind.
 */
#include "internal.h"

extern const char mp__builtin_actors[], mp__builtin_agents[], mp__builtin_verbs[],
    mp__builtin_discards[], mp__builtin_options[];
extern const size_t mp__builtin_actors_len, mp__builtin_agents_len, mp__builtin_verbs_len,
    mp__builtin_discards_len, mp__builtin_options_len;

int mp_coder_load_builtin(mp_coder *c) {
    static const struct {
        mp_dict_kind kind;
        const char *name;
        const char *text;
        const size_t *len;
    } files[] = {
        {MP_DICT_ACTORS, "builtin:actors.txt", mp__builtin_actors, &mp__builtin_actors_len},
        {MP_DICT_AGENTS, "builtin:agents.txt", mp__builtin_agents, &mp__builtin_agents_len},
        {MP_DICT_VERBS, "builtin:verbs.txt", mp__builtin_verbs, &mp__builtin_verbs_len},
        {MP_DICT_DISCARDS, "builtin:discards.txt", mp__builtin_discards,
         &mp__builtin_discards_len},
    };
    if (!c) return MP_ERR_STATE;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        if (c->loaded[files[i].kind]) continue;
        int rc = mp__load_builtin_text(c, files[i].kind, files[i].name, files[i].text,
                                       *files[i].len);
        if (rc) return rc;
        if (files[i].kind == MP_DICT_VERBS) c->builtin_verbs = 1;
        if (files[i].kind == MP_DICT_AGENTS) c->builtin_agents = 1;
    }
    return MP_OK;
}

int mp_coder_load_builtin_options(mp_coder *c) {
    if (!c) return MP_ERR_STATE;
    return mp__load_builtin_text(c, MP_DICT_NKINDS, "builtin:options.txt", mp__builtin_options,
                                 mp__builtin_options_len);
}
