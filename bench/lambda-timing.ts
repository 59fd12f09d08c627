import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { FunctionId } from '../functions/catalog.js';
import { QueuePoller } from '../local/queue-poller.js';
import type { LambdaHandler, LocalInvoke } from '../local/lambda-runtime.js';
import { TableStreamPoller, type TableStreamEvent } from '../local/table-stream.js';

/**
 * Invocation counts and durations, the inputs of the Lambda cost estimate.
 *
 * The local stack has no hook for timing its functions, so the bench adds two thin wrappers:
 * - each queue poller's handler is wrapped when the poller starts (the same function the poller
 *   calls for every batch, as Lambda's event source mapping would), and runs inside an
 *   AsyncLocalStorage scope naming the function, so the AWS request counter can attribute the
 *   requests it sees to fan-out, bulk sender or urgent sender;
 * - `fetch` is wrapped to time the sandbox's delivery receipts (each one a `twilioStatus` HTTP
 *   invocation) and the sender's calls to the provider API (the sandbox), with their status codes.
 * Both reach past public interfaces and fail loudly if those change, rather than measure nothing.
 */

const invocationScope = new AsyncLocalStorage<string>();

/** The queue function whose invocation the caller is running in, if any. */
export function currentFunction(): string | undefined {
  return invocationScope.getStore();
}

export interface InvocationStats {
  invocations: number;
  /** SQS records handed to the function (queue functions) or requests (HTTP). */
  records: number;
  /** Records the function reported as failed (partial batch failure), left for a retry. */
  failedRecords: number;
  totalMs: number;
  maxMs: number;
}

export interface HttpCallStats {
  calls: number;
  totalMs: number;
  maxMs: number;
  byStatus: Record<string, number>;
}

/** Per queue function: how many times SQS had handed out the records it was given (ApproximateReceiveCount). */
export type ReceiveCounts = Record<string, Record<string, number>>;

export interface TimingSnapshot {
  /** function → receive count → records delivered with that count (1: first delivery). */
  receiveCounts: ReceiveCounts;
  functions: Record<string, InvocationStats>;
  http: Record<string, HttpCallStats>;
  /** Provider API answers per broadcast (the message id starts with the broadcast id): status → count. */
  providerAnswers: Record<string, Record<string, number>>;
}

/** One invocation of a queue function, epoch ms: the timeline counts the senders busy each second. */
export interface InvocationSpan {
  functionId: string;
  start: number;
  end: number;
}

/** One answer of the provider API to a broadcast's send, with when it came and the channel asked for. */
export interface ProviderCall {
  at: number;
  broadcastId: string;
  channel: string | undefined;
  status: string;
}

/**
 * What the instruments tell a recorder, each with its time: the recorder itself, or one that
 * passes it on from the senders' thread (bench/senders-thread-instruments.ts).
 */
export interface RecorderSink {
  recordProviderDeparture(messageId: string, at: number): void;
  recordReceiveCount(functionId: string, receiveCount: string): void;
  recordProviderAnswer(broadcastId: string, status: number | 'error', channel: string | undefined, at: number): void;
  recordInvocation(functionId: string, ms: number, records: number, failedRecords: number, endedAt: number): void;
  recordHttp(route: string, ms: number, status: number | 'error'): void;
}

export class InvocationRecorder implements RecorderSink {
  readonly spans: InvocationSpan[] = [];
  readonly providerCalls: ProviderCall[] = [];
  private readonly functions = new Map<string, InvocationStats>();
  private readonly http = new Map<string, HttpCallStats>();
  private readonly providerAnswers = new Map<string, Record<string, number>>();
  private readonly receiveCounts = new Map<string, Record<string, number>>();
  /** When each broadcast message's provider requests left the sender (epoch ms), every attempt: see rate-refusals.ts. */
  readonly providerDepartures = new Map<string, number[]>();

  recordProviderDeparture(messageId: string, at: number): void {
    const departures = this.providerDepartures.get(messageId);
    if (departures) departures.push(at);
    else this.providerDepartures.set(messageId, [at]);
  }

  recordReceiveCount(functionId: string, receiveCount: string): void {
    const counts = this.receiveCounts.get(functionId) ?? {};
    counts[receiveCount] = (counts[receiveCount] ?? 0) + 1;
    this.receiveCounts.set(functionId, counts);
  }

  recordProviderAnswer(broadcastId: string, status: number | 'error', channel: string | undefined, at: number): void {
    this.providerCalls.push({ at, broadcastId, channel, status: String(status) });
    const answers = this.providerAnswers.get(broadcastId) ?? {};
    answers[String(status)] = (answers[String(status)] ?? 0) + 1;
    this.providerAnswers.set(broadcastId, answers);
  }

  recordInvocation(functionId: string, ms: number, records: number, failedRecords: number, endedAt: number): void {
    this.spans.push({ functionId, start: endedAt - ms, end: endedAt });
    const stats = this.functions.get(functionId) ?? { invocations: 0, records: 0, failedRecords: 0, totalMs: 0, maxMs: 0 };
    stats.invocations += 1;
    stats.records += records;
    stats.failedRecords += failedRecords;
    stats.totalMs += ms;
    stats.maxMs = Math.max(stats.maxMs, ms);
    this.functions.set(functionId, stats);
  }

  recordHttp(route: string, ms: number, status: number | 'error'): void {
    const stats = this.http.get(route) ?? { calls: 0, totalMs: 0, maxMs: 0, byStatus: {} };
    stats.calls += 1;
    stats.totalMs += ms;
    stats.maxMs = Math.max(stats.maxMs, ms);
    stats.byStatus[String(status)] = (stats.byStatus[String(status)] ?? 0) + 1;
    this.http.set(route, stats);
  }

  snapshot(): TimingSnapshot {
    return {
      receiveCounts: Object.fromEntries([...this.receiveCounts].map(([id, counts]) => [id, { ...counts }])),
      functions: Object.fromEntries([...this.functions].map(([id, stats]) => [id, { ...stats }])),
      http: Object.fromEntries([...this.http].map(([route, stats]) => [route, { ...stats, byStatus: { ...stats.byStatus } }])),
      providerAnswers: Object.fromEntries([...this.providerAnswers].map(([id, answers]) => [id, { ...answers }])),
    };
  }
}

/** What happened between two snapshots (maxima are of the later one: they only grow). */
export function timingBetween(before: TimingSnapshot, after: TimingSnapshot): TimingSnapshot {
  const functions: Record<string, InvocationStats> = {};
  for (const [id, stats] of Object.entries(after.functions)) {
    const earlier = before.functions[id];
    const invocations = stats.invocations - (earlier?.invocations ?? 0);
    if (invocations === 0) continue;
    functions[id] = {
      invocations,
      records: stats.records - (earlier?.records ?? 0),
      failedRecords: stats.failedRecords - (earlier?.failedRecords ?? 0),
      totalMs: stats.totalMs - (earlier?.totalMs ?? 0),
      maxMs: stats.maxMs,
    };
  }
  const http: Record<string, HttpCallStats> = {};
  for (const [route, stats] of Object.entries(after.http)) {
    const earlier = before.http[route];
    const calls = stats.calls - (earlier?.calls ?? 0);
    if (calls === 0) continue;
    const byStatus: Record<string, number> = {};
    for (const [status, count] of Object.entries(stats.byStatus)) {
      const delta = count - (earlier?.byStatus[status] ?? 0);
      if (delta > 0) byStatus[status] = delta;
    }
    http[route] = { calls, totalMs: stats.totalMs - (earlier?.totalMs ?? 0), maxMs: stats.maxMs, byStatus };
  }
  const providerAnswers: Record<string, Record<string, number>> = {};
  for (const [id, answers] of Object.entries(after.providerAnswers)) {
    for (const [status, count] of Object.entries(answers)) {
      const delta = count - (before.providerAnswers[id]?.[status] ?? 0);
      if (delta > 0) (providerAnswers[id] ??= {})[status] = delta;
    }
  }
  const receiveCounts: ReceiveCounts = {};
  for (const [id, counts] of Object.entries(after.receiveCounts)) {
    for (const [count, records] of Object.entries(counts)) {
      const delta = records - (before.receiveCounts[id]?.[count] ?? 0);
      if (delta > 0) (receiveCounts[id] ??= {})[count] = delta;
    }
  }
  return { receiveCounts, functions, http, providerAnswers };
}

type QueueHandler = LambdaHandler<SQSEvent, SQSBatchResponse | void>;

/**
 * Wraps every queue poller's handler as the poller starts. Must be called before the local stack
 * starts (it creates and starts its pollers inside `startLocalStack`).
 */
export function instrumentQueuePollers(recorder: RecorderSink): void {
  const prototype = QueuePoller.prototype as unknown as { start: (this: QueuePoller) => void };
  const originalStart = prototype.start;
  prototype.start = function start(this: QueuePoller) {
    const fields = this as unknown as { handler: unknown; functionId: unknown };
    if (typeof fields.handler !== 'function' || typeof fields.functionId !== 'string') {
      throw new Error('QueuePoller no longer has the handler/functionId fields the bench times; update bench/lambda-timing.ts');
    }
    const original = fields.handler as QueueHandler;
    const functionId = fields.functionId as FunctionId;
    const timed: QueueHandler = async (event, context) => {
      for (const record of event.Records) recorder.recordReceiveCount(functionId, record.attributes.ApproximateReceiveCount);
      const started = performance.now();
      let failed = event.Records.length;
      try {
        const response = await invocationScope.run(functionId, () => original(event, context));
        failed = response?.batchItemFailures?.length ?? 0;
        return response;
      } finally {
        recorder.recordInvocation(functionId, performance.now() - started, event.Records.length, failed, Date.now());
      }
    };
    fields.handler = timed;
    originalStart.call(this);
  };
}

/**
 * Wraps every table stream poller's handler as the poller starts, as instrumentQueuePollers does
 * for queues: the stream function (countReceipts) is a Lambda of its own in AWS, with invocations
 * and requests of its own, not part of the receipts' HTTP calls.
 */
export function instrumentStreamPollers(recorder: RecorderSink): void {
  const prototype = TableStreamPoller.prototype as unknown as { start: (this: TableStreamPoller) => void };
  const originalStart = prototype.start;
  prototype.start = function start(this: TableStreamPoller) {
    const fields = this as unknown as { handler: unknown; functionId: unknown };
    if (typeof fields.handler !== 'function' || typeof fields.functionId !== 'string') {
      throw new Error('TableStreamPoller no longer has the handler/functionId fields the bench times; update bench/lambda-timing.ts');
    }
    const original = fields.handler as LocalInvoke<TableStreamEvent, unknown>;
    const functionId = fields.functionId;
    fields.handler = async (event: TableStreamEvent) => {
      const started = performance.now();
      let failed = event.Records.length;
      try {
        const response = await invocationScope.run(functionId, () => original(event));
        failed = 0;
        return response;
      } finally {
        recorder.recordInvocation(functionId, performance.now() - started, event.Records.length, failed, Date.now());
      }
    };
    originalStart.call(this);
  };
}

const PROVIDER_ROUTE = 'provider API (sandbox sends)';

/** A broadcast message's id is `<broadcast id>-<number>` (see `broadcastMessageId`); replies have others. */
function broadcastOf(body: unknown): { messageId: string; broadcastId: string; channel: string | undefined } | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    const { messageId, channel } = JSON.parse(body) as { messageId?: unknown; channel?: unknown };
    if (typeof messageId !== 'string' || !/^[0-9a-zA-Z]{26}-\d+$/.test(messageId)) return undefined;
    return { messageId, broadcastId: messageId.split('-')[0]!, channel: typeof channel === 'string' ? channel : undefined };
  } catch {
    return undefined;
  }
}

/** Names the in-process HTTP calls the bench cares about; others pass through untimed. */
function routeOf(url: URL, method: string): string | undefined {
  if (url.pathname === '/webhooks/twilio/status' && method === 'POST') return 'twilioStatus (delivery receipts)';
  if (url.pathname === '/sandbox/api/messages' && method === 'POST') return PROVIDER_ROUTE;
  if (url.pathname.startsWith('/v1/')) return 'admin API (bench calls)';
  return undefined;
}

/** Wraps the global fetch, which the sandbox (receipts) and the sandbox provider (sends) use. */
export function instrumentFetch(recorder: RecorderSink): void {
  const original = globalThis.fetch;
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const route = routeOf(url, method);
    if (!route) return original(input, init);
    const broadcast = route === PROVIDER_ROUTE ? broadcastOf(init?.body) : undefined;
    if (broadcast) recorder.recordProviderDeparture(broadcast.messageId, Date.now());
    const started = performance.now();
    try {
      const response = await original(input, init);
      recorder.recordHttp(route, performance.now() - started, response.status);
      if (broadcast) recorder.recordProviderAnswer(broadcast.broadcastId, response.status, broadcast.channel, Date.now());
      return response;
    } catch (error) {
      recorder.recordHttp(route, performance.now() - started, 'error');
      if (broadcast) recorder.recordProviderAnswer(broadcast.broadcastId, 'error', broadcast.channel, Date.now());
      throw error;
    }
  };
}
