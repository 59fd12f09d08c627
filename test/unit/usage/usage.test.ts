import { describe, expect, it } from 'vitest';
import { ForbiddenError, ValidationError } from '../../../shared/domain/errors.js';
import { usageCsv } from '../../../shared/usage/usage-csv.js';
import { defaultFrom, usageReport, type UsageDependencies } from '../../../shared/usage/usage-report.js';
import { usageRows, type UsagePeriod } from '../../../shared/usage/usage-rows.js';
import { aPrincipal, aTopic } from '../../support/builders.js';
import { FixedClock, SequentialIds, inMemoryStores } from '../../support/in-memory-stores.js';

const day = (date: string, sent: number, costMicros: number, replyCostMicros = 0, countedAgainstCap = sent) => ({
  day: date,
  sent,
  countedAgainstCap,
  costMicros,
  replyCostMicros,
  currency: 'GBP' as string | undefined,
});

async function setUp() {
  const stores = inMemoryStores();
  await stores.topics.create(aTopic({ id: 'traffic', keywords: ['TRAFFIC'], department: 'traffic' }));
  await stores.topics.create(aTopic({ id: 'youth', keywords: ['YOUTH'], department: 'youth' }));
  await stores.departments.addCost('traffic', '2026-11-30', 80_000, 'GBP', 'broadcasts', 2);
  await stores.departments.addCost('traffic', '2026-12-01', 40_000, 'GBP', 'broadcasts', 1);
  await stores.departments.addCost('youth', '2026-12-01', 35_000, 'GBP', 'replies', 1);
  const deps: UsageDependencies = {
    stores,
    clock: new FixedClock('2026-12-01T09:00:00.000Z'),
    ids: new SequentialIds(),
    window: { dayOf: (at) => at.toISOString().slice(0, 10) },
    currency: 'GBP',
  };
  return { deps, stores };
}

describe('usageRows', () => {
  it.each<[UsagePeriod, string[], number[]]>([
    ['day', ['2026-11-30', '2026-12-01', '2026-12-02'], [2, 1, 3]],
    ['month', ['2026-11', '2026-12'], [2, 4]],
  ])('sums the days by %s, oldest first', (by, periods, sent) => {
    // Prepare
    const days = [day('2026-12-02', 3, 120_000), day('2026-11-30', 2, 80_000), day('2026-12-01', 1, 40_000, 40_000)];

    // Act
    const rows = usageRows('traffic', days, by, 'GBP');

    // Assess
    expect(rows.map((row) => row.period)).toEqual(periods);
    expect(rows.map((row) => row.sent)).toEqual(sent);
    expect(rows.reduce((sum, row) => sum + row.costMicros, 0)).toBe(240_000);
  });

  it("gives a day with nothing costed the deployment's currency", () => {
    // Act
    const [row] = usageRows('traffic', [{ ...day('2026-12-01', 0, 0), currency: undefined }], 'day', 'EUR');

    // Assess
    expect(row?.currency).toBe('EUR');
  });
});

describe('defaultFrom', () => {
  it.each([
    ['day', '2026-12-01', '2026-11-02'],
    ['month', '2026-12-15', '2026-01-01'],
    ['month', '2026-03-31', '2025-04-01'],
  ] as const)('by %s up to %s starts at %s', (by, to, from) => {
    // Act / Assess
    expect(defaultFrom(to, by)).toBe(from);
  });
});

describe('usageReport', () => {
  it.each([
    ['an operator, every department with topics and general', aPrincipal({ role: 'operator', department: '*' }), undefined, ['general', 'traffic', 'youth'], 3],
    ['an operator, one department', aPrincipal({ role: 'operator', department: '*' }), 'youth', ['youth'], 1],
    ['a sender, their own department', aPrincipal({ role: 'sender', department: 'traffic' }), undefined, ['traffic'], 2],
    ['a viewer, naming their own department', aPrincipal({ role: 'viewer', department: 'youth' }), 'youth', ['youth'], 1],
  ])('%s', async (_case, principal, department, departments, rows) => {
    // Prepare
    const { deps } = await setUp();

    // Act
    const report = await usageReport(deps, principal, { by: 'day', ...(department ? { department } : {}) });

    // Assess
    expect(report).toMatchObject({ from: '2026-11-02', to: '2026-12-01', by: 'day', departments });
    expect(report.rows).toHaveLength(rows);
  });

  it("refuses someone another department's usage", async () => {
    // Prepare
    const { deps } = await setUp();

    // Act
    const attempt = usageReport(deps, aPrincipal({ role: 'sender', department: 'traffic' }), { by: 'day', department: 'youth' });

    // Assess
    await expect(attempt).rejects.toThrow(new ForbiddenError('this key belongs to department "traffic", not "youth"'));
  });

  it.each([
    [{ from: '2026-12-02', to: '2026-12-01' }, 'the window is empty'],
    [{ from: '2025-10-01', to: '2026-12-01' }, 'the window is too wide'],
  ])('refuses a window %o, naming from', async (window, message) => {
    // Prepare
    const { deps } = await setUp();

    // Act
    const attempt = usageReport(deps, aPrincipal({ role: 'operator', department: '*' }), { by: 'month', ...window });

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toMatchObject({ message, details: [{ field: 'from' }] });
  });

  it('sums by month: the traffic team used 3 messages and £0.12 in the two days', async () => {
    // Prepare
    const { deps } = await setUp();

    // Act
    const report = await usageReport(deps, aPrincipal({ role: 'operator', department: '*' }), { by: 'month', department: 'traffic' });

    // Assess
    expect(report.rows).toEqual([
      { department: 'traffic', period: '2026-11', sent: 2, countedAgainstCap: 0, costMicros: 80_000, replyCostMicros: 0, currency: 'GBP' },
      { department: 'traffic', period: '2026-12', sent: 1, countedAgainstCap: 0, costMicros: 40_000, replyCostMicros: 0, currency: 'GBP' },
    ]);
  });
});

describe('usageCsv', () => {
  it('writes a header and a line per department and period, costs in pounds, cells a spreadsheet would run neutralised', () => {
    // Prepare
    const rows = [
      { department: 'traffic', period: '2026-12', sent: 3, countedAgainstCap: 3, costMicros: 120_000, replyCostMicros: 40_000, currency: 'GBP' },
      { department: '=cmd', period: '2026-12', sent: 0, countedAgainstCap: 0, costMicros: 0, replyCostMicros: 0, currency: 'GBP' },
    ];

    // Act
    const csv = usageCsv(rows);

    // Assess
    expect(csv).toBe(
      'department,period,messages sent,counted against daily cap,estimated cost,of which replies,currency\r\n' +
        'traffic,2026-12,3,3,0.12,0.04,GBP\r\n' +
        "'=cmd,2026-12,0,0,0,0,GBP\r\n",
    );
  });
});
