import { describe, expect, it } from 'vitest';
import { judgeRateRefusals } from '../../bench/rate-refusals.js';
import type { RateRefusal } from '../../local/sandbox.js';

const T = 1_800_000_000_000;

/** A refusal of `refused` arriving at T + `arrivedAfter`, in the window `opener` opened at T. */
function refusal(refused: string, arrivedAfter: number, opener = 'opener'): RateRefusal {
  return { messageId: refused, arrivedAt: T + arrivedAfter, windowOpenedBy: { messageId: opener, arrivedAt: T } };
}

describe('bench: a 429 for the rate, judged by when its sends left the sender', () => {
  it.each([
    ['left over a second after the opener, which arrived late: the journey bunched them', { opener: [T - 40], refused: [T + 990] }, 1, 0],
    ['left exactly a second after the opener', { opener: [T - 10], refused: [T + 990] }, 1, 0],
    ['left within a second of the opener: the pacing let them bunch', { opener: [T - 2], refused: [T + 970] }, 0, 0],
    ['the refused send retried later: the attempt that arrived then is the one judged', { opener: [T - 2], refused: [T + 970, T + 1500] }, 0, 0],
    ['the opener was itself a retry: its attempt that arrived then is the one judged', { opener: [T - 2_000, T - 40], refused: [T + 990] }, 1, 0],
    ['no departure recorded for the opener: neither', { refused: [T + 990] }, 0, 1],
  ] as const)('%s', (_case, departures, apart, unknown) => {
    // Prepare
    const left = new Map(Object.entries(departures));

    // Act
    const judged = judgeRateRefusals([refusal('refused', 995)], left);

    // Assess
    expect(judged).toEqual({ refusals: 1, leftOverASecondApart: apart, unknown });
  });

  it('counts nothing when there was no 429', () => {
    // Act
    const judged = judgeRateRefusals([], new Map());

    // Assess
    expect(judged).toEqual({ refusals: 0, leftOverASecondApart: 0, unknown: 0 });
  });
});
