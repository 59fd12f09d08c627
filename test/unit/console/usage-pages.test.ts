import { describe, expect, it } from 'vitest';
import { consoleTestApp, type ConsoleTestApp } from '../../support/console-app.js';
import { everyPageChecked, type PageCase } from '../../support/console-page-cases.js';
import { errorSummary, pageText } from '../../support/page-reading.js';

/** A few days' usage: traffic's broadcasts on two days of March, youth's replies on one. */
async function withUsage(t: ConsoleTestApp) {
  await t.stores.departments.reserve('traffic', '2025-03-03', 3, 1000);
  await t.stores.departments.addCost('traffic', '2025-03-03', 120_000, 'GBP', 'broadcasts', 3);
  await t.stores.departments.addCost('traffic', '2025-03-04', 40_000, 'GBP', 'broadcasts', 1);
  await t.stores.departments.addCost('youth', '2025-03-04', 35_000, 'GBP', 'replies', 1);
}

const pages: PageCase[] = [
  { name: 'usage, an operator, every department', status: 200, response: async (t) => (await withUsage(t), t.get('/console/usage', await t.signIn('operator', '*'))) },
  { name: 'usage, an operator, one department by month', status: 200, response: async (t) => (await withUsage(t), t.get('/console/usage?department=traffic&by=month', await t.signIn('operator', '*'))) },
  { name: 'usage, a sender, their department', status: 200, response: async (t) => (await withUsage(t), t.get('/console/usage', await t.signIn('sender'))) },
  { name: 'usage, nothing sent', status: 200, response: async (t) => t.get('/console/usage', await t.signIn('viewer', 'youth')) },
  { name: 'usage, a bad filter', status: 400, response: async (t) => t.get('/console/usage?by=year', await t.signIn('sender')) },
  { name: 'limits: the form', status: 200, response: async (t) => t.get('/console/usage/traffic/limits', await t.signIn('operator', '*')) },
  { name: 'limits: not a number', status: 400, response: async (t) => t.post('/console/usage/traffic/limits', await t.signIn('operator', '*'), { dailyMessageCap: 'lots', operatorApprovalAbove: '' }) },
  { name: 'limits: refused to a sender', status: 403, response: async (t) => t.get('/console/usage/traffic/limits', await t.signIn('sender')) },
  { name: "usage: refused another department's", status: 403, response: async (t) => t.get('/console/usage?department=youth', await t.signIn('sender')) },
];

everyPageChecked('every limits and usage page', pages);

describe('limits and usage', () => {
  it.each([
    { who: 'an operator', role: 'operator', department: '*', sees: ['traffic', 'youth'], not: [] },
    { who: 'a sender of traffic', role: 'sender', department: 'traffic', sees: ['traffic'], not: ['youth'] },
  ] as const)('shows $who the usage of their departments, by day, with totals', async ({ role, department, sees, not }) => {
    // Prepare
    const t = await consoleTestApp();
    await withUsage(t);

    // Act
    const text = pageText(await (await t.get('/console/usage', await t.signIn(role, department))).text());

    // Assess
    if (role === 'sender') expect(text).toContain('Tuesday 4 March 2025 1 0 £0.04 £0.00 Monday 3 March 2025 3 3 £0.12 £0.00 Total 4 3 £0.16 £0.00');
    else expect(text).toContain('traffic Total 4 3 £0.16 £0.00 youth Total 1 0 £0.04 £0.04');
    for (const name of sees) expect(text).toContain(name);
    for (const name of not) expect(text).not.toContain(` ${name} `);
  });

  it("shows a department's limits, where each comes from, and offers operators to change them", async () => {
    // Prepare
    const t = await consoleTestApp({ dailyMessageCap: 1000 });
    await withUsage(t);

    // Act
    const sender = pageText(await (await t.get('/console/usage', await t.signIn('sender'))).text());
    const operator = pageText(await (await t.get('/console/usage?department=traffic', await t.signIn('operator', '*'))).text());

    // Assess
    expect(sender).toContain("Daily message cap 1,000 messages a day (the deployment's default) Sent today 0 of 1,000 messages (1,000 left)");
    expect(sender).not.toContain('Change the limits');
    expect(operator).toContain('Change the limits of department traffic');
  });

  it('downloads the usage as CSV, by month', async () => {
    // Prepare
    const t = await consoleTestApp();
    await withUsage(t);

    // Act
    const response = await t.get('/console/usage/download?by=month', await t.signIn('operator', '*'));

    // Assess
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="usage-all-by-month-2024-04-01-to-2025-03-04.csv"');
    expect(await response.text()).toBe(
      'department,period,messages sent,counted against daily cap,estimated cost,of which replies,currency\r\n' +
        'traffic,2025-03,4,3,0.16,0,GBP\r\n' +
        'youth,2025-03,1,0,0.035,0.035,GBP\r\n',
    );
  });

  it("changes a department's limits through the use case (audited), empty going back to the default", async () => {
    // Prepare
    const t = await consoleTestApp();
    const operator = await t.signIn('operator', '*');

    // Act
    const response = await t.post('/console/usage/traffic/limits', operator, { dailyMessageCap: '500', operatorApprovalAbove: '' });
    const after = pageText(await (await t.get(response.headers.get('location')!, operator)).text());

    // Assess
    expect(response.status).toBe(303);
    expect(await t.stores.departments.limits('traffic')).toMatchObject({ dailyMessageCap: 500, operatorApprovalAbove: undefined });
    expect(t.stores.audit.entries).toMatchObject([{ action: 'department.limits', target: { type: 'department', id: 'traffic' }, after: { dailyMessageCap: 500 } }]);
    expect(after).toContain('The limits of department traffic were changed.');
    expect(after).toContain('500 messages a day');
  });

  it('refuses a limit that is not a whole number, beside its field, changing nothing', async () => {
    // Prepare
    const t = await consoleTestApp();

    // Act
    const response = await t.post('/console/usage/traffic/limits', await t.signIn('operator', '*'), { dailyMessageCap: '-5', operatorApprovalAbove: '' });

    // Assess
    expect(response.status).toBe(400);
    expect(errorSummary(await response.text())).toEqual([{ href: '#dailyMessageCap', text: 'Daily message cap must be a whole number, 0 or more.' }]);
    expect(await t.stores.departments.limits('traffic')).toBeUndefined();
  });
});
