import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { InboxEntry } from '../../../inbox/inbox-store.js';
import type { RetentionPeriods } from '../../../retention/periods.js';
import { expiresAt } from '../../../retention/schedule.js';
import { keys } from '../keys.js';
import { toEntry, type Position } from './items.js';

/**
 * The reads that several parts of the inbox store share: where an entry lives (its `INBOXID#<id>`
 * item), the entry itself, and when an entry expires.
 */
export class InboxTable {
  constructor(
    readonly documents: DynamoDBDocumentClient,
    readonly tableName: string,
    readonly retention: RetentionPeriods,
  ) {}

  async get(id: string): Promise<InboxEntry | undefined> {
    const position = await this.position(id);
    if (!position) return undefined;
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: keys.inboxEntry(position.department, position.receivedAt, id), ConsistentRead: true }),
    );
    return Item ? toEntry(Item) : undefined;
  }

  async position(id: string): Promise<Position | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.inboxEntryById(id), ConsistentRead: true }));
    return Item ? { department: String(Item.department), receivedAt: String(Item.receivedAt) } : undefined;
  }

  expiryOf(receivedAt: string, handledAt?: string): number {
    return expiresAt({ kind: 'inboxEntry', receivedAt, ...(handledAt ? { handledAt } : {}) }, this.retention);
  }
}
