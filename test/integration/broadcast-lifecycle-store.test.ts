import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoBroadcastStore } from '../../shared/adapters/dynamo/broadcast-store.js';
import { DynamoDepartmentStore } from '../../shared/adapters/dynamo/department-store.js';
import { DynamoSubscriberStore } from '../../shared/adapters/dynamo/subscriber-store.js';
import { ValidationError } from '../../shared/domain/errors.js';
import type { Broadcast } from '../../shared/domain/model.js';
import { aBroadcast, aPhone, inboundEvidence } from '../support/builders.js';
import { freshTable, type TestTable } from '../support/dynamo-table.js';

/**
 * The stores the broadcast lifecycle leans on, against dynalite: moves with their changes, the
 * listing and its cursor, the scheduler's list, the daily-cap counters, and profiles read in bulk.
 */

/** ULID-shaped ids, as the deployment makes them (the listing's cursor expects word characters). */
let nextBroadcast = 0;
const newBroadcastId = () => `01JBCAST${String(nextBroadcast++).padStart(18, '0')}`;

const T0 = Date.parse('2025-03-04T10:00:00.000Z');
const minutesAfter = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

describe('DynamoBroadcastStore: moves with changes', () => {
  let table: TestTable;
  let broadcasts: DynamoBroadcastStore;

  beforeAll(async () => {
    table = await freshTable('crier-lifecycle-moves');
    broadcasts = new DynamoBroadcastStore(table.documents, table.tableName);
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
    expect(after).toMatchObject(outcomes[0] ? { status: 'sending', approvedBy: 'key-approver', rejectedBy: undefined } : { status: 'rejected', approvedBy: undefined });
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

describe('DynamoBroadcastStore: the listing', () => {
  let table: TestTable;
  let broadcasts: DynamoBroadcastStore;
  /** Oldest first, as created. */
  const created: Broadcast[] = [];

  beforeAll(async () => {
    table = await freshTable('crier-lifecycle-list');
    broadcasts = new DynamoBroadcastStore(table.documents, table.tableName);
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

describe('DynamoBroadcastStore: the scheduler’s list', () => {
  let table: TestTable;
  let broadcasts: DynamoBroadcastStore;

  beforeAll(async () => {
    table = await freshTable('crier-lifecycle-schedule');
    broadcasts = new DynamoBroadcastStore(table.documents, table.tableName);
  });

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
    const fresh = await freshTable('crier-lifecycle-schedule-2');
    const store = new DynamoBroadcastStore(fresh.documents, fresh.tableName);
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

describe('DynamoDepartmentStore', () => {
  let table: TestTable;
  let departments: DynamoDepartmentStore;
  let nextDepartment = 0;
  const newDepartment = () => `dept-${nextDepartment++}`;

  beforeAll(async () => {
    table = await freshTable('crier-lifecycle-departments');
    departments = new DynamoDepartmentStore(table.documents, table.tableName);
  });

  it('counts reservations within the cap, reporting what was used before each', async () => {
    // Prepare
    const department = newDepartment();

    // Act
    const first = await departments.reserve(department, '2025-03-04', 4, 10);
    const second = await departments.reserve(department, '2025-03-04', 6, 10);

    // Assess
    expect([first, second]).toEqual([
      { reserved: true, used: 0 },
      { reserved: true, used: 4 },
    ]);
    expect(await departments.used(department, '2025-03-04')).toBe(10);
  });

  it.each([
    ['one message over, after others', [7], 4, 10, { reserved: false, used: 7 }, 7],
    ['more than the whole cap, on an empty day', [], 11, 10, { reserved: false, used: 0 }, 0],
    ['exactly the room left', [7], 3, 10, { reserved: true, used: 7 }, 10],
  ])('reserve: %s', async (_case, earlier, messages, cap, outcome, usedAfter) => {
    // Prepare
    const department = newDepartment();
    for (const count of earlier) await departments.reserve(department, '2025-03-04', count, cap);

    // Act
    const result = await departments.reserve(department, '2025-03-04', messages, cap);

    // Assess
    expect(result).toEqual(outcome);
    expect(await departments.used(department, '2025-03-04')).toBe(usedAfter);
  });

  it('lets at most one of two simultaneous reservations through when together they pass the cap', async () => {
    // Prepare
    const department = newDepartment();

    // Act
    const outcomes = await Promise.all([departments.reserve(department, '2025-03-04', 6, 10), departments.reserve(department, '2025-03-04', 6, 10)]);

    // Assess
    expect(outcomes.filter((outcome) => outcome.reserved)).toHaveLength(1);
    expect(await departments.used(department, '2025-03-04')).toBe(6);
  });

  it('never passes the cap under many simultaneous reservations', async () => {
    // Prepare
    const department = newDepartment();

    // Act
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => departments.reserve(department, '2025-03-04', 3, 10)));

    // Assess
    expect(outcomes.filter((outcome) => outcome.reserved)).toHaveLength(3);
    expect(await departments.used(department, '2025-03-04')).toBe(9);
  });

  it('keeps each day and each department apart', async () => {
    // Prepare
    const [traffic, youth] = [newDepartment(), newDepartment()];

    // Act
    await departments.reserve(traffic, '2025-03-04', 8, 10);
    const tomorrow = await departments.reserve(traffic, '2025-03-05', 8, 10);
    const otherDepartment = await departments.reserve(youth, '2025-03-04', 8, 10);

    // Assess
    expect([tomorrow.reserved, otherDepartment.reserved]).toEqual([true, true]);
    expect(await departments.used(traffic, '2025-03-04')).toBe(8);
    expect(await departments.used(traffic, '2025-03-05')).toBe(8);
    expect(await departments.used(youth, '2025-03-04')).toBe(8);
  });

  it('gives back a release, making room for a broadcast that did not fit', async () => {
    // Prepare
    const department = newDepartment();
    await departments.reserve(department, '2025-03-04', 8, 10);
    const refused = await departments.reserve(department, '2025-03-04', 5, 10);

    // Act
    await departments.release(department, '2025-03-04', 8);
    const retried = await departments.reserve(department, '2025-03-04', 5, 10);

    // Assess
    expect(refused.reserved).toBe(false);
    expect(retried).toEqual({ reserved: true, used: 0 });
    expect(await departments.used(department, '2025-03-04')).toBe(5);
  });

  it('ignores a release for a day nothing was counted on, and creates nothing', async () => {
    // Prepare
    const department = newDepartment();

    // Act
    await departments.release(department, '2025-03-04', 5);

    // Assess
    expect(await departments.used(department, '2025-03-04')).toBe(0);
    expect(await departments.reserve(department, '2025-03-04', 10, 10)).toEqual({ reserved: true, used: 0 });
  });

  it('counts messages with no cap to stay under, beside what a cap counted, and gives them back', async () => {
    // Prepare
    const department = newDepartment();
    await departments.reserve(department, '2025-03-04', 4, 10);

    // Act
    await departments.countUncapped(department, '2025-03-04', 50);
    const counted = await departments.used(department, '2025-03-04');
    await departments.release(department, '2025-03-04', 50);

    // Assess
    expect(counted).toBe(54);
    expect(await departments.used(department, '2025-03-04')).toBe(4);
  });

  it('never takes a day below 0: a release of more than was counted is ignored', async () => {
    // Prepare
    const department = newDepartment();
    await departments.countUncapped(department, '2025-03-04', 3);

    // Act
    await departments.release(department, '2025-03-04', 5);

    // Assess
    expect(await departments.used(department, '2025-03-04')).toBe(3);
  });

  it('keeps a department’s own limits, and gives back the previous ones when they change', async () => {
    // Prepare
    const department = newDepartment();
    const first = { dailyMessageCap: 500, operatorApprovalAbove: undefined, updatedAt: minutesAfter(0), updatedBy: 'key-operator' };
    const second = { dailyMessageCap: undefined, operatorApprovalAbove: 2000, updatedAt: minutesAfter(1), updatedBy: 'key-operator-2' };

    // Act
    const beforeFirst = await departments.setLimits(department, first);
    const beforeSecond = await departments.setLimits(department, second);

    // Assess
    expect(beforeFirst).toBeUndefined();
    expect(beforeSecond).toEqual(first);
    expect(await departments.limits(department)).toEqual(second);
    expect(await departments.limits(newDepartment())).toBeUndefined();
  });
});

describe('DynamoSubscriberStore.profilesOf', () => {
  let table: TestTable;
  let subscribers: DynamoSubscriberStore;
  const at = minutesAfter(0);

  beforeAll(async () => {
    table = await freshTable('crier-lifecycle-profiles');
    subscribers = new DynamoSubscriberStore(table.documents, table.tableName, 4);
    await subscribers.subscribe(aPhone(1), 'sms', 'traffic', at, inboundEvidence());
    await subscribers.updateProfile(aPhone(1), 'sms', { area: 'CF10', language: 'cy', ageBand: '16-17' }, at, inboundEvidence());
    await subscribers.subscribe(aPhone(2), 'whatsapp', 'traffic', at, inboundEvidence());
    await subscribers.recordWhatsAppWindow(aPhone(2), minutesAfter(5));
  });

  it.each([true, false])('reads many profiles at once (consistent: %s); phones without one are absent', async (consistent) => {
    // Act
    const profiles = await subscribers.profilesOf([aPhone(1), aPhone(2), aPhone(999), aPhone(1)], { consistent });

    // Assess
    expect([...profiles.keys()].sort()).toEqual([aPhone(1), aPhone(2)]);
    expect(profiles.get(aPhone(1))).toMatchObject({ phone: aPhone(1), area: 'CF10', language: 'cy', ageBand: '16-17', optedOut: {} });
    expect(profiles.get(aPhone(2))).toMatchObject({ phone: aPhone(2), area: undefined, language: undefined, whatsappWindowOpenedAt: minutesAfter(5) });
    expect(profiles.get(aPhone(1))).toEqual(await subscribers.getProfile(aPhone(1)));
  });

  it('reads a STOP written a moment ago when asked to be consistent', async () => {
    // Prepare
    const phone = aPhone(3);
    await subscribers.subscribe(phone, 'sms', 'traffic', at, inboundEvidence());

    // Act
    await subscribers.optOut(phone, 'sms', minutesAfter(1), inboundEvidence({ text: 'STOP' }));
    const profiles = await subscribers.profilesOf([phone], { consistent: true });

    // Assess
    expect(profiles.get(phone)?.optedOut).toEqual({ sms: minutesAfter(1) });
  });

  it('reads more than one batch’s worth (over 100 phones) and answers nothing for an empty list', async () => {
    // Prepare
    const phones = Array.from({ length: 105 }, (_, index) => aPhone(100 + index));
    for (const phone of phones) await subscribers.claimDailyAcknowledgement(phone, '2025-03-04', at);

    // Act
    const profiles = await subscribers.profilesOf([...phones, aPhone(998)], { consistent: false });
    const none = await subscribers.profilesOf([], { consistent: true });

    // Assess
    expect(profiles.size).toBe(105);
    expect([...profiles.keys()].sort()).toEqual([...phones].sort());
    expect(none.size).toBe(0);
  });
});
