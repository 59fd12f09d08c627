import { fanOutTasksFor } from './fan-out-tasks.js';
import { ConflictError } from '../domain/errors.js';
import { refusalFor } from './broadcast-lifecycle.js';
import type { Broadcast, BroadcastStatus } from '../domain/model.js';
import { logger } from '../runtime/logger.js';
import { releaseDailyCap, reserveDailyCap } from '../usage/department-limits.js';
import type { BroadcastDependencies, BroadcastStartDependencies } from '../ports/dependencies.js';

/** What the submission or approval that releases a broadcast records with it. */
type ReleaseChanges = Partial<Pick<Broadcast, 'approval' | 'approvedBy' | 'approvedAt'>> & { audience: number };

/** Scheduled starts taken per scheduler run; the rest wait a minute for the next. */
const STARTS_PER_RUN = 25;

/**
 * Lets a submitted (and, where needed, approved) broadcast go: counted against its departments'
 * daily caps for the day it starts, then scheduled if its time (or the end of quiet hours) is
 * still to come, or started now. Returns the broadcast as it is afterwards.
 */
export async function releaseBroadcast(
  deps: BroadcastDependencies,
  broadcast: Broadcast,
  from: BroadcastStatus,
  changes: ReleaseChanges,
): Promise<Broadcast> {
  const now = deps.clock.now();
  const wanted = broadcast.sendAt !== undefined && Date.parse(broadcast.sendAt) > now.getTime() ? new Date(broadcast.sendAt) : now;
  const startsAt = deps.window.earliestStart(broadcast.priority, wanted);
  const capDay = deps.window.dayOf(startsAt);
  await reserveDailyCap(deps, broadcast, changes.audience, capDay);
  const released = { ...changes, startsAt: startsAt.toISOString(), capDay };
  try {
    if (startsAt.getTime() > now.getTime()) {
      // On the scheduler's list before the status says scheduled: a start whose broadcast is not
      // scheduled is simply dropped by the scheduler, while the other order could lose the start.
      await deps.stores.broadcasts.scheduleStart(broadcast.id, released.startsAt);
      if (!(await deps.stores.broadcasts.transition(broadcast.id, [from], 'scheduled', released))) {
        await deps.stores.broadcasts.clearScheduledStart({ broadcastId: broadcast.id, startsAt: released.startsAt });
        throw new ConflictError(await refusalNow(deps, broadcast.id, from));
      }
      return { ...broadcast, ...released, status: 'scheduled' };
    }
    if (!(await deps.stores.broadcasts.transition(broadcast.id, [from], 'sending', released))) {
      throw new ConflictError(await refusalNow(deps, broadcast.id, from));
    }
    try {
      await startFanOut(deps, broadcast);
    } catch (error) {
      // Nothing half-done: the broadcast goes back to where it was, to be released again, without
      // the approval and start this attempt gave it.
      await deps.stores.broadcasts.transition(broadcast.id, ['sending'], from, {
        startsAt: null,
        capDay: null,
        ...(changes.approvedBy !== undefined ? { approvedBy: null, approvedAt: null } : {}),
      });
      throw error;
    }
    return { ...broadcast, ...released, status: 'sending' };
  } catch (error) {
    await releaseDailyCap(deps, { ...broadcast, ...released });
    throw error;
  }
}

/**
 * The scheduler's minute: starts every scheduled broadcast whose time has come. A start stays on
 * the list until its broadcast is sending, so a run that dies part-way is finished by the next
 * (fan-out tasks sent twice are harmless: each shard keeps its own checkpoint).
 */
export async function startDueBroadcasts(deps: BroadcastStartDependencies): Promise<{ started: string[]; held: string[] }> {
  const now = deps.clock.now();
  const started: string[] = [];
  const held: string[] = [];
  for (const start of await deps.stores.broadcasts.dueToStart(now.toISOString(), STARTS_PER_RUN)) {
    const broadcast = await deps.stores.broadcasts.get(start.broadcastId);
    if (broadcast?.status === 'scheduled') {
      // Quiet hours may have begun since it was scheduled (a setting changed): it waits again.
      const startsAt = deps.window.earliestStart(broadcast.priority, now);
      if (startsAt.getTime() > now.getTime()) {
        await deps.stores.broadcasts.scheduleStart(broadcast.id, startsAt.toISOString());
        await deps.stores.broadcasts.transition(broadcast.id, ['scheduled'], 'scheduled', { startsAt: startsAt.toISOString() });
        await deps.stores.broadcasts.clearScheduledStart(start);
        held.push(broadcast.id);
        continue;
      }
      if (!(await deps.stores.broadcasts.transition(broadcast.id, ['scheduled'], 'sending'))) continue;
      await startFanOut(deps, broadcast);
      started.push(broadcast.id);
    } else if (broadcast?.status === 'sending') {
      // A run died between the move to sending and the fan-out: send the tasks again.
      await startFanOut(deps, broadcast);
    }
    await deps.stores.broadcasts.clearScheduledStart(start);
  }
  if (started.length + held.length > 0) logger.info('scheduled broadcasts', { started, held });
  return { started, held };
}

/** Fan-out tasks for each topic's shards, each task reading its shards side by side (fanOutTasksFor). */
export async function startFanOut(deps: BroadcastStartDependencies, broadcast: Broadcast): Promise<void> {
  await deps.fanOutTasks.send(fanOutTasksFor(broadcast.id, broadcast.topics, deps.topicShards));
}

async function refusalNow(deps: BroadcastStartDependencies, id: string, expected: BroadcastStatus): Promise<string> {
  const current = await deps.stores.broadcasts.get(id);
  return current ? refusalFor('start', current.status) : `broadcast ${id} is no longer ${expected}`;
}
