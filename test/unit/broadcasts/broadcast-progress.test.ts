import { describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors.js';
import { broadcastMessageId } from '../../../shared/sending/send-message.js';
import type { Broadcast } from '../../../shared/domain/model.js';
import type { MessageRecord } from '../../../shared/sending/message-store.js';
import { logger } from '../../../shared/runtime/logger.js';
import { completeIfDone, recordJobProgress, settleFromJobs } from '../../../shared/broadcasts/broadcast-progress.js';
import { recountJob } from '../../../shared/sending/job-recount.js';
import { AT, aBroadcast, aMessageRecord, aPhone } from '../../support/builders.js';
import { inMemoryStores } from '../../support/in-memory-stores.js';

const BROADCAST_ID = 'bc-0001';
const LATER = '2025-03-01T09:01:00.000Z';

async function setUp(overrides: Partial<Broadcast> = {}) {
  const stores = inMemoryStores();
  await stores.broadcasts.create(
    aBroadcast({ id: BROADCAST_ID, status: 'sending', fanOutPending: 0, counts: { targeted: 5, sent: 0, delivered: 0, undelivered: 0, failed: 0, skipped: 0 }, ...overrides }),
  );
  return stores;
}

describe('recordJobProgress', () => {
  it("adds a job's totals to the fast counters and keeps them as the job's record", async () => {
    // Prepare
    const stores = await setUp();

    // Act
    const outcome = await recordJobProgress(stores, {
      broadcastId: BROADCAST_ID,
      jobId: 'job-1',
      delta: { sent: 2, failed: 1, skippedBy: { opted_out: 1 }, costMicros: 40_000, costCurrency: 'GBP' },
      at: AT,
    });

    // Assess
    expect(outcome).toEqual({ counted: true, completed: false });
    expect(await stores.broadcasts.get(BROADCAST_ID)).toMatchObject({
      status: 'sending',
      lastProgressAt: AT,
      counts: { sent: 2, failed: 1, skipped: 1, skippedBy: { opted_out: 1 } },
      cost: { currency: 'GBP', estimatedMicros: 40_000 },
    });
    expect(await stores.broadcasts.sumOfJobs(BROADCAST_ID)).toEqual({
      jobs: 1,
      totals: { sent: 2, failed: 1, skipped: 1, skippedBy: { opted_out: 1 }, costMicros: 40_000, costCurrency: 'GBP' },
    });
  });

  it('counts a redelivered job once: the same totals again add nothing, larger ones add only the difference', async () => {
    // Prepare
    const stores = await setUp();
    await recordJobProgress(stores, { broadcastId: BROADCAST_ID, jobId: 'job-1', delta: { sent: 2 }, at: AT });
    const addCounts = vi.spyOn(stores.broadcasts, 'addCounts');

    // Act
    await recordJobProgress(stores, { broadcastId: BROADCAST_ID, jobId: 'job-1', delta: { sent: 2 }, at: LATER });
    await recordJobProgress(stores, { broadcastId: BROADCAST_ID, jobId: 'job-1', delta: { sent: 3, skippedBy: { missing_data: 1 } }, at: LATER });

    // Assess
    expect(addCounts).toHaveBeenCalledTimes(1);
    expect(addCounts).toHaveBeenCalledWith(BROADCAST_ID, expect.objectContaining({ sent: 1, failed: 0, skipped: 1, skippedBy: { missing_data: 1 } }), LATER);
    expect((await stores.broadcasts.get(BROADCAST_ID))?.counts).toMatchObject({ sent: 3, skipped: 1, skippedBy: { missing_data: 1 } });
  });

  it("refuses an older run's smaller totals, so a job's count never goes back", async () => {
    // Prepare
    const stores = await setUp();
    await recordJobProgress(stores, { broadcastId: BROADCAST_ID, jobId: 'job-1', delta: { sent: 3 }, at: LATER });

    // Act
    const outcome = await recordJobProgress(stores, { broadcastId: BROADCAST_ID, jobId: 'job-1', delta: { sent: 1 }, at: AT });

    // Assess
    expect(outcome).toEqual({ counted: false, completed: false });
    expect((await stores.broadcasts.get(BROADCAST_ID))?.counts.sent).toBe(3);
  });

  it('marks the broadcast sent, with exact counters, when the last job accounts for everyone targeted', async () => {
    // Prepare
    const stores = await setUp();
    await recordJobProgress(stores, { broadcastId: BROADCAST_ID, jobId: 'job-1', delta: { sent: 2, skippedBy: { opted_out: 1 } }, at: AT });

    // Act
    const outcome = await recordJobProgress(stores, { broadcastId: BROADCAST_ID, jobId: 'job-2', delta: { sent: 1, failed: 1 }, at: LATER });

    // Assess
    expect(outcome).toEqual({ counted: true, completed: true });
    expect(await stores.broadcasts.get(BROADCAST_ID)).toMatchObject({
      status: 'sent',
      counts: { targeted: 5, sent: 3, failed: 1, skipped: 1, skippedBy: { opted_out: 1 } },
    });
  });

  it('finishes a broadcast whose last run died after counting but before its completion check, on the redelivery', async () => {
    // Prepare: the job's record and the counters written; the check never ran.
    const stores = await setUp({ counts: { targeted: 2, sent: 0, delivered: 0, undelivered: 0, failed: 0, skipped: 0 } });
    const totals = { sent: 2, failed: 0, skipped: 0, skippedBy: {}, costMicros: 0, costCurrency: undefined };
    await stores.broadcasts.recordJob(BROADCAST_ID, 'job-1', totals, AT);
    await stores.broadcasts.addCounts(BROADCAST_ID, totals, AT);

    // Act
    const outcome = await recordJobProgress(stores, { broadcastId: BROADCAST_ID, jobId: 'job-1', delta: { sent: 2 }, at: LATER });

    // Assess
    expect(outcome.completed).toBe(true);
    expect((await stores.broadcasts.get(BROADCAST_ID))?.status).toBe('sent');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a negative count', { sent: -1 }, 'delta.sent'],
    ['reasons adding up to more than the skips', { skipped: 1, skippedBy: { opted_out: 2 } }, 'delta.skippedBy'],
    ['an unknown reason', { skippedBy: { bored: 1 } }, 'delta.skippedBy'],
    ['a field that is not a count', { delivered: 1 }, 'delta'],
  ])('refuses %s, naming the field, and records nothing', async (_case, delta, field) => {
    // Prepare
    const stores = await setUp();

    // Act
    const attempt = recordJobProgress(stores, { broadcastId: BROADCAST_ID, jobId: 'job-1', delta: delta as never, at: AT });

    // Assess
    const error = await attempt.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details.map((detail) => detail.field)).toContain(field);
    expect((await stores.broadcasts.sumOfJobs(BROADCAST_ID)).jobs).toBe(0);
  });

  it('warns, and counts nothing, for a broadcast without counters', async () => {
    // Prepare
    const stores = inMemoryStores();
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);

    // Act
    const outcome = await recordJobProgress(stores, { broadcastId: 'bc-gone', jobId: 'job-1', delta: { sent: 1 }, at: AT });

    // Assess
    expect(outcome).toEqual({ counted: true, completed: false });
    expect(warn).toHaveBeenCalledWith('job progress for a broadcast without counters', { broadcastId: 'bc-gone', jobId: 'job-1' });
  });
});

describe('completion', () => {
  it('waits while shards are still being fanned out, whatever the counters say', async () => {
    // Prepare
    const stores = await setUp({ fanOutPending: 1 });
    await recordJobProgress(stores, { broadcastId: BROADCAST_ID, jobId: 'job-1', delta: { sent: 5 }, at: AT });

    // Act
    const completed = await completeIfDone(stores, (await stores.broadcasts.get(BROADCAST_ID))!);

    // Assess
    expect(completed).toBe(false);
    expect((await stores.broadcasts.get(BROADCAST_ID))?.status).toBe('sending');
  });

  it('does not trust fast counters the jobs do not back: it stays sending, and says how many are unaccounted for', async () => {
    // Prepare: counters that say done, from no job at all.
    const stores = await setUp();
    await stores.broadcasts.addCounts(BROADCAST_ID, { sent: 5 });
    await recordJobProgress(stores, { broadcastId: BROADCAST_ID, jobId: 'job-1', delta: { sent: 2 }, at: AT });
    const broadcast = (await stores.broadcasts.get(BROADCAST_ID))!;

    // Act
    const settlement = await settleFromJobs(stores, broadcast);

    // Assess
    expect(settlement).toEqual({ settled: false, unaccounted: 3, fanOutPending: 0, jobs: 1 });
    expect((await stores.broadcasts.get(BROADCAST_ID))?.status).toBe('sending');
  });

  it('settles counters left short (a crash between a job record and its addition) to the exact sum', async () => {
    // Prepare: job-2 recorded its totals, then died before adding them to the counters.
    const stores = await setUp({ counts: { targeted: 3, sent: 0, delivered: 1, undelivered: 0, failed: 0, skipped: 0 } });
    await recordJobProgress(stores, { broadcastId: BROADCAST_ID, jobId: 'job-1', delta: { sent: 1 }, at: AT });
    await stores.broadcasts.recordJob(BROADCAST_ID, 'job-2', { sent: 1, failed: 0, skipped: 1, skippedBy: { opted_out: 1 }, costMicros: 0, costCurrency: undefined }, AT);

    // Act
    const settlement = await settleFromJobs(stores, (await stores.broadcasts.get(BROADCAST_ID))!);

    // Assess
    expect(settlement).toEqual({ settled: true });
    expect(await stores.broadcasts.get(BROADCAST_ID)).toMatchObject({
      status: 'sent',
      counts: { targeted: 3, sent: 2, skipped: 1, skippedBy: { opted_out: 1 }, delivered: 1 },
    });
  });

  it('recovers a batch whose sender died mid-way: its redelivery settles the stale claim as failed and counts every recipient once', async () => {
    // Prepare: the first run sent to alice, claimed bob and died; nothing was counted.
    const stores = await setUp({ counts: { targeted: 3, sent: 0, delivered: 0, undelivered: 0, failed: 0, skipped: 0 } });
    const [alice, bob, carol] = [aPhone(1), aPhone(2), aPhone(3)];
    const recipients = [alice, bob, carol].map((phone) => ({ phone, channel: 'sms' as const }));
    const claimOf = (phone: string, at: string): MessageRecord =>
      aMessageRecord({ messageId: broadcastMessageId(BROADCAST_ID, phone), broadcastId: BROADCAST_ID, to: phone, jobId: 'job-1', createdAt: at, updatedAt: at });
    await stores.messages.claim(claimOf(alice, AT));
    await stores.messages.markSent(broadcastMessageId(BROADCAST_ID, alice), 'sandbox', 'SM-alice', AT);
    await stores.messages.claim(claimOf(bob, AT));
    const redeliveredAt = '2025-03-01T09:20:00.000Z';

    // Act: the redelivery, as the sender does it.
    for (const phone of [alice, bob, carol]) {
      const claim = await stores.messages.claim(claimOf(phone, redeliveredAt));
      if (claim.outcome === 'already-claimed' && claim.existing.status === 'sending') {
        await stores.messages.resolveStaleClaim(claim.existing.messageId, '2025-03-01T09:05:00.000Z', redeliveredAt, 'job-1');
      } else if (claim.outcome === 'claimed') {
        await stores.messages.markSent(broadcastMessageId(BROADCAST_ID, phone), 'sandbox', `SM-${phone}`, redeliveredAt);
      }
    }
    const { delta, inFlight } = await recountJob(stores, { broadcastId: BROADCAST_ID, jobId: 'job-1', recipients });
    const outcome = await recordJobProgress(stores, { broadcastId: BROADCAST_ID, jobId: 'job-1', delta, at: redeliveredAt });

    // Assess
    expect(inFlight).toEqual([]);
    expect(outcome).toEqual({ counted: true, completed: true });
    expect(await stores.messages.get(broadcastMessageId(BROADCAST_ID, bob))).toMatchObject({ status: 'failed', errorCode: 'outcomeUnknown' });
    expect(await stores.broadcasts.get(BROADCAST_ID)).toMatchObject({ status: 'sent', counts: { targeted: 3, sent: 2, failed: 1, skipped: 0 } });
  });
});
