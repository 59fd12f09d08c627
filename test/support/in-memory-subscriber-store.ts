import { consentRecordSubject, heldTopicsOf, importEvidenceRef, startOutcome, stopOn, stopOutcome } from '../../shared/consent/consent-rules.js';
import { erasureFootprint } from '../../shared/consent/erasure-rules.js';
import { undoTakesProfile, undoTakesSubscription } from '../../shared/consent/import-rules.js';
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
import type { ErasureFootprint } from '../../shared/consent/erasure-store.js';
import type { ImportedSubscription, ImportEvidence } from '../../shared/consent/import-store.js';
import type { SubscriberStore } from '../../shared/consent/subscriber-store.js';
import type { ProfileChanges } from '../../shared/residents/profile-store.js';
import type { TopicIndex, TopicIndexPage } from '../../shared/topics/topic-index.js';
import { keptLanguageOf } from '../../shared/consent/kept-language.js';
import { defaultRetention } from '../../shared/retention/periods.js';
import { expiresAt } from '../../shared/retention/schedule.js';
import { channelOptOutIn, consentKey, copy, InMemorySubscriberState, languageOf, liftOptOut, subscriptionId } from './in-memory-subscriber-state.js';
import { testPhoneHasher } from './phone-hash.js';

/**
 * The subscriber store (and the topic index it feeds) in memory, for use-case tests. The consent
 * rules are the ones the DynamoDB store uses (shared/consent/*-rules.ts), and each part's
 * contract (consent, profile, erasure, import: test/unit/consent/subscriber-store-memory.test.ts
 * runs them) holds it to the same cases as the DynamoDB store. Everything returned is a copy, so a
 * test cannot change the state by accident.
 */

export class InMemorySubscriberStore extends InMemorySubscriberState implements SubscriberStore, TopicIndex {
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
    return this.addSubscription(phone, channel, topicId, at, evidence, action === 'confirm' ? 'confirm' : 'join');
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
    for (const topicId of start.resubscribe) this.addSubscription(phone, channel, topicId, at, evidence, 'restore');
    // Last, as in DynamoDB (a START retried part-way still finds the topics held).
    liftOptOut(profile, channel);
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
    const footprint = erasureFootprint({
      subscribed: (await this.subscriptions(phone)).map((subscription) => subscription.topicId),
      recorded: (await this.consentHistory(phone)).flatMap((event) => (event.topicId ? [event.topicId] : [])),
      held: Object.values(this.profiles.get(phone)?.heldTopics ?? {}).flatMap((held) => held ?? []),
    });
    for (const [id, subscription] of this.subscriptionsById) if (subscription.phone === phone) this.subscriptionsById.delete(id);
    this.markErased(phone, at, actor);
    return footprint;
  }

  async importSubscription(row: ImportedSubscription, at: string, evidence: ImportEvidence): Promise<boolean> {
    if (!this.profiles.has(row.phone)) {
      this.profile(row.phone, at).changes = copy(row.profile);
      this.importedProfiles.set(row.phone, evidence.batchId);
    }
    return this.addSubscription(row.phone, row.channel, row.topicId, at, evidence, 'import', evidence.batchId);
  }

  async undoImport(row: ImportedSubscription, batchId: string): Promise<void> {
    const id = subscriptionId(row.phone, row.channel, row.topicId);
    if (undoTakesSubscription(batchId, this.importedSubscriptions.get(id))) {
      this.subscriptionsById.delete(id);
      this.importedSubscriptions.delete(id);
    }
    this.consent.delete(consentKey(row.phone, consentRecordSubject({ action: 'opt_in', channel: row.channel, topicId: row.topicId }), importEvidenceRef(batchId)));
    const othersLeft =
      [...this.subscriptionsById.values()].filter((s) => s.phone === row.phone).length + [...this.consent.values()].filter((event) => event.phone === row.phone).length;
    if (this.profiles.has(row.phone) && undoTakesProfile(batchId, this.importedProfiles.get(row.phone), othersLeft)) {
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
}

