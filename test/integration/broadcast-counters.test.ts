import { SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { AwsRequestCounter, countsBetween, totals } from '../../bench/aws-request-counter.js';
import { DynamoBroadcastStore } from '../../shared/adapters/dynamo/broadcast-store.js';
import { keys } from '../../shared/adapters/dynamo/keys.js';
import { emptyTotals, type JobTotals } from '../../shared/domain/job-totals.js';
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

  it('adds atomically: 50 simultaneous additions all count, reasons too', async () => {
    // Prepare
    const broadcast = aBroadcast({ id: newBroadcastId() });
    await broadcasts.create(broadcast);

    // Act
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        broadcasts.addCounts(broadcast.id, { sent: 1, skipped: index % 2, skippedBy: { opted_out: index % 2 } }),
      ),
    );

    // Assess
    expect((await broadcasts.get(broadcast.id))?.counts).toEqual({
      targeted: 0,
      sent: 50,
      delivered: 0,
      undelivered: 0,
      failed: 0,
      skipped: 25,
      skippedBy: { opted_out: 25 },
    });
    expect(results.map((result) => result?.counts.sent).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
  });

  it('returns the counters afterwards, dates the progress only when asked, and never writes the broadcast item', async () => {
    // Prepare
    const broadcast = aBroadcast({ id: newBroadcastId(), fanOutPending: 2, counts: { targeted: 10, sent: 3, delivered: 0, undelivered: 0, failed: 0, skipped: 0 } });
    await broadcasts.create(broadcast);
    const broadcastItem = await raw(keys.broadcast(broadcast.id));

    // Act
    const batch = await broadcasts.addCounts(broadcast.id, { sent: 2, failed: 1, costMicros: 40_000, costCurrency: 'GBP' }, AT);
    const receipt = await broadcasts.addCounts(broadcast.id, { delivered: 2, undelivered: 1, costMicros: 1, costCurrency: 'USD' });

    // Assess
    expect(batch).toEqual({
      counts: { sent: 5, delivered: 0, undelivered: 0, failed: 1, skipped: 0, skippedBy: {} },
      cost: { currency: 'GBP', estimatedMicros: 40_000 },
      lastProgressAt: AT,
    });
    expect(receipt).toEqual({
      counts: { sent: 5, delivered: 2, undelivered: 1, failed: 1, skipped: 0, skippedBy: {} },
      cost: { currency: 'GBP', estimatedMicros: 40_001 },
      lastProgressAt: AT,
    });
    expect(await raw(keys.broadcast(broadcast.id))).toEqual(broadcastItem);
    expect(await broadcasts.get(broadcast.id)).toMatchObject({ fanOutPending: 2, lastProgressAt: AT, counts: { targeted: 10, sent: 5, failed: 1 } });
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

  it('gives back the outcome counters with a fan-out step', async () => {
    // Prepare
    const broadcast = aBroadcast({ id: newBroadcastId(), fanOutPending: 1 });
    await broadcasts.create(broadcast);
    await broadcasts.addCounts(broadcast.id, { sent: 2 }, AT);

    // Act
    const after = await broadcasts.advanceFanOut(broadcast.id, { topicId: 'traffic', shard: 0, from: undefined, to: { done: true } }, { targeted: 2, fanOutDone: 1 });

    // Assess
    expect(after).toMatchObject({ fanOutPending: 0, lastProgressAt: AT, counts: { targeted: 2, sent: 2 } });
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

describe('DynamoBroadcastStore: job totals and the exact rollup', () => {
  let table: TestTable;
  let broadcasts: DynamoBroadcastStore;

  beforeAll(async () => {
    table = await freshTable('crier-jobs');
    broadcasts = new DynamoBroadcastStore(table.documents, table.tableName);
  });

  it('records a job, gives back what it held before, and never lets fewer recipients done replace more', async () => {
    // Prepare
    const id = newBroadcastId();
    await broadcasts.create(aBroadcast({ id }));
    const first = totalsOf({ sent: 2, skipped: 1, skippedBy: { opted_out: 1 }, costMicros: 40_000, costCurrency: 'GBP' });
    const later = totalsOf({ sent: 3, failed: 1, skipped: 1, skippedBy: { opted_out: 1 }, costMicros: 60_000, costCurrency: 'GBP' });

    // Act
    const outcomes = [
      await broadcasts.recordJob(id, 'job-1', first, AT),
      await broadcasts.recordJob(id, 'job-1', later, LATER),
      await broadcasts.recordJob(id, 'job-1', first, LATER),
      await broadcasts.recordJob(id, 'job-1', later, LATER),
    ];

    // Assess
    expect(outcomes).toEqual([
      { recorded: true, previous: undefined },
      { recorded: true, previous: first },
      { recorded: false },
      { recorded: true, previous: later },
    ]);
    expect(await broadcasts.sumOfJobs(id)).toEqual({ jobs: 1, totals: later });
  });

  it('sums every job, and only jobs: never the broadcast or its counters', async () => {
    // Prepare
    const id = newBroadcastId();
    await broadcasts.create(aBroadcast({ id, counts: { targeted: 500, sent: 7, delivered: 7, undelivered: 0, failed: 0, skipped: 0 } }));
    for (let job = 0; job < 120; job += 1) {
      await broadcasts.recordJob(id, `job-${job}`, totalsOf({ sent: 3, failed: job % 2, skipped: 1, skippedBy: { [job % 3 === 0 ? 'opted_out' : 'missing_data']: 1 }, costMicros: 60_000, costCurrency: 'GBP' }), AT);
    }

    // Act
    const rollup = await broadcasts.sumOfJobs(id);

    // Assess
    expect(rollup).toEqual({
      jobs: 120,
      totals: { sent: 360, failed: 60, skipped: 120, skippedBy: { opted_out: 40, missing_data: 80 }, costMicros: 7_200_000, costCurrency: 'GBP' },
    });
  });

  it('settles the counters to exact values, absolute and repeatable, leaving what receipts counted', async () => {
    // Prepare
    const id = newBroadcastId();
    await broadcasts.create(aBroadcast({ id, counts: { targeted: 9, sent: 4, delivered: 3, undelivered: 1, failed: 0, skipped: 2, skippedBy: { cancelled: 2 } } }));
    const exact = totalsOf({ sent: 6, failed: 1, skipped: 2, skippedBy: { opted_out: 2 }, costMicros: 120_000, costCurrency: 'GBP' });

    // Act
    await broadcasts.settleCounts(id, exact);
    await broadcasts.settleCounts(id, exact);

    // Assess
    expect(await broadcasts.get(id)).toMatchObject({
      counts: { targeted: 9, sent: 6, failed: 1, skipped: 2, skippedBy: { opted_out: 2 }, delivered: 3, undelivered: 1 },
      cost: { currency: 'GBP', estimatedMicros: 120_000 },
    });
  });

  it('settles skips of every reason at once', async () => {
    // Prepare
    const id = newBroadcastId();
    await broadcasts.create(aBroadcast({ id }));
    const skippedBy = { opted_out: 1, duplicate: 2, cancelled: 3, invalid_recipient: 4, missing_data: 5, whatsapp_window_closed: 6 };

    // Act
    await broadcasts.settleCounts(id, totalsOf({ skipped: 21, skippedBy }));

    // Assess
    expect((await broadcasts.get(id))?.counts).toMatchObject({ skipped: 21, skippedBy });
  });

  it('dates progress without adding anything, when asked to', async () => {
    // Prepare
    const id = newBroadcastId();
    await broadcasts.create(aBroadcast({ id }));

    // Act
    const tally = await broadcasts.addCounts(id, {}, LATER);

    // Assess
    expect(tally?.lastProgressAt).toBe(LATER);
  });
});

describe('DynamoBroadcastStore: the sending list', () => {
  let table: TestTable;
  let broadcasts: DynamoBroadcastStore;

  beforeAll(async () => {
    table = await freshTable('crier-sending');
    broadcasts = new DynamoBroadcastStore(table.documents, table.tableName);
  });

  it('lists a broadcast from its move to sending until its move away, and drops one left listed once it is over', async () => {
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
    const sending = await broadcasts.sending();
    await broadcasts.transition(refused.id, ['draft'], 'cancelled');
    await broadcasts.sending();

    // Assess
    expect(sending.map((broadcast) => broadcast.id).sort()).toEqual([started.id, createdSending.id].sort());
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
