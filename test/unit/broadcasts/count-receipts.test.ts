import { describe, expect, it, vi } from 'vitest';
import { countReceipts } from '../../../shared/broadcasts/count-receipts.js';
import type { MessageChange } from '../../../shared/broadcasts/receipt-counts.js';
import { aBroadcast } from '../../support/builders.js';
import { inMemoryStores } from '../../support/in-memory-stores.js';

const delivered = (sequence: string, broadcastId = 'bc-1', shard = 'shard-1'): MessageChange => ({
  shard,
  sequence,
  before: { status: 'sent', receipts: 1, lastReceiptCountedOnStream: true, broadcastId },
  after: { status: 'delivered', receipts: 2, lastReceiptCountedOnStream: true, broadcastId },
});

async function setUp() {
  const stores = inMemoryStores();
  await stores.broadcasts.create(aBroadcast({ id: 'bc-1', status: 'sent', counts: { targeted: 5, sent: 5, delivered: 0, undelivered: 0, failed: 0, skipped: 0 } }));
  return stores;
}

describe('countReceipts', () => {
  it('adds a broadcast\'s receipts from one shard with one write', async () => {
    // Prepare
    const stores = await setUp();
    const add = vi.spyOn(stores.broadcasts, 'addReceiptCounts');

    // Act
    const outcome = await countReceipts(stores.broadcasts, [delivered('1'), delivered('2'), delivered('3')]);

    // Assess
    expect(outcome).toEqual({ counted: 3, alreadyCounted: 0 });
    expect(add.mock.calls).toEqual([['bc-1', 'shard-1', undefined, '3', { delivered: 3 }]]);
    expect((await stores.broadcasts.get('bc-1'))?.counts.delivered).toBe(3);
  });

  it('keeps a position per shard: the same sequence number in two shards counts twice', async () => {
    // Prepare
    const stores = await setUp();

    // Act
    await countReceipts(stores.broadcasts, [delivered('5', 'bc-1', 'shard-1')]);
    const outcome = await countReceipts(stores.broadcasts, [delivered('5', 'bc-1', 'shard-2')]);

    // Assess
    expect(outcome).toEqual({ counted: 1, alreadyCounted: 0 });
    expect((await stores.broadcasts.get('bc-1'))?.counts.delivered).toBe(2);
  });

  it('reads the position again when another run moved it between the read and the write', async () => {
    // Prepare
    const stores = await setUp();
    const read = stores.broadcasts.receiptsCountedUpTo.bind(stores.broadcasts);
    let raced = false;
    vi.spyOn(stores.broadcasts, 'receiptsCountedUpTo').mockImplementation(async (id, shard) => {
      const position = await read(id, shard);
      if (!raced) {
        raced = true;
        // The other run counts the first receipt after our read.
        await stores.broadcasts.addReceiptCounts(id, shard, position, '1', { delivered: 1 });
      }
      return position;
    });

    // Act
    const outcome = await countReceipts(stores.broadcasts, [delivered('1'), delivered('2')]);

    // Assess
    expect(outcome).toEqual({ counted: 1, alreadyCounted: 1 });
    expect((await stores.broadcasts.get('bc-1'))?.counts.delivered).toBe(2);
  });
});
