import { beforeAll, describe, expect, it } from 'vitest';
import { shardOf } from '../../../shared/domain/sharding.js';
import type { Recipient } from '../../../shared/domain/model.js';
import type { SubscriberStore } from '../../../shared/consent/subscriber-store.js';
import type { TopicIndex } from '../../../shared/topics/topic-index.js';
import type { TopicStore } from '../../../shared/topics/topic-store.js';
import { aPhone, inboundEvidence } from '../../support/builders.js';

/*
 * What a resident's subscriptions feed beside the subscriber store (consent-store.contract.ts and
 * the other parts' contracts): the topic index the fan-out reads and the topic's counters. The
 * same cases run against the DynamoDB stores (on dynalite) and the tests' in-memory ones.
 */

export const SHARDS = 4;

const T1 = '2025-03-01T09:00:00.000Z';
const T2 = '2025-03-01T10:00:00.000Z';
const T3 = '2025-03-02T09:00:00.000Z';

/** The subscriber store under test, and the topic index and topic store its subscriptions feed. */
export interface SubscriptionsFeedHarness {
  subscribers: SubscriberStore;
  topicIndex: TopicIndex;
  topics: Pick<TopicStore, 'subscriberCounts'>;
}

export function subscriptionsFeedContract(name: string, makeHarness: () => Promise<SubscriptionsFeedHarness>, firstResident: number): void {
  describe(`${name}: what the subscriptions feed, the contract`, () => {
    let harness: SubscriptionsFeedHarness;
    let nextResident = firstResident;
    const newResident = () => aPhone(nextResident++);

    beforeAll(async () => {
      harness = await makeHarness();
    });

    it('the topic index pages through every subscriber of a shard once, in order, and forgets one who STOPs', async () => {
      // Prepare
      const residents = [newResident(), newResident(), newResident(), newResident(), newResident()];
      for (const phone of residents) await harness.subscribers.subscribe(phone, 'sms', 'index-topic', T1, inboundEvidence());
      await harness.subscribers.subscribe(residents[0]!, 'whatsapp', 'index-topic', T1, inboundEvidence());
      await harness.subscribers.optOut(residents[1]!, 'sms', T2, inboundEvidence({ text: 'STOP' }));
      const pageAll = async (shard: number) => {
        const found: Recipient[] = [];
        let cursor: string | undefined;
        do {
          const page = await harness.topicIndex.page('index-topic', shard, cursor, 1);
          found.push(...page.recipients);
          cursor = page.cursor;
        } while (cursor);
        return found;
      };

      // Act
      const byShard = await Promise.all(Array.from({ length: SHARDS }, (_, shard) => pageAll(shard)));

      // Assess
      const expected = [
        { phone: residents[0]!, channel: 'sms' },
        { phone: residents[0]!, channel: 'whatsapp' },
        ...residents.slice(2).map((phone) => ({ phone, channel: 'sms' })),
      ];
      for (const [shard, found] of byShard.entries()) {
        const wanted = expected.filter((recipient) => shardOf(recipient.phone, SHARDS) === shard);
        expect(found).toEqual(wanted.sort((a, b) => `${a.phone}#${a.channel}`.localeCompare(`${b.phone}#${b.channel}`)));
      }
    });

    it('the topic index finds, among some numbers, those of one shard in the topic on either channel', async () => {
      // Prepare
      const [sms, whatsapp, left, never] = [newResident(), newResident(), newResident(), newResident()];
      await harness.subscribers.subscribe(sms, 'sms', 'members-topic', T1, inboundEvidence());
      await harness.subscribers.subscribe(whatsapp, 'whatsapp', 'members-topic', T1, inboundEvidence());
      await harness.subscribers.subscribe(left, 'sms', 'members-topic', T1, inboundEvidence());
      await harness.subscribers.leaveTopic(left, 'sms', 'members-topic', T2, inboundEvidence({ text: 'LEAVE' }));
      const asked = [sms, whatsapp, left, never];

      // Act
      const byShard = await Promise.all(Array.from({ length: SHARDS }, (_, shard) => harness.topicIndex.membersAmong('members-topic', shard, asked)));

      // Assess
      for (const [shard, members] of byShard.entries()) {
        expect(members).toEqual(new Set([sms, whatsapp].filter((phone) => shardOf(phone, SHARDS) === shard)));
      }
    });

    it('the topic’s counters follow JOIN, a language, LEAVE and STOP, by channel and by language', async () => {
      // Prepare
      const [welsh, english, leaving] = [newResident(), newResident(), newResident()];
      await harness.subscribers.updateProfile(welsh, 'sms', { language: 'cy', languageSource: 'chosen' }, T1, inboundEvidence({ text: 'IAITH CY' }));

      // Act
      await harness.subscribers.subscribe(welsh, 'sms', 'counted-topic', T1, inboundEvidence());
      await harness.subscribers.subscribe(welsh, 'whatsapp', 'counted-topic', T1, inboundEvidence());
      await harness.subscribers.subscribe(english, 'sms', 'counted-topic', T1, inboundEvidence());
      await harness.subscribers.updateProfile(english, 'sms', { language: 'en', languageSource: 'chosen' }, T2, inboundEvidence({ text: 'LANG EN' }));
      await harness.subscribers.subscribe(leaving, 'sms', 'counted-topic', T1, inboundEvidence());
      await harness.subscribers.leaveTopic(leaving, 'sms', 'counted-topic', T2, inboundEvidence({ text: 'LEAVE' }));
      await harness.subscribers.optOut(welsh, 'whatsapp', T3, inboundEvidence({ text: 'STOP' }));

      // Assess
      expect(await harness.topics.subscriberCounts('counted-topic')).toEqual({
        total: 2,
        byChannel: { sms: 2, whatsapp: 0 },
        byLanguage: { en: 1, cy: 1, es: 0, none: 0 },
      });
    });
  });
}
