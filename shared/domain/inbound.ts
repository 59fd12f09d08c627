import type { ProviderPrice } from './costs.js';
import type { Channel, MessageStatus } from './model.js';
import type { E164 } from './phone.js';

/**
 * Where inbound texts and receipts come from: every provider whose webhooks (or, for AWS SMS, SNS
 * notifications) crier verifies. Not
 * the same list as the providers crier sends through (ports/messaging-provider.ts).
 */
export const webhookSources = ['twilio', 'whatsapp-cloud', 'aws-sms', 'sandbox'] as const;
export type WebhookSource = (typeof webhookSources)[number];

/** A text a resident sent us, as every provider adapter parses it. */
export interface InboundText {
  provider: WebhookSource;
  /** The provider's id for the message (Twilio `MessageSid`); webhook retries repeat it. */
  providerMessageId: string;
  from: E164;
  channel: Channel;
  /** Our number (or WhatsApp number) the resident wrote to, E.164 without channel prefix. */
  to: string;
  body: string;
  /**
   * Set when the provider itself already answered an opt-out keyword (Twilio Advanced Opt-Out's
   * `OptOutType`): record the change, but do not send a second confirmation.
   */
  providerHandledOptOut?: 'STOP' | 'START' | 'HELP';
}

/** A delivery receipt, as every provider adapter parses it. */
export interface StatusReport {
  provider: WebhookSource;
  providerMessageId: string;
  /** crier's own message id, carried in the status callback URL. */
  messageId: string | undefined;
  status: MessageStatus;
  /** The provider's error code for a failure, e.g. Twilio's 30003. */
  errorCode: string | undefined;
  /** What the provider says the message cost, where its receipt says (AWS End User Messaging SMS). */
  price?: ProviderPrice;
}

/**
 * A claim on an inbound message that has been "in progress" this long belongs to an invocation
 * that died; a retry may take it over. Longer than any inbound handler runs (its timeout is 10 s).
 */
export const INBOUND_CLAIM_STALE_AFTER_MS = 60_000;

/** The instant (ISO) before which a claim still in progress is stale to a delivery arriving at `at`. */
export function staleClaimsBefore(at: string): string {
  return new Date(Date.parse(at) - INBOUND_CLAIM_STALE_AFTER_MS).toISOString();
}
