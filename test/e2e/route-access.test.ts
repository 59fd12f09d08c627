import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { httpRoutes } from '../../functions/catalog.js';
import type { LocalStack } from '../../local/stack.js';
import { awsClients } from '../../shared/adapters/aws-clients.js';
import type { KeyMode, Role } from '../../shared/domain/model.js';
import type { FakeTwilioApi } from '../support/fake-twilio-api.js';
import { startFakeTwilioStack } from '../support/fake-twilio-stack.js';
import type { LocalStackClient } from '../support/local-stack-client.js';

/**
 * Every `/v1` route × key mode × role, against a local stack whose live provider is Twilio (a
 * local fake of its API) and whose test provider is the sandbox: the status each key gets, and
 * that a refused request changes nothing (the table, the work queues) and a test key's request
 * changes no live record. The routes come from the function catalog, so a new route without a
 * row here fails the first test.
 */

type Caller = { role: Role; mode: KeyMode; department: string; outsider: boolean; key: string; id: string };
type Target = { path: string; body?: unknown; csv?: string };
/** `fresh`: the call is expected to succeed (and may change what it targets), so it gets a target of its own. */
type Build = (fresh: boolean) => Promise<Target>;

interface RouteRule {
  /** The roles whose live keys in the record's department may call it. */
  may: readonly Role[] | 'anyone';
  /**
   * `open`: test keys may, as their role allows; `closed`: refused to every test key (403);
   * `hidden`: the route names a live broadcast, which does not exist for a test key (404).
   */
  testKeys: 'open' | 'closed' | 'hidden';
  /**
   * What a key of another department gets where its role would allow it: its own data, or a
   * refusal (404 where the record is answered as one that does not exist: a saved template).
   */
  outsider: 'own data' | 403 | 400 | 404;
  ok: number;
  build: Build;
}

const ROADS = 'roads';
const roadsRoles: readonly Role[] = ['operator', 'sender', 'approver', 'viewer'];

describe('every /v1 route × key mode × role', () => {
  const ourNumber = '+447700900000';
  const resident = '+447700900401';
  let twilioApi: FakeTwilioApi;
  let stack: LocalStack;
  let client: LocalStackClient;
  let author: { id: string; key: string };
  const callers: Caller[] = [];
  let sequence = 0;
  let lastSnapshot: Awaited<ReturnType<typeof snapshot>> | undefined;

  const next = () => (sequence += 1);

  const api = (method: string, path: string, body?: unknown, key = stack.operatorKey) => client.api(method, path, body, key);
  const liveBroadcast = async (topic: 'roads' | 'roads-checked') => {
    const made = await api('POST', '/v1/broadcasts', { topics: [topic], body: `Live notice ${next()}.`, draft: true }, author.key);
    expect(made.status).toBe(201);
    if (topic === 'roads-checked') expect((await api('POST', `/v1/broadcasts/${made.json.id}/submit`, undefined, author.key)).json.status).toBe('pending_approval');
    return made.json.id as string;
  };
  const newTopic = async () => {
    const id = `roads-${next()}`;
    expect((await api('POST', '/v1/topics', { id, name: `Roads ${id}`, keywords: [`R${id.replace('-', '')}`.toUpperCase()], department: ROADS })).status).toBe(201);
    return id;
  };
  const newResident = async () => {
    const phone = `+4477009005${String(next()).padStart(2, '0')}`;
    expect((await client.text(phone, 'JOIN ROADS')).status).toBe(200);
    await vi.waitFor(async () => expect((await api('GET', `/v1/subscribers/${encodeURIComponent(phone)}`)).status).toBe(200));
    return phone;
  };
  const newInboxEntry = async () => {
    const words = `The lights on Queen St are out (${next()})`;
    expect((await client.text(resident, words)).status).toBe(200);
    return vi.waitFor(async () => {
      const inbox = await api('GET', '/v1/inbox?department=roads&limit=50');
      const id: string | undefined = inbox.json.messages.find((message: { body: string }) => message.body === words)?.id;
      expect(id).toBeDefined();
      return id!;
    });
  };
  const newKey = async () => (await api('POST', '/v1/keys', { name: `Leaver ${next()}`, role: 'viewer', department: ROADS, mode: 'live' })).json.id as string;
  const newTemplate = async () => {
    const made = await api('POST', '/v1/templates', { name: `Road closed ${next()}`, body: 'The ((road)) is closed.', department: ROADS });
    expect(made.status).toBe(201);
    return made.json.id as string;
  };
  const newStaffMember = async () => {
    const added = await api('POST', '/v1/staff', { email: `leaver${next()}@roads.test`, name: 'A leaver', role: 'viewer', department: ROADS });
    expect(added.status).toBe(201);
    return added.json.id as string;
  };

  // Targets shared by the calls expected to be refused: a refusal must leave them as they are.
  let shared: { draft: string; pending: string; topic: string; inboxEntry: string; key: string; staffMember: string; template: string };

  const rules: Record<string, RouteRule> = {
    'POST /v1/topics': { may: ['operator'], testKeys: 'closed', outsider: 403, ok: 201, build: async () => ({ path: '/v1/topics', body: { id: `new-${next()}`, name: 'New', keywords: [`NEW${sequence}`], department: ROADS } }) },
    'GET /v1/topics': { may: 'anyone', testKeys: 'open', outsider: 'own data', ok: 200, build: async () => ({ path: '/v1/topics' }) },
    'GET /v1/topics/{id}': { may: 'anyone', testKeys: 'open', outsider: 403, ok: 200, build: async () => ({ path: '/v1/topics/roads' }) },
    'PATCH /v1/topics/{id}': { may: ['operator', 'approver'], testKeys: 'closed', outsider: 403, ok: 200, build: async () => ({ path: '/v1/topics/roads', body: { name: `Roadworks ${next()}` } }) },
    'POST /v1/topics/{id}/archive': {
      may: ['operator', 'approver'],
      testKeys: 'closed',
      outsider: 403,
      ok: 200,
      build: async (fresh) => ({ path: `/v1/topics/${fresh ? await newTopic() : shared.topic}/archive` }),
    },
    'GET /v1/subscribers/{phone}': { may: ['operator'], testKeys: 'closed', outsider: 403, ok: 200, build: async () => ({ path: `/v1/subscribers/${encodeURIComponent(resident)}` }) },
    'GET /v1/subscribers/{phone}/messages': {
      may: ['operator'],
      testKeys: 'closed',
      outsider: 403,
      ok: 200,
      build: async () => ({ path: `/v1/subscribers/${encodeURIComponent(resident)}/messages` }),
    },
    'DELETE /v1/subscribers/{phone}': {
      may: ['operator'],
      testKeys: 'closed',
      outsider: 403,
      ok: 204,
      build: async (fresh) => ({ path: `/v1/subscribers/${encodeURIComponent(fresh ? await newResident() : resident)}` }),
    },
    'POST /v1/subscribers/import': {
      may: ['operator', 'sender'],
      testKeys: 'closed',
      // The import checks each row's topic: another department's is a row problem, and nothing is stored.
      outsider: 400,
      ok: 201,
      build: async () => ({
        path: '/v1/subscribers/import',
        csv: `phone,topic,consent_collected_by,consent_collected_at,consent_method\n+4477009006${String(next()).padStart(2, '0')},roads,Roads team,2025-01-15,paper form\n`,
      }),
    },
    'POST /v1/broadcasts': { may: ['operator', 'sender'], testKeys: 'open', outsider: 403, ok: 201, build: async () => ({ path: '/v1/broadcasts', body: { topics: ['roads'], body: 'Trial.', draft: true } }) },
    'GET /v1/broadcasts': { may: 'anyone', testKeys: 'open', outsider: 'own data', ok: 200, build: async () => ({ path: '/v1/broadcasts' }) },
    'POST /v1/broadcasts/preview': { may: ['operator', 'sender'], testKeys: 'open', outsider: 403, ok: 200, build: async () => ({ path: '/v1/broadcasts/preview', body: { topics: ['roads'], body: 'Trial.' } }) },
    'GET /v1/broadcasts/{id}/preview': { may: 'anyone', testKeys: 'hidden', outsider: 403, ok: 200, build: async () => ({ path: `/v1/broadcasts/${shared.draft}/preview` }) },
    'GET /v1/broadcasts/{id}/report': { may: 'anyone', testKeys: 'hidden', outsider: 403, ok: 200, build: async () => ({ path: `/v1/broadcasts/${shared.draft}/report` }) },
    'GET /v1/broadcasts/{id}': { may: 'anyone', testKeys: 'hidden', outsider: 403, ok: 200, build: async () => ({ path: `/v1/broadcasts/${shared.draft}` }) },
    'POST /v1/broadcasts/{id}/submit': {
      may: ['operator', 'sender'],
      testKeys: 'hidden',
      outsider: 403,
      ok: 200,
      build: async (fresh) => ({ path: `/v1/broadcasts/${fresh ? await liveBroadcast('roads') : shared.draft}/submit` }),
    },
    'POST /v1/broadcasts/{id}/approve': {
      may: ['operator', 'approver'],
      testKeys: 'hidden',
      outsider: 403,
      ok: 200,
      build: async (fresh) => ({ path: `/v1/broadcasts/${fresh ? await liveBroadcast('roads-checked') : shared.pending}/approve` }),
    },
    'POST /v1/broadcasts/{id}/reject': {
      may: ['operator', 'approver'],
      testKeys: 'hidden',
      outsider: 403,
      ok: 200,
      build: async (fresh) => ({ path: `/v1/broadcasts/${fresh ? await liveBroadcast('roads-checked') : shared.pending}/reject`, body: { reason: 'Not today.' } }),
    },
    'POST /v1/broadcasts/{id}/cancel': {
      may: ['operator', 'sender', 'approver'],
      testKeys: 'hidden',
      outsider: 403,
      ok: 200,
      build: async (fresh) => ({ path: `/v1/broadcasts/${fresh ? await liveBroadcast('roads') : shared.draft}/cancel` }),
    },
    'GET /v1/sandbox/messages': { may: 'anyone', testKeys: 'open', outsider: 'own data', ok: 200, build: async () => ({ path: '/v1/sandbox/messages' }) },
    'GET /v1/departments/{id}/limits': { may: 'anyone', testKeys: 'open', outsider: 403, ok: 200, build: async () => ({ path: '/v1/departments/roads/limits' }) },
    'PUT /v1/departments/{id}/limits': { may: ['operator'], testKeys: 'closed', outsider: 403, ok: 200, build: async () => ({ path: '/v1/departments/roads/limits', body: { dailyMessageCap: null } }) },
    'GET /v1/inbox': { may: 'anyone', testKeys: 'closed', outsider: 403, ok: 200, build: async () => ({ path: '/v1/inbox?department=roads' }) },
    'POST /v1/inbox/{id}/handled': {
      may: ['operator', 'sender', 'approver'],
      testKeys: 'closed',
      outsider: 403,
      ok: 200,
      build: async (fresh) => ({ path: `/v1/inbox/${fresh ? await newInboxEntry() : shared.inboxEntry}/handled` }),
    },
    'POST /v1/inbox/{id}/reply': {
      may: ['operator', 'sender', 'approver'],
      testKeys: 'closed',
      outsider: 403,
      ok: 201,
      build: async (fresh) => ({ path: `/v1/inbox/${fresh ? await newInboxEntry() : shared.inboxEntry}/reply`, body: { body: 'Thank you, we are on it.' } }),
    },
    'GET /v1/inbox/export': { may: 'anyone', testKeys: 'closed', outsider: 403, ok: 200, build: async () => ({ path: '/v1/inbox/export?department=roads' }) },
    'GET /v1/inbox/{id}': { may: 'anyone', testKeys: 'closed', outsider: 403, ok: 200, build: async () => ({ path: `/v1/inbox/${shared.inboxEntry}` }) },
    'POST /v1/inbox/handled': {
      may: ['operator', 'sender', 'approver'],
      testKeys: 'closed',
      outsider: 403,
      ok: 200,
      build: async (fresh) => ({ path: '/v1/inbox/handled', body: { ids: [fresh ? await newInboxEntry() : shared.inboxEntry] } }),
    },
    'POST /v1/inbox/{id}/reopen': {
      may: ['operator', 'sender', 'approver'],
      testKeys: 'closed',
      outsider: 403,
      ok: 200,
      build: async (fresh) => ({ path: `/v1/inbox/${fresh ? await newInboxEntry() : shared.inboxEntry}/reopen` }),
    },
    'POST /v1/inbox/{id}/assign': {
      may: ['operator', 'sender', 'approver'],
      testKeys: 'closed',
      outsider: 403,
      ok: 200,
      build: async (fresh) => ({ path: `/v1/inbox/${fresh ? await newInboxEntry() : shared.inboxEntry}/assign`, body: { assignee: null } }),
    },
    'POST /v1/inbox/{id}/notes': {
      may: ['operator', 'sender', 'approver'],
      testKeys: 'closed',
      outsider: 403,
      ok: 201,
      build: async (fresh) => ({ path: `/v1/inbox/${fresh ? await newInboxEntry() : shared.inboxEntry}/notes`, body: { text: 'Checked with the depot.' } }),
    },
    'GET /v1/replies': { may: 'anyone', testKeys: 'open', outsider: 'own data', ok: 200, build: async () => ({ path: '/v1/replies' }) },
    'PUT /v1/replies/{language}/{replyId}': { may: ['operator'], testKeys: 'closed', outsider: 403, ok: 200, build: async () => ({ path: '/v1/replies/en/help', body: { text: 'Text STOP to stop.' } }) },
    'DELETE /v1/replies/{language}/{replyId}': { may: ['operator'], testKeys: 'closed', outsider: 403, ok: 204, build: async () => ({ path: '/v1/replies/en/help' }) },
    'POST /v1/keys': { may: ['operator'], testKeys: 'closed', outsider: 403, ok: 201, build: async () => ({ path: '/v1/keys', body: { name: `Extra ${next()}`, role: 'viewer', department: ROADS, mode: 'live' } }) },
    'GET /v1/keys': { may: ['operator'], testKeys: 'closed', outsider: 403, ok: 200, build: async () => ({ path: '/v1/keys' }) },
    'POST /v1/keys/{id}/revoke': { may: ['operator'], testKeys: 'closed', outsider: 403, ok: 200, build: async (fresh) => ({ path: `/v1/keys/${fresh ? await newKey() : shared.key}/revoke` }) },
    // The stack's operator key is given to it, as CRIER_BOOTSTRAP_KEY gives it to `npm start`: a rotation is refused
    // (409, nothing changed) and the key goes on working for the rows after; bootstrap-rotation.test.ts tests the rotation itself.
    'POST /v1/keys/bootstrap/rotate': { may: ['operator'], testKeys: 'closed', outsider: 403, ok: 409, build: async () => ({ path: '/v1/keys/bootstrap/rotate' }) },
    'POST /v1/staff': {
      may: ['operator'],
      testKeys: 'closed',
      outsider: 403,
      ok: 201,
      build: async () => ({ path: '/v1/staff', body: { email: `new${next()}@roads.test`, name: 'A newcomer', role: 'sender', department: ROADS } }),
    },
    'GET /v1/staff': { may: ['operator'], testKeys: 'closed', outsider: 403, ok: 200, build: async () => ({ path: '/v1/staff' }) },
    'GET /v1/usage': { may: 'anyone', testKeys: 'open', outsider: 'own data', ok: 200, build: async () => ({ path: '/v1/usage' }) },
    'PATCH /v1/staff/{id}': { may: ['operator'], testKeys: 'closed', outsider: 403, ok: 200, build: async (fresh) => ({ path: `/v1/staff/${fresh ? await newStaffMember() : shared.staffMember}`, body: { role: 'approver' } }) },
    'DELETE /v1/staff/{id}': { may: ['operator'], testKeys: 'closed', outsider: 403, ok: 204, build: async (fresh) => ({ path: `/v1/staff/${fresh ? await newStaffMember() : shared.staffMember}` }) },
    'GET /v1/audit': { may: ['operator'], testKeys: 'closed', outsider: 403, ok: 200, build: async () => ({ path: '/v1/audit' }) },
    'GET /v1/dead-letters': { may: ['operator'], testKeys: 'closed', outsider: 403, ok: 200, build: async () => ({ path: '/v1/dead-letters' }) },
    'POST /v1/dead-letters/{queue}/redrive': { may: ['operator'], testKeys: 'closed', outsider: 403, ok: 200, build: async () => ({ path: '/v1/dead-letters/sendBulk/redrive' }) },
    'GET /v1/providers': { may: ['operator'], testKeys: 'open', outsider: 403, ok: 200, build: async () => ({ path: '/v1/providers' }) },
    'GET /v1/templates': { may: 'anyone', testKeys: 'open', outsider: 'own data', ok: 200, build: async () => ({ path: '/v1/templates' }) },
    // No department named: an outsider's template is saved in their own department.
    'POST /v1/templates': { may: ['operator', 'sender'], testKeys: 'closed', outsider: 'own data', ok: 201, build: async () => ({ path: '/v1/templates', body: { name: `Bins ${next()}`, body: 'Bins are late.' } }) },
    'GET /v1/templates/{id}': { may: 'anyone', testKeys: 'open', outsider: 404, ok: 200, build: async () => ({ path: `/v1/templates/${shared.template}` }) },
    'PUT /v1/templates/{id}': {
      may: ['operator', 'sender'],
      testKeys: 'closed',
      outsider: 404,
      ok: 200,
      build: async (fresh) => ({ path: `/v1/templates/${fresh ? await newTemplate() : shared.template}`, body: { name: `Road shut ${next()}`, body: 'The ((road)) is shut.', version: 1 } }),
    },
    'POST /v1/templates/{id}/archive': {
      may: ['operator', 'sender'],
      testKeys: 'closed',
      outsider: 404,
      ok: 200,
      build: async (fresh) => ({ path: `/v1/templates/${fresh ? await newTemplate() : shared.template}/archive` }),
    },
    'GET /v1/templates/{id}/versions': { may: 'anyone', testKeys: 'open', outsider: 404, ok: 200, build: async () => ({ path: `/v1/templates/${shared.template}/versions` }) },
    // Public, like the API's documentation: it describes the routes and grants nothing.
    'GET /v1/openapi.json': { may: 'anyone', testKeys: 'open', outsider: 'own data', ok: 200, build: async () => ({ path: '/v1/openapi.json' }) },
  };

  /** The status the rules above give a caller: written from the README's table of who may do what, not from the code. */
  function expectedStatus(rule: RouteRule, caller: Caller): number {
    if (caller.mode === 'test' && rule.testKeys === 'hidden') return 404;
    if (rule.may !== 'anyone' && !rule.may.includes(caller.role)) return 403;
    if (caller.mode === 'test' && rule.testKeys === 'closed') return 403;
    if (caller.outsider && rule.outsider !== 'own data') return rule.outsider;
    return rule.ok;
  }

  const v1Routes = httpRoutes()
    .map((route) => route.routeKey)
    .filter((routeKey) => routeKey.split(' ')[1]!.startsWith('/v1/'));

  beforeAll(async () => {
    ({ twilioApi, stack, client } = await startFakeTwilioStack(ourNumber, {
      // One run of the scheduler, at start: nothing here is due, and no sweep may change a record between a call's before and after.
      schedulerIntervalMs: 3_600_000,
      settings: { quietHours: 'off' },
    }));
    for (const topic of [
      { id: 'roads', name: 'Roadworks', keywords: ['ROADS'], department: ROADS },
      { id: 'roads-checked', name: 'Road closures', keywords: ['CLOSURES'], department: ROADS, requiresApproval: true },
      { id: 'youth', name: 'Youth news', keywords: ['YOUTH'], department: 'youth' },
    ]) {
      expect((await api('POST', '/v1/topics', topic)).status).toBe(201);
    }
    expect((await client.text(resident, 'JOIN ROADS')).status).toBe(200);
    const made = await api('POST', '/v1/keys', { name: 'Roads author', role: 'sender', department: ROADS, mode: 'live' });
    author = made.json;
    const kinds = [
      ...roadsRoles.map((role) => ({ role, department: role === 'operator' ? '*' : ROADS, outsider: false })),
      { role: 'sender' as const, department: 'youth', outsider: true },
      { role: 'approver' as const, department: 'youth', outsider: true },
    ];
    for (const mode of ['live', 'test'] as const) {
      for (const kind of kinds) {
        if (mode === 'test' && kind.role === 'approver' && kind.outsider) continue;
        const key = await api('POST', '/v1/keys', { name: `${mode} ${kind.role} ${kind.department}`, role: kind.role, department: kind.department, mode });
        expect(key.status).toBe(201);
        callers.push({ ...kind, mode, key: key.json.key, id: key.json.id });
      }
    }
    shared = {
      draft: await liveBroadcast('roads'),
      pending: await liveBroadcast('roads-checked'),
      topic: await newTopic(),
      inboxEntry: await newInboxEntry(),
      key: await newKey(),
      staffMember: await newStaffMember(),
      template: await newTemplate(),
    };
    await stack.settled();
  });
  afterAll(async () => {
    await stack?.stop();
    await twilioApi?.close();
  });

  it('has a rule for every /v1 route in the function catalog, and none for a route that is not there', () => {
    // Prepare
    const ruled = Object.keys(rules).sort();

    // Act
    const catalogued = [...v1Routes].sort();

    // Assess
    expect(ruled).toEqual(catalogued);
  });

  it('refuses a test sender key submitting a live draft (the audit finding): the draft stays a draft and nothing is sent', async () => {
    // Prepare
    const testSender = callers.find((caller) => caller.mode === 'test' && caller.role === 'sender' && !caller.outsider)!;
    const draft = await liveBroadcast('roads');
    await stack.settled();
    const sentBefore = { twilio: twilioApi.requests.length, sandbox: (await client.outbox()).length };

    // Act
    const response = await api('POST', `/v1/broadcasts/${draft}/submit`, undefined, testSender.key);
    await stack.settled();

    // Assess
    expect(response).toEqual({ status: 404, json: { error: `no broadcast ${draft}`, details: [] } });
    expect((await api('GET', `/v1/broadcasts/${draft}`)).json).toMatchObject({ status: 'draft', counts: { targeted: 0, sent: 0 } });
    expect({ twilio: twilioApi.requests.length, sandbox: (await client.outbox()).length }).toEqual(sentBefore);
  });

  describe('each call gets the status its role and mode allow; a refused call changes nothing, a test key no live record', () => {
    beforeAll(async () => {
      // Nothing is sent while the table runs: what a call queued stays on its queue, where it is counted.
      for (const queue of ['fanOut', 'sendUrgent', 'sendBulk'] as const) await stack.pauseConsumer(queue);
    });

    it.each(
      // The catalog is read when the file loads; the rule check above fails first if it and the rules differ.
      httpRoutes()
        .map((route) => route.routeKey)
        .filter((routeKey) => routeKey.split(' ')[1]!.startsWith('/v1/'))
        .flatMap((routeKey) => rowsFor(routeKey))
        .map((row) => [`${row.routeKey} by a ${row.mode} ${row.who} key`, row] as const),
    )('%s', async (_title, { routeKey, mode, role, outsider }) => {
      // Prepare
      const caller = callers.find((candidate) => candidate.mode === mode && candidate.role === role && candidate.outsider === outsider)!;
      const rule = rules[routeKey]!;
      const expected = expectedStatus(rule, caller);
      const fresh = expected < 300 && !routeKey.startsWith('GET ');
      const target = await rule.build(fresh);
      // The last call's after is this one's before, unless making a fresh target changed things since.
      const before = (!fresh && lastSnapshot) || (await snapshot());

      // Act
      const response = await call(routeKey.split(' ')[0]!, target, caller.key);

      // Assess
      expect({ status: response.status, error: response.status >= 400 ? response.json?.error : undefined }).toEqual({
        status: expected,
        error: expected >= 400 ? expect.any(String) : undefined,
      });
      const after = await snapshot();
      lastSnapshot = after;
      if (expected === 400 && routeKey === 'POST /v1/subscribers/import') {
        // A refused import is kept on record (who tried, the rows by kind of problem, never a
        // number), as the audit log keeps what staff do; it subscribes no one and changes nothing there was.
        const added = after.items.filter((item) => !before.keys.has(keyOf(item)));
        expect(added.map((item) => (item.type === 'importBatch' ? item.outcome : keyOf(item).split('|')[0]))).toEqual(added.map((item) => (item.type === 'importBatch' ? 'refused' : 'IMPORTS')));
        expect(changedOrRemoved(before.items, after.items)).toEqual([]);
        expect(after.queues).toEqual(before.queues);
      } else if (expected >= 400) {
        expect(after).toEqual(before);
      } else if (caller.mode === 'test' || routeKey.startsWith('GET ')) {
        // A read may add to the audit log (looking at dead letters is recorded); it changes nothing there was.
        expect(changedOrRemoved(before.items, after.items)).toEqual([]);
        expect(after.queues).toEqual(before.queues);
        if (caller.mode === 'test') expect(after.items.filter((item) => item.mode === 'live' && !before.keys.has(keyOf(item)))).toEqual([]);
      }
    });

    it('sent nothing through the live provider or the sandbox while the table ran', async () => {
      // Prepare: the rows above, with the senders paused
      const twilioBefore = twilioApi.requests.length;

      // Act
      const outbox = await client.outbox();

      // Assess
      expect(twilioApi.requests.length).toBe(twilioBefore);
      expect(outbox).toEqual([]);
    });
  });

  async function call(method: string, target: Target, key: string) {
    const response = await fetch(`${stack.baseUrl}${target.path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': target.csv === undefined ? 'application/json' : 'text/csv' },
      ...(target.csv !== undefined ? { body: target.csv } : target.body !== undefined ? { body: JSON.stringify(target.body) } : {}),
    });
    const text = await response.text();
    // Every answer is JSON but a text one (the delivery report's CSV).
    const isText = /^text\//.test(response.headers.get('content-type') ?? '');
    return { status: response.status, json: text && !isText ? JSON.parse(text) : undefined };
  }

  /** Every item of the table, and what waits on the work queues. */
  async function snapshot() {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await awsClients().documents.send(new ScanCommand({ TableName: stack.tableName, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    items.sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
    const queues = await Promise.all(
      (['fanOut', 'sendUrgent', 'sendBulk'] as const).map(async (queue) => {
        const { Attributes } = await awsClients().sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: stack.queues[queue].url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
        );
        return [queue, Attributes] as const;
      }),
    );
    return { items, keys: new Set(items.map(keyOf)), queues: Object.fromEntries(queues) };
  }
});

function rowsFor(routeKey: string) {
  return (['live', 'test'] as const).flatMap((mode) => [
    ...roadsRoles.map((role) => ({ routeKey, mode, role, outsider: false, who: role })),
    { routeKey, mode, role: 'sender' as const, outsider: true, who: 'sender (another department)' },
    // An approver of another department in live mode only: as a test key it meets the test-key rules first, as the sender above shows.
    ...(mode === 'live' ? [{ routeKey, mode, role: 'approver' as const, outsider: true, who: 'approver (another department)' }] : []),
  ]);
}

function keyOf(item: Record<string, unknown>): string {
  return `${String(item.pk)}|${String(item.sk)}`;
}

/** The items of `before` that are gone or different in `after`. */
function changedOrRemoved(before: Record<string, unknown>[], after: Record<string, unknown>[]): string[] {
  const afterByKey = new Map(after.map((item) => [keyOf(item), canonical(item)]));
  return before.filter((item) => afterByKey.get(keyOf(item)) !== canonical(item)).map(keyOf);
}

/** JSON with every object's keys in order, so two reads of an unchanged item compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner) && !(inner instanceof Set)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}
