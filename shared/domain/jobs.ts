import { z } from 'zod';
import { channelSchema } from './model.js';

/**
 * Shards of one topic of a broadcast, for the fan-out function: `shardCount` shards from `shard`
 * on (shared/broadcasts/fan-out-tasks.ts), streamed side by side so their residents share full
 * send jobs.
 */
export const fanOutTaskSchema = z.object({
  broadcastId: z.string().min(1),
  topicId: z.string().min(1),
  /** The task's first shard. */
  shard: z.number().int().nonnegative(),
  /** Shards the task streams, from `shard` on. Absent (tasks queued before tasks took several): one. */
  shardCount: z.number().int().positive().max(64).optional(),
});
export type FanOutTask = z.infer<typeof fanOutTaskSchema>;

const recipientSchema = z.object({ phone: z.string().startsWith('+'), channel: channelSchema });

/** Why a direct reply is sent; opt-out confirmations and help answers pass the opt-out check. */
export const replyPurposeSchema = z.enum(['confirmation', 'optOutConfirmation', 'help', 'answer']);
export type ReplyPurpose = z.infer<typeof replyPurposeSchema>;

/** What the send queues carry: many recipients of a broadcast, or one reply to one resident. */
export const sendJobSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('broadcast'),
    broadcastId: z.string().min(1),
    recipients: z.array(recipientSchema).min(1),
    /**
     * The topic the recipients were fanned out from: the sender checks they are still in it. Jobs
     * queued before it was added carry none and are checked for opt-out only.
     */
    topicId: z.string().min(1).optional(),
    /** Provider failures this batch has been handed back after (absent: none yet). */
    attempt: z.number().int().nonnegative().max(100).optional(),
  }),
  z.object({
    kind: z.literal('reply'),
    messageId: z.string().min(1),
    to: z.string().startsWith('+'),
    channel: channelSchema,
    body: z.string().min(1),
    purpose: replyPurposeSchema,
    /**
     * Our address the resident wrote to: the reply goes from it when it is an identity of the
     * provider carrying the reply (replySenderOf). Absent on jobs queued before identities.
     */
    from: z.string().min(1).optional(),
    /** The department the reply's cost goes to (absent on replies queued before costs were summed: general's). */
    department: z.string().min(1).optional(),
    /**
     * A staff reply from a saved template to a WhatsApp resident outside their 24-hour window: the
     * approved WhatsApp template the provider sends instead of `body` (shared/inbox/reply-rules.ts).
     */
    template: z.object({ name: z.string().min(1), language: z.string().min(1), parameters: z.array(z.string()) }).optional(),
  }),
]);
export type SendJob = z.infer<typeof sendJobSchema>;
export type BroadcastSendJob = Extract<SendJob, { kind: 'broadcast' }>;
export type ReplySendJob = Extract<SendJob, { kind: 'reply' }>;

/**
 * What the AWS SMS notifications queue carries: the SNS envelope of a notification, as a queue
 * subscribed without raw message delivery gets it. Its consumer (the aws-sms adapter) and the
 * dead-letter listing read it with this one schema.
 */
export const snsNotificationSchema = z.object({
  Type: z.string().min(1),
  MessageId: z.string().min(1),
  TopicArn: z.string().regex(/^arn:aws[a-z-]*:sns:/, 'must be an SNS topic ARN'),
  Message: z.string(),
  Timestamp: z.string().optional(),
});
