import { InMemoryReplyTextStore } from '../../support/in-memory-stores.js';
import { replyTextStoreContract } from '../../integration/inbox/reply-text-store.contract.js';

/** The tests' in-memory store (one object is both handles), held to the same contract as the DynamoDB one. */
replyTextStoreContract('InMemoryReplyTextStore', async () => {
  const store = new InMemoryReplyTextStore();
  return [store, store];
});
