import { ConflictError } from '../../shared/domain/errors.js';
import type { TopicSubscriberCounts } from '../../shared/topics/topic-store.js';
import type { ImportBatch, ImportBatchStore } from '../../shared/residents/import-batch.js';
import type { ReplySendJob } from '../../shared/domain/jobs.js';
import type { Language } from '../../shared/domain/language.js';
import type { ReplyId, ReplyOverrides } from '../../shared/domain/replies.js';
import { ERASED } from '../../shared/domain/erasure.js';
import { staleClaimsBefore } from '../../shared/domain/inbound.js';
import { inboxEntryId } from '../../shared/inbox/entry-id.js';
import { decodeTopicCursor, encodeTopicCursor } from '../../shared/topics/topic-cursor.js';
import { decodeApiKeyCursor, encodeApiKeyCursor } from '../../shared/platform/api-key-cursor.js';
import { decodeTimeOrderedCursor, encodeSortKeyCursor, timeOrderedPosition } from '../../shared/platform/page-cursor.js';
import { activeKeywords, topicSchema, type Channel, type Topic } from '../../shared/domain/model.js';
import type { Clock, IdGenerator } from '../../shared/ports/clock.js';
import type { JobQueue } from '../../shared/ports/job-queue.js';
import type { MessagingProvider, OutboundText, ProviderAcceptance } from '../../shared/ports/messaging-provider.js';
import type { ProviderDirectory } from '../../shared/ports/provider-directory.js';
import type { InboundDependencies, InboundSettings } from '../../shared/ports/dependencies.js';
import { anInboundSettings } from './builders.js';
import { InMemoryBroadcastStore, InMemoryMessageStore } from './in-memory-broadcast-stores.js';
import { InMemoryStaffStore } from './in-memory-staff-store.js';
import { InMemorySubscriberStore } from './in-memory-subscriber-store.js';
import { InMemoryTemplateStore } from './in-memory-template-store.js';

export { InMemoryBroadcastStore, InMemoryMessageStore, InMemorySubscriberStore };
import type { Stores } from '../../shared/ports/stores.js';
import type { TopicPageQuery, TopicStore } from '../../shared/topics/topic-store.js';
import type {
  CostPart,
  DepartmentDayCost,
  DepartmentDayUsage,
  DepartmentLimits,
  DepartmentStore,
} from '../../shared/usage/department-store.js';
import type { InboundLog, InboundMessageRef, InboundLogEntry, SkippedItemRecord } from '../../shared/inbox/inbound-log.js';
import type { InboxEntry, InboxNote, InboxReply, InboxQuery, InboxStore, NewInboxEntry } from '../../shared/inbox/inbox-store.js';
import type { ReplyTextStore } from '../../shared/inbox/reply-text-store.js';
import type { ApiKeyRecord, ApiKeyStore } from '../../shared/staff/api-key-store.js';
import type { AuditEntry, AuditLog, AuditQuery } from '../../shared/staff/audit-log.js';
import type { Page } from '../../shared/ports/page.js';

/**
 * In-memory implementations of the store ports, for use-case tests: plain maps, with the rules
 * they need taken from the same pure modules the DynamoDB stores use (cursors, precedence, when a
 * claim is stale). Each is held to its port's contract suite, run against it and the DynamoDB
 * store alike (test/integration/<capability>/*.contract.ts), so the two cannot drift.
 * Everything returned is a copy, so a test cannot change the state by accident.
 */

const copy = <T>(value: T): T => structuredClone(value);

export class InMemoryTopicStore implements TopicStore {
  readonly topics = new Map<string, Topic>();
  /** Keyword → topic id: the claims, as the DynamoDB store keeps them. */
  readonly keywords = new Map<string, string>();

  constructor(private readonly subscribers: InMemorySubscriberStore) {}

  async create(topic: Topic): Promise<void> {
    if (this.topics.has(topic.id)) throw new ConflictError(`topic "${topic.id}" already exists`);
    this.assertFree(activeKeywords(topic), topic.id);
    this.topics.set(topic.id, copy(topic));
    for (const keyword of activeKeywords(topic)) this.keywords.set(keyword, topic.id);
  }

  async get(id: string): Promise<Topic | undefined> {
    return copy(this.topics.get(id));
  }

  async list(options: { includeArchived?: boolean } = {}): Promise<Topic[]> {
    return [...this.topics.values()]
      .filter((topic) => options.includeArchived || topic.archivedAt === undefined)
      .sort((a, b) => a.id.localeCompare(b.id))
      .map(copy);
  }

  async page(query: TopicPageQuery): Promise<Page<Topic>> {
    const after = query.cursor === undefined ? undefined : decodeTopicCursor(query.cursor);
    const matching = (await this.list({ includeArchived: query.includeArchived })).filter(
      (topic) => (query.department === undefined || topic.department === query.department) && (after === undefined || topic.id > after),
    );
    const items = matching.slice(0, query.limit);
    const last = items.at(-1);
    return { items, cursor: matching.length > query.limit && last ? encodeTopicCursor(last.id) : undefined };
  }

  async findByKeyword(keyword: string): Promise<Topic | undefined> {
    const owner = this.keywords.get(keyword);
    const topic = owner === undefined ? undefined : this.topics.get(owner);
    return topic && activeKeywords(topic).includes(keyword) ? copy(topic) : undefined;
  }

  async update(id: string, change: (current: Topic) => Topic): Promise<{ before: Topic; after: Topic } | undefined> {
    const current = this.topics.get(id);
    if (!current) return undefined;
    const before = copy(current);
    const after = topicSchema.parse(change(copy(current)));
    this.assertFree(activeKeywords(after), id);
    for (const keyword of activeKeywords(before)) this.keywords.delete(keyword);
    for (const keyword of activeKeywords(after)) this.keywords.set(keyword, id);
    this.topics.set(id, copy(after));
    return { before, after: copy(after) };
  }

  async subscriberCount(id: string): Promise<number> {
    return [...this.subscribers.subscriptionsById.values()].filter((subscription) => subscription.topicId === id).length;
  }

  /** Counted from the subscriptions and profiles as they stand: what the DynamoDB store's counters must always equal. */
  async subscriberCounts(id: string): Promise<TopicSubscriberCounts> {
    const counts: TopicSubscriberCounts = { total: 0, byChannel: { sms: 0, whatsapp: 0 }, byLanguage: { en: 0, cy: 0, es: 0, none: 0 } };
    for (const subscription of this.subscribers.subscriptionsById.values()) {
      if (subscription.topicId !== id) continue;
      counts.total += 1;
      counts.byChannel[subscription.channel] += 1;
      counts.byLanguage[(await this.subscribers.getProfile(subscription.phone))?.language ?? 'none'] += 1;
    }
    return counts;
  }

  private assertFree(keywords: string[], topicId: string): void {
    const clash = keywords.find((keyword) => {
      const owner = this.keywords.get(keyword);
      return owner !== undefined && owner !== topicId;
    });
    if (clash) throw new ConflictError(`keyword ${clash} is already used by topic "${this.keywords.get(clash)}"`);
  }
}

export class InMemoryInboundLog implements InboundLog {
  readonly entries = new Map<string, { from: string; channel: Channel; body: string; at: string; state: 'in-progress' | 'done'; replyMessageId?: string }>();
  readonly windows = new Map<string, number>();

  async countFromSender(phone: string, window: string): Promise<number> {
    const key = `${phone}#${window}`;
    const count = (this.windows.get(key) ?? 0) + 1;
    this.windows.set(key, count);
    return count;
  }

  async begin(provider: string, providerMessageId: string, record: { from: string; channel: Channel; body: string; at: string }): Promise<InboundLogEntry> {
    const key = `${provider}#${providerMessageId}`;
    const existing = this.entries.get(key);
    const stale = existing?.state === 'in-progress' && existing.at < staleClaimsBefore(record.at);
    if (!existing || stale) {
      this.entries.set(key, { ...copy(record), state: 'in-progress' });
      return { state: 'new' };
    }
    return existing.state === 'done' ? { state: 'done', replyMessageId: existing.replyMessageId } : { state: 'in-progress' };
  }

  async finish(provider: string, providerMessageId: string, replyMessageId: string | undefined, redactedBody?: string): Promise<boolean> {
    const entry = this.entries.get(`${provider}#${providerMessageId}`);
    if (!entry) return false;
    Object.assign(entry, { state: 'done', replyMessageId, ...(redactedBody === undefined ? {} : { body: redactedBody }) });
    return true;
  }

  async release(provider: string, providerMessageId: string, startedAt: string): Promise<void> {
    const key = `${provider}#${providerMessageId}`;
    const entry = this.entries.get(key);
    if (entry?.state === 'in-progress' && entry.at === startedAt) this.entries.delete(key);
  }

  async sentBy(phone: string): Promise<InboundMessageRef[]> {
    return [...this.entries.entries()]
      .filter(([, entry]) => entry.from === phone)
      .map(([key]) => {
        const [provider = '', ...rest] = key.split('#');
        return { provider, providerMessageId: rest.join('#') };
      });
  }

  async anonymise(provider: string, providerMessageId: string): Promise<{ replyMessageId: string | undefined } | undefined> {
    const entry = this.entries.get(`${provider}#${providerMessageId}`);
    if (!entry) return undefined;
    Object.assign(entry, { from: ERASED, body: ERASED });
    return { replyMessageId: entry.replyMessageId };
  }
  /** Skipped items by `<provider>#<itemId>`, as recordSkipped keeps them. */
  readonly skipped = new Map<string, SkippedItemRecord>();

  async recordSkipped(record: SkippedItemRecord): Promise<void> {
    this.skipped.set(`${record.provider}#${record.itemId}`, copy(record));
  }

  async skippedItem(provider: string, itemId: string): Promise<SkippedItemRecord | undefined> {
    return copy(this.skipped.get(`${provider}#${itemId}`));
  }
}

export class InMemoryInboxStore implements InboxStore {
  /** In the order first added. */
  readonly entries: InboxEntry[] = [];

  /** Idempotent per inbound message: a retry finds the first entry, as in DynamoDB. */
  async add(entry: NewInboxEntry): Promise<InboxEntry> {
    const id = inboxEntryId(entry.provider, entry.providerMessageId);
    const existing = this.entries.find((e) => e.id === id);
    if (existing) return copy(existing);
    const stored: InboxEntry = { ...copy(entry), id };
    this.entries.push(stored);
    return copy(stored);
  }

  async get(id: string): Promise<InboxEntry | undefined> {
    return copy(this.entries.find((entry) => entry.id === id));
  }

  /** Newest first by time received; the cursor is the position of the last entry given, as the DynamoDB store's. */
  async list(query: InboxQuery): Promise<Page<InboxEntry>> {
    const sortKey = (entry: InboxEntry) => timeOrderedPosition(entry.receivedAt, entry.id);
    const after = query.cursor === undefined ? undefined : decodeTimeOrderedCursor(query.cursor);
    const matching = this.entries
      .filter((entry) => entry.department === query.department)
      .filter((entry) => query.handled === undefined || entry.handled === query.handled)
      .filter((entry) => query.topicId === undefined || entry.topicId === query.topicId)
      .filter((entry) => query.from === undefined || entry.from === query.from)
      .filter((entry) => query.broadcastId === undefined || entry.broadcastId === query.broadcastId)
      .filter((entry) => query.assignedTo === undefined || entry.assignedTo === query.assignedTo)
      .filter((entry) => query.receivedFrom === undefined || entry.receivedAt >= query.receivedFrom)
      .filter((entry) => query.receivedTo === undefined || entry.receivedAt <= query.receivedTo)
      .filter((entry) => after === undefined || sortKey(entry) < after)
      .sort((a, b) => (sortKey(a) < sortKey(b) ? 1 : -1));
    const items = matching.slice(0, query.limit);
    return { items: items.map(copy), cursor: matching.length > query.limit ? encodeSortKeyCursor(sortKey(items.at(-1)!)) : undefined };
  }

  async markHandled(id: string, by: string, at: string): Promise<{ entry: InboxEntry; changed: boolean } | undefined> {
    const entry = this.entries.find((e) => e.id === id);
    if (!entry) return undefined;
    if (entry.handled) return { entry: copy(entry), changed: false };
    Object.assign(entry, { handled: true, handledAt: at, handledBy: by });
    return { entry: copy(entry), changed: true };
  }

  async reopen(id: string): Promise<{ entry: InboxEntry; changed: boolean } | undefined> {
    const entry = this.entries.find((e) => e.id === id);
    if (!entry) return undefined;
    if (!entry.handled) return { entry: copy(entry), changed: false };
    entry.handled = false;
    delete entry.handledAt;
    delete entry.handledBy;
    return { entry: copy(entry), changed: true };
  }

  async addReply(id: string, reply: InboxReply): Promise<{ entry: InboxEntry; added: boolean } | undefined> {
    const entry = this.entries.find((e) => e.id === id);
    if (!entry) return undefined;
    if (entry.replies?.some((existing) => existing.messageId === reply.messageId)) return { entry: copy(entry), added: false };
    entry.replies = [...(entry.replies ?? []), copy(reply)];
    return { entry: copy(entry), added: true };
  }

  async assign(id: string, to: string | undefined): Promise<{ entry: InboxEntry; before: string | undefined } | undefined> {
    const entry = this.entries.find((e) => e.id === id);
    if (!entry) return undefined;
    const before = entry.assignedTo;
    if (to === undefined) delete entry.assignedTo;
    else entry.assignedTo = to;
    return { entry: copy(entry), before };
  }

  async addNote(id: string, note: InboxNote): Promise<InboxEntry | undefined> {
    const entry = this.entries.find((e) => e.id === id);
    if (!entry) return undefined;
    entry.notes = [...(entry.notes ?? []), copy(note)];
    return copy(entry);
  }

  /** As DynamoDB reads it: the department's newest `within` entries, newest first. */
  async countUnhandled(department: string, within: number): Promise<{ count: number; more: boolean }> {
    const newest = this.entries
      .filter((entry) => entry.department === department)
      .sort((a, b) => (`${a.receivedAt}#${a.id}` < `${b.receivedAt}#${b.id}` ? 1 : -1));
    return { count: newest.slice(0, within).filter((entry) => !entry.handled).length, more: newest.length > within };
  }

  async anonymise(id: string): Promise<void> {
    const entry = this.entries.find((e) => e.id === id);
    if (!entry) return;
    Object.assign(entry, { from: ERASED, body: ERASED }, entry.replies ? { replies: entry.replies.map((reply) => ({ ...reply, body: ERASED })) } : {});
    if (entry.notes) entry.notes = entry.notes.map((note) => ({ ...note, text: ERASED }));
  }
}

export class InMemoryReplyTextStore implements ReplyTextStore {
  current: ReplyOverrides = {};

  async overrides(): Promise<ReplyOverrides> {
    return copy(this.current);
  }

  /** A language whose last text is removed is not listed, as the DynamoDB store lists only the texts it holds. */
  async setOverride(language: Language, replyId: ReplyId, text: string | undefined): Promise<void> {
    const forLanguage = { ...this.current[language] };
    if (text === undefined) delete forLanguage[replyId];
    else forLanguage[replyId] = text;
    if (Object.keys(forLanguage).length === 0) delete this.current[language];
    else this.current[language] = forLanguage;
  }
}

export class InMemoryApiKeyStore implements ApiKeyStore {
  /** By hash: what authentication reads. */
  readonly keys = new Map<string, ApiKeyRecord>();
  /** By id: the hash each key is stored under. */
  readonly hashes = new Map<string, string>();

  async findByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    return copy(this.keys.get(hash));
  }

  async create(hash: string, record: ApiKeyRecord): Promise<void> {
    this.hashes.set(record.keyId, hash);
    this.keys.set(hash, copy(record));
  }

  async get(keyId: string): Promise<ApiKeyRecord | undefined> {
    const hash = this.hashes.get(keyId);
    return hash === undefined ? undefined : copy(this.keys.get(hash));
  }

  async list(limit: number, cursor: string | undefined): Promise<Page<ApiKeyRecord>> {
    const after = cursor === undefined ? undefined : decodeApiKeyCursor(cursor);
    const ids = [...this.hashes.keys()].sort().filter((id) => after === undefined || id > after);
    const items = ids.slice(0, limit).flatMap((id) => copy(this.keys.get(this.hashes.get(id)!)) ?? []);
    return { items, cursor: ids.length > limit ? encodeApiKeyCursor(ids[limit - 1]!) : undefined };
  }

  async revoke(keyId: string, at: string): Promise<boolean> {
    const hash = this.hashes.get(keyId);
    const record = hash === undefined ? undefined : this.keys.get(hash);
    if (!hash || !record) return false;
    this.keys.set(hash, { ...record, revoked: true, revokedAt: record.revokedAt ?? at });
    return true;
  }
}

/** Append-only, like the DynamoDB log: a record is never changed once written. */
export class InMemoryAuditLog implements AuditLog {
  readonly entries: AuditEntry[] = [];

  async record(entry: AuditEntry): Promise<void> {
    if (this.entries.some((existing) => existing.id === entry.id)) throw new ConflictError(`audit record ${entry.id} exists`);
    this.entries.push(copy(entry));
  }

  async list(query: AuditQuery): Promise<Page<AuditEntry>> {
    const sortKey = (entry: AuditEntry) => timeOrderedPosition(entry.at, entry.id);
    const after = query.cursor === undefined ? undefined : decodeTimeOrderedCursor(query.cursor);
    const matching = this.entries
      .filter((entry) => entry.at >= query.from && entry.at <= query.to)
      .filter((entry) => query.actor === undefined || entry.actor.keyId === query.actor)
      .filter((entry) => query.action === undefined || entry.action === query.action)
      .filter((entry) => query.department === undefined || (entry.department ?? entry.actor.department) === query.department)
      .filter((entry) => after === undefined || sortKey(entry) < after)
      .sort((a, b) => (sortKey(a) < sortKey(b) ? 1 : -1));
    const items = matching.slice(0, query.limit);
    return { items: items.map(copy), cursor: matching.length > query.limit ? encodeSortKeyCursor(sortKey(items.at(-1)!)) : undefined };
  }
}

export class InMemoryDepartmentStore implements DepartmentStore {
  readonly saved = new Map<string, DepartmentLimits>();
  /** The cap's counts by `department#day`. */
  readonly capCounts = new Map<string, number>();

  async limits(department: string): Promise<DepartmentLimits | undefined> {
    return copy(this.saved.get(department));
  }

  async setLimits(department: string, limits: DepartmentLimits): Promise<DepartmentLimits | undefined> {
    const before = this.saved.get(department);
    this.saved.set(department, copy(limits));
    return before;
  }

  async reserve(department: string, day: string, messages: number, cap: number): Promise<{ reserved: boolean; used: number }> {
    const used = this.capCounts.get(`${department}#${day}`) ?? 0;
    if (used + messages > cap) return { reserved: false, used };
    this.capCounts.set(`${department}#${day}`, used + messages);
    return { reserved: true, used };
  }

  async countUncapped(department: string, day: string, messages: number): Promise<void> {
    this.capCounts.set(`${department}#${day}`, (this.capCounts.get(`${department}#${day}`) ?? 0) + messages);
  }

  async used(department: string, day: string): Promise<number> {
    return this.capCounts.get(`${department}#${day}`) ?? 0;
  }

  async release(department: string, day: string, messages: number): Promise<void> {
    const key = `${department}#${day}`;
    const used = this.capCounts.get(key);
    if (used !== undefined && used >= messages) this.capCounts.set(key, used - messages);
  }

  readonly costs = new Map<string, { costMicros: number; replyCostMicros: number; currency: string | undefined }>();
  readonly sent = new Map<string, number>();

  async addCost(department: string, day: string, costMicros: number, currency: string, part: CostPart = 'broadcasts', messages = 0): Promise<void> {
    if (costMicros === 0 && messages === 0) return;
    const key = `${department}#${day}`;
    const before = this.costs.get(key);
    this.costs.set(key, {
      costMicros: (before?.costMicros ?? 0) + costMicros,
      replyCostMicros: (before?.replyCostMicros ?? 0) + (part === 'replies' ? costMicros : 0),
      currency: before?.currency ?? currency,
    });
    this.sent.set(key, (this.sent.get(key) ?? 0) + messages);
  }

  async cost(department: string, day: string): Promise<DepartmentDayCost> {
    return this.costs.get(`${department}#${day}`) ?? { costMicros: 0, replyCostMicros: 0, currency: undefined };
  }

  async usage(department: string, fromDay: string, toDay: string): Promise<DepartmentDayUsage[]> {
    const days = new Set(
      [...this.capCounts.keys(), ...this.costs.keys(), ...this.sent.keys()]
        .filter((key) => key.startsWith(`${department}#`))
        .map((key) => key.slice(department.length + 1))
        .filter((day) => day >= fromDay && day <= toDay),
    );
    return [...days].sort().map((day) => {
      const key = `${department}#${day}`;
      const cost = this.costs.get(key);
      return {
        day,
        sent: this.sent.get(key) ?? 0,
        countedAgainstCap: this.capCounts.get(key) ?? 0,
        costMicros: cost?.costMicros ?? 0,
        replyCostMicros: cost?.replyCostMicros ?? 0,
        currency: cost?.currency,
      };
    });
  }
}

export interface InMemoryStores extends Stores {
  departments: InMemoryDepartmentStore;
  topics: InMemoryTopicStore;
  subscribers: InMemorySubscriberStore;
  topicIndex: InMemorySubscriberStore;
  broadcasts: InMemoryBroadcastStore;
  messages: InMemoryMessageStore;
  inbound: InMemoryInboundLog;
  inbox: InMemoryInboxStore;
  replyTexts: InMemoryReplyTextStore;
  apiKeys: InMemoryApiKeyStore;
  staff: InMemoryStaffStore;
  templates: InMemoryTemplateStore;
  audit: InMemoryAuditLog;
}

export function inMemoryStores(shardCount = 4): InMemoryStores {
  const subscribers = new InMemorySubscriberStore(shardCount);
  return {
    topics: new InMemoryTopicStore(subscribers),
    subscribers,
    topicIndex: subscribers,
    broadcasts: new InMemoryBroadcastStore(),
    messages: new InMemoryMessageStore(),
    inbound: new InMemoryInboundLog(),
    inbox: new InMemoryInboxStore(),
    replyTexts: new InMemoryReplyTextStore(),
    apiKeys: new InMemoryApiKeyStore(),
    staff: new InMemoryStaffStore(),
    templates: new InMemoryTemplateStore(),
    audit: new InMemoryAuditLog(),
    departments: new InMemoryDepartmentStore(),
    importBatches: new InMemoryImportBatchStore(),
  };
}

/** Import batches by id; the listing is the same records, newest first. */
export class InMemoryImportBatchStore implements ImportBatchStore {
  readonly batches = new Map<string, ImportBatch>();

  async record(batch: ImportBatch): Promise<void> {
    this.batches.set(batch.id, copy(batch));
  }

  async get(id: string): Promise<ImportBatch | undefined> {
    const batch = this.batches.get(id);
    return batch ? copy(batch) : undefined;
  }

  async recent(limit: number): Promise<ImportBatch[]> {
    return [...this.batches.values()]
      .sort((a, b) => (`${a.at}#${a.id}` < `${b.at}#${b.id}` ? 1 : -1))
      .slice(0, limit)
      .map(copy);
  }
}

/** A clock that stands still until a test moves it. */
export class FixedClock implements Clock {
  private current: number;

  constructor(start = '2025-03-01T09:00:00.000Z') {
    this.current = Date.parse(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }
}

/** Ids that sort by creation, like ULIDs, and are readable in a failure message. */
export class SequentialIds implements IdGenerator {
  private sequence = 0;

  constructor(private readonly prefix = 'id') {}

  next(): string {
    this.sequence += 1;
    return `${this.prefix}-${String(this.sequence).padStart(4, '0')}`;
  }
}

/** Keeps what was sent; fails the next send when told to, as an SQS outage would. */
export class RecordingQueue<Job> implements JobQueue<Job> {
  readonly sent: Job[] = [];
  private failures: Error[] = [];

  failNextSend(error: Error): void {
    this.failures.push(error);
  }

  async send(jobs: readonly Job[]): Promise<void> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.sent.push(...copy(jobs));
  }
}

export type ReplyQueue = RecordingQueue<ReplySendJob>;

/** The inbound use case's dependencies, all in memory, with the parts a test looks at. */
export function inMemoryInboundDependencies(settings: Partial<InboundSettings> = {}): {
  deps: InboundDependencies;
  stores: InMemoryStores;
  replyQueue: ReplyQueue;
  clock: FixedClock;
} {
  const stores = inMemoryStores();
  const replyQueue: ReplyQueue = new RecordingQueue<ReplySendJob>();
  const clock = new FixedClock();
  const deps: InboundDependencies = { stores, clock, ids: new SequentialIds(), replies: replyQueue, settings: anInboundSettings(settings) };
  return { deps, stores, replyQueue, clock };
}

/**
 * A provider whose answers a test scripts per message: by default it accepts everything; an
 * answer function may throw (a ProviderError, or anything else, as a crashing SDK would).
 */
export class ScriptedProvider implements MessagingProvider {
  readonly name = 'sandbox' as const;
  readonly attempts: OutboundText[] = [];
  private sequence = 0;
  answer: (message: OutboundText) => ProviderAcceptance | Error = () => this.accept();

  async sendText(message: OutboundText): Promise<ProviderAcceptance> {
    this.attempts.push(copy(message));
    const answer = this.answer(message);
    if (answer instanceof Error) throw answer;
    return answer;
  }

  accept(): ProviderAcceptance {
    this.sequence += 1;
    return { provider: 'sandbox', providerMessageId: `SB${String(this.sequence).padStart(6, '0')}` };
  }

  get sentTo(): string[] {
    return this.attempts.map((message) => message.to);
  }
}

export function directoryOf(provider: MessagingProvider): ProviderDirectory {
  return { forChannel: async () => provider };
}
