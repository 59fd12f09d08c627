import { dynamoStores } from '../../../shared/adapters/dynamo/stores.js';
import { freshTable } from '../../support/dynamo-table.js';
import { INDEX_SHARDS, topicIndexContract } from './topic-index.contract.js';

/** The DynamoDB index, on a fresh table in the run's dynalite, held to the topic index's contract. */
topicIndexContract('DynamoTopicIndex', async () => {
  const table = await freshTable('crier-topic-index-contract');
  const stores = dynamoStores(table.documents, table.tableName, INDEX_SHARDS);
  return { subscribers: stores.subscribers, topicIndex: stores.topicIndex };
});
