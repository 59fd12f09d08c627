import { z } from 'zod';
import {
  broadcastCountsSchema,
  broadcastStatusSchema,
  channelSchema,
  consentActionSchema,
  keywordSchema,
  prioritySchema,
  topicIdSchema,
} from '../domain/model.js';
import { reservedKeywords } from '../domain/keyword-router.js';

/** Request and response shapes of the admin API: handlers validate with them, the OpenAPI document is built from them. */

export const createTopicRequest = z
  .object({
    id: topicIdSchema,
    name: z.string().trim().min(1, 'must not be empty').max(80),
    keywords: z
      .array(keywordSchema.refine((keyword) => !reservedKeywords.has(keyword), 'is a reserved command word'))
      .max(20)
      .default([])
      .refine((keywords) => new Set(keywords).size === keywords.length, 'must not repeat a keyword'),
    department: z.string().trim().min(1).max(40).optional(),
    requiresApproval: z.boolean().default(false),
  })
  .strict()
  .meta({ id: 'CreateTopicRequest' });

export const topicResponse = z
  .object({
    id: z.string(),
    name: z.string(),
    keywords: z.array(z.string()),
    department: z.string(),
    requiresApproval: z.boolean(),
    createdAt: z.string(),
    subscribers: z.number().int(),
  })
  .meta({ id: 'Topic' });

export const createBroadcastRequest = z
  .object({
    topics: z.array(topicIdSchema).min(1, 'name at least one topic').max(20),
    body: z.string().trim().min(1, 'must not be empty').max(1600, 'must be at most 1600 characters (10 SMS segments)'),
    priority: prioritySchema.default('normal'),
  })
  .strict()
  .meta({ id: 'CreateBroadcastRequest' });

export const broadcastResponse = z
  .object({
    id: z.string(),
    status: broadcastStatusSchema,
    topics: z.array(z.string()),
    body: z.string(),
    priority: prioritySchema,
    createdBy: z.string(),
    approvedBy: z.string().optional(),
    createdAt: z.string(),
    counts: broadcastCountsSchema,
  })
  .meta({ id: 'Broadcast' });

export const subscriberResponse = z
  .object({
    phone: z.string(),
    createdAt: z.string(),
    /** Only the channels the resident has opted out of, with when. */
    optedOut: z.partialRecord(channelSchema, z.string()),
    subscriptions: z.array(z.object({ topicId: z.string(), channel: channelSchema, since: z.string() })),
    consentHistory: z.array(
      z.object({
        at: z.string(),
        action: consentActionSchema,
        channel: channelSchema,
        topicId: z.string().optional(),
        evidence: z.record(z.string(), z.unknown()),
      }),
    ),
  })
  .meta({ id: 'Subscriber' });

export const errorResponseSchema = z
  .object({
    error: z.string(),
    details: z.array(z.object({ field: z.string(), message: z.string() })),
    requestId: z.string().optional(),
  })
  .meta({ id: 'Error' });
