import { beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors.js';
import { emptyTotals, type JobTotals } from '../../../shared/broadcasts/job-totals.js';
import type { Broadcast, BroadcastStatus } from '../../../shared/domain/model.js';
import type { BroadcastStore } from '../../../shared/broadcasts/broadcast-store.js';
import { aBroadcast, aPhone } from '../../support/builders.js';

/*
 * The broadcast store's contract: one set of cases, run against the DynamoDB store on dynalite
 * (broadcast-store-dynamo.test.ts) and the in-memory one the use cases' tests rely on
 * (test/unit/broadcasts/broadcast-store-memory.test.ts), so the fake cannot drift from the store
 * that runs. A case says what a caller sees through the port; how the DynamoDB store keeps it
 * (its counters item, listing entries, write units) is checked in its own tests.
 */

const T0 = Date.parse('2025-03-04T10:00:00.000Z');
const minutesAfter = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const AT = '2025-03-01T09:00:00.000Z';
const LATER = '2025-03-01T09:01:00.000Z';

const totalsOf = (overrides: Partial<JobTotals>): JobTotals => ({ ...emptyTotals(), ...overrides });

/** Builds the store under test; each case takes broadcasts of its own, so most may share one. */
export type BroadcastStoreFactory = () => Promise<BroadcastStore>;

export function broadcastStoreContract(name: string, makeStore: BroadcastStoreFactory): void {
  /** ULID-shaped ids, as the deployment makes them (the listing's cursor expects word characters). */
  let nextBroadcast = 0;
  const newBroadcastId = () => `01JBCAST${String(nextBroadcast++).padStart(18, '0')}`;

  describe(`${name}: the broadcast store's contract`, () => {
    let broadcasts: BroadcastStore;

    beforeAll(async () => {
      broadcasts = await makeStore();
    });

    describe('creating, moving and deleting', () => {
      it('gives back a broadcast exactly as it was created', async () => {
        // Prepare
        const broadcast = aBroadcast({
          id: newBroadcastId(),
          topics: ['traffic', 'roadworks'],
          status: 'pending_approval',
          fanOutPending: 16,
          counts: { targeted: 21, sent: 2, delivered: 1, undelivered: 1, failed: 5, skipped: 6, skippedBy: { opted_out: 4, missing_data: 2 } },
          cost: { currency: 'GBP', estimatedMicros: 66_600 },
        });

        // Act
        await broadcasts.create(structuredClone(broadcast));

        // Assess
        expect(await broadcasts.get(broadcast.id)).toEqual(broadcast);
      });

      it('refuses to create a broadcast whose id exists', async () => {
        // Prepare
        const broadcast = aBroadcast({ id: newBroadcastId() });
        await broadcasts.create(broadcast);

        // Act
        const attempt = broadcasts.create({ ...broadcast, body: 'something else' });

        // Assess
        await expect(attempt).rejects.toThrow();
        expect((await broadcasts.get(broadcast.id))?.body).toBe(broadcast.body);
      });

      it.each<[BroadcastStatus, BroadcastStatus[], BroadcastStatus, boolean]>([
        ['pending_approval', ['pending_approval'], 'sending', true],
        ['sending', ['pending_approval'], 'sending', false],
        ['sending', ['pending_approval', 'sending'], 'cancelled', true],
        ['pending_approval', ['pending_approval', 'sending'], 'cancelled', true],
        ['sent', ['pending_approval', 'sending'], 'cancelled', false],
        ['cancelled', ['pending_approval', 'sending'], 'cancelled', false],
        ['sending', ['sending'], 'sent', true],
        ['cancelled', ['sending'], 'sent', false],
      ])('from %s, a move allowed from %j to %s happens: %s', async (status, from, to, moves) => {
        // Prepare
        const broadcast = aBroadcast({ id: newBroadcastId(), status });
        await broadcasts.create(broadcast);

        // Act
        const moved = await broadcasts.transition(broadcast.id, structuredClone(from), to);

        // Assess
        expect(moved).toBe(moves);
        expect((await broadcasts.get(broadcast.id))?.status).toBe(moves ? to : status);
      });

      it('records the approver with the move', async () => {
        // Prepare
        const broadcast = aBroadcast({ id: newBroadcastId(), status: 'pending_approval' });
        await broadcasts.create(broadcast);

        // Act
        await broadcasts.transition(broadcast.id, ['pending_approval'], 'sending', { approvedBy: 'key-approver' });

        // Assess
        expect(await broadcasts.get(broadcast.id)).toMatchObject({ status: 'sending', approvedBy: 'key-approver' });
      });

      it('does not move, or create, a broadcast that does not exist', async () => {
        // Prepare
        const id = newBroadcastId();

        // Act
        const moved = await broadcasts.transition(id, ['sending'], 'cancelled');

        // Assess
        expect(moved).toBe(false);
        expect(await broadcasts.get(id)).toBeUndefined();
      });

      it('deletes a broadcast', async () => {
        // Prepare
        const broadcast = aBroadcast({ id: newBroadcastId() });
        await broadcasts.create(broadcast);

        // Act
        await broadcasts.delete(broadcast.id);

        // Assess
        expect(await broadcasts.get(broadcast.id)).toBeUndefined();
      });

      it('writes the changes with the move, and leaves the rest as it was', async () => {
        // Prepare
        const broadcast = aBroadcast({ id: newBroadcastId(), status: 'pending_approval', approval: 'department', audience: 40, priority: 'normal' });
        await broadcasts.create(broadcast);

        // Act
        const moved = await broadcasts.transition(broadcast.id, ['pending_approval'], 'scheduled', {
          approvedBy: 'key-approver',
          approvedAt: minutesAfter(1),
          startsAt: minutesAfter(60),
          capDay: '2025-03-04',
          audience: 42,
          rejectedBy: undefined,
        });

        // Assess
        expect(moved).toBe(true);
        expect(await broadcasts.get(broadcast.id)).toEqual({
          ...broadcast,
          status: 'scheduled',
          approvedBy: 'key-approver',
          approvedAt: minutesAfter(1),
          startsAt: minutesAfter(60),
          capDay: '2025-03-04',
          audience: 42,
          rejectedBy: undefined,
        });
      });

      it('writes none of the changes when the broadcast is not in a status the move starts from', async () => {
        // Prepare
        const broadcast = aBroadcast({ id: newBroadcastId(), status: 'cancelled' });
        await broadcasts.create(broadcast);

        // Act
        const moved = await broadcasts.transition(broadcast.id, ['pending_approval'], 'rejected', { rejectedBy: 'key-approver', rejectionReason: 'late' });

        // Assess
        expect(moved).toBe(false);
        expect(await broadcasts.get(broadcast.id)).toEqual(broadcast);
      });

      it('lets only one of two simultaneous moves from the same status succeed', async () => {
        // Prepare
        const broadcast = aBroadcast({ id: newBroadcastId(), status: 'pending_approval' });
        await broadcasts.create(broadcast);

        // Act
        const outcomes = await Promise.all([
          broadcasts.transition(broadcast.id, ['pending_approval'], 'sending', { approvedBy: 'key-approver' }),
          broadcasts.transition(broadcast.id, ['pending_approval'], 'rejected', { rejectedBy: 'key-approver-2', rejectionReason: 'no' }),
        ]);

        // Assess
        expect(outcomes.filter(Boolean)).toHaveLength(1);
        const after = await broadcasts.get(broadcast.id);
        // Absent and undefined alike: a store may give back an unset field either way.
        expect({ status: after?.status, approvedBy: after?.approvedBy, rejectedBy: after?.rejectedBy }).toEqual(
          outcomes[0] ? { status: 'sending', approvedBy: 'key-approver', rejectedBy: undefined } : { status: 'rejected', approvedBy: undefined, rejectedBy: 'key-approver-2' },
        );
      });

      it('deletes a broadcast with its listing and topic log entries', async () => {
        // Prepare
        const kept = aBroadcast({ id: newBroadcastId(), topics: ['lifecycle-delete'], createdAt: minutesAfter(0) });
        const deleted = aBroadcast({ id: newBroadcastId(), topics: ['lifecycle-delete', 'other-topic'], createdAt: minutesAfter(1) });
        await broadcasts.create(kept);
        await broadcasts.create(deleted);

        // Act
        await broadcasts.delete(deleted.id);

        // Assess
        expect(await broadcasts.get(deleted.id)).toBeUndefined();
        expect(await broadcasts.recentForTopic('lifecycle-delete', 10)).toEqual([{ broadcastId: kept.id, createdAt: kept.createdAt }]);
        expect(await broadcasts.recentForTopic('other-topic', 10)).toEqual([]);
        const page = await broadcasts.list({ department: '*', limit: 1, cursor: undefined });
        expect(page.items.map((broadcast) => broadcast.id)).toEqual([kept.id]);
      });
    });

    describe('counters, jobs and the fan-out', () => {
      it('adds atomically: 50 simultaneous additions all count, reasons too', async () => {
        // Prepare
        const broadcast = aBroadcast({ id: newBroadcastId() });
        await broadcasts.create(broadcast);

        // Act
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, index) =>
            broadcasts.addCounts(broadcast.id, { sent: 1, skipped: index % 2, skippedBy: { opted_out: index % 2 } }),
          ),
        );

        // Assess
        expect((await broadcasts.get(broadcast.id))?.counts).toEqual({
          targeted: 0,
          sent: 50,
          delivered: 0,
          undelivered: 0,
          failed: 0,
          skipped: 25,
          skippedBy: { opted_out: 25 },
        });
        expect(results.map((result) => result?.counts.sent).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
      });

      it('returns the counters afterwards, dates the progress only when asked', async () => {
        // Prepare
        const broadcast = aBroadcast({ id: newBroadcastId(), fanOutPending: 2, counts: { targeted: 10, sent: 3, delivered: 0, undelivered: 0, failed: 0, skipped: 0 } });
        await broadcasts.create(broadcast);

        // Act
        const batch = await broadcasts.addCounts(broadcast.id, { sent: 2, failed: 1, costMicros: 40_000, costCurrency: 'GBP' }, AT);
        const receipt = await broadcasts.addCounts(broadcast.id, { delivered: 2, undelivered: 1, costMicros: 1, costCurrency: 'USD' });

        // Assess
        expect(batch).toEqual({
          counts: { sent: 5, delivered: 0, undelivered: 0, failed: 1, skipped: 0, skippedBy: {} },
          cost: { currency: 'GBP', estimatedMicros: 40_000 },
          lastProgressAt: AT,
        });
        expect(receipt).toEqual({
          counts: { sent: 5, delivered: 2, undelivered: 1, failed: 1, skipped: 0, skippedBy: {} },
          cost: { currency: 'GBP', estimatedMicros: 40_001 },
          lastProgressAt: AT,
        });
        expect(await broadcasts.get(broadcast.id)).toMatchObject({ fanOutPending: 2, lastProgressAt: AT, counts: { targeted: 10, sent: 5, failed: 1 } });
      });

      it('counts nothing for a broadcast that does not exist, and creates nothing', async () => {
        // Prepare
        const id = newBroadcastId();

        // Act
        const tally = await broadcasts.addCounts(id, { sent: 1 }, AT);

        // Assess
        expect(tally).toBeUndefined();
        expect(await broadcasts.get(id)).toBeUndefined();
      });

      it('gives back the outcome counters with a fan-out step', async () => {
        // Prepare
        const broadcast = aBroadcast({ id: newBroadcastId(), fanOutPending: 1 });
        await broadcasts.create(broadcast);
        await broadcasts.addCounts(broadcast.id, { sent: 2 }, AT);

        // Act
        const after = await broadcasts.advanceFanOut(broadcast.id, { topicId: 'traffic', shard: 0, from: undefined, to: { done: true } }, { targeted: 2, fanOutDone: 1 });

        // Assess
        expect(after).toMatchObject({ fanOutPending: 0, lastProgressAt: AT, counts: { targeted: 2, sent: 2 } });
      });

      it('records a job, gives back what it held before, and never lets fewer recipients done replace more', async () => {
        // Prepare
        const id = newBroadcastId();
        await broadcasts.create(aBroadcast({ id }));
        const first = totalsOf({ sent: 2, skipped: 1, skippedBy: { opted_out: 1 }, costMicros: 40_000, costCurrency: 'GBP' });
        const later = totalsOf({ sent: 3, failed: 1, skipped: 1, skippedBy: { opted_out: 1 }, costMicros: 60_000, costCurrency: 'GBP' });

        // Act
        const outcomes = [
          await broadcasts.recordJob(id, 'job-1', first, AT),
          await broadcasts.recordJob(id, 'job-1', later, LATER),
          await broadcasts.recordJob(id, 'job-1', first, LATER),
          await broadcasts.recordJob(id, 'job-1', later, LATER),
        ];

        // Assess
        expect(outcomes).toEqual([
          { recorded: true, previous: undefined },
          { recorded: true, previous: first },
          { recorded: false },
          { recorded: true, previous: later },
        ]);
        expect(await broadcasts.sumOfJobs(id)).toEqual({ jobs: 1, totals: later });
      });

      it('sums every job, and only jobs: never the broadcast or its counters', async () => {
        // Prepare
        const id = newBroadcastId();
        await broadcasts.create(aBroadcast({ id, counts: { targeted: 500, sent: 7, delivered: 7, undelivered: 0, failed: 0, skipped: 0 } }));
        for (let job = 0; job < 120; job += 1) {
          await broadcasts.recordJob(id, `job-${job}`, totalsOf({ sent: 3, failed: job % 2, skipped: 1, skippedBy: { [job % 3 === 0 ? 'opted_out' : 'missing_data']: 1 }, costMicros: 60_000, costCurrency: 'GBP' }), AT);
        }

        // Act
        const rollup = await broadcasts.sumOfJobs(id);

        // Assess
        expect(rollup).toEqual({
          jobs: 120,
          totals: { sent: 360, failed: 60, skipped: 120, skippedBy: { opted_out: 40, missing_data: 80 }, costMicros: 7_200_000, costCurrency: 'GBP' },
        });
      });

      it('settles the counters to exact values, absolute and repeatable, leaving what receipts counted', async () => {
        // Prepare
        const id = newBroadcastId();
        await broadcasts.create(aBroadcast({ id, counts: { targeted: 9, sent: 4, delivered: 3, undelivered: 1, failed: 0, skipped: 2, skippedBy: { cancelled: 2 } } }));
        const exact = totalsOf({ sent: 6, failed: 1, skipped: 2, skippedBy: { opted_out: 2 }, costMicros: 120_000, costCurrency: 'GBP' });

        // Act
        await broadcasts.settleCounts(id, exact);
        await broadcasts.settleCounts(id, exact);

        // Assess
        expect(await broadcasts.get(id)).toMatchObject({
          counts: { targeted: 9, sent: 6, failed: 1, skipped: 2, skippedBy: { opted_out: 2 }, delivered: 3, undelivered: 1 },
          cost: { currency: 'GBP', estimatedMicros: 120_000 },
        });
      });

      it('settles skips of every reason at once', async () => {
        // Prepare
        const id = newBroadcastId();
        await broadcasts.create(aBroadcast({ id }));
        const skippedBy = { opted_out: 1, duplicate: 2, cancelled: 3, invalid_recipient: 4, missing_data: 5, whatsapp_window_closed: 6 };

        // Act
        await broadcasts.settleCounts(id, totalsOf({ skipped: 21, skippedBy }));

        // Assess
        expect((await broadcasts.get(id))?.counts).toMatchObject({ skipped: 21, skippedBy });
      });

      it('dates progress without adding anything, when asked to', async () => {
        // Prepare
        const id = newBroadcastId();
        await broadcasts.create(aBroadcast({ id }));

        // Act
        const tally = await broadcasts.addCounts(id, {}, LATER);

        // Assess
        expect(tally?.lastProgressAt).toBe(LATER);
      });

      it('counts each step of a task once, whichever delivery of the task takes it', async () => {
        // Prepare
        const id = newBroadcastId();
        await broadcasts.create(aBroadcast({ id, topics: ['traffic'], status: 'sending', fanOutPending: 2 }));
        const page = { done: false as const, cursor: 'opaque-cursor', lastPhone: aPhone(7) };

        // Act
        const first = await broadcasts.advanceFanOut(id, { topicId: 'traffic', shard: 0, from: undefined, to: page }, { targeted: 500 });
        const replayed = await broadcasts.advanceFanOut(id, { topicId: 'traffic', shard: 0, from: undefined, to: page }, { targeted: 500 });
        const last = await broadcasts.advanceFanOut(id, { topicId: 'traffic', shard: 0, from: page, to: { done: true } }, { targeted: 3, fanOutDone: 1 });
        const lastAgain = await broadcasts.advanceFanOut(id, { topicId: 'traffic', shard: 0, from: page, to: { done: true } }, { targeted: 3, fanOutDone: 1 });
        const otherShard = await broadcasts.advanceFanOut(id, { topicId: 'traffic', shard: 1, from: undefined, to: { done: true } }, { fanOutDone: 1 });

        // Assess
        expect(first?.counts.targeted).toBe(500);
        expect(replayed).toBeUndefined();
        expect(last).toMatchObject({ fanOutPending: 1, counts: { targeted: 503 } });
        expect(lastAgain).toBeUndefined();
        expect(otherShard).toMatchObject({ fanOutPending: 0, counts: { targeted: 503 } });
        expect(await broadcasts.fanOutCheckpoint(id, 'traffic', 0)).toEqual({ done: true });
        expect(await broadcasts.fanOutCheckpoint(id, 'traffic', 2)).toBeUndefined();
        expect(await broadcasts.advanceFanOut(newBroadcastId(), { topicId: 'traffic', shard: 0, from: undefined, to: { done: true } }, { fanOutDone: 1 })).toBeUndefined();
      });
      it('counts receipts from a shard of the change stream once: only from the position it was left at', async () => {
        // Prepare
        const id = newBroadcastId();
        await broadcasts.create(aBroadcast({ id }));

        // Act
        const before = await broadcasts.receiptsCountedUpTo(id, 'shard-1');
        const first = await broadcasts.addReceiptCounts(id, 'shard-1', undefined, '100', { delivered: 2 });
        const replayed = await broadcasts.addReceiptCounts(id, 'shard-1', undefined, '100', { delivered: 2 });
        const next = await broadcasts.addReceiptCounts(id, 'shard-1', '100', '200', { undelivered: 1 });
        const otherShard = await broadcasts.addReceiptCounts(id, 'shard-2', undefined, '50', { delivered: 1 });
        const unknown = await broadcasts.addReceiptCounts(newBroadcastId(), 'shard-1', undefined, '100', { delivered: 1 });

        // Assess
        expect({ before, first, replayed, next, otherShard, unknown }).toEqual({ before: undefined, first: true, replayed: false, next: true, otherShard: true, unknown: undefined });
        expect(await broadcasts.receiptsCountedUpTo(id, 'shard-1')).toBe('200');
        expect((await broadcasts.get(id))?.counts).toMatchObject({ delivered: 3, undelivered: 1 });
      });
    });

    describe('the sending list', () => {
      it('lists a broadcast from its move to sending until its move away, and drops one left listed once it is over', async () => {
        // Prepare
        const started = aBroadcast({ id: newBroadcastId(), status: 'scheduled' });
        const finished = aBroadcast({ id: newBroadcastId(), status: 'scheduled' });
        const refused = aBroadcast({ id: newBroadcastId(), status: 'draft' });
        const createdSending = aBroadcast({ id: newBroadcastId(), status: 'sending' });
        for (const broadcast of [started, finished, refused, createdSending]) await broadcasts.create(broadcast);
        await broadcasts.transition(started.id, ['scheduled'], 'sending');
        await broadcasts.transition(finished.id, ['scheduled'], 'sending');
        await broadcasts.transition(finished.id, ['sending'], 'sent');
        // A move to sending that is refused leaves the listing it wrote first.
        await broadcasts.transition(refused.id, ['scheduled'], 'sending');

        // Act
        const sending = await broadcasts.sending();
        await broadcasts.transition(refused.id, ['draft'], 'cancelled');

        // Assess
        const ours = new Set([started.id, finished.id, refused.id, createdSending.id]);
        expect(sending.map((broadcast) => broadcast.id).filter((id) => ours.has(id)).sort()).toEqual([started.id, createdSending.id].sort());
        expect((await broadcasts.sending()).map((broadcast) => broadcast.id).filter((id) => ours.has(id)).sort()).toEqual([started.id, createdSending.id].sort());
      });
    });

    describe("the scheduler's list", () => {
      it('gives the starts due, oldest first, up to the limit, and forgets a cleared one', async () => {
        // Prepare: written out of order; two at the same instant.
        const [a, b, c, d] = [newBroadcastId(), newBroadcastId(), newBroadcastId(), newBroadcastId()];
        await broadcasts.scheduleStart(c, minutesAfter(30));
        await broadcasts.scheduleStart(a, minutesAfter(10));
        await broadcasts.scheduleStart(d, minutesAfter(20));
        await broadcasts.scheduleStart(b, minutesAfter(20));

        // Act
        const beforeAny = await broadcasts.dueToStart(minutesAfter(9.99), 10);
        const atTwenty = await broadcasts.dueToStart(minutesAfter(20), 10);
        const limited = await broadcasts.dueToStart(minutesAfter(60), 2);
        await broadcasts.clearScheduledStart({ broadcastId: a, startsAt: minutesAfter(10) });
        const afterClear = await broadcasts.dueToStart(minutesAfter(60), 10);

        // Assess
        expect(beforeAny).toEqual([]);
        expect(atTwenty).toEqual([
          { broadcastId: a, startsAt: minutesAfter(10) },
          { broadcastId: b, startsAt: minutesAfter(20) },
          { broadcastId: d, startsAt: minutesAfter(20) },
        ]);
        expect(limited).toEqual([
          { broadcastId: a, startsAt: minutesAfter(10) },
          { broadcastId: b, startsAt: minutesAfter(20) },
        ]);
        expect(afterClear).toEqual([
          { broadcastId: b, startsAt: minutesAfter(20) },
          { broadcastId: d, startsAt: minutesAfter(20) },
          { broadcastId: c, startsAt: minutesAfter(30) },
        ]);
      });

      it('keeps one start per broadcast and time: scheduling it twice is harmless, and a moved start is a new entry', async () => {
        // Prepare
        const store = await makeStore();
        const id = newBroadcastId();

        // Act
        await store.scheduleStart(id, minutesAfter(5));
        await store.scheduleStart(id, minutesAfter(5));
        await store.scheduleStart(id, minutesAfter(600));
        await store.clearScheduledStart({ broadcastId: id, startsAt: minutesAfter(5) });
        await store.clearScheduledStart({ broadcastId: id, startsAt: minutesAfter(5) });

        // Assess
        expect(await store.dueToStart(minutesAfter(1000), 10)).toEqual([{ broadcastId: id, startsAt: minutesAfter(600) }]);
      });
    });
  });

  describe(`${name}: the broadcast store's listing`, () => {
    let broadcasts: BroadcastStore;
    /** Oldest first, as created. */
    const created: Broadcast[] = [];

    // A store of its own: the cases read the whole listing.
    beforeAll(async () => {
      broadcasts = await makeStore();
      const shapes: Partial<Broadcast>[] = [
        { department: 'traffic', status: 'sent' },
        { department: 'youth', status: 'sending' },
        { department: 'traffic', status: 'scheduled' },
        { department: 'traffic', status: 'sending' },
        { department: 'traffic,youth', status: 'draft' },
        { department: 'youth', status: 'cancelled' },
        { department: 'traffic', status: 'sending' },
      ];
      for (const [index, shape] of shapes.entries()) {
        const broadcast = aBroadcast({ id: newBroadcastId(), createdAt: minutesAfter(index), ...shape });
        created.push(broadcast);
        // Written out of order: the listing sorts by creation time, not by when it was written.
      }
      for (const broadcast of [...created].reverse()) await broadcasts.create(broadcast);
    });

    const newestFirst = (filter: (broadcast: Broadcast) => boolean = () => true) =>
      [...created].reverse().filter(filter).map((broadcast) => broadcast.id);

    it('lists every department’s broadcasts for `*`, newest first', async () => {
      // Act
      const page = await broadcasts.list({ department: '*', limit: 20, cursor: undefined });

      // Assess
      expect(page.items.map((broadcast) => broadcast.id)).toEqual(newestFirst());
      expect(page.items[0]).toEqual(created.at(-1));
    });

    it.each([
      ['traffic', undefined],
      ['youth', undefined],
      ['traffic', 'sending'],
      ['youth', 'cancelled'],
      ['*', 'sending'],
    ] as const)('lists department %s in status %s only', async (department, status) => {
      // Act
      const page = await broadcasts.list({ department, status, limit: 20, cursor: undefined });

      // Assess
      expect(page.items.map((broadcast) => broadcast.id)).toEqual(
        newestFirst((broadcast) => (department === '*' || broadcast.department === department) && (status === undefined || broadcast.status === status)),
      );
    });

    it('pages through the listing with the cursor: every broadcast once, in order', async () => {
      // Prepare
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;

      // Act
      do {
        const page = await broadcasts.list({ department: '*', limit: 3, cursor });
        seen.push(...page.items.map((broadcast) => broadcast.id));
        cursor = page.cursor;
        pages += 1;
      } while (cursor !== undefined && pages < 10);

      // Assess
      expect(seen).toEqual(newestFirst());
      expect(pages).toBeGreaterThanOrEqual(3);
      expect(pages).toBeLessThanOrEqual(4);
    });

    it('gives no cursor when a page holds exactly the broadcasts left', async () => {
      // Act
      const whole = await broadcasts.list({ department: '*', limit: created.length, cursor: undefined });
      const first = await broadcasts.list({ department: '*', limit: created.length - 2, cursor: undefined });
      const rest = await broadcasts.list({ department: '*', limit: 2, cursor: first.cursor });

      // Assess: no "next" that leads to an empty page.
      expect(whole.items.map((broadcast) => broadcast.id)).toEqual(newestFirst());
      expect(whole.cursor).toBeUndefined();
      expect(rest.items.map((broadcast) => broadcast.id)).toEqual(newestFirst().slice(-2));
      expect(rest.cursor).toBeUndefined();
    });

    it('filters after paging: a department’s page may be short while the cursor says more may follow', async () => {
      // Act
      // The newest broadcast is traffic's: a one-item page for youth holds nothing.
      const first = await broadcasts.list({ department: 'youth', limit: 1, cursor: undefined });
      const rest = await broadcasts.list({ department: 'youth', limit: 20, cursor: first.cursor });

      // Assess
      expect(first.items).toEqual([]);
      expect(first.cursor).toBeDefined();
      expect(rest.items.map((broadcast) => broadcast.id)).toEqual(newestFirst((broadcast) => broadcast.department === 'youth'));
    });

    it.each([
      ['not a cursor at all', 'not a cursor!'],
      ['a subscriber key', Buffer.from('SUB#+447700900001#sms').toString('base64url')],
      ['a scheduled start with a stray suffix', Buffer.from('2025-03-04T10:00:00.000Z#01JBC#x').toString('base64url')],
    ])('refuses a cursor the listing did not give (%s) with a ValidationError naming the cursor', async (_case, cursor) => {
      // Act
      const error = await broadcasts.list({ department: '*', limit: 3, cursor }).catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).details).toEqual([{ field: 'cursor', message: 'is not a cursor this listing gave' }]);
    });
  });
}
