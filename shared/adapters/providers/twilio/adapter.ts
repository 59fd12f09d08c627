/**
 * Sends through Twilio's Programmable Messaging API with the official SDK.
 *
 * This is the only module that imports the `twilio` barrel (~4 MB bundled): import it only from
 * code that sends. Webhook verification and parsing live in `webhooks.ts`, which does not.
 */
import twilio from 'twilio';
import type { MessageListInstanceCreateOptions } from 'twilio/lib/rest/api/v2010/account/message.js';
import { z } from 'zod';
import type { ProviderPrice } from '../../../domain/costs.js';
import { ProviderError } from '../../../domain/errors.js';
import type { Channel } from '../../../domain/model.js';
import type { MessagingProvider, OutboundTemplate, OutboundText, ProviderAcceptance } from '../../../ports/messaging-provider.js';
import { twilioErrorKind } from './error-codes.js';
import { parseTwilioSettings, type TwilioSettings, type twilioSettingsSchema } from './settings.js';

const PROVIDER = 'twilio';
const WHATSAPP_PREFIX = 'whatsapp:';

/**
 * A Twilio request that has had no answer after this long is abandoned and reported as
 * `connectionFailed`. Well under the sender function's timeout, so one hung connection becomes
 * one retryable message rather than a Lambda timeout that redelivers the whole batch. (The SDK's
 * own default is 30 s.)
 */
export const DEFAULT_TWILIO_TIMEOUT_MS = 10_000;

export interface TwilioProviderOptions {
  /** Per-request timeout in milliseconds; see DEFAULT_TWILIO_TIMEOUT_MS. */
  timeoutMs?: number;
}

/** The part of Twilio's Message resource we rely on; anything else in the answer is ignored. */
const createdMessageSchema = z.object({
  sid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/, 'must look like SM or MM followed by 32 hex digits'),
  /** Twilio's charge as a signed decimal string ("-0.04000"); usually null this early, known only once the carrier rates it. */
  price: z.string().nullish(),
  priceUnit: z.string().nullish(),
});

/** The price Twilio reported, when it reported one with its currency. */
export function twilioPrice(created: { price?: string | null; priceUnit?: string | null }): ProviderPrice | undefined {
  if (!created.price || !created.priceUnit) return undefined;
  const amount = Math.abs(Number(created.price));
  return Number.isFinite(amount) ? { amount, currency: created.priceUnit.toUpperCase() } : undefined;
}

/** What the SDK throws for an HTTP error answer (RestException, or TwilioServiceException for RFC 9457 bodies). */
const twilioApiErrorSchema = z.object({
  status: z.number().int(),
  code: z.number().int().optional(),
  message: z.string().optional(),
});

/** What axios (under the SDK) throws when no answer came: refused, reset, DNS, timeout. */
const transportErrorSchema = z.union([
  z.object({ isAxiosError: z.literal(true), code: z.string().optional() }),
  z.object({ code: z.string().regex(/^E[A-Z_]+$/) }),
]);

export class TwilioProvider implements MessagingProvider {
  readonly name = PROVIDER;
  readonly #settings: TwilioSettings;
  readonly #client: twilio.Twilio;

  constructor(settings: z.input<typeof twilioSettingsSchema>, options: TwilioProviderOptions = {}) {
    this.#settings = parseTwilioSettings(settings);
    const { accountSid, authToken, apiBaseUrl } = this.#settings;
    this.#client = twilio(accountSid, authToken, {
      // One retry policy only: ours. With autoRetry the SDK would sleep and retry 429s inside
      // this invocation, holding the whole batch and hiding the throttle from the sender's
      // pacing. Throttled and connection failures surface as retryable ProviderErrors instead,
      // and the queue retries them with backoff (RetryScheduler).
      autoRetry: false,
      timeout: options.timeoutMs ?? DEFAULT_TWILIO_TIMEOUT_MS,
      // A warm Lambda reuses the TLS connection to api.twilio.com across sends.
      keepAlive: true,
    });
    if (apiBaseUrl !== undefined) {
      // Pointing the SDK at the fake API. Messages live on the `api` domain
      // (api.twilio.com/2010-04-01/…), and Domain.baseUrl is a public, typed property read at
      // request time, so replacing it redirects exactly the calls we make while the SDK's real
      // pipeline (Basic auth, form encoding, error parsing) still runs. A RequestClient subclass
      // rewriting every URI would also work but would sit below the SDK's hostname handling
      // and re-implement more than we need.
      this.#client.api.baseUrl = apiBaseUrl;
      // The SDK rewrites hostnames for TWILIO_REGION/TWILIO_EDGE (read from process.env); that
      // must not mangle a local host name.
      this.#client.region = undefined;
      this.#client.edge = undefined;
    }
  }

  async sendText(message: OutboundText): Promise<ProviderAcceptance> {
    const params = this.#createParams(message);
    let created: unknown;
    try {
      created = await this.#client.messages.create(params);
    } catch (error) {
      throw toProviderError(error);
    }
    const parsed = createdMessageSchema.safeParse(created);
    if (!parsed.success) {
      // A 2xx that is not a Message resource: most likely apiBaseUrl points at something that is
      // not Twilio. Not retryable: if it was Twilio after all, the message may have been taken.
      throw new ProviderError(PROVIDER, 'misconfigured', 'the Twilio API answered without a valid message sid', {
        cause: parsed.error,
      });
    }
    const price = twilioPrice(parsed.data);
    return { provider: PROVIDER, providerMessageId: parsed.data.sid, ...(price ? { price } : {}) };
  }

  #createParams(message: OutboundText): MessageListInstanceCreateOptions {
    const { from, messagingServiceSid } = this.#senderOf(message);
    if (from === undefined && messagingServiceSid === undefined) {
      throw new ProviderError(
        PROVIDER,
        'misconfigured',
        `no Twilio sender for ${message.channel}: set ${message.channel === 'whatsapp' ? 'whatsappFrom' : 'smsFrom'} or messagingServiceSid`,
      );
    }
    const params: MessageListInstanceCreateOptions = {
      to: message.channel === 'whatsapp' ? `${WHATSAPP_PREFIX}${message.to}` : message.to,
      statusCallback: message.statusCallbackUrl,
      ...(message.template ? templateParams(message.template) : { body: message.body }),
    };
    // Twilio accepts a From, a MessagingServiceSid, or both (the From is then the sender and the
    // service's features such as Advanced Opt-Out still apply).
    if (from !== undefined) params.from = from;
    if (messagingServiceSid !== undefined) params.messagingServiceSid = messagingServiceSid;
    return params;
  }

  /**
   * The sender identity crier chose, else the settings. A Messaging Service identity is sent as
   * MessagingServiceSid (Twilio picks the number from its pool); any other as From, with the
   * settings' Messaging Service still named if there is one, as before identities (its features,
   * such as Advanced Opt-Out, then apply; Twilio needs the From to be in that service).
   */
  #senderOf(message: OutboundText): { from?: string; messagingServiceSid?: string } {
    const { messagingServiceSid } = this.#settings;
    const chosen = message.from;
    if (chosen?.kind === 'messaging_service') return { messagingServiceSid: chosen.address };
    const from = chosen?.address ?? (message.channel === 'sms' ? this.#settings.smsFrom : this.#settings.whatsappFrom);
    return { ...(from === undefined ? {} : { from: addressFor(message.channel, from) }), ...(messagingServiceSid === undefined ? {} : { messagingServiceSid }) };
  }
}

/** Twilio names a WhatsApp sender `whatsapp:+44…`; an SMS sender as it is. */
function addressFor(channel: Channel, address: string): string {
  return channel === 'whatsapp' && !address.startsWith(WHATSAPP_PREFIX) ? `${WHATSAPP_PREFIX}${address}` : address;
}

/** Transport failures that happen before a byte of the request reaches Twilio. */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Maps whatever the SDK threw to the error taxonomy (one place, used for every send). */
function toProviderError(error: unknown): ProviderError {
  const apiError = twilioApiErrorSchema.safeParse(error);
  if (apiError.success) {
    const { status, code, message } = apiError.data;
    const kind = twilioErrorKind(status, code);
    const detail = message ? `: ${message}` : '';
    return new ProviderError(PROVIDER, kind, `Twilio answered HTTP ${status}${code === undefined ? '' : `, error ${code}`}${detail}`, {
      cause: error,
      ...(code === undefined ? {} : { providerCode: code }),
    });
  }
  const transport = transportErrorSchema.safeParse(error);
  if (transport.success) {
    const reason = transport.data.code ?? (error instanceof Error ? error.message : 'no answer');
    // Refused or unresolvable: the request never reached Twilio, so retrying is safe. Anything
    // else (a timeout, a reset mid-request) may have sent the message: the outcome is unknown.
    const neverLeft = NEVER_SENT_CODES.has(transport.data.code ?? '');
    return new ProviderError(
      PROVIDER,
      neverLeft ? twilioErrorKind(undefined, undefined) : 'outcomeUnknown',
      `Twilio API ${neverLeft ? 'unreachable' : 'gave no answer'} (${reason})`,
      { cause: error },
    );
  }
  // Neither an HTTP answer nor a transport failure: a bug on our side (e.g. a parameter the SDK
  // refused). Retrying would fail the same way.
  return new ProviderError(PROVIDER, 'rejected', 'the Twilio SDK refused the request', { cause: error });
}

/**
 * Twilio sends WhatsApp templates as Content Templates: the template is named by its Content SID
 * (`HX…`), its variables `{{1}}, {{2}}…` given as JSON. A Meta template name means nothing to
 * Twilio, so it is refused here rather than sent as free text WhatsApp would reject.
 */
function templateParams(template: OutboundTemplate): Pick<MessageListInstanceCreateOptions, 'contentSid' | 'contentVariables'> {
  if (!/^HX[0-9a-f]{32}$/.test(template.name)) {
    throw new ProviderError(PROVIDER, 'misconfigured', `Twilio needs a Content SID (HX…) as the WhatsApp template, not "${template.name}"`);
  }
  return {
    contentSid: template.name,
    contentVariables: JSON.stringify(Object.fromEntries(template.parameters.map((value, index) => [String(index + 1), value]))),
  };
}
