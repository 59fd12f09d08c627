import { describe, expect, it } from 'vitest';
import {
  defaultLanguage,
  endonyms,
  isLanguage,
  languageNames,
  languageNameWords,
  languages,
  parseLanguage,
  type Language,
} from '../../shared/domain/language.js';

describe('languages', () => {
  it('holds English, Welsh and Spanish at least, English the default', () => {
    // Prepare
    const required: Language[] = ['en', 'cy', 'es'];

    // Act
    const missing = required.filter((language) => !languages.includes(language));

    // Assess
    expect(missing).toEqual([]);
    expect(defaultLanguage).toBe('en');
  });

  it('names every language in every language, and in itself', () => {
    // Prepare
    const pairs = languages.flatMap((inLanguage) => languages.map((language) => [inLanguage, language] as const));

    // Act
    const unnamed = pairs.filter(([inLanguage, language]) => !languageNames[inLanguage][language]);

    // Assess
    expect(unnamed).toEqual([]);
    expect(languages.every((language) => endonyms[language])).toBe(true);
  });

  it.each([
    ['en', true],
    ['cy', true],
    ['es', true],
    ['fr', false],
    ['EN', false],
    [undefined, false],
    [42, false],
  ])('isLanguage(%j) is %s', (value, expected) => {
    // Prepare / Act
    const actual = isLanguage(value);

    // Assess
    expect(actual).toBe(expected);
  });
});

describe('parseLanguage', () => {
  it.each<[string, Language]>([
    // Codes and tags
    ['en', 'en'],
    ['EN', 'en'],
    ['eng', 'en'],
    ['en-GB', 'en'],
    ['en_US', 'en'],
    ['cy', 'cy'],
    ['CY', 'cy'],
    ['cym', 'cy'],
    ['wel', 'cy'],
    ['cy-GB', 'cy'],
    ['es', 'es'],
    ['spa', 'es'],
    ['es-ES', 'es'],
    ['es-419', 'es'],
    // Names, in English, Welsh and Spanish
    ['English', 'en'],
    ['saesneg', 'en'],
    ['inglés', 'en'],
    ['ingles', 'en'],
    ['Welsh', 'cy'],
    ['Cymraeg', 'cy'],
    ['gymraeg', 'cy'],
    ['galés', 'cy'],
    ['Spanish', 'es'],
    ['Sbaeneg', 'es'],
    ['español', 'es'],
    ['espanol', 'es'],
    ['ESPAÑOL', 'es'],
    ['castellano', 'es'],
    // Around the name
    ['  welsh! ', 'cy'],
    ['in Welsh please', 'cy'],
    ['yn Gymraeg', 'cy'],
    ['en español', 'es'],
    ['English, thanks', 'en'],
  ])('reads %j as %s', (text, language) => {
    // Prepare / Act
    const actual = parseLanguage(text);

    // Assess
    expect(actual).toBe(language);
  });

  it.each(['', '   ', 'fr', 'French', 'klingon', 'de-DE', 'Welsh Spanish', '🏴󠁧󠁢󠁷󠁬󠁳󠁿'])('reads %j as no language of ours', (text) => {
    // Prepare / Act
    const actual = parseLanguage(text);

    // Assess
    expect(actual).toBeUndefined();
  });

  it('reads every language name word, and every endonym', () => {
    // Prepare
    const words = [...languageNameWords.entries(), ...languages.map((language) => [endonyms[language], language] as const)];

    // Act
    const misread = words.filter(([word, language]) => parseLanguage(word) !== language);

    // Assess
    expect(misread).toEqual([]);
  });
});
