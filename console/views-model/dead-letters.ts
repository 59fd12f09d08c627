import type { DeadLetterQueueView, RedriveResult } from '../../shared/dead-letters/dead-letters.js';
import { shardsDescribed } from '../../shared/broadcasts/fan-out-tasks.js';
import type { QueueId } from '../../shared/domain/queues.js';
import { localTime, plural } from './format.js';

/** Each work queue as an operator reads it: what its jobs are, so what is parked there means something. */
export const queueLabels: Record<QueueId, { name: string; what: string }> = {
  fanOut: { name: 'Fan-out', what: "turning a broadcast's topic into batches of recipients" },
  sendUrgent: { name: 'Urgent sending', what: 'urgent broadcasts and replies to residents' },
  sendBulk: { name: 'Bulk sending', what: 'normal-priority broadcasts' },
  awsSmsNotifications: { name: 'AWS SMS notifications', what: "residents' texts and delivery events from AWS End User Messaging" },
};

type Job = DeadLetterQueueView['peeked'][number]['job'];

/** What a parked job was, never a number or a message's words (dead-letter-summary.ts keeps them out). */
export function jobDescription(job: Job): string {
  switch (job.kind) {
    case 'fanOutTask':
      return `Fan-out of broadcast ${job.broadcastId}, topic ${job.topicId}, ${shardsDescribed(job)}`;
    case 'broadcastSend':
      return `A batch of broadcast ${job.broadcastId} to ${plural(job.recipients, 'recipient')}${job.topicId ? ` of topic ${job.topicId}` : ''}${job.attempt ? `, after ${plural(job.attempt, 'provider failure')}` : ''}`;
    case 'reply':
      return `A reply to a resident (${job.purpose}, ${job.channel}), message ${job.messageId}`;
    case 'awsSmsNotification':
      return `An AWS SMS ${job.notification === 'residentText' ? "resident's text" : job.notification === 'deliveryEvent' ? `delivery event (${job.eventType ?? 'unknown'})` : 'notification'}`;
    case 'unreadable':
      return `A job crier could not read: ${job.problem}`;
  }
}

/** The dead-letters page's queues: how many, what the first few were, and why they are parked. */
export function deadLetterQueues(views: readonly DeadLetterQueueView[], timeZone: string) {
  return views.map((view) => ({
    id: view.queue,
    ...queueLabels[view.queue],
    count: view.approximateCount,
    countText: view.approximateCount === 0 ? 'None' : `About ${plural(view.approximateCount, 'job')}`,
    unseen: Math.max(0, view.approximateCount - view.peeked.length),
    letters: view.peeked.map((letter) => ({
      job: jobDescription(letter.job),
      // SQS moves a job aside after its consumer failed it this many times: that is why it is here.
      why: `Failed ${plural(letter.receiveCount, 'time')}, then set aside`,
      sent: letter.sentAt ? localTime(letter.sentAt, timeZone) : 'Unknown',
    })),
    redriveHref: view.approximateCount > 0 ? `/console/operations/dead-letters/${view.queue}/redrive` : undefined,
  }));
}

/** The banner after a redrive: what moved, and what is left. */
export function redriveNotice(result: Pick<RedriveResult, 'queue' | 'moved' | 'approximateRemaining'>): string {
  const left = result.approximateRemaining === 0 ? 'none are left' : `about ${result.approximateRemaining} are left (SQS's count lags by up to a minute)`;
  return `${plural(result.moved, 'job')} moved back onto ${queueLabels[result.queue].name.toLowerCase()} to be tried again; ${left}.`;
}
