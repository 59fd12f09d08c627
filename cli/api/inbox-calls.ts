import type { z } from 'zod';
import { conversationResponse, severalResponse } from '../../shared/api/inbox-schemas.js';
import { inboxEntryResponse, inboxResponse } from '../../shared/api/inbox-schemas.js';
import { queryString, type KeyedClient } from './keyed-client.js';

export type InboxEntry = z.infer<typeof inboxEntryResponse>;
export type InboxConversation = z.infer<typeof conversationResponse>;

/** The inbox's filters, as `GET /v1/inbox` and its export take them. */
export interface InboxFilterInput {
  department?: string;
  handled?: boolean;
  topic?: string;
  from?: string;
  broadcast?: string;
  assignedTo?: string;
  receivedFrom?: string;
  receivedTo?: string;
}

/** The inbox: residents' messages, their handling, replies and export. */
export function inboxCalls(client: KeyedClient) {
  return {
    listInbox(query: InboxFilterInput & { limit?: number; cursor?: string } = {}) {
      const { handled, ...rest } = query;
      return client.call(inboxResponse, 'GET', `/v1/inbox${queryString({ ...rest, handled: handled === undefined ? undefined : String(handled) })}`);
    },

    inboxConversation(id: string) {
      return client.call(conversationResponse, 'GET', `/v1/inbox/${encodeURIComponent(id)}`);
    },

    assignInbox(id: string, assignee: string | null) {
      return client.call(inboxEntryResponse, 'POST', `/v1/inbox/${encodeURIComponent(id)}/assign`, { assignee });
    },

    noteOnInbox(id: string, text: string) {
      return client.call(inboxEntryResponse, 'POST', `/v1/inbox/${encodeURIComponent(id)}/notes`, { text });
    },

    reopenInbox(id: string) {
      return client.call(inboxEntryResponse, 'POST', `/v1/inbox/${encodeURIComponent(id)}/reopen`);
    },

    /** Several at once: all are checked first, so one refused changes none. */
    setInboxHandled(ids: string[], handled: boolean) {
      return client.call(severalResponse, 'POST', '/v1/inbox/handled', { ids, handled });
    },

    /** The inbox as CSV, as filtered; `truncated` when more matched than one export holds. */
    async exportInbox(query: InboxFilterInput = {}): Promise<{ csv: string; truncated: boolean }> {
      const { handled, ...rest } = query;
      const response = await client.send('GET', `/v1/inbox/export${queryString({ ...rest, handled: handled === undefined ? undefined : String(handled) })}`);
      return { csv: response.text, truncated: response.headers?.get('x-crier-truncated') === 'true' };
    },

    markInboxHandled(id: string) {
      return client.call(inboxEntryResponse, 'POST', `/v1/inbox/${encodeURIComponent(id)}/handled`);
    },

    replyToInbox(id: string, reply: { body: string } | { templateId: string }) {
      return client.call(inboxEntryResponse, 'POST', `/v1/inbox/${encodeURIComponent(id)}/reply`, reply);
    },
  };
}
export type InboxCalls = ReturnType<typeof inboxCalls>;
