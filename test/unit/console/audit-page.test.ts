import { describe, expect, it } from 'vitest';
import { auditActions, type AuditEntry } from '../../../shared/staff/audit-log.js';
import { aPhone, anInboxEntry } from '../../support/builders.js';
import { CONSOLE_NOW, consoleTestApp, type ConsoleTestApp } from '../../support/console-app.js';
import { everyPageChecked, type PageCase } from '../../support/console-page-cases.js';
import { errorSummary, pageText } from '../../support/page-reading.js';
import { addStaff } from '../../../shared/staff/manage-staff.js';
import { updateTopic } from '../../../shared/topics/manage-topics.js';
import { auditActionLabels, changedFields, readableValue } from '../../../console/views-model/audit.js';

/** A message in traffic's inbox, assigned and noted by a sender: three audit records. */
async function workedMessage(t: ConsoleTestApp) {
  const sender = await t.signIn('sender', 'traffic', 'Siân Sender');
  const entry = await t.stores.inbox.add(anInboxEntry({ department: 'traffic', from: aPhone(1), body: 'Pothole on Elm Road', receivedAt: CONSOLE_NOW }));
  await t.post(`/console/inbox/${entry.id}/assign`, sender, { assignee: sender.staff.id });
  await t.post(`/console/inbox/${entry.id}/notes`, sender, { note: 'Passed to highways.' });
  await t.post(`/console/inbox/${entry.id}/handled`, sender);
  return { sender, entry };
}

/** The records' headings (what was done), in the page's order: the filter's choices list every action too. */
function recorded(html: string): string[] {
  return [...html.matchAll(/<h2 class="govuk-heading-s[^"]*">([^<]+)<\/h2>/g)].map((match) => match[1]!.trim());
}

const pages: PageCase[] = [
  { name: 'audit log, empty', status: 200, response: async (t) => t.get('/console/audit', await t.signIn('operator', '*')) },
  { name: 'audit log, with inbox work', status: 200, response: async (t) => (await workedMessage(t), t.get('/console/audit', await t.signIn('operator', '*'))) },
  { name: 'audit log, filtered', status: 200, response: async (t) => (await workedMessage(t), t.get('/console/audit?action=inbox.assign&department=traffic&from=2025-03-04&to=2025-03-04', await t.signIn('operator', '*'))) },
  { name: 'audit log, a day that is not one', status: 400, response: async (t) => t.get('/console/audit?from=2025-13-01', await t.signIn('operator', '*')) },
  { name: 'audit log, refused to a sender', status: 403, response: async (t) => t.get('/console/audit', await t.signIn('sender')) },
];

everyPageChecked('every audit log page', pages);

describe('the audit log page', () => {
  it('shows who did what to which message, with before and after, and never the number or the words', async () => {
    // Prepare
    const t = await consoleTestApp();
    const { entry } = await workedMessage(t);

    // Act
    const html = await (await t.get('/console/audit?action=inbox.assign', await t.signIn('operator', '*'))).text();

    // Assess
    const text = pageText(html);
    expect(recorded(html)).toEqual(['Assigned a message']);
    expect(text).toContain('Siân Sender (sender, traffic)');
    expect(text).toMatch(/Assigned to\s+—\s+\S+/);
    expect(html).toContain(`href="/console/inbox/${entry.id}"`);
    expect(text).not.toContain(aPhone(1));
    expect(text).not.toContain('Passed to highways.');
    expect(text).not.toContain('Pothole');
  });

  it.each([
    { query: 'action=inbox.note', shown: ['Left a note on a message'] },
    { query: 'department=youth', shown: [] },
    { query: 'department=traffic', shown: ['Assigned a message', 'Left a note on a message', 'Marked a message handled'] },
    { query: 'from=2025-03-05', shown: [] },
  ])('filters by $query', async ({ query, shown }) => {
    // Prepare
    const t = await consoleTestApp();
    await workedMessage(t);

    // Act
    const html = await (await t.get(`/console/audit?${query}`, await t.signIn('operator', '*'))).text();

    // Assess
    expect(recorded(html)).toEqual([...shown].reverse());
  });

  it('finds an operator\'s change to a department\'s topic, and a member of staff added, under that department', async () => {
    // Prepare
    const t = await consoleTestApp();
    const operator = await t.signIn('operator', '*');
    await updateTopic(t.deps.broadcasts, { keyId: operator.staff.id, name: 'Ops', role: 'operator', department: '*', mode: 'live' }, 'traffic', { name: 'Traffic news' });
    await addStaff(t.deps.broadcasts, { keyId: operator.staff.id, name: 'Ops', role: 'operator', department: '*', mode: 'live' }, { email: 'new@youth.test', name: 'New', department: 'youth', role: 'sender', mode: 'live' });

    // Act
    const traffic = await (await t.get('/console/audit?department=traffic', operator)).text();
    const youth = await (await t.get('/console/audit?department=youth', operator)).text();

    // Assess
    expect(recorded(traffic)).toEqual(['Changed a topic']);
    expect(recorded(youth)).toEqual(['Added a member of staff']);
  });

  it('filters by who', async () => {
    // Prepare
    const t = await consoleTestApp();
    const { sender } = await workedMessage(t);
    const other = await t.signIn('sender', 'traffic', 'Someone Else');

    // Act
    const mine = await (await t.get(`/console/audit?actor=${sender.staff.id}`, await t.signIn('operator', '*'))).text();
    const theirs = await (await t.get(`/console/audit?actor=${other.staff.id}`, await t.signIn('operator', '*'))).text();

    // Assess
    expect(recorded(mine)).toEqual(['Marked a message handled', 'Left a note on a message', 'Assigned a message']);
    expect(pageText(theirs)).toContain('Nothing was recorded that matches.');
  });

  it('names the field in the error summary for a range that ends before it starts', async () => {
    // Prepare
    const t = await consoleTestApp();

    // Act
    const response = await t.get('/console/audit?from=2025-03-04&to=2025-03-01', await t.signIn('operator', '*'));

    // Assess
    expect(response.status).toBe(400);
    expect(errorSummary(await response.text())).toEqual([{ text: 'To must be the same as or after the from date.', href: '#to' }]);
  });
});

describe('auditActionLabels', () => {
  it.each(auditActions)('names %s in words', (action) => {
    // Prepare / Act
    const label = auditActionLabels[action];

    // Assess
    expect(label).toMatch(/^[A-Z][^.]+$/);
  });
});

describe('changedFields', () => {
  it.each<[string, Pick<AuditEntry, 'before' | 'after'>, ReturnType<typeof changedFields>]>([
    ['an assignment', { before: { assignedTo: null }, after: { assignedTo: 'staff-1' } }, [{ field: 'Assigned to', before: '—', after: 'staff-1' }]],
    ['a limit changed, one kept', { before: { dailyMessageCap: 100, operatorApprovalAbove: 5 }, after: { dailyMessageCap: 200, operatorApprovalAbove: 5 } }, [{ field: 'Daily message cap', before: '100', after: '200' }]],
    ['something made (no before)', { before: undefined, after: { revoked: false } }, [{ field: 'Revoked', before: '—', after: 'No' }]],
    ['keywords', { before: { keywords: ['A'] }, after: { keywords: ['A', 'B'] } }, [{ field: 'Keywords', before: 'A', after: 'A, B' }]],
    ['a time, shown in the deployment’s zone', { before: undefined, after: { handledAt: '2025-07-01T09:00:00.000Z' } }, [{ field: 'Handled at', before: '—', after: 'Tuesday 1 July 2025 at 10:00' }]],
    ['nothing to compare', { before: undefined, after: undefined }, []],
  ])('%s', (_case, entry, expected) => {
    // Prepare / Act
    const rows = changedFields(entry, 'Europe/London');

    // Assess
    expect(rows).toEqual(expected);
  });

  it('writes an object it has no words for as JSON', () => {
    // Prepare / Act / Assess
    expect(readableValue({ sms: 2 }, 'Europe/London')).toBe('{"sms":2}');
  });
});
