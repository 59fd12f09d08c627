import { DynamoBroadcastStore } from '../../../shared/adapters/dynamo/broadcast-store.js';
import { freshTable } from '../../support/dynamo-table.js';
import { broadcastStoreContract } from './broadcast-store.contract.js';

/** The DynamoDB store, on a fresh table in the run's dynalite, held to the broadcast store's contract. */
broadcastStoreContract('DynamoBroadcastStore', async () => {
  const table = await freshTable('crier-broadcast-contract');
  return new DynamoBroadcastStore(table.documents, table.tableName);
});
