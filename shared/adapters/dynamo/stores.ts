import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Stores } from '../../ports/stores.js';
import { DynamoApiKeyStore } from './api-key-store.js';
import { DynamoAuditLog } from './audit-log.js';
import { DynamoBroadcastStore } from './broadcast-store.js';
import { DynamoDepartmentStore } from './department-store.js';
import { DynamoInboundLog } from './inbound-log.js';
import { DynamoInboxStore } from './inbox-store.js';
import { DynamoReplyTextStore } from './reply-text-store.js';
import { DynamoMessageStore } from './message-store.js';
import { DynamoStaffStore } from './staff-store.js';
import { DynamoSubscriberStore } from './subscriber-store.js';
import { DynamoTemplateStore } from './template-store.js';
import { DynamoTopicIndex } from './topic-index.js';
import { DynamoTopicStore } from './topic-store.js';
import { DynamoImportBatchStore } from './import-batch-store.js';
import { defaultRetention, type RetentionPeriods } from '../../retention/periods.js';
import type { PhoneHasher } from '../../domain/erasure.js';

export interface DynamoStoreOptions {
  /** The retention schedule the stores stamp TTLs from; unset, its defaults. */
  retention?: RetentionPeriods;
  /** The deployment's keyed hash of numbers, for erasure tombstones; unset, erasure refuses to run. */
  phoneHash?: PhoneHasher;
}

export function dynamoStores(documents: DynamoDBDocumentClient, tableName: string, shardCount: number, options: DynamoStoreOptions = {}): Stores {
  const retention = options.retention ?? defaultRetention;
  return {
    topics: new DynamoTopicStore(documents, tableName, shardCount),
    subscribers: new DynamoSubscriberStore(documents, tableName, shardCount, retention, options.phoneHash),
    topicIndex: new DynamoTopicIndex(documents, tableName),
    broadcasts: new DynamoBroadcastStore(documents, tableName),
    messages: new DynamoMessageStore(documents, tableName, retention),
    inbound: new DynamoInboundLog(documents, tableName, retention),
    inbox: new DynamoInboxStore(documents, tableName, retention),
    replyTexts: new DynamoReplyTextStore(documents, tableName),
    apiKeys: new DynamoApiKeyStore(documents, tableName),
    staff: new DynamoStaffStore(documents, tableName),
    templates: new DynamoTemplateStore(documents, tableName),
    audit: new DynamoAuditLog(documents, tableName, retention),
    departments: new DynamoDepartmentStore(documents, tableName),
    importBatches: new DynamoImportBatchStore(documents, tableName),
  };
}
