import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../../shared/adapters/dynamo/keys.js';
import { DynamoSubscriberStore } from '../../../shared/adapters/dynamo/subscriber-store.js';
import { DynamoTopicIndex } from '../../../shared/adapters/dynamo/topic-index.js';
import { DynamoTopicStore } from '../../../shared/adapters/dynamo/topic-store.js';
import { defaultRetention } from '../../../shared/retention/periods.js';
import { freshTable } from '../../support/dynamo-table.js';
import { testPhoneHasher } from '../../support/phone-hash.js';
import { subscriberStoreConsentContract } from './subscriber-store.contract.js';
import { SHARDS, subscriberStoreUpkeepContract } from './subscriber-store-upkeep.contract.js';

/** The DynamoDB store, on a fresh table in the run's dynalite, held to the consent contract. */
subscriberStoreConsentContract(
  'DynamoSubscriberStore',
  async () => {
    const table = await freshTable('crier-consent-contract');
    return new DynamoSubscriberStore(table.documents, table.tableName, 4, defaultRetention, testPhoneHasher);
  },
  500,
);

/** And to the rest of the contract, with the topic index and counters it feeds; a record's expiry is its profile's TTL attribute. */
subscriberStoreUpkeepContract(
  'DynamoSubscriberStore',
  async () => {
    const table = await freshTable('crier-upkeep-contract');
    return {
      subscribers: new DynamoSubscriberStore(table.documents, table.tableName, SHARDS, defaultRetention, testPhoneHasher),
      topicIndex: new DynamoTopicIndex(table.documents, table.tableName),
      topics: new DynamoTopicStore(table.documents, table.tableName, SHARDS),
      recordExpiresAt: async (phone) => {
        const { Item } = await table.documents.send(new GetCommand({ TableName: table.tableName, Key: keys.profile(phone), ConsistentRead: true }));
        return typeof Item?.expiresAt === 'number' ? Item.expiresAt : undefined;
      },
    };
  },
  800,
);
