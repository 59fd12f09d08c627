import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { channelSchema } from '../../domain/model.js';
import type { TopicIndex, TopicIndexPage } from '../../topics/topic-index.js';
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

  async membersAmong(topicId: string, shard: number, phones: readonly string[]): Promise<Set<string>> {
    const wanted = new Set(phones);
    const members = new Set<string>();
    if (wanted.size === 0) return members;
    const sorted = [...wanted].sort();
    // The entries from the lowest number to the highest, whatever their channel ('~' sorts after both).
    let startKey: Record<string, unknown> | undefined;
    do {
      const response = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': keys.topicShard(topicId, shard), ':from': `SUB#${sorted[0]}`, ':to': `SUB#${sorted.at(-1)}#~` },
          ProjectionExpression: 'phone',
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of response.Items ?? []) if (wanted.has(String(item.phone))) members.add(String(item.phone));
      startKey = response.LastEvaluatedKey;
    } while (startKey);
    return members;
  }
}
