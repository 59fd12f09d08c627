import { beforeAll, describe, expect, it } from 'vitest';
import { shardOf } from '../../../shared/domain/sharding.js';
import type { Recipient } from '../../../shared/domain/model.js';
import type { SubscriberStore } from '../../../shared/consent/subscriber-store.js';
import type { TopicIndex } from '../../../shared/topics/topic-index.js';
import type { TopicStore } from '../../../shared/topics/topic-store.js';
import { defaultRetention } from '../../../shared/retention/periods.js';
import { expiresAt } from '../../../shared/retention/schedule.js';
import { aPhone, inboundEvidence } from '../../support/builders.js';

/*
 * The rest of the subscriber store's contract, beside its consent part
 * (subscriber-store.contract.ts): the daily acknowledgement, the WhatsApp window, the resident
 * record's retention, and what the subscriptions feed, the topic index and the topic's counters.
 * The same cases run against the DynamoDB stores (on dynalite) and the tests' in-memory ones.
 */

export const SHARDS = 4;

const T1 = '2025-03-01T09:00:00.000Z';
const T2 = '2025-03-01T10:00:00.000Z';
const T3 = '2025-03-02T09:00:00.000Z';

/** The stores under test, and how each keeps a resident record's expiry (the one thing a port does not read back). */
export interface UpkeepHarness {
  subscribers: SubscriberStore;
  topicIndex: TopicIndex;
  topics: Pick<TopicStore, 'subscriberCounts'>;
  /** When the resident's record (profile and consent ledger) may go, in epoch seconds; undefined: kept. */
  recordExpiresAt(phone: string): Promise<number | undefined>;
}

export function subscriberStoreUpkeepContract(name: string, makeHarness: () => Promise<UpkeepHarness>, firstResident: number): void {
  describe(`${name}: the subscriber store's upkeep contract`, () => {
    let harness: UpkeepHarness;
    let nextResident = firstResident;
    const newResident = () => aPhone(nextResident++);

    beforeAll(async () => {
      harness = await makeHarness();
    });

    it('claims the daily acknowledgement once a day per resident, and a resident unknown before gets a profile', async () => {
      // Prepare
      const [phone, other] = [newResident(), newResident()];

      // Act
      const claims = [
        await harness.subscribers.claimDailyAcknowledgement(phone, '2025-03-01', T1),
        await harness.subscribers.claimDailyAcknowledgement(phone, '2025-03-01', T2),
        await harness.subscribers.claimDailyAcknowledgement(other, '2025-03-01', T2),
        await harness.subscribers.claimDailyAcknowledgement(phone, '2025-03-02', T3),
      ];

      // Assess
      expect(claims).toEqual([true, false, true, true]);
      expect(await harness.subscribers.getProfile(phone)).toMatchObject({ phone, createdAt: T1 });
    });

    it('the day’s start is the claim’s time when none is given', async () => {
      // Prepare
      const phone = newResident();

      // Act
      await harness.subscribers.claimDailyAcknowledgement(phone, '2025-03-01');

      // Assess
      expect(await harness.subscribers.getProfile(phone)).toMatchObject({ createdAt: '2025-03-01T00:00:00.000Z' });
    });

    it('records when the WhatsApp window opened, the latest text’s time replacing the earlier, the profile’s start kept', async () => {
      // Prepare
      const phone = newResident();
      await harness.subscribers.subscribe(phone, 'whatsapp', 'parks', T1, inboundEvidence());

      // Act
      await harness.subscribers.recordWhatsAppWindow(phone, T2);
      await harness.subscribers.recordWhatsAppWindow(phone, T3);

      // Assess
      expect(await harness.subscribers.getProfile(phone)).toMatchObject({ createdAt: T1, whatsappWindowOpenedAt: T3, optedOut: {} });
    });

    it('keeps the record of a subscribed resident, and lets it go a retention period after the last change once they are in no topic', async () => {
      // Prepare
      const phone = newResident();
      await harness.subscribers.subscribe(phone, 'sms', 'parks', T1, inboundEvidence());
      const expiry = (at: string) => expiresAt({ kind: 'residentRecord', lastChangeAt: at, subscriptions: 0 }, defaultRetention);

      // Act
      await harness.subscribers.settleRetention(phone, T1);
      const whileSubscribed = await harness.recordExpiresAt(phone);
      await harness.subscribers.leaveTopic(phone, 'sms', 'parks', T2, inboundEvidence({ text: 'LEAVE PARKS' }));
      await harness.subscribers.settleRetention(phone, T2);
      const afterLeaving = await harness.recordExpiresAt(phone);

      // Assess
      expect(whileSubscribed).toBeUndefined();
      expect(afterLeaving).toBe(expiry(T2));
    });

    it('never brings a record’s expiry earlier, and a JOIN keeps the record again', async () => {
      // Prepare
      const phone = newResident();
      await harness.subscribers.updateProfile(phone, 'sms', { area: 'CF10' }, T1, inboundEvidence({ text: 'AREA CF10' }));
      const expiry = (at: string) => expiresAt({ kind: 'residentRecord', lastChangeAt: at, subscriptions: 0 }, defaultRetention);

      // Act
      await harness.subscribers.settleRetention(phone, T3);
      await harness.subscribers.settleRetention(phone, T2);
      const afterLateSettle = await harness.recordExpiresAt(phone);
      await harness.subscribers.subscribe(phone, 'sms', 'bins', T3, inboundEvidence());
      await harness.subscribers.settleRetention(phone, T3);

      // Assess
      expect(afterLateSettle).toBe(expiry(T3));
      expect(await harness.recordExpiresAt(phone)).toBeUndefined();
    });

    it('settles nothing for a number it does not know', async () => {
      // Prepare
      const phone = newResident();

      // Act
      await harness.subscribers.settleRetention(phone, T1);

      // Assess
      expect(await harness.subscribers.getProfile(phone)).toBeUndefined();
      expect(await harness.recordExpiresAt(phone)).toBeUndefined();
    });

    it('reads the profiles of the residents it knows among some numbers, each once', async () => {
      // Prepare
      const [known, unknown] = [newResident(), newResident()];
      await harness.subscribers.updateProfile(known, 'sms', { area: 'CF10' }, T1, inboundEvidence({ text: 'AREA CF10' }));

      // Act
      const profiles = await harness.subscribers.profilesOf([known, unknown, known], { consistent: true });

      // Assess
      expect([...profiles.keys()]).toEqual([known]);
      expect(profiles.get(known)).toMatchObject({ phone: known, area: 'CF10', createdAt: T1 });
    });

    it('names an erasure by a reference that is the same for a number each time, differs between numbers, and is not the number', async () => {
      // Prepare
      const [phone, other] = [newResident(), newResident()];

      // Act
      const references = [await harness.subscribers.erasureReference(phone), await harness.subscribers.erasureReference(phone), await harness.subscribers.erasureReference(other)];

      // Assess
      expect(references[0]).toBe(references[1]);
      expect(references[2]).not.toBe(references[0]);
      for (const reference of references) expect(reference).not.toContain(phone.slice(1));
    });

    it('an import’s undo leaves what the resident did meanwhile: their AREA, their JOIN, and a subscription they had before', async () => {
      // Prepare
      const phone = newResident();
      const evidence = { kind: 'import' as const, batchId: `batch-${phone}`, actor: 'key-operator', collectedBy: 'library', collectedAt: T1, method: 'paper form' };
      const rows = [
        { phone, channel: 'sms' as const, topicId: 'parks', profile: { area: 'CF11' } },
        { phone, channel: 'sms' as const, topicId: 'youth', profile: { area: 'CF11' } },
      ];
      await harness.subscribers.subscribe(phone, 'sms', 'youth', T1, inboundEvidence({ text: 'JOIN YOUTH' }));
      const imported = [await harness.subscribers.importSubscription(rows[0]!, T2, evidence), await harness.subscribers.importSubscription(rows[1]!, T2, evidence)];
      await harness.subscribers.updateProfile(phone, 'sms', { area: 'CF10' }, T3, inboundEvidence({ text: 'AREA CF10' }));
      await harness.subscribers.subscribe(phone, 'sms', 'bins', T3, inboundEvidence({ text: 'JOIN BINS' }));

      // Act
      for (const row of rows) await harness.subscribers.undoImport(row, evidence.batchId);

      // Assess
      expect(imported).toEqual([true, false]);
      expect((await harness.subscribers.subscriptions(phone)).map((s) => s.topicId)).toEqual(['bins', 'youth']);
      expect(await harness.subscribers.getProfile(phone)).toMatchObject({ area: 'CF10', createdAt: T1 });
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
