import { z } from 'zod';
import type { Channel } from './model.js';
import { smsSegmentsOf } from './sms-preview.js';

/**
 * The SEND_RATES key for every identity of one provider carrying one channel (`twilio:sms`): how
 * rates were set before identities existed, still honoured (shared/domain/sender-identity.ts).
 */
export function providerChannelKeyOf(provider: string, channel: Channel): string {
  return `${provider}:${channel}`;
}

const rateKeySchema = z
  .string()
  .regex(
    /^((sandbox|sandbox-b|twilio|whatsapp-cloud|aws-sms):(sms|whatsapp)|[a-z0-9][a-z0-9-]{0,39})$/,
    'must be <provider>:<channel>, such as twilio:sms, or the id of a sender identity in SENDERS',
  );

/**
 * Messages (WhatsApp) or message segments (SMS) per second: by `<provider>:<channel>` (every
 * identity of that provider and channel) or by a sender identity's id (that identity alone).
 * Without an entry, an identity takes its own `mps` or its provider's default for its kind
 * (shared/domain/sender-kinds.ts). Set the contracted rates: pacing below the real limit wastes
 * throughput; above it, the provider queues (Twilio, up to hours) or refuses with 429.
 */
export const sendRatesSchema = z.record(rateKeySchema, z.number().positive().max(10_000));
export type SendRates = z.infer<typeof sendRatesSchema>;

/**
 * How much of a sender's rate one message uses. SMS providers meter segments ("message parts per
 * second" at AWS, "message segments per second" at Twilio), so a three-part text costs three
 * slots; WhatsApp meters messages.
 */
export function rateUnitsOf(channel: Channel, body: string): number {
  return channel === 'sms' ? Math.max(1, smsSegmentsOf(body)) : 1;
}
