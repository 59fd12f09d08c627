import { DeleteCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Broadcast } from '../../../domain/model.js';
import { DynamoBroadcastCounters } from '../broadcast-counters.js';
import { keys } from '../keys.js';
import { toBroadcast } from './items.js';

/**
 * The reads and writes that several parts of the broadcast store share: a broadcast with its
 * counters, and its entry in the list of broadcasts sending.
 */
export class BroadcastTable {
  readonly counters: DynamoBroadcastCounters;

  constructor(
    readonly documents: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {
    this.counters = new DynamoBroadcastCounters(documents, tableName);
  }

  /** One strongly consistent Query for the broadcast and its counters (one read unit), never its jobs. */
  async get(id: string): Promise<Broadcast | undefined> {
    const { Items } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :broadcast AND :counts',
        ExpressionAttributeValues: { ':pk': keys.broadcastPartition(id), ':broadcast': keys.broadcast(id).sk, ':counts': keys.broadcastCounts(id).sk },
        ConsistentRead: true,
      }),
    );
    const item = Items?.find((found) => found.sk === keys.broadcast(id).sk);
    return item ? toBroadcast(item, Items?.find((found) => found.sk === keys.broadcastCounts(id).sk)) : undefined;
  }

  async listAsSending(id: string): Promise<void> {
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.sendingBroadcast(id), type: 'sendingBroadcast' } }));
  }

  async unlistAsSending(id: string): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: keys.sendingBroadcast(id) }));
  }
}
