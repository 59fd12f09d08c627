/**
 * The languages crier writes to residents in, and how a resident names one ("LANG CY",
 * "IAITH CYMRAEG", "IDIOMA ESPAÑOL"). Adding a language here makes the reply catalogue fail to
 * compile until every reply has a text in it, which is the point.
 */
import { z } from 'zod';

export const languages = ['en', 'cy', 'es'] as const;
export type Language = (typeof languages)[number];
export const languageSchema = z.enum(languages);
export const defaultLanguage: Language = 'en';

/**
 * How a resident's language came to be kept: they chose it, or crier inferred it from the words
 * they used (the rules are in shared/consent/kept-language.ts). Part of the resident's profile.
 */
export const languageSourceSchema = z.enum(['chosen', 'inferred']);
export type LanguageSource = z.infer<typeof languageSourceSchema>;

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

/**
 * Each language's name as written in each language (`languageNames[replyLanguage][language]`),
 * in the form a sentence needs after "in": Welsh mutates after "yn" (Cymraeg → Gymraeg), so the
 * Welsh names are stored ready for "yn …".
 */
export const languageNames: Record<Language, Record<Language, string>> = {
  en: { en: 'English', cy: 'Welsh', es: 'Spanish' },
  cy: { en: 'Saesneg', cy: 'Gymraeg', es: 'Sbaeneg' },
  es: { en: 'inglés', cy: 'galés', es: 'español' },
};

/** Each language's name in itself: what a resident who reads none of the others recognises. */
export const endonyms: Record<Language, string> = { en: 'English', cy: 'Cymraeg', es: 'Español' };

/**
 * Names of languages, as a resident may write them (upper case, accents folded): in English, in
 * Welsh (with the soft-mutated GYMRAEG of "yn Gymraeg") and in Spanish. A name alone is a clear
 * request ("Cymraeg"), so the keyword router also reads these on their own.
 */
export const languageNameWords: ReadonlyMap<string, Language> = new Map<string, Language>([
  ['ENGLISH', 'en'],
  ['SAESNEG', 'en'],
  ['INGLES', 'en'],
  ['WELSH', 'cy'],
  ['CYMRAEG', 'cy'],
  ['GYMRAEG', 'cy'],
  ['GALES', 'cy'],
  ['SPANISH', 'es'],
  ['SBAENEG', 'es'],
  ['ESPANOL', 'es'],
  ['CASTELLANO', 'es'],
  ['CASTILIAN', 'es'],
]);

/**
 * Codes: ISO 639-1 (en, cy, es) and ISO 639-2 (eng, cym/wel, spa). A BCP 47 tag such as es-ES,
 * es-419 or cy-GB is read by its language subtag. Codes are only read after LANG, never alone:
 * "ES" or "EN" alone is too likely to mean something else.
 */
const languageCodes: ReadonlyMap<string, Language> = new Map<string, Language>([
  ['EN', 'en'],
  ['ENG', 'en'],
  ['CY', 'cy'],
  ['CYM', 'cy'],
  ['WEL', 'cy'],
  ['ES', 'es'],
  ['SPA', 'es'],
]);

/** Words that may surround a language name without changing it: "in Welsh", "yn Gymraeg", "en español", "please". */
const surroundingWords = new Set(['IN', 'YN', 'EN', 'PLEASE', 'PLS', 'PLIS', 'DIOLCH', 'THANKS', 'POR', 'FAVOR', 'GRACIAS']);

/** Upper case, accents folded (ESPAÑOL → ESPANOL, INGLÉS → INGLES), punctuation to spaces, underscores to dashes. */
function normaliseLanguageText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/_/g, '-')
    .replace(/[^\p{L}\p{N}\s-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function lookUp(word: string): Language | undefined {
  const name = languageNameWords.get(word);
  if (name) return name;
  const code = languageCodes.get(word);
  if (code) return code;
  // A BCP 47 tag: the language subtag decides (es-419 is Spanish, cy-GB is Welsh).
  const tag = /^([A-Z]{2,3})-[A-Z0-9-]+$/.exec(word);
  return tag?.[1] ? languageCodes.get(tag[1]) : undefined;
}

/** A language code, tag or name in any of crier's languages, or undefined when it names none of them. */
export function parseLanguage(text: string): Language | undefined {
  const normalised = normaliseLanguageText(text);
  if (!normalised) return undefined;
  const whole = lookUp(normalised);
  if (whole) return whole;
  const words = normalised.split(' ').filter((word) => !surroundingWords.has(word));
  return words.length === 1 && words[0] ? lookUp(words[0]) : undefined;
}
