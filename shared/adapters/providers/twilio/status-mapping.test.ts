import type { MessageStatus as SdkMessageStatus } from 'twilio/lib/rest/api/v2010/account/message.js';
import { describe, expect, expectTypeOf, it } from 'vitest';
import statusDelivered from '../../../../events/twilio/status-delivered.json';
import type { MessageStatus } from '../../../domain/model.js';
import { twilioMessageStatusSchema, twilioStatusToMessageStatus, type TwilioMessageStatus } from './status-mapping.js';
import { parseTwilioStatus } from './webhooks.js';

/** The expected reading of every Twilio status, written out independently of the table. */
const expected: ReadonlyArray<[TwilioMessageStatus, MessageStatus]> = [
  ['queued', 'queued'],
  ['accepted', 'queued'],
  ['scheduled', 'queued'],
  ['sending', 'sending'],
  ['sent', 'sent'],
  ['delivered', 'delivered'],
  ['undelivered', 'undelivered'],
  ['failed', 'failed'],
  ['read', 'read'],
  ['receiving', 'queued'],
  ['received', 'queued'],
  ['canceled', 'failed'],
  ['partially_delivered', 'undelivered'],
];

describe('twilioStatusToMessageStatus', () => {
  it('covers exactly the statuses the twilio SDK declares', () => {
    // Prepare
    const declared = twilioMessageStatusSchema.options;

    // Act
    const mapped = Object.keys(twilioStatusToMessageStatus);

    // Assess
    expectTypeOf<TwilioMessageStatus>().toEqualTypeOf<SdkMessageStatus>();
    expect(mapped.sort()).toEqual([...declared].sort());
    expect(expected.map(([status]) => status).sort()).toEqual([...declared].sort());
  });

  it.each(expected)('a status callback with MessageStatus=%s records the message as %s', (twilioStatus, messageStatus) => {
    // Prepare
    const params = { ...structuredClone(statusDelivered), MessageStatus: twilioStatus };

    // Act
    const [report] = parseTwilioStatus(params, '01J0CRIERMESSAGE0000000001').receipts;

    // Assess
    expect(twilioStatusToMessageStatus[twilioStatus]).toBe(messageStatus);
    expect(report?.status).toBe(messageStatus);
  });
});
