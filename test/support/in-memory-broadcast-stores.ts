import { decodeBroadcastCursor, encodeBroadcastCursor, listingPosition } from '../../shared/broadcasts/broadcast-cursor.js';
import { decodeMessageCursor, encodeMessageCursor } from '../../shared/broadcasts/message-cursor.js';
import type { ProviderPrice } from '../../shared/domain/costs.js';
import { ERASED } from '../../shared/domain/erasure.js';
import { addTotals, emptyTotals, recipientsDone, type JobTotals } from '../../shared/broadcasts/job-totals.js';
import { skipReasonSchema, type Broadcast, type BroadcastStatus, type MessageStatus, type SkipReason } from '../../shared/domain/model.js';
import { receiptMoves } from '../../shared/domain/status-precedence.js';
import {
  OUTCOME_UNKNOWN,
  type AppliedReceipt,
  type ClaimOutcome,
  type MessageRecord,
  type MessageStore,
  type SentExtras,
} from '../../shared/sending/message-store.js';
import type {
  BroadcastChanges,
  BroadcastQuery,
  BroadcastStore,
  BroadcastTally,
  CountsDelta,
  FanOutCheckpoint,
  FanOutDelta,
  JobRecording,
  ScheduledStart,
} from '../../shared/broadcasts/broadcast-store.js';
import type { Page } from '../../shared/ports/page.js';

/**
 * The in-memory broadcast and message stores, for use-case tests. Held to the contracts of the
 * DynamoDB stores (broadcasts/broadcast-store.contract.ts, sending/message-store.contract.ts):
 * conditional moves, the counters' ADD and their absolute settlement, job totals that only grow,
 * claims that return the record they met, status precedence. Everything returned is a copy, so a
 * test cannot change the state by accident.
 */

const copy = <T>(value: T): T => structuredClone(value);

export class InMemoryBroadcastStore implements BroadcastStore {
  /** Each broadcast with its fast counters (`counts`, `cost`, `lastProgressAt`) in place. */
  readonly broadcasts = new Map<string, Broadcast>();
  /** Broadcast id → job id → the job's totals. */
  readonly jobs = new Map<string, Map<string, JobTotals>>();
  private readonly checkpoints = new Map<string, string>();
  /** `broadcastId|shard` → the last stream sequence number counted. */
  private readonly receiptPositions = new Map<string, string>();

  async fanOutCheckpoint(id: string, topicId: string, shard: number): Promise<FanOutCheckpoint | undefined> {
    const stored = this.checkpoints.get(`${id}#${topicId}#${shard}`);
    return stored === undefined ? undefined : (JSON.parse(stored) as FanOutCheckpoint);
  }

  async advanceFanOut(
    id: string,
    step: { topicId: string; shard: number; from: FanOutCheckpoint | undefined; to: FanOutCheckpoint },
    delta: FanOutDelta,
  ): Promise<Broadcast | undefined> {
    const key = `${id}#${step.topicId}#${step.shard}`;
    const broadcast = this.broadcasts.get(id);
    if (!broadcast) return undefined;
    if (this.checkpoints.get(key) !== (step.from === undefined ? undefined : JSON.stringify(step.from))) return undefined;
    this.checkpoints.set(key, JSON.stringify(step.to));
    broadcast.counts.targeted += delta.targeted ?? 0;
    broadcast.fanOutPending -= delta.fanOutDone ?? 0;
    return copy(broadcast);
  }

  async create(broadcast: Broadcast): Promise<void> {
    if (this.broadcasts.has(broadcast.id)) throw new Error(`broadcast ${broadcast.id} already exists`);
    this.broadcasts.set(broadcast.id, copy({ ...broadcast, counts: { ...broadcast.counts, skippedBy: broadcast.counts.skippedBy ?? {} } }));
  }

  async recentForTopic(topicId: string, limit: number): Promise<{ broadcastId: string; createdAt: string }[]> {
    return [...this.broadcasts.values()]
      .filter((broadcast) => broadcast.topics.includes(topicId))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, limit)
      .map((broadcast) => ({ broadcastId: broadcast.id, createdAt: broadcast.createdAt }));
  }

  async get(id: string): Promise<Broadcast | undefined> {
    return copy(this.broadcasts.get(id));
  }

  async transition(id: string, from: readonly BroadcastStatus[], to: BroadcastStatus, changes: BroadcastChanges = {}): Promise<boolean> {
    const broadcast = this.broadcasts.get(id);
    if (!broadcast || !from.includes(broadcast.status)) return false;
    broadcast.status = to;
    for (const [name, value] of Object.entries(changes)) {
      if (value === null) delete (broadcast as unknown as Record<string, unknown>)[name];
      else if (value !== undefined) Object.assign(broadcast, { [name]: value });
    }
    return true;
  }

  async list(query: BroadcastQuery): Promise<Page<Broadcast>> {
    const after = query.cursor === undefined ? undefined : decodeBroadcastCursor(query.cursor);
    const all = [...this.broadcasts.values()]
      // Compared by code unit, as DynamoDB compares sort keys.
      .sort((a, b) => (listingPosition(a) < listingPosition(b) ? 1 : listingPosition(a) > listingPosition(b) ? -1 : 0))
      .filter((broadcast) => after === undefined || listingPosition(broadcast) < after);
    const page = all.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: copy(
        page.filter(
          (broadcast) =>
            (query.department === '*' || broadcast.department === query.department) &&
            (query.status === undefined || broadcast.status === query.status),
        ),
      ),
      cursor: all.length > query.limit && last ? encodeBroadcastCursor(listingPosition(last)) : undefined,
    };
  }

  readonly scheduled = new Map<string, ScheduledStart>();

  async scheduleStart(id: string, startsAt: string): Promise<void> {
    this.scheduled.set(`${startsAt}#${id}`, { broadcastId: id, startsAt });
  }

  async dueToStart(now: string, limit: number): Promise<ScheduledStart[]> {
    return [...this.scheduled.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .filter(([, start]) => start.startsAt <= now)
      .slice(0, limit)
      .map(([, start]) => ({ ...start }));
  }

  async clearScheduledStart(start: ScheduledStart): Promise<void> {
    this.scheduled.delete(`${start.startsAt}#${start.broadcastId}`);
  }

  async addCounts(id: string, delta: CountsDelta, progressAt?: string): Promise<BroadcastTally | undefined> {
    const broadcast = this.broadcasts.get(id);
    if (!broadcast) return undefined;
    const { counts } = broadcast;
    for (const name of ['sent', 'delivered', 'undelivered', 'failed', 'skipped'] as const) counts[name] += delta[name] ?? 0;
    const skippedBy: Partial<Record<SkipReason, number>> = counts.skippedBy ?? {};
    for (const reason of skipReasonSchema.options) {
      const count = (skippedBy[reason] ?? 0) + (delta.skippedBy?.[reason] ?? 0);
      if (count === 0) delete skippedBy[reason];
      else skippedBy[reason] = count;
    }
    counts.skippedBy = skippedBy;
    if (delta.costMicros && delta.costCurrency) {
      broadcast.cost = { currency: broadcast.cost?.currency ?? delta.costCurrency, estimatedMicros: (broadcast.cost?.estimatedMicros ?? 0) + delta.costMicros };
    }
    if (progressAt) broadcast.lastProgressAt = progressAt;
    return tallyOf(broadcast);
  }

  async receiptsCountedUpTo(id: string, shard: string): Promise<string | undefined> {
    return this.receiptPositions.get(`${id}|${shard}`);
  }

  async addReceiptCounts(
    id: string,
    shard: string,
    from: string | undefined,
    upTo: string,
    delta: Pick<CountsDelta, 'delivered' | 'undelivered'>,
  ): Promise<boolean | undefined> {
    if (!this.broadcasts.has(id)) return undefined;
    if (this.receiptPositions.get(`${id}|${shard}`) !== from) return false;
    this.receiptPositions.set(`${id}|${shard}`, upTo);
    await this.addCounts(id, delta);
    return true;
  }

  async recordJob(id: string, jobId: string, totals: JobTotals, _at: string): Promise<JobRecording> {
    const jobs = this.jobs.get(id) ?? new Map<string, JobTotals>();
    const previous = jobs.get(jobId);
    if (previous && recipientsDone(previous) > recipientsDone(totals)) return { recorded: false };
    jobs.set(jobId, copy(totals));
    this.jobs.set(id, jobs);
    return { recorded: true, previous: copy(previous) };
  }

  async sumOfJobs(id: string): Promise<{ jobs: number; totals: JobTotals }> {
    const jobs = [...(this.jobs.get(id)?.values() ?? [])];
    return { jobs: jobs.length, totals: jobs.reduce(addTotals, emptyTotals()) };
  }

  async settleCounts(id: string, totals: JobTotals): Promise<void> {
    const broadcast = this.broadcasts.get(id);
    if (!broadcast) throw new Error(`broadcast ${id} does not exist`);
    Object.assign(broadcast.counts, { sent: totals.sent, failed: totals.failed, skipped: totals.skipped, skippedBy: copy(totals.skippedBy) });
    const currency = broadcast.cost?.currency ?? totals.costCurrency;
    if (currency) broadcast.cost = { currency, estimatedMicros: totals.costMicros };
  }

  async sending(): Promise<Broadcast[]> {
    return copy([...this.broadcasts.values()].filter((broadcast) => broadcast.status === 'sending'));
  }

  async delete(id: string): Promise<void> {
    this.broadcasts.delete(id);
  }
}

function tallyOf(broadcast: Broadcast): BroadcastTally {
  const { targeted: _targeted, ...counts } = broadcast.counts;
  return copy({ counts, cost: broadcast.cost, lastProgressAt: broadcast.lastProgressAt });
}

export class InMemoryMessageStore implements MessageStore {
  readonly messages = new Map<string, MessageRecord>();

  async claim(record: MessageRecord): Promise<ClaimOutcome> {
    const existing = this.messages.get(record.messageId);
    if (existing) return { outcome: 'already-claimed', existing: copy(existing) };
    this.messages.set(record.messageId, copy(record));
    return { outcome: 'claimed' };
  }

  async recordOnce(record: MessageRecord): Promise<boolean> {
    if (this.messages.has(record.messageId)) return false;
    this.messages.set(record.messageId, copy(record));
    return true;
  }

  async get(messageId: string): Promise<MessageRecord | undefined> {
    return copy(this.messages.get(messageId));
  }

  async getMany(messageIds: readonly string[]): Promise<MessageRecord[]> {
    return [...new Set(messageIds)].flatMap((id) => {
      const record = this.messages.get(id);
      return record ? [copy(record)] : [];
    });
  }

  async statusOf(messageId: string): Promise<MessageRecord['status'] | undefined> {
    return this.messages.get(messageId)?.status;
  }

  async resolveStaleClaim(messageId: string, claimedNoLaterThan: string, at: string, jobId: string): Promise<boolean> {
    const message = this.messages.get(messageId);
    if (message?.status !== 'sending' || message.updatedAt > claimedNoLaterThan) return false;
    Object.assign(message, { status: 'failed', errorCode: OUTCOME_UNKNOWN, updatedAt: at, jobId });
    return true;
  }

  async markSent(
    messageId: string,
    provider: string,
    providerMessageId: string,
    at: string,
    cost?: SentExtras,
  ): Promise<boolean> {
    const message = this.messages.get(messageId);
    if (!message) return false;
    Object.assign(message, { provider, providerMessageId });
    if (cost) {
      Object.assign(message, {
        cost: copy(cost.estimate),
        ...(cost.providerPrice ? { providerPrice: copy(cost.providerPrice) } : {}),
        ...(cost.senderId ? { senderId: cost.senderId } : {}),
      });
    }
    // A receipt may have overtaken the send: keep its status.
    if (receiptMoves('sent', message.status)) Object.assign(message, { status: 'sent', updatedAt: at });
    return true;
  }

  async markFailed(messageId: string, errorCode: string | undefined, at: string): Promise<boolean> {
    const message = this.messages.get(messageId);
    if (!message) return false;
    Object.assign(message, { status: 'failed', errorCode, updatedAt: at });
    return true;
  }

  async release(messageId: string): Promise<void> {
    if (this.messages.get(messageId)?.status === 'sending') this.messages.delete(messageId);
  }

  async recordProviderPrice(messageId: string, price: ProviderPrice): Promise<void> {
    const message = this.messages.get(messageId);
    if (message) message.providerPrice = copy(price);
  }

  async applyReceipt(messageId: string, status: MessageStatus, errorCode: string | undefined, at: string): Promise<AppliedReceipt | undefined> {
    const message = this.messages.get(messageId);
    if (!message || !receiptMoves(status, message.status)) return undefined;
    const previous = message.status as MessageStatus;
    Object.assign(message, { status, errorCode, updatedAt: at });
    return { previous, broadcastId: message.broadcastId };
  }

  async forget(messageIds: readonly string[]): Promise<number> {
    let deleted = 0;
    for (const id of new Set(messageIds)) if (this.messages.delete(id)) deleted += 1;
    return deleted;
  }

  async anonymiseRecipient(messageId: string): Promise<void> {
    const message = this.messages.get(messageId);
    if (message) message.to = ERASED;
  }

  /** In message id order, compared as DynamoDB compares the index's sort key (code units, ids being ASCII). */
  async listByBroadcast(broadcastId: string, limit: number, cursor: string | undefined): Promise<Page<MessageRecord>> {
    const after = cursor === undefined ? undefined : decodeMessageCursor(cursor, broadcastId);
    const matching = [...this.messages.values()]
      .filter((message) => message.broadcastId === broadcastId && (after === undefined || message.messageId > after))
      .sort((a, b) => (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0));
    const items = matching.slice(0, limit).map((message) => copy(message));
    const last = items.at(-1);
    return { items, cursor: matching.length > limit && last ? encodeMessageCursor(last.messageId) : undefined };
  }
}
