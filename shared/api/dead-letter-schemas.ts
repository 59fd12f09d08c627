import { z } from 'zod';
import { replyPurposeSchema } from '../domain/jobs.js';
import { channelSchema } from '../domain/model.js';
import { queueIdSchema } from '../domain/queues.js';
import type { DeadLetterJob as DeadLetterJobAnswer } from '../dead-letters/dead-letter-summary.js';
import type { DeadLetterQueueView as DeadLetterQueueAnswer, RedriveResult as RedriveAnswer } from '../dead-letters/dead-letters.js';
import type { Describes } from './describes.js';

/** `GET /v1/dead-letters?peek=`: how many messages of each queue to look at. */
export const deadLettersQuery = z.object({
  peek: z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(0, 'must be at least 0')
    .max(50, 'must be at most 50')
    .default(10)
    .meta({ description: 'Messages to look at per queue (0–50, default 10); they stay in the queue' }),
});

/** `POST /v1/dead-letters/{queue}/redrive`: the body is optional; without a limit, all of them. */
export const redriveRequest = z
  .object({
    limit: z
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(100_000, 'must be at most 100000')
      .optional()
      .meta({ description: 'Move at most this many; default: all of them' }),
  })
  .strict()
  .meta({ id: 'RedriveRequest' });

/**
 * What a dead letter was meant to do, read from its job: enough for an operator to decide
 * whether to redrive it, and never a resident's number or the text of a message (those stay in
 * the queue, where only the functions that need them can read them).
 */
export const deadLetterJobSchema = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('fanOutTask'),
      broadcastId: z.string(),
      topicId: z.string(),
      shard: z.number().int().meta({ description: "The task's first topic index shard" }),
      shardCount: z.number().int().optional().meta({ description: 'Shards the task reads from `shard` on (absent: that one)' }),
    }),
    z.object({
      kind: z.literal('broadcastSend'),
      broadcastId: z.string(),
      recipients: z.number().int(),
      topicId: z.string().optional(),
      attempt: z.number().int().optional().meta({ description: 'Provider failures the batch was handed back after' }),
    }),
    z.object({ kind: z.literal('reply'), messageId: z.string(), purpose: replyPurposeSchema, channel: channelSchema }),
    z.object({
      kind: z.literal('awsSmsNotification'),
      snsMessageId: z.string(),
      notification: z.enum(['residentText', 'deliveryEvent', 'other']),
      eventType: z.string().optional(),
    }),
    // Not a job this queue's consumer takes: what is wrong with it, by field, never its content.
    z.object({ kind: z.literal('unreadable'), problem: z.string() }),
  ])
  .meta({ id: 'DeadLetterJob' });
export type DeadLetterJob = z.infer<typeof deadLetterJobSchema>;

export const deadLetterViewSchema = z
  .object({
    messageId: z.string(),
    /** When the job was first put on its work queue. */
    sentAt: z.string().optional(),
    /** When its consumer first received it (and, after that, failed). */
    firstReceivedAt: z.string().optional(),
    receiveCount: z.number().int(),
    job: deadLetterJobSchema,
  })
  .meta({ id: 'DeadLetter' });
export type DeadLetterView = z.infer<typeof deadLetterViewSchema>;

/** One work queue's dead letters: how many, and a look at the first few. */
export const deadLetterQueueViewSchema = z
  .object({
    queue: queueIdSchema,
    approximateCount: z.number().int().nonnegative(),
    peeked: z.array(deadLetterViewSchema),
  })
  .meta({ id: 'DeadLetterQueue' });
export type DeadLetterQueueView = z.infer<typeof deadLetterQueueViewSchema>;

export const deadLettersResponse = z.object({ queues: z.array(deadLetterQueueViewSchema) }).meta({ id: 'DeadLetters' });

/**
 * Why a redrive stopped: nothing left, the limit asked for, or the time one request may take was
 * up (ask again to move more).
 */
export const redriveStopSchema = z.enum(['empty', 'limit', 'timeBudget']);

export const redriveResultSchema = z
  .object({
    queue: queueIdSchema,
    moved: z.number().int().nonnegative(),
    stoppedBecause: redriveStopSchema,
    approximateRemaining: z.number().int().nonnegative().meta({ description: "SQS's approximate count, which may lag by a minute" }),
  })
  .meta({ id: 'RedriveResult' });
export type RedriveResult = z.infer<typeof redriveResultSchema>;

/** The use cases' answers are what these schemas say: tsc fails here when the two drift apart. */
export type DeadLetterSchemasDescribeAnswers = [
  Describes<DeadLetterJob, DeadLetterJobAnswer>,
  Describes<DeadLetterQueueView, DeadLetterQueueAnswer>,
  Describes<RedriveResult, RedriveAnswer>,
];
