import { z } from 'zod';
import { countReceipts } from '../../shared/broadcasts/count-receipts.js';
import type { MessageChange, MessageImage } from '../../shared/broadcasts/receipt-counts.js';
import { tableEnvSchema } from '../../shared/config/env.js';
import { messageStatusSchema } from '../../shared/domain/model.js';
import { logger } from '../../shared/runtime/logger.js';
import { tableStreamFunction, type TableStreamRecord } from '../../shared/runtime/table-stream-function.js';
import { coreDependencies } from '../wiring.js';

/** The attributes of a message image the counters read, in the stream's attribute-value form. */
const messageImageSchema = z.object({
  type: z.object({ S: z.literal('message') }),
  status: z.object({ S: messageStatusSchema }),
  broadcastId: z.object({ S: z.string().min(1) }).optional(),
  receipts: z.object({ L: z.array(z.unknown()) }).optional(),
});

/** A message's image, or undefined for any other item (the stream carries the whole table). */
function messageImageOf(image: Record<string, unknown> | undefined): MessageImage | undefined {
  const parsed = messageImageSchema.safeParse(image);
  if (!parsed.success) return undefined;
  const { status, broadcastId, receipts } = parsed.data;
  return { status: status.S, receipts: receipts?.L.length ?? 0, ...(broadcastId ? { broadcastId: broadcastId.S } : {}) };
}

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
