import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { channelSchema } from '../../domain/model.js';
import type { InboxEntry, InboxStore } from '../../ports/stores.js';
import { keys } from './keys.js';

/** Residents' free-text messages, one partition per department, newest last by time received. */
export class DynamoInboxStore implements InboxStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async add(entry: InboxEntry): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        // Keyed by the inbound message, so a provider's retry rewrites the same entry.
        Item: { ...keys.inboxEntry(entry.department, entry.receivedAt, `${entry.provider}:${entry.providerMessageId}`), type: 'inboxEntry', ...entry },
      }),
    );
  }

  async list(department: string, limit: number): Promise<InboxEntry[]> {
    const { Items } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.inboxPartition(department) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map((item) => ({
      department: String(item.department),
      provider: String(item.provider),
      providerMessageId: String(item.providerMessageId),
      from: String(item.from),
      channel: channelSchema.parse(item.channel),
      body: String(item.body),
      receivedAt: String(item.receivedAt),
      broadcastId: typeof item.broadcastId === 'string' ? item.broadcastId : undefined,
      topicId: typeof item.topicId === 'string' ? item.topicId : undefined,
      handled: item.handled === true,
    }));
  }
}
