import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryEveryPage } from '../query-every-page.js';
import { channelSchema, type Channel, type ConsentEvent, type ConsentEvidence, type SubscriberProfile, type Subscription } from '../../../domain/model.js';
import { consentRecordSubject, evidenceRef, subscribeOutcome, type SubscriptionWrite } from '../../../consent/consent-rules.js';
import { shardOf } from '../../../domain/sharding.js';
import { isConditionFailure } from '../conditions.js';
import { keys } from '../keys.js';
import { COUNTED_LANGUAGE, countedLanguageOf, TopicCounters } from '../topic-counters.js';
import { IMPORT_BATCH, liftOptOutClause, toProfile } from './items.js';

/**
 * The writes and reads that several parts of the subscriber store share (a resident's partition,
 * a consent record, adding and removing one subscription with its index entry and count). Each
 * decides nothing beyond what its condition expression says; the parts call them in the order
 * that keeps a retry safe.
 */
export class SubscriberTable {
  readonly counters: TopicCounters;

  constructor(
    readonly documents: DynamoDBDocumentClient,
    readonly tableName: string,
    readonly shardCount: number,
  ) {
    this.counters = new TopicCounters(documents, tableName, shardCount);
  }

  async getProfile(phone: string): Promise<SubscriberProfile | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.profile(phone) }));
    return Item ? toProfile(phone, Item) : undefined;
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

  /**
   * Without transactions (dynalite has none), as a sequence of idempotent writes that a retry can
   * replay: the consent record first (evidence before effect), then the profile, the index entry,
   * and last the subscription itself, whose conditional put decides "new" and counts it once.
   * Whether it lifts the channel's opt-out, and what it records, is subscribeOutcome's to say.
   */
  async addSubscription(
    phone: string,
    channel: Channel,
    topicId: string,
    at: string,
    evidence: ConsentEvidence,
    how: SubscriptionWrite,
    importBatch?: string,
  ): Promise<boolean> {
    const existing = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: keys.subscription(phone, channel, topicId), ConsistentRead: true }),
    );
    const outcome = subscribeOutcome(how, existing.Item !== undefined);
    if (!outcome.subscribes) return false;
    const shard = shardOf(phone, this.shardCount);
    const language = await this.counters.languageOf(phone);
    await this.putConsent(phone, { at, action: outcome.action, channel, topicId, evidence });
    if (outcome.liftsOptOut) await this.touchProfile(phone, at, liftOptOutClause(channel));
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.topicIndexEntry(topicId, shard, phone, channel), type: 'topicIndexEntry', phone, channel },
      }),
    );
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.subscription(phone, channel, topicId),
            type: 'subscription',
            channel,
            topicId,
            since: at,
            [COUNTED_LANGUAGE]: language,
            ...(importBatch ? { [IMPORT_BATCH]: importBatch } : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return false; // a concurrent JOIN got there first
      throw error;
    }
    await this.counters.add(topicId, shard, channel, language, 1);
    // A LANG between the read of their language and the subscription did not see it: moved now.
    await this.counters.settle(phone, { channel, topicId });
    return true;
  }

  /** Leaves one topic: the subscription's conditional delete decides, so the count moves once. */
  async removeSubscription(subscription: Subscription): Promise<void> {
    const shard = shardOf(subscription.phone, this.shardCount);
    let removed: Record<string, unknown> | undefined;
    try {
      ({ Attributes: removed } = await this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.subscription(subscription.phone, subscription.channel, subscription.topicId),
          ConditionExpression: 'attribute_exists(pk)',
          // Which language's counter it was under, from the delete itself: no read.
          ReturnValues: 'ALL_OLD',
        }),
      ));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return; // someone else removed it first (a retried STOP)
    }
    await this.documents.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: keys.topicIndexEntry(subscription.topicId, shard, subscription.phone, subscription.channel),
      }),
    );
    await this.counters.add(subscription.topicId, shard, subscription.channel, countedLanguageOf(removed?.[COUNTED_LANGUAGE]), -1);
  }

  async touchProfile(phone: string, at: string, removeClause: string): Promise<void> {
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.profile(phone),
        UpdateExpression: `SET #createdAt = if_not_exists(#createdAt, :at), #type = :type ${removeClause}`,
        ExpressionAttributeNames: { '#createdAt': 'createdAt', '#type': 'type' },
        ExpressionAttributeValues: { ':at': at, ':type': 'profile' },
      }),
    );
  }

  /**
   * Keyed by the evidence (see evidenceRef), so replaying the same inbound message rewrites one record.
   * `part` tells apart two records of one kind that the same evidence makes (a text's area and its inferred language).
   */
  async putConsent(phone: string, event: ConsentEvent, part?: string): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.consentEvent(phone, consentRecordSubject(event, part), evidenceRef(event.evidence, event.at)),
          type: 'consentEvent',
          ...event,
        },
      }),
    );
  }

  /** An update whose failed condition means "nothing to do" (the item is gone or already further on). */
  async conditionally(update: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>): Promise<void> {
    try {
      await this.documents.send(new UpdateCommand({ TableName: this.tableName, ...update }));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async queryPartition(phone: string, sortKeyPrefix: string): Promise<Record<string, unknown>[]> {
    return queryEveryPage(this.documents, {
      TableName: this.tableName,
      KeyConditionExpression: sortKeyPrefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
      ExpressionAttributeValues: {
        ':pk': keys.subscriberPartition(phone),
        ...(sortKeyPrefix ? { ':prefix': sortKeyPrefix } : {}),
      },
      // A resident's own records, read to act on them (a STOP removes the subscriptions it
      // finds): one written a moment ago by a JOIN must be seen, or it outlives the STOP.
      ConsistentRead: true,
    });
  }
}
