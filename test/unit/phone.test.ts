import { describe, expect, it } from 'vitest';
import { phoneNumberField, toE164 } from '../../shared/domain/phone.js';

describe('toE164', () => {
  it.each([
    ['a UK mobile in national form', '07911 123456', 'GB', '+447911123456'],
    ['a UK mobile in international form', '+44 7911 123456', 'GB', '+447911123456'],
    ['a UK mobile with the 00 international prefix', '0044 7911 123456', 'GB', '+447911123456'],
    ['a UK mobile with the (0) people write', '+44 (0)7911 123456', 'GB', '+447911123456'],
    ['a UK mobile with dashes and padding', '  07911-123-456 ', 'GB', '+447911123456'],
    ['a UK mobile with the country code but no plus', '447911123456', 'GB', '+447911123456'],
    ['an Irish mobile in national form, Irish default', '085 123 4567', 'IE', '+353851234567'],
    ['an Irish mobile in international form, UK default', '+353 85 123 4567', 'GB', '+353851234567'],
    ['a German mobile in international form', '+49 1512 3456789', 'GB', '+4915123456789'],
    ['a Cardiff number in the Ofcom drama range', '029 2018 0123', 'GB', '+442920180123'],
    ['a London number in the Ofcom drama range', '020 7946 0123', 'GB', '+442079460123'],
  ] as const)('normalises %s (%j)', (_case, input, country, expected) => {
    // Prepare / Act
    const e164 = toE164(input, country);

    // Assess
    expect(e164).toBe(expected);
  });

  it.each([
    ['the first', '07700 900000', '+447700900000'],
    ['a middle', '07700 900123', '+447700900123'],
    ['the last', '07700 900999', '+447700900999'],
    ['an international-form', '+44 7700 900123', '+447700900123'],
  ])('accepts %s number of the Ofcom drama mobile range', (_case, input, expected) => {
    // Prepare / Act
    const e164 = toE164(input, 'GB');

    // Assess
    expect(e164).toBe(expected);
  });

  it.each([
    ['an empty string', ''],
    ['words', 'hello'],
    ['too few digits', '123'],
    ['a country code alone', '+44'],
    ['a number cut short', '07700 900'],
    ['a drama number with digits too many', '+447700900123456'],
    ['an unallocated mobile just past the drama range', '07700 901000'],
    ['an unknown country code', '+999 1234 5678'],
  ])('refuses %s (%j)', (_case, input) => {
    // Prepare / Act
    const e164 = toE164(input, 'GB');

    // Assess
    expect(e164).toBeUndefined();
  });
});

describe('phoneNumberField', () => {
  it('yields E.164 from a national form', () => {
    // Prepare
    const field = phoneNumberField('GB');

    // Act
    const parsed = field.parse('07700 900123');

    // Assess
    expect(parsed).toBe('+447700900123');
  });

  it('refuses junk with a message quoting what was typed', () => {
    // Prepare
    const field = phoneNumberField('GB');

    // Act
    const result = field.safeParse('not a number');

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('"not a number" is not a valid phone number');
  });
});
