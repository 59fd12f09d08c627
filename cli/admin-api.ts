import { z } from 'zod';
import { conversationResponse, severalResponse } from '../shared/api/inbox-schemas.js';
import { residentMessagesResponse } from '../shared/api/resident-message-schemas.js';
import {
  auditResponse,
  broadcastResponse,
  createdKeyResponse,
  keyResponse,
  keysResponse,
  type createKeyRequest,
  rotatedBootstrapKeyResponse,
  subscriberResponse,
  topicResponse,
  topicsResponse,
  type createBroadcastRequest,
  type createTopicRequest,
  inboxEntryResponse,
  inboxResponse,
  type updateTopicRequest,
} from '../shared/api/schemas.js';
import {
  broadcastListResponse,
  broadcastPreviewResponse,
  departmentLimitsResponse,
  type departmentLimitsRequest,
  type previewBroadcastRequest,
} from '../shared/api/broadcast-schemas.js';
import { subscriberImportResponse } from '../shared/api/subscriber-import-schemas.js';
import { deadLettersResponse, redriveResultSchema } from '../shared/api/dead-letter-schemas.js';
import { providersResponse } from '../shared/api/provider-schemas.js';
import { staffListResponse, staffResponse, type addStaffRequest, type changeStaffRequest } from '../shared/api/staff-schemas.js';
import {
  templateResponse,
  templatesResponse,
  templateVersionsResponse,
  type createTemplateRequest,
  type editTemplateRequest,
} from '../shared/api/template-schemas.js';
import { usageResponse } from '../shared/api/usage-schemas.js';
import type { KeySource } from './config.js';
import { UnexpectedResponseError } from './errors.js';
import { problemsOf } from './arguments.js';
import { apiErrorFrom, isKeyRefused, type HttpClient } from './http.js';

/** A response both checked (`data`, typed) and as crier sent it (`raw`, for `--json`). */
export interface ApiResult<T> {
  data: T;
  raw: unknown;
}

export type Topic = z.infer<typeof topicResponse>;
export type ApiKey = z.infer<typeof keyResponse>;
export type AuditEntry = z.infer<typeof auditResponse>['entries'][number];
export type Broadcast = z.infer<typeof broadcastResponse>;
export type BroadcastPreview = z.infer<typeof broadcastPreviewResponse>;
export type DepartmentLimits = z.infer<typeof departmentLimitsResponse>;
export type InboxEntry = z.infer<typeof inboxEntryResponse>;
export type InboxConversation = z.infer<typeof conversationResponse>;

/** The inbox's filters, as `GET /v1/inbox` and its export take them. */
export interface InboxFilterInput {
  department?: string;
  handled?: boolean;
  topic?: string;
  from?: string;
  broadcast?: string;
  assignedTo?: string;
  receivedFrom?: string;
  receivedTo?: string;
}
export type SubscriberImport = z.infer<typeof subscriberImportResponse>;
export type ResidentMessages = z.infer<typeof residentMessagesResponse>;
export type DeadLetterQueue = z.infer<typeof deadLettersResponse>['queues'][number];
export type RedriveResult = z.infer<typeof redriveResultSchema>;
export type ProvidersStatus = z.infer<typeof providersResponse>;
export type StaffMember = z.infer<typeof staffResponse>;
export type SavedTemplate = z.infer<typeof templateResponse>;
export type SavedTemplateVersion = z.infer<typeof templateVersionsResponse>['versions'][number];
export type UsageRowView = z.infer<typeof usageResponse>['rows'][number];

const subscriberView = subscriberResponse;
export type Subscriber = z.infer<typeof subscriberView>;

/** The largest page the API gives: the fewest round trips when the CLI wants them all. */
const ALL_TOPICS_PAGE_SIZE = 200;
const noContent = z.undefined();

/**
 * The admin API under /v1, with one key. Responses are validated with the same schemas the
 * server builds its OpenAPI document from, so a mismatch shows up as a clear error, not as
 * `undefined` printed in a table.
 */
export class AdminApi {
  constructor(
    private readonly http: HttpClient,
    private readonly key: string,
    private readonly keySource: KeySource | undefined,
  ) {}

  createTopic(input: z.input<typeof createTopicRequest>) {
    return this.call(topicResponse, 'POST', '/v1/topics', input);
  }

  /** One page of topics; `cursor` in the answer when more follow. */
  listTopics(query: { archived?: boolean; limit?: number; cursor?: string } = {}) {
    return this.call(
      topicsResponse,
      'GET',
      `/v1/topics${queryString({ archived: query.archived ? 'true' : undefined, limit: query.limit, cursor: query.cursor })}`,
    );
  }

  /** Every topic, page after page. */
  async listAllTopics(query: { archived?: boolean } = {}): Promise<Topic[]> {
    const topics: Topic[] = [];
    let cursor: string | undefined;
    do {
      const { data } = await this.listTopics({ ...query, limit: ALL_TOPICS_PAGE_SIZE, cursor });
      topics.push(...data.topics);
      cursor = data.cursor;
    } while (cursor);
    return topics;
  }

  updateTopic(id: string, changes: z.input<typeof updateTopicRequest>) {
    return this.call(topicResponse, 'PATCH', `/v1/topics/${encodeURIComponent(id)}`, changes);
  }

  archiveTopic(id: string) {
    return this.call(topicResponse, 'POST', `/v1/topics/${encodeURIComponent(id)}/archive`);
  }

  listInbox(query: InboxFilterInput & { limit?: number; cursor?: string } = {}) {
    const { handled, ...rest } = query;
    return this.call(inboxResponse, 'GET', `/v1/inbox${queryString({ ...rest, handled: handled === undefined ? undefined : String(handled) })}`);
  }

  inboxConversation(id: string) {
    return this.call(conversationResponse, 'GET', `/v1/inbox/${encodeURIComponent(id)}`);
  }

  assignInbox(id: string, assignee: string | null) {
    return this.call(inboxEntryResponse, 'POST', `/v1/inbox/${encodeURIComponent(id)}/assign`, { assignee });
  }

  noteOnInbox(id: string, text: string) {
    return this.call(inboxEntryResponse, 'POST', `/v1/inbox/${encodeURIComponent(id)}/notes`, { text });
  }

  reopenInbox(id: string) {
    return this.call(inboxEntryResponse, 'POST', `/v1/inbox/${encodeURIComponent(id)}/reopen`);
  }

  /** Several at once: all are checked first, so one refused changes none. */
  setInboxHandled(ids: string[], handled: boolean) {
    return this.call(severalResponse, 'POST', '/v1/inbox/handled', { ids, handled });
  }

  /** The inbox as CSV, as filtered; `truncated` when more matched than one export holds. */
  async exportInbox(query: InboxFilterInput = {}): Promise<{ csv: string; truncated: boolean }> {
    const { handled, ...rest } = query;
    const response = await this.send('GET', `/v1/inbox/export${queryString({ ...rest, handled: handled === undefined ? undefined : String(handled) })}`);
    return { csv: response.text, truncated: response.headers?.get('x-crier-truncated') === 'true' };
  }

  markInboxHandled(id: string) {
    return this.call(inboxEntryResponse, 'POST', `/v1/inbox/${encodeURIComponent(id)}/handled`);
  }

  replyToInbox(id: string, reply: { body: string } | { templateId: string }) {
    return this.call(inboxEntryResponse, 'POST', `/v1/inbox/${encodeURIComponent(id)}/reply`, reply);
  }

  getTopic(id: string) {
    return this.call(topicResponse, 'GET', `/v1/topics/${encodeURIComponent(id)}`);
  }

  getSubscriber(phone: string) {
    return this.call(subscriberView, 'GET', `/v1/subscribers/${encodeURIComponent(phone)}`);
  }

  subscriberMessages(phone: string) {
    return this.call(residentMessagesResponse, 'GET', `/v1/subscribers/${encodeURIComponent(phone)}/messages`);
  }

  /** The file goes as it is, as text/csv; an import may take the API its full 30 seconds. */
  importSubscribers(csv: string) {
    return this.call(subscriberImportResponse, 'POST', '/v1/subscribers/import', new RawBody(csv, 'text/csv', 35_000));
  }

  eraseSubscriber(phone: string) {
    return this.call(noContent, 'DELETE', `/v1/subscribers/${encodeURIComponent(phone)}`);
  }

  createBroadcast(input: z.input<typeof createBroadcastRequest>) {
    return this.call(broadcastResponse, 'POST', '/v1/broadcasts', input);
  }

  getBroadcast(id: string) {
    return this.call(broadcastResponse, 'GET', `/v1/broadcasts/${encodeURIComponent(id)}`);
  }

  listBroadcasts(query: { status?: string; limit?: number; cursor?: string } = {}) {
    return this.call(broadcastListResponse, 'GET', `/v1/broadcasts${queryString(query)}`);
  }

  previewBroadcastRequest(input: z.input<typeof previewBroadcastRequest>) {
    return this.call(broadcastPreviewResponse, 'POST', '/v1/broadcasts/preview', input);
  }

  previewBroadcast(id: string) {
    return this.call(broadcastPreviewResponse, 'GET', `/v1/broadcasts/${encodeURIComponent(id)}/preview`);
  }

  submitBroadcast(id: string) {
    return this.call(broadcastResponse, 'POST', `/v1/broadcasts/${encodeURIComponent(id)}/submit`);
  }

  rejectBroadcast(id: string, reason: string) {
    return this.call(broadcastResponse, 'POST', `/v1/broadcasts/${encodeURIComponent(id)}/reject`, { reason });
  }

  getDepartmentLimits(department: string) {
    return this.call(departmentLimitsResponse, 'GET', `/v1/departments/${encodeURIComponent(department)}/limits`);
  }

  setDepartmentLimits(department: string, change: z.input<typeof departmentLimitsRequest>) {
    return this.call(departmentLimitsResponse, 'PUT', `/v1/departments/${encodeURIComponent(department)}/limits`, change);
  }

  approveBroadcast(id: string) {
    return this.call(broadcastResponse, 'POST', `/v1/broadcasts/${encodeURIComponent(id)}/approve`);
  }

  cancelBroadcast(id: string) {
    return this.call(broadcastResponse, 'POST', `/v1/broadcasts/${encodeURIComponent(id)}/cancel`);
  }

  createKey(input: z.input<typeof createKeyRequest>) {
    return this.call(createdKeyResponse, 'POST', '/v1/keys', input);
  }

  listKeys(page: { limit?: number; cursor?: string } = {}) {
    return this.call(keysResponse, 'GET', `/v1/keys${queryString(page)}`);
  }

  revokeKey(id: string) {
    return this.call(keyResponse, 'POST', `/v1/keys/${encodeURIComponent(id)}/revoke`);
  }

  rotateBootstrapKey() {
    return this.call(rotatedBootstrapKeyResponse, 'POST', '/v1/keys/bootstrap/rotate');
  }

  createTemplate(input: z.input<typeof createTemplateRequest>) {
    return this.call(templateResponse, 'POST', '/v1/templates', input);
  }

  listTemplates(query: { department?: string; folder?: string; archived?: boolean } = {}) {
    return this.call(templatesResponse, 'GET', `/v1/templates${queryString({ ...query, archived: query.archived ? 'true' : undefined })}`);
  }

  getTemplate(id: string) {
    return this.call(templateResponse, 'GET', `/v1/templates/${encodeURIComponent(id)}`);
  }

  editTemplate(id: string, input: z.input<typeof editTemplateRequest>) {
    return this.call(templateResponse, 'PUT', `/v1/templates/${encodeURIComponent(id)}`, input);
  }

  archiveTemplate(id: string) {
    return this.call(templateResponse, 'POST', `/v1/templates/${encodeURIComponent(id)}/archive`);
  }

  templateVersions(id: string) {
    return this.call(templateVersionsResponse, 'GET', `/v1/templates/${encodeURIComponent(id)}/versions`);
  }

  addStaff(input: z.input<typeof addStaffRequest>) {
    return this.call(staffResponse, 'POST', '/v1/staff', input);
  }

  listStaff(page: { limit?: number; cursor?: string } = {}) {
    return this.call(staffListResponse, 'GET', `/v1/staff${queryString(page)}`);
  }

  changeStaff(id: string, change: z.input<typeof changeStaffRequest>) {
    return this.call(staffResponse, 'PATCH', `/v1/staff/${encodeURIComponent(id)}`, change);
  }

  removeStaff(id: string) {
    return this.call(noContent, 'DELETE', `/v1/staff/${encodeURIComponent(id)}`);
  }

  listAudit(query: { limit?: number; cursor?: string; from?: string; to?: string; actor?: string; action?: string; department?: string } = {}) {
    return this.call(auditResponse, 'GET', `/v1/audit${queryString(query)}`);
  }

  /** Every queue's dead-letter count and a look at up to `peek` of each (operators only). */
  listDeadLetters(peek?: number) {
    return this.call(deadLettersResponse, 'GET', `/v1/dead-letters${queryString({ peek })}`);
  }

  /** One request moves for up to 20 s (the API's own budget), so it is given longer to answer. */
  redriveDeadLetters(queue: string, limit?: number) {
    return this.call(redriveResultSchema, 'POST', `/v1/dead-letters/${encodeURIComponent(queue)}/redrive`, limit === undefined ? {} : { limit }, {
      timeoutMs: 35_000,
    });
  }

  /** Messages sent and their estimated cost per department, by day or month (`GET /v1/usage`). */
  usage(query: { department?: string; from?: string; to?: string; by?: 'day' | 'month' }) {
    return this.call(usageResponse, 'GET', `/v1/usage${queryString(query)}`);
  }

  /** The same as CSV, as crier wrote it. */
  async usageCsv(query: { department?: string; from?: string; to?: string; by?: 'day' | 'month' }): Promise<string> {
    return (await this.send('GET', `/v1/usage${queryString({ ...query, format: 'csv' })}`)).text;
  }

  /** Each channel's providers, their state, failures and shifts (operators only). */
  providersStatus() {
    return this.call(providersResponse, 'GET', '/v1/providers');
  }

  /**
   * One page of a broadcast's delivery report, as the CSV crier sent; `next`, the path of the
   * next page (from the Link header), when more follow.
   */
  async deliveryReportPage(id: string, from: { next?: string; pageSize?: number } = {}): Promise<{ csv: string; next: string | undefined }> {
    const first = `/v1/broadcasts/${encodeURIComponent(id)}/report${from.pageSize === undefined ? '' : `?limit=${from.pageSize}`}`;
    const response = await this.send('GET', from.next ?? first);
    const next = /^<([^>]+)>;\s*rel="next"$/.exec(response.headers?.get('link') ?? '')?.[1];
    // Only a path on the same API: the key is never sent to an address a response names.
    if (next !== undefined && !next.startsWith('/v1/')) throw new UnexpectedResponseError(`crier at ${this.http.baseUrl} named a next page outside its API: ${next}`, []);
    return { csv: response.text, next };
  }

  /** Sends with the key; a refusal becomes an ApiError saying which key was refused. */
  private async send(method: string, path: string, body?: unknown, options: { timeoutMs?: number } = {}) {
    const sent = body instanceof RawBody ? body : body === undefined ? undefined : { raw: JSON.stringify(body), contentType: 'application/json' };
    const timeoutMs = body instanceof RawBody ? body.timeoutMs : options.timeoutMs;
    const response = await this.http.request(method, path, {
      headers: {
        authorization: `Bearer ${this.key}`,
        ...(sent === undefined ? {} : { 'content-type': sent.contentType }),
      },
      ...(sent === undefined ? {} : { body: sent.raw }),
      ...(timeoutMs ? { timeoutMs } : {}),
    });
    if (response.status < 200 || response.status > 299) {
      const error = apiErrorFrom(response);
      // Say which key was refused: with four places a key can come from, that is the useful part.
      if (isKeyRefused(response) && this.keySource) error.details.push({ field: 'key', message: `the key from ${this.keySource} was refused` });
      throw error;
    }
    return response;
  }

  private async call<S extends z.ZodType>(
    schema: S,
    method: string,
    path: string,
    body?: unknown,
    options: { timeoutMs?: number } = {},
  ): Promise<ApiResult<z.infer<S>>> {
    const response = await this.send(method, path, body, options);
    const parsed = schema.safeParse(response.json);
    if (!parsed.success) {
      throw new UnexpectedResponseError(
        `crier at ${this.http.baseUrl} answered ${method} ${path} in a shape this CLI does not know (a different version?)`,
        problemsOf(parsed.error),
      );
    }
    return { data: parsed.data, raw: response.json };
  }
}

/** A body sent as it is (not as JSON), with its content type. */
class RawBody {
  constructor(
    readonly raw: string,
    readonly contentType: string,
    readonly timeoutMs?: number,
  ) {}
}

function queryString(parameters: Record<string, string | number | undefined>): string {
  const defined = Object.entries(parameters).filter((entry): entry is [string, string | number] => entry[1] !== undefined);
  return defined.length === 0 ? '' : `?${new URLSearchParams(defined.map(([name, value]): [string, string] => [name, String(value)])).toString()}`;
}
