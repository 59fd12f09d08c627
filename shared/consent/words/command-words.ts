/*
 * The command words a resident may text, in English, Welsh and Spanish, and what each means: the
 * table the keyword router (../keyword-router.ts) reads. A table of its own so that adding a word
 * is one line here and one test row, without touching how a text is read.
 */
import type { Language } from '../../domain/language.js';

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
  /** The language the word is in, when it tells one: the language a reply answers in. */
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

/** Undashed form, the key commands are matched by (OPT-OUT and OPTOUT are one word). */
export function undashed(word: string): string {
  return word.replace(/-/g, '');
}

const commandIndex: ReadonlyMap<string, CommandWord> = new Map(
  Object.entries(commandWords).map(([word, command]) => [undashed(word), command]),
);

/** What a word of a text means as a command, if anything, with or without its dashes. */
export function commandOf(word: string | undefined): CommandWord | undefined {
  return word === undefined ? undefined : commandIndex.get(undashed(word));
}
