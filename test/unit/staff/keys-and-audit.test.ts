import { describe, expect, it } from 'vitest';
import { createKeyRequest } from '../../../shared/api/key-schemas.js';
import { AuthenticationError, ForbiddenError, NotFoundError, ValidationError } from '../../../shared/domain/errors.js';
import { roleSchema, type Principal } from '../../../shared/domain/model.js';
import { listAudit, recordAudit } from '../../../shared/staff/audit.js';
import { authenticate, hashApiKey } from '../../../shared/staff/authenticate.js';
import { cancelBroadcast, createBroadcast } from '../../../shared/broadcasts/broadcasts.js';
import type { BroadcastDependencies } from '../../../shared/ports/dependencies.js';
import { createKey, listKeys, revokeKey } from '../../../shared/staff/keys.js';
import { setReplyText } from '../../../shared/inbox/inbox-and-reply-texts.js';
import { eraseSubscriber } from '../../../shared/residents/subscribers.js';
import { createTopic } from '../../../shared/topics/manage-topics.js';
import { aPrincipal, aTopic, inboundEvidence, broadcastSettings } from '../../support/builders.js';
import { FixedClock, RecordingQueue, SequentialIds, inMemoryStores } from '../../support/in-memory-stores.js';

const operator = aPrincipal({ keyId: 'key-operator', name: 'IT operator', role: 'operator', department: '*' });
const noBootstrapKey = async () => undefined;

function setUp() {
  const stores = inMemoryStores();
  const clock = new FixedClock('2025-03-01T09:00:00.000Z');
  const deps: BroadcastDependencies = {
    stores,
    clock,
    ids: new SequentialIds(),
    fanOutTasks: new RecordingQueue(),
    topicShards: 2,
    ...broadcastSettings(),
  };
  return { deps, stores, clock };
}

const keyRequest = (overrides: Record<string, unknown> = {}) =>
  createKeyRequest.parse({ name: 'Roads team', role: 'sender', department: 'roads', ...overrides });

describe('createKey', () => {
  it.each(['live', 'test'] as const)('gives a %s key once, in the right format, and stores only its hash', async (mode) => {
    // Prepare
    const { deps, stores } = setUp();

    // Act
    const created = await createKey(deps, operator, keyRequest({ mode }));

    // Assess
    expect(created.key).toMatch(new RegExp(`^crier_${mode}_[A-Za-z0-9_-]{43}$`));
    expect(created).toMatchObject({ name: 'Roads team', role: 'sender', department: 'roads', mode, revoked: false, createdAt: '2025-03-01T09:00:00.000Z' });
    expect([...stores.apiKeys.keys.keys()]).toEqual([hashApiKey(created.key)]);
    expect(JSON.stringify([...stores.apiKeys.keys.values()])).not.toContain(created.key);
  });

  it('makes keys that authenticate as the department, role and mode they were made for', async () => {
    // Prepare
    const { deps, stores } = setUp();
    const created = await createKey(deps, operator, keyRequest({ mode: 'test' }));

    // Act
    const principal = await authenticate(stores.apiKeys, noBootstrapKey, `Bearer ${created.key}`);

    // Assess
    expect(principal).toEqual<Principal>({ keyId: created.id, name: 'Roads team', role: 'sender', department: 'roads', mode: 'test' });
  });

  it('records the creation in the audit log without the secret or its hash', async () => {
    // Prepare
    const { deps, stores } = setUp();

    // Act
    const created = await createKey(deps, operator, keyRequest());

    // Assess
    expect(stores.audit.entries).toEqual([
      expect.objectContaining({
        action: 'key.create',
        actor: { keyId: 'key-operator', name: 'IT operator', role: 'operator', department: '*' },
        target: { type: 'key', id: created.id },
        before: undefined,
        after: expect.objectContaining({ id: created.id, role: 'sender', department: 'roads', mode: 'live' }),
      }),
    ]);
    const logged = JSON.stringify(stores.audit.entries);
    expect(logged).not.toContain(created.key);
    expect(logged).not.toContain(hashApiKey(created.key));
  });

  it.each([
    [{ role: 'operator', department: 'roads' }, 'department'],
    [{ role: 'sender', department: '*' }, 'department'],
    [{ role: 'janitor' }, 'role'],
    [{ name: ' ' }, 'name'],
    [{ mode: 'staging' }, 'mode'],
    [{ extra: true }, ''],
  ])('refuses %o, naming the field', (overrides, field) => {
    // Prepare
    const body = { name: 'Roads team', role: 'sender', department: 'roads', ...overrides };

    // Act
    const result = createKeyRequest.safeParse(body);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(field);
  });
});

describe('key routes by role', () => {
  const routes = {
    create: (deps: BroadcastDependencies, principal: Principal) => createKey(deps, principal, keyRequest()),
    list: (deps: BroadcastDependencies, principal: Principal) => listKeys(deps, principal, { limit: 10 }),
    revoke: (deps: BroadcastDependencies, principal: Principal) => revokeKey(deps, principal, 'id-0001'),
    audit: (deps: BroadcastDependencies, principal: Principal) => listAudit(deps, principal, { limit: 10 }),
  };
  const rows = roleSchema.options.flatMap((role) => Object.keys(routes).map((route) => [role, route as keyof typeof routes] as const));

  it.each(rows)('a %s key may %s only if it is an operator key', async (role, route) => {
    // Prepare
    const { deps } = setUp();
    await createKey(deps, operator, keyRequest());
    const principal = aPrincipal({ role, department: role === 'operator' ? '*' : 'roads' });

    // Act
    const attempt = routes[route](deps, principal);

    // Assess
    if (role === 'operator') await expect(attempt).resolves.toBeDefined();
    else await expect(attempt).rejects.toThrow(ForbiddenError);
  });
});

describe('listKeys', () => {
  it('pages through keys in creation order and never shows a secret', async () => {
    // Prepare
    const { deps } = setUp();
    const created = [];
    for (const name of ['a', 'b', 'c']) created.push(await createKey(deps, operator, keyRequest({ name })));

    // Act
    const first = await listKeys(deps, operator, { limit: 2 });
    const second = await listKeys(deps, operator, { limit: 2, cursor: first.cursor });

    // Assess
    expect(first.items.map((key) => key.name)).toEqual(['a', 'b']);
    expect(second.items.map((key) => key.name)).toEqual(['c']);
    expect(second.cursor).toBeUndefined();
    expect([...first.items, ...second.items].every((key) => !('key' in key))).toBe(true);
  });
});

describe('revokeKey', () => {
  it('makes the key fail authentication at once and records before and after', async () => {
    // Prepare
    const { deps, stores } = setUp();
    const created = await createKey(deps, operator, keyRequest());

    // Act
    const revoked = await revokeKey(deps, operator, created.id);

    // Assess
    expect(revoked).toMatchObject({ id: created.id, revoked: true, revokedAt: '2025-03-01T09:00:00.000Z' });
    await expect(authenticate(stores.apiKeys, noBootstrapKey, `Bearer ${created.key}`)).rejects.toThrow(AuthenticationError);
    expect(stores.audit.entries.at(-1)).toMatchObject({
      action: 'key.revoke',
      target: { type: 'key', id: created.id },
      before: { revoked: false },
      after: { revoked: true },
    });
  });

  it('answers 404 for an unknown key and records nothing', async () => {
    // Prepare
    const { deps, stores } = setUp();

    // Act
    const attempt = revokeKey(deps, operator, 'no-such-key');

    // Assess
    await expect(attempt).rejects.toThrow(NotFoundError);
    expect(stores.audit.entries).toEqual([]);
  });

  it('changes nothing when the key is already revoked', async () => {
    // Prepare
    const { deps, stores, clock } = setUp();
    const created = await createKey(deps, operator, keyRequest());
    await revokeKey(deps, operator, created.id);
    clock.advance(60_000);

    // Act
    const again = await revokeKey(deps, operator, created.id);

    // Assess
    expect(again.revokedAt).toBe('2025-03-01T09:00:00.000Z');
    expect(stores.audit.entries.filter((entry) => entry.action === 'key.revoke')).toHaveLength(1);
  });
});

describe('audit log from the use cases', () => {
  it('records who created a topic and a broadcast, and the status before and after a cancel', async () => {
    // Prepare
    const { deps, stores } = setUp();
    const sender = aPrincipal({ keyId: 'key-roads', name: 'Roads team', role: 'sender', department: 'roads' });
    await createTopic(deps, operator, { id: 'roads', name: 'Roadworks', keywords: ['ROADS'], department: 'roads', requiresApproval: true, confirmedOptIn: false, aliases: {} });
    const broadcast = await createBroadcast(deps, sender, { topics: ['roads'], body: 'A470 closed tonight.', priority: 'normal' });

    // Act
    await cancelBroadcast(deps, sender, broadcast.id);

    // Assess
    expect(stores.audit.entries.map((entry) => [entry.action, entry.actor.keyId, entry.target.id])).toEqual([
      ['topic.create', 'key-operator', 'roads'],
      ['broadcast.create', 'key-roads', broadcast.id],
      ['broadcast.cancel', 'key-roads', broadcast.id],
    ]);
    expect(stores.audit.entries[2]).toMatchObject({ before: { status: 'pending_approval' }, after: { status: 'cancelled' } });
  });

  it('names an erased subscriber by hash, never by number', async () => {
    // Prepare
    const { deps, stores } = setUp();
    const phone = '+447700900101';
    await stores.topics.create(aTopic({ id: 'traffic' }));
    await stores.subscribers.subscribe(phone, 'sms', 'traffic', '2025-03-01T08:00:00.000Z', inboundEvidence());

    // Act
    await eraseSubscriber(deps, operator, phone);

    // Assess
    expect(stores.audit.entries).toEqual([expect.objectContaining({ action: 'subscriber.erase', target: { type: 'subscriber', id: expect.stringMatching(/^hmac-sha256:[0-9a-f]{64}$/) } })]);
    expect(JSON.stringify(stores.audit.entries)).not.toContain('7700900101');
  });

  it('records a reply text set and removed, with the wording before and after', async () => {
    // Prepare
    const { deps, stores } = setUp();
    await setReplyText(deps, operator, 'en', 'help', 'First wording');

    // Act
    await setReplyText(deps, operator, 'en', 'help', 'Second wording');
    await setReplyText(deps, operator, 'en', 'help', undefined);

    // Assess
    expect(stores.audit.entries.map(({ action, target, before, after }) => ({ action, target, before, after }))).toEqual([
      { action: 'reply.set', target: { type: 'reply', id: 'en/help' }, before: undefined, after: { text: 'First wording' } },
      { action: 'reply.set', target: { type: 'reply', id: 'en/help' }, before: { text: 'First wording' }, after: { text: 'Second wording' } },
      { action: 'reply.remove', target: { type: 'reply', id: 'en/help' }, before: { text: 'Second wording' }, after: undefined },
    ]);
  });

  it('records nothing when the action is refused', async () => {
    // Prepare
    const { deps, stores } = setUp();
    const viewer = aPrincipal({ role: 'viewer', department: 'roads' });

    // Act
    const attempt = createKey(deps, viewer, keyRequest());

    // Assess
    await expect(attempt).rejects.toThrow(ForbiddenError);
    expect(stores.audit.entries).toEqual([]);
  });
});

describe('listAudit', () => {
  async function logged(deps: BroadcastDependencies, clock: FixedClock, count: number) {
    for (let i = 0; i < count; i += 1) {
      await recordAudit(deps, operator, 'topic.create', { type: 'topic', id: `t${i}` }, {});
      clock.advance(3_600_000);
    }
  }

  it('gives the newest first, page by page', async () => {
    // Prepare
    const { deps, clock } = setUp();
    await logged(deps, clock, 5);

    // Act
    const first = await listAudit(deps, operator, { limit: 3 });
    const second = await listAudit(deps, operator, { limit: 3, cursor: first.cursor });

    // Assess
    expect(first.items.map((entry) => entry.target.id)).toEqual(['t4', 't3', 't2']);
    expect(second.items.map((entry) => entry.target.id)).toEqual(['t1', 't0']);
    expect(second.cursor).toBeUndefined();
  });

  it('keeps to the window, a bare day standing for the whole day', async () => {
    // Prepare
    const { deps, clock } = setUp();
    await logged(deps, clock, 20);

    // Act
    const page = await listAudit(deps, operator, { from: '2025-03-02', to: '2025-03-02', limit: 50 });

    // Assess
    expect(page.items.map((entry) => entry.target.id)).toEqual(['t19', 't18', 't17', 't16', 't15']);
  });

  it.each([
    [{ from: '2025-03-02', to: '2025-03-01' }, 'from'],
    [{ from: '2023-01-01', to: '2025-03-01' }, 'from'],
  ])('refuses the window %o, naming %s', async (window, field) => {
    // Prepare
    const { deps } = setUp();

    // Act
    const attempt = listAudit(deps, operator, { ...window, limit: 10 });

    // Assess
    await expect(attempt).rejects.toThrow(ValidationError);
    await expect(attempt).rejects.toMatchObject({ details: [expect.objectContaining({ field })] });
  });
});

describe('createBroadcast: test mode', () => {
  it.each(['live', 'test'] as const)("carries a %s key's mode on the broadcast", async (mode) => {
    // Prepare
    const { deps, stores } = setUp();
    await stores.topics.create(aTopic({ id: 'roads', department: 'roads', keywords: ['ROADS'] }));
    const sender = aPrincipal({ role: 'sender', department: 'roads', mode });

    // Act
    const broadcast = await createBroadcast(deps, sender, { topics: ['roads'], body: 'A470 closed tonight.', priority: 'normal' });

    // Assess
    expect(broadcast.mode).toBe(mode);
    expect((await stores.broadcasts.get(broadcast.id))?.mode).toBe(mode);
  });
});
