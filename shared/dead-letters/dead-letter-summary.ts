import { z } from 'zod';
import { fanOutTaskSchema, sendJobSchema, snsNotificationSchema, type ReplyPurpose } from '../domain/jobs.js';
import type { Channel } from '../domain/model.js';
import type { QueueId } from '../domain/queues.js';

/**
 * What a dead letter was meant to do, read from its job: enough for an operator to decide whether
 * to redrive it, and never a resident's number or the text of a message. Declared here (the admin
 * API's deadLetterJobSchema is checked against it in shared/api/dead-letter-schemas.ts).
 */
export type DeadLetterJob =
  | { kind: 'fanOutTask'; broadcastId: string; topicId: string; shard: number; shardCount?: number | undefined }
  | { kind: 'broadcastSend'; broadcastId: string; recipients: number; topicId?: string | undefined; attempt?: number | undefined }
  | { kind: 'reply'; messageId: string; purpose: ReplyPurpose; channel: Channel }
  | { kind: 'awsSmsNotification'; snsMessageId: string; notification: 'residentText' | 'deliveryEvent' | 'other'; eventType?: string | undefined }
  // Not a job this queue's consumer takes: what is wrong with it, by field, never its content.
  | { kind: 'unreadable'; problem: string };

/** The two kinds of AWS SMS notification, told apart by the one field each always has. */
const residentTextSchema = z.object({ inboundMessageId: z.string() });
const deliveryEventSchema = z.object({ eventType: z.string() });

/**
 * What a dead letter's job was, parsed with the schema its queue's consumer uses, keeping only
 * ids and counts: recipients' numbers, reply texts and residents' messages are left out, so the
 * listing can be shown on a screen, pasted in a ticket or logged.
 */
export function summariseDeadLetter(queue: QueueId, body: string): DeadLetterJob {
  const json = parseJson(body);
  if (json === undefined) return { kind: 'unreadable', problem: 'the body is not JSON' };
  switch (queue) {
    case 'fanOut': {
      const task = fanOutTaskSchema.safeParse(json);
      if (!task.success) return unreadable('a fan-out task', task.error);
      const { broadcastId, topicId, shard, shardCount } = task.data;
      return { kind: 'fanOutTask', broadcastId, topicId, shard, ...(shardCount === undefined ? {} : { shardCount }) };
    }
    case 'sendUrgent':
    case 'sendBulk': {
      const job = sendJobSchema.safeParse(json);
      if (!job.success) return unreadable('a send job', job.error);
      if (job.data.kind === 'reply') return { kind: 'reply', messageId: job.data.messageId, purpose: job.data.purpose, channel: job.data.channel };
      const { broadcastId, recipients, topicId, attempt } = job.data;
      return {
        kind: 'broadcastSend',
        broadcastId,
        recipients: recipients.length,
        ...(topicId === undefined ? {} : { topicId }),
        ...(attempt === undefined ? {} : { attempt }),
      };
    }
    case 'awsSmsNotifications':
      return summariseNotification(json);
  }
}

function summariseNotification(json: unknown): DeadLetterJob {
  const envelope = snsNotificationSchema.safeParse(json);
  if (!envelope.success) return unreadable('an SNS notification', envelope.error);
  const snsMessageId = envelope.data.MessageId;
  const payload = parseJson(envelope.data.Message);
  if (residentTextSchema.safeParse(payload).success) return { kind: 'awsSmsNotification', snsMessageId, notification: 'residentText' };
  const event = deliveryEventSchema.safeParse(payload);
  if (event.success) return { kind: 'awsSmsNotification', snsMessageId, notification: 'deliveryEvent', eventType: event.data.eventType };
  return { kind: 'awsSmsNotification', snsMessageId, notification: 'other' };
}

/** Names the first field at fault and what is wrong with it; zod's messages never quote the value. */
function unreadable(expected: string, error: z.ZodError): DeadLetterJob {
  const issue = error.issues[0];
  const field = issue?.path.map(String).join('.') || 'body';
  return { kind: 'unreadable', problem: `not ${expected}: ${field}: ${issue?.message ?? 'invalid'}` };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
