import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoMessageStore } from '../../shared/adapters/dynamo/message-store.js';
import { ValidationError } from '../../shared/domain/errors.js';
import type { MessageRecord, MessageStore } from '../../shared/sending/message-store.js';
import { broadcastMessageId } from '../../shared/usecases/send.js';
import { aMessageRecord, aPhone } from '../support/builders.js';
import { freshTable } from '../support/dynamo-table.js';
import { InMemoryMessageStore } from '../support/in-memory-stores.js';

/** Ids of the generator's shape (lowercase ULIDs), as every broadcast's is. */
const BROADCAST = '01kbx7ye5q3z8d0rj6t2vwmn0a';
const OTHER_BROADCAST = '01kbx7ye5q3z8d0rj6t2vwmn0b';
const SENT_AT = '2026-12-01T09:00:01.000Z';

const stores: Record<string, () => Promise<MessageStore>> = {
  DynamoMessageStore: async () => {
    const table = await freshTable('crier-report');
    return new DynamoMessageStore(table.documents, table.tableName);
  },
  InMemoryMessageStore: async () => new InMemoryMessageStore(),
};

const messageTo = (broadcastId: string, resident: number, overrides: Partial<MessageRecord> = {}) =>
  aMessageRecord({ messageId: broadcastMessageId(broadcastId, aPhone(resident)), broadcastId, to: aPhone(resident), ...overrides });

/** Every page, following the cursors, as the report does. */
async function allPages(store: MessageStore, broadcastId: string, limit: number): Promise<MessageRecord[][]> {
  const pages: MessageRecord[][] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listByBroadcast(broadcastId, limit, cursor);
    pages.push(page.items);
    cursor = page.cursor;
  } while (cursor);
  return pages;
}

describe.each(Object.keys(stores))('%s (listing a broadcast\'s messages)', (name) => {
  let store: MessageStore;

  beforeEach(async () => {
    store = await stores[name]!();
  });

  it("lists a broadcast's claims, sends and skips page by page, by number, with no empty last page", async () => {
    // Prepare
    const written = [
      messageTo(BROADCAST, 5),
      messageTo(BROADCAST, 1, { status: 'skipped', skipReason: 'opted_out' }),
      messageTo(BROADCAST, 3),
      messageTo(BROADCAST, 2),
      messageTo(BROADCAST, 4, { channel: 'whatsapp' }),
    ];
    for (const record of written) {
      if (record.status === 'skipped') await store.recordOnce(record);
      else await store.claim(record);
    }
    await store.markSent(written[0]!.messageId, 'sandbox', 'SM5', SENT_AT);
    await store.claim(messageTo(OTHER_BROADCAST, 6));
    await store.claim(aMessageRecord({ messageId: broadcastMessageId('none', aPhone(7)), broadcastId: undefined, to: aPhone(7) }));

    // Act
    const pages = await allPages(store, BROADCAST, 2);

    // Assess
    expect(pages.map((page) => page.map((record) => record.to))).toEqual([
      [aPhone(1), aPhone(2)],
      [aPhone(3), aPhone(4)],
      [aPhone(5)],
    ]);
    expect(pages.flat().find((record) => record.to === aPhone(5))).toMatchObject({ status: 'sent', provider: 'sandbox', updatedAt: SENT_AT });
    expect(pages.flat().find((record) => record.to === aPhone(1))).toEqual(written[1]);
  });

  it('lists every number once, in number order, across pages that each draw on several of its partitions', async () => {
    // Prepare
    const residents = [907, 13, 450, 21, 999, 118, 37, 640, 2, 85, 316, 774, 59, 203, 461, 880, 9, 532, 127, 64, 300, 48, 715, 96, 251];
    for (const resident of residents) await store.claim(messageTo(BROADCAST, resident));

    // Act
    const pages = await allPages(store, BROADCAST, 7);

    // Assess
    expect(pages.map((page) => page.length)).toEqual([7, 7, 7, 4]);
    expect(pages.flat().map((record) => record.to)).toEqual(residents.map(aPhone).sort());
  });

  it('gives no cursor when a page holds exactly what is left', async () => {
    // Prepare
    await store.claim(messageTo(BROADCAST, 11));
    await store.claim(messageTo(BROADCAST, 12));

    // Act
    const page = await store.listByBroadcast(BROADCAST, 2, undefined);

    // Assess
    expect(page.items).toHaveLength(2);
    expect(page.cursor).toBeUndefined();
  });

  it("leaves out an erased resident's message (erasure deletes it, and its index entry with it)", async () => {
    // Prepare
    const erased = messageTo(BROADCAST, 21);
    await store.claim(erased);
    await store.claim(messageTo(BROADCAST, 22));

    // Act
    await store.forget([erased.messageId]);
    const page = await store.listByBroadcast(BROADCAST, 10, undefined);

    // Assess
    expect(page.items.map((record) => record.to)).toEqual([aPhone(22)]);
  });

  it("refuses another broadcast's cursor", async () => {
    // Prepare
    await store.claim(messageTo(OTHER_BROADCAST, 31));
    await store.claim(messageTo(OTHER_BROADCAST, 32));
    const { cursor } = await store.listByBroadcast(OTHER_BROADCAST, 1, undefined);

    // Act
    const listing = store.listByBroadcast(BROADCAST, 1, cursor);

    // Assess
    await expect(listing).rejects.toThrow(ValidationError);
  });

  it('lists nothing for a broadcast that sent nothing', async () => {
    // Act
    const page = await store.listByBroadcast(BROADCAST, 10, undefined);

    // Assess
    expect(page).toEqual({ items: [], cursor: undefined });
  });
});
