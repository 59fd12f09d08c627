import type { Broadcast } from '../domain/model.js';
import { logger } from '../runtime/logger.js';
import { settleFromJobs } from './broadcast-progress.js';
import type { CoreDependencies, SendWindow } from '../ports/dependencies.js';

/**
 * How long a sending broadcast's counters may stand still before the sweeper looks at it. Longer
 * than a send batch can take (a paced batch takes seconds, a retried one minutes of backoff), so
 * a broadcast still under way is left alone.
 */
export const STALLED_AFTER_MS = 15 * 60_000;

export interface StalledSweepDependencies extends CoreDependencies {
  window: Pick<SendWindow, 'heldUntil'>;
}

export interface StalledBroadcast {
  broadcastId: string;
  unaccounted: number;
  fanOutPending: number;
  /** When its counters last moved (or it started, if they never did). */
  quietSince: string;
}

/**
 * The scheduler's minute, after starting what is due: a broadcast still sending whose counters
 * have not moved for `stalledAfterMs` gets the exact rollup of its jobs. It is marked sent when
 * that accounts for everyone (the fast counters were left short by a sender that died between
 * recording its job and adding to them, or before its completion check). Otherwise the recipients
 * nobody has counted are in a dead-letter queue or still queued: a warning says how many, every
 * minute until someone redrives them. It never sends, nor counts anyone itself.
 */
export async function sweepStalledBroadcasts(
  deps: StalledSweepDependencies,
  stalledAfterMs = STALLED_AFTER_MS,
): Promise<{ settled: string[]; stalled: StalledBroadcast[] }> {
  const now = deps.clock.now();
  const settled: string[] = [];
  const stalled: StalledBroadcast[] = [];
  for (const broadcast of await deps.stores.broadcasts.sending()) {
    const quietSince = lastMoveOf(broadcast);
    if (!isStalled(deps, broadcast, quietSince, now, stalledAfterMs)) continue;
    const settlement = await settleFromJobs(deps.stores, broadcast);
    if (settlement.settled) {
      settled.push(broadcast.id);
      continue;
    }
    const { unaccounted, fanOutPending, jobs } = settlement;
    stalled.push({ broadcastId: broadcast.id, unaccounted, fanOutPending, quietSince });
    logger.warn('broadcast stalled: recipients unaccounted for are in a dead-letter queue or still queued', {
      broadcastId: broadcast.id,
      unaccounted,
      fanOutPending,
      jobs,
      targeted: broadcast.counts.targeted,
      quietSince,
    });
  }
  if (settled.length > 0) logger.info('stalled broadcasts settled from their jobs', { settled });
  return { settled, stalled };
}

function lastMoveOf(broadcast: Broadcast): string {
  return broadcast.lastProgressAt ?? broadcast.startsAt ?? broadcast.createdAt;
}

/**
 * Quiet hours are no stall: batches held for them wait untouched, so a broadcast is not stalled
 * while they last, nor until `stalledAfterMs` after they end.
 */
function isStalled(deps: StalledSweepDependencies, broadcast: Broadcast, quietSince: string, now: Date, stalledAfterMs: number): boolean {
  const since = new Date(now.getTime() - stalledAfterMs);
  if (Date.parse(quietSince) > since.getTime()) return false;
  return deps.window.heldUntil(broadcast.priority, now) === undefined && deps.window.heldUntil(broadcast.priority, since) === undefined;
}
