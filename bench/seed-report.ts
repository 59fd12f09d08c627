import { performance } from 'node:perf_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Resident } from './population.js';

/*
 * What seeding reports: the mode it used, how many residents and subscriptions it wrote and how
 * fast, with a progress line every 5 s while it runs. Both ways of writing (seed-store.ts,
 * seed-batch.ts) report through it, so their figures are measured alike.
 */

export type SeedMode = 'store' | 'batch';

export interface SeedResult {
  mode: SeedMode;
  /** Batch mode: what the comparison with the store found (undefined: items identical). */
  parityProblem?: string;
  residents: number;
  subscriptions: number;
  seconds: number;
  residentsPerSecond: number;
  /** True when seeding ran longer than the time box (the user should pass a smaller --subscribers). */
  overTimeBox: boolean;
}

/** A way of writing the residents (seed-store.ts, seed-batch.ts), and the choice between them (seed.ts). */
export type Seeder = (
  documents: DynamoDBDocumentClient,
  tableName: string,
  shards: number,
  residents: Resident[],
  options: SeedOptions,
) => Promise<SeedResult>;

export interface SeedOptions {
  mode: SeedMode;
  concurrency?: number;
  timeBoxSeconds?: number;
  log: (line: string) => void;
}

/** A time-boxed progress line every 5 s, and one warning if the projected time is over the box. */
export function progressReporter(total: number, { timeBoxSeconds = 180, log }: SeedOptions) {
  const started = performance.now();
  let warned = false;
  let done = 0;
  const timer = setInterval(() => {
    const seconds = (performance.now() - started) / 1000;
    const rate = done / Math.max(seconds, 0.001);
    const projected = total / Math.max(rate, 0.001);
    log(`seeding: ${done}/${total} residents, ${rate.toFixed(0)}/s, ~${Math.max(0, projected - seconds).toFixed(0)} s to go`);
    if (!warned && done > 0 && projected > timeBoxSeconds) {
      warned = true;
      log(
        `seeding ${total} residents will take ~${(projected / 60).toFixed(1)} min on this machine (time box ${timeBoxSeconds / 60} min); ` +
          `for a shorter run pass --subscribers ${Math.max(1000, Math.floor((rate * timeBoxSeconds) / 1000) * 1000)}`,
      );
    }
  }, 5_000);
  return {
    advance: (count: number) => {
      done += count;
    },
    finish: (subscriptions: number, mode: SeedMode): SeedResult => {
      clearInterval(timer);
      const seconds = (performance.now() - started) / 1000;
      return {
        mode,
        residents: done,
        subscriptions,
        seconds,
        residentsPerSecond: done / Math.max(seconds, 0.001),
        overTimeBox: seconds > timeBoxSeconds,
      };
    },
    stop: () => clearInterval(timer),
  };
}
