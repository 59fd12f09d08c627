import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoSubscriberStore } from '../../shared/adapters/dynamo/subscriber-store.js';
import { DynamoTopicStore } from '../../shared/adapters/dynamo/topic-store.js';
import type { ProfileChanges } from '../../shared/residents/profile-store.js';
import { aPhone, inboundEvidence } from '../support/builders.js';
import { freshTable, type TestTable } from '../support/dynamo-table.js';

const SHARDS = 4;
const T1 = '2025-03-01T09:00:00.000Z';
const T2 = '2025-03-01T10:00:00.000Z';
const T3 = '2025-03-01T11:00:00.000Z';

/** Each test gets its own resident (and topic where it counts), so tests share the table but not state. */
let nextResident = 500;
const newResident = () => aPhone(nextResident++);
let nextTopic = 0;
const newTopicId = () => `topic-${nextTopic++}`;

describe('DynamoSubscriberStore: the inbound flow’s methods', () => {
  let table: TestTable;
  let subscribers: DynamoSubscriberStore;
  let topics: DynamoTopicStore;

  beforeAll(async () => {
    table = await freshTable('crier-profiles');
    subscribers = new DynamoSubscriberStore(table.documents, table.tableName, SHARDS);
    topics = new DynamoTopicStore(table.documents, table.tableName, SHARDS);
  });

  describe('consentToSend', () => {
    it.each([
      { case: 'in the topic on that channel', act: async () => undefined, channel: 'sms' as const, profile: true, subscribed: true },
      { case: 'in the topic on the other channel only', act: async () => undefined, channel: 'whatsapp' as const, profile: true, subscribed: false },
      {
        case: 'after leaving the topic',
        act: async (phone: string, topicId: string) => void (await subscribers.leaveTopic(phone, 'sms', topicId, T2, inboundEvidence())),
        channel: 'sms' as const,
        profile: true,
        subscribed: false,
      },
    ])('reads the profile and the subscription in one go: $case', async ({ act, channel, profile, subscribed }) => {
      // Prepare
      const phone = newResident();
      const topicId = newTopicId();
      await subscribers.subscribe(phone, 'sms', topicId, T1, inboundEvidence());
      await act(phone, topicId);

      // Act
      const consent = await subscribers.consentToSend(phone, channel, topicId);

      // Assess
      expect(consent.subscribed).toBe(subscribed);
      expect(consent.profile !== undefined).toBe(profile);
    });

    it('answers for the asked topic alone when the resident is in topics sorted before and after it on both channels', async () => {
      // Prepare: the one Query reads from PROFILE to the asked subscription, past the others.
      const phone = newResident();
      const topicId = newTopicId();
      for (const channel of ['sms', 'whatsapp'] as const) {
        await subscribers.subscribe(phone, channel, `a-${topicId}`, T1, inboundEvidence());
        await subscribers.subscribe(phone, channel, `z-${topicId}`, T1, inboundEvidence());
      }

      // Act
      const asked = await Promise.all((['sms', 'whatsapp'] as const).map((channel) => subscribers.consentToSend(phone, channel, topicId)));
      const around = await subscribers.consentToSend(phone, 'whatsapp', `a-${topicId}`);

      // Assess
      expect(asked.map((consent) => consent.subscribed)).toEqual([false, false]);
      expect(asked.every((consent) => consent.profile?.phone === phone)).toBe(true);
      expect(around.subscribed).toBe(true);
    });

    it('finds no profile for a number that never joined', async () => {
      // Act
      const consent = await subscribers.consentToSend(newResident(), 'sms', newTopicId());

      // Assess
      expect(consent).toEqual({ profile: undefined, subscribed: false });
    });
  });

  describe('leaveTopic', () => {
    it('leaves one topic once: the count moves once, the other topics stay, and the leave is recorded', async () => {
      // Prepare
      const phone = newResident();
      const [leaving, staying] = [newTopicId(), newTopicId()];
      await subscribers.subscribe(phone, 'sms', leaving, T1, inboundEvidence());
      await subscribers.subscribe(phone, 'sms', staying, T1, inboundEvidence());
      const evidence = inboundEvidence({ text: `STOP ${leaving}` });

      // Act
      const first = await subscribers.leaveTopic(phone, 'sms', leaving, T2, evidence);
      const second = await subscribers.leaveTopic(phone, 'sms', leaving, T3, inboundEvidence({ text: `STOP ${leaving}` }));

      // Assess
      expect([first, second]).toEqual([true, false]);
      expect(await topics.subscriberCount(leaving)).toBe(0);
      expect(await topics.subscriberCount(staying)).toBe(1);
      expect((await subscribers.subscriptions(phone)).map((s) => s.topicId)).toEqual([staying]);
      const leaves = (await subscribers.consentHistory(phone)).filter((event) => event.action === 'leave');
      expect(leaves).toEqual([{ at: T2, action: 'leave', channel: 'sms', topicId: leaving, evidence }]);
      expect((await subscribers.getProfile(phone))?.optedOut).toEqual({});
    });

    it('leaves only the channel the text came from', async () => {
      // Prepare
      const phone = newResident();
      const topicId = newTopicId();
      await subscribers.subscribe(phone, 'sms', topicId, T1, inboundEvidence());
      await subscribers.subscribe(phone, 'whatsapp', topicId, T1, inboundEvidence());

      // Act
      await subscribers.leaveTopic(phone, 'whatsapp', topicId, T2, inboundEvidence());

      // Assess
      expect((await subscribers.subscriptions(phone)).map((s) => s.channel)).toEqual(['sms']);
      expect(await topics.subscriberCount(topicId)).toBe(1);
    });

    it('lets only one of several simultaneous leaves move the count', async () => {
      // Prepare
      const phone = newResident();
      const topicId = newTopicId();
      await subscribers.subscribe(phone, 'sms', topicId, T1, inboundEvidence());
      await subscribers.subscribe(aPhone(999), 'sms', topicId, T1, inboundEvidence());

      // Act
      await Promise.all(Array.from({ length: 4 }, () => subscribers.leaveTopic(phone, 'sms', topicId, T2, inboundEvidence())));

      // Assess
      expect(await topics.subscriberCount(topicId)).toBe(1);
    });
  });

  describe('updateProfile', () => {
    it.each<[string, ProfileChanges, Record<string, string>]>([
      ['an area', { area: 'CF10' }, { area: 'CF10' }],
      ['a chosen language', { language: 'cy', languageSource: 'chosen' }, { language: 'cy', languageSource: 'chosen' }],
      ['an age band', { ageBand: '16-17' }, { ageBand: '16-17' }],
      [
        'several at once, leaving out the undefined',
        { area: 'NP20', language: 'es', languageSource: 'chosen', ageBand: undefined },
        { area: 'NP20', language: 'es', languageSource: 'chosen' },
      ],
    ])('sets %s and records a profile change with what changed', async (_case, changes, recorded) => {
      // Prepare
      const phone = newResident();
      const evidence = inboundEvidence({ text: 'AREA CF10' });

      // Act
      await subscribers.updateProfile(phone, 'sms', changes, T1, evidence);

      // Assess
      expect(await subscribers.getProfile(phone)).toEqual({
        phone,
        createdAt: T1,
        optedOut: {},
        heldTopics: {},
        language: undefined,
        area: undefined,
        ageBand: undefined,
        whatsappWindowOpenedAt: undefined,
        ...recorded,
      });
      expect(await subscribers.consentHistory(phone)).toEqual([
        { at: T1, action: 'profile', channel: 'sms', topicId: undefined, evidence, changes: recorded },
      ]);
    });

    it('keeps what it does not change, and the first createdAt', async () => {
      // Prepare
      const phone = newResident();
      await subscribers.updateProfile(phone, 'sms', { area: 'CF10', language: 'cy' }, T1, inboundEvidence());

      // Act
      await subscribers.updateProfile(phone, 'whatsapp', { area: 'CF24' }, T2, inboundEvidence());

      // Assess
      expect(await subscribers.getProfile(phone)).toMatchObject({ createdAt: T1, area: 'CF24', language: 'cy' });
      expect((await subscribers.consentHistory(phone)).map((event) => [event.channel, event.changes])).toEqual([
        ['sms', { area: 'CF10', language: 'cy' }],
        ['whatsapp', { area: 'CF24' }],
      ]);
    });

    it('writes and records nothing when there is nothing to change', async () => {
      // Prepare
      const phone = newResident();

      // Act
      await subscribers.updateProfile(phone, 'sms', {}, T1, inboundEvidence());

      // Assess
      expect(await subscribers.getProfile(phone)).toBeUndefined();
      expect(await subscribers.consentHistory(phone)).toEqual([]);
    });

    it('keeps an opt-out untouched', async () => {
      // Prepare
      const phone = newResident();
      await subscribers.optOut(phone, 'sms', T1, inboundEvidence({ text: 'STOP' }));

      // Act
      await subscribers.updateProfile(phone, 'sms', { area: 'CF10' }, T2, inboundEvidence());

      // Assess
      expect(await subscribers.getProfile(phone)).toMatchObject({ optedOut: { sms: T1 }, area: 'CF10' });
    });
  });

  describe('keepInferredLanguage', () => {
    it('keeps a language its words told and records it beside the other change the same text made', async () => {
      // Prepare: ARDAL CF10 is Welsh, and sets an area
      const phone = newResident();
      const evidence = inboundEvidence({ text: 'ARDAL CF10' });
      await subscribers.updateProfile(phone, 'sms', { area: 'CF10' }, T1, evidence);

      // Act
      const took = await subscribers.keepInferredLanguage(phone, 'sms', 'cy', T1, evidence);

      // Assess
      expect(took).toBe(true);
      expect(await subscribers.getProfile(phone)).toMatchObject({ createdAt: T1, area: 'CF10', language: 'cy', languageSource: 'inferred' });
      expect((await subscribers.consentHistory(phone)).map((event) => [event.action, event.evidence, event.changes])).toEqual(
        expect.arrayContaining([
          ['profile', evidence, { area: 'CF10' }],
          ['profile', evidence, { language: 'cy', languageSource: 'inferred' }],
        ]),
      );
    });

    it('replaces a language inferred before', async () => {
      // Prepare
      const phone = newResident();
      await subscribers.keepInferredLanguage(phone, 'sms', 'cy', T1, inboundEvidence({ text: 'YMUNO TRAFFIG' }));

      // Act
      const took = await subscribers.keepInferredLanguage(phone, 'sms', 'es', T2, inboundEvidence({ text: 'AYUDA' }));

      // Assess
      expect(took).toBe(true);
      expect(await subscribers.getProfile(phone)).toMatchObject({ createdAt: T1, language: 'es', languageSource: 'inferred' });
    });

    it.each<[string, ProfileChanges]>([
      ['chosen with LANG', { language: 'es', languageSource: 'chosen' }],
      ['kept before sources were (LANG or an import)', { language: 'es' }],
    ])('never replaces a language %s, even one written after the caller read the profile', async (_case, chosen) => {
      // Prepare
      const phone = newResident();
      await subscribers.updateProfile(phone, 'sms', chosen, T1, inboundEvidence({ text: 'LANG ES' }));

      // Act
      const took = await subscribers.keepInferredLanguage(phone, 'sms', 'cy', T2, inboundEvidence({ text: 'YMUNO TRAFFIG' }));

      // Assess
      expect(took).toBe(false);
      expect(await subscribers.getProfile(phone)).toMatchObject({ language: 'es', languageSource: 'chosen' });
    });
  });

  describe('forgetting an age band', () => {
    it('removes the band and records the removal, keeping the rest of the profile', async () => {
      // Prepare
      const phone = newResident();
      await subscribers.updateProfile(phone, 'sms', { ageBand: '16-17', area: 'CF10' }, T1, inboundEvidence({ text: 'AGE 16' }));

      // Act
      await subscribers.updateProfile(phone, 'sms', { ageBand: null }, T2, inboundEvidence({ text: '[removed: an age under 13]' }));

      // Assess
      const profile = await subscribers.getProfile(phone);
      expect(profile?.ageBand).toBeUndefined();
      expect(profile?.area).toBe('CF10');
      expect((await subscribers.consentHistory(phone)).map((event) => event.changes)).toEqual([{ ageBand: '16-17', area: 'CF10' }, { ageBand: 'removed' }]);
    });
  });

  describe('confirmed opt-in', () => {
    it('keeps a pending JOIN, records the request, and gives it up once', async () => {
      // Prepare
      const phone = newResident();
      const evidence = inboundEvidence({ text: 'JOIN YOUTH' });
      const pending = { topicId: 'youth', channel: 'sms' as const, requestedAt: T1 };

      // Act
      await subscribers.requestConfirmation(phone, pending, evidence);
      const first = await subscribers.takePendingConfirmation(phone, 'sms');
      const second = await subscribers.takePendingConfirmation(phone, 'sms');

      // Assess
      expect(first).toEqual(pending);
      expect(second).toBeUndefined();
      expect(await subscribers.consentHistory(phone)).toEqual([
        { at: T1, action: 'opt_in_requested', channel: 'sms', topicId: 'youth', evidence },
      ]);
      expect(await subscribers.subscriptions(phone)).toEqual([]);
    });

    it('drops a pending JOIN when the resident sends STOP on that channel, and keeps the other channel\'s', async () => {
      // Prepare
      const phone = newResident();
      await subscribers.requestConfirmation(phone, { topicId: 'youth', channel: 'sms', requestedAt: T1 }, inboundEvidence());
      await subscribers.requestConfirmation(phone, { topicId: 'youth', channel: 'whatsapp', requestedAt: T1 }, inboundEvidence());

      // Act
      await subscribers.optOut(phone, 'sms', T2, inboundEvidence({ text: 'STOP' }));

      // Assess
      expect(await subscribers.takePendingConfirmation(phone, 'sms')).toBeUndefined();
      expect(await subscribers.takePendingConfirmation(phone, 'whatsapp')).toEqual({ topicId: 'youth', channel: 'whatsapp', requestedAt: T1 });
    });

    it('keeps one pending JOIN per channel, the latest', async () => {
      // Prepare
      const phone = newResident();
      await subscribers.requestConfirmation(phone, { topicId: 'youth', channel: 'sms', requestedAt: T1 }, inboundEvidence());
      await subscribers.requestConfirmation(phone, { topicId: 'sport', channel: 'sms', requestedAt: T2 }, inboundEvidence());
      await subscribers.requestConfirmation(phone, { topicId: 'youth', channel: 'whatsapp', requestedAt: T2 }, inboundEvidence());

      // Act
      const sms = await subscribers.takePendingConfirmation(phone, 'sms');
      const whatsapp = await subscribers.takePendingConfirmation(phone, 'whatsapp');

      // Assess
      expect(sms).toEqual({ topicId: 'sport', channel: 'sms', requestedAt: T2 });
      expect(whatsapp).toEqual({ topicId: 'youth', channel: 'whatsapp', requestedAt: T2 });
    });

    it('has nothing pending for a resident it has never heard from, and creates no profile for them', async () => {
      // Prepare
      const phone = newResident();

      // Act
      const pending = await subscribers.takePendingConfirmation(phone, 'sms');

      // Assess
      expect(pending).toBeUndefined();
      expect(await subscribers.getProfile(phone)).toBeUndefined();
    });

    it('gives a pending JOIN to only one of several simultaneous YES', async () => {
      // Prepare
      const phone = newResident();
      await subscribers.requestConfirmation(phone, { topicId: 'youth', channel: 'sms', requestedAt: T1 }, inboundEvidence());

      // Act
      const taken = await Promise.all(Array.from({ length: 4 }, () => subscribers.takePendingConfirmation(phone, 'sms')));

      // Assess
      expect(taken.filter((pending) => pending !== undefined)).toHaveLength(1);
    });

    it('records a subscription confirmed by YES as a confirm, with the YES as evidence', async () => {
      // Prepare
      const phone = newResident();
      const topicId = newTopicId();
      const yes = inboundEvidence({ text: 'YES' });

      // Act
      const subscribed = await subscribers.subscribe(phone, 'sms', topicId, T2, yes, 'confirm');

      // Assess
      expect(subscribed).toBe(true);
      expect(await subscribers.consentHistory(phone)).toEqual([{ at: T2, action: 'confirm', channel: 'sms', topicId, evidence: yes }]);
      expect(await topics.subscriberCount(topicId)).toBe(1);
    });
  });

  describe('claimDailyAcknowledgement', () => {
    it('is true once per resident per day', async () => {
      // Prepare
      const [phone, other] = [newResident(), newResident()];

      // Act
      const claims = [
        await subscribers.claimDailyAcknowledgement(phone, '2025-03-01'),
        await subscribers.claimDailyAcknowledgement(phone, '2025-03-01'),
        await subscribers.claimDailyAcknowledgement(other, '2025-03-01'),
        await subscribers.claimDailyAcknowledgement(phone, '2025-03-02'),
        await subscribers.claimDailyAcknowledgement(phone, '2025-03-02'),
      ];

      // Assess
      expect(claims).toEqual([true, false, true, true, false]);
    });

    it('is true for only one of several simultaneous claims', async () => {
      // Prepare
      const phone = newResident();

      // Act
      const claims = await Promise.all(Array.from({ length: 4 }, () => subscribers.claimDailyAcknowledgement(phone, '2025-03-01')));

      // Assess
      expect(claims.filter(Boolean)).toHaveLength(1);
    });

    it('leaves an existing profile as it was', async () => {
      // Prepare
      const phone = newResident();
      await subscribers.updateProfile(phone, 'sms', { area: 'CF10' }, T1, inboundEvidence());
      const before = await subscribers.getProfile(phone);

      // Act
      await subscribers.claimDailyAcknowledgement(phone, '2025-03-01');

      // Assess
      expect(await subscribers.getProfile(phone)).toEqual(before);
    });
  });

  describe('recordWhatsAppWindow', () => {
    it('shows the window in the profile, the latest message’s time', async () => {
      // Prepare
      const phone = newResident();
      await subscribers.recordWhatsAppWindow(phone, T1);

      // Act
      await subscribers.recordWhatsAppWindow(phone, T2);

      // Assess
      expect(await subscribers.getProfile(phone)).toMatchObject({ phone, createdAt: T1, whatsappWindowOpenedAt: T2, optedOut: {} });
    });

    it('keeps the rest of the profile', async () => {
      // Prepare
      const phone = newResident();
      await subscribers.optOut(phone, 'sms', T1, inboundEvidence({ text: 'STOP' }));
      await subscribers.updateProfile(phone, 'sms', { language: 'cy' }, T1, inboundEvidence());

      // Act
      await subscribers.recordWhatsAppWindow(phone, T2);

      // Assess
      expect(await subscribers.getProfile(phone)).toMatchObject({ optedOut: { sms: T1 }, language: 'cy', whatsappWindowOpenedAt: T2 });
    });
  });
});
