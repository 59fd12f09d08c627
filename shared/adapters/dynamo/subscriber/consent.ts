import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  channelSchema,
  recipientKey,
  type Channel,
  type ConsentAction,
  type ConsentEvent,
  type ConsentEvidence,
  type PendingConfirmation,
  type Recipient,
  type SubscriberProfile,
} from '../../../domain/model.js';
import type { ConsentStore } from '../../../consent/consent-store.js';
import { channelOptOutOf, heldTopicsOf, startOutcome, stopOn } from '../../../consent/consent-rules.js';
import { batchGetAll } from '../batch-get.js';
import { isConditionFailure } from '../conditions.js';
import { keys } from '../keys.js';
import { heldTopicsAttribute, liftOptOutClause, optedOutAttribute, optOutRefAttribute, pendingAttribute, toProfile } from './items.js';
import type { SubscriberTable } from './table.js';

/**
 * The subscriber store's consent part: JOIN, confirmed opt-in, LEAVE, STOP, START, the consent
 * ledger and the sender's consent reads. The rules are consent-rules'; this part writes them.
 */
export class DynamoConsentWrites implements Omit<ConsentStore, 'subscriptions'> {
  constructor(private readonly table: SubscriberTable) {}

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
    const { Items = [] } = await this.table.documents.send(
      new QueryCommand({
        TableName: this.table.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :profile AND :subscription',
        ExpressionAttributeValues: { ':pk': profileKey.pk, ':profile': profileKey.sk, ':subscription': subscription.sk },
        ConsistentRead: true,
      }),
    );
    const profile = Items.find((item) => item.sk === profileKey.sk);
    return { profile: profile ? toProfile(phone, profile) : undefined, subscribed: Items.some((item) => item.sk === subscription.sk) };
  }

  /** In the order the changes happened (records are keyed by evidence, so sorted here). */
  async consentHistory(phone: string): Promise<ConsentEvent[]> {
    const items = await this.table.queryPartition(phone, 'CONSENT#');
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

  /** See SubscriberTable.addSubscription for the order of its writes. */
  async subscribe(phone: string, channel: Channel, topicId: string, at: string, evidence: ConsentEvidence, action: 'opt_in' | 'confirm' = 'opt_in'): Promise<boolean> {
    return this.table.addSubscription(phone, channel, topicId, at, evidence, action === 'confirm' ? 'confirm' : 'join');
  }

  async leaveTopic(phone: string, channel: Channel, topicId: string, at: string, evidence: ConsentEvidence): Promise<boolean> {
    const existing = await this.table.documents.send(
      new GetCommand({ TableName: this.table.tableName, Key: keys.subscription(phone, channel, topicId), ConsistentRead: true }),
    );
    if (!existing.Item) return false;
    await this.table.putConsent(phone, { at, action: 'leave', channel, topicId, evidence });
    await this.table.removeSubscription({ phone, channel, topicId, since: String(existing.Item.since) });
    return true;
  }

  async requestConfirmation(phone: string, pending: PendingConfirmation, evidence: ConsentEvidence): Promise<void> {
    await this.table.putConsent(phone, { at: pending.requestedAt, action: 'opt_in_requested', channel: pending.channel, topicId: pending.topicId, evidence });
    await this.table.documents.send(
      new UpdateCommand({
        TableName: this.table.tableName,
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
    const { Attributes } = await this.table.documents
      .send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: keys.profile(phone),
          UpdateExpression: 'REMOVE #pending',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#pending': pendingAttribute(channel) },
          ReturnValues: 'UPDATED_OLD',
        }),
      )
      .catch((error: unknown) => {
        if (isConditionFailure(error)) return { Attributes: undefined };
        throw error;
      });
    const pending = Attributes?.[pendingAttribute(channel)] as { topicId?: unknown; requestedAt?: unknown } | undefined;
    if (typeof pending?.topicId !== 'string' || typeof pending.requestedAt !== 'string') return undefined;
    return { topicId: pending.topicId, channel, requestedAt: pending.requestedAt };
  }

  async optOut(phone: string, channel: Channel, at: string, evidence: ConsentEvidence): Promise<boolean> {
    const subscriptions = (await this.table.subscriptions(phone)).filter((s) => s.channel === channel);
    const stop = stopOn(channel, subscriptions, at, evidence);
    let newlyOptedOut = true;
    try {
      // The flag the sender checks, in one single-item write that decides as stopOutcome does,
      // without a read: new when not opted out or when this is a replay of the same STOP (same
      // reference), keeping the first attempt's time and held topics (if_not_exists), and
      // dropping a JOIN still waiting for its YES. A replay counts as new again, so its
      // confirmation is not lost to a crash; the reply's own idempotent claim keeps it to one.
      await this.table.documents.send(
        new UpdateCommand({
          TableName: this.table.tableName,
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
    if (newlyOptedOut) await this.table.putConsent(phone, { at, action: 'opt_out', channel, topicId: undefined, evidence });
    for (const subscription of subscriptions) await this.table.removeSubscription(subscription);
    return newlyOptedOut;
  }

  async restore(
    phone: string,
    channel: Channel,
    at: string,
    evidence: ConsentEvidence,
    stillOpen: (topicId: string) => Promise<boolean> = async () => true,
  ): Promise<string[]> {
    const current = channelOptOutOf(await this.table.getProfile(phone), channel);
    const open = new Set<string>();
    for (const topicId of heldTopicsOf(current)) if (await stillOpen(topicId)) open.add(topicId);
    const start = startOutcome(current, (topicId) => open.has(topicId));
    if (!start.lifted) return [];
    await this.table.putConsent(phone, { at, action: 'restore', channel, topicId: undefined, evidence });
    for (const topicId of start.resubscribe) await this.table.addSubscription(phone, channel, topicId, at, evidence, 'restore');
    // Last, so that a START retried after a crash part-way still finds the topics held.
    await this.table.touchProfile(phone, at, liftOptOutClause(channel));
    return start.resubscribe;
  }

  async optedOutAmong(recipients: readonly Recipient[]): Promise<Set<string>> {
    const phones = [...new Set(recipients.map((r) => r.phone))];
    const items = await batchGetAll(
      this.table.documents,
      this.table.tableName,
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
}
