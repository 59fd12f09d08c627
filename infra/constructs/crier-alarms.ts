import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface CrierAlarmsProps {
  deadLetterQueues: Record<string, IQueue>;
  functions: Record<string, IFunction>;
  /** Where alarm notifications go; without it operators subscribe to the topic themselves. */
  alarmEmail?: string;
}

/**
 * What operators watch: a message in any dead-letter queue means a resident did not get a
 * message (or a broadcast did not fan out), and any function error is worth a look. Both alarm
 * on the first occurrence; a public-service gateway has no "acceptable" error rate to tune.
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
  }

  private alarmAboveZero(id: string, props: { description: string; metric: IMetric }): void {
    const alarm = new Alarm(this, id, {
      alarmDescription: props.description,
      metric: props.metric,
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // No data means no messages and no invocations: that is healthy, not unknown.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    // Operators also want to know when it is over, e.g. after a redrive.
    alarm.addOkAction(action);
  }
}
