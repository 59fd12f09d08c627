import { InMemoryProviderHealthStore } from '../../support/in-memory-provider-health.js';
import { providerHealthStoreContract } from '../../integration/sending/provider-health-store.contract.js';

/** The tests' in-memory store, held to the same contract as the DynamoDB one. */
providerHealthStoreContract('InMemoryProviderHealthStore', async () => new InMemoryProviderHealthStore());
