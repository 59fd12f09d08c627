import { inboxEntryId } from '../../../inbox/entry-id.js';
import { channelSchema } from '../../../domain/model.js';
import type { InboxEntry, InboxNote, InboxReply } from '../../../inbox/inbox-store.js';

/*
 * How the inbox store's items look in the table: where an entry lives, and an entry item read
 * back. Every part of the store reads these.
 */

/** Where an entry lives: its department's partition, at the time it was first received. */
export interface Position {
  department: string;
  receivedAt: string;
}

export function toEntry(item: Record<string, unknown>): InboxEntry {
  const provider = String(item.provider);
  const providerMessageId = String(item.providerMessageId);
  return {
    // Entries written before ids existed have none stored; theirs is the same derivation.
    id: typeof item.id === 'string' ? item.id : inboxEntryId(provider, providerMessageId),
    department: String(item.department),
    provider,
    providerMessageId,
    from: String(item.from),
    channel: channelSchema.parse(item.channel),
    body: String(item.body),
    receivedAt: String(item.receivedAt),
    broadcastId: typeof item.broadcastId === 'string' ? item.broadcastId : undefined,
    topicId: typeof item.topicId === 'string' ? item.topicId : undefined,
    ...(typeof item.to === 'string' ? { to: item.to } : {}),
    handled: item.handled === true,
    ...(typeof item.handledAt === 'string' ? { handledAt: item.handledAt } : {}),
    ...(typeof item.handledBy === 'string' ? { handledBy: item.handledBy } : {}),
    ...(Array.isArray(item.replies) ? { replies: item.replies.map(toReply) } : {}),
    ...(typeof item.assignedTo === 'string' ? { assignedTo: item.assignedTo } : {}),
    ...(Array.isArray(item.notes) ? { notes: item.notes.map(toNote) } : {}),
  };
}

function toNote(item: Record<string, unknown>): InboxNote {
  return { id: String(item.id), text: String(item.text), at: String(item.at), by: String(item.by) };
}

function toReply(item: Record<string, unknown>): InboxReply {
  return { messageId: String(item.messageId), body: String(item.body), at: String(item.at), by: String(item.by) };
}
