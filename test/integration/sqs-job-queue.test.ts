import { ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsJobQueue, SqsRetryScheduler } from '../../shared/adapters/sqs/sqs-job-queue.js';
import type { FanOutTask } from '../../shared/domain/jobs.js';
import { freshQueue, localSqs, receiveAll } from './sqs-support.js';

describe('SqsJobQueue', () => {
  let sqs: SQSClient;

  beforeAll(() => {
    sqs = localSqs();
  });
  afterAll(() => {
    sqs.destroy();
  });

  it('sends more jobs than one batch request takes, and every one arrives as JSON', async () => {
    // Prepare
    const queue = await freshQueue(sqs);
    const jobs: FanOutTask[] = Array.from({ length: 23 }, (_, shard) => ({ broadcastId: 'bc-1', topicId: 'traffic', shard }));

    // Act
    await new SqsJobQueue<FanOutTask>(sqs, queue.url).send(structuredClone(jobs));

    // Assess
    const received = await receiveAll(sqs, queue.url, jobs.length);
    const bodies = received.map((message) => JSON.parse(message.Body ?? '') as FanOutTask);
    expect(bodies.sort((a, b) => a.shard - b.shard)).toEqual(jobs);
  });

  it('sends nothing for no jobs', async () => {
    // Prepare
    const queue = await freshQueue(sqs);

    // Act
    await new SqsJobQueue<FanOutTask>(sqs, queue.url).send([]);

    // Assess
    expect(await receiveAll(sqs, queue.url, 1, 300)).toEqual([]);
  });

  it('fails loudly for a queue that does not exist, rather than dropping the jobs', async () => {
    // Prepare
    const queue = new SqsJobQueue<FanOutTask>(sqs, `${(await freshQueue(sqs)).url}-missing`);

    // Act
    const attempt = queue.send([{ broadcastId: 'bc-1', topicId: 'traffic', shard: 0 }]);

    // Assess
    await expect(attempt).rejects.toThrow();
  });
});

describe('SqsRetryScheduler', () => {
  let sqs: SQSClient;

  beforeAll(() => {
    sqs = localSqs();
  });
  afterAll(() => {
    sqs.destroy();
  });

  it('finds the queue from its ARN and hides the message for the delay', async () => {
    // Prepare
    const queue = await freshQueue(sqs, { visibilityTimeoutSeconds: 60 });
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: '{"kind":"retry-me"}' }));
    const [message] = await receiveAll(sqs, queue.url, 1);
    const scheduler = new SqsRetryScheduler(sqs);

    // Act
    await scheduler.retryAfter(message?.ReceiptHandle ?? '', 1, queue.arn);

    // Assess
    const immediately = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, WaitTimeSeconds: 0 }));
    expect(immediately.Messages ?? []).toEqual([]);
    const [again] = await receiveAll(sqs, queue.url, 1, 4_000);
    expect(again?.Body).toBe('{"kind":"retry-me"}');
  });

  it('refuses to back off without the source queue ARN', async () => {
    // Prepare
    const scheduler = new SqsRetryScheduler(sqs);

    // Act
    const attempt = scheduler.retryAfter('handle', 5);

    // Assess
    await expect(attempt).rejects.toThrow('the source queue ARN is needed to back off a message');
  });
});
