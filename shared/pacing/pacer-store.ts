/**
 * Where a sender's schedule is kept: one small item per sender, read and written only by
 * conditional writes whose conditions the caller gives (shared/pacing/schedule-rules.ts decides
 * them; shared/pacing/schedule-pacer.ts calls them in turn). The store decides nothing: each method
 * is one atomic step, true to its condition, and says whether it happened.
 * Times are epoch milliseconds.
 */

/** A sender's schedule as stored: the first slot nobody holds, and until when the bulk lane is held off (0: it is not). */
export interface PaceSchedule {
  nextAt: number;
  urgentUntil: number;
}

/** What every booking write carries: whose schedule, now, and the urgent hold's part in it. */
export interface BookingWrite {
  sender: string;
  now: number;
  /** Written as the schedule's `urgentUntil` along with the booking (an urgent broadcast's); absent: left as it is. */
  urgentUntil?: number;
  /** The write happens only if `urgentUntil` is not after `now` (the bulk lane's). */
  unlessUrgent: boolean;
}

export interface PacerStore {
  /**
   * Moves `nextAt` on by `cost`, if it lies between `now` and `latestStart` (both included):
   * the `nextAt` it moved on from, or undefined when the condition failed (no schedule either).
   */
  extend(write: BookingWrite & { cost: number; latestStart: number }): Promise<number | undefined>;
  /** Sets `nextAt` to `end`, if there is no schedule or its `nextAt` is before `now`: true when written. */
  restart(write: BookingWrite & { end: number }): Promise<boolean>;
  /** Sets `nextAt` to `until`, if there is no schedule or its `nextAt` is before `until`; otherwise leaves it. */
  moveTo(sender: string, until: number): Promise<void>;
  /** The schedule as it is now (a strongly consistent read); undefined when there is none. */
  read(sender: string): Promise<PaceSchedule | undefined>;
}
