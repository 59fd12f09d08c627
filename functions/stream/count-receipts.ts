import { countReceipts } from '../../shared/broadcasts/count-receipts.js';
import type { MessageChange } from '../../shared/broadcasts/receipt-counts.js';
import { messageImageOf } from '../../shared/adapters/dynamo/message-stream-image.js';
import { tableEnvSchema } from '../../shared/config/env.js';
import { logger } from '../../shared/runtime/logger.js';
import { tableStreamFunction, type TableStreamRecord } from '../../shared/runtime/table-stream-function.js';
import { coreDependencies } from '../wiring.js';

function changeOf(record: TableStreamRecord, shard: string): MessageChange {
  return {
    shard,
    sequence: record.dynamodb.SequenceNumber,
    before: messageImageOf(record.dynamodb.OldImage),
    after: messageImageOf(record.dynamodb.NewImage),
  };
}

/** Counts delivery receipts on their broadcasts, a batch of the table's changes at a time. */
export const handler = tableStreamFunction({
  envSchema: tableEnvSchema,
  dependencies: (env) => coreDependencies(env),
  processBatch: async (event, deps) => {
    const outcome = await countReceipts(deps.stores.broadcasts, event.Records.map((record) => changeOf(record, event.shardId)));
    logger.info('receipts counted', { records: event.Records.length, ...outcome });
  },
});
