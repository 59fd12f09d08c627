/**
 * What crier says to residents. Every reply but the opt-out confirmation ends with how to stop.
 * Plain words, short enough for one SMS segment where possible.
 */

const HOW_TO_STOP = 'Reply STOP to stop.';

export interface ReplyContext {
  serviceName: string;
}

export const replies = {
  subscribed: (topicName: string) => `You're subscribed to ${topicName}. ${HOW_TO_STOP}`,
  alreadySubscribed: (topicName: string) => `You're already subscribed to ${topicName}. ${HOW_TO_STOP}`,
  unknownTopic: (word: string, topicKeywords: string[]) =>
    topicKeywords.length > 0
      ? `We don't have a topic called ${word}. Topics: ${topicKeywords.join(', ')}. Text JOIN and a topic to subscribe. ${HOW_TO_STOP}`
      : `We don't have a topic called ${word}. ${HOW_TO_STOP}`,
  optedOut: () => `You've been unsubscribed and won't get any more messages from us. Text START to resubscribe.`,
  restored: (topicNames: string[]) =>
    topicNames.length > 0
      ? `Welcome back. You're subscribed again to ${topicNames.join(', ')}. ${HOW_TO_STOP}`
      : `Welcome back. Text JOIN and a topic to subscribe. ${HOW_TO_STOP}`,
  help: (topicKeywords: string[]) =>
    `Council alerts. Text JOIN and a topic to subscribe${topicKeywords.length ? ` (${topicKeywords.join(', ')})` : ''}. ${HOW_TO_STOP}`,
  notUnderstood: () => `Sorry, we didn't understand that. Text HELP for help. ${HOW_TO_STOP}`,
} as const;

/**
 * Broadcast bodies get the same footer, unless the author already wrote how to stop. The word
 * STOP alone is not that ("BUS STOP on Queen St closed"): only an instruction to send it is.
 */
const STOP_INSTRUCTION = /\b(?:reply|text|send)\s+["'‘“]?STOP\b/i;

export function withStopFooter(body: string): string {
  return STOP_INSTRUCTION.test(body) ? body : `${body}\n${HOW_TO_STOP}`;
}
