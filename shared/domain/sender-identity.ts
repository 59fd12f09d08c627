import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';
import { providerNames, type ProviderName } from './provider-names.js';
import { ConfigurationError } from './errors.js';
import { channelSchema, type Channel } from './model.js';
import { providerChannelKeyOf, type SendRates } from './send-rates.js';
import { defaultRateOf, isPhoneNumber, isTwoWayKind, kindOf, senderKinds, type SenderAddress, type SenderKind } from './sender-kinds.js';

/*
 * Sender identities: the numbers, short codes, sender IDs and pools a deployment sends from, each
 * with its own rate. The pacer keeps one schedule per identity (a provider meters each sender on
 * its own), broadcasts go from their department's identity, replies from the number the resident
 * wrote to.
 */

/** Twilio writes WhatsApp addresses as `whatsapp:+44…`; an identity keeps the bare address. */
const WHATSAPP_PREFIX = /^whatsapp:/i;

/** No ':' in an id, so a SEND_RATES key is either `<provider>:<channel>` or an identity's id, never both. */
export const senderIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1 to 40 lower-case letters, digits or hyphens, such as youth-sms');

/**
 * One entry of SENDERS (CDK context `senders`), e.g.
 * `{"id":"youth","provider":"twilio","channel":"sms","from":"+447700900123","departments":["youth"]}`.
 * `kind` is inferred from `from` when not given; `number` is the E.164 number residents see when
 * `from` is an id (a WhatsApp Cloud phone number ID, an AWS phone number ID, a pool): replies to
 * it are matched, and a one-way identity's STOP instruction can name it. `mps` is messages (SMS:
 * segments) a second; without it, SEND_RATES or the provider's documented default.
 */
export const senderEntrySchema = z
  .strictObject({
    id: senderIdSchema,
    provider: z.enum(providerNames),
    channel: channelSchema,
    from: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .transform((value) => value.replace(WHATSAPP_PREFIX, '')),
    kind: z.enum(senderKinds).optional(),
    number: z.string().refine(isPhoneNumber, 'must be a phone number in E.164, such as +447700900123').optional(),
    mps: z.number().positive().max(10_000).optional(),
    departments: z.array(z.string().min(1)).min(1, 'must name at least one department, or be left out').optional(),
  })
  .superRefine((entry, context) => {
    const found = kindOf(entry.provider, entry.channel, entry.from, entry.kind);
    if ('problem' in found) context.addIssue({ code: 'custom', path: [found.problem.field], message: found.problem.message });
  })
  // Only reached once the refinement above found the kind.
  .transform((entry) => ({ ...entry, kind: (kindOf(entry.provider, entry.channel, entry.from, entry.kind) as { kind: SenderKind }).kind }));
export type SenderEntry = z.output<typeof senderEntrySchema>;
export type SenderEntryInput = z.input<typeof senderEntrySchema>;

/**
 * SENDERS as a whole: valid entries, each id once. The id check runs even when an entry is
 * invalid (`when`), so one look at the error shows every problem; it reads only the ids it can.
 */
export const sendersSchema = z.array(senderEntrySchema).superRefine(
  (entries, context) => {
    const ids = (entries as unknown[]).map((entry) => (typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : undefined));
    ids.forEach((id, index) => {
      if (typeof id === 'string' && ids.indexOf(id) !== index) {
        context.addIssue({ code: 'custom', path: [index, 'id'], message: `"${id}" is the id of an earlier identity; ids must be unique` });
      }
    });
  },
  { when: () => true },
);

/** One identity a deployment sends from, resolved: its kind known, its rate settled. */
export interface SenderIdentity extends SenderAddress {
  id: string;
  provider: ProviderName;
  channel: Channel;
  /** The E.164 number residents see, when the address is an id. */
  number?: string;
  /** Messages (SMS: segments) a second; undefined: unmetered (the sandboxes). */
  mps: number | undefined;
  /** Broadcasts of these departments go from it; an identity without is its provider-channel's default. */
  departments?: readonly string[];
  /** A one-way identity's: the number residents text STOP to, as they would dial it. */
  stopTo?: string;
  /** Where it was configured: `SENDERS[2]`, or the provider's own setting it was derived from. */
  source: string;
}

/** What identities are resolved from: SENDERS, SEND_RATES, and the providers' own from settings. */
export interface SenderSettings {
  SENDERS?: readonly SenderEntry[];
  SEND_RATES?: SendRates;
  TWILIO_SMS_FROM?: string;
  TWILIO_WHATSAPP_FROM?: string;
  TWILIO_MESSAGING_SERVICE_SID?: string;
  WHATSAPP_CLOUD_PHONE_NUMBER_ID?: string;
  AWS_SMS_ORIGINATION_IDENTITY?: string;
}

/** Which providers carry each channel (SMS_PROVIDERS / WHATSAPP_PROVIDERS, resolved by the caller). */
export type ServedChannels = Readonly<Partial<Record<Channel, readonly ProviderName[]>>>;

type FromSetting = Exclude<keyof SenderSettings, 'SENDERS' | 'SEND_RATES'>;

/** Without SENDERS, a provider's channel sends from its own setting: the first of these that is set. */
const fromSettings: { provider: ProviderName; channel: Channel; settings: readonly FromSetting[] }[] = [
  { provider: 'twilio', channel: 'sms', settings: ['TWILIO_SMS_FROM', 'TWILIO_MESSAGING_SERVICE_SID'] },
  { provider: 'twilio', channel: 'whatsapp', settings: ['TWILIO_WHATSAPP_FROM', 'TWILIO_MESSAGING_SERVICE_SID'] },
  { provider: 'whatsapp-cloud', channel: 'whatsapp', settings: ['WHATSAPP_CLOUD_PHONE_NUMBER_ID'] },
  { provider: 'aws-sms', channel: 'sms', settings: ['AWS_SMS_ORIGINATION_IDENTITY'] },
];

/**
 * The sandboxes' own numbers (Ofcom's drama range: nobody real). Always there, as a test key's
 * broadcast goes through the sandbox whichever providers the deployment lists.
 */
export const sandboxNumbers = { sandbox: '+447700900000', 'sandbox-b': '+447700900001' } as const;

/**
 * Every identity the deployment sends from. SENDERS' identities of a provider and channel replace
 * that provider's own from setting; a provider-channel SENDERS says nothing of is derived from its
 * setting (TWILIO_SMS_FROM…), so a deployment without SENDERS sends as it always did. Throws a
 * ConfigurationError naming every problem: a provider listed for a channel with no identity for
 * it, a provider-channel whose identities all belong to departments (none is the default), an
 * alphanumeric sender ID without a two-way SMS number to text STOP to, a SEND_RATES key naming
 * no identity.
 */
export function senderIdentitiesOf(settings: SenderSettings, served: ServedChannels = {}): SenderIdentity[] {
  const problems: string[] = [];
  const listed = (settings.SENDERS ?? []).map((entry, index) => ({ entry, source: `SENDERS[${index}]` }));
  const covered = new Set(listed.map(({ entry }) => providerChannelKeyOf(entry.provider, entry.channel)));
  const derived = derivedEntries(settings, served, problems).filter(({ entry }) => !covered.has(providerChannelKeyOf(entry.provider, entry.channel)));
  const identities = [...listed, ...derived].map(({ entry, source }) => identityOf(entry, source, settings.SEND_RATES ?? {}));
  problems.push(...identityProblems(identities, served, settings.SEND_RATES ?? {}));
  if (problems.length > 0) throw new ConfigurationError(`sender identities: ${problems.join('; ')}`);
  return identities.map((identity) => (isTwoWayKind(identity.kind) ? identity : { ...identity, stopTo: stopNumberFor(identity, identities) }));
}

function derivedEntries(settings: SenderSettings, served: ServedChannels, problems: string[]): { entry: SenderEntry; source: string }[] {
  const sandboxes = (['sandbox', 'sandbox-b'] as const).flatMap((provider) =>
    (['sms', 'whatsapp'] as const).map((channel) => ({ provider, channel, from: sandboxNumbers[provider], source: `the ${provider} provider` })),
  );
  const fromProviders = fromSettings.flatMap(({ provider, channel, settings: names }) => {
    const setting = names.find((name) => settings[name] !== undefined);
    if (!served[channel]?.includes(provider) || setting === undefined) return [];
    return [{ provider, channel, from: settings[setting] as string, source: setting }];
  });
  return [...sandboxes, ...fromProviders].flatMap(({ provider, channel, from, source }) => {
    const parsed = senderEntrySchema.safeParse({ id: `${provider}-${channel}`, provider, channel, from });
    if (parsed.success) return [{ entry: parsed.data, source }];
    problems.push(...parsed.error.issues.map((issue) => `${source}: ${issue.message}`));
    return [];
  });
}

/**
 * The rate, most specific first: SEND_RATES for the identity's id, its own `mps`, SEND_RATES for
 * its provider and channel (as before identities existed), the provider's default for its kind.
 */
function identityOf(entry: SenderEntry, source: string, rates: SendRates): SenderIdentity {
  const mps = rates[entry.id] ?? entry.mps ?? rates[providerChannelKeyOf(entry.provider, entry.channel)] ?? defaultRateOf(entry.provider, entry.kind);
  return {
    id: entry.id,
    provider: entry.provider,
    channel: entry.channel,
    kind: entry.kind,
    address: entry.from,
    ...(entry.number ? { number: entry.number } : {}),
    mps,
    ...(entry.departments ? { departments: entry.departments } : {}),
    source,
  };
}

function identityProblems(identities: readonly SenderIdentity[], served: ServedChannels, rates: SendRates): string[] {
  const problems: string[] = [];
  identities.forEach((identity, index) => {
    const earlier = identities[identities.findIndex((other) => other.id === identity.id)] as SenderIdentity;
    if (earlier === identity) return;
    // Named on the SENDERS entry: a derived identity's id is not the operator's to change.
    const [theirs, other] = identity.source.startsWith('SENDERS') ? [identity, earlier] : [earlier, identity];
    problems.push(`${theirs.source}.id: "${identity.id}" is also the id of ${other.source}`);
  });
  for (const [channel, providers] of Object.entries(served) as [Channel, readonly ProviderName[]][]) {
    for (const provider of providers) {
      if (!identities.some((identity) => identity.provider === provider && identity.channel === channel)) {
        problems.push(`${provider} carries ${channel} but has no identity to send from: ${missingHint(provider, channel)}`);
      }
    }
  }
  const groups = new Set(identities.map((identity) => providerChannelKeyOf(identity.provider, identity.channel)));
  for (const group of groups) {
    const own = identities.filter((identity) => providerChannelKeyOf(identity.provider, identity.channel) === group);
    if (own.every((identity) => identity.departments)) {
      problems.push(`SENDERS: every ${group} identity names departments; leave departments out of one, the default for the others`);
    }
  }
  for (const identity of identities) {
    if (!isTwoWayKind(identity.kind) && stopNumberFor(identity, identities) === undefined) {
      problems.push(
        `${identity.source}: "${identity.address}" is an alphanumeric sender ID, which residents cannot reply to; SENDERS must also list a two-way SMS identity (a long code, a short code, or one with its number) for them to text STOP to`,
      );
    }
  }
  const ids = new Set(identities.map((identity) => identity.id));
  for (const key of Object.keys(rates)) {
    if (!key.includes(':') && !ids.has(key)) problems.push(`SEND_RATES: "${key}" is not the id of any sender identity`);
  }
  return problems;
}

function missingHint(provider: ProviderName, channel: Channel): string {
  const settings = fromSettings.find((entry) => entry.provider === provider && entry.channel === channel)?.settings ?? [];
  return `list one in SENDERS${settings.length > 0 ? ` or set ${settings.join(' or ')}` : ''}`;
}

/** The number an identity's residents can dial, if it has one: its own address, or the number given with an id. */
function dialableNumberOf(identity: SenderIdentity): string | undefined {
  if (identity.number) return identity.number;
  return isPhoneNumber(identity.address) || identity.kind === 'short_code' ? identity.address : undefined;
}

/**
 * Where residents sent a one-way identity's messages text STOP: a two-way SMS number, its own
 * provider's first (a provider-channel's default before department identities), in the national
 * form residents dial ("07700 900123"), a short code as it is.
 */
function stopNumberFor(identity: SenderIdentity, identities: readonly SenderIdentity[]): string | undefined {
  // A sandbox's number reaches nobody: only a sandbox's own sender ID may name one.
  const candidates = identities
    .filter((other) => other.channel === 'sms' && isTwoWayKind(other.kind) && dialableNumberOf(other) !== undefined)
    .filter((other) => isSandbox(identity.provider) || !isSandbox(other.provider))
    .sort((a, b) => rank(a) - rank(b));
  const chosen = candidates[0];
  if (!chosen) return undefined;
  const number = dialableNumberOf(chosen) as string;
  return number.startsWith('+') ? (parsePhoneNumberFromString(number)?.formatNational() ?? number) : number;

  function rank(other: SenderIdentity): number {
    return (other.provider === identity.provider ? 0 : 2) + (other.departments ? 1 : 0);
  }
}

function isSandbox(provider: ProviderName): boolean {
  return provider === 'sandbox' || provider === 'sandbox-b';
}

/** The schedule a sender's sends are paced on: `PACE#twilio:sms:youth`. */
export function paceKeyOf(identity: Pick<SenderIdentity, 'provider' | 'channel' | 'id'>): string {
  return `${identity.provider}:${identity.channel}:${identity.id}`;
}

function identitiesOf(identities: readonly SenderIdentity[], provider: ProviderName, channel: Channel): SenderIdentity[] {
  const own = identities.filter((identity) => identity.provider === provider && identity.channel === channel);
  if (own.length === 0) throw new ConfigurationError(`${provider} has no ${channel} sender identity: ${missingHint(provider, channel)}`);
  return own;
}

function defaultOf(own: readonly SenderIdentity[]): SenderIdentity {
  return own.find((identity) => !identity.departments) ?? (own[0] as SenderIdentity);
}

/** The number an SMS broadcast names for STOP (none: "Reply STOP"), or why the deployment's identities cannot say. */
export type SmsStopNumber = { stopTo: string | undefined } | { problem: string };

/** A broadcast goes from the identity that lists one of its departments, else from the default. */
export function broadcastSenderOf(identities: readonly SenderIdentity[], provider: ProviderName, channel: Channel, departments: readonly string[]): SenderIdentity {
  const own = identitiesOf(identities, provider, channel);
  return own.find((identity) => identity.departments?.some((department) => departments.includes(department))) ?? defaultOf(own);
}

/**
 * A reply goes from the address the resident wrote to, when it is one of this provider's for the
 * channel (a failover may have moved the channel to another provider since), else from the
 * default two-way identity: a reply invites an answer.
 */
export function replySenderOf(identities: readonly SenderIdentity[], provider: ProviderName, channel: Channel, wroteTo: string | undefined): SenderIdentity {
  const own = identitiesOf(identities, provider, channel);
  const to = wroteTo?.replace(WHATSAPP_PREFIX, '');
  const twoWay = own.filter((identity) => isTwoWayKind(identity.kind));
  return (
    (to === undefined ? undefined : own.find((identity) => identity.address === to || identity.number === to)) ??
    (twoWay.length > 0 ? defaultOf(twoWay) : defaultOf(own))
  );
}
