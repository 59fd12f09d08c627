import { describe, expect, it } from 'vitest';
import type { DeadLetterQueueView } from '../../../shared/dead-letters/dead-letters.js';
import { jobDescription } from '../../../console/views-model/dead-letters.js';

type Job = DeadLetterQueueView['peeked'][number]['job'];

describe('jobDescription of a parked fan-out task', () => {
  it.each<[string, Job, string]>([
    ['one shard (queued before tasks took several)', { kind: 'fanOutTask', broadcastId: 'bc-1', topicId: 'traffic', shard: 3 }, 'Fan-out of broadcast bc-1, topic traffic, shard 3'],
    ["a topic's shards", { kind: 'fanOutTask', broadcastId: 'bc-1', topicId: 'traffic', shard: 0, shardCount: 8 }, 'Fan-out of broadcast bc-1, topic traffic, shards 0–7'],
  ])('%s', (_case, job, text) => {
    // Act
    const described = jobDescription(job);

    // Assess
    expect(described).toBe(text);
  });
});
