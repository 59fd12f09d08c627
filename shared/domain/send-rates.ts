import { z } from 'zod';
import type { Channel } from './model.js';
import { smsSegmentsOf } from './sms-preview.js';

/**
 * A sender is what a provider meters: one provider carrying one channel for this deployment (the
 * number or sender id it sends from). Its rate is what the deployment bought or was given.
 */
export function senderKeyOf(provider: string, channel: Channel): string {
  return `${provider}:${channel}`;
}

const senderKeySchema = z
  .string()
  .regex(/^(sandbox|sandbox-b|twilio|whatsapp-cloud|aws-sms):(sms|whatsapp)$/, 'must be <provider>:<channel>, such as twilio:sms or whatsapp-cloud:whatsapp');

/** Messages (WhatsApp) or message segments (SMS) per second, per sender. */
export const sendRatesSchema = z.record(senderKeySchema, z.number().positive().max(10_000));
export type SendRates = z.infer<typeof sendRatesSchema>;

/**
 * What each sender may take when the deployment says nothing: the providers' documented defaults
 * for one sender. Twilio: 10 MPS for a WhatsApp sender by default; an SMS long code outside North
 * America is commonly 10 segments a second (1 in the US). Meta's Cloud API: 80 messages a second
 * per business number. AWS End User Messaging SMS: depends on country and number type; 10 for a
 * UK long code is typical. Set SEND_RATES to the contracted rates: pacing below the real limit
 * wastes throughput; above it, the provider queues (Twilio, up to hours) or refuses with 429.
 * The sandbox is unmetered unless the local stack's SANDBOX_MPS gives it a limit.
 */
export const defaultSendRates: SendRates = {
  'twilio:sms': 10,
  'twilio:whatsapp': 10,
  'whatsapp-cloud:whatsapp': 80,
  'aws-sms:sms': 10,
};

/** The rate a sender is paced to; undefined means unmetered (sent as fast as the function can). */
export function rateOf(rates: SendRates, sender: string): number | undefined {
  return rates[sender];
}

/**
 * How much of a sender's rate one message uses. SMS providers meter segments ("message parts per
 * second" at AWS, "message segments per second" at Twilio), so a three-part text costs three
 * slots; WhatsApp meters messages.
 */
export function rateUnitsOf(channel: Channel, body: string): number {
  return channel === 'sms' ? Math.max(1, smsSegmentsOf(body)) : 1;
}
