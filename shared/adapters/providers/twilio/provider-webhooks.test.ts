import { describe, expect, it } from 'vitest';
import inboundSmsJoin from '../../../../events/twilio/inbound-sms-join.json';
import statusDelivered from '../../../../events/twilio/status-delivered.json';
import { providerEnvSchema } from '../../../config/env.js';
import { ConfigurationError, ForbiddenError } from '../../../domain/errors.js';
import type { WebhookRequest } from '../../../ports/provider-webhooks.js';
import { twilioWebhookPaths, twilioWebhooks } from './provider-webhooks.js';
import { signTwilioRequest } from './webhooks.js';

const AUTH_TOKEN = 'c0ffee00c0ffee00c0ffee00c0ffee00';
/** The account of the fixtures. */
const ACCOUNT_SID = inboundSmsJoin.AccountSid;
const BASE_URL = 'https://crier.example.gov.uk';
const STATUS_QUERY = 'messageId=bc-0001-447700100123';

/**
 * Twilio's webhooks as a webhook function builds them: verification settings only (the token and
 * the account), none of the sending ones (no sender, no Messaging Service).
 */
function webhooks(settings: Record<string, string> = { TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_ACCOUNT_SID: ACCOUNT_SID }) {
  return twilioWebhooks({ settings: async () => providerEnvSchema.parse(settings), defaultCountry: 'GB' });
}

/** A request as Twilio sends it: the form, signed over the URL it was told to call. */
function signed(path: string, params: Record<string, string>, query = '', token = AUTH_TOKEN): WebhookRequest {
  const publicUrl = `${BASE_URL}${path}${query ? `?${query}` : ''}`;
  return {
    publicUrl,
    path,
    query: Object.fromEntries(new URLSearchParams(query)),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilioRequest(token, publicUrl, params) },
    rawBody: new URLSearchParams(params).toString(),
  };
}

const inbound = () => signed(twilioWebhookPaths.inbound, structuredClone(inboundSmsJoin));
const status = () => signed(twilioWebhookPaths.status, structuredClone(statusDelivered), STATUS_QUERY);

describe('Twilio webhooks: verify', () => {
  it.each([
    ['an inbound message signed with our token', inbound()],
    ['a status callback signed over its URL with crier\'s message id', status()],
  ])('accepts %s', async (_case, request) => {
    // Prepare
    const subject = webhooks();

    // Act
    const verified = subject.verify(request);

    // Assess
    await expect(verified).resolves.toBeUndefined();
  });

  it.each<[string, () => WebhookRequest, string]>([
    ['a request without X-Twilio-Signature', () => ({ ...inbound(), headers: {} }), 'the X-Twilio-Signature header is missing'],
    ['a signature made with another auth token', () => signed(twilioWebhookPaths.inbound, structuredClone(inboundSmsJoin), '', 'another-token'), 'the X-Twilio-Signature does not match this request'],
    ['a body altered after signing', () => ({ ...inbound(), rawBody: inbound().rawBody.replace('JOIN+YOUTH', 'STOP') }), 'the X-Twilio-Signature does not match this request'],
    ['a signature replayed onto another webhook URL', () => ({ ...inbound(), publicUrl: `${BASE_URL}${twilioWebhookPaths.status}` }), 'the X-Twilio-Signature does not match this request'],
    ['a status callback replayed for another message id', () => ({ ...status(), publicUrl: `${BASE_URL}${twilioWebhookPaths.status}?messageId=bc-0002-447700100123` }), 'the X-Twilio-Signature does not match this request'],
    [
      'a correctly signed webhook of another Twilio account',
      () => signed(twilioWebhookPaths.inbound, { ...structuredClone(inboundSmsJoin), AccountSid: `AC${'b'.repeat(32)}` }),
      'the webhook is for another Twilio account',
    ],
  ])('refuses %s with a ForbiddenError saying what is wrong', async (_case, request, message) => {
    // Prepare
    const subject = webhooks();

    // Act
    const verified = subject.verify(request());

    // Assess
    await expect(verified).rejects.toThrow(new ForbiddenError(message));
  });

  it('accepts any account when the deployment names none (only the token is set, as on the local stack)', async () => {
    // Prepare
    const subject = webhooks({ TWILIO_AUTH_TOKEN: AUTH_TOKEN });
    const request = signed(twilioWebhookPaths.inbound, { ...structuredClone(inboundSmsJoin), AccountSid: `AC${'b'.repeat(32)}` });

    // Act
    const verified = subject.verify(request);

    // Assess
    await expect(verified).resolves.toBeUndefined();
  });

  it('cannot verify without an auth token, and says which setting is missing', async () => {
    // Prepare
    const subject = webhooks({ TWILIO_ACCOUNT_SID: ACCOUNT_SID });

    // Act
    const verified = subject.verify(inbound());

    // Assess
    await expect(verified).rejects.toThrow(new ConfigurationError('TWILIO_AUTH_TOKEN is not set, so Twilio webhooks cannot be verified'));
  });
});

describe('Twilio webhooks: parse', () => {
  it('reads the messaging webhook as one resident\'s text', () => {
    // Prepare
    const subject = webhooks();

    // Act
    const batch = subject.parse(inbound());

    // Assess
    expect(batch).toEqual({
      inbound: [{ provider: 'twilio', providerMessageId: inboundSmsJoin.MessageSid, from: '+447700100123', channel: 'sms', to: '+447700100000', body: 'JOIN YOUTH' }],
      receipts: [],
      unidentified: [],
      skipped: [],
      accountErrors: [],
    });
  });

  it('reads the status callback as one receipt for the message named in its URL', () => {
    // Prepare
    const subject = webhooks();

    // Act
    const batch = subject.parse(status());

    // Assess
    expect(batch.inbound).toEqual([]);
    expect(batch.receipts).toEqual([
      { provider: 'twilio', providerMessageId: statusDelivered.MessageSid, messageId: 'bc-0001-447700100123', status: 'delivered', errorCode: undefined },
    ]);
  });

  it('knows no webhook at another path', () => {
    // Prepare
    const subject = webhooks();

    // Act
    const parse = () => subject.parse({ ...inbound(), path: '/webhooks/twilio/voice' });

    // Assess
    expect(parse).toThrow('no Twilio webhook is served at /webhooks/twilio/voice');
  });
});
