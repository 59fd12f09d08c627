import { z } from 'zod';
import { channelSchema, messageStatusSchema, skipReasonSchema } from '../domain/model.js';
import { BROADCASTS_READ_PER_TOPIC, MESSAGES_LISTED } from '../residents/messages-to-resident.js';

/** `GET /v1/subscribers/{phone}/messages`: what crier sent a resident, and their inbox conversations. */
export const residentMessagesResponse = z
  .object({
    messages: z
      .array(
        z.object({
          messageId: z.string(),
          at: z.string().meta({ description: 'When it was sent, claimed or skipped' }),
          kind: z.enum(['broadcast', 'reply', 'inboxReply']).meta({ description: "A broadcast's message, crier's automatic reply to a text, or a reply staff wrote in the inbox" }),
          broadcastId: z.string().optional(),
          topicId: z.string().optional().meta({ description: "The resident's topic the broadcast went to" }),
          channel: channelSchema,
          status: z.union([messageStatusSchema, z.literal('skipped')]),
          skipReason: skipReasonSchema.optional(),
          errorCode: z.string().optional(),
          body: z.string().optional().meta({ description: "An inbox reply's words (broadcasts' words are on the broadcast)" }),
        }),
      )
      .meta({
        description: `Newest first, at most ${MESSAGES_LISTED}, while their records are kept (the retention period); broadcasts among the latest ${BROADCASTS_READ_PER_TOPIC} of each topic the resident ever had.`,
      }),
    conversations: z.array(
      z.object({
        entryId: z.string().meta({ description: 'Their newest inbox message in that department: GET /v1/inbox?from= lists the rest' }),
        department: z.string(),
        texts: z.number().int(),
        lastText: z.string(),
        lastAt: z.string(),
      }),
    ),
  })
  .meta({ id: 'ResidentMessages' });
