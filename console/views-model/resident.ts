import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { languageNames, type Language } from '../../shared/domain/language.js';
import type { ConsentAction, ConsentEvent, ConsentEvidence, Topic } from '../../shared/domain/model.js';
import type { SubscriberView } from '../../shared/residents/subscribers.js';
import { channelNames } from './broadcast-check.js';
import { localTime } from './format.js';

/** What each consent record says happened, as a member of staff reads it. */
export const consentActionNames: Record<ConsentAction, string> = {
  opt_in_requested: 'Asked to join, not yet confirmed',
  opt_in: 'Joined',
  confirm: 'Confirmed with YES',
  leave: 'Left',
  opt_out: 'Opted out of everything',
  restore: 'Came back after opting out',
  profile: 'Changed their details',
};

/** Where a consent change came from: the resident's own text, a member of staff, or an imported list. */
export const evidenceDescriptions: { [K in ConsentEvidence['kind']]: (evidence: Extract<ConsentEvidence, { kind: K }>, nameOf: (id: string) => string) => string } = {
  inbound: ({ text, provider, providerMessageId }) => `Their message “${text}” (${provider} message ${providerMessageId})`,
  admin: ({ actor, reason }, nameOf) => `Changed by ${nameOf(actor)}: ${reason}`,
  import: ({ batchId, actor, collectedBy, collectedAt, method }, nameOf) =>
    `Import batch ${batchId}, run by ${nameOf(actor)}; consent collected by ${collectedBy} on ${collectedAt} (${method})`,
};

/**
 * A profile change as it reads: "area CF10", "language Welsh (from the words they used)". A
 * removed value is recorded as "removed" (see the subscriber store). A name not listed here is
 * shown as recorded.
 */
const REMOVED = 'removed';
export const profileChangeNames: Record<string, (value: string) => string> = {
  area: (value) => `area ${value}`,
  ageBand: (value) => `age band ${value}`,
  language: (value) => `language ${value === REMOVED ? value : (languageNames.en[value as Language] ?? value)}`,
  languageSource: (value) => (value === 'inferred' ? '(from the words they used)' : ''),
};

export function profileChangesText(changes: Record<string, string>): string {
  return Object.entries(changes)
    .map(([name, value]) => profileChangeNames[name]?.(value) ?? `${name} ${value}`)
    .filter(Boolean)
    .join(', ')
    .replace(/, \(/g, ' (');
}

export function evidenceText(evidence: ConsentEvidence, nameOf: (id: string) => string): string {
  const describe = evidenceDescriptions[evidence.kind] as (evidence: ConsentEvidence, nameOf: (id: string) => string) => string;
  return describe(evidence, nameOf);
}

/** The people who acted in a history (staff who changed it, who ran an import): their names are looked up once. */
export function actorsOf(history: readonly ConsentEvent[]): string[] {
  return [...new Set(history.flatMap(({ evidence }) => (evidence.kind === 'inbound' ? [] : [evidence.actor])))];
}

/** "+44 7700 900123": how a number is read out, whatever country it is of. */
export function phoneForPeople(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

/** A resident's page path: the number in E.164, URL-encoded (its "+" would otherwise read as a space in some places). */
export function residentPath(e164: string): string {
  return `/console/residents/${encodeURIComponent(e164)}`;
}

export interface ResidentContext {
  topics: ReadonlyMap<string, Topic>;
  nameOf: (id: string) => string;
  timeZone: string;
}

/** A topic as a page names it: its name and department, or its id if it is no longer there. */
function topicName(topicId: string | undefined, topics: ReadonlyMap<string, Topic>): string {
  if (topicId === undefined) return 'All topics';
  const topic = topics.get(topicId);
  return topic ? `${topic.name} (${topic.department})` : topicId;
}

/** What a resident's page shows: their profile, what they are subscribed to, and every consent record with its evidence. */
export function residentView(subscriber: SubscriberView, { topics, nameOf, timeZone }: ResidentContext) {
  const optedOut = Object.entries(subscriber.optedOut).map(([channel, at]) => `${channelNames[channel as keyof typeof channelNames]} since ${localTime(at, timeZone)}`);
  return {
    phone: subscriber.phone,
    phoneForPeople: phoneForPeople(subscriber.phone),
    path: residentPath(subscriber.phone),
    profile: [
      { key: 'Area', value: subscriber.area ?? 'Not given' },
      { key: 'Language', value: subscriber.language ? languageNames.en[subscriber.language] : 'Not given (English)' },
      { key: 'Age band', value: subscriber.ageBand ?? 'Not given' },
      { key: 'Opted out', value: optedOut.length ? optedOut.join('; ') : 'No' },
      { key: 'First contact', value: localTime(subscriber.createdAt, timeZone) },
    ],
    subscriptions: subscriber.subscriptions.map(({ topicId, channel, since }) => ({
      topic: topicName(topicId, topics),
      channel: channelNames[channel],
      since: localTime(since, timeZone),
    })),
    consentHistory: subscriber.consentHistory.map((event) => ({
      when: localTime(event.at, timeZone),
      what: [
        consentActionNames[event.action],
        event.action === 'profile' ? profileChangesText(event.changes ?? {}) : topicName(event.topicId, topics),
        `by ${channelNames[event.channel]}`,
      ]
        .filter(Boolean)
        .join(', '),
      evidence: evidenceText(event.evidence, nameOf),
    })),
  };
}
