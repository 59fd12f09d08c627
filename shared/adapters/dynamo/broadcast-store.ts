import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { finalStatuses } from '../../domain/broadcast-lifecycle.js';
import { decodeBroadcastCursor, encodeBroadcastCursor } from '../../broadcasts/broadcast-cursor.js';
import type { JobTotals } from '../../domain/job-totals.js';
import { approvalLevelSchema, broadcastStatusSchema, keyModeSchema, prioritySchema, type Broadcast, type BroadcastStatus } from '../../domain/model.js';
import { messageContentSchema } from '../../domain/message-content.js';
import { targetingFiltersSchema } from '../../domain/targeting.js';
import type {
  BroadcastChanges,
  BroadcastQuery,
  BroadcastStore,
  BroadcastTally,
  CountsDelta,
  FanOutCheckpoint,
  FanOutDelta,
  JobRecording,
  ScheduledStart,
} from '../../broadcasts/broadcast-store.js';
import type { Page } from '../../ports/page.js';
import { DynamoBroadcastCounters, tallyOf } from './broadcast-counters.js';
import { isConditionFailure } from './conditions.js';
import { keys } from './keys.js';

export class DynamoBroadcastStore implements BroadcastStore {
  private readonly counters: DynamoBroadcastCounters;

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.counters = new DynamoBroadcastCounters(documents, tableName);
  }

  async create(broadcast: Broadcast): Promise<void> {
    const { counts, cost, lastProgressAt: _lastProgressAt, ...rest } = broadcast;
    const { targeted, ...outcomes } = counts;
    // Counters first, each write refused if the id is taken: a broadcast item never lacks them.
    await this.counters.create(broadcast.id, outcomes, cost);
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.broadcast(broadcast.id), type: 'broadcast', ...rest, targeted },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    // After the broadcast item, so the sweeper never finds a listed id with nothing behind it.
    if (broadcast.status === 'sending') await this.listAsSending(broadcast.id);
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

  /**
   * A move to sending lists the broadcast as sending before the status moves (so a sending
   * broadcast is always listed) and a move away from it takes it off after (a crash in between
   * leaves a listing the sweeper drops once the broadcast is over).
   */
  async transition(id: string, from: readonly BroadcastStatus[], to: BroadcastStatus, changes: BroadcastChanges = {}): Promise<boolean> {
    if (to === 'sending') await this.listAsSending(id);
    const moved = await this.move(id, from, to, changes);
    if (moved && to !== 'sending' && from.includes('sending')) await this.unlistAsSending(id);
    return moved;
  }

  private async move(id: string, from: readonly BroadcastStatus[], to: BroadcastStatus, changes: BroadcastChanges): Promise<boolean> {
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
          ...(query.cursor === undefined ? {} : { ':after': decodeBroadcastCursor(query.cursor) }),
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
    return { items, cursor: response.LastEvaluatedKey && last ? encodeBroadcastCursor(String(last.sk)) : undefined };
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

  async addCounts(id: string, delta: CountsDelta, progressAt?: string): Promise<BroadcastTally | undefined> {
    return this.counters.add(id, delta, progressAt);
  }

  async receiptsCountedUpTo(id: string, shard: string): Promise<string | undefined> {
    return this.counters.receiptsCountedUpTo(id, shard);
  }

  async addReceiptCounts(
    id: string,
    shard: string,
    from: string | undefined,
    upTo: string,
    delta: Pick<CountsDelta, 'delivered' | 'undelivered'>,
  ): Promise<boolean | undefined> {
    return this.counters.addReceiptCounts(id, shard, from, upTo, delta);
  }

  async recordJob(id: string, jobId: string, totals: JobTotals, at: string): Promise<JobRecording> {
    return this.counters.recordJob(id, jobId, totals, at);
  }

  async sumOfJobs(id: string): Promise<{ jobs: number; totals: JobTotals }> {
    return this.counters.sumOfJobs(id);
  }

  async settleCounts(id: string, totals: JobTotals): Promise<void> {
    await this.counters.settle(id, totals);
  }

  /** Eventually consistent: a listing written a second ago can wait for the next minute's sweep. */
  async sending(): Promise<Broadcast[]> {
    const { Items } = await this.documents.send(
      new QueryCommand({ TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.sendingPartition } }),
    );
    const sending: Broadcast[] = [];
    for (const listed of Items ?? []) {
      const id = String(listed.sk);
      const broadcast = await this.get(id);
      if (broadcast?.status === 'sending') sending.push(broadcast);
      // Dropped only once the broadcast is over: one still on its way to sending keeps its listing.
      else if (!broadcast || finalStatuses.includes(broadcast.status)) await this.unlistAsSending(id);
    }
    return sending;
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
    delta: FanOutDelta,
  ): Promise<Broadcast | undefined> {
    const additions: Record<string, number> = {};
    if (delta.targeted) additions.targeted = delta.targeted;
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
      // A few times per 500 recipients: reading the counters back beside it costs next to nothing.
      return toBroadcast(Attributes ?? {}, await this.counters.item(id));
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /**
   * Removes a broadcast that never went out (its submission failed) with its listing and topic
   * log entries: left behind, they would fill pages of the listing and the topic's "latest
   * broadcasts" with one that does not exist. It never sent, so it has no jobs; its counters go
   * too. The broadcast item goes last, so a delete that fails part-way can be repeated.
   */
  async delete(id: string): Promise<void> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: keys.broadcast(id), ProjectionExpression: 'createdAt, topics', ConsistentRead: true }),
    );
    if (!Item) return;
    const createdAt = String(Item.createdAt);
    const related = [keys.broadcastListing(createdAt, id), ...((Item.topics as string[] | undefined) ?? []).map((topicId) => keys.topicBroadcast(topicId, createdAt, id))];
    for (const key of related) await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: key }));
    await this.unlistAsSending(id);
    await this.counters.delete(id);
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: keys.broadcast(id) }));
  }

  private async listAsSending(id: string): Promise<void> {
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.sendingBroadcast(id), type: 'sendingBroadcast' } }));
  }

  private async unlistAsSending(id: string): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: keys.sendingBroadcast(id) }));
  }
}

function checkpointAttribute(topicId: string, shard: number): string {
  return `fanOut#${topicId}#${shard}`;
}

const fromTemplateSchema = z.object({ id: z.string(), version: z.number().int(), name: z.string() });

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A broadcast item with its COUNTS item (absent for broadcasts made before it: their counters are on the broadcast). */
function toBroadcast(item: Record<string, unknown>, countsItem: Record<string, unknown> | undefined): Broadcast {
  const tally = tallyOf(countsItem ?? item);
  return {
    id: String(item.id),
    topics: (item.topics as string[]) ?? [],
    body: String(item.body),
    variants: messageContentSchema.shape.variants.parse(item.variants),
    whatsappTemplate: messageContentSchema.shape.whatsappTemplate.parse(item.whatsappTemplate),
    filters: targetingFiltersSchema.optional().parse(item.filters),
    ...(item.fromTemplate ? { fromTemplate: fromTemplateSchema.parse(item.fromTemplate) } : {}),
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
    counts: { targeted: Number(item.targeted ?? 0), ...tally.counts },
    ...(tally.lastProgressAt ? { lastProgressAt: tally.lastProgressAt } : {}),
    ...(tally.cost ? { cost: tally.cost } : {}),
  };
}
