import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ageBandOf, ageBands, parseAgeYears, parseArea, type AgeBand } from '../../shared/domain/profile.js';

describe('ageBandOf', () => {
  it.each<[number, AgeBand | 'under13']>([
    [0, 'under13'],
    [12, 'under13'],
    [12.99, 'under13'],
    [13, '13-15'],
    [15, '13-15'],
    [15.9, '13-15'],
    [16, '16-17'],
    [17, '16-17'],
    [18, '18-24'],
    [24, '18-24'],
    [25, '25+'],
    [120, '25+'],
  ])('puts %d in %s', (years, band) => {
    // Prepare / Act
    const actual = ageBandOf(years);

    // Assess
    expect(actual).toBe(band);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('refuses %d, which is no age', (years) => {
    // Prepare / Act
    const act = () => ageBandOf(years);

    // Assess
    expect(act).toThrow(RangeError);
  });

  it('reaches every band, and only the bands', () => {
    // Prepare
    const ages = Array.from({ length: 121 }, (_, years) => years);

    // Act
    const reached = new Set(ages.map(ageBandOf));

    // Assess
    expect([...reached].sort()).toEqual([...ageBands, 'under13'].sort());
  });

  it('never puts an older resident in a younger band', () => {
    // Prepare
    const order = ['under13', ...ageBands];

    // Act / Assess
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 120 }), (a, b) => {
        const [younger, older] = a <= b ? [a, b] : [b, a];
        expect(order.indexOf(ageBandOf(younger))).toBeLessThanOrEqual(order.indexOf(ageBandOf(older)));
      }),
    );
  });
});

describe('parseAgeYears', () => {
  it.each<[string, number | undefined]>([
    ['15', 15],
    [' 15 ', 15],
    ['15 years', 15],
    ['15yrs old', 15],
    ['15 y/o', undefined],
    ['15 oed', 15],
    ['15 mlwydd oed', 15],
    ['15 años', 15],
    ['0', 0],
    ['120', 120],
    ['121', undefined],
    ['fifteen', undefined],
    ['15 16', undefined],
    ['-5', undefined],
    ['1.5', undefined],
    ['', undefined],
  ])('reads %j as %s', (text, years) => {
    // Prepare / Act
    const actual = parseAgeYears(text);

    // Assess
    expect(actual).toBe(years);
  });
});

describe('parseArea', () => {
  it.each([
    // Districts, each outward form: AA99, AA9A, A9, A99, AA9, A9A.
    ['CF10', 'CF10'],
    ['SW1A', 'SW1A'],
    ['M1', 'M1'],
    ['B33', 'B33'],
    ['EH1', 'EH1'],
    ['W1A', 'W1A'],
    ['EC1A', 'EC1A'],
    ['cf10', 'CF10'],
    [' Cf10. ', 'CF10'],
    // Full postcodes, reduced to the district.
    ['CF10 1EP', 'CF10'],
    ['cf101ep', 'CF10'],
    ['SW1A 1AA', 'SW1A'],
    ['sw1a1aa', 'SW1A'],
    ['M1 1AE', 'M1'],
    ['B33 8TH', 'B33'],
    ['EH1 1YZ', 'EH1'],
    ['W1A 0AX', 'W1A'],
    ['CF10-1EP', 'CF10'],
    ['GIR 0AA', 'GIR'],
    // A sector, reduced to the district.
    ['CF10 1', 'CF10'],
  ])('reads %j as the district %s', (text, district) => {
    // Prepare / Act
    const area = parseArea(text);

    // Assess
    expect(area).toBe(district);
  });

  it.each([
    ['nothing', ''],
    ['a town', 'Cardiff'],
    ['a US ZIP code', '90210'],
    ['a district without its digit', 'CF'],
    ['an inward code alone', '1EP'],
    ['Q in first position', 'Q1'],
    ['V in first position', 'V1 1AA'],
    ['X in first position', 'X1'],
    ['Z in second position', 'AZ1'],
    ['I in third position (A9A)', 'W1I'],
    ['Z in fourth position (AA9A)', 'SW1Z'],
    ['C and I in the inward code', 'CF10 1CI'],
    ['a postcode one letter too long', 'CF10 1EPX'],
    ['a district with too many digits', 'CF100'],
    ['two districts', 'CF10 CF11'],
    ['a sector without its space', 'CF101'],
  ])('refuses %s (%j)', (_case, text) => {
    // Prepare / Act
    const area = parseArea(text);

    // Assess
    expect(area).toBeUndefined();
  });

  it('reduces any valid full postcode to its outward code, whatever the spacing and case', () => {
    // Prepare: postcodes built from the format's own character classes.
    const pick = (chars: string) => fc.constantFrom(...chars);
    const first = pick('ABCDEFGHIJKLMNOPRSTUWYZ');
    const second = pick('ABCDEFGHKLMNOPQRSTUVWXY');
    const digit = pick('0123456789');
    const outward = fc.oneof(
      fc.tuple(first, digit).map((parts) => parts.join('')),
      fc.tuple(first, digit, digit).map((parts) => parts.join('')),
      fc.tuple(first, digit, pick('ABCDEFGHJKPSTUW')).map((parts) => parts.join('')),
      fc.tuple(first, second, digit).map((parts) => parts.join('')),
      fc.tuple(first, second, digit, digit).map((parts) => parts.join('')),
      fc.tuple(first, second, digit, pick('ABEHMNPRVWXY')).map((parts) => parts.join('')),
    );
    const inwardLetter = pick('ABDEFGHJLNPQRSTUWXYZ');
    const inward = fc.tuple(digit, inwardLetter, inwardLetter).map((parts) => parts.join(''));
    const spacing = fc.constantFrom('', ' ', '  ', '-');

    // Act / Assess
    fc.assert(
      fc.property(outward, inward, spacing, fc.boolean(), (out, inw, space, lower) => {
        const text = `${out}${space}${inw}`;
        expect(parseArea(lower ? text.toLowerCase() : text)).toBe(out);
      }),
      { numRuns: 500 },
    );
  });

  it('returns only districts, and reads its own answers back unchanged', () => {
    // Prepare
    const texts = fc.oneof(fc.string({ maxLength: 10 }), fc.stringMatching(/^[A-Za-z]{1,2}\d{1,2}[A-Za-z]? ?\d?[A-Za-z]{0,2}$/));

    // Act / Assess
    fc.assert(
      fc.property(texts, (text) => {
        const area = parseArea(text);
        if (area === undefined) return;
        expect(area).toMatch(/^[A-Z]{1,2}\d[A-Z\d]?$|^GIR$/);
        expect(parseArea(area)).toBe(area);
      }),
      { numRuns: 1000 },
    );
  });
});
