import { createHash } from 'node:crypto';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import {
  channelSchema,
  recipientKey,
  type Channel,
  type ConsentAction,
  type ConsentEvent,
  type ConsentEvidence,
  type Recipient,
  type SubscriberProfile,
  type Subscription,
} from '../../domain/model.js';
import { shardOf } from '../../domain/sharding.js';
import type { SubscriberStore } from '../../ports/stores.js';
import { batchGetAll } from './batch-get.js';
import { failedConditionIndexes, isConditionFailure } from './conditions.js';
import { keys } from './keys.js';

/** Flat attribute names, so an update can set or remove one channel's state without a parent map. */
const optedOutAttribute = (channel: Channel) => `optedOut_${channel}`;
const heldTopicsAttribute = (channel: Channel) => `heldTopics_${channel}`;

export class DynamoSubscriberStore implements SubscriberStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly shardCount: number,
  ) {}

  async getProfile(phone: string): Promise<SubscriberProfile | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.profile(phone) }));
    if (!Item) return undefined;
    const profile: SubscriberProfile = { phone, createdAt: String(Item.createdAt), optedOut: {}, heldTopics: {} };
    for (const channel of channelSchema.options) {
      const optedOutAt = Item[optedOutAttribute(channel)];
      if (typeof optedOutAt === 'string') profile.optedOut[channel] = optedOutAt;
      const held = Item[heldTopicsAttribute(channel)];
      if (Array.isArray(held)) profile.heldTopics[channel] = held.map(String);
    }
    return profile;
  }

  async subscriptions(phone: string): Promise<Subscription[]> {
    const items = await this.queryPartition(phone, 'TOPIC#');
    return items.map((item) => ({
      phone,
      channel: channelSchema.parse(item.channel),
      topicId: String(item.topicId),
      since: String(item.since),
    }));
  }

  async consentHistory(phone: string): Promise<ConsentEvent[]> {
    const items = await this.queryPartition(phone, 'CONSENT#');
    return items.map((item) => ({
      at: String(item.at),
      action: item.action as ConsentAction,
      channel: channelSchema.parse(item.channel),
      topicId: typeof item.topicId === 'string' ? item.topicId : undefined,
      evidence: item.evidence as ConsentEvidence,
    }));
  }

  async subscribe(phone: string, channel: Channel, topicId: string, at: string, evidence: ConsentEvidence): Promise<boolean> {
    const shard = shardOf(phone, this.shardCount);
    try {
      await this.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.subscription(phone, channel, topicId), type: 'subscription', channel, topicId, since: at },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.topicIndexEntry(topicId, shard, phone, channel), type: 'topicIndexEntry', phone, channel },
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: keys.topicShardCount(topicId, shard),
                UpdateExpression: 'ADD #count :one',
                ExpressionAttributeNames: { '#count': 'count' },
                ExpressionAttributeValues: { ':one': 1 },
              },
            },
            this.profileUpdate(phone, at, `REMOVE ${optedOutAttribute(channel)}, ${heldTopicsAttribute(channel)}`),
            this.consentPut(phone, { at, action: 'opt_in', channel, topicId, evidence }),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (failedConditionIndexes(error)?.includes(0)) return false;
      throw error;
    }
  }

  async optOut(phone: string, channel: Channel, at: string, evidence: ConsentEvidence): Promise<boolean> {
    const subscriptions = (await this.subscriptions(phone)).filter((s) => s.channel === channel);
    let newlyOptedOut = true;
    try {
      // First and on its own: the flag the sender checks. Everything after it is tidying up.
      await this.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.profile(phone),
                UpdateExpression: `SET #createdAt = if_not_exists(#createdAt, :at), #optedOut = :at, #held = :held`,
                ConditionExpression: 'attribute_not_exists(#optedOut)',
                ExpressionAttributeNames: {
                  '#createdAt': 'createdAt',
                  '#optedOut': optedOutAttribute(channel),
                  '#held': heldTopicsAttribute(channel),
                },
                ExpressionAttributeValues: { ':at': at, ':held': subscriptions.map((s) => s.topicId) },
              },
            },
            this.consentPut(phone, { at, action: 'opt_out', channel, topicId: undefined, evidence }),
          ],
        }),
      );
    } catch (error) {
      // Already opted out on this channel: keep the first STOP's held topics and record.
      if (!failedConditionIndexes(error)?.includes(0)) throw error;
      newlyOptedOut = false;
    }
    for (const subscription of subscriptions) await this.removeSubscription(subscription);
    return newlyOptedOut;
  }

  async restore(phone: string, channel: Channel, at: string, evidence: ConsentEvidence): Promise<string[]> {
    const profile = await this.getProfile(phone);
    if (!profile?.optedOut[channel]) return [];
    const held = profile.heldTopics[channel] ?? [];
    await this.documents.send(
      new TransactWriteCommand({
        TransactItems: [
          this.profileUpdate(phone, at, `REMOVE ${optedOutAttribute(channel)}, ${heldTopicsAttribute(channel)}`),
          this.consentPut(phone, { at, action: 'restore', channel, topicId: undefined, evidence }),
        ],
      }),
    );
    for (const topicId of held) await this.subscribe(phone, channel, topicId, at, evidence);
    return held;
  }

  async erase(phone: string, at: string, actor: string): Promise<boolean> {
    const items = await this.queryPartition(phone, '');
    if (items.length === 0) return false;
    for (const subscription of await this.subscriptions(phone)) await this.removeSubscription(subscription);
    // The tombstone keeps no number, only its hash, so an import can refuse the number later.
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.tombstone(phoneHash(phone)), type: 'tombstone', erasedAt: at, erasedBy: actor },
      }),
    );
    for (const item of await this.queryPartition(phone, '')) {
      await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: item.pk, sk: item.sk } }));
    }
    return true;
  }

  async optedOutAmong(recipients: readonly Recipient[]): Promise<Set<string>> {
    const phones = [...new Set(recipients.map((r) => r.phone))];
    const items = await batchGetAll(
      this.documents,
      this.tableName,
      phones.map((phone) => keys.profile(phone)),
      `pk, ${channelSchema.options.map(optedOutAttribute).join(', ')}`,
    );
    const byPartition = new Map(items.map((item) => [String(item.pk), item]));
    const optedOut = new Set<string>();
    for (const recipient of recipients) {
      const profile = byPartition.get(keys.subscriberPartition(recipient.phone));
      if (profile && typeof profile[optedOutAttribute(recipient.channel)] === 'string') optedOut.add(recipientKey(recipient));
    }
    return optedOut;
  }

  /** Leaves one topic: subscription, index entry and shard count together, exactly once. */
  private async removeSubscription(subscription: Subscription): Promise<void> {
    const shard = shardOf(subscription.phone, this.shardCount);
    try {
      await this.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.tableName,
                Key: keys.subscription(subscription.phone, subscription.channel, subscription.topicId),
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
            {
              Delete: {
                TableName: this.tableName,
                Key: keys.topicIndexEntry(subscription.topicId, shard, subscription.phone, subscription.channel),
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: keys.topicShardCount(subscription.topicId, shard),
                UpdateExpression: 'ADD #count :minusOne',
                ExpressionAttributeNames: { '#count': 'count' },
                ExpressionAttributeValues: { ':minusOne': -1 },
              },
            },
          ],
        }),
      );
    } catch (error) {
      // Someone else removed it first (a retried STOP): the count was already adjusted.
      if (!failedConditionIndexes(error)?.includes(0) && !isConditionFailure(error)) throw error;
    }
  }

  private profileUpdate(phone: string, at: string, removeClause: string) {
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.profile(phone),
        UpdateExpression: `SET #createdAt = if_not_exists(#createdAt, :at), #type = :type ${removeClause}`,
        ExpressionAttributeNames: { '#createdAt': 'createdAt', '#type': 'type' },
        ExpressionAttributeValues: { ':at': at, ':type': 'profile' },
      },
    };
  }

  private consentPut(phone: string, event: ConsentEvent) {
    const ref = event.evidence.kind === 'inbound' ? event.evidence.providerMessageId : event.evidence.actor;
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...keys.consentEvent(phone, event.at, `${ref}#${event.topicId ?? '*'}`), type: 'consentEvent', ...event },
      },
    };
  }

  private async queryPartition(phone: string, sortKeyPrefix: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: sortKeyPrefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
          ExpressionAttributeValues: {
            ':pk': keys.subscriberPartition(phone),
            ...(sortKeyPrefix ? { ':prefix': sortKeyPrefix } : {}),
          },
          ExclusiveStartKey: cursor,
        }),
      );
      items.push(...(page.Items ?? []));
      cursor = page.LastEvaluatedKey;
    } while (cursor);
    return items;
  }
}

export function phoneHash(phone: string): string {
  return createHash('sha256').update(phone).digest('hex');
}
