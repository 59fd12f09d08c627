import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { readUnitsEstimate, writeUnitsEstimate } from './capacity-estimate.js';
import { currentFunction } from './lambda-timing.js';
import { emptyStats, statsKey, type CounterSnapshot, type OperationStats } from './request-counts.js';

/**
 * Counts every AWS SDK request the process makes through the shared clients, by service,
 * operation and the queue function it was made from, with DynamoDB capacity units. The figures
 * and their arithmetic are in request-counts.ts; size-based estimates in capacity-estimate.ts.
 *
 * Capacity: by default the middleware asks DynamoDB for it (`ReturnConsumedCapacity: TOTAL`, which
 * the engine itself never sets and which changes nothing else), and dynalite answers with units
 * computed by DynamoDB's own rounding (1 KB per write unit, 4 KB per read unit, half for eventually
 * consistent reads). When an answer carries no capacity (asking disabled, or an error such as a
 * failed condition, which DynamoDB still bills), units are estimated from the request's item size.
 */

const DYNAMO_READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
const DYNAMO_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const OUTSIDE_FUNCTIONS = 'outside queue functions';

/**
 * The first partition key in a serialised DynamoDB request (Key, Item, Keys or `:pk`), up to its
 * first `#`; MESSAGE for a broadcast's message partitions too (BROADCAST#<id>#MESSAGES#<d>), so
 * every message record counts as one kind wherever it lives.
 */
function itemKindOf(body: string | undefined): string {
  const match = body ? /"(?::)?pk":\{"S":"([^"]*)"/.exec(body) : null;
  const pk = match?.[1];
  if (!pk) return '-';
  return /^BROADCAST#[^#]+#MESSAGES#/.test(pk) ? 'MESSAGE' : pk.split('#')[0] || '-';
}

interface Capacity {
  CapacityUnits?: number;
  /** DynamoDB's own split by index; dynalite never gives one. */
  GlobalSecondaryIndexes?: Record<string, unknown>;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

/** What the build-step middleware leaves for the initialize-step one: the serialised request. */
interface RequestNote {
  bodyBytes: number;
  body: string | undefined;
}
const requestNotes = new WeakMap<object, RequestNote>();

/** A request as the counter saw it, for listeners (the timeline reads the pacer's writes from these). */
export interface SeenRequest {
  service: 'DynamoDB' | 'SQS';
  operation: string;
  /** The serialised request (DynamoDB JSON for DynamoDB). */
  body: string | undefined;
  ok: boolean;
  /** When the answer came, epoch ms. */
  at: number;
}

export class AwsRequestCounter {
  private readonly stats = new Map<string, OperationStats>();
  private readonly listeners: ((request: SeenRequest) => void)[] = [];
  private readonly countListeners: ((key: string, delta: OperationStats) => void)[] = [];

  constructor(private readonly requestCapacity = true) {}

  /** Adds the counting middleware to the clients' stacks (the document client shares dynamo's). */
  attach(clients: { dynamo: DynamoDBClient; sqs: SQSClient }): void {
    this.attachTo(clients.dynamo.middlewareStack as unknown as MiddlewareStackLike, 'DynamoDB');
    this.attachTo(clients.sqs.middlewareStack as unknown as MiddlewareStackLike, 'SQS');
  }

  /** Calls `listener` with every request once it is answered (or fails). */
  onRequest(listener: (request: SeenRequest) => void): void {
    this.listeners.push(listener);
  }

  snapshot(): CounterSnapshot {
    return Object.fromEntries([...this.stats].map(([key, stats]) => [key, { ...stats }]));
  }

  private attachTo(stack: MiddlewareStackLike, service: 'DynamoDB' | 'SQS'): void {
    stack.add(
      (next, context) => async (args) => {
        const operation = String(context.commandName ?? 'Unknown').replace(/Command$/, '');
        const isDynamoData = service === 'DynamoDB' && (DYNAMO_READS.has(operation) || DYNAMO_WRITES.has(operation));
        if (isDynamoData && this.requestCapacity && args.input && typeof args.input === 'object' && !('ReturnConsumedCapacity' in args.input)) {
          (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
        }
        const origin = currentFunction() ?? OUTSIDE_FUNCTIONS;
        // What this one request adds, under its key once the request is serialised (the build step
        // has the body and so the item kind); added to the totals when it is answered.
        let counted: { key: string; stats: OperationStats } | undefined;
        const statsOf = () => {
          counted ??= {
            key: statsKey(service, operation, service === 'DynamoDB' ? itemKindOf(requestNotes.get(context)?.body) : '-', origin),
            stats: emptyStats(),
          };
          return counted.stats;
        };
        const add = () => {
          if (counted) this.add(counted.key, counted.stats);
        };
        try {
          const result = await next(args);
          const output = (result.output ?? {}) as Record<string, unknown>;
          const note = requestNotes.get(context);
          const stats = statsOf();
          stats.requests += 1;
          if (service === 'SQS') this.countSqs(stats, operation, output, note);
          else if (isDynamoData) this.countDynamo(stats, operation, output.ConsumedCapacity as Capacity | Capacity[] | undefined, note, output);
          add();
          this.tell({ service, operation, body: note?.body, ok: true, at: Date.now() });
          return result;
        } catch (error) {
          const stats = statsOf();
          stats.requests += 1;
          stats.errors += 1;
          if (service === 'SQS') stats.billedRequests += 1;
          // A failed condition is still a billed write; DynamoDB charges at least one unit.
          if (isDynamoData && DYNAMO_WRITES.has(operation)) this.addEstimated(stats, 'write', writeUnitsEstimate(requestNotes.get(context)?.body));
          else if (isDynamoData) this.addEstimated(stats, 'read', 0.5);
          add();
          this.tell({ service, operation, body: requestNotes.get(context)?.body, ok: false, at: Date.now() });
          throw error;
        }
      },
      { step: 'initialize', name: 'benchAwsRequestCounter', priority: 'high' },
    );
    // The serialised body, for SQS's 64 KB billing chunks and size-based capacity estimates.
    stack.add(
      (next, context) => async (args) => {
        const raw = (args.request as { body?: unknown } | undefined)?.body;
        // Newer SDK serialisers hand over bytes rather than a string.
        const body =
          typeof raw === 'string' ? raw : raw instanceof Uint8Array ? Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8') : undefined;
        requestNotes.set(context, { bodyBytes: body ? Buffer.byteLength(body) : 0, body });
        return next(args);
      },
      { step: 'build', name: 'benchAwsRequestSize', priority: 'low' },
    );
  }

  private tell(request: SeenRequest): void {
    for (const listener of this.listeners) listener(request);
  }

  /**
   * Adds one request's figures under its key: this counter's own, or those another thread's
   * counter saw (the senders' thread: bench/senders-thread-instruments.ts).
   */
  add(key: string, delta: OperationStats): void {
    const stats = this.stats.get(key) ?? emptyStats();
    for (const field of Object.keys(delta) as (keyof OperationStats)[]) stats[field] += delta[field];
    this.stats.set(key, stats);
    for (const listener of this.countListeners) listener(key, delta);
  }

  /** Calls `listener` with each request's figures as they are added. */
  onCounted(listener: (key: string, delta: OperationStats) => void): void {
    this.countListeners.push(listener);
  }

  private countSqs(stats: OperationStats, operation: string, output: Record<string, unknown>, note: RequestNote | undefined): void {
    stats.billedRequests += Math.max(1, Math.ceil((note?.bodyBytes ?? 0) / 65_536));
    if (operation === 'ReceiveMessage') {
      const received = Array.isArray(output.Messages) ? output.Messages.length : 0;
      stats.messages += received;
      if (received === 0) stats.emptyReceives += 1;
    } else if (operation === 'SendMessageBatch') {
      stats.messages += Array.isArray(output.Successful) ? output.Successful.length : 0;
    } else if (operation === 'SendMessage') {
      stats.messages += 1;
    }
  }

  private countDynamo(
    stats: OperationStats,
    operation: string,
    consumed: Capacity | Capacity[] | undefined,
    note: RequestNote | undefined,
    output: Record<string, unknown>,
  ): void {
    const kind = DYNAMO_WRITES.has(operation) ? 'write' : 'read';
    if (consumed !== undefined) {
      const units = (Array.isArray(consumed) ? consumed : [consumed]).reduce(
        (sum, capacity) =>
          sum + (capacity.CapacityUnits ?? (kind === 'write' ? capacity.WriteCapacityUnits : capacity.ReadCapacityUnits) ?? 0),
        0,
      );
      if (kind === 'write') stats.writeUnits += units;
      else stats.readUnits += units;
      stats.reportedUnitRequests += 1;
      return;
    }
    this.addEstimated(stats, kind, kind === 'write' ? writeUnitsEstimate(note?.body) : readUnitsEstimate(operation, note?.body, output));
  }

  private addEstimated(stats: OperationStats, kind: 'read' | 'write', units: number): void {
    if (kind === 'write') stats.writeUnits += units;
    else stats.readUnits += units;
    stats.estimatedUnitRequests += 1;
  }
}

/** The slice of the SDK's MiddlewareStack the counter uses, typed loosely enough for both clients. */
interface MiddlewareStackLike {
  add(
    middleware: (
      next: (args: { input: unknown; request?: unknown }) => Promise<{ output: unknown }>,
      context: { commandName?: string; clientName?: string },
    ) => (args: { input: unknown; request?: unknown }) => Promise<{ output: unknown }>,
    options: { step: 'initialize' | 'build'; name: string; priority?: 'high' | 'low' },
  ): void;
}
