import { describe, expect, it } from 'vitest';
import eventDelivered from '../../../../events/aws-sms/event-delivered.json';
import inboundJoin from '../../../../events/aws-sms/inbound-join.json';
import { ConfigurationError, ForbiddenError, ValidationError } from '../../../domain/errors.js';
import type { WebhookRequest } from '../../../ports/provider-webhooks.js';
import { noProviderSettings } from '../settings-source.js';
import { awsSmsWebhooks } from './provider-webhooks.js';

const QUEUE_ARN = 'arn:aws:sqs:eu-west-2:123456789012:crier-aws-sms-notifications';
const TOPICS = [inboundJoin.TopicArn, eventDelivered.TopicArn];

/** AWS SMS's webhooks as the notifications function builds them: its topics, and no provider settings at all. */
function webhooks(topics: { awsSmsTopicArns?: readonly string[] } = { awsSmsTopicArns: TOPICS }) {
  return awsSmsWebhooks({ settings: noProviderSettings, defaultCountry: 'GB', ...topics });
}

/** An SNS notification as the SQS queue subscribed to the topic delivers it (no raw message delivery). */
function queued(notification: object | string): WebhookRequest {
  const rawBody = typeof notification === 'string' ? notification : JSON.stringify(notification);
  return { publicUrl: QUEUE_ARN, path: '', query: {}, headers: {}, rawBody };
}

describe('AWS SMS webhooks: verify', () => {
  it.each([
    ['a two-way SMS from the inbound topic', inboundJoin],
    ['a delivery event from the events topic', eventDelivered],
  ])('accepts %s', async (_case, notification) => {
    // Prepare
    const subject = webhooks();

    // Act
    const verified = subject.verify(queued(structuredClone(notification)));

    // Assess
    await expect(verified).resolves.toBeUndefined();
  });

  it.each<[string, object | string, new (...args: never[]) => Error, string]>([
    [
      'a notification from another topic',
      { ...inboundJoin, TopicArn: 'arn:aws:sns:eu-west-2:999999999999:someone-else' },
      ForbiddenError,
      "SNS topic arn:aws:sns:eu-west-2:999999999999:someone-else is not one of this deployment's AWS SMS topics",
    ],
    ['a notification without its TopicArn', { ...inboundJoin, TopicArn: undefined }, ValidationError, 'invalid SNS notification'],
    ['a body that is not an SNS notification', '<xml/>', ValidationError, 'the SNS notification is not valid JSON'],
  ])('refuses %s', async (_case, notification, kind, message) => {
    // Prepare
    const subject = webhooks();

    // Act
    const verified = subject.verify(queued(notification));

    // Assess
    await expect(verified).rejects.toBeInstanceOf(kind);
    await expect(verified).rejects.toThrow(message);
  });

  it('cannot verify without the deployment\'s topics, and says which setting is missing', async () => {
    // Prepare
    const subject = webhooks({});

    // Act
    const verified = subject.verify(queued(structuredClone(inboundJoin)));

    // Assess
    await expect(verified).rejects.toThrow(new ConfigurationError('AWS_SMS_TOPIC_ARNS is not set, so AWS SMS notifications cannot be checked'));
  });
});

describe('AWS SMS webhooks: parse', () => {
  it('reads a two-way SMS as one resident\'s text', () => {
    // Prepare
    const subject = webhooks();

    // Act
    const batch = subject.parse(queued(structuredClone(inboundJoin)));

    // Assess
    expect(batch).toEqual({
      inbound: [expect.objectContaining({ provider: 'aws-sms', from: '+447700900123', channel: 'sms', body: 'JOIN TRAFFIC' })],
      receipts: [],
      unidentified: [],
      skipped: [],
      accountErrors: [],
    });
  });

  it('reads a delivery event as one receipt', () => {
    // Prepare
    const subject = webhooks();

    // Act
    const batch = subject.parse(queued(structuredClone(eventDelivered)));

    // Assess
    expect(batch.receipts).toEqual([expect.objectContaining({ provider: 'aws-sms', status: 'delivered' })]);
    expect(batch.inbound).toEqual([]);
  });
});
