import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, AuditLog, AuditQuery } from '../../staff/audit-log.js';
import type { Page } from '../../ports/page.js';
import { decodeTimeOrderedCursor, encodeSortKeyCursor } from '../../platform/page-cursor.js';
import { keys } from './keys.js';
import { defaultRetention, type RetentionPeriods } from '../../retention/periods.js';
import { expiresAt } from '../../retention/schedule.js';

const DAY_MS = 24 * 3600 * 1000;

/**
 * The audit log: one item per record, partitioned by UTC day (`AUDIT#<YYYY-MM-DD>`, sorted by
 * `<at>#<id>`). Records are only ever added, never updated: the put refuses to overwrite.
 */
export class DynamoAuditLog implements AuditLog {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retention: RetentionPeriods = defaultRetention,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.auditEntry(entry.at, entry.id), type: 'audit', ...entry, expiresAt: expiresAt({ kind: 'audit', at: entry.at }, this.retention) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /**
   * Newest first: the day partitions from `to` back to `from`, each read backwards. The cursor is
   * the sort key of the last record given, so the next page starts just before it.
   */
  async list(query: AuditQuery): Promise<Page<AuditEntry>> {
    const after = query.cursor === undefined ? undefined : decodeTimeOrderedCursor(query.cursor);
    const upperBound = `${query.to}#\uffff`;
    const upper = after !== undefined && after < upperBound ? after : upperBound;
    const lower = query.from;
    const filter = auditFilter(query);
    const found: Record<string, unknown>[] = [];
    for (let day = upper.slice(0, 10); day >= lower.slice(0, 10) && found.length <= query.limit; day = previousDay(day)) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await this.documents.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lower AND :upper',
            ...filter.expression,
            ExpressionAttributeValues: { ':pk': keys.auditPartition(day), ':lower': lower, ':upper': upper, ...filter.values },
            ScanIndexForward: false,
            Limit: query.limit + 2 - found.length,
            ExclusiveStartKey: startKey,
          }),
        );
        // BETWEEN is inclusive; the cursor's own record was on the previous page.
        found.push(...(page.Items ?? []).filter((item) => item.sk !== after));
        startKey = page.LastEvaluatedKey;
      } while (startKey && found.length <= query.limit);
    }
    const items = found.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: items.map(toEntry),
      cursor: found.length > query.limit && last ? encodeSortKeyCursor(last.sk) : undefined,
    };
  }
}

/**
 * Who, what and which department, applied after the day's key condition: the log is read a day at
 * a time anyway, and a day's records are few. A record without its own department concerns its
 * actor's.
 */
function auditFilter(query: AuditQuery): { expression: { FilterExpression?: string; ExpressionAttributeNames?: Record<string, string> }; values: Record<string, unknown> } {
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (query.actor !== undefined) {
    conditions.push('#actor.#keyId = :actor');
    Object.assign(names, { '#actor': 'actor', '#keyId': 'keyId' });
    values[':actor'] = query.actor;
  }
  if (query.action !== undefined) {
    // ACTION is one of DynamoDB's reserved words.
    conditions.push('#action = :action');
    names['#action'] = 'action';
    values[':action'] = query.action;
  }
  if (query.department !== undefined) {
    conditions.push('(#department = :department OR (attribute_not_exists(#department) AND #actor.#department = :department))');
    Object.assign(names, { '#department': 'department', '#actor': 'actor' });
    values[':department'] = query.department;
  }
  if (conditions.length === 0) return { expression: {}, values };
  return { expression: { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names }, values };
}

function previousDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) - DAY_MS).toISOString().slice(0, 10);
}

function toEntry(item: Record<string, unknown>): AuditEntry {
  return {
    id: String(item.id),
    at: String(item.at),
    actor: item.actor as AuditEntry['actor'],
    action: item.action as AuditEntry['action'],
    target: item.target as AuditEntry['target'],
    before: (item.before as Record<string, unknown> | undefined) ?? undefined,
    after: (item.after as Record<string, unknown> | undefined) ?? undefined,
    ...(typeof item.department === 'string' ? { department: item.department } : {}),
  };
}
