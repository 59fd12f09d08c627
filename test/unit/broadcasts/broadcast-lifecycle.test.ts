import { describe, expect, it } from 'vitest';
import { broadcastMoves, finalStatuses, refusalFor } from '../../../shared/broadcasts/broadcast-lifecycle.js';
import { ConflictError, ForbiddenError, LimitExceededError, NotFoundError, ValidationError } from '../../../shared/domain/errors.js';
import type { FanOutTask } from '../../../shared/domain/jobs.js';
import { broadcastStatusSchema, type Broadcast, type BroadcastStatus, type Principal } from '../../../shared/domain/model.js';
import { errorResponse } from '../../../shared/runtime/http/responses.js';
import { approveBroadcast, rejectBroadcast, submitBroadcast } from '../../../shared/broadcasts/broadcast-approval.js';
import { EXACT_AUDIENCE_LIMIT } from '../../../shared/broadcasts/broadcast-audience.js';
import { startDueBroadcasts } from '../../../shared/broadcasts/broadcast-start.js';
import { cancelBroadcast, createBroadcast, type CreateBroadcastInput } from '../../../shared/broadcasts/broadcasts.js';
import { getDepartmentLimits, setDepartmentLimits } from '../../../shared/usage/department-limits.js';
import type { BroadcastDependencies } from '../../../shared/ports/dependencies.js';
import { aBroadcast, aPhone, aPrincipal, aTopic, broadcastSettings, inboundEvidence } from '../../support/builders.js';
import { FixedClock, RecordingQueue, SequentialIds, inMemoryStores, type InMemoryStores } from '../../support/in-memory-stores.js';

/**
 * The broadcast lifecycle end to end through the use cases: drafts, scheduling and the minute
 * scheduler, quiet hours, approvals, cancelling, and the daily cap, with the clock held still at
 * chosen instants (Europe/London, quiet hours 21:00-08:00 unless a test says otherwise).
 */

const SHARDS = 2;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** A Tuesday morning in winter (GMT): 10:00 on the wall clock, outside quiet hours. */
const TUESDAY_10AM = '2025-03-04T10:00:00.000Z';

const sender = aPrincipal({ keyId: 'key-sender', role: 'sender', department: 'traffic' });
const approver = aPrincipal({ keyId: 'key-approver', name: 'Traffic approver', role: 'approver', department: 'traffic' });
const operator = aPrincipal({ keyId: 'key-operator', name: 'Council IT', role: 'operator', department: '*' });
const otherOperator = aPrincipal({ keyId: 'key-operator-2', name: 'Council IT (2)', role: 'operator', department: '*' });

type Settings = Parameters<typeof broadcastSettings>[0];

/** Residents numbered from `first`, subscribed by SMS to a topic. */
async function subscribe(stores: InMemoryStores, topicId: string, count: number, first = 1): Promise<void> {
  for (let n = first; n < first + count; n += 1) {
    await stores.subscribers.subscribe(aPhone(n), 'sms', topicId, TUESDAY_10AM, inboundEvidence());
  }
}

/**
 * Topics: traffic and roadworks (traffic, 3 subscribers each), emergency (traffic, two-person
 * rule, 3 subscribers), youth (youth, 2 subscribers).
 */
async function setUp({ at = TUESDAY_10AM, settings = {} as Settings } = {}) {
  const stores = inMemoryStores(SHARDS);
  await stores.topics.create(aTopic({ id: 'traffic', keywords: ['TRAFFIC'], department: 'traffic' }));
  await stores.topics.create(aTopic({ id: 'roadworks', keywords: ['ROADWORKS'], department: 'traffic' }));
  await stores.topics.create(aTopic({ id: 'emergency', keywords: ['EMERGENCY'], department: 'traffic', requiresApproval: true }));
  await stores.topics.create(aTopic({ id: 'youth', name: 'Youth news', keywords: ['YOUTH'], department: 'youth' }));
  await subscribe(stores, 'traffic', 3, 1);
  await subscribe(stores, 'roadworks', 3, 11);
  await subscribe(stores, 'emergency', 3, 21);
  await subscribe(stores, 'youth', 2, 31);
  const clock = new FixedClock(at);
  const fanOutTasks = new RecordingQueue<FanOutTask>();
  const deps: BroadcastDependencies = {
    stores,
    clock,
    ids: new SequentialIds('bc'),
    fanOutTasks,
    topicShards: SHARDS,
    ...broadcastSettings(settings),
  };
  return { deps, stores, clock, fanOutTasks };
}

function input(overrides: Partial<CreateBroadcastInput> = {}): CreateBroadcastInput {
  return { topics: ['traffic'], body: 'The A470 northbound is closed at Coryton.', priority: 'normal', ...overrides };
}

/** The fan-out tasks a broadcast's release queues: one per topic, for all its shards. */
function tasksFor(broadcastId: string, topics: string[]): FanOutTask[] {
  return topics.map((topicId) => ({ broadcastId, topicId, shard: 0, shardCount: SHARDS }));
}

const inMinutes = (clock: FixedClock, minutes: number) => new Date(clock.now().getTime() + minutes * MINUTE).toISOString();

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected the call to be refused'),
    (error: unknown) => error,
  );
}

describe('drafts', () => {
  it('keeps a draft as a draft: nothing counted, nothing fanned out, nothing scheduled, and the creation audited', async () => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp({ settings: { dailyMessageCap: 100 } });

    // Act
    const draft = await createBroadcast(deps, sender, input({ draft: true }));

    // Assess
    expect(draft).toMatchObject({ id: 'bc-0001', status: 'draft', approval: 'none', audience: undefined, startsAt: undefined });
    expect(await stores.broadcasts.get(draft.id)).toEqual(draft);
    expect(fanOutTasks.sent).toEqual([]);
    expect(stores.broadcasts.scheduled.size).toBe(0);
    expect(await stores.departments.used('traffic', '2025-03-04')).toBe(0);
    expect(stores.audit.entries).toEqual([
      expect.objectContaining({
        action: 'broadcast.create',
        actor: expect.objectContaining({ keyId: 'key-sender' }),
        target: { type: 'broadcast', id: draft.id },
        after: expect.objectContaining({ status: 'draft', body: draft.body, topics: ['traffic'] }),
      }),
    ]);
  });

  it('sends a submitted draft: one fan-out task per topic, its audience counted, and the submission audited', async () => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp();
    const draft = await createBroadcast(deps, sender, input({ topics: ['traffic', 'roadworks'], draft: true }));

    // Act
    const submitted = await submitBroadcast(deps, sender, draft.id);

    // Assess
    expect(submitted).toMatchObject({ status: 'sending', approval: 'none', audience: 6, startsAt: TUESDAY_10AM, capDay: '2025-03-04' });
    expect(await stores.broadcasts.get(draft.id)).toEqual(submitted);
    expect(fanOutTasks.sent).toEqual(tasksFor(draft.id, ['traffic', 'roadworks']));
    expect(stores.audit.entries.map((entry) => entry.action)).toEqual(['broadcast.create', 'broadcast.submit']);
    expect(stores.audit.entries[1]).toMatchObject({ before: { status: 'draft' }, after: { status: 'sending', audience: 6 } });
  });

  it.each(broadcastStatusSchema.options.filter((status) => status !== 'draft'))(
    'refuses to submit a broadcast that is %s, naming its status, and changes nothing',
    async (status) => {
      // Prepare
      const { deps, stores, fanOutTasks } = await setUp();
      const broadcast = aBroadcast({ id: 'bc-x', status });
      await stores.broadcasts.create(broadcast);

      // Act
      const error = await caught(submitBroadcast(deps, sender, 'bc-x'));

      // Assess
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toBe(refusalFor('submit', status));
      expect(await stores.broadcasts.get('bc-x')).toEqual(broadcast);
      expect(fanOutTasks.sent).toEqual([]);
    },
  );

  it('refuses to submit a draft whose department is not the key’s', async () => {
    // Prepare
    const { deps, stores } = await setUp();
    const draft = await createBroadcast(deps, operator, input({ topics: ['youth'], draft: true }));

    // Act
    const attempt = submitBroadcast(deps, sender, draft.id);

    // Assess
    await expect(attempt).rejects.toThrow(ForbiddenError);
    expect((await stores.broadcasts.get(draft.id))?.status).toBe('draft');
  });
});

describe('scheduling', () => {
  it('schedules a broadcast whose sendAt is ahead: on the scheduler’s list at that time, nothing fanned out yet', async () => {
    // Prepare
    const { deps, stores, clock, fanOutTasks } = await setUp();
    const sendAt = inMinutes(clock, 120);

    // Act
    const broadcast = await createBroadcast(deps, sender, input({ sendAt }));

    // Assess
    expect(broadcast).toMatchObject({ status: 'scheduled', sendAt, startsAt: sendAt, audience: 3, capDay: '2025-03-04' });
    expect(await stores.broadcasts.get(broadcast.id)).toEqual(broadcast);
    expect(await stores.broadcasts.dueToStart(sendAt, 10)).toEqual([{ broadcastId: broadcast.id, startsAt: sendAt }]);
    expect(fanOutTasks.sent).toEqual([]);
  });

  it('stores sendAt in UTC whatever offset it was written with', async () => {
    // Prepare
    const { deps } = await setUp();

    // Act
    const broadcast = await createBroadcast(deps, sender, input({ sendAt: '2025-03-04T14:30:00+02:00' }));

    // Assess
    expect(broadcast).toMatchObject({ status: 'scheduled', sendAt: '2025-03-04T12:30:00.000Z', startsAt: '2025-03-04T12:30:00.000Z' });
  });

  it.each([
    ['a minute ago', -1, 'must be after now (2025-03-04T10:00:00.000Z)'],
    ['this very instant', 0, 'must be after now (2025-03-04T10:00:00.000Z)'],
    ['90 days and a minute ahead', 90 * 24 * 60 + 1, 'must be within 90 days'],
  ])('refuses sendAt %s, naming sendAt, and stores nothing', async (_when, minutes, message) => {
    // Prepare
    const { deps, stores, clock, fanOutTasks } = await setUp();

    // Act
    const error = await caught(createBroadcast(deps, sender, input({ sendAt: inMinutes(clock, minutes) })));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details).toEqual([{ field: 'sendAt', message }]);
    expect(stores.broadcasts.broadcasts.size).toBe(0);
    expect(stores.broadcasts.scheduled.size).toBe(0);
    expect(fanOutTasks.sent).toEqual([]);
    expect(errorResponse(error, 'req-1').statusCode).toBe(400);
  });

  it('accepts sendAt exactly 90 days ahead', async () => {
    // Prepare
    const { deps, clock } = await setUp();
    const sendAt = inMinutes(clock, 90 * 24 * 60);

    // Act
    const broadcast = await createBroadcast(deps, sender, input({ sendAt, priority: 'urgent' }));

    // Assess
    expect(broadcast).toMatchObject({ status: 'scheduled', startsAt: sendAt });
  });

  it('starts nothing before the time comes', async () => {
    // Prepare
    const { deps, stores, clock, fanOutTasks } = await setUp();
    const broadcast = await createBroadcast(deps, sender, input({ sendAt: inMinutes(clock, 30) }));
    clock.advance(29 * MINUTE + 59_999);

    // Act
    const outcome = await startDueBroadcasts(deps);

    // Assess
    expect(outcome).toEqual({ started: [], held: [] });
    expect((await stores.broadcasts.get(broadcast.id))?.status).toBe('scheduled');
    expect([...stores.broadcasts.scheduled.values()]).toEqual([{ broadcastId: broadcast.id, startsAt: broadcast.startsAt }]);
    expect(fanOutTasks.sent).toEqual([]);
  });

  it('starts a broadcast when its time comes: sending, one fan-out task per topic, and off the list', async () => {
    // Prepare
    const { deps, stores, clock, fanOutTasks } = await setUp();
    const broadcast = await createBroadcast(deps, sender, input({ topics: ['traffic', 'roadworks'], sendAt: inMinutes(clock, 30) }));
    clock.advance(30 * MINUTE);

    // Act
    const outcome = await startDueBroadcasts(deps);

    // Assess
    expect(outcome).toEqual({ started: [broadcast.id], held: [] });
    expect((await stores.broadcasts.get(broadcast.id))?.status).toBe('sending');
    expect(fanOutTasks.sent).toEqual(tasksFor(broadcast.id, ['traffic', 'roadworks']));
    expect(stores.broadcasts.scheduled.size).toBe(0);
  });

  it('starts a late one too (the scheduler missed a minute), and only once', async () => {
    // Prepare
    const { deps, clock, fanOutTasks } = await setUp();
    const broadcast = await createBroadcast(deps, sender, input({ sendAt: inMinutes(clock, 30) }));
    clock.advance(33 * MINUTE);

    // Act
    const first = await startDueBroadcasts(deps);
    const second = await startDueBroadcasts(deps);

    // Assess
    expect(first.started).toEqual([broadcast.id]);
    expect(second).toEqual({ started: [], held: [] });
    expect(fanOutTasks.sent).toEqual(tasksFor(broadcast.id, ['traffic']));
  });

  it('cancels a scheduled broadcast: cancelled, off the list, its cap given back, and the scheduler starts nothing', async () => {
    // Prepare
    const { deps, stores, clock, fanOutTasks } = await setUp({ settings: { dailyMessageCap: 10 } });
    const broadcast = await createBroadcast(deps, sender, input({ sendAt: inMinutes(clock, 30) }));
    const usedBefore = (await getDepartmentLimits(deps, sender, 'traffic')).usedToday;

    // Act
    const cancelled = await cancelBroadcast(deps, sender, broadcast.id);
    clock.advance(30 * MINUTE);
    const outcome = await startDueBroadcasts(deps);

    // Assess
    expect(usedBefore).toBe(3);
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelledBy: 'key-sender', cancelledAt: TUESDAY_10AM });
    expect(await stores.broadcasts.get(broadcast.id)).toMatchObject({ status: 'cancelled', cancelledBy: 'key-sender' });
    expect(stores.broadcasts.scheduled.size).toBe(0);
    expect((await getDepartmentLimits(deps, sender, 'traffic')).usedToday).toBe(0);
    expect(outcome).toEqual({ started: [], held: [] });
    expect(fanOutTasks.sent).toEqual([]);
  });

  it('drops a start whose broadcast was cancelled (the list was not cleared)', async () => {
    // Prepare
    const { deps, stores, clock, fanOutTasks } = await setUp();
    const startsAt = inMinutes(clock, -1);
    await stores.broadcasts.create(aBroadcast({ id: 'bc-x', status: 'cancelled', priority: 'normal', startsAt }));
    await stores.broadcasts.scheduleStart('bc-x', startsAt);

    // Act
    const outcome = await startDueBroadcasts(deps);

    // Assess
    expect(outcome).toEqual({ started: [], held: [] });
    expect((await stores.broadcasts.get('bc-x'))?.status).toBe('cancelled');
    expect(stores.broadcasts.scheduled.size).toBe(0);
    expect(fanOutTasks.sent).toEqual([]);
  });

  it('drops a start whose broadcast no longer exists', async () => {
    // Prepare
    const { deps, stores, clock, fanOutTasks } = await setUp();
    await stores.broadcasts.scheduleStart('bc-gone', inMinutes(clock, -1));

    // Act
    const outcome = await startDueBroadcasts(deps);

    // Assess
    expect(outcome).toEqual({ started: [], held: [] });
    expect(stores.broadcasts.scheduled.size).toBe(0);
    expect(fanOutTasks.sent).toEqual([]);
  });

  it('re-sends the fan-out of a start left behind by a crash after the move to sending', async () => {
    // Prepare
    const { deps, stores, clock, fanOutTasks } = await setUp();
    const broadcast = await createBroadcast(deps, sender, input({ sendAt: inMinutes(clock, 30) }));
    clock.advance(30 * MINUTE);
    // The run that moved it to sending died before queuing its fan-out and clearing the start.
    await stores.broadcasts.transition(broadcast.id, ['scheduled'], 'sending');

    // Act
    await startDueBroadcasts(deps);

    // Assess
    expect(fanOutTasks.sent).toEqual(tasksFor(broadcast.id, ['traffic']));
    expect((await stores.broadcasts.get(broadcast.id))?.status).toBe('sending');
    expect(stores.broadcasts.scheduled.size).toBe(0);
  });

  it('keeps the start when the fan-out cannot be queued, and the next minute’s run sends it', async () => {
    // Prepare
    const { deps, stores, clock, fanOutTasks } = await setUp();
    const broadcast = await createBroadcast(deps, sender, input({ sendAt: inMinutes(clock, 30) }));
    clock.advance(30 * MINUTE);
    fanOutTasks.failNextSend(new Error('SQS is unavailable'));

    // Act
    const failedRun = caught(startDueBroadcasts(deps));
    await failedRun;
    const keptStarts = stores.broadcasts.scheduled.size;
    clock.advance(MINUTE);
    await startDueBroadcasts(deps);

    // Assess
    expect(((await failedRun) as Error).message).toBe('SQS is unavailable');
    expect(keptStarts).toBe(1);
    expect(fanOutTasks.sent).toEqual(tasksFor(broadcast.id, ['traffic']));
    expect(stores.broadcasts.scheduled.size).toBe(0);
  });
});

describe('quiet hours (21:00-08:00 Europe/London unless said otherwise)', () => {
  it.each([
    ['in winter (GMT), 22:00 local', '2025-01-14T22:00:00.000Z', '2025-01-15T08:00:00.000Z', '2025-01-15'],
    ['in summer (BST), 22:30 local', '2025-07-15T21:30:00.000Z', '2025-07-16T07:00:00.000Z', '2025-07-16'],
    ['after midnight, 01:00 local in winter', '2025-01-15T01:00:00.000Z', '2025-01-15T08:00:00.000Z', '2025-01-15'],
    ['at 07:59 local in summer', '2025-07-16T06:59:00.000Z', '2025-07-16T07:00:00.000Z', '2025-07-16'],
    ['at 21:00 local exactly, in winter', '2025-01-14T21:00:00.000Z', '2025-01-15T08:00:00.000Z', '2025-01-15'],
  ])('holds a normal broadcast made %s until 08:00 local (%s → %s)', async (_when, at, startsAt, capDay) => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp({ at });

    // Act
    const broadcast = await createBroadcast(deps, sender, input());

    // Assess
    expect(broadcast).toMatchObject({ status: 'scheduled', sendAt: undefined, startsAt, capDay });
    expect([...stores.broadcasts.scheduled.values()]).toEqual([{ broadcastId: broadcast.id, startsAt }]);
    expect(fanOutTasks.sent).toEqual([]);
  });

  it.each([
    ['in winter', '2025-01-14T22:00:00.000Z'],
    ['in summer', '2025-07-15T21:30:00.000Z'],
  ])('sends an urgent broadcast at once, even in quiet hours %s', async (_season, at) => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp({ at });

    // Act
    const broadcast = await createBroadcast(deps, sender, input({ priority: 'urgent' }));

    // Assess
    expect(broadcast).toMatchObject({ status: 'sending', startsAt: at });
    expect(stores.broadcasts.scheduled.size).toBe(0);
    expect(fanOutTasks.sent).toEqual(tasksFor(broadcast.id, ['traffic']));
  });

  it('sends a normal broadcast at once when quiet hours are off', async () => {
    // Prepare
    const { deps, fanOutTasks } = await setUp({ at: '2025-01-14T22:00:00.000Z', settings: { quietHours: 'off' } });

    // Act
    const broadcast = await createBroadcast(deps, sender, input());

    // Assess
    expect(broadcast).toMatchObject({ status: 'sending', startsAt: '2025-01-14T22:00:00.000Z' });
    expect(fanOutTasks.sent).toEqual(tasksFor(broadcast.id, ['traffic']));
  });

  it('moves a normal broadcast asked for inside quiet hours to their end', async () => {
    // Prepare
    const { deps } = await setUp({ at: '2025-01-14T12:00:00.000Z' });

    // Act
    const broadcast = await createBroadcast(deps, sender, input({ sendAt: '2025-01-14T23:15:00.000Z' }));

    // Assess
    expect(broadcast).toMatchObject({ status: 'scheduled', sendAt: '2025-01-14T23:15:00.000Z', startsAt: '2025-01-15T08:00:00.000Z' });
  });

  it('starts a held normal broadcast at 08:00, not a minute before', async () => {
    // Prepare
    const { deps, stores, clock, fanOutTasks } = await setUp({ at: '2025-01-14T22:00:00.000Z' });
    const broadcast = await createBroadcast(deps, sender, input());
    clock.advance(10 * HOUR - MINUTE);

    // Act
    const at0759 = await startDueBroadcasts(deps);
    clock.advance(MINUTE);
    const at0800 = await startDueBroadcasts(deps);

    // Assess
    expect(at0759).toEqual({ started: [], held: [] });
    expect(at0800).toEqual({ started: [broadcast.id], held: [] });
    expect((await stores.broadcasts.get(broadcast.id))?.status).toBe('sending');
    expect(fanOutTasks.sent).toEqual(tasksFor(broadcast.id, ['traffic']));
  });

  it('holds again a scheduled normal broadcast whose start falls in quiet hours because the setting changed', async () => {
    // Prepare: scheduled for 22:30 while quiet hours were off; then they were switched on.
    const { deps, stores, clock, fanOutTasks } = await setUp({ at: '2025-01-14T12:00:00.000Z', settings: { quietHours: 'off' } });
    const broadcast = await createBroadcast(deps, sender, input({ sendAt: '2025-01-14T22:30:00.000Z' }));
    const scheduledFor = broadcast.startsAt;
    deps.window = broadcastSettings().window;
    clock.advance(10 * HOUR + 30 * MINUTE);

    // Act
    const outcome = await startDueBroadcasts(deps);

    // Assess
    expect(scheduledFor).toBe('2025-01-14T22:30:00.000Z');
    expect(outcome).toEqual({ started: [], held: [broadcast.id] });
    expect(await stores.broadcasts.get(broadcast.id)).toMatchObject({ status: 'scheduled', startsAt: '2025-01-15T08:00:00.000Z' });
    expect([...stores.broadcasts.scheduled.values()]).toEqual([{ broadcastId: broadcast.id, startsAt: '2025-01-15T08:00:00.000Z' }]);
    expect(fanOutTasks.sent).toEqual([]);
  });

  it('starts an urgent scheduled broadcast whose start falls in quiet hours', async () => {
    // Prepare
    const { deps, stores, clock, fanOutTasks } = await setUp({ at: '2025-01-14T12:00:00.000Z' });
    const broadcast = await createBroadcast(deps, sender, input({ priority: 'urgent', sendAt: '2025-01-14T22:30:00.000Z' }));
    clock.advance(10 * HOUR + 30 * MINUTE);

    // Act
    const outcome = await startDueBroadcasts(deps);

    // Assess
    expect(broadcast.startsAt).toBe('2025-01-14T22:30:00.000Z');
    expect(outcome).toEqual({ started: [broadcast.id], held: [] });
    expect((await stores.broadcasts.get(broadcast.id))?.status).toBe('sending');
    expect(fanOutTasks.sent).toEqual(tasksFor(broadcast.id, ['traffic']));
  });
});

describe('approvals', () => {
  it('holds a broadcast on a topic with the two-person rule for a department approver', async () => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp({ settings: { dailyMessageCap: 100 } });

    // Act
    const broadcast = await createBroadcast(deps, sender, input({ topics: ['emergency'] }));

    // Assess
    expect(broadcast).toMatchObject({ status: 'pending_approval', approval: 'department', audience: 3, startsAt: undefined });
    expect(await stores.broadcasts.get(broadcast.id)).toEqual(broadcast);
    expect(fanOutTasks.sent).toEqual([]);
    // Nothing counts against the cap until it is released.
    expect(await stores.departments.used('traffic', '2025-03-04')).toBe(0);
  });

  it.each([
    ['approve', (deps: BroadcastDependencies, who: Principal, id: string) => approveBroadcast(deps, who, id)],
    ['reject', (deps: BroadcastDependencies, who: Principal, id: string) => rejectBroadcast(deps, who, id, 'wrong road')],
  ] as const)('does not let the author %s their own broadcast', async (_action, act) => {
    // Prepare: an operator may both create and approve, so only the two-person rule stands in the way.
    const { deps, stores, fanOutTasks } = await setUp();
    const pending = await createBroadcast(deps, operator, input({ topics: ['emergency'] }));

    // Act
    const error = await caught(act(deps, operator, pending.id));

    // Assess
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as Error).message).toBe('a broadcast must be approved by someone other than its author');
    expect((await stores.broadcasts.get(pending.id))?.status).toBe('pending_approval');
    expect(fanOutTasks.sent).toEqual([]);
  });

  it('sends a broadcast another approver approves, recording who and when', async () => {
    // Prepare
    const { deps, stores, clock, fanOutTasks } = await setUp();
    const pending = await createBroadcast(deps, sender, input({ topics: ['emergency'] }));
    clock.advance(5 * MINUTE);

    // Act
    const approved = await approveBroadcast(deps, approver, pending.id);

    // Assess
    const at = '2025-03-04T10:05:00.000Z';
    expect(approved).toMatchObject({ status: 'sending', approvedBy: 'key-approver', approvedAt: at, startsAt: at, approval: 'department' });
    expect(await stores.broadcasts.get(pending.id)).toEqual(approved);
    expect(fanOutTasks.sent).toEqual(tasksFor(pending.id, ['emergency']));
    expect(stores.audit.entries.at(-1)).toMatchObject({
      action: 'broadcast.approve',
      before: { status: 'pending_approval' },
      after: { status: 'sending', approvedBy: 'key-approver' },
    });
  });

  it('schedules an approved broadcast whose sendAt is still ahead', async () => {
    // Prepare
    const { deps, stores, clock, fanOutTasks } = await setUp();
    const sendAt = inMinutes(clock, 60);
    const pending = await createBroadcast(deps, sender, input({ topics: ['emergency'], sendAt }));

    // Act
    const approved = await approveBroadcast(deps, approver, pending.id);

    // Assess
    expect(pending).toMatchObject({ status: 'pending_approval', startsAt: undefined });
    expect(approved).toMatchObject({ status: 'scheduled', startsAt: sendAt, approvedBy: 'key-approver' });
    expect([...stores.broadcasts.scheduled.values()]).toEqual([{ broadcastId: pending.id, startsAt: sendAt }]);
    expect(fanOutTasks.sent).toEqual([]);
  });

  it('sends at once an approved broadcast whose sendAt passed while it waited', async () => {
    // Prepare
    const { deps, clock, fanOutTasks } = await setUp();
    const pending = await createBroadcast(deps, sender, input({ topics: ['emergency'], sendAt: inMinutes(clock, 10) }));
    clock.advance(20 * MINUTE);

    // Act
    const approved = await approveBroadcast(deps, approver, pending.id);

    // Assess
    expect(approved).toMatchObject({ status: 'sending', startsAt: '2025-03-04T10:20:00.000Z' });
    expect(fanOutTasks.sent).toEqual(tasksFor(pending.id, ['emergency']));
  });

  it('refuses a rejection from a key without the approve permission', async () => {
    // Prepare
    const { deps, stores } = await setUp();
    const pending = await createBroadcast(deps, sender, input({ topics: ['emergency'] }));
    const colleague = aPrincipal({ keyId: 'key-sender-2', role: 'sender', department: 'traffic' });

    // Act
    const attempt = rejectBroadcast(deps, colleague, pending.id, 'not today');

    // Assess
    await expect(attempt).rejects.toThrow(new ForbiddenError('a sender key may not approve or reject broadcasts'));
    expect((await stores.broadcasts.get(pending.id))?.status).toBe('pending_approval');
  });

  it('rejects with a reason and the rejecter recorded, and a rejected broadcast cannot then be approved (409)', async () => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp();
    const pending = await createBroadcast(deps, sender, input({ topics: ['emergency'] }));

    // Act
    const rejected = await rejectBroadcast(deps, approver, pending.id, 'The closure is on the A4119, not the A470.');
    const error = await caught(approveBroadcast(deps, otherOperator, pending.id));

    // Assess
    expect(rejected).toMatchObject({ status: 'rejected', rejectedBy: 'key-approver', rejectionReason: 'The closure is on the A4119, not the A470.' });
    expect(await stores.broadcasts.get(pending.id)).toMatchObject({
      status: 'rejected',
      rejectedBy: 'key-approver',
      rejectionReason: 'The closure is on the A4119, not the A470.',
      approvedBy: undefined,
    });
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toBe('cannot approve a broadcast that is rejected');
    expect(errorResponse(error, 'req-1').statusCode).toBe(409);
    expect(fanOutTasks.sent).toEqual([]);
    expect(stores.audit.entries.map((entry) => entry.action)).toEqual(['broadcast.create', 'broadcast.reject']);
  });

  it.each(['sending', 'rejected', 'cancelled'] as const)('refuses to reject a broadcast that is %s (409)', async (status) => {
    // Prepare
    const { deps, stores } = await setUp();
    await stores.broadcasts.create(aBroadcast({ id: 'bc-x', status }));

    // Act
    const error = await caught(rejectBroadcast(deps, approver, 'bc-x', 'too late'));

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toBe(refusalFor('reject', status));
    expect((await stores.broadcasts.get('bc-x'))?.status).toBe(status);
  });

  describe('operator approval above a department’s threshold', () => {
    it.each([
      ['the deployment’s threshold', { operatorApprovalAbove: 2 }, undefined],
      ['the department’s own threshold', {}, 2],
    ])('needs an operator for an audience above %s', async (_source, settings, departmentThreshold) => {
      // Prepare
      const { deps, stores, fanOutTasks } = await setUp({ settings });
      if (departmentThreshold !== undefined) {
        await setDepartmentLimits(deps, operator, 'traffic', { operatorApprovalAbove: departmentThreshold });
      }

      // Act
      const broadcast = await createBroadcast(deps, sender, input({ topics: ['traffic'] }));

      // Assess
      expect(broadcast).toMatchObject({ status: 'pending_approval', approval: 'operator', audience: 3 });
      expect(await stores.broadcasts.get(broadcast.id)).toEqual(broadcast);
      expect(fanOutTasks.sent).toEqual([]);
    });

    it('does not need an operator for an audience exactly at the threshold', async () => {
      // Prepare
      const { deps } = await setUp({ settings: { operatorApprovalAbove: 3 } });

      // Act
      const broadcast = await createBroadcast(deps, sender, input({ topics: ['traffic'] }));

      // Assess
      expect(broadcast).toMatchObject({ status: 'sending', approval: 'none', audience: 3 });
    });

    it('asks an operator rather than a department approver when both would apply', async () => {
      // Prepare
      const { deps } = await setUp({ settings: { operatorApprovalAbove: 2 } });

      // Act
      const broadcast = await createBroadcast(deps, sender, input({ topics: ['emergency'] }));

      // Assess
      expect(broadcast).toMatchObject({ status: 'pending_approval', approval: 'operator' });
    });

    it('refuses a department approver (403) and lets an operator approve', async () => {
      // Prepare
      const { deps, stores, fanOutTasks } = await setUp({ settings: { operatorApprovalAbove: 2 } });
      const pending = await createBroadcast(deps, sender, input({ topics: ['traffic'] }));

      // Act
      const refusal = await caught(approveBroadcast(deps, approver, pending.id));
      const stillPending = (await stores.broadcasts.get(pending.id))?.status;
      const approved = await approveBroadcast(deps, operator, pending.id);

      // Assess
      expect(refusal).toBeInstanceOf(ForbiddenError);
      expect((refusal as Error).message).toContain('an operator must approve it');
      expect(errorResponse(refusal, 'req-1').statusCode).toBe(403);
      expect(stillPending).toBe('pending_approval');
      expect(approved).toMatchObject({ status: 'sending', approval: 'operator', approvedBy: 'key-operator' });
      expect(fanOutTasks.sent).toEqual(tasksFor(pending.id, ['traffic']));
    });
  });

  // A live broadcast does not exist for a test key: 404, as for an id never used (it was 403).
  it('does not let a test key approve a live broadcast, which it cannot even see', async () => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp();
    const pending = await createBroadcast(deps, sender, input({ topics: ['emergency'] }));
    const testApprover = aPrincipal({ keyId: 'key-approver-test', role: 'approver', department: 'traffic', mode: 'test' });

    // Act
    const attempt = approveBroadcast(deps, testApprover, pending.id);

    // Assess
    await expect(attempt).rejects.toThrow(new NotFoundError(`no broadcast ${pending.id}`));
    expect((await stores.broadcasts.get(pending.id))?.status).toBe('pending_approval');
    expect(fanOutTasks.sent).toEqual([]);
  });

  it('lets a test key approve a test broadcast', async () => {
    // Prepare
    const { deps } = await setUp();
    const testSender = aPrincipal({ keyId: 'key-sender-test', role: 'sender', department: 'traffic', mode: 'test' });
    const testApprover = aPrincipal({ keyId: 'key-approver-test', role: 'approver', department: 'traffic', mode: 'test' });
    const pending = await createBroadcast(deps, testSender, input({ topics: ['emergency'] }));

    // Act
    const approved = await approveBroadcast(deps, testApprover, pending.id);

    // Assess
    expect(approved).toMatchObject({ status: 'sending', mode: 'test', approvedBy: 'key-approver-test' });
  });
});

describe('cancel', () => {
  /** A broadcast in each status, as the lifecycle would have left it. */
  function broadcastIn(status: BroadcastStatus): Broadcast {
    const released = status === 'scheduled' ? { startsAt: '2025-03-04T12:00:00.000Z', capDay: '2025-03-04', audience: 3 } : {};
    return aBroadcast({ id: 'bc-x', status, priority: 'normal', ...released });
  }

  it.each(broadcastMoves.cancel.from)('cancels a broadcast that is %s, recording who and when', async (status) => {
    // Prepare
    const { deps, stores } = await setUp();
    await stores.broadcasts.create(broadcastIn(status));
    if (status === 'scheduled') await stores.broadcasts.scheduleStart('bc-x', '2025-03-04T12:00:00.000Z');

    // Act
    const cancelled = await cancelBroadcast(deps, sender, 'bc-x');

    // Assess
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelledBy: 'key-sender', cancelledAt: TUESDAY_10AM });
    expect(await stores.broadcasts.get('bc-x')).toMatchObject({ status: 'cancelled', cancelledBy: 'key-sender', cancelledAt: TUESDAY_10AM });
    expect(stores.broadcasts.scheduled.size).toBe(0);
    expect(stores.audit.entries).toEqual([
      expect.objectContaining({ action: 'broadcast.cancel', before: { status }, after: { status: 'cancelled' } }),
    ]);
  });

  it.each(finalStatuses)('refuses to cancel a broadcast that is %s (ConflictError), and changes nothing', async (status) => {
    // Prepare
    const { deps, stores } = await setUp();
    const broadcast = broadcastIn(status);
    await stores.broadcasts.create(broadcast);

    // Act
    const error = await caught(cancelBroadcast(deps, sender, 'bc-x'));

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toBe(refusalFor('cancel', status));
    expect(await stores.broadcasts.get('bc-x')).toEqual(broadcast);
    expect(stores.audit.entries).toEqual([]);
  });

  it('lists every status as either cancellable or final, none as both', () => {
    // Prepare
    const cancellable = new Set<BroadcastStatus>(broadcastMoves.cancel.from);

    // Act
    const unaccounted = broadcastStatusSchema.options.filter((status) => !cancellable.has(status) && !finalStatuses.includes(status));
    const both = finalStatuses.filter((status) => cancellable.has(status));

    // Assess
    expect(unaccounted).toEqual([]);
    expect(both).toEqual([]);
  });
});

describe('daily message cap', () => {
  it('counts a broadcast within the deployment’s cap against today', async () => {
    // Prepare
    const { deps } = await setUp({ settings: { dailyMessageCap: 5 } });

    // Act
    const broadcast = await createBroadcast(deps, sender, input());

    // Assess
    expect(broadcast).toMatchObject({ status: 'sending', audience: 3, capDay: '2025-03-04' });
    expect(await getDepartmentLimits(deps, sender, 'traffic')).toEqual({
      department: 'traffic',
      dailyMessageCap: 5,
      operatorApprovalAbove: 0,
      source: { dailyMessageCap: 'deployment', operatorApprovalAbove: 'deployment' },
      today: '2025-03-04',
      usedToday: 3,
      costToday: { currency: 'GBP', estimatedMicros: 0, replies: { currency: 'GBP', estimatedMicros: 0 } },
    });
  });

  it.each([
    ['the deployment has no cap', { dailyMessageCap: 0 }, undefined],
    ['the department’s own cap is off (0)', { dailyMessageCap: 100 }, 0],
  ])('counts what a department used today when %s', async (_case, settings, ownCap) => {
    // Prepare
    const { deps } = await setUp({ settings });
    if (ownCap !== undefined) await setDepartmentLimits(deps, operator, 'traffic', { dailyMessageCap: ownCap });

    // Act
    await createBroadcast(deps, sender, input({ topics: ['traffic'] }));
    await createBroadcast(deps, sender, input({ topics: ['roadworks'] }));

    // Assess
    expect(await getDepartmentLimits(deps, sender, 'traffic')).toMatchObject({ dailyMessageCap: 0, usedToday: 6 });
  });

  it('gives back what a department without a cap counted when a scheduled broadcast is cancelled', async () => {
    // Prepare
    const { deps, clock } = await setUp({ settings: { dailyMessageCap: 0 } });
    await createBroadcast(deps, sender, input({ topics: ['traffic'] }));
    const scheduled = await createBroadcast(deps, sender, input({ topics: ['roadworks'], sendAt: inMinutes(clock, 60) }));

    // Act
    await cancelBroadcast(deps, sender, scheduled.id);

    // Assess
    expect((await getDepartmentLimits(deps, sender, 'traffic')).usedToday).toBe(3);
  });

  it('gives back what a department without a cap counted when another department of the broadcast is over its cap', async () => {
    // Prepare: traffic has no cap; youth's own cap is 4 and the broadcast reaches 5.
    const { deps } = await setUp({ settings: { dailyMessageCap: 0 } });
    await setDepartmentLimits(deps, operator, 'youth', { dailyMessageCap: 4 });

    // Act
    const error = await caught(createBroadcast(deps, operator, input({ topics: ['traffic', 'youth'] })));

    // Assess
    expect(error).toBeInstanceOf(LimitExceededError);
    expect((await getDepartmentLimits(deps, operator, 'traffic')).usedToday).toBe(0);
  });

  it('lets a broadcast fill the cap exactly', async () => {
    // Prepare
    const { deps } = await setUp({ settings: { dailyMessageCap: 6 } });
    await createBroadcast(deps, sender, input({ topics: ['traffic'] }));

    // Act
    const second = await createBroadcast(deps, sender, input({ topics: ['roadworks'] }));

    // Assess
    expect(second.status).toBe('sending');
    expect((await getDepartmentLimits(deps, sender, 'traffic')).usedToday).toBe(6);
  });

  it('refuses a broadcast over the cap with a 429 naming the department and numbers, and leaves nothing behind', async () => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp({ settings: { dailyMessageCap: 5 } });
    const first = await createBroadcast(deps, sender, input({ topics: ['traffic'] }));
    const auditBefore = stores.audit.entries.length;
    const tasksBefore = fanOutTasks.sent.length;

    // Act
    const error = await caught(createBroadcast(deps, sender, input({ topics: ['roadworks'] })));

    // Assess
    expect(error).toBeInstanceOf(LimitExceededError);
    expect((error as Error).message).toBe(
      'department "traffic" may send 5 messages a day; 3 are counted for 2025-03-04 and this broadcast reaches 3',
    );
    expect((error as LimitExceededError).details).toEqual([
      { field: 'topics', message: '1 over the daily cap of department "traffic" for 2025-03-04' },
    ]);
    expect(errorResponse(error, 'req-1').statusCode).toBe(429);
    expect([...stores.broadcasts.broadcasts.keys()]).toEqual([first.id]);
    expect(fanOutTasks.sent).toHaveLength(tasksBefore);
    expect(stores.audit.entries).toHaveLength(auditBefore);
    expect((await getDepartmentLimits(deps, sender, 'traffic')).usedToday).toBe(3);
  });

  it('refuses a submitted draft over the cap and keeps it a draft', async () => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp({ settings: { dailyMessageCap: 2 } });
    const draft = await createBroadcast(deps, sender, input({ draft: true }));

    // Act
    const attempt = submitBroadcast(deps, sender, draft.id);

    // Assess
    await expect(attempt).rejects.toThrow(LimitExceededError);
    expect(await stores.broadcasts.get(draft.id)).toEqual(draft);
    expect(fanOutTasks.sent).toEqual([]);
  });

  it('refuses the approval of a broadcast over the cap and keeps it pending', async () => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp({ settings: { dailyMessageCap: 4 } });
    const pending = await createBroadcast(deps, sender, input({ topics: ['emergency'] }));
    await createBroadcast(deps, sender, input({ topics: ['traffic'] }));

    // Act
    const attempt = approveBroadcast(deps, approver, pending.id);

    // Assess
    await expect(attempt).rejects.toThrow(LimitExceededError);
    expect((await stores.broadcasts.get(pending.id))?.status).toBe('pending_approval');
    expect(fanOutTasks.sent.filter((task) => task.broadcastId === pending.id)).toEqual([]);
    expect((await getDepartmentLimits(deps, sender, 'traffic')).usedToday).toBe(3);
  });

  it('uses a department’s own cap, which only operators may set', async () => {
    // Prepare
    const { deps, stores } = await setUp({ settings: { dailyMessageCap: 1000 } });

    // Act
    const refusal = await caught(setDepartmentLimits(deps, sender, 'traffic', { dailyMessageCap: 1 }));
    const limits = await setDepartmentLimits(deps, operator, 'traffic', { dailyMessageCap: 2 });
    const overCap = await caught(createBroadcast(deps, sender, input()));

    // Assess
    expect(refusal).toBeInstanceOf(ForbiddenError);
    expect(limits).toMatchObject({ dailyMessageCap: 2, source: { dailyMessageCap: 'department', operatorApprovalAbove: 'deployment' } });
    expect(overCap).toBeInstanceOf(LimitExceededError);
    expect((overCap as Error).message).toContain('department "traffic" may send 2 messages a day');
    expect(stores.broadcasts.broadcasts.size).toBe(0);
    expect(stores.audit.entries.map((entry) => entry.action)).toEqual(['department.limits']);
  });

  it('goes back to the deployment’s cap when an operator clears the department’s own', async () => {
    // Prepare
    const { deps } = await setUp({ settings: { dailyMessageCap: 1000 } });
    await setDepartmentLimits(deps, operator, 'traffic', { dailyMessageCap: 2 });

    // Act
    const limits = await setDepartmentLimits(deps, operator, 'traffic', { dailyMessageCap: null });
    const broadcast = await createBroadcast(deps, sender, input());

    // Assess
    expect(limits).toMatchObject({ dailyMessageCap: 1000, source: { dailyMessageCap: 'deployment' } });
    expect(broadcast.status).toBe('sending');
  });

  it('counts a test-mode broadcast against nothing', async () => {
    // Prepare
    const { deps } = await setUp({ settings: { dailyMessageCap: 2 } });
    const testSender = aPrincipal({ keyId: 'key-sender-test', role: 'sender', department: 'traffic', mode: 'test' });

    // Act
    const broadcast = await createBroadcast(deps, testSender, input());

    // Assess
    expect(broadcast).toMatchObject({ status: 'sending', mode: 'test', audience: 3 });
    expect((await getDepartmentLimits(deps, sender, 'traffic')).usedToday).toBe(0);
  });

  it('gives back nothing when a scheduled test-mode broadcast is cancelled: it had counted nothing', async () => {
    // Prepare
    const { deps, clock } = await setUp({ settings: { dailyMessageCap: 10 } });
    const testSender = aPrincipal({ keyId: 'key-sender-test', role: 'sender', department: 'traffic', mode: 'test' });
    await createBroadcast(deps, sender, input({ topics: ['traffic'] }));
    const scheduledTest = await createBroadcast(deps, testSender, input({ sendAt: inMinutes(clock, 60) }));

    // Act
    await cancelBroadcast(deps, testSender, scheduledTest.id);

    // Assess
    expect(scheduledTest.status).toBe('scheduled');
    expect((await getDepartmentLimits(deps, sender, 'traffic')).usedToday).toBe(3);
  });

  it('gives back what a multi-department broadcast counted against the others when one department is over its cap', async () => {
    // Prepare: traffic has room; youth's own cap is 4 and the broadcast reaches 5.
    const { deps, stores, fanOutTasks } = await setUp({ settings: { dailyMessageCap: 100 } });
    await setDepartmentLimits(deps, operator, 'youth', { dailyMessageCap: 4 });

    // Act
    const error = await caught(createBroadcast(deps, operator, input({ topics: ['traffic', 'youth'] })));

    // Assess
    expect(error).toBeInstanceOf(LimitExceededError);
    expect((error as Error).message).toBe('department "youth" may send 4 messages a day; 0 are counted for 2025-03-04 and this broadcast reaches 5');
    expect((await getDepartmentLimits(deps, operator, 'traffic')).usedToday).toBe(0);
    expect((await getDepartmentLimits(deps, operator, 'youth')).usedToday).toBe(0);
    expect(stores.broadcasts.broadcasts.size).toBe(0);
    expect(fanOutTasks.sent).toEqual([]);
  });

  it('counts a multi-department broadcast against each department when all have room', async () => {
    // Prepare
    const { deps } = await setUp({ settings: { dailyMessageCap: 100 } });

    // Act
    const broadcast = await createBroadcast(deps, operator, input({ topics: ['traffic', 'youth'] }));

    // Assess
    expect(broadcast).toMatchObject({ status: 'sending', department: 'traffic,youth', audience: 5 });
    expect((await getDepartmentLimits(deps, operator, 'traffic')).usedToday).toBe(5);
    expect((await getDepartmentLimits(deps, operator, 'youth')).usedToday).toBe(5);
  });

  it.each([
    ['scheduled for tomorrow', TUESDAY_10AM, { sendAt: '2025-03-05T10:00:00.000Z' }, '2025-03-05', '2025-03-04'],
    ['made at 22:00 and held for quiet hours until tomorrow', '2025-03-04T22:00:00.000Z', {}, '2025-03-05', '2025-03-04'],
    // 23:30 UTC on 15 July is 00:30 on the 16th in London: the local day counts, not the UTC one.
    ['urgent, at 00:30 BST (still the day before in UTC)', '2025-07-15T23:30:00.000Z', { priority: 'urgent' as const }, '2025-07-16', '2025-07-15'],
  ])('counts a broadcast %s against the local day it starts', async (_case, at, overrides, capDay, notDay) => {
    // Prepare
    const { deps, stores } = await setUp({ at, settings: { dailyMessageCap: 10 } });

    // Act
    const broadcast = await createBroadcast(deps, sender, input(overrides));

    // Assess
    expect(broadcast.capDay).toBe(capDay);
    expect(await stores.departments.used('traffic', capDay)).toBe(3);
    expect(await stores.departments.used('traffic', notDay)).toBe(0);
  });

  it('lets tomorrow’s broadcast use tomorrow’s cap when today’s is full', async () => {
    // Prepare
    const { deps } = await setUp({ settings: { dailyMessageCap: 3 } });
    await createBroadcast(deps, sender, input({ topics: ['traffic'] }));

    // Act
    const tomorrow = await createBroadcast(deps, sender, input({ topics: ['roadworks'], sendAt: '2025-03-05T09:00:00.000Z' }));
    const today = await caught(createBroadcast(deps, sender, input({ topics: ['roadworks'] })));

    // Assess
    expect(tomorrow).toMatchObject({ status: 'scheduled', capDay: '2025-03-05' });
    expect(today).toBeInstanceOf(LimitExceededError);
  });
});

describe('releasing and cancelling leave nothing behind', () => {
  it('takes back the approval when the fan-out cannot be queued: the broadcast waits for approval again, as it was', async () => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp();
    const waiting = await createBroadcast(deps, sender, input({ topics: ['emergency'] }));
    fanOutTasks.failNextSend(new Error('SQS is unavailable'));

    // Act
    const attempt = approveBroadcast(deps, approver, waiting.id);

    // Assess
    await expect(attempt).rejects.toThrow('SQS is unavailable');
    const after = await stores.broadcasts.get(waiting.id);
    expect(after?.status).toBe('pending_approval');
    expect(after?.approvedBy).toBeUndefined();
    expect(after?.approvedAt).toBeUndefined();
    expect(after?.startsAt).toBeUndefined();
  });

  it('does not give back the cap of a scheduled broadcast the scheduler started a moment before the cancel', async () => {
    // Prepare
    const { deps, stores, clock } = await setUp({ settings: { dailyMessageCap: 100 } });
    const scheduled = await createBroadcast(deps, sender, input({ sendAt: inMinutes(clock, 30) }));
    const seenByCancel = await stores.broadcasts.get(scheduled.id);
    clock.advance(30 * MINUTE);
    await startDueBroadcasts(deps);
    // The cancel read the broadcast while it was still scheduled.
    const realGet = stores.broadcasts.get.bind(stores.broadcasts);
    let reads = 0;
    stores.broadcasts.get = async (id: string) => (reads++ === 0 ? structuredClone(seenByCancel) : realGet(id));

    // Act
    const cancelled = await cancelBroadcast(deps, sender, scheduled.id);

    // Assess
    expect(cancelled.status).toBe('cancelled');
    expect(stores.departments.capCounts.get(`traffic#${scheduled.capDay}`)).toBe(3);
  });
});

describe('the audience limits are checked against', () => {
  it('counts a filtered broadcast by the residents it would reach, so it fits a cap the whole topic would not', async () => {
    // Prepare
    const { deps, stores } = await setUp({ settings: { dailyMessageCap: 2 } });
    await stores.subscribers.updateProfile(aPhone(1), 'sms', { area: 'CF10' }, TUESDAY_10AM, inboundEvidence());

    // Act
    const broadcast = await createBroadcast(deps, sender, input({ filters: { areas: ['CF10'] } }));

    // Assess
    expect(broadcast).toMatchObject({ status: 'sending', audience: 1 });
  });

  it('counts a resident of two topics once', async () => {
    // Prepare
    const { deps, stores } = await setUp();
    await stores.subscribers.subscribe(aPhone(1), 'sms', 'roadworks', TUESDAY_10AM, inboundEvidence());

    // Act
    const broadcast = await createBroadcast(deps, sender, input({ topics: ['traffic', 'roadworks'] }));

    // Assess: three in traffic, three more in roadworks, one of them in both.
    expect(broadcast.audience).toBe(6);
  });

  it('counts several topics without filters from the topic index alone, reading no resident\'s profile', async () => {
    // Prepare
    const { deps, stores } = await setUp();
    await stores.subscribers.subscribe(aPhone(1), 'sms', 'roadworks', TUESDAY_10AM, inboundEvidence());
    let profileReads = 0;
    const realProfilesOf = stores.subscribers.profilesOf.bind(stores.subscribers);
    stores.subscribers.profilesOf = async (...args: Parameters<typeof realProfilesOf>) => {
      profileReads += 1;
      return realProfilesOf(...args);
    };

    // Act
    const broadcast = await createBroadcast(deps, sender, input({ topics: ['traffic', 'roadworks'] }));

    // Assess: the same six as the fan-out will target, and not one profile read for them.
    expect(broadcast.audience).toBe(6);
    expect(profileReads).toBe(0);
  });
});

describe('the audience of a very large broadcast', () => {
  it('is checked against the topics\' totals above the exact-count limit, without walking every resident', async () => {
    // Prepare
    const { deps, stores } = await setUp();
    const realCount = stores.topics.subscriberCount.bind(stores.topics);
    stores.topics.subscriberCount = async (id: string) => (id === 'roadworks' ? EXACT_AUDIENCE_LIMIT : realCount(id));
    let pagesRead = 0;
    const realPage = stores.topicIndex.page.bind(stores.topicIndex);
    stores.topicIndex.page = async (...args: Parameters<typeof realPage>) => {
      pagesRead += 1;
      return realPage(...args);
    };

    // Act
    const broadcast = await createBroadcast(deps, sender, input({ topics: ['traffic', 'roadworks'], filters: { areas: ['CF10'] }, draft: true }));
    const submitted = await submitBroadcast(deps, sender, broadcast.id);

    // Assess
    expect(submitted.audience).toBe(3 + EXACT_AUDIENCE_LIMIT);
    expect(pagesRead).toBe(0);
  });
});
