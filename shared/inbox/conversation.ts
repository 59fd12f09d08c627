import { maskNumber } from '../broadcasts/delivery-report-rows.js';
import { ERASED } from '../domain/erasure.js';
import { NotFoundError } from '../domain/errors.js';
import type { Language } from '../domain/language.js';
import type { Channel, Principal } from '../domain/model.js';
import type { MessageRecord } from '../sending/message-store.js';
import type { InboxEntry } from './inbox-store.js';
import { authorize } from '../staff/access.js';
import type { CoreDependencies } from '../ports/dependencies.js';
import type { ConsentStore } from '../consent/consent-store.js';
import type { WithSubscribers } from '../ports/stores.js';
import type { ProfileStore } from '../residents/profile-store.js';
import { replyRefusal, type ReplyRefusal } from './reply-rules.js';

/** The most of one resident's messages a conversation shows: their newest, in order. */
export const CONVERSATION_MAX_MESSAGES = 50;

/** One line of a conversation: the resident's text, a reply staff sent to it, or a note staff left for colleagues. */
export type ConversationLine =
  | { kind: 'resident'; entryId: string; body: string; at: string; channel: Channel; handled: boolean }
  | { kind: 'reply'; entryId: string; body: string; at: string; by: string; status: MessageRecord['status'] | 'queued' }
  | { kind: 'note'; entryId: string; body: string; at: string; by: string };

export interface Conversation {
  entry: InboxEntry;
  /** The resident's number, masked unless the person may read residents' numbers. */
  number: string;
  /** Oldest first: the resident's texts to this department, the replies to each and staff's notes. */
  lines: ConversationLine[];
  /** The topics they are subscribed to, by name, and on which channel. */
  subscriptions: { topicId: string; name: string; channel: Channel }[];
  language: Language | undefined;
  /** Why a reply cannot be sent now (reply-rules.ts), or undefined. */
  refusal: ReplyRefusal | undefined;
}

/**
 * Whether this person may see residents' whole numbers in this department: the same permission as
 * reading a resident's profile (operators; the rule is access.ts's, asked, not restated).
 */
export function showsResidentNumbers(principal: Principal, department: string): boolean {
  try {
    authorize(principal, 'subscribers:read', { department });
    return true;
  } catch {
    return false;
  }
}

/** An entry as this person may see it: the number masked unless they may read residents. */
export function entryAsSeenBy(entry: InboxEntry, showsNumbers: boolean): InboxEntry {
  return showsNumbers ? entry : { ...entry, from: maskNumber(entry.from) };
}

/**
 * The resident behind one inbox entry, as the department sees them: their texts to the department
 * (the inbox entries from their number) with the replies sent to each and what became of them,
 * what they are subscribed to and their language, and whether a reply can be sent now.
 */
export async function conversation(deps: WithSubscribers<CoreDependencies, ProfileStore & ConsentStore>, principal: Principal, id: string): Promise<Conversation> {
  const entry = await deps.stores.inbox.get(id);
  if (!entry) throw new NotFoundError(`no inbox message ${id}`);
  authorize(principal, 'inbox:read', { department: entry.department });
  const erased = entry.from === ERASED;
  // An erased entry's "number" is shared by every erased entry: it is its own conversation.
  const [entries, profile, subscriptions] = await Promise.all([
    erased ? Promise.resolve([entry]) : deps.stores.inbox.list({ department: entry.department, from: entry.from, limit: CONVERSATION_MAX_MESSAGES, cursor: undefined }).then((page) => page.items),
    erased ? Promise.resolve(undefined) : deps.stores.subscribers.getProfile(entry.from),
    erased ? Promise.resolve([]) : deps.stores.subscribers.subscriptions(entry.from),
  ]);
  const replies = entries.flatMap((one) => (one.replies ?? []).map((reply) => ({ entryId: one.id, reply })));
  const statuses = new Map((await deps.stores.messages.getMany(replies.map(({ reply }) => reply.messageId))).map((record) => [record.messageId, record.status]));
  const lines: ConversationLine[] = [
    ...entries.map((one): ConversationLine => ({ kind: 'resident', entryId: one.id, body: one.body, at: one.receivedAt, channel: one.channel, handled: one.handled })),
    ...replies.map(({ entryId, reply }): ConversationLine => ({ kind: 'reply', entryId, body: reply.body, at: reply.at, by: reply.by, status: statuses.get(reply.messageId) ?? 'queued' })),
    ...entries.flatMap((one) => (one.notes ?? []).map((note): ConversationLine => ({ kind: 'note', entryId: one.id, body: note.text, at: note.at, by: note.by }))),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const topics = await Promise.all(subscriptions.map((subscription) => deps.stores.topics.get(subscription.topicId)));
  const shows = showsResidentNumbers(principal, entry.department);
  return {
    entry: entryAsSeenBy(entry, shows),
    number: shows ? entry.from : maskNumber(entry.from),
    lines,
    subscriptions: subscriptions
      .map((subscription, index) => ({ topicId: subscription.topicId, name: topics[index]?.name ?? subscription.topicId, channel: subscription.channel }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    language: profile?.language,
    refusal: replyRefusal(entry, profile, deps.clock.now()),
  };
}
