/**
 * Which residents a broadcast reaches within its topics: by postcode area or district, age band
 * and language. Pure: the fan-out reads each subscriber's profile and asks {@link matchesFilters}.
 *
 * Unknown is not a match. A resident who never told us their area or age band is not sent a
 * message aimed at CF10 or at 16-17 year olds: we cannot know they are in it, and a youth
 * message reaching an adult (or a jam warning reaching the wrong town) is the worse mistake.
 * Language is different: a resident who never chose one reads the deployment's default
 * language, so they count as speaking it.
 *
 * Areas. A filter is either a postcode area (letters only: "CF", "S") or a postcode district
 * (an outward code: "CF10", "SW1A"):
 * - an area matches every district of that area, by its whole letter prefix: "S" matches S1 and
 *   S10 but not SA1 (Swansea is not Sheffield);
 * - a district matches only itself: "CF1" and "CF10" are different districts, so "CF1" does not
 *   match CF10 (a plain string-prefix test would get this wrong);
 * - except that a district ending in a digit also matches its lettered sub-districts: central
 *   London's W1 is split into W1A…W1W, EC1 into EC1A…EC1V, and E1W and N1C were carved out of E1
 *   and N1. Residents give the sub-district (their postcode says W1D), while staff think "W1".
 *   A digit after the filter ("CF1" → "CF10") is a different district; a letter is a part of it.
 */
import { z } from 'zod';
import { type Language, languageSchema } from './language.js';
import { ageBandSchema, parseArea, type AgeBand } from './profile.js';

/** Postcode areas: one or two letters; the first never Q, V or X, the second never I, J or Z (as in profile.ts). */
const POSTCODE_AREA = /^[A-PR-UWYZ][A-HK-Y]?$/;

/** Upper case without spaces: "cf 10" → "CF10", so filters compare with the districts parseArea keeps. */
function normaliseAreaFilter(text: string): string {
  return text.replace(/\s+/g, '').toUpperCase();
}

/** True for a postcode area ("CF") or district ("CF10"); a full postcode or a sector is not one. */
export function isAreaFilter(filter: string): boolean {
  return POSTCODE_AREA.test(filter) || parseArea(filter) === filter;
}

const areaFilterSchema = z
  .string()
  .superRefine((text, ctx) => {
    const filter = normaliseAreaFilter(text);
    if (isAreaFilter(filter)) return;
    const district = parseArea(filter);
    ctx.addIssue({
      code: 'custom',
      message:
        district === undefined
          ? `"${text.trim()}" is not a postcode area ("CF") or district ("CF10")`
          : // Only districts are kept about residents, so a finer filter could never match as meant.
            `"${text.trim()}" is finer than a postcode district: target the district "${district}" instead`,
    });
  })
  .transform(normaliseAreaFilter);

/** Duplicates say nothing more; dropping them keeps stored filters and audit records tidy. */
function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/**
 * An empty list would either match nobody (surely a mistake) or everybody (what omitting the
 * filter already says), so it is refused rather than guessed at.
 */
const omitInstead = 'must not be empty: omit the filter instead';

export const targetingFiltersSchema = z.strictObject({
  areas: z.array(areaFilterSchema).min(1, omitInstead).max(200).transform(unique).optional(),
  ageBands: z.array(ageBandSchema).min(1, omitInstead).transform(unique).optional(),
  languages: z.array(languageSchema).min(1, omitInstead).transform(unique).optional(),
});
export type TargetingFilters = z.infer<typeof targetingFiltersSchema>;

/** What targeting needs to know about a resident: the profile fields, absent when never given. */
export interface TargetedResident {
  area: string | undefined;
  ageBand: AgeBand | undefined;
  language: Language | undefined;
}

/** True when at least one filter narrows the audience. */
export function hasFilters(filters: TargetingFilters | undefined): boolean {
  if (!filters) return false;
  return [filters.areas, filters.ageBands, filters.languages].some((filter) => filter !== undefined && filter.length > 0);
}

/** Whether a resident's district lies in an area filter; see the module comment for the rules. */
export function areaMatches(filter: string, residentArea: string): boolean {
  const wanted = normaliseAreaFilter(filter);
  const district = normaliseAreaFilter(residentArea);
  if (/^[A-Z]+$/.test(wanted)) return /^[A-Z]+/.exec(district)?.[0] === wanted;
  if (district === wanted) return true;
  return /\d$/.test(wanted) && district.length === wanted.length + 1 && district.startsWith(wanted) && /[A-Z]$/.test(district);
}

/**
 * Whether a resident is in a broadcast's audience: every filter given must hold (areas, age
 * bands and languages each match any of their values). No filters: everyone matches.
 */
export function matchesFilters(resident: TargetedResident, filters: TargetingFilters | undefined, defaultLanguage: Language): boolean {
  if (!filters) return true;
  const { areas, ageBands, languages } = filters;
  if (areas?.length) {
    const area = resident.area;
    if (area === undefined || !areas.some((filter) => areaMatches(filter, area))) return false;
  }
  if (ageBands?.length) {
    if (resident.ageBand === undefined || !ageBands.includes(resident.ageBand)) return false;
  }
  if (languages?.length) {
    if (!languages.includes(resident.language ?? defaultLanguage)) return false;
  }
  return true;
}
