import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { decodeBroadcastCursor, encodeBroadcastCursor } from '../../../broadcasts/broadcast-cursor.js';
import type { Broadcast } from '../../../domain/model.js';
import type { BroadcastQuery, ScheduledStart } from '../../../broadcasts/broadcast-store.js';
import type { Page } from '../../../ports/page.js';
import { keys } from '../keys.js';
import { pageOfQuery } from '../query-page.js';
import type { BroadcastTable } from './table.js';

/** The broadcast store's listings part: the staff's listing, a topic's latest broadcasts, and scheduled starts. */
export class DynamoBroadcastListings {
  constructor(private readonly table: BroadcastTable) {}

  async recentForTopic(topicId: string, limit: number): Promise<{ broadcastId: string; createdAt: string }[]> {
    const { Items } = await this.table.documents.send(
      new QueryCommand({
        TableName: this.table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.topicBroadcastsPartition(topicId) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map((item) => ({ broadcastId: String(item.broadcastId), createdAt: String(item.sk).split('#')[0] ?? '' }));
  }

  /**
   * Newest first from the one listing partition, then each broadcast read for its current state.
   * Department and status are filtered after reading, so a page can hold fewer than `limit` while
   * `nextCursor` says more may follow. One entry more than the page is listed (and not read), so a
   * cursor is given only when an entry follows (query-page.ts).
   */
  async list(query: BroadcastQuery): Promise<Page<Broadcast>> {
    const response = await this.table.documents.send(
      new QueryCommand({
        TableName: this.table.tableName,
        KeyConditionExpression: query.cursor === undefined ? 'pk = :pk' : 'pk = :pk AND sk < :after',
        ExpressionAttributeValues: {
          ':pk': keys.broadcastsPartition,
          ...(query.cursor === undefined ? {} : { ':after': decodeBroadcastCursor(query.cursor) }),
        },
        ScanIndexForward: false,
        Limit: query.limit + 1,
      }),
    );
    const { items: listed, resumeAfter } = pageOfQuery(response.Items ?? [], response.LastEvaluatedKey, query.limit);
    const broadcasts = await Promise.all(listed.map((item) => this.table.get(String(item.broadcastId))));
    const items = broadcasts.filter(
      (broadcast): broadcast is Broadcast =>
        broadcast !== undefined &&
        (query.department === '*' || broadcast.department === query.department) &&
        (query.status === undefined || broadcast.status === query.status),
    );
    return { items, cursor: resumeAfter ? encodeBroadcastCursor(String(resumeAfter.sk)) : undefined };
  }

  async scheduleStart(id: string, startsAt: string): Promise<void> {
    await this.table.documents.send(
      new PutCommand({ TableName: this.table.tableName, Item: { ...keys.scheduledStart(startsAt, id), type: 'scheduledStart', broadcastId: id, startsAt } }),
    );
  }

  async dueToStart(now: string, limit: number): Promise<ScheduledStart[]> {
    const { Items } = await this.table.documents.send(
      new QueryCommand({
        TableName: this.table.tableName,
        KeyConditionExpression: 'pk = :pk AND sk <= :due',
        ExpressionAttributeValues: { ':pk': keys.scheduledPartition, ':due': `${now}#\uffff` },
        ConsistentRead: true,
        Limit: limit,
      }),
    );
    return (Items ?? []).map((item) => ({ broadcastId: String(item.broadcastId), startsAt: String(item.startsAt) }));
  }

  async clearScheduledStart(start: ScheduledStart): Promise<void> {
    await this.table.documents.send(new DeleteCommand({ TableName: this.table.tableName, Key: keys.scheduledStart(start.startsAt, start.broadcastId) }));
  }

}
