import type { Channel, KeyMode } from '../domain/model.js';
import type { ProviderPrice } from '../domain/costs.js';
import type { E164 } from '../domain/phone.js';
import type { SenderAddress } from '../domain/sender-kinds.js';
import type { ProviderName } from '../domain/provider-names.js';

/**
 * An approved WhatsApp template, for residents outside their 24-hour window: a Meta template
 * name, or a Twilio Content SID (`HX…`), with its language and its `{{1}}, {{2}}…` values.
 */
export interface OutboundTemplate {
  name: string;
  language: string;
  parameters: string[];
}

/** One message for a provider to send. */
export interface OutboundText {
  /** crier's own message id; adapters put it in the status callback URL. */
  messageId: string;
  to: E164;
  channel: Channel;
  body: string;
  /** Set on WhatsApp outside the resident's window: the provider sends this template instead of `body`. */
  template?: OutboundTemplate;
  /** Where the provider should post delivery receipts for this message. */
  statusCallbackUrl: string;
  /**
   * The sender identity to send from (shared/domain/sender-identity.ts); absent, the adapter's
   * own from setting.
   */
  from?: SenderAddress;
  /**
   * The broadcast it is part of, its department(s) and mode; absent for replies to residents.
   * Real providers ignore it; the recording sandbox keeps it, so its outbox is shown to each
   * department's keys and a test key sees test messages only.
   */
  origin?: MessageOrigin;
}

export interface MessageOrigin {
  broadcastId: string;
  /** The broadcast's department, or its departments joined by commas (operators' broadcasts). */
  department: string;
  mode: KeyMode;
}

/** The provider took the message; receipts will follow through the status webhook. */
export interface ProviderAcceptance {
  provider: ProviderName;
  providerMessageId: string;
  /** What the provider says it charged, when its answer says (Twilio's `price`, usually null this early). */
  price?: ProviderPrice;
}

/**
 * What every provider adapter implements. Adapters throw `ProviderError` (shared/domain/errors.ts)
 * with a kind from the taxonomy; they never return a failure as a value.
 *
 * This is the sending half of a provider; the receiving half (verify, parse, handshake) is
 * `ProviderWebhooks` (provider-webhooks.ts), built apart: see there why.
 */
export interface MessagingProvider {
  readonly name: ProviderName;
  sendText(message: OutboundText): Promise<ProviderAcceptance>;
}
