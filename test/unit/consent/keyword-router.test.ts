import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { routeText, type Intent } from '../../../shared/consent/keyword-router.js';
import { foldAccents, normaliseText } from '../../../shared/consent/normalise-text.js';
import { commandWords, type CommandKind } from '../../../shared/consent/words/command-words.js';
import { fillerWords } from '../../../shared/consent/words/filler-words.js';
import { plainLanguageOptOuts } from '../../../shared/consent/words/plain-language-opt-outs.js';
import { reservedKeywords } from '../../../shared/consent/words/reserved-keywords.js';
import { languageNameWords, languages, type Language } from '../../../shared/domain/language.js';

const optOut: Intent = { kind: 'optOut' };
const unrecognised: Intent = { kind: 'unrecognised' };
const leaveTraffic: Intent = { kind: 'leaveTopic', keyword: 'TRAFFIC' };
const joinTraffic: Intent = { kind: 'subscribe', keyword: 'TRAFFIC', explicit: true };

/**
 * Every command word, written out independently of the table: its kind and language, what it
 * means texted alone, and what it means followed by the word TRAFFIC.
 */
const expectedWords: ReadonlyArray<[string, CommandKind, Language | undefined, Intent, Intent]> = [
  // Opt out: strong and topic-taking
  ['STOP', 'optOut', undefined, optOut, leaveTraffic],
  ['UNSUBSCRIBE', 'optOut', undefined, optOut, leaveTraffic],
  ['OPTOUT', 'optOut', undefined, optOut, leaveTraffic],
  ['OPT-OUT', 'optOut', undefined, optOut, leaveTraffic],
  ['STOPIO', 'optOut', 'cy', optOut, leaveTraffic],
  ['DAD-DANYSGRIFIO', 'optOut', 'cy', optOut, leaveTraffic],
  ['BAJA', 'optOut', 'es', optOut, leaveTraffic],
  ['DESUSCRIBIR', 'optOut', 'es', optOut, leaveTraffic],
  // Opt out: strong, whatever follows is still a full opt-out
  ['STOPALL', 'optOut', undefined, optOut, optOut],
  ['REVOKE', 'optOut', undefined, optOut, optOut],
  ['STOPIWCH', 'optOut', 'cy', optOut, optOut],
  ['DESUSCRIBIRSE', 'optOut', 'es', optOut, optOut],
  ['DESUSCRIBIRME', 'optOut', 'es', optOut, optOut],
  // Opt out: weak, everyday words, alone only
  ['CANCEL', 'optOut', undefined, optOut, unrecognised],
  ['END', 'optOut', undefined, optOut, unrecognised],
  ['QUIT', 'optOut', undefined, optOut, unrecognised],
  ['DIWEDD', 'optOut', 'cy', optOut, unrecognised],
  ['ATAL', 'optOut', 'cy', optOut, unrecognised],
  ['ALTO', 'optOut', 'es', optOut, unrecognised],
  ['PARA', 'optOut', 'es', optOut, unrecognised],
  ['PARAR', 'optOut', 'es', optOut, unrecognised],
  ['DETENER', 'optOut', 'es', optOut, unrecognised],
  ['CANCELAR', 'optOut', 'es', optOut, unrecognised],
  ['FIN', 'optOut', 'es', optOut, unrecognised],
  // Leave a topic; alone, leave everything
  ['LEAVE', 'leaveTopic', 'en', optOut, leaveTraffic],
  ['GADAEL', 'leaveTopic', 'cy', optOut, leaveTraffic],
  ['SALIR', 'leaveTopic', 'es', optOut, leaveTraffic],
  // Opt in
  ['START', 'optIn', undefined, { kind: 'optIn' }, unrecognised],
  ['UNSTOP', 'optIn', undefined, { kind: 'optIn' }, unrecognised],
  ['DECHRAU', 'optIn', 'cy', { kind: 'optIn' }, unrecognised],
  ['AILDDECHRAU', 'optIn', 'cy', { kind: 'optIn' }, unrecognised],
  ['EMPEZAR', 'optIn', 'es', { kind: 'optIn' }, unrecognised],
  ['COMENZAR', 'optIn', 'es', { kind: 'optIn' }, unrecognised],
  ['INICIO', 'optIn', 'es', { kind: 'optIn' }, unrecognised],
  ['REANUDAR', 'optIn', 'es', { kind: 'optIn' }, unrecognised],
  // Help
  ['HELP', 'help', undefined, { kind: 'help' }, unrecognised],
  ['INFO', 'help', undefined, { kind: 'help' }, unrecognised],
  ['CYMORTH', 'help', 'cy', { kind: 'help' }, unrecognised],
  ['GWYBODAETH', 'help', 'cy', { kind: 'help' }, unrecognised],
  ['AYUDA', 'help', 'es', { kind: 'help' }, unrecognised],
  ['INFORMACION', 'help', 'es', { kind: 'help' }, unrecognised],
  // Subscribe; alone, the list of topics
  ['JOIN', 'subscribe', 'en', { kind: 'listTopics' }, joinTraffic],
  ['SUBSCRIBE', 'subscribe', 'en', { kind: 'listTopics' }, joinTraffic],
  ['YMUNO', 'subscribe', 'cy', { kind: 'listTopics' }, joinTraffic],
  ['TANYSGRIFIO', 'subscribe', 'cy', { kind: 'listTopics' }, joinTraffic],
  ['UNIRSE', 'subscribe', 'es', { kind: 'listTopics' }, joinTraffic],
  ['UNIRME', 'subscribe', 'es', { kind: 'listTopics' }, joinTraffic],
  ['SUSCRIBIR', 'subscribe', 'es', { kind: 'listTopics' }, joinTraffic],
  ['SUSCRIBIRSE', 'subscribe', 'es', { kind: 'listTopics' }, joinTraffic],
  ['SUSCRIBIRME', 'subscribe', 'es', { kind: 'listTopics' }, joinTraffic],
  // Topics
  ['TOPICS', 'listTopics', 'en', { kind: 'listTopics' }, unrecognised],
  ['LIST', 'listTopics', 'en', { kind: 'listTopics' }, unrecognised],
  ['PYNCIAU', 'listTopics', 'cy', { kind: 'listTopics' }, unrecognised],
  ['RHESTR', 'listTopics', 'cy', { kind: 'listTopics' }, unrecognised],
  ['TEMAS', 'listTopics', 'es', { kind: 'listTopics' }, unrecognised],
  ['LISTA', 'listTopics', 'es', { kind: 'listTopics' }, unrecognised],
  // Profile
  ['AREA', 'setArea', undefined, { kind: 'invalidArea', text: '' }, { kind: 'invalidArea', text: 'TRAFFIC' }],
  ['POSTCODE', 'setArea', 'en', { kind: 'invalidArea', text: '' }, { kind: 'invalidArea', text: 'TRAFFIC' }],
  ['ARDAL', 'setArea', 'cy', { kind: 'invalidArea', text: '' }, { kind: 'invalidArea', text: 'TRAFFIC' }],
  ['ZONA', 'setArea', 'es', { kind: 'invalidArea', text: '' }, { kind: 'invalidArea', text: 'TRAFFIC' }],
  ['LANG', 'setLanguage', undefined, { kind: 'invalidLanguage', text: '' }, { kind: 'invalidLanguage', text: 'TRAFFIC' }],
  ['LANGUAGE', 'setLanguage', 'en', { kind: 'invalidLanguage', text: '' }, { kind: 'invalidLanguage', text: 'TRAFFIC' }],
  ['IAITH', 'setLanguage', 'cy', { kind: 'invalidLanguage', text: '' }, { kind: 'invalidLanguage', text: 'TRAFFIC' }],
  ['IDIOMA', 'setLanguage', 'es', { kind: 'invalidLanguage', text: '' }, { kind: 'invalidLanguage', text: 'TRAFFIC' }],
  ['AGE', 'setAge', 'en', { kind: 'invalidAge', text: '' }, { kind: 'invalidAge', text: 'TRAFFIC' }],
  ['OED', 'setAge', 'cy', { kind: 'invalidAge', text: '' }, { kind: 'invalidAge', text: 'TRAFFIC' }],
  ['EDAD', 'setAge', 'es', { kind: 'invalidAge', text: '' }, { kind: 'invalidAge', text: 'TRAFFIC' }],
  // Confirm
  ['YES', 'confirm', 'en', { kind: 'confirm' }, unrecognised],
  ['Y', 'confirm', 'en', { kind: 'confirm' }, unrecognised],
  ['CONFIRM', 'confirm', 'en', { kind: 'confirm' }, unrecognised],
  ['IE', 'confirm', 'cy', { kind: 'confirm' }, unrecognised],
  ['OES', 'confirm', 'cy', { kind: 'confirm' }, unrecognised],
  ['YDW', 'confirm', 'cy', { kind: 'confirm' }, unrecognised],
  ['CADARNHAU', 'confirm', 'cy', { kind: 'confirm' }, unrecognised],
  ['SI', 'confirm', 'es', { kind: 'confirm' }, unrecognised],
  ['CONFIRMAR', 'confirm', 'es', { kind: 'confirm' }, unrecognised],
];

const optOutWords = Object.entries(commandWords)
  .filter(([, command]) => command.kind === 'optOut' || command.kind === 'leaveTopic')
  .map(([word]) => word);

/** Casing chosen letter by letter. */
const anyCasing = (word: string) =>
  fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((upper) => [...word].map((letter, index) => (upper[index] ? letter.toUpperCase() : letter.toLowerCase())).join(''));

/** Characters normalisation strips around a word: spaces, punctuation, dashes, emoji (with skin tones and variation selectors), RTL and zero-width marks. */
const strippable = fc.constantFrom(
  ' ', '\t', '\n', '\r\n', '\u00a0', '.', '!', '?', ',', ';', ':', '"', "'", '(', ')', '*', '…', '¡', '¿', '-', '—', '_',
  '🛑', '🙏', '👍🏽', '❤️', '👨‍👩‍👧', '\u200f', '\u200b', '\u2066', '\ufeff',
);
const surrounding = fc.array(strippable, { maxLength: 6 }).map((parts) => parts.join(''));

describe('commandWords', () => {
  it('has a row here for every command word', () => {
    // Prepare
    const expected = expectedWords.map(([word]) => word).sort();

    // Act
    const table = Object.keys(commandWords).sort();

    // Assess
    expect(table).toEqual(expected);
  });

  it.each(expectedWords)('%s is a %s word (language %s)', (word, kind, language) => {
    // Prepare
    const entry = commandWords[word];

    // Act
    const actual = { kind: entry?.kind, language: entry?.language };

    // Assess
    expect(actual).toEqual({ kind, language });
  });

  it.each(expectedWords)('%s alone routes as expected, telling its language', (word, _kind, language, alone) => {
    // Prepare
    const text = word;

    // Act
    const routed = routeText(text);

    // Assess
    expect(routed).toEqual({ intent: alone, language });
  });

  it.each(expectedWords)('%s in lower case, padded, punctuated and with accents dropped or added, routes the same', (word, _kind, _language, alone) => {
    // Prepare
    const text = `  ${word.toLowerCase().replace(/i$/, 'í')}!  `;

    // Act
    const routed = routeText(text);

    // Assess
    expect(routed.intent).toEqual(alone);
  });

  it.each(expectedWords)('%s followed by TRAFFIC routes as expected', (word, _kind, _language, _alone, withTopic) => {
    // Prepare
    const text = `${word} traffic`;

    // Act
    const routed = routeText(text);

    // Assess
    expect(routed.intent).toEqual(withTopic);
  });

  it('holds every word once, upper case and unaccented, as normalisation leaves it', () => {
    // Prepare
    const words = Object.keys(commandWords);

    // Act
    const renormalised = words.map((word) => foldAccents(normaliseText(word)));

    // Assess
    expect(renormalised).toEqual(words);
  });
});

describe('reservedKeywords', () => {
  it('holds every command word (with and without dashes), every filler word and every language name', () => {
    // Prepare
    const expected = [
      ...Object.keys(commandWords),
      ...Object.keys(commandWords).map((word) => word.replace(/-/g, '')),
      ...fillerWords,
      ...languageNameWords.keys(),
    ];

    // Act
    const missing = expected.filter((word) => !reservedKeywords.has(word));

    // Assess
    expect(missing).toEqual([]);
  });

  it('holds no filler word that is also a command word', () => {
    // Prepare
    const commands = new Set(Object.keys(commandWords));

    // Act
    const both = [...fillerWords].filter((word) => commands.has(word));

    // Assess
    expect(both).toEqual([]);
  });
});

describe('plainLanguageOptOuts', () => {
  const rows = plainLanguageOptOuts.flatMap((entry, index) =>
    entry.examples.map((example) => [index, entry.language, example] as const),
  );

  it('gives every entry at least one example', () => {
    // Prepare
    const entries = plainLanguageOptOuts;

    // Act
    const withoutExamples = entries.filter((entry) => entry.examples.length === 0);

    // Assess
    expect(withoutExamples).toEqual([]);
  });

  it.each(rows)('entry %i (%s): %j is an opt-out, caught by that entry', (index, language, example) => {
    // Prepare
    const entry = plainLanguageOptOuts[index];
    const normalised = foldAccents(normaliseText(example));

    // Act
    const routed = routeText(example);

    // Assess
    expect(routed.intent).toEqual(optOut);
    expect(entry?.pattern.test(normalised)).toBe(true);
    expect(routed.language === undefined || routed.language === language).toBe(true);
  });
});

describe('routeText', () => {
  it.each([
    'STOP',
    ' stop!! ',
    'Stop 🛑',
    'STOP.',
    'please stop texting me',
    'unsubscribe me',
    'remove me',
    'remove me from this list',
    'stop sending me messages',
    "don't text me",
    'no more messages',
    'STOP ALL',
    'Stop all messages please',
    'STOP STOP STOP',
    'OK STOP',
    'stop now!!!',
    'Unsubscribe me please 🙏',
    'Quit it',
    'Cancel please',
    'End.',
    'PLEASE STOP',
    'text STOP',
    'Reply STOP',
    'STOP this nonsense at once',
    'Stop sending me these alerts',
    'STOP-ALL',
    'opt—out',
    'Opt out please',
    '--STOP--',
    'S̷T̷O̷P̷',
    'ＳＴＯＰ',
    'ﬆop',
    'STOP ١٢٣',
    'Stopio plis',
    'stopio popeth',
    'STOP POPETH',
    'Dad-danysgrifio',
    'DADDANYSGRIFIO',
    'Baja',
    'baja ya',
    'Alto!',
    'ALTO POR FAVOR',
    'Para ya',
    'No más',
    'Cancelar',
    'leave',
    'LEAVE ME ALONE',
    'gadael',
    'Salir',
  ])('reads %j as an opt-out', (text) => {
    // Prepare / Act
    const routed = routeText(text);

    // Assess
    expect(routed.intent).toEqual(optOut);
  });

  it.each<[string, string, Intent]>([
    ['STOP and a topic', 'STOP TRAFFIC', leaveTraffic],
    ['STOP and a topic, padded', 'stop traffic please', leaveTraffic],
    ['LEAVE and a topic', 'Leave traffic', leaveTraffic],
    ['UNSUBSCRIBE FROM and a topic', 'unsubscribe from traffic', leaveTraffic],
    ['STOP and a dashed compound', 'STOP-TRAFFIC', leaveTraffic],
    ['Welsh GADAEL and a topic', 'gadael traffig', { kind: 'leaveTopic', keyword: 'TRAFFIG' }],
    ['Spanish BAJA and an accented topic', 'Baja tráfico', { kind: 'leaveTopic', keyword: 'TRAFICO' }],
    ['Spanish SALIR DE and a topic', 'salir de trafico', { kind: 'leaveTopic', keyword: 'TRAFICO' }],
    ['STOP and a dashed topic', 'stop area-cf10', { kind: 'leaveTopic', keyword: 'AREA-CF10' }],
    // No topic NONSENSE: the caller makes this a full opt-out (the ambiguity rule).
    ['STOP and a word that is no topic', 'STOP this nonsense', { kind: 'leaveTopic', keyword: 'NONSENSE' }],
  ])('reads %s (%j) as leaving one topic', (_case, text, intent) => {
    // Prepare / Act
    const routed = routeText(text);

    // Assess
    expect(routed.intent).toEqual(intent);
  });

  it.each<[string, string, Intent]>([
    ['JOIN and a topic', 'JOIN YOUTH', { kind: 'subscribe', keyword: 'YOUTH', explicit: true }],
    ['join, lower case, with punctuation', 'join youth!', { kind: 'subscribe', keyword: 'YOUTH', explicit: true }],
    ['SUBSCRIBE TO and a topic', 'Subscribe to traffic', joinTraffic],
    ['JOIN and a topic, politely', 'Please join traffic, thanks', joinTraffic],
    ['JOIN and a dashed topic', 'join area-cf10', { kind: 'subscribe', keyword: 'AREA-CF10', explicit: true }],
    ['JOIN with extra spaces', '  JOIN    TRAFFIC  ', joinTraffic],
    ['Welsh YMUNO', 'Ymuno ieuenctid', { kind: 'subscribe', keyword: 'IEUENCTID', explicit: true }],
    ['Spanish SUSCRIBIRME A', 'suscribirme a tráfico', { kind: 'subscribe', keyword: 'TRAFICO', explicit: true }],
    ['JOIN and two topics', 'JOIN TRAFFIC YOUTH', unrecognised],
    ['a bare keyword', 'traffic', { kind: 'subscribe', keyword: 'TRAFFIC', explicit: false }],
    ['a bare keyword with emoji', '🚗 Traffic!', { kind: 'subscribe', keyword: 'TRAFFIC', explicit: false }],
    ['a bare dashed keyword', 'AREA-CF10', { kind: 'subscribe', keyword: 'AREA-CF10', explicit: false }],
    ['a bare accented word, folded to a keyword', 'Tráfico', { kind: 'subscribe', keyword: 'TRAFICO', explicit: false }],
    ['a bare word in another script', 'مرحبا', unrecognised],
    ['TOPICS', 'topics?', { kind: 'listTopics' }],
    ['LIST TOPICS', 'list topics', { kind: 'listTopics' }],
    ['MY TOPICS', 'my topics', { kind: 'listTopics' }],
    ['HELP with a question mark', 'Help?', { kind: 'help' }],
    ['HELP ME', 'help me', { kind: 'help' }],
    ['HELP in a sentence, for a person', 'Help, the road outside is flooded', unrecognised],
    ['START', 'Start please', { kind: 'optIn' }],
    ['START with a topic', 'START TRAFFIC', unrecognised],
    ['YES', 'Yes please', { kind: 'confirm' }],
    ['SÍ', 'Sí', { kind: 'confirm' }],
    ['SI without its accent', 'si', { kind: 'confirm' }],
    ['AREA and a district', 'AREA CF10', { kind: 'setArea', area: 'CF10' }],
    ['AREA and a full postcode, reduced', 'area cf10 1ep', { kind: 'setArea', area: 'CF10' }],
    ['AREA with a colon', 'Area: sw1a 1aa', { kind: 'setArea', area: 'SW1A' }],
    ['ARDAL (Welsh)', 'ardal cf10', { kind: 'setArea', area: 'CF10' }],
    ['ZONA (Spanish)', 'Zona M1', { kind: 'setArea', area: 'M1' }],
    ['AREA and a town', 'AREA Cardiff', { kind: 'invalidArea', text: 'CARDIFF' }],
    ['LANG and a code', 'LANG CY', { kind: 'setLanguage', language: 'cy' }],
    ['LANG and a tag', 'lang es-419', { kind: 'setLanguage', language: 'es' }],
    ['IAITH and the mutated name', 'IAITH GYMRAEG', { kind: 'setLanguage', language: 'cy' }],
    ['IDIOMA and an accented name', 'idioma español', { kind: 'setLanguage', language: 'es' }],
    ['LANGUAGE and an English name', 'language welsh please', { kind: 'setLanguage', language: 'cy' }],
    ['LANG and a language crier does not have', 'LANG FR', { kind: 'invalidLanguage', text: 'FR' }],
    ['a language name alone', 'Cymraeg', { kind: 'setLanguage', language: 'cy' }],
    ['a Spanish name alone, accented', 'Español', { kind: 'setLanguage', language: 'es' }],
    ['an English name alone, politely', 'English please', { kind: 'setLanguage', language: 'en' }],
    ['AGE 13', 'AGE 13', { kind: 'setAge', band: '13-15' }],
    ['AGE with years', 'age 17 years old', { kind: 'setAge', band: '16-17' }],
    ['EDAD with años', 'edad 30 años', { kind: 'setAge', band: '25+' }],
    ['OED with oed', 'oed 15 oed', { kind: 'setAge', band: '13-15' }],
    ['AGE 12', 'AGE 12', { kind: 'underAge' }],
    ['AGE 0', 'age 0', { kind: 'underAge' }],
    ['AGE in words', 'AGE fifteen', { kind: 'invalidAge', text: 'FIFTEEN' }],
    ['AGE too old to be one', 'AGE 200', { kind: 'invalidAge', text: '200' }],
  ])('reads %s (%j)', (_case, text, intent) => {
    // Prepare / Act
    const routed = routeText(text);

    // Assess
    expect(routed.intent).toEqual(intent);
  });

  it.each([
    ['an everyday CANCEL', 'Cancel my bin collection'],
    ['an everyday END', 'End of Queen St is flooded'],
    ['an everyday QUIT', 'Quit smoking service opening hours?'],
    ['Spanish "heavy traffic"', 'Alto tráfico en la calle Mayor'],
    ['Spanish PARA as "for"', 'Para cuándo abren la piscina?'],
    ['STOP inside a sentence', 'The bus didn’t stop at Queen St'],
    ['a BUS STOP', 'BUS STOP on Queen St is broken'],
    ['STOP inside a longer word', 'NONSTOP'],
    ['a wish to stop something else', 'I want to stop the roadworks at night'],
    ['NO MORE about something else', 'There is no more parking on Elm St'],
    ['thanks', 'Thanks!'],
    ['a filler word alone', 'ok'],
    ['an empty text', ''],
    ['only punctuation', '?!...'],
    ['only an emoji', '👍'],
  ])('does not opt out on %s (%j), which goes to the inbox or is not understood', (_case, text) => {
    // Prepare / Act
    const routed = routeText(text);

    // Assess
    expect(routed.intent.kind).not.toBe('optOut');
    expect(routed.intent.kind).not.toBe('leaveTopic');
  });

  it.each<[string, Language | undefined]>([
    ['STOP', undefined],
    ['HELP', undefined],
    ['BAJA', 'es'],
    ['stopio plis', 'cy'],
    ['ymuno traffig', 'cy'],
    ['no más mensajes', 'es'],
    ['please stop texting me', undefined],
    ['remove me', 'en'],
    ['traffic', undefined],
  ])('tells the language of %j: %s', (text, language) => {
    // Prepare / Act
    const routed = routeText(text);

    // Assess
    expect(routed.language).toBe(language);
  });

  it('never throws, whatever the text, and always names a known intent and language', () => {
    // Prepare
    const kinds = new Set<Intent['kind']>([
      'optOut', 'leaveTopic', 'optIn', 'help', 'subscribe', 'listTopics', 'setArea', 'invalidArea',
      'setLanguage', 'invalidLanguage', 'setAge', 'underAge', 'invalidAge', 'confirm', 'unrecognised',
    ]);
    const rtl = fc.constantFrom('שלום', 'مرحبا', '\u200f', '\u202e', 'סטופ', 'توقف');
    const control = fc.integer({ min: 0, max: 31 }).map((code) => String.fromCharCode(code));
    const mixed = fc
      .array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 8 }), rtl, control, fc.constantFrom(...optOutWords)), { maxLength: 12 })
      .map((parts) => parts.join(' '));
    const anything = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 80 }),
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.string({ unit: 'grapheme-composite', maxLength: 40 }),
      mixed,
    );

    // Act / Assess
    fc.assert(
      fc.property(anything, (text) => {
        const routed = routeText(text);
        expect(kinds.has(routed.intent.kind)).toBe(true);
        expect(routed.language === undefined || languages.includes(routed.language)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads a very long text quickly, and still hears the STOP that starts it', () => {
    // Prepare
    const text = `STOP ${'🛑 بلا بلا blah '.repeat(20_000)}`;

    // Act
    const started = performance.now();
    const routed = routeText(text);
    const elapsed = performance.now() - started;

    // Assess
    expect(routed.intent).toEqual(optOut);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('routes any opt-out word, in any casing, wrapped in anything normalisation strips, to an opt-out', () => {
    // Prepare
    const optOutText = fc
      .tuple(surrounding, fc.constantFrom(...optOutWords).chain(anyCasing), surrounding)
      .map(([before, word, after]) => `${before}${word}${after}`);

    // Act / Assess
    fc.assert(
      fc.property(optOutText, (text) => {
        expect(routeText(text).intent).toEqual(optOut);
      }),
      { numRuns: 1000 },
    );
  });

  it('routes any opt-out word padded with filler words and punctuation to an opt-out', () => {
    // Prepare
    const filler = fc.constantFrom(...fillerWords).chain(anyCasing);
    const padded = fc
      .tuple(fc.array(filler, { maxLength: 3 }), fc.constantFrom(...optOutWords).chain(anyCasing), fc.array(filler, { maxLength: 3 }), surrounding)
      .map(([before, word, after, end]) => `${[...before, word, ...after].join(' ')}${end}`);

    // Act / Assess
    fc.assert(
      fc.property(padded, (text) => {
        expect(routeText(text).intent).toEqual(optOut);
      }),
      { numRuns: 1000 },
    );
  });

  it('never opts out of a text without letters', () => {
    // Prepare
    const noLetters = fc.string({ unit: 'binary', maxLength: 40 }).map((text) => text.replace(/\p{L}/gu, ''));

    // Act / Assess
    fc.assert(
      fc.property(noLetters, (text) => {
        expect(routeText(text).intent.kind).not.toBe('optOut');
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
    ['área', 'ÁREA'],
    ['area-cf10', 'AREA-CF10'],
    ['opt-out', 'OPT-OUT'],
    ['OPT-OUT!', 'OPT-OUT'],
    ['opt–out', 'OPT-OUT'],
    ['opt‑out', 'OPT-OUT'],
    ['opt--out', 'OPT-OUT'],
    ['-stop-', 'STOP'],
    ['stop - traffic', 'STOP TRAFFIC'],
    ["don't", 'DONT'],
    ['don’t', 'DONT'],
    ["'stop'", 'STOP'],
    ['\u200fSTOP\u200e', 'STOP'],
    ['ＳＴＯＰ', 'STOP'],
    ['straße', 'STRASSE'],
    ['🛑', ''],
    ['🛑️', ''],
  ])('normalises %j to %j', (text, expected) => {
    // Prepare / Act
    const normalised = normaliseText(text);

    // Assess
    expect(normalised).toBe(expected);
  });
});

describe('foldAccents', () => {
  it.each([
    ['SÍ', 'SI'],
    ['ESPAÑOL', 'ESPANOL'],
    ['DILËWCH', 'DILEWCH'],
    ['ŴY', 'WY'],
    ['S̷T̷O̷P̷', 'STOP'],
    ['مرحبا', 'مرحبا'],
  ])('folds %j to %j', (text, expected) => {
    // Prepare / Act
    const folded = foldAccents(text);

    // Assess
    expect(folded).toBe(expected);
  });
});
