import type { ProviderErrorKind } from '../domain/errors.js';
import type { WebhookSource } from '../domain/inbound.js';
import type { Channel, MessageStatus, Priority, SkipReason } from '../domain/model.js';
import type { ProviderName } from '../domain/provider-names.js';

/**
 * What crier counts and times, for CloudWatch (as embedded metric format lines in the functions'
 * logs, see powertools-metrics.ts). The port is all the use cases see; the dashboard and alarms in
 * infra/ read the names, units and dimensions from the same catalog, so the two cannot drift.
 */

/** The CloudWatch namespace of every metric; the functions' `service` dimension is their stack's name. */
export const metricsNamespace = 'Crier';

/** Why a send failed: the provider error's kind, or `ambiguous` (no answer came; never retried). */
export type SendFailureReason = ProviderErrorKind | 'ambiguous';

/**
 * Each metric's dimensions. Every value comes from a closed set (a channel, a provider, a reason),
 * never a phone number, broadcast id or department: a dimension value makes a CloudWatch series of
 * its own, and a series per resident would be personal data and a bill.
 */
export interface MetricDimensions {
  /** A provider accepted a message (a broadcast's or a reply). */
  MessagesSent: { channel: Channel; provider: ProviderName };
  /** A message ended failed at send time: refused by the provider, retries used up, or no answer. */
  MessagesFailed: { channel: Channel; provider: ProviderName; reason: SendFailureReason };
  /** A targeted resident was not sent a message, and why. */
  MessagesSkipped: { channel: Channel; reason: SkipReason };
  /** A provider answered 429 (or its own rate limit) to a send. */
  ProviderThrottled: { channel: Channel; provider: ProviderName };
  /** One provider call, from request to answer (or failure). */
  SendDuration: { channel: Channel; provider: ProviderName };
  /** The estimated cost of each accepted message, in the price table's currency (major units). */
  Spend: { channel: Channel; provider: ProviderName };
  /** A delivery receipt, by the status it reports and what it did to the message. */
  ReceiptsRecorded: { provider: WebhookSource; status: MessageStatus; outcome: 'applied' | 'stale' | 'unknown-message' };
  /** A resident opted out: by keyword (STOP), or reported by the provider at a send. */
  OptOuts: { channel: Channel; source: 'keyword' | 'provider' };
  /** A channel's traffic moved from one provider to another (failover, or back after a trial). */
  FailoverShifts: { channel: Channel; from: ProviderName; to: ProviderName };
  /** One run of a fan-out task: one topic shard streamed onto a send lane (or its turn of it). */
  FanOutDuration: { priority: Priority };
  /** Residents a fan-out put on a send lane. */
  RecipientsTargeted: { priority: Priority };
}

export type MetricName = keyof MetricDimensions;

export interface MetricDefinition<N extends MetricName = MetricName> {
  unit: 'Count' | 'Milliseconds' | 'None';
  /** `sum`: an invocation's values are added into one; `each`: every value is kept (durations). */
  aggregate: 'sum' | 'each';
  dimensions: readonly (keyof MetricDimensions[N])[];
  description: string;
}

export const metricCatalog: { [N in MetricName]: MetricDefinition<N> } = {
  MessagesSent: { unit: 'Count', aggregate: 'sum', dimensions: ['channel', 'provider'], description: 'messages a provider accepted' },
  MessagesFailed: {
    unit: 'Count',
    aggregate: 'sum',
    dimensions: ['channel', 'provider', 'reason'],
    description: 'messages that ended failed at send time',
  },
  MessagesSkipped: { unit: 'Count', aggregate: 'sum', dimensions: ['channel', 'reason'], description: 'targeted residents not sent a message' },
  ProviderThrottled: { unit: 'Count', aggregate: 'sum', dimensions: ['channel', 'provider'], description: 'sends a provider answered with 429' },
  SendDuration: { unit: 'Milliseconds', aggregate: 'each', dimensions: ['channel', 'provider'], description: 'time of one provider call' },
  Spend: {
    unit: 'None',
    aggregate: 'sum',
    dimensions: ['channel', 'provider'],
    description: "estimated cost of accepted messages, in the price table's currency",
  },
  ReceiptsRecorded: {
    unit: 'Count',
    aggregate: 'sum',
    dimensions: ['provider', 'status', 'outcome'],
    description: 'delivery receipts received',
  },
  OptOuts: { unit: 'Count', aggregate: 'sum', dimensions: ['channel', 'source'], description: 'residents who opted out' },
  FailoverShifts: { unit: 'Count', aggregate: 'sum', dimensions: ['channel', 'from', 'to'], description: "moves of a channel's traffic between providers" },
  FanOutDuration: { unit: 'Milliseconds', aggregate: 'each', dimensions: ['priority'], description: 'time of one fan-out task run' },
  RecipientsTargeted: { unit: 'Count', aggregate: 'sum', dimensions: ['priority'], description: 'residents put on a send lane by fan-out' },
};

export const metricNames = Object.keys(metricCatalog) as MetricName[];

/** Where use cases report what happened. Recording never fails and never waits: it is flushed after the invocation. */
export interface Metrics {
  /** One occurrence (a count of `value`, 1 by default), or one sample (a duration, an amount). */
  record<N extends MetricName>(name: N, dimensions: MetricDimensions[N], value?: number): void;
}

/** Records nothing: for callers that measure nothing (scripts, tests that do not look). */
export const noMetrics: Metrics = { record: () => undefined };

/** The metrics a use case was given, or none. */
export function metricsOf(deps: { metrics?: Metrics }): Metrics {
  return deps.metrics ?? noMetrics;
}
