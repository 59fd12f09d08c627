import { describe, expect, it } from 'vitest';
import { fanOutTasksFor, SHARDS_PER_FAN_OUT_TASK, shardsDescribed, shardsOf } from '../../../shared/broadcasts/fan-out-tasks.js';
import { sendJobsFor } from '../../../shared/broadcasts/send-jobs.js';
import { fanOutTaskSchema, type FanOutTask } from '../../../shared/domain/jobs.js';
import { aPhone } from '../../support/builders.js';

describe('fanOutTasksFor', () => {
  it.each<[string, number, { shard: number; shardCount: number }[]]>([
    ['one shard: one task', 1, [{ shard: 0, shardCount: 1 }]],
    ['the default 8 shards: one task for them all', 8, [{ shard: 0, shardCount: 8 }]],
    ['9 shards: a task of 8 and a task of 1', 9, [{ shard: 0, shardCount: 8 }, { shard: 8, shardCount: 1 }]],
    ['20 shards: tasks of 8, 8 and 4', 20, [{ shard: 0, shardCount: 8 }, { shard: 8, shardCount: 8 }, { shard: 16, shardCount: 4 }]],
  ])('%s per topic', (_case, topicShards, perTopic) => {
    // Prepare
    const topics = ['traffic', 'youth'];

    // Act
    const tasks = fanOutTasksFor('bc-1', topics, topicShards);

    // Assess: each topic's shards, every one in exactly one task, no task over the bound.
    expect(tasks).toEqual(topics.flatMap((topicId) => perTopic.map((range) => ({ broadcastId: 'bc-1', topicId, ...range }))));
    for (const topicId of topics) {
      expect(tasks.filter((task) => task.topicId === topicId).flatMap(shardsOf)).toEqual(Array.from({ length: topicShards }, (_, shard) => shard));
    }
    expect(tasks.every((task) => (task.shardCount ?? 1) <= SHARDS_PER_FAN_OUT_TASK)).toBe(true);
    expect(tasks.every((task) => fanOutTaskSchema.safeParse(task).success)).toBe(true);
  });
});

describe('shardsOf', () => {
  it.each<[string, FanOutTask, number[]]>([
    ['a task queued before tasks took several shards: its one shard', { broadcastId: 'bc-1', topicId: 'traffic', shard: 5 }, [5]],
    ['a task of three shards from 8', { broadcastId: 'bc-1', topicId: 'traffic', shard: 8, shardCount: 3 }, [8, 9, 10]],
  ])('%s', (_case, task, shards) => {
    // Act
    const result = shardsOf(task);

    // Assess
    expect(result).toEqual(shards);
  });
});

describe('sendJobsFor', () => {
  it.each<[number, number, number[]]>([
    [0, 250, []],
    [1, 250, [1]],
    [250, 250, [250]],
    [251, 250, [250, 1]],
    [1_800, 250, [250, 250, 250, 250, 250, 250, 250, 50]],
  ])('%i recipients at %i a job: jobs of %j', (count, perJob, sizes) => {
    // Prepare
    const recipients = Array.from({ length: count }, (_, n) => ({ phone: aPhone(n), channel: 'sms' as const }));

    // Act
    const jobs = sendJobsFor('bc-1', 'traffic', recipients, perJob);

    // Assess: full jobs in the recipients' order, the last short.
    expect(jobs.map((job) => job.recipients.length)).toEqual(sizes);
    expect(jobs.flatMap((job) => job.recipients)).toEqual(recipients);
    expect(jobs.every((job) => job.kind === 'broadcast' && job.broadcastId === 'bc-1' && job.topicId === 'traffic')).toBe(true);
  });
});

describe('shardsDescribed', () => {
  it.each<[Pick<FanOutTask, 'shard' | 'shardCount'>, string]>([
    [{ shard: 3 }, 'shard 3'],
    [{ shard: 3, shardCount: 1 }, 'shard 3'],
    [{ shard: 0, shardCount: 8 }, 'shards 0–7'],
    [{ shard: 8, shardCount: 4 }, 'shards 8–11'],
  ])('%j reads "%s"', (task, text) => {
    // Act
    const described = shardsDescribed(task);

    // Assess
    expect(described).toBe(text);
  });
});
