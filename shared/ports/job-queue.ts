/** A queue of jobs of one shape. Adapters batch sends (SQS takes 10 a request). */
export interface JobQueue<Job> {
  /** `delaySeconds` (0–900, SQS's limit) keeps the jobs out of sight that long. */
  send(jobs: readonly Job[], options?: { delaySeconds?: number }): Promise<void>;
}

/** Hides a received job again for a while so its retry backs off (SQS visibility timeout). */
export interface RetryScheduler {
  retryAfter(receiptHandle: string, delaySeconds: number, queueArn?: string): Promise<void>;
}
