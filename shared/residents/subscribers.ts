import { NotFoundError } from '../domain/errors.js';
import type { ConsentEvent, Principal, SubscriberProfile, Subscription } from '../domain/model.js';
import { inboxEntryId } from '../inbox/entry-id.js';
import { authorize } from '../staff/access.js';
import { recordAudit } from '../staff/audit.js';
import type { CoreDependencies } from '../ports/dependencies.js';
import { broadcastMessageId } from '../sending/send.js';
import type { ConsentStore } from '../consent/consent-store.js';
import type { ErasureStore } from '../consent/erasure-store.js';
import type { WithSubscribers } from '../ports/stores.js';
import type { ProfileStore } from './profile-store.js';

export interface SubscriberView {
  phone: string;
  createdAt: string;
  optedOut: SubscriberProfile['optedOut'];
  language: SubscriberProfile['language'];
  area: SubscriberProfile['area'];
  ageBand: SubscriberProfile['ageBand'];
  whatsappWindowOpenedAt: SubscriberProfile['whatsappWindowOpenedAt'];
  subscriptions: Omit<Subscription, 'phone'>[];
  consentHistory: ConsentEvent[];
}

export async function getSubscriber(deps: WithSubscribers<CoreDependencies, ProfileStore & ConsentStore>, principal: Principal, phone: string): Promise<SubscriberView> {
  authorize(principal, 'subscribers:read');
  const profile = await deps.stores.subscribers.getProfile(phone);
  if (!profile) throw new NotFoundError(`no subscriber ${phone}`);
  const [subscriptions, consentHistory] = await Promise.all([
    deps.stores.subscribers.subscriptions(phone),
    deps.stores.subscribers.consentHistory(phone),
  ]);
  return {
    phone,
    createdAt: profile.createdAt,
    optedOut: profile.optedOut,
    language: profile.language,
    area: profile.area,
    ageBand: profile.ageBand,
    whatsappWindowOpenedAt: profile.whatsappWindowOpenedAt,
    subscriptions: subscriptions.map(({ phone: _phone, ...subscription }) => subscription),
    consentHistory,
  };
}

/**
 * How many of a topic's latest broadcasts erasure looks through for messages to the resident. A
 * broadcast message's id is derived from the broadcast and the number (see broadcastMessageId),
 * so erasure finds them from the topics the resident had, with no per-recipient index (which
 * would cost a write per recipient of every broadcast). One query reads a topic's list (its
 * items are small: 5,000 fit in one 1 MB page) and the ids are checked 100 to a read; only
 * records that exist are deleted. A topic that has sent more than this keeps older records.
 */
export const ERASURE_BROADCASTS_PER_TOPIC = 5000;

/**
 * Right to erasure: personal data goes, an anonymised tombstone stays.
 *
 * An ordered sequence of idempotent steps (no transactions: dynalite has none), so a retry after
 * a crash part-way finishes the job. The resident's own partition names what else holds the
 * number (the topics they had, the messages they sent), so it goes last:
 * 1. the tombstone, and off every topic index: no new broadcast or import reaches the number;
 * 2. broadcast messages to the number (their ids carry it): deleted;
 * 3. the resident's inbound messages, inbox entries and the replies they got: kept, because a
 *    provider's retry, a department's handled inbox and delivery receipts still need them, but
 *    the number and the text are replaced with "[erased]";
 * 4. the partition: profile, subscriptions, consent history, the references to inbound messages.
 *
 * A message already on the send queue when the erasure runs can still go out and be recorded in
 * the moments after: the resident was subscribed when it was fanned out.
 *
 * The tombstone keeps an import from ever bringing the number back. The resident themselves can:
 * a keyword texted from an erased number is fresh consent from the person who holds it, and is
 * acted on like any other (the tombstone stays, so imports still refuse the number).
 */
export async function eraseSubscriber(deps: WithSubscribers<CoreDependencies, ErasureStore>, principal: Principal, phone: string): Promise<void> {
  authorize(principal, 'subscribers:erase');
  const at = deps.clock.now().toISOString();
  const [footprint, inbound] = await Promise.all([
    deps.stores.subscribers.beginErasure(phone, at, principal.keyId),
    deps.stores.inbound.sentBy(phone),
  ]);
  if (!footprint && inbound.length === 0) throw new NotFoundError(`no subscriber ${phone}`);

  const broadcasts = await Promise.all(
    (footprint?.topicIds ?? []).map((topicId) => deps.stores.broadcasts.recentForTopic(topicId, ERASURE_BROADCASTS_PER_TOPIC)),
  );
  const messageIds = [broadcastMessageId('none', phone), ...broadcasts.flat().map(({ broadcastId }) => broadcastMessageId(broadcastId, phone))];
  await deps.stores.messages.forget(messageIds);

  for (const { provider, providerMessageId } of inbound) {
    const entry = await deps.stores.inbound.anonymise(provider, providerMessageId);
    if (entry?.replyMessageId) await deps.stores.messages.anonymiseRecipient(entry.replyMessageId);
    // Staff's replies from the inbox are messages to the number too: read before the entry loses its words.
    const inboxEntry = await deps.stores.inbox.get(inboxEntryId(provider, providerMessageId));
    for (const reply of inboxEntry?.replies ?? []) await deps.stores.messages.anonymiseRecipient(reply.messageId);
    await deps.stores.inbox.anonymise(inboxEntryId(provider, providerMessageId));
  }

  await deps.stores.subscribers.erase(phone, at, principal.keyId);
  // Named by the keyed hash the erasure tombstone keeps: the log must not bring back the number it erased.
  await recordAudit(deps, principal, 'subscriber.erase', { type: 'subscriber', id: await deps.stores.subscribers.erasureReference(phone) }, {
    before: { existed: true },
    after: { erased: true, inboundMessages: inbound.length, topics: footprint?.topicIds.length ?? 0 },
  });
}
