import type { Broadcast } from './admin-api.js';
import { describeTime } from './broadcast-options.js';

const BAR_WIDTH = 24;

/** Broadcasts in these states will not change any more. */
export function isFinished(broadcast: Broadcast): boolean {
  return broadcast.status === 'sent' || broadcast.status === 'cancelled' || broadcast.status === 'rejected';
}

/**
 * One line of progress: processed (sent + failed + skipped, as the counts schema defines
 * "done with a recipient") over targeted. Targeted itself grows while the fan-out runs. Before
 * it starts (waiting for approval, scheduled) there is nothing to count: the line says what it
 * waits for instead.
 */
export function progressLine(broadcast: Broadcast): string {
  if (broadcast.status === 'draft' || broadcast.status === 'pending_approval' || broadcast.status === 'scheduled') {
    return `${describeStatus(broadcast)} …`;
  }
  // Turned down before it started: nothing was ever counted, and a full bar would say the opposite.
  if (broadcast.status === 'rejected') return '';
  const { targeted, sent, failed, skipped, delivered } = broadcast.counts;
  const processed = sent + failed + skipped;
  // A finished broadcast that targeted nobody is complete, not 0 % done.
  const share = targeted > 0 ? Math.min(processed / targeted, 1) : isFinished(broadcast) ? 1 : 0;
  const filled = Math.round(share * BAR_WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
  const percent = `${Math.floor(share * 100)}%`.padStart(4);
  return `[${bar}] ${percent} ${processed}/${targeted}  sent ${sent} · failed ${failed} · skipped ${skipped} · delivered ${delivered}  ${describeStatus(broadcast)}`;
}

/** The status in words: who it waits for, or when it starts. */
export function describeStatus(broadcast: Broadcast): string {
  switch (broadcast.status) {
    case 'pending_approval':
      return `waiting for approval${broadcast.approval === 'operator' ? ' by an operator' : broadcast.approval === 'department' ? ' by a department approver' : ''}`;
    case 'scheduled':
      return broadcast.startsAt ? `scheduled for ${describeTime(broadcast.startsAt)}` : 'scheduled';
    case 'draft':
      return 'draft (not submitted)';
    default:
      return broadcast.status;
  }
}
