import { SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { AwsRequestCounter } from '../../bench/aws-request-counter.js';
import { countsBetween, totals } from '../../bench/request-counts.js';
import { DynamoBroadcastStore } from '../../shared/adapters/dynamo/broadcast-store.js';
import { keys } from '../../shared/adapters/dynamo/keys.js';
import { emptyTotals, type JobTotals } from '../../shared/broadcasts/job-totals.js';
import { aBroadcast } from '../support/builders.js';
import { freshTable, localAwsClientConfig, type TestTable } from '../support/dynamo-table.js';

let nextBroadcast = 0;
const newBroadcastId = () => `bc-counters-${String(nextBroadcast++).padStart(4, '0')}`;
const AT = '2025-03-01T09:00:00.000Z';
const LATER = '2025-03-01T09:01:00.000Z';

const totalsOf = (overrides: Partial<JobTotals>): JobTotals => ({ ...emptyTotals(), ...overrides });

describe('DynamoBroadcastStore: the counters item', () => {
  let table: TestTable;
  let broadcasts: DynamoBroadcastStore;
  const raw = async (key: { pk: string; sk: string }) =>
    (await table.documents.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }))).Item;

  beforeAll(async () => {
    table = await freshTable('crier-counters');
    broadcasts = new DynamoBroadcastStore(table.documents, table.tableName);
  });

  it('adds to the counters item, never writing the broadcast item', async () => {
    // Prepare
    const broadcast = aBroadcast({ id: newBroadcastId(), fanOutPending: 2, counts: { targeted: 10, sent: 3, delivered: 0, undelivered: 0, failed: 0, skipped: 0 } });
    await broadcasts.create(broadcast);
    const broadcastItem = await raw(keys.broadcast(broadcast.id));

    // Act
    await broadcasts.addCounts(broadcast.id, { sent: 2, failed: 1, costMicros: 40_000, costCurrency: 'GBP' }, AT);
    await broadcasts.addCounts(broadcast.id, { delivered: 2, undelivered: 1 });

    // Assess
    expect(await raw(keys.broadcast(broadcast.id))).toEqual(broadcastItem);
    expect(await raw(keys.broadcastCounts(broadcast.id))).toMatchObject({ sent: 5, failed: 1, delivered: 2, undelivered: 1 });
  });

  it('counts nothing for a broadcast that does not exist, and creates nothing', async () => {
    // Prepare
    const id = newBroadcastId();

    // Act
    const tally = await broadcasts.addCounts(id, { sent: 1 }, AT);

    // Assess
    expect(tally).toBeUndefined();
    expect(await raw(keys.broadcastCounts(id))).toBeUndefined();
  });

  it('reads the counters of a broadcast stored before they had an item of their own from the broadcast', async () => {
    // Prepare
    const broadcast = aBroadcast({ id: newBroadcastId(), status: 'sent' });
    const { counts: _counts, ...rest } = broadcast;
    await table.documents.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...keys.broadcast(broadcast.id), type: 'broadcast', ...rest, targeted: 4, sent: 3, skipped: 1, delivered: 2, costMicros: 9, costCurrency: 'GBP' },
      }),
    );

    // Act
    const read = await broadcasts.get(broadcast.id);

    // Assess
    expect(read).toMatchObject({
      counts: { targeted: 4, sent: 3, skipped: 1, delivered: 2, undelivered: 0, failed: 0, skippedBy: {} },
      cost: { currency: 'GBP', estimatedMicros: 9 },
    });
    expect(await broadcasts.addCounts(broadcast.id, { delivered: 1 })).toBeUndefined();
  });

  it('deletes the counters with the broadcast', async () => {
    // Prepare
    const broadcast = aBroadcast({ id: newBroadcastId(), status: 'draft' });
    await broadcasts.create(broadcast);

    // Act
    await broadcasts.delete(broadcast.id);

    // Assess
    expect(await raw(keys.broadcastCounts(broadcast.id))).toBeUndefined();
  });
});

describe('DynamoBroadcastStore: the sending list', () => {
  let table: TestTable;
  let broadcasts: DynamoBroadcastStore;

  beforeAll(async () => {
    table = await freshTable('crier-sending');
    broadcasts = new DynamoBroadcastStore(table.documents, table.tableName);
  });

  it('drops the sending entry of a broadcast moved away, and of one left listed by a refused move once it is found', async () => {
    // Prepare
    const started = aBroadcast({ id: newBroadcastId(), status: 'scheduled' });
    const finished = aBroadcast({ id: newBroadcastId(), status: 'scheduled' });
    const refused = aBroadcast({ id: newBroadcastId(), status: 'draft' });
    const createdSending = aBroadcast({ id: newBroadcastId(), status: 'sending' });
    for (const broadcast of [started, finished, refused, createdSending]) await broadcasts.create(broadcast);
    await broadcasts.transition(started.id, ['scheduled'], 'sending');
    await broadcasts.transition(finished.id, ['scheduled'], 'sending');
    await broadcasts.transition(finished.id, ['sending'], 'sent');
    // A move to sending that is refused leaves the listing it wrote first.
    await broadcasts.transition(refused.id, ['scheduled'], 'sending');

    // Act
    await broadcasts.sending();
    await broadcasts.transition(refused.id, ['draft'], 'cancelled');
    await broadcasts.sending();

    // Assess
    const listed = async (id: string) =>
      (await table.documents.send(new GetCommand({ TableName: table.tableName, Key: keys.sendingBroadcast(id), ConsistentRead: true }))).Item !== undefined;
    expect(await listed(finished.id)).toBe(false);
    expect(await listed(refused.id)).toBe(false);
  });
});

describe('DynamoBroadcastStore: write units', () => {
  let table: TestTable;
  let broadcasts: DynamoBroadcastStore;
  const counter = new AwsRequestCounter();

  beforeAll(async () => {
    table = await freshTable('crier-units');
    counter.attach({ dynamo: table.dynamo, sqs: new SQSClient(localAwsClientConfig) });
    broadcasts = new DynamoBroadcastStore(table.documents, table.tableName);
  });

  /** Write units of what `act` does, as dynalite reports them (DynamoDB's own rounding: 1 KB a unit). */
  const writeUnitsOf = async (act: () => Promise<unknown>) => {
    const before = counter.snapshot();
    await act();
    return totals(countsBetween(before, counter.snapshot()), 'DynamoDB').writeUnits;
  };

  it('costs one write unit per receipt count and per job record, beside a broadcast item of over 2 KB', async () => {
    // Prepare: two topics of 16 shards, each with a checkpoint as the fan-out leaves them.
    const id = newBroadcastId();
    await broadcasts.create(aBroadcast({ id, topics: ['traffic', 'roadworks'], fanOutPending: 32 }));
    const firstPage = (topicId: string, shard: number) => {
      const lastPhone = `+4477009${String(shard).padStart(5, '0')}`;
      const cursor = Buffer.from(JSON.stringify({ pk: `TOPICIDX#${topicId}#${shard}`, sk: `SUB#${lastPhone}#whatsapp` })).toString('base64url');
      return broadcasts.advanceFanOut(id, { topicId, shard, from: undefined, to: { done: false, cursor, lastPhone } }, { targeted: 500 });
    };
    for (let step = 0; step < 31; step += 1) await firstPage(step < 16 ? 'traffic' : 'roadworks', step % 16);
    // The last checkpoint's write, as the fan-out pays it: the whole broadcast item.
    const broadcastItemUnits = await writeUnitsOf(() => firstPage('roadworks', 15));
    const job = totalsOf({ sent: 95, failed: 2, skipped: 3, skippedBy: { opted_out: 2, missing_data: 1 }, costMicros: 3_300_000, costCurrency: 'GBP' });

    // Act
    const receiptUnits = await writeUnitsOf(() => broadcasts.addCounts(id, { delivered: 1 }));
    const batchUnits = await writeUnitsOf(() => broadcasts.addCounts(id, job, AT));
    const jobUnits = await writeUnitsOf(() => broadcasts.recordJob(id, 'a-message-id-0123456789abcdef0123456789ab', job, AT));

    // Assess
    expect(broadcastItemUnits).toBeGreaterThanOrEqual(2);
    expect({ receiptUnits, batchUnits, jobUnits }).toEqual({ receiptUnits: 1, batchUnits: 1, jobUnits: 1 });
  });
});
