import type { LocalStack } from '../local/stack.js';
import type { AdminApi } from './admin-api.js';
import type { AwsRequestCounter } from './aws-request-counter.js';
import type { CounterSnapshot } from './request-counts.js';
import type { InvocationRecorder, TimingSnapshot } from './lambda-timing.js';
import type { MachineSampler } from './machine.js';
import type { MemorySample } from './memory.js';
import type { Observer } from './observer.js';
import type { WatchResult } from './progress.js';
import type { summarise } from './report.js';
import type { SeedResult } from './seed-report.js';
import type { TimedPaceWrite } from './timeline.js';
import type { Stall } from './timer-lateness.js';

/* What one cell of the benchmark carries from step to step: the stack it measures, the audience it seeded, the broadcast it sent. */

/** The measured stack and everything the bench hangs on it. */
export interface Bench {
  stack: LocalStack;
  counter: AwsRequestCounter;
  recorder: InvocationRecorder;
  observer: Observer;
  api: AdminApi;
  stackErrors: string[];
  paceWrites: TimedPaceWrite[];
  /** The senders' thread's timer stalls (bench/timer-lateness.ts), reported from there. */
  senderStalls: Stall[];
  snapshot: () => Snapshot;
}

export interface Snapshot {
  counts: CounterSnapshot;
  timing: TimingSnapshot;
  stats: LocalStack['sandbox']['stats'];
}

export interface Audience {
  seed: SeedResult;
  /** Every resident of the broadcast's topics, with the channel listed first for them. */
  expected: Map<string, string>;
  /** Requests made while seeding (left out of the per-recipient figures). */
  seedPhase: ReturnType<typeof summarise>;
}

export interface Sent {
  id: string;
  createdAt: number;
  deadline: number;
  watched: WatchResult;
  baseline: MemorySample;
  liveAfterFanOut: MemorySample | undefined;
  beforeBroadcast: Snapshot;
  afterSends: Snapshot;
  machine: MachineSampler;
}
