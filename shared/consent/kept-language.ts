/**
 * Which language crier writes to a resident in, and which one it keeps on their profile. Pure:
 * the inbound use case reads the profile, asks these rules, and writes what they say.
 *
 * A resident tells their language in two ways:
 * - **chosen**: they asked for it (`LANG CY`, `IAITH CYMRAEG`, the language's name alone), or an
 *   import brought it from the form they filled in. A choice is theirs: nothing but another
 *   choice replaces it, whatever words they use afterwards.
 * - **inferred**: they wrote a command in it (`YMUNO TRAFFIG`, `AYUDA`, the Welsh keyword
 *   `TRAFFIG` alone). It is kept, so the next `HELP` (which tells no language) and the next
 *   broadcast reach them in it too. A later command in another language replaces it: the words a
 *   resident used last are the best evidence of what they read, and the answer to those words is
 *   already in their language.
 *
 * A profile written before the source was kept has a language only from LANG or an import, so a
 * language without a source counts as chosen.
 */
import { defaultLanguage, type Language, type LanguageSource } from '../domain/language.js';

export interface KeptLanguage {
  language: Language;
  source: LanguageSource;
}

/** The language a profile keeps and how it came to be kept, or undefined when it keeps none. */
export function keptLanguageOf(profile: { language?: Language | undefined; languageSource?: LanguageSource | undefined } | undefined): KeptLanguage | undefined {
  if (!profile?.language) return undefined;
  return { language: profile.language, source: profile.languageSource ?? 'chosen' };
}

/**
 * The language to answer a text in: a chosen language always; else the language the text's own
 * words told; else the inferred one kept from earlier words; else the deployment's default.
 */
export function answerLanguage(kept: KeptLanguage | undefined, told: Language | undefined): Language {
  if (kept?.source === 'chosen') return kept.language;
  return told ?? kept?.language ?? defaultLanguage;
}

/**
 * Texts from which no language is inferred: a language chosen in the text itself (IDIOMA INGLES
 * chooses English; its Spanish command word is no second opinion), an opt-out (the STOP path does
 * the one thing it must, and a resident who leaves is not profiled on the way out) and an age
 * under 13 (nothing about the child is kept).
 */
export const intentsInferringNoLanguage: ReadonlySet<string> = new Set(['setLanguage', 'optOut', 'underAge']);

/**
 * The language to keep as inferred after a text whose words told `told`, or undefined when the
 * profile stays as it is: the words told none, the resident chose a language, the text is one
 * after which nothing is kept, or the language already in effect (the kept one, else the
 * default) is the one told, so an English JOIN from a new resident writes nothing.
 */
export function languageToInfer(kept: KeptLanguage | undefined, told: Language | undefined, intent: string): Language | undefined {
  if (told === undefined || intentsInferringNoLanguage.has(intent)) return undefined;
  if (kept?.source === 'chosen') return undefined;
  return told === (kept?.language ?? defaultLanguage) ? undefined : told;
}
