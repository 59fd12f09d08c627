import { afterEach, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.js';
import { residentPhones, topicWithResidents } from '../support/broadcast-fixtures.js';
import { broadcastAndCheck } from '../support/delivery-invariants.js';
import { localStackForFile } from '../support/fault-stack.js';

/**
 * A provider that misbehaves while a broadcast goes out, on the local stack: it fails a fifth of
 * sends with a 5xx, or answers a burst of 429s (both say "not sent, try later": every resident
 * still gets the broadcast, once), or never answers one send (which may have gone out: it is
 * recorded as failed, never retried). Either way the counters add up.
 */
describe('delivery faults: the provider fails sends, throttles, or never answers', () => {
  const residents = residentPhones(420, 20);
  /** The sandbox's draws cycle through these: at a failure rate of 0.2, exactly one send in five fails. */
  const draws = [0.5, 0.1, 0.7, 0.3, 0.9];
  let draw = 0;
  const local = localStackForFile(
    {
      sandbox: { failureRate: 0, random: () => draws[draw++ % draws.length]! },
      // Four index shards, read side by side by one fan-out task: the twenty residents travel in one
      // send job, whose rest comes back as a new job after each failure.
      settings: { topicShards: 4 },
    },
    (stack, client) => topicWithResidents(stack, client, 'roads', residents),
  );
  afterEach(() => {
    local.stack.sandbox.setFailureRate('sandbox', 0);
  });

  it.each([
    ['fails one send in five with a 503', (stack: LocalStack) => stack.sandbox.setFailureRate('sandbox', 0.2), 'failed', 1],
    ['answers a burst of 429s to the first ten sends', (stack: LocalStack) => stack.sandbox.throttle('sandbox', { sends: 10 }), 'throttled', 10],
  ] as const)('%s: those sends are retried, and everyone gets the broadcast once', async (_fault, arm, stat, atLeast) => {
    // Prepare
    const { stack, client } = local;
    arm(stack);
    const before = stack.sandbox.stats[stat];

    // Act
    const report = await broadcastAndCheck(stack, client, 'roads', residents);

    // Assess: the fault happened, and every refused send was retried, not a resident missed.
    expect(stack.sandbox.stats[stat] - before).toBeGreaterThanOrEqual(atLeast);
    expect(report.counts).toMatchObject({ sent: residents.length, failed: 0, skipped: 0 });
  }, 120_000);

  it('never answers one send: that resident is recorded as failed, outcome unknown, and not sent again', async () => {
    // Prepare
    const { stack, client } = local;
    stack.sandbox.hangSend('sandbox', 7);
    const hungBefore = stack.sandbox.stats.hung;

    // Act
    const report = await broadcastAndCheck(stack, client, 'roads', residents);

    // Assess
    expect(stack.sandbox.stats.hung - hungBefore).toBe(1);
    const failed = [...report.records.values()].filter((record) => record?.status === 'failed');
    expect(failed.map((record) => record?.errorCode)).toEqual(['outcomeUnknown']);
    expect(report.counts).toMatchObject({ sent: residents.length - 1, failed: 1, skipped: 0 });
  }, 120_000);
});
