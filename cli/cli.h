/*
 * cli.h -- what the magpie commands share: diagnostics printed as
 * file:line, dictionary options, reading JSON-lines documents, writing
 * events.  Only the command line (cli/) includes it.
 */
#ifndef MAGPIE_CLI_H
#define MAGPIE_CLI_H

#include <stdio.h>

#include "json.h"
#include "magpie.h"

/* exit status of every command (see README) */
enum { EXIT_REJECTED = 1, EXIT_USAGE = 2, EXIT_FATAL = 3 };

typedef struct {
    size_t errors, warnings;
    int quiet_info;
} diagstate;

typedef struct {
    const char *files[MP_DICT_NKINDS][32];
    int nfiles[MP_DICT_NKINDS];
    const char *options_file;
    const char *sets[64];
    int nsets;
    int strict;
    const char *gazetteer;  /* --gazetteer FILE; NULL: the default one, if there */
    int no_gazetteer;       /* --no-gazetteer */
} dictopts;

typedef enum { FMT_JSONL, FMT_TSV, FMT_GDELT } outfmt;

typedef struct {
    json_parser *jp;
    char *line;
    size_t cap;
    char idbuf[64];
} docreader;

typedef struct {
    const char *fname;
    long line;
    int status;
} docdiag;

/* Library diagnostics (ud: a diagstate) printed as file:line: severity: message. */
void on_diag(void *ud, mp_severity sev, const char *file, long line, const char *msg);
/* Consume the dictionary option at argv[*i]: 1 if it was one, 0 if not, -1 if malformed. */
int dict_arg(dictopts *o, int argc, char **argv, int *i);
/* A ready coder from the options (built-ins for kinds not given); NULL after
 * reporting why.  The caller owns it. */
mp_coder *make_coder(const dictopts *o, diagstate *ds);
int parse_date(const char *s, size_t n, int *out /* OUT */);
/* Append one event to b as a JSON line or a TSV line. */
void write_event(jbuf *b, const mp_event *e, const char *text, outfmt fmt);
/* GDELT's ten actor columns for a CAMEO actor code and its words (no final tab). */
void put_gdelt_actor(jbuf *b, const char *code, const char *name);
/* Write b to stdout and empty it; -1 (reported) on a write error or OOM. */
int flush_out(jbuf *b);
/* One JSON line: 1 with *root (borrowed from r), 0 blank, -1 rejected (reported), -2 EOF. */
int read_json_line(docreader *r, FILE *f, const char *fname, long *lineno, const jv **root);
/* The record's id as text (borrowed; a number's raw text, or "line-N"). */
const char *doc_id(docreader *r, const jv *root, long lineno);
/* Monotonic seconds. */
double now(void);
/* Per-document diagnostics (ud: a docdiag) printed as file:line of the input record. */
void on_doc_diag(void *ud, mp_severity sev, const char *file, long line, const char *msg);

/* Called for each document; record is its JSON object (NULL for a --text
 * file).  Nonzero stops the loop as a fatal error. */
typedef int (*doc_fn)(void *ud, mp_doc *d, docdiag *dd, const jv *record);
/* Read documents from f: JSON lines, or the whole file as one document in
 * text mode.  Bad lines are reported as fname:line and counted in *rejected,
 * with *status set to EXIT_REJECTED; every other document goes to fn.
 * Returns 0, or -1 if fn failed or memory ran out. */
int read_docs(FILE *f, const char *fname, int text_mode, doc_fn fn, void *ud, int *status,
              size_t *rejected);

/* The event store commands (store.c): argv after the command name. */
int cmd_eval(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_export(int argc, char **argv);

#endif
