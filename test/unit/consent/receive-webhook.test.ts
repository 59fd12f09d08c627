import { describe, expect, it } from 'vitest';
import eventDelivered from '../../../events/aws-sms/event-delivered.json';
import inboundJoin from '../../../events/aws-sms/inbound-join.json';
import { awsSmsWebhooks } from '../../../shared/adapters/providers/aws-sms/provider-webhooks.js';
import { noProviderSettings } from '../../../shared/adapters/providers/settings-source.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../shared/domain/errors.js';
import type { InboundText, StatusReport } from '../../../shared/domain/inbound.js';
import type { ProviderWebhooks, WebhookBatch, WebhookRequest } from '../../../shared/ports/provider-webhooks.js';
import type { InboundLog } from '../../../shared/inbox/inbound-log.js';
import { answerHandshake, receiveWebhook } from '../../../shared/consent/receive-webhook.js';
import { AT, aMessageRecord, aPhone, aTopic } from '../../support/builders.js';
import { inMemoryInboundDependencies } from '../../support/in-memory-stores.js';

const RESIDENT = aPhone(123);
const MESSAGE_ID = 'bc-0001-447700900123';
const QUEUE_ARN = 'arn:aws:sqs:eu-west-2:123456789012:crier-aws-sms-notifications';

async function setUp() {
  const world = inMemoryInboundDependencies();
  await world.stores.topics.create(aTopic({ id: 'traffic', name: 'Traffic alerts', keywords: ['TRAFFIC'] }));
  await world.stores.messages.claim(aMessageRecord({ messageId: MESSAGE_ID, broadcastId: undefined, to: RESIDENT, status: 'sent' }));
  return world;
}

/** AWS SMS's webhooks as the notifications function builds them: its two topics, no provider settings. */
const awsSms = awsSmsWebhooks({
  settings: noProviderSettings,
  defaultCountry: 'GB',
  awsSmsTopicArns: [inboundJoin.TopicArn, eventDelivered.TopicArn],
});

/** An SNS notification as the SQS queue subscribed to the topic delivers it. */
function queued(notification: object): WebhookRequest {
  return { publicUrl: QUEUE_ARN, path: '', query: {}, headers: {}, rawBody: JSON.stringify(notification) };
}

/** Any request: the scripted webhooks below ignore it. */
const ANY_REQUEST: WebhookRequest = { publicUrl: 'https://crier.example.gov.uk/webhooks/x', path: '/webhooks/x', query: {}, headers: {}, rawBody: '' };

/** Webhooks that accept every request and carry this batch: for what receiving does with a batch. */
function scriptedWebhooks(batch: Partial<WebhookBatch>): ProviderWebhooks {
  return {
    source: 'whatsapp-cloud',
    verify: async () => undefined,
    parse: () => ({ inbound: [], receipts: [], unidentified: [], skipped: [], accountErrors: [], ...batch }),
  };
}

/** An inbound log whose `begin` refuses one text as the domain refuses bad input: for a refusal that can never succeed. */
function refuseBody(log: InboundLog, body: string): InboundLog {
  return Object.assign(Object.create(Object.getPrototypeOf(log)), log, {
    begin: (provider: string, id: string, record: Parameters<InboundLog['begin']>[2]) =>
      record.body === body ? Promise.reject(new ValidationError('a text crier refuses')) : log.begin(provider, id, record),
  });
}

function aText(providerMessageId: string, body: string): InboundText {
  return { provider: 'whatsapp-cloud', providerMessageId, from: RESIDENT, channel: 'whatsapp', to: '+447700900000', body };
}

const DELIVERED: StatusReport = { provider: 'whatsapp-cloud', providerMessageId: 'wamid.1', messageId: MESSAGE_ID, status: 'delivered', errorCode: undefined };

describe('receiveWebhook', () => {
  it('routes a resident\'s two-way SMS like any text: subscribed, with the AWS inbound id as consent evidence, and answered', async () => {
    // Prepare
    const { deps, stores, replyQueue } = await setUp();

    // Act
    const summary = await receiveWebhook(deps, awsSms, queued(structuredClone(inboundJoin)));

    // Assess
    expect(summary).toEqual({ messages: 1, statuses: 0, skipped: 0 });
    expect(await stores.subscribers.subscriptions(RESIDENT)).toEqual([{ phone: RESIDENT, channel: 'sms', topicId: 'traffic', since: AT }]);
    expect(await stores.subscribers.consentHistory(RESIDENT)).toEqual([
      expect.objectContaining({
        action: 'opt_in',
        evidence: { kind: 'inbound', provider: 'aws-sms', providerMessageId: 'cae173d2-66b9-564c-8309-21f858e9fb84', text: 'JOIN TRAFFIC' },
      }),
    ]);
    expect(replyQueue.sent).toEqual([expect.objectContaining({ to: RESIDENT, channel: 'sms' })]);
  });

  it('does nothing twice when SNS delivers the same text again', async () => {
    // Prepare
    const { deps, replyQueue } = await setUp();
    await receiveWebhook(deps, awsSms, queued(structuredClone(inboundJoin)));

    // Act
    await receiveWebhook(deps, awsSms, queued(structuredClone(inboundJoin)));

    // Assess
    expect(replyQueue.sent).toHaveLength(1);
  });

  it('applies a delivery event to the message named in its context', async () => {
    // Prepare
    const { deps, stores } = await setUp();

    // Act
    const summary = await receiveWebhook(deps, awsSms, queued(structuredClone(eventDelivered)));

    // Assess
    expect(summary).toEqual({ messages: 0, statuses: 1, skipped: 0 });
    expect(await stores.messages.get(MESSAGE_ID)).toMatchObject({ status: 'delivered' });
  });

  it('skips what carries nothing to act on, touching nothing but its record in the inbound log', async () => {
    // Prepare
    const { deps, stores } = await setUp();

    // Act
    const summary = await receiveWebhook(deps, awsSms, queued({ ...structuredClone(eventDelivered), Type: 'SubscriptionConfirmation' }));

    // Assess
    expect(summary).toEqual({ messages: 0, statuses: 0, skipped: 1 });
    expect(await stores.inbound.skippedItem('aws-sms', eventDelivered.MessageId)).toEqual({
      provider: 'aws-sms',
      itemId: eventDelivered.MessageId,
      kind: 'other',
      path: 'Message',
      reason: 'SNS message type "SubscriptionConfirmation" carries no SMS',
      at: AT,
    });
    expect(await stores.messages.get(MESSAGE_ID)).toMatchObject({ status: 'sent' });
  });

  it('records a receipt for a message crier never sent as skipped, and applies the rest', async () => {
    // Prepare
    const { deps, stores } = await setUp();
    const stranger: StatusReport = { ...DELIVERED, providerMessageId: 'wamid.stranger', messageId: 'no-such-message' };
    const webhooks = scriptedWebhooks({ receipts: [stranger, DELIVERED] });

    // Act
    const summary = await receiveWebhook(deps, webhooks, ANY_REQUEST);

    // Assess
    expect(summary).toEqual({ messages: 0, statuses: 1, skipped: 1 });
    expect(await stores.messages.get(MESSAGE_ID)).toMatchObject({ status: 'delivered' });
    expect(await stores.inbound.skippedItem('whatsapp-cloud', 'wamid.stranger')).toMatchObject({
      kind: 'status',
      reason: 'a "delivered" status for a message crier has no record of sending',
    });
  });

  it('records a STOP from a sender with no phone number as an opt-out it could not act on, keeping neither the id nor the words', async () => {
    // Prepare
    const { deps, stores, replyQueue } = await setUp();
    const webhooks = scriptedWebhooks({
      unidentified: [{ path: 'entry.0.changes.0.value.messages.0', provider: 'whatsapp-cloud', providerMessageId: 'wamid.bsuid', channel: 'whatsapp', body: 'STOP' }],
    });

    // Act
    const summary = await receiveWebhook(deps, webhooks, ANY_REQUEST);

    // Assess
    expect(summary).toEqual({ messages: 0, statuses: 0, skipped: 1 });
    const record = await stores.inbound.skippedItem('whatsapp-cloud', 'wamid.bsuid');
    expect(record?.reason).toMatch(/^an opt-out \(STOP\) from a sender with no phone number/);
    expect(JSON.stringify(record)).not.toContain('"STOP"');
    expect(replyQueue.sent).toEqual([]);
  });

  it('records a text the domain refuses as skipped and still acts on the STOP after it', async () => {
    // Prepare
    const { deps, stores, replyQueue } = await setUp();
    await stores.subscribers.subscribe(RESIDENT, 'whatsapp', 'traffic', AT, { kind: 'inbound', provider: 'whatsapp-cloud', providerMessageId: 'wamid.join', text: 'JOIN TRAFFIC' });
    const refusing = { ...deps, stores: { ...deps.stores, inbound: refuseBody(deps.stores.inbound, 'odd') } };
    const webhooks = scriptedWebhooks({ inbound: [aText('wamid.odd', 'odd'), aText('wamid.stop', 'STOP')] });

    // Act
    const summary = await receiveWebhook(refusing, webhooks, ANY_REQUEST);

    // Assess
    expect(summary).toEqual({ messages: 1, statuses: 0, skipped: 1 });
    expect(await stores.subscribers.subscriptions(RESIDENT)).toEqual([]);
    expect(replyQueue.sent).toEqual([expect.objectContaining({ to: RESIDENT, purpose: 'optOutConfirmation' })]);
    expect(await stores.inbound.skippedItem('whatsapp-cloud', 'wamid.odd')).toMatchObject({ kind: 'message', reason: 'crier refused it: a text crier refuses' });
  });

  it('refuses a request that fails verification before anything is stored', async () => {
    // Prepare
    const { deps, stores, replyQueue } = await setUp();
    const forged = { ...structuredClone(inboundJoin), TopicArn: 'arn:aws:sns:eu-west-2:999999999999:someone-else' };

    // Act
    const attempt = receiveWebhook(deps, awsSms, queued(forged));

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ForbiddenError);
    expect(await stores.subscribers.subscriptions(RESIDENT)).toEqual([]);
    expect(await stores.subscribers.consentHistory(RESIDENT)).toEqual([]);
    expect(replyQueue.sent).toEqual([]);
  });

  it('acts on texts in payload order: a JOIN after a STOP leaves the resident subscribed', async () => {
    // Prepare
    const { deps, stores } = await setUp();
    const webhooks = scriptedWebhooks({ inbound: [aText('wamid.stop', 'STOP'), aText('wamid.join', 'JOIN TRAFFIC')] });

    // Act
    await receiveWebhook(deps, webhooks, ANY_REQUEST);

    // Assess
    expect(await stores.subscribers.subscriptions(RESIDENT)).toEqual([expect.objectContaining({ topicId: 'traffic', channel: 'whatsapp' })]);
  });

  it('stops at the first failure: nothing after it is acted on, so the provider\'s retry redoes it in order', async () => {
    // Prepare
    const { deps, stores, replyQueue } = await setUp();
    replyQueue.failNextSend(new Error('the send queue is down'));
    const webhooks = scriptedWebhooks({ inbound: [aText('wamid.join', 'JOIN TRAFFIC')], receipts: [DELIVERED] });

    // Act
    const attempt = receiveWebhook(deps, webhooks, ANY_REQUEST);

    // Assess
    await expect(attempt).rejects.toThrow('the send queue is down');
    expect(await stores.messages.get(MESSAGE_ID)).toMatchObject({ status: 'sent' });
  });

  it('refuses a resident\'s text where only receipts are taken (no reply queue), acting on nothing', async () => {
    // Prepare
    const { deps, stores } = await setUp();
    const { replies: _replies, settings: _settings, ...receiptsOnly } = deps;
    const webhooks = scriptedWebhooks({ inbound: [aText('wamid.join', 'JOIN TRAFFIC')], receipts: [DELIVERED] });

    // Act
    const attempt = receiveWebhook(receiptsOnly, webhooks, ANY_REQUEST);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    expect(await stores.subscribers.subscriptions(RESIDENT)).toEqual([]);
    expect(await stores.messages.get(MESSAGE_ID)).toMatchObject({ status: 'sent' });
  });
});

describe('answerHandshake', () => {
  it('answers 404 for a provider that has no handshake', async () => {
    // Prepare
    const webhooks = awsSms;

    // Act
    const attempt = answerHandshake(webhooks, queued(structuredClone(inboundJoin)));

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(NotFoundError);
  });
});
