import type { Broadcast, BroadcastStatus } from '../../shared/domain/model.js';

/** What a status is called on a page, and its tag colour (GOV.UK Frontend's tag modifiers). */
export const statusLabels: Record<BroadcastStatus, { text: string; colour: string }> = {
  draft: { text: 'Draft', colour: 'grey' },
  pending_approval: { text: 'Waiting for approval', colour: 'yellow' },
  scheduled: { text: 'Scheduled', colour: 'blue' },
  sending: { text: 'Sending', colour: 'light-blue' },
  sent: { text: 'Sent', colour: 'green' },
  cancelled: { text: 'Stopped', colour: 'orange' },
  rejected: { text: 'Rejected', colour: 'red' },
};

/** A broadcast as a list shows it: the start of its message, its topics, status and when. */
export function broadcastSummary(broadcast: Broadcast) {
  const firstLine = broadcast.body.split('\n')[0] ?? '';
  return {
    id: broadcast.id,
    href: `/console/broadcasts/${broadcast.id}`,
    excerpt: firstLine.length > 80 ? `${firstLine.slice(0, 79)}…` : firstLine,
    topics: broadcast.topics.join(', '),
    status: broadcast.status,
    statusLabel: statusLabels[broadcast.status],
    priority: broadcast.priority,
    createdAt: broadcast.createdAt,
  };
}
