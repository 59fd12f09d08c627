import { shownCounts } from '../../shared/broadcasts/shown-counts.js';
import type { Broadcast, BroadcastStatus, SkipReason } from '../../shared/domain/model.js';
import { statusLabels } from './broadcast-summary.js';
import { count, localTime } from './format.js';

/** Why residents were skipped, as a page says it. */
export const skipReasonLabels: Record<SkipReason, string> = {
  opted_out: 'Opted out',
  duplicate: 'Already sent it on another topic',
  cancelled: 'Stopped before their turn',
  invalid_recipient: 'Number not valid',
  missing_data: 'Missing data a placeholder needs',
  whatsapp_window_closed: 'WhatsApp window closed and no template',
  left_topic: 'Left the topic',
};

/** Statuses after which nothing moves: the page stops asking for progress. */
const settled: readonly BroadcastStatus[] = ['sent', 'cancelled', 'rejected'];

/**
 * A broadcast's progress as the page and its JSON route show it: the counts as the API shows them
 * (shownCounts: they never contradict each other while it sends), skips by reason.
 */
export function progressView(broadcast: Broadcast) {
  const counts = shownCounts(broadcast.counts, broadcast.fanOutPending <= 0);
  return {
    status: broadcast.status,
    statusText: statusLabels[broadcast.status].text,
    statusColour: statusLabels[broadcast.status].colour,
    settled: settled.includes(broadcast.status),
    counts: {
      targeted: count(counts.targeted),
      sent: count(counts.sent),
      delivered: count(counts.delivered),
      failed: count(counts.failed),
      skipped: count(counts.skipped),
    },
    skippedBy: (Object.entries(counts.skippedBy ?? {}) as [SkipReason, number][]).map(([reason, n]) => ({ reason: skipReasonLabels[reason], count: count(n) })),
  };
}

export interface TimelineEntry {
  what: string;
  who?: string;
  when?: string;
  detail?: string;
}

/**
 * What happened to a broadcast, in order: made, approved or rejected, started, finished or
 * stopped. `nameOf` turns a person's or key's id into a name (resolved before, as it reads stores).
 */
export function timeline(broadcast: Broadcast, nameOf: (id: string) => string, timeZone: string, now: Date): TimelineEntry[] {
  const at = (iso: string | undefined) => (iso ? localTime(iso, timeZone) : undefined);
  const entries: TimelineEntry[] = [{ what: 'Created', who: nameOf(broadcast.createdBy), when: at(broadcast.createdAt) }];
  if (broadcast.status === 'pending_approval') {
    entries.push({ what: 'Waiting for approval', detail: broadcast.approval === 'operator' ? 'An operator must approve it.' : 'Another approver in the department must approve it.' });
  }
  if (broadcast.approvedBy) entries.push({ what: 'Approved', who: nameOf(broadcast.approvedBy), when: at(broadcast.approvedAt) });
  if (broadcast.rejectedBy) entries.push({ what: 'Rejected', who: nameOf(broadcast.rejectedBy), detail: broadcast.rejectionReason });
  if (broadcast.startsAt) {
    const started = Date.parse(broadcast.startsAt) <= now.getTime() && broadcast.status !== 'scheduled';
    entries.push({ what: started ? 'Started' : 'Starts', when: at(broadcast.startsAt) });
  }
  if (broadcast.status === 'sent') entries.push({ what: 'Finished', when: at(broadcast.lastProgressAt) });
  if (broadcast.cancelledBy) entries.push({ what: 'Stopped', who: nameOf(broadcast.cancelledBy), when: at(broadcast.cancelledAt) });
  return entries;
}

/** Everyone a timeline names, to resolve before it is drawn. */
export function peopleOf(broadcast: Broadcast): string[] {
  return [...new Set([broadcast.createdBy, broadcast.approvedBy, broadcast.rejectedBy, broadcast.cancelledBy].filter((id): id is string => id !== undefined))];
}
