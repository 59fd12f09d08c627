import { describe, expect, it } from 'vitest';
import { cellResidents, sweepCells } from '../../bench/sweep-cells.js';

describe('bench sweep cells: residents sized for about a minute of the busiest sender, within 1,000–10,000', () => {
  it.each([
    [5, 1_000],
    [10, 1_000],
    [20, 1_412],
    [40, 2_824],
    [100, 7_059],
    [200, 10_000],
  ])('%i msg/s: %i residents', (rate, residents) => {
    // Act
    const sized = cellResidents(rate);

    // Assess
    expect(sized).toBe(residents);
  });

  it('one cell per rate and latency, rates outermost', () => {
    // Act
    const cells = sweepCells([10, 40], [0, 300]);

    // Assess
    expect(cells).toEqual([
      { rate: 10, latencyMs: 0, residents: 1_000 },
      { rate: 10, latencyMs: 300, residents: 1_000 },
      { rate: 40, latencyMs: 0, residents: 2_824 },
      { rate: 40, latencyMs: 300, residents: 2_824 },
    ]);
  });
});
