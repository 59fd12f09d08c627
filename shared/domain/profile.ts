/**
 * What a resident may tell crier about themselves, reduced to what targeting needs and no more
 * (UK GDPR data minimisation): an age band, never the age; a postcode district, never the full
 * postcode.
 */
import { z } from 'zod';

/** Youth services target by these bands; 13 is the youngest age that may join (UK GDPR Art. 8, as set for the UK by DPA 2018 s.9). */
export const ageBands = ['13-15', '16-17', '18-24', '25+'] as const;
export type AgeBand = (typeof ageBands)[number];
export const ageBandSchema = z.enum(ageBands);
export const minimumAge = 13;
/** Anything older is a typo or a joke, not an age; it is refused rather than banded as 25+. */
export const maximumAge = 120;

/**
 * The band an age in whole years falls in, or 'under13' (who may not join, and of whom nothing
 * is kept). Fractions are floored, as ages are (15.9 is 15).
 * @throws RangeError for a negative, infinite or NaN age: the router never passes one.
 */
export function ageBandOf(years: number): AgeBand | 'under13' {
  if (!Number.isFinite(years) || years < 0) throw new RangeError(`not an age: ${years}`);
  const age = Math.floor(years);
  if (age < minimumAge) return 'under13';
  if (age <= 15) return '13-15';
  if (age <= 17) return '16-17';
  if (age <= 24) return '18-24';
  return '25+';
}

/** Upper case, accents folded (AÑOS → ANOS), punctuation to spaces. */
function normaliseProfileText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** An age as texted: "15", "15 years", "15yrs old", "15 oed", "15 mlwydd oed", "15 años". */
const AGE = /^(\d{1,3})(?: ?(?:YEARS?|YRS?|YO|OLD|OED|MLWYDD|BLWYDD|BLWYDDYN|ANOS|ANO))*$/;

/** Whole years from an AGE reply, or undefined when it is not one (words, more than one number, over {@link maximumAge}). */
export function parseAgeYears(text: string): number | undefined {
  // A minus sign is not punctuation here: "-5" is no age, not 5.
  if (/^\s*[-\u2212]/.test(text)) return undefined;
  const match = AGE.exec(normaliseProfileText(text));
  if (!match?.[1]) return undefined;
  const years = Number(match[1]);
  return years <= maximumAge ? years : undefined;
}

/*
 * UK postcodes. The outward code (the district, before the space) takes one of six forms, where
 * A is a letter and 9 a digit: A9, A99, A9A, AA9, AA99, AA9A; the inward code is 9AA. Letters are
 * restricted by position: the first is never Q, V or X; the second never I, J or Z; a letter in
 * the third position (A9A) is one of ABCDEFGHJKPSTUW; in the fourth (AA9A) one of ABEHMNPRVWXY;
 * the inward letters are never C, I, K, M, O or V. GIR 0AA (the old Girobank) is the one
 * exception. Source: Royal Mail's Programmers' Guide to the Postcode Address File, as summarised
 * by the UK Government Data Standards Catalogue and Wikipedia's "Postcodes in the United
 * Kingdom" (Formatting / Validation).
 *
 * Hand-written rather than a library: the grammar is this one regex, and no format check can say
 * whether a district exists (that takes the ONS Postcode Directory, which is data, not code), so
 * a dependency would buy nothing that the tests below do not already pin down.
 */
const OUTWARD = '(?:GIR|[A-PR-UWYZ](?:\\d[A-HJKPSTUW]|\\d\\d?|[A-HK-Y]\\d[ABEHMNPRVWXY]|[A-HK-Y]\\d\\d?))';
const INWARD = '\\d[ABD-HJLNP-UW-Z]{2}';
const OUTWARD_ONLY = new RegExp(`^${OUTWARD}$`);
/** A full postcode, with or without its space: the inward code is always three characters, so the split is never ambiguous. */
const FULL_POSTCODE = new RegExp(`^(${OUTWARD})${INWARD}$`);
/** A postcode sector ("CF10 1"): the district and the first digit of the inward code; the space is required to tell it apart. */
const SECTOR = new RegExp(`^(${OUTWARD}) \\d$`);

/**
 * The postcode district (outward code) a resident gave, upper case: "cf10" → "CF10"; a full
 * postcode ("CF10 1EP", "cf101ep") or a sector ("CF10 1") is reduced to its district, because
 * the district is all that area targeting uses and all that is kept. Anything else: undefined.
 */
export function parseArea(text: string): string | undefined {
  const spaced = normaliseProfileText(text.replace(/-/g, ' '));
  const compact = spaced.replace(/ /g, '');
  if (!compact || compact.length > 7) return undefined;
  const full = FULL_POSTCODE.exec(compact);
  if (full?.[1]) return full[1];
  const sector = SECTOR.exec(spaced);
  if (sector?.[1]) return sector[1];
  return OUTWARD_ONLY.test(compact) ? compact : undefined;
}
