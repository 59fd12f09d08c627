import 'aws-sdk-client-mock-vitest/extend';
import {
  AccessDeniedException,
  ConflictException,
  InternalServerException,
  PinpointSMSVoiceV2Client,
  ResourceNotFoundException,
  SendTextMessageCommand,
  ServiceQuotaExceededException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError, ProviderError, providerErrorKinds } from '../../../domain/errors.js';
import { toE164, type E164 } from '../../../domain/phone.js';
import type { OutboundText } from '../../../ports/messaging-provider.js';
import { AwsSmsProvider } from './adapter.js';
import {
  awsSmsConflictReasonKinds,
  awsSmsExceptionKinds,
  awsSmsQuotaReasonKinds,
  awsSmsValidationReasonKinds,
  type AwsSmsException,
} from './error-codes.js';
import type { AwsSmsSettings } from './settings.js';

function e164(number: string): E164 {
  const normalised = toE164(number, 'GB');
  if (!normalised) throw new Error(`test number ${number} is not valid`);
  return normalised;
}

const RESIDENT = e164('+447700100123');
const MESSAGE_ID = '01J0CRIERMESSAGE0000000001';
const POOL = 'pool-2ee1a5c4e5e24d2a9bb0d2f4c8f3a111';
const CONFIGURATION_SET = 'crier-receipts';
const AWS_MESSAGE_ID = '862a8790-60c0-4430-9b2b-658bdexample';

const sms = mockClient(PinpointSMSVoiceV2Client);

beforeEach(() => {
  sms.reset();
});

function provider(overrides: Partial<AwsSmsSettings> = {}): AwsSmsProvider {
  return new AwsSmsProvider(
    { AWS_SMS_ORIGINATION_IDENTITY: POOL, AWS_SMS_CONFIGURATION_SET: CONFIGURATION_SET, AWS_REGION: 'eu-west-2', ...overrides },
    { client: new PinpointSMSVoiceV2Client({ region: 'eu-west-2' }) },
  );
}

function outbound(overrides: Partial<OutboundText> = {}): OutboundText {
  return {
    messageId: MESSAGE_ID,
    to: RESIDENT,
    channel: 'sms',
    body: 'Roadworks on Queen Street until 6pm. Reply STOP to stop.',
    statusCallbackUrl: 'https://crier.example.gov.uk/webhooks/unused',
    ...overrides,
  };
}

async function sendExpectingError(adapter: AwsSmsProvider, message: OutboundText = outbound()): Promise<ProviderError> {
  const error = await adapter.sendText(message).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ProviderError)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  return error;
}

const metadata = { httpStatusCode: 400, requestId: 'c0ffee00-0000-4000-8000-000000000000' };

/** The exception AWS answers with, built as the SDK deserialises it (name, $fault, Reason). */
function exception(name: AwsSmsException, reason?: string): Error {
  const message = `${name}${reason ? ` (${reason})` : ''}`;
  switch (name) {
    case 'ThrottlingException':
      return new ThrottlingException({ message, $metadata: { ...metadata, httpStatusCode: 429 } });
    case 'InternalServerException':
      return new InternalServerException({ message, $metadata: { ...metadata, httpStatusCode: 500 } });
    case 'ResourceNotFoundException':
      return new ResourceNotFoundException({ message, $metadata: { ...metadata, httpStatusCode: 404 }, ResourceType: 'configuration-set', ResourceId: CONFIGURATION_SET });
    case 'AccessDeniedException':
      return new AccessDeniedException({ message, $metadata: { ...metadata, httpStatusCode: 403 }, Reason: (reason ?? 'ACCOUNT_DISABLED') as never });
    case 'ServiceQuotaExceededException':
      return new ServiceQuotaExceededException({
        message,
        $metadata: { ...metadata, httpStatusCode: 402 },
        Reason: (reason ?? 'MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT') as never,
      });
    case 'ConflictException':
      return new ConflictException({ message, $metadata: { ...metadata, httpStatusCode: 409 }, Reason: reason as never, ResourceType: 'opt-out-list', ResourceId: 'Default' });
    case 'ValidationException':
      return new ValidationException({ message, $metadata: metadata, Reason: reason as never, Fields: [] });
  }
}

describe('AwsSmsProvider.sendText: accepted messages', () => {
  it('sends a transactional SMS from the origination identity with the configuration set and crier\'s id in Context', async () => {
    // Prepare
    sms.on(SendTextMessageCommand).resolves({ MessageId: AWS_MESSAGE_ID });
    const adapter = provider();

    // Act
    const acceptance = await adapter.sendText(outbound());

    // Assess
    expect(acceptance).toEqual({ provider: 'aws-sms', providerMessageId: AWS_MESSAGE_ID });
    expect(sms).toHaveReceivedCommandTimes(SendTextMessageCommand, 1);
    expect(sms).toHaveReceivedCommandWith(SendTextMessageCommand, {
      DestinationPhoneNumber: '+447700100123',
      OriginationIdentity: POOL,
      ConfigurationSetName: CONFIGURATION_SET,
      MessageBody: 'Roadworks on Queen Street until 6pm. Reply STOP to stop.',
      MessageType: 'TRANSACTIONAL',
      Context: { messageId: MESSAGE_ID },
    });
  });

  it.each([
    ['a long code', { kind: 'long_code' as const, address: '+447700900200' }],
    ['a sender ID', { kind: 'alphanumeric' as const, address: 'CARDIFF' }],
    ['another pool', { kind: 'pool' as const, address: 'pool-0123456789abcdef0123456789abcdef' }],
  ])('sends from the sender identity crier chose, over the configured one: %s', async (_case, from) => {
    // Prepare
    sms.on(SendTextMessageCommand).resolves({ MessageId: AWS_MESSAGE_ID });
    const adapter = provider();

    // Act
    await adapter.sendText(outbound({ from }));

    // Assess
    expect(sms).toHaveReceivedCommandWith(SendTextMessageCommand, { OriginationIdentity: from.address, ConfigurationSetName: CONFIGURATION_SET });
  });

  it('refuses to send with neither an identity nor AWS_SMS_ORIGINATION_IDENTITY, without calling AWS', async () => {
    // Prepare
    const adapter = provider({ AWS_SMS_ORIGINATION_IDENTITY: undefined });

    // Act
    const error = await adapter.sendText(outbound()).catch((caught: unknown) => caught);

    // Assess
    expect(error).toMatchObject({ kind: 'misconfigured', message: expect.stringContaining('AWS_SMS_ORIGINATION_IDENTITY') });
    expect(sms).toHaveReceivedCommandTimes(SendTextMessageCommand, 0);
  });

  it('reports a 2xx answer without a MessageId as outcomeUnknown: it may have been sent, and cannot be tracked', async () => {
    // Prepare
    sms.on(SendTextMessageCommand).resolves({});
    const adapter = provider();

    // Act
    const error = await sendExpectingError(adapter);

    // Assess
    expect(error.kind).toBe('outcomeUnknown');
    expect(error.retryable).toBe(false);
  });
});

describe('AwsSmsProvider: settings', () => {
  it.each([
    ['AWS_SMS_ORIGINATION_IDENTITY', { AWS_SMS_ORIGINATION_IDENTITY: '' }],
    ['AWS_SMS_CONFIGURATION_SET', { AWS_SMS_CONFIGURATION_SET: undefined }],
    ['AWS_REGION', { AWS_REGION: undefined }],
    ['AWS_REGION', { AWS_REGION: 'London' }],
  ] as const)('refuses to start without a valid %s, naming it', (name, overrides) => {
    // Prepare
    const settings = { ...overrides } as unknown as Partial<AwsSmsSettings>;

    // Act
    const attempt = () => provider(settings);

    // Assess
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(name);
  });
});

describe('AwsSmsProvider.sendText: failures', () => {
  it('refuses WhatsApp, which AWS End User Messaging SMS cannot carry, without calling AWS', async () => {
    // Prepare
    const adapter = provider();

    // Act
    const error = await sendExpectingError(adapter, outbound({ channel: 'whatsapp' }));

    // Assess
    expect(error.kind).toBe('misconfigured');
    expect(sms).not.toHaveReceivedAnyCommand();
  });

  it('reports an opted-out destination (ConflictException, DESTINATION_PHONE_NUMBER_OPTED_OUT) as recipientOptedOut with the reason as its code', async () => {
    // Prepare
    sms.on(SendTextMessageCommand).rejects(exception('ConflictException', 'DESTINATION_PHONE_NUMBER_OPTED_OUT'));
    const adapter = provider();

    // Act
    const error = await sendExpectingError(adapter);

    // Assess
    expect(error.kind).toBe('recipientOptedOut');
    expect(error.retryable).toBe(false);
    expect(error.provider).toBe('aws-sms');
    expect(error.providerCode).toBe('ConflictException:DESTINATION_PHONE_NUMBER_OPTED_OUT');
    expect(error.message).toContain('HTTP 409');
  });

  it('reports an exception it does not know by its fault: server → connectionFailed, client → rejected', async () => {
    // Prepare
    const adapter = provider();
    const serverFault = Object.assign(exception('InternalServerException'), { name: 'SomethingNewException', $fault: 'server' });
    const clientFault = Object.assign(exception('ValidationException'), { name: 'AnotherNewException', $fault: 'client' });
    sms.on(SendTextMessageCommand).rejectsOnce(serverFault).rejectsOnce(clientFault);

    // Act
    const first = await sendExpectingError(adapter);
    const second = await sendExpectingError(adapter);

    // Assess
    expect(first.kind).toBe('connectionFailed');
    expect(second.kind).toBe('rejected');
  });

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'])('reports %s (never reached AWS) as connectionFailed, which is retried', async (code) => {
    // Prepare
    sms.on(SendTextMessageCommand).rejects(Object.assign(new Error(`connect ${code}`), { code }));
    const adapter = provider();

    // Act
    const error = await sendExpectingError(adapter);

    // Assess
    expect(error.kind).toBe('connectionFailed');
    expect(error.retryable).toBe(true);
  });

  it.each([
    ['a request timeout', Object.assign(new Error('Connection timed out after 10000 ms'), { name: 'TimeoutError' })],
    ['a connection reset mid-request', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
  ])('reports %s as outcomeUnknown, which is not retried', async (_case, failure) => {
    // Prepare
    sms.on(SendTextMessageCommand).rejects(failure);
    const adapter = provider();

    // Act
    const error = await sendExpectingError(adapter);

    // Assess: AWS may have taken the message, so a retry could text the resident twice
    expect(error.kind).toBe('outcomeUnknown');
    expect(error.retryable).toBe(false);
  });

  it('reports credentials that cannot be found as misconfigured', async () => {
    // Prepare
    sms.on(SendTextMessageCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const adapter = provider();

    // Act
    const error = await sendExpectingError(adapter);

    // Assess
    expect(error.kind).toBe('misconfigured');
  });
});

describe('AwsSmsProvider.sendText: every entry of the error tables', () => {
  const exceptionRows = Object.entries(awsSmsExceptionKinds).map(([name, kind]) => ({ name: name as AwsSmsException, kind }));

  it.each(exceptionRows)('$name (no specific reason) → $kind', async ({ name, kind }) => {
    // Prepare
    sms.on(SendTextMessageCommand).rejects(exception(name));
    const adapter = provider();

    // Act
    const error = await sendExpectingError(adapter);

    // Assess
    expect(error.kind).toBe(kind);
    expect(error.retryable).toBe(providerErrorKinds[kind].retryable);
  });

  const reasonRows = [
    ...Object.entries(awsSmsConflictReasonKinds).map(([reason, kind]) => ({ name: 'ConflictException' as const, reason, kind })),
    ...Object.entries(awsSmsValidationReasonKinds).map(([reason, kind]) => ({ name: 'ValidationException' as const, reason, kind })),
    ...Object.entries(awsSmsQuotaReasonKinds).map(([reason, kind]) => ({ name: 'ServiceQuotaExceededException' as const, reason, kind })),
  ];

  it.each(reasonRows)('$name with reason $reason → $kind', async ({ name, reason, kind }) => {
    // Prepare
    sms.on(SendTextMessageCommand).rejects(exception(name, reason));
    const adapter = provider();

    // Act
    const error = await sendExpectingError(adapter);

    // Assess
    expect(error.kind).toBe(kind);
    expect(error.retryable).toBe(providerErrorKinds[kind].retryable);
    expect(error.providerCode).toBe(`${name}:${reason}`);
  });
});
