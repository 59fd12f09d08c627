import { endonyms, languages, type Language } from '../../shared/domain/language.js';
import { renderReply, type ReplyId } from '../../shared/domain/replies.js';
import { smsPreview } from '../../shared/domain/sms-preview.js';
import type { ReplyTextView } from '../../shared/inbox/inbox-and-reply-texts.js';
import { plural } from './format.js';

/** Each reply as an operator knows it: what the resident did to get it. */
export const replyLabels: Record<ReplyId, string> = {
  subscribed: 'Joined a topic',
  alreadySubscribed: 'Already on a topic',
  confirmPrompt: 'Asked to confirm with YES',
  confirmed: 'Confirmed with YES',
  nothingToConfirm: 'YES with nothing to confirm',
  unknownTopic: 'Unknown keyword',
  optedOut: 'STOP confirmation',
  leftTopic: 'Left a topic',
  notSubscribedToTopic: 'Left a topic they were not on',
  restored: 'Came back after STOP (START)',
  help: 'HELP',
  topicsList: 'List of topics',
  areaSet: 'Area set',
  invalidArea: 'Area not understood',
  languageSet: 'Language set',
  invalidLanguage: 'Language not understood',
  ageSet: 'Age band set',
  underAge: 'Under the minimum age',
  invalidAge: 'Age not understood',
  inboxAcknowledgement: 'Message passed to the department',
  notUnderstood: 'Not understood',
  slowDown: 'Too many messages',
};

/** The reply list, one table per language: each reply, whose wording it is, and a link to change it. */
export function replyRows(replies: readonly ReplyTextView[]) {
  return languages.map((language) => ({
    language,
    name: endonyms[language],
    replies: replies
      .filter((reply) => reply.language === language)
      .map((reply) => ({
        label: replyLabels[reply.id],
        wording: reply.override ?? reply.builtIn,
        own: reply.override !== undefined,
        href: `/console/operations/replies/${language}/${reply.id}`,
      })),
  }));
}

/**
 * The reply as the resident would read it, with example values in its placeholders (a topic
 * "Traffic alerts", the keyword TRAFFIC, …), and what it costs as an SMS: its segments and, when a
 * character forces UCS-2, which (GOV.UK Notify's "Will be charged as N text messages").
 */
export function replyPreview(id: ReplyId, language: Language, wording: string, example: { serviceName: string; contact: string }) {
  const text = renderReply(
    id,
    language,
    {
      ...example,
      topicName: 'Traffic alerts',
      topicNames: ['Traffic alerts', 'Youth news'],
      keywords: ['TRAFFIC', 'YOUTH'],
      subscribedNames: ['Traffic alerts'],
      word: 'TRAFIC',
      area: 'CF10',
      language,
      band: '16-17',
    },
    { [language]: { [id]: wording } },
  );
  const sms = smsPreview(text);
  return {
    text,
    charged: `Will be charged as ${plural(sms.segments, 'text message')} (${sms.characters} characters, ${sms.encoding})`,
    unicode: sms.unicodeCharacters.length ? `These characters make every segment shorter (UCS-2): ${sms.unicodeCharacters.join(' ')}` : undefined,
  };
}
