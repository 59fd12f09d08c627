import { describe, expect, it } from 'vitest';
import { createTopicRequest } from '../../shared/api/topic-schemas.js';
import { ForbiddenError, NotFoundError } from '../../shared/domain/errors.js';
import type { FanOutTask } from '../../shared/domain/jobs.js';
import type { Principal } from '../../shared/domain/model.js';
import { listAudit } from '../../shared/staff/audit.js';
import { approveBroadcast, rejectBroadcast, submitBroadcast } from '../../shared/broadcasts/broadcast-approval.js';
import { previewBroadcast } from '../../shared/broadcasts/broadcast-preview.js';
import { cancelBroadcast } from '../../shared/broadcasts/broadcasts.js';
import { getBroadcast, listBroadcasts } from '../../shared/broadcasts/broadcast-reads.js';
import type { BroadcastDependencies } from '../../shared/ports/dependencies.js';
import { listInbox } from '../../shared/inbox/inbox-and-reply-texts.js';
import { getSubscriber } from '../../shared/residents/subscribers.js';
import { createTopic } from '../../shared/topics/manage-topics.js';
import { aBroadcast, aPhone, aPrincipal, aTopic, anInboxEntry, broadcastSettings } from '../support/builders.js';
import { FixedClock, RecordingQueue, SequentialIds, inMemoryStores } from '../support/in-memory-stores.js';

const testOperator = aPrincipal({ keyId: 'key-test', role: 'operator', department: '*', mode: 'test' });
const testSender = aPrincipal({ keyId: 'key-test-sender', role: 'sender', department: 'traffic', mode: 'test' });
const testApprover = aPrincipal({ keyId: 'key-test-approver', role: 'approver', department: 'traffic', mode: 'test' });

async function setUp() {
  const stores = inMemoryStores(2);
  const fanOutTasks = new RecordingQueue<FanOutTask>();
  const deps: BroadcastDependencies = {
    stores,
    clock: new FixedClock(),
    ids: new SequentialIds('bc'),
    fanOutTasks,
    topicShards: 2,
    ...broadcastSettings({ quietHours: 'off' }),
  };
  await stores.topics.create(aTopic({ id: 'traffic', department: 'traffic' }));
  return { deps, stores, fanOutTasks };
}

describe('test keys never change live data', () => {
  it('may not submit a live draft: it stays a draft and nothing is queued (the audit finding)', async () => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp();
    await stores.broadcasts.create(aBroadcast({ id: 'bc-live', status: 'draft', mode: 'live', createdBy: 'key-live-sender' }));

    // Act
    const attempt = submitBroadcast(deps, testSender, 'bc-live');

    // Assess
    await expect(attempt).rejects.toThrow(new NotFoundError('no broadcast bc-live'));
    expect((await stores.broadcasts.get('bc-live'))?.status).toBe('draft');
    expect(fanOutTasks.sent).toEqual([]);
    expect(await stores.audit.list({ from: '2000-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z', limit: 10, cursor: undefined })).toEqual({
      items: [],
      cursor: undefined,
    });
  });

  it.each([
    ['submit', (principal: Principal, deps: BroadcastDependencies) => submitBroadcast(deps, principal, 'bc-live'), 'draft'],
    ['approve', (principal: Principal, deps: BroadcastDependencies) => approveBroadcast(deps, principal, 'bc-live'), 'pending_approval'],
    ['reject', (principal: Principal, deps: BroadcastDependencies) => rejectBroadcast(deps, principal, 'bc-live', 'No.'), 'pending_approval'],
    ['cancel', (principal: Principal, deps: BroadcastDependencies) => cancelBroadcast(deps, principal, 'bc-live'), 'sending'],
    ['read', (principal: Principal, deps: BroadcastDependencies) => getBroadcast(deps, principal, 'bc-live'), 'sending'],
    ['preview', (principal: Principal, deps: BroadcastDependencies) => previewBroadcast(deps, principal, 'bc-live'), 'draft'],
  ] as const)('may not %s a live broadcast, which to a test key does not exist (404)', async (_action, act, status) => {
    // Prepare
    const { deps, stores, fanOutTasks } = await setUp();
    await stores.broadcasts.create(aBroadcast({ id: 'bc-live', status, mode: 'live', createdBy: 'key-live-sender' }));

    // Act
    const attempts = [testOperator, testSender, testApprover].map((principal) => act(principal, deps));

    // Assess
    for (const attempt of attempts) await expect(attempt).rejects.toThrow(new NotFoundError('no broadcast bc-live'));
    expect((await stores.broadcasts.get('bc-live'))?.status).toBe(status);
    expect(fanOutTasks.sent).toEqual([]);
  });

  it('lists test broadcasts only, to a test key', async () => {
    // Prepare
    const { deps, stores } = await setUp();
    await stores.broadcasts.create(aBroadcast({ id: 'bc-live', mode: 'live', createdAt: '2025-03-01T09:00:00.000Z' }));
    await stores.broadcasts.create(aBroadcast({ id: 'bc-test', mode: 'test', createdAt: '2025-03-01T09:01:00.000Z' }));

    // Act
    const asTest = await listBroadcasts(deps, testSender, { limit: 10 });
    const asLive = await listBroadcasts(deps, aPrincipal({ role: 'viewer', department: 'traffic' }), { limit: 10 });

    // Assess
    expect(asTest.items.map((broadcast) => broadcast.id)).toEqual(['bc-test']);
    expect(asLive.items.map((broadcast) => broadcast.id)).toEqual(['bc-test', 'bc-live']);
  });

  it('may submit, approve and cancel test broadcasts, which reach only the sandbox', async () => {
    // Prepare
    const { deps, stores } = await setUp();
    await stores.broadcasts.create(aBroadcast({ id: 'bc-draft', status: 'draft', mode: 'test', createdBy: testSender.keyId }));
    await stores.broadcasts.create(aBroadcast({ id: 'bc-waiting', status: 'pending_approval', mode: 'test', createdBy: testSender.keyId }));
    await stores.broadcasts.create(aBroadcast({ id: 'bc-sending', status: 'sending', mode: 'test' }));

    // Act
    const submitted = await submitBroadcast(deps, testSender, 'bc-draft');
    const approved = await approveBroadcast(deps, testApprover, 'bc-waiting');
    const cancelled = await cancelBroadcast(deps, testOperator, 'bc-sending');

    // Assess
    expect(submitted.status).not.toBe('draft');
    expect(approved.status).not.toBe('pending_approval');
    expect(cancelled.status).toBe('cancelled');
  });

  it('may not create a topic, and nothing is stored', async () => {
    // Prepare
    const { deps, stores } = await setUp();

    // Act
    const attempt = createTopic(deps, testOperator, createTopicRequest.parse({ id: 'roads', name: 'Roads', keywords: ['ROADS'] }));

    // Assess
    await expect(attempt).rejects.toThrow(new ForbiddenError('a test key may not create topics: test keys see and change test data only; use a live key'));
    expect((await stores.topics.list()).map((topic) => topic.id)).toEqual(['traffic']);
  });
});

describe("test keys never read live residents' personal data", () => {
  it.each([
    ["a resident's profile and consent history", (deps: BroadcastDependencies) => getSubscriber(deps, testOperator, aPhone(101)), "read residents' profiles and consent histories"],
    ["the inbox's free text", (deps: BroadcastDependencies) => listInbox(deps, testOperator, { department: 'traffic', limit: 10 }), "read the inbox of residents' messages"],
    ['the audit log', (deps: BroadcastDependencies) => listAudit(deps, testOperator, { limit: 10 }), 'read the audit log'],
  ] as const)('refuses %s to a test operator key', async (_what, act, phrase) => {
    // Prepare
    const { deps, stores } = await setUp();
    await stores.subscribers.subscribe(aPhone(101), 'sms', 'traffic', '2025-03-01T09:00:00.000Z', { kind: 'admin', actor: 'test', reason: 'fixture' });
    await stores.inbox.add(anInboxEntry({ body: 'My son is 14 and lives on Queen St' }));

    // Act
    const attempt = act(deps);

    // Assess
    await expect(attempt).rejects.toThrow(new ForbiddenError(`a test key may not ${phrase}: test keys see and change test data only; use a live key`));
  });
});
