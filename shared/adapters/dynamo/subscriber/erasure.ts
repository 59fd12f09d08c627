import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { channelSchema } from '../../../domain/model.js';
import { erasureFootprint } from '../../../consent/erasure-rules.js';
import { erasureReference, legacyPhoneHash, type PhoneHasher } from '../../../domain/erasure.js';
import type { ErasureFootprint, ErasureStore } from '../../../consent/erasure-store.js';
import type { RetentionPeriods } from '../../../retention/periods.js';
import { expiresAt } from '../../../retention/schedule.js';
import { batchGetAll } from '../batch-get.js';
import { keys } from '../keys.js';
import { heldTopicsAttribute, isResidentRecord, profileLast } from './items.js';
import type { SubscriberTable } from './table.js';

/** The subscriber store's erasure and retention part: tombstones, erasing a resident, and when their record may go. */
export class DynamoErasureWrites implements ErasureStore {
  constructor(
    private readonly table: SubscriberTable,
    private readonly retention: RetentionPeriods,
    private readonly phoneHash: PhoneHasher,
  ) {}

  async beginErasure(phone: string, at: string, actor: string): Promise<ErasureFootprint | undefined> {
    const items = await this.table.queryPartition(phone, '');
    if (items.length === 0) return undefined;
    const named = (subscriptions: boolean) =>
      items.flatMap((item) => (typeof item.topicId === 'string' && String(item.sk).startsWith('TOPIC#') === subscriptions ? [item.topicId] : []));
    const held = items.flatMap((item) => channelSchema.options.flatMap((channel) => {
      const topics = item[heldTopicsAttribute(channel)];
      return Array.isArray(topics) ? topics.map(String) : [];
    }));
    const footprint = erasureFootprint({ subscribed: named(true), recorded: named(false), held });
    await this.putTombstone(phone, at, actor);
    for (const subscription of await this.table.subscriptions(phone)) await this.table.removeSubscription(subscription);
    return footprint;
  }

  /**
   * Replayable: the tombstone first, then off the topic index, then the partition, its profile
   * last, so a retry after a crash part-way still finds the resident and finishes.
   */
  async erase(phone: string, at: string, actor: string): Promise<boolean> {
    const items = await this.table.queryPartition(phone, '');
    if (items.length === 0) return false;
    await this.putTombstone(phone, at, actor);
    for (const subscription of await this.table.subscriptions(phone)) await this.table.removeSubscription(subscription);
    for (const item of profileLast(items)) {
      await this.table.documents.send(new DeleteCommand({ TableName: this.table.tableName, Key: { pk: item.pk, sk: item.sk } }));
    }
    return true;
  }

  /**
   * By the tombstones' keyed hashes, and by the bare SHA-256 tombstones were keyed with before
   * (read only, never written), so that no number erased then comes back with an import either.
   */
  async erasedAmong(phones: readonly string[]): Promise<Set<string>> {
    const unique = [...new Set(phones)];
    const byHash = new Map<string, string>();
    for (const phone of unique) {
      byHash.set(await this.phoneHash(phone), phone);
      byHash.set(legacyPhoneHash(phone), phone);
    }
    const items = await batchGetAll(this.table.documents, this.table.tableName, [...byHash.keys()].map(keys.tombstone), 'pk', true);
    const erased = new Set<string>();
    for (const item of items) {
      const phone = byHash.get(String(item.pk).slice('ERASED#'.length));
      if (phone) erased.add(phone);
    }
    return erased;
  }

  async erasureReference(phone: string): Promise<string> {
    return erasureReference(await this.phoneHash(phone));
  }

  /**
   * Stamps (or lifts) the TTL of the profile and consent events. Write, then check: a JOIN on the
   * other channel may add a subscription while this stamps, and its own settle may have run before
   * these stamps landed; so once stamped, the subscriptions are read again and, if one appeared,
   * the stamps are taken back. Of two concurrent settles, whichever checks last sees both changes.
   */
  async settleRetention(phone: string, at: string): Promise<void> {
    const items = await this.table.queryPartition(phone, '');
    const subscriptions = items.filter((item) => String(item.sk).startsWith('TOPIC#')).length;
    const record = items.filter(isResidentRecord);
    const until = expiresAt({ kind: 'residentRecord', lastChangeAt: at, subscriptions }, this.retention);
    if (until === undefined) {
      await this.keepRecord(record);
      return;
    }
    for (const item of record) {
      await this.table.conditionally({
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: 'SET expiresAt = :until',
        // Not a record erased meanwhile, and never earlier than a later text already set it.
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(expiresAt) OR expiresAt < :until)',
        ExpressionAttributeValues: { ':until': until },
      });
    }
    if ((await this.table.queryPartition(phone, 'TOPIC#')).length > 0) await this.keepRecord((await this.table.queryPartition(phone, '')).filter(isResidentRecord));
  }

  /** Lifts the TTL of these items: the consent events first, the profile last (see settleRetention). */
  private async keepRecord(record: Record<string, unknown>[]): Promise<void> {
    for (const item of profileLast(record.filter((item) => item.expiresAt !== undefined))) {
      await this.table.conditionally({ Key: { pk: item.pk, sk: item.sk }, UpdateExpression: 'REMOVE expiresAt', ConditionExpression: 'attribute_exists(pk)' });
    }
  }

  /** Keeps no number, only its keyed hash; the first erasure's time and actor stay. */
  private async putTombstone(phone: string, at: string, actor: string): Promise<void> {
    await this.table.documents.send(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: keys.tombstone(await this.phoneHash(phone)),
        UpdateExpression: 'SET #type = :type, erasedAt = if_not_exists(erasedAt, :at), erasedBy = if_not_exists(erasedBy, :actor)',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':type': 'tombstone', ':at': at, ':actor': actor },
      }),
    );
  }
}
