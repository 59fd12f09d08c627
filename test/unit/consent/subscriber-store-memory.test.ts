import { InMemorySubscriberStore } from '../../support/in-memory-stores.js';
import { subscriberStoreConsentContract } from '../../integration/consent/subscriber-store.contract.js';

/** The tests' in-memory store, held to the same consent contract as the DynamoDB one. */
subscriberStoreConsentContract('InMemorySubscriberStore', async () => new InMemorySubscriberStore(4), 500);
