import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoSendPacer } from '../../shared/adapters/dynamo/send-pacer.js';
import type { PaceRequest } from '../../shared/ports/send-pacer.js';
import { freshTable } from '../support/dynamo-table.js';

const NOW = Date.parse('2025-03-01T09:00:00.000Z');
let senders = 0;

/** A sender of its own per test, so each test starts from an empty schedule; 10 slots at 100 a second. */
function request(overrides: Partial<PaceRequest> = {}): PaceRequest {
  senders += 1;
  return { sender: `sender-${senders}:sms`, units: 10, messagesPerSecond: 100, lane: 'normal', now: NOW, latestStart: NOW + 3_000, ...overrides };
}

describe('DynamoSendPacer against dynalite', () => {
  let pacer: DynamoSendPacer;
  let table: Awaited<ReturnType<typeof freshTable>>;

  beforeAll(async () => {
    table = await freshTable('crier-pacer');
    pacer = new DynamoSendPacer(table.documents, table.tableName);
  });

  /** A pacer of its own on the same table, and the commands it sends, by name. */
  function countingPacer() {
    const sent: string[] = [];
    const counting = new DynamoSendPacer(
      new Proxy(table.documents, {
        get: (target, property, receiver) =>
          property === 'send'
            ? (command: { constructor: { name: string } }) => (sent.push(command.constructor.name), target.send(command as never))
            : Reflect.get(target, property, receiver),
      }),
      table.tableName,
    );
    return { counting, sent };
  }

  it('starts an idle schedule now, and books the next slots right after the last booking', async () => {
    // Prepare
    const own = request();

    // Act
    const first = await pacer.reserve(own);
    const second = await pacer.reserve({ ...own, units: 5 });
    const third = await pacer.reserve({ ...own, now: NOW + 20 });

    // Assess: 10 slots at 100 a second last 100 ms; 5 more, 50 ms.
    expect(first).toEqual({ granted: true, startAt: NOW });
    expect(second).toEqual({ granted: true, startAt: NOW + 100 });
    expect(third).toEqual({ granted: true, startAt: NOW + 150 });
  });

  it('starts again from now once the schedule has run dry, never handing out slots in the past', async () => {
    // Prepare
    const own = request();
    await pacer.reserve(own);

    // Act: two seconds later nobody has booked since.
    const later = await pacer.reserve({ ...own, now: NOW + 2_000, latestStart: NOW + 5_000 });

    // Assess
    expect(later).toEqual({ granted: true, startAt: NOW + 2_000 });
  });

  it('refuses a booking that would start after the latest start the caller can use, and says when to come back', async () => {
    // Prepare: 4 s of slots booked ahead (400 at 100 a second).
    const own = request();
    await pacer.reserve({ ...own, units: 400, latestStart: NOW + 60_000 });

    // Act: the bulk lane looks 3 s ahead at most.
    const refused = await pacer.reserve(own);

    // Assess: the schedule comes within 3 s of now at +1 s.
    expect(refused).toEqual({ granted: false, retryAt: NOW + 1_000 });
  });

  it('keeps the bulk lane off while an urgent broadcast books, and lets it back after the hold', async () => {
    // Prepare
    const own = request();
    const urgent = await pacer.reserve({ ...own, lane: 'urgent' });

    // Act
    const bulkDuring = await pacer.reserve(own);
    const bulkAfter = await pacer.reserve({ ...own, now: NOW + 3_200, latestStart: NOW + 6_200 });

    // Assess: the urgent booking (100 ms) holds the bulk lane 3 s beyond its end.
    expect(urgent).toEqual({ granted: true, startAt: NOW });
    expect(bulkDuring).toEqual({ granted: false, retryAt: NOW + 3_100 });
    expect(bulkAfter).toEqual({ granted: true, startAt: NOW + 3_200 });
  });

  it('lets a reply through without holding the bulk lane off', async () => {
    // Prepare
    const own = request();

    // Act
    const reply = await pacer.reserve({ ...own, lane: 'reply', units: 1 });
    const bulk = await pacer.reserve(own);

    // Assess
    expect(reply).toEqual({ granted: true, startAt: NOW });
    expect(bulk).toEqual({ granted: true, startAt: NOW + 10 });
  });

  it('holds every booking back after the provider said 429, and never moves the schedule backwards', async () => {
    // Prepare
    const own = request();
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
    const own = request();
    await pacer.reserve({ ...own, units: 400, latestStart: NOW + 60_000 });
    await pacer.reserve(own);
    const { counting, sent } = countingPacer();
    await counting.reserve(own);
    sent.length = 0;

    // Act
    const refused = await counting.reserve({ ...own, now: NOW + 100, latestStart: NOW + 3_100 });

    // Assess
    expect(refused).toEqual({ granted: false, retryAt: NOW + 1_000 });
    expect(sent).toEqual([]);
  });

  it('loses a race to another function\'s booking with one failed write and a read: never a restart that cannot succeed', async () => {
    // Prepare: this pacer books, so it has seen the schedule end ahead of now; another function
    // then books 4 s more, past this one's latest start.
    const own = request({ latestStart: NOW + 3_000 });
    const { counting, sent } = countingPacer();
    await counting.reserve(own);
    await pacer.reserve({ ...own, units: 400, latestStart: NOW + 60_000 });
    sent.length = 0;

    // Act
    const refused = await counting.reserve(own);

    // Assess: the schedule now ends at NOW + 4.1 s; 10 slots may start by NOW + 3 s.
    expect(refused).toEqual({ granted: false, retryAt: NOW + 1_100 });
    expect(sent).toEqual(['UpdateCommand', 'GetCommand']);
  });

  it('hands 20 concurrent bookings back-to-back slots, none overlapping, none lost', async () => {
    // Prepare: as twenty sender invocations would, all at once.
    const own = request({ units: 5, latestStart: NOW + 60_000 });

    // Act
    const grants = await Promise.all(Array.from({ length: 20 }, () => pacer.reserve(own)));

    // Assess: 5 slots at 100 a second are 50 ms each; together they fill 1 s exactly.
    const starts = grants.map((grant) => (grant.granted ? grant.startAt : Number.NaN)).sort((a, b) => a - b);
    expect(starts).toEqual(Array.from({ length: 20 }, (_, index) => NOW + index * 50));
  });
});
