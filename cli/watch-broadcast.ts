import type { AdminApi, Broadcast } from './admin-api.js';
import { describeDistance, describeTime } from './broadcast-options.js';
import type { Output } from './output.js';
import { isFinished, progressLine } from './progress-bar.js';

const POLL_INTERVAL_MS = 1_000;
/** A scheduled broadcast starting later than this is not waited for: watching a terminal for an hour helps nobody. */
export const MAX_SCHEDULED_WAIT_MS = 10 * 60_000;
/** The scheduler starts due broadcasts each minute; this long past its time, something is wrong. */
export const OVERDUE_AFTER_MS = 3 * 60_000;

export interface WatchResult {
  data: Broadcast;
  raw: unknown;
  /** Set when the watch ended before the broadcast did, saying why and what to do. */
  stoppedBecause?: string;
}

/**
 * Polls a broadcast every second until it is sent, cancelled or rejected. On a terminal the
 * progress is one line redrawn in place; piped into a file or another program, a line is printed
 * only when something changed, so logs stay readable.
 *
 * Before it sends: a broadcast waiting for approval is waited for (the approver may be a desk
 * away); a scheduled one is waited for when it starts within {@link MAX_SCHEDULED_WAIT_MS},
 * otherwise the watch ends at once saying when to come back; a draft ends the watch (nothing
 * will happen until it is submitted), as does a scheduled broadcast that is well past its start
 * (the scheduler is not running).
 */
export async function watchBroadcast(api: AdminApi, id: string, output: Output, clock: () => Date = () => new Date()): Promise<WatchResult> {
  const live = output.isTerminal && !output.json;
  let lastLine = '';
  // Ctrl-C mid-line would leave the prompt glued to the bar.
  const onInterrupt = () => {
    if (live) output.line();
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  try {
    for (;;) {
      const result = await api.getBroadcast(id);
      const stoppedBecause = reasonToStop(result.data, clock());
      const line = progressLine(result.data);
      if (!output.json && line !== '' && line !== lastLine && stoppedBecause === undefined) {
        if (live) output.write(`\r${line}\x1b[K`);
        else output.line(line);
        lastLine = line;
      }
      if (isFinished(result.data) || stoppedBecause !== undefined) {
        if (live && lastLine) output.line();
        return { ...result, ...(stoppedBecause !== undefined && { stoppedBecause }) };
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

/** Why watching this broadcast any longer would not help, or undefined to keep watching. */
export function reasonToStop(broadcast: Broadcast, now: Date): string | undefined {
  if (broadcast.status === 'draft') return `it is a draft: nothing happens until it is submitted (crier broadcasts submit ${broadcast.id})`;
  if (broadcast.status !== 'scheduled' || broadcast.startsAt === undefined) return undefined;
  const wait = Date.parse(broadcast.startsAt) - now.getTime();
  if (wait > MAX_SCHEDULED_WAIT_MS) {
    return `it starts ${describeDistance(broadcast.startsAt, now)}, more than ${MAX_SCHEDULED_WAIT_MS / 60_000} min away: not waiting that long. Watch it nearer the time with: crier broadcasts status ${broadcast.id} --watch`;
  }
  if (-wait > OVERDUE_AFTER_MS) {
    return `it should have started at ${describeTime(broadcast.startsAt)} (${describeDistance(broadcast.startsAt, now)}); the scheduler starts due broadcasts each minute: is it running?`;
  }
  return undefined;
}
