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
import { DynamoSubscriberStore } from './subscriber-store.js';
import { DynamoTopicIndex } from './topic-index.js';
import { DynamoTopicStore } from './topic-store.js';

export function dynamoStores(documents: DynamoDBDocumentClient, tableName: string, shardCount: number): Stores {
  return {
    topics: new DynamoTopicStore(documents, tableName, shardCount),
    subscribers: new DynamoSubscriberStore(documents, tableName, shardCount),
    topicIndex: new DynamoTopicIndex(documents, tableName),
    broadcasts: new DynamoBroadcastStore(documents, tableName),
    messages: new DynamoMessageStore(documents, tableName),
    inbound: new DynamoInboundLog(documents, tableName),
    inbox: new DynamoInboxStore(documents, tableName),
    replyTexts: new DynamoReplyTextStore(documents, tableName),
    apiKeys: new DynamoApiKeyStore(documents, tableName),
    audit: new DynamoAuditLog(documents, tableName),
    departments: new DynamoDepartmentStore(documents, tableName),
  };
}
