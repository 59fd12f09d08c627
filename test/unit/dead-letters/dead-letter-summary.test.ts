import { describe, expect, it } from 'vitest';
import type { QueueId } from '../../../shared/domain/queues.js';
import { summariseDeadLetter } from '../../../shared/dead-letters/dead-letter-summary.js';
import { aPhone } from '../../support/builders.js';

const AWS_SMS_TOPIC = 'arn:aws:sns:eu-west-2:123456789012:crier-aws-sms';
const snsEnvelope = (message: unknown) =>
  JSON.stringify({ Type: 'Notification', MessageId: 'sns-1', TopicArn: AWS_SMS_TOPIC, Message: JSON.stringify(message) });

/** One row per kind of job each queue carries, and the ways a body can be unreadable. */
const rows: { case: string; queue: QueueId; body: string; expected: unknown }[] = [
  {
    case: 'a fan-out task of one shard (queued before tasks took several)',
    queue: 'fanOut',
    body: JSON.stringify({ broadcastId: 'bc-1', topicId: 'traffic', shard: 5 }),
    expected: { kind: 'fanOutTask', broadcastId: 'bc-1', topicId: 'traffic', shard: 5 },
  },
  {
    case: "a fan-out task of a topic's shards",
    queue: 'fanOut',
    body: JSON.stringify({ broadcastId: 'bc-1', topicId: 'traffic', shard: 0, shardCount: 8 }),
    expected: { kind: 'fanOutTask', broadcastId: 'bc-1', topicId: 'traffic', shard: 0, shardCount: 8 },
  },
  {
    case: "a broadcast's recipients on the bulk lane",
    queue: 'sendBulk',
    body: JSON.stringify({ kind: 'broadcast', broadcastId: 'bc-2', recipients: [1, 2, 3].map((n) => ({ phone: aPhone(n), channel: 'sms' })) }),
    expected: { kind: 'broadcastSend', broadcastId: 'bc-2', recipients: 3 },
  },
  {
    case: "a broadcast's batch with its topic, handed back after provider failures",
    queue: 'sendUrgent',
    body: JSON.stringify({ kind: 'broadcast', broadcastId: 'bc-4', topicId: 'traffic', attempt: 7, recipients: [{ phone: aPhone(7), channel: 'whatsapp' }] }),
    expected: { kind: 'broadcastSend', broadcastId: 'bc-4', recipients: 1, topicId: 'traffic', attempt: 7 },
  },
  {
    case: 'a reply on the urgent lane',
    queue: 'sendUrgent',
    body: JSON.stringify({ kind: 'reply', messageId: 'msg-9', to: aPhone(9), channel: 'whatsapp', body: 'Reply STOP to stop', purpose: 'help' }),
    expected: { kind: 'reply', messageId: 'msg-9', purpose: 'help', channel: 'whatsapp' },
  },
  {
    case: "a resident's text from AWS SMS",
    queue: 'awsSmsNotifications',
    body: snsEnvelope({ originationNumber: aPhone(4), destinationNumber: '+447700900000', messageBody: 'JOIN TRAFFIC', inboundMessageId: 'in-1' }),
    expected: { kind: 'awsSmsNotification', snsMessageId: 'sns-1', notification: 'residentText' },
  },
  {
    case: 'a delivery event from AWS SMS',
    queue: 'awsSmsNotifications',
    body: snsEnvelope({ eventType: 'TEXT_DELIVERED', messageId: 'aws-1', destinationPhoneNumber: aPhone(5) }),
    expected: { kind: 'awsSmsNotification', snsMessageId: 'sns-1', notification: 'deliveryEvent', eventType: 'TEXT_DELIVERED' },
  },
  {
    case: 'an SNS message of another kind',
    queue: 'awsSmsNotifications',
    body: snsEnvelope({ something: 'else' }),
    expected: { kind: 'awsSmsNotification', snsMessageId: 'sns-1', notification: 'other' },
  },
  {
    case: 'a body that is not JSON',
    queue: 'sendBulk',
    body: `to ${aPhone(6)}: not json`,
    expected: { kind: 'unreadable', problem: 'the body is not JSON' },
  },
  {
    case: 'a send job with a number not in E.164',
    queue: 'sendBulk',
    body: JSON.stringify({ kind: 'broadcast', broadcastId: 'bc-3', recipients: [{ phone: '07700900123', channel: 'sms' }] }),
    expected: { kind: 'unreadable', problem: expect.stringMatching(/^not a send job: recipients\.0\.phone: /) },
  },
  {
    case: 'a fan-out task on a send lane',
    queue: 'sendUrgent',
    body: JSON.stringify({ broadcastId: 'bc-1', topicId: 'traffic', shard: 0 }),
    expected: { kind: 'unreadable', problem: expect.stringMatching(/^not a send job: kind: /) },
  },
  {
    case: 'a bare job on the AWS SMS queue',
    queue: 'awsSmsNotifications',
    body: JSON.stringify({ kind: 'reply' }),
    expected: { kind: 'unreadable', problem: expect.stringMatching(/^not an SNS notification: /) },
  },
];

describe('summariseDeadLetter', () => {
  it.each(rows)('$case', ({ queue, body, expected }) => {
    // Prepare
    const raw = body;

    // Act
    const summary = summariseDeadLetter(queue, raw);

    // Assess
    expect(summary).toEqual(expected);
    expect(JSON.stringify(summary)).not.toMatch(/7700900\d{3}|STOP|JOIN/);
  });
});
