import { evidenceRef, heldTopicsOf, startOutcome, stopOn, stopOutcome, type ChannelOptOut } from '../../shared/consent/consent-rules.js';
import { erasureReference } from '../../shared/domain/erasure.js';
import type { Language } from '../../shared/domain/language.js';
import {
  channelSchema,
  recipientKey,
  type Channel,
  type ConsentEvent,
  type ConsentEvidence,
  type PendingConfirmation,
  type Recipient,
  type SubscriberProfile,
  type Subscription,
} from '../../shared/domain/model.js';
import { shardOf } from '../../shared/domain/sharding.js';
import type {
  ErasureFootprint,
  ImportedSubscription,
  ImportEvidence,
  ProfileChanges,
  SubscriberStore,
} from '../../shared/consent/subscriber-store.js';
import type { TopicIndex, TopicIndexPage } from '../../shared/topics/topic-index.js';
import { keptLanguageOf } from '../../shared/residents/kept-language.js';
import { defaultRetention } from '../../shared/retention/periods.js';
import { expiresAt } from '../../shared/retention/schedule.js';
import { testPhoneHasher } from './phone-hash.js';

/**
 * The subscriber store (and the topic index it feeds) in memory, for use-case tests. The consent
 * rules are the ones the DynamoDB store uses (shared/consent/consent-rules.ts), and the consent
 * contract (test/integration/consent/subscriber-store.contract.ts) runs the same cases against
 * both. Everything returned is a copy, so a test cannot change the state by accident.
 */

const copy = <T>(value: T): T => structuredClone(value);

interface ProfileState {
  createdAt: string;
  optedOut: Partial<Record<Channel, string>>;
  heldTopics: Partial<Record<Channel, string[]>>;
  optOutRef: Partial<Record<Channel, string>>;
  pending: Partial<Record<Channel, PendingConfirmation>>;
  changes: ProfileChanges;
  acknowledgedOn?: string;
  whatsappWindowOpenedAt?: string;
}

export class InMemorySubscriberStore implements SubscriberStore, TopicIndex {
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

  constructor(private readonly shardCount: number) {}

  async settleRetention(phone: string, at: string): Promise<void> {
    const subscriptions = [...this.subscriptionsById.values()].filter((subscription) => subscription.phone === phone).length;
    const until = expiresAt({ kind: 'residentRecord', lastChangeAt: at, subscriptions }, defaultRetention);
    if (until === undefined) this.recordExpiry.delete(phone);
    else if (this.knows(phone)) this.recordExpiry.set(phone, Math.max(until, this.recordExpiry.get(phone) ?? 0));
  }

  async profilesOf(phones: readonly string[]): Promise<Map<string, SubscriberProfile>> {
    const profiles = new Map<string, SubscriberProfile>();
    for (const phone of phones) {
      const profile = await this.getProfile(phone);
      if (profile) profiles.set(phone, profile);
    }
    return profiles;
  }

  async getProfile(phone: string): Promise<SubscriberProfile | undefined> {
    const state = this.profiles.get(phone);
    return state
      ? {
          phone,
          createdAt: state.createdAt,
          optedOut: copy(state.optedOut),
          heldTopics: copy(state.heldTopics),
          ...languageOf(state.changes),
          area: state.changes.area,
          ageBand: state.changes.ageBand ?? undefined,
          whatsappWindowOpenedAt: state.whatsappWindowOpenedAt,
        }
      : undefined;
  }

  async subscriptions(phone: string): Promise<Subscription[]> {
    return [...this.subscriptionsById.values()]
      .filter((subscription) => subscription.phone === phone)
      .sort((a, b) => `${a.channel}#${a.topicId}`.localeCompare(`${b.channel}#${b.topicId}`))
      .map(copy);
  }

  async consentHistory(phone: string): Promise<ConsentEvent[]> {
    return [...this.consent.entries()]
      .filter(([, event]) => event.phone === phone)
      .sort(([keyA, a], [keyB, b]) => a.at.localeCompare(b.at) || keyA.localeCompare(keyB))
      .map(([, { phone: _phone, ...event }]) => copy(event));
  }

  async subscribe(
    phone: string,
    channel: Channel,
    topicId: string,
    at: string,
    evidence: ConsentEvidence,
    action: 'opt_in' | 'confirm' = 'opt_in',
  ): Promise<boolean> {
    const id = subscriptionId(phone, channel, topicId);
    if (this.subscriptionsById.has(id)) return false;
    this.putConsent(phone, { at, action, channel, topicId, evidence });
    const profile = this.profile(phone, at);
    delete profile.optedOut[channel];
    delete profile.heldTopics[channel];
    delete profile.optOutRef[channel];
    this.subscriptionsById.set(id, { phone, channel, topicId, since: at });
    return true;
  }

  async optOut(phone: string, channel: Channel, at: string, evidence: ConsentEvidence): Promise<boolean> {
    // Read before deciding, with no await between the decision and its writes: as the DynamoDB
    // store's conditional update, of two STOPs at once only one may be new.
    const stop = stopOn(channel, await this.subscriptions(phone), at, evidence);
    const profile = this.profile(phone, at);
    const outcome = stopOutcome(channelOptOutIn(profile, channel), stop);
    if (outcome.newlyOptedOut) {
      profile.optedOut[channel] = outcome.optOut.optedOutAt;
      profile.heldTopics[channel] = [...outcome.optOut.heldTopics];
      profile.optOutRef[channel] = outcome.optOut.ref;
      delete profile.pending[channel];
      this.putConsent(phone, { at, action: 'opt_out', channel, topicId: undefined, evidence });
    }
    for (const topicId of outcome.remove) this.subscriptionsById.delete(subscriptionId(phone, channel, topicId));
    return outcome.newlyOptedOut;
  }

  async restore(
    phone: string,
    channel: Channel,
    at: string,
    evidence: ConsentEvidence,
    stillOpen: (topicId: string) => Promise<boolean> = async () => true,
  ): Promise<string[]> {
    const profile = this.profiles.get(phone);
    const current = profile ? channelOptOutIn(profile, channel) : {};
    const open = new Set<string>();
    for (const topicId of heldTopicsOf(current)) if (await stillOpen(topicId)) open.add(topicId);
    const start = startOutcome(current, (topicId) => open.has(topicId));
    if (!profile || !start.lifted) return [];
    this.putConsent(phone, { at, action: 'restore', channel, topicId: undefined, evidence });
    delete profile.optedOut[channel];
    delete profile.heldTopics[channel];
    delete profile.optOutRef[channel];
    for (const topicId of start.resubscribe) await this.subscribe(phone, channel, topicId, at, evidence);
    return [...start.resubscribe];
  }

  async leaveTopic(phone: string, channel: Channel, topicId: string, at: string, evidence: ConsentEvidence): Promise<boolean> {
    const id = subscriptionId(phone, channel, topicId);
    if (!this.subscriptionsById.has(id)) return false;
    this.putConsent(phone, { at, action: 'leave', channel, topicId, evidence });
    this.subscriptionsById.delete(id);
    return true;
  }

  async updateProfile(phone: string, channel: Channel, changes: ProfileChanges, at: string, evidence: ConsentEvidence): Promise<void> {
    const given = Object.entries(changes).filter(([, value]) => value !== undefined);
    if (given.length === 0) return;
    const recorded = Object.fromEntries(given.map(([name, value]) => [name, value === null ? 'removed' : String(value)]));
    this.putConsent(phone, { at, action: 'profile', channel, topicId: undefined, evidence, changes: recorded });
    const profileChanges = this.profile(phone, at).changes as Record<string, unknown>;
    for (const [name, value] of given) {
      if (value === null) delete profileChanges[name];
      else profileChanges[name] = value;
    }
  }

  async keepInferredLanguage(phone: string, channel: Channel, language: Language, at: string, evidence: ConsentEvidence): Promise<boolean> {
    this.putConsent(phone, { at, action: 'profile', channel, topicId: undefined, evidence, changes: { language, languageSource: 'inferred' } }, 'language');
    const changes = this.profile(phone, at).changes;
    if (keptLanguageOf(changes)?.source === 'chosen') return false;
    changes.language = language;
    changes.languageSource = 'inferred';
    return true;
  }

  async requestConfirmation(phone: string, pending: PendingConfirmation, evidence: ConsentEvidence): Promise<void> {
    this.putConsent(phone, { at: pending.requestedAt, action: 'opt_in_requested', channel: pending.channel, topicId: pending.topicId, evidence });
    this.profile(phone, pending.requestedAt).pending[pending.channel] = copy(pending);
  }

  async takePendingConfirmation(phone: string, channel: Channel): Promise<PendingConfirmation | undefined> {
    const profile = this.profiles.get(phone);
    const pending = profile?.pending[channel];
    if (profile) delete profile.pending[channel];
    return copy(pending);
  }

  async claimDailyAcknowledgement(phone: string, day: string, at = `${day}T00:00:00.000Z`): Promise<boolean> {
    const profile = this.profile(phone, at);
    if (profile.acknowledgedOn === day) return false;
    profile.acknowledgedOn = day;
    return true;
  }

  async recordWhatsAppWindow(phone: string, at: string): Promise<void> {
    this.profile(phone, at).whatsappWindowOpenedAt = at;
  }

  async beginErasure(phone: string, at: string, actor: string): Promise<ErasureFootprint | undefined> {
    if (!this.knows(phone)) return undefined;
    const topicIds = new Set<string>();
    for (const event of this.consent.values()) if (event.phone === phone && event.topicId) topicIds.add(event.topicId);
    for (const held of Object.values(this.profiles.get(phone)?.heldTopics ?? {})) for (const topicId of held ?? []) topicIds.add(topicId);
    for (const [id, subscription] of this.subscriptionsById) {
      if (subscription.phone !== phone) continue;
      topicIds.add(subscription.topicId);
      this.subscriptionsById.delete(id);
    }
    this.markErased(phone, at, actor);
    return { topicIds: [...topicIds].sort() };
  }

  async importSubscription(row: ImportedSubscription, at: string, evidence: ImportEvidence): Promise<boolean> {
    if (!this.profiles.has(row.phone)) {
      this.profile(row.phone, at).changes = copy(row.profile);
      this.importedProfiles.set(row.phone, evidence.batchId);
    }
    const id = subscriptionId(row.phone, row.channel, row.topicId);
    if (this.subscriptionsById.has(id)) return false;
    this.putConsent(row.phone, { at, action: 'opt_in', channel: row.channel, topicId: row.topicId, evidence });
    this.subscriptionsById.set(id, { phone: row.phone, channel: row.channel, topicId: row.topicId, since: at });
    this.importedSubscriptions.set(id, evidence.batchId);
    return true;
  }

  async undoImport(row: ImportedSubscription, batchId: string): Promise<void> {
    const id = subscriptionId(row.phone, row.channel, row.topicId);
    if (this.importedSubscriptions.get(id) === batchId) {
      this.subscriptionsById.delete(id);
      this.importedSubscriptions.delete(id);
    }
    this.consent.delete(`${row.phone}|opt_in#${row.channel}#${row.topicId}|import:${batchId}`);
    const othersLeft =
      [...this.subscriptionsById.values()].some((s) => s.phone === row.phone) || [...this.consent.values()].some((event) => event.phone === row.phone);
    if (!othersLeft && this.importedProfiles.get(row.phone) === batchId) {
      this.profiles.delete(row.phone);
      this.importedProfiles.delete(row.phone);
    }
  }

  async erasedAmong(phones: readonly string[]): Promise<Set<string>> {
    return new Set(phones.filter((phone) => this.erasedPhones.has(phone)));
  }

  async erasureReference(phone: string): Promise<string> {
    return erasureReference(await testPhoneHasher(phone));
  }

  async erase(phone: string, at: string, actor: string): Promise<boolean> {
    if (!this.knows(phone)) return false;
    this.profiles.delete(phone);
    for (const [id, subscription] of this.subscriptionsById) if (subscription.phone === phone) this.subscriptionsById.delete(id);
    for (const [key, event] of this.consent) if (event.phone === phone) this.consent.delete(key);
    this.markErased(phone, at, actor);
    return true;
  }

  private knows(phone: string): boolean {
    return (
      this.profiles.has(phone) ||
      [...this.subscriptionsById.values()].some((s) => s.phone === phone) ||
      [...this.consent.values()].some((event) => event.phone === phone)
    );
  }

  /** One tombstone per number, as the DynamoDB store keeps one item per hash. */
  private markErased(phone: string, at: string, actor: string): void {
    if (this.erasedPhones.has(phone)) return;
    this.erasedPhones.add(phone);
    this.tombstones.push({ at, actor });
  }

  async optedOutAmong(recipients: readonly Recipient[]): Promise<Set<string>> {
    return new Set(
      recipients.filter((recipient) => this.profiles.get(recipient.phone)?.optedOut[recipient.channel] !== undefined).map(recipientKey),
    );
  }

  /** The topic index, ordered as the DynamoDB one is (by phone, then channel), cursor = offset. */
  async page(topicId: string, shard: number, cursor: string | undefined, limit: number): Promise<TopicIndexPage> {
    const entries = [...this.subscriptionsById.values()]
      .filter((s) => s.topicId === topicId && shardOf(s.phone, this.shardCount) === shard)
      .sort((a, b) => `${a.phone}#${a.channel}`.localeCompare(`${b.phone}#${b.channel}`));
    const start = cursor ? Number(cursor) : 0;
    const end = start + limit;
    return {
      recipients: entries.slice(start, end).map(({ phone, channel }) => ({ phone, channel: channelSchema.parse(channel) })),
      cursor: end < entries.length ? String(end) : undefined,
    };
  }

  async consentToSend(phone: string, channel: Channel, topicId: string): Promise<{ profile: SubscriberProfile | undefined; subscribed: boolean }> {
    const profile = (await this.profilesOf([phone])).get(phone);
    const subscribed = [...this.subscriptionsById.values()].some((s) => s.phone === phone && s.channel === channel && s.topicId === topicId);
    return { profile, subscribed };
  }

  async membersAmong(topicId: string, shard: number, phones: readonly string[]): Promise<Set<string>> {
    const wanted = new Set(phones);
    return new Set(
      [...this.subscriptionsById.values()]
        .filter((s) => s.topicId === topicId && shardOf(s.phone, this.shardCount) === shard && wanted.has(s.phone))
        .map((s) => s.phone),
    );
  }

  private profile(phone: string, at: string): ProfileState {
    let profile = this.profiles.get(phone);
    if (!profile) {
      profile = { createdAt: at, optedOut: {}, heldTopics: {}, optOutRef: {}, pending: {}, changes: {} };
      this.profiles.set(phone, profile);
    }
    return profile;
  }

  /** Keyed by what changed and the evidence, as in DynamoDB: a replay rewrites, never duplicates. */
  private putConsent(phone: string, event: ConsentEvent, part?: string): void {
    const key = `${phone}|${event.action}#${event.channel}#${event.topicId ?? '*'}${part ? `#${part}` : ''}|${evidenceRef(event.evidence, event.at)}`;
    this.consent.set(key, { phone, ...copy(event) });
  }
}

/** As the DynamoDB store reads it: a language kept without a source was chosen. */
function languageOf(changes: ProfileChanges): Pick<SubscriberProfile, 'language' | 'languageSource'> {
  const kept = keptLanguageOf(changes);
  return { language: kept?.language, languageSource: kept?.source };
}

function channelOptOutIn(profile: ProfileState, channel: Channel): ChannelOptOut {
  return { optedOutAt: profile.optedOut[channel], heldTopics: profile.heldTopics[channel], ref: profile.optOutRef[channel] };
}

function subscriptionId(phone: string, channel: Channel, topicId: string): string {
  return `${phone}|${channel}|${topicId}`;
}
