import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { skipReasonSchema, type BroadcastCounts, type SkipReason } from '../../domain/model.js';
import { addTotals, emptyTotals, recipientsDone, type JobTotals } from '../../broadcasts/job-totals.js';
import type { BroadcastTally, CountsDelta, JobRecording } from '../../broadcasts/broadcast-store.js';
import { isConditionFailure } from './conditions.js';
import { keys } from './keys.js';

/**
 * A broadcast's outcome counters (its COUNTS item) and its send jobs' exact totals (one JOB# item
 * each): the part of the broadcast store that moves per batch and per receipt. See keys.ts for
 * why they are items of their own.
 */
export class DynamoBroadcastCounters {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The counters of a new broadcast; refused (ConditionalCheckFailed) when the broadcast's id is taken. */
  async create(id: string, counts: Omit<BroadcastCounts, 'targeted'>, cost: BroadcastTally['cost']): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.broadcastCounts(id),
          type: 'broadcastCounts',
          ...counterAttributes({ ...counts, ...(cost ? { costMicros: cost.estimatedMicros } : {}) }),
          ...(cost ? { costCurrency: cost.currency } : {}),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async add(id: string, delta: CountsDelta, progressAt: string | undefined): Promise<BroadcastTally | undefined> {
    const additions = counterAttributes(delta);
    const names = Object.keys(additions);
    const currency = delta.costMicros && delta.costCurrency ? delta.costCurrency : undefined;
    const set = [
      ...(currency ? ['costCurrency = if_not_exists(costCurrency, :costCurrency)'] : []),
      ...(progressAt ? ['lastProgressAt = :progressAt'] : []),
    ];
    if (names.length === 0 && set.length === 0) return this.get(id);
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.broadcastCounts(id),
          UpdateExpression: [
            ...(names.length > 0 ? [`ADD ${names.map((_, index) => `#a${index} :a${index}`).join(', ')}`] : []),
            ...(set.length > 0 ? [`SET ${set.join(', ')}`] : []),
          ].join(' '),
          // Created with the broadcast: an ADD never makes counters for a broadcast that does not exist.
          ConditionExpression: 'attribute_exists(pk)',
          ...(names.length > 0 ? { ExpressionAttributeNames: Object.fromEntries(names.map((name, index) => [`#a${index}`, name])) } : {}),
          ExpressionAttributeValues: {
            ...Object.fromEntries(names.map((name, index) => [`:a${index}`, additions[name]])),
            ...(currency ? { ':costCurrency': currency } : {}),
            ...(progressAt ? { ':progressAt': progressAt } : {}),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return tallyOf(Attributes ?? {});
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async receiptsCountedUpTo(id: string, shard: string): Promise<string | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.broadcastCounts(id),
        ConsistentRead: true,
        ProjectionExpression: '#position',
        ExpressionAttributeNames: { '#position': countedUpToAttribute(shard) },
      }),
    );
    const position = Item?.[countedUpToAttribute(shard)];
    return typeof position === 'string' ? position : undefined;
  }

  async addReceiptCounts(
    id: string,
    shard: string,
    from: string | undefined,
    upTo: string,
    delta: Pick<CountsDelta, 'delivered' | 'undelivered'>,
  ): Promise<boolean | undefined> {
    const additions = counterAttributes(delta);
    const names = Object.keys(additions);
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.broadcastCounts(id),
          UpdateExpression: [
            ...(names.length > 0 ? [`ADD ${names.map((_, index) => `#a${index} :a${index}`).join(', ')}`] : []),
            'SET #position = :upTo',
          ].join(' '),
          ConditionExpression: `attribute_exists(pk) AND ${from === undefined ? 'attribute_not_exists(#position)' : '#position = :from'}`,
          ExpressionAttributeNames: {
            '#position': countedUpToAttribute(shard),
            ...Object.fromEntries(names.map((name, index) => [`#a${index}`, name])),
          },
          ExpressionAttributeValues: {
            ':upTo': upTo,
            ...(from === undefined ? {} : { ':from': from }),
            ...Object.fromEntries(names.map((name, index) => [`:a${index}`, additions[name]])),
          },
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Told apart with a read only when the condition failed: a missing item, or a moved position.
      return (await this.item(id)) ? false : undefined;
    }
  }

  /** The COUNTS item as stored, read strongly; undefined when there is none. */
  async item(id: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: keys.broadcastCounts(id), ConsistentRead: true }),
    );
    return Item;
  }

  async recordJob(id: string, jobId: string, totals: JobTotals, at: string): Promise<JobRecording> {
    const done = recipientsDone(totals);
    try {
      const { Attributes } = await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.broadcastJob(id, jobId),
            type: 'broadcastJob',
            jobId,
            ...counterAttributes(totals),
            ...(totals.costCurrency ? { costCurrency: totals.costCurrency } : {}),
            done,
            updatedAt: at,
          },
          // Recipients done only ever grow for a job (records move forward, skips stay): a run
          // that counted fewer is an older one, and must not take a later run's totals back.
          ConditionExpression: 'attribute_not_exists(pk) OR done <= :done',
          ExpressionAttributeValues: { ':done': done },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return { recorded: true, previous: Attributes ? totalsOf(Attributes) : undefined };
    } catch (error) {
      if (isConditionFailure(error)) return { recorded: false };
      throw error;
    }
  }

  async sumOfJobs(id: string): Promise<{ jobs: number; totals: JobTotals }> {
    let sum = emptyTotals();
    let jobs = 0;
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :jobs)',
          ExpressionAttributeValues: { ':pk': keys.broadcastPartition(id), ':jobs': keys.broadcastJobPrefix },
          ConsistentRead: true,
          ExclusiveStartKey: cursor,
        }),
      );
      for (const item of page.Items ?? []) sum = addTotals(sum, totalsOf(item));
      jobs += page.Items?.length ?? 0;
      cursor = page.LastEvaluatedKey;
    } while (cursor);
    return { jobs, totals: sum };
  }

  async settle(id: string, totals: JobTotals): Promise<void> {
    const set: Record<string, number> = { sent: totals.sent, failed: totals.failed, skipped: totals.skipped, costMicros: totals.costMicros };
    const removed: string[] = [];
    for (const reason of skipReasonSchema.options) {
      const count = totals.skippedBy[reason] ?? 0;
      // A reason nobody was skipped for is absent, as it is before any skip.
      if (count > 0) set[reasonAttribute(reason)] = count;
      else removed.push(reasonAttribute(reason));
    }
    const names = [...Object.keys(set), ...removed];
    const name = (attribute: string) => `#n${names.indexOf(attribute)}`;
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.broadcastCounts(id),
        UpdateExpression: `SET ${[
          ...Object.keys(set).map((attribute) => `${name(attribute)} = :n${names.indexOf(attribute)}`),
          ...(totals.costCurrency ? ['costCurrency = if_not_exists(costCurrency, :costCurrency)'] : []),
        ].join(', ')}${removed.length > 0 ? ` REMOVE ${removed.map(name).join(', ')}` : ''}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: Object.fromEntries(names.map((attribute) => [name(attribute), attribute])),
        ExpressionAttributeValues: {
          ...Object.fromEntries(Object.entries(set).map(([attribute, value]) => [`:n${names.indexOf(attribute)}`, value])),
          ...(totals.costCurrency ? { ':costCurrency': totals.costCurrency } : {}),
        },
      }),
    );
  }

  /** The counters of a broadcast that never went out (so has no jobs). */
  async delete(id: string): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: keys.broadcastCounts(id) }));
  }

  private async get(id: string): Promise<BroadcastTally | undefined> {
    const item = await this.item(id);
    return item ? tallyOf(item) : undefined;
  }
}

/**
 * Where counting got to in one shard of the table's change stream, one attribute per shard on the
 * COUNTS item (a broadcast's receipts arrive over a few shards: each ~60 bytes).
 */
const countedUpToAttribute = (shard: string) => `receiptsCounted#${shard}`;

const SKIPPED_BY = 'skippedBy#';

/** One top-level number per reason: an ADD only reaches top-level attributes, not a map's entries. */
const reasonAttribute = (reason: SkipReason) => `${SKIPPED_BY}${reason}`;

/** The non-zero counters of a delta (or totals) as the attributes that hold them. */
function counterAttributes(delta: CountsDelta): Record<string, number> {
  const attributes: Record<string, number> = {};
  for (const name of ['sent', 'delivered', 'undelivered', 'failed', 'skipped', 'costMicros'] as const) {
    const value = delta[name];
    if (value) attributes[name] = value;
  }
  for (const reason of skipReasonSchema.options) {
    const value = delta.skippedBy?.[reason];
    if (value) attributes[reasonAttribute(reason)] = value;
  }
  return attributes;
}

function skippedByOf(item: Record<string, unknown>): Partial<Record<SkipReason, number>> {
  return Object.fromEntries(
    skipReasonSchema.options.flatMap((reason) => {
      const count = Number(item[reasonAttribute(reason)] ?? 0);
      return count !== 0 ? [[reason, count]] : [];
    }),
  );
}

/**
 * The counters of a COUNTS item; of a broadcast item too, for broadcasts made before counters had
 * an item of their own (they kept them, under the same names, on the broadcast).
 */
export function tallyOf(item: Record<string, unknown>): BroadcastTally {
  const count = (name: string) => Number(item[name] ?? 0);
  return {
    counts: {
      sent: count('sent'),
      delivered: count('delivered'),
      undelivered: count('undelivered'),
      failed: count('failed'),
      skipped: count('skipped'),
      skippedBy: skippedByOf(item),
    },
    cost: typeof item.costCurrency === 'string' ? { currency: item.costCurrency, estimatedMicros: count('costMicros') } : undefined,
    lastProgressAt: typeof item.lastProgressAt === 'string' ? item.lastProgressAt : undefined,
  };
}

function totalsOf(item: Record<string, unknown>): JobTotals {
  const { counts, cost } = tallyOf(item);
  return {
    sent: counts.sent,
    failed: counts.failed,
    skipped: counts.skipped,
    skippedBy: counts.skippedBy ?? {},
    costMicros: Number(item.costMicros ?? 0),
    costCurrency: cost?.currency,
  };
}
