import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { consumerOf, functionDefinition, functionIds, httpRoutes, type FunctionId } from '../../functions/catalog.js';
import type { QueueId } from '../../functions/catalog-types.js';
import type { AlarmSettings } from './alarm-settings.js';
import { crierMetric } from './crier-metrics.js';

export interface CrierAlarmsProps {
  deadLetterQueues: Record<string, IQueue>;
  functions: Record<string, IFunction>;
  /** Where alarm notifications go; without it operators subscribe to the topic themselves. */
  alarmEmail?: string;
  /** The work queues, whose oldest message's age is watched. */
  queues?: Record<QueueId, IQueue>;
  /** The API, whose 5xx answers are watched. */
  httpApi?: IHttpApi;
  /** The `service` dimension of crier's own metrics: the stack's name. */
  metricsService?: string;
  settings?: AlarmSettings;
}

/** How far behind the change stream its consumer may fall (its batching window is seconds). */
const STREAM_AGE_MINUTES = 5;

/**
 * The functions for which a Lambda throttle loses or delays a resident's message: the provider
 * webhooks (a throttled inbound text is not retried by every provider, and it may be a STOP) and
 * the two senders.
 */
export function throttleWatchedFunctions(): FunctionId[] {
  const webhooks = httpRoutes().filter(({ routeKey }) => routeKey.split(' ')[1]?.startsWith('/webhooks/'));
  return [...new Set([...webhooks.map(({ functionId }) => functionId), consumerOf('sendUrgent'), consumerOf('sendBulk')])];
}

/**
 * What operators watch. Today's two, on the first occurrence (a public-service gateway has no
 * "acceptable" error rate to tune): a message in any dead-letter queue means a resident did not
 * get a message (or a broadcast did not fan out), and any function error is worth a look. Beside
 * them: Lambda throttles of the webhooks and senders, providers' 429s, the age of the oldest
 * message on each work queue (a jam warning must go out within minutes), the API's 5xx answers,
 * and spend. Each notifies the alarm topic when it goes off and when it is over.
 */
export class CrierAlarms extends Construct {
  /**
   * Not KMS-encrypted on purpose: CloudWatch cannot publish to a topic encrypted with the
   * AWS-managed SNS key, and alarm notifications carry no personal data.
   */
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: CrierAlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { displayName: 'crier alarms', enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    for (const [queueId, deadLetterQueue] of Object.entries(props.deadLetterQueues)) {
      this.alarmAboveZero(`${queueId}DeadLetters`, {
        description: `Messages are in the ${queueId} dead-letter queue: inspect them, fix the cause, then redrive`,
        metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: 'Maximum',
        }),
      });
    }
    for (const [functionId, fn] of Object.entries(props.functions)) {
      this.alarmAboveZero(`${functionId}Errors`, {
        description: `The ${functionId} function failed: see its log group`,
        metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      });
    }
    for (const functionId of throttleWatchedFunctions()) {
      const fn = props.functions[functionId];
      if (!fn) continue;
      this.alarmAboveZero(`${functionId}Throttles`, {
        description: `Lambda throttled the ${functionId} function: the account's or the function's concurrency is used up; raise it, or find what is flooding it`,
        metric: fn.metricThrottles({ period: Duration.minutes(1), statistic: 'Sum' }),
      });
    }
    for (const functionId of functionIds.filter((id) => functionDefinition(id).trigger.kind === 'tableStream')) {
      const fn = props.functions[functionId];
      if (!fn) continue;
      // A stream consumer that keeps failing holds its shard: the counters fall behind, then the records expire.
      this.alarm(`${functionId}StreamAge`, {
        description: `The ${functionId} function is more than ${STREAM_AGE_MINUTES} minutes behind the table's change stream: see its errors; records older than 24 hours are lost to it`,
        metric: fn.metric('IteratorAge', { period: Duration.minutes(1), statistic: 'Maximum' }),
        threshold: STREAM_AGE_MINUTES * 60_000,
      });
    }
    if (props.queues && props.settings) this.queueAgeAlarms(props.queues, props.settings);
    if (props.httpApi) {
      this.alarmAboveZero('Api5xx', {
        description: 'The API answered 5xx: see the errors and 500s in the functions\' logs (a misconfiguration answers 500 without a function error)',
        metric: props.httpApi.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
      });
    }
    if (props.metricsService && props.settings) this.crierMetricAlarms(props.metricsService, props.settings);
  }

  private queueAgeAlarms(queues: Record<QueueId, IQueue>, settings: AlarmSettings): void {
    const limits: Record<QueueId, number> = {
      fanOut: settings.urgentQueueAgeMinutes,
      sendUrgent: settings.urgentQueueAgeMinutes,
      awsSmsNotifications: settings.urgentQueueAgeMinutes,
      sendBulk: settings.bulkQueueAgeMinutes,
    };
    for (const [queueId, queue] of Object.entries(queues) as [QueueId, IQueue][]) {
      this.alarm(`${queueId}QueueAge`, {
        description: `A message has waited more than ${limits[queueId]} minutes on the ${queueId} queue: see its consumer's errors and throttles, the providers' health (crier providers status) and the dashboard`,
        metric: queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: 'Maximum' }),
        threshold: limits[queueId] * 60,
      });
    }
  }

  private crierMetricAlarms(service: string, settings: AlarmSettings): void {
    this.alarm('ProviderThrottles', {
      description: `Providers answered 429 more than ${settings.providerThrottlesPer5Minutes} times in 5 minutes: a sender's rate (SEND_RATES) is above what the provider account allows, or another client shares it`,
      metric: crierMetric('ProviderThrottled', service, Duration.minutes(5)),
      threshold: settings.providerThrottlesPer5Minutes,
    });
    if (settings.dailySpend > 0) {
      this.alarm('Spend', {
        description: `Estimated spend passed ${settings.dailySpend} (price table currency) in a day: check what was sent (crier broadcasts list) and each department's cost today (crier departments limits)`,
        metric: crierMetric('Spend', service, Duration.days(1)),
        threshold: settings.dailySpend,
      });
    }
  }

  private alarmAboveZero(id: string, props: { description: string; metric: IMetric }): void {
    this.alarm(id, { ...props, threshold: 0 });
  }

  private alarm(id: string, props: { description: string; metric: IMetric; threshold: number }): void {
    const alarm = new Alarm(this, id, {
      alarmDescription: props.description,
      metric: props.metric,
      threshold: props.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // No data means no messages, no invocations, no sends: that is healthy, not unknown.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    // Operators also want to know when it is over, e.g. after a redrive.
    alarm.addOkAction(action);
  }
}
