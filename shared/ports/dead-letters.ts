import type { QueueId } from '../domain/queues.js';

/** A message SQS gave up on and moved to a work queue's dead-letter queue, as it lies there. */
export interface DeadLetter {
  /** SQS's message id (kept when SQS moves a message to the dead-letter queue). */
  messageId: string;
  /** The job as it was sent: may carry residents' numbers and texts, so never shown as it is. */
  body: string;
  /** When the job was first sent to its work queue (ISO). */
  sentAt: string | undefined;
  /** When it was first received (ISO): by its consumer, before it failed. */
  firstReceivedAt: string | undefined;
  /** Receives so far, as SQS counts them. */
  receiveCount: number;
}

/** The dead-letter queues of crier's work queues: looked at, and moved back to be tried again. */
export interface DeadLetterQueues {
  /** Approximately how many messages wait in the queue's dead-letter queue (not those being moved). */
  count(queue: QueueId): Promise<number>;
  /**
   * Up to `max` of its messages, left where they are: they stay in the dead-letter queue and are
   * visible again (to another peek or a redrive) by the time this returns.
   */
  peek(queue: QueueId, max: number): Promise<DeadLetter[]>;
  /**
   * Moves up to `max` (at most 10: one SQS batch) back to the work queue and answers how many
   * moved; 0 when the dead-letter queue is empty. A job may be put back twice (a crash between
   * the send and the delete), never lost.
   */
  moveBack(queue: QueueId, max: number): Promise<number>;
}

/** SQS moves at most ten messages per request; `moveBack` takes one batch at a time. */
export const MAX_MOVE_BATCH = 10;
