import { DeleteCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ERASED } from '../../../domain/erasure.js';
import { decodeMessageCursor, encodeMessageCursor } from '../../../broadcasts/message-cursor.js';
import type { MessageRecord } from '../../../sending/message-store.js';
import type { Page } from '../../../ports/page.js';
import { broadcastMessagesPartitions, parseBroadcastMessageId } from '../message-keys.js';
import { toRecord, type MessageTable } from './table.js';

/** The message store's records part: reading records by id or by broadcast, and forgetting or anonymising them. */
export class DynamoMessageRecords {
  constructor(private readonly table: MessageTable) {}

  async getMany(messageIds: readonly string[]): Promise<MessageRecord[]> {
    const unique = [...new Set(messageIds)];
    if (unique.length === 0) return [];
    return (await this.table.readMany(unique)).map(toRecord);
  }

  /** Reads first: most candidate ids (broadcasts the resident was not sent) have no record. */
  async forget(messageIds: readonly string[]): Promise<number> {
    const unique = [...new Set(messageIds)];
    if (unique.length === 0) return 0;
    const found = await this.table.readMany(unique, 'pk, sk');
    for (const item of found) {
      await this.table.documents.send(new DeleteCommand({ TableName: this.table.tableName, Key: { pk: item.pk, sk: item.sk } }));
    }
    return found.length;
  }

  async anonymiseRecipient(messageId: string): Promise<void> {
    await this.table.updateExisting(messageId, (Key) =>
      new UpdateCommand({
        TableName: this.table.tableName,
        Key,
        UpdateExpression: 'SET #to = :erased',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#to': 'to' },
        ExpressionAttributeValues: { ':erased': ERASED },
      }),
    );
  }

  /**
   * A Query on each of the broadcast's message partitions (message-keys.ts), side by side, after
   * the cursor's number; merged by number, so a page is what one sorted listing would give. Each
   * partition is asked for a page and one more (all of a page may sit in one), eventually
   * consistent (half the read cost): reports are rare, and a message erased meanwhile is simply
   * not in the page.
   */
  async listByBroadcast(broadcastId: string, limit: number, cursor: string | undefined): Promise<Page<MessageRecord>> {
    const after = cursor === undefined ? undefined : parseBroadcastMessageId(decodeMessageCursor(cursor, broadcastId))?.digits;
    const found = await Promise.all(broadcastMessagesPartitions(broadcastId).map((pk) => this.queryPartition(pk, limit + 1, after)));
    const merged = found.flat().sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
    const items = merged.slice(0, limit).map(toRecord);
    const last = items.at(-1);
    // One item more than the page was asked for: a cursor only when another page follows.
    return { items, cursor: merged.length > limit && last ? encodeMessageCursor(last.messageId) : undefined };
  }

  /** Up to `wanted` items of one partition whose sort key comes after `after`, across the Query's own 1 MB pages. */
  private async queryPartition(pk: string, wanted: number, after: string | undefined): Promise<(Record<string, unknown> & { sk: string })[]> {
    const items: (Record<string, unknown> & { sk: string })[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const response: { Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> } = await this.table.documents.send(
        new QueryCommand({
          TableName: this.table.tableName,
          KeyConditionExpression: after === undefined ? 'pk = :pk' : 'pk = :pk AND sk > :after',
          ExpressionAttributeValues: { ':pk': pk, ...(after === undefined ? {} : { ':after': after }) },
          Limit: wanted - items.length,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      items.push(...((response.Items ?? []) as (Record<string, unknown> & { sk: string })[]));
      startKey = response.LastEvaluatedKey;
    } while (startKey && items.length < wanted);
    return items;
  }
}
