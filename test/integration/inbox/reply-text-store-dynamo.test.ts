import { DynamoReplyTextStore } from '../../../shared/adapters/dynamo/reply-text-store.js';
import { freshTable } from '../../support/dynamo-table.js';
import { replyTextStoreContract } from './reply-text-store.contract.js';

/** The DynamoDB store, each case on a fresh table in the run's dynalite, held to the reply text store's contract. */
replyTextStoreContract('DynamoReplyTextStore', async () => {
  const { tableName, documents } = await freshTable('crier-reply-texts');
  return [new DynamoReplyTextStore(documents, tableName), new DynamoReplyTextStore(documents, tableName)];
});
