import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryEveryPage } from './query-every-page.js';
import { languages, languageSchema, languageSourceSchema } from '../../domain/language.js';
import { channelSchema, type Channel } from '../../domain/model.js';
import { shardOf } from '../../domain/sharding.js';
import type { CountedLanguage, TopicSubscriberCounts } from '../../topics/topic-store.js';
import { keptLanguageOf } from '../../consent/kept-language.js';
import { batchGetAll } from './batch-get.js';
import { isConditionFailure } from './conditions.js';
import { keys } from './keys.js';

/** On a subscription item: the language its count is under, so taking it away or moving it takes it from there. */
export const COUNTED_LANGUAGE = 'countedLanguage';

const countedLanguages: readonly CountedLanguage[] = [...languages, 'none'];
const channelAttribute = (channel: Channel) => `channel_${channel}`;
const languageAttribute = (language: CountedLanguage) => `language_${language}`;

export function countedLanguageOf(value: unknown): CountedLanguage | undefined {
  return value === 'none' ? 'none' : languageSchema.safeParse(value).data;
}

/**
 * A topic shard's subscriber counters (its `#COUNT` item): the total, and beside it by channel
 * and by language, all moved in the same single write as the total always was, so a subscription
 * or an unsubscription costs nothing more. A language change moves each of the resident's
 * subscriptions from one language's counter to another's: two writes per subscription, and only
 * when a language changes (LANG, a language inferred from a text), never per message.
 *
 * Which language a subscription is counted under is kept on the subscription itself, and every
 * move is conditional on it, so of a JOIN and a LANG racing, exactly one moves it; the JOIN looks
 * at the profile again after it counts (`settle`), so one that read the language just before a
 * LANG still ends under the new one. Like the total, a count is one write after the subscription's
 * own: a crash between the two leaves the count one out, which is the total's existing risk.
 */
export class TopicCounters {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly shardCount: number,
  ) {}

  /** Adds (or with -1, takes away) one subscription; `language` undefined for one counted before languages were. */
  async add(topicId: string, shard: number, channel: Channel, language: CountedLanguage | undefined, delta: number): Promise<void> {
    const names: Record<string, string> = { '#count': 'count', '#channel': channelAttribute(channel) };
    if (language) names['#language'] = languageAttribute(language);
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.topicShardCount(topicId, shard),
        UpdateExpression: `ADD #count :delta, #channel :delta${language ? ', #language :delta' : ''}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':delta': delta },
      }),
    );
  }

  /** The language a resident's subscriptions are counted under: the one they receive, read strongly. */
  async languageOf(phone: string): Promise<CountedLanguage> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: keys.profile(phone), ProjectionExpression: '#language, languageSource', ExpressionAttributeNames: { '#language': 'language' }, ConsistentRead: true }),
    );
    const kept = keptLanguageOf({ language: languageSchema.safeParse(Item?.language).data, languageSource: languageSourceSchema.safeParse(Item?.languageSource).data });
    return kept?.language ?? 'none';
  }

  /**
   * Moves each of the resident's subscriptions (or only `only`) that is counted under another
   * language than their profile's now to it. Safe to repeat and to run beside another settle.
   */
  async settle(phone: string, only?: { channel: Channel; topicId: string }): Promise<void> {
    const language = await this.languageOf(phone);
    const subscriptions = only ? await this.subscription(phone, only.channel, only.topicId) : await this.subscriptions(phone);
    for (const item of subscriptions) {
      const counted = countedLanguageOf(item[COUNTED_LANGUAGE]);
      if (counted === language) continue;
      const channel = channelSchema.parse(item.channel);
      const topicId = String(item.topicId);
      try {
        await this.documents.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.subscription(phone, channel, topicId),
            UpdateExpression: 'SET #counted = :to',
            ConditionExpression: counted ? 'attribute_exists(pk) AND #counted = :from' : 'attribute_exists(pk) AND attribute_not_exists(#counted)',
            ExpressionAttributeNames: { '#counted': COUNTED_LANGUAGE },
            ExpressionAttributeValues: { ':to': language, ...(counted ? { ':from': counted } : {}) },
          }),
        );
      } catch (error) {
        if (isConditionFailure(error)) continue; // gone, or moved by the other settle
        throw error;
      }
      await this.move(topicId, shardOf(phone, this.shardCount), counted, language);
    }
  }

  /** Every shard's counters of a topic, summed. */
  async read(topicId: string): Promise<TopicSubscriberCounts> {
    const shardKeys = Array.from({ length: this.shardCount }, (_, shard) => keys.topicShardCount(topicId, shard));
    // batchGetAll retries the shards DynamoDB leaves unprocessed under throttling, which would
    // otherwise be counted as empty.
    const items = await batchGetAll(this.documents, this.tableName, shardKeys);
    const sum = (attribute: string) => items.reduce((total, item) => total + Number(item[attribute] ?? 0), 0);
    return {
      total: sum('count'),
      byChannel: Object.fromEntries(channelSchema.options.map((channel) => [channel, sum(channelAttribute(channel))])) as Record<Channel, number>,
      byLanguage: Object.fromEntries(countedLanguages.map((language) => [language, sum(languageAttribute(language))])) as Record<CountedLanguage, number>,
    };
  }

  private async move(topicId: string, shard: number, from: CountedLanguage | undefined, to: CountedLanguage): Promise<void> {
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.topicShardCount(topicId, shard),
        UpdateExpression: from ? 'ADD #to :one, #from :minusOne' : 'ADD #to :one',
        ExpressionAttributeNames: { '#to': languageAttribute(to), ...(from ? { '#from': languageAttribute(from) } : {}) },
        ExpressionAttributeValues: { ':one': 1, ...(from ? { ':minusOne': -1 } : {}) },
      }),
    );
  }

  private async subscription(phone: string, channel: Channel, topicId: string): Promise<Record<string, unknown>[]> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.subscription(phone, channel, topicId), ConsistentRead: true }));
    return Item ? [Item] : [];
  }

  private async subscriptions(phone: string): Promise<Record<string, unknown>[]> {
    return queryEveryPage(this.documents, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.subscriberPartition(phone), ':prefix': 'TOPIC#' },
      ConsistentRead: true,
    });
  }
}
