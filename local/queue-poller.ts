import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { QueueTrigger } from '../functions/catalog-types.js';
import type { FunctionId } from '../functions/catalog.js';
import type { LocalInvoke } from './lambda-runtime.js';
import type { ProvisionedQueue } from './provision.js';

/** Long enough to be cheap when idle, short enough that Ctrl-C ends promptly. */
const WAIT_TIME_SECONDS = 1;

/** What the stack asks of a queue's consumer, wherever it runs (on the stack's thread, or on the senders' thread: senders-in-thread.ts). */
export interface QueueConsumer {
  readonly busy: boolean;
  /** Records handed to the function, and how many of them SQS had handed out before (a redelivery). */
  readonly stats: { records: number; redelivered: number };
  start(): void;
  stop(): Promise<void>;
  loseNextDeletes(batches: number): void;
}

/**
 * Feeds a queue to its function the way a Lambda event source mapping does: up to `batchSize`
 * records an invocation, `concurrency` invocations at once; records the function reports as
 * failed (or all, if it throws or times out: see `asLambda`) are left on the queue to reappear
 * after their visibility timeout, and SQS moves them to the dead-letter queue after the redrive
 * policy's receive count. Like a mapping, it can be disabled and enabled again (`stop`, `start`).
 */
export class QueuePoller implements QueueConsumer {
  private running = false;
  private loops: Promise<void>[] = [];
  private inFlight = 0;
  private deletesToLose = 0;
  private busyListener: (busy: boolean) => void = () => undefined;
  /** Records handed to the function, and how many of them SQS had handed out before (a redelivery). */
  readonly stats = { records: 0, redelivered: 0 };

  constructor(
    private readonly sqs: SQSClient,
    private readonly functionId: FunctionId,
    private readonly queue: ProvisionedQueue,
    private readonly trigger: QueueTrigger,
    private readonly handler: LocalInvoke<SQSEvent, SQSBatchResponse | void>,
    private readonly onError: (error: unknown) => void,
    /** Invocations at once: the trigger's own (`concurrencyOf`) under the local stack's cap. */
    private readonly concurrency: number,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops = Array.from({ length: this.concurrency }, () => this.loop());
  }

  /** Receives nothing more, and resolves once the invocations under way have ended. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /**
   * The next `batches` batches the function finishes are not deleted, as if each DeleteMessageBatch
   * had been lost: SQS hands them out again after their visibility timeout, the same messages with
   * a receive count one higher. SQS's at-least-once delivery, made certain for a test.
   */
  loseNextDeletes(batches: number): void {
    this.deletesToLose = batches;
  }

  get busy(): boolean {
    return this.inFlight > 0;
  }

  /** Told each time the consumer starts being busy or stops (the senders' thread tells the stack's). */
  onBusyChange(listener: (busy: boolean) => void): void {
    this.busyListener = listener;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        const { Messages } = await this.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: this.queue.url,
            MaxNumberOfMessages: this.trigger.batchSize,
            WaitTimeSeconds: WAIT_TIME_SECONDS,
            AttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        );
        if (!Messages?.length) continue;
        this.inFlight += 1;
        if (this.inFlight === 1) this.busyListener(true);
        try {
          await this.invoke(Messages);
        } finally {
          this.inFlight -= 1;
          if (this.inFlight === 0) this.busyListener(false);
        }
      } catch (error) {
        if (!this.running) return;
        this.onError(error);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  private async invoke(messages: Message[]): Promise<void> {
    const records = messages.map((message) => this.toRecord(message));
    this.stats.records += records.length;
    this.stats.redelivered += records.filter((record) => Number(record.attributes.ApproximateReceiveCount) > 1).length;
    let failedIds: Set<string>;
    try {
      const response = await this.handler({ Records: records });
      failedIds = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      // A thrown error (or a timeout) fails the whole batch, as in Lambda.
      this.onError(error);
      failedIds = new Set(records.map((record) => record.messageId));
    }
    const done = messages.filter((message) => !failedIds.has(message.MessageId ?? ''));
    if (done.length === 0) return;
    if (this.deletesToLose > 0) {
      this.deletesToLose -= 1;
      return;
    }
    await this.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: this.queue.url,
        Entries: done.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
      }),
    );
  }

  private toRecord(message: Message): SQSRecord {
    const attributes = message.Attributes ?? {};
    return {
      messageId: message.MessageId ?? '',
      receiptHandle: message.ReceiptHandle ?? '',
      body: message.Body ?? '',
      attributes: {
        ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
        SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
        SenderId: attributes.SenderId ?? 'local',
        ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: message.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: this.queue.arn,
      awsRegion: this.queue.arn.split(':')[3] ?? 'eu-west-2',
    };
  }
}
