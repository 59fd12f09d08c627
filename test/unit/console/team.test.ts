import { describe, expect, it } from 'vitest';
import type { Role } from '../../../shared/domain/model.js';
import { newSession } from '../../../shared/staff/session.js';
import { newStaffRecord } from '../../../shared/staff/staff-record.js';
import { consoleTestApp, type ConsoleTestApp } from '../../support/console-app.js';
import { everyPageChecked, type PageCase } from '../../support/console-page-cases.js';
import { errorSummary, fieldError, pageText } from '../../support/page-reading.js';

/** The navigation's link texts, as the header lists them. */
function navigationLinks(html: string): string[] {
  const nav = /<nav[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
  return [...nav.matchAll(/<a class="govuk-service-navigation__link"[^>]*>\s*([\s\S]*?)\s*<\/a>/g)].map((match) => match[1]!.replace(/<[^>]+>/g, '').trim());
}

const invitation = { email: ' Tara.Traffic@Council.test ', name: 'Tara Traffic', department: 'traffic', role: 'sender', mode: 'live' };

/** Someone on the team, removed or not, for the pages that list them. */
async function withColleagues(t: ConsoleTestApp) {
  const operator = await t.signIn('operator', '*', 'Olwen Operator');
  await t.post('/console/team/invite', operator, invitation);
  await t.post('/console/team/invite', operator, { email: 'yusuf@council.test', name: 'Yusuf Youth', department: 'youth', role: 'viewer', mode: 'test' });
  const yusuf = (await t.stores.staff.findByEmail('yusuf@council.test'))!;
  await t.post(`/console/team/${yusuf.id}/remove`, operator);
  return { operator, yusuf };
}

const pages: PageCase[] = [
  { name: 'team, with someone removed', status: 200, response: async (t) => t.get('/console/team', (await withColleagues(t)).operator) },
  { name: 'team, after an invitation', status: 200, response: async (t) => {
    const { operator } = await withColleagues(t);
    const added = await t.post('/console/team/invite', operator, { ...invitation, email: 'another@council.test' });
    return t.get(added.headers.get('location')!, operator);
  } },
  { name: 'invite', status: 200, response: async (t) => t.get('/console/team/invite', await t.signIn('operator', '*')) },
  { name: 'invite, nothing filled in', status: 400, response: async (t) => t.post('/console/team/invite', await t.signIn('operator', '*'), { mode: '' }) },
  { name: 'invite, an email already on the team', status: 400, response: async (t) => t.post('/console/team/invite', (await withColleagues(t)).operator, invitation) },
  { name: 'remove: confirmation', status: 200, response: async (t) => {
    const operator = await t.signIn('operator', '*');
    const sender = await t.signIn('sender');
    return t.get(`/console/team/${sender.staff.id}/remove`, operator);
  } },
  { name: 'remove: someone already removed', status: 200, response: async (t) => {
    const { operator, yusuf } = await withColleagues(t);
    return t.get(`/console/team/${yusuf.id}/remove`, operator);
  } },
  { name: 'change: the form, filled in as they are', status: 200, response: async (t) => {
    const operator = await t.signIn('operator', '*');
    const sender = await t.signIn('sender');
    return t.get(`/console/team/${sender.staff.id}/change`, operator);
  } },
  { name: 'change: refused, another department granted by a department operator', status: 400, response: async (t) => {
    const lead = await t.signIn('operator', 'traffic');
    const sender = await t.signIn('sender', 'traffic');
    return t.post(`/console/team/${sender.staff.id}/change`, lead, { department: '*', role: 'sender', mode: 'live' });
  } },
  { name: 'change: yourself', status: 200, response: async (t) => {
    const operator = await t.signIn('operator', '*');
    return t.get(`/console/team/${operator.staff.id}/change`, operator);
  } },
  { name: 'remove: yourself', status: 200, response: async (t) => {
    const operator = await t.signIn('operator', '*');
    return t.get(`/console/team/${operator.staff.id}/remove`, operator);
  } },
  { name: "team, as a department's operator", status: 200, response: async (t) => {
    await withColleagues(t);
    return t.get('/console/team', await t.signIn('operator', 'traffic'));
  } },
  { name: 'refused: a sender opens the team', status: 403, response: async (t) => t.get('/console/team', await t.signIn('sender')) },
];

everyPageChecked('every team page', pages);

describe('the team', () => {
  it.each([
    { role: 'operator', team: true },
    { role: 'approver', team: false },
    { role: 'sender', team: false },
    { role: 'viewer', team: false },
  ] as Array<{ role: Role; team: boolean }>)('is in the navigation of someone whose role is $role: $team', async ({ role, team }) => {
    // Prepare
    const t = await consoleTestApp();
    const person = await t.signIn(role, role === 'operator' ? '*' : 'traffic');

    // Act
    const home = await t.get('/console/', person);

    // Assess
    const links = navigationLinks(await home.text());
    expect(links[0]).toBe('Broadcasts');
    expect(links.includes('Team')).toBe(team);
    // Team ends the contract's links; only the operators' Operations follows it.
    if (team) expect(links.slice(-2)).toEqual(['Team', 'Operations']);
  });

  it('lists everyone, current people first, each with department, role, live or test, and whether removed', async () => {
    // Prepare
    const t = await consoleTestApp();
    const { operator } = await withColleagues(t);

    // Act
    const response = await t.get('/console/team', operator);
    const text = pageText(await response.text());

    // Assess
    expect(response.status).toBe(200);
    expect(text).toContain('Olwen Operator person1@crier.test All departments Operator Live Current This is you');
    expect(text).toContain('Tara Traffic tara.traffic@council.test traffic Sender Live Current Change Tara Traffic Remove Tara Traffic');
    expect(text).toContain('Yusuf Youth yusuf@council.test youth Viewer Test Removed Tuesday 4 March 2025 at 10:00');
    expect(text.indexOf('Tara Traffic')).toBeLessThan(text.indexOf('Yusuf Youth'));
    expect(text).not.toContain('Remove Yusuf Youth');
  });

  it('adds an invited person through the use case (email lower-cased, audited as the operator) and says how they sign in', async () => {
    // Prepare
    const t = await consoleTestApp();
    const operator = await t.signIn('operator', '*');

    // Act
    const response = await t.post('/console/team/invite', operator, invitation);
    const team = await t.get(response.headers.get('location')!, operator);

    // Assess
    expect(response.status).toBe(303);
    const added = await t.stores.staff.findByEmail('tara.traffic@council.test');
    expect(added).toMatchObject({ name: 'Tara Traffic', department: 'traffic', role: 'sender', mode: 'live', createdBy: operator.staff.id });
    expect(response.headers.get('location')).toBe(`/console/team?added=${added!.id}`);
    expect(t.stores.audit.entries).toMatchObject([{ action: 'staff.add', actor: expect.objectContaining({ keyId: operator.staff.id }), target: { type: 'staff', id: added!.id } }]);
    expect(pageText(await team.text())).toContain(
      'Tara Traffic was added as a sender in department traffic. They can sign in at https://crier.test/console/ with tara.traffic@council.test.',
    );
  });

  it.each([
    { case: 'nothing filled in', form: { mode: '' }, summary: ['Enter their email address', 'Enter their name', 'Enter their department', 'Select their role', 'Select live or test'] },
    { case: 'an address that is not one', form: { ...invitation, email: 'tara at council' }, summary: ['Email address must be an email address.'] },
    { case: 'a name too long', form: { ...invitation, name: 'n'.repeat(81) }, summary: ['Name must be at most 80 characters.'] },
    { case: 'a department too long', form: { ...invitation, department: 'd'.repeat(41) }, summary: ['Department must be at most 40 characters.'] },
    { case: 'a role that does not exist', form: { ...invitation, role: 'admin' }, summary: [expect.stringMatching(/^Role: /)] },
  ])('refuses $case with the API schema\'s words, in the summary and beside each field, and adds no one', async ({ form, summary }) => {
    // Prepare
    const t = await consoleTestApp();
    const operator = await t.signIn('operator', '*');

    // Act
    const response = await t.post('/console/team/invite', operator, form);
    const html = await response.text();

    // Assess
    expect(response.status).toBe(400);
    expect(errorSummary(html).map((error) => error.text)).toEqual(summary);
    for (const { href, text } of errorSummary(html)) expect(fieldError(html, href.slice(1))).toBe(text);
    expect((await t.stores.staff.list(10, undefined)).items).toHaveLength(1);
    expect(t.stores.audit.entries).toEqual([]);
  });

  it('refuses an email someone current already has, beside the email field, keeping what was typed', async () => {
    // Prepare
    const t = await consoleTestApp();
    const { operator } = await withColleagues(t);

    // Act
    const response = await t.post('/console/team/invite', operator, { ...invitation, name: 'Tara Again' });
    const html = await response.text();

    // Assess
    expect(response.status).toBe(400);
    expect(errorSummary(html)).toEqual([{ href: '#email', text: 'A member of staff already has the email address tara.traffic@council.test.' }]);
    expect(html).toContain('value="Tara Again"');
  });

  it('removes someone after the confirmation: audited, their session no longer works, their record kept', async () => {
    // Prepare
    const t = await consoleTestApp();
    const operator = await t.signIn('operator', '*');
    const sender = await t.signIn('sender', 'traffic', 'Sam Sender');
    const confirmation = await t.get(`/console/team/${sender.staff.id}/remove`, operator);

    // Act
    const response = await t.post(`/console/team/${sender.staff.id}/remove`, operator);
    const team = await t.get(response.headers.get('location')!, operator);
    const senderAfter = await t.get('/console/', sender);

    // Assess
    expect(pageText(await confirmation.text())).toContain('Remove Sam Sender from the team?');
    expect(response.status).toBe(303);
    expect((await t.stores.staff.get(sender.staff.id))?.removedAt).toBe('2025-03-04T10:00:00.000Z');
    expect(t.stores.audit.entries).toMatchObject([{ action: 'staff.remove', actor: expect.objectContaining({ keyId: operator.staff.id }), target: { type: 'staff', id: sender.staff.id } }]);
    expect(pageText(await team.text())).toContain('Sam Sender was removed. They can no longer sign in.');
    expect(senderAfter.status).not.toBe(200);
  });

  it.each([
    { role: 'sender', path: '/console/team', method: 'get' },
    { role: 'approver', path: '/console/team/invite', method: 'get' },
    { role: 'viewer', path: '/console/team/invite', method: 'post' },
    { role: 'sender', path: '/console/team/staff-1/remove', method: 'post' },
  ] as Array<{ role: Role; path: string; method: 'get' | 'post' }>)('refuses a $role ($method $path) with the use case\'s reason, changing nothing', async ({ role, path, method }) => {
    // Prepare
    const t = await consoleTestApp();
    const person = await t.signIn(role);

    // Act
    const response = method === 'get' ? await t.get(path, person) : await t.post(path, person, invitation);

    // Assess
    expect(response.status).toBe(403);
    expect(pageText(await response.text())).toContain(`may not add, list or remove staff.`);
    expect((await t.stores.staff.get('staff-1'))?.removedAt).toBeUndefined();
    expect((await t.stores.staff.list(10, undefined)).items).toHaveLength(1);
  });

  it('refuses a test operator, whom the use cases keep to test data, and offers them no Team link', async () => {
    // Prepare: a test operator's record and session, as signIn() makes a live one's
    const t = await consoleTestApp();
    const staff = newStaffRecord({ email: 'test.operator@crier.test', name: 'Tess Test', department: '*', role: 'operator', mode: 'test' }, 'staff-test', t.clock.now(), 'key-operator');
    await t.stores.staff.create(staff);
    const { session, secret } = newSession(staff.id, t.clock.now());
    await t.sessions.create(session);
    const testOperator = { staff, cookie: `crier_session=${secret}`, csrf: session.csrfToken, idHash: session.idHash };

    // Act
    const home = await t.get('/console/', testOperator);
    const team = await t.get('/console/team', testOperator);

    // Assess
    expect(navigationLinks(await home.text())).not.toContain('Team');
    expect(team.status).toBe(403);
    expect(pageText(await team.text())).toContain('A test key may not add, list or remove staff');
  });

  it('answers 404 for removing someone never on the team', async () => {
    // Prepare
    const t = await consoleTestApp();
    const operator = await t.signIn('operator', '*');

    // Act
    const page = await t.get('/console/team/nobody-here/remove', operator);
    const posted = await t.post('/console/team/nobody-here/remove', operator);

    // Assess
    expect(page.status).toBe(404);
    expect(posted.status).toBe(404);
    expect(t.stores.audit.entries).toEqual([]);
  });
});

describe('changing someone in place', () => {
  it("changes a sender's role on its page: audited with before and after, and said in the banner", async () => {
    // Prepare
    const t = await consoleTestApp();
    const operator = await t.signIn('operator', '*');
    const sender = await t.signIn('sender', 'traffic', 'Sam Sender');

    // Act
    const response = await t.post(`/console/team/${sender.staff.id}/change`, operator, { department: 'traffic', role: 'approver', mode: 'live' });
    const team = await t.get(response.headers.get('location')!, operator);

    // Assess
    expect(response.status).toBe(303);
    expect((await t.stores.staff.get(sender.staff.id))?.role).toBe('approver');
    expect(t.stores.audit.entries).toMatchObject([
      { action: 'staff.change', target: { type: 'staff', id: sender.staff.id }, before: { role: 'sender' }, after: { role: 'approver' } },
    ]);
    expect(pageText(await team.text())).toContain('Sam Sender is now an approver in department traffic. They have it from their next page.');
  });

  it("a department's operator sees only their department's team, and is refused another's person", async () => {
    // Prepare
    const t = await consoleTestApp();
    await withColleagues(t);
    const lead = await t.signIn('operator', 'youth', 'Yara Lead');
    const tara = (await t.stores.staff.findByEmail('tara.traffic@council.test'))!;

    // Act
    const team = pageText(await (await t.get('/console/team', lead)).text());
    const change = await t.get(`/console/team/${tara.id}/change`, lead);

    // Assess
    expect(team).toContain('You manage the team of department youth');
    expect(team).toContain('Yara Lead');
    expect(team).toContain('Yusuf Youth');
    expect(team).not.toContain('Tara Traffic');
    expect(team).not.toContain('Olwen Operator');
    expect(change.status).toBe(403);
    expect(pageText(await change.text())).toContain('You manage the team of department "youth" only, and this person is in department "traffic".');
  });

  it('refuses changing yourself, beside the role, and a department operator cannot reach an operator of every department', async () => {
    // Prepare
    const t = await consoleTestApp();
    const chief = await t.signIn('operator', '*', 'Olwen Operator');
    const other = await t.signIn('operator', '*', 'Owen Other');
    await t.post(`/console/team/${other.staff.id}/change`, chief, { department: 'traffic', role: 'operator', mode: 'live' });
    const traffic = await t.signIn('operator', 'traffic');

    // Act
    const response = await t.post(`/console/team/${chief.staff.id}/change`, chief, { department: '*', role: 'approver', mode: 'live' });
    const byOther = await t.get(`/console/team/${chief.staff.id}/change`, traffic);

    // Assess
    expect(response.status).toBe(400);
    expect(errorSummary(await response.text())).toEqual([{ href: '#role', text: 'You cannot change yourself: another operator must change your role, department or mode.' }]);
    expect(byOther.status).toBe(403);
    expect((await t.stores.staff.get(chief.staff.id))?.role).toBe('operator');
  });
});

