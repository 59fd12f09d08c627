import type { BroadcastStore } from '../broadcasts/broadcast-store.js';
import type { SubscriberStore } from '../consent/subscriber-store.js';
import type { InboundLog } from '../inbox/inbound-log.js';
import type { InboxStore } from '../inbox/inbox-store.js';
import type { ReplyTextStore } from '../inbox/reply-text-store.js';
import type { ImportBatchStore } from '../residents/import-batch.js';
import type { MessageStore } from '../sending/message-store.js';
import type { ApiKeyStore } from '../staff/api-key-store.js';
import type { AuditLog } from '../staff/audit-log.js';
import type { StaffStore } from '../staff/staff-store.js';
import type { TemplateStore } from '../templates/template-store.js';
import type { TopicIndex } from '../topics/topic-index.js';
import type { TopicStore } from '../topics/topic-store.js';
import type { DepartmentStore } from '../usage/department-store.js';

/**
 * Every store the use cases are given, in one value (built by shared/adapters/dynamo/stores.ts, or
 * of in-memory fakes in tests). Each port lives in the folder of the capability it serves, beside
 * its rules; this module only names them together.
 */
export interface Stores {
  topics: TopicStore;
  subscribers: SubscriberStore;
  topicIndex: TopicIndex;
  broadcasts: BroadcastStore;
  messages: MessageStore;
  inbound: InboundLog;
  inbox: InboxStore;
  replyTexts: ReplyTextStore;
  apiKeys: ApiKeyStore;
  staff: StaffStore;
  templates: TemplateStore;
  audit: AuditLog;
  departments: DepartmentStore;
  importBatches: ImportBatchStore;
}

/** Every store, with the subscriber store seen through the parts `P` alone (see WithSubscribers). */
export type StoresWithSubscribers<P> = Omit<Stores, 'subscribers'> & { subscribers: P };

/**
 * The dependencies `D` with the subscriber store seen through the parts `P` alone (ConsentStore,
 * ProfileStore, ErasureStore, ImportStore, or `unknown` for none): a use case that takes its
 * dependencies so says in its signature what it touches of a resident. Stores hands out the
 * whole store, so any `D` is one of these.
 */
export type WithSubscribers<D extends { stores: Stores }, P> = Omit<D, 'stores'> & { stores: StoresWithSubscribers<P> };
