import { InMemoryDepartmentStore } from '../../support/in-memory-stores.js';
import { departmentStoreContract } from '../../integration/usage/department-store.contract.js';

/** The tests' in-memory store, held to the same contract as the DynamoDB one. */
departmentStoreContract('InMemoryDepartmentStore', async () => new InMemoryDepartmentStore());
