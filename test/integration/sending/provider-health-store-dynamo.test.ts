import { DynamoProviderHealthStore } from '../../../shared/adapters/dynamo/provider-health-store.js';
import { freshTable } from '../../support/dynamo-table.js';
import { providerHealthStoreContract } from './provider-health-store.contract.js';

/** The DynamoDB store, each case on a fresh table in the run's dynalite, held to the provider health store's contract. */
providerHealthStoreContract('DynamoProviderHealthStore', async () => {
  const table = await freshTable('crier-health-contract');
  return new DynamoProviderHealthStore(table.documents, table.tableName);
});
