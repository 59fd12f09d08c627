/**
 * What crier says to residents, in each of their languages. Pure: the caller picks the reply and
 * the language, passes the operator's overrides, and sends what comes back.
 *
 * Rules the renderer enforces, so no text (built-in or an operator's) can break them:
 * - every reply but the opt-out confirmation ends with how to stop, in the reply's language;
 * - the opt-out confirmation never does (it is the one message an opted-out resident may get,
 *   and it must read as final: CTIA, and the FCC's one confirmation text);
 * - an operator's text for a language overrides the built-in one; a reply the operator did not
 *   write falls back to the built-in text of that language, and a language crier has no
 *   catalogue for falls back to English.
 *
 * The texts themselves, and why they read as they do (segments, command words, Welsh
 * mutations), are in reply-texts.ts.
 */
import { defaultLanguage, isLanguage, languageNames, type Language } from './language.js';
import { catalogue, list, stopInstructions, textStopInstructions, type ReplyId, type ReplyValues } from './reply-texts.js';

export { catalogue, replyIds, stopInstructions, textStopInstructions, type ReplyId } from './reply-texts.js';

export interface ReplyParams {
  /** The topic the reply is about, named in the reply's language. */
  topicName?: string;
  /** Topic names (restored: the topics held again). */
  topicNames?: string[];
  /** The keywords residents can text (help, topicsList, unknownTopic). */
  keywords?: string[];
  /** The names of the resident's own topics (topicsList). */
  subscribedNames?: string[];
  /** The word the resident wrote (unknownTopic). */
  word?: string;
  /** The postcode district now held (areaSet). */
  area?: string;
  /** The language now set (languageSet). */
  language?: Language;
  /** The age band now held (ageSet). */
  band?: string;
  /** Who runs the service ("Cardiff Council"). */
  serviceName: string;
  /** Where to reach a person: a phone number, an address or a web page. */
  contact: string;
}

/** Operators' texts: templates with {{placeholders}} ({@link placeholderNames}), per language and reply. */
export type ReplyOverrides = Partial<Record<Language, Partial<Record<ReplyId, string>>>>;

/**
 * Placeholders an operator's template may use. Lists are joined with commas; {{language}} is the
 * language's name in the reply's language; a placeholder with no value becomes empty.
 */
export const placeholderNames = [
  'serviceName',
  'contact',
  'topicName',
  'topicNames',
  'keywords',
  'subscribedNames',
  'word',
  'area',
  'language',
  'band',
] as const;
type PlaceholderName = (typeof placeholderNames)[number];


function valuesOf(params: ReplyParams, language: Language): ReplyValues {
  return {
    serviceName: params.serviceName,
    contact: params.contact,
    topicName: params.topicName ?? '',
    topicNames: params.topicNames ?? [],
    keywords: params.keywords ?? [],
    subscribedNames: params.subscribedNames ?? [],
    word: params.word ?? '',
    area: params.area ?? '',
    language: params.language ?? language,
    band: params.band ?? '',
  };
}

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

function isPlaceholder(name: string): name is PlaceholderName {
  return (placeholderNames as readonly string[]).includes(name);
}

function fillTemplate(template: string, values: ReplyValues, language: Language): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    if (!isPlaceholder(name)) return '';
    if (name === 'language') return languageNames[language][values.language];
    const value = values[name];
    return Array.isArray(value) ? list(value) : value;
  });
}

/** The placeholders in operators' texts that crier does not know, so configuration can refuse them before a resident sees "{{topicNam}}". */
export function unknownPlaceholders(overrides: ReplyOverrides): Array<{ language: string; id: string; name: string }> {
  const found: Array<{ language: string; id: string; name: string }> = [];
  for (const [language, texts] of Object.entries(overrides)) {
    for (const [id, text] of Object.entries(texts ?? {})) {
      for (const match of (text ?? '').matchAll(PLACEHOLDER)) {
        if (match[1] && !isPlaceholder(match[1])) found.push({ language, id, name: match[1] });
      }
    }
  }
  return found;
}

/**
 * A reply in the resident's language, ending with how to stop (except the opt-out
 * confirmation). An operator's override for that language wins over the built-in text; an
 * unknown language is answered in English.
 */
export function renderReply(id: ReplyId, language: Language, params: ReplyParams, overrides?: ReplyOverrides): string {
  const lang: Language = isLanguage(language) ? language : defaultLanguage;
  const values = valuesOf(params, lang);
  const override = overrides?.[lang]?.[id];
  const body = (override?.trim() ? fillTemplate(override, values, lang) : catalogue[lang][id](values)).trim();
  if (id === 'optedOut') return body;
  const footer = stopInstructions[lang];
  return body.endsWith(footer) ? body : `${body} ${footer}`;
}

/**
 * Broadcast bodies get the footer too (from a one-way sender ID, the one naming the number to text
 * STOP to: `stopTo`), unless the author already wrote how to stop, in any of crier's languages.
 * The word STOP alone is not that ("BUS STOP on Queen St closed"): only an instruction to send it
 * is ("Text STOP", "Anfonwch STOP", "Envíe STOP"/"BAJA").
 */
const STOP_INSTRUCTION =
  /(?<![\p{L}\p{N}])(?:reply|text|send|atebwch|anfonwch|tecstiwch|ateb|anfon|tecstio|responda|responde|envíe|envie|envía|envia|escriba|escribe|mande|manda)\s+["'‘“«]?(?:STOP|BAJA)(?![\p{L}\p{N}])/iu;

export function withStopFooter(body: string, language: Language = defaultLanguage, stopTo?: string): string {
  const lang = isLanguage(language) ? language : defaultLanguage;
  const footer = stopTo === undefined ? stopInstructions[lang] : textStopInstructions[lang](stopTo);
  return STOP_INSTRUCTION.test(body) ? body : `${body}\n${footer}`;
}
