import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type Message,
  type MessageSystemAttributeName,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { QueueId } from '../../domain/queues.js';
import type { DeadLetter, DeadLetterQueues } from '../../ports/dead-letters.js';
import { untilEveryEntryTaken } from './batch-entries.js';

/** A work queue and the dead-letter queue SQS moves its failed messages to. */
export interface QueuePair {
  url: string;
  deadLetterUrl: string;
}

/** Messages per ReceiveMessage and per batch request: the SQS maximum. */
const MAX_PER_REQUEST = 10;
/**
 * How long a peeked message stays hidden if this function dies before showing it again: long
 * enough for the few receives of one peek, short enough that nothing stays hidden for long.
 */
const PEEK_VISIBILITY_SECONDS = 20;
/** How long a message being moved stays hidden: one send and one delete, with their retries. */
const MOVE_VISIBILITY_SECONDS = 30;
/**
 * A long poll asks every SQS server, so an empty answer means the queue has nothing visible; a
 * short poll samples a few servers and may answer nothing from a small queue, which would end a
 * redrive early. One second is the shortest long poll.
 */
const WAIT_SECONDS = 1;
const SYSTEM_ATTRIBUTES: MessageSystemAttributeName[] = ['SentTimestamp', 'ApproximateFirstReceiveTimestamp', 'ApproximateReceiveCount'];

/**
 * The dead-letter queues of the work queues, through the plain SQS API: receive, send, delete.
 *
 * Why not StartMessageMoveTask (which AWS and local-aws-sqs both have): it moves a whole queue in
 * the background at its own pace, takes no count (an operator wants "move 10 and see"), allows
 * one task per queue at a time and answers only with a task handle, so the API could not say
 * how many moved. Receive → send → delete works the same everywhere and answers at once.
 */
export class SqsDeadLetterQueues implements DeadLetterQueues {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queues: Record<QueueId, QueuePair>,
  ) {}

  async count(queue: QueueId): Promise<number> {
    const { Attributes } = await this.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.queues[queue].deadLetterUrl,
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    );
    // The messages available to receive: what a peek can see and a redrive can move. One hidden
    // for a moment by a peek or a redrive under way is not counted in AWS (local-aws-sqs counts
    // it), which is why this is not added to ApproximateNumberOfMessagesNotVisible.
    return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
  }

  /**
   * SQS cannot look at a message without receiving it. Receiving is harmless here: a dead-letter
   * queue has no redrive policy of its own, so its receive count sends a message nowhere, and a
   * redrive puts a fresh copy on the work queue, whose count starts again at 0. What must not
   * happen is the message staying hidden, where a redrive would miss it, so each one is made
   * visible again at once (ChangeMessageVisibility 0), and the short timeout covers a crash.
   */
  async peek(queue: QueueId, max: number): Promise<DeadLetter[]> {
    const url = this.queues[queue].deadLetterUrl;
    const received: Message[] = [];
    try {
      while (received.length < max) {
        const batch = await this.receive(url, Math.min(MAX_PER_REQUEST, max - received.length), PEEK_VISIBILITY_SECONDS);
        if (batch.length === 0) break;
        received.push(...batch);
      }
    } finally {
      await this.showAgain(url, received);
    }
    return received.map(deadLetterOf);
  }

  /**
   * Receive, send to the work queue, then delete from the dead-letter queue, in that order: a
   * crash after the send leaves the job in both queues (tried twice, which the senders' claim
   * per recipient makes harmless) but never in neither.
   */
  async moveBack(queue: QueueId, max: number): Promise<number> {
    const { url, deadLetterUrl } = this.queues[queue];
    const messages = await this.receive(deadLetterUrl, Math.min(MAX_PER_REQUEST, max), MOVE_VISIBILITY_SECONDS);
    if (messages.length === 0) return 0;
    const entries = messages.map((message, index) => ({ Id: String(index), message }));
    await untilEveryEntryTaken(
      entries.map(({ Id, message }) => ({
        Id,
        MessageBody: message.Body ?? '',
        ...(message.MessageAttributes ? { MessageAttributes: message.MessageAttributes } : {}),
      })),
      (pending) => this.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: pending })),
      `dead letters back onto ${url}`,
    );
    await untilEveryEntryTaken(
      entries.map(({ Id, message }) => ({ Id, ReceiptHandle: message.ReceiptHandle ?? '' })),
      (pending) => this.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: deadLetterUrl, Entries: pending })),
      `moved dead letters from ${deadLetterUrl}`,
    );
    return messages.length;
  }

  private async receive(url: string, max: number, visibilitySeconds: number): Promise<Message[]> {
    const { Messages = [] } = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: WAIT_SECONDS,
        VisibilityTimeout: visibilitySeconds,
        MessageSystemAttributeNames: SYSTEM_ATTRIBUTES,
        // local-aws-sqs reads only the deprecated AttributeNames, whose type (queue attributes)
        // takes none of the names above but 'All'; AWS reads MessageSystemAttributeNames.
        AttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    return Messages;
  }

  private async showAgain(url: string, messages: readonly Message[]): Promise<void> {
    for (let start = 0; start < messages.length; start += MAX_PER_REQUEST) {
      await untilEveryEntryTaken(
        messages.slice(start, start + MAX_PER_REQUEST).map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle ?? '',
          VisibilityTimeout: 0,
        })),
        (pending) => this.sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: url, Entries: pending })),
        `peeked dead letters of ${url} to show again`,
      );
    }
  }
}

function deadLetterOf(message: Message): DeadLetter {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    body: message.Body ?? '',
    sentAt: isoOf(attributes.SentTimestamp),
    firstReceivedAt: isoOf(attributes.ApproximateFirstReceiveTimestamp),
    receiveCount: Number(attributes.ApproximateReceiveCount ?? 0),
  };
}

/** SQS timestamps are epoch milliseconds as strings; an empty or missing one is no time at all. */
function isoOf(epochMs: string | undefined): string | undefined {
  const ms = Number(epochMs);
  return epochMs && Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : undefined;
}
