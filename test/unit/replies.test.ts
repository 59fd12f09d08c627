import fc from 'fast-check';
import { SegmentedMessage } from 'sms-segments-calculator';
import { describe, expect, it } from 'vitest';
import { languages, type Language } from '../../shared/domain/language.js';
import {
  catalogue,
  renderReply,
  replyIds,
  stopInstructions,
  unknownPlaceholders,
  withStopFooter,
  type ReplyId,
  type ReplyParams,
} from '../../shared/domain/replies.js';

const params: ReplyParams = {
  serviceName: 'Cardiff Council',
  contact: '029 2087 2087',
  topicName: 'Traffic alerts',
  topicNames: ['Traffic alerts', 'Youth news'],
  keywords: ['TRAFFIC', 'YOUTH', 'BINS'],
  subscribedNames: ['Traffic alerts'],
  word: 'YOOTH',
  area: 'CF10',
  language: 'cy',
  band: '16-17',
};
/** Only what every reply is given. */
const bare: ReplyParams = { serviceName: 'Cardiff Council', contact: '029 2087 2087' };

const everyReply = languages.flatMap((language) => replyIds.map((id) => [language, id] as const));
const everyReplyButOptOut = everyReply.filter(([, id]) => id !== 'optedOut');

describe('the catalogue', () => {
  it('has every reply in every language', () => {
    // Prepare
    const expected = [...replyIds].sort();

    // Act
    const perLanguage = languages.map((language) => Object.keys(catalogue[language]).sort());

    // Assess
    for (const ids of perLanguage) expect(ids).toEqual(expected);
  });
});

describe('renderReply', () => {
  it.each(everyReply)('renders %s %s, with full or bare params, as a non-empty text', (language, id) => {
    // Prepare / Act
    const full = renderReply(id, language, params);
    const minimal = renderReply(id, language, bare);

    // Assess
    expect(full.trim().length).toBeGreaterThan(0);
    expect(minimal.trim().length).toBeGreaterThan(0);
    expect(full).not.toMatch(/undefined|null|\[object|\{\{/);
  });

  it.each(everyReplyButOptOut)('ends %s %s with how to stop, in that language', (language, id) => {
    // Prepare / Act
    const text = renderReply(id, language, params);

    // Assess
    expect(text.endsWith(` ${stopInstructions[language]}`)).toBe(true);
    expect(text.indexOf(stopInstructions[language])).toBe(text.length - stopInstructions[language].length);
  });

  it.each(languages)('confirms an opt-out in %s without saying how to stop, naming the service and how to come back', (language) => {
    // Prepare / Act
    const text = renderReply('optedOut', language, params);

    // Assess
    expect(text).not.toContain('STOP');
    expect(text).toContain('START');
    expect(text).toContain('Cardiff Council');
  });

  it.each(languages)('answers HELP in %s with who runs the service, the topics, how to stop and a contact', (language) => {
    // Prepare / Act
    const text = renderReply('help', language, params);

    // Assess
    expect(text).toContain('Cardiff Council');
    expect(text).toContain('TRAFFIC, YOUTH, BINS');
    expect(text).toContain(stopInstructions[language]);
    expect(text).toContain('029 2087 2087');
  });

  it.each(languages)('tells an under-13 in %s that they cannot join, and that nothing was kept', (language) => {
    // Prepare
    const keptWord: Record<Language, RegExp> = { en: /haven't kept/, cy: /ddim wedi cadw/, es: /No hemos guardado/ };

    // Act
    const text = renderReply('underAge', language, params);

    // Assess
    expect(text).toContain('13');
    expect(text).toMatch(keptWord[language]);
  });

  it.each<[ReplyId, string[]]>([
    ['unknownTopic', ['YOOTH', 'TRAFFIC, YOUTH, BINS', 'JOIN']],
    ['restored', ['Traffic alerts, Youth news']],
    ['topicsList', ['TRAFFIC, YOUTH, BINS', 'Traffic alerts']],
    ['confirmPrompt', ['Traffic alerts', 'YES', '24']],
    ['areaSet', ['CF10']],
    ['ageSet', ['16-17']],
    ['languageSet', ['Welsh']],
    ['invalidLanguage', ['English', 'Cymraeg', 'Español']],
    ['inboxAcknowledgement', ['029 2087 2087']],
  ])('says in %s what the resident needs: %j', (id, fragments) => {
    // Prepare / Act
    const text = renderReply(id, 'en', params);

    // Assess
    for (const fragment of fragments) expect(text).toContain(fragment);
  });

  it.each<[Language, string]>([
    ['en', 'Welsh'],
    ['cy', 'yn Gymraeg'],
    ['es', 'galés'],
  ])('names the new language in the reply language (%s: %s)', (language, name) => {
    // Prepare / Act
    const text = renderReply('languageSet', language, params);

    // Assess
    expect(text).toContain(name);
  });

  it.each<[Language, string]>([
    ['en', 'YES'],
    ['cy', 'IE'],
    ['es', 'SÍ'],
  ])('asks for the confirmation word of the language (%s: %s), which the router reads as a confirmation', async (language, word) => {
    // Prepare
    const { routeText } = await import('../../shared/consent/keyword-router.js');

    // Act
    const text = renderReply('confirmPrompt', language, params);

    // Assess
    expect(text).toContain(` ${word} `);
    expect(routeText(word).intent).toEqual({ kind: 'confirm' });
  });

  it('fits every English reply in one GSM-7 segment, and every other in at most two', () => {
    // Prepare
    const segments = everyReply.map(([language, id]) => {
      const message = new SegmentedMessage(renderReply(id, language, params));
      return { language, id, segments: message.segmentsCount, encoding: message.encodingName };
    });

    // Act
    const tooLong = segments.filter(({ language, segments: count }) => count > (language === 'en' ? 1 : 2));
    const englishUcs2 = segments.filter(({ language, encoding }) => language === 'en' && encoding !== 'GSM-7');

    // Assess
    expect(tooLong).toEqual([]);
    expect(englishUcs2).toEqual([]);
  });

  it('never throws and always ends with the footer, whatever the names and words it is given', () => {
    // Prepare
    const text = fc.string({ unit: 'grapheme', maxLength: 30 });
    const anyParams = fc.record({
      serviceName: text,
      contact: text,
      topicName: fc.option(text, { nil: undefined }),
      topicNames: fc.option(fc.array(text, { maxLength: 4 }), { nil: undefined }),
      keywords: fc.option(fc.array(text, { maxLength: 4 }), { nil: undefined }),
      subscribedNames: fc.option(fc.array(text, { maxLength: 4 }), { nil: undefined }),
      word: fc.option(text, { nil: undefined }),
      area: fc.option(text, { nil: undefined }),
      band: fc.option(text, { nil: undefined }),
    });

    // Act / Assess
    fc.assert(
      fc.property(fc.constantFrom(...everyReplyButOptOut), anyParams, ([language, id], given) => {
        expect(renderReply(id, language, given).endsWith(stopInstructions[language])).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('renderReply with operators’ overrides', () => {
  it('uses the operator’s text, fills its placeholders and still adds how to stop', () => {
    // Prepare
    const overrides = { en: { subscribed: 'Thanks! {{ topicName }} from {{serviceName}} is on its way.' } };

    // Act
    const text = renderReply('subscribed', 'en', params, overrides);

    // Assess
    expect(text).toBe('Thanks! Traffic alerts from Cardiff Council is on its way. Reply STOP to stop.');
  });

  it('does not repeat how to stop when the operator already ended with it', () => {
    // Prepare
    const overrides = { cy: { subscribed: 'Croeso i {{topicName}}. Atebwch STOP i stopio.' } };

    // Act
    const text = renderReply('subscribed', 'cy', params, overrides);

    // Assess
    expect(text).toBe('Croeso i Traffic alerts. Atebwch STOP i stopio.');
  });

  it('adds nothing to an operator’s opt-out confirmation', () => {
    // Prepare
    const overrides = { es: { optedOut: 'Baja confirmada. Escriba START para volver.' } };

    // Act
    const text = renderReply('optedOut', 'es', params, overrides);

    // Assess
    expect(text).toBe('Baja confirmada. Escriba START para volver.');
  });

  it('joins list placeholders and names {{language}} in the reply language', () => {
    // Prepare
    const overrides = { es: { topicsList: 'Temas: {{keywords}}. Suyos: {{subscribedNames}}.', languageSet: 'Idioma: {{language}}.' } };

    // Act
    const list = renderReply('topicsList', 'es', params, overrides);
    const language = renderReply('languageSet', 'es', params, overrides);

    // Assess
    expect(list).toBe('Temas: TRAFFIC, YOUTH, BINS. Suyos: Traffic alerts. Responda STOP para cancelar.');
    expect(language).toBe('Idioma: galés. Responda STOP para cancelar.');
  });

  it('falls back to the built-in text of the same language for a reply the operator did not write', () => {
    // Prepare
    const overrides = { cy: { help: 'Help gan y cyngor.' } };

    // Act
    const text = renderReply('subscribed', 'cy', params, overrides);

    // Assess
    expect(text).toBe(renderReply('subscribed', 'cy', params));
  });

  it('does not use one language’s override for another language', () => {
    // Prepare
    const overrides = { en: { subscribed: 'Operator English.' } };

    // Act
    const text = renderReply('subscribed', 'es', params, overrides);

    // Assess
    expect(text).toBe(renderReply('subscribed', 'es', params));
  });

  it('ignores a blank override', () => {
    // Prepare
    const overrides = { en: { notUnderstood: '   ' } };

    // Act
    const text = renderReply('notUnderstood', 'en', params, overrides);

    // Assess
    expect(text).toBe(renderReply('notUnderstood', 'en', params));
  });

  it('answers in English, with English overrides, in a language it has no catalogue for', () => {
    // Prepare: a language code from stored data that crier does not (or no longer) support.
    const unsupported = 'fr' as Language;
    const overrides = { en: { notUnderstood: 'Pardon?' } };

    // Act
    const text = renderReply('notUnderstood', unsupported, params, overrides);

    // Assess
    expect(text).toBe('Pardon? Reply STOP to stop.');
  });

  it('leaves unknown placeholders empty, and reports them for configuration to refuse', () => {
    // Prepare
    const overrides = { en: { subscribed: 'Joined {{topicNam}}.', help: '{{serviceName}} {{contact}}' }, cy: { areaSet: 'Ardal: {{ardal}}' } };

    // Act
    const text = renderReply('subscribed', 'en', params, overrides);
    const unknown = unknownPlaceholders(overrides);

    // Assess
    expect(text).toBe('Joined . Reply STOP to stop.');
    expect(unknown).toEqual([
      { language: 'en', id: 'subscribed', name: 'topicNam' },
      { language: 'cy', id: 'areaSet', name: 'ardal' },
    ]);
  });
});

describe('withStopFooter', () => {
  it.each([
    ['a plain body', 'Queues on the A470.', 'Queues on the A470.\nReply STOP to stop.'],
    ['a body that says "stop" in lower case', 'Buses will not stop on High St.', 'Buses will not stop on High St.\nReply STOP to stop.'],
    ['a body with STOP inside a longer word', 'NONSTOP service on the 61 today.', 'NONSTOP service on the 61 today.\nReply STOP to stop.'],
    ['a body that mentions a BUS STOP', 'BUS STOP on Queen St closed until 6pm.', 'BUS STOP on Queen St closed until 6pm.\nReply STOP to stop.'],
  ])('adds the footer to %s', (_case, body, expected) => {
    // Prepare / Act
    const withFooter = withStopFooter(body);

    // Assess
    expect(withFooter).toBe(expected);
  });

  it.each<[Language, string]>([
    ['en', 'Ffordd ar gau.\nReply STOP to stop.'],
    ['cy', 'Ffordd ar gau.\nAtebwch STOP i stopio.'],
    ['es', 'Ffordd ar gau.\nResponda STOP para cancelar.'],
  ])('writes the footer in the broadcast’s language (%s)', (language, expected) => {
    // Prepare
    const body = 'Ffordd ar gau.';

    // Act
    const withFooter = withStopFooter(body, language);

    // Assess
    expect(withFooter).toBe(expected);
  });

  it.each<[Language, string]>([
    ['en', 'Ffordd ar gau.\nText STOP to 07700 900123 to stop.'],
    ['cy', 'Ffordd ar gau.\nTecstiwch STOP i 07700 900123 i stopio.'],
    ['es', 'Ffordd ar gau.\nMande STOP al 07700 900123 para cancelar.'],
  ])('from a one-way sender ID, names the number to text STOP to, in %s, and keeps it in GSM-7', (language, expected) => {
    // Prepare
    const body = 'Ffordd ar gau.';

    // Act
    const withFooter = withStopFooter(body, language, '07700 900123');

    // Assess
    expect(withFooter).toBe(expected);
    expect(new SegmentedMessage(withFooter).encodingName).toBe('GSM-7');
    // It reads as an instruction to stop, so it is never added twice.
    expect(withStopFooter(withFooter, language, '07700 900123')).toBe(withFooter);
  });

  it.each([
    ['the footer itself', 'Road closed.\nReply STOP to stop.'],
    ['an instruction of the author’s own', 'Road closed. Text STOP to opt out.'],
    ['a reply instruction in other words', 'Road closed. Reply STOP to end these alerts.'],
    ['a quoted instruction', 'Road closed. Send “STOP” to leave.'],
    ['the Welsh footer', 'Ffordd ar gau.\nAtebwch STOP i stopio.'],
    ['a Welsh instruction', 'Ffordd ar gau. Anfonwch STOP i ddad-danysgrifio.'],
    ['the Spanish footer', 'Carretera cortada.\nResponda STOP para cancelar.'],
    ['a Spanish BAJA instruction', 'Carretera cortada. Envíe BAJA para darse de baja.'],
  ])('leaves a body alone that already has %s', (_case, body) => {
    // Prepare / Act
    const withFooter = withStopFooter(body, 'cy');

    // Assess
    expect(withFooter).toBe(body);
  });

  it.each(languages)('treats its own %s footer as an instruction, so it never adds a second', (language) => {
    // Prepare
    const once = withStopFooter('Road closed.', language);

    // Act
    const twice = withStopFooter(once, language);

    // Assess
    expect(twice).toBe(once);
  });
});
