import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { residentPhones, startBroadcast, topicWithResidents } from '../support/broadcast-fixtures.js';
import { expectDeliveryInvariants } from '../support/delivery-invariants.js';
import { LocalStackClient } from '../support/local-stack-client.js';

/**
 * A provider that misbehaves while a broadcast goes out, on the local stack: it fails a fifth of
 * sends with a 5xx, or answers a burst of 429s (both say "not sent, try later": every resident
 * still gets the broadcast, once), or never answers one send (which may have gone out: it is
 * recorded as failed, never retried). Either way the counters add up.
 */
describe('delivery faults: the provider fails sends or throttles', () => {
  const authToken = 'faults-provider-token';
  const residents = residentPhones(420, 20);
  /** The sandbox's draws cycle through these: at a failure rate of 0.2, exactly one send in five fails. */
  const draws = [0.5, 0.1, 0.7, 0.3, 0.9];
  let draw = 0;
  let stack: LocalStack;
  let client: LocalStackClient;

  beforeAll(async () => {
    stack = await startLocalStack({
      port: 0,
      twilio: { authToken },
      sandbox: { failureRate: 0, random: () => draws[draw++ % draws.length]! },
      // Four index shards: the residents travel in several send jobs, retried independently.
      settings: { topicShards: 4 },
    });
    client = new LocalStackClient(stack, authToken);
    await topicWithResidents(stack, client, 'roads', residents);
  });
  afterEach(() => {
    stack.sandbox.setFailureRate('sandbox', 0);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('fails one send in five with a 503: the failed sends are retried, and everyone gets the broadcast once', async () => {
    // Prepare
    stack.sandbox.setFailureRate('sandbox', 0.2);
    const failedBefore = stack.sandbox.stats.failed;

    // Act
    const broadcastId = await startBroadcast(client, 'roads', 'urgent');
    await stack.settled(90_000);
    const report = await expectDeliveryInvariants(stack, client, broadcastId, residents);

    // Assess: the fault happened, and every failure was a retry, not a resident missed.
    expect(stack.sandbox.stats.failed - failedBefore).toBeGreaterThan(0);
    expect(report.counts).toMatchObject({ sent: residents.length, failed: 0, skipped: 0 });
  }, 120_000);

  it('answers a burst of 429s to the first ten sends: they are retried, and everyone gets the broadcast once', async () => {
    // Prepare
    stack.sandbox.throttle('sandbox', { sends: 10 });
    const throttledBefore = stack.sandbox.stats.throttled;

    // Act
    const broadcastId = await startBroadcast(client, 'roads', 'urgent');
    await stack.settled(90_000);
    const report = await expectDeliveryInvariants(stack, client, broadcastId, residents);

    // Assess
    expect(stack.sandbox.stats.throttled - throttledBefore).toBe(10);
    expect(report.counts).toMatchObject({ sent: residents.length, failed: 0, skipped: 0 });
  }, 120_000);

  it('never answers one send: that resident is recorded as failed, outcome unknown, and not sent again', async () => {
    // Prepare
    stack.sandbox.hangSend('sandbox', 7);
    const hungBefore = stack.sandbox.stats.hung;

    // Act
    const broadcastId = await startBroadcast(client, 'roads', 'urgent');
    await stack.settled(60_000);
    const report = await expectDeliveryInvariants(stack, client, broadcastId, residents);

    // Assess
    expect(stack.sandbox.stats.hung - hungBefore).toBe(1);
    const failed = [...report.records.values()].filter((record) => record?.status === 'failed');
    expect(failed.map((record) => record?.errorCode)).toEqual(['outcomeUnknown']);
    expect(report.counts).toMatchObject({ sent: residents.length - 1, failed: 1, skipped: 0 });
  }, 120_000);
});
