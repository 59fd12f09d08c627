import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient, type UpdateCommandOutput } from '@aws-sdk/lib-dynamodb';
import { ERASED } from '../../domain/erasure.js';
import type { MessageStatus } from '../../domain/model.js';
import { recordRank, statusRank } from '../../domain/status-precedence.js';
import type { ProviderPrice } from '../../domain/costs.js';
import { decodeMessageCursor, encodeMessageCursor } from '../../broadcasts/message-cursor.js';
import {
  OUTCOME_UNKNOWN,
  type AppliedReceipt,
  type ClaimOutcome,
  type MessageRecord,
  type MessageStore,
  type SentExtras,
} from '../../sending/message-store.js';
import type { Page } from '../../ports/page.js';
import { batchGetAll } from './batch-get.js';
import { isConditionFailure } from './conditions.js';
import { RECEIPT_COUNTED_ON_STREAM } from './message-stream-image.js';
import { keys } from './keys.js';
import { broadcastMessagesPartitions, earlierMessageKey, parseBroadcastMessageId, type MessageKey } from './message-keys.js';
import { defaultRetention, type RetentionPeriods } from '../../retention/periods.js';
import { expiresAt } from '../../retention/schedule.js';

export class DynamoMessageStore implements MessageStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retention: RetentionPeriods = defaultRetention,
  ) {}

  /**
   * dynalite does not return the item with a failed condition (ReturnValuesOnConditionCheckFailure),
   * so the record that held the message is read strongly after it. Only redeliveries pay that read.
   */
  async claim(record: MessageRecord): Promise<ClaimOutcome> {
    // A claim given back (release) between the failed write and the read leaves nothing to
    // return: the message is free again, so claim it again.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      if (await this.putIfAbsent(record)) return { outcome: 'claimed' };
      const existing = await this.get(record.messageId);
      if (existing) return { outcome: 'already-claimed', existing };
    }
    throw new Error(`message ${record.messageId} was claimed and given back three times while claiming it`);
  }

  async resolveStaleClaim(messageId: string, claimedNoLaterThan: string, at: string, jobId: string): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.message(messageId),
          UpdateExpression: 'SET #status = :failed, statusRank = :rank, errorCode = :code, updatedAt = :at, jobId = :jobId',
          // A claim's updatedAt is when it was taken: nothing else writes a record still sending.
          ConditionExpression: '#status = :sending AND updatedAt <= :cutoff',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':failed': 'failed',
            ':rank': statusRank.failed,
            ':code': OUTCOME_UNKNOWN,
            ':at': at,
            ':jobId': jobId,
            ':sending': 'sending',
            ':cutoff': claimedNoLaterThan,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async getMany(messageIds: readonly string[]): Promise<MessageRecord[]> {
    const unique = [...new Set(messageIds)];
    if (unique.length === 0) return [];
    return (await this.readMany(unique)).map(toRecord);
  }

  async recordOnce(record: MessageRecord): Promise<boolean> {
    return this.putIfAbsent(record);
  }

  async get(messageId: string): Promise<MessageRecord | undefined> {
    const Item = await this.readOne(messageId, (Key) => new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }));
    return Item ? toRecord(Item) : undefined;
  }

  async markSent(
    messageId: string,
    provider: string,
    providerMessageId: string,
    at: string,
    cost?: SentExtras,
  ): Promise<void> {
    // The cost and the sender identity ride in the same write as the status (and in the fallback
    // below), never a write of their own.
    const costSet = [
      cost ? ', cost = :cost' : '',
      cost?.providerPrice ? ', providerPrice = :providerPrice' : '',
      cost?.senderId ? ', senderId = :senderId' : '',
    ].join('');
    const costValues = {
      ...(cost ? { ':cost': withoutUndefined(cost.estimate) } : {}),
      ...(cost?.providerPrice ? { ':providerPrice': cost.providerPrice } : {}),
      ...(cost?.senderId ? { ':senderId': cost.senderId } : {}),
    };
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.message(messageId),
          // A receipt may have overtaken us (delivered before we wrote sent): keep the receipt's status.
          UpdateExpression:
            `SET provider = :provider, providerMessageId = :providerMessageId, updatedAt = :at, #status = :sent, statusRank = :rank${costSet}`,
          ConditionExpression: 'attribute_exists(pk) AND statusRank < :rank',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':provider': provider,
            ':providerMessageId': providerMessageId,
            ':at': at,
            ':sent': 'sent',
            ':rank': statusRank.sent,
            ...costValues,
          },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // The receipt got there first; still record who carried the message.
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.message(messageId),
          UpdateExpression: `SET provider = :provider, providerMessageId = :providerMessageId${costSet}`,
          ExpressionAttributeValues: { ':provider': provider, ':providerMessageId': providerMessageId, ...costValues },
        }),
      );
    }
  }

  async markFailed(messageId: string, errorCode: string | undefined, at: string): Promise<void> {
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.message(messageId),
        UpdateExpression: 'SET #status = :failed, statusRank = :rank, errorCode = :code, updatedAt = :at',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':failed': 'failed', ':rank': statusRank.failed, ':code': errorCode ?? null, ':at': at },
      }),
    );
  }

  async release(messageId: string): Promise<void> {
    await this.documents.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: keys.message(messageId),
        ConditionExpression: '#status = :sending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sending': 'sending' },
      }),
    ).catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
  }

  async statusOf(messageId: string): Promise<MessageRecord['status'] | undefined> {
    const Item = await this.readOne(
      messageId,
      (Key) => new GetCommand({ TableName: this.tableName, Key, ProjectionExpression: '#status', ExpressionAttributeNames: { '#status': 'status' } }),
    );
    return Item ? (Item.status as MessageRecord['status']) : undefined;
  }

  async recordProviderPrice(messageId: string, price: ProviderPrice): Promise<void> {
    // Erased or never ours: nothing to price.
    await this.updateExisting(messageId, (Key) =>
      new UpdateCommand({
        TableName: this.tableName,
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
    const updated = await this.updateExisting(messageId, (Key) =>
      new UpdateCommand({
        TableName: this.tableName,
        Key,
        UpdateExpression:
          'SET #status = :status, statusRank = :rank, updatedAt = :at, errorCode = :code, receipts = list_append(if_not_exists(receipts, :empty), :receipt)',
        ConditionExpression: 'attribute_exists(pk) AND statusRank < :rank',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
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
        // A stale receipt for a record at today's key tries no earlier key (see updateExisting).
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

  /** Reads first: most candidate ids (broadcasts the resident was not sent) have no record. */
  async forget(messageIds: readonly string[]): Promise<number> {
    const unique = [...new Set(messageIds)];
    if (unique.length === 0) return 0;
    const found = await this.readMany(unique, 'pk, sk');
    for (const item of found) {
      await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: item.pk, sk: item.sk } }));
    }
    return found.length;
  }

  async anonymiseRecipient(messageId: string): Promise<void> {
    await this.updateExisting(messageId, (Key) =>
      new UpdateCommand({
        TableName: this.tableName,
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
      const response: { Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> } = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
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

  /**
   * One item by its id's key; on a miss, at the key a record of that id had before broadcast
   * messages moved (message-keys.ts): one request more, only then.
   */
  private async readOne(messageId: string, read: (key: MessageKey) => GetCommand): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.documents.send(read(keys.message(messageId)));
    if (Item) return Item;
    const earlier = earlierMessageKey(messageId);
    return earlier ? (await this.documents.send(read(earlier))).Item : undefined;
  }

  /** Items by their ids' keys, read strongly; those missed, again at their earlier keys in one more batch. */
  private async readMany(messageIds: readonly string[], projection?: string): Promise<Record<string, unknown>[]> {
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
  private async updateExisting(messageId: string, update: (key: MessageKey) => UpdateCommand): Promise<UpdateCommandOutput | undefined> {
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

  private async putIfAbsent(record: MessageRecord): Promise<boolean> {
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
function toRecord(item: Record<string, unknown>): MessageRecord {
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

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
