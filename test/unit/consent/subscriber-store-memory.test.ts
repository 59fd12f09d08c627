import { InMemorySubscriberStore, InMemoryTopicStore } from '../../support/in-memory-stores.js';
import { consentStoreContract } from '../../integration/consent/consent-store.contract.js';
import { erasureStoreContract } from '../../integration/consent/erasure-store.contract.js';
import { importStoreContract } from '../../integration/consent/import-store.contract.js';
import { SHARDS, subscriptionsFeedContract } from '../../integration/consent/subscriptions-feed.contract.js';
import { profileStoreContract } from '../../integration/residents/profile-store.contract.js';

/* The tests' in-memory subscriber store, held to the same contracts, port by port, as the DynamoDB one. */

consentStoreContract('InMemorySubscriberStore', async () => new InMemorySubscriberStore(SHARDS), 500);

profileStoreContract('InMemorySubscriberStore', async () => new InMemorySubscriberStore(SHARDS), 600);

erasureStoreContract(
  'InMemorySubscriberStore',
  async () => {
    const subscribers = new InMemorySubscriberStore(SHARDS);
    return { subscribers, recordExpiresAt: async (phone) => subscribers.recordExpiry.get(phone) };
  },
  700,
);

importStoreContract('InMemorySubscriberStore', async () => new InMemorySubscriberStore(SHARDS), 900);

/** The store is its own topic index, and the topic store counts from it. */
subscriptionsFeedContract(
  'InMemorySubscriberStore',
  async () => {
    const subscribers = new InMemorySubscriberStore(SHARDS);
    return { subscribers, topicIndex: subscribers, topics: new InMemoryTopicStore(subscribers) };
  },
  800,
);
