import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import { vi } from 'vitest';
import type { QueueId } from '../../functions/catalog-types.js';
import type { LocalStack } from '../../local/stack.js';
import { awsClients } from '../../shared/adapters/aws-clients.js';
import { sendJobSchema, type BroadcastSendJob } from '../../shared/domain/jobs.js';

/** A broadcast's send job as it sat on the queue: its exact body, to be put back as it was. */
export interface QueuedSendJob {
  body: string;
  job: BroadcastSendJob;
}

/**
 * Takes a broadcast's send jobs off a lane whose consumer is paused (`stack.pauseConsumer`):
 * received and deleted, until they carry `recipients` recipients between them (the fan-out may
 * still be writing them). Other messages on the lane (replies) are left where they were.
 */
export async function takeSendJobs(stack: LocalStack, queue: QueueId, broadcastId: string, recipients: number, timeoutMs = 15_000): Promise<QueuedSendJob[]> {
  const { sqs } = awsClients();
  const taken: QueuedSendJob[] = [];
  const recipientsTaken = () => taken.reduce((sum, { job }) => sum + job.recipients.length, 0);
  await vi.waitFor(
    async () => {
      if (recipientsTaken() >= recipients) return;
      // A short poll: local-aws-sqs holds a long one open until it has a full batch.
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: stack.queues[queue].url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 30 }),
      );
      const ours = Messages.flatMap((message) => {
        const job = sendJobSchema.parse(JSON.parse(message.Body ?? ''));
        return job.kind === 'broadcast' && job.broadcastId === broadcastId ? [{ message, job }] : [];
      });
      const others = Messages.filter((message) => !ours.some((taken) => taken.message === message));
      await settleReceived(stack, queue, ours.map(({ message }) => message), others);
      taken.push(...ours.map(({ message, job }) => ({ body: message.Body ?? '', job })));
      if (recipientsTaken() < recipients) throw new Error(`only ${taken.length} send jobs of broadcast ${broadcastId} reached ${queue} within ${timeoutMs} ms`);
    },
    { timeout: timeoutMs, interval: 50 },
  );
  return taken;
}

/** Deletes what was taken, and makes the rest (replies, other broadcasts) visible again at once, as if never received. */
async function settleReceived(stack: LocalStack, queue: QueueId, taken: Message[], others: Message[]): Promise<void> {
  const { sqs } = awsClients();
  const QueueUrl = stack.queues[queue].url;
  const entries = (messages: Message[]) => messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle }));
  if (taken.length > 0) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: entries(taken) }));
  if (others.length > 0) {
    await sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl, Entries: entries(others).map((entry) => ({ ...entry, VisibilityTimeout: 0 })) }));
  }
}

/** Puts each job on the lane `copies` times: SQS's at-least-once delivery, made certain. */
export async function putSendJobs(stack: LocalStack, queue: QueueId, jobs: readonly QueuedSendJob[], copies: number): Promise<void> {
  const bodies = jobs.flatMap(({ body }) => Array.from({ length: copies }, () => body));
  for (let start = 0; start < bodies.length; start += 10) {
    await awsClients().sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: stack.queues[queue].url,
        Entries: bodies.slice(start, start + 10).map((body, index) => ({ Id: String(index), MessageBody: body })),
      }),
    );
  }
}
