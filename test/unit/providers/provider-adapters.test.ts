import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Sandbox } from '../../../local/sandbox.js';
import { AwsSmsProvider } from '../../../shared/adapters/providers/aws-sms/adapter.js';
import { SandboxProvider } from '../../../shared/adapters/providers/sandbox/adapter.js';
import { TwilioProvider } from '../../../shared/adapters/providers/twilio/adapter.js';
import { WhatsAppCloudProvider } from '../../../shared/adapters/providers/whatsapp-cloud/adapter.js';
import { ProviderError } from '../../../shared/domain/errors.js';
import { toE164, type E164 } from '../../../shared/domain/phone.js';
import type { MessagingProvider, OutboundText } from '../../../shared/ports/messaging-provider.js';
import { logger } from '../../../shared/runtime/logger.js';
import { startFakeAwsSmsApi, type FakeAwsSmsApi } from '../../support/fake-aws-sms-api.js';
import { readBody, stopFakeServer } from '../../support/fake-http-server.js';
import { startFakeTwilioApi, type FakeTwilioApi } from '../../support/fake-twilio-api.js';
import { startFakeWhatsAppCloudApi, type FakeWhatsAppCloudApi } from '../../support/fake-whatsapp-cloud-api.js';

/**
 * One harness for every provider adapter, a table row per provider and answer: the request the
 * adapter sent, in its provider's terms; the provider's answer (each adapter's own API fake);
 * and the result crier acts on. Every log line written while a row runs, the outcome logged as
 * the sender logs it included, is captured, and none may carry a credential the adapter holds.
 */

const RESIDENT = toE164('+447700100123', 'GB') as E164;
const BODY = 'Roadworks on Queen Street until 6pm.';
const MESSAGE_ID = '01J0CRIERMESSAGE0000000001';
const COUNCIL_SMS = '+447700100000';

function outbound(channel: OutboundText['channel']): OutboundText {
  return { messageId: MESSAGE_ID, to: RESIDENT, channel, body: BODY, statusCallbackUrl: `https://crier.example.gov.uk/webhooks/status?messageId=${MESSAGE_ID}` };
}

type Answer = 'accepted' | 'refused' | 'throttled';
type ProviderId = 'twilio' | 'whatsapp-cloud' | 'aws-sms' | 'sandbox';

interface AdapterUnderTest {
  adapter: MessagingProvider;
  message: OutboundText;
  /** The secrets the adapter was given: none may reach a log line. */
  credentials: string[];
  /** Scripts the provider's answer to the next send. */
  answerNext(answer: Answer): void;
  /** The last request the provider received, in its API's own terms. */
  lastRequest(): unknown;
  close(): Promise<void>;
}

async function twilio(): Promise<AdapterUnderTest> {
  const fake: FakeTwilioApi = await startFakeTwilioApi();
  const adapter = new TwilioProvider({ accountSid: fake.accountSid, authToken: fake.authToken, smsFrom: COUNCIL_SMS, apiBaseUrl: fake.baseUrl });
  return {
    adapter,
    message: outbound('sms'),
    credentials: [fake.authToken],
    answerNext: (answer) => {
      if (answer === 'refused') fake.failNext({ status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
      if (answer === 'throttled') fake.failNext({ status: 429, code: 20429, message: 'Too Many Requests' });
    },
    lastRequest: () => {
      const request = fake.requests.at(-1);
      return { path: request?.path, authenticated: request?.authenticated, form: request?.form };
    },
    close: () => fake.close(),
  };
}

async function whatsappCloud(): Promise<AdapterUnderTest> {
  const fake: FakeWhatsAppCloudApi = await startFakeWhatsAppCloudApi();
  const adapter = new WhatsAppCloudProvider({
    WHATSAPP_CLOUD_ACCESS_TOKEN: fake.accessToken,
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: fake.phoneNumberId,
    WHATSAPP_CLOUD_API_BASE_URL: fake.baseUrl,
  });
  return {
    adapter,
    message: outbound('whatsapp'),
    credentials: [fake.accessToken],
    answerNext: (answer) => {
      if (answer === 'refused') fake.failNext({ status: 400, code: 131026, message: 'Message undeliverable' });
      if (answer === 'throttled') fake.failNext({ status: 429, code: 130429, message: 'Rate limit hit' });
    },
    lastRequest: () => {
      const request = fake.requests.at(-1);
      return { path: request?.path, authenticated: request?.authenticated, body: request?.body };
    },
    close: () => fake.close(),
  };
}

async function awsSms(): Promise<AdapterUnderTest> {
  const fake: FakeAwsSmsApi = await startFakeAwsSmsApi();
  const credentials = { accessKeyId: 'AKIAHARNESSKEY000001', secretAccessKey: 'harness/secret/Access+Key0000000000000001' };
  const client = new PinpointSMSVoiceV2Client({ region: 'eu-west-2', endpoint: fake.endpoint, credentials, maxAttempts: 1 });
  const adapter = new AwsSmsProvider({ AWS_REGION: 'eu-west-2', AWS_SMS_ORIGINATION_IDENTITY: COUNCIL_SMS, AWS_SMS_CONFIGURATION_SET: 'crier' }, { client });
  return {
    adapter,
    message: outbound('sms'),
    credentials: [credentials.accessKeyId, credentials.secretAccessKey],
    answerNext: (answer) => {
      if (answer === 'refused') {
        fake.failNext({ status: 400, type: 'ConflictException', message: 'The destination phone number is opted out.', fields: { Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT', ResourceType: 'opt-out-list', ResourceId: 'Default' } });
      }
      if (answer === 'throttled') fake.failNext({ status: 429, type: 'ThrottlingException', message: 'Rate exceeded' });
    },
    lastRequest: () => {
      const request = fake.requests.at(-1);
      return { target: request?.target, signedWith: request?.authorization?.includes(`Credential=${credentials.accessKeyId}/`), body: request?.body };
    },
    close: async () => {
      client.destroy();
      await fake.close();
    },
  };
}

/** The local stack's Sandbox, on a server of its own: the sandbox adapter's provider. */
async function sandbox(): Promise<AdapterUnderTest> {
  let baseUrl = '';
  const received: unknown[] = [];
  const authToken = 'harness-sandbox-auth-token-0001';
  const local = new Sandbox({
    messagesPerSecond: undefined,
    failureRate: 0,
    receiptDelayMs: undefined,
    localBaseUrl: () => baseUrl,
    authToken,
    accountSid: `AC${'0'.repeat(32)}`,
    smsFrom: 'CRIER',
    whatsappFrom: 'whatsapp:+447700900000',
  });
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      received.push(JSON.parse(body));
      await local.handle(request, response, new URL(request.url ?? '/', baseUrl), Buffer.from(body));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let refuseNext = false;
  const message = outbound('sms');
  return {
    adapter: new SandboxProvider(`${baseUrl}/sandbox`),
    // The sandbox refuses a request it cannot read; the adapter passes on what it is given.
    get message() {
      return refuseNext ? { ...message, to: '07700100123' as E164 } : message;
    },
    credentials: [authToken],
    answerNext: (answer) => {
      refuseNext = answer === 'refused';
      if (answer === 'throttled') local.throttle('sandbox', { sends: 1 });
    },
    lastRequest: () => received.at(-1),
    close: async () => {
      local.close();
      await stopFakeServer(server, new Set());
    },
  };
}

const adapters: Record<ProviderId, () => Promise<AdapterUnderTest>> = { twilio, 'whatsapp-cloud': whatsappCloud, 'aws-sms': awsSms, sandbox };

/** The request each provider should have received for `message`, in its API's terms. */
const requestFor: Record<ProviderId, (message: OutboundText) => unknown> = {
  twilio: (message) => ({
    path: expect.stringMatching(/^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Messages\.json$/),
    authenticated: true,
    form: { To: message.to, From: COUNCIL_SMS, Body: message.body, StatusCallback: message.statusCallbackUrl },
  }),
  'whatsapp-cloud': (message) => ({
    path: expect.stringMatching(/^\/v\d+\.\d+\/106540352242922\/messages$/),
    authenticated: true,
    body: expect.objectContaining({ messaging_product: 'whatsapp', to: message.to, type: 'text', text: expect.objectContaining({ body: message.body }), biz_opaque_callback_data: message.messageId }),
  }),
  'aws-sms': (message) => ({
    target: 'PinpointSMSVoiceV2.SendTextMessage',
    signedWith: true,
    body: { DestinationPhoneNumber: message.to, OriginationIdentity: COUNCIL_SMS, ConfigurationSetName: 'crier', MessageBody: message.body, MessageType: 'TRANSACTIONAL', Context: { messageId: message.messageId } },
  }),
  // The sandbox API takes crier's own message as it is.
  sandbox: (message) => message,
};

type Result = { provider: string; providerMessageId: RegExp } | { error: { kind: string; providerCode: string | undefined; retryable: boolean } };

const rows: [ProviderId, Answer, Result][] = [
  ['twilio', 'accepted', { provider: 'twilio', providerMessageId: /^SM[0-9a-f]{32}$/ }],
  ['twilio', 'refused', { error: { kind: 'recipientOptedOut', providerCode: '21610', retryable: false } }],
  ['twilio', 'throttled', { error: { kind: 'throttled', providerCode: '20429', retryable: true } }],
  ['whatsapp-cloud', 'accepted', { provider: 'whatsapp-cloud', providerMessageId: /^wamid\./ }],
  ['whatsapp-cloud', 'refused', { error: { kind: 'invalidRecipient', providerCode: '131026', retryable: false } }],
  ['whatsapp-cloud', 'throttled', { error: { kind: 'throttled', providerCode: '130429', retryable: true } }],
  ['aws-sms', 'accepted', { provider: 'aws-sms', providerMessageId: /^[0-9a-f-]{36}$/ }],
  ['aws-sms', 'refused', { error: { kind: 'recipientOptedOut', providerCode: 'ConflictException:DESTINATION_PHONE_NUMBER_OPTED_OUT', retryable: false } }],
  ['aws-sms', 'throttled', { error: { kind: 'throttled', providerCode: 'ThrottlingException', retryable: true } }],
  ['sandbox', 'accepted', { provider: 'sandbox', providerMessageId: /^SM[0-9a-f]{32}$/ }],
  ['sandbox', 'refused', { error: { kind: 'rejected', providerCode: '400', retryable: false } }],
  ['sandbox', 'throttled', { error: { kind: 'throttled', providerCode: '429', retryable: true } }],
];

/** Everything written to stdout, stderr or the console from now on (Powertools writes to stdout). */
function captureLogLines(): string[] {
  const lines: string[] = [];
  const keep = (chunk: unknown) => {
    lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(keep);
  vi.spyOn(process.stderr, 'write').mockImplementation(keep);
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
  }
  return lines;
}

describe('every provider adapter, one table: request sent, answer, result, and no credential in a log line', () => {
  const running = new Map<ProviderId, AdapterUnderTest>();
  const levelBefore = logger.getLevelName();

  beforeAll(async () => {
    for (const [id, start] of Object.entries(adapters)) running.set(id as ProviderId, await start());
    // Everything an adapter or the SDKs under it might say.
    logger.setLogLevel('DEBUG');
  });
  afterAll(async () => {
    logger.setLogLevel(levelBefore);
    for (const adapter of running.values()) await adapter.close();
  });

  it.each(rows)('%s, %s', async (id, answer, expected) => {
    // Prepare
    const underTest = running.get(id)!;
    underTest.answerNext(answer);
    const message = underTest.message;
    const lines = captureLogLines();

    // Act: the send, and its outcome logged as the sender logs one (the error with its causes).
    const outcome = await underTest.adapter.sendText(message).then(
      (accepted) => ({ accepted }),
      (error: unknown) => ({ error }),
    );
    if ('error' in outcome) logger.error('provider send failed', { error: outcome.error, messageId: message.messageId });
    else logger.info('provider accepted the send', { ...outcome.accepted, messageId: message.messageId });
    vi.restoreAllMocks();

    // Assess
    expect(underTest.lastRequest()).toEqual(requestFor[id](message));
    if ('error' in expected) {
      expect(outcome).toEqual({ error: expect.any(ProviderError) });
      const error = (outcome as { error: ProviderError }).error;
      expect({ kind: error.kind, providerCode: error.providerCode, retryable: error.retryable }).toEqual(expected.error);
    } else {
      expect(outcome).toEqual({ accepted: { provider: expected.provider, providerMessageId: expect.stringMatching(expected.providerMessageId) } });
    }
    expect(lines.length).toBeGreaterThan(0);
    const leaks = lines.filter((line) => underTest.credentials.some((credential) => line.includes(credential)));
    expect(leaks, 'log lines carrying a credential').toEqual([]);
  });
});
