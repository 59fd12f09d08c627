import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoSubscriberStore } from '../../shared/adapters/dynamo/subscriber-store.js';
import { DynamoTopicStore } from '../../shared/adapters/dynamo/topic-store.js';
import { ConflictError } from '../../shared/domain/errors.js';
import { shardOf } from '../../shared/domain/sharding.js';
import { aPhone, aTopic, inboundEvidence } from '../support/builders.js';
import { freshTable, type TestTable } from '../support/dynamo-table.js';

const SHARDS = 4;

describe('DynamoTopicStore', () => {
  let table: TestTable;
  let topics: DynamoTopicStore;

  beforeAll(async () => {
    table = await freshTable('crier-topics');
    topics = new DynamoTopicStore(table.documents, table.tableName, SHARDS);
  });

  async function itemsOf(topicId: string): Promise<Record<string, unknown>[]> {
    const { Items } = await table.documents.send(new ScanCommand({ TableName: table.tableName }));
    return (Items ?? []).filter((item) => item.id === topicId || item.topicId === topicId);
  }

  it('creates a topic, finds it by id and by each of its keywords', async () => {
    // Prepare
    const topic = aTopic({ id: 'bins', name: 'Bin collections', keywords: ['BINS', 'RECYCLING'], department: 'waste' });

    // Act
    await topics.create(structuredClone(topic));

    // Assess
    expect(await topics.get('bins')).toEqual(topic);
    expect(await topics.findByKeyword('BINS')).toEqual(topic);
    expect(await topics.findByKeyword('RECYCLING')).toEqual(topic);
    expect(await topics.findByKeyword('LITTER')).toBeUndefined();
  });

  it('refuses a keyword another topic owns, naming that topic, and leaves nothing of the new topic behind', async () => {
    // Prepare
    await topics.create(aTopic({ id: 'traffic', keywords: ['TRAFFIC'] }));
    const clashing = aTopic({ id: 'roads', name: 'Roads', keywords: ['ROADS', 'JAMS', 'TRAFFIC', 'A470'] });

    // Act
    const error = await topics.create(structuredClone(clashing)).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toBe('keyword TRAFFIC is already used by topic "traffic"');
    expect(await topics.get('roads')).toBeUndefined();
    expect(await itemsOf('roads')).toEqual([]);
    expect(await topics.findByKeyword('ROADS')).toBeUndefined();
    expect((await topics.findByKeyword('TRAFFIC'))?.id).toBe('traffic');
  });

  it('lets another topic take the keywords a refused topic had claimed', async () => {
    // Prepare
    await topics.create(aTopic({ id: 'parking', keywords: ['PARKING'] }));
    await expect(topics.create(aTopic({ id: 'cars', keywords: ['CARS', 'PARKING'] }))).rejects.toThrow(ConflictError);

    // Act
    await topics.create(aTopic({ id: 'vehicles', keywords: ['CARS'] }));

    // Assess
    expect((await topics.findByKeyword('CARS'))?.id).toBe('vehicles');
  });

  it('refuses a second topic with the same id and keeps the first as it was', async () => {
    // Prepare
    const first = aTopic({ id: 'libraries', name: 'Libraries', keywords: ['BOOKS'] });
    await topics.create(first);

    // Act
    const attempt = topics.create(aTopic({ id: 'libraries', name: 'Other', keywords: ['LIBRARY'] }));

    // Assess
    await expect(attempt).rejects.toThrow(new ConflictError('topic "libraries" already exists'));
    expect(await topics.get('libraries')).toEqual(first);
    expect(await topics.findByKeyword('LIBRARY')).toBeUndefined();
  });

  it('lists every topic', async () => {
    // Prepare
    const own = await freshTable('crier-topics-list');
    const store = new DynamoTopicStore(own.documents, own.tableName, SHARDS);
    const created = ['alpha', 'beta', 'gamma'].map((id) => aTopic({ id, name: id, keywords: [id.toUpperCase()] }));
    for (const topic of created) await store.create(topic);

    // Act
    const listed = await store.list();

    // Assess
    expect(listed).toEqual(created);
  });

  it('counts subscribers across every shard of a topic', async () => {
    // Prepare
    await topics.create(aTopic({ id: 'youth', keywords: ['YOUTH'], department: 'youth' }));
    const subscribers = new DynamoSubscriberStore(table.documents, table.tableName, SHARDS);
    const phones = Array.from({ length: 12 }, (_, index) => aPhone(200 + index));
    for (const phone of phones) await subscribers.subscribe(phone, 'sms', 'youth', '2025-03-01T09:00:00.000Z', inboundEvidence());
    await subscribers.subscribe(phones[0]!, 'whatsapp', 'youth', '2025-03-01T09:00:00.000Z', inboundEvidence());
    await subscribers.optOut(phones[1]!, 'sms', '2025-03-01T10:00:00.000Z', inboundEvidence({ text: 'STOP' }));

    // Act
    const count = await topics.subscriberCount('youth');

    // Assess
    expect(new Set(phones.map((phone) => shardOf(phone, SHARDS))).size).toBeGreaterThan(1);
    expect(count).toBe(12);
    expect(await topics.subscriberCount('nobody-here')).toBe(0);
  });
});
