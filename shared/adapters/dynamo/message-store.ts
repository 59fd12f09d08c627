import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ERASED } from '../../domain/erasure.js';
import type { MessageStatus } from '../../domain/model.js';
import { statusRank } from '../../domain/status-precedence.js';
import type { ProviderPrice } from '../../domain/costs.js';
import { decodeMessageCursor, encodeMessageCursor } from '../../broadcasts/message-cursor.js';
import { OUTCOME_UNKNOWN, type AppliedReceipt, type ClaimOutcome, type MessageRecord, type MessageStore, type Page, type SentExtras } from '../../ports/stores.js';
import { batchGetAll } from './batch-get.js';
import { isConditionFailure } from './conditions.js';
import { keys } from './keys.js';
import { byBroadcastIndex } from './table-definition.js';
import { defaultRetention, type RetentionPeriods } from '../../retention/periods.js';
import { expiresAt } from '../../retention/schedule.js';

/** Rank of a record's status, stored beside it so precedence is one condition expression. */
const rankOf = (status: MessageRecord['status']) => (status === 'skipped' ? 3 : statusRank[status]);

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
    return (await batchGetAll(this.documents, this.tableName, unique.map(keys.message), undefined, true)).map(toRecord);
  }

  async recordOnce(record: MessageRecord): Promise<boolean> {
    return this.putIfAbsent(record);
  }

  async get(messageId: string): Promise<MessageRecord | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: keys.message(messageId), ConsistentRead: true }),
    );
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
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.message(messageId),
        ProjectionExpression: '#status',
        ExpressionAttributeNames: { '#status': 'status' },
      }),
    );
    return Item ? (Item.status as MessageRecord['status']) : undefined;
  }

  async recordProviderPrice(messageId: string, price: ProviderPrice): Promise<void> {
    await this.documents
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.message(messageId),
          UpdateExpression: 'SET providerPrice = :price',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':price': price },
        }),
      )
      .catch((error: unknown) => {
        // Erased or never ours: nothing to price.
        if (!isConditionFailure(error)) throw error;
      });
  }

  async applyReceipt(
    messageId: string,
    status: MessageStatus,
    errorCode: string | undefined,
    at: string,
  ): Promise<AppliedReceipt | undefined> {
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.message(messageId),
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
            ':receipt': [{ status, at, errorCode: errorCode ?? null }],
          },
          // The item as it was: its old status and its broadcast, without a read.
          ReturnValues: 'ALL_OLD',
        }),
      );
      return {
        previous: (Attributes?.status as MessageStatus | undefined) ?? status,
        broadcastId: typeof Attributes?.broadcastId === 'string' ? Attributes.broadcastId : undefined,
      };
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /** Reads first: most candidate ids (broadcasts the resident was not sent) have no record. */
  async forget(messageIds: readonly string[]): Promise<number> {
    const unique = [...new Set(messageIds)];
    if (unique.length === 0) return 0;
    const found = await batchGetAll(this.documents, this.tableName, unique.map(keys.message), 'pk, sk', true);
    for (const item of found) {
      await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: item.pk, sk: item.sk } }));
    }
    return found.length;
  }

  async anonymiseRecipient(messageId: string): Promise<void> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.message(messageId),
          UpdateExpression: 'SET #to = :erased',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#to': 'to' },
          ExpressionAttributeValues: { ':erased': ERASED },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /**
   * The index gives the keys (KEYS_ONLY, see byBroadcastIndex for why), a BatchGet the records,
   * both eventually consistent (half the read cost). A message erased between the two reads is
   * simply not in the page.
   */
  async listByBroadcast(broadcastId: string, limit: number, cursor: string | undefined): Promise<Page<MessageRecord>> {
    const after = cursor === undefined ? undefined : decodeMessageCursor(cursor, broadcastId);
    const entries = await this.indexEntries(broadcastId, limit + 1, after);
    const page = entries.slice(0, limit);
    const found = new Map(
      (await batchGetAll(this.documents, this.tableName, page.map((pk) => ({ pk, sk: keys.message('').sk })))).map((item) => [item.pk, item]),
    );
    const items = page.flatMap((pk) => {
      const item = found.get(pk);
      return item ? [toRecord(item)] : [];
    });
    const last = page.at(-1);
    // One entry more than the page was asked for: a cursor only when another page follows.
    return { items, cursor: entries.length > limit && last ? encodeMessageCursor(last.slice(messagePkPrefix.length)) : undefined };
  }

  /** Up to `wanted` index entries (their `pk`s) after `afterMessageId`, across the Query's own 1 MB pages. */
  private async indexEntries(broadcastId: string, wanted: number, afterMessageId: string | undefined): Promise<string[]> {
    const entries: string[] = [];
    let startKey: Record<string, unknown> | undefined =
      afterMessageId === undefined ? undefined : { [byBroadcastIndex.partitionKey]: broadcastId, ...keys.message(afterMessageId) };
    do {
      const response: { Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> } = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: byBroadcastIndex.name,
          KeyConditionExpression: '#broadcast = :broadcast',
          ExpressionAttributeNames: { '#broadcast': byBroadcastIndex.partitionKey },
          ExpressionAttributeValues: { ':broadcast': broadcastId },
          Limit: wanted - entries.length,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      entries.push(...(response.Items ?? []).map((item) => String(item.pk)));
      startKey = response.LastEvaluatedKey;
    } while (startKey && entries.length < wanted);
    return entries;
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
            statusRank: rankOf(record.status),
            ...broadcastIndexKey(record),
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

const messagePkPrefix = keys.message('').pk;

/**
 * A broadcast message's key in the broadcast's index, set only in the write that creates the
 * message (so its one index write); replies (no broadcast) are not in the index.
 */
export function broadcastIndexKey(record: Pick<MessageRecord, 'broadcastId'>): Record<string, string> {
  return record.broadcastId === undefined ? {} : { [byBroadcastIndex.partitionKey]: record.broadcastId };
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
    [byBroadcastIndex.partitionKey]: _byBroadcast,
    ...record
  } = item;
  return record as unknown as MessageRecord;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
