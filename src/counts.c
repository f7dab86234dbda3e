/*
 * counts.c -- numbers tied to an event.
 *
 * One pass over a sentence's tokens finds every number (cnt_number) with
 * the qualifier before it ("at least", "up to", "some") and decides what it
 * counts from three places, in this order:
 *
 *   1. the verb just before it: "killing [at least] six civilians" (killed),
 *      "wounded two others" (injured), "arresting 12" (arrested),
 *      "killing or wounding 50" (casualties), "the death toll rose to 200"
 *      (killed);
 *   2. its noun and the verb after that: "three soldiers were killed",
 *      "24 dead", "dozens were arrested", "two wounded", "100 ethnic
 *      Albanians demonstrated" (size); an active verb with an object
 *      ("two bombers killed 23 people") counts the attackers, not the dead,
 *      and is not taken;
 *   3. the noun alone: protesters, strikers, supporters, troops, police
 *      (size); people, civilians, refugees, diplomats, capitalized plurals
 *      such as "Liberians" (size when the sentence is about a protest and
 *      the number leads the sentence, other people otherwise); any number
 *      right after a verb in -ed or -ing ("defaced 3,000 web sites") is
 *      what the event acted on (CNT_PEOPLE).
 *
 * Numbers that are no counts are skipped: years ("in 1988"), dates ("8
 * June"), amounts and measures ("700 kg", "$5", "12 days", "40 percent"),
 * fractions ("one third"), "one of", and numbers after "the" or a
 * possessive ("the two countries").  Without a number, a singular subject
 * or object of a killing gives 1, flagged CNT_IMPLIED ("a journalist has
 * been killed", "killed the deputy chief"), and so does a singular subject
 * of a protest ("a member of parliament started a hunger strike").
 *
 * The vague words and their numbers (docs/dates-and-counts.md): a couple 2,
 * a few 3, a handful 3, several 3, a dozen 12, dozens 12, scores 20,
 * hundreds 100, several hundred 300, thousands 1,000, tens of thousands
 * 10,000, hundreds of thousands 100,000, millions 1,000,000.  These are the
 * smallest numbers the words allow, as ACLED codes them, except "dozens",
 * which ACLED codes 12.
 */
#include <stdlib.h>
#include <string.h>

#include "counts.h"
#include "util.h"

struct cnt_ctx {
    struct {
        cnt_count *p;
        size_t n, cap;
    } c;
};

cnt_ctx *cnt_ctx_new(void) {
    return calloc(1, sizeof(cnt_ctx));
}

void cnt_ctx_free(cnt_ctx *x) {
    if (!x) return;
    free(x->c.p);
    free(x);
}

const char *cnt_kind_name(int kind) {
    switch (kind) {
    case CNT_KILLED:
        return "killed";
    case CNT_INJURED:
        return "injured";
    case CNT_CASUALTIES:
        return "casualties";
    case CNT_ARRESTED:
        return "arrested";
    case CNT_SIZE:
        return "size";
    case CNT_PEOPLE:
        return "people";
    default:
        return "";
    }
}

/* ---- word lists (sorted, strcmp) ---------------------------------------------- */
static int cmpstr(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}
static int in_list(const char *const *list, size_t n, const char *w) {
    return bsearch(&w, list, n, sizeof(list[0]), cmpstr) != NULL;
}
#define IN_LIST(list, w) in_list(list, sizeof(list) / sizeof(list[0]), w)

static const char *const kill_verbs[] = {
    "ASSASSINATED", "BEHEADED",  "EXECUTED",   "GUNNED",   "KILL",        "KILLED",  "KILLING",
    "KILLS",        "MASSACRED", "MASSACRING", "MURDERED", "SLAUGHTERED", "SLAYING", "SLEW",
};
static const char *const die_words[] = {
    "DEAD", "DIE", "DIED", "DIES", "DYING", "KILLED", "PERISHED", "SLAIN",
};
static const char *const dead_nouns[] = {
    "BODIES", "CORPSES", "DEAD", "DEATHS", "FATALITIES", "LIVES",
};
static const char *const injure_words[] = {
    "HURT", "HURTING", "INJURED", "INJURES", "INJURING", "INJURY", "WOUNDED", "WOUNDING", "WOUNDS",
};
static const char *const arrest_words[] = {
    "APPREHENDED", "ARRESTED",   "ARRESTING", "ARRESTS", "DETAINED",
    "DETAINING",   "DETENTIONS", "JAILED",    "NABBED",
};
static const char *const aux_words[] = {
    "ALL", "ALSO", "ARE", "BE",         "BEEN", "BEING", "HAD",
    "HAS", "HAVE", "IS",  "REPORTEDLY", "WAS",  "WERE",
};
/* crowds and forces */
static const char *const size_nouns[] = {
    "DEMONSTRATORS", "FIGHTERS",  "GUARDSMEN", "GUERRILLAS", "GUERRILLERS", "INSURGENTS",
    "MARCHERS",      "MARINES",   "MILITANTS", "MILITIAMEN", "OFFICERS",    "PARATROOPERS",
    "PEACEKEEPERS",  "PERSONNEL", "POLICE",    "POLICEMEN",  "PROTESTERS",  "PROTESTORS",
    "REBELS",        "RIOTERS",   "SAILORS",   "SERVICEMEN", "SOLDIERS",    "STRIKERS",
    "SUPPORTERS",    "TROOPS",
};
static const char *const people_nouns[] = {
    "ACTIVISTS",   "ADULTS",      "ADVISERS",  "ADVISORS",    "AGENTS",    "BOYS",
    "CHILDREN",    "CITIZENS",    "CIVILIANS", "COMMANDERS",  "DETAINEES", "DIPLOMATS",
    "DOCTORS",     "FAMILIES",    "FARMERS",   "GIRLS",       "GUARDS",    "HOSTAGES",
    "IMMIGRANTS",  "INDIVIDUALS", "INMATES",   "JOURNALISTS", "LEADERS",   "MEMBERS",
    "MEN",         "MIGRANTS",    "MINERS",    "NATIONALS",   "OFFICIALS", "OTHERS",
    "PASSENGERS",  "PATIENTS",    "PEOPLE",    "PERSON",      "PERSONS",   "PILGRIMS",
    "PRISONERS",   "REFUGEES",    "RESIDENTS", "STUDENTS",    "SUSPECTS",  "TEACHERS",
    "TOURISTS",    "VICTIMS",     "VILLAGERS", "VOLUNTEERS",  "WOMEN",     "WORKERS",
    "WORSHIPPERS", "YOUTHS",
};
static const char *const protest_words[] = {
    "BLOCKADE",       "BLOCKED",    "BOYCOTT",  "DEMONSTRATED", "DEMONSTRATING", "DEMONSTRATION",
    "DEMONSTRATIONS", "HUNGER",     "MARCHED",  "MARCHES",      "MARCHING",      "PROTEST",
    "PROTESTED",      "PROTESTING", "PROTESTS", "RALLIED",      "RALLIES",       "RALLY",
    "RALLYING",       "RIOT",       "RIOTED",   "RIOTING",      "RIOTS",         "SIT-IN",
    "STRIKE",         "STRIKES",    "VIGIL",    "WALKOUT",
};
static const char *const protest_verbs[] = {
    "BEGAN",         "BLOCKED",   "CHANTED",    "CONVERGED", "CONVERGING", "DEMONSTRATED",
    "DEMONSTRATING", "GATHERED",  "GATHERING",  "JOINED",    "MARCHED",    "MARCHING",
    "OCCUPIED",      "PROTESTED", "PROTESTING", "RALLIED",   "RALLYING",   "RIOTED",
    "RIOTING",       "STAGED",    "STARTED",    "STOPPED",   "STORMED",    "STRUCK",
    "TOOK",          "WALKED",
};
static const char *const unit_words[] = {
    "%",         "ACRES",      "BARRELS",    "BILLION", "CENTS",    "DAYS",    "DEGREES", "DOLLARS",
    "EUROS",     "FEET",       "GALLONS",    "GRAMS",   "HECTARES", "HOURS",   "INCHES",  "KG",
    "KILOGRAMS", "KILOMETERS", "KILOMETRES", "KM",      "KMS",      "LITRES",  "METERS",  "METRES",
    "MILES",     "MINUTES",    "MONTHS",     "PCT",     "PER",      "PERCENT", "POINTS",  "POUNDS",
    "SECONDS",   "SQUARE",     "TIMES",      "TONNES",  "TONS",     "WEEKS",   "YARDS",   "YEAR",
    "YEARS",     "YEN",        "YUAN",
};
static const char *const months[] = {
    "APR",      "APR.",     "APRIL", "AUG",     "AUG.",     "AUGUST", "DEC",
    "DEC.",     "DECEMBER", "FEB",   "FEB.",    "FEBRUARY", "JAN",    "JAN.",
    "JANUARY",  "JULY",     "JUNE",  "MARCH",   "MAY",      "NOV",    "NOV.",
    "NOVEMBER", "OCT",      "OCT.",  "OCTOBER", "SEPT",     "SEPT.",  "SEPTEMBER",
};
static const char *const not_count_before[] = {
    "$",   "HER", "HIS",   "ITS",   "NO",    "NO.",      "NUMBER",
    "OUR", "THE", "THEIR", "THESE", "THOSE", "\xc2\xa3", "\xe2\x82\xac",
};
static const char *const fraction_after[] = {
    "%",   "ANOTHER", "EIGHTH",  "FIFTH",    "FIFTHS", "HALF",  "OF",
    "PER", "PERCENT", "QUARTER", "QUARTERS", "TENTH",  "THIRD", "THIRDS",
};
static const char *const np_stop[] = {
    "ACCORDING", "AFTER", "AND",   "ARE",   "AS",    "AT",        "BY",         "DURING", "FOR",
    "FROM",      "HAD",   "HAS",   "HAVE",  "IN",    "INCLUDING", "INTO",       "IS",     "NEAR",
    "ON",        "ONTO",  "OR",    "OVER",  "SINCE", "THAT",      "THROUGHOUT", "TO",     "WAS",
    "WERE",      "WHEN",  "WHERE", "WHICH", "WHILE", "WHO",       "WITH",
};

/* Words a number or its qualifier may start with (anything else that is
 * not digits is skipped at once). */
static const char *const starts[] = {
    "A",         "ABOUT",     "ALMOST",    "AN",       "APPROXIMATELY", "AROUND",
    "AS",        "AT",        "CLOSE",     "DOZENS",   "EIGHT",         "EIGHTEEN",
    "EIGHTY",    "ELEVEN",    "ESTIMATED", "FEWER",    "FIFTEEN",       "FIFTY",
    "FIVE",      "FORTY",     "FOUR",      "FOURTEEN", "HALF",          "HUNDREDS",
    "JUST",      "LESS",      "MILLIONS",  "MORE",     "NEARLY",        "NINE",
    "NINETEEN",  "NINETY",    "ONE",       "OVER",     "ROUGHLY",       "SCORES",
    "SEVEN",     "SEVENTEEN", "SEVENTY",   "SEVERAL",  "SIX",           "SIXTEEN",
    "SIXTY",     "SOME",      "TEN",       "TENS",     "THIRTEEN",      "THIRTY",
    "THOUSANDS", "THREE",     "TWELVE",    "TWENTY",   "TWO",           "UP",
    "UPWARDS",
};

/* start_hashes: the FNV-1a hashes (text.h) of the words of starts[], sorted, so that most
 * tokens are passed over without a string comparison.  Keep them in step
 * with the lists (mp__cnt_selfcheck, run by the tests, checks). */
static const uint32_t start_hashes[] = {
    0x04e6cc3cu, 0x0d1426cbu, 0x137bbba5u, 0x1838bb5eu, 0x188dd395u, 0x1dfdb434u, 0x20d50ea6u,
    0x245a7c3bu, 0x25fd2a81u, 0x29b7f9e8u, 0x2decd8efu, 0x2fe7860fu, 0x30b35171u, 0x33c43963u,
    0x36d53148u, 0x37804bafu, 0x38417bdfu, 0x384550b6u, 0x3dd53c4du, 0x3f3d0c74u, 0x405fa049u,
    0x4475af1eu, 0x492122ccu, 0x4ce39200u, 0x4d0a838bu, 0x5ca5ce8au, 0x5f5b5d78u, 0x62f38ba0u,
    0x6cbc2aa5u, 0x6dc16c50u, 0x7ab2884eu, 0x7d222f86u, 0x8648dfb2u, 0x8f96a703u, 0x9e5bafb0u,
    0xa4312c52u, 0xa523e6ebu, 0xad97613eu, 0xaf6cf7efu, 0xb29a0035u, 0xb41a2165u, 0xb4c3555au,
    0xb7626d48u, 0xbef1a821u, 0xc0eaadc9u, 0xc40bf6ccu, 0xc5664271u, 0xcbcc41a0u, 0xd20f54e0u,
    0xd3d9464cu, 0xd41098e4u, 0xe4473c10u, 0xec067895u, 0xf5eaa66du, 0xfd01310fu,
};

/* protest_hashes: the FNV-1a hashes (text.h) of protest_words[], sorted, so that most
 * tokens are passed over without a string comparison.  Keep them in step
 * with the lists (mp__cnt_selfcheck, run by the tests, checks). */
static const uint32_t protest_hashes[] = {
    0x00dca6e9u, 0x00f4b7aeu, 0x01297939u, 0x03fad786u, 0x16faf56fu, 0x1ef3fd6eu, 0x24b9e694u,
    0x341b8b7cu, 0x344ed12fu, 0x365c1afdu, 0x37ebd898u, 0x3accbbc1u, 0x5017af6du, 0x747e1c7eu,
    0x75e6a1e7u, 0x7e4f83d3u, 0x99a51ea6u, 0x9a44285cu, 0xb4db4498u, 0xc3fdebcfu, 0xd14f870du,
    0xd413c634u, 0xd7f2388cu, 0xdef36823u, 0xdfe9d451u, 0xe2408e57u, 0xe7653ad4u, 0xf0e9ef14u,
};

/* victim_hashes: the FNV-1a hashes (text.h) of kill_verbs[], die_words[], WOUNDED and INJURED,
 * sorted, so that most tokens are passed over without a string comparison.  Keep them in step with
 * the lists (mp__cnt_selfcheck, run by the tests, checks). */
static const uint32_t victim_hashes[] = {
    0x31679d06u, 0x3d4b57ddu, 0x3ed4aef2u, 0x4467baefu, 0x479e4233u, 0x58385bbfu,
    0x5d19aaf1u, 0x5f190e5au, 0x5f9a6c67u, 0x6b9b46f0u, 0x8d234828u, 0x95b599b4u,
    0xa6840292u, 0xab9ee05eu, 0xaec95899u, 0xbaa5df30u, 0xbbd79298u, 0xc9254b2bu,
    0xd9e2c1d9u, 0xdf2df4c8u, 0xf0f6c5feu, 0xf5598b0fu, 0xff7af5e7u,
};

static int hash_in(const uint32_t *set, size_t n, uint32_t h) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (set[mid] == h) return 1;
        if (set[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}
#define HASH_IN(set, h) hash_in(set, sizeof(set) / sizeof(set[0]), h)

static uint32_t fnv(const char *s) {
    uint32_t h = TX_HASH_BASIS;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * TX_HASH_PRIME;
    return h;
}

int mp__cnt_selfcheck(void) {
    size_t i;
    for (i = 0; i < sizeof starts / sizeof starts[0]; i++)
        if (!HASH_IN(start_hashes, fnv(starts[i]))) return 0;
    for (i = 0; i < sizeof protest_words / sizeof protest_words[0]; i++)
        if (!HASH_IN(protest_hashes, fnv(protest_words[i]))) return 0;
    for (i = 0; i < sizeof kill_verbs / sizeof kill_verbs[0]; i++)
        if (!HASH_IN(victim_hashes, fnv(kill_verbs[i]))) return 0;
    for (i = 0; i < sizeof die_words / sizeof die_words[0]; i++)
        if (!HASH_IN(victim_hashes, fnv(die_words[i]))) return 0;
    return HASH_IN(victim_hashes, fnv("WOUNDED")) && HASH_IN(victim_hashes, fnv("INJURED"));
}

static int may_start(const tx_doc *d, uint32_t i) {
    const tx_token *t = &d->tok[i];
    if (t->kind == TX_NUM) return 1;
    if (t->kind != TX_WORD) return 0;
    const char *w = d->normbuf + t->norm;
    if (HASH_IN(start_hashes, t->hash) && in_list(starts, sizeof starts / sizeof starts[0], w))
        return 1;
    const char *h = memchr(w, '-', t->nlen); /* "TWENTY-FIVE" */
    if (!h || h - w > 7) return 0;
    char head[8];
    memcpy(head, w, (size_t)(h - w));
    head[h - w] = 0;
    return in_list(starts, sizeof starts / sizeof starts[0], head);
}

/* ---- numbers ------------------------------------------------------------------------ */
static const char *W(const tx_doc *d, uint32_t i) {
    return d->normbuf + d->tok[i].norm;
}
static int is(const tx_doc *d, uint32_t i, uint32_t end, const char *w) {
    return i < end && !strcmp(W(d, i), w);
}

static int small_number(const char *w) {
    static const char *const units[] = {"ONE",     "TWO",       "THREE",    "FOUR",     "FIVE",
                                        "SIX",     "SEVEN",     "EIGHT",    "NINE",     "TEN",
                                        "ELEVEN",  "TWELVE",    "THIRTEEN", "FOURTEEN", "FIFTEEN",
                                        "SIXTEEN", "SEVENTEEN", "EIGHTEEN", "NINETEEN"};
    static const char *const tens[] = {"TWENTY", "THIRTY",  "FORTY",  "FIFTY",
                                       "SIXTY",  "SEVENTY", "EIGHTY", "NINETY"};
    for (int i = 0; i < 19; i++)
        if (!strcmp(w, units[i])) return i + 1;
    for (int i = 0; i < 8; i++) {
        size_t l = strlen(tens[i]);
        if (!strncmp(w, tens[i], l)) {
            if (!w[l]) return 20 + 10 * i;
            if (w[l] == '-') {
                for (int k = 0; k < 9; k++)
                    if (!strcmp(w + l + 1, units[k])) return 20 + 10 * i + k + 1;
            }
        }
    }
    return 0;
}

static long long multiplier(const char *w) {
    if (!strcmp(w, "HUNDRED")) return 100;
    if (!strcmp(w, "THOUSAND")) return 1000;
    if (!strcmp(w, "MILLION")) return 1000000;
    return 0;
}

/* Digits with separators: "4,000", "1.5", "10,000-MEMBER" (a force). */
static long long digits(const char *w, double *frac_out) {
    double v = 0, scale = 0;
    const char *p = w;
    int any = 0;
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (scale) {
                v += (*p - '0') / scale;
                scale *= 10;
            } else {
                v = v * 10 + (*p - '0');
            }
            any = 1;
            if (v > 1e12) return -1;
        } else if (*p == ',' && !scale && p[1] >= '0' && p[1] <= '9') {
            continue;
        } else if (*p == '.' && !scale && p[1] >= '0' && p[1] <= '9') {
            scale = 10;
        } else {
            break;
        }
    }
    if (!any) return -1;
    if (*p && strcmp(p, "-MEMBER") && strcmp(p, "-STRONG")) return -1;
    *frac_out = v;
    return (long long)v;
}

long long cnt_number(const tx_doc *d, uint32_t i, uint32_t end, uint32_t *ntok, int *flags) {
    if (!d || i >= end) return -1;
    uint32_t k = i;
    int vague = 0;
    const char *w = W(d, k);
    long long v = -1;
    if (d->tok[k].kind == TX_NUM) {
        double f;
        if (digits(w, &f) < 0) return -1;
        k++;
        long long m = k < end ? multiplier(W(d, k)) : 0;
        if (m) {
            f *= (double)m;
            k++;
        }
        v = (long long)(f + 0.5);
    } else if (d->tok[k].kind == TX_WORD) {
        /* vague words */
        int a = !strcmp(w, "A") || !strcmp(w, "AN");
        if (a && k + 1 < end) {
            const char *n = W(d, k + 1);
            if (!strcmp(n, "FEW") || !strcmp(n, "HANDFUL"))
                v = 3, k += 2, vague = 1;
            else if (!strcmp(n, "COUPLE"))
                v = 2, k += 2, vague = 1;
            else if (!strcmp(n, "DOZEN"))
                v = 12, k += 2;
            else if (multiplier(n))
                v = multiplier(n), k += 2;
            if (vague && v == 3 && k < end && multiplier(W(d, k)))
                v = 3 * multiplier(W(d, k)), k++;
            else if (vague && v == 3 && is(d, k, end, "DOZEN"))
                v = 36, k++;
        } else if (!strcmp(w, "HALF") && is(d, k + 1, end, "A") && is(d, k + 2, end, "DOZEN")) {
            v = 6, k += 3;
        } else if (!strcmp(w, "SEVERAL")) {
            v = 3, k++, vague = 1;
            if (k < end && multiplier(W(d, k)))
                v = 3 * multiplier(W(d, k)), k++;
            else if (is(d, k, end, "DOZEN"))
                v = 36, k++;
        } else if (!strcmp(w, "DOZENS")) {
            v = 12, k++, vague = 1;
        } else if (!strcmp(w, "SCORES") && is(d, k + 1, end, "OF")) {
            v = 20, k++, vague = 1;
        } else if (!strcmp(w, "TENS") && is(d, k + 1, end, "OF") &&
                   (is(d, k + 2, end, "THOUSANDS") || is(d, k + 2, end, "MILLIONS"))) {
            v = is(d, k + 2, end, "THOUSANDS") ? 10000 : 10000000, k += 3, vague = 1;
        } else if (!strcmp(w, "HUNDREDS")) {
            v = 100, k++, vague = 1;
            if (is(d, k, end, "OF") &&
                (is(d, k + 1, end, "THOUSANDS") || is(d, k + 1, end, "MILLIONS")))
                v = is(d, k + 1, end, "THOUSANDS") ? 100000 : 100000000, k += 2;
        } else if (!strcmp(w, "THOUSANDS")) {
            v = 1000, k++, vague = 1;
        } else if (!strcmp(w, "MILLIONS")) {
            v = 1000000, k++, vague = 1;
        } else if (small_number(w)) {
            long long total = 0, cur = 0;
            while (k < end) {
                const char *t = W(d, k);
                int s = small_number(t);
                long long m = multiplier(t);
                if (s && cur % 100 == 0 && (cur == 0 || cur >= 100)) {
                    cur += s;
                } else if (!strcmp(t, "HUNDRED") && cur > 0 && cur < 100) {
                    cur *= 100;
                } else if (m >= 1000 && cur > 0) {
                    total += cur * m;
                    cur = 0;
                } else if (!strcmp(t, "DOZEN") && cur > 0 && cur < 100) {
                    cur *= 12;
                } else if (!strcmp(t, "AND") && cur >= 100 && k + 1 < end &&
                           small_number(W(d, k + 1))) {
                    /* "two hundred and fifty" */
                } else {
                    break;
                }
                k++;
            }
            v = total + cur;
            /* the loop may stop on "AND" */
            if (k > i && !strcmp(W(d, k - 1), "AND")) k--;
        }
    }
    if (v < 0 || k == i) return -1;
    *ntok = k - i;
    *flags = vague ? CNT_VAGUE : 0;
    return v;
}

/* A qualifier at i: its length in tokens and flags; 0 if none. */
static uint32_t qualifier(const tx_doc *d, uint32_t i, uint32_t end, int *flags) {
    static const struct {
        const char *w[3];
        int f;
    } q[] = {
        {{"AT", "LEAST"}, CNT_AT_LEAST},
        {{"MORE", "THAN"}, CNT_AT_LEAST},
        {{"UPWARDS", "OF"}, CNT_AT_LEAST},
        {{"OVER"}, CNT_AT_LEAST},
        {{"UP", "TO"}, CNT_AT_MOST},
        {{"AS", "MANY", "AS"}, CNT_AT_MOST},
        {{"FEWER", "THAN"}, CNT_AT_MOST},
        {{"LESS", "THAN"}, CNT_AT_MOST},
        {{"NEARLY"}, CNT_ABOUT},
        {{"ALMOST"}, CNT_ABOUT},
        {{"ABOUT"}, CNT_ABOUT},
        {{"AROUND"}, CNT_ABOUT},
        {{"SOME"}, CNT_ABOUT},
        {{"APPROXIMATELY"}, CNT_ABOUT},
        {{"ROUGHLY"}, CNT_ABOUT},
        {{"AN", "ESTIMATED"}, CNT_ABOUT},
        {{"ESTIMATED"}, CNT_ABOUT},
        {{"CLOSE", "TO"}, CNT_ABOUT},
        {{"JUST", "OVER"}, CNT_AT_LEAST},
    };
    for (size_t k = 0; k < sizeof q / sizeof q[0]; k++) {
        uint32_t n = 0;
        while (n < 3 && q[k].w[n] && is(d, i + n, end, q[k].w[n]))
            n++;
        if (n && (n == 3 || !q[k].w[n])) {
            *flags = q[k].f;
            return n;
        }
    }
    *flags = 0;
    return 0;
}

static int verbish(const char *w) {
    size_t l = strlen(w);
    return (l > 4 && !strcmp(w + l - 2, "ED")) || (l > 5 && !strcmp(w + l - 3, "ING"));
}

/* A capitalized plural: "Liberians", "Kurds". */
static int cap_plural(const tx_doc *d, uint32_t i) {
    const char *w = W(d, i);
    size_t l = strlen(w);
    return d->tok[i].kind == TX_WORD && (d->tok[i].flags & TX_CAP) &&
           !(d->tok[i].flags & TX_ALLCAP) && l > 3 && w[l - 1] == 'S' && w[l - 2] != 'S';
}

static int push(cnt_ctx *x, const tx_doc *d, int kind, long long v, int flags, uint32_t a,
                uint32_t b) {
    cnt_count c;
    c.kind = kind;
    c.value = v;
    c.flags = flags;
    c.tok_first = a;
    c.tok_count = b - a;
    c.span.start = d->tok[a].start;
    c.span.end = d->tok[b - 1].end;
    return VEC_PUSH(x->c, c);
}

static int have_kind(const cnt_ctx *x, int kind) {
    for (size_t i = 0; i < x->c.n; i++)
        if (x->c.p[i].kind == kind) return 1;
    return 0;
}

/* After a killing or wounding verb at v: a singular object "the deputy
 * chief", "a policeman": the end of its words, or 0. */
static uint32_t singular_object(const tx_doc *d, uint32_t v, uint32_t end) {
    uint32_t k = v + 1;
    if (!(is(d, k, end, "A") || is(d, k, end, "AN") || is(d, k, end, "THE"))) return 0;
    uint32_t last = 0;
    for (k++; k < end && k < v + 6; k++) {
        if (d->tok[k].kind != TX_WORD || IN_LIST(np_stop, W(d, k)) || !strcmp(W(d, k), "OF")) break;
        last = k;
    }
    if (!last) return 0;
    const char *h = W(d, last);
    size_t l = strlen(h);
    if ((l > 2 && h[l - 1] == 'S' && h[l - 2] != 'S') || IN_LIST(size_nouns, h) ||
        !strcmp(h, "PEOPLE") || !strcmp(h, "MEN") || !strcmp(h, "WOMEN") || !strcmp(h, "CHILDREN"))
        return 0;
    return last + 1;
}

size_t cnt_find(cnt_ctx *x, const char *text, const tx_doc *d, size_t sent, uint32_t verb_tok,
                const cnt_count **out) {
    (void)text;
    if (out) *out = NULL;
    if (!x || !d || sent >= d->nsent || !out) return 0;
    x->c.n = 0;
    const tx_sent *s = &d->sent[sent];
    uint32_t first = s->first, end = s->first + s->count;
    int protest = 0;
    for (uint32_t i = first; i < end && !protest; i++)
        if (HASH_IN(protest_hashes, d->tok[i].hash) && IN_LIST(protest_words, W(d, i))) protest = 1;
    for (uint32_t i = first; i < end;) {
        if (!may_start(d, i)) {
            i++;
            continue;
        }
        int qf, nf;
        uint32_t nq = qualifier(d, i, end, &qf), nt;
        long long v = cnt_number(d, i + nq, end, &nt, &nf);
        if (v < 0 && nq) { /* "some" or "over" before no number */
            nq = 0;
            qf = 0;
            v = cnt_number(d, i, end, &nt, &nf);
        }
        if (v <= 0) {
            i++;
            continue;
        }
        uint32_t a = i, na = i + nq, nb = na + nt;
        const char *prev = a > first ? W(d, a - 1) : "";
        const char *next = nb < end ? W(d, nb) : "";
        int skip = 0;
        if (IN_LIST(not_count_before, prev) || IN_LIST(months, prev) || IN_LIST(months, next) ||
            IN_LIST(unit_words, next) || IN_LIST(fraction_after, next))
            skip = 1;
        if (!strcmp(next, "OF") && (nf & CNT_VAGUE)) skip = 0; /* "dozens of" */
        const tx_token *t = &d->tok[na];
        if (t->kind == TX_NUM && nt == 1 && v >= 1800 && v <= 2100 && !strchr(W(d, na), ','))
            skip = 1; /* a year */
        if (nb < end && d->tok[nb].kind == TX_PUNCT && !strcmp(next, "%")) skip = 1;
        if (skip) {
            i = nb;
            continue;
        }
        /* the noun phrase after it */
        uint32_t k = nb;
        if (is(d, k, end, "OF")) k++;
        int size_noun = 0, people = 0, dead = 0, hurt = 0, arrests = 0, casualties = 0;
        uint32_t np_end = k;
        for (; k < end && k < nb + 7; k++) {
            const char *w = W(d, k);
            if (d->tok[k].kind != TX_WORD || IN_LIST(np_stop, w)) break;
            if (k > nb && !strcmp(w, "OF")) break;
            if (IN_LIST(size_nouns, w))
                size_noun = 1;
            else if (IN_LIST(people_nouns, w) || cap_plural(d, k))
                people = 1;
            else if (IN_LIST(dead_nouns, w))
                dead = 1;
            else if (!strcmp(w, "WOUNDED") || !strcmp(w, "INJURED"))
                hurt = 1;
            else if (!strcmp(w, "ARRESTS") || !strcmp(w, "DETENTIONS"))
                arrests = 1;
            else if (!strcmp(w, "CASUALTIES"))
                casualties = 1;
            else if (IN_LIST(die_words, w) || IN_LIST(arrest_words, w) || IN_LIST(aux_words, w) ||
                     IN_LIST(protest_verbs, w))
                break;
            np_end = k + 1;
            if (dead || hurt || arrests || casualties) break;
        }
        int kind = 0;
        /* 1. the verb before */
        for (uint32_t j = a, n = 0; j > first && n < 3 && !kind; n++) {
            const char *w = W(d, --j);
            if (IN_LIST(kill_verbs, w))
                kind = CNT_KILLED;
            else if (IN_LIST(injure_words, w) && strcmp(w, "INJURY")) {
                kind = CNT_INJURED;
                if (j >= first + 2 && !strcmp(W(d, j - 1), "OR") &&
                    IN_LIST(kill_verbs, W(d, j - 2)))
                    kind = CNT_CASUALTIES;
            } else if (IN_LIST(arrest_words, w))
                kind = CNT_ARRESTED;
            else if (!strcmp(w, "UP") && j > first && !strcmp(W(d, j - 1), "ROUNDED"))
                kind = CNT_ARRESTED;
            else if (d->tok[j].kind != TX_WORD || strcmp(w, "ALSO"))
                break;
        }
        if (!kind) /* "the death toll rose to 200" */
            for (uint32_t j = a, n = 0; j > first && n < 5; n++)
                if (!strcmp(W(d, --j), "TOLL")) kind = CNT_KILLED;
        /* 2. its noun, the verb after */
        if (!kind) {
            if (dead)
                kind = CNT_KILLED;
            else if (hurt)
                kind = CNT_INJURED;
            else if (arrests)
                kind = CNT_ARRESTED;
            else if (casualties)
                kind = CNT_CASUALTIES;
        }
        if (!kind) {
            uint32_t j = np_end;
            while (j < end && IN_LIST(aux_words, W(d, j)))
                j++;
            if (j < end) {
                const char *w = W(d, j);
                int passive = j > np_end;
                const char *obj = j + 1 < end ? W(d, j + 1) : "";
                uint32_t ot;
                int of;
                int active = j + 1 < end &&
                             (cnt_number(d, j + 1, end, &ot, &of) > 0 || !strcmp(obj, "A") ||
                              !strcmp(obj, "AN") || !strcmp(obj, "THE") || !strcmp(obj, "AT"));
                if (IN_LIST(die_words, w) && (passive || !active)) {
                    kind = CNT_KILLED;
                    if (is(d, j + 1, end, "OR") && j + 2 < end &&
                        IN_LIST(injure_words, W(d, j + 2)))
                        kind = CNT_CASUALTIES;
                } else if (IN_LIST(injure_words, w) && (passive || !active))
                    kind = CNT_INJURED;
                else if (IN_LIST(arrest_words, w) && (passive || !active))
                    kind = CNT_ARRESTED;
                else if (IN_LIST(protest_verbs, w) && (size_noun || people))
                    kind = CNT_SIZE;
            }
        }
        /* 3. the noun alone; "a 10,000-member force", "a 500-strong crowd" */
        if (!kind && d->tok[na].kind == TX_NUM && strchr(W(d, na), '-')) kind = CNT_SIZE;
        if (!kind) {
            int lead = a <= first + 1;
            if (size_noun)
                kind = CNT_SIZE;
            else if (people && protest && lead)
                kind = CNT_SIZE;
            else if (people)
                kind = CNT_PEOPLE;
            else if (a > first && verbish(prev))
                kind = CNT_PEOPLE;
        }
        if (kind && push(x, d, kind, v, qf | nf, a, nb)) {
            x->c.n = 0;
            return 0;
        }
        i = nb;
    }
    /* implied ones: a singular victim, a lone protester */
    for (uint32_t v = first; v < end; v++) {
        const char *w = W(d, v);
        if (!HASH_IN(victim_hashes, d->tok[v].hash)) continue;
        int killing = IN_LIST(kill_verbs, w), dying = IN_LIST(die_words, w);
        int wounding = !strcmp(w, "WOUNDED") || !strcmp(w, "INJURED");
        if (!killing && !dying && !wounding) continue;
        int kind = wounding ? CNT_INJURED : CNT_KILLED;
        if (have_kind(x, kind)) continue;
        /* subject: "A ... [has been] killed", "A ... died" at the start of the sentence */
        uint32_t j = v;
        while (j > first && IN_LIST(aux_words, W(d, j - 1)))
            j--;
        if ((dying || j < v || wounding) && is(d, first, end, "A") + is(d, first, end, "AN") &&
            j > first + 1 && j <= first + 8) {
            int ok = 1;
            uint32_t nt;
            int nf;
            for (uint32_t k = first + 1; k < j && ok; k++)
                if (d->tok[k].kind != TX_WORD || IN_LIST(np_stop, W(d, k)) ||
                    cnt_number(d, k, end, &nt, &nf) > 0)
                    ok = 0;
            if (ok && (j < v || !wounding)) {
                if (push(x, d, kind, 1, CNT_IMPLIED, first, j)) goto oom;
                continue;
            }
        }
        /* object: "killed the deputy chief" */
        if (killing || wounding) {
            uint32_t e = singular_object(d, v, end);
            if (e && push(x, d, kind, 1, CNT_IMPLIED, v + 1, e)) goto oom;
        }
    }
    if (protest && !have_kind(x, CNT_SIZE) && (is(d, first, end, "A") || is(d, first, end, "AN"))) {
        /* "A member of the Syrian parliament ... started a hunger strike" */
        uint32_t k = first + 1;
        while (k < end && k < first + 4 && d->tok[k].kind == TX_WORD && strcmp(W(d, k), "OF"))
            k++;
        const char *h = W(d, k - 1);
        size_t l = strlen(h);
        if (k > first + 1 && strcmp(h, "GROUP") && strcmp(h, "CROWD") && strcmp(h, "NUMBER") &&
            !(l > 2 && h[l - 1] == 'S') && !IN_LIST(protest_words, h))
            if (push(x, d, CNT_SIZE, 1, CNT_IMPLIED, first, k)) goto oom;
    }
    /* text order, or nearest the verb first */
    for (size_t i = 1; i < x->c.n; i++) {
        cnt_count c = x->c.p[i];
        size_t j = i;
        for (; j > 0; j--) {
            const cnt_count *p = &x->c.p[j - 1];
            uint32_t dc = verb_tok == UINT32_MAX   ? c.tok_first
                          : c.tok_first > verb_tok ? c.tok_first - verb_tok
                                                   : verb_tok - c.tok_first;
            uint32_t dp = verb_tok == UINT32_MAX    ? p->tok_first
                          : p->tok_first > verb_tok ? p->tok_first - verb_tok
                                                    : verb_tok - p->tok_first;
            if (dp < dc || (dp == dc && p->tok_first <= c.tok_first)) break;
            x->c.p[j] = x->c.p[j - 1];
        }
        x->c.p[j] = c;
    }
    *out = x->c.p;
    return x->c.n;
oom:
    x->c.n = 0;
    return 0;
}
