import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retryDelaySeconds, type Backoff } from '../../shared/domain/retry-policy.js';

/** Doubling from 2 s, capped at 15 minutes. */
const backoff: Backoff = { baseSeconds: 2, capSeconds: 900 };
/** Just below 1: `random()` never returns 1 itself. */
const HIGHEST = 1 - Number.EPSILON;

describe('retryDelaySeconds', () => {
  it.each([
    [1, 2],
    [2, 4],
    [3, 8],
    [4, 16],
    [5, 32],
    [6, 64],
    [7, 128],
    [8, 256],
    [9, 512],
    [10, 900],
    [11, 900],
    [100, 900],
    [5000, 900],
  ])('after receive %i the delay is at most %i s (doubling from 2 s, capped at 15 min)', (receiveCount, ceiling) => {
    // Prepare
    const highest = () => HIGHEST;

    // Act
    const delay = retryDelaySeconds(backoff, receiveCount, highest);

    // Assess
    expect(delay).toBe(ceiling);
  });

  it.each([0, -1, -50])('treats a receive count of %i as the first', (receiveCount) => {
    // Prepare
    const highest = () => HIGHEST;

    // Act
    const delay = retryDelaySeconds(backoff, receiveCount, highest);

    // Assess
    expect(delay).toBe(2);
  });

  it.each([
    [0.5, 4, 8],
    [0.25, 4, 4],
    [0.5, 20, 450],
    [0.1, 6, 6],
  ])('jitters with the injected random: %f of the ceiling at receive %i is %i s', (random, receiveCount, expected) => {
    // Prepare
    const fixed = () => random;

    // Act
    const delay = retryDelaySeconds(backoff, receiveCount, fixed);

    // Assess
    expect(delay).toBe(expected);
  });

  it('never waits less than a second, even when random() is 0', () => {
    // Prepare
    const lowest = () => 0;

    // Act
    const delays = [1, 2, 10, 50].map((receiveCount) => retryDelaySeconds(backoff, receiveCount, lowest));

    // Assess
    expect(delays).toEqual([1, 1, 1, 1]);
  });

  it('stays within 1 s and 900 s, and within its ceiling, for any receive count and any random', () => {
    // Prepare
    const receiveCount = fc.integer({ min: -10, max: 10_000 });
    const random = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

    // Act / Assess
    fc.assert(
      fc.property(receiveCount, random, (count, r) => {
        const delay = retryDelaySeconds(backoff, count, () => r);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(1);
        expect(delay).toBeLessThanOrEqual(Math.min(900, 2 ** Math.max(1, count)));
      }),
    );
  });

  it('never shrinks as the receive count grows, for the same random draw', () => {
    // Prepare
    const random = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

    // Act / Assess
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), random, (count, r) => {
        expect(retryDelaySeconds(backoff, count + 1, () => r)).toBeGreaterThanOrEqual(retryDelaySeconds(backoff, count, () => r));
      }),
    );
  });
});
