import { Metrics as EmfMetrics } from '@aws-lambda-powertools/metrics';
import { metricCatalog, metricsNamespace, type MetricDimensions, type MetricName, type Metrics } from './metrics.js';

/** A metric and one set of its dimensions, with what this invocation recorded for it. */
interface Pending {
  name: MetricName;
  dimensions: Record<string, string>;
  values: number[];
}

/**
 * Powertools' EMF writer takes one value per name (or an array) and one list of dimension sets for
 * a whole log line; its limit is 100 of each, past which it writes the line early and drops the
 * dimension sets. Hence a line per dimension set, in chunks under that limit.
 */
const VALUES_PER_LINE = 99;

/** Powertools' EMF writer, with whether it is turned off in view (Powertools keeps that protected). */
export class EmfWriter extends EmfMetrics {
  get turnedOff(): boolean {
    return this.isDisabled();
  }
}

/**
 * Metrics as CloudWatch embedded metric format (EMF) lines in the function's log, written by
 * Powertools Metrics. What is recorded is gathered in memory, counts added up, and written when
 * the runtime flushes at the end of the invocation (see shared/runtime/observability.ts), one line
 * per set of dimensions: Powertools gives a whole line one list of dimension sets, and a sender's
 * invocation counts several (one per provider and channel).
 *
 * Each line carries two dimension sets: `service` alone, the total an alarm watches, and `service`
 * with the metric's own dimensions, the breakdown the dashboard shows. Turned off by
 * POWERTOOLS_METRICS_DISABLED (the local stack and the tests): then nothing is even gathered.
 */
export class PowertoolsMetrics implements Metrics {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly emf: EmfWriter = new EmfWriter({ namespace: metricsNamespace })) {}

  record<N extends MetricName>(name: N, dimensions: MetricDimensions[N], value = 1): void {
    if (this.emf.turnedOff) return;
    const entries = Object.entries(dimensions as Record<string, string>).sort(([a], [b]) => a.localeCompare(b));
    const key = `${name}|${JSON.stringify(entries)}`;
    const found = this.pending.get(key);
    if (!found) this.pending.set(key, { name, dimensions: Object.fromEntries(entries), values: [value] });
    else if (metricCatalog[name].aggregate === 'sum') found.values[0] = (found.values[0] ?? 0) + value;
    else found.values.push(value);
  }

  /** Writes what was recorded since the last flush, and forgets it. */
  flush(): void {
    const byDimensions = new Map<string, Pending[]>();
    for (const pending of this.pending.values()) {
      const key = JSON.stringify(pending.dimensions);
      byDimensions.set(key, [...(byDimensions.get(key) ?? []), pending]);
    }
    this.pending.clear();
    for (const group of byDimensions.values()) this.writeLines(group);
  }

  private writeLines(group: Pending[]): void {
    const dimensions = group[0]?.dimensions ?? {};
    for (let offset = 0; group.some(({ values }) => values.length > offset); offset += VALUES_PER_LINE) {
      this.emf.addDimensions({});
      this.emf.addDimensions(dimensions);
      for (const { name, values } of group) {
        for (const value of values.slice(offset, offset + VALUES_PER_LINE)) this.emf.addMetric(name, metricCatalog[name].unit, value);
      }
      this.emf.publishStoredMetrics();
    }
  }
}

let processMetrics: PowertoolsMetrics | undefined;

/**
 * One per process, made at first use (not at module load), so the local stack and the tests can
 * turn metrics off first. A Lambda container runs one invocation at a time, so what a flush writes
 * is that invocation's.
 */
export function crierMetrics(): PowertoolsMetrics {
  processMetrics ??= new PowertoolsMetrics();
  return processMetrics;
}
