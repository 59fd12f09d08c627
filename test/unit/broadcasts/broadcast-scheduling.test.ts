import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors.js';
import { errorResponse } from '../../../shared/runtime/http/responses.js';
import { startDueBroadcasts } from '../../../shared/broadcasts/broadcast-start.js';
import { cancelBroadcast, createBroadcast } from '../../../shared/broadcasts/broadcasts.js';
import { getDepartmentLimits } from '../../../shared/usage/department-limits.js';
import { aBroadcast } from '../../support/builders.js';
import { MINUTE, TUESDAY_10AM, sender, setUp, input, tasksFor, inMinutes, caught } from './lifecycle-world.js';

/** The broadcast lifecycle through the use cases. Scheduling: a broadcast wanted later, and the minute scheduler that starts it. */

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
