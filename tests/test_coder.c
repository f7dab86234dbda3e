/*
 * test_coder.c -- tests of coding behaviour (src/coder.c) on a small
 * fictional world: the countries Arnor (ARN), Gondor (GON), Mordor (MOR),
 * Rohan (ROH) and Harad (HAR), the minister Elena Vosk, a few agents and a
 * dozen verb blocks.  Every dictionary entry and every code is invented for
 * this test, so real-world dictionary changes cannot move it.
 *
 * The core is a table of gold records, TABARI Validate style: a sentence,
 * the options it is coded under, the expected set of (source, target, code)
 * events and a one-line reason.  Negative records (no event expected) are as
 * important as positive ones.  Every event produced anywhere is also checked
 * for its invariants: spans that give back the *_text fields, a sentence
 * index and span that hold the verb, a rule "file:line", codebook facts.
 *
 * Each check prints one `FAIL: ...` line when it fails; the program ends with
 * "N passed, N failed" and exits nonzero on any failure.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "magpie.h"
#include "testlib.h"



static diaglog *cur_diag; /* printed with a failure; cleared before each document */

static void check(int cond, const char *fmt, ...)
{
    if (cond) {
        npass++;
        return;
    }
    nfail++;
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL: ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    if (cur_diag)
        for (size_t i = 0; i < cur_diag->n; i++)
            printf("    diag: %s\n", cur_diag->msg[i]);
}

/* ---- temporary files ------------------------------------------------------- */

/* ---- the fictional world ------------------------------------------------------- */
static const char ACTORS[] =
    "# test_coder actors: invented countries and people\n"
    "ARNOR [ARN]\n"
    "+ARNORIAN\n"
    "GONDOR [GON]\n"
    "+GONDORIAN\n"
    "MORDOR [MOR]\n"
    "ROHAN [ROH]\n"
    "HARAD [HAR]\n"
    "ELENA_VOSK [ARNGOV]\n"
    "GREY_GUARD [ARNMIL]\n"
    "ROHAN_ROUND [---]\n"
    "GREY_COUNCIL [ARNGOV]\n"
    "\t[ARNGOV <20150101]\n"
    "\t[--- >20150101]\n"
    "THE_NORTH [NRT]\n"
    "NORTH_DOWNS [ARN]\n";

static const char AGENTS[] =
    "# test_coder agents\n"
    "POLICE {} [~COP]\n"
    "SOLDIER [~MIL]\n"
    "FOREIGN_MINISTER [~GOV]\n"
    "MINISTER [~GOV]\n"
    "GOVERNMENT [~GOV]\n"
    "AID_MISSION [NGO~]\n"
    "REPORTER [~MED]\n"
    "COMPANY [~BUS]\n"
    "PRESS {} [~MED]\n";

static const char VERBS[] =
    "# test_coder verbs, PETRARCH-1 format\n"
    "--- PRAISE [051] ---\n"
    "PRAISE\n"
    "COMMEND\n"
    "\n"
    "--- CONDEMN [111] ---\n"
    "CONDEMN\n"
    "\n"
    "--- DEMAND [100] ---\n"
    "DEMAND\n"
    "\n"
    "--- ACCUSE [112] ---\n"
    "ACCUSE\n"
    "- * + OF &CRIME [1121]\n"
    "\n"
    "&CRIME\n"
    "+ESPIONAGE\n"
    "+WAR_CRIMES\n"
    "\n"
    "--- ATTACK [190] ---\n"
    "ATTACK\n"
    "- + WAS * BY $ [190]\n"
    "- NOT * [---]\n"
    "- DID N'T * [---]\n"
    "\n"
    "--- FIGHT [190] ---\n"
    "FIGHT {FOUGHT}\n"
    "- % * [193]\n"
    "\n"
    "--- REFUSE [120] ---\n"
    "REFUSE\n"
    "- * TO_CONFER [125]\n"
    "\n"
    "--- CONFER [040] ---\n"
    "CONFER\n"
    "- % TO_* [040]\n"
    "\n"
    "--- WOUND [182] ---\n"
    "WOUND\n"
    "\n"
    "--- VISIT [042:043] ---\n"
    "VISIT\n"
    "\n"
    "--- BOMB [183] ---\n"
    "BOMB\n"
    "- * + [183]\n"
    "\n"
    "--- BRIEF [010] ---\n"
    "BRIEF\n"
    "\n"
    "--- SEND [---] ---\n"
    "SEND {SENT}\n"
    "- * AID TO + [070]\n"
    "- * MILITARY AID TO + [072]\n"
    "- * { FOOD | MEDICINE } TO + [073]\n";

/* ---- events -------------------------------------------------------------------- */

/* Does text[span] equal s (or both absent)? */
static int span_is(const char *text, size_t len, mp_span sp, const char *s)
{
    if (!s)
        return sp.start == 0 && sp.end == 0;
    if (sp.end < sp.start || sp.end > len)
        return 0;
    size_t n = sp.end - sp.start;
    return strlen(s) == n && !memcmp(text + sp.start, s, n);
}

static int has_bytes(const char *h, size_t hn, const char *n, size_t nn)
{
    for (size_t i = 0; i + nn <= hn; i++)
        if (!memcmp(h + i, n, nn))
            return 1;
    return 0;
}

static int inside(mp_span in, mp_span out) { return in.start >= out.start && in.end <= out.end; }

/* The invariants every event of the last document must hold. */
static void check_event_invariants(const mp_ctx *x, const mp_doc *d, const char *what)
{
    size_t len;
    const char *text = mp_ctx_text(x, &len);
    for (size_t i = 0; i < mp_ctx_nevents(x); i++) {
        const mp_event *e = mp_ctx_event(x, i);
        char id[300];
        snprintf(id, sizeof id, "%s: event %zu (%s %s %s)", what, i, e->source, e->target, e->code);
        int ok = e->source && e->target && e->code && text;
        check(ok, "%s: NULL field", id);
        if (!ok)
            continue;
        check(span_is(text, len, e->source_span, e->source_text) &&
                  span_is(text, len, e->target_span, e->target_text) &&
                  span_is(text, len, e->verb_span, e->verb_text),
              "%s: text[span] differs from source/target/verb_text ('%s' '%s' '%s')", id,
              e->source_text ? e->source_text : "(null)",
              e->target_text ? e->target_text : "(null)", e->verb_text ? e->verb_text : "(null)");
        check(e->verb_text && e->verb_span.end > e->verb_span.start, "%s: no verb text", id);
        int sp_ok = e->sentence.end <= len && inside(e->verb_span, e->sentence) &&
                    (!e->source_text || inside(e->source_span, e->sentence)) &&
                    (!e->target_text || inside(e->target_span, e->sentence));
        check(sp_ok, "%s: spans outside the sentence span [%u,%u)", id, e->sentence.start,
              e->sentence.end);
        /* the event's date is the story's unless the sentence gives one */
        check(e->sent >= 0 &&
                  (e->date_precision == MP_DATE_STORY ? e->date == d->date
                                                      : e->date_span.end > e->date_span.start) &&
                  ((!d->id && !e->doc_id) || (d->id && e->doc_id && !strcmp(d->id, e->doc_id))),
              "%s: sent=%d date=%d doc_id=%s", id, e->sent, e->date,
              e->doc_id ? e->doc_id : "(null)");
        const char *colon = e->rule ? strrchr(e->rule, ':') : NULL;
        check(colon && !strncmp(base_name(e->rule), "verbs", 5) &&
                  !strncmp(colon - 4, ".txt", 4) && atol(colon + 1) > 0,
              "%s: rule '%s' is not verbs*.txt:LINE", id, e->rule ? e->rule : "(null)");
        const char *name;
        double g;
        int q;
        if (mp_cameo_lookup(e->code, &name, &g, &q)) {
            int root = (e->code[0] - '0') * 10 + (e->code[1] - '0');
            check(e->root == root && e->quad_class == q && e->goldstein == g && e->cameo_name,
                  "%s: root=%d quad=%d goldstein=%g name=%s, codebook says %d %d %g", id, e->root,
                  e->quad_class, e->goldstein, e->cameo_name ? "set" : "NULL", root, q, g);
        }
    }
}

/* Code one document and compare its event set; returns mp_code's rc. */
static int code_expect(mp_ctx *x, const char *id, int date, const char *text, size_t len,
                       const char *expect, const char *why, int want_rc)
{
    mp_doc d = {id, date, text, len};
    if (cur_diag)
        diag_clear(cur_diag);
    int rc = mp_code(x, &d);
    char got[4096], want[4096];
    events_str(x, got, sizeof got);
    norm_expect(expect, want, sizeof want);
    check(rc == want_rc && !strcmp(got, want), "%s: [%.100s]: expected {%s}, got {%s} (rc %d)",
          why, text, want, got, rc);
    check_event_invariants(x, &d, why);
    return rc;
}

/* Apply "name=value;name=value" to the context. */
static void set_opts(mp_ctx *x, const char *opts)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", opts ? opts : "");
    for (char *s = strtok(buf, ";"); s; s = strtok(NULL, ";")) {
        char *eq = strchr(s, '=');
        if (!eq)
            continue;
        *eq = 0;
        int rc = mp_ctx_set_option(x, s, eq + 1);
        check(rc == MP_OK, "mp_ctx_set_option(%s, %s) = %d", s, eq + 1, rc);
    }
}

/* ---- the gold records ------------------------------------------------------------- */
typedef struct {
    const char *text;
    const char *opts;   /* ctx options for this record, "" for the defaults */
    const char *expect; /* "SRC TGT CODE|...", "" for no event */
    const char *why;
} gold;

static const gold GOLD[] = {
    /* simple clauses */
    {"Arnor praised Gondor.", "", "ARN GON 051", "simple SVO"},
    {"Arnor praises Gondor.", "", "ARN GON 051", "-S form"},
    {"Arnor is praising Gondor.", "", "ARN GON 051", "-ING form"},
    {"ARNOR COMMENDED GONDOR.", "", "ARN GON 051", "second verb of a block, upper case"},
    {"Elena Vosk praised Gondor.", "", "ARNGOV GON 051", "two-word person name"},
    {"Arnor greeted Gondor.", "", "", "negative: a verb not in the dictionary"},
    {"The weather in the north was mild.", "", "", "negative: no actor, no verb"},
    {"Arnor praised itself.", "", "", "negative: no target"},
    {"Arnor praised Arnor.", "", "", "negative: source and target are the same"},

    /* noun phrases: agents */
    {"Arnor police attacked Gondor.", "", "ARNCOP GON 190", "agent after actor"},
    {"Gondorian soldiers attacked Arnor.", "", "GONMIL ARN 190",
     "synonym + generated plural agent"},
    {"Gondor's foreign minister praised Arnor.", "", "GONGOV ARN 051", "possessive"},
    {"The Arnor aid mission praised Gondor.", "", "NGOARN GON 051", "prefix agent [NGO~]"},
    {"Ministers of Rohan praised Gondor.", "", "ROHGOV GON 051", "agent of actor"},
    {"The government praised Gondor.", "require_dyad=false", "---GOV GON 051",
     "agent alone gives ---GOV"},

    /* compounds */
    {"Arnor and Rohan praised Gondor.", "", "ARN GON 051|ROH GON 051", "compound source A and B"},
    {"Arnor, Rohan and Harad praised Gondor for its patience during the long border talks.", "",
     "ARN GON 051|ROH GON 051|HAR GON 051", "compound source A, B and C"},
    {"Gondor praised Arnor, Rohan and Harad for their patience during the long border talks.",
     "", "GON ARN 051|GON ROH 051|GON HAR 051", "compound target A, B and C"},
    {"Arnor praised Gondor and Rohan.", "", "ARN GON 051|ARN ROH 051", "compound target A and B"},
    {"Arnor, Rohan and Harad praised Gondor.", "", "ARN GON 051|ROH GON 051|HAR GON 051",
     "compound source A, B and C in a short sentence (the list is not a comma clause)"},
    {"Gondor praised Arnor, Rohan and Harad.", "", "GON ARN 051|GON ROH 051|GON HAR 051",
     "compound target A, B and C ending the sentence (the list is not a comma clause)"},
    {"Ministers of Arnor and Rohan praised Gondor.", "", "ARNGOV GON 051|ROHGOV GON 051",
     "agent of a compound goes with each member"},
    {"Gondor was attacked by Mordor and Harad.", "", "MOR GON 190|HAR GON 190",
     "passive with a compound source"},

    {"Arnor and Rohan visited Gondor.", "",
     "ARN GON 042|ROH GON 042|GON ARN 043|GON ROH 043", "compound source with a paired code"},

    /* patterns */
    {"Arnor visited Gondor.", "", "ARN GON 042|GON ARN 043", "paired code [042:043]"},
    {"Mordor attacked Gondor.", "", "MOR GON 190", "active voice"},
    {"Gondor was attacked by Mordor.", "", "MOR GON 190", "passive: - + WAS * BY $"},
    {"Mordor did not attack Gondor.", "", "", "negation: - NOT * [---]"},
    {"Mordor didn't attack Gondor.", "", "", "negation: didn't -> DID N'T"},
    {"Arnor accused Gondor of espionage.", "", "ARN GON 1121", "synset in a pattern"},
    {"Arnor accused Gondor of war crimes.", "", "ARN GON 1121", "multiword synset member"},
    {"Arnor accused Gondor of rudeness.", "", "ARN GON 112", "no pattern: the block's code"},
    {"Arnor sent aid to Gondor.", "", "ARN GON 070", "pattern with a target"},
    {"Arnor sent military aid to Gondor.", "", "ARN GON 072", "the longer pattern wins"},
    {"Arnor sent food to Gondor.", "", "ARN GON 073", "{ A | B } alternatives"},
    {"Arnor sent medicine to Gondor.", "", "ARN GON 073", "{ A | B } second alternative"},
    {"Arnor sent letters to Gondor.", "", "", "negative: [---] block, no pattern matched"},
    {"Arnor and Gondor fought.", "", "ARN GON 193|GON ARN 193", "% compound on itself"},

    /* comma clauses */
    {"Arnor, allied with Rohan, praised Gondor warmly in a speech to the assembled northern "
     "delegates.", "", "ARN GON 051", "comma clause (3 words, with a name) set aside by default"},
    {"Arnor praised, in a rare message through Harad officials, the people of Gondor at the "
     "summit in the northern capital.", "", "ARN GON 051",
     "comma clause (7 words) set aside by default"},
    {"Arnor praised, in a rare message through Harad officials, the people of Gondor at the "
     "summit in the northern capital.", "comma_max=6", "ARN HAR 051",
     "comma_max=6 keeps a 7-word clause"},
    {"Arnor praised, in a rare message through Harad officials, the people of Gondor at the "
     "summit in the northern capital.", "comma_min=8", "ARN HAR 051",
     "comma_min=8 keeps a 7-word clause"},
    {"Arnor praised, in a rare message through Harad officials, the people of Gondor at the "
     "summit in the northern capital.", "comma_max=0", "ARN HAR 051",
     "comma_max=0 turns the rule off"},
    {"Arnor praised Gondor, officials in the capital said on a quiet Monday morning after the "
     "talks.", "", "ARN GON 051", "first clause kept by default (comma_bmax=0)"},
    {"Arnor praised Gondor, officials in the capital said on a quiet Monday morning after the "
     "talks.", "comma_bmax=5", "", "comma_bmax=5 sets the first clause aside"},
    {"Arnor praised Gondor, officials in the capital said on a quiet Monday morning after the "
     "talks.", "comma_bmin=4;comma_bmax=5", "ARN GON 051",
     "comma_bmin=4: a 3-word first clause stays"},
    {"Arnor praised the talks, Gondor reported.", "", "",
     "last clause (2 words) set aside by default"},
    {"Arnor praised the talks, Gondor reported.", "comma_emin=3", "ARN GON 051",
     "comma_emin=3 keeps the last clause"},
    {"Arnor praised the talks, Gondor reported.", "comma_emax=1", "ARN GON 051",
     "comma_emax=1 keeps the last clause"},

    /* require_dyad */
    {"Arnor praised the talks.", "", "", "require_dyad=true: no target, no event"},
    {"Arnor praised the talks.", "require_dyad=false", "ARN --- 051",
     "require_dyad=false: event without a target"},
    {"Arnor praised.", "require_dyad=false", "",
     "require_dyad=false: still no event without an object"},
    {"Gondor was praised.", "require_dyad=false", "--- GON 051",
     "require_dyad=false: a passive with no doer is an event on its subject"},

    /* a name that starts with an article and a longer one inside it */
    {"Mordor attacked the North Downs.", "", "MOR ARN 190",
     "\"the North Downs\" is NORTH_DOWNS, not THE_NORTH and a word"},
    {"Mordor attacked the North.", "", "MOR NRT 190", "\"the North\" alone is THE_NORTH"},

    /* two verbs inside each other's matches, of different lengths */
    {"Arnor refused to confer with Gondor.", "", "ARN GON 125",
     "the first verb's pattern wins over a later verb whose open pattern spans it"},
    {"Arnor and Gondor plan to confer.", "", "ARN GON 040|GON ARN 040",
     "the later verb's pattern still codes when no verb lies inside it"},

    /* an apposition that names the subject */
    {"Tom Bombadil, the new Gondorian foreign minister, condemned Mordor for the raids on the "
     "northern border towns.", "", "GONGOV MOR 111",
     "an apposition after an unknown name holds the source"},
    {"Tom Bombadil, who spoke for the Gondorian government, condemned Mordor for the raids on "
     "the northern border towns.", "", "",
     "a relative clause is no apposition: set aside as before"},
    {"Rohan, the new Gondorian foreign minister said, condemned Mordor for the raids on the "
     "northern border towns.", "", "ROH MOR 111",
     "a named actor before the comma stays the source"},

    /* violence by an unnamed hand: a weapon as the subject */
    {"A roadside bomb wounded two Gondorian soldiers.", "", "--- GONMIL 182",
     "a weapon noun as the subject: source unknown, kept under require_dyad"},
    {"The storm wounded two Gondorian soldiers.", "", "",
     "a subject that is no weapon: no source, no event under require_dyad"},
    {"A Mordor bomb wounded two Gondorian soldiers.", "", "MOR GONMIL 182",
     "an actor before the verb is the source, weapon or not"},
    {"A bomb wounded nobody.", "", "", "a weapon but no target: no event"},

    {"An attempt to wound Rohan soldiers failed.", "", "--- ROHMIL 182",
     "an attempt names no attacker either"},
    {"Officials acted in an attempt to wound Rohan soldiers.", "", "",
     "a weapon or attack noun in a prepositional phrase is no subject"},

    /* announced actions (mood.c): off by default with these dictionaries */
    {"Arnor will visit Gondor.", "", "ARN GON 042|GON ARN 043",
     "announced=auto with a user's verbs: the verb's own code"},
    {"Arnor will visit Gondor.", "announced=true", "ARN GON 036",
     "a future visit is an intent to meet, the visitor's only"},
    {"Arnor will soon visit Gondor.", "announced=true", "ARN GON 036", "an adverb between"},
    {"Arnor plans to send aid to Gondor.", "announced=true", "ARN GON 033",
     "plans to send aid: intent to provide aid"},
    {"Arnor is ready to send food to Gondor.", "announced=true", "ARN GON 0333",
     "ready to send food: intent to provide humanitarian aid"},
    {"Arnor sent aid to Gondor.", "announced=true", "ARN GON 070", "done, not announced"},
    {"Arnor will not visit Gondor.", "announced=true", "",
     "a denied future is no intent (and no visit)"},
    {"Mordor will attack Gondor.", "announced=true", "MOR GON 190",
     "violence has no intent code: it keeps its own"},
    {"Mordor will attack Gondor unless Gondor yields.", "announced=true", "MOR GON 1384",
     "a future with a condition is a threat"},
    {"Mordor will attack Gondor unless Gondor yields.", "announced=false", "MOR GON 190",
     "announced=false turns the rule off"},

    /* verbs used as nouns */
    {"Arnor issued a declaration demanding that Gondor leave.", "", "ARN GON 100",
     "an -ing form after a noun and before a that-clause is a participle"},
    {"Arnor held a meeting demanding nothing.", "", "",
     "an -ing form after a noun with no clause after it stays a noun"},
    {"Arnor issued a statement condemning Gondor.", "", "ARN GON 111",
     "an -ing form after a noun for a text (statement, letter) is what the text does"},
    {"Arnor sent letters condemning Gondor.", "", "ARN GON 111", "the plural noun too"},

    /* media words that are no participants */
    {"Arnor praised press reports about Gondor.", "", "ARN GON 051",
     "a media word before a noun (press reports, a press conference) is no side"},
    {"Arnor briefed reporters on Gondor.", "", "ARN GON 010",
     "the audience of a statement is no side: the target is what follows"},
    {"Arnor praised the press.", "require_dyad=false", "ARN ---MED 051",
     "media named anywhere else are a side"},

    /* passives with no doer */
    {"Arnor soldiers were attacked in Mordor.", "", "--- ARNMIL 190",
     "a passive with no doer: the subject is the target, the attacker unnamed"},
    {"Gondor was praised in Mordor.", "", "",
     "a passive with no doer names no source, and only violence is kept without one"},
    {"Gondor was praised by Arnor.", "", "ARN GON 051", "with a doer after 'by'"},

    {"Gondor was bombed by Mordor.", "", "MOR GON 183",
     "a bare '* +' pattern in the passive: 'by' names the doer"},
    {"Gondor soldiers were bombed in Rohan.", "", "--- GONMIL 183",
     "a bare '* +' pattern in the passive: the phrase after it is where, not whom"},

    {"Elena Vosk said Mordor attacked Gondor.", "", "MOR GON 190",
     "a name right after a verb of saying opens the reported clause: its subject acts"},

    /* open gaps stop at a new clause */
    {"Arnor sent soldiers to Rohan, and Gondor gave aid to Mordor.", "", "",
     "'* AID TO +' does not reach across ', and' into the next clause"},
    {"Arnor sent soldiers and aid to Mordor.", "", "ARN MOR 070", "within the clause it does"},
    {"Arnor condemned the plan, but Gondor praised Rohan.", "comma_emax=0", "GON ROH 051",
     "nor does the search for a verb's target (the last comma clause kept)"},
    {"Arnor condemned the plan, and the government praised Rohan.", "comma_emax=0",
     "---GOV ROH 051", "', and' with a determiner and a name before the verb opens a clause too"},

    /* datelines the tokenizer leaves in the text; names that are no actor */
    {"Mordor attacked the Rohan Round.", "", "",
     "a name listed with the code '---' is no actor, and the shorter name inside it is not taken"},
    {"Gondor - Arnor praised Rohan.", "", "ARN ROH 051",
     "a name at the start of a sentence before a dash is a dateline, not the source"},
    {"(XZ 12) GONDOR - Arnor praised Rohan.", "", "ARN ROH 051", "after a bracketed code"},
    {"Arnor praised Gondor - Rohan said.", "", "ARN GON 051",
     "a name before a dash elsewhere is no dateline"},
    {"The Grey Council praised Gondor.", "", "",
     "a dated code \"---\" makes the name no actor then (the text is of 2020)"},

    /* companies and market talk */
    {"Arnor Steel Corp praised Gondor.", "", "ARNBUS GON 051",
     "a country's name in a company's name (a run of capitals ending in Corp, Ltd, Inc) is its business"},
    {"Arnor praised Gondor Steel and Mining Ltd.", "", "ARN GONBUS 051", "'and' between"},
    {"Arnor praised Gondor Steel & Mining Ltd.", "", "ARN GONBUS 051", "'&' between"},
    {"ARNOR STEEL CORP PRAISED GONDOR.", "", "ARN GON 051",
     "not in a sentence all in capitals, where every word looks like a name"},
    {"Arnor Steel Corp praised Gondor Mining Corp.", "", "",
     "business with business is no political event"},
    {"The company praised the government.", "", "", "business with an agent of no country neither"},
    {"The company praised the government.", "require_dyad=false", "---BUS ---GOV 051",
     "require_dyad=false keeps it"},
    {"The company attacked the government.", "", "---BUS ---GOV 190",
     "violence (roots 14 to 20) is an event whoever takes part"},

    /* adjacent names */
    {"Arnor's Grey Guard attacked Gondor.", "", "ARNMIL GON 190",
     "a narrower name of the same country right after it wins"},
    {"Arnor Grey Guard attacked Gondor.", "", "ARNMIL GON 190", "with no 's between"},
    {"Gondor's Grey Guard attacked Mordor.", "", "GON MOR 190",
     "a name of another country does not replace the first"},
    {"Arnor condemned an open-ended attack on Gondor.", "", "ARN GON 111",
     "a compound in -ED before a verb form is an adjective: the attack is a noun"},
    {"Arnor condemned Mordor's attack on Gondor.", "", "ARN MOR 111",
     "verb after a possessive is a noun"},
    {"The attack on Gondor angered Arnor.", "require_dyad=false", "",
     "verb after a determiner is a noun"},
    {"Arnor condemned the attack on Gondor.", "", "ARN GON 111",
     "the attack is not coded, the condemnation is"},

    /* more than one verb */
    {"Arnor praised Gondor and condemned Mordor.", "", "ARN GON 051|ARN MOR 111",
     "coordinated verbs share the subject"},
    {"Arnor praised Gondor. Mordor attacked Rohan.", "", "ARN GON 051|MOR ROH 190",
     "two sentences"},
    {"Arnor praised Gondor. Later Arnor praised Gondor again.", "", "ARN GON 051",
     "the same event twice in a story is reported once"},
};

static void test_gold(mp_ctx *x)
{
    for (size_t i = 0; i < sizeof GOLD / sizeof GOLD[0]; i++) {
        const gold *g = &GOLD[i];
        mp_ctx_reset_options(x);
        set_opts(x, g->opts);
        char why[200];
        snprintf(why, sizeof why, "gold %zu (%s%s%s)", i + 1, g->why, *g->opts ? "; " : "",
                 g->opts);
        code_expect(x, "gold", 20200101, g->text, strlen(g->text), g->expect, why, MP_OK);
    }
    mp_ctx_reset_options(x);
}

/* ---- details of events ------------------------------------------------------------- */
static void test_event_fields(mp_ctx *x)
{
    /* spans, texts, sentence index and rule of a pattern event */
    const char *text = "Rohan waited. Gondor was attacked by Mordor on Monday.";
    code_expect(x, "doc-7", 20210315, text, strlen(text), "MOR GON 190", "fields", MP_OK);
    if (mp_ctx_nevents(x) == 1) {
        const mp_event *e = mp_ctx_event(x, 0);
        check(e->sent == 1, "fields: sent=%d, expected 1", e->sent);
        check(e->source_text && !strcmp(e->source_text, "Mordor"), "fields: source_text '%s'",
              e->source_text ? e->source_text : "(null)");
        check(e->target_text && !strcmp(e->target_text, "Gondor"), "fields: target_text '%s'",
              e->target_text ? e->target_text : "(null)");
        check(e->verb_text && !strcmp(e->verb_text, "attacked"), "fields: verb_text '%s'",
              e->verb_text ? e->verb_text : "(null)");
        check(e->source_span.start == 37 && e->source_span.end == 43,
              "fields: source_span [%u,%u), expected [37,43)", e->source_span.start,
              e->source_span.end);
        check(e->sentence.start == 14 && e->sentence.end == (uint32_t)strlen(text),
              "fields: sentence span [%u,%u), expected [14,%zu)", e->sentence.start,
              e->sentence.end, strlen(text));
        char want[64];
        snprintf(want, sizeof want, "verbs.txt:%ld", line_of(VERBS, "- + WAS * BY $"));
        check(e->rule && !strcmp(base_name(e->rule), want), "fields: rule '%s', expected .../%s",
              e->rule ? e->rule : "(null)", want);
        check(e->doc_id && !strcmp(e->doc_id, "doc-7") && e->date == 20210315,
              "fields: doc_id '%s' date %d", e->doc_id ? e->doc_id : "(null)", e->date);
        check(e->root == 19 && e->quad_class == 4 && e->goldstein == -10.0 && e->cameo_name,
              "fields: 190 root=%d quad=%d goldstein=%g", e->root, e->quad_class, e->goldstein);
    }
    /* an event with no pattern: the rule is the verb's line */
    text = "Arnor praised Gondor.";
    code_expect(x, NULL, 20200101, text, strlen(text), "ARN GON 051", "rule of a bare verb",
                MP_OK);
    if (mp_ctx_nevents(x) == 1) {
        const mp_event *e = mp_ctx_event(x, 0);
        char want[64];
        snprintf(want, sizeof want, "verbs.txt:%ld", line_of(VERBS, "PRAISE\n"));
        check(e->rule && !strcmp(base_name(e->rule), want), "bare verb: rule '%s', expected %s",
              e->rule ? e->rule : "(null)", want);
        check(e->doc_id == NULL, "doc without id: doc_id should be NULL");
        check(e->root == 5 && e->quad_class == 1, "051: root=%d quad=%d", e->root, e->quad_class);
    }
    /* the dedup keeps the first occurrence */
    text = "Arnor praised Gondor. Arnor praised Gondor again.";
    code_expect(x, "d", 20200101, text, strlen(text), "ARN GON 051", "dedup", MP_OK);
    if (mp_ctx_nevents(x) == 1)
        check(mp_ctx_event(x, 0)->sent == 0, "dedup: the event of sentence 0 is kept, got %d",
              mp_ctx_event(x, 0)->sent);
    /* an unknown code keeps NaN and no name (a code the codebook lacks) */
    const char *nm = "x";
    double g = 0;
    int q = -1;
    check(mp_cameo_lookup("051", &nm, &g, &q) && g == 3.4 && q == 1,
          "mp_cameo_lookup(051): goldstein %g quad %d", g, q);
    check(!mp_cameo_lookup("9999", &nm, &g, &q), "mp_cameo_lookup(9999) is unknown");
}

/* ---- input problems ------------------------------------------------------------------ */
static void test_inputs(mp_ctx *x, diaglog *dl)
{
    /* invalid UTF-8 is repaired; the document is still coded */
    static const char bad[] = "Arnor praised Gondor \xff\xfe today. Mordor attacked \xc3 Rohan.";
    diag_clear(dl);
    code_expect(x, "bad-utf8", 20200101, bad, sizeof bad - 1, "ARN GON 051|MOR ROH 190",
                "invalid UTF-8", MP_ERR_INPUT);
    size_t len = 0;
    const char *t = mp_ctx_text(x, &len);
    check(t && len >= sizeof bad - 1 && has_bytes(t, len, "\xEF\xBF\xBD", 3) &&
              !has_bytes(t, len, "\xff", 1),
          "invalid UTF-8: mp_ctx_text holds U+FFFD and no raw 0xFF");
    check(dl->n > 0 && diag_has(dl, "warn:", NULL), "invalid UTF-8: a warning diagnostic");

    /* empty documents */
    diag_clear(dl);
    code_expect(x, "empty", 20200101, "", 0, "", "empty document", MP_OK);
    check(mp_ctx_discarded(x) == 0, "empty document: not discarded");
    code_expect(x, "blank", 20200101, "  \n\n \t ", 7, "", "blank document", MP_OK);
    mp_doc d = {"null", 20200101, NULL, 0};
    int rc = mp_code(x, &d);
    check((rc == MP_OK || rc == MP_ERR_INPUT) && mp_ctx_nevents(x) == 0,
          "NULL text: rc %d, %zu events", rc, mp_ctx_nevents(x));
    code_expect(x, "punct", 20200101, "... , ; !!", 10, "", "punctuation only", MP_OK);

    /* a very long sentence (5,000 words, no period) */
    size_t cap = 64 * 1024, o = 0;
    char *big = malloc(cap);
    if (!big) {
        check(0, "malloc");
        return;
    }
    o += (size_t)snprintf(big + o, cap - o, "Arnor praised Gondor");
    for (int i = 0; i < 5000 && o + 40 < cap; i++)
        o += (size_t)snprintf(big + o, cap - o, " %s", (i % 7 == 3) ? "and" : "delegates");
    o += (size_t)snprintf(big + o, cap - o, " ; Rohan praised Harad.");
    diag_clear(dl);
    code_expect(x, "long", 20200101, big, o, "ARN GON 051", "5,000-word sentence (max_tokens)",
                MP_OK);
    check(diag_has(dl, "max_tokens", NULL) || diag_has(dl, "tokens", NULL),
          "5,000-word sentence: a diagnostic says it was cut at max_tokens");
    check(mp_ctx_set_option(x, "max_tokens", "20000") == MP_OK, "max_tokens=20000");
    code_expect(x, "long2", 20200101, big, o, "ARN GON 051|ROH HAR 051",
                "5,000-word sentence coded whole with max_tokens=20000", MP_OK);
    mp_ctx_reset_options(x);
    /* many sentences */
    o = 0;
    for (int i = 0; i < 2000 && o + 60 < cap; i++)
        o += (size_t)snprintf(big + o, cap - o, "%s ", (i % 2) ? "Arnor praised Gondor." :
                                                                 "Mordor attacked Rohan.");
    code_expect(x, "many", 20200101, big, o, "ARN GON 051|MOR ROH 190", "2,000 sentences", MP_OK);
    free(big);
}

/* ---- contexts and coders ---------------------------------------------------------------- */
static mp_coder *make_coder(const char *actors, const char *agents, const char *verbs,
                            diaglog *dl, const char *what)
{
    mp_coder *c = mp_coder_new();
    if (!c)
        return NULL;
    mp_coder_set_diag(c, diag_cb, dl);
    int rc = MP_OK;
    if (actors && (rc = mp_coder_load(c, MP_DICT_ACTORS, actors)) != MP_OK)
        check(0, "%s: loading actors: %s", what, mp_errstr(rc));
    if (agents && (rc = mp_coder_load(c, MP_DICT_AGENTS, agents)) != MP_OK)
        check(0, "%s: loading agents: %s", what, mp_errstr(rc));
    if (verbs && (rc = mp_coder_load(c, MP_DICT_VERBS, verbs)) != MP_OK)
        check(0, "%s: loading verbs: %s", what, mp_errstr(rc));
    if ((rc = mp_coder_ready(c)) != MP_OK) {
        check(0, "%s: mp_coder_ready: %s", what, mp_errstr(rc));
        mp_coder_free(c);
        return NULL;
    }
    return c;
}

static void test_reuse(mp_ctx *x)
{
    /* one context, several documents: nothing leaks from one to the next */
    const char *a = "Arnor praised Gondor. Gondor was attacked by Mordor.";
    const char *b = "Rohan visited Harad.";
    code_expect(x, "a", 20200101, a, strlen(a), "ARN GON 051|MOR GON 190", "reuse 1", MP_OK);
    code_expect(x, "b", 20200102, b, strlen(b), "ROH HAR 042|HAR ROH 043", "reuse 2", MP_OK);
    code_expect(x, "a", 20200101, a, strlen(a), "ARN GON 051|MOR GON 190", "reuse 3", MP_OK);
    code_expect(x, "e", 20200101, "", 0, "", "reuse 4 (empty)", MP_OK);
    code_expect(x, "b", 20200102, b, strlen(b), "ROH HAR 042|HAR ROH 043", "reuse 5", MP_OK);
    /* the same text again gives the same events (dedup is per story) */
    code_expect(x, "b", 20200102, b, strlen(b), "ROH HAR 042|HAR ROH 043", "reuse 6", MP_OK);
}

static void test_two_coders(diaglog *dl, const char *actors, const char *agents,
                            const char *verbs)
{
    /* a second world where the same names mean something else */
    const char *actors2 = write_file("actors2.txt", "ARNOR [XAR]\nGONDOR [XGO]\n");
    const char *verbs2 = write_file("verbs2.txt", "--- PRAISE [052] ---\nPRAISE\n");
    mp_coder *c1 = make_coder(actors, agents, verbs, dl, "coder 1");
    mp_coder *c2 = make_coder(actors2, NULL, verbs2, dl, "coder 2");
    if (!c1 || !c2) {
        mp_coder_free(c1);
        mp_coder_free(c2);
        return;
    }
    mp_ctx *x1 = mp_ctx_new(c1), *x2 = mp_ctx_new(c2);
    const char *s = "Arnor praised Gondor.";
    for (int round = 0; round < 2; round++) {
        code_expect(x1, "c1", 20200101, s, strlen(s), "ARN GON 051", "two coders: first", MP_OK);
        code_expect(x2, "c2", 20200101, s, strlen(s), "XAR XGO 052", "two coders: second",
                    MP_OK);
        const char *m = "Mordor attacked Rohan.";
        code_expect(x2, "c2", 20200101, m, strlen(m), "", "two coders: second knows no Mordor",
                    MP_OK);
    }
    /* events of one context survive coding with another */
    code_expect(x1, "c1", 20200101, s, strlen(s), "ARN GON 051", "two coders: interleaved 1",
                MP_OK);
    code_expect(x2, "c2", 20200101, s, strlen(s), "XAR XGO 052", "two coders: interleaved 2",
                MP_OK);
    if (mp_ctx_nevents(x1) == 1)
        check(!strcmp(mp_ctx_event(x1, 0)->source, "ARN"), "two coders: x1's event changed");
    /* options of one coder do not leak into the other */
    check(mp_ctx_set_option(x1, "require_dyad", "false") == MP_OK, "x1 require_dyad=false");
    const char *t = "Arnor praised the talks.";
    code_expect(x1, "c1", 20200101, t, strlen(t), "ARN --- 051", "two coders: x1 options", MP_OK);
    code_expect(x2, "c2", 20200101, t, strlen(t), "", "two coders: x2 options untouched", MP_OK);
    /* freeing one coder leaves the other working */
    mp_ctx_free(x1);
    mp_coder_free(c1);
    code_expect(x2, "c2", 20200101, s, strlen(s), "XAR XGO 052", "two coders: after freeing one",
                MP_OK);
    mp_ctx_free(x2);
    mp_coder_free(c2);
}

int main(void)
{
    diaglog dl = {0};
    cur_diag = &dl;
    snprintf(tmpdir, sizeof tmpdir, "%s", "/tmp/magpie-test-coder-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        printf("FAIL: mkdtemp\n0 passed, 1 failed\n");
        return 1;
    }
    const char *actors = write_file("actors.txt", ACTORS);
    const char *agents = write_file("agents.txt", AGENTS);
    const char *verbs = write_file("verbs.txt", VERBS);
    mp_coder *c = make_coder(actors, agents, verbs, &dl, "world");
    if (c) {
        check(dl.n == 0, "world: no load diagnostics expected, got %zu (first: %s)", dl.n,
              dl.n ? dl.msg[0] : "");
        check(mp_ctx_new(NULL) == NULL, "mp_ctx_new(NULL) is NULL");
        mp_ctx *x = mp_ctx_new(c);
        mp_ctx_set_diag(x, diag_cb, &dl);
        test_gold(x);
        test_event_fields(x);
        test_inputs(x, &dl);
        test_reuse(x);
        mp_ctx_free(x);
        mp_coder_free(c);
    }
    /* a coder that is not ready gives no context */
    mp_coder *nr = mp_coder_new();
    check(mp_ctx_new(nr) == NULL, "mp_ctx_new on a coder that is not ready is NULL");
    mp_coder_free(nr);
    test_two_coders(&dl, actors, agents, verbs);

    diag_free(&dl);
    remove_files();
    printf("%d passed, %d failed\n", npass, nfail);
    return nfail != 0;
}
