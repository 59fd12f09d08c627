import { DynamoInboundLog } from '../../../shared/adapters/dynamo/inbound-log.js';
import { freshTable } from '../../support/dynamo-table.js';
import { inboundLogContract } from './inbound-log.contract.js';

/** The DynamoDB log, on a fresh table in the run's dynalite, held to the inbound log's contract. */
inboundLogContract('DynamoInboundLog', async () => {
  const table = await freshTable('crier-inbound-contract');
  return new DynamoInboundLog(table.documents, table.tableName);
});
