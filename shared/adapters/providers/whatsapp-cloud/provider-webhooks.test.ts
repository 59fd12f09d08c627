import { describe, expect, it } from 'vitest';
import textJoin from '../../../../events/whatsapp-cloud/text-join.json';
import { providerEnvSchema } from '../../../config/env.js';
import { ConfigurationError, ForbiddenError } from '../../../domain/errors.js';
import type { WebhookRequest } from '../../../ports/provider-webhooks.js';
import { whatsappCloudWebhooks } from './provider-webhooks.js';
import { signWhatsAppPayload } from './webhooks.js';

const APP_SECRET = 'c0ffee00c0ffee00c0ffee00c0ffee00';
const VERIFY_TOKEN = 'crier-verify-token';
const URL = 'https://crier.example.gov.uk/webhooks/whatsapp';

/** Meta's webhooks as a webhook function builds them: the two verification settings, no access token. */
function webhooks(settings: Record<string, string> = { WHATSAPP_APP_SECRET: APP_SECRET, WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN }) {
  return whatsappCloudWebhooks({ settings: async () => providerEnvSchema.parse(settings), defaultCountry: 'GB' });
}

/** A POST as Meta sends it: the body's bytes, and their HMAC under the app secret. */
function signed(body = JSON.stringify(textJoin), secret = APP_SECRET): WebhookRequest {
  return {
    publicUrl: URL,
    path: '/webhooks/whatsapp',
    query: {},
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWhatsAppPayload(secret, body) },
    rawBody: body,
  };
}

function handshake(query: Record<string, string>): WebhookRequest {
  return { publicUrl: `${URL}?${new URLSearchParams(query)}`, path: '/webhooks/whatsapp', query, headers: {}, rawBody: '' };
}

describe('WhatsApp Cloud API webhooks: verify', () => {
  it('accepts a body signed with the app secret', async () => {
    // Prepare
    const subject = webhooks();

    // Act
    const verified = subject.verify(signed());

    // Assess
    await expect(verified).resolves.toBeUndefined();
  });

  it.each<[string, () => WebhookRequest, string]>([
    ['a request without X-Hub-Signature-256', () => ({ ...signed(), headers: {} }), 'the X-Hub-Signature-256 header is missing'],
    ['a signature made with another app\'s secret', () => signed(JSON.stringify(textJoin), 'another-app-secret'), 'the X-Hub-Signature-256 does not match this request body'],
    ['a body altered after signing', () => ({ ...signed(), rawBody: JSON.stringify(textJoin).replace('JOIN TRAFFIC', 'STOP') }), 'the X-Hub-Signature-256 does not match this request body'],
    ['a captured signature replayed with another body', () => ({ ...signed(), rawBody: JSON.stringify({ ...textJoin, entry: [] }) }), 'the X-Hub-Signature-256 does not match this request body'],
    ['a signature that is not sha256=<hex>', () => ({ ...signed(), headers: { 'x-hub-signature-256': 'sha1=0123' } }), 'the X-Hub-Signature-256 does not match this request body'],
  ])('refuses %s with a ForbiddenError saying what is wrong', async (_case, request, message) => {
    // Prepare
    const subject = webhooks();

    // Act
    const verified = subject.verify(request());

    // Assess
    await expect(verified).rejects.toThrow(new ForbiddenError(message));
  });

  it('cannot verify without the app secret, and says which setting is missing', async () => {
    // Prepare
    const subject = webhooks({ WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN });

    // Act
    const verified = subject.verify(signed());

    // Assess
    await expect(verified).rejects.toThrow(
      new ConfigurationError('WHATSAPP_APP_SECRET is not set, so WhatsApp Cloud API webhooks cannot be verified'),
    );
  });
});

describe('WhatsApp Cloud API webhooks: handshake', () => {
  it('answers with the challenge when the verify token is ours', async () => {
    // Prepare
    const subject = webhooks();

    // Act
    const answer = await subject.handshake?.(handshake({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1158201444' }));

    // Assess
    expect(answer).toBe('1158201444');
  });

  it('refuses another verify token with a ForbiddenError', async () => {
    // Prepare
    const subject = webhooks();

    // Act
    const answer = subject.handshake?.(handshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'guessed', 'hub.challenge': '1158201444' }));

    // Assess
    await expect(answer).rejects.toThrow(new ForbiddenError('hub.verify_token does not match the configured verify token'));
  });

  it('cannot answer without a verify token, and says which setting is missing', async () => {
    // Prepare
    const subject = webhooks({ WHATSAPP_APP_SECRET: APP_SECRET });

    // Act
    const answer = subject.handshake?.(handshake({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1' }));

    // Assess
    await expect(answer).rejects.toBeInstanceOf(ConfigurationError);
  });
});

describe('WhatsApp Cloud API webhooks: parse', () => {
  it('reads the residents\' texts of a verified body', () => {
    // Prepare
    const subject = webhooks();

    // Act
    const batch = subject.parse(signed());

    // Assess
    expect(batch.inbound).toEqual([expect.objectContaining({ provider: 'whatsapp-cloud', from: '+447700900123', channel: 'whatsapp', body: 'JOIN TRAFFIC' })]);
    expect(batch.receipts).toEqual([]);
  });
});
