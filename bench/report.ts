import { functionDefinition, functionUrlFunctions, type FunctionId } from '../functions/catalog.js';
import { groupBy, totals, type CounterSnapshot } from './request-counts.js';
import type { TimingSnapshot } from './lambda-timing.js';
import { lambdaArchitecture, lambdaPricePerGbSecond } from '../functions/lambda-platform.js';

/**
 * Public prices, us-east-1 (eu-west-2 is 10–20% dearer; free tiers ignored). DynamoDB's on-demand
 * prices are those since 1 November 2024, when AWS halved them; the ones before are kept below,
 * because the cost goals of crier's delivery work were stated at them.
 */
export const PRICES = {
  sqsPerMillionRequests: 0.4,
  dynamoPerMillionWriteUnits: 0.625,
  dynamoPerMillionReadUnits: 0.125,
  /** At the architecture the stack deploys (functions/lambda-platform.ts). */
  lambdaPerGbSecond: lambdaPricePerGbSecond[lambdaArchitecture],
  lambdaPerMillionRequests: 0.2,
  /** HTTP API, first 300 million requests a month: what still arrives through it (see receiptsThroughApiGateway). */
  apiGatewayPerMillionRequests: 1.0,
} as const;

/** DynamoDB on demand before 1 November 2024: the prices the cost goals were first stated at. */
export const DYNAMO_PRICES_BEFORE_NOVEMBER_2024 = { perMillionWriteUnits: 1.25, perMillionReadUnits: 0.25 } as const;

const RECEIPTS_ROUTE = 'twilioStatus (delivery receipts)';

/**
 * Whether a delivery receipt costs an API Gateway request in AWS. Not when the status function is
 * served on its own function URL (the catalog's `functionUrl`), which is the callback crier gives
 * Twilio there: a receipt then costs the Lambda request and compute counted already. The local
 * stack serves that URL's route on its one gateway, so the bench sees the same calls either way.
 */
export function receiptsThroughApiGateway(): boolean {
  return !functionUrlFunctions().includes('twilioStatus');
}

/**
 * The second Lambda estimate: what the same work would take at in-region AWS latencies, because
 * durations observed here include queueing for the one CPU the whole local stack shares.
 */
export const AWS_LATENCY_MODEL = {
  dynamoMsPerRequest: 5,
  sqsMsPerRequest: 10,
  msPerInvocation: 2,
} as const;

export interface OperationRow {
  service: string;
  operation: string;
  requests: number;
  per1000: number;
  /** ReceiveMessage only: answers with no messages, left out of `requests` and `per1000`. */
  emptyPolls: number;
  readUnits: number;
  writeUnits: number;
}

export interface LambdaRow {
  functionId: string;
  invocations: number;
  avgMs: number;
  maxMs: number;
  memoryMb: number;
  gbSeconds: number;
  cost: number;
  /** Total ms at AWS-like latencies: the function's requests taken one after another (an upper bound). */
  modelledMs?: number;
}

export interface CostBreakdown {
  /** Lambda compute at AWS-like latencies (see AWS_LATENCY_MODEL), and the total with it instead. */
  lambdaComputeModelled: number;
  totalModelled: number;
  perMillionMessagesModelled: number;
  /** The modelled total at DynamoDB's prices before November 2024 (DYNAMO_PRICES_BEFORE_NOVEMBER_2024). */
  totalModelledAtEarlierPrices: number;
  perMillionMessagesModelledAtEarlierPrices: number;
  sqs: number;
  dynamoWrites: number;
  dynamoReads: number;
  lambdaCompute: number;
  lambdaRequests: number;
  /** Requests that go through API Gateway in AWS (receipts on a function URL do not), and their cost. */
  apiGatewayRequests: number;
  apiGateway: number;
  total: number;
  perMillionMessages: number;
  /** What 100 ms of provider API latency a message would add to the senders' Lambda time. */
  per100msProviderLatencyPerMillion: number;
}

export interface Analysis {
  recipients: number;
  messagesSent: number;
  operations: OperationRow[];
  byOrigin: { service: string; origin: string; requests: number; per1000: number; writeUnits: number; readUnits: number }[];
  /** DynamoDB per operation and item kind (partition key prefix), units per recipient. */
  byItem: { operation: string; item: string; requests: number; perRecipient: number; writeUnitsPerRecipient: number; readUnitsPerRecipient: number }[];
  sqsRequestsPer1000: number;
  sqsBilledRequestsPer1000: number;
  emptyPolls: number;
  dynamoRequestsPer1000: number;
  writeUnitsPerRecipient: number;
  readUnitsPerRecipient: number;
  unitsSource: string;
  lambda: LambdaRow[];
  cost: CostBreakdown;
}

/** Per-recipient figures and the implied AWS bill, from the counts of one measured window. */
export function analyse(
  counts: CounterSnapshot,
  timing: TimingSnapshot,
  recipients: number,
  messagesSent: number,
  providerLatencyMs: number,
): Analysis {
  const per1000 = (value: number) => (recipients > 0 ? (value * 1000) / recipients : 0);
  const operations: OperationRow[] = [...groupBy(counts, 'operation')]
    .map(([group, stats]) => {
      const [service = '', operation = ''] = group.split('|');
      const requests = stats.requests - stats.emptyReceives;
      return {
        service,
        operation,
        requests,
        per1000: per1000(requests),
        emptyPolls: stats.emptyReceives,
        readUnits: stats.readUnits,
        writeUnits: stats.writeUnits,
      };
    })
    .sort((a, b) => a.service.localeCompare(b.service) || b.requests - a.requests);
  const byOrigin = [...groupBy(counts, 'origin')]
    .map(([group, stats]) => {
      const [service = '', origin = ''] = group.split('|');
      const requests = stats.requests - stats.emptyReceives;
      return { service, origin, requests, per1000: per1000(requests), writeUnits: stats.writeUnits, readUnits: stats.readUnits };
    })
    .sort((a, b) => a.service.localeCompare(b.service) || b.requests - a.requests);

  const perRecipient = (value: number) => (recipients > 0 ? value / recipients : 0);
  const byItem = [...groupBy(counts, 'item')]
    .filter(([group]) => group.startsWith('DynamoDB|'))
    .map(([group, stats]) => {
      const [, operation = '', item = ''] = group.split('|');
      return {
        operation,
        item,
        requests: stats.requests,
        perRecipient: perRecipient(stats.requests),
        writeUnitsPerRecipient: perRecipient(stats.writeUnits),
        readUnitsPerRecipient: perRecipient(stats.readUnits),
      };
    })
    .sort((a, b) => b.writeUnitsPerRecipient - a.writeUnitsPerRecipient || b.readUnitsPerRecipient - a.readUnitsPerRecipient);
  const sqs = totals(counts, 'SQS');
  const dynamo = totals(counts, 'DynamoDB');
  const sqsRequests = sqs.requests - sqs.emptyReceives;
  const sqsBilled = sqs.billedRequests - sqs.emptyReceives;

  const lambda: LambdaRow[] = [];
  for (const [functionId, stats] of Object.entries(timing.functions)) {
    lambda.push(lambdaRow(functionId, stats.invocations, stats.totalMs, stats.maxMs));
  }
  const receipts = timing.http[RECEIPTS_ROUTE];
  if (receipts) lambda.push(lambdaRow('twilioStatus', receipts.calls, receipts.totalMs, receipts.maxMs));

  const lambdaCompute = lambda.reduce((sum, row) => sum + row.gbSeconds * PRICES.lambdaPerGbSecond, 0);
  for (const row of lambda) row.modelledMs = modelledMs(row.functionId, row.invocations, byOrigin, timing, providerLatencyMs);
  const lambdaComputeModelled = lambda.reduce(
    (sum, row) => sum + ((row.modelledMs ?? 0) / 1000) * (row.memoryMb / 1024) * PRICES.lambdaPerGbSecond,
    0,
  );
  const lambdaRequests = lambda.reduce((sum, row) => sum + (row.invocations * PRICES.lambdaPerMillionRequests) / 1e6, 0);
  const apiGatewayRequests = receiptsThroughApiGateway() ? (receipts?.calls ?? 0) : 0;
  const cost = {
    lambdaComputeModelled,
    totalModelled: 0,
    perMillionMessagesModelled: 0,
    totalModelledAtEarlierPrices: 0,
    perMillionMessagesModelledAtEarlierPrices: 0,
    sqs: (sqsBilled * PRICES.sqsPerMillionRequests) / 1e6,
    dynamoWrites: (dynamo.writeUnits * PRICES.dynamoPerMillionWriteUnits) / 1e6,
    dynamoReads: (dynamo.readUnits * PRICES.dynamoPerMillionReadUnits) / 1e6,
    lambdaCompute,
    lambdaRequests,
    apiGatewayRequests,
    apiGateway: (apiGatewayRequests * PRICES.apiGatewayPerMillionRequests) / 1e6,
    total: 0,
    perMillionMessages: 0,
    per100msProviderLatencyPerMillion: 0.1 * (functionDefinition('sendBulk').memoryMb / 1024) * PRICES.lambdaPerGbSecond * 1e6,
  };
  cost.total = cost.sqs + cost.dynamoWrites + cost.dynamoReads + cost.lambdaCompute + cost.lambdaRequests + cost.apiGateway;
  cost.perMillionMessages = messagesSent > 0 ? (cost.total * 1e6) / messagesSent : 0;
  cost.totalModelled = cost.total - cost.lambdaCompute + cost.lambdaComputeModelled;
  cost.perMillionMessagesModelled = messagesSent > 0 ? (cost.totalModelled * 1e6) / messagesSent : 0;
  const dynamoBefore =
    (dynamo.writeUnits * DYNAMO_PRICES_BEFORE_NOVEMBER_2024.perMillionWriteUnits + dynamo.readUnits * DYNAMO_PRICES_BEFORE_NOVEMBER_2024.perMillionReadUnits) / 1e6;
  cost.totalModelledAtEarlierPrices = cost.totalModelled - cost.dynamoWrites - cost.dynamoReads + dynamoBefore;
  cost.perMillionMessagesModelledAtEarlierPrices = messagesSent > 0 ? (cost.totalModelledAtEarlierPrices * 1e6) / messagesSent : 0;

  const reported = dynamo.reportedUnitRequests;
  const estimated = dynamo.estimatedUnitRequests;
  const unitsSource =
    estimated === 0
      ? 'reported by DynamoDB (dynalite) for every request'
      : reported === 0
        ? 'estimated from item sizes (ceil(bytes / 1 KB) a write) for every request'
        : `reported for ${reported} requests, estimated from item sizes for ${estimated} (failed conditional writes, billed at ≥ 1 unit)`;

  return {
    recipients,
    messagesSent,
    operations,
    byOrigin,
    byItem,
    sqsRequestsPer1000: per1000(sqsRequests),
    sqsBilledRequestsPer1000: per1000(sqsBilled),
    emptyPolls: sqs.emptyReceives,
    dynamoRequestsPer1000: per1000(dynamo.requests),
    writeUnitsPerRecipient: recipients > 0 ? dynamo.writeUnits / recipients : 0,
    readUnitsPerRecipient: recipients > 0 ? dynamo.readUnits / recipients : 0,
    unitsSource,
    lambda,
    cost,
  };
}

/**
 * The function's AWS requests at in-region latencies, one after another, plus the provider's answer
 * time for the senders' accepted sends. Receipts run outside the queue functions: their DynamoDB
 * requests are those made outside any queue function (the bench's own two admin API calls aside).
 *
 * A paced sender is billed for more than its requests: it stays alive while it waits for its slots
 * (several functions share one sender's rate, each sending a share of it), and that wait is set by
 * the provider rate, not by this machine. So a sender counts at least its observed time, which is
 * mostly that wait; its requests at AWS latencies are only a floor under it.
 */
function modelledMs(
  functionId: string,
  invocations: number,
  byOrigin: Analysis['byOrigin'],
  timing: TimingSnapshot,
  providerLatencyMs: number,
): number {
  const origin = functionId === 'twilioStatus' ? 'outside queue functions' : functionId;
  const requests = (service: string) => byOrigin.find((row) => row.service === service && row.origin === origin)?.requests ?? 0;
  const sqsRequests = functionId === 'twilioStatus' ? 0 : requests('SQS');
  let ms = invocations * AWS_LATENCY_MODEL.msPerInvocation + requests('DynamoDB') * AWS_LATENCY_MODEL.dynamoMsPerRequest + sqsRequests * AWS_LATENCY_MODEL.sqsMsPerRequest;
  if (functionId === 'sendBulk' || functionId === 'sendUrgent') {
    const accepted = Object.values(timing.providerAnswers).reduce((sum, answers) => sum + (answers['201'] ?? 0), 0);
    const share = (timing.functions[functionId]?.records ?? 0) / Math.max(1, (timing.functions.sendBulk?.records ?? 0) + (timing.functions.sendUrgent?.records ?? 0));
    ms += accepted * share * providerLatencyMs;
    return Math.max(ms, timing.functions[functionId]?.totalMs ?? 0);
  }
  return ms;
}

function lambdaRow(functionId: string, invocations: number, totalMs: number, maxMs: number): LambdaRow {
  const memoryMb = functionDefinition(functionId as FunctionId).memoryMb;
  const gbSeconds = (totalMs / 1000) * (memoryMb / 1024);
  return {
    functionId,
    invocations,
    avgMs: invocations > 0 ? totalMs / invocations : 0,
    maxMs,
    memoryMb,
    gbSeconds,
    cost: gbSeconds * PRICES.lambdaPerGbSecond + (invocations * PRICES.lambdaPerMillionRequests) / 1e6,
  };
}

/** A phase's requests and DynamoDB units, empty polls aside. */
export function summarise(counts: CounterSnapshot) {
  const all = totals(counts);
  const sqs = totals(counts, 'SQS');
  const dynamo = totals(counts, 'DynamoDB');
  return {
    requests: all.requests - all.emptyReceives,
    emptyReceives: all.emptyReceives,
    sqsRequests: sqs.requests - sqs.emptyReceives,
    dynamoRequests: dynamo.requests,
    dynamoWriteUnits: dynamo.writeUnits,
    dynamoReadUnits: dynamo.readUnits,
  };
}
