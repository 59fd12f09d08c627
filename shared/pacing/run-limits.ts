/*
 * The time limits of one sending function's run: when it stops starting sends, how many it keeps
 * in hand, and how long a job held back for later stays hidden in its queue.
 */

/** Left of a function's time when it stops starting sends: the ones in flight must finish and be recorded. */
export const DEADLINE_MARGIN_MS = 10_000;
/**
 * Residents one run works on at once at most. Not a sizing: each run sizes itself from its
 * sender's rate and what it measures (shared/sending/send-pipeline.ts). Only a bound, should a
 * provider stop answering (100 msg/s at a 2.5 s answer time would reach it).
 */
export const MAX_IN_FLIGHT_SENDS = 256;
/** SQS's longest visibility timeout. */
const MAX_VISIBILITY_SECONDS = 12 * 3600 - 60;

/** The epoch ms by which every send a run starts must have started: its function's deadline less the margin. */
export function sendDeadlineOf(runDeadline: number): number {
  return runDeadline - DEADLINE_MARGIN_MS;
}

/**
 * How long a job held until `until` (quiet hours' end) stays hidden in its queue: at least a
 * second, at most SQS's longest visibility timeout (quiet hours are shorter).
 */
export function heldForSeconds(until: Date, now: number): number {
  const seconds = Math.ceil((until.getTime() - now) / 1000);
  return Math.min(Math.max(seconds, 1), MAX_VISIBILITY_SECONDS);
}
