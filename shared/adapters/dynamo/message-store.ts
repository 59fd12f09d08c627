import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MessageStore } from '../../sending/message-store.js';
import { defaultRetention, type RetentionPeriods } from '../../retention/periods.js';
import { DynamoMessageRecords } from './message/records.js';
import { DynamoReceiptWrites } from './message/receipts.js';
import { DynamoSendingWrites } from './message/sending.js';
import { MessageTable } from './message/table.js';

/**
 * The message store on DynamoDB, as the wiring constructs it. Its work is in parts, one a job, in
 * ./message/ (a DynamoDB adapter too big for one file becomes a folder of that name beside it):
 * sending (claim, sent, failed, release), receipts, and records (reads by id or broadcast,
 * forgetting, anonymising), over the reads and writes they share (table.ts). This class only
 * hands each method to its part.
 */
export class DynamoMessageStore implements MessageStore {
  private readonly table: MessageTable;
  private readonly sending: DynamoSendingWrites;
  private readonly receipts: DynamoReceiptWrites;
  private readonly records: DynamoMessageRecords;

  constructor(documents: DynamoDBDocumentClient, tableName: string, retention: RetentionPeriods = defaultRetention) {
    this.table = new MessageTable(documents, tableName, retention);
    this.sending = new DynamoSendingWrites(this.table);
    this.receipts = new DynamoReceiptWrites(this.table);
    this.records = new DynamoMessageRecords(this.table);
  }

  get(...args: Parameters<MessageTable['get']>) { return this.table.get(...args); }

  claim(...args: Parameters<DynamoSendingWrites['claim']>) { return this.sending.claim(...args); }
  recordOnce(...args: Parameters<DynamoSendingWrites['recordOnce']>) { return this.sending.recordOnce(...args); }
  resolveStaleClaim(...args: Parameters<DynamoSendingWrites['resolveStaleClaim']>) { return this.sending.resolveStaleClaim(...args); }
  markSent(...args: Parameters<DynamoSendingWrites['markSent']>) { return this.sending.markSent(...args); }
  markFailed(...args: Parameters<DynamoSendingWrites['markFailed']>) { return this.sending.markFailed(...args); }
  release(...args: Parameters<DynamoSendingWrites['release']>) { return this.sending.release(...args); }

  statusOf(...args: Parameters<DynamoReceiptWrites['statusOf']>) { return this.receipts.statusOf(...args); }
  recordProviderPrice(...args: Parameters<DynamoReceiptWrites['recordProviderPrice']>) { return this.receipts.recordProviderPrice(...args); }
  applyReceipt(...args: Parameters<DynamoReceiptWrites['applyReceipt']>) { return this.receipts.applyReceipt(...args); }

  getMany(...args: Parameters<DynamoMessageRecords['getMany']>) { return this.records.getMany(...args); }
  forget(...args: Parameters<DynamoMessageRecords['forget']>) { return this.records.forget(...args); }
  anonymiseRecipient(...args: Parameters<DynamoMessageRecords['anonymiseRecipient']>) { return this.records.anonymiseRecipient(...args); }
  listByBroadcast(...args: Parameters<DynamoMessageRecords['listByBroadcast']>) { return this.records.listByBroadcast(...args); }
}
