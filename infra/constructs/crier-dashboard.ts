import { Duration, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Dashboard, GraphWidget, type HorizontalAnnotation, type IMetric, type IWidget, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { QueueId } from '../../functions/catalog-types.js';
import { metricCatalog, type MetricName } from '../../shared/platform/metrics.js';
import type { AlarmSettings } from './alarm-settings.js';
import { crierBreakdown, crierMetric } from './crier-metrics.js';

export interface CrierDashboardProps {
  /** The `service` dimension of crier's own metrics: the stack's name. */
  metricsService: string;
  queues: Record<QueueId, { queue: IQueue; deadLetterQueue: IQueue }>;
  functions: Record<string, IFunction>;
  httpApi: IHttpApi;
  alarms: AlarmSettings;
  /** A department's daily cap unless an operator set its own; 0: none. */
  dailyMessageCap: number;
}

const MINUTE = Duration.minutes(1);
const FIVE_MINUTES = Duration.minutes(5);
const DAY = Duration.days(1);

/**
 * One CloudWatch dashboard, named after the stack: what crier sends and fails to, what residents
 * and providers tell it, how its queues keep up, what it spends, and how its functions fare. The
 * lines alarms watch carry the alarm's threshold.
 */
export class CrierDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: CrierDashboardProps) {
    super(scope, id);
    const service = props.metricsService;
    const total = (name: MetricName, period = MINUTE, statistic = 'Sum') =>
      crierMetric(name, service, period, statistic).with({ label: `all: ${metricCatalog[name].description}` });
    const breakdown = (name: MetricName, period = MINUTE, statistic = 'Sum') => crierBreakdown(name, service, period, statistic);
    const queues = Object.entries(props.queues) as [QueueId, { queue: IQueue; deadLetterQueue: IQueue }][];
    const functions = Object.entries(props.functions);

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: Stack.of(this).stackName,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: [
          `# ${Stack.of(this).stackName}: messages, queues, spend`,
          'Counts are per minute unless a title says otherwise. Each metric and alarm is described in `docs/security.md` (Logs, metrics, traces, dashboard and alarms).',
        ].join('\n\n'),
        width: 24,
        height: 2,
      }),
    );
    this.row(
      graph('Messages per minute: sent, failed, skipped', [total('MessagesSent'), total('MessagesFailed'), total('MessagesSkipped')], 12),
      graph('Sent per minute, by channel and provider', [breakdown('MessagesSent')], 12),
    );
    this.row(
      graph('Failed, by reason (5 min)', [breakdown('MessagesFailed', FIVE_MINUTES)]),
      graph('Skipped, by reason (5 min)', [breakdown('MessagesSkipped', FIVE_MINUTES)]),
      graph('Delivery receipts, by status (5 min)', [breakdown('ReceiptsRecorded', FIVE_MINUTES)]),
    );
    this.row(
      graph('Opt-outs (5 min)', [total('OptOuts', FIVE_MINUTES), breakdown('OptOuts', FIVE_MINUTES)]),
      graph('Provider 429s (5 min)', [total('ProviderThrottled', FIVE_MINUTES), breakdown('ProviderThrottled', FIVE_MINUTES)], 8, [
        { value: props.alarms.providerThrottlesPer5Minutes, label: 'alarm' },
      ]),
      graph('Failover shifts (5 min)', [breakdown('FailoverShifts', FIVE_MINUTES)]),
    );
    this.row(
      graph('Queue depth: messages waiting', queues.map(([queueId, { queue }]) => queue.metricApproximateNumberOfMessagesVisible({ period: MINUTE, statistic: 'Maximum', label: queueId }))),
      graph(
        'Age of the oldest message (seconds)',
        queues.map(([queueId, { queue }]) => queue.metricApproximateAgeOfOldestMessage({ period: MINUTE, statistic: 'Maximum', label: queueId })),
        8,
        [
          { value: props.alarms.urgentQueueAgeMinutes * 60, label: 'alarm: urgent lane, fan-out, AWS SMS inbound' },
          { value: props.alarms.bulkQueueAgeMinutes * 60, label: 'alarm: bulk lane' },
        ],
      ),
      graph(
        'Dead letters',
        queues.map(([queueId, { deadLetterQueue }]) => deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: MINUTE, statistic: 'Maximum', label: queueId })),
        8,
        [{ value: 0, label: 'alarm: any' }],
      ),
    );
    this.row(
      graph('Provider call time, p99 (ms)', [breakdown('SendDuration', FIVE_MINUTES, 'p99')], 8),
      graph('Fan-out task time, p99 (ms)', [breakdown('FanOutDuration', FIVE_MINUTES, 'p99')], 8),
      graph('Residents put on a send lane (5 min)', [breakdown('RecipientsTargeted', FIVE_MINUTES)], 8),
    );
    this.row(
      graph(
        "Estimated spend a day (the price table's currency)",
        [total('Spend', DAY), breakdown('Spend', DAY)],
        12,
        props.alarms.dailySpend > 0 ? [{ value: props.alarms.dailySpend, label: 'alarm' }] : [],
      ),
      graph(
        'Messages sent a day',
        [total('MessagesSent', DAY), breakdown('MessagesSent', DAY)],
        12,
        props.dailyMessageCap > 0 ? [{ value: props.dailyMessageCap, label: "a department's default daily cap" }] : [],
      ),
    );
    this.row(
      graph('Function errors (5 min)', functions.map(([functionId, fn]) => fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum', label: functionId })), 8),
      graph('Function throttles (1 min)', functions.map(([functionId, fn]) => fn.metricThrottles({ period: MINUTE, statistic: 'Sum', label: functionId })), 8),
      graph('API answers 4xx and 5xx (5 min)', [
        props.httpApi.metricClientError({ period: FIVE_MINUTES, statistic: 'Sum', label: '4xx' }),
        props.httpApi.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum', label: '5xx' }),
      ], 8),
    );
  }

  private row(...widgets: IWidget[]): void {
    this.dashboard.addWidgets(...widgets);
  }
}

function graph(title: string, left: IMetric[], width = 8, leftAnnotations: HorizontalAnnotation[] = []): GraphWidget {
  return new GraphWidget({ title, left, width, height: 6, leftAnnotations, leftYAxis: { min: 0 } });
}
