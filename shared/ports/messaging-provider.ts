import type { Channel } from '../domain/model.js';
import type { E164 } from '../domain/phone.js';

export const providerNames = ['sandbox', 'twilio'] as const;
export type ProviderName = (typeof providerNames)[number];

/** One message for a provider to send. */
export interface OutboundText {
  /** crier's own message id; adapters put it in the status callback URL. */
  messageId: string;
  to: E164;
  channel: Channel;
  body: string;
  /** Where the provider should post delivery receipts for this message. */
  statusCallbackUrl: string;
}

/** The provider took the message; receipts will follow through the status webhook. */
export interface ProviderAcceptance {
  provider: ProviderName;
  providerMessageId: string;
}

/**
 * What every provider adapter implements. Adapters throw `ProviderError` (shared/domain/errors.ts)
 * with a kind from the taxonomy; they never return a failure as a value.
 */
export interface MessagingProvider {
  readonly name: ProviderName;
  sendText(message: OutboundText): Promise<ProviderAcceptance>;
}
