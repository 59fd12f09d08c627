import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Broadcast } from '../../../domain/model.js';
import type { FanOutCheckpoint, FanOutDelta } from '../../../broadcasts/broadcast-store.js';
import { isConditionFailure } from '../conditions.js';
import { keys } from '../keys.js';
import { checkpointAttribute, toBroadcast } from './items.js';
import type { BroadcastTable } from './table.js';

/** The broadcast store's fan-out part: each fan-out task's checkpoint, moved with the broadcast's counters. */
export class DynamoFanOutWrites {
  constructor(private readonly table: BroadcastTable) {}

  async fanOutCheckpoint(id: string, topicId: string, shard: number): Promise<FanOutCheckpoint | undefined> {
    const { Item } = await this.table.documents.send(
      new GetCommand({
        TableName: this.table.tableName,
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
      const { Attributes } = await this.table.documents.send(
        new UpdateCommand({
          TableName: this.table.tableName,
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
      return toBroadcast(Attributes ?? {}, await this.table.counters.item(id));
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

}
