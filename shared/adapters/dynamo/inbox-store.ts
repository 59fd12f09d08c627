import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { ERASED } from '../../domain/erasure.js';
import { inboxEntryId } from '../../domain/inbox.js';
import { channelSchema } from '../../domain/model.js';
import type { InboxEntry, InboxNote, InboxQuery, InboxReply, InboxStore, NewInboxEntry } from '../../inbox/inbox-store.js';
import type { Page } from '../../ports/page.js';
import { isConditionFailure } from './conditions.js';
import { decodeTimeOrderedCursor, encodeSortKeyCursor } from '../../platform/page-cursor.js';
import { keys } from './keys.js';
import { defaultRetention, type RetentionPeriods } from '../../retention/periods.js';
import { expiresAt } from '../../retention/schedule.js';

/** Where an entry lives: its department's partition, at the time it was first received. */
interface Position {
  department: string;
  receivedAt: string;
}

/**
 * Residents' free-text messages, one partition per department, sorted by time received, plus one
 * small item per entry id that says where the entry is (`INBOXID#<id>`), so the API can address
 * an entry by id and a provider's retry finds the first entry.
 */
export class DynamoInboxStore implements InboxStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retention: RetentionPeriods = defaultRetention,
  ) {}

  /**
   * Two conditional writes, no transaction (dynalite has none), in this order:
   * 1. the id item, recording the entry's position, written only if absent: the first attempt
   *    fixes where the entry lives, whatever time or department a retry computes (a retry after
   *    the 60-second in-progress takeover has a later `receivedAt`, and once keyed by it made a
   *    second entry);
   * 2. the entry at that position, also only if absent, so a retry never resets `handled`.
   * A crash between the two leaves an id item without its entry, invisible to listings; the
   * provider's retry replays step 2 at the recorded position.
   */
  async add(entry: NewInboxEntry): Promise<InboxEntry> {
    const id = inboxEntryId(entry.provider, entry.providerMessageId);
    let position: Position = { department: entry.department, receivedAt: entry.receivedAt };
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.inboxEntryById(id), type: 'inboxEntryId', id, ...position, expiresAt: this.expiryOf(position.receivedAt) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      position = (await this.position(id)) ?? position;
    }
    const stored: InboxEntry = { ...entry, ...position, id };
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.inboxEntry(position.department, position.receivedAt, id), type: 'inboxEntry', ...stored, expiresAt: this.expiryOf(position.receivedAt) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return stored;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return (await this.get(id)) ?? stored;
    }
  }

  async get(id: string): Promise<InboxEntry | undefined> {
    const position = await this.position(id);
    if (!position) return undefined;
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: keys.inboxEntry(position.department, position.receivedAt, id), ConsistentRead: true }),
    );
    return Item ? toEntry(Item) : undefined;
  }

  /**
   * Newest first. The received-between window and the cursor bound the sort key (the key
   * condition), so a window reads only its own stretch of the partition; the other filters apply
   * after it, so one page may read past many entries that do not match. The cursor is the sort key
   * of the last entry given, so the next page starts just before it.
   */
  async list(query: InboxQuery): Promise<Page<InboxEntry>> {
    const cursor = query.cursor === undefined ? undefined : decodeTimeOrderedCursor(query.cursor);
    // Sort keys are `<ISO time>#<id>` and ISO times are all the same length: every key of a time
    // up to `receivedTo` sorts before `<receivedTo>$` ('$' follows '#').
    const toBound = query.receivedTo === undefined ? undefined : `${query.receivedTo}$`;
    const before = cursor !== undefined && (toBound === undefined || cursor < toBound) ? cursor : toBound;
    const from = query.receivedFrom;
    if (before !== undefined && from !== undefined && before < from) return { items: [], cursor: undefined };
    const filters: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':pk': keys.inboxPartition(query.department) };
    const equal = { handled: query.handled, topicId: query.topicId, from: query.from, broadcastId: query.broadcastId, assignedTo: query.assignedTo };
    for (const [attribute, value] of Object.entries(equal)) {
      if (value === undefined) continue;
      // Names for all of them: FROM is one of DynamoDB's reserved words.
      filters.push(`#${attribute} = :${attribute}`);
      names[`#${attribute}`] = attribute;
      values[`:${attribute}`] = value;
    }
    if (before !== undefined) values[':before'] = before;
    if (from !== undefined) values[':from_'] = from;
    const keyCondition =
      before !== undefined && from !== undefined
        ? 'pk = :pk AND sk BETWEEN :from_ AND :before'
        : before !== undefined
          ? 'pk = :pk AND sk < :before'
          : from !== undefined
            ? 'pk = :pk AND sk >= :from_'
            : 'pk = :pk';
    const found: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: keyCondition,
          ...(filters.length > 0 ? { FilterExpression: filters.join(' AND '), ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          Limit: Math.max(query.limit + 1, 50),
          ExclusiveStartKey: startKey,
        }),
      );
      // BETWEEN is inclusive; the bound above is not (it is the cursor's own entry, or no entry's key).
      found.push(...(page.Items ?? []).filter((item) => item.sk !== before));
      startKey = page.LastEvaluatedKey;
    } while (startKey && found.length <= query.limit);
    const items = found.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: items.map(toEntry),
      cursor: found.length > query.limit && last ? encodeSortKeyCursor(last.sk) : undefined,
    };
  }

  /**
   * Conditional, so the first who and when stay: marking twice changes nothing. Handling keeps the
   * entry another retention period (shared/retention/schedule.ts), and with it what points to it:
   * its id item (without which erasure cannot find it) and the sender's reference. Those follow
   * the entry's stored handling time on every call, so a retry after a crash part-way finishes them.
   */
  async markHandled(id: string, by: string, at: string): Promise<{ entry: InboxEntry; changed: boolean } | undefined> {
    const result = await this.updateUnlessDone(id, (position) => ({
      UpdateExpression: 'SET handled = :true, handledAt = :at, handledBy = :by, expiresAt = :expiresAt',
      ConditionExpression: 'attribute_exists(pk) AND handled <> :true',
      ExpressionAttributeValues: { ':true': true, ':at': at, ':by': by, ':expiresAt': this.expiryOf(position.receivedAt, at) },
    }));
    if (result?.entry.handledAt) await this.keepPointersTo(result.entry, result.entry.handledAt);
    return result;
  }

  /**
   * Conditional on the entry being handled, so reopening twice changes nothing. The entry keeps
   * the longer expiry handling gave it (and its pointers theirs): a reopened entry is work again,
   * and is kept at least as long as a handled one.
   */
  async reopen(id: string): Promise<{ entry: InboxEntry; changed: boolean } | undefined> {
    return this.updateUnlessDone(id, () => ({
      UpdateExpression: 'SET handled = :false REMOVE handledAt, handledBy',
      ConditionExpression: 'attribute_exists(pk) AND handled = :true',
      ExpressionAttributeValues: { ':true': true, ':false': false },
    }));
  }

  /**
   * Conditional on the reply's message id not being in the entry's set of them (`replyIds`), so a
   * second call with the same id (a double-clicked Send reply) appends nothing.
   */
  async addReply(id: string, reply: InboxReply): Promise<{ entry: InboxEntry; added: boolean } | undefined> {
    const result = await this.updateUnlessDone(id, () => ({
      UpdateExpression: 'SET replies = list_append(if_not_exists(replies, :none), :reply) ADD replyIds :ids',
      ConditionExpression: 'attribute_exists(pk) AND NOT contains(replyIds, :messageId)',
      ExpressionAttributeValues: { ':none': [], ':reply': [reply], ':ids': new Set([reply.messageId]), ':messageId': reply.messageId },
    }));
    return result && { entry: result.entry, added: result.changed };
  }

  /**
   * One write to an entry, conditional on it not being done already: the entry as written
   * (`changed`), or as it stands when the condition says it was done before (or undefined when
   * there is no such entry). The handling, reopening and reply writes differ only in their expressions.
   */
  private async updateUnlessDone(
    id: string,
    update: (position: Position) => Pick<UpdateCommandInput, 'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeValues'>,
  ): Promise<{ entry: InboxEntry; changed: boolean } | undefined> {
    const position = await this.position(id);
    if (!position) return undefined;
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({ TableName: this.tableName, Key: keys.inboxEntry(position.department, position.receivedAt, id), ...update(position), ReturnValues: 'ALL_NEW' }),
      );
      return { entry: toEntry(Attributes ?? {}), changed: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const entry = await this.get(id);
      return entry ? { entry, changed: false } : undefined;
    }
  }

  async assign(id: string, to: string | undefined): Promise<{ entry: InboxEntry; before: string | undefined } | undefined> {
    const position = await this.position(id);
    if (!position) return undefined;
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.inboxEntry(position.department, position.receivedAt, id),
          UpdateExpression: to === undefined ? 'REMOVE assignedTo' : 'SET assignedTo = :to',
          ConditionExpression: 'attribute_exists(pk)',
          ...(to === undefined ? {} : { ExpressionAttributeValues: { ':to': to } }),
          // The old values say who it was assigned to, exactly as this write found it.
          ReturnValues: 'ALL_OLD',
        }),
      );
      const old = toEntry(Attributes ?? {});
      const { assignedTo: before, ...rest } = old;
      return { entry: to === undefined ? rest : { ...rest, assignedTo: to }, before };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return undefined;
    }
  }

  async addNote(id: string, note: InboxNote): Promise<InboxEntry | undefined> {
    const position = await this.position(id);
    if (!position) return undefined;
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.inboxEntry(position.department, position.receivedAt, id),
          UpdateExpression: 'SET notes = list_append(if_not_exists(notes, :none), :note)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':none': [], ':note': [note] },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toEntry(Attributes ?? {});
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return undefined;
    }
  }

  /**
   * One Query of the department's partition, newest first, counting (not returning) the items
   * that are not handled among the first `within`: the navigation's count costs one request
   * however large the inbox grows.
   */
  async countUnhandled(department: string, within: number): Promise<{ count: number; more: boolean }> {
    const { Count, LastEvaluatedKey } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: '#handled <> :true',
        ExpressionAttributeNames: { '#handled': 'handled' },
        ExpressionAttributeValues: { ':pk': keys.inboxPartition(department), ':true': true },
        ScanIndexForward: false,
        Select: 'COUNT',
        Limit: within,
      }),
    );
    return { count: Count ?? 0, more: LastEvaluatedKey !== undefined };
  }

  /** Pointers never expire before the entry: each is moved later, never earlier. */
  private async keepPointersTo(entry: InboxEntry, handledAt: string): Promise<void> {
    const pointers = [
      { key: keys.inboxEntryById(entry.id), until: this.expiryOf(entry.receivedAt, handledAt) },
      {
        key: keys.inboundBySender(entry.from, entry.provider, entry.providerMessageId),
        until: expiresAt({ kind: 'inboundReference', at: entry.receivedAt, handledAt }, this.retention),
      },
    ];
    for (const { key, until } of pointers) {
      try {
        await this.documents.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'SET expiresAt = :until',
            // Not one that is gone (an erased sender's reference), and never earlier than it was.
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(expiresAt) OR expiresAt < :until)',
            ExpressionAttributeValues: { ':until': until },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
  }

  private expiryOf(receivedAt: string, handledAt?: string): number {
    return expiresAt({ kind: 'inboxEntry', receivedAt, ...(handledAt ? { handledAt } : {}) }, this.retention);
  }

  async anonymise(id: string): Promise<void> {
    const position = await this.position(id);
    if (!position) return;
    // Staff's replies and notes may quote the resident: their words go too (who wrote them and when stay).
    const { replies, notes } = (await this.get(id)) ?? {};
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.inboxEntry(position.department, position.receivedAt, id),
          UpdateExpression: `SET #from = :erased, body = :erased${replies ? ', replies = :replies' : ''}${notes ? ', notes = :notes' : ''}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#from': 'from' },
          ExpressionAttributeValues: {
            ':erased': ERASED,
            ...(replies ? { ':replies': replies.map((reply) => ({ ...reply, body: ERASED })) } : {}),
            ...(notes ? { ':notes': notes.map((note) => ({ ...note, text: ERASED })) } : {}),
          },
        }),
      );
    } catch (error) {
      // An id item without its entry: a crash between the two writes of add.
      if (!isConditionFailure(error)) throw error;
    }
  }

  private async position(id: string): Promise<Position | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.inboxEntryById(id), ConsistentRead: true }));
    return Item ? { department: String(Item.department), receivedAt: String(Item.receivedAt) } : undefined;
  }
}

function toEntry(item: Record<string, unknown>): InboxEntry {
  const provider = String(item.provider);
  const providerMessageId = String(item.providerMessageId);
  return {
    // Entries written before ids existed have none stored; theirs is the same derivation.
    id: typeof item.id === 'string' ? item.id : inboxEntryId(provider, providerMessageId),
    department: String(item.department),
    provider,
    providerMessageId,
    from: String(item.from),
    channel: channelSchema.parse(item.channel),
    body: String(item.body),
    receivedAt: String(item.receivedAt),
    broadcastId: typeof item.broadcastId === 'string' ? item.broadcastId : undefined,
    topicId: typeof item.topicId === 'string' ? item.topicId : undefined,
    ...(typeof item.to === 'string' ? { to: item.to } : {}),
    handled: item.handled === true,
    ...(typeof item.handledAt === 'string' ? { handledAt: item.handledAt } : {}),
    ...(typeof item.handledBy === 'string' ? { handledBy: item.handledBy } : {}),
    ...(Array.isArray(item.replies) ? { replies: item.replies.map(toReply) } : {}),
    ...(typeof item.assignedTo === 'string' ? { assignedTo: item.assignedTo } : {}),
    ...(Array.isArray(item.notes) ? { notes: item.notes.map(toNote) } : {}),
  };
}

function toNote(item: Record<string, unknown>): InboxNote {
  return { id: String(item.id), text: String(item.text), at: String(item.at), by: String(item.by) };
}

function toReply(item: Record<string, unknown>): InboxReply {
  return { messageId: String(item.messageId), body: String(item.body), at: String(item.at), by: String(item.by) };
}
