import { beforeAll, describe, expect, it } from 'vitest';
import type { DepartmentStore } from '../../../shared/usage/department-store.js';

/*
 * The department store's contract: one set of cases, run against the DynamoDB store on dynalite
 * (department-store-dynamo.test.ts) and the in-memory one the use cases' tests rely on
 * (test/unit/usage/department-store-memory.test.ts), so the fake cannot drift from the
 * store that runs: limits, the daily cap's counts, and costs by day.
 */

const T0 = Date.parse('2025-03-04T10:00:00.000Z');
const minutesAfter = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const DAY = '2025-03-01';

/** Builds the store under test; each case takes a department of its own, so they may share it. */
export type DepartmentStoreFactory = () => Promise<DepartmentStore>;

export function departmentStoreContract(name: string, makeStore: DepartmentStoreFactory): void {
  describe(`${name}: the department store's contract`, () => {
    let departments: DepartmentStore;
    let nextDepartment = 0;
    const newDepartment = () => `dept-${nextDepartment++}`;

    beforeAll(async () => {
      departments = await makeStore();
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

    it("reads a department's usage day by day within the window asked, oldest first, and leaves out days with none", async () => {
      // Prepare
      const department = newDepartment();
      await departments.reserve(department, '2025-02-28', 4, 100);
      await departments.addCost(department, '2025-02-28', 160_000, 'GBP', 'broadcasts', 4);
      await departments.addCost(department, DAY, 40_000, 'GBP', 'replies', 1);
      await departments.addCost(department, '2025-03-02', 40_000, 'GBP', 'broadcasts', 1);
      await departments.addCost(`${department}-other`, DAY, 40_000, 'GBP', 'broadcasts', 1);

      // Act
      const usage = await departments.usage(department, '2025-02-01', DAY);

      // Assess
      expect(usage).toEqual([
        { day: '2025-02-28', sent: 4, countedAgainstCap: 4, costMicros: 160_000, replyCostMicros: 0, currency: 'GBP' },
        { day: DAY, sent: 1, countedAgainstCap: 0, costMicros: 40_000, replyCostMicros: 40_000, currency: 'GBP' },
      ]);
    });

    it("keeps a department's cost beside its cap usage on the same day item, each counted on its own", async () => {
      // Prepare
      const department = newDepartment();
      await departments.reserve(department, DAY, 5, 100);

      // Act
      await departments.addCost(department, DAY, 33_300, 'GBP');
      await departments.addCost(department, DAY, 33_300, 'GBP');
      await departments.addCost(department, DAY, 33_300, 'GBP');

      // Assess
      expect(await departments.cost(department, DAY)).toEqual({ costMicros: 99_900, replyCostMicros: 0, currency: 'GBP' });
      expect(await departments.used(department, DAY)).toBe(5);
    });

    it('says a day with nothing sent cost nothing', async () => {
      // Prepare / Act / Assess
      expect(await departments.cost(newDepartment(), DAY)).toEqual({ costMicros: 0, replyCostMicros: 0, currency: undefined });
    });

    it("adds replies' cost to the day's total and keeps it apart, without touching the cap's count", async () => {
      // Prepare
      const department = newDepartment();
      await departments.reserve(department, DAY, 2, 100);
      await departments.addCost(department, DAY, 80_000, 'GBP');

      // Act
      await departments.addCost(department, DAY, 35_000, 'GBP', 'replies');
      await departments.addCost(department, DAY, 35_000, 'GBP', 'replies');

      // Assess
      expect(await departments.cost(department, DAY)).toEqual({ costMicros: 150_000, replyCostMicros: 70_000, currency: 'GBP' });
      expect(await departments.used(department, DAY)).toBe(2);
    });

    it('makes no usage day for an addition of nothing, and keeps the currency the day was first costed in', async () => {
      // Prepare
      const department = newDepartment();

      // Act
      await departments.addCost(department, DAY, 0, 'GBP', 'broadcasts', 0);
      const nothing = await departments.usage(department, DAY, DAY);
      await departments.addCost(department, DAY, 10_000, 'GBP', 'broadcasts', 1);
      await departments.addCost(department, DAY, 5_000, 'EUR', 'broadcasts', 1);

      // Assess
      expect(nothing).toEqual([]);
      expect(await departments.usage(department, DAY, DAY)).toEqual([{ day: DAY, sent: 2, countedAgainstCap: 0, costMicros: 15_000, replyCostMicros: 0, currency: 'GBP' }]);
    });
  });
}
