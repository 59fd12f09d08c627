/*
 * How late this process runs its timers. The local stack is one Node process: when its one
 * JavaScript thread is busy (dynalite, the SQS emulator, receipts, every function), a sender's
 * timer for its next slot fires late, and a send that would leave too late gives its slot up
 * (shared/pacing/throttle-rules.ts). In AWS each function has a process of its own. Event-loop
 * utilisation says how busy the thread was, not whether that made timers late; this says how long
 * they were late for, so the bench can count the slots the machine, not the engine, cost.
 *
 * Written by hand: perf_hooks.monitorEventLoopDelay gives a histogram for the whole run, not the
 * stretches of it a window needs; a timer chain gives both at one timer per TICK_MS.
 */

/** How often the probe asks to run: often enough to see a stall of a few milliseconds. */
const TICK_MS = 2;
/** Stalls shorter than this are not kept (every tick is a millisecond or so late at best). */
const KEPT_FROM_MS = 2;

/** A stretch in which no timer could run: it ended at `at` (epoch ms) and lasted `ms`. */
export interface Stall {
  at: number;
  ms: number;
}

export class TimerLateness {
  readonly stalls: Stall[] = [];
  private timer: NodeJS.Timeout | undefined;
  private due = 0;

  start(): void {
    this.due = performance.now() + TICK_MS;
    this.schedule();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      const now = performance.now();
      const late = now - this.due;
      if (late >= KEPT_FROM_MS) this.stalls.push({ at: Date.now(), ms: late });
      this.due = now + TICK_MS;
      this.schedule();
    }, TICK_MS);
    this.timer.unref();
  }
}

/**
 * The share of [from, to] in which a timer due then ran more than `toleranceMs` late: a stall of
 * `ms` makes every timer due in its first `ms − toleranceMs` late by more than the tolerance.
 * Stalls are counted by when they ended; one that ended in the window counts in full.
 */
export function lateShareBetween(stalls: readonly Stall[], from: number, to: number, toleranceMs: number): number | undefined {
  if (to <= from) return undefined;
  const late = stalls
    .filter((stall) => stall.at >= from && stall.at <= to)
    .reduce((sum, stall) => sum + Math.max(0, stall.ms - toleranceMs), 0);
  return Math.min(1, late / (to - from));
}
