/**
 * What each message costs, as crier records it: an ESTIMATE made at send time from the
 * deployment's price table (segments of the exact text sent × the rate for the destination
 * country on SMS, a flat rate per message per country on WhatsApp), and, separately, whatever
 * price the provider itself reports (AWS End User Messaging's delivery events, Twilio when its
 * response carries one).
 *
 * Amounts are kept as whole micro-units of the currency (millionths of a pound): a rate of
 * £0.0333 is 33,300, so summing thousands of messages is integer arithmetic with no float drift,
 * and a rate finer than a penny (WhatsApp's £0.0158) is still exact.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Channel } from './model.js';
import { smsSegmentsOf, type PriceTable } from './sms-preview.js';

export const MICROS_PER_UNIT = 1_000_000;

/** A major-unit amount (0.04) as whole micro-units (40000); rounded once, at the rate. */
export function toMicros(amount: number): number {
  return Math.round(amount * MICROS_PER_UNIT);
}

/** Micro-units back to the major unit, for display: 1234567 → 1.234567. */
export function fromMicros(micros: number): number {
  return micros / MICROS_PER_UNIT;
}

/**
 * The destination country (ISO 3166 alpha-2) of an E.164 number; for a number the metadata cannot
 * place within its calling code (+44 is shared by GB, GG, IM and JE), the code's main country.
 * Undefined when it has none (+800, nonsense): the default rate applies.
 */
export function destinationCountry(phone: string): string | undefined {
  const parsed = parsePhoneNumberFromString(phone);
  return parsed?.country ?? parsed?.getPossibleCountries()[0];
}

/** The rate (major units) one SMS segment or one WhatsApp message costs to `country`: its own, else the channel's default. */
export function rateFor(prices: PriceTable, channel: Channel, country: string | undefined): number {
  const table = channel === 'sms' ? prices.sms : prices.whatsapp;
  const fallback = channel === 'sms' ? prices.sms.perSegment : prices.whatsapp.perMessage;
  return (country === undefined ? undefined : table.byCountry?.[country]) ?? fallback;
}

/** The estimate stored on a message record. */
export interface MessageCostEstimate {
  currency: string;
  /** Whole micro-units of `currency`. */
  estimatedMicros: number;
  /** SMS segments of the text sent; 1 for WhatsApp (billed per message). */
  units: number;
  /** The country priced, undefined when the number has none (the default rate applied). */
  country: string | undefined;
}

/** A price a provider reported for one message, as it gave it (amount in major units, its currency). */
export interface ProviderPrice {
  amount: number;
  currency: string;
}

/**
 * The estimate for one message: on SMS the segments of the exact text sent (UCS-2 text takes
 * more of them) × the destination country's rate per segment; on WhatsApp its flat rate per
 * message (a template outside the window or free text inside it alike: an upper bound, since
 * Meta does not charge for replies inside a service window).
 */
export function estimateMessageCost(prices: PriceTable, message: { channel: Channel; to: string; body: string }): MessageCostEstimate {
  const country = destinationCountry(message.to);
  const units = message.channel === 'sms' ? smsSegmentsOf(message.body) : 1;
  return { currency: prices.currency, estimatedMicros: units * toMicros(rateFor(prices, message.channel, country)), units, country };
}
