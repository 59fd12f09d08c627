import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoBroadcastStore } from '../../shared/adapters/dynamo/broadcast-store.js';
import { DynamoInboundLog } from '../../shared/adapters/dynamo/inbound-log.js';
import { DynamoInboxStore } from '../../shared/adapters/dynamo/inbox-store.js';
import { keys } from '../../shared/adapters/dynamo/keys.js';
import { DynamoTopicStore } from '../../shared/adapters/dynamo/topic-store.js';
import { ConflictError } from '../../shared/domain/errors.js';
import type { InboxQuery } from '../../shared/inbox/inbox-store.js';
import { aBroadcast, aMessageSid, aPhone, aTopic, anInboxEntry } from '../support/builders.js';
import { freshTable, type TestTable } from '../support/dynamo-table.js';

const SHARDS = 4;
const at = (minutes: number) => new Date(Date.parse('2025-03-01T09:00:00.000Z') + minutes * 60_000).toISOString();

/** The inbound flow's stores, other than the subscriber store, against one table. */
describe('the inbound flow’s DynamoDB stores', () => {
  let table: TestTable;

  beforeAll(async () => {
    table = await freshTable('crier-inbox');
  });

  describe('DynamoInboundLog', () => {
    let log: DynamoInboundLog;
    const expiresAt = new Date('2025-03-01T09:10:00.000Z');

    beforeAll(() => {
      log = new DynamoInboundLog(table.documents, table.tableName);
    });

    it('counts a sender’s messages within a window, and starts again in the next', async () => {
      // Prepare
      const phone = aPhone(201);

      // Act
      const counts = [
        await log.countFromSender(phone, '1000', expiresAt),
        await log.countFromSender(phone, '1000', expiresAt),
        await log.countFromSender(phone, '1000', expiresAt),
        await log.countFromSender(phone, '1001', expiresAt),
        await log.countFromSender(aPhone(202), '1000', expiresAt),
      ];

      // Assess
      expect(counts).toEqual([1, 2, 3, 1, 1]);
    });

    it('counts simultaneous messages one each', async () => {
      // Prepare
      const phone = aPhone(203);

      // Act
      const counts = await Promise.all(Array.from({ length: 5 }, () => log.countFromSender(phone, '1000', expiresAt)));

      // Assess
      expect(counts.sort()).toEqual([1, 2, 3, 4, 5]);
    });

    it('lets the counter expire with its window (epoch seconds, the table’s TTL attribute)', async () => {
      // Prepare
      const phone = aPhone(204);

      // Act
      await log.countFromSender(phone, '1000', expiresAt);

      // Assess
      const { Item } = await table.documents.send(new GetCommand({ TableName: table.tableName, Key: keys.rateWindow(phone, '1000') }));
      expect(Item?.expiresAt).toBe(expiresAt.getTime() / 1000);
    });

    it.each<[string, string | undefined, string]>([
      ['replaces the stored text with the redacted one', '[removed: an age under 13]', '[removed: an age under 13]'],
      ['keeps the text when there is nothing to redact', undefined, 'AGE 12'],
    ])('on finish, %s', async (_case, redactedBody, storedBody) => {
      // Prepare
      const sid = aMessageSid();
      await log.begin('twilio', sid, { from: aPhone(205), channel: 'sms', body: 'AGE 12', at: at(0) });

      // Act
      await log.finish('twilio', sid, `reply-twilio-${sid}`, redactedBody);

      // Assess
      const { Item } = await table.documents.send(
        new GetCommand({ TableName: table.tableName, Key: keys.inbound('twilio', sid), ConsistentRead: true }),
      );
      expect(Item).toMatchObject({ state: 'done', body: storedBody, replyMessageId: `reply-twilio-${sid}` });
      expect(await log.begin('twilio', sid, { from: aPhone(205), channel: 'sms', body: 'AGE 12', at: at(1) })).toEqual({
        state: 'done',
        replyMessageId: `reply-twilio-${sid}`,
      });
    });
  });

  describe('DynamoInboxStore', () => {
    let inbox: DynamoInboxStore;
    let nextDepartment = 0;
    const newDepartment = () => `department-${nextDepartment++}`;

    const list = async (department: string, limit = 10, filters: Partial<InboxQuery> = {}) =>
      (await inbox.list({ department, limit, cursor: undefined, ...filters })).items;

    beforeAll(() => {
      inbox = new DynamoInboxStore(table.documents, table.tableName);
    });

    it('gives back an entry exactly as it was added', async () => {
      // Prepare
      const entry = anInboxEntry({ department: newDepartment(), channel: 'whatsapp', broadcastId: 'bc-0001', topicId: 'traffic', handled: false });

      // Act
      await inbox.add(structuredClone(entry));

      // Assess
      expect(await list(entry.department)).toEqual([entry]);
    });

    it('keeps an entry with no broadcast or topic as such', async () => {
      // Prepare
      const entry = anInboxEntry({ department: newDepartment(), broadcastId: undefined, topicId: undefined });

      // Act
      await inbox.add(structuredClone(entry));

      // Assess
      expect(await list(entry.department)).toEqual([entry]);
    });

    it('keeps one entry for the same inbound message added twice', async () => {
      // Prepare
      const entry = anInboxEntry({ department: newDepartment() });
      await inbox.add(structuredClone(entry));

      // Act
      await inbox.add(structuredClone(entry));

      // Assess
      expect(await list(entry.department)).toEqual([entry]);
    });

    it('lists a department’s entries newest first, up to the limit, and no other department’s', async () => {
      // Prepare
      const [department, other] = [newDepartment(), newDepartment()];
      const entries = [2, 0, 1].map((minutes) => anInboxEntry({ department, receivedAt: at(minutes), body: `message at ${minutes}` }));
      for (const entry of entries) await inbox.add(entry);
      await inbox.add(anInboxEntry({ department: other, receivedAt: at(5) }));

      // Act
      const listed = await list(department, 2);

      // Assess
      expect(listed.map((entry) => entry.body)).toEqual(['message at 2', 'message at 1']);
    });

    it('keeps apart two messages received at the same moment', async () => {
      // Prepare
      const department = newDepartment();
      const first = anInboxEntry({ department, receivedAt: at(0), body: 'first' });
      const second = anInboxEntry({ department, receivedAt: at(0), body: 'second' });

      // Act
      await inbox.add(first);
      await inbox.add(second);

      // Assess
      expect((await list(department)).map((entry) => entry.body).sort()).toEqual(['first', 'second']);
    });

    it('keeps the first entry when a provider retry is handled later, at another time and for another department', async () => {
      // Prepare: the retry after the 60-second in-progress takeover computes a new time
      const [department, other] = [newDepartment(), newDepartment()];
      const first = anInboxEntry({ department, receivedAt: at(0), body: 'Is the bridge open?' });
      await inbox.add(structuredClone(first));

      // Act
      const retried = await inbox.add({ ...structuredClone(first), department: other, receivedAt: at(2) });

      // Assess
      expect(retried).toEqual(first);
      expect(await list(department)).toEqual([first]);
      expect(await list(other)).toEqual([]);
    });

    it('finds an entry by its id, and nothing for an unknown one', async () => {
      // Prepare
      const entry = anInboxEntry({ department: newDepartment() });
      await inbox.add(structuredClone(entry));

      // Act
      const [found, unknown] = await Promise.all([inbox.get(entry.id), inbox.get('AAAAAAAAAAAAAAAAAAAAAA')]);

      // Assess
      expect(found).toEqual(entry);
      expect(unknown).toBeUndefined();
    });

    it('marks an entry handled once, keeping the first who and when, and a retried add does not undo it', async () => {
      // Prepare
      const entry = anInboxEntry({ department: newDepartment() });
      await inbox.add(structuredClone(entry));

      // Act
      const first = await inbox.markHandled(entry.id, 'key-alice', at(10));
      const second = await inbox.markHandled(entry.id, 'key-bob', at(20));
      await inbox.add(structuredClone(entry));

      // Assess
      const handled = { ...entry, handled: true, handledAt: at(10), handledBy: 'key-alice' };
      expect(first).toEqual({ entry: handled, changed: true });
      expect(second).toEqual({ entry: handled, changed: false });
      expect(await list(entry.department)).toEqual([handled]);
      expect(await inbox.markHandled('AAAAAAAAAAAAAAAAAAAAAA', 'key-alice', at(10))).toBeUndefined();
    });

    it.each([
      ['handled=false', { handled: false }, ['c', 'a']],
      ['handled=true', { handled: true }, ['b']],
      ['topic', { topicId: 'roads' }, ['c', 'b']],
      ['from', { from: aPhone(202) }, ['b']],
      ['topic and handled=false', { topicId: 'roads', handled: false }, ['c']],
    ] as const)('filters by %s', async (_case, filters, expected) => {
      // Prepare
      const department = newDepartment();
      const entries = [
        anInboxEntry({ department, receivedAt: at(0), body: 'a', topicId: 'traffic', from: aPhone(201) }),
        anInboxEntry({ department, receivedAt: at(1), body: 'b', topicId: 'roads', from: aPhone(202) }),
        anInboxEntry({ department, receivedAt: at(2), body: 'c', topicId: 'roads', from: aPhone(201) }),
      ];
      for (const entry of entries) await inbox.add(entry);
      await inbox.markHandled(entries[1]!.id, 'key-alice', at(3));

      // Act
      const listed = await list(department, 10, filters);

      // Assess
      expect(listed.map((entry) => entry.body)).toEqual(expected);
    });

    it('pages a filtered listing with a cursor, newest first, each entry once', async () => {
      // Prepare: five unhandled entries between handled ones
      const department = newDepartment();
      for (let minute = 0; minute < 10; minute += 1) {
        const entry = await inbox.add(anInboxEntry({ department, receivedAt: at(minute), body: `m${minute}` }));
        if (minute % 2 === 1) await inbox.markHandled(entry.id, 'key-alice', at(30));
      }

      // Act
      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await inbox.list({ department, handled: false, limit: 2, cursor });
        pages.push(page.items.map((entry) => entry.body));
        cursor = page.cursor;
      } while (cursor);

      // Assess
      expect(pages).toEqual([['m8', 'm6'], ['m4', 'm2'], ['m0']]);
    });

    it('refuses a cursor it did not give', async () => {
      // Prepare
      const department = newDepartment();

      // Act
      const listing = inbox.list({ department, limit: 2, cursor: 'bm90LWEtY3Vyc29y' });

      // Assess
      await expect(listing).rejects.toThrow('the cursor is not valid');
    });
  });

  describe('DynamoBroadcastStore.recentForTopic', () => {
    it('lists a topic’s broadcasts newest first, up to the limit, with when each was created', async () => {
      // Prepare
      const broadcasts = new DynamoBroadcastStore(table.documents, table.tableName);
      await broadcasts.create(aBroadcast({ id: 'recent-a', topics: ['recent-roads'], createdAt: at(0) }));
      await broadcasts.create(aBroadcast({ id: 'recent-c', topics: ['recent-roads', 'recent-bins'], createdAt: at(20) }));
      await broadcasts.create(aBroadcast({ id: 'recent-b', topics: ['recent-roads'], createdAt: at(10) }));
      await broadcasts.create(aBroadcast({ id: 'recent-d', topics: ['recent-bins'], createdAt: at(30) }));

      // Act
      const roads = await broadcasts.recentForTopic('recent-roads', 2);
      const bins = await broadcasts.recentForTopic('recent-bins', 5);
      const none = await broadcasts.recentForTopic('recent-parks', 5);

      // Assess
      expect(roads).toEqual([
        { broadcastId: 'recent-c', createdAt: at(20) },
        { broadcastId: 'recent-b', createdAt: at(10) },
      ]);
      expect(bins).toEqual([
        { broadcastId: 'recent-d', createdAt: at(30) },
        { broadcastId: 'recent-c', createdAt: at(20) },
      ]);
      expect(none).toEqual([]);
    });
  });

  describe('DynamoTopicStore: alias keywords', () => {
    let topics: DynamoTopicStore;

    beforeAll(() => {
      topics = new DynamoTopicStore(table.documents, table.tableName, SHARDS);
    });

    it('finds a topic by an alias keyword', async () => {
      // Prepare
      const topic = aTopic({
        id: 'alias-roads',
        name: 'Roads',
        keywords: ['ROADS'],
        aliases: { cy: { name: 'Ffyrdd', keywords: ['FFYRDD', 'HEOLYDD'] }, es: { keywords: ['CARRETERAS'] } },
      });

      // Act
      await topics.create(structuredClone(topic));

      // Assess
      for (const keyword of ['ROADS', 'FFYRDD', 'HEOLYDD', 'CARRETERAS']) expect(await topics.findByKeyword(keyword)).toEqual(topic);
      expect(await topics.get('alias-roads')).toEqual(topic);
    });

    /** Each row's topics get their own number, so rows share the table but not keywords. */
    let nextRow = 0;

    it.each<[string, { keywords: string[]; welsh: string[] }, string]>([
      ['a keyword that is another topic’s alias', { keywords: ['PARCIAU'], welsh: [] }, 'PARCIAU'],
      ['an alias that is another topic’s keyword', { keywords: ['GREENSPACE'], welsh: ['PARKS'] }, 'PARKS'],
      ['an alias that is another topic’s alias', { keywords: ['GREENSPACE'], welsh: ['MANNAU', 'PARCIAU'] }, 'PARCIAU'],
    ])('refuses %s, naming the owner, and leaves nothing of the new topic behind', async (_case, clashing, clash) => {
      // Prepare
      const n = nextRow++;
      const numbered = (word: string) => `${word}${n}`;
      await topics.create(aTopic({ id: `parks-${n}`, keywords: [numbered('PARKS')], aliases: { cy: { keywords: [numbered('PARCIAU')] } } }));
      const newTopic = aTopic({
        id: `green-${n}`,
        keywords: clashing.keywords.map(numbered),
        aliases: { cy: { keywords: clashing.welsh.map(numbered) } },
      });

      // Act
      const error = await topics.create(newTopic).catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toBe(`keyword ${numbered(clash)} is already used by topic "parks-${n}"`);
      expect(await topics.get(newTopic.id)).toBeUndefined();
      expect((await topics.findByKeyword(numbered(clash)))?.id).toBe(`parks-${n}`);
      for (const keyword of [...clashing.keywords, ...clashing.welsh].filter((word) => word !== clash)) {
        expect(await topics.findByKeyword(numbered(keyword))).toBeUndefined();
      }
    });
  });
});
