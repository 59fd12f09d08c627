import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import {
  channelSchema,
  type PendingConfirmation,
  recipientKey,
  type Channel,
  type ConsentAction,
  type ConsentEvent,
  type ConsentEvidence,
  type Recipient,
  type SubscriberProfile,
  type Subscription,
} from '../../domain/model.js';
import { ageBandSchema } from '../../domain/profile.js';
import { languageSchema, type Language, languageSourceSchema, type LanguageSource } from '../../domain/language.js';
import { keptLanguageOf } from '../../residents/kept-language.js';
import { erasureReference, legacyPhoneHash, type PhoneHasher } from '../../domain/erasure.js';
import { ConfigurationError } from '../../domain/errors.js';
import { channelOptOutOf, evidenceRef, heldTopicsOf, startOutcome, stopOn } from '../../consent/consent-rules.js';
import { shardOf } from '../../domain/sharding.js';
import type { ErasureFootprint, ImportedSubscription, ImportEvidence, ProfileChanges, SubscriberStore } from '../../consent/subscriber-store.js';
import { batchGetAll } from './batch-get.js';
import { isConditionFailure } from './conditions.js';
import { keys } from './keys.js';
import { COUNTED_LANGUAGE, countedLanguageOf, TopicCounters } from './topic-counters.js';
import { defaultRetention, type RetentionPeriods } from '../../retention/periods.js';
import { expiresAt } from '../../retention/schedule.js';

/** Flat attribute names, so an update can set or remove one channel's state without a parent map. */
const optedOutAttribute = (channel: Channel) => `optedOut_${channel}`;
const heldTopicsAttribute = (channel: Channel) => `heldTopics_${channel}`;
/** A JOIN to a confirmed-opt-in topic waiting for YES, per channel. */
const pendingAttribute = (channel: Channel) => `pendingConfirmation_${channel}`;
/** The evidence of the STOP that opted the resident out, so a replay of it is recognised. */
const optOutRefAttribute = (channel: Channel) => `optOutRef_${channel}`;

/** Marks the subscription and the profile an import batch created, so its undo takes only those. */
const IMPORT_BATCH = 'importBatch';

export class DynamoSubscriberStore implements SubscriberStore {
  private readonly counters: TopicCounters;

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly shardCount: number,
    private readonly retention: RetentionPeriods = defaultRetention,
    private readonly phoneHash: PhoneHasher = noPhoneHashKey,
  ) {
    this.counters = new TopicCounters(documents, tableName, shardCount);
  }

  async getProfile(phone: string): Promise<SubscriberProfile | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.profile(phone) }));
    return Item ? toProfile(phone, Item) : undefined;
  }

  async profilesOf(phones: readonly string[], options: { consistent: boolean }): Promise<Map<string, SubscriberProfile>> {
    const unique = [...new Set(phones)];
    const items = await batchGetAll(this.documents, this.tableName, unique.map((phone) => keys.profile(phone)), undefined, options.consistent);
    const profiles = new Map<string, SubscriberProfile>();
    for (const item of items) {
      const phone = String(item.pk).slice('SUB#'.length);
      profiles.set(phone, toProfile(phone, item));
    }
    return profiles;
  }

  /**
   * One strongly consistent Query over the resident's partition from PROFILE to the subscription,
   * rather than a BatchGetItem of the two: a Query is billed on the size of what it reads (one
   * read unit per 4 KB), a BatchGetItem per item (one each), so this halves the sender's most
   * frequent read. Between the two sort keys lie only small items (RATE# counters and the
   * resident's other subscriptions sorted before this one, see keys.ts). DynamoDB filters on no
   * key attribute, so they come back too, and are passed over here.
   */
  async consentToSend(phone: string, channel: Channel, topicId: string): Promise<{ profile: SubscriberProfile | undefined; subscribed: boolean }> {
    const profileKey = keys.profile(phone);
    const subscription = keys.subscription(phone, channel, topicId);
    const { Items = [] } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :profile AND :subscription',
        ExpressionAttributeValues: { ':pk': profileKey.pk, ':profile': profileKey.sk, ':subscription': subscription.sk },
        ConsistentRead: true,
      }),
    );
    const profile = Items.find((item) => item.sk === profileKey.sk);
    return { profile: profile ? toProfile(phone, profile) : undefined, subscribed: Items.some((item) => item.sk === subscription.sk) };
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

  /** In the order the changes happened (records are keyed by evidence, so sorted here). */
  async consentHistory(phone: string): Promise<ConsentEvent[]> {
    const items = await this.queryPartition(phone, 'CONSENT#');
    items.sort((a, b) => String(a.at).localeCompare(String(b.at)) || String(a.sk).localeCompare(String(b.sk)));
    return items.map((item) => ({
      at: String(item.at),
      action: item.action as ConsentAction,
      channel: channelSchema.parse(item.channel),
      topicId: typeof item.topicId === 'string' ? item.topicId : undefined,
      evidence: item.evidence as ConsentEvidence,
      ...(item.changes ? { changes: item.changes as Record<string, string> } : {}),
    }));
  }

  async leaveTopic(phone: string, channel: Channel, topicId: string, at: string, evidence: ConsentEvidence): Promise<boolean> {
    const existing = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: keys.subscription(phone, channel, topicId), ConsistentRead: true }),
    );
    if (!existing.Item) return false;
    await this.putConsent(phone, { at, action: 'leave', channel, topicId, evidence });
    await this.removeSubscription({ phone, channel, topicId, since: String(existing.Item.since) });
    return true;
  }

  async updateProfile(phone: string, channel: Channel, changes: ProfileChanges, at: string, evidence: ConsentEvidence): Promise<void> {
    const entries = Object.entries(changes).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
    const removed = Object.entries(changes).flatMap(([name, value]) => (value === null ? [name] : []));
    if (entries.length + removed.length === 0) return;
    const recorded = { ...Object.fromEntries(entries), ...Object.fromEntries(removed.map((name) => [name, 'removed'])) };
    await this.putConsent(phone, { at, action: 'profile', channel, topicId: undefined, evidence, changes: recorded });
    const names = [...entries.map(([name]) => name), ...removed];
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.profile(phone),
        UpdateExpression: `SET #createdAt = if_not_exists(#createdAt, :at), #type = :type${entries.map(([name]) => `, #${name} = :${name}`).join('')}${removed.length > 0 ? ` REMOVE ${removed.map((name) => `#${name}`).join(', ')}` : ''}`,
        ExpressionAttributeNames: { '#createdAt': 'createdAt', '#type': 'type', ...Object.fromEntries(names.map((name) => [`#${name}`, name])) },
        ExpressionAttributeValues: { ':at': at, ':type': 'profile', ...Object.fromEntries(entries.map(([name, value]) => [`:${name}`, value])) },
      }),
    );
    // Their subscriptions are counted under their language: they move with it.
    if (names.includes('language') || names.includes('languageSource')) await this.counters.settle(phone);
  }

  async keepInferredLanguage(phone: string, channel: Channel, language: Language, at: string, evidence: ConsentEvidence): Promise<boolean> {
    const source: LanguageSource = 'inferred';
    // Its own record (the `language` part of the key): the same text may also set an area or an
    // age band (ARDAL CF10 is Welsh), whose record is keyed by the same evidence.
    await this.putConsent(phone, { at, action: 'profile', channel, topicId: undefined, evidence, changes: { language, languageSource: source } }, 'language');
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.profile(phone),
          UpdateExpression: 'SET #createdAt = if_not_exists(#createdAt, :at), #type = :type, #language = :language, #source = :source',
          // A language without a source was chosen (LANG or an import, before sources were kept).
          ConditionExpression: 'attribute_not_exists(#language) OR #source = :source',
          ExpressionAttributeNames: { '#createdAt': 'createdAt', '#type': 'type', '#language': 'language', '#source': 'languageSource' },
          ExpressionAttributeValues: { ':at': at, ':type': 'profile', ':language': language, ':source': source },
        }),
      );
      await this.counters.settle(phone);
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async requestConfirmation(phone: string, pending: PendingConfirmation, evidence: ConsentEvidence): Promise<void> {
    await this.putConsent(phone, { at: pending.requestedAt, action: 'opt_in_requested', channel: pending.channel, topicId: pending.topicId, evidence });
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.profile(phone),
        UpdateExpression: 'SET #createdAt = if_not_exists(#createdAt, :at), #type = :type, #pending = :pending',
        ExpressionAttributeNames: { '#createdAt': 'createdAt', '#type': 'type', '#pending': pendingAttribute(pending.channel) },
        ExpressionAttributeValues: {
          ':at': pending.requestedAt,
          ':type': 'profile',
          ':pending': { topicId: pending.topicId, requestedAt: pending.requestedAt },
        },
      }),
    );
  }

  async takePendingConfirmation(phone: string, channel: Channel): Promise<PendingConfirmation | undefined> {
    const { Attributes } = await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.profile(phone),
        UpdateExpression: 'REMOVE #pending',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#pending': pendingAttribute(channel) },
        ReturnValues: 'UPDATED_OLD',
      }),
    ).catch((error: unknown) => {
      if (isConditionFailure(error)) return { Attributes: undefined };
      throw error;
    });
    const pending = Attributes?.[pendingAttribute(channel)] as { topicId?: unknown; requestedAt?: unknown } | undefined;
    if (typeof pending?.topicId !== 'string' || typeof pending.requestedAt !== 'string') return undefined;
    return { topicId: pending.topicId, channel, requestedAt: pending.requestedAt };
  }

  async claimDailyAcknowledgement(phone: string, day: string, at = `${day}T00:00:00.000Z`): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
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
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.profile(phone),
        UpdateExpression: 'SET #type = :type, #createdAt = if_not_exists(#createdAt, :at), whatsappWindowOpenedAt = :at',
        ExpressionAttributeNames: { '#type': 'type', '#createdAt': 'createdAt' },
        ExpressionAttributeValues: { ':type': 'profile', ':at': at },
      }),
    );
  }

  /**
   * Without transactions (dynalite has none), as a sequence of idempotent writes that a retry can
   * replay: the consent record first (evidence before effect), then the profile, the index entry,
   * and last the subscription itself, whose conditional put decides "new" and counts it once.
   */
  async subscribe(
    phone: string,
    channel: Channel,
    topicId: string,
    at: string,
    evidence: ConsentEvidence,
    action: 'opt_in' | 'confirm' = 'opt_in',
  ): Promise<boolean> {
    return this.addSubscription(phone, channel, topicId, at, evidence, { liftOptOut: true, action });
  }

  /** `liftOptOut: false` leaves the profile alone: restore lifts the opt-out itself, last. */
  private async addSubscription(
    phone: string,
    channel: Channel,
    topicId: string,
    at: string,
    evidence: ConsentEvidence,
    { liftOptOut, action = 'opt_in', importBatch }: { liftOptOut: boolean; action?: 'opt_in' | 'confirm'; importBatch?: string },
  ): Promise<boolean> {
    const existing = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: keys.subscription(phone, channel, topicId), ConsistentRead: true }),
    );
    if (existing.Item) return false;
    const shard = shardOf(phone, this.shardCount);
    const language = await this.counters.languageOf(phone);
    await this.putConsent(phone, { at, action, channel, topicId, evidence });
    if (liftOptOut) await this.touchProfile(phone, at, `REMOVE ${optedOutAttribute(channel)}, ${heldTopicsAttribute(channel)}, ${optOutRefAttribute(channel)}`);
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

  /**
   * The profile comes first and only if there is none (so a resident already known keeps theirs),
   * then the subscription as a JOIN writes it: consent, index entry, subscription, count. It does
   * not lift an opt-out: the import refuses residents who opted out, and one who texts STOP while
   * the import runs stays opted out (the sender checks the flag).
   */
  async importSubscription(row: ImportedSubscription, at: string, evidence: ImportEvidence): Promise<boolean> {
    const changes = Object.fromEntries(Object.entries(row.profile).filter(([, value]) => typeof value === 'string'));
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.profile(row.phone), type: 'profile', createdAt: at, [IMPORT_BATCH]: evidence.batchId, ...changes },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    return this.addSubscription(row.phone, row.channel, row.topicId, at, evidence, { liftOptOut: false, importBatch: evidence.batchId });
  }

  /**
   * In the reverse order of importSubscription, each step conditional on the batch's mark: the
   * subscription (then its index entry and count), the consent record, and last the profile, if
   * the batch made it and nothing else of the resident's is left.
   */
  async undoImport(row: ImportedSubscription, batchId: string): Promise<void> {
    const shard = shardOf(row.phone, this.shardCount);
    const indexEntry = keys.topicIndexEntry(row.topicId, shard, row.phone, row.channel);
    try {
      const { Attributes } = await this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.subscription(row.phone, row.channel, row.topicId),
          ConditionExpression: '#batch = :batch',
          ExpressionAttributeNames: { '#batch': IMPORT_BATCH },
          ExpressionAttributeValues: { ':batch': batchId },
          ReturnValues: 'ALL_OLD',
        }),
      );
      await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: indexEntry }));
      await this.counters.add(row.topicId, shard, row.channel, countedLanguageOf(Attributes?.[COUNTED_LANGUAGE]), -1);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Not the batch's. With no subscription at all, an index entry is one the batch wrote before
      // a failure stopped it short of the subscription (or an undo stopped short of the entry).
      const existing = await this.documents.send(
        new GetCommand({ TableName: this.tableName, Key: keys.subscription(row.phone, row.channel, row.topicId), ConsistentRead: true }),
      );
      if (!existing.Item) await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: indexEntry }));
    }
    await this.documents.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: keys.consentEvent(row.phone, `opt_in#${row.channel}#${row.topicId}`, `import:${batchId}`),
      }),
    );
    const left = await this.queryPartition(row.phone, '');
    if (left.length !== 1 || left[0]?.sk !== 'PROFILE' || left[0][IMPORT_BATCH] !== batchId) return;
    try {
      await this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.profile(row.phone),
          // Not if the resident texted in the meantime (a STOP, an AREA): then the profile is theirs.
          ConditionExpression: '#batch = :batch AND createdAt = :createdAt',
          ExpressionAttributeNames: { '#batch': IMPORT_BATCH },
          ExpressionAttributeValues: { ':batch': batchId, ':createdAt': left[0].createdAt },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async optOut(phone: string, channel: Channel, at: string, evidence: ConsentEvidence): Promise<boolean> {
    const subscriptions = (await this.subscriptions(phone)).filter((s) => s.channel === channel);
    const stop = stopOn(channel, subscriptions, at, evidence);
    let newlyOptedOut = true;
    try {
      // The flag the sender checks, in one single-item write that decides as stopOutcome does,
      // without a read: new when not opted out or when this is a replay of the same STOP (same
      // reference), keeping the first attempt's time and held topics (if_not_exists), and
      // dropping a JOIN still waiting for its YES. A replay counts as new again, so its
      // confirmation is not lost to a crash; the reply's own idempotent claim keeps it to one.
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.profile(phone),
          UpdateExpression:
            'SET #createdAt = if_not_exists(#createdAt, :at), #type = :type, #optedOut = if_not_exists(#optedOut, :at), #held = if_not_exists(#held, :held), #ref = :ref REMOVE #pending',
          ConditionExpression: 'attribute_not_exists(#optedOut) OR #ref = :ref',
          ExpressionAttributeNames: {
            '#createdAt': 'createdAt',
            '#type': 'type',
            '#optedOut': optedOutAttribute(channel),
            '#held': heldTopicsAttribute(channel),
            '#ref': optOutRefAttribute(channel),
            '#pending': pendingAttribute(channel),
          },
          ExpressionAttributeValues: { ':at': stop.at, ':type': 'profile', ':held': stop.subscribedTopics, ':ref': stop.ref },
        }),
      );
    } catch (error) {
      // Already opted out on this channel by another STOP: keep its held topics and record.
      if (!isConditionFailure(error)) throw error;
      newlyOptedOut = false;
    }
    if (newlyOptedOut) await this.putConsent(phone, { at, action: 'opt_out', channel, topicId: undefined, evidence });
    for (const subscription of subscriptions) await this.removeSubscription(subscription);
    return newlyOptedOut;
  }

  async restore(
    phone: string,
    channel: Channel,
    at: string,
    evidence: ConsentEvidence,
    stillOpen: (topicId: string) => Promise<boolean> = async () => true,
  ): Promise<string[]> {
    const current = channelOptOutOf(await this.getProfile(phone), channel);
    const open = new Set<string>();
    for (const topicId of heldTopicsOf(current)) if (await stillOpen(topicId)) open.add(topicId);
    const start = startOutcome(current, (topicId) => open.has(topicId));
    if (!start.lifted) return [];
    await this.putConsent(phone, { at, action: 'restore', channel, topicId: undefined, evidence });
    for (const topicId of start.resubscribe) await this.addSubscription(phone, channel, topicId, at, evidence, { liftOptOut: false });
    // Last, so that a START retried after a crash part-way still finds the topics held.
    await this.touchProfile(phone, at, `REMOVE ${optedOutAttribute(channel)}, ${heldTopicsAttribute(channel)}, ${optOutRefAttribute(channel)}`);
    return start.resubscribe;
  }

  async beginErasure(phone: string, at: string, actor: string): Promise<ErasureFootprint | undefined> {
    const items = await this.queryPartition(phone, '');
    if (items.length === 0) return undefined;
    const topicIds = new Set<string>();
    for (const item of items) {
      if (typeof item.topicId === 'string') topicIds.add(item.topicId);
      for (const channel of channelSchema.options) {
        const held = item[heldTopicsAttribute(channel)];
        if (Array.isArray(held)) for (const topicId of held) topicIds.add(String(topicId));
      }
    }
    await this.putTombstone(phone, at, actor);
    for (const subscription of await this.subscriptions(phone)) await this.removeSubscription(subscription);
    return { topicIds: [...topicIds].sort() };
  }

  /**
   * Replayable: the tombstone first, then off the topic index, then the partition, its profile
   * last, so a retry after a crash part-way still finds the resident and finishes.
   */
  async erase(phone: string, at: string, actor: string): Promise<boolean> {
    const items = await this.queryPartition(phone, '');
    if (items.length === 0) return false;
    await this.putTombstone(phone, at, actor);
    for (const subscription of await this.subscriptions(phone)) await this.removeSubscription(subscription);
    const profileLast = [...items].sort((a, b) => Number(a.sk === 'PROFILE') - Number(b.sk === 'PROFILE'));
    for (const item of profileLast) {
      await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: item.pk, sk: item.sk } }));
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
    const items = await batchGetAll(this.documents, this.tableName, [...byHash.keys()].map(keys.tombstone), 'pk', true);
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
    const items = await this.queryPartition(phone, '');
    const subscriptions = items.filter((item) => String(item.sk).startsWith('TOPIC#')).length;
    const record = items.filter(isResidentRecord);
    const until = expiresAt({ kind: 'residentRecord', lastChangeAt: at, subscriptions }, this.retention);
    if (until === undefined) {
      await this.keepRecord(record);
      return;
    }
    for (const item of record) {
      await this.conditionally({
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: 'SET expiresAt = :until',
        // Not a record erased meanwhile, and never earlier than a later text already set it.
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(expiresAt) OR expiresAt < :until)',
        ExpressionAttributeValues: { ':until': until },
      });
    }
    if ((await this.queryPartition(phone, 'TOPIC#')).length > 0) await this.keepRecord((await this.queryPartition(phone, '')).filter(isResidentRecord));
  }

  /** Lifts the TTL of these items: the consent events first, the profile last (see settleRetention). */
  private async keepRecord(record: Record<string, unknown>[]): Promise<void> {
    const profileLast = record.filter((item) => item.expiresAt !== undefined).sort((a, b) => Number(a.sk === 'PROFILE') - Number(b.sk === 'PROFILE'));
    for (const item of profileLast) {
      await this.conditionally({ Key: { pk: item.pk, sk: item.sk }, UpdateExpression: 'REMOVE expiresAt', ConditionExpression: 'attribute_exists(pk)' });
    }
  }

  private async conditionally(update: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>): Promise<void> {
    try {
      await this.documents.send(new UpdateCommand({ TableName: this.tableName, ...update }));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** Keeps no number, only its keyed hash; the first erasure's time and actor stay. */
  private async putTombstone(phone: string, at: string, actor: string): Promise<void> {
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.tombstone(await this.phoneHash(phone)),
        UpdateExpression: 'SET #type = :type, erasedAt = if_not_exists(erasedAt, :at), erasedBy = if_not_exists(erasedBy, :actor)',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':type': 'tombstone', ':at': at, ':actor': actor },
      }),
    );
  }

  async optedOutAmong(recipients: readonly Recipient[]): Promise<Set<string>> {
    const phones = [...new Set(recipients.map((r) => r.phone))];
    const items = await batchGetAll(
      this.documents,
      this.tableName,
      phones.map((phone) => keys.profile(phone)),
      `pk, ${channelSchema.options.map(optedOutAttribute).join(', ')}`,
      // A STOP written a moment ago must be seen: an eventually consistent read could miss it.
      true,
    );
    const byPartition = new Map(items.map((item) => [String(item.pk), item]));
    const optedOut = new Set<string>();
    for (const recipient of recipients) {
      const profile = byPartition.get(keys.subscriberPartition(recipient.phone));
      if (profile && typeof profile[optedOutAttribute(recipient.channel)] === 'string') optedOut.add(recipientKey(recipient));
    }
    return optedOut;
  }

  /** Leaves one topic: the subscription's conditional delete decides, so the count moves once. */
  private async removeSubscription(subscription: Subscription): Promise<void> {
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

  private async touchProfile(phone: string, at: string, removeClause: string): Promise<void> {
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

  /** Keyed by the evidence (see evidenceRef), so replaying the same inbound message rewrites one record. */
  /** `part` tells apart two records of one kind that the same evidence makes (a text's area and its inferred language). */
  private async putConsent(phone: string, event: ConsentEvent, part?: string): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.consentEvent(phone, `${event.action}#${event.channel}#${event.topicId ?? '*'}${part ? `#${part}` : ''}`, evidenceRef(event.evidence, event.at)),
          type: 'consentEvent',
          ...event,
        },
      }),
    );
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
          // A resident's own records, read to act on them (a STOP removes the subscriptions it
          // finds): one written a moment ago by a JOIN must be seen, or it outlives the STOP.
          ConsistentRead: true,
        }),
      );
      items.push(...(page.Items ?? []));
      cursor = page.LastEvaluatedKey;
    } while (cursor);
    return items;
  }
}

/** The profile and the consent ledger: what the resident record's retention covers. */
function isResidentRecord(item: Record<string, unknown>): boolean {
  return item.sk === 'PROFILE' || String(item.sk).startsWith('CONSENT#');
}

/** A store built without the deployment's key can do everything but erase or check for erasures. */
const noPhoneHashKey: PhoneHasher = async () => {
  throw new ConfigurationError('no key to hash phone numbers with: set PHONE_HASH_KEY_SECRET_ARN (AWS) or PHONE_HASH_KEY (local stack)');
};

function toProfile(phone: string, item: Record<string, unknown>): SubscriberProfile {
  const kept = keptLanguageOf({ language: languageSchema.safeParse(item.language).data, languageSource: languageSourceSchema.safeParse(item.languageSource).data });
  const profile: SubscriberProfile = {
    phone,
    createdAt: String(item.createdAt),
    optedOut: {},
    heldTopics: {},
    language: kept?.language,
    languageSource: kept?.source,
    area: typeof item.area === 'string' ? item.area : undefined,
    ageBand: ageBandSchema.safeParse(item.ageBand).data,
    whatsappWindowOpenedAt: typeof item.whatsappWindowOpenedAt === 'string' ? item.whatsappWindowOpenedAt : undefined,
  };
  for (const channel of channelSchema.options) {
    const optedOutAt = item[optedOutAttribute(channel)];
    if (typeof optedOutAt === 'string') profile.optedOut[channel] = optedOutAt;
    const held = item[heldTopicsAttribute(channel)];
    if (Array.isArray(held)) profile.heldTopics[channel] = held.map(String);
  }
  return profile;
}
