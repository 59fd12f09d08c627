/**
 * Turns a resident's text into an intent. Pure: no I/O, no knowledge of which topics exist (the
 * caller looks keywords up). Table-driven: {@link commandWords} says what each command word
 * means, {@link plainLanguageOptOuts} which sentences are opt-outs, and each has a test row.
 *
 * THE AMBIGUITY RULE: when a text could be an opt-out or something else, it is an opt-out. A
 * wrongly honoured opt-out costs the resident one START (which restores their topics); a missed
 * one keeps texting someone who asked us to stop, which breaks UK PECR and the US TCPA (the FCC's
 * 2024 order, 47 CFR 64.1200(a)(10): consent may be revoked "in any reasonable manner", and STOP,
 * QUIT, END, REVOKE, OPT OUT, CANCEL and UNSUBSCRIBE are each a revocation on their own).
 *
 * How a text is read, in order (first match wins):
 * 1. Words that only pad a message ({@link fillerWords}: PLEASE, NOW, ALL, ME, MESSAGES, POR
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

export type CommandKind =
  | 'optOut'
  | 'leaveTopic'
  | 'optIn'
  | 'help'
  | 'subscribe'
  | 'listTopics'
  | 'setArea'
  | 'setLanguage'
  | 'setAge'
  | 'confirm';

export interface CommandWord {
  /**
   * What the word means. optOut and leaveTopic words alone both opt out of everything (LEAVE
   * alone names no topic: the ambiguity rule). subscribe words take a topic, setArea, setLanguage
   * and setAge words a value; the others stand alone.
   */
  kind: CommandKind;
  /** The language the word is in, when it tells one (see {@link RoutedText.language}). */
  language?: Language;
  /** optOut words: followed by one more word, leave that topic only (STOP TRAFFIC). */
  takesTopic?: true;
  /** optOut words: a text that begins with this word is an opt-out, whatever follows. */
  strong?: true;
}

const stopWord = { kind: 'optOut', takesTopic: true, strong: true } as const;

/**
 * Every command word (upper case, unaccented). English opt-out and opt-in words are the CTIA and
 * carrier set (Twilio's default opt-out keywords after the FCC's 2024 order add REVOKE and
 * OPTOUT). They carry no language because every language's replies print STOP and START: those
 * are the words carriers act on themselves (Twilio Advanced Opt-Out), so a Welsh or Spanish
 * reader is told the word that works on every channel. Welsh and Spanish words are understood
 * too, from the verb-noun command style of Welsh-language services (YMUNO, GADAEL) and the
 * SMS conventions of Spain and US Spanish-language programmes (BAJA, ALTO, AYUDA).
 */
export const commandWords: Record<string, CommandWord> = {
  // Opt out of everything. Strong: a text that starts with one is an opt-out.
  STOP: stopWord,
  STOPALL: { kind: 'optOut', strong: true },
  UNSUBSCRIBE: stopWord,
  REVOKE: { kind: 'optOut', strong: true },
  OPTOUT: stopWord,
  'OPT-OUT': stopWord,
  // Weak: everyday words, opt-outs alone or with filler words only.
  CANCEL: { kind: 'optOut' },
  END: { kind: 'optOut' },
  QUIT: { kind: 'optOut' },
  LEAVE: { kind: 'leaveTopic', language: 'en' },
  // Welsh: stopio (to stop), stopiwch (stop!), dad-danysgrifio (to unsubscribe), gadael (to leave),
  // diwedd (end), atal (to stop, suspend).
  STOPIO: { ...stopWord, language: 'cy' },
  STOPIWCH: { kind: 'optOut', strong: true, language: 'cy' },
  'DAD-DANYSGRIFIO': { ...stopWord, language: 'cy' },
  GADAEL: { kind: 'leaveTopic', language: 'cy' },
  DIWEDD: { kind: 'optOut', language: 'cy' },
  ATAL: { kind: 'optOut', language: 'cy' },
  // Spanish: baja (as in darse de baja, the usual unsubscribe keyword in Spain), desuscribir(se);
  // alto and para (stop!), parar, detener (to stop), cancelar, fin (end), salir (to leave). ALTO
  // is weak: "alto tráfico" is "heavy traffic". PARA is weak: it is also "for".
  BAJA: { ...stopWord, language: 'es' },
  DESUSCRIBIR: { ...stopWord, language: 'es' },
  DESUSCRIBIRSE: { kind: 'optOut', strong: true, language: 'es' },
  DESUSCRIBIRME: { kind: 'optOut', strong: true, language: 'es' },
  ALTO: { kind: 'optOut', language: 'es' },
  PARA: { kind: 'optOut', language: 'es' },
  PARAR: { kind: 'optOut', language: 'es' },
  DETENER: { kind: 'optOut', language: 'es' },
  CANCELAR: { kind: 'optOut', language: 'es' },
  FIN: { kind: 'optOut', language: 'es' },
  SALIR: { kind: 'leaveTopic', language: 'es' },

  // Opt back in. No Spanish ALTA ("sign up"): one letter from ALTO, the stop word.
  START: { kind: 'optIn' },
  UNSTOP: { kind: 'optIn' },
  DECHRAU: { kind: 'optIn', language: 'cy' },
  AILDDECHRAU: { kind: 'optIn', language: 'cy' },
  EMPEZAR: { kind: 'optIn', language: 'es' },
  COMENZAR: { kind: 'optIn', language: 'es' },
  INICIO: { kind: 'optIn', language: 'es' },
  REANUDAR: { kind: 'optIn', language: 'es' },

  HELP: { kind: 'help' },
  INFO: { kind: 'help' },
  CYMORTH: { kind: 'help', language: 'cy' },
  GWYBODAETH: { kind: 'help', language: 'cy' },
  AYUDA: { kind: 'help', language: 'es' },
  INFORMACION: { kind: 'help', language: 'es' },

  JOIN: { kind: 'subscribe', language: 'en' },
  SUBSCRIBE: { kind: 'subscribe', language: 'en' },
  YMUNO: { kind: 'subscribe', language: 'cy' },
  TANYSGRIFIO: { kind: 'subscribe', language: 'cy' },
  UNIRSE: { kind: 'subscribe', language: 'es' },
  UNIRME: { kind: 'subscribe', language: 'es' },
  SUSCRIBIR: { kind: 'subscribe', language: 'es' },
  SUSCRIBIRSE: { kind: 'subscribe', language: 'es' },
  SUSCRIBIRME: { kind: 'subscribe', language: 'es' },

  TOPICS: { kind: 'listTopics', language: 'en' },
  LIST: { kind: 'listTopics', language: 'en' },
  PYNCIAU: { kind: 'listTopics', language: 'cy' },
  RHESTR: { kind: 'listTopics', language: 'cy' },
  TEMAS: { kind: 'listTopics', language: 'es' },
  LISTA: { kind: 'listTopics', language: 'es' },

  // AREA is English and Spanish (área) alike, so it tells no language.
  AREA: { kind: 'setArea' },
  POSTCODE: { kind: 'setArea', language: 'en' },
  ARDAL: { kind: 'setArea', language: 'cy' },
  ZONA: { kind: 'setArea', language: 'es' },

  LANG: { kind: 'setLanguage' },
  LANGUAGE: { kind: 'setLanguage', language: 'en' },
  IAITH: { kind: 'setLanguage', language: 'cy' },
  IDIOMA: { kind: 'setLanguage', language: 'es' },

  AGE: { kind: 'setAge', language: 'en' },
  OED: { kind: 'setAge', language: 'cy' },
  EDAD: { kind: 'setAge', language: 'es' },

  // Welsh answers a question with its verb: IE (yes, it is), OES (yes, there is), YDW (yes, I am).
  YES: { kind: 'confirm', language: 'en' },
  Y: { kind: 'confirm', language: 'en' },
  CONFIRM: { kind: 'confirm', language: 'en' },
  IE: { kind: 'confirm', language: 'cy' },
  OES: { kind: 'confirm', language: 'cy' },
  YDW: { kind: 'confirm', language: 'cy' },
  CADARNHAU: { kind: 'confirm', language: 'cy' },
  SI: { kind: 'confirm', language: 'es' },
  CONFIRMAR: { kind: 'confirm', language: 'es' },
};

/**
 * Words that pad a command without changing it: politeness, greetings, "all", "me", the kind of
 * message, and the prepositions of "SUBSCRIBE TO X" / "UNSUBSCRIBE FROM X" (English TO, FROM;
 * Welsh I, O; Spanish A, AL, DE, DEL). Set aside before reading, so "STOP ALL", "Stop texting
 * please", "BAJA YA", "STOP POPETH" are opt-outs and "JOIN TRAFFIC PLEASE" joins. None of them
 * can be a topic keyword (they are reserved), so setting them aside never hides one. NO is
 * deliberately not here: "NO MORE" means something.
 */
export const fillerWords: ReadonlySet<string> = new Set([
  // English
  'PLEASE', 'PLS', 'PLZ', 'THANKS', 'THANK', 'YOU', 'THX', 'TA', 'HI', 'HELLO', 'HEY', 'OK', 'OKAY',
  'NOW', 'JUST', 'AGAIN', 'ANYMORE', 'IMMEDIATELY', 'ALL', 'EVERYTHING', 'IT', 'ME', 'MY', 'US',
  'THIS', 'THAT', 'THESE', 'THOSE', 'THEM', 'MESSAGES', 'MESSAGE', 'MSG', 'MSGS', 'TEXT', 'TEXTS',
  'TEXTING', 'MESSAGING', 'SENDING', 'CONTACTING', 'SMS', 'NOTIFICATIONS', 'SPAM', 'REPLY', 'SEND',
  'ALONE', 'TO', 'FROM',
  // Welsh: plis, diolch (thanks), os gwelwch yn dda (please), nawr / rŵan (now), popeth
  // (everything), fi / fy (me, my), negeseuon / tecstiau (messages, texts), hwn / hyn (this),
  // helo, shwmae (hello), i (to), o (from).
  'PLIS', 'DIOLCH', 'OS', 'GWELWCH', 'YN', 'DDA', 'NAWR', 'RWAN', 'POPETH', 'FI', 'FY', 'NEGESEUON',
  'TECSTIAU', 'HWN', 'HYN', 'HELO', 'SHWMAE', 'I', 'O',
  // Spanish: por favor, gracias, ya / ahora (now), todo(s) (all), me / mi(s) (me, my), the
  // articles, mensajes, esto(s) (this), hola, a / al (to), de / del (from).
  'POR', 'FAVOR', 'PORFA', 'PORFAVOR', 'GRACIAS', 'YA', 'AHORA', 'TODO', 'TODOS', 'TODAS', 'MI',
  'MIS', 'EL', 'LA', 'LOS', 'LAS', 'MENSAJES', 'MENSAJE', 'ESTO', 'ESTOS', 'HOLA', 'A', 'AL', 'DE',
  'DEL',
]);

export interface PlainLanguageOptOut {
  /** Tested against the normalised text, accents folded and apostrophes dropped (DON'T → DONT). */
  pattern: RegExp;
  language: Language;
  /** Texts it must catch; each is a test row. */
  examples: readonly string[];
}

/**
 * Sentences a reasonable person means as "stop texting me" (the FCC's test), in each language.
 * Matched anywhere in the text. Broad on purpose (the ambiguity rule), but never on a bare
 * everyday word, so complaints about roads and bins still reach the inbox.
 */
export const plainLanguageOptOuts: readonly PlainLanguageOptOut[] = [
  {
    pattern: /\b(STOP|QUIT|CEASE) (TEXTING|TEXT|MESSAGING|MESSAGE|SENDING|CONTACTING|CALLING|BOTHERING|SPAMMING|EMAILING|GETTING|RECEIVING)\b/,
    language: 'en',
    examples: ['please stop texting me', 'stop sending me messages', 'Can you quit messaging me', 'I want to stop getting these'],
  },
  {
    pattern: /\b(REMOVE|DELETE|ERASE) (ME|MY (PHONE )?NUMBER|MY DETAILS|MY DATA)\b/,
    language: 'en',
    examples: ['remove me', 'remove me from this list', 'Please delete my number', 'erase my details'],
  },
  {
    pattern: /\bTAKE (ME|MY (PHONE )?NUMBER) OFF\b/,
    language: 'en',
    examples: ['take me off your list', 'Take my number off'],
  },
  {
    pattern: /\b(DONT|DO NOT|NEVER) (EVER )?(TEXT|MESSAGE|CONTACT|SEND|CALL|EMAIL|WHATSAPP) (ME|US|THIS NUMBER|ANYTHING|AGAIN)\b/,
    language: 'en',
    examples: ["don't text me", 'Do not contact me again', 'dont send me anything', 'Never message this number'],
  },
  {
    pattern: /\bNO (MORE|FURTHER) (MESSAGES?|TEXTS?|MSGS|SMS|ALERTS|UPDATES|NOTIFICATIONS|CONTACT)\b|^NO MORE$/,
    language: 'en',
    examples: ['no more messages', 'No more texts please', 'NO MORE!!'],
  },
  {
    // UNSUBSCRIBE after a request ("I want to", "how do I"); UNSUBSCRIBE and a topic leaves the topic.
    pattern: /\bOPT (ME )?OUT\b|\b(WANT|LIKE|NEED|WISH|HOW|CAN|COULD|MAY|TRYING|TRIED)( (DO|CAN|I|TO|YOU|PLEASE))* UNSUBSCRIBE\b/,
    language: 'en',
    examples: ['opt out', 'Opt me out', 'I want to unsubscribe', 'how do I unsubscribe?'],
  },
  {
    pattern: /\b(CANCEL|END|STOP) (MY |THE |THIS )?(SUBSCRIPTIONS?|MEMBERSHIP)\b/,
    language: 'en',
    examples: ['cancel my subscription', 'End this subscription'],
  },
  {
    pattern: /\b(DONT|DO NOT) WANT (THESE|THIS|THEM|ANY|YOUR|MORE|TO (GET|RECEIVE|BE ON))\b/,
    language: 'en',
    examples: ["I don't want these messages", 'I do not want to receive this'],
  },
  {
    pattern: /\bLEAVE ME ALONE\b|\bWRONG NUMBER\b|^(IM |I AM )?NOT INTERESTED\b/,
    language: 'en',
    examples: ['leave me alone', 'Wrong number', "I'm not interested"],
  },
  {
    // Peidiwch ag anfon / â chysylltu (don't send / contact).
    pattern: /\bPEIDIWCH (AG|A) (ANFON|TECSTIO|DECSTIO|CHYSYLLTU|GYSYLLTU|NEGESEUO)\b/,
    language: 'cy',
    examples: ['Peidiwch ag anfon negeseuon ata i', 'peidiwch â chysylltu â fi'],
  },
  {
    // Dim rhagor / dim mwy o negeseuon (no more messages).
    pattern: /\bDIM (RHAGOR|MWY)( O)? (NEGESEUON|DECSTIAU|TECSTIAU|NEGES)\b|^DIM RHAGOR$/,
    language: 'cy',
    examples: ['dim rhagor o negeseuon', 'Dim mwy o negeseuon, diolch', 'DIM RHAGOR'],
  },
  {
    // Tynnwch fi oddi ar y rhestr (take me off the list); dilëwch fy rhif / manylion (delete my number / details).
    pattern: /\bTYNNWCH (FI|FY RHIF)\b|\b(DILEU|DILEWCH) FY (RHIF|MANYLION)\b/,
    language: 'cy',
    examples: ['Tynnwch fi oddi ar y rhestr', 'dilëwch fy rhif'],
  },
  {
    // Dw i ddim eisiau'r negeseuon (I don't want the messages); rhif anghywir (wrong number).
    pattern: /\bDDIM (EISIAU|EISIAUR|ISIO|ISIOR|ISHE|ISHER) (Y |YR )?(NEGESEUON|RHAGOR|TECSTIAU|HYN)\b|\bRHIF ANGHYWIR\b/,
    language: 'cy',
    examples: ["Dw i ddim eisiau'r negeseuon hyn", 'rhif anghywir'],
  },
  {
    // No más (no more), the FCC's own example of a Spanish opt-out.
    pattern: /\bNO MAS (MENSAJES|SMS|TEXTOS|ALERTAS|AVISOS)\b|^NO MAS$/,
    language: 'es',
    examples: ['no más mensajes', 'No mas!', 'NO MÁS SMS POR FAVOR'],
  },
  {
    pattern: /\bNO ME (ENVIEN|MANDEN|ESCRIBAN|ENVIES|MANDES|ESCRIBAS|CONTACTEN|LLAMEN|MOLESTEN)\b/,
    language: 'es',
    examples: ['No me envíen más mensajes', 'no me manden nada'],
  },
  {
    pattern: /\bNO (QUIERO|DESEO) (RECIBIR|MAS|MENSAJES|ESTOS|ESOS|SUS)\b/,
    language: 'es',
    examples: ['Ya no quiero recibir mensajes', 'no quiero más mensajes'],
  },
  {
    // Darse de baja (to unsubscribe), dejar de enviar (to stop sending).
    pattern: /\b(DAR|DARME|DARSE|DOY|DEN|DE) DE BAJA\b|\bDEJ(EN|E|A|AR) DE (ENVIAR|MANDAR|ESCRIBIR|CONTACTAR)(ME|NOS)?\b/,
    language: 'es',
    examples: ['quiero darme de baja', 'Dejen de enviarme mensajes'],
  },
  {
    pattern: /\b(BORRAR|BORREN|ELIMINAR|ELIMINEN|QUITAR|QUITEN|SACAR|SAQUEN) (MI NUMERO|MIS DATOS)\b|\b(BORRENME|ELIMINENME|QUITENME|SAQUENME)\b|\bNUMERO EQUIVOCADO\b/,
    language: 'es',
    examples: ['Borren mi número', 'sáquenme de la lista', 'número equivocado'],
  },
  {
    pattern: /\b(CANCELAR|ANULAR) (MI |LA )?SUSCRIPCION\b/,
    language: 'es',
    examples: ['cancelar mi suscripción'],
  },
];

/** Undashed form, the key commands are matched by (OPT-OUT and OPTOUT are one word). */
function undashed(word: string): string {
  return word.replace(/-/g, '');
}

const commandIndex: ReadonlyMap<string, CommandWord> = new Map(
  Object.entries(commandWords).map(([word, command]) => [undashed(word), command]),
);

function commandOf(word: string | undefined): CommandWord | undefined {
  return word === undefined ? undefined : commandIndex.get(undashed(word));
}

/**
 * Words a topic may not take as its keyword, because they already mean something: the command
 * words (with and without their dashes), the filler words, and language names.
 */
export const reservedKeywords: ReadonlySet<string> = new Set([
  ...Object.keys(commandWords),
  ...Object.keys(commandWords).map(undashed),
  ...fillerWords,
  ...languageNameWords.keys(),
]);

/**
 * Upper case, NFKC (full-width letters, ligatures), and everything but letters, digits, dashes
 * and single spaces stripped: emoji, punctuation, control and format characters (RTL marks,
 * zero-width joiners). Letters keep their accents (CAFÉ) and their combining marks; an apostrophe
 * inside a word is dropped (DON'T → DONT) so contractions stay one word. A dash is kept only
 * inside a word (OPT-OUT, AREA-CF10); dashes around words are punctuation ("-STOP-" → STOP), and
 * the typographic dashes phones substitute (‐ ‑ – —) count as dashes.
 */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/(?<=[\p{L}\p{M}])['’ʼ‘`´](?=\p{L})/gu, '')
    .toUpperCase()
    .replace(/[^\p{L}\p{M}\p{N}\s-]/gu, ' ')
    .replace(/(?<![\p{L}\p{M}\p{N}])\p{M}+/gu, ' ')
    .replace(/-{2,}/g, '-')
    .replace(/(?<![\p{L}\p{M}\p{N}])-|-(?![\p{L}\p{M}\p{N}])/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Removes the accents (and any other combining marks) of Latin letters: SÍ → SI, ŴY → WY. Other scripts are left whole. */
export function foldAccents(text: string): string {
  return text
    .normalize('NFD')
    .replace(/(?<=\p{Script=Latin}\p{M}*)\p{M}/gu, '')
    .normalize('NFC');
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
