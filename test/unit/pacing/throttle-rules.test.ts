import { describe, expect, it } from 'vitest';
import { holdAfterThrottle, NO_HOLD, slotGivenUp } from '../../../shared/pacing/throttle-rules.js';

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

describe('slotGivenUp: slots in a pause, or gone by more than half an interval', () => {
  it.each([
    { case: 'due now', at: NOW, hold: NO_HOLD, rate: 10, givenUp: false },
    { case: 'gone by less than half an interval', at: NOW - 49, hold: NO_HOLD, rate: 10, givenUp: false },
    { case: 'gone by more than half an interval', at: NOW - 51, hold: NO_HOLD, rate: 10, givenUp: true },
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
