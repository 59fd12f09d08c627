import { inboxEntryId } from '../inbox/entry-id.js';
import { NotFoundError } from '../domain/errors.js';
import type { Channel, Principal } from '../domain/model.js';
import type { MessageRecord } from '../sending/message-store.js';
import type { InboxEntry } from '../inbox/inbox-store.js';
import { authorize } from '../staff/access.js';
import type { CoreDependencies } from '../ports/dependencies.js';
import { broadcastMessageId } from '../sending/send-message.js';
import type { ConsentStore } from '../consent/consent-store.js';
import type { WithSubscribers } from '../ports/stores.js';
import type { ProfileStore } from './profile-store.js';

/** How many of each topic's latest broadcasts are looked through for messages to the resident. */
export const BROADCASTS_READ_PER_TOPIC = 1000;
/** The most messages listed, newest first. */
export const MESSAGES_LISTED = 100;

export interface MessageToResident {
  messageId: string;
  /** When it was sent (or claimed, or skipped). */
  at: string;
  /** A broadcast's message, crier's automatic reply to a text, or a reply staff wrote in the inbox. */
  kind: 'broadcast' | 'reply' | 'inboxReply';
  broadcastId: string | undefined;
  /** The resident's topic the broadcast was found through. */
  topicId: string | undefined;
  channel: Channel;
  status: MessageRecord['status'];
  skipReason: MessageRecord['skipReason'];
  errorCode: MessageRecord['errorCode'];
  /** A reply's words, which staff wrote; broadcasts' and automatic replies' words live elsewhere. */
  body: string | undefined;
}

export interface InboxConversationRef {
  /** The newest inbox entry of theirs in a department: its page is the conversation. */
  entryId: string;
  department: string;
  texts: number;
  lastText: string;
  lastAt: string;
}

export interface ResidentMessages {
  messages: MessageToResident[];
  conversations: InboxConversationRef[];
}

/**
 * What crier sent a resident, and their inbox conversations, read from records already kept: no
 * index per recipient, so it costs no write per message sent (a broadcast's message id is derived
 * from the broadcast and the number, an automatic reply's from the text it answers, and staff
 * replies are kept on the inbox entry). So:
 * - broadcasts: the latest broadcasts of every topic the resident ever had (their consent
 *   history names them), one query per topic, and their would-be message ids read 100 at a time;
 *   a topic that sent more than BROADCASTS_READ_PER_TOPIC since has its older messages left out;
 * - replies: the references to the texts they sent (in their own partition), each text's
 *   automatic reply by its id, and the inbox entry it made, with staff's replies to it.
 * Only records still kept are found: each expires at the end of the retention period. Every id
 * read is derived from this resident's number, so no other resident's message can be listed.
 */
export async function messagesToResident(deps: WithSubscribers<CoreDependencies, ProfileStore & ConsentStore>, principal: Principal, phone: string): Promise<ResidentMessages> {
  authorize(principal, 'subscribers:read');
  const [profile, history, inbound] = await Promise.all([
    deps.stores.subscribers.getProfile(phone),
    deps.stores.subscribers.consentHistory(phone),
    deps.stores.inbound.sentBy(phone),
  ]);
  if (!profile && inbound.length === 0) throw new NotFoundError(`no subscriber ${phone}`);

  const topicIds = [...new Set(history.flatMap(({ topicId }) => (topicId ? [topicId] : [])))];
  const broadcasts = (await Promise.all(topicIds.map(async (topicId) => (await deps.stores.broadcasts.recentForTopic(topicId, BROADCASTS_READ_PER_TOPIC)).map(({ broadcastId }) => ({ broadcastId, topicId }))))).flat();
  // A broadcast to two of their topics reached them once (one message id): listed once.
  const topicOf = new Map(broadcasts.map(({ broadcastId, topicId }) => [broadcastMessageId(broadcastId, phone), topicId]));
  const entries = (await Promise.all(inbound.map(({ provider, providerMessageId }) => deps.stores.inbox.get(inboxEntryId(provider, providerMessageId))))).filter(
    (entry): entry is InboxEntry => entry !== undefined,
  );
  const staffReplies = new Map(entries.flatMap((entry) => (entry.replies ?? []).map((reply) => [reply.messageId, reply.body] as const)));
  const automaticReplies = new Set(inbound.map(({ provider, providerMessageId }) => `reply-${provider}-${providerMessageId}`));

  const records = await deps.stores.messages.getMany([...topicOf.keys(), ...automaticReplies, ...staffReplies.keys()]);
  const messages = records
    .filter((record) => record.to === phone)
    .map((record): MessageToResident => ({
      messageId: record.messageId,
      at: record.createdAt,
      kind: staffReplies.has(record.messageId) ? 'inboxReply' : automaticReplies.has(record.messageId) ? 'reply' : 'broadcast',
      broadcastId: record.broadcastId,
      topicId: topicOf.get(record.messageId),
      channel: record.channel,
      status: record.status,
      skipReason: record.skipReason,
      errorCode: record.errorCode,
      body: staffReplies.get(record.messageId),
    }))
    .sort((a, b) => b.at.localeCompare(a.at) || a.messageId.localeCompare(b.messageId))
    .slice(0, MESSAGES_LISTED);
  return { messages, conversations: conversationsOf(entries) };
}

/** One conversation per department they texted, named by its newest entry. */
function conversationsOf(entries: readonly InboxEntry[]): InboxConversationRef[] {
  const byDepartment = new Map<string, InboxEntry[]>();
  for (const entry of entries) byDepartment.set(entry.department, [...(byDepartment.get(entry.department) ?? []), entry]);
  return [...byDepartment.entries()]
    .map(([department, ofDepartment]) => {
      const newest = [...ofDepartment].sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))[0]!;
      return { entryId: newest.id, department, texts: ofDepartment.length, lastText: newest.body, lastAt: newest.receivedAt };
    })
    .sort((a, b) => b.lastAt.localeCompare(a.lastAt));
}
