import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { awsClients } from '../../shared/adapters/aws-clients.js';
import { dynamoStores } from '../../shared/adapters/dynamo/stores.js';
import { inboxEntryId } from '../../shared/inbox/entry-id.js';
import type { Channel, MessageStatus } from '../../shared/domain/model.js';
import type { Stores } from '../../shared/ports/stores.js';
import { aMessageRecord } from '../support/builders.js';
import { LocalStackClient } from '../support/local-stack-client.js';

/**
 * Every payload shape a provider sends, through the real handlers of a running local stack: the
 * status the provider gets back, and what crier did with it. A signed delivery in the provider's
 * envelope is always acknowledged; what crier cannot act on is in the inbound log with its reason.
 * One row per shape; each fixture is events/<provider>/<shape>.json. docs/security.md, "Provider
 * webhooks", is this table in words.
 */

type Provider = 'whatsapp-cloud' | 'twilio' | 'aws-sms';

/** What crier did with a delivery, as the row expects it. */
type Outcome =
  | { does: 'subscribes'; resident: string; channel: Channel; topicId: string }
  | { does: 'opts out'; resident: string; channel: Channel }
  | { does: 'inboxes'; provider: Provider; id: string }
  | { does: 'updates the status'; messageId: string; status: MessageStatus; errorCode?: string }
  | { does: 'records and skips'; provider: Provider; id: string; reason: string | RegExp }
  | { does: 'logs an error about the account, acting on nothing' }
  | { does: 'refuses'; status: 400 | 403 };

/** How a row reaches crier: an HTTP webhook (its status comes back), or a notification on the AWS SMS queue. */
type Delivery =
  | { via: 'whatsapp'; fixture: string; raw?: string; secret?: string }
  | { via: 'twilio'; path: 'inbound' | 'status'; fixture: string; messageId?: string }
  | { via: 'aws-sms'; fixture: string };

interface Row {
  shape: string;
  delivery: Delivery;
  outcome: Outcome;
}

const APP_SECRET = 'e2e-whatsapp-app-secret';
const AUTH_TOKEN = 'e2e-twilio-token';

/** The wamid of the first message (or status) of a WhatsApp fixture: what a skipped one is recorded under. */
const whatsappId = (fixture: string, index = 0, list: 'messages' | 'statuses' = 'messages'): string =>
  (fixtureOf('whatsapp-cloud', fixture) as any).entry[0].changes[0].value[list][index].id;

/** A fresh copy of events/<provider>/<name>.json, read as a provider would send it. */
function fixtureOf(provider: Provider, name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../events/${provider}/${name}.json`, import.meta.url), 'utf8'));
}

const rows: Row[] = [
  // ---- WhatsApp Cloud API: residents' messages ----
  { shape: 'WhatsApp text', delivery: { via: 'whatsapp', fixture: 'text-join' }, outcome: { does: 'subscribes', resident: '+447700900123', channel: 'whatsapp', topicId: 'traffic' } },
  { shape: 'WhatsApp template quick-reply button', delivery: { via: 'whatsapp', fixture: 'button-reply' }, outcome: { does: 'opts out', resident: '+447700900123', channel: 'whatsapp' } },
  { shape: 'WhatsApp interactive button_reply', delivery: { via: 'whatsapp', fixture: 'interactive-button-reply' }, outcome: { does: 'subscribes', resident: '+447700900124', channel: 'whatsapp', topicId: 'traffic' } },
  { shape: 'WhatsApp interactive list_reply', delivery: { via: 'whatsapp', fixture: 'interactive-list-reply' }, outcome: { does: 'subscribes', resident: '+447700900125', channel: 'whatsapp', topicId: 'youth' } },
  { shape: 'WhatsApp image with a keyword as its caption', delivery: { via: 'whatsapp', fixture: 'image-caption-join' }, outcome: { does: 'subscribes', resident: '+447700900141', channel: 'whatsapp', topicId: 'traffic' } },
  { shape: 'WhatsApp image with a sentence as its caption', delivery: { via: 'whatsapp', fixture: 'image-caption-inbox' }, outcome: { does: 'inboxes', provider: 'whatsapp-cloud', id: whatsappId('image-caption-inbox') } },
  { shape: 'WhatsApp image with no caption', delivery: { via: 'whatsapp', fixture: 'image-no-caption' }, outcome: { does: 'records and skips', provider: 'whatsapp-cloud', id: whatsappId('image-no-caption'), reason: 'an image with no caption: crier keeps no media and acts on text only' } },
  { shape: 'WhatsApp voice note', delivery: { via: 'whatsapp', fixture: 'audio' }, outcome: { does: 'records and skips', provider: 'whatsapp-cloud', id: whatsappId('audio'), reason: 'a voice note or audio file: crier acts on text only' } },
  { shape: 'WhatsApp location', delivery: { via: 'whatsapp', fixture: 'location' }, outcome: { does: 'records and skips', provider: 'whatsapp-cloud', id: whatsappId('location'), reason: 'a location: crier acts on text only' } },
  { shape: 'WhatsApp reaction', delivery: { via: 'whatsapp', fixture: 'reaction' }, outcome: { does: 'records and skips', provider: 'whatsapp-cloud', id: whatsappId('reaction'), reason: 'a reaction to an earlier message: crier acts on text only' } },
  { shape: 'WhatsApp unsupported message with errors[]', delivery: { via: 'whatsapp', fixture: 'unsupported' }, outcome: { does: 'records and skips', provider: 'whatsapp-cloud', id: whatsappId('unsupported'), reason: 'a message WhatsApp itself could not pass on (type "unsupported") (Meta error 131051: Message type unknown)' } },
  { shape: 'WhatsApp text from another country (valid)', delivery: { via: 'whatsapp', fixture: 'from-france' }, outcome: { does: 'subscribes', resident: '+33612345678', channel: 'whatsapp', topicId: 'traffic' } },
  { shape: 'WhatsApp text from a number that is not valid', delivery: { via: 'whatsapp', fixture: 'from-invalid-number' }, outcome: { does: 'records and skips', provider: 'whatsapp-cloud', id: whatsappId('from-invalid-number'), reason: "the sender's number is not a valid phone number" } },
  { shape: 'WhatsApp text with from and a business-scoped user id', delivery: { via: 'whatsapp', fixture: 'text-with-user-id' }, outcome: { does: 'subscribes', resident: '+447700900146', channel: 'whatsapp', topicId: 'traffic' } },
  {
    shape: 'WhatsApp STOP with no from and no wa_id, only a business-scoped user id',
    delivery: { via: 'whatsapp', fixture: 'user-id-only-stop' },
    outcome: { does: 'records and skips', provider: 'whatsapp-cloud', id: whatsappId('user-id-only-stop'), reason: /^an opt-out \(STOP\) from a sender with no phone number, only the provider's user id/ },
  },
  { shape: 'WhatsApp value-level errors[]', delivery: { via: 'whatsapp', fixture: 'value-errors' }, outcome: { does: 'logs an error about the account, acting on nothing' } },
  // ---- WhatsApp Cloud API: statuses of crier's messages ----
  { shape: 'WhatsApp status sent', delivery: { via: 'whatsapp', fixture: 'status-sent' }, outcome: { does: 'updates the status', messageId: '01J0CRIERMESSAGE0000000004', status: 'sent' } },
  { shape: 'WhatsApp status delivered', delivery: { via: 'whatsapp', fixture: 'status-delivered' }, outcome: { does: 'updates the status', messageId: '01J0CRIERMESSAGE0000000001', status: 'delivered' } },
  { shape: 'WhatsApp status read', delivery: { via: 'whatsapp', fixture: 'status-read-ours' }, outcome: { does: 'updates the status', messageId: '01J0CRIERMESSAGE0000000005', status: 'read' } },
  { shape: 'WhatsApp status failed with errors[]', delivery: { via: 'whatsapp', fixture: 'status-failed' }, outcome: { does: 'updates the status', messageId: '01J0CRIERMESSAGE0000000002', status: 'failed', errorCode: '131047' } },
  { shape: 'WhatsApp status of a message crier never sent', delivery: { via: 'whatsapp', fixture: 'status-unknown-message' }, outcome: { does: 'records and skips', provider: 'whatsapp-cloud', id: whatsappId('status-unknown-message', 0, 'statuses'), reason: 'a "delivered" status for a message crier has no record of sending' } },
  { shape: 'WhatsApp status without crier\'s callback data', delivery: { via: 'whatsapp', fixture: 'status-read' }, outcome: { does: 'records and skips', provider: 'whatsapp-cloud', id: whatsappId('status-read', 0, 'statuses'), reason: 'a "read" status for a message crier has no record of sending' } },
  // ---- WhatsApp Cloud API: what is refused ----
  { shape: 'WhatsApp body that is not JSON', delivery: { via: 'whatsapp', fixture: 'text-join', raw: '{"object":"whatsapp_business_account",' }, outcome: { does: 'refuses', status: 400 } },
  { shape: 'WhatsApp body of another Meta object', delivery: { via: 'whatsapp', fixture: 'not-whatsapp-object' }, outcome: { does: 'refuses', status: 400 } },
  { shape: 'WhatsApp delivery signed with another secret', delivery: { via: 'whatsapp', fixture: 'text-join', secret: 'not-the-app-secret' }, outcome: { does: 'refuses', status: 403 } },
  // ---- Twilio ----
  { shape: 'Twilio SMS', delivery: { via: 'twilio', path: 'inbound', fixture: 'inbound-sms-join' }, outcome: { does: 'subscribes', resident: '+447700100123', channel: 'sms', topicId: 'youth' } },
  { shape: 'Twilio WhatsApp', delivery: { via: 'twilio', path: 'inbound', fixture: 'inbound-whatsapp' }, outcome: { does: 'subscribes', resident: '+447700100456', channel: 'whatsapp', topicId: 'traffic' } },
  { shape: 'Twilio SMS with parameters crier does not know', delivery: { via: 'twilio', path: 'inbound', fixture: 'inbound-extra-params' }, outcome: { does: 'subscribes', resident: '+447700100151', channel: 'sms', topicId: 'traffic' } },
  { shape: 'Twilio SMS from another country (valid)', delivery: { via: 'twilio', path: 'inbound', fixture: 'inbound-foreign-number' }, outcome: { does: 'subscribes', resident: '+34612345678', channel: 'sms', topicId: 'traffic' } },
  { shape: 'Twilio SMS from a short code', delivery: { via: 'twilio', path: 'inbound', fixture: 'inbound-short-code' }, outcome: { does: 'records and skips', provider: 'twilio', id: twilioSid('inbound-short-code'), reason: 'a sender that is a short code, not a phone number crier could answer' } },
  { shape: 'Twilio SMS from an alphanumeric sender', delivery: { via: 'twilio', path: 'inbound', fixture: 'inbound-alphanumeric' }, outcome: { does: 'records and skips', provider: 'twilio', id: twilioSid('inbound-alphanumeric'), reason: 'a sender that is an alphanumeric sender id, not a phone number crier could answer' } },
  { shape: 'Twilio SMS from a number that is not valid', delivery: { via: 'twilio', path: 'inbound', fixture: 'inbound-invalid-number' }, outcome: { does: 'records and skips', provider: 'twilio', id: twilioSid('inbound-invalid-number'), reason: "the sender's number is not a valid phone number" } },
  { shape: 'Twilio MMS with media only (NumMedia 1, empty Body)', delivery: { via: 'twilio', path: 'inbound', fixture: 'inbound-media-only' }, outcome: { does: 'records and skips', provider: 'twilio', id: twilioSid('inbound-media-only'), reason: 'a picture or other media with no text: crier keeps no media and acts on text only' } },
  { shape: 'Twilio status delivered', delivery: { via: 'twilio', path: 'status', fixture: 'status-delivered', messageId: 'tw-0001' }, outcome: { does: 'updates the status', messageId: 'tw-0001', status: 'delivered' } },
  { shape: 'Twilio status undelivered with ErrorCode', delivery: { via: 'twilio', path: 'status', fixture: 'status-undelivered', messageId: 'tw-0002' }, outcome: { does: 'updates the status', messageId: 'tw-0002', status: 'undelivered', errorCode: '30003' } },
  { shape: 'Twilio status crier does not know', delivery: { via: 'twilio', path: 'status', fixture: 'status-unknown-status', messageId: 'tw-0003' }, outcome: { does: 'records and skips', provider: 'twilio', id: twilioSid('status-unknown-status'), reason: 'a MessageStatus crier does not know' } },
  { shape: 'Twilio status of a message crier never sent', delivery: { via: 'twilio', path: 'status', fixture: 'status-whatsapp-read' }, outcome: { does: 'records and skips', provider: 'twilio', id: twilioSid('status-whatsapp-read'), reason: 'a "read" status for a message crier has no record of sending' } },
  // ---- AWS End User Messaging SMS (SNS → SQS) ----
  { shape: 'AWS SMS two-way text', delivery: { via: 'aws-sms', fixture: 'inbound-join' }, outcome: { does: 'subscribes', resident: '+447700900123', channel: 'sms', topicId: 'traffic' } },
  { shape: 'AWS SMS two-way text from another country (valid)', delivery: { via: 'aws-sms', fixture: 'inbound-foreign-number' }, outcome: { does: 'subscribes', resident: '+4915112345678', channel: 'sms', topicId: 'traffic' } },
  { shape: 'AWS SMS two-way text from a number that is not valid', delivery: { via: 'aws-sms', fixture: 'inbound-invalid-number' }, outcome: { does: 'records and skips', provider: 'aws-sms', id: 'd1e2f3a4-0003-4b5c-8d6e-7f8a9b0c1d2e', reason: "the sender's number is not a valid phone number" } },
  { shape: 'AWS SMS two-way text without its sender', delivery: { via: 'aws-sms', fixture: 'inbound-missing-sender' }, outcome: { does: 'records and skips', provider: 'aws-sms', id: 'd1e2f3a4-0002-4b5c-8d6e-7f8a9b0c1d2e', reason: /^a two-way SMS crier cannot read \(originationNumber / } },
  { shape: 'AWS SMS notification whose Message is not JSON', delivery: { via: 'aws-sms', fixture: 'inbound-not-json' }, outcome: { does: 'records and skips', provider: 'aws-sms', id: '0a1b2c3d-0001-5e6f-8a9b-0c1d2e3f4a5b', reason: 'the SNS Message is not JSON' } },
  { shape: 'AWS SMS event delivered', delivery: { via: 'aws-sms', fixture: 'event-delivered' }, outcome: { does: 'updates the status', messageId: 'bc-0001-447700900123', status: 'delivered' } },
  { shape: 'AWS SMS event of a type crier does not record', delivery: { via: 'aws-sms', fixture: 'event-unknown-type' }, outcome: { does: 'records and skips', provider: 'aws-sms', id: '7b8c9d0e-0005-4f1a-8b2c-3d4e5f6a7b8c', reason: 'event type "MEDIA_DELIVERED" is not one crier records' } },
  { shape: 'AWS SMS event of a message crier never sent', delivery: { via: 'aws-sms', fixture: 'event-carrier-unreachable' }, outcome: { does: 'records and skips', provider: 'aws-sms', id: '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d', reason: 'a "undelivered" status for a message crier has no record of sending' } },
  { shape: 'AWS SMS subscription confirmation', delivery: { via: 'aws-sms', fixture: 'subscription-confirmation' }, outcome: { does: 'records and skips', provider: 'aws-sms', id: '0a1b2c3d-0006-5e6f-8a9b-0c1d2e3f4a5b', reason: 'SNS message type "SubscriptionConfirmation" carries no SMS' } },
];

function twilioSid(fixture: string): string {
  return (fixtureOf('twilio', fixture) as Record<string, string>).MessageSid!;
}

describe('provider payload shapes through the real handlers of the local stack', () => {
  let stack: LocalStack;
  let client: LocalStackClient;
  let stores: Stores;

  /** Meta's signature, computed as documented. */
  const metaSignature = (body: string, secret = APP_SECRET) => `sha256=${createHmac('sha256', secret).update(Buffer.from(body, 'utf8')).digest('hex')}`;

  async function postWhatsApp(body: string, secret = APP_SECRET): Promise<Response> {
    return fetch(`${stack.baseUrl}/webhooks/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(body, secret) },
      body,
    });
  }

  /**
   * Delivers a row as its provider would: the HTTP status and the body of the answer (WhatsApp's is
   * a summary), or 'queued' for a notification put on the AWS SMS queue.
   */
  async function deliver(delivery: Delivery): Promise<{ status: number | 'queued'; answer?: unknown }> {
    switch (delivery.via) {
      case 'whatsapp': {
        const response = await postWhatsApp(delivery.raw ?? JSON.stringify(fixtureOf('whatsapp-cloud', delivery.fixture)), delivery.secret);
        return { status: response.status, answer: await response.json() };
      }
      case 'twilio': {
        const path = `/webhooks/twilio/${delivery.path}${delivery.messageId ? `?messageId=${delivery.messageId}` : ''}`;
        const params = fixtureOf('twilio', delivery.fixture) as Record<string, string>;
        const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${stack.publicBaseUrl}${path}`, params);
        const response = await client.postTwilio(path, params, signature);
        return { status: response.status, answer: await response.text() };
      }
      case 'aws-sms': {
        // There is no SNS locally: the test plays the topic, as SNS delivers to a subscribed queue.
        const notification = { ...(fixtureOf('aws-sms', delivery.fixture) as object), TopicArn: stack.awsSmsTopicArn };
        await awsClients().sqs.send(new SendMessageCommand({ QueueUrl: stack.queues.awsSmsNotifications.url, MessageBody: JSON.stringify(notification) }));
        return { status: 'queued' };
      }
    }
  }

  const outbox = async (to: string) => client.outbox(to);

  async function deadLetters(): Promise<number> {
    const { Messages } = await awsClients().sqs.send(
      new ReceiveMessageCommand({ QueueUrl: stack.queues.awsSmsNotifications.deadLetterUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 0 }),
    );
    return Messages?.length ?? 0;
  }

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, twilio: { authToken: AUTH_TOKEN }, whatsapp: { verifyToken: 'e2e-verify', appSecret: APP_SECRET }, sandbox: { failureRate: 0 } });
    client = new LocalStackClient(stack, AUTH_TOKEN);
    stores = dynamoStores(awsClients().documents, stack.tableName, 8);
    for (const topic of [
      { id: 'traffic', name: 'Traffic alerts', keywords: ['TRAFFIC'] },
      { id: 'youth', name: 'Youth services', keywords: ['YOUTH'] },
    ]) {
      expect((await client.api('POST', '/v1/topics', topic)).status).toBe(201);
    }
    // The messages the status rows are about, as the sender records them once a provider has them.
    const sent = [
      { messageId: '01J0CRIERMESSAGE0000000001', to: '+447700900123', channel: 'whatsapp', status: 'sent' },
      { messageId: '01J0CRIERMESSAGE0000000002', to: '+447700901234', channel: 'whatsapp', status: 'sent' },
      { messageId: '01J0CRIERMESSAGE0000000004', to: '+447700900127', channel: 'whatsapp', status: 'sending' },
      { messageId: '01J0CRIERMESSAGE0000000005', to: '+447700900128', channel: 'whatsapp', status: 'delivered' },
      { messageId: 'tw-0001', to: '+447700100123', channel: 'sms', status: 'sent' },
      { messageId: 'tw-0002', to: '+447700100124', channel: 'sms', status: 'sent' },
      { messageId: 'bc-0001-447700900123', to: '+447700900123', channel: 'sms', status: 'sent' },
    ] as const;
    for (const message of sent) await stores.messages.claim(aMessageRecord({ ...message, broadcastId: undefined }));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it.each(rows.map((row) => [row.shape, row] as const))('%s', async (_shape, { delivery, outcome }) => {
    // Prepare
    const resident = 'resident' in outcome ? outcome.resident : undefined;
    const before = resident ? (await outbox(resident)).length : 0;

    // Act
    const { status, answer } = await deliver(delivery);
    await stack.settled();

    // Assess
    if (outcome.does === 'refuses') {
      expect(status).toBe(outcome.status);
      return;
    }
    // Signed and in the provider's envelope: acknowledged, whatever crier made of what is inside
    // (for AWS SMS: the record succeeded, so SQS neither retries it nor dead-letters it).
    if (delivery.via === 'aws-sms') expect(await deadLetters()).toBe(0);
    else expect(status).toBe(200);
    switch (outcome.does) {
      case 'subscribes': {
        expect(await stores.subscribers.subscriptions(outcome.resident)).toContainEqual(expect.objectContaining({ topicId: outcome.topicId, channel: outcome.channel }));
        const replies = (await outbox(outcome.resident)).slice(before);
        expect(replies).toEqual([expect.objectContaining({ body: expect.stringContaining("You're subscribed to") })]);
        break;
      }
      case 'opts out': {
        expect((await stores.subscribers.getProfile(outcome.resident))?.optedOut[outcome.channel]).toEqual(expect.any(String));
        expect(await stores.subscribers.subscriptions(outcome.resident)).toEqual([]);
        expect((await outbox(outcome.resident)).slice(before)).toEqual([expect.objectContaining({ body: expect.stringContaining("you've been unsubscribed") })]);
        break;
      }
      case 'inboxes':
        expect(await stores.inbox.get(inboxEntryId(outcome.provider, outcome.id))).toEqual(expect.objectContaining({ providerMessageId: outcome.id }));
        break;
      case 'updates the status':
        expect(await stores.messages.get(outcome.messageId)).toMatchObject({ status: outcome.status, ...(outcome.errorCode ? { errorCode: outcome.errorCode } : {}) });
        break;
      case 'records and skips': {
        const record = await stores.inbound.skippedItem(outcome.provider, outcome.id);
        expect(record?.reason).toEqual(typeof outcome.reason === 'string' ? outcome.reason : expect.stringMatching(outcome.reason));
        break;
      }
      case 'logs an error about the account, acting on nothing':
        expect(answer).toEqual({ messages: 0, statuses: 0, skipped: 0 });
        break;
    }
  });

  it('acts on the STOP that follows an odd message in the same delivery: 200, opted out, one confirmation, the odd one recorded with its reason', async () => {
    // Prepare
    const resident = '+447700900147';
    const join = fixtureOf('whatsapp-cloud', 'text-join') as any;
    const [message] = join.entry[0].changes[0].value.messages;
    Object.assign(message, { from: resident.slice(1), id: 'wamid.E2E-MIXED-JOIN' });
    join.entry[0].changes[0].value.contacts[0].wa_id = resident.slice(1);
    expect((await postWhatsApp(JSON.stringify(join))).status).toBe(200);
    await stack.settled();
    expect(await stores.subscribers.subscriptions(resident)).toEqual([expect.objectContaining({ topicId: 'traffic' })]);
    const before = (await outbox(resident)).length;

    // Act
    const response = await postWhatsApp(JSON.stringify(fixtureOf('whatsapp-cloud', 'mixed-odd-then-stop')));
    await stack.settled();

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ messages: 1, statuses: 0, skipped: 1 });
    expect((await stores.subscribers.getProfile(resident))?.optedOut.whatsapp).toEqual(expect.any(String));
    expect(await stores.subscribers.subscriptions(resident)).toEqual([]);
    expect((await outbox(resident)).slice(before)).toEqual([expect.objectContaining({ body: expect.stringContaining("you've been unsubscribed") })]);
    expect(await stores.inbound.skippedItem('whatsapp-cloud', whatsappId('mixed-odd-then-stop', 0))).toMatchObject({
      kind: 'message',
      path: 'entry.0.changes.0.value.messages.0',
      reason: expect.stringContaining('Meta error 131051'),
    });
  });
});
