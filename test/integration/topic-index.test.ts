import { beforeAll, describe, expect, it } from 'vitest';
import { dynamoStores } from '../../shared/adapters/dynamo/stores.js';
import { shardOf } from '../../shared/domain/sharding.js';
import type { Stores } from '../../shared/ports/stores.js';
import { aPhone, inboundEvidence } from '../support/builders.js';
import { freshTable } from '../support/dynamo-table.js';

const AT = '2025-03-01T09:00:00.000Z';
const SHARDS = 2;

describe('DynamoTopicIndex.membersAmong against dynalite', () => {
  let stores: Stores;
  // Twelve residents; the even ones joined traffic (by SMS, or WhatsApp for every fourth), all joined news.
  const residents = Array.from({ length: 12 }, (_, index) => aPhone(300 + index));

  beforeAll(async () => {
    const table = await freshTable('crier-topic-index');
    stores = dynamoStores(table.documents, table.tableName, SHARDS);
    for (const [index, phone] of residents.entries()) {
      await stores.subscribers.subscribe(phone, 'sms', 'news', AT, inboundEvidence());
      if (index % 2 === 0) await stores.subscribers.subscribe(phone, index % 4 === 0 ? 'whatsapp' : 'sms', 'traffic', AT, inboundEvidence());
    }
  });

  it.each([0, 1])('names exactly the residents of a page of shard %i who are also in the other topic, on either channel', async (shard) => {
    // Prepare: a page of news's shard.
    const page = await stores.topicIndex.page('news', shard, undefined, 100);
    const phones = page.recipients.map((recipient) => recipient.phone);

    // Act
    const members = await stores.topicIndex.membersAmong('traffic', shard, phones);

    // Assess
    const expected = residents.filter((phone, index) => index % 2 === 0 && shardOf(phone, SHARDS) === shard);
    expect([...members].sort()).toEqual(expected.sort());
  });

  it('names nobody for an empty page or a topic nobody joined', async () => {
    // Act
    const none = await stores.topicIndex.membersAmong('traffic', 0, []);
    const elsewhere = await stores.topicIndex.membersAmong('roadworks', 0, residents);

    // Assess
    expect(none.size).toBe(0);
    expect(elsewhere.size).toBe(0);
  });

  it('no longer names a resident who left the other topic', async () => {
    // Prepare
    const leaver = residents[0] as string;
    await stores.subscribers.leaveTopic(leaver, 'whatsapp', 'traffic', AT, inboundEvidence());

    // Act
    const members = await stores.topicIndex.membersAmong('traffic', shardOf(leaver, SHARDS), [leaver]);

    // Assess
    expect(members.has(leaver)).toBe(false);
  });
});
