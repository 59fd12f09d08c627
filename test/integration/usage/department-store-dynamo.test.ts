import { DynamoDepartmentStore } from '../../../shared/adapters/dynamo/department-store.js';
import { freshTable } from '../../support/dynamo-table.js';
import { departmentStoreContract } from './department-store.contract.js';

/** The DynamoDB store, on a fresh table in the run's dynalite, held to the department store's contract. */
departmentStoreContract('DynamoDepartmentStore', async () => {
  const table = await freshTable('crier-department-contract');
  return new DynamoDepartmentStore(table.documents, table.tableName);
});
