import { beforeAll, describe, expect, it } from 'vitest';
import type { SubscriberStore } from '../../../shared/consent/subscriber-store.js';
import { aPhone, inboundEvidence } from '../../support/builders.js';

/*
 * The import store's contract (shared/consent/import-store.ts), one of the subscriber store's
 * parts: what an import batch writes, and what its undo takes back and leaves. The same cases run
 * against the DynamoDB subscriber store (on dynalite) and the tests' in-memory one
 * (subscriber-store-dynamo.test.ts, test/unit/consent/subscriber-store-memory.test.ts).
 */

const T1 = '2025-03-01T09:00:00.000Z';
const T2 = '2025-03-01T10:00:00.000Z';
const T3 = '2025-03-02T09:00:00.000Z';

/** Builds the store under test; each case takes a resident of its own, so they may share it. */
export type SubscriberStoreFactory = () => Promise<SubscriberStore>;

export function importStoreContract(name: string, makeStore: SubscriberStoreFactory, firstResident: number): void {
  describe(`${name}: the import store's contract`, () => {
    let store: SubscriberStore;
    let nextResident = firstResident;
    const newResident = () => aPhone(nextResident++);

    beforeAll(async () => {
      store = await makeStore();
    });

    it('an import subscribes without lifting an opt-out, and its undo takes back only what the batch made', async () => {
      // Prepare
      const optedOut = newResident();
      const fresh = newResident();
      await store.optOut(optedOut, 'sms', T1, inboundEvidence({ text: 'STOP' }));
      const evidence = { kind: 'import' as const, batchId: `batch-${fresh}`, actor: 'key-operator', collectedBy: 'library', collectedAt: T1, method: 'paper form' };
      const rows = [
        { phone: optedOut, channel: 'sms' as const, topicId: 'parks', profile: { area: 'CF10' } },
        { phone: fresh, channel: 'sms' as const, topicId: 'parks', profile: { area: 'CF11' } },
      ];

      // Act
      const imported = [await store.importSubscription(rows[0]!, T2, evidence), await store.importSubscription(rows[1]!, T2, evidence)];
      const consentWhileImported = await store.consentToSend(optedOut, 'sms', 'parks');
      const freshProfile = await store.getProfile(fresh);
      for (const row of rows) await store.undoImport(row, evidence.batchId);

      // Assess
      expect(imported).toEqual([true, true]);
      expect(consentWhileImported).toMatchObject({ profile: { optedOut: { sms: T1 } }, subscribed: true });
      expect(freshProfile).toMatchObject({ area: 'CF11', createdAt: T2 });
      expect(await store.getProfile(optedOut)).toMatchObject({ optedOut: { sms: T1 }, area: undefined });
      expect(await store.subscriptions(optedOut)).toEqual([]);
      expect(await store.getProfile(fresh)).toBeUndefined();
      expect(await store.consentHistory(fresh)).toEqual([]);
    });

    it('an import’s undo leaves what the resident did meanwhile: their AREA, their JOIN, and a subscription they had before', async () => {
      // Prepare
      const phone = newResident();
      const evidence = { kind: 'import' as const, batchId: `batch-${phone}`, actor: 'key-operator', collectedBy: 'library', collectedAt: T1, method: 'paper form' };
      const rows = [
        { phone, channel: 'sms' as const, topicId: 'parks', profile: { area: 'CF11' } },
        { phone, channel: 'sms' as const, topicId: 'youth', profile: { area: 'CF11' } },
      ];
      await store.subscribe(phone, 'sms', 'youth', T1, inboundEvidence({ text: 'JOIN YOUTH' }));
      const imported = [await store.importSubscription(rows[0]!, T2, evidence), await store.importSubscription(rows[1]!, T2, evidence)];
      await store.updateProfile(phone, 'sms', { area: 'CF10' }, T3, inboundEvidence({ text: 'AREA CF10' }));
      await store.subscribe(phone, 'sms', 'bins', T3, inboundEvidence({ text: 'JOIN BINS' }));

      // Act
      for (const row of rows) await store.undoImport(row, evidence.batchId);

      // Assess
      expect(imported).toEqual([true, false]);
      expect((await store.subscriptions(phone)).map((s) => s.topicId)).toEqual(['bins', 'youth']);
      expect(await store.getProfile(phone)).toMatchObject({ area: 'CF10', createdAt: T1 });
    });
  });
}
