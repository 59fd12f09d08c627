import { DeleteCommand, GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../domain/errors.js';
import { allKeywords, topicSchema, type Topic } from '../../domain/model.js';
import type { TopicStore } from '../../ports/stores.js';
import { batchGetAll } from './batch-get.js';
import { isConditionFailure } from './conditions.js';
import { keys } from './keys.js';

export class DynamoTopicStore implements TopicStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly shardCount: number,
  ) {}

  /**
   * No transaction (the local DynamoDB, dynalite, has none): the topic is written first, then each
   * keyword is claimed with a conditional write; a clash undoes this call's writes and names the
   * topic that owns the keyword.
   */
  async create(topic: Topic): Promise<void> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.topic(topic.id), type: 'topic', ...topic },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError(`topic "${topic.id}" already exists`, { cause: error });
      throw error;
    }
    const claimed: string[] = [];
    for (const keyword of allKeywords(topic)) {
      try {
        await this.documents.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...keys.keyword(keyword), type: 'keyword', keyword, topicId: topic.id },
            ConditionExpression: 'attribute_not_exists(pk) OR topicId = :topicId',
            ExpressionAttributeValues: { ':topicId': topic.id },
          }),
        );
        claimed.push(keyword);
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const owner = await this.keywordOwner(keyword);
        await this.undoCreate(topic.id, claimed);
        throw new ConflictError(`keyword ${keyword} is already used by topic "${owner ?? 'unknown'}"`, { cause: error });
      }
    }
  }

  private async undoCreate(topicId: string, claimedKeywords: string[]): Promise<void> {
    for (const keyword of claimedKeywords) {
      await this.documents
        .send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: keys.keyword(keyword),
            ConditionExpression: 'topicId = :topicId',
            ExpressionAttributeValues: { ':topicId': topicId },
          }),
        )
        .catch((error: unknown) => {
          if (!isConditionFailure(error)) throw error;
        });
    }
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: keys.topic(topicId) }));
  }

  async get(id: string): Promise<Topic | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.topic(id) }));
    return Item ? topicSchema.parse(Item) : undefined;
  }

  async list(): Promise<Topic[]> {
    const topics: Topic[] = [];
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.topicsPartition },
          ExclusiveStartKey: cursor,
        }),
      );
      for (const item of page.Items ?? []) topics.push(topicSchema.parse(item));
      cursor = page.LastEvaluatedKey;
    } while (cursor);
    return topics;
  }

  async findByKeyword(keyword: string): Promise<Topic | undefined> {
    const owner = await this.keywordOwner(keyword);
    return owner ? this.get(owner) : undefined;
  }

  async subscriberCount(id: string): Promise<number> {
    const shardKeys = Array.from({ length: this.shardCount }, (_, shard) => keys.topicShardCount(id, shard));
    // batchGetAll retries the shards DynamoDB leaves unprocessed under throttling, which would
    // otherwise be counted as empty.
    const items = await batchGetAll(this.documents, this.tableName, shardKeys);
    return items.reduce((sum, item) => sum + Number(item.count ?? 0), 0);
  }

  private async keywordOwner(keyword: string): Promise<string | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.keyword(keyword) }));
    return typeof Item?.topicId === 'string' ? Item.topicId : undefined;
  }
}
