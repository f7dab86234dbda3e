/*
 * test_dict.c -- tests of the dictionary readers (src/dict.c) through the
 * public API: actors, agents, verbs (PETRARCH-1 and TABARI), discards,
 * issues and options.
 *
 * Every dictionary here is written for this test, about a fictional world
 * (Arnor, Gondor, Kestravia, ...; the codes are invented), into a temporary
 * directory, and loaded with mp_coder_load().  What a reader understood is
 * checked the way a user would see it: by coding a sentence and reading
 * the events, or through the diagnostics and mp_coder_stats().
 *
 * Each check prints one `FAIL: ...` line when it fails (with the diagnostics
 * recorded so far, if any); the program ends with "N passed, N failed" and
 * exits nonzero on any failure.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "magpie.h"
#include "testlib.h"



static size_t diag_count(const diaglog *d, const char *a)
{
    size_t k = 0;
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->msg[i], a))
            k++;
    return k;
}

static void diag_dump(const diaglog *d)
{
    for (size_t i = 0; i < d->n; i++)
        printf("    diag: %s\n", d->msg[i]);
}

static const diaglog *cur_diag; /* printed with a failure */

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
    if (cur_diag && cur_diag->n)
        diag_dump(cur_diag);
}


/* ---- coding helpers -------------------------------------------------------- */

/* Code text (dated) with x and compare the event set with expect. */
static void expect_events(mp_ctx *x, const char *text, int date, const char *expect,
                          const char *why)
{
    mp_doc d = {"t", date, text, strlen(text)};
    int rc = mp_code(x, &d);
    char got[2048], want[2048];
    events_str(x, got, sizeof got);
    norm_expect(expect, want, sizeof want);
    check(rc == MP_OK && !strcmp(got, want), "%s: [%s] (date %d): expected {%s}, got {%s} rc=%d",
          why, text, date, want, got, rc);
}

/* Source of the first event of text coded at date; "(none)" if none. */
static void expect_source(mp_ctx *x, const char *text, int date, const char *src,
                          const char *why)
{
    mp_doc d = {"t", date, text, strlen(text)};
    int rc = mp_code(x, &d);
    const char *got = "(none)";
    if (mp_ctx_nevents(x))
        got = mp_ctx_event(x, 0)->source;
    check(rc == MP_OK && !strcmp(got, src), "%s: [%s] at %d: expected source %s, got %s", why,
          text, date, src, got);
}

/* A coder from the named files (NULL: that kind is not loaded), with the
 * given diagnostics log; checks that every load returns want_rc. */
typedef struct {
    const char *actors, *agents, *verbs, *discards, *issues, *options;
} dictset;

static mp_coder *make_coder(const dictset *ds, diaglog *dl, const char *what)
{
    mp_coder *c = mp_coder_new();
    if (!c) {
        check(0, "%s: mp_coder_new returned NULL", what);
        return NULL;
    }
    mp_coder_set_diag(c, diag_cb, dl);
    struct {
        const char *path;
        int kind;
    } f[] = {{ds->options, -1},
             {ds->actors, MP_DICT_ACTORS},
             {ds->agents, MP_DICT_AGENTS},
             {ds->verbs, MP_DICT_VERBS},
             {ds->discards, MP_DICT_DISCARDS},
             {ds->issues, MP_DICT_ISSUES}};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        if (!f[i].path)
            continue;
        int rc = f[i].kind < 0 ? mp_coder_load_options(c, f[i].path)
                               : mp_coder_load(c, (mp_dict_kind)f[i].kind, f[i].path);
        check(rc == MP_OK, "%s: loading %s returned %d (%s)", what, base_name(f[i].path), rc,
              mp_errstr(rc));
    }
    int rc = mp_coder_ready(c);
    check(rc == MP_OK, "%s: mp_coder_ready returned %d", what, rc);
    if (rc != MP_OK) {
        mp_coder_free(c);
        return NULL;
    }
    return c;
}

/* ---- the dictionaries -------------------------------------------------------- */
static const char ACTORS[] =
    "# test_dict actors: a fictional world; every code is invented\n"
    "<!-- a comment block that spans lines:\n"
    "HIDDENLAND [HID]\n"
    "     it ends here -->\n"
    "ARNOR [ARN]   # a trailing comment\n"
    "+ARNORIAN\n"
    "GONDOR [GON] <!-- an inline comment -->\n"
    "ROHAN [ROH]\n"
    "\n"
    "KESTRAVIA_FREE_STATE [KFS]\n"
    "+FREE STATE OF KESTRAVIA\n"
    "+KESTRAVIAN_REPUBLIC\n"
    "\n"
    "MORDOR\n"
    "\t[MOR]\n"
    "VELMORA [VLM/KST]\n"
    "\n"
    "KORVAN_TREMM [ZEMELI]\n"
    "\t[ZEMREB <20090120]\n"
    "\t[ZEMGOV 20090120-20121231]\n"
    "    [ZEMPRS >20170120]   # indented with spaces\n"
    "ISOLDE MARR\n"
    "+LADY_ISOLDE\n"
    "\t[ZEMOPP 950601-090119]\n"
    "\t[ZEMGOV 090120 - 121231]\n"
    "TALMIR_OSK [TLMOPP <20090120] [TLMGOV >20170120]   # dated codes on the name line\n";

static const char AGENTS[] =
    "# test_dict agents\n"
    "!PERSON! = MAN, WOMAN\n"
    "POLICEMAN {POLICEMEN} [~COP]\n"
    "ARMY [~MIL]\n"
    "CHURCH [~REL]   # plural CHURCHES\n"
    "MEDIA {} [~MED]\n"
    "CHAIR!PERSON! [~LEG]\n"
    "<!-- an agent in a comment: SPY [~SPY] -->\n"
    "RELIEF_CORPS {} [NGO~]\n"
    "MINISTER [ ~GOV ]\n"
    "BORDER_GUARD [~BGD]\n";

static const char VERBS[] =
    "# test_dict verbs, PETRARCH-1 format\n"
    "<!-- codes are CAMEO-like; the blocks are small on purpose -->\n"
    "--- PRAISE [051] ---\n"
    "PRAISE\n"
    "- * + FOR &VIRTUE [052]   # a synset used before its definition\n"
    "- * + FOR { PATIENCE | RESTRAINT | GOOD_SENSE } [053]\n"
    "- + WAS * BY $ [051]\n"
    "\n"
    "&VIRTUE\n"
    "+COURAGE\n"
    "+STEADFAST LOYALTY\n"
    "+QUIET_DIGNITY\n"
    "\n"
    "--- FORSAKE [161] ---\n"
    "FORSAKE {FORSOOK FORSAKEN}\n"
    "\n"
    "--- DEPART [087] ---\n"
    "DEPART\n"
    "\n"
    "--- DENOUNCE [111] ---\n"
    "DENOUNCE\n"
    "\n"
    "--- PACIFY [0873] ---\n"
    "PACIFY\n"
    "\n"
    "--- SURVEIL [---] ---\n"
    "WIRE_+TAP {TAPPED TAPPING} [1712]\n"
    "\n"
    "--- CLASH [190] ---\n"
    "CLASH\n"
    "- % * [193]\n"
    "\n"
    "--- INTRODUCE [---] ---\n"
    "INTRODUCE\n"
    "- * ^_TO_+ [086]\n"
    "\n"
    "--- SIGN [---] ---\n"
    "SIGN\n"
    "- * TRADE_PACT WITH + [0571]\n"
    "- * PACT WITH + [057]\n"
    "- * TREATY WITH + [057]\n"
    "- * &ACCORD WITH + [0572]\n"
    "\n"
    "&ACCORD\n"
    "+ARMISTICE\n"
    "+BORDER ACCORD\n"
    "\n"
    "--- VISIT [042:043] ---\n"
    "VISIT\n"
    "- * + UNDER_PROTEST [---]\n";

static const char DISCARDS[] =
    "# test_dict discards\n"
    "FOOTBALL MATCH\n"
    "+ CHESS OLYMPIAD   # the whole story\n";

static const char TABARI_VERBS[] =
    "; TABARI-format verbs: no block headers, words are stems\n"
    "ATTACK  [190]     ; ATTACKS, ATTACKED, ATTACKING\n"
    "- * + WITH ROCKET [195]   ; ROCKET matches ROCKETS\n"
    "RAID_ [180]       ; exact: RAID only\n"
    "; BOMB [183]      a commented-out verb\n"
    "SHELL [194]\n";

/* ---- tests -------------------------------------------------------------------- */
static void test_actors(mp_ctx *x)
{
    const int D = 20200101;
    expect_events(x, "Arnor praised Gondor.", D, "ARN GON 051", "plain actors");
    expect_events(x, "Arnorian leaders praised Gondor.", D, "ARN GON 051", "'+' synonym");
    expect_events(x, "Hiddenland praised Gondor.", D, "", "actor inside <!-- --> is not loaded");
    expect_events(x, "Arnor praised Rohan.", D, "ARN ROH 051",
                  "actor after an inline <!-- --> comment");
    expect_events(x, "Kestravia Free State praised Arnor.", D, "KFS ARN 051",
                  "name joined with '_'");
    expect_events(x, "The Free State of Kestravia praised Arnor.", D, "KFS ARN 051",
                  "synonym joined with spaces");
    expect_events(x, "The Kestravian Republic praised Arnor.", D, "KFS ARN 051",
                  "second synonym");
    expect_events(x, "Mordor praised Arnor.", D, "MOR ARN 051", "code on an indented line");
    expect_events(x, "Velmora praised Arnor.", D, "VLM ARN 051|KST ARN 051",
                  "[VLM/KST] gives a compound");
    expect_events(x, "Arnor praised Velmora.", D, "ARN VLM 051|ARN KST 051",
                  "[VLM/KST] as target");
    expect_events(x, "The Velmora army praised Arnor.", D, "VLMMIL ARN 051|KSTMIL ARN 051",
                  "[VLM/KST] with an agent: each code gets it");

    /* date restrictions, chosen by the story date */
    expect_source(x, "Korvan Tremm praised Arnor.", 20080615, "ZEMREB", "[C <20090120]");
    expect_source(x, "Korvan Tremm praised Arnor.", 20100505, "ZEMGOV", "[C D1-D2]");
    expect_source(x, "Korvan Tremm praised Arnor.", 20090121, "ZEMGOV", "[C D1-D2] near start");
    expect_source(x, "Korvan Tremm praised Arnor.", 20121231, "ZEMGOV",
                  "[C D1-D2] includes its last day");
    expect_source(x, "Korvan Tremm praised Arnor.", 20150101, "ZEMELI",
                  "default code between restrictions");
    expect_source(x, "Korvan Tremm praised Arnor.", 20180301, "ZEMPRS", "[C >20170120]");
    expect_source(x, "Korvan Tremm praised Arnor.", 0, "ZEMELI", "undated story: default code");
    expect_source(x, "Isolde Marr praised Arnor.", 19990101, "ZEMOPP",
                  "6-digit dates: 950601 is 1995");
    expect_source(x, "Lady Isolde praised Arnor.", 20090120, "ZEMGOV",
                  "6-digit range includes its first day (synonym)");
    expect_source(x, "Isolde Marr praised Arnor.", 20121231, "ZEMGOV",
                  "'090120 - 121231' with spaces");
    expect_source(x, "Isolde Marr praised Arnor.", 19940101, "(none)",
                  "no valid code and no default: not an actor");
    expect_source(x, "Isolde Marr praised Arnor.", 20150101, "(none)",
                  "no valid code after the last range");
    expect_source(x, "Talmir Osk praised Arnor.", 20000101, "TLMOPP", "[C <D] on the name line");
    expect_source(x, "Talmir Osk praised Arnor.", 20180101, "TLMGOV",
                  "second [C >D] on the name line");
    expect_source(x, "Talmir Osk praised Arnor.", 20120101, "(none)",
                  "between [C <D] and [C >D], no default: not an actor");
    /* PETRARCH-1: "The limits of the date restrictions are interpreted as
     * 'or equal to'" -- a president is one on inauguration day */
    expect_source(x, "Talmir Osk praised Arnor.", 20170120, "TLMGOV",
                  "[C >D] includes the day D itself");
    expect_source(x, "Talmir Osk praised Arnor.", 20090120, "TLMOPP",
                  "[C <D] includes the day D itself");
}

static void test_agents(mp_ctx *x)
{
    const int D = 20200101;
    expect_events(x, "Arnor policemen praised Gondor.", D, "ARNCOP GON 051",
                  "irregular plural {POLICEMEN}");
    expect_events(x, "The Arnor policeman praised Gondor.", D, "ARNCOP GON 051",
                  "[~COP] suffix agent");
    expect_events(x, "Arnor policemans praised Gondor.", D, "ARN GON 051",
                  "an explicit plural replaces the generated one");
    expect_events(x, "Arnor armies praised Gondor.", D, "ARNMIL GON 051", "ARMY -> ARMIES");
    expect_events(x, "Arnor army praised Gondor.", D, "ARNMIL GON 051", "singular ARMY");
    expect_events(x, "Arnor armys praised Gondor.", D, "ARN GON 051", "no ARMYS");
    expect_events(x, "Arnor churches praised Gondor.", D, "ARNREL GON 051",
                  "CHURCH -> CHURCHES");
    expect_events(x, "Arnor media praised Gondor.", D, "ARNMED GON 051", "{} agent singular");
    expect_events(x, "Arnor medias praised Gondor.", D, "ARN GON 051", "{} suppresses the plural");
    expect_events(x, "The Arnor chairwoman praised Gondor.", D, "ARNLEG GON 051",
                  "!PERSON! substitution (WOMAN)");
    expect_events(x, "The Arnor chairman praised Gondor.", D, "ARNLEG GON 051",
                  "!PERSON! substitution (MAN)");
    expect_events(x, "Arnor chairmen praised Gondor.", D, "ARN GON 051",
                  "substituted forms get no plural");
    expect_events(x, "Arnor spies praised Gondor.", D, "ARN GON 051",
                  "agent inside <!-- --> is not loaded");
    expect_events(x, "The Arnor relief corps praised Gondor.", D, "NGOARN GON 051",
                  "[NGO~] prefix agent");
    expect_events(x, "Gondor praised the Arnor ministers.", D, "GON ARNGOV 051",
                  "code written [ ~GOV ] with spaces; plural MINISTERS");
    expect_events(x, "Arnor border guards praised Gondor.", D, "ARNBGD GON 051",
                  "plural of a multiword agent: BORDER_GUARDS");
}

static void test_verbs(mp_ctx *x)
{
    const int D = 20200101;
    expect_events(x, "Arnor forsook Gondor.", D, "ARN GON 161", "irregular form in { }");
    expect_events(x, "Arnor has forsaken Gondor.", D, "ARN GON 161", "second irregular form");
    expect_events(x, "Arnor forsakes Gondor.", D, "ARN GON 161", "regular -S next to irregulars");
    expect_events(x, "Arnor departed Gondor.", D, "ARN GON 087", "generated -ED");
    expect_events(x, "Arnor departs Gondor.", D, "ARN GON 087", "generated -S");
    expect_events(x, "Arnor was departing Gondor.", D, "ARN GON 087", "generated -ING");
    expect_events(x, "Arnor departes Gondor.", D, "", "DEPARTES is not a form of DEPART");
    expect_events(x, "Arnor denounced Gondor.", D, "ARN GON 111", "-E verb: -D");
    expect_events(x, "Arnor is denouncing Gondor.", D, "ARN GON 111", "-E verb: -ING drops E");
    expect_events(x, "Arnor denounceing Gondor.", D, "", "no DENOUNCEING");
    expect_events(x, "Arnor pacified Gondor.", D, "ARN GON 0873", "-Y verb: -IED");
    expect_events(x, "Arnor pacifies Gondor.", D, "ARN GON 0873", "-Y verb: -IES");
    expect_events(x, "Arnor pacifyed Gondor.", D, "", "no PACIFYED");

    expect_events(x, "Arnor wire tapped Gondor.", D, "ARN GON 1712",
                  "WIRE_+TAP with irregular head {TAPPED}");
    expect_events(x, "Arnor wire taps Gondor.", D, "ARN GON 1712", "WIRE_+TAP generated TAPS");
    expect_events(x, "Arnor tapped Gondor.", D, "", "TAP alone is not WIRE_TAP");
    expect_events(x, "Arnor wire and tapped Gondor.", D, "", "WIRE_TAP words must be adjacent");

    expect_events(x, "Arnor praised Gondor for courage.", D, "ARN GON 052",
                  "synset member (used before definition)");
    expect_events(x, "Arnor praised Gondor for its steadfast loyalty.", D, "ARN GON 052",
                  "multiword synset member (space)");
    expect_events(x, "Arnor praised Gondor for quiet dignity.", D, "ARN GON 052",
                  "multiword synset member ('_')");
    expect_events(x, "Arnor praised Gondor for restraint.", D, "ARN GON 053",
                  "{ A | B } alternative");
    expect_events(x, "Arnor praised Gondor for its good sense.", D, "ARN GON 053",
                  "{ ... | GOOD_SENSE } multiword alternative");
    expect_events(x, "Arnor praised Gondor for rudeness.", D, "ARN GON 051",
                  "no pattern: the block's code");
    expect_events(x, "Gondor was praised by Arnor.", D, "ARN GON 051", "$ and + in a pattern");
    expect_events(x, "Arnor and Gondor clashed.", D, "ARN GON 193|GON ARN 193",
                  "% compound acting on itself");
    expect_events(x, "Arnor introduced Rohan to Gondor.", D, "ARN GON 086", "^ skips Rohan");
    expect_events(x, "Arnor introduced Rohan to the envoys of Gondor.", D, "",
                  "^_TO_+: the target must follow TO at once");

    expect_events(x, "Arnor signed a pact with Gondor.", D, "ARN GON 057", "space: gap allowed");
    expect_events(x, "Arnor signed a trade pact with Gondor.", D, "ARN GON 0571",
                  "longer pattern preferred");
    expect_events(x, "Arnor signed a trade and border pact with Gondor.", D, "ARN GON 057",
                  "TRADE_PACT needs adjacent words");
    expect_events(x, "Arnor signed a border accord with Gondor.", D, "ARN GON 0572",
                  "multiword synset member in a pattern");
    expect_events(x, "Arnor signed an armistice with Gondor.", D, "ARN GON 0572",
                  "synset defined after its use");
    expect_events(x, "Arnor signed a letter with Gondor.", D, "", "[---] block: no event");

    expect_events(x, "Arnor visited Gondor.", D, "ARN GON 042|GON ARN 043", "paired [042:043]");
    expect_events(x, "Arnor visited Gondor under protest.", D, "", "[---] pattern: no event");
}

static void test_tabari(diaglog *dl, const char *actors)
{
    const char *verbs = write_file("tabari.verbs", TABARI_VERBS);
    dictset ds = {actors, NULL, verbs, NULL, NULL, NULL};
    diag_clear(dl);
    mp_coder *c = make_coder(&ds, dl, "TABARI verbs");
    if (!c)
        return;
    check(dl->n == 0, "TABARI verbs: no diagnostics expected, got %zu", dl->n);
    mp_ctx *x = mp_ctx_new(c);
    const int D = 20200101;
    expect_events(x, "Arnor attacked Gondor.", D, "ARN GON 190", "TABARI stem ATTACK -> ATTACKED");
    expect_events(x, "Arnor attacks Gondor.", D, "ARN GON 190", "TABARI stem ATTACK -> ATTACKS");
    expect_events(x, "Arnor attacked Gondor with rockets.", D, "ARN GON 195",
                  "TABARI pattern word ROCKET is a stem");
    expect_events(x, "Arnor will raid Gondor.", D, "ARN GON 180", "TABARI exact RAID_");
    expect_events(x, "Arnor raided Gondor.", D, "", "TABARI exact RAID_ does not stem");
    expect_events(x, "Arnor shelled Gondor.", D, "ARN GON 194", "TABARI verb after a ';' line");
    expect_events(x, "Arnor bombed Gondor.", D, "", "TABARI ';' comments a verb out");
    mp_dict_stats st;
    mp_coder_stats(c, &st);
    check(st.verbs == 3 && st.patterns == 1, "TABARI: each verb line is a block: verbs=%zu "
          "patterns=%zu (expected 3, 1)", st.verbs, st.patterns);
    mp_ctx_free(x);
    mp_coder_free(c);
}

static void test_broken(diaglog *dl)
{
    static const char actors[] =
        "# broken actors\n"
        "<!--\n"
        "  a comment of three lines\n"
        "-->\n"
        "GOODLAND [GDL]\n"
        "BADDATE [BDT >2017013X]\n"
        "NOBRACKET [NBR\n"
        "KORVAN\n"
        "\t[KRV 20170101-2018X101]\n"
        "LATERLAND [LTL]\n";
    static const char agents[] =
        "# broken agents\n"
        "CHANCELLOR [GOV]\n"
        "WARDEN [~WRD]\n";
    static const char verbs[] =
        "--- PRAISE [051] ---\n"
        "PRAISE\n"
        "# a comment\n"
        "- $ + FOR HONOUR [052]\n"
        "- * + FOR GLORY [053]\n";
    const char *pa = write_file("broken.actors", actors);
    const char *pg = write_file("broken.agents", agents);
    const char *pv = write_file("broken.verbs", verbs);
    diag_clear(dl);
    dictset ds = {pa, pg, pv, NULL, NULL, NULL};
    mp_coder *c = make_coder(&ds, dl, "broken files (not strict)");
    if (!c)
        return;
    char want[128];
    snprintf(want, sizeof want, "error:broken.actors:%ld:", line_of(actors, "BADDATE"));
    check(diag_has(dl, want, "date"), "bad date reported as %s...date...", want);
    snprintf(want, sizeof want, "error:broken.actors:%ld:", line_of(actors, "NOBRACKET"));
    check(diag_has(dl, want, "]"), "missing ']' reported as %s", want);
    snprintf(want, sizeof want, "error:broken.actors:%ld:", line_of(actors, "[KRV"));
    check(diag_has(dl, want, "date"), "bad date range on an indented line reported as %s", want);
    snprintf(want, sizeof want, "error:broken.agents:%ld:", line_of(agents, "CHANCELLOR"));
    check(diag_has(dl, want, "~"), "agent without '~' reported as %s", want);
    snprintf(want, sizeof want, "error:broken.verbs:%ld:", line_of(verbs, "HONOUR"));
    check(diag_has(dl, want, "*"), "pattern without '*' reported as %s", want);
    check(diag_count(dl, "error:") == 5, "expected 5 error diagnostics, got %zu",
          diag_count(dl, "error:"));
    mp_dict_stats st;
    mp_coder_stats(c, &st);
    check(st.errors == 5, "stats.errors = %zu, expected 5", st.errors);

    mp_ctx *x = mp_ctx_new(c);
    const diaglog *saved = cur_diag;
    cur_diag = NULL;
    expect_events(x, "Laterland praised Goodland.", 20200101, "LTL GDL 051",
                  "actors after broken lines still load");
    expect_events(x, "The Laterland warden praised Goodland.", 20200101, "LTLWRD GDL 051",
                  "agents after a broken line still load");
    expect_events(x, "Laterland praised Goodland for glory.", 20200101, "LTL GDL 053",
                  "patterns after a broken one still load");
    expect_events(x, "Laterland praised Goodland for honour.", 20200101, "LTL GDL 051",
                  "the broken pattern is skipped");
    expect_events(x, "The Laterland chancellor praised Goodland.", 20200101, "LTL GDL 051",
                  "the broken agent is skipped");
    cur_diag = saved;
    mp_ctx_free(x);
    mp_coder_free(c);

    /* strict: the same files make mp_coder_load fail */
    struct {
        const char *path;
        mp_dict_kind kind;
    } f[] = {{pa, MP_DICT_ACTORS}, {pg, MP_DICT_AGENTS}, {pv, MP_DICT_VERBS}};
    for (size_t i = 0; i < 3; i++) {
        c = mp_coder_new();
        mp_coder_set_diag(c, diag_cb, dl);
        int rc = mp_coder_set_option(c, "strict", "true");
        check(rc == MP_OK, "set strict=true: rc %d", rc);
        rc = mp_coder_load(c, f[i].kind, f[i].path);
        check(rc == MP_ERR_SYNTAX, "strict load of %s: expected MP_ERR_SYNTAX, got %d (%s)",
              base_name(f[i].path), rc, mp_errstr(rc));
        mp_coder_free(c);
    }
    /* strict with a good file is fine */
    c = mp_coder_new();
    mp_coder_set_diag(c, diag_cb, dl);
    mp_coder_set_option(c, "strict", "1");
    const char *good = write_file("good.actors", "GOODLAND [GDL]\n");
    int rc = mp_coder_load(c, MP_DICT_ACTORS, good);
    check(rc == MP_OK, "strict load of a good file: rc %d", rc);
    mp_coder_free(c);

    /* a missing file */
    diag_clear(dl);
    c = mp_coder_new();
    mp_coder_set_diag(c, diag_cb, dl);
    char missing[128];
    snprintf(missing, sizeof missing, "%s/no-such-file.txt", tmpdir);
    rc = mp_coder_load(c, MP_DICT_ACTORS, missing);
    check(rc == MP_ERR_IO, "missing file: expected MP_ERR_IO, got %d", rc);
    check(diag_has(dl, "no-such-file.txt", NULL), "missing file is named in a diagnostic");
    rc = mp_coder_load_options(c, missing);
    check(rc == MP_ERR_IO, "missing options file: expected MP_ERR_IO, got %d", rc);
    mp_coder_free(c);

    /* a synset used but never defined is a warning at ready */
    static const char verbs2[] =
        "--- PRAISE [051] ---\n"
        "PRAISE\n"
        "- * + FOR &NOWHERE [052]\n";
    diag_clear(dl);
    dictset ds2 = {NULL, NULL, write_file("undef.verbs", verbs2), NULL, NULL, NULL};
    c = make_coder(&ds2, dl, "undefined synset");
    if (c) {
        check(diag_has(dl, "warn:", "NOWHERE"), "undefined synset &NOWHERE gives a warning");
        mp_coder_stats(c, &st);
        check(st.warnings == 1 && st.errors == 0, "undefined synset: warnings=%zu errors=%zu",
              st.warnings, st.errors);
    }
    mp_coder_free(c);
}

/* PETRARCH-1: "If no code is present, this defaults to the null code '---'". */
static void test_header_without_code(diaglog *dl, const char *actors)
{
    static const char verbs[] =
        "--- SAY ---\n"
        "SAY {SAID}\n"
        "- * + WAS RIGHT [051]\n";
    const char *pv = write_file("nocode.verbs", verbs);
    dictset ds = {actors, NULL, pv, NULL, NULL, NULL};
    diag_clear(dl);
    mp_coder *c = make_coder(&ds, dl, "header without code");
    if (!c)
        return;
    check(diag_count(dl, "error:") == 0, "'--- SAY ---' without [code] is valid PETRARCH-1; "
          "got %zu error diagnostics", diag_count(dl, "error:"));
    mp_ctx *x = mp_ctx_new(c);
    expect_events(x, "Arnor said Gondor was right.", 20200101, "ARN GON 051",
                  "pattern of a block without a code");
    expect_events(x, "Arnor said Gondor was late.", 20200101, "",
                  "a block without a code codes nothing by itself");
    mp_ctx_free(x);
    mp_coder_free(c);
    c = mp_coder_new();
    mp_coder_set_diag(c, diag_cb, dl);
    mp_coder_set_option(c, "strict", "true");
    int rc = mp_coder_load(c, MP_DICT_VERBS, pv);
    check(rc == MP_OK, "strict load of a block header without [code]: rc %d (%s)", rc,
          mp_errstr(rc));
    mp_coder_free(c);
}

static void test_options(diaglog *dl, const dictset *world)
{
    mp_coder *c = mp_coder_new();
    static const struct {
        const char *name, *value;
        int rc;
    } cases[] = {
        {"require_dyad", "false", MP_OK},  {"require_dyad", "TRUE", MP_OK},
        {"require_dyad", "0", MP_OK},      {"require_dyad", "maybe", MP_ERR_OPTION},
        {"require_dyad", "", MP_ERR_OPTION}, {"comma_min", "3", MP_OK},
        {"comma_max", "0", MP_OK},         {"comma_max", "-1", MP_ERR_OPTION},
        {"comma_max", "5x", MP_ERR_OPTION}, {"comma_bmin", "1", MP_OK},
        {"comma_bmax", "9", MP_OK},        {"comma_emin", "2", MP_OK},
        {"comma_emax", "abc", MP_ERR_OPTION}, {"new_actor_length", "2", MP_OK},
        {"max_tokens", "0", MP_ERR_OPTION}, {"max_tokens", "5000", MP_OK},
        {"strict", "false", MP_OK},        {"no_such_option", "1", MP_ERR_OPTION},
        {"", "1", MP_ERR_OPTION},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = mp_coder_set_option(c, cases[i].name, cases[i].value);
        check(rc == cases[i].rc, "mp_coder_set_option(%s, %s): expected %d, got %d",
              cases[i].name, cases[i].value, cases[i].rc, rc);
    }
    check(mp_coder_set_option(c, NULL, "1") == MP_ERR_OPTION, "set_option(NULL name)");
    check(mp_coder_set_option(c, "comma_min", NULL) == MP_ERR_OPTION, "set_option(NULL value)");
    mp_coder_free(c);

    /* context options override the coder's for that context only */
    diag_clear(dl);
    c = make_coder(world, dl, "options world");
    if (!c)
        return;
    mp_ctx *x = mp_ctx_new(c), *y = mp_ctx_new(c);
    const int D = 20200101;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (!strcmp(cases[i].name, "strict"))
            continue;
        int rc = mp_ctx_set_option(x, cases[i].name, cases[i].value);
        check(rc == cases[i].rc, "mp_ctx_set_option(%s, %s): expected %d, got %d",
              cases[i].name, cases[i].value, cases[i].rc, rc);
    }
    mp_ctx_reset_options(x);
    expect_events(x, "Arnor praised the talks.", D, "", "require_dyad defaults to true");
    check(mp_ctx_set_option(x, "require_dyad", "false") == MP_OK, "ctx require_dyad=false");
    expect_events(x, "Arnor praised the talks.", D, "ARN --- 051", "ctx require_dyad=false");
    expect_events(y, "Arnor praised the talks.", D, "", "another ctx keeps require_dyad");
    mp_ctx_reset_options(x);
    expect_events(x, "Arnor praised the talks.", D, "", "mp_ctx_reset_options");
    mp_ctx_free(x);
    mp_ctx_free(y);
    mp_coder_free(c);

    /* an options file */
    static const char opts[] =
        "# test options\n"
        "require_dyad = false\n"
        "\n"
        "bogus_option = 3\n"
        "comma_emax: 0   # ':' also separates\n"
        "comma_min = many\n";
    dictset ds = *world;
    ds.options = write_file("test.options", opts);
    diag_clear(dl);
    c = make_coder(&ds, dl, "options file");
    if (!c)
        return;
    char want[96];
    snprintf(want, sizeof want, "error:test.options:%ld:", line_of(opts, "bogus"));
    check(diag_has(dl, want, "bogus_option"), "unknown option reported as %s", want);
    snprintf(want, sizeof want, "error:test.options:%ld:", line_of(opts, "many"));
    check(diag_has(dl, want, "comma_min"), "bad option value reported as %s", want);
    x = mp_ctx_new(c);
    expect_events(x, "Arnor praised the talks.", D, "ARN --- 051",
                  "options file: require_dyad = false");
    /* comma_emax = 0: the short last clause is kept */
    expect_events(x, "Arnor praised the talks, Gondor reported.", D, "ARN GON 051",
                  "options file: comma_emax: 0");
    mp_ctx_free(x);
    mp_coder_free(c);
}

static void test_discards(mp_ctx *x)
{
    const int D = 20200101;
    expect_events(x, "Arnor praised Gondor. Rohan praised Mordor after the football match.", D,
                  "ARN GON 051", "sentence discard keeps the other sentences");
    check(mp_ctx_discarded(x) == 0, "sentence discard: mp_ctx_discarded()=%d, expected 0",
          mp_ctx_discarded(x));
    expect_events(x, "Arnor praised Gondor. Gondor will host the chess olympiad.", D, "",
                  "story discard '+': no events");
    check(mp_ctx_discarded(x) == 1, "story discard: mp_ctx_discarded()=%d, expected 1",
          mp_ctx_discarded(x));
    expect_events(x, "Rohan praised Mordor at the football match.", D, "",
                  "every sentence discarded");
    check(mp_ctx_discarded(x) == 2, "all sentences discarded: mp_ctx_discarded()=%d, expected 2",
          mp_ctx_discarded(x));
    expect_events(x, "Arnor praised the football club of Gondor.", D, "ARN GON 051",
                  "a partial discard phrase does not discard");
    check(mp_ctx_discarded(x) == 0, "after a normal story mp_ctx_discarded()=%d",
          mp_ctx_discarded(x));
}

static void test_stats(diaglog *dl)
{
    static const char actors[] = "ALPHA [AAA]\n+ALPHANIA\nBETA [BBB]\n";
    static const char agents[] = "MINISTER [~GOV]\nAID_AGENCY [NGO~]\n";
    static const char verbs[] =
        "--- PRAISE [051] ---\n"
        "PRAISE\n"
        "LAUD\n"
        "- * + FOR &DEEDS [052]\n"
        "- $ * { WARMLY | KINDLY } [053]\n"
        "\n"
        "&DEEDS\n"
        "+BRAVERY\n"
        "+KINDNESS\n"
        "\n"
        "--- FORSAKE [161] ---\n"
        "FORSAKE {FORSOOK FORSAKEN}\n";
    static const char discards[] = "FOOTBALL MATCH\n+CHESS OLYMPIAD\n";
    static const char issues[] =
        "<ISSUE CATEGORY=\"PEACE\">\n"
        "CEASE-FIRE [PEACE]\n"
        "PEACE_TALKS [PEACE]\n";
    dictset ds = {write_file("s.actors", actors), write_file("s.agents", agents),
                  write_file("s.verbs", verbs),   write_file("s.discards", discards),
                  write_file("s.issues", issues), NULL};
    diag_clear(dl);
    mp_coder *c = make_coder(&ds, dl, "stats");
    if (!c)
        return;
    mp_dict_stats st;
    mp_coder_stats(c, &st);
    check(st.actors == 2, "stats.actors = %zu, expected 2", st.actors);
    check(st.actor_names == 3, "stats.actor_names = %zu, expected 3", st.actor_names);
    check(st.agents == 2, "stats.agents = %zu, expected 2", st.agents);
    check(st.verbs == 2, "stats.verbs (blocks) = %zu, expected 2", st.verbs);
    check(st.verb_forms == 14, "stats.verb_forms = %zu, expected 14 (4+4+4+2)", st.verb_forms);
    check(st.patterns == 2, "stats.patterns = %zu, expected 2", st.patterns);
    check(st.synsets == 2, "stats.synsets = %zu, expected 2 (&DEEDS and { | })", st.synsets);
    check(st.discards == 2, "stats.discards = %zu, expected 2", st.discards);
    check(st.issues == 2, "stats.issues = %zu, expected 2", st.issues);
    check(st.errors == 0 && st.warnings == 0, "stats errors=%zu warnings=%zu, expected 0 0",
          st.errors, st.warnings);
    mp_coder_stats(NULL, &st);
    check(st.actors == 0 && st.patterns == 0, "mp_coder_stats(NULL) gives zeros");
    mp_coder_free(c);
}

int main(void)
{
    diaglog dl = {0};
    cur_diag = &dl;
    snprintf(tmpdir, sizeof tmpdir, "%s", "/tmp/magpie-test-dict-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        printf("FAIL: mkdtemp\n");
        printf("0 passed, 1 failed\n");
        return 1;
    }
    dictset world = {write_file("actors.txt", ACTORS), write_file("agents.txt", AGENTS),
                     write_file("verbs.txt", VERBS),   write_file("discards.txt", DISCARDS),
                     NULL, NULL};
    mp_coder *c = make_coder(&world, &dl, "world");
    if (c) {
        check(dl.n == 0, "world dictionaries: no diagnostics expected, got %zu", dl.n);
        mp_dict_stats st;
        mp_coder_stats(c, &st);
        check(st.errors == 0 && st.warnings == 0, "world: errors=%zu warnings=%zu", st.errors,
              st.warnings);
        mp_ctx *x = mp_ctx_new(c);
        mp_ctx_set_diag(x, diag_cb, &dl);
        test_actors(x);
        test_agents(x);
        test_verbs(x);
        test_discards(x);
        mp_ctx_free(x);
        check(mp_coder_load(c, MP_DICT_ACTORS, world.actors) == MP_ERR_STATE,
              "mp_coder_load after ready: MP_ERR_STATE");
        mp_coder_free(c);
    }
    test_tabari(&dl, world.actors);
    test_broken(&dl);
    test_header_without_code(&dl, world.actors);
    test_options(&dl, &world);
    test_stats(&dl);
    mp_coder_free(NULL);
    mp_ctx_free(NULL);

    diag_free(&dl);
    remove_files();
    printf("%d passed, %d failed\n", npass, nfail);
    return nfail != 0;
}
