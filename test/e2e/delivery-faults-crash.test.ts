import { describe, expect, it } from 'vitest';
import { residentPhones, topicWithResidents } from '../support/broadcast-fixtures.js';
import { broadcastAndCheck } from '../support/delivery-invariants.js';
import { localStackForFile } from '../support/fault-stack.js';

/**
 * A sender that dies in the middle of a batch, on the local stack: its process is killed as it
 * makes its fourth send, which never leaves. The invocation ends in error, frozen where it stood;
 * SQS hands the batch out again after its visibility timeout (shortened to 8 s from 12 minutes),
 * and the next run finishes it, finding the dead run's claims.
 */
describe('delivery faults: the sender crashes midway through a batch', () => {
  const residents = residentPhones(400, 10);
  const local = localStackForFile(
    {
      sandbox: { failureRate: 0 },
      // One index shard: the ten residents travel in one send job, so the crash lands in its middle.
      settings: { topicShards: 1 },
      queueTimeScale: { visibility: 0.01 },
      // Scheduled work (such as sweeping what a dead run left) runs every second, not every minute.
      schedulerIntervalMs: 1_000,
    },
    (stack, client) => topicWithResidents(stack, client, 'floods', residents),
  );

  it('sends to every resident at most once, accounts for the one whose send died with it, and its counters add up', async () => {
    // Prepare: the sender dies as it makes the fourth send of the broadcast.
    const { stack, client } = local;
    stack.crashOnSandboxSend(4);

    // Act
    const report = await broadcastAndCheck(stack, client, 'floods', residents);

    // Assess: the batch came back after the crash, and the resident whose send died with the
    // sender is a recorded failure, its outcome unknown (nobody can say whether it went out).
    expect(stack.consumerStats('sendUrgent').redelivered).toBe(1);
    expect(report.outboxRecipients).toHaveLength(residents.length - 1);
    const failed = [...report.records.values()].filter((record) => record?.status === 'failed');
    expect(failed.map((record) => record?.errorCode)).toEqual(['outcome_unknown']);
  }, 90_000);
});
