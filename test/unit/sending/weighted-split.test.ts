import { describe, expect, it } from 'vitest';
import { SmoothWeightedSplit } from '../../../shared/sending/weighted-split.js';

function picks(split: SmoothWeightedSplit<string>, candidates: { name: string; weight: number }[], count: number): string[] {
  return Array.from({ length: count }, () => split.next(candidates));
}

function tally(names: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of names) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

describe('SmoothWeightedSplit', () => {
  it('gives each provider exactly its share of every cycle, spread out rather than in a burst', () => {
    // Prepare
    const split = new SmoothWeightedSplit<string>(() => 0);

    // Act
    const cycle = picks(split, [{ name: 'twilio', weight: 4 }, { name: 'aws-sms', weight: 1 }], 5);

    // Assess: nginx's smooth sequence for 4:1.
    expect(cycle).toEqual(['twilio', 'twilio', 'aws-sms', 'twilio', 'twilio']);
  });

  it.each([
    [[80, 20], 1000],
    [[70, 20, 10], 1000],
    [[1, 100], 1010],
    [[33, 33, 34], 100],
  ])('splits %o over %i picks within one message of the weights, from any starting phase', (weights, count) => {
    // Prepare
    const candidates = weights.map((weight, i) => ({ name: `p${i}`, weight }));
    const total = weights.reduce((sum, weight) => sum + weight, 0);

    for (const phase of [0, 0.37, 0.999]) {
      // Act
      const counts = tally(picks(new SmoothWeightedSplit<string>(() => phase), candidates, count));

      // Assess
      for (const { name, weight } of candidates) expect(Math.abs((counts[name] ?? 0) - (count * weight) / total)).toBeLessThanOrEqual(1);
    }
  });

  it('moves a provider\'s share to the others while it is left out, and splits by weight again when it is back', () => {
    // Prepare
    const split = new SmoothWeightedSplit<string>(() => 0);
    const all = [{ name: 'a', weight: 50 }, { name: 'b', weight: 30 }, { name: 'c', weight: 20 }];
    picks(split, all, 37);

    // Act
    const withoutA = tally(picks(split, all.filter(({ name }) => name !== 'a'), 500));
    const allAgain = tally(picks(split, all, 1000));

    // Assess
    expect(withoutA).toEqual({ b: 300, c: 200 });
    expect(Math.abs((allAgain.a ?? 0) - 500)).toBeLessThanOrEqual(50);
    expect(Math.abs((allAgain.b ?? 0) - 300)).toBeLessThanOrEqual(50);
    expect(Math.abs((allAgain.c ?? 0) - 200)).toBeLessThanOrEqual(50);
  });

  it('starts an instance part-way into the cycle, so short-lived instances do not all favour the heaviest', () => {
    // Prepare
    const candidates = [{ name: 'heavy', weight: 80 }, { name: 'light', weight: 20 }];

    // Act: the first pick of instances started at every phase.
    const firsts = tally(Array.from({ length: 100 }, (_, i) => new SmoothWeightedSplit<string>(() => i / 100).next(candidates)));

    // Assess
    expect(firsts).toEqual({ heavy: 80, light: 20 });
  });
});
