import { describe, expect, it } from 'vitest';
import eventDelivered from '../../../../events/aws-sms/event-delivered.json';
import type { MessageStatus } from '../../../domain/model.js';
import { parseAwsSmsNotification } from './inbound.js';
import { awsSmsEventToMessageStatus, awsSmsEventTypeSchema, type AwsSmsEventType } from './status-mapping.js';

/** The expected reading of every SMS event type, written out independently of the table. */
const expected: ReadonlyArray<[AwsSmsEventType, MessageStatus]> = [
  ['TEXT_QUEUED', 'queued'],
  ['TEXT_PENDING', 'sent'],
  ['TEXT_SUCCESSFUL', 'delivered'],
  ['TEXT_DELIVERED', 'delivered'],
  ['TEXT_BLOCKED', 'undelivered'],
  ['TEXT_TTL_EXPIRED', 'undelivered'],
  ['TEXT_CARRIER_UNREACHABLE', 'undelivered'],
  ['TEXT_CARRIER_BLOCKED', 'undelivered'],
  ['TEXT_UNREACHABLE', 'undelivered'],
  ['TEXT_SPAM', 'undelivered'],
  ['TEXT_UNKNOWN', 'undelivered'],
  ['TEXT_INVALID', 'failed'],
  ['TEXT_INVALID_MESSAGE', 'failed'],
  ['TEXT_PROTECT_BLOCKED', 'failed'],
];

/** The delivered fixture with another event type, as SNS would carry it. */
function notificationWith(eventType: string): unknown {
  const notification = structuredClone(eventDelivered);
  notification.Message = JSON.stringify({ ...JSON.parse(notification.Message), eventType });
  return notification;
}

describe('awsSmsEventToMessageStatus', () => {
  it('covers exactly the event types of the schema, and this test covers them all', () => {
    // Prepare
    const declared = awsSmsEventTypeSchema.options;

    // Act
    const mapped = Object.keys(awsSmsEventToMessageStatus);

    // Assess
    expect(mapped.sort()).toEqual([...declared].sort());
    expect(expected.map(([type]) => type).sort()).toEqual([...declared].sort());
  });

  it.each(expected)('an event of type %s records the message as %s', (eventType, status) => {
    // Prepare
    const notification = notificationWith(eventType);

    // Act
    const parsed = parseAwsSmsNotification(notification, { defaultCountry: 'GB' });

    // Assess
    expect(awsSmsEventToMessageStatus[eventType]).toBe(status);
    expect(parsed).toMatchObject({ kind: 'receipt', receipt: { status, messageId: 'bc-0001-447700900123' } });
  });
});
