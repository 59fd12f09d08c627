import type { BroadcastStatus } from '../domain/model.js';

/** What staff (or the scheduler) can do to a broadcast. */
export type BroadcastAction = 'submit' | 'approve' | 'reject' | 'start' | 'cancel' | 'finish';

/**
 * Where each action may start from, and where it leads. The store moves a broadcast with a
 * conditional write on its current status, so two people acting at once cannot both succeed.
 * `approve` and `submit` lead to `scheduled` or `sending` depending on the time (see release).
 */
export const broadcastMoves: Record<BroadcastAction, { from: readonly BroadcastStatus[]; to: readonly BroadcastStatus[] }> = {
  submit: { from: ['draft'], to: ['pending_approval', 'scheduled', 'sending'] },
  approve: { from: ['pending_approval'], to: ['scheduled', 'sending'] },
  reject: { from: ['pending_approval'], to: ['rejected'] },
  start: { from: ['scheduled'], to: ['sending'] },
  // Cancel works before and during sending: recipients not yet sent are skipped as cancelled.
  cancel: { from: ['draft', 'pending_approval', 'scheduled', 'sending'], to: ['cancelled'] },
  finish: { from: ['sending'], to: ['sent'] },
};

/** Statuses a broadcast never leaves. */
export const finalStatuses: readonly BroadcastStatus[] = ['sent', 'cancelled', 'rejected'];

/** Why an action is refused in the broadcast's current status, in words staff understand. */
export function refusalFor(action: BroadcastAction, status: BroadcastStatus): string {
  const what: Record<BroadcastStatus, string> = {
    draft: 'still a draft',
    pending_approval: 'waiting for approval',
    scheduled: 'scheduled',
    sending: 'already sending',
    sent: 'already sent',
    cancelled: 'cancelled',
    rejected: 'rejected',
  };
  return `cannot ${action} a broadcast that is ${what[status]}`;
}
