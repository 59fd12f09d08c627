import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { languages, type Language } from '../../shared/domain/language.js';
import { ageBands, type AgeBand } from '../../shared/domain/profile.js';
import {
  areaMatches,
  hasFilters,
  matchesFilters,
  targetingFiltersSchema,
  type TargetedResident,
  type TargetingFilters,
} from '../../shared/domain/targeting.js';

const resident = (overrides: Partial<TargetedResident> = {}): TargetedResident => ({
  area: 'CF10',
  ageBand: '16-17',
  language: 'cy',
  ...overrides,
});

describe('targetingFiltersSchema', () => {
  it.each([
    [{ areas: ['cf10', ' cf 11 ', 'cf'] }, { areas: ['CF10', 'CF11', 'CF'] }],
    [{ areas: ['SW1A', 'W1', 'E1W', 'M'] }, { areas: ['SW1A', 'W1', 'E1W', 'M'] }],
    [{ areas: ['CF10', 'cf10'] }, { areas: ['CF10'] }],
    [{ ageBands: ['16-17', '13-15', '16-17'] }, { ageBands: ['16-17', '13-15'] }],
    [{ languages: ['cy', 'en'] }, { languages: ['cy', 'en'] }],
    [{}, {}],
  ])('reads %j as %j', (input, expected) => {
    // Prepare / Act
    const filters = targetingFiltersSchema.parse(input);

    // Assess
    expect(filters).toEqual(expected);
  });

  it.each([
    [{ areas: [] }, 'areas', 'must not be empty: omit the filter instead'],
    [{ ageBands: [] }, 'ageBands', 'must not be empty: omit the filter instead'],
    [{ languages: [] }, 'languages', 'must not be empty: omit the filter instead'],
    [{ areas: ['CF10', 'CARDIFF'] }, 'areas.1', '"CARDIFF" is not a postcode area ("CF") or district ("CF10")'],
    [{ areas: ['QX'] }, 'areas.0', '"QX" is not a postcode area ("CF") or district ("CF10")'],
    [{ areas: ['CF10 1EP'] }, 'areas.0', '"CF10 1EP" is finer than a postcode district: target the district "CF10" instead'],
    [{ ageBands: ['12-13'] }, 'ageBands.0', undefined],
    [{ languages: ['fr'] }, 'languages.0', undefined],
  ])('refuses %j at %s', (input, path, message) => {
    // Prepare / Act
    const result = targetingFiltersSchema.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path.join('.')).toBe(path);
    if (message) expect(result.error?.issues[0]?.message).toBe(message);
  });

  it('refuses a filter it does not know, rather than ignoring it and reaching too many', () => {
    // Prepare / Act
    const result = targetingFiltersSchema.safeParse({ postcodes: ['CF10'] });

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.code).toBe('unrecognized_keys');
  });
});

describe('areaMatches', () => {
  it.each<[string, string, boolean]>([
    // A district matches itself only.
    ['CF10', 'CF10', true],
    ['CF1', 'CF10', false],
    ['CF10', 'CF1', false],
    ['CF10', 'CF11', false],
    // An area matches its districts by the whole letter prefix.
    ['CF', 'CF10', true],
    ['CF', 'CF1', true],
    ['S', 'S10', true],
    ['S', 'SA1', false],
    ['C', 'CF10', false],
    // A numbered district includes its lettered sub-districts, not the reverse.
    ['W1', 'W1D', true],
    ['E1', 'E1W', true],
    ['SW1', 'SW1A', true],
    ['SW1A', 'SW1', false],
    ['SW1A', 'SW1E', false],
    // Case and spaces do not matter on either side.
    ['cf', ' cf10', true],
  ])('filter %s on a resident in %s: %s', (filter, area, expected) => {
    // Prepare / Act
    const actual = areaMatches(filter, area);

    // Assess
    expect(actual).toBe(expected);
  });
});

describe('matchesFilters', () => {
  it.each<[string, TargetingFilters, Partial<TargetedResident>, boolean]>([
    ['area: in it', { areas: ['CF10', 'NP'] }, { area: 'NP20' }, true],
    ['area: outside it', { areas: ['CF10', 'NP'] }, { area: 'CF11' }, false],
    ['area: unknown', { areas: ['CF10'] }, { area: undefined }, false],
    ['age band: in it', { ageBands: ['13-15', '16-17'] }, { ageBand: '16-17' }, true],
    ['age band: outside it', { ageBands: ['13-15'] }, { ageBand: '18-24' }, false],
    ['age band: unknown', { ageBands: ['13-15'] }, { ageBand: undefined }, false],
    ['language: chosen', { languages: ['cy'] }, { language: 'cy' }, true],
    ['language: another', { languages: ['cy'] }, { language: 'es' }, false],
    ['language: none chosen, counted as the default', { languages: ['en'] }, { language: undefined }, true],
    ['language: none chosen, default not wanted', { languages: ['cy'] }, { language: undefined }, false],
    ['all: every one holds', { areas: ['CF'], ageBands: ['16-17'], languages: ['cy'] }, {}, true],
    ['all: one fails', { areas: ['CF'], ageBands: ['13-15'], languages: ['cy'] }, {}, false],
    ['none: everyone', {}, { area: undefined, ageBand: undefined, language: undefined }, true],
  ])('%s', (_, filters, overrides, expected) => {
    // Prepare
    const someone = resident(overrides);

    // Act
    const actual = matchesFilters(someone, filters, 'en');

    // Assess
    expect(actual).toBe(expected);
  });

  it('lets everyone through when there are no filters at all', () => {
    // Prepare / Act
    const actual = matchesFilters(resident({ area: undefined, ageBand: undefined, language: undefined }), undefined, 'en');

    // Assess
    expect(actual).toBe(true);
  });

  it.each(ageBands)('finds a resident of band %s by that band alone', (band) => {
    // Prepare / Act
    const actual = matchesFilters(resident({ ageBand: band }), { ageBands: [band] }, 'en');

    // Assess
    expect(actual).toBe(true);
  });

  it.each(languages)('finds a resident reading %s by that language alone', (language) => {
    // Prepare / Act
    const actual = matchesFilters(resident({ language }), { languages: [language] }, 'en');

    // Assess
    expect(actual).toBe(true);
  });

  it('never reaches more residents for adding a filter', () => {
    // Prepare
    const residents = fc.record({
      area: fc.option(fc.constantFrom('CF10', 'CF11', 'CF1', 'NP20', 'SA1', 'S1', 'W1D'), { nil: undefined }),
      ageBand: fc.option(fc.constantFrom<AgeBand>(...ageBands), { nil: undefined }),
      language: fc.option(fc.constantFrom<Language>(...languages), { nil: undefined }),
    });
    const filters = fc.record(
      {
        areas: fc.uniqueArray(fc.constantFrom('CF', 'CF10', 'CF1', 'NP', 'S', 'W1'), { minLength: 1 }),
        ageBands: fc.uniqueArray(fc.constantFrom<AgeBand>(...ageBands), { minLength: 1 }),
        languages: fc.uniqueArray(fc.constantFrom<Language>(...languages), { minLength: 1 }),
      },
      { requiredKeys: [] },
    );

    // Act / Assess
    fc.assert(
      fc.property(residents, filters, fc.constantFrom<keyof TargetingFilters>('areas', 'ageBands', 'languages'), (someone, given, dropped) => {
        const fewer = { ...given, [dropped]: undefined };
        if (matchesFilters(someone, given, 'en')) expect(matchesFilters(someone, fewer, 'en')).toBe(true);
      }),
    );
  });
});

describe('hasFilters', () => {
  it.each<[TargetingFilters | undefined, boolean]>([
    [undefined, false],
    [{}, false],
    [{ areas: ['CF10'] }, true],
    [{ ageBands: ['16-17'] }, true],
    [{ languages: ['cy'] }, true],
  ])('says %j narrows the audience: %s', (filters, expected) => {
    // Prepare / Act
    const actual = hasFilters(filters);

    // Assess
    expect(actual).toBe(expected);
  });
});
