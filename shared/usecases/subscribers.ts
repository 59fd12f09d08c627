import { NotFoundError } from '../domain/errors.js';
import type { ConsentEvent, Principal, SubscriberProfile, Subscription } from '../domain/model.js';
import { createHash } from 'node:crypto';
import { authorize } from './access.js';
import { recordAudit } from './audit.js';
import type { CoreDependencies } from './dependencies.js';

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

export async function getSubscriber(deps: CoreDependencies, principal: Principal, phone: string): Promise<SubscriberView> {
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

/** Right to erasure: personal data goes, an anonymised tombstone stays. */
export async function eraseSubscriber(deps: CoreDependencies, principal: Principal, phone: string): Promise<void> {
  authorize(principal, 'subscribers:erase');
  const erased = await deps.stores.subscribers.erase(phone, deps.clock.now().toISOString(), principal.keyId);
  if (!erased) throw new NotFoundError(`no subscriber ${phone}`);
  // Named by the hash the erasure tombstone keeps: the log must not bring back the number it erased.
  await recordAudit(deps, principal, 'subscriber.erase', { type: 'subscriber', id: `sha256:${createHash('sha256').update(phone).digest('hex')}` }, {
    before: { existed: true },
    after: { erased: true },
  });
}
