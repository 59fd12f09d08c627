import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoSubscriberStore } from '../../shared/adapters/dynamo/subscriber-store.js';
import { aPhone, inboundEvidence } from '../support/builders.js';
import { freshTable, type TestTable } from '../support/dynamo-table.js';

/**
 * Residents' profiles read in bulk, as the broadcast lifecycle reads its audience, against
 * dynalite. The broadcast and department stores the lifecycle also leans on are held to their
 * contracts (broadcasts/ and departments/), run against them and the in-memory stores.
 */

const T0 = Date.parse('2025-03-04T10:00:00.000Z');
const minutesAfter = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

describe('DynamoSubscriberStore.profilesOf', () => {
  let table: TestTable;
  let subscribers: DynamoSubscriberStore;
  const at = minutesAfter(0);

  beforeAll(async () => {
    table = await freshTable('crier-lifecycle-profiles');
    subscribers = new DynamoSubscriberStore(table.documents, table.tableName, 4);
    await subscribers.subscribe(aPhone(1), 'sms', 'traffic', at, inboundEvidence());
    await subscribers.updateProfile(aPhone(1), 'sms', { area: 'CF10', language: 'cy', ageBand: '16-17' }, at, inboundEvidence());
    await subscribers.subscribe(aPhone(2), 'whatsapp', 'traffic', at, inboundEvidence());
    await subscribers.recordWhatsAppWindow(aPhone(2), minutesAfter(5));
  });

  it.each([true, false])('reads many profiles at once (consistent: %s); phones without one are absent', async (consistent) => {
    // Act
    const profiles = await subscribers.profilesOf([aPhone(1), aPhone(2), aPhone(999), aPhone(1)], { consistent });

    // Assess
    expect([...profiles.keys()].sort()).toEqual([aPhone(1), aPhone(2)]);
    expect(profiles.get(aPhone(1))).toMatchObject({ phone: aPhone(1), area: 'CF10', language: 'cy', ageBand: '16-17', optedOut: {} });
    expect(profiles.get(aPhone(2))).toMatchObject({ phone: aPhone(2), area: undefined, language: undefined, whatsappWindowOpenedAt: minutesAfter(5) });
    expect(profiles.get(aPhone(1))).toEqual(await subscribers.getProfile(aPhone(1)));
  });

  it('reads a STOP written a moment ago when asked to be consistent', async () => {
    // Prepare
    const phone = aPhone(3);
    await subscribers.subscribe(phone, 'sms', 'traffic', at, inboundEvidence());

    // Act
    await subscribers.optOut(phone, 'sms', minutesAfter(1), inboundEvidence({ text: 'STOP' }));
    const profiles = await subscribers.profilesOf([phone], { consistent: true });

    // Assess
    expect(profiles.get(phone)?.optedOut).toEqual({ sms: minutesAfter(1) });
  });

  it('reads more than one batch’s worth (over 100 phones) and answers nothing for an empty list', async () => {
    // Prepare
    const phones = Array.from({ length: 105 }, (_, index) => aPhone(100 + index));
    for (const phone of phones) await subscribers.claimDailyAcknowledgement(phone, '2025-03-04', at);

    // Act
    const profiles = await subscribers.profilesOf([...phones, aPhone(998)], { consistent: false });
    const none = await subscribers.profilesOf([], { consistent: true });

    // Assess
    expect(profiles.size).toBe(105);
    expect([...profiles.keys()].sort()).toEqual([...phones].sort());
    expect(none.size).toBe(0);
  });
});
