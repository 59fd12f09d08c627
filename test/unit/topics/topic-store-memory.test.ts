import { inMemoryStores } from '../../support/in-memory-stores.js';
import { SHARDS, topicStoreContract } from '../../integration/topics/topic-store.contract.js';

/** The tests' in-memory store (counting from the subscriber store's state), held to the same contract as the DynamoDB one. */
topicStoreContract('InMemoryTopicStore', async () => {
  const stores = inMemoryStores(SHARDS);
  return { topics: stores.topics, subscribers: stores.subscribers };
});
