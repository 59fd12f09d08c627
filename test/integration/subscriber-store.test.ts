import { DeleteCommand, PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoSubscriberStore } from '../../shared/adapters/dynamo/subscriber-store.js';
import { defaultRetention } from '../../shared/retention/periods.js';
import { keyedPhoneHash, legacyPhoneHash } from '../../shared/domain/erasure.js';
import { TEST_PHONE_HASH_KEY, testPhoneHasher } from '../support/phone-hash.js';
import { DynamoTopicIndex } from '../../shared/adapters/dynamo/topic-index.js';
import { DynamoTopicStore } from '../../shared/adapters/dynamo/topic-store.js';
import { shardOf } from '../../shared/domain/sharding.js';
import { aPhone, adminEvidence, inboundEvidence } from '../support/builders.js';
import { freshTable, type TestTable } from '../support/dynamo-table.js';

const SHARDS = 4;
const T1 = '2025-03-01T09:00:00.000Z';
const T2 = '2025-03-01T10:00:00.000Z';
const T3 = '2025-03-01T11:00:00.000Z';
const T4 = '2025-03-01T12:00:00.000Z';

/** Each test gets its own resident, so tests share the table but not state. */
let nextResident = 300;
const newResident = () => aPhone(nextResident++);

describe('DynamoSubscriberStore', () => {
  let table: TestTable;
  let subscribers: DynamoSubscriberStore;
  let topics: DynamoTopicStore;
  let index: DynamoTopicIndex;

  beforeAll(async () => {
    table = await freshTable('crier-subscribers');
    subscribers = new DynamoSubscriberStore(table.documents, table.tableName, SHARDS);
    topics = new DynamoTopicStore(table.documents, table.tableName, SHARDS);
    index = new DynamoTopicIndex(table.documents, table.tableName);
  });

  async function indexed(topicId: string, phone: string): Promise<string[]> {
    const page = await index.page(topicId, shardOf(phone, SHARDS), undefined, 1000);
    return page.recipients.filter((recipient) => recipient.phone === phone).map((recipient) => recipient.channel);
  }

  describe('subscribe', () => {
    it('subscribes once: the subscription, the topic index entry, the count and the consent record', async () => {
      // Prepare
      const phone = newResident();
      const evidence = inboundEvidence({ text: 'JOIN PARKS' });
      const before = await topics.subscriberCount('parks');

      // Act
      const first = await subscribers.subscribe(phone, 'sms', 'parks', T1, evidence);
      const second = await subscribers.subscribe(phone, 'sms', 'parks', T2, inboundEvidence({ text: 'PARKS' }));

      // Assess
      expect([first, second]).toEqual([true, false]);
      expect(await subscribers.subscriptions(phone)).toEqual([{ phone, channel: 'sms', topicId: 'parks', since: T1 }]);
      expect(await indexed('parks', phone)).toEqual(['sms']);
      expect(await topics.subscriberCount('parks')).toBe(before + 1);
      expect(await subscribers.consentHistory(phone)).toEqual([{ at: T1, action: 'opt_in', channel: 'sms', topicId: 'parks', evidence }]);
      expect(await subscribers.getProfile(phone)).toEqual({ phone, createdAt: T1, optedOut: {}, heldTopics: {} });
    });

    it('lets exactly one of many simultaneous JOINs subscribe, and counts the resident once', async () => {
      // Prepare
      const phone = newResident();
      const joins = Array.from({ length: 8 }, () => inboundEvidence({ text: 'JOIN RACE' }));

      // Act
      const outcomes = await Promise.all(joins.map((evidence) => subscribers.subscribe(phone, 'sms', 'race', T1, evidence)));

      // Assess
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      expect(await topics.subscriberCount('race')).toBe(1);
      expect(await indexed('race', phone)).toEqual(['sms']);
    });
  });

  describe('optOut', () => {
    it('opts out on one channel: the flag the sender checks, the held topics, and the subscriptions gone', async () => {
      // Prepare
      const phone = newResident();
      await subscribers.subscribe(phone, 'sms', 'parks', T1, inboundEvidence());
      await subscribers.subscribe(phone, 'sms', 'bins', T1, inboundEvidence());
      await subscribers.subscribe(phone, 'whatsapp', 'parks', T1, inboundEvidence());
      const countBefore = await topics.subscriberCount('bins');

      // Act
      const newly = await subscribers.optOut(phone, 'sms', T2, inboundEvidence({ text: 'STOP' }));

      // Assess
      expect(newly).toBe(true);
      expect(await subscribers.optedOutAmong([{ phone, channel: 'sms' }, { phone, channel: 'whatsapp' }])).toEqual(new Set([`${phone}|sms`]));
      expect(await subscribers.getProfile(phone)).toMatchObject({ optedOut: { sms: T2 }, heldTopics: { sms: ['bins', 'parks'] } });
      expect(await subscribers.subscriptions(phone)).toEqual([{ phone, channel: 'whatsapp', topicId: 'parks', since: T1 }]);
      expect(await indexed('bins', phone)).toEqual([]);
      expect(await indexed('parks', phone)).toEqual(['whatsapp']);
      expect(await topics.subscriberCount('bins')).toBe(countBefore - 1);
    });

    it('answers a second STOP with false, records nothing new and keeps the topics held at the first', async () => {
      // Prepare
      const phone = newResident();
      await subscribers.subscribe(phone, 'sms', 'parks', T1, inboundEvidence());
      await subscribers.optOut(phone, 'sms', T2, inboundEvidence({ text: 'STOP' }));
      const historyBefore = await subscribers.consentHistory(phone);

      // Act
      const newly = await subscribers.optOut(phone, 'sms', T3, inboundEvidence({ text: 'STOP' }));

      // Assess
      expect(newly).toBe(false);
      expect(await subscribers.getProfile(phone)).toMatchObject({ optedOut: { sms: T2 }, heldTopics: { sms: ['parks'] } });
      expect(await subscribers.consentHistory(phone)).toEqual(historyBefore);
    });

    it('treats a replay of the same STOP as new (so its confirmation is not lost), without a second record', async () => {
      // Prepare
      const phone = newResident();
      await subscribers.subscribe(phone, 'sms', 'parks', T1, inboundEvidence());
      const stop = inboundEvidence({ text: 'STOP' });
      await subscribers.optOut(phone, 'sms', T2, stop);

      // Act
      const replayed = await subscribers.optOut(phone, 'sms', T3, structuredClone(stop));

      // Assess
      expect(replayed).toBe(true);
      expect((await subscribers.consentHistory(phone)).map((event) => event.action)).toEqual(['opt_in', 'opt_out']);
      expect(await subscribers.getProfile(phone)).toMatchObject({ optedOut: { sms: T2 }, heldTopics: { sms: ['parks'] } });
    });

    it('keeps every held topic when a STOP is replayed after a crash part-way through removing subscriptions', async () => {
      // Prepare: the second subscription delete "crashes" the first attempt
      const phone = newResident();
      for (const topicId of ['alpha', 'beta', 'gamma']) await subscribers.subscribe(phone, 'sms', topicId, T1, inboundEvidence());
      const stop = inboundEvidence({ text: 'STOP' });
      let subscriptionDeletes = 0;
      const crashing = failingWhen(table.documents, (command) => {
        const key = command instanceof DeleteCommand ? String(command.input.Key?.sk) : '';
        return key.startsWith('TOPIC#') && ++subscriptionDeletes === 2;
      });
      const crashingStore = new DynamoSubscriberStore(crashing, table.tableName, SHARDS);
      await expect(crashingStore.optOut(phone, 'sms', T2, stop)).rejects.toThrow('simulated crash');

      // Act
      const replayed = await subscribers.optOut(phone, 'sms', T2, structuredClone(stop));
      const restored = await subscribers.restore(phone, 'sms', T3, inboundEvidence({ text: 'START' }));

      // Assess
      expect(replayed).toBe(true);
      expect(await subscribers.subscriptions(phone)).toEqual(
        ['alpha', 'beta', 'gamma'].map((topicId) => ({ phone, channel: 'sms', topicId, since: T3 })),
      );
      expect(restored).toEqual(['alpha', 'beta', 'gamma']);
    });
  });

  describe('restore', () => {
    it('lifts the opt-out and re-subscribes the topics held at STOP', async () => {
      // Prepare
      const phone = newResident();
      await subscribers.subscribe(phone, 'sms', 'parks', T1, inboundEvidence());
      await subscribers.subscribe(phone, 'sms', 'bins', T1, inboundEvidence());
      await subscribers.optOut(phone, 'sms', T2, inboundEvidence({ text: 'STOP' }));

      // Act
      const restored = await subscribers.restore(phone, 'sms', T3, inboundEvidence({ text: 'START' }));

      // Assess
      expect(restored).toEqual(['bins', 'parks']);
      expect(await subscribers.getProfile(phone)).toMatchObject({ optedOut: {}, heldTopics: {} });
      expect(await subscribers.optedOutAmong([{ phone, channel: 'sms' }])).toEqual(new Set());
      expect((await subscribers.subscriptions(phone)).map((s) => s.topicId)).toEqual(['bins', 'parks']);
      expect(await indexed('parks', phone)).toEqual(['sms']);
    });

    it('restores every held topic when a START is retried after a crash part-way through', async () => {
      // Prepare: the second re-subscription "crashes" the first attempt
      const phone = newResident();
      for (const topicId of ['alpha', 'beta', 'gamma']) await subscribers.subscribe(phone, 'sms', topicId, T1, inboundEvidence());
      await subscribers.optOut(phone, 'sms', T2, inboundEvidence({ text: 'STOP' }));
      const start = inboundEvidence({ text: 'START' });
      let subscriptionPuts = 0;
      const crashing = failingWhen(table.documents, (command) => {
        const key = command instanceof PutCommand ? String(command.input.Item?.sk) : '';
        return key.startsWith('TOPIC#') && ++subscriptionPuts === 2;
      });
      const crashingStore = new DynamoSubscriberStore(crashing, table.tableName, SHARDS);
      await expect(crashingStore.restore(phone, 'sms', T3, start)).rejects.toThrow('simulated crash');

      // Act
      const restored = await subscribers.restore(phone, 'sms', T3, structuredClone(start));

      // Assess
      expect(restored).toEqual(['alpha', 'beta', 'gamma']);
      expect((await subscribers.subscriptions(phone)).map((s) => s.topicId)).toEqual(['alpha', 'beta', 'gamma']);
      expect(await subscribers.getProfile(phone)).toMatchObject({ optedOut: {}, heldTopics: {} });
      expect(await topics.subscriberCount('gamma')).toBeGreaterThanOrEqual(1);
    });

    it('restores nothing for a resident who has not opted out', async () => {
      // Prepare
      const phone = newResident();
      await subscribers.subscribe(phone, 'sms', 'parks', T1, inboundEvidence());

      // Act
      const restored = await subscribers.restore(phone, 'sms', T2, inboundEvidence({ text: 'START' }));

      // Assess
      expect(restored).toEqual([]);
      expect((await subscribers.consentHistory(phone)).map((event) => event.action)).toEqual(['opt_in']);
    });
  });

  describe('consentHistory', () => {
    it('lists every change in order, each with what, where, when and its evidence', async () => {
      // Prepare
      const phone = newResident();
      const join = inboundEvidence({ text: 'JOIN PARKS' });
      const stop = inboundEvidence({ text: 'STOP' });
      const start = inboundEvidence({ text: 'START' });
      const staff = adminEvidence({ actor: 'key-operator', reason: 'asked at the library desk' });

      // Act
      await subscribers.subscribe(phone, 'sms', 'parks', T1, join);
      await subscribers.optOut(phone, 'sms', T2, stop);
      await subscribers.restore(phone, 'sms', T3, start);
      await subscribers.optOut(phone, 'whatsapp', T4, staff);

      // Assess
      const history = await subscribers.consentHistory(phone);
      expect(history.filter((event) => event.at !== T3)).toEqual([
        { at: T1, action: 'opt_in', channel: 'sms', topicId: 'parks', evidence: join },
        { at: T2, action: 'opt_out', channel: 'sms', topicId: undefined, evidence: stop },
        { at: T4, action: 'opt_out', channel: 'whatsapp', topicId: undefined, evidence: staff },
      ]);
      expect(history.filter((event) => event.at === T3)).toEqual(
        expect.arrayContaining([
          { at: T3, action: 'restore', channel: 'sms', topicId: undefined, evidence: start },
          { at: T3, action: 'opt_in', channel: 'sms', topicId: 'parks', evidence: start },
        ]),
      );
    });

    it('does not duplicate a record when the same evidence is replayed', async () => {
      // Prepare
      const phone = newResident();
      const join = inboundEvidence({ text: 'JOIN PARKS' });
      const stop = inboundEvidence({ text: 'STOP' });
      await subscribers.subscribe(phone, 'sms', 'parks', T1, join);
      await subscribers.optOut(phone, 'sms', T2, stop);

      // Act
      await subscribers.optOut(phone, 'sms', T2, structuredClone(stop));
      await subscribers.optOut(phone, 'sms', T2, structuredClone(stop));

      // Assess
      expect((await subscribers.consentHistory(phone)).map((event) => event.action)).toEqual(['opt_in', 'opt_out']);
    });

    it('keeps two opt-outs made by the same member of staff as two records', async () => {
      // Prepare
      const phone = newResident();
      const staff = adminEvidence({ actor: 'provider:twilio', reason: 'the provider reports the recipient opted out (code 21610)' });
      await subscribers.optOut(phone, 'sms', T1, staff);
      await subscribers.subscribe(phone, 'sms', 'parks', T2, inboundEvidence({ text: 'JOIN PARKS' }));

      // Act
      const newly = await subscribers.optOut(phone, 'sms', T3, structuredClone(staff));

      // Assess
      expect(newly).toBe(true);
      expect((await subscribers.consentHistory(phone)).map((event) => [event.at, event.action])).toEqual([
        [T1, 'opt_out'],
        [T2, 'opt_in'],
        [T3, 'opt_out'],
      ]);
    });
  });

  describe('erase', () => {
    it('removes every trace of the resident but an anonymised tombstone', async () => {
      // Prepare
      const own = await freshTable('crier-erase');
      const store = new DynamoSubscriberStore(own.documents, own.tableName, SHARDS, defaultRetention, testPhoneHasher);
      const ownTopics = new DynamoTopicStore(own.documents, own.tableName, SHARDS);
      const phone = newResident();
      await store.subscribe(phone, 'sms', 'parks', T1, inboundEvidence());
      await store.subscribe(phone, 'whatsapp', 'bins', T1, inboundEvidence());
      await store.optOut(phone, 'whatsapp', T2, inboundEvidence({ text: 'STOP' }));

      // Act
      const erased = await store.erase(phone, T3, 'key-operator');

      // Assess
      expect(erased).toBe(true);
      const { Items = [] } = await own.documents.send(new ScanCommand({ TableName: own.tableName }));
      const personal = Items.filter((item) => !String(item.sk).startsWith('#COUNT'));
      expect(personal).toEqual([{ pk: `ERASED#${keyedPhoneHash(TEST_PHONE_HASH_KEY, phone)}`, sk: 'TOMBSTONE', type: 'tombstone', erasedAt: T3, erasedBy: 'key-operator' }]);
      expect(JSON.stringify(Items)).not.toContain(phone.slice(1));
      expect(await store.getProfile(phone)).toBeUndefined();
      expect(await ownTopics.subscriberCount('parks')).toBe(0);
    });

    it('answers false for a number it has never seen', async () => {
      // Prepare
      const phone = newResident();

      // Act
      const erased = await subscribers.erase(phone, T1, 'key-operator');

      // Assess
      expect(erased).toBe(false);
    });
  });

  describe('erasedAmong', () => {
    it('finds numbers erased with the keyed hash, and those whose tombstones predate it (a bare SHA-256), and no others', async () => {
      // Prepare
      const store = new DynamoSubscriberStore(table.documents, table.tableName, SHARDS, defaultRetention, testPhoneHasher);
      const [erasedNow, erasedBefore, never] = [newResident(), newResident(), newResident()];
      await store.subscribe(erasedNow, 'sms', 'parks', T1, inboundEvidence());
      await store.erase(erasedNow, T2, 'key-operator');
      await table.documents.send(
        new PutCommand({ TableName: table.tableName, Item: { pk: `ERASED#${legacyPhoneHash(erasedBefore)}`, sk: 'TOMBSTONE', type: 'tombstone', erasedAt: T1, erasedBy: 'key-operator' } }),
      );

      // Act
      const erased = await store.erasedAmong([erasedNow, erasedBefore, never]);

      // Assess
      expect(erased).toEqual(new Set([erasedNow, erasedBefore]));
    });

    it('refuses to erase without the deployment key, with a message that says where it comes from, and writes nothing', async () => {
      // Prepare
      const phone = newResident();
      await subscribers.subscribe(phone, 'sms', 'parks', T1, inboundEvidence());

      // Act
      const attempt = subscribers.erase(phone, T2, 'key-operator');

      // Assess
      await expect(attempt).rejects.toThrow(/PHONE_HASH_KEY_SECRET_ARN \(AWS\) or PHONE_HASH_KEY/);
      expect(await subscribers.subscriptions(phone)).toHaveLength(1);
    });
  });

  describe('optedOutAmong', () => {
    it('reads the opt-out state of more residents than one BatchGetItem request takes', async () => {
      // Prepare
      const residents = Array.from({ length: 130 }, () => newResident());
      const optedOut = residents.filter((_, position) => position % 10 === 0);
      for (const phone of optedOut) await subscribers.optOut(phone, 'sms', T1, inboundEvidence({ text: 'STOP' }));

      // Act
      const found = await subscribers.optedOutAmong(residents.map((phone) => ({ phone, channel: 'sms' as const })));

      // Assess
      expect(found).toEqual(new Set(optedOut.map((phone) => `${phone}|sms`)));
    });
  });
});

/** A document client that fails the commands `when` picks, as a crash between writes would. */
function failingWhen(documents: DynamoDBDocumentClient, when: (command: unknown) => boolean): DynamoDBDocumentClient {
  return new Proxy(documents, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return (command: Parameters<DynamoDBDocumentClient['send']>[0]) =>
        when(command) ? Promise.reject(new Error('simulated crash')) : target.send(command);
    },
  });
}
