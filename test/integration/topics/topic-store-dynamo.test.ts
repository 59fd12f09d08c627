import { DynamoSubscriberStore } from '../../../shared/adapters/dynamo/subscriber-store.js';
import { DynamoTopicStore } from '../../../shared/adapters/dynamo/topic-store.js';
import { freshTable } from '../../support/dynamo-table.js';
import { testPhoneHasher } from '../../support/phone-hash.js';
import { SHARDS, topicStoreContract } from './topic-store.contract.js';

/** The DynamoDB store (counters and all), on a fresh table in the run's dynalite, held to the topic store's contract. */
topicStoreContract('DynamoTopicStore', async () => {
  const table = await freshTable('crier-topic-contract');
  return {
    topics: new DynamoTopicStore(table.documents, table.tableName, SHARDS),
    subscribers: new DynamoSubscriberStore(table.documents, table.tableName, SHARDS, undefined, testPhoneHasher),
  };
});
