import { z } from 'zod';
import { channelSchema, topicIdSchema } from '../domain/model.js';
import { languageSchema } from '../domain/language.js';
import { handleSeveralSchema, noteRequestSchema } from '../inbox/request-schemas.js';
import { pageQuery } from './paging.js';

/** The department inbox's shapes: entries, listing and its filters, conversation, assignment, notes. */

export const inboxEntryResponse = z
  .object({
    id: z.string().meta({ description: 'Stable: the same for a provider\'s retries of the message' }),
    department: z.string(),
    from: z.string(),
    channel: channelSchema,
    body: z.string(),
    receivedAt: z.string(),
    broadcastId: z.string().optional(),
    topicId: z.string().optional(),
    handled: z.boolean(),
    handledAt: z.string().optional(),
    handledBy: z.string().optional().meta({ description: 'The id of the key that marked it handled' }),
    to: z.string().optional().meta({ description: 'Our number or address the resident wrote to: replies go from it' }),
    assignedTo: z.string().optional().meta({ description: 'The member of staff it is assigned to (their id)' }),
    notes: z
      .array(z.object({ id: z.string(), text: z.string(), at: z.string(), by: z.string() }))
      .optional()
      .meta({ description: 'Notes for colleagues, oldest first: never sent to the resident' }),
    replies: z
      .array(
        z.object({
          messageId: z.string().meta({ description: "The reply's message record: its status and cost, as every message's" }),
          body: z.string(),
          at: z.string(),
          by: z.string().meta({ description: 'The id of the key (or person) that wrote it' }),
        }),
      )
      .optional()
      .meta({ description: 'Replies sent from the inbox, oldest first' }),
  })
  .meta({ id: 'InboxEntry' });

export const inboxResponse = z
  .object({
    messages: z.array(inboxEntryResponse),
    cursor: z.string().optional().meta({ description: 'Pass as ?cursor= for the next page' }),
  })
  .meta({ id: 'Inbox' });

export const inboxQuery = pageQuery.extend({
  department: z.string().trim().min(1).max(40).optional().meta({ description: "Default: the key's own (general for an operator)" }),
  handled: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform((value) => value === 'true')
    .optional(),
  topic: topicIdSchema.optional().meta({ description: 'Only messages linked to this topic' }),
  from: z.string().min(1).max(40).optional().meta({ description: 'Only messages from this phone number (E.164 or national form)' }),
  broadcast: z.string().optional().meta({ description: 'Only messages answering this broadcast (its id)' }),
  assignedTo: z.string().optional().meta({ description: 'Only messages assigned to this member of staff (their id), or `me`' }),
  receivedFrom: z.string().optional().meta({ description: "Only messages received on or after this day (YYYY-MM-DD, the deployment's time zone)" }),
  receivedTo: z.string().optional().meta({ description: "Only messages received on or before this day (YYYY-MM-DD, the deployment's time zone)" }),
});

/** The inbox's filters without paging: an export is the whole selection. */
export const inboxExportQuery = inboxQuery.omit({ cursor: true, limit: true });

export const assignRequest = z
  .strictObject({
    assignee: z.string().trim().min(1, 'must not be empty').max(64).nullable().meta({ description: "A member of staff of the message's department (their id), or null for nobody" }),
  })
  .meta({ id: 'InboxAssignRequest' });

export const noteRequest = noteRequestSchema.meta({ id: 'InboxNoteRequest' });
export const handleSeveralRequest = handleSeveralSchema.meta({ id: 'InboxHandleSeveralRequest' });

export const severalResponse = z.object({ messages: z.array(inboxEntryResponse) }).meta({ id: 'InboxMessages' });

export const conversationResponse = z
  .object({
    entry: inboxEntryResponse,
    number: z.string().meta({ description: "The resident's number, masked unless the key may read residents (subscribers:read)" }),
    lines: z
      .array(
        z.object({
          kind: z.enum(['resident', 'reply', 'note']),
          entryId: z.string(),
          body: z.string(),
          at: z.string(),
          by: z.string().optional(),
          channel: channelSchema.optional(),
          status: z.string().optional(),
        }),
      )
      .meta({ description: "Oldest first: the resident's texts to the department, the replies sent and staff's notes (notes are never sent)" }),
    subscriptions: z.array(z.object({ topicId: z.string(), name: z.string(), channel: channelSchema })),
    language: languageSchema.optional(),
    refusal: z.string().optional().meta({ description: 'Why a free-text reply cannot be sent now, as a sentence' }),
  })
  .meta({ id: 'InboxConversation' });
