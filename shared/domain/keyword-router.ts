/**
 * Turns a resident's text into an intent. Table-driven: each command word maps to one intent
 * kind, and a topic's own keyword alone subscribes. The full grammar (languages, profile
 * commands, plain-language opt-outs) grows from this table.
 */

export type Intent =
  | { kind: 'optOut' }
  | { kind: 'optIn' }
  | { kind: 'help' }
  /** `explicit` when the resident wrote JOIN/SUBSCRIBE, not just a bare word. */
  | { kind: 'subscribe'; keyword: string; explicit: boolean }
  | { kind: 'unrecognised' };

type CommandKind = 'optOut' | 'optIn' | 'help' | 'subscribe';

/** Every command word and what it means. Opt-out words follow CTIA and Twilio's defaults. */
export const commandWords: Record<string, CommandKind> = {
  STOP: 'optOut',
  STOPALL: 'optOut',
  UNSUBSCRIBE: 'optOut',
  CANCEL: 'optOut',
  END: 'optOut',
  QUIT: 'optOut',
  START: 'optIn',
  UNSTOP: 'optIn',
  HELP: 'help',
  INFO: 'help',
  JOIN: 'subscribe',
  SUBSCRIBE: 'subscribe',
};

/** Words a topic may not take as its keyword, because they already mean something. */
export const reservedKeywords = new Set(Object.keys(commandWords));

/** Upper-cases and strips everything but letters, digits, dashes and single spaces. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function routeText(text: string): Intent {
  const words = normaliseText(text).split(' ').filter(Boolean);
  const [first, second, ...rest] = words;
  if (!first) return { kind: 'unrecognised' };
  const command = commandWords[first];
  if (command === 'subscribe') {
    return second && rest.length === 0 ? { kind: 'subscribe', keyword: second, explicit: true } : { kind: 'unrecognised' };
  }
  if (command && words.length === 1) return { kind: command };
  // A topic's own keyword alone ("TRAFFIC") subscribes; whether it is one is the caller's lookup.
  if (words.length === 1) return { kind: 'subscribe', keyword: first, explicit: false };
  return { kind: 'unrecognised' };
}
