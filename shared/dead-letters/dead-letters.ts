import type { Principal } from '../domain/model.js';
import { queueIds, type QueueId } from '../domain/queues.js';
import { MAX_MOVE_BATCH } from '../ports/dead-letters.js';
import { authorize } from '../staff/access.js';
import { recordAudit } from '../staff/audit.js';
import { summariseDeadLetter, type DeadLetterJob } from './dead-letter-summary.js';
import type { DeadLetterDependencies } from '../ports/dependencies.js';

/** One dead letter, summarised. */
export interface DeadLetterView {
  messageId: string;
  /** When the job was first put on its work queue. */
  sentAt?: string | undefined;
  /** When its consumer first received it (and, after that, failed). */
  firstReceivedAt?: string | undefined;
  receiveCount: number;
  job: DeadLetterJob;
}

/** One work queue's dead letters: how many, and a look at the first few. */
export interface DeadLetterQueueView {
  queue: QueueId;
  approximateCount: number;
  peeked: DeadLetterView[];
}

/**
 * Why a redrive stopped: nothing left, the limit asked for, or the time one request may take was
 * up (ask again to move more).
 */
export type RedriveStop = 'empty' | 'limit' | 'timeBudget';

/** What a redrive did. These types are the use cases' own: the admin API's schemas are checked against them. */
export interface RedriveResult {
  queue: QueueId;
  moved: number;
  stoppedBecause: RedriveStop;
  /** SQS's approximate count, which may lag by a minute. */
  approximateRemaining: number;
}

/**
 * How long one redrive request keeps moving messages. API Gateway gives up on a request after
 * 30 s; stopping well before leaves time to count what is left and answer, and the caller (the
 * CLI does) asks again for the rest.
 */
export const REDRIVE_TIME_BUDGET_MS = 20_000;

/**
 * Every work queue's dead letters: how many, and a look at up to `peek` of each, summarised
 * (see dead-letter-summary.ts). Operators only. The look is recorded in the audit log: it
 * receives residents' jobs from the queues, even though it shows nothing personal of them.
 */
export async function listDeadLetters(
  deps: DeadLetterDependencies,
  principal: Principal,
  input: { peek: number },
): Promise<DeadLetterQueueView[]> {
  authorize(principal, 'deadLetters:manage');
  const views = await Promise.all(
    queueIds.map(async (queue): Promise<DeadLetterQueueView> => {
      const approximateCount = await deps.deadLetters.count(queue);
      // No more than the count says are there: an empty queue, the usual case, is not received
      // from at all, and a peek does not wait for messages that do not exist.
      const wanted = Math.min(input.peek, approximateCount);
      const peeked = wanted > 0 ? await deps.deadLetters.peek(queue, wanted) : [];
      return {
        queue,
        approximateCount,
        peeked: peeked.map((letter) => ({
          messageId: letter.messageId,
          ...(letter.sentAt ? { sentAt: letter.sentAt } : {}),
          ...(letter.firstReceivedAt ? { firstReceivedAt: letter.firstReceivedAt } : {}),
          receiveCount: letter.receiveCount,
          job: summariseDeadLetter(queue, letter.body),
        })),
      };
    }),
  );
  await recordAudit(deps, principal, 'deadLetters.inspect', { type: 'queue', id: '*' }, {
    after: Object.fromEntries(views.map((view) => [view.queue, { approximateCount: view.approximateCount, peeked: view.peeked.length }])),
  });
  return views;
}

/**
 * Moves a queue's dead letters back onto it to be tried again, a batch at a time, until none are
 * left, `limit` have moved, or the request's time budget is spent. Operators only, live keys
 * only. What moved is recorded in the audit log even when a batch then fails, so the log never
 * misses a job put back to work.
 */
export async function redriveDeadLetters(
  deps: DeadLetterDependencies,
  principal: Principal,
  queue: QueueId,
  /** Move at most `limit`; absent: all of them. */
  input: { limit?: number | undefined },
): Promise<RedriveResult> {
  authorize(principal, 'deadLetters:manage');
  const limit = input.limit ?? Number.POSITIVE_INFINITY;
  const deadline = deps.clock.now().getTime() + REDRIVE_TIME_BUDGET_MS;
  let moved = 0;
  let stoppedBecause: RedriveStop | undefined;
  try {
    while (stoppedBecause === undefined) {
      if (moved >= limit) stoppedBecause = 'limit';
      else if (deps.clock.now().getTime() >= deadline) stoppedBecause = 'timeBudget';
      else {
        const batch = await deps.deadLetters.moveBack(queue, Math.min(MAX_MOVE_BATCH, limit - moved));
        if (batch === 0) stoppedBecause = 'empty';
        moved += batch;
      }
    }
  } finally {
    if (moved > 0 || stoppedBecause !== undefined) {
      await recordAudit(deps, principal, 'deadLetters.redrive', { type: 'queue', id: queue }, {
        after: { moved, ...(input.limit === undefined ? {} : { limit: input.limit }), stoppedBecause: stoppedBecause ?? 'failed' },
      });
    }
  }
  return { queue, moved, stoppedBecause, approximateRemaining: await deps.deadLetters.count(queue) };
}
