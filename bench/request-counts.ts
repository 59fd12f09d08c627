/*
 * The counter's figures and the arithmetic over them: one entry per service, operation, item kind
 * and origin (see statsKey), what happened between two snapshots, sums and groupings. Apart from
 * the middleware that fills them (aws-request-counter.ts), so the report reads them without the SDK.
 */

export type UnitsSource = 'reported' | 'estimated';

export interface OperationStats {
  requests: number;
  errors: number;
  /** ReceiveMessage only: answers with no messages (idle polling), billed but not per-recipient work. */
  emptyReceives: number;
  /** Messages received (ReceiveMessage) or sent (SendMessageBatch/SendMessage). */
  messages: number;
  /** SQS bills each 64 KB chunk of a request's payload as one request. */
  billedRequests: number;
  readUnits: number;
  writeUnits: number;
  reportedUnitRequests: number;
  estimatedUnitRequests: number;
}

/** `service|operation|item|origin` → stats (see statsKey). */
export type CounterSnapshot = Record<string, OperationStats>;

/**
 * Stats are kept per service, operation, item kind (DynamoDB: the partition key's prefix, such as
 * MESSAGE or BROADCAST, which says which item of keys.ts a request touched) and origin (the queue
 * function it was made from).
 */
export function statsKey(service: string, operation: string, item: string, origin: string): string {
  return [service, operation, item, origin].join('|');
}

export function parseKey(key: string): { service: string; operation: string; item: string; origin: string } {
  const [service = '', operation = '', item = '', origin = ''] = key.split('|');
  return { service, operation, item, origin };
}

export function emptyStats(): OperationStats {
  return {
    requests: 0,
    errors: 0,
    emptyReceives: 0,
    messages: 0,
    billedRequests: 0,
    readUnits: 0,
    writeUnits: 0,
    reportedUnitRequests: 0,
    estimatedUnitRequests: 0,
  };
}

/** What happened between two snapshots. */
export function countsBetween(before: CounterSnapshot, after: CounterSnapshot): CounterSnapshot {
  const delta: CounterSnapshot = {};
  for (const [key, stats] of Object.entries(after)) {
    const earlier = before[key] ?? emptyStats();
    const difference = emptyStats();
    for (const field of Object.keys(difference) as (keyof OperationStats)[]) difference[field] = stats[field] - earlier[field];
    if (difference.requests > 0) delta[key] = difference;
  }
  return delta;
}

/** Sums of a snapshot, optionally restricted to one service. */
export function totals(snapshot: CounterSnapshot, service?: string): OperationStats {
  const sum = emptyStats();
  for (const [key, stats] of Object.entries(snapshot)) {
    if (service && parseKey(key).service !== service) continue;
    for (const field of Object.keys(sum) as (keyof OperationStats)[]) sum[field] += stats[field];
  }
  return sum;
}

/** Groups a snapshot by `service|operation`, `service|origin` or `service|operation|item` (the rest summed). */
export function groupBy(snapshot: CounterSnapshot, by: 'operation' | 'origin' | 'item'): Map<string, OperationStats> {
  const groups = new Map<string, OperationStats>();
  for (const [key, stats] of Object.entries(snapshot)) {
    const { service, operation, item, origin } = parseKey(key);
    const group = by === 'operation' ? `${service}|${operation}` : by === 'origin' ? `${service}|${origin}` : `${service}|${operation}|${item}`;
    const sum = groups.get(group) ?? emptyStats();
    for (const field of Object.keys(sum) as (keyof OperationStats)[]) sum[field] += stats[field];
    groups.set(group, sum);
  }
  return groups;
}
