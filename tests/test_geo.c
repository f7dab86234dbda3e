/*
 * test_geo.c -- tests of the gazetteer and the place of an event (src/geo.c).
 *
 * A small gazetteer table written here (the TSV format of
 * tools/gen_gazetteer.js, real coordinates and GeoNames ids) is compiled
 * with geo_build() and loaded with geo_open_mem(), so the whole path runs
 * without the generated gazetteer.  If build/gazetteer.bin exists (see
 * tools/build_gazetteer.sh) it is loaded too and timed.  Each check prints
 * one line when it fails; the program ends with "N passed, N failed" and
 * exits nonzero on any failure.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "geo.h"

static int npass, nfail;

static void ok(int cond, const char *what, const char *detail) {
    if (cond) {
        npass++;
    } else {
        nfail++;
        printf("FAIL: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    }
}

static const char table[] =
    "# a small gazetteer for the tests\n"
    "country\tFRA\tFR\tFR\t3017382\t46.00000\t2.00000\t60000000\tFrance\tFrench Republic\tFrench\n"
    "country\tUSA\tUS\tUS\t6252001\t38.00000\t-97.00000\t300000000\tUnited "
    "States\t=U.S.|=US|America\tAmerican|Americans\n"
    "country\tITA\tIT\tIT\t3175395\t42.83333\t12.83333\t59000000\tItaly\t\tItalian\n"
    "country\tIRQ\tIQ\tIZ\t99237\t33.00000\t44.00000\t30000000\tIraq\t\tIraqi|Iraqis\n"
    "country\tISR\tIL\tIS\t294640\t31.47000\t35.13000\t8000000\tIsrael\t\tIsraeli\n"
    "country\tPSE\tPS\tWE\t6254930\t31.90000\t35.20000\t4000000\tPalestine\t\tPalestinian|"
    "Palestinians\n"
    "country\tLBN\tLB\tLE\t272103\t33.83333\t35.83333\t3000000\tLebanon\t\tLebanese\n"
    "country\tLBY\tLY\tLY\t2215636\t25.00000\t17.00000\t6000000\tLibya\t\tLibyan\n"
    "country\tBIH\tBA\tBK\t3277605\t44.00000\t18.00000\t3500000\tBosnia and "
    "Herzegovina\tBosnia\tBosnian\n"
    "country\tPOL\tPL\tPL\t798544\t52.00000\t20.00000\t38000000\tPoland\t\tPolish\n"
    "admin1\tUSA\tUS-TX\tUSTX\t4736286\t30.97223\t-97.67870\t21421253\tTexas\t\t\n"
    "admin1\tFRA\tFR-IDF\tFRA8\t3012874\t48.70000\t2.50000\t11000000\tÎle-de-France\tIle-de-"
    "France\t\n"
    "city\tFRA\tFR-IDF\tPPLC\t2988507\t48.85341\t2.34880\t2138551\tParis\t*Paris\t\n"
    "city\tUSA\tUS-TX\tPPLA2\t4717560\t33.66094\t-95.55551\t24782\tParis\t\t\n"
    "city\tUSA\t\tPPLA2\t4647963\t36.30200\t-88.32671\t10150\tParis\t\t\n"
    "city\tUSA\t\tPPLC\t4140963\t38.89511\t-77.03637\t689545\tWashington, "
    "D.C.\t*Washington|*Washington DC\t\n"
    "city\tIRQ\t\tPPLA\t99532\t30.50852\t47.78040\t2600000\tBasrah\t*Basra\t\n"
    "city\tIRQ\t\tPPLA2\t91597\t34.19590\t43.88568\t158508\tSāmarrā’\t\t\n"
    "city\tPSE\t\tPPLA\t281133\t31.50161\t34.46672\t410000\tGaza\t*Gaza City\t\n"
    "city\tLBN\t\tPPLA\t266826\t34.43667\t35.84972\t229398\tTripoli\t\t\n"
    "city\tLBY\t\tPPLC\t2210247\t32.88743\t13.18733\t1150989\tTripoli\t\t\n"
    "city\tITA\t\tPPLA\t3176219\t44.40632\t8.93386\t580223\tGenoa\t\t\n"
    "city\tBIH\t\tPPLA2\t3199071\t43.66750\t18.97639\t17650\tGoražde\t\t\n"
    "city\tPOL\t\tPPLA2\t3088848\t53.55214\t14.57182\t34350\tPolice\t\t\n"
    "city\tUSA\tUS-TX\tPPLA2\t4684888\t32.78306\t-96.80667\t1300092\tDallas\t\t\n";

static geo_gaz *G;

/* Segment text, start a document, and locate sentence 0 with the given
 * actors (NULL-terminated). */
static int locate(const char *text, const char *const *actors, geo_place *p, tx_doc *d,
                  geo_ctx *x) {
    size_t n = 0;
    while (actors && actors[n])
        n++;
    if (tx_segment(d, text, strlen(text)) != 0 || !d->nsent) return -9;
    if (geo_document(x, text, strlen(text), d) != MP_OK) return -8;
    geo_hints h = {actors, n, UINT32_MAX};
    return geo_locate(x, 0, &h, p);
}

static void expect(const char *text, const char *const *actors, const char *name, const char *iso3,
                   int precision, geo_ctx *x, tx_doc *d) {
    geo_place p;
    char what[300];
    int r = locate(text, actors, &p, d, x);
    snprintf(what, sizeof what, "%s -> %s %s", text, name ? name : "(none)", iso3 ? iso3 : "");
    if (!name) {
        char got[200];
        snprintf(got, sizeof got, "got %s", r == 1 ? p.name : "?");
        ok(r == 0, what, r == 1 ? got : NULL);
        return;
    }
    char got[200];
    snprintf(got, sizeof got, "got r=%d %s %s prec %d", r, r == 1 ? p.name : "-",
             r == 1 ? p.country : "-", r == 1 ? p.precision : 0);
    ok(r == 1 && !strcmp(p.name, name) && !strcmp(p.country, iso3) && p.precision == precision,
       what, got);
}

static void test_build_and_load(void) {
    void *img;
    size_t size;
    char err[100];
    ok(geo_build(table, strlen(table), &img, &size, err, sizeof err) == MP_OK, "build the table",
       err);
    ok(geo_open_mem(img, size, &G) == MP_OK && G, "load the image", NULL);
    ok(geo_nplaces(G) == 25, "25 places", NULL);

    /* a damaged image is refused, never read past its end */
    unsigned char *bad = malloc(size);
    memcpy(bad, img, size);
    bad[size / 2] ^= 0x40;
    geo_gaz *g2 = NULL;
    ok(geo_open_mem(bad, size, &g2) == MP_ERR_SYNTAX && !g2, "a flipped byte is MP_ERR_SYNTAX",
       NULL);
    ok(geo_open_mem(img, size - 1, &g2) == MP_ERR_SYNTAX && !g2,
       "a truncated image is MP_ERR_SYNTAX", NULL);
    ok(geo_open_mem("MAGPIEGZ", 8, &g2) == MP_ERR_SYNTAX, "a header alone is MP_ERR_SYNTAX", NULL);
    ok(geo_open_mem(NULL, 0, &g2) == MP_ERR_SYNTAX, "no image is MP_ERR_SYNTAX", NULL);
    for (size_t cut = 0; cut < size; cut += size / 97 + 1) { /* no crash on any prefix */
        geo_gaz *g3 = NULL;
        if (geo_open_mem(img, cut, &g3) == MP_OK) geo_free(g3);
    }
    free(bad);
    free(img);
    ok(geo_open("/nonexistent/gazetteer.bin", &g2) == MP_ERR_IO, "a missing file is MP_ERR_IO",
       NULL);

    /* broken tables say which line */
    const char *broken = "country\tFRA\tFR\tFR\t1\t46\t2\t1\tFrance\t\t\ncity\tXXX\t\tPPL\t2\t1\t1"
                         "\t1\tNowhere\t\t\n";
    ok(geo_build(broken, strlen(broken), &img, &size, err, sizeof err) == MP_ERR_SYNTAX &&
           !strncmp(err, "line 2:", 7),
       "a city of an unknown country: MP_ERR_SYNTAX at line 2", err);
    const char *badcoord = "country\tFRA\tFR\tFR\t1\t146\t2\t1\tFrance\t\t\n";
    ok(geo_build(badcoord, strlen(badcoord), &img, &size, err, sizeof err) == MP_ERR_SYNTAX,
       "latitude 146: MP_ERR_SYNTAX", err);
    const char *badkind = "town\tFRA\tFR\tFR\t1\t46\t2\t1\tFrance\t\t\n";
    ok(geo_build(badkind, strlen(badkind), &img, &size, err, sizeof err) == MP_ERR_SYNTAX,
       "an unknown kind: MP_ERR_SYNTAX", err);
    ok(geo_build("", 0, &img, &size, err, sizeof err) == MP_OK, "an empty table builds", err);
    if (geo_open_mem(img, size, &g2) == MP_OK) {
        ok(geo_nplaces(g2) == 0, "an empty gazetteer has no places", NULL);
        geo_free(g2);
    }
    free(img);
}

static void test_lookup(void) {
    uint32_t ids[8];
    geo_place p;
    long n = geo_lookup(G, "Paris", 5, ids, 8);
    ok(n == 3, "three places are called Paris", NULL);
    ok(n >= 1 && geo_get(G, ids[0], &p) && p.geonameid == 2988507, "the biggest Paris first", NULL);
    ok(geo_lookup(G, "GORAZDE", 7, ids, 8) == 1, "GORAZDE finds Goražde (accents folded)", NULL);
    ok(geo_lookup(G, "Samarra", 7, ids, 8) == 1, "Samarra finds Sāmarrā’ (apostrophe dropped)",
       NULL);
    ok(geo_lookup(G, "Atlantis", 8, ids, 8) == 0, "no Atlantis", NULL);
    ok(geo_lookup(G, "French", 6, ids, 8) == 0, "a demonym is no place", NULL);

    ok(geo_country(G, "FRA", &p) && p.precision == GEO_COUNTRY && (p.flags & GEO_CENTROID) &&
           p.lat == 46.0 && p.lon == 2.0 && !strcmp(p.country2, "FR"),
       "France: a country at its centroid", NULL);
    ok(!geo_get(G, 99, &p), "geo_get past the end is 0", NULL);

    char iso[4];
    ok(geo_cameo_country(NULL, "ROM", iso) && !strcmp(iso, "ROU"), "CAMEO ROM is ROU", NULL);
    ok(geo_cameo_country(NULL, "KSVREB", iso) && !strcmp(iso, "XKX"), "CAMEO KSV is XKX", NULL);
    ok(geo_cameo_country(NULL, "ZAR", iso) && !strcmp(iso, "COD"), "CAMEO ZAR is COD", NULL);
    ok(!geo_cameo_country(NULL, "IGOUNO", iso), "IGO has no country", NULL);
    ok(!geo_cameo_country(NULL, "AFR", iso), "AFR has no country", NULL);
    ok(!geo_cameo_country(NULL, "---", iso), "--- has no country", NULL);
    ok(geo_cameo_country(G, "FRACOP", iso) && !strcmp(iso, "FRA"), "FRACOP is FRA", NULL);
    ok(!geo_cameo_country(G, "DEUGOV", iso), "DEU is no country of this gazetteer", NULL);
}

static void test_places(void) {
    geo_ctx *x = geo_ctx_new(G);
    tx_doc d;
    tx_doc_init(&d);
    static const char *const fra[] = {"FRACOP", "FRACVL", NULL};
    static const char *const usa[] = {"USAGOV", NULL};
    static const char *const irq[] = {"IRQCOP", NULL};
    static const char *const lbn[] = {"SYRMIL", "LBN", NULL};
    static const char *const isr[] = {"ISRMIL", "PSE", NULL};

    /* homonyms */
    expect("French riot police arrested dozens of protesters in Paris on Sunday.", fra, "Paris",
           "FRA", GEO_CITY, x, &d);
    expect("American tourists were stranded in Paris on Sunday.", usa, "Paris", "FRA", GEO_CITY, x,
           &d);
    expect("A tornado destroyed homes in Paris, Texas on Sunday.", usa, "Paris", "USA", GEO_CITY, x,
           &d);
    geo_place p;
    const char *t = "A tornado destroyed homes in Paris, Texas on Sunday.";
    int r = locate(t, usa, &p, &d, x);
    ok(r == 1 && !strcmp(p.admin1, "US-TX") && !strcmp(p.admin1_name, "Texas") &&
           !strcmp(p.adm1_gdelt, "USTX") && p.geonameid == 4717560 && (p.flags & GEO_QUALIFIED),
       "Paris, Texas: admin1 US-TX, geonameid 4717560, qualified", NULL);
    ok(r == 1 && p.span.end - p.span.start == 12 && !memcmp(t + p.span.start, "Paris, Texas", 12),
       "Paris, Texas: the span covers the qualifier", NULL);
    ok(r == 1 && fabs(p.lat - 33.66094) < 1e-6 && fabs(p.lon + 95.55551) < 1e-6,
       "Paris, Texas: its own coordinates", NULL);
    expect("Police in Paris, France detained two men.", usa, "Paris", "FRA", GEO_CITY, x, &d);
    expect("Militias clashed in Tripoli as shells hit the north Lebanese port.", NULL, "Tripoli",
           "LBN", GEO_CITY, x, &d);
    expect("Militias clashed in Tripoli on Sunday.", NULL, "Tripoli", "LBY", GEO_CITY, x, &d);
    expect("Militias clashed in Tripoli on Sunday.", lbn, "Tripoli", "LBN", GEO_CITY, x, &d);

    /* GDELT's geography */
    char full[64];
    r = locate("A tornado destroyed homes in Paris, Texas on Sunday.", usa, &p, &d, x);
    ok(r == 1 && geo_gdelt_type(&p) == 3, "Paris, Texas: GDELT type 3 (US city)", NULL);
    ok(geo_full_name(G, &p, full, sizeof full) == 27 &&
           !strcmp(full, "Paris, Texas, United States"),
       "Paris, Texas: full name", full);
    ok(geo_full_name(G, &p, full, 10) == 27 && !strcmp(full, "Paris, Te"), "full name cut to fit",
       full);
    r = locate("Police fired tear gas in Paris.", fra, &p, &d, x);
    ok(r == 1 && geo_gdelt_type(&p) == 4 &&
           geo_full_name(G, &p, full, sizeof full) == strlen("Paris, Île-de-France, France") &&
           !strcmp(full, "Paris, Île-de-France, France"),
       "Paris: GDELT type 4, full name with its region", full);
    ok(geo_full_name(G, &p, full, 9) == strlen("Paris, Île-de-France, France") &&
           !strcmp(full, "Paris, "),
       "a cut does not split a UTF-8 character", full);
    ok(geo_country(G, "FRA", &p) && geo_gdelt_type(&p) == 1 &&
           geo_full_name(G, &p, full, sizeof full) == 6 && !strcmp(full, "France"),
       "France: GDELT type 1, full name France", full);
    ok(geo_gdelt_type(NULL) == 0 && geo_full_name(G, NULL, full, sizeof full) == 0 && !full[0],
       "no place: type 0, empty name", NULL);

    /* a country is a country */
    expect("Thousands of students marched in France on Saturday.", NULL, "France", "FRA",
           GEO_COUNTRY, x, &d);
    r = locate("Thousands of students marched in France on Saturday.", NULL, &p, &d, x);
    ok(r == 1 && (p.flags & GEO_CENTROID) && p.geonameid == 3017382 && p.lat == 46.0,
       "France: centroid coordinates, the country's geonameid", NULL);
    expect("Protests spread across the United States.", NULL, "United States", "USA", GEO_COUNTRY,
           x, &d);
    expect("U.S. troops arrived in Basra on Monday.", usa, "Basrah", "IRQ", GEO_CITY, x, &d);

    /* the place of the event, not of the reporter */
    t = "WASHINGTON (Reuters) - Israeli troops killed three Palestinians in Gaza on Sunday.";
    expect(t, isr, "Gaza", "PSE", GEO_CITY, x, &d);
    r = geo_dateline(x, &p);
    ok(r == 1 && !strcmp(p.country, "USA") && p.geonameid == 4140963 && (p.flags & GEO_DATELINE),
       "the dateline's place is Washington, D.C.", NULL);
    expect("WASHINGTON (Reuters) - The president signed the bill on Sunday.", usa,
           "Washington, D.C.", "USA", GEO_CITY, x, &d);
    expect("WASHINGTON (Reuters) - Iraqi police arrested 12 people on Sunday.", irq, NULL, NULL, 0,
           x, &d);
    expect("PARIS, Texas (AP) - The mayor resigned on Monday.", usa, "Paris", "USA", GEO_CITY, x,
           &d);

    /* the most specific place, the place after "in" */
    expect("A US national was put under investigation in Italy for rioting in Genoa.", NULL,
           "Genoa", "ITA", GEO_CITY, x, &d);
    expect("Zambia extradited a militant to Iraq on Sunday, an official in Paris said.", NULL,
           "Iraq", "IRQ", GEO_COUNTRY, x, &d);
    expect("U.N. helicopters evacuated the wounded from the besieged Bosnian town of Gorazde.",
           NULL, "Goražde", "BIH", GEO_CITY, x, &d);
    expect("A roadside bomb near the town of Samarra killed a soldier.", NULL, "Sāmarrā’", "IRQ",
           GEO_CITY, x, &d);

    /* words that are no places here */
    expect("Police said the crowd dispersed peacefully.", NULL, NULL, NULL, 0, x, &d);
    expect("President Washington spoke on Sunday.", NULL, NULL, NULL, 0, x, &d);
    expect("The Paris Agreement was signed by many countries.", NULL, NULL, NULL, 0, x, &d);
    expect("Officials met at the White House on Sunday.", NULL, NULL, NULL, 0, x, &d);
    expect("us and them", NULL, NULL, NULL, 0, x, &d);

    /* mentions */
    locate("Talks in Paris and Tripoli failed, a Lebanese official said.", NULL, &p, &d, x);
    ok(geo_nmentions(x) == 2, "two places named", NULL);
    ok(geo_mention(x, 1, &p) && !strcmp(p.country, "LBN") && !geo_mention(x, 2, &p),
       "the second is the Lebanese Tripoli", NULL);

    /* documents without a date line, sentences past the end */
    ok(geo_locate(x, 5, NULL, &p) == 0, "a sentence past the end: 0", NULL);
    geo_ctx_free(x);
    tx_doc_free(&d);
    geo_ctx_free(NULL);
}

static void test_real_gazetteer(void) {
    const char *path =
        getenv("MAGPIE_GAZETTEER") ? getenv("MAGPIE_GAZETTEER") : "build/gazetteer.bin";
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("note: %s not built (tools/build_gazetteer.sh); its checks skipped\n", path);
        return;
    }
    fclose(f);
    struct timespec a, b;
    geo_gaz *g = NULL;
    clock_gettime(CLOCK_MONOTONIC, &a);
    int rc = geo_open(path, &g);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double s = (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
    char msg[80];
    snprintf(msg, sizeof msg, "%.3f s", s);
    ok(rc == MP_OK && geo_nplaces(g) > 100000, "the built gazetteer loads", NULL);
    ok(s < 1.0, "it loads in under a second (ASan build)", msg);
    printf("note: %s: %zu places, loaded in %.3f s\n", path, geo_nplaces(g), s);
    if (rc == MP_OK) {
        geo_ctx *x = geo_ctx_new(g);
        tx_doc d;
        tx_doc_init(&d);
        static const char *const usa[] = {"USA", NULL};
        expect("Police fired tear gas in Paris on Sunday.", NULL, "Paris", "FRA", GEO_CITY, x, &d);
        expect("A tornado hit Paris, Texas on Sunday.", usa, "Paris", "USA", GEO_CITY, x, &d);
        expect("Negotiators return to Geneva this week.", usa, "Genève", "CHE", GEO_CITY, x, &d);
        tx_doc_free(&d);
        geo_ctx_free(x);
    }
    geo_free(g);
}

int main(void) {
    test_build_and_load();
    if (G) {
        test_lookup();
        test_places();
    }
    test_real_gazetteer();
    geo_free(G);
    geo_free(NULL);
    printf("%d passed, %d failed\n", npass, nfail);
    return nfail ? 1 : 0;
}
