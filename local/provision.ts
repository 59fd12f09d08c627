import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { deadLetterAfterReceives, queueDefinitions } from '../functions/catalog.js';
import type { QueueId } from '../functions/catalog-types.js';
import { createTable, describeTable, finishInterruptedRebuild } from './table-rebuild.js';
import { localVisibilityTimeoutSeconds, type QueueTimeScale } from './time-scale.js';

/**
 * Creates the table (if it is not there from an earlier start) from the same definition as CDK,
 * after finishing a rebuild an earlier version left cut short (see table-rebuild.ts). A table from
 * a version that had the delivery report's secondary index keeps it: nothing writes or reads it
 * any more, and dynalite cannot drop one.
 */
export async function ensureTable(dynamo: DynamoDBClient, tableName: string): Promise<void> {
  await finishInterruptedRebuild(dynamo, tableName);
  if (!(await describeTable(dynamo, tableName))) await createTable(dynamo, tableName);
}

export interface ProvisionedQueue {
  url: string;
  arn: string;
  deadLetterUrl: string;
}

/**
 * Each queue of the catalog and its dead-letter queue, with the same redrive as in AWS, and the
 * visibility timeout scaled for tests (time-scale.ts).
 */
export async function ensureQueues(
  sqs: SQSClient,
  prefix: string,
  timeScale: QueueTimeScale = { visibility: 1, functionTimeouts: 1 },
): Promise<Record<QueueId, ProvisionedQueue>> {
  const entries = await Promise.all(
    (Object.keys(queueDefinitions) as QueueId[]).map(async (queueId) => {
      const definition = queueDefinitions[queueId];
      const deadLetterUrl = await createQueue(sqs, `${prefix}-${definition.name}-dlq`, {});
      const deadLetterArn = await queueArn(sqs, deadLetterUrl);
      const url = await createQueue(sqs, `${prefix}-${definition.name}`, {
        VisibilityTimeout: String(localVisibilityTimeoutSeconds(queueId, timeScale)),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterArn, maxReceiveCount: deadLetterAfterReceives(queueId) }),
      });
      return [queueId, { url, arn: await queueArn(sqs, url), deadLetterUrl }] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<QueueId, ProvisionedQueue>;
}

async function createQueue(sqs: SQSClient, name: string, attributes: Record<string, string>): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  if (!QueueUrl) throw new Error(`the local SQS did not create ${name}`);
  return QueueUrl;
}

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  if (!Attributes?.QueueArn) throw new Error(`no ARN for ${url}`);
  return Attributes.QueueArn;
}
