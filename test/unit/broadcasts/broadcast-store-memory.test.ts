import { InMemoryBroadcastStore } from '../../support/in-memory-stores.js';
import { broadcastStoreContract } from '../../integration/broadcasts/broadcast-store.contract.js';

/** The tests' in-memory store, held to the same contract as the DynamoDB one. */
broadcastStoreContract('InMemoryBroadcastStore', async () => new InMemoryBroadcastStore());
