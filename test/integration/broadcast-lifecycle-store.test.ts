import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDepartmentStore } from '../../shared/adapters/dynamo/department-store.js';
import { DynamoSubscriberStore } from '../../shared/adapters/dynamo/subscriber-store.js';
import { aPhone, inboundEvidence } from '../support/builders.js';
import { freshTable, type TestTable } from '../support/dynamo-table.js';

/**
 * The stores the broadcast lifecycle leans on, against dynalite: the daily-cap counters, and
 * profiles read in bulk. The broadcast store's moves, listing and scheduler's list are in its
 * contract (broadcasts/broadcast-store.contract.ts), run against it and the in-memory store.
 */

const T0 = Date.parse('2025-03-04T10:00:00.000Z');
const minutesAfter = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

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
