import { describe, expect, it, vi } from 'vitest';
import type { FanOutTask, SendJob } from '../../../shared/domain/jobs.js';
import type { Priority } from '../../../shared/domain/model.js';
import { shardOf } from '../../../shared/domain/sharding.js';
import { startFanOut } from '../../../shared/broadcasts/broadcast-start.js';
import type { BroadcastStartDependencies, FanOutDependencies } from '../../../shared/ports/dependencies.js';
import { BULK_PAGES_PER_TURN, fanOutShards } from '../../../shared/broadcasts/fan-out.js';
import { aBroadcast, aPhone, broadcastSettings, inboundEvidence } from '../../support/builders.js';
import { FixedClock, RecordingQueue, SequentialIds, inMemoryStores } from '../../support/in-memory-stores.js';

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

describe('fanOutShards', () => {
  it('puts the shard’s subscribers on the broadcast’s lane, a few to a job, and counts them', async () => {
    // Prepare
    const { deps, stores, sendQueues } = await setUp({ priority: 'normal', recipientsPerJob: 2 });
    const phones = residentsOfShard(0, 5);
    for (const phone of phones) await stores.subscribers.subscribe(phone, 'sms', 'traffic', AT, inboundEvidence());

    // Act
    await fanOutShards(deps, { broadcastId: BROADCAST_ID, topicId: 'traffic', shard: 0 });

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
    await fanOutShards(deps, { broadcastId: BROADCAST_ID, topicId: 'traffic', shard: 1 });

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
    await fanOutShards(deps, { broadcastId: BROADCAST_ID, topicId: 'traffic', shard: 0 });
    await fanOutShards(deps, { broadcastId: BROADCAST_ID, topicId: 'roadworks', shard: 0 });

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
    await fanOutShards(deps, { broadcastId: BROADCAST_ID, topicId: 'traffic', shard: 0 });

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
    await fanOutShards(deps, task);
    const afterFirstTurn = { enqueued: recipientsOf(sendQueues.normal.sent).length, requeued: [...fanOutTasks.sent], broadcast: await stores.broadcasts.get(BROADCAST_ID) };
    await fanOutShards(deps, fanOutTasks.sent[0]!);

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
    await fanOutShards(deps, { broadcastId: BROADCAST_ID, topicId: 'traffic', shard: 0 });

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
    await fanOutShards(deps, { broadcastId: BROADCAST_ID, topicId: 'traffic', shard: 0 });

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
    await fanOutShards(deps, { broadcastId: BROADCAST_ID, topicId: 'traffic', shard: 1 });

    // Assess
    expect(await stores.broadcasts.get(BROADCAST_ID)).toMatchObject({ status: 'sent', fanOutPending: 0 });
  });
});

describe('fanOutShards: full send jobs across a topic’s shards', () => {
  const TOPIC_SHARDS = 8;
  const TOPICS = ['traffic', 'youth', 'news'];

  /** 3 topics × 8 shards as a broadcast starts them, with `residents` residents over overlapping topics (every one in at least one). */
  async function broadcastOverThreeTopics(residents: number, priority: Priority = 'normal') {
    const stores = inMemoryStores(TOPIC_SHARDS);
    await stores.broadcasts.create(aBroadcast({ id: BROADCAST_ID, topics: TOPICS, priority, status: 'sending', fanOutPending: TOPICS.length * TOPIC_SHARDS }));
    const topicsOf = (n: number): string[] => {
      const joined = [n % 5 < 3 ? 'traffic' : undefined, n % 3 === 0 ? 'youth' : undefined, n % 2 === 0 ? 'news' : undefined].filter((topic) => topic !== undefined);
      return joined.length > 0 ? joined : ['news'];
    };
    const phones: string[] = [];
    for (let n = 0; n < residents; n += 1) {
      const phone = aPhone(n);
      phones.push(phone);
      for (const topicId of topicsOf(n)) await stores.subscribers.subscribe(phone, n % 7 === 0 ? 'whatsapp' : 'sms', topicId, AT, inboundEvidence());
    }
    // Each resident goes out with the first listed topic they are in.
    const firstTopicCounts = TOPICS.map((topicId) => Array.from({ length: residents }, (_, n) => topicsOf(n)[0]).filter((first) => first === topicId).length);
    const sendQueues = { urgent: new RecordingQueue<SendJob>(), normal: new RecordingQueue<SendJob>() };
    const fanOutTasks = new RecordingQueue<FanOutTask>();
    const deps: FanOutDependencies = { stores, clock: new FixedClock(), ids: new SequentialIds(), sendQueues, fanOutTasks, recipientsPerJob: 250 };
    const start: BroadcastStartDependencies = { stores, clock: new FixedClock(), ids: new SequentialIds(), fanOutTasks, topicShards: TOPIC_SHARDS, ...broadcastSettings() };
    return { deps, start, stores, sendQueues, fanOutTasks, phones, firstTopicCounts };
  }

  /** Runs every fan-out task as SQS hands them out, turns included, until none is left. */
  async function runFanOut(deps: FanOutDependencies, fanOutTasks: RecordingQueue<FanOutTask>): Promise<number> {
    let runs = 0;
    while (fanOutTasks.sent.length > 0) {
      await fanOutShards(deps, fanOutTasks.sent.shift()!);
      runs += 1;
    }
    return runs;
  }

  it('makes a 3,000-resident broadcast over 3 topics × 8 shards into full jobs, one short job per topic, each resident once, targeted exact', async () => {
    // Prepare
    const { deps, start, stores, sendQueues, fanOutTasks, phones, firstTopicCounts } = await broadcastOverThreeTopics(3_000);
    const broadcast = (await stores.broadcasts.get(BROADCAST_ID))!;

    // Act: the tasks a broadcast starts, each run as SQS hands it out.
    await startFanOut(start, broadcast);
    const runs = await runFanOut(deps, fanOutTasks);

    // Assess: per topic, every job full but its last; 3,000 residents in 14 jobs, where a task per shard made one or more a shard (24 or more).
    const jobs = sendQueues.normal.sent.flatMap((job) => (job.kind === 'broadcast' ? [job] : []));
    const sizesByTopic = TOPICS.map((topicId) => jobs.filter((job) => job.topicId === topicId).map((job) => job.recipients.length));
    expect(sizesByTopic).toEqual(
      firstTopicCounts.map((count) => [...Array.from({ length: Math.floor(count / 250) }, () => 250), ...(count % 250 > 0 ? [count % 250] : [])]),
    );
    expect(firstTopicCounts).toEqual([1_800, 400, 800]);
    expect(jobs).toHaveLength(8 + 2 + 4);
    expect(runs).toBe(TOPICS.length);
    const enqueued = recipientsOf(jobs).map((recipient) => recipient.phone);
    expect(enqueued).toHaveLength(3_000);
    expect(new Set(enqueued)).toEqual(new Set(phones));
    expect(await stores.broadcasts.get(BROADCAST_ID)).toMatchObject({ status: 'sending', fanOutPending: 0, counts: { targeted: 3_000 } });
  });

  it('reads a bulk task’s shards side by side, a page of each a round, and takes turns of about ten pages', async () => {
    // Prepare: two shards of six pages each, in one task.
    const { deps, stores, sendQueues, fanOutTasks } = await setUp({ priority: 'normal', recipientsPerJob: 250 });
    const phones = [...residentsOfShard(0, 3_000), ...residentsOfShard(1, 3_000)];
    for (const phone of phones) await stores.subscribers.subscribe(phone, 'sms', 'traffic', AT, inboundEvidence());
    const task: FanOutTask = { broadcastId: BROADCAST_ID, topicId: 'traffic', shard: 0, shardCount: SHARDS };

    // Act: the first turn, then the task as SQS hands it back.
    await fanOutShards(deps, task);
    const afterFirstTurn = { enqueued: recipientsOf(sendQueues.normal.sent).length, requeued: [...fanOutTasks.sent], broadcast: await stores.broadcasts.get(BROADCAST_ID) };
    await fanOutShards(deps, fanOutTasks.sent[0]!);

    // Assess: five rounds of two pages in the first turn, the last round in the second; full jobs throughout.
    expect(afterFirstTurn.enqueued).toBe(BULK_PAGES_PER_TURN * 500);
    expect(afterFirstTurn.requeued).toEqual([task]);
    expect(afterFirstTurn.broadcast).toMatchObject({ fanOutPending: SHARDS, counts: { targeted: BULK_PAGES_PER_TURN * 500 } });
    const enqueued = recipientsOf(sendQueues.normal.sent).map((r) => r.phone);
    expect(enqueued).toHaveLength(phones.length);
    expect(new Set(enqueued)).toEqual(new Set(phones));
    expect(sendQueues.normal.sent.every((job) => job.kind === 'broadcast' && job.recipients.length === 250)).toBe(true);
    expect(fanOutTasks.sent).toEqual([task]);
    expect(await stores.broadcasts.get(BROADCAST_ID)).toMatchObject({ fanOutPending: 0, counts: { targeted: phones.length } });
  });

  it('leaves alone a shard another delivery of the task has finished, and streams the rest', async () => {
    // Prepare: shard 1 finished by a run of its own.
    const { deps, stores, sendQueues } = await setUp({ recipientsPerJob: 250 });
    const [inShard0, inShard1] = [residentsOfShard(0, 3), residentsOfShard(1, 2)];
    for (const phone of [...inShard0, ...inShard1]) await stores.subscribers.subscribe(phone, 'sms', 'traffic', AT, inboundEvidence());
    await fanOutShards(deps, { broadcastId: BROADCAST_ID, topicId: 'traffic', shard: 1 });
    const before = sendQueues.urgent.sent.length;

    // Act
    await fanOutShards(deps, { broadcastId: BROADCAST_ID, topicId: 'traffic', shard: 0, shardCount: SHARDS });

    // Assess
    expect(recipientsOf(sendQueues.urgent.sent.slice(before)).map((r) => r.phone).sort()).toEqual([...inShard0].sort());
    expect(await stores.broadcasts.get(BROADCAST_ID)).toMatchObject({ fanOutPending: 0, counts: { targeted: 5 } });
  });

  it.each([
    ['SQS refuses the round’s jobs', 'jobs'],
    ['it dies after moving the first shard’s checkpoint, before the second’s', 'checkpoint'],
  ] as const)('loses nobody and counts each resident once when a task that failed part-way (%s) is delivered again', async (_case, failing) => {
    // Prepare: two shards in one task, one round; the first delivery fails part-way.
    const { deps, stores, sendQueues } = await setUp({ recipientsPerJob: 250 });
    const [inShard0, inShard1] = [residentsOfShard(0, 300), residentsOfShard(1, 200)];
    for (const phone of [...inShard0, ...inShard1]) await stores.subscribers.subscribe(phone, 'sms', 'traffic', AT, inboundEvidence());
    const task: FanOutTask = { broadcastId: BROADCAST_ID, topicId: 'traffic', shard: 0, shardCount: SHARDS };
    const died = new Error('the function died');
    if (failing === 'jobs') sendQueues.urgent.failNextSend(died);
    else {
      const advance = stores.broadcasts.advanceFanOut.bind(stores.broadcasts);
      let calls = 0;
      vi.spyOn(stores.broadcasts, 'advanceFanOut').mockImplementation(async (...args) => {
        calls += 1;
        if (calls === 2) throw died;
        return advance(...args);
      });
    }
    await expect(fanOutShards(deps, task)).rejects.toBe(died);

    // Act: SQS delivers the task again.
    await fanOutShards(deps, task);

    // Assess: everyone queued (a round queued twice is sent once: the sender's claim), counted once.
    const enqueued = recipientsOf(sendQueues.urgent.sent).map((r) => r.phone);
    expect(new Set(enqueued)).toEqual(new Set([...inShard0, ...inShard1]));
    // The shard whose checkpoint moved is not queued again.
    expect(enqueued.filter((phone) => inShard0.includes(phone))).toHaveLength(300);
    expect(await stores.broadcasts.get(BROADCAST_ID)).toMatchObject({ fanOutPending: 0, counts: { targeted: 500 } });
  });
});
