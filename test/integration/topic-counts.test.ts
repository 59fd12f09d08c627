import { describe, expect, it } from 'vitest';
import { DynamoSubscriberStore } from '../../shared/adapters/dynamo/subscriber-store.js';
import { DynamoTopicStore } from '../../shared/adapters/dynamo/topic-store.js';
import type { SubscriberStore } from '../../shared/consent/subscriber-store.js';
import type { TopicStore } from '../../shared/topics/topic-store.js';
import { aPhone, adminEvidence, inboundEvidence } from '../support/builders.js';
import { freshTable } from '../support/dynamo-table.js';
import { inMemoryStores } from '../support/in-memory-stores.js';
import { testPhoneHasher } from '../support/phone-hash.js';

const AT = '2025-03-01T09:00:00.000Z';
const importEvidence = { kind: 'import' as const, batchId: 'imp-1', actor: 'key-1', collectedBy: 'Youth club', collectedAt: AT, method: 'paper form' };

const stores: Record<string, () => Promise<{ subscribers: SubscriberStore; topics: TopicStore }>> = {
  'the DynamoDB counters': async () => {
    const table = await freshTable('crier-topic-counts');
    return {
      subscribers: new DynamoSubscriberStore(table.documents, table.tableName, 4, undefined, testPhoneHasher),
      topics: new DynamoTopicStore(table.documents, table.tableName, 4),
    };
  },
  'the in-memory store (counted from its state)': async () => {
    const memory = inMemoryStores(4);
    return { subscribers: memory.subscribers, topics: memory.topics };
  },
};

describe.each(Object.keys(stores))('topic subscriber counts by channel and language: %s', (name) => {
  it('stay exact through JOIN, LANG, an inferred language, STOP, START, import and its undo, and erasure', async () => {
    // Prepare
    const { subscribers, topics } = await stores[name]!();
    const [a, b, c, d] = [aPhone(701), aPhone(702), aPhone(703), aPhone(704)];

    // Act
    await subscribers.subscribe(a, 'sms', 'youth', AT, inboundEvidence());
    await subscribers.subscribe(a, 'whatsapp', 'youth', AT, inboundEvidence());
    await subscribers.updateProfile(a, 'sms', { language: 'cy' }, AT, adminEvidence());
    await subscribers.subscribe(b, 'sms', 'youth', AT, inboundEvidence());
    await subscribers.keepInferredLanguage(b, 'sms', 'es', AT, inboundEvidence({ providerMessageId: 'SMes' }));
    await subscribers.optOut(b, 'sms', AT, inboundEvidence({ providerMessageId: 'SMstop' }));
    await subscribers.restore(b, 'sms', AT, inboundEvidence({ providerMessageId: 'SMstart' }));
    await subscribers.importSubscription({ phone: c, channel: 'sms', topicId: 'youth', profile: { language: 'en' } }, AT, importEvidence);
    await subscribers.importSubscription({ phone: d, channel: 'whatsapp', topicId: 'youth', profile: {} }, AT, importEvidence);
    await subscribers.undoImport({ phone: d, channel: 'whatsapp', topicId: 'youth', profile: {} }, 'imp-1');
    await subscribers.beginErasure(a, AT, 'key-1');
    await subscribers.erase(a, AT, 'key-1');

    // Assess: left are b (sms, Spanish inferred) and c (sms, English imported)
    expect(await topics.subscriberCounts('youth')).toEqual({ total: 2, byChannel: { sms: 2, whatsapp: 0 }, byLanguage: { en: 1, cy: 0, es: 1, none: 0 } });
  });

  it('moves every subscription of a resident with their language', async () => {
    // Prepare
    const { subscribers, topics } = await stores[name]!();
    const phone = aPhone(710);
    await subscribers.subscribe(phone, 'sms', 'youth', AT, inboundEvidence());
    await subscribers.subscribe(phone, 'sms', 'bins', AT, inboundEvidence({ providerMessageId: 'SMbins' }));

    // Act
    await subscribers.updateProfile(phone, 'sms', { language: 'cy' }, AT, adminEvidence());
    await subscribers.updateProfile(phone, 'sms', { language: 'en' }, AT, adminEvidence({ reason: 'asked again' }));

    // Assess
    for (const topic of ['youth', 'bins']) {
      expect((await topics.subscriberCounts(topic)).byLanguage).toEqual({ en: 1, cy: 0, es: 0, none: 0 });
    }
  });
});
