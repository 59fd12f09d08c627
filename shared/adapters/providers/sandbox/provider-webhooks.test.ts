import { describe, expect, it } from 'vitest';
import { providerEnvSchema } from '../../../config/env.js';
import { ForbiddenError } from '../../../domain/errors.js';
import type { WebhookRequest } from '../../../ports/provider-webhooks.js';
import { signTwilioRequest } from '../twilio/webhooks.js';
import { sandboxWebhooks } from './provider-webhooks.js';

const AUTH_TOKEN = 'crier-local-dev-token';
const ACCOUNT_SID = `AC${'0'.repeat(32)}`;
const CALLBACK_URL = 'http://localhost:3000/webhooks/twilio/status?messageId=bc-0001-447700900123';
const MESSAGE_SID = `SM${'1'.repeat(32)}`;

/** The sandbox's webhooks as the local stack's functions build them: only the token, as `npm start` sets it. */
const subject = sandboxWebhooks({ settings: async () => providerEnvSchema.parse({ TWILIO_AUTH_TOKEN: AUTH_TOKEN }), defaultCountry: 'GB' });

/** A receipt as local/sandbox.ts posts it: a Twilio status form, signed over the callback URL the sender gave. */
function sandboxReceipt(token = AUTH_TOKEN): WebhookRequest {
  const params = { AccountSid: ACCOUNT_SID, MessageSid: MESSAGE_SID, MessageStatus: 'delivered', To: '+447700900123' };
  const url = new URL(CALLBACK_URL);
  return {
    publicUrl: CALLBACK_URL,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilioRequest(token, CALLBACK_URL, params) },
    rawBody: new URLSearchParams(params).toString(),
  };
}

describe('sandbox webhooks', () => {
  it('verifies a receipt signed as the sandbox signs it, and reads it as a receipt for crier\'s message', async () => {
    // Prepare
    const request = sandboxReceipt();

    // Act
    await subject.verify(request);
    const batch = subject.parse(request);

    // Assess
    expect(batch.receipts).toEqual([
      { provider: 'twilio', providerMessageId: MESSAGE_SID, messageId: 'bc-0001-447700900123', status: 'delivered', errorCode: undefined },
    ]);
  });

  it.each<[string, () => WebhookRequest, string]>([
    ['an unsigned receipt', () => ({ ...sandboxReceipt(), headers: {} }), 'the X-Twilio-Signature header is missing'],
    ['a receipt signed with another token', () => sandboxReceipt('not-the-dev-token'), 'the X-Twilio-Signature does not match this request'],
    ['a receipt whose status was altered after signing', () => ({ ...sandboxReceipt(), rawBody: sandboxReceipt().rawBody.replace('delivered', 'failed') }), 'the X-Twilio-Signature does not match this request'],
  ])('refuses %s with a ForbiddenError', async (_case, request, message) => {
    // Prepare
    const forged = request();

    // Act
    const verified = subject.verify(forged);

    // Assess
    await expect(verified).rejects.toThrow(new ForbiddenError(message));
  });
});
