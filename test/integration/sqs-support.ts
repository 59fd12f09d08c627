import { randomBytes } from 'node:crypto';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { inject } from 'vitest';
import type { ProvisionedQueue } from '../../local/provision.js';
import { localAwsClientConfig } from '../support/dynamo-table.js';
import { readUntil } from '../support/polling.js';

/** An SQS client for the run's one local-aws-sqs (see global-setup.ts). */
export function localSqs(): SQSClient {
  return new SQSClient({ ...localAwsClientConfig, endpoint: inject('sqsEndpoint') });
}

/**
 * A fresh, randomly named queue with its own dead-letter queue, so tests never see each other's
 * messages. A short visibility timeout lets redelivery be watched in about a second.
 */
export async function freshQueue(
  sqs: SQSClient,
  options: { visibilityTimeoutSeconds?: number; maxReceiveCount?: number } = {},
): Promise<ProvisionedQueue> {
  const name = `crier-test-${randomBytes(5).toString('hex')}`;
  const deadLetterUrl = await createQueue(sqs, `${name}-dlq`, {});
  const deadLetterArn = await queueArn(sqs, deadLetterUrl);
  const url = await createQueue(sqs, name, {
    VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? 30),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterArn, maxReceiveCount: options.maxReceiveCount ?? 5 }),
  });
  return { url, arn: await queueArn(sqs, url), deadLetterUrl };
}

async function createQueue(sqs: SQSClient, name: string, attributes: Record<string, string>): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  if (!QueueUrl) throw new Error(`no URL for the new queue ${name}`);
  return QueueUrl;
}

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  if (!Attributes?.QueueArn) throw new Error(`no ARN for ${url}`);
  return Attributes.QueueArn;
}

/** Receives until `count` messages have arrived or `timeoutMs` has passed (without deleting them): what arrived either way. */
export async function receiveAll(sqs: SQSClient, url: string, count: number, timeoutMs = 5_000): Promise<Message[]> {
  const received: Message[] = [];
  const receiveMore = async () => {
    // Short polls: local-aws-sqs holds a long poll open until it has a full batch.
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 60, AttributeNames: ['All'], MessageAttributeNames: ['All'] }),
    );
    received.push(...Messages);
    return received;
  };
  return readUntil(receiveMore, (sofar) => sofar.length >= count, { timeout: timeoutMs, interval: 50 });
}

/** Visible plus in-flight messages of a queue. */
export async function depth(sqs: SQSClient, url: string): Promise<{ visible: number; inFlight: number }> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return { visible: Number(Attributes?.ApproximateNumberOfMessages ?? 0), inFlight: Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0) };
}
