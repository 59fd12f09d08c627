import { InMemorySubscriberStore } from '../../support/in-memory-stores.js';
import { INDEX_SHARDS, topicIndexContract } from '../../integration/topics/topic-index.contract.js';

/** The tests' in-memory subscriber store, which plays the topic index, held to the same contract as the DynamoDB index. */
topicIndexContract('InMemorySubscriberStore as the topic index', async () => {
  const store = new InMemorySubscriberStore(INDEX_SHARDS);
  return { subscribers: store, topicIndex: store };
});
