import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  broadcastStatusSchema,
  keyModeSchema,
  prioritySchema,
  type Broadcast,
  type BroadcastCounts,
  type BroadcastStatus,
} from '../../domain/model.js';
import type { BroadcastStore, CountsDelta, FanOutCheckpoint } from '../../ports/stores.js';
import { isConditionFailure } from './conditions.js';
import { keys } from './keys.js';

const counterNames: (keyof BroadcastCounts)[] = ['targeted', 'sent', 'delivered', 'undelivered', 'failed', 'skipped'];

export class DynamoBroadcastStore implements BroadcastStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(broadcast: Broadcast): Promise<void> {
    const { counts, ...rest } = broadcast;
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.broadcast(broadcast.id), type: 'broadcast', ...rest, ...counts },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    // A small log per topic, so a resident's reply can be linked to the broadcast it answers.
    for (const topicId of broadcast.topics) {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.topicBroadcast(topicId, broadcast.createdAt, broadcast.id), type: 'topicBroadcast', broadcastId: broadcast.id },
        }),
      );
    }
  }

  async recentForTopic(topicId: string, limit: number): Promise<{ broadcastId: string; createdAt: string }[]> {
    const { Items } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.topicBroadcastsPartition(topicId) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map((item) => ({ broadcastId: String(item.broadcastId), createdAt: String(item.sk).split('#')[0] ?? '' }));
  }

  async get(id: string): Promise<Broadcast | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: keys.broadcast(id), ConsistentRead: true }),
    );
    return Item ? toBroadcast(Item) : undefined;
  }

  async transition(
    id: string,
    from: readonly BroadcastStatus[],
    to: BroadcastStatus,
    changes: { approvedBy?: string } = {},
  ): Promise<boolean> {
    const fromValues = Object.fromEntries(from.map((status, index) => [`:from${index}`, status]));
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.broadcast(id),
          UpdateExpression: `SET #status = :to${changes.approvedBy ? ', approvedBy = :approvedBy' : ''}`,
          ConditionExpression: `#status IN (${Object.keys(fromValues).join(', ')})`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':to': to,
            ...fromValues,
            ...(changes.approvedBy ? { ':approvedBy': changes.approvedBy } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async addCounts(id: string, delta: CountsDelta): Promise<Broadcast> {
    const additions: Record<string, number> = {};
    for (const name of counterNames) if (delta[name]) additions[name] = delta[name] as number;
    if (delta.fanOutDone) additions.fanOutPending = -delta.fanOutDone;
    const names = Object.keys(additions);
    if (names.length === 0) {
      const current = await this.get(id);
      if (!current) throw new Error(`broadcast ${id} does not exist`);
      return current;
    }
    const { Attributes } = await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.broadcast(id),
        UpdateExpression: `ADD ${names.map((name) => `#${name} :${name}`).join(', ')}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: Object.fromEntries(names.map((name) => [`#${name}`, name])),
        ExpressionAttributeValues: Object.fromEntries(names.map((name) => [`:${name}`, additions[name]])),
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toBroadcast(Attributes ?? {});
  }

  async fanOutCheckpoint(id: string, topicId: string, shard: number): Promise<FanOutCheckpoint | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.broadcast(id),
        ProjectionExpression: '#checkpoint',
        ExpressionAttributeNames: { '#checkpoint': checkpointAttribute(topicId, shard) },
        ConsistentRead: true,
      }),
    );
    const stored = Item?.[checkpointAttribute(topicId, shard)];
    return typeof stored === 'string' ? (JSON.parse(stored) as FanOutCheckpoint) : undefined;
  }

  async advanceFanOut(
    id: string,
    step: { topicId: string; shard: number; from: FanOutCheckpoint | undefined; to: FanOutCheckpoint },
    delta: CountsDelta,
  ): Promise<Broadcast | undefined> {
    const additions: Record<string, number> = {};
    for (const name of counterNames) if (delta[name]) additions[name] = delta[name] as number;
    if (delta.fanOutDone) additions.fanOutPending = -delta.fanOutDone;
    const names = Object.keys(additions);
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.broadcast(id),
          // One attribute per task on the broadcast item itself: the checkpoint and the counters
          // move in the same single-item write (dynalite has no transactions).
          UpdateExpression: `SET #checkpoint = :to${names.length > 0 ? ` ADD ${names.map((name) => `#${name} :${name}`).join(', ')}` : ''}`,
          ConditionExpression: step.from === undefined ? 'attribute_exists(pk) AND attribute_not_exists(#checkpoint)' : '#checkpoint = :from',
          ExpressionAttributeNames: {
            '#checkpoint': checkpointAttribute(step.topicId, step.shard),
            ...Object.fromEntries(names.map((name) => [`#${name}`, name])),
          },
          ExpressionAttributeValues: {
            ':to': JSON.stringify(step.to),
            ...(step.from === undefined ? {} : { ':from': JSON.stringify(step.from) }),
            ...Object.fromEntries(names.map((name) => [`:${name}`, additions[name]])),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toBroadcast(Attributes ?? {});
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async delete(id: string): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: keys.broadcast(id) }));
  }
}

function checkpointAttribute(topicId: string, shard: number): string {
  return `fanOut#${topicId}#${shard}`;
}

function toBroadcast(item: Record<string, unknown>): Broadcast {
  return {
    id: String(item.id),
    topics: (item.topics as string[]) ?? [],
    body: String(item.body),
    priority: prioritySchema.parse(item.priority),
    status: broadcastStatusSchema.parse(item.status),
    department: String(item.department),
    createdBy: String(item.createdBy),
    createdAt: String(item.createdAt),
    approvedBy: typeof item.approvedBy === 'string' ? item.approvedBy : undefined,
    // Broadcasts stored before test mode existed were live.
    mode: keyModeSchema.parse(item.mode ?? 'live'),
    fanOutPending: Number(item.fanOutPending ?? 0),
    counts: {
      targeted: Number(item.targeted ?? 0),
      sent: Number(item.sent ?? 0),
      delivered: Number(item.delivered ?? 0),
      undelivered: Number(item.undelivered ?? 0),
      failed: Number(item.failed ?? 0),
      skipped: Number(item.skipped ?? 0),
    },
  };
}
