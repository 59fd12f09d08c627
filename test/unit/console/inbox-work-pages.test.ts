import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { InboxEntry } from '../../../shared/inbox/inbox-store.js';
import { aBroadcast, aPhone, anInboxEntry } from '../../support/builders.js';
import { CONSOLE_NOW, consoleTestApp, type ConsoleTestApp } from '../../support/console-app.js';
import { errorSummary, pageText } from '../../support/page-reading.js';

/** A resident's text in the traffic department's inbox, `minutesAgo` before the console's now. */
async function received(t: ConsoleTestApp, overrides: Partial<InboxEntry> & { minutesAgo?: number } = {}): Promise<InboxEntry> {
  const { minutesAgo = 5, ...rest } = overrides;
  const receivedAt = new Date(Date.parse(CONSOLE_NOW) - minutesAgo * 60_000).toISOString();
  return t.stores.inbox.add(anInboxEntry({ department: 'traffic', from: aPhone(1), channel: 'sms', body: 'Is the A470 open yet?', receivedAt, ...rest }));
}

const DAY_MINUTES = 24 * 60;

describe('the inbox list’s filters', () => {
  it.each([
    { case: 'not handled', query: 'status=unhandled', shown: ['Today, closures', 'Yesterday, traffic'] },
    { case: 'a topic', query: 'topic=closures', shown: ['Today, closures'] },
    { case: 'the broadcast answered', query: 'broadcast=bc-a470', shown: ['Yesterday, traffic'] },
    { case: 'a day (both ends included)', query: 'receivedFrom=2025-03-03&receivedTo=2025-03-03', shown: ['Yesterday, traffic'] },
    { case: 'from a day on', query: 'receivedFrom=2025-03-03', shown: ['Today, closures', 'Yesterday, traffic'] },
    { case: 'assigned to you', query: 'assignedTo=me', shown: ['Last week, handled'] },
  ])('shows $case, and keeps the filter in the form', async ({ query, shown }) => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');
    await t.stores.broadcasts.create(aBroadcast({ id: 'bc-a470', startsAt: CONSOLE_NOW }));
    await received(t, { body: 'Today, closures', topicId: 'closures', from: aPhone(1) });
    await received(t, { body: 'Yesterday, traffic', broadcastId: 'bc-a470', from: aPhone(2), minutesAgo: DAY_MINUTES });
    const old = await received(t, { body: 'Last week, handled', from: aPhone(3), minutesAgo: 7 * DAY_MINUTES });
    await t.post(`/console/inbox/${old.id}/handled`, sender);
    await t.post(`/console/inbox/${old.id}/assign`, sender, { assignee: sender.staff.id });

    // Act
    const html = await (await t.get(`/console/inbox?${query}`, sender)).text();

    // Assess
    const text = pageText(html);
    const all = ['Today, closures', 'Yesterday, traffic', 'Last week, handled'];
    expect(all.filter((body) => text.includes(body))).toEqual(shown);
    expect(html).toContain(`href="/console/inbox/export?${query.replaceAll('&', '&amp;')}"`);
  });

  it('names the broadcast each text answers, with a link to it', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');
    await t.stores.broadcasts.create(aBroadcast({ id: 'bc-a470', startsAt: CONSOLE_NOW, body: 'The A470 is closed at Storey Arms.' }));
    const entry = await received(t, { broadcastId: 'bc-a470' });

    // Act
    const list = await (await t.get('/console/inbox', sender)).text();
    const conversation = await (await t.get(`/console/inbox/${entry.id}`, sender)).text();

    // Assess
    for (const html of [list, conversation]) {
      expect(html).toContain('href="/console/broadcasts/bc-a470"');
      expect(pageText(html)).toContain('“The A470 is closed at Storey Arms.”, Tuesday 4 March 2025 at 10:00');
    }
  });

  it.each([
    { query: 'receivedFrom=2025-02-30', summary: 'Received from must be a real date, like 2026-03-27.', href: '#receivedFrom' },
    { query: 'receivedFrom=2025-03-04&receivedTo=2025-03-01', summary: 'Received to must be the same as or after the from date.', href: '#receivedTo' },
    { query: 'topic=Not%20a%20topic', summary: 'Topic must be 1–40 lowercase letters, digits or dashes, starting with a letter or digit.', href: '#topic' },
  ])('refuses $query in the error summary, naming the field', async ({ query, summary, href }) => {
    // Prepare
    const t = await consoleTestApp();

    // Act
    const response = await t.get(`/console/inbox?${query}`, await t.signIn('sender'));

    // Assess
    expect(response.status).toBe(400);
    expect(errorSummary(await response.text())).toEqual([{ text: summary, href }]);
  });

  it('keeps the filter in the link to older messages', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');
    for (let minute = 0; minute < 51; minute += 1) await received(t, { topicId: 'closures', from: aPhone(100 + minute), minutesAgo: minute + 1 });

    // Act
    const html = await (await t.get('/console/inbox?status=unhandled&topic=closures', sender)).text();

    // Assess
    expect(html).toMatch(/href="\/console\/inbox\?status=unhandled&amp;topic=closures&amp;cursor=[^"]+"/);
  });
});

describe('the inbox as CSV', () => {
  it.each([
    { role: 'sender' as const, department: 'traffic', inbox: 'traffic', number: '*********001' },
    { role: 'operator' as const, department: '*', inbox: 'general', number: `'${aPhone(1)}` },
  ])('gives a $role the filtered messages, the number as $number, every cell neutralised', async ({ role, department, inbox, number }) => {
    // Prepare
    const t = await consoleTestApp();
    const person = await t.signIn(role, department);
    await received(t, { department: inbox, body: '=HYPERLINK("http://evil.test")', topicId: 'closures' });
    await received(t, { department: inbox, body: 'Another topic', topicId: 'traffic', from: aPhone(2) });

    // Act
    const response = await t.get('/console/inbox/export?topic=closures', person);
    const rows = parse(await response.text(), { columns: true }) as Record<string, string>[];

    // Assess
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(rows.map((row) => [row.number, row.message, row.topic])).toEqual([[number, `'=HYPERLINK("http://evil.test")`, 'closures']]);
  });
});

describe('assigning, notes and Send reply on the conversation', () => {
  it('assigns to a colleague and back to nobody, and a note shows in the conversation and is never sent', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender', 'traffic', 'Siân Sender');
    const colleague = await t.signIn('approver', 'traffic', 'Aled Approver');
    const entry = await received(t);

    // Act
    await t.post(`/console/inbox/${entry.id}/assign`, sender, { assignee: colleague.staff.id });
    const assigned = pageText(await (await t.get(`/console/inbox/${entry.id}`, sender)).text());
    await t.post(`/console/inbox/${entry.id}/assign`, sender, { assignee: '' });
    await t.post(`/console/inbox/${entry.id}/notes`, sender, { note: 'Asked highways about the A470.' });
    const withNote = pageText(await (await t.get(`/console/inbox/${entry.id}`, colleague)).text());

    // Assess
    expect(assigned).toContain('Assigned to Aled Approver');
    expect(withNote).toContain('Assigned to Nobody');
    expect(withNote).toContain('Note for colleagues by Siân Sender');
    expect(withNote).toContain('Asked highways about the A470.');
    expect(t.replies.sent).toEqual([]);
    expect(t.stores.audit.entries.map((audit) => audit.action)).toEqual(['inbox.assign', 'inbox.assign', 'inbox.note']);
    expect(JSON.stringify(t.stores.audit.entries)).not.toContain('highways');
  });

  it('sends one reply when the same Send reply form is sent twice', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');
    const entry = await received(t);
    const html = await (await t.get(`/console/inbox/${entry.id}`, sender)).text();
    const replyToken = /name="replyToken" value="([^"]+)"/.exec(html)?.[1] ?? '';

    // Act
    const first = await t.post(`/console/inbox/${entry.id}/reply`, sender, { reply: 'Yes, since 9am.', replyToken });
    const second = await t.post(`/console/inbox/${entry.id}/reply`, sender, { reply: 'Yes, since 9am.', replyToken });

    // Assess
    expect(replyToken).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect([first.status, second.status]).toEqual([303, 303]);
    expect(t.replies.sent.map((job) => job.body)).toEqual(['Yes, since 9am.']);
    expect((await t.stores.inbox.get(entry.id))?.replies).toHaveLength(1);
  });
});
