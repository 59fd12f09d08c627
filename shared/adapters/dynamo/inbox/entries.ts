import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { inboxEntryId } from '../../../inbox/entry-id.js';
import type { InboxEntry, InboxQuery, NewInboxEntry } from '../../../inbox/inbox-store.js';
import type { Page } from '../../../ports/page.js';
import { decodeTimeOrderedCursor, encodeSortKeyCursor } from '../../../platform/page-cursor.js';
import { isConditionFailure } from '../conditions.js';
import { keys } from '../keys.js';
import { toEntry, type Position } from './items.js';
import type { InboxTable } from './table.js';

/** The inbox store's entries part: adding a resident's message, and listing and counting a department's entries. */
export class DynamoInboxEntries {
  constructor(private readonly table: InboxTable) {}

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
      await this.table.documents.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: { ...keys.inboxEntryById(id), type: 'inboxEntryId', id, ...position, expiresAt: this.table.expiryOf(position.receivedAt) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      position = (await this.table.position(id)) ?? position;
    }
    const stored: InboxEntry = { ...entry, ...position, id };
    try {
      await this.table.documents.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: { ...keys.inboxEntry(position.department, position.receivedAt, id), type: 'inboxEntry', ...stored, expiresAt: this.table.expiryOf(position.receivedAt) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return stored;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return (await this.table.get(id)) ?? stored;
    }
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
      const page = await this.table.documents.send(
        new QueryCommand({
          TableName: this.table.tableName,
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
   * One Query of the department's partition, newest first, counting (not returning) the items
   * that are not handled among the first `within`: the navigation's count costs one request
   * however large the inbox grows.
   */
  async countUnhandled(department: string, within: number): Promise<{ count: number; more: boolean }> {
    const { Count, LastEvaluatedKey } = await this.table.documents.send(
      new QueryCommand({
        TableName: this.table.tableName,
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

}
