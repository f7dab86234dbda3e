/*
 * geo.h -- places: the gazetteer and the place of an event.
 *
 * A gazetteer (geo_gaz) is a read-only table of countries, first-level
 * regions (admin1) and cities with their names, loaded from a compact
 * binary file that geo_build() compiles from the TSV table that
 * tools/gen_gazetteer.js writes (docs/places.md).  A geo_ctx, one per
 * thread, finds place names in the tokens of a sentence and chooses the
 * place of an event:
 *
 *     geo_gaz *g;
 *     if (geo_open("build/gazetteer.bin", &g) != MP_OK) ...;   // once
 *     geo_ctx *x = geo_ctx_new(g);                             // per thread
 *     geo_document(x, text, &doc);          // per document: reads the dateline
 *     const char *actors[] = { "FRACOP", "FRACVL" };
 *     geo_hints h = { actors, 2, UINT32_MAX };
 *     geo_place p;
 *     if (geo_locate(x, sent, &h, &p) == 1)
 *         printf("%s %s %.4f %.4f\n", p.name, p.country, p.lat, p.lon);
 *     geo_ctx_free(x);
 *     geo_free(g);
 *
 * Matching works on the normalized tokens of text.h, with Latin letters
 * folded to ASCII ("Goražde" = GORAZDE) on both sides, so a name matches
 * however the document spells its accents.  The choice among places of one
 * name and among the places of a sentence is described in geo.c and
 * docs/places.md.  A country-level place is always the country (precision
 * GEO_COUNTRY, coordinates of its centroid, flag GEO_CENTROID), never a
 * point in one of its cities.
 */
#ifndef MAGPIE_GEO_H
#define MAGPIE_GEO_H

#include <stddef.h>
#include <stdint.h>

#include "magpie.h"
#include "text.h"

typedef struct geo_gaz geo_gaz;
typedef struct geo_ctx geo_ctx;

/* Precision of a place: what kind of place it is. */
enum { GEO_NONE = 0, GEO_COUNTRY = 1, GEO_ADMIN1 = 2, GEO_CITY = 3 };

/* geo_place.flags */
enum {
    GEO_CAPITAL = 1,   /* a national capital (GeoNames PPLC) */
    GEO_SEAT = 2,      /* the seat of a first-level region (PPLA) */
    GEO_CENTROID = 4,  /* lat/lon are the centre of an area (country, admin1),
                          not a point where something is */
    GEO_DATELINE = 8,  /* found in the story's dateline, not in the sentence */
    GEO_QUALIFIED = 16 /* the text named its region or country: "Paris, Texas" */
};

typedef struct {
    uint32_t id;             /* place index in the gazetteer */
    int precision;           /* GEO_COUNTRY, GEO_ADMIN1, GEO_CITY */
    int flags;               /* GEO_CAPITAL ... */
    const char *name;        /* display name, UTF-8 */
    char country[4];         /* ISO 3166-1 alpha-3, "FRA" (Kosovo: "XKX") */
    char country2[3];        /* ISO 3166-1 alpha-2, "FR" */
    char fips[3];            /* FIPS 10-4 country code, as GDELT uses ("FR"); may be "" */
    const char *admin1;      /* ISO 3166-2 code of its admin1, "US-TX"; "" if none */
    const char *admin1_name; /* "Texas"; "" if none */
    const char *adm1_gdelt;  /* GDELT's ADM1 code, "USTX"; "" if none */
    double lat, lon;         /* degrees */
    uint32_t geonameid;      /* GeoNames id; 0 if unknown */
    uint32_t population;     /* cities: GeoNames; larger places: sum of their cities */
    /* Where it was found (set by geo_locate and geo_mention; 0 otherwise). */
    mp_span span;                  /* bytes of the name in the document text, with its
                                      qualifier ("Paris, Texas"); the dateline's span
                                      for a GEO_DATELINE place */
    uint32_t tok_first, tok_count; /* its tokens in the tx_doc; 0, 0 for the dateline */
} geo_place;

/* ---- the gazetteer ---------------------------------------------------------- */

/* Compile the TSV table of tools/gen_gazetteer.js (text[0..len), borrowed)
 * into a binary gazetteer image.  On success *image is a malloc'd buffer of
 * *size bytes, owned by the caller (free() it).  Returns MP_OK,
 * MP_ERR_NOMEM, or MP_ERR_SYNTAX when a line is malformed; then, if err is
 * not NULL, err[0..errcap) receives "line N: reason". */
int geo_build(const char *text, size_t len, void **image /* OUT */, size_t *size /* OUT */,
              char *err, size_t errcap);

/* Load a gazetteer from a binary image (borrowed for the call only) or a
 * file.  *out is owned by the caller; free with geo_free().  Returns MP_OK,
 * MP_ERR_IO (file cannot be read), MP_ERR_SYNTAX (not a gazetteer, or
 * damaged), MP_ERR_NOMEM. */
int geo_open_mem(const void *image, size_t size, geo_gaz **out /* OUT */);
int geo_open(const char *path, geo_gaz **out /* OUT */);
void geo_free(geo_gaz *g);

/* Number of places, and place id (0 <= id < geo_nplaces) as a geo_place
 * (strings borrowed from g).  geo_get returns 0 if id is out of range. */
size_t geo_nplaces(const geo_gaz *g);
int geo_get(const geo_gaz *g, uint32_t id, geo_place *out /* OUT */);

/* The country with ISO3 code iso3 ("FRA"; CAMEO spellings such as "ROM"
 * are accepted, see geo_cameo_country); returns 0 if there is none. */
int geo_country(const geo_gaz *g, const char *iso3, geo_place *out /* OUT */);

/* The country of a CAMEO actor code ("USAGOV", "FRACOP", "ROM", "KSV"):
 * its first three letters mapped to ISO3 where CAMEO differs from ISO
 * (ROM->ROU, ZAR->COD, TMP->TLS, KSV->XKX, ...).  Writes the ISO3 code with
 * its NUL into iso3 and returns 1 if it is a country of g (or, with g NULL,
 * if it is not one of CAMEO's region and international codes: IGO, NGO,
 * AFR, EUR...); returns 0 otherwise. */
int geo_cameo_country(const geo_gaz *g, const char *code, char iso3[4] /* OUT */);

/* All places named name (UTF-8, any case), best-known first (a country
 * before a region before a city, then by population); writes up to cap ids
 * and returns how many places have that name.  -1 on allocation failure. */
long geo_lookup(const geo_gaz *g, const char *name, size_t len, uint32_t *ids /* OUT */,
                size_t cap);

/* For GDELT's geography columns: the ActionGeo_Type of a place (1 country,
 * 2 US state, 3 US city, 4 other city, 5 other first-level region; 0 for
 * none), and its full name as GDELT writes it ("Paris, Texas, United
 * States"; "Paris, Île-de-France, France"; "France") into buf (cap bytes,
 * NUL-terminated, cut if it must be).  geo_full_name returns the length of
 * the whole name. */
int geo_gdelt_type(const geo_place *p);
size_t geo_full_name(const geo_gaz *g, const geo_place *p, char *buf /* OUT */, size_t cap);

/* ---- the place of an event ---------------------------------------------------- */

/* Hints for choosing among places.  actors: CAMEO actor codes or ISO3
 * codes of the event's actors (borrowed; NULL entries are skipped).
 * verb_tok: token index (in the tx_doc) of the event's verb, or UINT32_MAX;
 * when several places tie, the one nearest the verb wins. */
typedef struct {
    const char *const *actors;
    size_t nactors;
    uint32_t verb_tok;
} geo_hints;

/* A context borrows g, which must outlive it.  NULL on allocation failure. */
geo_ctx *geo_ctx_new(const geo_gaz *g);
void geo_ctx_free(geo_ctx *x);

/* Start a document: text[0..len) and its segmentation d are borrowed until
 * the next geo_document() or geo_ctx_free().  Reads the dateline
 * (d->dateline).  Returns MP_OK or MP_ERR_NOMEM. */
int geo_document(geo_ctx *x, const char *text, size_t len, const tx_doc *d);

/* The place of an event in sentence sent of the current document: the
 * place the sentence names where the event happened ("in", "near", "the town
 * of" ...), a homonym chosen by the actors' countries, the other countries
 * the sentence names or calls its people by ("Lebanese"), the dateline's
 * country and population; failing any, the dateline's place if it agrees
 * with the actors.  Returns 1 and fills *out, 0 if there is no place, -1 on
 * allocation failure. */
int geo_locate(geo_ctx *x, size_t sent, const geo_hints *h, geo_place *out /* OUT */);

/* Every place named in the sentence of the last geo_locate() call, in text
 * order, each resolved as geo_locate resolved it (for traces and for the
 * dashboard); geo_mention returns 0 past the end. */
size_t geo_nmentions(const geo_ctx *x);
int geo_mention(const geo_ctx *x, size_t i, geo_place *out /* OUT */);

/* The dateline's place of the current document; returns 0 if none. */
int geo_dateline(const geo_ctx *x, geo_place *out /* OUT */);

#endif
