import { DynamoSubscriberStore } from '../../../shared/adapters/dynamo/subscriber-store.js';
import { defaultRetention } from '../../../shared/retention/periods.js';
import { freshTable } from '../../support/dynamo-table.js';
import { testPhoneHasher } from '../../support/phone-hash.js';
import { subscriberStoreConsentContract } from './subscriber-store.contract.js';

/** The DynamoDB store, on a fresh table in the run's dynalite, held to the consent contract. */
subscriberStoreConsentContract(
  'DynamoSubscriberStore',
  async () => {
    const table = await freshTable('crier-consent-contract');
    return new DynamoSubscriberStore(table.documents, table.tableName, 4, defaultRetention, testPhoneHasher);
  },
  500,
);
