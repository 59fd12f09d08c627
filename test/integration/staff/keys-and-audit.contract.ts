import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiKeyRecord, ApiKeyStore } from '../../../shared/staff/api-key-store.js';
import type { AuditEntry, AuditLog } from '../../../shared/staff/audit-log.js';

/*
 * The contracts of the API key store and the audit log: one set of cases each, run against the
 * DynamoDB stores on dynalite (keys-and-audit-dynamo.test.ts) and the in-memory ones the use
 * cases' tests rely on (test/unit/staff/keys-and-audit-memory.test.ts), so the fakes cannot
 * drift from the stores that run. How the DynamoDB stores keep them (items, partitions, a create
 * stopped half-way) is in keys-and-audit-stores.test.ts.
 */

export const aKey = (overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord => ({
  keyId: '01jkey00000000000000000001',
  name: 'Roads team',
  role: 'sender',
  department: 'roads',
  mode: 'live',
  createdAt: '2025-03-01T09:00:00.000Z',
  revoked: false,
  ...overrides,
});

export const anEntry = (at: string, id: string, overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  id,
  at,
  actor: { keyId: 'operator', name: 'IT', role: 'operator', department: '*' },
  action: 'topic.create',
  target: { type: 'topic', id },
  before: undefined,
  after: { id },
  ...overrides,
});

/** Builds the stores under test, empty: each case starts from a store of its own. */
export type KeysAndAuditFactory = { apiKeys: () => Promise<ApiKeyStore>; audit: () => Promise<AuditLog> };

export function keysAndAuditContract(name: string, make: KeysAndAuditFactory): void {
  describe(`${name}: the API key store's contract`, () => {
    let store: ApiKeyStore;

    beforeEach(async () => {
      store = await make.apiKeys();
    });

    it('finds a created key by hash and by id, with its mode', async () => {
      // Prepare
      const record = aKey({ mode: 'test' });

      // Act
      await store.create('hash-1', record);

      // Assess
      expect(await store.findByHash('hash-1')).toEqual(record);
      expect(await store.get(record.keyId)).toEqual(record);
    });

    it('revokes by id: the credential is revoked at once and the listing shows it', async () => {
      // Prepare
      await store.create('hash-3', aKey());

      // Act
      const revoked = await store.revoke(aKey().keyId, '2025-03-02T10:00:00.000Z');

      // Assess
      expect(revoked).toBe(true);
      expect(await store.findByHash('hash-3')).toMatchObject({ revoked: true, revokedAt: '2025-03-02T10:00:00.000Z' });
      expect(await store.get(aKey().keyId)).toMatchObject({ revoked: true, revokedAt: '2025-03-02T10:00:00.000Z' });
    });

    it('answers false when revoking a key that does not exist', async () => {
      // Prepare / Act
      const revoked = await store.revoke('nope', '2025-03-02T10:00:00.000Z');

      // Assess
      expect(revoked).toBe(false);
    });

    it('lists keys page by page in id order, without their hashes', async () => {
      // Prepare
      for (const n of [1, 2, 3]) await store.create(`hash-${n}`, aKey({ keyId: `01jkey0000000000000000000${n}`, name: `key ${n}` }));

      // Act
      const first = await store.list(2, undefined);
      const second = await store.list(2, first.cursor);

      // Assess
      expect(first.items.map((key) => key.name)).toEqual(['key 1', 'key 2']);
      expect(second.items.map((key) => key.name)).toEqual(['key 3']);
      expect(JSON.stringify([...first.items, ...second.items])).not.toContain('hash-');
    });

    it('gives no cursor when a page holds exactly the keys left, and one only while more follow', async () => {
      // Prepare
      for (const n of [1, 2, 3, 4]) await store.create(`hash-${n}`, aKey({ keyId: `01jkey0000000000000000000${n}`, name: `key ${n}` }));

      // Act
      const first = await store.list(2, undefined);
      const second = await store.list(2, first.cursor);

      // Assess: no "next" that leads to an empty page.
      expect(first.cursor).toBeDefined();
      expect(second.items.map((key) => key.name)).toEqual(['key 3', 'key 4']);
      expect(second.cursor).toBeUndefined();
    });

    it('refuses a cursor it did not give, naming the field', async () => {
      // Prepare / Act
      const attempt = store.list(2, Buffer.from('TOPIC#x').toString('base64url'));

      // Assess
      await expect(attempt).rejects.toMatchObject({ details: [{ field: 'cursor' }] });
    });

    it('stores a replayed create once, and a revoked key stays revoked from its first revocation', async () => {
      // Prepare
      const record = aKey();
      await store.create('hash-4', record);

      // Act
      await store.create('hash-4', record);
      await store.revoke(record.keyId, '2025-03-02T10:00:00.000Z');
      await store.revoke(record.keyId, '2025-03-03T10:00:00.000Z');

      // Assess
      expect((await store.list(10, undefined)).items).toEqual([{ ...record, revoked: true, revokedAt: '2025-03-02T10:00:00.000Z' }]);
      expect(await store.findByHash('hash-none')).toBeUndefined();
      expect(await store.get('01jkey0000000000000000none')).toBeUndefined();
    });
  });

  describe(`${name}: the audit log's contract`, () => {
    let log: AuditLog;

    beforeEach(async () => {
      log = await make.audit();
    });

    it('never overwrites a record', async () => {
      // Prepare
      const entry = anEntry('2025-03-01T10:00:00.000Z', 'a1');
      await log.record(entry);

      // Act
      const attempt = log.record({ ...entry, after: { forged: true } });

      // Assess
      await expect(attempt).rejects.toThrow();
    });

    it('lists newest first across days, page by page, within the window', async () => {
      // Prepare
      const times = ['2025-02-27T12:00:00.000Z', '2025-03-01T08:00:00.000Z', '2025-03-01T09:00:00.000Z', '2025-03-03T00:00:00.000Z', '2025-03-05T00:00:00.000Z'];
      for (const [index, at] of times.entries()) await log.record(anEntry(at, `e${index}`));
      const window = { from: '2025-02-28T00:00:00.000Z', to: '2025-03-04T00:00:00.000Z' };

      // Act
      const first = await log.list({ ...window, limit: 2, cursor: undefined });
      const second = await log.list({ ...window, limit: 2, cursor: first.cursor });

      // Assess
      expect(first.items.map((entry) => entry.id)).toEqual(['e3', 'e2']);
      expect(second.items.map((entry) => entry.id)).toEqual(['e1']);
      expect(second.cursor).toBeUndefined();
    });

    it('gives no cursor when the page holds the last record exactly', async () => {
      // Prepare
      await log.record(anEntry('2025-03-01T08:00:00.000Z', 'only'));

      // Act
      const page = await log.list({ from: '2025-03-01T00:00:00.000Z', to: '2025-03-01T23:59:59.999Z', limit: 1, cursor: undefined });

      // Assess
      expect(page.items.map((entry) => entry.id)).toEqual(['only']);
      expect(page.cursor).toBeUndefined();
    });

    it.each([
      { filter: { actor: 'staff-alice' }, ids: ['f3', 'f1'] },
      { filter: { action: 'inbox.assign' as const }, ids: ['f3', 'f2'] },
      { filter: { department: 'traffic' }, ids: ['f3', 'f2'] },
      { filter: { department: 'youth' }, ids: ['f1'] },
      { filter: { actor: 'staff-alice', action: 'inbox.assign' as const, department: 'traffic' }, ids: ['f3'] },
    ])('filters by $filter: a record without a department concerns its actor’s', async ({ filter, ids }) => {
      // Prepare
      const alice = { keyId: 'staff-alice', name: 'Alice', role: 'sender' as const, department: 'youth' };
      await log.record(anEntry('2025-03-01T09:00:00.000Z', 'f1', { actor: alice, action: 'topic.update' }));
      await log.record(anEntry('2025-03-01T10:00:00.000Z', 'f2', { action: 'inbox.assign', department: 'traffic' }));
      await log.record(anEntry('2025-03-01T11:00:00.000Z', 'f3', { actor: alice, action: 'inbox.assign', department: 'traffic' }));

      // Act
      const page = await log.list({ from: '2025-03-01T00:00:00.000Z', to: '2025-03-01T23:59:59.999Z', limit: 10, cursor: undefined, ...filter });

      // Assess
      expect(page.items.map((entry) => entry.id)).toEqual(ids);
      expect(page.items.find((entry) => entry.id === 'f2')?.department ?? 'traffic').toBe('traffic');
    });

    it('refuses a cursor it did not give, naming the field', async () => {
      // Prepare / Act
      const attempt = log.list({ from: '2025-03-01T00:00:00.000Z', to: '2025-03-01T23:59:59.999Z', limit: 2, cursor: Buffer.from('KEY#x').toString('base64url') });

      // Assess
      await expect(attempt).rejects.toMatchObject({ details: [{ field: 'cursor' }] });
    });
  });
}
