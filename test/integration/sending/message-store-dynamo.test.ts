import { DynamoMessageStore } from '../../../shared/adapters/dynamo/message-store.js';
import { freshTable } from '../../support/dynamo-table.js';
import { messageStoreContract } from './message-store.contract.js';

/** The DynamoDB store, on a fresh table in the run's dynalite, held to the message store's contract. */
messageStoreContract('DynamoMessageStore', async () => {
  const table = await freshTable('crier-message-contract');
  return new DynamoMessageStore(table.documents, table.tableName);
});
