import { beforeAll, describe, expect, it } from 'vitest';
import type { SubscriberStore } from '../../../shared/consent/subscriber-store.js';
import { defaultRetention } from '../../../shared/retention/periods.js';
import { expiresAt } from '../../../shared/retention/schedule.js';
import { aPhone, inboundEvidence } from '../../support/builders.js';

/*
 * The erasure store's contract (shared/consent/erasure-store.ts), one of the subscriber store's
 * parts: the resident record's retention, and erasure (its reference, what it leaves). The same
 * cases run against the DynamoDB subscriber store (on dynalite) and the tests' in-memory one
 * (subscriber-store-dynamo.test.ts, test/unit/consent/subscriber-store-memory.test.ts).
 */

const T1 = '2025-03-01T09:00:00.000Z';
const T2 = '2025-03-01T10:00:00.000Z';
const T3 = '2025-03-02T09:00:00.000Z';
const T4 = '2025-03-02T10:00:00.000Z';

/** The store under test, and how it keeps a resident record's expiry (the one thing the port does not read back). */
export interface ErasureHarness {
  subscribers: SubscriberStore;
  /** When the resident's record (profile and consent ledger) may go, in epoch seconds; undefined: kept. */
  recordExpiresAt(phone: string): Promise<number | undefined>;
}

export function erasureStoreContract(name: string, makeHarness: () => Promise<ErasureHarness>, firstResident: number): void {
  describe(`${name}: the erasure store's contract`, () => {
    let store: SubscriberStore;
    let recordExpiresAt: ErasureHarness['recordExpiresAt'];
    let nextResident = firstResident;
    const newResident = () => aPhone(nextResident++);

    beforeAll(async () => {
      ({ subscribers: store, recordExpiresAt } = await makeHarness());
    });

    it('keeps the record of a subscribed resident, and lets it go a retention period after the last change once they are in no topic', async () => {
      // Prepare
      const phone = newResident();
      await store.subscribe(phone, 'sms', 'parks', T1, inboundEvidence());
      const expiry = (at: string) => expiresAt({ kind: 'residentRecord', lastChangeAt: at, subscriptions: 0 }, defaultRetention);

      // Act
      await store.settleRetention(phone, T1);
      const whileSubscribed = await recordExpiresAt(phone);
      await store.leaveTopic(phone, 'sms', 'parks', T2, inboundEvidence({ text: 'LEAVE PARKS' }));
      await store.settleRetention(phone, T2);
      const afterLeaving = await recordExpiresAt(phone);

      // Assess
      expect(whileSubscribed).toBeUndefined();
      expect(afterLeaving).toBe(expiry(T2));
    });

    it('never brings a record’s expiry earlier, and a JOIN keeps the record again', async () => {
      // Prepare
      const phone = newResident();
      await store.updateProfile(phone, 'sms', { area: 'CF10' }, T1, inboundEvidence({ text: 'AREA CF10' }));
      const expiry = (at: string) => expiresAt({ kind: 'residentRecord', lastChangeAt: at, subscriptions: 0 }, defaultRetention);

      // Act
      await store.settleRetention(phone, T3);
      await store.settleRetention(phone, T2);
      const afterLateSettle = await recordExpiresAt(phone);
      await store.subscribe(phone, 'sms', 'bins', T3, inboundEvidence());
      await store.settleRetention(phone, T3);

      // Assess
      expect(afterLateSettle).toBe(expiry(T3));
      expect(await recordExpiresAt(phone)).toBeUndefined();
    });

    it('settles nothing for a number it does not know', async () => {
      // Prepare
      const phone = newResident();

      // Act
      await store.settleRetention(phone, T1);

      // Assess
      expect(await store.getProfile(phone)).toBeUndefined();
      expect(await recordExpiresAt(phone)).toBeUndefined();
    });

    it('names an erasure by a reference that is the same for a number each time, differs between numbers, and is not the number', async () => {
      // Prepare
      const [phone, other] = [newResident(), newResident()];

      // Act
      const references = [await store.erasureReference(phone), await store.erasureReference(phone), await store.erasureReference(other)];

      // Assess
      expect(references[0]).toBe(references[1]);
      expect(references[2]).not.toBe(references[0]);
      for (const reference of references) expect(reference).not.toContain(phone.slice(1));
    });

    it('erasure leaves no profile, subscription or record, and names the held topics among those to recount', async () => {
      // Prepare
      const phone = newResident();
      await store.subscribe(phone, 'sms', 'parks', T1, inboundEvidence());
      await store.subscribe(phone, 'whatsapp', 'traffic', T1, inboundEvidence());
      await store.optOut(phone, 'sms', T2, inboundEvidence({ text: 'STOP' }));

      // Act
      const footprint = await store.beginErasure(phone, T3, 'key-operator');
      const erased = await store.erase(phone, T3, 'key-operator');

      // Assess
      expect(footprint).toEqual({ topicIds: ['parks', 'traffic'] });
      expect(erased).toBe(true);
      expect(await store.getProfile(phone)).toBeUndefined();
      expect(await store.consentToSend(phone, 'whatsapp', 'traffic')).toEqual({ profile: undefined, subscribed: false });
      expect(await store.subscriptions(phone)).toEqual([]);
      expect(await store.consentHistory(phone)).toEqual([]);
      expect(await store.erasedAmong([phone, newResident()])).toEqual(new Set([phone]));
      expect(await store.erase(phone, T4, 'key-operator')).toBe(false);
    });
  });
}
