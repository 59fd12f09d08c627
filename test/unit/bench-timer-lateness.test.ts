import { describe, expect, it, vi } from 'vitest';
import { lateShareBetween, TimerLateness, type Stall } from '../../bench/timer-lateness.js';

const FROM = Date.parse('2026-12-07T09:00:00.000Z');

describe('lateShareBetween: the share of a window in which a timer ran later than a send may leave', () => {
  it.each([
    { case: 'no stall', stalls: [], toleranceMs: 20, share: 0 },
    { case: 'a stall within the tolerance costs nothing', stalls: [{ at: FROM + 500, ms: 19 }], toleranceMs: 20, share: 0 },
    { case: 'a 120 ms stall at 20 ms tolerance: 100 ms of a second', stalls: [{ at: FROM + 500, ms: 120 }], toleranceMs: 20, share: 0.1 },
    { case: 'several stalls add up', stalls: [{ at: FROM + 100, ms: 70 }, { at: FROM + 900, ms: 70 }], toleranceMs: 20, share: 0.1 },
    { case: 'a stall that ended outside the window is not counted', stalls: [{ at: FROM + 1_500, ms: 500 }], toleranceMs: 20, share: 0 },
    { case: 'never more than the whole window', stalls: [{ at: FROM + 999, ms: 5_000 }], toleranceMs: 20, share: 1 },
  ])('$case', ({ stalls, toleranceMs, share }) => {
    // Act
    const late = lateShareBetween(stalls as Stall[], FROM, FROM + 1_000, toleranceMs);

    // Assess
    expect(late).toBeCloseTo(share, 9);
  });

  it('an empty window has no share', () => {
    // Act
    const late = lateShareBetween([], FROM, FROM, 20);

    // Assess
    expect(late).toBeUndefined();
  });
});

describe('TimerLateness: sees the event loop held up', () => {
  it('records a stall at least as long as the thread was kept busy', async () => {
    // Prepare
    const probe = new TimerLateness();
    probe.start();
    await new Promise((resolve) => setTimeout(resolve, 10));

    // Act: hold the one JavaScript thread for 60 ms, then let the probe's timer run
    const busyUntil = performance.now() + 60;
    while (performance.now() < busyUntil);

    // Assess: once the probe's timer has run, its longest stall covers the 60 ms (a tick early at most)
    await vi.waitFor(() => expect(Math.max(0, ...probe.stalls.map((stall) => stall.ms))).toBeGreaterThanOrEqual(58));
    probe.stop();
  });
});
