import { ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ProvisionedQueue } from '../../local/provision.js';
import { SqsDeadLetterQueues } from '../../shared/adapters/sqs/sqs-dead-letters.js';
import { queueIds, type QueueId } from '../../shared/domain/queues.js';
import { depth, freshQueue, localSqs, receiveAll } from './sqs-support.js';

/** The SQS adapter of the dead-letter port against local-aws-sqs: real receives, sends and deletes. */
describe('SqsDeadLetterQueues', () => {
  let sqs: SQSClient;

  beforeAll(() => {
    sqs = localSqs();
  });
  afterAll(() => {
    sqs.destroy();
  });

  /** A fresh work queue and dead-letter queue for each of crier's queues. */
  async function setUp(): Promise<{ queues: Record<QueueId, ProvisionedQueue>; adapter: SqsDeadLetterQueues }> {
    const pairs = await Promise.all(queueIds.map(async (id) => [id, await freshQueue(sqs)] as const));
    const queues = Object.fromEntries(pairs) as Record<QueueId, ProvisionedQueue>;
    return { queues, adapter: new SqsDeadLetterQueues(sqs, queues) };
  }

  async function putDeadLetters(url: string, bodies: string[]): Promise<void> {
    for (let start = 0; start < bodies.length; start += 10) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: bodies.slice(start, start + 10).map((body, index) => ({ Id: String(index), MessageBody: body })),
        }),
      );
    }
  }

  /**
   * Receives the queue's message and lets it go at once until SQS, the message being over its
   * maxReceiveCount, moves it to the dead-letter queue. Repeated because a short poll of
   * local-aws-sqs on a busy machine can come back empty.
   */
  async function deadLetterThroughSqs(queue: ProvisionedQueue): Promise<void> {
    await vi.waitFor(
      async () => {
        if ((await depth(sqs, queue.deadLetterUrl)).visible > 0) return;
        await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, VisibilityTimeout: 0, WaitTimeSeconds: 0 }));
        throw new Error('SQS did not move the message to the dead-letter queue within 5 s');
      },
      { timeout: 5_000, interval: 50 },
    );
  }

  const jobs = (count: number) => Array.from({ length: count }, (_, shard) => JSON.stringify({ broadcastId: 'bc-1', topicId: 'traffic', shard }));

  it('counts the dead letters of each queue, and not its work queue’s messages', async () => {
    // Prepare
    const { queues, adapter } = await setUp();
    await putDeadLetters(queues.sendBulk.deadLetterUrl, jobs(3));
    await putDeadLetters(queues.fanOut.url, jobs(2));

    // Act
    const counts = await Promise.all(queueIds.map((id) => adapter.count(id)));

    // Assess
    expect(Object.fromEntries(queueIds.map((id, index) => [id, counts[index]]))).toEqual({ fanOut: 0, sendUrgent: 0, sendBulk: 3, awsSmsNotifications: 0 });
  });

  it('peeks at a message SQS itself dead-lettered, with its times and receive count, and leaves it visible in place', async () => {
    // Prepare
    const queue = await freshQueue(sqs, { maxReceiveCount: 1 });
    const adapter = new SqsDeadLetterQueues(sqs, { ...(await setUp()).queues, sendUrgent: queue });
    const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: '{"kind":"reply"}' }));
    await deadLetterThroughSqs(queue);

    // Act
    const [peeked] = await adapter.peek('sendUrgent', 5);

    // Assess
    expect(peeked).toEqual({
      messageId: MessageId,
      body: '{"kind":"reply"}',
      sentAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      firstReceivedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      receiveCount: expect.any(Number),
    });
    // At least this peek's receive: local-aws-sqs counts afresh in the dead-letter queue.
    expect(peeked!.receiveCount).toBeGreaterThanOrEqual(1);
    // local-aws-sqs, like SQS, shows a message made visible again a moment later (a 0 ms timer), not at once.
    await expect.poll(() => depth(sqs, queue.deadLetterUrl), { timeout: 2_000 }).toEqual({ visible: 1, inFlight: 0 });
    expect(await depth(sqs, queue.url)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('peeks at more than one receive brings, each message once, and shows them all again', async () => {
    // Prepare
    const { queues, adapter } = await setUp();
    await putDeadLetters(queues.fanOut.deadLetterUrl, jobs(13));

    // Act
    const peeked = await adapter.peek('fanOut', 12);

    // Assess
    expect(new Set(peeked.map((letter) => letter.messageId)).size).toBe(12);
    await expect.poll(() => depth(sqs, queues.fanOut.deadLetterUrl), { timeout: 2_000 }).toEqual({ visible: 13, inFlight: 0 });
  });

  it('moves a batch back onto the work queue, bodies and attributes as they were, and takes it off the dead-letter queue', async () => {
    // Prepare
    const { queues, adapter } = await setUp();
    await putDeadLetters(queues.sendBulk.deadLetterUrl, jobs(12));
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queues.sendUrgent.deadLetterUrl,
        MessageBody: '{"kind":"reply"}',
        MessageAttributes: { origin: { DataType: 'String', StringValue: 'test' } },
      }),
    );

    // Act
    const bulkMoved = await adapter.moveBack('sendBulk', 10);
    const urgentMoved = await adapter.moveBack('sendUrgent', 10);

    // Assess
    expect([bulkMoved, urgentMoved]).toEqual([10, 1]);
    expect(await depth(sqs, queues.sendBulk.deadLetterUrl)).toEqual({ visible: 2, inFlight: 0 });
    const bulk = await receiveAll(sqs, queues.sendBulk.url, 10);
    expect(bulk.map((message) => message.Body).every((body) => jobs(12).includes(body ?? ''))).toBe(true);
    expect(new Set(bulk.map((message) => message.Body)).size).toBe(10);
    // Polled, not one short receive: on a busy machine local-aws-sqs can answer a single short poll empty.
    const [urgent] = await receiveAll(sqs, queues.sendUrgent.url, 1);
    expect(urgent?.Body).toBe('{"kind":"reply"}');
    expect(urgent?.MessageAttributes?.origin?.StringValue).toBe('test');
    expect(await depth(sqs, queues.sendUrgent.deadLetterUrl)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('moves nothing, and says so, from an empty dead-letter queue', async () => {
    // Prepare
    const { queues, adapter } = await setUp();

    // Act
    const moved = await adapter.moveBack('awsSmsNotifications', 10);

    // Assess
    expect(moved).toBe(0);
    expect(await depth(sqs, queues.awsSmsNotifications.url)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('fails loudly when the work queue is gone, and the dead letters stay where they are', async () => {
    // Prepare
    const { queues } = await setUp();
    const adapter = new SqsDeadLetterQueues(sqs, { ...queues, sendBulk: { ...queues.sendBulk, url: `${queues.sendBulk.url}-missing` } });
    await putDeadLetters(queues.sendBulk.deadLetterUrl, jobs(2));

    // Act
    const attempt = adapter.moveBack('sendBulk', 10);

    // Assess
    await expect(attempt).rejects.toThrow();
    // Still in the dead-letter queue, hidden until the move's visibility timeout ends.
    expect((await depth(sqs, queues.sendBulk.deadLetterUrl)).inFlight).toBe(2);
  });
});
