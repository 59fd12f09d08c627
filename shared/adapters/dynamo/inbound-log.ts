import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryEveryPage } from './query-every-page.js';
import { ERASED } from '../../domain/erasure.js';
import { staleClaimsBefore } from '../../domain/inbound.js';
import type { Channel } from '../../domain/model.js';
import type { InboundLog, InboundLogEntry, InboundMessageRef, SkippedItemRecord } from '../../inbox/inbound-log.js';
import { isConditionFailure } from './conditions.js';
import { keys } from './keys.js';
import { defaultRetention, type RetentionPeriods } from '../../retention/periods.js';
import { expiresAt } from '../../retention/schedule.js';

/**
 * Written by hand rather than with Powertools' idempotency utility: on a table with a sort key
 * that utility keeps every record under one static partition key (a hot partition), and the
 * inbound record is also the consent evidence and the inbox entry, so it is ours to shape.
 */
export class DynamoInboundLog implements InboundLog {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retention: RetentionPeriods = defaultRetention,
  ) {}

  async countFromSender(phone: string, window: string, expiresAt: Date): Promise<number> {
    const { Attributes } = await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.rateWindow(phone, window),
        UpdateExpression: 'ADD #count :one SET expiresAt = :expiresAt',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':one': 1, ':expiresAt': Math.ceil(expiresAt.getTime() / 1000) },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.count ?? 1);
  }

  async begin(
    provider: string,
    providerMessageId: string,
    record: { from: string; channel: Channel; body: string; at: string },
  ): Promise<InboundLogEntry> {
    const staleBefore = staleClaimsBefore(record.at);
    // The sender's reference first, so erasure never misses an entry: a crash between the two
    // leaves a reference to nothing, which erasure skips. A retry rewrites the same item.
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.inboundBySender(record.from, provider, providerMessageId),
          type: 'inboundBySender',
          provider,
          providerMessageId,
          at: record.at,
          expiresAt: expiresAt({ kind: 'inboundReference', at: record.at }, this.retention),
        },
      }),
    );
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.inbound(provider, providerMessageId),
            type: 'inbound',
            provider,
            providerMessageId,
            ...record,
            state: 'in-progress',
            startedAt: record.at,
            expiresAt: expiresAt({ kind: 'inbound', at: record.at }, this.retention),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR (#state = :inProgress AND startedAt < :staleBefore)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':inProgress': 'in-progress', ':staleBefore': staleBefore },
        }),
      );
      return { state: 'new' };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: keys.inbound(provider, providerMessageId), ConsistentRead: true }),
    );
    return Item?.state === 'done'
      ? { state: 'done', replyMessageId: typeof Item.replyMessageId === 'string' ? Item.replyMessageId : undefined }
      : { state: 'in-progress' };
  }

  async finish(provider: string, providerMessageId: string, replyMessageId: string | undefined, redactedBody?: string): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.inbound(provider, providerMessageId),
          UpdateExpression: `SET #state = :done, replyMessageId = :reply${redactedBody === undefined ? '' : ', body = :body'}`,
          // An update creates a missing item: a 'done' entry of only these fields would answer the
          // provider's next delivery of the message as a duplicate, and would never expire.
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':done': 'done',
            ':reply': replyMessageId ?? null,
            ...(redactedBody === undefined ? {} : { ':body': redactedBody }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async sentBy(phone: string): Promise<InboundMessageRef[]> {
    const items = await queryEveryPage(this.documents, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.subscriberPartition(phone), ':prefix': keys.inboundBySenderPrefix },
      ConsistentRead: true,
    });
    return items.map((item) => ({ provider: String(item.provider), providerMessageId: String(item.providerMessageId) }));
  }

  async anonymise(provider: string, providerMessageId: string): Promise<{ replyMessageId: string | undefined } | undefined> {
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.inbound(provider, providerMessageId),
          // FROM is one of DynamoDB's reserved words.
          UpdateExpression: 'SET #from = :erased, body = :erased',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#from': 'from' },
          ExpressionAttributeValues: { ':erased': ERASED },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { replyMessageId: typeof Attributes?.replyMessageId === 'string' ? Attributes.replyMessageId : undefined };
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async release(provider: string, providerMessageId: string, startedAt: string): Promise<void> {
    try {
      await this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.inbound(provider, providerMessageId),
          // Only our own unfinished claim: not one a later attempt took over, nor a finished one.
          ConditionExpression: '#state = :inProgress AND startedAt = :startedAt',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':inProgress': 'in-progress', ':startedAt': startedAt },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async recordSkipped(record: SkippedItemRecord, expiresAt: Date): Promise<void> {
    // An unconditional put: a provider's retry of the delivery finds the same item and rewrites it.
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.skippedItem(record.provider, record.itemId),
          type: 'skippedWebhookItem',
          ...record,
          expiresAt: Math.ceil(expiresAt.getTime() / 1000),
        },
      }),
    );
  }

  async skippedItem(provider: string, itemId: string): Promise<SkippedItemRecord | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: keys.skippedItem(provider, itemId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const { provider: itemProvider, itemId: id, kind, path, reason, at } = Item;
    return { provider: String(itemProvider), itemId: String(id), kind, path: String(path), reason: String(reason), at: String(at) };
  }
}
