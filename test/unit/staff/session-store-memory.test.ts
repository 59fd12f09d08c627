import { InMemorySessionStore, InMemorySignInAttemptStore } from '../../support/in-memory-session-store.js';
import { sessionStoreContract } from '../../integration/staff/session-store.contract.js';

/** The tests' in-memory stores, held to the same contract as the DynamoDB ones. */
sessionStoreContract('InMemorySessionStore and InMemorySignInAttemptStore', async () => ({
  sessions: new InMemorySessionStore(),
  attempts: new InMemorySignInAttemptStore(),
}));
