import { describe, expect, it } from 'vitest';
import { cpuTimes, stolenShare } from '../../bench/host-cpu.js';

describe('bench host CPU: the share of CPU time the host stole', () => {
  it.each([
    ['a quarter of the ticks between the readings stolen', { total: 1_000, steal: 100 }, { total: 1_400, steal: 200 }, 0.25],
    ['none stolen', { total: 1_000, steal: 100 }, { total: 1_400, steal: 100 }, 0],
    ['no time between the readings', { total: 1_000, steal: 100 }, { total: 1_000, steal: 100 }, undefined],
    ['a reading missing (not Linux)', undefined, { total: 1_400, steal: 200 }, undefined],
  ])('%s', (_case, before, after, share) => {
    // Act
    const stolen = stolenShare(before, after);

    // Assess
    expect(stolen).toBe(share);
  });

  it('reads this machine’s counters, steal never more than the total', () => {
    // Act
    const times = cpuTimes();

    // Assess: on Linux, where the tests run; the bench itself also copes with undefined.
    expect(times).toBeDefined();
    expect(times!.steal).toBeGreaterThanOrEqual(0);
    expect(times!.steal).toBeLessThanOrEqual(times!.total);
  });
});
