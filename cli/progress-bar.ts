import type { Broadcast } from './admin-api.js';

const BAR_WIDTH = 24;

/** Broadcasts in these states will not change any more. */
export function isFinished(broadcast: Broadcast): boolean {
  return broadcast.status === 'sent' || broadcast.status === 'cancelled';
}

/**
 * One line of progress: processed (sent + failed + skipped, as the counts schema defines
 * "done with a recipient") over targeted. Targeted itself grows while the fan-out runs.
 */
export function progressLine(broadcast: Broadcast): string {
  const { targeted, sent, failed, skipped, delivered } = broadcast.counts;
  const processed = sent + failed + skipped;
  // A finished broadcast that targeted nobody is complete, not 0 % done.
  const share = targeted > 0 ? Math.min(processed / targeted, 1) : isFinished(broadcast) ? 1 : 0;
  const filled = Math.round(share * BAR_WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
  const percent = `${Math.floor(share * 100)}%`.padStart(4);
  return `[${bar}] ${percent} ${processed}/${targeted}  sent ${sent} · failed ${failed} · skipped ${skipped} · delivered ${delivered}  ${describeStatus(broadcast)}`;
}

export function describeStatus(broadcast: Broadcast): string {
  return broadcast.status === 'pending_approval' ? 'waiting for approval' : broadcast.status;
}
