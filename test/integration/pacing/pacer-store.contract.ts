import { beforeAll, describe, expect, it } from 'vitest';
import type { PacerStore } from '../../../shared/pacing/pacer-store.js';
import { SchedulePacer } from '../../../shared/pacing/schedule-pacer.js';
import type { PaceRequest } from '../../../shared/pacing/send-pacer.js';

/*
 * The pacer store's contract: one set of cases, run against the DynamoDB adapter on dynalite
 * (dynamo-pacer-store.test.ts) and the in-memory store the unit tests use
 * (memory-pacer-store.test.ts), so the fake cannot drift from the adapter. The cases go through
 * the functions' own pacer (the rules); what is counted is the store's calls.
 */

export const NOW = Date.parse('2025-03-01T09:00:00.000Z');
let senders = 0;

/** A sender of its own per request, so each case starts from an empty schedule; 10 slots at 100 a second. */
export function paceRequest(overrides: Partial<PaceRequest> = {}): PaceRequest {
  senders += 1;
  return { sender: `sender-${senders}:sms`, units: 10, messagesPerSecond: 100, lane: 'normal', now: NOW, latestStart: NOW + 3_000, ...overrides };
}

/** A store that notes the name of each call made to it before passing it on. */
export function countingStore(store: PacerStore): { store: PacerStore; calls: string[] } {
  const calls: string[] = [];
  const counting: PacerStore = {
    extend: (write) => (calls.push('extend'), store.extend(write)),
    restart: (write) => (calls.push('restart'), store.restart(write)),
    moveTo: (sender, until) => (calls.push('moveTo'), store.moveTo(sender, until)),
    read: (sender) => (calls.push('read'), store.read(sender)),
  };
  return { store: counting, calls };
}

export function describePacerStoreContract(name: string, makeStore: () => Promise<PacerStore>): void {
  describe(`${name}: the pacer store's contract`, () => {
    let store: PacerStore;
    let pacer: SchedulePacer;

    beforeAll(async () => {
      store = await makeStore();
      pacer = new SchedulePacer(store);
    });

    /** A pacer of its own (another function) on the same store, and the store calls it makes. */
    function countingPacer() {
      const counting = countingStore(store);
      return { counting: new SchedulePacer(counting.store), calls: counting.calls };
    }

    it('first booking: starts an idle schedule now with one write, and books the next slots right after the last booking', async () => {
      // Prepare
      const own = paceRequest();
      const { counting, calls } = countingPacer();

      // Act
      const first = await counting.reserve(own);
      const callsForFirst = [...calls];
      const second = await counting.reserve({ ...own, units: 5 });
      const third = await counting.reserve({ ...own, now: NOW + 20 });

      // Assess: 10 slots at 100 a second last 100 ms; 5 more, 50 ms.
      expect(first).toEqual({ granted: true, startAt: NOW });
      expect(second).toEqual({ granted: true, startAt: NOW + 100 });
      expect(third).toEqual({ granted: true, startAt: NOW + 150 });
      expect(callsForFirst).toEqual(['restart']);
      expect(await store.read(own.sender)).toEqual({ nextAt: NOW + 250, urgentUntil: 0 });
    });

    it('starts again from now once the schedule has run dry, never handing out slots in the past', async () => {
      // Prepare
      const own = paceRequest();
      await pacer.reserve(own);

      // Act: two seconds later nobody has booked since.
      const later = await pacer.reserve({ ...own, now: NOW + 2_000, latestStart: NOW + 5_000 });

      // Assess
      expect(later).toEqual({ granted: true, startAt: NOW + 2_000 });
    });

    it('refuses a booking that would start after the latest start the caller can use, and says when to come back', async () => {
      // Prepare: 4 s of slots booked ahead (400 at 100 a second).
      const own = paceRequest();
      await pacer.reserve({ ...own, units: 400, latestStart: NOW + 60_000 });

      // Act: the bulk lane looks 3 s ahead at most.
      const refused = await pacer.reserve(own);

      // Assess: the schedule comes within 3 s of now at +1 s.
      expect(refused).toEqual({ granted: false, retryAt: NOW + 1_000 });
    });

    it('refuses a booking whose latest start has already gone by, at no cost, and sends it back at once', async () => {
      // Prepare
      const own = paceRequest({ latestStart: NOW - 1 });
      const { counting, calls } = countingPacer();

      // Act
      const refused = await counting.reserve(own);

      // Assess
      expect(refused).toEqual({ granted: false, retryAt: NOW });
      expect(calls).toEqual([]);
    });

    it('keeps the bulk lane off while an urgent broadcast books (the hold is in the stored schedule), and lets it back after the hold', async () => {
      // Prepare
      const own = paceRequest();
      const urgent = await pacer.reserve({ ...own, lane: 'urgent' });

      // Act: the bulk lane is another function, which knows nothing of the urgent booking but what the store holds.
      const { counting } = countingPacer();
      const bulkDuring = await counting.reserve(own);
      const bulkAfter = await counting.reserve({ ...own, now: NOW + 3_200, latestStart: NOW + 6_200 });

      // Assess: the urgent booking (100 ms) holds the bulk lane 3 s beyond its end.
      expect(urgent).toEqual({ granted: true, startAt: NOW });
      expect(bulkDuring).toEqual({ granted: false, retryAt: NOW + 3_100 });
      expect(bulkAfter).toEqual({ granted: true, startAt: NOW + 3_200 });
    });

    it('lets a reply through without holding the bulk lane off', async () => {
      // Prepare
      const own = paceRequest();

      // Act
      const reply = await pacer.reserve({ ...own, lane: 'reply', units: 1 });
      const bulk = await pacer.reserve(own);

      // Assess
      expect(reply).toEqual({ granted: true, startAt: NOW });
      expect(bulk).toEqual({ granted: true, startAt: NOW + 10 });
      expect((await store.read(own.sender))?.urgentUntil).toBe(0);
    });

    it('holds every booking back after the provider said 429, and never moves the schedule backwards', async () => {
      // Prepare
      const own = paceRequest();
      await pacer.reserve(own);

      // Act
      await pacer.holdBack(own.sender, NOW + 1_000);
      await pacer.holdBack(own.sender, NOW + 500);
      const after = await pacer.reserve({ ...own, latestStart: NOW + 3_000 });

      // Assess
      expect(after).toEqual({ granted: true, startAt: NOW + 1_000 });
    });

    it('once it has seen the schedule booked beyond its reach, refuses at no cost (no write, no read): the schedule only moves forward', async () => {
      // Prepare: 4 s booked ahead; this pacer is refused once and so learns where the schedule ends.
      const own = paceRequest();
      await pacer.reserve({ ...own, units: 400, latestStart: NOW + 60_000 });
      await pacer.reserve(own);
      const { counting, calls } = countingPacer();
      await counting.reserve(own);
      calls.length = 0;

      // Act
      const refused = await counting.reserve({ ...own, now: NOW + 100, latestStart: NOW + 3_100 });

      // Assess
      expect(refused).toEqual({ granted: false, retryAt: NOW + 1_000 });
      expect(calls).toEqual([]);
    });

    it("a race lost to another writer: one failed write and a read, never a restart that cannot succeed", async () => {
      // Prepare: this pacer books, so it has seen the schedule end ahead of now; another function
      // then books 4 s more, past this one's latest start.
      const own = paceRequest({ latestStart: NOW + 3_000 });
      const { counting, calls } = countingPacer();
      await counting.reserve(own);
      await pacer.reserve({ ...own, units: 400, latestStart: NOW + 60_000 });
      calls.length = 0;

      // Act
      const refused = await counting.reserve(own);

      // Assess: the schedule now ends at NOW + 4.1 s; 10 slots may start by NOW + 3 s.
      expect(refused).toEqual({ granted: false, retryAt: NOW + 1_100 });
      expect(calls).toEqual(['extend', 'read']);
    });

    it('hands 20 concurrent bookings back-to-back slots, none overlapping, none lost', async () => {
      // Prepare: as twenty sender invocations would, all at once.
      const own = paceRequest({ units: 5, latestStart: NOW + 60_000 });

      // Act
      const grants = await Promise.all(Array.from({ length: 20 }, () => pacer.reserve(own)));

      // Assess: 5 slots at 100 a second are 50 ms each; together they fill 1 s exactly.
      const starts = grants.map((grant) => (grant.granted ? grant.startAt : Number.NaN)).sort((a, b) => a - b);
      expect(starts).toEqual(Array.from({ length: 20 }, (_, index) => NOW + index * 50));
    });

    /** The store's own conditions, each write on a schedule at NOW + 100 held for urgent until NOW + 500. */
    it.each([
      { write: 'extend within reach', act: (s: PacerStore, sender: string) => s.extend({ sender, now: NOW, cost: 50, latestStart: NOW + 100, unlessUrgent: false }), answer: NOW + 100, after: { nextAt: NOW + 150, urgentUntil: NOW + 500 } },
      { write: 'extend beyond reach', act: (s: PacerStore, sender: string) => s.extend({ sender, now: NOW, cost: 50, latestStart: NOW + 99, unlessUrgent: false }), answer: undefined, after: { nextAt: NOW + 100, urgentUntil: NOW + 500 } },
      { write: 'extend of a schedule run dry', act: (s: PacerStore, sender: string) => s.extend({ sender, now: NOW + 101, cost: 50, latestStart: NOW + 200, unlessUrgent: false }), answer: undefined, after: { nextAt: NOW + 100, urgentUntil: NOW + 500 } },
      { write: 'extend by the bulk lane during the urgent hold', act: (s: PacerStore, sender: string) => s.extend({ sender, now: NOW, cost: 50, latestStart: NOW + 200, unlessUrgent: true }), answer: undefined, after: { nextAt: NOW + 100, urgentUntil: NOW + 500 } },
      { write: 'extend that sets the urgent hold', act: (s: PacerStore, sender: string) => s.extend({ sender, now: NOW, cost: 50, latestStart: NOW + 200, unlessUrgent: false, urgentUntil: NOW + 3_150 }), answer: NOW + 100, after: { nextAt: NOW + 150, urgentUntil: NOW + 3_150 } },
      { write: 'restart of a running schedule', act: (s: PacerStore, sender: string) => s.restart({ sender, now: NOW + 100, end: NOW + 200, unlessUrgent: false }), answer: false, after: { nextAt: NOW + 100, urgentUntil: NOW + 500 } },
      { write: 'restart of a schedule run dry', act: (s: PacerStore, sender: string) => s.restart({ sender, now: NOW + 101, end: NOW + 200, unlessUrgent: false }), answer: true, after: { nextAt: NOW + 200, urgentUntil: NOW + 500 } },
      { write: 'restart by the bulk lane during the urgent hold', act: (s: PacerStore, sender: string) => s.restart({ sender, now: NOW + 101, end: NOW + 200, unlessUrgent: true }), answer: false, after: { nextAt: NOW + 100, urgentUntil: NOW + 500 } },
      { write: 'move on', act: (s: PacerStore, sender: string) => s.moveTo(sender, NOW + 300), answer: undefined, after: { nextAt: NOW + 300, urgentUntil: NOW + 500 } },
      { write: 'move back', act: (s: PacerStore, sender: string) => s.moveTo(sender, NOW + 50), answer: undefined, after: { nextAt: NOW + 100, urgentUntil: NOW + 500 } },
    ])('keeps its condition: $write', async ({ act, answer, after }) => {
      // Prepare: 100 ms booked by an urgent broadcast holding the bulk lane off until NOW + 500.
      const { sender } = paceRequest();
      await store.restart({ sender, now: NOW, end: NOW + 100, urgentUntil: NOW + 500, unlessUrgent: false });

      // Act
      const answered = await act(store, sender);

      // Assess
      expect(answered).toEqual(answer);
      expect(await store.read(sender)).toEqual(after);
    });

    it('reads no schedule for a sender nobody booked, and extends none', async () => {
      // Prepare
      const { sender } = paceRequest();

      // Act
      const read = await store.read(sender);
      const extended = await store.extend({ sender, now: NOW, cost: 50, latestStart: NOW + 1_000, unlessUrgent: false });

      // Assess
      expect(read).toBeUndefined();
      expect(extended).toBeUndefined();
      expect(await store.read(sender)).toBeUndefined();
    });
  });
}
