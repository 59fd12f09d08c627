import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { languages, type Language } from '../../shared/domain/language.js';
import {
  ageBandText,
  messageContentSchema,
  parsePlaceholders,
  placeholderNames,
  placeholdersUsed,
  placeholdersWithoutFallback,
  renderContent,
  whatsappLanguageCodes,
  type MessageContent,
  type PlaceholderName,
  type RenderContext,
  type RenderedResident,
} from '../../shared/domain/message-content.js';
import { ageBands, type AgeBand } from '../../shared/domain/profile.js';

const topicNames: Record<Language, string> = { en: 'Traffic', cy: 'Traffig', es: 'Tráfico' };
const context: RenderContext = { defaultLanguage: 'en', topicName: (language) => topicNames[language] };
const resident = (overrides: Partial<RenderedResident> = {}): RenderedResident => ({
  language: 'en',
  area: 'CF10',
  ageBand: '16-17',
  ...overrides,
});
const content = (overrides: Partial<MessageContent> = {}): MessageContent => messageContentSchema.parse({ body: 'Hello', ...overrides });

describe('messageContentSchema', () => {
  it('reads a full content, trimming the texts and defaulting the template parameters', () => {
    // Prepare
    const input = {
      body: '  Roadworks in {{area|your area}} tonight. ',
      variants: { cy: 'Gwaith ffordd yn {{ area | eich ardal }} heno.' },
      whatsappTemplate: { name: 'roadworks_notice', language: 'en_GB' },
    };

    // Act
    const parsed = messageContentSchema.parse(input);

    // Assess
    expect(parsed).toEqual({
      body: 'Roadworks in {{area|your area}} tonight.',
      variants: { cy: 'Gwaith ffordd yn {{ area | eich ardal }} heno.' },
      whatsappTemplate: { name: 'roadworks_notice', language: 'en_GB', parameters: [] },
    });
  });

  it.each(placeholderNames)('accepts the placeholder {{%s}}, with and without a fallback', (name) => {
    // Prepare
    const input = { body: `A {{${name}}} and {{${name}|something}}` };

    // Act
    const result = messageContentSchema.safeParse(input);

    // Assess
    expect(result.success).toBe(true);
  });

  it.each([
    [{ body: '   ' }, 'body', 'must not be empty'],
    [{ body: 'x'.repeat(1601) }, 'body', 'must be at most 1600 characters'],
    [{ body: 'Hi {{name}}' }, 'body', 'unknown placeholder "{{name}}" at character 4: use {{area}}, {{age_band}} or {{topic}}'],
    [{ body: 'Hi {{Area}}' }, 'body', 'unknown placeholder "{{Area}}" at character 4: use {{area}}, {{age_band}} or {{topic}}'],
    [{ body: 'Hi {{area' }, 'body', '"{{" at character 4 is never closed with "}}"'],
    [{ body: 'Hi area}} now' }, 'body', '"}}" at character 8 has no "{{" before it'],
    [{ body: 'Hi {{area {{topic}}' }, 'body', '"{{" at character 4 is not closed before the next "{{"'],
    [{ body: 'Hi {{area|}}' }, 'body', '"{{area|}}" at character 4 has an empty fallback: write the text to use after "|", or drop the "|"'],
    [{ body: 'Hi {{area|{x}}}' }, 'body', 'the fallback of "{{area|{x}}" at character 4 may not contain braces'],
    [{ body: 'Hi {{{area}}}' }, 'body', 'unknown placeholder "{{{area}}" at character 4: use {{area}}, {{age_band}} or {{topic}}'],
    [{ body: 'Hi', variants: { cy: '' } }, 'variants.cy', 'must not be empty'],
    [{ body: 'Hi', variants: { cy: 'Helo {{ardal}}' } }, 'variants.cy', 'unknown placeholder "{{ardal}}" at character 6: use {{area}}, {{age_band}} or {{topic}}'],
    [{ body: 'Hi', variants: { fr: 'Salut' } }, 'variants', 'Unrecognized key: "fr"'],
    [{ body: 'Hi', colour: 'red' }, '', undefined],
    [{ body: 'Hi', whatsappTemplate: { name: 'Roadworks Notice' } }, 'whatsappTemplate.name', 'must be a WhatsApp template name (lowercase letters, digits and underscores) or a Twilio Content SID (HX followed by 32 hex digits)'],
    [{ body: 'Hi', whatsappTemplate: { name: 'HX123' } }, 'whatsappTemplate.name', undefined],
    [{ body: 'Hi', whatsappTemplate: { name: 'notice', language: 'en-GB' } }, 'whatsappTemplate.language', 'must be a WhatsApp language code such as "en_GB" or "cy"'],
    [{ body: 'Hi', whatsappTemplate: { name: 'notice', parameters: ['ok', '{{areas}}'] } }, 'whatsappTemplate.parameters.1', 'unknown placeholder "{{areas}}" at character 1: use {{area}}, {{age_band}} or {{topic}}'],
    [{ body: 'Hi', whatsappTemplate: { name: 'notice', parameters: ['line\nbreak'] } }, 'whatsappTemplate.parameters.0', 'must not contain new lines, tabs or more than four spaces in a row (WhatsApp refuses them)'],
    [{ body: 'Hi', whatsappTemplate: { name: 'notice', parameters: [''] } }, 'whatsappTemplate.parameters.0', 'must not be empty'],
    [{ body: 'Hi', whatsappTemplate: { name: 'notice', parameters: Array.from({ length: 11 }, () => 'x') } }, 'whatsappTemplate.parameters', 'must be at most 10 parameters'],
  ])('refuses %j at %j', (input, path, message) => {
    // Prepare / Act
    const result = messageContentSchema.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path.join('.')).toBe(path);
    if (message) expect(result.error?.issues[0]?.message).toBe(message);
  });

  it('reports every brace problem in a text, not only the first', () => {
    // Prepare / Act
    const parsed = parsePlaceholders('{{who}} and }} and {{area');

    // Assess
    expect(parsed).toEqual({
      ok: false,
      errors: [
        'unknown placeholder "{{who}}" at character 1: use {{area}}, {{age_band}} or {{topic}}',
        '"}}" at character 13 has no "{{" before it',
        '"{{" at character 20 is never closed with "}}"',
      ],
    });
  });

  it('accepts a Twilio Content SID as the template name', () => {
    // Prepare / Act
    const result = messageContentSchema.safeParse({ body: 'Hi', whatsappTemplate: { name: `HX${'0a'.repeat(16)}` } });

    // Assess
    expect(result.success).toBe(true);
  });

  it('never throws, whatever the text', () => {
    // Act / Assess
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (body) => {
        expect(() => messageContentSchema.safeParse({ body })).not.toThrow();
      }),
    );
  });
});

describe('renderContent', () => {
  it.each<[PlaceholderName, string]>([
    ['area', 'CF10'],
    ['age_band', '16-17'],
    ['topic', 'Traffic'],
  ])('fills {{%s}} with %j', (name, expected) => {
    // Prepare
    const message = content({ body: `[{{${name}}}]` });

    // Act
    const rendered = renderContent(message, resident(), context);

    // Assess
    expect(rendered).toEqual({ ok: true, language: 'en', text: `[${expected}]`, templateParameters: [] });
  });

  it.each(ageBands)('writes the age band %s in GSM-7 characters', (band) => {
    // Prepare
    const message = content({ body: 'For ages {{age_band}}' });

    // Act
    const rendered = renderContent(message, resident({ ageBand: band }), context);

    // Assess
    expect(rendered).toMatchObject({ ok: true, text: `For ages ${ageBandText[band]}` });
    expect(ageBandText[band]).toMatch(/^[0-9+-]+$/);
  });

  it.each<[PlaceholderName, Partial<RenderedResident>]>([
    ['area', { area: undefined }],
    ['age_band', { ageBand: undefined }],
  ])('skips a resident without {{%s}} when there is no fallback', (name, lacking) => {
    // Prepare
    const message = content({ body: `Roadworks in {{${name}}} tonight` });

    // Act
    const rendered = renderContent(message, resident(lacking), context);

    // Assess
    expect(rendered).toEqual({ ok: false, missing: [name] });
  });

  it.each<[PlaceholderName, Partial<RenderedResident>]>([
    ['area', { area: undefined }],
    ['age_band', { ageBand: undefined }],
  ])('uses the fallback of {{%s}} for a resident without it', (name, lacking) => {
    // Prepare
    const message = content({ body: `Roadworks in {{${name}|your area}} tonight` });

    // Act
    const rendered = renderContent(message, resident(lacking), context);

    // Assess
    expect(rendered).toMatchObject({ ok: true, text: 'Roadworks in your area tonight' });
  });

  it('treats an empty topic name as unknown', () => {
    // Prepare
    const message = content({ body: 'News on {{topic}}' });

    // Act
    const rendered = renderContent(message, resident(), { defaultLanguage: 'en', topicName: () => '' });

    // Assess
    expect(rendered).toEqual({ ok: false, missing: ['topic'] });
  });

  it('lists every missing placeholder once, from the text and the template parameters', () => {
    // Prepare
    const message = content({
      body: '{{area}} {{age_band}} {{area}}',
      whatsappTemplate: { name: 'notice', parameters: ['{{age_band}}', '{{area}}'] },
    });

    // Act
    const rendered = renderContent(message, resident({ area: undefined, ageBand: undefined }), context);

    // Assess
    expect(rendered).toEqual({ ok: false, missing: ['area', 'age_band'] });
  });

  it.each<[string, Language | undefined, Language, string]>([
    ['the variant in their language', 'cy', 'cy', 'Newyddion Traffig'],
    ['the body when there is no variant in their language', 'es', 'en', 'News on Traffic'],
    ['the body in the default language when they chose none', undefined, 'en', 'News on Traffic'],
  ])('gives %s', (_, language, expectedLanguage, expectedText) => {
    // Prepare
    const message = content({ body: 'News on {{topic}}', variants: { cy: 'Newyddion {{topic}}' } });

    // Act
    const rendered = renderContent(message, resident({ language }), context);

    // Assess
    expect(rendered).toEqual({ ok: true, language: expectedLanguage, text: expectedText, templateParameters: [] });
  });

  it('takes a variant for the default language over the body', () => {
    // Prepare
    const message = content({ body: 'Body', variants: { en: 'English variant' } });

    // Act
    const rendered = renderContent(message, resident({ language: undefined }), context);

    // Assess
    expect(rendered).toMatchObject({ ok: true, language: 'en', text: 'English variant' });
  });

  it('fills the template parameters in the language of the text, and names the template language', () => {
    // Prepare
    const message = content({
      body: 'News on {{topic}}',
      variants: { cy: 'Newyddion {{topic}}' },
      whatsappTemplate: { name: 'topic_news', parameters: ['{{topic}}', '{{area|eich ardal}}'] },
    });

    // Act
    const rendered = renderContent(message, resident({ language: 'cy', area: undefined }), context);

    // Assess
    expect(rendered).toEqual({
      ok: true,
      language: 'cy',
      text: 'Newyddion Traffig',
      templateParameters: ['Traffig', 'eich ardal'],
      templateLanguage: 'cy',
    });
  });

  it('keeps the template language the content names', () => {
    // Prepare
    const message = content({ whatsappTemplate: { name: 'notice', language: 'en_US', parameters: [] } });

    // Act
    const rendered = renderContent(message, resident({ language: 'es' }), context);

    // Assess
    expect(rendered).toMatchObject({ ok: true, templateLanguage: 'en_US' });
  });

  it.each(languages)('asks for the WhatsApp template in %s by its WhatsApp code', (language) => {
    // Prepare
    const message = content({ variants: { [language]: 'Hi' }, whatsappTemplate: { name: 'notice', parameters: [] } });

    // Act
    const rendered = renderContent(message, resident({ language }), context);

    // Assess
    expect(rendered).toMatchObject({ ok: true, language, templateLanguage: whatsappLanguageCodes[language] });
  });

  it('never leaves braces of a placeholder in a text it renders', () => {
    // Prepare: texts built from plain text (braces included) and placeholders; only those the schema accepts are rendered.
    const piece = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', ' ', '{', '}', '|', 'é') }),
      fc.constantFrom(...placeholderNames).map((name) => `{{${name}}}`),
      fc.constantFrom(...placeholderNames).map((name) => `{{ ${name} | fallback }}`),
    );
    const body = fc.array(piece, { minLength: 1, maxLength: 8 }).map((pieces) => pieces.join(''));
    const someone = fc.record({
      language: fc.option(fc.constantFrom<Language>(...languages), { nil: undefined }),
      area: fc.option(fc.constantFrom('CF10', 'NP20'), { nil: undefined }),
      ageBand: fc.option(fc.constantFrom<AgeBand>(...ageBands), { nil: undefined }),
    });

    // Act / Assess
    fc.assert(
      fc.property(body, someone, (text, who) => {
        const parsed = messageContentSchema.safeParse({ body: text });
        fc.pre(parsed.success);
        const rendered = renderContent(parsed.data!, who, context);
        if (rendered.ok) {
          expect(rendered.text).not.toContain('{{');
          expect(rendered.text).not.toContain('}}');
        } else {
          expect(rendered.missing.length).toBeGreaterThan(0);
        }
      }),
    );
  });

  it('renders a text without placeholders as it is', () => {
    // Act / Assess
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }), (text) => {
        const parsed = messageContentSchema.safeParse({ body: text });
        fc.pre(parsed.success && !text.includes('{') && !text.includes('}'));
        expect(renderContent(parsed.data!, resident(), context)).toMatchObject({ ok: true, text: text.trim() });
      }),
    );
  });
});

describe('placeholdersUsed and placeholdersWithoutFallback', () => {
  it('lists each placeholder once, in order of first use, across the body, variants and template parameters', () => {
    // Prepare
    const message = content({
      body: '{{topic}}: {{area|your area}}',
      variants: { cy: '{{topic}} {{area}}' },
      whatsappTemplate: { name: 'notice', parameters: ['{{age_band|all ages}}'] },
    });

    // Act
    const used = placeholdersUsed(message);
    const required = placeholdersWithoutFallback(message);

    // Assess
    expect(used).toEqual(['topic', 'area', 'age_band']);
    expect(required).toEqual(['topic', 'area']);
  });

  it('lists nothing for a plain text', () => {
    // Prepare / Act
    const used = placeholdersUsed(content({ body: 'Plain { text }' }));

    // Assess
    expect(used).toEqual([]);
  });
});
