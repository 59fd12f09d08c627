import { InMemoryStaffStore } from '../../support/in-memory-staff-store.js';
import { staffStoreContract } from '../../integration/staff/staff-store.contract.js';

/** The tests' in-memory store, held to the same contract as the DynamoDB one. */
staffStoreContract('InMemoryStaffStore', async () => new InMemoryStaffStore());
