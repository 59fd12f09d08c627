import { beforeAll, describe, expect, it } from 'vitest';
import { shardOf } from '../../../shared/domain/sharding.js';
import type { SubscriberStore } from '../../../shared/consent/subscriber-store.js';
import type { TopicIndex } from '../../../shared/topics/topic-index.js';
import { aPhone, inboundEvidence } from '../../support/builders.js';

/*
 * The topic index's contract: one set of cases, run against the DynamoDB index on dynalite
 * (topic-index-dynamo.test.ts) and the in-memory subscriber store that plays it in the use cases'
 * tests (test/unit/topics/topic-index-memory.test.ts): a shard of a topic read a page at a time,
 * and which of a page's numbers are also in another topic.
 */

const AT = '2025-03-01T09:00:00.000Z';
export const INDEX_SHARDS = 2;

/** Builds an empty index and the subscriber store whose subscriptions it lists, with INDEX_SHARDS shards. */
export type TopicIndexFactory = () => Promise<{ subscribers: SubscriberStore; topicIndex: TopicIndex }>;

export function topicIndexContract(name: string, makeStores: TopicIndexFactory): void {
  describe(`${name}: the topic index's contract`, () => {
    let subscribers: SubscriberStore;
    let topicIndex: TopicIndex;
    // Twelve residents; the even ones joined traffic (by SMS, or WhatsApp for every fourth), all joined news.
    const residents = Array.from({ length: 12 }, (_, index) => aPhone(300 + index));

    beforeAll(async () => {
      ({ subscribers, topicIndex } = await makeStores());
      for (const [index, phone] of residents.entries()) {
        await subscribers.subscribe(phone, 'sms', 'news', AT, inboundEvidence());
        if (index % 2 === 0) await subscribers.subscribe(phone, index % 4 === 0 ? 'whatsapp' : 'sms', 'traffic', AT, inboundEvidence());
      }
    });

    it.each([0, 1])('pages through shard %i of a topic: each of its subscriptions once, with a cursor while more may follow', async (shard) => {
      // Prepare
      const pages: string[][] = [];
      let cursor: string | undefined;

      // Act
      do {
        const page = await topicIndex.page('news', shard, cursor, 2);
        pages.push(page.recipients.map((recipient) => `${recipient.phone}:${recipient.channel}`));
        cursor = page.cursor;
      } while (cursor !== undefined && pages.length < 20);

      // Assess
      const expected = residents.filter((phone) => shardOf(phone, INDEX_SHARDS) === shard).map((phone) => `${phone}:sms`);
      expect(pages.flat().sort()).toEqual(expected.sort());
      expect(pages.slice(0, -1).every((page) => page.length === 2)).toBe(true);
    });

    it.each([0, 1])('names exactly the residents of a page of shard %i who are also in the other topic, on either channel', async (shard) => {
      // Prepare: a page of news's shard.
      const page = await topicIndex.page('news', shard, undefined, 100);
      const phones = page.recipients.map((recipient) => recipient.phone);

      // Act
      const members = await topicIndex.membersAmong('traffic', shard, phones);

      // Assess
      const expected = residents.filter((phone, index) => index % 2 === 0 && shardOf(phone, INDEX_SHARDS) === shard);
      expect([...members].sort()).toEqual(expected.sort());
    });

    it('names nobody for an empty page or a topic nobody joined', async () => {
      // Act
      const none = await topicIndex.membersAmong('traffic', 0, []);
      const elsewhere = await topicIndex.membersAmong('roadworks', 0, residents);

      // Assess
      expect(none.size).toBe(0);
      expect(elsewhere.size).toBe(0);
    });

    it('no longer names a resident who left the other topic', async () => {
      // Prepare
      const leaver = residents[0] as string;
      await subscribers.leaveTopic(leaver, 'whatsapp', 'traffic', AT, inboundEvidence());

      // Act
      const members = await topicIndex.membersAmong('traffic', shardOf(leaver, INDEX_SHARDS), [leaver]);

      // Assess
      expect(members.has(leaver)).toBe(false);
    });
  });
}
