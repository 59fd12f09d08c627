import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../../shared/adapters/dynamo/keys.js';
import { DynamoSubscriberStore } from '../../../shared/adapters/dynamo/subscriber-store.js';
import { DynamoTopicIndex } from '../../../shared/adapters/dynamo/topic-index.js';
import { DynamoTopicStore } from '../../../shared/adapters/dynamo/topic-store.js';
import { defaultRetention } from '../../../shared/retention/periods.js';
import { freshTable, type TestTable } from '../../support/dynamo-table.js';
import { testPhoneHasher } from '../../support/phone-hash.js';
import { profileStoreContract } from '../residents/profile-store.contract.js';
import { consentStoreContract } from './consent-store.contract.js';
import { erasureStoreContract } from './erasure-store.contract.js';
import { importStoreContract } from './import-store.contract.js';
import { SHARDS, subscriptionsFeedContract } from './subscriptions-feed.contract.js';

/*
 * The DynamoDB subscriber store, each part on a fresh table in the run's dynalite, held to the
 * contract of each of its ports (consent, profile, erasure, import) and to what its subscriptions
 * feed (the topic index and the topic's counters).
 */

const subscribersOn = (table: TestTable) => new DynamoSubscriberStore(table.documents, table.tableName, SHARDS, defaultRetention, testPhoneHasher);

consentStoreContract('DynamoSubscriberStore', async () => subscribersOn(await freshTable('crier-consent-contract')), 500);

profileStoreContract('DynamoSubscriberStore', async () => subscribersOn(await freshTable('crier-profile-contract')), 600);

/** A record's expiry is its profile's TTL attribute. */
erasureStoreContract(
  'DynamoSubscriberStore',
  async () => {
    const table = await freshTable('crier-erasure-contract');
    return {
      subscribers: subscribersOn(table),
      recordExpiresAt: async (phone) => {
        const { Item } = await table.documents.send(new GetCommand({ TableName: table.tableName, Key: keys.profile(phone), ConsistentRead: true }));
        return typeof Item?.expiresAt === 'number' ? Item.expiresAt : undefined;
      },
    };
  },
  700,
);

importStoreContract('DynamoSubscriberStore', async () => subscribersOn(await freshTable('crier-import-contract')), 900);

subscriptionsFeedContract(
  'DynamoSubscriberStore',
  async () => {
    const table = await freshTable('crier-feed-contract');
    return {
      subscribers: subscribersOn(table),
      topicIndex: new DynamoTopicIndex(table.documents, table.tableName),
      topics: new DynamoTopicStore(table.documents, table.tableName, SHARDS),
    };
  },
  800,
);
