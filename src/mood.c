/* mood.c -- the code of an action that is announced, not done.
 *
 * CAMEO codes a promise apart from the deed: "Gondor sent aid to Rohan" is
 * 070 (provide aid), "Gondor will send aid to Rohan" is 033 (express intent
 * to provide aid); "Mordor will cut off aid unless Rohan yields" is a threat,
 * 1311, not the cut itself (1621).  The dictionaries code verbs by what they
 * do, so the coder (coder.c) finds the mood -- a future or intent word before
 * the verb, a condition after it -- and asks this table for the code the
 * announced action takes.
 *
 * Two tables, each from a CAMEO code (or its three-digit parent) to the code
 * of the announcement:
 *
 *     done (04-08 cooperation)      announced: intent (03)
 *     040-046 consult, visit, meet    036 (045 mediate: 039)
 *     050, 054 diplomatic, recognise  032
 *     06x material cooperation        031x
 *     07x aid                         033x
 *     08x yield                       034x, 035x
 *
 *     done (16-20 conflict)         announced with "unless" / "if": threat (13)
 *     16x reduce relations, aid       131x, 134, 136
 *     17x coerce                      132x, 137
 *     18x, 19x, 20x violence          138x
 *
 * A code with no entry keeps its own code: "will sign" stays 057, and
 * statements (01), appeals (02) and the other verbal codes are already what
 * was said.  The tables are CAMEO 1.1b3's own pairing of codes, read from
 * its codebook (data/cameo.tsv names every code on both sides).
 */
#include "internal.h"

#include <string.h>

typedef struct {
    const char *from, *to;
} code_pair;

static const code_pair INTENT[] = {
    {"040", "036"},   {"041", "036"},   {"042", "036"},   {"043", "036"},  {"044", "036"},
    {"045", "039"},   {"046", "036"},   {"050", "032"},   {"054", "032"},  {"060", "031"},
    {"061", "0311"},  {"062", "0312"},  {"063", "0313"},  {"064", "0314"}, {"070", "033"},
    {"071", "0331"},  {"072", "0332"},  {"073", "0333"},  {"074", "0334"}, {"080", "035"},
    {"081", "0351"},  {"082", "0352"},  {"083", "034"},   {"0831", "0341"},
    {"0832", "0342"}, {"0833", "0343"}, {"0834", "0344"}, {"084", "0353"}, {"085", "0354"},
    {"086", "0355"},  {"087", "0356"},  {NULL, NULL}};

static const code_pair THREAT[] = {
    {"160", "131"},  {"161", "1313"}, {"162", "1311"}, {"163", "1312"}, {"164", "1313"},
    {"165", "134"},  {"166", "136"},  {"170", "130"},  {"172", "132"},  {"1721", "1321"},
    {"1722", "1322"}, {"1723", "1323"}, {"1724", "1324"}, {"173", "132"}, {"174", "132"},
    {"175", "137"},  {"180", "1383"}, {"181", "1383"}, {"182", "1383"}, {"183", "1383"},
    {"185", "1383"}, {"186", "1383"}, {"190", "1384"}, {"191", "1381"}, {"192", "1382"},
    {"193", "1384"}, {"194", "1384"}, {"195", "1384"}, {"196", "1384"}, {"200", "138"},
    {"201", "138"},  {"202", "138"},  {"203", "138"},  {"204", "1385"}, {NULL, NULL}};

/* The code of `code` in the table, trying the code itself and then its
 * three-digit parent ("0811" -> "081"); NULL if neither is there. */
static const char *look_up(const code_pair *t, const char *code) {
    size_t n = strlen(code);
    for (int pass = 0; pass < 2; pass++) {
        size_t len = pass == 0 ? n : 3;
        if (pass == 1 && n <= 3) break;
        for (const code_pair *p = t; p->from; p++)
            if (strlen(p->from) == len && !memcmp(p->from, code, len)) return p->to;
    }
    return NULL;
}

const char *mp__intent_code(const char *code) { return code ? look_up(INTENT, code) : NULL; }

const char *mp__threat_code(const char *code) { return code ? look_up(THREAT, code) : NULL; }
