import { z } from 'zod';
import { keywordSchema, topicIdSchema } from '../domain/model.js';
import { reservedKeywords } from '../consent/words/reserved-keywords.js';
import { languageSchema } from '../domain/language.js';
import { pageQuery } from './paging.js';

/** The admin API's topic shapes: handlers validate with them, the OpenAPI document is built from them. */

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
