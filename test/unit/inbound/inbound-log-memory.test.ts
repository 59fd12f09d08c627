import { InMemoryInboundLog } from '../../support/in-memory-stores.js';
import { inboundLogContract } from '../../integration/inbound/inbound-log.contract.js';

/** The tests' in-memory log, held to the same contract as the DynamoDB one. */
inboundLogContract('InMemoryInboundLog', async () => new InMemoryInboundLog());
