import fc from 'fast-check';
import { SegmentedMessage } from 'sms-segments-calculator';
import { describe, expect, it } from 'vitest';
import {
  defaultPriceTable,
  estimateCost,
  gsmReplacement,
  priceTableSchema,
  previewWarningCodes,
  smsPreview,
  smsSegmentsOf,
  withGsmReplacements,
  type PreviewWarningCode,
  type PriceTable,
} from '../../shared/domain/sms-preview.js';

describe('smsPreview', () => {
  it.each([
    ['plain text', 'Roadworks on Queen St tonight', 'GSM-7', 29, 1],
    ['160 GSM-7 characters: one segment', 'a'.repeat(160), 'GSM-7', 160, 1],
    ['161 GSM-7 characters: two segments of 153', 'a'.repeat(161), 'GSM-7', 161, 2],
    ['306 GSM-7 characters: still two', 'a'.repeat(306), 'GSM-7', 306, 2],
    ['GSM-7 accents (é ñ ü) stay GSM-7', 'Café, niño, über', 'GSM-7', 16, 1],
    ['an extension character counts 2', '€5 [today]', 'GSM-7', 13, 1],
    ['70 UCS-2 characters: one segment', 'ŵ'.repeat(70), 'UCS-2', 70, 1],
    ['71 UCS-2 characters: two segments of 67', 'ŵ'.repeat(71), 'UCS-2', 71, 2],
    ['an emoji counts 2 in UCS-2', 'Hi 👋', 'UCS-2', 5, 1],
  ])('%s', (_, text, encoding, characters, segments) => {
    // Prepare / Act
    const preview = smsPreview(text);

    // Assess
    expect(preview).toMatchObject({ encoding, characters, segments });
  });

  it('names the characters that force UCS-2 once each, in order, and what it would cost without them', () => {
    // Prepare
    const text = `We’re closing Heol y Ŵyl – we’re sorry. ${'x'.repeat(40)}`;

    // Act
    const preview = smsPreview(text);

    // Assess
    expect(preview.unicodeCharacters).toEqual(['’', 'Ŵ', '–']);
    expect(preview.segments).toBe(2);
    expect(preview.segmentsWithoutUnicode).toBe(1);
  });

  it('leaves segmentsWithoutUnicode out for a GSM-7 message', () => {
    // Prepare / Act
    const preview = smsPreview('Plain text');

    // Assess
    expect(preview.unicodeCharacters).toEqual([]);
    expect(preview.segmentsWithoutUnicode).toBeUndefined();
  });

  it.each<[PreviewWarningCode, string, string]>([
    [
      'unicode_doubles_cost',
      `Road closed – sorry. ${'x'.repeat(100)}`,
      '"–" is outside the GSM-7 alphabet, so the whole message goes as UCS-2: 2 segments instead of 1. Replace "–" with "-".',
    ],
    [
      'unicode_raises_cost',
      `${'x'.repeat(309)}’`,
      '"’" is outside the GSM-7 alphabet, so the whole message goes as UCS-2: 5 segments instead of 3. Replace "’" with "\'".',
    ],
    [
      'extension_characters_add_segment',
      `${'a'.repeat(158)}[]`,
      '"[" and "]" count as two characters in GSM-7, which takes the message to 2 segments instead of 1.',
    ],
    ['next_character_adds_segment', 'a'.repeat(160), 'The message fills 1 segment exactly: one more character makes it 2.'],
    ['just_over_segment_boundary', 'a'.repeat(163), 'Cutting 3 characters would make it 1 segment instead of 2.'],
  ])('warns %s', (code, text, message) => {
    // Prepare / Act
    const preview = smsPreview(text);

    // Assess
    expect(preview.warnings).toContainEqual({ code, message });
  });

  it('covers every warning code in the table above', () => {
    // Assess: a new code must get a row.
    expect(previewWarningCodes).toEqual([
      'unicode_doubles_cost',
      'unicode_raises_cost',
      'extension_characters_add_segment',
      'next_character_adds_segment',
      'just_over_segment_boundary',
    ]);
  });

  it('says when a character has no GSM-7 equivalent', () => {
    // Prepare
    const text = `Croeso i’r ŵyl! ${'x'.repeat(80)}`;

    // Act
    const preview = smsPreview(text);

    // Assess
    expect(preview.warnings).toEqual([
      {
        code: 'unicode_doubles_cost',
        message:
          '"’" and "ŵ" are outside the GSM-7 alphabet, so the whole message goes as UCS-2: 2 segments instead of 1. ' +
          'Replace "’" with "\'". "ŵ" has no GSM-7 equivalent: rephrase if the cost matters.',
      },
    ]);
  });

  it('names an invisible character by its code point', () => {
    // Prepare
    const text = `Queen\u00a0St ${'x'.repeat(80)}`;

    // Act
    const preview = smsPreview(text);

    // Assess
    expect(preview.warnings[0]?.message).toContain('Replace the invisible U+00A0 with " ".');
  });

  it('does not offer a cut that only saves by dropping the character that forced UCS-2', () => {
    // Prepare: 301 UCS-2 characters take 5 segments; without the last one, 300 GSM-7 characters take 2.
    const text = `${'x'.repeat(300)}’`;

    // Act
    const preview = smsPreview(text);

    // Assess
    expect(preview.warnings.map((warning) => warning.code)).toEqual(['unicode_doubles_cost']);
  });

  it('does not warn about UCS-2 when it costs nothing more', () => {
    // Prepare / Act
    const preview = smsPreview('Short – fine');

    // Assess
    expect(preview.encoding).toBe('UCS-2');
    expect(preview.warnings).toEqual([]);
  });

  it('holds together for any text', () => {
    // Act / Assess
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const preview = smsPreview(text);
        expect(preview.segments).toBe(new SegmentedMessage(text).segmentsCount);
        expect(preview.encoding === 'GSM-7').toBe(preview.unicodeCharacters.length === 0);
        expect(new Set(preview.unicodeCharacters).size).toBe(preview.unicodeCharacters.length);
        if (preview.segmentsWithoutUnicode !== undefined) expect(preview.segmentsWithoutUnicode).toBeLessThanOrEqual(preview.segments);
        for (const warning of preview.warnings) expect(previewWarningCodes).toContain(warning.code);
      }),
    );
  });
});

describe('gsmReplacement', () => {
  it.each([
    ['\u2019', "'"],
    ['\u2018', "'"],
    ['\u201c', '"'],
    ['\u201d', '"'],
    ['\u2013', '-'],
    ['\u2014', '-'],
    ['\u2026', '...'],
    ['\u00a0', ' '],
    ['\u2009', ' '],
  ])('stands %j in with %j', (character, replacement) => {
    // Prepare / Act
    const actual = gsmReplacement(character);

    // Assess
    expect(actual).toBe(replacement);
  });

  it.each(['ŵ', 'á', '😀', 'a', 'é', '€'])('has no stand-in for %j (none exists, or none is needed)', (character) => {
    // Prepare / Act
    const actual = gsmReplacement(character);

    // Assess
    expect(actual).toBeUndefined();
  });

  it('turns a pasted text into GSM-7 where it can', () => {
    // Prepare / Act
    const fixed = withGsmReplacements('“We’re closed” – sorry…');

    // Assess
    expect(fixed).toBe('"We\'re closed" - sorry...');
    expect(smsPreview(fixed).encoding).toBe('GSM-7');
  });
});

describe('priceTableSchema', () => {
  it('defaults the currency to GBP', () => {
    // Prepare / Act
    const prices = priceTableSchema.parse({ sms: { perSegment: 0.035 }, whatsapp: { perMessage: 0.018 } });

    // Assess
    expect(prices).toEqual({ sms: { perSegment: 0.035 }, whatsapp: { perMessage: 0.018 }, currency: 'GBP' });
  });

  it.each([
    [{ sms: { perSegment: -1 }, whatsapp: { perMessage: 0 } }, 'sms.perSegment'],
    [{ sms: { perSegment: 0.04 }, whatsapp: {} }, 'whatsapp.perMessage'],
    [{ sms: { perSegment: 0.04 }, whatsapp: { perMessage: 0.02 }, currency: 'pounds' }, 'currency'],
  ])('refuses %j at %s', (input, path) => {
    // Prepare / Act
    const result = priceTableSchema.safeParse(input);

    // Assess
    expect(result.error?.issues[0]?.path.join('.')).toBe(path);
  });

  it('accepts its own default', () => {
    // Prepare / Act
    const result = priceTableSchema.safeParse(defaultPriceTable);

    // Assess
    expect(result.success).toBe(true);
  });
});

describe('estimateCost', () => {
  const prices: PriceTable = { sms: { perSegment: 0.04 }, whatsapp: { perMessage: 0.02 }, currency: 'GBP' };

  it.each([
    ['one segment each', { sms: 1000, whatsapp: 500 }, 1, { currency: 'GBP', sms: 40, whatsapp: 10, total: 50 }],
    ['two segments double the SMS cost only', { sms: 1000, whatsapp: 500 }, 2, { currency: 'GBP', sms: 80, whatsapp: 10, total: 90 }],
    ['to the penny', { sms: 3, whatsapp: 7 }, 3, { currency: 'GBP', sms: 0.36, whatsapp: 0.14, total: 0.5 }],
    ['nobody', { sms: 0, whatsapp: 0 }, 1, { currency: 'GBP', sms: 0, whatsapp: 0, total: 0 }],
  ])('%s', (_, audience, segments, expected) => {
    // Prepare / Act
    const cost = estimateCost(audience, segments, prices);

    // Assess
    expect(cost).toEqual(expected);
  });

  it('rounds each channel to the nearest penny, and totals the rounded figures so they add up', () => {
    // Prepare
    const odd: PriceTable = { sms: { perSegment: 0.0333 }, whatsapp: { perMessage: 0.0166 }, currency: 'GBP' };

    // Act
    const cost = estimateCost({ sms: 1, whatsapp: 1 }, 1, odd);

    // Assess
    expect(cost).toEqual({ currency: 'GBP', sms: 0.03, whatsapp: 0.02, total: 0.05 });
  });

  it('rounds to the currency’s own minor unit', () => {
    // Prepare
    const yen: PriceTable = { sms: { perSegment: 7.4 }, whatsapp: { perMessage: 2.6 }, currency: 'JPY' };

    // Act
    const cost = estimateCost({ sms: 3, whatsapp: 1 }, 1, yen);

    // Assess
    expect(cost).toEqual({ currency: 'JPY', sms: 22, whatsapp: 3, total: 25 });
  });

  it.each([
    [{ sms: -1, whatsapp: 0 }, 1],
    [{ sms: 1.5, whatsapp: 0 }, 1],
    [{ sms: 1, whatsapp: Number.NaN }, 1],
    [{ sms: 1, whatsapp: 1 }, -2],
  ])('refuses %j with %d segments', (audience, segments) => {
    // Prepare / Act
    const act = () => estimateCost(audience, segments, prices);

    // Assess
    expect(act).toThrow(RangeError);
  });

  it('totals the channels exactly, in pennies', () => {
    // Act / Assess
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.nat(1_000_000), fc.integer({ min: 1, max: 10 }), (sms, whatsapp, segments) => {
        const cost = estimateCost({ sms, whatsapp }, segments, defaultPriceTable);
        expect(Math.round(cost.total * 100)).toBe(Math.round(cost.sms * 100) + Math.round(cost.whatsapp * 100));
        expect(Number.isInteger(Math.round(cost.total * 100))).toBe(true);
      }),
    );
  });
});

describe('smsSegmentsOf: the same text counted again and again in a broadcast', () => {
  it('answers the same count for a text asked again, after hundreds of other texts have pushed it out of those kept', () => {
    // Prepare
    const long = 'A'.repeat(161);
    const others = Array.from({ length: 300 }, (_, index) => `Road closed at junction ${index} – use the diversion`);

    // Act
    const first = smsSegmentsOf(long);
    const counts = others.map((text) => smsSegmentsOf(text));
    const again = smsSegmentsOf(long);

    // Assess: 161 GSM-7 characters are two segments; each other text is UCS-2 (the en dash), one segment.
    expect([first, again]).toEqual([2, 2]);
    expect(new Set(counts)).toEqual(new Set([1]));
  });
});
