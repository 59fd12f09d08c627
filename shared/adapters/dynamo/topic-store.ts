import { DeleteCommand, GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../domain/errors.js';
import { activeKeywords, topicSchema, type Topic } from '../../domain/model.js';
import { decodeTopicCursor, encodeTopicCursor } from '../../topics/topic-cursor.js';
import type { TopicPageQuery, TopicStore, TopicSubscriberCounts } from '../../topics/topic-store.js';
import type { Page } from '../../ports/page.js';
import { TopicCounters } from './topic-counters.js';
import { batchGetAll } from './batch-get.js';
import { isConditionFailure } from './conditions.js';
import { keys } from './keys.js';

/** How long a claim whose topic does not list the keyword is left alone: a change may be in flight. */
const STALE_CLAIM_MS = 60_000;

export class DynamoTopicStore implements TopicStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly shardCount: number,
  ) {
    this.counters = new TopicCounters(documents, tableName, shardCount);
  }

  private readonly counters: TopicCounters;

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
          Item: { ...keys.topic(topic.id), type: 'topic', ...topic, revision: 1 },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError(`topic "${topic.id}" already exists`, { cause: error });
      throw error;
    }
    const claimed: string[] = [];
    try {
      for (const keyword of activeKeywords(topic)) {
        if (await this.claim(keyword, topic.id, topic.createdAt)) claimed.push(keyword);
      }
    } catch (error) {
      await this.release(claimed, topic.id);
      await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: keys.topic(topic.id) }));
      throw error;
    }
  }

  /**
   * One keyword claim item (`KEYWORD#<K>` → topic id) per keyword is what makes keywords unique.
   * With no transactions, a change is three steps, in this order:
   * 1. claim each keyword the topic will list (conditional puts: free, already ours, or a claim
   *    that leads nowhere, see `claim`); a clash releases what this call claimed and changes nothing;
   * 2. write the topic, conditional on its revision, so two changes at once cannot interleave;
   * 3. release each keyword the change dropped (all of them when it archives the topic),
   *    conditional on the claim still being ours.
   * A keyword leads to a topic only when its claim names the topic AND the topic, active, lists
   * it (`findByKeyword`). So a crash after 1 leaves claims that lead nowhere (the topic does not
   * list them yet) and a crash after 2 leaves claims the topic no longer lists: the keyword is
   * then simply free, never shared, and the next topic to claim it takes the claim over. At no
   * moment does a keyword lead to two topics, and the old keywords work until the new ones do.
   */
  async update(id: string, change: (current: Topic) => Topic): Promise<{ before: Topic; after: Topic } | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.topic(id), ConsistentRead: true }));
    if (!Item) return undefined;
    const before = topicSchema.parse(Item);
    const revision = typeof Item.revision === 'number' ? Item.revision : undefined;
    const after = topicSchema.parse(change(structuredClone(before)));
    const at = after.archivedAt ?? after.updatedAt ?? new Date().toISOString();
    const kept = activeKeywords(before);
    const wanted = activeKeywords(after);
    const claimed: string[] = [];
    try {
      // Every keyword the topic will list, not only the added ones: claiming one that is already
      // ours is a harmless rewrite, and one the topic lists without holding (a create that crashed
      // before claiming it, then lost it to another topic) is a clash the caller should see.
      for (const keyword of wanted) {
        if (await this.claim(keyword, id, at)) claimed.push(keyword);
      }
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.topic(id), type: 'topic', ...after, id, revision: (revision ?? 0) + 1 },
          ConditionExpression: revision === undefined ? 'attribute_exists(pk) AND attribute_not_exists(revision)' : 'revision = :revision',
          ...(revision === undefined ? {} : { ExpressionAttributeValues: { ':revision': revision } }),
        }),
      );
    } catch (error) {
      await this.release(claimed, id);
      if (isConditionFailure(error)) {
        throw new ConflictError(`topic "${id}" was changed by someone else at the same moment; read it again and retry`, { cause: error });
      }
      throw error;
    }
    await this.release(
      kept.filter((k) => !wanted.includes(k)),
      id,
    );
    return { before, after };
  }

  /**
   * Claims a keyword for a topic: true when this call took it, false when it was the topic's
   * already. Throws ConflictError naming the topic the keyword leads to. A claim that leads
   * nowhere (its topic is archived, gone, or no longer lists the keyword after a change that
   * crashed half-way) is taken over; a young one only after a minute, since its topic may be
   * between steps 1 and 2 of `update` right now.
   */
  private async claim(keyword: string, topicId: string, at: string): Promise<boolean> {
    try {
      const { Attributes } = await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.keyword(keyword), type: 'keyword', keyword, topicId, claimedAt: at },
          ConditionExpression: 'attribute_not_exists(pk) OR topicId = :topicId',
          ExpressionAttributeValues: { ':topicId': topicId },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return Attributes?.topicId !== topicId;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const { Item: held } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.keyword(keyword), ConsistentRead: true }));
      const ownerId = typeof held?.topicId === 'string' ? held.topicId : undefined;
      const owner = ownerId === undefined ? undefined : await this.get(ownerId);
      if (owner && activeKeywords(owner).includes(keyword)) {
        throw new ConflictError(`keyword ${keyword} is already used by topic "${owner.id}"`, { cause: error });
      }
      const claimedAt = typeof held?.claimedAt === 'string' ? Date.parse(held.claimedAt) : 0;
      if (owner && owner.archivedAt === undefined && claimedAt > Date.parse(at) - STALE_CLAIM_MS) {
        throw new ConflictError(`keyword ${keyword} is being claimed by topic "${owner.id}"; try again in a minute`, { cause: error });
      }
      try {
        await this.documents.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...keys.keyword(keyword), type: 'keyword', keyword, topicId, claimedAt: at },
            ConditionExpression: held ? 'topicId = :previous' : 'attribute_not_exists(pk)',
            ...(held ? { ExpressionAttributeValues: { ':previous': ownerId } } : {}),
          }),
        );
        return true;
      } catch (takeover) {
        if (!isConditionFailure(takeover)) throw takeover;
        throw new ConflictError(`keyword ${keyword} was claimed by another topic at the same moment`, { cause: takeover });
      }
    }
  }

  /** Gives up claims, each only while it is still this topic's. */
  private async release(keywords: string[], topicId: string): Promise<void> {
    for (const keyword of keywords) {
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
  }

  async get(id: string): Promise<Topic | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.topic(id) }));
    return Item ? topicSchema.parse(Item) : undefined;
  }

  async list(options: { includeArchived?: boolean } = {}): Promise<Topic[]> {
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
    return options.includeArchived ? topics : topics.filter((topic) => topic.archivedAt === undefined);
  }

  /**
   * Reads on until the page is full (the filters apply after DynamoDB's own limit, so one query
   * may bring back fewer), one item beyond it, so a cursor promises at least one more topic.
   */
  async page(query: TopicPageQuery): Promise<Page<Topic>> {
    const filters = [
      ...(query.includeArchived ? [] : ['attribute_not_exists(archivedAt)']),
      ...(query.department === undefined ? [] : ['department = :department']),
    ];
    const items: Topic[] = [];
    let startKey: Record<string, unknown> | undefined =
      query.cursor === undefined ? undefined : keys.topic(decodeTopicCursor(query.cursor));
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
          ExpressionAttributeValues: {
            ':pk': keys.topicsPartition,
            ...(query.department === undefined ? {} : { ':department': query.department }),
          },
          Limit: query.limit + 1 - items.length,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        if (items.length === query.limit) return { items, cursor: encodeTopicCursor(items.at(-1)!.id) };
        items.push(topicSchema.parse(item));
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return { items, cursor: undefined };
  }

  /** The claim says which topic; the topic must still list the keyword and be active (see `update`). */
  async findByKeyword(keyword: string): Promise<Topic | undefined> {
    const owner = await this.keywordOwner(keyword);
    const topic = owner ? await this.get(owner) : undefined;
    return topic && activeKeywords(topic).includes(keyword) ? topic : undefined;
  }

  async subscriberCount(id: string): Promise<number> {
    return (await this.counters.read(id)).total;
  }

  async subscriberCounts(id: string): Promise<TopicSubscriberCounts> {
    return this.counters.read(id);
  }

  private async keywordOwner(keyword: string): Promise<string | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.keyword(keyword) }));
    return typeof Item?.topicId === 'string' ? Item.topicId : undefined;
  }
}
