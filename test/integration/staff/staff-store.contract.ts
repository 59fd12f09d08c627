import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../../../shared/domain/errors.js';
import type { StaffRecord } from '../../../shared/staff/staff-record.js';
import type { StaffStore } from '../../../shared/staff/staff-store.js';

/*
 * The staff store's contract: one set of cases, run against the DynamoDB store on dynalite
 * (staff-store-dynamo.test.ts, which also holds what a create stopped part-way leaves) and the
 * in-memory one the use cases' tests rely on (test/unit/staff/staff-store-memory.test.ts), so the
 * fake cannot drift from the store that runs: an email and a subject each held by one current
 * record, subjects bound once, records removed but kept, changes in place, pages in id order.
 */

export const aMember = (overrides: Partial<StaffRecord> = {}): StaffRecord => ({
  id: '01jstaff000000000000000001',
  email: 'ana.jones@council.gov.uk',
  name: 'Ana Jones',
  department: 'youth',
  role: 'sender',
  mode: 'live',
  createdAt: '2026-12-01T09:00:00.000Z',
  createdBy: 'operator',
  ...overrides,
});

/** Builds an empty store: each case has one of its own. */
export type StaffStoreFactory = () => Promise<StaffStore>;

export function staffStoreContract(name: string, makeStore: StaffStoreFactory): void {
  describe(`${name}: the staff store's contract`, () => {
    let store: StaffStore;

    beforeEach(async () => {
      store = await makeStore();
    });

    it('finds a created record by id, by email and by subject', async () => {
      // Prepare
      const record = aMember({ subject: 'idp|ana' });

      // Act
      await store.create(record);

      // Assess
      expect(await store.get(record.id)).toEqual(record);
      expect(await store.findByEmail(record.email)).toEqual(record);
      expect(await store.findBySubject('idp|ana')).toEqual(record);
    });

    it('finds nobody by an email or subject never added', async () => {
      // Prepare
      await store.create(aMember());

      // Act
      const byEmail = await store.findByEmail('someone.else@council.gov.uk');
      const bySubject = await store.findBySubject('idp|nobody');

      // Assess
      expect(byEmail).toBeUndefined();
      expect(bySubject).toBeUndefined();
    });

    it('refuses a second record with the same email, naming the email, and keeps the first', async () => {
      // Prepare
      const first = aMember();
      await store.create(first);

      // Act
      const second = store.create(aMember({ id: '01jstaff000000000000000002', name: 'Another Ana' }));

      // Assess
      await expect(second).rejects.toThrow(ConflictError);
      await expect(second).rejects.toThrow('ana.jones@council.gov.uk');
      expect(await store.findByEmail(first.email)).toEqual(first);
      expect(await store.get('01jstaff000000000000000002')).toBeUndefined();
    });

    it('refuses a second record with the same subject, and leaves its email free', async () => {
      // Prepare
      await store.create(aMember({ subject: 'idp|ana' }));
      const second = aMember({ id: '01jstaff000000000000000002', email: 'bo@council.gov.uk', subject: 'idp|ana' });

      // Act
      const created = store.create(second);

      // Assess
      await expect(created).rejects.toThrow(ConflictError);
      await store.create({ ...second, subject: undefined });
      expect((await store.findByEmail('bo@council.gov.uk'))?.id).toBe(second.id);
    });

    it('replaying a create with the same record is harmless', async () => {
      // Prepare
      const record = aMember();
      await store.create(record);

      // Act
      await store.create(record);

      // Assess
      expect((await store.list(10, undefined)).items).toEqual([record]);
    });

    it('lists a page at a time in id order, removed records included', async () => {
      // Prepare
      const ids = ['01jstaff000000000000000001', '01jstaff000000000000000002', '01jstaff000000000000000003'];
      for (const [index, id] of ids.entries()) await store.create(aMember({ id, email: `person${index}@council.gov.uk` }));
      await store.remove(ids[1]!, '2026-12-02T09:00:00.000Z');

      // Act
      const first = await store.list(2, undefined);
      const second = await store.list(2, first.cursor);

      // Assess
      expect(first.items.map((record) => record.id)).toEqual(ids.slice(0, 2));
      expect(first.items[1]?.removedAt).toBe('2026-12-02T09:00:00.000Z');
      expect(second.items.map((record) => record.id)).toEqual(ids.slice(2));
      expect(second.cursor).toBeUndefined();
    });

    it('refuses a cursor it did not give, naming the field', async () => {
      // Prepare
      await store.create(aMember());

      // Act
      const attempt = store.list(2, Buffer.from('01jstaff000000000000000001').toString('base64url'));

      // Assess
      await expect(attempt).rejects.toMatchObject({ details: [{ field: 'cursor' }] });
    });

    it('gives no cursor when the page holds the last record exactly', async () => {
      // Prepare
      await store.create(aMember());
      await store.create(aMember({ id: '01jstaff000000000000000002', email: 'bo@council.gov.uk' }));

      // Act
      const page = await store.list(2, undefined);

      // Assess
      expect(page.items.map((record) => record.id)).toEqual(['01jstaff000000000000000001', '01jstaff000000000000000002']);
      expect(page.cursor).toBeUndefined();
    });

    it('a removed record keeps its id but is found by neither email nor subject, and frees both', async () => {
      // Prepare
      const record = aMember({ subject: 'idp|ana' });
      await store.create(record);

      // Act
      const removed = await store.remove(record.id, '2026-12-02T09:00:00.000Z');

      // Assess
      expect(removed).toBe(true);
      expect(await store.get(record.id)).toEqual({ ...record, removedAt: '2026-12-02T09:00:00.000Z' });
      expect(await store.findByEmail(record.email)).toBeUndefined();
      expect(await store.findBySubject('idp|ana')).toBeUndefined();
      const again = aMember({ id: '01jstaff000000000000000002', subject: 'idp|ana' });
      await store.create(again);
      expect(await store.findByEmail(record.email)).toEqual(again);
    });

    it('binds a subject once to a record that has none, and finds the record by it', async () => {
      // Prepare
      const record = aMember();
      await store.create(record);

      // Act
      const bound = await store.bindSubject(record.id, 'idp|ana');
      const again = await store.bindSubject(record.id, 'idp|ana');

      // Assess
      expect(bound).toEqual({ ...record, subject: 'idp|ana' });
      expect(again).toEqual({ ...record, subject: 'idp|ana' });
      expect(await store.findBySubject('idp|ana')).toEqual({ ...record, subject: 'idp|ana' });
    });

    it('refuses to bind another subject to a record already bound', async () => {
      // Prepare
      const record = aMember({ subject: 'idp|ana' });
      await store.create(record);

      // Act
      const rebound = await store.bindSubject(record.id, 'idp|someone-else');

      // Assess
      expect(rebound).toBeUndefined();
      expect(await store.get(record.id)).toEqual(record);
      expect(await store.findBySubject('idp|someone-else')).toBeUndefined();
    });

    it("refuses to bind a subject another current record holds", async () => {
      // Prepare
      await store.create(aMember({ subject: 'idp|ana' }));
      const other = aMember({ id: '01jstaff000000000000000002', email: 'bo@council.gov.uk' });
      await store.create(other);

      // Act
      const bound = await store.bindSubject(other.id, 'idp|ana');

      // Assess
      expect(bound).toBeUndefined();
      expect(await store.get(other.id)).toEqual(other);
      expect((await store.findBySubject('idp|ana'))?.id).toBe('01jstaff000000000000000001');
    });

    it('refuses to bind a subject to a removed record, or to one never added', async () => {
      // Prepare
      const record = aMember();
      await store.create(record);
      await store.remove(record.id, '2026-12-02T09:00:00.000Z');

      // Act
      const removed = await store.bindSubject(record.id, 'idp|ana');
      const unknown = await store.bindSubject('01jstaff0000000000000000zz', 'idp|ana');

      // Assess
      expect(removed).toBeUndefined();
      expect(unknown).toBeUndefined();
      expect(await store.findBySubject('idp|ana')).toBeUndefined();
      expect((await store.get(record.id))?.subject).toBeUndefined();
    });

    it('removing twice keeps the first time, and removing an unknown id answers false', async () => {
      // Prepare
      const record = aMember();
      await store.create(record);
      await store.remove(record.id, '2026-12-02T09:00:00.000Z');

      // Act
      const twice = await store.remove(record.id, '2026-12-03T09:00:00.000Z');
      const unknown = await store.remove('01jstaff0000000000000000zz', '2026-12-03T09:00:00.000Z');

      // Assess
      expect(twice).toBe(true);
      expect((await store.get(record.id))?.removedAt).toBe('2026-12-02T09:00:00.000Z');
      expect(unknown).toBe(false);
    });

    it("changes a current record's department, role and mode in place, keeping its email and subject", async () => {
      // Prepare
      const record = aMember({ subject: 'idp|ana' });
      await store.create(record);

      // Act
      const changed = await store.change(record.id, { department: '*', role: 'operator', mode: 'test' });

      // Assess
      expect(changed).toEqual({ ...record, department: '*', role: 'operator', mode: 'test' });
      expect(await store.findByEmail(record.email)).toEqual(changed);
      expect(await store.findBySubject('idp|ana')).toEqual(changed);
    });

    it('changes neither a removed record nor one never added', async () => {
      // Prepare
      const record = aMember();
      await store.create(record);
      await store.remove(record.id, '2026-12-02T09:00:00.000Z');

      // Act
      const removed = await store.change(record.id, { department: 'traffic', role: 'viewer', mode: 'live' });
      const unknown = await store.change('01jstaff0000000000000000zz', { department: 'traffic', role: 'viewer', mode: 'live' });

      // Assess
      expect(removed).toBeUndefined();
      expect(unknown).toBeUndefined();
      expect(await store.get(record.id)).toEqual({ ...record, removedAt: '2026-12-02T09:00:00.000Z' });
      expect(await store.get('01jstaff0000000000000000zz')).toBeUndefined();
    });
  });
}
