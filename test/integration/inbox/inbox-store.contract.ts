import { beforeAll, describe, expect, it } from 'vitest';
import { ERASED } from '../../../shared/domain/erasure.js';
import type { InboxStore } from '../../../shared/inbox/inbox-store.js';
import { anInboxEntry } from '../../support/builders.js';

const at = (minutes: number) => new Date(Date.parse('2025-03-01T09:00:00.000Z') + minutes * 60_000).toISOString();

/*
 * The inbox store's contract: one set of cases, run against the DynamoDB store on dynalite
 * (inbox-store-dynamo.test.ts) and the in-memory one the use cases' tests rely on
 * (test/unit/inbox/inbox-store-memory.test.ts), so the fake cannot drift from the store that runs:
 * reopening, replies, notes, assignment, filters, the cursor and the unhandled count.
 */

/** Builds the store under test; each case takes a department of its own, so they may share it. */
export type InboxStoreFactory = () => Promise<InboxStore>;

export function inboxStoreContract(name: string, make: InboxStoreFactory): void {
  describe(`${name}: the inbox store's contract`, () => {
    let inbox: InboxStore;
    let nextDepartment = 0;
    const newDepartment = () => `department-${nextDepartment++}`;

    beforeAll(async () => {
      inbox = await make();
    });

    it('reopens a handled entry once, forgetting who handled it; an open one, or none, is not changed', async () => {
      // Prepare
      const entry = anInboxEntry({ department: newDepartment() });
      await inbox.add(structuredClone(entry));
      await inbox.markHandled(entry.id, 'key-alice', at(10));

      // Act
      const first = await inbox.reopen(entry.id);
      const second = await inbox.reopen(entry.id);

      // Assess
      expect(first).toEqual({ entry: { ...entry, handled: false }, changed: true });
      expect(second).toEqual({ entry: { ...entry, handled: false }, changed: false });
      expect(await inbox.reopen('AAAAAAAAAAAAAAAAAAAAAA')).toBeUndefined();
    });

    it('keeps replies in the order written, and erasure takes their words but not who wrote them or when', async () => {
      // Prepare
      const entry = anInboxEntry({ department: newDepartment() });
      await inbox.add(structuredClone(entry));
      const replies = [
        { messageId: 'inbox-reply-1', body: 'First answer', at: at(1), by: 'staff-1' },
        { messageId: 'inbox-reply-2', body: 'Second answer', at: at(2), by: 'staff-2' },
      ];

      // Act
      for (const reply of replies) await inbox.addReply(entry.id, reply);
      const again = await inbox.addReply(entry.id, { ...replies[0]!, body: 'Sent twice' });
      const withReplies = await inbox.get(entry.id);
      await inbox.anonymise(entry.id);

      // Assess
      expect(again?.added).toBe(false);
      expect(withReplies?.replies).toEqual(replies);
      expect(await inbox.get(entry.id)).toEqual({ ...entry, from: ERASED, body: ERASED, replies: replies.map((reply) => ({ ...reply, body: ERASED })) });
      expect(await inbox.addReply('AAAAAAAAAAAAAAAAAAAAAA', replies[0]!)).toBeUndefined();
    });

    it('counts the unhandled entries among the newest, and says when older ones were not looked at', async () => {
      // Prepare
      const department = newDepartment();
      const entries = [0, 1, 2, 3].map((minute) => anInboxEntry({ department, receivedAt: at(minute) }));
      for (const entry of entries) await inbox.add(entry);
      await inbox.markHandled(entries[3]!.id, 'key-alice', at(5));

      // Act
      const all = await inbox.countUnhandled(department, 10);
      const newestTwo = await inbox.countUnhandled(department, 2);
      const none = await inbox.countUnhandled(newDepartment(), 10);

      // Assess
      expect(all).toEqual({ count: 3, more: false });
      expect(newestTwo).toEqual({ count: 1, more: true });
      expect(none).toEqual({ count: 0, more: false });
    });

    it('assigns and unassigns, saying who it was assigned to before', async () => {
      // Prepare
      const entry = anInboxEntry({ department: newDepartment() });
      await inbox.add(structuredClone(entry));

      // Act
      const first = await inbox.assign(entry.id, 'staff-alice');
      const second = await inbox.assign(entry.id, 'staff-bob');
      const cleared = await inbox.assign(entry.id, undefined);

      // Assess
      expect(first).toEqual({ entry: { ...entry, assignedTo: 'staff-alice' }, before: undefined });
      expect(second).toEqual({ entry: { ...entry, assignedTo: 'staff-bob' }, before: 'staff-alice' });
      expect(cleared).toEqual({ entry, before: 'staff-bob' });
      expect(await inbox.get(entry.id)).toEqual(entry);
      expect(await inbox.assign('AAAAAAAAAAAAAAAAAAAAAA', 'staff-alice')).toBeUndefined();
    });

    it('keeps notes in order, and erasure takes their words but not who wrote them or when', async () => {
      // Prepare
      const entry = anInboxEntry({ department: newDepartment() });
      await inbox.add(structuredClone(entry));
      const notes = [
        { id: 'note-1', text: 'Called the depot', at: at(1), by: 'staff-1' },
        { id: 'note-2', text: 'Depot will ring back', at: at(2), by: 'staff-2' },
      ];

      // Act
      for (const note of notes) await inbox.addNote(entry.id, note);
      const withNotes = await inbox.get(entry.id);
      await inbox.anonymise(entry.id);

      // Assess
      expect(withNotes?.notes).toEqual(notes);
      expect((await inbox.get(entry.id))?.notes).toEqual(notes.map((note) => ({ ...note, text: ERASED })));
      expect(await inbox.addNote('AAAAAAAAAAAAAAAAAAAAAA', notes[0]!)).toBeUndefined();
    });

    it('filters by broadcast, assignee and the time received (both ends inclusive), and pages within the window', async () => {
      // Prepare
      const department = newDepartment();
      const entries = [0, 1, 2, 3, 4, 5].map((minute) =>
        anInboxEntry({ department, receivedAt: at(minute), broadcastId: minute % 2 === 0 ? 'broadcast-even' : 'broadcast-odd' }),
      );
      for (const entry of entries) await inbox.add(entry);
      await inbox.assign(entries[2]!.id, 'staff-alice');
      const ids = (page: { items: { id: string }[] }) => page.items.map((entry) => entry.id);
      const query = { department, limit: 10, cursor: undefined };

      // Act
      const even = await inbox.list({ ...query, broadcastId: 'broadcast-even' });
      const alice = await inbox.list({ ...query, assignedTo: 'staff-alice' });
      const window = await inbox.list({ ...query, receivedFrom: at(1), receivedTo: at(4) });
      const firstPage = await inbox.list({ ...query, limit: 2, receivedFrom: at(1), receivedTo: at(4) });
      const secondPage = await inbox.list({ ...query, limit: 2, receivedFrom: at(1), receivedTo: at(4), cursor: firstPage.cursor });
      const upTo = await inbox.list({ ...query, receivedTo: at(1) });

      // Assess
      expect(ids(even)).toEqual([entries[4]!.id, entries[2]!.id, entries[0]!.id]);
      expect(ids(alice)).toEqual([entries[2]!.id]);
      expect(ids(window)).toEqual([4, 3, 2, 1].map((index) => entries[index]!.id));
      expect([...ids(firstPage), ...ids(secondPage)]).toEqual(ids(window));
      expect(secondPage.cursor).toBeUndefined();
      expect(ids(upTo)).toEqual([entries[1]!.id, entries[0]!.id]);
    });

    it('refuses a cursor it did not give, naming the field', async () => {
      // Prepare / Act
      const listing = inbox.list({ department: newDepartment(), limit: 2, cursor: Buffer.from('KEY#x').toString('base64url') });

      // Assess
      await expect(listing).rejects.toMatchObject({ details: [{ field: 'cursor' }] });
    });
  });
}
