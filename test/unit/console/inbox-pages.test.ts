import { describe, expect, it } from 'vitest';
import { ERASED } from '../../../shared/domain/erasure.js';
import type { InboxEntry } from '../../../shared/inbox/inbox-store.js';
import { aPhone, anInboxEntry, inboundEvidence } from '../../support/builders.js';
import { CONSOLE_NOW, consoleTestApp, type ConsoleTestApp } from '../../support/console-app.js';
import { everyPageChecked, type PageCase } from '../../support/console-page-cases.js';
import { errorSummary, pageText } from '../../support/page-reading.js';

/** A resident's text in the traffic department's inbox, `minutesAgo` before the console's now. */
async function received(t: ConsoleTestApp, overrides: Partial<InboxEntry> & { minutesAgo?: number } = {}): Promise<InboxEntry> {
  const { minutesAgo = 5, ...rest } = overrides;
  const receivedAt = new Date(Date.parse(CONSOLE_NOW) - minutesAgo * 60_000).toISOString();
  return t.stores.inbox.add(anInboxEntry({ department: 'traffic', from: aPhone(1), channel: 'sms', body: 'Is the A470 open yet?', receivedAt, ...rest }));
}

/** The navigation's Inbox link as read: "Inbox 2 unhandled", or "Inbox". */
function inboxLink(html: string): string | undefined {
  const link = /<a class="govuk-service-navigation__link" href="\/console\/inbox"[^>]*>([\s\S]*?)<\/a>/.exec(html)?.[1];
  return link === undefined ? undefined : pageText(`<main>${link}</main>`);
}

const pages: PageCase[] = [
  { name: 'inbox, empty', status: 200, response: async (t) => t.get('/console/inbox', await t.signIn('sender')) },
  {
    name: 'inbox, handled and not',
    status: 200,
    response: async (t) => {
      const sender = await t.signIn('sender');
      await received(t);
      const done = await received(t, { from: aPhone(2), minutesAgo: 9 });
      await t.post(`/console/inbox/${done.id}/handled`, sender);
      return t.get('/console/inbox', sender);
    },
  },
  { name: 'inbox, handled only, viewer', status: 200, response: async (t) => (await received(t), t.get('/console/inbox?status=handled', await t.signIn('viewer'))) },
  { name: 'conversation', status: 200, response: async (t) => t.get(`/console/inbox/${(await received(t)).id}`, await t.signIn('sender')) },
  {
    name: 'conversation, after a reply, handled',
    status: 200,
    response: async (t) => {
      const sender = await t.signIn('sender');
      const entry = await received(t);
      await t.post(`/console/inbox/${entry.id}/reply`, sender, { reply: 'Yes, since 9am.' });
      await t.post(`/console/inbox/${entry.id}/handled`, sender);
      return t.get(`/console/inbox/${entry.id}?sent=1`, sender);
    },
  },
  { name: 'conversation, an empty reply', status: 400, response: async (t) => t.post(`/console/inbox/${(await received(t)).id}/reply`, await t.signIn('sender'), { reply: ' ' }) },
  {
    name: 'conversation, the resident opted out',
    status: 200,
    response: async (t) => {
      await t.stores.subscribers.optOut(aPhone(1), 'sms', CONSOLE_NOW, inboundEvidence({ text: 'STOP' }));
      return t.get(`/console/inbox/${(await received(t)).id}`, await t.signIn('sender'));
    },
  },
  { name: 'conversation, viewer', status: 200, response: async (t) => t.get(`/console/inbox/${(await received(t)).id}`, await t.signIn('viewer')) },
  {
    name: 'inbox, filtered by topic, days and assigned to you',
    status: 200,
    response: async (t) => {
      const sender = await t.signIn('sender');
      const entry = await received(t);
      await t.post(`/console/inbox/${entry.id}/assign`, sender, { assignee: sender.staff.id });
      return t.get('/console/inbox?status=unhandled&topic=traffic&receivedFrom=2025-03-01&receivedTo=2025-03-04&assignedTo=me', sender);
    },
  },
  { name: 'inbox, a filter with a date that is not one', status: 400, response: async (t) => t.get('/console/inbox?receivedFrom=2025-02-30', await t.signIn('sender')) },
  {
    name: 'conversation, assigned, with a note, answering a broadcast',
    status: 200,
    response: async (t) => {
      const sender = await t.signIn('sender');
      const entry = await received(t);
      await t.post(`/console/inbox/${entry.id}/assign`, sender, { assignee: sender.staff.id });
      await t.post(`/console/inbox/${entry.id}/notes`, sender, { note: 'Asked highways.' });
      return t.get(`/console/inbox/${entry.id}`, sender);
    },
  },
  { name: 'conversation, an empty note', status: 400, response: async (t) => t.post(`/console/inbox/${(await received(t)).id}/notes`, await t.signIn('sender'), { note: ' ' }) },
  { name: 'conversation, assigned to someone unknown', status: 400, response: async (t) => t.post(`/console/inbox/${(await received(t)).id}/assign`, await t.signIn('sender'), { assignee: 'nobody-here' }) },
];

everyPageChecked('every inbox page', pages);

describe('the inbox list', () => {
  it('lists the department’s texts not handled first, each kind newest first, and no other department’s', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');
    const older = await received(t, { body: 'Older question', minutesAgo: 30 });
    await received(t, { body: 'Newer question', minutesAgo: 2 });
    const handled = await received(t, { body: 'Handled newest', minutesAgo: 1 });
    await received(t, { body: 'A youth question', department: 'youth', from: aPhone(4) });
    await t.post(`/console/inbox/${handled.id}/handled`, sender);

    // Act
    const text = pageText(await (await t.get('/console/inbox', sender)).text());

    // Assess
    const order = ['Newer question', 'Older question', 'Handled newest'].map((body) => text.indexOf(body));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(text).not.toContain('A youth question');
    expect(older.department).toBe('traffic');
  });

  it.each([
    { role: 'sender' as const, department: 'traffic', shown: '*********001', hidden: aPhone(1) },
    { role: 'operator' as const, department: '*', shown: aPhone(1), hidden: '*********001' },
  ])('shows a $role the number $shown', async ({ role, department, shown, hidden }) => {
    // Prepare
    const t = await consoleTestApp();
    const person = await t.signIn(role, department);
    // An operator's inbox is general's, unless they name another.
    const entry = await received(t, { department: role === 'operator' ? 'general' : 'traffic' });

    // Act
    const list = await (await t.get('/console/inbox', person)).text();
    const conversation = await (await t.get(`/console/inbox/${entry.id}`, person)).text();

    // Assess
    for (const html of [list, conversation]) {
      expect(html).toContain(shown);
      expect(html).not.toContain(hidden);
    }
  });

  it('marks several handled at once and reopens them, each audited', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');
    const entries = [await received(t), await received(t, { from: aPhone(2) })];

    // Act
    const handled = await t.post('/console/inbox', sender, { ids: entries.map((entry) => entry.id), action: 'handle' });
    const afterHandling = await Promise.all(entries.map((entry) => t.stores.inbox.get(entry.id)));
    const reopened = await t.post('/console/inbox', sender, { ids: [entries[0]!.id], action: 'reopen' });

    // Assess
    expect([handled.status, reopened.status]).toEqual([303, 303]);
    expect(afterHandling.map((entry) => entry?.handled)).toEqual([true, true]);
    expect((await t.stores.inbox.get(entries[0]!.id))?.handled).toBe(false);
    expect(t.stores.audit.entries.map((entry) => [entry.action, entry.target.id])).toEqual([
      ['inbox.handle', entries[0]!.id],
      ['inbox.handle', entries[1]!.id],
      ['inbox.reopen', entries[0]!.id],
    ]);
  });
});

describe('the navigation’s Inbox link', () => {
  it('counts the unhandled texts, and the count drops as one is handled', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');
    const first = await received(t);
    await received(t, { from: aPhone(2) });
    await received(t, { department: 'youth', from: aPhone(4) });

    // Act
    const before = inboxLink(await (await t.get('/console/', sender)).text());
    await t.post(`/console/inbox/${first.id}/handled`, sender);
    const after = inboxLink(await (await t.get('/console/', sender)).text());
    await t.post('/console/inbox', sender, { ids: [(await t.stores.inbox.list({ department: 'traffic', handled: false, limit: 5, cursor: undefined })).items[0]!.id], action: 'handle' });
    const none = inboxLink(await (await t.get('/console/', sender)).text());

    // Assess
    expect([before, after, none]).toEqual(['Inbox 2 unhandled', 'Inbox 1 unhandled', 'Inbox']);
  });
});

describe('the conversation', () => {
  it('shows the resident’s texts to the department and the replies in order, what they are subscribed to and their language', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender', 'traffic', 'Dafydd Sender');
    await received(t, { body: 'First question', minutesAgo: 60 });
    await received(t, { body: 'Another department’s', department: 'youth', minutesAgo: 50 });
    const latest = await received(t, { body: 'Second question', minutesAgo: 10 });

    // Act
    const sent = await t.post(`/console/inbox/${latest.id}/reply`, sender, { reply: 'It reopened at 9.' });
    const text = pageText(await (await t.get(`/console/inbox/${latest.id}`, sender)).text());

    // Assess
    expect(sent.status).toBe(303);
    expect(text).toMatch(/First question[\s\S]*Second question[\s\S]*Reply by Dafydd Sender[\s\S]*It reopened at 9\./);
    expect(text).not.toContain('Another department’s');
    expect(text).toContain('Subscribed to Road closures (SMS), Traffic alerts (SMS)');
    expect(text).toContain('Language Not known (English is used)');
  });

  it('sends a reply on the urgent lane as a reply job, records it on the entry and audits it without the number or the words', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');
    const entry = await received(t);

    // Act
    const response = await t.post(`/console/inbox/${entry.id}/reply`, sender, { reply: '  Yes, since 9am.  ' });

    // Assess
    expect(response.headers.get('location')).toBe(`/console/inbox/${entry.id}?sent=1`);
    expect(t.replies.sent).toEqual([
      { kind: 'reply', messageId: expect.stringMatching(/^inbox-reply-/), to: aPhone(1), channel: 'sms', body: 'Yes, since 9am.', purpose: 'answer', department: 'traffic' },
    ]);
    expect((await t.stores.inbox.get(entry.id))?.replies).toEqual([{ messageId: t.replies.sent[0]!.messageId, body: 'Yes, since 9am.', at: CONSOLE_NOW, by: sender.staff.id }]);
    const audit = t.stores.audit.entries.find((one) => one.action === 'inbox.reply');
    expect(audit?.target).toEqual({ type: 'inbox', id: entry.id });
    expect(JSON.stringify(audit)).not.toContain(aPhone(1));
    expect(JSON.stringify(audit)).not.toContain('since 9am');
  });

  it.each([
    {
      case: 'opted out',
      prepare: async (t: ConsoleTestApp) => (await t.stores.subscribers.optOut(aPhone(1), 'sms', CONSOLE_NOW, inboundEvidence({ text: 'STOP' })), received(t)),
      message: 'This resident has opted out (they texted STOP), so crier sends them nothing more until they text START.',
    },
    {
      case: 'WhatsApp, the window closed',
      prepare: async (t: ConsoleTestApp) => received(t, { from: aPhone(4), channel: 'whatsapp' }),
      message: 'This resident last wrote on WhatsApp more than 24 hours ago. WhatsApp allows only approved templates after that, so a free-text reply cannot be sent.',
    },
    { case: 'erased', prepare: async (t: ConsoleTestApp) => received(t, { from: ERASED }), message: "This resident's number was erased, so crier cannot reply to them." },
  ])('refuses a reply when $case, saying why, and sends nothing', async ({ prepare, message }) => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');
    const entry = await prepare(t);

    // Act
    const page = await (await t.get(`/console/inbox/${entry.id}`, sender)).text();
    const posted = await t.post(`/console/inbox/${entry.id}/reply`, sender, { reply: 'Hello' });
    const html = await posted.text();

    // Assess
    expect(pageText(page)).toContain(message);
    expect(page).not.toContain('id="reply"');
    expect(posted.status).toBe(409);
    expect(errorSummary(html)).toEqual([{ href: '#reply', text: message }]);
    expect(t.replies.sent).toEqual([]);
  });

  it.each([
    { case: 'empty', reply: '   ', message: 'Reply must not be empty.' },
    { case: 'too long', reply: 'a'.repeat(1601), message: 'Reply must be at most 1600 characters.' },
    { case: 'a placeholder', reply: 'Roadworks in {{area}}', message: 'Reply must not use placeholders: a reply is sent as written.' },
  ])('refuses a reply that is $case, keeping what was typed', async ({ reply, message }) => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');
    const entry = await received(t);

    // Act
    const posted = await t.post(`/console/inbox/${entry.id}/reply`, sender, { reply });

    // Assess
    expect(posted.status).toBe(400);
    expect(errorSummary(await posted.text())).toEqual([{ href: '#reply', text: message }]);
    expect(t.replies.sent).toEqual([]);
  });

  it('answers another department’s entry as one that does not exist', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender', 'youth');
    const entry = await received(t);

    // Act
    const responses = [await t.get(`/console/inbox/${entry.id}`, sender), await t.post(`/console/inbox/${entry.id}/reply`, sender, { reply: 'Hi' }), await t.post(`/console/inbox/${entry.id}/handled`, sender)];

    // Assess
    expect(responses.map((response) => response.status)).toEqual([404, 404, 404]);
    expect(t.replies.sent).toEqual([]);
  });

  it('offers a viewer neither Reply nor Mark as handled, and refuses them', async () => {
    // Prepare
    const t = await consoleTestApp();
    const viewer = await t.signIn('viewer');
    const entry = await received(t);

    // Act
    const html = await (await t.get(`/console/inbox/${entry.id}`, viewer)).text();
    const replied = await t.post(`/console/inbox/${entry.id}/reply`, viewer, { reply: 'Hi' });
    const handled = await t.post(`/console/inbox/${entry.id}/handled`, viewer);

    // Assess
    expect(html).not.toContain('Send reply');
    expect(html).not.toContain('Mark as handled');
    expect([replied.status, handled.status]).toEqual([403, 403]);
  });

  it('marks as handled, then reopens', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender', 'traffic', 'Ann Sender');
    const entry = await received(t);

    // Act
    await t.post(`/console/inbox/${entry.id}/handled`, sender);
    const handled = pageText(await (await t.get(`/console/inbox/${entry.id}`, sender)).text());
    await t.post(`/console/inbox/${entry.id}/reopen`, sender);
    const reopened = pageText(await (await t.get(`/console/inbox/${entry.id}`, sender)).text());

    // Assess
    expect(handled).toContain('Status Handled by Ann Sender on Tuesday 4 March 2025 at 10:00');
    expect(handled).toContain('Reopen');
    expect(reopened).toContain('Status Not handled');
    expect(reopened).toContain('Mark as handled');
  });
});
