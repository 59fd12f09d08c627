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
   * What a verified request carries, in payload order. Throws ValidationError only when the body
   * is not the provider's envelope at all (not JSON, not a WhatsApp Business Account object, a
   * form without a MessageSid); everything inside a readable envelope is read item by item, and an
   * item crier cannot act on (an image, an unknown status, a malformed message, a number that is
   * not valid) is `skipped` with its reason, never a reason to refuse the rest: the provider would
   * retry the whole delivery for days, and a STOP may sit next to the odd item.
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

/**
 * Something in a verified delivery that crier does not act on (an image with no caption, a status
 * it does not record, a sender whose number is not valid). It never costs the rest of the delivery
 * its 200: it is logged, and, when it has an id of its own, recorded in the inbound log with its
 * reason (`InboundLog.recordSkipped`).
 */
export interface SkippedWebhookItem {
  /** Where it sits in the payload, e.g. `entry.0.changes.0.value.messages.1`. */
  path: string;
  /** The provider's id of the message, status or notification, when it has one. */
  id?: string;
  kind: SkippedItemKind;
  /**
   * Why, in words an operator can act on. Never the sender's number or the resident's words: the
   * reason is kept where personal data is not.
   */
  reason: string;
}

/** A resident's message, a status of one of ours, or anything else a provider delivers (a notification, a change). */
export type SkippedItemKind = 'message' | 'status' | 'other';

/**
 * A resident's message whose sender has no phone number, only the provider's user id for them
 * (WhatsApp's business-scoped user id, for users who hide their number behind a username). crier
 * keeps residents by phone number, so it cannot act on it; the receiving use case decides what is
 * recorded (see `receiveWebhook`).
 */
export interface UnidentifiedText {
  path: string;
  provider: InboundText['provider'];
  providerMessageId: string;
  channel: InboundText['channel'];
  /** What the resident wrote, to tell a STOP from anything else: never stored. */
  body: string;
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
  /** Texts from senders known by a user id only, not a phone number. */
  unidentified: UnidentifiedText[];
  skipped: SkippedWebhookItem[];
  accountErrors: ProviderAccountError[];
}
