import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { residentPhones, startBroadcast, topicWithResidents } from '../support/broadcast-fixtures.js';
import { expectDeliveryInvariants } from '../support/delivery-invariants.js';
import { LocalStackClient } from '../support/local-stack-client.js';

/**
 * A sender that dies in the middle of a batch, on the local stack: its process is killed as it
 * makes its fourth send, which never leaves. The invocation ends in error, frozen where it stood;
 * SQS hands the batch out again after its visibility timeout (shortened to 8 s from 12 minutes),
 * and the next run finishes it, finding the dead run's claims.
 */
describe('delivery faults: the sender crashes midway through a batch', () => {
  const authToken = 'faults-crash-token';
  const residents = residentPhones(400, 10);
  let stack: LocalStack;
  let client: LocalStackClient;

  beforeAll(async () => {
    stack = await startLocalStack({
      port: 0,
      twilio: { authToken },
      sandbox: { failureRate: 0 },
      // One index shard: the ten residents travel in one send job, so the hang lands in its middle.
      settings: { topicShards: 1 },
      queueTimeScale: { visibility: 0.01 },
      // Scheduled work (such as sweeping claims a dead run left) runs every second, not every minute.
      schedulerIntervalMs: 1_000,
    });
    client = new LocalStackClient(stack, authToken);
    await topicWithResidents(stack, client, 'floods', residents);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('sends to every resident at most once, accounts for the one whose send died with it, and its counters add up', async () => {
    // Prepare: the sender dies as it makes the fourth send of the broadcast.
    stack.crashOnSandboxSend(4);

    // Act
    const broadcastId = await startBroadcast(client, 'floods', 'urgent');
    await stack.settled(60_000);
    const report = await expectDeliveryInvariants(stack, client, broadcastId, residents);

    // Assess: the batch came back after the crash, and the resident whose send died with the
    // sender is a recorded failure, its outcome unknown (nobody can say whether it went out).
    expect(stack.consumerStats('sendUrgent').redelivered).toBe(1);
    expect(report.outboxRecipients).toHaveLength(residents.length - 1);
    const failed = [...report.records.values()].filter((record) => record?.status === 'failed');
    expect(failed.map((record) => record?.errorCode)).toEqual(['outcome_unknown']);
  }, 90_000);
});
