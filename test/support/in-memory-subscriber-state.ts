import { consentRecordSubject, evidenceRef, subscribeOutcome, type ChannelOptOut, type SubscriptionWrite } from '../../shared/consent/consent-rules.js';
import type { Channel, ConsentEvent, ConsentEvidence, PendingConfirmation, SubscriberProfile, Subscription } from '../../shared/domain/model.js';
import { keptLanguageOf } from '../../shared/consent/kept-language.js';
import type { ProfileChanges } from '../../shared/residents/profile-store.js';

/*
 * The in-memory subscriber store's state (test/support/in-memory-subscriber-store.ts): plain maps,
 * and the few writes its methods share, which decide by the consent rules as the DynamoDB store does.
 */

export const copy = <T>(value: T): T => structuredClone(value);

export interface ProfileState {
  createdAt: string;
  optedOut: Partial<Record<Channel, string>>;
  heldTopics: Partial<Record<Channel, string[]>>;
  optOutRef: Partial<Record<Channel, string>>;
  pending: Partial<Record<Channel, PendingConfirmation>>;
  changes: ProfileChanges;
  acknowledgedOn?: string;
  whatsappWindowOpenedAt?: string;
}

export class InMemorySubscriberState {
  readonly profiles = new Map<string, ProfileState>();
  readonly subscriptionsById = new Map<string, Subscription>();
  readonly consent = new Map<string, ConsentEvent & { phone: string }>();
  /** Hashes are the DynamoDB store's business; here the tombstone keeps the erasure's facts. */
  readonly tombstones: { at: string; actor: string }[] = [];
  /** The numbers behind the tombstones, for erasedAmong. */
  readonly erasedPhones = new Set<string>();
  /** Which import batch made a subscription (by subscription id) or a profile (by phone). */
  readonly importedSubscriptions = new Map<string, string>();
  readonly importedProfiles = new Map<string, string>();
  /** When each resident's record (profile and consent ledger) may go, as settleRetention last set it; absent: kept. */
  readonly recordExpiry = new Map<string, number>();

  constructor(protected readonly shardCount: number) {}

  protected addSubscription(phone: string, channel: Channel, topicId: string, at: string, evidence: ConsentEvidence, how: SubscriptionWrite, importBatch?: string): boolean {
    const id = subscriptionId(phone, channel, topicId);
    const outcome = subscribeOutcome(how, this.subscriptionsById.has(id));
    if (!outcome.subscribes) return false;
    this.putConsent(phone, { at, action: outcome.action, channel, topicId, evidence });
    if (outcome.liftsOptOut) liftOptOut(this.profile(phone, at), channel);
    this.subscriptionsById.set(id, { phone, channel, topicId, since: at });
    if (importBatch) this.importedSubscriptions.set(id, importBatch);
    return true;
  }

  protected knows(phone: string): boolean {
    return (
      this.profiles.has(phone) ||
      [...this.subscriptionsById.values()].some((s) => s.phone === phone) ||
      [...this.consent.values()].some((event) => event.phone === phone)
    );
  }

  /** One tombstone per number, as the DynamoDB store keeps one item per hash. */
  protected markErased(phone: string, at: string, actor: string): void {
    if (this.erasedPhones.has(phone)) return;
    this.erasedPhones.add(phone);
    this.tombstones.push({ at, actor });
  }

  protected profile(phone: string, at: string): ProfileState {
    let profile = this.profiles.get(phone);
    if (!profile) {
      profile = { createdAt: at, optedOut: {}, heldTopics: {}, optOutRef: {}, pending: {}, changes: {} };
      this.profiles.set(phone, profile);
    }
    return profile;
  }

  /** Keyed by what changed and the evidence, as in DynamoDB: a replay rewrites, never duplicates. */
  protected putConsent(phone: string, event: ConsentEvent, part?: string): void {
    this.consent.set(consentKey(phone, consentRecordSubject(event, part), evidenceRef(event.evidence, event.at)), { phone, ...copy(event) });
  }
}

/** As the DynamoDB store reads it: a language kept without a source was chosen. */
export function languageOf(changes: ProfileChanges): Pick<SubscriberProfile, 'language' | 'languageSource'> {
  const kept = keptLanguageOf(changes);
  return { language: kept?.language, languageSource: kept?.source };
}

/** What a JOIN (or START, last) lifts: the channel's opt-out, its held topics and its STOP's reference. */
export function liftOptOut(profile: ProfileState, channel: Channel): void {
  delete profile.optedOut[channel];
  delete profile.heldTopics[channel];
  delete profile.optOutRef[channel];
}

export function channelOptOutIn(profile: ProfileState, channel: Channel): ChannelOptOut {
  return { optedOutAt: profile.optedOut[channel], heldTopics: profile.heldTopics[channel], ref: profile.optOutRef[channel] };
}

/** As DynamoDB's sort key (`CONSENT#<subject>#<evidence>`), so records of one time list in the same order. */
export function consentKey(phone: string, subject: string, ref: string): string {
  return `${phone}|${subject}#${ref}`;
}

export function subscriptionId(phone: string, channel: Channel, topicId: string): string {
  return `${phone}|${channel}|${topicId}`;
}
