import { describe, expect, it } from 'vitest';
import eventCarrierUnreachable from '../../../../events/aws-sms/event-carrier-unreachable.json';
import eventDelivered from '../../../../events/aws-sms/event-delivered.json';
import inboundJoin from '../../../../events/aws-sms/inbound-join.json';
import { parseAwsSmsNotification, type AwsSmsParseOptions } from './inbound.js';
import { validationError } from '../../../../test/support/thrown.js';

const fixtures = { inboundJoin, eventDelivered, eventCarrierUnreachable };
type Fixture = (typeof fixtures)[keyof typeof fixtures];
function fixture(name: keyof typeof fixtures): Fixture {
  return structuredClone(fixtures[name]);
}
/** The fixture with its SNS `Message` JSON edited. */
function withMessage(name: keyof typeof fixtures, edit: (message: Record<string, unknown>) => void): Fixture {
  const notification = fixture(name);
  const message = JSON.parse(notification.Message) as Record<string, unknown>;
  edit(message);
  notification.Message = JSON.stringify(message);
  return notification;
}

const OPTIONS: AwsSmsParseOptions = { defaultCountry: 'GB' };

describe('parseAwsSmsNotification: two-way SMS', () => {
  it('reads a resident\'s text: AWS\'s inbound id, sender and our number in E.164, the text', () => {
    // Prepare
    const notification = fixture('inboundJoin');

    // Act
    const parsed = parseAwsSmsNotification(notification, OPTIONS);

    // Assess
    expect(parsed).toEqual({
      kind: 'inbound',
      snsMessageId: notification.MessageId,
      inbound: {
        provider: 'aws-sms',
        providerMessageId: 'cae173d2-66b9-564c-8309-21f858e9fb84',
        from: '+447700900123',
        channel: 'sms',
        to: '+447700900000',
        body: 'JOIN TRAFFIC',
      },
    });
  });

  it('reads the notification as an SQS queue subscribed to the topic receives it: a JSON string', () => {
    // Prepare
    const body = JSON.stringify(fixture('inboundJoin'));

    // Act
    const parsed = parseAwsSmsNotification(body, OPTIONS);

    // Assess
    expect(parsed).toMatchObject({ kind: 'inbound', inbound: { body: 'JOIN TRAFFIC' } });
  });

  it.each<[string, (message: Record<string, unknown>) => void, string]>([
    ['a missing messageBody', (message) => delete message.messageBody, 'a two-way SMS crier cannot read (messageBody Invalid input: expected string, received undefined)'],
    ['a sender that is not a phone number', (message) => (message.originationNumber = 'not-a-number'), "the sender's number is not a valid phone number"],
    ['a short code sender', (message) => (message.originationNumber = '88022'), "the sender's number is not a valid phone number"],
    ['an empty text', (message) => (message.messageBody = ' '), 'an empty message'],
  ])('skips a two-way SMS with %s under its inbound id, with the reason and never the number', (_case, edit, reason) => {
    // Prepare
    const notification = withMessage('inboundJoin', edit);

    // Act
    const parsed = parseAwsSmsNotification(notification, OPTIONS);

    // Assess
    expect(parsed).toEqual({ kind: 'skipped', snsMessageId: notification.MessageId, id: 'cae173d2-66b9-564c-8309-21f858e9fb84', item: 'message', reason });
  });
});

describe('parseAwsSmsNotification: delivery events', () => {
  it('reads a delivered event with crier\'s message id from its context', () => {
    // Prepare
    const notification = fixture('eventDelivered');

    // Act
    const parsed = parseAwsSmsNotification(notification, OPTIONS);

    // Assess
    expect(parsed).toEqual({
      kind: 'receipt',
      snsMessageId: notification.MessageId,
      receipt: {
        provider: 'aws-sms',
        providerMessageId: '862a8790-60c0-4430-9b2b-658bdexample',
        messageId: 'bc-0001-447700900123',
        status: 'delivered',
        errorCode: undefined,
        // totalMessagePrice plus totalCarrierFee, in the dollars AWS bills in.
        price: { amount: 0.0394, currency: 'USD' },
      },
    });
  });

  it('adds the carrier fee to the price and reports none when the event has none', () => {
    // Prepare
    const withFee = withMessage('eventDelivered', (message) => void (message.totalCarrierFee = 0.0025));
    const withoutPrice = withMessage('eventDelivered', (message) => void delete message.totalMessagePrice);

    // Act
    const charged = parseAwsSmsNotification(withFee, OPTIONS);
    const unpriced = parseAwsSmsNotification(withoutPrice, OPTIONS);

    // Assess
    expect(charged.kind === 'receipt' && charged.receipt.price).toEqual({ amount: 0.0394 + 0.0025, currency: 'USD' });
    expect(unpriced.kind === 'receipt' && unpriced.receipt.price).toBeUndefined();
  });

  it('keeps AWS\'s message status as the error code of a failure', () => {
    // Prepare
    const notification = fixture('eventCarrierUnreachable');

    // Act
    const parsed = parseAwsSmsNotification(notification, OPTIONS);

    // Assess
    expect(parsed).toMatchObject({ kind: 'receipt', receipt: { status: 'undelivered', errorCode: 'CARRIER_UNREACHABLE' } });
  });

  it('reads an event without context (a message not sent by crier) with no message id', () => {
    // Prepare
    const notification = withMessage('eventDelivered', (message) => {
      delete message.context;
    });

    // Act
    const parsed = parseAwsSmsNotification(notification, OPTIONS);

    // Assess
    expect(parsed).toMatchObject({ kind: 'receipt', receipt: { messageId: undefined } });
  });

  it.each(['VOICE_COMPLETED', 'MEDIA_DELIVERED', 'TEXT_SOMETHING_NEW'])('skips an event of type %s rather than refusing it', (eventType) => {
    // Prepare
    const notification = withMessage('eventDelivered', (message) => {
      message.eventType = eventType;
    });

    // Act
    const parsed = parseAwsSmsNotification(notification, OPTIONS);

    // Assess
    expect(parsed).toMatchObject({ kind: 'skipped', reason: expect.stringContaining(eventType) });
  });
});

describe('parseAwsSmsNotification: the SNS envelope', () => {
  it('skips a subscription confirmation, which carries no SMS', () => {
    // Prepare
    const notification = { ...fixture('inboundJoin'), Type: 'SubscriptionConfirmation' };

    // Act
    const parsed = parseAwsSmsNotification(notification, OPTIONS);

    // Assess
    expect(parsed).toMatchObject({ kind: 'skipped' });
  });

  it.each([
    ['a missing TopicArn', { TopicArn: undefined }, 'TopicArn'],
    ['a TopicArn that is not an SNS ARN', { TopicArn: 'crier-sms' }, 'TopicArn'],
    ['a missing Message', { Message: undefined }, 'Message'],
  ])('names %s', (_case, override, field) => {
    // Prepare
    const notification = { ...fixture('inboundJoin'), ...override };

    // Act
    const error = validationError(() => parseAwsSmsNotification(notification, OPTIONS));

    // Assess
    expect(error.details.map((issue) => issue.field)).toEqual([field]);
  });

  it.each([
    ['a Message that is not JSON', { Message: 'JOIN TRAFFIC' }, 'the SNS Message is not JSON'],
    ['a Message that is neither a text nor an event', { Message: '{"hello":"world"}' }, 'the SNS Message is neither a two-way SMS (inboundMessageId) nor an SMS event (eventType)'],
  ])('skips %s under the SNS message id, with the reason', (_case, override, reason) => {
    // Prepare
    const notification = { ...fixture('inboundJoin'), ...override };

    // Act
    const parsed = parseAwsSmsNotification(notification, OPTIONS);

    // Assess
    expect(parsed).toEqual({ kind: 'skipped', snsMessageId: notification.MessageId, id: notification.MessageId, item: 'other', reason });
  });

  it('refuses a body that is not JSON', () => {
    // Prepare
    const body = '<xml/>';

    // Act
    const error = validationError(() => parseAwsSmsNotification(body, OPTIONS));

    // Assess
    expect(error.details).toEqual([{ field: 'body', message: 'must be JSON' }]);
  });
});
