import type { ProviderName } from './provider-names.js';
import type { Channel } from './model.js';
import { toE164 } from './phone.js';

/**
 * The kinds of address a message can come from. A messaging service (Twilio) and a pool (AWS End
 * User Messaging SMS) are pools of numbers the provider picks from; the others are one sender.
 */
export const senderKinds = ['long_code', 'short_code', 'alphanumeric', 'whatsapp_number', 'messaging_service', 'pool'] as const;
export type SenderKind = (typeof senderKinds)[number];

/** What an adapter needs to send from an identity: the address, and what kind of address it is. */
export interface SenderAddress {
  kind: SenderKind;
  address: string;
}

/** The channels each provider carries. */
export const providerChannels: Record<ProviderName, readonly Channel[]> = {
  sandbox: ['sms', 'whatsapp'],
  'sandbox-b': ['sms', 'whatsapp'],
  twilio: ['sms', 'whatsapp'],
  'whatsapp-cloud': ['whatsapp'],
  'aws-sms': ['sms'],
};

const SHORT_CODE = /^\d{3,8}$/;
const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;
/** Meta's id for a business phone number: digits, longer than any short code. */
const PHONE_NUMBER_ID = /^\d{9,20}$/;
const AWS_ARN = (resource: string) => new RegExp(`^arn:aws[a-z-]*:sms-voice:[a-z0-9-]+:\\d{12}:${resource}$`);
const AWS_POOL = [/^pool-[0-9a-f]{32}$/, AWS_ARN('pool/pool-[0-9a-f]{32}')];
const AWS_PHONE_NUMBER = [/^phone-[0-9a-f]{32}$/, AWS_ARN('phone-number/phone-[0-9a-f]{32}')];
const AWS_SENDER_ID = AWS_ARN('sender-id/[A-Za-z0-9 -]{1,11}/[A-Z]{2}');
/** GSM's limit for an alphanumeric originator: 11 characters, at least one a letter (digits alone read as a number). */
const ALPHANUMERIC = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;

/** True for a number in E.164 that is allocated (or in Ofcom's drama range, as crier accepts everywhere). */
export function isPhoneNumber(address: string): boolean {
  // The default country is irrelevant: only a number with its '+' can equal its own E.164 form.
  return address.startsWith('+') && toE164(address, 'GB') === address;
}

interface KindRule {
  /** How the kind reads in an error: `"X" is not <describes>`. */
  describes: string;
  channels: readonly Channel[];
  providers: readonly ProviderName[];
  fits: (address: string, provider: ProviderName) => boolean;
}

/**
 * What each kind looks like, where it may be used, and through which providers. In inference
 * order: the first kind a provider and channel allow whose address fits is the identity's kind.
 */
const kindRules: Record<SenderKind, KindRule> = {
  whatsapp_number: {
    describes: 'a WhatsApp number (E.164, or for whatsapp-cloud the phone number ID from the WhatsApp Manager)',
    channels: ['whatsapp'],
    providers: ['sandbox', 'sandbox-b', 'twilio', 'whatsapp-cloud'],
    // Meta's API posts to the number's id, not to the number; Twilio and the sandbox take the number.
    fits: (address, provider) => (provider === 'whatsapp-cloud' ? PHONE_NUMBER_ID.test(address) : isPhoneNumber(address)),
  },
  long_code: {
    describes: 'a phone number in E.164 such as +447700900123 (or, for aws-sms, a phone number ID or ARN)',
    channels: ['sms'],
    providers: ['sandbox', 'sandbox-b', 'twilio', 'aws-sms'],
    fits: (address, provider) => isPhoneNumber(address) || (provider === 'aws-sms' && AWS_PHONE_NUMBER.some((form) => form.test(address))),
  },
  short_code: {
    describes: 'a short code of 3 to 8 digits',
    channels: ['sms'],
    providers: ['sandbox', 'sandbox-b', 'twilio', 'aws-sms'],
    fits: (address) => SHORT_CODE.test(address),
  },
  messaging_service: {
    describes: 'a Messaging Service SID (MG followed by 32 hex digits)',
    channels: ['sms', 'whatsapp'],
    providers: ['twilio'],
    fits: (address) => MESSAGING_SERVICE_SID.test(address),
  },
  pool: {
    describes: 'a pool ID (pool-…) or pool ARN',
    channels: ['sms'],
    providers: ['aws-sms'],
    fits: (address) => AWS_POOL.some((form) => form.test(address)),
  },
  alphanumeric: {
    describes: 'an alphanumeric sender ID (1 to 11 letters, digits or spaces, at least one a letter)',
    channels: ['sms'],
    providers: ['sandbox', 'sandbox-b', 'twilio', 'aws-sms'],
    fits: (address, provider) => ALPHANUMERIC.test(address) || (provider === 'aws-sms' && AWS_SENDER_ID.test(address)),
  },
};

/** A problem with one field of an identity, named so the operator knows which to fix. */
export interface IdentityProblem {
  field: 'channel' | 'kind' | 'from';
  message: string;
}

/**
 * The kind of an identity: the one given, checked against its channel, provider and address, or
 * the one its address reveals. Problems name the field at fault.
 */
export function kindOf(provider: ProviderName, channel: Channel, address: string, given?: SenderKind): { kind: SenderKind } | { problem: IdentityProblem } {
  if (!providerChannels[provider].includes(channel)) {
    return { problem: { field: 'channel', message: `${provider} does not carry ${channel}; it carries ${providerChannels[provider].join(' and ')}` } };
  }
  if (given !== undefined) {
    const rule = kindRules[given];
    if (!rule.channels.includes(channel)) {
      return { problem: { field: 'kind', message: `${given} is ${rule.channels.map(channelName).join(' or ')} only, not ${channelName(channel)}` } };
    }
    if (!rule.providers.includes(provider)) {
      return { problem: { field: 'kind', message: `${given} is for ${rule.providers.join(' or ')} only, not ${provider}` } };
    }
    if (!rule.fits(address, provider)) return { problem: { field: 'from', message: `"${address}" is not ${rule.describes}` } };
    return { kind: given };
  }
  const allowed = senderKinds.filter((kind) => kindRules[kind].channels.includes(channel) && kindRules[kind].providers.includes(provider));
  const found = allowed.find((kind) => kindRules[kind].fits(address, provider));
  if (found) return { kind: found };
  return {
    problem: {
      field: 'from',
      message: `"${address}" is not a sender ${provider} can send ${channelName(channel)} from; it must be ${allowed.map((kind) => kindRules[kind].describes).join(', or ')}`,
    },
  };
}

function channelName(channel: Channel): string {
  return channel === 'sms' ? 'SMS' : 'WhatsApp';
}

/** Residents can answer it: every kind but the alphanumeric sender ID, which no phone can text back. */
export function isTwoWayKind(kind: SenderKind): boolean {
  return kind !== 'alphanumeric';
}

/**
 * Messages (WhatsApp) or SMS segments a second one identity may take when the deployment does not
 * say, from the providers' documented figures for one sender outside North America:
 * - Twilio: a long code outside the US and Canada and an alphanumeric sender ID 10 MPS, a short
 *   code 100 MPS ("a short code may send over 100 message segments per second", error 30001:
 *   https://www.twilio.com/docs/api/errors/30001); a WhatsApp sender 10 MPS by default, up to 50
 *   on request (https://www.twilio.com/docs/whatsapp/best-practices-and-faqs). A Messaging Service
 *   is as fast as the senders in it: one sender's 10 unless SEND_RATES says more.
 * - Meta's Cloud API: 80 messages a second per business phone number by default, up to 1,000
 *   (https://developers.facebook.com/documentation/business-messaging/whatsapp/throughput).
 * - AWS End User Messaging SMS: a long code outside the US and Canada 10 MPS, a sender ID 10 MPS,
 *   a dedicated short code 100 MPS in the US and Canada and varying elsewhere; a pool is taken as
 *   one number's 10 (https://docs.aws.amazon.com/sms-voice/latest/userguide/sms-limitations-mps.html).
 * US long codes (10DLC) and toll-free numbers are slower (1 and 3 MPS): a deployment sending from
 * one sets its rate in SENDERS or SEND_RATES. The sandboxes are unmetered (undefined) unless the
 * local stack's SANDBOX_MPS gives them a limit.
 */
const defaultRates: Partial<Record<ProviderName, Partial<Record<SenderKind, number>>>> = {
  twilio: { long_code: 10, short_code: 100, alphanumeric: 10, messaging_service: 10, whatsapp_number: 10 },
  'whatsapp-cloud': { whatsapp_number: 80 },
  'aws-sms': { long_code: 10, short_code: 100, alphanumeric: 10, pool: 10 },
};

export function defaultRateOf(provider: ProviderName, kind: SenderKind): number | undefined {
  return defaultRates[provider]?.[kind];
}
