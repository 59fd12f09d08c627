import { InMemorySubscriberStore, InMemoryTopicStore } from '../../support/in-memory-stores.js';
import { subscriberStoreConsentContract } from '../../integration/consent/subscriber-store.contract.js';
import { SHARDS, subscriberStoreUpkeepContract } from '../../integration/consent/subscriber-store-upkeep.contract.js';

/** The tests' in-memory store, held to the same consent contract as the DynamoDB one. */
subscriberStoreConsentContract('InMemorySubscriberStore', async () => new InMemorySubscriberStore(4), 500);

/** And to the rest of it: the store is its own topic index, and the topic store counts from it. */
subscriberStoreUpkeepContract(
  'InMemorySubscriberStore',
  async () => {
    const subscribers = new InMemorySubscriberStore(SHARDS);
    return { subscribers, topicIndex: subscribers, topics: new InMemoryTopicStore(subscribers), recordExpiresAt: async (phone) => subscribers.recordExpiry.get(phone) };
  },
  800,
);
