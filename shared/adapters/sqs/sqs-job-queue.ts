import { ChangeMessageVisibilityCommand, GetQueueUrlCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { JobQueue, RetryScheduler } from '../../ports/job-queue.js';
import { untilEveryEntryTaken } from './batch-entries.js';

const MAX_ENTRIES_PER_BATCH = 10;

/**
 * Sends jobs as JSON, ten to a SendMessageBatch request (the SQS maximum). Entries SQS reports
 * as failed are retried; what still fails makes the whole call throw (see batch-entries.ts).
 */
export class SqsJobQueue<Job> implements JobQueue<Job> {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(jobs: readonly Job[], options: { delaySeconds?: number } = {}): Promise<void> {
    const delay = options.delaySeconds ? { DelaySeconds: Math.max(0, Math.min(900, Math.round(options.delaySeconds))) } : {};
    for (let start = 0; start < jobs.length; start += MAX_ENTRIES_PER_BATCH) {
      const entries = jobs
        .slice(start, start + MAX_ENTRIES_PER_BATCH)
        .map((job, index) => ({ Id: String(index), MessageBody: JSON.stringify(job), ...delay }));
      await untilEveryEntryTaken(
        entries,
        (pending) => this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending })),
        `jobs for ${this.queueUrl}`,
      );
    }
  }
}

/**
 * Backs off a received message by lengthening its visibility timeout. The queue is found from the
 * record's `eventSourceARN`, so one sender module can serve both lanes without being told which.
 */
export class SqsRetryScheduler implements RetryScheduler {
  private readonly queueUrls = new Map<string, Promise<string>>();

  constructor(private readonly sqs: SQSClient) {}

  async retryAfter(receiptHandle: string, delaySeconds: number, queueArn?: string): Promise<void> {
    if (!queueArn) throw new Error('the source queue ARN is needed to back off a message');
    await this.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: await this.queueUrl(queueArn),
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: Math.max(0, Math.min(43_200, Math.round(delaySeconds))),
      }),
    );
  }

  private queueUrl(queueArn: string): Promise<string> {
    let url = this.queueUrls.get(queueArn);
    if (!url) {
      // arn:aws:sqs:<region>:<account>:<name>
      const [, , , , account, name] = queueArn.split(':');
      url = this.sqs
        .send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }))
        .then(({ QueueUrl }) => {
          if (!QueueUrl) throw new Error(`no queue URL for ${queueArn}`);
          return QueueUrl;
        });
      url.catch(() => this.queueUrls.delete(queueArn));
      this.queueUrls.set(queueArn, url);
    }
    return url;
  }
}
