import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Language, LanguageSource } from '../../../domain/language.js';
import type { Channel, ConsentEvidence, SubscriberProfile } from '../../../domain/model.js';
import type { ProfileChanges, ProfileStore } from '../../../residents/profile-store.js';
import { batchGetAll } from '../batch-get.js';
import { isConditionFailure } from '../conditions.js';
import { keys } from '../keys.js';
import { toProfile } from './items.js';
import type { SubscriberTable } from './table.js';

/**
 * The subscriber store's profile part: reading profiles, the resident's own changes (language,
 * area, age band), the daily acknowledgement and the WhatsApp window.
 */
export class DynamoProfileWrites implements Omit<ProfileStore, 'getProfile'> {
  constructor(private readonly table: SubscriberTable) {}

  async profilesOf(phones: readonly string[], options: { consistent: boolean }): Promise<Map<string, SubscriberProfile>> {
    const unique = [...new Set(phones)];
    const items = await batchGetAll(this.table.documents, this.table.tableName, unique.map((phone) => keys.profile(phone)), undefined, options.consistent);
    const profiles = new Map<string, SubscriberProfile>();
    for (const item of items) {
      const phone = String(item.pk).slice('SUB#'.length);
      profiles.set(phone, toProfile(phone, item));
    }
    return profiles;
  }

  async updateProfile(phone: string, channel: Channel, changes: ProfileChanges, at: string, evidence: ConsentEvidence): Promise<void> {
    const entries = Object.entries(changes).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
    const removed = Object.entries(changes).flatMap(([name, value]) => (value === null ? [name] : []));
    if (entries.length + removed.length === 0) return;
    const recorded = { ...Object.fromEntries(entries), ...Object.fromEntries(removed.map((name) => [name, 'removed'])) };
    await this.table.putConsent(phone, { at, action: 'profile', channel, topicId: undefined, evidence, changes: recorded });
    const names = [...entries.map(([name]) => name), ...removed];
    await this.table.documents.send(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: keys.profile(phone),
        UpdateExpression: `SET #createdAt = if_not_exists(#createdAt, :at), #type = :type${entries.map(([name]) => `, #${name} = :${name}`).join('')}${removed.length > 0 ? ` REMOVE ${removed.map((name) => `#${name}`).join(', ')}` : ''}`,
        ExpressionAttributeNames: { '#createdAt': 'createdAt', '#type': 'type', ...Object.fromEntries(names.map((name) => [`#${name}`, name])) },
        ExpressionAttributeValues: { ':at': at, ':type': 'profile', ...Object.fromEntries(entries.map(([name, value]) => [`:${name}`, value])) },
      }),
    );
    // Their subscriptions are counted under their language: they move with it.
    if (names.includes('language') || names.includes('languageSource')) await this.table.counters.settle(phone);
  }

  async keepInferredLanguage(phone: string, channel: Channel, language: Language, at: string, evidence: ConsentEvidence): Promise<boolean> {
    const source: LanguageSource = 'inferred';
    // Its own record (the `language` part of the key): the same text may also set an area or an
    // age band (ARDAL CF10 is Welsh), whose record is keyed by the same evidence.
    await this.table.putConsent(phone, { at, action: 'profile', channel, topicId: undefined, evidence, changes: { language, languageSource: source } }, 'language');
    try {
      await this.table.documents.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: keys.profile(phone),
          UpdateExpression: 'SET #createdAt = if_not_exists(#createdAt, :at), #type = :type, #language = :language, #source = :source',
          // A language without a source was chosen (LANG or an import, before sources were kept).
          ConditionExpression: 'attribute_not_exists(#language) OR #source = :source',
          ExpressionAttributeNames: { '#createdAt': 'createdAt', '#type': 'type', '#language': 'language', '#source': 'languageSource' },
          ExpressionAttributeValues: { ':at': at, ':type': 'profile', ':language': language, ':source': source },
        }),
      );
      await this.table.counters.settle(phone);
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async claimDailyAcknowledgement(phone: string, day: string, at = `${day}T00:00:00.000Z`): Promise<boolean> {
    try {
      await this.table.documents.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: keys.profile(phone),
          UpdateExpression: 'SET #type = :type, #createdAt = if_not_exists(#createdAt, :at), #acknowledged = :day',
          ConditionExpression: 'attribute_not_exists(#acknowledged) OR #acknowledged <> :day',
          ExpressionAttributeNames: { '#type': 'type', '#createdAt': 'createdAt', '#acknowledged': 'acknowledgedOn' },
          ExpressionAttributeValues: { ':type': 'profile', ':day': day, ':at': at },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async recordWhatsAppWindow(phone: string, at: string): Promise<void> {
    await this.table.documents.send(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: keys.profile(phone),
        UpdateExpression: 'SET #type = :type, #createdAt = if_not_exists(#createdAt, :at), whatsappWindowOpenedAt = :at',
        ExpressionAttributeNames: { '#type': 'type', '#createdAt': 'createdAt' },
        ExpressionAttributeValues: { ':type': 'profile', ':at': at },
      }),
    );
  }
}
