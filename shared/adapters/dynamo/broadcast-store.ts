import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  approvalLevelSchema,
  broadcastStatusSchema,
  keyModeSchema,
  prioritySchema,
  type Broadcast,
  type BroadcastCounts,
  type BroadcastStatus,
} from '../../domain/model.js';
import { messageContentSchema } from '../../domain/message-content.js';
import { targetingFiltersSchema } from '../../domain/targeting.js';
import type {
  BroadcastChanges,
  BroadcastQuery,
  BroadcastStore,
  CountsDelta,
  FanOutCheckpoint,
  Page,
  ScheduledStart,
} from '../../ports/stores.js';
import { isConditionFailure } from './conditions.js';
import { decodeSortKeyCursor, encodeSortKeyCursor } from './cursor.js';
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
    // The listing staff page through; written after the broadcast, so it never names a missing one.
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.broadcastListing(broadcast.createdAt, broadcast.id), type: 'broadcastListing', broadcastId: broadcast.id },
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

  async transition(id: string, from: readonly BroadcastStatus[], to: BroadcastStatus, changes: BroadcastChanges = {}): Promise<boolean> {
    const fromValues = Object.fromEntries(from.map((status, index) => [`:from${index}`, status]));
    const set = Object.entries(changes).filter(([, value]) => value !== undefined && value !== null);
    const removed = Object.entries(changes).flatMap(([name, value]) => (value === null ? [name] : []));
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.broadcast(id),
          UpdateExpression: `SET ${['#status = :to', ...set.map(([name]) => `#${name} = :${name}`)].join(', ')}${
            removed.length > 0 ? ` REMOVE ${removed.map((name) => `#${name}`).join(', ')}` : ''
          }`,
          ConditionExpression: `#status IN (${Object.keys(fromValues).join(', ')})`,
          ExpressionAttributeNames: {
            '#status': 'status',
            ...Object.fromEntries([...set.map(([name]) => name), ...removed].map((name) => [`#${name}`, name])),
          },
          ExpressionAttributeValues: { ':to': to, ...fromValues, ...Object.fromEntries(set.map(([name, value]) => [`:${name}`, value])) },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Newest first from the one listing partition, then each broadcast read for its current state.
   * Department and status are filtered after reading, so a page can hold fewer than `limit` while
   * `nextCursor` says more may follow.
   */
  async list(query: BroadcastQuery): Promise<Page<Broadcast>> {
    const response = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: query.cursor === undefined ? 'pk = :pk' : 'pk = :pk AND sk < :after',
        ExpressionAttributeValues: {
          ':pk': keys.broadcastsPartition,
          ...(query.cursor === undefined ? {} : { ':after': decodeSortKeyCursor(query.cursor, /^\d{4}-\d\d-\d\dT[^#]+#\w+$/) }),
        },
        ScanIndexForward: false,
        Limit: query.limit,
      }),
    );
    const listed = response.Items ?? [];
    const broadcasts = await Promise.all(listed.map((item) => this.get(String(item.broadcastId))));
    const items = broadcasts.filter(
      (broadcast): broadcast is Broadcast =>
        broadcast !== undefined &&
        (query.department === '*' || broadcast.department === query.department) &&
        (query.status === undefined || broadcast.status === query.status),
    );
    const last = listed.at(-1);
    return { items, cursor: response.LastEvaluatedKey && last ? encodeSortKeyCursor(last.sk) : undefined };
  }

  async scheduleStart(id: string, startsAt: string): Promise<void> {
    await this.documents.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.scheduledStart(startsAt, id), type: 'scheduledStart', broadcastId: id, startsAt } }),
    );
  }

  async dueToStart(now: string, limit: number): Promise<ScheduledStart[]> {
    const { Items } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk <= :due',
        ExpressionAttributeValues: { ':pk': keys.scheduledPartition, ':due': `${now}#\uffff` },
        ConsistentRead: true,
        Limit: limit,
      }),
    );
    return (Items ?? []).map((item) => ({ broadcastId: String(item.broadcastId), startsAt: String(item.startsAt) }));
  }

  async clearScheduledStart(start: ScheduledStart): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: keys.scheduledStart(start.startsAt, start.broadcastId) }));
  }

  async addCounts(id: string, delta: CountsDelta): Promise<Broadcast> {
    const additions: Record<string, number> = {};
    for (const name of counterNames) if (delta[name]) additions[name] = delta[name] as number;
    if (delta.fanOutDone) additions.fanOutPending = -delta.fanOutDone;
    // The batch's estimated cost is one more counter in the same ADD: the hot broadcast item gets no extra write.
    if (delta.costMicros) additions.costMicros = delta.costMicros;
    const names = Object.keys(additions);
    if (names.length === 0) {
      const current = await this.get(id);
      if (!current) throw new Error(`broadcast ${id} does not exist`);
      return current;
    }
    const currency = delta.costMicros && delta.costCurrency ? delta.costCurrency : undefined;
    const { Attributes } = await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.broadcast(id),
        UpdateExpression: `ADD ${names.map((name) => `#${name} :${name}`).join(', ')}${currency ? ' SET costCurrency = if_not_exists(costCurrency, :costCurrency)' : ''}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: Object.fromEntries(names.map((name) => [`#${name}`, name])),
        ExpressionAttributeValues: {
          ...Object.fromEntries(names.map((name) => [`:${name}`, additions[name]])),
          ...(currency ? { ':costCurrency': currency } : {}),
        },
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

  /**
   * Removes a broadcast that never went out (its submission failed) with its listing and topic
   * log entries: left behind, they would fill pages of the listing and the topic's "latest
   * broadcasts" with one that does not exist. The broadcast item goes last, so a delete that
   * fails part-way can be repeated.
   */
  async delete(id: string): Promise<void> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: keys.broadcast(id), ProjectionExpression: 'createdAt, topics', ConsistentRead: true }),
    );
    if (!Item) return;
    const createdAt = String(Item.createdAt);
    const related = [keys.broadcastListing(createdAt, id), ...((Item.topics as string[] | undefined) ?? []).map((topicId) => keys.topicBroadcast(topicId, createdAt, id))];
    for (const key of related) await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: key }));
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: keys.broadcast(id) }));
  }
}

function checkpointAttribute(topicId: string, shard: number): string {
  return `fanOut#${topicId}#${shard}`;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function toBroadcast(item: Record<string, unknown>): Broadcast {
  return {
    id: String(item.id),
    topics: (item.topics as string[]) ?? [],
    body: String(item.body),
    variants: messageContentSchema.shape.variants.parse(item.variants),
    whatsappTemplate: messageContentSchema.shape.whatsappTemplate.parse(item.whatsappTemplate),
    filters: targetingFiltersSchema.optional().parse(item.filters),
    priority: prioritySchema.parse(item.priority),
    status: broadcastStatusSchema.parse(item.status),
    department: String(item.department),
    createdBy: String(item.createdBy),
    createdAt: String(item.createdAt),
    sendAt: optionalString(item.sendAt),
    startsAt: optionalString(item.startsAt),
    // Broadcasts stored before approval levels existed were approved by their department.
    approval: approvalLevelSchema.parse(item.approval ?? (item.approvedBy ? 'department' : 'none')),
    approvedBy: optionalString(item.approvedBy),
    approvedAt: optionalString(item.approvedAt),
    rejectedBy: optionalString(item.rejectedBy),
    rejectionReason: optionalString(item.rejectionReason),
    cancelledBy: optionalString(item.cancelledBy),
    cancelledAt: optionalString(item.cancelledAt),
    audience: typeof item.audience === 'number' ? item.audience : undefined,
    capDay: optionalString(item.capDay),
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
    ...(typeof item.costCurrency === 'string' ? { cost: { currency: item.costCurrency, estimatedMicros: Number(item.costMicros ?? 0) } } : {}),
  };
}
