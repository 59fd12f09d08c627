import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ChangeMessageVisibilityCommand, GetQueueUrlCommand, SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keys } from '../../shared/adapters/dynamo/keys.js';
import { DynamoSubscriberStore } from '../../shared/adapters/dynamo/subscriber-store.js';
import { DynamoTopicStore } from '../../shared/adapters/dynamo/topic-store.js';
import { SqsJobQueue, SqsRetryScheduler } from '../../shared/adapters/sqs/sqs-job-queue.js';
import { aPhone } from '../support/builders.js';

/**
 * What the adapters do when AWS answers in ways the emulators never do: throttled batch reads,
 * partially failed batch sends, an ARN lookup that fails. The real SDK against dynalite and
 * local-aws-sqs is in test/integration.
 */

const QUEUE_URL = 'https://sqs.eu-west-2.amazonaws.com/123456789012/crier-prod-send-urgent';
const QUEUE_ARN = 'arn:aws:sqs:eu-west-2:123456789012:crier-prod-send-urgent';
const TABLE = 'crier-prod';

describe('SqsJobQueue against SQS answers', () => {
  const sqs = mockClient(SQSClient);

  beforeEach(() => {
    sqs.reset();
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends ten jobs to a request', async () => {
    // Prepare
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const jobs = Array.from({ length: 25 }, (_, index) => ({ index }));

    // Act
    await new SqsJobQueue(new SQSClient({}), QUEUE_URL).send(jobs);

    // Assess
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 3);
    const sizes = sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input.Entries?.length);
    expect(sizes).toEqual([10, 10, 5]);
    expect(sqs).toHaveReceivedNthCommandWith(SendMessageBatchCommand, 1, {
      QueueUrl: QUEUE_URL,
      Entries: expect.arrayContaining([{ Id: '0', MessageBody: '{"index":0}' }]),
    });
  });

  it('sends again only the entries SQS reported as failed', async () => {
    // Prepare
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false, Message: 'try again' }] })
      .resolves({ Failed: [] });
    const queue = new SqsJobQueue(new SQSClient({}), QUEUE_URL);

    // Act
    const sending = queue.send([{ job: 'a' }, { job: 'b' }, { job: 'c' }]);
    await vi.runAllTimersAsync();
    await sending;

    // Assess
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 2);
    expect(sqs).toHaveReceivedNthCommandWith(SendMessageBatchCommand, 2, { Entries: [{ Id: '1', MessageBody: '{"job":"b"}' }] });
  });

  it('throws, rather than drop a job, when SQS keeps refusing it', async () => {
    // Prepare
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false, Message: 'still failing' }] });
    const queue = new SqsJobQueue(new SQSClient({}), QUEUE_URL);

    // Act
    const sending = queue.send([{ job: 'a' }]).catch((error: unknown) => error);
    await vi.runAllTimersAsync();
    const error = await sending;

    // Assess
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(`SQS refused 1 jobs for ${QUEUE_URL}: still failing`);
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 5);
  });
});

describe('SqsRetryScheduler against SQS answers', () => {
  const sqs = mockClient(SQSClient);

  beforeEach(() => {
    sqs.reset();
    sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: QUEUE_URL });
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
  });

  it('looks the queue up by the name and account in the ARN, once', async () => {
    // Prepare
    const scheduler = new SqsRetryScheduler(new SQSClient({}));

    // Act
    await scheduler.retryAfter('handle-1', 30, QUEUE_ARN);
    await scheduler.retryAfter('handle-2', 60, QUEUE_ARN);

    // Assess
    expect(sqs).toHaveReceivedCommandExactlyOnceWith(GetQueueUrlCommand, { QueueName: 'crier-prod-send-urgent', QueueOwnerAWSAccountId: '123456789012' });
    expect(sqs).toHaveReceivedNthCommandWith(ChangeMessageVisibilityCommand, 2, { QueueUrl: QUEUE_URL, ReceiptHandle: 'handle-2', VisibilityTimeout: 60 });
  });

  it.each([
    [0.4, 0],
    [-5, 0],
    [899.6, 900],
    [50_000, 43_200],
  ])('asks for a delay of %d s as %i s (SQS takes whole seconds up to 12 hours)', async (delay, visibility) => {
    // Prepare
    const scheduler = new SqsRetryScheduler(new SQSClient({}));

    // Act
    await scheduler.retryAfter('handle', delay, QUEUE_ARN);

    // Assess
    expect(sqs).toHaveReceivedCommandWith(ChangeMessageVisibilityCommand, { VisibilityTimeout: visibility });
  });

  it('does not remember a failed lookup, so the next retry asks again', async () => {
    // Prepare
    sqs.on(GetQueueUrlCommand).rejectsOnce(new Error('throttled')).resolves({ QueueUrl: QUEUE_URL });
    const scheduler = new SqsRetryScheduler(new SQSClient({}));
    await expect(scheduler.retryAfter('handle-1', 30, QUEUE_ARN)).rejects.toThrow('throttled');

    // Act
    await scheduler.retryAfter('handle-2', 30, QUEUE_ARN);

    // Assess
    expect(sqs).toHaveReceivedCommandTimes(GetQueueUrlCommand, 2);
    expect(sqs).toHaveReceivedCommandExactlyOnceWith(ChangeMessageVisibilityCommand, { ReceiptHandle: 'handle-2' });
  });
});

describe('DynamoDB batch reads under throttling', () => {
  const documents = mockClient(DynamoDBDocumentClient);
  const client = () => DynamoDBDocumentClient.from(new DynamoDBClient({}));

  beforeEach(() => {
    documents.reset();
  });

  it('checks every resident’s opt-out, retrying the keys DynamoDB left unprocessed', async () => {
    // Prepare
    const [alice, bob] = [aPhone(101), aPhone(102)];
    documents
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { [TABLE]: [{ pk: `SUB#${alice}` }] },
        UnprocessedKeys: { [TABLE]: { Keys: [keys.profile(bob)] } },
      })
      .resolves({ Responses: { [TABLE]: [{ pk: `SUB#${bob}`, optedOut_sms: '2025-03-01T09:00:00.000Z' }] } });
    const store = new DynamoSubscriberStore(client(), TABLE, 4);

    // Act
    const optedOut = await store.optedOutAmong([{ phone: alice, channel: 'sms' }, { phone: bob, channel: 'sms' }]);

    // Assess
    expect(optedOut).toEqual(new Set([`${bob}|sms`]));
    expect(documents).toHaveReceivedCommandTimes(BatchGetCommand, 2);
  });

  it('counts a topic’s subscribers in every shard, retrying the shards DynamoDB left unprocessed', async () => {
    // Prepare
    documents
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { [TABLE]: [{ count: 3 }, { count: 4 }] },
        UnprocessedKeys: { [TABLE]: { Keys: [keys.topicShardCount('traffic', 2), keys.topicShardCount('traffic', 3)] } },
      })
      .resolves({ Responses: { [TABLE]: [{ count: 5 }, { count: 6 }] } });
    const store = new DynamoTopicStore(client(), TABLE, 4);

    // Act
    const count = await store.subscriberCount('traffic');

    // Assess
    expect(count).toBe(18);
  });
});
