/*
 * test_acled.c -- tests of the ACLED view of events (src/acled.c) with the
 * project's table data/acled.tsv (read from the repository root, where
 * `make test` runs the tests).
 *
 * Each check prints one line when it fails; the program ends with
 * "N passed, N failed" and exits nonzero on any failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acled.h"

static int npass, nfail;
static acled_table *T;
static tx_doc D;

static void ok(int cond, const char *what, const char *detail) {
    if (cond) {
        npass++;
    } else {
        nfail++;
        printf("FAIL: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    }
}

/* type NULL: no ACLED type expected */
static void check(const char *code, const char *text, const char *src, const char *tgt,
                  const char *type, const char *sub) {
    const char *ty = NULL, *su = NULL;
    char what[300], got[200];
    tx_segment(&D, text, strlen(text));
    int r = acled_classify(T, code, &D, 0, src, tgt, &ty, &su);
    snprintf(what, sizeof what, "%s %s", code, text);
    snprintf(got, sizeof got, "got %s / %s", r ? ty : "-", r ? su : "-");
    if (!type)
        ok(r == 0, what, got);
    else
        ok(r == 1 && !strcmp(ty, type) && !strcmp(su, sub), what, got);
}

int main(void) {
    tx_doc_init(&D);
    FILE *f = fopen("data/acled.tsv", "rb");
    static char buf[1 << 16];
    size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
    if (f) fclose(f);
    char err[100];
    ok(n > 0 && n < sizeof buf, "read data/acled.tsv", NULL);
    ok(acled_load(buf, n, &T, err, sizeof err) == MP_OK && T, "load data/acled.tsv", err);
    ok(acled_rows(T) > 40, "it has rows", NULL);
    if (T) {
        /* protests */
        check("141", "Thousands marched through the capital.", "FRAOPP", NULL, "Protests",
              "Peaceful protest");
        check("1412", "Police fired tear gas at the crowd.", "FRACVL", NULL, "Protests",
              "Protest with intervention");
        check("141", "Security forces opened fire, killing six protesters.", "SDNCVL", NULL,
              "Protests", "Excessive force against protesters");
        check("143", "Dock workers went on strike.", "FRALAB", NULL, "Protests",
              "Peaceful protest");
        check("145", "Rioters burned cars.", "FRACVL", NULL, "Riots", "Violent demonstration");
        check("1452", "Rioters were looting shops.", "FRACVL", NULL, "Riots", "Mob violence");
        check("175", "Police beat demonstrators with batons.", "IRNCOP", "IRNCVL", "Protests",
              "Protest with intervention");
        check("175", "Police shot dead 12 demonstrators.", "IRNCOP", "IRNCVL", "Protests",
              "Excessive force against protesters");
        check("175", "Soldiers beat villagers.", "MMRMIL", "MMRCVL", "Violence against civilians",
              "Attack");
        /* explosions and remote violence */
        check("190", "Warplanes hit the town in an air strike.", "SYRMIL", "SYRREB",
              "Explosions/Remote violence", "Air/drone strike");
        check("195", "A drone hit a car.", "USAMIL", "IMGMUS", "Explosions/Remote violence",
              "Air/drone strike");
        check("194", "Tanks pounded the city.", "RUSMIL", "UKRMIL", "Explosions/Remote violence",
              "Shelling/artillery/missile attack");
        check("190", "Rebels shelled the southern capital.", "SDNREB", "SDN",
              "Explosions/Remote violence", "Shelling/artillery/missile attack");
        check("1831", "A suicide bomber struck a market.", "IMGMUS", "IRQCVL",
              "Explosions/Remote violence", "Suicide bomb");
        check("183", "A roadside bomb killed a soldier.", NULL, "USAMIL",
              "Explosions/Remote violence", "Remote explosive/landmine/IED");
        check("190", "An improvised explosive device hit the convoy.", NULL, "USAMIL",
              "Explosions/Remote violence", "Remote explosive/landmine/IED");
        check("190", "Air defences intercepted two missiles.", "ISRMIL", NULL,
              "Strategic developments", "Disrupted weapons use");
        /* battles, violence against civilians */
        check("193", "Troops and rebels exchanged fire.", "COGMIL", "COGREB", "Battles",
              "Armed clash");
        check("193", "Gunmen shot at villagers.", "NGAREB", "NGACVL", "Violence against civilians",
              "Attack");
        check("190", "Militiamen attacked a camp, killing civilians.", "BDIMIL", "COD",
              "Violence against civilians", "Attack");
        check("192", "Rebels seized the town.", "MLIREB", "MLI", "Battles",
              "Non-state actor overtakes territory");
        check("192", "The army recaptured the town.", "MLIMIL", "MLIREB", "Battles",
              "Government regains territory");
        check("181", "Gunmen kidnapped 16 advisers.", "AFGREB", "RUSCVL",
              "Violence against civilians", "Abduction/forced disappearance");
        check("1821", "Soldiers raped women.", "CODMIL", "CODCVL", "Violence against civilians",
              "Sexual violence");
        check("186", "Gunmen killed the mayor.", NULL, "MEXGOV", "Violence against civilians",
              "Attack");
        check("2041", "Forces used chemical weapons.", "SYRMIL", "SYRCVL",
              "Explosions/Remote violence", "Chemical weapon");
        /* strategic developments */
        check("173", "Police arrested dozens of protesters.", "FRACOP", "FRACVL",
              "Strategic developments", "Arrests");
        check("1712", "Soldiers destroyed homes.", "ISRMIL", "PSECVL", "Strategic developments",
              "Looting/property destruction");
        check("0871", "The parties declared a truce.", "SDNGOV", "SDNREB", "Strategic developments",
              "Agreement");
        check("057", "The rebels and the government signed a ceasefire.", "SDNGOV", "SDNREB",
              "Strategic developments", "Agreement");
        check("154", "The president deployed 2,000 troops.", "USAGOV", "USA",
              "Strategic developments", "Change to group/activity");
        /* no ACLED type */
        check("057", "The two countries signed a trade deal.", "USA", "JPN", NULL, NULL);
        check("042", "The president visited Paris.", "USAGOV", "FRA", NULL, NULL);
        check("010", "The minister made a statement.", "FRAGOV", NULL, NULL, NULL);
        check("x", "Nothing.", NULL, NULL, NULL, NULL);
        const char *ty, *su;
        ok(!acled_classify(T, NULL, &D, 0, NULL, NULL, &ty, &su), "no code: 0", NULL);
        ok(acled_classify(T, "193", NULL, 0, NULL, NULL, &ty, &su) && !strcmp(ty, "Battles"),
           "no sentence: conditions on words fail, the default row answers", NULL);
    }
    /* malformed tables */
    acled_table *t2;
    const char *bad1 = "code\twhen\tevent_type\tsub_event_type\n19x\t*\tBattles\tArmed clash\n";
    ok(acled_load(bad1, strlen(bad1), &t2, err, sizeof err) == MP_ERR_SYNTAX &&
           !strncmp(err, "line 2", 6),
       "a bad code is MP_ERR_SYNTAX at line 2", err);
    const char *bad2 = "19\tweird=X\tBattles\tArmed clash\n";
    ok(acled_load(bad2, strlen(bad2), &t2, err, sizeof err) == MP_ERR_SYNTAX,
       "an unknown condition", err);
    const char *bad3 = "19\t*\tBattles\n";
    ok(acled_load(bad3, strlen(bad3), &t2, err, sizeof err) == MP_ERR_SYNTAX, "three columns", err);
    const char *bad4 = "19\twords=\tBattles\tArmed clash\n";
    ok(acled_load(bad4, strlen(bad4), &t2, err, sizeof err) == MP_ERR_SYNTAX, "an empty condition",
       err);
    ok(acled_load("", 0, &t2, err, sizeof err) == MP_OK && acled_rows(t2) == 0, "an empty table",
       err);
    acled_free(t2);
    acled_free(T);
    acled_free(NULL);
    tx_doc_free(&D);
    printf("%d passed, %d failed\n", npass, nfail);
    return nfail ? 1 : 0;
}
