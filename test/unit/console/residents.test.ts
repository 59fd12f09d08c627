import { describe, expect, it } from 'vitest';
import type { Role } from '../../../shared/domain/model.js';
import { aPhone } from '../../support/builders.js';
import { consoleTestApp } from '../../support/console-app.js';
import { everyPageChecked, type PageCase } from '../../support/console-page-cases.js';
import { errorSummary, fieldError, pageText } from '../../support/page-reading.js';
import { residentWithMessages } from '../../support/resident-messages.js';

/** The first seeded resident (traffic and closures by SMS, area CF10, 16-17), as its page's path has it. */
const resident = aPhone(1);
const residentPage = `/console/residents/${encodeURIComponent(resident)}`;

const pages: PageCase[] = [
  { name: 'find a resident', status: 200, response: async (t) => t.get('/console/residents', await t.signIn('operator', '*')) },
  { name: 'find a resident, a bad number', status: 400, response: async (t) => t.post('/console/residents', await t.signIn('operator', '*'), { phone: '0770' }) },
  { name: 'find a resident, no number', status: 400, response: async (t) => t.post('/console/residents', await t.signIn('operator', '*'), { phone: ' ' }) },
  { name: 'find a resident, not found', status: 404, response: async (t) => t.post('/console/residents', await t.signIn('operator', '*'), { phone: '07700 900999' }) },
  { name: "a resident's page", status: 200, response: async (t) => t.get(residentPage, await t.signIn('operator', '*')) },
  {
    name: "a resident's page, with messages sent to them and an inbox conversation",
    status: 200,
    response: async (t) => {
      await residentWithMessages(t.stores);
      return t.get(residentPage, await t.signIn('operator', '*'));
    },
  },
  { name: "a resident's page, no such resident", status: 404, response: async (t) => t.get(`/console/residents/${encodeURIComponent(aPhone(999))}`, await t.signIn('operator', '*')) },
  { name: 'erase: confirmation', status: 200, response: async (t) => t.get(`${residentPage}/erase`, await t.signIn('operator', '*')) },
  { name: 'erase: a number that does not match', status: 400, response: async (t) => t.post(`${residentPage}/erase`, await t.signIn('operator', '*'), { confirm: '07700 900002' }) },
  { name: 'erase: erased', status: 200, response: async (t) => t.post(`${residentPage}/erase`, await t.signIn('operator', '*'), { confirm: '07700 900001' }) },
  { name: 'residents, a sender (import only)', status: 200, response: async (t) => t.get('/console/residents', await t.signIn('sender')) },
  { name: 'refused: a viewer on the residents page', status: 403, response: async (t) => t.get('/console/residents', await t.signIn('viewer')) },
  { name: 'refused: a sender finds a resident', status: 403, response: async (t) => t.post('/console/residents', await t.signIn('sender'), { phone: '07700 900001' }) },
];

everyPageChecked('every residents page', pages);

describe('finding a resident', () => {
  it.each([
    { form: 'national', typed: '07700 900001' },
    { form: 'E.164', typed: '+447700900001' },
  ])('takes the number in $form form to the resident page', async ({ typed }) => {
    // Prepare
    const t = await consoleTestApp();
    const operator = await t.signIn('operator', '*');

    // Act
    const found = await t.post('/console/residents', operator, { phone: typed });

    // Assess
    expect(found.status).toBe(303);
    expect(found.headers.get('location')).toBe('/console/residents/%2B447700900001');
  });

  it("names the field with the API's message for a number that is not one", async () => {
    // Prepare
    const t = await consoleTestApp();
    const operator = await t.signIn('operator', '*');

    // Act
    const html = await (await t.post('/console/residents', operator, { phone: '0770' })).text();

    // Assess
    expect(errorSummary(html)).toEqual([{ href: '#phone', text: '"0770" is not a valid phone number.' }]);
    expect(fieldError(html, 'phone')).toBe('"0770" is not a valid phone number.');
    expect(html).toMatch(/<title>Error: Find a resident/);
  });

  it('says plainly when no resident has the number', async () => {
    // Prepare
    const t = await consoleTestApp();
    const operator = await t.signIn('operator', '*');

    // Act
    const html = await (await t.post('/console/residents', operator, { phone: '07700 900999' })).text();

    // Assess
    expect(pageText(html)).toContain('No resident found No resident has the number +44 7700 900999. They may never have texted, or they may have been erased.');
    expect(errorSummary(html)).toEqual([]);
  });
});

describe("a resident's page", () => {
  it('shows the profile, the subscriptions by topic and channel, and the consent history with its evidence', async () => {
    // Prepare
    const t = await consoleTestApp();
    const operator = await t.signIn('operator', '*');

    // Act
    const text = pageText(await (await t.get(residentPage, operator)).text());

    // Assess
    expect(text).toContain('Resident +44 7700 900001');
    expect(text).toContain('Area CF10');
    expect(text).toContain('Language Not given (English)');
    expect(text).toContain('Age band 16-17');
    expect(text).toContain('Traffic alerts (traffic) SMS Tuesday 4 March 2025 at 10:00');
    expect(text).toContain('Road closures (traffic) SMS');
    expect(text).toMatch(/Tuesday 4 March 2025 at 10:00 Joined, Traffic alerts \(traffic\), by SMS Their message “JOIN TRAFFIC” \(sandbox message SM\w+\)/);
    expect(text).toMatch(/Changed their details, area CF10, age band 16-17, by SMS Their message/);
    expect(text).toContain('Erase this resident');
  });

  it('is found at its number in national form too', async () => {
    // Prepare
    const t = await consoleTestApp();
    const operator = await t.signIn('operator', '*');

    // Act
    const page = await t.get('/console/residents/07700900001', operator);

    // Assess
    expect(page.status).toBe(200);
    expect(pageText(await page.text())).toContain('Resident +44 7700 900001');
  });

  it('is no page at all for a path that is not a number', async () => {
    // Prepare
    const t = await consoleTestApp();
    const operator = await t.signIn('operator', '*');

    // Act
    const page = await t.get('/console/residents/not-a-number', operator);

    // Assess
    expect(page.status).toBe(404);
    expect(pageText(await page.text())).toContain('Page not found');
  });
});

describe("a resident's messages", () => {
  it('lists the broadcasts and replies sent to them, with links to the broadcast and to their inbox conversation, and never another resident\'s', async () => {
    // Prepare
    const t = await consoleTestApp();
    const { broadcast, entry } = await residentWithMessages(t.stores);

    // Act
    const html = await (await t.get(residentPage, await t.signIn('operator', '*'))).text();

    // Assess
    const text = pageText(html);
    expect(text).toContain('Tuesday 4 March 2025 at 09:00 Reply from the inbox: “Yes, it reopened at 9.” SMS Sent');
    expect(text).toContain('Tuesday 4 March 2025 at 08:01 Broadcast on Traffic alerts SMS Delivered');
    expect(text).toContain('Tuesday 4 March 2025 at 07:00 Automatic reply to their text SMS Sent');
    expect(html).toContain(`href="/console/broadcasts/${broadcast.id}"`);
    expect(html).toContain(`href="/console/inbox/${entry.id}"`);
    expect(text).toMatch(/Conversation with traffic ?: 1 text, the last on Tuesday 4 March 2025 at 08:30: “Is Queen St open\?”/);
    expect(text.match(/Broadcast on Traffic alerts/g)).toHaveLength(1);
  });
});

describe('erasing a resident', () => {
  it('refuses a number typed again that does not match, and erases nothing', async () => {
    // Prepare
    const t = await consoleTestApp();
    const operator = await t.signIn('operator', '*');

    // Act
    const html = await (await t.post(`${residentPage}/erase`, operator, { confirm: '07700 900002' })).text();

    // Assess
    expect(errorSummary(html)).toEqual([{ href: '#confirm', text: "The number you typed does not match this resident's number" }]);
    expect(fieldError(html, 'confirm')).toBe("The number you typed does not match this resident's number");
    expect(await t.stores.subscribers.getProfile(resident)).toBeDefined();
  });

  it('asks for the number when none is typed', async () => {
    // Prepare
    const t = await consoleTestApp();
    const operator = await t.signIn('operator', '*');

    // Act
    const html = await (await t.post(`${residentPage}/erase`, operator, { confirm: '' })).text();

    // Assess
    expect(errorSummary(html)).toEqual([{ href: '#confirm', text: "Type the resident's number again to confirm" }]);
    expect(await t.stores.subscribers.getProfile(resident)).toBeDefined();
  });

  it('says what erasure keeps and cannot reach before the person confirms', async () => {
    // Prepare
    const t = await consoleTestApp();
    const operator = await t.signIn('operator', '*');

    // Act
    const text = pageText(await (await t.get(`${residentPage}/erase`, operator)).text());

    // Assess
    expect(text).toContain('What erasure keeps A tombstone: a keyed hash of the number, never the number itself.');
    expect(text).toContain("What erasure cannot reach the providers' own message logs");
    expect(text).toContain('backups and point-in-time recovery');
  });

  it('erases the resident typed again in national form, confirms it, and finding them again says not found', async () => {
    // Prepare
    const t = await consoleTestApp();
    const operator = await t.signIn('operator', '*');

    // Act
    const erased = await t.post(`${residentPage}/erase`, operator, { confirm: '07700 900001' });
    const erasedText = pageText(await erased.text());
    const again = await t.post('/console/residents', operator, { phone: '07700 900001' });

    // Assess
    expect(erased.status).toBe(200);
    expect(erasedText).toContain('Resident erased +44 7700 900001');
    expect(await t.stores.subscribers.getProfile(resident)).toBeUndefined();
    expect(again.status).toBe(404);
    expect(pageText(await again.text())).toContain('No resident has the number +44 7700 900001.');
  });
});

describe('who may find and erase residents', () => {
  const refused: Array<{ role: Role; path: string; method: 'get' | 'post' }> = (['sender', 'approver', 'viewer'] as const).flatMap((role) => [
    // A sender may import residents (the Residents page offers that), never find one.
    { role, path: '/console/residents', method: role === 'sender' ? ('post' as const) : ('get' as const) },
    { role, path: residentPage, method: 'get' as const },
    { role, path: `${residentPage}/erase`, method: 'post' as const },
  ]);

  it.each(refused)('refuses a $role: $method $path', async ({ role, path, method }) => {
    // Prepare
    const t = await consoleTestApp();
    const person = await t.signIn(role, 'traffic');

    // Act
    const page = method === 'get' ? await t.get(path, person) : await t.post(path, person, { confirm: '07700 900001' });

    // Assess
    expect(page.status).toBe(403);
    expect(pageText(await page.text())).toContain('may not');
    expect(await t.stores.subscribers.getProfile(resident)).toBeDefined();
  });

  it.each([
    { role: 'operator' as const, department: '*', offered: true },
    { role: 'sender' as const, department: 'traffic', offered: true },
    { role: 'approver' as const, department: 'traffic', offered: false },
    { role: 'viewer' as const, department: 'traffic', offered: false },
  ])('offers Residents in the navigation to a $role: $offered', async ({ role, department, offered }) => {
    // Prepare
    const t = await consoleTestApp();
    const person = await t.signIn(role, department);

    // Act
    const html = await (await t.get('/console/', person)).text();

    // Assess
    expect(/<a class="govuk-service-navigation__link" href="\/console\/residents"/.test(html)).toBe(offered);
  });
});
