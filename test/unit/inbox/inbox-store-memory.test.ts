import { InMemoryInboxStore } from '../../support/in-memory-stores.js';
import { inboxStoreContract } from '../../integration/inbox/inbox-store.contract.js';

/** The tests' in-memory store, held to the same contract as the DynamoDB one. */
inboxStoreContract('InMemoryInboxStore', async () => new InMemoryInboxStore());
