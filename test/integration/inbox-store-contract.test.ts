import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoInboxStore } from '../../shared/adapters/dynamo/inbox-store.js';
import { ERASED } from '../../shared/domain/erasure.js';
import type { InboxStore } from '../../shared/ports/stores.js';
import { anInboxEntry } from '../support/builders.js';
import { freshTable } from '../support/dynamo-table.js';
import { InMemoryInboxStore } from '../support/in-memory-stores.js';

const at = (minutes: number) => new Date(Date.parse('2025-03-01T09:00:00.000Z') + minutes * 60_000).toISOString();

/** The inbox's reopen, replies and count, one set of cases for the DynamoDB adapter and the in-memory fake. */
describe.each([
  { store: 'DynamoInboxStore', make: async (): Promise<InboxStore> => {
      const table = await freshTable('crier-inbox-contract');
      return new DynamoInboxStore(table.documents, table.tableName);
    },
  },
  { store: 'InMemoryInboxStore', make: async (): Promise<InboxStore> => new InMemoryInboxStore() },
])('$store: reopening, replies and the unhandled count', ({ make }) => {
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
    const withReplies = await inbox.get(entry.id);
    await inbox.anonymise(entry.id);

    // Assess
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
});
