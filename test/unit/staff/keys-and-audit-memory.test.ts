import { InMemoryApiKeyStore, InMemoryAuditLog } from '../../support/in-memory-stores.js';
import { keysAndAuditContract } from '../../integration/staff/keys-and-audit.contract.js';

/** The tests' in-memory stores, held to the same contracts as the DynamoDB ones. */
keysAndAuditContract('In memory', { apiKeys: async () => new InMemoryApiKeyStore(), audit: async () => new InMemoryAuditLog() });
