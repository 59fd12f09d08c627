import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { channelSchema } from '../../domain/model.js';
import type { TopicIndex, TopicIndexPage } from '../../ports/stores.js';
import { keys } from './keys.js';

/** Reads one shard of a topic's subscriber index a page at a time: memory stays bounded. */
export class DynamoTopicIndex implements TopicIndex {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async page(topicId: string, shard: number, cursor: string | undefined, limit: number): Promise<TopicIndexPage> {
    const response = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.topicShard(topicId, shard), ':prefix': 'SUB#' },
        ProjectionExpression: 'pk, sk, phone, channel',
        Limit: limit,
        ExclusiveStartKey: cursor ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, string>) : undefined,
      }),
    );
    return {
      recipients: (response.Items ?? []).map((item) => ({
        phone: String(item.phone),
        channel: channelSchema.parse(item.channel),
      })),
      cursor: response.LastEvaluatedKey
        ? Buffer.from(JSON.stringify(response.LastEvaluatedKey), 'utf8').toString('base64url')
        : undefined,
    };
  }
}
