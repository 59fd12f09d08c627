import { afterEach, describe, expect, it, vi } from 'vitest';
import { visibilityTimeoutSeconds } from '../../functions/catalog.js';
import { residentPhones, startBroadcast, topicWithResidents } from '../support/broadcast-fixtures.js';
import { expectDeliveryInvariants } from '../support/delivery-invariants.js';
import { localStackForFile } from '../support/fault-stack.js';

/**
 * A sender that dies in the middle of a batch, on the local stack: its process is killed as it
 * makes its fourth send, which never leaves. The invocation ends in error, frozen where it stood;
 * SQS hands the batch out again after its visibility timeout, and the next run finishes it,
 * finding the dead run's claims.
 *
 * In AWS that timeout is 12 minutes, and the engine relies on it: a claim still 'sending' that
 * old was left by a run that died. Here the queue's visibility timeout is cut to 4 s, and the
 * clock every function reads (Date) is moved on by the 12 minutes at the crash, so the story
 * keeps AWS's timings as the engine sees them and takes seconds.
 */
describe('delivery faults: the sender crashes midway through a batch', () => {
  const residents = residentPhones(400, 10);
  const local = localStackForFile(
    {
      // Metered, as every deployed sender is: sends leave one slot apart (200 ms, well over the
      // moment before its slot a claim is made, even on a loaded machine), so the crash catches
      // one in flight. (Unmetered, a run sends many at once, and each one in flight at a crash is
      // rightly an unknown outcome; at 20 msg/s a busy machine's claims can overlap a slot.)
      sandbox: { failureRate: 0, messagesPerSecond: 5 },
      // One index shard: the ten residents travel in one send job, so the crash lands in its middle.
      settings: { topicShards: 1 },
      queueTimeScale: { visibility: 0.005 },
    },
    (stack, client) => topicWithResidents(stack, client, 'floods', residents),
  );
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends to every resident at most once, accounts for the one whose send died with it, and its counters add up', async () => {
    // Prepare: the sender dies as it makes the fourth send of the broadcast.
    const { stack, client } = local;
    const crashed = stack.crashOnSandboxSend(4);

    // Act
    const broadcastId = await startBroadcast(client, 'floods', 'urgent');
    await crashed;
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + visibilityTimeoutSeconds('sendUrgent') * 1000, shouldAdvanceTime: true });
    await stack.settled(60_000);
    const report = await expectDeliveryInvariants(stack, client, broadcastId, residents);

    // Assess: the batch came back after the crash, and the resident whose send died with the
    // sender is a recorded failure, its outcome unknown (nobody can say whether it went out).
    expect(stack.consumerStats('sendUrgent').redelivered).toBe(1);
    expect(report.outboxRecipients).toHaveLength(residents.length - 1);
    const failed = [...report.records.values()].filter((record) => record?.status === 'failed');
    expect(failed.map((record) => record?.errorCode)).toEqual(['outcomeUnknown']);
  }, 90_000);
});
