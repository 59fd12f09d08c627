import type { BroadcastSendJob } from '../domain/jobs.js';
import type { Recipient } from '../domain/model.js';

/**
 * A topic's recipients as send jobs, each full (`perJob`) but the last: every job costs the
 * sender a receive and a delete whatever its size, so fewer, fuller jobs cost fewer SQS requests.
 * In the recipients' order, so the same recipients always make the same jobs.
 */
export function sendJobsFor(broadcastId: string, topicId: string, recipients: readonly Recipient[], perJob: number): BroadcastSendJob[] {
  const jobs: BroadcastSendJob[] = [];
  for (let start = 0; start < recipients.length; start += perJob) {
    jobs.push({ kind: 'broadcast', broadcastId, topicId, recipients: recipients.slice(start, start + perJob) });
  }
  return jobs;
}
