import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { parseTwilioInbound, parseTwilioStatus } from '../../shared/adapters/providers/twilio/webhooks.js';
import { parseWhatsAppWebhook, signWhatsAppPayload } from '../../shared/adapters/providers/whatsapp-cloud/webhooks.js';
import { ValidationError } from '../../shared/domain/errors.js';
import { LocalStackClient } from '../support/local-stack-client.js';

/**
 * Random texts and payloads thrown at the webhook parsers and, signed correctly, at the running
 * gateway: nothing crashes, nothing answers 5xx, and an opt-out word wrapped in any noise is
 * never lost.
 */

/** Either parses or refuses with a ValidationError: anything else would be a 500. */
function parsesOrRefusesCleanly(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch (error) {
    return error instanceof ValidationError;
  }
}

const formParams = fc.dictionary(
  fc.constantFrom('MessageSid', 'AccountSid', 'From', 'To', 'Body', 'NumMedia', 'OptOutType', 'MessageStatus', 'ErrorCode', 'Other'),
  fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('whatsapp:+447700900123', '+447700900123', `SM${'a'.repeat(32)}`, `AC${'0'.repeat(32)}`, 'STOP', 'delivered')),
);

describe('webhook parsers on random input', () => {
  it('parse any Twilio form or refuse it with a ValidationError', () => {
    // Prepare / Act / Assess
    fc.assert(
      fc.property(formParams, (params) =>
        parsesOrRefusesCleanly(() => parseTwilioInbound(params, 'GB')) && parsesOrRefusesCleanly(() => parseTwilioStatus(params, 'm')),
      ),
      { numRuns: 500 },
    );
  });

  it('parse any JSON (or non-JSON) WhatsApp payload or refuse it with a ValidationError', () => {
    // Prepare
    const payloads = fc.oneof(
      fc.string(),
      fc.json(),
      fc.jsonValue().map((value) => JSON.stringify({ object: 'whatsapp_business_account', entry: [value] })),
      fc
        .record({ from: fc.string(), id: fc.string(), type: fc.constantFrom('text', 'button', 'interactive', 'image'), text: fc.record({ body: fc.string({ unit: 'binary' }) }) })
        .map((message) =>
          JSON.stringify({
            object: 'whatsapp_business_account',
            entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '447700900000', phone_number_id: '1' }, messages: [message] } }] }],
          }),
        ),
    );

    // Act / Assess
    fc.assert(fc.property(payloads, (raw) => parsesOrRefusesCleanly(() => parseWhatsAppWebhook(raw, 'GB'))), { numRuns: 500 });
  });
});

describe('the running gateway on random signed webhooks', () => {
  const authToken = 'properties-token';
  const appSecret = 'properties-app-secret';
  let stack: LocalStack;
  let client: LocalStackClient;

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, twilio: { authToken }, whatsapp: { verifyToken: 'v', appSecret }, sandbox: { failureRate: 0 } });
    client = new LocalStackClient(stack, authToken);
    expect((await client.api('POST', '/v1/topics', { id: 'traffic', name: 'Traffic alerts', keywords: ['TRAFFIC'] })).status).toBe(201);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('never answers 5xx to a correctly signed Twilio webhook, whatever its fields say', async () => {
    // Prepare / Act / Assess
    await fc.assert(
      fc.asyncProperty(formParams, async (params) => {
        const response = await client.postTwilio('/webhooks/twilio/inbound', params);
        return [200, 400].includes(response.status);
      }),
      { numRuns: 60 },
    );
  });

  it('never answers 5xx to a correctly signed WhatsApp payload', async () => {
    // Prepare / Act / Assess
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.json(), fc.string()), async (raw) => {
        const response = await fetch(`${stack.baseUrl}/webhooks/whatsapp`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWhatsAppPayload(appSecret, raw) },
          body: raw,
        });
        return [200, 400].includes(response.status);
      }),
      { numRuns: 60 },
    );
  });

  it('never loses an opt-out word wrapped in noise: the resident is opted out', async () => {
    // Prepare
    const noise = fc.stringMatching(/^[\s.!?,;:*~"'()🛑🙏😡👍-]{0,6}$/u);
    const optOutWord = fc.constantFrom('STOP', 'stop', 'Stop', 'STOPALL', 'UNSUBSCRIBE', 'REVOKE', 'OPTOUT', 'OPT-OUT', 'opt out', 'stop all', 'QUIT', 'CANCEL', 'END');
    let n = 0;

    // Act / Assess
    await fc.assert(
      fc.asyncProperty(noise, optOutWord, noise, async (before, word, after) => {
        n += 1;
        const resident = `+447700900${String(500 + n).padStart(3, '0')}`;
        const joined = await client.text(resident, 'JOIN TRAFFIC');
        const stopped = await client.text(resident, `${before}${word}${after}`);
        const profile = await client.api('GET', `/v1/subscribers/${encodeURIComponent(resident)}`);
        return joined.status === 200 && stopped.status === 200 && typeof profile.json.optedOut.sms === 'string' && profile.json.subscriptions.length === 0;
      }),
      { numRuns: 40 },
    );
    // 40 residents × two signed webhooks and a read: seconds on an idle machine, but a shared one
    // has been seen to need most of the default 30 s.
  }, 90_000);

  it('refuses an oversized webhook with 413 and a clear message, storing nothing', async () => {
    // Prepare
    const resident = '+447700900599';
    const params = client.inboundParams(resident, `JOIN TRAFFIC ${'x'.repeat(70 * 1024)}`);

    // Act
    const response = await client.postTwilio('/webhooks/twilio/inbound', params);

    // Assess
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: string }).error).toMatch(/larger than \d+ bytes/);
    expect((await client.api('GET', `/v1/subscribers/${encodeURIComponent(resident)}`)).status).toBe(404);
  });
});
