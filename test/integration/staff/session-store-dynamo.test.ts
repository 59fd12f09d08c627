import { DynamoSessionStore, DynamoSignInAttemptStore } from '../../../shared/adapters/dynamo/session-store.js';
import { freshTable } from '../../support/dynamo-table.js';
import { sessionStoreContract } from './session-store.contract.js';

/** The DynamoDB stores, on a fresh table in the run's dynalite for each case, held to the session stores' contract. */
sessionStoreContract('DynamoSessionStore and DynamoSignInAttemptStore', async () => {
  const table = await freshTable('crier-sessions');
  return { sessions: new DynamoSessionStore(table.documents, table.tableName), attempts: new DynamoSignInAttemptStore(table.documents, table.tableName) };
});
