import type { KeySource } from './config.js';
import type { HttpClient } from './http.js';
import { accessCalls, type AccessCalls } from './api/access-calls.js';
import { broadcastCalls, type BroadcastCalls } from './api/broadcast-calls.js';
import { inboxCalls, type InboxCalls } from './api/inbox-calls.js';
import { KeyedClient } from './api/keyed-client.js';
import { operationCalls, type OperationCalls } from './api/operation-calls.js';
import { subscriberCalls, type SubscriberCalls } from './api/subscriber-calls.js';
import { templateCalls, type TemplateCalls } from './api/template-calls.js';
import { topicCalls, type TopicCalls } from './api/topic-calls.js';

export type { ApiResult } from './api/keyed-client.js';
export type { ApiKey, AuditEntry, StaffMember } from './api/access-calls.js';
export type { Broadcast, BroadcastPreview, DepartmentLimits } from './api/broadcast-calls.js';
export type { InboxConversation, InboxEntry, InboxFilterInput } from './api/inbox-calls.js';
export type { DeadLetterQueue, ProvidersStatus, RedriveResult, UsageRowView } from './api/operation-calls.js';
export type { ResidentMessages, Subscriber, SubscriberImport } from './api/subscriber-calls.js';
export type { SavedTemplate, SavedTemplateVersion } from './api/template-calls.js';
export type { Topic } from './api/topic-calls.js';

/** The admin API under /v1, with one key: every resource's calls, as the commands use them. */
export type AdminApi = TopicCalls & InboxCalls & SubscriberCalls & BroadcastCalls & AccessCalls & TemplateCalls & OperationCalls;

/**
 * The admin API at `http`'s crier, with `key`; `keySource` (where the key came from) is named when
 * crier refuses it. Responses are checked against the server's own schemas (see KeyedClient).
 */
export function connectAdminApi(http: HttpClient, key: string, keySource: KeySource | undefined): AdminApi {
  const client = new KeyedClient(http, key, keySource);
  return {
    ...topicCalls(client),
    ...inboxCalls(client),
    ...subscriberCalls(client),
    ...broadcastCalls(client),
    ...accessCalls(client),
    ...templateCalls(client),
    ...operationCalls(client),
  };
}
