/**
 * Sends SMS through AWS End User Messaging SMS (`pinpoint-sms-voice-v2` `SendTextMessage`).
 *
 * Credentials are the function's role (it needs `sms-voice:SendTextMessage` on the origination
 * identity and the configuration set); nothing of it lives in the provider secret.
 */
import { PinpointSMSVoiceV2Client, PinpointSMSVoiceV2ServiceException, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { z } from 'zod';
import { ProviderError } from '../../../domain/errors.js';
import type { MessagingProvider, OutboundText, ProviderAcceptance } from '../../../ports/messaging-provider.js';
import { awsSmsErrorKind } from './error-codes.js';
import { MESSAGE_ID_CONTEXT_KEY } from './message-context.js';
import { parseAwsSmsSettings, type AwsSmsSettings, type awsSmsSettingsSchema } from './settings.js';
import { traced } from '../../../platform/tracer.js';

const PROVIDER = 'aws-sms';


/** As for the other providers: one hung request becomes one recorded message, not a Lambda timeout. */
export const DEFAULT_AWS_SMS_TIMEOUT_MS = 10_000;

export interface AwsSmsProviderOptions {
  /** The client to send with; tests pass one that aws-sdk-client-mock intercepts. */
  client?: PinpointSMSVoiceV2Client;
  timeoutMs?: number;
}

/** Failures before a byte of the request reached AWS: retrying them is safe. */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** What the SDK throws when credentials or the region cannot be resolved: nothing was sent. */
const SETUP_ERROR_NAMES = new Set(['CredentialsProviderError', 'ProviderError']);

export class AwsSmsProvider implements MessagingProvider {
  readonly name = PROVIDER;
  readonly #settings: AwsSmsSettings;
  readonly #client: PinpointSMSVoiceV2Client;

  constructor(settings: z.input<typeof awsSmsSettingsSchema>, options: AwsSmsProviderOptions = {}) {
    this.#settings = parseAwsSmsSettings(settings);
    const timeoutMs = options.timeoutMs ?? DEFAULT_AWS_SMS_TIMEOUT_MS;
    this.#client =
      options.client ??
      traced(new PinpointSMSVoiceV2Client({
        region: this.#settings.AWS_REGION,
        // One retry policy only: ours. The SDK's standard retries would resend after a timeout or
        // a reset connection, when AWS may already have taken the message (SendTextMessage is
        // not idempotent): a resident could be texted twice. Throttles and 5xx surface as
        // retryable ProviderErrors, and the queue retries them with backoff.
        maxAttempts: 1,
        requestHandler: { connectionTimeout: Math.min(3_000, timeoutMs), requestTimeout: timeoutMs },
      }));
  }

  async sendText(message: OutboundText): Promise<ProviderAcceptance> {
    if (message.channel !== 'sms') {
      throw new ProviderError(PROVIDER, 'misconfigured', `AWS End User Messaging SMS only carries SMS, not ${message.channel}`);
    }
    // The sender identity's number, pool or sender ID, else the settings' one.
    const origination = message.from?.address ?? this.#settings.AWS_SMS_ORIGINATION_IDENTITY;
    if (origination === undefined) {
      throw new ProviderError(PROVIDER, 'misconfigured', 'no AWS End User Messaging SMS sender: list one in SENDERS or set AWS_SMS_ORIGINATION_IDENTITY');
    }
    let messageId: string | undefined;
    try {
      ({ MessageId: messageId } = await this.#client.send(
        new SendTextMessageCommand({
          DestinationPhoneNumber: message.to,
          OriginationIdentity: origination,
          ConfigurationSetName: this.#settings.AWS_SMS_CONFIGURATION_SET,
          MessageBody: message.body,
          // Alerts and replies a resident asked for, not marketing: carriers give transactional
          // messages priority, and some countries require it for this kind of service.
          MessageType: 'TRANSACTIONAL',
          Context: { [MESSAGE_ID_CONTEXT_KEY]: message.messageId },
        }),
      ));
    } catch (error) {
      throw toProviderError(error);
    }
    if (!messageId) {
      // AWS answered 2xx without an id: nothing to match receipts to, and it may have sent.
      throw new ProviderError(PROVIDER, 'outcomeUnknown', 'AWS End User Messaging SMS answered without a MessageId');
    }
    return { provider: PROVIDER, providerMessageId: messageId };
  }
}

/** Maps whatever the SDK threw to the error taxonomy (one place, used for every send). */
function toProviderError(error: unknown): ProviderError {
  if (error instanceof PinpointSMSVoiceV2ServiceException) {
    const reason = 'Reason' in error && typeof error.Reason === 'string' ? error.Reason : undefined;
    const kind = awsSmsErrorKind(error.name, reason, error.$fault);
    const status = error.$metadata.httpStatusCode;
    return new ProviderError(
      PROVIDER,
      kind,
      `AWS End User Messaging SMS refused the message: ${error.name}${reason ? ` (${reason})` : ''}${status ? `, HTTP ${status}` : ''}: ${error.message}`,
      { cause: error, providerCode: reason ? `${error.name}:${reason}` : error.name },
    );
  }
  const name = error instanceof Error ? error.name : undefined;
  const code = typeof (error as { code?: unknown } | null)?.code === 'string' ? (error as { code: string }).code : undefined;
  if (name !== undefined && SETUP_ERROR_NAMES.has(name)) {
    return new ProviderError(PROVIDER, 'misconfigured', `AWS credentials or region could not be resolved: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (code !== undefined && NEVER_SENT_CODES.has(code)) {
    return new ProviderError(PROVIDER, 'connectionFailed', `AWS End User Messaging SMS is unreachable (${code})`, { cause: error });
  }
  // A timeout, a reset mid-request, anything else: AWS may have taken the message. Never retried,
  // so nobody is texted twice; recorded as failed.
  return new ProviderError(
    PROVIDER,
    'outcomeUnknown',
    `AWS End User Messaging SMS gave no answer (${code ?? name ?? String(error)})`,
    { cause: error },
  );
}
