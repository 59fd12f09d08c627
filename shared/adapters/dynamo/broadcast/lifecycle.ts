import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { finalStatuses } from '../../../broadcasts/broadcast-lifecycle.js';
import type { Broadcast, BroadcastStatus } from '../../../domain/model.js';
import type { BroadcastChanges } from '../../../broadcasts/broadcast-store.js';
import { isConditionFailure } from '../conditions.js';
import { keys } from '../keys.js';
import type { BroadcastTable } from './table.js';

/**
 * The broadcast store's lifecycle part: creating a broadcast with its counters, listing and topic
 * log, moving its status, the sweeper's list of broadcasts sending, and deleting one that never went out.
 */
export class DynamoBroadcastLifecycle {
  constructor(private readonly table: BroadcastTable) {}

  async create(broadcast: Broadcast): Promise<void> {
    const { counts, cost, lastProgressAt: _lastProgressAt, ...rest } = broadcast;
    const { targeted, ...outcomes } = counts;
    // Counters first, each write refused if the id is taken: a broadcast item never lacks them.
    await this.table.counters.create(broadcast.id, outcomes, cost);
    await this.table.documents.send(
      new PutCommand({
        TableName: this.table.tableName,
        Item: { ...keys.broadcast(broadcast.id), type: 'broadcast', ...rest, targeted },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    // After the broadcast item, so the sweeper never finds a listed id with nothing behind it.
    if (broadcast.status === 'sending') await this.table.listAsSending(broadcast.id);
    // The listing staff page through; written after the broadcast, so it never names a missing one.
    await this.table.documents.send(
      new PutCommand({
        TableName: this.table.tableName,
        Item: { ...keys.broadcastListing(broadcast.createdAt, broadcast.id), type: 'broadcastListing', broadcastId: broadcast.id },
      }),
    );
    // A small log per topic, so a resident's reply can be linked to the broadcast it answers.
    for (const topicId of broadcast.topics) {
      await this.table.documents.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: { ...keys.topicBroadcast(topicId, broadcast.createdAt, broadcast.id), type: 'topicBroadcast', broadcastId: broadcast.id },
        }),
      );
    }
  }

  /**
   * A move to sending lists the broadcast as sending before the status moves (so a sending
   * broadcast is always listed) and a move away from it takes it off after (a crash in between
   * leaves a listing the sweeper drops once the broadcast is over).
   */
  async transition(id: string, from: readonly BroadcastStatus[], to: BroadcastStatus, changes: BroadcastChanges = {}): Promise<boolean> {
    if (to === 'sending') await this.table.listAsSending(id);
    const moved = await this.move(id, from, to, changes);
    if (moved && to !== 'sending' && from.includes('sending')) await this.table.unlistAsSending(id);
    return moved;
  }

  private async move(id: string, from: readonly BroadcastStatus[], to: BroadcastStatus, changes: BroadcastChanges): Promise<boolean> {
    const fromValues = Object.fromEntries(from.map((status, index) => [`:from${index}`, status]));
    const set = Object.entries(changes).filter(([, value]) => value !== undefined && value !== null);
    const removed = Object.entries(changes).flatMap(([name, value]) => (value === null ? [name] : []));
    try {
      await this.table.documents.send(
        new UpdateCommand({
          TableName: this.table.tableName,
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

  /** Eventually consistent: a listing written a second ago can wait for the next minute's sweep. */
  async sending(): Promise<Broadcast[]> {
    const { Items } = await this.table.documents.send(
      new QueryCommand({ TableName: this.table.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.sendingPartition } }),
    );
    const sending: Broadcast[] = [];
    for (const listed of Items ?? []) {
      const id = String(listed.sk);
      const broadcast = await this.table.get(id);
      if (broadcast?.status === 'sending') sending.push(broadcast);
      // Dropped only once the broadcast is over: one still on its way to sending keeps its listing.
      else if (!broadcast || finalStatuses.includes(broadcast.status)) await this.table.unlistAsSending(id);
    }
    return sending;
  }

  /**
   * Removes a broadcast that never went out (its submission failed) with its listing and topic
   * log entries: left behind, they would fill pages of the listing and the topic's "latest
   * broadcasts" with one that does not exist. It never sent, so it has no jobs; its counters go
   * too. The broadcast item goes last, so a delete that fails part-way can be repeated.
   */
  async delete(id: string): Promise<void> {
    const { Item } = await this.table.documents.send(
      new GetCommand({ TableName: this.table.tableName, Key: keys.broadcast(id), ProjectionExpression: 'createdAt, topics', ConsistentRead: true }),
    );
    if (!Item) return;
    const createdAt = String(Item.createdAt);
    const related = [keys.broadcastListing(createdAt, id), ...((Item.topics as string[] | undefined) ?? []).map((topicId) => keys.topicBroadcast(topicId, createdAt, id))];
    for (const key of related) await this.table.documents.send(new DeleteCommand({ TableName: this.table.tableName, Key: key }));
    await this.table.unlistAsSending(id);
    await this.table.counters.delete(id);
    await this.table.documents.send(new DeleteCommand({ TableName: this.table.tableName, Key: keys.broadcast(id) }));
  }
}
