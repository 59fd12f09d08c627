import { z } from 'zod';
import {
  broadcastCountsSchema,
  broadcastStatusSchema,
  channelSchema,
  consentActionSchema,
  keyModeSchema,
  keywordSchema,
  roleSchema,
  prioritySchema,
  topicIdSchema,
} from '../domain/model.js';
import { reservedKeywords } from '../consent/words/reserved-keywords.js';
import { languageSchema } from '../domain/language.js';
import { auditActions } from '../staff/audit-log.js';

/** Request and response shapes of the admin API: handlers validate with them, the OpenAPI document is built from them. */

const topicKeyword = keywordSchema.refine((keyword) => !reservedKeywords.has(keyword), 'is a reserved command word');

const topicAliases = z.partialRecord(
  languageSchema,
  z.object({ name: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters').optional(), keywords: z.array(topicKeyword).max(10, 'must be 10 or fewer').default([]) }).strict(),
);

/** A keyword may appear once across a topic's keywords and its aliases'. */
function noRepeatedKeywords(
  topic: { keywords?: string[] | undefined; aliases?: Partial<Record<string, { keywords: string[] } | undefined>> | undefined },
  ctx: z.RefinementCtx,
): void {
  const seen = new Set<string>();
  for (const [path, keywords] of [
    [['keywords'], topic.keywords ?? []],
    ...Object.entries(topic.aliases ?? {}).map(([language, alias]) => [['aliases', language, 'keywords'], alias?.keywords ?? []] as const),
  ] as const) {
    keywords.forEach((keyword, index) => {
      if (seen.has(keyword)) ctx.addIssue({ code: 'custom', path: [...path, index], message: `repeats the keyword ${keyword}` });
      seen.add(keyword);
    });
  }
}

export const createTopicRequest = z
  .object({
    id: topicIdSchema,
    name: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
    keywords: z.array(topicKeyword).max(20, 'must be 20 or fewer').default([]),
    department: z.string().trim().min(1, 'must not be empty').max(40, 'must be at most 40 characters').optional(),
    requiresApproval: z.boolean().default(false),
    confirmedOptIn: z.boolean().default(false),
    /** The topic's name and keywords in other languages, e.g. `{ "cy": { "name": "Traffig", "keywords": ["TRAFFIG"] } }`. */
    aliases: topicAliases.default({}),
  })
  .strict()
  .superRefine(noRepeatedKeywords)
  .meta({ id: 'CreateTopicRequest' });

/** Only the fields given change; `keywords` and `aliases` are replaced whole. */
export const updateTopicRequest = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters').optional(),
    keywords: z.array(topicKeyword).max(20, 'must be 20 or fewer').optional(),
    aliases: topicAliases.optional().meta({ description: 'Replaces every alias; `{}` removes them' }),
    requiresApproval: z.boolean().optional().meta({ description: 'Switching the two-person rule off takes an operator key' }),
    confirmedOptIn: z.boolean().optional(),
    department: z.string().trim().min(1, 'must not be empty').max(40, 'must be at most 40 characters').optional().meta({ description: 'Moving a topic to another department takes an operator key' }),
  })
  .strict()
  .superRefine((changes, ctx) => {
    if (Object.values(changes).every((value) => value === undefined)) ctx.addIssue({ code: 'custom', path: [], message: 'name at least one field to change' });
    noRepeatedKeywords(changes, ctx);
  })
  .meta({ id: 'UpdateTopicRequest' });

export const topicListQuery = pageQuery.extend({
  archived: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true')
    .meta({ description: 'true: archived topics too' }),
});

const count = z.number().int().min(0);

/** A topic's subscriptions counted, from its counters (one read); a resident on SMS and WhatsApp counts twice. */
export const topicSubscriberCountsResponse = z
  .object({
    total: count,
    byChannel: z.object({ sms: count, whatsapp: count }),
    byLanguage: z
      .object({ en: count, cy: count, es: count, none: count.meta({ description: 'No language given: they receive the deployment default' }) })
      .meta({
        description:
          "By the language the resident receives, as they now stand. Subscriptions made before languages were counted are in the total only, until the resident's language next changes, so these may add up to less than the total.",
      }),
  })
  .meta({ id: 'TopicSubscriberCounts' });

export const topicResponse = z
  .object({
    id: z.string(),
    name: z.string(),
    keywords: z.array(z.string()),
    department: z.string(),
    requiresApproval: z.boolean(),
    confirmedOptIn: z.boolean(),
    aliases: z.partialRecord(languageSchema, z.object({ name: z.string().optional(), keywords: z.array(z.string()) })),
    createdAt: z.string(),
    updatedAt: z.string().optional(),
    archivedAt: z.string().optional().meta({ description: 'Archived: no new subscribers or broadcasts; its keywords (as they were) are free for other topics' }),
    subscribers: z.number().int().meta({ description: 'The total subscriptions: the same as subscriberCounts.total' }),
    subscriberCounts: topicSubscriberCountsResponse,
  })
  .meta({ id: 'Topic' });

export const topicsResponse = z
  .object({
    topics: z.array(topicResponse),
    cursor: z.string().optional().meta({ description: 'Pass as ?cursor= for the next page; absent on the last page' }),
  })
  .meta({ id: 'Topics' });

export { broadcastResponse, createBroadcastRequest } from './broadcast-schemas.js';
export { pageQuery } from './paging.js';
import { pageQuery } from './paging.js';

export const subscriberResponse = z
  .object({
    phone: z.string(),
    createdAt: z.string(),
    /** Only the channels the resident has opted out of, with when. */
    optedOut: z.partialRecord(channelSchema, z.string()),
    language: languageSchema.optional(),
    /** A postcode district, never a full address. */
    area: z.string().optional(),
    ageBand: z.string().optional(),
    /** When the resident last wrote on WhatsApp (free-text replies are allowed for 24 hours). */
    whatsappWindowOpenedAt: z.string().optional(),
    subscriptions: z.array(z.object({ topicId: z.string(), channel: channelSchema, since: z.string() })),
    consentHistory: z.array(
      z.object({
        at: z.string(),
        action: consentActionSchema,
        channel: channelSchema,
        topicId: z.string().optional(),
        evidence: z.record(z.string(), z.unknown()),
        changes: z.record(z.string(), z.string()).optional(),
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

export const replyTextsResponse = z
  .object({
    replies: z.array(
      z.object({ language: languageSchema, id: z.string(), builtIn: z.string(), override: z.string().optional() }),
    ),
  })
  .meta({ id: 'ReplyTexts' });

export const replyTextRequest = z
  .object({ text: z.string().meta({ description: 'The wording, with {{placeholders}} such as {{topicName}}; how to stop is added for you' }) })
  .meta({ id: 'ReplyTextRequest' });

const department = z.string().trim().min(1, 'must not be empty').max(40, 'must be at most 40 characters');

export const createKeyRequest = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters').meta({ description: 'Who or what uses the key, e.g. "Roads team laptop"' }),
    role: roleSchema,
    department: department.meta({ description: 'The department whose topics the key reaches; `*` for an operator key' }),
    mode: keyModeSchema.default('live').meta({ description: "A test key's broadcasts only ever reach the sandbox provider" }),
  })
  .strict()
  .superRefine((key, ctx) => {
    // An operator reaches every department, so naming one would promise a limit that is not there.
    if (key.role === 'operator' && key.department !== '*') {
      ctx.addIssue({ code: 'custom', path: ['department'], message: 'must be * for an operator key (operators reach every department)' });
    }
    if (key.role !== 'operator' && key.department === '*') {
      ctx.addIssue({ code: 'custom', path: ['department'], message: 'only an operator key reaches every department (*); name one' });
    }
  })
  .meta({ id: 'CreateKeyRequest' });

export const keyResponse = z
  .object({
    id: z.string(),
    name: z.string(),
    role: roleSchema,
    department: z.string(),
    mode: keyModeSchema,
    createdAt: z.string(),
    revoked: z.boolean(),
    revokedAt: z.string().optional(),
  })
  .meta({ id: 'ApiKey' });

export const createdKeyResponse = keyResponse
  .extend({ key: z.string().meta({ description: 'The secret key: shown in this answer only, stored hashed; keep it now' }) })
  .meta({ id: 'CreatedApiKey' });

export const keysResponse = z
  .object({ keys: z.array(keyResponse), cursor: z.string().optional().meta({ description: 'Pass as ?cursor= for the next page' }) })
  .meta({ id: 'ApiKeys' });

export const rotatedBootstrapKeyResponse = z
  .object({
    key: z.string().meta({ description: 'The new bootstrap operator key: shown in this answer only; keep it now' }),
    rotatedAt: z.string(),
  })
  .meta({ id: 'RotatedBootstrapKey' });


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

const timeBound = z.union([z.iso.datetime({ offset: true }), z.iso.date()], { error: 'must be an ISO timestamp or a day (YYYY-MM-DD)' });

export const auditQuery = pageQuery.extend({
  from: timeBound.optional().meta({ description: 'Inclusive; default 30 days before `to`' }),
  to: timeBound.optional().meta({ description: 'Inclusive; default now' }),
  actor: z.string().trim().min(1).max(64).optional().meta({ description: 'Only what this key or member of staff did (their id)' }),
  action: z.enum(auditActions).optional().meta({ description: 'Only this kind of action, e.g. `inbox.assign`' }),
  department: z.string().trim().min(1).max(40).optional().meta({ description: "Only what concerns this department (the record's own, else its actor's)" }),
});

export const auditEntryResponse = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.object({ keyId: z.string(), name: z.string(), role: roleSchema, department: z.string() }),
    action: z.enum(auditActions),
    target: z.object({ type: z.string(), id: z.string() }),
    before: z.record(z.string(), z.unknown()).optional(),
    after: z.record(z.string(), z.unknown()).optional(),
    department: z.string().optional().meta({ description: 'The department the change concerns, where it is one department’s' }),
  })
  .meta({ id: 'AuditEntry' });

export const auditResponse = z
  .object({ entries: z.array(auditEntryResponse), cursor: z.string().optional() })
  .meta({ id: 'AuditLog' });
