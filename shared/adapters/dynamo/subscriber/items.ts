import { languageSchema, languageSourceSchema } from '../../../domain/language.js';
import { channelSchema, type Channel, type SubscriberProfile } from '../../../domain/model.js';
import { ageBandSchema } from '../../../domain/profile.js';
import { keptLanguageOf } from '../../../consent/kept-language.js';

/*
 * How the subscriber store's items look in the table: the profile's flat per-channel attributes
 * and how a profile item reads back. Every part of the store (consent, profile, import, erasure)
 * reads and writes these, so they are named once here.
 */

/** Flat attribute names, so an update can set or remove one channel's state without a parent map. */
export const optedOutAttribute = (channel: Channel) => `optedOut_${channel}`;
export const heldTopicsAttribute = (channel: Channel) => `heldTopics_${channel}`;
/** A JOIN to a confirmed-opt-in topic waiting for YES, per channel. */
export const pendingAttribute = (channel: Channel) => `pendingConfirmation_${channel}`;
/** The evidence of the STOP that opted the resident out, so a replay of it is recognised. */
export const optOutRefAttribute = (channel: Channel) => `optOutRef_${channel}`;

/** The REMOVE clause that lifts a channel's opt-out: its flag, held topics and STOP reference. */
export const liftOptOutClause = (channel: Channel) => `REMOVE ${optedOutAttribute(channel)}, ${heldTopicsAttribute(channel)}, ${optOutRefAttribute(channel)}`;

/** Marks the subscription and the profile an import batch created, so its undo takes only those. */
export const IMPORT_BATCH = 'importBatch';

/** The profile and the consent ledger: what the resident record's retention covers. */
export function isResidentRecord(item: Record<string, unknown>): boolean {
  return item.sk === 'PROFILE' || String(item.sk).startsWith('CONSENT#');
}

/** Items of one partition with the profile last: erasure and retention touch it after the rest, so a retry still finds the resident. */
export function profileLast<T extends Record<string, unknown>>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => Number(a.sk === 'PROFILE') - Number(b.sk === 'PROFILE'));
}

export function toProfile(phone: string, item: Record<string, unknown>): SubscriberProfile {
  const kept = keptLanguageOf({ language: languageSchema.safeParse(item.language).data, languageSource: languageSourceSchema.safeParse(item.languageSource).data });
  const profile: SubscriberProfile = {
    phone,
    createdAt: String(item.createdAt),
    optedOut: {},
    heldTopics: {},
    language: kept?.language,
    languageSource: kept?.source,
    area: typeof item.area === 'string' ? item.area : undefined,
    ageBand: ageBandSchema.safeParse(item.ageBand).data,
    whatsappWindowOpenedAt: typeof item.whatsappWindowOpenedAt === 'string' ? item.whatsappWindowOpenedAt : undefined,
  };
  for (const channel of channelSchema.options) {
    const optedOutAt = item[optedOutAttribute(channel)];
    if (typeof optedOutAt === 'string') profile.optedOut[channel] = optedOutAt;
    const held = item[heldTopicsAttribute(channel)];
    if (Array.isArray(held)) profile.heldTopics[channel] = held.map(String);
  }
  return profile;
}
