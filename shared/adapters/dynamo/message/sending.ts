import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { statusRank } from '../../../domain/status-precedence.js';
import { OUTCOME_UNKNOWN, type ClaimOutcome, type MessageRecord, type SentExtras } from '../../../sending/message-store.js';
import { isConditionFailure } from '../conditions.js';
import { keys } from '../keys.js';
import type { MessageTable } from './table.js';

/** The message store's sending part: claiming a message, giving the claim back, and what the send came to. */
export class DynamoSendingWrites {
  constructor(private readonly table: MessageTable) {}

  /**
   * dynalite does not return the item with a failed condition (ReturnValuesOnConditionCheckFailure),
   * so the record that held the message is read strongly after it. Only redeliveries pay that read.
   */
  async claim(record: MessageRecord): Promise<ClaimOutcome> {
    // A claim given back (release) between the failed write and the read leaves nothing to
    // return: the message is free again, so claim it again.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      if (await this.table.putIfAbsent(record)) return { outcome: 'claimed' };
      const existing = await this.table.get(record.messageId);
      if (existing) return { outcome: 'already-claimed', existing };
    }
    throw new Error(`message ${record.messageId} was claimed and given back three times while claiming it`);
  }

  async recordOnce(record: MessageRecord): Promise<boolean> {
    return this.table.putIfAbsent(record);
  }

  async resolveStaleClaim(messageId: string, claimedNoLaterThan: string, at: string, jobId: string): Promise<boolean> {
    try {
      await this.table.documents.send(
        new UpdateCommand({
          TableName: this.table.tableName,
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

  async markSent(
    messageId: string,
    provider: string,
    providerMessageId: string,
    at: string,
    cost?: SentExtras,
  ): Promise<boolean> {
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
      await this.table.documents.send(
        new UpdateCommand({
          TableName: this.table.tableName,
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
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    // The receipt got there first (or the record is gone: erased while the message was being
    // sent); still record who carried the message, but only on a record that exists: an update
    // creates a missing item, and one of only these fields would pass for a message.
    return this.updateIfExists(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: keys.message(messageId),
        UpdateExpression: `SET provider = :provider, providerMessageId = :providerMessageId${costSet}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':provider': provider, ':providerMessageId': providerMessageId, ...costValues },
      }),
    );
  }

  async markFailed(messageId: string, errorCode: string | undefined, at: string): Promise<boolean> {
    // Still one request: the condition only stops the update creating an item for a record erased meanwhile.
    return this.updateIfExists(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: keys.message(messageId),
        UpdateExpression: 'SET #status = :failed, statusRank = :rank, errorCode = :code, updatedAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':failed': 'failed', ':rank': statusRank.failed, ':code': errorCode ?? null, ':at': at },
      }),
    );
  }

  /** An update conditional on the record existing: true if it was written, false if there was no record. */
  private async updateIfExists(update: UpdateCommand): Promise<boolean> {
    try {
      await this.table.documents.send(update);
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async release(messageId: string): Promise<void> {
    await this.table.documents.send(
      new DeleteCommand({
        TableName: this.table.tableName,
        Key: keys.message(messageId),
        ConditionExpression: '#status = :sending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sending': 'sending' },
      }),
    ).catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
