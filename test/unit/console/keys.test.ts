import { describe, expect, it } from 'vitest';
import type { Role } from '../../../shared/domain/model.js';
import { hashApiKey } from '../../../shared/staff/authenticate.js';
import { consoleTestApp, type ConsoleTestApp, type SignedInAs } from '../../support/console-app.js';
import { everyPageChecked, type PageCase } from '../../support/console-page-cases.js';
import { errorSummary, fieldError, pageText } from '../../support/page-reading.js';

const roadsKey = { name: 'Roads team laptop', role: 'sender', department: 'traffic', mode: 'live' };

/** The secret on the page that answers the form: the one place it is ever shown. */
function secretOn(html: string): string | undefined {
  return /value="(crier_(?:live|test)_[A-Za-z0-9_-]+)"/.exec(html)?.[1];
}

/** A key made through the page, and its id in the store. */
async function madeKey(t: ConsoleTestApp, operator: SignedInAs, form: Record<string, string> = roadsKey) {
  const html = await (await t.post('/console/keys/new', operator, form)).text();
  const secret = secretOn(html)!;
  const record = (await t.stores.apiKeys.findByHash(hashApiKey(secret)))!;
  return { secret, id: record.keyId, html };
}

const pages: PageCase[] = [
  { name: 'API keys, one active and one revoked', status: 200, response: async (t) => {
    const operator = await t.signIn('operator', '*');
    await madeKey(t, operator);
    const { id } = await madeKey(t, operator, { ...roadsKey, name: 'Old script' });
    const revoked = await t.post(`/console/keys/${id}/revoke`, operator);
    return t.get(revoked.headers.get('location')!, operator);
  } },
  { name: 'create an API key', status: 200, response: async (t) => t.get('/console/keys/new', await t.signIn('operator', '*')) },
  { name: 'create an API key, nothing filled in', status: 400, response: async (t) => t.post('/console/keys/new', await t.signIn('operator', '*'), {}) },
  { name: 'the new key, shown once', status: 200, response: async (t) => t.post('/console/keys/new', await t.signIn('operator', '*'), roadsKey) },
  { name: 'revoke: confirmation', status: 200, response: async (t) => {
    const operator = await t.signIn('operator', '*');
    return t.get(`/console/keys/${(await madeKey(t, operator)).id}/revoke`, operator);
  } },
  { name: 'revoke: a key already revoked', status: 200, response: async (t) => {
    const operator = await t.signIn('operator', '*');
    const { id } = await madeKey(t, operator);
    await t.post(`/console/keys/${id}/revoke`, operator);
    return t.get(`/console/keys/${id}/revoke`, operator);
  } },
  { name: 'refused: an approver opens API keys', status: 403, response: async (t) => t.get('/console/keys', await t.signIn('approver')) },
];

everyPageChecked('every API keys page', pages);

describe('API keys', () => {
  it('are reached from the team page', async () => {
    // Prepare
    const t = await consoleTestApp();
    const operator = await t.signIn('operator', '*');

    // Act
    const team = await (await t.get('/console/team', operator)).text();

    // Assess
    expect(team).toContain('<a class="govuk-link govuk-link--no-visited-state" href="/console/keys">API keys</a>');
  });

  it('creates a key through the use case and shows its secret once: on the answer to the form, never on a later page', async () => {
    // Prepare
    const t = await consoleTestApp();
    const operator = await t.signIn('operator', '*');

    // Act
    const created = await t.post('/console/keys/new', operator, roadsKey);
    const html = await created.text();
    const list = await (await t.get('/console/keys', operator)).text();

    // Assess
    expect(created.status).toBe(200);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const secret = secretOn(html);
    expect(secret).toMatch(/^crier_live_/);
    expect(await t.stores.apiKeys.findByHash(hashApiKey(secret!))).toMatchObject({ name: 'Roads team laptop', role: 'sender', department: 'traffic', mode: 'live', revoked: false });
    expect(t.stores.audit.entries).toMatchObject([{ action: 'key.create', actor: expect.objectContaining({ keyId: operator.staff.id }) }]);
    expect(JSON.stringify(t.stores.audit.entries)).not.toContain(secret);
    expect(pageText(list)).toContain('Roads team laptop Sender traffic Live Tuesday 4 March 2025 at 10:00 Active Revoke Roads team laptop');
    expect(list).not.toContain(secret);
  });

  it.each([
    { case: 'nothing filled in', form: { mode: '' }, summary: ['Enter a name for the key', 'Select the role', 'Enter the department', 'Select live or test'] },
    { case: 'an operator key for one department', form: { ...roadsKey, role: 'operator' }, summary: ['Department must be * for an operator key (operators reach every department).'] },
    { case: 'a name too long', form: { ...roadsKey, name: 'n'.repeat(81) }, summary: ['Name must be at most 80 characters.'] },
    { case: 'a department too long', form: { ...roadsKey, department: 'd'.repeat(41) }, summary: ['Department must be at most 40 characters.'] },
  ])('refuses $case with the API schema\'s words, in the summary and beside each field, and makes no key', async ({ form, summary }) => {
    // Prepare
    const t = await consoleTestApp();
    const operator = await t.signIn('operator', '*');

    // Act
    const response = await t.post('/console/keys/new', operator, form);
    const html = await response.text();

    // Assess
    expect(response.status).toBe(400);
    expect(errorSummary(html).map((error) => error.text)).toEqual(summary);
    for (const { href, text } of errorSummary(html)) expect(fieldError(html, href.slice(1))).toBe(text);
    expect(secretOn(html)).toBeUndefined();
    expect((await t.stores.apiKeys.list(10, undefined)).items).toEqual([]);
  });

  it('revokes a key after the confirmation: it stops working, audited, listed as revoked', async () => {
    // Prepare
    const t = await consoleTestApp();
    const operator = await t.signIn('operator', '*');
    const { id, secret } = await madeKey(t, operator);
    const confirmation = await t.get(`/console/keys/${id}/revoke`, operator);

    // Act
    const response = await t.post(`/console/keys/${id}/revoke`, operator);
    const list = await t.get(response.headers.get('location')!, operator);

    // Assess
    expect(pageText(await confirmation.text())).toContain('Revoke the key Roads team laptop?');
    expect(response.status).toBe(303);
    expect(await t.stores.apiKeys.findByHash(hashApiKey(secret))).toMatchObject({ revoked: true, revokedAt: '2025-03-04T10:00:00.000Z' });
    expect(t.stores.audit.entries.map((entry) => entry.action)).toEqual(['key.create', 'key.revoke']);
    const text = pageText(await list.text());
    expect(text).toContain('The key Roads team laptop was revoked. Anything still using it is refused from now on.');
    expect(text).toContain('Roads team laptop Sender traffic Live Tuesday 4 March 2025 at 10:00 Revoked Tuesday 4 March 2025 at 10:00');
    expect(text).not.toContain('Revoke Roads team laptop');
  });

  it.each([
    { role: 'sender', path: '/console/keys', method: 'get' },
    { role: 'approver', path: '/console/keys/new', method: 'get' },
    { role: 'viewer', path: '/console/keys/new', method: 'post' },
  ] as Array<{ role: Role; path: string; method: 'get' | 'post' }>)('refuses a $role ($method $path) with the use case\'s reason, making nothing', async ({ role, path, method }) => {
    // Prepare
    const t = await consoleTestApp();
    const person = await t.signIn(role);

    // Act
    const response = method === 'get' ? await t.get(path, person) : await t.post(path, person, roadsKey);

    // Assess
    expect(response.status).toBe(403);
    expect(pageText(await response.text())).toContain('may not manage API keys.');
    expect((await t.stores.apiKeys.list(10, undefined)).items).toEqual([]);
  });

  it('refuses a sender who tries to revoke a key, which keeps working', async () => {
    // Prepare
    const t = await consoleTestApp();
    const { id, secret } = await madeKey(t, await t.signIn('operator', '*'));

    // Act
    const response = await t.post(`/console/keys/${id}/revoke`, await t.signIn('sender'));

    // Assess
    expect(response.status).toBe(403);
    expect(await t.stores.apiKeys.findByHash(hashApiKey(secret))).toMatchObject({ revoked: false });
  });

  it('answers 404 for revoking a key that does not exist', async () => {
    // Prepare
    const t = await consoleTestApp();
    const operator = await t.signIn('operator', '*');

    // Act
    const page = await t.get('/console/keys/no-such-key/revoke', operator);
    const posted = await t.post('/console/keys/no-such-key/revoke', operator);

    // Assess
    expect(page.status).toBe(404);
    expect(posted.status).toBe(404);
    expect(t.stores.audit.entries).toEqual([]);
  });
});
