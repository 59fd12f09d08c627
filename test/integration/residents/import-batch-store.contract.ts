import { beforeEach, describe, expect, it } from 'vitest';
import type { ImportBatch, ImportBatchStore } from '../../../shared/residents/import-batch.js';

/*
 * The import batch store's contract: one set of cases, run against the DynamoDB store on dynalite
 * (import-batch-store-dynamo.test.ts) and the in-memory one the use cases' tests rely on
 * (test/unit/residents/import-batch-store-memory.test.ts), so the fake cannot drift from the
 * store that runs: a batch kept by its id, and the latest listed first, once each.
 */

const aBatch = (overrides: Partial<ImportBatch> = {}): ImportBatch => ({
  id: 'imp-1',
  at: '2026-12-01T09:00:00.000Z',
  actor: 'staff-1',
  department: 'youth',
  consent: { collectedBy: 'Grangetown youth club', collectedAt: '2026-11-20T00:00:00.000Z', method: 'paper form' },
  rowsWithGivenConsent: 2,
  outcome: 'imported',
  rows: 2,
  imported: 2,
  alreadySubscribed: 0,
  topics: [{ topicId: 'youth', imported: 2, alreadySubscribed: 0 }],
  refused: { rows: 0, byKind: {}, examples: [] },
  ...overrides,
});

/** Builds an empty store: each case has one of its own. */
export type ImportBatchStoreFactory = () => Promise<ImportBatchStore>;

export function importBatchStoreContract(name: string, makeStore: ImportBatchStoreFactory): void {
  describe(`${name}: the import batch store's contract`, () => {
    let batches: ImportBatchStore;

    beforeEach(async () => {
      batches = await makeStore();
    });

    it('keeps a batch by its id, and lists the latest first', async () => {
      // Act
      await batches.record(aBatch({ id: 'imp-1', consent: undefined, rowsWithGivenConsent: 0 }));
      await batches.record(aBatch({ id: 'imp-2', at: '2026-12-02T09:00:00.000Z' }));

      // Assess
      expect(await batches.get('imp-1')).toEqual(aBatch({ id: 'imp-1', consent: undefined, rowsWithGivenConsent: 0 }));
      expect(await batches.get('imp-3')).toBeUndefined();
      expect((await batches.recent(10)).map((batch) => batch.id)).toEqual(['imp-2', 'imp-1']);
    });

    it('lists no more than asked, newest first, and batches of the same moment by id, the later first', async () => {
      // Prepare
      await batches.record(aBatch({ id: 'imp-a', at: '2026-12-01T09:00:00.000Z' }));
      await batches.record(aBatch({ id: 'imp-c', at: '2026-12-02T09:00:00.000Z' }));
      await batches.record(aBatch({ id: 'imp-b', at: '2026-12-02T09:00:00.000Z' }));

      // Act
      const two = await batches.recent(2);
      const all = await batches.recent(10);

      // Assess
      expect(two.map((batch) => batch.id)).toEqual(['imp-c', 'imp-b']);
      expect(all.map((batch) => batch.id)).toEqual(['imp-c', 'imp-b', 'imp-a']);
    });

    it('lists a batch once when a refused attempt is made again and imported', async () => {
      // Prepare
      const refused = aBatch({ outcome: 'refused', imported: 0, topics: [], refused: { rows: 1, byKind: { phone: 1 }, examples: [{ line: 2, field: 'phone', kind: 'phone' }] } });

      // Act
      await batches.record(refused);
      await batches.record(aBatch({ at: '2026-12-01T09:05:00.000Z' }));

      // Assess
      expect(await batches.recent(10)).toEqual([aBatch({ at: '2026-12-01T09:05:00.000Z' })]);
    });
  });
}
