/**
 * How a queue's consumer retries a job: declared once, on the catalog's queue trigger
 * (functions/catalog/, e.g. sendRetryPolicy in functions/catalog/sending.ts), as GOV.UK Notify declares a task's retries where the task is declared;
 * the stacks give SQS its part (the redrive policy), the handler and the use case theirs.
 */
export interface RetryPolicy {
  /** Receives of one message before SQS moves it to the queue's dead-letter queue (the redrive policy's `maxReceiveCount`). */
  deadLetterAfterReceives: number;
}

/** A policy that also counts a job's attempts and waits between them. */
export interface BackoffRetryPolicy extends RetryPolicy {
  /** Attempts a job gets at a retryable failure before what it failed on is recorded as failed. */
  attempts: number;
  backoff: Backoff;
}

/** Exponential backoff: the first wait's ceiling, doubling at each attempt up to the cap, in seconds. */
export interface Backoff {
  baseSeconds: number;
  capSeconds: number;
}

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and
 * Jitter"): retries of many throttled batches spread out instead of arriving together.
 */
export function retryDelaySeconds(backoff: Backoff, receiveCount: number, random: () => number = Math.random): number {
  const ceiling = Math.min(backoff.capSeconds, backoff.baseSeconds * 2 ** Math.max(0, receiveCount - 1));
  return Math.max(1, Math.round(ceiling * random()));
}
