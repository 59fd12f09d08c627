import { DynamoApiKeyStore } from '../../../shared/adapters/dynamo/api-key-store.js';
import { DynamoAuditLog } from '../../../shared/adapters/dynamo/audit-log.js';
import { freshTable } from '../../support/dynamo-table.js';
import { keysAndAuditContract } from './keys-and-audit.contract.js';

/** The DynamoDB stores, each case on a fresh table in the run's dynalite, held to their contracts. */
keysAndAuditContract('DynamoDB', {
  apiKeys: async () => {
    const table = await freshTable('crier-keys-contract');
    return new DynamoApiKeyStore(table.documents, table.tableName);
  },
  audit: async () => {
    const table = await freshTable('crier-audit-contract');
    return new DynamoAuditLog(table.documents, table.tableName);
  },
});
