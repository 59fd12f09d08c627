import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoSubscriberStore } from '../../shared/adapters/dynamo/subscriber-store.js';
import { NotFoundError } from '../../shared/domain/errors.js';
import type { FanOutTask, SendJob } from '../../shared/domain/jobs.js';
import { shardOf } from '../../shared/domain/sharding.js';
import { approveBroadcast } from '../../shared/broadcasts/broadcast-approval.js';
import { createBroadcast } from '../../shared/broadcasts/broadcasts.js';
import type { BroadcastDependencies, FanOutDependencies } from '../../shared/ports/dependencies.js';
import { fanOutShards } from '../../shared/broadcasts/fan-out.js';
import { handleInboundText } from '../../shared/consent/handle-inbound.js';
import { aBroadcast, aPhone, aPrincipal, aTopic, anInboundSettings, anInboundText, inboundEvidence, broadcastSettings } from '../support/builders.js';
import { FixedClock, RecordingQueue, SequentialIds, inMemoryInboundDependencies, inMemoryStores } from '../support/in-memory-stores.js';

const alice = aPhone(901);

describe('invariants review: STOP on a retried webhook', () => {
  it('acts on a STOP when the provider retries at once after the first attempt failed part-way', async () => {
    // Prepare: the first attempt fails after claiming the message (DynamoDB throttled, say); the
    // handler answers 500 and Meta (or Twilio) sends the same message again a few seconds later.
    const { deps, stores, replyQueue } = inMemoryInboundDependencies(anInboundSettings());
    await stores.topics.create(aTopic({ id: 'traffic', name: 'Traffic alerts', keywords: ['TRAFFIC'] }));
    await stores.subscribers.subscribe(alice, 'whatsapp', 'traffic', '2025-03-01T08:00:00.000Z', inboundEvidence({ text: 'JOIN TRAFFIC' }));
    const inbound = anInboundText({ from: alice, channel: 'whatsapp', body: 'STOP' });
    vi.spyOn(stores.subscribers, 'optOut').mockRejectedValueOnce(new Error('ProvisionedThroughputExceededException'));
    await expect(handleInboundText(deps, inbound)).rejects.toThrow('ProvisionedThroughputExceededException');

    // Act: the retry, with no time passing to speak of
    const outcome = await handleInboundText(deps, structuredClone(inbound));

    // Assess: the STOP is honoured and confirmed, not swallowed as a "duplicate" with a 200
    expect(outcome).toMatchObject({ kind: 'handled', intent: 'optOut' });
    expect((await stores.subscribers.getProfile(alice))?.optedOut.whatsapp).toBeDefined();
    expect(await stores.subscribers.subscriptions(alice)).toEqual([]);
    expect(replyQueue.sent.map((job) => job.purpose)).toEqual(['optOutConfirmation']);
  });
});

describe('invariants review: a fan-out task delivered twice or retried', () => {
  const SHARDS = 2;
  const BROADCAST_ID = 'bc-review';
  const AT = '2025-03-01T08:00:00.000Z';

  async function setUp() {
    const stores = inMemoryStores(SHARDS);
    await stores.broadcasts.create(aBroadcast({ id: BROADCAST_ID, topics: ['traffic'], status: 'sending', fanOutPending: SHARDS }));
    const sendQueues = { urgent: new RecordingQueue<SendJob>(), normal: new RecordingQueue<SendJob>() };
    const fanOutTasks = new RecordingQueue<FanOutTask>();
    const deps: FanOutDependencies = { stores, clock: new FixedClock(), ids: new SequentialIds(), sendQueues, fanOutTasks, recipientsPerJob: 100 };
    return { deps, stores, sendQueues };
  }

  function residentsOfShard(shard: number, count: number): string[] {
    const found: string[] = [];
    for (let n = 0; found.length < count; n += 1) {
      const phone = aPhone(n);
      if (shardOf(phone, SHARDS) === shard) found.push(phone);
    }
    return found;
  }

  const enqueued = (jobs: SendJob[]) => jobs.flatMap((job) => (job.kind === 'broadcast' ? job.recipients.map((r) => r.phone) : []));

  it('does not finish the broadcast early when SQS delivers one shard’s task twice, so the other shard still goes out', async () => {
    // Prepare: shard 0 is empty, shard 1 has residents; shard 0's task arrives twice (at-least-once)
    const { deps, stores, sendQueues } = await setUp();
    const phones = residentsOfShard(1, 3);
    for (const phone of phones) await stores.subscribers.subscribe(phone, 'sms', 'traffic', AT, inboundEvidence());
    await fanOutShards(deps, { broadcastId: BROADCAST_ID, topicId: 'traffic', shard: 0 });
    await fanOutShards(deps, { broadcastId: BROADCAST_ID, topicId: 'traffic', shard: 0 });

    // Act
    await fanOutShards(deps, { broadcastId: BROADCAST_ID, topicId: 'traffic', shard: 1 });

    // Assess: shard 1's residents are on the queue, and the broadcast is still sending
    expect(enqueued(sendQueues.urgent.sent).sort()).toEqual([...phones].sort());
    expect(await stores.broadcasts.get(BROADCAST_ID)).toMatchObject({ status: 'sending', fanOutPending: 0, counts: { targeted: 3 } });
  });

  it('counts each resident once as targeted when a task is retried after failing part-way', async () => {
    // Prepare: more residents than one index page; SQS refuses the second page's jobs once
    const { deps, stores, sendQueues } = await setUp();
    const phones = residentsOfShard(0, 520);
    for (const phone of phones) await stores.subscribers.subscribe(phone, 'sms', 'traffic', AT, inboundEvidence());
    await fanOutShards(deps, { broadcastId: BROADCAST_ID, topicId: 'traffic', shard: 1 });
    const send = sendQueues.urgent.send.bind(sendQueues.urgent);
    let calls = 0;
    vi.spyOn(sendQueues.urgent, 'send').mockImplementation(async (jobs) => {
      calls += 1;
      if (calls === 2) throw new Error('SQS throttled');
      return send(jobs);
    });
    await expect(fanOutShards(deps, { broadcastId: BROADCAST_ID, topicId: 'traffic', shard: 0 })).rejects.toThrow('SQS throttled');

    // Act: SQS redelivers the task
    await fanOutShards(deps, { broadcastId: BROADCAST_ID, topicId: 'traffic', shard: 0 });

    // Assess: targeted is the number of residents, so the broadcast can complete once they are sent
    expect(new Set(enqueued(sendQueues.urgent.sent))).toEqual(new Set(phones));
    expect(await stores.broadcasts.get(BROADCAST_ID)).toMatchObject({ fanOutPending: 0, counts: { targeted: 520 } });
  });
});

describe('invariants review: test keys reach only the sandbox', () => {
  it('refuses a test key’s approval of a live broadcast, which would send it to residents', async () => {
    // Prepare: a live broadcast on a topic that needs a second person's approval
    const stores = inMemoryStores(2);
    await stores.topics.create(aTopic({ id: 'emergency', keywords: ['EMERGENCY'], department: 'traffic', requiresApproval: true }));
    const fanOutTasks = new RecordingQueue<FanOutTask>();
    const deps: BroadcastDependencies = { stores, clock: new FixedClock(), ids: new SequentialIds('bc'), fanOutTasks, topicShards: 2, ...broadcastSettings() };
    const liveSender = aPrincipal({ keyId: 'key-sender', role: 'sender', department: 'traffic', mode: 'live' });
    const testApprover = aPrincipal({ keyId: 'key-ci', role: 'approver', department: 'traffic', mode: 'test' });
    const broadcast = await createBroadcast(deps, liveSender, { topics: ['emergency'], body: 'Road closed.', priority: 'urgent' });

    // Act
    const approval = approveBroadcast(deps, testApprover, broadcast.id);

    // Assess: to a test key a live broadcast does not exist (404)
    await expect(approval).rejects.toThrow(NotFoundError);
    expect(await stores.broadcasts.get(broadcast.id)).toMatchObject({ status: 'pending_approval', approvedBy: undefined });
    expect(fanOutTasks.sent).toEqual([]);
  });
});

describe('invariants review: a STOP right after a JOIN (DynamoDB reads)', () => {
  const documents = mockClient(DynamoDBDocumentClient);
  const client = () => DynamoDBDocumentClient.from(new DynamoDBClient({}));

  beforeEach(() => {
    documents.reset();
  });

  it('reads the resident’s subscriptions strongly consistently, so a STOP removes one made a moment ago', async () => {
    // Prepare: DynamoDB answers everything; an eventually consistent query could miss a
    // subscription written a second ago, which would then outlive the STOP (and come back to life
    // when a later JOIN lifts the channel's opt-out).
    documents.on(QueryCommand).resolves({ Items: [] });
    documents.on(UpdateCommand).resolves({});
    documents.on(PutCommand).resolves({});
    const store = new DynamoSubscriberStore(client(), 'crier-prod', 4);

    // Act
    await store.optOut(alice, 'sms', '2025-03-01T09:00:00.000Z', inboundEvidence({ text: 'STOP' }));

    // Assess
    const queries = documents.commandCalls(QueryCommand);
    expect(queries.length).toBeGreaterThan(0);
    for (const query of queries) expect(query.args[0].input.ConsistentRead).toBe(true);
  });
});
