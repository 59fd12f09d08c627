import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandWords, normaliseText, reservedKeywords, routeText, type Intent } from '../../shared/domain/keyword-router.js';

/**
 * What each command word means when texted alone, written out independently of the table. A
 * JOIN or SUBSCRIBE alone names no topic, so it is not understood.
 */
const expectedAlone: ReadonlyArray<[string, Intent]> = [
  ['STOP', { kind: 'optOut' }],
  ['STOPALL', { kind: 'optOut' }],
  ['UNSUBSCRIBE', { kind: 'optOut' }],
  ['CANCEL', { kind: 'optOut' }],
  ['END', { kind: 'optOut' }],
  ['QUIT', { kind: 'optOut' }],
  ['START', { kind: 'optIn' }],
  ['UNSTOP', { kind: 'optIn' }],
  ['HELP', { kind: 'help' }],
  ['INFO', { kind: 'help' }],
  ['JOIN', { kind: 'unrecognised' }],
  ['SUBSCRIBE', { kind: 'unrecognised' }],
];

const optOutWords = Object.entries(commandWords)
  .filter(([, kind]) => kind === 'optOut')
  .map(([word]) => word);

describe('commandWords', () => {
  it('has a row here for every command word, and every command word is reserved', () => {
    // Prepare
    const expectedWords = expectedAlone.map(([word]) => word).sort();

    // Act
    const tableWords = Object.keys(commandWords).sort();

    // Assess
    expect(tableWords).toEqual(expectedWords);
    expect([...reservedKeywords].sort()).toEqual(expectedWords);
  });

  it.each(expectedAlone)('%s alone routes to %o', (word, intent) => {
    // Prepare / Act
    const routed = routeText(word);

    // Assess
    expect(routed).toEqual(intent);
  });

  it.each(expectedAlone)('%s in lower case, padded and punctuated, routes the same way', (word, intent) => {
    // Prepare
    const text = `  ${word.toLowerCase()}!  `;

    // Act
    const routed = routeText(text);

    // Assess
    expect(routed).toEqual(intent);
  });
});

describe('routeText', () => {
  it.each<[string, string, Intent]>([
    ['lower case', 'stop', { kind: 'optOut' }],
    ['mixed case', 'sToP', { kind: 'optOut' }],
    ['surrounding spaces and newlines', ' \n\tStop \r\n', { kind: 'optOut' }],
    ['trailing punctuation', 'STOP.', { kind: 'optOut' }],
    ['quotes and brackets', '("quit")', { kind: 'optOut' }],
    ['emoji around the word', '🛑 stop 🛑', { kind: 'optOut' }],
    ['emoji glued to the word', 'STOP🙏', { kind: 'optOut' }],
    ['full-width letters (NFKC)', 'ＳＴＯＰ', { kind: 'optOut' }],
    ['a ligature (NFKC)', 'ﬆop', { kind: 'optOut' }],
    ['help with a question mark', 'Help?', { kind: 'help' }],
    ['JOIN and a topic', 'JOIN YOUTH', { kind: 'subscribe', keyword: 'YOUTH', explicit: true }],
    ['join, lower case, with punctuation', 'join youth!', { kind: 'subscribe', keyword: 'YOUTH', explicit: true }],
    ['SUBSCRIBE and a topic', 'Subscribe traffic', { kind: 'subscribe', keyword: 'TRAFFIC', explicit: true }],
    ['JOIN and a dashed topic', 'join area-cf10', { kind: 'subscribe', keyword: 'AREA-CF10', explicit: true }],
    ['JOIN with extra spaces', '  JOIN    TRAFFIC  ', { kind: 'subscribe', keyword: 'TRAFFIC', explicit: true }],
    ['a bare keyword', 'traffic', { kind: 'subscribe', keyword: 'TRAFFIC', explicit: false }],
    ['a bare keyword with emoji', '🚗 Traffic!', { kind: 'subscribe', keyword: 'TRAFFIC', explicit: false }],
    ['JOIN alone', 'join', { kind: 'unrecognised' }],
    ['JOIN with two words', 'JOIN YOUTH NOW', { kind: 'unrecognised' }],
    ['a sentence', 'please stop texting me', { kind: 'unrecognised' }],
    ['two words, the first a command', 'STOP ALL', { kind: 'unrecognised' }],
    ['an empty text', '', { kind: 'unrecognised' }],
    ['only punctuation', '?!...', { kind: 'unrecognised' }],
    ['only an emoji', '👍', { kind: 'unrecognised' }],
  ])('reads %s (%j) as %o', (_case, text, intent) => {
    // Prepare / Act
    const routed = routeText(text);

    // Assess
    expect(routed).toEqual(intent);
  });

  it('never throws, whatever the text, and always names a known intent', () => {
    // Prepare
    const kinds = new Set<Intent['kind']>(['optOut', 'optIn', 'help', 'subscribe', 'unrecognised']);

    // Act / Assess
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (text) => {
        const intent = routeText(text);
        expect(kinds.has(intent.kind)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('routes any text that normalises to an opt-out word alone to optOut', () => {
    // Prepare: an opt-out word in any casing, wrapped in anything normalisation strips away.
    const strippable = fc.constantFrom(' ', '\t', '\n', '.', '!', '?', ',', ';', ':', '"', "'", '(', ')', '*', '…', '¡', '🛑', '🙏', '👍🏽');
    const casing = (word: string) =>
      fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length }).map((upper) =>
        [...word].map((letter, index) => (upper[index] ? letter : letter.toLowerCase())).join(''),
      );
    const optOutText = fc
      .tuple(
        fc.array(strippable, { maxLength: 5 }),
        fc.constantFrom(...optOutWords).chain(casing),
        fc.array(strippable, { maxLength: 5 }),
      )
      .map(([before, word, after]) => `${before.join('')}${word}${after.join('')}`);

    // Act / Assess
    fc.assert(
      fc.property(optOutText, (text) => {
        expect(routeText(text)).toEqual({ kind: 'optOut' });
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.oneof(optOutText, fc.string({ unit: 'grapheme', maxLength: 20 })), (text) => {
        if (optOutWords.includes(normaliseText(text))) expect(routeText(text)).toEqual({ kind: 'optOut' });
        else expect(routeText(text)).not.toEqual({ kind: 'optOut' });
      }),
      { numRuns: 500 },
    );
  });
});

describe('normaliseText', () => {
  it.each([
    ['join  youth', 'JOIN YOUTH'],
    ['  Area  CF10! ', 'AREA CF10'],
    ['Café', 'CAFÉ'],
    ['area-cf10', 'AREA-CF10'],
    ['🛑', ''],
  ])('normalises %j to %j', (text, expected) => {
    // Prepare / Act
    const normalised = normaliseText(text);

    // Assess
    expect(normalised).toBe(expected);
  });
});
