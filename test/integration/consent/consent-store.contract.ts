import { beforeAll, describe, expect, it } from 'vitest';
import type { SubscriberStore } from '../../../shared/consent/subscriber-store.js';
import { aPhone, adminEvidence, inboundEvidence } from '../../support/builders.js';

/*
 * The consent store's contract (shared/consent/consent-store.ts), one of the subscriber store's
 * parts, each with its contract beside its port: profile (test/integration/residents/
 * profile-store.contract.ts), erasure and retention, imports (erasure-store.contract.ts,
 * import-store.contract.ts) and what subscriptions feed (subscriptions-feed.contract.ts). The same
 * cases run against the DynamoDB store (on dynalite) and the tests' in-memory one
 * (test/integration/consent/subscriber-store-dynamo.test.ts, test/unit/consent/
 * subscriber-store-memory.test.ts), so the fake that the use cases' tests rely on cannot drift
 * from the store that runs. A case here says what a resident sees (subscribed or not, opted out
 * or not, what START brings back), never how a store keeps it.
 */

const T1 = '2025-03-01T09:00:00.000Z';
const T2 = '2025-03-01T10:00:00.000Z';
const T3 = '2025-03-01T11:00:00.000Z';
const T4 = '2025-03-01T12:00:00.000Z';

/** Builds the store under test; each case takes a resident of its own, so they may share it. */
export type SubscriberStoreFactory = () => Promise<SubscriberStore>;

export function consentStoreContract(name: string, makeStore: SubscriberStoreFactory, firstResident: number): void {
  describe(`${name}: the consent store's contract`, () => {
    let store: SubscriberStore;
    let nextResident = firstResident;
    const newResident = () => aPhone(nextResident++);

    beforeAll(async () => {
      store = await makeStore();
    });

    const actions = async (phone: string) => (await store.consentHistory(phone)).map((event) => `${event.action}:${event.channel}:${event.topicId ?? '*'}`);

    it('a JOIN subscribes once, and consentToSend finds the resident in the topic and not opted out', async () => {
      // Prepare
      const phone = newResident();

      // Act
      const first = await store.subscribe(phone, 'sms', 'parks', T1, inboundEvidence({ text: 'JOIN PARKS' }));
      const again = await store.subscribe(phone, 'sms', 'parks', T2, inboundEvidence({ text: 'PARKS' }));

      // Assess
      expect([first, again]).toEqual([true, false]);
      const consent = await store.consentToSend(phone, 'sms', 'parks');
      expect(consent).toEqual({ profile: expect.objectContaining({ phone, createdAt: T1, optedOut: {}, heldTopics: {} }), subscribed: true });
      expect(await store.consentToSend(phone, 'whatsapp', 'parks')).toMatchObject({ subscribed: false });
      expect(await actions(phone)).toEqual(['opt_in:sms:parks']);
    });

    it('a STOP holds the channel’s topics, leaves the other channel alone, and consentToSend says opted out', async () => {
      // Prepare
      const phone = newResident();
      await store.subscribe(phone, 'sms', 'youth', T1, inboundEvidence());
      await store.subscribe(phone, 'sms', 'parks', T1, inboundEvidence());
      await store.subscribe(phone, 'whatsapp', 'traffic', T1, inboundEvidence());

      // Act
      const newly = await store.optOut(phone, 'sms', T2, inboundEvidence({ text: 'STOP' }));

      // Assess
      expect(newly).toBe(true);
      expect(await store.getProfile(phone)).toMatchObject({ optedOut: { sms: T2 }, heldTopics: { sms: ['parks', 'youth'] } });
      expect(await store.consentToSend(phone, 'sms', 'parks')).toMatchObject({ profile: { optedOut: { sms: T2 } }, subscribed: false });
      expect(await store.consentToSend(phone, 'whatsapp', 'traffic')).toMatchObject({ subscribed: true });
      expect(await store.subscriptions(phone)).toEqual([{ phone, channel: 'whatsapp', topicId: 'traffic', since: T1 }]);
      expect(await store.optedOutAmong([{ phone, channel: 'sms' }, { phone, channel: 'whatsapp' }])).toEqual(new Set([`${phone}|sms`]));
      expect(await actions(phone)).toEqual(['opt_in:sms:parks', 'opt_in:sms:youth', 'opt_in:whatsapp:traffic', 'opt_out:sms:*']);
    });

    it('a replayed STOP (same evidence) counts as new again, keeping the first time and held topics, with one record', async () => {
      // Prepare
      const phone = newResident();
      await store.subscribe(phone, 'sms', 'parks', T1, inboundEvidence());
      const stop = inboundEvidence({ text: 'STOP' });
      await store.optOut(phone, 'sms', T2, stop);

      // Act
      const replayed = await store.optOut(phone, 'sms', T3, structuredClone(stop));

      // Assess
      expect(replayed).toBe(true);
      expect(await store.getProfile(phone)).toMatchObject({ optedOut: { sms: T2 }, heldTopics: { sms: ['parks'] } });
      expect(await actions(phone)).toEqual(['opt_in:sms:parks', 'opt_out:sms:*']);
    });

    it('a second, different STOP is not new: nothing recorded, the first time and held topics stay', async () => {
      // Prepare
      const phone = newResident();
      await store.subscribe(phone, 'sms', 'parks', T1, inboundEvidence());
      await store.optOut(phone, 'sms', T2, inboundEvidence({ text: 'STOP' }));
      const history = await store.consentHistory(phone);

      // Act
      const second = await store.optOut(phone, 'sms', T3, inboundEvidence({ text: 'STOP' }));

      // Assess
      expect(second).toBe(false);
      expect(await store.getProfile(phone)).toMatchObject({ optedOut: { sms: T2 }, heldTopics: { sms: ['parks'] } });
      expect(await store.consentHistory(phone)).toEqual(history);
    });

    it('a different STOP while opted out still takes the resident off a topic they were added to meanwhile (an import)', async () => {
      // Prepare: an import does not lift an opt-out (the import refuses opted-out residents; one who texted STOP while it ran stays out)
      const phone = newResident();
      await store.subscribe(phone, 'sms', 'parks', T1, inboundEvidence());
      await store.optOut(phone, 'sms', T2, inboundEvidence({ text: 'STOP' }));
      const evidence = { kind: 'import' as const, batchId: `batch-${phone}`, actor: 'key-operator', collectedBy: 'library', collectedAt: T1, method: 'paper form' };
      await store.importSubscription({ phone, channel: 'sms', topicId: 'bins', profile: {} }, T3, evidence);

      // Act
      const second = await store.optOut(phone, 'sms', T4, inboundEvidence({ text: 'STOP' }));

      // Assess
      expect(second).toBe(false);
      expect(await store.subscriptions(phone)).toEqual([]);
      expect(await store.getProfile(phone)).toMatchObject({ optedOut: { sms: T2 }, heldTopics: { sms: ['parks'] } });
    });

    it('of two different STOPs handled at once, exactly one is new (one confirmation), and the topics are held', async () => {
      // Prepare
      const phone = newResident();
      await store.subscribe(phone, 'sms', 'parks', T1, inboundEvidence());

      // Act
      const outcomes = await Promise.all([
        store.optOut(phone, 'sms', T2, inboundEvidence({ text: 'STOP' })),
        store.optOut(phone, 'sms', T2, inboundEvidence({ text: 'STOP ALL' })),
      ]);

      // Assess
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      expect(await store.getProfile(phone)).toMatchObject({ optedOut: { sms: T2 }, heldTopics: { sms: ['parks'] } });
      expect(await store.subscriptions(phone)).toEqual([]);
    });

    it('of many simultaneous JOINs, exactly one subscribes', async () => {
      // Prepare
      const phone = newResident();

      // Act
      const outcomes = await Promise.all(Array.from({ length: 4 }, () => store.subscribe(phone, 'sms', 'race', T1, inboundEvidence({ text: 'JOIN RACE' }))));

      // Assess
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      expect(await store.subscriptions(phone)).toEqual([{ phone, channel: 'sms', topicId: 'race', since: T1 }]);
    });

    it('START lifts the opt-out and restores the held topics still open, not the closed one', async () => {
      // Prepare
      const phone = newResident();
      for (const topicId of ['parks', 'closed', 'youth']) await store.subscribe(phone, 'sms', topicId, T1, inboundEvidence());
      await store.optOut(phone, 'sms', T2, inboundEvidence({ text: 'STOP' }));
      const asked: string[] = [];

      // Act
      const restored = await store.restore(phone, 'sms', T3, inboundEvidence({ text: 'START' }), async (topicId) => {
        asked.push(topicId);
        return topicId !== 'closed';
      });

      // Assess
      expect(restored).toEqual(['parks', 'youth']);
      expect(asked.sort()).toEqual(['closed', 'parks', 'youth']);
      expect(await store.getProfile(phone)).toMatchObject({ optedOut: {}, heldTopics: {} });
      expect(await store.subscriptions(phone)).toEqual([
        { phone, channel: 'sms', topicId: 'parks', since: T3 },
        { phone, channel: 'sms', topicId: 'youth', since: T3 },
      ]);
      expect(await store.consentToSend(phone, 'sms', 'youth')).toMatchObject({ profile: { optedOut: {} }, subscribed: true });
      expect(await store.consentToSend(phone, 'sms', 'closed')).toMatchObject({ subscribed: false });
      expect((await actions(phone)).slice(4)).toEqual(['opt_in:sms:parks', 'opt_in:sms:youth', 'restore:sms:*']);
    });

    it('START when not opted out restores nothing, asks about no topic and records nothing', async () => {
      // Prepare
      const phone = newResident();
      await store.subscribe(phone, 'sms', 'parks', T1, inboundEvidence());
      const asked: string[] = [];

      // Act
      const restored = await store.restore(phone, 'sms', T2, inboundEvidence({ text: 'START' }), async (topicId) => {
        asked.push(topicId);
        return true;
      });
      const unknown = await store.restore(newResident(), 'sms', T2, inboundEvidence({ text: 'START' }));

      // Assess
      expect([restored, unknown, asked]).toEqual([[], [], []]);
      expect(await actions(phone)).toEqual(['opt_in:sms:parks']);
    });

    it('a JOIN after a STOP lifts the opt-out on that channel and holds nothing any more', async () => {
      // Prepare
      const phone = newResident();
      await store.subscribe(phone, 'sms', 'parks', T1, inboundEvidence());
      await store.optOut(phone, 'sms', T2, inboundEvidence({ text: 'STOP' }));

      // Act
      const joined = await store.subscribe(phone, 'sms', 'youth', T3, inboundEvidence({ text: 'JOIN YOUTH' }));

      // Assess
      expect(joined).toBe(true);
      expect(await store.getProfile(phone)).toMatchObject({ optedOut: {}, heldTopics: {} });
      expect(await store.consentToSend(phone, 'sms', 'youth')).toMatchObject({ profile: { optedOut: {} }, subscribed: true });
      expect(await store.restore(phone, 'sms', T4, inboundEvidence({ text: 'START' }))).toEqual([]);
    });

    it('a YES after a STOP does not subscribe: the STOP dropped the JOIN waiting for it', async () => {
      // Prepare
      const phone = newResident();
      await store.requestConfirmation(phone, { topicId: 'youth', channel: 'sms', requestedAt: T1 }, inboundEvidence({ text: 'JOIN YOUTH' }));
      await store.requestConfirmation(phone, { topicId: 'parks', channel: 'whatsapp', requestedAt: T1 }, inboundEvidence({ text: 'JOIN PARKS' }));

      // Act
      await store.optOut(phone, 'sms', T2, inboundEvidence({ text: 'STOP' }));

      // Assess
      expect(await store.takePendingConfirmation(phone, 'sms')).toBeUndefined();
      expect(await store.takePendingConfirmation(phone, 'whatsapp')).toEqual({ topicId: 'parks', channel: 'whatsapp', requestedAt: T1 });
    });

    it('two opt-outs by the same member of staff at different times are two records', async () => {
      // Prepare
      const phone = newResident();
      await store.subscribe(phone, 'sms', 'parks', T1, inboundEvidence());
      const staff = adminEvidence({ actor: 'key-operator', reason: 'asked by phone' });
      await store.optOut(phone, 'sms', T2, staff);
      await store.restore(phone, 'sms', T3, inboundEvidence({ text: 'START' }));

      // Act
      const again = await store.optOut(phone, 'sms', T4, staff);

      // Assess
      expect(again).toBe(true);
      expect((await store.consentHistory(phone)).filter((event) => event.action === 'opt_out').map((event) => event.at)).toEqual([T2, T4]);
    });

    it('LEAVE takes the resident out of one topic: consentToSend finds them not in it, and not opted out', async () => {
      // Prepare
      const phone = newResident();
      await store.subscribe(phone, 'sms', 'parks', T1, inboundEvidence());
      await store.subscribe(phone, 'sms', 'youth', T1, inboundEvidence());

      // Act
      const left = await store.leaveTopic(phone, 'sms', 'parks', T2, inboundEvidence({ text: 'STOP PARKS' }));
      const again = await store.leaveTopic(phone, 'sms', 'parks', T3, inboundEvidence({ text: 'STOP PARKS' }));

      // Assess
      expect([left, again]).toEqual([true, false]);
      expect(await store.consentToSend(phone, 'sms', 'parks')).toMatchObject({ profile: { optedOut: {} }, subscribed: false });
      expect(await store.consentToSend(phone, 'sms', 'youth')).toMatchObject({ subscribed: true });
    });

    it('a pending JOIN is taken once, and a later JOIN on the channel replaces an earlier one', async () => {
      // Prepare
      const phone = newResident();
      await store.requestConfirmation(phone, { topicId: 'youth', channel: 'sms', requestedAt: T1 }, inboundEvidence({ text: 'JOIN YOUTH' }));
      await store.requestConfirmation(phone, { topicId: 'parks', channel: 'sms', requestedAt: T2 }, inboundEvidence({ text: 'JOIN PARKS' }));

      // Act
      const taken = [await store.takePendingConfirmation(phone, 'sms'), await store.takePendingConfirmation(phone, 'sms')];

      // Assess
      expect(taken).toEqual([{ topicId: 'parks', channel: 'sms', requestedAt: T2 }, undefined]);
      expect(await store.takePendingConfirmation(newResident(), 'sms')).toBeUndefined();
      expect(await actions(phone)).toEqual(['opt_in_requested:sms:youth', 'opt_in_requested:sms:parks']);
    });
  });
}
