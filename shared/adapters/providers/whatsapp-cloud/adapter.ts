/**
 * Sends through Meta's WhatsApp Cloud API: `POST {base}/{version}/{phone-number-id}/messages`.
 *
 * Plain `fetch`, not an SDK: Meta offers no official, maintained Node SDK for the Cloud API, and
 * the one call we make is a JSON POST with a bearer token. Node's own fetch adds nothing to the
 * bundle, and `AbortSignal.timeout` bounds each send (fetch itself never times out a request).
 */
import { z } from 'zod';
import { ProviderError } from '../../../domain/errors.js';
import type { MessagingProvider, OutboundTemplate, OutboundText, ProviderAcceptance } from '../../../ports/messaging-provider.js';
import { whatsappCloudErrorKind } from './error-codes.js';
import { parseWhatsAppCloudSettings, type WhatsAppCloudSettings, type whatsappCloudSettingsSchema } from './settings.js';

const PROVIDER = 'whatsapp-cloud';

/**
 * A Graph API request with no answer after this long is abandoned as `outcomeUnknown` (Meta may
 * have taken the message). Well under the sender function's timeout, so one hung connection
 * becomes one recorded message rather than a Lambda timeout that redelivers the whole batch.
 */
export const DEFAULT_WHATSAPP_CLOUD_TIMEOUT_MS = 10_000;

/** Meta's limit on `biz_opaque_callback_data`; crier's message ids are far shorter. */
const CALLBACK_DATA_MAX = 512;

export interface WhatsAppCloudProviderOptions {
  /** Per-request timeout in milliseconds; see DEFAULT_WHATSAPP_CLOUD_TIMEOUT_MS. */
  timeoutMs?: number;
}

/** The part of the messages answer we rely on: the wamid that status webhooks will name. */
const acceptedSchema = z.object({
  messages: z.array(z.object({ id: z.string().min(1) })).min(1),
});

/** A Graph API error body. */
const graphErrorSchema = z.object({
  error: z.object({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.coerce.number().int(),
    error_subcode: z.coerce.number().int().optional(),
    error_data: z.object({ details: z.string().optional() }).optional(),
    fbtrace_id: z.string().optional(),
  }),
});

/**
 * Failures before a byte of the request reached Meta: refused, unresolvable, unroutable, or no
 * connection made in time. Retrying those is safe.
 */
const NEVER_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

type GraphMessage = Record<string, unknown>;

export class WhatsAppCloudProvider implements MessagingProvider {
  readonly name = PROVIDER;
  readonly #settings: WhatsAppCloudSettings;
  readonly #timeoutMs: number;

  constructor(settings: z.input<typeof whatsappCloudSettingsSchema>, options: WhatsAppCloudProviderOptions = {}) {
    this.#settings = parseWhatsAppCloudSettings(settings);
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_WHATSAPP_CLOUD_TIMEOUT_MS;
  }

  async sendText(message: OutboundText): Promise<ProviderAcceptance> {
    const body = requestBody(message);
    const { WHATSAPP_CLOUD_API_BASE_URL: base, WHATSAPP_CLOUD_API_VERSION: version } = this.#settings;
    // The sender identity's phone number ID (its address), else the settings' one number.
    const phoneNumberId = message.from?.address ?? this.#settings.WHATSAPP_CLOUD_PHONE_NUMBER_ID;
    if (phoneNumberId === undefined) {
      throw new ProviderError(PROVIDER, 'misconfigured', 'no WhatsApp Cloud API sender: list one in SENDERS or set WHATSAPP_CLOUD_PHONE_NUMBER_ID');
    }
    const url = `${base.replace(/\/+$/, '')}/${version}/${phoneNumberId}/messages`;
    let status: number;
    let text: string;
    try {
      // One signal for the whole exchange: a body that stalls after the headers times out too.
      const signal = AbortSignal.timeout(this.#timeoutMs);
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.#settings.WHATSAPP_CLOUD_ACCESS_TOKEN}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
        signal,
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      throw transportError(error);
    }
    if (status < 200 || status > 299) throw answerError(status, text);
    const accepted = acceptedSchema.safeParse(parseJson(text));
    if (!accepted.success) {
      // A 2xx that is not a messages answer: most likely the base URL points at something that is
      // not the Graph API. Not retryable: if it was Meta after all, the message may have been taken.
      throw new ProviderError(PROVIDER, 'misconfigured', 'the WhatsApp Cloud API answered without a message id', {
        cause: accepted.error,
      });
    }
    const [first] = accepted.data.messages;
    return { provider: PROVIDER, providerMessageId: first!.id };
  }
}

/** The JSON Meta expects: a template outside the window, free text inside it. */
function requestBody(message: OutboundText): GraphMessage {
  if (message.channel !== 'whatsapp') {
    throw new ProviderError(PROVIDER, 'misconfigured', `the WhatsApp Cloud API only carries WhatsApp, not ${message.channel}`);
  }
  if (message.messageId.length > CALLBACK_DATA_MAX) {
    throw new ProviderError(PROVIDER, 'rejected', `message id is longer than the ${CALLBACK_DATA_MAX} characters Meta carries back`);
  }
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    // Meta recommends the full international form with its '+'.
    to: message.to,
    // Echoed back on every status webhook of this message: how a receipt finds crier's record.
    biz_opaque_callback_data: message.messageId,
    ...(message.template
      ? { type: 'template', template: templateObject(message.template) }
      : { type: 'text', text: { preview_url: false, body: message.body } }),
  };
}

/** An approved template by name and language, its `{{1}}, {{2}}…` filled in order in the body. */
function templateObject(template: OutboundTemplate): GraphMessage {
  return {
    name: template.name,
    language: { code: template.language },
    ...(template.parameters.length > 0
      ? { components: [{ type: 'body', parameters: template.parameters.map((text) => ({ type: 'text', text })) }] }
      : {}),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** An HTTP answer other than 2xx, in the taxonomy. */
function answerError(status: number, text: string): ProviderError {
  const graph = graphErrorSchema.safeParse(parseJson(text));
  if (!graph.success) {
    return new ProviderError(PROVIDER, whatsappCloudErrorKind(status, undefined), `the Graph API answered HTTP ${status}`, {
      providerCode: status,
    });
  }
  const { code, error_subcode: subcode, message, error_data: data, fbtrace_id: trace } = graph.data.error;
  const kind = whatsappCloudErrorKind(status, code, subcode);
  const detail = [message, data?.details, trace ? `fbtrace_id ${trace}` : undefined].filter(Boolean).join('; ');
  return new ProviderError(PROVIDER, kind, `the Graph API answered HTTP ${status}, error ${code}${subcode ? `/${subcode}` : ''}: ${detail}`, {
    providerCode: code,
  });
}

/**
 * No answer at all. Refused or unresolvable: the request never reached Meta, so retrying is
 * safe. Anything else (our timeout, a connection reset mid-request) may have sent the message:
 * the outcome is unknown, and it is never retried, so nobody is messaged twice.
 */
function transportError(error: unknown): ProviderError {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return new ProviderError(PROVIDER, 'outcomeUnknown', 'the WhatsApp Cloud API gave no answer in time', { cause: error });
  }
  const code = networkCode(error);
  if (code !== undefined && NEVER_SENT_CODES.has(code)) {
    return new ProviderError(PROVIDER, 'connectionFailed', `the WhatsApp Cloud API is unreachable (${code})`, { cause: error });
  }
  return new ProviderError(PROVIDER, 'outcomeUnknown', `the WhatsApp Cloud API gave no answer (${code ?? (error instanceof Error ? error.message : String(error))})`, {
    cause: error,
  });
}

/** fetch wraps the socket's error: `TypeError('fetch failed', { cause: { code } })`. */
function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Object; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
