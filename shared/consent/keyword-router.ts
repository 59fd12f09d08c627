/**
 * Turns a resident's text into an intent. Pure: no I/O, no knowledge of which topics exist (the
 * caller looks keywords up). Table-driven: the tables under ./words/ say what each command word
 * means (command-words.ts), which words only pad a message (filler-words.ts) and which sentences
 * are opt-outs (plain-language-opt-outs.ts), and each entry has a test row.
 *
 * THE AMBIGUITY RULE: when a text could be an opt-out or something else, it is an opt-out. A
 * wrongly honoured opt-out costs the resident one START (which restores their topics); a missed
 * one keeps texting someone who asked us to stop, which breaks UK PECR and the US TCPA (the FCC's
 * 2024 order, 47 CFR 64.1200(a)(10): consent may be revoked "in any reasonable manner", and STOP,
 * QUIT, END, REVOKE, OPT OUT, CANCEL and UNSUBSCRIBE are each a revocation on their own).
 *
 * How a text is read, in order (first match wins):
 * 1. Words that only pad a message (filler words: PLEASE, NOW, ALL, ME, MESSAGES, POR
 *    FAVOR, PLIS…) are set aside. If what is left is only opt-out words ("STOP", "stop please",
 *    "STOP ALL", "Unsubscribe me", "STOP STOP STOP"), it is an opt-out.
 * 2. A plain-language opt-out anywhere in the text ("please stop texting me", "remove me from
 *    this list", "no más mensajes", "stop sending me these alerts") is an opt-out.
 * 3. A topic-taking opt-out word and one more word ("STOP TRAFFIC", "LEAVE YOUTH", "UNSUBSCRIBE
 *    FROM TRAFFIC", "BAJA TRAFICO") leaves that topic only. The caller must treat a keyword that
 *    is no topic as a full opt-out ("STOP NONSENSE", with no topic NONSENSE): the ambiguity rule
 *    again.
 * 4. A text that begins with a strong opt-out word (STOP, UNSUBSCRIBE, BAJA…) is an opt-out,
 *    whatever follows ("Stop this nonsense at once", "STOP! Who is this?"). The weak ones are everyday
 *    words (END, CANCEL, QUIT, ALTO, PARA…) that only opt out alone or with filler words, so
 *    "Cancel my bin collection" and "Alto tráfico en la calle Mayor" reach the inbox.
 * 5. Other command words, with their arguments (JOIN TRAFFIC, AREA CF10, LANG CY, AGE 15, YES).
 * 6. A language's name alone ("Cymraeg", "Español") sets the language.
 * 7. One word that could be a topic keyword alone ("TRAFFIC") subscribes, if the caller finds
 *    such a keyword. Anything else is unrecognised, for the department's inbox.
 *
 * Matching is case-insensitive and folds accents, so SÍ is SI and ESPAÑOL is ESPANOL: phones
 * drop or add accents at will, and topic keywords are ASCII anyway (`keywordSchema`). The table
 * therefore holds every word once, unaccented. Dashes inside a word count (OPT-OUT), and a word
 * with its dashes removed matches too (OPTOUT, DADDANYSGRIFIO, STOP-ALL → STOPALL).
 */
import { languageNameWords, parseLanguage, type Language } from '../domain/language.js';
import { ageBandOf, parseAgeYears, parseArea, type AgeBand } from '../domain/profile.js';
import { foldAccents, normaliseText } from './normalise-text.js';
import { commandOf, type CommandWord } from './words/command-words.js';
import { fillerWords } from './words/filler-words.js';
import { plainLanguageOptOuts } from './words/plain-language-opt-outs.js';

export type Intent =
  /** The STOP family and plain-language opt-outs: leave every topic on this channel. */
  | { kind: 'optOut' }
  /** STOP TRAFFIC, LEAVE TRAFFIC (and their Welsh and Spanish equivalents). A keyword that is no topic means a full opt-out. */
  | { kind: 'leaveTopic'; keyword: string }
  /** START, UNSTOP: messages resume, with the topics held before STOP. */
  | { kind: 'optIn' }
  /** HELP, INFO. */
  | { kind: 'help' }
  /** JOIN X / SUBSCRIBE X (`explicit`), or a bare word (not explicit: the caller checks it is a keyword, and answers notUnderstood if not). */
  | { kind: 'subscribe'; keyword: string; explicit: boolean }
  /** TOPICS, LIST, and JOIN or SUBSCRIBE alone (which name no topic: the answer is the list). */
  | { kind: 'listTopics' }
  /** AREA CF10: `area` is the postcode district, already validated and reduced. */
  | { kind: 'setArea'; area: string }
  /** AREA and something that is no UK postcode district; `text` is what followed AREA (normalised), empty when nothing did. */
  | { kind: 'invalidArea'; text: string }
  | { kind: 'setLanguage'; language: Language }
  | { kind: 'invalidLanguage'; text: string }
  /** AGE 15: only the band is carried, never the age. */
  | { kind: 'setAge'; band: AgeBand }
  /** AGE under 13: they cannot join, and nothing of the message may be kept. */
  | { kind: 'underAge' }
  | { kind: 'invalidAge'; text: string }
  /** YES (IE, OES, YDW in Welsh; SÍ in Spanish): confirms a pending opt-in. */
  | { kind: 'confirm' }
  /** Anything else: the owning department's inbox. */
  | { kind: 'unrecognised' };

export interface RoutedText {
  intent: Intent;
  /**
   * The language the command word was written in, when it tells (Welsh YMUNO, Spanish BAJA), else
   * undefined. The carrier keywords that every language's replies print (STOP, START, HELP…) and
   * words shared between languages (AREA, INFO) tell nothing.
   */
  language: Language | undefined;
}

/** The shape of a topic keyword (`keywordSchema`), which a bare word must have to be tried as one. */
const KEYWORD_SHAPE = /^[A-Z0-9][A-Z0-9-]{0,29}$/;

function isOptOutWord(word: string): boolean {
  const kind = commandOf(word)?.kind;
  return kind === 'optOut' || kind === 'leaveTopic';
}

/** The words of a text as matched: normalised, accents folded; "STOP-TRAFFIC" split, as no opt-out word may hide in a compound. */
function wordsOf(text: string): string[] {
  return foldAccents(normaliseText(text))
    .split(' ')
    .flatMap((word) => {
      if (!word.includes('-') || commandOf(word)) return [word];
      const parts = word.split('-');
      return parts[0] !== undefined && isOptOutWord(parts[0]) ? parts : [word];
    })
    .filter(Boolean);
}

function routed(intent: Intent, language?: Language): RoutedText {
  return { intent, language };
}

/** A text's intent, and the language its command word was in. Never throws. */
export function routeText(text: string): RoutedText {
  const words = wordsOf(text);
  if (words.length === 0) return routed({ kind: 'unrecognised' });
  const core = words.filter((word) => !fillerWords.has(word));
  const [first, ...rest] = core;
  const firstCommand = commandOf(first);

  // 1. Only opt-out words, once the padding is set aside.
  if (core.length > 0 && core.every(isOptOutWord)) {
    return routed({ kind: 'optOut' }, core.map((word) => commandOf(word)?.language).find(Boolean));
  }
  // 2. Plain-language opt-outs anywhere, with the padding or without it ("NO MORE, THANKS").
  const sentences = [words.join(' '), core.join(' ')];
  const plain = plainLanguageOptOuts.find((entry) => sentences.some((sentence) => entry.pattern.test(sentence)));
  if (plain) return routed({ kind: 'optOut' }, plain.language);
  // 3. Leave one topic.
  if (first !== undefined && rest.length === 1 && rest[0] !== undefined) {
    if (firstCommand?.kind === 'leaveTopic' || firstCommand?.takesTopic) {
      return KEYWORD_SHAPE.test(rest[0])
        ? routed({ kind: 'leaveTopic', keyword: rest[0] }, firstCommand.language)
        : routed({ kind: 'optOut' }, firstCommand.language);
    }
  }
  // 4. A text that begins with a strong opt-out word, padding aside or not ("OK STOP THIS", "ME BAJA").
  const strong = [firstCommand, commandOf(words[0])].find((command) => command?.strong);
  if (strong) return routed({ kind: 'optOut' }, strong.language);
  if (first === undefined) return routed({ kind: 'unrecognised' });

  // 5. The other commands.
  if (firstCommand) return routeCommand(firstCommand, rest);
  // 6. A language's name alone.
  const named = core.length === 1 ? languageNameWords.get(first) : undefined;
  if (named) return routed({ kind: 'setLanguage', language: named });
  // 7. A bare word that may be a topic's keyword.
  if (core.length === 1 && KEYWORD_SHAPE.test(first)) return routed({ kind: 'subscribe', keyword: first, explicit: false });
  return routed({ kind: 'unrecognised' });
}

function routeCommand(command: CommandWord, rest: string[]): RoutedText {
  const { language } = command;
  const argument = rest.join(' ');
  switch (command.kind) {
    case 'optOut':
    case 'leaveTopic':
      // A weak opt-out word in a longer sentence ("Cancel my bin collection"): for the inbox.
      return routed({ kind: 'unrecognised' });
    case 'subscribe':
      if (rest.length === 0) return routed({ kind: 'listTopics' }, language);
      return rest.length === 1 && rest[0] !== undefined
        ? routed({ kind: 'subscribe', keyword: rest[0], explicit: true }, language)
        : routed({ kind: 'unrecognised' });
    case 'setArea': {
      const area = parseArea(argument);
      return routed(area ? { kind: 'setArea', area } : { kind: 'invalidArea', text: argument }, language);
    }
    case 'setLanguage': {
      // A name or a code: LANG CY, IAITH SAESNEG, IDIOMA ES-419.
      const chosen = parseLanguage(argument);
      return routed(chosen ? { kind: 'setLanguage', language: chosen } : { kind: 'invalidLanguage', text: argument }, language);
    }
    case 'setAge': {
      const years = parseAgeYears(argument);
      if (years === undefined) return routed({ kind: 'invalidAge', text: argument }, language);
      const band = ageBandOf(years);
      return routed(band === 'under13' ? { kind: 'underAge' } : { kind: 'setAge', band }, language);
    }
    case 'optIn':
    case 'help':
    case 'listTopics':
    case 'confirm':
      // Alone, or repeated with words of the same kind ("LIST TOPICS", "HELP INFO"). HELP with a
      // sentence ("Help, the road is flooded") is a message for a person, not a command.
      return rest.every((word) => commandOf(word)?.kind === command.kind)
        ? routed({ kind: command.kind }, language)
        : routed({ kind: 'unrecognised' });
  }
}
