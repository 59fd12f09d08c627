import type { Duration } from 'aws-cdk-lib';
import { Metric, SearchExpression } from 'aws-cdk-lib/aws-cloudwatch';
import { metricCatalog, metricsNamespace, type MetricName } from '../../shared/platform/metrics.js';

/**
 * crier's own metrics (shared/platform/metrics.ts) as CloudWatch sees them. Every function writes
 * each metric twice over: under `service` alone (the deployment's total) and under `service` with
 * the metric's dimensions (the breakdown). `service` is the stack's name, so two deployments in one
 * account (staging and production) never mix.
 */

/** The deployment's total of one metric: what an alarm can watch. */
export function crierMetric(name: MetricName, service: string, period: Duration, statistic = 'Sum'): Metric {
  return new Metric({
    namespace: metricsNamespace,
    metricName: name,
    dimensionsMap: { service },
    period,
    statistic,
  });
}

/** One metric broken down by its dimensions (a line per channel and provider, say): for graphs only. */
export function crierBreakdown(name: MetricName, service: string, period: Duration, statistic = 'Sum'): SearchExpression {
  const schema = [metricsNamespace, 'service', ...metricCatalog[name].dimensions].join(',');
  return new SearchExpression({
    expression: `SEARCH('{${schema}} MetricName="${name}" service="${service}"', '${statistic}', ${period.toSeconds()})`,
    // The dimension values name each line.
    label: '',
    period,
  });
}
