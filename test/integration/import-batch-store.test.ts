import { describe, expect, it } from 'vitest';
import { DynamoImportBatchStore } from '../../shared/adapters/dynamo/import-batch-store.js';
import type { ImportBatch, ImportBatchStore } from '../../shared/residents/import-batch.js';
import { freshTable } from '../support/dynamo-table.js';
import { InMemoryImportBatchStore } from '../support/in-memory-stores.js';

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

const stores: Record<string, () => Promise<ImportBatchStore>> = {
  DynamoImportBatchStore: async () => {
    const table = await freshTable('crier-import-batches');
    return new DynamoImportBatchStore(table.documents, table.tableName);
  },
  InMemoryImportBatchStore: async () => new InMemoryImportBatchStore(),
};

describe.each(Object.keys(stores))('%s (the import batch store contract)', (name) => {
  it('keeps a batch by its id, and lists the latest first', async () => {
    // Prepare
    const batches = await stores[name]!();

    // Act
    await batches.record(aBatch({ id: 'imp-1', consent: undefined, rowsWithGivenConsent: 0 }));
    await batches.record(aBatch({ id: 'imp-2', at: '2026-12-02T09:00:00.000Z' }));

    // Assess
    expect(await batches.get('imp-1')).toEqual(aBatch({ id: 'imp-1', consent: undefined, rowsWithGivenConsent: 0 }));
    expect(await batches.get('imp-3')).toBeUndefined();
    expect((await batches.recent(10)).map((batch) => batch.id)).toEqual(['imp-2', 'imp-1']);
  });

  it('lists a batch once when a refused attempt is made again and imported', async () => {
    // Prepare
    const batches = await stores[name]!();
    const refused = aBatch({ outcome: 'refused', imported: 0, topics: [], refused: { rows: 1, byKind: { phone: 1 }, examples: [{ line: 2, field: 'phone', kind: 'phone' }] } });

    // Act
    await batches.record(refused);
    await batches.record(aBatch({ at: '2026-12-01T09:05:00.000Z' }));

    // Assess
    expect(await batches.recent(10)).toEqual([aBatch({ at: '2026-12-01T09:05:00.000Z' })]);
  });
});
