import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, it, vi } from 'vitest';
import type { QueueTrigger } from '../../functions/catalog-types.js';
import { sendRetryPolicy } from '../../functions/catalog.js';
import type { ProvisionedQueue } from '../../local/provision.js';
import { asLambda, FunctionTimeoutError } from '../../local/lambda-runtime.js';
import { QueuePoller } from '../../local/queue-poller.js';
import { latch } from '../support/latch.js';
import { depth, freshQueue, localSqs, receiveAll } from './sqs-support.js';

/**
 * The local stack's stand-in for a Lambda event source mapping, against local-aws-sqs: batch
 * size, partial batch failures, a throwing handler, and redrive to the dead-letter queue. Each
 * test has its own queues (1 s visibility timeout, so redelivery takes about a second), so the
 * tests run side by side.
 */

interface Seen {
  body: string;
  receiveCount: number;
  at: number;
}

type Handler = (event: SQSEvent) => Promise<SQSBatchResponse | void>;

/**
 * Longer than the poller's 1 s long poll: local-aws-sqs starts a message's visibility timeout when
 * it collects it during the poll, not when the poll returns, so a 1 s timeout could expire before
 * the batch is even handed over and the same message appear twice in one batch.
 */
const REDELIVERY_SECONDS = 2;

const trigger = (batchSize: number): QueueTrigger => ({ kind: 'queue', queue: 'sendUrgent', batchSize, maxConcurrency: 2, retry: sendRetryPolicy });

describe('QueuePoller', () => {
  let sqs: SQSClient;

  beforeAll(() => {
    sqs = localSqs();
  });
  afterAll(() => {
    sqs.destroy();
  });

  /** Runs a poller over the queue with `handler` until `done` holds, then stops it. */
  async function poll(
    queue: ProvisionedQueue,
    batchSize: number,
    handler: Handler,
    done: () => boolean | Promise<boolean>,
    timeoutMs = 8_000,
    before: (poller: QueuePoller) => void = () => undefined,
  ): Promise<unknown[]> {
    const errors: unknown[] = [];
    const poller = new QueuePoller(sqs, 'sendUrgent', queue, trigger(batchSize), async (event) => handler(event), (error) => errors.push(error), 1);
    before(poller);
    poller.start();
    try {
      await vi.waitFor(
        async () => {
          if (!(await done())) throw new Error('the poller did not get there in time');
        },
        { timeout: timeoutMs, interval: 50 },
      );
    } finally {
      await poller.stop();
    }
    return errors;
  }

  async function enqueue(queue: ProvisionedQueue, bodies: string[]): Promise<void> {
    for (const body of bodies) await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: body }));
  }

  function recorder() {
    const seen: Seen[] = [];
    const record = (records: SQSRecord[]) => {
      for (const r of records) seen.push({ body: r.body, receiveCount: Number(r.attributes.ApproximateReceiveCount), at: Date.now() });
    };
    const times = (body: string) => seen.filter((entry) => entry.body === body);
    return { seen, record, times };
  }

  it.concurrent('hands the function at most batchSize records at a time, shaped as Lambda shapes them', async ({ expect }) => {
    // Prepare
    const queue = await freshQueue(sqs, { visibilityTimeoutSeconds: 30 });
    const bodies = Array.from({ length: 7 }, (_, index) => `{"job":${index}}`);
    await enqueue(queue, bodies);
    const batches: SQSRecord[][] = [];

    // Act
    await poll(
      queue,
      3,
      async (event) => {
        batches.push(event.Records);
        return { batchItemFailures: [] };
      },
      () => batches.flat().length >= bodies.length,
    );

    // Assess
    expect(batches.every((batch) => batch.length >= 1 && batch.length <= 3)).toBe(true);
    expect(batches.flat().map((record) => record.body).sort()).toEqual(bodies);
    expect(batches[0]?.[0]).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      awsRegion: queue.arn.split(':')[3],
      attributes: { ApproximateReceiveCount: '1' },
    });
    expect(await depth(sqs, queue.url)).toEqual({ visible: 0, inFlight: 0 });
  });

  it.concurrent('deletes the records that succeeded and leaves a reported failure to reappear after its visibility timeout', async ({ expect }) => {
    // Prepare
    const queue = await freshQueue(sqs, { visibilityTimeoutSeconds: REDELIVERY_SECONDS });
    await enqueue(queue, ['ok-1', 'fails-once', 'ok-2']);
    const { seen, record, times } = recorder();

    // Act
    await poll(
      queue,
      10,
      async (event) => {
        record(event.Records);
        const failed = event.Records.filter((r) => r.body === 'fails-once' && r.attributes.ApproximateReceiveCount === '1');
        return { batchItemFailures: failed.map((r) => ({ itemIdentifier: r.messageId })) };
      },
      () => times('fails-once').length >= 2 && times('ok-1').length >= 1 && times('ok-2').length >= 1,
    );

    // Assess
    expect(times('ok-1')).toHaveLength(1);
    expect(times('ok-2')).toHaveLength(1);
    const [first, second] = times('fails-once');
    expect(second!.receiveCount).toBe(2);
    expect(second!.at).toBeGreaterThan(first!.at);
    expect(seen).toHaveLength(4);
    expect(await depth(sqs, queue.url)).toEqual({ visible: 0, inFlight: 0 });
  });

  it.concurrent('leaves every record of a batch whose handler throws, and reports the error', async ({ expect }) => {
    // Prepare
    const queue = await freshQueue(sqs, { visibilityTimeoutSeconds: REDELIVERY_SECONDS });
    await enqueue(queue, ['a', 'b']);
    const { record, times } = recorder();
    let invocations = 0;
    const crash = new Error('the function crashed');

    // Act
    const errors = await poll(
      queue,
      10,
      async (event) => {
        invocations += 1;
        record(event.Records);
        if (invocations === 1) throw crash;
        return { batchItemFailures: [] };
      },
      () => times('a').length >= 2 && times('b').length >= 2,
    );

    // Assess
    expect(times('a').map((entry) => entry.receiveCount)).toEqual([1, 2]);
    expect(times('b').map((entry) => entry.receiveCount)).toEqual([1, 2]);
    expect(errors).toContain(crash);
    expect(await depth(sqs, queue.url)).toEqual({ visible: 0, inFlight: 0 });
  });

  it.concurrent('abandons a batch whose function outlives its timeout: nothing deleted, every record received again after the visibility timeout', async ({ expect }) => {
    // Prepare: the first invocation is still working when its 300 ms are up.
    const queue = await freshQueue(sqs, { visibilityTimeoutSeconds: REDELIVERY_SECONDS });
    await enqueue(queue, ['a', 'b']);
    const { record, times } = recorder();
    let invocations = 0;
    const redelivered = latch();
    const handler = asLambda<SQSEvent, SQSBatchResponse>(
      'sendUrgent',
      async (event) => {
        invocations += 1;
        record(event.Records);
        if (invocations === 1) await redelivered.opened;
        return { batchItemFailures: [] };
      },
      300,
    );

    // Act: the first invocation works on until its records have come back to another.
    const errors = await poll(queue, 10, handler, () => times('a').length >= 2 && times('b').length >= 2);
    redelivered.open();

    // Assess
    expect(times('a').map((entry) => entry.receiveCount)).toEqual([1, 2]);
    expect(times('b').map((entry) => entry.receiveCount)).toEqual([1, 2]);
    expect(errors).toEqual([new FunctionTimeoutError('sendUrgent', 300)]);
    expect(await depth(sqs, queue.url)).toEqual({ visible: 0, inFlight: 0 });
  });

  it.concurrent('loses the deletes of the next batches when told: the same messages come back once, a receive count higher', async ({ expect }) => {
    // Prepare
    const queue = await freshQueue(sqs, { visibilityTimeoutSeconds: REDELIVERY_SECONDS });
    await enqueue(queue, ['once-more']);
    const { seen, record, times } = recorder();

    // Act
    await poll(
      queue,
      10,
      async (event) => {
        record(event.Records);
        return { batchItemFailures: [] };
      },
      async () => times('once-more').length >= 2 && (await depth(sqs, queue.url)).inFlight === 0,
      8_000,
      (poller) => poller.loseNextDeletes(1),
    );

    // Assess
    expect(times('once-more').map((entry) => entry.receiveCount)).toEqual([1, 2]);
    expect(seen).toHaveLength(2);
    expect(await depth(sqs, queue.url)).toEqual({ visible: 0, inFlight: 0 });
  });

  it.concurrent('moves a record that keeps failing to the dead-letter queue after maxReceiveCount receives', async ({ expect }) => {
    // Prepare
    const queue = await freshQueue(sqs, { visibilityTimeoutSeconds: REDELIVERY_SECONDS, maxReceiveCount: 2 });
    await enqueue(queue, ['poison']);
    const { record, times } = recorder();
    let deadLettered: string[] = [];

    // Act
    await poll(
      queue,
      10,
      async (event) => {
        record(event.Records);
        return { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) };
      },
      async () => {
        deadLettered = (await receiveAll(sqs, queue.deadLetterUrl, 1, 100)).map((message) => message.Body ?? '');
        return deadLettered.length > 0;
      },
    );

    // Assess
    expect(deadLettered).toEqual(['poison']);
    expect(times('poison').map((entry) => entry.receiveCount)).toEqual([1, 2]);
    expect(await depth(sqs, queue.url)).toEqual({ visible: 0, inFlight: 0 });
  });
});
