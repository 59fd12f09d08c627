import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../shared/domain/errors.js';
import type { FanOutTask } from '../../../shared/domain/jobs.js';
import { approveBroadcast } from '../../../shared/broadcasts/broadcast-approval.js';
import { cancelBroadcast, createBroadcast, type CreateBroadcastInput } from '../../../shared/broadcasts/broadcasts.js';
import type { BroadcastDependencies } from '../../../shared/ports/dependencies.js';
import { aBroadcast, aPrincipal, aTopic, broadcastSettings } from '../../support/builders.js';
import { FixedClock, RecordingQueue, SequentialIds, inMemoryStores } from '../../support/in-memory-stores.js';

const SHARDS = 3;
const sender = aPrincipal({ keyId: 'key-sender', role: 'sender', department: 'traffic' });
const approver = aPrincipal({ keyId: 'key-approver', role: 'approver', department: 'traffic' });

async function setUp() {
  const stores = inMemoryStores(SHARDS);
  await stores.topics.create(aTopic({ id: 'traffic', keywords: ['TRAFFIC'], department: 'traffic' }));
  await stores.topics.create(aTopic({ id: 'roadworks', keywords: ['ROADWORKS'], department: 'traffic' }));
  await stores.topics.create(aTopic({ id: 'emergency', keywords: ['EMERGENCY'], department: 'traffic', requiresApproval: true }));
  await stores.topics.create(aTopic({ id: 'youth', keywords: ['YOUTH'], department: 'youth' }));
  const fanOutTasks = new RecordingQueue<FanOutTask>();
  const deps: BroadcastDependencies = { stores, clock: new FixedClock(), ids: new SequentialIds('bc'), fanOutTasks, topicShards: SHARDS, ...broadcastSettings() };
  return { deps, stores, fanOutTasks };
}

function input(overrides: Partial<CreateBroadcastInput> = {}): CreateBroadcastInput {
  return { topics: ['traffic'], body: 'Queues on the A470 northbound.', priority: 'urgent', ...overrides };
}

describe('createBroadcast', () => {
  it('starts a broadcast on topics that need no approval: one fan-out task per topic, for all its shards', async () => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp();

    // Act
    const broadcast = await createBroadcast(deps, sender, input({ topics: ['traffic', 'roadworks', 'traffic'] }));

    // Assess
    expect(broadcast).toMatchObject({
      id: 'bc-0001',
      status: 'sending',
      topics: ['traffic', 'roadworks'],
      department: 'traffic',
      createdBy: 'key-sender',
      fanOutPending: 2 * SHARDS,
    });
    expect(await stores.broadcasts.get('bc-0001')).toEqual(broadcast);
    expect(fanOutTasks.sent).toEqual([
      { broadcastId: 'bc-0001', topicId: 'traffic', shard: 0, shardCount: SHARDS },
      { broadcastId: 'bc-0001', topicId: 'roadworks', shard: 0, shardCount: SHARDS },
    ]);
  });

  it('holds a broadcast on a topic that requires approval, and fans nothing out', async () => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp();

    // Act
    const broadcast = await createBroadcast(deps, sender, input({ topics: ['traffic', 'emergency'] }));

    // Assess
    expect(broadcast.status).toBe('pending_approval');
    expect((await stores.broadcasts.get(broadcast.id))?.status).toBe('pending_approval');
    expect(fanOutTasks.sent).toEqual([]);
  });

  it.each([
    [['nope'], [{ field: 'topics.0', message: 'no topic "nope"' }]],
    [['traffic', 'nope'], [{ field: 'topics.1', message: 'no topic "nope"' }]],
    [['nope', 'traffic', 'gone'], [{ field: 'topics.0', message: 'no topic "nope"' }, { field: 'topics.2', message: 'no topic "gone"' }]],
    [['traffic', 'traffic', 'nope'], [{ field: 'topics.2', message: 'no topic "nope"' }]],
  ])('refuses unknown topics in %j, naming each field, and stores nothing', async (topics, details) => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp();

    // Act
    const attempt = createBroadcast(deps, sender, input({ topics: structuredClone(topics) }));

    // Assess
    const error = await attempt.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details).toEqual(details);
    expect(stores.broadcasts.broadcasts.size).toBe(0);
    expect(fanOutTasks.sent).toEqual([]);
  });

  it('refuses a topic of another department and stores nothing', async () => {
    // Prepare
    const { deps, stores } = await setUp();

    // Act
    const attempt = createBroadcast(deps, sender, input({ topics: ['traffic', 'youth'] }));

    // Assess
    await expect(attempt).rejects.toThrow(ForbiddenError);
    expect(stores.broadcasts.broadcasts.size).toBe(0);
  });

  it('leaves no broadcast behind when its fan-out cannot be queued, and rethrows', async () => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp();
    const outage = new Error('SQS is unavailable');
    fanOutTasks.failNextSend(outage);

    // Act
    const attempt = createBroadcast(deps, sender, input());

    // Assess
    await expect(attempt).rejects.toBe(outage);
    expect(stores.broadcasts.broadcasts.size).toBe(0);
  });
});

describe('approveBroadcast', () => {
  it('lets a second person approve, and starts the fan-out', async () => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp();
    const pending = await createBroadcast(deps, sender, input({ topics: ['emergency'] }));

    // Act
    const approved = await approveBroadcast(deps, approver, pending.id);

    // Assess
    expect(approved).toMatchObject({ status: 'sending', approvedBy: 'key-approver' });
    expect(await stores.broadcasts.get(pending.id)).toMatchObject({ status: 'sending', approvedBy: 'key-approver' });
    expect(fanOutTasks.sent).toEqual([{ broadcastId: pending.id, topicId: 'emergency', shard: 0, shardCount: SHARDS }]);
  });

  it('refuses the author approving their own broadcast, and leaves it pending', async () => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp();
    const operator = aPrincipal({ keyId: 'key-operator', role: 'operator', department: '*' });
    const pending = await createBroadcast(deps, operator, input({ topics: ['emergency'] }));

    // Act
    const attempt = approveBroadcast(deps, operator, pending.id);

    // Assess
    await expect(attempt).rejects.toThrow(new ForbiddenError('a broadcast must be approved by someone other than its author'));
    expect((await stores.broadcasts.get(pending.id))?.status).toBe('pending_approval');
    expect(fanOutTasks.sent).toEqual([]);
  });

  it.each(['sending', 'sent', 'cancelled'] as const)('refuses to approve a broadcast that is %s (ConflictError)', async (status) => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp();
    await stores.broadcasts.create(aBroadcast({ id: 'bc-x', status, createdBy: 'key-sender' }));

    // Act
    const attempt = approveBroadcast(deps, approver, 'bc-x');

    // Assess
    await expect(attempt).rejects.toThrow(ConflictError);
    expect((await stores.broadcasts.get('bc-x'))?.status).toBe(status);
    expect(fanOutTasks.sent).toEqual([]);
  });

  it('refuses an approver of another department', async () => {
    // Prepare
    const { deps } = await setUp();
    const pending = await createBroadcast(deps, sender, input({ topics: ['emergency'] }));
    const youthApprover = aPrincipal({ keyId: 'key-youth', role: 'approver', department: 'youth' });

    // Act
    const attempt = approveBroadcast(deps, youthApprover, pending.id);

    // Assess
    await expect(attempt).rejects.toThrow(ForbiddenError);
  });

  it('puts the broadcast back to pending when the fan-out cannot be queued', async () => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp();
    const pending = await createBroadcast(deps, sender, input({ topics: ['emergency'] }));
    fanOutTasks.failNextSend(new Error('SQS is unavailable'));

    // Act
    const attempt = approveBroadcast(deps, approver, pending.id);

    // Assess
    await expect(attempt).rejects.toThrow('SQS is unavailable');
    expect((await stores.broadcasts.get(pending.id))?.status).toBe('pending_approval');
  });

  it('answers an unknown broadcast with NotFoundError', async () => {
    // Prepare
    const { deps } = await setUp();

    // Act
    const attempt = approveBroadcast(deps, approver, 'bc-none');

    // Assess
    await expect(attempt).rejects.toThrow(NotFoundError);
  });
});

describe('cancelBroadcast', () => {
  it.each(['pending_approval', 'sending'] as const)('cancels a broadcast that is %s', async (status) => {
    // Prepare
    const { deps, stores } = await setUp();
    await stores.broadcasts.create(aBroadcast({ id: 'bc-x', status }));

    // Act
    const cancelled = await cancelBroadcast(deps, sender, 'bc-x');

    // Assess
    expect(cancelled.status).toBe('cancelled');
    expect((await stores.broadcasts.get('bc-x'))?.status).toBe('cancelled');
  });

  it.each(['sent', 'cancelled'] as const)('refuses to cancel a broadcast that is already %s', async (status) => {
    // Prepare
    const { deps, stores } = await setUp();
    await stores.broadcasts.create(aBroadcast({ id: 'bc-x', status }));

    // Act
    const attempt = cancelBroadcast(deps, sender, 'bc-x');

    // Assess
    await expect(attempt).rejects.toThrow(ConflictError);
  });
});
