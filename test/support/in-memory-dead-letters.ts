import { queueIds, type QueueId } from '../../shared/domain/queues.js';
import { MAX_MOVE_BATCH, type DeadLetter, type DeadLetterQueues } from '../../shared/ports/dead-letters.js';

/**
 * The same contract as the SQS adapter, in memory, for unit tests: each queue's dead letters and
 * the bodies moved back onto the work queue. `beforeEachMove` lets a test act between batches
 * (advance a clock, fail a batch part-way through a redrive).
 */
export class InMemoryDeadLetterQueues implements DeadLetterQueues {
  readonly deadLetters = Object.fromEntries(queueIds.map((queue) => [queue, [] as DeadLetter[]])) as Record<QueueId, DeadLetter[]>;
  readonly workQueues = Object.fromEntries(queueIds.map((queue) => [queue, [] as string[]])) as Record<QueueId, string[]>;
  /** Every peek and move asked for: the queue and how many. */
  readonly calls: { action: 'peek' | 'moveBack'; queue: QueueId; max: number }[] = [];
  beforeEachMove: () => void = () => undefined;

  add(queue: QueueId, ...letters: DeadLetter[]): void {
    this.deadLetters[queue].push(...letters.map((letter) => ({ ...letter })));
  }

  async count(queue: QueueId): Promise<number> {
    return this.deadLetters[queue].length;
  }

  async peek(queue: QueueId, max: number): Promise<DeadLetter[]> {
    this.calls.push({ action: 'peek', queue, max });
    return this.deadLetters[queue].slice(0, max).map((letter) => ({ ...letter, receiveCount: letter.receiveCount + 1 }));
  }

  async moveBack(queue: QueueId, max: number): Promise<number> {
    if (max > MAX_MOVE_BATCH) throw new Error(`moveBack takes at most ${MAX_MOVE_BATCH} at a time, not ${max}`);
    this.calls.push({ action: 'moveBack', queue, max });
    this.beforeEachMove();
    const moved = this.deadLetters[queue].splice(0, max);
    this.workQueues[queue].push(...moved.map((letter) => letter.body));
    return moved.length;
  }
}
