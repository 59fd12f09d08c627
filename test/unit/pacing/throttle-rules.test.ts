import { describe, expect, it } from 'vitest';
import { holdAfterThrottle, lateSendToleranceMs, NO_HOLD, slotGivenUp, WINDOW_SLACK_MS } from '../../../shared/pacing/throttle-rules.js';

const NOW = Date.parse('2025-03-01T09:00:00.000Z');

describe('holdAfterThrottle: the pause a 429 calls for', () => {
  it.each([
    { case: 'first 429 at 9.8 a second: two slots', last: NO_HOLD, rate: 9.8, hold: { holdMs: 2000 / 9.8, endsAt: NOW + 2000 / 9.8 } },
    { case: 'first 429 at 98 a second: 100 ms at least', last: NO_HOLD, rate: 98, hold: { holdMs: 100, endsAt: NOW + 100 } },
    { case: 'first 429, unmetered: a second', last: NO_HOLD, rate: undefined, hold: { holdMs: 1_000, endsAt: NOW + 1_000 } },
    { case: 'soon after the last pause: doubles', last: { holdMs: 200, endsAt: NOW - 10 }, rate: 9.8, hold: { holdMs: 400, endsAt: NOW + 400 } },
    { case: 'doubling stops at a second', last: { holdMs: 800, endsAt: NOW - 10 }, rate: 9.8, hold: { holdMs: 1_000, endsAt: NOW + 1_000 } },
    { case: 'long after the last pause: a first again', last: { holdMs: 800, endsAt: NOW - 5_000 }, rate: 98, hold: { holdMs: 100, endsAt: NOW + 100 } },
    { case: 'during the last pause: nothing changes', last: { holdMs: 200, endsAt: NOW + 50 }, rate: 9.8, hold: undefined },
  ])('$case', ({ last, rate, hold }) => {
    // Act
    const next = holdAfterThrottle(last, NOW, rate);

    // Assess
    if (hold === undefined) expect(next).toBeUndefined();
    else expect(next).toEqual({ holdMs: expect.closeTo(hold.holdMs, 9), endsAt: expect.closeTo(hold.endsAt, 3) });
  });
});

describe('lateSendToleranceMs: half an interval, at most the window\'s slack', () => {
  it.each([
    { case: '4.9 a second: the slack, not 102 ms', rate: 4.9, toleranceMs: 1000 / 0.98 - 1000 },
    { case: '19.6 a second: the slack, not 25.5 ms', rate: 19.6, toleranceMs: 1000 / 0.98 - 1000 },
    { case: '39.2 a second: half an interval', rate: 39.2, toleranceMs: 500 / 39.2 },
    { case: '98 a second: half an interval', rate: 98, toleranceMs: 500 / 98 },
  ])('$case', ({ rate, toleranceMs }) => {
    // Act
    const tolerance = lateSendToleranceMs(rate);

    // Assess
    expect(tolerance).toBeCloseTo(toleranceMs, 9);
  });

  it('is the time a rate of N sends leaves beyond one second, so a late first send cannot share a window with the N+1th', () => {
    // Prepare: N sends a second, paced less the headroom; the first leaves the slack late.
    const perSecond = 10;
    const interval = 1000 / (perSecond * 0.98);

    // Act: when the N+1th slot comes after the late first send
    const gap = perSecond * interval - WINDOW_SLACK_MS;

    // Assess: a full second later, so a provider's fixed window opened by the late send has closed
    expect(gap).toBeCloseTo(1000, 9);
  });
});

describe('slotGivenUp: slots in a pause, or gone by longer than a send may be late', () => {
  it.each([
    { case: 'due now', at: NOW, hold: NO_HOLD, rate: 10, givenUp: false },
    { case: 'gone by less than the window\'s slack', at: NOW - 20, hold: NO_HOLD, rate: 9.8, givenUp: false },
    { case: 'gone by more than the slack, less than half an interval', at: NOW - 21, hold: NO_HOLD, rate: 9.8, givenUp: true },
    { case: 'fast rate: gone by less than half an interval', at: NOW - 5, hold: NO_HOLD, rate: 98, givenUp: false },
    { case: 'fast rate: gone by more than half an interval', at: NOW - 5.2, hold: NO_HOLD, rate: 98, givenUp: true },
    { case: 'inside a pause', at: NOW + 100, hold: { holdMs: 200, endsAt: NOW + 200 }, rate: 10, givenUp: true },
    { case: 'at the pause\'s end', at: NOW + 200, hold: { holdMs: 200, endsAt: NOW + 200 }, rate: 10, givenUp: false },
    { case: 'unmetered, inside a pause', at: NOW - 1_000, hold: { holdMs: 1_000, endsAt: NOW + 200 }, rate: undefined, givenUp: false },
  ])('$case', ({ at, hold, rate, givenUp }) => {
    // Act
    const given = slotGivenUp(at, NOW, hold, rate);

    // Assess
    expect(given).toBe(givenUp);
  });
});
