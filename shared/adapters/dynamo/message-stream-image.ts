import { z } from 'zod';
import type { MessageImage } from '../../broadcasts/receipt-counts.js';
import { messageStatusSchema } from '../../domain/model.js';

/** What a receipt entry on a message says when the change stream counts it (see DynamoMessageStore.applyReceipt). */
export const RECEIPT_COUNTED_ON_STREAM = 'stream';

/** The attributes of a message image the receipt counters read, in the stream's attribute-value form. */
const messageImageSchema = z.object({
  type: z.object({ S: z.literal('message') }),
  status: z.object({ S: messageStatusSchema }),
  broadcastId: z.object({ S: z.string().min(1) }).optional(),
  receipts: z.object({ L: z.array(z.unknown()) }).optional(),
});

const countedEntrySchema = z.object({ M: z.object({ counted: z.object({ S: z.literal(RECEIPT_COUNTED_ON_STREAM) }) }) });

/** A message's image as the table's change stream carries it, or undefined for any other item. */
export function messageImageOf(image: Record<string, unknown> | undefined): MessageImage | undefined {
  const parsed = messageImageSchema.safeParse(image);
  if (!parsed.success) return undefined;
  const { status, broadcastId, receipts } = parsed.data;
  const entries = receipts?.L ?? [];
  return {
    status: status.S,
    receipts: entries.length,
    lastReceiptCountedOnStream: countedEntrySchema.safeParse(entries.at(-1)).success,
    ...(broadcastId ? { broadcastId: broadcastId.S } : {}),
  };
}
