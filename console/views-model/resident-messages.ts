import { reasonOf } from '../../shared/broadcasts/delivery-report-rows.js';
import type { MessageRecord } from '../../shared/sending/message-store.js';
import type { MessageToResident, ResidentMessages } from '../../shared/residents/messages-to-resident.js';
import { channelNames } from './broadcast-check.js';
import { localTime } from './format.js';

/** A message's status as staff read it on a resident's page. */
export const messageStatusNames: Record<MessageRecord['status'], string> = {
  queued: 'Queued',
  sending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  undelivered: 'Not delivered',
  failed: 'Failed',
  skipped: 'Not sent',
};

/** What kind of message it was. */
export const messageKindNames: Record<MessageToResident['kind'], string> = {
  broadcast: 'Broadcast',
  reply: 'Automatic reply to their text',
  inboxReply: 'Reply from the inbox',
};

/** The messages sent to a resident, and links to their inbox conversations, as their page lists them. */
export function residentMessagesView(found: ResidentMessages, options: { timeZone: string; topicName: (id: string) => string }) {
  return {
    messages: found.messages.map((message) => {
      const what =
        message.kind === 'broadcast' && message.broadcastId
          ? { text: `${messageKindNames.broadcast}${message.topicId ? ` on ${options.topicName(message.topicId)}` : ''}`, href: `/console/broadcasts/${encodeURIComponent(message.broadcastId)}` }
          : { text: message.body ? `${messageKindNames[message.kind]}: “${message.body}”` : messageKindNames[message.kind], href: undefined };
      const reason = reasonOf(message);
      return {
        when: localTime(message.at, options.timeZone),
        what,
        channel: channelNames[message.channel],
        status: reason ? `${messageStatusNames[message.status]}: ${reason}` : messageStatusNames[message.status],
      };
    }),
    conversations: found.conversations.map((conversation) => ({
      href: `/console/inbox/${conversation.entryId}`,
      department: conversation.department,
      texts: conversation.texts,
      lastText: conversation.lastText,
      lastAt: localTime(conversation.lastAt, options.timeZone),
    })),
  };
}
