import { Duration, Stack } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterAfterReceives, queueDefinitions, visibilityTimeoutSeconds } from '../../functions/catalog.js';
import type { QueueId } from '../../functions/catalog-types.js';

export interface CrierQueue {
  queue: Queue;
  deadLetterQueue: Queue;
}

/**
 * One work queue and one dead-letter queue per entry of the catalog's `queueDefinitions`.
 * Physical names are `<stack>-<name>` so operators recognise them in the console and alarms.
 */
export class CrierQueues extends Construct {
  readonly byId: Record<QueueId, CrierQueue>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const entries = (Object.keys(queueDefinitions) as QueueId[]).map((queueId) => {
      const { name } = queueDefinitions[queueId];
      const prefix = `${Stack.of(this).stackName}-${name}`;
      const deadLetterQueue = new Queue(this, `${queueId}DeadLetterQueue`, {
        queueName: `${prefix}-dlq`,
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        // The maximum SQS allows: an operator back from a long weekend can still redrive.
        retentionPeriod: Duration.days(14),
      });
      const queue = new Queue(this, `${queueId}Queue`, {
        queueName: prefix,
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(visibilityTimeoutSeconds(queueId)),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: deadLetterAfterReceives(queueId) },
      });
      return [queueId, { queue, deadLetterQueue }] as const;
    });
    this.byId = Object.fromEntries(entries) as Record<QueueId, CrierQueue>;
  }
}
