import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeTwilioApi, type FakeTwilioApi } from '../../../../test/support/fake-twilio-api.js';
import { ProviderError, providerErrorKinds } from '../../../domain/errors.js';
import { toE164, type E164 } from '../../../domain/phone.js';
import type { OutboundText } from '../../../ports/messaging-provider.js';
import { TwilioProvider, type TwilioProviderOptions } from './adapter.js';
import { twilioErrorCodeKinds } from './error-codes.js';
import type { TwilioSettings } from './settings.js';

/** Valid numbers for libphonenumber-js/max. (Ofcom's drama range 07700 900xxx is not: it rejects them.) */
function e164(number: string): E164 {
  const normalised = toE164(number, 'GB');
  if (!normalised) throw new Error(`test number ${number} is not valid`);
  return normalised;
}

const RESIDENT = e164('+447700100123');
const COUNCIL_SMS = '+447700100000';
const COUNCIL_WHATSAPP = '+447700100001';
const MESSAGING_SERVICE_SID = 'MG691374afe8f64978ce82043d8104f06c';
const SID = /^SM[0-9a-f]{32}$/;

let fake: FakeTwilioApi;

beforeAll(async () => {
  fake = await startFakeTwilioApi();
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  fake.requests.length = 0;
});

function provider(overrides: Partial<TwilioSettings> = {}, options?: TwilioProviderOptions): TwilioProvider {
  return new TwilioProvider(
    {
      accountSid: fake.accountSid,
      authToken: fake.authToken,
      smsFrom: COUNCIL_SMS,
      whatsappFrom: COUNCIL_WHATSAPP,
      apiBaseUrl: fake.baseUrl,
      ...overrides,
    },
    options,
  );
}

function outbound(overrides: Partial<OutboundText> = {}): OutboundText {
  return {
    messageId: '01J0CRIERMESSAGE0000000001',
    to: RESIDENT,
    channel: 'sms',
    body: 'Roadworks on Queen Street until 6pm.',
    statusCallbackUrl: 'https://crier.example.gov.uk/webhooks/twilio/status?messageId=01J0CRIERMESSAGE0000000001',
    ...overrides,
  };
}

async function sendExpectingError(adapter: TwilioProvider, message: OutboundText): Promise<ProviderError> {
  const error = await adapter.sendText(message).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ProviderError)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  return error;
}

/** The HTTP status Twilio pairs with a code: its own 4xx/5xx for API-level codes, 400 for the rest. */
function httpStatusFor(code: number): number {
  if (code === 20003) return 401;
  if (code === 20404) return 404;
  if (code === 20429) return 429;
  if (code >= 20500 && code < 20600) return code - 20000;
  return 400;
}

describe('TwilioProvider.sendText: accepted messages', () => {
  it('sends an SMS from the SMS number with the status callback and returns the message sid', async () => {
    // Prepare
    const adapter = provider();

    // Act
    const acceptance = await adapter.sendText(outbound());

    // Assess
    expect(acceptance.provider).toBe('twilio');
    expect(acceptance.providerMessageId).toMatch(SID);
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.method).toBe('POST');
    expect(request?.accountSid).toBe(fake.accountSid);
    expect(request?.authenticated).toBe(true);
    expect(request?.form).toEqual({
      To: '+447700100123',
      From: COUNCIL_SMS,
      Body: 'Roadworks on Queen Street until 6pm.',
      StatusCallback: 'https://crier.example.gov.uk/webhooks/twilio/status?messageId=01J0CRIERMESSAGE0000000001',
    });
  });

  it('prefixes both addresses with whatsapp: for the WhatsApp channel', async () => {
    // Prepare
    const adapter = provider();

    // Act
    const acceptance = await adapter.sendText(outbound({ channel: 'whatsapp' }));

    // Assess
    expect(acceptance.providerMessageId).toMatch(SID);
    expect(fake.requests[0]?.form.To).toBe('whatsapp:+447700100123');
    expect(fake.requests[0]?.form.From).toBe(`whatsapp:${COUNCIL_WHATSAPP}`);
  });

  it('sends a WhatsApp template as its Content SID with numbered variables, and no body', async () => {
    // Prepare
    const adapter = provider();
    const template = { name: 'HX0123456789abcdef0123456789abcdef', language: 'en_GB', parameters: ['CF10', 'Traffic alerts'] };

    // Act
    const acceptance = await adapter.sendText(outbound({ channel: 'whatsapp', template }));

    // Assess
    expect(acceptance.providerMessageId).toMatch(SID);
    expect(fake.requests[0]?.form).toMatchObject({ ContentSid: template.name, ContentVariables: '{"1":"CF10","2":"Traffic alerts"}' });
    expect(fake.requests[0]?.form.Body).toBeUndefined();
  });

  it('refuses a template named the Meta way, which Twilio cannot send, without calling Twilio', async () => {
    // Prepare
    const adapter = provider();

    // Act
    const attempt = adapter.sendText(outbound({ channel: 'whatsapp', template: { name: 'road_closure', language: 'en_GB', parameters: [] } }));

    // Assess
    await expect(attempt).rejects.toMatchObject({ kind: 'misconfigured', retryable: false });
    expect(fake.requests).toHaveLength(0);
  });

  it('does not double the prefix when the WhatsApp sender is configured with it', async () => {
    // Prepare
    const adapter = provider({ whatsappFrom: `whatsapp:${COUNCIL_WHATSAPP}` });

    // Act
    await adapter.sendText(outbound({ channel: 'whatsapp' }));

    // Assess
    expect(fake.requests[0]?.form.From).toBe(`whatsapp:${COUNCIL_WHATSAPP}`);
  });

  it('lets a Messaging Service choose the sender when no number is configured', async () => {
    // Prepare
    const adapter = provider({ smsFrom: undefined, whatsappFrom: undefined, messagingServiceSid: MESSAGING_SERVICE_SID });

    // Act
    const acceptance = await adapter.sendText(outbound());

    // Assess
    expect(acceptance.providerMessageId).toMatch(SID);
    expect(fake.requests[0]?.form).toMatchObject({ To: '+447700100123', MessagingServiceSid: MESSAGING_SERVICE_SID });
    expect(fake.requests[0]?.form).not.toHaveProperty('From');
  });

  it('sends both the number and the Messaging Service when both are configured', async () => {
    // Prepare
    const adapter = provider({ messagingServiceSid: MESSAGING_SERVICE_SID });

    // Act
    await adapter.sendText(outbound());

    // Assess
    expect(fake.requests[0]?.form).toMatchObject({ From: COUNCIL_SMS, MessagingServiceSid: MESSAGING_SERVICE_SID });
  });

  it.each<[string, OutboundText['channel'], NonNullable<OutboundText['from']>, Record<string, string>]>([
    ['a long code as From', 'sms', { kind: 'long_code', address: '+447700900200' }, { From: '+447700900200' }],
    ['a short code as From', 'sms', { kind: 'short_code', address: '60123' }, { From: '60123' }],
    ['an alphanumeric sender ID as From', 'sms', { kind: 'alphanumeric', address: 'CARDIFF' }, { From: 'CARDIFF' }],
    ['a WhatsApp number as a whatsapp: From', 'whatsapp', { kind: 'whatsapp_number', address: '+447700900201' }, { From: 'whatsapp:+447700900201' }],
  ])('sends from the sender identity crier chose, over its own settings: %s', async (_case, channel, from, form) => {
    // Prepare
    const adapter = provider();

    // Act
    await adapter.sendText(outbound({ channel, from }));

    // Assess
    expect(fake.requests[0]?.form).toMatchObject(form);
    expect(fake.requests[0]?.form).not.toHaveProperty('MessagingServiceSid');
  });

  it('sends a Messaging Service identity as MessagingServiceSid alone, with no From, even with numbers configured', async () => {
    // Prepare
    const adapter = provider();

    // Act
    await adapter.sendText(outbound({ from: { kind: 'messaging_service', address: MESSAGING_SERVICE_SID } }));

    // Assess
    expect(fake.requests[0]?.form).toMatchObject({ MessagingServiceSid: MESSAGING_SERVICE_SID });
    expect(fake.requests[0]?.form).not.toHaveProperty('From');
  });
});

describe('TwilioProvider.sendText: failures', () => {
  it('refuses a channel it has no sender for, without calling Twilio', async () => {
    // Prepare
    const adapter = provider({ whatsappFrom: undefined });

    // Act
    const error = await sendExpectingError(adapter, outbound({ channel: 'whatsapp' }));

    // Assess
    expect(error.kind).toBe('misconfigured');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('whatsappFrom');
    expect(fake.requests).toHaveLength(0);
  });

  it('reports HTTP 429 with code 20429 as throttled and retryable, after one request (no SDK retry)', async () => {
    // Prepare
    const adapter = provider();
    fake.failNext({ status: 429, code: 20429, message: 'Too Many Requests' });

    // Act
    const error = await sendExpectingError(adapter, outbound());

    // Assess
    expect(error.kind).toBe('throttled');
    expect(error.retryable).toBe(true);
    expect(error.providerCode).toBe('20429');
    expect(error.provider).toBe('twilio');
    expect(fake.requests).toHaveLength(1);
  });

  it('reports a bare HTTP 429 (no Twilio code) as throttled', async () => {
    // Prepare
    const adapter = provider();
    fake.failNext({ status: 429 });

    // Act
    const error = await sendExpectingError(adapter, outbound());

    // Assess
    expect(error.kind).toBe('throttled');
    expect(error.providerCode).toBeUndefined();
  });

  it.each([500, 502, 503, 504])('reports HTTP %i without a Twilio body as connectionFailed and retryable', async (status) => {
    // Prepare
    const adapter = provider();
    fake.failNext({ status });

    // Act
    const error = await sendExpectingError(adapter, outbound());

    // Assess
    expect(error.kind).toBe('connectionFailed');
    expect(error.retryable).toBe(true);
    expect(fake.requests).toHaveLength(1);
  });

  it('reports a refused connection as connectionFailed', async () => {
    // Prepare: a port that was free a moment ago and has nothing listening now
    const closedPort = await new Promise<number>((resolve, reject) => {
      const probe = createServer();
      probe.once('error', reject);
      probe.listen(0, '127.0.0.1', () => {
        const address = probe.address();
        const port = typeof address === 'object' && address !== null ? address.port : 0;
        probe.close(() => resolve(port));
      });
    });
    const adapter = provider({ apiBaseUrl: `http://127.0.0.1:${closedPort}` });

    // Act
    const error = await sendExpectingError(adapter, outbound());

    // Assess
    expect(error.kind).toBe('connectionFailed');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('reports a connection dropped mid-request as outcomeUnknown, which is not retried', async () => {
    // Prepare
    const adapter = provider();
    fake.failNext({ dropConnection: true });

    // Act
    const error = await sendExpectingError(adapter, outbound());

    // Assess: Twilio may have taken the message, so a retry could text the resident twice
    expect(error.kind).toBe('outcomeUnknown');
    expect(error.retryable).toBe(false);
  });

  it('gives up after its timeout and reports outcomeUnknown, which is not retried', async () => {
    // Prepare: the fake would answer with success after 2 s, well after the adapter's 150 ms
    const adapter = provider({}, { timeoutMs: 150 });
    fake.failNext({ delayMs: 2_000 });

    // Act
    const error = await sendExpectingError(adapter, outbound());

    // Assess
    expect(error.kind).toBe('outcomeUnknown');
    expect(error.retryable).toBe(false);
  });

  it('reports wrong credentials (the API answers 401, code 20003) as misconfigured', async () => {
    // Prepare
    const adapter = provider({ authToken: 'not-the-token' });

    // Act
    const error = await sendExpectingError(adapter, outbound());

    // Assess
    expect(fake.requests[0]?.authenticated).toBe(false);
    expect(error.kind).toBe('misconfigured');
    expect(error.retryable).toBe(false);
    expect(error.providerCode).toBe('20003');
  });

  it('refuses a 2xx answer whose sid is not a Twilio message sid', async () => {
    // Prepare
    const adapter = provider();
    fake.failNext({ respond: { status: 201, body: { sid: 'not-a-sid', status: 'queued' } } });

    // Act
    const error = await sendExpectingError(adapter, outbound());

    // Assess
    expect(error.kind).toBe('misconfigured');
    expect(error.retryable).toBe(false);
  });

  it('reports an unlisted Twilio code on a 400 as rejected', async () => {
    // Prepare
    const adapter = provider();
    fake.failNext({ status: 400, code: 99999, message: 'Something new' });

    // Act
    const error = await sendExpectingError(adapter, outbound());

    // Assess
    expect(error.kind).toBe('rejected');
    expect(error.retryable).toBe(false);
    expect(error.providerCode).toBe('99999');
    expect(error.message).toContain('Something new');
  });
});

describe('TwilioProvider.sendText: every entry of the error-code table', () => {
  const rows = Object.entries(twilioErrorCodeKinds).map(([code, kind]) => ({ code: Number(code), kind }));

  it.each(rows)('Twilio error $code → $kind', async ({ code, kind }) => {
    // Prepare
    const adapter = provider();
    fake.failNext({ status: httpStatusFor(code), code, message: `Twilio error ${code}` });

    // Act
    const error = await sendExpectingError(adapter, outbound());

    // Assess
    expect(error.kind).toBe(kind);
    expect(error.retryable).toBe(providerErrorKinds[kind].retryable);
    expect(error.providerCode).toBe(String(code));
  });
});
