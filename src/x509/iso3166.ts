/**
 * ISO 3166-1 alpha-2 country codes, for the Subject-C rule of WebAuthn §8.2.1: the 249 officially
 * assigned code elements, plus the user-assigned ranges (AA, QM–QZ, XA–XZ, ZZ), which ISO 3166-1
 * §8.1.3 reserves for local use: the W3C WebAuthn test vectors use `AA`, and `XK` is Kosovo.
 * Exceptionally reserved or withdrawn codes (`UK`, `EU`, `YU`, …) are not country codes here.
 */

const ASSIGNED =
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
  'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
  'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS ' +
  'MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS ' +
  'RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW ' +
  'TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW';

/** The 249 officially assigned ISO 3166-1 alpha-2 codes. */
export const ISO_3166_ALPHA2_ASSIGNED: ReadonlySet<string> = new Set(ASSIGNED.split(' '));

/** True for an assigned or user-assigned ISO 3166-1 alpha-2 code (two upper-case letters). */
export function isIso3166Alpha2(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code)) return false;
  if (ISO_3166_ALPHA2_ASSIGNED.has(code)) return true;
  return code === 'AA' || code === 'ZZ' || (code[0] === 'Q' && code[1]! >= 'M') || code[0] === 'X';
}
