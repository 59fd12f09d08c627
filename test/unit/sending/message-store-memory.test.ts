import { InMemoryMessageStore } from '../../support/in-memory-stores.js';
import { messageStoreContract } from '../../integration/sending/message-store.contract.js';

/** The tests' in-memory store, held to the same contract as the DynamoDB one. */
messageStoreContract('InMemoryMessageStore', async () => new InMemoryMessageStore());
