import type { Broadcast, BroadcastCounts, BroadcastStatus, SkipReason } from '../domain/model.js';
import type { JobTotals } from './job-totals.js';
import type { Page } from '../ports/page.js';

/**
 * Where broadcasts are kept: the broadcast item and its lifecycle moves, the small COUNTS item of
 * its outcome counters, each fan-out task's checkpoint and each send job's totals.
 */

/**
 * What a send batch or a receipt adds to a broadcast's outcome counters. They live in a small
 * item of their own (not on the broadcast, whose fan-out checkpoints make it ~2 KB), so that each
 * addition costs one write unit.
 */
export interface CountsDelta {
  sent?: number;
  delivered?: number;
  undelivered?: number;
  failed?: number;
  /** Every skip, whatever its reason; `skippedBy` splits it where the reason is known. */
  skipped?: number;
  skippedBy?: Partial<Record<SkipReason, number>>;
  /**
   * Estimated cost of the messages sent, in whole micro-units of `costCurrency` (see
   * shared/domain/costs.ts): added in the same write as the counts, never one write per message.
   */
  costMicros?: number;
  costCurrency?: string;
}

/** What one fan-out page adds on the broadcast item, in the same write as its checkpoint. */
export interface FanOutDelta {
  targeted?: number;
  /** Shard tasks finished. */
  fanOutDone?: number;
}

/** A broadcast's outcome counters as they stand (its COUNTS item). */
export interface BroadcastTally {
  counts: Omit<BroadcastCounts, 'targeted'>;
  cost: Broadcast['cost'];
  lastProgressAt: string | undefined;
}

/** How recording a job's totals went. */
export type JobRecording =
  /** Stored; `previous` is what the job's item held before (undefined for its first record). */
  | { recorded: true; previous: JobTotals | undefined }
  /** Not stored: the job's item already holds totals with more recipients done (a later run's). */
  | { recorded: false };

export interface BroadcastStore {
  create(broadcast: Broadcast): Promise<void>;
  get(id: string): Promise<Broadcast | undefined>;
  /** Moves the status only from one of `from`, with `changes` in the same write; false when it was elsewhere. */
  transition(id: string, from: readonly BroadcastStatus[], to: BroadcastStatus, changes?: BroadcastChanges): Promise<boolean>;
  /** Newest first; a department's own (or every one for `*`), optionally in one status. */
  list(query: BroadcastQuery): Promise<Page<Broadcast>>;
  /** Puts a released broadcast on the scheduler's list, to start at `startsAt`. */
  scheduleStart(id: string, startsAt: string): Promise<void>;
  /** Scheduled starts due at `now` or before, oldest first. */
  dueToStart(now: string, limit: number): Promise<ScheduledStart[]>;
  /** Takes a start off the scheduler's list (done, or the broadcast was cancelled). */
  clearScheduledStart(start: ScheduledStart): Promise<void>;
  /**
   * Adds to the outcome counters atomically, one write to the small COUNTS item (never the
   * broadcast item), and returns them as they are afterwards; `progressAt` (a send job's, not a
   * receipt's) becomes their `lastProgressAt`. Undefined when the broadcast has no counters
   * (it does not exist, or was made before counters had an item of their own).
   */
  addCounts(id: string, delta: CountsDelta, progressAt?: string): Promise<BroadcastTally | undefined>;
  /**
   * How far the receipt counters have counted one shard of the table's change stream: the last
   * sequence number counted from it, undefined before the first (read strongly).
   */
  receiptsCountedUpTo(id: string, shard: string): Promise<string | undefined>;
  /**
   * Adds receipts to the counters and moves the shard's position from `from` to `upTo`, in one
   * conditional write: false, and nothing added, when the position was no longer `from`;
   * undefined when the broadcast has no counters.
   */
  addReceiptCounts(
    id: string,
    shard: string,
    from: string | undefined,
    upTo: string,
    delta: Pick<CountsDelta, 'delivered' | 'undelivered'>,
  ): Promise<boolean | undefined>;
  /** Where one fan-out task (a topic shard) has got to; undefined before its first page. */
  fanOutCheckpoint(id: string, topicId: string, shard: number): Promise<FanOutCheckpoint | undefined>;
  /**
   * Moves a fan-out task's checkpoint from `from` to `to` and adds `delta` to the broadcast's
   * targeted and pending counts, in one atomic write; undefined, and nothing added, when the
   * checkpoint was no longer at `from` (another delivery of the same task got there first). So a
   * task SQS delivers twice, or retries after a failure part-way, counts each page and its own
   * completion once. Returns the broadcast afterwards, with its outcome counters.
   */
  advanceFanOut(
    id: string,
    step: { topicId: string; shard: number; from: FanOutCheckpoint | undefined; to: FanOutCheckpoint },
    delta: FanOutDelta,
  ): Promise<Broadcast | undefined>;
  /**
   * Overwrites one send job's totals (its JOB# item) and returns what it held before, so the
   * caller adds only the difference to the counters. Refused (nothing written) when the item
   * already holds more recipients done (sent + failed + skipped) than `totals`: a run's stale
   * totals never replace a later run's, so a job's item only ever grows.
   */
  recordJob(id: string, jobId: string, totals: JobTotals, at: string): Promise<JobRecording>;
  /** The exact rollup: every job's totals summed, read strongly. */
  sumOfJobs(id: string): Promise<{ jobs: number; totals: JobTotals }>;
  /**
   * Sets the outcome counters (sent, failed, skipped and its reasons, cost) to exact values, as
   * absolute values (so repeating it is harmless); delivered and undelivered, receipt-driven, stay.
   */
  settleCounts(id: string, totals: JobTotals): Promise<void>;
  /**
   * Every broadcast now sending (there are few at a time), for the sweeper. A broadcast is on
   * this list from before its move to sending until after its move away, so none is missed; one
   * found no longer sending (a move that failed or stopped part-way) is taken off as it is found.
   */
  sending(): Promise<Broadcast[]>;
  delete(id: string): Promise<void>;
  /** The latest broadcasts to a topic, newest first (to link a resident's reply to one). */
  recentForTopic(topicId: string, limit: number): Promise<{ broadcastId: string; createdAt: string }[]>;
}

/** What a move of a broadcast may set alongside its status. */
type ChangeableBroadcastField =
  'approvedBy' | 'approvedAt' | 'rejectedBy' | 'rejectionReason' | 'cancelledBy' | 'cancelledAt' | 'startsAt' | 'approval' | 'audience' | 'capDay';
/** `null` removes a field (an approval taken back when its start failed). */
export type BroadcastChanges = { [K in ChangeableBroadcastField]?: Broadcast[K] | null };

export interface BroadcastQuery {
  /** `*` for every department (operators). */
  department: string;
  status?: BroadcastStatus;
  limit: number;
  cursor: string | undefined;
}

export interface ScheduledStart {
  broadcastId: string;
  startsAt: string;
}

/** A fan-out task's progress: the next index page to read, or done. */
export type FanOutCheckpoint =
  | { done: false; cursor: string; /** The last phone enqueued, so a resumed task still enqueues each resident once. */ lastPhone: string | undefined }
  | { done: true };
