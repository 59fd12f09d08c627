import { describe, expect, it } from 'vitest';
import type { FanOutTask, SendJob } from '../../shared/domain/jobs.js';
import type { Priority } from '../../shared/domain/model.js';
import { shardOf } from '../../shared/domain/sharding.js';
import type { FanOutDependencies } from '../../shared/usecases/dependencies.js';
import { BULK_PAGES_PER_TURN, fanOutShard } from '../../shared/usecases/fan-out.js';
import { aBroadcast, aPhone, inboundEvidence } from '../support/builders.js';
import { FixedClock, RecordingQueue, SequentialIds, inMemoryStores } from '../support/in-memory-stores.js';

const SHARDS = 2;
const BROADCAST_ID = 'bc-0001';
const AT = '2025-03-01T08:00:00.000Z';

async function setUp({ priority = 'urgent' as Priority, topics = ['traffic'], recipientsPerJob = 2, status = 'sending' as const } = {}) {
  const stores = inMemoryStores(SHARDS);
  await stores.broadcasts.create(aBroadcast({ id: BROADCAST_ID, topics, priority, status, fanOutPending: topics.length * SHARDS }));
  const sendQueues = { urgent: new RecordingQueue<SendJob>(), normal: new RecordingQueue<SendJob>() };
  const fanOutTasks = new RecordingQueue<FanOutTask>();
  const deps: FanOutDependencies = { stores, clock: new FixedClock(), ids: new SequentialIds(), sendQueues, fanOutTasks, recipientsPerJob };
  return { deps, stores, sendQueues, fanOutTasks };
}

/** Residents who all live in the given shard, so one task reaches them all. */
function residentsOfShard(shard: number, count: number): string[] {
  const found: string[] = [];
  for (let n = 0; found.length < count; n += 1) {
    const phone = aPhone(n);
    if (shardOf(phone, SHARDS) === shard) found.push(phone);
  }
  return found;
}

const recipientsOf = (jobs: SendJob[]) => jobs.flatMap((job) => (job.kind === 'broadcast' ? job.recipients : []));

describe('fanOutShard', () => {
  it('puts the shard’s subscribers on the broadcast’s lane, a few to a job, and counts them', async () => {
    // Prepare
    const { deps, stores, sendQueues } = await setUp({ priority: 'normal', recipientsPerJob: 2 });
    const phones = residentsOfShard(0, 5);
    for (const phone of phones) await stores.subscribers.subscribe(phone, 'sms', 'traffic', AT, inboundEvidence());

    // Act
    await fanOutShard(deps, { broadcastId: BROADCAST_ID, topicId: 'traffic', shard: 0 });

    // Assess
    expect(sendQueues.urgent.sent).toEqual([]);
    expect(sendQueues.normal.sent.map((job) => (job.kind === 'broadcast' ? job.recipients.length : 0))).toEqual([2, 2, 1]);
    expect(recipientsOf(sendQueues.normal.sent).map((r) => r.phone).sort()).toEqual([...phones].sort());
    expect(await stores.broadcasts.get(BROADCAST_ID)).toMatchObject({ fanOutPending: SHARDS - 1, counts: { targeted: 5 } });
  });

  it('enqueues a resident subscribed on both channels once', async () => {
    // Prepare
    const { deps, stores, sendQueues } = await setUp();
    const [phone] = residentsOfShard(1, 1);
    await stores.subscribers.subscribe(phone!, 'sms', 'traffic', AT, inboundEvidence());
    await stores.subscribers.subscribe(phone!, 'whatsapp', 'traffic', AT, inboundEvidence());

    // Act
    await fanOutShard(deps, { broadcastId: BROADCAST_ID, topicId: 'traffic', shard: 1 });

    // Assess
    expect(recipientsOf(sendQueues.urgent.sent)).toEqual([{ phone, channel: 'sms' }]);
    expect((await stores.broadcasts.get(BROADCAST_ID))?.counts.targeted).toBe(1);
  });

  it('leaves a resident of an earlier listed topic to that topic’s task, so they get the broadcast once', async () => {
    // Prepare
    const { deps, stores, sendQueues } = await setUp({ topics: ['traffic', 'roadworks'] });
    const [both, onlyRoadworks] = residentsOfShard(0, 2);
    await stores.subscribers.subscribe(both!, 'sms', 'traffic', AT, inboundEvidence());
    await stores.subscribers.subscribe(both!, 'whatsapp', 'roadworks', AT, inboundEvidence());
    await stores.subscribers.subscribe(onlyRoadworks!, 'sms', 'roadworks', AT, inboundEvidence());

    // Act
    await fanOutShard(deps, { broadcastId: BROADCAST_ID, topicId: 'traffic', shard: 0 });
    await fanOutShard(deps, { broadcastId: BROADCAST_ID, topicId: 'roadworks', shard: 0 });

    // Assess
    expect(recipientsOf(sendQueues.urgent.sent)).toEqual([
      { phone: both, channel: 'sms' },
      { phone: onlyRoadworks, channel: 'sms' },
    ]);
  });

  it('reads a large shard page by page, and nobody twice', async () => {
    // Prepare
    const { deps, stores, sendQueues } = await setUp({ recipientsPerJob: 50 });
    const phones = residentsOfShard(0, 1_100);
    for (const phone of phones) await stores.subscribers.subscribe(phone, 'sms', 'traffic', AT, inboundEvidence());

    // Act
    await fanOutShard(deps, { broadcastId: BROADCAST_ID, topicId: 'traffic', shard: 0 });

    // Assess
    const enqueued = recipientsOf(sendQueues.urgent.sent).map((r) => r.phone);
    expect(enqueued).toHaveLength(1_100);
    expect(new Set(enqueued).size).toBe(1_100);
    expect((await stores.broadcasts.get(BROADCAST_ID))?.counts.targeted).toBe(1_100);
  });

  it('streams a bulk broadcast’s shard in turns of ten pages, each turn putting the task back on the fan-out queue', async () => {
    // Prepare: one page more than a turn's worth.
    const { deps, stores, sendQueues, fanOutTasks } = await setUp({ priority: 'normal', recipientsPerJob: 100 });
    const phones = residentsOfShard(0, BULK_PAGES_PER_TURN * 500 + 100);
    for (const phone of phones) await stores.subscribers.subscribe(phone, 'sms', 'traffic', AT, inboundEvidence());
    const task: FanOutTask = { broadcastId: BROADCAST_ID, topicId: 'traffic', shard: 0 };

    // Act: the first turn, then the task as SQS hands it back.
    await fanOutShard(deps, task);
    const afterFirstTurn = { enqueued: recipientsOf(sendQueues.normal.sent).length, requeued: [...fanOutTasks.sent], broadcast: await stores.broadcasts.get(BROADCAST_ID) };
    await fanOutShard(deps, fanOutTasks.sent[0]!);

    // Assess: ten pages in the first turn, not yet done; the rest in the second, each resident once, and no third turn.
    expect(afterFirstTurn.enqueued).toBe(BULK_PAGES_PER_TURN * 500);
    expect(afterFirstTurn.requeued).toEqual([task]);
    expect(afterFirstTurn.broadcast).toMatchObject({ fanOutPending: SHARDS });
    const enqueued = recipientsOf(sendQueues.normal.sent).map((r) => r.phone);
    expect(new Set(enqueued).size).toBe(phones.length);
    expect(enqueued).toHaveLength(phones.length);
    expect(fanOutTasks.sent).toEqual([task]);
    expect(await stores.broadcasts.get(BROADCAST_ID)).toMatchObject({ fanOutPending: SHARDS - 1, counts: { targeted: phones.length } });
  });

  it('streams an urgent broadcast’s shard to the end in one run, taking no turns', async () => {
    // Prepare
    const { deps, stores, sendQueues, fanOutTasks } = await setUp({ priority: 'urgent', recipientsPerJob: 100 });
    const phones = residentsOfShard(0, BULK_PAGES_PER_TURN * 500 + 100);
    for (const phone of phones) await stores.subscribers.subscribe(phone, 'sms', 'traffic', AT, inboundEvidence());

    // Act
    await fanOutShard(deps, { broadcastId: BROADCAST_ID, topicId: 'traffic', shard: 0 });

    // Assess
    expect(recipientsOf(sendQueues.urgent.sent)).toHaveLength(phones.length);
    expect(fanOutTasks.sent).toEqual([]);
    expect(await stores.broadcasts.get(BROADCAST_ID)).toMatchObject({ fanOutPending: SHARDS - 1 });
  });

  it.each(['cancelled', 'pending_approval'] as const)('only marks its shard done for a broadcast that is %s', async (status) => {
    // Prepare
    const { deps, stores, sendQueues } = await setUp();
    await stores.broadcasts.transition(BROADCAST_ID, ['sending'], status);
    await stores.subscribers.subscribe(residentsOfShard(0, 1)[0]!, 'sms', 'traffic', AT, inboundEvidence());

    // Act
    await fanOutShard(deps, { broadcastId: BROADCAST_ID, topicId: 'traffic', shard: 0 });

    // Assess
    expect(sendQueues.urgent.sent).toEqual([]);
    expect(await stores.broadcasts.get(BROADCAST_ID)).toMatchObject({ fanOutPending: SHARDS - 1, counts: { targeted: 0 } });
  });

  it('marks the broadcast sent when the last shard finds nobody and nothing is outstanding', async () => {
    // Prepare
    const { deps, stores } = await setUp({ topics: ['traffic'] });
    for (let shard = 0; shard < SHARDS; shard += 1) {
      if (shard !== 1) await stores.broadcasts.advanceFanOut(BROADCAST_ID, { topicId: 'traffic', shard, from: undefined, to: { done: true } }, { fanOutDone: 1 });
    }

    // Act
    await fanOutShard(deps, { broadcastId: BROADCAST_ID, topicId: 'traffic', shard: 1 });

    // Assess
    expect(await stores.broadcasts.get(BROADCAST_ID)).toMatchObject({ status: 'sent', fanOutPending: 0 });
  });
});
