import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import statusDelivered from '../../../../events/whatsapp-cloud/status-delivered.json';
import { startFakeWhatsAppCloudApi, type FakeWhatsAppCloudApi } from '../../../../test/support/fake-whatsapp-cloud-api.js';
import { ConfigurationError, ProviderError, providerErrorKinds } from '../../../domain/errors.js';
import { toE164, type E164 } from '../../../domain/phone.js';
import type { OutboundText } from '../../../ports/messaging-provider.js';
import { WhatsAppCloudProvider, type WhatsAppCloudProviderOptions } from './adapter.js';
import { whatsappCloudErrorCodeKinds, whatsappCloudErrorSubcodeKinds } from './error-codes.js';
import { DEFAULT_WHATSAPP_CLOUD_API_VERSION, type WhatsAppCloudSettings } from './settings.js';
import { parseWhatsAppWebhook } from './webhooks.js';

function e164(number: string): E164 {
  const normalised = toE164(number, 'GB');
  if (!normalised) throw new Error(`test number ${number} is not valid`);
  return normalised;
}

const RESIDENT = e164('+447700100123');
const MESSAGE_ID = '01J0CRIERMESSAGE0000000001';
const WAMID = /^wamid\.[A-Za-z0-9+/=]+$/;

let fake: FakeWhatsAppCloudApi;

beforeAll(async () => {
  fake = await startFakeWhatsAppCloudApi();
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  fake.requests.length = 0;
});

function provider(overrides: Partial<WhatsAppCloudSettings> = {}, options?: WhatsAppCloudProviderOptions): WhatsAppCloudProvider {
  return new WhatsAppCloudProvider(
    {
      WHATSAPP_CLOUD_ACCESS_TOKEN: fake.accessToken,
      WHATSAPP_CLOUD_PHONE_NUMBER_ID: fake.phoneNumberId,
      WHATSAPP_CLOUD_API_BASE_URL: fake.baseUrl,
      ...overrides,
    },
    options,
  );
}

function outbound(overrides: Partial<OutboundText> = {}): OutboundText {
  return {
    messageId: MESSAGE_ID,
    to: RESIDENT,
    channel: 'whatsapp',
    body: 'Roadworks on Queen Street until 6pm.',
    statusCallbackUrl: 'https://crier.example.gov.uk/webhooks/whatsapp',
    ...overrides,
  };
}

async function sendExpectingError(adapter: WhatsAppCloudProvider, message: OutboundText): Promise<ProviderError> {
  const error = await adapter.sendText(message).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ProviderError)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  return error;
}

/** A port that was free a moment ago and has nothing listening now. */
async function closedPort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** The HTTP status Meta pairs with a code: 429 for throttling, 401 for tokens, 500 for its own failures, 400 otherwise. */
function httpStatusFor(code: number): number {
  if (code === 4 || code === 80007 || code === 130429 || code === 131056) return 429;
  if (code === 190 || code === 0) return 401;
  if (code === 10 || code === 200 || code === 3) return 403;
  if (code === 1 || code === 2 || code === 131000) return 500;
  if (code === 131016) return 503;
  return 400;
}

describe('WhatsAppCloudProvider.sendText: accepted messages', () => {
  it('posts a text message to /{version}/{phone-number-id}/messages with the bearer token and returns the wamid', async () => {
    // Prepare
    const adapter = provider();

    // Act
    const acceptance = await adapter.sendText(outbound());

    // Assess
    expect(acceptance.provider).toBe('whatsapp-cloud');
    expect(acceptance.providerMessageId).toMatch(WAMID);
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(`/${DEFAULT_WHATSAPP_CLOUD_API_VERSION}/${fake.phoneNumberId}/messages`);
    expect(request?.authenticated).toBe(true);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+447700100123',
      biz_opaque_callback_data: MESSAGE_ID,
      type: 'text',
      text: { preview_url: false, body: 'Roadworks on Queen Street until 6pm.' },
    });
  });

  it('sends a template by name and language with its parameters as body text parameters, and no free text', async () => {
    // Prepare
    const adapter = provider();
    const template = { name: 'road_closure', language: 'en_GB', parameters: ['Queen Street', '6pm'] };

    // Act
    const acceptance = await adapter.sendText(outbound({ template }));

    // Assess
    expect(acceptance.providerMessageId).toMatch(WAMID);
    expect(fake.requests[0]?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+447700100123',
      biz_opaque_callback_data: MESSAGE_ID,
      type: 'template',
      template: {
        name: 'road_closure',
        language: { code: 'en_GB' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Queen Street' },
              { type: 'text', text: '6pm' },
            ],
          },
        ],
      },
    });
  });

  it('sends a template without parameters without components', async () => {
    // Prepare
    const adapter = provider();

    // Act
    await adapter.sendText(outbound({ template: { name: 'service_resumed', language: 'cy', parameters: [] } }));

    // Assess
    expect(fake.requests[0]?.body).toMatchObject({ type: 'template', template: { name: 'service_resumed', language: { code: 'cy' } } });
    expect(fake.requests[0]?.body).not.toHaveProperty('template.components');
  });

  it('posts to the sender identity’s phone number ID, over the configured one', async () => {
    // Prepare
    const adapter = provider();
    const identity = { kind: 'whatsapp_number' as const, address: '106540352242922' };

    // Act
    await adapter.sendText(outbound({ from: identity }));

    // Assess
    expect(fake.requests[0]?.path).toBe(`/${DEFAULT_WHATSAPP_CLOUD_API_VERSION}/106540352242922/messages`);
  });

  it('sends from the identity alone when the settings name no phone number ID (SENDERS does)', async () => {
    // Prepare
    const adapter = provider({ WHATSAPP_CLOUD_PHONE_NUMBER_ID: undefined });

    // Act
    const acceptance = await adapter.sendText(outbound({ from: { kind: 'whatsapp_number', address: '106540352242922' } }));

    // Assess
    expect(acceptance.provider).toBe('whatsapp-cloud');
    expect(fake.requests[0]?.path).toContain('/106540352242922/messages');
  });

  it('calls the configured API version', async () => {
    // Prepare
    const adapter = provider({ WHATSAPP_CLOUD_API_VERSION: 'v24.0' });

    // Act
    await adapter.sendText(outbound());

    // Assess
    expect(fake.requests[0]?.version).toBe('v24.0');
  });

  it('sends crier\'s message id as biz_opaque_callback_data, which the status webhook parser reads back', async () => {
    // Prepare
    const adapter = provider();
    const acceptance = await adapter.sendText(outbound());
    const sent = fake.requests[0]?.body as { biz_opaque_callback_data: string };
    const receipt = structuredClone(statusDelivered);
    const [status] = receipt.entry[0]!.changes[0]!.value.statuses;
    Object.assign(status!, { id: acceptance.providerMessageId, biz_opaque_callback_data: sent.biz_opaque_callback_data });

    // Act
    const batch = parseWhatsAppWebhook(JSON.stringify(receipt), 'GB');

    // Assess
    expect(batch.receipts).toEqual([expect.objectContaining({ providerMessageId: acceptance.providerMessageId, messageId: MESSAGE_ID })]);
  });
});

describe('WhatsAppCloudProvider: settings', () => {
  it.each([
    ['WHATSAPP_CLOUD_ACCESS_TOKEN', { WHATSAPP_CLOUD_ACCESS_TOKEN: undefined }],
    ['WHATSAPP_CLOUD_PHONE_NUMBER_ID', { WHATSAPP_CLOUD_PHONE_NUMBER_ID: '+447700100000' }],
    ['WHATSAPP_CLOUD_API_VERSION', { WHATSAPP_CLOUD_API_VERSION: '25' }],
  ] as const)('refuses to start without a valid %s, naming it', (name, overrides) => {
    // Prepare
    const settings = { ...overrides };

    // Act
    const attempt = () => provider(settings as Partial<WhatsAppCloudSettings>);

    // Assess
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(name);
  });

  it('never repeats the access token in its error', () => {
    // Prepare
    const settings = { WHATSAPP_CLOUD_ACCESS_TOKEN: '', WHATSAPP_CLOUD_PHONE_NUMBER_ID: 'EAAGsecret-looking' };

    // Act
    const error = (() => {
      try {
        provider(settings);
      } catch (caught) {
        return caught as Error;
      }
      throw new Error('expected an error');
    })();

    // Assess
    expect(error.message).not.toContain('EAAGsecret-looking');
    expect(error.message).not.toContain(fake.accessToken);
  });
});

describe('WhatsAppCloudProvider.sendText: failures', () => {
  it('refuses an SMS, which the WhatsApp Cloud API cannot carry, without calling Meta', async () => {
    // Prepare
    const adapter = provider();

    // Act
    const error = await sendExpectingError(adapter, outbound({ channel: 'sms' }));

    // Assess
    expect(error.kind).toBe('misconfigured');
    expect(fake.requests).toHaveLength(0);
  });

  it('reports 130429 as throttled and retryable, with the code and Meta\'s trace id in the message', async () => {
    // Prepare
    const adapter = provider();
    fake.failNext({ status: 429, code: 130429, message: '(#130429) Rate limit hit', details: 'Cloud API message throughput has been reached.' });

    // Act
    const error = await sendExpectingError(adapter, outbound());

    // Assess
    expect(error.kind).toBe('throttled');
    expect(error.retryable).toBe(true);
    expect(error.provider).toBe('whatsapp-cloud');
    expect(error.providerCode).toBe('130429');
    expect(error.message).toContain('Cloud API message throughput has been reached.');
    expect(error.message).toContain('fbtrace_id');
    expect(fake.requests).toHaveLength(1);
  });

  it('reports a wrong access token (HTTP 401, code 190) as misconfigured', async () => {
    // Prepare
    const adapter = provider({ WHATSAPP_CLOUD_ACCESS_TOKEN: 'not-the-token' });

    // Act
    const error = await sendExpectingError(adapter, outbound());

    // Assess
    expect(fake.requests[0]?.authenticated).toBe(false);
    expect(error.kind).toBe('misconfigured');
    expect(error.providerCode).toBe('190');
  });

  it('reports a phone number ID Meta does not know (code 100, subcode 33) as misconfigured, not a bad message', async () => {
    // Prepare
    const adapter = provider({ WHATSAPP_CLOUD_PHONE_NUMBER_ID: '999999999999999' });

    // Act
    const error = await sendExpectingError(adapter, outbound());

    // Assess
    expect(error.kind).toBe('misconfigured');
    expect(error.providerCode).toBe('100');
    expect(error.message).toContain('100/33');
  });

  it.each([500, 502, 503, 504])('reports HTTP %i without a Graph error body as connectionFailed and retryable', async (status) => {
    // Prepare
    const adapter = provider();
    fake.failNext({ status });

    // Act
    const error = await sendExpectingError(adapter, outbound());

    // Assess
    expect(error.kind).toBe('connectionFailed');
    expect(error.retryable).toBe(true);
    expect(error.providerCode).toBe(String(status));
  });

  it('reports a bare HTTP 429 as throttled', async () => {
    // Prepare
    const adapter = provider();
    fake.failNext({ status: 429 });

    // Act
    const error = await sendExpectingError(adapter, outbound());

    // Assess
    expect(error.kind).toBe('throttled');
  });

  it('reports an unlisted code on a 400 as rejected', async () => {
    // Prepare
    const adapter = provider();
    fake.failNext({ status: 400, code: 139999, message: 'Something new' });

    // Act
    const error = await sendExpectingError(adapter, outbound());

    // Assess
    expect(error.kind).toBe('rejected');
    expect(error.retryable).toBe(false);
    expect(error.providerCode).toBe('139999');
  });

  it('reports a refused connection as connectionFailed, which is retried', async () => {
    // Prepare
    const adapter = provider({ WHATSAPP_CLOUD_API_BASE_URL: `http://127.0.0.1:${await closedPort()}` });

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

    // Assess: Meta may have taken the message, so a retry could message the resident twice
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

  it.each([
    ['a body without messages', { messaging_product: 'whatsapp', contacts: [] }],
    ['an empty messages list', { messaging_product: 'whatsapp', messages: [] }],
    ['not JSON at all', 'ok'],
  ])('refuses a 200 answer that is %s', async (_case, body) => {
    // Prepare
    const adapter = provider();
    fake.failNext({ respond: { status: 200, body } });

    // Act
    const error = await sendExpectingError(adapter, outbound());

    // Assess
    expect(error.kind).toBe('misconfigured');
    expect(error.retryable).toBe(false);
  });
});

describe('WhatsAppCloudProvider.sendText: every entry of the error-code table', () => {
  const rows = Object.entries(whatsappCloudErrorCodeKinds).map(([code, kind]) => ({ code: Number(code), kind }));

  it.each(rows)('Graph API error $code → $kind', async ({ code, kind }) => {
    // Prepare
    const adapter = provider();
    fake.failNext({ status: httpStatusFor(code), code, message: `(#${code}) Meta error ${code}` });

    // Act
    const error = await sendExpectingError(adapter, outbound());

    // Assess
    expect(error.kind).toBe(kind);
    expect(error.retryable).toBe(providerErrorKinds[kind].retryable);
    expect(error.providerCode).toBe(String(code));
  });

  const subcodeRows = Object.entries(whatsappCloudErrorSubcodeKinds).map(([key, kind]) => {
    const [code, subcode] = key.split('/').map(Number);
    return { key, code: code!, subcode: subcode!, kind };
  });

  it.each(subcodeRows)('Graph API error $key → $kind', async ({ code, subcode, kind }) => {
    // Prepare
    const adapter = provider();
    fake.failNext({ status: 400, code, subcode, message: `(#${code}) Meta error ${code}/${subcode}` });

    // Act
    const error = await sendExpectingError(adapter, outbound());

    // Assess
    expect(error.kind).toBe(kind);
    expect(error.providerCode).toBe(String(code));
  });
});
