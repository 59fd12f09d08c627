import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoBroadcastStore } from '../../shared/adapters/dynamo/broadcast-store.js';
import { DynamoInboundLog } from '../../shared/adapters/dynamo/inbound-log.js';
import { aBroadcast, aMessageSid, aPhone } from '../support/builders.js';
import { freshTable, type TestTable } from '../support/dynamo-table.js';

const at = (seconds: number) => new Date(Date.parse('2025-03-01T09:00:00.000Z') + seconds * 1000).toISOString();
const record = (seconds: number) => ({ from: aPhone(101), channel: 'sms' as const, body: 'STOP', at: at(seconds) });

describe('invariants review: DynamoInboundLog.release', () => {
  let table: TestTable;
  let log: DynamoInboundLog;

  beforeAll(async () => {
    table = await freshTable('crier-review-inbound');
    log = new DynamoInboundLog(table.documents, table.tableName);
  });

  it('gives back a failed attempt’s claim, so an immediate retry is new', async () => {
    // Prepare
    const sid = aMessageSid();
    await log.begin('twilio', sid, record(0));

    // Act
    await log.release('twilio', sid, at(0));

    // Assess
    expect(await log.begin('twilio', sid, record(2))).toEqual({ state: 'new' });
  });

  it('leaves a finished entry, and a claim a later attempt took over, alone', async () => {
    // Prepare
    const done = aMessageSid();
    await log.begin('twilio', done, record(0));
    await log.finish('twilio', done, undefined);
    const takenOver = aMessageSid();
    await log.begin('twilio', takenOver, record(0));
    await log.begin('twilio', takenOver, record(120));

    // Act
    await log.release('twilio', done, at(0));
    await log.release('twilio', takenOver, at(0));

    // Assess
    expect(await log.begin('twilio', done, record(121))).toEqual({ state: 'done', replyMessageId: undefined });
    expect(await log.begin('twilio', takenOver, record(121))).toEqual({ state: 'in-progress' });
  });
});

describe('invariants review: DynamoBroadcastStore fan-out checkpoints', () => {
  let table: TestTable;
  let broadcasts: DynamoBroadcastStore;

  beforeAll(async () => {
    table = await freshTable('crier-review-broadcasts');
    broadcasts = new DynamoBroadcastStore(table.documents, table.tableName);
  });

  it('counts each step of a task once, whichever delivery of the task takes it', async () => {
    // Prepare
    await broadcasts.create(aBroadcast({ id: 'bc-cp', topics: ['traffic'], status: 'sending', fanOutPending: 2 }));
    const page = { done: false as const, cursor: 'opaque-cursor', lastPhone: aPhone(7) };

    // Act
    const first = await broadcasts.advanceFanOut('bc-cp', { topicId: 'traffic', shard: 0, from: undefined, to: page }, { targeted: 500 });
    const replayed = await broadcasts.advanceFanOut('bc-cp', { topicId: 'traffic', shard: 0, from: undefined, to: page }, { targeted: 500 });
    const last = await broadcasts.advanceFanOut('bc-cp', { topicId: 'traffic', shard: 0, from: page, to: { done: true } }, { targeted: 3, fanOutDone: 1 });
    const lastAgain = await broadcasts.advanceFanOut('bc-cp', { topicId: 'traffic', shard: 0, from: page, to: { done: true } }, { targeted: 3, fanOutDone: 1 });
    const otherShard = await broadcasts.advanceFanOut('bc-cp', { topicId: 'traffic', shard: 1, from: undefined, to: { done: true } }, { fanOutDone: 1 });

    // Assess
    expect(first?.counts.targeted).toBe(500);
    expect(replayed).toBeUndefined();
    expect(last).toMatchObject({ fanOutPending: 1, counts: { targeted: 503 } });
    expect(lastAgain).toBeUndefined();
    expect(otherShard).toMatchObject({ fanOutPending: 0, counts: { targeted: 503 } });
    expect(await broadcasts.fanOutCheckpoint('bc-cp', 'traffic', 0)).toEqual({ done: true });
    expect(await broadcasts.fanOutCheckpoint('bc-cp', 'traffic', 2)).toBeUndefined();
    expect(await broadcasts.advanceFanOut('bc-none', { topicId: 'traffic', shard: 0, from: undefined, to: { done: true } }, { fanOutDone: 1 })).toBeUndefined();
  });
});
