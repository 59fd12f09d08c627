import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { MessageStatus } from '../../../domain/model.js';
import { statusRank } from '../../../domain/status-precedence.js';
import type { ProviderPrice } from '../../../domain/costs.js';
import type { AppliedReceipt, MessageRecord } from '../../../sending/message-store.js';
import { RECEIPT_COUNTED_ON_STREAM } from '../message-stream-image.js';
import type { MessageTable } from './table.js';

/** The message store's receipts part: a provider's receipt and price on a record, and the status they leave. */
export class DynamoReceiptWrites {
  constructor(private readonly table: MessageTable) {}

  async statusOf(messageId: string): Promise<MessageRecord['status'] | undefined> {
    const Item = await this.table.readOne(
      messageId,
      (Key) => new GetCommand({ TableName: this.table.tableName, Key, ProjectionExpression: '#status', ExpressionAttributeNames: { '#status': 'status' } }),
    );
    return Item ? (Item.status as MessageRecord['status']) : undefined;
  }

  async recordProviderPrice(messageId: string, price: ProviderPrice): Promise<void> {
    // Erased or never ours: nothing to price.
    await this.table.updateExisting(messageId, (Key) =>
      new UpdateCommand({
        TableName: this.table.tableName,
        Key,
        UpdateExpression: 'SET providerPrice = :price',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':price': price },
      }),
    );
  }

  async applyReceipt(
    messageId: string,
    status: MessageStatus,
    errorCode: string | undefined,
    at: string,
  ): Promise<AppliedReceipt | undefined> {
    const updated = await this.table.updateExisting(messageId, (Key) =>
      new UpdateCommand({
        TableName: this.table.tableName,
        Key,
        UpdateExpression:
          'SET #status = :status, statusRank = :rank, updatedAt = :at, errorCode = :code, receipts = list_append(if_not_exists(receipts, :empty), :receipt)',
        // A skip's stored rank is above every receipt's; the status test is for skips written
        // before it was (ranked with the final outcomes, so a "read" receipt would have moved them).
        ConditionExpression: 'attribute_exists(pk) AND statusRank < :rank AND #status <> :skipped',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':skipped': 'skipped',
          ':status': status,
          ':rank': statusRank[status],
          ':at': at,
          ':code': errorCode ?? null,
          ':empty': [],
          // Counted from the table's change stream (countReceipts), which counts only entries that
          // say so: a receipt written during an upgrade by code that still added to the counters
          // itself is not counted twice.
          ':receipt': [{ status, at, errorCode: errorCode ?? null, counted: RECEIPT_COUNTED_ON_STREAM }],
        },
        // The item as it was: its old status and its broadcast, without a read.
        ReturnValues: 'ALL_OLD',
        // A stale receipt for a record at today's key tries no earlier key (see MessageTable.updateExisting).
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    if (!updated) return undefined;
    const { Attributes } = updated;
    return {
      previous: (Attributes?.status as MessageStatus | undefined) ?? status,
      broadcastId: typeof Attributes?.broadcastId === 'string' ? Attributes.broadcastId : undefined,
    };
  }
}
