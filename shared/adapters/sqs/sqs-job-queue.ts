import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { JobQueue, RetryScheduler } from '../../ports/job-queue.js';

const MAX_ENTRIES_PER_BATCH = 10;
const MAX_ATTEMPTS = 5;

/**
 * Sends jobs as JSON, ten to a SendMessageBatch request (the SQS maximum). Entries SQS reports
 * as failed are retried; what still fails makes the whole call throw, so the caller's own
 * retry takes over rather than a job being silently dropped.
 */
export class SqsJobQueue<Job> implements JobQueue<Job> {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(jobs: readonly Job[]): Promise<void> {
    for (let start = 0; start < jobs.length; start += MAX_ENTRIES_PER_BATCH) {
      let entries = jobs
        .slice(start, start + MAX_ENTRIES_PER_BATCH)
        .map((job, index) => ({ Id: String(index), MessageBody: JSON.stringify(job) }));
      for (let attempt = 1; entries.length > 0; attempt += 1) {
        const response = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
        const failedIds = new Set((response.Failed ?? []).map((failure) => failure.Id));
        if (failedIds.size > 0 && attempt >= MAX_ATTEMPTS) {
          throw new Error(`SQS refused ${failedIds.size} jobs for ${this.queueUrl}: ${response.Failed?.[0]?.Message}`);
        }
        entries = entries.filter((entry) => failedIds.has(entry.Id));
        if (entries.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
  }
}

export class SqsRetryScheduler implements RetryScheduler {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async retryAfter(receiptHandle: string, delaySeconds: number): Promise<void> {
    await this.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: Math.max(0, Math.min(43_200, Math.round(delaySeconds))),
      }),
    );
  }
}
