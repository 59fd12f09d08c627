import { describe, expect, it, vi } from 'vitest';
import type { Broadcast } from '../../../shared/domain/model.js';
import { quietHoursSchema } from '../../../shared/domain/quiet-hours.js';
import { sendWindow } from '../../../shared/sending/send-window.js';
import { logger } from '../../../shared/runtime/logger.js';
import { recordJobProgress } from '../../../shared/broadcasts/broadcast-progress.js';
import { STALLED_AFTER_MS, sweepStalledBroadcasts, type StalledSweepDependencies } from '../../../shared/broadcasts/stalled-broadcasts.js';
import { aBroadcast } from '../../support/builders.js';
import { FixedClock, SequentialIds, inMemoryStores } from '../../support/in-memory-stores.js';

const STARTED = '2025-03-01T10:00:00.000Z';
const PROGRESS = '2025-03-01T10:05:00.000Z';
const MINUTE = 60_000;

/** The sweep `minutesAfterProgress` after the last progress; quiet hours 21:00–08:00 London unless told. */
async function setUp(minutesAfterProgress: number, { quietHours = '21:00-08:00', progressAt = PROGRESS } = {}) {
  const stores = inMemoryStores();
  const clock = new FixedClock(new Date(Date.parse(progressAt) + minutesAfterProgress * MINUTE).toISOString());
  const deps: StalledSweepDependencies = {
    stores,
    clock,
    ids: new SequentialIds(),
    window: sendWindow(quietHoursSchema.parse(quietHours), 'Europe/London'),
  };
  return { deps, stores };
}

/** A sending broadcast to 4, of whom one job counted `sent`, at `at`, through the fast path. */
async function aSendingBroadcast(stores: StalledSweepDependencies['stores'], id: string, sent: number, overrides: Partial<Broadcast> = {}, at = PROGRESS) {
  await stores.broadcasts.create(
    aBroadcast({ id, status: 'sending', priority: 'normal', startsAt: STARTED, counts: { targeted: 4, sent: 0, delivered: 0, undelivered: 0, failed: 0, skipped: 0 }, ...overrides }),
  );
  if (sent > 0) await recordJobProgress(stores, { broadcastId: id, jobId: `${id}-job-1`, delta: { sent }, at });
}

describe('sweepStalledBroadcasts', () => {
  it('settles a stalled broadcast whose counters a crash left short, when its jobs account for everyone', async () => {
    // Prepare: a second job recorded its totals and died before adding them to the counters.
    const { deps, stores } = await setUp(16);
    await aSendingBroadcast(stores, 'bc-short', 3);
    await stores.broadcasts.recordJob('bc-short', 'bc-short-job-2', { sent: 0, failed: 1, skipped: 0, skippedBy: {}, costMicros: 0, costCurrency: undefined }, PROGRESS);
    vi.spyOn(logger, 'info').mockImplementation(() => undefined);

    // Act
    const sweep = await sweepStalledBroadcasts(deps);

    // Assess
    expect(sweep).toEqual({ settled: ['bc-short'], stalled: [] });
    expect(await stores.broadcasts.get('bc-short')).toMatchObject({ status: 'sent', counts: { targeted: 4, sent: 3, failed: 1 } });
  });

  it('reports a stalled broadcast whose jobs do not account for everyone, and leaves it sending', async () => {
    // Prepare
    const { deps, stores } = await setUp(16);
    await aSendingBroadcast(stores, 'bc-dead-letter', 1);
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);

    // Act
    const sweep = await sweepStalledBroadcasts(deps);

    // Assess
    expect(sweep).toEqual({ settled: [], stalled: [{ broadcastId: 'bc-dead-letter', unaccounted: 3, fanOutPending: 0, quietSince: PROGRESS }] });
    expect(warn).toHaveBeenCalledWith(
      'broadcast stalled: recipients unaccounted for are in a dead-letter queue or still queued',
      expect.objectContaining({ broadcastId: 'bc-dead-letter', unaccounted: 3, jobs: 1, targeted: 4 }),
    );
    expect((await stores.broadcasts.get('bc-dead-letter'))?.status).toBe('sending');
  });

  it('measures a broadcast that never counted anyone from its start, and reports an unfinished fan-out', async () => {
    // Prepare
    const { deps, stores } = await setUp(16, { progressAt: STARTED });
    await aSendingBroadcast(stores, 'bc-no-progress', 0, { fanOutPending: 2 });
    vi.spyOn(logger, 'warn').mockImplementation(() => undefined);

    // Act
    const sweep = await sweepStalledBroadcasts(deps);

    // Assess
    expect(sweep.stalled).toEqual([{ broadcastId: 'bc-no-progress', unaccounted: 4, fanOutPending: 2, quietSince: STARTED }]);
  });

  it('leaves alone a broadcast whose counters moved within the threshold, and broadcasts not sending', async () => {
    // Prepare
    const { deps, stores } = await setUp(STALLED_AFTER_MS / MINUTE - 1);
    await aSendingBroadcast(stores, 'bc-busy', 1);
    await stores.broadcasts.create(aBroadcast({ id: 'bc-scheduled', status: 'scheduled', startsAt: STARTED }));
    const sumOfJobs = vi.spyOn(stores.broadcasts, 'sumOfJobs');

    // Act
    const sweep = await sweepStalledBroadcasts(deps);

    // Assess
    expect(sweep).toEqual({ settled: [], stalled: [] });
    expect(sumOfJobs).not.toHaveBeenCalled();
  });

  it.each<[string, string, string, boolean]>([
    ['during quiet hours', '2025-03-01T20:30:00.000Z', '2025-03-01T23:00:00.000Z', false],
    ['less than the threshold after quiet hours end', '2025-03-01T20:30:00.000Z', '2025-03-02T08:10:00.000Z', false],
    ['the threshold after quiet hours end', '2025-03-01T20:30:00.000Z', '2025-03-02T08:16:00.000Z', true],
  ])('takes a normal broadcast held by quiet hours for stalled %s: %s', async (_case, progressAt, sweepAt, stalled) => {
    // Prepare
    const { deps, stores } = await setUp((Date.parse(sweepAt) - Date.parse(progressAt)) / MINUTE, { progressAt });
    await aSendingBroadcast(stores, 'bc-held', 1, {}, progressAt);
    vi.spyOn(logger, 'warn').mockImplementation(() => undefined);

    // Act
    const sweep = await sweepStalledBroadcasts(deps);

    // Assess
    expect(sweep.stalled.map((broadcast) => broadcast.broadcastId)).toEqual(stalled ? ['bc-held'] : []);
  });

  it('does not excuse an urgent broadcast for quiet hours: it is never held', async () => {
    // Prepare
    const { deps, stores } = await setUp(16, { progressAt: '2025-03-01T22:00:00.000Z' });
    await aSendingBroadcast(stores, 'bc-urgent', 1, { priority: 'urgent' }, '2025-03-01T22:00:00.000Z');
    vi.spyOn(logger, 'warn').mockImplementation(() => undefined);

    // Act
    const sweep = await sweepStalledBroadcasts(deps);

    // Assess
    expect(sweep.stalled.map((broadcast) => broadcast.broadcastId)).toEqual(['bc-urgent']);
  });
});
