import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueId } from '../functions/catalog-types.js';
import type { ProvisionedQueue } from './provision.js';

/**
 * Resolves once no queue function is working and every queue looks empty (messages in flight or
 * delayed count: a batch abandoned at its timeout, or handed back for later, is still to come
 * back), or throws after `timeoutMs`.
 */
export async function settled(
  sqs: SQSClient,
  queues: Record<QueueId, ProvisionedQueue>,
  workers: { busy: boolean }[],
  timeoutMs: number,
  /** Resolves once the table's changes so far have reached the stream consumers (see emulators-in-thread.ts). */
  changesDelivered: () => Promise<void>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quietRounds = 0;
  while (Date.now() < deadline) {
    const depths = await Promise.all(
      Object.values(queues).map(async (queue) => {
        const { Attributes } = await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: queue.url,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
          }),
        );
        // Delayed messages count: a batch handed back for later is work still to do.
        return (
          Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
          Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0) +
          Number(Attributes?.ApproximateNumberOfMessagesDelayed ?? 0)
        );
      }),
    );
    await changesDelivered();
    const idle = depths.every((depth) => depth === 0) && workers.every((worker) => !worker.busy);
    quietRounds = idle ? quietRounds + 1 : 0;
    // Two quiet looks in a row: a handler may be between receiving and enqueueing.
    if (quietRounds >= 2) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the local stack did not settle within ${timeoutMs} ms`);
}
