import { GetCommand, PutCommand, type DynamoDBDocumentClient, type UpdateCommand, type UpdateCommandOutput } from '@aws-sdk/lib-dynamodb';
import { recordRank } from '../../../domain/status-precedence.js';
import type { MessageRecord } from '../../../sending/message-store.js';
import type { RetentionPeriods } from '../../../retention/periods.js';
import { expiresAt } from '../../../retention/schedule.js';
import { batchGetAll } from '../batch-get.js';
import { isConditionFailure } from '../conditions.js';
import { keys } from '../keys.js';
import { earlierMessageKey, type MessageKey } from '../message-keys.js';

/**
 * The reads and writes that several parts of the message store share: one record or many by id
 * (at the id's key, then at the key a record of that id had before broadcast messages moved,
 * message-keys.ts), a conditional update of an existing record, and the put that claims an id.
 */
export class MessageTable {
  constructor(
    readonly documents: DynamoDBDocumentClient,
    readonly tableName: string,
    private readonly retention: RetentionPeriods,
  ) {}

  async get(messageId: string): Promise<MessageRecord | undefined> {
    const Item = await this.readOne(messageId, (Key) => new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }));
    return Item ? toRecord(Item) : undefined;
  }

  /**
   * One item by its id's key; on a miss, at the key a record of that id had before broadcast
   * messages moved (message-keys.ts): one request more, only then.
   */
  async readOne(messageId: string, read: (key: MessageKey) => GetCommand): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.documents.send(read(keys.message(messageId)));
    if (Item) return Item;
    const earlier = earlierMessageKey(messageId);
    return earlier ? (await this.documents.send(read(earlier))).Item : undefined;
  }

  /** Items by their ids' keys, read strongly; those missed, again at their earlier keys in one more batch. */
  async readMany(messageIds: readonly string[], projection?: string): Promise<Record<string, unknown>[]> {
    const found = await batchGetAll(this.documents, this.tableName, messageIds.map(keys.message), withKeys(projection), true);
    const seen = new Set(found.map((item) => `${String(item.pk)}\n${String(item.sk)}`));
    const earlier = messageIds.flatMap((messageId) => {
      const key = keys.message(messageId);
      const before = seen.has(`${key.pk}\n${key.sk}`) ? undefined : earlierMessageKey(messageId);
      return before ? [before] : [];
    });
    if (earlier.length === 0) return found;
    return [...found, ...(await batchGetAll(this.documents, this.tableName, earlier, withKeys(projection), true))];
  }

  /**
   * A conditional update of an existing record; when its condition fails at the id's key, the same
   * update at the key an earlier version wrote it under (a receipt for a message sent before the
   * move). Undefined when neither holds (no record, or one the update may not change).
   */
  async updateExisting(messageId: string, update: (key: MessageKey) => UpdateCommand): Promise<UpdateCommandOutput | undefined> {
    for (const key of [keys.message(messageId), earlierMessageKey(messageId)]) {
      if (!key) continue;
      try {
        return await this.documents.send(update(key));
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        // DynamoDB returns the item that failed the condition (dynalite does not): a record there
        // means this update may not change it, not that an earlier one is to be looked for.
        if ((error as { Item?: unknown }).Item !== undefined) return undefined;
      }
    }
    return undefined;
  }

  async putIfAbsent(record: MessageRecord): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.message(record.messageId),
            type: 'message',
            ...record,
            // The rank is stored beside the status so precedence is one condition expression.
            statusRank: recordRank(record.status),
            expiresAt: expiresAt({ kind: 'message', createdAt: record.createdAt }, this.retention),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

/** A projection that keeps the keys, which readMany tells found items by. */
function withKeys(projection: string | undefined): string | undefined {
  return projection === undefined || /\bpk\b/.test(projection) ? projection : `pk, sk, ${projection}`;
}

/** The record without the item's keys and bookkeeping. */
export function toRecord(item: Record<string, unknown>): MessageRecord {
  const {
    pk: _pk,
    sk: _sk,
    type: _type,
    statusRank: _rank,
    receipts: _receipts,
    expiresAt: _expiresAt,
    // Written by versions that listed a broadcast's messages through a secondary index.
    byBroadcast: _byBroadcast,
    errorCode,
    ...record
  } = item;
  // Failures and receipts without a code write null (an UpdateExpression cannot SET undefined);
  // the record's code is a string or absent.
  return { ...record, ...(errorCode === null || errorCode === undefined ? {} : { errorCode }) } as unknown as MessageRecord;
}
