import { z } from 'zod';
import { channelSchema } from '../domain/model.js';
import { languageSchema } from '../domain/language.js';
import { handleSeveralSchema, noteRequestSchema } from '../inbox/request-schemas.js';
import { inboxEntryResponse, inboxQuery } from './schemas.js';

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
