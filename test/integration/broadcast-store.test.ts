import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoBroadcastStore } from '../../shared/adapters/dynamo/broadcast-store.js';
import type { BroadcastStatus } from '../../shared/domain/model.js';
import { aBroadcast } from '../support/builders.js';
import { freshTable, type TestTable } from '../support/dynamo-table.js';

let nextBroadcast = 0;
const newBroadcastId = () => `bc-${String(nextBroadcast++).padStart(4, '0')}`;

describe('DynamoBroadcastStore', () => {
  let table: TestTable;
  let broadcasts: DynamoBroadcastStore;

  beforeAll(async () => {
    table = await freshTable('crier-broadcasts');
    broadcasts = new DynamoBroadcastStore(table.documents, table.tableName);
  });

  it('gives back a broadcast exactly as it was created', async () => {
    // Prepare
    const broadcast = aBroadcast({
      id: newBroadcastId(),
      topics: ['traffic', 'roadworks'],
      status: 'pending_approval',
      fanOutPending: 16,
      counts: { targeted: 21, sent: 2, delivered: 1, undelivered: 1, failed: 5, skipped: 6, skippedBy: { opted_out: 4, missing_data: 2 } },
      cost: { currency: 'GBP', estimatedMicros: 66_600 },
    });

    // Act
    await broadcasts.create(structuredClone(broadcast));

    // Assess
    expect(await broadcasts.get(broadcast.id)).toEqual(broadcast);
  });

  it('refuses to create a broadcast whose id exists', async () => {
    // Prepare
    const broadcast = aBroadcast({ id: newBroadcastId() });
    await broadcasts.create(broadcast);

    // Act
    const attempt = broadcasts.create({ ...broadcast, body: 'something else' });

    // Assess
    await expect(attempt).rejects.toThrow();
    expect((await broadcasts.get(broadcast.id))?.body).toBe(broadcast.body);
  });

  it.each<[BroadcastStatus, BroadcastStatus[], BroadcastStatus, boolean]>([
    ['pending_approval', ['pending_approval'], 'sending', true],
    ['sending', ['pending_approval'], 'sending', false],
    ['sending', ['pending_approval', 'sending'], 'cancelled', true],
    ['pending_approval', ['pending_approval', 'sending'], 'cancelled', true],
    ['sent', ['pending_approval', 'sending'], 'cancelled', false],
    ['cancelled', ['pending_approval', 'sending'], 'cancelled', false],
    ['sending', ['sending'], 'sent', true],
    ['cancelled', ['sending'], 'sent', false],
  ])('from %s, a move allowed from %j to %s happens: %s', async (status, from, to, moves) => {
    // Prepare
    const broadcast = aBroadcast({ id: newBroadcastId(), status });
    await broadcasts.create(broadcast);

    // Act
    const moved = await broadcasts.transition(broadcast.id, structuredClone(from), to);

    // Assess
    expect(moved).toBe(moves);
    expect((await broadcasts.get(broadcast.id))?.status).toBe(moves ? to : status);
  });

  it('records the approver with the move', async () => {
    // Prepare
    const broadcast = aBroadcast({ id: newBroadcastId(), status: 'pending_approval' });
    await broadcasts.create(broadcast);

    // Act
    await broadcasts.transition(broadcast.id, ['pending_approval'], 'sending', { approvedBy: 'key-approver' });

    // Assess
    expect(await broadcasts.get(broadcast.id)).toMatchObject({ status: 'sending', approvedBy: 'key-approver' });
  });

  it('does not move, or create, a broadcast that does not exist', async () => {
    // Prepare
    const id = newBroadcastId();

    // Act
    const moved = await broadcasts.transition(id, ['sending'], 'cancelled');

    // Assess
    expect(moved).toBe(false);
    expect(await broadcasts.get(id)).toBeUndefined();
  });

  it('deletes a broadcast', async () => {
    // Prepare
    const broadcast = aBroadcast({ id: newBroadcastId() });
    await broadcasts.create(broadcast);

    // Act
    await broadcasts.delete(broadcast.id);

    // Assess
    expect(await broadcasts.get(broadcast.id)).toBeUndefined();
  });
});
