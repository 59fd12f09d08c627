import { DynamoImportBatchStore } from '../../../shared/adapters/dynamo/import-batch-store.js';
import { freshTable } from '../../support/dynamo-table.js';
import { importBatchStoreContract } from './import-batch-store.contract.js';

/** The DynamoDB store, on a fresh table in the run's dynalite for each case, held to the import batch store's contract. */
importBatchStoreContract('DynamoImportBatchStore', async () => {
  const table = await freshTable('crier-import-batches');
  return new DynamoImportBatchStore(table.documents, table.tableName);
});
