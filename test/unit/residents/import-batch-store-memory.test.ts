import { InMemoryImportBatchStore } from '../../support/in-memory-stores.js';
import { importBatchStoreContract } from '../../integration/residents/import-batch-store.contract.js';

/** The tests' in-memory store, held to the same contract as the DynamoDB one. */
importBatchStoreContract('InMemoryImportBatchStore', async () => new InMemoryImportBatchStore());
