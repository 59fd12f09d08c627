import { describe, expect, it } from 'vitest';
import type { AdminApi, RedriveResult } from '../../cli/admin-api.js';
import { describeRedrive, redriveAll } from '../../cli/commands/dead-letters.js';

/** An API that answers redrives from a script, and remembers the limits it was asked for. */
function scriptedApi(answers: Omit<RedriveResult, 'queue'>[]) {
  const limits: (number | undefined)[] = [];
  const api: Pick<AdminApi, 'redriveDeadLetters'> = {
    redriveDeadLetters: async (queue, limit) => {
      limits.push(limit);
      const data = { queue: queue as RedriveResult['queue'], ...answers[limits.length - 1]! };
      return { data, raw: data };
    },
  };
  return { api, limits };
}

describe('crier dead-letters redrive', () => {
  it('asks again while the API ran out of time, with what is left of the limit, and adds up what moved', async () => {
    // Prepare
    const { api, limits } = scriptedApi([
      { moved: 300, stoppedBecause: 'timeBudget', approximateRemaining: 900 },
      { moved: 250, stoppedBecause: 'timeBudget', approximateRemaining: 650 },
      { moved: 50, stoppedBecause: 'limit', approximateRemaining: 600 },
    ]);

    // Act
    const result = await redriveAll(api, 'sendBulk', 600);

    // Assess
    expect(limits).toEqual([600, 300, 50]);
    expect(result).toEqual({ queue: 'sendBulk', moved: 600, stoppedBecause: 'limit', approximateRemaining: 600 });
    expect(describeRedrive(result)).toBe('moved 600 dead letters back onto sendBulk (the limit); about 600 left');
  });

  it('asks once, without a limit, when the first answer emptied the queue', async () => {
    // Prepare
    const { api, limits } = scriptedApi([{ moved: 1, stoppedBecause: 'empty', approximateRemaining: 0 }]);

    // Act
    const result = await redriveAll(api, 'fanOut', undefined);

    // Assess
    expect(limits).toEqual([undefined]);
    expect(describeRedrive(result)).toBe('moved 1 dead letter back onto fanOut; none left');
  });

  it('stops rather than loop when a request ran out of time having moved nothing', async () => {
    // Prepare
    const { api, limits } = scriptedApi([{ moved: 0, stoppedBecause: 'timeBudget', approximateRemaining: 40 }]);

    // Act
    const result = await redriveAll(api, 'sendUrgent', undefined);

    // Assess
    expect(limits).toHaveLength(1);
    expect(result.moved).toBe(0);
  });
});
