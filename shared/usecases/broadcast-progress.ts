import type { Broadcast } from '../domain/model.js';
import type { CountsDelta, Stores } from '../ports/stores.js';

/** True when every shard has been fanned out and every targeted recipient has an outcome. */
export function isComplete(broadcast: Broadcast): boolean {
  const { targeted, sent, failed, skipped } = broadcast.counts;
  return broadcast.fanOutPending <= 0 && sent + failed + skipped >= targeted;
}

/** Adds counts and, if that finished the broadcast, marks it sent (once, by a conditional move). */
export async function recordProgress(stores: Stores, broadcastId: string, delta: CountsDelta): Promise<Broadcast> {
  return completeIfDone(stores, await stores.broadcasts.addCounts(broadcastId, delta));
}

/** Marks the broadcast, as it is after a count, sent if that count finished it. */
export async function completeIfDone(stores: Stores, broadcast: Broadcast): Promise<Broadcast> {
  if (broadcast.status === 'sending' && isComplete(broadcast)) {
    await stores.broadcasts.transition(broadcast.id, ['sending'], 'sent');
    return { ...broadcast, status: 'sent' };
  }
  return broadcast;
}
