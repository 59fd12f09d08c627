import { describe, expect, it } from 'vitest';
import type { Language } from '../../../shared/domain/language.js';
import { answerLanguage, keptLanguageOf, languageToInfer, type KeptLanguage } from '../../../shared/consent/kept-language.js';

const chosenCy: KeptLanguage = { language: 'cy', source: 'chosen' };
const inferredCy: KeptLanguage = { language: 'cy', source: 'inferred' };
const inferredEs: KeptLanguage = { language: 'es', source: 'inferred' };

describe('keptLanguageOf', () => {
  it.each<[string, Parameters<typeof keptLanguageOf>[0], KeptLanguage | undefined]>([
    ['no profile', undefined, undefined],
    ['a profile with no language', { language: undefined }, undefined],
    ['a chosen language', { language: 'cy', languageSource: 'chosen' }, chosenCy],
    ['an inferred language', { language: 'cy', languageSource: 'inferred' }, inferredCy],
    ['a language kept before sources were: chosen (LANG or an import)', { language: 'cy' }, chosenCy],
  ])('%s', (_case, profile, kept) => {
    // Prepare / Act
    const result = keptLanguageOf(profile);

    // Assess
    expect(result).toEqual(kept);
  });
});

describe('answerLanguage', () => {
  it.each<[string, KeptLanguage | undefined, Language | undefined, Language]>([
    ['nothing kept, nothing told: the default', undefined, undefined, 'en'],
    ['nothing kept, Welsh told: Welsh', undefined, 'cy', 'cy'],
    ['chosen Welsh, Spanish told: the choice', chosenCy, 'es', 'cy'],
    ['chosen Welsh, nothing told: the choice', chosenCy, undefined, 'cy'],
    ['inferred Welsh, Spanish told: the words of this text', inferredCy, 'es', 'es'],
    ['inferred Welsh, nothing told (HELP): the kept one', inferredCy, undefined, 'cy'],
  ])('%s', (_case, kept, told, expected) => {
    // Prepare / Act
    const language = answerLanguage(kept, told);

    // Assess
    expect(language).toBe(expected);
  });
});

describe('languageToInfer', () => {
  it.each<[string, KeptLanguage | undefined, Language | undefined, string, Language | undefined]>([
    ['nothing kept, Welsh told: Welsh', undefined, 'cy', 'subscribe', 'cy'],
    ['nothing kept, English (the default) told: nothing to write', undefined, 'en', 'subscribe', undefined],
    ['nothing told: nothing', undefined, undefined, 'help', undefined],
    ['chosen Welsh, Spanish told: the choice stays', chosenCy, 'es', 'help', undefined],
    ['inferred Welsh, Spanish told: Spanish', inferredCy, 'es', 'help', 'es'],
    ['inferred Welsh, English told: English', inferredCy, 'en', 'subscribe', 'en'],
    ['inferred Spanish, Spanish told: already kept', inferredEs, 'es', 'help', undefined],
    ['a language chosen with a Spanish command word (IDIOMA INGLES): the choice alone', undefined, 'es', 'setLanguage', undefined],
    ['an opt-out in Welsh: nothing kept', undefined, 'cy', 'optOut', undefined],
    ['an age under 13 in Spanish: nothing kept', undefined, 'es', 'underAge', undefined],
    ['leaving one topic in Welsh: Welsh', undefined, 'cy', 'leaveTopic', 'cy'],
  ])('%s', (_case, kept, told, intent, expected) => {
    // Prepare / Act
    const inferred = languageToInfer(kept, told, intent);

    // Assess
    expect(inferred).toBe(expected);
  });
});
