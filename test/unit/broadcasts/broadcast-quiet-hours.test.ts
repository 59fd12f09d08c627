import { describe, expect, it } from 'vitest';
import { startDueBroadcasts } from '../../../shared/broadcasts/broadcast-start.js';
import { createBroadcast } from '../../../shared/broadcasts/broadcasts.js';
import { broadcastSettings } from '../../support/builders.js';
import { MINUTE, HOUR, sender, setUp, input, tasksFor } from './lifecycle-world.js';

/** The broadcast lifecycle through the use cases. Quiet hours: normal broadcasts held until they end, urgent ones not. */

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
