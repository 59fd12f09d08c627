import type { FanOutTask } from '../domain/jobs.js';

/**
 * Shards one fan-out task streams side by side. A send job is filled from every shard of the task,
 * so with a topic's 8 shards (the default) in one task, a 3,000-resident broadcast makes a dozen
 * full jobs where a task per shard made two dozen small ones (each job costs the sender a receive
 * and a delete whatever its size). Bounded so that a deployment with many shards still spreads a
 * topic over several fan-out functions, and a round (a page of each shard, ≤ 500 residents a page)
 * stays a few thousand residents in memory.
 */
export const SHARDS_PER_FAN_OUT_TASK = 8;

/** A broadcast's fan-out tasks: each topic's shards in groups of SHARDS_PER_FAN_OUT_TASK. */
export function fanOutTasksFor(broadcastId: string, topicIds: readonly string[], topicShards: number): FanOutTask[] {
  return topicIds.flatMap((topicId) => {
    const tasks: FanOutTask[] = [];
    for (let shard = 0; shard < topicShards; shard += SHARDS_PER_FAN_OUT_TASK) {
      tasks.push({ broadcastId, topicId, shard, shardCount: Math.min(SHARDS_PER_FAN_OUT_TASK, topicShards - shard) });
    }
    return tasks;
  });
}

/** The shards a task streams (a task without `shardCount`, queued before tasks took several, has one). */
export function shardsOf(task: FanOutTask): number[] {
  return Array.from({ length: task.shardCount ?? 1 }, (_, index) => task.shard + index);
}

/** A task's shards as an operator reads them: "shard 3", or "shards 0–7". */
export function shardsDescribed(task: Pick<FanOutTask, 'shard' | 'shardCount'>): string {
  const count = task.shardCount ?? 1;
  return count === 1 ? `shard ${task.shard}` : `shards ${task.shard}–${task.shard + count - 1}`;
}
