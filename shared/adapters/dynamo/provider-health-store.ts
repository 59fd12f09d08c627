import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Channel } from '../../domain/model.js';
import type { ProviderName } from '../../domain/provider-names.js';
import type { ChannelRoute, ProviderBreaker, ProviderHealthStore, ProviderShiftCount } from '../../ports/provider-health.js';
import { isConditionFailure } from './conditions.js';
import { keys } from './keys.js';

/**
 * Provider health in the single table. Each write is one UpdateItem (an ADD, or a condition on the
 * route's version): no transactions, which dynalite lacks and which one item at a time never needs.
 */
export class DynamoProviderHealthStore implements ProviderHealthStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async countFailure(channel: Channel, provider: ProviderName, windowStart: number, windowSeconds: number): Promise<{ current: number; previous: number }> {
    const [added, before] = await Promise.all([
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.providerFailures(channel, provider, windowStart),
          // Kept while the next window still reads it as its previous one, then left to TTL.
          UpdateExpression: 'ADD #count :one SET expiresAt = :expiresAt',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':one': 1, ':expiresAt': windowStart + 3 * windowSeconds },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
      this.documents.send(
        new GetCommand({ TableName: this.tableName, Key: keys.providerFailures(channel, provider, windowStart - windowSeconds) }),
      ),
    ]);
    return { current: Number(added.Attributes?.count ?? 1), previous: Number(before.Item?.count ?? 0) };
  }

  async route(channel: Channel): Promise<ChannelRoute | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: keys.providerRoute(channel), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return {
      active: Item.active as ProviderName,
      since: String(Item.since),
      version: Number(Item.version),
      ...(typeof Item.trialStartedAt === 'string' ? { trialStartedAt: Item.trialStartedAt } : {}),
    };
  }

  async shift(channel: Channel, expectedVersion: number, active: ProviderName, at: string): Promise<boolean> {
    return this.conditionally(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.providerRoute(channel),
        UpdateExpression: 'SET #type = :type, active = :active, since = :at, version = :next REMOVE trialStartedAt',
        ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk) OR version = :expected' : 'version = :expected',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: {
          ':type': 'providerRoute',
          ':active': active,
          ':at': at,
          ':next': expectedVersion + 1,
          ':expected': expectedVersion,
        },
      }),
    );
  }

  async claimTrial(channel: Channel, expectedVersion: number, at: string, staleBefore: string): Promise<boolean> {
    return this.claimTrialOf(keys.providerRoute(channel), expectedVersion, at, staleBefore);
  }

  async failureCounts(channel: Channel, provider: ProviderName, windowStart: number, windowSeconds: number): Promise<{ current: number; previous: number }> {
    const [current, previous] = await Promise.all(
      [windowStart, windowStart - windowSeconds].map((start) =>
        this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.providerFailures(channel, provider, start) })),
      ),
    );
    return { current: Number(current?.Item?.count ?? 0), previous: Number(previous?.Item?.count ?? 0) };
  }

  async breakers(channel: Channel): Promise<ProviderBreaker[]> {
    const items = await this.routeItems(channel, 'BREAKER#');
    return items.map((item) => ({
      provider: item.provider as ProviderName,
      open: item.open === true,
      since: String(item.since),
      version: Number(item.version),
      ...(typeof item.trialStartedAt === 'string' ? { trialStartedAt: item.trialStartedAt } : {}),
    }));
  }

  async setBreaker(channel: Channel, provider: ProviderName, expectedVersion: number, open: boolean, at: string): Promise<boolean> {
    return this.conditionally(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.providerBreaker(channel, provider),
        UpdateExpression: 'SET #type = :type, provider = :provider, #open = :open, since = :at, version = :next REMOVE trialStartedAt',
        ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk) OR version = :expected' : 'version = :expected',
        ExpressionAttributeNames: { '#type': 'type', '#open': 'open' },
        ExpressionAttributeValues: {
          ':type': 'providerBreaker',
          ':provider': provider,
          ':open': open,
          ':at': at,
          ':next': expectedVersion + 1,
          ':expected': expectedVersion,
        },
      }),
    );
  }

  async claimBreakerTrial(channel: Channel, provider: ProviderName, expectedVersion: number, at: string, staleBefore: string): Promise<boolean> {
    return this.claimTrialOf(keys.providerBreaker(channel, provider), expectedVersion, at, staleBefore);
  }

  async countShift(channel: Channel, from: ProviderName, to: ProviderName, at: string): Promise<void> {
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.providerShift(channel, from, to),
        UpdateExpression: 'ADD #count :one SET #type = :type, #channel = :channel, #from = :from, #to = :to, lastAt = :at',
        ExpressionAttributeNames: { '#count': 'count', '#type': 'type', '#channel': 'channel', '#from': 'from', '#to': 'to' },
        ExpressionAttributeValues: { ':one': 1, ':type': 'providerShift', ':channel': channel, ':from': from, ':to': to, ':at': at },
      }),
    );
  }

  async shifts(channel: Channel): Promise<ProviderShiftCount[]> {
    const items = await this.routeItems(channel, 'SHIFT#');
    return items.map((item) => ({
      channel,
      from: item.from as ProviderName,
      to: item.to as ProviderName,
      count: Number(item.count),
      lastAt: String(item.lastAt),
    }));
  }

  /** One caller wins the trial while the item is at `expectedVersion` and no fresh trial is under way. */
  private async claimTrialOf(key: Record<string, string>, expectedVersion: number, at: string, staleBefore: string): Promise<boolean> {
    return this.conditionally(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'SET trialStartedAt = :at',
        ConditionExpression: 'version = :expected AND (attribute_not_exists(trialStartedAt) OR trialStartedAt < :staleBefore)',
        ExpressionAttributeValues: { ':at': at, ':expected': expectedVersion, ':staleBefore': staleBefore },
      }),
    );
  }

  private async conditionally(command: UpdateCommand): Promise<boolean> {
    try {
      await this.documents.send(command);
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** A channel's route items of one kind (`BREAKER#…`, `SHIFT#…`), read strongly. */
  private async routeItems(channel: Channel, prefix: string): Promise<Record<string, unknown>[]> {
    const { Items = [] } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.providerRoutePartition(channel), ':prefix': prefix },
        ConsistentRead: true,
      }),
    );
    return Items;
  }
}
