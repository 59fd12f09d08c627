/**
 * Smooth weighted round-robin (nginx's `upstream` balancer): each pick adds every candidate's
 * weight to its running score, takes the highest, and takes the total off the winner. Over any
 * run of `total weight` picks each candidate gets exactly its share, spread out rather than in
 * bursts (80:20 goes a a a b a a a a b a …), with no randomness to make a test flaky.
 *
 * Chosen over a random draw per message because a sender's batch is small (a few hundred
 * recipients at most): a random draw of 100 at 80:20 lands outside 70–90 about 8 times in a thousand batches, while the
 * round-robin is exact per batch. Its one bias, that every fresh instance starts on the heaviest
 * candidate, is removed by starting each instance at a random point of the cycle (`phase`).
 *
 * Candidates may change between picks (a provider whose breaker opens drops out): the others'
 * scores carry on, so the split among those left stays smooth.
 */
export class SmoothWeightedSplit<Name extends string> {
  private readonly scores = new Map<Name, number>();
  private phased = false;

  /** `phase` gives a number in [0, 1): how far into the first cycle this instance starts. */
  constructor(private readonly phase: () => number = Math.random) {}

  next(candidates: readonly { name: Name; weight: number }[]): Name {
    if (candidates.length === 0) throw new Error('a weighted split needs at least one candidate');
    if (!this.phased) {
      this.phased = true;
      const total = candidates.reduce((sum, candidate) => sum + candidate.weight, 0);
      const skip = Math.floor(Math.min(Math.max(this.phase(), 0), 0.999_999) * total);
      for (let i = 0; i < skip; i += 1) this.pick(candidates);
    }
    return this.pick(candidates);
  }

  private pick(candidates: readonly { name: Name; weight: number }[]): Name {
    let total = 0;
    let best: { name: Name; score: number } | undefined;
    for (const { name, weight } of candidates) {
      total += weight;
      const score = (this.scores.get(name) ?? 0) + weight;
      this.scores.set(name, score);
      if (!best || score > best.score) best = { name, score };
    }
    if (!best) throw new Error('a weighted split needs at least one candidate');
    this.scores.set(best.name, best.score - total);
    return best.name;
  }
}
