import { beforeAll, describe, expect, it } from 'vitest';
import type { SubscriberStore } from '../../../shared/consent/subscriber-store.js';
import { aPhone, inboundEvidence } from '../../support/builders.js';

/*
 * The profile store's contract (shared/residents/profile-store.ts), one of the subscriber store's
 * parts: the daily acknowledgement, the WhatsApp window, profiles read in bulk, and a language
 * kept from a resident's words. The same cases run against the DynamoDB subscriber store (on
 * dynalite) and the tests' in-memory one (test/integration/consent/subscriber-store-dynamo.test.ts,
 * test/unit/consent/subscriber-store-memory.test.ts), which implement every part as one store.
 */

const T1 = '2025-03-01T09:00:00.000Z';
const T2 = '2025-03-01T10:00:00.000Z';
const T3 = '2025-03-02T09:00:00.000Z';

/** Builds the store under test; each case takes a resident of its own, so they may share it. */
export type SubscriberStoreFactory = () => Promise<SubscriberStore>;

export function profileStoreContract(name: string, makeStore: SubscriberStoreFactory, firstResident: number): void {
  describe(`${name}: the profile store's contract`, () => {
    let store: SubscriberStore;
    let nextResident = firstResident;
    const newResident = () => aPhone(nextResident++);

    beforeAll(async () => {
      store = await makeStore();
    });

    it('claims the daily acknowledgement once a day per resident, and a resident unknown before gets a profile', async () => {
      // Prepare
      const [phone, other] = [newResident(), newResident()];

      // Act
      const claims = [
        await store.claimDailyAcknowledgement(phone, '2025-03-01', T1),
        await store.claimDailyAcknowledgement(phone, '2025-03-01', T2),
        await store.claimDailyAcknowledgement(other, '2025-03-01', T2),
        await store.claimDailyAcknowledgement(phone, '2025-03-02', T3),
      ];

      // Assess
      expect(claims).toEqual([true, false, true, true]);
      expect(await store.getProfile(phone)).toMatchObject({ phone, createdAt: T1 });
    });

    it('the day’s start is the claim’s time when none is given', async () => {
      // Prepare
      const phone = newResident();

      // Act
      await store.claimDailyAcknowledgement(phone, '2025-03-01');

      // Assess
      expect(await store.getProfile(phone)).toMatchObject({ createdAt: '2025-03-01T00:00:00.000Z' });
    });

    it('records when the WhatsApp window opened, the latest text’s time replacing the earlier, the profile’s start kept', async () => {
      // Prepare
      const phone = newResident();
      await store.subscribe(phone, 'whatsapp', 'parks', T1, inboundEvidence());

      // Act
      await store.recordWhatsAppWindow(phone, T2);
      await store.recordWhatsAppWindow(phone, T3);

      // Assess
      expect(await store.getProfile(phone)).toMatchObject({ createdAt: T1, whatsappWindowOpenedAt: T3, optedOut: {} });
    });

    it('reads the profiles of the residents it knows among some numbers, each once', async () => {
      // Prepare
      const [known, unknown] = [newResident(), newResident()];
      await store.updateProfile(known, 'sms', { area: 'CF10' }, T1, inboundEvidence({ text: 'AREA CF10' }));

      // Act
      const profiles = await store.profilesOf([known, unknown, known], { consistent: true });

      // Assess
      expect([...profiles.keys()]).toEqual([known]);
      expect(profiles.get(known)).toMatchObject({ phone: known, area: 'CF10', createdAt: T1 });
    });

    it('an inferred language never replaces a chosen one, and both changes are on the record', async () => {
      // Prepare
      const phone = newResident();
      await store.updateProfile(phone, 'sms', { language: 'cy' }, T1, inboundEvidence({ text: 'LANG CY' }));

      // Act
      const kept = await store.keepInferredLanguage(phone, 'sms', 'es', T2, inboundEvidence({ text: 'UNIRSE PARKS' }));

      // Assess
      expect(kept).toBe(false);
      expect(await store.getProfile(phone)).toMatchObject({ language: 'cy', languageSource: 'chosen' });
      expect((await store.consentHistory(phone)).map((event) => event.changes)).toEqual([{ language: 'cy' }, { language: 'es', languageSource: 'inferred' }]);
    });

    it('the records one text makes at one time come back in the same order from every store (ARDAL CF10 sets an area and tells Welsh)', async () => {
      // Prepare: by record key, the area's (provider aws-sms) sorts before the language's in DynamoDB.
      const [phone, other] = [newResident(), newResident()];
      const ardal = (id: string) => inboundEvidence({ provider: 'aws-sms', providerMessageId: id, text: 'ARDAL CF10' });
      const changes = async (resident: string) => (await store.consentHistory(resident)).map((event) => event.changes);

      // Act
      await store.updateProfile(phone, 'sms', { area: 'CF10' }, T1, ardal('aws-1'));
      await store.keepInferredLanguage(phone, 'sms', 'cy', T1, ardal('aws-1'));
      await store.keepInferredLanguage(other, 'sms', 'cy', T1, ardal('aws-2'));
      await store.updateProfile(other, 'sms', { area: 'CF10' }, T1, ardal('aws-2'));

      // Assess
      const expected = [{ area: 'CF10' }, { language: 'cy', languageSource: 'inferred' }];
      expect([await changes(phone), await changes(other)]).toEqual([expected, expected]);
    });
  });
}
