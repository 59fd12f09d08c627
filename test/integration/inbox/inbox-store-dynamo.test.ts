import { DynamoInboxStore } from '../../../shared/adapters/dynamo/inbox-store.js';
import { freshTable } from '../../support/dynamo-table.js';
import { inboxStoreContract } from './inbox-store.contract.js';

/** The DynamoDB store, on a fresh table in the run's dynalite, held to the inbox store's contract. */
inboxStoreContract('DynamoInboxStore', async () => {
  const table = await freshTable('crier-inbox-contract');
  return new DynamoInboxStore(table.documents, table.tableName);
});
