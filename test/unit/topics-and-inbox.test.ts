import { describe, expect, it } from 'vitest';
import { updateTopicRequest } from '../../shared/api/topic-schemas.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../shared/domain/errors.js';
import { renderReply } from '../../shared/domain/replies.js';
import type { Role } from '../../shared/domain/model.js';
import { approveBroadcast } from '../../shared/broadcasts/broadcast-approval.js';
import { createBroadcast } from '../../shared/broadcasts/broadcasts.js';
import type { BroadcastDependencies } from '../../shared/ports/dependencies.js';
import { handleInboundText } from '../../shared/consent/handle-inbound.js';
import { listInbox, markInboxHandled } from '../../shared/inbox/inbox-and-reply-texts.js';
import { archiveTopic, getTopic, listTopics, updateTopic } from '../../shared/topics/manage-topics.js';
import { aPhone, aPrincipal, aTopic, anInboundSettings, anInboundText, anInboxEntry, broadcastSettings } from '../support/builders.js';
import { FixedClock, RecordingQueue, SequentialIds, inMemoryInboundDependencies, inMemoryStores } from '../support/in-memory-stores.js';

const NOW = '2025-03-01T09:00:00.000Z';
const operator = aPrincipal({ keyId: 'key-operator', name: 'IT operator', role: 'operator', department: '*' });
const keyOf = (role: Role, department = 'traffic') => aPrincipal({ keyId: `key-${role}-${department}`, role, department });

async function setUp() {
  const stores = inMemoryStores();
  const deps: BroadcastDependencies = {
    stores,
    clock: new FixedClock(NOW),
    ids: new SequentialIds(),
    fanOutTasks: new RecordingQueue(),
    topicShards: 2,
    ...broadcastSettings(),
  };
  await stores.topics.create(aTopic({ id: 'traffic', name: 'Traffic alerts', keywords: ['TRAFFIC'], department: 'traffic' }));
  await stores.topics.create(aTopic({ id: 'youth', name: 'Youth news', keywords: ['YOUTH'], department: 'youth', requiresApproval: true }));
  return { deps, stores };
}

const changes = (input: Record<string, unknown>) => updateTopicRequest.parse(input);

describe('updateTopic', () => {
  it.each([
    ['operator', true],
    ['approver', true],
    ['sender', false],
    ['viewer', false],
  ] as const)('a %s key of the department may change the name and keywords: %s', async (role, allowed) => {
    // Prepare
    const { deps, stores } = await setUp();
    const principal = role === 'operator' ? operator : keyOf(role);

    // Act
    const result = updateTopic(deps, principal, 'traffic', changes({ name: 'Roads and traffic', keywords: ['ROADS'] }));

    // Assess
    if (allowed) {
      await expect(result).resolves.toMatchObject({ name: 'Roads and traffic', keywords: ['ROADS'], updatedAt: NOW, subscribers: 0 });
      expect((await stores.topics.findByKeyword('ROADS'))?.id).toBe('traffic');
      expect(await stores.topics.findByKeyword('TRAFFIC')).toBeUndefined();
    } else {
      await expect(result).rejects.toThrow(ForbiddenError);
      expect((await stores.topics.get('traffic'))?.name).toBe('Traffic alerts');
    }
  });

  it("refuses an approver another department's topic", async () => {
    // Prepare
    const { deps } = await setUp();

    // Act
    const result = updateTopic(deps, keyOf('approver', 'youth'), 'traffic', changes({ name: 'Mine now' }));

    // Assess
    await expect(result).rejects.toThrow('this key belongs to department "youth", not "traffic"');
  });

  it.each([
    ['operator', true],
    ['approver', false],
  ] as const)('a %s key may move a topic to another department: %s', async (role, allowed) => {
    // Prepare
    const { deps } = await setUp();
    const principal = role === 'operator' ? operator : keyOf(role);

    // Act
    const result = updateTopic(deps, principal, 'traffic', changes({ department: 'roads' }));

    // Assess
    if (allowed) await expect(result).resolves.toMatchObject({ department: 'roads' });
    else await expect(result).rejects.toThrow('only an operator key may move a topic to another department');
  });

  it.each([
    ['operator', false, true],
    ['approver', false, false],
    ['approver', true, true],
  ] as const)('a %s key setting requiresApproval %s on a topic that requires it: allowed %s', async (role, requiresApproval, allowed) => {
    // Prepare
    const { deps } = await setUp();
    const principal = role === 'operator' ? operator : keyOf(role, 'youth');

    // Act
    const result = updateTopic(deps, principal, 'youth', changes({ requiresApproval }));

    // Assess
    if (allowed) await expect(result).resolves.toMatchObject({ requiresApproval });
    else await expect(result).rejects.toThrow('only an operator key may switch off the two-person rule on a topic');
  });

  it('refuses a keyword another topic holds, naming it, and changes nothing', async () => {
    // Prepare
    const { deps, stores } = await setUp();

    // Act
    const result = updateTopic(deps, operator, 'traffic', changes({ keywords: ['TRAFFIC', 'YOUTH'] }));

    // Assess
    await expect(result).rejects.toThrow(new ConflictError('keyword YOUTH is already used by topic "youth"'));
    expect((await stores.topics.get('traffic'))?.keywords).toEqual(['TRAFFIC']);
    expect(stores.audit.entries.filter((entry) => entry.action === 'topic.update')).toEqual([]);
  });

  it('records the change in the audit log with before and after', async () => {
    // Prepare
    const { deps, stores } = await setUp();

    // Act
    await updateTopic(deps, operator, 'traffic', changes({ name: 'Roads', aliases: { cy: { name: 'Ffyrdd', keywords: ['FFYRDD'] } } }));

    // Assess
    expect(stores.audit.entries).toEqual([
      expect.objectContaining({
        action: 'topic.update',
        actor: expect.objectContaining({ keyId: 'key-operator' }),
        target: { type: 'topic', id: 'traffic' },
        before: expect.objectContaining({ name: 'Traffic alerts', aliases: {} }),
        after: expect.objectContaining({ name: 'Roads', aliases: { cy: { name: 'Ffyrdd', keywords: ['FFYRDD'] } }, updatedAt: NOW }),
      }),
    ]);
  });

  it('answers 404 for a topic that does not exist and 409 for an archived one', async () => {
    // Prepare
    const { deps } = await setUp();
    await archiveTopic(deps, operator, 'traffic');

    // Act
    const [missing, archived] = await Promise.all([
      updateTopic(deps, operator, 'nowhere', changes({ name: 'x' })).catch((error: unknown) => error),
      updateTopic(deps, operator, 'traffic', changes({ name: 'x' })).catch((error: unknown) => error),
    ]);

    // Assess
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(archived).toEqual(new ConflictError('topic "traffic" is archived'));
  });

  it.each([
    [{}, ''],
    [{ keywords: ['ROADS', 'roads'] }, 'keywords.1'],
    [{ keywords: ['STOP'] }, 'keywords.0'],
    [{ id: 'other' }, ''],
  ])('refuses the request %j', (input, field) => {
    // Prepare / Act
    const result = updateTopicRequest.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path.join('.')).toBe(field);
  });
});

describe('archiveTopic', () => {
  it.each([
    ['operator', true],
    ['approver', true],
    ['sender', false],
    ['viewer', false],
  ] as const)('a %s key of the department may archive: %s', async (role, allowed) => {
    // Prepare
    const { deps } = await setUp();
    const principal = role === 'operator' ? operator : keyOf(role);

    // Act
    const result = archiveTopic(deps, principal, 'traffic');

    // Assess
    if (allowed) await expect(result).resolves.toMatchObject({ id: 'traffic', archivedAt: NOW });
    else await expect(result).rejects.toThrow(ForbiddenError);
  });

  it('hides the topic from the list unless archived ones are asked for, frees its keywords, and is audited once', async () => {
    // Prepare
    const { deps, stores } = await setUp();

    // Act
    await archiveTopic(deps, operator, 'traffic');
    await archiveTopic(deps, operator, 'traffic');
    const [active, all] = [await listTopics(deps, operator, { limit: 50 }), await listTopics(deps, operator, { archived: true, limit: 50 })];

    // Assess
    expect(active.items.map((topic) => topic.id)).toEqual(['youth']);
    expect(all.items.map((topic) => topic.id)).toEqual(['traffic', 'youth']);
    expect(await stores.topics.findByKeyword('TRAFFIC')).toBeUndefined();
    expect(stores.audit.entries.map((entry) => [entry.action, entry.before?.archivedAt, entry.after?.archivedAt])).toEqual([
      ['topic.archive', undefined, NOW],
    ]);
  });

  it('refuses a broadcast to an archived topic, naming its place in the request', async () => {
    // Prepare
    const { deps } = await setUp();
    await archiveTopic(deps, operator, 'traffic');

    // Act
    const error = await createBroadcast(deps, operator, { topics: ['youth', 'traffic'], body: 'Hello', priority: 'normal' }).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details).toEqual([{ field: 'topics.1', message: 'topic "traffic" is archived' }]);
  });

  it('refuses to approve a broadcast whose topic was archived while it waited', async () => {
    // Prepare
    const { deps } = await setUp();
    const broadcast = await createBroadcast(deps, keyOf('sender', 'youth'), { topics: ['youth'], body: 'Hello', priority: 'normal' });
    await archiveTopic(deps, operator, 'youth');

    // Act
    const result = approveBroadcast(deps, keyOf('approver', 'youth'), broadcast.id);

    // Assess
    await expect(result).rejects.toThrow(ConflictError);
  });

  it('answers JOIN as for an unknown topic, leaves it out of HELP, and still honours STOP from its subscribers', async () => {
    // Prepare
    const world = inMemoryInboundDependencies();
    await world.stores.topics.create(aTopic({ id: 'traffic', keywords: ['TRAFFIC'] }));
    await world.stores.topics.create(aTopic({ id: 'youth', keywords: ['YOUTH'], department: 'youth' }));
    const [member, newcomer] = [aPhone(151), aPhone(152)];
    await handleInboundText(world.deps, anInboundText({ from: member, body: 'JOIN TRAFFIC' }));
    await archiveTopic(world.deps, operator, 'traffic');
    const before = world.replyQueue.sent.length;

    // Act
    await handleInboundText(world.deps, anInboundText({ from: newcomer, body: 'JOIN TRAFFIC' }));
    await handleInboundText(world.deps, anInboundText({ from: newcomer, body: 'HELP' }));
    await handleInboundText(world.deps, anInboundText({ from: member, body: 'STOP' }));

    // Assess
    const settings = anInboundSettings();
    const params = { serviceName: settings.serviceName, contact: settings.contact, keywords: ['YOUTH'] };
    expect(world.replyQueue.sent.slice(before).map((job) => job.body)).toEqual([
      renderReply('unknownTopic', 'en', { ...params, word: 'TRAFFIC' }),
      renderReply('help', 'en', params),
      renderReply('optedOut', 'en', params),
    ]);
    expect(await world.stores.subscribers.subscriptions(newcomer)).toEqual([]);
    expect((await world.stores.subscribers.getProfile(member))?.optedOut.sms).toBeDefined();
  });
});

describe('topic subscriber counts', () => {
  it('gives the total, by channel and by language, on one topic and in the list, after JOINs on two channels and a LANG', async () => {
    // Prepare
    const world = inMemoryInboundDependencies();
    await world.stores.topics.create(aTopic({ id: 'traffic', keywords: ['TRAFFIC'] }));
    const [both, welsh, quiet] = [aPhone(161), aPhone(162), aPhone(163)];
    await handleInboundText(world.deps, anInboundText({ from: both, body: 'JOIN TRAFFIC' }));
    await handleInboundText(world.deps, anInboundText({ from: both, channel: 'whatsapp', body: 'JOIN TRAFFIC' }));
    await handleInboundText(world.deps, anInboundText({ from: welsh, body: 'JOIN TRAFFIC' }));
    await handleInboundText(world.deps, anInboundText({ from: welsh, body: 'LANG CY' }));
    await handleInboundText(world.deps, anInboundText({ from: quiet, channel: 'whatsapp', body: 'JOIN TRAFFIC' }));

    // Act
    const one = await getTopic(world.deps, operator, 'traffic');
    const list = await listTopics(world.deps, operator, { limit: 10 });

    // Assess
    const expected = { total: 4, byChannel: { sms: 2, whatsapp: 2 }, byLanguage: { en: 0, cy: 1, es: 0, none: 3 } };
    expect(one).toMatchObject({ subscribers: 4, subscriberCounts: expected });
    expect(list.items.find((topic) => topic.id === 'traffic')?.subscriberCounts).toEqual(expected);
  });
});

describe('the inbox', () => {
  async function withInbox() {
    const { deps, stores } = await setUp();
    const entries = [
      anInboxEntry({ department: 'traffic', receivedAt: '2025-03-01T08:00:00.000Z', body: 'a', topicId: 'traffic', from: aPhone(201) }),
      anInboxEntry({ department: 'traffic', receivedAt: '2025-03-01T08:01:00.000Z', body: 'b', topicId: undefined, from: aPhone(202) }),
      anInboxEntry({ department: 'traffic', receivedAt: '2025-03-01T08:02:00.000Z', body: 'c', topicId: 'traffic', from: aPhone(202) }),
      anInboxEntry({ department: 'youth', receivedAt: '2025-03-01T08:03:00.000Z', body: 'd', topicId: 'youth' }),
    ];
    for (const { id: _id, ...entry } of entries) await stores.inbox.add(entry);
    return { deps, stores, entries };
  }

  it.each([
    ['operator', true],
    ['sender', true],
    ['approver', true],
    ['viewer', false],
  ] as const)('a %s key of the department may mark a message handled: %s', async (role, allowed) => {
    // Prepare
    const { deps, stores, entries } = await withInbox();
    const principal = role === 'operator' ? operator : keyOf(role);

    // Act
    const result = markInboxHandled(deps, principal, entries[0]!.id);

    // Assess
    if (allowed) {
      await expect(result).resolves.toMatchObject({ id: entries[0]!.id, handled: true, handledAt: NOW, handledBy: principal.keyId });
      expect(stores.audit.entries.map((entry) => [entry.action, entry.target])).toEqual([['inbox.handle', { type: 'inbox', id: entries[0]!.id }]]);
    } else {
      await expect(result).rejects.toThrow(ForbiddenError);
      expect(stores.audit.entries).toEqual([]);
    }
  });

  it("refuses another department's message, and answers 404 for an unknown id", async () => {
    // Prepare
    const { deps, entries } = await withInbox();

    // Act
    const [other, unknown] = await Promise.all([
      markInboxHandled(deps, keyOf('sender'), entries[3]!.id).catch((error: unknown) => error),
      markInboxHandled(deps, keyOf('sender'), 'AAAAAAAAAAAAAAAAAAAAAA').catch((error: unknown) => error),
    ]);

    // Assess
    expect(other).toBeInstanceOf(ForbiddenError);
    expect(unknown).toBeInstanceOf(NotFoundError);
  });

  it('keeps the first who and when on a second mark, and audits only the first', async () => {
    // Prepare
    const { deps, stores, entries } = await withInbox();
    await markInboxHandled(deps, keyOf('sender'), entries[0]!.id);

    // Act
    const again = await markInboxHandled(deps, keyOf('approver'), entries[0]!.id);

    // Assess
    expect(again).toMatchObject({ handled: true, handledBy: 'key-sender-traffic' });
    expect(stores.audit.entries).toHaveLength(1);
  });

  it.each([
    ['no filter', {}, ['c', 'b', 'a']],
    ['handled=false', { handled: false }, ['c', 'b']],
    ['handled=true', { handled: true }, ['a']],
    ['topic', { topic: 'traffic' }, ['c', 'a']],
    ['from', { from: aPhone(202) }, ['c', 'b']],
  ])("lists the key's own department newest first with %s", async (_case, filters, expected) => {
    // Prepare
    const { deps, entries } = await withInbox();
    await markInboxHandled(deps, operator, entries[0]!.id);

    // Act
    const page = await listInbox(deps, keyOf('viewer'), { limit: 10, ...filters });

    // Assess
    expect(page.items.map((entry) => entry.body)).toEqual(expected);
  });

  it('pages with a cursor', async () => {
    // Prepare
    const { deps } = await withInbox();

    // Act
    const first = await listInbox(deps, keyOf('viewer'), { limit: 2 });
    const second = await listInbox(deps, keyOf('viewer'), { limit: 2, cursor: first.cursor });

    // Assess
    expect(first.items.map((entry) => entry.body)).toEqual(['c', 'b']);
    expect(second).toMatchObject({ items: [expect.objectContaining({ body: 'a' })], cursor: undefined });
  });

  it('keeps one entry for a message added again at another time', async () => {
    // Prepare
    const { stores, entries } = await withInbox();
    const { id: _id, ...first } = entries[0]!;

    // Act
    const again = await stores.inbox.add({ ...first, receivedAt: '2025-03-01T08:30:00.000Z' });

    // Assess
    expect(again).toEqual(entries[0]);
    expect(stores.inbox.entries).toHaveLength(4);
  });
});
