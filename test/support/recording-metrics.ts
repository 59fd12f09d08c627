import type { MetricDimensions, MetricName, Metrics } from '../../shared/platform/metrics.js';

export interface RecordedMetric<N extends MetricName = MetricName> {
  name: N;
  dimensions: MetricDimensions[N];
  value: number;
}

/** Metrics as a test reads them: every record, in order, as it was made. */
export class RecordingMetrics implements Metrics {
  readonly records: RecordedMetric[] = [];

  record<N extends MetricName>(name: N, dimensions: MetricDimensions[N], value = 1): void {
    this.records.push({ name, dimensions, value } as RecordedMetric);
  }

  /** The records of one metric. */
  named<N extends MetricName>(name: N): RecordedMetric<N>[] {
    return this.records.filter((record): record is RecordedMetric<N> => record.name === name);
  }

  /** The sum of one metric's values over the records whose dimensions include `dimensions`. */
  total<N extends MetricName>(name: N, dimensions: Partial<MetricDimensions[N]> = {}): number {
    return this.named(name)
      .filter((record) => Object.entries(dimensions).every(([key, value]) => (record.dimensions as Record<string, unknown>)[key] === value))
      .reduce((sum, record) => sum + record.value, 0);
  }
}
