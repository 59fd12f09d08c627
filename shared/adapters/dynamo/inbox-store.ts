import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { InboxStore } from '../../inbox/inbox-store.js';
import { defaultRetention, type RetentionPeriods } from '../../retention/periods.js';
import { DynamoInboxEntries } from './inbox/entries.js';
import { DynamoInboxErasure } from './inbox/erasure.js';
import { DynamoInboxHandling } from './inbox/handling.js';
import { InboxTable } from './inbox/table.js';

/**
 * Residents' free-text messages, one partition per department, sorted by time received, plus one
 * small item per entry id that says where the entry is (`INBOXID#<id>`), so the API can address
 * an entry by id and a provider's retry finds the first entry.
 *
 * Its work is in parts, one a job, in ./inbox/ (a DynamoDB adapter too big for one file becomes a
 * folder of that name beside it): entries (add, list, count), handling (staff's writes) and
 * erasure, over the reads they share (table.ts) and the item layout (items.ts). This class only
 * hands each method to its part.
 */
export class DynamoInboxStore implements InboxStore {
  private readonly table: InboxTable;
  private readonly entries: DynamoInboxEntries;
  private readonly handling: DynamoInboxHandling;
  private readonly erasure: DynamoInboxErasure;

  constructor(documents: DynamoDBDocumentClient, tableName: string, retention: RetentionPeriods = defaultRetention) {
    this.table = new InboxTable(documents, tableName, retention);
    this.entries = new DynamoInboxEntries(this.table);
    this.handling = new DynamoInboxHandling(this.table);
    this.erasure = new DynamoInboxErasure(this.table);
  }

  get(...args: Parameters<InboxTable['get']>) { return this.table.get(...args); }

  add(...args: Parameters<DynamoInboxEntries['add']>) { return this.entries.add(...args); }
  list(...args: Parameters<DynamoInboxEntries['list']>) { return this.entries.list(...args); }
  countUnhandled(...args: Parameters<DynamoInboxEntries['countUnhandled']>) { return this.entries.countUnhandled(...args); }

  markHandled(...args: Parameters<DynamoInboxHandling['markHandled']>) { return this.handling.markHandled(...args); }
  reopen(...args: Parameters<DynamoInboxHandling['reopen']>) { return this.handling.reopen(...args); }
  addReply(...args: Parameters<DynamoInboxHandling['addReply']>) { return this.handling.addReply(...args); }
  assign(...args: Parameters<DynamoInboxHandling['assign']>) { return this.handling.assign(...args); }
  addNote(...args: Parameters<DynamoInboxHandling['addNote']>) { return this.handling.addNote(...args); }

  anonymise(...args: Parameters<DynamoInboxErasure['anonymise']>) { return this.erasure.anonymise(...args); }
}
