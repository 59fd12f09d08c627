import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.js';
import type { FakeTwilioApi } from '../support/fake-twilio-api.js';
import { startFakeTwilioStack } from '../support/fake-twilio-stack.js';
import type { LocalStackClient } from '../support/local-stack-client.js';

/**
 * Departments and keys on a local stack that sends through Twilio (a local fake of its API):
 * the operator makes keys per department and role, each reaches only its department's topics,
 * a revoked key stops at once, a test key's broadcast reaches only the sandbox, and the audit
 * log says who did what.
 */
describe('API keys, departments, test mode and the audit log on the local stack', () => {
  const ourNumber = '+447700900000';
  const resident = '+447700900301';
  let twilioApi: FakeTwilioApi;
  let stack: LocalStack;
  let client: LocalStackClient;
  let sender: { id: string; key: string };
  let viewer: { id: string; key: string };

  beforeAll(async () => {
    ({ twilioApi, stack, client } = await startFakeTwilioStack(ourNumber));
    for (const topic of [
      { id: 'roads', name: 'Roadworks', keywords: ['ROADS'], department: 'roads' },
      { id: 'youth', name: 'Youth news', keywords: ['YOUTH'], department: 'youth' },
    ]) {
      expect((await client.api('POST', '/v1/topics', topic)).status).toBe(201);
    }
    await client.text(resident, 'JOIN ROADS');
    await stack.settled();
  });
  afterAll(async () => {
    await stack?.stop();
    await twilioApi?.close();
  });

  it('lets the operator create a sender key and a viewer key for roads, each secret shown once', async () => {
    // Prepare
    const requests = [
      { name: 'Roads team', role: 'sender', department: 'roads', mode: 'live' },
      { name: 'Roads watcher', role: 'viewer', department: 'roads', mode: 'live' },
    ];

    // Act
    const created = await Promise.all(requests.map((request) => client.api('POST', '/v1/keys', request)));
    const listed = await client.api('GET', '/v1/keys');

    // Assess
    for (const [index, response] of created.entries()) {
      expect(response.status).toBe(201);
      expect(response.json).toMatchObject({ ...requests[index], id: expect.any(String), createdAt: expect.any(String) });
      expect(response.json.key).toMatch(/^crier_live_[A-Za-z0-9_-]{43}$/);
    }
    [sender, viewer] = created.map((response) => response.json);
    expect(listed.status).toBe(200);
    expect(listed.json.keys.map((key: { name: string }) => key.name)).toEqual(expect.arrayContaining(['local operator key', 'Roads team', 'Roads watcher']));
    expect(JSON.stringify(listed.json)).not.toContain(sender.key);
  });

  it.each([
    ['POST', '/v1/keys', { name: 'x', role: 'viewer', department: 'roads' }],
    ['GET', '/v1/keys', undefined],
    ['POST', '/v1/keys/operator/revoke', undefined],
    ['GET', '/v1/audit', undefined],
  ])('refuses a sender key %s %s with 403', async (method, path, body) => {
    // Prepare / Act
    const response = await client.api(method, path, body, sender.key);

    // Assess
    expect(response.status).toBe(403);
  });

  it('refuses a key with a bad role, naming the field', async () => {
    // Prepare / Act
    const response = await client.api('POST', '/v1/keys', { name: 'x', role: 'janitor', department: 'roads' });

    // Assess
    expect(response.status).toBe(400);
    expect(response.json.details).toEqual([expect.objectContaining({ field: 'role' })]);
  });

  it("lets the roads sender broadcast on roads topics but not on youth's", async () => {
    // Prepare
    const body = (topic: string) => ({ topics: [topic], body: `Live news for ${topic}.`, priority: 'normal' });

    // Act
    const roads = await client.api('POST', '/v1/broadcasts', body('roads'), sender.key);
    const youth = await client.api('POST', '/v1/broadcasts', body('youth'), sender.key);
    await stack.settled();

    // Assess
    expect(roads.status).toBe(201);
    expect(roads.json.mode).toBe('live');
    expect(youth.status).toBe(403);
    expect(twilioApi.requests.filter((request) => request.form.Body?.startsWith('Live news for roads'))).toHaveLength(1);
  });

  it('refuses the viewer creating a broadcast with 403', async () => {
    // Prepare / Act
    const response = await client.api('POST', '/v1/broadcasts', { topics: ['roads'], body: 'Hello.' }, viewer.key);

    // Assess
    expect(response.status).toBe(403);
  });

  it("sends a test key's broadcast to the sandbox only, although the stack sends through Twilio", async () => {
    // Prepare
    const created = await client.api('POST', '/v1/keys', { name: 'Roads trial', role: 'sender', department: 'roads', mode: 'test' });
    const before = twilioApi.requests.length;

    // Act
    const broadcast = await client.api('POST', '/v1/broadcasts', { topics: ['roads'], body: 'Trial run: not for residents.' }, created.json.key);
    await stack.settled();

    // Assess
    expect(created.json.key).toMatch(/^crier_test_/);
    expect(broadcast.status).toBe(201);
    expect(broadcast.json.mode).toBe('test');
    expect(twilioApi.requests.slice(before)).toEqual([]);
    expect((await client.outbox(resident)).map((message) => message.body)).toEqual([expect.stringContaining('Trial run: not for residents.')]);
    expect((await client.api('GET', `/v1/broadcasts/${broadcast.json.id}`)).json).toMatchObject({ status: 'sent', counts: { sent: 1 } });
  });

  it("refuses a revoked key at once with crier's 401 (the authorizer caches nothing)", async () => {
    // Prepare
    const created = await client.api('POST', '/v1/keys', { name: 'Leaver', role: 'viewer', department: 'roads' });
    const beforeRevoke = await client.api('GET', '/v1/topics', undefined, created.json.key);

    // Act
    const revoked = await client.api('POST', `/v1/keys/${created.json.id}/revoke`);
    const afterRevoke = await client.api('GET', '/v1/topics', undefined, created.json.key);

    // Assess
    expect(beforeRevoke.status).toBe(200);
    expect(revoked.status).toBe(200);
    expect(revoked.json).toMatchObject({ id: created.json.id, revoked: true });
    expect(afterRevoke).toEqual({ status: 401, json: { error: 'the API key is not valid (unknown or revoked)', details: [] } });
  });

  it.each([
    { case: "an unknown key of a key's shape", key: 'crier_live_made-up-but-well-formed-0123' },
    { case: 'a token no key could be', key: 'not-a-key' },
  ])("refuses $case with crier's 401, whatever the route", async ({ key }) => {
    // Prepare
    const routes = [
      { method: 'GET', path: '/v1/topics', body: undefined },
      { method: 'POST', path: '/v1/broadcasts', body: {} },
      { method: 'DELETE', path: `/v1/subscribers/${encodeURIComponent(resident)}`, body: undefined },
    ];

    // Act
    const answers = await Promise.all(routes.map(({ method, path, body }) => client.api(method, path, body, key)));

    // Assess
    expect(answers).toEqual(routes.map(() => ({ status: 401, json: { error: 'the API key is not valid (unknown or revoked)', details: [] } })));
  });

  it('shows in the audit log who created what, and the status before and after a cancel', async () => {
    // Prepare
    await client.api('POST', '/v1/topics', { id: 'roads-urgent', name: 'Road closures', keywords: ['CLOSURES'], department: 'roads', requiresApproval: true });
    const broadcast = await client.api('POST', '/v1/broadcasts', { topics: ['roads-urgent'], body: 'Bridge shut.' }, sender.key);
    await client.api('POST', `/v1/broadcasts/${broadcast.json.id}/cancel`, undefined, sender.key);

    // Act
    const audit = await client.api('GET', '/v1/audit?limit=100');

    // Assess
    expect(audit.status).toBe(200);
    const entries = audit.json.entries as { action: string; actor: { keyId: string; name: string }; target: { id: string }; before?: unknown; after?: unknown }[];
    expect(entries[0]).toMatchObject({
      action: 'broadcast.cancel',
      actor: { keyId: sender.id, name: 'Roads team', role: 'sender' },
      target: { type: 'broadcast', id: broadcast.json.id },
      before: { status: 'pending_approval' },
      after: { status: 'cancelled' },
    });
    expect(entries[1]).toMatchObject({ action: 'broadcast.create', actor: { keyId: sender.id }, after: { body: 'Bridge shut.' } });
    expect(entries.find((entry) => entry.action === 'topic.create' && entry.target.id === 'youth')?.actor.keyId).toBe('operator');
    expect(entries.filter((entry) => entry.action === 'key.create')).toHaveLength(4);
    expect(entries.filter((entry) => entry.action === 'key.revoke')).toHaveLength(1);
    expect(JSON.stringify(audit.json)).not.toMatch(/crier_(live|test)_/);
  });

  it('pages the audit log with a cursor', async () => {
    // Prepare
    const first = await client.api('GET', '/v1/audit?limit=2');

    // Act
    const second = await client.api('GET', `/v1/audit?limit=2&cursor=${encodeURIComponent(first.json.cursor)}`);

    // Assess
    expect(first.json.entries).toHaveLength(2);
    expect(second.json.entries).toHaveLength(2);
    expect(second.json.entries[0].at <= first.json.entries[1].at).toBe(true);
    expect(second.json.entries.map((entry: { id: string }) => entry.id)).not.toContain(first.json.entries[1].id);
  });
});
