import type { InboundText, StatusReport, WebhookSource } from '../domain/inbound.js';

/**
 * The receiving half of a provider (the sending half is `MessagingProvider`, beside this file):
 * proving a webhook came from the provider, reading residents' texts and delivery receipts out of
 * it, and, for Meta, answering the handshake. Each provider folder implements it in
 * `provider-webhooks.ts`; `adapters/providers/webhook-registry.ts` builds one by name.
 *
 * The two halves are built apart on purpose: receiving needs only the verification secrets (the
 * local stack checks Twilio signatures with TWILIO_AUTH_TOKEN alone while sending through the
 * sandbox), and the webhook functions must not carry the sending SDKs (the Twilio SDK alone is
 * ~4 MB of cold start).
 */
export interface ProviderWebhooks {
  readonly source: WebhookSource;
  /**
   * Resolves when the request provably comes from the provider, for this deployment. Throws
   * ForbiddenError saying what is wrong (a header missing, a signature that does not match, another
   * account or topic), before anything is parsed or stored; ValidationError when the envelope the
   * proof sits in cannot be read; ConfigurationError when the deployment lacks the secret to check.
   */
  verify(request: WebhookRequest): Promise<void>;
  /**
   * What a verified request carries, in payload order. Throws ValidationError naming each bad
   * field; what crier does not act on (an image, a status it does not record) is `skipped`, not
   * refused, so that the provider does not retry a whole batch for days over one item.
   */
  parse(request: WebhookRequest): WebhookBatch;
  /**
   * A provider's check that the URL is ours before it sends anything (Meta's GET with
   * `hub.challenge`): the text to answer with. Absent where the provider has no such handshake.
   */
  handshake?(request: WebhookRequest): Promise<string>;
}

/** A webhook as it arrived, before anything is trusted. */
export interface WebhookRequest {
  /**
   * Where the provider delivered it. Over HTTP: the URL the provider was told to call, as it
   * called it (PUBLIC_BASE_URL + path + query, not the one API Gateway or a proxy rewrote), which
   * Twilio signs. Through a queue (AWS SMS via SNS and SQS): the queue's ARN.
   */
  publicUrl: string;
  /** The route's path (`/webhooks/twilio/status`): which of a provider's webhooks this is; empty for a queue. */
  path: string;
  query: Readonly<Record<string, string>>;
  /** Header names lower-cased. */
  headers: Readonly<Record<string, string>>;
  /** The body exactly as sent: signatures cover its bytes, so it is never parsed and re-serialised first. */
  rawBody: string;
}

/** Something in a webhook crier does not act on; logged, and the provider still gets its 200. */
export interface SkippedWebhookItem {
  /** Where it sits in the payload, e.g. `entry.0.changes.0.value.messages.1`. */
  path: string;
  /** The provider's id of the message or status, when it has one. */
  id?: string;
  reason: string;
}

/** An error the provider reported about our account or number rather than one message (Meta's value `errors`). */
export interface ProviderAccountError {
  path: string;
  code: string;
  title: string | undefined;
  details: string | undefined;
}

export interface WebhookBatch {
  /** Residents' texts, in payload order: the order they must be acted on (a STOP, then a JOIN). */
  inbound: InboundText[];
  receipts: StatusReport[];
  skipped: SkippedWebhookItem[];
  accountErrors: ProviderAccountError[];
}
